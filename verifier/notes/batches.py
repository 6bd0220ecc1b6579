"""Checking many notes: each note read in turn (a directory of thousands streams), the expressions of
the next notes read by the workers while one is finished, each note's claims sent to the engine's
workers as soon as it is read (decided while the next notes are read, at most :data:`BATCH` claims
at a time), each note's report finished when its claims are decided, and whole reports taken from and
kept in the verdict store (:mod:`verifier.notes.note_cache`)."""
from __future__ import annotations

import time
from typing import Callable, Iterable, Sequence

from verifier.engine.decide import default_jobs
from verifier.model.limits import DEFAULT_BUDGET
from verifier.notes.check import begin_reading
from verifier.notes.decisions import ReadNote, start_all
from verifier.notes.files import Limits, note_files, read_note
from verifier.notes.note_cache import cached_report, note_key, store_report
from verifier.notes.report import CheckReport, FileReport

BATCH = 256  # claims with the engine at most (the oldest note is finished before more go)
READ_AHEAD = 2  # notes whose expressions are being read while an earlier one is finished


def failed_report(path: str, exc: Exception) -> FileReport:
    """A note whose checking failed inside: one unknown step says so; the other notes go on."""
    fr = FileReport.failed(path, exc)
    fr.error = f"internal error while checking this note: {type(exc).__name__}: {exc}"
    return fr


def check_paths(paths: Iterable[str], *, assumptions: Sequence[str] = (), budget: float = DEFAULT_BUDGET,
                limits: Limits | None = None, on_step=None, jobs: int = 0) -> CheckReport:
    """Check every note under the paths (raises InputError for unusable input).  Each note's claims go to
    the engine's workers (`jobs` at a time, 0 for every core) as soon as it is read, up to :data:`BATCH`
    claims at a time; notes whose report is in the store are not read again."""
    limits = limits or Limits()
    start = time.monotonic()
    deadline = start + limits.max_total_time
    files = note_files(paths)
    for f in files:  # input errors before any work (exit code 2)
        read_note(f, limits.max_file_size)
    jobs = jobs or default_jobs()
    slots: list[FileReport | None] = []
    ahead: list[tuple[int, Callable, str]] = []  # (slot, the rest of its reading, cache key)
    deciding: list[tuple[int, ReadNote, str, Callable]] = []  # (slot, note, key, wait for its verdicts)

    def finish_oldest() -> None:
        slot, note, key, wait = deciding.pop(0)
        try:
            wait()
            fr = note.finish()
        except Exception as exc:  # noqa: BLE001 - one note's failure never loses the other notes
            fr = failed_report(str(files[slot]), exc)
        else:
            store_report(key, fr)
        slots[slot] = fr

    def settle(slot: int, rest: Callable, key: str) -> None:
        try:  # the note's claims go to the engine now, decided while the next notes are read
            note = rest()
            wait = start_all(note.pending, budget, deadline, on_step, jobs, note.spy)
        except Exception as exc:  # noqa: BLE001 - one note's failure never loses the other notes
            slots[slot] = failed_report(str(files[slot]), exc)
            return
        deciding.append((slot, note, key, wait))
        while sum(len(n.pending) for _, n, _, _ in deciding) > BATCH:
            finish_oldest()

    for f in files:
        text = read_note(f, limits.max_file_size)
        key = note_key(text, str(f), assumptions, limits.max_expr_size)
        slots.append(cached_report(key, str(f)))
        if slots[-1] is not None:
            continue
        try:  # the note's expressions go to the workers while the notes before it are finished
            rest = begin_reading(text, str(f), assumptions=assumptions, budget=budget,
                                 max_expr_size=limits.max_expr_size, deadline=deadline, on_step=on_step, jobs=jobs)
        except Exception as exc:  # noqa: BLE001 - one note's failure never loses the other notes
            slots[-1] = failed_report(str(f), exc)
            continue
        ahead.append((len(slots) - 1, rest, key))
        if len(ahead) > READ_AHEAD:
            settle(*ahead.pop(0))
    for item in ahead:
        settle(*item)
    while deciding:
        finish_oldest()
    rep = CheckReport(files=[fr for fr in slots if fr is not None])
    rep.seconds = time.monotonic() - start
    return rep
