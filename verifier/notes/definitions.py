"""Definitions in notes: which left side is a new name, what a definition binds, and the names
and calls a step uses that the note defines or leaves opaque."""
from __future__ import annotations

import re

import sympy as sp
from sympy.core.function import AppliedUndef

from verifier.model.context import Context
from verifier.notes.context import NoteContext
from verifier.notes.notation import split_name

DEFINING = ("=", ":=", "==")  # =, :=, \triangleq, \coloneqq, \equiv with a new name on the left



def entry_index(e: sp.Basic) -> str | None:
    """The index letter of an entry written with a letter (q_j -> 'j'), else None (q_1, q[i+1])."""
    if isinstance(e, sp.Indexed) and len(e.indices) == 1 and isinstance(e.indices[0], sp.Symbol):
        return e.indices[0].name
    return None


def is_new_name(e: sp.Basic, ctx: Context, used_before: set) -> bool:
    if isinstance(e, sp.Indexed) and entry_index(e):
        return str(e.base.label) not in used_before and not any(
            isinstance(k, sp.Indexed) and k.base == e.base for k in ctx.definitions)
    if isinstance(e, sp.Symbol):
        return e not in ctx.definitions and e.name not in used_before
    if isinstance(e, AppliedUndef):
        return e.func not in ctx.definitions and e not in ctx.definitions
    return False



_NAME_RE = re.compile(
    r"(?:\\Delta\s*(?=\\(?:mathbf|boldsymbol|bm|vec|hat)|[A-Za-z]))?"  # an increment: \Delta\mathbf{W}, \Delta w
    r"(?:\\(?:hat|bar|tilde|widehat|widetilde|overline|vec|mathcal|mathbf|mathbb|mathrm|mathit|mathsf|boldsymbol|"
    r"bm|operatorname|check|dot|ddot)\s*(?:\{(?:[^{}]|\{[^{}]*\})*\}|\\[A-Za-z]+|[A-Za-z])|\\[A-Za-z]+|[A-Za-z]+)"
    r"(?:_(?:\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}|\\[A-Za-z]+\s*\{[^{}]*\}|\\?[A-Za-z0-9]+)"
    r"|\^(?:\{\s*(?:\*|\\star|\\ast|\\prime|'+|\([^{}()]*\))\s*\}|\*|'+)|'+)*")



_NOT_NAMES = {"log", "ln", "exp", "sin", "cos", "tan", "sqrt", "frac", "dfrac", "tfrac", "sum", "prod", "int",
              "max", "min", "lim", "det", "tanh", "sinh", "cosh", "arg", "argmin", "argmax", "partial", "nabla"}



def written_as_name(latex: str) -> bool:
    """Is the left side of a definition written as a name (``L``, ``\\hat{y}_i``, ``H(P, Q)``,
    ``\\ell\\left(\\lambda\\right)``)?  ``\\log e^{x}`` or ``\\frac{2z}{2}`` may read as a bare symbol
    but define nothing."""
    t = latex.strip().rstrip(".,;")
    m = _NAME_RE.match(t)
    if not m or m.group(0).lstrip("\\").split("{")[0].split("_")[0] in _NOT_NAMES:
        return False
    rest = t[m.end():].strip()
    if not rest:
        return True
    # an argument list: (...), \left( ... \right), [...]
    return bool(re.fullmatch(r"(?:\\left\s*)?[(\[].*(?:\\right\s*)?[)\]]", rest, re.S))



_SQUARE = sp.Dummy("square")


def _square_parameter(a: sp.Basic, value: sp.Basic, mapping: dict) -> sp.Basic | None:
    """For a parameter written as a square (N(x; mu, sigma^2), J(mu, sigma^2)): the body as a function of
    the square (the placeholder _SQUARE), when it is one: every sigma in it comes squared, or sigma is
    positive (sigma = sqrt of the square); None otherwise (the position stays fixed)."""
    if not (isinstance(a, sp.Pow) and a.exp == 2 and isinstance(a.base, sp.Symbol)) or a.base in mapping \
            or not value.has(a.base):
        return None
    s = a.base
    body = value.subs(a, _SQUARE)
    if not body.has(s):
        return body
    return body.xreplace({s: sp.sqrt(_SQUARE)}) if s.is_positive else None


def define(nc: NoteContext, name: sp.Basic, value: sp.Basic) -> bool:
    ctx = nc.ctx
    if name in value.free_symbols or (isinstance(name, AppliedUndef) and value.has(name.func)):
        return False
    if isinstance(name, sp.Indexed):
        j = entry_index(name)
        if j is None or value.has(name.base):
            return False
        nc.entries[str(name.base.label)] = (j, value)  # q_j = ...: every entry of q, at any index
        return True
    if isinstance(name, sp.Symbol):
        ctx.define(name, value)
        base, sub = split_name(name.name)
        if re.fullmatch(r"[a-z]", sub) and (base in nc.vec or base in nc.indexed_names):
            # q_j = 2 p_j: an entry-wise definition, for every index letter (q_i, q_k, inside sums)
            entry = {s: nc.vector(split_name(s.name)[0])[sp.Symbol(sub)] for s in value.free_symbols
                     if isinstance(s, sp.Symbol) and split_name(s.name)[1] == sub
                     and split_name(s.name)[0] in (set(nc.vec) | nc.indexed_names)}
            nc.entries[base] = (sub, value.xreplace(entry))
            nc.entry_symbols[base] = (sub, value)
        if sub and sub in nc.idx and base in nc.vec:
            ctx.define(nc.vec[base][nc.idx[sub]], value)
        return True
    # a parameter that also names data or a function in the body (H(P,Q) = -sum P(x_i) log Q(x_i),
    # p(y | x, f) = ... f(x) ...) cannot be substituted: that position is fixed, and a call with
    # another argument there is not unfolded (see guard_violations)
    labels = {str(x.base.label) for x in value.atoms(sp.Indexed)} | {a.func.__name__ for a in value.atoms(AppliedUndef)}
    params, mapping, fixed = [], {}, {}
    for k, a in enumerate(name.args):
        d = sp.Dummy(f"a{k}")
        params.append(d)
        if isinstance(a, sp.Symbol) and a.name in labels or a.is_number:
            fixed[k] = a
        elif isinstance(a, (sp.Symbol, sp.Indexed, AppliedUndef)) and a not in mapping and value.has(a):
            mapping[a] = d
        elif (as_square := _square_parameter(a, value, mapping)) is not None:
            value = as_square.xreplace({_SQUARE: d})  # N(x; mu, sigma^2): the variance
        # a parameter the body does not use (E[X] = mu, Var(X) = sigma^2) is a fixed argument:
        # the definition says nothing about E[X^2] or Var(2X)
        else:
            fixed[k] = a
    nc.guards[name.func] = fixed
    ctx.define(name.func, sp.Lambda(tuple(params), value.xreplace(mapping)))
    if all(isinstance(a, sp.Symbol) or not a.is_number for a in name.args) and len(set(name.args)) == len(name.args):
        nc.def_args[name.func.__name__] = tuple(name.args)  # J(mu, sigma^2): d J / d sigma goes through sigma^2
    return True



_SHIFTED = re.compile(r"([a-z])\s*(?:([+-])\s*(\d+))?|(\d+)")


def _at_index(sub: str, nc: NoteContext) -> sp.Basic | None:
    """The index a subscript names: n, n-1, t+1, 3 (None for anything else)."""
    m = _SHIFTED.fullmatch(sub)
    if not m:
        return None
    if m.group(4):
        return sp.Integer(int(m.group(4)))
    shift = int(m.group(3) or 0) * (-1 if m.group(2) == "-" else 1)
    return nc.scalar(m.group(1)) + shift


def apply_indexed_functions(e: sp.Basic, nc: NoteContext) -> sp.Basic:
    """Q_{n-1}(k) after a definition of Q_n(k) whose value depends on n: the same definition at index n-1
    (an entry-wise definition of a function holds at every index)."""
    if e is None or not e.atoms(AppliedUndef):
        return e
    defs = nc.ctx.definitions
    by_base: dict[str, tuple] = {}
    for f, lam in defs.items():
        if isinstance(f, sp.FunctionClass) and isinstance(lam, sp.Lambda):
            base, j = split_name(f.__name__)
            js = [x for x in lam.expr.free_symbols if isinstance(x, sp.Symbol) and x.name == j]
            recurrence = any(split_name(c.func.__name__)[0] == base for c in lam.expr.atoms(AppliedUndef))
            if re.fullmatch(r"[a-z]", j) and js and not recurrence:  # A_n from A_{n-1}: not a closed form
                by_base[base] = (js[0], lam, nc.guards.get(f) or {})

    def unfold(x: AppliedUndef) -> sp.Basic:
        base, sub = split_name(x.func.__name__)
        jsym, lam, fixed = by_base[base]
        at = _at_index(sub, nc)
        if at is None or len(lam.variables) != len(x.args) or any(x.args[k] != v for k, v in fixed.items()):
            return x  # Q_n(k) defined at the argument k only: Q_{n-1}(a) is not known
        return sp.Lambda(lam.variables, lam.expr.xreplace({jsym: at}))(*x.args)

    if not by_base:
        return e
    return e.replace(lambda x: isinstance(x, AppliedUndef) and x.func not in defs
                     and split_name(x.func.__name__)[0] in by_base and split_name(x.func.__name__)[1], unfold)


def apply_entries(e: sp.Basic, nc: NoteContext) -> sp.Basic:
    """Entry-wise definitions applied: q_i, q_k and q_j inside sums all unfold q_j = ... at their index;
    a function defined at an index (Q_n(k)) at another index (Q_{n-1}(k))."""
    e = apply_indexed_functions(e, nc)
    if not nc.entries or e is None:
        return e

    def unfold(x: sp.Indexed) -> sp.Basic:
        j, value = nc.entries[str(x.base.label)]
        return value.xreplace({s: x.indices[0] for s in value.free_symbols if isinstance(s, sp.Symbol) and s.name == j})

    def unfold_symbol(x: sp.Symbol) -> sp.Basic:
        base, sub = split_name(x.name)
        j, value = nc.entry_symbols[base]
        swap = {}
        for s in value.free_symbols:
            if not isinstance(s, sp.Symbol):
                continue
            b2, s2 = split_name(s.name)
            if s.name == j:
                swap[s] = nc.scalar(sub) if not sub.isdigit() else sp.Integer(int(sub))
            elif s2 == j:
                swap[s] = nc.scalar(f"{b2}_{sub}")
        return value.xreplace(swap)

    def is_entry_symbol(x) -> bool:
        if not isinstance(x, sp.Symbol) or x.name not in {s.name for s in e.free_symbols}:
            return False
        base, sub = split_name(x.name)
        return base in nc.entry_symbols and bool(re.fullmatch(r"[a-z]|\d", sub)) \
            and x not in nc.ctx.definitions

    for _ in range(4):
        new = e.replace(lambda x: isinstance(x, sp.Indexed) and str(x.base.label) in nc.entries
                        and len(x.indices) == 1, unfold)
        # q_i written outside a sum is left alone: its entries read as symbols (z_i) do not line up
        # with the indexed reading of the definition yet (is_entry_symbol / unfold_symbol wait for it)
        if new == e:
            break
        e = new
    return e


def _opaque_calls(e: sp.Basic, nc: NoteContext) -> set:
    out = set()
    canon = {s: sp.Symbol("_idx") for s in nc.idx.values()}
    for a in e.atoms(AppliedUndef):
        if a.func in nc.ctx.definitions:
            continue
        out.add(a.xreplace(canon))
    return out



def bound_names(*exprs: sp.Basic) -> set[str]:
    """Names a step binds: sum and product indices, integration, limit and derivative variables."""
    out: set[str] = set()
    for e in exprs:
        if e is None:
            continue
        for s in e.atoms(sp.Sum, sp.Product, sp.Integral):
            out.update(str(lim[0]) for lim in s.limits)
        for lim in e.atoms(sp.Limit):
            out.add(str(lim.args[1]))
        for d in e.atoms(sp.Derivative):
            out.update(str(v) for v, _ in d.variable_count)
    return out


def between_constants(a: sp.Basic, b: sp.Basic, defs: dict) -> bool:
    """Whether a step relates constants only, its definitions unfolded (tanh(0.1) = 0.0997): no case of
    the prose can restrict it, it holds or fails whatever the variables are."""
    ua, ub = plain_unfold(a, defs), plain_unfold(b, defs)
    return ua is not None and ub is not None and not (ua.free_symbols | ub.free_symbols) \
        and not (ua.atoms(AppliedUndef) | ub.atoms(AppliedUndef))


def plain_unfold(e: sp.Basic, defs: dict) -> sp.Basic | None:
    """Definitions substituted, derivatives replaced by what they differentiate (no calculus); a
    variable the expression binds keeps its role (no value is put in for it)."""
    bound = bound_names(e)
    sym_defs = {k: v for k, v in defs.items() if not isinstance(k, sp.FunctionClass)
                and not (isinstance(k, sp.Symbol) and k.name in bound)}
    fn_defs = {k: v for k, v in defs.items() if isinstance(k, sp.FunctionClass)}
    cur = e
    for _ in range(12):
        nxt = cur.replace(lambda x: isinstance(x, (sp.Derivative, sp.Subs)), lambda x: x.args[0])
        nxt = nxt.xreplace(sym_defs)
        for fn, lam in fn_defs.items():
            if nxt.has(fn):
                try:
                    nxt = nxt.replace(fn, lam)
                except Exception:  # noqa: BLE001 - a call with another arity stays opaque
                    pass
        if nxt == cur:
            return nxt
        cur = nxt
    return None



def guard_violations(e: sp.Basic, nc: NoteContext, depth: int = 0) -> set[str]:
    """Defined functions used at other arguments than their definition fixes, also inside the bodies of the
    functions the expression calls (D(Q, P) := H(Q, P) - H(Q) with H(P) = 3/2 fixed at P)."""
    out = set()
    for call in e.atoms(AppliedUndef):
        fixed = nc.guards.get(call.func)
        for k, want in (fixed or {}).items():
            if k >= len(call.args) or call.args[k] != want:
                out.add(nc.notation.symbol(call.func.__name__))
        body = nc.ctx.definitions.get(call.func)
        if depth < 4 and isinstance(body, sp.Lambda) and len(body.variables) == len(call.args):
            out |= guard_violations(body(*call.args), nc, depth + 1)
    return out



def undefined_derivatives(e: sp.Basic, nc: NoteContext) -> set[str]:
    out = set()
    for d in e.atoms(sp.Derivative):
        inner = d.expr
        if isinstance(inner, sp.Symbol) and inner not in nc.ctx.definitions:
            out.add(nc.notation.symbol(inner.name))
        for v, _ in d.variable_count:
            if isinstance(v, sp.Symbol) and v not in nc.ctx.definitions and not inner.has(v) \
                    and not any(isinstance(s, sp.Symbol) and s in nc.ctx.definitions for s in inner.free_symbols) \
                    and not inner.atoms(AppliedUndef):
                out.add(nc.notation.symbol(inner.name) if isinstance(inner, sp.Symbol) else str(inner))
    return out



def opaque_difference(a: sp.Basic, b: sp.Basic, nc: NoteContext) -> str:
    ua, ub = plain_unfold(a, nc.ctx.definitions), plain_unfold(b, nc.ctx.definitions)
    if ua is None or ub is None:
        return ""
    ca, cb = _opaque_calls(ua, nc), _opaque_calls(ub, nc)
    if ca == cb or (not ca and not cb):
        return ""
    names = sorted({nc.notation.symbol(x.func.__name__) for x in ca ^ cb})
    return ", ".join(names)



def defined_name(e: sp.Basic) -> str:
    """The name a definition's left side introduces: g for g(x), L for L."""
    if isinstance(e, AppliedUndef):
        return e.func.__name__
    if isinstance(e, sp.Indexed):
        return str(e.base.label)
    return str(e)



def names_used(e: sp.Basic) -> set[str]:
    out = {a.func.__name__ for a in e.atoms(AppliedUndef)}
    out |= {s.name for s in e.free_symbols if isinstance(s, sp.Symbol)}
    out |= {str(x.base.label) for x in e.atoms(sp.Indexed)}
    return out



def plain_names_used(e: sp.Basic) -> set[str]:
    """The names used other than as the base of an entry: y_i uses the data y_*, not a scalar y."""
    bare = e.xreplace({x: sp.Dummy() for x in e.atoms(sp.Indexed)})
    out = {a.func.__name__ for a in bare.atoms(AppliedUndef)}
    return out | {s.name for s in bare.free_symbols if isinstance(s, sp.Symbol) and not isinstance(s, sp.Dummy)}


def cases_of(e: sp.Basic):
    """(symbol, values) when e has a Piecewise over sym = constant cases, else None."""
    for pw in e.atoms(sp.Piecewise):
        syms, vals = set(), []
        for _, cond in pw.args:
            if isinstance(cond, sp.Eq):
                lhs, rhs = cond.args
                if isinstance(lhs, sp.Symbol) and rhs.is_number:
                    syms.add(lhs)
                    vals.append(rhs)
                    continue
            syms = set()
            break
        if len(syms) == 1 and vals:
            return next(iter(syms)), tuple(vals)
    return None

