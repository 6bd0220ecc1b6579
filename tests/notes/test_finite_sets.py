"""Laws the prose states on one finite set: bare sums over its points, the built-in entropy, cross-entropy
and KL where a chain writes no sum, information in bits only where the note says so; and a definition at
fixed arguments never reached through another definition's body."""
from __future__ import annotations

import pytest

from verifier.notes.check import check_text
from verifier.notes.finite_laws import bits_lines, finite_set_laws
from verifier.notes.probability_spelling import respell

CONV = ("**Conventions.** $P$ and $Q$ are probability distributions on the same finite set $\\mathcal{X}$, "
        "strictly positive on it.\n\n## Definitions\n\n")
DEFS = ("$$\nH(P, Q) = -\\sum_{x} P(x)\\log Q(x)\n$$\n\n"
        "$$\nD_{\\mathrm{KL}}(P\\,\\|\\,Q) = \\sum_{x} P(x)\\log\\frac{P(x)}{Q(x)}\n$$\n\n")


def claims(text: str):
    rep = check_text(text, "note.md", budget=10.0).to_json()
    return [(s["line"], s["status"], s["message"]) for b in rep["blocks"] for s in b["steps"] if s["kind"] == "claim"]


def test_finite_set_laws_and_sums():
    assert finite_set_laws(CONV) == {"P", "Q"}
    assert finite_set_laws("Let $P$ be a distribution.") == frozenset()
    laws = frozenset({"P", "Q"})
    assert respell(r"-\sum_{x} P(x)\log Q(x)", laws) == r"-\sum_{x=1}^{N_{x}} P_{x}\log Q_{x}"
    assert respell(r"\sum_{x \in \mathcal{X}} P(x)", laws) == r"\sum_{x=1}^{N_{x}} P_{x}"
    assert respell(r"P(x) - \sum_x P(x)", laws) == r"P(x) - \sum_x P(x)"  # a free x: left to be refused
    assert respell(r"\sum_{x} P(x)", frozenset()) == r"\sum_{x} P(x)"  # no finite set stated: no reading


@pytest.mark.parametrize("chain", [
    r"H(P, Q) = -\sum_{x} P(x)\log P(x) + \sum_{x} P(x)\log\frac{P(x)}{Q(x)}",
    r"H(P, Q) = \sum_{x} P(x)\log\frac{1}{Q(x)}",
    r"D_{\mathrm{KL}}(P\,\|\,Q) = \sum_{x} P(x)\log P(x) - \sum_{x} P(x)\log Q(x)",
    r"D_{KL}(P||Q) = -\sum_{x} P(x)\log\frac{Q(x)}{P(x)}",
    r"\mathrm{KL}(P \| Q) = \sum_{x \in \mathcal{X}} P(x)\log\frac{P(x)}{Q(x)}",
])
def test_right_steps_on_the_finite_set_never_refuted(chain):
    out = claims(CONV + DEFS + f"$$\n{chain}\n$$\n")
    assert out and all(st != "refuted" for _, st, _ in out), out
    assert any(st == "proved" for _, st, _ in out), out


@pytest.mark.parametrize("chain", [
    r"H(P, Q) = -\sum_{x} Q(x)\log P(x)",
    r"D_{\mathrm{KL}}(P\,\|\,Q) = \sum_{x} P(x)\log\frac{Q(x)}{P(x)}",
    r"D_{\mathrm{KL}}(P\,\|\,Q) = \sum_{x} Q(x)\log\frac{Q(x)}{P(x)}",
])
def test_wrong_steps_on_the_finite_set_refuted(chain):
    out = claims(CONV + DEFS + f"$$\n{chain}\n$$\n")
    assert [st for _, st, _ in out] == ["refuted"], out


SUMMARY = CONV + DEFS + "## Summary\n\n"


def test_built_in_meanings_where_no_definition_is_in_scope():
    right = claims(SUMMARY + "$$\nD_{\\mathrm{KL}}(P\\,\\|\\,Q) = H(P, Q) - H(P)\n$$\n")
    assert [st for _, st, _ in right] == ["proved"], right
    wrong = claims(SUMMARY + "$$\nD_{\\mathrm{KL}}(P\\,\\|\\,Q) = H(P) - H(P, Q)\n$$\n")
    assert [st for _, st, _ in wrong] == ["refuted"], wrong
    symmetric = claims(SUMMARY + "$$\nD_{\\mathrm{KL}}(Q\\,\\|\\,P) = D_{\\mathrm{KL}}(P\\,\\|\\,Q)\n$$\n")
    assert [st for _, st, _ in symmetric] == ["refuted"], symmetric


def test_bits_only_in_the_section_that_says_so():
    text = ("# Notes\n\n$\\log$ is natural except in Section 2, where information is in bits.\n\n## 1\n\nx\n\n"
            "## 2\n\nAll logarithms are $\\log_2$ here.\n\n$$\na = b\n$$\n\n## 3\n\ny\n")
    ((lo, hi),) = bits_lines(text)
    assert lo <= text.splitlines().index("## 2") + 1 <= hi and hi < text.splitlines().index("## 3") + 1
    ((lo, hi),) = bits_lines("# T\n\n本文中对数一律以 2 为底。\n\n## 1\n\nx\n")  # the whole note
    assert lo == 1 and hi >= 7


def test_in_bits_the_natural_built_ins_are_not_used():
    text = CONV.replace("strictly positive on it.", "strictly positive on it. Information is in bits.")
    out = claims(text + "## Bits\n\n$$\nD_{\\mathrm{KL}}(P\\,\\|\\,Q) = H(P, Q) - H(P) + 1\n$$\n")
    assert all(st not in ("proved", "checked", "refuted") for _, st, _ in out), out


def test_a_value_at_fixed_laws_is_not_carried_through_another_definition():
    text = CONV + ("## Example\n\n$$\nH(P) = \\tfrac32\n$$\n\n$$\nH(P, Q) = \\log 3\n$$\n\n"
                   "$$\nD(P, Q) = H(P, Q) - H(P)\n$$\n\n$$\nD(Q, P) = D(P, Q)\n$$\n")
    out = claims(text)
    last = [c for c in out if c[0] == max(ln for ln, _, _ in out)]
    assert last and last[0][1] not in ("proved", "checked"), out
