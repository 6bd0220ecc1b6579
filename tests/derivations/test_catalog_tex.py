"""Every `tex=` of the catalog (the LaTeX the post wrote, kept for the exports) means the
expression that is checked: read with the note reader, names mapped to the derivation's
symbols, compared at sample points inside the domains with the project's numeric module.
A mismatch fails with the derivation and the step."""
from __future__ import annotations

import pytest

from tests.output.test_render import bound_symbols, equivalent, read_back, to_context
from verifier.model.catalog import load_catalog, occurrence_key
from verifier.model.chain import Derivation
from verifier.notes import reader as reader_mod

CATALOG = load_catalog()
WITH_TEX = [d for d in CATALOG if any(s.tex for c in d.chains for s in c.steps)]


def tex_failures(d: Derivation) -> list[str]:
    failures = []
    for c in d.chains:
        for k, step in enumerate(c.steps):
            if not step.tex:
                continue
            where = f"{occurrence_key(d)}, {c.name}, " + ("start" if k == 0 else f"step {k}")
            try:
                _sense, _over, e = read_back(step.tex, d)
            except reader_mod.ReadError as exc:
                failures.append(f"{where}: cannot read {step.tex!r}: {exc}")
                continue
            e = to_context(e, d, bound_symbols(step.expr))
            why = equivalent(step.expr, e, d)
            if why:
                failures.append(f"{where}: {step.tex!r} means {e}, not the checked {step.expr}: {why}")
    return failures


def test_the_posts_latex_is_kept_for_many_steps():
    steps = sum(1 for d in CATALOG for c in d.chains for s in c.steps if s.tex)
    assert len(WITH_TEX) >= 8 and steps >= 30, (len(WITH_TEX), steps)


@pytest.mark.parametrize("d", WITH_TEX, ids=[occurrence_key(d) for d in WITH_TEX])
def test_tex_means_the_checked_expression(d):
    failures = tex_failures(d)
    assert not failures, "\n".join(failures)


def test_a_wrong_tex_fails_with_its_step():
    d = next(d for d in WITH_TEX if d.id == "gaussian-mle-mse")
    step = next(s for c in d.chains for s in c.steps if s.tex and "(y_i - f_i)^2" in s.tex)
    good = step.tex
    try:
        step.tex = good.replace("(y_i - f_i)^2", "(y_i + f_i)^2")
        failures = tex_failures(d)
    finally:
        step.tex = good
    assert failures and "gaussian-mle-mse@000" in failures[0] and "differ at" in failures[0]
