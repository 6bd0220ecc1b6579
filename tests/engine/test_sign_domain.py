"""A symbol of the finite domain {-1, +1} (a label y in {-1, +1}): sampled at both signs, proved by
cases, and a step that holds only for y = 1 (or only for y in {0, 1}) is refuted."""
from __future__ import annotations

import sympy as sp

from verifier.engine.decide import decide
from verifier.engine.problem import Problem
from verifier.model.chain import Derivation
from verifier.model.domains import SIGN, domain
from verifier.model.results import CHECKED, PROVED, REFUTED


def _ctx():
    D = Derivation("perceptron margin", "y in {-1, +1}")
    y = D.symbol("y", "sign")
    eta = D.symbol("eta", "positive")
    x, w, b = D.symbols("x w b", "real")
    return D, y, eta, x, w, b


def test_the_sign_domain():
    assert domain("sign") is SIGN and SIGN.finite_values == (-1, 1)


def test_y_squared_is_one_right_and_wrong():
    D, y, eta, x, w, b = _ctx()
    m = y * (w * x + b)
    right = decide(Problem(m + eta * y ** 2 * (x ** 2 + 1), m + eta * (x ** 2 + 1), "=", D.context))
    assert right.status == PROVED
    assert decide(Problem(m + eta * y * (x ** 2 + 1), m + eta * (x ** 2 + 1), "=", D.context)).status == REFUTED
    assert decide(Problem(y ** 3, y, "=", D.context)).status in (PROVED, CHECKED)
    assert decide(Problem(y ** 2, y, "=", D.context)).status == REFUTED  # true on {0, 1}, not on {-1, +1}
    assert decide(Problem((1 + y) / 2 * (1 - y) / 2, sp.Integer(0), "=", D.context)).status == PROVED


def test_margin_grows_with_a_positive_rate():
    D, y, eta, x, w, b = _ctx()
    m = y * (w * x + b)
    assert decide(Problem(m + eta * (x ** 2 + 1), m, ">", D.context)).status == PROVED
    assert decide(Problem(m - eta * (x ** 2 + 1), m, ">", D.context)).status == REFUTED
