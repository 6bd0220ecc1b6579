"""Optimisation wrappers (arg min / arg max over variables, in every spelling people use) and
Leibniz derivatives and differentials, read off the text before the grammar sees it."""
from __future__ import annotations

import re

from verifier.notes.scan import ReadError, brace_arg

_ARG_OP = r"(?:\\text\{arg\s*(min|max)\}|\\arg\s*\\(min|max)|\\(argmin|argmax)|\\mathop\s*\{\s*\\arg\s*\\(min|max)\s*\})"



def objective(s: str) -> tuple[str | None, list[str], str]:
    """Strip an argmin/argmax/min/max wrapper: (sense, variables LaTeX, body)."""
    t = s.strip()
    m = re.match(r"\\underset\s*", t)
    if m:
        try:
            var, end = brace_arg(t, m.end())
            op, end2 = brace_arg(t, end)
        except ValueError:
            raise ReadError(t[:60], "an \\underset without its arguments") from None
        om = re.fullmatch(r"\s*" + _ARG_OP + r"\s*", op)
        if om:
            kind = next(g for g in om.groups() if g)
            return _sense(kind), _split_vars(var), t[end2:]
        if re.fullmatch(r"\s*\\(min|max|inf|sup)\s*", op):
            raise ReadError(t[:60], _VALUE_NOT_ARG)
        return None, [], s
    if re.match(r"\\(min|max|inf|sup)\s*_", t):
        raise ReadError(t[:60], _VALUE_NOT_ARG)
    m = re.match(_ARG_OP, t)
    if m:
        kind = next(g for g in m.groups() if g)
        rest = t[m.end():]
        var: list[str] = []
        if rest.lstrip().startswith("_"):
            try:
                v, end = brace_arg(rest, rest.index("_") + 1)
            except ValueError:
                raise ReadError(t[:60], "a subscript without its argument") from None
            var, rest = _split_vars(v), rest[end:]
        return _sense(kind), var, rest
    return None, [], s



_VALUE_NOT_ARG = ("\\min_x / \\max_x is the optimal value, not the set of optimisers, and comparing values is "
                  "not supported (write \\arg\\min_x for an optimisation step)")



def _sense(kind: str) -> str:
    return "min" if "min" in kind else "max"



def _split_vars(v: str) -> list[str]:
    return [x.strip() for x in v.split(",") if x.strip()]



CALL_NAME = re.compile(
    r"((?<![\\^_])\\text\{[A-Za-z]+\}|(?<![\\^_])\\[A-Za-z]+|(?<![\\A-Za-z0-9^_])[A-Za-z])"
    r"(\s*_\s*(?:\{[^{}]*\}|\\text\{[^{}]*\}|[A-Za-z0-9]))?\s*(\\left\s*)?([(\[])")



def code(k: int) -> str:
    letters = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        letters = chr(97 + r) + letters
    return letters



DERIV_TOP = re.compile(r"(d|\\partial(?![A-Za-z]))\s*(?:\^\s*(?:\{\s*(\d+)\s*\}|(\d)))?\s*(?![_^'])(.*)", re.S)



_VAR = (r"(?:\{\s*)?(?:\\text\{[A-Za-z]+\}|\\(?!partial|frac|left|right|cdot|int|sum|prod)[A-Za-z]+|[A-Za-z])"
        r"(?:\s*_\s*(?:\{[^{}]*\}|[A-Za-z0-9]))?(?:\s*\})?")



_DEN_TERM = re.compile(r"\s*(d|\\partial(?![A-Za-z]))\s*(" + _VAR + r")\s*(?:\^\s*(?:\{\s*(\d+)\s*\}|(\d)))?\s*")



def leibniz_denominator(den: str) -> tuple[str, list[tuple[str, int]]] | None:
    """'dx^2' -> ('d', [('x', 2)]); '\\partial x \\partial y' -> ('\\partial', [('x', 1), ('y', 1)])."""
    pos, ops, out = 0, set(), []
    while pos < len(den):
        m = _DEN_TERM.match(den, pos)
        if not m or m.end() == pos:
            return None
        if m.group(1) == "d" and re.match(r"[A-Za-z]", den[m.end(2):m.end(2) + 1] or " "):
            return None  # 'dxy': not a single variable
        ops.add(m.group(1))
        out.append((m.group(2).strip(), int(m.group(3) or m.group(4) or 1)))
        pos = m.end()
    if len(ops) != 1 or not out:
        return None
    return ops.pop(), out



def differential(s: str, start: int) -> tuple[int | None, str, int]:
    """The differential ending the integral whose body starts at s[start]: (index of its d, the
    variable's LaTeX, index after it).  Nested \\int's take the differentials before it."""
    depth, pending, k = 0, 1, start
    var_re = re.compile(r"d\s*(\\text\{[A-Za-z]+\}|\\(?!partial|frac|left|right|cdot|int|sum|prod|text)[A-Za-z]+"
                        r"|[A-Za-z](?![A-Za-z]))(\s*_\s*(?:\{[^{}]*\}|[A-Za-z0-9]))?")
    while k < len(s):
        c = s[k]
        if c == "\\":
            mm = re.match(r"\\(?:[A-Za-z]+|.)", s[k:])
            name = mm.group(0)
            if name == "\\int" and depth == 0:
                pending += 1
            elif name == "\\left":
                depth += 1
            elif name == "\\right":
                depth -= 1
            k += len(name)
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth < 0:
                return None, "", k
        elif c == "d" and depth == 0:
            m = var_re.match(s, k)
            if m:
                pending -= 1
                if pending == 0:
                    return k, (m.group(1) + (m.group(2) or "")).strip(), m.end()
                k = m.end()
                continue
        k += 1
    return None, "", k

