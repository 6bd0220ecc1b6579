"""Cross-entropy: its definition, the one-hot single-sample loss, minimising KL is minimising
cross-entropy, and H(P, Q) >= H(P) (the proof seed 004 leaves as a TODO, via log t <= t - 1).

Seed 000 ``## 交叉熵``, seed 001 ``### 交叉熵``, seed 002 ``### 结论中的交叉熵`` and
``### softmax中的交叉熵``, seed 004 ``交叉熵``.
"""
from __future__ import annotations

from sympy import Sum, log

from derivations.information import SEED000, SEED001, SEED002, SEED004, info
from verifier.model.chain import Derivation, Source


def ce_definition_000() -> Derivation:
    D = Derivation("ce-definition", "Cross-entropy (definition)", Source(SEED000, "## 交叉熵"))
    x = info(D)
    n, i, p, q = x.n, x.i, x.p, x.q
    D.chain(x.H(p, q), tex=r"H(p, q)").eq(-Sum(p[i] * log(q[i]), (i, 1, n)), r"definition: $H(P,Q) = -\sum_i p(x_i)\log q(x_i)$", tex=r"-\sum_{i=1}^n p_i \log q_i")
    return D


def ce_definition_002() -> Derivation:
    D = Derivation("ce-definition", r"Cross-entropy (definition); $H(p,q) \ge H(p)$, equal at $q = p$",
                   Source(SEED002, "### softmax中的交叉熵"))
    x = info(D)
    n, i, p, q, H = x.n, x.i, x.p, x.q, x.H
    D.chain(H(p, q), "definition", tex=r"H(p, q)").eq(-Sum(p[i] * log(q[i]), (i, 1, n)), "definition: $p$ true, $q$ predicted", tex=r"-\sum_{i=1}^n p_i \log q_i")
    D.chain(H(p, q), r"closer distributions: $H(p,q) \ge H(p)$", tex=r"H(p, q)").ge(
        H(p), "Gibbs' inequality", lemma="gibbs", lemma_args={"p": p, "q": q, "index": i}, tex=r"H(p)")
    D.chain(H(p, p), "the minimum is reached at $q = p$", tex=r"H(p, p)").eq(H(p), "definitions", tex=r"H(p)")
    return D


def ce_definition_004() -> Derivation:
    D = Derivation("ce-definition", "Cross-entropy is the expected information of $Q$ under $P$",
                   Source(SEED004, "交叉熵"))
    x = info(D)
    n, i, p, q, I = x.n, x.i, x.p, x.q, x.I
    c = D.chain(x.H(p, q), tex=r"H(p, q)")
    c.eq(Sum(p[i] * I(q[i]), (i, 1, n)), "$E_P[I_Q(x)]$: expectation under $P$ of the information under $Q$", tex=r"\sum_{i=1}^n p_i I(q_i)")
    c.eq(-Sum(p[i] * log(q[i]), (i, 1, n)), r"$I_Q(x_i) = -\log Q(x_i)$", tex=r"-\sum_{i=1}^n p_i \log q_i")
    return D


def onehot_ce_single_sample() -> Derivation:
    D = Derivation("onehot-ce-single-sample", "Cross-entropy loss of one sample with a one-hot target",
                   Source(SEED000, "## 交叉熵"))
    x = info(D, p_kind="onehot")
    n, i, p, q = x.n, x.i, x.p, x.q
    k = D.context.onehot_hot[p]  # the correct label y_k
    c = D.chain(x.H(p, q), "loss of a single sample $x$", tex=r"H(p, q)")
    c.eq(-Sum(p[i] * log(q[i]), (i, 1, n)), r"definition: $-\sum_i p_f(Y=y_i \mid x)\log p_{f'}(Y=y_i \mid x)$", tex=r"-\sum_{i=1}^n p_i \log q_i")
    c.eq(-log(q[k]), "one-hot target: only $i = k$ is left", tex=r"- \log q_{k_{p}}")
    return D


def _drop_entropy(D: Derivation, size: str = "n", base=None, named_sum: bool = False) -> None:
    x = info(D, size=size, base=base)
    n, i, p, q, H = x.n, x.i, x.p, x.q, x.H
    c = D.chain(x.KL(p, q), "minimise over $Q$", sense="min", over=[q], tex=r"D_{\mathrm{KL}}(p, q)")
    c.eq(H(p, q) - H(p), r"$D_{\mathrm{KL}}(P \| Q) = H(P,Q) - H(P)$", tex=r"H(p, q) - H(p)")
    if named_sum:
        c.argmin(-Sum(p[i] * x.lg(q[i]), (i, 1, n)), r"drop $H(P)$, free of $Q$: $C(P,Q) = -\sum P\log Q$", tex=r"-\sum_{i=1}^n p_i \log q_i")
    else:
        c.argmin(H(p, q), "drop $H(P)$, which is free of $Q$", tex=r"H(p, q)")


def ce_drop_entropy_000() -> Derivation:
    D = Derivation("ce-drop-entropy", "Minimising KL over the model is minimising cross-entropy",
                   Source(SEED000, "## 交叉熵"))
    _drop_entropy(D)
    return D


def ce_drop_entropy_001() -> Derivation:
    D = Derivation("ce-drop-entropy", "Minimising KL over $Q$ is minimising cross-entropy",
                   Source(SEED001, "### 交叉熵"))
    _drop_entropy(D, named_sum=True)
    return D


def ce_drop_entropy_002() -> Derivation:
    D = Derivation("ce-drop-entropy", "Minimising KL over $Q$ is minimising cross-entropy (bits)",
                   Source(SEED002, "### 结论中的交叉熵"))
    _drop_entropy(D, size="m", base=2)
    return D


def ce_ge_entropy() -> Derivation:
    D = Derivation("ce-ge-entropy", r"Cross-entropy is at least the entropy (proof supplied: $\log t \le t - 1$)",
                   Source(SEED004, "交叉熵"))
    x = info(D)
    n, i, p, q, H = x.n, x.i, x.p, x.q, x.H
    c = D.chain(H(p, q) - H(p), r"$H(P,Q) - H(P) \ge 0$", tex=r"H(p, q) - H(p)")
    c.eq(-Sum(p[i] * log(q[i]), (i, 1, n)) + Sum(p[i] * log(p[i]), (i, 1, n)), "definitions", tex=r"-\sum_{i=1}^n p_i \log q_i + \sum_{i=1}^n p_i \log p_i")
    c.eq(-Sum(p[i] * log(q[i] / p[i]), (i, 1, n)), r"$\log a - \log b = \log\frac{a}{b}$, $a, b > 0$", tex=r"-\sum_{i=1}^n p_i \log \frac{q_i}{p_i}")
    c.ge(-Sum(p[i] * (q[i] / p[i] - 1), (i, 1, n)),
         r"$\log t \le t - 1$ with $t = Q(x_i)/P(x_i) > 0$, each term times $-P(x_i) < 0$ (flips)",
         lemma="log-le-t-minus-1", lemma_args={"t": q[i] / p[i], "weight": -p[i], "index": i}, tex=r"-\sum_{i=1}^n p_i \left(\frac{q_i}{p_i} - 1\right)")
    c.eq(-Sum(q[i], (i, 1, n)) + Sum(p[i], (i, 1, n)), "$P(x_i)$ cancels; linearity", tex=r"-\sum_{i=1}^n q_i + \sum_{i=1}^n p_i")
    c.eq(0, "both sum to 1", tex=r"0")
    D.chain(H(p, p) - H(p), "equality at $Q = P$", tex=r"H(p, p) - H(p)").eq(0, "definitions", tex=r"0")
    return D


DERIVATIONS = [ce_definition_000, ce_definition_002, ce_definition_004, onehot_ce_single_sample,
               ce_drop_entropy_000, ce_drop_entropy_001, ce_drop_entropy_002, ce_ge_entropy]
