"""Benchmarks of issue 12, each printed as a ratio against `python -c "import sympy"` timed in this run.

Run from the repository root:  python bench/fast.py [--only NAME ...] [--steps N] [--repeat R]

Figures (names for --only):
  all      `verify all` cold (empty verdict cache) and warm (the same cache again); each the median of
           R runs (default 3), the fastest and slowest beside it: one run moves by 5 to 10 % here
  chain    a chain of 3,001 trivial steps (x = x + j k - j k), cache off: the pool's throughput
  check    `verify check` of the five seed posts (../shared/seeds or /work/shared/seeds) cold and warm,
           as for `all`
  naive    the engine against naive `simplify(lhs - rhs) == 0`, 5 s per step, on the catalog's `=` steps
  steps    `verify steps` on N generated steps (default 10,000): steps per second and peak memory
  busy     `verify all --no-cache` while two `python -c "while True: pass"` run: verdicts per status
No test asserts a time: these are for people (and the issue's closing note).  The project's modules
are compiled to bytecode first, as an installed copy is (see installed_bytecode).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = next((p for p in (ROOT.parent / "shared" / "seeds", Path("/work/shared/seeds")) if p.is_dir()), None)


def run(cmd: list[str], env: dict | None = None, stdin=None) -> tuple[float, int, bytes]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, stdin=stdin, cwd=ROOT)
    return time.perf_counter() - start, proc.returncode, proc.stdout


def verify_cmd() -> list[str]:
    return [sys.executable, "-m", "verifier"]


def env_with(cache: str | None) -> dict:
    env = dict(os.environ)
    env.pop("VERIFY_INPROCESS", None)
    if cache:
        env["VERIFY_CACHE_DIR"] = cache
    return env


def installed_bytecode() -> None:
    """Compile the project's modules to bytecode, as `pip install .` does at install time (SymPy's,
    the ratios' unit, were compiled when it was installed).  A checkout installed in editable mode
    and run with PYTHONDONTWRITEBYTECODE set would otherwise compile every module of the project
    again in every timed process (0.3 to 0.4 s of each command's start-up here)."""
    import compileall

    for package in ("verifier", "derivations"):
        compileall.compile_dir(str(ROOT / package), quiet=1)


def sympy_time(repeat: int = 3) -> float:
    return min(run([sys.executable, "-c", "import sympy"])[0] for _ in range(repeat))


def line(name: str, seconds: float, base: float, extra: str = "") -> None:
    print(f"{name:<38} {seconds:8.2f} s  {seconds / base:6.1f}x import sympy  {extra}", flush=True)


def cold_and_warm(name: str, args: list[str], base: float, repeat: int) -> None:
    """The command cold (a fresh, empty verdict cache) and warm (the same cache again), `repeat` times
    each: the median is the figure, the fastest and slowest runs are shown beside it."""
    times: dict = {"cold": [], "warm": []}
    summary, rc = {}, None
    for _ in range(repeat):
        cache = tempfile.mkdtemp(prefix="bench-cache-")
        try:
            for label in ("cold", "warm"):
                t, rc, out = run(verify_cmd() + args + ["--format", "json"], env_with(cache))
                times[label].append(t)
                summary = json.loads(out or b"{}").get("summary", {})
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    for label, ts in times.items():
        spread = f"median of {repeat}, {min(ts):.2f} to {max(ts):.2f} s; " if repeat > 1 else ""
        line(f"{name} ({label})", statistics.median(ts), base, f"{spread}exit {rc}; {summary}")


def fig_all(base: float, repeat: int = 3) -> None:
    cold_and_warm("verify all", ["all"], base, repeat)


_CHAIN = """
import sympy as sp, sys
from verifier.model.chain import Chain, Derivation, Step
from verifier.model.context import Context
from verifier.engine.decide import verify_derivations, default_jobs
from verifier.engine import cache
cache.set_enabled(False)
ctx = Context(); x = ctx.symbol("x"); k = ctx.symbol("k")
steps = [Step(x)] + [Step(sp.Add(x, j * k, -j * k, evaluate=False) if j % 2 else x, "=") for j in range(1, 3001)]
d = Derivation("chain", "3,001 trivial steps", context=ctx, chains=[Chain("main", steps)])
r = verify_derivations([d], jobs=default_jobs())[0]
print(r.counts())
"""


def fig_chain(base: float) -> None:
    t, rc, out = run([sys.executable, "-c", _CHAIN], env_with(None))
    line("3,001-step trivial chain (no cache)", t, base, f"exit {rc}; {out.decode().strip()}")


def fig_check(base: float, repeat: int = 3) -> None:
    if SEEDS is None:
        print("check: the seed posts are not here; skipped")
        return
    cold_and_warm("verify check seeds", ["check", str(SEEDS)], base, repeat)


def _naive(lhs, rhs, report=None):
    import sympy as sp

    t = time.process_time()
    ok = sp.simplify(lhs - rhs) == 0
    return ok, time.process_time() - t


def fig_naive(base: float) -> None:
    import sympy as sp
    from pebble import ProcessPool

    from verifier.engine.decide import decide_problems, default_jobs, problem_for
    from verifier.engine.expand import unfold
    from verifier.model.catalog import load_catalog
    from verifier.model.chain import EQ

    problems = []
    for d in load_catalog():
        for chain in d.chains:
            sense = chain.steps[0].sense
            for prev, step in chain.pairs():
                if (step.relation or EQ) == EQ and not step.cases and not step.lemma:
                    problems.append(problem_for(d.context, prev, step, sense))
                if step.sense:
                    sense = step.sense
    start = time.perf_counter()
    verdicts = decide_problems(problems, 5.0, default_jobs(), cache=None)
    wall = time.perf_counter() - start
    decided = sum(v.status in ("proved", "refuted") for v in verdicts)
    line(f"engine on {len(problems)} catalog '=' steps", wall, base,
         f"decides {decided}/{len(problems)}; median {statistics.median(v.seconds for v in verdicts):.3f} s/step")
    times, naive_ok = [], 0
    start = time.perf_counter()
    with ProcessPool(max_workers=default_jobs()) as pool:
        futures = []
        for p in problems:
            try:
                a, b = unfold(p.lhs, p.ctx.definitions), unfold(p.rhs, p.ctx.definitions)
            except Exception:  # noqa: BLE001
                a, b = p.lhs, p.rhs
            futures.append(pool.schedule(_naive, args=(a, b), timeout=5.0))
        for f in futures:
            try:
                ok, t = f.result()
            except Exception:  # noqa: BLE001 - timeout or a SymPy error: not decided
                ok, t = False, 5.0
            naive_ok += bool(ok)
            times.append(t)
    wall = time.perf_counter() - start
    line("naive simplify(lhs - rhs) == 0", wall, base,
         f"decides {naive_ok}/{len(problems)}; median {statistics.median(times):.3f} s/step")
    del sp


def _generated(n: int, path: Path) -> None:
    rng = random.Random(12)
    forms = [
        (lambda a, b: (f"({a}x+{b})^2", f"{a*a}x^2+{2*a*b}x+{b*b}"), "="),
        (lambda a, b: (f"\\log({a}y)", f"\\log {a} + \\log y"), "="),
        (lambda a, b: (f"x^2 + {a}", f"{a}"), ">="),
        (lambda a, b: (f"\\frac{{{a}x}}{{{b}}}", f"{a}x/{b}"), "="),
        (lambda a, b: (f"({a}x+{b})^2", f"{a*a}x^2+{2*a*b+1}x+{b*b}"), "="),  # wrong
        (lambda a, b: (f"\\sum_{{i=1}}^{{n}} {a} x_i", f"{a}\\sum_{{i=1}}^{{n}} x_i"), "="),
    ]
    with path.open("w") as fh:
        for k in range(n):
            make, rel = forms[k % len(forms)]
            lhs, rhs = make(rng.randint(1, 999), rng.randint(1, 999))
            fh.write(json.dumps({"id": k, "lhs": lhs, "rhs": rhs, "relation": rel,
                                 "assumptions": ["y > 0"] if "y" in lhs else []}) + "\n")


def fig_steps(base: float, n: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-steps-"))
    try:
        src = work / "steps.jsonl"
        _generated(n, src)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t, rc, out = run(verify_cmd() + ["steps", str(src)], env_with(str(work / "cache")))
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        rows = [json.loads(x) for x in out.splitlines() if x.strip()]
        counts: dict = {}
        for r in rows:
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        line(f"verify steps, {n} generated steps", t, base,
             f"{len(rows) / t:.1f} steps/s; peak RSS of a process {max(peak, before) / 1024:.0f} MiB; {counts}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def fig_busy(base: float) -> None:
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        t, rc, out = run(verify_cmd() + ["all", "--no-cache", "--format", "json"], env_with(None))
    finally:
        for b in burners:
            b.kill()
            b.wait()
    data = json.loads(out or b"{}")
    not_proved = [f"{d['occurrence']}#{s['index']}: {s['status']} ({s['method']})"
                  for d in data.get("derivations", []) for s in d["steps"] if s["status"] != "proved"]
    line("verify all --no-cache, 2 cores busy", t, base, f"exit {rc}; {data.get('summary')}")
    for x in not_proved:
        print("   not proved:", x)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", default=["all", "chain", "check", "naive", "steps", "busy"])
    ap.add_argument("--steps", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each cold / warm figure (the median is shown)")
    args = ap.parse_args()
    installed_bytecode()
    base = sympy_time()
    print(f"{'import sympy':<38} {base:8.2f} s  (best of 3; the unit of every ratio)", flush=True)
    for name in args.only:
        if name == "steps":
            fig_steps(base, args.steps)
        elif name in ("all", "check"):
            globals()[f"fig_{name}"](base, max(1, args.repeat))
        else:
            globals()[f"fig_{name}"](base)
    print(f"{'import sympy (again, after)':<38} {sympy_time():8.2f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
