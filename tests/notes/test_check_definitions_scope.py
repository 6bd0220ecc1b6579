"""A definition F(X) = body whose body does not use X says nothing about F at other arguments:
Var(X) = sigma^2 must not prove Var(2X) = sigma^2 (which is false: Var(2X) = 4 sigma^2)."""
from __future__ import annotations

from verifier.notes.check import check_text


def _statuses(text: str) -> list[str]:
    # the decided steps (a definition is listed too, as a noted step 0 of its block)
    return [s.status for b in check_text(text, "n.md").blocks for s in b.steps if s.status != "noted"]


def test_parameter_unused_by_the_body_is_fixed():
    assert _statuses("$$\n\\operatorname{Var}(X) = \\sigma^2\n$$\n\n$$\n\\operatorname{Var}(2X) = \\sigma^2\n$$\n") \
        == ["unknown"]
    assert _statuses("$$\n\\mathbb{E}[X] = \\mu\n$$\n\n$$\n\\mathbb{E}[X^2] = \\mu\n$$\n") == ["unknown"]


def test_parameter_used_by_the_body_is_substituted():
    ok = "$$\ng(x) = x^2\n$$\n\n$$\ng(a+1) = a^2 + 2a + 1\n$$\n"
    assert _statuses(ok) == ["proved"]
    assert _statuses(ok.replace("2a + 1", "a + 1")) == ["refuted"]
