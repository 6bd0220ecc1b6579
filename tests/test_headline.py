"""The headline derivations are proved; broken copies are refuted at the broken step with a
counterexample that really violates it; earlier steps stay proved."""
from __future__ import annotations

import pytest
import sympy as sp

from derivations import bernoulli, gaussian_mle, kl_identity, sigmoid_gradients
from tests.evaluate import parse_candidate, point_from, value_at
from verifier.engine.decide import numeric_evidence, problem_for, verify_derivation
from verifier.model.results import PROVED, REFUTED

FACTORIES = [gaussian_mle.seed000, gaussian_mle.seed003, bernoulli.bernoulli_nll_bce,
             bernoulli.bernoulli_mle_loglik, kl_identity.seed000, kl_identity.seed001, kl_identity.seed002,
             kl_identity.seed004, sigmoid_gradients.sigmoid_derivative, sigmoid_gradients.mse_sigmoid_gradient,
             sigmoid_gradients.bce_sigmoid_gradient]


@pytest.mark.parametrize("make", FACTORIES, ids=lambda f: f"{f.__module__.split('.')[-1]}.{f.__name__}")
def test_headline_derivation_is_proved(make):
    d = make()
    r = verify_derivation(d)
    assert r.steps, "a derivation without steps proves nothing"
    bad = [(s.index, s.status, s.message) for s in r.steps if s.status != PROVED]
    assert not bad
    # the numeric evidence works on every step too (a proved step is not sampled, but a silent
    # numeric failure on these expressions would weaken every refutation of a broken copy)
    for chain in d.chains:
        sense = chain.steps[0].sense
        for prev, step in chain.pairs():
            num = numeric_evidence(problem_for(d.context, prev, step, sense))
            assert num.kind == "agree" and ("agrees at" in num.message or "preserved at" in num.message), \
                (step.why, num.kind, num.message)
            sense = step.sense or sense


def _break(make, chain_index: int, step_index: int, mutate):
    """A copy of the derivation whose step (chain, position) has its expression mutated."""
    d = make()
    step = d.chains[chain_index].steps[step_index]
    step.expr = mutate(step.expr)
    return d, step


def _flat_index(d, chain_index, step_index):
    return sum(len(c.steps) - 1 for c in d.chains[:chain_index]) + step_index - 1


def _assert_refuted_at(d, chain_index, step_index):
    r = verify_derivation(d)
    k = _flat_index(d, chain_index, step_index)
    assert r.steps[k].status == REFUTED, (r.steps[k].status, r.steps[k].message)
    assert r.steps[k].counterexample
    for s in r.steps[:k]:
        if s.chain == r.steps[k].chain:
            assert s.status == PROVED, (s.index, s.status, s.message)
    return r.steps[k]


def test_flipped_sign_in_gaussian_log_likelihood_is_refuted():
    d, step = _break(gaussian_mle.seed000, 0, 2, lambda e: e.xreplace({sp.Rational(-1, 2): sp.Rational(1, 2)}))
    assert step.expr != gaussian_mle.seed000().chains[0].steps[2].expr
    s = _assert_refuted_at(d, 0, 2)
    # re-evaluate the counterexample independently: the two sides really differ there
    prev = d.chains[0].steps[1].expr
    sizes, values = point_from(d.context, s.counterexample)
    lhs, rhs = value_at(prev, d.context, sizes, values), value_at(step.expr, d.context, sizes, values)
    assert abs(lhs - rhs) > 1e-10


def test_dropped_factor_in_sigmoid_derivative_is_refuted():
    z = sp.Symbol("z", real=True)
    d, step = _break(sigmoid_gradients.sigmoid_derivative, 0, 2, lambda e: e * (1 + sp.exp(-z)))
    s = _assert_refuted_at(d, 0, 2)
    sizes, values = point_from(d.context, s.counterexample)
    prev = d.chains[0].steps[1].expr
    assert abs(value_at(prev, d.context, sizes, values) - value_at(step.expr, d.context, sizes, values)) > 1e-10


def test_wrong_exponent_in_mse_gradient_is_refuted():
    d = sigmoid_gradients.mse_sigmoid_gradient()
    step = d.chains[0].steps[3]
    yhat = next(k for k in d.context.definitions if str(k) == "yhat")
    step.expr = step.expr.xreplace({yhat: yhat**2})
    s = _assert_refuted_at(d, 0, 3)
    sizes, values = point_from(d.context, s.counterexample)
    prev = d.chains[0].steps[2].expr
    assert abs(value_at(prev, d.context, sizes, values) - value_at(step.expr, d.context, sizes, values)) > 1e-10


def test_missing_sigma_prime_cancellation_in_bce_is_refuted():
    """The classic slip: claiming the BCE gradient keeps sigma'(z) like MSE does."""
    d = sigmoid_gradients.bce_sigmoid_gradient()
    yhat = next(k for k in d.context.definitions if str(k) == "yhat")
    y, x = sp.Symbol("y", real=True), sp.Symbol("x", real=True)
    d.chains[0].steps[4].expr = (yhat - y) * yhat * (1 - yhat) * x
    s = _assert_refuted_at(d, 0, 4)
    assert "yhat" not in s.counterexample  # it is defined, not sampled


def test_parameter_dependent_term_dropped_inside_argmin_is_refuted():
    """Dropping -2 y_i f_i from the expanded squares changes the minimiser."""
    d = gaussian_mle.seed000()
    chain = d.chains[1]
    n = next(iter(d.context.sizes))
    i = next(iter(d.context.indices))
    y, f = sorted(d.context.vectors, key=lambda b: str(b.label), reverse=True)
    assert str(y.label) == "y" and str(f.label) == "f"
    chain.steps[3].expr = sp.Sum(y[i] ** 2 + f[i] ** 2, (i, 1, n))
    chain.steps[4].expr = sp.Sum(y[i] ** 2 + f[i] ** 2, (i, 1, n)) / n
    s = _assert_refuted_at(d, 1, 3)
    a, b = parse_candidate(s.counterexample["candidate A"]), parse_candidate(s.counterexample["candidate B"])
    old, new = chain.steps[2].expr, chain.steps[3].expr
    sa, va = point_from(d.context, a)
    sb, vb = point_from(d.context, b)
    # maximisers of the old objective are minimisers of the new: the order must reverse, and it does not
    d_old = value_at(old, d.context, sa, va) - value_at(old, d.context, sb, vb)
    d_new = value_at(new, d.context, sa, va) - value_at(new, d.context, sb, vb)
    assert d_old * d_new > 0


def test_argmax_to_argmin_without_negation_is_refuted():
    d = gaussian_mle.seed000()
    chain = d.chains[1]
    chain.steps[3].expr = -chain.steps[3].expr  # argmin of minus the squares: the maximiser flipped
    _assert_refuted_at(d, 1, 3)


def test_reversed_inequality_is_refuted():
    from verifier.model.chain import Derivation

    D = Derivation("t", "sigma' <= 1/4")
    z = D.symbol("z", "real")
    c = D.chain(sp.exp(-z) / (1 + sp.exp(-z)) ** 2)
    c.ge(sp.Rational(1, 4), "reversed bound")
    r = verify_derivation(D)
    assert r.steps[0].status == REFUTED
    zval = sp.Float(r.steps[0].counterexample["z"], 50)
    assert (sp.exp(-zval) / (1 + sp.exp(-zval)) ** 2) < sp.Rational(1, 4)

    D2 = Derivation("t2", "sigma' <= 1/4")
    z = D2.symbol("z", "real")
    D2.chain(sp.exp(-z) / (1 + sp.exp(-z)) ** 2).le(sp.Rational(1, 4), "max at z = 0")
    assert verify_derivation(D2).steps[0].status == PROVED
