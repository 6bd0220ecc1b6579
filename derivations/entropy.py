"""Entropy: the expected information; zero for a certain (one-hot) distribution; at most log n,
reached by the uniform distribution.

Seed 000 ``## 交叉熵`` (one-hot entropy), seed 001 ``### 信息熵``, seed 002 ``### 信息论`` (bits),
seed 004 ``信息熵`` (definition, the sunrise example, maximum at the uniform distribution).
"""
from __future__ import annotations

import sympy as sp
from sympy import Limit, Mul, Sum, log

from derivations.information import (
    SEED000,
    SEED001,
    SEED002,
    SEED004,
    info,
    unevaluated_log,
)
from verifier.engine.limits import XLogX
from verifier.model.chain import Derivation, Source


def _entropy_definition(D: Derivation, base=None) -> None:
    x = info(D, base=base)
    n, i, p, I, H = x.n, x.i, x.p, x.I, x.H
    c = D.chain(H(p), tex=r"H(p)")
    c.eq(Sum(p[i] * I(p[i]), (i, 1, n)), "expectation of the information $I(x_i)$ under $P$",
         tex=r"\sum_{i=1}^n p_i I(p_i)")
    c.eq(-Sum(p[i] * x.lg(p[i]), (i, 1, n)), (r"$I(x_i) = -\log_2 P(x_i)$ (bits)" if base else r"$I(x_i) = -\log P(x_i)$"),
         tex=r"-\sum_{i=1}^n p_i \log_2 p_i" if base else r"-\sum_{i=1}^n p_i \log p_i")


def entropy_definition_001() -> Derivation:
    D = Derivation("entropy-definition", "Entropy is the expected information",
                   Source(SEED001, "### 信息熵"))
    _entropy_definition(D)
    return D


def entropy_definition_002() -> Derivation:
    D = Derivation("entropy-definition", "Entropy is the expected information (in bits)",
                   Source(SEED002, "### 信息论"))
    _entropy_definition(D, base=2)
    return D


def entropy_definition_004() -> Derivation:
    D = Derivation("entropy-definition", "Entropy is the expected information",
                   Source(SEED004, "信息熵"))
    _entropy_definition(D)
    return D


def onehot_entropy_zero() -> Derivation:
    D = Derivation("onehot-entropy-zero", "The entropy of a one-hot distribution is 0",
                   Source(SEED000, "## 交叉熵"))
    x = info(D, p_kind="onehot")
    n, i, p, H = x.n, x.i, x.p, x.H
    t = sp.Symbol("t", positive=True)
    c = D.chain(H(p), tex=r"H(p)")
    c.eq(-Sum(XLogX(p[i]), (i, 1, n)), r"definition, with $0 \log 0 := \lim_{t \to 0^+} t \log t$", tex=r"-\sum_{i=1}^n p_i \log p_i")
    c.eq(-Mul(1, unevaluated_log(1), evaluate=False) - (n - 1) * Limit(t * log(t), t, 0, "+"),
         "one-hot: $p_k = 1$, the other $n - 1$ entries are $0$", tex=r"-1 \cdot \log 1 - (n - 1) \lim_{t \to 0^{+}} t \log t")
    c.eq(0, r"$\log 1 = 0$; $\lim_{t \to 0^+} t \log t = 0$", tex=r"0")
    return D


def entropy_degenerate_example() -> Derivation:
    D = Derivation("entropy-degenerate-example", "Entropy of a certain event is 0 (east 1, west 0)",
                   Source(SEED004, "信息熵"))
    i = D.index("i", 2)  # two outcomes: east, west
    p = D.vector("p", "onehot", over=i)  # the certain outcome (east) is the hot index
    t = sp.Symbol("t", positive=True)
    I, H = sp.Function("I"), sp.Symbol("H")
    D.define(I, sp.Lambda(t, -log(t)))
    D.define(H, -Sum(XLogX(p[i]), (i, 1, 2)))
    c = D.chain(H, tex=r"H")
    c.eq(-Sum(XLogX(p[i]), (i, 1, 2)), "P(east) I(east) + P(west) I(west), with 0 I(0) read as a limit", tex=r"-\sum_{i=1}^{2} p_i \log p_i")
    c.eq(Mul(1, I(1), evaluate=False) + Limit(t * I(t), t, 0, "+"), r"$P(\text{east}) = 1$; $P(\text{west}) = 0$: $\lim_{t \to 0^+} t(-\log t)$", tex=r"1 \times I(1) + \lim_{t \to 0^{+}} t\, I(t)")
    c.eq(0, r"$I(1) = -\log 1 = 0$; $\lim_{t \to 0^+} t \log t = 0$", tex=r"0")
    return D


def entropy_max_uniform() -> Derivation:
    D = Derivation("entropy-max-uniform", r"Entropy is at most $\log n$, reached by the uniform distribution",
                   Source(SEED004, "信息熵"))
    x = info(D)
    n, i, p, H, KL = x.n, x.i, x.p, x.H, x.KL
    u = D.vector("u", "positive", over=i)  # the uniform distribution U
    D.define(u[i], 1 / n)
    gibbs = {"p": p, "q": 1 / n, "index": i}

    A = D.chain(log(n) - H(p), r"$\log n - H(P) = D_{\mathrm{KL}}(P \| U) \ge 0$", tex=r"\log n - H(p)")
    A.eq(Sum(p[i] * log(n), (i, 1, n)) + Sum(p[i] * log(p[i]), (i, 1, n)), r"$\sum_i p_i = 1$; definition of $H$", tex=r"\sum_{i=1}^n p_i \log n + \sum_{i=1}^n p_i \log p_i")
    A.eq(Sum(p[i] * log(p[i] / (1 / n)), (i, 1, n)), r"$\log a + \log b = \log(ab)$, $a, b > 0$", tex=r"\sum_{i=1}^n p_i \log \frac{p_i}{1/n}")
    A.eq(KL(p, u), r"$D_{\mathrm{KL}}(P \| U)$, $U$ uniform: $u_i = \frac{1}{n}$", tex=r"D_{\mathrm{KL}}(p, u)")
    A.ge(0, r"Gibbs' inequality with $q_i = \frac{1}{n}$", lemma="gibbs", lemma_args=gibbs, tex=r"0")

    B = D.chain(H(p), r"$H(P) \le \log n$", tex=r"H(p)")
    B.le(log(n), r"Gibbs' inequality with $q_i = \frac{1}{n}$: $-\sum p \log p \le -\sum p \log\frac{1}{n}$", lemma="gibbs",
         lemma_args=gibbs, tex=r"\log n")

    C = D.chain(H(u), r"the uniform distribution reaches $\log n$", tex=r"H(u)")
    C.eq(-Sum(1 / n * log(1 / n), (i, 1, n)), r"$u_i = \frac{1}{n}$", tex=r"-\sum_{i=1}^n \frac{1}{n} \log \frac{1}{n}")
    C.eq(log(n), r"$n$ terms of $-\frac{1}{n}\log\frac{1}{n} = \frac{1}{n}\log n$", tex=r"\log n")
    return D


DERIVATIONS = [entropy_definition_001, entropy_definition_002, entropy_definition_004, onehot_entropy_zero,
               entropy_degenerate_example, entropy_max_uniform]
