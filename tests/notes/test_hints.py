"""Messages that help (verifier.notes.hints): unparsed steps name the construct and how to write it."""
from __future__ import annotations

import pytest

from verifier.model.results import PROVED, UNKNOWN, UNPARSED
from verifier.notes.check import check_text
from verifier.notes.hints import HINTS, hint_for, unparsed_message

PARSER_WORDS = ("I don't understand", "I expected something else", "rejected it")


def _one(latex: str):
    rep = check_text(f"$$\n{latex}\n$$\n", "n.md", budget=15.0)
    assert len(rep.steps) == 1, [(s.lhs, s.rhs) for s in rep.steps]
    return rep.steps[0]


@pytest.mark.parametrize("latex, construct, advice", [
    (r"\nabla f(x) = 2x", r"\nabla", "partial derivatives"),
    (r"\lg 8 = 3 \lg 2", r"\lg", r"\log_2 or \log_{10}"),
    (r"a \star b = b \star a", r"\star", r"\cdot"),
    (r"\lVert x \rVert^2 = \sum_i x_i^2", "norm", "sum of squares"),
])
def test_unparsed_steps_name_the_construct_and_what_to_write(latex, construct, advice):
    s = _one(latex)
    assert s.status == UNPARSED
    assert construct in s.message and advice in s.message
    assert not any(w in s.message for w in PARSER_WORDS)
    assert "\\\\" not in s.message  # LaTeX quoted as written, backslashes not doubled


def test_a_transposed_symbol_is_a_type_not_a_parse_failure():
    """x^T makes x a vector: the step is unknown with that reason (types before values), never read as scalars."""
    s = _one(r"x^T y = y^T x")
    assert s.status == UNKNOWN and "transposed" in s.message and "vector" in s.message


def test_the_fragment_is_quoted_as_the_note_wrote_it():
    msg = unparsed_message(r"\log(x) \star y", r"\ln{\left(x \right)} \star y", "the LaTeX parser rejected it "
                           "(I don't understand this)")
    assert msg.startswith(r"could not read \log(x) \star y")  # the note's \log, not the reader's \ln
    assert "I don't understand" not in msg


def test_parser_words_are_replaced_even_without_a_known_construct():
    msg = unparsed_message(r"a \weird b", r"a \weird b", "the LaTeX parser rejected it (I expected something else here)")
    assert "expected something else" not in msg and r"a \weird b" in msg and "write it" in msg


def test_a_specific_reason_of_the_reader_is_kept():
    msg = unparsed_message(r"\hat{x + y}", r"\hat{x + y}", "an accent over an expression is not supported")
    assert msg == r"could not read \hat{x + y}: an accent over an expression is not supported"


def test_every_hint_matches_its_own_example_and_right_steps_are_not_touched():
    for h in HINTS:
        assert h.instead and h.construct
    assert hint_for(r"x^2 + y^2") is None and hint_for(r"\frac{a}{b} \cdot c") is None
    assert hint_for(r"x^{T}") is not None and hint_for(r"x^{Tr}") is None
    # a right step with ordinary notation is still read and proved (the hints only touch messages)
    assert _one(r"\log(x y) = \log x + \log y").status == PROVED
