"""Sums and products written out at sampled sizes (engine/unroll.py): the same value as SymPy's
doit, and through the engine a right sum identity is never refuted, a wrong one is."""
from __future__ import annotations

import pytest
import sympy as sp

from verifier.engine.decide import decide_step
from verifier.engine.problem import Problem
from verifier.engine.unroll import interned, unroll, written_out
from verifier.model.context import Context
from verifier.model.results import PROVED, CHECKED, REFUTED

k, j, n = sp.symbols("k j n", integer=True)
x = sp.IndexedBase("x")

CASES = [
    sp.Sum(k, (k, 0, 2)),
    sp.Sum(x[k] * sp.Sum(x[j], (j, 1, k)), (k, 1, n)),  # inner limit depends on the outer index
    sp.Product(x[k], (k, 1, n)),
    sp.Sum(x[k] * x[j], (k, 1, n), (j, 1, 2)),
    sp.Sum(k, (k, 3, 1)),  # SymPy's reversed (Karr) limits: left to doit
    sp.Sum(k**2, (k, 1, 1000)),  # long: left to doit
]


@pytest.mark.parametrize("expr", CASES, ids=range(len(CASES)))
def test_written_out_is_the_sum_s_value(expr):
    got = unroll(expr, {n: 3})
    assert not got.has(sp.Sum, sp.Product)
    want = expr.xreplace({n: 3}).doit()
    assert not want.has(sp.Sum, sp.Product) and sp.expand(got - want) == 0


def test_a_triangular_double_sum_is_written_out_inside_out():
    t = sp.Sum(x[k] * x[j], (k, 1, j), (j, 1, 3))
    assert sp.expand(written_out(t) - sum(x[a] * x[b] for b in range(1, 4) for a in range(1, b + 1))) == 0


def test_equal_entries_become_one_object():
    e = interned(sp.Add(x[1] * x[2], sp.Mul(x[1], 3, evaluate=False), evaluate=False))
    firsts = [a for a in sp.preorder_traversal(e) if a == x[1]]
    assert all(a is firsts[0] for a in firsts)


def _decide(lhs, rhs, ctx):
    return decide_step(Problem(lhs, rhs, "=", ctx))


def test_through_the_engine_both_directions():
    ctx = Context()
    m = ctx.size("m", 2)
    i = ctx.index("i", m)
    v = ctx.vector("v")
    right = _decide(sp.Sum(v[i] + 1, (i, 1, m)), sp.Sum(v[i], (i, 1, m)) + m, ctx)
    assert right.status in (PROVED, CHECKED), right.message
    wrong = _decide(sp.Sum(v[i] + 1, (i, 1, m)), sp.Sum(v[i], (i, 1, m)) + 1, ctx)
    assert wrong.status == REFUTED, wrong.message
