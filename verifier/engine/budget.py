"""Running decisions in worker processes that live, each task under a time budget.

Tasks go to a pool of worker processes (:mod:`verifier.engine.pool`, pebble's ProcessPool)
that is reused across steps.  The budget counts the worker's **CPU time** (a profiling timer
in the worker raises :class:`BudgetExceeded`), so a verdict does not depend on how busy the
machine is; a wall-clock limit of ``WALL_FACTOR`` x the budget (plus ``WALL_SLACK``) is the
backstop for work that never returns to Python (a long call inside C): the pool then ends and
replaces only the worker that ran over.

A task may report partial verdicts (the numeric evidence) before its final one; the worker
keeps the last one for its own timeout message and writes it to a small file the parent reads
when the backstop had to end the worker.

A task that cannot be sent to a worker (a closure, an object pickle refuses) runs in a forked
process of its own, as every task did before the pool existed.
"""
from __future__ import annotations

import itertools
import multiprocessing as mp
import multiprocessing.connection as mpc
import os
import pickle
import shutil
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, wait
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Callable, Iterable, Iterator

from verifier.engine import pool as workers
from verifier.engine.pool import timeout_verdict, work  # noqa: F401 - public here too
from verifier.model.results import UNKNOWN, Verdict

WALL_FACTOR = 3.0  # the wall-clock backstop: budget x this + WALL_SLACK
WALL_SLACK = 5.0
IN_FLIGHT = 4  # tasks queued per worker at a time (a stream of tasks stays in constant memory)

_CTX = mp.get_context("fork")


def _read_partial(path: str | None) -> Verdict | None:
    if not path:
        return None
    try:
        with open(path, "rb") as fh:
            v = pickle.load(fh)
        return v if isinstance(v, Verdict) else None
    except Exception:  # noqa: BLE001 - a missing or half-written file is no evidence
        return None


def wall_limit(seconds: float) -> float:
    return seconds * WALL_FACTOR + WALL_SLACK


def run_with_budget(fn: Callable, args: tuple, seconds: float) -> Verdict:
    """Call fn(*args, report=...) in a worker; running out of the budget gives an `unknown` verdict."""
    return run_many([(fn, args)], seconds, jobs=1)[0]


def run_many(tasks: list[tuple[Callable, tuple]], seconds: float, jobs: int = 1,
             on_done: Callable[[int, Verdict], None] | None = None) -> list[Verdict]:
    """Run tasks in up to `jobs` workers at once, each under its own budget of `seconds`;
    on_done(k, verdict) as each result arrives; the list returned is in the order of tasks."""
    results: list = [None] * len(tasks)

    def done(k: int, v) -> None:
        results[k] = v
        if on_done:
            on_done(k, v)

    for k, v in run_stream(enumerate(tasks), seconds, jobs):
        done(k, v)
    return results


def run_stream(tasks: Iterable[tuple[object, tuple[Callable, tuple]]], seconds: float,
               jobs: int = 1, inherit: bool = False) -> Iterator[tuple[object, Verdict]]:
    """Yield (key, verdict) for (key, (fn, args)) tasks as results arrive, at most
    jobs x IN_FLIGHT tasks held at a time (the iterable is read as workers free up).  With
    `inherit`, the tasks (then read all at once) are kept for workers forked after now
    (:func:`verifier.engine.pool.keep_all`): sent as numbers, not pickled, when the pool is yet to be made."""
    if os.environ.get("VERIFY_INPROCESS") == "1":  # debugging aid: no worker, no budget
        for key, (fn, args) in tasks:
            t0 = time.monotonic()
            v = fn(*args, report=lambda v: None)
            v.seconds = time.monotonic() - t0
            yield key, v
        return
    jobs = max(1, jobs)
    tmp = _scratch()
    numbers: list = []
    if inherit:
        tasks = list(tasks)
        numbers = workers.keep_all([task for _, task in tasks])
    it = itertools.zip_longest(tasks, numbers)
    running: dict = {}  # future or _Forked -> (key, task, partial path)
    counter = 0
    try:
        exhausted = False
        while True:
            while not exhausted and len(running) < jobs * IN_FLIGHT:
                try:
                    (key, (fn, args)), number = next(it)
                except StopIteration:
                    exhausted = True
                    break
                counter += 1
                path = str(tmp / f"{counter}.pkl")
                running[_send(fn, args, seconds, path, jobs, number)] = (key, (fn, args), path)
            if not running:
                return
            for job in _wait_some(list(running), jobs):
                key, (fn, args), path = running.pop(job)
                v = _outcome(job, seconds, path)
                if v == workers.NOT_INHERITED:  # a worker forked before the task was kept: send it pickled
                    running[_send(fn, args, seconds, path, jobs)] = (key, (fn, args), path)
                    continue
                yield key, v
    finally:
        for job in running:
            if isinstance(job, _Forked):
                job.stop()
            else:
                job.cancel()
        workers.release(numbers)
        shutil.rmtree(tmp, ignore_errors=True)


class Started:
    """Tasks sent to the workers at once, without waiting (the expressions of a note being read while
    the one before is finished); :meth:`results` waits for them and gives their verdicts in order.
    They are kept for workers forked after now, as with ``run_stream(..., inherit=True)``."""

    def __init__(self, tasks: list[tuple[Callable, tuple]], seconds: float, jobs: int = 1) -> None:
        self.seconds, self._done, self._tasks, self._jobs_asked = seconds, None, tasks, jobs
        if os.environ.get("VERIFY_INPROCESS") == "1" or not tasks:  # debugging aid: no worker
            self._done = [v for _, v in run_stream(enumerate(tasks), seconds, jobs)]
            return
        self._tmp = _scratch()
        self._numbers = workers.keep_all(tasks)
        paths = [str(self._tmp / f"{k}.pkl") for k in range(len(tasks))]
        self._jobs = [(_send(fn, args, seconds, path, jobs, n), path)
                      for (fn, args), path, n in zip(tasks, paths, self._numbers)]

    def results(self) -> list[Verdict]:
        if self._done is None:
            try:
                self._done = [self._result(k, job, path) for k, (job, path) in enumerate(self._jobs)]
            finally:
                workers.release(self._numbers)
                shutil.rmtree(self._tmp, ignore_errors=True)
        return self._done

    def _result(self, k: int, job, path: str) -> Verdict:
        v = _outcome(job, self.seconds, path)
        if v == workers.NOT_INHERITED:  # a worker forked before the task was kept: send it pickled
            fn, args = self._tasks[k]
            v = _outcome(_send(fn, args, self.seconds, path, self._jobs_asked), self.seconds, path)
        return v


def _scratch() -> Path:
    """A directory for the tasks' partial verdicts (in memory where /dev/shm is writable)."""
    return Path(tempfile.mkdtemp(prefix="verify-", dir="/dev/shm" if os.access("/dev/shm", os.W_OK) else None))


def _send(fn: Callable, args: tuple, seconds: float, path: str, jobs: int, number: int | None = None):
    """One task to the pool (its future): by its number when it is kept (see run_stream), else pickled;
    or to a forked process of its own when it cannot be pickled.
    Inside another pool's worker (a multiprocessing child) no pool of our own is made: its locks and
    threads may have been copied mid-use by the fork; a task forks instead."""
    if number is not None:
        return workers.schedule(jobs, number, seconds, path, wall_limit(seconds))
    payload = _payload(fn, args) if mp.parent_process() is None else None
    if payload is None:
        return _Forked(fn, args, seconds, path)
    return workers.schedule(jobs, payload, seconds, path, wall_limit(seconds))


def _payload(fn: Callable, args: tuple) -> bytes | None:
    """(fn, args) as bytes for a worker: pickle, or cloudpickle for what pickle refuses (functions
    built in code: a definition ``H = lambda P, Q: ...``, a closure); None if neither can."""
    try:
        return pickle.dumps((fn, args), pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - try by value
        pass
    try:
        import cloudpickle

        return cloudpickle.dumps((fn, args), pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - not sendable: a forked process of its own
        return None


def _wait_some(jobs: list, slots: int) -> list:
    forked = [j for j in jobs if isinstance(j, _Forked)]
    futures = [j for j in jobs if not isinstance(j, _Forked)]
    if forked:  # rare: poll both kinds
        while True:
            ready = [j for j in forked if j.ready()]
            ready += [f for f in futures if f.done()]
            if ready:
                return ready
            mpc.wait([j.conn for j in forked], 0.05)
    done, _ = wait(futures, return_when=FIRST_COMPLETED)
    return list(done)


def _outcome(job, seconds: float, path: str) -> Verdict:
    try:
        v = job.result()
    except FutureTimeout:
        v = timeout_verdict(seconds, _read_partial(path))
        v.seconds = wall_limit(seconds)
        return v
    except Exception as exc:  # noqa: BLE001 - a worker that died, a result that would not pickle
        return Verdict(UNKNOWN, "error", f"worker failed: {type(exc).__name__}: {exc}")
    if v is None:  # never silence: a worker that answered nothing is an internal error of this step
        return Verdict(UNKNOWN, "error", "internal error: the worker returned no verdict")
    return v


class _Forked:
    """One task in a forked process of its own (for tasks that cannot be pickled)."""

    def __init__(self, fn: Callable, args: tuple, seconds: float, path: str) -> None:
        recv, send = _CTX.Pipe(duplex=False)
        self.conn, self.seconds, self.path = recv, seconds, path
        self.proc = _CTX.Process(target=_forked_child, args=(send, fn, args, seconds, path), daemon=True)
        self.start = time.monotonic()
        self.proc.start()
        send.close()
        self._result: Verdict | None = None

    def ready(self) -> bool:
        if self._result is not None:
            return True
        if self.conn.poll():
            try:
                self._result = self.conn.recv()
            except EOFError:
                self._result = Verdict(UNKNOWN, "error", f"worker died (exit code {self.proc.exitcode})")
            self.stop()
            return True
        if time.monotonic() - self.start >= wall_limit(self.seconds):
            self._result = timeout_verdict(self.seconds, _read_partial(self.path))
            self._result.seconds = time.monotonic() - self.start
            self.stop()
            return True
        return False

    def result(self) -> Verdict:
        while not self.ready():
            mpc.wait([self.conn], 0.05)
        return self._result  # type: ignore[return-value]

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


def _forked_child(conn, fn: Callable, args: tuple, seconds: float, path: str) -> None:
    try:
        conn.send(work(fn, args, seconds, path))
    except BaseException as exc:  # noqa: BLE001 - a result that would not pickle
        conn.send(Verdict(UNKNOWN, "error", f"internal error: {type(exc).__name__}: {exc}"))
    finally:
        conn.close()
