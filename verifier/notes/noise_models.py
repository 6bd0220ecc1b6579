"""A model with a noise term: ``y_i = w x_i + b + \\varepsilon_i`` where the note writes
``\\varepsilon_i \\sim \\mathcal N(0, \\sigma^2)``.  The equation says how the data arise; it claims
nothing and defines nothing: the data y_i keep their values (a loss written in y_i is not a loss in the
noise), so binding y_i to it would refute right steps later on."""
from __future__ import annotations

import re

#: a name written with its law: ``\varepsilon_i \sim``, ``Z \sim``, ``noise \sim`` (the base name is kept)
_SAMPLED = re.compile(r"(\\?[A-Za-z]+)\s*(?:_\s*(?:\{[^{}]*\}|\\?[A-Za-z0-9]+))?\s*(?:\^\s*\{[^{}]*\}\s*)?\\sim(?![a-z])")
_TOKEN = re.compile(r"\\?[A-Za-z]+")
#: LaTeX commands that are not names
_COMMANDS = {r"\frac", r"\left", r"\right", r"\sum", r"\prod", r"\log", r"\exp", r"\mathbf", r"\boldsymbol",
             r"\mathrm", r"\mathcal", r"\operatorname", r"\top", r"\cdot", r"\qquad", r"\quad", r"\text"}


def sampled_names(text: str) -> frozenset[str]:
    """The base names the note writes with a law (``X \\sim ...``)."""
    return frozenset(m.group(1) for m in _SAMPLED.finditer(text) if m.group(1) not in _COMMANDS)


def _bases(latex: str) -> set[str]:
    return {t for t in _TOKEN.findall(latex) if t not in _COMMANDS}


def noise_term(head: str, body: str, sampled: frozenset[str]) -> str | None:
    """The sampled name in the body of ``head = body`` when the head is not sampled itself, else None."""
    if not sampled:
        return None
    head_bases = _bases(head)
    if head_bases & sampled:
        return None
    hits = sorted(_bases(body) & sampled)
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
