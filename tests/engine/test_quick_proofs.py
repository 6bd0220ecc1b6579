"""The quick look: an equation whose sides are alike, or whose difference has the normal form 0, is
proved before any point is sampled; every other step is sampled first, as before, so a wrong step
is still refuted at once, with a counterexample that holds when re-evaluated independently."""
from __future__ import annotations

import sympy as sp

from tests.evaluate import point_from, value_at
from verifier.engine import decide as decide_module
from verifier.engine.decide import decide
from verifier.engine.problem import Problem
from verifier.model.context import Context
from verifier.model.results import CHECKED, PROVED, REFUTED


def _ctx():
    ctx = Context()
    x, y = ctx.symbol("x"), ctx.symbol("y", "positive")
    n = ctx.size("n")
    i = ctx.index("i", n)
    w = ctx.vector("w", "real")
    return ctx, x, y, n, i, w


def _sampling_spy(monkeypatch) -> list:
    calls: list = []
    real = decide_module.numeric_relation

    def spy(*args, **kwargs):
        calls.append(args[:2])
        return real(*args, **kwargs)

    monkeypatch.setattr(decide_module, "numeric_relation", spy)
    return calls


def test_right_rewrites_are_proved_without_sampling(monkeypatch):
    ctx, x, y, n, i, w = _ctx()
    calls = _sampling_spy(monkeypatch)
    rewrites = [
        ((x + 1) ** 2, x**2 + 2 * x + 1),                               # expanded
        (sp.log(y**3), 3 * sp.log(y)),                                   # a log of a positive power
        (sp.Sum(2 * w[i] + x, (i, 1, n)), 2 * sp.Sum(w[i], (i, 1, n)) + n * x),  # a sum split
        (1 / (1 + sp.exp(-x)), sp.exp(x) / (1 + sp.exp(x))),             # the sigmoid two ways
    ]
    for a, b in rewrites:
        v = decide(Problem(a, b, "=", ctx))
        assert v.status == PROVED, (a, b, v.status, v.message)
    assert calls == []


def test_wrong_steps_are_sampled_and_refuted(monkeypatch):
    ctx, x, y, n, i, w = _ctx()
    calls = _sampling_spy(monkeypatch)
    wrong = [
        ((x + 1) ** 2, x**2 + 1),                                        # the cross term dropped
        (sp.log(y**3), sp.log(3 * y)),                                    # the power taken inside
        (sp.Sum(2 * w[i] + x, (i, 1, n)), 2 * sp.Sum(w[i], (i, 1, n)) + x),  # x not counted n times
        (1 / (1 + sp.exp(-x)), 1 / (1 + sp.exp(x))),                      # the sign of the exponent
    ]
    for a, b in wrong:
        v = decide(Problem(a, b, "=", ctx))
        assert v.status == REFUTED, (a, b, v.status, v.message)
        sizes, values = point_from(ctx, v.counterexample)
        assert abs(value_at(a, ctx, sizes, values) - value_at(b, ctx, sizes, values)) > 1e-10
    assert len(calls) == len(wrong)  # each was sampled (the first look), none was "proved" first


def test_steps_the_quick_look_cannot_settle_go_the_usual_way(monkeypatch):
    ctx, x, y, n, i, w = _ctx()
    calls = _sampling_spy(monkeypatch)
    v = decide(Problem(sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1), "=", ctx))  # needs simplify
    assert v.status == PROVED and "simplify" in v.method
    v = decide(Problem(x**2, sp.Integer(1), ">=", ctx))  # an order (a wrong one): never the quick look
    assert v.status == REFUTED
    assert len(calls) == 2


def test_a_failing_quick_look_is_no_verdict(monkeypatch):
    ctx, x, y, n, i, w = _ctx()

    def broken(*args, **kwargs):
        raise ZeroDivisionError("inside the normal form")

    monkeypatch.setattr("verifier.engine.proofs.normal_form", broken)
    v = decide(Problem((x + 1) ** 2, x**2 + 1, "=", ctx))  # the quick look fails; sampling refutes
    assert v.status == REFUTED
    v = decide(Problem((x + 1) ** 2, x**2 + 2 * x + 1, "=", ctx))  # no normal form: not proved by it
    assert v.status in (PROVED, CHECKED) and v.method != "normal form"


def _posterior_ctx():
    ctx = Context()
    K = ctx.size("K")
    k, j = ctx.index("k", K), ctx.index("j", K)
    pi, ell = ctx.vector("pi", "positive", over=k), ctx.vector("ell", "positive", over=k)
    return ctx, K, k, j, pi, ell


def test_a_factor_pulled_out_of_a_sum_meets_its_renamed_twin(monkeypatch):
    # sum_k pi_k l_k / sum_j pi_j l_j: the denominator is free of k, and once pulled out it is the numerator
    # under another index name: 1 by the normal form, as are rewrites of it, without a sampled point
    ctx, K, k, j, pi, ell = _posterior_ctx()
    calls = _sampling_spy(monkeypatch)
    evidence = sp.Sum(pi[j] * ell[j], (j, 1, K))
    right = [
        (sp.Sum(pi[k] * ell[k] / evidence, (k, 1, K)), sp.Integer(1)),
        (sp.Sum(3 * ell[k] * pi[k] / evidence, (k, 1, K)), sp.Integer(3)),
        (sp.Sum(pi[k] * ell[k] / evidence, (k, 1, K)) + sp.Sum(pi[j], (j, 1, K)), 1 + sp.Sum(pi[k], (k, 1, K))),
    ]
    for a, b in right:
        v = decide(Problem(a, b, "=", ctx))
        assert v.status == PROVED and v.method == "normal form", (a, b, v)
    assert calls == []


def test_sums_that_only_look_alike_are_not_one_sum():
    ctx, K, k, j, pi, ell = _posterior_ctx()
    wrong = [
        (sp.Sum(pi[k] * ell[k] / sp.Sum(pi[j], (j, 1, K)), (k, 1, K)), sp.Integer(1)),        # another summand
        (sp.Sum(pi[k] * ell[k] / sp.Sum(pi[j] * ell[j], (j, 1, K - 1)), (k, 1, K)), sp.Integer(1)),  # another range
        (sp.Sum(pi[k] * ell[k] ** 2 / sp.Sum(pi[j] * ell[j], (j, 1, K)), (k, 1, K)), sp.Integer(1)),  # ell_k twice
    ]
    for a, b in wrong:
        v = decide(Problem(a, b, "=", ctx))
        assert v.status == REFUTED, (a, b, v)
        sizes, values = point_from(ctx, v.counterexample)
        assert abs(value_at(a, ctx, sizes, values) - value_at(b, ctx, sizes, values)) > 1e-10
