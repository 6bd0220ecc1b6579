"""A step between vector / matrix expressions.

1. shapes: both sides well formed and of one shape; a misfit is reported with the shapes
   (refuted only with concrete matrices where the sizes do fit and the sides differ, else
   unknown);
2. proof for every size: matrix algebra (SymPy's transpose / inverse rules), then the index
   form with symbolic dimensions (``index``, ``canonical``), within a share of the budget;
3. without a proof, numeric comparison with concrete matrices of several sizes (``numeric``):
   refuted at a point where the sides differ, ``checked`` when they agree everywhere.
"""
from __future__ import annotations

import sympy as sp

from verifier.engine.matrices import canonical, numeric
from verifier.engine.matrices.index import NotIndexable, entry, free_indices
from verifier.engine.pool import within_share
from verifier.engine.problem import EVIDENCE_SECONDS, PROOF_SHARE
from verifier.model.chain import EQ
from verifier.model.context import Context
from verifier.model.exprs import as_expr
from verifier.model.results import CHECKED, PROVED, REFUTED, UNKNOWN, Verdict
from verifier.model.shapes import Jacobian, ShapeError, compare_shapes, has_matrices


def involves_matrices(a: sp.Basic, b: sp.Basic) -> bool:
    return has_matrices(a) or has_matrices(b)


def _equalities(needs) -> list[tuple]:
    out = []
    for x, y in needs:
        x, y = as_expr(x), as_expr(y)
        if isinstance(x, sp.Symbol) and isinstance(y, sp.Symbol):
            out.append((x, y))
        elif x != y:
            return []
    return out


def decide_matrix(a: sp.Basic, b: sp.Basic, relation: str, ctx: Context, seed: int) -> Verdict:
    if ctx.vectors and any(isinstance(s, sp.Indexed) for s in (a.free_symbols | b.free_symbols)):
        return Verdict(UNKNOWN, "matrices", "indexed data x[i] mixed with matrix symbols is not supported")
    a, b = _zero_as_matrix(a, b), _zero_as_matrix(b, a)
    try:
        sa, _sb = compare_shapes(a, b)
    except ShapeError as exc:
        return _shape_misfit(a, b, relation, ctx, seed, exc)
    if relation != EQ:
        if not (sa.scalar or sa.is_one_by_one):
            return Verdict(UNKNOWN, "matrices", f"an order ({relation}) between {sa} matrices is not defined here")
        return _numeric_only(a, b, relation, ctx, seed)
    # the proof first: concrete matrices are evaluated by SymPy entry by entry, which costs about as
    # much as the proof, and a step whose proof fails is compared in full anyway (a wrong step is
    # refuted there, at its first point that differs)
    method = within_share(PROOF_SHARE, _prove, a, b, ctx, ran_out="", rest_at_least=EVIDENCE_SECONDS)
    if method:
        return Verdict(PROVED, method)
    num = numeric.compare(a, b, ctx, seed)  # no proof: the evidence in full
    if num.kind == "refuted":
        return Verdict(REFUTED, "numeric (matrices)", num.message, num.counterexample)
    if num.kind == "agree":
        return Verdict(CHECKED, "numeric (matrices)", num.message + "; no proof for every size found")
    return Verdict(UNKNOWN, "matrices", f"no proof for every size found, and {num.message}")


def _zero_as_matrix(x: sp.Basic, other: sp.Basic) -> sp.Basic:
    """``... = 0`` against a vector or matrix means the zero matrix of its shape."""
    if x == 0 and not isinstance(x, sp.MatrixExpr):
        try:
            s = compare_shapes(other, other)[0]
        except ShapeError:
            return x
        if not s.scalar:
            return sp.ZeroMatrix(s.rows, s.cols)
    return x


def _numeric_only(a, b, relation, ctx, seed) -> Verdict:
    return Verdict(UNKNOWN, "matrices", f"inequalities ({relation}) between matrix expressions are not decided yet")


def _shape_misfit(a, b, relation, ctx, seed, exc: ShapeError) -> Verdict:
    eq = _equalities(exc.needs)
    msg = f"shapes: {exc}"
    if eq and relation == EQ:
        tied = ", ".join(f"{x} = {y}" for x, y in eq)
        num = numeric.compare(a, b, ctx, seed, equal=eq)
        if num.kind == "refuted":
            return Verdict(REFUTED, "shapes; numeric (matrices)",
                           f"{msg}; even where the sizes fit ({tied}) the sides differ: {num.message}",
                           num.counterexample)
        return Verdict(UNKNOWN, "shapes", f"{msg} (it is well formed only when {tied})")
    return Verdict(UNKNOWN, "shapes", msg)


def _zero(d: sp.Basic) -> bool:
    if isinstance(d, sp.MatrixBase):  # literals: every entry simplifies to 0
        return all(sp.simplify(x) == 0 for x in d)
    return d == 0 or isinstance(d, sp.ZeroMatrix) or sp.expand(d) == 0


def _prove(a: sp.Basic, b: sp.Basic, ctx: Context) -> str:
    if not (a.has(sp.Derivative) or b.has(sp.Derivative) or a.has(sp.Sum) or b.has(sp.Sum) or
            a.has(Jacobian) or b.has(Jacobian)):
        try:
            d = (a - b).doit()
            if not _zero(d):
                d = sp.expand(a - b).doit()
            if _zero(d):
                inv = " where the inverses exist" if (a.has(sp.Inverse) or b.has(sp.Inverse)) else ""
                return f"matrix algebra (transpose / inverse rules), every size{inv}"
        except Exception:  # noqa: BLE001 - SymPy refuses some mixed forms; the index route decides
            pass
    sa, _ = compare_shapes(a, b)
    rows, cols = (1, 1) if sa.scalar else (sa.rows, sa.cols)
    k, l = free_indices(rows, cols)
    ranges = {}
    if isinstance(k, sp.Symbol):
        ranges[k] = (sp.Integer(0), rows - 1)
    if isinstance(l, sp.Symbol):
        ranges[l] = (sp.Integer(0), cols - 1)
    try:
        ea = entry(a, k, l)
        eb = entry(b, k, l)
        if canonical.is_zero(ea - eb, ctx, ranges):
            where = "entry (k, l)" if len(ranges) == 2 else ("entry k" if ranges else "the scalar")
            return f"index form with symbolic dimensions ({where}), every size"
    except (NotIndexable, canonical.TooLarge, TypeError, IndexError, ValueError):
        return ""  # (explicit literals have no symbolic entry (k, l))
    return ""
