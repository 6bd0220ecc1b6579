"""`verify steps`, `verify cache`, `--no-cache` and `verify check` over many notes (issue 12)."""
from __future__ import annotations

import json

import pytest

from verifier.cli import main
from verifier.engine import cache


@pytest.fixture(autouse=True)
def _cache_back_on():
    yield
    cache.set_enabled(True)


def _lines(text: str) -> list[dict]:
    return [json.loads(x) for x in text.splitlines() if x.strip()]


def test_steps_gives_one_verdict_per_line_and_a_bad_line_does_not_end_the_run(tmp_path, capsys):
    f = tmp_path / "s.jsonl"
    f.write_text("\n".join([
        json.dumps({"id": "right", "lhs": "(a+b)^2", "rhs": "a^2 + 2ab + b^2"}),
        "{not json",
        json.dumps({"id": "wrong", "lhs": "(a+b)^2", "rhs": "a^2 + b^2"}),
        json.dumps({"id": "nolhs", "rhs": "x"}),
        json.dumps({"id": "unread", "lhs": "\\frac{1}{", "rhs": "x"}),
        json.dumps({"id": "rel", "lhs": "x", "rhs": "x", "relation": "approx"}),
        json.dumps({"id": "log", "lhs": "\\log(x^2)", "rhs": "2\\log x", "assumptions": ["x > 0"]}),
        json.dumps({"id": "ineq", "lhs": "x^2 + 1", "rhs": "2x", "relation": ">="}),
        json.dumps({"id": "ineq-wrong", "lhs": "x^2", "rhs": "2x", "relation": ">="}),
    ]) + "\n")
    rc = main(["steps", str(f), "--jobs", "2"])
    out = {r["id"]: r for r in _lines(capsys.readouterr().out)}
    assert rc == 1
    assert len(out) == 9
    assert out["right"]["status"] == "proved"
    assert out["wrong"]["status"] == "refuted" and out["wrong"]["counterexample"]
    assert out[2]["status"] == "unknown" and out[2]["method"] == "input"  # the bad line, by its line number
    assert out["nolhs"]["status"] == "unknown" and "lhs" in out["nolhs"]["message"]
    assert out["unread"]["status"] == "unparsed"
    assert out["rel"]["status"] == "unknown"
    assert out["log"]["status"] == "proved"
    assert out["ineq"]["status"] == "proved"
    assert out["ineq-wrong"]["status"] == "refuted"


def test_steps_of_a_missing_file_is_a_usage_error(tmp_path):
    assert main(["steps", str(tmp_path / "none.jsonl")]) == 2


def test_cache_info_and_clear(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VERIFY_CACHE_DIR", str(tmp_path))
    f = tmp_path / "s.jsonl"
    f.write_text(json.dumps({"id": 1, "lhs": "x + 1 - 1", "rhs": "x"}) + "\n")
    assert main(["steps", str(f)]) == 0
    capsys.readouterr()
    assert main(["cache", "info", "--format", "json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["entries"] == 1 and info["path"].startswith(str(tmp_path))
    assert main(["cache", "clear", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["cleared"] == 1
    assert main(["cache", "info", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["entries"] == 0


def test_no_cache_leaves_the_cache_alone(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VERIFY_CACHE_DIR", str(tmp_path / "c"))
    f = tmp_path / "s.jsonl"
    f.write_text(json.dumps({"id": 1, "lhs": "2x", "rhs": "x + x"}) + "\n")
    assert main(["steps", str(f), "--no-cache"]) == 0
    assert not (tmp_path / "c" / cache.FILE_NAME).exists()


def test_check_of_many_notes_keeps_each_notes_definitions_to_itself(tmp_path, capsys):
    (tmp_path / "a.md").write_text("# A\n\n$$\nL = (w - 1)^2\n$$\n\n$$\nL = w^2 - 2w + 1\n$$\n")
    (tmp_path / "b.md").write_text("# B\n\n$$\n(w+1)^2 = w^2 + 1\n$$\n")
    (tmp_path / "c.md").write_text("# C\n\n$$\nL = w^2 - 2w + 1\n$$\n\n$$\n(x+y)^2 = x^2 + 2xy + y^2\n$$\n")
    for run in ("cold", "warm"):
        rc = main(["check", str(tmp_path), "--format", "json", "--jobs", "2"])
        data = json.loads(capsys.readouterr().out)
        files = {f["path"].rsplit("/", 1)[-1]: f for f in data["files"]}
        # the claims (a head definition is reported too, as a noted step of kind definition)
        steps = {name: [s for b in f["blocks"] for s in b["steps"] if s["status"] != "noted"]
                 for name, f in files.items()}
        assert [s["status"] for s in steps["a.md"]] == ["proved"], run  # L as a.md defines it
        assert [s["status"] for s in steps["b.md"]] == ["refuted"], run
        # in c.md, L is a new name: a definition there, never a claim decided with a.md's L
        assert all(s["status"] != "refuted" for s in steps["c.md"]), run
        assert rc == 1


@pytest.mark.parametrize("env, size", [({}, "10000"), ({"SYMPY_CACHE_SIZE": "50"}, "50")])
def test_sympys_caches_are_sized_for_many_steps_unless_the_user_says_otherwise(env, size):
    import os
    import subprocess
    import sys

    run_env = {k: v for k, v in os.environ.items() if k != "SYMPY_CACHE_SIZE"} | env
    out = subprocess.run([sys.executable, "-c", "import verifier, sympy.core.cache as c; print(c.SYMPY_CACHE_SIZE)"],
                         capture_output=True, text=True, env=run_env, check=True).stdout
    assert out.strip() == size
