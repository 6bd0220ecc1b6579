"""A slash before a product written without an operator (notes.slashes) is refused, never read as the grammar's
n/(2 log n); a slash before one factor is read as before.  A right step written with such a slash is never
refuted, a wrong one with brackets still is."""
from __future__ import annotations

import pytest

from verifier.model.results import CHECKED, PROVED, REFUTED
from verifier.notes.check import check_text
from verifier.notes.reader import Reader
from verifier.notes.scan import ReadError


@pytest.mark.parametrize("tex", [r"n/2 \log n", r"1/2x", r"1/2 x", r"x/2y", r"a/bc", r"\pi/2n", r"3/4 \pi",
                                 r"x/2(a+b)", r"p(x)/q(x) y"])
def test_a_slash_before_a_product_without_an_operator_is_refused(tex):
    with pytest.raises(ReadError, match="slash before a product"):
        Reader().read(tex)


@pytest.mark.parametrize("tex, same", [
    (r"x/2", r"\frac{x}{2}"), (r"x/2^n", r"\frac{x}{2^n}"), (r"\sigma^2/n", r"\frac{\sigma^2}{n}"),
    (r"1/(2x)", r"\frac{1}{2x}"), (r"1/{2x}", r"\frac{1}{2x}"), (r"1/2 \cdot x", r"\frac{x}{2}"),
    (r"p(x)/q(x)", r"\frac{p(x)}{q(x)}"), (r"x/\log n", r"\frac{x}{\log n}"), (r"(x/2)(y/3)", r"\frac{xy}{6}"),
    (r"x_i/n + 1", r"\frac{x_i}{n} + 1"), (r"x^{n/2}", r"x^{\frac{n}{2}}"),
])
def test_a_slash_before_one_factor_reads_as_the_fraction(tex, same):
    r = Reader()
    assert r.read(tex).expr == r.read(same).expr


def test_a_derivative_written_with_a_slash_is_refused():
    with pytest.raises(ReadError, match="derivative written dy/dx"):
        Reader().read("dy/dx")
    with pytest.raises(ReadError, match="derivative written d/dz"):
        Reader().read(r"d/dz \tanh z")


def _steps(display: str) -> list:
    text = f"# Sorting\n\nMerge sort does about this many comparisons.\n\n$$\n{display}\n$$\n"
    return [s for s in check_text(text, "note.md", budget=10.0).all_steps if s.status != "noted"]


def test_a_right_step_with_such_a_slash_is_never_refuted_and_its_bracketed_rewrite_is_proved():
    (step,) = _steps(r"\frac{n}{2} \log n = n/2 \log n")
    assert step.status not in (REFUTED, PROVED, CHECKED) and "slash" in step.message
    (step,) = _steps(r"\frac{n}{2} \log n = (n/2) \log n")
    assert step.status == PROVED
    (step,) = _steps(r"\frac{n}{2} \log n = n/(2 \log n)")
    assert step.status == REFUTED
