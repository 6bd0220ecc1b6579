"""Kinds of statements the prose and the form select (notes.statement_rules, notes.statements): each is
noted with its kind and never refuted; the claims next to them are still decided."""
from __future__ import annotations

from verifier.model.results import NOTED, PROVED, REFUTED
from verifier.notes.check import check_text


def _kinds(text: str) -> list[tuple[int, str, str]]:
    rep = check_text(text, "n.md", budget=10.0)
    return [(s.line, s.status, s.kind) for s in rep.all_steps]


def test_a_law_stated_with_sim_is_notation_and_an_approximation_is_not():
    kinds = _kinds("# L\n\n$$\nX_i \\sim \\operatorname{Poisson}(\\lambda)\n$$\n\n$$\nw \\sim \\mathcal{N}(0, 1)\n$$\n\n"
                   "$$\nn! \\sim \\sqrt{2 \\pi n} n^n e^{-n}\n$$\n")
    assert kinds == [(4, NOTED, "notation"), (8, NOTED, "notation"), (12, NOTED, "approximation")]


def test_the_model_has_cues_a_model_equation():
    kinds = _kinds("# M\n\nThe model has a single weight $w$:\n\n$$\n\\hat{y}_i = w x_i\n$$\n")
    assert kinds == [(6, NOTED, "model")]


def test_a_denoted_new_value_is_a_definition_and_an_uncued_one_an_update():
    cued = "# B\n\nFor brevity, denote\n\n$$\na' = a + k\n$$\n\n$$\na' - k = a\n$$\n"
    assert _kinds(cued) == [(6, NOTED, "definition"), (10, PROVED, "claim")]
    wrong = cued.replace("a' - k = a", "a' - k = a + 1")
    assert _kinds(wrong)[-1] == (10, REFUTED, "claim")
    assert _kinds("# B\n\nThen\n\n$$\na' = a + k\n$$\n") == [(6, NOTED, "model")]


def test_a_range_or_a_data_set_given_a_name_is_notation():
    kinds = _kinds("# R\n\n$$\n\\mathcal{D} = \\{(x_i, y_i)\\}_{i=1}^{n}\n$$\n\nand\n\n$$\ni = 1, \\dots, n\n$$\n")
    assert [k for _, _, k in kinds] == ["notation", "notation"]
    assert all(st == NOTED for _, st, _ in kinds)


def test_the_name_solved_for_after_a_zero_row_is_the_equation_s_solution_and_is_used():
    text = ("# S\n\nLet $s > 0$ and $n \\ge 1$. Setting the score to zero and solving:\n\n$$\n\\begin{aligned}\n"
            "\\frac{s}{\\lambda} - n &= 0 \\\\\n\\hat{\\lambda} &= \\frac{s}{n}\n\\end{aligned}\n$$\n\n"
            "The estimate then satisfies\n\n$$\nn \\hat{\\lambda} = s\n$$\n\n$$\nn \\hat{\\lambda} = 2 s\n$$\n")
    kinds = _kinds(text)
    assert kinds == [(7, NOTED, "equation"), (8, NOTED, "equation"), (15, PROVED, "claim"), (19, REFUTED, "claim")]
