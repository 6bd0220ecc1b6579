"""Mutation testing of the verifier: does it ever say yes to a wrong step?

Run from the repository root::

    python bench/soundness.py                       # whole catalog + LaTeX path
    python bench/soundness.py --ids gaussian-mle-mse --max-per-step 10 --budget 5
    python bench/soundness.py --no-latex --jobs 2 --json out.json

For every step of every derivation in the catalog, mutants of the kinds people really make
are generated (``bench/mutate.py``).  An independent oracle (``bench/oracle.py``: its own
mpmath evaluation at many random points inside the domains) decides which mutants happen
to be equivalent, i.e. the mutated step is still correct; the engine
(``verifier.engine.decide.decide_step``) is run on the others.  A non-equivalent mutant that the
engine calls ``proved`` or ``checked`` is a FALSE ACCEPT.

The LaTeX path (``bench/latex_path.py``) mutates the LaTeX text of correct chains and runs
``verify check`` on it (``verifier.notes.check.check_text``).

The last lines of the output read exactly::

    mutants=N equivalent=E refuted=R unknown=U false_accepts=F
    rewrites=N false_alarms=F near_misses=M false_accepts=A

the second from the other direction (``bench/false_alarms.py``: meaning-preserving rewrites of right
steps that must never be refuted, and near misses that must never be accepted).
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import multiprocessing as mp
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sympy as sp  # noqa: E402

from bench import oracle  # noqa: E402
from bench.mutate import KINDS, Mutant, step_mutants  # noqa: E402

EQUIVALENT, REFUTED, UNKNOWN, FALSE_ACCEPT, UNDETERMINED = (
    "equivalent", "refuted", "unknown", "false_accept", "undetermined")
OUTCOMES = (EQUIVALENT, REFUTED, UNKNOWN, FALSE_ACCEPT)


@dataclass
class Case:
    """One mutant of one step, with what the oracle and the engine said about it."""

    where: str  # "derivation-id / chain / step k"
    mutant: Mutant
    problem: object  # verifier.engine.decide.Problem
    oracle: str = ""  # oracle.HOLDS / FAILS / UNDETERMINED
    oracle_detail: str = ""
    status: str = ""  # engine status
    method: str = ""
    message: str = ""
    seconds: float = 0.0
    outcome: str = ""
    path: str = "catalog"  # 'catalog' or 'latex'
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"path": self.path, "where": self.where, "kind": self.mutant.kind,
                "description": self.mutant.description, "relation": self.mutant.relation,
                "mutated": sp.sstr(self.mutant.expr), "target": self.mutant.target,
                "oracle": self.oracle, "oracle_detail": self.oracle_detail,
                "status": self.status, "method": self.method, "message": self.message[:300],
                "seconds": round(self.seconds, 3), "outcome": self.outcome, **self.extra}


# ----------------------------------------------------------------------------------------
# building the cases
# ----------------------------------------------------------------------------------------
def _cap(mutants: list[Mutant], cap: int, rng: random.Random) -> list[Mutant]:
    """At most `cap` mutants, taken round-robin over the kinds so every kind is represented."""
    if cap <= 0 or len(mutants) <= cap:
        return mutants
    by_kind: dict[str, list[Mutant]] = defaultdict(list)
    for m in mutants:
        by_kind[m.kind].append(m)
    for lst in by_kind.values():
        rng.shuffle(lst)
    out: list[Mutant] = []
    kinds = [k for k in KINDS if k in by_kind]
    while len(out) < cap:
        for k in kinds:
            if by_kind[k] and len(out) < cap:
                out.append(by_kind[k].pop())
    return out


def judge(problem, oracle_points: int = 48):
    """The oracle's judgement of a Problem: does its relation hold?"""
    rel = problem.relation
    ctx = problem.ctx
    if rel in ("argmin-equivalent", "argmax-equivalent"):
        prev = problem.prev_sense or ("min" if rel == "argmin-equivalent" else "max")
        new = "min" if rel == "argmin-equivalent" else "max"
        return oracle.judge_order(problem.lhs, problem.rhs, tuple(problem.over), prev != new, ctx,
                                  pairs=oracle_points)
    if problem.cases:
        sym, values = problem.cases
        last = None
        for v in values:
            sub = {sym: sp.sympify(v)}
            last = oracle.judge_relation(problem.lhs.xreplace(sub), problem.rhs.xreplace(sub), rel, ctx,
                                         points=oracle_points)
            if last.verdict != oracle.HOLDS:
                return last
        return last
    return oracle.judge_relation(problem.lhs, problem.rhs, rel, ctx, points=oracle_points)


def catalog_cases(derivations, cap: int, seed: int, log=print) -> tuple[list[Case], list[str]]:
    """Mutants of every step of the given derivations (oracle-judged originals only)."""
    from verifier.engine.decide import problem_for

    rng = random.Random(seed)
    cases: list[Case] = []
    skipped: list[str] = []
    for d in derivations:
        for chain in d.chains:
            sense = chain.steps[0].sense
            for k, (prev, step) in enumerate(chain.pairs(), start=1):
                where = f"{d.id} / {chain.name} / step {k}"
                cur_sense = sense
                if step.sense:
                    sense = step.sense
                if step.relation == "!=":
                    skipped.append(f"{where}: existential (!=) step, not mutated")
                    continue
                original = problem_for(d.context, prev, step, cur_sense)
                j = judge(original)
                if j.verdict != oracle.HOLDS:
                    skipped.append(f"{where}: the oracle cannot confirm the original step "
                                   f"({j.verdict}: {j.detail}); its mutants are skipped")
                    continue
                muts = _cap(step_mutants(prev, step, d.context, first=(k == 1)), cap, rng)
                for m in muts:
                    if m.target == "lhs":
                        p = problem_for(d.context, replace(prev, expr=m.expr), step, cur_sense)
                    else:
                        new_step = replace(step, expr=m.expr, relation=m.relation,
                                           sense=m.sense if m.sense else step.sense)
                        p = problem_for(d.context, prev, new_step, cur_sense)
                    cases.append(Case(where, m, p))
    return cases, skipped


# ----------------------------------------------------------------------------------------
# running
# ----------------------------------------------------------------------------------------
_CASES: list[Case] = []  # read by forked pool workers


def _engine_job(args: tuple[int, float]) -> tuple[str, str, str, float]:
    from verifier.engine.decide import decide_step

    idx, budget = args
    v = decide_step(_CASES[idx].problem, budget)
    return v.status, v.method, v.message, v.seconds


def _oracle_job(idx: int) -> tuple[str, str]:
    try:
        j = judge(_CASES[idx].problem)
    except Exception as exc:  # noqa: BLE001 - an oracle failure is an undetermined mutant
        return oracle.UNDETERMINED, f"oracle error: {type(exc).__name__}: {exc}"
    return j.verdict, j.detail


def classify(status: str) -> str:
    if status in ("proved", "checked"):
        return FALSE_ACCEPT
    if status == "refuted":
        return REFUTED
    return UNKNOWN


def run_cases(cases: list[Case], budget: float, jobs: int, log=print) -> None:
    """Judge every case with the oracle, then run the engine on the non-equivalent ones."""
    global _CASES
    _CASES = cases
    ctx = mp.get_context("fork")
    with cf.ProcessPoolExecutor(max(1, jobs), mp_context=ctx) as ex:
        for c, (verdict, detail) in zip(cases, ex.map(_oracle_job, range(len(cases)), chunksize=4)):
            c.oracle, c.oracle_detail = verdict, detail
        todo = [i for i, c in enumerate(cases) if c.oracle != oracle.HOLDS]
        for c in cases:
            if c.oracle == oracle.HOLDS:
                c.outcome = EQUIVALENT
        done = 0
        for i, (status, method, message, secs) in zip(todo, ex.map(_engine_job, [(i, budget) for i in todo])):
            c = cases[i]
            c.status, c.method, c.message, c.seconds = status, method, message, secs
            # an oracle that cannot judge counts conservatively: an acceptance is a false accept
            c.outcome = classify(status)
            done += 1
            if done % 50 == 0:
                log(f"  ... {done}/{len(todo)} mutants decided", file=sys.stderr)


# ----------------------------------------------------------------------------------------
# reporting
# ----------------------------------------------------------------------------------------
def tally(cases: list[Case]) -> dict[str, int]:
    c = Counter(x.outcome for x in cases)
    return {"mutants": len(cases), EQUIVALENT: c[EQUIVALENT], REFUTED: c[REFUTED], UNKNOWN: c[UNKNOWN],
            FALSE_ACCEPT: c[FALSE_ACCEPT], UNDETERMINED: sum(x.oracle == oracle.UNDETERMINED for x in cases)}


def kill_rate(t: dict[str, int]) -> float:
    live = t[REFUTED] + t[UNKNOWN] + t[FALSE_ACCEPT]
    return 100.0 * t[REFUTED] / live if live else 100.0


def print_table(title: str, cases: list[Case], out=sys.stdout) -> None:
    print(f"\n== {title} ==", file=out)
    head = f"{'kind':<16}{'mutants':>8}{'equiv':>7}{'refuted':>9}{'unknown':>9}{'FALSE':>7}{'undet':>7}{'kill %':>9}"
    print(head, file=out)
    by_kind: dict[str, list[Case]] = defaultdict(list)
    for c in cases:
        by_kind[c.mutant.kind].append(c)
    for k in list(KINDS) + sorted(set(by_kind) - set(KINDS)):
        if k not in by_kind:
            continue
        t = tally(by_kind[k])
        print(f"{k:<16}{t['mutants']:>8}{t[EQUIVALENT]:>7}{t[REFUTED]:>9}{t[UNKNOWN]:>9}"
              f"{t[FALSE_ACCEPT]:>7}{t[UNDETERMINED]:>7}{kill_rate(t):>8.1f}%", file=out)
    t = tally(cases)
    print(f"{'total':<16}{t['mutants']:>8}{t[EQUIVALENT]:>7}{t[REFUTED]:>9}{t[UNKNOWN]:>9}"
          f"{t[FALSE_ACCEPT]:>7}{t[UNDETERMINED]:>7}{kill_rate(t):>8.1f}%", file=out)


def print_details(cases: list[Case], out=sys.stdout, max_unknown: int = 40) -> None:
    fa = [c for c in cases if c.outcome == FALSE_ACCEPT]
    print(f"\nFALSE ACCEPTS: {len(fa)}", file=out)
    for c in fa:
        print(f"  [{c.path}] {c.where}: {c.mutant.kind}: {c.mutant.description}", file=out)
        shown = c.extra.get("latex") or sp.sstr(c.mutant.expr)
        print(f"      mutated {c.mutant.target}: {shown[:200]}  ({c.mutant.relation})", file=out)
        print(f"      engine: {c.status} by {c.method}; oracle: {c.oracle_detail[:200]}", file=out)
    und = [c for c in cases if c.oracle == oracle.UNDETERMINED]
    if und:
        print(f"\nNOT JUDGED BY THE ORACLE (counted by the engine's status; an acceptance counts as "
              f"false): {len(und)}", file=out)
        for c in und[:20]:
            print(f"  [{c.path}] {c.where}: {c.mutant.kind}: {c.mutant.description}: engine {c.status} "
                  f"({c.method}); oracle: {c.oracle_detail[:120]}", file=out)
    unk = [c for c in cases if c.outcome == UNKNOWN]
    if unk:
        print(f"\nSURVIVED AS UNKNOWN: {len(unk)}", file=out)
        for c in unk[:max_unknown]:
            print(f"  [{c.path}] {c.where}: {c.mutant.kind}: {c.mutant.description}: "
                  f"{c.method}: {c.message.splitlines()[0][:150] if c.message else ''}", file=out)
        if len(unk) > max_unknown:
            print(f"  ... and {len(unk) - max_unknown} more", file=out)


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--ids", nargs="*", default=[], help="only these derivation ids (id or id@seed)")
    p.add_argument("--max-per-step", type=int, default=12, metavar="K",
                   help="at most K mutants per step, spread over the kinds (0: all; default 12)")
    p.add_argument("--budget", type=float, default=8.0, help="engine budget per mutant in seconds (default 8)")
    p.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-catalog", action="store_true", help="skip the catalog path")
    p.add_argument("--no-latex", action="store_true", help="skip the LaTeX (verify check) path")
    p.add_argument("--latex-max-per-step", type=int, default=16, metavar="K",
                   help="at most K LaTeX mutants per step of a LaTeX chain (0: all; default 16)")
    p.add_argument("--json", metavar="PATH", help="write every case as JSON")
    p.add_argument("--no-false-alarms", action="store_true",
                   help="skip the other direction (bench/false_alarms.py: rewrites of right steps, near misses)")
    p.add_argument("--false-alarm-sample", type=int, default=None, metavar="K",
                   help="at most K notes per source in the false-alarm harness (default: all)")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    start = time.monotonic()
    all_cases: list[Case] = []
    skipped: list[str] = []
    if not args.no_catalog:
        from verifier.model.catalog import load_catalog, select

        derivations = select(load_catalog(), args.ids)
        cases, sk = catalog_cases(derivations, args.max_per_step, args.seed)
        skipped += sk
        print(f"catalog: {len(derivations)} derivations, {len(cases)} mutants", file=sys.stderr)
        run_cases(cases, args.budget, args.jobs)
        print_table(f"catalog path ({len(derivations)} derivations)", cases)
        all_cases += cases
    if not args.no_latex:
        from bench import latex_path

        lcases, sk = latex_path.run(args)
        skipped += sk
        if lcases is not None:
            print_table("LaTeX path (verify check)", lcases)
            all_cases += lcases
    if skipped:
        print(f"\nnot mutated ({len(skipped)}):")
        for s in skipped:
            print(f"  {s}")
    print_details(all_cases)
    if args.json:
        Path(args.json).write_text(json.dumps([c.to_json() for c in all_cases], indent=1, ensure_ascii=False))
    t = tally(all_cases)
    elapsed = time.monotonic() - start
    print(f"\nkill rate {kill_rate(t):.2f}% of non-equivalent mutants; not judged by the oracle: "
          f"{t[UNDETERMINED]}; {elapsed:.0f}s")
    fa_line, fa_bad = "", False
    if not args.no_false_alarms:
        from bench import false_alarms

        fcases = false_alarms.run_all(false_alarms.build(["corpus", "catalog", "notes"], args.false_alarm_sample,
                                                         args.seed), args.jobs, args.budget)
        for c in fcases:
            for line, want, st in c.failures():
                print(f"{'FALSE ALARM' if want == false_alarms.RIGHT else 'FALSE ACCEPT'}: [{c.source}] "
                      f"{c.where} ({c.kind}) line {line}: {st}")
        s = false_alarms.summary(fcases)
        fa_line = false_alarms.summary_line(s)
        fa_bad = bool(s["false_alarms"] or s["false_accepts"])
    print(f"mutants={t['mutants']} equivalent={t[EQUIVALENT]} refuted={t[REFUTED]} "
          f"unknown={t[UNKNOWN]} false_accepts={t[FALSE_ACCEPT]}")
    if fa_line:
        print(fa_line)
    return 1 if t[FALSE_ACCEPT] or fa_bad else 0


if __name__ == "__main__":
    sys.exit(main())
