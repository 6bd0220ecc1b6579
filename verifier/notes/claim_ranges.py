"""The range a probability vector is normalised over, read in the claim itself.

The note model reads a vector named p, q, P or Q whose entries are summed over their index as a
distribution over the range of that index where the note first sums it (``\\sum_{i=1}^{n} p_i``).  A later
section may write the same letter for a distribution over other classes (``\\sum_{i=1}^{m} p_i \\log q_i``):
in a claim that sums the vector over one range only, and over a range other than the note's, that range
is its support there, as the same reading rule gives it for that claim alone.  A claim that sums it over
two ranges, or over the note's, or writes an entry of it outside a sum keeps the note's range, and so does
a distribution whose normalisation the prose states (``w_i > 0`` and ``\\sum_{i=1}^{n} w_i = 1``).
"""
from __future__ import annotations

import copy

import sympy as sp

from verifier.model.context import Context
from verifier.model.domains import IndexRange
from verifier.notes.domains import summed_entries


def claim_ranges(ctx: Context, sides: tuple[sp.Basic, ...], summed_only: set[str]) -> Context:
    """ctx, or a copy whose distributions read from a sum alone (`summed_only`: not the ones whose
    normalisation the prose states, ``\\sum_{i=1}^{n} w_i = 1``) take the one range the claim sums each over."""
    local: dict = {}
    for base, dom in ctx.vectors.items():
        if dom.kind != "probability" or base not in ctx.vector_ranges or str(base.label) not in summed_only:
            continue
        summed = _ranges_summed(base, sides)
        note = ctx.vector_ranges[base]
        if len(summed) == 1:
            (lo, hi), index = next(iter(summed.items()))
            if (lo, hi) != (note.lo, note.hi):
                local[base] = IndexRange(index, lo, hi)
    if not local:
        return ctx
    out = copy.copy(ctx)
    out.vector_ranges = {**ctx.vector_ranges, **local}
    return out


def _ranges_summed(base: sp.IndexedBase, sides: tuple) -> dict[tuple, sp.Symbol]:
    """The ranges (lo, hi) the claim sums the vector over (notes.domains.summed_entries), with an index of
    each; none when an entry of it stands outside every sum over its index (the claim is then not only
    about its sums: the note's range is kept)."""
    if any(_outside(base, side, frozenset()) for side in sides):
        return {}
    out: dict[tuple, sp.Symbol] = {}
    for label, (i, lo, hi) in summed_entries(list(sides)):
        if label == str(base.label):
            out.setdefault((lo, hi), i)
    return out


def _outside(base: sp.IndexedBase, e: sp.Basic, bound: frozenset) -> bool:
    """Is an entry of the vector in e indexed by anything but the index of a single sum around it?"""
    if isinstance(e, sp.Indexed) and e.base == base:
        return not (len(e.indices) == 1 and e.indices[0] in bound)
    if isinstance(e, sp.Sum) and len(e.limits) == 1:
        bound = bound | {e.limits[0][0]}
    return any(_outside(base, a, bound) for a in e.args)
