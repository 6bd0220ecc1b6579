"""Gaussian maximum likelihood gives the mean squared error.

Seed 000 (``## 均方差``) and seed 003 (``## 均方差损失函数与最大似然原理``).
"""
import sympy as sp
from sympy import Lambda, Product, Sum, exp, log, pi, sqrt

from verifier.model.chain import Derivation, Source


def _gaussian(D: Derivation, f_name: str, n_name: str):
    n = D.size(n_name)
    i = D.index("i", n)
    y = D.vector("y", "real")
    f = D.vector(f_name, "real")
    sigma = D.symbol("sigma", "positive")
    u, m = sp.symbols("u m", real=True)
    p = sp.Function("p")
    D.define(p, Lambda((u, m), 1 / sqrt(2 * pi * sigma**2) * exp(-(u - m) ** 2 / (2 * sigma**2))))
    return n, i, y, f, sigma, p


def seed000() -> Derivation:
    D = Derivation("gaussian-mle-mse", "Gaussian maximum likelihood gives mean squared error",
                   Source("000_51fe35b09d169904.txt", "## 均方差"))
    n, i, y, f, sigma, p = _gaussian(D, "f", "n")
    L = D.define(sp.Symbol("L"), Product(p(y[i], f[i]), (i, 1, n)))
    summand = -log(2 * pi * sigma**2) / 2 - (y[i] - f[i]) ** 2 / (2 * sigma**2)

    A = D.chain(log(L), "A: log-likelihood", tex=r"\log L")
    A.eq(Sum(log(p(y[i], f[i])), (i, 1, n)),           "log of a product of positive factors", tex=r"\sum_{i=1}^n \log p(y_i, f_i)")
    A.eq(Sum(summand, (i, 1, n)),                       r"substitute the density; $\log\frac{1}{\sqrt{a}} = -\frac{1}{2}\log a$; $\log e^{u} = u$", tex=r"\sum_{i=1}^n \left(-\frac{1}{2}\log(2\pi\sigma^2) - \frac{(y_i - f_i)^2}{2\sigma^2}\right)")

    B = D.chain(L, "B: optimisation over $f$", sense="max", over=[f], tex=r"L")
    B.argmax(log(L),                                    r"$\log$ is strictly increasing and $L > 0$", tex=r"\log L")
    B.argmax(Sum(summand, (i, 1, n)),                   "objective equal by the first chain", tex=r"\sum_{i=1}^n \left(-\frac{1}{2}\log(2\pi\sigma^2) - \frac{(y_i - f_i)^2}{2\sigma^2}\right)")
    B.argmin(Sum((y[i] - f[i]) ** 2, (i, 1, n)),        r"drop the constant $-\frac{n}{2}\log(2\pi\sigma^2)$, multiply by $-2\sigma^2 < 0$", tex=r"\sum_{i=1}^n (y_i - f_i)^2")
    B.argmin(Sum((y[i] - f[i]) ** 2, (i, 1, n)) / n,    r"positive scaling by $\frac{1}{n}$: the mean squared error", tex=r"\frac{1}{n} \sum_{i=1}^n (y_i - f_i)^2")
    return D



def seed003() -> Derivation:
    D = Derivation("gaussian-mle-mse", "Gaussian maximum likelihood gives the least-squares loss (as a negative log-likelihood)",
                   Source("003_54f98951c3543ede.txt", "## 从概率角度看损失函数"))
    I = D.size("I")
    i = D.index("i", I)
    y = D.vector("y", "real")
    x = D.vector("x", "real")
    phi = D.symbol("phi", "real")
    f = D.function("f", "real")  # the network f[x, phi]
    sigma = D.symbol("sigma", "positive")
    u, m = sp.symbols("u m", real=True)
    Pr = sp.Function("Pr")
    D.define(Pr, Lambda((u, m), 1 / sqrt(2 * pi * sigma**2) * exp(-(u - m) ** 2 / (2 * sigma**2))))
    fi = f(x[i], phi)
    density = 1 / sqrt(2 * pi * sigma**2) * exp(-(y[i] - fi) ** 2 / (2 * sigma**2))
    L = D.define(sp.Symbol("L"), -Sum(log(Pr(y[i], fi)), (i, 1, I)))

    A = D.chain(L, r"A: the loss $L[\phi]$", tex=r"L")
    A.eq(-Sum(log(Pr(y[i], fi)), (i, 1, I)),                        "definition: negative log-likelihood", tex=r"-\sum_{i=1}^{I} \log \Pr(y_i, f(x_i, \phi))")
    A.eq(-Sum(log(density), (i, 1, I)),                              "substitute the normal density", tex=r"-\sum_{i=1}^{I} \log\left[\frac{1}{\sqrt{2\pi\sigma^2}} \exp\left[-\frac{(y_i - f(x_i, \phi))^2}{2\sigma^2}\right]\right]")

    B = D.chain(-Sum(log(density), (i, 1, I)), r"B: optimisation over $\phi$", sense="min", over=[phi], tex=r"-\sum_{i=1}^{I} \log\left[\frac{1}{\sqrt{2\pi\sigma^2}} \exp\left[-\frac{(y_i - f(x_i, \phi))^2}{2\sigma^2}\right]\right]")
    B.argmin(-Sum(log(1 / sqrt(2 * pi * sigma**2)) - (y[i] - fi) ** 2 / (2 * sigma**2), (i, 1, I)),
             r"objective equal: $\log(ab) = \log a + \log b$, $\log e^{u} = u$", tex=r"-\sum_{i=1}^{I} \left(\log\left[\frac{1}{\sqrt{2\pi\sigma^2}}\right] - \frac{(y_i - f(x_i, \phi))^2}{2\sigma^2}\right)")
    B.argmin(-Sum(-(y[i] - fi) ** 2 / (2 * sigma**2), (i, 1, I)),   r"drop the constant $-I\log\frac{1}{\sqrt{2\pi\sigma^2}}$", tex=r"-\sum_{i=1}^{I} -\frac{(y_i - f(x_i, \phi))^2}{2\sigma^2}")
    B.argmin(Sum((y[i] - fi) ** 2, (i, 1, I)),                      r"multiply by $2\sigma^2 > 0$", tex=r"\sum_{i=1}^{I} (y_i - f(x_i, \phi))^2")
    return D


DERIVATIONS = [seed000, seed003]
