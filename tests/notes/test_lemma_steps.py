"""Inequalities in notes proved by a lemma the note may cite or not (engine.lemmas.lemma_proof): Gibbs'
inequality for a cross-entropy against an entropy, in nats or in bits; Jensen's for the log or the exp
of a weighted mean.  Its side conditions come from
the reading's domains (the entries of two distributions summed over their index); the wrong direction
is refuted with a counterexample, and an inequality that is no instance is never proved by it."""
from __future__ import annotations

import mpmath
import pytest

from verifier.notes.check import check_text

CHAPTER = r"""# Cross-entropy is never below the entropy

Let $p_1, \dots, p_m$ be the true distribution of a source and $q_1, \dots, q_m$ the model's.
Coding the source with the model's code costs the cross-entropy, the entropy is the cost of the
best code, and Gibbs' inequality says the first is never the smaller:

$$
{STEP}
$$

Equality holds exactly when the two distributions agree.
"""

RIGHT = [
    r"-\sum_{i=1}^{m} p_i \log q_i \ge -\sum_{i=1}^{m} p_i \log p_i",
    r"\sum_{i=1}^{m}p_i (-\log_2 q_i)- \sum_{i=1}^{m}p_i (-\log_2 p_i) \ge 0",
    r"\sum_{i=1}^{m} p_i \log \frac{p_i}{q_i} \geq 0",
    r"\sum_{i=1}^{m} p_i \ln \frac{q_i}{p_i} \le 0",
]
WRONG = [
    r"-\sum_{i=1}^{m} p_i \log q_i \le -\sum_{i=1}^{m} p_i \log p_i",
    r"\sum_{i=1}^{m} p_i \log \frac{p_i}{q_i} \le 0",
]


def _step(latex: str):
    steps = check_text(CHAPTER.replace("{STEP}", latex), "gibbs.md").all_steps
    assert len(steps) == 1, [(s.status, s.lhs) for s in steps]
    return steps[0]


@pytest.mark.parametrize("latex", RIGHT)
def test_gibbs_inequality_is_proved_as_people_write_it(latex):
    s = _step(latex)
    assert s.status == "proved" and "lemma gibbs" in s.method, (s.status, s.method, s.message)


@pytest.mark.parametrize("latex", WRONG)
def test_the_reversed_inequality_is_refuted_at_two_distributions(latex):
    s = _step(latex)
    assert s.status == "refuted", (s.status, s.message)
    ce = s.counterexample
    m = int(ce["m"])
    p = [mpmath.mpf(ce[f"p_{k}"]) for k in range(1, m + 1)]
    q = [mpmath.mpf(ce[f"q_{k}"]) for k in range(1, m + 1)]
    assert abs(sum(p) - 1) < 1e-9 and abs(sum(q) - 1) < 1e-9
    assert sum(a * mpmath.log(a / b) for a, b in zip(p, q)) > 0  # KL > 0 there: the reversed claim fails


def test_an_inequality_that_is_no_instance_is_not_proved_by_the_lemma():
    s = _step(r"\sum_{i=1}^{m} p_i \log \frac{p_i}{q_i} \ge 1")
    assert s.status in ("refuted", "unknown"), (s.status, s.message)


ELBO = r"""# A lower bound on the log-evidence

Let $q_1, \dots, q_K$ be any distribution over the $K$ values of the latent variable and
$a_1, \dots, a_K > 0$ the joint probabilities of the data with each value. The logarithm is concave, so

$$
{STEP}
$$

and the bound is tight when $q$ is the posterior.
"""


@pytest.mark.parametrize("latex, status", [
    (r"\log \sum_{k=1}^{K} q_k a_k \ge \sum_{k=1}^{K} q_k \log a_k", "proved"),
    (r"\sum_{k=1}^{K} q_k \log a_k \le \log \sum_{k=1}^{K} q_k a_k", "proved"),
    (r"\log \sum_{k=1}^{K} q_k a_k \le \sum_{k=1}^{K} q_k \log a_k", "refuted"),
])
def test_jensen_for_the_log_of_a_weighted_mean(latex, status):
    steps = check_text(ELBO.replace("{STEP}", latex), "elbo.md").all_steps
    assert [s.status for s in steps] == [status], [(s.status, s.message) for s in steps]
    if status == "proved":
        assert "lemma jensen" in steps[0].method
