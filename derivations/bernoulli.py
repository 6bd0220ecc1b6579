"""Bernoulli likelihood to binary cross-entropy.

Seed 001 ``## 推导损失函数`` (one label, negative log-likelihood) and seed 002
``#### 极大似然值与神经网络`` (n labels, log-likelihood).
"""
import sympy as sp
from sympy import Lambda, Product, Sum, log

from verifier.model.chain import Derivation, Source


def bernoulli_nll_bce() -> Derivation:
    D = Derivation("bernoulli-nll-bce", "Negative log-likelihood of one Bernoulli label is binary cross-entropy",
                   Source("001_1dab4d033e599377.txt", "## 推导损失函数"))
    y = D.symbol("y", "binary")
    theta = D.symbol("theta", "real")
    yhat = D.function("yhat", "unit")  # the model's output, a function of its parameters theta
    yh = yhat(theta)
    P = D.define(sp.Symbol("P"), yh**y * (1 - yh) ** (1 - y))  # P(y|x), 001.1

    c = D.chain(P, r"maximise $P(y \mid x)$ over the parameters", sense="max", over=[theta], tex=r"P")
    c.argmin(-log(P),                                      r"$-\log$ is strictly decreasing and $P > 0$: $J = -\log P(y \mid x)$", tex=r"-\log P")
    c.eq(-log(yh**y * (1 - yh) ** (1 - y)),                r"substitute $P(y \mid x) = \hat{y}^{y}(1-\hat{y})^{1-y}$", tex=r"-\log\left(\hat{y}(\theta)^{y} (1 - \hat{y}(\theta))^{1 - y}\right)")
    c.eq(-(y * log(yh) + (1 - y) * log(1 - yh)),           "log of a product of positive powers", tex=r"-(y \log \hat{y}(\theta) + (1 - y) \log(1 - \hat{y}(\theta)))")
    return D


def bernoulli_mle_loglik() -> Derivation:
    D = Derivation("bernoulli-mle-loglik", "Bernoulli likelihood of $n$ labels, then its log",
                   Source("002_4b1aa85e936b725d.txt", "#### 极大似然值与神经网络"))
    n = D.size("n")
    i = D.index("i", n)
    x = D.vector("x", "binary")  # labels
    y = D.vector("y", "unit")  # the model's predicted probabilities (functions of w, b)
    u, p = sp.symbols("u p", real=True)
    Pb = sp.Function("P")
    D.define(Pb, Lambda((u, p), p**u * (1 - p) ** (1 - u)))  # f(x) = p^x (1-p)^(1-x)
    L = D.define(sp.Symbol("L"), Product(Pb(x[i], y[i]), (i, 1, n)))
    term = y[i] ** x[i] * (1 - y[i]) ** (1 - x[i])

    c = D.chain(L, "maximise the likelihood over the predictions (hence over $w, b$)", sense="max", over=[y], tex=r"L")
    c.eq(Product(Pb(x[i], y[i]), (i, 1, n)),                "independence; $y_i$ is the model's output for sample $i$", tex=r"\prod_{i=1}^{n} P(x_i, y_i)")
    c.eq(Product(term, (i, 1, n)),                            "Bernoulli pmf with $p = y_i$", tex=r"\prod_{i=1}^{n} y_i^{x_i}(1-y_i)^{1-x_i}")
    c.argmax(log(Product(term, (i, 1, n))),                   r"$\log$ is strictly increasing; the product is positive", tex=r"\log\left(\prod_{i=1}^{n} y_i^{x_i}(1-y_i)^{1-x_i}\right)")
    c.eq(Sum(log(term), (i, 1, n)),                           "log of a product of positive factors", tex=r"\sum_{i=1}^{n}\log\left(y_i^{x_i}(1-y_i)^{1-x_i}\right)")
    c.eq(Sum(x[i] * log(y[i]) + (1 - x[i]) * log(1 - y[i]), (i, 1, n)), "log of powers", tex=r"\sum_{i=1}^{n}(x_i \log y_i + (1 - x_i) \log(1 - y_i))")
    return D


DERIVATIONS = [bernoulli_nll_bce, bernoulli_mle_loglik]
