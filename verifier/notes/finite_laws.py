"""Expectations and information over a finite law that a chain writes out.

Seed 004 writes ``H(x) = E[I(x)] = -\\sum_{i=1}^n P(x_i) \\log P(x_i)`` about a random variable
``x`` with the events ``x_1, ..., x_n``; the cross-entropy ``H(P, Q) = E_P[I_Q(x)] = -\\sum_i
P(x_i) \\log Q(x_i)``.  The sum names the law: the reader reads ``P(x_i)`` under ``\\sum_{i=1}^n``
as a probability vector ``P[i]`` over ``1..n``.  In such a chain the operators mean, by their
standard definitions over that support:

* ``E[f(x)]``, ``\\mathbb{E}[f(x)]``, ``E_P[f(x)]``, ``\\mathbb{E}_{x\\sim P}[f(x)]`` ->
  ``sum_i P_i f(x_i)`` (the law named in the subscript, else the chain's only law);
* inside it ``I(x)`` (self-information) -> ``-log P_i``, ``I_Q(x)`` -> ``-log Q_i``, ``P(x)`` -> ``P_i``;
* ``H(x)`` (x a random variable of the prose) and ``H(P)`` -> ``-sum_i P_i log P_i``;
  ``H(P, Q)`` -> ``-sum_i P_i log Q_i``; ``D_{KL}(P || Q)`` / ``KL(P, Q)`` -> ``sum_i P_i log(P_i/Q_i)``.

Nothing is guessed: the chain must hold exactly one support (one index range) and its laws must be
probability vectors over it; a name the note defines itself keeps the note's meaning; a random
variable must be one the prose names ("random variable $x$", "随机变量$x$", "随机事件$x$"); entropy,
self-information and KL are built in natural logarithms, so in a note that measures information in
bits (``\\log_2``, "bits", "比特") they are not read.  Anything else is left as the reader made it.
"""
from __future__ import annotations

import re

import sympy as sp
from sympy.core.function import AppliedUndef

_EXPECT = {"E", "bbE", "bfE"}
#: the reader's names of the entropy and of the KL divergence (public: notes.numeric_laws reads them too)
ENTROPY_NAMES = frozenset({"H"})
KL_NAMES = frozenset({"KL", "D_KL", "DKL", "D_kl", "KLdiv"})
_ENTROPY = ENTROPY_NAMES
_KL = KL_NAMES
_INFO = {"I"}
_MASS = {"P", "p", "Pr", "Q", "q"}
_RANDOM_PROSE = re.compile(r"random (?:variables?|events?)|随机变量|随机事件")
_INLINE_NAME = re.compile(r"\$\s*([A-Za-z])\s*\$")
_SENTENCE = re.compile(r"[^.。;；!！?？\n]+")
_BITS = re.compile(r"\\log_\{?2\}?|\blog_?2\b|\bbits?\b|比特|以\s*2\s*为底")


_FINITE_SET = re.compile(r"(?:probability\s+)?distributions?\s+(?:\w+\s+){0,3}on\s+(?:the\s+same|a|one|the)\s+finite\s+set"
                         r"|同一个?有限集(?:合)?上的(?:概率)?分布", re.I)
_LAW_NAME = re.compile(r"\$\s*([A-Za-z])\s*\$")
_PMF = re.compile(r"(?:\bpmf|probability mass function|分布列|概率质量函数)\s*\$\s*([A-Za-z])\s*\$", re.I)
_HEADING = re.compile(r"^(?:#{1,6}\s|\\(?:sub)*section\*?\{)", re.M)


def section_spans(text: str) -> list[tuple[int, int, int]]:
    """(first line, last line, offset of its start) of each section, heading to heading (the part before the
    first heading too)."""
    starts = [m.start() for m in _HEADING.finditer(text)]
    bounds = [0] + starts + [len(text)]
    line = lambda pos: text.count("\n", 0, pos) + 1  # noqa: E731
    return [(line(a), line(b) - (1 if b < len(text) else 0), a) for a, b in zip(bounds, bounds[1:]) if a < b]
_EXCEPT = re.compile(r"\bexcept\b|\bunless\b|除了|除非")


def bits_lines(text: str) -> list[tuple[int, int]]:
    """The lines where information is measured in bits: the whole note when its opening says so without an
    exception ("对数一律以 2 为底"), else each section (heading to heading) whose own text says so."""
    starts = [m.start() for m in _HEADING.finditer(text)]
    bounds = [0] + starts + [len(text)]
    parts = [(bounds[k], bounds[k + 1]) for k in range(len(bounds) - 1) if bounds[k] < bounds[k + 1]]
    line = lambda pos: text.count("\n", 0, pos) + 1  # noqa: E731
    out: list[tuple[int, int]] = []
    for k, (a, b) in enumerate(parts):
        part = text[a:b]
        if not _BITS.search(part):
            continue
        prose = re.sub(r"\$\$.*?\$\$", " ", part, flags=re.S)
        opening = k == 0 or (k == 1 and not text[:parts[0][1]].strip("# \n").count("\n"))  # the title's section
        if opening and not _EXCEPT.search(prose):
            return [(1, line(len(text)))]
        if not opening:
            out.append((line(a), line(b) - (1 if b < len(text) else 0)))  # up to the line before the next heading
    return out


def finite_set_laws(text: str) -> frozenset:
    """Names the prose states are probability distributions on one finite set ("$P$ and $Q$ are probability
    distributions on the same finite set $\\mathcal{X}$"): their bare sums ``\\sum_x P(x)`` run over its points."""
    out: set[str] = set()
    for s in _SENTENCE.finditer(text):
        m = _FINITE_SET.search(s.group(0))
        if m:
            out |= set(_LAW_NAME.findall(s.group(0)[:m.start()]))
    if out:  # on that finite set, a pmf the prose names is one of its laws too ("with pmf $p$")
        out |= set(_PMF.findall(text))
    return frozenset(out)


def random_names(text: str) -> set[str]:
    """Single letters the prose calls random variables or random events (any case)."""
    out: set[str] = set()
    for s in _SENTENCE.finditer(text):
        if _RANDOM_PROSE.search(s.group(0)):
            out |= set(_INLINE_NAME.findall(s.group(0)))
    return out


def measures_bits(text: str) -> bool:
    return bool(_BITS.search(text))


def _split(name: str) -> tuple[str, str]:
    name = re.sub(r"__\d+$", "", name)  # H__2: the note's H with two arguments (notes.context)
    base, _, sub = name.partition("_")
    return base, sub


def _support(exprs: list, ctx) -> tuple | None:
    """The chain's one support: (index, lo, hi, {name: probability vector over it})."""
    limits = set()
    laws: dict[str, sp.IndexedBase] = {}
    for e in exprs:
        for s in e.atoms(sp.Sum):
            for lim in s.limits:
                if len(lim) != 3:
                    return None
                limits.add(tuple(lim))
            for ix in s.function.atoms(sp.Indexed):
                base = ix.base
                d = ctx.vectors.get(base)
                r = ctx.vector_ranges.get(base)
                if d is not None and d.kind == "probability" and r is not None and ix.indices == (r.index,) \
                        and (r.index, r.lo, r.hi) in limits | {tuple(lim) for lim in s.limits}:
                    laws[str(base.label)] = base
    if len(limits) != 1 or not laws:
        return None
    i, lo, hi = next(iter(limits))
    if any(ctx.vector_ranges[b].index != i for b in laws.values()):
        return None
    return i, lo, hi, laws


class _Reading:
    def __init__(self, support: tuple, nc, randoms: set[str], bits: bool) -> None:
        self.i, self.lo, self.hi, self.laws = support
        self.nc = nc
        self.ctx = nc.ctx
        self.randoms = randoms
        self.bits = bits

    def _sum(self, body: sp.Basic) -> sp.Basic:
        return sp.Sum(body, (self.i, self.lo, self.hi))

    def _law(self, name: str) -> sp.IndexedBase | None:
        if name:
            return self.laws.get(name)
        return next(iter(self.laws.values())) if len(self.laws) == 1 else None

    def _random(self, s: sp.Basic) -> bool:
        return isinstance(s, sp.Symbol) and s.name in self.randoms and s not in self.ctx.definitions

    def _law_of_symbol(self, s: sp.Basic) -> sp.IndexedBase | None:
        """H(P) with P a law of the chain, or H(x) with x a random variable (the chain's only law)."""
        if isinstance(s, sp.Symbol) and s.name in self.laws:
            return self.laws[s.name]
        if self._random(s):
            return self._law("")
        return None

    def defined(self, call: AppliedUndef) -> bool:
        """Does the note define this name itself (read, or in a form the reader could not read)?"""
        unread = getattr(self.nc, "unread_definitions", {})
        name = call.func.__name__
        return call.func in self.ctx.definitions or name in unread or re.sub(r"__\d+$", "", name) in unread

    def convert(self, e: AppliedUndef) -> sp.Basic | None:
        if self.defined(e):
            return None  # the note's own definition wins
        base, sub = _split(e.func.__name__)
        args = e.args
        if base in _EXPECT and len(args) == 1:
            var, law_name = "", sub
            if "sim" in sub:
                var, _, law_name = sub.partition("sim")
            w = self._law(law_name)
            return None if w is None else self._expect(args[0], w, var)
        if self.bits:
            return None
        if base in _ENTROPY and not sub:
            laws = [self._law_of_symbol(a) for a in args]
            if None in laws:
                return None
            if len(laws) == 1:
                (p,) = laws
                return -self._sum(p[self.i] * sp.log(p[self.i]))
            if len(laws) == 2 and all(isinstance(a, sp.Symbol) and a.name in self.laws for a in args):
                p, q = laws
                return -self._sum(p[self.i] * sp.log(q[self.i]))
            return None
        if re.sub(r"__\d+$", "", e.func.__name__) in _KL and len(args) == 2 \
                and all(isinstance(a, sp.Symbol) and a.name in self.laws for a in args):
            p, q = (self.laws[a.name] for a in args)
            return self._sum(p[self.i] * sp.log(p[self.i] / q[self.i]))
        return None

    def _expect(self, f: sp.Basic, w: sp.IndexedBase, var: str) -> sp.Basic | None:
        rvs = {s for s in f.free_symbols if self._random(s) or (var and isinstance(s, sp.Symbol) and s.name == var)}
        if len(rvs) != 1:
            return None
        (x,) = rvs
        i = self.i

        def at(call: AppliedUndef) -> sp.Basic | None:
            base, sub = _split(call.func.__name__)
            if self.defined(call) or call.args != (x,):
                return None
            if base in _INFO and not self.bits:
                q = self._law(sub) if sub else w
                return None if q is None else -sp.log(q[i])
            if base in _MASS and not sub:
                q = self.laws.get(base)
                return None if q is None else q[i]
            return None

        calls = {c: at(c) for c in f.atoms(AppliedUndef)}
        if any(v is None for v in calls.values()):
            return None
        g = f.xreplace(calls)
        if x in g.free_symbols:
            g = g.xreplace({x: self.nc.vector(str(x))[i]})  # the values x_i the note writes
        return self._sum(w[i] * g)


def _note_support(exprs: list, nc) -> tuple | None:
    """A chain writing no sum, with information quantities of the laws the note states on one finite set
    (``finite_set_laws``; read elsewhere as probability vectors over its points): that set is the support."""
    names = getattr(nc, "finite_set_laws", frozenset())
    if not names:
        return None
    laws = {str(b.label): b for b, d in nc.ctx.vectors.items()
            if str(b.label) in names and d.kind == "probability" and b in nc.ctx.vector_ranges}
    used = {a.name for e in exprs for c in e.atoms(AppliedUndef) for a in c.args if isinstance(a, sp.Symbol)}
    laws = {k: v for k, v in laws.items() if k in used}
    ranges = {(r.index, r.lo, r.hi) for r in (nc.ctx.vector_ranges[b] for b in laws.values())}
    if not laws or len(ranges) != 1:
        return None
    i, lo, hi = next(iter(ranges))
    return i, lo, hi, laws


def read_chain(exprs: list, nc, text: str = "", head: bool = True, line: int | None = None) -> list:
    """The chain's expressions with E / H / I / KL over the finite law it writes out, where it writes one.
    ``head=False`` (the prose defines, or the chain starts with :=): the first expression keeps the note's
    names, so the head is read as the note's definition (noted), which wins for the steps after it."""
    present = [e for e in exprs if e is not None]
    if not present or not any(e.atoms(AppliedUndef) for e in present):
        return exprs
    support = _support(present, nc.ctx) or _note_support(present, nc)
    if support is None:
        return exprs
    names = getattr(nc, "finite_random_names", None)
    if names is None:
        names = random_names(text)
    bits = getattr(nc, "measures_bits", measures_bits(text))
    if line is not None and hasattr(nc, "bits_lines"):
        bits = any(lo <= line <= hi for lo, hi in nc.bits_lines)  # in bits only where the note says so
    reading = _Reading(support, nc, set(names), bits)

    def convert(e):
        out = reading.convert(e)
        return e if out is None else out

    out = [e if e is None or (k == 0 and not head) else e.replace(lambda a: isinstance(a, AppliedUndef), convert)
           for k, e in enumerate(exprs)]
    return out
