"""Plain facts decided through the engine directly (issue 11, "honest numbers"): sums whose lower
limit is 0, steps between constants decided exactly or at increasing precision, `checked` only
after agreement confirmed at higher precision, optimisation steps whose variables carry
constraints, bound variables never replaced by a definition, internal errors `unknown`."""
from __future__ import annotations

import pytest
import sympy as sp

from verifier.engine import decide as decide_module
from verifier.engine.constants import decide_constant
from verifier.engine.decide import decide_step
from verifier.engine.evidence import undefined_value
from verifier.engine.expand import rebind_indices, replace_free
from verifier.engine.problem import Problem
from verifier.model.chain import ARGMAX, ARGMIN
from verifier.model.context import Context
from verifier.model.results import CHECKED, PROVED, REFUTED, UNKNOWN

R = sp.Rational


def _decide(a, b, ctx=None, relation="=", **kw):
    return decide_step(Problem(sp.sympify(a) if isinstance(a, int) else a,
                               sp.sympify(b) if isinstance(b, int) else b, relation, ctx or Context(), **kw))


# -- sums whose lower limit is 0 -------------------------------------------------------------------
def test_sum_from_zero_with_an_index_declared_from_zero():
    ctx = Context()
    k = ctx.index("k", sp.Integer(2), lo=sp.Integer(0))
    assert not k.is_positive and k.is_nonnegative  # not positive=False, which means k <= 0
    assert _decide(sp.Sum(k, (k, 0, 2)), 3, ctx).status == PROVED
    assert _decide(sp.Sum(k, (k, 0, 2)), 2, ctx).status == REFUTED


def test_an_index_whose_assumptions_contradict_its_range_is_rebound():
    k = sp.Symbol("k", integer=True, positive=False)  # what a range from 0 used to declare: k <= 0
    s = sp.Sum(k, (k, 0, 2))
    assert s.doit() == 0  # SymPy's reading of that symbol
    assert rebind_indices(s).doit() == 3
    assert _decide(s, 3).status == PROVED
    assert _decide(s, 0).status == REFUTED


def test_bernoulli_mean_sum_from_zero():
    ctx = Context()
    p = ctx.symbol("p", "unit")
    x = ctx.index("x", sp.Integer(1), lo=sp.Integer(0))
    s = sp.Sum(x * p**x * (1 - p) ** (1 - x), (x, 0, 1))
    assert _decide(s, p, ctx).status == PROVED
    assert _decide(s, 1 - p, ctx).status == REFUTED


def test_gauss_sum_from_zero_and_its_wrong_twin():
    ctx = Context()
    n = ctx.size("n")
    k = ctx.index("k", n, lo=sp.Integer(0))
    assert _decide(sp.Sum(k, (k, 0, n)), n * (n + 1) / 2, ctx).status == PROVED
    assert _decide(sp.Sum(k, (k, 0, n)), n * (n - 1) / 2, ctx).status == REFUTED


def test_shifted_index_is_proved_and_an_unshifted_one_refuted():
    ctx = Context()
    n = ctx.size("n")
    k = ctx.index("k", n, lo=sp.Integer(0))
    a = ctx.vector("a", "real")
    j = sp.Symbol("k", integer=True, positive=True)
    right = _decide(sp.Sum(a[k + 1], (k, 0, n - 1)), sp.Sum(a[j], (j, 1, n)), ctx)
    assert right.status == PROVED, right.message  # crashed with InconsistentAssumptions before
    assert _decide(sp.Sum(a[k], (k, 0, n - 1)), sp.Sum(a[j], (j, 1, n)), ctx).status == REFUTED


def test_inner_limit_named_like_the_outer_index_is_that_index():
    ctx = Context()
    n = ctx.size("n")
    i_size = ctx.size("i")  # a reader that took the inner upper limit for a size
    a = ctx.vector("a", "real")
    i, j = sp.Symbol("i", integer=True), sp.Symbol("j", integer=True)
    lhs = sp.Sum(a[i, j], (j, 1, i_size), (i, 1, n))
    rhs = sp.Sum(a[i, j], (i, j, n), (j, 1, n))
    assert i_size not in rebind_indices(lhs).free_symbols
    assert _decide(lhs, rhs, ctx).status in (PROVED, CHECKED)
    wrong = sp.Sum(a[i, j], (i, 1, j), (j, 1, n))  # the other triangle
    assert _decide(lhs, wrong, ctx).status == REFUTED


# -- constants ------------------------------------------------------------------------------------
WRONG_CONSTANTS = [
    (1 + R(1, 10**20), sp.Integer(1)),
    (R(1, 3), R(333333333333333333, 10**18)),
    (sp.exp(sp.pi * sp.sqrt(163)), sp.Integer(640320) ** 3 + 744),
    (sp.Integer(2) ** 64, sp.Integer(18446744073709551617)),
    (sp.factorial(20), sp.Integer(2432902008176640001)),
    (R(1, 10) * 3, R(30000000000000004, 10**17)),
]
RIGHT_CONSTANTS = [
    (sp.Integer(2) ** 64, sp.Integer(18446744073709551616)),
    (sp.factorial(20), sp.Integer(2432902008176640000)),
    (R(1, 10) * 3, R(3, 10)),
    (R(1, 4), R(25, 100)),
    (sp.sqrt(2) * sp.sqrt(3), sp.sqrt(6)),
    (sp.Sum(sp.Symbol("k", integer=True), (sp.Symbol("k", integer=True), 0, 2)), sp.Integer(3)),
]


@pytest.mark.parametrize("a,b", WRONG_CONSTANTS)
def test_wrong_constant_steps_are_refuted(a, b):
    v = _decide(a, b)
    assert v.status == REFUTED, v.message
    assert "agrees at" not in v.message and "points" not in v.message


@pytest.mark.parametrize("a,b", RIGHT_CONSTANTS)
def test_right_constant_steps_are_proved(a, b):
    v = _decide(a, b)
    assert v.status == PROVED, v.message
    assert _decide(b, a).status == PROVED  # both orders


def test_a_written_decimal_is_refuted_with_the_difference_and_the_hint():
    v = decide_constant(R(1, 3), R(333333333333333333, 10**18), "=")
    assert v.status == REFUTED
    assert "1/3000000000000000000" in v.message and "\\approx" in v.message


def test_near_misses_of_constants_are_refuted_up_to_forty_digits():
    for k in range(1, 41):
        assert decide_constant(sp.pi + R(1, 10**k), sp.pi, "=").status == REFUTED, k
        assert decide_constant(sp.sqrt(2) * (1 + R(1, 10**k)), sp.sqrt(2), "=").status == REFUTED, k


def test_a_true_constant_identity_is_never_refuted():
    for a, b in [(sp.atan(R(1, 2)) + sp.atan(R(1, 3)), sp.pi / 4), (sp.exp(sp.pi * sp.sqrt(163)),
                                                                     sp.exp(sp.pi) ** sp.sqrt(163)),
                 (sp.log(8), 3 * sp.log(2)), (sp.cos(sp.pi / 5), (1 + sp.sqrt(5)) / 4)]:
        v = _decide(a, b)
        assert v.status in (PROVED, CHECKED), (a, b, v.message)
        assert "points" not in v.message


def test_constant_inequalities():
    assert _decide(sp.exp(sp.pi * sp.sqrt(163)), sp.Integer(640320) ** 3 + 744, relation="<=").status != REFUTED
    assert _decide(sp.exp(sp.pi * sp.sqrt(163)), sp.Integer(640320) ** 3 + 744, relation=">").status == REFUTED
    assert _decide(R(1, 3), R(333333, 10**6), relation=">").status == PROVED
    assert _decide(R(1, 3), R(333333, 10**6), relation="<").status == REFUTED


# -- checked needs confirmation at a higher precision ---------------------------------------------
def test_a_perturbation_invisible_at_working_precision_is_not_accepted():
    ctx = Context()
    x = ctx.symbol("x")
    for k in (18, 20, 25):
        v = _decide(x + R(1, 10**k), x, ctx)
        assert v.status == REFUTED, (k, v.message)
    for k in range(16, 41, 3):
        assert _decide(x * (1 + R(1, 10**k)), x, ctx).status not in (PROVED, CHECKED), k
        assert _decide(x + R(1, 10**k), x, ctx, relation="<=").status not in (PROVED, CHECKED), k


def test_checked_says_it_was_confirmed_at_two_higher_precisions():
    ctx = Context()
    x = ctx.symbol("x", "positive")
    v = _decide(sp.atan(x) + sp.atan(1 / x), sp.pi / 2, ctx)
    assert v.status in (PROVED, CHECKED)
    assert "confirmed at 60 digits" in v.message


def test_rewrites_of_right_steps_are_never_refuted():
    ctx = Context()
    x = ctx.symbol("x")
    y = ctx.symbol("y", "positive")
    for a, b in [((x + 1) ** 2, x**2 + 2 * x + 1), (sp.exp(2 * sp.log(y)), y**2),
                 (sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1)), (R(1, 10) * x * 3, R(3, 10) * x),
                 (x / 4, R(25, 100) * x)]:
        assert _decide(a, b, ctx).status == PROVED, (a, b)


# -- optimisation steps ---------------------------------------------------------------------------
def _gauss():
    ctx = Context()
    mu, x = ctx.symbol("mu"), ctx.symbol("x")
    sigma = ctx.symbol("sigma", "positive")
    n = ctx.size("n")
    F = n * sp.log(sigma) + (x - mu) ** 2 / (2 * sigma**2)
    return ctx, mu, sigma, F


def test_scaling_by_a_factor_of_an_optimised_variable_is_not_proved():
    ctx, mu, sigma, F = _gauss()
    v = _decide(F, sp.expand(2 * sigma**2 * F), ctx, relation=ARGMIN, over=(mu, sigma), prev_sense="min")
    assert v.status == REFUTED, v.message
    right = _decide(F, sp.expand(2 * sigma**2 * F), ctx, relation=ARGMIN, over=(mu,), prev_sense="min")
    assert right.status == PROVED  # sigma is not optimised: 2 sigma^2 is a positive constant


def test_negating_an_objective_inside_an_argmax_is_refuted():
    ctx = Context()
    t = ctx.symbol("t", "unit")
    F = t * (1 - t)
    assert _decide(F, -F, ctx, relation=ARGMAX, over=(t,), prev_sense="max").status == REFUTED
    assert _decide(F, -F, ctx, relation=ARGMIN, over=(t,), prev_sense="max").status == PROVED
    # t -> t^2 is increasing on (0, 1): order kept, never refuted
    assert _decide(t, t**2, ctx, relation=ARGMAX, over=(t,), prev_sense="max").status in (PROVED, CHECKED)
    real = Context()
    s = real.symbol("s")
    assert _decide(s, s**2, real, relation=ARGMAX, over=(s,), prev_sense="max").status == REFUTED


def test_an_objective_free_of_its_variables_is_unknown():
    ctx = Context()
    a, c = ctx.symbol("a"), ctx.symbol("c")
    v = _decide((a - 1) ** 2, -(a - 1) ** 2, ctx, relation=ARGMIN, over=(c,), prev_sense="min")
    assert v.status == UNKNOWN and "variables" in v.message


def test_dropping_a_term_of_an_optimised_constrained_variable_is_refuted():
    ctx = Context()
    a = ctx.symbol("a")
    c = ctx.symbol("c", "positive")
    F = (a - 1) ** 2 + sp.log(c) + 1 / c
    assert _decide(F, (a - 1) ** 2, ctx, relation=ARGMIN, over=(a, c), prev_sense="min").status == REFUTED
    assert _decide(F, F + 7, ctx, relation=ARGMIN, over=(a, c), prev_sense="min").status == PROVED


# -- bound variables --------------------------------------------------------------------------------
def test_a_definition_never_replaces_a_bound_variable():
    ctx = Context()
    x, h = ctx.symbol("x"), ctx.symbol("h")
    ctx.define(h, sp.Integer(1))  # "with h = 1" in the prose
    limit = sp.Limit(((x + h) ** 2 - x**2) / h, h, 0)
    assert _decide(limit, 2 * x, ctx).status == PROVED
    assert _decide(limit, 2 * x + 1, ctx).status == REFUTED
    k = ctx.symbol("k")
    ctx.define(k, sp.Integer(3))
    n = ctx.size("n")
    assert _decide(sp.Sum(k, (k, 1, n)), n * (n + 1) / 2, ctx).status == PROVED
    assert _decide(sp.Sum(k, (k, 1, n)), 3 * n, ctx).status == REFUTED
    assert replace_free(h + sp.Limit(h, h, 0), {h: sp.Integer(1)}) == 1 + sp.Limit(h, h, 0)


def test_an_integral_with_reversed_limits():
    x = sp.Symbol("x")
    assert _decide(sp.Integral(x, (x, 0, -1)), R(1, 2)).status == PROVED
    assert _decide(sp.Integral(x, (x, 0, -1)), R(-1, 2)).status == REFUTED


# -- internal errors --------------------------------------------------------------------------------
def test_an_internal_error_is_unknown_never_refuted():
    x = sp.Symbol("x")
    v = decide_step(Problem(x, x + 1, "=", None))  # no context: the engine raises inside
    assert v.status == UNKNOWN and v.message.startswith("internal error")


@pytest.mark.parametrize("exc", [RecursionError, ZeroDivisionError, TypeError])
def test_an_exception_in_a_strategy_stays_local(monkeypatch, fresh_workers, exc):
    def boom(*args, **kwargs):
        raise exc("boom")

    monkeypatch.setattr(decide_module, "prove_relation", boom)
    monkeypatch.setattr(decide_module, "quick_zero", boom)
    monkeypatch.setenv("VERIFY_NO_CACHE", "1")
    ctx = Context()
    x = ctx.symbol("x")
    v = _decide((x + 1) ** 2, x**2 + 2 * x + 1, ctx)
    assert v.status == UNKNOWN and f"internal error: {exc.__name__}" in v.message


def test_an_evaluation_failure_is_no_counterexample():
    assert not undefined_value("TypeError: cannot determine truth value of Relational")
    assert not undefined_value("no value for x")
    assert undefined_value("complex value (outside the domain of definition)")
    assert undefined_value("ZeroDivisionError: division by zero")


# -- indeterminate forms written out -----------------------------------------------------------------
@pytest.mark.parametrize("other", [sp.Integer(0), sp.Integer(1)])
def test_an_indeterminate_form_as_written_is_never_refuted(other):
    x = sp.Symbol("x", positive=True)
    nan_side = sp.Integer(0) * sp.log(sp.Integer(0))  # 0 log 0: nan as SymPy builds it
    assert nan_side is sp.nan
    v = _decide(nan_side, other)
    assert v.status == UNKNOWN and "indeterminate" in v.message
    assert _decide(nan_side + x, x + other).status == UNKNOWN
