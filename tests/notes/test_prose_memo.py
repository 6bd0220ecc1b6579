"""What the reader learns from a note's prose before a matrix step (shapes, definitions, statements of
symmetry) and a row's relation signs are worked out once per text and kept: every later step asks again
with the same prose.  What a caller is given is its own: changing it must not change what the next step
is told, and a different prose is read afresh."""
from __future__ import annotations

from verifier.notes.linalg_check import note_kinds, note_shapes
from verifier.notes.matrix_calls import definitions_in
from verifier.notes.relations import drop_alignment, split_signs
from verifier.notes.symmetric_readings import stated_symmetric

PROSE = r"""
# Ridge regression

Let $\mathbf{X} \in \mathbb{R}^{n \times d}$ be the design matrix and $\mathbf{y} \in \mathbb{R}^n$ the
targets. The vector $\mathbf{s} \in \{0, 1\}^d$ marks the features that are kept. The Gram matrix
$K$ is symmetric.

$$
L(\mathbf{w}) = \|\mathbf{y} - \mathbf{X}\mathbf{w}\|^2 + \lambda \|\mathbf{w}\|^2
$$
"""


def test_the_shapes_a_caller_changes_are_not_what_the_next_step_is_told():
    shapes, fresh = note_shapes(PROSE)
    assert shapes["X"] == ("n", "d") and shapes["y"] == ("n", "1")
    kinds = note_kinds(PROSE, shapes)  # adds the binary vector s to the caller's shapes
    assert kinds.get("s") == "binary" and "s" in shapes
    shapes["X"] = ("1", "1")
    fresh.add("s_bogus")
    again, fresh_again = note_shapes(PROSE)
    assert again["X"] == ("n", "d") and "s" not in again and "s_bogus" not in fresh_again


def test_another_prose_is_read_afresh():
    later = PROSE.replace(r"\mathbb{R}^{n \times d}", r"\mathbb{R}^{m \times d}")
    assert note_shapes(PROSE)[0]["X"] == ("n", "d")
    assert note_shapes(later)[0]["X"] == ("m", "d")


def test_definitions_given_to_a_caller_are_its_own():
    defs = definitions_in(PROSE)
    assert defs["L"][1] and "lambda" in defs["L"][1][0]
    defs["L"][1].clear()
    defs.pop("L")
    assert definitions_in(PROSE)["L"][1]


def test_a_display_read_before_is_read_the_same_after_more_prose():
    more = PROSE + "\nThen\n$$\nR(\\mathbf{w}) = \\lambda \\|\\mathbf{w}\\|^2\n$$\n"
    defs = definitions_in(more)
    assert set(defs) >= {"L", "R"} and defs["L"] == definitions_in(PROSE)["L"]


def test_statements_of_symmetry_given_to_a_caller_are_its_own():
    stated = stated_symmetric(PROSE)
    assert "K" in stated
    stated.clear()
    assert "K" in stated_symmetric(PROSE)
    assert "K" not in stated_symmetric(PROSE.replace("is symmetric", "is not symmetric"))


def test_a_row_split_at_its_signs_is_the_callers_own():
    parts = split_signs(r"a &= b + c \le d")
    assert [p[0] for p in parts] == [None, "=", "<="]
    parts.clear()
    assert len(split_signs(r"a &= b + c \le d")) == 3
    assert drop_alignment(r"a &= b") == "a  = b" and drop_alignment("a = b") == "a = b"
    assert drop_alignment(r"\begin{cases} 1 & x > 0 \end{cases}") == r"\begin{cases} 1 & x > 0 \end{cases}"
