"""Numeric evidence with concrete matrices: sizes, entries, two precisions, counterexamples.

Sizes are drawn for the size symbols in the shapes (square and non-square: n = 2, d = 3 and
n = 3, d = 2 and more); entries are exact rationals inside the declared kinds (symmetric
positive definite as A A^T + I, probability vectors normalised), small integers first so that
a counterexample reads well.  Each matrix symbol becomes an explicit matrix of entry symbols,
a gradient is the matrix of partial derivatives, and the difference of the two sides is
evaluated at 30 and at 60 digits: agreement needs both, a refutation needs a difference that
does not move.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

import mpmath
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from verifier.model.context import Context
from verifier.model.exprs import as_expr
from verifier.model.shapes import Jacobian

WORK_DPS, CONFIRM_DPS = 30, 60
SIZE_PLAN = ((2, 3, 4), (3, 2, 2), (1, 1, 1), (2, 2, 3), (4, 3, 2), (3, 4, 1), (1, 3, 2), (3, 1, 4))


@dataclass
class Point:
    sizes: dict
    matrices: dict  # MatrixSymbol (symbolic shape) -> ImmutableMatrix of rationals
    scalars: dict


@dataclass
class Outcome:
    kind: str  # 'agree' | 'refuted' | 'none'
    message: str
    counterexample: dict | None = None
    points: int = 0


def matrix_symbols(*exprs: sp.Basic) -> list[sp.MatrixSymbol]:
    out: set = set()
    for e in exprs:
        out |= {a for a in sp.preorder_traversal(e) if isinstance(a, sp.MatrixSymbol)}
    return sorted(out, key=lambda m: m.name)


def size_symbols(ctx: Context, *exprs: sp.Basic) -> list[sp.Symbol]:
    syms: set = set()
    for m in matrix_symbols(*exprs):
        syms |= as_expr(m.shape[0]).free_symbols | as_expr(m.shape[1]).free_symbols
    for e in exprs:
        syms |= {s for s in e.free_symbols if s in ctx.sizes}
    return sorted(syms, key=lambda s: s.name)


def size_choices(sizes: list[sp.Symbol], ctx: Context, equal: list[tuple] = ()) -> list[dict]:
    """Assignments of the sizes (several, square and not); `equal` ties sizes together."""
    rep = {s: s for s in sizes}
    for a, b in equal:
        if a in rep and b in rep:
            ra, rb = rep[a], rep[b]
            for s in sizes:
                if rep[s] == rb:
                    rep[s] = ra
    roots = sorted(set(rep.values()), key=lambda s: s.name)
    out = []
    for plan in SIZE_PLAN:
        vals = {r: max(plan[k % len(plan)], ctx.sizes.get(r, 1)) for k, r in enumerate(roots)}
        choice = {s: vals[rep[s]] for s in sizes}
        if choice not in out:
            out.append(choice)
    return out


def _rational(rng: random.Random, small: bool, lo: int = -3, hi: int = 3) -> sp.Rational:
    if small:
        return sp.Integer(rng.randint(lo, hi))
    return sp.Rational(rng.randint(lo * 8, hi * 8), rng.choice((3, 4, 5, 7)))


def _entries(kind: str, rows: int, cols: int, rng: random.Random, small: bool) -> sp.ImmutableMatrix:
    if kind in ("positive", "probability"):
        m = sp.Matrix(rows, cols, lambda i, j: abs(_rational(rng, small, 1, 4)) or 1)
        if kind == "probability":
            m = m / sum(m)
        return sp.ImmutableMatrix(m)
    if kind == "onehot":
        hot = rng.randrange(rows)
        return sp.ImmutableMatrix(rows, cols, lambda i, j: sp.Integer(1 if i == hot else 0))
    if kind == "binary":
        return sp.ImmutableMatrix(rows, cols, lambda i, j: sp.Integer(rng.randint(0, 1)))
    if kind == "unit":
        return sp.ImmutableMatrix(rows, cols, lambda i, j: sp.Rational(rng.randint(1, 9), 10))
    a = sp.Matrix(rows, cols, lambda i, j: _rational(rng, small))
    if kind == "symmetric":
        return sp.ImmutableMatrix(a + a.T)
    if kind == "spd":
        return sp.ImmutableMatrix(a * a.T + sp.eye(rows))
    return sp.ImmutableMatrix(a)


def _scalar(kind: str, rng: random.Random, small: bool) -> sp.Rational:
    if kind in ("positive",):
        return sp.Rational(rng.randint(1, 12), 4 if not small else 1)
    if kind == "nonnegative":
        return sp.Rational(rng.randint(0, 12), 4)
    if kind in ("unit",):
        return sp.Rational(rng.randint(1, 9), 10)
    if kind == "onehot":
        hot = rng.randrange(rows)
        return sp.ImmutableMatrix(rows, cols, lambda i, j: sp.Integer(1 if i == hot else 0))
    if kind == "binary":
        return sp.Integer(rng.randint(0, 1))
    if kind == "integer":
        return sp.Integer(rng.randint(-3, 3))
    return _rational(rng, small)


def points(ctx: Context, a: sp.Basic, b: sp.Basic, seed: int, count: int = 12,
           equal: list[tuple] = ()) -> list[Point]:
    rng = random.Random(seed)
    mats = matrix_symbols(a, b)
    sizes = size_symbols(ctx, a, b)
    scal = sorted((s for s in (a.free_symbols | b.free_symbols)
                   if s in ctx.scalars), key=lambda s: s.name)
    choices = size_choices(sizes, ctx, equal)
    out = []
    for k in range(count):
        sz = choices[k % len(choices)]
        small = k < len(choices)
        mv = {}
        for m in mats:
            r, c = int(as_expr(m.shape[0]).xreplace(sz)), int(as_expr(m.shape[1]).xreplace(sz))
            kind = getattr(ctx.matrices.get(m), "kind", "real")
            mv[m] = _entries(kind, r, c, rng, small)
        sv = {s: _scalar(ctx.scalars[s].kind, rng, small) for s in scal}
        out.append(Point(sz, mv, sv))
    return out


def explicit(e: sp.Basic, p: Point) -> sp.Basic:
    """e with the sizes of p and every matrix symbol an explicit matrix of entry symbols;
    returns (expression, {entry symbol: value})."""
    table: dict = {}
    syms: dict = {}
    variables = {v.parent if isinstance(v, MatrixElement) else v  # d f / d w_j: w needs entry symbols
                 for d in sp.preorder_traversal(e) if isinstance(d, sp.Derivative) for v in d.variables}
    variables |= {d.variable for d in sp.preorder_traversal(e) if isinstance(d, Jacobian)}
    for m, val in p.matrices.items():
        r, c = val.shape
        if m not in variables:  # only a gradient's variable needs entry symbols
            syms[m] = val
            continue
        s = sp.ImmutableMatrix(r, c, lambda i, j: sp.Symbol(f"{m.name}__{i}_{j}", real=True))
        syms[m] = s
        for i in range(r):
            for j in range(c):
                table[s[i, j]] = val[i, j]
    fixed = {k: v for k, v in p.scalars.items() if k not in variables}  # numbers before any inverse
    for k, v in p.scalars.items():
        if k in variables:
            table[k] = v
    return _explicit(e.xreplace(fixed) if fixed else e, syms, p.sizes), table


def _explicit(e: sp.Basic, syms: dict, sizes: dict) -> sp.Basic:
    if isinstance(e, sp.MatrixSymbol):
        return syms[e]
    if isinstance(e, sp.Derivative) and isinstance(e.variables[0], sp.MatrixSymbol):
        f = _explicit(e.expr, syms, sizes)
        f = f.doit() if hasattr(f, "doit") else f
        if isinstance(f, sp.MatrixBase):
            f = f[0, 0]
        v = syms[e.variables[0]]
        return sp.ImmutableMatrix(v.shape[0], v.shape[1], lambda i, j: sp.diff(f, v[i, j]))
    if isinstance(e, Jacobian):  # the matrix of the d f_i / d v_j
        f = _explicit(e.function, syms, sizes)
        f = f.doit() if hasattr(f, "doit") else f
        if isinstance(f, sp.matrices.expressions.MatrixExpr):
            f = f.as_explicit()
        if not isinstance(f, sp.MatrixBase):
            f = sp.ImmutableMatrix([[f]])
        v = syms[e.variable]
        return sp.ImmutableMatrix(f.shape[0], v.shape[0], lambda i, j: sp.diff(f[i, 0], v[j, 0]))
    if isinstance(e, sp.Symbol) and e in sizes:
        return sp.Integer(sizes[e])
    if not e.args:
        return e
    args = [_explicit(a, syms, sizes) if isinstance(a, sp.Basic) else a for a in e.args]
    if isinstance(e, (sp.Sum, sp.Product)) and all(lim[1].is_Integer and lim[2].is_Integer for lim in args[1:]):
        return _unroll(e.func, args[0], args[1:])
    if isinstance(e, (sp.Sum, sp.Product)):
        return e.func(*args).doit()
    if isinstance(e, (sp.Identity, sp.ZeroMatrix, sp.OneMatrix)):
        return sp.ImmutableMatrix(e.func(*args).as_explicit())
    if isinstance(e, sp.MatPow) and not args[1].is_Integer:  # A^{1/2}, A^t: no value taken here
        raise ArithmeticError(f"a matrix power whose exponent is not an integer: {sp.sstr(args[1])}")
    return e.func(*args)


def _unroll(kind, body: sp.Basic, limits) -> sp.Basic:
    """A sum or product over concrete limits, term by term (entries of explicit matrices evaluate)."""
    (x, lo, hi), rest = limits[0], limits[1:]
    terms = []
    for v in range(int(lo), int(hi) + 1):
        t = body.xreplace({x: sp.Integer(v)})
        if rest:
            t = _unroll(kind, t, [(y, a.xreplace({x: v}), b.xreplace({x: v})) for y, a, b in rest])
        terms.append(t)
    return sp.Add(*terms) if kind is sp.Sum else sp.Mul(*terms)


def _explicit_value(e: sp.Basic, p: Point) -> tuple:
    """(e at the sizes and matrices of p, done and explicit; {entry symbol: value}) for e's variables."""
    x, table = explicit(e, p)
    x = x.doit() if hasattr(x, "doit") else x
    if isinstance(x, sp.matrices.expressions.MatrixExpr):
        x = x.as_explicit()
    return x, table


def exact_entries(e: sp.Basic, p: Point) -> list:
    """The entries of e at p (a list; one entry for a scalar), exact where the point is: computed
    once, then evaluated at each precision (:func:`numbers`)."""
    x, table = _explicit_value(e, p)
    vals = list(x) if isinstance(x, sp.MatrixBase) else [x]
    return [as_expr(v).xreplace(table) for v in vals]


def numbers(entries: list, dps: int) -> list:
    """Exact entries as mpmath numbers at dps digits; ArithmeticError where one is not real."""
    out = []
    for z in entries:
        n = sp.N(z, dps)
        if not n.is_number or n.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or not n.is_real:
            raise ArithmeticError(f"not a real number: {sp.sstr(n)}")
        out.append(mpmath.mpf(sp.Float(n, dps)._mpf_) if n != 0 else mpmath.mpf(0))
    return out


def _agree(xs: list, ys: list, dps: int) -> bool:
    with mpmath.workdps(dps + 5):
        for x, y in zip(xs, ys):
            scale = max(mpmath.mpf(1), abs(x), abs(y))
            if abs(x - y) > scale * mpmath.mpf(10) ** (-(dps - 8)):
                return False
    return True


def matrix_latex(v: sp.MatrixBase) -> str:
    if v.shape == (1, 1):  # a 1 x 1 matrix is the number the note writes
        return sp.latex(v[0, 0])
    rows = [" & ".join(sp.latex(v[i, j]) for j in range(v.shape[1])) for i in range(v.shape[0])]
    return r"\begin{pmatrix}" + r" \\ ".join(rows) + r"\end{pmatrix}"


def counterexample(p: Point) -> dict:
    cex = {str(s): str(v) for s, v in p.sizes.items()}
    for m, v in p.matrices.items():
        cex[m.name] = matrix_latex(v)
    for s, v in p.scalars.items():
        cex[str(s)] = str(v)
    return cex


def _sides(a: sp.Basic, b: sp.Basic, p: Point) -> str:
    """'; the left side is ..., the right side ...' for small exact results (a product computed by hand)."""
    try:
        xa, xb = (_exact(e, p) for e in (a, b))
    except Exception:  # noqa: BLE001 - the values are only for the message
        return ""
    if xa is None or xb is None:
        return ""
    return f"; the left side is {xa}, the right side {xb}"


def _exact(e: sp.Basic, p: Point) -> str | None:
    x, table = _explicit_value(e, p)
    if isinstance(x, sp.MatrixBase):
        x = sp.ImmutableMatrix(x.shape[0], x.shape[1], lambda i, j: as_expr(x[i, j]).xreplace(table))
        if len(x) > 9 or not all(v.is_Rational for v in x):
            return None
        return matrix_latex(x)
    v = as_expr(x).xreplace(table)
    return sp.latex(v) if v.is_Rational else None


def compare(a: sp.Basic, b: sp.Basic, ctx: Context, seed: int, equal: list[tuple] = (),
            count: int = 12, need: int = 6) -> Outcome:
    """Numeric comparison of a = b at `count` concrete points; agreement needs `need` of them."""
    agree = 0
    errors = []
    for p in points(ctx, a, b, seed, count, equal=equal):
        try:
            za, zb = exact_entries(a, p), exact_entries(b, p)
            xa, xb = numbers(za, WORK_DPS), numbers(zb, WORK_DPS)
        except (ArithmeticError, TypeError, ValueError, sp.ShapeError,
                IndexError, sp.matrices.exceptions.NonInvertibleMatrixError) as exc:  # undefined here
            errors.append(str(exc))
            continue
        if len(xa) != len(xb) and not (len(xa) == 1 or len(xb) == 1):
            return Outcome("none", "the sides have different numbers of entries")
        if len(xa) != len(xb):
            continue
        if _agree(xa, xb, WORK_DPS):
            ca, cb = numbers(za, CONFIRM_DPS), numbers(zb, CONFIRM_DPS)
            if _agree(ca, cb, CONFIRM_DPS):
                agree += 1
            continue
        ca, cb = numbers(za, CONFIRM_DPS), numbers(zb, CONFIRM_DPS)
        if not _agree(ca, cb, CONFIRM_DPS) and not _agree(ca, cb, WORK_DPS):
            sizes = ", ".join(f"{s} = {v}" for s, v in p.sizes.items())
            diff = max(abs(x - y) for x, y in zip(ca, cb))
            sizes = f" ({sizes})" if sizes else ""
            return Outcome("refuted", f"the sides differ at concrete matrices{sizes}: largest entry "
                           f"difference {mpmath.nstr(diff, 8)}{_sides(a, b, p)}", counterexample(p), agree)
    if agree >= need:
        return Outcome("agree", f"agree at {agree} random points (matrices of several sizes, 30 and 60 digits)",
                       points=agree)
    why = f"; {errors[0]}" if errors else ""
    return Outcome("none", f"only {agree} admissible points agree{why}", points=agree)
