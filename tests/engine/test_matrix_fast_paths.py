"""The faster paths of the matrix engine (issue 12), in both directions: the entry of a product with
an inner size 1 (a column times a row) without SymPy's deep doit, the cheap zero tests of a range
group before simplify, real entry symbols for gradients, and the optimisation step's memo.  Right
identities (and rewrites of them) stay proved; wrong ones stay refuted, with the counterexample
re-evaluated independently (tests/matrix_values: plain SymPy matrices and mpmath differentiation)."""
from __future__ import annotations

import pytest
import sympy as sp
from sympy import Derivative
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from tests.matrix_values import assert_refuted_independently, names
from verifier.engine.decide import decide
from verifier.engine.matrices.canonical import group_is_zero
from verifier.engine.matrices.index import entry
from verifier.engine.problem import Problem
from verifier.model.chain import ARGMAX, ARGMIN
from verifier.model.context import Context
from verifier.model.results import PROVED, REFUTED


@pytest.fixture()
def ctx():
    c = Context()
    n, d = c.size("n"), c.size("d")
    c.matrix("W", n, d)
    c.vector("u", n)
    c.vector("x", d)
    c.symbol("y", "real")
    return c


def run(c, a, b, relation="="):
    return decide(Problem(a, b, relation, c))


# -- the entry of a column times a row -------------------------------------------------------------
def test_outer_product_entry_is_the_product_of_entries(ctx):
    N = names(ctx)
    u, x = N["u"], N["x"]
    k = sp.Symbol("k_e", integer=True, nonnegative=True)
    l = sp.Symbol("l_e", integer=True, nonnegative=True)
    e = entry(3 * u * x.T, k, l)
    assert not e.has(sp.Sum)  # the sum over the inner size 1 is done
    assert sp.expand(e - 3 * u[k, 0] * x[l, 0]) == 0


def test_outer_product_entry_keeps_symbolic_sums(ctx):
    N = names(ctx)
    W, u, x = N["W"], N["u"], N["x"]
    k = sp.Symbol("k_e", integer=True, nonnegative=True)
    l = sp.Symbol("l_e", integer=True, nonnegative=True)
    e = entry((W * x) * (W.T * u).T, k, l)  # (n x 1)(1 x d): the sums over d and n stay sums
    assert e.has(sp.Sum) and N["d"] in e.free_symbols and N["n"] in e.free_symbols


@pytest.mark.parametrize("rewrite", ["as written", "transposed twice", "scalar moved", "split"])
def test_gradient_as_outer_product_proved(ctx, rewrite):
    N = names(ctx)
    W, u, x, y = N["W"], N["u"], N["x"], N["y"]
    r = (u.T * W * x)[0, 0] - y
    lhs = Derivative(r ** 2 / 2, W)
    rhs = {"as written": r * (u * x.T),
           "transposed twice": r * (x * u.T).T,
           "scalar moved": u * (r * x.T),
           "split": (u.T * W * x)[0, 0] * u * x.T - y * u * x.T}[rewrite]
    v = run(ctx, lhs, rhs)
    assert v.status == PROVED and "index form" in v.method, (v.status, v.method, v.message)


@pytest.mark.parametrize("wrong", ["factor 2", "sign", "y dropped"])
def test_wrong_gradient_as_outer_product_refuted(ctx, wrong):
    N = names(ctx)
    W, u, x, y = N["W"], N["u"], N["x"], N["y"]
    r = (u.T * W * x)[0, 0] - y
    lhs = Derivative(r ** 2 / 2, W)
    rhs = {"factor 2": 2 * r * (u * x.T),
           "sign": -r * (u * x.T),
           "y dropped": (u.T * W * x)[0, 0] * (u * x.T)}[wrong]
    assert_refuted_independently(ctx, lhs, rhs, run(ctx, lhs, rhs))


def test_sigmoid_gradient_right_and_wrong(ctx):
    N = names(ctx)
    W, u, x = N["W"], N["u"], N["x"]
    t = sp.Symbol("t")
    sig = sp.Lambda(t, 1 / (1 + sp.exp(-t)))
    s = ElementwiseApplyFunction(sig, W * x)
    lhs = Derivative((u.T * s)[0, 0], W)
    right = sp.HadamardProduct(u, s, sp.OneMatrix(N["n"], 1) - s) * x.T
    assert run(ctx, lhs, right).status == PROVED
    wrong = sp.HadamardProduct(u, s) * x.T  # the derivative of the sigmoid dropped
    assert_refuted_independently(ctx, lhs, wrong, run(ctx, lhs, wrong))


# -- a range group: cheap tests of both forms before simplify ---------------------------------------
def _group():
    n = sp.Symbol("n", integer=True, positive=True)
    i, j = sp.symbols("i j", integer=True)
    f, g = sp.Function("f", real=True), sp.Function("g", real=True)
    return ((i, 0, n - 1), (j, 0, n - 1)), i, j, f, g


def test_group_zero_as_written_or_after_relabeling():
    lims, i, j, f, g = _group()
    assert group_is_zero(lims, [f(i) * g(j), -f(i) * g(j)])
    assert group_is_zero(lims, [f(i) * g(j), -f(j) * g(i)])  # zero only averaged over i <-> j
    assert group_is_zero(lims, [sp.sin(f(i)) ** 2 + sp.cos(f(i)) ** 2 - 1])  # needs simplify


def test_group_not_zero_stays_not_zero():
    lims, i, j, f, g = _group()
    assert not group_is_zero(lims, [f(i) * g(j), -f(i) * g(i)])
    assert not group_is_zero(lims, [sp.sin(f(i)) ** 2 - sp.cos(f(i)) ** 2])
    assert not group_is_zero(((i, 0, 4),), [f(i) - f(i + 1)])  # one index: nothing to average


# -- optimisation: the memo of the dependent parts ----------------------------------------------------
def test_optimisation_log_transform_still_proved_and_wrong_refuted():
    c = Context()
    m = c.symbol("m", "real")
    s = c.symbol("s", "positive")
    F = sp.exp(-(m - 1) ** 2 / s)
    assert decide(Problem(F, -(m - 1) ** 2, ARGMAX, c, over=(m,))).status == PROVED
    assert decide(Problem(F, (m - 1) ** 2, ARGMIN, c, over=(m,), prev_sense="max")).status == PROVED
    wrong = decide(Problem(F, (m - 1) ** 2, ARGMAX, c, over=(m,)))
    assert wrong.status == REFUTED, (wrong.status, wrong.message)


def test_optimisation_affine_step_needs_no_positivity_and_a_reversal_is_refuted():
    c = Context()
    m = c.symbol("m", "real")
    F = (m - 1) ** 2 - 5  # not positive everywhere: only the affine transform applies
    v = decide(Problem(F, 2 * F + 3, ARGMIN, c, over=(m,)))
    assert v.status == PROVED and "log" not in v.method, (v.status, v.method)
    wrong = decide(Problem(F, -2 * F + 3, ARGMIN, c, over=(m,)))  # the order reversed, the sense kept
    assert wrong.status == REFUTED, (wrong.status, wrong.message)
