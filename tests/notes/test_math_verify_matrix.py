"""The matrix cases of the public Math-Verify test suite (tests/fixtures/math_verify_matrix.json,
copied with their expected answers): gold = pred is decided, equivalent -> proved or checked, not
equivalent -> refuted, never the other way round."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.model.results import CHECKED, PROVED, REFUTED
from verifier.notes.answers import decide_answer
from verifier.notes.linalg_reader import read_matrix_expression

CASES = json.loads((Path(__file__).parent.parent / "fixtures" / "math_verify_matrix.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[f"{k}-{c['expected']}" for k, c in enumerate(CASES)])
def test_math_verify_matrix_case(case):
    v = decide_answer(case["gold"], case["pred"], case.get("precision"))
    if case["expected"]:
        assert v.status in (PROVED, CHECKED), (v.status, v.message)
        if v.status == CHECKED:  # only where the stated precision is what makes them equal
            assert case.get("precision", 6) < 6
    else:
        assert v.status == REFUTED, (v.status, v.message)


def test_a_changed_entry_is_refuted_and_a_rewritten_one_is_not():
    gold = r"$\begin{pmatrix}1 & 2 \\ 3 & 4\end{pmatrix}$"
    assert decide_answer(gold, r"$\begin{bmatrix}1 & 2 \\ 3 & 5\end{bmatrix}$").status == REFUTED
    assert decide_answer(gold, r"$\begin{pmatrix}\frac{2}{2} & 2 \\ 3 & 2^2\end{pmatrix}$").status == PROVED


def test_products_sums_and_scalar_multiples_of_literals():
    A = r"\begin{pmatrix}1 & 2 \\ 3 & 4\end{pmatrix}"
    B = r"\begin{pmatrix}0 & 1 \\ 1 & 0\end{pmatrix}"
    assert list(read_matrix_expression(f"{A} {B}").expr) == [2, 1, 4, 3]  # order kept: A B, not B A
    assert list(read_matrix_expression(f"{B} {A}").expr) == [3, 4, 1, 2]
    assert list(read_matrix_expression(f"2 {A} - {B}").expr) == [2, 3, 5, 8]
    assert read_matrix_expression(r"\begin{vmatrix}1 & 2 \\ 3 & 4\end{vmatrix}").expr == -2
    assert decide_answer(f"${A} {B}$", f"${B} {A}$").status == REFUTED  # AB != BA
