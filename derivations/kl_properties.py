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

    A = D.chain(Derivative(-log(t), t, 2), r"$\varphi(t) = -\log t$ is convex on $t > 0$")
    A.eq(1 / t**2, "differentiate twice")
    A.gt(0, "$t > 0$")

    B = D.chain(Derivative(log(t), t, 2), r"$\log$ is concave on $t > 0$")
    B.eq(-1 / t**2, "differentiate twice")
    B.lt(0, "$t > 0$")

    C = D.chain(Derivative(KL(p, q), q[j], 2), r"Hessian diagonal of $D_{\mathrm{KL}}(P \| Q)$ in $q$")
    C.eq(p[j] / q[j] ** 2, "only the $j$-th term depends on $q_j$")
    C.gt(0, "$p_j > 0$, $q_j > 0$")

    E = D.chain(Derivative(KL(p, q), q[j], q[l]), "the Hessian is diagonal, so positive definite")
    E.eq(KroneckerDelta(j, l) * p[j] / q[j] ** 2, r"mixed partials vanish for $j \ne l$")
    return D


def kl_self_zero() -> Derivation:
    D = Derivation("kl-self-zero", r"$D_{\mathrm{KL}}(P \| P) = 0$", Source(SEED004, "KL散度"))
    x = info(D)
    n, i, p, KL = x.n, x.i, x.p, x.KL
    ratio = Mul(p[i], Pow(p[i], -1), evaluate=False)
    c = D.chain(KL(p, p), "no difference, no divergence")
    c.eq(Sum(Mul(p[i], log(ratio, evaluate=False), evaluate=False), (i, 1, n)), "definition with $Q = P$")
    c.eq(Sum(Mul(p[i], unevaluated_log(1), evaluate=False), (i, 1, n)), "$p_i/p_i = 1$ ($p_i > 0$)")
    c.eq(0, r"$\log 1 = 0$")
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

    A = D.chain(KL(p, q), r"there exist $P, Q$ with $D(P \| Q) \ne D(Q \| P)$")
    A.ne(KL(q, p), r"witness $P = (\frac{1}{2}, \frac{1}{2})$, $Q = (\frac{1}{4}, \frac{3}{4})$", witness=witness)

    P, Q = [half, half], [quarter, three_q]
    B = D.chain(_kl_terms(P, Q), r"$D(P \| Q)$ at the witness")
    B.eq(log(2) - log(3) / 2, "exact logarithms")

    C = D.chain(_kl_terms(Q, P), r"$D(Q \| P)$ at the witness")
    C.eq(Rational(3, 4) * log(3) - log(2), "exact logarithms")

    E = D.chain(log(2) - log(3) / 2, "the two directions differ")
    E.gt(Rational(3, 4) * log(3) - log(2), r"$8\log 2 > 5\log 3$, i.e. $256 > 243$")
    return D


DERIVATIONS = [kl_convex_in_q, kl_self_zero, kl_asymmetric]
