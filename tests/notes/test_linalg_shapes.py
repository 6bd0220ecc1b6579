"""Shapes from a note's prose."""
from verifier.notes.prose_shapes import plain, shapes_in


def test_vectors_and_matrices_in_prose():
    text = (r"Let $\mathbf x \in \mathbb R^d$ and $X \in \mathbb{R}^{n \times d}$; for "
            r"$A, B \in \mathbb{R}^{n \times n}$ and $\boldsymbol{\mu}\in\mathbb{R}^{d}$. W is an m×d matrix.")
    s = shapes_in(text)
    assert s["x"] == ("d", "1") and s["X"] == ("n", "d")
    assert s["A"] == s["B"] == ("n", "n")
    assert s[r"\mu"] == ("d", "1")
    assert s["W"] == ("m", "d")


def test_bold_spellings_share_a_name():
    assert plain(r"\mathbf{w}^\top \boldsymbol{x} + \bm{b} - \vec{v}") == r"w^\top x + b - v"


def test_no_shape_is_invented():
    assert shapes_in(r"for $x \in (0, 1)$ and $n \in \mathbb{N}$") == {}


def test_matrix_reader_keeps_order_and_refuses_what_it_cannot_read():
    import pytest
    import sympy as sp

    from verifier.notes.linalg_reader import MatrixReadError
    from verifier.notes.matrix_reader import read_matrix_latex

    sh = {"A": ("n", "n"), "B": ("n", "n"), "x": ("n", "1")}
    ab, ctx = read_matrix_latex(r"(AB)^{\mathrm{T}}", sh)
    ba, _ = read_matrix_latex(r"B^\top A^\top", sh, ctx)
    assert ab == ba and isinstance(ab, sp.MatMul)
    ab2, _ = read_matrix_latex(r"A^\top B^\top", sh, ctx)
    assert ab2 != ab  # order kept
    for bad in (r"\mathbf{z}^\top\mathbf{x}",  # bold without a shape
                r"E", r"\frac{\partial E}{\partial \mathbf{x}}",  # a name the note defines elsewhere
                r"y_i^2", r"A \times B", r"\mathbf{x}^{\alpha}"):  # (x_i is an entry of x now)
        with pytest.raises(MatrixReadError):
            read_matrix_latex(bad, sh)
