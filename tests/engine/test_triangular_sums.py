"""Swapped triangular double sums (c13): the right exchange of the order of summation is never
refuted, one with wrong limits is refuted (it was `checked` once: a false accept)."""
from __future__ import annotations

import sympy as sp
from sympy import Sum

from verifier.engine.decide import decide
from verifier.engine.problem import Problem
from verifier.model.chain import Derivation
from verifier.model.results import CHECKED, PROVED, REFUTED


def _setup():
    D = Derivation("triangular", "sums")
    n = D.size("n")
    i = sp.Symbol("i", integer=True, positive=True)
    j = sp.Symbol("j", integer=True, positive=True)
    a = sp.IndexedBase("a", real=True)
    D.context.vector("a", "real")
    x = D.vector("x", "real")
    return D, n, i, j, a, x


def test_exchange_of_a_triangular_sum():
    D, n, i, j, a, x = _setup()
    lhs = Sum(a[i, j], (j, 1, i), (i, 1, n))
    right = Sum(a[i, j], (i, j, n), (j, 1, n))
    wrong = Sum(a[i, j], (i, 1, j), (j, 1, n))  # c13 line 120: the inner limits of the other triangle
    assert decide(Problem(lhs, right, "=", D.context)).status in (PROVED, CHECKED)
    assert decide(Problem(lhs, wrong, "=", D.context)).status == REFUTED
    off_by_one = Sum(a[i, j], (i, j + 1, n), (j, 1, n))
    assert decide(Problem(lhs, off_by_one, "=", D.context)).status == REFUTED


def test_symmetric_square_sum_as_twice_a_triangle():
    D, n, i, j, a, x = _setup()
    full = Sum((x[i] - x[j]) ** 2, (j, 1, n), (i, 1, n))
    tri = 2 * Sum((x[i] - x[j]) ** 2, (j, 1, i), (i, 1, n))  # the diagonal terms are 0: right
    assert decide(Problem(full, tri, "=", D.context)).status in (PROVED, CHECKED)
    tri_wrong = 2 * Sum(x[i] * x[j], (j, 1, i), (i, 1, n))  # x_i x_j: the diagonal counts twice
    assert decide(Problem(Sum(x[i] * x[j], (j, 1, n), (i, 1, n)), tri_wrong, "=", D.context)).status == REFUTED
    count = Sum(1, (j, 1, i - 1), (i, 1, n))
    assert decide(Problem(count, n * (n - 1) / 2, "=", D.context)).status in (PROVED, CHECKED)
    assert decide(Problem(count, n * (n + 1) / 2, "=", D.context)).status == REFUTED
