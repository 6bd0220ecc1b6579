"""Unfolding definitions and evaluating derivatives, integrals and limits.

A derivative is taken *before* the definition of its variable is substituted:
``d/d yhat (1/2 (yhat - y)^2)`` is ``yhat - y`` even though ``yhat := sigma(z)``.
"""
from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

_MAX_ROUNDS = 12


class DefinitionError(Exception):
    """A definition cannot be applied: the message says why (the step is `unknown`)."""


class DefinitionCycle(DefinitionError):
    """A name is defined in terms of itself."""


def _subst_once(expr: sp.Basic, defs: dict) -> sp.Basic:
    sym_defs = {k: v for k, v in defs.items() if not isinstance(k, sp.FunctionClass)}
    fn_defs = {k: v for k, v in defs.items() if isinstance(k, sp.FunctionClass)}
    out = expr.xreplace(sym_defs) if sym_defs else expr
    for fn, lam in fn_defs.items():
        if out.has(fn):
            try:
                out = out.replace(fn, lam)
            except TypeError as exc:  # a Lambda or callable given the wrong number of arguments
                calls = ", ".join(sorted({sp.sstr(a) for a in out.atoms(fn)}))
                raise DefinitionError(f"the definition of {fn} does not apply to {calls} ({exc})") from None
    return out


def unfold(expr: sp.Basic, defs: dict, evaluate: bool = True) -> sp.Basic:
    """Substitute definitions to a fixpoint; evaluate derivatives on the way."""
    def rec(e: sp.Basic) -> sp.Basic:
        if isinstance(e, sp.Derivative):
            variables = [v for v, _ in e.variable_count]
            inner_defs = {k: v for k, v in defs.items() if k not in variables}
            inner = unfold(e.expr, inner_defs, evaluate)
            d = sp.Derivative(inner, *e.variable_count)
            if any(isinstance(v, sp.MatrixSymbol) for v in variables):
                # a gradient stays a gradient: the matrix engine takes it entry by entry (SymPy's own
                # doit() of d(r^T r)/dw returns a product of misfit shapes in 1.14)
                return d
            if evaluate:
                d = d.doit()
            if d.has(sp.Derivative) and not evaluate:
                return d.xreplace({k: v for k, v in defs.items() if k in variables and not isinstance(k, sp.FunctionClass)})
            return unfold(d, defs, evaluate)
        if not e.args:
            return e
        new_args = [rec(a) for a in e.args]
        if all(a is b for a, b in zip(new_args, e.args)):
            return e
        return e.func(*new_args)

    cur = expr
    for _ in range(_MAX_ROUNDS):
        nxt = _subst_once(rec(cur), defs)
        if nxt == cur:
            return nxt
        cur = nxt
    raise DefinitionCycle("definitions do not terminate (a name is defined in terms of itself)")


def evaluate(expr: sp.Basic) -> sp.Basic:
    """doit() derivatives, integrals and limits, but leave Sum/Product symbolic."""
    return expr.replace(lambda e: isinstance(e, (sp.Derivative, sp.Integral, sp.Limit)),
                        lambda e: e.doit())


def undefined_functions(expr: sp.Basic) -> set:
    return {a.func for a in expr.atoms(AppliedUndef)}
