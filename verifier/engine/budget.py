"""Running a decision under a wall-clock budget, without SIGALRM.

The work runs in a forked worker process.  It may report partial verdicts (the
numeric evidence) before its final one; when the budget runs out the worker is
killed and joined, so no stray process is left behind.
"""
from __future__ import annotations

import multiprocessing as mp
import multiprocessing.connection as mpc
import os
import time
import traceback
from typing import Callable

from verifier.model.results import UNKNOWN, Verdict

_CTX = mp.get_context("fork")


def _child(conn, fn: Callable, args: tuple) -> None:
    def report(v: Verdict) -> None:
        conn.send(("partial", v))

    try:
        v = fn(*args, report=report)
        conn.send(("final", v))
    except BaseException as exc:  # noqa: BLE001 - every failure becomes a verdict
        tb = traceback.format_exc(limit=3)
        conn.send(("final", Verdict(UNKNOWN, "error", f"internal error: {type(exc).__name__}: {exc}"
                                    f"\n{tb}")))
    finally:
        conn.close()


def run_with_budget(fn: Callable, args: tuple, seconds: float) -> Verdict:
    """Call fn(*args, report=...) in a worker; a timeout gives an `unknown` verdict."""
    return run_many([(fn, args)], seconds, jobs=1)[0]


class _Job:
    def __init__(self, index: int, fn: Callable, args: tuple) -> None:
        self.index = index
        recv, send = _CTX.Pipe(duplex=False)
        self.conn = recv
        self.proc = _CTX.Process(target=_child, args=(send, fn, args), daemon=True)
        self.start = time.monotonic()
        self.proc.start()
        send.close()
        self.partial: Verdict | None = None

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


def run_many(tasks: list[tuple[Callable, tuple]], seconds: float, jobs: int = 1,
             on_done: Callable[[int, Verdict], None] | None = None) -> list[Verdict]:
    """Run tasks in up to `jobs` workers at once, each under its own budget of `seconds`."""
    if os.environ.get("VERIFY_INPROCESS") == "1":  # debugging aid: no worker, no budget
        out = []
        for k, (fn, args) in enumerate(tasks):
            t0 = time.monotonic()
            v = fn(*args, report=lambda v: None)
            v.seconds = time.monotonic() - t0
            out.append(v)
            if on_done:
                on_done(k, v)
        return out
    results: list[Verdict | None] = [None] * len(tasks)
    pending = list(enumerate(tasks))
    running: list[_Job] = []

    def finish(job: _Job, verdict: Verdict) -> None:
        job.stop()
        verdict.seconds = time.monotonic() - job.start
        results[job.index] = verdict
        running.remove(job)
        if on_done:
            on_done(job.index, verdict)

    try:
        while pending or running:
            while pending and len(running) < max(1, jobs):
                k, (fn, args) = pending.pop(0)
                running.append(_Job(k, fn, args))
            now = time.monotonic()
            timeout = max(0.0, min(j.start + seconds - now for j in running))
            ready = mpc.wait([j.conn for j in running], timeout)
            for job in list(running):
                if job.conn in ready:
                    try:
                        kind, v = job.conn.recv()
                    except EOFError:
                        finish(job, Verdict(UNKNOWN, "error", f"worker died (exit code {job.proc.exitcode})"))
                        continue
                    if kind == "final":
                        finish(job, v)
                    else:
                        job.partial = v
                elif time.monotonic() - job.start >= seconds:
                    ev = f" ({job.partial.message})" if job.partial and job.partial.message else ""
                    finish(job, Verdict(UNKNOWN, "timeout",
                                        f"time budget of {seconds:g}s exhausted before a decision{ev}"))
    finally:
        for job in list(running):
            job.stop()
    return [r for r in results if r is not None]
