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
    """The ranges (lo, hi) of the single sums over the vector's own index, with an index of each; none when
    an entry of it stands outside every such sum (the claim is then not only about its sums: the note's
    range is kept)."""
    out: dict[tuple, sp.Symbol] = {}
    for side in sides:
        summed = {}
        for s in side.atoms(sp.Sum):
            if len(s.limits) != 1:
                continue
            i, lo, hi = s.limits[0]
            entries = [e for e in s.function.atoms(sp.Indexed) if e.base == base]
            if entries and all(e.indices == (i,) for e in entries):
                out.setdefault((lo, hi), i)
                summed[s] = sp.Dummy()
        rest = side.xreplace(summed)
        if any(e.base == base for e in rest.atoms(sp.Indexed)):
            return {}
    return out
