"""A claim that uses a name whose definition's section has ended is decided under two readings
(notes.scope_readings): the definition carried on, and the name free.  The verdict stands only where
both agree; a step that holds only with the definition carried on is unknown, never refuted."""
from __future__ import annotations

from pathlib import Path

import pytest

from verifier.model.results import PROVED, REFUTED, UNKNOWN
from verifier.notes.check import check_text

NOTE = Path(__file__).resolve().parent.parent / "fixtures" / "patterns" / "notation_sections.md"


@pytest.fixture(scope="module")
def steps():
    rep = check_text(NOTE.read_text(encoding="utf-8"), NOTE.name, budget=10.0)
    return {s.line: s for s in rep.all_steps}


def test_a_step_right_only_with_the_carried_definition_is_unknown_with_both_outcomes(steps):
    s = steps[16]  # right with T_uu, T_uv as defined in the notation section; fails with them free
    assert s.status == UNKNOWN, s.message
    assert "ended at line" in s.message and "read with that definition the step is proved" in s.message


def test_a_wrong_step_that_fails_under_both_readings_is_refuted(steps):
    s = steps[22]
    assert s.status == REFUTED, s.message
    assert "it fails with them free too" in s.message


def test_algebra_that_holds_under_both_readings_is_proved(steps):
    s = steps[28]
    assert s.status == PROVED, s.message
    assert "carried on and with them free" in s.message


def test_a_slip_that_fails_whatever_the_names_mean_is_refuted(steps):
    assert steps[34].status == REFUTED, steps[34].message


def test_inside_the_section_the_definition_holds_as_before():
    text = NOTE.read_text(encoding="utf-8").replace("## The loss\n", "")
    rep = check_text(text, NOTE.name, budget=10.0)
    # without the heading, the loss is in the notation's section: decided with the definitions, plainly
    s = next(x for x in rep.all_steps if x.lhs.startswith(r"\sum_{i=1}^{n} (v_i") and x.rhs.endswith("2 c T_{uv}"))
    assert s.status in (PROVED, "checked") and "free" not in s.message, s.message
