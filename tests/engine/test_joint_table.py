"""A stated joint table and the discrete uniform law: exact expectations, proofs of right steps, refutations
of wrong ones showing the law, and no reading where the law is not concrete."""
from __future__ import annotations

import pytest
import sympy as sp

from verifier.engine.decide import decide
from verifier.engine.probability.lower import Undecidable, lower_problem
from verifier.engine.problem import Problem
from verifier.model.context import Context
from verifier.model.random import Cov, DiscreteUniform, E, Entropy, JointTable, Var, table_latex


def _coin():
    ctx = Context()
    x, y = ctx.random_variable("X"), ctx.random_variable("Y")
    t = JointTable((x, y), ((1, 0), (0, 1)), (sp.Rational(1, 2), sp.Rational(1, 2)))
    return ctx, ctx.random_variable("X", t), ctx.random_variable("Y", t)


def _decide(lhs, rhs, ctx, rel="="):
    return decide(Problem(lhs, rhs, rel, ctx))


def test_table_expectations_are_exact_sums():
    ctx, x, y = _coin()
    low = lower_problem(E(x * y), E(x) * E(y), ctx)
    assert (low.lhs, low.rhs) == (0, sp.Rational(1, 4))
    assert "P(X=1, Y=0) = 1/2" in table_latex(ctx.random[x].distribution)


@pytest.mark.parametrize("lhs,rhs", [(lambda x, y: E(x + y), lambda x, y: sp.Integer(1)),
                                     (lambda x, y: Cov(x, y), lambda x, y: sp.Rational(-1, 4)),
                                     (lambda x, y: Var(x + y), lambda x, y: sp.Integer(0)),
                                     (lambda x, y: E(x * y), lambda x, y: E(x) * E(y) - sp.Rational(1, 4))])
def test_table_right_steps_proved(lhs, rhs):
    ctx, x, y = _coin()
    assert _decide(lhs(x, y), rhs(x, y), ctx).status == "proved"


@pytest.mark.parametrize("lhs,rhs", [(lambda x, y: E(x * y), lambda x, y: E(x) * E(y)),
                                     (lambda x, y: Var(x + y), lambda x, y: Var(x) + Var(y))])
def test_table_wrong_steps_refuted_with_the_table(lhs, rhs):
    ctx, x, y = _coin()
    v = _decide(lhs(x, y), rhs(x, y), ctx)
    assert v.status == "refuted" and "joint table" in v.message


def test_a_table_meeting_another_law_is_not_read():
    ctx, x, _ = _coin()
    z = ctx.random_variable("Z")
    with pytest.raises(Undecidable):
        lower_problem(E(x * z), sp.Integer(0), ctx)


def test_discrete_uniform_moments():
    ctx = Context()
    d = ctx.random_variable("D", DiscreteUniform(1, 6))
    assert _decide(E(d), sp.Rational(7, 2), ctx).status == "proved"
    assert _decide(Var(d), sp.Rational(35, 12), ctx).status == "proved"
    v = _decide(E(d**2), E(d)**2, ctx)
    assert v.status == "refuted" and "discrete_uniform(1, 6)" in v.message


def test_discrete_uniform_needs_integer_bounds():
    ctx = Context()
    n = ctx.symbol("n", "positive")
    d = ctx.random_variable("D", DiscreteUniform(1, n))
    assert _decide(E(d), (n + 1) / 2, ctx).status == "unknown"


def _channel():
    ctx = Context()
    x, y = ctx.random_variable("X"), ctx.random_variable("Y")
    t = JointTable((x, y), ((0, 0), (0, 1), (1, 0), (1, 1)),
                   (sp.Rational(3, 8), sp.Rational(1, 8), sp.Rational(1, 8), sp.Rational(3, 8)))
    return ctx, ctx.random_variable("X", t), ctx.random_variable("Y", t)


def test_the_entropy_of_a_table_variable_is_its_marginal_entropy():
    ctx, x, y = _coin()
    assert lower_problem(Entropy(x), sp.log(2), ctx).lhs == sp.log(2)
    ctx, x, y = _channel()
    assert _decide(Entropy(x) / sp.log(2), sp.Integer(1), ctx).status == "proved"
    assert _decide(Entropy(x) + Entropy(y), 2 * sp.log(2), ctx).status == "proved"
    wrong = _decide(Entropy(x) / sp.log(2), 2 - sp.Rational(3, 4) * sp.log(3) / sp.log(2), ctx, "<")
    assert wrong.status == "refuted" and "joint table" in wrong.message
    skewed = Context()
    a = skewed.random_variable("A")
    t = JointTable((a,), ((0,), (1,), (2,)), (sp.Rational(1, 2), sp.Rational(1, 4), sp.Rational(1, 4)))
    a = skewed.random_variable("A", t)
    assert _decide(Entropy(a), sp.Rational(3, 2) * sp.log(2), skewed).status == "proved"
    assert _decide(Entropy(a), sp.log(3), skewed).status == "refuted"
