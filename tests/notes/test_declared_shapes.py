"""The names a note's prose declares non-scalar (notes.shapes.declared_shapes): what each statement
declares, the first statement of a name wins with its own line, and a note read line by line gives
the same answer for every prefix as reading that prefix whole."""
from __future__ import annotations

from verifier.notes.shapes import declared_shapes

NOTE = """# Least squares

Let $X \\in \\mathbb{R}^{n \\times d}$ be the design matrix and $\\mathbf{y} \\in \\mathbb{R}^n$ the targets.
The matrices $A$ and $B$ are fixed; $a$ is a matrix entry, not a matrix.
Let $Z \\sim \\mathcal{N}(0, 1)$ and let $\\sigma \\in \\mathbb{R}^1$ be a scale.

$$
\\hat{\\mathbf{w}} = (X^\\top X)^{-1} X^\\top \\mathbf{y}
$$

Let $X \\in \\mathbb{R}^{n \\times d}$ be the design matrix and $\\mathbf{y} \\in \\mathbb{R}^n$ the targets.
The vectors $u, v$ are orthogonal.
"""


def _seen(text: str) -> dict[str, tuple[str, int]]:
    return {name: (shape.what, shape.line) for name, shape in declared_shapes(text).items()}


def test_each_kind_of_statement_declares_its_names():
    seen = _seen(NOTE)
    assert seen["X"] == ("matrix", 3) and seen["y"] == ("vector", 3)
    assert seen["A"] == ("matrix", 4) and seen["B"] == ("matrix", 4)
    assert seen["Z"] == ("random variable", 5)
    assert seen["u"] == ("vector", 12) and seen["v"] == ("vector", 12)
    assert "a" not in seen  # a lowercase "matrix" name is an entry
    assert "\\sigma" not in seen  # R^1 is a number


def test_the_first_statement_wins_and_a_repeated_line_keeps_its_own_line_number():
    seen = _seen(NOTE)
    assert seen["X"][1] == 3  # restated on line 11: the first statement stays
    moved = "Intro.\n\n\n\n" + NOTE.split("\n", 2)[2]  # the same statements, three lines further down
    assert _seen(moved)["X"] == ("matrix", 5) and _seen(moved)["A"] == ("matrix", 6)


def test_every_prefix_reads_as_the_prefix_alone():
    lines = NOTE.splitlines()
    for k in range(len(lines) + 1):
        prefix = "\n".join(lines[:k])
        expected = {name: (what, line) for name, (what, line) in _seen(NOTE).items() if line <= k}
        assert _seen(prefix) == expected, k
