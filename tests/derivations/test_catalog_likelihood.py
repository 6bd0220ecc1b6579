"""Likelihood, worked examples and squashing functions of the catalog: every step proved;
each occurrence cites a heading of its seed; broken copies are refuted at the broken step with
a counterexample that this test re-evaluates with SymPy, and the earlier steps stay proved."""
from __future__ import annotations

import re

import pytest
import sympy as sp
from sympy import Derivative, Lambda, Limit, Rational, Sum, exp, log, oo

from derivations import (
    bernoulli_cases,
    coin,
    empirical,
    info_examples,
    least_squares,
    sigmoid_bound,
    squashing,
    two_class,
)
from verifier.engine.decide import decide, verify_derivation
from verifier.engine.expand import unfold
from verifier.engine.problem import Problem
from verifier.model.catalog import occurrence_key
from verifier.model.chain import Derivation, Source
from verifier.model.results import PROVED, REFUTED

MODULES = [bernoulli_cases, two_class, coin, info_examples, squashing, empirical, least_squares, sigmoid_bound]
FACTORIES = [f for m in MODULES for f in m.DERIVATIONS]
EXPECTED = {
    "bernoulli-pmf-cases": {"001", "002"}, "binary-ce-from-two-class": {"001", "002"},
    "bce-two-routes-agree": {"001", "002"}, "least-squares-objective": {"002"}, "coin-likelihood": {"002"},
    "coin-model-comparison": {"002"}, "info-content-examples": {"002"}, "sigmoid-tanh-range": {"002"},
    "softmax-sums-to-one": {"002"}, "softmax-range": {"002"}, "mle-argmax-substitution": {"003"},
    "kl-empirical-mle": {"003"}, "ce-drop-entropy": {"003"}, "sigmoid-derivative-bound": {"004"},
}
T = sp.Symbol("t", real=True)
SIGMA = Lambda(T, 1 / (1 + exp(-T)))


@pytest.mark.parametrize("make", FACTORIES, ids=lambda f: f"{f.__module__.split('.')[-1]}.{f.__name__}")
def test_derivation_is_proved(make):
    r = verify_derivation(make())
    assert r.steps
    bad = [(s.index, s.chain, s.status, s.message) for s in r.steps if s.status != PROVED]
    assert not bad


def test_every_occurrence_is_encoded_once():
    found: dict[str, set] = {}
    for make in FACTORIES:
        i, seed = occurrence_key(make()).split("@")
        assert seed not in found.get(i, set()), f"{i}@{seed} twice"
        found.setdefault(i, set()).add(seed)
    assert found == EXPECTED


@pytest.mark.parametrize("make", FACTORIES, ids=lambda f: f.__name__)
def test_cited_section_is_in_the_seed(make, seeds_dir):
    d = make()
    text = (seeds_dir / d.source.file).read_text(encoding="utf-8")
    heading = d.source.section.lstrip("#").strip()
    assert heading in [ln.strip().lstrip("#").strip() for ln in text.splitlines()]


# ----------------------------------------------------------------------------------------
# re-evaluating counterexamples (SymPy at 50 digits, not the engine's numeric code)
# ----------------------------------------------------------------------------------------
def _assignment(ctx, cex: dict) -> tuple[dict, dict]:
    sizes = {s: int(cex[s.name]) for s in ctx.sizes if s.name in cex}
    bases = {str(b.label): b for b in ctx.vectors}
    named = {s.name: s for s in list(ctx.scalars) + list(ctx.indices)}
    values = {}
    for key, text in cex.items():
        m = re.fullmatch(r"(\w+)\[(\d+)\]", key)
        if m and m.group(1) in bases:
            values[bases[m.group(1)][int(m.group(2))]] = sp.Float(text, 50)
        elif key in named:
            s = named[key]
            values[s] = sp.Integer(int(float(text))) if s.is_integer else sp.Float(text, 50)
    return sizes, values


def _value(expr, ctx, sizes: dict, values: dict) -> sp.Float:
    e = unfold(expr, ctx.definitions).xreplace({s: sp.Integer(v) for s, v in sizes.items()})
    e = e.replace(lambda x: isinstance(x, (sp.Sum, sp.Product, sp.Limit, sp.Subs)), lambda x: x.doit())
    ints = {k: v for k, v in values.items() if isinstance(k, sp.Symbol) and k.is_integer}
    e = e.xreplace(ints).xreplace(values)
    v = sp.N(e.doit(), 50)
    assert v.is_number, f"not evaluated: {v}"
    return v


def _holds(rel: str, a, b) -> bool:
    return {"=": lambda: abs(a - b) < 1e-40, "<": lambda: a < b, "<=": lambda: a <= b,
            ">": lambda: a > b, ">=": lambda: a >= b}[rel]()


def _assert_refuted_at(D: Derivation, index: int):
    """Step `index` is refuted with a counterexample that really violates it; earlier steps proved."""
    r = verify_derivation(D)
    assert [s.status for s in r.steps[:index]] == [PROVED] * index
    bad = r.steps[index]
    assert bad.status == REFUTED, (bad.status, bad.message)
    pairs = [(c, a, b) for c in D.chains for a, b in c.pairs()]
    chain, prev, step = pairs[index]
    cex = bad.counterexample
    if step.relation in ("argmin-equivalent", "argmax-equivalent"):
        A = _assignment(D.context, dict(kv.split("=") for kv in cex["candidate A"].split(", ")))
        B = _assignment(D.context, dict(kv.split("=") for kv in cex["candidate B"].split(", ")))
        fa, fb = _value(prev.expr, D.context, *A), _value(prev.expr, D.context, *B)
        ga, gb = _value(step.expr, D.context, *A), _value(step.expr, D.context, *B)
        sense = next(s.sense for s in reversed(chain.steps[: chain.steps.index(step)]) if s.sense)
        flip = sense != step.sense
        assert (fa - fb) * (gb - ga if flip else ga - gb) < 0, "the two candidates do not show the failure"
    else:
        sizes, values = _assignment(D.context, cex)
        lhs, rhs = _value(prev.expr, D.context, sizes, values), _value(step.expr, D.context, sizes, values)
        assert not _holds(step.relation, lhs, rhs), (lhs, rhs)
    return r


# ----------------------------------------------------------------------------------------
# broken copies of the chains
# ----------------------------------------------------------------------------------------
def test_two_class_flipped_sign_is_refuted_at_that_step():
    D = two_class.binary_ce_001()
    y, yhat = sorted(D.context.scalars, key=lambda s: s.name)
    D.chains[0].steps[3].expr = -(1 - y) * log(1 - yhat) + y * log(yhat)
    _assert_refuted_at(D, 2)


def test_two_class_dropped_term_inside_argmin_is_refuted():
    D = two_class.binary_ce_002()
    ys, yh = sorted(D.context.vectors, key=lambda b: str(b.label))
    j = sp.Symbol("j", integer=True, positive=True)
    N = next(iter(D.context.sizes))
    D.chains[1].steps[2].expr = -Sum(ys[j] * log(yh[j]), (j, 1, N))  # (1 - y) log(1 - yhat) dropped
    _assert_refuted_at(D, 3)


def test_base_change_with_the_wrong_constant_is_refuted():
    D = two_class.binary_ce_002()
    ys, yh = sorted(D.context.vectors, key=lambda b: str(b.label))
    j = sp.Symbol("j", integer=True, positive=True)
    N = next(iter(D.context.sizes))
    # ln 2 on one term only: not a positive scaling of the whole objective
    D.chains[1].steps[2].expr = -Sum(ys[j] * log(yh[j]) + (1 - ys[j]) * log(1 - yh[j]) / log(2), (j, 1, N))
    _assert_refuted_at(D, 3)


def test_coin_wrong_exponent_and_wrong_value_are_refuted():
    D = coin.coin_likelihood()
    D.chains[0].steps[2].expr = Rational("0.1") * sp.Pow(Rational("0.9"), 8, evaluate=False)
    r = verify_derivation(D)
    assert [s.status for s in r.steps] == [PROVED, REFUTED, REFUTED]
    D = coin.coin_likelihood()
    D.chains[0].steps[3].expr = Rational("0.0387420490")  # off by 1e-10
    _assert_refuted_at(D, 2)


def test_coin_reversed_order_is_refuted():
    D = coin.coin_model_comparison()
    L = next(k for k in D.context.definitions if isinstance(k, sp.FunctionClass))
    c = D.chains[0]
    c.steps[1].relation = "<"  # L(0.1) < L(0.2) is false
    _assert_refuted_at(D, 0)
    D = coin.coin_model_comparison()
    theta = next(iter(D.context.scalars))
    D.chains[2].steps[1].expr = L(Rational(1, 5))  # theta = 1/5 is not the maximiser
    _assert_refuted_at(D, 3)


def test_info_content_wrong_value_and_wrong_base_are_refuted():
    D = info_examples.info_content_examples()
    D.chains[0].steps[2].expr = sp.Add(4, 0, evaluate=False)
    _assert_refuted_at(D, 1)
    D = info_examples.info_content_examples()
    D.chains[0].steps[1].expr = -log(Rational(1, 8)) / log(3) - (-log(1) / log(3))  # log_3, not log_2
    _assert_refuted_at(D, 0)


def _decide(D: Derivation, start, relation: str, end):
    return decide(Problem(start, end, relation, D.context))


def test_wrong_limits_are_refuted():
    D = Derivation("t", "wrong limits", Source("x", "y"))
    z = D.symbol("z", "real")
    sigma = sp.Function("sigma")
    D.define(sigma, SIGMA)
    for start, end in [(Limit(sigma(z), z, oo), 0), (Limit(sigma(z), z, -oo), 1), (Limit(sp.tanh(z), z, -oo), 0),
                       (Limit(Derivative(sigma(z), z), z, oo), Rational(1, 4))]:
        v = _decide(D, start, "=", sp.sympify(end))
        assert v.status == REFUTED, (start, v.status, v.message)
        assert sp.N(unfold(start, D.context.definitions).doit() - end) != 0


def test_wrong_bounds_are_refuted_with_a_real_counterexample():
    D = sigmoid_bound.sigmoid_derivative_bound()
    D.chains[0].steps[2].expr = Rational(1, 5)  # sigma'(0) = 1/4 > 1/5
    _assert_refuted_at(D, 1)
    D = squashing.sigmoid_tanh_range()
    D.chains[4].steps[2].expr = Rational(1, 2)  # tanh z < 1/2 fails for large z
    r = verify_derivation(D)
    assert r.steps[6].status == REFUTED and r.steps[5].status == PROVED


def test_softmax_range_claims_that_are_false_are_not_proved():
    D = squashing.softmax_range()
    D.chains[0].steps[1].relation = ">="  # 0 >= softmax_j: false
    _assert_refuted_at(D, 0)
    # with n >= 1 only, softmax_j < 1 fails at n = 1 (the sign of sums needs n >= 2)
    D = squashing.softmax_range()
    n = next(iter(D.context.sizes))
    D.context.sizes[n] = 1
    r = verify_derivation(D)
    assert r.steps[1].status == REFUTED
    assert r.steps[1].counterexample["n"] == "1"


def test_sigmoid_bound_reversed_inequality_is_refuted():
    D = sigmoid_bound.sigmoid_derivative_bound()
    D.chains[0].steps[1].relation = ">"  # 0 > sigma'(z)
    _assert_refuted_at(D, 0)


def test_softmax_sum_with_a_dropped_term_is_refuted():
    D = squashing.softmax_sums_to_one()
    x1, x2, x3 = sorted(D.context.scalars, key=lambda s: s.name)
    den = exp(x1) + exp(x2) + exp(x3)
    D.chains[0].steps[1].expr = sp.Mul(exp(x1) + exp(x2), sp.Pow(den, -1), evaluate=False)
    _assert_refuted_at(D, 0)


def test_least_squares_dropped_target_is_refuted():
    D = least_squares.least_squares_objective()
    x, y = sorted(D.context.vectors, key=lambda b: str(b.label))
    i = next(iter(D.context.indices))
    n = next(iter(D.context.sizes))
    D.chains[0].steps[1].expr = Sum(x[i] ** 2, (i, 1, n)) / n  # the target-dependent term dropped
    _assert_refuted_at(D, 0)


def test_bernoulli_cases_wrong_case_is_refuted():
    D = bernoulli_cases.seed001()
    y, yhat = sorted(D.context.scalars, key=lambda s: s.name)
    D.chains[0].steps[1].expr = sp.Piecewise((1 - yhat, sp.Eq(y, 1)), (yhat, True))  # cases swapped
    r = verify_derivation(D)
    assert r.steps[0].status == REFUTED
    cex = r.steps[0].counterexample
    yv, pv = sp.Integer(int(cex["y"])), sp.Float(cex["yhat"], 50)
    assert abs((pv ** yv * (1 - pv) ** (1 - yv)) - (1 - pv if yv == 1 else pv)) > 1e-30
