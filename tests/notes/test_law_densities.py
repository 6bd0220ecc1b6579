"""Laws named by their density (p(x) = N(x; mu, sigma^2), p = N(mu, sigma^2)), expectations under them
(E_{x~p}[f(x)]) and KL between them (D_KL(p || q), KL(N(mu, sigma^2) || N(0, 1))), and the spellings
of KL, conditional entropy and subscripted expectations: right steps proved (also rewritten), wrong
ones refuted with concrete parameters, unsure readings never refuted."""
from __future__ import annotations

import math

import pytest

from verifier.notes.check import check_text
from verifier.notes.probability_spelling import respell

PROSE = (r"Let $p(x) = \mathcal{N}(x;\mu_1,\sigma_1^2)$ and $q(x) = \mathcal{N}(x;\mu_2,\sigma_2^2)$ with "
         "$\\sigma_1, \\sigma_2 > 0$.\n\n")
LAWS = (r"For $p = \mathcal{N}(\mu_1, \sigma_1^2)$ and $q = \mathcal{N}(\mu_2, \sigma_2^2)$, with "
        "$\\sigma_1, \\sigma_2 > 0$:\n\n")
KL_CLOSED = r"\log\frac{\sigma_2}{\sigma_1} + \frac{\sigma_1^2 + (\mu_1-\mu_2)^2}{2\sigma_2^2} - \frac{1}{2}"


def steps_of(prose: str, *displays: str):
    text = "# Two Gaussians\n\n" + prose + "\n\nThen\n\n".join("$$\n" + d + "\n$$" for d in displays) + "\n"
    rep = check_text(text, "note.md").to_json()
    return [s for b in rep["blocks"] for s in b["steps"]]


# ----------------------------------------------------------------------------------------
# spellings
# ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("written", [r"D_{\mathrm{KL}}(p\|q)", r"KL(p||q)", r"\mathrm{KL}(p\,\|\,q)",
                                     r"D_{KL}(p \parallel q)", r"\KL\big(p\,\|\,q\big)", r"\operatorname{KL}(p \Vert q)"])
def test_kl_spellings_are_one_name(written):
    assert respell(written) == "D_{KL}(p, q)"


def test_conditional_entropy_is_not_the_joint_one():
    assert respell(r"H(X \mid Y)") == r"\text{Hcond}(X, Y)"
    assert respell(r"H(X|Y)") == r"\text{Hcond}(X, Y)"
    assert respell(r"H(X, Y)") == "H(X, Y)"
    assert respell(r"H(X) - H(X \mid Y)") == r"H(X) - \text{Hcond}(X, Y)"


def test_expectation_subscripts():
    assert respell(r"\mathbb{E}_{x\sim p}[f(x)]") == r"\mathbb{E}_{xsimp}[f(x)]"
    assert respell(r"\mathbb E_{q(z\mid x)}[g(z)]") == r"\mathbb{E}_{q}[g(z)]"
    assert respell(r"\mathbb{E}_{x \sim p_{\mathrm{data}}}[x]") == r"\mathbb{E}_{xsimpdata}[x]"
    assert respell(r"\mathbb{E}_{i+1}[x]") == r"\mathbb{E}_{i+1}[x]"  # not a law: left alone


def test_norms_stay_norms():
    assert respell(r"\|x\|^2 + \|y\|") == r"\|x\|^2 + \|y\|"
    assert respell(r"|a - b|") == r"|a - b|"


# ----------------------------------------------------------------------------------------
# meanings: right steps and their rewrites are proved
# ----------------------------------------------------------------------------------------
RIGHT = [
    (PROSE, r"\mathbb{E}_{x\sim p}\big[(x-\mu_2)^2\big] = \sigma_1^2 + (\mu_1-\mu_2)^2"),
    (PROSE, r"\mathbb{E}_{x\sim p}[x] = \mu_1"),
    (PROSE, r"\mathbb{E}_{x\sim p}\big[(x-\mu_1)^2\big] = \sigma_1^2"),
    (PROSE, r"\mathbb{E}_{x\sim p}\Big[\log\frac{p(x)}{q(x)}\Big] = " + KL_CLOSED),
    (PROSE, r"\log\frac{p(x)}{q(x)} = \log\frac{\sigma_2}{\sigma_1} - \frac{(x-\mu_1)^2}{2\sigma_1^2} + \frac{(x-\mu_2)^2}{2\sigma_2^2}"),
    (PROSE, r"D_{\mathrm{KL}}(p\,\|\,q) = \mathbb{E}_{x\sim p}\Big[\log p(x) - \log q(x)\Big] = " + KL_CLOSED),
    (PROSE, r"\mathrm{KL}(p\|q) = \frac{1}{2}\Big(\log\frac{\sigma_2^2}{\sigma_1^2} + \frac{\sigma_1^2 + (\mu_1-\mu_2)^2}{\sigma_2^2} - 1\Big) = " + KL_CLOSED),
    (LAWS, r"KL(p||q) = \mathbb{E}_{x\sim p}\Big[\log\frac{p(x)}{q(x)}\Big] = " + KL_CLOSED),
    ("", r"\mathrm{KL}\big(\mathcal{N}(\mu,\sigma^2)\,\|\,\mathcal{N}(0,1)\big) = \mathrm{KL}\big(\mathcal{N}(\mu,\sigma^2)\,\|\,\mathcal{N}(0,1)\big) + 0 = \frac{1}{2}\big(\mu^2 + \sigma^2 - 1 - \log\sigma^2\big)"),
]


@pytest.mark.parametrize("prose, chain", RIGHT)
def test_right_steps_are_proved(prose, chain):
    prose = prose or "Here $\\sigma > 0$.\n\n"
    steps = steps_of(prose, chain)
    assert steps and all(s["status"] == "proved" for s in steps), [(s["status"], s["message"][:90]) for s in steps]


WRONG = [
    # the variances inside the logarithm without the 1/2: wrong
    (PROSE, r"\mathbb{E}_{x\sim p}\Big[\log\frac{p(x)}{q(x)}\Big] = \log\frac{\sigma_2^2}{\sigma_1^2} + \frac{\sigma_1^2 + (\mu_1-\mu_2)^2}{2\sigma_2^2} - \frac{1}{2}"),
    # the second moment around the other mean without the squared distance
    (PROSE, r"\mathbb{E}_{x\sim p}\big[(x-\mu_2)^2\big] = \sigma_1^2"),
    # KL is not symmetric
    (PROSE, r"D_{\mathrm{KL}}(p\,\|\,q) = \log\frac{\sigma_1}{\sigma_2} + \frac{\sigma_2^2 + (\mu_1-\mu_2)^2}{2\sigma_1^2} - \frac{1}{2}"),
    (LAWS, r"KL(p||q) = " + KL_CLOSED.replace("- \\frac{1}{2}", "+ \\frac{1}{2}")),
    ("", r"\mathrm{KL}\big(\mathcal{N}(\mu,\sigma^2)\,\|\,\mathcal{N}(0,1)\big) = \frac{1}{2}\big(\mu^2 + \sigma^2 - 1 + \log\sigma^2\big)"),
]


#: KL used (and proved) before: a later "KL = value" is a claim, not the note's first definition of KL
USED = r"D_{KL}(p||q) = \mathbb{E}_{x\sim p}\big[\log p(x) - \log q(x)\big] = " + KL_CLOSED


@pytest.mark.parametrize("prose, chain", WRONG)
def test_wrong_steps_are_refuted_with_parameters(prose, chain):
    prose = (prose or PROSE) + "Here $\\sigma > 0$.\n\n"
    steps = steps_of(prose, USED, chain)
    assert [x["status"] for x in steps[:2]] == ["proved", "proved"], steps[:2]
    s = steps[-1]
    assert s["status"] == "refuted", (s["status"], s["message"])
    cex = s["counterexample"]
    assert all(float(cex[k]) > 0 for k in cex if k.startswith("\\sigma") or k.startswith("sigma"))
    assert math.isfinite(float(cex["lhs"])) and abs(float(cex["lhs"]) - float(cex["rhs"])) > 1e-9


NOT_READ = [
    # a law given by its moments only: not a Gaussian, nothing read
    ("Let $p_{\\mathrm{data}}$ have mean $m$ and variance $s^2 > 0$.\n\n",
     r"\mathbb{E}_{x\sim p_{\mathrm{data}}}\big[(x-\mu)^4\big] = 3 s^4"),
    # a variance of unknown sign: N(x; m, v) is not read
    ("Let $p(x) = \\mathcal{N}(x; m, v)$.\n\n", r"\mathbb{E}_{x\sim p}[x^2] = v + m^2 + 1"),
    # the note's own N (without the constant) is in force: its meaning wins, nothing built in
    ("We write\n\n$$\n\\mathcal{N}(x;\\mu,\\sigma^2) = \\exp\\Big(-\\frac{(x-\\mu)^2}{2\\sigma^2}\\Big)\n$$\n\nfor $\\sigma > 0$.\n\n",
     r"\log\mathcal{N}(x;\mu,\sigma^2) = -\frac{(x-\mu)^2}{2\sigma^2}"),
]


@pytest.mark.parametrize("prose, chain", NOT_READ)
def test_unsure_readings_are_never_refuted(prose, chain):
    steps = steps_of(prose, chain)
    assert steps and not any(s["status"] == "refuted" for s in steps), [(s["status"], s["message"][:90]) for s in steps]
    assert not any(s["status"] == "proved" and "x\\sim" in s["lhs"] for s in steps)
