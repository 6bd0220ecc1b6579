"""Unfolding definitions and evaluating derivatives, integrals and limits.

A derivative is taken *before* the definition of its variable is substituted:
``d/d yhat (1/2 (yhat - y)^2)`` is ``yhat - y`` even though ``yhat := sigma(z)``.
"""
from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from verifier.model.context import index_assumptions

_MAX_ROUNDS = 12


class DefinitionError(Exception):
    """A definition cannot be applied: the message says why (the step is `unknown`)."""


class DefinitionCycle(DefinitionError):
    """A name is defined in terms of itself."""


#: nodes that bind variables: a definition of a bound name never applies inside them
BINDING = (sp.Sum, sp.Product, sp.Integral, sp.Limit)


def bound_variables(node: sp.Basic) -> set:
    """The variables a Sum, Product, Integral or Limit binds."""
    if isinstance(node, sp.Limit):
        return {node.args[1]}
    return {lim[0] for lim in node.limits}


def replace_free(expr: sp.Basic, mapping: dict) -> sp.Basic:
    """xreplace that leaves bound variables alone: a value from the prose (h = 1, k = 3) never
    replaces the variable of a limit, a sum, a product or an integral inside that node."""
    if not mapping:
        return expr
    if expr in mapping:
        return mapping[expr]
    if not expr.args or isinstance(expr, sp.Lambda):
        return expr
    if isinstance(expr, BINDING):
        bound = bound_variables(expr)
        inner = {k: v for k, v in mapping.items() if k not in bound}
        if isinstance(expr, sp.Limit):
            e, z, z0, d = expr.args
            return sp.Limit(replace_free(e, inner), z, replace_free(z0, mapping), str(d))
        limits = []
        for lim in expr.limits:
            var, *ends = lim
            limits.append((var, *[replace_free(x, mapping) for x in ends]))
        return expr.func(replace_free(expr.function, inner), *limits)
    new = [replace_free(a, mapping) for a in expr.args]
    if all(a is b for a, b in zip(new, expr.args)):
        return expr
    return expr.func(*new)


def _subst_once(expr: sp.Basic, defs: dict) -> sp.Basic:
    sym_defs = {k: v for k, v in defs.items() if not isinstance(k, sp.FunctionClass)}
    fn_defs = {k: v for k, v in defs.items() if isinstance(k, sp.FunctionClass)}
    out = replace_free(expr, sym_defs) if sym_defs else expr
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
            if d == e:  # a derivative of an undefined function (f'(x_k)): nothing left to unfold
                return d
            return unfold(d, defs, evaluate)
        if not e.args:
            return e
        new_args = [rec(a) for a in e.args]
        if all(a is b for a, b in zip(new_args, e.args)):
            return e
        return e.func(*new_args)

    cur = rebind_indices(expr)
    for _ in range(_MAX_ROUNDS):
        nxt = _subst_once(rec(cur), defs)
        if nxt == cur:
            return rebind_indices(nxt)
        cur = nxt
    raise DefinitionCycle("definitions do not terminate (a name is defined in terms of itself)")


def evaluate(expr: sp.Basic) -> sp.Basic:
    """doit() derivatives, integrals and limits, but leave Sum/Product symbolic."""
    return expr.replace(lambda e: isinstance(e, (sp.Derivative, sp.Integral, sp.Limit)),
                        lambda e: e.doit())


def undefined_functions(expr: sp.Basic) -> set:
    return {a.func for a in expr.atoms(AppliedUndef)}


def _consistent(var: sp.Symbol, lo: sp.Expr) -> bool:
    """Does the range lo.. guarantee every sign fact the index symbol claims?"""
    if not isinstance(var, sp.Symbol) or isinstance(var, sp.Dummy):
        return True
    canon = sp.Symbol(var.name, **index_assumptions(lo))
    return all(getattr(canon, f"is_{k}") for k, v in var.assumptions0.items() if v is True)


def rebind_indices(expr: sp.Basic, scope: dict | None = None) -> sp.Basic:
    """Sums and products with their indices made consistent with their ranges.

    * a name in an inner limit or in the summand that an enclosing sum binds is that sum's
      index (``\\sum_{i=1}^{n}\\sum_{j=1}^{i}``: the inner upper limit is the outer index, not a
      free symbol of the same name);
    * an index whose SymPy assumptions claim more than its range gives (a positive k in a sum
      from 0) is replaced by one with the range's assumptions.
    """
    scope = scope or {}
    if not scope and not expr.has(sp.Sum, sp.Product):
        return expr
    if isinstance(expr, sp.Symbol) and not isinstance(expr, sp.Dummy):
        return scope.get(expr.name, expr)
    if not expr.args or isinstance(expr, (sp.Lambda, sp.IndexedBase)):
        return expr
    if isinstance(expr, sp.Indexed):
        new_idx = [rebind_indices(j, scope) for j in expr.indices]
        return expr.base[tuple(new_idx)] if new_idx != list(expr.indices) else expr
    if isinstance(expr, (sp.Sum, sp.Product)):
        inner = dict(scope)
        limits: list = [None] * len(expr.limits)
        renames = {}
        for pos in range(len(expr.limits) - 1, -1, -1):  # the last limit is the outermost
            var, lo, hi = expr.limits[pos]
            lo, hi = rebind_indices(lo, inner), rebind_indices(hi, inner)
            new_var = var if _consistent(var, lo) else sp.Symbol(var.name, **index_assumptions(lo))
            if new_var != var:
                renames[var] = new_var
            inner[var.name] = new_var
            limits[pos] = (new_var, lo, hi)
        body = expr.function.xreplace(renames) if renames else expr.function
        body = rebind_indices(body, inner)
        bound = {lim[0] for lim in limits}
        if len(limits) > 1 and any((lo.free_symbols | hi.free_symbols) & bound for _, lo, hi in limits):
            # a triangular range: nested sums, so that each is written out once the outer index is known
            for lim in limits:
                body = expr.func(body, lim)
            return body
        return expr.func(body, *limits)
    new = [rebind_indices(a, scope) for a in expr.args]
    if all(a is b for a, b in zip(new, expr.args)):
        return expr
    return expr.func(*new)


class InRange(sp.Function):
    """1 when lo <= v <= hi, else 0, for integers; unevaluated while symbolic (numeric use only)."""

    @classmethod
    def eval(cls, v, lo, hi):
        if v.is_Integer and lo.is_Integer and hi.is_Integer:
            return sp.Integer(1 if lo <= v <= hi else 0)
        return None


def rectangular_ranges(expr: sp.Basic) -> sp.Basic:
    """Triangular sums for numeric evaluation: a Sum/Product whose inner limits use an outer index
    (``\\sum_{i=1}^{n}\\sum_{j=1}^{i}``) over the bounding rectangle, the summand guarded by the
    inner range (a factor 1 outside it for a product), so that each sum can be written out once
    the sizes are known.  The value is unchanged; only the form is for evaluation."""
    def tri(x):
        return isinstance(x, (sp.Sum, sp.Product)) and len(x.limits) > 1 and any(
            (lo.free_symbols | hi.free_symbols) & {lim[0] for lim in x.limits} for _, lo, hi in x.limits)

    def rect(x):
        limits = list(x.limits)
        ranges: dict = {}  # outer index -> (lo, hi) of the rectangle
        conds = []
        new_limits: list = [None] * len(limits)
        for pos in range(len(limits) - 1, -1, -1):
            var, lo, hi = limits[pos]
            los, his = [lo], [hi]
            for outer, (olo, ohi) in ranges.items():
                los = [e.xreplace({outer: end}) for e in los for end in (olo, ohi)]
                his = [e.xreplace({outer: end}) for e in his for end in (olo, ohi)]
            rlo, rhi = sp.Min(*los), sp.Max(*his)
            if (lo, hi) != (rlo, rhi):
                conds.append((var, lo, hi))
            ranges[var] = (rlo, rhi)
            new_limits[pos] = (var, rlo, rhi)
        body = x.function
        for var, lo, hi in conds:
            body = body * InRange(var, lo, hi) if isinstance(x, sp.Sum) else body ** InRange(var, lo, hi)
        return x.func(body, *new_limits)

    return expr.replace(tri, rect) if expr.has(sp.Sum, sp.Product) else expr
