"""Numeric evidence and counterexamples at high precision.

Points are drawn inside the declared domains; sums and products over 1..n are
unrolled at several n with sampled indexed values; unknown functions are replaced
by random smooth functions of the right sign.  A failure found at working
precision is confirmed at a higher precision before it is reported.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef

from verifier.engine.compiled import NotNumeric, compiled
from verifier.engine.series import NotConvergent, sum_series
from verifier.engine.unroll import interned, unroll
from verifier.model.context import Context
from verifier.model.domains import SPECIAL_POINTS, Domain
from verifier.model.exprs import as_expr

WORK_DPS = 30
CONFIRM_DPS = 60
DEEP_DPS = 250  # last word on whether a value is undefined or lost to precision


@dataclass
class Point:
    """A concrete assignment: size values, scalar/indexed values, random functions."""

    values: dict  # sp.Symbol | sp.Indexed -> mpf
    functions: dict  # FunctionClass -> sp.Lambda
    sizes: dict  # size symbol -> int
    shown_sizes: frozenset | None = None  # sizes the expressions use (others are not reported)

    def describe(self, extra: dict | None = None) -> dict[str, str]:
        out: dict[str, str] = {}
        for k, v in sorted(self.sizes.items(), key=lambda kv: str(kv[0])):
            if self.shown_sizes is None or k in self.shown_sizes:
                out[str(k)] = str(v)
        for k, v in sorted(self.values.items(), key=lambda kv: str(kv[0])):
            out[str(k)] = number_text(v)
        for f, lam in self.functions.items():
            out[f"{f}(·)"] = f"sample function {lam}"
        if extra:
            out.update(extra)
        return out


_CONTINUOUS = ("real", "positive", "nonnegative", "unit")


def nudged(point: Point, ctx: Context, eps) -> Point | None:
    """The point with every continuous scalar and vector entry moved by a relative eps (inside its
    domain); None when nothing can move (only integers, binary values, normalised vectors)."""
    values = dict(point.values)
    moved = False
    with mpmath.workdps(80):
        for k, v in point.values.items():
            dom = ctx.domain_of(k)
            kind = dom.kind if dom is not None else ("real" if not isinstance(k, sp.Indexed) else None)
            if kind not in _CONTINUOUS or k in ctx.sizes or k in ctx.indices:
                continue
            step = eps * max(abs(v), mpmath.mpf(1))
            new = v + step
            if kind in ("positive", "nonnegative") and new <= 0 or kind == "unit" and not 0 < new < 1:
                new = v - step
            values[k] = new
            moved = True
    return Point(values, point.functions, point.sizes, point.shown_sizes) if moved else None


def number_text(v, digits: int = 12) -> str:
    """'3' for integral values, else 12 significant digits."""
    if mpmath.isfinite(v) and v == mpmath.floor(v) and abs(v) < 10**15:
        return str(int(v))
    return mpmath.nstr(v, digits)


class RandomFunction:
    """A random smooth function c0 + sum_k (a_k u_k + b_k sin(w_k u_k + p_k)), mapped into the
    function's domain (exp for positive, logistic for (0, 1)).  Callable on mpmath numbers;
    ``lam`` gives the same function as a SymPy Lambda for symbolic evaluation."""

    def __init__(self, kind: str, nargs: int, rng: random.Random) -> None:
        self.kind = kind
        self.c0 = rng.uniform(-1, 1)
        self.terms = [(rng.uniform(-1, 1), rng.uniform(0.2, 1), rng.uniform(0.5, 2), rng.uniform(0, 3))
                      for _ in range(nargs)]
        self._lam: sp.Lambda | None = None

    def __call__(self, *args):
        body = mpmath.mpf(self.c0)
        for (a, b, w, p), u in zip(self.terms, args):
            body += a * u + b * mpmath.sin(w * u + p)
        return self._squash(body, mpmath.exp)

    def _squash(self, body, exp):
        if self.kind in ("positive", "probability"):
            return exp(body / 2)
        if self.kind == "unit":
            return 1 / (1 + exp(-body))
        return body

    @property
    def lam(self) -> sp.Lambda:
        if self._lam is None:
            xs = sp.symbols(f"_u0:{len(self.terms)}", real=True)
            body = sp.Float(self.c0, 20)
            for (a, b, w, p), x in zip(self.terms, xs):
                body += sp.Float(a, 20) * x + sp.Float(b, 20) * sp.sin(sp.Float(w, 20) * x + sp.Float(p, 20))
            self._lam = sp.Lambda(xs, self._squash(body, sp.exp))
        return self._lam

    def __str__(self) -> str:
        return str(self.lam.expr)


def _random_function(dom: Domain | None, nargs: int, rng: random.Random) -> RandomFunction:
    return RandomFunction(dom.kind if dom else "real", nargs, rng)


def _size_choices(ctx: Context, rng: random.Random, count: int) -> list[dict]:
    """The sizes of `count` points.  With two sizes or more, every other point gives them different values
    (``sum_{i=1}^{m} 2 = 2n`` holds only where m = n); the others give every size the same offset."""
    sizes = sorted(ctx.sizes, key=lambda s: s.name)
    if not sizes:
        return [{} for _ in range(count)]
    out = []
    for j in range(count):
        untied = len(sizes) > 1 and j % 2 == 1
        out.append({s: ctx.sizes[s] + ((j // 2 + (k if untied else 0)) % 4) for k, s in enumerate(sizes)})
    rng.shuffle(out)
    return out


def sizes_tied(ctx: Context, sizes: dict) -> bool:
    """Do the sizes of a point all exceed their minimum by the same amount (the points where two sizes the
    note names apart may still be one size)?"""
    return len({v - ctx.sizes.get(k, 1) for k, v in sizes.items()}) <= 1


class Sampler:
    """Draws points for a set of expressions in a context."""

    def __init__(self, ctx: Context, exprs: list[sp.Basic], seed: int = 12345) -> None:
        self.ctx = ctx
        self.exprs = exprs
        self.rng = random.Random(seed)
        self._leaves: dict = {}  # ids of concrete expressions -> (the expressions, what their points need)

    def points(self, count: int, special: bool = True):
        """Yield (point, concrete expressions) pairs; expressions are unrolled for the point.

        The first few points use each domain's special values (0, 1, -1, edges), the rest
        are random.
        """
        n_special = SPECIAL_POINTS if special else 0
        cache: dict = {}
        for j, sizes in enumerate(_size_choices(self.ctx, self.rng, count + n_special)):
            key = tuple(sorted((str(k), v) for k, v in sizes.items()))
            if key not in cache:
                cache[key] = [interned(unroll(e, sizes)) for e in self.exprs]
            concrete = cache[key]
            yield self.point_for(concrete, sizes, special=j if j < n_special else None), concrete

    def point_for(self, concrete: list[sp.Basic], sizes: dict, base: dict | None = None,
                  special: int | None = None) -> Point:
        """A point for the concrete expressions; values are exact to 80 digits (normalised
        probability vectors sum to 1 far below the working precision)."""
        with mpmath.workdps(80):
            return self._point_for(concrete, sizes, base, special)

    def _point_for(self, concrete: list[sp.Basic], sizes: dict, base: dict | None,
                   special: int | None) -> Point:
        rng = self.rng
        ctx = self.ctx
        values: dict = dict(base or {})
        free, ordered_free, funcs, used = self.leaves(concrete, sizes)
        size_vals = {k: sp.Integer(v) for k, v in sizes.items()}
        # vectors with a range are sampled whole (probability vectors are normalised)
        for vec, rng_ in ctx.vector_ranges.items():
            if vec.label not in free and not any(isinstance(s, sp.Indexed) and s.base == vec for s in free):
                continue
            lo = int(as_expr(rng_.lo).xreplace(size_vals))
            hi_e = as_expr(rng_.hi).xreplace(size_vals)
            if not hi_e.is_number:
                continue
            hi = int(hi_e)
            dom = ctx.vectors[vec]
            idxs = list(range(lo, hi + 1))
            if dom.kind == "onehot":
                hot = rng.choice(idxs)
                values[ctx.onehot_hot[vec]] = mpmath.mpf(hot)
                for j in idxs:
                    values.setdefault(vec[j], mpmath.mpf(1 if j == hot else 0))
            elif dom.kind == "probability":
                raw = [dom.sample(rng) for _ in idxs]
                tot = mpmath.fsum(raw)
                for j, r in zip(idxs, raw):
                    values.setdefault(vec[j], r / tot)
        # scalars (and index symbols) first: an entry x[j] at a free index j is the entry at j's value
        # sorted: the draws must not depend on set order (hash randomisation)
        for s in ordered_free:
            if s in values or s in ctx.sizes:
                continue
            if isinstance(s, sp.Indexed):
                at = _entry_at(s, values)
                if at is not s:
                    if not all(ix.is_number for ix in at.indices) or at in values:
                        continue
                    s = at
                dom = ctx.vectors.get(s.base)
                values[s] = (dom.sample(rng, _shift(special, s)) if dom else _default(rng))
            elif s in ctx.scalars:
                values[s] = ctx.scalars[s].sample(rng, special)
            elif s in ctx.indices:
                r = ctx.indices[s]
                lo = int(as_expr(r.lo).xreplace(size_vals))
                hi_e = as_expr(r.hi).xreplace(size_vals)
                hi = int(hi_e) if hi_e.is_number else lo + 3
                values[s] = mpmath.mpf(rng.randint(lo, max(lo, hi)))
            elif isinstance(s, sp.Symbol) and s.name in {b.label.name for b in ctx.vectors}:
                continue  # the label of an IndexedBase
            elif getattr(s, "is_positive", None):
                values[s] = _default_positive(rng)
        functions = {f: _random_function(ctx.functions.get(f), nargs, rng) for f, nargs in funcs}
        return Point(values, functions, sizes, used)

    def leaves(self, concrete: list[sp.Basic], sizes: dict) -> tuple:
        """What a point for these concrete expressions needs, worked out once per list: the free
        symbols (as a set, and in the order they are drawn), the unknown functions with their
        number of arguments, the sizes the expressions use."""
        key = tuple(map(id, concrete))
        hit = self._leaves.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], concrete)):
            return hit[1]
        free: set = set()
        funcs: set = set()
        for e in concrete:
            free |= e.free_symbols
            funcs |= {a.func for a in e.atoms(AppliedUndef)}
        # sorted: the draws must not depend on set order (hash randomisation)
        ordered_free = sorted(free, key=lambda s: (isinstance(s, sp.Indexed), sp.default_sort_key(s)))
        arity = [(f, max((len(a.args) for e in concrete for a in e.atoms(f)), default=1))
                 for f in sorted(funcs, key=str) if f not in self.ctx.definitions]
        used = frozenset(k for k in sizes if any(k in e.free_symbols for e in self.exprs))
        out = (free, ordered_free, arity, used)
        self._leaves[key] = (tuple(concrete), out)  # the expressions are kept: their ids are not reused
        return out


def _entry_at(s: sp.Indexed, values: dict) -> sp.Indexed:
    """x[j] with the index symbols replaced by their (integer) values, or s itself."""
    sub = {j: sp.Integer(int(values[j])) for j in s.free_symbols - {s.base.label}
           if not isinstance(j, sp.Indexed) and j in values and values[j] == int(values[j])}
    return s.xreplace(sub) if sub else s


def _shift(special: int | None, s: sp.Indexed) -> int | None:
    """Vary special values across the entries of a vector (all-equal entries hide errors)."""
    if special is None:
        return None
    return special + sum(int(i) for i in s.indices if i.is_Integer)


def _default(rng: random.Random):
    return mpmath.mpf(rng.gauss(0, 2))


def _default_positive(rng: random.Random):
    return mpmath.exp(mpmath.mpf(rng.gauss(0, 1)))


def substitute(expr: sp.Basic, point: Point, dps: int) -> sp.Basic:
    e = expr
    for f, fn in point.functions.items():
        if e.has(f):
            e = e.replace(f, fn.lam if isinstance(fn, RandomFunction) else fn)
    if e.has(sp.Derivative, sp.Integral, sp.Limit):  # a limit of constants keeps its value, infinite or not
        e = e.replace(lambda x: isinstance(x, (sp.Derivative, sp.Integral))
                      or isinstance(x, sp.Limit) and not x.free_symbols, lambda x: x.doit())
    mapping = {}
    for k, v in point.values.items():
        if v == int(v) and abs(v) < 10**6:
            mapping[k] = sp.Integer(int(v))
        else:
            mapping[k] = sp.Float(mpmath.nstr(v, dps + 10), dps + 10)
    # index symbols first, so that x[j] becomes x[2] and then takes x[2]'s value
    inside = set().union(*(set().union(*(i.free_symbols for i in x.indices)) for x in e.atoms(sp.Indexed)))
    first = {k: v for k, v in mapping.items() if k in inside and v.is_Integer}
    if first:
        e = e.xreplace(first)
    e = e.xreplace(mapping)
    if e.has(sp.Limit):  # at the point's values: lim_{T -> oo} of a geometric sum with a sampled ratio
        try:
            e = e.replace(lambda x: isinstance(x, sp.Limit), _finite_limit)
        except (NotImplementedError, TypeError, ValueError) as exc:
            raise NotNumeric(f"the limit has no value SymPy finds at this point: {exc}"[:160]) from exc
    return e


def _finite_limit(x: sp.Limit) -> sp.Basic:
    """A limit's value at a point; a limit that diverges or oscillates there (a geometric series with
    ratio 2) has none: the point is outside the statement's domain, not a counterexample.  Max, Min, sign
    and Abs, which SymPy's series cannot expand, are rewritten as the Piecewise they equal."""
    try:
        v = x.doit()
    except (NotImplementedError, TypeError, ValueError):
        if not x.has(sp.Max, sp.Min, sp.sign, sp.Abs):
            raise
        v = x.func(x.args[0].rewrite(sp.Piecewise), *x.args[1:]).doit()
    if v.has(sp.oo, -sp.oo, sp.zoo, sp.nan, sp.AccumBounds) or v.has(sp.Limit):
        raise NotNumeric("the limit does not exist (or is infinite) at this point")
    return v


def _delta_in_nonlinear(e: sp.Basic, inside: bool = False) -> bool:
    """Is a Dirac delta composed with a nonlinear function (log delta, delta^2)?  Such an
    expression is formal: it has no value, and SymPy may spend a minute trying to integrate it."""
    if isinstance(e, sp.DiracDelta):
        return inside
    if not e.has(sp.DiracDelta):
        return False
    linear = isinstance(e, (sp.Add, sp.Mul, sp.Sum, sp.Integral, sp.Tuple))
    return any(_delta_in_nonlinear(a, inside or not linear) for a in e.args)


def value(expr: sp.Basic, point: Point, dps: int = WORK_DPS) -> mpmath.mpf:
    """The real value of expr at point, or NotNumeric."""
    if expr.has(sp.DiracDelta) and _delta_in_nonlinear(expr):
        raise NotNumeric("a Dirac delta inside a nonlinear function (e.g. log q for an empirical q) has no value")
    if expr.has(sp.DiracDelta) and expr.has(sp.Integral):
        expr = delta_integrated(expr)
    comp = compiled(expr)
    if comp is not None:
        return comp(point, dps)
    return _value_evalf(expr, point, dps)


_DELTA_DONE: dict = {}


def delta_integrated(expr: sp.Basic) -> sp.Basic:
    """expr with its integrals of Dirac deltas done once, symbolically, by SymPy's own delta
    integration (not the engine's sifting rule, which the evidence must not assume), so that
    the result is compiled once instead of integrated again at every point.  An integral SymPy
    does not finish is left as written (evaluated the slow way, point by point)."""
    hit = _DELTA_DONE.get(expr)
    if hit is not None:
        return hit

    def done(x):
        try:
            r = x.doit()
        except Exception:  # noqa: BLE001 - SymPy could not: leave it for evalf
            return x
        return x if r.has(sp.Integral) else r

    out = expr.replace(lambda x: isinstance(x, sp.Integral) and x.has(sp.DiracDelta), done)
    if len(_DELTA_DONE) > 500:
        _DELTA_DONE.clear()
    _DELTA_DONE[expr] = out
    return out


def _value_evalf(expr: sp.Basic, point: Point, dps: int = WORK_DPS) -> mpmath.mpf:
    e = substitute(expr, point, dps)
    try:  # infinite series by mpmath under a convergence test: SymPy's evalf of them is unreliable
        e = sum_series(e, dps)
    except NotConvergent as exc:
        raise NotNumeric(str(exc)) from exc
    if e.has(sp.Derivative, sp.Integral, sp.Limit, sp.Sum, sp.Product):
        e = e.doit()
    try:
        v = sp.N(e, dps)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError) as exc:  # pragma: no cover
        raise NotNumeric(str(exc)) from exc
    if v in (sp.oo, -sp.oo):
        return mpmath.inf if v == sp.oo else -mpmath.inf
    if not v.is_number or v.has(sp.nan, sp.zoo):
        raise NotNumeric(f"does not evaluate to a number: {sp.sstr(v)[:80]}")
    re, im = v.as_real_imag()
    try:
        with mpmath.workdps(dps):  # at the working precision, not mpmath's default 15 digits
            re_f = +mpmath.mpf(sp.Float(re, dps))
            im_f = +mpmath.mpf(sp.Float(im, dps))
    except (TypeError, ValueError) as exc:
        raise NotNumeric(str(exc)) from exc
    if abs(im_f) > mpmath.mpf(10) ** (-(dps // 2)) * max(1, abs(re_f)):
        raise NotNumeric("complex value (outside the domain of definition)")
    return re_f


def confirmed_value(expr: sp.Basic, point: Point) -> mpmath.mpf:
    """The value at CONFIRM_DPS, or exact 0 where it does not settle.

    Rounding noise of a quantity that is really zero shrinks as precision grows; a genuine
    value does not move.  So expr is evaluated at CONFIRM_DPS and at 1.5 x CONFIRM_DPS, and a
    value that moves is taken as 0.
    """
    high = value(expr, point, CONFIRM_DPS)
    higher = value(expr, point, CONFIRM_DPS * 3 // 2)
    if mpmath.isinf(high) or mpmath.isinf(higher):
        return higher
    if higher == 0 or abs(high - higher) > abs(higher) * mpmath.mpf(10) ** (-(CONFIRM_DPS // 2)):
        return mpmath.mpf(0)
    return higher


def close(a, b, dps: int) -> bool:
    if mpmath.isinf(a) or mpmath.isinf(b):
        return a == b
    # relative tolerance; SymPy's evalf is adaptive, so values are accurate relative to
    # themselves and a tiny absolute floor only absorbs results that are exactly zero
    # half the working digits: rounding noise of fixed-precision arithmetic (cancellations)
    # stays far below it, and a genuine difference found at 30 digits persists at 60
    d = abs(a - b)
    tol = mpmath.mpf(10) ** (-(dps // 2))
    if a == 0 or b == 0:  # an exact zero: the noise of a cancellation is absolute
        return d <= tol
    return d <= max(abs(a), abs(b)) * tol


def holds(relation: str, a, b, dps: int) -> bool:
    """Does `a relation b` hold, with a tolerance for equality at this precision?"""
    if relation == "=":
        return close(a, b, dps)
    if relation == "<=":
        return a <= b or close(a, b, dps)
    if relation == ">=":
        return a >= b or close(a, b, dps)
    if relation == "<":
        return a < b and not close(a, b, dps)
    if relation == ">":
        return a > b and not close(a, b, dps)
    raise ValueError(relation)
