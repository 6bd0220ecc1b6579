"""One vector / matrix step of a note: read with the shapes the prose states, decided by the matrix
engine.  Conservative by construction: anything it cannot read, a bold name without a shape, or
matrix names beside matrix literals (the prose may bind ``A`` to a literal in an example) gives
``unknown`` with the reason, never a guess."""
from __future__ import annotations

import sympy as sp

from verifier.engine.decide import decide
from verifier.engine.problem import Problem
from verifier.model.context import Context
from verifier.model.results import UNKNOWN, Verdict
from verifier.model.shapes import has_matrices
from verifier.notes.linalg_reader import MatrixReadError
from verifier.notes.matrix_reader import read_matrix_latex
from verifier.notes.shapes import shapes_in


def _literals(e: sp.Basic) -> bool:
    return any(isinstance(x, sp.MatrixBase) for x in sp.preorder_traversal(e))


def _symbols(e: sp.Basic) -> bool:
    return any(isinstance(x, sp.MatrixSymbol) for x in sp.preorder_traversal(e))


def check_matrix_step(lhs: str, rhs: str, prose: str, relation: str = "=") -> Verdict:
    shapes = shapes_in(prose)
    ctx = Context()
    try:
        a, _ = read_matrix_latex(lhs, shapes, ctx)
        b, _ = read_matrix_latex(rhs, shapes, ctx)
    except (MatrixReadError, ValueError, TypeError, sp.ShapeError) as exc:
        return Verdict(UNKNOWN, "reading", f"not read as a matrix statement: {exc}")
    if isinstance(a, sp.Symbol) or isinstance(b, sp.Symbol):
        return Verdict(UNKNOWN, "reading", "a side is a bare name the note may define; its definition is not read here")
    if not (has_matrices(a) or has_matrices(b)):
        return Verdict(UNKNOWN, "reading", "no vector or matrix in the step (the scalar reader decides it)")
    if (_literals(a) or _literals(b)) and (_symbols(a) or _symbols(b)):
        return Verdict(UNKNOWN, "reading", "matrix names beside matrix literals: the prose may bind the names to values")
    return decide(Problem(a, b, relation, ctx))
