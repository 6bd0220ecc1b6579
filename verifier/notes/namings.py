"""Names a display introduces other than at the head of a chain (:mod:`verifier.notes.check` uses them):

* a *named result*: ``(y - \\hat y)\\hat y(1 - \\hat y) = g_j`` at the end of a chain, or
  ``\\frac{1}{t+1} = \\alpha`` alone, with a name the note has not written before, names the
  expression on its left (a definition written right to left), which later steps use;
* a *function of a component*: ``g(\\boldsymbol{x}) = ...`` defines a function of a vector, and a
  later head ``g(x^i) = ...`` at a plain argument defines the function of one component (the vector
  definition does not apply there).
"""
from __future__ import annotations

import re

import sympy as sp
from sympy.core.function import AppliedUndef

from verifier.model.context import Context
from verifier.notes.definitions import DEFINING, defined_name, entry_index, is_new_name, written_as_name
from verifier.notes.scan import PROBABILITY_NAMES

BOLD_ARGUMENT = re.compile(r"\\(?:boldsymbol|mathbf|bm|vec)\b")
_NUMBER_NAME = re.compile(r"\{\s*\d+\s*\}|^\s*\d")


def written_before(latex: str, line: int, lines: list[str]) -> bool:
    """Is the name (as written) in the note's text before `line` (prose or displays)?"""
    pat = re.compile(r"(?<![A-Za-z\\])" + re.escape(latex.strip()) + r"(?![A-Za-z])")
    return any(pat.search(ln) for ln in lines[:max(0, line - 1)])


def named_result(chain: list, bound: list, k: int, rel: str, ctx: Context, used: set, lines: list[str]) -> bool:
    """Is step k (the last of its chain) ``... = name`` with a name the note has not used or written?"""
    seg, _ = chain[k]
    b = bound[k]
    if k != len(chain) - 1 or rel not in DEFINING or b is None or bound[k - 1] is None \
            or not isinstance(b, (sp.Symbol, sp.Indexed)) or not written_as_name(seg.latex):
        return False
    if isinstance(b, sp.Indexed) and not entry_index(b):
        return False
    if (len(chain) == 2 and isinstance(bound[0], sp.Symbol)) or _NUMBER_NAME.search(seg.latex):
        return False  # z = w alone says nothing about which is named; \bm{0} is no name
    if written_before(seg.latex, seg.line, lines):
        return False  # p in "0 < p < 1" earlier: the name is the note's, the step a claim about it
    name = defined_name(b)
    for j, x in enumerate(bound):
        if j != k and x is not None and name in ({str(s) for s in x.free_symbols}
                                                 | {str(i.base.label) for i in x.atoms(sp.Indexed)}):
            return False
    return is_new_name(b, ctx, used)


def vector_definition_line(a: sp.Basic, name_latex: str, line: int) -> int | None:
    """The line to remember for a function defined here: its line when its argument is bold, else None."""
    return line if isinstance(a, AppliedUndef) and BOLD_ARGUMENT.search(name_latex) else None


def component_redefinition(a: sp.Basic, name_latex: str, vector_heads: dict) -> int | None:
    """The line of a definition of this function on a vector, when the head calls it at a plain
    argument (a component): the note defines the function of the component there."""
    if not isinstance(a, AppliedUndef) or BOLD_ARGUMENT.search(name_latex):
        return None
    return vector_heads.get(a.func)


# -- the forms of a head (used by the definitions of notes.check) ---------------------------------------
def readable_value(chain: list, bound: list, k: int):
    """The first expression after position k of a chain of '=' that was read (or None)."""
    for j in range(k + 1, len(chain)):
        if (chain[j][0].relation or "=") != "=":
            return None
        if bound[j] is not None:
            return bound[j]
    return None


def probability_call(a) -> bool:
    """P(D) = 0.01, p(x, y) = P(X = x) P(Y = y): a probability model, not a derived fact."""
    return isinstance(a, AppliedUndef) and a.func.__name__.split("__")[0] in PROBABILITY_NAMES


def definition_form(a) -> bool:
    """A left side that can be (re)defined: a name, or a call on distinct plain names (f(x), L(w, b))."""
    if isinstance(a, sp.Symbol):
        return True
    return isinstance(a, AppliedUndef) and all(isinstance(x, sp.Symbol) for x in a.args) \
        and len(set(a.args)) == len(a.args)


#: operators whose value the note's model fixes (an expectation, a variance): "if a = b = 1, then E[theta | D] = ..."
#: states their value in that case, it does not define them
OPERATOR_NAMES = {"E", "Var", "Cov", "Ecal", "mathbb{E}", "Ebb"}


def expectation_call(a) -> bool:
    """E[theta | D], Var(X): a call of an operator whose value the model fixes, never a name given by fiat."""
    return isinstance(a, AppliedUndef) and a.func.__name__.split("__")[0] in OPERATOR_NAMES


def called_a_function(a, lines: list[str]) -> bool:
    """Q(theta_A) where the prose calls Q a function ("the $Q$ function", "$Q$ 函数", "Q-function"): the
    letter of a probability used as the name of an ordinary function (EM's Q), not a probability model."""
    if not isinstance(a, AppliedUndef):
        return False
    letter = re.escape(a.func.__name__.split("__")[0])
    pat = re.compile(r"(?<![A-Za-z\\])\$?\s*" + letter + r"\s*\$?\s*(?:[- ]?functions?\b|\s*函数)")
    return any(pat.search(ln) for ln in lines)
