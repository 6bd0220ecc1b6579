"""The scan for "names \\in \\mathbb R^..." statements (notes.prose_shapes) tries only the stretches
where a match can start; it must find exactly what the pattern finds at every position."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from verifier.notes.prose_shapes import _IN, _in_statements, shapes_in

PIECES = ["$", "$$", " ", "\n", ", ", "x", "A", "\\mathbf{w}", "\\hat{y}", "x_i", "\\in", "\\int", "\\infty",
          "\\mathbb", "\\mathbb{R}", "\\mathbb R", "R", "^", "^{n}", "^{n \\times d}", "^d", "{", "}", "^{$n$}",
          " is in ", "\\in\\mathbb{R}^{m}", "\\boldsymbol{\\mu}", "W^{(1)}", "\\times"]


def _spans(matches) -> list:
    return [(m.start(), m.end(), m.groups()) for m in matches]


@pytest.mark.parametrize("seed", range(40))
def test_the_scan_finds_what_the_pattern_finds_on_random_texts(seed):
    rng = random.Random(seed)
    for _ in range(50):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 60)))
        assert _spans(_in_statements(text)) == _spans(_IN.finditer(text)), text


def test_the_scan_finds_what_the_pattern_finds_on_real_notes():
    roots = [Path(__file__).resolve().parents[1] / "fixtures", Path(__file__).resolve().parents[3] / "shared"]
    texts = [p.read_text(encoding="utf-8", errors="replace") for root in roots if root.is_dir()
             for p in sorted(root.rglob("*")) if p.suffix in (".md", ".tex", ".txt") and p.is_file()]
    assert texts, "no notes to scan"
    for text in texts:
        assert _spans(_in_statements(text)) == _spans(_IN.finditer(text))


def test_statements_are_read_as_before():
    text = ("Let $X \\in \\mathbb{R}^{n \\times d}$ and $\\mathbf{y}, \\mathbf{z} \\in \\mathbb R^n$; $a \\in S$ is a "
            "set member and $\\int_0^1 f$ an integral.\n$w \\in \\mathbb{R}^{d}$")
    assert shapes_in(text) == {"X": ("n", "d"), "y": ("n", "1"), "z": ("n", "1"), "w": ("d", "1")}


def test_a_matrix_stated_in_words_is_read_and_only_the_word_matrix_states_one():
    assert shapes_in("Here $W$ is an $n \\times d$ matrix of weights.") == {"W": ("n", "d")}
    assert shapes_in("Here $W$ is an $n \\times d$ array of weights.") == {}
