r"""A subscript on a bracket: ``(\mathbf{W})_{ij}`` is the entry ij of the matrix W.

Notes write the entry of a bold matrix or vector with the name in brackets, ``(\mathbf{W})_{ij}``,
``\left(\mathbf{x}\right)_k``, so that the subscript is not read as part of the name.  The grammar reads
a subscript on a bracket as a Pochhammer symbol, the falling factorial ``W!/(W - ij)!``: a misreading
under which steps on W are proved or refuted as statements about factorials.

* ``(NAME)_{sub}`` becomes the entry ``NAME_{sub}``, a number, when the name is bold (a vector or a matrix)
  or the subscript holds two indices (``(W)_{ij}``, ``(W)_{i,j}``);
* ``(x)_k`` (a plain name, one index) is refused: an entry of x, or a Pochhammer symbol?
* ``(expression)_{sub}`` is refused: the entry of a product or of a sum (``(AB)_{ij}``) is not read, and
  as a Pochhammer symbol ``(x + 1)_n`` is ambiguous (a rising factorial in analysis, a falling one in
  combinatorics);
* a bracket right after a function's name (``\sigma(\mathbf{z})_k``, ``\mathrm{softmax}(z)_k``) is a call's
  argument list, left to the reading of calls.
"""
from __future__ import annotations

import re

from verifier.notes.notation import ACCENTS
from verifier.notes.scan import ReadError, name_of_token

_CLOSE_THEN_SUB = re.compile(r"(?:\\right\s*)?\)\s*_")
_FONT = re.compile(r"\\(?:mathbf|boldsymbol|bm|mathit|mathrm|mathsf|pmb|vec)\s*"
                   r"(?:\{\s*(\\?[A-Za-z]+)\s*\}|(\\[A-Za-z]+|[A-Za-z]))")
_BOLD = re.compile(r"\\(?:mathbf|boldsymbol|bm|pmb|vec)(?![A-Za-z])")
_ACCENT = re.compile(r"\\(" + "|".join(ACCENTS) + r")\s*\{(.*)\}", re.S)
#: the end of the text before a bracket that makes it a call's argument list: a name, or the brace of
#: \mathrm{softmax} / \operatorname{tr}
_NAME_BEFORE = re.compile(r"(?:\\[A-Za-z]+|[A-Za-z])\s*$")
_WRAPPED_NAME_BEFORE = re.compile(r"\\(?:mathrm|operatorname|text|textrm|mathit|mathsf)\s*\{[^{}]*\}\s*$")
_SCRIPT_BEFORE = re.compile(r"[_^]\s*(?:\{[^{}]*\}|\\[A-Za-z]+|[A-Za-z0-9])\s*$")
#: commands after which a bracket starts a term (an operator, not a function's name)
_OPERATORS = {"cdot", "times", "div", "pm", "mp", "left", "quad", "qquad", "sum", "prod", "int", "frac", "sqrt"}


def _open_of(s: str, close: int) -> int | None:
    """The position of the ( (or \\left() that the ) at `close` closes."""
    depth, k = 0, close
    while k >= 0:
        if s[k] == ")":
            depth += 1
        elif s[k] == "(":
            depth -= 1
            if depth == 0:
                before = s[:k].rstrip()
                return len(before) - 5 if before.endswith("\\left") else k
        k -= 1
    return None


def _after_a_name(before: str) -> bool:
    """Is a bracket after this text a call's argument list (f(x)_i, \\sigma(z)_k), not a term of its own?"""
    before = before.rstrip()
    if not before or _SCRIPT_BEFORE.search(before):
        return False  # \sum_{j=1}^m (W)_{ij}: the m is the sum's bound, not a function
    if _WRAPPED_NAME_BEFORE.search(before):
        return True
    m = _NAME_BEFORE.search(before)
    return bool(m) and m.group(0).strip().lstrip("\\") not in _OPERATORS


def _unfont(tex: str) -> tuple[str, bool]:
    """The name without its font, and whether the font is bold (marks a vector or a matrix)."""
    m = _FONT.fullmatch(tex.strip())
    return ((m.group(1) or m.group(2)), bool(_BOLD.match(m.group(0)))) if m else (tex.strip(), False)


def _bare_name(group: str) -> tuple[str | None, bool]:
    """The name a bracket holds when it holds only a name (an accent on it kept), and whether it is bold:
    W -> (W, False), \\mathbf{W} -> (W, True), \\hat{\\boldsymbol\\theta} -> (\\hat{\\theta}, True)."""
    inner, bold = _unfont(group)
    accent = _ACCENT.fullmatch(inner)
    core, inner_bold = _unfont(accent.group(2) if accent else inner)
    if name_of_token(core) is None:
        return None, bold
    return (f"\\{accent.group(1)}{{{core}}}" if accent else core), bold or inner_bold


_TWO_INDICES = re.compile(r"\s*(?:\{\s*[A-Za-z0-9]\s*,?\s*[A-Za-z0-9]\s*\}|[A-Za-z0-9]\s*,\s*[A-Za-z0-9])")


_REFUSED = {
    True: "a subscript on a bracketed expression: the entry of a product or a sum of matrices is not read, and a "
          "Pochhammer symbol (x + 1)_n is ambiguous (a rising or a falling factorial); give the entry a name",
    False: "a subscript on a bracketed name, (x)_k: the entry x_k (write it so, or the name in bold) or a "
           "Pochhammer symbol (a rising or a falling factorial: write it as a product or with factorials)?",
}


def bracket_entries(latex: str, refuse: bool = True) -> str:
    """``(\\mathbf{W})_{ij}`` -> `` W_{ij}``; a subscript on a bracketed expression raises a ReadError (with
    `refuse` False it is left as written, for a look at the text that must not fail)."""
    s, pos = latex, 0
    for _ in range(200):
        m = _CLOSE_THEN_SUB.search(s, pos)
        if m is None:
            return s
        close = s.index(")", m.start())
        start = _open_of(s, close)
        if start is None or _after_a_name(s[:start]):
            pos = m.end()
            continue
        body_at = s.index("(", start) + 1
        group = s[body_at:close]
        if group.rstrip().endswith("\\right"):
            group = group.rstrip()[:-6]
        name, bold = _bare_name(group)
        if name is None or not (bold or _TWO_INDICES.match(s, m.end())):
            if refuse:
                raise ReadError(s[start:m.end() + 8].strip(), _REFUSED[name is None])
            pos = m.end()
            continue
        new = " " + name + "_"
        s = s[:start] + new + s[m.end():]
        pos = start + len(new)
    return s
