"""Mutation and false-alarm harness for vector / matrix steps (issue 13).

For every step of the vector catalog (derivations/linalg.py, derivations/vector_gradients.py):

* **mutants** (the mistakes people make with matrices): a transpose dropped, the first two
  factors of a product swapped, a factor 2 dropped or doubled, the sign of a term flipped, the
  factors inside a trace swapped.  Each mutant is judged independently (tests/matrix_values:
  explicit SymPy matrices and mpmath differentiation at random sizes, not the engine): a mutant
  that really differs must never be ``proved`` / ``checked`` (a *missed mutant* is a soundness
  failure); one that is still equal (e.g. a transpose of a scalar) is skipped.
* **rewrites** that keep the meaning (transpose twice, (AB)^T written as B^T A^T, a product
  distributed over a sum, the two sides of a sum swapped): never ``refuted`` (a *false alarm*).

    python -m bench.linalg_mutants            # prints the figures; exit 1 if either is not 0
"""
from __future__ import annotations

import random
import sys
from dataclasses import dataclass

import sympy as sp

from derivations import linalg, vector_gradients
from tests.matrix_values import differs, value
from verifier.engine.decide import decide_problems
from verifier.engine.expand import unfold
from verifier.engine.problem import Problem
from verifier.model.results import CHECKED, PROVED, REFUTED
from verifier.model.shapes import ShapeError, compare_shapes


@dataclass
class Case:
    derivation: str
    index: int
    kind: str
    description: str
    prev: sp.Basic
    expr: sp.Basic
    ctx: object
    mutant: bool  # True: a mutant (must not be proved when it differs); False: a rewrite


def _replace_first(e: sp.Basic, pred, repl):
    done = [False]

    def walk(x):
        if not done[0] and pred(x):
            done[0] = True
            return repl(x)
        if not x.args or isinstance(x, (sp.MatrixSymbol, sp.Lambda)):
            return x
        args = [walk(a) if isinstance(a, sp.Basic) else a for a in x.args]
        return x.func(*args) if any(a is not b for a, b in zip(args, x.args)) else x

    out = walk(e)
    return out if done[0] else None


def mutants(e: sp.Basic):
    yield "drop_transpose", "a transpose dropped", _replace_first(e, lambda x: isinstance(x, sp.Transpose), lambda x: x.arg)
    yield "swap_product", "the first two factors of a product swapped", _replace_first(
        e, lambda x: isinstance(x, sp.MatMul) and sum(isinstance(a, sp.MatrixExpr) for a in x.args) >= 2, _swap)
    yield "factor_two", "a factor 2 dropped or doubled", (e / 2 if e.has(sp.Integer(2)) else 2 * e)
    yield "sign_flip", "the sign of a term flipped", _replace_first(
        e, lambda x: isinstance(x, (sp.MatAdd, sp.Add)) and len(x.args) >= 2, lambda x: x.func(-x.args[0], *x.args[1:]))
    yield "trace_swap", "the factors inside a trace swapped", _replace_first(
        e, lambda x: isinstance(x, sp.Trace) and isinstance(x.arg, sp.MatMul), lambda x: sp.Trace(_swap(x.arg)))


def _swap(m: sp.MatMul) -> sp.MatMul:
    args = list(m.args)
    idx = [k for k, a in enumerate(args) if isinstance(a, sp.MatrixExpr)]
    a, b = idx[0], idx[1]
    args[a], args[b] = args[b], args[a]
    return sp.MatMul(*args, evaluate=False)


def rewrites(e: sp.Basic):
    if isinstance(e, sp.MatrixExpr) and not isinstance(e, sp.ZeroMatrix):
        yield "double_transpose", "transposed twice", sp.Transpose(sp.Transpose(e))
        yield "expand", "products distributed over sums", sp.expand(e)
    t = _replace_first(e, lambda x: isinstance(x, sp.Transpose) and isinstance(x.arg, sp.MatMul),
                       lambda x: sp.MatMul(*[a.T for a in reversed(x.arg.args)]))
    yield "transpose_rule", "(AB)^T written as B^T A^T", t


def _differs(ctx, a, b, seed: int) -> bool | None:
    """Independent judgement at random integer matrices of two sizes (None: not decidable)."""
    rng = random.Random(seed)
    mats = sorted({m for e in (a, b) for m in sp.preorder_traversal(e) if isinstance(m, sp.MatrixSymbol)}, key=str)
    sizes_syms = sorted(ctx.sizes, key=str)
    for trial in range(2):
        sizes = {s: 2 + (k + trial) % 3 for k, s in enumerate(sizes_syms)}
        mv = {}
        for m in mats:
            r, c = (int(sp.sympify(x).xreplace(sizes)) for x in m.shape)
            kind = getattr(ctx.matrices.get(m), "kind", "real")
            base = sp.Matrix(r, c, lambda i, j: rng.randint(-3, 3))
            if kind == "spd":
                base = base * base.T + sp.eye(r)
            elif kind in ("probability", "positive", "unit"):
                base = sp.Matrix(r, c, lambda i, j: rng.randint(1, 4))
                base = base / sum(base) if kind in ("probability", "unit") else base
            mv[m] = sp.ImmutableMatrix(base)
        scal = {s: sp.Rational(rng.randint(1, 9), 4) for s in ctx.scalars}
        try:
            if differs(value(a, ctx, sizes, mv, scal), value(b, ctx, sizes, mv, scal)):
                return True
        except Exception:  # noqa: BLE001 - an ill-formed mutant cannot be judged here
            return None
    return False


def cases() -> list[Case]:
    out = []
    for make in linalg.DERIVATIONS + vector_gradients.DERIVATIONS:
        D = make()
        index = 0
        for chain in D.chains:
            for prev, step in chain.pairs():
                for is_mutant, gen in ((True, mutants), (False, rewrites)):
                    for kind, desc, e in gen(step.expr):
                        if e is None or e == step.expr:
                            continue
                        out.append(Case(D.id, index, kind, desc, prev.expr, e, D.context, is_mutant))
                index += 1
    return out


def run(jobs: int = 1, budget: float = 30.0) -> dict:
    cs = cases()
    problems = [Problem(c.prev, c.expr, "=", c.ctx) for c in cs]
    verdicts = decide_problems(problems, budget, jobs)
    missed, false_alarms, killed, judged_mutants, rewrites_n, skipped = [], [], 0, 0, 0, 0
    for k, (c, v) in enumerate(zip(cs, verdicts)):
        a = unfold(c.prev, c.ctx.definitions)
        b = unfold(c.expr, c.ctx.definitions)
        if c.mutant:
            try:
                compare_shapes(a, b)
                real = _differs(c.ctx, a, b, k)
            except ShapeError:
                real = True  # ill-formed: must not be proved either
            if real is None or real is False:
                skipped += 1
                if v.status in (PROVED, CHECKED) or real is None:
                    continue
            judged_mutants += 1
            if v.status in (PROVED, CHECKED):
                missed.append((c, v))
            elif v.status == REFUTED:
                killed += 1
        else:
            rewrites_n += 1
            if v.status == REFUTED:
                false_alarms.append((c, v))
    return {"mutants": judged_mutants, "refuted": killed, "missed": missed, "rewrites": rewrites_n,
            "false_alarms": false_alarms, "skipped": skipped}


def main() -> int:
    r = run()
    print(f"linalg mutants: {r['mutants']} judged different, {r['refuted']} refuted, "
          f"{len(r['missed'])} proved or checked (must be 0); {r['skipped']} still equal or not judged")
    print(f"linalg rewrites: {r['rewrites']} meaning-preserving, {len(r['false_alarms'])} refuted (must be 0)")
    for c, v in r["missed"] + r["false_alarms"]:
        print(f"  {c.derivation} step {c.index} {c.kind} ({c.description}): {v.status} {v.method} {v.message[:160]}")
    return 0 if not r["missed"] and not r["false_alarms"] else 1


if __name__ == "__main__":
    sys.exit(main())
