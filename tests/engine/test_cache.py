"""The verdict cache (issue 12): content-addressed, final verdicts only, and a broken store is a
miss, never a wrong verdict nor a crash."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

import sympy as sp

from verifier.engine import cache
from verifier.engine.cache import VerdictCache, problem_key
from verifier.engine.decide import decide_problems, decide_step
from verifier.engine.problem import Problem
from verifier.model.context import Context
from verifier.model.results import CHECKED, PROVED, REFUTED, UNKNOWN, Verdict


def _log_problem(dom: str) -> Problem:
    ctx = Context()
    x = ctx.symbol("x", dom)
    return Problem(sp.log(x**2), 2 * sp.log(x), "=", ctx)


def test_the_key_holds_the_domains_so_a_proof_for_positive_x_never_answers_real_x(tmp_path):
    store = VerdictCache(tmp_path)
    pos, real = _log_problem("positive"), _log_problem("real")
    assert problem_key(pos) != problem_key(real)
    assert decide_problems([pos], 20.0, 1, cache=store)[0].status == PROVED
    v = decide_problems([real], 20.0, 1, cache=store)[0]
    assert v.status != PROVED  # log(x^2) = 2 log x fails for x < 0


def test_a_cached_verdict_is_the_verdict_of_a_fresh_run(tmp_path):
    store = VerdictCache(tmp_path)
    ctx = Context()
    a, b = ctx.symbol("a"), ctx.symbol("b")
    right = Problem((a + b) ** 2, a**2 + 2 * a * b + b**2, "=", ctx)
    wrong = Problem((a + b) ** 2, a**2 + b**2, "=", ctx)
    fresh = decide_problems([right, wrong], 20.0, 2, cache=store)
    again = decide_problems([right, wrong], 20.0, 2, cache=store)
    assert [v.status for v in fresh] == [PROVED, REFUTED]
    assert [(v.status, v.method, v.message, v.counterexample) for v in again] == \
        [(v.status, v.method, v.message, v.counterexample) for v in fresh]
    assert store.info()["entries"] == 2


def test_timeouts_and_internal_errors_are_never_stored(tmp_path):
    store = VerdictCache(tmp_path)
    assert not store.put("k1", Verdict(UNKNOWN, "timeout", "time budget of 1s exhausted"))
    assert not store.put("k2", Verdict(UNKNOWN, "error", "internal error: boom"))
    ctx = Context()
    x, y, z = ctx.symbol("x", "positive"), ctx.symbol("y", "positive"), ctx.symbol("z", "positive")
    # a step that costs seconds (a faster machine once proved (x + y + 1)^12 / (x + 2)^5 within 0.05 s)
    lhs = sp.expand((x + y + z + 1) ** 25) / (x + 2) ** 5
    v = decide_problems([Problem(lhs, sp.factor(lhs), "=", ctx)], 0.05, 1, cache=store)[0]
    assert v.method == "timeout"
    assert store.info()["entries"] == 0


def test_a_verdict_reached_by_a_proof_search_cut_short_is_never_stored(tmp_path):
    store = VerdictCache(tmp_path)  # a larger budget may prove it: the verdict depends on the budget
    assert not store.put("k", Verdict(CHECKED, "numeric", "agrees at 29 points", budget_bound=True))
    assert store.put("k", Verdict(CHECKED, "numeric", "agrees at 29 points"))


def test_a_corrupt_file_is_a_miss_then_a_fresh_store(tmp_path):
    (tmp_path / cache.FILE_NAME).write_bytes(b"this is not a database" * 100)
    store = VerdictCache(tmp_path)
    assert store.get("0" * 64) is None
    assert store.put("0" * 64, Verdict(PROVED, "normal form"))
    assert store.get("0" * 64).status == PROVED
    assert list(tmp_path.glob("*.corrupt-*"))  # the bad file was moved aside, not deleted


def test_a_tampered_row_is_ignored(tmp_path):
    store = VerdictCache(tmp_path)
    store.put("k", Verdict(REFUTED, "numeric", "fails", {"x": "1"}))
    store.close()
    with sqlite3.connect(tmp_path / cache.FILE_NAME) as conn:
        conn.execute("UPDATE verdicts SET verdict = replace(verdict, 'refuted', 'proved')")
    assert VerdictCache(tmp_path).get("k") is None


def test_a_locked_database_is_a_miss_and_a_dropped_write(tmp_path):
    store = VerdictCache(tmp_path, timeout=0.05)
    store.put("k", Verdict(PROVED, "normal form"))
    store.close()
    locker = sqlite3.connect(tmp_path / cache.FILE_NAME, timeout=0.05)
    locker.execute("PRAGMA locking_mode=EXCLUSIVE")
    locker.execute("BEGIN EXCLUSIVE")
    try:
        other = VerdictCache(tmp_path, timeout=0.05)
        assert other.get("k") is None
        assert other.put("k2", Verdict(PROVED, "normal form")) is False
    finally:
        locker.rollback()
        locker.close()
    assert VerdictCache(tmp_path).get("k").status == PROVED


def test_two_processes_writing_at_once(tmp_path):
    script = textwrap.dedent(f"""
        import sys
        from verifier.engine.cache import VerdictCache
        from verifier.model.results import Verdict
        s = VerdictCache({str(tmp_path)!r}, timeout=1.0)
        tag = sys.argv[1]
        for k in range(300):
            s.put(f"{{tag}}{{k}}", Verdict("proved", "m", tag))
            s.get(f"{{'a' if tag == 'b' else 'b'}}{{k}}")
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script, t]) for t in ("a", "b")]
    assert [p.wait(120) for p in procs] == [0, 0]
    store = VerdictCache(tmp_path)
    assert store.info()["entries"] >= 2  # writes may be dropped under contention, never garbled
    for t in ("a", "b"):
        for k in range(300):
            v = store.get(f"{t}{k}")
            assert v is None or (v.status == PROVED and v.message == t)


def test_no_cache_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("VERIFY_CACHE_DIR", str(tmp_path))
    cache.set_enabled(False)
    try:
        ctx = Context()
        x = ctx.symbol("x")
        assert decide_step(Problem(x + 1 - 1, x, "=", ctx)).status == PROVED
    finally:
        cache.set_enabled(True)
    assert not (tmp_path / cache.FILE_NAME).exists()
    assert decide_step(Problem(ctx.symbol("y") * 2, 2 * ctx.symbol("y"), "=", ctx)).status == PROVED
    assert (tmp_path / cache.FILE_NAME).exists()


def test_definitions_built_in_code_have_a_key_and_it_follows_their_body():
    ctx1, ctx2 = Context(), Context()
    f = sp.Function("f")
    x1, x2 = ctx1.symbol("x"), ctx2.symbol("x")
    ctx1.define(f, lambda t: t**2)
    ctx2.define(f, lambda t: t**3)
    k1 = problem_key(Problem(f(x1), x1**2, "=", ctx1))
    k2 = problem_key(Problem(f(x2), x2**2, "=", ctx2))
    assert k1 is not None and k2 is not None and k1 != k2
    assert decide_step(Problem(f(x1), x1**2, "=", ctx1)).status == PROVED
    assert decide_step(Problem(f(x2), x2**2, "=", ctx2)).status == REFUTED


def test_dummies_are_keyed_by_structure_not_by_their_counter():
    def problem(power: int) -> Problem:
        ctx = Context()
        x = ctx.symbol("x")
        f = sp.Function("g")
        t = sp.Dummy("t")  # a fresh dummy each time, as a note's definitions make them
        ctx.define(f, sp.Lambda(t, t**power))
        return Problem(f(x), x**2, "=", ctx)

    assert problem_key(problem(2)) == problem_key(problem(2))
    assert problem_key(problem(2)) != problem_key(problem(3))
    two = sp.Dummy("t"), sp.Dummy("t")
    ctx = Context()
    x = ctx.symbol("x")
    same = Problem(two[0] + two[0], x, "=", ctx)
    distinct = Problem(two[0] + two[1], x, "=", ctx)
    assert problem_key(same) != problem_key(distinct)


def test_a_batch_decides_each_problem_once_and_gives_every_copy_its_verdict(tmp_path, monkeypatch):
    import verifier.engine.decide as decide_module

    calls = []
    real = decide_module.decide

    def spy(problem, report=lambda v: None):
        calls.append(problem)
        return real(problem, report)

    monkeypatch.setenv("VERIFY_INPROCESS", "1")
    monkeypatch.setattr(decide_module, "decide", spy)
    ctx = Context()
    a, b = ctx.symbol("a"), ctx.symbol("b")
    right = Problem((a + b) ** 2, a**2 + 2 * a * b + b**2, "=", ctx)
    wrong = Problem((a + b) ** 2, a**2 + b**2, "=", ctx)
    again = Problem((a + b) ** 2, a**2 + 2 * a * b + b**2, "=", ctx)  # the same step stated twice
    for run in (decide_problems, lambda ps, *rest, **kw: decide_module.start_problems(ps, *rest, **kw)()):
        calls.clear()
        store = VerdictCache(tmp_path / str(len(list(tmp_path.iterdir()))))
        got = run([right, wrong, again, wrong], 20.0, 1, cache=store)
        assert [v.status for v in got] == [PROVED, REFUTED, PROVED, REFUTED]
        assert len(calls) == 2
        assert got[1] is not got[3] and got[1].counterexample == got[3].counterexample
    calls.clear()
    assert [v.status for v in decide_problems([right, again], 20.0, 1, cache=None)] == [PROVED, PROVED]
    assert len(calls) == 2  # with no cache there are no keys: each is decided


# -- the expressions are written node by node: a text per SymPy equality class ---------------------

def _bare(lhs, rhs=sp.Integer(0)) -> str | None:
    return problem_key(Problem(lhs, rhs, "=", Context()))


_x, _y = sp.Symbol("x"), sp.Symbol("y")
_DIFFERENT = [  # pairs SymPy holds different: their keys differ
    (sp.Symbol("x", positive=True) + 1, sp.Symbol("x", real=True) + 1),
    (sp.Function("f", real=True)(_x), sp.Function("f", positive=True)(_x)),
    (sp.Function("f")(_x) + sp.Function("g")(_y), sp.Function("f")(_y) + sp.Function("g")(_x)),
    (sp.IndexedBase("w", real=True)[_x], sp.IndexedBase("w", positive=True)[_x]),
    # a node written by srepr (an Indexed) with an undefined function inside it
    (sp.IndexedBase("w")[sp.Function("f", real=True)(_x)], sp.IndexedBase("w")[sp.Function("f", positive=True)(_x)]),
    (sp.Float("0.1", 15) * _x, sp.Float("0.1", 30) * _x),
    (sp.Rational(1, 3) * _x, sp.Float(1 / 3) * _x),
    (_x - _y, _y - _x),
    (sp.sin(_x), sp.cos(_x)),
    (sp.Sum(_x, (_x, 1, _y)), sp.Product(_x, (_x, 1, _y))),
    (sp.Sum(_x, (_x, 1, _y)), sp.Sum(_x, (_x, 0, _y))),
    (sp.Derivative(sp.Function("f")(_x, _y), _x), sp.Derivative(sp.Function("f")(_x, _y), _y)),
    (sp.MatrixSymbol("A", 2, 3)[0, 1], sp.MatrixSymbol("A", 3, 2)[0, 1]),
    (sp.KroneckerDelta(_x, _y), sp.KroneckerDelta(_x, _y, (0, 3))),
    (sp.Lambda(_x, _x**2)(_y), sp.Lambda(_x, _x**3)(_y)),
]


def test_expressions_sympy_holds_different_have_different_keys():
    for a, b in _DIFFERENT:
        assert a != b
        assert _bare(a) != _bare(b), (a, b)


def test_one_expression_built_two_ways_has_one_key():
    assert _bare(_x + _y) == _bare(_y + _x)
    assert _bare(sp.Mul(2, _x, _y)) == _bare(_y * 2 * _x)
    assert _bare(sp.exp(_x) * sp.exp(_y)) == _bare(sp.exp(_y) * sp.exp(_x))


def test_a_batch_memo_gives_every_problem_the_key_it_has_alone():
    shared = sp.Sum(sp.log(sp.IndexedBase("p", positive=True)[_x]), (_x, 1, _y))
    problems = [Problem(shared + k, shared * k, "=", Context()) for k in range(1, 6)]
    memo: dict = {}
    assert [problem_key(p, memo) for p in problems] == [problem_key(p) for p in problems]
    assert len({problem_key(p) for p in problems}) == len(problems)
