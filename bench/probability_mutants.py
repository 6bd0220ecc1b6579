"""Mutation and false-alarm harness for the probability steps of the catalog.

Run from the repository root::

    python bench/probability_mutants.py [--budget 10]

For every step of ``derivations/probability.py`` and ``derivations/bayes.py``:

* **mutants** wrong by construction (the right side scaled by 11/10 and shifted by 1/10, shifted by
  1, negated; an inequality reversed; Var replaced by E; a square dropped from E[.]^2): the engine
  must never call one ``proved`` or ``checked`` (a FALSE ACCEPT);
* **rewrites** that keep the meaning (the right side expanded; Var(f) written E[f^2] - E[f]^2;
  Cov(f, g) written E[fg] - E[f]E[g]): the engine must never call one ``refuted`` (a FALSE ALARM).

A mutant whose right side is unchanged or that could be equivalent (a right side whose value is 0
negated, or of -1 scaled and shifted) is skipped.  The last line reads exactly::

    mutants=N refuted=R unknown=U false_accepts=F rewrites=W false_alarms=A
"""
from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import sympy as sp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from derivations import bayes, probability  # noqa: E402
from verifier.engine.decide import decide_step, problem_for  # noqa: E402
from verifier.engine.expand import unfold  # noqa: E402
from verifier.engine.probability.lower import lower_problem  # noqa: E402
from verifier.engine.proofs import is_zero  # noqa: E402
from verifier.model.random import Cov, E, Var  # noqa: E402
from verifier.model.results import CHECKED, PROVED, REFUTED  # noqa: E402

FLIP = {"<=": ">=", ">=": "<=", "<": ">", ">": "<"}


def _value_zero(expr, ctx) -> bool:
    """Is expr identically 0 (its expectations lowered, then the normal form)?  Then negating it is
    no mutation (the mutant is equivalent and skipped)."""
    try:
        low = lower_problem(unfold(expr, ctx.definitions), sp.Integer(0), ctx)
        return is_zero(low.lhs, low.ctx) is not None
    except Exception:  # noqa: BLE001 - unknown: treated as possibly zero, the mutant is skipped
        return True


def mutants(step, ctx) -> list[tuple[str, object]]:
    rhs = step.expr
    out = []
    if rhs != -1:
        out.append(("scale", sp.Rational(11, 10) * rhs + sp.Rational(1, 10)))
    out.append(("shift", rhs + 1))
    if rhs != 0 and not _value_zero(rhs, ctx):
        out.append(("negate", -rhs))
    if rhs.has(Var):
        out.append(("var-as-mean", rhs.replace(lambda e: isinstance(e, Var), lambda e: E(e.args[0]))))
    sq = rhs.replace(lambda e: isinstance(e, sp.Pow) and isinstance(e.base, E) and e.exp == 2, lambda e: e.base)
    if sq != rhs:
        out.append(("square-dropped", sq))
    return [(k, m) for k, m in out if m != rhs]


def rewrites(step) -> list[tuple[str, object]]:
    rhs = step.expr
    out = [("expanded", sp.expand(rhs))]
    v = rhs.replace(lambda e: isinstance(e, Var), lambda e: E(e.args[0] ** 2) - E(e.args[0]) ** 2)
    c = rhs.replace(lambda e: isinstance(e, Cov), lambda e: E(e.args[0] * e.args[1]) - E(e.args[0]) * E(e.args[1]))
    out += [("var-shortcut", v), ("cov-shortcut", c)]
    return [(k, r) for k, r in out if r != rhs]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--budget", type=float, default=10.0)
    args = ap.parse_args(argv)
    counts = dict(mutants=0, refuted=0, unknown=0, false_accepts=0, rewrites=0, false_alarms=0)
    for make in probability.DERIVATIONS + bayes.DERIVATIONS:
        d = make()
        for ci, chain in enumerate(d.chains):
            sense = chain.steps[0].sense
            for k in range(1, len(chain.steps)):
                prev, step = chain.steps[k - 1], chain.steps[k]
                if step.relation in ("argmin-equivalent", "argmax-equivalent"):
                    continue
                cands = [(n, m, step.relation) for n, m in mutants(step, d.context)]
                if step.relation in FLIP:
                    cands.append(("reversed", step.expr, FLIP[step.relation]))
                for name, expr, rel in cands:
                    s = copy.copy(step)
                    s.expr, s.relation = expr, rel
                    if rel != step.relation:
                        s.lemma = None
                    v = decide_step(problem_for(d.context, prev, s, sense), args.budget)
                    counts["mutants"] += 1
                    if v.status in (PROVED, CHECKED):
                        counts["false_accepts"] += 1
                        print(f"FALSE ACCEPT {d.id} chain {ci} step {k} {name}: {v.method}")
                    elif v.status == REFUTED:
                        counts["refuted"] += 1
                    else:
                        counts["unknown"] += 1
                for name, expr in rewrites(step):
                    s = copy.copy(step)
                    s.expr = expr
                    v = decide_step(problem_for(d.context, prev, s, sense), args.budget)
                    counts["rewrites"] += 1
                    if v.status == REFUTED:
                        counts["false_alarms"] += 1
                        print(f"FALSE ALARM {d.id} chain {ci} step {k} {name}: {v.message}")
    print(" ".join(f"{k}={v}" for k, v in counts.items()))
    return 1 if counts["false_accepts"] or counts["false_alarms"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
