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
import re
from dataclasses import dataclass

import sympy as sp

from verifier.engine.problem import Problem
from verifier.model.results import CHECKED, PROVED, REFUTED, UNKNOWN, StepResult, Verdict
from verifier.notes.context import NoteContext
from verifier.notes.definitions import apply_entries, names_used, plain_names_used
from verifier.notes.notation import split_name
from verifier.notes.scopes import Binding, Scopes
from verifier.notes.steps import claim_problem
from verifier.notes.structure import Structure

#: prose that introduces a letter afresh in a later section ("let $f$ be any ...", "for a general $g$", 任意 $f$):
#: the ended definition of that letter is not carried into the section
_FRESH = (r"(?:\b(?:any|arbitrary|general|generic|some|another|every|each|let|suppose|consider|assume)\b"
          r"|任意|一般的|某个|某一|另一个|设|假设|考虑)[^.;。；]{0,40}?\$\s*")


@dataclass
class FreeReading:
    """The second reading of a claim: its problem with the names free, and what ended (for the message)."""

    problem: Problem | None
    ended: dict[str, tuple[str, int, int]]  # name -> (as written, line of the definition, end of its section)
    #: the definitions carried on without doubt (name -> binding) and why; the verdict is then the carried one's
    chosen: dict[str, Binding] | None = None
    why: str = ""
    free_message: str = ""  # why the free reading could not be stated, when it could not
    once: frozenset = frozenset()  # the names of `chosen` carried because the note defined them once (so far)

    def carried_bindings(self) -> list[Binding]:
        return sorted((b for b in (self.chosen or {}).values() if b is not None), key=lambda b: b.line)

    def carried_said(self) -> str:
        return ", ".join(f"{b.name} (line {b.line})" for b in self.carried_bindings()) \
            + f" carried on past the end of its section: {self.why}"

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
        for _, _, v in scopes.expired.get(n, ()):  # (every ended definition of n: the reading may carry any)
            for part in (v if isinstance(v, tuple) else (v,)):
                body = part.expr if isinstance(part, sp.Lambda) else part
                if isinstance(body, sp.Basic):
                    todo.extend(m for m in names_used(body) if m in nc.out_of_scope and m not in gone)
    return gone


def _head(written: str) -> str:
    """The letter of a definition as written: CE of \\operatorname{CE}(p, q), q of q_j, \\ell of \\ell(w, b)."""
    return re.split(r"\s*[(_^]", written.strip(), maxsplit=1)[0].strip()


_CASE_BEFORE = re.compile(r"(?:\b(?:if|when|whenever|unless)\b|如果|若|当|假如)[^.;。；$]*$", re.I)
_INLINE = re.compile(r"(?<!\\)\$([^$]+)\$")
_GIVEN = re.compile(r"^\s*(?:\\(?:mathbf|boldsymbol|bm|vec)\s*\{\s*)?\\?([A-Za-z]+)\s*\}?\s*(?:_\s*\{?[^{}=$]*\}?)?\s*=(?!=)")


def given_in_section(prose: str) -> set[str]:
    """The names the section's prose gives values to ("take $K = 3$, $\\mathbf{z} = (0, \\ln 2, \\ln 5)$"): a
    worked example, whose values a definition carried on would be read without."""
    out = set()
    for m in _INLINE.finditer(prose):
        g = _GIVEN.match(m.group(1))
        if g and not _CASE_BEFORE.search(prose[max(0, m.start() - 30):m.start()]):
            out.add(g.group(1))  # (a case's condition, "when $h = 0$", is read in its case: notes.case_readings)
    return out


def fresh_in_section(written: str, prose: str) -> bool:
    """Whether the prose introduces the letter of `written` afresh ("let $f$ be any function", 任意 $f$)."""
    head = _head(written)
    if not head:
        return False
    return bool(re.search(_FRESH + re.escape(head) + r"(?![A-Za-z])", prose, re.I))


def _plain_names(exprs) -> set[str]:
    """The names used other than as the base of an entry (y of y_i is not the scalar y)."""
    return set().union(*(plain_names_used(e) for e in exprs if isinstance(e, sp.Basic)))


def _bodies(scopes: Scopes, names: set[str]) -> list:
    out = []
    for n in names:
        for _, _, v in scopes.expired.get(n, ()):
            for part in (v if isinstance(v, tuple) else (v,)):
                out.append(part.expr if isinstance(part, sp.Lambda) else part)
    return out


def carried_for_certain(gone: set[str], line: int, scopes: Scopes, structure: Structure | None,
                        exprs: tuple = ()) -> tuple[dict[str, Binding | None], str, frozenset] | None:
    """The ended definitions a claim at `line` means without doubt, with the reason: of a name the note has
    defined once (not in an example, not "in this section only") and the claim's section does not introduce
    afresh; or the definition made in an earlier section that this section's prose cites by number ("for the
    Poisson family of 3.4").  None when some name of `gone` may mean something else."""
    if structure is None or not gone:
        return None
    cited = structure.cited_sections(line)
    prose = structure.section_prose(line)
    used = {split_name(n)[0] for n in set().union(*(names_used(e) for e in list(exprs) + _bodies(scopes, gone)
                                                     if isinstance(e, sp.Basic)))}
    if used & given_in_section(prose):
        return None  # the section works an example with values of its own: both readings, as for any ended one
    chosen: dict[str, Binding | None] = {}
    whys, once = set(), set()
    plain = _plain_names(list(exprs) + _bodies(scopes, gone))
    for n in gone:
        if n not in plain and all(isinstance(k, sp.Symbol) for _, k, _ in scopes.expired.get(n, ())):
            chosen[n] = None  # only entries y_i are used, the ended definition was of the scalar y: not restored
            continue
        ended = scopes.ended(n)
        in_cited = [bd for bd in ended if any(lo <= bd.line <= hi for lo, hi in cited)]
        if in_cited:
            chosen[n] = in_cited[-1]
            whys.add("the section cites the section of its definition")
            continue
        # (an example's binding, or one "in this section only", is no redefinition of the general letter)
        made = [bd for bd in scopes.history.get(n, []) if bd.carry]
        if len(made) != 1 or made[0] not in ended or fresh_in_section(made[0].name, prose):
            return None
        chosen[n] = made[0]
        once.add(n)
        whys.add("the note defines it once")
    return chosen, " and ".join(sorted(whys)), frozenset(once)


def scoped_problems(sr: StepResult, rel: str, pp, cp, a, b, nc: NoteContext, scopes: Scopes, shapes: dict,
                    deadline: float | None, structure: Structure | None = None
                    ) -> tuple[Problem | None, FreeReading | None]:
    """The claim's problem, and its free reading when it uses names whose definitions ended; a step that
    cannot be stated under both readings is settled as before (unknown: out of its definition's scope).
    Where the ended definitions are meant without doubt (:func:`carried_for_certain`) the reading carries
    them on; the free reading is kept (FreeReading.chosen set) in case a later redefinition makes it doubtful."""
    gone = out_of_scope_names(a, b, nc, scopes)
    if not gone:
        problem = claim_problem(sr, rel, pp, cp, a, b, nc, scopes, shapes, deadline)
        if problem is not None and nc.entries:  # L = -sum_k y_k log p_k with p_k defined entry-wise
            problem.ctx.definitions = {k: _with_entries(v, nc) for k, v in problem.ctx.definitions.items()}
        return problem, None
    ended = {n: nc.out_of_scope[n] for n in gone}
    certain = carried_for_certain(gone, sr.line or 0, scopes, structure, (a, b))
    chosen = certain[0] if certain else None
    with scopes.carried(gone, chosen) as ok:
        ca, cb = (_rebind_derivatives(a, nc), _rebind_derivatives(b, nc)) if ok else (a, b)
        problem = claim_problem(sr, rel, pp, cp, ca, cb, nc, scopes, shapes, deadline) if ok else None
        if problem is not None:  # a later definition that uses the ended ones reads them as carried on too
            problem.ctx.definitions = {k: _with_entries(v, nc) for k, v in problem.ctx.definitions.items()}
    if problem is None:  # settled (or not restorable): the scope's own reason, as before
        return claim_problem(sr, rel, pp, cp, a, b, nc, scopes, shapes, deadline), None
    free_sr = copy.copy(sr)
    with scopes.free(gone):
        free = claim_problem(free_sr, rel, pp, cp, a, b, nc, scopes, shapes, deadline)
    if certain is not None:
        return problem, FreeReading(free, ended, chosen, certain[1], free_sr.message, certain[2])
    if free is None:  # no free reading of the step (a derivative of an undefined name, ...): undecided
        sr.status, sr.method = UNKNOWN, "scope"
        sr.message = (f"uses {FreeReading(problem, ended).said()}: with the name free the step is not read "
                      f"({free_sr.message}); define it again to check this step")
        return None, None
    return problem, FreeReading(free, ended)


def _rebind_derivatives(e, nc: NoteContext):
    """d l / d w of a bare l whose definition l(w, b) is carried on: the derivative of that function (the
    step was bound while the definition was out of scope)."""
    if not isinstance(e, sp.Basic):
        return e
    return e.replace(lambda x: isinstance(x, sp.Derivative) and isinstance(x.expr, sp.Symbol)
                     and x.expr.name in nc.def_args, nc.bind)


def settle_certain(pending: list, scopes: Scopes) -> tuple[list, list[tuple[StepResult, str]]]:
    """After the whole note is read: a claim read with a definition carried on because the note defines it
    once keeps that reading only if no later definition of the name follows (else both readings are decided,
    as for any ended definition).  Returns the pending claims (a claim whose free reading cannot be stated and
    whose carrying became doubtful is settled `unknown` here and leaves the list) and, for each claim read
    with a definition carried on, its step and what to say of it."""
    out, carried = [], []
    for claim in pending:
        reading = claim.free
        if reading is None or reading.chosen is None:
            out.append(claim)
            continue
        if not any(len([bd for bd in scopes.history.get(n, []) if bd.carry]) > 1 for n in reading.once):
            claim.free = None  # the carried reading alone: it is what the note means
            claim.sr.uses += [{"definition": bd.name, "line": bd.line, "carried": reading.why}
                              for bd in reading.carried_bindings()]
            carried.append((claim.sr, reading.carried_said()))
            out.append(claim)
            continue
        reading.chosen = None
        if reading.problem is None:
            sr = claim.sr
            sr.status, sr.method = UNKNOWN, "scope"
            sr.message = (f"uses {reading.said()}: with the name free the step is not read "
                          f"({reading.free_message}); define it again to check this step")
            continue
        out.append(claim)
    return out, carried


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
