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
    return _objective(step.expr, step.sense, step.over, step.tex)


def _objective(expr: sp.Basic, sense: str | None, over: tuple, tex: str | None = None) -> str:
    """An expression (as the post wrote it when ``tex`` is given); an objective with its
    arg min / arg max."""
    body = tex.strip() if tex else to_latex(expr)
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
        out.append(_objective(step.expr, sense, over, step.tex))
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
    if "$" in text and split_math(text) is not None:
        return "".join(m if is_math else why_latex(m, cjk) for m, is_math in split_math(text))
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


def split_math(text: str) -> list[tuple[str, bool]] | None:
    """Text with inline math in ``$...$`` as (piece, is_math) pairs; None when the dollars
    do not pair up (then the text is plain: a lone '$' is a character)."""
    pieces = re.split(r"(?<!\\)\$", text)
    if len(pieces) % 2 == 0:
        return None
    return [(p, k % 2 == 1) for k, p in enumerate(pieces) if p]


def plain_text(text: str) -> str:
    """Text with ``$...$`` math as a terminal shows it: the dollars dropped, macros turned
    into their symbols or names (for plain-text reports)."""
    pieces = split_math(text)
    if pieces is None:
        return text
    out = []
    for p, is_math in pieces:
        if is_math:
            p = _plain_math(p)
        out.append(p)
    return "".join(out)


def _plain_math(p: str) -> str:
    """Inline LaTeX as plain text: fractions as a/b, accents combined, macros as symbols."""
    group = r"\{([^{}]*)\}"
    for _ in range(6):  # innermost groups first
        q = re.sub(r"\\[dt]?frac" + group + group, lambda m: _paren(m.group(1)) + "/" + _paren(m.group(2)), p)
        q = re.sub(r"\\hat" + group, lambda m: m.group(1) + "\u0302", q)
        q = re.sub(r"\\sqrt" + group, lambda m: "√" + _paren(m.group(1)), q)
        q = re.sub(r"([_^])" + group, lambda m: m.group(1) + _paren(m.group(2)), q)
        q = re.sub(r"\\(?:mathrm|text|operatorname|mathbb)" + group, r"\1", q)
        if q == p:
            break
        p = q
    p = re.sub(r"\\([A-Za-z]+|[,;!| ])", lambda m: _PLAIN_MACROS.get(m.group(1), m.group(1)), p)
    return p.replace("{", "").replace("}", "")


def _paren(x: str) -> str:
    return x if re.fullmatch(r"[\w.\u0302'\\]+", x) else f"({x})"


_PLAIN_MACROS = {"le": "≤", "ge": "≥", "ne": "≠", "to": "→", "infty": "∞", "sum": "∑", "prod": "∏",
                 "cdot": "·", ",": " ", ";": " ", "!": "", " ": " ", "quad": " ", "|": "‖", "mid": "|",
                 "pm": "±", "mp": "∓", "left": "", "right": "", "partial": "∂", "in": "∈", "approx": "≈",
                 "mathbb": "", "operatorname": "", "text": "", "frac": "frac", "hat": "hat ", "ldots": "…",
                 "dots": "…", "cdots": "⋯", "times": "×",
                 **{g: ch for ch, g in _GREEK_UNICODE.items()}}


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


def wrap_why(tex: str, width: int = 44) -> list[str]:
    """A justification in math mode (as :func:`why_latex` makes it) cut into lines of about
    ``width`` visible characters, at spaces inside ``\\text{...}`` (KaTeX and MathJax do not
    wrap text in math, so a long one would run out of its column)."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    for m in re.finditer(r"\\text\{([^{}]*)\}", tex):
        if m.start() > pos:
            tokens.append(("m", tex[pos:m.start()]))
        tokens.extend(("w", w) for w in re.findall(r"\s*\S+\s*|\s+", m.group(1)))
        pos = m.end()
    if pos < len(tex):
        tokens.append(("m", tex[pos:]))
    tokens = [(k, p) for kind, piece in tokens for k, p in
              ([(kind, piece)] if kind == "w" else [("m", x) for x in _relation_pieces(piece)])]
    lines: list[list[tuple[str, str]]] = [[]]
    used = 0
    for kind, piece in tokens:
        size = len(piece) if kind == "w" else len(visible_text(piece))
        prev = lines[-1][-1] if lines[-1] else None
        if kind == "w":  # before a word, after a formula or a space; never before punctuation
            fits = used + len(piece.rstrip()) <= width
            can = prev is not None and not piece[:1].isspace() and piece[:1] not in ",.;:!?)]" \
                and (prev[0] == "m" or prev[1][-1:].isspace())
        else:  # before a formula after a space, or before a relation sign of a formula
            fits = used + size <= width
            can = prev is not None and ((prev[0] == "w" and prev[1][-1:].isspace())
                                        or (prev[0] == "m" and piece.lstrip()[:1] in "=<>"))
        if used and not fits and can:
            lines.append([])
            used = 0
            piece = piece.lstrip()
        lines[-1].append((kind, piece))
        used += size
    out = []
    for line in lines:
        tex_line, run = "", ""
        for kind, piece in line:
            if kind == "w":
                run += piece
                continue
            if run:
                tex_line += r"\text{" + run + "}"
                run = ""
            tex_line += piece
        if run.rstrip():
            tex_line += r"\text{" + run.rstrip() + "}"
        out.append(tex_line)
    return [x for x in out if x] or [""]


_LEFT_RIGHT = re.compile(r"\\(left|right)(?![A-Za-z])")


def _relation_pieces(tex: str) -> list[str]:
    """A formula cut before its top-level relation signs (outside braces and
    \\left...\\right), the places where a justification's line may break."""
    out, depth, start, k = [], 0, 0, 0
    while k < len(tex):
        m = _LEFT_RIGHT.match(tex, k)  # \left( and \right), never \leftarrow or \rightarrow
        if m:
            depth += 1 if m.group(1) == "left" else -1
            k = m.end()
            continue
        ch = tex[k]
        if ch == "\\":
            k += 2
            continue
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth == 0 and ch in "=<>" and tex[start:k].strip():
            out.append(tex[start:k])
            start = k
        k += 1
    out.append(tex[start:])
    return [p for p in out if p]


def rows_latex(rows: list[Row], marks: dict[str, str] | None = STATUS_MARKS, tags: str | None = None,
               wrap: int | None = None) -> str:
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
            why_lines = wrap_why(r.why, wrap) if (wrap and r.why) else [r.why]
            tail = [x for x in (mark, why_lines[0]) if x]
            if tail:
                line += r" && " + r"\quad ".join(tail)
            for more in why_lines[1:]:  # continuation rows: the mark stays beside the first line
                line += " \\\\\n& && " + (r"\phantom{" + mark + r"}\quad " if mark else "") + more
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
