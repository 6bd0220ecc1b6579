"""`verify steps FILE.jsonl`: one step per line, one JSON verdict per line as results arrive.

A line is ``{"id": ..., "lhs": "LaTeX", "rhs": "LaTeX", "relation": "=", "assumptions": ["x>0"]}``
(``relation`` defaults to ``=``; ``assumptions`` are ``--assume`` strings).  The sides are read
with :class:`verifier.notes.reader.Reader` in a worker under a time budget, the symbols get the
domains stated or the defaults of notes, and the problem goes to the engine's batch entry
(:func:`verifier.engine.decide.decide_stream`, through the verdict cache).  Lines are read a
chunk at a time, so memory stays constant however long the file is.  A bad line (not JSON, a
field missing, a side that does not parse) gives a verdict for that line and the run goes on.
"""
from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Iterable, Iterator

from verifier.engine.budget import run_stream
from verifier.engine.decide import decide_stream
from verifier.engine.problem import Problem
from verifier.model.results import UNKNOWN, UNPARSED, Verdict
from verifier.notes.context import NoteContext
from verifier.notes.domains import Stated, assumption
from verifier.notes.notation import Notation
from verifier.notes.parsing import PARSE_BUDGET
from verifier.notes.reader import Reader, function_names_of
from verifier.notes.resolve import indexed_names_of
from verifier.notes.scan import ReadError

CHUNK = 256
RELATIONS = {"=": "=", "==": "=", "<=": "<=", "\\le": "<=", "\\leq": "<=", "≤": "<=", ">=": ">=",
             "\\ge": ">=", "\\geq": ">=", "≥": ">=", "<": "<", ">": ">"}


@dataclass
class ReadStep:
    """A line read: the problem, or the verdict that stands for it (unparsed, bad input)."""

    problem: Problem | None
    verdict: Verdict | None
    seconds: float = 0.0


def read_step(obj: dict, report=None) -> ReadStep:
    """The problem of one line (runs in a worker: the grammar may be slow on hostile input)."""
    lhs, rhs = obj["lhs"], obj["rhs"]
    relation = RELATIONS[str(obj.get("relation", "=")).strip()]
    text = f"{lhs} \n {rhs}"
    reader = Reader(Notation(), function_names_of(text), indexed=indexed_names_of(text))
    stated: list[Stated] = []
    try:
        for a in obj.get("assumptions") or []:
            stated.extend(assumption(reader, str(a)))
    except ValueError as exc:
        return ReadStep(None, Verdict(UNKNOWN, "input", f"bad assumption: {exc}"))
    parsed = []
    for side, latex in (("lhs", lhs), ("rhs", rhs)):
        try:
            parsed.append(reader.read(latex))
        except ReadError as exc:
            return ReadStep(None, Verdict(UNPARSED, "reader", f"could not read the {side} {exc.fragment!r}: "
                                                              f"{exc.reason}"))
    nc = NoteContext(reader.notation)
    for st in stated:
        nc.state(Stated(st.name, st.domain, f"--assume {st.reason}"), override=True)
    nc.prepare([p.expr for p in parsed], text)
    a, b = nc.bind(parsed[0].expr), nc.bind(parsed[1].expr)
    return ReadStep(Problem(a, b, relation, nc.ctx), None)


def _checked_line(n: int, line: str) -> tuple[object, dict | None, dict | None]:
    """(id, the line's object, or the error verdict for the line)."""
    try:
        obj = json.loads(line)
    except ValueError as exc:
        return n, None, _error(n, n, f"not a JSON object: {exc}")
    if not isinstance(obj, dict):
        return n, None, _error(n, n, "not a JSON object")
    ident = obj.get("id", n)
    for f in ("lhs", "rhs"):
        if not isinstance(obj.get(f), str) or not obj[f].strip():
            return ident, None, _error(ident, n, f"the field {f!r} (LaTeX text) is missing or empty")
    if str(obj.get("relation", "=")).strip() not in RELATIONS:
        return ident, None, _error(ident, n, f"unknown relation {obj.get('relation')!r} "
                                             f"(one of =, <=, >=, <, >)")
    a = obj.get("assumptions", [])
    if a is not None and not (isinstance(a, list) and all(isinstance(x, str) for x in a)):
        return ident, None, _error(ident, n, "assumptions must be a list of strings such as \"x > 0\"")
    return ident, obj, None


def _error(ident, n: int, message: str, status: str = UNKNOWN, method: str = "input") -> dict:
    return {"id": ident, "line": n, "status": status, "method": method, "message": message}


def _verdict_json(ident, n: int, obj: dict | None, v: Verdict) -> dict:
    out = {"id": ident, "line": n, "status": v.status, "method": v.method, "message": v.message}
    if obj is not None:
        out.update(relation=RELATIONS.get(str(obj.get("relation", "=")).strip(), "="), lhs=obj["lhs"],
                   rhs=obj["rhs"])
    if v.counterexample:
        out["counterexample"] = v.counterexample
    out["time"] = round(getattr(v, "seconds", 0.0) or 0.0, 4)
    return out


def decide_lines(lines: Iterable[str], budget: float, jobs: int) -> Iterator[dict]:
    """One verdict (a JSON-ready dict) per non-blank line, as results arrive."""
    numbered = ((n, ln) for n, ln in enumerate(lines, 1) if ln.strip())
    while True:
        chunk = list(itertools.islice(numbered, CHUNK))
        if not chunk:
            return
        good = []
        for n, line in chunk:
            ident, obj, err = _checked_line(n, line)
            if err is not None:
                yield err
            else:
                good.append((ident, n, obj))
        read = run_stream((((ident, n, obj), (read_step, (obj,))) for ident, n, obj in good),
                          max(PARSE_BUDGET, budget), jobs)
        problems = []
        for (ident, n, obj), r in read:
            if isinstance(r, ReadStep) and r.problem is not None:
                problems.append(((ident, n, obj), r.problem))
            elif isinstance(r, ReadStep):
                yield _verdict_json(ident, n, obj, r.verdict)
            else:  # the reader ran out of time or failed
                v = r if isinstance(r, Verdict) else Verdict(UNKNOWN, "error", "the reader failed")
                yield _verdict_json(ident, n, obj, Verdict(UNPARSED if v.method == "timeout" else UNKNOWN,
                                                           "reader", f"reading failed: {v.message}"))
        for (ident, n, obj), v in decide_stream(problems, budget, jobs):
            yield _verdict_json(ident, n, obj, v)
