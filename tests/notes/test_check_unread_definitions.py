"""A name whose definition could not be read is not sampled as an arbitrary function: steps
using it are unknown (a random g would 'refute' g(x) + g(x) = 2x^2, which holds for the note's g)."""
from __future__ import annotations

from verifier.notes.check import check_text

NOTE = r"""
$$
g(x) = \weirdmacro{x^2}
$$

$$
g(x) + g(x) = 2 x^2
$$
"""


def test_steps_using_an_unread_definition_are_unknown():
    report = check_text(NOTE, "n.md")
    steps = [s for b in report.blocks for s in b.steps]
    statuses = [s.status for s in steps]
    # the definition claims nothing: noted with its kind (it was "unparsed" before kinds existed),
    # and what could not be read is said
    assert statuses[0] == "noted" and steps[0].kind == "definition" and "not read" in steps[0].message
    assert statuses[1] == "unknown", statuses
    assert "could not be read" in steps[1].message and "line 3" in steps[1].message


def test_a_readable_definition_is_still_used():
    report = check_text(NOTE.replace(r"\weirdmacro{x^2}", "x^2"), "n.md")
    steps = [s for b in report.blocks for s in b.steps]
    # the definition is step 0 of its block, reported with its kind (it claims nothing)
    assert [s.status for s in steps] == ["noted", "proved"] and steps[0].kind == "definition"
    wrong = check_text(NOTE.replace(r"\weirdmacro{x^2}", "x^3"), "n.md")
    assert [s.status for b in wrong.blocks for s in b.steps] == ["noted", "refuted"]
