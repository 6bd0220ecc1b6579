"""Jensen's inequality, KL >= 0 by Jensen, and Gibbs' inequality (in bits).

Seed 001 ``### 相对熵（KL散度）`` (Jensen, KL >= 0), seed 002 ``### 相对熵（KL散度）`` (Gibbs).
"""
from __future__ import annotations

import sympy as sp
from sympy import Derivative, Lambda, Mul, Sum, log

from derivations.information import SEED001, SEED002, info
from verifier.model.chain import Derivation, Source

_T = sp.Symbol("t", positive=True)
NEG_LOG = Lambda(_T, -log(_T))
LOG = Lambda(_T, log(_T))


def jensen_statement() -> Derivation:
    D = Derivation("jensen-statement", r"Jensen's inequality: $\varphi(E[Z]) \le E[\varphi(Z)]$ for convex $\varphi$, $\ge$ for concave",
                   Source(SEED001, "### 相对熵（KL散度）"))
    x = info(D)
    n, i, p, E = x.n, x.i, x.p, x.E
    z = D.vector("z", "positive", over=i)   # the values of Z (positive: the domain of log)
    y = D.vector("y", "real", over=i)       # real values, for phi(t) = t^2
    t = D.symbol("t", "positive")
    u = sp.Symbol("u", real=True)
    jensen = {"weights": p, "index": i}

    A = D.chain(Derivative(-log(t), t, 2), r"side condition: $\varphi(t) = -\log t$ has $\varphi'' > 0$ on $t > 0$", tex=r"\frac{d^2}{dt^2}(-\log t)")
    A.eq(1 / t**2, "differentiate twice", tex=r"\frac{1}{t^2}")
    A.gt(0, "$t > 0$", tex=r"0")

    B = D.chain(-log(E(z[i])), r"convex $\varphi = -\log$: $\varphi(E[Z]) \le E[\varphi(Z)]$", tex=r"-\log E_P[z_i]")
    B.le(E(-log(z[i])), "Jensen's inequality, convex form", lemma="jensen",
         lemma_args={**jensen, "phi": NEG_LOG, "values": z, "form": "convex"}, tex=r"E_P[-\log z_i]")

    C = D.chain(log(E(z[i])), r"concave $\varphi = \log$: $\varphi(E[Z]) \ge E[\varphi(Z)]$", tex=r"\log E_P[z_i]")
    C.ge(E(log(z[i])), "Jensen's inequality, concave form", lemma="jensen",
         lemma_args={**jensen, "phi": LOG, "values": z, "form": "concave"}, tex=r"E_P[\log z_i]")

    F = D.chain(E(y[i]) ** 2, r"convex $\varphi(u) = u^2$ on the reals: $E[Y]^2 \le E[Y^2]$", tex=r"E_P[y_i]^2")
    F.le(E(y[i] ** 2), "Jensen's inequality, convex form", lemma="jensen",
         lemma_args={**jensen, "phi": Lambda(u, u**2), "values": y, "domain": "real", "form": "convex"}, tex=r"E_P[y_i^2]")
    return D


def kl_nonneg_jensen() -> Derivation:
    D = Derivation("kl-nonneg-jensen", "KL divergence is non-negative (by Jensen)",
                   Source(SEED001, "### 相对熵（KL散度）"))
    x = info(D)
    n, i, p, q, E, KL = x.n, x.i, x.p, x.q, x.E, x.KL
    c = D.chain(KL(p, q), r"$D_{\mathrm{KL}}(P \| Q) \ge 0$", tex=r"D_{\mathrm{KL}}(p, q)")
    c.eq(Sum(p[i] * log(p[i] / q[i]), (i, 1, n)), "definition", tex=r"\sum_{i=1}^n p_i \log \frac{p_i}{q_i}")
    c.eq(E(log(p[i] / q[i])), "expectation under P", tex=r"E_P\left[\log \frac{p_i}{q_i}\right]")
    c.eq(E(-log(q[i] / p[i])), r"$\log\frac{a}{b} = -\log\frac{b}{a}$", tex=r"E_P\left[-\log \frac{q_i}{p_i}\right]")
    c.ge(-log(E(q[i] / p[i])), r"Jensen with convex $\varphi(t) = -\log t$ on $t > 0$", lemma="jensen",
         lemma_args={"phi": NEG_LOG, "weights": p, "values": q[i] / p[i], "index": i, "form": "convex"}, tex=r"-\log E_P\left[\frac{q_i}{p_i}\right]")
    c.eq(-log(Sum(Mul(p[i], q[i] / p[i], evaluate=False), (i, 1, n))), "expectation under P", tex=r"-\log \sum_{i=1}^n p_i \frac{q_i}{p_i}")
    c.eq(-log(Sum(q[i], (i, 1, n))), "cancel $P(x_i) > 0$", tex=r"-\log \sum_{i=1}^n q_i")
    c.eq(0, r"$\sum_i Q(x_i) = 1$, $\log 1 = 0$", tex=r"0")
    return D


def gibbs_inequality() -> Derivation:
    D = Derivation("gibbs-inequality", "Cross-entropy minus entropy is non-negative (Gibbs, in bits)",
                   Source(SEED002, "### 相对熵（KL散度）"))
    x = info(D, size="m", base=2)
    m, i, p, q = x.n, x.i, x.p, x.q
    c = D.chain(Sum(p[i] * (-log(q[i], 2)), (i, 1, m)) - Sum(p[i] * (-log(p[i], 2)), (i, 1, m)),
                "H(P,Q) - H(P) in bits", tex=r"\sum_{i=1}^{m} p_i (-\log_2 q_i) - \sum_{i=1}^{m} p_i (-\log_2 p_i)")
    c.ge(0, r"Gibbs' inequality (times $1/\ln 2 > 0$ for bits)", lemma="gibbs",
         lemma_args={"p": p, "q": q, "index": i, "scale": 1 / log(2)}, tex=r"0")
    return D


DERIVATIONS = [jensen_statement, kl_nonneg_jensen, gibbs_inequality]
