"""Infinite series at a sample point: summed by mpmath, only where the terms show convergence.

SymPy's ``evalf`` of an infinite ``Sum`` is unreliable once the point's values are Floats:
``Sum(exp(-0.5*x)/x!, (x, 0, oo))`` evaluates to 1 (the true value is exp(exp(-1/2)) = 1.834...),
which refuted the right step ``ln sum_{x>=0} e^{eta x}/x! = e^eta``.  Here a one-index series whose
summand is a number once the index is fixed is summed by ``mpmath.nsum`` (with its convergence
acceleration), and only after its terms pass a convergence test; extrapolation alone would happily
"sum" a divergent series (1 - 1 + 1 ... = 1/2, 1 + 2 + 4 ... = -1).

The test: the terms at large indices fall geometrically (ratio test, |a(k+1)/a(k)| < 0.98 at k = 4096;
summed term by term to the precision), or like k^-p with p >= 1.25 (|a(2k)| / |a(k)| <= 2^-1.25 at k = 1024 and 4096; the
harmonic series, p = 1, fails it).  A series that fails is no number here: `NotConvergent`, which
the evidence treats as an evaluation failure, never as a counterexample.
"""
from __future__ import annotations

import mpmath
import sympy as sp

_RATIO = mpmath.mpf("0.98")
_POWER = mpmath.mpf(2) ** mpmath.mpf("-1.25")
_FAR = (1024, 4096)
_MAX_TERMS = 20000


class NotConvergent(ValueError):
    """The terms of a series do not show convergence at the point."""


def is_infinite_series(e: sp.Basic) -> bool:
    """A one-index Sum with an infinite upper limit and a finite integer lower limit."""
    if not isinstance(e, sp.Sum) or len(e.limits) != 1:
        return False
    k, lo, hi = e.limits[0]
    return hi == sp.oo and lo.is_Integer


def _decay(term, lo: int) -> str | None:
    """'ratio' (geometric or faster), 'power' (k^-p with p > 1), 'zero' (terms vanish), or None."""
    def mag(k: int):
        return abs(term(mpmath.mpf(k)))

    try:
        far = [(lo + f, mag(lo + f)) for f in _FAR]
        if all(m == 0 for _, m in far):
            return "zero"  # a series whose terms vanish from some index on (a finite sum in disguise)
        if any(m == 0 for _, m in far):
            return None
        k, m = far[-1]
        if mag(k + 1) < _RATIO * m:
            return "ratio"  # the tail falls geometrically (terms may peak late: summed one by one)
        if all(mag(2 * k) <= _POWER * m for k, m in far):
            return "power"
    except (ZeroDivisionError, OverflowError, ValueError, TypeError):
        return None
    return None


def _direct(term, lo: int, dps: int):
    """Terms added one by one until they fall below the precision, falling geometrically (ratio case)."""
    tol = mpmath.mpf(10) ** (-(dps + 5))
    total, prev = mpmath.mpf(0), None
    for k in range(lo, lo + _MAX_TERMS):
        a = term(mpmath.mpf(k))
        total += a
        if prev is not None and k > lo + 8 and abs(a) <= tol * max(abs(total), tol) and abs(a) < _RATIO * abs(prev):
            return total
        prev = a
    raise NotConvergent(f"an infinite series that needs more than {_MAX_TERMS} terms at the point")


def _extrapolated(term, lo: int, dps: int):
    """mpmath's accelerated sum (power case), cross-checked: the sum from lo and the first 100 terms
    plus the sum from lo + 100 must agree to the precision."""
    a = mpmath.nsum(term, [lo, mpmath.inf])
    b = mpmath.fsum(term(mpmath.mpf(k)) for k in range(lo, lo + 100)) + mpmath.nsum(term, [lo + 100, mpmath.inf])
    if abs(a - b) > mpmath.mpf(10) ** (-(dps // 2)) * max(1, abs(a)):
        raise NotConvergent("an infinite series whose accelerated sums disagree at the point")
    return a


def series_value(s: sp.Sum, dps: int) -> sp.Float:
    """The value of an infinite series whose summand is numeric but for its index, at dps digits."""
    k, lo, _ = s.limits[0]
    body = s.function
    if body.free_symbols - {k}:
        raise NotConvergent("a series whose terms are not numbers at the point")
    with mpmath.workdps(dps + 10):
        try:
            term = sp.lambdify(k, body, modules="mpmath")
        except Exception as exc:  # noqa: BLE001 - a summand lambdify cannot print
            raise NotConvergent(f"a series whose terms cannot be evaluated ({type(exc).__name__})") from exc
        decay = _decay(term, int(lo))
        if decay is None:
            raise NotConvergent("an infinite series whose terms do not show convergence at the point")
        try:
            v = _direct(term, int(lo), dps) if decay != "power" else _extrapolated(term, int(lo), dps)
        except (ZeroDivisionError, OverflowError, ValueError, TypeError) as exc:
            raise NotConvergent(f"an infinite series that could not be summed ({type(exc).__name__})") from exc
        if isinstance(v, mpmath.mpc):
            if abs(v.imag) > mpmath.mpf(10) ** (-(dps // 2)) * max(1, abs(v.real)):
                raise NotConvergent("an infinite series with a complex value")
            v = v.real
        if not mpmath.isfinite(v):
            raise NotConvergent("an infinite series without a finite value")
        return sp.Float(mpmath.nstr(v, dps + 5), dps + 5)


def sum_series(e: sp.Basic, dps: int) -> sp.Basic:
    """e with every infinite series whose terms are numbers replaced by its value (innermost first)."""
    if not e.has(sp.Sum):
        return e
    return e.replace(lambda x: is_infinite_series(x) and not (x.function.free_symbols - {x.limits[0][0]}),
                     lambda x: series_value(x, dps))
