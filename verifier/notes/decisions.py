"""Deciding a note's claims in one batch, and what a verdict means for a step that is not an identity
(a row after "setting ... to zero", a condition of an implication, a case stated in the prose, a
reading under which a failure is no error: :mod:`verifier.notes.caveats`)."""
from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass
from typing import Callable

from verifier.engine.constants import APPROX_HINT
from verifier.engine.decide import start_problems
from verifier.engine.problem import Problem
from verifier.model.results import NOTED, REFUTED, UNKNOWN, StepResult
from verifier.notes.report import FileReport
from verifier.notes.scope_readings import FreeReading, combine
from verifier.notes.statements import EQUATION, noted_message


@dataclass
class Claim:
    """A claim of a note waiting for the engine, with what settles its verdict: the case or implication
    it is stated under, the notation to print a counterexample in, the equation it may follow from,
    a reading under which a refutation is no error of the note (notes.caveats), and a name the
    reading left free that the note gives a value (notes.misreadings)."""

    sr: StepResult
    problem: Problem
    conditional: object = False
    notation: object = None
    solving: str | None = None
    caveat: object = None
    misread: str | None = None
    free: FreeReading | None = None  # the reading with an ended definition's names free (notes.scope_readings)
    law: object = None  # counterexample -> the concrete law it is, for the message (notes.latent_laws)
    symmetric: object = None  # the reading with its matrices symmetric (notes.symmetric_readings)


_DECIMAL = re.compile(r"(?<![\d.])\d*\.\d")


def decimal_hint(message: str, lhs: str, rhs: str) -> str:
    """The message without the hint to write \\approx when neither side, as the note writes it, has a decimal
    (3/2 and \\tfrac32 are exact fractions, not rounded decimals)."""
    if APPROX_HINT in (message or "") and not (_DECIMAL.search(lhs or "") or _DECIMAL.search(rhs or "")):
        return message.replace(APPROX_HINT, "")
    return message


def decide_all(pending: list, budget: float, deadline: float | None, on_step, jobs: int,
               decide_one: Callable | None = None) -> None:
    """Decide the claims of a note in one batch (the engine's entry for batches); `decide_one`, when given,
    decides them one by one instead (a harness that watches the engine's input)."""
    start_all(pending, budget, deadline, on_step, jobs, decide_one)()


def start_all(pending: list, budget: float, deadline: float | None, on_step, jobs: int,
              decide_one: Callable | None = None) -> Callable[[], None]:
    """:func:`decide_all` without waiting: the claims go to the engine's workers now, and the function
    returned waits for their verdicts and settles the steps (a harness's `decide_one` decides at once)."""
    left = budget
    if deadline is not None:
        left = min(budget, deadline - time.monotonic())
    if left <= 0:
        for sr in (c.sr for c in pending):
            sr.status, sr.method = UNKNOWN, "timeout"
            sr.message = "the total time limit of the run was reached (raise it with --max-total-time)"
            if on_step:
                on_step(sr)
        return _nothing

    def done(k: int, v) -> None:
        c = pending[k]
        sr, conditional, notation, solving = c.sr, c.conditional, c.notation, c.solving
        sr.status, sr.method, sr.message, sr.seconds = v.status, v.method, v.message, v.seconds
        sr.message = decimal_hint(sr.message, sr.lhs, sr.rhs)
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
        why = c.misread if sr.status == REFUTED else None
        if why:  # the refutation rests on a name the note gives a value the reading did not use
            detail = sr.message.split(": ", 1)[-1] if sr.message.startswith("fails at") else sr.message
            sr.status, sr.method, sr.counterexample = UNKNOWN, "misreading", None
            sr.message = f"{why}; read with it free, the step fails ({detail})"
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
        if c.caveat is not None and sr.status == REFUTED and c.caveat.applies(v.counterexample):
            # not the author's error under the reading: a substitution, a condition, a constrained entry
            detail = sr.message.split(": ", 1)[-1] if sr.message.startswith("fails at") else sr.message
            sr.status, sr.method, sr.counterexample = UNKNOWN, "reading", None
            sr.message = f"{c.caveat.reason} (as an identity it fails: {detail})"
        if c.law is not None and sr.status == REFUTED:
            sr.message += c.law(v.counterexample)
        if on_step:
            on_step(sr)

    # a claim with more readings than one (an ended definition carried on or its names free, notes.scope_readings;
    # a matrix any or symmetric, notes.symmetric_readings) is decided under each; its verdict is theirs
    # combined, given when all have arrived
    extra: list[tuple[int, Problem, Callable]] = []
    for k, c in enumerate(pending):
        if c.free is not None:
            extra.append((k, c.free.problem, lambda carried, free, r=c.free: combine(carried, free, r)))
        if c.symmetric is not None:
            extra.append((k, c.symmetric.problem, c.symmetric.combine))
    problems = [c.problem for c in pending] + [p for _, p, _ in extra]
    owner = {len(pending) + j: k for j, (k, _, _) in enumerate(extra)}
    readings = Counter(k for k, _, _ in extra)
    arrived: dict[int, dict[int, object]] = {}

    def arrive(j: int, v) -> None:
        k = owner.get(j, j)
        if not readings[k]:
            done(k, v)
            return
        got = arrived.setdefault(k, {})
        got[j] = v
        if len(got) == readings[k] + 1:
            del arrived[k]
            verdict = got.pop(k)
            for other in sorted(got):
                verdict = extra[other - len(pending)][2](verdict, got[other])
            done(k, verdict)

    def failed(exc: Exception) -> None:  # never lose the note's other results
        for sr in (c.sr for c in pending):
            if sr.status == UNKNOWN and not sr.method:
                sr.method = "error"
                sr.message = f"internal error while checking this step: {type(exc).__name__}: {exc}"

    try:
        if decide_one is not None:
            for j, problem in enumerate(problems):
                arrive(j, decide_one(problem, left))
            return _nothing
        finish = start_problems(problems, left, jobs)
    except Exception as exc:  # noqa: BLE001
        failed(exc)
        return _nothing

    def wait() -> None:
        try:
            finish(arrive)
        except Exception as exc:  # noqa: BLE001
            failed(exc)

    return wait


def _nothing() -> None:
    """Nothing left to wait for."""


class ReadNote:
    """A note read, its claims waiting for the engine: `pending` (decided by :func:`decide_all`, or sent
    by :func:`start_all` while the next notes are read), then `finish()` gives the note's report."""

    def __init__(self, report: FileReport, pending: list, finish=None, spy=None) -> None:
        self.report, self.pending, self.spy = report, pending, spy
        self._finish = finish

    def finish(self) -> FileReport:
        return self._finish() if self._finish is not None else self.report
