"""Events of several random variables: ``P(X = 0)`` and ``P(Y = 0)`` are two numbers.

The reader writes an event's value for the event (``P(Y = y_i)`` is ``P(y_i)``: the usual shorthand
of a note about one random variable).  In a note whose events name two or more random variables
that would make ``P(X = 0)`` and ``P(Y = 0)`` one value, so there each variable's probabilities
are their own function: ``P(X = 0)`` is read ``P_X(0)``.
"""
from __future__ import annotations

import re

_EVENT_OF = re.compile(r"(?<![A-Za-z\\])(?:P|\\Pr)\s*(?:\\left\s*)?[(\[]\s*([A-Z])\s*=(?!=)")
_SIMPLE_EVENT = re.compile(r"(?<![A-Za-z\\])(P|\\Pr)\s*(?:\\left\s*)?\(\s*([A-Z])\s*=(?!=)\s*([^(){}|,=\\]+?|\\[dt]?frac"
                           r"\s*\{[^{}]*\}\s*\{[^{}]*\})\s*(?:\\right\s*)?\)")


def event_variables(text: str) -> frozenset:
    """The capital letters a note writes events of: P(X = 0), \\Pr(Y = y)."""
    return frozenset(m.group(1) for m in _EVENT_OF.finditer(text))


def by_variable(latex: str, variables: frozenset) -> str:
    """P(X = 0) -> P_{X}(0) when the note has events of two or more variables (else unchanged)."""
    if len(variables) < 2:
        return latex
    return _SIMPLE_EVENT.sub(lambda m: f"P_{{{m.group(2)}}}({m.group(3).strip()})", latex)
