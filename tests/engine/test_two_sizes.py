"""Two sizes the note names apart (n data points, m classes) are sampled with different values at half of
the points: a step that holds only where they are equal is not `checked` (it is `unknown`, saying so), a
step that fails where they are equal too is refuted, and a right step over two sizes is never refuted."""
from __future__ import annotations

import sympy as sp

from verifier.engine.decide import decide_step
from verifier.engine.numeric import Sampler, sizes_tied
from verifier.engine.problem import Problem
from verifier.model.context import Context
from verifier.model.results import CHECKED, PROVED, REFUTED, UNKNOWN
from verifier.notes.check import check_text


def _two():
    c = Context()
    n, m = c.size("n"), c.size("m")
    i, j = c.index("i", m), c.index("j", n)
    x, y = c.vector("x", "real"), c.vector("y", "real")
    return c, n, m, i, j, x, y


def test_half_of_the_points_give_the_sizes_different_values():
    c, n, m, i, j, x, y = _two()
    points = list(Sampler(c, [sp.Sum(x[i], (i, 1, m)) + sp.Sum(y[j], (j, 1, n))]).points(12))
    tied = [p for p, _ in points if sizes_tied(c, p.sizes)]
    assert 0 < len(tied) < len(points)
    assert any(p.sizes[n] != p.sizes[m] for p, _ in points)


def test_a_step_right_only_where_the_sizes_are_equal_is_unknown_not_checked():
    c, n, m, i, j, x, y = _two()
    for lhs, rhs in ((sp.Sum(2, (i, 1, m)), 2 * n), (sp.Sum(x[i], (i, 1, m)), sp.Sum(x[j], (j, 1, n)))):
        v = decide_step(Problem(lhs, rhs, "=", c))
        assert v.status == UNKNOWN, (lhs, rhs, v)
        assert "sizes m, n are equal" in v.message and "differ" in v.message


def test_a_step_wrong_where_the_sizes_are_equal_too_is_refuted():
    c, n, m, i, j, x, y = _two()
    v = decide_step(Problem(sp.Sum(2, (i, 1, m)), 2 * n + 1, "=", c))
    assert v.status == REFUTED
    cex = v.counterexample
    assert 2 * int(cex["m"]) != 2 * int(cex["n"]) + 1


def test_right_steps_over_two_sizes_are_never_refuted():
    c, n, m, i, j, x, y = _two()
    right = [
        (sp.Sum(2, (i, 1, m)), 2 * m),
        (sp.Sum(x[i], (i, 1, m)) + sp.Sum(y[j], (j, 1, n)), sp.Sum(y[j], (j, 1, n)) + sp.Sum(x[i], (i, 1, m))),
        (sp.Sum(sp.Sum(x[i] * y[j], (i, 1, m)), (j, 1, n)), sp.Sum(x[i], (i, 1, m)) * sp.Sum(y[j], (j, 1, n))),
    ]
    for lhs, rhs in right:
        assert decide_step(Problem(lhs, rhs, "=", c)).status in (PROVED, CHECKED)


NOTE = r"""
# Counting over data and classes

We have $n$ data points $x_1, \dots, x_n$ and $m$ classes. Each class gets two votes, so the number of
votes is

$$
\sum_{k=1}^{m} 2 = 2m
$$

and a careless line writes it with the other size:

$$
\sum_{k=1}^{m} 2 = 2n
$$
"""


def test_in_a_note_the_two_sizes_keep_right_and_suspect_apart():
    steps = [s for b in check_text(NOTE, "votes.md", jobs=1).blocks for s in b.steps if s.kind == "claim"]
    by_rhs = {s.rhs.strip(): s for s in steps}
    assert by_rhs["2m"].status == PROVED
    assert by_rhs["2n"].status == UNKNOWN and "one size" in by_rhs["2n"].message
