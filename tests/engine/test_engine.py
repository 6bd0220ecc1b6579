"""The engine's contract: statuses mean what DESIGN.md says."""
from __future__ import annotations

import sympy as sp

from verifier.engine.decide import decide_step, verify_derivation
from verifier.engine.problem import Problem
from verifier.model.chain import Derivation
from verifier.model.context import Context
from verifier.model.results import CHECKED, PROVED, REFUTED, UNKNOWN


def _ctx():
    c = Context()
    x = c.symbol("x", "real")
    p = c.symbol("p", "unit")
    s = c.symbol("s", "positive")
    y = c.symbol("y", "binary")
    return c, x, p, s, y


def test_undefined_symbol_is_unknown_not_refuted_nor_proved():
    c, x, *_ = _ctx()
    ghost = sp.Symbol("ghost")
    v = decide_step(Problem(x + ghost, x, "=", c))
    assert v.status == UNKNOWN
    assert "ghost" in v.message


def test_exhausted_budget_is_unknown():
    # a step that costs over 50 times its budget here, in a warm worker (0.55 s against 0.01 s);
    # sin^2 + cos^2 = 1, the former step, took 0.015 s: too close to its budget on a fast machine
    c, x, *_ = _ctx()
    y, z = c.symbol("y", "positive"), c.symbol("z", "positive")
    power = (x + y + z + 1) ** 18
    v = decide_step(Problem(sp.expand(power) / (x + 2) ** 5, power / (x + 2) ** 5, "=", c), budget=0.01)
    assert v.status == UNKNOWN
    assert v.method == "timeout" and "budget" in v.message


def test_log_of_product_splits_only_for_positive_factors():
    c, x, p, s, y = _ctx()
    assert decide_step(Problem(sp.log(s * p), sp.log(s) + sp.log(p), "=", c)).status == PROVED
    # x is any real: log(x^2) = 2 log(x) is false for x < 0 (complex there); never proved
    v = decide_step(Problem(sp.log(x**2), 2 * sp.log(x), "=", c))
    assert v.status == REFUTED and float(v.counterexample["x"]) < 0


def test_unit_interval_lets_log_of_one_minus_p_expand():
    c, x, p, s, y = _ctx()
    v = decide_step(Problem(sp.log(p**y * (1 - p) ** (1 - y)), y * sp.log(p) + (1 - y) * sp.log(1 - p), "=", c))
    assert v.status == PROVED


def test_one_minus_a_unit_value_is_seen_positive_in_the_view():
    # the (0,1) view writes 1 - p as 1/(1+t): a log of a product over a vector of such entries splits by the
    # normal form alone (no simplify); the same with the wrong sign of log(1 - y_i) is refuted
    c = Context()
    n = c.size("n")
    i = c.index("i", n)
    x, y = c.vector("x", "binary", over=i), c.vector("y", "unit", over=i)
    lik = sp.log(sp.Product(y[i] ** x[i] * (1 - y[i]) ** (1 - x[i]), (i, 1, n)))
    right = sp.Sum(x[i] * sp.log(y[i]) + (1 - x[i]) * sp.log(1 - y[i]), (i, 1, n))
    v = decide_step(Problem(lik, right, "=", c))
    assert v.status == PROVED and v.method == "normal form + (0,1) reparametrisation"
    wrong = sp.Sum(x[i] * sp.log(y[i]) - (1 - x[i]) * sp.log(1 - y[i]), (i, 1, n))
    v = decide_step(Problem(lik, wrong, "=", c))
    assert v.status == REFUTED
    cex = v.counterexample
    size = int(cex["n"])
    xs = {j: sp.Rational(cex[f"x[{j}]"]) for j in range(1, size + 1)}
    ys = {j: sp.Rational(cex[f"y[{j}]"]) for j in range(1, size + 1)}
    lhs = sum(xs[j] * sp.log(ys[j]) + (1 - xs[j]) * sp.log(1 - ys[j]) for j in xs)
    rhs = sum(xs[j] * sp.log(ys[j]) - (1 - xs[j]) * sp.log(1 - ys[j]) for j in xs)
    assert all(0 < ys[j] < 1 for j in ys) and abs(float(lhs - rhs)) > 1e-6


def test_one_minus_a_unit_scalar_in_the_view_keeps_right_and_wrong_apart():
    c, x, p, s, y = _ctx()
    assert decide_step(Problem(sp.log((1 - p) ** 3), 3 * sp.log(1 - p), "=", c)).status == PROVED
    assert decide_step(Problem(sp.log(1 - p) - sp.log(p), sp.log((1 - p) / p), "=", c)).status == PROVED
    v = decide_step(Problem(sp.log((1 - p) ** 3), 3 * sp.log(1 + p), "=", c))
    assert v.status == REFUTED
    at = float(v.counterexample["p"])
    assert 0 < at < 1 and abs(sp.log((1 - at) ** 3) - 3 * sp.log(1 + at)) > 1e-6
    # 1 - p inside a larger sum is not the pattern: 2 - p is not rewritten, and stays right or wrong as it is
    assert decide_step(Problem(sp.log((2 - p) ** 2), 2 * sp.log(2 - p), "=", c)).status == PROVED
    assert decide_step(Problem(sp.log((2 - p) ** 2), 2 * sp.log(1 - p), "=", c)).status == REFUTED


def test_cases_relation_checks_every_value():
    D = Derivation("cases", "pmf by cases")
    p = D.symbol("p", "unit")
    y = D.symbol("y", "binary")
    ch = D.chain(p**y * (1 - p) ** (1 - y))
    ch.eq(y * p + (1 - y) * (1 - p), "by cases", cases=y)
    assert verify_derivation(D).steps[0].status == PROVED
    D2 = Derivation("cases-bad", "wrong pmf")
    p = D2.symbol("p", "unit")
    y = D2.symbol("y", "binary")
    D2.chain(p**y * (1 - p) ** (1 - y)).eq(y * p + (1 - y) * p, "wrong for y = 0", cases=y)
    r = verify_derivation(D2).steps[0]
    assert r.status == REFUTED and r.counterexample["y"] == "0"


def test_numeric_agreement_alone_is_checked_never_proved():
    """An identity SymPy cannot prove here (a special-function one) is at most checked."""
    c, x, p, s, y = _ctx()
    lhs = sp.gamma(s + 1)
    rhs = s * sp.gamma(s)
    v = decide_step(Problem(lhs, rhs, "=", c))
    assert v.status in (PROVED, CHECKED)
    wrong = decide_step(Problem(lhs, (s + 1) * sp.gamma(s), "=", c))
    assert wrong.status == REFUTED


def test_strict_inequality_at_equality_point_is_refuted():
    c, x, *_ = _ctx()
    v = decide_step(Problem(x**2, sp.Integer(0), ">", c))
    assert v.status in (REFUTED, UNKNOWN)
    assert v.status != PROVED
    assert decide_step(Problem(x**2, sp.Integer(0), ">=", c)).status == PROVED


def test_witness_for_existential_claim():
    D = Derivation("w", "exists x: x^2 != x")
    x = D.symbol("x", "real")
    D.chain(x**2).ne(x, "at x = 2", witness={x: 2})
    assert verify_derivation(D).steps[0].status == PROVED
    D2 = Derivation("w2", "bad witness")
    x = D2.symbol("x", "real")
    D2.chain(x**2).ne(x, "at x = 1", witness={x: 1})
    assert verify_derivation(D2).steps[0].status == UNKNOWN


def test_argmin_positive_scaling_and_constant_proved_negative_scaling_refuted():
    c = Context()
    t = c.symbol("t", "real")
    a = c.symbol("a", "real")
    F = (t - a) ** 2
    assert decide_step(Problem(F, 3 * F + a**2 + 7, "argmin-equivalent", c, over=(t,), prev_sense="min")).status == PROVED
    v = decide_step(Problem(F, -F, "argmin-equivalent", c, over=(t,), prev_sense="min"))
    assert v.status == REFUTED
    assert "candidate A" in v.counterexample
    # argmax of -F is argmin of F: the switch by negation
    assert decide_step(Problem(-F, F, "argmin-equivalent", c, over=(t,), prev_sense="max")).status == PROVED
    # dropping a t-dependent term is refuted
    v = decide_step(Problem(F + t, F, "argmin-equivalent", c, over=(t,), prev_sense="min"))
    assert v.status == REFUTED


def test_rounding_noise_of_a_true_identity_is_not_a_counterexample():
    c, x, *_ = _ctx()
    big = sp.Integer(10) ** 12
    lhs = (x + big) ** 2 - x**2 - 2 * big * x - big**2  # exactly 0, evaluated with heavy cancellation
    v = decide_step(Problem(lhs, sp.Integer(0), "=", c))
    assert v.status == PROVED
    wrong = decide_step(Problem(lhs + sp.Rational(1, 1000), sp.Integer(0), "=", c))
    assert wrong.status == REFUTED


def test_steps_run_in_parallel_workers_with_the_same_verdicts():
    from derivations import sigmoid_gradients
    from verifier.engine.decide import verify_derivations

    ds = [sigmoid_gradients.mse_sigmoid_gradient(), sigmoid_gradients.bce_sigmoid_gradient()]
    serial = verify_derivations(ds, jobs=1)
    parallel = verify_derivations(ds, jobs=2)
    assert [[s.status for s in r.steps] for r in serial] == [[s.status for s in r.steps] for r in parallel]
    assert [s.index for s in parallel[1].steps] == list(range(len(parallel[1].steps)))


def test_value_lost_to_precision_is_not_undefined():
    """At s = 100, 1 - 1/(1 + e^{-2s}) is 0 at 30 and 60 digits but not at 250: no counterexample."""
    c, x, p, s, y = _ctx()
    lhs = 1 / (1 - 1 / (1 + sp.exp(-2 * s)))
    v = decide_step(Problem(lhs, 1 + sp.exp(2 * s), "=", c))
    assert v.status == PROVED, v.message


def test_definition_applied_to_the_wrong_arguments_is_unknown_with_the_reason():
    c = Context()
    x = c.symbol("x", "real")
    g = sp.Function("g")
    c.define(g, sp.Lambda(sp.Symbol("t"), sp.Symbol("t") ** 2))
    v = decide_step(Problem(g(x, x), x**2, "=", c))
    assert v.status == UNKNOWN and "definition of g" in v.message


def test_sum_inside_a_summand_is_a_constant_of_the_outer_sum():
    """Var = E[X^2] - E[X]^2 over a probability vector: the inner sum reuses the bound name i."""
    c = Context()
    n = c.size("n")
    i = c.index("i", n)
    p = c.vector("p", "probability", over=i)
    x = c.vector("x", "real")
    m = sp.Sum(p[i] * x[i], (i, 1, n))
    lhs = sp.Sum(p[i] * (x[i] - m) ** 2, (i, 1, n))
    assert decide_step(Problem(lhs, sp.Sum(p[i] * x[i] ** 2, (i, 1, n)) - m**2, "=", c)).status == PROVED
    assert decide_step(Problem(lhs, sp.Sum(p[i] * x[i] ** 2, (i, 1, n)) + m**2, "=", c)).status == REFUTED


def test_a_crashing_simplifier_does_not_lose_the_step(monkeypatch, fresh_workers):
    from verifier.engine import decide as engine

    def boom(*a, **k):
        raise StopIteration("sympy bug")

    monkeypatch.setenv("VERIFY_INPROCESS", "1")
    monkeypatch.setattr(engine.sp, "simplify", boom)
    c, x, *_ = _ctx()
    v = engine.decide(Problem(sp.sin(x) ** 2 + sp.cos(x) ** 2 + x, x + 1, "=", c))
    assert v.status in (PROVED, CHECKED)  # numeric evidence survives the crash


def test_removable_singularity_is_no_counterexample_but_a_region_is():
    c, x, *_ = _ctx()
    # (x^2-1)/(x-1) is undefined only at x = 1 (a special sample value), x + 1 everywhere
    v = decide_step(Problem((x**2 - 1) / (x - 1), x + 1, "=", c))
    assert v.status == PROVED, v.message
    # 2 log x is undefined for every x < 0 where log(x^2) is defined: a real counterexample
    v = decide_step(Problem(sp.log(x**2), 2 * sp.log(x), "=", c))
    assert v.status == REFUTED and float(v.counterexample["x"]) < 0
