"""Matrix literals in notes and answers: ``pmatrix``, ``bmatrix``, ``Bmatrix``, ``matrix``,
``vmatrix`` (a determinant), ``array`` (inside ``\\left[ \\right]`` or not); their sums, products
and scalar multiples.  Every entry and every scalar factor goes through the notes reader (never
``sympify``); the literal becomes an explicit SymPy matrix, so a relation between literals is
decided exactly by the matrix engine.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp

from verifier.notes.reader import Reader

_ENV = re.compile(r"\\begin\{(pmatrix|bmatrix|Bmatrix|vmatrix|Vmatrix|matrix|smallmatrix|array)\}"
                  r"(\{[^{}]*\})?(.*?)\\end\{\1\}", re.S)
_BOXED = re.compile(r"\\boxed\{")
_MATH = re.compile(r"\$\$(.+?)\$\$|\\\[(.+?)\\\]|\$(.+?)\$", re.S)
_PLACE = "\x00M{}\x00"


class MatrixReadError(ValueError):
    """A matrix literal or a combination of literals the reader cannot take apart."""


@dataclass
class MatrixReading:
    expr: sp.Basic  # an explicit matrix, a number (a determinant), or a scalar expression
    literals: int


def _rows(body: str) -> list[list[str]]:
    body = body.strip()
    rows = [r for r in re.split(r"\\\\", body)]
    if rows and not rows[-1].strip():
        rows = rows[:-1]  # a trailing \\ before \end
    out = [[c.strip() for c in r.split("&")] for r in rows]
    if not out or any(len(r) != len(out[0]) for r in out):
        raise MatrixReadError("the rows of the matrix have different lengths")
    return out


def _entry(text: str, reader: Reader) -> sp.Basic:
    if not text:
        raise MatrixReadError("an empty matrix entry")
    return reader.read(text).expr


def read_literal(kind: str, body: str, reader: Reader) -> sp.Basic:
    m = sp.ImmutableMatrix([[_entry(c, reader) for c in row] for row in _rows(body)])
    if kind in ("vmatrix", "Vmatrix"):
        if m.shape[0] != m.shape[1]:
            raise MatrixReadError("a determinant (vmatrix) of a non-square matrix")
        return m.det()
    return m


def _clean(tex: str) -> str:
    tex = tex.replace("\x0c", "f")  # "\frac" written in a non-raw string: backslash + form feed
    tex = re.sub(r"\\left\s*[\[(]|\\right\s*[\])]", " ", tex)
    tex = re.sub(r"\\[,;!]|\\quad|\\qquad", " ", tex)
    return tex.strip().rstrip(".").strip()


def read_matrix_expression(tex: str, reader: Reader | None = None) -> MatrixReading:
    """A combination of matrix literals (``A + B``, ``A B``, ``\\frac{t}{6} A``) as one explicit matrix."""
    reader = reader or Reader()
    tex = _clean(tex)
    mats: list = []

    def place(m: re.Match) -> str:
        mats.append(read_literal(m.group(1), m.group(3), reader))
        return _PLACE.format(len(mats) - 1)

    skeleton = _ENV.sub(place, tex).strip()
    if not mats:
        return MatrixReading(reader.read(tex).expr, 0)
    while skeleton.startswith("(") and skeleton.endswith(")") and skeleton.count("(") == 1:
        skeleton = skeleton[1:-1].strip()
    terms = _split_terms(skeleton)
    total = None
    for sign, term in terms:
        value = _term(term, mats, reader) * sign
        total = value if total is None else total + value
    return MatrixReading(total, len(mats))


def _split_terms(s: str) -> list[tuple[int, str]]:
    out, depth, cur, sign = [], 0, "", 1
    for ch in s:
        if ch in "{(":
            depth += 1
        elif ch in "})":
            depth -= 1
        if ch in "+-" and depth == 0 and cur.strip().endswith("\x00"):
            out.append((sign, cur))
            cur, sign = "", (1 if ch == "+" else -1)
            continue
        cur += ch
    out.append((sign, cur))
    return out


def _term(term: str, mats: list, reader: Reader):
    parts = re.split(r"\x00M(\d+)\x00", term)
    value = None
    scalar = sp.Integer(1)
    for k, part in enumerate(parts):
        if k % 2 == 1:
            m = mats[int(part)]
            value = m if value is None else value * m
            continue
        text = part.strip()
        text = re.sub(r"^\\cdot|\\cdot$|^\\times|\\times$", "", text).strip()
        if text == "-":
            scalar = -scalar
        elif text:
            scalar = scalar * reader.read(text).expr
    if value is None:
        raise MatrixReadError("a term without a matrix beside matrix terms")
    return scalar * value


def last_answer(text: str) -> str:
    """The answer a solution gives: its last \\boxed{...}, else its last math, else the text."""
    boxes = list(_BOXED.finditer(text))
    if boxes:
        start = boxes[-1].end()
        depth = 1
        for k in range(start, len(text)):
            if text[k] == "{":
                depth += 1
            elif text[k] == "}":
                depth -= 1
                if depth == 0:
                    return text[start:k]
    maths = list(_MATH.finditer(text))
    if maths:
        m = maths[-1]
        return next(g for g in m.groups() if g is not None)
    return text
