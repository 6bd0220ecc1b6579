"""Two-class cross-entropy is binary cross-entropy, and it agrees with the Bernoulli route.

Seed 001 ``### 交叉熵`` (001.10 and the claim that it matches 001.2) and seed 002
``### 结论中的交叉熵`` (002.10 in bits, over N samples, linked to the log-likelihood of 002.4).
"""
import sympy as sp
from sympy import Eq, Lambda, Piecewise, Sum, log

from verifier.model.chain import Derivation, Source

S001 = Source("001_1dab4d033e599377.txt", "### 交叉熵")
S002 = Source("002_4b1aa85e936b725d.txt", "### 结论中的交叉熵")
LN2 = log(2)


def _two_point(u: sp.Basic, at_one: sp.Basic, k: sp.Basic, one=1) -> sp.Basic:
    """The distribution on two outcomes putting mass `at_one` on outcome `one`."""
    return Piecewise((at_one, Eq(k, one)), (1 - at_one, True))


def _two_class(D: Derivation):
    """P(x=1) = y, P(x=0) = 1 - y (the true distribution); Q(x=1) = yhat, Q(x=0) = 1 - yhat."""
    y = D.symbol("y", "real")  # P(x=1); the identities are polynomial in y, so they hold on [0, 1]
    yhat = D.symbol("yhat", "unit")
    k = sp.Symbol("x", integer=True, nonnegative=True)
    P, Q = sp.Function("P"), sp.Function("Q")
    D.define(P, Lambda(k, _two_point(k, y, k)))
    D.define(Q, Lambda(k, _two_point(k, yhat, k)))
    return y, yhat, k, P, Q


def binary_ce_001() -> Derivation:
    D = Derivation("binary-ce-from-two-class", "Two-class cross-entropy is binary cross-entropy", S001)
    y, yhat, k, P, Q = _two_class(D)
    C = D.define(sp.Symbol("C"), -Sum(P(k) * log(Q(k)), (k, 0, 1)))

    c = D.chain(C, "C(P, Q) for x in {0, 1}", tex=r"C")
    c.eq(-Sum(P(k) * log(Q(k)), (k, 0, 1)),                    "definition of the cross-entropy C(P, Q)", tex=r"-\sum_{x=0}^{1} P(x) \log Q(x)")
    c.eq(-P(0) * log(Q(0)) - P(1) * log(Q(1)),                  "write out the two terms", tex=r"-P(0) \log Q(0) - P(1) \log Q(1)")
    c.eq(-(1 - y) * log(1 - yhat) - y * log(yhat),              r"$P(x=1) = y$, $P(x=0) = 1 - y$, $Q(x=1) = \hat{y}$, $Q(x=0) = 1 - \hat{y}$", tex=r"-(1 - y) \log(1 - \hat{y}) - y \log \hat{y}")
    c.eq(-(y * log(yhat) + (1 - y) * log(1 - yhat)),            "rearrange", tex=r"-(y \log \hat{y} + (1 - y) \log(1 - \hat{y}))")
    return D


def bce_routes_001() -> Derivation:
    D = Derivation("bce-two-routes-agree", "The Bernoulli negative log-likelihood equals the two-class cross-entropy",
                   S001)
    y = D.symbol("y", "binary")
    yhat = D.symbol("yhat", "unit")
    k = sp.Symbol("x", integer=True, nonnegative=True)
    P, Q = sp.Function("P"), sp.Function("Q")
    D.define(P, Lambda(k, _two_point(k, y, k)))
    D.define(Q, Lambda(k, _two_point(k, yhat, k)))

    c = D.chain(-log(yhat**y * (1 - yhat) ** (1 - y)), r"the likelihood route ($J = -\log P(y \mid x)$) against the cross-entropy route ($C(P, Q)$)", tex=r"-\log\left(\hat{y}^{y} (1 - \hat{y})^{1 - y}\right)")
    c.eq(-Sum(P(k) * log(Q(k)), (k, 0, 1)),
         r"with $y = P(x=1)$ and $\hat{y} = Q(x=1)$ both routes give $-(y\log\hat{y} + (1 - y)\log(1 - \hat{y}))$", tex=r"-\sum_{x=0}^{1} P(x) \log Q(x)")
    return D


def _bits(t: sp.Basic) -> sp.Basic:
    """log_2 t, i.e. ln t / ln 2."""
    return log(t) / LN2


def binary_ce_002() -> Derivation:
    D = Derivation("binary-ce-from-two-class", "Two-class cross-entropy in bits, one sample and N samples", S002)
    # chain A: one sample, two outcomes i = 1 (the positive class) and i = 2
    y = D.symbol("y", "real")
    yhat = D.symbol("yhat", "unit")
    i = sp.Symbol("i", integer=True, positive=True)
    m = D.define(sp.Symbol("m", integer=True, positive=True), sp.Integer(2))
    p, q = sp.Function("p"), sp.Function("q")
    D.define(p, Lambda(i, _two_point(i, y, i)))
    D.define(q, Lambda(i, _two_point(i, yhat, i)))
    H = D.define(sp.Symbol("H"), Sum(p(i) * (-_bits(q(i))), (i, 1, m)))
    A = D.chain(H, "A: one sample", tex=r"H")
    A.eq(Sum(p(i) * (-_bits(q(i))), (i, 1, m)),                "definition of H(P, Q) in bits", tex=r"\sum_{i=1}^{m} p(i) \left(-\log_2 q(i)\right)")
    A.eq(-(y * _bits(yhat) + (1 - y) * _bits(1 - yhat)),        r"$m = 2$, $p = (y, 1 - y)$, $q = (\hat{y}, 1 - \hat{y})$", tex=r"-\left(y \log_2 \hat{y} + (1 - y) \log_2(1 - \hat{y})\right)")

    # chain B: N samples, optimisation over the predictions yhat_j (hence over the parameters)
    N = D.size("N")
    j = D.index("j", N)
    ys = D.vector("y", "real")
    yh = D.vector("yhat", "unit")
    u, v = sp.symbols("u v", real=True)
    Hs = sp.Function("H_PQ")
    D.define(Hs, Lambda((u, v), Sum(_two_point(i, u, i) * (-_bits(_two_point(i, v, i))), (i, 1, 2))))
    bce_bits = -Sum(ys[j] * _bits(yh[j]) + (1 - ys[j]) * _bits(1 - yh[j]), (j, 1, N))
    loglik = Sum(ys[j] * log(yh[j]) + (1 - ys[j]) * log(1 - yh[j]), (j, 1, N))
    B = D.chain(Sum(Hs(ys[j], yh[j]), (j, 1, N)), "B: N samples", sense="min", over=[yh], tex=r"\sum_{j=1}^{N} H_{\mathrm{PQ}}(y_j, \hat{y}_j)")
    B.eq(bce_bits,                                              "chain A for each sample", tex=r"-\sum_{j=1}^{N} \left(y_j \log_2 \hat{y}_j + (1 - y_j) \log_2(1 - \hat{y}_j)\right)")
    B.argmin(-Sum(ys[j] * log(yh[j]) + (1 - ys[j]) * log(1 - yh[j]), (j, 1, N)),
             r"$\log_2 t = \ln t / \ln 2$: multiply by $\ln 2 > 0$", tex=r"-\sum_{j=1}^{N} \left(y_j \log \hat{y}_j + (1 - y_j) \log(1 - \hat{y}_j)\right)")
    B.argmax(loglik,                                            "negate: the Bernoulli log-likelihood", tex=r"\sum_{j=1}^{N} \left(y_j \log \hat{y}_j + (1 - y_j) \log(1 - \hat{y}_j)\right)")
    return D


def bce_routes_002() -> Derivation:
    D = Derivation("bce-two-routes-agree", "Binary cross-entropy in bits and the Bernoulli log-likelihood have the "
                   "same optimisers", S002)
    N = D.size("N")
    j = D.index("j", N)
    ys = D.vector("y", "real")
    yh = D.vector("yhat", "unit")
    c = D.chain(-Sum(ys[j] * _bits(yh[j]) + (1 - ys[j]) * _bits(1 - yh[j]), (j, 1, N)),
                "binary cross-entropy in bits", sense="min", over=[yh], tex=r"-\sum_{j=1}^{N} \left(y_j \log_2 \hat{y}_j + (1 - y_j) \log_2(1 - \hat{y}_j)\right)")
    c.argmax(Sum(ys[j] * log(yh[j]) + (1 - ys[j]) * log(1 - yh[j]), (j, 1, N)),
             r"the Bernoulli log-likelihood ($x_i \to y_j$, $y_i \to \hat{y}_j$): the two differ by the factor $-1/\ln 2$", tex=r"\sum_{j=1}^{N} \left(y_j \log \hat{y}_j + (1 - y_j) \log(1 - \hat{y}_j)\right)")
    return D


DERIVATIONS = [binary_ce_001, bce_routes_001, binary_ce_002, bce_routes_002]
