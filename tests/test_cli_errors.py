"""Bad input on the command line: one clear line on stderr, exit code 2, no traceback."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from verifier.cli import main

EXIT_USAGE = 2


def _run(capsys, argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _one_clear_line(err: str, *needles: str) -> None:
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1, f"expected one line on stderr, got: {err!r}"
    line = lines[0]
    assert line.startswith("verify: error: "), line
    assert "Traceback" not in err
    for n in needles:
        assert n.lower() in line.lower(), (n, line)


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    (tmp_path / "ok.md").write_text("$$a + b = b + a$$\n", encoding="utf-8")
    (tmp_path / "binary.md").write_bytes(b"abc\x00\x01\x02 $$x = 1$$\n")
    (tmp_path / "latin1.md").write_bytes("# notes\n$$\\hat{y} = 1$$ caf\xe9\n".encode("latin-1"))
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "picture.png").write_bytes(b"\x89PNG\r\n")
    return tmp_path


def test_missing_file(capsys, notes):
    code, out, err = _run(capsys, ["check", str(notes / "nope.md")])
    assert code == EXIT_USAGE
    _one_clear_line(err, "nope.md")
    assert out == ""


def test_directory_without_notes(capsys, notes):
    code, out, err = _run(capsys, ["check", str(notes / "empty")])
    assert code == EXIT_USAGE
    _one_clear_line(err, "no notes")


def test_binary_file(capsys, notes):
    code, out, err = _run(capsys, ["check", str(notes / "binary.md")])
    assert code == EXIT_USAGE
    _one_clear_line(err, "binary.md", "binary")


def test_unreadable_encoding(capsys, notes):
    code, out, err = _run(capsys, ["check", str(notes / "latin1.md")])
    assert code == EXIT_USAGE
    _one_clear_line(err, "latin1.md", "utf-8")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read any file")
def test_unreadable_permissions(capsys, notes):
    p = notes / "secret.md"
    p.write_text("$$x = x$$\n", encoding="utf-8")
    p.chmod(0)
    try:
        code, _, err = _run(capsys, ["check", str(p)])
    finally:
        p.chmod(0o644)
    assert code == EXIT_USAGE
    _one_clear_line(err, "secret.md")


@pytest.mark.parametrize("argv", [["show", "no-such-derivation"], ["all", "no-such-derivation"],
                                  ["export", "no-such-derivation", "--no-verify"]])
def test_unknown_derivation_id(capsys, argv):
    code, out, err = _run(capsys, argv)
    assert code == EXIT_USAGE
    _one_clear_line(err, "no-such-derivation")


@pytest.mark.parametrize("argv, needle", [
    (["all", "--budget", "-1"], "--budget"),
    (["all", "--budget", "abc"], "--budget"),
    (["check", "{ok}", "--budget", "0"], "--budget"),
    (["all", "--format", "xml"], "--format"),
    (["check", "{ok}", "--format", "yaml"], "--format"),
    (["check", "{ok}", "--assume", "this is not an assumption ((("], "assum"),
    (["no-such-command"], "no-such-command"),
    (["check"], "PATH"),
])
def test_bad_option_values(capsys, notes, argv, needle):
    argv = [a.replace("{ok}", str(notes / "ok.md")) for a in argv]
    code, out, err = _run(capsys, argv)
    assert code == EXIT_USAGE
    _one_clear_line(err, needle)


def test_file_over_the_size_limit(capsys, notes):
    code, _, err = _run(capsys, ["check", str(notes / "ok.md"), "--max-file-size", "5"])
    assert code == EXIT_USAGE
    _one_clear_line(err, "ok.md", "--max-file-size")


def test_the_console_script_reports_a_missing_file_in_one_line(notes):
    exe = shutil.which("verify")
    cmd = [exe] if exe else [sys.executable, "-m", "verifier"]
    r = subprocess.run(cmd + ["check", str(notes / "nope.md")], capture_output=True, text=True, timeout=120)
    assert r.returncode == EXIT_USAGE
    _one_clear_line(r.stderr, "nope.md")
    assert r.stdout == ""
