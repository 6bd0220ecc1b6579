"""Laws the prose gives in numbers on the note's finite set, and the built-in information at them.

A worked example states its laws as vectors of probabilities: "$P = (\\tfrac12, \\tfrac14, \\tfrac14)$ and
$Q$ uniform, $Q = (\\tfrac13, \\tfrac13, \\tfrac13)$", where the note says $P$ and $Q$ are distributions on
one finite set (``notes.finite_laws.finite_set_laws``).  From that sentence to the end of its section, a
value of a built-in quantity at those laws is a claim about numbers, decided exactly:

* ``H(P)`` -> ``-sum_k p_k log p_k``; ``H(P, Q)`` -> ``-sum_k p_k log q_k``;
  ``D_KL(P || Q)`` / ``KL(P, Q)`` -> ``sum_k p_k log(p_k / q_k)``;
* a sum over the set's points ``\\sum_x P(x) f(Q(x))`` -> the sum written out over the stated values;

in bits (``\\log_2``) where the note measures information in bits there (``notes.finite_laws.bits_lines``),
else in nats.  Nothing is guessed: every component must read as an exact positive number, a law's
components must sum to 1, all the laws of one section must have as many points, a name the note defines
itself (in scope) keeps the note's meaning, and a chain that would still use a stated law symbolically after
the reading (``P_x`` outside a sum over the set) is left as it was.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp
from sympy.core.function import AppliedUndef

from verifier.notes.finite_laws import ENTROPY_NAMES, KL_NAMES, section_spans
from verifier.notes.scan import split_top_level

_STATED = re.compile(r"\$\s*([A-Za-z])\s*=\s*(?:\\left|\\[bB]igg?l?)?\s*\(([^$]*?)(?:\\right|\\[bB]igg?r?)?\s*\)\s*\$")


@dataclass(frozen=True)
class NumericLaws:
    """The laws stated in numbers on the lines ``lo..hi``: name -> its probabilities; ``bits``: in base 2."""

    lo: int
    hi: int
    laws: dict
    bits: bool = False


def stated_vectors(text: str, names: frozenset, read) -> list[tuple[int, int, dict]]:
    """(first line, last line, {name: probabilities}) per section whose prose gives laws of ``names`` as vectors
    of exact numbers; ``read(latex)`` turns one component into a SymPy number (the note's reader), or raises."""
    if not names:
        return []
    out = []
    for lo, hi, start in section_spans(text):
        laws: dict[str, tuple] = {}
        first = None
        for m in _STATED.finditer(text):
            where = text.count("\n", 0, m.start()) + 1
            if not (lo <= where <= hi) or m.group(1) not in names:
                continue
            values = _values(split_top_level(m.group(2), ","), read)
            if values is None or (m.group(1) in laws and laws[m.group(1)] != values):
                laws[m.group(1)] = None  # unreadable, or two laws for one name: none is taken
                continue
            laws[m.group(1)] = values
            first = where if first is None else first
        laws = {k: v for k, v in laws.items() if v is not None}
        if laws and len({len(v) for v in laws.values()}) == 1:
            out.append((first, hi, laws))
    return out


def _values(parts: list[str], read) -> tuple | None:
    if len(parts) < 2:
        return None
    vals = []
    for x in parts:
        try:
            v = read(x)
        except Exception:  # noqa: BLE001 - an unreadable component: the vector is not taken
            return None
        if not isinstance(v, sp.Basic) or not v.is_Rational or not v > 0:
            return None
        vals.append(v)
    return tuple(vals) if sum(vals) == 1 else None


def laws_at(nc, line: int | None) -> NumericLaws | None:
    """The laws stated in numbers where ``line`` is, with the base of information there."""
    if line is None:
        return None
    for lo, hi, laws in getattr(nc, "numeric_laws", ()):
        if lo <= line <= hi:
            bits = any(a <= line <= b for a, b in getattr(nc, "bits_lines", ()))
            return NumericLaws(lo, hi, laws, bits)
    return None


def _base(call: AppliedUndef) -> str:
    return re.sub(r"__\d+$", "", call.func.__name__)


class _Values:
    def __init__(self, here: NumericLaws, nc) -> None:
        self.here = here
        self.nc = nc
        self.vectors = {str(b.label): b for b in nc.ctx.vectors if str(b.label) in here.laws}
        self.log = (lambda x: sp.log(x) / sp.log(2)) if here.bits else sp.log

    def defined(self, call: AppliedUndef) -> bool:
        unread = getattr(self.nc, "unread_definitions", {})
        return call.func in self.nc.ctx.definitions or call.func.__name__ in unread or _base(call) in unread

    def laws_of(self, args: tuple) -> list | None:
        out = [self.here.laws.get(a.name) if isinstance(a, sp.Symbol) else None for a in args]
        return None if None in out else out

    def call(self, e: AppliedUndef) -> sp.Basic | None:
        if self.defined(e):
            return None  # the note's own definition wins
        base, args, log = _base(e), e.args, self.log
        laws = self.laws_of(args)
        if laws is None:
            return None
        if base in ENTROPY_NAMES and len(laws) in (1, 2):
            p, q = laws[0], laws[-1]
            return -sp.Add(*[pk * log(qk) for pk, qk in zip(p, q)])
        if base in KL_NAMES and len(laws) == 2:
            p, q = laws
            return sp.Add(*[pk * log(pk / qk) for pk, qk in zip(p, q)])
        return None

    def sum(self, s: sp.Sum) -> sp.Basic | None:
        """A sum over the set's points of the stated laws' entries, written out."""
        if len(s.limits) != 1 or len(s.limits[0]) != 3:
            return None
        i, lo, hi = s.limits[0]
        used = [ix for ix in s.function.atoms(sp.Indexed) if str(ix.base.label) in self.here.laws]
        if not used or any(ix.indices != (i,) for ix in used):
            return None
        ranges = {self.nc.ctx.vector_ranges.get(ix.base) for ix in used}
        if len(ranges) != 1 or None in ranges:
            return None
        (r,) = ranges
        if (r.lo, r.hi) != (lo, hi):
            return None
        n = len(next(iter(self.here.laws.values())))
        terms = []
        for k in range(n):
            body = s.function.xreplace({ix: self.here.laws[str(ix.base.label)][k] for ix in used})
            if i in body.free_symbols:
                return None  # the index itself is used (x_i values): not a sum of the laws alone
            terms.append(body)
        return sp.Add(*terms)


def _or(value: sp.Basic | None, e: sp.Basic) -> sp.Basic:
    return e if value is None else value


def read_values(exprs: list, nc, line: int | None, head: bool = True) -> list:
    """The chain's expressions with the built-in information at the laws stated in numbers where it stands;
    the chain as it was when there are none there, or when a stated law would be left symbolic.
    ``head=False`` (the prose defines, or the chain starts with :=): the head keeps the note's names."""
    here = laws_at(nc, line)
    if here is None or not any(isinstance(e, sp.Basic) and e.atoms(AppliedUndef, sp.Sum) for e in exprs):
        return exprs
    v = _Values(here, nc)

    def one(e: sp.Basic) -> sp.Basic:
        e = e.replace(lambda a: isinstance(a, AppliedUndef), lambda a: _or(v.call(a), a))
        return e.replace(lambda a: isinstance(a, sp.Sum), lambda a: _or(v.sum(a), a))

    out = [one(e) if isinstance(e, sp.Basic) and (head or k) else e for k, e in enumerate(exprs)]
    if out == exprs:
        return exprs
    for e in out:
        if isinstance(e, sp.Basic) and any(str(ix.base.label) in here.laws for ix in e.atoms(sp.Indexed)):
            return exprs  # a stated law still symbolic beside its numbers: not mixed
    return out
