"""Symbolic strategies: an expression provably 0, provably (strictly) nonnegative, provably
positive; a relation proved by the normal form, by simplify, by a (0,1) reparametrisation or by
cases over binary symbols.  A strategy that crashes proves nothing (:func:`guarded`)."""
from __future__ import annotations

import functools
import itertools

import sympy as sp

from verifier.engine.limits import (
    prove_extended_equal,  # oo = oo, where a - b is undefined
)
from verifier.engine.normal import normal_form
from verifier.engine.rational import is_rational_zero
from verifier.engine.signs import sign_holds
from verifier.model.chain import EQ, GE, GT, LE, LT
from verifier.model.context import Context
from verifier.model.domains import unit_reparametrisation


def unit_view(expr: sp.Basic, ctx: Context) -> sp.Basic:
    """Replace every (0,1)-valued u (symbol, vector entry or unknown function) by t/(1+t), t > 0.

    The map t -> t/(1+t) is a bijection from (0, oo) onto (0, 1), so an identity holds for all
    u in (0, 1) iff it holds for all t > 0; under it SymPy sees both u > 0 and 1 - u > 0.
    """
    out = expr
    mapping = {}
    for s, d in ctx.scalars.items():
        if d.kind == "unit" and out.has(s):
            t, repl = unit_reparametrisation(s)
            mapping[s] = repl
            mapping[1 - s] = 1 / (1 + t)  # 1 - t/(1+t), written so that SymPy sees it positive
    if mapping:
        out = out.xreplace(mapping)
    for base, d in ctx.vectors.items():
        if d.kind == "unit" and out.has(base):
            t = sp.IndexedBase(f"{base.label}_t", positive=True)
            entries = [e for e in out.atoms(sp.Indexed) if e.base == base]
            mapping = {u: t[u.indices] / (1 + t[u.indices]) for u in entries}
            mapping.update({1 - u: 1 / (1 + t[u.indices]) for u in entries})  # as for a scalar above
            out = out.xreplace(mapping)
    for fn, d in ctx.functions.items():
        if d.kind == "unit" and out.has(fn):
            t_fn = sp.Function(f"{fn.__name__}_t", positive=True)
            out = out.replace(fn, lambda *args, t_fn=t_fn: t_fn(*args) / (1 + t_fn(*args)))
    return out


def views(expr: sp.Basic, ctx: Context) -> list[tuple[str, sp.Basic]]:
    out = [("", expr)]
    u = unit_view(expr, ctx)
    if u is not expr and u != expr:
        out.append(("(0,1) reparametrisation", u))
    return out


def guarded(strategy):
    """A proof strategy that fails (None) instead of raising: SymPy's simplifiers have bugs
    (e.g. StopIteration in sum_simplify); a crash of one strategy must not lose the step."""
    @functools.wraps(strategy)
    def run(*args, **kwargs):
        try:
            return strategy(*args, **kwargs)
        except (RecursionError, MemoryError):
            raise
        except Exception:  # noqa: BLE001 - a failed strategy proves nothing
            return None
    return run


_RECENT_FORMS: list = []  # (expr, ctx, normal form) of the last few views: the quick look's, reused
_RECENT = 4


def _normal_form(expr: sp.Basic, ctx: Context) -> sp.Basic:
    """normal_form(expr, ctx), remembered for the last few expressions of this context (the quick look
    and is_zero ask for the same one in a row)."""
    for e, c, nf in _RECENT_FORMS:
        if c is ctx and e == expr:
            return nf
    nf = normal_form(expr, ctx)
    _RECENT_FORMS.insert(0, (expr, ctx, nf))
    del _RECENT_FORMS[_RECENT:]
    return nf


def _zero_form(nf: sp.Basic) -> str | None:
    if nf == 0:
        return "normal form"
    if is_rational_zero(nf):
        return "normal form + rational function of its exponentials"
    return None


@guarded
def quick_zero(expr: sp.Basic, ctx: Context) -> str | None:
    """is_zero's first look alone: expr is 0 as it stands, or its normal form is (no (0,1) view, no
    simplify of the whole).  These are the cheapest proofs there are, cheaper than sampling the step."""
    if expr == 0:
        return "definitions unfolded"
    return _zero_form(_normal_form(expr, ctx))


@guarded
def is_zero(expr: sp.Basic, ctx: Context) -> str | None:
    """A method name if expr is provably 0, else None."""
    if expr == 0:
        return "definitions unfolded"
    forms = []  # every view's normal form before any simplify (seconds, where a view's normal form is 0)
    for label, view in views(expr, ctx):
        suffix = f" + {label}" if label else ""
        nf = _normal_form(view, ctx)
        found = _zero_form(nf)
        if found:
            return found + suffix
        forms.append((suffix, nf))
    for suffix, nf in forms:
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


@guarded
def is_nonnegative(expr: sp.Basic, ctx: Context, strict: bool) -> str | None:
    """A method name if expr >= 0 (> 0 when strict) is provable, else None."""
    if not strict and expr == 0:
        return "identical"
    nf = normal_form(expr, ctx)
    if not strict and nf == 0:
        return "normal form"
    forms = [("", nf)]
    view_label = "(0,1) reparametrisation"
    view = unit_view(expr, ctx)  # computed once: the view of the normal form and, if needed, its normal form
    if view is not expr and view != expr:
        # with (0,1)-valued symbols the view first (there 1 - u > 0 is visible; SymPy can spend
        # seconds on the sign of a polynomial in u with no such view), and the view of the normal
        # form before the normal form of the view: a polynomial in u stays one fraction in t, where
        # the normal form of the view expands every power of t/(1+t) apart (seconds to factor)
        forms.insert(0, (f" + {view_label}", unit_view(nf, ctx)))
    found = _sign_of_forms(forms, ctx, strict)
    if found or len(forms) == 1:
        return found
    nf_view = normal_form(view, ctx)
    if not strict and nf_view == 0:
        return f"normal form + {view_label}"
    return _sign_of_forms([(f" + {view_label}", nf_view)], ctx, strict)


def _sign_of_forms(forms: list[tuple[str, sp.Basic]], ctx: Context, strict: bool) -> str | None:
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


def is_positive(expr: sp.Basic, ctx: Context) -> bool:
    """Is expr > 0 for every admissible value (structurally, or after the (0,1) view)?"""
    if _positive_structural(expr):
        return True
    u = unit_view(expr, ctx)
    if u == expr:
        return False
    u = u.replace(lambda e: isinstance(e, sp.Add), lambda e: sp.factor(sp.together(e)))
    return _positive_structural(u)


def prove_relation(a: sp.Basic, b: sp.Basic, relation: str, ctx: Context) -> str | None:
    if relation == EQ:
        m = is_zero(a - b, ctx)
        if m:
            return m
        return prove_extended_equal(a, b, ctx) or _by_cases(a, b, relation, ctx)
    if relation in (LE, LT):
        return is_nonnegative(b - a, ctx, strict=relation == LT) or _by_cases(a, b, relation, ctx)
    if relation in (GE, GT):
        return is_nonnegative(a - b, ctx, strict=relation == GT) or _by_cases(a, b, relation, ctx)
    return None


@guarded
def _by_cases(a: sp.Basic, b: sp.Basic, relation: str, ctx: Context) -> str | None:
    """Split on the symbols of finite domains ({0, 1}, {-1, +1}) and prove each case."""
    syms = ctx.binary_symbols(a - b)
    if not syms or len(syms) > 3:
        return None
    for combo in itertools.product(*[ctx.scalars[s].finite_values for s in syms]):
        sub = dict(zip(syms, combo))
        ca, cb = a.xreplace(sub), b.xreplace(sub)
        if relation == EQ:
            ok = is_zero(ca - cb, ctx)
        elif relation in (LE, LT):
            ok = is_nonnegative(cb - ca, ctx, relation == LT)
        else:
            ok = is_nonnegative(ca - cb, ctx, relation == GT)
        if not ok:
            return None
    return "cases " + ", ".join(f"{s} in {{{','.join(str(v) for v in ctx.scalars[s].finite_values)}}}" for s in syms)


