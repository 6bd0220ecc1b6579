"""The faster routes of issue 12 decide as the slower ones did: the sign of a polynomial in a (0,1)
parameter through the view of its normal form, the first look of an optimisation step with fewer
pairs, definitions bound with functools.partial (picklable, keyed by what they bind), and the long
problems handed to the workers first."""
from __future__ import annotations

import pickle
from functools import partial

import sympy as sp

from verifier.engine import evidence
from verifier.engine.cache import problem_key
from verifier.engine.decide import decide, decide_problems
from verifier.engine.problem import Problem, expected_cost
from verifier.model.chain import ARGMAX, ARGMIN
from verifier.model.context import Context
from verifier.model.results import CHECKED, PROVED, REFUTED


def _likelihood():
    """L(theta) = theta (1 - theta)^9 on (0, 1): one head and nine tails; its maximum is at 1/10."""
    ctx = Context()
    theta = ctx.symbol("theta", "unit")
    return ctx, theta, theta * (1 - theta) ** 9


def test_the_maximum_of_a_likelihood_on_the_unit_interval_is_proved():
    ctx, theta, L = _likelihood()
    at = L.subs(theta, sp.Rational(1, 10))
    v = decide(Problem(L, at, "<=", ctx))
    assert v.status == PROVED and "(0,1) reparametrisation" in v.method, v
    # a meaning-preserving rewrite: the same bound, expanded, with the constant on the other side
    v = decide(Problem(sp.expand(L) - at, sp.Integer(0), "<=", ctx))
    assert v.status == PROVED, v


def test_a_point_that_is_not_the_maximum_is_refuted_there():
    ctx, theta, L = _likelihood()
    v = decide(Problem(L, L.subs(theta, sp.Rational(1, 5)), "<=", ctx))  # 0.2 is not the maximiser
    assert v.status == REFUTED, v
    t = sp.nsimplify(v.counterexample["theta"])
    assert L.subs(theta, t) > L.subs(theta, sp.Rational(1, 5))  # the counterexample re-evaluated


def test_an_argmin_step_needs_a_proof_or_the_full_evidence(monkeypatch):
    ctx = Context()
    w = ctx.symbol("w", "real")
    a = ctx.symbol("a", "real")
    calls = []
    real = evidence.numeric_order

    def spy(*args, **kw):
        calls.append(kw.get("pairs"))
        return real(*args, **kw)

    import verifier.engine.optimisation as opt
    monkeypatch.setattr(opt, "numeric_order", spy)
    right = decide(Problem((w - a) ** 2, 3 * (w - a) ** 2 + 7, ARGMIN, ctx, over=(w,)))
    assert right.status == PROVED and calls == []  # proved: no candidate sampled
    wrong = decide(Problem((w - a) ** 2, (w - 2 * a) ** 2, ARGMIN, ctx, over=(w,)))
    assert wrong.status == REFUTED and calls == [None], wrong  # no proof: the evidence in full, refuted


def test_a_definition_bound_with_partial_pickles_and_is_keyed_by_its_arguments():
    def problem(power: int) -> Problem:
        ctx = Context()
        x = ctx.symbol("x", "positive")
        f = sp.Function("f")
        ctx.define(f, partial(_power, power))
        return Problem(f(x), x ** 2, "=", ctx)

    two, three = problem(2), problem(3)
    pickle.dumps(two)  # no cloudpickle needed on the way to a worker
    assert problem_key(two) is not None and problem_key(two) == problem_key(problem(2))
    assert problem_key(two) != problem_key(three)
    assert decide_problems([two, three], 20.0, 1, cache=None)[0].status == PROVED
    assert decide_problems([three], 20.0, 1, cache=None)[0].status == REFUTED


def _power(k, t):
    return t ** k


def test_the_long_problems_are_expected_to_be_long():
    ctx = Context()
    x = ctx.symbol("x")
    n = ctx.size("n")
    X = ctx.matrix("X", n, n)
    w = ctx.vector("w", n)
    trivial = Problem(x + 1, 1 + x, "=", ctx)
    gradient = Problem(sp.Derivative((w.T * X * w)[0, 0], w), (X + X.T) * w, "=", ctx)
    assert expected_cost(gradient) > 4 * expected_cost(trivial)


def test_a_name_for_a_long_definition_is_expected_to_be_long():
    # L(theta) is a whole likelihood: its step is as long as the likelihood written out, not as two nodes
    ctx = Context()
    n = ctx.size("n")
    i = ctx.index("i", n)
    x = ctx.vector("x", "binary", over=i)
    theta, u = ctx.symbol("theta", "unit"), sp.Symbol("u")
    L = sp.Function("L")
    likelihood = sp.Product(u ** x[i] * (1 - u) ** (1 - x[i]), (i, 1, n))
    ctx.define(L, sp.Lambda(u, likelihood))
    named = Problem(L(theta), likelihood.subs(u, theta), "=", ctx)
    bare = Problem(sp.Symbol("a"), likelihood.subs(u, theta), "=", Context())
    assert expected_cost(named) > expected_cost(bare) + 10
    unused = Problem(theta + 1, 1 + theta, "=", ctx)  # a definition the step does not name costs nothing
    assert expected_cost(unused) == expected_cost(Problem(theta + 1, 1 + theta, "=", Context()))


def test_verdicts_do_not_depend_on_the_order_the_workers_take_the_problems():
    ctx = Context()
    x = ctx.symbol("x", "positive")
    probs = [Problem(sp.log(x ** 2), 2 * sp.log(x), "=", ctx), Problem(x + 1, x, "=", ctx),
             Problem(sp.exp(sp.log(x)) * (x + 1) ** 3, sp.expand(x * (x + 1) ** 3), "=", ctx)]
    got = [v.status for v in decide_problems(probs, 20.0, 2, cache=None)]
    assert got == [PROVED, REFUTED, PROVED] or got[2] == CHECKED and got[:2] == [PROVED, REFUTED]


def _likelihood_steps():
    """A product likelihood over theta and (twice) its log plus a constant: against the log the ratio is
    exact (cancel alone); against the product itself only SymPy's simplify could try to relate them."""
    ctx = Context()
    n = ctx.size("n")
    i = ctx.index("i", n)
    x = ctx.vector("x", "binary", over=i)
    theta = ctx.symbol("theta", "unit")
    L = sp.Product(theta ** x[i] * (1 - theta) ** (1 - x[i]), (i, 1, n))
    return ctx, theta, L, 2 * sp.log(L) + 5


def test_an_optimisation_step_proved_by_a_cancelled_ratio_needs_no_simplify_of_a_ratio(monkeypatch):
    import verifier.engine.optimisation as opt

    ctx, theta, L, loglik = _likelihood_steps()
    simplified = []
    real = opt._ratio

    def spy(G, T, over, ctx, memo=None, simplify=True):
        if simplify:
            simplified.append(T)
        return real(G, T, over, ctx, memo, simplify)

    monkeypatch.setattr(opt, "_ratio", spy)
    v = decide(Problem(L, loglik, ARGMAX, ctx, over=(theta,), prev_sense="max"))
    assert v.status == PROVED and v.method.startswith("log (strictly increasing"), v
    assert simplified == []  # the product against the sum was not simplified: the log did without


def test_a_ratio_only_simplify_frees_of_the_variables_is_still_found():
    ctx = Context()
    w = ctx.symbol("w", "real")
    # (sin^2 w + cos^2 w) w^2 over w^2: cancel leaves sin^2 + cos^2, which simplify makes 1
    v = decide(Problem(w ** 2, (sp.sin(w) ** 2 + sp.cos(w) ** 2) * w ** 2 + 3, ARGMIN, ctx, over=(w,)))
    assert v.status == PROVED and "a = 1 positive" in v.method, v
    # wrong steps near it: a factor that is no constant, and a negative scale
    wrong = decide(Problem(w ** 2, sp.sin(w) ** 2 * w ** 2, ARGMIN, ctx, over=(w,)))
    assert wrong.status != PROVED, wrong
    wrong = decide(Problem(w ** 2, -(sp.sin(w) ** 2 + sp.cos(w) ** 2) * w ** 2, ARGMIN, ctx, over=(w,)))
    assert wrong.status == REFUTED, wrong
