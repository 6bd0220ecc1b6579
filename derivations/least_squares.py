"""The least-squares objective, and that it is the mean squared error of seeds 000 and 003.

Seed 002, ``### 最小二乘法``: min sum_i (x_i - y_i)^2, x_i a prediction and y_i a target.
"""
from sympy import Sum

from verifier.model.chain import Derivation, Source


def least_squares_objective() -> Derivation:
    D = Derivation("least-squares-objective", r"Least squares: $\min \sum_i (x_i - y_i)^2$, the mean squared error up to $\frac{1}{n}$",
                   Source("002_4b1aa85e936b725d.txt", "### 最小二乘法"))
    n = D.size("n")
    i = D.index("i", n)
    x = D.vector("x", "real")  # predictions (the optimisation variables)
    y = D.vector("y", "real")  # targets
    c = D.chain(Sum((x[i] - y[i]) ** 2, (i, 1, n)), "minimise over the predictions", sense="min", over=[x], tex=r"\sum_{i=1}^{n} (x_i - y_i)^2")
    c.argmin(Sum((y[i] - x[i]) ** 2, (i, 1, n)) / n,
             r"$(x - y)^2 = (y - x)^2$ and a positive factor $\frac{1}{n}$: the mean squared error", tex=r"\frac{1}{n} \sum_{i=1}^{n} (y_i - x_i)^2")
    return D


DERIVATIONS = [least_squares_objective]
