"""`verify export`: derivations as a LaTeX document, LaTeX fragments, or Markdown for notes.

* ``tex``: a standalone article (amsmath, amssymb, xcolor) that compiles with pdflatex:
  a title, a legend of the status marks, one section per derivation with its source,
  assumptions and definitions, and each chain in an ``align*`` environment whose rows
  carry the relation, the status mark and the justification.  Chinese text (the seed
  posts' section headings) is set with CJKutf8 when texlive provides it, and replaced by
  a short placeholder otherwise, so the document compiles either way.
* ``tex --fragment``: one snippet per derivation for ``\\input`` (only ``align*``
  environments; the mark macros are defined with ``\\providecommand``; needs amsmath and
  amssymb in the host document).  With ``--out DIR`` one file per derivation.
* ``md``: Markdown with ``$$\\begin{aligned}...\\end{aligned}$$`` blocks that KaTeX and
  MathJax render (no macros, no colours, no backslash inside ``\\text``); with front
  matter unless ``--fragment`` (a piece to paste into an existing post).  Hugo's
  goldmark needs its passthrough extension for ``$$`` blocks (as for any math).
* ``json``: the same LaTeX, step by step, for other tools.

Status marks come from :func:`verifier.engine.decide.verify_derivation`; ``--no-verify``
exports without marks.  Exit code 1 when some step is not proved (the export is
still written), 2 when the output cannot be written.
"""
from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from verifier.model.catalog import occurrence_key
from verifier.model.chain import Derivation
from verifier.model.chain_latex import (
    STATUS_MACROS,
    STATUS_MARKS,
    STATUS_WORDS,
    chain_rows,
    is_cjk,
    rows_latex,
    split_math,
    step_why,
    why_latex,
)
from verifier.model.exprs import as_expr
from verifier.model.latex import to_latex, visible_text
from verifier.model.results import PROVED, DerivationResult
from verifier.model.version import __version__
from verifier.output.hugo import hugo_markdown
from verifier.output.render import assumptions_latex, definitions_latex

CJK_MACRO = r"\verifiercjk"

#: macros shared by the document and the fragments (\providecommand: a host document may
#: define its own marks first)
TEX_MACROS = r"""\makeatletter
\providecommand{\verifiercjk}[1]{\@ifundefined{CJK}{\@ifundefined{XeTeXrevision}{\@ifundefined{directlua}%
  {\textit{[CJK text]}}{#1}}{#1}}{\begin{CJK}{UTF8}{gbsn}#1\end{CJK}}}
\@ifundefined{textcolor}{\providecommand{\verifiercolor}[2]{#2}}{\providecommand{\verifiercolor}[2]{\textcolor{#1}{#2}}}
\makeatother
\providecommand{\vproved}{\verifiercolor{green!45!black}{\checkmark}}
\providecommand{\vchecked}{\verifiercolor{blue!70!black}{\approx}}
\providecommand{\vrefuted}{\verifiercolor{red!75!black}{\boldsymbol{\times}}}
\providecommand{\vunknown}{\verifiercolor{orange!85!black}{?}}
\providecommand{\vunparsed}{\verifiercolor{red!75!black}{!}}
\providecommand{\vnoted}{\verifiercolor{black!60}{\cdot}}
\providecommand{\vwhy}[2]{\parbox[t]{0.36\linewidth}{\raggedright\small #2}\hspace{0.6em}\makebox[1.1em][l]{\ensuremath{#1}}}
"""

TEX_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[a4paper,margin=2.2cm]{geometry}
\usepackage{amsmath,amssymb}
\usepackage{xcolor}
\IfFileExists{multicol.sty}{\usepackage{multicol}}{}
\IfFileExists{CJKutf8.sty}{\IfFileExists{c70gbsn.fd}{\usepackage{CJKutf8}}{}}{}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5ex}
"""


# ----------------------------------------------------------------------------------------
# text outside math
# ----------------------------------------------------------------------------------------
_TEXT_ESC = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "_": r"\_", "&": r"\&", "%": r"\%",
             "#": r"\#", "$": r"\$", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
             "<": r"$<$", ">": r"$>$", "|": r"$\vert$"}


def tex_text(s: str) -> str:
    """Plain text for LaTeX text mode: specials escaped, CJK runs in \\verifiercjk,
    Greek and math symbols in math mode (via the justification printer)."""
    pieces = split_math(s) if "$" in s else None
    if pieces is not None:
        return "".join("$" + p + "$" if is_math else tex_text(p) for p, is_math in pieces)
    out = []
    cjk = ""
    parts = re.split(r"\^(\{[^{}]*\}|\([^()]*\)|-?[A-Za-z0-9.]+)", s)
    if len(parts) > 1:  # 'yhat^y (1 - yhat)^(1 - y)': superscripts
        return "".join(tex_text(p) if k % 2 == 0 else
                       r"\textsuperscript{" + tex_text(p[1:-1] if p[:1] in "{(" else p) + "}"
                       for k, p in enumerate(parts))
    for ch in s:
        if is_cjk(ch):
            cjk += ch
            continue
        if cjk:
            out.append(CJK_MACRO + "{" + cjk + "}")
            cjk = ""
        if ch in _TEXT_ESC:
            out.append(_TEXT_ESC[ch])
        elif ord(ch) > 126:
            math = why_latex(ch)
            out.append("$" + math + "$" if not math.startswith(r"\text{") else "?")
        else:
            out.append(ch)
    if cjk:
        out.append(CJK_MACRO + "{" + cjk + "}")
    return "".join(out)


def _md_text(s: str) -> str:
    """Plain text for Markdown (no accidental emphasis or math); ``$...$`` stays math."""
    pieces = split_math(s) if "$" in s else None
    if pieces is not None:
        return "".join("$" + p + "$" if is_math else _md_text(p) for p, is_math in pieces)
    return re.sub(r"([\\`*_\[\]<>$|])", r"\\\1", s)


#: visible characters of a justification per line in the Markdown export (at most)
MD_WHY_WIDTH = 44
#: visible characters of a whole row (formula, mark and justification) that fit a blog's column
MD_LINE_WIDTH = 78
#: the narrowest justification column, however wide the formulas
MD_WHY_MIN = 18


def md_why_width(rows) -> int:
    """The width of a chain's justification column: what the formula column leaves of a
    line (KaTeX does not wrap inside a display, so a row that is too long runs off the page)."""
    lhs = max((len(visible_text(r.lhs)) for r in rows), default=0)
    rhs = max((len(visible_text(f"{r.relation or ''}{r.rhs}")) for r in rows), default=0)
    return max(MD_WHY_MIN, min(MD_WHY_WIDTH, MD_LINE_WIDTH - lhs - rhs))


# ----------------------------------------------------------------------------------------
# pieces
# ----------------------------------------------------------------------------------------
def _statuses(result: DerivationResult | None) -> list[str] | None:
    return None if result is None else [s.status for s in result.steps]


def tex_why(step) -> str:
    """A step's justification in LaTeX text mode (it wraps inside the tag box)."""
    text = tex_text(step_why(step))
    if step.cases is not None:
        sym, values = step.cases
        vals = ", ".join(to_latex(as_expr(v)) for v in values)
        text += (" " if text else "") + f"(for each ${to_latex(sym)} \\in \\{{{vals}\\}}$)"
    return text


def _chains(d: Derivation, result: DerivationResult | None, tex: bool):
    """(chain, rows) for each chain of d, statuses attached; justifications in text
    mode for LaTeX, in math mode (\\text{...}) for KaTeX/MathJax."""
    statuses = _statuses(result)
    idx = 0
    for c in d.chains:
        yield c, chain_rows(c, idx, statuses, why=tex_why if tex else None)
        idx += len(c.steps) - 1


def _align(rows, marks) -> str:
    return "\\begin{align*}\n" + rows_latex(rows, marks, tags=r"\vwhy") + "\n\\end{align*}"


def _where(d: Derivation) -> tuple[list[str], list[str]]:
    return assumptions_latex(d.context), definitions_latex(d.context)


def _source_line_tex(d: Derivation) -> str:
    """'From the post <title>, section <heading>.' (the post's title, not its file)."""
    if not d.source:
        return ""
    post = d.source.post or d.source.file
    where = r"From the post \emph{" + tex_text(post) + "}"
    if d.source.heading:
        where += r", section \emph{" + tex_text(d.source.heading) + "}"
    return where + "."


def by_post(chosen: list[Derivation], results: list) -> list[tuple[str, list[tuple[Derivation, object]]]]:
    """The derivations grouped by the post they come from (posts in order of first
    appearance, derivations in the order chosen)."""
    groups: dict[str, list] = {}
    for d, r in zip(chosen, results):
        key = (d.source.post or d.source.file) if d.source else ""
        groups.setdefault(key, []).append((d, r))
    return list(groups.items())


def headings(chosen: list[Derivation]) -> dict[int, str]:
    """A distinct heading per derivation within its post (id(d) -> text; the exports group
    derivations by post): a title that occurs twice in one post gets its section, then its id."""
    out = {id(d): d.title for d in chosen}
    post = {id(d): (d.source.post or d.source.file) if d.source else "" for d in chosen}
    passes = ((lambda d: d.source.heading if d.source else "", lambda d: (post[id(d)], out[id(d)])),
              (lambda d: d.id, lambda d: (post[id(d)], out[id(d)])))
    for extra, key in passes:
        seen: dict = {}
        for d in chosen:
            seen[key(d)] = seen.get(key(d), 0) + 1
        repeated = [d for d in chosen if seen[key(d)] > 1 and extra(d)]
        for d in repeated:
            out[id(d)] = f"{out[id(d)]} ({extra(d)})"
    return out


def _summary(result: DerivationResult | None) -> str:
    if result is None:
        return ""
    counts = result.counts()
    return ", ".join(f"{n} {s}" for s, n in counts.items() if n)


def tex_fragment(d: Derivation, result: DerivationResult | None = None) -> str:
    """A snippet for \\input: the chains of d as align* environments."""
    lines = [f"% {occurrence_key(d)}: {d.title}"]
    if d.source:
        lines.append(f"% source: {d.source.readable()}")
    if result is not None:
        lines.append(f"% verified by derivation-verifier {__version__}: {_summary(result)}")
    lines.append("% needs \\usepackage{amsmath,amssymb} (xcolor for coloured marks, CJKutf8 for Chinese text)")
    lines.append(TEX_MACROS.rstrip())
    for c, rows in _chains(d, result, True):
        lines.append(f"% {c.name}")
        lines.append(_align(rows, STATUS_MACROS))
    return "\n".join(lines) + "\n"


def tex_document(chosen: list[Derivation], results: list[DerivationResult | None],
                 title: str = "Verified derivations") -> str:
    """A standalone LaTeX document for pdflatex: one section per post, one subsection per
    derivation, a short contents list (numbered by hand: one pdflatex run suffices)."""
    out = [TEX_PREAMBLE, TEX_MACROS, r"\title{" + tex_text(title) + "}",
           r"\author{derivation-verifier " + __version__ + "}", r"\date{}", r"\begin{document}", r"\maketitle"]
    if any(r is not None for r in results):
        legend = ", ".join(f"${STATUS_MACROS[s]}$ {STATUS_WORDS[s]}" for s in STATUS_MACROS)
        out.append(r"\noindent Each step shows its relation to the line before, its justification and its "
                   r"status: " + legend + ".")
    else:
        out.append(r"\noindent Each step shows its relation to the line before and its justification "
                   r"(exported without verification: no status marks).")
    out.append(r"Optimisation steps compare the sets of optimisers; a step between objectives whose "
               r"values are equal is shown as the equality of their optimisers, which it implies.")
    groups = by_post(chosen, results)
    heads = headings(chosen)
    if len(chosen) > 2:
        out.append(_contents(groups, heads))
    for post, items in groups:
        out.append(r"\section{" + (tex_text(post) if post else "Other derivations") + "}")
        for d, r in items:
            out.append(r"\subsection{" + tex_text(heads[id(d)]) + "}")
            out.append(_derivation_body_tex(d, r))
    out.append(r"\end{document}")
    return "\n\n".join(out) + "\n"


def _contents(groups, heads: dict[int, str]) -> str:
    """Posts and their derivations, small, in two columns (multicol when present)."""
    lines = []
    for k, (post, items) in enumerate(groups, 1):
        lines.append(rf"\textbf{{{k}\ \ {tex_text(post) if post else 'Other derivations'}}}\par")
        for j, (d, _r) in enumerate(items, 1):
            lines.append(rf"\hangindent=2.2em\hangafter=1 {k}.{j}\ \ {tex_text(heads[id(d)])}\par")
    body = "\n".join(lines)
    return ("\\subsection*{Contents}\n{\\small\\raggedright\\setlength{\\parskip}{0.15ex}\n"
            "\\ifdefined\\multicols\\begin{multicols}{2}\\fi\n" + body +
            "\n\\ifdefined\\multicols\\end{multicols}\\fi\n}")


def _derivation_body_tex(d: Derivation, r: DerivationResult | None) -> str:
    out = []
    line = _source_line_tex(d)
    if r is not None:
        line += f" Result: {_summary(r)}."
    out.append(line.strip())
    assumptions, definitions = _where(d)
    if assumptions:
        out.append(r"\textit{Assumptions:} " + "; ".join(f"${a}$" for a in assumptions) + ".")
    if definitions and sum(len(visible_text(x)) for x in definitions) <= 70:
        out.append(r"\textit{Definitions:} " + "; ".join(f"${x}$" for x in definitions) + ".")
    elif definitions:  # long ones displayed, aligned at their '='
        out.append(r"\textit{Definitions:}")
        out.append("\\begin{align*}\n" + " \\\\\n".join(_def_row(x) for x in definitions) + "\n\\end{align*}")
    for c, rows in _chains(d, r, True):
        if len(d.chains) > 1 and c.name:
            out.append(r"\textit{" + tex_text(c.name) + "}")
        out.append(_align(rows, STATUS_MACROS if r is not None else None))
    return "\n\n".join(out)


def _def_row(definition: str) -> str:
    """'lhs = rhs' aligned at its first top-level '='."""
    depth = 0
    for k, ch in enumerate(definition):
        depth += ch in "{([" 
        depth -= ch in "})]"
        if ch == "=" and depth == 0:
            return definition[:k] + "&" + definition[k:]
    return "&" + definition


def md_document(chosen: list[Derivation], results: list[DerivationResult | None], front_matter: bool = True,
                title: str = "Verified derivations", flavor: str = "plain") -> str:
    """Markdown with $$ aligned blocks (KaTeX and MathJax): one section per post, one
    subsection per derivation.  ``flavor='hugo'`` escapes the math for goldmark."""
    out = []
    if front_matter:
        out.append(f'---\ntitle: "{title}"\nmath: true\nkatex: true\nmathjax: true\n---')
        if any(r is not None for r in results):
            legend = "; ".join(f"${m}$ {STATUS_WORDS[s]}" for s, m in
                               (("proved", r"\checkmark"), ("checked", r"\approx"), ("refuted", r"\times"),
                                ("unknown", "?")))
            out.append(f"Status of each step: {legend}.")
    heads = headings(chosen)
    for post, items in by_post(chosen, results):
        out.append(f"## {_md_text(post) if post else 'Other derivations'}")
        for d, r in items:
            out.append(md_derivation(d, r, heading="###", title=heads[id(d)], with_post=False))
    text = "\n\n".join(out) + "\n"
    return hugo_markdown(text) if flavor == "hugo" else text


def _md_source(d: Derivation, with_post: bool) -> str:
    if not d.source:
        return ""
    if with_post:
        post = d.source.post or d.source.file
        line = f"From the post *{_md_text(post)}*"
        return line + (f", section *{_md_text(d.source.heading)}*" if d.source.heading else "")
    return f"Section *{_md_text(d.source.heading)}*" if d.source.heading else ""


def md_derivation(d: Derivation, result: DerivationResult | None = None, heading: str = "##",
                  title: str | None = None, with_post: bool = True, flavor: str = "plain") -> str:
    out = [f"{heading} {_md_text(title or d.title)}"]
    src = _md_source(d, with_post)
    if result is not None:
        src += ("; " if src else "") + _summary(result)
    if src:
        out.append(src + ".")
    assumptions, definitions = _where(d)
    where = ([rf"&\text{{where }} {definitions[0]}"] if definitions else []) + \
        [f"&{x}" for x in definitions[1:]] + \
        ([r"&\text{assuming }" + r",\quad ".join(assumptions)] if assumptions else [])
    if where:
        out.append("$$\n\\begin{aligned}\n" + " \\\\\n".join(where) + "\n\\end{aligned}\n$$")
    for c, rows in _chains(d, result, False):
        if len(d.chains) > 1 and c.name:
            out.append(f"*{_md_text(c.name)}*")
        out.append("$$\n\\begin{aligned}\n" + rows_latex(rows, STATUS_MARKS if result is not None else None,
                                                         wrap=md_why_width(rows))
                   + "\n\\end{aligned}\n$$")
    text = "\n\n".join(out)
    return hugo_markdown(text) if flavor == "hugo" else text


def json_export(chosen: list[Derivation], results: list[DerivationResult | None]) -> str:
    items = []
    for d, r in zip(chosen, results):
        chains = []
        for c, rows in _chains(d, r, False):
            chains.append({"name": c.name, "latex": "\\begin{aligned}\n" + rows_latex(rows) + "\n\\end{aligned}",
                           "rows": [{"index": x.index, "lhs": x.lhs, "relation": x.relation, "rhs": x.rhs,
                                     "justification": x.why, "status": x.status} for x in rows]})
        items.append({"id": d.id, "occurrence": occurrence_key(d), "title": d.title,
                      "source": str(d.source) if d.source else "", "chains": chains})
    return json.dumps({"derivations": items}, ensure_ascii=False, indent=2)


# ----------------------------------------------------------------------------------------
# the command
# ----------------------------------------------------------------------------------------
def fragment_name(d: Derivation, ext: str) -> str:
    """A file name for a derivation's fragment: id@seed -> id-seed.tex."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", occurrence_key(d)) + "." + ext


def _verify(chosen: list[Derivation], args) -> list[DerivationResult | None]:
    if getattr(args, "no_verify", False):
        return [None] * len(chosen)
    from verifier.output.catalog_run import verify_run

    show = getattr(args, "format", "tex") != "json" and bool(getattr(args, "out", None))
    return list(verify_run(chosen, getattr(args, "ids", []), args.budget, getattr(args, "jobs", 0), show=show,
                           what="exporting"))


def _write(path: Path, text: str) -> None:
    """Write a file; its folder must exist (a mistyped --out is an error, not a new tree)."""
    if not path.parent.is_dir():
        raise FileNotFoundError(2, f"no such directory: {path.parent}")
    path.write_text(text, encoding="utf-8")


def export(chosen: list[Derivation], args) -> int:
    """Run `verify export`; returns the exit code."""
    results = _verify(chosen, args)
    fmt = args.format
    out = Path(args.out) if getattr(args, "out", None) else None
    fragment = getattr(args, "fragment", False)
    flavor = getattr(args, "flavor", None) or "plain"
    try:
        if fmt == "json":
            text = json_export(chosen, results)
            _write(out, text + "\n") if out else print(text)
        elif fragment:
            ext = "tex" if fmt == "tex" else "md"
            pieces = [(fragment_name(d, ext), tex_fragment(d, r) if fmt == "tex"
                       else md_derivation(d, r, flavor=flavor) + "\n")
                      for d, r in zip(chosen, results)]
            if out is not None:
                if out.exists() and not out.is_dir():
                    print(f"verify: error: --fragment writes one file per derivation; {out} is not a directory",
                          file=sys.stderr)
                    return 2
                if not out.exists():
                    out.mkdir()  # the fragments' folder itself, not missing parents
                for name, text in pieces:
                    _write(out / name, text)
                print(f"wrote {len(pieces)} fragments to {out}/", file=sys.stderr)
            else:
                sys.stdout.write("\n".join(text for _n, text in pieces))
        else:
            text = tex_document(chosen, results) if fmt == "tex" else md_document(chosen, results, flavor=flavor)
            if out is not None:
                _write(out, text)
                print(f"wrote {out}", file=sys.stderr)
            else:
                sys.stdout.write(text)
    except OSError as exc:
        print(f"verify: error: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    failing = [(occurrence_key(d), s) for d, r in zip(chosen, results) if r is not None
               for s in r.steps if s.status != PROVED]
    for key, s in failing:
        print(f"verify: {key} step {s.index} ({s.chain}) is {s.status}: {s.message}", file=sys.stderr)
    return 1 if failing else 0


def export_all(chosen: Iterable[Derivation], fmt: str = "tex", verify: bool = False) -> str:
    """The export as a string (for tests and notebooks)."""
    chosen = list(chosen)

    class _A:
        no_verify = not verify
        budget = 20.0

    results = _verify(chosen, _A)
    return tex_document(chosen, results) if fmt == "tex" else md_document(chosen, results)
