"""Every `tex=` of the catalog (the LaTeX the post wrote, kept for the exports) means the
expression that is checked.  A scalar step is read with the note reader, names mapped to the
derivation's symbols (its random variables as a note stating their laws is read: E / Var / H
of them as operators, p_X(t) the density of X's law, D_KL(X || Y) between two laws), and compared
at sample points inside the domains with the project's numeric module.  A vector or matrix step is read with the notes' matrix reader (the
derivation's matrix symbols as the shapes) and the engine must prove or check that it equals
the checked expression; where the matrix reader cannot read the notation (sums of entries,
entrywise functions, `\\mathbf 1`), the `tex=` must be the printer's own LaTeX of the checked
expression, so it cannot say something else.  A mismatch fails with the derivation and the
step."""
from __future__ import annotations

import copy
import importlib
import pkgutil

import pytest
from sympy.core.function import AppliedUndef

from tests.output.test_render import bound_symbols, equivalent, read_back, to_context
from verifier.engine.matrices.decide import decide_matrix
from verifier.model.catalog import load_catalog, occurrence_key
from verifier.model.chain import Derivation
from verifier.model.latex import to_latex
from verifier.model.results import CHECKED, PROVED
from verifier.model.random import KL, Density
from verifier.model.shapes import has_matrices
from verifier.notes import reader as reader_mod
from verifier.notes.linalg_reader import MatrixReadError
from verifier.notes.matrix_reader import read_matrix_latex
from verifier.notes.probability_reader import as_operators

CATALOG = load_catalog()
WITH_TEX = [d for d in CATALOG if any(s.tex for c in d.chains for s in c.steps)]


def by_module() -> dict[str, list[Derivation]]:
    """The catalog's derivations by the module that builds them."""
    pkg = importlib.import_module("derivations")
    out = {}
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        mod = importlib.import_module(f"derivations.{info.name}")
        out[info.name] = [make() for make in getattr(mod, "DERIVATIONS", [])]
    return out


def _call_of(name: str, nargs: int):
    return lambda a: isinstance(a, AppliedUndef) and a.func.__name__ == name and len(a.args) == nargs


def with_random_variables(e, d: Derivation):
    """The reading of a note that states the derivation's random variables (their laws): their names as
    those random variables, E / Var / H of them as the operators (``notes.probability_reader``), the
    density of X's law written p_X(t) and the KL between the laws of X and Y written D_KL(X || Y)."""
    rvs = {s.name: s for s in d.context.random}
    if not rvs:
        return e
    e = e.xreplace({s: rvs[s.name] for s in e.free_symbols if s.name in rvs})
    for name, x in rvs.items():
        e = e.replace(_call_of(f"p_{name}", 1), lambda a, x=x: Density(x, a.args[0]))
    e = e.replace(lambda a: _call_of("D_KL", 2)(a) and all(t in d.context.random for t in a.args),
                  lambda a: KL(*a.args))
    return as_operators(e, d.context)


def matrix_tex_failure(tex: str, expr, d: Derivation) -> str:
    """'' when the matrix LaTeX tex means expr (proved or checked by the engine), else why not."""
    shapes = {m.name: (str(m.shape[0]), str(m.shape[1])) for m in d.context.matrices}
    ctx = copy.deepcopy(d.context)
    known = {s.name for s in expr.free_symbols} | {m.name for m in d.context.matrices}
    try:
        read, _ = read_matrix_latex(tex, shapes, ctx)
        stray = sorted(s.name for s in read.free_symbols if s.name not in known)
        if stray:  # a function the matrix reader does not know (entrywise sigma) read as a name
            raise MatrixReadError(f"{', '.join(stray)} read as a name")
    except (MatrixReadError, ValueError, TypeError, NotImplementedError) as exc:
        if " ".join(tex.split()) == " ".join(to_latex(expr).split()):
            return ""  # the printer's LaTeX of the checked expression
        return f"the matrix reader cannot read it ({exc}) and it is not the printer's LaTeX {to_latex(expr)!r}"
    v = decide_matrix(expr, read, "=", ctx, seed=7)
    return "" if v.status in (PROVED, CHECKED) else f"read as {read}: {v.status} ({v.message})"


def tex_failures(d: Derivation) -> list[str]:
    failures = []
    for c in d.chains:
        for k, step in enumerate(c.steps):
            if not step.tex:
                continue
            where = f"{occurrence_key(d)}, {c.name}, " + ("start" if k == 0 else f"step {k}")
            if has_matrices(step.expr):
                why = matrix_tex_failure(step.tex, step.expr, d)
                if why:
                    failures.append(f"{where}: {step.tex!r}: {why}")
                continue
            try:
                _sense, _over, e = read_back(step.tex, d)
            except reader_mod.ReadError as exc:
                failures.append(f"{where}: cannot read {step.tex!r}: {exc}")
                continue
            e = with_random_variables(to_context(e, d, bound_symbols(step.expr)), d)
            why = equivalent(step.expr, e, d)
            if why:
                failures.append(f"{where}: {step.tex!r} means {e}, not the checked {step.expr}: {why}")
    return failures


def test_the_posts_latex_is_kept_for_many_steps():
    steps = sum(1 for d in CATALOG for c in d.chains for s in c.steps if s.tex)
    assert len(WITH_TEX) >= 66 and steps >= 383, (len(WITH_TEX), steps)


def test_every_step_of_the_catalog_keeps_its_latex():
    missing = [f"{name}: {occurrence_key(d)}, {c.name}, " + ("start" if k == 0 else f"step {k}")
               for name, ds in by_module().items()
               for d in ds for c in d.chains for k, s in enumerate(c.steps) if not s.tex]
    assert not missing, "\n".join(missing)


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


@pytest.mark.parametrize("d_id, good, bad", [
    ("kl-nonneg-expectation", r"D_{KL}(X \| Y)", r"D_{KL}(Y \| X)"),
    ("kl-nonneg-expectation", r"E(\log \frac{p_X(X)} {p_Y(X)})", r"E(\log \frac{p_Y(X)} {p_X(X)})"),
    ("entropy-expected-information", r"E[I(X)]", r"E[2 I(X)]"),
    ("bernoulli-mean-variance", r"\mathbb{E}[X]", r"\mathbb{E}[X^2]"),
    ("bernoulli-mean-variance", r"\operatorname{Var}(X)", r"\mathbb{E}[X]"),
    ("bernoulli-mean-variance", r"\mathbb{E}[X^2] - \mathbb{E}[X]^2", r"\mathbb{E}[X^2] + \mathbb{E}[X]^2"),
    ("gaussian-expected-nll", r"\mathbb{E}[-\log p_M(X)]", r"\mathbb{E}[-\log p_X(X)]"),
])
def test_a_wrong_probability_tex_fails_with_its_step(d_id, good, bad):
    d = next(d for d in WITH_TEX if d.id == d_id)
    steps = [s for c in d.chains for s in c.steps if s.tex == good]
    assert steps and not tex_failures(d)
    try:
        for s in steps:
            s.tex = bad
        failures = tex_failures(d)
    finally:
        for s in steps:
            s.tex = good
    assert failures and d_id in failures[0] and "not the checked" in failures[0], failures


def _matrix_step(d_id: str, needle: str):
    d = next(d for d in WITH_TEX if d.id == d_id)
    return d, next(s for c in d.chains for s in c.steps if s.tex and needle in s.tex)


@pytest.mark.parametrize("good, bad", [
    (r"2\mathbf{X}^\top(\mathbf{X}\mathbf{w} - \mathbf{y})", r"2\mathbf{X}^\top(\mathbf{X}\mathbf{w} + \mathbf{y})"),
    (r"2\mathbf{X}^\top(\mathbf{X}\mathbf{w} - \mathbf{y})", r"2(\mathbf{X}\mathbf{w} - \mathbf{y})^\top\mathbf{X}"),
])
def test_a_wrong_matrix_tex_fails_with_its_step(good, bad):
    d, step = _matrix_step("least-squares-vector", good)
    assert not matrix_tex_failure(step.tex, step.expr, d)
    assert matrix_tex_failure(bad, step.expr, d)


def test_an_unreadable_matrix_tex_must_be_the_printers():
    d = next(d for d in WITH_TEX if d.id == "backprop-two-layer")
    step = next(s for c in d.chains for s in c.steps[1:] if s.tex)
    assert not matrix_tex_failure(step.tex, step.expr, d)
    assert "cannot read" in matrix_tex_failure(r"\sum_j v_j h_j - y", step.expr, d)
