"""Claims of notes waiting for the engine, decided in batches across notes, and whole notes'
reports in the verdict cache (used by :func:`verifier.notes.check.check_paths`).

A claim read against its note's definitions becomes a :class:`PendingStep`: its result row and
its problem, with a snapshot of the context at the claim's place (a later definition of the note
does not reach back).  :func:`decide_pending` sends a batch to the engine's workers at once and
settles each step as its verdict arrives.  A note whose report holds no timeout and no internal
error is stored whole, keyed by its text, its options and the code that reads and decides it.
"""
from __future__ import annotations

import dataclasses
import hashlib
import pickle
import time
from dataclasses import dataclass
from typing import Sequence

from verifier.engine.cache import code_version
from verifier.engine.decide import decide_problems, default_jobs
from verifier.engine.problem import Problem
from verifier.model.results import REFUTED, UNKNOWN, StepResult, Verdict
from verifier.notes.report import FileReport

def finish_step(sr: StepResult, conditional: bool, on_step) -> None:
    """The last word on a decided step: a refuted condition of an implication is no refutation."""
    if conditional and sr.status == REFUTED:
        # 2x + 3 = 7 \Rightarrow x = 2: an equation to solve, not an identity
        sr.status, sr.method = UNKNOWN, "condition"
        detail = sr.message.split(": ", 1)[-1] if sr.message.startswith("fails at") else sr.message
        sr.message = ("a condition in a chain of implications (⇒, ⇔), not an identity (as one it fails: "
                      + detail + "); the implication is not checked")
        sr.counterexample = None
    if on_step:
        on_step(sr)


@dataclass
class PendingStep:
    """A claim read and ready for the engine: its result row, its problem, and what settles it."""

    sr: StepResult
    problem: Problem
    notation: object
    conditional: bool
    on_step: object

    def settle(self, v) -> None:
        apply_verdict(self.sr, v, self.notation)
        finish_step(self.sr, self.conditional, self.on_step)


def apply_verdict(sr: StepResult, v, notation) -> None:
    sr.status, sr.method, sr.message, sr.seconds = v.status, v.method, v.message, v.seconds
    sr.counterexample = notation.counterexample(v.counterexample)


def snapshot(ctx):
    """A copy of the context as it is now (later definitions of the note do not reach back)."""
    return dataclasses.replace(ctx, **{f.name: dict(getattr(ctx, f.name)) for f in dataclasses.fields(ctx)
                                       if isinstance(getattr(ctx, f.name), dict)})


BATCH = 256  # claims waiting for the engine at most


def decide_pending(pending: list, budget: float, jobs: int = 0, deadline: float | None = None) -> None:
    """Decide the waiting claims in one batch and settle each as its verdict arrives; empties pending."""
    if not pending:
        return
    left = budget if deadline is None else min(budget, deadline - time.monotonic())
    if left <= 0:
        for p in pending:
            p.settle(Verdict(UNKNOWN, "timeout", "the total time limit of the run was reached "
                                                 "(raise it with --max-total-time)"))
    else:
        steps = list(pending)
        decide_problems([p.problem for p in steps], left, jobs or default_jobs(),
                        lambda k, v: steps[k].settle(v))
    pending.clear()



def note_key(text: str, path: str, assumptions: Sequence[str], max_expr_size: int) -> str:
    """The cache key of a note's whole report: its text, how it is read, and the code that reads it."""
    h = hashlib.sha256(code_version(("engine", "model", "notes")).encode())
    for part in (text, str(path).lower().endswith(".tex"), list(assumptions), max_expr_size):
        h.update(repr(part).encode("utf-8", "replace") + b"\0")
    return "note:" + h.hexdigest()


def cached_report(store, key: str | None, path: str) -> FileReport | None:
    raw = store.get_blob(key) if store is not None else None
    if raw is None:
        return None
    try:
        fr = pickle.loads(raw)
    except Exception:  # noqa: BLE001 - an unreadable entry is a miss
        return None
    if not isinstance(fr, FileReport):
        return None
    fr.path = path
    return fr


def report_is_final(fr: FileReport) -> bool:
    """Only a report without a timeout or an internal error is stored."""
    for b in fr.blocks:
        if any(sr.method in ("timeout", "error") for sr in b.steps):
            return False
        if any("timed out" in str(u.get("message", "")) for u in b.unread):
            return False
    return True


def store_reports(store, waiting: list) -> None:
    for fr, key in waiting:
        if store is not None and key is not None and report_is_final(fr):
            try:
                store.put_blob(key, pickle.dumps(fr, pickle.HIGHEST_PROTOCOL))
            except Exception:  # noqa: BLE001 - a report that does not pickle is not stored
                pass
    waiting.clear()


