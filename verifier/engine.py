"""The engine: decides one step, then whole derivations.

Per step, cheap numeric falsification runs first; a symbolic proof is attempted
next; the worker process that does both is bounded by a time budget.

* ``proved``: a symbolic argument holds under the declared assumptions;
* ``checked``: no proof, but high-precision evaluation agrees at every point;
* ``refuted``: a point inside the domains where the relation fails, confirmed
  at higher precision;
* ``unknown``: undecided, with the reason.
"""
from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

import mpmath
import sympy as sp

from .exprs import as_expr
from sympy.core.function import AppliedUndef

from . import numeric
from .budget import run_with_budget
from .chain import ARGMIN, EQ, GE, GT, LE, LT, NE_WITNESS, OPTIMISATION, Derivation, Step
from .context import Context
from .domains import unit_reparametrisation
from .expand import DefinitionError, unfold
from .normal import linearise, normal_form, expand_logs, apply_normalisation, _CANON
from .results import CHECKED, PROVED, REFUTED, UNKNOWN, DerivationResult, StepResult, Verdict
from .signs import sign_holds

DEFAULT_BUDGET = 20.0  # seconds per step
NUMERIC_POINTS = 24
ORDER_PAIRS = 40
ORDER_CANDIDATES = 6  # candidates per base point of an order check; all pairs compared
MIN_EVIDENCE = 8  # 'checked' needs agreement at this many admissible points (or pairs)
NUMERIC_SECONDS = 4.0  # slow evaluations (delta integrals) stop sampling here once MIN_EVIDENCE agree


@dataclass
class Problem:
    """One relation to decide: ``lhs relation rhs`` in a context."""

    lhs: sp.Basic
    rhs: sp.Basic
    relation: str
    ctx: Context
    over: tuple = ()
    prev_sense: str | None = None
    sense: str | None = None
    cases: tuple | None = None
    lemma: str | None = None
    lemma_args: dict = field(default_factory=dict)
    witness: dict | None = None
    seed: int = 20261122


# ----------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------
def depends_on(expr: sp.Basic, over: Iterable) -> bool:
    """Does expr depend on any optimisation variable (symbol, vector or function)?"""
    over = tuple(over)
    syms = {v for v in over if isinstance(v, sp.Symbol)}
    labels = {v.label for v in over if isinstance(v, sp.IndexedBase)}
    funcs = {v for v in over if isinstance(v, sp.FunctionClass)}
    indexed = {v for v in over if isinstance(v, sp.Indexed)}
    for s in expr.free_symbols:
        if s in syms or s in indexed:
            return True
        if isinstance(s, sp.Indexed) and s.base.label in labels:
            return True
        if s in labels:
            return True
    if funcs and any(a.func in funcs for a in expr.atoms(AppliedUndef)):
        return True
    return False


def _unit_view(expr: sp.Basic, ctx: Context) -> sp.Basic:
    """Replace every (0,1)-valued u (symbol, vector entry or unknown function) by t/(1+t), t > 0.

    The map t -> t/(1+t) is a bijection from (0, oo) onto (0, 1), so an identity holds for all
    u in (0, 1) iff it holds for all t > 0; under it SymPy sees both u > 0 and 1 - u > 0.
    """
    out = expr
    mapping = {}
    for s, d in ctx.scalars.items():
        if d.kind == "unit" and out.has(s):
            _, repl = unit_reparametrisation(s)
            mapping[s] = repl
    if mapping:
        out = out.xreplace(mapping)
    for base, d in ctx.vectors.items():
        if d.kind == "unit" and out.has(base):
            t = sp.IndexedBase(f"{base.label}_t", positive=True)
            out = out.replace(lambda e, b=base: isinstance(e, sp.Indexed) and e.base == b,
                              lambda e, t=t: t[e.indices] / (1 + t[e.indices]))
    for fn, d in ctx.functions.items():
        if d.kind == "unit" and out.has(fn):
            t_fn = sp.Function(f"{fn.__name__}_t", positive=True)
            out = out.replace(fn, lambda *args, t_fn=t_fn: t_fn(*args) / (1 + t_fn(*args)))
    return out


def _views(expr: sp.Basic, ctx: Context) -> list[tuple[str, sp.Basic]]:
    out = [("", expr)]
    u = _unit_view(expr, ctx)
    if u is not expr and u != expr:
        out.append(("(0,1) reparametrisation", u))
    return out


def _guarded(strategy):
    """A proof strategy that fails (None) instead of raising: SymPy's simplifiers have bugs
    (e.g. StopIteration in sum_simplify); a crash of one strategy must not lose the step."""
    import functools

    @functools.wraps(strategy)
    def run(*args, **kwargs):
        try:
            return strategy(*args, **kwargs)
        except (RecursionError, MemoryError):
            raise
        except Exception:  # noqa: BLE001 - a failed strategy proves nothing
            return None
    return run


@_guarded
def _is_zero(expr: sp.Basic, ctx: Context) -> str | None:
    """A method name if expr is provably 0, else None."""
    if expr == 0:
        return "definitions unfolded"
    for label, view in _views(expr, ctx):
        suffix = f" + {label}" if label else ""
        nf = normal_form(view, ctx)
        if nf == 0:
            return "normal form" + suffix
        s = sp.simplify(nf)
        if s == 0:
            return "normal form + simplify" + suffix
        if s.has(sp.Sum):
            s2 = sp.simplify(normal_form(sp.expand(sp.expand_log(s)), ctx))
            if s2 == 0:
                return "normal form + simplify" + suffix
    return None


def _sign_known(expr: sp.Basic, strict: bool) -> bool:
    test = (lambda e: e.is_positive) if strict else (lambda e: e.is_nonnegative)
    if test(expr):
        return True
    if isinstance(expr, sp.Sum) and len(expr.limits) == 1:
        (_, lo, hi), = expr.limits
        if (hi - lo + 1).is_positive or not strict:
            return _sign_known(expr.function, strict)
    if isinstance(expr, sp.Mul):
        signs = [f.is_positive for f in expr.args]
        if strict and all(signs):
            return True
        if not strict and all(f.is_nonnegative for f in expr.args):
            return True
    if isinstance(expr, sp.Add) and all(_sign_known(t, False) for t in expr.args):
        return not strict or any(_sign_known(t, True) for t in expr.args)
    return False


@_guarded
def _is_nonnegative(expr: sp.Basic, ctx: Context, strict: bool) -> str | None:
    """A method name if expr >= 0 (> 0 when strict) is provable, else None."""
    if not strict and expr == 0:
        return "identical"
    forms = []
    for label, view in _views(expr, ctx):
        suffix = f" + {label}" if label else ""
        nf = normal_form(view, ctx)
        if not strict and nf == 0:
            return "normal form" + suffix
        forms.append((suffix, nf))
    # factored forms first, across all views: asking SymPy for the sign of an expanded
    # polynomial can take half a minute, and simplify can take seconds
    for rewrite in (lambda e: sp.factor(sp.together(e)), lambda e: e, sp.simplify):
        for suffix, nf in forms:
            cand = rewrite(nf)
            if _sign_known(cand, strict):
                return "sign of normal form" + suffix
            if sign_holds(cand, ctx, strict):
                return "sign of normal form (sums over index ranges)" + suffix
    return None


def _positive_structural(expr: sp.Basic) -> bool:
    if expr.is_positive:
        return True
    if isinstance(expr, sp.Product):
        return _positive_structural(expr.function)
    if isinstance(expr, sp.Mul):
        return all(_positive_structural(a) for a in expr.args)
    if isinstance(expr, sp.Pow):
        return _positive_structural(expr.base) and bool(expr.exp.is_real)
    if isinstance(expr, sp.exp):
        return bool(expr.args[0].is_real)
    if isinstance(expr, sp.Add) and all(a.is_nonnegative for a in expr.args):
        return any(a.is_positive for a in expr.args)
    return False


def _positive(expr: sp.Basic, ctx: Context) -> bool:
    """Is expr > 0 for every admissible value (structurally, or after the (0,1) view)?"""
    if _positive_structural(expr):
        return True
    u = _unit_view(expr, ctx)
    if u == expr:
        return False
    u = u.replace(lambda e: isinstance(e, sp.Add), lambda e: sp.factor(sp.together(e)))
    return _positive_structural(u)


# ----------------------------------------------------------------------------------------
# numeric strategies
# ----------------------------------------------------------------------------------------
@dataclass
class NumericOutcome:
    kind: str  # 'refuted' | 'agree' | 'inconclusive'
    points: int = 0
    counterexample: dict | None = None
    message: str = ""


def _numeric_relation(a: sp.Basic, b: sp.Basic, relation: str, ctx: Context, seed: int,
                      count: int = NUMERIC_POINTS) -> NumericOutcome:
    sampler = numeric.Sampler(ctx, [a, b], seed)
    agree = skipped = 0
    reasons: list[str] = []
    started = time.monotonic()
    for point, (ca, cb) in sampler.points(count):
        if agree >= MIN_EVIDENCE and time.monotonic() - started > NUMERIC_SECONDS:
            break
        va, ea = _try_value(ca, point)
        vb, eb = _try_value(cb, point)
        if ea and eb:
            skipped += 1
            reasons.append(ea)
            continue
        if ea or eb:  # one side is a real number, the other is not defined there
            # an undefined value may be precision loss (1 - sigma(150) is 0 at 60 digits):
            # it counts only if it stays undefined at 60 and at 250 digits
            va2, ea2 = _try_value(ca, point, numeric.CONFIRM_DPS)
            vb2, eb2 = _try_value(cb, point, numeric.CONFIRM_DPS)
            if bool(ea2) != bool(eb2):
                va3, ea3 = _try_value(ca, point, numeric.DEEP_DPS)
                vb3, eb3 = _try_value(cb, point, numeric.DEEP_DPS)
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
                return NumericOutcome("refuted", agree, cex,
                                      f"{side} is not a real number at a point inside the domains where "
                                      f"{other} = {numeric.number_text(val, 15)} ({err})")
            skipped += 1
            continue
        if numeric.holds(relation, va, vb, numeric.WORK_DPS):
            agree += 1
            continue
        try:  # confirm at higher precision; values that do not settle are rounding noise of 0
            va2 = numeric.confirmed_value(ca, point)
            vb2 = numeric.confirmed_value(cb, point)
        except numeric.NotNumeric:
            skipped += 1
            continue
        if not numeric.holds(relation, va2, vb2, numeric.CONFIRM_DPS):
            cex = point.describe({"lhs": numeric.number_text(va2, 15), "rhs": numeric.number_text(vb2, 15)})
            return NumericOutcome("refuted", agree, cex,
                                  f"fails at a point inside the domains: lhs = {numeric.number_text(va2, 15)}, "
                                  f"rhs = {numeric.number_text(vb2, 15)}")
        agree += 1
    if agree < MIN_EVIDENCE:  # a few agreeing points are no evidence
        why = reasons[0] if reasons else "no sample points"
        return NumericOutcome("inconclusive", agree, None, f"numeric evaluation impossible: {why}"
                              if agree == 0 else f"only {agree} sample points are inside the domain "
                              f"of definition ({why})")
    msg = f"agrees at {agree} points" + (f" ({skipped} points outside the domain of definition)" if skipped else "")
    return NumericOutcome("agree", agree, None, msg)


def _isolated_singularity(ca: sp.Basic, cb: sp.Basic, point: numeric.Point, ctx: Context) -> bool:
    """Are both sides defined at points next to `point`? Then the side undefined at `point` has an
    isolated singularity there (0/0 of a cancelled factor), not a region where it is undefined."""
    for eps in ("1e-9", "-1e-9"):
        near = numeric.nudged(point, ctx, mpmath.mpf(eps))
        if near is None:
            return False
        _, ea = _try_value(ca, near, numeric.CONFIRM_DPS)
        _, eb = _try_value(cb, near, numeric.CONFIRM_DPS)
        if ea or eb:
            return False
    return True


def _try_value(expr: sp.Basic, point: numeric.Point, dps: int = numeric.WORK_DPS):
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


def _numeric_order(F: sp.Basic, G: sp.Basic, over: tuple, flip: bool, ctx: Context, seed: int,
                   pairs: int = ORDER_PAIRS) -> NumericOutcome:
    """Look for two candidates whose order G reverses relative to F (or keeps, if flip).

    At every base point (the values of everything but the variables) several candidates
    are drawn and every pair among them is compared: a disagreement confined to a small
    region (two nearby minimisers) is found far more often than with independent pairs.
    """
    sampler = numeric.Sampler(ctx, [F, G], seed)
    agree = skipped = 0
    per = ORDER_CANDIDATES
    for point, (cF, cG) in sampler.points(max(1, pairs // (per - 1))):
        cands = [point] + [_vary(point, over, sampler, [cF, cG]) for _ in range(per - 1)]
        vals = []
        for cand in cands:
            f, ef = _try_value(cF, cand)
            g, eg = _try_value(cG, cand)
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


def _one_sided_objective(cF, cG, cand: numeric.Point) -> NumericOutcome | None:
    """Refuted if, confirmed at higher precision, the new objective is outside its domain of
    definition (complex, nan) at a candidate where the old one is a real number.  A value the
    numeric strategy merely cannot compute (e.g. a Dirac delta inside log) refutes nothing."""
    f, ef = _try_value(cF, cand, numeric.CONFIRM_DPS)
    g, eg = _try_value(cG, cand, numeric.CONFIRM_DPS)
    if ef or not eg or not any(w in eg for w in ("complex", "nan", "not a number", "does not evaluate")):
        return None
    cex = cand.describe({"old objective": mpmath.nstr(f, 15), "new objective": "undefined"})
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


# ----------------------------------------------------------------------------------------
# symbolic strategies
# ----------------------------------------------------------------------------------------
def _prove_relation(a: sp.Basic, b: sp.Basic, relation: str, ctx: Context) -> str | None:
    if relation == EQ:
        m = _is_zero(a - b, ctx)
        if m:
            return m
        from .limits import prove_extended_equal  # oo = oo, where a - b is undefined

        return prove_extended_equal(a, b, ctx) or _by_cases(a, b, relation, ctx)
    if relation in (LE, LT):
        return _is_nonnegative(b - a, ctx, strict=relation == LT) or _by_cases(a, b, relation, ctx)
    if relation in (GE, GT):
        return _is_nonnegative(a - b, ctx, strict=relation == GT) or _by_cases(a, b, relation, ctx)
    return None


@_guarded
def _by_cases(a: sp.Basic, b: sp.Basic, relation: str, ctx: Context) -> str | None:
    """Split on binary symbols and prove each case."""
    syms = ctx.binary_symbols(a - b)
    if not syms or len(syms) > 3:
        return None
    import itertools

    for combo in itertools.product(*[ctx.scalars[s].finite_values for s in syms]):
        sub = dict(zip(syms, combo))
        ca, cb = a.xreplace(sub), b.xreplace(sub)
        if relation == EQ:
            ok = _is_zero(ca - cb, ctx)
        elif relation in (LE, LT):
            ok = _is_nonnegative(cb - ca, ctx, relation == LT)
        else:
            ok = _is_nonnegative(ca - cb, ctx, relation == GT)
        if not ok:
            return None
    return "cases " + ", ".join(f"{s} in {{0,1}}" for s in syms)


def _canonical_sums(expr: sp.Basic) -> sp.Basic:
    return expr.replace(lambda x: isinstance(x, sp.Sum) and len(x.limits) == 1,
                        lambda x: sp.Sum(x.function.xreplace({x.limits[0][0]: _CANON}),
                                         (_CANON, x.limits[0][1], x.limits[0][2])))


def _split_dependent(expr: sp.Basic, over: tuple, ctx: Context) -> tuple[sp.Basic, sp.Basic]:
    e = _canonical_sums(sp.expand(apply_normalisation(linearise(expand_logs(expr)), ctx)))
    dep, free = [], []
    for t in sp.Add.make_args(e):
        (dep if depends_on(t, over) else free).append(t)
    return sp.Add(*dep), sp.Add(*free)


def _ratio(G: sp.Basic, T: sp.Basic, over: tuple, ctx: Context) -> sp.Basic | None:
    """a such that the over-dependent parts satisfy G_dep = a * T_dep, if a is free of `over`."""
    g_dep, _ = _split_dependent(G, over, ctx)
    t_dep, _ = _split_dependent(T, over, ctx)
    if t_dep == 0 or g_dep == 0:
        return None
    atoms = {}
    for e in (g_dep, t_dep):
        for node in e.atoms(sp.Sum, AppliedUndef):
            if depends_on(node, over) and node not in atoms:
                atoms[node] = sp.Dummy("A")
    r = sp.cancel(sp.together(g_dep.xreplace(atoms) / t_dep.xreplace(atoms)))
    if r.has(*atoms.values()) or depends_on(r, over):
        r = sp.simplify(r)
        if r.has(*atoms.values()) or depends_on(r, over):
            return None
    return r


@_guarded
def _prove_order(F: sp.Basic, G: sp.Basic, over: tuple, flip: bool, ctx: Context) -> str | None:
    """Prove G = a*T(F) + c with a > 0 (a < 0 if flip), c free of `over`, T increasing."""
    transforms: list[tuple[str, sp.Basic]] = [("", F)]
    if _positive(F, ctx):
        transforms.append(("log (strictly increasing on F > 0) ", sp.log(F)))
    transforms.append(("exp (strictly increasing) ", sp.exp(F)))
    for label, view_ in [("", None), ("(0,1) reparametrisation", True)]:
        for name, T in transforms:
            g, t = (G, T) if view_ is None else (_unit_view(G, ctx), _unit_view(T, ctx))
            if view_ is not None and g == G and t == T:
                continue
            a = _ratio(g, t, over, ctx)
            if a is None:
                continue
            a = sp.simplify(a)
            sign_ok = a.is_negative if flip else a.is_positive
            if not sign_ok:
                continue
            rem = normal_form(g - a * t, ctx)
            if depends_on(rem, over):
                rem = sp.simplify(rem)
            if not depends_on(rem, over):
                what = "positive" if not flip else "negative"
                extra = f", {label}" if label else ""
                return (f"{name}new = a*old + c with a = {sp.sstr(a)} {what}, c free of "
                        f"{', '.join(map(str, over))}{extra}").strip()
    return None


# ----------------------------------------------------------------------------------------
# deciding
# ----------------------------------------------------------------------------------------
def decide(problem: Problem, report: Callable[[Verdict], None] = lambda v: None) -> Verdict:
    """Decide one relation (runs inside the budgeted worker)."""
    verdict = _decide(problem, report)
    if verdict.method == "definitions unfolded" and problem.lhs == problem.rhs:
        verdict.method = "identical"  # e.g. (a+b)^2 and (a+b)(a+b): the same SymPy expression
    if verdict.status == PROVED and (problem.lhs.has(sp.Derivative) or problem.rhs.has(sp.Derivative)):
        verdict.method = f"derivatives evaluated; {verdict.method}"
    return verdict


def _decide(problem: Problem, report: Callable[[Verdict], None]) -> Verdict:
    ctx = problem.ctx
    missing = ctx.undefined_names(problem.lhs) + ctx.undefined_names(problem.rhs)
    if missing:
        return Verdict(UNKNOWN, "undefined", "no domain or definition for: " + ", ".join(sorted(set(missing))))
    try:
        a = unfold(problem.lhs, ctx.definitions)
        b = unfold(problem.rhs, ctx.definitions)
    except DefinitionError as exc:
        return Verdict(UNKNOWN, "undefined", str(exc))
    if problem.lemma:
        from .lemmas import check_lemma

        return check_lemma(problem)
    if problem.relation == NE_WITNESS:
        return _decide_witness(a, b, problem)
    if problem.cases:
        return _decide_cases(a, b, problem, report)
    if problem.relation in OPTIMISATION:
        return _decide_optimisation(a, b, problem, report)
    return _decide_plain(a, b, problem.relation, ctx, problem.seed, report)


def _decide_plain(a, b, relation, ctx, seed, report) -> Verdict:
    num = _numeric_relation(a, b, relation, ctx, seed)
    if num.kind == "refuted":
        return Verdict(REFUTED, "numeric", num.message, num.counterexample)
    report(Verdict(CHECKED if num.kind == "agree" else UNKNOWN, "numeric", num.message))
    method = _prove_relation(a, b, relation, ctx)
    if method:
        return Verdict(PROVED, method, num.message if num.kind == "agree" else "")
    if num.kind == "agree":
        return Verdict(CHECKED, "numeric", num.message + "; no symbolic proof found")
    return Verdict(UNKNOWN, "none", f"no symbolic proof found, and {num.message}")


def _decide_cases(a, b, problem: Problem, report) -> Verdict:
    sym, values = problem.cases
    methods = []
    for v in values:
        sub = {sym: as_expr(v)}
        ca, cb = a.xreplace(sub), b.xreplace(sub)
        verdict = _decide_plain(ca, cb, problem.relation, problem.ctx, problem.seed, report)
        if verdict.status == REFUTED:
            cex = dict(verdict.counterexample or {})
            cex[str(sym)] = str(v)
            return Verdict(REFUTED, "cases", f"case {sym} = {v}: {verdict.message}", cex)
        if verdict.status != PROVED:
            return Verdict(verdict.status if verdict.status != CHECKED else CHECKED, "cases",
                           f"case {sym} = {v}: {verdict.message}")
        methods.append(f"{sym}={v}: {verdict.method}")
    return Verdict(PROVED, "cases (" + "; ".join(methods) + ")")


def _decide_optimisation(F, G, problem: Problem, report) -> Verdict:
    ctx = problem.ctx
    over = problem.over
    if not over:
        return Verdict(UNKNOWN, "argmin", "an optimisation step needs its variables (over=...)")
    prev = problem.prev_sense or ("min" if problem.relation == ARGMIN else "max")
    new = "min" if problem.relation == ARGMIN else "max"
    flip = prev != new
    num = _numeric_order(F, G, over, flip, ctx, problem.seed)
    if num.kind == "refuted":
        return Verdict(REFUTED, "numeric order", num.message, num.counterexample)
    report(Verdict(CHECKED if num.kind == "agree" else UNKNOWN, "numeric order", num.message))
    method = _prove_order(F, G, over, flip, ctx)
    if method:
        return Verdict(PROVED, f"arg{prev}->arg{new}: {method}" if flip else method, num.message)
    if num.kind == "agree":
        return Verdict(CHECKED, "numeric order", num.message + "; no symbolic proof found")
    return Verdict(UNKNOWN, "none", f"no symbolic proof found, and {num.message}")


def _decide_witness(a, b, problem: Problem) -> Verdict:
    w = problem.witness or {}
    ctx = problem.ctx
    sizes = {k: v for k, v in w.items() if k in ctx.sizes}
    bad = _witness_outside(w, ctx, sizes)
    if bad:
        return Verdict(UNKNOWN, "witness", f"the witness is outside the domains: {bad}")
    sub = {k: sp.nsimplify(as_expr(v)) for k, v in w.items() if k not in ctx.sizes}
    ca, cb = numeric.unroll(a, sizes).xreplace(sub), numeric.unroll(b, sizes).xreplace(sub)
    d = sp.simplify(ca - cb)
    if d.free_symbols:
        return Verdict(UNKNOWN, "witness", f"the witness leaves symbols free: {', '.join(map(str, d.free_symbols))}")
    val = sp.N(d, 50)
    if val.is_number and val != 0 and abs(val) > sp.Float("1e-40"):
        return Verdict(PROVED, "witness", f"at the witness lhs - rhs = {sp.sstr(sp.N(d, 12))} (exact: {sp.sstr(d)})")
    return Verdict(UNKNOWN, "witness", "the witness does not show a difference (the two sides are equal there)")


def _witness_outside(w: dict, ctx: Context, sizes: dict) -> str:
    vecs: dict = {}
    for k, v in w.items():
        v = sp.nsimplify(as_expr(v))
        d = ctx.domain_of(k)
        if d is None:
            continue
        if d.kind in ("positive", "probability") and not v > 0:
            return f"{k} = {v} is not positive"
        if d.kind == "unit" and not (0 < v < 1):
            return f"{k} = {v} is not in (0, 1)"
        if d.kind == "binary" and v not in (0, 1):
            return f"{k} = {v} is not 0 or 1"
        if isinstance(k, sp.Indexed) and d.kind == "probability":
            vecs.setdefault(k.base, []).append(v)
    for base, vals in vecs.items():
        if sp.nsimplify(as_expr(sum(vals))) != 1:
            return f"the entries of {base} sum to {sum(vals)}, not 1"
    return ""


# ----------------------------------------------------------------------------------------
# derivations
# ----------------------------------------------------------------------------------------
def problem_for(derivation_ctx: Context, prev: Step, step: Step, prev_sense: str | None) -> Problem:
    return Problem(prev.expr, step.expr, step.relation or EQ, derivation_ctx, over=step.over,
                   prev_sense=prev_sense, sense=step.sense, cases=step.cases, lemma=step.lemma,
                   lemma_args=step.lemma_args, witness=step.witness)


def decide_step(problem: Problem, budget: float = DEFAULT_BUDGET) -> Verdict:
    """Decide a problem in a worker process under the time budget."""
    return run_with_budget(decide, (problem,), budget)


def verify_derivation(d: Derivation, budget: float = DEFAULT_BUDGET,
                      on_step: Callable[[StepResult], None] | None = None, jobs: int = 1) -> DerivationResult:
    """Decide every step of every chain of d."""
    return verify_derivations([d], budget, on_step, jobs)[0]


def default_jobs() -> int:
    """Workers to run at once: the cores this process may use."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def verify_derivations(ds: list[Derivation], budget: float = DEFAULT_BUDGET,
                       on_step: Callable[[StepResult], None] | None = None,
                       jobs: int = 1) -> list[DerivationResult]:
    """Decide every step of every derivation, up to `jobs` steps at once."""
    from .budget import run_many
    from .render import objective_latex

    slots: list[tuple[int, int, object, Step, Step]] = []  # (derivation, index, chain, prev, step)
    tasks = []
    for k, d in enumerate(ds):
        index = 0
        for chain in d.chains:
            sense = chain.steps[0].sense
            for prev, step in chain.pairs():
                slots.append((k, index, chain, prev, step))
                tasks.append((decide, (problem_for(d.context, prev, step, sense),)))
                index += 1
                if step.sense:
                    sense = step.sense
    results = [DerivationResult(d.id, d.title, str(d.source) if d.source else "") for d in ds]
    per_step: dict[int, StepResult] = {}

    def done(t: int, verdict: Verdict) -> None:
        k, index, chain, prev, step = slots[t]
        sr = StepResult(index=index, relation=step.relation or EQ, lhs=objective_latex(prev),
                        rhs=objective_latex(step), status=verdict.status, method=verdict.method,
                        message=verdict.message, counterexample=verdict.counterexample,
                        seconds=verdict.seconds, why=step.why, chain=chain.name, line=step.line)
        per_step[t] = sr
        if on_step:
            on_step(sr)

    run_many(tasks, budget, jobs, done)
    for t, (k, *_rest) in enumerate(slots):
        results[k].steps.append(per_step[t])
    for r in results:
        r.seconds = sum(s.seconds for s in r.steps)
    return results
