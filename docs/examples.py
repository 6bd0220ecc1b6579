"""Regenerate the README's examples from real output.

Every README block between ``<!-- example: COMMAND -->`` and ``<!-- /example -->`` is the
output of running COMMAND (a `verify` command line) in the repository root, 120 columns wide,
as a ```text block that starts with ``$ COMMAND``.

    python docs/examples.py          # rewrite README.md
    python docs/examples.py --check  # exit 1 when a block differs (timings aside)

tests/test_readme_examples.py runs the check.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- example: (?P<cmd>[^\n]*?) -->\n)(?P<body>.*?)(<!-- /example -->)", re.S)


def run(cmd: str) -> str:
    """The output of a `verify ...` command line as the README shows it."""
    argv = shlex.split(cmd)
    if argv[0] != "verify":
        raise ValueError(f"examples run `verify` commands only, not {argv[0]!r}")
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}
    proc = subprocess.run([sys.executable, "-m", "verifier", *argv[1:]], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    out = "\n".join(line.rstrip() for line in proc.stdout.rstrip("\n").splitlines())
    return f"```text\n$ {cmd}\n{out}\n```\n"


def render(text: str) -> str:
    """README text with every example block regenerated."""
    return BLOCK.sub(lambda m: m.group(1) + run(m.group("cmd")) + m.group(4), text)


def normalise(text: str) -> str:
    """Output without what changes from run to run: timings, and the column widths they cause."""
    text = re.sub(r"\d+(\.\d+)?\s?s\b", "T", text)
    text = re.sub(r"[━─]+", "-", text)
    return "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines())


def examples(text: str) -> list[tuple[str, str]]:
    return [(m.group("cmd"), m.group("body")) for m in BLOCK.finditer(text)]


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    new = render(text)
    if "--check" in argv:
        stale = [cmd for (cmd, a), (_c, b) in zip(examples(text), examples(new)) if normalise(a) != normalise(b)]
        for cmd in stale:
            print(f"README example is stale: {cmd} (run python docs/examples.py)", file=sys.stderr)
        return 1 if stale else 0
    README.write_text(new, encoding="utf-8")
    print(f"rewrote {len(examples(new))} examples in {README.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
