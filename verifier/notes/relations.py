"""Relation signs in a row of display math: split at top-level signs (outside braces, brackets and
``\\left...\\right``), the kind of each sign, alignment marks dropped; rows of prose told apart."""
from __future__ import annotations

import re
from functools import lru_cache

# relation signs, longest first; each maps to a relation kind
RELATIONS: list[tuple[str, str]] = [
    (r"\longleftarrow", "<-"), (r"\leftarrow", "<-"), (r"\gets", "<-"),  # an update, an assignment
    (r"\coloneqq", ":="), (r"\triangleq", ":="), (r"\stackrel{\text{def}}{=}", ":="), (r"\overset{\text{def}}{=}", ":="),
    (":=", ":="), (r"\geqslant", ">="), (r"\leqslant", "<="), (r"\geq", ">="), (r"\leq", "<="),
    (r"\ge", ">="), (r"\le", "<="), (r"\neq", "!="), (r"\ne", "!="), (r"\approx", "~"),
    (r"\simeq", "~"), (r"\equiv", "=="), (r"\propto", "~"), (r"\sim", "~"), (r"\in", "in"),
    (r"\to", "->"), (r"\rightarrow", "->"), (r"\Rightarrow", "=>"), (r"\iff", "=>"),
    (r"\Leftrightarrow", "=>"), (r"\implies", "=>"), (r"\impliedby", "=>"), (r"\Longrightarrow", "=>"),
    (r"\Longleftrightarrow", "=>"), (r"\Leftarrow", "=>"), (r"\longrightarrow", "->"), (r"\therefore", "=>"),
    (r"\because", "=>"), (r"\gt", ">"), (r"\lt", "<"),
    (">=", ">="), ("<=", "<="), ("=", "="), ("<", "<"), (">", ">"),
]



CHECKABLE = {"=", "<=", ">=", "<", ">"}



IMPLICATION = "=>"  # \Rightarrow, \implies, \iff, \therefore ...: the equations around it are conditions



_CJK = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")



_TEXT_CMD = re.compile(r"\\(?:text|mbox|textrm|textbf|textit|mathrm|operatorname\*?)\s*\{[^{}]*\}")



LEAD_IN = re.compile(r"^[\s,.:;!?\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+(.*)$", re.S)



_WORDS = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{3,}(?:[ ,.;:]+[A-Za-z]{2,}){2,}")



def split_top(body: str, sep: str) -> list[tuple[int, str]]:
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
    return [(rel, text) for rel, _, text in split_relations_at(row)]



OPEN_CMDS = {"left", "{", "lbrace", "langle", "lVert", "lvert"}



CLOSE_CMDS = {"right", "}", "rbrace", "rangle", "rVert", "rvert"}



def split_relations_at(row: str) -> list[tuple[str | None, int, str]]:
    """[(None, 0, expr0), (rel1, offset1, expr1), ...]: like split_relations, with the offset of
    each expression in the row (for its line number)."""
    return [(rel, off, text) for rel, _, off, text in split_signs(row)]



def split_signs(row: str) -> list[tuple[str | None, str, int, str]]:
    """[(relation kind, the sign as written, offset, expression)]."""
    return list(_split_signs(row))


@lru_cache(maxsize=4096)
def _split_signs(row: str) -> tuple[tuple[str | None, str, int, str], ...]:
    """(a row is split again by each reader of its block: chains, definitions before a matrix step)"""
    parts: list[tuple[str | None, str, int, str]] = []
    cur_tok = ""
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
                parts.append((cur_rel, cur_tok, start, row[start:i]))
                cur_rel, cur_tok = hit[1], hit[0]
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
            name = row[i + 1:j]
            if name in OPEN_CMDS:  # \left( ... \right), \{ ... \}, \langle ... \rangle
                depth += 1
            elif name in CLOSE_CMDS:
                depth = max(0, depth - 1)
            i = j
            continue
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth = max(0, depth - 1)
        i += 1
    parts.append((cur_rel, cur_tok, start, row[start:]))
    return tuple(parts)



def _is_left_right(row: str, i: int) -> bool:
    return row[max(0, i - 6):i].endswith(("\\left", "\\right"))



def drop_alignment(row: str) -> str:
    """Remove alignment '&' outside nested environments (cases keep theirs)."""
    if "&" not in row:
        return row
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

