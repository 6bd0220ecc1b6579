"""Deciding a note's claims in one batch, and what a verdict means for a step that is not an identity
(a row after "setting ... to zero", a condition of an implication, a case stated in the prose, a
reading under which a failure is no error: :mod:`verifier.notes.caveats`)."""
from __future__ import annotations

import time
from typing import Callable

from verifier.engine.decide import decide_problems
from verifier.model.results import NOTED, REFUTED, UNKNOWN
from verifier.notes.report import FileReport
from verifier.notes.statements import EQUATION, noted_message


def decide_all(pending: list, budget: float, deadline: float | None, on_step, jobs: int,
               decide_one: Callable | None = None) -> None:
    """Decide the claims of a note in one batch (the engine's entry for batches); `decide_one`, when given,
    decides them one by one instead (a harness that watches the engine's input)."""
    left = budget
    if deadline is not None:
        left = min(budget, deadline - time.monotonic())
    if left <= 0:
        for sr, *_rest in pending:
            sr.status, sr.method = UNKNOWN, "timeout"
            sr.message = "the total time limit of the run was reached (raise it with --max-total-time)"
            if on_step:
                on_step(sr)
        return

    def done(k: int, v) -> None:
        sr, _problem, conditional, notation, solving = pending[k][:5]
        caveat = pending[k][5] if len(pending[k]) > 5 else None
        sr.status, sr.method, sr.message, sr.seconds = v.status, v.method, v.message, v.seconds
        sr.counterexample = notation.counterexample(v.counterexample)
        if solving is not None and sr.status == REFUTED:
            # not an identity: a row that follows from the equation to solve above ("setting ... gives")
            detail = sr.message.split(": ", 1)[-1] if sr.message.startswith("fails at") else sr.message
            sr.status, sr.kind, sr.method, sr.counterexample = NOTED, EQUATION, EQUATION, None
            sr.message = noted_message(EQUATION, solving) + f"; as an identity it fails ({detail})"
            if on_step:
                on_step(sr)
            return
        if v.method == "timeout" and left < budget:
            sr.message += " (the total time limit of the run was reached; raise it with --max-total-time)"
        if conditional and sr.status == REFUTED:
            # 2x + 3 = 7 \Rightarrow x = 2: an equation to solve, not an identity
            sr.status, sr.method = UNKNOWN, "condition"
            detail = sr.message.split(": ", 1)[-1] if sr.message.startswith("fails at") else sr.message
            if isinstance(conditional, str):
                sr.message = (f"stated for a case in the prose ({conditional!r}), not as an identity (as one it "
                              f"fails: {detail}); the case is not checked")
            else:
                sr.message = ("a condition in a chain of implications (⇒, ⇔), not an identity (as one it fails: "
                              + detail + "); the implication is not checked")
            sr.counterexample = None
        if caveat is not None and sr.status == REFUTED and caveat.applies(v.counterexample):
            # not the author's error under the reading: a substitution, a condition, a constrained entry
            detail = sr.message.split(": ", 1)[-1] if sr.message.startswith("fails at") else sr.message
            sr.status, sr.method, sr.counterexample = UNKNOWN, "reading", None
            sr.message = f"{caveat.reason} (as an identity it fails: {detail})"
        if on_step:
            on_step(sr)

    try:
        if decide_one is not None:
            for k, (_sr, p, *_rest) in enumerate(pending):
                done(k, decide_one(p, left))
        else:
            decide_problems([p for _, p, *_rest in pending], left, jobs, done)
    except Exception as exc:  # noqa: BLE001 - never lose the note's other results
        for sr, *_rest in pending:
            if sr.status == UNKNOWN and not sr.method:
                sr.method = "error"
                sr.message = f"internal error while checking this step: {type(exc).__name__}: {exc}"


class ReadNote:
    """A note read, its claims waiting for the engine: `pending` (decided by
    :func:`verifier.notes.decisions.decide_all`, possibly in one batch with other notes' claims),
    then `finish()` gives the note's report."""

    def __init__(self, report: FileReport, pending: list, finish=None, spy=None) -> None:
        self.report, self.pending, self.spy = report, pending, spy
        self._finish = finish

    def finish(self) -> FileReport:
        return self._finish() if self._finish is not None else self.report
