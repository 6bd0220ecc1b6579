"""Domains stated in the prose: a label y in {-1, +1} is a sign (proved by cases, never read as a
real), and a double bound 0 < eta <= 1 gives eta's lower bound (positive); a step that needs the
sign or the bound is proved, a wrong one still refuted."""
from __future__ import annotations

from verifier.model.results import PROVED, REFUTED
from verifier.notes.check import check_text
from verifier.notes.domains import assumption
from verifier.notes.notation import Notation
from verifier.notes.reader import Reader

NOTE = r"""# Perceptron

Each label is $y \in \{-1, +1\}$ and the learning rate is $0 < \eta \le 1$.

$$
y (w x + b) + \eta y^2 (x^2 + 1) = y (w x + b) + \eta (x^2 + 1)
$$

$$
y (w x + b) + \eta (x^2 + 1) > y (w x + b)
$$

$$
y (w x + b) + \eta y (x^2 + 1) = y (w x + b) + \eta (x^2 + 1)
$$

$$
y (w x + b) - \eta (x^2 + 1) > y (w x + b)
$$
"""


def test_bounds_read():
    r = Reader(Notation(), set(), 10000)
    assert [(s.name, s.domain) for s in assumption(r, r"0 < \eta \le 1")] == [("eta", "positive")]
    assert [(s.name, s.domain) for s in assumption(r, r"1 \ge \eta > 0")] == [("eta", "positive")]
    assert [(s.name, s.domain) for s in assumption(r, r"0 \le x < 5")] == [("x", "nonnegative")]
    assert [(s.name, s.domain) for s in assumption(r, r"0<p<1")] == [("p", "unit")]
    assert assumption(r, r"0 < x < y", quiet=True) == []  # a bound by a symbol: not a domain


def test_sign_and_rate_used_right_steps_proved_wrong_refuted():
    rep = check_text(NOTE, "perceptron.md", budget=10)
    got = [s.status for s in rep.all_steps]
    assert got == [PROVED, PROVED, REFUTED, REFUTED], [(s.status, s.message) for s in rep.all_steps]
    assert rep.assumptions["y"].startswith("a sign {-1, +1}")
    assert rep.assumptions["\\eta"].startswith("positive")
