"""Definitions carried past the end of their section (notes.scope_readings.carried_for_certain), case
readings (notes.case_readings), and the reader's bare \\pi as a mixing weight.

The rule, as a careful reader applies it: a name the note defines once (not in an example, not "in this
section only") keeps that meaning in later sections, unless a section introduces the letter afresh
("let $h$ be any ...") or works an example with values of its own; a name defined more than once is
carried only into a section whose prose cites the section of one definition by number ("of 3.4").
Everything else keeps the two readings (carried and free), which must agree for a verdict.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from verifier.model.results import CHECKED, NOTED, PROVED, REFUTED, UNKNOWN
from verifier.notes.check import check_text

NOTE = Path(__file__).resolve().parent.parent / "fixtures" / "patterns" / "carried_definitions.md"
CARRIED = "carried on past the end of its section: the note defines it once"


def _steps(text: str, name: str = "note.md") -> dict[int, object]:
    return {s.line: s for s in check_text(text, name, budget=10.0).all_steps}


@pytest.fixture(scope="module")
def steps():
    return _steps(NOTE.read_text(encoding="utf-8"), NOTE.name)


def test_definitions_made_once_hold_in_later_sections(steps):
    for line in (31, 37, 49):  # right steps, one a commuted rewrite of another
        assert steps[line].status == PROVED and CARRIED in steps[line].message, (line, steps[line].message)
    assert steps[55].status in (PROVED, CHECKED), steps[55].message  # \dfrac, a rewrite of line 49 by logs
    assert any(u.get("carried") for u in steps[31].uses), steps[31].uses


def test_wrong_steps_with_carried_definitions_are_refuted(steps):
    for line in (43, 61, 133):
        assert steps[line].status == REFUTED, (line, steps[line].message)


def test_a_local_definition_and_an_example_do_not_carry(steps):
    assert steps[75].status == PROVED  # inside its own section
    s = steps[90]  # "In this section only, let g ...": later, g may be anything
    assert s.status == UNKNOWN and "ended at line" in s.message, s.message
    assert steps[98].status == NOTED  # the example's value of u binds only there
    assert steps[127].status in (PROVED, CHECKED), steps[127].message  # u after the example: the general one


def test_non_claims_are_noted_with_their_kind(steps):
    assert (steps[16].status, steps[16].kind) == (NOTED, "definition")
    assert (steps[83].status, steps[83].kind) == (NOTED, "model")


def test_a_case_of_the_prose_is_read_with_its_values(steps):
    s = steps[115]  # "When $h = 0$": holds with h = 0 put in, not as an identity
    assert (s.status, s.kind) == (NOTED, "equation") and "holds in the case" in s.message, s.message
    s = steps[121]  # the careless version fails even in the case: undecided, never refuted
    assert s.status == UNKNOWN and "fails" in s.message, s.message


def test_a_bounded_pi_is_a_mixing_weight():
    rep = check_text(NOTE.read_text(encoding="utf-8"), NOTE.name, budget=10.0)
    assert rep.assumptions.get("\\pi", "").startswith("in (0, 1)"), rep.assumptions


def test_a_later_redefinition_brings_back_both_readings():
    text = NOTE.read_text(encoding="utf-8") + "\n## 4.8 Another ratio\n\nWe now define\n\n$$\nr = \\frac{v}{u}\n$$\n"
    s = _steps(text)
    assert s[31].status == UNKNOWN and "read with that definition the step is proved" in s[31].message, s[31].message
    assert s[43].status in (REFUTED, UNKNOWN)  # wrong: never accepted


FRESH = r"""# Notes

## 1. A quadratic

We work with

$$
h(x) = x^2
$$

## 2. Convex functions in general

%s twice differentiable convex function. Then its second derivative is

$$
\frac{d^2}{dx^2} h(x) = 2
$$
"""


def test_a_letter_introduced_afresh_is_not_carried():
    s = _steps(FRESH % "Let $h$ be any")[16]
    assert s.status == UNKNOWN, s.message  # proved for the quadratic, unknowable for a general h
    s = _steps(FRESH % "For the quadratic above, a")[16]
    assert s.status == PROVED and CARRIED in s.message, s.message


CITED = r"""# Families

## 1 Bernoulli

In this section the log-partition function is

$$
A(\eta) = \ln\left(1 + e^{\eta}\right)
$$

## 2 Poisson

In this section it is redefined as

$$
A(\eta) = e^{\eta}
$$

## 3 Convexity

For the family of section %s, by convexity, for any two parameters,

$$
A\left(\frac{\eta_1 + \eta_2}{2}\right) %s \frac{A(\eta_1) + A(\eta_2)}{2}
$$
"""


@pytest.mark.parametrize("section,sign,expect", [("2", r"\ge", REFUTED), ("2", r"\le", PROVED),
                                                 ("1", r"\ge", REFUTED)])
def test_a_cited_section_decides_which_definition_is_meant(section, sign, expect):
    s = _steps(CITED % (section, sign))[24]
    assert s.status == expect or (expect == PROVED and s.status == CHECKED), s.message
    assert "the section cites the section of its definition" in s.message


def test_without_a_citation_a_redefined_name_is_not_carried():
    s = _steps(CITED.replace("For the family of section %s, by", "By") % r"\ge")[24]
    assert s.status == UNKNOWN, s.message
    s = _steps(CITED.replace("of section %s", "of %s") % ("2", r"\ge"))[24]  # "of 2": a number, no citation
    assert s.status == UNKNOWN, s.message
