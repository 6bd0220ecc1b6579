"""A normal form for expressions with sums and products over index ranges.

``simplify(log(Product(...)) - Sum(...))`` does not reach 0.  This does:

1. ``log`` of products and powers is expanded where SymPy can see positivity
   (symbols are declared ``positive=True``; never ``force=True``);
2. a ``Sum`` is split by linearity, factors free of its index are pulled out (sums that differ
   only in the name of their index, now side by side, are then one sum: ``sum_k a_k / sum_j a_j``
   is 1);
3. the normalisation of probability vectors (``sum_i p_i = 1``) is applied;
4. sums with equal limits are merged under one canonical index and the merged
   summand is simplified.
"""
from __future__ import annotations

import sympy as sp

from verifier.model.context import Context, index_assumptions

#: the bound index every single sum is renamed to before sums are compared or merged
CANONICAL_INDEX = sp.Symbol("_k", integer=True, positive=True)


def expand_logs(expr: sp.Basic) -> sp.Basic:
    """log(a*b) -> log a + log b, log(a^k) -> k log a, log(prod) -> sum log, where sound."""
    e = sp.expand_log(expr, deep=True)
    # log(Product(f)) -> Sum(log f) when every factor is known positive
    def is_log_prod(x):
        return isinstance(x, sp.log) and isinstance(x.args[0], sp.Product) and x.args[0].function.is_positive

    def log_prod(x):
        p = x.args[0]
        return sp.Sum(sp.expand_log(sp.log(p.function), deep=True), *p.limits)

    if e.has(sp.Product):
        e = e.replace(is_log_prod, log_prod)
    return e


def _split_nested(s: sp.Sum) -> sp.Sum:
    """Sum(e, (i,..), (j,..)) -> Sum(Sum(e, (i,..)), (j,..))."""
    if len(s.limits) == 1:
        return s
    inner = s.function
    for lim in s.limits:
        inner = sp.Sum(inner, lim)
    return inner


def linear_sum(s: sp.Sum) -> sp.Basic:
    """Split one single-limit Sum by linearity and pull out index-free factors."""
    s = _split_nested(s)
    if not isinstance(s, sp.Sum) or len(s.limits) != 1:
        return s
    (i, lo, hi), = s.limits
    body = sp.expand(expand_logs(s.function))
    out = []
    for term in sp.Add.make_args(body):
        coeff, dep = [], []
        for f in sp.Mul.make_args(term):
            (dep if i in f.free_symbols else coeff).append(f)
        c = sp.Mul(*coeff)
        d = sp.Mul(*dep)
        if d == 1:
            out.append(c * (hi - lo + 1))
        else:
            out.append(c * sp.Sum(d, (i, lo, hi)))
    return sp.Add(*out)


def linearise(expr: sp.Basic) -> sp.Basic:
    """Apply linear_sum bottom-up to every Sum in expr."""
    return expr.replace(lambda x: isinstance(x, sp.Sum), linear_sum)


def apply_normalisation(expr: sp.Basic, ctx: Context | None) -> sp.Basic:
    """sum_{i=lo}^{hi} p_i -> 1 for a probability vector p declared over lo..hi."""
    if ctx is None:
        return expr
    rules = {}
    for vec, dom in ctx.vectors.items():
        if dom.kind not in ("probability", "onehot") or vec not in ctx.vector_ranges:
            continue
        r = ctx.vector_ranges[vec]
        rules[vec] = (r.lo, r.hi)

    def is_norm(x):
        if not isinstance(x, sp.Sum) or len(x.limits) != 1:
            return False
        (i, lo, hi), = x.limits
        f = x.function
        return (isinstance(f, sp.Indexed) and f.base in rules and f.indices == (i,)
                and rules[f.base] == (lo, hi))

    return expr.replace(is_norm, lambda x: sp.Integer(1)) if rules else expr


def merge_sums(expr: sp.Basic, simplify_summand=sp.simplify) -> sp.Basic:
    """Merge top-level sums with equal limits; simplify the merged summands."""
    expr = sp.expand(expr)
    groups: dict[tuple, list] = {}
    rest = []
    for term in sp.Add.make_args(expr):
        sums = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.Sum) and len(f.limits) == 1]
        if len(sums) != 1:
            rest.append(term)
            continue
        s = sums[0]
        coeff = term / s
        (i, lo, hi), = s.limits
        if i in coeff.free_symbols:
            rest.append(term)
            continue
        body = s.function
        if lo.is_Integer and lo != 1:  # sum_{k=0}^{n-1} a_{k+1} = sum_{k=1}^{n} a_k: shift to start at 1
            body, lo, hi = body.xreplace({i: i + lo - 1}), sp.Integer(1), hi - lo + 1
        key = (lo, hi)
        canon = body.xreplace({i: canonical_index(lo)})
        groups.setdefault(key, []).append(coeff * canon)
    out = [sp.Add(*rest)]
    for (lo, hi), parts in groups.items():
        body = simplify_summand(sp.Add(*parts))
        if body != 0:
            out.append(sp.Sum(body, (canonical_index(lo), lo, hi)))
    return sp.Add(*out)


def canonical_index(lo: sp.Expr) -> sp.Symbol:
    """The canonical bound index of a sum starting at lo: positive only where lo >= 1 is certain
    (a positive index in a sum from 0 would make SymPy drop the k = 0 term of 0^k)."""
    if (lo - 1).is_nonnegative:
        return CANONICAL_INDEX
    return sp.Symbol("_k", **index_assumptions(lo))


def normal_form(expr: sp.Basic, ctx: Context | None = None, simplify_summand=sp.simplify) -> sp.Basic:
    """The normal form described in the module docstring."""
    from verifier.engine.rules.alpha import BOUND, unify_bound_names
    from verifier.engine.rules.registry import apply_rules

    e = apply_rules(expr, ctx)
    e = expand_logs(e)
    e = linearise(e)
    if e.has(*BOUND):
        e = unify_bound_names(e)
    e = apply_normalisation(e, ctx)
    e = merge_sums(e, simplify_summand)
    return e
