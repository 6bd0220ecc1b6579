"""One vector / matrix step of a note: read with the shapes the prose states, decided by the matrix
engine.  Conservative by construction: anything it cannot read, a bold name without a shape, or
matrix names beside matrix literals (the prose may bind ``A`` to a literal in an example) gives
``unknown`` with the reason, never a guess."""
from __future__ import annotations

import re

import sympy as sp

from verifier.engine.decide import decide, decide_step
from verifier.engine.problem import Problem
from verifier.model.context import Context
from verifier.model.results import UNKNOWN, Verdict
from verifier.model.shapes import has_matrices
from verifier.notes.linalg_reader import MatrixReadError
from verifier.notes.matrix_reader import read_matrix_latex
from verifier.notes.prose_shapes import shapes_in


def _literals(e: sp.Basic) -> bool:
    return any(isinstance(x, sp.MatrixBase) for x in sp.preorder_traversal(e))


def _symbols(e: sp.Basic) -> bool:
    return any(isinstance(x, sp.MatrixSymbol) for x in sp.preorder_traversal(e))


_MATRIX_HINT = re.compile(r"\\(?:mathbf|boldsymbol|bm|vec)\b|\^\s*\\top|\^\s*\{\s*\\(?:top|intercal|mathrm\s*\{?T)|"
                          r"\\begin\{[pbvBV]?matrix\}|\\operatorname\{tr\}|\\odot|\\langle|\\nabla_")


def looks_like_matrices(tex: str) -> bool:
    """Vector or matrix notation in a step (bold names, transposes, literals, tr, odot, nabla)."""
    return bool(_MATRIX_HINT.search(tex))


def shaped_names(tex: str, prose: str) -> list[str]:
    """The names in tex that the prose gives a vector or matrix shape (they are not numbers)."""
    from verifier.notes.matrix_reader import tokens  # same layer

    shapes = {k: v for k, v in shapes_in(prose).items() if (v[0], v[1]) != ("1", "1")}
    if not shapes:
        return []
    try:
        toks = tokens(tex)
    except MatrixReadError:
        toks = [("name", t) for t in re.findall(r"\\?[A-Za-z]+", tex)]
    out = []
    for kind, text in toks:
        name = re.sub(r"^\\\w+\s*\{?\s*|\s*\}?$", "", text) if kind == "bold" else text
        if name in shapes or name.lstrip("\\") in shapes:
            out.append(name)
    return sorted(set(out))


def prose_before(lines: list[str], line: int) -> str:
    """The step's section up to its line: shapes are scoped by section (Markdown or TeX headings)."""
    start = 0
    for k in range(min(line, len(lines)) - 1, -1, -1):
        if re.match(r"#{1,6}\s|\\(?:sub)*section\*?\{", lines[k]):
            start = k
            break
    return "\n".join(lines[start:line])


def check_matrix_step(lhs: str, rhs: str, prose: str, relation: str = "=", budget: float | None = None) -> Verdict:
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
    problem = Problem(a, b, relation, ctx)
    return decide(problem) if budget is None else decide_step(problem, budget)
