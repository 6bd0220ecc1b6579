"""Vector and matrix derivations of the catalog: every step proved for every size; broken copies
(missing transpose, wrong product order, a dropped factor 2, tr(ABC) = tr(BAC)) refuted at the
broken step with concrete matrices that this test re-evaluates independently (tests/matrix_values)."""
from __future__ import annotations

import pytest
import sympy as sp
from sympy import OneMatrix, Trace
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.hadamard import HadamardProduct

from derivations import linalg, vector_gradients
from tests.matrix_values import assignment, differs, value
from verifier.engine.decide import verify_derivation
from verifier.engine.expand import unfold
from verifier.model.chain import Derivation, Source
from verifier.model.results import PROVED, REFUTED

FACTORIES = linalg.DERIVATIONS + vector_gradients.DERIVATIONS
SEEDS = {"least-squares-vector": "000", "ridge-vector": "002", "logistic-gradient-vector": "004",
         "softmax-ce-gradient-vector": "002", "gaussian-mean-mle-vector": "000", "backprop-two-layer": "004"}


@pytest.mark.parametrize("make", FACTORIES, ids=lambda f: f.__name__)
def test_derivation_is_proved_for_every_size(make):
    r = verify_derivation(make())
    assert r.steps
    bad = [(s.index, s.chain, s.status, s.message) for s in r.steps if s.status != PROVED]
    assert not bad
    assert all("every size" in s.method for s in r.steps)  # never from unrolled sizes alone


@pytest.mark.parametrize("make", FACTORIES, ids=lambda f: f.__name__)
def test_cites_the_seed_it_generalises(make, seeds_dir):
    d = make()
    assert d.source.file.startswith(SEEDS[d.id])
    text = (seeds_dir / d.source.file).read_text(encoding="utf-8")
    heading = d.source.section.lstrip("#").strip()
    assert heading in [ln.strip().lstrip("#").strip() for ln in text.splitlines()]
    assert all(s.why for c in d.chains for s in c.steps[1:])  # every step has its reason


def _refuted_at(D: Derivation, index: int):
    r = verify_derivation(D)
    assert [s.status for s in r.steps[:index]] == [PROVED] * index
    bad = r.steps[index]
    assert bad.status == REFUTED, (bad.status, bad.message)
    pairs = [(a, b) for c in D.chains for a, b in c.pairs()]
    prev, step = pairs[index]
    ctx = D.context
    sizes, mats, scal = assignment(ctx, bad.counterexample)
    lhs = value(unfold(prev.expr, ctx.definitions), ctx, sizes, mats, scal)
    rhs = value(unfold(step.expr, ctx.definitions), ctx, sizes, mats, scal)
    assert differs(lhs, rhs), (lhs, rhs, bad.counterexample)
    return bad


def _matrix(D, name):
    return next(m for m in D.context.matrices if m.name == name)


def test_dropped_factor_two_in_the_quadratic_gradient_is_refuted():
    D = linalg.least_squares_vector()
    X, w, y = _matrix(D, "X"), _matrix(D, "w"), _matrix(D, "y")
    D.chains[1].steps[1].expr = X.T * (X * w - y)  # 2 X^T (Xw - y) without its 2
    _refuted_at(D, 2)


def test_missing_transpose_in_the_gradient_is_refuted_with_shapes():
    D = linalg.ridge_vector()
    X, w, y = _matrix(D, "X"), _matrix(D, "w"), _matrix(D, "y")
    lam = next(s for s in D.context.scalars if s.name == "lambda")
    D.chains[0].steps[1].expr = 2 * X * (X * w - y) + 2 * lam * w
    bad = _refuted_at(D, 0)
    assert "shapes" in bad.message and "nxd" in bad.message


def test_wrong_product_order_in_backprop_is_refuted():
    D = vector_gradients.backprop_two_layer()
    x, W, v = _matrix(D, "x"), _matrix(D, "W"), _matrix(D, "v")
    y = next(s for s in D.context.scalars if s.name == "y")
    h = vector_gradients.sigma_of(W * x)
    m = W.shape[0]
    delta = ((v.T * h)[0, 0] - y) * HadamardProduct(v, h, OneMatrix(m, 1) - h)
    D.chains[1].steps[1].expr = x * delta.T  # d x m instead of m x d; fits only when m = d
    _refuted_at(D, 1)


def test_missing_transpose_in_logistic_gradient_is_refuted():
    D = vector_gradients.logistic_regression_vector()
    X, w, y = _matrix(D, "X"), _matrix(D, "w"), _matrix(D, "y")
    D.chains[0].steps[1].expr = X * (vector_gradients.sigma_of(X * w) - y)
    _refuted_at(D, 0)


def test_trace_of_swapped_product_is_refuted():
    D = Derivation("trace-swap", "tr(ABC) = tr(BAC) (broken)", Source("000_51fe35b09d169904.txt", "## 均方差"))
    n = D.size("n")
    A, B, C = (D.matrix(s, n, n) for s in "ABC")
    c = D.chain(Trace(A * B * C))
    c.eq(Trace(C * A * B), "cyclic")
    c.eq(Trace(B * A * C), "swap (wrong)")
    _refuted_at(D, 1)


def test_softmax_without_the_normalisation_is_refuted():
    D = vector_gradients.softmax_cross_entropy_vector()
    z, y = _matrix(D, "z"), _matrix(D, "y")
    D.chains[1].steps[2].expr = ElementwiseApplyFunction(vector_gradients.EXP, z) - y  # e^z - y
    _refuted_at(D, 2)
