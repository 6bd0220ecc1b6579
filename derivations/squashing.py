"""Squashing functions: the ranges of sigmoid, tanh and softmax, and softmax sums to one.

Seed 002, ``## softmax`` (sigma(z) in (0, 1), tanh z in (-1, 1), the softmax bullets) and
``### 归一化`` (the three-term identity).
"""
import sympy as sp
from sympy import Derivative, Lambda, Limit, Sum, exp, oo, tanh

from verifier.model.chain import Derivation, Source

S_SOFTMAX = Source("002_4b1aa85e936b725d.txt", "## softmax")
S_NORMALISE = Source("002_4b1aa85e936b725d.txt", "### 归一化")


def _sigma(D: Derivation):
    t = sp.Symbol("t", real=True)
    sigma = sp.Function("sigma")
    D.define(sigma, Lambda(t, 1 / (1 + exp(-t))))
    return sigma


def sigmoid_tanh_range() -> Derivation:
    D = Derivation("sigmoid-tanh-range", r"$\sigma(z) \in (0, 1)$ and $\tanh z \in (-1, 1)$, approached at $\mp\infty$, never reached",
                   S_SOFTMAX)
    z = D.symbol("z", "real")
    sigma = _sigma(D)

    A = D.chain(sp.Integer(0), r"A: $0 < \sigma(z) < 1$", tex=r"0")
    A.lt(sigma(z),                           r"$\frac{1}{1 + e^{-z}}$ with $1 + e^{-z} > 0$", tex=r"\sigma(z)")
    A.lt(sp.Integer(1),                      r"$1 - \sigma(z) = \frac{e^{-z}}{1 + e^{-z}} > 0$", tex=r"1")
    B = D.chain(Derivative(sigma(z), z), r"B: $\sigma$ is strictly increasing", tex=r"\sigma'(z)")
    B.gt(sp.Integer(0),                      r"$\sigma'(z) = \frac{e^{-z}}{(1 + e^{-z})^2} > 0$", tex=r"0")
    C = D.chain(Limit(sigma(z), z, oo), "C: the upper bound is approached", tex=r"\lim_{z \to \infty} \sigma(z)")
    C.eq(sp.Integer(1),                      r"$e^{-z} \to 0$ as $z \to +\infty$", tex=r"1")
    E = D.chain(Limit(sigma(z), z, -oo), "D: the lower bound is approached", tex=r"\lim_{z \to -\infty} \sigma(z)")
    E.eq(sp.Integer(0),                      r"$e^{-z} \to +\infty$ as $z \to -\infty$", tex=r"0")

    F = D.chain(sp.Integer(-1), r"E: $-1 < \tanh z < 1$", tex=r"-1")
    F.lt(tanh(z),                            r"$\tanh z + 1 = \frac{2e^{2z}}{e^{2z} + 1} > 0$", tex=r"\tanh z")
    F.lt(sp.Integer(1),                      r"$1 - \tanh z = \frac{2}{e^{2z} + 1} > 0$", tex=r"1")
    G = D.chain(Derivative(tanh(z), z), "F: tanh is strictly increasing", tex=r"\frac{d}{dz} \tanh z")
    G.gt(sp.Integer(0),                      r"$\tanh'(z) = 1 - \tanh^2 z = \frac{4}{(e^{z} + e^{-z})^2} > 0$", tex=r"0")
    H = D.chain(Limit(tanh(z), z, oo), r"G: $\tanh \to 1$ at $+\infty$", tex=r"\lim_{z \to \infty} \tanh z")
    H.eq(sp.Integer(1),                      "limit", tex=r"1")
    K = D.chain(Limit(tanh(z), z, -oo), r"H: $\tanh \to -1$ at $-\infty$", tex=r"\lim_{z \to -\infty} \tanh z")
    K.eq(sp.Integer(-1),                     "limit", tex=r"-1")
    return D


def softmax_sums_to_one() -> Derivation:
    D = Derivation("softmax-sums-to-one", "The softmax outputs sum to one", S_NORMALISE)
    x1, x2, x3 = D.symbols("x_1 x_2 x_3", "real")
    den = exp(x1) + exp(x2) + exp(x3)
    A = D.chain(exp(x1) / den + exp(x2) / den + exp(x3) / den, "A: three classes, as in the post", tex=r"\frac{e^{x_1}}{e^{x_1} + e^{x_2} + e^{x_3}} + \frac{e^{x_2}}{e^{x_1} + e^{x_2} + e^{x_3}} + \frac{e^{x_3}}{e^{x_1} + e^{x_2} + e^{x_3}}")
    A.eq(sp.Mul(den, sp.Pow(den, -1), evaluate=False), "common denominator", tex=r"\frac{e^{x_1} + e^{x_2} + e^{x_3}}{e^{x_1} + e^{x_2} + e^{x_3}}")
    A.eq(sp.Integer(1),                                  "a nonzero number over itself", tex=r"1")

    n = D.size("n")
    i = D.index("i", n)
    j = D.index("j", n)
    x = D.vector("x", "real")
    S = Sum(exp(x[i]), (i, 1, n))
    B = D.chain(Sum(exp(x[j]) / S, (j, 1, n)), "B: n classes", tex=r"\sum_{j=1}^{n} \frac{e^{x_j}}{\sum_{i=1}^{n} e^{x_i}}")
    B.eq(sp.Mul(Sum(exp(x[j]), (j, 1, n)), sp.Pow(S, -1), evaluate=False),
         "the denominator does not depend on j", tex=r"\frac{\sum_{j=1}^{n} e^{x_j}}{\sum_{i=1}^{n} e^{x_i}}")
    B.eq(sp.Integer(1),                                  "the two sums differ only in the name of the bound index", tex=r"1")
    return D


def softmax_range() -> Derivation:
    D = Derivation("softmax-range", r"Every softmax output lies in $(0, 1)$ when $n \ge 2$", S_SOFTMAX)
    n = D.size("n", minimum=2)
    i = D.index("i", n)
    j = D.index("j", n)
    x = D.vector("x", "real")
    c = D.chain(sp.Integer(0), r"$0 < \mathrm{softmax}(x)_j < 1$", tex=r"0")
    c.lt(exp(x[j]) / Sum(exp(x[i]), (i, 1, n)),          "a positive number over a sum of positive numbers", tex=r"\frac{e^{x_j}}{\sum_{i=1}^{n} e^{x_i}}")
    c.lt(sp.Integer(1),                                   r"the denominator also holds $e^{x_i}$ for some $i \ne j$ ($n \ge 2$)", tex=r"1")
    return D


DERIVATIONS = [sigmoid_tanh_range, softmax_sums_to_one, softmax_range]
