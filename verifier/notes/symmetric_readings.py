r"""A step on the entries of a square matrix: two readings, the matrix any and the matrix symmetric.

Many steps on entries hold only when the matrix is symmetric: swapping its indices,
``\sum_j \sum_i W_{ji} f(x_i)^2 = \sum_i \sum_j W_{ij} f(x_i)^2``, or taking a row sum for a column sum,
``\sum_i d_i x_i = \sum_i \sum_j W_{ij} x_j`` with ``d_i = \sum_j W_{ij}``.  Weight, kernel, distance and
covariance matrices are symmetric, and notes often say so only in the prose, after the step, or not at
all.  Read with W any matrix such a step fails, and a refutation would call a right step wrong.

So a claim on the entries of a square matrix (``W_{pq}`` with both indices over the same range, or written
both as ``W_{pq}`` and ``W_{qp}``) is decided under a second reading too, with the matrix symmetric (its entry
``W_{pq}`` read as ``(W_{pq} + W_{qp}) / 2``, which ranges over exactly the symmetric matrices):

* it fails in both readings: refuted, whichever the author means;
* it fails with W any matrix and holds with W symmetric: ``unknown``, saying it holds when W is
  symmetric (the failure with W any matrix is shown);
* it holds with W any matrix: the verdict stands (the second reading is not needed).

Where the prose states that a matrix is symmetric ("$W$ is a symmetric matrix", "$\mathbf{W}$ 是对称矩阵",
"$K^\top = K$"), that is the reading, for every claim that uses its entries: the verdict is the symmetric
reading's, saying so.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Callable

import sympy as sp

from verifier.engine.problem import Problem
from verifier.model.results import CHECKED, PROVED, REFUTED, UNKNOWN, Verdict
from verifier.notes.blocks import find_inline
from verifier.notes.memo import copied_cache
from verifier.notes.statements import stated_under_a_case


@dataclass
class SymmetricReading:
    """The second reading of a claim: its problem with its square matrices symmetric."""

    problem: Problem
    names: tuple[str, ...]  # the matrices, as the note writes them
    stated: dict[str, int] | None = None  # the matrices the prose states symmetric -> the line that says so

    def said(self) -> str:
        return ", ".join(self.names)

    def combine(self, general: Verdict, symmetric: Verdict) -> Verdict:
        """One verdict from the two readings (module docstring)."""
        if general.status != REFUTED:
            return general
        stated = ", ".join(f"line {line}" for line in (self.stated or {}).values())
        as_stated = f", as the note states ({stated})" if stated else ""
        if symmetric.status == REFUTED:
            v = copy.copy(general)
            v.message += f" (it fails with {self.said()} symmetric too{as_stated})"
            return v
        if symmetric.status not in (PROVED, CHECKED):
            return self._verdict(general, symmetric, "not decided (" + _detail(symmetric.message) + ")")
        if stated:
            v = copy.copy(symmetric)
            v.message += f" (read with {self.said()} symmetric{as_stated}; with it any matrix the step fails)"
            return v
        return self._verdict(general, symmetric, symmetric.status)

    def _verdict(self, general: Verdict, symmetric: Verdict, outcome: str) -> Verdict:
        entry = self.names[0]
        one = len(self.names) == 1
        message = (f"with {self.said()} symmetric ({entry}_{{ij}} = {entry}_{{ji}}) the step is {outcome}, and a note "
                   f"often states a symmetric matrix only in its prose; read with {self.said()} any "
                   f"{'matrix' if one else 'matrices'} it fails ({_detail(general.message)})")
        return Verdict(UNKNOWN, "reading", message, None, (general.seconds or 0) + (symmetric.seconds or 0))


def _detail(message: str) -> str:
    text = (message or "").splitlines()[0] if message else ""
    text = text.split(": ", 1)[-1] if text.startswith("fails at") else text
    return text if len(text) <= 200 else text[:197] + "..."


def swapped_bases(*exprs: sp.Basic) -> list[sp.IndexedBase]:
    """The matrices (two-index entries) written both as A[p, q] and as A[q, p] with p and q different."""
    pairs: dict[sp.Basic, set[tuple]] = {}
    for e in exprs:
        for x in e.atoms(sp.Indexed):
            if len(x.indices) == 2:
                pairs.setdefault(x.base, set()).add(tuple(x.indices))
    return sorted((base for base, seen in pairs.items()
                   if any(p != q and (q, p) in seen for p, q in seen)), key=str)


def _symmetrised(e, bases: set) -> object:
    if not isinstance(e, sp.Basic):
        return e
    swap = {x: (x + x.base[x.indices[1], x.indices[0]]) / 2 for x in e.atoms(sp.Indexed)
            if x.base in bases and len(x.indices) == 2}
    return e.xreplace(swap) if swap else e


def _entry_ranges(e, acc: dict, ranges: dict) -> None:
    """For every two-index matrix in e, the ranges its row and its column indices run over (None for an
    index no sum binds: a number, a free letter)."""
    if isinstance(e, (sp.Sum, sp.Product)):
        inner = dict(ranges)
        inner.update({lim[0]: tuple(lim[1:]) for lim in e.limits if len(lim) == 3})
        _entry_ranges(e.function, acc, inner)
        return
    if isinstance(e, sp.Indexed):
        if len(e.indices) == 2:
            rows, cols = acc.setdefault(e.base, (set(), set()))
            rows.add(ranges.get(e.indices[0]))
            cols.add(ranges.get(e.indices[1]))
        return
    for a in e.args:
        _entry_ranges(a, acc, ranges)


def square_bases(*exprs: sp.Basic) -> list[sp.IndexedBase]:
    """The matrices whose entries the expressions take with both indices over one range (sums over 1..m
    for rows and columns), or written both as W[p, q] and W[q, p]."""
    acc: dict = {}
    for e in exprs:
        _entry_ranges(e, acc, {})
    square = {b for b, (rows, cols) in acc.items() if None not in rows | cols and rows == cols and len(rows) == 1}
    return sorted(square | set(swapped_bases(*exprs)), key=str)


def _matrices(*exprs) -> set[sp.IndexedBase]:
    bodies = [e.expr if isinstance(e, sp.Lambda) else e for e in exprs]
    return {x.base for e in bodies if isinstance(e, sp.Basic) for x in e.atoms(sp.Indexed) if len(x.indices) == 2}


def symmetric_reading(problem: Problem | None, symbol: Callable[[str], str] = str,
                      stated: dict[str, int] | None = None) -> SymmetricReading | None:
    """The claim read with its square matrices symmetric, and those the prose states symmetric (`stated`:
    name as written, without font -> line), or None when there are none."""
    if problem is None or problem.relation not in ("=", "<=", ">=", "<", ">"):
        return None
    used = _matrices(problem.lhs, problem.rhs, *problem.ctx.definitions.values()) if stated else set()
    said = {b: stated[symbol(str(b.label))] for b in used if symbol(str(b.label)) in stated}
    bases = sorted(set(square_bases(problem.lhs, problem.rhs)) | set(said), key=str)
    if not bases:
        return None
    chosen = set(bases)
    ctx = copy.copy(problem.ctx)
    ctx.definitions = {k: (sp.Lambda(v.variables, _symmetrised(v.expr, chosen)) if isinstance(v, sp.Lambda)
                           else _symmetrised(v, chosen)) for k, v in problem.ctx.definitions.items()}
    sym = copy.copy(problem)
    sym.lhs, sym.rhs, sym.ctx = _symmetrised(problem.lhs, chosen), _symmetrised(problem.rhs, chosen), ctx
    return SymmetricReading(sym, tuple(symbol(str(b.label)) for b in bases),
                            {symbol(str(b.label)): line for b, line in said.items()})


_NAME = r"\s*(?:\\(?:mathbf|boldsymbol|bm|mathrm|mathit)\s*\{\s*(\\?[A-Za-z]+)\s*\}|(\\?[A-Za-z]+))\s*"
_T = r"\^\s*(?:\{\s*(?:T|\\top|\\intercal|\\mathsf\s*\{\s*T\s*\})\s*\}|T|\\top|\\intercal)"
#: a name stated symmetric in words right after or before it, or by an equation with its transpose
_SAID_AFTER = re.compile(r"^[^.;:。；，,$]{0,24}?(?:\b(?:is|be|being)\s+(?:a\s+|an\s+)?(?:real\s+|square\s+)?"
                         r"symmetric\b|(?:是|为)[^.;:。；，,$]{0,6}?对称)", re.I)
_SAID_BEFORE = re.compile(r"(?:\bsymmetric\s+(?:\w+\s+){0,2}|对称(?:矩阵|阵)?\s*)$", re.I)
_ENTRY = r"\s*(?:\\(?:mathbf|boldsymbol|bm)\s*\{\s*)?(\\?[A-Za-z]+)\s*\}?\s*_\s*\{\s*([a-z])\s*,?\s*([a-z])\s*\}\s*"
_SWAPPED_ENTRIES = re.compile(_ENTRY + "=" + _ENTRY)
_NOT = re.compile(r"\b(?:not|non|never|nor)\b|不|非", re.I)


def _name_of(tex: str) -> str | None:
    """The name an inline math names: W, \\mathbf{W}, or the W of W \\in \\mathbb{R}^{n \\times n}."""
    m = re.fullmatch(_NAME + r"(?:\\in(?![A-Za-z]).*)?", tex, re.S)
    return (m.group(1) or m.group(2)).lstrip("\\") if m else None


def stated_at(stated: dict[str, int], line: int, span: Callable[[int], tuple[float, float]]) -> dict[str, int]:
    """The statements of symmetry that hold at `line`: those made in its section (`span` of a statement's line:
    the first and the last line of its section), as a definition holds in its section."""
    return {name: at for name, at in stated.items() if span(at)[0] <= line <= span(at)[1]}


def stated_symmetric(text: str, inline: list[tuple[int, str]] | None = None) -> dict[str, int]:
    """The matrices the prose states symmetric: name (without its font) -> the line that says so.  `inline` is
    the note's inline math (notes.blocks.find_inline), found again when not given."""
    if inline is None:
        return _stated_in(text)
    out: dict[str, int] = {}
    lines = text.splitlines()
    cursor: dict[int, int] = {}  # where the next inline math of a line is looked for (two on one line)
    for line, math in inline:
        row = lines[line - 1] if 0 < line <= len(lines) else ""
        found = [(k, len(opening)) for opening in ("$", "\\(")
                 if (k := row.find(opening + math, cursor.get(line, 0))) >= 0]
        at = min(k + width for k, width in found) if found else row.find(math)
        cursor[line] = at + len(math) if at >= 0 else cursor.get(line, 0)
        before = (lines[line - 2] + " " if line > 1 else "") + (row[:at] if at >= 0 else "")
        after = (row[at + len(math):] if at >= 0 else "") + " " + (lines[line] if line < len(lines) else "")
        before, after = before.rstrip(" $(\\")[-40:], after.lstrip("$)\\")[:60]
        name = _name_of(math)
        said = _SAID_AFTER.match(after) if name else None
        words = said.group(0) if said else ""
        if name and not said:
            said = _SAID_BEFORE.search(before + " ")
            words = before[max(0, said.start() - 6):] if said else ""
        if said and not _NOT.search(words):
            out.setdefault(name, line)
            continue
        if stated_under_a_case(lines, line, math):
            continue  # "if $W^\top = W$": a case, not what the note says of W
        eq = re.fullmatch(_NAME + _T + r"\s*=" + _NAME, math) or re.fullmatch(_NAME + r"=" + _NAME + _T + r"\s*", math)
        if eq and len({g.lstrip("\\") for g in eq.groups() if g}) == 1:
            out.setdefault(next(g for g in eq.groups() if g).lstrip("\\"), line)
            continue
        entries = _SWAPPED_ENTRIES.fullmatch(math)  # W_{ij} = W_{ji}
        if entries and entries.group(1) == entries.group(4) and entries.group(2, 3) == entries.group(6, 5) \
                and entries.group(2) != entries.group(3):
            out.setdefault(entries.group(1).lstrip("\\"), line)
    return out


@copied_cache(8)
def _stated_in(text: str) -> dict[str, int]:
    """(every matrix step of a note asks with the note up to its line)"""
    return stated_symmetric(text, find_inline(text))
