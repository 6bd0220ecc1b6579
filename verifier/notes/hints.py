"""Messages that help: what an unparsed step's LaTeX contains that is not read, and how to write it.

A registry of constructs (:data:`HINTS`: a pattern over the LaTeX as written, the construct's name, and
"write ... instead").  :func:`unparsed_message` builds the message of an unparsed step: the fragment
quoted exactly as the note wrote it (no doubled backslashes, the note's ``\\log`` not the reader's
``\\ln``), the construct that is not read and how to write it instead; the parser's own words ("I don't
understand this", "I expected something else here") are never passed on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Hint:
    pattern: re.Pattern
    construct: str  # what is not read, in the note's terms
    instead: str  # how to write it so that it is read


def _h(pattern: str, construct: str, instead: str) -> Hint:
    return Hint(re.compile(pattern), construct, instead)


#: constructs that are not read, most specific first
HINTS: tuple[Hint, ...] = (
    _h(r"\\nabla", r"the gradient \nabla", r"write the partial derivatives, e.g. \frac{\partial f}{\partial w}"),
    _h(r"\^\s*(?:\{\s*(?:T|\\top|\\intercal|\\mathsf\{T\}|\\mathrm\{T\})\s*\}|(?:T|\\top|\\intercal)(?![A-Za-z0-9]))",
       r"a transpose x^T",
       r"vectors are not read yet: write the entries, e.g. \sum_i x_i y_i"),
    _h(r"\\lg(?![A-Za-z])", r"\lg", r"write \log_2 or \log_{10}"),
    _h(r"\\(?:mathbf|boldsymbol|bm|vec)\s*\{", r"a bold or arrowed vector",
       r"vectors are not read yet: write the entries with an index, e.g. w_i under \sum_i"),
    _h(r"\\langle|\\rangle", r"an inner product \langle x, y \rangle", r"write the sum \sum_i x_i y_i"),
    _h(r"\\\||\\lVert|\\rVert", r"a norm \|x\|", r"write the sum of squares, e.g. \sqrt{\sum_i x_i^2}"),
    _h(r"\\(?:det|operatorname\s*\{\s*(?:tr|Tr|diag|rank)\s*\})(?![A-Za-z])|\\mathrm\s*\{\s*tr\s*\}",
       r"a matrix function (det, tr, diag)", r"matrices are not read yet: write the entries and the sums"),
    _h(r"\\(?:odot|otimes|oplus|circ|star|ast|bullet|diamond)(?![A-Za-z])", r"the operator {0}",
       r"write the product out with \cdot, or entry by entry"),
    _h(r"\\(?:forall|exists)(?![A-Za-z])", r"a quantifier {0}", r"put the condition in the prose around the display"),
    _h(r"\\(?:in|notin|subset|subseteq)(?![A-Za-z])", r"a membership {0}",
       r"state the domain in the prose (or with <!-- verify: assume ... -->) and keep the display an equation"),
    _h(r"\\(?:pm|mp)(?![A-Za-z])", r"{0}", r"write each sign as its own step"),
    _h(r"\\(?:cdots|ldots|dots|dotsb|vdots)(?![A-Za-z])", r"an ellipsis {0}", r"write the sum \sum_{i=1}^{n} or the product \prod_{i=1}^{n}"),
    _h(r"\\int(?![A-Za-z])|\\iint|\\oint", r"an integral \int", r"integrals are not read yet; state the result as its own step"),
    _h(r"\\(?:lim|limsup|liminf)(?![A-Za-z])", r"a limit {0}", r"write the limit as its own step with \lim_{x \to a}"),
    _h(r"\\(?:operatorname|mathrm)\s*\{\s*([A-Za-z]+)\s*\}\s*\(", r"a function \operatorname{{{1}}}",
       r"define it in a display (e.g. f(x) = ...) or write its formula"),
    _h(r"\\(?:mathbb|mathcal)\s*\{\s*[PQ]\s*\}", r"a probability {0}", r"write the probabilities as p_i or p(x)"),
    _h(r"\\(?:Pr)(?![A-Za-z])", r"a probability \Pr", r"write the probabilities as p_i or p(x)"),
)

#: how the parser's own words begin (they are replaced, never shown)
_PARSER_WORDS = ("the LaTeX parser rejected it", "could not read it (", "reading timed out or failed")


def hint_for(latex: str) -> tuple[str, str] | None:
    """(construct, write-instead) for the first construct of :data:`HINTS` in the LaTeX, or None."""
    for h in HINTS:
        m = h.pattern.search(latex)
        if m:
            groups = [m.group(0).strip()] + [g or "" for g in m.groups()]
            return h.construct.format(*groups), h.instead
    return None


def _quoted(fragment: str, written: str) -> str:
    """The part of the note to quote: the fragment when the note wrote it so, else the note's LaTeX."""
    frag = " ".join(fragment.split()).rstrip(".").strip()
    text = " ".join(written.split())
    if frag and frag in text:
        return frag
    return text if len(text) <= 120 else text[:119] + "…"


def unparsed_message(written: str, fragment: str, reason: str) -> str:
    """The message of a step whose LaTeX (``written``, as in the note) could not be read.

    ``fragment`` and ``reason`` come from the reader (:class:`verifier.notes.scan.ReadError`).
    """
    quote = _quoted(fragment, written)
    from_parser = reason.startswith(_PARSER_WORDS)
    # the reader's own specific reasons stand unless the quoted fragment itself shows a known construct
    hint = hint_for(quote) or (hint_for(written) if from_parser else None)
    if hint:
        construct, instead = hint
        return f"could not read {quote}: {construct} is not read; {instead}"
    if reason.startswith("reading timed out or failed"):
        return f"could not read {quote}: reading it took too long (split the step, or raise --budget)"
    if from_parser:
        return (f"could not read {quote}: the parser does not read this LaTeX; write it with plain operators "
                r"(+, -, \cdot, \frac, ^, \sum, \log, \exp) or split the step")
    return f"could not read {quote}: {reason}"
