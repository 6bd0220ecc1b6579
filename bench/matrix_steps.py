"""CPU seconds of `decide` for each vector / matrix step of the catalog, in one process (issue 12).

Run from the repository root:  python bench/matrix_steps.py [--repeat N] [--json OUT]

Each step is decided N times (default 3) with SymPy's cache cleared before each run; the line
shows the smallest CPU time (less noisy than wall time on a shared machine), the verdict and its
method, so that a change to the matrix engine can be compared step by step, verdicts included.
No test asserts a time.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sympy.core.cache import clear_cache  # noqa: E402

from verifier.engine.decide import decide, problem_for  # noqa: E402
from verifier.engine.expand import unfold  # noqa: E402
from verifier.engine.matrices.decide import involves_matrices  # noqa: E402
from verifier.model.catalog import load_catalog  # noqa: E402


def matrix_steps() -> list[tuple[str, str, int, object]]:
    out = []
    for d in load_catalog():
        for chain in d.chains:
            sense = chain.steps[0].sense
            for k, (prev, step) in enumerate(chain.pairs()):
                p = problem_for(d.context, prev, step, sense)
                if step.sense:
                    sense = step.sense
                a, b = unfold(p.lhs, p.ctx.definitions), unfold(p.rhs, p.ctx.definitions)
                if involves_matrices(a, b) and not p.lemma:
                    out.append((d.id, str(chain.name), k, p))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    rows = []
    for ident, chain, k, p in matrix_steps():
        best, v = float("inf"), None
        for _ in range(args.repeat):
            clear_cache()
            t = time.process_time()
            v = decide(p)
            best = min(best, time.process_time() - t)
        rows.append({"id": ident, "chain": chain, "step": k, "cpu": round(best, 3), "status": v.status, "method": v.method})
        print(f"{ident:<28} {chain[:24]:<24} {k} {best:6.3f} s  {v.status}  {v.method[:60]}", flush=True)
    print(f"{len(rows)} matrix steps, {sum(r['cpu'] for r in rows):.2f} s CPU in all")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
