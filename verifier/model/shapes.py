"""Shapes of vector and matrix expressions: rows x cols with symbolic dimensions.

A matrix expression is built from ``sympy.MatrixSymbol`` objects (declared with
``Context.matrix`` / ``Context.vector(name, dim)``).  SymPy does not refuse a
product of incompatible symbolic shapes (``X*r`` with X n x d and r n x 1 is
accepted), so the shapes are checked here, with a message that names them.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.hadamard import HadamardProduct
from sympy.matrices.expressions.matexpr import MatrixElement

from verifier.model.exprs import as_expr


@dataclass(frozen=True)
class Shape:
    """rows x cols; a scalar is the shape 1 x 1 with ``scalar=True``."""

    rows: sp.Expr
    cols: sp.Expr
    scalar: bool = False

    def __str__(self) -> str:
        if self.scalar:
            return "scalar"
        return f"{sp.sstr(self.rows)}x{sp.sstr(self.cols)}"

    @property
    def is_one_by_one(self) -> bool:
        return self.rows == 1 and self.cols == 1


SCALAR = Shape(sp.Integer(1), sp.Integer(1), scalar=True)


class Jacobian(sp.matrices.expressions.MatrixExpr):
    """``d f / d v^T`` for a column vector f (m x 1) and a column vector v (n x 1): the m x n matrix of
    the ``d f_i / d v_j`` (numerator layout).  ``\\frac{\\partial}{\\partial \\mathbf w^\\top}(A\\mathbf w)``
    is A; the Hessian ``\\frac{\\partial^2 f}{\\partial \\mathbf w \\partial \\mathbf w^\\top}`` is the Jacobian
    of the gradient.  SymPy's Derivative refuses a transposed variable, hence this node."""

    def __new__(cls, f: sp.Basic, var: sp.MatrixSymbol):
        return sp.Basic.__new__(cls, f, var)

    @property
    def function(self) -> sp.Basic:
        return self.args[0]

    @property
    def variable(self) -> sp.MatrixSymbol:
        return self.args[1]

    @property
    def shape(self):
        f = self.args[0]
        if isinstance(f, sp.Derivative) and isinstance(f.variables[0], sp.MatrixSymbol):  # a gradient
            rows = f.variables[0].shape[0]
        else:
            rows = f.shape[0] if isinstance(f, sp.matrices.expressions.MatrixExpr) else sp.Integer(1)
        return (rows, self.args[1].shape[0])

    def _entry(self, i, j, **kwargs):
        return sp.Derivative(_column_entry(self.args[0], i), self.args[1][j, 0])


class Norm(sp.Expr):
    """``\\|v\\|``, ``\\|v\\|_2``, ``\\|v\\|_2^2``, ``\\|v\\|_1`` of a column vector v, kept as the author writes it
    (``order`` 0 when no subscript is written; ``squared`` 1 for ``^2``).  Its value is ``expanded()``:
    ``(v^T v)_{00}``, its square root, or the sum of the absolute entries."""

    is_real = True
    is_nonnegative = True

    def __new__(cls, v: sp.Basic, order: int = 0, squared: int = 0):
        return sp.Expr.__new__(cls, v, sp.Integer(order), sp.Integer(squared))

    @property
    def vector(self) -> sp.Basic:
        return self.args[0]

    @property
    def order(self) -> int:
        return int(self.args[1])

    @property
    def squared(self) -> bool:
        return bool(self.args[2])

    def expanded(self) -> sp.Expr:
        v = self.vector
        if self.order == 1:
            m = sp.Dummy("m", integer=True)
            one = sp.Sum(sp.Abs(MatrixElement(v, m, 0)), (m, 0, v.shape[0] - 1))
            return one ** 2 if self.squared else one
        sq = MatrixElement(sp.MatMul(v.T, v), 0, 0)
        return sq if self.squared else sp.sqrt(sq)

    def doit(self, **hints):
        v = self.vector.doit(**hints) if hints.get("deep", True) else self.vector
        if isinstance(v, sp.MatrixBase):  # explicit entries: the number
            if self.order == 1:
                one = sum(sp.Abs(x) for x in v)
                return one ** 2 if self.squared else one
            sq = sum(x ** 2 for x in v)
            return sq if self.squared else sp.sqrt(sq)
        return Norm(v, self.order, int(self.squared)).expanded().doit(**hints)

    def _eval_derivative(self, s):
        return self.expanded().diff(s)


def _column_entry(f: sp.Basic, i):
    if isinstance(f, sp.matrices.expressions.MatrixExpr):
        return MatrixElement(f, i, 0)
    if isinstance(f, sp.Derivative) and isinstance(f.variables[0], sp.MatrixSymbol):
        return sp.Derivative(f.expr, f.variables[0][i, 0])
    return f


class ShapeError(ValueError):
    """Two shapes that do not fit together; ``needs`` lists the equalities of sizes it would take."""

    def __init__(self, message: str, needs: tuple[tuple[sp.Expr, sp.Expr], ...] = ()):
        super().__init__(message)
        self.needs = needs


def same_dim(a: sp.Expr, b: sp.Expr) -> bool:
    return sp.simplify(a - b) == 0


def _fits(a: Shape, b: Shape) -> bool:
    return a.scalar or b.scalar or (same_dim(a.rows, b.rows) and same_dim(a.cols, b.cols))


def _label(e: sp.Basic) -> str:
    from verifier.model.latex import to_latex  # the printer is in this layer

    try:
        tex = to_latex(e)
    except Exception:  # noqa: BLE001 - a label is only for the message
        tex = sp.sstr(e)
    if len(tex) > 80 or "FunctionMatrix" in tex:  # a vector built entry by entry (softmax, a definition)
        try:
            rows, cols = e.shape
            return f"(a {sp.sstr(rows)}x{sp.sstr(cols)} vector or matrix)"
        except Exception:  # noqa: BLE001
            return "(an expression)"
    return f"({tex})" if isinstance(e, (sp.MatAdd, sp.Add)) else tex


def shape_of(expr: sp.Basic) -> Shape:
    """The shape of expr, or ShapeError naming the first misfit."""
    if isinstance(expr, MatrixElement):
        shape_of(expr.parent)
        return SCALAR
    if isinstance(expr, (sp.Sum, sp.Product)):
        shape_of(expr.function)
        return SCALAR
    if isinstance(expr, sp.MatrixSymbol) or isinstance(expr, sp.MatrixBase):
        return Shape(as_expr(expr.shape[0]), as_expr(expr.shape[1]))
    if isinstance(expr, sp.MatMul):
        shapes = [(a, shape_of(a)) for a in expr.args]
        mats = [(a, s) for a, s in shapes if not s.scalar]
        for (a, sa), (b, sb) in zip(mats, mats[1:]):
            if not same_dim(sa.cols, sb.rows):
                raise ShapeError(f"the product {_label(a)} {_label(b)} does not fit: {_label(a)} is {sa}, "
                                 f"{_label(b)} is {sb}", ((sa.cols, sb.rows),))
        if not mats:
            return SCALAR
        return Shape(mats[0][1].rows, mats[-1][1].cols)
    if isinstance(expr, (sp.MatAdd, HadamardProduct)):
        shapes = [(a, shape_of(a)) for a in expr.args]
        mats = [(a, s) for a, s in shapes if not s.scalar]
        if isinstance(expr, sp.MatAdd) and len(mats) < len(shapes) and mats and not all(s.is_one_by_one for _, s in mats):
            raise ShapeError(f"a scalar is added to the {mats[0][1]} matrix {_label(mats[0][0])}")
        for (a, sa), (b, sb) in zip(mats, mats[1:]):
            if not _fits(sa, sb):
                what = "sum" if isinstance(expr, sp.MatAdd) else "entrywise product"
                raise ShapeError(f"the {what} of {_label(a)} ({sa}) and {_label(b)} ({sb}) does not fit",
                                 ((sa.rows, sb.rows), (sa.cols, sb.cols)))
        return mats[0][1] if mats else SCALAR
    if isinstance(expr, sp.Transpose):
        s = shape_of(expr.arg)
        return s if s.scalar else Shape(s.cols, s.rows)
    if isinstance(expr, (sp.Inverse, sp.Trace, sp.Determinant)):
        s = shape_of(expr.args[0])
        if not s.scalar and not same_dim(s.rows, s.cols):
            name = {sp.Inverse: "inverse", sp.Trace: "trace", sp.Determinant: "determinant"}[type(expr)]
            raise ShapeError(f"the {name} of {_label(expr.args[0])} needs a square matrix; it is {s}",
                             ((s.rows, s.cols),))
        return s if isinstance(expr, sp.Inverse) else SCALAR
    if isinstance(expr, sp.MatPow):
        s = shape_of(expr.base)
        if not same_dim(s.rows, s.cols):
            raise ShapeError(f"a power of {_label(expr.base)} needs a square matrix; it is {s}", ((s.rows, s.cols),))
        return s
    if isinstance(expr, ElementwiseApplyFunction):
        return shape_of(expr.expr)
    if isinstance(expr, Norm):
        v = shape_of(expr.vector)
        if not v.scalar and not same_dim(v.cols, 1):
            raise ShapeError(f"the norm of the {v} matrix {_label(expr.vector)}: only vectors have one here")
        return SCALAR
    if isinstance(expr, Jacobian):
        f, v = shape_of(expr.function), shape_of(expr.variable)
        if not (f.scalar or same_dim(f.cols, 1)) or not same_dim(v.cols, 1):
            raise ShapeError(f"a Jacobian of the {f} matrix {_label(expr.function)} by {_label(expr.variable)} ({v}): "
                             "only column vectors by column vectors are read")
        return Shape(f.rows, v.rows)
    if isinstance(expr, sp.matrices.expressions.MatrixExpr):
        return Shape(as_expr(expr.shape[0]), as_expr(expr.shape[1]))
    if isinstance(expr, sp.Derivative):
        f = shape_of(expr.expr)
        var = expr.variables[0]
        if isinstance(var, sp.MatrixSymbol):
            if not (f.scalar or f.is_one_by_one):
                raise ShapeError(f"a gradient of the {f} matrix {_label(expr.expr)} is not a vector or matrix")
            return Shape(as_expr(var.shape[0]), as_expr(var.shape[1]))
        return f
    # a scalar expression: its matrix parts must be 1 x 1 (or traces / determinants)
    for a in expr.args:
        s = shape_of(a) if isinstance(a, sp.Basic) else SCALAR
        if not s.scalar and not s.is_one_by_one:
            raise ShapeError(f"the {s} matrix {_label(a)} is used as a number")
    return SCALAR


def compare_shapes(lhs: sp.Basic, rhs: sp.Basic) -> tuple[Shape, Shape]:
    """The shapes of both sides, or ShapeError when a side is ill-formed or the sides differ."""
    a, b = shape_of(lhs), shape_of(rhs)
    if (a.scalar or a.is_one_by_one) and (b.scalar or b.is_one_by_one):
        return a, b
    if a.scalar != b.scalar or not _fits(a, b):
        raise ShapeError(f"the two sides have different shapes: {a} and {b}",
                         ((a.rows, b.rows), (a.cols, b.cols)))
    return a, b


def has_matrices(expr: sp.Basic) -> bool:
    """Does expr contain a matrix symbol or a matrix literal?"""
    if isinstance(expr, (sp.MatrixExpr, sp.MatrixBase)):
        return True
    return any(isinstance(a, (sp.MatrixExpr, sp.MatrixBase)) for a in sp.preorder_traversal(expr))


#: the kinds of entries a matrix may be declared with
MATRIX_KINDS = ("real", "positive", "unit", "probability", "symmetric", "spd", "binary", "onehot")


@dataclass(frozen=True)
class MatrixDomain:
    """The domain of a matrix symbol: its kind of entries (see MATRIX_KINDS)."""

    kind: str

    @property
    def symmetric(self) -> bool:
        return self.kind in ("symmetric", "spd")

    def __str__(self) -> str:
        return {"spd": "symmetric positive definite", "probability": "probability vector",
                "onehot": "one-hot vector"}.get(self.kind, self.kind)


def matrix_domain(kind: str, m: sp.MatrixSymbol) -> MatrixDomain:
    """Check a kind against the matrix's shape."""
    if kind not in MATRIX_KINDS:
        raise ValueError(f"matrix {m.name}: unknown kind {kind!r}; use one of {MATRIX_KINDS}")
    if kind in ("symmetric", "spd") and not same_dim(m.shape[0], m.shape[1]):
        raise ValueError(f"matrix {m.name}: a {kind} matrix must be square, it is {m.shape[0]}x{m.shape[1]}")
    if kind in ("probability", "onehot") and m.shape[1] != 1:
        raise ValueError(f"matrix {m.name}: a probability vector is a column (k x 1)")
    return MatrixDomain(kind)
