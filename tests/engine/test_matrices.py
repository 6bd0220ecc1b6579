"""The matrix engine: shapes, proofs for every size, refutations with concrete matrices that this
test re-evaluates independently, meaning-preserving rewrites never refuted."""
from __future__ import annotations

import pytest
import sympy as sp
from sympy import Derivative, Identity, Inverse, OneMatrix, Trace

from tests.matrix_values import assert_refuted_independently, names
from verifier.engine.decide import decide
from verifier.engine.matrices.canonical import is_zero
from verifier.engine.matrices.index import entry
from verifier.engine.problem import Problem
from verifier.model.context import Context
from verifier.model.results import CHECKED, PROVED, REFUTED, UNKNOWN
from verifier.model.shapes import ShapeError, shape_of


@pytest.fixture()
def ctx():
    c = Context()
    n, d = c.size("n"), c.size("d")
    c.matrix("X", n, d)
    c.vector("w", d)
    c.vector("y", n)
    for name in "ABC":
        c.matrix(name, n, n)
    c.matrix("S", d, d, "spd")
    c.symbol("lambda", "positive")
    return c


def run(c, a, b, relation="="):
    return decide(Problem(a, b, relation, c))


def test_shapes_are_checked(ctx):
    N = names(ctx)
    X, w, y = N["X"], N["w"], N["y"]
    assert str(shape_of(X.T * (X * w - y))) == "dx1"
    with pytest.raises(ShapeError, match="nxd.*nx1"):
        shape_of(X * (X * w - y))


# -- right steps: proved for every size ---------------------------------------------------------
def test_least_squares_gradient_proved(ctx):
    N = names(ctx)
    X, w, y = N["X"], N["w"], N["y"]
    r = X * w - y
    v = run(ctx, Derivative(r.T * r, w), 2 * X.T * r)
    assert v.status == PROVED and "every size" in v.method


@pytest.mark.parametrize("rewrite", ["expanded", "transposed twice", "quadratic written out"])
def test_rewrites_of_right_steps_are_never_refuted(ctx, rewrite):
    N = names(ctx)
    X, w, y = N["X"], N["w"], N["y"]
    r = X * w - y
    lhs = Derivative(r.T * r, w)
    rhs = 2 * X.T * r
    if rewrite == "expanded":
        rhs = 2 * X.T * X * w - 2 * X.T * y
    elif rewrite == "transposed twice":
        rhs = 2 * (r.T * X).T
    else:
        lhs = Derivative(w.T * X.T * X * w - 2 * y.T * X * w + y.T * y, w)
    v = run(ctx, lhs, rhs)
    assert v.status == PROVED, (v.status, v.message)


def test_transpose_of_product_and_trace_cycle_proved(ctx):
    N = names(ctx)
    A, B, C = N["A"], N["B"], N["C"]
    assert run(ctx, (A * B).T, B.T * A.T).status == PROVED
    assert run(ctx, Trace(A * B * C), Trace(C * A * B)).status == PROVED
    assert run(ctx, Trace(A * B * C), Trace(B * C * A)).status == PROVED


def test_quadratic_form_of_symmetric_matrix(ctx):
    N = names(ctx)
    S, w = N["S"], N["w"]
    v = run(ctx, Derivative(w.T * S * w, w), 2 * S * w)
    assert v.status == PROVED, v.message


def test_index_form_is_for_every_size_not_unrolled(ctx):
    N = names(ctx)
    X, w = N["X"], N["w"]
    k = sp.Symbol("k_e", integer=True, nonnegative=True)
    d = N["d"]
    e = entry(Derivative((X * w).T * (X * w), w), k, 0) - entry(2 * X.T * X * w, k, 0)
    assert e.has(sp.Sum) and d in e.free_symbols  # symbolic dimensions, nothing unrolled
    assert is_zero(e, ctx, {k: (0, d - 1)})
    assert not is_zero(e + entry(X.T * X * w, k, 0), ctx, {k: (0, d - 1)})


# -- wrong steps: refuted with concrete matrices --------------------------------------------------
def test_dropped_factor_two_refuted(ctx):
    N = names(ctx)
    X, w, y = N["X"], N["w"], N["y"]
    r = X * w - y
    a, b = Derivative(r.T * r, w), X.T * r
    assert_refuted_independently(ctx, a, b, run(ctx, a, b))


def test_wrong_product_order_refuted(ctx):
    N = names(ctx)
    A, B = N["A"], N["B"]
    a, b = (A * B).T, A.T * B.T
    v = run(ctx, a, b)
    assert_refuted_independently(ctx, a, b, v)
    assert r"\begin{pmatrix}" in v.counterexample["A"]


def test_trace_is_not_invariant_under_swaps(ctx):
    N = names(ctx)
    A, B, C = N["A"], N["B"], N["C"]
    a, b = Trace(A * B * C), Trace(B * A * C)
    assert_refuted_independently(ctx, a, b, run(ctx, a, b))


def test_missing_transpose_reported_with_shapes(ctx):
    N = names(ctx)
    X, w, y = N["X"], N["w"], N["y"]
    r = X * w - y
    a, b = Derivative(r.T * r, w), 2 * X * r
    v = run(ctx, a, b)
    assert "shapes" in v.message and "nxd" in v.message
    assert_refuted_independently(ctx, a, b, v)  # at n = d, where the product fits, it is still wrong


def test_shape_misfit_without_a_fit_is_unknown(ctx):
    N = names(ctx)
    X, w = N["X"], N["w"]
    v = run(ctx, X * w, w)  # n x 1 against d x 1: equal only if n = d, and then X w = w is false
    assert v.status in (REFUTED, UNKNOWN)
    v = run(ctx, w.T, w)  # 1 x d against d x 1
    assert v.status == UNKNOWN and "shape" in v.message


def test_inverse_rule_proved_and_wrong_inverse_refuted(ctx):
    N = names(ctx)
    X, y, lam = N["X"], N["y"], N["lambda"]
    d = N["d"]
    M = X.T * X + lam * Identity(d)
    assert run(ctx, M * (Inverse(M) * X.T * y), X.T * y).status == PROVED
    a, b = Inverse(M) * X.T * y, Inverse(X.T * X) * X.T * y  # the penalty dropped
    v = run(ctx, a, b)
    assert v.status in (REFUTED, UNKNOWN)
    if v.status == REFUTED:
        assert_refuted_independently(ctx, a, b, v)


def test_numeric_only_is_checked_not_proved(ctx):
    N = names(ctx)
    S = N["S"]
    v = run(ctx, sp.Determinant(S * S), sp.Determinant(S) ** 2)  # no index form for det
    assert v.status == CHECKED


def test_sum_of_a_ones_vector(ctx):
    N = names(ctx)
    n, y = N["n"], N["y"]
    one = OneMatrix(n, 1)
    assert run(ctx, (one.T * one)[0, 0], n).status == PROVED
    assert run(ctx, (one.T * one)[0, 0], n + 1).status == REFUTED
