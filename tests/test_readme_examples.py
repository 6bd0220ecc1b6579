"""The README's examples are what `docs/examples.py` produces from real output (timings aside)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("readme_examples", ROOT / "docs" / "examples.py")
examples = importlib.util.module_from_spec(spec)
spec.loader.exec_module(examples)


def test_readme_examples_are_real_output():
    text = examples.README.read_text(encoding="utf-8")
    blocks = examples.examples(text)
    assert len(blocks) >= 2, "README has lost its example markers"
    for cmd, body in blocks:
        want = examples.run(cmd)
        assert examples.normalise(body) == examples.normalise(want), (
            f"README example `{cmd}` is stale; run `python docs/examples.py`.\n--- README\n{body}\n--- now\n{want}")


def test_normalise_hides_timings_only():
    a = "│ x │ 0.6s │ ✓ │\n3 derivations in 10.5s"
    b = "│ x │  12.3s │ ✓ │\n3 derivations in 9.1s"
    assert examples.normalise(a) == examples.normalise(b)
    assert examples.normalise(a) != examples.normalise(a.replace("✓", "✗"))
