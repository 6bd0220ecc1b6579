"""Tasks the workers inherit (issue 12): a batch known before the pool is made is kept in the parent
and sent as numbers, since the workers forked after hold it already; a worker that does not hold a
number gets the task pickled, and the verdicts never depend on the route."""
from __future__ import annotations

import os

import sympy as sp

from verifier.engine import pool
from verifier.engine.budget import Started, run_stream
from verifier.engine.decide import decide_problems
from verifier.engine.problem import Problem
from verifier.model.context import Context
from verifier.model.results import PROVED, REFUTED, UNKNOWN, Verdict


def route(marker: list, report=None) -> Verdict:
    """Which way the task came: its argument is the very object kept in the parent, or a copy."""
    held = any(marker is task[1][0] for task in pool._KEPT.values())
    return Verdict(PROVED, "route", "held" if held else "unpickled", {"pid": str(os.getpid())})


def tasks(n: int) -> list:
    return [(k, (route, ([k],))) for k in range(n)]


def no_pool() -> None:
    pool.shutdown()
    assert pool.workers_alive() == 0


def warm_pool(jobs: int) -> None:
    list(run_stream(tasks(2 * jobs), 5.0, jobs))  # the pool made and its workers forked
    assert pool.workers_alive() >= jobs


def test_a_batch_sent_before_the_pool_is_made_is_held_by_the_workers_not_pickled():
    no_pool()
    out = dict(run_stream(tasks(10), 5.0, 2, inherit=True))
    assert sorted(out) == list(range(10))
    assert {v.message for v in out.values()} == {"held"}
    assert str(os.getpid()) not in {v.counterexample["pid"] for v in out.values()}  # in workers
    assert pool._KEPT == {}  # let go once the results are in


def test_with_a_pool_already_forked_the_tasks_go_pickled():
    warm_pool(2)
    assert pool.keep_all([(route, ([1],))]) == [None]
    out = dict(run_stream(tasks(6), 5.0, 2, inherit=True))
    assert {v.message for v in out.values()} == {"unpickled"}
    assert pool._KEPT == {}


def test_a_worker_that_does_not_hold_its_number_answers_so():
    assert pool.run_payload(10 ** 12, 5.0, None) == pool.NOT_INHERITED


def force_keep(monkeypatch) -> None:
    """Keep every batch, even for workers forked before it (which do not hold it)."""
    def keep(batch):
        numbers = list(range(10 ** 9, 10 ** 9 + len(batch)))
        pool._KEPT.update(zip(numbers, batch))
        return numbers
    monkeypatch.setattr(pool, "keep_all", keep)


def test_a_task_its_worker_does_not_hold_is_sent_again_pickled(monkeypatch):
    warm_pool(2)
    force_keep(monkeypatch)
    out = dict(run_stream(tasks(6), 5.0, 2, inherit=True))
    assert sorted(out) == list(range(6))
    assert {v.message for v in out.values()} == {"unpickled"}
    started = Started([(route, ([k],)) for k in range(4)], 5.0, 2)
    assert [v.message for v in started.results()] == ["unpickled"] * 4
    assert pool._KEPT == {}


def test_started_tasks_before_the_pool_is_made_are_held():
    no_pool()
    started = Started([(route, ([k],)) for k in range(5)], 5.0, 2)
    assert [v.message for v in started.results()] == ["held"] * 5
    assert pool._KEPT == {}


def test_a_closure_is_held_by_the_workers_and_still_runs_when_it_must_be_resent(monkeypatch):
    seen = [3]

    def local(report=None):  # not picklable by reference
        return Verdict(PROVED, "local", str(seen[0] + 1))

    no_pool()
    assert [v.message for _, v in run_stream([(0, (local, ()))], 5.0, 1, inherit=True)] == ["4"]
    warm_pool(1)
    force_keep(monkeypatch)
    assert [v.message for _, v in run_stream([(0, (local, ()))], 5.0, 1, inherit=True)] == ["4"]


def problems() -> list[Problem]:
    ctx = Context()
    x, y = ctx.symbol("x"), ctx.symbol("y")
    return [Problem((x + y) ** 2, x ** 2 + 2 * x * y + y ** 2, "=", ctx),
            Problem((x + y) ** 2, x ** 2 + y ** 2, "=", ctx),  # wrong: the cross term is missing
            Problem(sp.exp(x) * sp.exp(y), sp.exp(x + y), "=", ctx)]


def test_held_and_pickled_problems_get_the_same_verdicts_and_a_counterexample_that_holds():
    no_pool()
    held = decide_problems(problems(), 10.0, 2, cache=None)
    warm_pool(2)
    pickled = decide_problems(problems(), 10.0, 2, cache=None)
    assert [v.status for v in held] == [v.status for v in pickled] == [PROVED, REFUTED, PROVED]
    at = {k: float(sp.sympify(v)) for k, v in held[1].counterexample.items()}
    assert abs((at["x"] + at["y"]) ** 2 - (at["x"] ** 2 + at["y"] ** 2)) > 1e-9  # 2xy is not 0 there
    assert all(v.status != UNKNOWN for v in held)


def frozen(report=None) -> Verdict:
    import gc
    return Verdict(PROVED, "frozen", str(gc.get_freeze_count()))


def test_a_worker_puts_what_it_inherited_out_of_the_collectors_reach():
    import gc
    no_pool()
    (v,) = [v for _, v in run_stream([(0, (frozen, ()))], 5.0, 1)]
    assert int(v.message) > 1000  # SymPy's objects and the parent's, at least
    assert gc.get_freeze_count() == 0  # the parent itself is left as it was


def keeps_inside(report=None) -> Verdict:
    numbers = pool.keep_all([(route, ([1],))])
    inner = [v.message for _, v in run_stream([(0, (route, ([2],)))], 5.0, 1, inherit=True)]
    return Verdict(PROVED, "inside", f"{numbers} {inner}")


def test_inside_a_worker_nothing_is_kept_and_a_task_still_runs():
    no_pool()
    (v,) = [v for _, v in run_stream([(0, (keeps_inside, ()))], 10.0, 1)]
    assert v.message == "[None] ['unpickled']", v  # the inner task ran in a fork of its own
