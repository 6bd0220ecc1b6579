"""Finding display math in notes and splitting it into chains.

Blocks are ``$$...$$``, ``\\[...\\]`` and the environments ``equation``, ``align``,
``aligned``, ``gather``, ``split`` (starred or not), possibly nested.  A block is
numbered by the 1-based line of its opening delimiter.  Inside a block, rows are
split at top-level ``\\\\``; a row is split at top-level relation signs; a row that
starts with a relation continues the chain of the row above; a row of prose (any
language) ends the chain.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

ENVIRONMENTS = ("equation", "align", "aligned", "gather", "gathered", "split", "multline", "eqnarray",
                "alignat", "alignedat", "flalign")
_ENV_RE = "|".join(ENVIRONMENTS)
_BEGIN = re.compile(r"\\begin\{(" + _ENV_RE + r")(\*?)\}")

# relation signs, longest first; each maps to a relation kind
RELATIONS: list[tuple[str, str]] = [
    (r"\coloneqq", ":="), (r"\triangleq", ":="), (r"\stackrel{\text{def}}{=}", ":="), (r"\overset{\text{def}}{=}", ":="),
    (":=", ":="), (r"\geqslant", ">="), (r"\leqslant", "<="), (r"\geq", ">="), (r"\leq", "<="),
    (r"\ge", ">="), (r"\le", "<="), (r"\neq", "!="), (r"\ne", "!="), (r"\approx", "~"),
    (r"\simeq", "~"), (r"\equiv", "=="), (r"\propto", "~"), (r"\sim", "~"), (r"\in", "in"),
    (r"\to", "->"), (r"\rightarrow", "->"), (r"\Rightarrow", "=>"), (r"\iff", "=>"),
    (r"\Leftrightarrow", "=>"), (r"\implies", "=>"), (r"\gt", ">"), (r"\lt", "<"),
    (">=", ">="), ("<=", "<="), ("=", "="), ("<", "<"), (">", ">"),
]
CHECKABLE = {"=", "<=", ">=", "<", ">"}

_CJK = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")
_TEXT_CMD = re.compile(r"\\(?:text|mbox|textrm|textbf|textit|mathrm|operatorname\*?)\s*\{[^{}]*\}")
_LEAD_IN = re.compile(r"^[\s,.:;!?\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+(.*)$", re.S)
_WORDS = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{3,}(?:[ ,.;:]+[A-Za-z]{2,}){2,}")


@dataclass
class MathBlock:
    """A display-math block: its 1-based opening line and its body."""

    line: int
    body: str
    body_line: int  # line of the first character of the body
    delimiter: str


@dataclass
class Segment:
    """One expression of a chain, with the relation to the previous expression."""

    latex: str
    line: int
    relation: str | None  # None for the first expression of a chain


@dataclass
class Chain:
    segments: list[Segment] = field(default_factory=list)


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _mask_code(text: str) -> str:
    """Blank out fenced code blocks and inline code (keeping offsets and newlines)."""
    def blank(m: re.Match) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    text = re.sub(r"(?ms)^[ \t>]*(```|~~~).*?^[ \t>]*\1[^\n]*$", blank, text)
    text = re.sub(r"(?ms)^[ \t>]*(```|~~~).*\Z", blank, text)  # unclosed fence
    text = re.sub(r"`[^`\n]+`", blank, text)
    return text


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
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c == "\\" and i + 1 < n and src[i + 1] == "$":
            i += 2
            continue
        if src.startswith("$$", i):
            end = src.find("$$", i + 2)
            while end != -1 and src[end - 1] == "\\" and not src.startswith("\\\\", end - 2):
                end = src.find("$$", end + 2)
            if end == -1:
                break
            blocks.append(MathBlock(_line_of(src, i), src[i + 2:end], _line_of(src, i + 2), "$$"))
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
            blocks.append(MathBlock(_line_of(src, i), src[i + 2:end], _line_of(src, i + 2), "\\["))
            i = end + 2
            continue
        if src.startswith("\\begin{", i):
            m = _BEGIN.match(src, i)
            if m:
                end = _find_env_end(src, i, m.group(1), m.group(2))
                if end == -1:
                    break
                blocks.append(MathBlock(_line_of(src, i), src[i:end], _line_of(src, i), m.group(1) + m.group(2)))
                i = end
                continue
        i += 1
    return blocks


def find_inline(text: str, tex: bool = False) -> list[tuple[int, str]]:
    """Inline math ``$...$`` / ``\\(...\\)`` with its line (used for definitions and domains)."""
    src = _mask_tex_comments(text) if tex else _mask_code(text)
    out: list[tuple[int, str]] = []
    for m in re.finditer(r"(?<![\\$])\$(?!\$)((?:\\.|[^$\\\n])+?)\$(?!\$)|\\\((.+?)\\\)", src):
        body = m.group(1) if m.group(1) is not None else m.group(2)
        out.append((_line_of(src, m.start()), body))
    return out


# ---------------------------------------------------------------------------------------
# rows and chains
# ---------------------------------------------------------------------------------------
def unescape_hugo(body: str) -> str:
    """Hugo/Markdown escapes: ``\\\\\\\\`` is a row break ``\\\\``, ``\\\\{`` is ``\\{``."""
    body = body.replace("\\\\\\\\", "\u0001")  # row break
    body = re.sub(r"\\\\([{}_,;!#%&$ ])", r"\\\1", body)
    return body.replace("\u0001", "\\\\")


def is_hugo(text: str) -> bool:
    """Does a Markdown file use Hugo-style doubled escapes inside math?"""
    return bool(re.search(r"\\\\\\\\|\\\\\{|\\\\\}", text))


def _strip_env_wrappers(body: str) -> str:
    """Remove alignment environments (keep their content); keep cases/matrix intact."""
    body = re.sub(r"\\(begin|end)\{(" + _ENV_RE + r")\*?\}(\{[^{}]*\})?", " ", body)
    body = re.sub(r"\\(label|tag)\*?\{[^{}]*\}|\\nonumber|\\notag", " ", body)
    return body


def _split_top(body: str, sep: str) -> list[tuple[int, str]]:
    """Split at `sep` outside braces and nested environments; return (offset, piece)."""
    out: list[tuple[int, str]] = []
    depth = env = 0
    start = i = 0
    n = len(body)
    while i < n:
        if body.startswith("\\begin{", i):
            env += 1
        elif body.startswith("\\end{", i):
            env = max(0, env - 1)
        c = body[i]
        if c == "\\" and body.startswith(sep, i) and depth == 0 and env == 0:
            out.append((start, body[start:i]))
            i += len(sep)
            start = i
            continue
        if c == "\\" and i + 1 < n:
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(0, depth - 1)
        i += 1
    out.append((start, body[start:]))
    return out


def is_prose(row: str) -> bool:
    """A line of words (any language) rather than mathematics."""
    bare = _TEXT_CMD.sub(" ", row)
    if _CJK.search(bare):
        return True
    return bool(_WORDS.search(bare))


def split_relations(row: str) -> list[tuple[str | None, str]]:
    """[(None, expr0), (rel1, expr1), ...] split at top-level relation signs."""
    parts: list[tuple[str | None, str]] = []
    depth = env = 0
    cur_rel: str | None = None
    start = i = 0
    n = len(row)
    while i < n:
        if row.startswith("\\begin{", i):
            env += 1
        elif row.startswith("\\end{", i):
            env = max(0, env - 1)
        c = row[i]
        if depth == 0 and env == 0:
            hit = None
            for tok, kind in RELATIONS:
                if row.startswith(tok, i):
                    if tok[0] == "\\" and i + len(tok) < n and row[i + len(tok)].isalpha():
                        continue  # \leftarrow, \int, \infty, \gets ...
                    if tok[0] == "\\" and i > 0 and row[i - 1] == "\\":
                        continue
                    hit = (tok, kind)
                    break
            if hit and not (hit[0] in ("<", ">") and _is_left_right(row, i)):
                parts.append((cur_rel, row[start:i]))
                cur_rel = hit[1]
                i += len(hit[0])
                start = i
                continue
        if c == "\\" and i + 1 < n:
            # skip a command name or an escaped character
            j = i + 1
            if row[j].isalpha():
                while j < n and row[j].isalpha():
                    j += 1
            else:
                j += 1
            if row[i + 1:j] in ("left",):
                depth += 1
            elif row[i + 1:j] in ("right",):
                depth = max(0, depth - 1)
            i = j
            continue
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth = max(0, depth - 1)
        i += 1
    parts.append((cur_rel, row[start:]))
    return parts


def _is_left_right(row: str, i: int) -> bool:
    return row[max(0, i - 6):i].endswith(("\\left", "\\right"))


def _drop_alignment(row: str) -> str:
    """Remove alignment '&' outside nested environments (cases keep theirs)."""
    out, env, i = [], 0, 0
    while i < len(row):
        if row.startswith("\\begin{", i):
            env += 1
        elif row.startswith("\\end{", i):
            env = max(0, env - 1)
        c = row[i]
        if c == "\\" and i + 1 < len(row):
            out.append(row[i:i + 2])
            i += 2
            continue
        out.append(" " if c == "&" and env == 0 else c)
        i += 1
    return "".join(out)


def chains_of(block: MathBlock, hugo: bool = False) -> list[Chain]:
    """The chains of a block: rows split at top-level row breaks and relation signs."""
    body = unescape_hugo(block.body) if hugo else block.body
    body = _strip_env_wrappers(body)
    chains: list[Chain] = []
    cur: Chain | None = None
    pending_first: bool = False
    for off, row in _split_top(body, "\\\\"):
        lead = len(row) - len(row.lstrip())
        line = block.body_line + body.count("\n", 0, off + lead)
        text = _drop_alignment(row).strip()
        text = re.sub(r"^\[[0-9.]+(pt|em|ex|mm)\]", "", text).strip()  # \\[2pt]
        if not text:
            continue
        if is_prose(text):
            cur = None
            # a lead-in word before the mathematics ("且 f(x) = ...") is dropped
            m = _LEAD_IN.match(text)
            if not m or not m.group(1).strip() or is_prose(m.group(1)):
                continue
            text = m.group(1).strip()
            parts = split_relations(text)
            if not parts[0][1].strip() and len(parts) > 1:
                parts = [(None, parts[1][1])] + parts[2:]
            side = Chain([Segment(parts[0][1].strip(), line, None)])
            side.segments += [Segment(e.strip(), line, r) for r, e in parts[1:]]
            chains.append(side)  # a remark: the next continuation row does not continue it
            continue
        parts = split_relations(text)
        first_rel, first = parts[0]
        if not first.strip() and len(parts) > 1:
            # continuation row: starts with a relation
            if cur is None:
                # after prose the left side is lost: the right side starts a new chain
                cur = Chain([Segment(parts[1][1].strip(), line, None)])
                chains.append(cur)
                rest = parts[2:]
            else:
                rest = parts[1:]
            for rel, expr in rest:
                cur.segments.append(Segment(expr.strip(), line, rel))
            continue
        cur = Chain([Segment(first.strip(), line, None)])
        chains.append(cur)
        for rel, expr in parts[1:]:
            cur.segments.append(Segment(expr.strip(), line, rel))
    return chains
