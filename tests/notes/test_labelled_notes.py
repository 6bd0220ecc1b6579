"""Labelled notes: every relation of the notes under tests/fixtures/ with a NAME.labels.json is
labelled right, wrong or noted (with its kind); `verify check` must agree line by line:

- a `wrong` step is refuted (never proved or checked);
- a `right` step is never refuted;
- a `noted` step (definition, model, equation, approximation, notation) is reported with the status
  `noted` and its kind, and never refuted.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import pytest

from verifier.model.results import CHECKED, NOTED, PROVED, REFUTED
from verifier.notes.check import check_text

FIXTURES = Path(__file__).parent.parent / "fixtures"
LABELS = sorted(FIXTURES.rglob("*.labels.json"))
BUDGET = 10.0


#: labels the tool does not meet yet, each with the reason; these steps must still never be refuted (nor
#: proved or checked when wrong).  Remove an entry when the tool meets the label.
KNOWN: dict[tuple[str, int], str] = {}


def _norm(latex: str) -> str:
    return re.sub(r"\s+|\\[,;:! ]|\\q?quad\b", "", latex or "").rstrip(".,;")


def _note_of(labels_path: Path) -> Path:
    data = json.loads(labels_path.read_text(encoding="utf-8"))
    name = data.get("note") or labels_path.name.replace(".labels.json", "")
    p = labels_path.parent / name
    if not p.exists():
        cands = [q for q in labels_path.parent.glob(labels_path.name.replace(".labels.json", "") + ".*")
                 if not q.name.endswith(".json")]
        p = cands[0] if cands else p
    return p


@lru_cache(maxsize=None)
def _report(note: Path):
    return check_text(note.read_bytes().decode("utf-8"), str(note), budget=BUDGET)


def _labels(labels_path: Path) -> list[dict]:
    data = json.loads(labels_path.read_text(encoding="utf-8"))
    return data["steps"] if isinstance(data, dict) else data


def _match(label: dict, steps: list):
    """The tool's step for a label: same line and sides, else same line and right side, else the only
    step at that line."""
    at = [s for s in steps if s.line == label["line"]]
    lhs, rhs = _norm(label.get("lhs", "")), _norm(label.get("rhs", ""))
    for cands in ([s for s in at if _norm(s.lhs) == lhs and _norm(s.rhs) == rhs],
                  [s for s in at if _norm(s.rhs) == rhs], [s for s in at if _norm(s.lhs) == lhs]):
        if len(cands) >= 1:
            return cands[0]
    return at[0] if len(at) == 1 else None


def _case_id(p: Path) -> str:
    return f"{p.parent.name}/{p.name.replace('.labels.json', '')}"


@pytest.mark.skipif(not LABELS, reason="no labelled notes yet")
@pytest.mark.parametrize("labels_path", LABELS, ids=_case_id)
def test_labelled_note(labels_path: Path):
    note = _note_of(labels_path)
    rep = _report(note)
    steps = rep.all_steps
    strict_wrong = True  # every set: a wrong step is refuted
    problems = []
    for label in _labels(labels_path):
        s = _match(label, steps)
        expect = label["expect"]
        where = f"line {label['line']} {label.get('lhs', '')[:40]!r} {label.get('rel', '=')} {label.get('rhs', '')[:40]!r}"
        if s is None and (note.name, label["line"]) in KNOWN:
            continue
        if s is None:
            if expect == "wrong" and strict_wrong:
                problems.append(f"{where}: a wrong step not found")
            elif expect == "noted":
                problems.append(f"{where}: a noted {label.get('kind')} not reported")
            continue
        got = f"{s.status}/{s.kind} ({s.message[:100]}; read as {s.reading[:80]})"
        known = KNOWN.get((note.name, label["line"]))
        false_alarm = expect in ("right", "noted") and s.status == REFUTED
        if known is not None and not false_alarm and not (expect == "wrong" and s.status in (PROVED, CHECKED)):
            continue  # a known gap (see KNOWN): anything but a false accept or a false alarm is tolerated here
        if expect == "wrong" and s.status in (PROVED, CHECKED):
            problems.append(f"{where}: FALSE ACCEPT, wrong step {got}")
        elif expect == "wrong" and strict_wrong and s.status != REFUTED:
            problems.append(f"{where}: wrong step not refuted: {got}")
        elif expect == "right" and s.status == REFUTED:
            problems.append(f"{where}: FALSE ALARM, right step {got}")
        elif expect == "noted" and s.status == REFUTED:
            problems.append(f"{where}: FALSE ALARM, a {label.get('kind')} that claims nothing {got}")
        elif expect == "noted" and (s.status != NOTED or s.kind != label.get("kind")):
            problems.append(f"{where}: expected noted {label.get('kind')}, got {got}")
    assert not problems, f"{note.name}:\n" + "\n".join(problems)
