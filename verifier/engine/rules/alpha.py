"""Alpha-equivalence: sums that differ only in the name of their bound index are one sum.

``sum_j e^{x_j}`` and ``sum_i e^{x_i}`` are the same number.  The rule below replaces every
sum (product, integral) by one canonical representative of its alpha-equivalence class in the
expression, so ``sum_j e^{x_j} / sum_i e^{x_i}`` cancels to 1.  Replacing a whole bound
construct by an alpha-equivalent one never changes a value, so the rule is sound; constructs
without an alpha-equivalent partner are left exactly as written.
"""
from __future__ import annotations

import sympy as sp

from verifier.engine.rules.registry import rule

BOUND = (sp.Sum, sp.Product, sp.Integral)


def unify_bound_names(expr: sp.Basic) -> sp.Basic:
    """Replace alpha-equivalent bound constructs by one representative (to a fixpoint)."""
    for _ in range(8):
        # two constructs can be alpha-equivalent only if they are of one kind with the same bounds once
        # their own variables are masked (an inner bound may name an outer variable of the same
        # construct): as_dummy, which builds the construct again, only for those
        alike: dict = {}
        for n in sp.preorder_traversal(expr):
            if isinstance(n, BOUND):
                alike.setdefault(_shape(n), set()).add(n)
        classes: dict = {}
        for group in alike.values():
            if len(group) > 1:
                for n in group:
                    classes.setdefault(n.as_dummy(), set()).add(n)
        mapping = {}
        for members in classes.values():
            if len(members) < 2:
                continue
            rep = min(members, key=sp.default_sort_key)
            mapping.update({m: rep for m in members if m != rep})
        if not mapping:
            return expr
        expr = expr.xreplace(mapping)
    return expr


def _shape(n: sp.Basic) -> tuple:
    """What alpha-equivalent constructs have in common: their kind and their bounds, with the variables of
    the construct's outer limits masked by position (SymPy lists the innermost limit first; a limit's bounds
    are in the scope of the limits after it only, a variable in its own bound is a free one)."""
    variables = [lim[0] for lim in n.limits]
    shape = []
    for p, lim in enumerate(n.limits):
        outer = {v: sp.Symbol(f"_bound{q}") for q, v in enumerate(variables) if q > p}
        shape.append(tuple(b.xreplace(outer) if outer else b for b in lim[1:]))
    return type(n), tuple(shape)


@rule
def alpha_equivalent_sums(expr: sp.Basic, ctx) -> sp.Basic:
    if not expr.has(*BOUND):
        return expr
    return unify_bound_names(expr)
