"""A claim that uses a name whose definition's section has ended: two readings.

After the end of its section a definition no longer holds (notes.scopes), but a later section may
still mean it (a chapter's notation, "once and for all") or may use the letter for something
general.  Which one the author means is not known, so the claim is decided under both readings:
with the ended definition carried on, and with the name free.  The verdict stands only when both
readings agree (refuted in both: whichever the author means, the step fails; proved or checked in
both: it holds either way); when they differ the step is `unknown`, with both outcomes.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

import sympy as sp

from verifier.engine.problem import Problem
from verifier.model.results import CHECKED, PROVED, REFUTED, UNKNOWN, StepResult, Verdict
from verifier.notes.context import NoteContext
from verifier.notes.definitions import apply_entries, names_used
from verifier.notes.scopes import Scopes
from verifier.notes.steps import claim_problem


@dataclass
class FreeReading:
    """The second reading of a claim: its problem with the names free, and what ended (for the message)."""

    problem: Problem
    ended: dict[str, tuple[str, int, int]]  # name -> (as written, line of the definition, end of its section)

    def said(self) -> str:
        return ", ".join(f"{w} (defined at line {line} for its section, which ended at line {end})"
                         for w, line, end in (self.ended[n] for n in sorted(self.ended)))


def out_of_scope_names(a: sp.Basic | None, b: sp.Basic | None, nc: NoteContext, scopes: Scopes) -> set[str]:
    """The names of the step whose definitions ended, and those their ended definitions use in turn."""
    if a is None or b is None:
        return set()
    todo = [n for n in names_used(a) | names_used(b) if n in nc.out_of_scope]
    gone: set[str] = set()
    while todo:
        n = todo.pop()
        if n in gone:
            continue
        gone.add(n)
        for _, _, v in scopes.expired.get(n, ()):
            for part in (v if isinstance(v, tuple) else (v,)):
                body = part.expr if isinstance(part, sp.Lambda) else part
                if isinstance(body, sp.Basic):
                    todo.extend(m for m in names_used(body) if m in nc.out_of_scope and m not in gone)
    return gone


def scoped_problems(sr: StepResult, rel: str, pp, cp, a, b, nc: NoteContext, scopes: Scopes, shapes: dict,
                    deadline: float | None) -> tuple[Problem | None, FreeReading | None]:
    """The claim's problem, and its free reading when it uses names whose definitions ended; a step that
    cannot be stated under both readings is settled as before (unknown: out of its definition's scope)."""
    gone = out_of_scope_names(a, b, nc, scopes)
    if not gone:
        problem = claim_problem(sr, rel, pp, cp, a, b, nc, scopes, shapes, deadline)
        if problem is not None and nc.entries:  # L = -sum_k y_k log p_k with p_k defined entry-wise
            problem.ctx.definitions = {k: _with_entries(v, nc) for k, v in problem.ctx.definitions.items()}
        return problem, None
    ended = {n: nc.out_of_scope[n] for n in gone}
    with scopes.carried(gone) as ok:
        problem = claim_problem(sr, rel, pp, cp, a, b, nc, scopes, shapes, deadline) if ok else None
        if problem is not None:  # a later definition that uses the ended ones reads them as carried on too
            problem.ctx.definitions = {k: _with_entries(v, nc) for k, v in problem.ctx.definitions.items()}
    if problem is None:  # settled (or not restorable): the scope's own reason, as before
        return claim_problem(sr, rel, pp, cp, a, b, nc, scopes, shapes, deadline), None
    free_sr = copy.copy(sr)
    with scopes.free(gone):
        free = claim_problem(free_sr, rel, pp, cp, a, b, nc, scopes, shapes, deadline)
    if free is None:  # no free reading of the step (a derivative of an undefined name, ...): undecided
        sr.status, sr.method = UNKNOWN, "scope"
        sr.message = (f"uses {FreeReading(problem, ended).said()}: with the name free the step is not read "
                      f"({free_sr.message}); define it again to check this step")
        return None, None
    return problem, FreeReading(free, ended)


def _with_entries(v, nc: NoteContext):
    if isinstance(v, sp.Lambda):
        body = apply_entries(v.expr, nc)
        return v if body == v.expr else sp.Lambda(v.variables, body)
    return apply_entries(v, nc) if isinstance(v, sp.Basic) else v


def combine(carried: Verdict, free: Verdict, reading: FreeReading) -> Verdict:
    """One verdict from the two readings: it stands when they agree, else unknown with both outcomes."""
    if carried.status == REFUTED and free.status == REFUTED:
        v = copy.copy(carried)
        v.message += f" (read with the definitions of {reading.said()} carried on; it fails with them free too)"
        return v
    if carried.status in (PROVED, CHECKED) and free.status in (PROVED, CHECKED):
        v = copy.copy(carried if carried.status == CHECKED or free.status == PROVED else free)
        v.message += f" (it holds both with the definitions of {reading.said()} carried on and with them free)"
        return v
    v = Verdict(UNKNOWN, "scope", f"uses {reading.said()}: read with that definition the step is "
                f"{carried.status} ({_short(carried.message)}), with the name free it is {free.status} "
                f"({_short(free.message)}); define it again to check this step")
    v.seconds = (carried.seconds or 0) + (free.seconds or 0)
    return v


def _short(message: str) -> str:
    line = (message or "").splitlines()[0] if message else ""
    return line if len(line) <= 160 else line[:157] + "..."
