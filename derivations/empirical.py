"""Maximum likelihood from the probabilistic view of losses (seed 003).

``## 从概率角度看损失函数``: the model predicts the parameters of the distribution of y
(003.1), and ``## 交叉熵损失函数与最大似然原理``: minimising the KL divergence from the
empirical distribution q(y) = 1/I sum_i delta(y - y_i) is maximum likelihood (003.3); its
first step is the 003 occurrence of ``ce-drop-entropy``.
"""
import sympy as sp
from sympy import DiracDelta, Integral, Lambda, Product, Sum, log, oo

from verifier.model.chain import Derivation, Source

S_PROB = Source("003_54f98951c3543ede.txt", "## 从概率角度看损失函数")
S_CE = Source("003_54f98951c3543ede.txt", "## 交叉熵损失函数与最大似然原理")


def mle_argmax_substitution() -> Derivation:
    D = Derivation("mle-argmax-substitution", "Maximum likelihood with a model that predicts the distribution's "
                   "parameters", S_PROB)
    I = D.size("I")
    i = D.index("i", I)
    x = D.vector("x", "real")
    y = D.vector("y", "real")
    phi = D.symbol("phi", "real")
    Pr = D.function("Prcond", "positive", nargs=2)  # Pr(y | theta): an uninterpreted positive density (the reader's name of a conditional)
    f = D.function("f", "real", nargs=2)  # the network f[x, phi]
    u, v = sp.symbols("u v", real=True)
    theta = sp.Function("theta")  # theta_i = theta(x_i): the parameter of the distribution of y_i
    D.define(theta, Lambda(v, f(v, phi)))
    Prx = sp.Function("Pr_x")  # Pr(y | x): the modelling assumption Pr(y | x) = Pr(y | theta(x))
    D.define(Prx, Lambda((u, v), Pr(u, theta(v))))

    A = D.chain(Product(Prx(y[i], x[i]), (i, 1, I)), r"$\theta$: the likelihood over the parameters",
                sense="max", over=[theta], tex=r"\prod_{i=1}^{I} \mathrm{Pr}_{x}(y_i \mid x_i)")
    A.eq(Product(Pr(y[i], theta(x[i])), (i, 1, I)),      r"the model: $y_i$ is distributed as $Pr(y \mid \theta_i)$", tex=r"\prod_{i=1}^{I} \Pr(y_i \mid \theta(x_i))")

    B = D.chain(Product(Prx(y[i], x[i]), (i, 1, I)), r"$\phi$: the likelihood over the network's parameters",
                sense="max", over=[phi], tex=r"\prod_{i=1}^{I} \mathrm{Pr}_{x}(y_i \mid x_i)")
    B.eq(Product(Pr(y[i], theta(x[i])), (i, 1, I)),      r"the model: $y_i$ is distributed as $Pr(y \mid \theta_i)$", tex=r"\prod_{i=1}^{I} \Pr(y_i \mid \theta(x_i))")
    B.eq(Product(Pr(y[i], f(x[i], phi)), (i, 1, I)),      r"$\theta_i = f[x_i, \phi]$", tex=r"\prod_{i=1}^{I} \Pr(y_i \mid f(x_i, \phi))")
    B.argmin(-Sum(log(Pr(y[i], f(x[i], phi))), (i, 1, I)),
             "log is strictly increasing and the product positive; then negate", tex=r"-\sum_{i=1}^{I} \log \Pr(y_i \mid f(x_i, \phi))")
    return D


def _empirical(D: Derivation):
    I = D.size("I")
    i = D.index("i", I)
    ys = D.vector("y", "real")  # the observed samples y_i
    theta = D.symbol("theta", "real")
    Pr = D.function("Prcond", "positive", nargs=2)  # Pr(y | theta) (the reader's name of a conditional)
    y = sp.Symbol("y")  # the integration variable (the samples are the indexed y_i)
    u = sp.Symbol("u", real=True)
    q = sp.Function("q")
    D.define(q, Lambda(u, Sum(DiracDelta(u - ys[i]), (i, 1, I)) / I))
    return I, i, ys, theta, Pr, y, q


def _kl(q, Pr, y, theta):
    line = (y, -oo, oo)
    return Integral(q(y) * log(q(y)), line) - Integral(q(y) * log(Pr(y, theta)), line)


def kl_empirical_mle() -> Derivation:
    D = Derivation("kl-empirical-mle", "Minimising KL from the empirical distribution is maximum likelihood", S_CE)
    I, i, ys, theta, Pr, y, q = _empirical(D)
    line = (y, -oo, oo)
    c = D.chain(_kl(q, Pr, y, theta), r"$\arg\min$ over $\theta$ of $D_{\mathrm{KL}}[q \| Pr(\cdot \mid \theta)]$", sense="min", over=[theta], tex=r"\int_{-\infty}^{\infty} q(y) \log q(y)\, dy - \int_{-\infty}^{\infty} q(y) \log \Pr(y \mid \theta)\, dy")
    c.argmin(-Integral(q(y) * log(Pr(y, theta)), line),   r"drop $\int q \log q$, free of $\theta$", tex=r"-\int_{-\infty}^{\infty} q(y) \log \Pr(y \mid \theta)\, dy")
    c.eq(-Integral(Sum(DiracDelta(y - ys[i]), (i, 1, I)) / I * log(Pr(y, theta)), line),
         r"the empirical distribution $q(y) = \frac{1}{I}\sum_i \delta(y - y_i)$", tex=r"-\int_{-\infty}^{\infty} \left(\frac{1}{I} \sum_{i=1}^{I} \delta(y - y_i)\right) \log \Pr(y \mid \theta)\, dy")
    c.eq(-Sum(log(Pr(ys[i], theta)), (i, 1, I)) / I,       "linearity (the finite sum leaves the integral); "
         r"sifting: $\int \delta(y - y_i)\, g(y)\, dy = g(y_i)$", tex=r"-\frac{1}{I} \sum_{i=1}^{I} \log \Pr(y_i \mid \theta)")
    c.argmin(-Sum(log(Pr(ys[i], theta)), (i, 1, I)),       "multiply by $I > 0$: the negative log-likelihood", tex=r"-\sum_{i=1}^{I} \log \Pr(y_i \mid \theta)")
    return D


def ce_drop_entropy_003() -> Derivation:
    D = Derivation("ce-drop-entropy", "Minimising KL over the model is minimising cross-entropy (continuous, "
                   "empirical q)", S_CE)
    I, i, ys, theta, Pr, y, q = _empirical(D)
    KL = sp.Function("KL")
    a, b = sp.symbols("a b", real=True)
    c = D.chain(_kl(q, Pr, y, theta), r"$D_{\mathrm{KL}}[q \| Pr(\cdot \mid \theta)]$ by its definition", sense="min", over=[theta], tex=r"\int_{-\infty}^{\infty} q(y) \log q(y)\, dy - \int_{-\infty}^{\infty} q(y) \log \Pr(y \mid \theta)\, dy")
    c.argmin(-Integral(q(y) * log(Pr(y, theta)), (y, -oo, oo)), r"drop $\int q \log q$, free of $\theta$: the cross-entropy", tex=r"-\int_{-\infty}^{\infty} q(y) \log \Pr(y \mid \theta)\, dy")
    return D


DERIVATIONS = [mle_argmax_substitution, kl_empirical_mle, ce_drop_entropy_003]
