"""The Markdown export's justification column is as wide as the formulas leave of a blog's
column: KaTeX does not wrap inside a display, so a long row runs off the page (seen in a Hugo
page in chromium: the justifications of the Gaussian chain were cut at the right edge)."""
from __future__ import annotations

import re

from verifier.model.catalog import load_catalog, select
from verifier.model.chain_latex import Row
from verifier.model.latex import visible_text
from verifier.output.export import MD_LINE_WIDTH, MD_WHY_MIN, MD_WHY_WIDTH, md_derivation, md_why_width


def _rows(lhs: str, rhs: str) -> list[Row]:
    return [Row(lhs, "=", rhs, r"\text{why}", None, 0)]


def test_narrow_formulas_keep_the_full_column():
    assert md_why_width(_rows("a", "b")) == MD_WHY_WIDTH


def test_wide_formulas_narrow_the_justifications_down_to_a_minimum():
    term = r"\sum_{i=1}^{n} \left(-\frac{1}{2}\log(2\pi\sigma^2) - \frac{(y_i - f_i)^2}{2\sigma^2}\right)"
    wide = term + " + " + term[:40]
    w = md_why_width(_rows(r"\log L", wide))
    assert MD_WHY_MIN <= w < MD_WHY_WIDTH
    assert w == MD_LINE_WIDTH - len(visible_text(r"\log L")) - len(visible_text("=" + wide))
    assert md_why_width(_rows(wide, wide + wide)) == MD_WHY_MIN


def test_a_wide_chain_wraps_its_justification_within_the_line():
    d = select(load_catalog(), ["gaussian-mle-mse@000"])[0]
    md = md_derivation(d)
    block = next(b for b in md.split("$$") if "drop the constant" in b)
    rows = block.split("\\\\\n")
    first = next(k for k, r in enumerate(rows) if "drop the constant" in r)
    assert "multiply by" not in rows[first] and "multiply by" in rows[first + 1]  # wrapped onto a second row
    for row in rows:
        formula, _, why = row.partition("&&")
        assert len(visible_text(formula)) + len("".join(re.findall(r"\\text\{([^{}]*)\}", why))) <= MD_LINE_WIDTH + 12


def test_a_wrapped_line_never_starts_with_the_punctuation_after_a_formula():
    from verifier.model.chain_latex import why_latex, wrap_why

    lines = wrap_why(why_latex(r"drop the constant $-\frac{n}{2}\log(2\pi\sigma^2)$, multiply by $-2\sigma^2 < 0$"), 29)
    assert len(lines) == 2 and lines[0].endswith(r"\text{,}") and lines[1].startswith(r"\text{multiply")


def test_a_long_formula_in_a_justification_breaks_before_a_relation_sign_only_outside_brackets():
    from verifier.model.chain_latex import why_latex, wrap_why

    lines = wrap_why(why_latex(r"residuals: $\sum_i (X w - y)_i^2 = (X w - y)^\top (X w - y)$"), 21)
    assert any(line.startswith("= (X w - y)") for line in lines)
    inside = wrap_why(why_latex(r"so $\log\left(a + b + c + d = e + f + g + h\right) + x + y$ holds"), 10)
    assert all(line.count(r"\left") == line.count(r"\right") for line in inside)  # never split a \left...\right


def test_an_arrow_is_no_left_right_pair_when_a_justification_wraps():
    from verifier.model.chain_latex import wrap_why

    # \leftarrow is no \left: the formula may still break before its = (it stuck at depth 1 before)
    why = r"\text{the update } w \leftarrow w - \eta g = w - \eta \nabla L \text{ written out}"
    lines = wrap_why(why, width=18)
    assert any(line.startswith("=") for line in lines), lines
    paired = wrap_why(r"\text{so } \left( a + b = c \right) = d + e + f + g + h \text{ here}", width=10)
    assert all(line.count("\\left(") == line.count("\\right)") for line in paired), paired
