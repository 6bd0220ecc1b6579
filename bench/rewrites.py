"""Text rewrites of LaTeX for the false-alarm harness: each keeps the meaning of an expression
(``REWRITES``) or changes it by a hair (``NEAR_MISSES``).

A rewrite is ``fn(latex) -> list[(description, new latex)]``; it yields nothing where it does not
apply.  Rewrites work on the text only, never through the reader they are meant to test.
"""
from __future__ import annotations

import re
from typing import Callable, Iterator

Rewrite = Callable[[str], list[tuple[str, str]]]
REWRITES: dict[str, Rewrite] = {}
NEAR_MISSES: dict[str, Rewrite] = {}


def rewrite(name: str, table: dict = REWRITES):
    def deco(fn):
        table[name] = lambda s: list(fn(s))
        return fn
    return deco


def near_miss(name: str):
    return rewrite(name, NEAR_MISSES)


# ----------------------------------------------------------------------------------------
# text structure
# ----------------------------------------------------------------------------------------
_OPEN = {"{": "}", "(": ")", "[": "]"}


def match(s: str, i: int) -> int:
    """Index of the bracket closing the one at s[i] ('{', '(' or '['), or -1."""
    close = _OPEN[s[i]]
    depth = 0
    for j in range(i, len(s)):
        if s[j] == s[i] and (j == 0 or s[j - 1] != "\\"):
            depth += 1
        elif s[j] == close and (j == 0 or s[j - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return j
    return -1


def match_left(s: str, i: int) -> int:
    r"""s[i:] starts with \left: index just past the matching \right<delim>, or -1."""
    depth = 0
    j = i
    while j < len(s):
        if s.startswith("\\left", j) and not s[j + 5:j + 6].isalpha():
            depth += 1
            j += 5
            continue
        if s.startswith("\\right", j) and not s[j + 6:j + 7].isalpha():
            depth -= 1
            j += 6
            if depth == 0:
                return j + (1 if j < len(s) and s[j] != "\\" else len(re.match(r"\\[A-Za-z]+|\\.", s[j:]).group(0)))
            continue
        j += 1
    return -1


def top_terms(s: str) -> list[str]:
    """Top-level terms of s with their signs (split at + and - outside every bracket)."""
    cuts, depth, j = [], 0, 0
    while j < len(s):
        if s.startswith("\\left", j) and not s[j + 5:j + 6].isalpha():
            depth += 1
            j += 5
            continue
        if s.startswith("\\right", j) and not s[j + 6:j + 7].isalpha():
            depth -= 1
            j += 6
            continue
        c = s[j]
        if c == "\\" and j + 1 < len(s) and s[j + 1] in "{}":
            j += 2
            continue
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
        elif c in "+-" and depth == 0:
            prev = s[:j].rstrip()
            if prev and prev[-1] not in "^_=(&{,":
                cuts.append(j)
        j += 1
    bounds = [0] + cuts + [len(s)]
    return [s[a:b].strip() for a, b in zip(bounds, bounds[1:]) if s[a:b].strip()]


def _signed(t: str) -> str:
    return t if t[:1] in "+-" else "+ " + t


# ----------------------------------------------------------------------------------------
# meaning-preserving rewrites
# ----------------------------------------------------------------------------------------
#: spelling variants that are one substitution: name -> (pattern, replacement, description)
SPELLINGS: dict[str, tuple[str, str, str]] = {
    "dfrac": (r"\\frac(?![a-z])", r"\\dfrac", r"\frac -> \dfrac"),
    "times": (r"\\cdot(?![a-z])", r"\\times", r"\cdot -> \times"),
    "ln": (r"\\log(?![A-Za-z_])", r"\\ln", r"\log -> \ln"),
}


def _spelling(pattern: str, repl: str, desc: str) -> Rewrite:
    return lambda s: [(desc, re.sub(pattern, repl, s))] if re.search(pattern, s) else []


REWRITES.update({name: _spelling(*spec) for name, spec in SPELLINGS.items()})


@rewrite("slash")
def _slash(s: str) -> Iterator[tuple[str, str]]:
    """The first \\frac{a}{b} written (a)/(b)."""
    m = re.search(r"\\frac\s*\{", s)
    if not m:
        return
    a0 = m.end() - 1
    a1 = match(s, a0)
    if a1 < 0 or a1 + 1 >= len(s) or s[a1 + 1] != "{":
        return
    b1 = match(s, a1 + 1)
    if b1 < 0:
        return
    num, den = s[a0 + 1:a1], s[a1 + 2:b1]
    yield r"\frac{a}{b} -> ((a)/(b))", s[:m.start()] + rf"\left(\left({num}\right)/\left({den}\right)\right)" + s[b1 + 1:]


@rewrite("explicit-product")
def _explicit(s: str) -> Iterator[tuple[str, str]]:
    """A juxtaposed number and letter written with \\cdot (2x -> 2 \\cdot x)."""
    m = re.search(r"(?<![\w.^_{\\])(\d+)\s*([a-z])(?![a-z])", s)
    if m:
        yield "2x -> 2 \\cdot x", s[:m.start()] + f"{m.group(1)} \\cdot {m.group(2)}" + s[m.end():]


@rewrite("bare-parens")
def _bare(s: str) -> Iterator[tuple[str, str]]:
    if re.search(r"\\left\s*\(", s) or re.search(r"\\right\s*\)", s):
        t = re.sub(r"\\left\s*\(", "(", s)
        t = re.sub(r"\\right\s*\)", ")", t)
        if "\\left" not in t or t.count("\\left") == t.count("\\right"):
            yield r"\left( \right) -> ( )", t


@rewrite("left-right")
def _left_right(s: str) -> Iterator[tuple[str, str]]:
    if "\\left" in s:
        return
    out, changed = [], False
    for ch in s:
        if ch == "(":
            out.append("\\left(")
            changed = True
        elif ch == ")":
            out.append("\\right)")
        else:
            out.append(ch)
    if changed:
        yield r"( ) -> \left( \right)", "".join(out)


@rewrite("exp")
def _exp(s: str) -> Iterator[tuple[str, str]]:
    """e^{u} -> \\exp(u) and \\exp\\left(u\\right) -> e^{u} (first occurrence)."""
    m = re.search(r"(?<![A-Za-z\\])e\^\{", s)
    if m:
        j = match(s, m.end() - 1)
        if j > 0:
            yield "e^{u} -> \\exp(u)", s[:m.start()] + "\\exp\\left(" + s[m.end():j] + "\\right)" + s[j + 1:]
    m = re.search(r"\\exp\s*\\left\(", s)
    if m:
        end = match_left(s, m.end() - 6)
        if end > 0:
            inner = s[m.end():end - len("\\right)")]
            yield "\\exp(u) -> e^{u}", s[:m.start()] + "e^{" + inner + "}" + s[end:]


@rewrite("commute-terms")
def _commute(s: str) -> Iterator[tuple[str, str]]:
    terms = top_terms(s)
    if len(terms) >= 2 and not any(t.startswith("\\arg") or "\\arg" in t for t in terms):
        first, rest = terms[0], terms[1:]
        new = " ".join(_signed(t) for t in rest + [first]).lstrip("+ ").strip()
        yield "first term moved last", new


@rewrite("rename-index")
def _rename_index(s: str) -> Iterator[tuple[str, str]]:
    """The index of every sum and product, i -> r (where r is not used)."""
    m = re.search(r"\\(?:sum|prod)_\{([a-z])=", s)
    if not m or re.search(r"(?<![A-Za-z\\])r(?![A-Za-z])", s):
        return
    i = m.group(1)
    t = re.sub(r"(?<![A-Za-z\\])" + i + r"(?![A-Za-z])", "r", s)
    yield f"index {i} -> r", t


@rewrite("shift-index")
def _shift(s: str) -> Iterator[tuple[str, str]]:
    r"""\sum_{i=1}^{n} (...) -> \sum_{i=0}^{n-1} (... with i+1 for i), for a bracketed summand."""
    for m in re.finditer(r"\\(sum|prod)_\{([a-z])=1\}\^\{?([a-zA-Z0-9]+)\}?\s*", s):
        i, hi = m.group(2), m.group(3)
        k = m.end()
        if s.startswith("\\left(", k):
            end = match_left(s, k)
        elif k < len(s) and s[k] in "({":
            end = match(s, k) + 1
        else:
            continue
        if end <= 0:
            continue
        body = s[k:end]
        body = re.sub(r"_\{?" + i + r"\}?(?![A-Za-z])", "_{" + i + "+1}", body)
        body = re.sub(r"(?<![A-Za-z\\_{])" + i + r"(?![A-Za-z+])", f"({i}+1)", body)
        head = rf"\{m.group(1)}_{{{i}=0}}^{{{hi}-1}} "
        yield "index shifted to start at 0", s[:m.start()] + head + body + s[end:]
        return


# ----------------------------------------------------------------------------------------
# near misses: wrong by a hair
# ----------------------------------------------------------------------------------------
@near_miss("perturbed-constant")
def _perturb(s: str) -> Iterator[tuple[str, str]]:
    """An integer constant c (outside sub- and superscripts) -> (c + 10^{-k})."""
    for m in re.finditer(r"(?<![\w.^_{\\])(\d+)(?![\d.])", s):
        before = s[:m.start()].rstrip()
        if before.endswith(("^", "_", "^{", "_{", "=")) or before.endswith("\\sqrt["):
            continue
        c = m.group(1)
        for k in (6, 12, 20, 40):
            yield f"{c} -> {c} + 10^{{-{k}}}", s[:m.start()] + f"\\left({c} + 10^{{-{k}}}\\right)" + s[m.end():]
        return


@near_miss("decimal-for-fraction")
def _decimal(s: str) -> Iterator[tuple[str, str]]:
    m = re.search(r"\\frac\{(\d)\}\{(\d)\}", s)
    if m and int(m.group(2)) not in (1, 2, 4, 5, 8) and int(m.group(1)) % int(m.group(2)):
        v = int(m.group(1)) / int(m.group(2))
        for digits in (4, 12):
            yield f"\\frac{{{m.group(1)}}}{{{m.group(2)}}} -> {v:.{digits}f}", s[:m.start()] + f"{v:.{digits}f}" + s[m.end():]


@near_miss("term-into-sum")
def _into_sum(s: str) -> Iterator[tuple[str, str]]:
    r"""\sum_{i=1}^{n} (a_i) + b -> \sum_{i=1}^{n} (a_i + b): a term moved across the sum's scope."""
    terms = top_terms(s)
    for k, t in enumerate(terms):
        m = re.match(r"([+-]?\s*)\\sum_\{([a-z])=1\}\^\{?([a-zA-Z0-9]+)\}?\s*\\left\(", t)
        if not m or k + 1 >= len(terms):
            continue
        start = m.end() - len("\\left(")
        end = match_left(t, start)
        if end != len(t):
            continue
        other = terms[k + 1]
        if re.search(r"(?<![A-Za-z\\])" + m.group(2) + r"(?![A-Za-z])", other) or "\\sum" in other:
            continue
        inner = t[start + len("\\left("):end - len("\\right)")]
        merged = t[:start] + "\\left(" + inner + " " + _signed(other) + "\\right)"
        rest = terms[:k] + [merged] + terms[k + 2:]
        yield "a term moved into a sum", " ".join(_signed(x) for x in rest).lstrip("+ ").strip()
        return
