"""Optimisation steps (argmin / argmax equivalence over named variables): proved when the new
objective is a*T(old) + c with a > 0 (a < 0 when argmax turns into argmin), c free of the
variables and T strictly increasing; refuted by two candidates whose order it reverses."""
from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from verifier.engine.evidence import numeric_order
from verifier.engine.normal import (
    CANONICAL_INDEX,
    apply_normalisation,
    expand_logs,
    linearise,
    normal_form,
)
from verifier.engine.pool import within_share
from verifier.engine.problem import EVIDENCE_SECONDS, PROOF_SHARE, Problem, depends_on
from verifier.engine.proofs import guarded, is_positive, unit_view
from verifier.model.chain import ARGMIN
from verifier.model.context import Context
from verifier.model.results import CHECKED, PROVED, REFUTED, UNKNOWN, Verdict


def _canonical_sums(expr: sp.Basic) -> sp.Basic:
    return expr.replace(lambda x: isinstance(x, sp.Sum) and len(x.limits) == 1,
                        lambda x: sp.Sum(x.function.xreplace({x.limits[0][0]: CANONICAL_INDEX}),
                                         (CANONICAL_INDEX, x.limits[0][1], x.limits[0][2])))


def _split_dependent(expr: sp.Basic, over: tuple, ctx: Context) -> tuple[sp.Basic, sp.Basic]:
    e = _canonical_sums(sp.expand(apply_normalisation(linearise(expand_logs(expr)), ctx)))
    dep, free = [], []
    for t in sp.Add.make_args(e):
        (dep if depends_on(t, over) else free).append(t)
    return sp.Add(*dep), sp.Add(*free)


_NEEDS_SIMPLIFY = object()  # _ratio without simplify: the cancelled ratio still holds the variables


def _ratio(G: sp.Basic, T: sp.Basic, over: tuple, ctx: Context, memo: dict | None = None,
           simplify: bool = True):
    """a such that the over-dependent parts satisfy G_dep = a * T_dep, if a is free of `over`;
    `memo` keeps the dependent parts already worked out (the new objective is tried against
    every transform of the old one).  With simplify=False, a ratio that only SymPy's simplify might
    free of the variables is _NEEDS_SIMPLIFY instead (None: no ratio at all)."""
    memo = {} if memo is None else memo
    for e in (G, T):
        if e not in memo:
            memo[e] = _split_dependent(e, over, ctx)[0]
    g_dep, t_dep = memo[G], memo[T]
    if t_dep == 0 or g_dep == 0:
        return None
    atoms = {}
    for e in (g_dep, t_dep):
        for node in e.atoms(sp.Sum, AppliedUndef):
            if depends_on(node, over) and node not in atoms:
                atoms[node] = sp.Dummy("A")
    r = sp.cancel(sp.together(g_dep.xreplace(atoms) / t_dep.xreplace(atoms)))
    if r.has(*atoms.values()) or depends_on(r, over):
        if not simplify:
            return _NEEDS_SIMPLIFY
        r = sp.simplify(r)
        if r.has(*atoms.values()) or depends_on(r, over):
            return None
    return r


@guarded
def prove_order(F: sp.Basic, G: sp.Basic, over: tuple, flip: bool, ctx: Context) -> str | None:
    """Prove G = a*T(F) + c with a > 0 (a < 0 if flip), c free of `over`, T increasing."""
    memo: dict = {}  # expression -> its part depending on `over` (G and its view recur)
    found: list = []  # the transforms of F, made when first tried (F's positivity only if needed)

    def transforms():
        yield from found
        if not found:
            found.append(("", F))
            yield found[-1]
            if is_positive(F, ctx):
                found.append(("log (strictly increasing on F > 0) ", sp.log(F)))
                yield found[-1]
            found.append(("exp (strictly increasing) ", sp.exp(F)))
            yield found[-1]

    # every transform and view with the cancelled ratio first; SymPy's simplify (a tenth of a second on a
    # likelihood's product) only for those that need it, once no transform has done without it
    later = []
    for simplify in (False, True):
        tries = ((label, view_, name, T) for label, view_ in [("", None), ("(0,1) reparametrisation", True)]
                 for name, T in transforms()) if not simplify else list(later)
        for label, view_, name, T in tries:
            g, t = (G, T) if view_ is None else (unit_view(G, ctx), unit_view(T, ctx))
            if view_ is not None and g == G and t == T:
                continue
            a = _ratio(g, t, over, ctx, memo, simplify)
            if a is _NEEDS_SIMPLIFY:
                later.append((label, view_, name, T))
                continue
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


def senses(problem: Problem) -> tuple[str, str]:
    """The senses ("min" / "max") of the old and the new objective of an optimisation step."""
    new = "min" if problem.relation == ARGMIN else "max"
    return problem.prev_sense or new, new


def decide_optimisation(F, G, problem: Problem, report) -> Verdict:
    ctx = problem.ctx
    over = problem.over
    if not over:
        return Verdict(UNKNOWN, "argmin", "an optimisation step needs its variables (over=...)")
    prev, new = senses(problem)
    flip = prev != new
    if not depends_on(F, over) and not depends_on(G, over):
        return Verdict(UNKNOWN, "argmin", "neither objective depends on the optimisation variables "
                       f"({', '.join(map(str, over))}): the variables are probably misread")
    # the proof first: sampling candidates costs more than proving G = a*T(F) + c, and a step whose
    # proof fails is sampled in full anyway (a wrong step is refuted there, at its first bad pair)
    method = within_share(PROOF_SHARE, prove_order, F, G, over, flip, ctx, rest_at_least=EVIDENCE_SECONDS)
    if method:
        return Verdict(PROVED, f"arg{prev}->arg{new}: {method}" if flip else method)
    num = numeric_order(F, G, over, flip, ctx, problem.seed)  # no proof: the evidence in full
    if num.kind == "refuted":
        return Verdict(REFUTED, "numeric order", num.message, num.counterexample)
    if num.kind == "agree":
        return Verdict(CHECKED, "numeric order", num.message + "; no symbolic proof found")
    return Verdict(UNKNOWN, "none", f"no symbolic proof found, and {num.message}")


