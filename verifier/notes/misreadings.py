r"""Refutations that rest on a misreading of the note, demoted to `unknown` with the reason.

A refutation claims the author's mathematics is wrong; it may only rest on what the note says.
Two readings make a name free that the note does give a value, and then sample it freely:

* a name set by a model or update equation the note states (``a' = a + k`` read as the new value
  of a from its old one), or by a definition the reading noted but could not bind (``p_k =
  \mathrm{softmax}(\mathbf{z})_k = ...``, then ``p_i``): it binds nothing, yet the step uses it;
* an entry q_i written outside a sum, where q_j = ... defines q entry by entry and the reading
  leaves q_i a free symbol;
* a name that a definition in force uses, where that name's own definition ended with its section
  (``Z_t = (1 - \\epsilon_t) e^{-\\alpha_t} + ...`` in a section after the one that defined
  ``\\alpha_t``): the step itself names only Z_t, the unfolded definition brings in the free alpha_t.

Such a step is `unknown`, saying which name and where the note sets it; never `refuted`.
"""
from __future__ import annotations

import re

import sympy as sp
from sympy.core.function import AppliedUndef

from verifier.engine.problem import Problem
from verifier.notes.definitions import names_used, plain_names_used
from verifier.notes.notation import split_name
from verifier.notes.statements import DEFINITION, EQUATION


def _entry_of(name: str, defined: set[str]) -> bool:
    """q_i (a symbol) where the definitions in force define q_j (another index letter): q entry by entry."""
    base, sub = split_name(name)
    if not sub or not (len(sub) == 1 and sub.isalpha() or sub.isdigit()):
        return False
    return any(split_name(d)[0] == base and len(split_name(d)[1]) == 1 and split_name(d)[1].isalpha()
               and split_name(d)[1] != sub for d in defined)


def head_name(k: sp.Basic) -> str:
    """The name a definition or model equation sets (x, x for x_i indexed, f for f(x))."""
    if isinstance(k, sp.Symbol):
        return k.name
    if isinstance(k, sp.Indexed):  # p_1 (an entry at a number) sets that entry only; p_k sets every entry
        return str(k) if all(i.is_Integer for i in k.indices) else str(k.base.label)
    if isinstance(k, sp.IndexedBase):
        return str(k.label)
    if isinstance(k, AppliedUndef):
        return k.func.__name__
    return getattr(k, "__name__", str(k))


def _reach(problem: Problem) -> tuple[set[str], set[str]]:
    """The names the step writes, and those its definitions in force bring in (transitively)."""
    written = set()
    for e in (problem.lhs, problem.rhs):
        written |= names_used(e) | {str(x) for x in e.atoms(sp.Indexed) if all(i.is_Integer for i in x.indices)}
    defs: dict[str, list] = {}
    for k, v in problem.ctx.definitions.items():
        defs.setdefault(head_name(k), []).append(v)
    seen, todo = set(), list(written)
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        for v in defs.get(n, ()):
            body = v.expr if isinstance(v, sp.Lambda) else v
            if isinstance(body, sp.Basic):
                todo.extend(names_used(body) - seen)
    return written, seen - written


def _scalar_head(latex: str) -> bool:
    """A head written as a plain letter (y, \\sigma), not an entry (y_i) nor bold (\\mathbf{z}, a vector)."""
    return bool(re.fullmatch(r"\s*\\?[A-Za-z]+\s*", latex or ""))


def _plain_reach(problem: Problem) -> set[str]:
    """The names the step and its definitions in force use other than as the base of an entry."""
    out: set[str] = set()
    for e in [problem.lhs, problem.rhs, *problem.ctx.definitions.values()]:
        body = e.expr if isinstance(e, sp.Lambda) else e
        if isinstance(body, sp.Basic):
            out |= plain_names_used(body)
    return out


def misread_reason(problem: Problem, line: int, model_heads: dict[str, tuple[str, int, str, float]],
                   out_of_scope: dict[str, tuple[str, int, int]]) -> str | None:
    """Why a refutation of this problem (a step at `line`) would rest on a misreading, or None."""
    written, brought = _reach(problem)
    defined = {head_name(k) for k in problem.ctx.definitions}
    entries = sorted(n for n in written if n not in defined and _entry_of(n, defined))
    if entries:
        return "uses " + ", ".join(f"{n} (an entry of {split_name(n)[0]}, which the note defines entry by entry; "
                                   "this reading does not unfold it)" for n in entries)
    # a solved equation's unknown (x in x = x_k - f/f') is a letter again after its section; a name a model
    # or definition introduces (a' = a + k) is not free anywhere after it
    heads = {n: h for n, h in model_heads.items()
             if h[1] < line and (h[2] not in ("equation", "case") or line <= h[3])
             and n not in defined}
    solved = {n[:-2] for n in heads if n.endswith("_*")}  # p_1 solved for is stored as p_*: p_2, p_3 likewise
    plain = _plain_reach(problem)  # a scalar y set by a model is not the data y_i a step uses
    models = sorted(n for n in written | brought if (n in heads and (n in plain or not _scalar_head(heads[n][0])))
                    or _entry_of(n, set(heads)) or (split_name(n)[1] and split_name(n)[0] in solved))
    if models:
        def said(n: str) -> str:
            h = heads.get(n) or heads.get(split_name(n)[0] + "_*") or next(heads[d] for d in heads if _entry_of(n, {d}))
            if h[2] == "equation":
                return f"{n} (an unknown of the equation solved at line {h[1]} for {h[0]}: no free variable here)"
            how = {"model": "a model or update equation", "case": "a case the prose states"}.get(
                h[2], "a definition this reading does not bind")
            return f"{n if n not in heads else h[0]} (set at line {h[1]} by {how}, which gives it no value here)"
        return "uses " + ", ".join(said(n) for n in models)
    gone = sorted(n for n in brought if n in out_of_scope and out_of_scope[n][2] < line and n not in defined
                  and (n in plain or not _scalar_head(out_of_scope[n][0])))
    if gone:
        return "a definition it uses depends on " + ", ".join(
            f"{out_of_scope[n][0]} (defined at line {out_of_scope[n][1]} for its section, which ended at line "
            f"{out_of_scope[n][2]}; define it again to check this step)" for n in gone)
    return None


def solved_for(model_heads: dict, a, latex: str, line: int, scope_end: float) -> None:
    """A name a row after "setting ... to zero gives" solves for: p_1 solved for means the note solves
    for every p_k (p_2, p_3 "likewise") in this section; x solved for means x only."""
    if not isinstance(a, (sp.Symbol, sp.Indexed)):
        return
    base, sub = (str(a.base.label), "i") if isinstance(a, sp.Indexed) else split_name(a.name)
    model_heads.setdefault(f"{base}_*" if sub else base, (latex, line, EQUATION, scope_end))


def unread_definition(model_heads: dict, head, latex: str, line: int, scope_end: float) -> None:
    """A definition of entries in the prose whose formula is not read (``$d_i = \\sum_j W_{ij}$``, i free): the
    entries have a meaning the reading does not bind, so a refutation that leaves them free rests on a
    misreading (d_i defines every entry d_k: the base is recorded).  A plain name set to what is not read
    (``$x = \\{east, west\\}$``, a set) is left alone: it need not be a number at all."""
    if isinstance(head, sp.Symbol) and split_name(head.name)[1].isalpha() and len(split_name(head.name)[1]) == 1:
        model_heads.setdefault(split_name(head.name)[0], (latex, line, DEFINITION, scope_end))
