"""Vector forms of the seeds' least-squares derivations: the Gaussian likelihood, its gradient
``2 X^T (Xw - y)``, the normal equations and the closed form; ridge regression.

Generalises ``gaussian-mle-mse`` (seed 000, ``## 均方差``: y_i ~ N(f_i, sigma^2) gives the squared
error) with f = Xw for a data matrix X (n x d, one sample per row) and weights w (d x 1); and
``least-squares-objective`` (seed 002, ``### 最小二乘法``).  Sums over samples run over 0..n-1,
the rows of X.
"""
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement
from sympy import Derivative, Identity, Inverse, Lambda, Sum, exp, log, pi, sqrt

from verifier.model.chain import Derivation, Source


def _regression(D: Derivation):
    n, d = D.size("n"), D.size("d")
    X = D.matrix("X", n, d)
    w = D.vector("w", d)
    y = D.vector("y", n)
    return n, d, X, w, y


def least_squares_vector() -> Derivation:
    D = Derivation("least-squares-vector", r'Least squares in vector form: Gaussian likelihood, gradient $2X^\top(X\mathbf w - \mathbf y)$, normal equations, closed form',
                   Source("000_51fe35b09d169904.txt", "## 均方差"))
    n, d, X, w, y = _regression(D)
    sigma = D.symbol("sigma", "positive")
    i = D.index("i", n - 1, lo=0)
    u, m = sp.symbols("u m", real=True)
    p = sp.Function("p")
    D.define(p, Lambda((u, m), 1 / sqrt(2 * pi * sigma**2) * exp(-(u - m) ** 2 / (2 * sigma**2))))
    r = X * w - y

    A = D.chain(Sum(log(p(y[i, 0], MatrixElement(X * w, i, 0))), (i, 0, n - 1)), r'A: log-likelihood of $y_i \sim \mathcal N(\mathbf x_i^\top \mathbf w, \sigma^2)$', tex=r"\sum_{i=0}^{n - 1} \log p(y_{i}, (\mathbf{X} \mathbf{w})_{i})")
    A.eq(Sum(-log(2 * pi * sigma**2) / 2 - (MatrixElement(X * w, i, 0) - y[i, 0]) ** 2 / (2 * sigma**2), (i, 0, n - 1)),
         r'substitute the density; $\log(1/\sqrt{a}) = -\log(a)/2$; $\log \exp u = u$', tex=r"\sum_{i=0}^{n - 1} \left(- \frac{\log(2 \pi \sigma^{2})}{2} - \frac{((\mathbf{X} \mathbf{w})_{i} - y_{i})^{2}}{2 \sigma^{2}}\right)")
    A.eq(-n * log(2 * pi * sigma**2) / 2 - MatrixElement(r.T * r, 0, 0) / (2 * sigma**2),
         r'sum of squared residuals: $\sum_i (X\mathbf w - \mathbf y)_i^2 = (X\mathbf w - \mathbf y)^\top (X\mathbf w - \mathbf y)$', tex=r"- \frac{n \log(2 \pi \sigma^{2})}{2} - \frac{(\mathbf{w}^\top \mathbf{X}^\top - \mathbf{y}^\top) (\mathbf{X} \mathbf{w} - \mathbf{y})}{2 \sigma^{2}}")

    B = D.chain(Derivative(r.T * r, w), "B: gradient of the squared error", tex=r"\nabla_{\mathbf{w}} \left((\mathbf{X}\mathbf{w} - \mathbf{y})^\top(\mathbf{X}\mathbf{w} - \mathbf{y})\right)")
    B.eq(2 * X.T * r,                                  r'$\frac{\partial}{\partial \mathbf w} (X\mathbf w - \mathbf y)^\top (X\mathbf w - \mathbf y) = 2 X^\top (X\mathbf w - \mathbf y)$', tex=r"2\mathbf{X}^\top(\mathbf{X}\mathbf{w} - \mathbf{y})")
    B.eq(2 * X.T * X * w - 2 * X.T * y,                r'distribute $X^\top$', tex=r"2\mathbf{X}^\top\mathbf{X}\mathbf{w} - 2\mathbf{X}^\top\mathbf{y}")

    w_hat = Inverse(X.T * X) * X.T * y
    C = D.chain(sp.MatMul(X.T * X, w_hat, evaluate=False), r'C: the closed form solves the normal equations $X^\top X \mathbf w = X^\top \mathbf y$ ($X^\top X$ invertible)', tex=r"\mathbf{X}^\top\mathbf{X}\,(\mathbf{X}^\top\mathbf{X})^{-1}\mathbf{X}^\top\mathbf{y}")
    C.eq(X.T * y,                                      r'$(X^\top X)(X^\top X)^{-1} = I$', tex=r"\mathbf{X}^\top \mathbf{y}")

    G = D.chain(2 * X.T * (X * w_hat - y), "D: the gradient vanishes at the closed form", tex=r"2\mathbf{X}^\top\left(\mathbf{X}(\mathbf{X}^\top\mathbf{X})^{-1}\mathbf{X}^\top\mathbf{y} - \mathbf{y}\right)")
    G.eq(sp.ZeroMatrix(d, 1),                          "distribute; normal equations (chain C)", tex=r"\mathbf{0}")
    return D


def ridge_vector() -> Derivation:
    D = Derivation("ridge-vector", r'Ridge regression: gradient $2X^\top(X\mathbf w - \mathbf y) + 2 \lambda \mathbf w$ and the closed form $(X^\top X + \lambda I)^{-1} X^\top \mathbf y$',
                   Source("002_4b1aa85e936b725d.txt", "### 最小二乘法"))
    n, d, X, w, y = _regression(D)
    lam = D.symbol("lambda", "positive")
    r = X * w - y
    I = Identity(d)

    A = D.chain(Derivative(r.T * r + lam * w.T * w, w), "A: gradient of the penalised squared error", tex=r"\nabla_{\mathbf{w}} \left((\mathbf{X}\mathbf{w} - \mathbf{y})^\top(\mathbf{X}\mathbf{w} - \mathbf{y}) + \lambda \mathbf{w}^\top\mathbf{w}\right)")
    A.eq(2 * X.T * r + 2 * lam * w,                    r'gradient of the squared error plus $\frac{\partial}{\partial \mathbf w} \lambda \mathbf w^\top \mathbf w = 2 \lambda \mathbf w$', tex=r"2\mathbf{X}^\top(\mathbf{X}\mathbf{w} - \mathbf{y}) + 2\lambda\mathbf{w}")
    A.eq(2 * (X.T * X + lam * I) * w - 2 * X.T * y,   r'collect $\mathbf w$: $X^\top X \mathbf w + \lambda \mathbf w = (X^\top X + \lambda I) \mathbf w$', tex=r"(2 \lambda \mathbf{I} + 2 \mathbf{X}^\top \mathbf{X}) \mathbf{w} - 2 \mathbf{X}^\top \mathbf{y}")

    w_hat = Inverse(X.T * X + lam * I) * X.T * y
    B = D.chain(sp.MatMul(X.T * X + lam * I, w_hat, evaluate=False), r'B: the closed form solves $(X^\top X + \lambda I) \mathbf w = X^\top \mathbf y$', tex=r"(\lambda \mathbf{I} + \mathbf{X}^\top \mathbf{X}) (\lambda \mathbf{I} + \mathbf{X}^\top \mathbf{X})^{-1} \mathbf{X}^\top \mathbf{y}")
    B.eq(X.T * y,                                      r'$(X^\top X + \lambda I)(X^\top X + \lambda I)^{-1} = I$ (positive definite for $\lambda > 0$)', tex=r"\mathbf{X}^\top \mathbf{y}")
    return D


DERIVATIONS = [least_squares_vector, ridge_vector]
