"""Events and the law a note gives them in numbers: ``P(D) = 0.01``, ``P(+ \\mid D) = 0.99``, ...

A Bayes exercise names events by letters (``D``, its complement ``\\bar{D}``, ``\\overline{D}``,
``D^c``, ``\\neg D``) and a test's result by ``+`` / ``-``, and gives their probabilities as
numbers.  When those numbers determine one joint law, it is read as a joint table of indicator
random variables (``1_D``, ``1_+``) and every ``P(A)``, ``P(A, B)`` and ``P(A \\mid B)`` of those
events means its value under it (``P(A \\mid B) = P(A, B) / P(B)``).  What is read:

* a root event R with ``P(R)`` (or ``P(\\bar R)``) given, alone or with one other event B whose
  conditionals ``P(B \\mid R)`` and ``P(B \\mid \\bar R)`` (or their complements) are both given;
* nothing is guessed: two values for one quantity, a letter that is a random variable or a name
  the note gives a value, or numbers that determine no single table, and no law is read.

The givens themselves stay the note's statements (``notes.probability_reader`` keeps a chain that
only states such a value as the note wrote it).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp
from sympy.core.function import AppliedUndef

from verifier.model.random import E
from verifier.notes.information_names import base_name

_BAR = r"(?:\\bar\s*\{\s*([A-Z])\s*\}|\\bar\s+([A-Z])|\\overline\s*\{\s*([A-Z])\s*\}|([A-Z])\s*\^\s*\{?\s*c\s*\}?" \
       r"|\\(?:neg|lnot)\s*([A-Z]))"
_EVENT = r"\s*(?:" + _BAR + r"|([A-Z])|(\+)|(-))\s*"
_NUMBER = r"\s*(\d+(?:\.\d+)?|\.\d+|\\[dt]?frac\s*\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}|(\d+)\s*/\s*(\d+))\s*" \
          r"(?=$|[,;&$]|\\quad|\\qquad|\\\\|\\,|\\;|\.\s|\.$|\\text|\\end|\)|，|。|；)"
_GIVEN = re.compile(r"(?:(?<![A-Za-z\\])P|\\Pr)\s*\(" + _EVENT + r"(?:(?:\\mid|\|)" + _EVENT + r")?\)\s*=" + _NUMBER)
_SIGN = "+"
_STARTS = re.compile(r"(?:^|[$,;&\n{，；]|\\quad|\\qquad|\\\\|\\text\s*\{[^{}]*\}|\\[,;:]|\band\b)\s*$")


@dataclass(frozen=True)
class EventLaw:
    """A joint law of binary events: ``names`` the events' letters (``+`` for a test's result), ``rows`` the
    indicator values, ``weights`` the probabilities (exact)."""

    names: tuple
    rows: tuple
    weights: tuple
    #: the givens that fix the table ((event, condition) keys of ``givens``): the note's law itself
    basis: frozenset = frozenset()


def _event(groups: tuple) -> tuple[str, int] | None:
    """(letter, 1) for an event, (letter, 0) for its complement, ('+', 1) / ('+', 0) for a test's result."""
    bar = next((g for g in groups[:5] if g), None)
    if bar:
        return bar, 0
    if groups[5]:
        return groups[5], 1
    if groups[6]:
        return _SIGN, 1
    if groups[7]:
        return _SIGN, 0
    return None


def _number(groups: tuple) -> Fraction | None:
    whole, fn, fd, sn, sd = groups
    try:
        if fn is not None:
            return Fraction(int(fn), int(fd))
        if sn is not None:
            return Fraction(int(sn), int(sd))
        return Fraction(whole)
    except (ValueError, ZeroDivisionError):
        return None


def givens(math: str) -> dict[tuple, Fraction] | None:
    """(event, condition or None) -> value for every ``P(A) = v`` / ``P(A \\mid B) = v`` in the math;
    None when one quantity is given two values."""
    out: dict[tuple, Fraction] = {}
    for m in _GIVEN.finditer(math):
        if not _STARTS.search(math[max(0, m.start() - 40):m.start()]):
            continue  # 1 - P(D) = 0.99, P(+ | D)P(D) = ...: the end of a chain, not a given of P(D)
        g = m.groups()
        a, b = _event(g[0:8]), _event(g[8:16])
        v = _number(g[16:21])
        if a is None or v is None or not 0 <= v <= 1:
            continue
        if b is not None and b[0] == a[0]:
            continue
        key = (a, b)
        if key in out and out[key] != v:
            return None
        out[key] = v
    return out


def _marginal(given: dict, name: str) -> Fraction | None:
    """P(name = 1) from P(name) or P(complement)."""
    if ((name, 1), None) in given:
        return given[((name, 1), None)]
    if ((name, 0), None) in given:
        return 1 - given[((name, 0), None)]
    return None


def _conditional(given: dict, child: str, root: str, value: int) -> Fraction | None:
    """P(child = 1 | root = value) from it or its complement."""
    if ((child, 1), (root, value)) in given:
        return given[((child, 1), (root, value))]
    if ((child, 0), (root, value)) in given:
        return 1 - given[((child, 0), (root, value))]
    return None


def _table(given: dict, root: str, names: set) -> EventLaw | None:
    r = _marginal(given, root)
    if r is None:
        return None
    children = [c for c in sorted(names - {root})
                if _conditional(given, c, root, 1) is not None and _conditional(given, c, root, 0) is not None]
    if len(children) > 1:
        return None  # the joint of two children given the root is not stated
    root_keys = {k for k in given if k[1] is None and k[0][0] == root}
    if not children:
        return EventLaw((root,), ((1,), (0,)), (r, 1 - r), frozenset(root_keys))
    (c,) = children
    c1, c0 = _conditional(given, c, root, 1), _conditional(given, c, root, 0)
    rows = ((1, 1), (1, 0), (0, 1), (0, 0))
    weights = (r * c1, r * (1 - c1), (1 - r) * c0, (1 - r) * (1 - c0))
    child_keys = {k for k in given if k[0][0] == c and k[1] is not None and k[1][0] == root}
    return EventLaw((root, c), rows, weights, frozenset(root_keys | child_keys))


def _consistent(law: EventLaw, given: dict) -> bool:
    """Every given value of a quantity on the law's events agrees with the law (else the numbers are not one law)."""
    for (a, b), v in given.items():
        if a[0] not in law.names or (b is not None and b[0] not in law.names):
            continue
        if probability(law, [a], [b] if b is not None else []) != v:
            return False
    return True


def probability(law: EventLaw, events: list, given: list) -> Fraction | None:
    """P(events | given) under the law (events: (name, value) pairs); None for a zero condition or an unknown event."""
    def mass(evs: list) -> Fraction:
        total = Fraction(0)
        for row, w in zip(law.rows, law.weights):
            if all(row[law.names.index(n)] == v for n, v in evs):
                total += w
        return total

    if any(n not in law.names for n, _ in events + given):
        return None
    below = mass(given)
    if below == 0:
        return None
    return mass(events + given) / below


def event_law(math: str, taken: set[str]) -> EventLaw | None:
    """The joint law of the events the math gives numbers for (see the module's rules); ``taken`` are letters
    the note uses otherwise (random variables, names with values): no law on them is read."""
    given = givens(math)
    if not given:
        return None
    names = {a[0] for a, _ in given} | {b[0] for _, b in given if b is not None}
    if names & taken:
        return None
    laws = {law for root in sorted(names) if (law := _table(given, root, names)) is not None}
    laws = {law for law in laws if _consistent(law, given)}
    big = [law for law in laws if len(law.names) == max(len(x.names) for x in laws)] if laws else []
    if len(big) != 1:
        return None
    return big[0]


def indicator_name(event: str) -> str:
    """The name of the indicator random variable of an event: 1_D, 1_+."""
    return "1_" + event


def event_of(name: str) -> tuple[str, int] | None:
    """The reader's name of an event -> (letter, value): D -> (D, 1), Dbar -> (D, 0), evpos -> (+, 1)."""
    if name == "evpos":
        return _SIGN, 1
    if name == "evneg":
        return _SIGN, 0
    if re.fullmatch(r"[A-Z]", name):
        return name, 1
    m = re.fullmatch(r"([A-Z])(?:bar|overline)", name)
    if m:
        return m.group(1), 0
    return None


_EVENT_CALLS = {"P": False, "Pr": False, "Pcond": True, "Prcond": True}


def _indicator(arg: sp.Basic, indicators: dict) -> sp.Basic | None:
    ev = event_of(arg.name) if isinstance(arg, sp.Symbol) else None
    if ev is None or ev[0] not in indicators:
        return None
    one = indicators[ev[0]]
    return one if ev[1] == 1 else 1 - one


def as_events(expr: sp.Basic, nc) -> sp.Basic:
    """``P(A)``, ``P(A, B)`` and ``P(A \\mid B)`` of the note's events as expectations of their indicators under
    the stated joint table: ``P(A \\mid B) = E[1_A 1_B] / E[1_B]``; any other call stays as it is."""
    indicators = getattr(nc, "event_indicators", None)
    if not indicators or not isinstance(expr, sp.Basic):
        return expr

    def convert(e):
        d = nc.ctx.definitions.get(e.func)
        if d is not None and not getattr(nc, "guards", {}).get(e.func) \
                and not (isinstance(d, sp.Lambda) and d.expr.is_number):
            return e  # the note's own definition of P wins (a value given at fixed events is the law itself)
        ind = [_indicator(a, indicators) for a in e.args]
        if not ind or None in ind:
            return e
        if _EVENT_CALLS[base_name(e)]:
            if len(ind) != 2:
                return e
            return E(ind[0] * ind[1]) / E(ind[1])
        return E(sp.Mul(*ind))

    return expr.replace(lambda e: isinstance(e, AppliedUndef) and base_name(e) in _EVENT_CALLS, convert)


def states_a_value(exprs: list, nc) -> bool:
    """``P(D) = 0.01``: a chain that only gives an event's probability (the note's law itself)."""
    first = exprs[0] if exprs else None
    if not (len(exprs) >= 2 and isinstance(first, AppliedUndef) and as_events(first, nc) != first
            and all(isinstance(e, sp.Basic) and e.is_number for e in exprs[1:])):
        return False
    evs = [event_of(a.name) if isinstance(a, sp.Symbol) else None for a in first.args]
    key = (evs[0], evs[1] if _EVENT_CALLS[base_name(first)] and len(evs) == 2 else None)
    return key in getattr(nc, "event_basis", frozenset())  # P(D | +) = 9/58 is worked out: a claim
