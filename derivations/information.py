"""Information content (self-information) and the shared vocabulary of the information-theory
derivations: information I, entropy H, cross-entropy H(P, Q), KL divergence, expectation E_P.

Seed 001 ``### 信息量``, seed 002 ``### 信息论`` (in bits), seed 004 ``自信息``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import sympy as sp
from sympy import Derivative, Lambda, Limit, Sum, log, oo

from verifier.engine.limits import XLogX
from verifier.model.chain import Derivation, Source
from verifier.model.exprs import as_expr
from verifier.model.latex import to_latex

SEED000 = "000_51fe35b09d169904.txt"
SEED001 = "001_1dab4d033e599377.txt"
SEED002 = "002_4b1aa85e936b725d.txt"
SEED004 = "004_69ecd8eeec9c2ec6.txt"


@dataclass
class Info:
    """Names of one derivation's information-theory context."""

    n: sp.Symbol            # number of outcomes
    i: sp.Symbol            # outcome index 1..n
    p: sp.IndexedBase       # the reference distribution P
    q: sp.IndexedBase       # the other distribution Q
    I: sp.FunctionClass     # information content I(x) = -log x
    H: sp.FunctionClass     # H(p) entropy, H(p, q) cross-entropy
    KL: sp.FunctionClass    # D_KL(p, q)
    E: sp.FunctionClass     # expectation under p: E(g) = sum_i p_i g (g written in i)
    lg: object              # the logarithm in use (natural or base 2)


def log_in(base, t):
    """log t (natural when base is None), or log_base t = log t / log base."""
    return log(t) if base is None else log(t, base)


def lg_of(base=None):
    """The logarithm of the derivation: natural, or in the given base."""
    return partial(log_in, base)


# The definitions are plain functions bound to a derivation's names with functools.partial (not
# lambdas): a step's problem then pickles as it is, on its way to a worker process.

def entropies(i, n, scale, lg, *dists):
    """H(p) = -scale sum_i p_i log p_i (as XLogX: 0 log 0 = 0); H(p, q) = -sum_i p_i lg q_i."""
    if len(dists) == 1:
        return -scale * Sum(XLogX(dists[0][i]), (i, 1, n))
    p, q = dists
    return -Sum(p[i] * lg(q[i]), (i, 1, n))


def kl_divergence(i, n, lg, p, q):
    """D_KL(p || q) = sum_i p_i lg(p_i / q_i)."""
    return Sum(p[i] * lg(p[i] / q[i]), (i, 1, n))


def expectation(p, i, n, g):
    """E_P[g] = sum_i p_i g, g written in the index i."""
    return Sum(p[i] * g, (i, 1, n))


def info(D: Derivation, size: str = "n", base=None, p_kind: str = "probability",
         q_kind: str = "probability") -> Info:
    """Declare n, i, p, q and define I, H, D_KL and E_P in D's context.

    Entropy uses ``XLogX`` (t log t with 0 log 0 = 0, its one-sided limit), so it is defined for
    one-hot p; for a probability vector (positive entries) it is the plain -sum p log p.
    """
    n = D.size(size)
    i = D.index("i", n)
    p = D.vector("p", p_kind, over=i)
    q = D.vector("q", q_kind, over=i)
    lg = lg_of(base)
    scale = 1 if base is None else 1 / log(base)
    t = sp.Symbol("t", positive=True)
    I, H, KL, E = sp.Function("I"), sp.Function("H"), sp.Function("D_KL"), sp.Function("E_P")
    D.define(I, Lambda(t, -lg(t)))
    D.define(H, partial(entropies, i, n, scale, lg))
    D.define(KL, partial(kl_divergence, i, n, lg))
    D.define(E, partial(expectation, p, i, n))
    return Info(n, i, p, q, I, H, KL, E, lg)


def unevaluated_log(x) -> sp.Basic:
    """log(x) kept as written (log 1 shown, not replaced by 0)."""
    return log(as_expr(x), evaluate=False)


# ----------------------------------------------------------------------------------------
# self-information
# ----------------------------------------------------------------------------------------
def _self_information(D: Derivation, base=None, bits: str = "") -> tuple:
    """Definition, I > 0 on (0, 1), I(1) = 0 and strict decrease (shared by the occurrences)."""
    P = D.symbol("P", "unit")
    lg = lg_of(base)
    t = sp.Symbol("t", positive=True)
    I = sp.Function("I")
    D.define(I, Lambda(t, -lg(t)))
    w = -1 if base is None else -1 / log(base)
    log_tex = r"\log" if base is None else rf"\log_{{{base}}}"

    A = D.chain(I(P), "definition", tex=r"I(P)")
    A.eq(-lg(P), f"information content of an event of probability $P${bits}", tex=rf"-{log_tex} P")

    B = D.chain(I(P), "$I > 0$ for $0 < P < 1$", tex=r"I(P)")
    B.eq(-lg(P), "definition", tex=rf"-{log_tex} P")
    B.ge((1 - P) * -w, r"$\log t \le t - 1$ with $t = P$, times the negative weight $" + to_latex(w) + "$",
         lemma="log-le-t-minus-1", lemma_args={"t": P, "weight": w},
         tex=("1 - P" if base is None else rf"\frac{{1 - P}}{{\log {base}}}"))
    B.gt(0, "$P < 1$", tex=r"0")

    C = D.chain(I(1), "a certain event carries no information", tex=r"I(1)")
    C.eq(-unevaluated_log(1) * (1 if base is None else 1 / log(base)), "$P = 1$", tex=rf"-{log_tex} 1")
    C.eq(0, r"$\log 1 = 0$", tex=r"0")

    Dd = D.chain(Derivative(I(P), P), "I is strictly decreasing in P", tex=r"I'(P)")
    Dd.eq(w / P, r"$\frac{d}{dP}(-\log P) = -\frac{1}{P}$" + (f" (times $1/\\log {base}$)" if base is not None else ""),
           tex=(r"-\frac{1}{P}" if base is None else rf"-\frac{{1}}{{P \log {base}}}"))
    Dd.lt(0, "$P > 0$", tex=r"0")
    return P, I


def self_information_001() -> Derivation:
    D = Derivation("self-information", r"Information content $I = -\log P$: non-negative, decreasing",
                   Source(SEED001, "### 信息量"))
    _self_information(D)
    return D


def self_information_002() -> Derivation:
    D = Derivation("self-information", r"Information content in bits $I = -\log_2 P$: non-negative, decreasing",
                   Source(SEED002, "### 信息论"))
    _self_information(D, base=2, bits=" (in bits)")
    return D


def self_information_004() -> Derivation:
    D = Derivation("self-information", r"Self-information: decreasing, $0$ at $P = 1$, $+\infty$ as $P \to 0^+$ (sunrise example)",
                   Source(SEED004, "自信息"))
    P, I = _self_information(D)
    p = sp.Symbol("p", positive=True)
    L = D.chain(Limit(I(p), p, 0, "+"), r"$P \to 0^+$: $I \to +\infty$ (the sunrise in the west)", tex=r"\lim_{p \to 0^{+}} I(p)")
    L.eq(Limit(-log(p), p, 0, "+"), "definition", tex=r"\lim_{p \to 0^{+}} (- \log p)")
    L.eq(oo, r"$-\log p \to +\infty$ as $p \to 0^+$", tex=r"\infty")
    return D


DERIVATIONS = [self_information_001, self_information_002, self_information_004]
