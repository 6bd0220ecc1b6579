"""A model with a noise term: ``y_i = w x_i + b + \\varepsilon_i`` where the note writes
``\\varepsilon_i \\sim \\mathcal N(0, \\sigma^2)``.  The equation says how the data arise; it claims
nothing and defines nothing: the data y_i keep their values (a loss written in y_i is not a loss in the
noise), so binding y_i to it would refute right steps later on."""
from __future__ import annotations

import re

#: a name written with its law: ``\varepsilon_i \sim``, ``Z \sim``, ``noise \sim`` (the base name is kept)
_SAMPLED = re.compile(r"(\\?[A-Za-z]+)\s*(?:_\s*(?:\{[^{}]*\}|\\?[A-Za-z0-9]+))?\s*(?:\^\s*\{[^{}]*\}\s*)?"
                      r"\\sim(?![a-z])")
_TOKEN = re.compile(r"\\?[A-Za-z]+")
#: LaTeX commands that are not names
_COMMANDS = {r"\frac", r"\left", r"\right", r"\sum", r"\prod", r"\log", r"\exp", r"\mathbf", r"\boldsymbol",
             r"\mathrm", r"\mathcal", r"\operatorname", r"\top", r"\cdot", r"\qquad", r"\quad", r"\text"}


def sampled_names(text: str) -> frozenset[str]:
    """The base names the note writes with a law (``X \\sim ...``)."""
    return frozenset(m.group(1) for m in _SAMPLED.finditer(text) if m.group(1) not in _COMMANDS)


def _bases(latex: str) -> set[str]:
    return {t for t in _TOKEN.findall(latex) if t not in _COMMANDS}


_PLAIN_HEAD = re.compile(r"\\?[A-Za-z]+(?:\s*_\s*(?:\{[^{}]*\}|\\?[A-Za-z0-9]))?")


def _top_level_tokens(latex: str) -> set[str]:
    """The names written outside every bracket of the body (a term of the sum, not an operator's argument:
    ``\\operatorname{Var}(X)`` and ``\\mathbb{E}[\\ldots]`` hold theirs inside)."""
    out, depth, k = set(), 0, 0
    while k < len(latex):
        c = latex[k]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth = max(0, depth - 1)
        elif depth == 0:
            m = _TOKEN.match(latex, k)
            if m:
                if m.group(0) not in _COMMANDS:
                    out.add(m.group(0))
                k = m.end()
                continue
        k += 1
    return out


def noise_term(head: str, body: str, sampled: frozenset[str]) -> str | None:
    """The sampled name written as a term of the body of ``head = body`` (outside every bracket) when the
    head is a plain name that is not sampled itself and the body states no law of its own, else None."""
    if not sampled or not _PLAIN_HEAD.fullmatch(head.strip()) or "\\sim" in body:
        return None
    if _bases(head) & sampled:
        return None
    hits = sorted(_top_level_tokens(body) & sampled)
    return hits[0] if hits else None


_SUBSCRIPTED = re.compile(r"(\\?[A-Za-z]+)\s*_\s*(\{[^{}]*\}|\\?[A-Za-z0-9])")
_INLINE_MATH = re.compile(r"\$([^$]+)\$")


def _sub(s: str) -> str:
    return s.strip("{} ").replace(" ", "")


def _math_lines(lines: list[str], blocks: list[tuple[int, int]]) -> dict[int, str]:
    """line number -> the math on it: the whole line inside a display, the inline math elsewhere."""
    inside = {k for lo, hi in blocks for k in range(lo, hi + 1)}
    return {k: (l if k in inside else " ".join(_INLINE_MATH.findall(l))) for k, l in enumerate(lines, 1)}


def fresh_sample_term(head: str, body: str, line: int, lines: list[str], blocks: list[tuple[int, int]]) -> str | None:
    """``y_i = w x_i + b + \\varepsilon_i`` with \\varepsilon written nowhere else in the note's math: a per-sample
    term of the head's own index that the note never uses again (a noise or residual term) -- the equation
    is a model of the data y_i, not their definition.  Returns that term, or None."""
    m = _SUBSCRIPTED.fullmatch(head.strip())
    if not m:
        return None
    base, index = m.group(1), _sub(m.group(2))
    block = next(((lo, hi) for lo, hi in blocks if lo <= line <= hi), (line, line))
    math = None
    for t in _SUBSCRIPTED.finditer(body):
        if t.group(1) == base or t.group(1) in _COMMANDS or _sub(t.group(2)) != index:
            continue
        if math is None:
            math = _math_lines(lines, blocks)
        token = re.compile(re.escape(t.group(1)) + r"(?![A-Za-z])" if t.group(1).startswith("\\")
                           else r"(?<![\\A-Za-z])" + re.escape(t.group(1)) + r"(?![A-Za-z])")
        if not any(token.search(text) for k, text in math.items() if not block[0] <= k <= block[1]):
            return f"{t.group(1)}_{index}"
    return None


_OPERATOR = (r"(?:\\mathbb\s*\{?E\}?|\\operatorname\s*\{\s*(?:Var|Cov|Corr)\s*\}|\\mathrm\s*\{\s*(?:Var|Cov)\s*\}"
             r"|\\Pr|\bE|\bP|\bVar)")


def used_as_random(head: str, text: str) -> bool:
    """Does the note take expectations, variances or probabilities of the head's name (``Y = 3X - 1`` then
    ``\\operatorname{Var}(Y)``)?  Then the equation defines a random variable; it is no model of data."""
    m = _PLAIN_HEAD.fullmatch(head.strip())
    base = re.escape(m.group(0).split("_")[0].strip()) if m else None
    if not base:
        return False
    pattern = _OPERATOR + r"\s*(?:_\s*\{[^{}]*\}\s*)?[\[(][^\])]*?(?<![\\A-Za-z])" + base + r"(?![A-Za-z])"
    return bool(re.search(pattern, text))
