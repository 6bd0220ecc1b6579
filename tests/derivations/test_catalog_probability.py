"""The probability derivations of the catalog: every step proved, each citing a section of its seed;
broken copies refuted at the broken step with a concrete law (parameters, or probability vectors)
that the test re-evaluates itself: sums here, quadrature with mpmath, no engine code."""
from __future__ import annotations

import mpmath
import pytest
import sympy as sp
from sympy import Sum, log

from derivations import probability
from verifier.engine.decide import verify_derivation
from verifier.model.catalog import load_catalog, occurrence_key
from verifier.model.random import E, Var
from verifier.model.results import PROVED, REFUTED

FACTORIES = probability.DERIVATIONS


@pytest.mark.parametrize("make", FACTORIES, ids=lambda f: f.__name__)
def test_derivation_is_proved(make):
    r = verify_derivation(make())
    assert r.steps
    bad = [(s.index, s.chain, s.status, s.message) for s in r.steps if s.status != PROVED]
    assert not bad


@pytest.mark.parametrize("make", FACTORIES, ids=lambda f: f.__name__)
def test_cited_section_is_in_the_seed(make, seeds_dir):
    d = make()
    text = (seeds_dir / d.source.file).read_text(encoding="utf-8")
    heading = d.source.section.lstrip("#").strip()
    assert heading in [ln.strip().lstrip("#").strip() for ln in text.splitlines()]


def test_in_the_catalog_once():
    keys = [occurrence_key(d) for d in load_catalog() if d.id in {m().id for m in FACTORIES}]
    assert len(keys) == len(FACTORIES) == len(set(keys))


def _broken(make, chain: int, step: int, expr):
    d = make()
    d.chains[chain].steps[step].expr = expr
    return d


def _refuted_at(d, chain: int, step: int):
    r = verify_derivation(d)
    k = sum(len(c.steps) - 1 for c in d.chains[:chain]) + step - 1
    s = r.steps[k]
    assert s.status == REFUTED, (s.status, s.message)
    for earlier in r.steps[:k]:
        assert earlier.status == PROVED, (earlier.index, earlier.message)
    return {key: mpmath.mpf(v) for key, v in s.counterexample.items() if key not in ("lhs", "rhs")}


def _sym(d, name):
    return next(s for s in d.context.scalars if s.name == name)


def test_bernoulli_variance_broken():
    d = _broken(probability.bernoulli_mean_variance, 1, 4, None)
    p = _sym(d, "p")
    d.chains[1].steps[4].expr = p + p**2  # E[X] - E[X]^2 with the sign of the square lost
    cex = _refuted_at(d, 1, 4)
    pv = cex["p"]
    assert abs((pv - pv**2) - (pv + pv**2)) > 1e-9  # the law Bernoulli(p) at that p


def test_entropy_sign_broken():
    d = probability.entropy_expected_information()
    n = next(iter(d.context.sizes))
    i = next(s for s in d.context.indices if s.name == "i")
    P = next(b for b in d.context.vectors if str(b.label) == "P")
    d.chains[0].steps[2].expr = Sum(P[i] * log(P[i]), (i, 1, n))
    cex = _refuted_at(d, 0, 2)
    k = int(cex["n"])
    ps = [cex[f"P[{j}]"] for j in range(1, k + 1)]
    assert abs(sum(ps) - 1) < 1e-9
    h = -sum(q * mpmath.log(q) for q in ps)
    assert abs(h - (-h)) > 1e-9  # a law with positive entropy: H != -H


def test_jensen_direction_broken():
    d = probability.kl_nonneg_expectation()
    step = d.chains[0].steps[4]
    step.relation = "<="  # E(-log Q/P) <= -log E(Q/P): the wrong way round
    step.lemma = None
    cex = _refuted_at(d, 0, 4)
    k = int(cex["n"])
    P = [cex[f"P[{j}]"] for j in range(1, k + 1)]
    Q = [cex[f"Q[{j}]"] for j in range(1, k + 1)]
    lhs = sum(p * -mpmath.log(q / p) for p, q in zip(P, Q))
    assert lhs > -mpmath.log(sum(Q)) + 1e-12  # KL(P||Q) > 0 = -log E_P[Q/P]


def _normal_quad(f, mu, s):
    mpmath.mp.dps = 30
    return mpmath.quad(lambda x: f(x) * mpmath.npdf(x, mu, s), [-mpmath.inf, mu, mpmath.inf])


def test_gaussian_nll_broken():
    d = probability.gaussian_expected_nll()
    m, s, mu, sigma = (_sym(d, k) for k in ("m", "s", "mu", "sigma"))
    # E[(X - mu)^2] taken as s^2 alone (the (m - mu)^2 forgotten)
    d.chains[0].steps[3].expr = log(sigma) + log(2 * sp.pi) / 2 + s**2 / (2 * sigma**2)
    cex = _refuted_at(d, 0, 3)
    mv, sv, muv, sgv = (cex[k] for k in ("m", "s", "mu", "sigma"))
    nll = _normal_quad(lambda x: -mpmath.log(mpmath.npdf(x, muv, sgv)), mv, sv)
    broken = mpmath.log(sgv) + mpmath.log(2 * mpmath.pi) / 2 + sv**2 / (2 * sgv**2)
    assert abs(nll - broken) > 1e-9


def test_kl_two_gaussians_broken():
    d = probability.kl_two_gaussians()
    mu1, mu2, s1, s2 = (_sym(d, k) for k in ("mu_1", "mu_2", "sigma_1", "sigma_2"))
    d.chains[0].steps[4].expr = log(s2 / s1) + (s1**2 + (mu1 - mu2)**2) / (2 * s2**2)  # the -1/2 lost
    cex = _refuted_at(d, 0, 4)
    a, b, sa, sb = (cex[k] for k in ("mu_1", "mu_2", "sigma_1", "sigma_2"))
    kl = _normal_quad(lambda x: mpmath.log(mpmath.npdf(x, a, sa)) - mpmath.log(mpmath.npdf(x, b, sb)), a, sa)
    broken = mpmath.log(sb / sa) + (sa**2 + (a - b)**2) / (2 * sb**2)
    assert abs(kl - broken) > 1e-9


def test_variance_rule_broken_in_a_chain():
    d = probability.bernoulli_mean_variance()
    X = next(iter(d.context.random))
    d.chains[1].steps[1].expr = E(X**2) + E(X)**2
    cex = _refuted_at(d, 1, 1)
    pv = cex["p"]
    assert abs(pv * (1 - pv) - (pv + pv**2)) > 1e-9
    assert Var  # the operator the chain starts from


# ----------------------------------------------------------------------------------------
# Bayes, marginalisation, total expectation, ELBO (derivations/bayes.py)
# ----------------------------------------------------------------------------------------
from derivations import bayes  # noqa: E402


@pytest.mark.parametrize("make", bayes.DERIVATIONS, ids=lambda f: f.__name__)
def test_bayes_family_proved(make):
    r = verify_derivation(make())
    assert r.steps and all(s.status == PROVED for s in r.steps), [(s.index, s.status, s.message) for s in r.steps]


def _vec(d, name):
    return next(b for b in d.context.vectors if str(b.label) == name)


def test_elbo_with_kl_reversed_refuted():
    d = bayes.elbo_identity()
    K = next(iter(d.context.sizes))
    k = next(s for s in d.context.indices if s.name == "k")
    j = next(s for s in d.context.indices if s.name == "j")
    q, a = _vec(d, "q"), _vec(d, "a")
    ev = Sum(a[j], (j, 1, K))
    d.chains[0].steps[3].expr = (Sum(q[k] * log(a[k] / q[k]), (k, 1, K))
                                 + Sum((a[k] / ev) * log((a[k] / ev) / q[k]), (k, 1, K)))  # KL(p || q)
    cex = _refuted_at(d, 0, 3)
    n = int(cex["K"])
    Q = [cex[f"q[{t}]"] for t in range(1, n + 1)]
    A = [cex[f"a[{t}]"] for t in range(1, n + 1)]
    ev_v = sum(A)
    post = [x / ev_v for x in A]
    elbo = sum(qq * mpmath.log(aa / qq) for qq, aa in zip(Q, A))
    kl_rev = sum(pp * mpmath.log(pp / qq) for pp, qq in zip(post, Q))
    assert abs(mpmath.log(ev_v) - (elbo + kl_rev)) > 1e-9


def test_posterior_without_evidence_refuted():
    d = bayes.bayes_posterior()
    k = next(s for s in d.context.indices if s.name == "k")
    prior, like = _vec(d, "pi"), _vec(d, "ell")
    d.chains[1].steps[1].expr = like[k]  # P(k | x) P(x) = P(x | k): the prior forgotten
    cex = _refuted_at(d, 1, 1)
    assert cex  # a concrete prior and likelihood
