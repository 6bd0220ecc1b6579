"""Steps between constants (no free symbol): decided exactly, or by evaluation at increasing
precision, never by "agreement at many points" of one and the same number.

* Both sides rational (integers, fractions, written decimals read as exact decimals): exact
  comparison, ``proved`` or ``refuted`` with the exact difference.
* Otherwise SymPy's exact simplification of the difference may prove it 0.
* Otherwise both sides are evaluated at 30, 60, 120 and 240 digits: a difference that persists
  (the same leading digits at the two highest precisions, far above their rounding) refutes; a
  difference that shrinks with the precision is agreement, ``checked`` (evidence, not proof).

A decimal written with ``=`` for a value that is not exactly that decimal is refuted with the
difference and a hint to write ``\\approx``.
"""
from __future__ import annotations

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef

from verifier.engine.proofs import prove_relation
from verifier.model.chain import EQ, GE, GT, LE, LT
from verifier.model.context import Context
from verifier.model.results import CHECKED, PROVED, REFUTED, UNKNOWN, Verdict

#: the precisions (decimal digits) of the evaluation ladder
LADDER = (30, 60, 120, 240)

_HOLDS = {EQ: lambda d: d == 0, LE: lambda d: d <= 0, GE: lambda d: d >= 0, LT: lambda d: d < 0, GT: lambda d: d > 0}

_SIGN = {EQ: "=", LE: "\\le", GE: "\\ge", LT: "<", GT: ">"}


def is_constant(expr: sp.Basic) -> bool:
    """No free symbol, no unknown function, no indexed entry: one number."""
    return (not expr.free_symbols and not expr.atoms(AppliedUndef) and not expr.atoms(sp.Indexed)
            and isinstance(expr, sp.Expr))


def exact_floats(expr: sp.Expr) -> sp.Expr:
    """Every Float as the exact decimal it prints as (0.1 is 1/10, not the nearest binary float)."""
    floats = expr.atoms(sp.Float)
    return expr.xreplace({f: sp.Rational(str(f)) for f in floats}) if floats else expr


def _concrete(expr: sp.Expr) -> sp.Expr:
    """Sums and products with numeric limits written out; derivatives, integrals, limits done."""
    if expr.has(sp.Sum, sp.Product, sp.Derivative, sp.Integral, sp.Limit):
        return expr.doit()
    return expr


def _written_decimal(expr: sp.Expr) -> bool:
    """Does expr hold a fraction whose denominator is a power of 10 (a decimal as written)?"""
    for r in expr.atoms(sp.Rational):
        q = int(r.q)
        if q == 1 or (abs(int(r.p)) == 1 and 10 ** (len(str(q)) - 1) == q):
            continue  # an integer, or 10^{-k} as written
        while q % 2 == 0:
            q //= 2
        while q % 5 == 0:
            q //= 5
        if q == 1:
            return True
    return False


def _fmt(x) -> str:
    return mpmath.nstr(x, 6) if isinstance(x, mpmath.mpf) else sp.sstr(x)


#: the hint to write \\approx (public: a note drops it when its LaTeX writes no decimal, notes.decisions)
APPROX_HINT = "; a decimal written with = must be the exact value: write \\approx for an approximation"


def approx_hint(a: sp.Expr, b: sp.Expr) -> str:
    """The hint to write \\approx when a side holds a fraction a decimal can write (else '')."""
    if _written_decimal(a) or _written_decimal(b):
        return APPROX_HINT
    return ""


def decide_constant(a: sp.Basic, b: sp.Basic, relation: str, ctx: Context | None = None) -> Verdict | None:
    """The verdict of a step between two constants, or None when a side is not a constant."""
    if relation not in _HOLDS or not (is_constant(a) and is_constant(b)):
        return None
    a, b = _concrete(a), _concrete(b)
    if not (is_constant(a) and is_constant(b)):
        return None
    a, b = exact_floats(a), exact_floats(b)
    d = a - b
    if d.is_Rational or (a.is_Rational and b.is_Rational):
        d = sp.Rational(d)
        if _HOLDS[relation](d):
            return Verdict(PROVED, "exact arithmetic", f"lhs - rhs = {sp.sstr(d)} exactly")
        return Verdict(REFUTED, "exact arithmetic",
                       f"the two sides are different numbers: lhs - rhs = {sp.sstr(d)} exactly"
                       + ("" if d.is_Integer else f" (about {_fmt(mpmath.mpf(sp.Float(d, 20)))})")
                       + approx_hint(a, b),
                       {"lhs": sp.sstr(a), "rhs": sp.sstr(b), "lhs - rhs": sp.sstr(d)})
    if relation == EQ:
        try:
            if sp.simplify(d) == 0:
                return Verdict(PROVED, "exact simplification", "lhs - rhs simplifies to 0")
        except (TypeError, ValueError, ZeroDivisionError, NotImplementedError, AttributeError):
            pass
    verdict = _ladder(a, b, relation)
    if verdict is not None and verdict.status != REFUTED and ctx is not None:
        method = prove_relation(a, b, relation, ctx)  # 8 log 2 > 5 log 3: a symbolic sign argument
        if method:
            return Verdict(PROVED, method, verdict.message.replace("; evaluation, not proof", "")
                           .replace(" (evaluation, not proof)", ""))
    return verdict


def _at(expr: sp.Expr, dps: int):
    v = sp.N(expr, dps)
    if not v.is_number or v.has(sp.nan, sp.zoo) or v in (sp.oo, -sp.oo):
        return None
    re, im = v.as_real_imag()
    with mpmath.workdps(dps):
        r, i = +mpmath.mpf(sp.Float(re, dps)), +mpmath.mpf(sp.Float(im, dps))
    if abs(i) > mpmath.mpf(10) ** (-(dps // 2)) * max(1, abs(r)):
        return None
    return r


def _ladder(a: sp.Expr, b: sp.Expr, relation: str) -> Verdict | None:
    diffs = []
    for dps in LADDER:
        try:
            va, vb = _at(a, dps), _at(b, dps)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            return None
        if va is None or vb is None:
            return None
        with mpmath.workdps(dps):
            diffs.append((dps, va - vb, max(abs(va), abs(vb), mpmath.mpf(1))))
    (d1p, d1, s1), (d2p, d2, s2) = diffs[-2], diffs[-1]
    noise1 = s1 * mpmath.mpf(10) ** (-(d1p - 10))
    noise2 = s2 * mpmath.mpf(10) ** (-(d2p - 10))
    persists = abs(d2) > noise2 and abs(d1) > noise1 and abs(d1 - d2) <= abs(d2) * mpmath.mpf(10) ** -8
    shrinks = abs(d2) <= noise2 and all(abs(d) <= s * mpmath.mpf(10) ** (-(p // 2)) for p, d, s in diffs[1:])
    evidence = ", ".join(f"{p} digits: {mpmath.nstr(d, 3)}" for p, d, _ in diffs)
    if persists:
        sign = 0 if d2 == 0 else (1 if d2 > 0 else -1)
        if _HOLDS[relation](sign):
            return Verdict(CHECKED, "numeric (increasing precision)",
                           f"lhs - rhs = {mpmath.nstr(d2, 12)}, the same at {d1p} and {d2p} digits "
                           f"(evaluation, not proof)")
        return Verdict(REFUTED, "numeric (increasing precision)",
                       f"the two sides are different numbers: lhs - rhs = {mpmath.nstr(d2, 12)}, the same "
                       f"at {d1p} and {d2p} digits{approx_hint(a, b)}",
                       {"lhs": sp.sstr(a), "rhs": sp.sstr(b), "lhs - rhs": mpmath.nstr(d2, 12)})
    if shrinks:
        if relation in (LT, GT):
            return Verdict(UNKNOWN, "numeric (increasing precision)",
                           f"the two sides agree to {d2p} digits (the difference shrinks with the precision: "
                           f"{evidence}): a strict inequality between them cannot be seen numerically")
        return Verdict(CHECKED, "numeric (increasing precision)",
                       f"the two sides agree to {d2p} digits, the difference shrinking with the precision "
                       f"({evidence}); evaluation, not proof")
    return None
