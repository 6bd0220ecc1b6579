"""Expectations as the seeds write them, and the facts of the laws they use.

* seed 001 ``### 相对熵（KL散度）``: ``D_KL = E(log P/Q) = E(-log Q/P) >= -log E(Q/P) = ... = 0``
  (Jensen), over a finite support;
* seed 004 ``信息熵``: ``H(x) = E[I(x)] = -sum_i P(x_i) log P(x_i)``;
* seed 002 ``#### 极大似然值与神经网络`` (the Bernoulli law of a label): its mean and variance;
* seed 003 ``## 从概率角度看损失函数`` (a normal law, its parameters {mu, sigma^2} fitted by
  maximum likelihood): the expected negative log-likelihood, its minimisers, and the KL between
  two normal laws;
* seed 004 ``KL散度``: KL of two normal laws in closed form.
"""
import sympy as sp
from sympy import Derivative, Lambda, Sum, log

from verifier.model.chain import Derivation, Source
from verifier.model.random import KL, Bernoulli, Categorical, Density, E, Entropy, Normal, Var

S001 = Source("001_1dab4d033e599377.txt", "### 相对熵（KL散度）")
S002 = Source("002_4b1aa85e936b725d.txt", "#### 极大似然值与神经网络")
S003 = Source("003_54f98951c3543ede.txt", "## 从概率角度看损失函数")
S004_H = Source("004_69ecd8eeec9c2ec6.txt", "信息熵")
S004_KL = Source("004_69ecd8eeec9c2ec6.txt", "KL散度")


def _two_laws(D: Derivation):
    """X ~ P and Y ~ Q on the same n values v_i (P, Q probability vectors over i)."""
    n = D.size("n")
    i = D.index("i", n)
    v = D.vector("v", "real")
    P = D.vector("P", "probability", over=i)
    Q = D.vector("Q", "probability", over=i)
    X = D.random("X", Categorical(v, P, i))
    Y = D.random("Y", Categorical(v, Q, i))
    return n, i, P, Q, X, Y


def kl_nonneg_expectation() -> Derivation:
    D = Derivation("kl-nonneg-expectation", r'$\mathrm{KL} \ge 0$ through $E(-\log Q/P) \ge -\log E(Q/P)$', S001)
    n, i, P, Q, X, Y = _two_laws(D)
    pX, pY = Density(X, X), Density(Y, X)  # P(x_i), Q(x_i) at the value X takes
    c = D.chain(KL(X, Y), tex=r"D_{KL}(X \| Y)")
    c.eq(Sum(P[i] * log(P[i] / Q[i]), (i, 1, n)),   r'definition of $D_{\mathrm{KL}}$',
         tex=r"\sum_{i=1}^n P(x_i) \log \frac{P(x_i)} {Q(x_i)}")
    c.eq(E(log(pX / pY)),                             r'a sum weighted by $P(x_i)$ is an expectation under $P$',
         tex=r"E(\log \frac{p_X(X)} {p_Y(X)})")
    c.eq(E(-log(pY / pX)),                            "log(a/b) = -log(b/a)", tex=r"E(- \log \frac{p_Y(X)} {p_X(X)})")
    c.ge(-log(E(pY / pX)),                            "Jensen's inequality, -log convex", lemma="jensen",
         lemma_args={"phi": Lambda(sp.Symbol("u", positive=True), -log(sp.Symbol("u", positive=True))),
                     "weights": P, "values": Q[i] / P[i], "index": i, "form": "convex"},
         tex=r"-\log (E(\frac{p_Y(X)} {p_X(X)}))")
    c.eq(-log(Sum(P[i] * Q[i] / P[i], (i, 1, n))),  "the expectation as a sum",
         tex=r"-\log (\sum_{i=1}^n P(x_i)  \frac {Q(x_i)}{P(x_i)})")
    c.eq(-log(Sum(Q[i], (i, 1, n))),                r'cancel $P(x_i)$', tex=r"-\log (\sum_{i=1}^n Q(x_i))")
    c.eq(0,                                           "Q sums to 1", tex="0")
    return D


def log_expectation_jensen() -> Derivation:
    D = Derivation("log-expectation-jensen", r'$E[\log(Q/P)] \le \log E[Q/P] = 0$', S001)
    n, i, P, Q, X, Y = _two_laws(D)
    ratio = Density(Y, X) / Density(X, X)
    u = sp.Symbol("u", positive=True)
    c = D.chain(E(log(ratio)), tex=r"E(\log \frac{p_Y(X)} {p_X(X)})")
    c.le(log(E(ratio)),                               "Jensen's inequality, log concave", lemma="jensen",
         lemma_args={"phi": Lambda(u, log(u)), "weights": P, "values": Q[i] / P[i], "index": i,
                     "form": "concave"},
         tex=r"\log (E(\frac{p_Y(X)} {p_X(X)}))")
    c.eq(log(Sum(Q[i], (i, 1, n))),                  r'$E_P[Q/P] = \sum_i Q_i$', tex=r"\log (\sum_{i=1}^n Q(x_i))")
    c.eq(0,                                           "Q sums to 1", tex="0")
    return D


def entropy_expected_information() -> Derivation:
    D = Derivation("entropy-expected-information", r'$H(x) = E[I(x)] = -\sum P(x_i) \log P(x_i)$', S004_H)
    n = D.size("n")
    i = D.index("i", n)
    v = D.vector("v", "real")
    P = D.vector("P", "probability", over=i)
    X = D.random("X", Categorical(v, P, i))
    t = sp.Symbol("t", real=True)
    info = sp.Function("I")
    D.define(info, Lambda(t, -log(Density(X, t))))  # self-information I(x) = -log P(x)
    c = D.chain(Entropy(X), tex=r"H(X)")
    c.eq(E(info(X)),                                 "entropy: the expected self-information", tex=r"E[I(X)]")
    c.eq(-Sum(P[i] * log(P[i]), (i, 1, n)),          "the expectation over the n outcomes",
         tex=r"-\sum_{i = 1}^n P(x_i) \log (P(x_i))")
    return D


def bernoulli_mean_variance() -> Derivation:
    D = Derivation("bernoulli-mean-variance", "A Bernoulli label has mean p and variance p(1 - p)", S002)
    p = D.symbol("p", "unit")
    X = D.random("X", Bernoulli(p))
    m = D.chain(E(X), tex=r"\mathbb{E}[X]")
    m.eq(0 * (1 - p) + 1 * p,                        "x in {0, 1} with P(x = 1) = p", tex=r"0 \cdot (1 - p) + 1 \cdot p")
    m.eq(p,                                           "algebra", tex="p")
    v = D.chain(Var(X), tex=r"\operatorname{Var}(X)")
    v.eq(E(X**2) - E(X)**2,                           r'$\mathrm{Var}\, X = E[X^2] - E[X]^2$',
         tex=r"\mathbb{E}[X^2] - \mathbb{E}[X]^2")
    v.eq(E(X) - E(X)**2,                              r'$x^2 = x$ for $x \in \{0, 1\}$', tex=r"\mathbb{E}[X] - \mathbb{E}[X]^2")
    v.eq(p - p**2,                                    "E[X] = p", tex=r"p - p^2")
    v.eq(p * (1 - p),                                 "factor", tex=r"p(1 - p)")
    return D


def gaussian_expected_nll() -> Derivation:
    D = Derivation("gaussian-expected-nll", r'Fitting $\mathcal N(\mu, \sigma^2)$ by the expected negative log-likelihood', S003)
    m = D.symbol("m", "real")
    s = D.symbol("s", "positive")
    mu = D.symbol("mu", "real")
    sigma = D.symbol("sigma", "positive")
    X = D.random("X", Normal(m, s))          # the data's law
    M = D.random("M", Normal(mu, sigma))     # the model's law
    J = log(sigma) + log(2 * sp.pi) / 2 + (s**2 + (m - mu)**2) / (2 * sigma**2)
    c = D.chain(E(-log(Density(M, X))), "minimise the expected NLL over (mu, sigma)", sense="min", over=[mu, sigma],
                tex=r"\mathbb{E}[-\log p_M(X)]")
    c.eq(E(log(sigma) + log(2 * sp.pi) / 2 + (X - mu)**2 / (2 * sigma**2)),
         r'$-\log \mathcal N(x; \mu, \sigma^2) = \log \sigma + \frac{\log(2 \pi)}{2} + \frac{(x - \mu)^2}{2 \sigma^2}$',
         tex=r"\mathbb{E}\left[\log \sigma + \frac{\log(2 \pi)}{2} + \frac{(X - \mu)^2}{2 \sigma^2}\right]")
    c.eq(log(sigma) + log(2 * sp.pi) / 2 + E((X - mu)**2) / (2 * sigma**2), "linearity",
         tex=r"\log \sigma + \frac{\log(2 \pi)}{2} + \frac{\mathbb{E}[(X - \mu)^2]}{2 \sigma^2}")
    c.eq(J,                                           r'$E[(X - \mu)^2] = \mathrm{Var}\, X + (E X - \mu)^2 = s^2 + (m - \mu)^2$',
         tex=r"\log \sigma + \frac{\log(2 \pi)}{2} + \frac{s^2 + (m - \mu)^2}{2 \sigma^2}")
    c.argmin(log(sigma) + (s**2 + (m - mu)**2) / (2 * sigma**2), "drop the constant log(2 pi)/2",
             tex=r"\log \sigma + \frac{s^2 + (m - \mu)^2}{2 \sigma^2}")
    g = D.chain(Derivative(J, mu),
                tex=r"\frac{\partial}{\partial \mu} \left(\log \sigma + \frac{\log(2 \pi)}{2} + \frac{s^2 + (m - \mu)^2}{2 \sigma^2}\right)")
    g.eq((mu - m) / sigma**2,                         "zero at mu = m", tex=r"\frac{\mu - m}{\sigma^2}")
    h = D.chain(Derivative(J.subs(mu, m), sigma),
                tex=r"\frac{\partial}{\partial \sigma} \left(\log \sigma + \frac{\log(2 \pi)}{2} + \frac{s^2}{2 \sigma^2}\right)")
    h.eq((sigma**2 - s**2) / sigma**3,                r"zero at $\sigma^2 = s^2$: the MLE is the data's variance",
         tex=r"\frac{\sigma^2 - s^2}{\sigma^3}")
    return D


def kl_two_gaussians() -> Derivation:
    D = Derivation("kl-two-gaussians", "KL between two normal laws in closed form", S004_KL)
    mu1, mu2 = D.symbol("mu_1", "real"), D.symbol("mu_2", "real")
    s1, s2 = D.symbol("sigma_1", "positive"), D.symbol("sigma_2", "positive")
    X = D.random("X", Normal(mu1, s1))
    Y = D.random("Y", Normal(mu2, s2))
    c = D.chain(KL(X, Y), tex=r"D_{KL}(X \| Y)")
    c.eq(E(log(Density(X, X)) - log(Density(Y, X))),  r'definition: $E_P[\log p(X) - \log q(X)]$',
         tex=r"\mathbb{E}[\log p_X(X) - \log p_Y(X)]")
    c.eq(E(log(s2 / s1) - (X - mu1)**2 / (2 * s1**2) + (X - mu2)**2 / (2 * s2**2)), "log of the two densities",
         tex=r"\mathbb{E}\left[\log \frac{\sigma_2}{\sigma_1} - \frac{(X - \mu_1)^2}{2 \sigma_1^2} + \frac{(X - \mu_2)^2}{2 \sigma_2^2}\right]")
    c.eq(log(s2 / s1) - sp.Rational(1, 2) + E((X - mu2)**2) / (2 * s2**2), r'$E[(X - \mu_1)^2] = \sigma_1^2$',
         tex=r"\log \frac{\sigma_2}{\sigma_1} - \frac{1}{2} + \frac{\mathbb{E}[(X - \mu_2)^2]}{2 \sigma_2^2}")
    c.eq(log(s2 / s1) + (s1**2 + (mu1 - mu2)**2) / (2 * s2**2) - sp.Rational(1, 2),
         r'$E[(X - \mu_2)^2] = \sigma_1^2 + (\mu_1 - \mu_2)^2$',
         tex=r"\log \frac{\sigma_2}{\sigma_1} + \frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}{2 \sigma_2^2} - \frac{1}{2}")
    return D


DERIVATIONS = [kl_nonneg_expectation, log_expectation_jensen, entropy_expected_information,
               bernoulli_mean_variance, gaussian_expected_nll, kl_two_gaussians]
