"""Named lemmas: reusable facts that justify steps algebra alone cannot.

A step names a lemma (``Step.lemma``) and gives its parameters (``Step.lemma_args``).
Using a lemma means three checks, each proved symbolically:

1. its **side conditions** (the sign of ``phi''`` on the domain of the values, weights
   non-negative and summing to 1, arguments of ``log`` positive, the sign of a weight);
2. that the step **is an instance** of it: the two sides of the step equal the lemma's two
   sides once definitions are unfolded (the engine's normal form proves the difference is 0);
3. that the **direction** the lemma gives is the step's relation (``>=``/``<=``; the lemma
   never gives ``=`` or a strict inequality).

Before any of that the engine's numeric falsification (its first look) runs on the step itself, so
a false inequality is refuted with a counterexample whatever the lemma says; a step the lemma does
not give is sampled in full.  A misapplied lemma is refuted (numerically) or ``unknown`` with the
reason; it is never ``proved``.

Lemmas
------
``jensen``
    phi(sum_i w_i z_i) <= sum_i w_i phi(z_i) for convex phi (>= for concave phi), w_i >= 0,
    sum_i w_i = 1, every z_i in an interval where phi'' has that sign.
    Args: ``phi`` (a ``Lambda`` or callable of one argument), ``weights`` and ``values``
    (expressions in ``index``; an ``IndexedBase`` stands for its entries), ``index``;
    optional ``lo``/``hi`` (default: the declared range of ``index``), ``form``
    (``"convex"``/``"concave"``: checked, not trusted), ``domain`` (``"positive"`` or ``"real"``;
    default ``positive`` when the values are provably positive, else real).
``gibbs``
    sum_i p_i log(p_i / q_i) >= 0 for positive p, q each summing to 1.  Args ``p``, ``q``,
    ``index`` (optional ``lo``/``hi``), ``scale`` (a positive constant c: the step's
    ``lhs - rhs`` (for ``>=``) must equal ``c * sum_i p_i log(p_i/q_i)``; base-2 logs give
    c = 1/log 2).
``log-le-t-minus-1``
    log t <= t - 1 for t > 0.  Args ``t``, ``weight`` (default 1); with ``index`` (and
    optional ``lo``/``hi``) it is applied term-wise inside a sum: ``lhs - rhs`` must equal
    ``sum_i w_i (log t_i - (t_i - 1))``, so the step is ``<=`` when every w_i >= 0 and
    ``>=`` when every w_i <= 0 (the sign flip of a negative weight).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import sympy as sp

from verifier.engine.evidence import numeric_relation
from verifier.engine.expand import DefinitionError, unfold
from verifier.engine.problem import SCREEN_POINTS
from verifier.engine.proofs import is_nonnegative, is_positive, is_zero, quick_zero
from verifier.model.chain import EQ, GE, GT, LE, LT
from verifier.model.context import Context
from verifier.model.exprs import as_expr
from verifier.model.results import PROVED, REFUTED, UNKNOWN, Verdict


@dataclass
class Lemma:
    """A named fact: its statement (for reports), its checker and, where the engine may try it on a
    step that names no lemma, the arguments worth trying (``candidates(lhs, rhs, ctx)``)."""

    name: str
    statement: str
    check: Callable[["LemmaUse"], Verdict]
    candidates: Callable[[sp.Basic, sp.Basic, Context], list[dict]] | None = None


#: name -> Lemma
REGISTRY: dict[str, Lemma] = {}


def lemma(name: str, statement: str = "", candidates=None):
    """Register ``check(use: LemmaUse) -> Verdict`` as the lemma ``name``."""
    def deco(fn: Callable[["LemmaUse"], Verdict]):
        REGISTRY[name] = Lemma(name, statement or (fn.__doc__ or "").strip().splitlines()[0], fn, candidates)
        return fn
    return deco


def lemma_proof(lhs: sp.Basic, rhs: sp.Basic, relation: str, ctx: Context) -> str | None:
    """A proof of an inequality that names no lemma by a lemma whose arguments the step itself
    suggests (Gibbs' inequality for a cross-entropy against an entropy): the method, or None.  The
    lemma's own checks decide, as for a step that names it: its side conditions, that the step is
    an instance, and the direction."""
    if relation not in (LE, GE):
        return None
    for entry in REGISTRY.values():
        for args in entry.candidates(lhs, rhs, ctx) if entry.candidates else ():
            try:
                verdict = entry.check(LemmaUse(lhs, rhs, relation, ctx, args))
            except Misapplied:
                continue
            if verdict.status == PROVED:
                return verdict.method
    return None


@dataclass
class LemmaUse:
    """One application of a lemma: the step's two sides (definitions unfolded) and the args."""

    lhs: sp.Basic
    rhs: sp.Basic
    relation: str
    ctx: Context
    args: dict = field(default_factory=dict)

    def need(self, *names: str) -> list[str]:
        return [n for n in names if n not in self.args]


class Misapplied(Exception):
    """The lemma does not apply; the message says why (the verdict is ``unknown``)."""


# ----------------------------------------------------------------------------------------
# entry point (called by engine.decide)
# ----------------------------------------------------------------------------------------
def check_lemma(problem) -> Verdict:
    """Decide a step justified by a named lemma (see the module docstring)."""
    entry = REGISTRY.get(problem.lemma)
    if entry is None:
        known = ", ".join(sorted(REGISTRY)) or "none"
        return Verdict(UNKNOWN, "lemma", f"unknown lemma {problem.lemma!r}; known: {known}")
    ctx = problem.ctx
    try:
        a = unfold(problem.lhs, ctx.definitions)
        b = unfold(problem.rhs, ctx.definitions)
        args = {k: (unfold(v, ctx.definitions) if isinstance(v, sp.Basic) and not isinstance(v, sp.Lambda) else v)
                for k, v in (problem.lemma_args or {}).items()}
    except DefinitionError as exc:
        return Verdict(UNKNOWN, "undefined", str(exc))
    relation = problem.relation
    plain = relation in (EQ, LE, GE, LT, GT)
    if plain:  # the first look, as for any step (engine.decide.decide_plain)
        num = numeric_relation(a, b, relation, ctx, problem.seed, count=SCREEN_POINTS)
        if num.kind == "refuted":
            return _refutation(num, entry.name)
    try:
        verdict = entry.check(LemmaUse(a, b, relation, ctx, args))
    except Misapplied as exc:
        evidence = ""
        if plain:  # the lemma does not give it: the evidence in full
            num = numeric_relation(a, b, relation, ctx, problem.seed)
            if num.kind == "refuted":
                return _refutation(num, entry.name)
            evidence = num.message
        return Verdict(UNKNOWN, f"lemma {entry.name}", f"lemma {entry.name} does not apply: {exc}"
                       + (f"; numerically the step {evidence}" if evidence else ""))
    return verdict


def _refutation(num, name: str) -> Verdict:
    return Verdict(REFUTED, "numeric", f"{num.message} (the lemma {name} cannot give this step)", num.counterexample)


# ----------------------------------------------------------------------------------------
# shared checks (each raises Misapplied with the reason, or returns a short description)
# ----------------------------------------------------------------------------------------
def _entry(expr, index: sp.Symbol | None) -> sp.Basic:
    """An IndexedBase stands for its entry at index; callables are not allowed here."""
    if isinstance(expr, sp.IndexedBase):
        if index is None:
            raise Misapplied(f"{expr} is a vector: give index=<its index>")
        return expr[index]
    if not isinstance(expr, sp.Basic):
        return as_expr(expr)
    return expr


def _range(use: LemmaUse, index: sp.Symbol) -> tuple[sp.Basic, sp.Basic]:
    lo, hi = use.args.get("lo"), use.args.get("hi")
    if lo is None or hi is None:
        r = use.ctx.indices.get(index)
        if r is None:
            raise Misapplied(f"the index {index} has no declared range; give lo= and hi=")
        lo = r.lo if lo is None else lo
        hi = r.hi if hi is None else hi
    return as_expr(lo), as_expr(hi)


def _zero(expr: sp.Basic, ctx: Context) -> str | None:
    """A proof that expr is 0: its normal form first (the cheapest proof, cheaper than two sampled points);
    the rest, with SymPy's simplify, not tried where expr is not 0 at a sampled point (a lemma's candidate
    with the wrong scale or order: the attempt would cost a simplify, a tenth of a second or more)."""
    quick = quick_zero(expr, ctx)
    if quick:
        return quick
    if _differs(expr, ctx):
        return None
    return is_zero(expr, ctx)


def _differs(expr: sp.Basic, ctx: Context) -> bool:
    """Is expr, numerically, not 0 at a point inside the domains (confirmed at a higher precision)?  This
    only spares a proof attempt that must fail; it never proves anything."""
    try:
        return numeric_relation(expr, sp.Integer(0), EQ, ctx, seed=7, count=2).kind == "refuted"
    except Exception:  # noqa: BLE001 - no evidence: the proof is tried
        return False


def _nonneg(expr: sp.Basic, ctx: Context) -> bool:
    if expr.is_nonnegative or is_positive(expr, ctx):
        return True
    return is_nonnegative(expr, ctx, strict=False) is not None


def _pos(expr: sp.Basic, ctx: Context) -> bool:
    if expr.is_positive or is_positive(expr, ctx):
        return True
    return is_nonnegative(expr, ctx, strict=True) is not None


def _normalised(w: sp.Basic, index: sp.Symbol, lo, hi, ctx: Context, what: str) -> None:
    """Side condition: w_i >= 0 for every i and sum_i w_i = 1 (proved)."""
    if not _nonneg(w, ctx):
        raise Misapplied(f"the {what} {sp.sstr(w)} are not provably >= 0")
    if not _zero(sp.Sum(w, (index, lo, hi)) - 1, ctx):
        raise Misapplied(f"the {what} {sp.sstr(w)} do not provably sum to 1 over {index} = {lo}..{hi} "
                         "(declare a probability vector, or give normalised weights)")


def _call(phi, arg: sp.Basic) -> sp.Basic:
    if isinstance(phi, sp.Lambda):
        return phi(arg)
    if callable(phi):
        return as_expr(phi(arg))
    raise Misapplied("phi must be a sympy Lambda or a callable of one argument")


_DOMAINS = {"positive": {"positive": True}, "real": {"real": True}}  # open intervals: phi is finite there


def _in_domain(values: sp.Basic, dom: str, ctx: Context) -> bool:
    if dom == "positive":
        return _pos(values, ctx)
    return bool(values.is_real)


def _direction(relation: str, diff_sign: str, what: str) -> None:
    """diff_sign is the sign the lemma proves for lhs - rhs ('>=0' or '<=0')."""
    gives = GE if diff_sign == ">=0" else LE
    if relation == gives:
        return
    if relation in (GT, LT):
        raise Misapplied(f"{what} gives the non-strict '{gives}', the step claims the strict '{relation}'")
    if relation == EQ:
        raise Misapplied(f"{what} gives an inequality '{gives}', not '='")
    raise Misapplied(f"{what} gives lhs {gives} rhs, the step claims '{relation}' (wrong direction)")


# ----------------------------------------------------------------------------------------
# the lemmas
# ----------------------------------------------------------------------------------------
def _distributions_summed(total: sp.Sum, ctx: Context) -> list[sp.IndexedBase]:
    """The probability vectors whose entries at the index of a one-index sum appear in its summand."""
    (i, _, _), = total.limits
    return sorted({x.base for x in total.function.atoms(sp.Indexed) if x.indices == (i,)
                   and getattr(ctx.vectors.get(x.base), "kind", None) == "probability"}, key=str)


_T = sp.Dummy("t")
#: the functions phi of phi(sum_i w_i z_i) worth trying when a step names no lemma
_JENSEN_PHIS = ((sp.log, sp.Lambda(_T, sp.log(_T))), (sp.exp, sp.Lambda(_T, sp.exp(_T))))


def _jensen_candidates(lhs: sp.Basic, rhs: sp.Basic, ctx: Context) -> list[dict]:
    """phi(sum_i w_i z_i) in the step, phi a log or an exp and w a distribution the reading knows:
    the weights w and the values z = (the summand) / w_i."""
    out = []
    for head, phi in _JENSEN_PHIS:
        for call in (lhs - rhs).atoms(head):
            total = call.args[0]
            if not isinstance(total, sp.Sum) or len(total.limits) != 1:
                continue
            i, lo, hi = total.limits[0]
            for w in _distributions_summed(total, ctx):
                values = total.function / w[i]  # the factor w_i cancels by itself where it is one
                if not values.has(w[i]):
                    out.append({"phi": phi, "weights": w, "values": values, "index": i, "lo": lo, "hi": hi})
    return out


@lemma("jensen", "phi(E[Z]) <= E[phi(Z)] for convex phi; >= for concave phi (finite expectation)",
       candidates=_jensen_candidates)
def jensen(use: LemmaUse) -> Verdict:
    missing = use.need("phi", "weights", "values", "index")
    if missing:
        raise Misapplied("missing argument(s): " + ", ".join(missing))
    ctx, phi, i = use.ctx, use.args["phi"], use.args["index"]
    lo, hi = _range(use, i)
    w = _entry(use.args["weights"], i)
    z = _entry(use.args["values"], i)
    # 1. the convexity side condition: the sign of phi'' on an interval holding every value
    dom = use.args.get("domain") or ("positive" if _pos(z, ctx) else "real")
    if dom not in _DOMAINS:
        raise Misapplied(f"unknown domain {dom!r}; use one of {', '.join(_DOMAINS)}")
    if not _in_domain(z, dom, ctx):
        raise Misapplied(f"the values {sp.sstr(z)} are not provably in the domain '{dom}'")
    t = sp.Dummy("t", **_DOMAINS[dom])
    d2 = sp.simplify(sp.diff(_call(phi, t), t, 2))
    convex = _nonneg(d2, ctx)
    concave = _nonneg(-d2, ctx)
    form = use.args.get("form")
    shown = sp.sstr(d2).replace(str(t), "t")
    if form == "convex" and not convex:
        raise Misapplied(f"side condition fails: phi'' = {shown} is not >= 0 for t {dom}, so phi is not convex there")
    if form == "concave" and not concave:
        raise Misapplied(f"side condition fails: phi'' = {shown} is not <= 0 for t {dom}, so phi is not concave there")
    if form not in (None, "convex", "concave"):
        raise Misapplied(f"form must be 'convex' or 'concave', not {form!r}")
    if not (convex or concave):
        raise Misapplied(f"phi'' = {shown} has no provable sign for t {dom}: phi is neither convex nor concave there")
    kind = form or ("convex" if convex else "concave")
    # 2. the weights: a probability vector
    _normalised(w, i, lo, hi, ctx, "weights")
    # 3. the instance: which side is E[phi(Z)] and which phi(E[Z])
    e_phi = sp.Sum(w * _call(phi, z), (i, lo, hi))
    phi_e = _call(phi, sp.Sum(w * z, (i, lo, hi)))
    if _zero(use.lhs - e_phi, ctx) and _zero(use.rhs - phi_e, ctx):
        diff_sign = ">=0" if kind == "convex" else "<=0"  # lhs - rhs = E phi - phi E
    elif _zero(use.lhs - phi_e, ctx) and _zero(use.rhs - e_phi, ctx):
        diff_sign = "<=0" if kind == "convex" else ">=0"
    else:
        raise Misapplied(f"the step is not an instance: its sides are not phi(E[Z]) = {sp.sstr(phi_e)} and "
                         f"E[phi(Z)] = {sp.sstr(e_phi)}")
    _direction(use.relation, diff_sign, f"Jensen for {kind} phi")
    return Verdict(PROVED, f"lemma jensen ({kind} phi: phi'' = {shown} on t {dom}; "
                           f"weights {sp.sstr(w)} >= 0 summing to 1)")


#: the scales worth trying when a step names no lemma: natural logs, bits, decimal digits
_LOG_SCALES = (sp.Integer(1), 1 / sp.log(2), 1 / sp.log(10))


def _gibbs_candidates(lhs: sp.Basic, rhs: sp.Basic, ctx: Context) -> list[dict]:
    """Every ordered pair of probability vectors summed over one index in the step, at each scale (the
    same pair over the same range in two sums is tried once)."""
    out: dict[tuple, dict] = {}
    for total in (lhs - rhs).atoms(sp.Sum):
        if len(total.limits) != 1:
            continue
        i, lo, hi = total.limits[0]
        bases = _distributions_summed(total, ctx)
        for p in bases:
            for q in bases:
                if p == q:
                    continue
                for c in _LOG_SCALES:
                    out.setdefault((p, q, lo, hi, c), {"p": p, "q": q, "index": i, "lo": lo, "hi": hi, "scale": c})
    return list(out.values())


@lemma("gibbs", "sum_i p_i log(p_i/q_i) >= 0 for probability vectors p, q (Gibbs' inequality)",
       candidates=_gibbs_candidates)
def gibbs(use: LemmaUse) -> Verdict:
    missing = use.need("p", "q", "index")
    if missing:
        raise Misapplied("missing argument(s): " + ", ".join(missing))
    ctx, i = use.ctx, use.args["index"]
    lo, hi = _range(use, i)
    p = _entry(use.args["p"], i)
    q = _entry(use.args["q"], i)
    c = as_expr(use.args.get("scale", 1))
    for name, v in (("p", p), ("q", q)):
        if not _pos(v, ctx):
            raise Misapplied(f"side condition fails: the entries {name} = {sp.sstr(v)} are not provably > 0")
        _normalised(v, i, lo, hi, ctx, f"entries of {name}")
    if c.free_symbols & {i} or not _pos(c, ctx):
        raise Misapplied(f"the scale {sp.sstr(c)} is not a provably positive constant")
    kl = sp.Sum(p * sp.log(p / q), (i, lo, hi))
    if _zero(use.lhs - use.rhs - c * kl, ctx):
        diff_sign = ">=0"
    elif _zero(use.rhs - use.lhs - c * kl, ctx):
        diff_sign = "<=0"
    else:
        raise Misapplied(f"the step is not an instance: lhs - rhs is not ±{sp.sstr(c)} * {sp.sstr(kl)}")
    _direction(use.relation, diff_sign, "Gibbs' inequality")
    return Verdict(PROVED, f"lemma gibbs (p = {sp.sstr(p)}, q = {sp.sstr(q)} positive and normalised; "
                           f"scale {sp.sstr(c)} > 0)")


@lemma("log-le-t-minus-1", "log t <= t - 1 for t > 0 (equality iff t = 1)")
def log_le_t_minus_1(use: LemmaUse) -> Verdict:
    missing = use.need("t")
    if missing:
        raise Misapplied("missing argument: t")
    ctx = use.ctx
    i = use.args.get("index")
    t = _entry(use.args["t"], i)
    w = _entry(as_expr(use.args.get("weight", 1)), i)
    if not _pos(t, ctx):
        raise Misapplied(f"side condition fails: t = {sp.sstr(t)} is not provably > 0")
    gap = w * (sp.log(t) - (t - 1))  # <= 0 when w >= 0, >= 0 when w <= 0
    if i is not None:
        lo, hi = _range(use, i)
        gap = sp.Sum(gap, (i, lo, hi))
    if not _zero(use.lhs - use.rhs - gap, ctx):
        where = f" summed over {i}" if i is not None else ""
        raise Misapplied(f"the step is not an instance: lhs - rhs is not {sp.sstr(w)} * (log t - (t - 1)){where} "
                         f"with t = {sp.sstr(t)}")
    if _nonneg(w, ctx):
        diff_sign, sign = "<=0", ">= 0"
    elif _nonneg(-w, ctx):
        diff_sign, sign = ">=0", "<= 0 (the inequality flips)"
    else:
        raise Misapplied(f"the weight {sp.sstr(w)} has no provable sign")
    _direction(use.relation, diff_sign, "log t <= t - 1")
    where = f", term-wise over {i}" if i is not None else ""
    return Verdict(PROVED, f"lemma log t <= t - 1 (t = {sp.sstr(t)} > 0; weight {sp.sstr(w)} {sign}{where})")
