"""Limits that SymPy can evaluate are replaced by their values."""
from __future__ import annotations

import sympy as sp

from verifier.engine.rules.registry import rule


@rule
def evaluate_limits(expr: sp.Basic, ctx) -> sp.Basic:
    """Evaluate ``Limit`` objects that SymPy can decide (``doit``); others stay as they are."""
    if not expr.has(sp.Limit):
        return expr
    return expr.replace(lambda e: isinstance(e, sp.Limit), _limit_or_keep)


def _limit_or_keep(e: sp.Limit) -> sp.Basic:
    """The value of a limit, or the Limit itself when SymPy cannot or the limit does not exist."""
    try:
        v = e.doit()
    except (ValueError, NotImplementedError, TypeError, ZeroDivisionError, RecursionError):
        return e
    return e if v.has(sp.AccumBounds) else v
