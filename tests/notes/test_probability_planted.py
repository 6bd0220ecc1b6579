"""The planted errors of the probability fixtures (tests/fixtures/probability/*.labels.json, expect "wrong"):
every one is refuted, a step about a law with that law shown in the message (GAPS, the planted errors not
reached yet, is empty; an entry would have to be neither proved nor checked, and leave the list once met)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from verifier.notes.check import check_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "probability"

#: planted errors not refuted yet, with the reason (none left: every planted error is refuted)
GAPS: dict[tuple[str, int], str] = {}

#: planted errors about a law: the refutation names the law (a joint table, a family with its parameters)
ABOUT_A_LAW = {("p01_bernoulli_moments.md", 80), ("p01_bernoulli_moments.md", 118),
               ("p02_expectation_rules.md", 76), ("p03_bayes_disease_test.md", 59),
               ("p05_gaussian_kl_and_mle.tex", 49), ("p07_elbo.md", 113), ("p07_elbo.md", 157)}


def _planted() -> list[tuple[str, int, str, str]]:
    out = []
    for labels in sorted(FIXTURES.glob("*.labels.json")):
        data = json.loads(labels.read_text(encoding="utf-8"))
        out += [(data["note"], s["line"], s["lhs"], s["rhs"]) for s in data["steps"] if s["expect"] == "wrong"]
    return out


@lru_cache(maxsize=None)
def _steps(note: str):
    path = FIXTURES / note
    rep = check_text(path.read_text(encoding="utf-8"), str(path), budget=10.0)
    return rep.all_steps


def _norm(s: str) -> str:
    return "".join(s.split())


def _step(note: str, line: int, lhs: str, rhs: str):
    at = [s for s in _steps(note) if s.line == line]
    exact = [s for s in at if _norm(s.lhs) == _norm(lhs) and _norm(s.rhs) == _norm(rhs)]
    return (exact or at)[0]


def test_the_planted_set_is_the_labelled_one():
    assert len(_planted()) == 14 and set(GAPS) <= {(n, ln) for n, ln, _, _ in _planted()}


@pytest.mark.parametrize("note,line,lhs,rhs", _planted(), ids=[f"{n}:{ln}" for n, ln, _, _ in _planted()])
def test_planted_error(note, line, lhs, rhs):
    s = _step(note, line, lhs, rhs)
    if (note, line) in GAPS:
        assert s.status not in ("proved", "checked"), f"a wrong step accepted: {s.status} {s.message}"
        assert s.status != "refuted", f"refuted now: remove ({note!r}, {line}) from GAPS"
        return
    assert s.status == "refuted", f"{s.status}: {s.message}"
    if (note, line) in ABOUT_A_LAW:
        assert "concrete law:" in s.message, s.message
