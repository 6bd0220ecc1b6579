"""Scanning LaTeX text: matching brackets and braces, the arguments of a command, the operand of
an operator, a differential; the reader's error and its size limits."""
from __future__ import annotations

import re

from verifier.notes.notation import GREEK

DEFAULT_MAX_EXPR_SIZE = 4000  # characters of one expression



MAX_DEPTH = 60  # nesting of braces and brackets



# names read as functions when followed by ( or [ even with a single argument
FUNCTION_NAMES = {"P", "Q", "p", "q", "f", "g", "h", "F", "G", "H", "I", "E", "L", "C", "D", "J",
                  "Pr", "KL", "sigma", "delta", "bbE", "softmax", "KL", "CE", "MSE", "D_KL", "R"}



PROBABILITY_NAMES = {"P", "Q", "p", "q", "Pr", "Pcond", "Qcond", "pcond", "qcond", "Prcond"}  # *cond: P(A | B)



INDEX_SUBS = set("ijklmnt") | set("0123456789")



BUILTINS = {"log", "ln", "exp", "sin", "cos", "tan", "sqrt", "frac", "left", "right", "sum", "prod",
             "int", "lim", "max", "min", "text", "mathrm", "operatorname", "begin", "end", "cdot",
             "times", "infty", "partial", "mathcal", "mathbb", "tanh", "sinh", "cosh", "arg", "det",
             "binom", "underset", "overset", "hat", "bar", "tilde", "vec", "dot"}



class ReadError(Exception):
    """The LaTeX could not be read; carries the fragment and the reason."""

    def __init__(self, fragment: str, reason: str) -> None:
        super().__init__(f"{reason}: {fragment}")
        self.fragment = fragment
        self.reason = reason

    def __reduce__(self):
        return (ReadError, (self.fragment, self.reason))



TOKEN = r"(?:[A-Za-z]|\\[A-Za-z]+|\\text\{[A-Za-z]+\})"



def brace_arg(s: str, i: int) -> tuple[str, int]:
    """The {...} group (or single token) starting at s[i], after white space (a line break too, as TeX
    skips it before an argument); returns (content, end index)."""
    while i < len(s) and s[i] in " \t\r\n":
        i += 1
    if i >= len(s):
        raise ValueError("missing argument")
    if s[i] == "{":
        depth = 0
        for j in range(i, len(s)):
            if s[j] == "{" and (j == 0 or s[j - 1] != "\\"):
                depth += 1
            elif s[j] == "}" and s[j - 1] != "\\":
                depth -= 1
                if depth == 0:
                    return s[i + 1:j], j + 1
        raise ValueError("unbalanced braces")
    if s[i] == "\\":
        m = re.match(r"\\[A-Za-z]+", s[i:])
        if m:
            return m.group(0), i + len(m.group(0))
        return s[i:i + 2], i + 2
    return s[i], i + 1



def name_of_token(tok: str) -> str | None:
    """A bare name for a simple token: 'y', '\\theta' -> 'theta', '\\text{yhat}' -> 'yhat'."""
    tok = tok.strip()
    while tok.startswith("{") and tok.endswith("}"):
        tok = tok[1:-1].strip()
    m = re.fullmatch(r"[A-Za-z]|\\([A-Za-z]+)|\\text\{([A-Za-z]+)\}", tok)
    if not m:
        return None
    if m.group(1):
        return m.group(1) if m.group(1) in GREEK else None
    return m.group(2) or tok



_CLOSE = {"(": ")", "[": "]"}



def matching(s: str, i: int) -> int:
    """Index of the bracket closing s[i] (counting both kinds and braces)."""
    depth = 0
    j = i
    while j < len(s):
        c = s[j]
        if c == "\\" and j + 1 < len(s) and s[j + 1] in "{}":
            j += 2
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return -1



def split_top_level(s: str, seps: str = ",|;") -> list[str]:
    """s cut at the separators that stand outside every bracket, each piece stripped."""
    out, depth, start = [], 0, 0
    for j, c in enumerate(s):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c in seps and depth == 0:
            out.append(s[start:j])
            start = j + 1
    out.append(s[start:])
    return [a.strip() for a in out]


def split_args(s: str) -> list[str]:
    return split_top_level(s, ",|;")



_ENDS_TERM = "+-)]},|&=<>"



def operand_at(s: str, start: int) -> tuple[str, int]:
    """What a derivative operator d/dx applies to: a bracketed group that ends the term, or the
    term up to the next + or - at the same level.  A group followed by more factors is ambiguous."""
    i = start
    while i < len(s) and s[i] == " ":
        i += 1
    g = re.match(r"(\\left\s*)?(\(|\[|\\\{)", s[i:])
    if g:
        open_at = i + g.end() - 1
        close = matching_escaped_brace(s, open_at) if g.group(2) == "\\{" else matching(s, open_at)
        if close == -1:
            raise ReadError(s[i:i + 40], "unbalanced brackets")
        k = close + 1
        while k < len(s) and s[k] == " ":
            k += 1
        if k < len(s) and s[k] == "^":  # (1 - \eta a)^2: the group and its power
            p = re.match(r"\^\s*(?:\{[^{}]*\}|\\[A-Za-z]+|[A-Za-z0-9])", s[k:])
            if p:
                close = k + p.end() - 1
                k = close + 1
                while k < len(s) and s[k] == " ":
                    k += 1
        if k < len(s) and s[k] not in _ENDS_TERM and not s.startswith("\\right", k) \
                and not s.startswith("\\end", k):
            raise ReadError(s[start:k + 20].strip(), "the operand of the derivative is ambiguous (a bracket "
                            "followed by more factors); put the whole operand in brackets")
        return s[i:close + 1], close + 1
    depth, k = 0, i
    if k < len(s) and s[k] in "+-":
        k += 1
    while k < len(s):
        c = s[k]
        if c == "\\":
            mm = re.match(r"\\(?:[A-Za-z]+|.)", s[k:])
            if mm.group(0) in ("\\right", "\\end") and depth == 0:
                break
            if mm.group(0) == "\\left":
                depth += 1
            elif mm.group(0) == "\\right":
                depth -= 1
            if mm.group(0) in ("\\{",):
                depth += 1
            elif mm.group(0) in ("\\}",):
                depth -= 1
            k += len(mm.group(0))
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and c in "+-,|&=<>" and s[k - 1] not in "^_":
            break
        k += 1
    return s[i:k], k



def matching_escaped_brace(s: str, i: int) -> int:
    """Index of the '}' of the \\} closing the \\{ whose '{' is at s[i]."""
    depth, j = 0, i - 1
    while j < len(s) - 1:
        if s.startswith("\\{", j):
            depth += 1
            j += 2
            continue
        if s.startswith("\\}", j):
            depth -= 1
            if depth == 0:
                return j + 1
            j += 2
            continue
        j += 1
    return -1



def nesting_depth(s: str) -> int:
    d = best = 0
    for c in s:
        if c in "{([":
            d += 1
            best = max(best, d)
        elif c in "})]":
            d -= 1
    return best



_DECIMAL = re.compile(r"(?<![\d.])(\d+)\.(\d+)(?![\d.])")


def exact_decimals(s: str) -> str:
    """Written decimals as the exact fractions they denote: ``0.1`` is 1/10, not the binary float
    nearest to it (so ``0.1 \\times 3 = 0.3`` holds and ``0.1 \\times 3 = 0.30000000000000004``
    does not); a subscript such as ``x_{0.5}`` is a name and stays as written."""
    def frac(m: re.Match) -> str:
        before = s[max(0, m.start() - 2):m.start()]
        if before.endswith("_") or before == "_{":
            return m.group(0)
        whole, part = m.group(1), m.group(2)
        num = (whole + part).lstrip("0") or "0"
        text = "\\frac{" + num + "}{1" + "0" * len(part) + "}"
        return "{" + text + "}" if before.endswith("^") else text
    return _DECIMAL.sub(frac, s)
