"""The coin example: the likelihood of ten tosses, and the maximum-likelihood model.

Seed 002, ``#### 什么是似然值与极大似然值``: ten tosses, one head and nine tails; three models
(P(head) = 0.1, 0.7, 0.2) compared by their likelihood.  All arithmetic is exact (rationals).
"""
import sympy as sp
from sympy import Eq, Lambda, Piecewise, Product, Rational

from verifier.model.chain import Derivation, Source

SOURCE = Source("002_4b1aa85e936b725d.txt", "#### 什么是似然值与极大似然值")


def _data(D: Derivation):
    """The outcomes C_1..C_10 (1 = head): toss 1 is the head, the order does not matter."""
    j = sp.Symbol("j", integer=True, positive=True)
    c = sp.Symbol("c", integer=True)
    C = sp.Function("C")
    D.define(C, Lambda(j, Piecewise((1, Eq(j, 1)), (0, True))))
    return j, c, C


def coin_likelihood() -> Derivation:
    D = Derivation("coin-likelihood", r"Likelihood of one head and nine tails under $P(\text{head}) = 0.1$", SOURCE)
    j, c, C = _data(D)
    Pr = sp.Function("P")  # P(C_j | theta) for the model theta: P(head) = 0.1, P(tail) = 0.9
    D.define(Pr, Lambda(c, Piecewise((Rational("0.1"), Eq(c, 1)), (Rational("0.9"), True))))
    joint = D.define(sp.Symbol("P_joint"), Product(Pr(C(j)), (j, 1, 10)))  # P(C_1, ..., C_10 | theta)

    ch = D.chain(joint, r"the likelihood of the data under $\theta$", tex=r"P_{\mathrm{joint}}")
    ch.eq(Product(Pr(C(j)), (j, 1, 10)),                   "independent tosses", tex=r"\prod_{j=1}^{10} P(C(j))")
    ch.eq(Rational("0.1") * sp.Pow(Rational("0.9"), 9, evaluate=False),
          "one head (0.1) and nine tails (0.9 each)", tex=r"0.1 \times 0.9^{9}")
    ch.eq(Rational("0.0387420489"),                        "exact arithmetic: $9^{9}/10^{10}$", tex=r"0.0387420489")
    return D


def coin_model_comparison() -> Derivation:
    D = Derivation("coin-model-comparison", "Model 1 ($0.1 : 0.9$) has the largest likelihood", SOURCE)
    theta = D.symbol("theta", "unit")  # P(head)
    t = sp.Symbol("t", positive=True)
    L = sp.Function("L")  # likelihood of one head and nine tails
    D.define(L, Lambda(t, t * (1 - t) ** 9))
    m1, m2, m3 = Rational(1, 10), Rational(7, 10), Rational(2, 10)

    A = D.chain(L(m1), "A: the table, $L_1 > L_3 > L_2$", tex=r"L(0.1)")
    A.gt(L(m3),                           r"$0.1 \cdot 0.9^{9} > 0.2 \cdot 0.8^{9}$ (exact)", tex=r"L(0.2)")
    A.gt(L(m2),                           r"$0.2 \cdot 0.8^{9} > 0.7 \cdot 0.3^{9}$ (exact)", tex=r"L(0.7)")

    # argmax over the finite set of the three models: the best model's likelihood is the maximum
    B = D.chain(sp.Max(L(m1), L(m2), L(m3), evaluate=False), "B: the maximum over the three models", tex=r"\max\{L(0.1), L(0.7), L(0.2)\}")
    B.eq(L(m1),                           "model 1 attains the maximum (exact comparison)", tex=r"L(0.1)")

    # the continuous version: theta = 1/10 maximises theta (1 - theta)^9 over (0, 1)
    C = D.chain(L(theta), r"C: over all $\theta \in (0, 1)$", tex=r"L(\theta)")
    C.le(L(m1),                           r"$L(\frac{1}{10}) - L(\theta) \ge 0$ on $(0, 1)$: a square times a positive factor", tex=r"L(0.1)")
    Dd = D.chain(sp.Subs(sp.Derivative(L(theta), theta), theta, m1), r"D: $\theta = \frac{1}{10}$ is stationary", tex=r"L'(0.1)")
    Dd.eq(sp.Integer(0),                  r"$(1-\theta)^{8}(1-10\theta)$ vanishes at $\frac{1}{10}$", tex=r"0")
    return D


DERIVATIONS = [coin_likelihood, coin_model_comparison]
