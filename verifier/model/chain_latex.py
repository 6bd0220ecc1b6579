"""LaTeX of steps and chains: relation signs, objectives (arg min / arg max), status marks,
justifications and the rows of an aligned chain.

Justifications are plain text: :func:`why_latex` puts them in ``\\text{...}`` with the
characters that are special to TeX (or unknown to KaTeX) moved out into math mode, so no
renderer sees a backslash inside ``\\text``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp

from verifier.model.exprs import as_expr
from verifier.model.latex import to_latex, visible_text

# ----------------------------------------------------------------------------------------
# steps and chains
# ----------------------------------------------------------------------------------------
_REL_TEX = {"=": "=", "<=": r"\le", ">=": r"\ge", "<": "<", ">": ">", "!=": r"\ne"}


def relation_latex(step, prev_sense: str | None = None) -> str:
    """The relation sign of a step.  Optimisation steps compare the sets of optimisers,
    which the objectives print as arg min / arg max, so their sign is '='."""
    return _REL_TEX.get(step.relation, "=")


def objective_latex(step) -> str:
    """A step's expression; an objective of an optimisation chain as arg min / arg max."""
    return _objective(step.expr, step.sense, step.over)


def _objective(expr: sp.Basic, sense: str | None, over: tuple) -> str:
    body = to_latex(expr)
    if sense in ("min", "max") and over:
        over_tex = ", ".join(to_latex(v) for v in over)
        op = r"\operatorname*{arg\,min}" if sense == "min" else r"\operatorname*{arg\,max}"
        if isinstance(expr, sp.Add) or body.lstrip().startswith("-"):
            body = r"\left[" + body + r"\right]"
        return f"{op}_{{{over_tex}}} {body}"
    return body


def chain_objectives(chain) -> list[str]:
    """Every expression of a chain as printed.  In an optimisation chain every
    expression is an objective: a '=' step between objectives (equal values) is
    shown as the equality of their optimisers, which it implies, so the printed
    chain never equates a set of optimisers with a value."""
    sense = chain.steps[0].sense
    over = chain.steps[0].over
    out = []
    for step in chain.steps:
        if step.sense in ("min", "max"):
            sense = step.sense
        if step.over:
            over = step.over
        out.append(_objective(step.expr, sense, over))
    return out


#: status marks that every renderer knows (amssymb, KaTeX, MathJax)
STATUS_MARKS = {"proved": r"\checkmark", "checked": r"\approx", "refuted": r"\times", "unknown": "?",
                "unparsed": "!", "noted": r"\cdot"}
#: macros used by the LaTeX export (defined in its preamble / fragment header)
STATUS_MACROS = {"proved": r"\vproved", "checked": r"\vchecked", "refuted": r"\vrefuted",
                 "unknown": r"\vunknown", "unparsed": r"\vunparsed", "noted": r"\vnoted"}
STATUS_WORDS = {"proved": "proved symbolically", "checked": "checked numerically (evidence, not proof)",
                "refuted": "refuted (counterexample found)", "unknown": "undecided", "unparsed": "not parsed",
                "noted": "noted (claims nothing: a definition, model, equation to solve or approximation)"}

_TEXT_SPECIAL = {"\\": r"\backslash ", "{": r"\{", "}": r"\}", "_": r"\_", "&": r"\&", "%": r"\%",
                 "#": r"\#", "$": r"\$", "~": r"\sim ", "^": r"{}^{\wedge}", "<": "<", ">": ">", "|": r"\vert "}
_UNICODE_MATH = {"≤": r"\le ", "≥": r"\ge ", "≠": r"\ne ", "≈": r"\approx ", "→": r"\to ", "⇒": r"\Rightarrow ",
                 "⇔": r"\Leftrightarrow ", "·": r"\cdot ", "×": r"\times ", "∑": r"\sum ", "∏": r"\prod ",
                 "∞": r"\infty ", "∈": r"\in ", "±": r"\pm ", "−": "-", "∂": r"\partial ", "√": r"\surd ",
                 "′": "'", "…": r"\dots ", "∀": r"\forall ", "∃": r"\exists "}
_GREEK_UNICODE = dict(zip("αβγδεζηθικλμνξπρστυφχψωΓΔΘΛΞΠΣΦΨΩ",
                          ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota",
                           "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi",
                           "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma",
                           "Phi", "Psi", "Omega"]))


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF
            or 0x3000 <= o <= 0x303F or 0x20000 <= o <= 0x2FA1F)


def why_latex(text: str, cjk: str | None = None) -> str:
    """A justification in math mode: text runs in \\text{...}; TeX specials, Greek and
    math symbols outside them in math mode (MathJax does not expand macros inside
    \\text); 'a^2' becomes a superscript.  ``cjk`` names a macro that wraps runs of
    CJK characters (the LaTeX export needs one for pdflatex); other non-ASCII
    characters that no renderer knows become '?'."""
    out: list[str] = []
    run = ""
    cjk_run = ""

    def flush() -> None:
        nonlocal run, cjk_run
        if cjk_run:
            run += (cjk + "{" + cjk_run + "}") if cjk else cjk_run
            cjk_run = ""
        if run:
            out.append(r"\text{" + run + "}")
            run = ""

    i = 0
    while i < len(text):
        ch = text[i]
        if is_cjk(ch):
            cjk_run += ch
            i += 1
            continue
        if cjk_run:
            run += (cjk + "{" + cjk_run + "}") if cjk else cjk_run
            cjk_run = ""
        if ch == "^":
            m = re.match(r"\^(\{[^{}]*\}|\([^()]*\)|-?[A-Za-z0-9.]+)", text[i:])
            if m:
                sup = m.group(1)
                sup = sup[1:-1] if sup[:1] in "{(" else sup
                flush()
                out.append("^{" + why_latex(sup, cjk) + "}")
                i += len(m.group(0))
                continue
        if ch in _TEXT_SPECIAL:
            flush()
            out.append(_TEXT_SPECIAL[ch])
        elif ch in _UNICODE_MATH:
            flush()
            out.append(_UNICODE_MATH[ch])
        elif ch in _GREEK_UNICODE:
            flush()
            out.append("\\" + _GREEK_UNICODE[ch] + " ")
        elif ord(ch) > 126 or (ord(ch) < 32 and ch not in "\t"):
            run += "?"
        else:
            run += " " if ch == "\t" else ch
        i += 1
    flush()
    return "".join(out) if out else ""


def step_why(step) -> str:
    """The justification of a step, with its lemma and case split when the text omits them."""
    why = step.why or ""
    if step.lemma and step.lemma.lower() not in why.lower():
        why = (why + "; " if why else "") + f"lemma: {step.lemma}"
    return why


def step_why_latex(step, cjk: str | None = None) -> str:
    tex = why_latex(step_why(step), cjk)
    if step.cases is not None:
        sym, values = step.cases
        vals = ", ".join(to_latex(as_expr(v)) for v in values)
        tex += (r"\ \text{(for each }" if tex else r"\text{(for each }") + \
            f"{to_latex(sym)} \\in \\{{{vals}\\}}" + r"\text{)}"
    return tex


@dataclass
class Row:
    """One printed line of a chain: [lhs] relation rhs, justification, status."""

    lhs: str
    relation: str | None
    rhs: str
    why: str = ""
    status: str | None = None
    index: int | None = None  # the step's index in the derivation (None for a start row)


def chain_rows(chain, first_index: int = 0, statuses: list | None = None, cjk: str | None = None,
               long_start: int = 38, why=None) -> list[Row]:
    """The rows of one chain.  A short start is the left side of the first row
    (``\\log L &= ...``); a long one gets a row of its own.  ``why`` turns a step
    into its printed justification (default: math mode, :func:`step_why_latex`)."""
    why = why or (lambda step: step_why_latex(step, cjk))
    steps = chain.steps
    printed = chain_objectives(chain)
    start = printed[0]
    rows: list[Row] = []
    short = len(visible_text(start)) <= long_start and len(steps) > 1
    if not short:
        rows.append(Row("", None, start))
    for k, step in enumerate(steps[1:]):
        idx = first_index + k
        st = statuses[idx] if statuses is not None and idx < len(statuses) else None
        rows.append(Row(start if (short and k == 0) else "", relation_latex(step), printed[k + 1],
                        why(step), st, idx))
    return rows


def rows_latex(rows: list[Row], marks: dict[str, str] | None = STATUS_MARKS, tags: str | None = None) -> str:
    """Rows as the body of an aligned/align* environment.

    By default the justification and mark form a third column (``lhs &= rhs && mark
    why``), which aligned in KaTeX and MathJax accepts.  With ``tags`` (the name of a
    macro taking the mark and the justification, for align* in LaTeX) they go into
    ``\\tag*``: flush right, and moved below the formula by amsmath when the line is full.
    """
    lines = []
    for r in rows:
        rel = f"{r.relation} " if r.relation else ""
        line = f"{r.lhs} &{rel}{r.rhs}"
        mark = marks[r.status] if (r.status is not None and marks) else ""
        if tags:
            if mark or r.why:
                line += f" \\tag*{{{tags}{{{mark}}}{{{r.why}}}}}"
        else:
            tail = [x for x in (mark, r.why) if x]
            if tail:
                line += r" && " + r"\quad ".join(tail)
        lines.append(line.strip())
    return " \\\\\n".join(lines)


def _statuses(result) -> list | None:
    return None if result is None else [s.status for s in result.steps]


def derivation_latex(d, result=None) -> str:
    """All chains of a derivation as one aligned block (KaTeX/MathJax/amsmath-safe).
    With a result of the engine, each step carries its status mark."""
    statuses = _statuses(result)
    parts = []
    idx = 0
    for c in d.chains:
        parts.append(rows_latex(chain_rows(c, idx, statuses)))
        idx += len(c.steps) - 1
    return "\\begin{aligned}\n" + " \\\\[1.5ex]\n".join(parts) + "\n\\end{aligned}"
