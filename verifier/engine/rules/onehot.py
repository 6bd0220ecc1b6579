"""One-hot vectors and Kronecker deltas: sums that collapse to one term.

Two sound rewrite rules (registered in :mod:`verifier.engine.rules.registry`; the package imports
this module before the rules that write sums with concrete limits out term by term, which would
hide the summation index the collapse needs):

* :func:`collapse_kronecker`: ``sum_{i=lo}^{hi} [i = j] g(i) = g(j)`` when ``j`` provably lies
  in ``lo..hi`` (an index declared over a range inside it, or a number in it).  Derivatives
  of sums with respect to an entry ``q[j]`` produce exactly these deltas.
* :func:`collapse_onehot`: for a one-hot vector ``p`` declared over ``lo..hi`` with hot index
  ``k`` (``p[i] = [i = k]``), ``sum_{i=lo}^{hi} f(p[i], i) = f(1, k) + sum_i f(0, i) - f(0, k)``.
  Where ``f(0, i)`` or ``f(1, k)`` is undefined (a plain ``0 log 0``) the sum is left as it is:
  the convention ``0 log 0 = 0`` must be written into the expression, with
  :class:`verifier.engine.limits.XLogX` (``t log t`` extended by its one-sided limit at 0).
"""
from __future__ import annotations

import sympy as sp

from verifier.engine.limits import is_undefined
from verifier.engine.rules.registry import rule


def _in_range(j: sp.Basic, lo: sp.Basic, hi: sp.Basic, ctx) -> bool:
    """Is j provably an integer in lo..hi?"""
    if j.is_integer and j.is_number:
        return bool((j - lo).is_nonnegative and (hi - j).is_nonnegative)
    r = ctx.indices.get(j) if ctx is not None else None
    if r is None:
        return False
    return bool(sp.simplify(r.lo - lo).is_nonnegative and sp.simplify(hi - r.hi).is_nonnegative)


def _delta_partner(term: sp.Basic, i: sp.Symbol) -> tuple[sp.Basic, sp.Basic] | None:
    """(j, rest) if term = KroneckerDelta(i, j) * rest with j free of i."""
    for f in sp.Mul.make_args(term):
        if isinstance(f, sp.KroneckerDelta) and i in f.args:
            a, b = f.args
            j = b if a == i else a
            if j.has(i):
                continue
            rest = term / f
            return j, rest
    return None


def _collapse_delta_sum(s: sp.Sum, ctx) -> sp.Basic:
    if len(s.limits) != 1 or not s.function.has(sp.KroneckerDelta):
        return s
    (i, lo, hi), = s.limits
    kept, out = [], []
    for term in sp.Add.make_args(sp.expand_mul(s.function)):
        hit = _delta_partner(term, i)
        if hit is None or not _in_range(hit[0], lo, hi, ctx):
            kept.append(term)
            continue
        j, rest = hit
        out.append(rest.xreplace({i: j}))
    if not out:
        return s
    if kept:
        out.append(sp.Sum(sp.Add(*kept), (i, lo, hi)))
    return sp.Add(*out)


@rule
def collapse_kronecker(expr: sp.Basic, ctx) -> sp.Basic:
    """sum_i [i = j] g(i) -> g(j) for j in the summation range."""
    if not expr.has(sp.KroneckerDelta):
        return expr
    return expr.replace(lambda e: isinstance(e, sp.Sum), lambda e: _collapse_delta_sum(e, ctx))


def _onehot_vectors(ctx) -> dict:
    if ctx is None:
        return {}
    return {v: (ctx.vector_ranges[v], ctx.onehot_hot[v]) for v, d in ctx.vectors.items()
            if d.kind == "onehot" and v in ctx.vector_ranges and v in ctx.onehot_hot}


def _collapse_onehot_sum(s: sp.Sum, vectors: dict) -> sp.Basic:
    if len(s.limits) != 1:
        return s
    (i, lo, hi), = s.limits
    f = s.function
    for vec, (rng, k) in vectors.items():
        entry = vec[i]
        if not f.has(entry) or (rng.lo, rng.hi) != (lo, hi):
            continue
        hot = f.xreplace({entry: sp.Integer(1)})  # f(1, i)
        zero = f.xreplace({entry: sp.Integer(0)})  # f(0, i)
        if is_undefined(hot) or is_undefined(zero) or hot.has(entry) or zero.has(entry):
            continue
        return hot.xreplace({i: k}) + sp.Sum(zero, (i, lo, hi)) - zero.xreplace({i: k})
    return s


@rule
def collapse_onehot(expr: sp.Basic, ctx) -> sp.Basic:
    """sum_i f(p[i]) over a one-hot p -> f(1) at the hot index plus f(0) elsewhere."""
    vectors = _onehot_vectors(ctx)
    if not vectors or not expr.has(sp.Sum):
        return expr
    return expr.replace(lambda e: isinstance(e, sp.Sum), lambda e: _collapse_onehot_sum(e, vectors))
