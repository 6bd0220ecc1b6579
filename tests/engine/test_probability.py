"""Expectations, variances, entropies and KL: the rules proved, their broken copies refuted with a
concrete law that the test re-evaluates by itself (a table summed here, or quadrature with mpmath),
and what cannot be decided left `unknown`, never refuted."""
from __future__ import annotations

import re

import mpmath
import pytest
import sympy as sp

from verifier.engine.decide import decide
from verifier.engine.problem import Problem
from verifier.engine.probability.lower import lower_problem
from verifier.model.context import Context
from verifier.model.random import (
    KL,
    Bernoulli,
    Binomial,
    Corr,
    Cov,
    Density,
    E,
    Entropy,
    Exponential,
    Laplace,
    Normal,
    Poisson,
    Uniform,
    Var,
)
from verifier.model.results import PROVED, REFUTED, UNKNOWN


def verdict(ctx, lhs, rhs, relation="="):
    return decide(Problem(lhs, rhs, relation, ctx))


def generic(independent=False):
    ctx = Context()
    a, b = ctx.symbol("a"), ctx.symbol("b")
    X, Y = ctx.random_variable("X"), ctx.random_variable("Y")
    if independent:
        ctx.declare_independent(X, Y)
    return ctx, a, b, X, Y


# ----------------------------------------------------------------------------------------
# rules on laws nobody states: proved over every finite support
# ----------------------------------------------------------------------------------------
RULES = [
    ("linearity", lambda a, b, X, Y: (E(a * X + b * Y), a * E(X) + b * E(Y))),
    ("constant", lambda a, b, X, Y: (E(a * X + b), a * E(X) + b)),
    ("var-affine", lambda a, b, X, Y: (Var(a * X + b), a**2 * Var(X))),
    ("var-shortcut", lambda a, b, X, Y: (Var(X), E(X**2) - E(X)**2)),
    ("var-as-centred-square", lambda a, b, X, Y: (Var(X), E(X**2 - 2 * X * E(X) + E(X)**2))),
    ("cov-self", lambda a, b, X, Y: (Cov(X, X), Var(X))),
    ("cov-shortcut", lambda a, b, X, Y: (Cov(X, Y), E(X * Y) - E(X) * E(Y))),
    ("var-sum", lambda a, b, X, Y: (Var(X + Y), Var(X) + Var(Y) + 2 * Cov(X, Y))),
    ("var-nonneg", lambda a, b, X, Y: (Var(X), sp.Integer(0))),
]


@pytest.mark.parametrize("name,make", RULES, ids=[r[0] for r in RULES])
def test_rules_hold_for_any_law(name, make):
    ctx, a, b, X, Y = generic()
    lhs, rhs = make(a, b, X, Y)
    v = verdict(ctx, lhs, rhs, ">=" if name == "var-nonneg" else "=")
    if name == "var-nonneg":
        assert v.status != REFUTED, v.message  # true; a sign proof of a sum of squares may be out of reach
    else:
        assert v.status == PROVED, (v.method, v.message)


def test_product_rule_proved_under_independence():
    ctx, a, b, X, Y = generic(independent=True)
    assert verdict(ctx, E(X * Y), E(X) * E(Y)).status == PROVED
    assert verdict(ctx, Var(X + Y), Var(X) + Var(Y)).status == PROVED
    assert verdict(ctx, Cov(X, Y), sp.Integer(0)).status == PROVED
    assert verdict(ctx, E(X**2 * Y), E(X**2) * E(Y)).status == PROVED


def _table(cex):
    """The joint law in a counterexample: atoms (weight, x, y), summed here without the engine."""
    n = int(cex["n_law"])
    out = []
    for t in range(1, n + 1):
        out.append(tuple(mpmath.mpf(cex[f"{k}[{t}]"]) for k in ("w_law", "X_v", "Y_v")))
    return out


@pytest.mark.parametrize("claim", ["E[XY]=E[X]E[Y]", "Var(X+Y)=VarX+VarY"])
def test_product_rule_refuted_without_independence(claim):
    ctx, a, b, X, Y = generic()
    lhs, rhs = ((E(X * Y), E(X) * E(Y)) if claim.startswith("E") else (Var(X + Y), Var(X) + Var(Y)))
    v = verdict(ctx, lhs, rhs)
    assert v.status == REFUTED, v.message
    mpmath.mp.dps = 40
    tab = _table(v.counterexample)
    assert abs(sum(w for w, _, _ in tab) - 1) < 1e-9
    ex = sum(w * x for w, x, _ in tab)
    ey = sum(w * y for w, _, y in tab)
    exy = sum(w * x * y for w, x, y in tab)
    cov = exy - ex * ey
    assert abs(cov) > 1e-6  # the table really couples X and Y: the rule fails on it
    if claim.startswith("Var"):
        assert abs(2 * cov) > 1e-6


BROKEN = [
    ("var-affine-no-square", lambda a, b, X, Y: (Var(a * X + b), a * Var(X))),
    ("var-affine-keeps-b", lambda a, b, X, Y: (Var(a * X + b), a**2 * Var(X) + b**2)),
    ("square-of-mean", lambda a, b, X, Y: (E(X**2), E(X)**2)),
    ("var-shortcut-sign", lambda a, b, X, Y: (Var(X), E(X**2) + E(X)**2)),
]


@pytest.mark.parametrize("name,make", BROKEN, ids=[r[0] for r in BROKEN])
def test_broken_rules_refuted_with_a_finite_law(name, make):
    ctx, a, b, X, Y = generic()
    lhs, rhs = make(a, b, X, Y)
    v = verdict(ctx, lhs, rhs)
    assert v.status == REFUTED, v.message
    cex = v.counterexample
    n = int(cex["n_X"])
    mpmath.mp.dps = 40
    w = [mpmath.mpf(cex[f"w_X[{t}]"]) for t in range(1, n + 1)]
    x = [mpmath.mpf(cex[f"X_v[{t}]"]) for t in range(1, n + 1)]
    av, bv = mpmath.mpf(cex.get("a", 0)), mpmath.mpf(cex.get("b", 0))

    def ex(f):
        return sum(wi * f(xi) for wi, xi in zip(w, x))

    var = ex(lambda t: t**2) - ex(lambda t: t)**2
    values = {
        "var-affine-no-square": (av**2 * var, av * var),
        "var-affine-keeps-b": (av**2 * var, av**2 * var + bv**2),
        "square-of-mean": (ex(lambda t: t**2), ex(lambda t: t)**2),
        "var-shortcut-sign": (var, ex(lambda t: t**2) + ex(lambda t: t)**2),
    }[name]
    assert abs(values[0] - values[1]) > 1e-9


def test_partial_independence_never_refutes():
    """X, Y independent and Z free: a joint table would ignore X _|_ Y, so no refutation from it."""
    ctx = Context()
    X, Y, Z = (ctx.random_variable(n) for n in "XYZ")
    ctx.declare_independent(X, Y)
    v = verdict(ctx, E(X * Y) + E(Z), E(X) * E(Y) + E(Z))
    assert v.status != REFUTED
    v = verdict(ctx, E(X * Y * Z), E(X) * E(Y) * E(Z))
    assert v.status == UNKNOWN  # false in general, but only a table breaking X _|_ Y is at hand
    v = verdict(ctx, E(X * Z), E(X) * E(Z))
    assert v.status == REFUTED  # Y is not involved: a table of (X, Z), Y independent of both, is admissible


def test_random_variable_outside_expectation_is_unknown():
    ctx, a, b, X, Y = generic()
    v = verdict(ctx, E(X), X)
    assert v.status == UNKNOWN and "outside an expectation" in v.message


def test_stated_laws_need_stated_independence():
    ctx = Context()
    p = ctx.symbol("p", "unit")
    mu, s = ctx.symbol("mu"), ctx.symbol("sigma", "positive")
    B = ctx.random_variable("B", Bernoulli(p))
    X = ctx.random_variable("X", Normal(mu, s))
    assert verdict(ctx, E(X * B), mu * p).status == UNKNOWN
    ctx.declare_independent(B, X)
    assert verdict(ctx, E(X * B), mu * p).status == PROVED
    assert verdict(ctx, E(X * B), mu * (1 - p)).status == REFUTED


# ----------------------------------------------------------------------------------------
# the standard laws: closed forms proved, and re-derived here by quadrature / sums
# ----------------------------------------------------------------------------------------
def _laws():
    ctx = Context()
    mu, s = ctx.symbol("mu"), ctx.symbol("sigma", "positive")
    m2, s2 = ctx.symbol("m"), ctx.symbol("s", "positive")
    p, lam, b = ctx.symbol("p", "unit"), ctx.symbol("lambda", "positive"), ctx.symbol("b", "positive")
    lo = ctx.symbol("lo")
    w = ctx.symbol("w", "positive")
    N = ctx.symbol("N", "positive")
    laws = {
        "normal": ctx.random_variable("Xn", Normal(mu, s)),
        "normal2": ctx.random_variable("Xm", Normal(m2, s2)),
        "bernoulli": ctx.random_variable("Xb", Bernoulli(p)),
        "poisson": ctx.random_variable("Xp", Poisson(lam)),
        "exponential": ctx.random_variable("Xe", Exponential(lam)),
        "laplace": ctx.random_variable("Xl", Laplace(mu, b)),
        "uniform": ctx.random_variable("Xu", Uniform(lo, lo + w)),
        "binomial": ctx.random_variable("Xk", Binomial(N, p)),
    }
    syms = dict(mu=mu, sigma=s, m=m2, s=s2, p=p, lam=lam, b=b, lo=lo, w=w, N=N)
    return ctx, laws, syms


CLOSED = [
    ("normal", "mean", lambda S: S["mu"]), ("normal", "var", lambda S: S["sigma"]**2),
    ("normal", "entropy", lambda S: sp.log(2 * sp.pi * sp.E * S["sigma"]**2) / 2),
    ("bernoulli", "mean", lambda S: S["p"]), ("bernoulli", "var", lambda S: S["p"] * (1 - S["p"])),
    ("bernoulli", "entropy", lambda S: -S["p"] * sp.log(S["p"]) - (1 - S["p"]) * sp.log(1 - S["p"])),
    ("poisson", "mean", lambda S: S["lam"]), ("poisson", "var", lambda S: S["lam"]),
    ("exponential", "mean", lambda S: 1 / S["lam"]), ("exponential", "var", lambda S: 1 / S["lam"]**2),
    ("exponential", "entropy", lambda S: 1 - sp.log(S["lam"])),
    ("laplace", "mean", lambda S: S["mu"]), ("laplace", "var", lambda S: 2 * S["b"]**2),
    ("laplace", "entropy", lambda S: 1 + sp.log(2 * S["b"])),
    ("uniform", "mean", lambda S: S["lo"] + S["w"] / 2), ("uniform", "var", lambda S: S["w"]**2 / 12),
    ("uniform", "entropy", lambda S: sp.log(S["w"])),
    ("binomial", "mean", lambda S: S["N"] * S["p"]), ("binomial", "var", lambda S: S["N"] * S["p"] * (1 - S["p"])),
]
OPS = {"mean": E, "var": Var, "entropy": Entropy}


@pytest.mark.parametrize("law,what,form", CLOSED, ids=[f"{a}-{b}" for a, b, _ in CLOSED])
def test_closed_forms_proved_and_broken_copies_refuted(law, what, form):
    ctx, laws, S = _laws()
    X = laws[law]
    v = verdict(ctx, OPS[what](X), form(S))
    assert v.status == PROVED, (v.method, v.message)
    assert verdict(ctx, OPS[what](X), form(S) * sp.Rational(11, 10) + sp.Rational(1, 10)).status == REFUTED


POINT = dict(mu=0.3, sigma=1.7, m=-0.4, s=0.6, p=0.35, lam=1.3, b=0.8, lo=-1.0, w=2.5, N=5)


def _quad_value(law, what):
    """E, Var or H of the law at POINT, by quadrature or a series (mpmath; not the engine)."""
    mpmath.mp.dps = 30
    P = {k: mpmath.mpf(v) for k, v in POINT.items()}
    if law == "normal":
        pdf, lo, hi = (lambda x: mpmath.npdf(x, P["mu"], P["sigma"])), -mpmath.inf, mpmath.inf
    elif law == "exponential":
        pdf, lo, hi = (lambda x: P["lam"] * mpmath.exp(-P["lam"] * x)), 0, mpmath.inf
    elif law == "laplace":
        pdf, lo, hi = (lambda x: mpmath.exp(-abs(x - P["mu"]) / P["b"]) / (2 * P["b"])), -mpmath.inf, mpmath.inf
    elif law == "uniform":
        pdf, lo, hi = (lambda x: 1 / P["w"]), P["lo"], P["lo"] + P["w"]
    else:
        if law == "bernoulli":
            atoms = [(0, 1 - P["p"]), (1, P["p"])]
        elif law == "binomial":
            atoms = [(k, mpmath.binomial(5, k) * P["p"]**k * (1 - P["p"])**(5 - k)) for k in range(6)]
        else:  # poisson, truncated far in the tail
            atoms = [(k, mpmath.exp(-P["lam"]) * P["lam"]**k / mpmath.factorial(k)) for k in range(120)]
        m1 = sum(w * k for k, w in atoms)
        return {"mean": m1, "var": sum(w * (k - m1)**2 for k, w in atoms),
                "entropy": -sum(w * mpmath.log(w) for k, w in atoms)}[what]
    split = [lo, P.get("mu", 0) if law in ("normal", "laplace") else (lo + hi) / 2 if law == "uniform" else 1, hi]
    m1 = mpmath.quad(lambda x: x * pdf(x), split)
    return {"mean": m1, "var": mpmath.quad(lambda x: (x - m1)**2 * pdf(x), split),
            "entropy": mpmath.quad(lambda x: -pdf(x) * mpmath.log(pdf(x)), split)}[what]


@pytest.mark.parametrize("law,what,form", CLOSED, ids=[f"{a}-{b}" for a, b, _ in CLOSED])
def test_lowered_forms_agree_with_quadrature(law, what, form):
    ctx, laws, S = _laws()
    low = lower_problem(OPS[what](laws[law]), sp.Integer(0), ctx)
    sub = {S[k]: sp.Float(v, 30) for k, v in POINT.items()}
    got = sp.N(low.lhs.xreplace(sub), 30)
    want = _quad_value(law, what)
    assert abs(float(got) - float(want)) < 1e-12 * max(1, abs(float(want)))


def test_entropy_without_closed_form_is_unknown():
    ctx, laws, S = _laws()
    assert verdict(ctx, Entropy(laws["poisson"]), S["lam"]).status == UNKNOWN
    assert verdict(ctx, E(sp.exp(laws["normal"]) * sp.log(laws["normal"]**2)), S["mu"]).status == UNKNOWN


def test_kl_of_two_gaussians():
    ctx, laws, S = _laws()
    X, Y = laws["normal"], laws["normal2"]
    mu1, s1, mu2, s2 = S["mu"], S["sigma"], S["m"], S["s"]
    right = sp.log(s2 / s1) + (s1**2 + (mu1 - mu2)**2) / (2 * s2**2) - sp.Rational(1, 2)
    assert verdict(ctx, KL(X, Y), right).status == PROVED
    assert verdict(ctx, KL(X, Y), sp.Integer(0), ">=").status != REFUTED
    broken = sp.log(s1 / s2) + (s2**2 + (mu1 - mu2)**2) / (2 * s1**2) - sp.Rational(1, 2)  # the roles swapped
    v = verdict(ctx, KL(X, Y), broken)
    assert v.status == REFUTED
    cex = {k: mpmath.mpf(v.counterexample[k]) for k in ("mu", "sigma", "m", "s")}
    mpmath.mp.dps = 30
    p = lambda x: mpmath.npdf(x, cex["mu"], cex["sigma"])  # noqa: E731
    q = lambda x: mpmath.npdf(x, cex["m"], cex["s"])  # noqa: E731
    kl = mpmath.quad(lambda x: p(x) * (mpmath.log(p(x)) - mpmath.log(q(x))), [-mpmath.inf, cex["mu"], mpmath.inf])
    b = (mpmath.log(cex["sigma"] / cex["s"]) + (cex["s"]**2 + (cex["mu"] - cex["m"])**2) / (2 * cex["sigma"]**2)
         - mpmath.mpf(1) / 2)
    assert abs(kl - b) > 1e-9


def test_density_and_correlation():
    ctx, laws, S = _laws()
    X = laws["normal"]
    t = ctx.symbol("t")
    pdf = sp.exp(-(t - S["mu"])**2 / (2 * S["sigma"]**2)) / sp.sqrt(2 * sp.pi * S["sigma"]**2)
    assert verdict(ctx, Density(X, t), pdf).status == PROVED
    assert verdict(ctx, Density(X, t), 2 * pdf).status == REFUTED
    assert verdict(ctx, Corr(X, X), sp.Integer(1)).status == PROVED


def test_counterexample_names_are_the_table():
    ctx, a, b, X, Y = generic()
    v = verdict(ctx, E(X * Y), E(X) * E(Y))
    keys = set(v.counterexample)
    assert "n_law" in keys and any(re.fullmatch(r"w_law\[\d\]", k) for k in keys)
    assert "concrete law" in v.message


def test_densities_off_their_support_are_not_built_in():
    ctx, laws, S = _laws()
    t = ctx.symbol("t")
    lam = S["lam"]
    v = verdict(ctx, Density(laws["exponential"], t), lam * sp.exp(-lam * t))
    assert v.status == UNKNOWN  # false for t < 0: the formula holds only on the support
    assert verdict(ctx, E(-sp.log(Density(laws["exponential"], laws["exponential"]))), 1 - sp.log(lam)).status == PROVED
