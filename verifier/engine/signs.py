"""Signs that need the context: sums over declared index ranges.

SymPy's assumptions know that ``e^{x_i} > 0`` but not that ``sum_{i=1}^n e^{x_i} - e^{x_j}``
is positive when ``j`` is an index in ``1..n`` and ``n >= 2``.  :func:`sign_holds` proves
``expr > 0`` (or ``>= 0``) structurally, using

* products and quotients: the sign of each factor; powers of positive bases; even powers;
* sums over ``lo..hi``: the sign of the summand, and for strictness a provably non-empty
  range (sizes are at least their declared minimum);
* a sum minus one of its own terms, ``sum_{i=lo}^{hi} f(i) - f(j)`` with ``j`` a declared
  index whose range lies inside ``lo..hi``: the remaining terms ``f(i), i != j``; they are
  non-negative when ``f`` is, and positive when ``f > 0`` and the range has at least two
  elements.

Every rule is a plain fact about finite sums; nothing is concluded from sampled values.
"""
from __future__ import annotations

import sympy as sp

from verifier.model.context import Context


def _with_sizes(e: sp.Basic, ctx: Context) -> sp.Basic:
    """Write each size n as minimum + t with t >= 0, so `n - 1 >= 0` is visible for n >= 1."""
    if not ctx.sizes:
        return e
    mapping = {n: m + sp.Dummy(f"{n.name}_extra", integer=True, nonnegative=True)
               for n, m in ctx.sizes.items()}
    return e.xreplace(mapping)


def _nonneg_int(e: sp.Basic, ctx: Context) -> bool:
    return bool(sp.expand(_with_sizes(e, ctx)).is_nonnegative)


def _index_inside(j: sp.Basic, lo: sp.Basic, hi: sp.Basic, ctx: Context) -> bool:
    """Is the declared index j always inside lo..hi?"""
    if j.is_Integer:
        return _nonneg_int(j - lo, ctx) and _nonneg_int(hi - j, ctx)
    r = ctx.indices.get(j)
    if r is None:
        return False
    return _nonneg_int(r.lo - lo, ctx) and _nonneg_int(hi - r.hi, ctx)


def _summand_sign(f: sp.Basic, i: sp.Symbol, ctx: Context, strict: bool) -> bool:
    return sign_holds(f, ctx, strict)


def sign_holds(expr: sp.Basic, ctx: Context, strict: bool) -> bool:
    """True if expr > 0 (strict) or expr >= 0 is provable from the structure and the context."""
    test = expr.is_positive if strict else expr.is_nonnegative
    if test:
        return True
    if isinstance(expr, sp.Mul):
        if strict:
            return all(sign_holds(f, ctx, True) for f in expr.args)
        return all(sign_holds(f, ctx, False) for f in expr.args)
    if isinstance(expr, sp.Pow):
        if expr.exp.is_real and sign_holds(expr.base, ctx, True):
            return True
        if not strict and expr.exp.is_even and expr.base.is_real:
            return True
        return False
    if isinstance(expr, sp.exp):
        return bool(expr.args[0].is_real)
    if isinstance(expr, sp.Sum) and len(expr.limits) == 1:
        (i, lo, hi), = expr.limits
        if not sign_holds(expr.function, ctx, strict):
            return False
        return not strict or _nonneg_int(hi - lo, ctx)
    if isinstance(expr, sp.Add):
        return _add_sign(list(sp.Add.make_args(expr)), ctx, strict)
    return False


def _peel(terms: list, ctx: Context) -> tuple[list, list[bool]] | None:
    """Find a sum S and a term -f(j) of it; return the other terms and the remainder's strictness."""
    for a, s in enumerate(terms):
        if not (isinstance(s, sp.Sum) and len(s.limits) == 1):
            continue
        (i, lo, hi), = s.limits
        f = s.function
        for b, t in enumerate(terms):
            if b == a:
                continue
            for j in _candidate_indices(t, ctx):
                if not _index_inside(j, lo, hi, ctx):
                    continue
                if sp.expand(t + f.xreplace({i: j})) != 0:
                    continue
                # S - f(j) = sum over i in lo..hi, i != j, of f(i)
                if not sign_holds(f, ctx, False):
                    continue
                strict = sign_holds(f, ctx, True) and _nonneg_int(hi - lo - 1, ctx)
                rest = [x for k, x in enumerate(terms) if k not in (a, b)]
                return rest, [strict]
    return None


def _candidate_indices(t: sp.Basic, ctx: Context) -> list:
    out = [s for s in t.free_symbols if s in ctx.indices]
    for e in t.atoms(sp.Indexed):
        out.extend(k for k in e.indices if k.is_Integer)
    return list(dict.fromkeys(out))


def _add_sign(terms: list, ctx: Context, strict: bool) -> bool:
    if all(sign_holds(t, ctx, False) for t in terms):
        return not strict or any(sign_holds(t, ctx, True) for t in terms)
    peeled = _peel(terms, ctx)
    if peeled is None:
        return False
    rest, remainder_strict = peeled
    if not all(sign_holds(t, ctx, False) for t in rest):
        return False
    return not strict or remainder_strict[0] or any(sign_holds(t, ctx, True) for t in rest)
