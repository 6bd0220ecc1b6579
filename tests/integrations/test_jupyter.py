"""Jupyter shows a derivation's result and a check report as HTML tables with statuses."""
from __future__ import annotations

from verifier.model.results import DerivationResult, StepResult
from verifier.notes.check import check_text
from verifier.notes.report import CheckReport


def test_derivation_result_html_lists_steps_with_statuses_and_counterexample():
    r = DerivationResult("freshman", "(a+b)^2 <wrong>", "a post § a section", [
        StepResult(0, "=", "(a + b)^{2}", "(a + b) (a + b)", "proved", "zero", why="square"),
        StepResult(1, "=", "(a + b)^{2}", "a^{2} + b^{2}", "refuted", "numeric", "fails at a point",
                   {"a": "1", "b": "1"}, why="freshman's dream", chain="chain 1")])
    html = r._repr_html_()
    assert "freshman: (a+b)^2 &lt;wrong&gt;" in html  # escaped
    assert html.count("<tr>") == 3 and "✓ proved" in html and "✗ refuted" in html
    assert r"\((a + b)^{2} = a^{2} + b^{2}\)" in html
    assert "counterexample: a = 1, b = 1" in html and "fails at a point" in html
    assert "1 <span" in html  # the counts at the top


def test_check_report_html_shows_each_file_and_the_refuted_step():
    note = "Expanding:\n\n$$\n(a+b)^2 = a^2 + 2ab + b^2 = a^2 + b^2\n$$\n"
    report = CheckReport([check_text(note, "note.md")])
    html = report._repr_html_()
    assert "note.md" in html and "✓ proved" in html and "✗ refuted" in html
    assert "a^2 + b^2" in html
    assert CheckReport([])._repr_html_() == "<p>no files checked</p>"
