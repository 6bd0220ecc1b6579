"""Index notation with symbolic dimensions.

``entry(X.T*(X*w - y), k, 0)`` is ``Sum(X[i, k]*(Sum(X[i, j]*w[j, 0], j) - y[i, 0]), i)`` with the
sums running over 0..n-1 and 0..d-1 for symbolic n and d: an identity between the entries for a
symbolic k holds for every size.  A gradient ``Derivative(f, W)`` has the entries
``d f / d W[k, l]``, computed on the index form of f (SymPy turns ``d W[i, j] / d W[k, l]`` into
Kronecker deltas that ``doit`` resolves over the ranges).
"""
from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from verifier.model.shapes import Jacobian, Norm

MatrixExpr = sp.matrices.expressions.MatrixExpr


class NotIndexable(ValueError):
    """A construct that has no entrywise form here (a determinant, a Jacobian of a matrix, ...)."""


def free_indices(rows: sp.Expr, cols: sp.Expr) -> tuple[sp.Symbol, sp.Symbol]:
    """Symbols for the entry (k, l) of a rows x cols result, nonnegative integers."""
    k = sp.Symbol("k_e", integer=True, nonnegative=True)
    l = sp.Symbol("l_e", integer=True, nonnegative=True)
    return (k if rows != 1 else sp.Integer(0)), (l if cols != 1 else sp.Integer(0))


def entry(e: sp.Basic, i: sp.Expr, j: sp.Expr) -> sp.Expr:
    """The (i, j) entry of a matrix expression (a scalar is its own (0, 0) entry)."""
    if isinstance(e, sp.Derivative):
        var = e.variables[0]
        if len(e.variables) != 1 or not isinstance(var, sp.MatrixSymbol):
            if isinstance(e.expr, MatrixExpr) and not _one_by_one(e.expr):
                raise NotIndexable("a derivative of a matrix with respect to a scalar")
            return sp.diff(scalar(e.expr), *e.variables)
        f = e.expr
        if isinstance(f, MatrixExpr) and not _one_by_one(f):
            raise NotIndexable(f"the Jacobian of the {f.shape[0]}x{f.shape[1]} matrix {f}")
        return sp.diff(scalar(f), var[i, j])
    if isinstance(e, Jacobian):  # d f_i / d v_j
        f, v = e.function, e.variable
        if isinstance(f, sp.Derivative) and isinstance(f.variables[0], sp.MatrixSymbol):
            fi = entry(f, i, 0)
        elif isinstance(f, MatrixExpr):
            fi = entry(f, i, 0)
        else:
            fi = scalar(f)
        return sp.diff(fi, v[j, 0])
    if isinstance(e, MatrixExpr):
        if isinstance(e, (sp.Inverse, sp.Determinant)) or any(
                isinstance(x, (sp.Derivative, Jacobian)) for x in sp.preorder_traversal(e)):
            return _entry_structural(e, i, j)
        element = _element(e, i, j)
        if isinstance(element, MatrixElement) and element.parent == e and not isinstance(e, sp.MatrixSymbol):
            # SymPy has no entry for it ((alpha S)^k with a symbolic k): no index form, not a loop
            raise NotIndexable(f"no entrywise form for the {type(e).__name__} {e}")
        return _scalars_inside(element)
    if isinstance(e, sp.MatrixBase):
        return e[i, j]
    return scalar(e)


def _element(e: MatrixExpr, i: sp.Expr, j: sp.Expr) -> sp.Expr:
    """``e[i, j]``.  SymPy writes a product with an inner size 1 (a column times a row) as its sums
    and then runs ``doit`` on the whole entry, which tries to close every other sum over a symbolic
    range (slow, and they never close); here only the sums over concrete ranges are done, each on
    its own, and the entries of compound factors are left to :func:`scalar`."""
    if not isinstance(e, sp.MatMul) or e.has(sp.MatrixBase) or e.valid_index(i, j) == False:  # noqa: E712
        return e[i, j]
    _, mats = e.as_coeff_matrices()
    if not any(isinstance(m.shape[1], (int, sp.Integer)) for m in mats[:-1]):
        return e[i, j]  # no concrete inner size: SymPy's own entry does no doit
    return e._entry(i, j, expand=False).replace(
        lambda s: isinstance(s, sp.Sum) and all(lo.is_Integer and hi.is_Integer for _, lo, hi in s.limits),
        lambda s: s.doit(deep=False))


def _entry_structural(e: MatrixExpr, i, j) -> sp.Expr:
    """Entries of products and sums whose factors hold derivatives or inverses."""
    if isinstance(e, sp.Inverse):
        return MatrixElement(e, i, j)  # an opaque matrix: identities for every matrix hold for it
    if isinstance(e, sp.MatAdd):
        return sp.Add(*[entry(a, i, j) for a in e.args])
    if isinstance(e, sp.MatMul):
        scal = [a for a in e.args if not isinstance(a, MatrixExpr) and not _is_matrix_valued(a)]
        mats = [a for a in e.args if a not in scal]
        c = sp.Mul(*[scalar(a) for a in scal])
        if not mats:
            return c
        if len(mats) == 1:
            return c * entry(mats[0], i, j)
        head, rest = mats[0], sp.MatMul(*mats[1:])
        m = sp.Dummy("m", integer=True)
        return c * sp.Sum(entry(head, i, m) * entry(rest, m, j), (m, 0, head.shape[1] - 1))
    if isinstance(e, sp.Transpose):
        return entry(e.arg, j, i)
    raise NotIndexable(f"no entrywise form for {type(e).__name__}")


def _is_matrix_valued(a: sp.Basic) -> bool:
    if isinstance(a, sp.Derivative):
        return isinstance(a.variables[0], sp.MatrixSymbol)
    return isinstance(a, (MatrixExpr, sp.MatrixBase))


def _one_by_one(e: sp.Basic) -> bool:
    return e.shape[0] == 1 and e.shape[1] == 1


def _scalars_inside(x: sp.Expr) -> sp.Expr:
    """Traces and 1x1 products inside an entry (a scalar factor of a product) in index form."""
    if any(isinstance(a, (sp.Trace, MatrixExpr)) and not isinstance(a, MatrixElement)
           for a in sp.preorder_traversal(x) if a is not x):
        return scalar(x)
    return x


def scalar(e: sp.Basic) -> sp.Expr:
    """A scalar expression with its matrix parts (1x1 products, traces, entries) in index form."""
    if isinstance(e, MatrixElement):
        if isinstance(e.parent, sp.MatrixSymbol):
            return e
        return entry(e.parent, e.i, e.j)
    if isinstance(e, sp.Trace):
        a = e.arg
        b = sp.Dummy("t", integer=True)
        return sp.Sum(entry(a, b, b), (b, 0, a.shape[0] - 1))
    if isinstance(e, Norm):
        return scalar(e.expanded())
    if isinstance(e, sp.Determinant):
        raise NotIndexable("a determinant has no entrywise form here")
    if isinstance(e, sp.Derivative):
        return entry(e, 0, 0)
    if isinstance(e, MatrixExpr):
        if not _one_by_one(e):
            raise NotIndexable(f"the {e.shape[0]}x{e.shape[1]} matrix {e} is used as a number")
        return entry(e, 0, 0)
    if isinstance(e, sp.MatrixBase):
        if e.shape != (1, 1):
            raise NotIndexable("a matrix literal is used as a number")
        return e[0, 0]
    if not e.args or isinstance(e, (sp.Symbol, sp.Number)):
        return e
    if not any(isinstance(a, (MatrixExpr, sp.MatrixBase, sp.Trace, sp.Determinant, Norm)) or
               (isinstance(a, sp.Derivative) and isinstance(a.variables[0], sp.MatrixSymbol))
               for a in sp.preorder_traversal(e)):
        return e
    return e.func(*[scalar(a) if isinstance(a, sp.Basic) else a for a in e.args])
