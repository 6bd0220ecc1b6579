"""An independent judge of whether a relation holds: direct mpmath evaluation.

The mutation harness must decide which mutants happen to be *equivalent* (the mutated
step is still correct) without trusting the code under test.  This module walks a SymPy
expression tree itself and evaluates it with mpmath at random points drawn inside the
declared domains: sums and products are looped over concrete sizes, definitions are
evaluated on demand, unknown functions become random smooth functions, derivatives are
taken numerically (``mpmath.diff``).  It shares no code with ``verifier.engine.numeric`` or
``verifier.engine.decide``; it only reads the :class:`verifier.model.context.Context` declarations.

A relation is judged *holds* when it holds at every admissible point (at least
``MIN_VALID`` of them), *fails* when a point violates it at working precision and again
at double precision, and *undetermined* otherwise.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef

WORK_DPS = 40
CONFIRM_DPS = 80
SAMPLE_DPS = 200
MIN_VALID = 8
MAX_TERMS = 20000

HOLDS, FAILS, UNDETERMINED = "holds", "fails", "undetermined"


class Unevaluable(Exception):
    """The oracle has no numeric meaning for a node."""


class OutsideDomain(Exception):
    """The expression is not a real number at this point (log of a negative, 1/0, ...)."""


@dataclass
class Judgement:
    verdict: str  # HOLDS | FAILS | UNDETERMINED
    valid: int = 0
    detail: str = ""


# ----------------------------------------------------------------------------------------
# sampling inside domains (own samplers, deliberately different from verifier.model.domains)
# ----------------------------------------------------------------------------------------
def _sample_kind(kind: str, rng: random.Random) -> mpmath.mpf:
    if kind == "real":
        r = rng.random()
        if r < 0.15:
            return mpmath.mpf(rng.choice([0, 1, -1, 3, -3]))
        return mpmath.mpf(rng.gauss(0, 3))
    if kind in ("positive", "probability"):
        if rng.random() < 0.1:
            return mpmath.mpf(rng.choice(["0.01", "1", "3", "0.25", "50"]))
        return mpmath.exp(mpmath.mpf(rng.gauss(0, 1.7)))
    if kind == "nonnegative":
        return mpmath.mpf(0) if rng.random() < 0.15 else mpmath.exp(mpmath.mpf(rng.gauss(0, 1.7)))
    if kind == "unit":
        if rng.random() < 0.1:
            return mpmath.mpf(rng.choice(["0.001", "0.999", "0.5", "0.03", "0.97"]))
        return mpmath.mpf(rng.uniform(0.0005, 0.9995))
    if kind == "integer":
        return mpmath.mpf(rng.randint(-7, 7))
    if kind in ("binary", "onehot"):
        return mpmath.mpf(rng.randint(0, 1))
    raise Unevaluable(f"no sampler for domain {kind!r}")


class _RandomFunction:
    """A random smooth function R^k -> R (positive or in (0, 1) as the domain asks)."""

    def __init__(self, kind: str, nargs: int, rng: random.Random) -> None:
        self.kind = kind
        self.c0 = mpmath.mpf(rng.uniform(-1, 1))
        self.lin = [mpmath.mpf(rng.uniform(-1.2, 1.2)) for _ in range(nargs)]
        self.amp = [mpmath.mpf(rng.uniform(0.3, 1.1)) for _ in range(nargs)]
        self.freq = [mpmath.mpf(rng.uniform(0.4, 2.2)) for _ in range(nargs)]
        self.phase = [mpmath.mpf(rng.uniform(0, 3)) for _ in range(nargs)]

    def __call__(self, *xs):
        v = self.c0
        for x, a, b, w, ph in zip(xs, self.lin, self.amp, self.freq, self.phase):
            v += a * x + b * mpmath.cos(w * x + ph)
        if self.kind in ("positive", "probability"):
            return mpmath.exp(v / 2)
        if self.kind == "unit":
            return 1 / (1 + mpmath.exp(-v))
        if self.kind == "nonnegative":
            return v * v
        return v


# ----------------------------------------------------------------------------------------
# the evaluator
# ----------------------------------------------------------------------------------------
@dataclass
class Env:
    """One sample point: sizes, drawn values (filled lazily), random functions."""

    ctx: Any
    rng: random.Random
    sizes: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)  # Symbol -> mpf ; (label, ints) -> mpf
    funcs: dict = field(default_factory=dict)  # FunctionClass -> _RandomFunction
    depth: int = 0

    # -- lazily drawn values --------------------------------------------------------------
    def scalar(self, s: sp.Symbol):
        if s in self.values:
            return self.values[s]
        ctx = self.ctx
        if s in ctx.sizes:
            return mpmath.mpf(self.sizes[s])
        if s in ctx.scalars:
            v = _sample_kind(ctx.scalars[s].kind, self.rng)
        elif s in set(ctx.onehot_hot.values()):
            base = next(b for b, k in ctx.onehot_hot.items() if k == s)
            self._sample_vector(base.label, base)
            return self.values[s]
        elif s in ctx.indices:
            r = ctx.indices[s]
            lo, hi = self.bound(r.lo), self.bound(r.hi)
            v = mpmath.mpf(self.rng.randint(lo, max(lo, hi)))
        else:
            raise Unevaluable(f"no domain for symbol {s}")
        self.values[s] = v
        return v

    def bound(self, e) -> int:
        v = ev(sp.sympify(e), self, {})
        if isinstance(v, mpmath.mpc) or v != int(v):
            raise Unevaluable(f"non-integer bound {e}")
        return int(v)

    def indexed(self, label: sp.Symbol, base: sp.IndexedBase | None, key: tuple):
        k = (label, key)
        if k in self.values:
            return self.values[k]
        ctx = self.ctx
        if base is not None and base in ctx.vector_ranges and ctx.vectors[base].kind in ("probability", "onehot"):
            self._sample_vector(label, base)
            if k in self.values:
                return self.values[k]
            raise OutsideDomain(f"{label}{list(key)} is outside the range of the vector")
        kind = ctx.vectors[base].kind if base is not None and base in ctx.vectors else "real"
        v = _sample_kind(kind, self.rng)
        self.values[k] = v
        return v

    def _sample_vector(self, label, base) -> None:
        ctx = self.ctx
        r = ctx.vector_ranges[base]
        lo, hi = self.bound(r.lo), self.bound(r.hi)
        idxs = list(range(lo, hi + 1))
        if not idxs:
            raise OutsideDomain(f"empty range for {label}")
        kind = ctx.vectors[base].kind
        if kind == "probability":
            with mpmath.workdps(SAMPLE_DPS):  # the entries sum to 1 far below any working precision
                raw = [_sample_kind("positive", self.rng) for _ in idxs]
                tot = mpmath.fsum(raw)
                for j, x in zip(idxs, raw):
                    self.values[(label, (j,))] = x / tot
        else:  # one-hot
            hot = self.rng.choice(idxs)
            k = ctx.onehot_hot.get(base)
            if k is not None:
                self.values[k] = mpmath.mpf(hot)
            for j in idxs:
                self.values[(label, (j,))] = mpmath.mpf(1 if j == hot else 0)

    def function(self, f) -> _RandomFunction:
        if f not in self.funcs:
            dom = self.ctx.functions.get(f)
            nargs = 4
            self.funcs[f] = _RandomFunction(dom.kind if dom else "real", nargs, self.rng)
        return self.funcs[f]

    def forget(self, over: tuple) -> "Env":
        """A copy with the optimisation variables forgotten (drawn anew on demand)."""
        syms = {v for v in over if isinstance(v, sp.Symbol)}
        labels = {v.label for v in over if isinstance(v, sp.IndexedBase)} | \
                 {v.base.label for v in over if isinstance(v, sp.Indexed)}
        funcs = {v for v in over if isinstance(v, sp.FunctionClass)}
        vals = {}
        for k, v in self.values.items():
            if k in syms:
                continue
            if isinstance(k, tuple) and k[0] in labels:
                continue
            vals[k] = v
        # a one-hot vector's hot index goes with the vector
        for base, k in self.ctx.onehot_hot.items():
            if base.label in labels:
                vals.pop(k, None)
        fns = {f: g for f, g in self.funcs.items() if f not in funcs}
        return Env(self.ctx, self.rng, dict(self.sizes), vals, fns)


_FUNCS = {
    sp.exp: mpmath.exp, sp.sin: mpmath.sin, sp.cos: mpmath.cos, sp.tan: mpmath.tan,
    sp.sinh: mpmath.sinh, sp.cosh: mpmath.cosh, sp.tanh: mpmath.tanh, sp.asin: mpmath.asin,
    sp.acos: mpmath.acos, sp.atan: mpmath.atan, sp.erf: mpmath.erf, sp.gamma: mpmath.gamma,
    sp.loggamma: mpmath.loggamma, sp.factorial: mpmath.factorial, sp.sec: mpmath.sec,
    sp.csc: mpmath.csc, sp.cot: mpmath.cot, sp.asinh: mpmath.asinh, sp.acosh: mpmath.acosh,
    sp.atanh: mpmath.atanh, sp.erfc: mpmath.erfc,
}


def _real(v):
    """v as a real mpf, or OutsideDomain if it has an imaginary part."""
    if isinstance(v, mpmath.mpc):
        if abs(v.imag) > mpmath.mpf(10) ** (-(mpmath.mp.dps // 2)) * max(1, abs(v.real)):
            raise OutsideDomain("complex value")
        return v.real
    return v


def _indices(expr: sp.Indexed, env: Env, local: dict) -> tuple:
    out = []
    for i in expr.indices:
        v = _real(ev(i, env, local))
        if v != int(v):
            raise OutsideDomain(f"non-integer index {i}")
        out.append(int(v))
    return tuple(out)


def _indexed_definition(expr: sp.Indexed, env: Env, local: dict):
    """The value of x[j] when the context defines x[i] := body(i)."""
    for k, body in env.ctx.definitions.items():
        if isinstance(k, sp.Indexed) and k.base == expr.base and len(k.indices) == len(expr.indices):
            binding = dict(local)
            for sym, val in zip(k.indices, expr.indices):
                binding[sym] = ev(val, env, local)
            return True, ev(body, env, binding)
        if isinstance(k, sp.IndexedBase) and k == expr.base and isinstance(body, sp.Lambda):
            args = [ev(a, env, local) for a in expr.indices]
            return True, _apply_lambda(body, args, env, local)
    return False, None


def _apply_lambda(lam: sp.Lambda, args: list, env: Env, local: dict):
    vars_ = lam.variables
    if len(vars_) != len(args):
        raise Unevaluable(f"{lam} applied to {len(args)} arguments")
    binding = dict(local)
    binding.update(zip(vars_, args))
    return ev(lam.expr, env, binding)


def _loop(expr, env: Env, local: dict, product: bool):
    body = expr.function
    limits = list(expr.limits)

    def rec(k: int, binding: dict):
        if k == len(limits):
            return ev(body, env, binding)
        i, lo, hi = limits[k]
        a, b = _real(ev(lo, env, binding)), _real(ev(hi, env, binding))
        if a != int(a) or b != int(b):
            raise Unevaluable("non-integer summation bounds")
        a, b = int(a), int(b)
        if b - a > MAX_TERMS:
            raise Unevaluable("too many terms")
        acc = mpmath.mpf(1) if product else mpmath.mpf(0)
        for j in range(a, b + 1):
            inner = dict(binding)
            inner[i] = mpmath.mpf(j)
            v = rec(k + 1, inner)
            acc = acc * v if product else acc + v
        return acc

    return rec(0, dict(local))


def _derivative(expr: sp.Derivative, env: Env, local: dict):
    keys, x0, counts = [], [], []
    for v, c in expr.variable_count:
        if isinstance(v, sp.Symbol):
            key = v
        elif isinstance(v, sp.Indexed):
            key = (v.base.label, _indices(v, env, local))
        else:
            raise Unevaluable(f"derivative with respect to {v}")
        if key in keys:  # d/dq_j d/dq_l at j = l is a second derivative in one variable
            counts[keys.index(key)] += int(c)
            continue
        keys.append(key)
        counts.append(int(c))
        x0.append(_real(ev(v, env, local)))

    def g(*ts):
        binding = dict(local)
        binding.update(zip(keys, ts))
        return ev(expr.expr, env, binding)

    orders = tuple(counts)
    if len(keys) == 1:
        return mpmath.diff(g, x0[0], orders[0])
    return mpmath.diff(g, tuple(x0), orders)


def _limit(expr: sp.Limit, env: Env, local: dict):
    """A one-sided limit from values ever closer to the point (scaled to the precision)."""
    body, z, z0, direction = expr.args
    at = _real(ev(z0, env, local))
    dps = mpmath.mp.dps

    def g(t):
        binding = dict(local)
        binding[z] = t
        return _real(ev(body, env, binding))

    if mpmath.isinf(at):
        sgn = 1 if at > 0 else -1
        ts = [sgn * mpmath.mpf(10) ** k for k in (dps // 2, dps, 2 * dps)]
    else:
        sgn = -1 if str(direction) == "-" else 1
        ts = [at + sgn * mpmath.mpf(10) ** -k for k in (dps // 2, dps, 2 * dps)]
    v1, v2, v3 = (g(t) for t in ts)
    if abs(v3 - v2) <= mpmath.mpf(10) ** (-(dps // 3)) * max(1, abs(v3)):
        return v3
    if abs(v3) > 20 and abs(v3) > 1.5 * abs(v2) > 1.5 * abs(v1) and (v1 > 0) == (v2 > 0) == (v3 > 0):
        return mpmath.inf if v3 > 0 else -mpmath.inf  # grows without bound (at least like a log)
    raise Unevaluable("the limit does not settle")


def _unfold_calls(e: sp.Basic, env: Env) -> sp.Basic:
    """Defined functions applied symbolically (so a Dirac delta inside q(y) is visible)."""
    defs = env.ctx.definitions
    for _ in range(6):
        calls = [a for a in e.atoms(AppliedUndef) if a.func in defs]
        if not calls:
            break
        e = e.xreplace({a: sp.sympify(defs[a.func](*a.args)) for a in calls})
    return e


def _sift(expr: sp.Integral, env: Env, local: dict):
    """Integral of terms with one Dirac delta of an argument linear in the variable."""
    x, lo, hi = expr.limits[0]
    body = expr.function
    # write sums out at the point's sizes, so every term carries its own delta
    body = body.xreplace({k: sp.Integer(v) for k, v in env.sizes.items()})
    body = body.replace(lambda t: isinstance(t, sp.Sum) and t.has(sp.DiracDelta), lambda t: t.doit())
    a_lo, a_hi = _real(ev(lo, env, local)), _real(ev(hi, env, local))
    total = mpmath.mpf(0)
    for term in sp.Add.make_args(sp.expand(body)):
        deltas = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.DiracDelta)]
        if len(deltas) != 1 or len(deltas[0].args) != 1:
            raise Unevaluable("a term without exactly one Dirac delta")
        arg = deltas[0].args[0]
        rest = term / deltas[0]
        slope = sp.diff(arg, x)
        if slope.has(x) or slope == 0:
            raise Unevaluable("a Dirac delta of a nonlinear argument")
        root = sp.expand(x - arg / slope)
        if root.has(x):
            raise Unevaluable("a Dirac delta of a nonlinear argument")
        r = _real(ev(root, env, local))
        if not (a_lo < r < a_hi):
            continue
        binding = dict(local)
        binding[x] = r
        total += ev(rest, env, binding) / abs(_real(ev(slope, env, local)))
    return total


def _integral(expr: sp.Integral, env: Env, local: dict):
    if len(expr.limits) != 1 or len(expr.limits[0]) != 3:
        raise Unevaluable("only definite single integrals")
    unfolded = _unfold_calls(expr, env)
    if unfolded.has(sp.DiracDelta):
        return _sift(unfolded, env, local)
    x, lo, hi = expr.limits[0]
    a = _real(ev(lo, env, local))
    b = _real(ev(hi, env, local))

    def g(t):
        binding = dict(local)
        binding[x] = t
        return ev(expr.function, env, binding)

    return mpmath.quad(g, [a, b])


def _boolean(e, env: Env, local: dict) -> bool:
    if e is sp.true:
        return True
    if e is sp.false:
        return False
    if isinstance(e, sp.And):
        return all(_boolean(a, env, local) for a in e.args)
    if isinstance(e, sp.Or):
        return any(_boolean(a, env, local) for a in e.args)
    if isinstance(e, sp.Not):
        return not _boolean(e.args[0], env, local)
    if isinstance(e, sp.core.relational.Relational):
        a, b = _real(ev(e.lhs, env, local)), _real(ev(e.rhs, env, local))
        op = e.rel_op
        return {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
    raise Unevaluable(f"condition {e}")


def ev(e: sp.Basic, env: Env, local: dict):  # noqa: C901 - one dispatch over node types
    """The mpmath value of e at env (local binds summation indices, lambda variables)."""
    env.depth += 1
    try:
        if env.depth > 400:
            raise Unevaluable("definitions nest too deeply")
        return _ev(e, env, local)
    finally:
        env.depth -= 1


def _ev(e, env: Env, local: dict):  # noqa: C901
    if e in local:
        return local[e]
    if e.is_Integer:
        return mpmath.mpf(int(e))
    if e.is_Rational:
        return mpmath.mpf(int(e.p)) / int(e.q)
    if e.is_Float:
        return mpmath.mpf(e._mpf_)
    if e is sp.pi:
        return +mpmath.pi
    if e is sp.E:
        return +mpmath.e
    if e is sp.EulerGamma:
        return +mpmath.euler
    if e is sp.I:
        return mpmath.mpc(0, 1)
    if e is sp.oo:
        return mpmath.inf
    if e is sp.S.NegativeInfinity:
        return -mpmath.inf
    if e in (sp.nan, sp.zoo):
        raise OutsideDomain("undefined value")
    if isinstance(e, sp.Symbol):
        defs = env.ctx.definitions
        if e in defs and e not in env.values:
            return ev(defs[e], env, local)
        return env.scalar(e)
    if isinstance(e, sp.Indexed):
        key = (e.base.label, _indices(e, env, local))
        if key in local:
            return local[key]
        found, v = _indexed_definition(e, env, local)
        if found:
            return v
        return env.indexed(e.base.label, e.base, key[1])
    if isinstance(e, sp.Add):
        return mpmath.fsum(ev(a, env, local) for a in e.args)
    if isinstance(e, sp.Mul):
        v = mpmath.mpf(1)
        for a in e.args:
            v = v * ev(a, env, local)
        return v
    if isinstance(e, sp.Pow):
        b = ev(e.base, env, local)
        x = ev(e.exp, env, local)
        if b == 0 and _real(x) < 0:
            raise OutsideDomain("division by zero")
        if e.exp.is_Integer:
            return b ** int(e.exp)
        return mpmath.power(b, x)
    if isinstance(e, sp.log):
        if len(e.args) != 1:
            raise Unevaluable("log with a base")
        x = ev(e.args[0], env, local)
        if x == 0:
            return -mpmath.inf
        return mpmath.log(x)
    if e.func in _FUNCS:
        return _FUNCS[e.func](*[ev(a, env, local) for a in e.args])
    if isinstance(e, sp.Abs):
        return abs(ev(e.args[0], env, local))
    if isinstance(e, sp.sign):
        x = _real(ev(e.args[0], env, local))
        return mpmath.mpf((x > 0) - (x < 0))
    if isinstance(e, sp.Heaviside):
        x = _real(ev(e.args[0], env, local))
        h0 = mpmath.mpf(1) / 2 if len(e.args) == 1 else ev(e.args[1], env, local)
        return mpmath.mpf(1) if x > 0 else (mpmath.mpf(0) if x < 0 else h0)
    if isinstance(e, sp.KroneckerDelta):
        a, b = (_real(ev(x, env, local)) for x in e.args[:2])
        return mpmath.mpf(1 if a == b else 0)
    if isinstance(e, (sp.Max, sp.Min)):
        vals = [_real(ev(a, env, local)) for a in e.args]
        return max(vals) if isinstance(e, sp.Max) else min(vals)
    if isinstance(e, sp.floor):
        return mpmath.floor(_real(ev(e.args[0], env, local)))
    if isinstance(e, sp.ceiling):
        return mpmath.ceil(_real(ev(e.args[0], env, local)))
    if isinstance(e, sp.binomial):
        return mpmath.binomial(*[ev(a, env, local) for a in e.args])
    if isinstance(e, sp.Piecewise):
        for val, cond in e.args:
            if _boolean(cond, env, local):
                return ev(val, env, local)
        raise OutsideDomain("no branch of a Piecewise applies")
    if isinstance(e, sp.Sum):
        return _loop(e, env, local, product=False)
    if isinstance(e, sp.Product):
        return _loop(e, env, local, product=True)
    if isinstance(e, sp.Derivative):
        return _derivative(e, env, local)
    if isinstance(e, sp.Integral):
        return _integral(e, env, local)
    if type(e).__name__ == "XLogX":  # t log t with 0 log 0 = 0 (verifier.engine.limits)
        x = _real(ev(e.args[0], env, local))
        if x < 0:
            raise OutsideDomain("t log t of a negative number")
        return mpmath.mpf(0) if x == 0 else x * mpmath.log(x)
    if isinstance(e, sp.Limit):
        return _limit(e, env, local)
    if isinstance(e, sp.Subs):
        binding = dict(local)
        for var, pt in zip(e.variables, e.point):
            binding[var] = ev(pt, env, local)
        return ev(e.expr, env, binding)
    if isinstance(e, AppliedUndef):
        defs = env.ctx.definitions
        if e.func in defs:
            # a definition (a Lambda or a Python callable building an expression) is applied
            # symbolically: its arguments may be whole vectors (H(p, q)) or functions
            d = defs[e.func]
            try:
                body = d(*e.args)
            except Exception as exc:  # noqa: BLE001
                raise Unevaluable(f"cannot apply the definition of {e.func}: {exc}") from exc
            return ev(sp.sympify(body), env, local)
        if e.func not in env.ctx.functions:
            raise Unevaluable(f"no domain for function {e.func}")
        args = [ev(a, env, local) for a in e.args]
        return env.function(e.func)(*[_real(a) for a in args])
    raise Unevaluable(f"unsupported node {type(e).__name__}")


def value(e: sp.Basic, env: Env, dps: int):
    with mpmath.workdps(dps):
        try:
            return _real(ev(e, env, {}))
        except ZeroDivisionError as exc:
            raise OutsideDomain("division by zero") from exc
        except (ValueError, OverflowError) as exc:
            raise OutsideDomain(str(exc)) from exc


# ----------------------------------------------------------------------------------------
# judging relations
# ----------------------------------------------------------------------------------------
def _close(a, b, dps: int) -> bool:
    if mpmath.isinf(a) or mpmath.isinf(b):
        return a == b
    if mpmath.isnan(a) or mpmath.isnan(b):
        return False
    tol = mpmath.mpf(10) ** (-(dps - 15))
    if a == 0 or b == 0:  # an exact zero: the noise of a cancellation is absolute
        return abs(a - b) <= tol
    return abs(a - b) <= tol * max(abs(a), abs(b))


def holds(relation: str, a, b, dps: int) -> bool:
    if mpmath.isnan(a) or mpmath.isnan(b):
        raise OutsideDomain("nan")
    if relation == "=":
        return _close(a, b, dps)
    if relation == "<=":
        return a <= b or _close(a, b, dps)
    if relation == ">=":
        return a >= b or _close(a, b, dps)
    if relation == "<":
        return a < b and not _close(a, b, dps)
    if relation == ">":
        return a > b and not _close(a, b, dps)
    raise ValueError(relation)


def _side(e: sp.Basic, env: Env, dps: int = WORK_DPS):
    """The value of e, or the OutsideDomain exception (not raised) when it has no real value."""
    try:
        v = value(e, env, dps)
    except OutsideDomain as exc:
        return exc
    if mpmath.isnan(v):
        return OutsideDomain("nan")
    return v


def _size_plan(ctx, count: int, rng: random.Random) -> list[dict]:
    sizes = sorted(ctx.sizes, key=lambda s: s.name)
    plans = []
    for j in range(count):
        plans.append({s: ctx.sizes[s] + (j % 5) for s in sizes})
    rng.shuffle(plans)
    return plans


def judge_relation(lhs: sp.Basic, rhs: sp.Basic, relation: str, ctx, *, points: int = 48,
                   seed: int = 7) -> Judgement:
    """Does ``lhs relation rhs`` hold at every sampled point inside the domains?"""
    rng = random.Random(seed)
    valid = 0
    notes: list[str] = []
    for sizes in _size_plan(ctx, points, rng):
        env = Env(ctx, rng, sizes)
        try:
            a = _side(lhs, env)
            b = _side(rhs, env)
            if isinstance(a, OutsideDomain) or isinstance(b, OutsideDomain):
                if isinstance(a, OutsideDomain) and isinstance(b, OutsideDomain):
                    notes.append(str(a))
                    continue
                # one side is a real number, the other is not: the step is wrong here
                a2, b2 = _side(lhs, env, CONFIRM_DPS), _side(rhs, env, CONFIRM_DPS)
                if isinstance(a2, OutsideDomain) != isinstance(b2, OutsideDomain):
                    return Judgement(FAILS, valid, f"one side has no real value at {_describe(env)}")
                notes.append("definedness differs only at working precision")
                continue
            ok = holds(relation, a, b, WORK_DPS)
        except OutsideDomain as exc:
            notes.append(str(exc))
            continue
        except Unevaluable as exc:
            return Judgement(UNDETERMINED, valid, f"unevaluable: {exc}")
        if not ok:
            try:
                a2, b2 = value(lhs, env, CONFIRM_DPS), value(rhs, env, CONFIRM_DPS)
                ok2 = holds(relation, a2, b2, CONFIRM_DPS)
                if not ok2 and _noise(a - b, a2 - b2):
                    ok2 = relation in ("=", "<=", ">=")
            except (OutsideDomain, Unevaluable) as exc:
                notes.append(str(exc))
                continue
            if not ok2:
                return Judgement(FAILS, valid, f"fails at {_describe(env)}: lhs={mpmath.nstr(a2, 12)} "
                                                f"rhs={mpmath.nstr(b2, 12)}")
        valid += 1
    if valid >= MIN_VALID:
        return Judgement(HOLDS, valid)
    return Judgement(UNDETERMINED, valid, "too few admissible points" + (f" ({notes[0]})" if notes else ""))


def _noise(d_work, d_confirm) -> bool:
    """A difference that shrinks by many orders when the precision doubles is rounding noise of 0."""
    if mpmath.isinf(d_work) or mpmath.isnan(d_work) or d_work == 0:
        return False
    return abs(d_confirm) < abs(d_work) * mpmath.mpf(10) ** (-(CONFIRM_DPS - WORK_DPS) // 2)


def _sign(a, b, dps: int) -> int:
    if _close(a, b, dps):
        return 0
    return 1 if a > b else -1


def judge_order(F: sp.Basic, G: sp.Basic, over: tuple, flip: bool, ctx, *, pairs: int = 48,
                seed: int = 7) -> Judgement:
    """Does G order every pair of candidates (differing only in `over`) as F does (reversed if flip)?"""
    rng = random.Random(seed)
    valid = 0
    notes: list[str] = []
    for sizes in _size_plan(ctx, pairs, rng):
        env1 = Env(ctx, rng, sizes)
        try:
            _side(F, env1), _side(G, env1)  # draw every value of the base point first
            env2 = env1.forget(over)
            for env in (env1, env2):
                f, g = _side(F, env), _side(G, env)
                if not isinstance(f, OutsideDomain) and isinstance(g, OutsideDomain):
                    f, g = _side(F, env, CONFIRM_DPS), _side(G, env, CONFIRM_DPS)
                    if not isinstance(f, OutsideDomain) and isinstance(g, OutsideDomain):
                        return Judgement(FAILS, valid, f"the new objective has no real value at {_describe(env)}")
            f1, g1 = value(F, env1, WORK_DPS), value(G, env1, WORK_DPS)
            f2, g2 = value(F, env2, WORK_DPS), value(G, env2, WORK_DPS)
            if any(mpmath.isnan(x) for x in (f1, f2, g1, g2)):
                raise OutsideDomain("nan")
        except OutsideDomain as exc:
            notes.append(str(exc))
            continue
        except Unevaluable as exc:
            return Judgement(UNDETERMINED, valid, f"unevaluable: {exc}")
        sf, sg = _sign(f1, f2, WORK_DPS), _sign(g1, g2, WORK_DPS)
        if sg != (-sf if flip else sf):
            f1w, f2w, g1w, g2w = f1, f2, g1, g2
            try:
                f1, g1 = value(F, env1, CONFIRM_DPS), value(G, env1, CONFIRM_DPS)
                f2, g2 = value(F, env2, CONFIRM_DPS), value(G, env2, CONFIRM_DPS)
            except (OutsideDomain, Unevaluable) as exc:
                notes.append(str(exc))
                continue
            sf, sg = _sign(f1, f2, CONFIRM_DPS), _sign(g1, g2, CONFIRM_DPS)
            if sf != 0 and _noise(f1w - f2w, f1 - f2):
                sf = 0
            if sg != 0 and _noise(g1w - g2w, g1 - g2):
                sg = 0
            if sg != (-sf if flip else sf):
                return Judgement(FAILS, valid, f"order differs: F {mpmath.nstr(f1, 8)} vs {mpmath.nstr(f2, 8)}, "
                                                f"G {mpmath.nstr(g1, 8)} vs {mpmath.nstr(g2, 8)}")
        valid += 1
    if valid >= MIN_VALID:
        return Judgement(HOLDS, valid)
    return Judgement(UNDETERMINED, valid, "too few admissible pairs" + (f" ({notes[0]})" if notes else ""))


def _describe(env: Env) -> str:
    parts = [f"{k}={v}" for k, v in env.sizes.items()]
    for k, v in list(env.values.items())[:8]:
        name = f"{k[0]}{list(k[1])}" if isinstance(k, tuple) else str(k)
        parts.append(f"{name}={mpmath.nstr(v, 6)}")
    return ", ".join(parts)
