"""Finding display math in notes: ``$$...$$``, ``\\[...\\]`` and the environments ``equation``,
``align``, ``aligned``, ``gather``, ``split`` (starred or not), possibly nested; code, comments
and quotes masked.  A block is numbered by the 1-based line of its opening delimiter."""
from __future__ import annotations

import re
from dataclasses import dataclass

ENVIRONMENTS = ("equation", "align", "aligned", "gather", "gathered", "split", "multline", "eqnarray",
                "alignat", "alignedat", "flalign")



ENV_RE = "|".join(ENVIRONMENTS)



_HUGO_DISPLAY = re.compile(r"\\\\\[(?=\s)")  # \\[ followed by a space or a line break
_OPENER = re.compile(r"[\\$]")  # the first character of every construct find_blocks looks for



_BEGIN = re.compile(r"\\begin\{(" + ENV_RE + r")(\*?)\}")



@dataclass
class MathBlock:
    """A display-math block: its 1-based opening line and its body."""

    line: int
    body: str
    body_line: int  # line of the first character of the body
    delimiter: str



class _Lines:
    """The line of a position in one text, for positions asked in increasing order: each asks only
    for the newlines since the last (counting from the start every time made long notes quadratic)."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.line = text, 0, 1

    def of(self, pos: int) -> int:
        if pos < self.pos:
            self.pos, self.line = 0, 1
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line



def _mask_code(text: str) -> str:
    """Blank out fenced code blocks and inline code (keeping offsets and newlines)."""
    def blank(m: re.Match) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    text = re.sub(r"(?ms)^[ \t>]*(```|~~~).*?^[ \t>]*\1[^\n]*$", blank, text)
    text = re.sub(r"(?ms)^[ \t>]*(```|~~~).*\Z", blank, text)  # unclosed fence
    text = re.sub(r"(?s)<!--.*?-->", blank, text)  # HTML comments (commented-out math)
    text = re.sub(r"`[^`\n]+`", blank, text)
    return _mask_indented_code(text)



_LIST_ITEM = re.compile(r"^[ \t]{0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")



def _mask_indented_code(text: str) -> str:
    """Blank out Markdown indented code blocks (4 spaces or a tab after a blank line, outside lists)."""
    out: list[str] = []
    in_list = in_code = in_math = False
    prev_blank = True
    for ln in text.split("\n"):
        bare = ln.rstrip("\r")
        blank = not bare.strip()
        indented = bare.startswith(("    ", "\t"))
        if in_code and (blank or indented):
            out.append(re.sub(r"[^\r]", " ", ln))
            continue
        in_code = False
        if not blank and indented and prev_blank and not in_list and not in_math:
            in_code = True
            out.append(re.sub(r"[^\r]", " ", ln))
            continue
        if not blank:
            if _LIST_ITEM.match(bare):
                in_list = True
            elif not indented and not in_math:
                in_list = False
            if bare.count("$$") % 2:
                in_math = not in_math
        prev_blank = blank
        out.append(ln)
    return "\n".join(out)



_QUOTE = re.compile(r"[ \t]*(?:>[ \t]?)+")



def _unquote(src: str, start: int, body: str) -> str:
    """A block opened inside a Markdown blockquote (or an Obsidian callout): drop the '>' markers
    at the start of its lines (keeping offsets)."""
    line_start = src.rfind("\n", 0, start) + 1
    if not _QUOTE.fullmatch(src[line_start:start]) or ">" not in src[line_start:start]:
        return body
    return re.sub(r"(?m)(?<=\n)" + _QUOTE.pattern, lambda m: " " * len(m.group(0)), body)



def _mask_tex_comments(text: str) -> str:
    return re.sub(r"(?<!\\)%[^\n]*", lambda m: " " * len(m.group(0)), text)



def _find_env_end(text: str, start: int, env: str, star: str) -> int:
    """Index just after the matching \\end{env}, or -1."""
    pat = re.compile(r"\\(begin|end)\{" + re.escape(env) + re.escape(star) + r"\}")
    depth = 0
    for m in pat.finditer(text, start):
        depth += 1 if m.group(1) == "begin" else -1
        if depth == 0:
            return m.end()
    return -1



def find_blocks(text: str, tex: bool = False) -> list[MathBlock]:
    """The display-math blocks of a note, in order."""
    src = _mask_tex_comments(text) if tex else _mask_code(text)
    blocks: list[MathBlock] = []
    lines = _Lines(src)
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c != "\\" and c != "$":  # every construct below starts with one of these two
            nxt = _OPENER.search(src, i)
            if nxt is None:
                break
            i = nxt.start()
            c = src[i]
        if not tex and _HUGO_DISPLAY.match(src, i) and (i == 0 or src[i - 1] != "\\"):
            # Hugo/Goldmark: a display \\[ ... \\] written with doubled backslashes
            end = src.find("\\\\]", i + 3)
            if end != -1:
                body = _unquote(src, i, src[i + 3:end])
                blocks.append(MathBlock(lines.of(i), body, lines.of(i + 3), "\\["))
                i = end + 3
                continue
        if c == "\\" and i + 1 < n and src[i + 1] == "$":
            i += 2
            continue
        if src.startswith("$$", i):
            end = src.find("$$", i + 2)
            while end != -1 and src[end - 1] == "\\" and not src.startswith("\\\\", end - 2):
                end = src.find("$$", end + 2)
            if end == -1:
                break
            body = src[i + 2:end] if tex else _unquote(src, i, src[i + 2:end])
            blocks.append(MathBlock(lines.of(i), body, lines.of(i + 2), "$$"))
            i = end + 2
            continue
        if c == "$":  # inline math: skip it (it stays on its line)
            end = i + 1
            while end < n and src[end] not in "$\n":
                end += 2 if src[end] == "\\" else 1
            i = end + 1 if end < n and src[end] == "$" else i + 1
            continue
        if src.startswith("\\[", i) and not src.startswith("\\\\[", i - 1 if i else 0):
            end = src.find("\\]", i + 2)
            if end == -1:
                break
            body = src[i + 2:end] if tex else _unquote(src, i, src[i + 2:end])
            blocks.append(MathBlock(lines.of(i), body, lines.of(i + 2), "\\["))
            i = end + 2
            continue
        if src.startswith("\\begin{", i):
            m = _BEGIN.match(src, i)
            if m:
                end = _find_env_end(src, i, m.group(1), m.group(2))
                if end == -1:
                    break
                body = src[i:end] if tex else _unquote(src, i, src[i:end])
                blocks.append(MathBlock(lines.of(i), body, lines.of(i), m.group(1) + m.group(2)))
                i = end
                continue
        i += 1
    return blocks



def find_inline(text: str, tex: bool = False) -> list[tuple[int, str]]:
    """Inline math ``$...$`` / ``\\(...\\)`` with its line (used for definitions and domains)."""
    src = _mask_tex_comments(text) if tex else _mask_code(text)
    out: list[tuple[int, str]] = []
    lines = _Lines(src)
    for m in re.finditer(r"(?<![\\$])\$(?!\$)((?:\\.|[^$\\\n])+?)\$(?!\$)|\\\((.+?)\\\)", src):
        body = m.group(1) if m.group(1) is not None else m.group(2)
        out.append((lines.of(m.start()), body))
    return out



def unescape_hugo(body: str) -> str:
    """Hugo/Markdown escapes: ``\\\\\\\\`` is a row break ``\\\\``, ``\\\\{`` is ``\\{``."""
    body = body.replace("\\\\\\\\", "\u0001")  # row break
    body = re.sub(r"\\\\([{}_,;!#%&$ ])", r"\\\1", body)
    return body.replace("\u0001", "\\\\")



def is_hugo(text: str) -> bool:
    """Does a Markdown file use Hugo-style doubled escapes inside math?"""
    return bool(re.search(r"\\\\\\\\|\\\\\{|\\\\\}", text))

