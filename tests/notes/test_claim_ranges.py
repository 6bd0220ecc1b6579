"""A distribution read from a sum (p, q summed over their index) is normalised over the range the claim
itself sums it over, when the claim sums it over one range only (notes.claim_ranges): a later section that
writes the same letters for m classes is read over 1..m, not over the n of the introduction."""
from __future__ import annotations

import sympy as sp

from verifier.model.context import Context
from verifier.notes.check import check_text
from verifier.notes.claim_ranges import claim_ranges

NOTE = r"""
# Entropy, then cross-entropy

## A die with n faces

A fair or loaded die has $n$ faces, with probabilities $p_1, \dots, p_n$. Its entropy is

$$
H(p) = -\sum_{i=1}^{n} p_i \log p_i
$$

and a constant reward of 3 per throw has the expected value

$$
\sum_{i=1}^{n} 3 p_i = 3
$$

## Classifying into m classes

A classifier puts an input into one of $m$ classes. The true distribution over the classes is again
written $p$ and the model's is $q$. The expected reward is still three:

$$
\sum_{i=1}^{m} p_i \cdot 3 = 3
$$

whereas a careless line writes

$$
\sum_{i=1}^{m} p_i \cdot 3 = 4
$$

By Gibbs' inequality the cross-entropy is at least the entropy:

$$
\sum_{i=1}^{m} p_i (-\log q_i) - \sum_{i=1}^{m} p_i (-\log p_i) \ge 0
$$

and the reversed claim is wrong:

$$
\sum_{i=1}^{m} p_i (-\log q_i) - \sum_{i=1}^{m} p_i (-\log p_i) \le 0
$$

Mixing the two sizes in one claim keeps the note's range, and is not decided from m alone:

$$
\sum_{i=1}^{m} p_i + \sum_{i=1}^{n} p_i = 2
$$
"""


def _claims():
    rep = check_text(NOTE, "classes.md", jobs=1)
    return {(s.line, s.relation): s for b in rep.blocks for s in b.steps if s.kind == "claim"}


def test_a_distribution_over_the_claims_own_range_keeps_right_and_wrong_apart():
    claims = _claims()
    lines = NOTE.splitlines()

    def at(text, rel="="):
        line = next(k for k, x in enumerate(lines, 1) if x.strip() == text)
        return claims[(line, rel)]

    assert at(r"\sum_{i=1}^{n} 3 p_i = 3").status == "proved"
    assert at(r"\sum_{i=1}^{m} p_i \cdot 3 = 3").status == "proved"
    wrong = at(r"\sum_{i=1}^{m} p_i \cdot 3 = 4")
    assert wrong.status == "refuted"
    cex = wrong.counterexample
    m = int(cex["m"])
    ps = [sp.Rational(cex[f"p_{k}"]) for k in range(1, m + 1)]
    assert abs(sum(ps) - 1) < sp.Rational(1, 10**9) and sum(3 * x for x in ps) != 4
    gibbs = r"\sum_{i=1}^{m} p_i (-\log q_i) - \sum_{i=1}^{m} p_i (-\log p_i) \ge 0"
    assert at(gibbs, ">=").status == "proved" and "gibbs" in at(gibbs, ">=").method
    assert at(gibbs.replace(r"\ge", r"\le"), "<=").status == "refuted"
    assert at(r"\sum_{i=1}^{m} p_i + \sum_{i=1}^{n} p_i = 2").status in ("unknown", "refuted")


def test_the_range_is_the_notes_when_the_claim_sums_over_two_ranges_or_uses_an_entry_alone():
    c = Context()
    n, m = c.size("n"), c.size("m")
    i = c.index("i", n)
    p = c.vector("p", "probability", over=i)
    j = sp.Symbol("j", integer=True, positive=True)
    one = sp.Sum(p[j], (j, 1, m))
    read = {"p"}  # p read as a distribution from the note's sums alone
    assert claim_ranges(c, (one, sp.Integer(1)), read).vector_ranges[p].hi == m
    assert c.vector_ranges[p].hi == n  # the note's context is not changed
    two_letters = one + sp.Sum(p[i], (i, 1, m))  # one range, two index letters
    assert claim_ranges(c, (two_letters, sp.Integer(2)), read).vector_ranges[p].hi == m
    assert claim_ranges(c, (one + sp.Sum(p[i], (i, 1, n)), sp.Integer(2)), read) is c
    assert claim_ranges(c, (one, p[1]), read) is c
    assert claim_ranges(c, (sp.Sum(p[i], (i, 1, n)), sp.Integer(1)), read) is c
    # a distribution whose normalisation the prose states keeps its range
    assert claim_ranges(c, (one, sp.Integer(1)), set()) is c


STATED = r"""
# Weights

The weights satisfy $w_i > 0$ and $\sum_{i=1}^{n} w_i = 1$, over the $n$ models.

$$
\sum_{i=1}^{n} 3 w_i = 3
$$

Over the first $m$ models only, the weights do not sum to one:

$$
\sum_{i=1}^{m} 3 w_i = 3
$$
"""


def test_a_stated_normalisation_is_not_moved_to_the_claims_range():
    rep = check_text(STATED, "weights.md", jobs=1)
    claims = [s for b in rep.blocks for s in b.steps if s.kind == "claim"]
    assert claims[0].status == "proved"
    assert claims[1].status != "proved"
