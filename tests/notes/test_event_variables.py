"""Events of two random variables are two values: P(X = 0) and P(Y = 0) are not one number
(notes.event_variables); a note about one variable keeps reading P(X = x) as P(x)."""
from __future__ import annotations

import pytest

from verifier.model.results import PROVED, REFUTED
from verifier.notes.check import check_text
from verifier.notes.event_variables import by_variable, event_variables

NOTE = """# Two coins

Let $X$ and $Y$ be two coins with

$$
P(X = 0) = 0.7
$$

$$
P(Y = 0) = 0.4
$$

so that

$$
P(X = 0) + P(Y = 0) = {total}
$$
"""


@pytest.mark.parametrize("total,expect", [("1.1", PROVED), ("\\frac{11}{10}", PROVED), ("1.4", REFUTED)])
def test_two_variables_have_their_own_probabilities(total, expect):
    steps = {s.line: s for s in check_text(NOTE.format(total=total), "n.md", budget=10.0).all_steps}
    assert steps[10].status != REFUTED, steps[10].message  # P(Y = 0) = 0.4 is not P(X = 0) = 0.7
    assert steps[16].status == expect, steps[16].message


def test_the_rewrite_only_applies_with_several_variables():
    assert event_variables(r"P(X = 0) + \Pr(Y = 1)") == {"X", "Y"}
    assert by_variable(r"P(X = 0) + P(Y = \frac{1}{2})", frozenset("XY")) == r"P_{X}(0) + P_{Y}(\frac{1}{2})"
    assert by_variable(r"P(X = 0)", frozenset("X")) == r"P(X = 0)"
    assert by_variable(r"P(X = 0 \mid Y = 1)", frozenset("XY")) == r"P(X = 0 \mid Y = 1)"  # conditionals elsewhere
