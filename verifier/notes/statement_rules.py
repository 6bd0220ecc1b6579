"""The rules that settle a step of a chain that is not a claim: a model written in its form, a name
at the head of a chain (a definition, read or not), a function redefined at a component, a result
named on the right of ``=``, a name given to an optimiser.

A registry (:data:`RULES`): each rule looks at one step and either settles it (it reports the step
as noted, binds what it defines, and returns the next step index) or returns None, and the next
rule is tried; a step no rule settles is a claim (``notes.check``).  A rule may end the chain's
defining part (``ChainState.defining``), which holds for the steps after it.

The rules call back into the note (``notes.check._Note``) through the methods ``noted``, ``define``,
``undefined_by_note`` and the attributes ``nc``, ``cues``, ``used``, ``case``, ``vector_heads``,
``structure``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

import sympy as sp
from sympy.core.function import AppliedUndef

from verifier.notes.definitions import DEFINING, defined_name, is_new_name, written_as_name
from verifier.notes.namings import (
    called_a_function,
    component_redefinition,
    definition_form,
    expectation_call,
    named_result,
    probability_call,
    readable_value,
)
from verifier.notes.noise_models import note_noise
from verifier.notes.notation import split_name
from verifier.notes.report import BlockReport
from verifier.notes.scan import ReadError
from verifier.notes.statements import (
    BY_DEFINITION,
    DEFINES_WORDS,
    DEFINITION,
    EQUATION,
    ITERATE,
    MODEL,
    NEW_VALUE,
    NOTATION,
    form_kind,
    is_collection,
    is_increment,
    is_range,
    last_sentences,
    log_head,
    noted_message,
    operator_call,
    operator_prefix,
)


@dataclass
class ChainState:
    """What holds along one chain: its (segment, parsed) pairs, their bound readings, whether it is
    the condition of an implication, whether its head may still define, whether it solves an equation."""

    chain: list
    bound: list
    conditional: bool
    defining: bool
    solving: bool


@dataclass
class StepAt:
    """The k-th step of a chain: the segments and readings of its two sides and its relation."""

    k: int
    pseg: Any
    pp: Any
    seg: Any
    cp: Any
    rel: str
    a: sp.Basic | None
    b: sp.Basic | None

    @property
    def head(self) -> bool:
        """The first step of a chain whose left side is written as a name."""
        return self.k == 1 and written_as_name(self.pseg.latex)


Rule = Callable[[Any, ChainState, StepAt, BlockReport, int], "int | None"]


def _model_form(note, st: ChainState, s: StepAt, br: BlockReport, index: int) -> int | None:
    """h_t = tanh(W h_{t-1} + x_t): a model written in its form (a recurrence, an update), not a definition."""
    form = form_kind(s.pseg.latex, s.seg.latex) if s.k == 1 else None
    if form is None or form[0] != MODEL or s.rel not in DEFINING:
        return None
    if form[1] == NEW_VALUE and DEFINITION in note.cues and st.defining:
        return None  # "denote a' = a + k" (记): a new name defined, not an update of a
    if form[1] == ITERATE and not (s.a is not None and is_new_name(s.a, note.nc.ctx, note.used)):
        return None  # x_1 = x_0 - ... once x_1 is known: a claim about it
    st.defining = False
    if form[1] == ITERATE and s.b is not None:
        note.define(s.pseg.latex, s.a, s.b, s.seg.line)  # the iterate has its value from here on
    return note.noted(br, index, MODEL, form[1], s.pseg, s.seg, s.rel, s.a, s.b)


def _case_value(note, st: ChainState, s: StepAt, br: BlockReport, index: int) -> int | None:
    """"If all observations are zero, then lambda-hat = 0", 如果取 a = b = 1，那么 E[theta | D] = ...: a name's
    value in a case of the prose, not a definition for the note (nothing is bound) and not an identity.  Where
    the case gives names values ("when $h = 0$") and the head has a meaning, it is a claim read in the case."""
    if note.case and getattr(note, "case_values", None) and s.head and s.rel == "=" and isinstance(s.a, sp.Symbol) \
            and (s.a in note.nc.ctx.definitions or s.a.name in note.nc.out_of_scope):
        st.defining = False  # u = pi (1 - theta)^m "when h = 0": decided with h = 0 put in (notes.case_readings)
        return None
    if not (note.case and s.head and s.rel == "=" and DEFINITION not in note.cues and MODEL not in note.cues
            and not st.conditional
            and isinstance(s.a, (sp.Symbol, sp.Indexed, AppliedUndef))
            and (not is_new_name(s.a, note.nc.ctx, note.used) or expectation_call(s.a))):
        return None  # a new name here is defined (x-bar = ... "if we have n observations"): the rules below
    st.defining = False
    heads = dict(note.nc.model_heads)
    out = note.noted(br, index, EQUATION, f"a value in a case of the prose ({note.cues['case']!r})",
                     s.pseg, s.seg, s.rel, s.a, s.b)
    note.nc.model_heads.clear()
    note.nc.model_heads.update(heads)  # the name keeps its meaning outside the case: no unknown of an equation
    return out


def _unread_head(note, st: ChainState, s: StepAt, br: BlockReport, index: int) -> int | None:
    """A name at the head of a chain that the reader could not read: it is named, not claimed."""
    if not (st.defining and s.k == 1 and s.rel in DEFINING and isinstance(s.pp, ReadError)
            and written_as_name(s.pseg.latex) and not st.conditional):
        return None
    st.defining = False
    return note.noted(br, index, cue_kind(note, s.pseg.latex),
                      f"its left side could not be read: {s.pp.reason}", s.pseg, s.seg, s.rel, s.a, s.b)


def cue_kind(note, head: str) -> str:
    """The kind the prose gives a name defined at a chain's head: a shorthand ("abbreviate", 简记) is
    notation, under a model cue a model, else a definition; an increment \\Delta W is named, not updated."""
    if NOTATION in note.cues:
        return NOTATION
    return MODEL if MODEL in note.cues and not is_increment(head) else DEFINITION


_POWER_OF_NAME = re.compile(r"\s*(?:\\left\s*)?\(\s*(.+?)\s*(?:\\right\s*)?\)\s*\^\s*(?:2|\{\s*2\s*\})\s*$")


def _unread_squared_head(note, st: ChainState, s: StepAt, br: BlockReport, index: int) -> int | None:
    """(\\sigma^*)^2 = s^2 at the head of a chain, the name unread: the square of a name, named like the name
    itself (``unread head``) -- a name given to a value, never a claim."""
    m = _POWER_OF_NAME.match(s.pseg.latex)
    if not (m and st.defining and s.k == 1 and s.rel in DEFINING and isinstance(s.pp, ReadError)
            and written_as_name(m.group(1)) and not st.conditional):
        return None
    st.defining = False
    return note.noted(br, index, MODEL if MODEL in note.cues else DEFINITION,
                      f"the square of a name; its left side could not be read: {s.pp.reason}", s.pseg, s.seg, s.rel,
                      s.a, s.b)


def _defines(note, st: ChainState, s: StepAt) -> bool:
    """A new name on the left of = (or :=) at the start of a chain, or any name after "let / define /
    denote / 记 / 令" (a redefinition shadows the old one)."""
    nc, a = note.nc, s.a
    if not (st.defining and s.rel in DEFINING and a is not None and written_as_name(s.pseg.latex)):
        return False
    cue_defines = s.head and DEFINITION in note.cues and not st.solving and definition_form(a)
    return (is_new_name(a, nc.ctx, note.used) or note.undefined_by_note(a) or s.rel == ":=" or cue_defines
            or (isinstance(a, sp.Symbol) and a.name in nc.out_of_scope)) \
        and not (st.conditional and isinstance(a, sp.Symbol))


def _noise_model(note, st: ChainState, s: StepAt, br: BlockReport, index: int) -> int | None:
    """y_i = w x_i + b + \\varepsilon_i with \\varepsilon_i ~ N(0, sigma^2) written in the note: a model of how the
    data arise (notes.noise_models), noted and not bound (unless the prose says "let" / "define")."""
    if not (s.k == 1 and st.defining and s.rel in DEFINING and written_as_name(s.pseg.latex)) \
            or DEFINITION in note.cues or st.conditional:
        return None
    noise = getattr(note.nc, "noise", None)
    if noise is None:  # once per note
        noise = note.nc.noise = note_noise(getattr(note.nc, "source_lines", []), note.block_lines)
    why = noise.model_term(s.pseg.latex, s.seg.latex, s.seg.line)
    if why is None:
        return None
    st.defining = False
    return note.noted(br, index, MODEL, f"a model with {why}: it defines nothing, the data keep their values",
                      s.pseg, s.seg, s.rel, s.a, s.b)


def _definition(note, st: ChainState, s: StepAt, br: BlockReport, index: int) -> int | None:
    """A definition: bound for the later steps of its scope (notes.scopes) and reported as noted."""
    if not _defines(note, st, s):
        return None
    nc, a, b, pseg, seg, cp, rel = note.nc, s.a, s.b, s.pseg, s.seg, s.cp, s.rel
    st.defining = False
    kind = MODEL if probability_call(a) and not called_a_function(a, nc.source_lines) else cue_kind(note, pseg.latex)
    if b is None and isinstance(cp, ReadError):
        later = readable_value(st.chain, st.bound, s.k)
        if later is not None and note.define(pseg.latex, a, later, seg.line):
            # p_k = softmax(z)_k = e^{z_k} / sum_j e^{z_j}: the value read further on the chain
            br.definitions.append({"line": seg.line, "name": pseg.latex, "value": seg.latex})
            return note.noted(br, index, kind, "its value read from the end of the chain", pseg, seg, rel, a, b)
        # a definition the reader could not read: later uses of the name are not checkable
        nc.unread_definitions[defined_name(a)] = seg.line
        base, sub = split_name(defined_name(a))
        if re.fullmatch(r"[a-z]", sub):
            nc.unread_definitions.setdefault(base, seg.line)  # p_k: every entry of p
        if _SET.match(seg.latex) or (_LISTED.match(seg.latex) and is_range(f"{pseg.latex} = {seg.latex}")):
            kind = NOTATION  # D = \{(x_i, y_i)\}_{i=1}^n, i = 1, \dots, n: notation, not a value
        return note.noted(br, index, kind, f"not read: {cp.reason}: {cp.fragment}; later steps that "
                          "use it are unknown", pseg, seg, rel, a, b)
    if b is not None and cp.sense:  # \hat\theta = argmax ...: a label, nothing to check
        return note.noted(br, index, DEFINITION, "a name for the optimiser", pseg, seg, rel, a, b)
    kind = NOTATION if is_collection(seg.latex) else kind
    cue = ""
    if st.solving and isinstance(a, sp.Symbol) and any(_ZERO_ROW.match(x.rhs) for x in br.steps):
        # "setting ... to zero and solving": the new name after the "= 0" row is its solution
        kind, cue = EQUATION, "the solution of the equation above"
    if b is not None and note.define(pseg.latex, a, b, seg.line):
        br.definitions.append({"line": seg.line, "name": pseg.latex, "value": seg.latex})
        return note.noted(br, index, kind, cue, pseg, seg, rel, a, b)
    return None


def _stated_definition(note, st: ChainState, s: StepAt, br: BlockReport, index: int) -> int | None:
    """p(z | x) = p(x, z) / p(x) after "by definition of conditional probability": a probability defined in the
    prose's words is a definition (the rule ``definition`` would call a probability at its head a model)."""
    if BY_DEFINITION not in note.cues or MODEL in note.cues or s.a is None or not probability_call(s.a):
        return None
    out = _definition(note, st, s, br, index)
    if out is not None and br.steps and br.steps[-1].kind == MODEL:
        last = br.steps[-1]
        last.kind = last.method = DEFINITION
        last.message = noted_message(DEFINITION, note.cues[BY_DEFINITION])
    return out


def _summed_over(func, b: sp.Basic) -> bool:
    """Is every call of func in b under a sum over a letter among its arguments (\\sum_y P(y) H(X | Y = y))?
    D(P, Q) = D(Q, P) at a first appearance is a claim about D, not a definition through it."""
    calls = {c for c in b.atoms(AppliedUndef) if c.func == func}
    summed = {c for sm in b.atoms(sp.Sum) for c in sm.function.atoms(AppliedUndef)
              if c.func == func and {lim[0] for lim in sm.limits} & c.free_symbols}
    return bool(calls) and calls <= summed


def _self_referring_definition(note, st: ChainState, s: StepAt, br: BlockReport, index: int) -> int | None:
    """H(X | Y) = \\sum_y P(y) H(X | Y = y) = ...: a definition through the name at other arguments cannot be
    bound as written; it is bound to the value read further on the chain, else left unbound (noted either way)."""
    a, b = s.a, s.b
    if b is None or not isinstance(a, AppliedUndef) or not b.has(a.func) or not _summed_over(a.func, b) \
            or not _defines(note, st, s):
        return None
    st.defining = False
    kind = MODEL if probability_call(a) or MODEL in note.cues else DEFINITION
    later = readable_value(st.chain, st.bound, s.k)
    if later is not None and not later.has(a.func) and note.define(s.pseg.latex, a, later, s.seg.line):
        br.definitions.append({"line": s.seg.line, "name": s.pseg.latex, "value": s.seg.latex})
        return note.noted(br, index, kind, "its value read from the end of the chain", s.pseg, s.seg, s.rel, a, b)
    return note.noted(br, index, kind, "defined through itself at other arguments: not bound", s.pseg, s.seg,
                      s.rel, a, b)


_SET = re.compile(r"\s*(?:\\left\s*)?\\\{")  # a set written out: \{(x_i, y_i)\}_{i=1}^n
_LISTED = re.compile(r"\s*-?[A-Za-z0-9]+\s*,")  # 1, \dots, n: values listed, not a call of diag(...)
_ZERO_ROW = re.compile(r"\s*(?:0|\\mathbf\{0\}|\\boldsymbol\{0\})\s*[.,;]?\s*$")


def _component_function(note, st: ChainState, s: StepAt, br: BlockReport, index: int) -> int | None:
    """g(\\boldsymbol{x}) = ... earlier, now g(x^i) = ...: the function of one component, defined here."""
    if not (s.head and st.defining):
        return None
    vector_line = component_redefinition(s.a, s.pseg.latex, note.vector_heads)
    if vector_line is None or s.rel not in DEFINING or s.b is None or st.conditional:
        return None
    st.defining = False
    if note.define(s.pseg.latex, s.a, s.b, s.seg.line):
        br.definitions.append({"line": s.seg.line, "name": s.pseg.latex, "value": s.seg.latex})
    cue = f"{note.nc.notation.symbol(s.a.func.__name__)} was defined on a vector at line {vector_line}; at a " \
          "component it is a new definition"
    return note.noted(br, index, DEFINITION, cue, s.pseg, s.seg, s.rel, s.a, s.b)


def _named_result(note, st: ChainState, s: StepAt, br: BlockReport, index: int) -> int | None:
    """(y - \\hat y) \\hat y (1 - \\hat y) = g_j: the result given a name, used by later steps."""
    if st.conditional or note.case or not named_result(st.chain, st.bound, s.k, s.rel, note.nc.ctx, note.used,
                                                       note.structure.lines):
        return None
    if note.define(s.seg.latex, s.b, s.a, s.seg.line):
        br.definitions.append({"line": s.seg.line, "name": s.seg.latex, "value": s.pseg.latex})
    return note.noted(br, index, DEFINITION, "a new name on the right of = names the expression on its left",
                      s.pseg, s.seg, s.rel, s.a, s.b)


def _optimiser_name(note, st: ChainState, s: StepAt, br: BlockReport, index: int) -> int | None:
    """\\theta^* = \\arg\\max_\\theta ...: a name for the optimiser, nothing to check."""
    if not (s.k == 1 and s.rel == "=" and s.b is not None and s.cp.sense and not s.pp.sense
            and isinstance(s.a, (sp.Symbol, AppliedUndef))):
        return None
    return note.noted(br, index, DEFINITION, "a name for the optimiser", s.pseg, s.seg, s.rel, s.a, s.b)


def _increment(note, st: ChainState, s: StepAt, br: BlockReport, index: int) -> int | None:
    """\\Delta\\mathbf{W}^{(1)} = -\\eta \\partial E / \\partial \\mathbf{W}^{(1)}: an increment named at a chain's head
    (the update rule is W <- W + \\Delta W); a definition, also under an update cue."""
    if not (s.k == 1 and st.defining and s.rel in DEFINING and not st.conditional and is_increment(s.pseg.latex)
            and written_as_name(s.pseg.latex)):
        return None
    if s.a is not None and s.a.free_symbols & (s.b.free_symbols if s.b is not None else set()) == s.a.free_symbols:
        return None  # \Delta w = \Delta w + ...: the increment on both sides, no definition
    st.defining = False
    if isinstance(s.a, sp.Symbol) and s.b is not None and note.define(s.pseg.latex, s.a, s.b, s.seg.line):
        br.definitions.append({"line": s.seg.line, "name": s.pseg.latex, "value": s.seg.latex})
    return note.noted(br, index, DEFINITION, "an increment named", s.pseg, s.seg, s.rel, s.a, s.b)


def _log_of_name(note, st: ChainState, s: StepAt, br: BlockReport, index: int) -> int | None:
    """\\log L(\\mathbf w) = -\\ell(\\mathbf w) at a chain's head, L named nowhere before: the log of a new
    function defined (L is bound to the exponential of the right side)."""
    name = log_head(s.pseg.latex) if s.k == 1 else None
    if not (name and st.defining and s.rel in DEFINING and not st.conditional and not st.solving):
        return None
    a = s.a
    if not (isinstance(a, sp.log) and isinstance(a.args[0], AppliedUndef) and note.undefined_by_note(a.args[0])):
        return None
    earlier = "\n".join(note.structure.lines[:max(0, s.pseg.line - 1)])
    if re.search(r"(?<![A-Za-z\\])" + re.escape(name) + r"\s*(?:\(|\\left|\\big)", earlier):
        return None  # L was used before: the log of a known function, a claim about it
    st.defining = False
    fn = a.args[0]
    if s.b is not None and note.define(s.pseg.latex, fn, sp.exp(s.b), s.seg.line):
        br.definitions.append({"line": s.seg.line, "name": s.pseg.latex, "value": s.seg.latex})
    return note.noted(br, index, cue_kind(note, s.pseg.latex), "the log of a new function named", s.pseg, s.seg,
                      s.rel, s.a, s.b)


def _operator_defined(note, st: ChainState, s: StepAt, br: BlockReport, index: int) -> int | None:
    """An operator written out where the prose defines it: "the inner product is defined by the first
    equality", \\langle x, y\\rangle = x^T y at a chain's head; or p_k = softmax(z)_k = e^{z_k} / ... after
    "简记为" / "denote", the operator's formula right after the name it gives.  Noted, not bound: an
    operator the tool knows keeps its meaning."""
    op = operator_call(s.pseg.latex)
    if op is None or s.rel not in DEFINING or st.conditional or op in s.seg.latex:
        return None
    earlier = re.sub(r"\s+", "", "\n".join(note.structure.lines[:max(0, s.pseg.line - 1)])).replace("\\left(", "(")
    if operator_prefix(s.pseg.latex) in earlier:
        return None  # the note wrote the operator before: this restates it, a claim
    if s.k == 1 and st.defining:
        if not DEFINES_WORDS.search(last_sentences(note.structure.prose_before(note.block_line))):
            return None
    elif s.k == 2:
        head = br.steps[-1] if br.steps else None
        if head is None or head.kind not in (DEFINITION, NOTATION) or head.rhs != s.pseg.latex \
                or not (DEFINITION in note.cues or NOTATION in note.cues):
            return None
    else:
        return None
    st.defining = False
    what = "the inner product" if op == "langle" else op
    return note.noted(br, index, DEFINITION, f"the prose defines {what} here (as an operator it keeps its meaning)",
                      s.pseg, s.seg, s.rel, s.a, s.b)


#: the rules in the order they are tried; the first that settles a step wins
RULES: list[tuple[str, Rule]] = [
    ("model form", _model_form),
    ("value in a case", _case_value),
    ("increment", _increment),
    ("unread head", _unread_head),
    ("unread squared head", _unread_squared_head),
    ("stated definition", _stated_definition),
    ("self-referring definition", _self_referring_definition),
    ("noise model", _noise_model),
    ("definition", _definition),
    ("component function", _component_function),
    ("named result", _named_result),
    ("optimiser name", _optimiser_name),
    ("log of a new name", _log_of_name),
    ("operator defined", _operator_defined),
]


def settle_statement(note, st: ChainState, s: StepAt, br: BlockReport, index: int) -> int | None:
    """The next step index when a rule settles this step as a non-claim, else None (a claim)."""
    for _, rule in RULES:
        out = rule(note, st, s, br, index)
        if out is not None:
            return out
    return None
