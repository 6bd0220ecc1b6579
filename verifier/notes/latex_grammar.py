"""The LaTeX grammar of latex2sympy2_extended, entered where a single expression starts.

latex2sympy2_extended parses every input from its rule ``math``, whose first two decisions
(a relation, a set, a list of elements or a ± pair?) look ahead to the end of the input, with
the full parser context; ANTLR caches neither for long inputs, so they are most of the cost of
reading a note.  The reader only ever wants one expression, and an input that contains none of
the set syntax can only be read by ``math`` one way: as a single element that is a
``relation``.  Such an input is parsed from ``relation`` directly, the same tree; anything else
goes through ``math`` as before.

The set syntax is taken from the grammar itself: the tokens that the rules ``math`` reaches and
``relation`` does not (sets, intervals, tuples, ±, ``\\in`` ...) match, plus the separators and
relations those rules share with expressions (``,``, ``;``, ``\\in``, ``:=``).  An input wholly
enclosed by a brace that may open a set (``{a}``, ``\\{a\\}``) also goes through ``math``: there it is
a one-element set.  One wholly enclosed by ``(`` or ``[`` with no separator inside is there a
one-element tuple, which the library converts to its element: it enters where its inside enters.

Each parse first runs in ANTLR's SLL mode, which (ANTLR's PredictionMode documentation) returns
the same tree as the default LL mode or reports a syntax error; on an error it is run again in
LL mode, so the tree is always LL's.

One decision is made in LL mode even then: the scripts after a letter (rule ``atom_expr``: ``x_i``,
``x^2``, ``x_i^2`` or none).  SLL predicts without the parser's context, so it sees that a ``^`` may
follow ``x_i`` somewhere (``exp: exp ^ atom subexpr?``) and resolves the conflict by the lowest
alternative: ``x_i`` alone is read as "subscript, then superscript" and fails at the next token.
That made nearly every expression with a subscript (``y_i``, ``\\sigma^2``) fail in SLL and be read
twice.  Predicting that one decision with the full context, as LL mode does at every decision, is
what LL would choose there; the other decisions stay SLL's, and a parse that still errs is run again
in LL mode as before.  On the 2,244 distinct expressions of the fixtures, the seeds and the corpus the
trees are identical to the plain two-stage parse; the seeds' expressions read in 1.07 s against 1.71 s.
"""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import sympy as sp


def latex_to_sympy(text: str, normalization, conversion) -> sp.Basic:
    """latex2sympy2_extended's ``latex2sympy(text, ...)``: the same result, or the same error."""
    from latex2sympy2_extended.latex2sympy2 import _Latex2Sympy, latex2sympy
    from latex2sympy2_extended.math_normalization import normalize_latex

    converter = _Latex2Sympy(None, None, False, config=conversion)
    normal = normalize_latex(text, normalization) if normalization is not None else text
    if entry(normal) == "relation":
        for mode in _modes():
            try:
                return _from_relation(normal, converter, mode)
            except _NotThisWay:
                continue
    return latex2sympy(text, normalization_config=normalization, conversion_config=conversion)


class _NotThisWay(Exception):
    """The input is not one relation of the grammar (in this prediction mode)."""


def _from_relation(text: str, converter, mode) -> sp.Basic:
    from antlr4 import Token

    parser = converter.create_parser(text)
    if mode == _modes()[0]:
        parser._interp = _scripts_in_full_context(parser)
    parser._interp.predictionMode = mode
    try:
        tree = parser.relation(0)
        if parser._input.LA(1) != Token.EOF:
            raise _NotThisWay
    except RecursionError:
        raise
    except Exception:  # noqa: BLE001 - the grammar's listener raises bare Exceptions
        raise _NotThisWay from None
    return converter.convert_relation(tree)


def entry(text: str) -> str:
    """The rule a normalised input is parsed from: "relation" when it has no token of the set
    syntax, none of the separators and relations that syntax shares with expressions outside
    every bracket, and is not wholly enclosed by a bracket that may open a set (see
    :func:`_entry_of`); else "math"."""
    from antlr4 import CommonTokenStream, InputStream, Token

    from latex2sympy2_extended.latex2sympy2 import PSLexer

    lexer = PSLexer(InputStream(text))
    lexer.removeErrorListeners()
    stream = CommonTokenStream(lexer)
    try:
        stream.fill()
    except Exception:  # noqa: BLE001 - a lexing error: let the library report it
        return "math"
    kinds = [t.type for t in stream.tokens if t.type != Token.EOF and t.channel == Token.DEFAULT_CHANNEL]
    syntax = _set_syntax()
    if not kinds or syntax.only.intersection(kinds):
        return "math"
    return _entry_of(kinds, syntax)


def _entry_of(kinds: list[int], syntax: "_SetSyntax") -> str:
    """The entry for a list of tokens with no token of the set syntax alone.

    An input wholly enclosed by a bracket that opens a finite set (``{a}``, ``\\{a\\}``) is
    one in `math` (a one-element set).  One wholly enclosed by a bracket that opens only a tuple
    or an interval (``(a)``, ``[a]``) and with no separator inside that bracket is, in `math`,
    the one-element tuple, which latex2sympy2_extended converts to its element: its inside,
    read the way `math` reads it.  So it enters where its inside enters (``[\\{a\\}]`` is the
    set {a}, ``[a + b]`` is a + b as ``relation`` reads the group)."""
    if not kinds or kinds[0] in syntax.opens_atom and kinds[0] not in syntax.opens:
        return "math"  # \boxed{...} (a set when it holds a list), a named set
    depth, closed_at = 0, None
    for k, kind in enumerate(kinds):
        depth += (kind in syntax.opens) - (kind in syntax.closes)
        if depth <= 0 and kind in syntax.shared:
            return "math"
        if depth <= 0 and closed_at is None:
            closed_at = k
    enclosed = closed_at == len(kinds) - 1 and kinds[0] in syntax.opens_atom and kinds[-1] in syntax.closes_atom
    if not enclosed:
        return "relation"
    if kinds[0] in syntax.opens_set:
        return "math"
    return _entry_of(kinds[1:-1], syntax)  # (a, b), [a; b], (x = 1): a separator inside sends it to math


class _SetSyntax(NamedTuple):
    only: frozenset  # tokens that only the set syntax matches
    shared: frozenset  # separators and relations it shares with expressions: `,` `;` `\in` `=`
    opens_atom: frozenset  # tokens that may open a set atom
    opens_set: frozenset  # tokens that may open a finite set (a one-element set stays a set)
    closes_atom: frozenset  # tokens that may close one
    opens: frozenset  # every left bracket of the lexer
    closes: frozenset  # every right bracket


@lru_cache(maxsize=1)
def _set_syntax() -> _SetSyntax:
    """The set syntax, read from the grammar's ATN: the rules ``math`` reaches and ``relation``
    does not, and the tokens they match."""
    from antlr4 import Token
    from antlr4.atn.Transition import RuleTransition

    from latex2sympy2_extended.latex2sympy2 import PSParser

    atn, names = PSParser.atn, PSParser.ruleNames
    direct: dict[int, tuple[set, set]] = {}
    for state in atn.states:
        if state is None:
            continue
        tokens, calls = direct.setdefault(state.ruleIndex, (set(), set()))
        for edge in state.transitions:
            if isinstance(edge, RuleTransition):
                calls.add(edge.target.ruleIndex)
            elif edge.label is not None:
                for span in edge.label.intervals:
                    tokens.update(range(span.start, span.stop))

    def reach(rule: str) -> set[int]:
        seen, todo = set(), [names.index(rule)]
        while todo:
            r = todo.pop()
            if r not in seen:
                seen.add(r)
                todo += direct.get(r, (set(), set()))[1]
        return seen

    def matched(rules: set[int]) -> set[int]:
        return set().union(*(direct[r][0] for r in rules if r in direct)) - {Token.EOF}

    expression = reach("relation")
    vocabulary, set_tokens = matched(expression), matched(reach("math") - expression)
    shared = frozenset(set_tokens & {PSParser.COMMA, PSParser.SEMICOLON, PSParser.IN, PSParser.ASSIGNMENT})
    opens_atom = set(atn.nextTokens(atn.ruleToStartState[names.index("set_atom")])) - {Token.EPSILON}
    opens_set = set(atn.nextTokens(atn.ruleToStartState[names.index("finite_set")])) - {Token.EPSILON}
    brackets = {i: n for i, n in enumerate(PSParser.symbolicNames) if n.startswith(("L_", "R_"))}
    opens = frozenset(i for i, n in brackets.items() if n.startswith("L_"))
    closes = frozenset(i for i, n in brackets.items() if n.startswith("R_"))
    return _SetSyntax(frozenset(set_tokens - vocabulary), shared, frozenset(opens_atom), frozenset(opens_set),
                      frozenset(set_tokens & closes), opens, closes)


@lru_cache(maxsize=1)
def _modes() -> tuple:
    from antlr4.atn.PredictionMode import PredictionMode

    return (PredictionMode.SLL, PredictionMode.LL)


def _scripts_in_full_context(parser):
    """The parser's prediction, with the decisions of rule ``atom_expr`` made in LL mode when the
    parse runs in SLL mode (see the module's notes); the DFA cache stays the one the grammar shares."""
    simulator = parser._interp
    return _hybrid_class()(parser, simulator.atn, simulator.decisionToDFA, simulator.sharedContextCache)


@lru_cache(maxsize=1)
def _hybrid_class():
    from antlr4.atn.ParserATNSimulator import ParserATNSimulator
    from antlr4.atn.PredictionMode import PredictionMode

    from latex2sympy2_extended.latex2sympy2 import PSParser

    rule = getattr(PSParser, "RULE_atom_expr", None)  # (another grammar version: plain SLL)
    full = frozenset(d for d, state in enumerate(PSParser.atn.decisionToState) if state.ruleIndex == rule)

    class ScriptsInFullContext(ParserATNSimulator):
        def adaptivePredict(self, input, decision, outerContext):
            if decision not in full or self.predictionMode != PredictionMode.SLL:
                return super().adaptivePredict(input, decision, outerContext)
            self.predictionMode = PredictionMode.LL
            try:
                return super().adaptivePredict(input, decision, outerContext)
            finally:
                self.predictionMode = PredictionMode.SLL

    return ScriptsInFullContext
