"""The structure of a note: headings (sections), paragraphs of prose, and the prose before a line.

Markdown is read by a real parser (markdown-it-py with the dollar-math plugin of mdit-py-plugins):
headings, paragraphs, lists, quotes and code come from its tokens, so a ``#`` inside a code block or
a ``$$`` block is no heading.  TeX files are split into sections by ``\\chapter`` / ``\\section`` /
``\\subsection`` / ``\\subsubsection`` and into paragraphs at blank lines.

Scope rules use it (:mod:`verifier.notes.scopes`): a definition holds to the end of its section (the
next heading of the same or a higher level); an example binds only inside its paragraph and the
display(s) right after it.  A definition the note makes for all of itself holds to the end of the
note: one in a section of notation or set-up ("Notation", "Setup", "Preliminaries", "符号", "设定"),
and a formal one ("**Definition 1.1.**", ``\\begin{definition}``, "定义 2").  TeX's run-in
``\\paragraph`` headings label paragraphs inside a section and end no scope.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field


END = math.inf  # the end of the note

#: the title of a section that sets up the notation of the whole note
NOTE_WIDE_TITLE = re.compile(
    r"\b(?:notations?|set-?\s?up|preliminar(?:y|ies)|problem\s+setting)\b|符号|记号|设定|预备|准备|基本概念|问题描述", re.I)
#: the opening of a formal definition: a paragraph that starts "Definition 1.1." (bold or not), 定义 2
FORMAL_DEFINITION = re.compile(r"^\s*(?:[*_]{1,2}\s*)?(?:Definition|Notation|定义|记号)(?:\s*[\d.]+|\s*[(（:：*_])",
                               re.I)
#: the words that make a paragraph an example, whose names hold only there ("consider", "suppose" do not:
#: "consider the objective ..." usually sets up what follows)
EXAMPLE_SCOPE = re.compile(r"\bfor\s+example\b|\bfor\s+instance\b|\be\.g\.|\bas\s+an\s+example\b|\ban\s+example\b"
                           r"|\bexample\s*[:.\d]|\btake\s+(?=\$|\\\()|例如|比如|举例|譬如|举个例子", re.I)
_DEFINITION_ENV = re.compile(r"\\(begin|end)\{(?:definition|defn|notation)\*?\}")
#: words that make a definition local to its section ("in this section", "for now", 本节): it ends with it
LOCAL_SCOPE = re.compile(r"\bin\s+this\s+(?:section|subsection|part|paragraph|lecture\s+section)\b"
                         r"|\bfor\s+this\s+(?:section|subsection|part)\b|\bhere\s+only\b|\bonly\s+here\b"
                         r"|\bfor\s+(?:now|the\s+moment|the\s+time\s+being)\b|\btemporarily\b|\blocally\b"
                         r"|本节|本小节|这一节|此节|这一小节|暂时|暂且|在此处", re.I)
#: a section cited by its number in the prose ("from section 1", "see Sec. 2.1", 第 2 节, and a dotted number
#: after "of" / "in" / "from": "the Poisson family of 3.4"; a bare "in 2" is no citation)
_CITED = re.compile(r"(?:\bsections?|\bsec\.|§|\bchapter|\bpart)\s*(\d+(?:\.\d+)*)(?![\d)]|\.\d)"
                    r"|(?:\bof|\bin|\bfrom|\bsee|\bas\s+in)\s+(\d+\.\d+(?:\.\d+)*)(?![\d)]|\.\d)"
                    r"|第\s*(\d+(?:\.\d+)*)\s*[节章]|(\d+(?:\.\d+)+)\s*节", re.I)
_NUMBERED_TITLE = re.compile(r"^\s*(?:§\s*)?(\d+(?:\.\d+)*)(?:[.、:：)]|\s|$)")


@dataclass
class Heading:
    line: int  # 1-based
    level: int
    title: str


@dataclass
class Paragraph:
    start: int  # 1-based first line
    end: int  # 1-based last line
    text: str


@dataclass
class Structure:
    headings: list[Heading] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    math_lines: set[int] = field(default_factory=set)  # lines inside display math

    def section_of(self, line: int) -> Heading | None:
        """The innermost heading at or before a line."""
        best = None
        for h in self.headings:
            if h.line <= line:
                best = h
            else:
                break
        return best

    def section_end(self, line: int) -> float:
        """The last line a definition made at `line` holds on: before the next heading of the same
        or a higher level than the section's (the end of the note when there is none)."""
        h = self.section_of(line)
        for nxt in self.headings:
            if nxt.line > line and (h is None or nxt.level <= h.level):
                return nxt.line - 1
        return END

    def statement_span(self, line: int) -> tuple[int, float]:
        """The lines a statement of the prose at `line` holds on ("W is symmetric"): the whole note for one in a
        section of notation or set-up, else its section, from its heading to the section's end."""
        if self.note_wide(line, line):
            return 1, END
        h = self.section_of(line)
        return (h.line if h is not None else 1), self.section_end(line)

    def note_wide(self, line: int, prose_line: int) -> bool:
        """Whether a definition made at `line` (its prose at `prose_line`) is made for the whole note: in
        a section of notation or set-up (or one inside such a section), or in a formal definition."""
        for h in self.headings:
            if h.line <= line and self.section_end(h.line) >= line and NOTE_WIDE_TITLE.search(h.title):
                return True
        p = self.paragraph_at(prose_line)
        if p is not None and FORMAL_DEFINITION.match(p.text):
            return True
        opened = False
        for ln in self.lines[:line]:
            for m in _DEFINITION_ENV.finditer(ln):
                opened = m.group(1) == "begin"
        return opened

    def marked_local(self, prose_line: int) -> bool:
        """Whether the paragraph at `prose_line` (the prose a definition belongs to) makes its definitions
        local to the section ("in this section", "for now", 本节)."""
        p = self.paragraph_at(prose_line)
        return bool(LOCAL_SCOPE.search(p.text if p is not None else self.prose_before(prose_line + 1)))

    def carries(self, line: int, prose_line: int, display_ends: list[tuple[int, int]]) -> bool:
        """Whether a definition made at `line` (its prose at `prose_line`) may carry on past its section when
        the note makes no other: not an example's, not one the prose makes local ("in this section", 本节)."""
        ex = self.example_end(prose_line, display_ends)
        return not (ex is not None and ex >= line) and not self.marked_local(prose_line)

    def section_prose(self, line: int) -> str:
        """The prose of the section around `line` up to that line (display math left out)."""
        head = self.section_of(line)
        start = head.line if head else 1
        return "\n".join(ln for k, ln in enumerate(self.lines[start - 1:line - 1], start)
                          if k not in self.math_lines)

    def cited_sections(self, line: int) -> list[tuple[int, float]]:
        """The (first, last) lines of the earlier sections that the prose of the section around `line` cites
        by their number ("for the Poisson family of 3.4", "from section 1", 第 2 节); equation numbers in
        parentheses, "(3.4)", are no citation."""
        own = self.section_of(line)
        numbers = {next(g for g in m.groups() if g) for m in _CITED.finditer(self.section_prose(line))}
        out = []
        for h in self.headings:
            m = _NUMBERED_TITLE.match(h.title)
            if m and m.group(1) in numbers and h.line < line and h is not own:
                out.append((h.line, self.section_end(h.line)))
        return out

    def section_math(self, inline: list[tuple[int, str]], line: int) -> str:
        """The inline math (line, body) of the section around `line`, joined: what its prose talks about."""
        head = self.section_of(line)
        start, end = (head.line if head else 0), self.section_end(line)
        return " ; ".join(body for ln, body in inline if start <= ln <= end)

    def paragraph_at(self, line: int) -> Paragraph | None:
        for p in self.paragraphs:
            if p.start <= line <= p.end:
                return p
        return None

    def example_end(self, line: int, display_ends: list[tuple[int, int]]) -> float | None:
        """When the paragraph at `line` gives an example ("for example", "e.g.", "例如"; not "consider",
        which usually sets up what follows): the last
        line of its scope (the paragraph and the displays written right after it)."""
        p = self.paragraph_at(line)
        if p is None or not EXAMPLE_SCOPE.search(p.text):
            return None
        end = p.end
        for start, stop in sorted(display_ends):
            if stop <= end:
                continue
            if start <= end:  # a display inside the paragraph
                end = stop
                continue
            if all(not ln.strip() for ln in self.lines[end:start - 1]):
                end = stop  # the display right after the example belongs to it
                continue
            break
        return end

    def prose_before(self, line: int, max_lines: int = 6) -> str:
        """The prose just before a line (back to a blank line, a heading or other display math)."""
        out: list[str] = []
        k = line - 2
        while k >= 0 and len(out) < max_lines:
            ln = self.lines[k]
            if not ln.strip():
                if out:
                    break
                k -= 1
                continue
            if (k + 1) in self.math_lines or ln.lstrip().startswith(("#", "$$", "\\[", "\\begin", "\\end")):
                break
            out.append(ln)
            k -= 1
        return " ".join(reversed(out)).strip()


def _markdown_structure(text: str) -> Structure:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark").use(dollarmath_plugin, allow_space=True, allow_digits=True, double_inline=True)
    tokens = md.parse(text)
    st = Structure(lines=text.splitlines())
    for k, t in enumerate(tokens):
        if t.type == "heading_open" and t.map:
            title = tokens[k + 1].content if k + 1 < len(tokens) else ""
            st.headings.append(Heading(t.map[0] + 1, int(t.tag[1:]), title))
        elif t.type == "paragraph_open" and t.map:
            content = tokens[k + 1].content if k + 1 < len(tokens) else ""
            st.paragraphs.append(Paragraph(t.map[0] + 1, t.map[1], content))
        elif t.type in ("math_block", "math_block_label") and t.map:
            st.math_lines.update(range(t.map[0] + 1, t.map[1] + 1))
    return st


_TEX_HEADING = re.compile(r"^\s*\\(chapter|section|subsection|subsubsection)\*?\s*(?:\[[^\]]*\])?\s*\{(.*)")
_TEX_LEVEL = {"chapter": 1, "section": 2, "subsection": 3, "subsubsection": 4}


def _tex_structure(text: str) -> Structure:
    lines = text.splitlines()
    st = Structure(lines=lines)
    start = None
    for k, ln in enumerate(lines + [""]):
        m = _TEX_HEADING.match(ln)
        if m:
            st.headings.append(Heading(k + 1, _TEX_LEVEL[m.group(1)], m.group(2).rstrip("}")))
        if ln.strip() and not m:
            start = k if start is None else start
        elif start is not None:
            st.paragraphs.append(Paragraph(start + 1, k, "\n".join(lines[start:k])))
            start = None
    return st


def note_structure(text: str, tex: bool = False) -> Structure:
    """Headings and paragraphs of a note (Markdown, or TeX with tex=True).  A parser failure falls back
    to a note with no headings and blank-line paragraphs (never loses the note)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if tex:
        return _tex_structure(text)
    try:
        return _markdown_structure(text)
    except Exception:  # noqa: BLE001 - structure is a refinement; the blocks are found without it
        st = _tex_structure(text)
        st.headings = []
        return st
