"""A case of the prose that relates a name to a formula ("given $c_i = 2 x_i$ for this sample") defines
nothing, yet a step that leaves the name free rests on it: read with c_i free, a right step "fails".  Such
a refutation is `unknown` with the reason, to the end of the case's section; steps that do not use the
name, and later sections, are decided as before; a case with a bare name ("when $x = \\mu$") sets nothing."""
from __future__ import annotations

from verifier.model.results import PROVED, REFUTED, UNKNOWN
from verifier.notes.check import check_text

NOTE = r"""# Scores

## One sample

For each sample we form the score

$$
h_i = w x_i + c_i
$$

given $c_i = 2 x_i$ for this sample, so that

$$
h_i = (w + 2) x_i
$$

while the weight alone obeys

$$
w (x_i + 1) = w x_i + 2 w
$$

## Another section

Here the offsets are free again and

$$
h_i = (w + 2) x_i
$$
"""


def _line(text: str, needle: str, nth: int = 0) -> int:
    return [k for k, l in enumerate(text.splitlines(), 1) if needle in l][nth]


def _status(rep, line: int) -> str:
    return next(s for s in rep.all_steps if s.line == line).status


def test_a_step_resting_on_a_case_formula_is_unknown_with_the_case_named():
    rep = check_text(NOTE, "scores.md")
    s = next(s for s in rep.all_steps if s.line == _line(NOTE, "h_i = (w + 2) x_i"))
    assert s.status == UNKNOWN and "c_i = 2 x_i" in s.message and "case" in s.message, s


def test_a_wrong_step_without_the_name_is_still_refuted():
    rep = check_text(NOTE, "scores.md")
    assert _status(rep, _line(NOTE, "w (x_i + 1) = w x_i + 2 w")) == REFUTED


def test_the_case_ends_with_its_section():
    rep = check_text(NOTE, "scores.md")
    assert _status(rep, _line(NOTE, "h_i = (w + 2) x_i", 1)) != PROVED  # c_i free there: not proved
    assert "case the prose states" not in next(
        s for s in rep.all_steps if s.line == _line(NOTE, "h_i = (w + 2) x_i", 1)).message


def test_a_case_with_a_bare_name_sets_nothing():
    text = r"""## Peak

The density peaks when $x = \mu$.

Expanding the square in general, a slip is

$$
(x - \mu)^2 = x^2 - \mu^2
$$
"""
    rep = check_text(text, "peak.md")
    assert _status(rep, _line(text, "(x - \\mu)^2 = x^2 - \\mu^2")) == REFUTED
