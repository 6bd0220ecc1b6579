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

The note side does the same with the LaTeX of the linalg fixture notes: every right `=` step the reading
decides gets text mutants (a transpose dropped, a factor 2 dropped, a sign flipped, X^T X written X X^T;
an accepted mutant is re-evaluated at explicit matrices) and respellings (``^\\top`` / ``^T`` /
``^{\\intercal}``, ``\\mathbf`` / ``\\bm`` / ``\\boldsymbol``, spacing) that must never be refuted.

    python -m bench.linalg_mutants            # prints the figures; exit 1 if any must-be-0 is not 0
"""
from __future__ import annotations

import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

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


# -- the note side: the LaTeX of the linalg fixtures' right steps, mutated and respelled ---------------
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "linalg"
_T = r"(?:\^\s*\\top\b|\^\s*\{\s*\\top\s*\}|\^\s*\{\s*\\mathrm\s*\{?\s*T\s*\}?\s*\}|\^\s*T\b|\^\s*\{\s*\\intercal\s*\})"
#: text mutations of a right side (the mistakes of the issue, as a person would type them)
TEXT_MUTANTS = (
    ("drop_transpose", "a transpose dropped", lambda t: re.sub(_T, "", t, count=1)),
    ("drop_two", "a factor 2 dropped", lambda t: re.sub(r"(?<![\d.^_{])2(?=\s*[\\A-Za-z(])", "", t, count=1)),
    ("sign_flip", "the first + turned into -", lambda t: t.replace("+", "-", 1)),
    ("swap_XtX", "X^T X written X X^T", lambda t: re.sub(r"X\^\\top\s*X(?![A-Za-z^])", r"XX^\\top", t, count=1)),
    ("drop_hat", "an accent dropped (\\hat w for w)",
     lambda t: re.sub(r"\\hat\{(\\(?:mathbf|boldsymbol|bm)\{\w\})\}", r"\1", t, count=1)),
    ("swap_layer", "a layer label changed (2 for 1)", lambda t: re.sub(r"\^\{\(1\)\}", "^{(2)}", t, count=1)),
)
#: meaning-preserving respellings of a whole step (lhs and rhs)
SPELLINGS = (
    ("top_as_T", "^\\top written ^T", lambda t: re.sub(r"\^\s*\\top\b|\^\s*\{\s*\\top\s*\}", "^T", t)),
    ("T_as_intercal", "^{\\mathrm T} written ^{\\intercal}",
     lambda t: re.sub(r"\^\s*\{\s*\\mathrm\s*\{?\s*T\s*\}?\s*\}", r"^{\\intercal}", t)),
    ("mathbf_as_bm", "\\mathbf written \\bm", lambda t: t.replace(r"\mathbf{", r"\bm{")),
    ("boldsymbol_as_mathbf", "\\boldsymbol written \\mathbf", lambda t: t.replace(r"\boldsymbol{", r"\mathbf{")),
    ("spacing", "thin spaces and \\big dropped", lambda t: re.sub(r"\\[,;!]|\\[bB]ig(?=[()\[\]])", "", t)),
    ("hat_as_widehat", "\\hat written \\widehat", lambda t: re.sub(r"\\hat(?![A-Za-z])", r"\\widehat", t)),
    ("bold_outside_hat", "\\hat{\\boldsymbol{w}} written \\boldsymbol{\\hat{w}}",
     lambda t: re.sub(r"\\hat\{\\(boldsymbol|mathbf)\{(\w)\}\}", r"\\\1{\\hat{\2}}", t)),
    ("layer_spacing", "layer labels spaced (^{ (2) })", lambda t: re.sub(r"\^\{\((\w+)\)\}", r"^{ (\1) }", t)),
)

#: the constructs of the layer / Hessian / Jacobian reading, each with right spellings (never refuted) and
#: wrong ones (never proved or checked): (prose, lhs, [right rhs], [wrong rhs]); the wrong ones differ by
#: construction (a factor 2, a transpose, a layer, the sigmoid's derivative dropped)
_LS = r"Let $X \in \mathbb{R}^{n \times d}$, $\hat{\mathbf{w}} \in \mathbb{R}^{d}$, $\mathbf{y} \in \mathbb{R}^{n}$."
_SQ = r"Let $A \in \mathbb{R}^{n \times n}$ and $\mathbf{w} \in \mathbb{R}^{n}$."
_NET = (r"Let $\mathbf{W}^{(1)} \in \mathbb{R}^{q \times d}$, $\mathbf{W}^{(2)} \in \mathbb{R}^{l \times q}$, "
        r"$\mathbf{x} \in \mathbb{R}^{d}$, $\mathbf{b}^{(1)} \in \mathbb{R}^{q}$.")
_BP = (r"$\sigma(z)=\frac{1}{1+e^{-z}}$; $\hat{\mathbf{y}}\in\mathbb{R}^{l}$, $\mathbf{W}^{(2)} \in \mathbb{R}^{l \times q}$, "
       r"$\mathbf{h}\in\mathbb{R}^{q}$, $\mathbf{b}^{(2)}\in\mathbb{R}^{l}$." "\n\n$$\n\\mathbf{z}^{(2)}=\\mathbf{W}^{(2)}\\mathbf{h}"
       "+\\mathbf{b}^{(2)}\n$$\n\n$$\n\\hat{\\mathbf{y}}=\\sigma(\\mathbf{z}^{(2)})\n$$\n\n$$\nE=\\frac{1}{2}\\|\\hat{\\mathbf{y}}"
       "-\\mathbf{y}\\|_2^2\n$$\n\n")
CONSTRUCTS = (
    (_LS, r"\frac{\partial^2 \|\mathbf{y}-X\hat{\mathbf{w}}\|_2^2}{\partial \hat{\mathbf{w}}\,\partial \hat{\mathbf{w}}^\top}",
     [r"2X^\top X", r"2X^{\mathrm{T}}X", r"X^\top X + X^\top X"], [r"X^\top X", r"4X^\top X", r"-2X^\top X"]),
    (_LS, r"\frac{\partial}{\partial \hat{\mathbf{w}}^\top}\left(2X^\top X\hat{\mathbf{w}} - 2X^\top\mathbf{y}\right)",
     [r"2X^\top X", r"2(X^\top X)^\top"], [r"X^\top X", r"2X^\top X - 2X^\top\mathbf{y}\mathbf{1}^\top"]),
    (_SQ, r"\frac{\partial}{\partial \mathbf{w}^\top}(A\mathbf{w})", [r"A", r"(A^\top)^\top"], [r"A^\top", r"2A"]),
    (_SQ, r"\frac{\partial}{\partial \mathbf{w}^\top}(\mathbf{w}^\top A\mathbf{w})",
     [r"\mathbf{w}^\top(A + A^\top)", r"\mathbf{w}^\top A + \mathbf{w}^\top A^\top"], [r"2\mathbf{w}^\top A", r"\mathbf{w}^\top A"]),
    (_NET, r"\mathbf{W}^{(1)}\mathbf{x}+\mathbf{b}^{(1)}", [r"\mathbf{b}^{(1)}+\mathbf{W}^{(1)}\mathbf{x}",
     r"\mathbf{b}^{ (1) } + \mathbf{W}^{(1)}\mathbf{x}"], [r"\mathbf{b}^{(1)}-\mathbf{W}^{(1)}\mathbf{x}", r"\mathbf{W}^{(1)}\mathbf{x}"]),
    (_NET, r"(\mathbf{W}^{(2)}\mathbf{W}^{(1)}\mathbf{x})^\top", [r"\mathbf{x}^\top(\mathbf{W}^{(1)})^\top(\mathbf{W}^{(2)})^\top"],
     [r"\mathbf{x}^\top(\mathbf{W}^{(2)})^\top(\mathbf{W}^{(1)})^\top", r"\mathbf{x}^\top\mathbf{W}^{(1)}(\mathbf{W}^{(2)})^\top"]),
    (_BP, r"\frac{\partial E}{\partial\mathbf{z}^{(2)}}",
     [r"(\hat{\mathbf{y}}-\mathbf{y})\odot\hat{\mathbf{y}}\odot(\mathbf{1}-\hat{\mathbf{y}})",
      r"\hat{\mathbf{y}}\odot(\mathbf{1}-\hat{\mathbf{y}})\odot(\hat{\mathbf{y}}-\mathbf{y})"],
     [r"\hat{\mathbf{y}}-\mathbf{y}", r"(\hat{\mathbf{y}}-\mathbf{y})\odot\hat{\mathbf{y}}"]),
    (_BP + "When $l=1$:\n\n$$\n", r"\frac{\partial E}{\partial z^{(2)}}", [r"(\hat{y}-y)\hat{y}(1-\hat{y})"], [r"\hat{y}-y"]),
    # the Hessian written \nabla^2, d z / d x in the layout the prose states, names with a label, Greek entries
    (_LS, r"\nabla^2_{\hat{\mathbf{w}}}\|\mathbf{y}-X\hat{\mathbf{w}}\|_2^2", [r"2X^\top X", r"2X^{T}X"],
     [r"X^\top X", r"2XX^\top", r"4X^\top X"]),
    (_SQ, r"\nabla^{2}_{\mathbf{w}}(\mathbf{w}^\top A\mathbf{w})", [r"A + A^\top", r"A^\top + A"], [r"2A", r"A"]),
    (_SQ + " Derivatives are in the denominator layout.", r"\frac{\partial (A\mathbf{w})}{\partial \mathbf{w}}",
     [r"A^\top", r"A^{\mathrm{T}}"], [r"A", r"2A^\top"]),
    (_SQ + " 本文采用分子布局。", r"\frac{\partial (A\mathbf{w})}{\partial \mathbf{w}}", [r"A", r"(A^\top)^\top"],
     [r"A^\top", r"-A"]),
    (_LS + "\n\n$$\n\\hat{\\mathbf{w}}_{\\text{ridge}} = (X^\\top X + I_d)^{-1}X^\\top\\mathbf{y}\n$$\n\n",
     r"X\hat{\mathbf{w}}_{\text{ridge}}", [r"X(X^\top X + I_d)^{-1}X^\top\mathbf{y}", r"XX^\top(XX^\top + I_n)^{-1}\mathbf{y}"],
     [r"X(X^\top X)^{-1}X^\top\mathbf{y}", r"X^\top X(XX^\top + I_n)^{-1}\mathbf{y}"]),
    (r"The rows of $X \in \mathbb{R}^{n \times d}$ are $\mathbf{x}_i^\top$, $\mathbf{w} \in \mathbb{R}^{d}$, $\sigma$ is the "
     r"logistic function." "\n\n$$\n\\sigma_i = \\sigma(\\mathbf{w}^\\top\\mathbf{x}_i)\n$$\n\n",
     r"\nabla_{\mathbf{w}}\sum_{i=1}^{n}\log\sigma_i", [r"\sum_{i=1}^{n}(1 - \sigma_i)\mathbf{x}_i"],
     [r"\sum_{i=1}^{n}\sigma_i\mathbf{x}_i", r"\sum_{i=1}^{n}(1 - \sigma_i)"]),
)


def run_constructs(budget: float = 10.0) -> dict:
    """The CONSTRUCTS: right spellings never refuted, wrong ones never proved or checked."""
    from verifier.notes.linalg_check import check_matrix_step

    right = wrong = refuted = decided = 0
    alarms, missed = [], []
    for prose, lhs, rights, wrongs in CONSTRUCTS:
        for rhs in rights:
            right += 1
            v = check_matrix_step(lhs, rhs, prose, budget=budget)
            decided += v.status in (PROVED, CHECKED)
            if v.status == REFUTED:
                alarms.append((lhs, rhs, v))
        for rhs in wrongs:
            wrong += 1
            v = check_matrix_step(lhs, rhs, prose, budget=budget)
            refuted += v.status == REFUTED
            if v.status in (PROVED, CHECKED):
                missed.append((lhs, rhs, v))
    return {"right": right, "decided": decided, "wrong": wrong, "refuted": refuted, "false_alarms": alarms,
            "missed": missed}


def note_steps() -> list[tuple[str, dict, str]]:
    """(note, step, prose) for every right `=` claim of the linalg fixtures."""
    from verifier.notes.linalg_check import prose_before

    out = []
    for lab in sorted(FIXTURES.glob("*.labels.json")):
        data = json.loads(lab.read_text(encoding="utf-8"))
        lines = (FIXTURES / data["note"]).read_text(encoding="utf-8").splitlines()
        for st in data["steps"]:
            if st["kind"] == "claim" and st["rel"] == "=" and st["expect"] == "right":
                out.append((data["note"], st, prose_before(lines, st["line"])))
    return out


def _judge(lhs: str, rhs: str, mutant: str, prose: str, seed: int) -> bool | None:
    """Do the reading's right side and the mutant's differ at explicit integer matrices (tests/matrix_values,
    not the engine)?  None when they cannot be judged there (sums, functions of vectors)."""
    from verifier.notes.linalg_check import read_step

    try:
        _, b, ctx, _ = read_step(lhs, rhs, prose)
        _, m, ctx2, _ = read_step(lhs, mutant, prose)
    except Exception:  # noqa: BLE001 - a mutant the reading refuses is unknown, not judged
        return None
    rng = random.Random(seed)
    if {x.name for x in ctx.matrices} != {x.name for x in ctx2.matrices}:
        return True
    sizes = {s: 2 + k % 2 for k, s in enumerate(sorted(ctx.sizes, key=str))}
    try:
        mv = {}
        for mat, dom in ctx.matrices.items():
            r, c = (int(sp.sympify(x).xreplace(sizes)) for x in mat.shape)
            base = sp.Matrix(r, c, lambda i, j: rng.randint(-3, 3))
            mv[mat] = sp.ImmutableMatrix(base * base.T + sp.eye(r) if dom.kind in ("spd", "symmetric") else base)
        mv2 = {next(x for x in ctx2.matrices if x.name == mat.name): v for mat, v in mv.items()}
        scal = {x: sp.Rational(rng.randint(1, 9), 4) for x in ctx.scalars}
        scal2 = {next(y for y in ctx2.scalars if y.name == x.name): v for x, v in scal.items() if x.name in {y.name for y in ctx2.scalars}}
        return differs(value(b, ctx, sizes, mv, scal), value(m, ctx2, sizes, mv2, scal2))
    except Exception:  # noqa: BLE001 - not judged here
        return None


def run_notes(budget: float = 10.0) -> dict:
    from verifier.notes.linalg_check import check_matrix_step

    decided, killed, judged, missed, unjudged, respelled, alarms, kept = 0, 0, 0, [], 0, 0, [], 0
    for k, (note, st, prose) in enumerate(note_steps()):
        lhs, rhs = st["lhs"], st["rhs"]
        base = check_matrix_step(lhs, rhs, prose, budget=budget)
        if base.status not in (PROVED, CHECKED):
            continue  # the reading stops here: its mutants say nothing
        decided += 1
        for name, desc, fn in TEXT_MUTANTS:
            mutant = fn(rhs)
            if mutant == rhs:
                continue
            v = check_matrix_step(lhs, mutant, prose, budget=budget)
            if v.status == REFUTED:
                judged, killed = judged + 1, killed + 1
                continue
            if v.status in (PROVED, CHECKED):
                real = _judge(lhs, rhs, mutant, prose, k)
                if real is None:
                    unjudged += 1
                elif real:
                    judged += 1
                    missed.append((note, st["line"], name, mutant, v))
                continue
            judged += 1  # unknown: not accepted
        for name, desc, fn in SPELLINGS:
            nl, nr = fn(lhs), fn(rhs)
            if (nl, nr) == (lhs, rhs):
                continue
            respelled += 1
            v = check_matrix_step(nl, nr, prose, budget=budget)
            if v.status == REFUTED:
                alarms.append((note, st["line"], name, nr, v))
            elif v.status == base.status:
                kept += 1
    return {"decided": decided, "mutants": judged, "refuted": killed, "missed": missed, "unjudged": unjudged,
            "respelled": respelled, "false_alarms": alarms, "kept": kept}


def main() -> int:
    r = run()
    print(f"linalg mutants: {r['mutants']} judged different, {r['refuted']} refuted, "
          f"{len(r['missed'])} proved or checked (must be 0); {r['skipped']} still equal or not judged")
    print(f"linalg rewrites: {r['rewrites']} meaning-preserving, {len(r['false_alarms'])} refuted (must be 0)")
    for c, v in r["missed"] + r["false_alarms"]:
        print(f"  {c.derivation} step {c.index} {c.kind} ({c.description}): {v.status} {v.method} {v.message[:160]}")
    n = run_notes()
    print(f"note mutants: {n['decided']} right steps of the linalg notes decided; {n['mutants']} text mutants "
          f"judged, {n['refuted']} refuted, {len(n['missed'])} proved or checked though different (must be 0), "
          f"{n['unjudged']} accepted but not judged independently")
    print(f"note respellings: {n['respelled']} meaning-preserving, {len(n['false_alarms'])} refuted (must be 0), "
          f"{n['kept']} keep the verdict of the step as written")
    for note, line, name, text, v in n["missed"] + n["false_alarms"]:
        print(f"  {note} line {line} {name}: {text[:80]!r}: {v.status} {v.message[:120]}")
    c = run_constructs()
    print("new constructs (layers, accents, Jacobians, Hessians, 1 x 1 layers, stated layouts, labelled names, "
          f"Greek entries): {c['right']} right spellings, "
          f"{c['decided']} proved or checked, {len(c['false_alarms'])} refuted (must be 0); {c['wrong']} wrong, "
          f"{c['refuted']} refuted, {len(c['missed'])} proved or checked (must be 0)")
    for lhs, rhs, v in c["missed"] + c["false_alarms"]:
        print(f"  {lhs[:50]!r} = {rhs[:50]!r}: {v.status} {v.message[:120]}")
    bad = r["missed"] or r["false_alarms"] or n["missed"] or n["false_alarms"] or c["missed"] or c["false_alarms"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
