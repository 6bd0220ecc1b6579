"""Numeric evidence: a relation compared at sampled points inside the domains (refutations
confirmed at higher precision, isolated singularities skipped), and the order of candidates of
an optimisation step."""
from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

import mpmath
import sympy as sp

from verifier.engine import numeric
from verifier.engine.constants import approx_hint
from verifier.engine.expand import rectangular_ranges
from verifier.engine.problem import (
    MIN_EVIDENCE,
    NUMERIC_POINTS,
    NUMERIC_SECONDS,
    ORDER_CANDIDATES,
    ORDER_PAIRS,
    depends_on,
)
from verifier.model.context import Context


@dataclass
class NumericOutcome:
    kind: str  # 'refuted' | 'agree' | 'inconclusive'
    points: int = 0
    counterexample: dict | None = None
    message: str = ""


def numeric_relation(a: sp.Basic, b: sp.Basic, relation: str, ctx: Context, seed: int,
                      count: int = NUMERIC_POINTS) -> NumericOutcome:
    a, b = rectangular_ranges(a), rectangular_ranges(b)  # triangular sums, written out when sampled
    sampler = numeric.Sampler(ctx, [a, b], seed)
    agree = skipped = failed = 0  # skipped: outside the domain of definition; failed: no value by the method
    reasons: list[str] = []
    agreeing: list[tuple] = []  # (point, lhs, rhs) where the sides agreed at the working precision
    started = time.thread_time()  # CPU time: the points sampled do not depend on load
    apart: NumericOutcome | None = None  # a failure found only where the note's sizes differ
    for point, (ca, cb) in sampler.points(count):
        if agree >= MIN_EVIDENCE and time.thread_time() - started > NUMERIC_SECONDS:
            break
        va, ea = try_value(ca, point)
        vb, eb = try_value(cb, point)
        if ea and eb:
            if undefined_value(ea) or undefined_value(eb):
                skipped += 1
            else:
                failed += 1
            reasons.append(ea)
            continue
        if (ea or eb) and not undefined_value(ea or eb):
            failed += 1  # an evaluation failure (TypeError, no value by quadrature) is no counterexample
            reasons.append(ea or eb)
            continue
        if ea or eb:  # one side is a real number, the other is not defined there
            # an undefined value may be precision loss (1 - sigma(150) is 0 at 60 digits):
            # it counts only if it stays undefined at 60 and at 250 digits
            va2, ea2 = try_value(ca, point, numeric.CONFIRM_DPS)
            vb2, eb2 = try_value(cb, point, numeric.CONFIRM_DPS)
            if bool(ea2) != bool(eb2):
                va3, ea3 = try_value(ca, point, numeric.DEEP_DPS)
                vb3, eb3 = try_value(cb, point, numeric.DEEP_DPS)
                if bool(ea3) == bool(eb3) or bool(ea3) != bool(ea2):
                    skipped += 1
                    continue
            if bool(ea2) != bool(eb2) and _isolated_singularity(ca, cb, point, ctx):
                skipped += 1  # removable: (x^2-1)/(x-1) vs x+1 at x = 1 is no counterexample
                continue
            if bool(ea2) != bool(eb2):
                side, val, err = ("rhs", va2, eb2) if eb2 else ("lhs", vb2, ea2)
                other = "lhs" if side == "rhs" else "rhs"
                cex = point.describe({other: numeric.number_text(val, 15), side: "undefined"})
                found = NumericOutcome("refuted", agree, cex,
                                       f"{side} is not a real number at a point inside the domains where "
                                       f"{other} = {numeric.number_text(val, 15)} ({err})")
                if numeric.sizes_tied(ctx, point.sizes):
                    return found
                apart = apart or found
            skipped += 1
            continue
        if numeric.holds(relation, va, vb, numeric.WORK_DPS):
            agree += 1
            agreeing.append((point, ca, cb))
            continue
        try:  # confirm at higher precision; values that do not settle are rounding noise of 0
            va2 = numeric.confirmed_value(ca, point)
            vb2 = numeric.confirmed_value(cb, point)
        except numeric.NotNumeric:
            failed += 1
            continue
        if not numeric.holds(relation, va2, vb2, numeric.CONFIRM_DPS):
            cex = point.describe({"lhs": numeric.number_text(va2, 15), "rhs": numeric.number_text(vb2, 15)})
            found = NumericOutcome("refuted", agree, cex,
                                   f"fails at a point inside the domains: lhs = {numeric.number_text(va2, 15)}, "
                                   f"rhs = {numeric.number_text(vb2, 15)}")
            if numeric.sizes_tied(ctx, point.sizes):
                return found
            apart = apart or found  # only where two sizes differ: see below
            continue
        agree += 1
    if apart is not None:  # two letters of the note may name one size (n and m): no refutation, no agreement
        names = ", ".join(sorted(str(k) for k in ctx.sizes))
        return NumericOutcome("inconclusive", agree, None,
                              f"it holds where the sizes {names} are equal and fails where they differ "
                              f"({'; '.join(f'{k} = {v}' for k, v in apart.counterexample.items())}): "
                              f"the step is right only if they are one size")
    if agree < MIN_EVIDENCE:  # a few agreeing points are no evidence
        why = reasons[0] if reasons else "no sample points"
        return NumericOutcome("inconclusive", agree, None, f"numeric evaluation impossible: {why}"
                              if agree == 0 else f"only {agree} sample points are inside the domain "
                              f"of definition ({why})")
    confirmed = confirm_agreement(agreeing, relation)
    if isinstance(confirmed, NumericOutcome):
        confirmed.points = agree
        if confirmed.kind == "refuted":
            confirmed.message += approx_hint(a, b)
        return confirmed
    aside = ([f"{skipped} points outside the domain of definition"] if skipped else []) + \
        ([f"{failed} points where a side could not be evaluated"] if failed else [])
    msg = f"agrees at {agree} points" + (f" ({'; '.join(aside)})" if aside else "")
    msg += f", confirmed at {CONFIRM_LADDER[0]} digits (at {CONFIRM_LADDER[1]} where needed) at {confirmed} of them"
    return NumericOutcome("agree", agree, None, msg)


#: agreement seen at the working precision is confirmed at these two higher precisions
CONFIRM_LADDER = (60, 120)
CONFIRM_POINTS = 8  # agreeing points re-evaluated there


def _gap(relation: str, va, vb):
    """How far `va relation vb` is from holding (0 when it holds strictly enough)."""
    if relation == "=":
        return abs(va - vb)
    if relation in ("<=", "<"):
        return max(va - vb, mpmath.mpf(0))
    return max(vb - va, mpmath.mpf(0))


def confirm_agreement(agreeing: list[tuple], relation: str) -> int | NumericOutcome:
    """Agreement at the working precision, confirmed at higher precision.

    At each of up to CONFIRM_POINTS agreeing points both sides are evaluated at 60 digits; the
    step's gap (|lhs - rhs| for =, the amount an inequality fails by otherwise) must be within
    the rounding of 60 digits (50 significant digits).  Where it is not, 120 digits decide: a
    gap that shrinks (within 60 digits, or 1000 times smaller) is rounding noise; a gap that
    stays the same at 60 and 120 digits is a real difference (``1 + 10^{-20} x = x`` agrees at 30
    digits) and refutes; anything else is no evidence (inconclusive).  Returns the number of
    points confirmed.
    """
    lo_dps, hi_dps = CONFIRM_LADDER
    confirmed = 0
    started = time.monotonic()
    for point, ca, cb in agreeing[:CONFIRM_POINTS]:
        if confirmed >= 2 and time.monotonic() - started > NUMERIC_SECONDS / 4:
            break  # slow evaluations (integrals): two confirmed points are enough
        try:
            va1, vb1 = numeric.value(ca, point, lo_dps), numeric.value(cb, point, lo_dps)
        except numeric.NotNumeric:
            continue
        if any(mpmath.isinf(v) for v in (va1, vb1)):
            if numeric.holds(relation, va1, vb1, lo_dps):
                confirmed += 1
            continue
        with mpmath.workdps(hi_dps):
            g1 = _gap(relation, va1, vb1)
            if g1 <= max(abs(va1), abs(vb1), mpmath.mpf(10) ** -30) * mpmath.mpf(10) ** (-(lo_dps - 10)):
                confirmed += 1
                continue
        try:
            va2, vb2 = numeric.value(ca, point, hi_dps), numeric.value(cb, point, hi_dps)
        except numeric.NotNumeric:
            continue
        if any(mpmath.isinf(v) for v in (va2, vb2)):
            if numeric.holds(relation, va2, vb2, hi_dps):
                confirmed += 1
            continue
        with mpmath.workdps(hi_dps):
            g2 = _gap(relation, va2, vb2)
            scale = max(abs(va2), abs(vb2), mpmath.mpf(10) ** -30)
            noise = scale * mpmath.mpf(10) ** (-(hi_dps // 2))
            if g2 <= noise or g2 * 1000 <= g1:
                confirmed += 1
                continue
            persists = abs(g1 - g2) <= g2 * mpmath.mpf(10) ** -6 and g2 > scale * mpmath.mpf(10) ** (-(lo_dps // 2))
            # a sampled function is evaluated two ways (mpmath, and SymPy with 20-digit coefficients):
            # a gap far below the working precision may be theirs, so it refutes only without them
            if persists and not point.functions:
                cex = point.describe({"lhs": numeric.number_text(va2, 25), "rhs": numeric.number_text(vb2, 25)})
                return NumericOutcome("refuted", 0, cex,
                                      f"fails at a point inside the domains by {mpmath.nstr(g2, 6)} (the same at "
                                      f"{lo_dps} and {hi_dps} digits; too small to see at {numeric.WORK_DPS}): "
                                      f"lhs = {numeric.number_text(va2, 25)}, rhs = {numeric.number_text(vb2, 25)}")
            if persists:
                return NumericOutcome("inconclusive", 0, None,
                                      f"the sides agree at {numeric.WORK_DPS} digits but differ by {mpmath.nstr(g2, 3)} "
                                      f"at {lo_dps} and {hi_dps} digits, at a point with sampled functions "
                                      f"(their evaluation may differ by that much): no evidence either way")
            return NumericOutcome("inconclusive", 0, None,
                                  f"agreement at {numeric.WORK_DPS} digits is not confirmed at {lo_dps} and "
                                  f"{hi_dps} digits: the difference ({mpmath.nstr(g1, 3)}, {mpmath.nstr(g2, 3)}) "
                                  f"does not shrink with the precision")
    if confirmed == 0 and agreeing:
        return NumericOutcome("inconclusive", 0, None, f"agreement at {numeric.WORK_DPS} digits could not be "
                              f"confirmed at {lo_dps} and {hi_dps} digits (no point evaluates there)")
    return confirmed


#: what an evaluation error says when the value really is undefined there (not an internal failure)
_UNDEFINED = ("complex", "nan", "not a number", "does not evaluate", "ZeroDivisionError", "division by zero",
              "zoo", "math domain")


def undefined_value(error: str) -> bool:
    """Does an evaluation error mean the expression has no real value at the point (log of a
    negative number, 1/0), rather than that evaluation failed (a TypeError, a missing value)?
    Only the former may refute a step."""
    return any(w in error for w in _UNDEFINED) and "TypeError" not in error


def _isolated_singularity(ca: sp.Basic, cb: sp.Basic, point: numeric.Point, ctx: Context) -> bool:
    """Are both sides defined at points next to `point`? Then the side undefined at `point` has an
    isolated singularity there (0/0 of a cancelled factor), not a region where it is undefined."""
    for eps in ("1e-9", "-1e-9"):
        near = numeric.nudged(point, ctx, mpmath.mpf(eps))
        if near is None:
            return False
        _, ea = try_value(ca, near, numeric.CONFIRM_DPS)
        _, eb = try_value(cb, near, numeric.CONFIRM_DPS)
        if ea or eb:
            return False
    return True


def try_value(expr: sp.Basic, point: numeric.Point, dps: int = numeric.WORK_DPS):
    try:
        return numeric.value(expr, point, dps), ""
    except numeric.NotNumeric as exc:
        return None, str(exc)


def _vary(point: numeric.Point, over: tuple, sampler: numeric.Sampler, concrete: list) -> numeric.Point:
    """A copy of point with new values for the optimisation variables only."""
    values = {k: v for k, v in point.values.items() if not depends_on(k, over)}
    funcs = {f: lam for f, lam in point.functions.items() if f not in over}
    new = sampler.point_for(concrete, point.sizes, base=values)
    for f, lam in funcs.items():
        new.functions[f] = lam
    return new


def numeric_order(F: sp.Basic, G: sp.Basic, over: tuple, flip: bool, ctx: Context, seed: int,
                   pairs: int = ORDER_PAIRS) -> NumericOutcome:
    """Look for two candidates whose order G reverses relative to F (or keeps, if flip).

    At every base point (the values of everything but the variables) several candidates
    are drawn and every pair among them is compared: a disagreement confined to a small
    region (two nearby minimisers) is found far more often than with independent pairs.
    """
    F, G = rectangular_ranges(F), rectangular_ranges(G)
    sampler = numeric.Sampler(ctx, [F, G], seed)
    agree = skipped = 0
    per = ORDER_CANDIDATES
    evaluated = 0
    for base, (point, (cF, cG)) in enumerate(sampler.points(max(1, pairs // (per - 1)))):
        if base >= 2 and evaluated == 0:
            break  # nothing evaluates at the first base points: no evidence to be had, spare the budget
        cands = [point] + [_vary(point, over, sampler, [cF, cG]) for _ in range(per - 1)]
        vals = []
        for cand in cands:
            f, ef = try_value(cF, cand)
            g, eg = try_value(cG, cand)
            if ef and eg:
                skipped += 1
                continue
            if ef or eg:
                one_sided = _one_sided_objective(cF, cG, cand) if not ef else None
                if one_sided is not None:  # the new objective has no real value where the old one has
                    one_sided.points = agree
                    return one_sided
                skipped += 1
                continue
            vals.append((cand, f, g))
            evaluated += 1
        for (p1, f1, g1), (p2, f2, g2) in itertools.combinations(vals, 2):
            sf = _sign(f1 - f2, f1, f2)
            sg = _sign(g1 - g2, g1, g2)
            if sg == (-sf if flip else sf):
                agree += 1
                continue
            refuted = _confirm_order(cF, cG, p1, p2, flip)
            if refuted is not None:
                refuted.points = agree
                return refuted
            agree += 1
    if agree < MIN_EVIDENCE:  # a few agreeing pairs are no evidence
        return NumericOutcome("inconclusive", agree, None, "objectives could not be evaluated numerically"
                              if agree == 0 else f"only {agree} pairs of candidates could be evaluated")
    return NumericOutcome("agree", agree, None, f"order of candidates preserved at {agree} pairs")


#: the counterexample's entry of an objective with no real value at the candidate (notes.caveats reads it)
UNDEFINED_NEW_OBJECTIVE = ("new objective", "undefined")


def _one_sided_objective(cF, cG, cand: numeric.Point) -> NumericOutcome | None:
    """Refuted if, confirmed at higher precision, the new objective is outside its domain of
    definition (complex, nan) at a candidate where the old one is a real number.  A value the
    numeric strategy merely cannot compute (e.g. a Dirac delta inside log) refutes nothing."""
    f, ef = try_value(cF, cand, numeric.CONFIRM_DPS)
    g, eg = try_value(cG, cand, numeric.CONFIRM_DPS)
    if ef or not eg or not any(w in eg for w in ("complex", "nan", "not a number", "does not evaluate")):
        return None
    key, undefined = UNDEFINED_NEW_OBJECTIVE
    cex = cand.describe({"old objective": mpmath.nstr(f, 15), key: undefined})
    return NumericOutcome("refuted", 0, cex, f"the new objective is not a real number at a candidate inside "
                                             f"the domains where the old one is {mpmath.nstr(f, 12)} ({eg})")


def _confirm_order(cF, cG, point: numeric.Point, other: numeric.Point, flip: bool) -> NumericOutcome | None:
    """The refutation by the pair (point, other) if it holds at 60 digits, else None."""
    try:
        f1, f2 = numeric.value(cF, point, 60), numeric.value(cF, other, 60)
        g1, g2 = numeric.value(cG, point, 60), numeric.value(cG, other, 60)
    except numeric.NotNumeric:
        return None
    sf = _sign(f1 - f2, f1, f2, numeric.CONFIRM_DPS // 2)
    sg = _sign(g1 - g2, g1, g2, numeric.CONFIRM_DPS // 2)
    if sg == (-sf if flip else sf):
        return None
    c1 = point.describe()
    c2 = other.describe()
    cex = {"candidate A": _fmt_point(c1), "candidate B": _fmt_point(c2),
           "old objective A, B": f"{mpmath.nstr(f1, 12)}, {mpmath.nstr(f2, 12)}",
           "new objective A, B": f"{mpmath.nstr(g1, 12)}, {mpmath.nstr(g2, 12)}"}
    for k in c1:
        if c1[k] == c2.get(k):
            cex[k] = c1[k]
    word = "keeps" if flip else "reverses"
    return NumericOutcome("refuted", 0, cex,
                          f"the new objective {word} the order of two candidates (old: "
                          f"{mpmath.nstr(f1, 8)} vs {mpmath.nstr(f2, 8)}; new: "
                          f"{mpmath.nstr(g1, 8)} vs {mpmath.nstr(g2, 8)})")


def _fmt_point(d: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in d.items())


def _sign(d, a, b, dps: int = numeric.WORK_DPS // 2) -> int:
    if a == 0 or b == 0:
        if abs(d) <= mpmath.mpf(10) ** (-dps):
            return 0
    elif abs(d) <= max(abs(a), abs(b)) * mpmath.mpf(10) ** (-dps):
        return 0
    return 1 if d > 0 else -1


