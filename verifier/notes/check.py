"""``verify check``: find the derivations written in notes and check every step.

Markdown (any text file) or TeX: display math is found (:mod:`verifier.notes.blocks`),
read (:mod:`verifier.notes.reader`), given domains (:mod:`verifier.notes.domains`) and
definitions (a new name on the left of ``=`` defines it for the rest of the file), and
each step is decided by the engine of the catalog (``Problem`` + ``decide_step``).

Every failure is local: an expression that does not parse gives ``unparsed`` steps with
the fragment quoted, an undefined name or a timeout gives ``unknown``; the rest of the
file is still checked.  Input errors (missing file, binary file, bad encoding, a file
over the size limit) raise :class:`InputError`, which the command turns into one line
on stderr and exit code 2.
"""
from __future__ import annotations

import re
import time
from typing import Iterable, Sequence

import sympy as sp
from sympy.core.function import AppliedUndef

from verifier.engine.cache import default_cache
from verifier.engine.decide import decide_step
from verifier.engine.problem import DEFAULT_BUDGET, Problem
from verifier.model.chain import ARGMAX, ARGMIN
from verifier.model.results import (
    UNKNOWN,
    UNPARSED,
    StepResult,
)
from verifier.notes.blocks import find_blocks, find_inline, is_hugo
from verifier.notes.chains import chains_of
from verifier.notes.context import NoteContext
from verifier.notes.definitions import (
    DEFINING,
    cases_of,
    define,
    defined_name,
    guard_violations,
    is_new_name,
    names_used,
    opaque_difference,
    undefined_derivatives,
    written_as_name,
)
from verifier.notes.domains import (
    Stated,
    assumption,
    stated_domains,
)
from verifier.notes.files import Limits, note_files, read_note
from verifier.notes.notation import Notation
from verifier.notes.parsing import PARSE_BUDGET, parse_many
from verifier.notes.pending import (
    BATCH,
    PendingStep,
    apply_verdict,
    cached_report,
    decide_pending,
    finish_step,
    note_key,
    snapshot,
    store_reports,
)
from verifier.notes.reader import Parsed, Reader, function_names_of
from verifier.notes.relations import CHECKABLE, split_relations
from verifier.notes.report import BlockReport, CheckReport, FileReport
from verifier.notes.resolve import free_kronecker_indices, indexed_names_of
from verifier.notes.scan import DEFAULT_MAX_EXPR_SIZE, ReadError

_REL_NAME = {"=": "=", "<=": "<=", ">=": ">=", "<": "<", ">": ">", "==": "="}



_NOT_CLAIMS = {"~": "is approximate, proportional or a distribution statement, not an equation: not checked"}



def check_text(text: str, path: str = "<string>", *, tex: bool | None = None, assumptions: Sequence[str] = (),
               budget: float = DEFAULT_BUDGET, max_expr_size: int = DEFAULT_MAX_EXPR_SIZE,
               deadline: float | None = None, on_step=None, pending: list | None = None) -> FileReport:
    """Check every chain of display math in a note (Markdown or, with tex=True, TeX).

    With `pending` (a list), the note's claims are not decided here: each is appended as a
    :class:`PendingStep` (its problem against a snapshot of the context at its place) for the
    caller to decide with the other notes' steps in one batch (:func:`check_paths`)."""
    start = time.monotonic()
    if tex is None:
        tex = str(path).lower().endswith(".tex")
    hugo = (not tex) and is_hugo(text)
    notation = Notation()
    blocks = find_blocks(text, tex)
    inline = find_inline(text, tex)
    math_text = "\n".join([b.body for b in blocks] + [t for _, t in inline])
    reader = Reader(notation, function_names_of(math_text), max_expr_size, indexed=indexed_names_of(math_text))

    # assumptions from the command line first (they win), then the note's statements
    user: list[Stated] = []
    for a in assumptions:
        user.extend(assumption(reader, a))

    # read every expression: display chains and inline definitions
    block_chains = [(b, chains_of(b, hugo)) for b in blocks]
    items: list[str] = [seg.latex for _, chains in block_chains for c in chains for seg in c.segments]
    inline_chains = []
    for line, body in inline:
        body = body.replace("\\\\{", "\\{").replace("\\\\}", "\\}") if hugo else body
        for piece in _split_commas(body):
            parts = split_relations(piece)
            if len(parts) == 2 and parts[1][0] in DEFINING and parts[0][1].strip() and parts[1][1].strip():
                inline_chains.append((line, parts[0][1].strip(), parts[1][1].strip()))
    items += [x for _, l, r in inline_chains for x in (l, r)]
    parsed = parse_many(items, reader, max(PARSE_BUDGET, budget))
    it = iter(parsed)
    block_parsed = [(b, [_ParsedChain([(seg, next(it)) for seg in c.segments], c.conditional, c.consequent)
                         for c in chains])
                    for b, chains in block_chains]
    inline_parsed = [(line, next(it), next(it)) for line, _, _ in inline_chains]

    exprs = [p.expr for p in parsed if isinstance(p, Parsed)]
    nc = NoteContext(notation)
    for st in stated_domains(reader, [b.body for b in blocks] + [t for _, t in inline]):
        nc.state(st)
    for st in user:
        nc.state(Stated(st.name, st.domain, f"--assume {st.reason}"), override=True)
    nc.prepare(exprs, text)

    report = FileReport(str(path))
    # events in file order: inline definitions and blocks
    lines = text.splitlines()
    block_lines = sorted((b.line, b.body_line + b.body.count("\n")) for b in blocks)
    events: list[tuple[int, int, object]] = [(line, 0, (l, r, False)) for line, l, r in inline_parsed]
    events += [(_definition_line(line, lines, block_lines), 0, (l, r, True)) for line, l, r in inline_parsed
               if _definition_line(line, lines, block_lines) != line]
    events += [(b.line, 1, (b, chains)) for b, chains in block_parsed]
    events.sort(key=lambda x: (x[0], x[1]))
    used: set[str] = set()
    index = 0
    for _, kind, payload in events:
        if kind == 0:
            l, r, hoisted = payload
            if isinstance(l, Parsed) and isinstance(r, Parsed) and not l.sense and not r.sense \
                    and written_as_name(l.latex):
                bl, br = nc.bind(l.expr), nc.bind(r.expr)
                if hoisted and (br.is_number or isinstance(br, sp.Symbol)):
                    continue  # "where $x = 0$" may say where, not what: only a formula is taken back
                if is_new_name(bl, nc.ctx, used) and not isinstance(bl, sp.Indexed):
                    define(nc, bl, br)
            continue
        b, chains = payload
        br_ = BlockReport(b.line)
        report.blocks.append(br_)
        for chain in chains:
            index = _check_chain(chain, nc, br_, used, index, budget, deadline, on_step, pending)
    report.assumptions = nc.assumptions_json()
    report.seconds = time.monotonic() - start
    return report



_WHERE = re.compile(r"(?:^|[^A-Za-z])(?:where|here|with)\b|其中|这里|此处", re.I)



def _definition_line(line: int, lines: list[str], block_lines: list[tuple[int, int]]) -> int:
    """Where an inline definition takes effect: "where $m = ...$" right after a display block names
    something that block uses, so it applies from that block on; any other inline definition
    applies from its own line."""
    if not 0 < line <= len(lines):
        return line
    before = lines[line - 1].split("$", 1)[0]
    if not _WHERE.search(before):
        return line
    prior = [b for b in block_lines if b[1] < line]
    if not prior:
        return line
    start, end = prior[-1]
    # only prose between the end of the block and the "where" (no other mathematics)
    if any("$" in ln or "\\[" in ln or "\\begin" in ln or "\\end" in ln for ln in lines[end:line - 1]):
        return line
    return start



def _split_commas(body: str) -> list[str]:
    out, depth, start = [], 0, 0
    for j, c in enumerate(body):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            out.append(body[start:j])
            start = j + 1
    out.append(body[start:])
    return [x.strip() for x in out if x.strip()]



class _ParsedChain(list):
    """The (segment, parsed) pairs of one chain; `conditional` when implications join it."""

    def __init__(self, items, conditional: bool = False, consequent: bool = False) -> None:
        super().__init__(items)
        self.conditional = conditional
        self.consequent = consequent



def _check_chain(chain: list, nc: NoteContext, br: BlockReport, used: set, index: int, budget: float,
                 deadline: float | None, on_step, pending: list | None = None) -> int:
    ctx = nc.ctx
    conditional = getattr(chain, "conditional", False)
    # after an arrow nothing is defined; before one only functions are (x = 3 \Rightarrow ... is a condition)
    defining = not getattr(chain, "consequent", False)
    bound: list = [nc.bind(p.expr) if isinstance(p, Parsed) else None for _, p in chain]
    if len(chain) == 1:
        seg, p = chain[0]
        if isinstance(p, ReadError):
            br.unread.append({"line": seg.line, "latex": seg.latex, "message": f"{p.reason}: {p.fragment}"})
        elif bound[0] is not None:
            used.update(s.name for s in bound[0].free_symbols if isinstance(s, sp.Symbol))
        return index
    for k in range(1, len(chain)):
        (pseg, pp), (seg, cp) = chain[k - 1], chain[k]
        rel = seg.relation or "="
        a, b = bound[k - 1], bound[k]
        # definitions: a new name on the left of = (or :=) at the start of a chain
        if defining and rel in DEFINING and a is not None and is_new_name(a, ctx, used) \
                and written_as_name(pseg.latex) and not (conditional and isinstance(a, sp.Symbol)):
            if b is None and isinstance(cp, ReadError):
                # a definition the reader could not read: later uses of the name are not checkable
                nc.unread_definitions[defined_name(a)] = seg.line
            if b is not None and not cp.sense and define(nc, a, b):
                br.definitions.append({"line": seg.line, "name": pseg.latex, "value": seg.latex})
                continue
            if b is not None and cp.sense:  # \hat\theta = argmax ...: a label, nothing to check
                continue
        if k == 1 and rel == "=" and b is not None and cp.sense and not pp.sense \
                and isinstance(a, (sp.Symbol, AppliedUndef)):
            continue  # \hat\theta = argmax ...: a label for the optimiser, nothing to check
        defining = False
        if rel == ":=":
            continue
        if rel in _NOT_CLAIMS:
            sign = getattr(seg, "sign", "") or rel
            br.skipped.append({"line": seg.line, "relation": sign, "lhs": pseg.latex, "rhs": seg.latex,
                               "message": f"{sign} {_NOT_CLAIMS[rel]}"})
            continue  # the chain goes on: p \propto q \propto r = s checks r = s
        if rel in ("in", "->", "=>"):
            break  # a statement about a name, not a step
        sr = StepResult(index=index, relation=_REL_NAME.get(rel, rel), lhs=pseg.latex, rhs=seg.latex,
                        status=UNKNOWN, line=seg.line, why=getattr(seg, "remark", "") or "")
        index += 1
        br.steps.append(sr)
        try:
            problem = _decide(sr, rel, pp, cp, a, b, nc, budget, deadline, pending is not None)
        except Exception as exc:  # noqa: BLE001 - every failure stays local to its step
            problem = None
            sr.status, sr.method = UNKNOWN, "error"
            sr.message = f"internal error while checking this step: {type(exc).__name__}: {exc}"
        if problem is not None:
            pending.append(PendingStep(sr, problem, nc.notation, conditional, on_step))  # type: ignore[union-attr]
            continue
        finish_step(sr, conditional, on_step)
    for x in bound:
        if x is not None:
            used.update(s.name for s in x.free_symbols if isinstance(s, sp.Symbol))
    return index



def _decide(sr: StepResult, rel: str, pp, cp, a, b, nc: NoteContext, budget: float, deadline: float | None,
            defer: bool = False) -> Problem | None:
    for p, seg_latex in ((pp, sr.lhs), (cp, sr.rhs)):
        if isinstance(p, ReadError):
            sr.status, sr.method = UNPARSED, "reader"
            sr.message = f"could not read {p.fragment!r}: {p.reason}"
            return
    if rel not in CHECKABLE and rel != "==":
        sr.method = "unsupported"
        sr.message = {"~": "an approximate relation is not checked", "!=": "a claim that two sides differ needs a witness"}.get(
            rel, f"the relation {rel} is not checked")
        return
    relation = _REL_NAME[rel]
    over: tuple = ()
    prev_sense = None
    if pp.sense or cp.sense:
        if not (pp.sense and cp.sense) or relation != "=":
            sr.method = "unsupported"
            sr.message = "compares an optimisation objective with a plain expression"
            return
        names = cp.over or pp.over
        if not names:
            sr.method = "unsupported"
            sr.message = "an argmin/argmax without its variables"
            return
        over = tuple(nc.over_object(n, [a, b]) for n in names)
        relation = ARGMIN if cp.sense == "min" else ARGMAX
        prev_sense = pp.sense
        sr.relation = relation
    unread = sorted(n for n in names_used(a) | names_used(b) if n in nc.unread_definitions)
    if unread:
        sr.method = "undefined"
        sr.message = ("uses " + ", ".join(f"{nc.notation.symbol(n)} (defined at line {nc.unread_definitions[n]} "
                                          "in a form that could not be read)" for n in unread))
        return
    undefined = undefined_derivatives(a, nc) | undefined_derivatives(b, nc)
    if undefined:
        sr.method = "undefined"
        sr.message = ("differentiates " + ", ".join(sorted(undefined)) + ", which the note does not define "
                      "(a derivative of an undefined name cannot be checked)")
        return
    free_kd = free_kronecker_indices(a) | free_kronecker_indices(b)
    if free_kd:
        sr.method = "undefined"
        sr.message = ("a Kronecker delta over " + ", ".join(sorted(free_kd)) + ", which no sum in the step binds "
                      "(its range and the entries it picks are not known)")
        return
    guarded = guard_violations(a, nc) | guard_violations(b, nc)
    if guarded:
        sr.method = "undefined"
        sr.message = ("uses " + ", ".join(sorted(guarded)) + " with other arguments than its definition "
                      "in the note, which does not say what it means then")
        return
    opaque = opaque_difference(a, b, nc)
    if opaque:
        sr.method = "undefined"
        sr.message = (f"the step changes the arguments of {opaque}, which the note does not define; "
                      f"define it in a display equation to check this step")
        return
    left = budget
    if deadline is not None:
        left = min(budget, deadline - time.monotonic())
        if left <= 0:
            sr.method = "timeout"
            sr.message = "the total time limit of the run was reached (raise it with --max-total-time)"
            return
    cases = cases_of(a) or cases_of(b)
    problem = Problem(a, b, relation, snapshot(nc.ctx) if defer else nc.ctx, over=over, prev_sense=prev_sense,
                      cases=cases if cases and relation not in (ARGMIN, ARGMAX) else None)
    if defer:
        return problem
    v = decide_step(problem, left)
    apply_verdict(sr, v, nc.notation)
    if v.method == "timeout" and deadline is not None and left < budget:
        sr.message += " (the total time limit of the run was reached; raise it with --max-total-time)"
    return None



def check_paths(paths: Iterable[str], *, assumptions: Sequence[str] = (), budget: float = DEFAULT_BUDGET,
                limits: Limits | None = None, on_step=None, jobs: int = 0) -> CheckReport:
    """Check every note under the paths (raises InputError for unusable input).

    Notes are read one at a time (a directory of thousands streams); each note's claims, read
    against its definitions, wait in a batch that goes to the engine's workers at once
    (:func:`verifier.engine.decide.decide_problems`, `jobs` at a time, through the verdict cache)
    whenever it holds BATCH steps, and at the end."""
    limits = limits or Limits()
    start = time.monotonic()
    deadline = start + limits.max_total_time
    files = note_files(paths)
    for f in files:  # input errors before any work (exit code 2)
        read_note(f, limits.max_file_size)
    rep = CheckReport()
    pending: list[PendingStep] = []
    store = default_cache()
    waiting: list[tuple[FileReport, str | None]] = []  # reports whose steps are being decided
    for f in files:
        text = read_note(f, limits.max_file_size)
        key = note_key(text, str(f), assumptions, limits.max_expr_size) if store is not None else None
        hit = cached_report(store, key, str(f))
        if hit is not None:
            rep.files.append(hit)
            for b in hit.blocks:
                for sr in b.steps:
                    if on_step:
                        on_step(sr)
            continue
        fr = check_text(text, str(f), assumptions=assumptions, budget=budget, max_expr_size=limits.max_expr_size,
                        deadline=deadline, on_step=on_step, pending=pending)
        rep.files.append(fr)
        waiting.append((fr, key))
        if len(pending) >= BATCH:
            decide_pending(pending, budget, jobs, deadline)
            store_reports(store, waiting)
    decide_pending(pending, budget, jobs, deadline)
    store_reports(store, waiting)
    rep.seconds = time.monotonic() - start
    return rep
