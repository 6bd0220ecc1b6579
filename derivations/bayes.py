"""Bayes' rule, marginalisation, the law of total expectation and the ELBO over finite sets.

Seed 003 ``## 从概率角度看损失函数`` reads the samples through conditional probabilities
``Pr(y | x)``; these are the facts about finite conditional laws such a reading relies on (the
seeds use them without writing them out): marginalisation, Bayes' rule (the posterior is a law),
the law of total expectation on a joint table, and ``log p(x) = ELBO + KL(q || p(. | x))``.
"""
import sympy as sp
from sympy import Sum, log

from verifier.model.chain import Derivation, Source

S003 = Source("003_54f98951c3543ede.txt", "## 从概率角度看损失函数")


def _classes(D: Derivation):
    K = D.size("K")
    k = D.index("k", K)
    j = D.index("j", K)
    prior = D.vector("pi", "probability", over=k)   # P(z = k)
    like = D.vector("ell", "unit")                    # P(x | z = k)
    return K, k, j, prior, like


def bayes_posterior() -> Derivation:
    D = Derivation("bayes-posterior", "Bayes' rule: the posterior over K classes is a law", S003)
    K, k, j, prior, like = _classes(D)
    evidence = Sum(prior[j] * like[j], (j, 1, K))      # P(x) = sum_j P(x | j) P(j)
    post = prior[k] * like[k] / evidence               # P(k | x)
    c = D.chain(Sum(post, (k, 1, K)), tex=r"\sum_{k=1}^K \frac{\pi_k \ell_k}{\sum_{j=1}^K \pi_j \ell_j}")
    c.eq(Sum(prior[k] * like[k], (k, 1, K)) / evidence, "the evidence is free of k",
         tex=r"\frac{\sum_{k=1}^K \pi_k \ell_k}{\sum_{j=1}^K \pi_j \ell_j}")
    c.eq(1,                                              r'marginalisation: $P(x) = \sum_k P(x \mid k) P(k)$', tex="1")
    r = D.chain(post * evidence, tex=r"\frac{\pi_k \ell_k}{\sum_{j=1}^K \pi_j \ell_j} \sum_{j=1}^K \pi_j \ell_j")
    r.eq(like[k] * prior[k],                             r'$P(k \mid x) P(x) = P(x \mid k) P(k)$', tex=r"\ell_k \pi_k")
    return D


def elbo_identity() -> Derivation:
    D = Derivation("elbo-identity", r'$\log p(x) = \mathrm{ELBO} + \mathrm{KL}(q \,\|\, p(\cdot \mid x))$ over $K$ latent values', S003)
    K, k, j, _prior, _like = _classes(D)
    q = D.vector("q", "probability", over=k)          # q(z = k)
    joint = D.vector("a", "positive")                  # p(x, z = k)
    evidence = Sum(joint[j], (j, 1, K))                # p(x)
    elbo = Sum(q[k] * log(joint[k] / q[k]), (k, 1, K))
    kl = Sum(q[k] * log(q[k] / (joint[k] / evidence)), (k, 1, K))
    c = D.chain(log(evidence), tex=r"\log \left(\sum_{j=1}^K a_j\right)")
    c.eq(Sum(q[k] * log(evidence), (k, 1, K)),          "q sums to 1", tex=r"\sum_{k=1}^K q_k \log \left(\sum_{j=1}^K a_j\right)")
    c.eq(Sum(q[k] * (log(joint[k] / q[k]) + log(q[k] / (joint[k] / evidence))), (k, 1, K)),
         r'$\log p(x) = \log \frac{p(x, z)}{q(z)} + \log \frac{q(z)}{p(z \mid x)}$',
         tex=r"\sum_{k=1}^K q_k \left(\log \frac{a_k}{q_k} + \log \frac{q_k}{a_k / \sum_{j=1}^K a_j}\right)")
    c.eq(elbo + kl,                                     r'linearity: $\mathrm{ELBO} + \mathrm{KL}(q \,\|\, p(\cdot \mid x))$',
         tex=r"\sum_{k=1}^K q_k \log \frac{a_k}{q_k} + \sum_{k=1}^K q_k \log \frac{q_k}{a_k / \sum_{j=1}^K a_j}")
    return D


def total_expectation() -> Derivation:
    D = Derivation("total-expectation", r'$E[E[X \mid Y]] = E[X]$ on a $2 \times 3$ joint table', S003)
    cols = [D.vector(name, "positive") for name in ("u", "v", "w")]  # unnormalised P(x_i, y_j): column j
    x = D.vector("x", "real")
    I = (1, 2)
    total = sum(col[i] for col in cols for i in I)
    py = [sum(col[i] for i in I) / total for col in cols]                          # P(Y = y_j)
    cond = [sum(col[i] * x[i] for i in I) / sum(col[i] for i in I) for col in cols]  # E[X | Y = y_j]
    c = D.chain(sum(p * m for p, m in zip(py, cond)),
                tex=r"\frac{u_1 + u_2}{u_1 + u_2 + v_1 + v_2 + w_1 + w_2} \cdot \frac{u_1 x_1 + u_2 x_2}{u_1 + u_2} "
                    r"+ \frac{v_1 + v_2}{u_1 + u_2 + v_1 + v_2 + w_1 + w_2} \cdot \frac{v_1 x_1 + v_2 x_2}{v_1 + v_2} "
                    r"+ \frac{w_1 + w_2}{u_1 + u_2 + v_1 + v_2 + w_1 + w_2} \cdot \frac{w_1 x_1 + w_2 x_2}{w_1 + w_2}")
    c.eq(sum(col[i] * x[i] for col in cols for i in I) / total, r'$P(Y = y_j) E[X \mid Y = y_j] = \sum_i P(x_i, y_j) x_i$',
         tex=r"\frac{u_1 x_1 + u_2 x_2 + v_1 x_1 + v_2 x_2 + w_1 x_1 + w_2 x_2}{u_1 + u_2 + v_1 + v_2 + w_1 + w_2}")
    c.eq(sum(x[i] * sum(col[i] for col in cols) / total for i in I), "marginalise over y: E[X]",
         tex=r"\frac{x_1 (u_1 + v_1 + w_1) + x_2 (u_2 + v_2 + w_2)}{u_1 + u_2 + v_1 + v_2 + w_1 + w_2}")
    return D


DERIVATIONS = [bayes_posterior, elbo_identity, total_expectation]
