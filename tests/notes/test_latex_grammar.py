"""The reader enters latex2sympy2_extended's grammar at `relation` when an input has no set syntax
(notes.latex_grammar).  That is a speed-up only: for every input the result, or the error, must be
exactly the library's own `latex2sympy` (which starts at `math`).  Compared on hand-picked inputs
that sit on the border (sets, tuples, intervals, ±, lists, a relation, an enclosed group) and on
expressions the reader met in the fixture notes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import sympy as sp
from latex2sympy2_extended.latex2sympy2 import ConversionConfig, latex2sympy
from latex2sympy2_extended.math_normalization import NormalizationConfig

from verifier.notes.latex_grammar import entry, latex_to_sympy
from verifier.notes.structures import ReadError, grammar

CONVERSION = ConversionConfig(lowercase_symbols=False, interpret_contains_as_eq=False,
                              interpret_as_mixed_fractions=False)
NORMAL = NormalizationConfig(basic_latex=True, units=False, malformed_operators=False, nits=False,
                             boxed="none", equations=False)
MET = json.loads((Path(__file__).parent.parent / "fixtures" / "grammar" / "expressions.json").read_text())

# inputs on the border between one expression and the set syntax of `math`
BORDER = [
    r"(a+b)", r"{a+b}", r"{x}", r"[a+b]", r"\{a\}", r"\{1, 2\}", r"\left(a+b\right)", r"\left[a\right]",
    r"\lbrace a \rbrace", r"\boxed{x}", r"(a)(b)", r"(0, 1)", r"[0, 1)", r"(0, 1] \cup [2, 3)",
    r"x \in (0, 1)", r"x \in \mathbb{R}", r"\mathbb{R}", r"\emptyset", r"A \cup B", r"A \setminus B",
    r"\pm x", r"a \pm b", r"1 \pm \sqrt{2}", r"a, b", r"a; b", r"1,000", r"0,5", r"x = 1", r"x := 3",
    r"x = \{1, 2\}", r"a = b = c", r"a < b", r"f(a, b)", r"\max(a, b) + 1", r"\sum_{i=1}^{n} x_i",
    r"\sum_{i = 1, i \ne j}^{n} x_i", r"\prod_{k \in S} a_k", r"\frac{(a, b)}{2}", r"(a, b) + 1",
    r"\binom{n}{k} p^k (1-p)^{n-k}", r"\int_0^1 x^2 \, dx", r"\lim_{n \to \infty} (1 + 1/n)^n",
    r"\left| x - y \right|", r"\langle a, b \rangle", r"\lfloor x \rfloor + \lceil y \rceil",
    r"\frac{\partial}{\partial w} (y - w x)^2", r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}",
    r"x^{(i)}", r"\mathbf{w}^\top \mathbf{x}", r"\sigma(z)(1 - \sigma(z))", r"a \cdot b \times c",
    r"\{", r"(a + b", r"a +", r"", r"\frac{1}{", r"x \notin A",
    # wholly enclosed: a one-element tuple is its element, a one-element set stays a set
    r"(\{a\})", r"[\{a\}]", r"((a, b))", r"([a])", r"(x = 1)", r"[x < 1]", r"(\pm x)", r"[a][b]", r"(a)+(b)",
    r"\left[-\sum_{i=1}^{n} \ln \left[ y_i \right]\right]", r"\left[ a \right] + b", r"({a})", r"([a, b])",
    r"(\mathbb{R})", r"[x \in A]", r"(\boxed{a, b})", r"((a))", r"[(a)(b)]", r"[\emptyset]", r"(a; b)",
    r"\left( \frac{1}{2} \sum_i x_i \right)", r"[{x}]", r"[\lbrace x \rbrace]", r"(x)!", r"[x]^2", r"(a, b)(c)",
]


def outcome(parse, text: str) -> str:
    try:
        return sp.srepr(parse(text))
    except RecursionError:
        return "RecursionError"
    except Exception as exc:  # noqa: BLE001 - the grammar raises bare Exceptions
        return "error: " + (str(exc).splitlines() or [""])[0]


def library(text: str):
    return latex2sympy(text, normalization_config=NORMAL, conversion_config=CONVERSION)


def ours(text: str):
    return latex_to_sympy(text, NORMAL, CONVERSION)


@pytest.mark.parametrize("text", BORDER)
def test_the_border_reads_as_the_library_reads_it(text):
    assert outcome(ours, text) == outcome(library, text)


def test_the_expressions_met_in_the_fixture_notes_read_as_the_library_reads_them():
    assert len(MET) > 200
    differ = [t for t in MET if outcome(ours, t) != outcome(library, t)]
    assert differ == []


@pytest.mark.parametrize("text", [r"\frac{1}{n} \sum_{i=1}^{n} (y_i - w x_i)^2", r"\sigma(z)(1 - \sigma(z))",
                                  r"-\sum_{k} p_k \log q_k", r"e^{-x^2/2}", r"(y - \hat y)^2 + \lambda w^2",
                                  r"\max(a, b)", r"\sum_{i=1}^{n} x_i"])
def test_a_plain_expression_enters_at_relation(text):
    assert entry(text) == "relation"


@pytest.mark.parametrize("text", [r"x \in (0, 1)", r"a, b", r"\{a\}", r"{a + b}", r"a \pm b", r"(\{a\})",
                                  r"\mathbb{R}", r"x = 1", r"A \cup B", r"a; b", r"(a, b)", r"((a, b))", r"(x = 1)",
                                  r"[{a}]", r"\boxed{x}"])
def test_set_syntax_goes_through_math(text):
    assert entry(text) == "math"


@pytest.mark.parametrize("text", [r"(a + b)", r"[a + b]", r"\left[ -\sum_{i=1}^{n} \ln y_i \right]", r"((a))",
                                  r"(a)(b)", r"[a] + b", r"\left( \frac{1}{2} \sum_i x_i \right)"])
def test_a_group_that_is_a_one_element_tuple_enters_at_relation(text):
    # `math` reads it as the tuple of one element, which the library converts to that element
    assert entry(text) == "relation"


def test_the_reader_keeps_its_errors():
    # what the library rejects, or reads as something other than one expression, stays a ReadError
    for text in (r"\{1, 2\}", r"(0, 1]", r"a +", r"x = 1"):
        with pytest.raises(ReadError):
            grammar(text)
    assert grammar(r"(a + b)^2") == sp.Pow(sp.Symbol("a") + sp.Symbol("b"), 2)


# -- the scripts after a letter are predicted with the full context inside an SLL parse -------------

def _tree(text: str, mode_name: str, hybrid: bool) -> str:
    from antlr4 import Token
    from antlr4.atn.PredictionMode import PredictionMode
    from latex2sympy2_extended.latex2sympy2 import _Latex2Sympy

    from verifier.notes import latex_grammar

    parser = _Latex2Sympy(None, None, False, config=CONVERSION).create_parser(text)
    if hybrid:
        parser._interp = latex_grammar._scripts_in_full_context(parser)
    parser._interp.predictionMode = getattr(PredictionMode, mode_name)
    tree = parser.relation(0)  # the grammar's listener raises on a syntax error
    if parser._input.LA(1) != Token.EOF:
        raise ValueError("input left over")
    return tree.toStringTree(recog=parser)


SCRIPTED = [r"y_i", r"x_i y_i", r"\sigma^2", r"x_i^2", r"x^2_i", r"(y_i - f)^2", r"a + x_i^2",
            r"\sum_{i=1}^n x_i", r"\int_a^b f(x) \, dx", r"\int^b_a x \, dx", r"y^{x_i}", r"x_{i_j}^{2}",
            r"\prod_{i=1}^{n} y_i^{x_i}(1-y_i)^{1-x_i}", r"\hat y_i", r"w_1 x_1 + w_2 x_2", r"e^{x_i}",
            r"\log_2 x_i", r"2^{x}_{i}", r"\frac{1}{2}(y_i - \hat y_i)^2", r"a_{ij} b^{jk}"]


@pytest.mark.parametrize("text", SCRIPTED + [t for t in MET if entry(t) == "relation"][:120])
def test_an_sll_parse_with_full_context_scripts_gives_the_ll_tree(text):
    try:
        ll = _tree(text, "LL", hybrid=False)
    except Exception:  # noqa: BLE001 - LL rejects it: the reader reads it through LL again anyway
        return
    try:
        ours = _tree(text, "SLL", hybrid=True)
    except Exception:  # noqa: BLE001 - an error is allowed (LL is tried next), a different tree is not
        return
    assert ours == ll


@pytest.mark.parametrize("text", [r"y_i - f", r"\sigma^2", r"x_i^2 + 1", r"\sum_{i=1}^{n} (y_i - w x_i)^2"])
def test_a_subscripted_letter_is_read_in_one_pass(text):
    # plain SLL resolves the scripts' conflict by the lowest alternative and fails here, so the
    # expression would be read twice; with the full-context decision it is read once, as LL reads it
    with pytest.raises(Exception):
        _tree(text, "SLL", hybrid=False)
    assert _tree(text, "SLL", hybrid=True) == _tree(text, "LL", hybrid=False)


def test_every_parse_that_errs_is_read_again_in_ll_mode(monkeypatch):
    from verifier.notes import latex_grammar

    seen = []
    real = latex_grammar._from_relation

    def spy(text, converter, mode):
        seen.append(mode)
        return real(text, converter, mode)

    monkeypatch.setattr(latex_grammar, "_from_relation", spy)
    assert ours(r"y_i + x_i^2") == library(r"y_i + x_i^2")
    assert len(seen) == 1  # read once
    seen.clear()
    assert outcome(ours, r"|w|^{a} + (") == outcome(library, r"|w|^{a} + (")
    assert len(seen) == 2  # SLL erred, LL decided (and erred too)
