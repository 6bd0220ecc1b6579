"""Workers that live (issue 12): a pool reused across tasks, a CPU-time budget, and a wall-clock
backstop that ends and replaces only the worker that ran over."""
from __future__ import annotations

import os
import time

import sympy as sp

from verifier.engine import pool
from verifier.engine.budget import run_many
from verifier.engine.decide import decide_problems
from verifier.engine.problem import Problem
from verifier.model.context import Context
from verifier.model.results import CHECKED, PROVED, REFUTED, UNKNOWN, Verdict


def pid_of(report=None) -> Verdict:
    return Verdict(PROVED, "pid", str(os.getpid()))


def sleeps(seconds: float, report=None) -> Verdict:
    time.sleep(seconds)  # wall time, no CPU time
    return Verdict(PROVED, "slept")


def spins(report=None) -> Verdict:
    report(Verdict(CHECKED, "numeric", "agrees at 9 points"))
    while True:
        pass


def hangs(report=None) -> Verdict:
    report(Verdict(CHECKED, "numeric", "agrees at 5 points"))
    time.sleep(600)
    return Verdict(PROVED, "never")


def test_workers_are_reused_across_tasks():
    out = run_many([(pid_of, ())] * 12, 5.0, jobs=2)
    assert all(v.status == PROVED for v in out)
    assert len({v.message for v in out}) <= 2  # two workers did all twelve tasks
    assert str(os.getpid()) not in {v.message for v in out}


def test_the_budget_counts_cpu_time_not_waiting():
    v = run_many([(sleeps, (1.0,))], 0.5, jobs=1)[0]
    assert v.status == PROVED, v  # 1 s asleep uses no CPU: within a CPU budget of 0.5 s


def test_a_task_over_its_cpu_budget_is_unknown_with_its_partial_evidence_and_the_worker_lives():
    before = pool.workers_alive()
    start = time.monotonic()
    v = run_many([(spins, ())], 0.3, jobs=1)[0]
    assert v.status == UNKNOWN and v.method == "timeout", v
    assert "0.3s" in v.message and "agrees at 9 points" in v.message
    assert time.monotonic() - start < 10
    assert run_many([(pid_of, ())], 5.0, jobs=1)[0].status == PROVED
    assert pool.workers_alive() >= before


def test_the_backstop_ends_only_the_worker_that_ran_over():
    start = time.monotonic()
    out = run_many([(hangs, ()), (pid_of, ()), (pid_of, ())], 0.2, jobs=2)
    assert time.monotonic() - start < 30
    assert out[0].status == UNKNOWN and out[0].method == "timeout"
    assert "agrees at 5 points" in out[0].message  # the evidence written before the worker was ended
    assert out[1].status == PROVED and out[2].status == PROVED
    assert run_many([(pid_of, ())], 5.0, jobs=1)[0].status == PROVED  # a replacement worker


def test_an_unpicklable_task_still_runs():
    seen = []

    def local(report=None):  # a closure: pickled by value (cloudpickle) or run in a fork
        return Verdict(PROVED, "local", str(len(seen)))

    assert run_many([(local, ())], 5.0)[0].status == PROVED


def test_batch_verdicts_are_in_order_and_right_or_wrong_as_written():
    ctx = Context()
    x, y = ctx.symbol("x"), ctx.symbol("y", "positive")
    problems = [Problem(sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1), "=", ctx),
                Problem((x + 1) ** 2, x**2 + 1, "=", ctx),
                Problem(sp.log(y**2), 2 * sp.log(y), "=", ctx),
                Problem(x**2 + 1, sp.Integer(0), ">", ctx),
                Problem(x**2, sp.Integer(1), ">=", ctx)]
    got = []
    out = decide_problems(problems, 20.0, 2, lambda k, v: got.append(k), cache=None)
    assert [v.status for v in out] == [PROVED, REFUTED, PROVED, PROVED, REFUTED]
    assert sorted(got) == list(range(5))


def answers_nothing(report=None):
    return None


def test_a_task_that_answers_nothing_is_an_internal_error_never_silence():
    (v,) = run_many([(answers_nothing, ())], 5.0, jobs=1)
    assert v.status == UNKNOWN and v.method == "error" and "no verdict" in v.message


def touches(path: str, report=None) -> Verdict:
    with open(path, "w") as fh:
        fh.write("ran")
    return Verdict(PROVED, "touched", path)


def raises(report=None) -> Verdict:
    raise ValueError("a bug in one task")


def test_started_tasks_run_before_anyone_waits_and_keep_their_order(tmp_path):
    from verifier.engine.budget import Started

    paths = [str(tmp_path / f"t{k}") for k in range(4)]
    started = Started([(touches, (p,)) for p in paths], 5.0, jobs=2)
    deadline = time.monotonic() + 30
    while not all(os.path.exists(p) for p in paths) and time.monotonic() < deadline:
        time.sleep(0.05)  # nobody has asked for the results yet
    assert all(os.path.exists(p) for p in paths)
    assert [v.message for v in started.results()] == paths
    assert started.results() is started.results()  # asked again: the same verdicts, nothing re-run


def test_a_started_task_that_fails_or_runs_over_stays_local():
    from verifier.engine.budget import Started

    out = Started([(pid_of, ()), (raises, ()), (spins, ()), (pid_of, ())], 0.5, jobs=2).results()
    assert [v.status for v in out] == [PROVED, UNKNOWN, UNKNOWN, PROVED]
    assert "a bug in one task" in out[1].message
    assert "agrees at 9 points" in out[2].message or "time" in out[2].message


def test_asking_for_more_workers_while_tasks_are_in_flight_ends_none_of_them():
    from verifier.engine.budget import Started

    pool.shutdown()
    started = Started([(sleeps, (0.5,)), (sleeps, (0.5,))], 5.0, jobs=1)
    more = run_many([(pid_of, ())] * 2, 5.0, jobs=2)  # would grow the pool: not while the first two run
    assert [v.status for v in more] == [PROVED, PROVED]
    assert [v.status for v in started.results()] == [PROVED, PROVED]
    assert [v.status for v in run_many([(pid_of, ())] * 2, 5.0, jobs=2)] == [PROVED, PROVED]


def _spin_forever():
    while True:
        pass


def _after_a_phase_that_never_ends(report=None) -> Verdict:
    got = pool.within_share(0.3, _spin_forever, ran_out="ran out")
    return Verdict(PROVED, "phase", f"{got}; then {time.process_time():.3f}")


def _after_a_phase_that_ends(report=None) -> Verdict:
    return Verdict(PROVED, "phase", str(pool.within_share(0.3, sum, [1, 2, 3], ran_out="ran out")))


def _two_phases_each_over(report=None) -> Verdict:
    first = pool.within_share(0.2, _spin_forever, ran_out="first ran out")
    second = pool.within_share(0.4, _spin_forever, ran_out="second ran out")
    _spin_forever()  # and then the task itself runs over its budget
    return Verdict(PROVED, "never", f"{first} {second}")


def test_a_phase_over_its_share_gives_way_and_the_task_goes_on_with_the_rest_of_its_budget():
    v = run_many([(_after_a_phase_that_never_ends, ())], 2.0, jobs=1)[0]
    assert v.status == PROVED and v.message.startswith("ran out; then"), v
    assert run_many([(_after_a_phase_that_ends, ())], 2.0, jobs=1)[0].message == "6"


def test_after_its_phases_a_task_still_ends_at_its_budget_with_a_timeout():
    v = run_many([(_two_phases_each_over, ())], 1.0, jobs=1)[0]
    assert v.status == UNKNOWN and v.method == "timeout", v


def _a_phase_in_a_small_budget(report=None) -> Verdict:
    got = pool.within_share(0.5, _spins_for, 0.4, ran_out="ran out", rest_at_least=5.0)
    return Verdict(PROVED, "phase", str(got))


def _spins_for(seconds: float) -> str:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return "finished"


def test_a_budget_too_small_to_leave_the_rest_its_minimum_is_not_split():
    # 0.4 s of work in a 0.6 s budget: split at 50% it would give way at 0.3 s, but the rest (0.3 s)
    # is below the 5 s the caller asks for, so the phase runs whole
    assert run_many([(_a_phase_in_a_small_budget, ())], 0.6, jobs=1)[0].message == "finished"


def test_outside_a_worker_a_phase_simply_runs():
    assert pool.within_share(0.0, sum, [4, 5], ran_out="ran out") == 9
