"""A claim stated for a case of the prose whose condition gives names values ("当 $y_i = 1$ 时", "if $y = 1$,
then"): it is read with those values put in, since that is what the author claims.

As an identity such a display usually fails (``y_i \\ln\\sigma(t) + (1 - y_i)\\ln(1 - \\sigma(t)) = \\ln\\sigma(t)``
holds only at y_i = 1), so without the case it is left `unknown`.  With the case's values put in it is
decided: where it holds there, it is reported `noted` with kind `equation` (a display that holds in a
case of the prose, the fixtures' convention) and the check that was done; where it fails even there it
is `unknown` with both the case and the failure (the case's reading is the tool's, so no refutation).
"""
from __future__ import annotations

import re

import sympy as sp

from verifier.model.results import CHECKED, NOTED, PROVED, REFUTED, UNKNOWN, StepResult
from verifier.notes.definitions import written_as_name
from verifier.notes.statements import EQUATION, PROSE_CUES

#: a condition of the case: a name set to a number in inline math ($y_i = 1$, $a = b = 1$)
_VALUE = re.compile(r"\$\s*([^$]+?)\s*\$")
_NUMBER = re.compile(r"\s*[-+]?\d+(?:\.\d+)?\s*")


def case_sentence(prose: str) -> str:
    """The words of the prose from its case cue ("if", "当", "如果") to the end of that clause."""
    m = PROSE_CUES["case"].search(prose or "")
    if m is None:
        return ""
    rest = prose[m.start():]
    # the clause ends at punctuation outside inline math
    depth, out = False, []
    for ch in rest:
        if ch == "$":
            depth = not depth
        elif not depth and len(out) > 2 and (ch in ",.;:!?，。；：！？" or ch == "时"):
            if ch == "时":
                out.append(ch)
            break
        out.append(ch)
    return "".join(out)


def case_values(sentence: str, read, bind) -> dict[sp.Basic, sp.Basic]:
    """The values the case's condition gives names: $y_i = 1$, $a = b = 1$ (read by `read`, a LaTeX reader,
    and bound by `bind`, the note's context); {} when the condition is anything else."""
    out: dict[sp.Basic, sp.Basic] = {}
    for m in _VALUE.finditer(sentence):
        parts = [p.strip() for p in m.group(1).split("=")]
        if len(parts) < 2 or not _NUMBER.fullmatch(parts[-1]) or not all(written_as_name(p) for p in parts[:-1]):
            continue
        try:
            value = bind(read(parts[-1]))
            for p in parts[:-1]:
                out[bind(read(p))] = value
        except Exception:  # noqa: BLE001 - a condition the reader cannot read gives no values
            continue
    return {k: v for k, v in out.items() if isinstance(k, (sp.Symbol, sp.Indexed)) and v.is_number}


def put_in(problem, values: dict) -> bool:
    """Put the case's values into a claim's problem: its sides and the definitions in force it unfolds
    (u = \\pi\\theta^h (1-\\theta)^{m-h} at h = 0); False (and nothing changed) when it uses none of them."""
    if not values or problem is None:
        return False
    lhs, rhs = problem.lhs.xreplace(values), problem.rhs.xreplace(values)
    defs = {k: _put(v, values) for k, v in problem.ctx.definitions.items()}
    if (lhs, rhs) == (problem.lhs, problem.rhs) and all(defs[k] is v or defs[k] == v
                                                       for k, v in problem.ctx.definitions.items()):
        return False
    problem.lhs, problem.rhs = lhs, rhs
    problem.ctx.definitions = defs
    return True


def _put(v, values: dict):
    if isinstance(v, sp.Lambda):
        body = v.expr.xreplace(values)
        return v if body == v.expr else sp.Lambda(v.variables, body)
    return v.xreplace(values) if isinstance(v, sp.Basic) else v


def settle_case(sr: StepResult, sentence: str) -> None:
    """After the decision of a claim read in its case: holds there -> noted equation; fails there -> unknown."""
    said = sentence.strip()
    if sr.status in (PROVED, CHECKED):
        how = sr.status
        sr.status, sr.kind, sr.method = NOTED, EQUATION, EQUATION
        sr.message = (f"holds in the case of the prose ({said!r}): {how} with the case's values put in "
                      f"({sr.message})")
    elif sr.status == REFUTED:
        sr.status, sr.method = UNKNOWN, "condition"
        sr.message = (f"stated for a case in the prose ({said!r}); with the case's values put in it fails "
                      f"({sr.message}); the case as the tool reads it may not be the author's")
        sr.counterexample = None


def example_value(sr: StepResult, cues: dict, head: bool, rel: str, b) -> bool:
    """``G_t = 1`` after "a quick example: suppose $r_{t+1} = 1$ ...": a name's value in the example of the
    prose, which the tool could not decide (the example's values are not put in): noted as a display that
    holds in an example, with the reason it was not decided.  True when the step was settled so."""
    if not ("example" in cues and head and rel == "=" and sr.status == UNKNOWN and isinstance(b, sp.Basic)
            and b.is_number):
        return False
    sr.status, sr.kind, sr.method = NOTED, EQUATION, EQUATION
    sr.message = f"a value in the example of the prose ({cues['example']!r}), not decided: {sr.message}"
    return True


#: the caveat of an equation between bare names (notes.caveats.condition): values, not algebra
_VALUES_STATED = "an equation between bare names"


def solved_values(sr: StepResult, caveat, after_equation: bool) -> bool:
    """``p_1 = p_2 = p_3 = \\frac{1}{3}`` right after a display that solves equations ("再由归一化约束得"): the
    values of the solution, an equation's consequence, not a step of algebra: noted (kind equation).  True
    when the step was settled so."""
    if not (after_equation and caveat is not None and caveat.reason.startswith(_VALUES_STATED)):
        return False
    sr.status, sr.kind, sr.method = NOTED, EQUATION, EQUATION
    sr.message = ("an equation to solve (or a row that follows from one): not an identity (the values of the "
                  "solution of the equations just above)")
    return True
