"""Running a decision under a wall-clock budget, without SIGALRM.

The work runs in a forked worker process.  It may report partial verdicts (the
numeric evidence) before its final one; when the budget runs out the worker is
killed and joined, so no stray process is left behind.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import time
import traceback
from typing import Callable

from .results import UNKNOWN, Verdict

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
    if os.environ.get("VERIFY_INPROCESS") == "1":  # debugging aid: no worker, no budget
        return fn(*args, report=lambda v: None)
    start = time.monotonic()
    recv, send = _CTX.Pipe(duplex=False)
    proc = _CTX.Process(target=_child, args=(send, fn, args), daemon=True)
    proc.start()
    send.close()
    partial: Verdict | None = None
    final: Verdict | None = None
    try:
        while final is None:
            left = seconds - (time.monotonic() - start)
            if left <= 0 or not recv.poll(left):
                break
            try:
                kind, v = recv.recv()
            except EOFError:
                final = Verdict(UNKNOWN, "error", f"worker died (exit code {proc.exitcode})")
                break
            if kind == "final":
                final = v
            else:
                partial = v
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        recv.close()
    elapsed = time.monotonic() - start
    if final is None:
        evidence = f" ({partial.message})" if partial and partial.message else ""
        final = Verdict(UNKNOWN, "timeout", f"time budget of {seconds:g}s exhausted before a decision{evidence}")
    final.seconds = elapsed
    return final
