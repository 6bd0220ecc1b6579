r"""A slash whose denominator is a product written without an operator: ``n/2 \log n``, ``1/2x``.

The grammar lets juxtaposition bind tighter than ``/``, so ``n/2 \log n`` is read as n / (2 log n), where
nearly every note means (n/2) log n; ``1/2 x`` is read as 1/(2x), where it usually means x/2.  Neither
reading is safe: a step that rewrites ``\frac{n}{2}\log n`` as ``n/2 \log n`` would be refuted.  Such a
slash is refused with the reason (write ``\frac``, or brackets); a denominator of one factor
(``x/2``, ``x/2^n``, ``\sigma^2/n``, ``1/(2x)``, ``1/{2x}``) and a product after an operator
(``1/2 \cdot x``) are read as before.  ``dy/dx`` and ``d/dz \tanh z`` are derivatives, not ratios: refused too.
"""
from __future__ import annotations

import re

from verifier.notes.scan import ReadError, matching

#: commands after which a term ends or that join terms: the denominator is one factor before them
_JOINING = {"cdot", "times", "div", "pm", "mp", "le", "leq", "ge", "geq", "ne", "neq", "approx", "to", "right",
            "end", "quad", "qquad", "in", "mid", "lt", "gt", "propto", "sim", "equiv", "leqslant", "geqslant",
            "big", "Big", "bigg", "Bigg", "rangle", "rvert", "rVert", "vert", "Vert", "ldots", "cdots", "dots"}
#: commands that apply to what follows (x / \log n): the denominator's extent is the function's argument
_FUNCTIONS = {"log", "ln", "exp", "sin", "cos", "tan", "tanh", "sinh", "cosh", "sqrt", "lg", "det", "max", "min"}
_DERIVATIVE = re.compile(r"(?<![A-Za-z\\])d\s*([A-Za-z])\s*/\s*d\s*([A-Za-z])(?![A-Za-z])")
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_OPERATOR_BEFORE = re.compile(r"(?:(?<![A-Za-z\\])d|\\partial)\s*$")


def _scripts_end(s: str, k: int) -> int:
    """The end of the sub- and superscripts written at k (x_i^2, 2^{n})."""
    while True:
        j = k
        while j < len(s) and s[j] == " ":
            j += 1
        if j >= len(s) or s[j] not in "_^'!":
            return k
        j += 1
        if s[j - 1] in "'!":
            k = j
            continue
        while j < len(s) and s[j] == " ":
            j += 1
        if j < len(s) and s[j] == "{":
            close = matching(s, j)
            if close == -1:
                return len(s)
            k = close + 1
        else:
            m = _COMMAND.match(s, j)
            k = m.end() if m else j + 1


def _factor_end(s: str, k: int) -> int | None:
    """The end of the one factor that starts at k (a number, a letter, a command name, a bracket or a brace,
    with its scripts), or None where the extent is a function's argument or is not a factor at all."""
    if k >= len(s):
        return None
    c = s[k]
    if c.isdigit() or c == ".":
        m = re.match(r"\d*\.?\d+", s[k:])
        return _scripts_end(s, k + m.end()) if m else None
    if c in "({[":
        close = matching(s, k)
        return None if close == -1 else _scripts_end(s, close + 1)
    if c.isalpha():
        return _call_end(s, _scripts_end(s, k + 1))
    m = _COMMAND.match(s, k)
    if m is None:
        return None
    name = m.group(1)
    if name in _FUNCTIONS or name in _JOINING or name in ("frac", "dfrac", "tfrac", "left", "sum", "prod", "int"):
        return None
    if name in ("text", "mathrm", "operatorname", "mathcal", "mathbb"):
        brace = m.end()
        while brace < len(s) and s[brace] == " ":
            brace += 1
        if brace < len(s) and s[brace] == "{":
            close = matching(s, brace)
            return None if close == -1 else _call_end(s, _scripts_end(s, close + 1))
        return None
    return _call_end(s, _scripts_end(s, m.end()))


def _call_end(s: str, k: int) -> int:
    """After a name, its bracket of arguments (q(x), \\sigma(z)) is part of the one factor: a call."""
    j = k
    while j < len(s) and s[j] == " ":
        j += 1
    if s.startswith("\\left", j):
        j += 5
        while j < len(s) and s[j] == " ":
            j += 1
    if j < len(s) and s[j] == "(":
        close = matching(s, j)
        return k if close == -1 else _scripts_end(s, close + 1)
    return k


def _starts_factor(s: str, j: int) -> bool:
    """Does another factor of a product start at j (a letter, a number, a bracket, a command that is not an
    operator or a relation)?"""
    if j >= len(s):
        return False
    c = s[j]
    if c.isalnum() or c == "(":
        return True
    m = _COMMAND.match(s, j)
    return bool(m) and m.group(1) not in _JOINING


def no_ambiguous_slash(s: str) -> None:
    """Raise a ReadError at the first slash whose denominator is a product written without an operator."""
    d = _DERIVATIVE.search(s)
    if d:
        raise ReadError(d.group(0), "a derivative written d" + d.group(1) + "/d" + d.group(2) + " is not read as "
                        "a ratio of names; write \\frac{d" + d.group(1) + "}{d" + d.group(2) + "}")
    for m in re.finditer(r"/", s):
        if _OPERATOR_BEFORE.search(s, 0, m.start()) and re.match(r"\s*(?:d|\\partial)\s*\\?[A-Za-z]", s[m.end():]):
            raise ReadError(s[max(0, m.start() - 8):m.end() + 8].strip(), "a derivative written d/dz is not read "
                            "(the grammar takes it for a ratio); write \\frac{d}{dz}")
        k = m.end()
        while k < len(s) and s[k] == " ":
            k += 1
        end = _factor_end(s, k)
        if end is None:
            continue
        j = end
        while j < len(s) and s[j] == " ":
            j += 1
        if _starts_factor(s, j):
            shown = s.strip() if len(s) <= 80 else s[max(0, m.start() - 20):min(len(s), j + 20)].strip()
            raise ReadError(shown, "a slash before a product written without an operator (n/2 \\log n: "
                            "(n/2) log n or n/(2 log n)?) is ambiguous; write \\frac or brackets")
