"""Definitions that use other definitions: an entry-wise definition (p_k = e^{z_k} / sum_j e^{z_j})
applies inside the body of a later one (L = -sum_k y_k log p_k); a note's own Gaussian density that
is the standard one keeps the built-in laws; numbered iterates and "the model ..." prose are models."""
from __future__ import annotations

import pytest
import sympy as sp

from verifier.model.results import NOTED, PROVED, REFUTED
from verifier.notes.check import check_text
from verifier.notes.law_densities import is_gaussian_density

SOFTMAX = r"""# Softmax loss

$$
p_k = \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}}
$$

and the loss is

$$
L = -\sum_{k=1}^{K} y_k \log p_k
$$

Substituting,

$$
L = -\sum_{k=1}^{K} y_k z_k + \Big(\sum_{k=1}^{K} y_k\Big) \log \sum_{j=1}^{K} e^{z_j}%s
$$
"""


@pytest.mark.parametrize("tail,expect", [("", PROVED), (" + 1", REFUTED)])
def test_an_entrywise_definition_applies_inside_a_later_definition(tail, expect):
    steps = {s.line: s for s in check_text(SOFTMAX % tail, "n.md", budget=10.0).all_steps}
    assert steps[16].status == expect, steps[16].message


def test_the_standard_gaussian_density_is_recognised():
    x, m, v = sp.symbols("x m v")
    assert is_gaussian_density(sp.Lambda((x, m, v), sp.exp(-(x - m) ** 2 / (2 * v)) / sp.sqrt(2 * sp.pi * v)))
    assert not is_gaussian_density(sp.Lambda((x, m, v), sp.exp(-(x - m) ** 2 / v) / sp.sqrt(2 * sp.pi * v)))
    assert not is_gaussian_density(sp.Lambda((x, m), sp.exp(-(x - m) ** 2)))


NEWTON = r"""# Newton

For a linear $f(x) = \alpha x + \beta$, a single Newton step from $x_0$ lands on the root:

$$
x_1 = x_0 - \frac{\alpha x_0 + \beta}{\alpha} = %s
$$
"""


@pytest.mark.parametrize("root,expect", [(r"-\frac{\beta}{\alpha}", PROVED), (r"\frac{\beta}{\alpha}", REFUTED)])
def test_a_numbered_iterate_is_a_model_and_its_value_is_checked(root, expect):
    steps = check_text(NEWTON % root, "n.md", budget=10.0).all_steps
    assert steps[0].status == NOTED and steps[0].kind == "model", (steps[0].kind, steps[0].message)
    assert steps[1].status in ((expect,) if expect == REFUTED else (PROVED, "checked")), steps[1].message


def test_a_known_iterate_restated_is_a_claim():
    text = ("# Newton\n\n$$\nx_1 = x_0 - 1\n$$\n\nso that\n\n$$\nx_1 = x_0 + 1\n$$\n")
    steps = check_text(text, "n.md", budget=10.0).all_steps
    assert steps[-1].kind == "claim" and steps[-1].status == REFUTED, steps[-1].message


@pytest.mark.parametrize("prose", ["The perceptron predicts with the sign of an affine function:",
                                   "模型用 Sigmoid 函数把线性模型的输出压缩到 $(0,1)$ 之间："])
def test_prose_that_introduces_a_model(prose):
    text = f"# Model\n\n{prose}\n\n$$\ng(x) = \\frac{{1}}{{1 + e^{{-(w x + b)}}}}\n$$\n"
    s = check_text(text, "n.md", budget=10.0).all_steps[0]
    assert s.status == NOTED and s.kind == "model", (s.kind, s.message)


@pytest.mark.parametrize("rel,expect", [("\\le", REFUTED), ("\\ge", PROVED), ("=", NOTED)])
def test_a_derivative_compared_with_zero_is_a_claim_and_set_to_zero_an_equation(rel, expect):
    text = f"# Convexity\n\nThe second derivative:\n\n$$\n\\frac{{d^2}}{{dx^2}} \\left(x^2 + 1\\right) {rel} 0\n$$\n"
    s = check_text(text, "n.md", budget=10.0).all_steps[0]
    assert s.status == expect, s.message
