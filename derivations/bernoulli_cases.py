"""One formula for both labels: the Bernoulli pmf read case by case.

Seed 001 (``## 推导损失函数``: P(y|x) = yhat^y (1 - yhat)^(1 - y)) and seed 002
(``#### 极大似然值与神经网络``: f(x) = p^x (1 - p)^(1 - x)).
"""
import sympy as sp

from verifier.model.chain import Derivation, Source


def _pmf_cases(D: Derivation, label: str, prob: str) -> None:
    y = D.symbol(label, "binary")
    p = D.symbol(prob, "unit")
    pmf = p**y * (1 - p) ** (1 - y)
    pt = r"\hat{y}" if prob == "yhat" else prob  # the probability as the post writes it
    pmf_tex = f"{pt}^{{{label}}}(1-{pt})^{{1-{label}}}"
    A = D.chain(pmf, "A: the two cases", tex=pmf_tex)
    A.eq(sp.Piecewise((p, sp.Eq(y, 1)), (1 - p, True)),
         f"${label} = 1$ gives ${pt}^{{1}}(1-{pt})^{{0}}$; ${label} = 0$ gives ${pt}^{{0}}(1-{pt})^{{1}}$", cases=y,
         tex=r"\begin{cases} " + pt + r" & " + label + r" = 1 \\ 1 - " + pt + r" & " + label + r" = 0 \end{cases}")
    B = D.chain(pmf, "B: the pmf is positive, so its log exists", tex=pmf_tex)
    B.gt(sp.Integer(0), f"a power of a positive base; $0 < {pt} < 1$", tex=r"0")


def seed001() -> Derivation:
    D = Derivation("bernoulli-pmf-cases", r"One formula for both labels: $\hat{y}^{y}(1-\hat{y})^{1-y}$",
                   Source("001_1dab4d033e599377.txt", "## 推导损失函数"))
    _pmf_cases(D, "y", "yhat")
    return D


def seed002() -> Derivation:
    D = Derivation("bernoulli-pmf-cases", "One formula for both labels: $p^{x}(1-p)^{1-x}$",
                   Source("002_4b1aa85e936b725d.txt", "#### 极大似然值与神经网络"))
    _pmf_cases(D, "x", "p")
    return D


DERIVATIONS = [seed001, seed002]
