"""Probability and information as notes spell them, rewritten before the grammar reads them.

The grammar has no reading of ``\\|`` inside a call (a norm to it), merges ``H(X \\mid Y)`` with the
joint ``H(X, Y)``, and rejects ``\\mathbb E`` without braces or a subscript holding ``\\sim p_{...}``.
This module only respells (a registry of rewrites, each with its reason); meanings are given later
(``notes.probability_reader``, ``notes.finite_laws``):

* ``D_{\\mathrm{KL}}(P \\| Q)``, ``D_{KL}(P||Q)``, ``\\mathrm{KL}(q\\,\\|\\,p)``, ``KL(p||q)``,
  ``\\operatorname{KL}(p \\parallel q)``, ``\\KL(p \\| q)`` (the usual macro) -> ``D_{KL}(P, Q)`` (one name);
* ``H(X \\mid Y)``, ``H(X | Y)`` -> ``\\text{Hcond}(X, Y)`` (conditional entropy, not the joint ``H(X, Y)``);
* ``P(A \\mid B)``, ``P(A | B)``, ``\\Pr[A \\mid B]``, ``p(x \\mid \\theta)``, ``q(z | x)`` -> ``\\text{Pcond}(A, B)``,
  ``\\text{Prcond}``, ``\\text{pcond}``, ``\\text{qcond}``: a conditional, never the joint ``P(A, B)`` the grammar
  would make of it; an event written ``+`` or ``-`` (a test's result) in ``P(...)`` -> ``\\text{evpos}`` /
  ``\\text{evneg}``;
* ``\\mathbb E`` / ``\\mathbf E`` -> ``\\mathbb{E}``; an expectation's subscript ``_{x \\sim p_{\\mathrm{data}}}``,
  ``_{q(z \\mid x)}``, ``_{z\\sim q_\\phi(z|x)}`` -> ``_{xsimpdata}``, ``_{q}``, ``_{zsimq}``: the bound
  variable and the law's name, nothing else (the condition of a conditional law is the law's business).
"""
from __future__ import annotations

import re

from verifier.notes.scan import matching

_OPEN = r"\s*(?:\\left|\\big|\\Big|\\bigg|\\Bigg)?\s*\("
# capital letters side by side that this module reads as one operator's name (KL(p || q), D_{KL})
ONE_NAME_RUNS = frozenset({"KL"})
_KL_NAME = re.compile(
    r"(?:D_\s*\{\s*(?:\\(?:mathrm|text|operatorname|rm|mathsf)\s*\{\s*KL\s*\}|KL)\s*\}|D_\s*KL(?![A-Za-z])"
    r"|\\(?:mathrm|text|operatorname|mathsf)\s*\{\s*KL\s*\}|(?<![A-Za-z\\{])KL(?![A-Za-z])"
    r"|\\(?:KL|DKL|Dkl|kl)(?![A-Za-z]))" + _OPEN)  # \KL: the usual macro of \newcommand{\KL}{D_{\mathrm{KL}}}
_H_NAME = re.compile(r"(?<![A-Za-z\\_^{])H" + _OPEN)
_BAR_DIV = re.compile(r"\\\||\|\||\\parallel(?![A-Za-z])|\\Vert(?![A-Za-z])")
_BAR_COND = re.compile(r"\\mid(?![A-Za-z])|(?<!\|)\|(?!\|)|\\vert(?![A-Za-z])")
_SIZES = re.compile(r"\\(?:right|big|Big|bigg|Bigg)[rl]?(?![A-Za-z])|\\middle(?![A-Za-z])")
_SPACES = re.compile(r"\\[,;:!]|\\q?quad(?![A-Za-z])")
_BB = re.compile(r"\\(mathbb|mathbf)\s+([A-Z])(?![A-Za-z])")
_E_SUB = re.compile(r"(\\mathbb\{E\}|\\mathbf\{E\}|(?<![A-Za-z\\])E)\s*_\s*\{")


def _top_split(inner: str, sep: re.Pattern) -> list[str] | None:
    """Split at separators outside brackets; None when a bracket does not close."""
    parts, depth, last, j = [], 0, 0, 0
    while j < len(inner):
        c = inner[j]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0:
            m = sep.match(inner, j)
            if m and m.end() > j:
                parts.append(inner[last:j])
                last = j = m.end()
                continue
        j += 1
    if depth != 0:
        return None
    parts.append(inner[last:])
    return parts


def _calls(text: str, name: re.Pattern, sep: re.Pattern, build) -> str:
    out, pos = [], 0
    for m in name.finditer(text):
        if m.start() < pos:
            continue
        opening = m.end() - 1
        close = matching(text, opening)
        if close < 0:
            continue
        inner = _SIZES.sub("", text[opening + 1:close])
        parts = _top_split(inner, sep)
        if parts is None or len(parts) != 2 or not all(p.strip() for p in parts):
            continue
        a, b = (_SPACES.sub(" ", p).strip() for p in parts)
        out.append(text[pos:m.start()] + build(a, b))
        pos = close + 1
    out.append(text[pos:])
    return "".join(out)


def _law_name(sub: str) -> str | None:
    """``x \\sim p_{\\mathrm{data}}`` -> ``xsimpdata``, ``q(z | x)`` -> ``q``; None when it is something else."""
    s = _SPACES.sub(" ", _SIZES.sub("", sub)).strip()
    s = re.sub(r"\\(?:mathrm|text|operatorname|rm|mathsf)\s*\{\s*([A-Za-z]+)\s*\}", r"\1", s)
    m = re.fullmatch(r"(?:([A-Za-z])\s*\\sim\s*)?([A-Za-z])(?:_\s*\{?\s*([A-Za-z0-9]+)\s*\}?)?\s*(?:\(.*\))?", s)
    if m is None:
        return None
    var, law, lsub = m.group(1), m.group(2), m.group(3) or ""
    return (f"{var}sim" if var else "") + law + lsub


def _expectation_subscripts(text: str) -> str:
    out, pos = [], 0
    for m in _E_SUB.finditer(text):
        if m.start() < pos:
            continue
        brace = m.end() - 1
        close = matching(text, brace)
        if close < 0:
            continue
        name = _law_name(text[brace + 1:close])
        if name is None:
            continue
        head = m.group(1)
        out.append(text[pos:m.start()] + head + "_{" + name + "}")
        pos = close + 1
    out.append(text[pos:])
    return "".join(out)


_PROB_NAME = re.compile(r"(?<![A-Za-z\\_^])(P|p|q|Q)\s*(?:\\left|\\big|\\Big|\\bigg|\\Bigg)?\s*(\()"
                        r"|(?:\\Pr|\\(?:operatorname|mathrm|text|rm)\s*\{\s*Pr\s*\})\s*(?:\\left|\\big|\\Big|\\bigg|\\Bigg)?"
                        r"\s*([\[(])")
_COMMA = re.compile(r",")
_EVENTS = {"+": r"\text{evpos}", "-": r"\text{evneg}"}


def _event(part: str) -> str:
    """An event written as a bare sign (``+``: the test is positive) respelled as a name."""
    return _EVENTS.get(part.strip(), part)


def _conditionals(text: str) -> str:
    out, pos = [], 0
    for m in _PROB_NAME.finditer(text):
        if m.start() < pos:
            continue
        name = m.group(1) or "Pr"
        opening = m.start(2) if m.group(2) else m.start(3)
        closing = ")" if text[opening] == "(" else "]"
        close = matching(text, opening)
        if close < 0:
            continue
        inner = _SIZES.sub("", text[opening + 1:close])
        parts = _top_split(inner, _BAR_COND)
        if parts is None or not all(p.strip() for p in parts) or len(parts) > 2:
            continue
        capital = name in ("P", "Pr")
        sides = []
        for p in parts:
            args = _top_split(p, _COMMA) or [p]
            sides.append(", ".join(_event(a) if capital else a.strip() for a in args))
        if len(parts) == 2:
            out.append(text[pos:m.start()] + f"\\text{{{name}cond}}({sides[0]}, {sides[1]})")
        elif closing == "]" or sides[0] != inner.strip():
            out.append(text[pos:m.start()] + (r"\Pr" if name == "Pr" else name) + f"({sides[0]})")
        else:
            continue
        pos = close + 1
    out.append(text[pos:])
    return "".join(out)


#: the rewrites, in order: (reason, function of the text)
SPELLINGS = (
    ("\\mathbb E without braces", lambda s: _BB.sub(lambda m: "\\" + m.group(1) + "{" + m.group(2) + "}", s)),
    ("a KL divergence written with \\| or ||", lambda s: _calls(s, _KL_NAME, _BAR_DIV, lambda a, b: f"D_{{KL}}({a}, {b})")),
    ("a conditional entropy H(X | Y)", lambda s: _calls(s, _H_NAME, _BAR_COND, lambda a, b: f"\\text{{Hcond}}({a}, {b})")),
    ("an expectation's subscript: the variable and its law", _expectation_subscripts),
    ("a conditional probability P(A | B) (not the joint P(A, B)); events written + / -", _conditionals),
)


_BARE_SUM = re.compile(r"\\sum(?:\\limits)?\s*_\s*(?:\{\s*([a-z])\s*(?:\\in\s*\\mathcal\s*\{?\s*[A-Z]\s*\}?\s*)?\}|([a-z]))"
                       r"(?!\s*\^)")


def finite_set_sums(latex: str, laws: frozenset) -> str:
    """``\\sum_{x} P(x) \\log Q(x)`` where the note states P and Q are laws on one finite set: the sum over
    its N_{x} points, ``\\sum_{x=1}^{N_{x}} P_{x} \\log Q_{x}`` (P, Q probability vectors); only when every
    ``P(x)`` of the bound letter stands under such a sum (a free x is left to be refused)."""
    if not laws or "\\sum" not in latex:
        return latex
    heads = list(_BARE_SUM.finditer(latex))
    if not heads:
        return latex
    letters = {m.group(1) or m.group(2) for m in heads}
    if len(letters) != 1:
        return latex
    (v,) = letters
    call = re.compile(r"(?<![A-Za-z\\])(" + "|".join(sorted(map(re.escape, laws))) + r")\s*\(\s*" + v + r"\s*\)")
    calls = list(call.finditer(latex))
    if not calls or calls[0].start() < heads[0].start():
        return latex  # no law at the bound letter, or a law at a free x before the sum
    out = call.sub(lambda m: m.group(1) + "_{" + v + "}", latex)
    return _BARE_SUM.sub("\\\\sum_{" + v + "=1}^{N_{" + v + "}}", out)


def support_sums(latex: str, supports: dict) -> str:
    """``\\sum_{x} P(x) \\log P(x)`` where the note's table gives the random variable X the values lo..hi
    (``notes.table_laws.table_supports``): the sum over them, ``\\sum_{x=lo}^{hi}``; a letter without a known
    support keeps its bare sum (and stays unread)."""
    if not supports or "\\sum" not in latex:
        return latex

    def limits(m: re.Match) -> str:
        v = m.group(1) or m.group(2)
        if v not in supports:
            return m.group(0)
        lo, hi = supports[v]
        return f"\\sum_{{{v}={lo}}}^{{{hi}}}"

    latex = _PAIR_SUM.sub(lambda m: "".join(f"\\sum_{{{v}={supports[v][0]}}}^{{{supports[v][1]}}}" for v in m.groups())
                          if all(v in supports for v in m.groups()) and m.group(1) != m.group(2) else m.group(0), latex)
    return _BARE_SUM.sub(limits, latex)


#: a double bare sum over two random letters, ``\sum_{x,y}``: one sum over each letter's support
_PAIR_SUM = re.compile(r"\\sum(?:\\limits)?\s*_\s*\{\s*([a-z])\s*,\s*([a-z])\s*\}(?!\s*\^)")


_POINT = re.compile(r"(?<![A-Za-z\\])([pq])\s*(\\big|\\Big|\\left)?\s*\(\s*\\cdot\s*(\\mid(?![A-Za-z])|\|)")


def law_arguments(latex: str, supports: dict) -> str:
    """``p(\\cdot \\mid \\mathbf{x})`` (a conditional law as a function of the one random letter the note sums
    over, ``KL(q \\| p(\\cdot \\mid x))``) -> ``p(z \\mid \\mathbf{x})``; with no letter, or several, it is left."""
    if len(supports or {}) != 1 or "\\cdot" not in latex:
        return latex
    (v,) = supports
    return _POINT.sub(lambda m: m.group(1) + (m.group(2) or "") + "(" + v + " " + m.group(3), latex)


def respell(latex: str, finite_laws: frozenset = frozenset(), supports: dict | None = None) -> str:
    """The LaTeX with the spellings of probability and information the grammar reads; ``finite_laws`` the laws
    the note states on one finite set (``notes.finite_laws.finite_set_laws``), whose bare sums get its points;
    ``supports`` the values of the random variables of the note's tables, over which their bare sums run."""
    s = law_arguments(latex, supports or {})
    for _why, rewrite in SPELLINGS:
        s = rewrite(s)
    return support_sums(finite_set_sums(s, finite_laws), supports or {})
