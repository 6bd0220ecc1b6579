"""Titles, chain names and justifications are text with LaTeX in `$...$`; the terminal
(`verify all`, `verify show`, `verify check`) shows them as characters, not as raw LaTeX."""
from __future__ import annotations

import argparse

import pytest
import sympy as sp

from verifier.engine.decide import verify_derivation
from verifier.model.catalog import load_catalog
from verifier.model.chain import Derivation
from verifier.output.report import make_console, print_details
from verifier.output.show import show
from verifier.output.terminal_text import terminal_math, terminal_text


@pytest.mark.parametrize("text, shown", [
    (r"$\hat y$", "ŷ"),
    (r"$\hat{y}$", "ŷ"),
    (r"$\sum_i p_i = 1$", "Σ_i p_i = 1"),
    (r"$\prod_{i=1}^{n} p_i$", "Π_(i=1)^n p_i"),
    (r"$\frac{1}{n}\log n$", "1/n log n"),
    (r"$\log\frac{a}{b} = \log a - \log b$", "log a/b = log a - log b"),
    (r"$\frac{1}{I}\sum_i \delta(y - y_i)$", "1/I Σ_i δ(y - y_i)"),
    (r"$y\log\hat{y}$", "y log ŷ"),
    (r"$X^\top \mathbf w$", "Xᵀ w"),
    (r"$(X^\top X)^{-1}$", "(Xᵀ X)⁻¹"),
    (r"$\boldsymbol\mu$", "μ"),
    (r"$\mathcal N(\mu, \sigma^2)$", "N(μ, σ²)"),
    (r"$e^{2z}$", "e^(2z)"),
    (r"$e^{-z}$", "e^(-z)"),
    (r"$\tanh^2 z$", "tanh² z"),
    (r"$x \in \{0, 1\}$", "x ∈ {0, 1}"),
    (r"$D_{\mathrm{KL}}(P \| Q) \ge 0$", "D_KL(P ‖ Q) ≥ 0"),
    (r"$\lim_{t \to 0^+} t \log t$", "lim_(t → 0^+) t log t"),
    (r"$\varphi(E[Z]) \le E[\varphi(Z)]$", "φ(E[Z]) ≤ E[φ(Z)]"),
    (r"$\frac{\partial}{\partial \mathbf w}$", "∂/(∂w)"),
    (r"$\frac{e^{-z}}{1 + e^{-z}}$", "e^(-z)/(1 + e^(-z))"),
    (r"$\sqrt{2\pi}$", "√(2π)"),
    (r"$\operatorname*{arg\,min}_\theta L$", "arg min_θ L"),
    (r"$P(\text{head}) = 0.1$", "P(head) = 0.1"),
])
def test_inline_math_is_shown_as_characters(text, shown):
    assert terminal_text(text) == shown


def test_prose_around_the_math_is_kept():
    assert terminal_text(r"drop $\int q \log q$, free of $\theta$") == "drop ∫ q log q, free of θ"
    assert terminal_text("plain text, no math") == "plain text, no math"
    assert terminal_text("costs $5") == "costs $5"  # a lone dollar is a character
    assert terminal_text("") == ""


def test_unknown_macros_keep_their_name_and_lose_the_backslash():
    assert terminal_math(r"\foo x") == "foo x"


CATALOG = load_catalog()


def test_no_catalog_title_chain_or_justification_prints_raw_latex():
    raw = []
    for d in CATALOG:
        for text in [d.title] + [c.name for c in d.chains] + [s.why for c in d.chains for s in c.steps]:
            shown = terminal_text(text or "")
            braces = "" if r"\{" in (text or "") else "{}"
            if "$" in (text or "") and any(ch in shown for ch in "\\$" + braces):
                raw.append(f"{d.id}: {text!r} -> {shown!r}")
    assert not raw, "\n".join(raw)


def _args(**kw) -> argparse.Namespace:
    return argparse.Namespace(**{"no_verify": True, "format": "rich", "budget": 5.0, **kw})


def test_verify_show_prints_the_title_and_justifications_readably(capsys):
    d = next(d for d in CATALOG if d.id == "kl-asymmetric")
    show([d], _args())
    out = capsys.readouterr().out
    assert "KL is not symmetric: D(P ‖ Q) ≠ D(Q ‖ P) for some P, Q" in out
    assert "witness P = (1/2, 1/2)" in out
    assert r"\frac{1}{2}" in out  # the step column is the LaTeX of the step, as its header says
    assert "$" not in out


def test_the_details_of_a_wrong_step_show_its_justification_readably(capsys):
    D = Derivation("wrong", r"A wrong step about $\hat y$")
    y = D.symbol("y", "unit")
    c = D.chain(y * (1 - y), r"$\hat{y}(1 - \hat{y})$, expanded")
    c.eq(y - y**2 + sp.Rational(1, 10), r"expand $\hat y (1 - \hat y)$ with $\sum_i$ nothing")
    result = verify_derivation(D, budget=10.0)
    assert result.steps[0].status == "refuted"
    print_details([result], ["wrong"], make_console())
    out = capsys.readouterr().out
    assert "justification: expand ŷ (1 - ŷ) with Σ_i nothing" in out
    assert "(ŷ(1 - ŷ), expanded)" in out
    assert "$" not in out and r"\hat" not in out


def test_the_terminal_text_imports_no_sympy():
    """A warm `verify all` prints from the verdict store without importing SymPy."""
    import subprocess
    import sys

    code = "import sys, verifier.output.terminal_text, verifier.output.report; print('sympy' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert run.stdout.strip() == "False", run.stderr[-2000:]


def test_verify_list_shows_post_titles_and_sections_and_math_as_text(capsys):
    import re

    from verifier.cli import main

    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "$" not in out and "\\frac" not in out
    assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", out)  # a seed's hashed file name is not for people
    assert "‖" in out or "Σ" in out or "σ" in out
