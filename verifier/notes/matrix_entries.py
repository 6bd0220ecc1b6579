"""Entries, sums and samples in the matrix reading (a mixin of ``notes.matrix_reader.MatrixParser``).

* ``x_i`` of a vector the prose gives a shape, ``X_{ij}`` / ``X_{i,j}`` of a matrix: the entry
  (1-based in the note, 0-based in SymPy);
* ``\\sum_{i=1}^{n} body`` (or ``\\sum_i`` with the range read off the entries it indexes): a
  ``Sum`` over 0..n-1 once the note's 1-based index is shifted; a sum of vectors or matrices is the
  matrix of the sums of their entries (``FunctionMatrix``), or its terms over a concrete range;
* samples: ``\\mathbf x_i`` when the prose stacks the samples as the rows of ``X`` ("the rows of $X$",
  "按行") is row i of X, a column (``\\sum_i \\mathbf x_i\\mathbf x_i^\\top = X^\\top X``);
* free indices: ``\\frac{\\partial J}{\\partial w_j} = \\ldots w_j`` holds for every j, so both sides
  become the vector (or matrix) of their entries (``wrap_free``).
"""
from __future__ import annotations

import re

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from verifier.engine.matrices.index import entry
from verifier.notes.linalg_reader import MatrixReadError

MatrixExpr = sp.matrices.expressions.MatrixExpr
MAX_UNROLLED = 32  # a sum of matrices over a concrete range of at most this many terms is written out


def index_letters(sub: str) -> list[str]:
    """``i``, ``ij``, ``i j``, ``i,j``, ``1`` -> the index letters or numbers."""
    sub = sub.replace(",", " ").strip()
    if "\\" in sub or not re.fullmatch(r"(?:\s*(?:[A-Za-z]|\d+))+\s*", sub):
        raise MatrixReadError(f"a subscript {sub!r} that is not an index")
    parts = re.findall(r"[A-Za-z]|\d+", sub)
    if len(parts) > 2:
        raise MatrixReadError(f"a subscript {sub!r} with more than two indices")
    return parts


class EntriesMixin:
    """Needs ``self.ctx``, ``self.name``, ``self.group``, ``self.peek``, ``self.take``, ``self.term``,
    ``self.sub_expr`` and ``self.samples`` (a vector name -> the matrix whose rows the samples are)."""

    bound: dict
    free: dict

    def index(self, text: str, dim: sp.Expr, axis: int) -> sp.Expr:
        """The 1-based index a subscript letter or number stands for, checked against the dimension."""
        if text.isdigit():
            return sp.Integer(int(text))
        if text in self.bound:
            return self.bound[text][0]
        s = sp.Symbol(text, integer=True, positive=True)
        if s in self.free and sp.simplify(self.free[s][0] - dim) != 0:
            raise MatrixReadError(f"the index {text} runs over two different sizes")
        self.free.setdefault(s, (dim, axis))
        return s

    def entry_of(self, base: sp.Basic, sub: str) -> sp.Expr:
        """``x_i`` / ``X_{ij}``: the entry of a shaped vector or matrix (or of a product, ``(A x)_i``)."""
        if not isinstance(base, MatrixExpr):
            raise MatrixReadError(f"a subscripted name {base}_{{{sub}}} (an entry of a name with no shape?)")
        parts = index_letters(sub)
        rows, cols = base.shape
        if len(parts) == 1 and cols == 1:
            return MatrixElement(base, self.index(parts[0], rows, 0) - 1, 0)
        if len(parts) == 1 and rows == 1:
            return MatrixElement(base, 0, self.index(parts[0], cols, 1) - 1)
        if len(parts) == 2:
            return MatrixElement(base, self.index(parts[0], rows, 0) - 1, self.index(parts[1], cols, 1) - 1)
        raise MatrixReadError(f"one index for the matrix {getattr(base, 'name', base)}")

    def sample(self, raw: str, sub: str) -> sp.Basic:
        """``\\mathbf x_i``: row i of the matrix the prose stacks the samples in, as a column."""
        parts = index_letters(sub)
        if len(parts) != 1:
            raise MatrixReadError(f"a sample {raw}_{{{sub}}} with two indices")
        mat = self.samples.get(raw.lstrip("\\")) or self.sample_matrix(raw, parts[0])
        i = self.index(parts[0], mat.shape[0], 0) - 1
        r, c = sp.Dummy("r", integer=True), sp.Dummy("c", integer=True)
        return sp.FunctionMatrix(mat.shape[1], 1, sp.Lambda((r, c), MatrixElement(mat, i, r)))

    def sample_matrix(self, raw: str, letter: str) -> sp.MatrixSymbol:
        """Samples x_1..x_N of a vector x the prose gives a size, under a sum to N: the rows of a matrix
        named after them (the counterexample shows them as its rows)."""
        bound = self.bound.get(letter)
        shape = self.shapes.get(raw) or self.shapes.get(raw.lstrip("\\"))
        if bound is None or bound[1] is None or shape is None or shape[1] != "1":
            raise MatrixReadError(f"the bold {raw}_{letter}: a sample, but the prose does not say which matrix "
                                  "holds the samples as rows (or the sum over them)")
        name = f"{raw.lstrip(chr(92))}_{{1..{bound[1]}}}"
        known = next((m for m in self.ctx.matrices if m.name == name), None)
        return known if known is not None else self.ctx.matrix(name, bound[1], self.dim(shape[0]))

    def sum_(self) -> sp.Basic:
        """``\\sum_{i=1}^{n} body``: the body is the term after the sum (products, not sums)."""
        if self.peek()[1] != "_":
            raise MatrixReadError(r"a \sum without its index")
        self.take("_")
        sub = self.group()
        m = re.fullmatch(r"\s*([A-Za-z])\s*(?:=\s*(.+?))?\s*", sub)
        if not m:
            raise MatrixReadError(rf"the range of \sum_{{{sub}}}")
        letter = m.group(1)
        lo = self.limit(m.group(2)) if m.group(2) else sp.Integer(1)
        hi = None
        if self.peek()[1] == "^":
            self.take("^")
            hi = self.limit(self.group())
        s = sp.Symbol(f"{letter}_s{len(self.bound)}", integer=True)
        saved = self.bound.get(letter)
        self.bound[letter] = (s, hi)
        try:
            body = self.term()
        finally:
            if saved is None:
                self.bound.pop(letter)
            else:
                self.bound[letter] = saved
        if hi is None:
            hi = _range_of(body, s)
        # the index letter read as a value (an exponent, a coefficient) is the bound index too
        body = body.xreplace({x: s for x in body.free_symbols if isinstance(x, sp.Symbol) and x.name == letter})
        body = body.xreplace({s: s + 1})
        lo, hi = lo - 1, hi - 1
        matrix_body = isinstance(body, MatrixExpr) or (
            isinstance(body, sp.Derivative) and isinstance(body.variables[0], MatrixExpr))
        if matrix_body and lo.is_Integer and hi.is_Integer and 0 <= hi - lo < MAX_UNROLLED:
            # a sum of matrices over a concrete range is its terms: \sum_{i=0}^{2} (\alpha S)^i = I + ...
            return sp.MatAdd(*[body.xreplace({s: sp.Integer(k)}) for k in range(int(lo), int(hi) + 1)])
        if matrix_body:
            r, c = sp.Dummy("r", integer=True), sp.Dummy("c", integer=True)  # a sum of vectors: entry by entry
            rows, cols = body.shape if isinstance(body, MatrixExpr) else body.variables[0].shape
            return sp.FunctionMatrix(rows, cols, sp.Lambda((r, c), sp.Sum(entry(body, r, c), (s, lo, hi))))
        return sp.Sum(body, (s, lo, hi))

    def limit(self, text: str) -> sp.Expr:
        """A limit of a sum: an integer or an expression in the note's sizes."""
        e = self.sub_expr(text)
        if isinstance(e, sp.MatrixExpr) or not all(x in self.ctx.sizes for x in e.free_symbols):
            raise MatrixReadError(f"the limit {text!r} of a sum is not a size the prose states")
        return e

    def wrap_free(self, e: sp.Basic, free: list) -> sp.Basic:
        """A side with free indices as the vector or matrix of its entries over them."""
        if isinstance(e, MatrixExpr) and not (e.shape[0] == 1 and e.shape[1] == 1):
            raise MatrixReadError("a free index beside a vector or matrix expression")
        r, c = sp.Dummy("r", integer=True), sp.Dummy("c", integer=True)
        if len(free) == 1:
            (s, (dim, _axis)), = free
            return sp.FunctionMatrix(dim, 1, sp.Lambda((r, c), e.xreplace({s: r + 1})))
        if len(free) == 2:
            (s, (d1, _)), (t, (d2, _)) = free
            return sp.FunctionMatrix(d1, d2, sp.Lambda((r, c), e.xreplace({s: r + 1, t: c + 1})))
        raise MatrixReadError("more than two free indices")


def _range_of(body: sp.Basic, s: sp.Symbol) -> sp.Expr:
    """The size an index runs over, read off the entries it picks (``\\sum_i x_i y_i``: the size of x)."""
    dims = set()
    for m in sp.preorder_traversal(body):
        if isinstance(m, MatrixElement):
            for axis, ix in ((0, m.i), (1, m.j)):
                if sp.expand(ix - (s - 1)) == 0:
                    dims.add(m.parent.shape[axis])
    if len(dims) != 1:
        raise MatrixReadError(r"a \sum without its upper limit, over an index whose range the entries do not fix")
    return dims.pop()
