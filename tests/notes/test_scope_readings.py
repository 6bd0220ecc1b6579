"""A claim that uses a name whose definition's section has ended is decided under two readings
(notes.scope_readings): the definition carried on, and the name free.  The verdict stands only where
both agree; a step that holds only with the definition carried on is unknown, never refuted.

Where the note defines the name once (not in an example, not "in this section only"), the definition is
what the later sections mean: it is carried on alone (issue 11, the claims fixtures' scope lines).  The
two readings are kept for a name the note defines more than once: the fixture below gets a later
redefinition of T_uv, so the old tests of the two readings still test them."""
from __future__ import annotations

from pathlib import Path

import pytest

from verifier.model.results import PROVED, REFUTED, UNKNOWN
from verifier.notes.check import check_text

NOTE = Path(__file__).resolve().parent.parent / "fixtures" / "patterns" / "notation_sections.md"


#: a later section that uses the letter T_uv for something else: the first definition is no longer the only one
REDEFINED = """

## A different statistic

Here the letter is used again:

$$
T_{uv} := \\sum_{i=1}^{n} (u_i + v_i)
$$
"""


@pytest.fixture(scope="module")
def steps():
    rep = check_text(NOTE.read_text(encoding="utf-8") + REDEFINED, NOTE.name, budget=10.0)
    return {s.line: s for s in rep.all_steps}


@pytest.fixture(scope="module")
def once():
    rep = check_text(NOTE.read_text(encoding="utf-8"), NOTE.name, budget=10.0)
    return {s.line: s for s in rep.all_steps}


def test_a_name_defined_once_is_carried_on_into_later_sections(once):
    s = once[16]
    assert s.status == PROVED and "carried on past the end of its section: the note defines it once" in s.message
    assert any(u.get("carried") and u["definition"] == "T_{uu}" for u in s.uses), s.uses
    assert once[22].status == REFUTED, once[22].message  # the halved cross term, read as the note means it
    assert once[34].status == REFUTED and once[28].status == PROVED


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
