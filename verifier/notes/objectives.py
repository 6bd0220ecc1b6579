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



_SPACING = re.compile(r"\\[,;:! ]|\\q?quad\b|~")
_REAL_SET = re.compile(r"\\mathbb\s*\{?\s*R\s*\}?(?:\s*\^\s*(?:\{[^{}]*\}|\w))?|\\R\b")
_INTERVAL = re.compile(r"[\[(]\s*0\s*,\s*1\s*[\])]")
_REL_SIGNS = re.compile(r"\\in\b|∈|\\ge(?:q)?\b|\\le(?:q)?\b|>=|<=|>|<|\\gt\b|\\lt\b|=")
_POSITIVE = re.compile(r"(.+?)\s*(>|\\gt\b|\\ge(?:q)?\b|>=)\s*0")
_POSITIVE_REV = re.compile(r"0\s*(<|\\lt\b|\\le(?:q)?\b|<=)\s*(.+)")
_UNIT_CHAIN = re.compile(r"0\s*(?:<|\\lt\b|\\le(?:q)?\b|<=)\s*(.+?)\s*(?:<|\\lt\b|\\le(?:q)?\b|<=)\s*1")


_STRICT = (">", "<", "\\gt", "\\lt")


def _closes_at_end(v: str) -> bool:
    """Does the bracket opening v close only at its last character?"""
    depth = 0
    for j, c in enumerate(v):
        depth += c in "([{"
        depth -= c in ")]}"
        if depth == 0:
            return j == len(v) - 1
    return False


def _items(v: str) -> list[str]:
    """The comma-separated items of an argmin subscript, commas inside brackets kept."""
    v = _SPACING.sub(" ", v).strip()
    v = re.sub(r"^\\left\s*\(", "(", re.sub(r"\\right\s*\)$", ")", v))
    if v.startswith("(") and v.endswith(")") and _closes_at_end(v):
        v = v[1:-1]  # (\mu, \sigma > 0): the pair of variables
    out, depth, start = [], 0, 0
    for j, c in enumerate(v):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth <= 0:
            out.append(v[start:j])
            start = j + 1
    out.append(v[start:])
    return [x.strip() for x in out if x.strip()]


def variable_constraint(item: str) -> tuple[str, str | None]:
    """One item of an argmin subscript as (variable, constraint as an assumption or None):
    ``c>0`` -> ('c', 'c > 0'), ``t \\in [0, 1]`` -> ('t', 't \\in (0,1)'), ``w \\in \\mathbb{R}^d``
    -> ('w', None).  A constraint that is no domain the engine can sample (``t \\in [1, 2]``,
    ``\\theta \\in \\Theta``) is a ReadError: candidates outside it would refute a right step."""
    if not _REL_SIGNS.search(item):
        return item, None
    m = _UNIT_CHAIN.fullmatch(item)
    if m:
        return m.group(1).strip(), f"{m.group(1).strip()} \\in (0,1)"
    m = re.fullmatch(r"(.+?)\s*(?:\\in\b|∈)\s*(.+)", item)
    if m:
        name, where = m.group(1).strip(), m.group(2).strip()
        if _REAL_SET.fullmatch(where):
            return name, None
        if _INTERVAL.fullmatch(where):
            return name, f"{name} \\in (0,1)"
        if re.fullmatch(r"\\\{\s*0\s*,\s*1\s*\\\}", where):
            return name, f"{name} \\in \\{{0,1\\}}"
        raise ReadError(item, "an optimisation over a set the tool cannot sample (only the reals, (0, 1), "
                              "{0, 1} and x > 0 / x >= 0 are read)")
    m = _POSITIVE.fullmatch(item)
    if m:
        return m.group(1).strip(), m.group(1).strip() + (" > 0" if m.group(2) in _STRICT else " >= 0")
    m = _POSITIVE_REV.fullmatch(item)
    if m:
        return m.group(2).strip(), m.group(2).strip() + (" > 0" if m.group(1) in _STRICT else " >= 0")
    raise ReadError(item, "a constraint on an optimisation variable that the tool cannot read as a domain")


def _split_vars(v: str) -> list[str]:
    return [variable_constraint(x)[0] for x in _items(v)]


def objective_constraints(text: str) -> list[str]:
    """The constraints written under the argmin/argmax operators of a text, as assumptions
    (``\\underset{a,\\, c>0}{\\arg\\min}`` gives ``c > 0``); unreadable ones are left out
    (the step itself reports them)."""
    out: list[str] = []
    subs: list[str] = []
    for m in re.finditer(r"\\underset\s*", text):
        try:
            var, end = brace_arg(text, m.end())
            op, _ = brace_arg(text, end)
        except ValueError:
            continue
        if re.fullmatch(r"\s*" + _ARG_OP + r"\s*", op):
            subs.append(var)
    for m in re.finditer(_ARG_OP + r"\s*_", text):
        try:
            v, _ = brace_arg(text, m.end())
        except ValueError:
            continue
        subs.append(v)
    for v in subs:
        for item in _items(v):
            try:
                _, c = variable_constraint(item)
            except ReadError:
                continue
            if c:
                out.append(c)
    return out



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

