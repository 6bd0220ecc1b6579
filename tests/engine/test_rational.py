"""The rational-function test of engine/rational.py: it proves only true identities (a failure
proves nothing), and the engine's verdicts through it stay right in both directions."""
from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from verifier.engine.rational import exponentials_as_symbols, is_rational_zero

x, y, w, b = sp.symbols("x y w b", real=True)
t = sp.Symbol("t")  # no assumption: possibly complex
sig = 1 / (1 + sp.exp(-x))
softmax1 = sp.exp(x) / (sp.exp(x) + sp.exp(y))

TRUE = [
    sp.diff(sig, x) - sig * (1 - sig),
    sp.diff(sp.log(1 + sp.exp(w * x + b)), w) - x / (1 + sp.exp(-(w * x + b))),
    softmax1 + sp.exp(y) / (sp.exp(x) + sp.exp(y)) - 1,
    sp.diff(softmax1, x) - softmax1 * (1 - softmax1),
    sp.exp(x + y) - sp.exp(x) * sp.exp(y),
    sp.sqrt(sp.exp(x)) - sp.exp(x / 2),  # x real
    (x**2 - 1) / (x - 1) - (x + 1),
    sp.tanh(x).rewrite(sp.exp) - (2 * sig.subs(x, 2 * x) - 1),
]
FALSE = [
    sp.diff(sig, x) - sig * (1 + sig),
    sp.diff(sig, x) - sig,
    softmax1 - sp.exp(x) / (sp.exp(x) + sp.exp(2 * y)),
    sp.exp(x + y) - sp.exp(x) + sp.exp(y),
    sp.sqrt(sp.exp(t)) - sp.exp(t / 2),  # false for complex t (t = 2 pi i: -1 vs 1... or 1 vs -1)
    (x**2 - 1) / (x - 1) - (x - 1),
    sig - 1 / (1 + sp.exp(x)),
]


@pytest.mark.parametrize("expr", TRUE, ids=range(len(TRUE)))
def test_true_identities_are_seen(expr):
    assert is_rational_zero(expr)


@pytest.mark.parametrize("expr", FALSE, ids=range(len(FALSE)))
def test_false_identities_are_never_zero(expr):
    assert not is_rational_zero(expr)
    # and they really are false: a point where the expression is not 0
    point = {x: sp.Rational(3, 7), y: sp.Rational(-5, 3), t: sp.I * sp.pi * 2}
    assert abs(complex(sp.N(expr.subs(point), 30))) > 1e-10


def test_a_fractional_power_of_a_possibly_complex_exponential_is_its_own_atom():
    e = exponentials_as_symbols(sp.exp(t / 2) + sp.exp(t))
    assert len(e.free_symbols) == 2  # exp(t/2) and exp(t) stand for two unrelated symbols
    e = exponentials_as_symbols(sp.exp(x / 2) + sp.exp(x))
    assert len(e.free_symbols) == 1  # for real x: E and E^(1/2)


def test_sums_and_derivatives_are_left_to_the_other_strategies():
    k, n = sp.symbols("k n", integer=True, positive=True)
    assert not is_rational_zero(sp.Sum(k, (k, 1, n)) - n * (n + 1) / 2)


def test_the_engine_proves_through_it_and_still_refutes_the_wrong_copy():
    from verifier.engine.decide import decide_step
    from verifier.engine.problem import Problem
    from verifier.model.context import Context
    from verifier.model.results import PROVED, REFUTED

    ctx = Context()
    z = ctx.symbol("z", "real")
    s = 1 / (1 + sp.exp(-z))
    good = decide_step(Problem(sp.diff(s, z), s * (1 - s), "=", ctx))
    assert good.status == PROVED and "rational function" in good.method, (good.status, good.method)
    bad = decide_step(Problem(sp.diff(s, z), s * (1 + s), "=", ctx))
    assert bad.status == REFUTED
    zv = mpmath.mpf(bad.counterexample["z"])  # the counterexample, re-evaluated independently
    sv = 1 / (1 + mpmath.exp(-zv))
    assert abs(sv * (1 - sv) - sv * (1 + sv)) > 1e-6
