"""A discrete latent variable with its prior, likelihood and variational law (notes.latent_laws): E_{z~q}, KL
between its laws and bare sums over its states read with their standard meanings where the prose sets them up;
wrong steps refuted with the concrete law, meaning-preserving rewrites of right steps never refuted, definitions
noted, a worked example's section and a note without the set-up not read."""
from __future__ import annotations

import pytest

from verifier.notes.check import check_text
from verifier.notes.latent_laws import latent_law

SETUP = r"""
## Setup

We use a **discrete** latent variable $z \in \{1, \dots, K\}$. We have a prior $p(z)$ and a likelihood
$p(\mathbf{x} \mid z)$ for an observation $\mathbf{x}$, fixed throughout. The joint is
$p(\mathbf{x}, z) = p(z)\,p(\mathbf{x} \mid z)$. We pick a distribution $q(z)$, with $q(z) > 0$ for every $z$.
Define

$$
\mathrm{ELBO}(q) = \mathbb{E}_{z\sim q}\big[\log p(\mathbf{x}, z) - \log q(z)\big]
$$

## Derivation

"""


def _steps(body: str, setup: str = SETUP):
    rep = check_text(setup + body, "latent.md", budget=10.0)
    return [s for s in rep.all_steps if s.line and s.line > setup.count("\n")]


def _one(body: str, setup: str = SETUP):
    steps = [s for s in _steps(body, setup) if s.kind == "claim"]
    assert steps, body
    return steps[-1]


RIGHT = [
    r"$$\log p(\mathbf{x}) = \mathrm{ELBO}(q) + \mathrm{KL}\big(q(z)\,\|\,p(z \mid \mathbf{x})\big)$$",
    r"$$\log p(\mathbf{x}) = \mathrm{ELBO}(q) + D_{\mathrm{KL}}(q \,\|\, p(\cdot \mid \mathbf{x}))$$",
    r"$$\ln p(\mathbf{x}) = \mathrm{ELBO}(q) + KL(q(z) || p(z | \mathbf{x}))$$",
    r"$$\mathrm{ELBO}(q) = \log p(\mathbf{x}) - D_{KL}(q(z) \| p(z \mid \mathbf{x}))$$",
    r"$$\mathrm{ELBO}(q) = E_{z\sim q}\big[\log p(\mathbf{x} \mid z)\big] - \mathrm{KL}\big(q(z)\,\|\,p(z)\big)$$",
    r"$$\mathrm{ELBO}(q) = \mathbb E_{z \sim q}[\ln p(\mathbf{x} \mid z)] - KL(q || p(z))$$",
    r"$$\mathrm{ELBO}(q) = \sum_{z} q(z)\log p(\mathbf{x} \mid z) + \sum_{z} q(z)\log\frac{p(z)}{q(z)}$$",
    r"$$\log p(\mathbf{x}) = \sum_{z} q(z)\log p(\mathbf{x})$$",
    r"$$\sum_{z} q(z)\log\frac{q(z)}{p(z \mid \mathbf{x})} = \mathbb{E}_{z\sim q}[\log q(z) - \log p(\mathbf{x}, z)] + \log p(\mathbf{x})$$",
]


@pytest.mark.parametrize("body", RIGHT, ids=range(len(RIGHT)))
def test_right_steps_and_their_rewrites_are_proved(body):
    s = _one(body)
    assert s.status == "proved", f"{s.status}: {s.message} ({s.reading})"


WRONG = [
    r"$$\log p(\mathbf{x}) = \mathrm{ELBO}(q) - \mathrm{KL}\big(q(z)\,\|\,p(z \mid \mathbf{x})\big)$$",
    r"$$\ln p(\mathbf{x}) = \mathrm{ELBO}(q) - D_{\mathrm{KL}}(q \,\|\, p(\cdot \mid \mathbf{x}))$$",
    r"$$\mathrm{ELBO}(q) = \mathbb{E}_{z\sim q}\big[\log p(\mathbf{x} \mid z)\big] + \mathrm{KL}\big(q(z)\,\|\,p(z)\big)$$",
    r"$$\mathrm{ELBO}(q) = E_{z\sim q}[\log p(\mathbf{x} \mid z)] - KL(p(z) || q(z))$$",
    r"$$\log p(\mathbf{x}) = \sum_{z} q(z)\log p(\mathbf{x}, z)$$",
    r"$$\mathrm{KL}(q(z) \| p(z \mid \mathbf{x})) = \mathrm{KL}(q(z) \| p(z))$$",
]


@pytest.mark.parametrize("body", WRONG, ids=range(len(WRONG)))
def test_wrong_steps_are_refuted_with_the_concrete_law(body):
    s = _one(body)
    assert s.status == "refuted", f"{s.status}: {s.message} ({s.reading})"
    assert "concrete law: K = " in s.message and "q(z) = (" in s.message and "p(z) = (" in s.message, s.message


def test_the_counterexample_is_a_law():
    s = _one(WRONG[0])
    law = s.message.split("concrete law: ", 1)[1]
    q = [float(v) for v in law.split("q(z) = (", 1)[1].split(")", 1)[0].split(", ")]
    prior = [float(v) for v in law.split("p(z) = (", 1)[1].split(")", 1)[0].split(", ")]
    lik = [float(v) for v in law.split("p(x | z) = (", 1)[1].split(")", 1)[0].split(", ")]
    assert abs(sum(q) - 1) < 1e-9 and abs(sum(prior) - 1) < 1e-9
    assert all(v > 0 for v in q + prior + lik) and len(q) == len(prior) == len(lik)


def test_an_inequality_that_holds_is_never_refuted():
    s = _one(r"$$\log p(\mathbf{x}) \ge \mathrm{ELBO}(q)$$")
    assert s.status in ("proved", "checked", "unknown"), s.message
    s = _one(r"$$\log p(\mathbf{x}) \le \mathrm{ELBO}(q)$$")
    assert s.status in ("refuted", "unknown"), s.message


def test_definitions_stay_noted():
    body = ("The posterior is, by definition,\n\n"
            r"$$p(z \mid \mathbf{x}) = \frac{p(\mathbf{x}, z)}{p(\mathbf{x})}$$" "\n")
    steps = _steps(body)
    assert [(s.kind, s.status) for s in steps] == [("definition", "noted")], steps
    rep = check_text(SETUP, "latent.md", budget=10.0)
    elbo = [s for s in rep.all_steps if s.lhs.startswith(r"\mathrm{ELBO}")]
    assert elbo and elbo[0].status == "noted" and elbo[0].kind == "definition"


def test_a_definition_other_than_the_standard_meaning_wins():
    """The note's own p(z | x) (here not the posterior) is what the later steps use: a step right under it is
    never refuted, one right only under the standard meaning is not proved."""
    lead = ("Here we define\n\n" r"$$p(z \mid \mathbf{x}) = \frac{p(\mathbf{x}, z)}{p(z)}$$" "\n\nso\n\n")
    s = _one(lead + r"$$\sum_{z} q(z)\log p(z \mid \mathbf{x}) = \sum_{z} q(z)\log p(\mathbf{x} \mid z)$$" "\n")
    assert s.status not in ("refuted", "unparsed"), s.message
    s = _one(lead + r"$$\log p(\mathbf{x}) = \mathrm{ELBO}(q) + \sum_{z} q(z)\log\frac{q(z)}{p(z \mid \mathbf{x})}$$" "\n")
    assert s.status not in ("proved", "checked"), s.message


def test_a_worked_example_is_not_read_with_the_general_law():
    body = (r"$$\log p(\mathbf{x}) = \mathrm{ELBO}(q) + \mathrm{KL}(q(z) \| p(z \mid \mathbf{x}))$$" "\n\n"
            "## A two-state example\n\n"
            r"Let $K = 2$ with $p(z = 1) = 1/2$ and take $q = (1/2, 1/2)$, so" "\n\n"
            r"$$\mathrm{ELBO}(q) = \frac{1}{2}\log\frac{1/4}{1/2} + \frac{1}{2}\log\frac{1/8}{1/2}$$" "\n\n"
            r"$$\mathrm{KL}\big(q\,\|\,p(\cdot \mid \mathbf{x})\big) = \frac{1}{2}\log\frac{3}{4} + \frac{1}{2}\log\frac{3}{2}$$"
            "\n")
    steps = _steps(body)
    general, *example = [s for s in steps if s.kind == "claim"]
    assert general.status == "proved", general.message
    assert example and all(s.status not in ("refuted", "proved", "checked") for s in example), \
        [(s.status, s.message) for s in example]


def test_a_note_without_the_set_up_is_not_read():
    bare = SETUP.replace("We use a **discrete** latent variable $z \\in \\{1, \\dots, K\\}$. ", "")
    assert latent_law(bare) is None
    s = _one(WRONG[0], bare)
    assert s.status != "refuted" and s.status not in ("proved", "checked"), s.message
    no_joint = SETUP.replace("The joint is\n$p(\\mathbf{x}, z) = p(z)\\,p(\\mathbf{x} \\mid z)$.", "")
    assert no_joint != SETUP and latent_law(no_joint) is None


def test_a_kl_the_note_defines_keeps_its_meaning():
    own = SETUP + ("We define\n\n$$\n\\mathrm{KL}(q(z) \\| p(z)) = \\sum_{z} p(z) \\log \\frac{p(z)}{q(z)}\n$$\n\n")
    assert latent_law(own) is None


def test_calls_at_other_arguments_stay_unread():
    steps = _steps(r"$$p(z = 1 \mid \mathbf{x}) = \frac{p(\mathbf{x}, 1)}{p(\mathbf{x})} + 1$$")
    assert steps and all(s.status != "refuted" for s in steps), [(s.status, s.message) for s in steps]
    s = _one(r"$$\mathrm{ELBO}\big(p(\cdot \mid \mathbf{x})\big) = \log p(\mathbf{x}) + 1$$")
    assert s.status != "refuted" and s.status not in ("proved", "checked"), s.message


def test_a_value_at_an_example_is_not_read_with_the_general_law():
    """A chain putting the laws at numbers (the prose giving none): not decided with the general law; general
    identities with 0 or 1 still are."""
    body = (r"$$\mathrm{ELBO}(q) = \frac{1}{2}\log\frac{1/4}{1/2} + \frac{1}{2}\log\frac{1/8}{1/2}$$" "\n\n"
            "and in general\n\n"
            r"$$\sum_{z} q(z) = 1$$" "\n\n"
            r"$$\log p(\mathbf{x}) = \mathrm{ELBO}(q) - \mathrm{KL}(q(z) \| p(z \mid \mathbf{x}))$$" "\n")
    steps = [s for s in _steps(body) if s.kind == "claim"]
    assert steps[0].status not in ("refuted", "proved", "checked"), steps[0].message
    assert steps[-2].status == "proved", steps[-2].message
    assert steps[-1].status == "refuted", steps[-1].message


def test_a_section_giving_the_laws_values_is_not_read():
    body = ("Take $q(1) = q(2) = 1/2$; then\n\n"
            r"$$\log p(\mathbf{x}) = \mathrm{ELBO}(q) - \mathrm{KL}(q(z) \| p(z \mid \mathbf{x}))$$" "\n")
    s = _one(body)
    assert s.status == "unknown", s.message
