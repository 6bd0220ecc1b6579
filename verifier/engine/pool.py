"""The pool of worker processes that live (pebble's ProcessPool), and what runs in a worker.

One pool per process, made when first needed and grown to the largest number of workers asked
for (never while tasks are in flight: the pool in use serves them); workers are forked from the parent (its imports are already made) and each is replaced
after MAX_TASKS tasks (memory of SymPy's caches stays bounded) or when the pool ends it for
running over its wall-clock limit.  The pool is stopped at exit.

A task goes to a worker pickled, or, when the pool is made after it is kept (:func:`keep_all`, a batch
whose problems are all known before the first is sent: `verify all`), as a number: a worker forked
after the parent kept it holds the task already (the fork copied it), so neither side pickles the
expressions, and rebuilding SymPy expressions from a pickle is most of the cost of sending one.  A
worker that does not hold a number it is sent answers :data:`NOT_INHERITED`, and the task is sent
again pickled.

In a worker, :func:`work` runs one task under a CPU-time budget: a profiling timer
(``ITIMER_PROF``, user + system time of the worker) raises :class:`BudgetExceeded` in the task;
:func:`within_share` bounds one phase of a task by a share of that budget.
"""
from __future__ import annotations

import atexit
import gc
import itertools
import multiprocessing as mp
import os
import pickle
import signal
import threading
import time
import traceback
from typing import TYPE_CHECKING, Callable

import mpmath

from verifier.model.results import UNKNOWN, Verdict

if TYPE_CHECKING:  # pebble is imported when a pool is first made (start-up of commands that need none)
    from pebble import ProcessPool

MAX_TASKS = 2000

_LOCK = threading.Lock()
_BUSY = threading.Lock()  # the count of tasks in flight alone (a future's callback takes it, never _LOCK)
_STATE: dict = {"pool": None, "size": 0, "pid": None, "busy": 0}  # busy: tasks not yet done
_NUMBERS = itertools.count(1)  # of kept tasks
_KEPT: dict[int, tuple] = {}  # number -> (fn, args): the tasks a worker forked after keep_all holds
NOT_INHERITED = "verifier: a task this worker does not hold"  # a worker's answer to such a number


def get(jobs: int) -> "ProcessPool":
    """The process's pool, with at least `jobs` workers."""
    from pebble import ProcessPool

    with _LOCK:
        pool = _STATE["pool"]
        grow = _STATE["size"] < jobs and not _STATE["busy"]  # never end tasks in flight to grow the pool
        if pool is not None and (_STATE["pid"] != os.getpid() or not pool.active or grow):
            if _STATE["pid"] == os.getpid():
                pool.stop()
                pool.join(5)
            pool = None
        if pool is None:
            pool = ProcessPool(max_workers=max(1, jobs), max_tasks=MAX_TASKS, context=mp.get_context("fork"),
                               initializer=_worker_start)
            _STATE.update(pool=pool, size=max(1, jobs), pid=os.getpid(), busy=0)
        return pool


def _worker_start() -> None:
    """In a new worker: what it inherited from the parent (SymPy, the catalog, kept tasks) is put out of
    the cyclic collector's reach (``gc.freeze``): those objects live as long as the worker, and the
    collector's passes over them cost time and copy the parent's pages into the worker."""
    gc.freeze()


def keep_all(tasks: list[tuple[Callable, tuple]]) -> list[int | None]:
    """Keep the tasks (fn, args) in this process for the workers forked from now on, when the pool that
    will run them is yet to be made (none, or one of another process): their numbers, to send in their
    place.  Otherwise (a pool whose workers were forked before: they would not hold them) nothing is
    kept and every entry is None: the tasks go pickled.  Inside a worker (a multiprocessing child) no
    pool is made at all (its tasks fork, see budget), so nothing is kept there either.
    :func:`release` lets them go."""
    with _LOCK:
        fresh = _STATE["pool"] is None or _STATE["pid"] != os.getpid()
    if not fresh or mp.parent_process() is not None:
        return [None] * len(tasks)
    numbers = []
    for task in tasks:
        n = next(_NUMBERS)
        _KEPT[n] = task
        numbers.append(n)
    return numbers


def release(numbers: list[int | None]) -> None:
    """Let kept tasks go (their results are in; workers forked later need not hold them)."""
    for n in numbers:
        if n is not None:
            _KEPT.pop(n, None)


def schedule(jobs: int, payload: bytes | int, seconds: float, path: str, timeout: float):
    """Send one task (a pickled (fn, args), or the number of a kept one, see :func:`run_payload`) to
    the pool; its future."""
    future = get(jobs).schedule(run_payload, args=(payload, seconds, path), timeout=timeout)
    with _BUSY:
        _STATE["busy"] += 1
    future.add_done_callback(_one_done)
    return future


def _one_done(_future) -> None:  # in pebble's thread, or in ours when the pool cancels a task
    with _BUSY:
        _STATE["busy"] = max(0, _STATE["busy"] - 1)


def shutdown(wait: bool = True) -> None:
    """Stop the pool's workers (at exit, or to start afresh); without `wait`, do not join them."""
    with _LOCK:
        pool = _STATE["pool"]
        if pool is not None and _STATE["pid"] == os.getpid():
            pool.stop()
            if wait:
                pool.join(5)
        _STATE.update(pool=None, size=0, pid=None, busy=0)


atexit.register(shutdown)


def end_now() -> None:
    """At the very end of a process: the pool stopped and its workers killed, without waiting for them
    or for the pool's threads (pebble's join waits for its threads' next look, up to a tenth of a
    second).  Whatever a worker still held is lost with the process; the command line calls this once
    its output is written."""
    shutdown(wait=False)
    children = mp.active_children()
    for child in children:
        child.kill()
    for child in children:
        child.join(1)  # reaped at once (killed): no zombie while this process lives


def _after_fork_in_child() -> None:
    """A forked child starts with no pool and a fresh lock (the parent's may be held mid-use)."""
    global _LOCK, _BUSY
    _LOCK, _BUSY = threading.Lock(), threading.Lock()
    _STATE.update(pool=None, size=0, pid=None, busy=0)


os.register_at_fork(after_in_child=_after_fork_in_child)


def workers_alive() -> int:
    """How many workers the pool has now (0 without a pool)."""
    pool = _STATE["pool"]
    return _STATE["size"] if pool is not None and pool.active and _STATE["pid"] == os.getpid() else 0


def run_payload(payload: bytes | int, seconds: float, partial_path: str | None):
    """In a worker: the task (fn, args), unpickled or held since the fork (a number: see
    :func:`keep_all`; :data:`NOT_INHERITED` if this worker does not hold it), run under the budget."""
    if isinstance(payload, int):
        task = _KEPT.get(payload)
        if task is None:
            return NOT_INHERITED
        fn, args = task
    else:
        fn, args = pickle.loads(payload)
    return work(fn, args, seconds, partial_path)


class BudgetExceeded(BaseException):
    """Raised inside a worker when its task has used its CPU budget (not an Exception: the
    engine's `except Exception` guards around SymPy calls must not swallow it)."""


class PhaseExceeded(BaseException):
    """Raised inside a task when one phase of it (see :func:`within_share`) has used its share."""


_ARMED: dict = {"on": False, "until": 0.0, "seconds": 0.0, "phase": None}
_TICK = 0.2  # CPU seconds between two looks of the timer once it has fired


def _on_timer(signum, frame) -> None:  # pragma: no cover - runs on a signal in a worker
    if not _ARMED["on"]:
        return
    now = time.process_time()
    if now >= _ARMED["until"]:
        raise BudgetExceeded()
    phase = _ARMED["phase"]
    if phase is not None and not phase[1] and now >= phase[0]:
        phase[1] = True  # raised once: the phase's own handler must not be interrupted again
        raise PhaseExceeded()
    _next_look()  # the kernel's timer fired a little before the clock reached a deadline: look again then


def _next_look() -> None:
    now = time.process_time()
    ends = [_ARMED["until"]] + ([_ARMED["phase"][0]] if _ARMED["phase"] and not _ARMED["phase"][1] else [])
    signal.setitimer(signal.ITIMER_PROF, max(min(ends) - now, 0.001), _TICK)


def _arm(seconds: float) -> None:
    signal.signal(signal.SIGPROF, _on_timer)
    _ARMED.update(on=True, until=time.process_time() + seconds, seconds=seconds, phase=None)
    # fires when `seconds` of CPU time are used, then every _TICK until the task has let go
    _next_look()


def _disarm() -> None:
    _ARMED["on"] = False
    _ARMED["phase"] = None
    signal.setitimer(signal.ITIMER_PROF, 0, 0)


def within_share(share: float, fn: Callable, *args, ran_out=None, rest_at_least: float = 0.0):
    """fn(*args), or `ran_out` once the task has used `share` of its CPU budget (counted from the
    task's start) before fn returns.  A slow phase (a symbolic proof SymPy will not finish) so
    leaves the rest of the budget to the next (the numeric evidence in full).  Outside a worker
    (no budget armed), inside another phase, or where the rest would be shorter than
    `rest_at_least` seconds (too little for the next phase to use), fn simply runs."""
    if not _ARMED["on"] or _ARMED["phase"] is not None or (1 - share) * _ARMED["seconds"] < rest_at_least:
        return fn(*args)
    start = _ARMED["until"] - _ARMED["seconds"]
    phase = _ARMED["phase"] = [start + share * _ARMED["seconds"], False]
    try:
        _next_look()
        result = fn(*args)
        phase[1] = True  # finished: from here on the timer raises nothing for this phase
        return result
    except PhaseExceeded:
        return ran_out
    finally:
        _ARMED["phase"] = None
        if _ARMED["on"]:
            _next_look()


def timeout_verdict(seconds: float, partial: Verdict | None, what: str = "time budget") -> Verdict:
    ev = f" ({partial.message})" if partial is not None and partial.message else ""
    return Verdict(UNKNOWN, "timeout", f"{what} of {seconds:g}s exhausted before a decision{ev}")


def work(fn: Callable, args: tuple, seconds: float, partial_path: str | None = None) -> Verdict:
    """Run fn(*args, report=...) under a CPU budget of `seconds` (in the worker)."""
    last: list[Verdict | None] = [None]

    def report(v: Verdict) -> None:
        last[0] = v
        if partial_path:
            try:
                tmp = partial_path + ".tmp"
                with open(tmp, "wb") as fh:
                    pickle.dump(v, fh)
                os.replace(tmp, partial_path)
            except (OSError, pickle.PicklingError):  # evidence for a message only
                pass

    start = time.monotonic()
    mpmath.mp.dps = 15  # a task ended by its budget inside mpmath must not leave its precision behind
    try:
        try:
            _arm(seconds)
            v = fn(*args, report=report)
        finally:
            _disarm()
    except BudgetExceeded:
        _disarm()
        v = timeout_verdict(seconds, last[0])
    except BaseException as exc:  # noqa: BLE001 - every failure becomes a verdict
        _disarm()
        tb = traceback.format_exc(limit=3)
        v = Verdict(UNKNOWN, "error", f"internal error: {type(exc).__name__}: {exc}\n{tb}")
    if v is None:  # silence is never success: a task that gave no answer says so
        v = Verdict(UNKNOWN, "error", f"internal error: {getattr(fn, '__name__', fn)!s} returned no verdict")
    try:
        v.seconds = time.monotonic() - start
    except AttributeError:  # a result without a time (the reader's)
        pass
    return v


