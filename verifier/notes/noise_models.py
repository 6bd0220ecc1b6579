"""A model with a noise term: ``y_i = w x_i + b + \\varepsilon_i`` where the note writes
``\\varepsilon_i \\sim \\mathcal N(0, \\sigma^2)``.  The equation says how the data arise; it claims
nothing and defines nothing: the data y_i keep their values (a loss written in y_i is not a loss in the
noise), so binding y_i to it would refute right steps later on.

What the note says once (the names written with a law, the names it takes E, Var or P of, the math of
each line) is worked out once per note (:func:`note_noise`); names are the reader's tokens
(``notes.scan``: a letter, a Greek letter, ``\\text{...}``)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from verifier.notes.scan import TOKEN, name_of_token

_SUB = r"(?:\{[^{}]*\}|\\?[A-Za-z0-9]+)"
#: a name written with its law: ``\varepsilon_i \sim``, ``Z \sim``
_SAMPLED = re.compile(r"(?<![A-Za-z])(" + TOKEN + r")\s*(?:_\s*" + _SUB + r")?\s*(?:\^\s*\{[^{}]*\}\s*)?\\sim(?![a-z])")
_TOKEN = re.compile(TOKEN)
#: a plain name at a head: ``y``, ``y_i``, ``\varepsilon_{i}``
_PLAIN_HEAD = re.compile(r"(" + TOKEN + r")(?:\s*_\s*(?:\{[^{}]*\}|\\?[A-Za-z0-9]))?")
_SUBSCRIPTED = re.compile(r"(" + TOKEN + r")\s*_\s*(\{[^{}]*\}|\\?[A-Za-z0-9])")
#: E, Var, Cov, P of something: ``\operatorname{Var}(Y)``, ``\mathbb{E}[Y]``, ``P(Y = 1)``
_OPERATED = re.compile(r"(?:\\mathbb\s*\{?E\}?|\\operatorname\s*\{\s*(?:Var|Cov|Corr)\s*\}"
                       r"|\\mathrm\s*\{\s*(?:Var|Cov)\s*\}|\\Pr|\bE|\bP|\bVar)\s*(?:_\s*\{[^{}]*\}\s*)?[\[(]([^\])]*)")
_INLINE_MATH = re.compile(r"\$([^$]+)\$")


def _names(latex: str) -> set[str]:
    return {n for n in map(name_of_token, _TOKEN.findall(latex)) if n}


def _top_level_tokens(latex: str) -> set[str]:
    """The name tokens written outside every bracket (a term of the sum, not an operator's argument:
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
                if name_of_token(m.group(0)):
                    out.add(m.group(0))
                k = m.end()
                continue
        k += 1
    return out


def _sub(s: str) -> str:
    return s.strip("{} ").replace(" ", "")


@dataclass(frozen=True)
class NoteNoise:
    """What one note says about noise: the names it writes with a law, the names it takes E, Var or P
    of, and the math of each line (the whole line inside a display, the inline math elsewhere)."""

    sampled: frozenset
    operated: frozenset
    math: dict
    blocks: tuple

    def model_term(self, head: str, body: str, line: int) -> str | None:
        """Why ``head = body`` at `line` is a model of the data head rather than its definition, or None."""
        m = _PLAIN_HEAD.fullmatch(head.strip())
        if not m or name_of_token(m.group(1)) in self.operated:
            return None  # Y = 3X - 1 with Var(Y) later: a random variable defined
        noise = self._noise_term(head, body)
        if noise:
            return f"the noise term {noise} (its law is stated)"
        fresh = self._fresh_sample_term(head, body, line)
        return f"the term {fresh}, written nowhere else (a noise or residual term)" if fresh else None

    def _noise_term(self, head: str, body: str) -> str | None:
        """A name written with its law, as a term of the body (outside every bracket), the head not one."""
        if not self.sampled or "\\sim" in body or _names(head) & self.sampled:
            return None
        hits = sorted(t for t in _top_level_tokens(body) if name_of_token(t) in self.sampled)
        return hits[0] if hits else None

    def _fresh_sample_term(self, head: str, body: str, line: int) -> str | None:
        """A per-sample term of the head's own index (\\varepsilon_i in y_i = ...) that the note's math
        never writes outside this display."""
        m = _SUBSCRIPTED.fullmatch(head.strip())
        if not m:
            return None
        base, index = m.group(1), _sub(m.group(2))
        lo, hi = next(((a, b) for a, b in self.blocks if a <= line <= b), (line, line))
        for t in _SUBSCRIPTED.finditer(body):
            if t.group(1) == base or not name_of_token(t.group(1)) or _sub(t.group(2)) != index:
                continue
            token = re.compile((r"(?<![\\A-Za-z])" if not t.group(1).startswith("\\") else "")
                               + re.escape(t.group(1)) + r"(?![A-Za-z])")
            if not any(token.search(text) for k, text in self.math.items() if not lo <= k <= hi):
                return f"{t.group(1)}_{index}"
        return None


def note_noise(lines: list[str], blocks: list[tuple[int, int]]) -> NoteNoise:
    """What the note (its lines, its display blocks as (first, last) lines) says about noise."""
    text = "\n".join(lines)
    inside = {k for lo, hi in blocks for k in range(lo, hi + 1)}
    math = {k: (l if k in inside else " ".join(_INLINE_MATH.findall(l))) for k, l in enumerate(lines, 1)}
    sampled = frozenset(n for m in _SAMPLED.finditer(text) if (n := name_of_token(m.group(1))))
    operated = frozenset(n for m in _OPERATED.finditer(text) for n in _names(m.group(1)))
    return NoteNoise(sampled, operated, math, tuple(blocks))
