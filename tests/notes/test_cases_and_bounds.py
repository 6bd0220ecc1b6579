"""What the prose around a step says about its scope: a case ("if", "when $y = 1$") restricts a step
over variables but not one between constants; "when one analyses" is no case; a relation written
after "if"/"when" is no assumption for the whole note; a numeric bound the tool cannot apply
(0 < gamma_t < 1/2) turns a refutation at a point outside it into unknown."""
from __future__ import annotations

import pytest

import sympy as sp

from verifier.model.results import PROVED, REFUTED, UNKNOWN
from verifier.notes.caveats import StepView, bounded, stated_bounds
from verifier.notes.check import check_text
from verifier.notes.statements import stated_under_a_case
from verifier.notes.statements import PROSE_CUES


def _steps(text: str) -> dict:
    return {s.line: s for s in check_text(text, "note.md", budget=10.0).all_steps if s.kind == "claim"}


@pytest.mark.parametrize("prose,case", [("which appears when one analyses the merit function", False),
                                        ("when we differentiate it", False), ("when we set $y = 1$", True),
                                        ("when $y = 1$", True), ("if the output goes through a tanh,", True)])
def test_case_cues(prose, case):
    assert bool(PROSE_CUES["case"].search(prose)) == case


@pytest.mark.parametrize("value,expect", [("0.0997", REFUTED), ("0.0996679946249558", REFUTED)])
def test_a_step_between_constants_is_decided_under_a_case(value, expect):
    text = f"# Net\n\nand if the first output goes through a $\\tanh$ activation,\n\n$$\n\\tanh(0.1) = {value}\n$$\n"
    s = _steps(text)[6]
    assert s.status == expect, s.message
    assert "\\approx" in s.message


def test_a_right_value_under_a_case_is_not_refuted():
    text = "# Net\n\nand if the first output goes through a $\\tanh$ activation,\n\n$$\n\\tanh(0) = 0\n$$\n"
    assert _steps(text)[6].status == PROVED


def test_a_relation_after_when_is_no_assumption_for_the_note():
    lines = ["That is only true when $S \\ge 0$; otherwise", "We assume $x > 0$ throughout.", "如果 $y = 1$，则"]
    assert stated_under_a_case(lines, 1, "S \\ge 0") and stated_under_a_case(lines, 3, "y = 1")
    assert not stated_under_a_case(lines, 2, "x > 0")
    text = ("# Shrinkage\n\nLet $S = \\sum_{i=1}^{n} x_i y_i$ and $\\lambda > 0$, $T > 0$.\n\n"
            "$$\n\\frac{|S|}{T + \\lambda} \\le \\frac{|S|}{T}\n$$\n\n"
            "The version without absolute values is only true when $S \\ge 0$.\n")
    s = _steps(text)[6]  # |S| is not turned into S by the case: the right step holds
    assert s.status != REFUTED, s.message


BOUND = """# Boosting

Let

$$
\\gamma_t = \\frac{{1}}{{2}} - \\epsilon_t
$$

then $0 < \\gamma_t < \\frac{{1}}{{2}}$, and multiplying the rounds,

$$
\\prod_{{t=1}}^{{T}} \\sqrt{{1 - 4 \\gamma_t^2}} \\le {rhs}
$$
"""


@pytest.mark.parametrize("rhs,expect", [("\\exp\\left(-2 \\sum_{t=1}^{T} \\gamma_t^2\\right)", (UNKNOWN, PROVED)),
                                        ("1", (UNKNOWN, PROVED))])
def test_a_bound_the_tool_cannot_apply_makes_a_refutation_outside_it_unknown(rhs, expect):
    s = _steps(BOUND.format(rhs=rhs))[12]
    assert s.status in expect, s.message
    if s.status == UNKNOWN:
        assert "bounds these names" in s.message


def test_a_refutation_inside_the_bound_stands():
    g = sp.IndexedBase("gamma")
    t = sp.Symbol("t", integer=True)
    view = StepView("", "", "<=", sp.sqrt(1 - 4 * g[t] ** 2), sp.Integer(-1), {}, str, {},
                    bounds=stated_bounds("then $0 < \\gamma_t < \\frac{1}{2}$, and"))
    caveat = bounded(view)
    assert caveat is not None
    assert not caveat.applies({"\\gamma[1]": "0.25", "T": "1"})  # inside: the refutation stands
    assert caveat.applies({"\\gamma[1]": "0.75", "T": "1"})  # outside: no error of the note
    assert caveat.applies(None)


CASE_VALUE = """# Poisson

The estimate is

$$
\\hat{\\lambda} = \\frac{1}{n} \\sum_{i=1}^{n} x_i
$$

If all observations are zero, then

$$
\\hat{\\lambda} = 0
$$

and in general

$$
n \\hat{\\lambda} = \\sum_{i=1}^{n} x_i %s
$$
"""


@pytest.mark.parametrize("tail,expect", [("", PROVED), ("+ 1", REFUTED)])
def test_a_value_in_a_case_is_noted_and_binds_nothing(tail, expect):
    steps = {s.line: s for s in check_text(CASE_VALUE % tail, "n.md", budget=10.0).all_steps}
    assert steps[12].status == "noted" and steps[12].kind == "equation", steps[12].message
    assert steps[18].status == expect, steps[18].message  # the general definition still holds
