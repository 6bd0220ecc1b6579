"""Lowering probability to sums and closed forms the engine already decides.

* A random variable with no stated law is any distribution.  Its expectations are taken over a
  finite support of symbolic size: values ``X_v[t]`` with weights ``w[t]`` (a probability
  vector), ``E[g(X)] = sum_t w_t g(X_v[t])``.  An identity between polynomials in expectations
  that holds for every finite support holds for every law with those expectations (the vector
  of expectations of finitely many functions lies in the convex hull of their values, and a
  point of a convex hull is a finite mixture, Caratheodory), so a proof here is a proof; a
  counterexample is a concrete small table.
* Random variables with no stated law share one joint support unless one stated mutually
  independent set holds them all; then each has its own support (a product law).
* A stated family: Bernoulli / categorical are finite sums, location-scale families go through
  standard moments, binomial / Poisson through moments of polynomials (``families``).
* A product of functions of different random variables factorises only under stated
  independence; otherwise the step is ``unknown`` (or decided over a joint table when none of
  them has a stated law).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import sympy as sp

from verifier.engine.normal import linear_sum
from verifier.engine.probability.families import family, raw_moment
from verifier.model.context import Context
from verifier.model.random import (
    KL,
    Corr,
    Cov,
    Density,
    E,
    Entropy,
    RandomVariable,
    Var,
    has_probability,
    table_latex,
)


class Undecidable(Exception):
    """The probability in a step cannot be given a meaning here (the step is `unknown`)."""


@dataclass(frozen=True, eq=False)
class Support:
    """A finite support: index t over 1..size, weights w[t], values[rv][t]."""

    index: sp.Symbol
    size: sp.Symbol
    weights: sp.IndexedBase
    values: dict


@dataclass
class Lowered:
    lhs: sp.Basic
    rhs: sp.Basic
    ctx: Context
    exact: bool = True  # False: the supports widen a stated independence (refutations not sound)
    notes: list[str] = field(default_factory=list)


def copy_context(ctx: Context) -> Context:
    """A copy whose dictionaries can take the supports' declarations."""
    def fresh(value):
        if isinstance(value, dict):
            return dict(value)
        return list(value) if isinstance(value, list) else value

    return dataclasses.replace(ctx, **{f.name: fresh(getattr(ctx, f.name)) for f in dataclasses.fields(ctx)})


def random_in(expr: sp.Basic, ctx: Context) -> set:
    """The random variables expr uses (the law named in a density's first slot is no use)."""
    syms: set = set()
    if expr.has(Density):
        for d in expr.atoms(Density):
            syms |= d.args[1].free_symbols
        expr = expr.xreplace({d: sp.Integer(1) for d in expr.atoms(Density)})
    return {s for s in expr.free_symbols | syms if s in ctx.random}


def refutable(ctx: Context, generic: list) -> bool:
    """May a finite joint table of these random variables with no stated law refute a step?  The context
    says so for every law (True), for none (False), or for the random variables in a set (a note: those
    the prose says nothing more of)."""
    ok = ctx.any_law_refutes
    if isinstance(ok, (set, frozenset)):
        return set(generic) <= ok
    return bool(ok)


class _Lowerer:
    def __init__(self, ctx: Context, rvs: set) -> None:
        self.ctx = ctx
        self.exact = True
        self.notes: list[str] = []
        self.supports: dict[sp.Symbol, Support] = {}
        self.index_bound: set = set()  # indices of categorical atoms that an expectation must bind
        generic = sorted((r for r in rvs if ctx.random[r].distribution.family == "generic"), key=str)
        # a stated joint table (``model.random.JointTable``) is a concrete law: its expectations are exact sums
        if generic and not refutable(ctx, generic):
            self.exact = False
        if generic and ctx.mutually_independent(generic):
            for r in generic:
                self.supports[r] = self._support(f"n_{r}", f"t_{r}", f"w_{r}", [r])
            if len(generic) > 1:
                self.notes.append("independent laws: one finite support each")
        elif generic:
            joint = self._support("n_law", "t_law", "w_law", generic)
            for r in generic:
                self.supports[r] = joint
            self.notes.append(f"any joint law of {', '.join(map(str, generic))}: a finite table")
            if any(ctx.mutually_independent([a, b]) for a in generic for b in generic if a != b):
                self.exact = False

    def _support(self, size: str, index: str, weights: str, rvs: list) -> Support:
        n = self.ctx.size(size)
        t = self.ctx.index(index, n)
        w = self.ctx.vector(weights, "probability", over=t)
        values = {r: self.ctx.vector(f"{r}_v", "real") for r in rvs}
        return Support(t, n, w, values)

    # -- definitions of the named operators ------------------------------------------------
    def law(self, x: sp.Basic) -> RandomVariable:
        if x not in self.ctx.random:
            raise Undecidable(f"{x} is not a random variable with a law")
        return self.ctx.random[x]

    def density(self, x: sp.Basic, at: sp.Basic) -> sp.Basic:
        rv = self.law(x)
        d = rv.distribution
        if d.family == "categorical":
            return self._atom_weight(x, d, at)
        fam = family(d)
        if fam is None:
            raise Undecidable(f"no density formula for the law of {x} ({rv.distribution})")
        if d.family not in ("normal", "laplace") and at not in self.ctx.random:
            # the formula holds only on the support (x > 0, a < x < b, integers): at a random variable
            # of that law it is right, at an arbitrary number it is not
            raise Undecidable(f"the density of {x} ~ {d} is built in only on its support")
        return fam.density(at, rv.distribution.params)

    def _atom_weight(self, x, d, at) -> sp.Basic:
        """p_X(Y) for a categorical X at a categorical Y on the same values and index: p[i] (inside E)."""
        vals, w, i = d.params
        if at in self.ctx.random:
            da = self.ctx.random[at].distribution
            if da.family == "categorical" and da.params[0] == vals and da.params[2] == i:
                self.index_bound.add(i)
                return w[i]
        raise Undecidable(f"the mass function of {x} is built in only at a random variable on its values")

    def entropy(self, x: sp.Basic) -> sp.Basic:
        if isinstance(x, sp.Tuple):
            return self.joint_entropy(x)
        rv = self.law(x)
        d = rv.distribution
        if d.family == "categorical":
            _vals, w, i = d.params
            return -self._finite_sum(w[i] * sp.log(w[i]), i)
        if d.family == "generic":
            s = self.supports[x]
            if len(set(s.values)) > 1:
                raise Undecidable(f"the entropy of {x} alone is not a sum over a joint table")
            return -linear_sum(sp.Sum(s.weights[s.index] * sp.log(s.weights[s.index]), (s.index, 1, s.size)))
        if d.family == "table":
            return self.table_entropy(x, d)
        if d.family in ("binomial", "poisson"):
            raise Undecidable(f"the entropy of a {d.family} law has no closed form")
        return self.expect(-sp.log(self.density(x, x)))

    def table_entropy(self, x: sp.Basic, d) -> sp.Basic:
        """H(X) for X of a stated joint table: -sum m log m over X's marginal masses, exactly."""
        names, rows, weights = d.params
        k = names.index(x)
        marginal: dict = {}
        for row, w in zip(rows, weights):
            marginal[row[k]] = marginal.get(row[k], 0) + w
        note = "the stated joint table: " + table_latex(d)
        if note not in self.notes:
            self.notes.append(note)
        return -sp.Add(*(m * sp.log(m) for m in marginal.values() if m != 0))

    def joint_entropy(self, xs: sp.Tuple) -> sp.Basic:
        """H(X, Y) for random variables of one stated joint table: -sum m log m over their joint masses, exactly."""
        laws = {self.law(r).distribution for r in xs}
        d = next(iter(laws))
        if len(laws) != 1 or d.family != "table" or len(set(xs)) != len(xs):
            raise Undecidable(f"the joint entropy of {', '.join(map(str, xs))} needs their stated joint table")
        names, rows, weights = d.params
        ks = [names.index(r) for r in xs]
        joint: dict = {}
        for row, w in zip(rows, weights):
            key = tuple(row[k] for k in ks)
            joint[key] = joint.get(key, 0) + w
        note = "the stated joint table: " + table_latex(d)
        if note not in self.notes:
            self.notes.append(note)
        return -sp.Add(*(m * sp.log(m) for m in joint.values() if m != 0))

    def kl(self, x: sp.Basic, y: sp.Basic) -> sp.Basic:
        dx, dy = self.law(x).distribution, self.law(y).distribution
        if dx.family == dy.family == "categorical" and dx.params[2] == dy.params[2]:
            _v, p, i = dx.params
            _v2, q, _ = dy.params
            if dx.params[0] != dy.params[0]:
                raise Undecidable("KL between categorical laws on different values")
            return self._finite_sum(p[i] * sp.log(p[i] / q[i]), i)
        same_support = {"normal", "laplace"}
        if not ((dx.family in same_support and dy.family in same_support)
                or (dx.family == dy.family and dx.family in ("exponential", "poisson", "bernoulli"))):
            raise Undecidable(f"KL between a {dx.family} and a {dy.family} law is not built in")
        return self.expect(sp.log(self.density(x, x)) - sp.log(self.density(y, x)))

    def definitions(self, expr: sp.Basic) -> sp.Basic:
        """Var, Cov, Corr, H, KL and densities in terms of E."""
        return expr.replace(
            lambda e: isinstance(e, (Var, Cov, Corr, Entropy, KL, Density)), self._define)

    def _define(self, e: sp.Basic) -> sp.Basic:
        if isinstance(e, Var):
            f = e.args[0]
            return E((f - E(f))**2)
        if isinstance(e, Cov):
            f, g = e.args
            return E((f - E(f)) * (g - E(g)))
        if isinstance(e, Corr):
            f, g = e.args
            return self._define(Cov(f, g)) / sp.sqrt(E((f - E(f))**2) * E((g - E(g))**2))
        if isinstance(e, Density):
            if self.law(e.args[0]).distribution.family == "categorical":
                return e  # a mass at an atom: given its weight when the expectation sums the atoms
            return self.density(*e.args)
        if isinstance(e, Entropy):
            return self.entropy(e.args[0])
        return self.kl(*e.args)

    # -- expectations ------------------------------------------------------------------------
    def lower(self, expr: sp.Basic) -> sp.Basic:
        out = self.definitions(expr)
        out = out.replace(lambda e: isinstance(e, E), lambda e: self.expect(e.args[0]))
        left = random_in(out, self.ctx)
        if left:
            raise Undecidable("a random variable outside an expectation: " + ", ".join(sorted(map(str, left))))
        if out.has(Density) or self.index_bound & out.free_symbols:
            raise Undecidable("a mass function of a random variable outside an expectation")
        return out

    def expect(self, f: sp.Basic) -> sp.Basic:
        rvs = random_in(f, self.ctx)
        if not rvs:
            return f
        tables = {self.ctx.random[r].distribution for r in rvs if self.ctx.random[r].distribution.family == "table"}
        if tables:
            if len(tables) > 1 or any(self.ctx.random[r].distribution.family != "table" for r in rvs):
                raise Undecidable(f"E[{sp.sstr(f)}]: random variables of a stated joint table meet others")
            return self.over_table(next(iter(tables)), f)
        if len(rvs) == 1:
            (r,) = rvs
            return self.single(r, f)
        shared = {self.supports.get(r) for r in rvs}
        if len(shared) == 1 and None not in shared:
            return self.over_support(next(iter(shared)), f)
        return sp.Add(*(self.product_term(t) for t in sp.Add.make_args(sp.expand(f))))

    def product_term(self, term: sp.Basic) -> sp.Basic:
        groups: dict = {}
        const = []
        for fac in sp.Mul.make_args(term):
            rs = random_in(fac, self.ctx)
            if not rs:
                const.append(fac)
                continue
            if len(rs) > 1:
                raise Undecidable(f"E[{sp.sstr(term)}]: {sp.sstr(fac)} mixes random variables whose joint law is not given")
            (r,) = rs
            groups.setdefault(r, []).append(fac)
        if len(groups) > 1 and not self.ctx.mutually_independent(groups):
            names = ", ".join(sorted(map(str, groups)))
            raise Undecidable(f"E[{sp.sstr(term)}] needs the joint law of {names} (no independence is stated)")
        out = sp.Mul(*const)
        for r, facs in groups.items():
            out *= self.single(r, sp.Mul(*facs))
        return out

    def over_table(self, d, f: sp.Basic) -> sp.Basic:
        """E[f] under a stated joint table: the finite sum over its rows, exactly."""
        names, rows, weights = d.params
        note = "the stated joint table: " + table_latex(d)
        if note not in self.notes:
            self.notes.append(note)
        return sp.Add(*(w * f.xreplace(dict(zip(names, row))) for row, w in zip(rows, weights) if w != 0))

    def over_support(self, s: Support, f: sp.Basic) -> sp.Basic:
        sub = {r: v[s.index] for r, v in s.values.items()}
        return linear_sum(sp.Sum(s.weights[s.index] * f.xreplace(sub), (s.index, 1, s.size)))

    def _finite_sum(self, body: sp.Basic, i: sp.Symbol) -> sp.Basic:
        r = self.ctx.indices.get(i)
        if r is None:
            raise Undecidable(f"the index {i} of a categorical law is not declared")
        return linear_sum(sp.Sum(body, (i, r.lo, r.hi)))

    def single(self, r: sp.Symbol, f: sp.Basic) -> sp.Basic:
        d = self.ctx.random[r].distribution
        if d.family == "generic":
            return self.over_support(self.supports[r], f)
        if d.family == "table":
            return self.over_table(d, f)
        if d.family == "categorical":
            vals, w, i = d.params
            if i in f.free_symbols and f.free_symbols & set(self.ctx.random) - {r}:
                raise Undecidable(f"E[{sp.sstr(f)}]: the atoms of {r} meet another random variable")
            f = f.replace(lambda e: isinstance(e, Density), lambda e: self.density(*e.args))
            return self._finite_sum(w[i] * f.xreplace({r: vals[i]}), i)
        fam = family(d)
        if fam is None:
            raise Undecidable(f"no expectations for the law {d} of {r}")
        law = f"{r} ~ {d}"
        if law not in self.notes:
            self.notes.append(law)
        if fam.atoms is not None:
            try:
                atoms = fam.atoms(d.params)
            except ValueError as exc:
                raise Undecidable(str(exc)) from None
            return sp.Add(*(p * f.xreplace({r: v}) for v, p in atoms))
        if fam.standard is not None:
            return self._standard(r, f, fam, d)
        return self._moments(r, f, fam, d)

    def _standard(self, r, f, fam, d) -> sp.Basic:
        loc, scale = fam.standard(d.params)
        z = sp.Dummy("z", real=True)
        g = f.xreplace({r: loc + scale * z})
        if d.family in ("exponential", "uniform"):
            z = sp.Dummy("z", positive=True)  # the standard variable is positive on its support
            g = f.xreplace({r: loc + scale * z})
        g = sp.expand(sp.expand_log(g, deep=True))
        a = sp.Dummy("a", nonnegative=True)
        g = g.replace(lambda e: isinstance(e, sp.Abs) and e.args[0].has(z), lambda e: _abs_of(e, z, a))
        try:
            poly = sp.Poly(g, z, a)
        except sp.PolynomialError:
            raise Undecidable(f"no closed form for E[{sp.sstr(f)}] with {r} ~ {d}") from None
        if poly.free_symbols & {z, a} - set(poly.gens) or any(c.has(z, a) for c in poly.coeffs()):
            raise Undecidable(f"no closed form for E[{sp.sstr(f)}] with {r} ~ {d}")
        return sp.Add(*(c * fam.std_moment(j, k) for (j, k), c in poly.terms()))

    def _moments(self, r, f, fam, d) -> sp.Basic:
        g = sp.expand(f)
        try:
            poly = sp.Poly(g, r)
        except sp.PolynomialError:
            raise Undecidable(f"no closed form for E[{sp.sstr(f)}] with {r} ~ {d}") from None
        if any(c.has(r) for c in poly.coeffs()):
            raise Undecidable(f"no closed form for E[{sp.sstr(f)}] with {r} ~ {d}")
        return sp.Add(*(c * raw_moment(fam, d.params, k) for (k,), c in poly.terms()))


def _abs_of(e: sp.Abs, z: sp.Symbol, a: sp.Symbol) -> sp.Basic:
    """|c z| -> |c| a for a factor free of z; anything else stays (and is refused later)."""
    arg = sp.factor_terms(e.args[0])
    c, rest = arg.as_independent(z, as_Add=False)
    if rest == z:
        return sp.Abs(c) * a
    return e


def lower_problem(lhs: sp.Basic, rhs: sp.Basic, ctx: Context) -> Lowered:
    """Both sides with probability replaced by sums and closed forms, in a widened context."""
    ctx2 = copy_context(ctx)
    rvs = random_in(lhs, ctx) | random_in(rhs, ctx)
    lw = _Lowerer(ctx2, rvs)
    a, b = lw.lower(lhs), lw.lower(rhs)
    return Lowered(a, b, ctx2, lw.exact, lw.notes)


__all__ = ["Lowered", "Undecidable", "copy_context", "has_probability", "lower_problem", "random_in", "refutable"]
