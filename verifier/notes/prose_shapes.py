"""Shapes stated in a note's prose: ``\\mathbf x \\in \\mathbb R^d``,
``X \\in \\mathbb{R}^{n \\times d}``, ``A, B \\in \\mathbb{R}^{n \\times n}``, "X is an n×d matrix".

Returns name -> (rows, cols) with the dimensions as LaTeX text (read later by the reader); a
vector in R^d is a column, (d, "1").  Bold and plain spellings give the same name (``\\mathbf{x}``,
``\\boldsymbol{x}``, ``\\bm{x}``, ``\\vec{x}`` -> ``x``), so a shape is found whichever the note uses.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

#: accents that make a new name of a letter (\\hat{\\mathbf w} is not \\mathbf w); \\widehat = \\hat, \\overline = \\bar
_DECO = {"hat": "hat", "widehat": "hat", "tilde": "tilde", "widetilde": "tilde", "bar": "bar", "overline": "bar",
         "check": "check"}
_DECO_RE = re.compile(r"\\(" + "|".join(sorted(_DECO, key=len, reverse=True)) + r")(?![A-Za-z])\s*(?:\{\s*((?:[^{}]|\{[^{}]*\})*?)\s*\}|"
                      r"(\\?[A-Za-z]))")
#: a layer or sample label written as a superscript in parentheses or brackets: z^{(2)}, W^{[1]}, a^{(l)}
LAYER = r"\^\s*\{\s*[(\[]\s*[A-Za-z0-9+\-]+\s*[)\]]\s*\}"
_LAYER_RE = re.compile(r"\^\s*\{\s*([(\[])\s*([A-Za-z0-9+\-]+?)\s*([)\]])\s*\}")

_BOLD = re.compile(r"\\(?:mathbf|boldsymbol|bm|vec|mathbfit)\s*\{\s*(\\?[A-Za-z]+)\s*\}|\\(?:mathbf|boldsymbol|bm|vec)\s+(\\?[A-Za-z])")
_BOLD_DECO = re.compile(r"\\(?:mathbf|boldsymbol|bm|vec)\s*\{\s*(\\(?:hat|tilde|bar|check)\{[^{}]*\})\s*\}")
_NAME = (r"(?:(?:\\(?:hat|tilde|bar|check)\{\\?[A-Za-z]+\}|\\?[A-Za-z]+)(?:\^\{[(\[][A-Za-z0-9+\-]+[)\]]\})?"
         r"(?:_\{?[A-Za-z0-9]+\}?)?)")
_IN_HEAD = r"((?:" + _NAME + r"\s*,\s*)*" + _NAME + r")\s*\\in\s*\\mathbb"
_IN = re.compile(_IN_HEAD + r"\s*\{?R\}?\s*\^\s*(\{[^{}]*\}|[A-Za-z0-9])")
_IN_HEAD_RE = re.compile(_IN_HEAD)


def _in_statements(text: str) -> Iterator[re.Match]:
    """``_IN.finditer(text)``, trying only where a match can start.  A match's head (the names, ``\\in``,
    ``\\mathbb``) holds no ``$``, so it starts after the last ``$`` before its ``\\in`` and ends before the
    next ``$``: only those stretches are searched for a head, and the whole pattern is tried where one
    starts (every match starts where its head does).  Scanning a 40 KB chapter at every position was
    most of the cost of reading its shapes, once per step."""
    pos, n = 0, len(text)
    while (q := text.find("\\in", pos)) >= 0:
        start = max(pos, text.rfind("$", pos, q) + 1)
        end = text.find("$", q)
        limit = n if end < 0 else end
        m = None
        head = _IN_HEAD_RE.search(text, start, limit)
        while head is not None and (m := _IN.match(text, head.start())) is None:
            head = _IN_HEAD_RE.search(text, head.start() + 1, limit)
        if m is None:  # no match starts in this stretch
            pos = limit + 1
            continue
        yield m
        pos = m.end()


_PROSE = re.compile(r"\$?(" + _NAME + r")\$?\s+is\s+an?\s+\$?([A-Za-z0-9+\-]+)\s*(?:\\times|×|x)\s*([A-Za-z0-9+\-]+)\$?\s+matrix")


#: the same in Chinese: "$W$ 是 $q\\times d$ 矩阵", "一个 $d+1$ 维列向量 $\\hat{w}$", "$\\delta$ 是 $l$ 维"; and a
#: matrix the prose announces before the display that names it ("堆叠成一个 $m\\times(d+1)$ 的矩阵 $$X = ...")
_PROSE_ZH = re.compile(r"\$\s*(" + _NAME + r")\s*\$\s*(?:是|为)\s*(?:一个\s*)?\$\s*([^$]+?)\s*(?:\\times|×)\s*([^$]+?)\s*\$\s*"
                       r"(?:的\s*)?(?:实\s*)?矩阵")
_VECTOR_ZH = re.compile(r"\$\s*([^$]+?)\s*\$\s*维(?:列|实)?向量\s*\$\s*(" + _NAME + r")\s*[$=]")
_VECTOR_ZH2 = re.compile(r"\$\s*(" + _NAME + r")\s*\$\s*(?:是|为)\s*(?:一个\s*)?\$\s*([^$]+?)\s*\$\s*维")
_BEFORE_DISPLAY = re.compile(r"\$\s*([^$]+?)\s*(?:\\times|×)\s*([^$]+?)\s*\$\s*的?\s*矩阵[^$\n]{0,6}\s*\$\$\s*(" + _NAME + r")\s*=")


def plain(tex: str) -> str:
    """Bold / arrow spellings to the bare name: \\mathbf{x} -> x, \\boldsymbol{\\mu} -> \\mu; accents and
    layer labels in one spelling: \\hat{\\boldsymbol{w}} -> \\hat{w}, \\widehat w -> \\hat{w},
    \\mathbf{W}^{ (1) } -> W^{(1)}."""
    tex = _BOLD.sub(lambda m: m.group(1) or m.group(2), tex)
    tex = _DECO_RE.sub(lambda m: "\\" + _DECO[m.group(1)] + "{" + re.sub(r"\s+", "", m.group(2) or m.group(3)) + "}", tex)
    tex = _BOLD.sub(lambda m: m.group(1) or m.group(2), tex)  # \hat{\mathbf w} -> \hat{w} (bold inside)
    tex = _BOLD_DECO.sub(r"\1", tex)  # \boldsymbol{\hat{w}} -> \hat{w} (bold outside)
    return _LAYER_RE.sub(lambda m: "^{" + m.group(1) + m.group(2) + m.group(3) + "}", tex)


def name_key(tex: str) -> tuple[str, bool]:
    """A written name as the key of its shape, and whether it is written in bold:
    ``\\hat{\\boldsymbol{w}}`` -> (``\\hat{w}``, True), ``\\mathbf{W}^{(2)}`` -> (``W^{(2)}``, True),
    ``z^{(2)}`` -> (``z^{(2)}``, False)."""
    bold = bool(re.search(r"\\(?:mathbf|boldsymbol|bm|vec|mathbfit)(?![A-Za-z])", tex))
    key = re.sub(r"\s+", "", plain(tex))
    key = re.sub(r"^\{(.*)\}$", r"\1", key)
    return key, bold


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
    for m in _in_statements(text):
        try:
            dims = _dims(m.group(2))
        except ValueError:
            continue
        for name in re.split(r"\s*,\s*", m.group(1)):
            out[name.strip()] = dims
    for m in _PROSE.finditer(text) if "matrix" in text else ():  # each of its matches ends with the word
        out[m.group(1)] = (m.group(2), m.group(3))
    found = [(m.start(), m.group(1), (_dim(m.group(2)), _dim(m.group(3)))) for m in _PROSE_ZH.finditer(text)]
    found += [(m.start(), m.group(2), (_dim(m.group(1)), "1")) for m in _VECTOR_ZH.finditer(text)]
    found += [(m.start(), m.group(1), (_dim(m.group(2)), "1")) for m in _VECTOR_ZH2.finditer(text)]
    found += [(m.start(), m.group(3), (_dim(m.group(1)), _dim(m.group(2)))) for m in _BEFORE_DISPLAY.finditer(text)]
    for _, name, dims in sorted(found):  # the last statement wins (a section restates a shape)
        if all(re.fullmatch(r"[A-Za-z0-9+\-]+", d) for d in dims):
            out[name] = dims
    return out


def _dim(text: str) -> str:
    """``(d+1)`` -> ``d+1``; ``3`` -> ``3``."""
    return re.sub(r"\s+", "", text).strip("()")
