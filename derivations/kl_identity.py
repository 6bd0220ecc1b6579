"""KL divergence = cross-entropy - entropy.

Seed 000 ``## 交叉熵`` (the [!IMPORTANT] block), seed 001 ``### 相对熵（KL散度）``,
seed 002 ``### 相对熵（KL散度）`` (in bits), seed 004 ``KL散度``.
"""
from functools import partial

import sympy as sp
from sympy import Sum, log

from derivations.information import kl_divergence, lg_of
from verifier.model.chain import Derivation, Source


def cross_or_plain_entropy(i, n, lg, *dists):
    """H(p) = -sum_i p_i lg p_i; H(p, q) = -sum_i p_i lg q_i."""
    p, q = (dists[0], dists[0]) if len(dists) == 1 else dists
    return -Sum(p[i] * lg(q[i]), (i, 1, n))


def information_in_bits(vec, j):
    """I(vec, j) = -log_2 vec_j: the information of outcome j under the distribution vec."""
    return -log(vec[j], 2)


def _information(D: Derivation, size: str = "n", base=None):
    """Probability vectors p, q over i = 1..size, and the named quantities H(p), H(p,q), D_KL(p||q)
    (plain functions bound with functools.partial: a step's problem pickles as it is)."""
    n = D.size(size)
    i = D.index("i", n)
    p = D.vector("p", "probability", over=i)
    q = D.vector("q", "probability", over=i)
    lg = lg_of(base)
    H, KL = sp.Function("H"), sp.Function("D_KL")
    D.define(H, partial(cross_or_plain_entropy, i, n, lg))
    D.define(KL, partial(kl_divergence, i, n, lg))
    return n, i, p, q, H, KL, lg


def seed000() -> Derivation:
    D = Derivation("kl-ce-entropy-identity", "KL divergence = cross-entropy − entropy",
                   Source("000_51fe35b09d169904.txt", "## 交叉熵"))
    n, i, p, q, H, KL, lg = _information(D)
    c = D.chain(KL(p, q), tex=r"D_{\mathrm{KL}}(p, q)")
    c.eq(Sum(p[i] * log(p[i] / q[i]), (i, 1, n)),                                  r"definition of $D_{\mathrm{KL}}$", tex=r"\sum_{i=1}^n p_i \log \frac{p_i}{q_i}")
    c.eq(-Sum(p[i] * log(q[i]), (i, 1, n)) - (-Sum(p[i] * log(p[i]), (i, 1, n))),   r"$\log\frac{a}{b} = \log a - \log b$ for $a, b > 0$; linearity", tex=r"-\sum_{i=1}^n p_i \log q_i - \left(-\sum_{i=1}^n p_i \log p_i\right)")
    c.eq(H(p, q) - H(p),                                                              r"definitions of $H(P,Q)$ and $H(P)$", tex=r"H(p, q) - H(p)")
    return D


def seed001() -> Derivation:
    D = Derivation("kl-ce-entropy-identity", "KL divergence = cross-entropy − entropy",
                   Source("001_1dab4d033e599377.txt", "### 相对熵（KL散度）"))
    n, i, p, q, H, KL, lg = _information(D)
    c = D.chain(H(p, q) - H(p), tex=r"H(p, q) - H(p)")
    c.eq(-Sum(p[i] * log(q[i]), (i, 1, n)) + Sum(p[i] * log(p[i]), (i, 1, n)),  "definitions $H_Q(X)$, $H_P(X)$", tex=r"-\sum_{i=1}^n p_i \log q_i + \sum_{i=1}^n p_i \log p_i")
    c.eq(Sum(p[i] * (log(p[i]) - log(q[i])), (i, 1, n)),                          "linearity of the sum", tex=r"\sum_{i=1}^n p_i (\log p_i - \log q_i)")
    c.eq(Sum(p[i] * log(p[i] / q[i]), (i, 1, n)),                                 "log of a quotient", tex=r"\sum_{i=1}^n p_i \log \frac{p_i}{q_i}")
    c.eq(KL(p, q),                                                                  r"definition of $D_{\mathrm{KL}}$", tex=r"D_{\mathrm{KL}}(p, q)")
    return D


def seed002() -> Derivation:
    D = Derivation("kl-ce-entropy-identity", "KL divergence = cross-entropy − entropy (in bits)",
                   Source("002_4b1aa85e936b725d.txt", "### 相对熵（KL散度）"))
    m, i, p, q, H, KL, lg = _information(D, "m", base=2)
    I = sp.Function("I")  # information content in bits of entry i under a distribution
    D.define(I, information_in_bits)
    c = D.chain(KL(p, q), tex=r"D_{\mathrm{KL}}(p, q)")
    c.eq(Sum(p[i] * (I(q, i) - I(p, i)), (i, 1, m)),                                   "definition: expected extra information", tex=r"\sum_{i=1}^{m} p_i (I(q, i) - I(p, i))")
    c.eq(Sum(p[i] * ((-log(q[i], 2)) - (-log(p[i], 2))), (i, 1, m)),                   r"$I(x) = -\log_2 x$", tex=r"\sum_{i=1}^m p_i \left((-\log_2 q_i) - (-\log_2 p_i)\right)")
    c.eq(Sum(p[i] * (-log(q[i], 2)), (i, 1, m)) - Sum(p[i] * (-log(p[i], 2)), (i, 1, m)), "linearity", tex=r"\sum_{i=1}^m p_i (-\log_2 q_i) - \sum_{i=1}^m p_i (-\log_2 p_i)")
    c.eq(H(p, q) - H(p),                                                                 "cross-entropy and entropy in bits", tex=r"H(p, q) - H(p)")
    return D


def seed004() -> Derivation:
    D = Derivation("kl-ce-entropy-identity", "KL divergence = cross-entropy − entropy",
                   Source("004_69ecd8eeec9c2ec6.txt", "KL散度"))
    n, i, p, q, H, KL, lg = _information(D)
    c = D.chain(KL(p, q), tex=r"D_{\mathrm{KL}}(p, q)")
    c.eq(H(p, q) - H(p),                                 "definition of KL in the post", tex=r"H(p, q) - H(p)")
    c.eq(Sum(p[i] * log(p[i] / q[i]), (i, 1, n)),       r"linearity; $\log\frac{a}{b} = \log a - \log b$", tex=r"\sum_{i=1}^n p_i \log \frac{p_i}{q_i}")
    return D


DERIVATIONS = [seed000, seed001, seed002, seed004]
