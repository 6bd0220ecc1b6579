"""Properties of the KL divergence: convex in Q (second derivatives), zero at Q = P, not
symmetric (an existential claim, proved by a witness).

Seed 001 ``### 相对熵（KL散度）`` (convexity), seed 004 ``KL散度`` (self-zero, asymmetry).
"""
from __future__ import annotations

import sympy as sp
from sympy import Add, Derivative, KroneckerDelta, Mul, Pow, Rational, Sum, log

from derivations.information import SEED001, SEED004, info, unevaluated_log
from verifier.model.chain import Derivation, Source


def kl_convex_in_q() -> Derivation:
    D = Derivation("kl-convex-in-q", r"KL divergence is convex in $Q$ (Hessian $\mathrm{diag}(p_j/q_j^2)$)",
                   Source(SEED001, "### 相对熵（KL散度）"))
    x = info(D, q_kind="positive")  # Q ranges over the positive orthant (the simplex inside it)
    n, i, p, q, KL = x.n, x.i, x.p, x.q, x.KL
    j, l = D.index("j", n), D.index("l", n)
    t = D.symbol("t", "positive")

    A = D.chain(Derivative(-log(t), t, 2), r"$\varphi(t) = -\log t$ is convex on $t > 0$", tex=r"\frac{d^2}{dt^2}(-\log t)")
    A.eq(1 / t**2, "differentiate twice", tex=r"\frac{1}{t^2}")
    A.gt(0, "$t > 0$", tex=r"0")

    B = D.chain(Derivative(log(t), t, 2), r"$\log$ is concave on $t > 0$", tex=r"\frac{d^2}{dt^2} \log t")
    B.eq(-1 / t**2, "differentiate twice", tex=r"-\frac{1}{t^2}")
    B.lt(0, "$t > 0$", tex=r"0")

    C = D.chain(Derivative(KL(p, q), q[j], 2), r"Hessian diagonal of $D_{\mathrm{KL}}(P \| Q)$ in $q$", tex=r"\frac{\partial^2}{\partial q_j^2} D_{\mathrm{KL}}(p, q)")
    C.eq(p[j] / q[j] ** 2, "only the $j$-th term depends on $q_j$", tex=r"\frac{p_j}{q_j^2}")
    C.gt(0, "$p_j > 0$, $q_j > 0$", tex=r"0")

    E = D.chain(Derivative(KL(p, q), q[j], q[l]), "the Hessian is diagonal, so positive definite", tex=r"\frac{\partial^2}{\partial q_j \partial q_l} D_{\mathrm{KL}}(p, q)")
    E.eq(KroneckerDelta(j, l) * p[j] / q[j] ** 2, r"mixed partials vanish for $j \ne l$", tex=r"\delta_{jl} \frac{p_j}{q_j^2}")
    return D


def kl_self_zero() -> Derivation:
    D = Derivation("kl-self-zero", r"$D_{\mathrm{KL}}(P \| P) = 0$", Source(SEED004, "KL散度"))
    x = info(D)
    n, i, p, KL = x.n, x.i, x.p, x.KL
    ratio = Mul(p[i], Pow(p[i], -1), evaluate=False)
    c = D.chain(KL(p, p), "no difference, no divergence", tex=r"D_{\mathrm{KL}}(p, p)")
    c.eq(Sum(Mul(p[i], log(ratio, evaluate=False), evaluate=False), (i, 1, n)), "definition with $Q = P$", tex=r"\sum_{i=1}^n p_i \log \frac{p_i}{p_i}")
    c.eq(Sum(Mul(p[i], unevaluated_log(1), evaluate=False), (i, 1, n)), "$p_i/p_i = 1$ ($p_i > 0$)", tex=r"\sum_{i=1}^n p_i \log 1")
    c.eq(0, r"$\log 1 = 0$", tex=r"0")
    return D


def _kl_terms(P: list, Q: list) -> sp.Basic:
    """sum_i P_i log(P_i / Q_i) for concrete vectors, kept as written."""
    return Add(*[Mul(a, log(a / b), evaluate=False) for a, b in zip(P, Q)], evaluate=False)


def kl_asymmetric() -> Derivation:
    D = Derivation("kl-asymmetric", r"KL is not symmetric: $D(P \| Q) \ne D(Q \| P)$ for some $P, Q$",
                   Source(SEED004, "KL散度"))
    x = info(D)
    n, p, q, KL = x.n, x.p, x.q, x.KL
    half, quarter, three_q = Rational(1, 2), Rational(1, 4), Rational(3, 4)
    witness = {n: 2, p[1]: half, p[2]: half, q[1]: quarter, q[2]: three_q}

    A = D.chain(KL(p, q), r"there exist $P, Q$ with $D(P \| Q) \ne D(Q \| P)$", tex=r"D_{\mathrm{KL}}(p, q)")
    A.ne(KL(q, p), r"witness $P = (\frac{1}{2}, \frac{1}{2})$, $Q = (\frac{1}{4}, \frac{3}{4})$", witness=witness, tex=r"D_{\mathrm{KL}}(q, p)")

    P, Q = [half, half], [quarter, three_q]
    B = D.chain(_kl_terms(P, Q), r"$D(P \| Q)$ at the witness", tex=r"\frac{1}{2} \log \frac{1/2}{1/4} + \frac{1}{2} \log \frac{1/2}{3/4}")
    B.eq(log(2) - log(3) / 2, "exact logarithms", tex=r"\log 2 - \frac{1}{2} \log 3")

    C = D.chain(_kl_terms(Q, P), r"$D(Q \| P)$ at the witness", tex=r"\frac{1}{4} \log \frac{1/4}{1/2} + \frac{3}{4} \log \frac{3/4}{1/2}")
    C.eq(Rational(3, 4) * log(3) - log(2), "exact logarithms", tex=r"\frac{3}{4} \log 3 - \log 2")

    E = D.chain(log(2) - log(3) / 2, "the two directions differ", tex=r"\log 2 - \frac{1}{2} \log 3")
    E.gt(Rational(3, 4) * log(3) - log(2), r"$8\log 2 > 5\log 3$, i.e. $256 > 243$", tex=r"\frac{3}{4} \log 3 - \log 2")
    return D


DERIVATIONS = [kl_convex_in_q, kl_self_zero, kl_asymmetric]
