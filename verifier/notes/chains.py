"""Splitting a display block into chains of steps.

Inside a block, rows are split at top-level ``\\\\``; a row is split at top-level relation
signs; a row that starts with a relation continues the chain of the row above; a row of prose
(any language) ends the chain.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from verifier.notes.blocks import ENV_RE, MathBlock, unescape_hugo
from verifier.notes.relations import (
    CLOSE_CMDS,
    IMPLICATION,
    LEAD_IN,
    OPEN_CMDS,
    drop_alignment,
    is_prose,
    split_relations,
    split_signs,
    split_top,
)


@dataclass
class Segment:
    """One expression of a chain, with the relation to the previous expression."""

    latex: str
    line: int
    relation: str | None  # None for the first expression of a chain
    remark: str = ""  # a justification written after the expression (\quad\text{(by Bayes)})
    sign: str = ""  # the relation sign as written (\propto, \approx, \le ...)



@dataclass
class Chain:
    segments: list[Segment] = field(default_factory=list)
    # equations joined by implications (2x + 3 = 7 \Rightarrow x = 2) are conditions to solve,
    # not identities: a failure as an identity is not a wrong step
    conditional: bool = False
    consequent: bool = False  # written after an arrow: it defines nothing



def _strip_env_wrappers(body: str) -> str:
    """Remove alignment environments (keep their content); keep cases/matrix intact."""
    body = re.sub(r"\\(begin|end)\{(" + ENV_RE + r")\*?\}(\{[^{}]*\})?", " ", body)
    body = re.sub(r"\\(label|tag)\*?\{[^{}]*\}|\\nonumber|\\notag", " ", body)
    return body



# a justification written after an expression: \quad\text{(by Bayes)}, \qquad \text{using (3)};
# a condition (\quad\text{for } x > 0) is kept: dropping it would claim more than the note does
_SPACING = r"(?:\s|~|\\[,;:!> ]|\\q?quad\b|\\hspace\*?\{[^{}]*\})"



_TEXT_OPEN = r"\\(?:text(?:rm|it|bf|sf|normal)?|mbox)\s*\{"



_REMARK = re.compile(r"(?:" + _SPACING + r"*(?:\\q?quad\b|\\hspace\*?\{[^{}]*\})" + _SPACING + r"*\(?\s*" + _TEXT_OPEN
                     + r"|\s*(?:\(\s*" + _TEXT_OPEN + r"|" + _TEXT_OPEN + r"\s*\())")



_CONDITION_WORDS = re.compile(r"^\W*(if|for|when|whenever|where|unless|provided|given|as|with|on|in|iff|s\.t\.|such|"
                              r"otherwise|except|assuming|almost|a\.e\.|at|whereas|while)\b|^\W*[\u5f53\u82e5\u5982\u5176\u5bf9]",
                              re.I)



def _text_of(latex: str) -> str:
    """The words of a remark: \text{...} unwrapped, math kept."""
    out = re.sub(r"\\q?quad\b|\\hspace\*?\{[^{}]*\}|\\[,;:! ]|~", " ", latex)
    out = re.sub(r"\\(?:text(?:rm|it|bf|sf)?|mbox|textnormal)\s*\{([^{}]*)\}", r" \1 ", out)
    return " ".join(out.split())



def strip_remark(latex: str) -> tuple[str, str]:
    """(expression, remark): a trailing justification in \text{...} after spacing is split off.

    Conditions (``\\quad\\text{for } x > 0``, ``\\text{if } ...``) are not remarks: they stay, and the
    reader reports them as a condition it does not check."""
    depth = 0
    i, n = 0, len(latex)
    while i < n:
        c = latex[i]
        if depth == 0 and (c.isspace() or c in "~(\\"):
            m = _REMARK.match(latex, i)
            if m and i > 0 and latex[:i].strip():
                tail = latex[i:]
                words = _text_of(tail)
                if words and not _CONDITION_WORDS.match(words) and _balanced(tail):
                    return latex[:i].rstrip(), words
        if c == "\\" and i + 1 < n:
            i += 2 if not latex[i + 1].isalpha() else 1 + len(re.match(r"\\[A-Za-z]+", latex[i:]).group(0)) - 1
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(0, depth - 1)
        i += 1
    return latex, ""



def _balanced(s: str) -> bool:
    depth = 0
    for c in s.replace("\\{", "").replace("\\}", ""):
        depth += (c == "{") - (c == "}")
        if depth < 0:
            return False
    return depth == 0



_INTERTEXT = re.compile(r"\\(?:intertext|shortintertext)\s*\{")



def _intertext_to_rows(body: str) -> str:
    r"""\intertext{...} is prose between rows: it becomes a row break (the alignment goes on)."""
    out, pos = [], 0
    for m in _INTERTEXT.finditer(body):
        if m.start() < pos:
            continue
        depth, j = 1, m.end()
        while j < len(body) and depth:
            depth += (body[j] == "{") - (body[j] == "}")
            j += 1
        out.append(body[pos:m.start()] + "\\\\" + "\n" * body.count("\n", m.start(), j) + "\\\\")
        pos = j
    out.append(body[pos:])
    return "".join(out)



_STATEMENT_SEP = re.compile(r",\s*(?:\\q?quad\b|\\[;,> ]|~|\\hspace\*?\{[^{}]*\}|\\text\{\s*(?:and|or|,)?\s*\})+")



def _split_statements(row: str) -> list[tuple[int, str]]:
    """``a = b, \\quad c = d``: two statements side by side on one row (a comma then spacing).

    A part that starts with a \\text condition (``, \\quad \\text{for } x > 0``) stays with its statement."""
    pieces: list[tuple[int, str]] = []
    depth, start, i = 0, 0, 0
    while i < len(row):
        c = row[i]
        if c == "\\" and i + 1 < len(row):
            name = re.match(r"\\([A-Za-z]+|.)", row[i:]).group(1)
            depth += name in OPEN_CMDS
            depth -= name in CLOSE_CMDS and depth > 0
            i += 1 + len(name)
            continue
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth = max(0, depth - 1)
        elif c == "," and depth == 0:
            m = _STATEMENT_SEP.match(row, i)
            if m:
                rest = row[m.end():]
                if rest.strip() and not re.match(r"\s*\\(?:text|mbox)", rest) \
                        and len(split_relations(rest)) > 1 and len(split_relations(row[start:i])) > 1:
                    pieces.append((start, row[start:i]))
                    start = i = m.end()
                    continue
        i += 1
    pieces.append((start, row[start:]))
    return pieces



def _starts_continuation(text: str) -> bool:
    """A row that continues the expression above (``+ c``, ``\\cdot d``; ``- c`` without a relation)."""
    t = re.sub(r"^(?:\s|\\q?quad\b|\\[,;:! ]|\\hspace\*?\{[^{}]*\}|\\phantom\{[^{}]*\}|\{\}|\\left\s*\.)+", "", text)
    if t.startswith(("+", "\\cdot", "\\times")):
        return True
    return t.startswith("-") and len(split_relations(t)) == 1



_LABEL = re.compile(r"^\s*((?:[A-Z]|\\(?:[A-Za-z]+))(?:_\{?\s*[0-9A-Za-z]+\s*\}?)?)\s*:(?![=:])\s*(?=\S)")


def strip_label(latex: str) -> tuple[str, str]:
    """(expression, label): ``H_0: p \\le p_0`` is the statement ``p \\le p_0`` labelled H_0 (a colon
    after a name at the head of a row is a label, not a ratio); the label becomes the remark."""
    m = _LABEL.match(latex)
    if not m or m.group(1).lstrip("\\") in ("frac", "left", "text", "sum", "int", "prod"):
        return latex, ""
    return latex[m.end():], m.group(1) + ":"



def _strip_spacing(expr: str) -> str:
    """An expression without the spacing around it (``\\quad 2x`` after an arrow)."""
    return re.sub(r"^(?:\s|~|\\q?quad\b|\\[,;:! ]|\\hspace\*?\{[^{}]*\})+", "", expr).strip()



def _mask_math_comments(body: str) -> str:
    return re.sub(r"(?<!\\)%[^\n]*", lambda m: " " * len(m.group(0)), body)



def _column_pairs(row: str) -> list[tuple[int, str]]:
    """Split an align row into its equations: ``a &= b & c &= d`` (every second '&' separates
    columns; ``&& \\text{...}`` opens a comment column).  '&' signs are blanked (offsets kept)."""
    amps, env, i = [], 0, 0
    while i < len(row):
        if row.startswith("\\begin{", i):
            env += 1
        elif row.startswith("\\end{", i):
            env = max(0, env - 1)
        if row[i] == "\\" and i + 1 < len(row):
            i += 2
            continue
        if row[i] == "&" and env == 0:
            amps.append(i)
        i += 1
    blanked = drop_alignment(row)
    cuts = amps[1::2]
    out, start = [], 0
    for c in cuts:
        out.append((start, blanked[start:c]))
        start = c
    out.append((start, blanked[start:]))
    return out



_EQ_NUMBER = re.compile(r"(?:" + _SPACING + r"*(?:\\q?quad\b|\\hspace\*?\{[^{}]*\})" + _SPACING
                        + r"*)\((?:\d+(?:\.\d+)*[a-z]?|\*|\\ast|\\star|[a-z]|[ivx]+)\)[ \t.,;]*(?=\r?\n|$)")



def _cut_remarks(stmt: str) -> tuple[str, list[tuple[int, str]]]:
    """Blank out justifications after spacing (``\\quad\\text{(by Bayes)}``) up to the end of their
    line, before relations are split (a remark may hold an '=' of its own); conditions stay.
    An equation number written by hand at the end of a line (``\\qquad (3)``) is a remark too."""
    remarks: list[tuple[int, str]] = []
    for m in _EQ_NUMBER.finditer(stmt):
        if stmt[:m.start()].strip():
            remarks.append((m.start(), "(" + m.group(0).split("(", 1)[1].split(")")[0] + ")"))
            stmt = stmt[:m.start()] + " " * (m.end() - m.start()) + stmt[m.end():]
    out = stmt
    depth, i, n = 0, 0, len(stmt)
    while i < n:
        c = stmt[i]
        if depth == 0 and (c.isspace() or c in "~(\\"):
            m = _REMARK.match(stmt, i)
            if m and stmt[:i].strip():
                end = stmt.find("\n", i)
                end = n if end == -1 else end
                tail = stmt[i:end]
                words = _text_of(tail)
                if words and not _CONDITION_WORDS.match(words) and _balanced(tail):
                    remarks.append((i, words))
                    out = out[:i] + re.sub(r"[^\n]", " ", tail) + out[end:]
                    i = end
                    continue
        if c == "\\" and i + 1 < n:
            m2 = re.match(r"\\([A-Za-z]+|.)", stmt[i:])
            i += len(m2.group(0))
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(0, depth - 1)
        i += 1
    return out, remarks



_PRESENTATION = [
    (re.compile(r"\\(?:displaystyle|textstyle|scriptstyle|scriptscriptstyle)\b"), ""),
    (re.compile(r"\\color\s*\{[^{}]*\}"), ""),
    (re.compile(r"\\(?:overset|underset|stackrel)\s*\{\s*(?:\\text(?:rm)?\s*\{\s*def\s*\}|def|\\triangle|\\Delta)\s*\}\s*\{\s*=\s*\}"),
     r"\\coloneqq "),
    # a relation with its reason written over or under it: \overset{(a)}{=}, \stackrel{\text{Jensen}}{\le}
    (re.compile(r"\\(?:overset|underset|stackrel)\s*\{(?:[^{}]|\{[^{}]*\})*\}\s*\{\s*(=|\\le(?:q|qslant)?|\\ge(?:q|qslant)?|<|>|"
                r"\\approx|\\propto|\\equiv)\s*\}"), r"\1 "),
]



_WRAPPERS = re.compile(r"\\(?:boxed|underbrace|overbrace|colorbox\s*\{[^{}]*\}|fcolorbox\s*\{[^{}]*\}\s*\{[^{}]*\})\s*\{")



def _color_groups_to_parens(body: str) -> str:
    """``{\\color{red} X}`` (after \\color is dropped: ``{ X}``) becomes ``( X)``."""
    out, pos = [], 0
    for m in re.finditer(r"(?<!\\)\{(?=\s*\\color\s*\{)", body):
        if m.start() < pos:
            continue
        depth, j = 1, m.end()
        while j < len(body) and depth:
            depth += (body[j] == "{") - (body[j] == "}")
            j += 1
        if depth:
            continue
        out.append(body[pos:m.start()] + "(" + body[m.end():j - 1] + ")")
        pos = j
    out.append(body[pos:])
    return "".join(out)



def _strip_presentation(body: str) -> str:
    """Markup that does not change the mathematics: \\color, \\boxed, \\underbrace{X}_{note},
    \\displaystyle, a reason written over a relation sign."""
    body = _color_groups_to_parens(body)
    for pat, rep in _PRESENTATION:
        body = pat.sub(lambda m: rep.replace("\\1", m.group(1) if m.groups() else "").replace("\\\\", "\\")
                       + "\n" * m.group(0).count("\n"), body)
    out, pos = [], 0
    for m in _WRAPPERS.finditer(body):
        if m.start() < pos:
            continue
        depth, j = 1, m.end()
        while j < len(body) and depth:
            depth += (body[j] == "{") - (body[j] == "}")
            j += 1
        inner_end = j
        # \underbrace{X}_{...} / \overbrace{X}^{...}: drop the annotation
        a = re.match(r"\s*[_^]\s*", body[j:])
        if a and "brace" in m.group(0):
            j += a.end()
            if j < len(body) and body[j] == "{":
                d2, j = 1, j + 1
                while j < len(body) and d2:
                    d2 += (body[j] == "{") - (body[j] == "}")
                    j += 1
            else:
                j += 1
        out.append(body[pos:m.start()] + "(" + body[m.end():inner_end - 1] + ")"
                   + "\n" * body.count("\n", inner_end, j))
        pos = j
    out.append(body[pos:])
    return "".join(out)



def chains_of(block: MathBlock, hugo: bool = False) -> list[Chain]:
    """The chains of a block: rows split at top-level row breaks and relation signs.

    Each expression keeps the line it is written on.  A row that starts with a relation continues
    the chain above; a row that starts with ``+`` (or ``\\cdot``; ``-`` when it has no relation)
    continues the expression above, as does a row after one that ends with a relation (multline);
    ``\\intertext`` is a row break; a row of prose ends the chain; ``a = b, \\quad c = d`` and
    ``a &= b & c &= d`` are two chains; implications (``\\Rightarrow``, ``\\iff``) split a chain into
    conditional ones; a justification after ``\\quad`` or in an ``&&`` column
    (``\\text{(by Bayes)}``) becomes the remark of the expression before it."""
    body = unescape_hugo(block.body) if hugo else block.body
    body = _mask_math_comments(body)
    eqnarray = block.delimiter.startswith("eqnarray") or "\\begin{eqnarray" in body
    body = _strip_presentation(_intertext_to_rows(_strip_env_wrappers(body)))
    chains: list[Chain] = []
    cur: Chain | None = None

    def line_at(off: int) -> int:
        return block.body_line + body.count("\n", 0, off)

    def segment(expr: str, off: int, rel: str | None, sign: str = "") -> Segment:
        lead = len(expr) - len(expr.lstrip())
        latex, remark = strip_remark(_strip_spacing(expr))
        if rel is None:
            latex, label = strip_label(latex)
            remark = remark or label
        return Segment(latex, line_at(off + lead), rel, remark, sign)

    def add(chain: Chain, rel: str | None, expr: str, off: int, sign: str = "") -> Chain:
        seg = segment(expr, off, None if rel == IMPLICATION else rel, sign)
        if rel == IMPLICATION:  # the next equation is a consequence, not the next step
            chain.conditional = True
            new = Chain([seg], conditional=True, consequent=True)
            chains.append(new)
            return new
        chain.segments.append(seg)
        return chain

    for row_off, raw_row in split_top(body, "\\\\"):
        m = re.match(r"\s*\[[0-9.]+(pt|em|ex|mm)\]", raw_row)  # \\[2pt]
        if m:
            raw_row = " " * m.end() + raw_row[m.end():]
        if not drop_alignment(raw_row).strip():
            continue
        if _text_only(drop_alignment(raw_row)) or is_prose(drop_alignment(raw_row).strip()):
            text_row = drop_alignment(raw_row)
            stripped = text_row.strip()
            p_off = row_off + len(text_row) - len(text_row.lstrip())
            # a lead-in word before the mathematics ("且 f(x) = ...") is dropped
            lm = LEAD_IN.match(stripped)
            if _text_only(text_row) or not lm or not lm.group(1).strip() or is_prose(lm.group(1)):
                # a line of prose inside the display is a remark: the chain goes on across it
                continue
            cur = None
            rest = lm.group(1)
            p_off += lm.start(1)
            parts = split_signs(rest)
            if not parts[0][3].strip() and len(parts) > 1:
                parts = [(None, "", parts[1][2], parts[1][3])] + parts[2:]
            side = Chain([segment(parts[0][3], p_off + parts[0][2], None)])
            chains.append(side)  # a remark: the next continuation row does not continue it
            c2 = side
            for rel, tok, off, expr in parts[1:]:
                c2 = add(c2, rel, expr, p_off + off, tok)
            continue
        pairs = [(0, drop_alignment(raw_row))] if eqnarray else _column_pairs(raw_row)
        for pk, (pair_off, pair) in enumerate(pairs):
            if pk > 0 and (len(split_relations(pair)) == 1 or re.match(r"(?:" + _SPACING + r")*\(?\s*" + _TEXT_OPEN, pair)):
                # a comment column (&& \text{binomial}) or an equation number: the remark of the row
                words = _text_of(pair)
                if words and cur is not None and cur.segments and not cur.segments[-1].remark:
                    cur.segments[-1].remark = words
                continue
            if pk > 0:
                cur = None  # a second equation on the row: a chain of its own
            for k, (st_off, stmt0) in enumerate(_split_statements(pair)):
                off0 = row_off + pair_off + st_off
                if k > 0:
                    cur = None
                stmt, remarks = _cut_remarks(stmt0)
                parts = split_signs(stmt)
                _, _, _, first = parts[0]
                if cur is not None and cur.segments and not cur.segments[-1].latex and first.strip():
                    # the row above ended with a relation (multline): this row is its right side
                    last = cur.segments[-1]
                    new = segment(first, off0 + parts[0][2], last.relation, last.sign)
                    last.latex, last.line, last.remark = new.latex, new.line, new.remark
                    for rel, tok, off, expr in parts[1:]:
                        cur = add(cur, rel, expr, off0 + off, tok)
                elif cur is not None and cur.segments and first.strip() and _starts_continuation(first):
                    # a row that goes on with the expression above: "&\quad + c"
                    last = cur.segments[-1]
                    new = segment(first, off0, None)
                    head, tail = last.latex, new.latex
                    if re.search(r"\\right\s*\.\s*$", head) and re.match(r"\\left\s*\.", tail):
                        # \left[ a \right. \\ \left. + b \right]: one bracket over two rows
                        head = re.sub(r"\\right\s*\.\s*$", "", head)
                        tail = re.sub(r"^\\left\s*\.", "", tail)
                    last.latex = (head + " " + tail.strip()).strip()
                    last.remark = new.remark or last.remark
                    for rel, tok, off, expr in parts[1:]:
                        cur = add(cur, rel, expr, off0 + off, tok)
                elif not first.strip() and len(parts) > 1:
                    # continuation row: starts with a relation
                    rest = parts[1:]
                    if cur is None or (cur.segments and not cur.segments[-1].latex):
                        # after prose the left side is lost: the right side starts a new chain
                        rel1, _, off1, expr1 = parts[1]
                        cur = Chain([segment(expr1, off0 + off1, None)], conditional=rel1 == IMPLICATION,
                                    consequent=rel1 == IMPLICATION)
                        chains.append(cur)
                        rest = parts[2:]
                    for rel, tok, off, expr in rest:
                        cur = add(cur, rel, expr, off0 + off, tok)
                else:
                    cur = Chain([segment(first, off0 + parts[0][2], None)])
                    chains.append(cur)
                    for rel, tok, off, expr in parts[1:]:
                        cur = add(cur, rel, expr, off0 + off, tok)
                _attach_remarks(remarks, chains, off0, line_at)
    return chains



_TEXT_ROW = re.compile(r"\\(?:text(?:rm|it|bf|sf|normal)?|mbox|intertext|shortintertext)\s*\{[^{}]*\}")


def _text_only(row: str) -> bool:
    """A row that is only words (``\\text{and expanding the square}``, with spacing around)."""
    if not _TEXT_ROW.search(row):
        return False
    rest = _TEXT_ROW.sub(" ", row)
    rest = re.sub(r"\\q?quad\b|\\[,;:! ]|~|\\hspace\*?\{[^{}]*\}", " ", rest)
    return not rest.strip(" \t\n\r.,:;")


def _attach_remarks(remarks: list[tuple[int, str]], chains: list[Chain], off0: int, line_at) -> None:
    """A remark cut from a row belongs to the last expression written before it (by line)."""
    for r_off, words in remarks:
        line = line_at(off0 + r_off)
        best = None
        for c in chains:
            for seg in c.segments:
                if seg.line <= line and (best is None or seg.line >= best.line):
                    best = seg
        if best is not None and not best.remark:
            best.remark = words

