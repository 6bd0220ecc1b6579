"""Gradients in vector form: logistic regression over n samples, softmax cross-entropy,
the multivariate Gaussian MLE of the mean, backpropagation through a two-layer sigmoid network.

* logistic regression generalises ``ce-sigmoid-gradient`` (seed 004, ``交叉熵``: the gradient of
  cross-entropy through a sigmoid is (yhat - y) x) to n samples, the rows of X;
* softmax cross-entropy generalises seed 002, ``### softmax中的交叉熵`` (one-hot / probability
  targets y over K classes);
* the Gaussian mean generalises ``gaussian-mle-mse`` (seed 000, ``## 均方差``) to d dimensions
  with a precision matrix Lambda = Sigma^{-1} (symmetric positive definite);
* backpropagation generalises ``mse-sigmoid-gradient`` (seed 004, ``交叉熵``) to a hidden layer.

sigma(M) is the logistic function applied entrywise; sums run over 0..n-1 (rows of X).
"""
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement
from sympy import Derivative, Lambda, MatMul, OneMatrix, Sum, Trace, ZeroMatrix, exp, log
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.hadamard import HadamardProduct

from verifier.model.chain import Derivation, Source

T = sp.Symbol("t", real=True)
SIGMOID = Lambda(T, 1 / (1 + exp(-T)))
EXP = Lambda(T, exp(T))


def sigma_of(m: sp.MatrixExpr) -> ElementwiseApplyFunction:
    """The logistic function entrywise."""
    return ElementwiseApplyFunction(SIGMOID, m)


def logistic_regression_vector() -> Derivation:
    D = Derivation("logistic-gradient-vector", r'Logistic regression: the cross-entropy gradient over $n$ samples is $X^\top(\sigma(X\mathbf w) - \mathbf y)$',
                   Source("004_69ecd8eeec9c2ec6.txt", "交叉熵"))
    n, d = D.size("n"), D.size("d")
    X = D.matrix("X", n, d)
    w = D.vector("w", d)
    y = D.vector("y", n, kind="unit")
    i = D.index("i", n - 1, lo=0)
    s = MatrixElement(X * w, i, 0)
    loss = -Sum(y[i, 0] * log(SIGMOID(s)) + (1 - y[i, 0]) * log(1 - SIGMOID(s)), (i, 0, n - 1))

    c = D.chain(Derivative(loss, w), r'gradient of the cross-entropy of $\sigma(\mathbf x_i^\top \mathbf w)$ against $y_i$', tex=r"\nabla_{\mathbf{w}}\left(- \sum_{i=0}^{n - 1} \left((1 - y_{i}) \log\left(1 - \frac{1}{1 + e^{- (\mathbf{X} \mathbf{w})_{i}}}\right) + y_{i} \log\left(\frac{1}{1 + e^{- (\mathbf{X} \mathbf{w})_{i}}}\right)\right)\right)")
    c.eq(X.T * (sigma_of(X * w) - y),                          r'per sample $(\sigma(\mathbf x_i^\top \mathbf w) - y_i) \mathbf x_i$, stacked: $X^\top (\sigma(X\mathbf w) - \mathbf y)$', tex=r"\mathbf{X}^\top (\sigma(\mathbf{X} \mathbf{w}) - \mathbf{y})")
    c.eq(X.T * sigma_of(X * w) - X.T * y,                      r'distribute $X^\top$', tex=r"\mathbf{X}^\top \sigma(\mathbf{X} \mathbf{w}) - \mathbf{X}^\top \mathbf{y}")
    return D


def softmax_cross_entropy_vector() -> Derivation:
    D = Derivation("softmax-ce-gradient-vector", "Softmax cross-entropy: the gradient in the logits is softmax(z) - y",
                   Source("002_4b1aa85e936b725d.txt", "### softmax中的交叉熵"))
    K = D.size("K")
    z = D.vector("z", K)
    y = D.vector("y", K, kind="probability")
    j = D.index("j", K - 1, lo=0)
    l = D.index("l", K - 1, lo=0)
    norm = Sum(exp(z[l, 0]), (l, 0, K - 1))
    softmax = ElementwiseApplyFunction(EXP, z) / norm
    loss = -Sum(y[j, 0] * (z[j, 0] - log(norm)), (j, 0, K - 1))

    A = D.chain(-Sum(y[j, 0] * log(exp(z[j, 0]) / norm), (j, 0, K - 1)), "A: cross-entropy of softmax(z) against y", tex=r"- \sum_{j=0}^{K - 1} y_{j} \log\left(\frac{e^{z_{j}}}{\sum_{l=0}^{K - 1} e^{z_{l}}}\right)")
    A.eq(loss,                                                 r'$\log\left(e^{z_j} / \sum_l e^{z_l}\right) = z_j - \log \sum_l e^{z_l}$', tex=r"- \sum_{j=0}^{K - 1} y_{j} \left(z_{j} - \log\left(\sum_{l=0}^{K - 1} e^{z_{l}}\right)\right)")

    B = D.chain(Derivative(loss, z), "B: gradient in the logits", tex=r"\nabla_{\mathbf{z}}\left(- \sum_{j=0}^{K - 1} y_{j} \left(z_{j} - \log\left(\sum_{l=0}^{K - 1} e^{z_{l}}\right)\right)\right)")
    B.eq(softmax * MatrixElement(OneMatrix(1, K) * y, 0, 0) - y,            r'$\frac{\partial}{\partial z_k}$: $-y_k + \left(\sum_j y_j\right) e^{z_k} / \sum_l e^{z_l}$', tex=r"\frac{1}{\sum_{l=0}^{K - 1} e^{z_{l}}} \sum_{i_{1}=0}^{K - 1} y_{i_{1}} \exp(\mathbf{z}) - \mathbf{y}")
    B.eq(softmax - y,                                          r'$\mathbf y$ is a probability vector: $\mathbf 1^\top \mathbf y = 1$', tex=r"\frac{1}{\sum_{l=0}^{K - 1} e^{z_{l}}} \exp(\mathbf{z}) - \mathbf{y}")
    return D


def gaussian_mean_mle_vector() -> Derivation:
    D = Derivation("gaussian-mean-mle-vector", "Multivariate Gaussian: the maximum-likelihood mean is the sample mean",
                   Source("000_51fe35b09d169904.txt", "## 均方差"))
    n, d = D.size("n"), D.size("d")
    X = D.matrix("X", n, d)  # sample x_i^T in row i
    mu = D.vector("mu", d)
    P = D.matrix("Lambda", d, d, "spd")  # the precision matrix Sigma^{-1}
    one = OneMatrix(n, 1)
    R = X - one * mu.T  # row i: (x_i - mu)^T
    i = D.index("i", n - 1, lo=0)
    a, b = D.index("a", d - 1, lo=0), D.index("b", d - 1, lo=0)
    quad = Sum((X[i, a] - mu[a, 0]) * P[a, b] * (X[i, b] - mu[b, 0]), (a, 0, d - 1), (b, 0, d - 1), (i, 0, n - 1))

    A = D.chain(quad / 2, r'A: the mean-dependent part of $-\log L$: $\frac{1}{2} \sum_i (\mathbf x_i - \boldsymbol\mu)^\top \Lambda (\mathbf x_i - \boldsymbol\mu)$', tex=r"\frac{1}{2} \sum_{\substack{0 \leq a \leq d - 1\\0 \leq b \leq d - 1\\0 \leq i \leq n - 1}} \Lambda_{ab} (X_{ia} - \mu_{a}) (X_{ib} - \mu_{b})")
    A.eq(Trace(R * P * R.T) / 2,                               r'the sum of the quadratic forms is the trace of $R \Lambda R^\top$', tex=r"\frac{\operatorname{tr}((\mathbf{X} - \mathbf{1} \boldsymbol{\mu}^\top) \boldsymbol{\Lambda} (\mathbf{X}^\top - \boldsymbol{\mu} \mathbf{1}))}{2}")

    B = D.chain(Derivative(Trace(R * P * R.T) / 2, mu), "B: gradient in mu", tex=r"\nabla_{\boldsymbol{\mu}}\left(\frac{\operatorname{tr}((\mathbf{X} - \mathbf{1} \boldsymbol{\mu}^\top) \boldsymbol{\Lambda} (\mathbf{X}^\top - \boldsymbol{\mu} \mathbf{1}))}{2}\right)")
    B.eq(-P * (X.T * one - n * mu),                            r'$\Lambda$ symmetric: $-\Lambda \sum_i (\mathbf x_i - \boldsymbol\mu)$', tex=r"- \boldsymbol{\Lambda} (- n \boldsymbol{\mu} + \mathbf{X}^\top \mathbf{1})")
    B.eq(n * P * mu - P * X.T * one,                           "distribute", tex=r"n \boldsymbol{\Lambda} \boldsymbol{\mu} - \boldsymbol{\Lambda} \mathbf{X}^\top \mathbf{1}")

    mu_hat = X.T * one / n
    C = D.chain(-P * (X.T * one - n * mu_hat), r'C: the gradient vanishes at the sample mean $\boldsymbol\mu = X^\top \mathbf 1 / n$', tex=r"\mathbf{0}")
    C.eq(ZeroMatrix(d, 1),                                     r'$n (X^\top \mathbf 1 / n) = X^\top \mathbf 1$', tex=r"\mathbf{0}")
    return D


def backprop_two_layer() -> Derivation:
    D = Derivation("backprop-two-layer", "Backpropagation through a two-layer network with a sigmoid hidden layer",
                   Source("004_69ecd8eeec9c2ec6.txt", "交叉熵"))
    d, m = D.size("d"), D.size("m")
    x = D.vector("x", d)
    W = D.matrix("W", m, d)
    v = D.vector("v", m)
    y = D.symbol("y", "real")
    h = sigma_of(W * x)
    yhat = MatrixElement(v.T * h, 0, 0)
    loss = (yhat - y) ** 2 / 2
    # scalar times matrix built as MatMul(...) directly: the `*` operator would call doit(), which
    # writes the scalar yhat out as a sum and spends most of the catalog's start-up evaluating it
    delta = MatMul(yhat - y, HadamardProduct(v, h, OneMatrix(m, 1) - h))

    A = D.chain(Derivative(loss, v), "A: output weights", tex=r"\nabla_{\mathbf{v}}\left(\frac{(\mathbf{v}^\top \sigma(\mathbf{W} \mathbf{x}) - y)^{2}}{2}\right)")
    A.eq(MatMul(yhat - y, h),                                  r'$\frac{\partial}{\partial \mathbf v} (\mathbf v^\top \mathbf h - y)^2 / 2 = (\hat y - y) \mathbf h$', tex=r"(\mathbf{v}^\top \sigma(\mathbf{W} \mathbf{x}) - y) \sigma(\mathbf{W} \mathbf{x})")

    B = D.chain(Derivative(loss, W), "B: hidden weights", tex=r"\nabla_{\mathbf{W}}\left(\frac{(\mathbf{v}^\top \sigma(\mathbf{W} \mathbf{x}) - y)^{2}}{2}\right)")
    B.eq(MatMul(delta, x.T),                                   r"chain rule: $(\hat y - y) v_j \sigma'(a_j) x_k$ with $\sigma' = \sigma (1 - \sigma)$", tex=r"(\mathbf{v}^\top \sigma(\mathbf{W} \mathbf{x}) - y) \mathbf{v} \odot \sigma(\mathbf{W} \mathbf{x}) \odot (\mathbf{1} - \sigma(\mathbf{W} \mathbf{x})) \mathbf{x}^\top")

    C = D.chain(Derivative(loss, x), "C: the input (the error passed further back)", tex=r"\nabla_{\mathbf{x}}\left(\frac{(\mathbf{v}^\top \sigma(\mathbf{W} \mathbf{x}) - y)^{2}}{2}\right)")
    C.eq(MatMul(W.T, delta),                                   r'$\frac{\partial \mathbf a}{\partial \mathbf x} = W$: $W^\top \boldsymbol\delta$', tex=r"\mathbf{W}^\top (\mathbf{v}^\top \sigma(\mathbf{W} \mathbf{x}) - y) \mathbf{v} \odot \sigma(\mathbf{W} \mathbf{x}) \odot (\mathbf{1} - \sigma(\mathbf{W} \mathbf{x}))")
    return D


DERIVATIONS = [logistic_regression_vector, softmax_cross_entropy_vector, gaussian_mean_mle_vector, backprop_two_layer]
