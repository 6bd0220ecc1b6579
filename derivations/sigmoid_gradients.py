"""The sigmoid's derivative, and the gradients of MSE and cross-entropy through a sigmoid.

Seed 004, section ``交叉熵`` (**为什么分类模型使用交叉熵做损失函数，而不用均方误差?** and the NOTE
under the gradients): MSE keeps the factor sigma'(z); cross-entropy cancels it.
"""
import sympy as sp
from sympy import Derivative, Lambda, exp, log

from verifier.model.chain import Derivation, Source

SOURCE = Source("004_69ecd8eeec9c2ec6.txt", "交叉熵")


def _model(D: Derivation):
    """sigma(t) = 1/(1+e^{-t}), z = w x + b, yhat = sigma(z)."""
    x, w, b, y = D.symbols("x w b y", "real")
    t = sp.Symbol("t", real=True)
    sigma = sp.Function("sigma")
    D.define(sigma, Lambda(t, 1 / (1 + exp(-t))))
    z = D.define(sp.Symbol("z", real=True), w * x + b)
    yhat = D.define(sp.Symbol("yhat", real=True), sigma(z))
    return x, w, b, y, sigma, z, yhat


def sigmoid_derivative() -> Derivation:
    D = Derivation("sigmoid-derivative", r"$\sigma'(z) = \sigma(z)(1 - \sigma(z))$", SOURCE)
    z = D.symbol("z", "real")
    t = sp.Symbol("t", real=True)
    sigma = sp.Function("sigma")
    D.define(sigma, Lambda(t, 1 / (1 + exp(-t))))
    yhat = D.define(sp.Symbol("yhat", real=True), sigma(z))

    c = D.chain(Derivative(sigma(z), z), tex=r"\sigma'(z)")
    c.eq(Derivative(1 / (1 + exp(-z)), z),            "definition of the logistic function", tex=r"\frac{d}{dz} \frac{1}{1 + e^{-z}}")
    c.eq(exp(-z) / (1 + exp(-z)) ** 2,                 "quotient rule", tex=r"\frac{e^{-z}}{(1 + e^{-z})^2}")
    c.eq(sigma(z) * (1 - sigma(z)),                    r"$\frac{e^{-z}}{1+e^{-z}} = 1 - \sigma(z)$", tex=r"\sigma(z)(1 - \sigma(z))")
    c.eq(yhat * (1 - yhat),                            r"substitute $\hat{y} = \sigma(z)$", tex=r"\hat{y}(1 - \hat{y})")
    return D


def mse_sigmoid_gradient() -> Derivation:
    D = Derivation("mse-sigmoid-gradient", r"Gradient of MSE through a sigmoid keeps $\sigma'(z)$", SOURCE)
    x, w, b, y, sigma, z, yhat = _model(D)
    L = D.define(sp.Symbol("L_mse", real=True), (yhat - y) ** 2 / 2)

    c = D.chain(Derivative(L, w), tex=r"\frac{\partial L_{\mathrm{mse}}}{\partial w}")
    c.eq(Derivative(L, yhat) * Derivative(yhat, z) * Derivative(z, w),  "chain rule", tex=r"\frac{\partial L_{\mathrm{mse}}}{\partial \hat{y}} \frac{\partial \hat{y}}{\partial z} \frac{\partial z}{\partial w}")
    c.eq((yhat - y) * Derivative(sigma(z), z) * x,                       "differentiate each factor", tex=r"(\hat{y} - y)\,\sigma'(z)\,x")
    c.eq((yhat - y) * yhat * (1 - yhat) * x,                             r"$\sigma'(z) = \hat{y}(1 - \hat{y})$", tex=r"(\hat{y} - y)\,\hat{y}(1 - \hat{y})\,x")
    return D


def bce_sigmoid_gradient() -> Derivation:
    D = Derivation("bce-sigmoid-gradient", r"Gradient of binary cross-entropy through a sigmoid cancels $\sigma'(z)$",
                   SOURCE)
    x, w, b, y, sigma, z, yhat = _model(D)
    L = D.define(sp.Symbol("L_cee", real=True), -y * log(yhat) - (1 - y) * log(1 - yhat))

    c = D.chain(Derivative(L, w), tex=r"\frac{\partial L_{\mathrm{cee}}}{\partial w}")
    c.eq(Derivative(L, yhat) * Derivative(yhat, z) * Derivative(z, w),    "chain rule", tex=r"\frac{\partial L_{\mathrm{cee}}}{\partial \hat{y}} \frac{\partial \hat{y}}{\partial z} \frac{\partial z}{\partial w}")
    c.eq((-y / yhat + (1 - y) / (1 - yhat)) * Derivative(sigma(z), z) * x,  "differentiate each factor", tex=r"\left(-\frac{y}{\hat{y}} + \frac{1 - y}{1 - \hat{y}}\right)\sigma'(z)\,x")
    c.eq((-y / yhat + (1 - y) / (1 - yhat)) * yhat * (1 - yhat) * x,        r"$\sigma'(z) = \hat{y}(1 - \hat{y})$", tex=r"\left(-\frac{y}{\hat{y}} + \frac{1 - y}{1 - \hat{y}}\right)\hat{y}(1 - \hat{y})\,x")
    c.eq((yhat - y) * x,                                                   r"$-y(1 - \hat{y}) + (1 - y)\hat{y} = \hat{y} - y$", tex=r"(\hat{y} - y)\,x")
    return D


DERIVATIONS = [sigmoid_derivative, mse_sigmoid_gradient, bce_sigmoid_gradient]
