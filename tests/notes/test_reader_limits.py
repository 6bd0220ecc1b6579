"""Hostile numbers are refused quickly, with the fragment quoted."""
from __future__ import annotations

import time

from verifier.notes.check import check_text


def test_power_towers_of_numbers_are_unparsed_quickly():
    start = time.monotonic()
    report = check_text("$$\n10^{10^{10}} = 2^{2^{2^{2^{2^{2}}}}}\n$$\n", "n.md")
    steps = [s for b in report.blocks for s in b.steps]
    assert [s.status for s in steps] == ["unparsed"]
    assert "power of numbers" in steps[0].message and "10^{10^{10}}" in steps[0].message
    assert time.monotonic() - start < 10


def test_ordinary_powers_of_numbers_still_read():
    report = check_text("$$\n2^{10} = 1024\n$$\n", "n.md")
    assert [s.status for b in report.blocks for s in b.steps] == ["proved"]
