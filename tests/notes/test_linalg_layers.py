"""Reading rules of the matrix reading added for the linalg notes: layer labels (``z^{(2)}``,
``W^{[1]}``) and accents (``\\hat{\\mathbf w}``) as names, shapes stated in Chinese prose, bold names
sized by the step, ``\\mathbf 1``, Jacobians ``d f / d w^T`` and Hessians, vectors the note defines and
differentiates by, sizes the paragraph fixes (``$l = 1$``).  Each rule: wrong steps refuted (or
unknown), meaning-preserving rewrites of right steps never refuted."""
from __future__ import annotations

import pytest

from verifier.model.results import PROVED, REFUTED, UNKNOWN
from verifier.notes.linalg_check import check_matrix_step, fixed_sizes
from verifier.notes.matrix_reader import tokens
from verifier.notes.prose_shapes import name_key, shapes_in

LS = (r"Let $X \in \mathbb{R}^{n \times d}$, $\hat{\boldsymbol{w}} \in \mathbb{R}^{d}$ and "
      r"$\boldsymbol{y} \in \mathbb{R}^{n}$.")
NET = (r"输入 $\boldsymbol{x}\in\mathbb{R}^{d}$，第一层权重 $\mathbf{W}^{(1)}$ 是 $q\times d$ 矩阵，偏置 "
       r"$\boldsymbol{b}^{(1)}\in\mathbb{R}^{q}$；第二层权重 $\mathbf{W}^{[2]}$ 是 $l\times q$ 矩阵。" "\n")
SQ = r"Let $A \in \mathbb{R}^{n \times n}$ and $\mathbf{w} \in \mathbb{R}^{n}$ (A is not symmetric)."
BP = (r"Sigmoid $\sigma(z)=\frac{1}{1+e^{-z}}$ acts entry by entry; $\hat{\boldsymbol{y}}\in\mathbb{R}^{l}$." "\n\n"
      "$$\n\\boldsymbol{z}^{(2)}=\\mathbf{W}^{(2)}\\boldsymbol{h}+\\boldsymbol{b}^{(2)}\n$$\n\n"
      "$$\n\\hat{\\boldsymbol{y}}=\\sigma\\big(\\boldsymbol{z}^{(2)}\\big)\n$$\n\n"
      r"with $\mathbf{W}^{(2)} \in \mathbb{R}^{l \times q}$, $\boldsymbol{h}\in\mathbb{R}^{q}$, "
      r"$\boldsymbol{b}^{(2)}\in\mathbb{R}^{l}$, and the squared error" "\n\n"
      "$$\nE=\\frac{1}{2}\\|\\hat{\\boldsymbol{y}}-\\boldsymbol{y}\\|_2^2\n$$\n\n")
ONE = BP + "When the output layer has a single neuron ($l=1$), all of these are numbers:\n\n$$\n"


def _status(lhs: str, rhs: str, prose: str) -> str:
    return check_matrix_step(lhs, rhs, prose).status


def test_layer_labels_and_accents_are_names_never_powers():
    assert [t for t in tokens(r"W^{(2)}_{jh} z^{[1]}") if t[0] == "name"][0] == ("name", "W^{(2)}")
    assert ("name", "z^{[1]}") in tokens(r"W^{(2)}_{jh} z^{[1]}")
    assert name_key(r"\hat{\boldsymbol{w}}") == (r"\hat{w}", True)
    assert name_key(r"\boldsymbol{\hat w}") == (r"\hat{w}", True)
    assert name_key(r"\mathbf{W}^{ (1) }") == ("W^{(1)}", True)
    sh = shapes_in(NET)
    assert sh["W^{(1)}"] == ("q", "d") and sh["W^{[2]}"] == ("l", "q") and sh["b^{(1)}"] == ("q", "1")
    # W^{(1)} x + b^{(1)}: a product and a sum of the layer's names (a power W^2 would be no product at all)
    ok = r"\mathbf{W}^{(1)}\boldsymbol{x}+\boldsymbol{b}^{(1)}"
    assert _status(ok, r"\boldsymbol{b}^{(1)}+\mathbf{W}^{(1)}\boldsymbol{x}", NET) == PROVED
    assert _status(ok, r"\boldsymbol{b}^{(1)}+\mathbf{W}^{ (1) }\boldsymbol{x}", NET) == PROVED  # respelled
    assert _status(r"(\mathbf{W}^{[2]}\mathbf{W}^{(1)}\boldsymbol{x})^\top",
                   r"\boldsymbol{x}^\top(\mathbf{W}^{(1)})^\top(\mathbf{W}^{[2]})^\top", NET) == PROVED
    assert _status(r"(\mathbf{W}^{[2]}\mathbf{W}^{(1)}\boldsymbol{x})^\top",
                   r"\boldsymbol{x}^\top(\mathbf{W}^{[2]})^\top(\mathbf{W}^{(1)})^\top", NET) != PROVED  # order
    # an accented name is a name of its own: \hat w is not w
    prose = LS + r" Also $\boldsymbol{w} \in \mathbb{R}^{d}$."
    assert _status(r"X\hat{\boldsymbol{w}}", r"X\boldsymbol{w}", prose) == REFUTED
    assert _status(r"X\hat{\boldsymbol{w}}", r"X\widehat{\boldsymbol{w}}", prose) == PROVED


def test_a_jacobian_by_a_transposed_vector():
    assert _status(r"\frac{\partial}{\partial \mathbf{w}^\top}\left(A\mathbf{w}\right)", r"A", SQ) == PROVED
    assert _status(r"\frac{\partial}{\partial \mathbf{w}^{\mathrm{T}}}(A\mathbf{w})", r"A", SQ) == PROVED
    assert _status(r"\frac{\partial}{\partial \mathbf{w}^\top}\left(A\mathbf{w}\right)", r"A^\top", SQ) == REFUTED
    # of a number: a row, the gradient transposed
    assert _status(r"\frac{\partial}{\partial \mathbf{w}^\top}(\mathbf{w}^\top A\mathbf{w})",
                   r"\mathbf{w}^\top(A + A^\top)", SQ) == PROVED
    assert _status(r"\frac{\partial}{\partial \mathbf{w}^\top}(\mathbf{w}^\top A\mathbf{w})",
                   r"2\mathbf{w}^\top A", SQ) == REFUTED


def test_the_hessian():
    h = r"\frac{\partial^2 \|\boldsymbol{y}-X\hat{\boldsymbol{w}}\|_2^2}{\partial \hat{\boldsymbol{w}}\,\partial \hat{\boldsymbol{w}}^{\mathrm{T}}}"
    assert _status(h, r"2X^\top X", LS) == PROVED
    assert _status(h, r"2X^{\mathrm{T}}X", LS) == PROVED
    assert _status(h, r"X^\top X", LS) == REFUTED  # the factor 2 dropped
    assert _status(h, r"2XX^\top", LS) != PROVED  # the wrong product (a shape misfit for n != d)
    # the Jacobian of the gradient, written as the note of l01 does
    j = r"\frac{\partial}{\partial \hat{\boldsymbol{w}}^{\mathrm{T}}}\left(2X^{\mathrm{T}}X\hat{\boldsymbol{w}}-2X^{\mathrm{T}}\boldsymbol{y}\right)"
    assert _status(j, r"2X^\top X", LS) == PROVED
    assert _status(j, r"X^\top X", LS) == REFUTED
    # no transpose below: the layout is not said, so no reading
    assert _status(r"\frac{\partial^2 \mathbf{w}^\top A\mathbf{w}}{\partial \mathbf{w}\,\partial \mathbf{w}}", r"A + A^\top", SQ) == UNKNOWN
    assert _status(r"\frac{\partial^2 \mathbf{w}^\top A\mathbf{w}}{\partial \mathbf{w}^\top\partial \mathbf{w}^\top}", r"A + A^\top", SQ) == UNKNOWN


def test_bold_names_without_a_shape_are_sized_by_the_step_or_not_read():
    prose = r"Let $X \in \mathbb{R}^{n \times d}$ and $\mathbf{y} \in \mathbb{R}^{n}$."
    # w has no stated shape: X w fixes it (d x 1)
    assert _status(r"(\mathbf{y} - X\mathbf{w})^\top(\mathbf{y} - X\mathbf{w})",
                   r"\mathbf{y}^\top\mathbf{y} - 2\mathbf{w}^\top X^\top\mathbf{y} + \mathbf{w}^\top X^\top X\mathbf{w}", prose) == PROVED
    assert _status(r"(\mathbf{y} - X\mathbf{w})^\top(\mathbf{y} - X\mathbf{w})",
                   r"\mathbf{y}^\top\mathbf{y} - \mathbf{w}^\top X^\top\mathbf{y} + \mathbf{w}^\top X^\top X\mathbf{w}", prose) == REFUTED
    # nothing fixes the sizes of a and b: not read
    v = check_matrix_step(r"\mathbf{a}^\top\mathbf{b}", r"\mathbf{b}^\top\mathbf{a}", "")
    assert v.status == UNKNOWN and "no shape stated" in v.message
    # \mathbf 1 and \mathbf 0 take the size of what they stand beside
    assert _status(r"\mathbf{1}^\top\mathbf{y}", r"\sum_{i=1}^{n} y_i", prose) == PROVED
    assert _status(r"\mathbf{1}^\top\mathbf{y}", r"\sum_{i=1}^{n} y_i^2", prose) == REFUTED
    assert _status(r"\mathbf{0} + X^\top\mathbf{y}", r"X^\top\mathbf{y}", prose) == PROVED
    assert _status(r"\mathbf{1}^\top\mathbf{1}", r"n", prose) == UNKNOWN


def test_a_vector_the_note_defines_and_differentiates_by():
    right = r"(\hat{\boldsymbol{y}}-\boldsymbol{y})\odot\hat{\boldsymbol{y}}\odot(\boldsymbol{1}-\hat{\boldsymbol{y}})"
    assert _status(r"\frac{\partial E}{\partial\boldsymbol{z}^{(2)}}", right, BP) == PROVED
    assert _status(r"\frac{\partial E}{\partial\boldsymbol{z}^{(2)}}",
                   r"\hat{\boldsymbol{y}}\odot(\boldsymbol{1}-\hat{\boldsymbol{y}})\odot(\hat{\boldsymbol{y}}-\boldsymbol{y})", BP) == PROVED
    assert _status(r"\frac{\partial E}{\partial\boldsymbol{z}^{(2)}}", r"\hat{\boldsymbol{y}}-\boldsymbol{y}", BP) == REFUTED


def test_a_size_the_paragraph_fixes():
    assert fixed_sizes(ONE) == {"l": "1"}
    assert fixed_sizes(BP) == {}
    assert fixed_sizes("when $l = 1$ the sum is one term\n\n$$\nx\n$$\n\nand now\n\n$$\n") == {}
    # l = 1: z^{(2)}, \hat y, y written plain are the numbers of the 1 x 1 vectors
    assert _status(r"\frac{\partial E}{\partial z^{(2)}}", r"\hat{y}-y", ONE) == REFUTED
    assert _status(r"\frac{\partial E}{\partial z^{(2)}}", r"(\hat{y}-y)\hat{y}(1-\hat{y})", ONE) == PROVED
    assert _status(r"\frac{\partial E}{\partial z^{(2)}}", r"\hat{y}(1-\hat{y})(\hat{y}-y)", ONE) == PROVED
    # without l = 1 the plain y beside the bold vector y is not read (a number and a vector)
    assert _status(r"\frac{\partial E}{\partial z^{(2)}}", r"(\hat{y}-y)\hat{y}(1-\hat{y})", BP) != REFUTED


def test_an_evaluation_at_values_the_prose_gives_is_not_refuted():
    prose = r"Take $\mathbf{x} = (1, 2, 2)^\top$, $\mathbf{y} = (1, 1, 3)^\top$ and $\lambda = 1$."
    assert _status(r"\frac{\mathbf{x}^\top\mathbf{y}}{\mathbf{x}^\top\mathbf{x} + \lambda}", r"\frac{9}{10}", prose) == UNKNOWN


@pytest.mark.parametrize("lhs,rhs,expect", [
    (r"\begin{pmatrix}1&2&3\\1&1&1\end{pmatrix}\begin{pmatrix}1\\2\\2\end{pmatrix}", r"\begin{pmatrix}11\\4\end{pmatrix}", REFUTED),
    (r"\begin{pmatrix}1&2&3\\1&1&1\end{pmatrix}\begin{pmatrix}1\\2\\2\end{pmatrix}", r"\begin{pmatrix}11\\5\end{pmatrix}", PROVED),
])
def test_a_product_by_hand_names_both_sides(lhs, rhs, expect):
    v = check_matrix_step(lhs, rhs, "")
    assert v.status == expect
    if expect == REFUTED:
        assert r"the left side is \begin{pmatrix}11 \\ 5\end{pmatrix}" in v.message, v.message


def test_values_the_section_gives_are_never_guessed():
    given = r"Take $\mathbf{a} = (3, 2)^\top$ and $\mathbf{x} \in \mathbb{R}^2$."
    # a has no shape: none is invented for a name the example gives numbers
    v = check_matrix_step(r"\mathbf{a}^\top\mathbf{x}", r"3x_1 + 2x_2", given)
    assert v.status == UNKNOWN and "value" in v.message
    # with a shape, a refutation that ignores the example's values is no refutation
    shaped = given + r" Here $\mathbf{a} \in \mathbb{R}^2$."
    assert _status(r"\mathbf{a}^\top\mathbf{x}", r"3x_1 + 2x_2", shaped) == UNKNOWN
    assert _status(r"\mathbf{a}^\top\mathbf{x}", r"\mathbf{x}^\top\mathbf{a}", shaped) == PROVED  # still decided
    # values of an earlier section do not hold here: the planted error is refuted
    later = shaped + "\n\n## Next\n\nFor any $\\mathbf{a}, \\mathbf{x} \\in \\mathbb{R}^2$:\n\n$$\n"
    assert _status(r"\mathbf{a}^\top\mathbf{x}", r"\mathbf{x}^\top\mathbf{x}", later) == REFUTED
    # symbols in a tuple are no values
    sym = r"Let $\boldsymbol{y}=(y_1;y_2;\dots;y_n)\in\mathbb{R}^n$ and $X \in \mathbb{R}^{n \times d}$, $\mathbf{w} \in \mathbb{R}^d$."
    assert _status(r"\boldsymbol{y}^\top X\mathbf{w}", r"\mathbf{w}^\top X\boldsymbol{y}", sym) != PROVED


def test_a_size_is_fixed_only_under_a_condition():
    assert fixed_sizes("Unlike the case $n=1$, in general\n\n$$\n") == {}
    assert fixed_sizes("特别地，当输出层只有一个神经元（$l=1$）时，都是标量：\n\n$$\n") == {"l": "1"}


def test_a_vector_beside_a_number_is_no_sum_unless_the_size_is_one():
    prose = r"Let $\mu \in \mathbb{R}$."
    assert _status(r"\|\mathbf{x} - \mu\|_2^2", r"(x - \mu)^2", prose) == UNKNOWN


@pytest.mark.parametrize("tex", [r"\|\mathbf{y} - X\hat{\mathbf{w}}\|_2^2", r"\|\mathbf{y}\|", r"\|\mathbf{y}\|_1",
                                 r"\|\mathbf{W}^{(2)}\mathbf{y}\|_2", r"\|X\hat{\mathbf{w}}\|^2",
                                 r"\frac{\partial}{\partial \hat{\mathbf{w}}^\top}(X^\top X\hat{\mathbf{w}})"])
def test_norms_and_names_print_as_written_and_read_back(tex):
    from verifier.model.latex import to_latex
    from verifier.notes.linalg_check import read_step

    prose = (r"Let $X \in \mathbb{R}^{n \times d}$, $\hat{\mathbf{w}} \in \mathbb{R}^{d}$, $\mathbf{y} \in \mathbb{R}^{n}$, "
             r"$\mathbf{W}^{(2)} \in \mathbb{R}^{n \times n}$.")
    a, _, _, _ = read_step(tex, tex, prose)
    printed = to_latex(a)
    if r"\|" in tex:  # the norm as the author writes it: subscript and square kept
        assert printed.count(r"\|") == 2 and printed.endswith(tex[tex.rindex(r"\|"):])
    assert r"\hat{\mathbf{w}}" in printed or r"\hat" not in tex
    assert r"\mathbf{W}^{(2)}" in printed or "W^{(2)}" not in tex
    back, _, _, _ = read_step(printed, printed, prose)
    assert back == a
    assert check_matrix_step(tex, printed, prose).status == PROVED


def test_a_norm_is_decided_by_its_value():
    prose = r"Let $X \in \mathbb{R}^{n \times d}$, $\mathbf{w} \in \mathbb{R}^{d}$, $\mathbf{y} \in \mathbb{R}^{n}$."
    sq = r"\|\mathbf{y} - X\mathbf{w}\|_2^2"
    assert _status(sq, r"(\mathbf{y} - X\mathbf{w})^\top(\mathbf{y} - X\mathbf{w})", prose) == PROVED
    assert _status(sq, r"(\mathbf{y} - X\mathbf{w})^\top(\mathbf{y} + X\mathbf{w})", prose) == REFUTED
    assert _status(r"\nabla_{\mathbf{w}}" + sq, r"2X^\top(X\mathbf{w}-\mathbf{y})", prose) == PROVED
    assert _status(r"\nabla_{\mathbf{w}}" + sq, r"X^\top(X\mathbf{w}-\mathbf{y})", prose) == REFUTED
    assert _status(r"\|\mathbf{y}\|_2", r"\|\mathbf{y}\|_2^2", prose) == REFUTED
