"""Sums and products with concrete limits, written out term by term (a sound rewrite).

``Sum(f(k), (k, 0, 1))`` is ``f(0) + f(1)``: a sum or product whose limits are integers
(after definitions are unfolded, e.g. ``m := 2``) with at most :data:`MAX_TERMS` terms is
replaced by its explicit terms, so the normal form can compare it with the written-out
version a post gives (two-class cross-entropy, the coin likelihood over ten tosses).
Larger or symbolic ranges are left alone.
"""
from __future__ import annotations

import sympy as sp

from verifier.engine.rules.registry import rule

MAX_TERMS = 64


def _concrete(lo: sp.Basic, hi: sp.Basic) -> bool:
    return bool(lo.is_Integer and hi.is_Integer and -1 <= hi - lo < MAX_TERMS)


def write_out(e: sp.Basic) -> sp.Basic:
    """Write out the innermost concrete limits of one Sum/Product (else e unchanged).

    ``Sum(f, (i, 1, 2), (j, 1, N))`` becomes ``Sum(f(i=1) + f(i=2), (j, 1, N))``: the inner
    limits come first in SymPy's order, and a concrete inner range does not depend on the
    outer variables, so writing it out is exact.
    """
    limits = list(e.limits)
    k = 0
    while k < len(limits) and _concrete(limits[k][1], limits[k][2]):
        k += 1
    if k == 0:
        return e
    combine = sp.Add if isinstance(e, sp.Sum) else sp.Mul
    body = e.function
    for v, lo, hi in limits[:k]:  # innermost first
        body = combine(*[body.xreplace({v: sp.Integer(t)}) for t in range(int(lo), int(hi) + 1)])
    rest = limits[k:]
    return e.func(body, *rest) if rest else body


@rule
def write_out_finite(expr: sp.Basic, ctx) -> sp.Basic:
    """Replace every Sum/Product with small concrete limits by its terms (innermost first)."""
    if not expr.has(sp.Sum, sp.Product):
        return expr
    return expr.replace(lambda x: isinstance(x, (sp.Sum, sp.Product)), write_out)
