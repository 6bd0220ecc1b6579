"""``verify check``: find the derivations written in notes and check every step.

Markdown (any text file) or TeX: display math is found (:mod:`verifier.notes.blocks`), read
(:mod:`verifier.notes.reader`), given domains and definitions, and each step is decided by the engine.

Every failure is local: an expression that does not parse gives ``unparsed`` steps with
the fragment quoted, an undefined name or a timeout gives ``unknown``; the rest of the
file is still checked.  Input errors (missing file, binary file, bad encoding, a file
over the size limit) raise :class:`InputError`, which the command turns into one line
on stderr and exit code 2.
"""
from __future__ import annotations

import re
import time
from typing import Callable, Sequence

import sympy as sp
from sympy.core.function import AppliedUndef

from verifier.engine.decide import decide_step, default_jobs
from verifier.engine.problem import DEFAULT_BUDGET
from verifier.model.results import NOTED, REFUTED, UNKNOWN, StepResult
from verifier.notes.blocks import find_blocks, find_inline, is_hugo
from verifier.notes.case_readings import (case_sentence, case_values, example_value, put_in, settle_case,
                                          solved_values)
from verifier.notes.caveats import (StepView, caveat_of, latest_values, prose_values_of, stated_bounds,
                                    stated_constraints, stated_ranges, values_for)
from verifier.notes.chains import chains_of
from verifier.notes.context import NoteContext
from verifier.notes.decisions import Claim, ReadNote, decide_all
from verifier.notes.definitions import (
    apply_entries,
    between_constants,
    define,
    entry_index,
    is_new_name,
    names_used,
    written_as_name,
)
from verifier.notes.domains import (
    BELOW_ONE,
    Stated,
    assumption,
    combine_bounds,
    demote_refutations,
    settle_bounds,
    stated_domains,
)
from verifier.notes.hints import unparsed_message
from verifier.notes.inline import definition_line, inline_relations
from verifier.notes.latent_laws import latent_law, law_of_refutation, supports_of
from verifier.notes.misreadings import head_name, misread_reason, solved_for, unread_definition
from verifier.notes.namings import definition_form, probability_call, vector_definition_line
from verifier.notes.event_variables import event_variables
from verifier.notes.letters import note_letters
from verifier.notes.normalise import t_is_a_scalar
from verifier.notes.notation import Notation
from verifier.notes.parsing import CHUNK, PARSE_BUDGET, ParsedChain, start_parse
from verifier.notes.pragmas import read_pragmas
from verifier.notes.finite_laws import finite_set_laws
from verifier.notes.probability_reader import declare_random, read_probability, unread_operators
from verifier.notes.reader import (Parsed, Reader, entry_definition_body, entry_definition_chain,
                                    function_names_of)
from verifier.notes.report import BlockReport, FileReport
from verifier.notes.resolve import indexed_names_of
from verifier.notes.scan import DEFAULT_MAX_EXPR_SIZE, ReadError
from verifier.notes.scope_readings import scoped_problems, settle_certain
from verifier.notes.scopes import Scopes
from verifier.notes.shapes import declared_shapes
from verifier.notes.statement_rules import ChainState, StepAt, settle_statement
from verifier.notes.statements import (
    DEFINITION,
    EQUATION,
    ITERATE,
    MODEL,
    NOTATION,
    PROSE_CUES,
    RELATION_KINDS,
    stated_under_a_case,
    form_kind,
    is_distribution,
    last_sentences,
    noted_message,
    prose_cues,
)
from verifier.notes.steps import REL_NAME, reading_of
from verifier.notes.structure import END, Structure, note_structure
from verifier.notes.symmetric_readings import stated_at, stated_symmetric, symmetric_reading
from verifier.notes.table_laws import table_supports

_DERIVATIVE_SIDE = re.compile(r"\\partial|\\nabla|\\frac\s*\{\s*d|\\frac\s*d|\\mathrm\{d\}|[A-Za-z]'+\s*\(")
_ENGINE_DECIDE_STEP = decide_step  # the engine's own; bench/latex_path.py replaces check.decide_step to spy on it
_SOFT_EQUATION = "equation?"  # a row in an equation-solving context: decided, noted if not an identity
_ZERO_SIDE = re.compile(r"\s*(?:0|\\mathbf\{0\}|\\boldsymbol\{0\})\s*[.,;]?\s*$")
_NOT_CLAIMS = {"~": "is approximate, proportional or a distribution statement, not an equation: not checked"}


def check_text(text: str, path: str = "<string>", *, tex: bool | None = None, assumptions: Sequence[str] = (),
               budget: float = DEFAULT_BUDGET, max_expr_size: int = DEFAULT_MAX_EXPR_SIZE,
               deadline: float | None = None, on_step=None, jobs: int = 1) -> FileReport:
    """Check every chain of display math in a note (Markdown or, with tex=True, TeX)."""
    note = read_text(text, path, tex=tex, assumptions=assumptions, budget=budget, max_expr_size=max_expr_size,
                     deadline=deadline, on_step=on_step, jobs=jobs)
    decide_all(note.pending, budget, deadline, on_step, jobs, note.spy)
    return note.finish()


def read_text(text: str, path: str = "<string>", *, tex: bool | None = None, assumptions: Sequence[str] = (),
              budget: float = DEFAULT_BUDGET, max_expr_size: int = DEFAULT_MAX_EXPR_SIZE,
              deadline: float | None = None, on_step=None, jobs: int = 0) -> ReadNote:
    """Read every chain of display math in a note and state its claims as problems (not yet decided);
    the expressions are read by `jobs` workers at once (0: every core)."""
    return begin_reading(text, path, tex=tex, assumptions=assumptions, budget=budget, max_expr_size=max_expr_size,
                         deadline=deadline, on_step=on_step, jobs=jobs)()


def begin_reading(text: str, path: str = "<string>", *, tex: bool | None = None, assumptions: Sequence[str] = (),
                  budget: float = DEFAULT_BUDGET, max_expr_size: int = DEFAULT_MAX_EXPR_SIZE,
                  deadline: float | None = None, on_step=None, jobs: int = 0) -> Callable[[], ReadNote]:
    """:func:`read_text` in two halves: the note's expressions are sent to the workers now, and the
    function returned waits for them and reads the rest (so the next note is read while this one ends)."""
    start = time.monotonic()
    if tex is None:
        tex = str(path).lower().endswith(".tex")
    hugo = (not tex) and is_hugo(text)
    notation = Notation()
    blocks = find_blocks(text, tex)
    pragmas = read_pragmas(text)  # verify: skip / skip-file / assume / allow (notes.pragmas)
    if pragmas.skip_file:
        return lambda: ReadNote(FileReport(str(path), allow=pragmas.allow, pragmas=pragmas.to_json()), [])
    skipped = pragmas.skipped_blocks([(b.line, b.body_line + b.body.count("\n")) for b in blocks])
    blocks = [b for b in blocks if b.line not in skipped]
    inline = find_inline(text, tex)
    structure = note_structure(text, tex)
    shapes = declared_shapes(text)
    math_text = "\n".join([b.body for b in blocks] + [t for _, t in inline])
    notation.scalar_t = t_is_a_scalar(math_text)  # \sum_{t=0}^{T}: x^{T} is a power (notes.normalise)
    # 0 < \pi < 1: a name, not 3.14159; \Delta w: one name, not Delta times w; C_n^k (notes.letters)
    note_letters(notation, math_text, text)
    reader = Reader(notation, function_names_of(math_text), max_expr_size, indexed=indexed_names_of(math_text))
    reader.finite_laws = finite_set_laws(text)  # "P and Q are distributions on the same finite set" (notes.finite_laws)
    reader.event_variables = event_variables(text)  # P(X = 0) and P(Y = 0) apart (notes.event_variables)
    # a joint law as a Markdown table: its values (notes.table_laws); a discrete latent's states (notes.latent_laws)
    reader.supports = {**table_supports(text), **supports_of(latent_law(text))}

    # assumptions from the command line first (they win), then the note's statements
    user: list[Stated] = []
    for line, a in pragmas.assumptions:
        try:
            user.extend(Stated(st.name, st.domain, f"verify: assume {st.reason} (line {line})")
                        for st in assumption(reader, a))
        except ValueError as exc:
            pragmas.problems.append({"line": line, "message": str(exc)})
    for a in assumptions:
        user.extend(Stated(st.name, st.domain, f"--assume {st.reason}") for st in assumption(reader, a))
    user = combine_bounds(user)  # p>0 and p<1 -> (0, 1); a lone p<1 is settled after prepare

    # read every expression: display chains and inline definitions
    block_chains = [(b, chains_of(b, hugo)) for b in blocks]
    items: list[str] = [seg.latex for _, chains in block_chains for c in chains for seg in c.segments]
    lines = text.splitlines()
    inline_chains, prose_values = inline_relations(inline, lines, hugo)  # and the values given for the moment
    items += [x for _, l, r in inline_chains for x in (l, r)]
    started = start_parse(items, reader, max(PARSE_BUDGET, budget), chunk=CHUNK, jobs=jobs or default_jobs())

    def rest() -> ReadNote:
        parsed = started()
        it = iter(parsed)
        # (d_i = \sum_j W_{ij}: an entry's definition, read again with i an index: notes.reader)
        block_parsed = [(b, [ParsedChain(entry_definition_chain(reader, [(seg, next(it)) for seg in c.segments]),
                                         c.conditional, c.consequent) for c in chains])
                        for b, chains in block_chains]
        inline_parsed = [(line, lp, entry_definition_body(reader, lp, next(it), rt))
                         for line, _, rt in inline_chains for lp in (next(it),)]

        exprs = [p.expr for p in parsed if isinstance(p, Parsed)]
        nc = NoteContext(notation)
        nc.indexed_names = set(indexed_names_of(math_text))
        nc.source_lines = text.splitlines()  # the prose around a step, for the shapes it states (linalg_check)
        text_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        stated_inline = [t for ln, t in inline if not stated_under_a_case(text_lines, ln, t)]
        for st in stated_domains(reader, [b.body for b in blocks] + stated_inline):
            nc.state(st)
        for st in user:
            if st.domain != BELOW_ONE:
                nc.state(st, override=True)
        nc.prepare(exprs, text)
        unused_bounds = settle_bounds(nc.domains, user)  # p<1 for a p not known to be positive
        declare_random(nc, reader, text)

        report = FileReport(str(path), allow=pragmas.allow)
        # events in file order: inline definitions and blocks
        block_lines = sorted((b.line, b.body_line + b.body.count("\n")) for b in blocks)
        events: list[tuple[int, int, object]] = [(line, 0, (line, l, r, False)) for line, l, r in inline_parsed]
        events += [(definition_line(line, lines, block_lines), 0, (line, l, r, True)) for line, l, r in inline_parsed
                   if definition_line(line, lines, block_lines) != line]
        events += [(b.line, 1, (b, chains)) for b, chains in block_parsed]
        events.sort(key=lambda x: (x[0], x[1]))
        note = _Note(nc, Scopes(nc), structure, shapes, block_lines, deadline)
        note.constraints = {k: v for k, v in stated_constraints(text).items()
                            if nc.domains.get(k, ("",))[0] != "probability"}
        note.bounds = stated_bounds(text)  # 0 < gamma_t < 1/2: a refutation outside it is no error (notes.caveats)
        note.ranges = stated_ranges(text)  # h in {0, ..., m}: a point outside it is no counterexample (notes.caveats)
        note.prose_values = prose_values_of(reader, prose_values, nc, note.scope_end)
        note.inline, note.reader = inline, reader
        for at, kind, payload in events:
            for name in note.scopes.advance(at):
                note.used.discard(name)
            if kind == 0:
                note.inline_definition(at, *payload)
                continue
            b, chains = payload
            br_ = BlockReport(b.line)
            report.blocks.append(br_)
            note.block_prose(b.line)
            note.after_equation = len(report.blocks) > 1 and any(  # notes.case_readings.solved_values
                s.kind == EQUATION or any(c.sr is s and c.solving for c in note.pending) for s in report.blocks[-2].steps)
            index = 0
            for chain in chains:
                try:
                    index = note.chain(chain, br_, index)
                except Exception as exc:  # noqa: BLE001 - a failure stays local to its chain
                    seg = chain[0][0] if chain else None
                    br_.steps.append(StepResult(index=index, relation="=", lhs=seg.latex if seg else "", rhs="",
                                                status=UNKNOWN, method="error", line=seg.line if seg else b.line,
                                                message=f"internal error while reading this chain: "
                                                        f"{type(exc).__name__}: {exc}"))
                    index += 1
        # a definition carried on because the note defines it once: only if no later definition of it follows
        note.pending, carried = settle_certain(note.pending, note.scopes)
        spy = None if decide_step is _ENGINE_DECIDE_STEP else decide_step  # a harness watching the engine (bench/)
        # a refutation that would rest on a misreading (notes.misreadings) is unknown: the reason travels with the claim
        symmetric = stated_symmetric(text, inline)  # "W is a symmetric matrix" (notes.symmetric_readings)
        for claim in note.pending:
            claim.misread = misread_reason(claim.problem, claim.sr.line, nc.model_heads, nc.out_of_scope)
            claim.symmetric = symmetric_reading(claim.problem, nc.notation.symbol,
                                                stated_at(symmetric, claim.sr.line or 0, structure.statement_span))

        def finish() -> FileReport:  # after the claims are decided
            for br_ in report.blocks:
                br_.steps.sort(key=lambda s: s.index)
            for sr, said in note.case_claims:
                settle_case(sr, said)
            for sr, said in carried:  # the reading that carried a definition on, visible beside the verdict
                sr.message = f"{sr.message} (read with {said})" if sr.message else f"read with {said}"
            for st in unused_bounds:  # never a refutation that may break the user's own bound
                demote_refutations(report.steps, nc.notation.symbol(st.name), st.reason)
                pragmas.problems.append({"line": 1, "message": f"{st.reason}: an upper bound is read only together with "
                                         "a lower bound 0; write 0<p<1, or add p>0"})
            report.assumptions = nc.assumptions_json()
            report.pragmas = pragmas.to_json(skipped)
            report.seconds = time.monotonic() - start
            return report

        return ReadNote(report, note.pending, finish, spy)

    return rest


class _Note:
    """The state of checking one note: its context, scopes, what it has used, the claims to decide."""

    def __init__(self, nc: NoteContext, scopes: Scopes, structure: Structure, shapes: dict, block_lines, deadline):
        self.nc, self.scopes, self.structure, self.shapes = nc, scopes, structure, shapes
        self.block_lines = block_lines
        self.deadline = deadline
        self.used: set[str] = set()
        self.pending: list[Claim] = []  # the claims, for the engine
        self.cues: dict[str, str] = {}
        self.block_line = 0
        self.case = False
        self.constraints: dict = {}  # normalisations the note states (notes.caveats)
        self.bounds: dict = {}  # numeric bounds the prose states (notes.caveats)
        self.ranges: dict = {}  # integer ranges up to another name the prose states (notes.caveats)
        self.prose_values: dict = {}  # name -> [(as written, line, value)]: values the prose gives for the moment
        self.vector_heads: dict = {}  # defined function -> the line of its definition on a bold argument
        self.inline: list = []  # (line, body) of the inline math of the note
        self.reader = None  # the note's LaTeX reader (for the conditions of a case, notes.case_readings)
        self.case_claims: list = []  # (step, the case's words): claims read with a case's values put in
        self.after_equation = False  # the display before this one solves equations (notes.case_readings)

    # -- scopes ------------------------------------------------------------------------------
    def scope_end(self, line: int) -> float:
        """The last line a definition made at `line` holds on: its example's, else the note's end for
        one made for the whole note (notation, set-up, a formal definition), else its section's."""
        prose_line = self._prose_line(line)
        ex = self.structure.example_end(prose_line, self.block_lines)
        if ex is not None and ex >= line:
            return ex
        if self.structure.note_wide(line, prose_line) and not self._other_units(line):
            return END
        return self.structure.section_end(line)

    def _other_units(self, line: int) -> bool:
        """Whether some section measures information in other units (bits) than the one at `line`: a
        definition's logs are read in its own section's unit, so it is not carried into those sections."""
        bits = getattr(self.nc, "bits_lines", ())
        return bool(bits) and not any(lo <= line <= hi for lo, hi in bits)

    def _prose_line(self, line: int) -> int:
        """The line of prose a display at `line` belongs to (the last non-blank line before it)."""
        if self.structure.paragraph_at(line):
            return line
        k = line - 1
        while k > 0 and k <= len(self.structure.lines) and (not self.structure.lines[k - 1].strip()
                                                             or k in self.structure.math_lines):
            k -= 1  # back over blank lines and the display's own lines ($$, earlier rows)
        return k

    def carries(self, line: int) -> bool:
        """May a definition made at `line` carry on past its section (notes.scope_readings)?"""
        return self.structure.carries(line, self._prose_line(line), self.block_lines)

    def define(self, name_latex: str, a, b, line: int) -> bool:
        ok = self.scopes.define(lambda: define(self.nc, a, b), name_latex, line, self.scope_end(line),
                                self.carries(line))
        if ok and isinstance(a, AppliedUndef):
            # g(\boldsymbol{x}) = ...: a function of a vector; g(x^i) later is another function (of a component)
            self.vector_heads[a.func] = vector_definition_line(a, name_latex, line)
        return ok

    def block_prose(self, line: int) -> None:
        self.block_line = line
        prose = last_sentences(self.structure.prose_before(line))
        self.cues = prose_cues(prose)
        last = prose_cues(last_sentences(prose, 1))
        if DEFINITION in last and MODEL not in last:
            self.cues.pop(MODEL, None)  # the sentence that introduces the display names it: "... are represented as"
        # "if all observations are zero, then $$\hat\lambda = 0$$": the display holds in that case only
        self.case = "case" in self.cues and not self.cues.get(EQUATION)
        self.case_text = case_sentence(prose) if self.case else ""  # its values are put in (notes.case_readings)
        self.case_values = case_values(self.case_text, lambda t: self.reader.read(t).expr, self.nc.bind) \
            if self.case_text and self.reader is not None else {}
        # "define $L = ...$." defines inline: its cue is used up, the display after it is not a redefinition
        tail = re.split(r"\$[^$]*=[^$]*\$", prose)[-1]
        if DEFINITION in self.cues and not PROSE_CUES[DEFINITION].search(tail):
            del self.cues[DEFINITION]

    # -- inline definitions ---------------------------------------------------------------------
    def inline_definition(self, at: int, line: int, l, r, hoisted: bool) -> None:
        nc = self.nc
        if isinstance(l, Parsed) and isinstance(r, ReadError) and written_as_name(l.latex):
            unread_definition(nc.model_heads, nc.bind(l.expr), l.latex, line, self.scope_end(line))
        if isinstance(l, Parsed) and isinstance(r, Parsed) and not l.sense and not r.sense \
                and written_as_name(l.latex):
            bl, br = nc.bind(l.expr), nc.bind(r.expr)
            if hoisted and (br.is_number or isinstance(br, sp.Symbol)):
                return  # "where $x = 0$" may say where, not what: only a formula is taken back
            if (is_new_name(bl, nc.ctx, self.used) or self.undefined_by_note(bl)) \
                    and (not isinstance(bl, sp.Indexed) or entry_index(bl)):
                self.scopes.define(lambda: define(nc, bl, br), l.latex, line, self.scope_end(line),
                                   self.carries(line))

    # -- chains ----------------------------------------------------------------------------------
    def noted(self, br: BlockReport, index: int, kind: str, cue: str, pseg, seg, rel: str, a, b) -> int:
        sign = getattr(seg, "sign", "") or rel
        sr = StepResult(index=index, relation=REL_NAME.get(rel, sign), lhs=pseg.latex, rhs=seg.latex, status=NOTED,
                        method=kind, line=seg.line, why=getattr(seg, "remark", "") or "", kind=kind,
                        message=noted_message(kind, cue), reading=reading_of(a, b, REL_NAME.get(rel, rel)))
        br.steps.append(sr)
        if kind in (MODEL, DEFINITION, EQUATION) and isinstance(a, (sp.Symbol, sp.Indexed, AppliedUndef)) \
                and not (b is not None and head_name(a) in names_used(b)):  # w <- w - eta g keeps w free
            self.nc.model_heads.setdefault(head_name(a), (pseg.latex, seg.line, kind, self.scope_end(seg.line)))
        return index + 1

    def chain(self, chain: list, br: BlockReport, index: int) -> int:
        nc = self.nc
        conditional = getattr(chain, "conditional", False)
        # after an arrow nothing is defined; before one only functions are (x = 3 \Rightarrow ... is a condition)
        defining = not getattr(chain, "consequent", False)
        bound: list = read_probability([nc.bind(p.expr) if isinstance(p, Parsed) else None for _, p in chain], nc,
                                       head=DEFINITION not in self.cues and not (  # notes.probability_reader
                                           len(chain) > 1 and chain[1][0].relation in (":=", "==")),
                                       line=chain[0][0].line if chain else None)
        if unread_operators(bound, nc, chain[0][0].line):
            defining = False  # E[N | C] = ... in a note about random variables: not a definition of E
        # before the "= 0" of a chain, a derivative worked out is a claim (dl/dlambda = n/lambda - s = 0)
        self.computing = not getattr(chain, "consequent", False) and bool(chain) and not br.steps \
            and bool(_DERIVATIVE_SIDE.search(chain[0][0].latex))
        if len(chain) == 1:
            seg, p = chain[0]
            if isinstance(p, ReadError):
                br.unread.append({"line": seg.line, "latex": seg.latex,
                                  "message": unparsed_message(seg.latex, p.fragment, p.reason)})
            elif bound[0] is not None:
                self.used.update(s.name for s in bound[0].free_symbols if isinstance(s, sp.Symbol))
            return index
        # solving: "setting ... to zero gives", 令…等于0, 可解得
        state = ChainState(chain, bound, conditional, defining, EQUATION in self.cues)
        for k in range(1, len(chain)):
            (pseg, pp), (seg, cp) = chain[k - 1], chain[k]
            rel = seg.relation or "="
            a, b = bound[k - 1], bound[k]
            if rel in ("in", "->", "=>"):
                break  # a statement about a name, not a step
            head = k == 1 and written_as_name(pseg.latex)
            settled = settle_statement(self, state, StepAt(k, pseg, pp, seg, cp, rel, a, b), br, index)
            if settled is not None:  # a non-claim (notes.statement_rules): noted, and bound when it defines
                index = settled
                continue
            state.defining = False
            kind_cue = self._kind(rel, pseg.latex, seg.latex, head, state.solving)
            if _ZERO_SIDE.match(seg.latex):
                self.computing = False  # the rows after "= 0" follow from the equation
            soft = kind_cue[1] if kind_cue is not None and kind_cue[0] == _SOFT_EQUATION else None
            if soft is not None:
                kind_cue = None
            if kind_cue is not None:
                if kind_cue[0] == EQUATION:
                    state.solving = True  # the rows after an equation follow from it
                if rel in _NOT_CLAIMS:
                    sign = getattr(seg, "sign", "") or rel
                    br.skipped.append({"line": seg.line, "relation": sign, "lhs": pseg.latex, "rhs": seg.latex,
                                       "message": f"{sign} {_NOT_CLAIMS[rel]}"})
                if kind_cue[0] == MODEL and head and kind_cue[1] == self.cues.get(MODEL) and a is not None \
                        and b is not None and definition_form(a) and not isinstance(pp, ReadError):
                    self.define(pseg.latex, a, b, seg.line)  # "the algorithm sets w_1 = ...": later steps use it
                index = self.noted(br, index, kind_cue[0], kind_cue[1], pseg, seg, rel, a, b)
                continue  # the chain goes on: p \propto q \propto r = s checks r = s
            sr = StepResult(index=index, relation=REL_NAME.get(rel, rel), lhs=pseg.latex, rhs=seg.latex,
                            status=UNKNOWN, line=seg.line, why=getattr(seg, "remark", "") or "")
            index += 1
            br.steps.append(sr)
            given = self.given_values(sr, rel, a, b)
            if given:  # "即 $m_{u,a} = 8$" ... a step that puts in the numbers: read with the prose's values
                swap = {x: given[x.name][2] for e in (a, b) for x in e.free_symbols
                        if isinstance(x, sp.Symbol) and x.name in given}
                a, b = a.xreplace(swap), b.xreplace(swap)
            try:
                # two readings where it uses a name whose definition's section ended (notes.scope_readings)
                problem, free = scoped_problems(sr, rel, pp, cp, a, b, nc, self.scopes, self.shapes, self.deadline,
                                                self.structure)
                sr.uses += [{"assumption": written, "from": f"line {line} (a value the prose gives)"}
                            for written, line, _ in sorted(given.values(), key=lambda g: g[1])]
            except Exception as exc:  # noqa: BLE001 - every failure stays local to its step
                sr.status, sr.method = UNKNOWN, "error"
                sr.message = f"internal error while checking this step: {type(exc).__name__}: {exc}"
                problem, free = None, None
            # (a refuted vector equation in unknowns too; a computation between matrix literals stays decided;
            # a vector set to 0 that is no identity is an equation wherever it stands: notes.linalg_check)
            if problem is None and (sr.method == EQUATION or soft is not None and (
                    sr.method in ("type", "reading", "scope", "undefined")
                    or (sr.status == REFUTED and sr.counterexample))):
                # a vector equation after "setting ... to zero": it follows from the equation, claims nothing
                sr.status, sr.kind, sr.method = NOTED, EQUATION, EQUATION
                sr.message = noted_message(EQUATION, soft or "a vector or matrix set to 0") + "; " + sr.message
            in_case = self.case and problem is not None and put_in(problem, self.case_values)
            if in_case:  # "当 $y_i = 1$ 时": the step read in its case (notes.case_readings)
                self.case_claims.append((sr, self.case_text))
                _ = free is not None and free.problem is not None and put_in(free.problem, self.case_values)
            if problem is None:
                example_value(sr, self.cues, head, rel, b)  # G_t = 1 in "a quick example: suppose ..."
            if problem is not None:
                case = self.cues["case"] if self.case and not in_case \
                    and not between_constants(a, b, nc.ctx.definitions) else False
                if free is not None and free.chosen is not None:  # the caveats see the definitions carried on
                    with self.scopes.carried(set(free.ended), free.chosen):
                        caveat = self.caveat(sr, rel, a, b)
                else:
                    caveat = self.caveat(sr, rel, a, b)
                if solved_values(sr, caveat, self.after_equation):
                    continue  # p_1 = p_2 = 1/3 after the equations that give them (notes.case_readings)
                self.pending.append(Claim(sr, problem, conditional or case, nc.notation, soft, caveat, free=free,
                                          law=law_of_refutation(nc, a, b)))
                if soft is not None and k == 1 and written_as_name(pseg.latex):
                    solved_for(nc.model_heads, a, pseg.latex, seg.line, self.scope_end(seg.line))
        for x in bound:
            if x is not None:
                self.used.update(s.name for s in x.free_symbols if isinstance(s, sp.Symbol))
        return index

    def caveat(self, sr: StepResult, rel: str, a, b) -> str | None:
        """Why a refutation of this claim would be no error of the note (notes.caveats), or None."""
        return None if a is None or b is None else caveat_of(self._view(sr, rel, a, b))

    def _view(self, sr: StepResult, rel: str, a, b) -> StepView:
        calls = {f.func.__name__ for e in (a, b) for f in e.atoms(AppliedUndef)}
        meaningful = frozenset({str(r) for r in getattr(self.nc.ctx, "random", ())} | calls)
        return StepView(sr.lhs, sr.rhs, REL_NAME.get(rel, rel), apply_entries(a, self.nc), apply_entries(b, self.nc),
                        dict(self.nc.ctx.definitions), self.nc.notation.symbol, self.constraints,
                        self.latest_values(sr.line or 0), meaningful,
                        self.structure.section_math(self.inline, sr.line or 0), self.bounds, self.ranges)

    def latest_values(self, line: int) -> dict[str, tuple]:
        return latest_values(self.prose_values, self.structure, line)

    def given_values(self, sr: StepResult, rel: str, a, b) -> dict[str, tuple]:
        """The prose's values to put in for a step that replaces names by those numbers (notes.caveats)."""
        if a is None or b is None or rel != "=":
            return {}
        return values_for(self._view(sr, rel, a, b), self.latest_values(sr.line or 0))

    def undefined_by_note(self, a) -> bool:
        """A call the note has not defined itself: a built-in reading (sigma is the sigmoid), or a
        function defined only at other fixed arguments (P(X=1) = p, then P(X=0) = 1 - p)."""
        if not isinstance(a, AppliedUndef) or not (definition_form(a) or probability_call(a)):
            return False
        if not any(any(k == a.func for _, k in b.keys) for b in self.scopes.active()):
            return True
        fixed = self.nc.guards.get(a.func)
        return probability_call(a) and bool(fixed) and any(
            k < len(a.args) and a.args[k] != v for k, v in fixed.items())

    def _kind(self, rel: str, lhs: str, rhs: str, head: bool, solving: bool) -> tuple[str, str] | None:
        """(kind, cue) of a step that is not a claim, or None for a claim."""
        if rel == "~" and is_distribution(rhs):
            return NOTATION, "a random variable's law stated"
        if rel in RELATION_KINDS:
            return RELATION_KINDS[rel], ""
        form = form_kind(lhs, rhs)
        if form is not None and form[1] != ITERATE and not (form[0] == EQUATION and rel != "="):
            return form  # (a known iterate restated is a claim; f'' <= 0 is a claim, not an equation to solve)
        if solving and not (self.computing and not _ZERO_SIDE.match(rhs)):
            # a row after "setting ... to zero gives": decided, and read as following from the
            # equation (noted, never refuted) when it does not hold as an identity
            return _SOFT_EQUATION, self.cues.get(EQUATION, "follows from an equation above")
        if head and MODEL in self.cues and rel == "=":
            return MODEL, self.cues[MODEL]
        return None
