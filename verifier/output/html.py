"""`verify check --format html`: one self-contained page per run.

The page shows each note's prose (Markdown read by markdown-it-py, raw HTML of the note escaped)
and every display rendered by KaTeX, and under each display its steps with their status marks.
Steps that do not pass (refuted, unknown, unparsed, and checked unless allowed) are highlighted
with the message, the counterexample and the tool's reading; a summary at the top links to them.

Every piece of the note's text reaches the page escaped: formulas travel as the text of an element
that KaTeX renders in the browser, so a note cannot inject HTML or script.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Sequence

from verifier.model.results import CHECKED, NOTED, PROVED, REFUTED, UNKNOWN, UNPARSED
from verifier.notes.blocks import MathBlock, find_blocks, is_hugo, unescape_hugo
from verifier.notes.report import CheckReport
from verifier.output.html_page import KATEX_MACROS, KATEX_VERSION, SCRIPT, STYLE, katex_css, katex_js, katex_notice

__all__ = ["html_report", "MARKS"]

MARKS = {PROVED: "✓", CHECKED: "≈", REFUTED: "✗", UNKNOWN: "?", UNPARSED: "!", "noted": "•"}
_REL_TEX = {"=": "=", "<=": r"\le", ">=": r"\ge", "<": "<", ">": ">", "!=": r"\ne",
            "argmin-equivalent": r"\;\overset{\arg\min}{\Longleftrightarrow}\;",
            "argmax-equivalent": r"\;\overset{\arg\max}{\Longleftrightarrow}\;"}
_INLINE = re.compile(r"(?<![\\$])\$(?!\$)((?:\\.|[^$\\\n])+?)\$(?!\$)|\\\((.+?)\\\)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_LABEL = re.compile(r"\\label\s*\{[^{}]*\}")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _math(tex: str, display: bool = False) -> str:
    """An element KaTeX renders (its text is the escaped LaTeX)."""
    tag = "div" if display else "span"
    cls = "math-display" if display else "math-inline"
    return f'<{tag} class="{cls}" data-tex="{"display" if display else "inline"}">{_e(tex)}</{tag}>'


# ----------------------------------------------------------------------------------------
# prose
# ----------------------------------------------------------------------------------------
def _markdown(text: str) -> str:
    """Markdown prose as HTML: inline math kept away from the Markdown reader, raw HTML escaped."""
    from markdown_it import MarkdownIt

    maths: list[str] = []

    def hold(m: re.Match) -> str:
        maths.append(m.group(1) if m.group(1) is not None else m.group(2))
        return f"KATEXMATH{len(maths) - 1}Z"

    held = _INLINE.sub(hold, _COMMENT.sub("", text))
    out = MarkdownIt("commonmark", {"html": False}).enable("table").render(held)
    return re.sub(r"KATEXMATH(\d+)Z", lambda m: _math(maths[int(m.group(1))]), out)


def _tex_prose(text: str) -> str:
    """Prose of a TeX note: paragraphs, comments dropped, inline math rendered."""
    text = re.sub(r"(?<!\\)%[^\n]*", "", text)
    text = re.sub(r"(?s)\A.*?\\begin\{document\}", "", text)  # the preamble is no prose
    text = re.sub(r"\\end\{document\}.*", "", text, flags=re.S)
    text = re.sub(r"(?m)^[ \t]*(\\(?:sub)*section\*?\{.*\})[ \t]*$", r"\n\1\n", text)  # headings alone
    out = []
    for para in re.split(r"\n\s*\n", text):
        if not para.strip():
            continue
        head = re.fullmatch(r"\s*\\(section|subsection|subsubsection)\*?\{(.*)\}\s*", para, re.S)
        if head:
            level = {"section": 3, "subsection": 4, "subsubsection": 5}[head.group(1)]
            out.append(f"<h{level}>{_e(head.group(2))}</h{level}>")
            continue
        pieces, last = [], 0
        for m in _INLINE.finditer(para):
            pieces.append(_e(para[last:m.start()]))
            pieces.append(_math(m.group(1) if m.group(1) is not None else m.group(2)))
            last = m.end()
        pieces.append(_e(para[last:]))
        out.append("<p>" + "".join(pieces) + "</p>")
    return "\n".join(out)


def _prose(text: str, tex: bool) -> str:
    if not text.strip():
        return ""
    return '<div class="prose">' + (_tex_prose(text) if tex else _markdown(text)) + "</div>"


# ----------------------------------------------------------------------------------------
# steps
# ----------------------------------------------------------------------------------------
def _claim_tex(step: dict) -> str:
    rel = _REL_TEX.get(step.get("relation", "="), step.get("relation", "="))
    return f"{step.get('lhs', '')} {rel} {step.get('rhs', '')}"


def _cex_html(cex: dict) -> str:
    rows = []
    for k, v in cex.items():
        name = {"lhs": "left side", "rhs": "right side"}.get(k)
        key = _e(name) if name else _math(k)
        rows.append(f"<tr><td>{key}</td><td>{_e(v)}</td></tr>")
    return '<table class="cex">' + "".join(rows) + "</table>"


def _detail(step: dict) -> str:
    parts = []
    msg = str(step.get("message") or "")
    if msg and not (step.get("counterexample") and msg.startswith("fails at a point inside the domains")):
        parts.append(f"<p>{_e(msg)}</p>")
    if step.get("counterexample"):
        parts.append('<p class="label">counterexample (a point inside the domains where the step fails):</p>'
                     + _cex_html(step["counterexample"]))
    if step.get("reading"):
        parts.append(f'<p><span class="label">the tool read it as</span> {_math(str(step["reading"]))}</p>')
    if step.get("method") and step.get("status") not in (UNPARSED,):
        parts.append(f'<p class="label">method: {_e(step["method"])}</p>')
    return '<div class="detail">' + "".join(parts) + "</div>" if parts else ""


def _why(why: str) -> str:
    """A justification: LaTeX when it is written as LaTeX, else words (a remark stripped of \\text)."""
    return _math(why) if "\\" in why or "$" in why else _e(why)


#: a step is set like a display (full-size fractions and limits), on one line
DISPLAY_STYLE = "\\displaystyle "


def _step_html(step: dict, anchor: str, ok: set[str]) -> str:
    status = str(step.get("status", UNKNOWN))
    flagged = status not in ok
    cls = f"step {_e(status)}" + (" flagged" if flagged else "")
    why = step.get("justification") or ""
    where = f"line {step['line']}" if step.get("line") is not None else ""
    body = (f'<span class="where">{_e(where)}</span>'
            f'<span class="status">{_e(MARKS.get(status, "?"))} {_e(status)}</span>'
            f'<span class="claim">{_math(DISPLAY_STYLE + _claim_tex(step))}'
            + (f' <span class="why">{_why(why)}</span>' if why else "") + "</span>")
    detail = _detail(step) if flagged or status in (REFUTED, UNKNOWN, UNPARSED) else ""
    return f'<li class="{cls}" id="{anchor}">{body}{detail}</li>'


def _block_tex(b: MathBlock, hugo: bool = False) -> str:
    body = _LABEL.sub("", unescape_hugo(b.body) if hugo else b.body).strip()
    if b.delimiter == "eqnarray":
        body = body.replace("eqnarray", "aligned")
    # equation numbers mean nothing in the report (and their tags overflow the column): starred forms
    body = re.sub(r"\\(begin|end)\{(equation|align|gather|multline|flalign|alignat)\}", r"\\\1{\2*}", body)
    return body.replace(r"\nonumber", "").replace(r"\notag", "")


# ----------------------------------------------------------------------------------------
# a note
# ----------------------------------------------------------------------------------------
_FRONT = {"---": "---", "+++": "+++"}


def _front_matter(lines: list[str]) -> tuple[int, str]:
    """(lines the front matter takes, its title) for a note that opens with YAML or TOML front matter."""
    if not lines or lines[0].strip() not in _FRONT:
        return 0, ""
    fence = lines[0].strip()
    for j in range(1, min(len(lines), 200)):
        if lines[j].strip() == fence:
            title = ""
            for ln in lines[1:j]:
                m = re.match(r"""\s*title\s*[:=]\s*["']?(.*?)["']?\s*$""", ln)
                if m:
                    title = m.group(1)
                    break
            return j + 1, title
    return 0, ""


def _file_html(k: int, fjson: dict, text: str | None, ok: set[str], failures: list) -> str:
    path = str(fjson.get("path", ""))
    tex = path.lower().endswith(".tex")
    c = fjson.get("summary", {})
    head = ", ".join(f"{v} {s}" for s, v in c.items() if v) or "no steps"
    out = [f'<article class="note" id="f{k}"><h2>{_e(path)}</h2>', f'<p class="note-line">{_e(head)}</p>']
    pragmas = fjson.get("pragmas") or {}
    for prob in pragmas.get("problems", []):
        out.append(f'<p class="pragma-problem">line {_e(prob["line"])}: {_e(prob["message"])}</p>')
    assumed = fjson.get("assumptions") or {}
    if assumed:
        rows = "".join(f"<li>{_e(name) if '(' in name else _math(name)}: {_e(why)}</li>"
                       for name, why in assumed.items())
        out.append(f'<details class="assumptions"><summary>domains of the symbols ({len(assumed)})</summary>'
                   f"<ul>{rows}</ul></details>")
    if pragmas.get("skip_file"):
        out.append('<p class="skipped">not checked: the note says &lt;!-- verify: skip-file --&gt;</p>')
    reports = {int(b["line"]): b for b in fjson.get("blocks", []) if b.get("line") is not None}
    skipped = set(pragmas.get("skipped_blocks", []))
    steps_seen = 0
    if text is None:
        out.append('<p class="skipped">the note could not be read again to show its prose</p>')
        blocks: list[MathBlock] = []
        lines: list[str] = []
    else:
        blocks = find_blocks(text, tex)
        lines = text.splitlines()
    hugo = text is not None and not tex and is_hugo(text)  # Hugo's doubled escapes (\\\\ for \\)
    pos = 0  # 0-based index of the next line of prose
    if not tex:  # front matter (Hugo, Jekyll) is no prose: its title heads the note
        pos, title = _front_matter(lines)
        if title:
            out.insert(1, f'<p class="note-title">{_e(title)}</p>')
    for b in blocks:
        end = b.body_line + b.body.count("\n")  # 1-based last line of the block
        out.append(_prose("\n".join(lines[pos:b.line - 1]), tex))
        pos = max(pos, end)
        out.append(f'<section class="display" id="f{k}-b{b.line}">{_math(_block_tex(b, hugo), display=True)}')
        rep = reports.pop(b.line, None)
        if b.line in skipped:
            out.append('<p class="skipped">not checked: the note says verify: skip</p>')
        if rep is not None:
            out.append(_block_steps(k, rep, ok, failures, path))
            steps_seen += len(rep.get("steps", []))
        out.append("</section>")
    out.append(_prose("\n".join(lines[pos:]), tex))
    for line, rep in sorted(reports.items()):  # blocks the page could not place (the note changed since)
        out.append(f'<section class="display" id="f{k}-b{line}"><p class="note-line">block at line {line}</p>'
                   + _block_steps(k, rep, ok, failures, path) + "</section>")
    out.append("</article>")
    return "\n".join(x for x in out if x)


def _block_steps(k: int, rep: dict, ok: set[str], failures: list, path: str) -> str:
    items = []
    for j, s in enumerate(rep.get("steps", [])):
        anchor = f"f{k}-b{rep['line']}-s{j}"
        items.append(_step_html(s, anchor, ok))
        if s.get("status") not in ok:
            failures.append((anchor, path, s))
    for j, u in enumerate(rep.get("unread", [])):
        anchor = f"f{k}-b{rep['line']}-u{j}"
        u = {"status": UNPARSED, "lhs": u.get("latex", ""), "relation": "", "rhs": "", "line": u.get("line"),
             "message": u.get("message", "")}
        items.append(_step_html(u, anchor, ok))
        if UNPARSED not in ok:
            failures.append((anchor, path, u))
    for d in rep.get("definitions", []):
        items.append(f'<li class="step noted"><span class="where">line {_e(d.get("line", ""))}</span>'
                     f'<span class="status">• defines</span><span class="claim">'
                     f'{_math(str(d.get("name", "")) + " = " + str(d.get("value", "")))}</span></li>')
    for sk in rep.get("skipped", []):
        items.append(f'<li class="step noted"><span class="where">line {_e(sk.get("line", ""))}</span>'
                     f'<span class="status">• not checked</span><span class="claim">'
                     f'{_e(sk.get("message", ""))}</span></li>')
    return '<ol class="steps">' + "\n".join(items) + "</ol>" if items else ""


# ----------------------------------------------------------------------------------------
# the page
# ----------------------------------------------------------------------------------------
def _summary_html(report_json: dict, failures: list, passed: bool, seconds: float) -> str:
    counts = report_json.get("summary", {})
    files = report_json.get("files", [])
    badges = "".join(f'<li class="{"zero" if not v else _e(s)}">{_e(MARKS.get(s, ""))} {_e(v)} {_e(s)}</li>'
                     for s, v in counts.items())
    verdict = ("every step passes" if passed else f"{len(failures)} step{'s' if len(failures) != 1 else ''} "
               "to look at")
    out = [f"<h1>verify check: {len(files)} note{'s' if len(files) != 1 else ''}</h1>",
           f'<p><span class="verdict {"pass" if passed else "fail"}">{_e(verdict)}</span>'
           f" ({_e(f'{seconds:.1f}')} s)</p>",
           f'<ul class="counts">{badges}</ul>']
    if failures:
        links = []
        for anchor, path, s in failures:
            where = f"{Path(path).name}:{s.get('line', '')}"
            claim = _math(_claim_tex(s)) if s.get("rhs") else _math(str(s.get("lhs", "")))
            msg = " ".join(str(s.get("message") or "").split())
            short = msg if len(msg) <= 90 else msg[:89] + "…"
            links.append(f'<li><a href="#{anchor}">{_e(MARKS.get(s.get("status"), "?"))} '
                         f'{_e(s.get("status"))}</a> <code>{_e(where)}</code> <span class="claim">{claim}</span>'
                         + (f'<span class="why-short" title="{_e(msg)}">{_e(short)}</span>' if short else "")
                         + "</li>")
        out.append('<nav class="to-look-at"><h2>Steps to look at</h2><ol>' + "".join(links) + "</ol></nav>")
    return "<header>" + "\n".join(out) + "</header>"


def html_report(report: CheckReport, report_json: dict | None = None, allow: Sequence[str] = (PROVED,),
                read=None) -> str:
    """The whole page for a check report (``report_json``: its JSON, default ``report.to_json()``;
    ``read(path)`` gives a note's text, default the file on disk)."""
    data = report_json if report_json is not None else report.to_json()

    def default_read(path: str) -> str:
        return Path(path).read_text(encoding="utf-8-sig")

    read = read or default_read
    failures: list = []
    articles = []
    for k, f in enumerate(data.get("files", [])):
        ok = {PROVED, NOTED, *allow, *(f.get("allow") or [])}  # a noted step claims nothing: it passes
        try:
            text = read(str(f.get("path", "")))
        except (OSError, UnicodeDecodeError):
            text = None
        articles.append(_file_html(k, f, text, ok, failures))
    passed = report.passed(allow)
    macros = json.dumps(KATEX_MACROS).replace("</", "<\\/")
    notice = _e(katex_notice())
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>verify check: {_e(', '.join(str(f.get('path', '')) for f in data.get('files', []))[:120])}</title>",
        f"<style>{katex_css()}</style>",
        f"<style>{STYLE}</style>",
        "</head><body>",
        _summary_html(data, failures, passed, report.seconds),
        "<main>", *articles, "</main>",
        f'<footer><p>Rendered with KaTeX {KATEX_VERSION}, embedded in this page.</p>'
        f"<details><summary>KaTeX licence</summary><pre>{notice}</pre></details></footer>",
        f"<script>{katex_js()}</script>",
        f"<script>{SCRIPT % {'macros': macros}}</script>",
        "</body></html>", ""])
