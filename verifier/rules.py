"""Rewrite rules applied before the normal form (extension point).

Each rule is ``rule(expr, ctx) -> expr`` and must be *sound*: it may only
replace an expression by one that is equal under the context's assumptions.
Rules are tried in order by :func:`apply_rules`; new capabilities (Kronecker
collapse of one-hot sums, Dirac sifting, limits, ...) register here.
"""
from __future__ import annotations

from typing import Callable

import sympy as sp

RULES: list[Callable] = []


def rule(fn: Callable) -> Callable:
    """Register a rewrite rule."""
    RULES.append(fn)
    return fn


def apply_rules(expr: sp.Basic, ctx) -> sp.Basic:
    for r in RULES:
        expr = r(expr, ctx)
    return expr


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

from . import onehot  # noqa: E402,F401  (one-hot / Kronecker collapse: before sums are written out)
from . import finite_sums  # noqa: E402,F401  (sums/products with concrete limits written out)
from . import hyperbolic  # noqa: E402,F401  (sinh, cosh, tanh, ... as exponentials)
from . import alpha  # noqa: E402,F401  (alpha-equivalent sums unified)
from . import dirac  # noqa: E402,F401  (Dirac delta: sifting, sums out of integrals)
