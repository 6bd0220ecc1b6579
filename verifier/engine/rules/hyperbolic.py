"""Hyperbolic functions written with exponentials (a sound rewrite rule).

``tanh z = (e^z - e^{-z})/(e^z + e^{-z})`` and its relatives are definitions, so rewriting
them lets the normal form and the sign tests see, e.g., ``1 - tanh z = 2/(e^{2z} + 1) > 0``.
"""
from __future__ import annotations

import sympy as sp

from verifier.engine.rules.registry import rule

HYPERBOLIC = (sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sech, sp.csch)


@rule
def hyperbolic_as_exp(expr: sp.Basic, ctx) -> sp.Basic:
    """Rewrite sinh, cosh, tanh, coth, sech, csch in terms of exp."""
    if not expr.has(*HYPERBOLIC):
        return expr
    return expr.replace(lambda e: isinstance(e, HYPERBOLIC), lambda e: e.rewrite(sp.exp))
