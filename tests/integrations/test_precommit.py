"""The pre-commit hook (`.pre-commit-hooks.yaml`, id verify-check), tried on a notes repository.

`pre-commit try-repo` builds a fresh virtualenv and installs this repository into it from its
committed HEAD, with the dependencies from PyPI.  That takes a while (about 20 s), so it runs
once, on one correct and one broken note together: the hook's exit status says the commit is
refused, and the output of `verify check` inside the hook says which file broke it.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

GOOD = """# A correct note

The square of a sum:

$$
(a+b)^2 = (a+b)(a+b) = a^2 + 2ab + b^2
$$
"""

BAD = """# A broken note

The freshman's dream:

$$
(a+b)^2 = a^2 + b^2
$$
"""


def _clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT", "VIRTUAL_ENV"))}
    env.update(PRE_COMMIT_HOME=str(home / "pre-commit-home"), PRE_COMMIT_COLOR="never", COLUMNS="200",
               NO_COLOR="1", GIT_CONFIG_NOSYSTEM="1",
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    # keep pip's own configuration (index, certificates) for the hook's virtualenv
    for k in ("PIP_CONFIG_FILE", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS"):
        if k in os.environ:
            env[k] = os.environ[k]
    return env


def _git(*args: str, cwd: Path, env: dict) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def _try_repo(notes: Path, env: dict, *files: str) -> subprocess.CompletedProcess:
    # --ref: the committed HEAD (without it try-repo adds uncommitted changes to tracked files,
    # which in a shared working tree may be half-done work of someone else)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True).stdout.strip()
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "verify-check",
                           "--ref", head, "--verbose", "--files", *files],
                          cwd=notes, env=env, capture_output=True, text=True, timeout=900)


def test_hook_manifest_declares_verify_check():
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: verify-check" in text
    assert "entry: verify check" in text and "language: python" in text
    assert r"files: \.(md|markdown|tex)$" in text


def test_try_repo_hook_refuses_the_broken_note_not_the_correct_one(tmp_path: Path):
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: pre-commit try-repo needs this repository's git history")
    env = _clean_env(tmp_path)
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "good.md").write_text(GOOD, encoding="utf-8")
    (notes / "bad.md").write_text(BAD, encoding="utf-8")
    (notes / "plain.txt").write_text("not a note: the hook must not look at it $$1 = 2$$\n", encoding="utf-8")
    _git("init", "-q", cwd=notes, env=env)
    _git("add", ".", cwd=notes, env=env)

    run = _try_repo(notes, env, "good.md", "bad.md", "plain.txt")
    out = run.stdout + run.stderr
    # the hook fails the commit...
    assert run.returncode == 1, out
    assert re.search(r"verify derivations in notes\.+Failed", out), out
    hook_output = out.split("- hook id: verify-check", 1)[-1]
    # ...because of bad.md, whose step is refuted; good.md's steps are all proved
    bad = re.search(r"^bad\.md: \d+ blocks?, (\d+) steps? \((.*)\)$", hook_output, re.M)
    good = re.search(r"^good\.md: \d+ blocks?, (\d+) steps? \((\d+) proved\)$", hook_output, re.M)
    assert bad and "refuted" in bad[2], out
    assert good and int(good[1]) == int(good[2]) == 2, out
    assert "plain.txt" not in hook_output, out  # only .md/.tex files reach the hook


# ----------------------------------------------------------------------------------------
# the README's configurations
# ----------------------------------------------------------------------------------------
CLONE = "/opt/derivation-verifier"  # the README's stand-in for the folder of the user's clone


def readme_yaml_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [b for b in re.findall(r"```yaml\n(.*?)```", text, flags=re.S) if "verify-check" in b]


def test_readme_pins_a_release_tag_that_the_version_and_changelog_name():
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)[1]
    from verifier.model.version import __version__

    assert __version__ == version
    blocks = readme_yaml_blocks()
    assert len(blocks) == 2, blocks
    remote, local = blocks
    assert re.search(rf"^\s+rev: v{re.escape(version)}\b", remote, re.M), remote
    assert f"## v{version}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    for b in blocks:
        assert "REPOSITORY_URL" not in b and "REV" not in b
    assert "repo: local" in local and "language: python" in local and "additional_dependencies" in local


def test_readme_local_hook_config_runs_as_written(tmp_path: Path):
    """The `repo: local` block of the README, with the clone's folder put in, refuses the
    broken note: pre-commit installs the package from the clone into the hook's environment."""
    env = _clean_env(tmp_path)
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "good.md").write_text(GOOD, encoding="utf-8")
    (notes / "bad.md").write_text(BAD, encoding="utf-8")
    local = readme_yaml_blocks()[1]
    (notes / ".pre-commit-config.yaml").write_text(local.replace(CLONE, str(ROOT)), encoding="utf-8")
    _git("init", "-q", cwd=notes, env=env)
    _git("add", ".", cwd=notes, env=env)
    run = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--verbose", "--files", "good.md", "bad.md"],
                         cwd=notes, env=env, capture_output=True, text=True, timeout=900)
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert re.search(r"verify derivations in notes\.+Failed", out), out
    assert re.search(r"^bad\.md: .*refuted", out, re.M) and re.search(r"^good\.md: .*\(2 proved\)", out, re.M), out
