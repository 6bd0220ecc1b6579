"""Conditionals, events given in numbers, laws stated in words, indicators of one experiment:
each reading gets wrong steps (refuted, or unknown) and meaning-preserving rewrites of right steps
(never refuted)."""
from __future__ import annotations

import pytest

from verifier.notes.check import check_text
from verifier.notes.event_laws import event_law, givens
from verifier.notes.law_words import laws_in_words
from verifier.notes.outcome_laws import outcome_laws
from verifier.notes.probability_reader import stated_laws
from verifier.notes.probability_spelling import respell
from verifier.notes.reader import Reader


def steps_of(text: str):
    rep = check_text(text, "note.md", budget=10.0).to_json()
    return [s for b in rep["blocks"] for s in b["steps"]]


def claim_statuses(text: str):
    return [s["status"] for s in steps_of(text) if s["kind"] == "claim"]


# ----------------------------------------------------------------------------------------
# P(A | B) is a conditional, never the joint
# ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("latex", [r"P(A|B)", r"P(A \mid B)", r"P\big(A \mid B\big)", r"P(A \vert B)"])
def test_conditional_spellings_read_alike(latex):
    r = Reader()
    assert r.read(latex).expr == r.read(r"\text{Pcond}(A, B)").expr
    assert r.read(latex).expr != r.read(r"P(A, B)").expr


def test_pr_brackets_and_densities():
    r = Reader()
    assert r.read(r"\Pr[A \mid B]").expr.func.__name__ == "Prcond"
    assert r.read(r"\Pr[A]").expr == r.read(r"\Pr(A)").expr
    assert r.read(r"p(x \mid \theta)").expr.func.__name__ == "pcond"
    assert respell(r"\mathbb{E}_{q(z \mid x)}[f]") == r"\mathbb{E}_{q}[f]"  # the law's name, as before
    assert respell(r"P(|X| > 1)") == r"P(|X| > 1)"  # bars of an absolute value are no condition


def test_a_chain_confusing_conditional_and_joint_is_never_proved():
    text = "Let $A$ and $B$ be events.\n\n$$\nP(A \\mid B) = P(A, B)\n$$\n"
    assert "proved" not in claim_statuses(text) and "checked" not in claim_statuses(text)


# ----------------------------------------------------------------------------------------
# events given in numbers: a joint table of indicators
# ----------------------------------------------------------------------------------------
_BAYES = ("A disease has prevalence $P(D) = 0.02$. The test has $P(+ \\mid D) = 0.9$ and "
          "$P(+ \\mid \\bar{D}) = 0.1$.\n\n")


def test_event_law_from_the_givens():
    law = event_law(_BAYES, set())
    assert law is not None and law.names == ("D", "+")
    assert sum(law.weights) == 1
    assert dict(zip(law.rows, law.weights))[(1, 1)] == pytest.approx(0.018)


def test_given_values_in_a_chain_are_not_givens():
    g = givens(r"$$P(\bar{D}) = 1 - P(D) = 0.99$$")
    assert g == {}  # 0.99 is the chain's end, not a value given for P(D)


def test_conflicting_or_incomplete_givens_state_no_law():
    assert event_law(r"$P(D) = 0.1$ and later $P(D) = 0.2$, $P(+ \mid D) = 0.9$, $P(+ \mid \bar D) = 0.1$", set()) is None
    assert event_law(r"$P(D) = 0.1$, $P(+ \mid D) = 0.9$, $P(+ \mid \bar D) = 0.1$, $P(D \mid +) = 0.9$", set()) is None
    law = event_law(r"$P(D) = 0.1$ and $P(+ \mid D) = 0.9$", set())
    assert law is not None and law.names == ("D",)  # P(+ | not D) unknown: the test is not in the table
    assert event_law(r"$P(X) = 0.1$", {"X"}) is None  # a random variable's letter is no event


@pytest.mark.parametrize("lhs", [r"P(D \mid +)", r"P(D|+)", r"\Pr[D \mid +]", r"\Pr(D \mid +)"])
@pytest.mark.parametrize("rhs", [
    r"\frac{P(+ \mid D)P(D)}{P(+ \mid D)P(D) + P(+ \mid \bar{D})P(\bar{D})}",
    r"\frac{P(+, D)}{P(+)}",
    r"\frac{0.9 \times 0.02}{0.9 \times 0.02 + 0.1 \times 0.98}",
    r"\frac{9}{58}",
])
def test_bayes_rule_right_in_every_spelling(lhs, rhs):
    text = _BAYES + f"$$\n{lhs} = {rhs}\n$$\n"
    assert claim_statuses(text) == ["proved"]


@pytest.mark.parametrize("rhs", [
    r"\frac{P(+ \mid D)P(D)}{P(+ \mid \bar{D})P(\bar{D})}",  # a denominator missing its term
    r"P(+ \mid D)",  # the conditional turned round
    r"\frac{P(+ \mid D)P(D)}{P(+ \mid D)P(D) + P(+ \mid \bar{D})P(D)}",  # the prior of the wrong event
    r"\frac{0.9}{0.9 + 0.1}",
])
def test_bayes_slips_refuted_with_the_table(rhs):
    (step,) = [s for s in steps_of(_BAYES + f"$$\nP(D \\mid +) = {rhs}\n$$\n") if s["kind"] == "claim"]
    assert step["status"] == "refuted"
    assert "joint table" in step["message"] and "1_D" in step["message"]


def test_total_probability_and_complements():
    text = _BAYES + ("$$\nP(+) = P(+ \\mid D)P(D) + P(+ \\mid \\bar{D})P(\\bar{D}) = 0.116\n$$\n\n"
                     "$$\nP(\\bar{D} \\mid +) = 1 - P(D \\mid +)\n$$\n\n$$\nP(-) = 0.884\n$$\n")
    assert set(claim_statuses(text)) == {"proved"}
    wrong = _BAYES + "$$\nP(+) = P(+ \\mid D) + P(+ \\mid \\bar{D})\n$$\n"
    assert claim_statuses(wrong) == ["refuted"]


def test_the_givens_stay_the_notes_statements():
    steps = steps_of("$$\nP(D) = 0.01,\\quad P(+ \\mid D) = 0.99,\\quad P(+ \\mid \\bar{D}) = 0.05\n$$\n")
    assert [(s["status"], s["kind"]) for s in steps] == [("noted", "model")] * 3


def test_without_a_law_events_are_never_refuted():
    text = "Let $A$, $B$ be events with $P(B) > 0$.\n\n$$\nP(A \\mid B) = \\frac{P(A, B)}{P(A)}\n$$\n"
    assert "refuted" not in claim_statuses(text)


# ----------------------------------------------------------------------------------------
# laws stated in words
# ----------------------------------------------------------------------------------------
def test_laws_in_words_read():
    assert stated_laws(r"设 $S$ 服从二项分布 $B(n,p)$。")["S"] == ("binomial", ["n", "p"])
    assert stated_laws(r"Suppose $X$ is Bernoulli with parameter $p$.")["X"] == ("bernoulli", ["p"])
    assert stated_laws(r"$N$ is Poisson with rate $\lambda$.")["N"] == ("poisson", [r"\lambda"])
    assert stated_laws(r"$X$ follows $\mathrm{Bernoulli}(1/2)$.")["X"] == ("bernoulli", ["1/2"])
    assert stated_laws(r"Let $X$ be the number shown by a fair die.")["X"] == ("discrete_uniform", ["1", "6"])
    assert stated_laws(r"$U$ is uniform on $\{1, \dots, 4\}$.")["U"] == ("discrete_uniform", ["1", "4"])


def test_laws_in_words_negated_or_conflicting_are_not_read():
    assert laws_in_words(r"$X$ is not Bernoulli with parameter $p$.") == {}
    assert "X" not in stated_laws(r"$X$ is Bernoulli with parameter $p$. $X$ is Poisson with rate $\lambda$.")


_DIE = "Let $X$ be the number shown by a fair die, a random variable.\n\n"
_BERN = "The random variable $X$ is Bernoulli with parameter $p$, where $0 < p < 1$.\n\n"


@pytest.mark.parametrize("text", [
    _DIE + "$$\n\\mathbb{E}[X] = \\frac{7}{2}\n$$\n",
    _DIE + "$$\n\\mathbf{E}[X^2] = \\frac{91}{6}\n$$\n",
    _DIE + "$$\n\\operatorname{Var}(X) = \\frac{35}{12}\n$$\n",
    _BERN + "$$\n\\mathbb{E}[X^2] = p\n$$\n",
    _BERN + "$$\nE(X) = p\n$$\n",
    _BERN + "$$\n\\operatorname{Var}(X) = p - p^2\n$$\n",
])
def test_laws_in_words_right_steps_proved(text):
    assert claim_statuses(text) == ["proved"]


@pytest.mark.parametrize("text", [
    _DIE + "$$\n\\mathbb{E}[X] = 3\n$$\n",
    _DIE + "$$\n\\mathbb{E}[X^2] = \\mathbb{E}[X]^2\n$$\n",
    _BERN + "$$\n\\mathbb{E}[X^2] = p^2\n$$\n",
    _BERN + "$$\n\\operatorname{Var}(X) = p\n$$\n",
])
def test_laws_in_words_wrong_steps_refuted(text):
    (step,) = [s for s in steps_of(text) if s["kind"] == "claim"]
    assert step["status"] == "refuted" and "~" in step["message"]


# ----------------------------------------------------------------------------------------
# indicators of one experiment's outcomes
# ----------------------------------------------------------------------------------------
_COIN = ("Flip a fair coin once. Let $X = 1$ if it lands heads and $0$ "
         "otherwise, and let $Y = 1$ if it lands tails and $0$ otherwise. Then\n\n")


def test_outcome_law_read():
    (law,) = outcome_laws(_COIN + "$$\n\\mathbb{E}[XY] = 0\n$$\n")
    assert law.names == ("X", "Y") and law.rows == ((1, 0), (0, 1))


@pytest.mark.parametrize("claim", [r"\mathbb{E}[XY] = 0", r"\mathbb{E}[X + Y] = 1", r"\mathbb{E}[X] = \frac{1}{2}",
                                   r"\operatorname{Cov}(X, Y) = -\frac{1}{4}", r"E[X Y] = E[X] E[Y] - \frac14"])
def test_coin_indicators_right_steps_proved(claim):
    assert claim_statuses(_COIN + f"$$\n{claim}\n$$\n") == ["proved"]


@pytest.mark.parametrize("claim", [r"\mathbb{E}[XY] = \mathbb{E}[X]\,\mathbb{E}[Y]", r"\operatorname{Cov}(X, Y) = 0",
                                   r"\operatorname{Var}(X + Y) = \operatorname{Var}(X) + \operatorname{Var}(Y)"])
def test_coin_indicators_wrong_steps_refuted_with_the_table(claim):
    (step,) = [s for s in steps_of(_COIN + f"$$\n{claim}\n$$\n") if s["kind"] == "claim"]
    assert step["status"] == "refuted" and "joint table" in step["message"]


def test_coin_indicators_hold_only_in_their_example():
    text = _COIN + "$$\n\\mathbb{E}[XY] = 0\n$$\n\n## Later\n\nFor any $X$ and $Y$:\n\n$$\n\\mathbb{E}[XY] = 0\n$$\n"
    assert claim_statuses(text)[0] == "proved" and claim_statuses(text)[1] != "proved"


# ----------------------------------------------------------------------------------------
# Var / Cov / Corr as notes spell them; independence, where it is stated, is all that is said
# ----------------------------------------------------------------------------------------
_INDEP = "Let $X$ and $Y$ be independent random variables.\n\n"


@pytest.mark.parametrize("claim", [
    r"\operatorname{Cov}(X, Y) = 0", r"\mathrm{Cov}[X, Y] = 0", r"\operatorname{cov}(X, Y) = 0",
    r"\operatorname{Corr}(X, Y) = 0", r"\operatorname{corr}(X, Y) = 0",
    r"\mathbb{V}[X + Y] = \mathbb{V}[X] + \mathbb{V}[Y]", r"\operatorname{Var}(X - Y) = \operatorname{Var}(X) + \operatorname{Var}(Y)",
    r"\mathbf{E}[XY] = \mathbf{E}[X]\,\mathbf{E}[Y]", r"E(XY) = E(X)E(Y)",
])
def test_independent_pair_right_steps_proved(claim):
    assert claim_statuses(_INDEP + f"$$\n{claim}\n$$\n") == ["proved"]


@pytest.mark.parametrize("claim", [
    r"\operatorname{Cov}(X, Y) = 1", r"\operatorname{Var}(X + Y) = \operatorname{Var}(X)",
    r"\mathbb{V}[X - Y] = \mathbb{V}[X] - \mathbb{V}[Y]", r"\mathbb{E}[XY] = \mathbb{E}[X]\,\mathbb{E}[Y] + 1",
])
def test_independent_pair_wrong_steps_refuted(claim):
    (step,) = [s for s in steps_of(_INDEP + f"$$\n{claim}\n$$\n") if s["kind"] == "claim"]
    assert step["status"] == "refuted" and "concrete law" in step["message"]


def test_out_of_the_independence_scope_a_product_table_refutes_nothing():
    text = _INDEP + "## Next\n\nFor the pair above:\n\n$$\n\\operatorname{Cov}(X, Y) = 0\n$$\n"
    assert claim_statuses(text) == ["unknown"]
    said = "Let $X$ and $Y$ be independent random variables, each with mean $0$.\n\n$$\n\\operatorname{Cov}(X, Y) = 1\n$$\n"
    assert claim_statuses(said.replace("= 1", "= 0")) == ["proved"]  # more said than read: right steps still proved
