"""Shapes stated in a note's prose: ``\\mathbf x \\in \\mathbb R^d``,
``X \\in \\mathbb{R}^{n \\times d}``, ``A, B \\in \\mathbb{R}^{n \\times n}``, "X is an n×d matrix".

Returns name -> (rows, cols) with the dimensions as LaTeX text (read later by the reader); a
vector in R^d is a column, (d, "1").  Bold and plain spellings give the same name (``\\mathbf{x}``,
``\\boldsymbol{x}``, ``\\bm{x}``, ``\\vec{x}`` -> ``x``), so a shape is found whichever the note uses.
"""
from __future__ import annotations

import re

_BOLD = re.compile(r"\\(?:mathbf|boldsymbol|bm|vec|mathbfit)\s*\{\s*(\\?[A-Za-z]+)\s*\}|\\(?:mathbf|boldsymbol|bm|vec)\s+(\\?[A-Za-z])")
_NAME = r"(?:\\?[A-Za-z]+(?:_\{?[A-Za-z0-9]+\}?)?)"
_IN = re.compile(r"((?:" + _NAME + r"\s*,\s*)*" + _NAME + r")\s*\\in\s*\\mathbb\s*\{?R\}?\s*\^\s*(\{[^{}]*\}|[A-Za-z0-9])")
_PROSE = re.compile(r"\$?(" + _NAME + r")\$?\s+is\s+an?\s+\$?([A-Za-z0-9+\-]+)\s*(?:\\times|×|x)\s*([A-Za-z0-9+\-]+)\$?\s+matrix")


def plain(tex: str) -> str:
    """Bold / arrow spellings to the bare name: \\mathbf{x} -> x, \\boldsymbol{\\mu} -> \\mu."""
    return _BOLD.sub(lambda m: m.group(1) or m.group(2), tex)


def dims_of(sup: str) -> tuple[str, str]:
    """``{n \\times d}`` -> ("n", "d"); ``d`` -> ("d", "1")."""
    return _dims(sup)


def _dims(sup: str) -> tuple[str, str]:
    sup = sup.strip()
    if sup.startswith("{"):
        sup = sup[1:-1]
    parts = re.split(r"\\times|×", sup)
    if len(parts) == 1:
        return parts[0].strip(), "1"
    if len(parts) == 2:
        return parts[0].strip().strip("()"), parts[1].strip().strip("()")
    raise ValueError(f"not a shape: R^{{{sup}}}")


def shapes_in(text: str) -> dict[str, tuple[str, str]]:
    """Every shape the text states, name -> (rows, cols) as LaTeX."""
    text = plain(text)
    out: dict[str, tuple[str, str]] = {}
    for m in _IN.finditer(text):
        try:
            dims = _dims(m.group(2))
        except ValueError:
            continue
        for name in re.split(r"\s*,\s*", m.group(1)):
            out[name.strip()] = dims
    for m in _PROSE.finditer(text):
        out[m.group(1)] = (m.group(2), m.group(3))
    return out
