"""Flags of `verify check` (and the small faults of every command): --allow unparsed, --exit-zero,
--quiet, --format concise / github / html, --watch, no display math, closed pipes, --out folders."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from verifier.cli import main

ROOT = Path(__file__).resolve().parent.parent
WRONG = "$$\n(a+b)^2 = a^2 + b^2\n$$\n"
RIGHT = "$$\n(a+b)^2 = a^2 + 2ab + b^2\n$$\n"
UNREAD = "$$\n\\nabla f(w) = 2 w\n$$\n"


def _run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    (tmp_path / "right.md").write_text("# r\n\n" + RIGHT, encoding="utf-8")
    (tmp_path / "wrong.md").write_text("# w\n\nText.\n\n" + WRONG, encoding="utf-8")
    (tmp_path / "unread.md").write_text(UNREAD, encoding="utf-8")
    (tmp_path / "prose.md").write_text("# Only words\n\nNo mathematics here.\n", encoding="utf-8")
    (tmp_path / "words").mkdir()
    (tmp_path / "words" / "a.md").write_text("no math\n", encoding="utf-8")
    return tmp_path


def test_allow_unparsed(capsys, notes):
    assert _run(capsys, ["check", str(notes / "unread.md")])[0] == 1
    assert _run(capsys, ["check", str(notes / "unread.md"), "--allow", "unparsed"])[0] == 0
    # allowing unparsed never lets a refuted step pass
    code, _, _ = _run(capsys, ["check", str(notes / "unread.md"), str(notes / "wrong.md"), "--allow", "unparsed",
                               "--allow", "unknown", "--allow", "checked"])
    assert code == 1


def test_exit_zero(capsys, notes):
    code, out, _ = _run(capsys, ["check", str(notes / "wrong.md"), "--exit-zero"])
    assert code == 0 and "refuted" in out


def test_quiet_prints_only_failures_and_the_summary(capsys, notes):
    code, out, _ = _run(capsys, ["check", str(notes / "right.md"), str(notes / "wrong.md"), "--quiet"])
    assert code == 1
    assert "wrong.md" in out and "right.md" not in out
    assert "refuted" in out and "counterexample" in out and "summary:" in out
    assert "2ab" not in out  # the proved step is not shown
    code, out, _ = _run(capsys, ["check", str(notes / "right.md"), "-q"])
    assert code == 0 and out.strip().startswith("summary:") and len(out.strip().splitlines()) == 1


CONCISE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<status>[a-z]+): (?P<msg>.+)$")


def test_format_concise_like_ruff_and_mypy(capsys, notes, tmp_path):
    note = tmp_path / "two.md"
    note.write_text("# t\n\n$$\nx + x = 2x \\quad y = 3y\n$$\n\n$$\n(a+b)^2 =\n   a^2 + b^2\n$$\n", encoding="utf-8")
    code, out, _ = _run(capsys, ["check", str(note), "--format", "concise"])
    assert code == 1
    lines = out.strip().splitlines()
    hits = [CONCISE.match(ln) for ln in lines[:-1]]
    assert all(hits), lines
    assert all(h["path"] == str(note) for h in hits)
    by_line = {int(h["line"]): h for h in hits}
    text = note.read_text().splitlines()
    for line, h in by_line.items():
        col = int(h["col"])
        assert h["status"] in ("refuted", "unknown", "unparsed", "checked")
        assert text[line - 1][col - 1:].strip(), (line, col)  # the column points into the line
    assert by_line[9]["status"] == "refuted" and int(by_line[9]["col"]) == 4  # "a^2 + b^2" after 3 spaces
    assert "counterexample" in by_line[9]["msg"]
    assert lines[-1].startswith(tuple("0123456789"))  # the summary
    code, out, _ = _run(capsys, ["check", str(notes / "right.md"), "--format", "concise"])
    assert code == 0 and len(out.strip().splitlines()) == 1


def test_format_github_has_a_column_and_its_title_names_its_line(capsys, notes):
    code, out, _ = _run(capsys, ["check", str(notes / "wrong.md"), "--format", "github"])
    assert code == 1
    (ann,) = out.strip().splitlines()
    m = re.match(r"::error file=([^,]+),line=(\d+),col=(\d+),title=([^:]+)::", ann)
    assert m, ann
    assert m[2] == "6" and m[3] == "11"  # "a^2 + b^2" in "(a+b)^2 = a^2 + b^2"
    assert m[4].replace("%3A", ":").replace("%2C", ",").startswith("refuted: line 6,")


def test_format_html_to_a_file(capsys, notes, tmp_path):
    out_file = tmp_path / "report.html"
    code, out, err = _run(capsys, ["check", str(notes / "wrong.md"), "--format", "html", "--out", str(out_file)])
    assert code == 1 and out == "" and str(out_file) in err
    page = out_file.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "step refuted flagged" in page
    code, out, _ = _run(capsys, ["check", str(notes / "right.md"), "--format", "html"])
    assert code == 0 and out.startswith("<!DOCTYPE html>") and "every step passes" in out


def test_out_into_a_missing_folder_is_an_error_and_creates_nothing(capsys, notes, tmp_path):
    missing = tmp_path / "nope" / "deeper"
    code, _, err = _run(capsys, ["check", str(notes / "right.md"), "--format", "html", "--out",
                                 str(missing / "r.html")])
    assert code == 2 and "no such directory" in err and not (tmp_path / "nope").exists()
    code, _, err = _run(capsys, ["export", "--no-verify", "--out", str(missing / "x.tex")])
    assert code == 2 and err.startswith("verify: error:") and not (tmp_path / "nope").exists()
    code, _, err = _run(capsys, ["check", str(notes / "right.md"), "--out", str(tmp_path / "r.txt")])
    assert code == 2 and "--out" in err  # rich output goes to the terminal


def test_no_display_math_is_said_with_exit_2(capsys, notes):
    code, out, err = _run(capsys, ["check", str(notes / "words")])
    assert code == 2 and "no display math" in err and out == ""
    code, out, err = _run(capsys, ["check", str(notes / "prose.md"), "--format", "json"])
    assert code == 2 and "no display math" in err
    # a note without math among others is just reported with 0 blocks
    code, out, _ = _run(capsys, ["check", str(notes / "prose.md"), str(notes / "right.md"), "--format", "json"])
    assert code == 0 and '"blocks": []' in out


def test_pragma_problems_are_shown(capsys, tmp_path):
    note = tmp_path / "p.md"
    note.write_text("<!-- verify: skipp -->\n" + RIGHT, encoding="utf-8")
    code, out, _ = _run(capsys, ["check", str(note)])
    assert code == 0 and "unknown pragma" in out
    code, out, _ = _run(capsys, ["check", str(note), "--format", "concise"])
    assert f"{note}:1:1: warning: unknown pragma" in out


@pytest.mark.parametrize("spelling", ["p<1", "p>0", "0<p<1", "x \\in (0,1)", "y in {0,1}", "n >= 1"])
def test_assume_spellings_are_taken(capsys, tmp_path, spelling):
    note = tmp_path / "a.md"
    note.write_text("$$\n\\log(p) + \\log(p) = 2 \\log(p)\n$$\n", encoding="utf-8")
    code, _, err = _run(capsys, ["check", str(note), "--assume", spelling])
    assert code == 0, err


def test_unreadable_assumption_is_a_usage_error(capsys, notes):
    code, _, err = _run(capsys, ["check", str(notes / "right.md"), "--assume", "p is small"])
    assert code == 2 and "'0<p<1'" in err and "'n >= 1'" in err


def _closed_pipe(argv: list[str]) -> tuple[int, str]:
    p = subprocess.Popen([sys.executable, "-m", "verifier", *argv], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, cwd=ROOT)
    p.stdout.close()  # like `| head` that has gone away
    err = p.stderr.read().decode()
    return p.wait(timeout=120), err


@pytest.mark.parametrize("argv", [["list", "--format", "json"], ["list"], ["check", "{wrong}", "--format", "json"],
                                  ["check", "{wrong}"], ["check", "{wrong}", "--format", "concise"]])
def test_a_closed_pipe_ends_without_a_traceback(notes, argv):
    code, err = _closed_pipe([a.format(wrong=notes / "wrong.md") for a in argv])
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert code in (0, 1)


def test_watch_checks_again_on_save(tmp_path):
    note = tmp_path / "w.md"
    note.write_text(RIGHT, encoding="utf-8")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    p = subprocess.Popen([sys.executable, "-m", "verifier", "check", str(tmp_path), "--watch", "--format", "concise"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env, text=True)
    try:
        out_lines: list[str] = []
        deadline = time.monotonic() + 90

        def read_until(pred):
            while time.monotonic() < deadline:
                line = p.stdout.readline()
                if not line:
                    break
                out_lines.append(line)
                if pred(line):
                    return True
            return False

        assert read_until(lambda ln: "1 proved" in ln), out_lines
        time.sleep(1.0)  # the watcher is set up after the first run
        note.write_text(WRONG, encoding="utf-8")
        assert read_until(lambda ln: ": refuted:" in ln), out_lines
    finally:
        p.terminate()
        p.wait(timeout=30)


def test_skipped_displays_are_said_in_the_terminal_report(capsys, tmp_path):
    note = tmp_path / "s.md"
    note.write_text(RIGHT + "\n<!-- verify: skip -->\n" + WRONG, encoding="utf-8")
    code, out, _ = _run(capsys, ["check", str(note)])
    assert code == 0 and "not checked (verify: skip)" in out and "line 6" in out
    skip_all = tmp_path / "all.md"
    skip_all.write_text("<!-- verify: skip-file -->\n" + WRONG, encoding="utf-8")
    code, out, _ = _run(capsys, ["check", str(skip_all), "--quiet"])
    assert code == 0 and "skip-file" in out
