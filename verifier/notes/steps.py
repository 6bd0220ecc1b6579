"""One step of a note, before the engine: what it says (its kind), what it is read as (its reading
and what it uses), and the problem the engine decides when it is a claim.

A step that the engine must not see (a non-claim, a side that did not parse, a non-scalar symbol, a
name defined in a form that could not be read, ...) is settled here, with the reason.
"""
from __future__ import annotations

import re
import time
from typing import Callable

import sympy as sp
from sympy.core.function import AppliedUndef

from verifier.engine.problem import DEFAULT_BUDGET, Problem
from verifier.model.chain import ARGMAX, ARGMIN
from verifier.model.domains import BY_NAME
from verifier.model.latex import to_latex
from verifier.model.results import UNKNOWN, UNPARSED, StepResult, Verdict
from verifier.notes.claim_ranges import claim_ranges
from verifier.notes.context import NoteContext
from verifier.notes.definitions import (
    apply_entries,
    bound_names,
    cases_of,
    guard_violations,
    names_used,
    opaque_difference,
    undefined_derivatives,
)
from verifier.notes.hints import unparsed_message
from verifier.notes.linalg_check import check_matrix_step, looks_like_matrices, prose_before, shaped_names
from verifier.notes.probability_reader import independence_at
from verifier.notes.reader import Parsed
from verifier.notes.relations import CHECKABLE
from verifier.notes.resolve import free_kronecker_indices
from verifier.notes.scan import ReadError
from verifier.notes.scopes import Scopes, context_for
from verifier.notes.shapes import Shape, non_scalar, shape_message

REL_NAME = {"=": "=", "<=": "<=", ">=": ">=", "<": "<", ">": ">", "==": "="}

_SIGN = {"=": "=", "<=": r"\le", ">=": r"\ge", "<": "<", ">": ">", ARGMIN: r"\Leftrightarrow_{\arg\min}",
         ARGMAX: r"\Leftrightarrow_{\arg\max}"}


def reading_of(a: sp.Basic | None, b: sp.Basic | None, relation: str) -> str:
    """LaTeX of the tool's reading of `a relation b` ('' when a side was not read)."""
    if a is None or b is None:
        return ""
    try:
        return f"{to_latex(a)} {_SIGN.get(relation, relation)} {to_latex(b)}"
    except Exception:  # noqa: BLE001 - the printer must never lose a step
        return f"{sp.sstr(a)} {relation} {sp.sstr(b)}"


def uses_of(a: sp.Basic | None, b: sp.Basic | None, nc: NoteContext, scopes: Scopes) -> list[dict]:
    """The definitions in force that the step uses (name and line) and the assumptions on its symbols."""
    names: set[str] = set()
    for e in (a, b):
        if e is not None:
            names |= names_used(e)
    out = scopes.uses(names)
    for n in sorted(names):
        if n in nc.domains:
            dom, why = nc.domains[n]
            desc = BY_NAME[dom].description if dom in BY_NAME else dom
            out.append({"assumption": f"{nc.notation.symbol(n)}: {desc}", "from": why})
    return out


def _settle(sr: StepResult, status: str, method: str, message: str) -> None:
    sr.status, sr.method, sr.message = status, method, message


def _matrix_step(sr: StepResult, rel: str, nc: NoteContext) -> Verdict | None:
    """The verdict of the matrix reading for a step with names the prose gives a shape (or matrix literals),
    or None when the step is not one for it (the scalar reading goes on)."""
    prose = prose_before(getattr(nc, "source_lines", []), sr.line or 0)
    shaped = shaped_names(sr.lhs + " " + sr.rhs, prose)
    if not (shaped or (rel == "=" and looks_like_matrices(sr.lhs + " " + sr.rhs))):
        return None
    v = (check_matrix_step(sr.lhs, sr.rhs, prose, budget=DEFAULT_BUDGET) if rel == "=" else
         Verdict(UNKNOWN, "types", f"the relation {rel} between vector or matrix expressions is not checked"))
    if v.status == UNKNOWN and (not shaped or only_entries(sr.lhs + " " + sr.rhs, shaped)):
        # not read as matrices: the types-before-values rules below decide what it is (y_k of a vector y
        # written only entry by entry is a number: the scalar reading, with what the prose states of y)
        return None
    if v.status == UNKNOWN:
        v.message = (f"{', '.join(shaped)} {'is a' if len(shaped) == 1 else 'are'} vector or matrix (from the prose); "
                     f"{v.message}")
    return v


_BOLD = r"\\(?:mathbf|boldsymbol|bm|vec)\s*\{?\s*"


def only_entries(latex: str, names: list[str]) -> bool:
    """Every use of these vector names in the step is a plain entry (y_k), never the vector itself
    (y, \\mathbf{y}, y^\\top) nor a bold sample (\\mathbf{x}_i)."""
    for name in names:
        letter = re.escape(name.lstrip("\\"))
        if re.search(_BOLD + letter + r"(?![A-Za-z])", latex):
            return False
        uses = re.findall(r"(?<![A-Za-z\\])" + letter + r"(?![A-Za-z])\s*(_?)", latex)
        if not uses or not all(uses):
            return False
    return True


# -- guards: a claim the note leaves unable to mean what it says is unknown, with the reason --------------
# each guard takes (sr, a, b, nc, deadline) and gives (method, message) when the step cannot be decided

Guard = Callable[[StepResult, sp.Basic, sp.Basic, NoteContext, "float | None"], "tuple[str, str] | None"]


def _unread_definition(sr: StepResult, a, b, nc: NoteContext, deadline) -> tuple[str, str] | None:
    unread = sorted(n for n in names_used(a) | names_used(b) if n in nc.unread_definitions)
    if not unread:
        return None
    return "undefined", "uses " + ", ".join(
        f"{nc.notation.symbol(n)} (defined at line {nc.unread_definitions[n]} in a form that could not be read)"
        for n in unread)


def _out_of_scope(sr: StepResult, a, b, nc: NoteContext, deadline) -> tuple[str, str] | None:
    gone = sorted(n for n in names_used(a) | names_used(b) if n in nc.out_of_scope)
    if not gone:
        return None
    return "scope", "uses " + ", ".join(
        "{} (defined at line {} for its {}, which ended at line {}; define it again to check this step)".format(
            nc.out_of_scope[n][0], nc.out_of_scope[n][1], "section", nc.out_of_scope[n][2]) for n in gone)


def _on_either_side(find: Callable, message: str) -> Guard:
    """A guard that finds names on either side of the step (find(expr, nc) -> set of names) and, when
    there are any, leaves the step undefined with `message` naming them ({})."""
    def guard(sr: StepResult, a, b, nc: NoteContext, deadline) -> tuple[str, str] | None:
        found = find(a, nc) | find(b, nc)
        return ("undefined", message.format(", ".join(sorted(found)))) if found else None
    return guard


_undefined_derivative = _on_either_side(
    undefined_derivatives, "differentiates {}, which the note does not define "
    "(a derivative of an undefined name cannot be checked)")
_free_kronecker = _on_either_side(
    lambda e, nc: free_kronecker_indices(e), "a Kronecker delta over {}, which no sum in the step "
    "binds (its range and the entries it picks are not known)")
_other_arguments = _on_either_side(
    guard_violations, "uses {} with other arguments than its definition in "
    "the note, which does not say what it means then")


def _opaque_arguments(sr: StepResult, a, b, nc: NoteContext, deadline) -> tuple[str, str] | None:
    opaque = opaque_difference(a, b, nc)
    if not opaque:
        return None
    return "undefined", f"the step changes the arguments of {opaque}, which the note does not define; define " \
        "it in a display equation to check this step"


_DIFFERENTIAL = re.compile(r"\\[dtc]?frac\s*\{\s*(?:\\mathrm\s*\{\s*d\s*\}|d)\s*\^|"
                           r"\}\s*\{\s*(?:\\mathrm\s*\{\s*d\s*\}|d)\s*(?:[A-Za-z(]|\\[A-Za-z]|\{)")


def _differential_as_name(sr: StepResult, a, b, nc: NoteContext, deadline) -> tuple[str, str] | None:
    """\\frac{d^2 g}{...} whose reading keeps a letter d, or a letter d beside a name dz of a variable z
    of the step (``d/dz``, ``(d)/(dz)``): the d of a derivative was read as a name."""
    names = {x.name.replace("\\mathrm", "").strip("{} ") for e in (a, b) for x in e.free_symbols
             if isinstance(x, sp.Symbol)}
    if "d" not in names:
        return None
    differential = any(n[:1] == "d" and n[1:].strip("{} ") in names for n in names if len(n) > 1)
    if not differential and not _DIFFERENTIAL.search(sr.lhs + " " + sr.rhs):
        return None
    return "reading", "the d of a derivative is read as a letter d (the derivative was not recognised)"


def _run_deadline(sr: StepResult, a, b, nc: NoteContext, deadline) -> tuple[str, str] | None:
    if deadline is None or deadline - time.monotonic() > 0:
        return None
    return "timeout", "the total time limit of the run was reached (raise it with --max-total-time)"


#: the guards in the order they are tried; the first that finds something settles the step
GUARDS: list[tuple[str, Guard]] = [
    ("unread definition", _unread_definition),
    ("out of scope", _out_of_scope),
    ("undefined derivative", _undefined_derivative),
    ("free Kronecker delta", _free_kronecker),
    ("other arguments", _other_arguments),
    ("opaque arguments", _opaque_arguments),
    ("differential read as a name", _differential_as_name),
    ("run deadline", _run_deadline),
]


def claim_problem(sr: StepResult, rel: str, pp, cp, a, b, nc: NoteContext, scopes: Scopes,
                  shapes: dict[str, Shape], deadline: float | None) -> Problem | None:
    """The engine's problem for a claim, or None when the step is settled here (with the reason)."""
    matrix = _matrix_step(sr, rel, nc)
    if matrix is not None:  # a vector / matrix step, decided by the matrix reading (notes.linalg_check)
        sr.status, sr.method, sr.message, sr.counterexample = (matrix.status, matrix.method, matrix.message,
                                                               matrix.counterexample)
        return None
    read = {str(s) for s in nc.ctx.random}  # random variables the probability reading declared
    shapes = {k: v for k, v in shapes.items() if not (v.what == "random variable" and k in read)}
    shape = non_scalar(sr.lhs, shapes) or non_scalar(sr.rhs, shapes)
    if shape is not None:
        _settle(sr, UNKNOWN, "type", shape_message(shape))
        if a is not None and b is not None:
            sr.reading = reading_of(a, b, REL_NAME.get(rel, rel))
        return None
    for p, written in ((pp, sr.lhs), (cp, sr.rhs)):
        if isinstance(p, ReadError):
            _settle(sr, UNPARSED, "reader", unparsed_message(written, p.fragment, p.reason))  # notes.hints
            return None
    if not isinstance(pp, Parsed) or not isinstance(cp, Parsed) or a is None or b is None:
        _settle(sr, UNKNOWN, "reader", "a side of the step was not read")
        return None
    sr.reading = reading_of(a, b, REL_NAME.get(rel, rel))
    sr.uses = uses_of(a, b, nc, scopes)
    a, b = apply_entries(a, nc), apply_entries(b, nc)
    if rel not in CHECKABLE and rel != "==":
        _settle(sr, UNKNOWN, "unsupported", {"!=": "a claim that two sides differ needs a witness"}.get(
            rel, f"the relation {rel} is not checked"))
        return None
    relation = REL_NAME[rel]
    over: tuple = ()
    prev_sense = None
    if pp.sense or cp.sense:
        if not (pp.sense and cp.sense) or relation != "=":
            _settle(sr, UNKNOWN, "unsupported", "compares an optimisation objective with a plain expression")
            return None
        names = cp.over or pp.over
        if not names:
            _settle(sr, UNKNOWN, "unsupported", "an argmin/argmax without its variables")
            return None
        over = tuple(nc.over_object(n, [a, b]) for n in names)
        relation = ARGMIN if cp.sense == "min" else ARGMAX
        prev_sense = pp.sense
        sr.relation = relation
    for _, guard in GUARDS:  # what the note leaves the step unable to mean: unknown, with the reason
        found = guard(sr, a, b, nc, deadline)
        if found is not None:
            _settle(sr, UNKNOWN, *found)
            return None
    # a bound variable (sum index, integration, limit, derivative or argmin variable) keeps its role:
    # a value the prose gave a letter of the same name is not substituted for it
    keep_out = bound_names(a, b) | {str(getattr(o, "name", o)) for o in over}
    keep_out |= {str(getattr(o, "label", "")) for o in over}
    cases = cases_of(a) or cases_of(b)
    independence_at(nc, sr.line)  # the independence stated in this step's section (notes.probability_reader)
    ctx = context_for(claim_ranges(nc.ctx, (a, b), nc.summed_only), keep_out)  # (notes.claim_ranges)
    return Problem(a, b, relation, ctx, over=over, prev_sense=prev_sense,
                   cases=cases if cases and relation not in (ARGMIN, ARGMAX) else None)


def head_is_name(e: sp.Basic | None) -> bool:
    return isinstance(e, (sp.Symbol, AppliedUndef, sp.Indexed))
