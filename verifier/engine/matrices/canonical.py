"""A normal form of index expressions: is an entry identically zero for every size?

1. sums are hoisted out of products and powers (bound indices renamed apart), so the expression
   is a sum of terms ``Sum(monomial, limits)``; sums inside functions (``sigma(sum_j X_ij w_j)``)
   are normalised on their own and become atoms;
2. a bound index the monomial does not use becomes the factor (hi - lo + 1); a probability
   vector summed alone becomes 1; a symmetric matrix's entries are written with ordered indices;
3. the bound indices of each term are renamed canonically (the smallest renaming over the
   permutations of indices with equal ranges);
4. terms with equal ranges are merged and the merged summand is simplified.

Every step preserves the value, so a zero at the end proves the identity for all dimensions.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from verifier.model.context import Context

MAX_TERMS = 4000
MAX_PERMUTATIONS = 720


class TooLarge(ValueError):
    """The expanded form has too many terms."""


@dataclass(frozen=True)
class Term:
    limits: tuple[tuple[sp.Symbol, sp.Expr, sp.Expr], ...]
    body: sp.Expr


def _fresh(x: sp.Symbol) -> sp.Dummy:
    return sp.Dummy(x.name.lstrip("_"), integer=True)


def _hoistable(e: sp.Basic) -> bool:
    return e.has(sp.Sum)


def flat(e: sp.Expr, level: int, ctx: Context | None) -> list[Term]:
    """e as a list of terms Sum(body, limits) with no Sum at the top of a body."""
    if isinstance(e, sp.Add):
        out: list[Term] = []
        for a in e.args:
            out.extend(flat(a, level, ctx))
        return out
    if isinstance(e, sp.Mul):
        acc = [Term((), sp.Integer(1))]
        for f in e.args:
            fs = flat(f, level, ctx)
            acc = [_product(a, b) for a in acc for b in fs]
            if len(acc) > MAX_TERMS:
                raise TooLarge(f"more than {MAX_TERMS} terms")
        return acc
    if isinstance(e, sp.Pow) and e.exp.is_Integer and e.exp > 1 and _hoistable(e.base):
        return flat(sp.Mul(*([e.base] * int(e.exp)), evaluate=False), level, ctx)
    if isinstance(e, sp.Sum):
        inner = flat(e.function, level, ctx)
        out = []
        for t in inner:
            ren = {}
            lims = []
            for lim in e.limits:
                x, lo, hi = lim
                nx = _fresh(x)
                ren[x] = nx
                lims.append((nx, lo, hi))
            out.append(Term(tuple(lims) + tuple((s, lo.xreplace(ren), hi.xreplace(ren)) for s, lo, hi in t.limits),
                            t.body.xreplace(ren)))
        return out
    if _hoistable(e):
        return [Term((), e.func(*[atom(a, level + 1, ctx) if isinstance(a, sp.Basic) else a for a in e.args]))]
    return [Term((), e)]


def _product(a: Term, b: Term) -> Term:
    # bound indices are fresh dummies per hoisted sum; a repeated factor (a square) needs new ones
    names_a = {x for x, _, _ in a.limits}
    ren = {x: _fresh(x) for x, _, _ in b.limits if x in names_a}
    lims_b = tuple((ren.get(x, x), lo, hi) for x, lo, hi in b.limits)
    return Term(a.limits + lims_b, a.body * b.body.xreplace(ren))


def _depth(e: sp.Basic) -> int:
    """How deeply sums nest in e (intrinsic to e, so a sum gets the same names wherever it is)."""
    if not isinstance(e, sp.Basic) or not e.args:
        return 0
    inner = max((_depth(a) for a in e.args), default=0)
    return inner + 1 if isinstance(e, sp.Sum) else inner


def atom(e: sp.Basic, level: int, ctx: Context | None) -> sp.Basic:
    """A function argument (or any non-polynomial position) in its own canonical form; its
    bound indices are named after its depth, so they never capture an outer index."""
    if not isinstance(e, sp.Expr) or not e.has(sp.Sum):
        return e
    h = _depth(e)
    terms = [canonical_term(t, f"c{h}", ctx) for t in flat(e, level, ctx)]
    return _rebuild(_merge(terms), simplify=False)


def expand(e: sp.Expr) -> sp.Expr:
    """Expand products and powers; never exp(sum) into a product, never logs."""
    return sp.expand(e, power_exp=False, log=False)


_ENTRIES: "Entries | None" = None
_RANGES: dict = {}


def _order_symmetric(body: sp.Expr, sym: set) -> sp.Expr:
    if not sym:
        return body

    def fix(x):
        a, b = sorted(x.args, key=sp.default_sort_key)
        return x.func(a, b)

    return body.replace(lambda x: x.func in sym, fix)


def _resolve_deltas(body: sp.Expr, limits: list) -> tuple[sp.Expr, list]:
    """sum_a delta(a, b) f(a) = f(b) when b runs over the same range as a."""
    changed = True
    while changed:
        changed = False
        bound = {x: (lo, hi) for x, lo, hi in limits}
        for f in sp.Mul.make_args(body):
            if not isinstance(f, sp.KroneckerDelta):
                continue
            a, b = f.args[0], f.args[1]
            for x, other in ((a, b), (b, a)):
                if x not in bound:
                    continue
                rng = bound.get(other) if other in bound else _RANGES.get(other)
                if rng is None or sp.simplify(rng[0] - bound[x][0]) != 0 or sp.simplify(rng[1] - bound[x][1]) != 0:
                    continue
                body = sp.Mul(*[g for g in sp.Mul.make_args(body) if g is not f]).xreplace({x: other})
                limits = [l for l in limits if l[0] != x]
                changed = True
                break
            if changed:
                break
    return body, limits


def _normal_body(body: sp.Expr) -> sp.Expr:
    """One rational form for a monomial with functions of sums (sigma(a)(1 - sigma(a)) and
    e^{-a}/(1 + e^{-a})^2 alike), so that the canonical renaming sees equal terms as equal."""
    if not body.has(sp.Sum) or not any(isinstance(f, (sp.exp, sp.log)) for f in sp.preorder_traversal(body)):
        return body
    sums = sorted(body.atoms(sp.Sum), key=sp.default_sort_key)
    rep = {x: sp.Dummy(f"N{k}", real=True) for k, x in enumerate(sums)}
    z = sp.cancel(sp.together(body.xreplace(rep)))
    return z.xreplace({v: k for k, v in rep.items()})


def canonical_term(t: Term, level: int | str, ctx: Context | None) -> Term:
    body, limits = _resolve_deltas(t.body, list(t.limits))
    body = _normal_body(body)
    # unused bound indices -> range length; probability vectors summed alone -> 1
    keep = []
    for x, lo, hi in limits:
        if x not in body.free_symbols:
            body = body * (hi - lo + 1)
        else:
            keep.append((x, lo, hi))
    probs = _ENTRIES.probability if _ENTRIES is not None else {}
    kept2 = []
    for x, lo, hi in keep:
        factors = sp.Mul.make_args(body)
        uses = [f for f in factors if x in f.free_symbols]
        if (len(uses) == 1 and uses[0].func in probs and uses[0].args == (x, 0)
                and lo == 0 and sp.simplify(hi - (probs[uses[0].func] - 1)) == 0):
            body = sp.Mul(*[f for f in factors if f is not uses[0]])
            continue
        kept2.append((x, lo, hi))
    sym = _ENTRIES.symmetric if _ENTRIES is not None else set()
    if not kept2:
        return Term((), _order_symmetric(body, sym))
    kept2.sort(key=lambda l: (sp.default_sort_key(l[1]), sp.default_sort_key(l[2])))
    groups = [list(g) for _, g in itertools.groupby(kept2, key=lambda l: (l[1], l[2]))]
    prefix = level if isinstance(level, str) else f"b{level}"
    names = [sp.Symbol(f"_{prefix}_{k}", integer=True) for k in range(len(kept2))]
    best = None
    count = 0
    for perm in itertools.product(*[itertools.permutations(g) for g in groups]):
        order = [l for g in perm for l in g]
        ren = {l[0]: names[k] for k, l in enumerate(order)}
        b = _order_symmetric(body.xreplace(ren), sym)
        key = sp.default_sort_key(b)
        if best is None or key < best[0]:
            best = (key, b, tuple((names[k], l[1], l[2]) for k, l in enumerate(order)))
        count += 1
        if count >= MAX_PERMUTATIONS:
            break
    _, b, lims = best
    lims_sorted = tuple(sorted(lims, key=lambda l: l[0].name))
    return Term(lims_sorted, b)


def _merge(terms: list[Term]) -> dict:
    groups: dict = {}
    for t in terms:
        groups.setdefault(t.limits, []).append(t.body)
    return groups


def _rebuild(groups: dict, simplify: bool) -> sp.Expr:
    out = []
    for lims, bodies in sorted(groups.items(), key=lambda kv: sp.default_sort_key(sp.Tuple(*[sp.Tuple(*l) for l in kv[0]]))):
        s = expand(sp.Add(*bodies))
        if s == 0:
            continue
        if not lims:
            out.append(s)
            continue
        c, prim = s.as_content_primitive()
        if prim.could_extract_minus_sign():
            c, prim = -c, -prim
        out.append(c * sp.Sum(prim, *lims))  # a sum and its negative freeze to the same atom
    return sp.Add(*out)


def _frozen_cancelled(s: sp.Expr) -> tuple[sp.Expr, bool]:
    """(The summand expanded and cancelled with its sums (inside functions) frozen as symbols,
    True when that is already 0): the cheap test before SymPy's simplify."""
    sums = sorted(s.atoms(sp.Sum), key=sp.default_sort_key)
    rep = {x: sp.Dummy(f"S{k}", real=True) for k, x in enumerate(sums)}  # sums of real entries
    frozen = s.xreplace(rep)
    z = sp.expand(frozen, log=False)
    if z == 0:
        return z, True
    z = sp.cancel(sp.together(sp.expand_log(z, deep=True)))  # never force: only where positivity is known
    return z, z == 0


def group_is_zero(lims: tuple, bodies: list) -> bool:
    """Is the summand of one range group zero, as written or averaged over the relabelings of its
    indices (:func:`_symmetrised`)?  The cheap tests of both forms come before SymPy's simplify of
    either: the same answer as simplifying each in turn, without a simplify that a cheap test of
    the other form makes needless."""
    plain = sp.Add(*bodies)
    zp, zero = _frozen_cancelled(plain)
    if zero:
        return True
    sym = _symmetrised(lims, bodies)
    if sym == plain:  # no relabeling to average over
        return sp.simplify(zp) == 0
    zs, zero = _frozen_cancelled(sym)
    if zero:
        return True
    return sp.simplify(zp) == 0 or sp.simplify(zs) == 0


class Entries:
    """Matrix entries M[i, j] as applications M(i, j) of a function per matrix (cheap to rebuild)."""

    def __init__(self, ctx: Context | None):
        self.ctx = ctx
        self.funcs: dict = {}
        self.symmetric: set = set()
        self.probability: dict = {}

    def func(self, m: sp.Basic):
        f = self.funcs.get(m)
        if f is None:
            name = m.name if isinstance(m, sp.MatrixSymbol) else f"M{len(self.funcs)}"
            f = sp.Function(f"{name}_entry", real=True)  # every matrix kind here has real entries
            self.funcs[m] = f
            dom = self.ctx.matrices.get(m) if self.ctx is not None and isinstance(m, sp.MatrixSymbol) else None
            if getattr(dom, "symmetric", False):
                self.symmetric.add(f)
            if getattr(dom, "kind", "") == "probability":
                self.probability[f] = m.shape[0]
        return f

    def to_functions(self, e: sp.Expr) -> sp.Expr:
        return e.replace(lambda x: isinstance(x, MatrixElement), lambda x: self.func(x.parent)(x.i, x.j))


def is_zero(e: sp.Expr, ctx: Context | None = None, ranges: dict | None = None) -> bool:
    """Is the index expression e identically zero (for every size and every free index)?

    ``ranges`` gives the range (lo, hi) of each free index (the entry (k, l) of the result)."""
    ent = Entries(ctx)
    e = expand(sp.expand_log(ent.to_functions(e), deep=True))  # never force: positivity must be known
    if e == 0:
        return True
    global _ENTRIES, _RANGES
    _ENTRIES, _RANGES = ent, dict(ranges or {})
    terms = [canonical_term(t, 0, ctx) for t in flat(e, 0, ctx)]
    return all(group_is_zero(lims, bodies) for lims, bodies in _merge(terms).items())


def _symmetrised(lims: tuple, bodies: list) -> sp.Expr:
    """The summand averaged over the relabelings of indices with equal ranges (the sum over the
    whole box does not change), so that terms named differently still cancel."""
    groups = [list(g) for _, g in itertools.groupby(sorted(lims, key=lambda l: (sp.default_sort_key(l[1]), sp.default_sort_key(l[2]))),
                                                    key=lambda l: (l[1], l[2]))]
    total = sp.Add(*bodies)
    count = 1
    for g in groups:
        count *= math.factorial(len(g))
    if count < 2 or count > 24:  # only the average over the whole group keeps the value
        return total
    perms = list(itertools.product(*[itertools.permutations(g) for g in groups]))
    out = []
    for perm in perms:
        src = [l[0] for g in groups for l in g]
        dst = [l[0] for g in perm for l in g]
        out.append(total.xreplace(dict(zip(src, dst))))
    return sp.Add(*out) / len(perms)
