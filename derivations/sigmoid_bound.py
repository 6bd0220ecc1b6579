"""The sigmoid's derivative is small: 0 < sigma'(z) <= 1/4, largest at z = 0, -> 0 at -+oo.

Seed 004, section ``交叉熵`` (after the two gradients: the factor sigma'(z) "数值很小，且在z较大数值极小"),
and the ratio of the MSE gradient to the cross-entropy gradient, which is sigma'(z)
(encoded multiplied out, so that it holds also where the ratio is undefined).
"""
import sympy as sp
from sympy import Derivative, Lambda, Limit, Subs, exp, log, oo

from verifier.model.chain import Derivation, Source

SOURCE = Source("004_69ecd8eeec9c2ec6.txt", "交叉熵")


def sigmoid_derivative_bound() -> Derivation:
    D = Derivation("sigmoid-derivative-bound", r"$0 < \sigma'(z) \le \frac{1}{4}$, with the maximum at $z = 0$ and $\sigma' \to 0$ at $\mp\infty$",
                   SOURCE)
    z = D.symbol("z", "real")
    t = sp.Symbol("t", real=True)
    sigma = sp.Function("sigma")
    D.define(sigma, Lambda(t, 1 / (1 + exp(-t))))
    ds = Derivative(sigma(z), z)

    A = D.chain(sp.Integer(0), r"A: $0 < \sigma'(z) \le \frac{1}{4}$", tex=r"0")
    A.lt(ds,                                   r"$\sigma'(z) = \frac{e^{-z}}{(1 + e^{-z})^2} > 0$", tex=r"\sigma'(z)")
    A.le(sp.Rational(1, 4),                    r"$\frac{1}{4} - \frac{e^{-z}}{(1 + e^{-z})^2} = \frac{(1 - e^{-z})^2}{4(1 + e^{-z})^2} \ge 0$", tex=r"\frac{1}{4}")
    B = D.chain(Subs(ds, z, 0), "B: the bound is attained at $z = 0$", tex=r"\sigma'(0)")
    B.eq(sp.Rational(1, 4),                    r"$\frac{e^{0}}{(1 + e^{0})^2} = \frac{1}{4}$", tex=r"\frac{1}{4}")
    C = D.chain(Subs(Derivative(sigma(z), z, 2), z, 0), r"C: $z = 0$ is a stationary point of $\sigma'$", tex=r"\sigma''(0)")
    C.eq(sp.Integer(0),                        r"$\sigma'' = \sigma'(1 - 2\sigma)$ vanishes where $\sigma = \frac{1}{2}$", tex=r"0")
    E = D.chain(Limit(ds, z, oo), r"D: $\sigma' \to 0$ as $z \to +\infty$", tex=r"\lim_{z \to \infty} \sigma'(z)")
    E.eq(sp.Integer(0),                        r"$e^{-z} \to 0$", tex=r"0")
    F = D.chain(Limit(ds, z, -oo), r"E: $\sigma' \to 0$ as $z \to -\infty$", tex=r"\lim_{z \to -\infty} \sigma'(z)")
    F.eq(sp.Integer(0),                        r"$\frac{e^{-z}}{(1 + e^{-z})^2} \sim e^{z} \to 0$", tex=r"0")

    # the ratio of the two gradients of 004.7 and 004.8 (for yhat != y, x != 0)
    x, w, b, y = D.symbols("x w b y", "real")
    zz = D.define(sp.Symbol("z_wx", real=True), w * x + b)
    yhat = D.define(sp.Symbol("yhat", real=True), sigma(zz))
    L_mse = D.define(sp.Symbol("L_mse", real=True), (yhat - y) ** 2 / 2)
    L_cee = D.define(sp.Symbol("L_cee", real=True), -y * log(yhat) - (1 - y) * log(1 - yhat))
    G = D.chain(Derivative(L_mse, w), r"F: the MSE gradient is $\sigma'(z)$ times the cross-entropy gradient "
                r"(their ratio where $\hat{y} \ne y$ and $x \ne 0$)", tex=r"\frac{\partial L_{\mathrm{mse}}}{\partial w}")
    G.eq((yhat - y) * Derivative(sigma(zz), zz) * x,   "the MSE gradient", tex=r"(\hat{y} - y)\,\sigma'(z_{\mathrm{wx}})\,x")
    G.eq(Derivative(sigma(zz), zz) * Derivative(L_cee, w), r"the cross-entropy gradient is $(\hat{y} - y)\,x$", tex=r"\sigma'(z_{\mathrm{wx}}) \frac{\partial L_{\mathrm{cee}}}{\partial w}")
    return D


DERIVATIONS = [sigmoid_derivative_bound]
