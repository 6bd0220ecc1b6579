"""Random variables defined on the outcomes of one experiment the prose describes in words.

"Flip a fair coin once. Let $X = 1$ if it lands heads and $0$ otherwise, and let $Y = 1$ if it lands
tails and $0$ otherwise": X and Y are functions of one outcome, so their joint law is a table (heads:
X = 1, Y = 0; tails: X = 0, Y = 1, each with probability 1/2), not a pair of independent
Bernoulli variables.  ``EXPERIMENTS`` is the registry of experiments read (a fair coin, a fair die)
with their outcomes and the words naming them; an indicator is read when it names an outcome of the
experiment stated just before it.  The law holds for the example: from the sentence that defines the
indicators to the end of the next display (and never past a heading).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

#: experiment -> (the words stating it, [(outcome, its words)], the outcomes' probabilities)
EXPERIMENTS = {
    "fair coin": (re.compile(r"\b(?:flip|toss|throw)(?:s|ed|ing)?\s+(?:a|one)\s+fair\s+coin\b(?!s)", re.I),
                  [("heads", r"heads?"), ("tails", r"tails?")]),
    "fair die": (re.compile(r"\b(?:roll|throw|cast)(?:s|ed|ing)?\s+(?:a|one)\s+fair\s+(?:six-sided\s+)?die\b", re.I),
                 [(str(k), r"(?:a\s+)?" + str(k)) for k in range(1, 7)]),
}
_SENTENCE = re.compile(r"[^.!?\n]+(?:\n(?!\s*\n)[^.!?\n]+)*")
_INDICATOR = r"\$\s*([A-Z])\s*=\s*1\s*\$\s*if\s+(?:it|the\s+(?:coin|die))?\s*(?:lands|shows|comes\s+up|is)?\s*(?:on\s+)?" \
             r"({words})\s*,?\s*and\s+\$?\s*0\s*\$?\s*otherwise"
_NEGATION = re.compile(r"\bnot\b|n't|\bnever\b", re.I)
_HEADING = re.compile(r"^(?:#{1,6}\s|\\(?:sub)*section\*?\{)", re.M)
_DISPLAY_END = re.compile(r"\$\$|\\\]|\\end\{(?:equation|align|gather|multline)\*?\}")


@dataclass(frozen=True)
class OutcomeLaw:
    """Indicators of one experiment's outcomes: names -> their values per outcome, with the outcomes' weights;
    ``lines`` the first and last line where it holds."""

    names: tuple
    rows: tuple
    weights: tuple
    lines: tuple


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _scope_end(text: str, pos: int) -> int:
    """The end of the first display after pos (a display opens and closes with $$), capped at a heading."""
    heading = next((m.start() for m in _HEADING.finditer(text, pos)), len(text))
    marks = [m for m in _DISPLAY_END.finditer(text, pos) if m.start() < heading]
    if marks and marks[0].group(0) != "$$":
        end = marks[0].end()  # \] or \end{equation}: the display's end
    else:
        end = marks[1].end() if len(marks) >= 2 else heading
    return _line(text, min(end, heading))


def outcome_laws(text: str) -> list[OutcomeLaw]:
    """Every experiment stated in words with indicators of its outcomes right after it (same or next sentences)."""
    out: list[OutcomeLaw] = []
    for _name, (stated, outcomes) in EXPERIMENTS.items():
        for m in stated.finditer(text):
            words = "|".join(w for _, w in outcomes)
            pattern = re.compile(_INDICATOR.format(words=words), re.I)
            window = text[m.end():m.end() + 400]
            stop = re.search(r"\n\s*\n|\$\$", window)
            window = window[:stop.start()] if stop else window
            found: dict[str, str] = {}
            for s in _SENTENCE.finditer(window):
                if _NEGATION.search(s.group(0)):
                    continue
                for ind in pattern.finditer(s.group(0)):
                    said = ind.group(2).lower()
                    outcome = next(o for o, w in outcomes if re.fullmatch(w, said, re.I))
                    if ind.group(1) in found and found[ind.group(1)] != outcome:
                        found[ind.group(1)] = ""  # two readings of one name: none
                    else:
                        found.setdefault(ind.group(1), outcome)
            names = tuple(sorted(n for n, o in found.items() if o))
            if not names:
                continue
            rows = tuple(tuple(int(found[n] == o) for n in names) for o, _ in outcomes)
            weights = tuple(Fraction(1, len(outcomes)) for _ in outcomes)
            out.append(OutcomeLaw(names, rows, weights, (_line(text, m.start()), _scope_end(text, m.end()))))
    return out
