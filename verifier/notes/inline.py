"""Inline math in the prose of a note: which inline relations may define a name, where such a
definition takes effect, and statements side by side in one inline formula."""
from __future__ import annotations

import re

from verifier.notes.definitions import DEFINING
from verifier.notes.relations import split_relations
from verifier.notes.scan import split_top_level
from verifier.notes.statements import PROSE_CUES, is_range

_WHERE = re.compile(r"(?:^|[^A-Za-z])(?:where|here|with)\b|其中|这里|此处", re.I)



def definition_line(line: int, lines: list[str], block_lines: list[tuple[int, int]]) -> int:
    """Where an inline definition takes effect: "where $m = ...$" right after a display block names
    something that block uses, so it applies from that block on; any other inline definition
    applies from its own line."""
    if not 0 < line <= len(lines):
        return line
    before = lines[line - 1].split("$", 1)[0]
    if not _WHERE.search(before):
        return line
    prior = [b for b in block_lines if b[1] < line]
    if not prior:
        return line
    start, end = prior[-1]
    # only prose between the end of the block and the "where" (no other mathematics)
    if any("$" in ln or "\\[" in ln or "\\begin" in ln or "\\end" in ln for ln in lines[end:line - 1]):
        return line
    return start



NUMBER_VALUE = re.compile(r"^[^=]+=\s*[-+]?\s*(?:\d+(?:\.\d+)?|\\frac\s*\{\s*\d+\s*\}\s*\{\s*\d+\s*\}|\d+\s*/\s*\d+)\s*$")


def _clause(line: int, body: str, lines: list[str]) -> tuple[str, str]:
    """(the clause before an inline formula, the text right after it) on its line."""
    text = lines[line - 1]
    pos = text.find(body)
    before = text[:pos] if pos >= 0 else text
    after = text[pos + len(body):] if pos >= 0 else ""
    sentence = re.split(r"[.;:!?。；：！？]\s*", before)[-1]
    clause = re.split(r"[,，、]\s*", sentence)[-1] if not re.search(r"如果|若|当|假如|倘若", sentence) else sentence
    return clause, after


def _states_case(clause: str, after: str) -> bool:
    return bool(PROSE_CUES["hypothetical"].search(clause) or re.match(r"\$?\s*(?:时|的时候|的情况)", after)
                or re.match(r"\$?\s*(?:if|when)\b", after, re.I))  # "$X = 1$ if it lands heads": by cases


def inline_may_define(line: int, body: str, lines: list[str]) -> bool:
    """An inline relation may define a name unless the prose around it states a case or a hypothesis
    ("if $y = 1$", "如果 $y=1$", "当 $y=1$ 时", "for every $k$"): a case never becomes a definition."""
    if not 0 < line <= len(lines):
        return True
    clause, after = _clause(line, body, lines)
    if PROSE_CUES["hypothetical"].search(clause):
        return False
    if NUMBER_VALUE.match(body) and not re.search(r"\blet\b|\bdefine|\bdenote|记|令|设|定义|:=", clause, re.I):
        return False  # "with $\eta = 1/2$", "取 $K=3$": a value for the moment, not a definition
    if re.match(r"\$?\s*(?:if|when)\b", after, re.I):
        return False  # "$X = 1$ if it lands heads and $0$ otherwise": a value by cases, no definition
    return not re.match(r"\$?\s*(?:时|的时候|的情况)", after)


def value_for_the_moment(line: int, body: str, lines: list[str]) -> bool:
    """"即 $m_{u,a}=8$", "with $\\eta = 1/2$": a number the prose gives a name for the example at hand
    (not a case: "if $y = 1$" is no value of y)."""
    if not NUMBER_VALUE.match(body) or not 0 < line <= len(lines):
        return False
    return not _states_case(*_clause(line, body, lines))


def case_formula(piece: str) -> bool:
    """``c_i = 2 x_i`` in a case of the prose ("given $c_i = 2 x_i$"): a name related to a formula (not a
    number: values for the moment are ``value_for_the_moment``).  It defines nothing, yet a step that
    leaves the name free may rest on it (notes.caveats ``prose_values_of`` records it)."""
    parts = split_relations(piece)
    return (len(parts) == 2 and parts[1][0] in DEFINING and bool(parts[0][1].strip()) and bool(parts[1][1].strip())
            and not NUMBER_VALUE.match(piece))


def split_commas(body: str) -> list[str]:
    """The non-empty pieces of an inline formula between its top-level commas."""
    return [x for x in split_top_level(body, ",") if x]


def inline_relations(inline: list[tuple[int, str]], lines: list[str], hugo: bool = False
                     ) -> tuple[list[tuple[int, str, str]], list[tuple[int, str]]]:
    """The inline math of the prose: the definitions it may make, (line, name, value), and the values
    it gives for the moment ("即 $m_{u,a} = 8$", notes.caveats), (line, relation)."""
    chains: list[tuple[int, str, str]] = []
    values: list[tuple[int, str]] = []
    for line, body in inline:
        body = body.replace("\\\\{", "\\{").replace("\\\\}", "\\}") if hugo else body
        if is_range(body) or not inline_may_define(line, body, lines):
            values += [(line, piece) for piece in split_commas(body) if value_for_the_moment(line, piece, lines)
                       or (not is_range(body) and case_formula(piece))]
            continue  # k = 1, \dots, m states a range; "if $y = 1$" states a case
        for piece in split_commas(body):
            parts = split_relations(piece)
            if len(parts) == 2 and parts[1][0] in DEFINING and parts[0][1].strip() and parts[1][1].strip():
                chains.append((line, parts[0][1].strip(), parts[1][1].strip()))
    return chains, values
