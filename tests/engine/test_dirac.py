"""Dirac delta integrals: sifting and a finite sum leaving the integral are proved; a wrong
point, a point outside the interval, a missing 1/|k| and a delta inside a log are never proved."""
from __future__ import annotations

import sympy as sp
from sympy import DiracDelta, Integral, Sum, log, oo

from verifier.engine.decide import decide
from verifier.engine.evidence import numeric_relation
from verifier.engine.normal import normal_form
from verifier.engine.problem import Problem
from verifier.engine.rules.dirac import sift_integral
from verifier.model.chain import Derivation
from verifier.model.results import PROVED, REFUTED, UNKNOWN

y = sp.Symbol("y")


def _ctx():
    D = Derivation("dirac", "test")
    n = D.size("I")
    i = D.index("i", n)
    j = D.index("j", n)
    ys = D.vector("y", "real")
    c = D.symbol("c", "real")
    g = D.function("g", "real", nargs=1)
    return D, n, i, j, ys, c, g


def _decide(D, a, b, rel="="):
    return decide(Problem(a, b, rel, D.context))


def test_sifting_over_the_real_line_is_proved():
    D, n, i, j, ys, c, g = _ctx()
    v = _decide(D, Integral(DiracDelta(y - c) * g(y), (y, -oo, oo)), g(c))
    assert v.status == PROVED and "normal form" in v.method


def test_sum_leaves_the_integral_and_sifts_each_term():
    D, n, i, j, ys, c, g = _ctx()
    q = Sum(DiracDelta(y - ys[i]), (i, 1, n)) / n
    v = _decide(D, -Integral(q * log(sp.exp(g(y)) + 1), (y, -oo, oo)), -Sum(log(sp.exp(g(ys[i])) + 1), (i, 1, n)) / n)
    assert v.status == PROVED


def test_concrete_functions_give_numeric_evidence_from_sympy_integration():
    D, n, i, j, ys, c, g = _ctx()
    q = Sum(DiracDelta(y - ys[i]), (i, 1, n)) / n
    lhs, rhs = Integral(q * (y**2 + sp.sin(y)), (y, -oo, oo)), Sum(ys[i] ** 2 + sp.sin(ys[i]), (i, 1, n)) / n
    assert _decide(D, lhs, rhs).status == PROVED  # by the normal form, before any sampling
    num = numeric_relation(lhs, rhs, "=", D.context, seed=1)
    assert num.kind == "agree" and "agrees" in num.message


def test_sifting_to_the_wrong_point_is_refuted():
    D, n, i, j, ys, c, g = _ctx()
    q = Sum(DiracDelta(y - ys[i]), (i, 1, n))
    lhs = Integral(q * (y**2 + y), (y, -oo, oo))
    for wrong in (Sum(ys[j] ** 2 + ys[j], (i, 1, n)),            # g(y_j): another sample
                  Sum(ys[i] ** 2 - ys[i], (i, 1, n))):           # g(-y_i)
        v = _decide(D, lhs, wrong)
        assert v.status == REFUTED, (wrong, v.status, v.message)
        cex = v.counterexample
        assert cex and "lhs" in cex and "rhs" in cex and cex["lhs"] != cex["rhs"]
    # with an unknown function the rewrite does not make the wrong point equal either
    wrong = Integral(DiracDelta(y - c) * g(y), (y, -oo, oo)) - g(-c)
    assert normal_form(wrong, D.context) != 0
    assert _decide(D, Integral(DiracDelta(y - c) * g(y), (y, -oo, oo)), g(-c)).status != PROVED


def test_point_outside_the_interval_is_not_sifted():
    e = Integral(DiracDelta(y - 3) * y**2, (y, 0, 2))
    assert sift_integral(e) == e
    D, *_ = _ctx()
    v = _decide(D, e, sp.Integer(9))
    assert v.status == REFUTED  # SymPy integrates it to 0


def test_symbolic_point_with_unknown_position_is_not_sifted():
    D, n, i, j, ys, c, g = _ctx()
    e = Integral(DiracDelta(y - c) * g(y), (y, 0, 1))  # c may lie outside (0, 1)
    assert sift_integral(e) == e
    assert _decide(D, e, g(c)).status != PROVED


def test_scaled_delta_needs_its_factor():
    D, n, i, j, ys, c, g = _ctx()
    lhs = Integral(DiracDelta(2 * y - c) * (y**2 + 1), (y, -oo, oo))
    assert sift_integral(lhs) == ((c / 2) ** 2 + 1) / 2
    assert _decide(D, lhs, ((c / 2) ** 2 + 1) / 2).status == PROVED
    v = _decide(D, lhs, (c / 2) ** 2 + 1)  # the 1/|k| dropped
    assert v.status == REFUTED


def test_delta_inside_a_log_is_left_alone_and_has_no_value():
    D, n, i, j, ys, c, g = _ctx()
    q = Sum(DiracDelta(y - ys[i]), (i, 1, n)) / n
    e = Integral(q * log(q), (y, -oo, oo))
    assert sift_integral(e) == e
    v = _decide(D, e, Sum(log(Sum(DiracDelta(ys[j] - ys[i]), (i, 1, n)) / n), (j, 1, n)) / n)
    assert v.status == UNKNOWN


def test_integral_without_a_delta_is_not_split():
    D, n, i, j, ys, c, g = _ctx()
    e = Integral(Sum(g(y) * ys[i], (i, 1, n)), (y, -oo, oo))
    assert sift_integral(e) == e
