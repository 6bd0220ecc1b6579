"""Dirac delta integrals: sifting, and a finite sum exchanged with the integral.

The empirical distribution of seed 003 is ``q(y) = 1/I sum_i delta(y - y_i)``; integrating
it against a function needs two facts, both sound rewrites:

* **sifting**: ``int_a^b delta(y - c) g(y) dy = g(c)`` when ``c`` lies strictly inside
  ``(a, b)`` (always, for a real ``c`` and the whole real line) and ``g`` holds no other delta
  of ``y``; a delta ``delta(k y - c)`` with a nonzero constant ``k`` is ``delta(y - c/k)/|k|``;
* **linearity**: constant factors leave the integral, an integral of a sum is the sum of the
  integrals, and a finite sum ``sum_{i=lo}^{hi}`` inside the integrand leaves it.

Linearity is applied only where every resulting integral then sifts: splitting an integral
whose parts do not each exist (``int (f - f)`` with ``int f`` divergent) would be unsound,
and sifting integrals always exist.  Functions multiplying a delta are taken to be
continuous at its point (models and densities in the notes are).  Anything else is left as
written, so a wrong step stays unproved and numeric evaluation (SymPy integrates deltas at
concrete points) refutes it.
"""
from __future__ import annotations

import sympy as sp

from verifier.engine.rules.registry import rule


def _delta_point(d: sp.Basic, y: sp.Symbol) -> tuple[sp.Basic, sp.Basic] | None:
    """For delta(k y - c): (c/k, 1/|k|) if k is a nonzero constant, else None."""
    if not isinstance(d, sp.DiracDelta) or len(d.args) != 1:
        return None  # derivatives of the delta (two arguments) are not sifted
    arg = sp.expand(d.args[0])
    k = arg.coeff(y, 1)
    rest = sp.expand(arg - k * y)
    if k == 0 or k.has(y) or rest.has(y) or not k.is_real or not k.is_nonzero:
        return None
    return -rest / k, 1 / abs(k)


def _inside(c: sp.Basic, lo: sp.Basic, hi: sp.Basic) -> bool:
    """Is c (a real, finite value) strictly between lo and hi?"""
    if c.is_real is not True:  # SymPy's real means finite and real
        return False
    left = lo == -sp.oo or bool((c - lo).is_positive)
    right = hi == sp.oo or bool((hi - c).is_positive)
    return left and right


def sift_term(term: sp.Basic, y: sp.Symbol, lo: sp.Basic, hi: sp.Basic) -> sp.Basic | None:
    """int_lo^hi term dy for a product term with exactly one delta of y, or None."""
    factors = sp.Mul.make_args(term)
    deltas = [f for f in factors if isinstance(f, sp.DiracDelta) and f.has(y)]
    if len(deltas) != 1:
        return None
    rest = sp.Mul(*[f for f in factors if f is not deltas[0]])
    if rest.has(sp.DiracDelta) and any(d.has(y) for d in rest.atoms(sp.DiracDelta)):
        return None
    if rest.has(sp.Heaviside, sp.Integral, sp.Derivative):
        return None
    found = _delta_point(deltas[0], y)
    if found is None:
        return None
    c, scale = found
    if not _inside(c, lo, hi):
        return None
    return scale * rest.xreplace({y: c})


def _pull_sums(expr: sp.Basic, y: sp.Symbol) -> sp.Basic:
    """Move finite sums out of a product: a * Sum(g, i) -> Sum(a * g, i) (fresh index if needed)."""
    factors = list(sp.Mul.make_args(expr))
    for k, f in enumerate(factors):
        if isinstance(f, sp.Sum) and f.has(y):
            others = sp.Mul(*(factors[:k] + factors[k + 1:]))
            body, limits = f.function, list(f.limits)
            for n, (i, a, b) in enumerate(limits):
                if others.has(i):
                    j = sp.Dummy(i.name, **i.assumptions0)
                    body = body.xreplace({i: j})
                    limits[n] = (j, a, b)
            return sp.Sum(_pull_sums(sp.expand(others * body), y), *limits)
    return expr


def sift_integral(e: sp.Integral) -> sp.Basic:
    """Evaluate an integral of deltas times functions by linearity and sifting, else e."""
    if len(e.limits) != 1 or len(e.limits[0]) != 3:
        return e
    y, lo, hi = e.limits[0]
    if not e.function.has(sp.DiracDelta):
        return e

    def integrate(f: sp.Basic) -> sp.Basic | None:
        f = sp.expand(f)
        out = []
        for term in sp.Add.make_args(f):
            t = _pull_sums(term, y)
            if isinstance(t, sp.Sum):
                inner = integrate(t.function)
                if inner is None:
                    return None
                out.append(sp.Sum(inner, *t.limits))
                continue
            coeff, dep = t.as_independent(y, as_Add=False)
            if isinstance(dep, sp.Add):
                inner = integrate(dep)
                if inner is None:
                    return None
                out.append(coeff * inner)
                continue
            if dep.has(sp.Sum):
                return None
            s = sift_term(dep, y, lo, hi)
            if s is None:
                return None
            out.append(coeff * s)
        return sp.Add(*out)

    result = integrate(e.function)
    return e if result is None else result


@rule
def dirac_sifting(expr: sp.Basic, ctx) -> sp.Basic:
    """Apply linearity and sifting to every integral holding a Dirac delta."""
    if not expr.has(sp.DiracDelta) or not expr.has(sp.Integral):
        return expr
    return expr.replace(lambda x: isinstance(x, sp.Integral) and x.function.has(sp.DiracDelta), sift_integral)
