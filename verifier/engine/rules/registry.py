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
