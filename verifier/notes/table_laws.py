"""A joint law the note gives as a Markdown table.

Two layouts are read, nothing else:

* a grid: the header names the values of one random variable (``| | $Y=0$ | $Y=1$ |``), each row starts with
  a value of the other (``| $X=0$ | $3/8$ | $1/8$ |``) and gives the probabilities;
* a list: the header names the random variables and a probability column (``| $x$ | $y$ | $p(x, y)$ |``,
  ``| X | Y | P |``), each row gives their values and the probability.

Every probability must read as an exact number between 0 and 1 (the note's reader), the values as integers,
the cells must sum to 1, and one name may have one table only (two tables of one name: none is taken).  The
table is the note's law of those random variables (``notes.probability_reader.declare_random``); the
values each takes are its support, over which a bare sum ``\\sum_{x}`` of the note runs
(``table_supports``, read before the grammar by ``notes.probability_spelling``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_AT = re.compile(r"^\$?\s*([A-Za-z])\s*=\s*(-?\d+)\s*\$?$")
_VAR = re.compile(r"^\$?\s*([A-Za-z])\s*\$?$")
_PROB = re.compile(r"^\$?\s*(?:\\Pr|P|p|\\mathbb\{P\}|\\mathrm\{P\})\s*(?:\(.*\))?\s*\$?$|^\$?\s*(?:prob(?:ability)?|概率)\s*\$?$",
                   re.I)
_NUMBER = re.compile(r"^\$?\s*(\d+(?:\.\d+)?(?:\s*/\s*\d+)?|\\[dt]?frac\s*\{\s*\d+\s*\}\s*\{\s*\d+\s*\})\s*\$?$")
_FRAC = re.compile(r"\\[dt]?frac\s*\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}")


@dataclass(frozen=True)
class TableLaw:
    """Random variables ``names`` take the values ``rows[k]`` with probability ``weights[k]``; ``lines`` the
    table's first and last line."""

    names: tuple
    rows: tuple
    weights: tuple
    lines: tuple

    def support(self, name: str) -> tuple:
        k = self.names.index(name)
        return tuple(sorted({r[k] for r in self.rows}))


def _cells(line: str) -> list[str] | None:
    m = _ROW.match(line)
    return None if m is None else [c.strip() for c in m.group(1).split("|")]


def _number(cell: str) -> Fraction | None:
    m = _NUMBER.match(cell)
    if m is None:
        return None
    s = m.group(1)
    f = _FRAC.fullmatch(s)
    try:
        v = Fraction(int(f.group(1)), int(f.group(2))) if f else Fraction(s.replace(" ", ""))
    except (ValueError, ZeroDivisionError):
        return None
    return v if 0 <= v <= 1 else None


def _tables(lines: list[str]) -> list[tuple[int, list[list[str]]]]:
    """(first line, rows of cells) of every Markdown table: a header, a rule, the body."""
    out, k = [], 0
    while k + 1 < len(lines):
        head = _cells(lines[k])
        if head is not None and _RULE.match(lines[k + 1]):
            body, j = [], k + 2
            while j < len(lines) and _cells(lines[j]) is not None:
                body.append(_cells(lines[j]))
                j += 1
            out.append((k + 1, [head] + body))
            k = j
        else:
            k += 1
    return out


def _grid(rows: list[list[str]]) -> tuple | None:
    head, body = rows[0], rows[1:]
    cols = [_AT.match(c) for c in head[1:]]
    if not body or not cols or None in cols or len({m.group(1) for m in cols}) != 1:
        return None
    col_name = cols[0].group(1).upper()
    names, values, weights = None, [], []
    for r in body:
        at = _AT.match(r[0]) if r else None
        if at is None or len(r) != len(head):
            return None
        row_name = at.group(1).upper()
        if names is None:
            names = (row_name, col_name)
        if names != (row_name, col_name) or row_name == col_name:
            return None
        for m, cell in zip(cols, r[1:]):
            w = _number(cell)
            if w is None:
                return None
            values.append((int(at.group(2)), int(m.group(2))))
            weights.append(w)
    return names, values, weights


def _listed(rows: list[list[str]]) -> tuple | None:
    head, body = rows[0], rows[1:]
    if len(head) < 2 or not body or not _PROB.match(head[-1]):
        return None
    vars_ = [_VAR.match(c) for c in head[:-1]]
    if None in vars_:
        return None
    names = tuple(m.group(1).upper() for m in vars_)
    if len(set(names)) != len(names) or set(names) & {"P"}:
        return None
    values, weights = [], []
    for r in body:
        if len(r) != len(head) or not all(re.fullmatch(r"\$?\s*-?\d+\s*\$?", c) for c in r[:-1]):
            return None
        w = _number(r[-1])
        if w is None:
            return None
        values.append(tuple(int(c.strip("$ ")) for c in r[:-1]))
        weights.append(w)
    return names, values, weights


def table_laws(text: str) -> list[TableLaw]:
    """The joint laws the note's Markdown tables give (a grid or a list), each with exact weights summing to 1."""
    found: list[TableLaw] = []
    for first, rows in _tables(text.splitlines()):
        got = _grid(rows) or _listed(rows)
        if got is None:
            continue
        names, values, weights = got
        if sum(weights) != 1 or len(set(values)) != len(values):
            continue
        found.append(TableLaw(tuple(names), tuple(tuple(v) for v in values), tuple(weights),
                              (first, first + len(rows))))
    counts: dict[str, int] = {}
    for t in found:
        for n in t.names:
            counts[n] = counts.get(n, 0) + 1
    return [t for t in found if all(counts[n] == 1 for n in t.names)]  # one table a name, or none


def table_supports(text: str) -> dict[str, tuple[int, int]]:
    """The lowercase letter of each random variable of a table whose values are consecutive integers ->
    (lowest, highest): the range of a bare sum ``\\sum_{x}`` over its values."""
    out: dict[str, tuple[int, int]] = {}
    for t in table_laws(text):
        for n in t.names:
            s = t.support(n)
            if s and list(s) == list(range(s[0], s[-1] + 1)):
                out[n.lower()] = (s[0], s[-1])
    return out
