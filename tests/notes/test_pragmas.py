"""Pragmas in notes (verifier.notes.pragmas) and how `check_text` uses them."""
from __future__ import annotations

import pytest

from verifier.model.results import PROVED, REFUTED, UNKNOWN
from verifier.notes.check import check_text
from verifier.notes.pragmas import PRAGMAS, read_pragmas

BUDGET = 15.0


def _check(text: str, path: str = "note.md", **kw):
    return check_text(text, path, budget=BUDGET, **kw)


def _statuses(rep) -> dict[int, str]:
    return {s.line: s.status for s in rep.steps}


# --------------------------------------------------------------------------- reading pragmas
def test_registry_names_every_pragma():
    assert set(PRAGMAS) == {"skip", "skip-file", "assume", "allow"}


def test_read_pragmas_html_and_tex_forms_with_their_lines():
    p = read_pragmas("a\n<!-- verify: skip -->\n% verify: skip\n<!--verify:assume 0<p<1-->\n"
                     "<!-- verify: allow unknown, checked -->\n")
    assert p.skip_at == [2, 3]
    assert p.assumptions == [(4, "0<p<1")]
    assert p.allow == ["unknown", "checked"]
    assert not p.skip_file and not p.problems


def test_unknown_and_malformed_pragmas_are_reported_not_dropped():
    p = read_pragmas("<!-- verify: skipp -->\n<!-- verify: allow refuted -->\n<!-- verify: assume -->\n"
                     "<!-- verify: skip now -->\n")
    lines = [x["line"] for x in p.problems]
    assert lines == [1, 2, 3, 4]
    assert "unknown pragma" in p.problems[0]["message"]
    assert "refuted" in p.problems[1]["message"]  # refuted can never be allowed away
    assert p.allow == [] and p.assumptions == [] and p.skip_at == []


def test_pragmas_shown_in_code_are_examples_not_pragmas():
    p = read_pragmas("```\n<!-- verify: skip-file -->\n```\nwrite `<!-- verify: skip -->` before it\n")
    assert not p.skip_file and p.skip_at == [] and not p.problems


# --------------------------------------------------------------------------- skip
WRONG = "$$\n(a+b)^2 = a^2 + b^2\n$$\n"
RIGHT = "$$\n(a+b)^2 = a^2 + 2ab + b^2\n$$\n"


def test_skip_skips_only_the_next_display():
    rep = _check("# n\n\n<!-- verify: skip -->\n" + WRONG + "\n" + WRONG)
    assert _statuses(rep) == {9: REFUTED}  # the second wrong display is still checked
    assert rep.pragmas["skipped_blocks"] == [4]
    assert not rep.passed()


def test_skip_does_not_hide_a_wrong_step_elsewhere_and_right_steps_stay_proved():
    rep = _check(RIGHT + "<!-- verify: skip -->\n" + WRONG + RIGHT)
    assert [s.status for s in rep.steps] == [PROVED, PROVED]
    assert rep.passed()


def test_tex_comment_skip_in_a_tex_note_and_inside_a_display():
    tex = ("\\begin{document}\n% verify: skip\n\\begin{equation}\n(a+b)^2 = a^2 + b^2\n\\end{equation}\n"
           "\\[\n% verify: skip\n(a+b)^2 = a^2 + b^2\n\\]\n"
           "\\[\n(a+b)^2 = a^2 + b^2\n\\]\n\\end{document}\n")
    rep = _check(tex, "note.tex")
    assert [s.status for s in rep.steps] == [REFUTED]
    assert rep.steps[0].line == 11


def test_skip_with_no_display_after_it_is_a_problem():
    rep = _check(WRONG + "<!-- verify: skip -->\n")
    assert [s.status for s in rep.steps] == [REFUTED]
    assert any("no display" in p["message"] for p in rep.pragmas["problems"])


def test_skip_file():
    rep = _check("<!-- verify: skip-file -->\n" + WRONG)
    assert rep.steps == [] and rep.pragmas == {"skip_file": True}
    assert rep.passed()


# --------------------------------------------------------------------------- assume
SQRT = "$$\n\\sqrt{p^2} = p\n$$\n"
SQRT_WRONG = "$$\n\\sqrt{p^2} = -p\n$$\n"


def test_assume_pragma_gives_the_domain():
    assert [s.status for s in _check(SQRT).steps] == [REFUTED]  # p = -1 breaks it on the reals
    rep = _check("<!-- verify: assume p>0 -->\n" + SQRT)
    assert [s.status for s in rep.steps] == [PROVED]
    assert "verify: assume p>0 (line 1)" in rep.assumptions["p"]
    # a wrong step stays wrong under the assumption
    assert [s.status for s in _check("<!-- verify: assume 0<p<1 -->\n" + SQRT_WRONG).steps] == [REFUTED]


def test_command_line_wins_over_the_pragma():
    rep = _check("<!-- verify: assume 0<p<1 -->\n" + SQRT, assumptions=["p>0"])
    assert rep.assumptions["p"].startswith("positive") and "--assume p>0" in rep.assumptions["p"]


def test_unreadable_assume_pragma_is_a_problem_and_changes_nothing():
    rep = _check("<!-- verify: assume p is small -->\n" + SQRT)
    assert [s.status for s in rep.steps] == [REFUTED]
    assert rep.pragmas["problems"][0]["line"] == 1


# --------------------------------------------------------------------------- allow
UNKNOWN_STEP = "$$\nf(x) = f(x) + 0 \\cdot g(y)\n$$\n$$\nh(a) = h(b)\n$$\n"


def test_allow_unknown_passes_unknown_steps_of_that_file_only():
    base = _check(UNKNOWN_STEP)
    assert UNKNOWN in {s.status for s in base.steps} and REFUTED not in {s.status for s in base.steps}
    assert not base.passed()
    rep = _check("<!-- verify: allow unknown -->\n" + UNKNOWN_STEP)
    assert rep.allow == ["unknown"] and rep.passed()
    assert rep.to_json()["allow"] == ["unknown"]


def test_allow_never_lets_a_refuted_step_pass():
    rep = _check("<!-- verify: allow unknown checked unparsed -->\n" + WRONG)
    assert [s.status for s in rep.steps] == [REFUTED] and not rep.passed()


# --------------------------------------------------------------------------- assume spellings
@pytest.mark.parametrize("spelling", ["p>0", "0<p", "p \\gt 0", "0<p<1", "1>p>0", "p \\in (0,1)", "p in (0, 1)"])
def test_assume_spellings_that_make_sqrt_right(spelling):
    rep = _check(SQRT, assumptions=[spelling])
    assert [s.status for s in rep.steps] == [PROVED], spelling
    assert [s.status for s in _check(SQRT_WRONG, assumptions=[spelling]).steps] == [REFUTED]


def test_lone_upper_bound_combines_with_a_lower_bound():
    rep = _check(SQRT, assumptions=["p>0", "p<1"])
    assert rep.assumptions["p"].startswith("in (0, 1)")
    assert [s.status for s in rep.steps] == [PROVED]


def test_lone_upper_bound_combines_with_the_notes_positivity():
    text = "$$\n\\log(p) + \\log(p) = 2\\log(p)\n$$\n"  # the note takes the log of p: positive
    rep = _check(text, assumptions=["p<1"])
    assert rep.assumptions["p"].startswith("in (0, 1)")
    assert [s.status for s in rep.steps] == [PROVED]


def test_lone_upper_bound_on_a_real_name_is_said_and_never_refutes_a_right_step():
    right = "$$\n\\sqrt{(1-p)^2} = 1 - p\n$$\n"  # true for every p < 1, false above 1
    rep = _check(right, assumptions=["p<1"])
    (s,) = rep.steps
    assert s.status == UNKNOWN and s.method == "assumption" and "p<1" in s.message and s.counterexample is None
    assert any("upper bound" in p["message"] for p in rep.pragmas["problems"])
    # a wrong step under the bound is still refuted, at a point that keeps the bound
    (w,) = _check(SQRT, assumptions=["p<1"]).steps
    assert w.status == REFUTED and float(w.counterexample["p"]) < 1
    # a pragma's lone bound stays local to its note (no error for the run)
    rep = _check("<!-- verify: assume p<1 -->\n" + right)
    assert [s.status for s in rep.steps] == [UNKNOWN]


def test_count_assumption():
    text = "$$\n\\sum_{i=1}^{n} 1 = n\n$$\n$$\n\\frac{n}{n} = 1\n$$\n$$\n(-1)^{2n} = 1\n$$\n"
    rep = _check(text, assumptions=["n >= 1"])
    assert "count" in rep.assumptions["n"]
    assert {s.status for s in rep.steps} == {PROVED}
    wrong = _check("$$\n\\sum_{i=1}^{n} 1 = n + 1\n$$\n", assumptions=["n \\geq 1"])
    assert [s.status for s in wrong.steps] == [REFUTED]
