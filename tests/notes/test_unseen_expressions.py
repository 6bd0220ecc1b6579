"""The expression reader on ML notes nobody on the project wrote (tests/fixtures/unseen_expr/).

Each fixture is a short post with correct steps and planted wrong ones (sign slips, a dropped factor,
a wrong exponent, log of a sum split, a forgotten chain-rule factor, an index mixed up).  Whatever
the reader can or cannot read, a correct step is never `refuted` and a planted wrong step is never
`proved` or `checked`; the notation fixed here is read for its meaning, and its planted errors are
refuted at their line.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest
import sympy as sp

from verifier.model.results import CHECKED, PROVED, REFUTED, UNKNOWN, UNPARSED
from verifier.notes.check import check_text
from verifier.notes.reader import Reader
from verifier.notes.resolve import indexed_names_of
from verifier.notes.scan import ReadError

BUDGET = 10.0
FIXTURES = Path(__file__).parent.parent / "fixtures" / "unseen_expr"

# planted wrong steps, by the line of the step
WRONG = {
    "logistic_grad.md": {24, 36, 48},
    "softmax_ce.md": {12, 36},
    "bias_variance.md": {16, 26},
    "ridge.md": {16, 46},
    "bayes_two_class.md": {12, 22},
    "lse_tanh_relu.md": {14, 28, 38},
    "bernoulli.md": {16, 34, 44},
    "kl_gauss.md": {12, 28},
    "perplexity_logs.md": {13, 33, 43},
    "mse_samples.md": {16, 30},
}
# steps this reader's fixes decide: line -> the status they must have
DECIDED = {
    "logistic_grad.md": {30: PROVED, 42: PROVED, 36: REFUTED, 48: REFUTED},  # \log\sigma(wx+b) is a call
    "lse_tanh_relu.md": {14: REFUTED, 28: REFUTED, 38: REFUTED},
    "bernoulli.md": {16: REFUTED, 40: PROVED, 44: REFUTED},  # p(1-p) is a product
    "kl_gauss.md": {18: PROVED, 12: REFUTED, 28: REFUTED},  # \left. ... \right|_{...}
    "perplexity_logs.md": {13: REFUTED, 33: REFUTED, 43: REFUTED, 29: UNPARSED},  # \lg is ambiguous
    "mse_samples.md": {10: PROVED, 16: REFUTED, 22: PROVED, 26: PROVED, 30: REFUTED},  # x^{(i)}
    "softmax_ce.md": {12: REFUTED, 36: REFUTED},
    "ridge.md": {16: REFUTED},
}


def _steps(name: str):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return check_text(text, str(FIXTURES / name), budget=BUDGET).steps


@pytest.mark.parametrize("name", sorted(WRONG))
def test_no_false_alarm_and_no_false_accept(name):
    steps = _steps(name)
    assert steps, "the note has steps"
    for s in steps:
        if s.line in WRONG[name]:
            assert s.status not in (PROVED, CHECKED), (name, s.line, s.lhs, s.rhs, s.status)
        else:
            assert s.status != REFUTED, (name, s.line, s.lhs, s.rhs, s.message)
    for line, want in DECIDED.get(name, {}).items():
        got = {s.status for s in steps if s.line == line}
        assert got == {want}, (name, line, got)


def test_a_refuted_planted_error_carries_a_counterexample_in_the_notes_notation():
    steps = {s.line: s for s in _steps("mse_samples.md")}
    cex = steps[30].counterexample
    assert cex and any(k.startswith("x^{(") for k in cex), cex  # samples named as the note writes them


# ---------------------------------------------------------------------------------------
# meaning of the notation, read directly
# ---------------------------------------------------------------------------------------
x, y, z, w, b, p, m = sp.symbols("x y z w b p m")


def same(got: sp.Basic, want: sp.Basic) -> bool:
    """Equal at random points, with sigma read as the sigmoid in both (so calls are compared too)."""
    u = sp.Dummy("u")
    sig = {sp.Function("sigma"): sp.Lambda(u, 1 / (1 + sp.exp(-u)))}
    g, h = got.replace(sp.Function("sigma"), sig[sp.Function("sigma")]).doit(), \
        want.replace(sp.Function("sigma"), sig[sp.Function("sigma")]).doit()
    rnd = random.Random(5)
    syms = sorted(g.free_symbols | h.free_symbols, key=str)
    for _ in range(4):
        pt = {s: sp.Rational(rnd.randint(1, 40), 9) for s in syms}
        if abs(complex(g.subs(pt).evalf(30)) - complex(h.subs(pt).evalf(30))) > 1e-12:
            return False
    return True


sigma = sp.Function("sigma")


@pytest.mark.parametrize("tex, want", [
    (r"\log\sigma(wx+b)", sp.log(sigma(w * x + b))),  # a call right after another command
    (r"\ln \sigma(z) + 1", sp.log(sigma(z)) + 1),
    (r"2\sigma(2x) - 1", 2 * sigma(2 * x) - 1),  # a call right after a digit
    (r"p(1-p)", p * (1 - p)),  # a name applied to an expression of itself is a product
    (r"\sigma(1-\sigma)", sp.Symbol("sigma") * (1 - sp.Symbol("sigma"))),
    (r"\ln x \cdot \ln 2", sp.log(x) * sp.log(2)),  # the bare argument ends before the next function
    (r"\log^2 x \cdot \log y", sp.log(x) ** 2 * sp.log(y)),
    (r"\log_2 x \cdot \log_2 y", sp.log(x) * sp.log(y) / sp.log(2) ** 2),
    (r"\frac{1}{1-\gamma}", 1 / (1 - sp.Symbol("gamma"))),  # a name, not Euler's constant
    (r"E^2 + \Gamma", sp.Symbol("E") ** 2 + sp.Symbol("Gamma")),  # names, not e and Euler's constant
    (r"\left. x^2 + y \right|_{x=1}", 1 + y),
    (r"\left.\left(x+1\right)^2 + y\right|_{x=0, y=2} + 1", sp.Integer(4)),
])
def test_notation_is_read_for_its_meaning(tex, want):
    assert same(Reader().read(tex).expr, want), Reader().read(tex).expr


def test_word_operators_applied_to_brackets_are_calls():
    e = Reader().read(r"\operatorname{Var}(a X) + \mathrm{ReLU}(x)").expr
    assert {f.func.__name__ for f in e.atoms(sp.core.function.AppliedUndef)} == {"Var", "ReLU"}
    assert Reader().read(r"\hat{y}(1-\hat{y})").expr == sp.Symbol("yhat") * (1 - sp.Symbol("yhat"))


def test_sample_superscripts_under_a_sum_are_entries_and_labels_elsewhere_are_refused():
    e = Reader().read(r"\sum_{i=1}^{m} (x^{(i)})^2").expr
    i = sp.Symbol("i")
    assert e == sp.Sum(sp.Indexed(sp.IndexedBase(sp.Symbol("x")), i) ** 2, (i, 1, m))
    with pytest.raises(ReadError, match="label"):
        Reader().read(r"a^{(l)} + 1")


def test_T_is_a_name_and_a_sums_upper_limit():
    e = Reader().read(r"\sum_{t=1}^{T} \gamma^t r_t").expr
    assert isinstance(e, sp.Sum) and e.limits[0][2] == sp.Symbol("T")
    assert sp.Symbol("gamma") in e.free_symbols
    assert Reader().read(r"\int_0^T t\,dt").expr.doit() == sp.Symbol("T") ** 2 / 2


@pytest.mark.parametrize("tex, why", [
    (r"\theta^T x", "transpose"),  # x^T would be read as x: A^T B = B^T A would pass for matrices
    (r"w^{\top} x", "transpose"),
    (r"2^T", "transpose"),
    (r"\nabla_w L", "gradient"),  # would be the product nabla_w * L
    (r"\lg x", "base 2"),
    (r"\log x \cdot y", "log\\(x\\)y or log\\(xy\\)"),
    (r"x^2 \Big|_{x=1}", "evaluation bar"),
    (r"\left.\frac{d}{dx} x^3 \right|_{x = 2}", "derivative"),
])
def test_ambiguous_or_vector_notation_is_refused_with_the_reason(tex, why):
    with pytest.raises(ReadError, match=why):
        Reader().read(tex)


def test_a_derivative_by_an_entry_at_an_unbound_index_is_refused_not_zero():
    """d/dz_j of log sum_k e^{z_k}: read as a new name z_j the derivative would be 0 and the correct
    softmax step refuted; no sum gives j a range, so it is refused."""
    r = Reader(indexed=indexed_names_of(r"\sum_{k=1}^{K} e^{z_k}"))
    with pytest.raises(ReadError, match="no sum binds"):
        r.read(r"\frac{\partial}{\partial z_j} \log \sum_{k=1}^{K} e^{z_k}")
    assert r.read(r"z_j + 1").expr == sp.Symbol("z_j") + 1  # outside a derivative it stays a name


def test_norm_of_a_vector_whose_entries_the_note_sums_over():
    ix = indexed_names_of(r"\sum_{j=1}^{d} w_j^2")
    r = Reader(indexed=ix)
    j, d = sp.symbols("j d")
    wj = sp.Indexed(sp.IndexedBase(sp.Symbol("w")), j)
    assert r.read(r"\|w\|^2").expr == sp.Sum(wj ** 2, (j, 1, d))
    assert r.read(r"\lVert \mathbf{w} \rVert_2^2").expr == sp.Sum(wj ** 2, (j, 1, d))
    assert r.read(r"\|w\|_1").expr == sp.Sum(sp.Abs(wj), (j, 1, d))
    with pytest.raises(ReadError, match="norm"):
        r.read(r"\|v\|^2")  # components never named
    with pytest.raises(ReadError, match="norm"):
        Reader().read(r"\|w\|^2")


def test_norm_steps_in_a_note():
    text = ("Weights $w_j$, $j = 1..d$.\n\n$$\n\\sum_{j=1}^{d} w_j^2 = \\|w\\|^2\n$$\n\n"
            "$$\n\\|w\\|_2^2 = \\sum_{j=1}^{d} w_j\n$$\n")
    got = {s.line: s.status for s in check_text(text, budget=BUDGET).steps}
    assert got[4] == PROVED
    assert got[8] == REFUTED


def test_operator_and_product_readings_in_a_note():
    text = ("$$\n\\operatorname{Var}(X + Y) = \\operatorname{Var}(X) + \\operatorname{Var}(Y)\n$$\n\n"
            "$$\np - p^2 = p(1-p)\n$$\n\n$$\np - p^2 = p(1+p)\n$$\n")
    got = {s.line: s.status for s in check_text(text, budget=BUDGET).steps}
    # as a product Var*(X+Y) distributivity would prove it; for dependent X, Y it is false
    assert got[2] in (UNKNOWN, UNPARSED)
    assert got[6] == PROVED
    assert got[10] == REFUTED


def test_a_one_letter_function_defined_in_the_note_is_a_call_later():
    """u(x) = x^2 + 1 defines u; u(a+1) later is the call (read as the product u*(a+1) the correct
    step was refuted)."""
    text = "$$\nu(x) = x^2 + 1\n$$\n\n$$\nu(a+1) = a^2 + 2a + 2\n$$\n\n$$\nu(a+1) = a^2 + 2a + 1\n$$\n"
    got = {s.line: s.status for s in check_text(text, budget=BUDGET).steps}
    assert got == {6: PROVED, 10: REFUTED}
    from verifier.notes.reader import function_names_of
    assert function_names_of(r"\begin{aligned} r(t) &= 3t") == {"r"}
    assert function_names_of(r"a(b+c) = ab + ac") == set()  # a bracket of an expression: a product
    assert Reader(functions={"y"}).read(r"y(1-y)").expr == sp.Symbol("y") * (1 - sp.Symbol("y"))


def test_a_sum_without_limits_takes_the_one_range_the_note_gives_its_data():
    ix = indexed_names_of(r"\sum_{i=1}^{n} x_i")
    i, n = sp.symbols("i n")
    xi = sp.Indexed(sp.IndexedBase(sp.Symbol("x")), i)
    assert Reader(indexed=ix).read(r"\sum_i x_i^2").expr == sp.Sum(xi ** 2, (i, 1, n))
    assert Reader(indexed=ix).read(r"\sum_{i} (x_i + 1)").expr == sp.Sum(xi + 1, (i, 1, n))
    with pytest.raises(ReadError, match="without limits"):
        Reader().read(r"\sum_i x_i")  # no range anywhere
    two = indexed_names_of(r"\sum_{i=1}^{n} x_i + \sum_{i=0}^{m} x_i")
    with pytest.raises(ReadError, match="without limits"):
        Reader(indexed=two).read(r"\sum_i x_i")  # two ranges: not guessed
    text = "$$\n\\sum_{i=1}^{n} (x_i + 1) = \\sum_i x_i + n\n$$\n\n$$\n\\sum_i (x_i + 1) = \\sum_i x_i + 1\n$$\n"
    got = {s.line: s.status for s in check_text(text, budget=BUDGET).steps}
    assert got == {2: PROVED, 6: REFUTED}
