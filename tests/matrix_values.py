"""Independent re-evaluation of matrix counterexamples (plain SymPy matrices and mpmath, not the
engine's numeric code): parse the pmatrix text, substitute, differentiate by mpmath.diff."""
from __future__ import annotations

import re

import mpmath
import sympy as sp

_FRAC = re.compile(r"^(-?)\\frac\{(\d+)\}\{(\d+)\}$")


def parse_entry(text: str) -> sp.Rational:
    text = text.strip()
    m = _FRAC.match(text)
    if m:
        v = sp.Rational(int(m.group(2)), int(m.group(3)))
        return -v if m.group(1) else v
    return sp.Rational(text)


def parse_pmatrix(text: str) -> sp.ImmutableMatrix:
    body = text.strip()
    assert body.startswith(r"\begin{pmatrix}") and body.endswith(r"\end{pmatrix}"), body
    body = body[len(r"\begin{pmatrix}"): -len(r"\end{pmatrix}")]
    rows = [[parse_entry(c) for c in row.split("&")] for row in body.split(r"\\")]
    return sp.ImmutableMatrix(rows)


def assignment(ctx, cex: dict) -> tuple[dict, dict, dict]:
    sizes = {s: int(cex[s.name]) for s in ctx.sizes if s.name in cex}
    mats = {m: parse_pmatrix(cex[m.name]) for m in ctx.matrices if m.name in cex}
    scal = {s: sp.Rational(cex[s.name]) for s in ctx.scalars if s.name in cex}
    return sizes, mats, scal


def value(expr, ctx, sizes: dict, mats: dict, scal: dict, dps: int = 40) -> list:
    """Entries of expr (a list) at the assignment; gradients by numerical differentiation."""
    mpmath.mp.dps = dps
    if isinstance(expr, sp.Derivative) and isinstance(expr.variables[0], sp.MatrixSymbol):
        var = expr.variables[0]
        base = mats[var]
        out = []
        for k in range(base.shape[0]):
            for l in range(base.shape[1]):
                def f(t, k=k, l=l):
                    m = sp.Matrix(base)
                    m[k, l] = m[k, l] + sp.Float(t, dps)
                    return value(expr.expr, ctx, sizes, {**mats, var: sp.ImmutableMatrix(m)}, scal, dps)[0]
                out.append(mpmath.diff(f, 0))
        return out
    e = expr.xreplace({s: sp.Integer(v) for s, v in sizes.items()})
    concrete = {sp.MatrixSymbol(m.name, *[sp.Integer(sp.sympify(x).xreplace(sizes)) for x in m.shape]): v
                for m, v in mats.items()}
    e = e.xreplace(concrete).xreplace(scal)
    e = e.doit()
    if isinstance(e, sp.MatrixExpr):
        e = e.as_explicit()
    vals = list(e) if isinstance(e, sp.MatrixBase) else [e]
    return [mpmath.mpf(sp.N(sp.sympify(v).doit(), dps)) for v in vals]


def differs(a: list, b: list) -> bool:
    if len(a) != len(b):
        return True
    return max(abs(x - y) for x, y in zip(a, b)) > mpmath.mpf(10) ** -10


def names(c) -> dict:
    """The context's matrices, sizes and scalars by name."""
    out = {m.name: m for m in c.matrices}
    out.update({s.name: s for s in c.sizes})
    out.update({s.name: s for s in c.scalars})
    return out


def assert_refuted_independently(c, a, b, v) -> None:
    """v refutes a = b, and its counterexample makes the two sides differ when re-evaluated here."""
    from verifier.model.results import REFUTED

    assert v.status == REFUTED, (v.status, v.message)
    sizes, mats, scal = assignment(c, v.counterexample)
    assert differs(value(a, c, sizes, mats, scal), value(b, c, sizes, mats, scal)), v.counterexample
