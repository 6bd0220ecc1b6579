"""The names of information quantities a note may define itself (H, H(X | Y), D, KL, I), and a defined one used
at an argument of another kind than its definition's."""
from __future__ import annotations

import re

import sympy as sp
from sympy.core.function import AppliedUndef

#: information quantities notes define at their first appearance (E, Var, Cov are operators, never defined so)
DEFINED_BY_NOTES = frozenset({"H", "Hcond", "D", "KL", "I"})


def base_name(call: AppliedUndef) -> str:
    """The reader's name of a call without its arity (H__2: the note's H with two arguments)."""
    return re.sub(r"__\d+$", "", call.func.__name__)


def information_call(e) -> bool:
    """A call of an information name (H(X), H(P, Q), D_KL(P, Q), I(X, Y))."""
    return isinstance(e, AppliedUndef) and base_name(e).partition("_")[0] in DEFINED_BY_NOTES


def _of_a_law(call: AppliedUndef, nc) -> bool:
    """H(U) where the note defines H at a lowercase number (the binary entropy H(p), "we overload the letter H"):
    a capital argument is a law or a random variable, of which that definition says nothing."""
    params = getattr(nc, "def_args", {}).get(call.func.__name__)
    if not params or call.func not in nc.ctx.definitions or not information_call(call):
        return False
    return all(p.name[:1].islower() for p in params) and any(
        isinstance(a, sp.Symbol) and a.name[:1].isupper() and a not in params for a in call.args)


def other_kind_calls(expr: sp.Basic, nc) -> sp.Basic:
    """Calls of a defined information name at arguments of another kind than its definition's (``_of_a_law``)
    as calls of an undefined function named ``H__law``: the step is not read with the other definition."""
    if not isinstance(expr, sp.Basic) or not expr.atoms(AppliedUndef):
        return expr

    def rename(e: AppliedUndef) -> sp.Basic:
        name, sym = e.func.__name__ + "__law", nc.notation.symbol(e.func.__name__)
        nc.notation.written.setdefault(name, f"{sym} of a law (the note defines {sym} of a number)")
        return sp.Function(name)(*e.args)

    return expr.replace(lambda e: isinstance(e, AppliedUndef) and _of_a_law(e, nc), rename)
