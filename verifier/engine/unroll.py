"""Sums and products with concrete limits written out term by term, for numeric evaluation.

``Sum.doit()`` first looks for a closed form, which is the slow part of sampling; at a sampled
size the sum is a finite list of terms, and writing them out is the definition.  Long ranges,
and limits in SymPy's reversed (Karr) convention, are left to ``doit``.
"""
from __future__ import annotations

import sympy as sp

#: ranges longer than this are summed by SymPy (a closed form beats ten thousand terms)
MAX_TERMS = 400


def unroll(expr: sp.Basic, sizes: dict) -> sp.Basic:
    """Substitute concrete sizes and write every Sum/Product with concrete limits as its terms."""
    # only the sizes the expression leaves free: lim_{T -> oo} sum_{t<T} keeps its bound T
    free = {k: sp.Integer(v) for k, v in sizes.items() if k in expr.free_symbols} if sizes else {}
    e = expr.xreplace(free) if free else expr
    if not e.has(sp.Sum, sp.Product):
        return e
    return e.replace(lambda x: isinstance(x, (sp.Sum, sp.Product)) and concrete_limits(x), written_out)


def interned(expr: sp.Basic) -> sp.Basic:
    """expr with every concrete entry x[2] one object: SymPy does not intern Indexed, and looking
    an entry up among a point's values compares equal copies field by field."""
    entries = expr.atoms(sp.Indexed)
    return expr.xreplace({e: e for e in entries}) if entries else expr


def concrete_limits(x: sp.Basic) -> bool:
    return all(lo.is_number and hi.is_number for _, lo, hi in x.limits)


def written_out(x: sp.Sum | sp.Product) -> sp.Basic:
    """The terms of a sum (factors of a product) with concrete limits, inner ones written out too."""
    body = x.function
    limits = list(x.limits)
    (i, lo, hi) = limits[-1]  # the outermost limit (SymPy lists the innermost first)
    if not (lo.is_Integer and hi.is_Integer) or hi - lo + 1 > MAX_TERMS or hi < lo - 1:
        return x.doit()
    inner = type(x)(body, *limits[:-1]) if len(limits) > 1 else body
    combine = sp.Add if isinstance(x, sp.Sum) else sp.Mul
    terms = [inner.xreplace({i: sp.Integer(v)}) for v in range(int(lo), int(hi) + 1)]
    return combine(*[unroll(t, {}) for t in terms])
