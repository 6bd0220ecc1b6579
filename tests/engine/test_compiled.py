"""Compiled evaluation (engine/compiled.py): the value of the compiled form is the value of the
expression, whatever its leaves and functions are called."""
from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from verifier.engine.compiled import NotNumeric, compiled
from verifier.engine.numeric import Point

x = sp.Symbol("x")
x_pos = sp.Symbol("x", positive=True)  # prints as x too: a different leaf
exp_name = sp.Symbol("exp")  # a symbol called like a function
X = sp.IndexedBase("X")
Q = sp.Function("Q_n-1")  # a note's function name that is no Python name


def _point():
    values = {x: mpmath.mpf(1), x_pos: mpmath.mpf(2), exp_name: mpmath.mpf(0),
              X[1]: mpmath.mpf(3), X[2]: mpmath.mpf(4)}
    return Point(values, {}, {})


@pytest.mark.parametrize("expr", [
    x + 2 * x_pos,
    sp.exp(exp_name) + exp_name,
    X[1] * X[2] + sp.KroneckerDelta(X[1], 3),
    sp.log(X[2]) * sp.exp(x) / (1 + x_pos),
    sp.Abs(x - X[2]) + sp.sqrt(x_pos),
])
def test_the_compiled_value_is_the_expression_s_value(expr):
    point = _point()
    subs = dict(point.values)
    exact = sp.N(expr.xreplace({k: sp.Integer(int(v)) for k, v in subs.items()}), 30)
    got = compiled(expr)(point, 30)
    with mpmath.workdps(30):
        assert abs(got - mpmath.mpf(str(exact))) < mpmath.mpf(10) ** -25


def test_a_function_whose_name_is_no_python_name_is_called_by_a_safe_one():
    expr = Q(x) + Q(X[1]) * 2
    got = compiled(expr)(Point(_point().values, {Q: lambda u: u * u}, {}), 30)
    assert got == 1 + 2 * 9


def test_a_missing_value_or_function_is_not_numeric():
    with pytest.raises(NotNumeric):
        compiled(Q(x))(_point(), 30)  # no sample for Q
    with pytest.raises(NotNumeric):
        compiled(sp.Symbol("y") + 1)(_point(), 30)
