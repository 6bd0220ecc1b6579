"""What a refutation of a claim would not mean: the readings under which a step that fails as an
identity is no error of the author's.

A claim is decided as an identity over its free symbols.  Some steps are not identities in the
author's mind, although they are written with ``=`` or ``\\le``:

* a *substitution* of a relation the note does not state (``F = 2PR/(P+R) = 2TP/(2TP+FP+FN)``
  after "substituting (2.8) and (2.9)": the step drops P, R and brings in TP, FP, FN);
* a *condition* (``0 \\le \\alpha_i \\le C``, ``H_0: p \\le p_0``): an inequality between bare names
  states a hypothesis, a constraint or a range; it is not derived by algebra;
* a step on entries that the note *constrains* (``\\sum_k p_k = 1``, stated in the prose) while the
  tool samples them free;
* a *reading* the tool is unsure of: letters written side by side that may be one name (``TP``,
  ``F1``) are read as a product; an entry ``x_j`` at an index no sum binds, beside a sum over the
  entries ``x_i`` (``e^{x_j} / \\sum_i e^{x_i}``), is read as a name of its own, where the note means
  one of the summed entries.

Each rule is a function of the step that returns the reason (or None); :data:`CAVEATS` is the
registry, tried in order.  A caveat never changes a proof: only a refutation becomes ``unknown``,
with the reason and the failure shown (:mod:`verifier.notes.decisions`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

import sympy as sp

from verifier.engine.evidence import UNDEFINED_NEW_OBJECTIVE
from verifier.notes.definitions import bound_names, names_used, plain_unfold
from verifier.notes.misreadings import head_name
from verifier.notes.notation import split_name
from verifier.notes.probability_spelling import ONE_NAME_RUNS


@dataclass
class StepView:
    """What a caveat rule looks at: the step as written, as read, and what the note says around it."""

    lhs: str
    rhs: str
    relation: str
    a: sp.Basic
    b: sp.Basic
    definitions: dict
    symbol: Callable[[str], str]  # an internal name as the note writes it
    constraints: dict[str, tuple[str, int]]  # base name -> (the constraint as written, its line)
    values: dict[str, tuple] | None = None  # name -> (a value the prose gives, its line, ...), before the step
    meaningful: frozenset = frozenset()  # names with a meaning beyond algebra (random variables, calls)
    prose_math: str = ""  # the inline math of the prose of the step's section
    bounds: dict = field(default_factory=dict)  # base name -> (as written, line, low, high): 0 < gamma_t < 1/2
    ranges: dict = field(default_factory=dict)  # name -> (as written, line, low, upper name): h in {0, ..., m}

    def call_named(self, run: str) -> bool:
        """A run of letters the reading took as (part of) the name of a function it calls."""
        return run in ONE_NAME_RUNS or any(run in name.replace("{", "").replace("}", "")
                                           for name in self.meaningful if len(name) > 1)

    def symbol_known(self, letter: str) -> bool:
        """A letter the note declares with a meaning of its own (a random variable)."""
        return letter in self.meaningful or self.symbol(letter) in self.meaningful


_INEQUALITIES = ("<=", ">=", "<", ">")


@dataclass
class Caveat:
    """Why a refutation of a step would be no error of the note; `void` tells, from the counterexample,
    when the reason does not apply (the sampled point respects the constraint the reason names)."""

    reason: str
    void: Callable[[dict | None], bool] | None = None

    def applies(self, counterexample: dict | None) -> bool:
        return self.void is None or not self.void(counterexample)


def _free_names(e: sp.Basic, defs: dict) -> dict[str, str]:
    """The names an expression uses once the definitions are unfolded: base name -> a name as used
    (x_1 and x_i count as x, so unrolling a sum over x is no substitution)."""
    unfolded = plain_unfold(e, defs)
    out: dict[str, str] = {}
    for n in sorted(names_used(unfolded if unfolded is not None else e)):
        out.setdefault(split_name(n)[0], n)
    return out


def substitution(v: StepView) -> str | None:
    """The step drops names and brings in others that the prose of its section talks about: it substitutes
    a relation between them that the note does not state as a definition (its definitions are unfolded
    first, so a defined name does not count)."""
    if v.relation != "=" or v.meaningful & (names_used(v.a) | names_used(v.b)):
        return None  # a random variable's law or a function's meaning may bring in its parameters
    left, right = _free_names(v.a, v.definitions), _free_names(v.b, v.definitions)
    for n in bound_names(v.a, v.b):  # a bound index free on one side is a scope error, not a substitution
        left.pop(split_name(n)[0], None)
        right.pop(split_name(n)[0], None)
    dropped = [left[k] for k in sorted(set(left) - set(right))]
    new = [right[k] for k in sorted(set(right) - set(left))]
    if not dropped or not new:
        return None
    if not all(_mentioned(v.symbol(n), v.prose_math) for n in new):
        return None  # a name the prose does not talk about: no relation to it is implied
    return (f"the step replaces {', '.join(v.symbol(n) for n in dropped)} by an expression in "
            f"{', '.join(v.symbol(n) for n in new)}: it substitutes a relation between them that the note does "
            "not state as a definition (state it, e.g. in a display before, to check this step)")


def _mentioned(latex: str, text: str) -> bool:
    return bool(re.search(r"(?<![A-Za-z\\])" + re.escape(latex) + r"(?![A-Za-z])", text))


def _atom(e: sp.Basic) -> bool:
    return isinstance(e, (sp.Symbol, sp.Indexed)) or (e.is_number is True)


_NAME_WRITTEN = re.compile(r"\s*\\?[A-Za-z]+'*\s*(?:_\s*(?:\{[^{}]*\}|\w))?\s*")


def _written_atom(latex: str, e: sp.Basic) -> bool:
    """Written as a bare name (p_1, \\lambda) or as a number (\\frac{1}{3}), not as an expression."""
    return e.is_number is True or bool(_NAME_WRITTEN.fullmatch(latex))


def condition(v: StepView) -> str | None:
    """An inequality between two bare names (or a name and a number) states a condition; an equation
    between them (p_1 = p_2 = 1/3, names the note leaves free) states values: a solution or a case."""
    if v.relation not in _INEQUALITIES + ("=",) or not (_atom(v.a) and _atom(v.b)):
        return None
    if not (v.a.free_symbols | v.b.free_symbols):
        return None  # 0 < 1, 2 = 3: between constants it is decided
    if v.relation == "=":
        defined = {str(k) for k in v.definitions}
        if {str(x) for x in v.a.free_symbols | v.b.free_symbols} & defined or not (
                _written_atom(v.lhs, v.a) and _written_atom(v.rhs, v.b)):
            return None  # 2z/2 = w: an expression, a claim to decide
        pieces = [p.strip() for p in re.split(r"[;,]", v.prose_math)]
        for x in v.a.free_symbols | v.b.free_symbols:  # "where $m = 5$": the note gives m a value
            given = re.compile(re.escape(v.symbol(str(x))) + r"\s*=\s*-?[0-9.]+")
            if any(given.fullmatch(p) for p in pieces):
                return None
        return ("an equation between bare names (or a name and a number) that the note leaves free states "
                "their values (a solution, a case or a choice), not a step derived by algebra")
    return ("an inequality between bare names states a condition (a hypothesis, a constraint or a range), "
            "not a step derived by algebra; it holds only where the note assumes it")


def _power_of_a_name(e: sp.Basic, defs: dict) -> bool:
    """c x^k (a number times a power of one name the note does not define), not a number."""
    coeff, rest = e.as_coeff_Mul()
    base, power = rest.as_base_exp()
    return (coeff.is_number and coeff != 0 and isinstance(base, (sp.Symbol, sp.Indexed)) and power.is_number
            and power != 0 and base not in defs and (power != 1 or coeff != 1))


def value_of_a_power(v: StepView) -> str | None:
    """x^2 = 4, \\sigma^2 = 4, 2w = 6: a number and a power of one free name (or a multiple of it) are never equal
    as an identity; the note states a value or an equation to solve (bare names: :func:`condition`)."""
    if v.relation != "=":
        return None
    for a, b in ((v.a, v.b), (v.b, v.a)):
        if b.is_number and not b.free_symbols and _power_of_a_name(a, v.definitions):
            return ("an equation between a number and a power of one name states the name's value or an equation "
                    "to solve, not an identity (as one it could never hold)")
    return None


def _entry_bases(e: sp.Basic) -> set[str]:
    out = {str(x.base.label) for x in e.atoms(sp.Indexed)}
    for s in e.free_symbols:
        if isinstance(s, sp.Symbol):
            base, sub = split_name(s.name)
            if sub:
                out.add(base)
    return out


def constrained(v: StepView) -> Caveat | None:
    """The step uses entries that the note constrains (a normalisation stated in the prose)."""
    bases = (_entry_bases(v.a) | _entry_bases(v.b)) & set(v.constraints)
    if not bases:
        return None
    parts = [f"{v.constraints[b][0]} (line {v.constraints[b][1]})" for b in sorted(bases)]
    return Caveat("the note constrains these entries: " + "; ".join(parts) + ", and the step was sampled with "
                  "them free; the constraint is not applied to written-out entries yet",
                  lambda ce: _normalised(ce, bases))


def _normalised(ce: dict | None, bases: set[str]) -> bool:
    """Do the entries of every base in the counterexample sum to 1 (the point respects the constraint)?"""
    for base in bases:
        values = _values_of(ce, base, r"\[(\d+)\]|_\{?(\d+)\}?")
        if not values or abs(sum(values) - 1) > 1e-8:
            return False
    return True


def _values_of(ce: dict | None, base: str, index: str) -> list[float] | None:
    """The counterexample's values of the entries of `base` (keys `base` + `index`, a pattern), or None
    when there are none or one is not a number."""
    out = []
    for k, val in (ce or {}).items():
        m = re.fullmatch(r"(\\?[A-Za-z]+)(?:" + index + ")", k.replace(" ", ""))
        if m and m.group(1).lstrip("\\") == base:
            try:
                out.append(float(val))
            except ValueError:
                return None
    return out or None


_WRAPPED = re.compile(r"\\(?:text|mathrm|operatorname|mathit|mathsf|textrm|mbox)\s*\{[^{}]*\}|\\[A-Za-z]+")
_RUN = re.compile(r"(?<![A-Za-z])([A-Z](?:[A-Z]|[0-9])+)(?![A-Za-z0-9])")
_SCRIPT = re.compile(r"[_^]\s*(?:\{[^{}]*\}|\w)")


def letter_runs(latex: str) -> list[str]:
    """Capital letters written side by side (TP, FN, F1) outside commands, upright text and sub- or
    superscripts (a label there is part of a name)."""
    return _RUN.findall(_SCRIPT.sub(" ", _WRAPPED.sub(" ", latex)))


def juxtaposed_names(v: StepView) -> str | None:
    """TP, FN, F1 are read as products of letters; the author may mean one name."""
    # XY of two random variables the note declares is their product, not one name
    # and KL of KL(p || q), read as the divergence, is the name of a call in the reading
    runs = sorted(r for r in set(letter_runs(v.lhs) + letter_runs(v.rhs))
                  if not all(ch.isdigit() or v.symbol_known(ch) for ch in r) and not v.call_named(r))
    if not runs:
        return None
    shown = ", ".join(runs[:4]) + (", ..." if len(runs) > 4 else "")
    return (f"{shown} {'is' if len(runs) == 1 else 'are'} read as a product of letters, which may not be what "
            "the note means; if it is one name, write it \\mathrm{" + runs[0] + "}")


_WORD_NEXT = re.compile(r"(?:(?<![\\A-Za-z])[A-Za-z]|_\s*\{[^{}]*\}|_\s*[A-Za-z0-9+-]|\\(?:mathrm|text)\s*\{\s*[A-Za-z]+\s*\})"
                        r"\s*\\(?:text|mathrm|textrm|operatorname)\s*\{\s*([A-Za-z]{2,})\s*\}"
                        r"|(?<=[A-Za-z]\(.\))\s*([a-z]{3,})(?![A-Za-z])")
_FUNCTION_WORDS = {"log", "ln", "exp", "sin", "cos", "tan", "tanh", "max", "min", "sign", "sgn", "softmax", "det",
                   "tr", "diag", "argmax", "argmin", "Var", "Cov", "KL", "arg", "lim", "sup", "inf", "erf"}


def word_beside_a_name(v: StepView) -> str | None:
    """F_{-}\text{Gain}, P(+) cost: a word written right after a name is likely part of one name (a name
    typeset in pieces), not a factor of a product."""
    for side in (v.lhs, v.rhs):
        for m in _WORD_NEXT.finditer(side):
            word = m.group(1) or m.group(2)
            if word not in _FUNCTION_WORDS:
                return (f"the word {word} is written right after a name, as part of one name typeset in pieces "
                        f"(read as a product of {word} and that name, which may not be what the note means)")
    return None


def prose_values(v: StepView) -> str | None:
    """The step puts in numbers for names whose values the prose gives for the moment ("即 $m_{u,a} = 8$",
    "with $\\eta = 0.5$"): such a value is not taken as a definition, so the step is not checkable here."""
    if not v.values:
        return None
    left, right = _free_names(v.a, v.definitions), _free_names(v.b, v.definitions)
    used = names_used(v.a) | names_used(v.b)
    dropped = [n for n in used if n in v.values and (split_name(n)[0] not in right or split_name(n)[0] not in left)]
    if not dropped or set(right) - set(left) - {split_name(n)[0] for n in dropped}:
        return None
    shown = "; ".join(f"{v.values[n][0]} (line {v.values[n][1]})" for n in sorted(dropped)[:4])
    return (f"the step puts in values the prose gives ({shown}), which are read as values for the moment, "
            "not as definitions; write them as definitions (let ...) to check this step")


_SHIFTED_CALL = re.compile(r"(\\?[A-Za-z]+)\s*_\s*\{\s*([a-z])\s*([+-])\s*(\d+)\s*\}(?:\s*\^\s*(?:\{[^{}]*\}|\S))?\s*(?:\\left\s*)?\(")


def _undefined_side(ce: dict | None) -> bool:
    return bool(ce) and "undefined" in (ce.get("lhs"), ce.get("rhs"))


def shifted_definition(v: StepView) -> Caveat | None:
    """Q_{n-1}(k) read with the definition of Q_n(k) at n-1: at the first index (n = 1) it may be undefined
    (Q_0 = 0/0), where the step is not meant to hold; a side undefined there is no error of the note."""
    defined = {split_name(f.__name__) for f in v.definitions if isinstance(f, sp.FunctionClass)}
    for m in _SHIFTED_CALL.finditer(v.lhs + " " + v.rhs):
        if (m.group(1).lstrip("\\"), m.group(2)) in defined:
            written = f"{m.group(1)}_{{{m.group(2)}{m.group(3)}{m.group(4)}}}"
            return Caveat(f"{written} is read as the definition of {m.group(1)}_{m.group(2)} at index "
                          f"{m.group(2)}{m.group(3)}{m.group(4)}, which is undefined at the first indices; the "
                          "step is not meant to hold there", void=lambda ce: not _undefined_side(ce))
    return None


#: the caveats, tried in order; the first that applies is the reason a refutation becomes unknown
_NUM = r"(-?\d+(?:\.\d+)?|\\frac\s*\{\s*\d+\s*\}\s*\{\s*\d+\s*\}|\d+\s*/\s*\d+)"
_LESS = r"\s*(?:<|\\le|\\leq|\\lt|\\leqslant)(?![A-Za-z])\s*"
_BOUND = re.compile(r"\$\s*" + _NUM + _LESS + r"(\\?[A-Za-z]+)(?:_\{?\s*[A-Za-z0-9]+\s*\}?)?" + _LESS + _NUM + r"\s*\$")


def _number(tex: str) -> float:
    m = re.fullmatch(r"\\frac\s*\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}|(\d+)\s*/\s*(\d+)", tex.strip())
    if m:
        num, den = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return int(num) / int(den)
    return float(tex)


def stated_bounds(text: str) -> dict[str, tuple[str, int, float, float]]:
    """Two-sided numeric bounds the prose states (``$0 < \\gamma_t < \\frac{1}{2}$``): base name ->
    (as written, line, low, high).  Only (0, 1) and (0, oo) become domains; the others are caveats."""
    out: dict[str, tuple[str, int, float, float]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        for m in _BOUND.finditer(line):
            try:
                lo, hi = _number(m.group(1)), _number(m.group(3))
            except (ValueError, ZeroDivisionError):
                continue
            out.setdefault(m.group(2).lstrip("\\"), (m.group(0).strip("$ "), n, lo, hi))
    return out


def bounded(v: StepView) -> Caveat | None:
    """The step uses names the prose bounds by numbers the sampling may not respect (0 < gamma_t < 1/2)."""
    used = (_entry_bases(v.a) | _entry_bases(v.b) | {s.name for e in (v.a, v.b) for s in e.free_symbols
                                                      if isinstance(s, sp.Symbol)})
    bases = used & set(v.bounds)
    if not bases:
        return None
    parts = [f"{v.bounds[b][0]} (line {v.bounds[b][1]})" for b in sorted(bases)]
    return Caveat("the note bounds these names: " + "; ".join(parts) + ", and the counterexample may not respect "
                  "the bound", lambda ce: _within(ce, {b: v.bounds[b] for b in bases}))


def _within(ce: dict | None, bounds: dict) -> bool:
    """Does every value of a bounded name in the counterexample lie inside its bound?"""
    for base, (_, _, lo, hi) in bounds.items():
        values = _values_of(ce, base, r"\[[^\]]*\]|_\{?[A-Za-z0-9]+\}?|")
        if not values or not all(lo <= v <= hi for v in values):
            return False
    return True


#: h \in \{0, 1, \dots, m\}, k \in \{1, \dots, K\}: an integer range up to another name
_RANGE_IN = re.compile(r"(\\?[A-Za-z]+)\s*\\in\s*\\\{\s*([01])\s*,\s*(?:[12]\s*,\s*)?(?:\\[lc]?dots|\\dots)\s*,\s*"
                       r"(\\?[A-Za-z]+)\s*\\\}")


def stated_ranges(text: str) -> dict[str, tuple[str, int, int, str]]:
    """Integer ranges the prose states for a name up to another name (``$h \\in \\{0, 1, \\dots, m\\}$``): name ->
    (as written, line, low, the upper bound's name).  The sampling draws such a name as a real number."""
    out: dict[str, tuple[str, int, int, str]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        for m in _RANGE_IN.finditer(line.replace("\\\\{", "\\{").replace("\\\\}", "\\}")):
            out.setdefault(m.group(1).lstrip("\\"), (m.group(0).strip("$ "), n, int(m.group(2)),
                                                     m.group(3).lstrip("\\")))
    return out


def in_range(v: StepView) -> Caveat | None:
    """The step uses a name the prose puts in an integer range up to another name (h in {0, ..., m}); a point
    where it is not an integer in that range is outside what the note says."""
    used = {s.name for e in (v.a, v.b) for s in e.free_symbols if isinstance(s, sp.Symbol)}
    names = used & set(v.ranges)
    if not names:
        return None
    parts = [f"{v.ranges[n][0]} (line {v.ranges[n][1]})" for n in sorted(names)]
    return Caveat("the note says " + "; ".join(parts) + ", and the counterexample may lie outside that range",
                  lambda ce: _in_ranges(ce, {n: v.ranges[n] for n in names}, v.symbol))


def _in_ranges(ce: dict | None, ranges: dict, symbol: Callable[[str], str]) -> bool:
    """Does every ranged name of the counterexample take an integer value inside its range?"""
    if not ce:
        return False
    for name, (_, _, lo, hi) in ranges.items():
        try:
            x = float(ce[symbol(name)]) if symbol(name) in ce else float(ce[name])
            top = float(ce[symbol(hi)]) if symbol(hi) in ce else float(ce.get(hi, "inf"))
        except (KeyError, TypeError, ValueError):
            return False
        if x != int(x) or not lo <= x <= top:
            return False
    return True


def entry_beside_its_sum(v: StepView) -> str | None:
    """A name ``x_j`` (an index letter no sum binds) beside a sum over the entries ``x_i`` of the same
    letter: the note means x_j to be one of them (softmax_j = e^{x_j} / sum_i e^{x_i} < 1), the reading
    samples it apart from them."""
    summed: set[str] = set()
    for e in (v.a, v.b):
        for total in e.atoms(sp.Sum, sp.Product):
            bound = {lim[0] for lim in total.limits}
            summed |= {str(x.base) for x in total.function.atoms(sp.Indexed) if bound & x.free_symbols}
    beside = sorted({s.name for e in (v.a, v.b) for s in e.free_symbols if isinstance(s, sp.Symbol)
                     and split_name(s.name)[1].isalpha() and split_name(s.name)[0] in summed})
    if not beside:
        return None
    return (f"{', '.join(v.symbol(n) for n in beside)} is read as a name of its own, apart from the entries the "
            "step sums over; the note may mean one of them (its index in the sum's range)")


def undefined_objective(v: StepView) -> Caveat | None:
    """An argmin / argmax step refuted only because an objective has no value at a candidate (the log of
    a likelihood the reading lets go negative, P = yhat^y (1 - yhat)^(1 - y) with yhat unconstrained): the
    step presumes the objective positive; the note did not state the domain that makes it so.  (The view
    does not know the step is an optimisation: the counterexample does, it names the objectives.)"""
    if not (v.a.has(sp.log) or v.b.has(sp.log)):
        return None
    return Caveat("an objective has no real value at this candidate (the log of one the reading lets be 0 "
                  "or negative): the step presumes it positive, as a likelihood is, and the reading does not "
                  "bound every name it is made of (state the bounds in the prose or with --assume, e.g. "
                  "0 < \\hat{y}(\\theta) < 1)",
                  lambda ce: (ce or {}).get(UNDEFINED_NEW_OBJECTIVE[0]) != UNDEFINED_NEW_OBJECTIVE[1])


CAVEATS: list[Callable[[StepView], "str | Caveat | None"]] = [condition, value_of_a_power, juxtaposed_names,
                                                    word_beside_a_name,
                                                    entry_beside_its_sum, constrained, bounded, in_range,
                                                    prose_values, substitution, shifted_definition,
                                                    undefined_objective]


def caveat_of(v: StepView) -> Caveat | None:
    """The reason a refutation of this step would not be an error of the note, or None."""
    for rule in CAVEATS:
        try:
            why = rule(v)
        except Exception:  # noqa: BLE001 - a caveat must never lose a step
            why = None
        if why:
            return why if isinstance(why, Caveat) else Caveat(why)
    return None


# -- constraints stated in the note ---------------------------------------------------------------------
_SUM_TO_ONE = re.compile(r"\\sum_\{?\s*([a-z])\s*(?:=[^{}^]*)?\}?(?:\^\{?[^{}$]*\}?)?\s*(\\?[A-Za-z]+)_\{?\s*\1\s*\}?"
                         r"\s*=\s*1(?![0-9.])")
_LISTED_ONE = re.compile(r"(?<![A-Za-z\\])([A-Za-z])_\{?1\}?\s*\+\s*\1_\{?2\}?\s*\+[^=$]*?=\s*1(?![0-9.])")


def stated_constraints(text: str) -> dict[str, tuple[str, int]]:
    """Normalisations the note states (``\\sum_{k=1}^{n} p_k = 1``, ``p_1 + p_2 + \\dots = 1``):
    base name -> (as written, line)."""
    out: dict[str, tuple[str, int]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        for m in _SUM_TO_ONE.finditer(line):
            out.setdefault(m.group(2).lstrip("\\"), (m.group(0).strip(), n))
        for m in _LISTED_ONE.finditer(line):
            out.setdefault(m.group(1), (m.group(0).strip(), n))
    return out



def prose_values_of(reader, values: list[tuple[int, str]], nc=None,
                    scope_end: Callable[[int], float] = lambda line: float("inf")) -> dict[str, list[tuple]]:
    """The values the prose gives for the moment (``name = number``): name -> [(as written, line, value)].
    A name a case of the prose relates to a formula ("given $c_i = 2 x_i$", not a bare name) is recorded in
    nc's model heads as set by that case, to the end of its section: a refutation there that leaves it free
    rests on a misreading (notes.misreadings)."""
    out: dict[str, list[tuple[str, int, sp.Basic]]] = {}
    for line, piece in values:
        name, number = (x.strip() for x in piece.split("=", 1))
        try:
            e, value = reader.read(name).expr, reader.read(number).expr
        except Exception:  # noqa: BLE001 - a name the reader cannot read gives no value
            continue
        if isinstance(e, sp.Symbol) and value.is_number:
            out.setdefault(e.name, []).append((piece.strip(), line, value))
        elif nc is not None and isinstance(e, (sp.Symbol, sp.Indexed)) and not (value.is_number or value.is_Symbol):
            nc.model_heads.setdefault(head_name(e), (piece.strip(), line, "case", scope_end(line)))
    return out


def values_for(v: StepView, latest: dict[str, tuple[str, int, sp.Basic]]) -> dict[str, tuple[str, int, sp.Basic]]:
    """The values to put in for a step that replaces names by numbers (names on one side only, nothing new
    on the other): name -> (as written, line, value), or {} when the step is not such a substitution."""
    one_side = names_used(v.a) ^ names_used(v.b)
    if not one_side or any(n not in latest for n in one_side):
        return {}
    return {n: latest[n] for n in one_side}


def latest_values(prose_values: dict, structure, line: int) -> dict[str, tuple]:
    """The values the prose gave names for the moment before `line`, in the same section: name ->
    (as written, line, value); a name given two different values there is left out (ambiguous)."""
    out: dict[str, tuple] = {}
    for name, vals in prose_values.items():
        here = [v for v in vals if v[1] <= line and structure.section_end(v[1]) >= line]
        if here and len({v[2] for v in here}) == 1:
            out[name] = here[-1]
    return out
