"""--assume spellings people type on a command line reach the right symbols."""
from __future__ import annotations

from verifier.cli import main
from verifier.notes.check import check_text

NOTE = "$$\n\\sqrt{\\theta^2} = \\theta\n$$\n"


def _status(report):
    return [s.status for b in report.blocks for s in b.steps]


def test_without_the_assumption_sqrt_of_square_is_refuted():
    assert _status(check_text(NOTE, "n.md")) == ["refuted"]


def test_bare_greek_name_on_the_command_line():
    for spelling in ("theta>0", "\\theta>0", "0<theta"):
        assert _status(check_text(NOTE, "n.md", assumptions=[spelling])) == ["proved"], spelling


def test_hat_spelling_on_the_command_line():
    note = "$$\n\\log(\\hat{y}) + \\log(1-\\hat{y}) = \\log(\\hat{y}(1-\\hat{y}))\n$$\n"
    assert _status(check_text(note, "n.md", assumptions=["0<yhat<1"])) == ["proved"]


def test_unreadable_assumption_is_a_usage_error(tmp_path, capsys):
    f = tmp_path / "n.md"
    f.write_text(NOTE, encoding="utf-8")
    assert main(["check", str(f), "--assume", "sigma is big"]) == 2
    err = capsys.readouterr().err
    assert "assumption" in err and err.count("\n") == 1


def test_counts_are_sizes_at_least_one():
    note = "$$\n-\\frac{n}{\\lambda^2 + 1} < 0\n$$\n"
    rep = check_text(note, "n.md")
    assert _status(rep) == ["proved"]
    assert "count" in rep.to_json()["assumptions"]["n"]


def test_prose_names_a_count():
    note = "We draw $m$ samples.\n\n$$\n-\\frac{m}{\\lambda^2 + 1} < 0\n$$\n"
    assert _status(check_text(note, "n.md")) == ["proved"]
    # without the prose m is any real, and m = 0 is a counterexample
    assert _status(check_text(note.replace("We draw $m$ samples.", ""), "n.md")) == ["refuted"]
