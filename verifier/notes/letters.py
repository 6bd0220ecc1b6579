"""Letters whose reading depends on the note as a whole (:mod:`verifier.notes.normalise` applies them):

* a bare ``\\pi`` the note bounds (``0 < \\pi < 1``, a mixing weight) and never writes the way the constant
  is written (``2\\pi``, ``\\sqrt{2\\pi}``) is a name, not 3.14159;
* an increment ``\\Delta w`` is one name (``Delta_w``) when every ``\\Delta`` of the note is followed by a
  plain name, never the product of a free Delta and w;
* ``C_n^k`` is the number of combinations in a Chinese note that speaks of them (``A_n^k`` arrangements),
  refused as ambiguous in another Chinese note, and a power of C_n elsewhere.
"""
from __future__ import annotations

import re

from verifier.notes.scan import ReadError

#: a bound on a bare \pi stated by the note (0 < \pi < 1, \pi \in (0, 1), \pi > 0): a probability, not 3.14159
_PI_BOUND = re.compile(r"(?:0|0\.\d+)\s*(?:<|\\lt|\\leq?)\s*\\pi(?![A-Za-z_])\s*(?:<|\\lt|\\leq?)"
                       r"|\\pi(?![A-Za-z_])\s*\\in\s*(?:\\left\s*)?[(\[]\s*0\s*,"
                       r"|(?<![\d.])1\s*-\s*\\pi\s*(?:\\right\s*)?\)")  # \pi(1 - \pi): a probability's complement
#: the constant pi as written in formulas: 2\pi, \sqrt{2\pi ...}, i\pi, \pi i, \pi^2 (not \pi^{x_i}), \sin\pi
_PI_CONSTANT = re.compile(r"\d[ \t]*\\pi(?![A-Za-z])|\\sqrt\s*\{[^{}]*\\pi(?![A-Za-z])|(?<![A-Za-z\\])i\s*\\pi(?![A-Za-z])"
                          r"|\\pi\s*(?:i(?![A-Za-z])|\^\s*\{?\s*\d)|\\(?:sin|cos|tan)\s*\(?\s*\\pi(?![A-Za-z])")
#: the name a bare \pi is read as where it is a variable (renamed pi after the grammar: notes.reader)
PI_VARIABLE = "varpi"

_GREEK_NAME = (r"\\(?:alpha|beta|gamma|delta|epsilon|varepsilon|zeta|eta|theta|vartheta|kappa|lambda|mu|nu|xi|rho"
               r"|sigma|tau|phi|varphi|chi|psi|omega)")
#: an increment written as one name: \Delta w, \Delta \theta (not \Delta alone, a discriminant or a Laplacian)
_INCREMENT = re.compile(r"\\Delta(?![A-Za-z])\s*(?:([A-Za-z])|(" + _GREEK_NAME + r"))(?![A-Za-z])(?!\s*[_(])")
_DELTA = re.compile(r"\\Delta(?![A-Za-z])")


def increments_are_names(math_text: str) -> bool:
    """Whether every \\Delta of a note's math is an increment of a plain name (\\Delta w, \\Delta\\theta): then
    \\Delta w is one name (read as Delta_w), never the product of a free Delta and w."""
    found = len(_DELTA.findall(math_text))
    return found > 0 and len(_INCREMENT.findall(math_text)) == found


def pi_is_a_variable(math_text: str) -> bool:
    """Whether a note's bare \\pi is a variable (a mixing weight with 0 < \\pi < 1) rather than the constant:
    the note bounds it (or writes its complement, 1 - \\pi) and never writes it the way the constant is written
    (2\\pi, \\sqrt{2\\pi}, \\pi^2)."""
    return bool(_PI_BOUND.search(math_text)) and not _PI_CONSTANT.search(math_text)


_CJK = re.compile(r"[\u4e00-\u9fff]")
#: the words of a Chinese note that mean C_n^k are combinations, and A_n^k arrangements
_COUNTING_WORDS = {"C": re.compile(r"组合|二项|\\binom|choose", re.I), "A": re.compile(r"排列")}
_INDEX = r"(?:\{\s*(?:[A-Za-z]|\d+)(?:\s*[+-]\s*(?:[A-Za-z]|\d+))?\s*\}|[A-Za-z0-9])"
#: C_n^k, C_{n}^{k}, \mathrm{C}_n^k (combinations) and A_n^k (arrangements), as Chinese textbooks write them
_COMBINATION = re.compile(r"(?<![\\A-Za-z{])(?:\\mathrm\s*\{\s*([CA])\s*\}|([CA]))\s*_\s*(" + _INDEX + r")\s*\^\s*"
                          r"(?!\{?\s*T\s*\}?(?![A-Za-z0-9]))(" + _INDEX + ")")  # (A_i^T: a transpose)


def combinations_of(text: str) -> dict[str, str]:
    """How a note's C_n^k and A_n^k are read: in a Chinese note that speaks of combinations (组合, 二项,
    \\binom) C_n^k is the binomial coefficient, and where it speaks of arrangements (排列) A_n^k is n!/(n-k)!;
    in another Chinese note they are refused (the notation, or a power of C_n?); elsewhere, powers."""
    if not _CJK.search(text):
        return {}
    return {letter: "count" if words.search(text) else "ambiguous" for letter, words in _COUNTING_WORDS.items()}


def _combination(m: re.Match, how: dict[str, str]) -> str:
    letter, n, k = m.group(1) or m.group(2), m.group(3).strip("{} "), m.group(4).strip("{} ")
    count, spelled = (("combinations", f"\\binom{{{n}}}{{{k}}}") if letter == "C" else
                      ("arrangements", f"\\frac{{({n})!}}{{({n} - {k})!}}"))
    if how.get(letter) != "count":
        raise ReadError(m.group(0), f"{m.group(0)}: the number of {count} (as Chinese textbooks write it) or a power "
                        f"of {letter}_{n}? write {spelled} or ({letter}_{n})^{k}")
    return spelled


def note_letters(notation, math_text: str, text: str) -> None:
    """Set the note-wide readings of letters on its notation: \\pi a name, \\Delta w one name, C_n^k."""
    notation.pi_variable, notation.increments = pi_is_a_variable(math_text), increments_are_names(math_text)
    notation.combinations = combinations_of(text)


def respell_letters(s: str, notation) -> str:
    """The expression with the note's increments and its bounded \\pi spelled as single names, and C_n^k as the
    note means it (:func:`combinations_of`)."""
    if getattr(notation, "combinations", None):
        s = _COMBINATION.sub(lambda m: _combination(m, notation.combinations), s)
    if notation.increments:  # \Delta w: one name (increments_are_names)
        s = _INCREMENT.sub(lambda m: "\\Delta_{" + (m.group(1) or m.group(2)) + "} ", s)
    if notation.pi_variable:  # 0 < \pi < 1: a name (pi_is_a_variable)
        s = re.sub(r"\\pi(?![A-Za-z])(?!\s*_)(\s*(?=\(|\\left|\\big|\\Big))?",
                   lambda m: "\\" + PI_VARIABLE + (" \\cdot " if m.group(1) is not None else " "), s)
    return s
