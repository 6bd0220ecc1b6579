"""Infinite series at sample points (engine.series): summed by mpmath under a convergence test,
because SymPy's evalf of a Sum to infinity with Float values is wrong (exp(-x/2)/x! summed to 1)."""
from __future__ import annotations

import pytest
import sympy as sp

from verifier.engine.decide import decide
from verifier.engine.problem import Problem
from verifier.engine.series import NotConvergent, series_value
from verifier.model.chain import Derivation
from verifier.model.results import CHECKED, PROVED, REFUTED

k = sp.Symbol("k", integer=True, nonnegative=True)


def test_a_series_is_summed_where_its_terms_converge():
    v = series_value(sp.Sum(sp.exp(sp.Float("-0.5", 40) * k) / sp.factorial(k), (k, 0, sp.oo)), 30)
    assert abs(v - sp.exp(sp.exp(sp.Rational(-1, 2)))) < sp.Float("1e-28")
    late = series_value(sp.Sum(sp.exp(7 * k) / sp.factorial(k), (k, 0, sp.oo)), 30)  # terms peak near k = 1097
    assert abs(late / sp.exp(sp.exp(7)).evalf(40) - 1) < sp.Float("1e-25")
    assert abs(series_value(sp.Sum(1 / (k + 1) ** 2, (k, 0, sp.oo)), 30) - sp.pi ** 2 / 6) < sp.Float("1e-25")


@pytest.mark.parametrize("body", [1 / (k + 1), (-1) ** k, 2 ** k, sp.Float("1.5", 30) ** k])
def test_a_divergent_series_has_no_value(body):
    with pytest.raises(NotConvergent):  # extrapolation would "sum" 1 - 1 + 1 ... to 1/2 and 1 + 2 + 4 ... to -1
        series_value(sp.Sum(body, (k, 0, sp.oo)), 30)


def _problem(lhs, rhs, D):
    return decide(Problem(lhs, rhs, "=", D.context))


def test_exponential_series_right_and_wrong():
    D = Derivation("poisson normaliser", "eta real")
    eta = D.symbol("eta", "real")
    x = sp.Symbol("x", integer=True, nonnegative=True)
    S = sp.Sum(sp.exp(eta * x) / sp.factorial(x), (x, 0, sp.oo))
    assert _problem(sp.log(S), sp.exp(eta), D).status in (PROVED, CHECKED)  # was refuted: lhs = 0 at eta = -1/2
    assert _problem(sp.log(S), 2 * sp.exp(eta), D).status == REFUTED
    assert _problem(sp.log(S), sp.exp(eta) + sp.Rational(1, 10 ** 6), D).status == REFUTED
    shifted = sp.Sum(sp.exp(eta * (x + 1)) / sp.factorial(x + 1), (x, 0, sp.oo))  # the same series from 1
    assert _problem(sp.log(shifted + 1), sp.exp(eta), D).status in (PROVED, CHECKED)


def test_geometric_series_inside_its_domain():
    D = Derivation("discounted return", "0 < gamma < 1")
    g = D.symbol("gamma", "unit")
    r = D.symbol("r", "real")
    S = sp.Sum(g ** k * r, (k, 0, sp.oo))
    assert _problem(S, r / (1 - g), D).status in (PROVED, CHECKED)
    assert _problem(S, r / (1 + g), D).status == REFUTED
    assert _problem(sp.Sum(k * g ** k, (k, 0, sp.oo)), g / (1 - g) ** 2, D).status in (PROVED, CHECKED)
    assert _problem(sp.Sum(k * g ** k, (k, 0, sp.oo)), g / (1 - g), D).status == REFUTED
