"""Reader gaps found by the export round trip, and their relatives in notes as people write them.

Each construct is read for its meaning (compared with the intended SymPy expression at random
points, or structurally), and in a note a wrong step using it is refuted while the correct one
is not.  Notation that cannot be read safely must come out `unparsed` with the fragment quoted,
never as different mathematics.
"""
from __future__ import annotations

import random

import pytest
import sympy as sp

from verifier.model.results import PROVED, REFUTED, UNKNOWN, UNPARSED
from verifier.notes.check import check_text
from verifier.notes.reader import Reader
from verifier.notes.scan import ReadError

BUDGET = 10.0
t, x, y, w, a, b, z = sp.symbols("t x y w a b z")


def read(s: str, **kw):
    return Reader(**kw).read(s)


def same(got: sp.Basic, want: sp.Basic, trials: int = 5) -> bool:
    """got and want agree (after doit) at random real points of their free symbols."""
    g, h = sp.sympify(got).doit(), sp.sympify(want).doit()
    syms = sorted(g.free_symbols | h.free_symbols, key=str)
    rnd = random.Random(3)
    for _ in range(trials):
        pt = {s: sp.Rational(rnd.randint(-30, 30), 7) + sp.Rational(1, 3) for s in syms}
        dg, dh = g.subs(pt).evalf(30), h.subs(pt).evalf(30)
        if abs(complex(dg) - complex(dh)) > 1e-12 * (1 + abs(complex(dh))):
            return False
    return True


def statuses(text: str, **kw) -> dict[int, str]:
    """line -> status of the (single) step on that line."""
    rep = check_text(text, budget=BUDGET, **kw)
    return {s.line: s.status for s in rep.steps}


def note(*lines: str) -> str:
    return "\n".join(f"$${ln}$$" for ln in lines) + "\n"


# ---------------------------------------------------------------------------------------
# derivatives in Leibniz notation: never a product of d's
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("tex, want", [
    (r"\frac{d^{2}}{dt^{2}}(t^3)", sp.Derivative(t ** 3, (t, 2))),
    (r"\frac{d^{2}}{dt^{2}} (- \log t)", sp.Derivative(-sp.log(t), (t, 2))),
    (r"\dfrac{d^2}{dt^2}\left(t^{4}\right)", sp.Derivative(t ** 4, (t, 2))),
    (r"\frac{d}{dx} \sin(x)", sp.Derivative(sp.sin(x), x)),
    (r"\frac{\mathrm{d}}{\mathrm{d}x} x^3 + x", sp.Derivative(x ** 3, x) + x),
    (r"\frac{\mathrm d}{\mathrm dx}\Bigl(x^3\Bigr)", sp.Derivative(x ** 3, x)),
    (r"\tfrac{\partial}{\partial w} w^2 y", sp.Derivative(w ** 2 * y, w)),
    (r"2\frac{d}{dx}x^2", 2 * sp.Derivative(x ** 2, x)),
    (r"\frac{\partial^2}{\partial x \partial y} (x^2 y^3)", sp.Derivative(x ** 2 * y ** 3, x, y)),
])
def test_leibniz_operators_are_derivatives(tex, want):
    got = read(tex).expr
    assert got.has(sp.Derivative) and same(got, want)


def test_leibniz_fractions_with_an_expression_on_top():
    f, L, yhat, q_j, q_l = sp.symbols("f L yhat q_j q_l")
    assert read(r"\frac{d f}{d x}").expr == sp.Derivative(f, x)
    assert read(r"\frac{d^2 y}{dx^2}").expr == sp.Derivative(y, (x, 2))
    assert read(r"\frac{\partial^{2} f}{\partial x^{2}}").expr == sp.Derivative(f, (x, 2))
    assert read(r"\frac{\partial^2 f}{\partial x \partial y}").expr == sp.Derivative(f, x, y)
    assert read(r"\frac{\partial L}{\partial \hat{y}}").expr == sp.Derivative(L, yhat)
    got = read(r"\frac{\partial^{2} D_{\mathrm{KL}}(p, q)}{\partial q_{j} \partial q_{l}}").expr
    assert isinstance(got, sp.Derivative) and got.variables == (q_j, q_l)
    # chain rule written as a product of three derivatives
    got = read(r"\frac{\partial L}{\partial \hat{y}} \frac{\partial \hat{y}}{\partial z} "
               r"\frac{\partial z}{\partial w}").expr
    assert got == sp.Derivative(L, yhat) * sp.Derivative(yhat, z) * sp.Derivative(z, w)


@pytest.mark.parametrize("tex", [
    r"\frac{d^2 y}{dx}",  # orders differ
    r"\frac{d}{dt}(t^2) t",  # is t inside the derivative or not?
    r"\frac{\partial}{\partial w}",  # no operand
    r"\frac{\partial f}{\partial (x + y)}",
])
def test_ambiguous_or_broken_derivatives_are_read_errors(tex):
    with pytest.raises(ReadError):
        read(tex)


def test_plain_fractions_with_a_letter_d_stay_fractions():
    d, d_1, d_2 = sp.symbols("d d_1 d_2")
    assert read(r"\frac{d}{x}").expr == d / x
    assert read(r"\frac{d_1}{d_2}").expr == d_1 / d_2


def test_derivative_steps_in_a_note():
    st = statuses(note(r"\frac{d^{2}}{dt^{2}}\left(t^3\right) = 6t",
                       r"\frac{d^{2}}{dt^{2}}\left(t^3\right) = 3t^2",
                       "f = x^2 y^3",
                       r"\frac{\partial^{2} f}{\partial x \partial y} = 6 x y^2",
                       r"\frac{\partial^{2} f}{\partial x \partial y} = 6 x y",
                       r"L = (\hat{y} - y)^2",
                       r"\frac{\partial L}{\partial \hat{y}} = 2(\hat{y} - y)",
                       r"\frac{\partial L}{\partial \hat{y}} = 2(y - \hat{y})"))
    assert st == {1: PROVED, 2: REFUTED, 4: PROVED, 5: REFUTED, 7: PROVED, 8: REFUTED}


# ---------------------------------------------------------------------------------------
# primes: f'', sigma''(0), f^{(2)}(x)
# ---------------------------------------------------------------------------------------
def test_repeated_primes_are_higher_derivatives():
    f = sp.Function("f")
    assert read("f''(x)").expr == sp.Derivative(f(x), (x, 2))
    assert read(r"f^{\prime\prime}(x)").expr == sp.Derivative(f(x), (x, 2))
    assert read("f^{(2)}(x)").expr == sp.Derivative(f(x), (x, 2))  # not f(x)**2
    e = read(r"\sigma''(0)").expr
    s = sp.Function("sigma")
    assert same(e.replace(s, sp.Lambda(z, sp.exp(3 * z))), sp.Integer(9))  # (e^{3z})'' at 0
    for bad in ("a^{(2)}", "f^{(n)}(x)", "x^{(l)} + 1"):  # layer labels, orders that are not numbers
        with pytest.raises(ReadError, match="superscript in parentheses"):
            read(bad)
    assert same(read(r"\hat{y}^y(1-\hat{y})^{(1-y)}").expr,
                sp.Symbol("yhat") ** y * (1 - sp.Symbol("yhat")) ** (1 - y))  # a bracketed exponent stays a power


def test_prime_steps_in_a_note():
    st = statuses(note(r"\sigma''(0) = 0", r"\sigma''(0) = \frac{1}{4}", r"\sigma'(0) = \frac{1}{4}",
                       "f(x) = x^4", "f''(x) = 12x^2", "f''(x) = 4x^3"))
    assert st == {1: PROVED, 2: REFUTED, 3: PROVED, 5: PROVED, 6: REFUTED}


# ---------------------------------------------------------------------------------------
# integrals: each \int ends at its own differential
# ---------------------------------------------------------------------------------------
def test_integrals_end_at_their_differentials():
    A, B = sp.symbols("A B")
    assert read(r"\int A\,dy - \int B\,dy").expr == sp.Integral(A, y) - sp.Integral(B, y)
    e = read(r"\int_0^1 x\,\mathrm{d}x - \int_{0}^{1} x^2 dx").expr
    assert e.atoms(sp.Integral) and same(e, sp.Rational(1, 6))
    e = read(r"\int_0^1\int_0^2 x y\,dx\,dy").expr  # inner dx, outer dy
    assert e == sp.Integral(x * y, (x, 0, 2), (y, 0, 1))
    e = read(r"\int_{-\infty}^{\infty} q(z) \log [q(z)] d z-\int_{-\infty}^{\infty} q(z) \log [p(z)] d z").expr
    assert isinstance(e, sp.Add) and len(e.atoms(sp.Integral)) == 2
    for bad in (r"\int_0^1 x", r"\int dx\, x^2", r"\oint f\,dz"):
        with pytest.raises(ReadError):
            read(bad)


def test_integral_steps_in_a_note():
    st = statuses(note(r"\int_0^1 x\,dx - \int_0^1 x^2\,dx = \frac{1}{6}",
                       r"\int_0^1 x\,dx - \int_0^1 x^2\,dx = \frac{1}{2}"))
    assert st == {1: PROVED, 2: REFUTED}


# ---------------------------------------------------------------------------------------
# arg min / arg max spellings; min_x is a value, not an argmin
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("op, sense", [
    (r"\operatorname*{arg\,min}_{w}", "min"), (r"\operatorname*{arg\,max}_{w}", "max"),
    (r"\operatorname{argmin}_{w}", "min"), (r"\arg\min_{w}", "min"), (r"\arg\max\limits_{w}", "max"),
    (r"\underset{w}{\arg\min}", "min"), (r"\underset{w}{\operatorname{arg\,max}}", "max"),
    (r"\mathop{\mathrm{argmin}}_w", "min"), (r"\mathop{\mathrm{arg\,max}}_{w}", "max"),
    (r"\mathrm{arg\,min}_w", "min"), (r"\argmax_w", "max"),
])
def test_arg_min_max_spellings(op, sense):
    p = read(op + r" \left[(w - 1)^2\right]")
    assert (p.sense, p.over) == (sense, ("w",))
    assert same(p.expr, (w - 1) ** 2)


def test_argmin_steps_in_a_note():
    st = statuses(note(r"\operatorname*{arg\,min}_{w} (w-1)^2 = \operatorname*{arg\,min}_{w} (w^2 - 2w)",
                       r"\operatorname*{arg\,min}_{w} (w-1)^2 = \operatorname*{arg\,min}_{w} (w^2 - 3w)",
                       r"\mathop{\mathrm{argmax}}_w \log w - w = \mathop{\mathrm{argmax}}_w 2\log w - 2w"))
    assert st == {1: PROVED, 2: REFUTED, 3: PROVED}


def test_min_over_a_variable_is_a_value_and_unparsed():
    # min_x (x^2 + 1) = min_x x^2 is false as values, true as argmins: never read as argmin
    for tex in (r"\min_x (x^2 + 1)", r"\max_{w} w(1-w)", r"\underset{x}{\min} x^2"):
        with pytest.raises(ReadError, match="optimal value"):
            read(tex)
    st = statuses(note(r"\min_x (x^2 + 1) = \min_x x^2"))
    assert st == {1: UNPARSED}


# ---------------------------------------------------------------------------------------
# max(a, b), min(a, b)
# ---------------------------------------------------------------------------------------
def test_max_min_of_lists():
    assert read(r"\max(a, b)").expr == sp.Max(a, b)
    assert read(r"\min(a,b) + 1").expr == sp.Min(a, b) + 1
    e = read(r"\max\left(L\left(\frac{1}{10}\right), L\left(\frac{1}{5}\right), L\left(\frac{7}{10}\right)\right)").expr
    assert isinstance(e, sp.Max) and len(e.args) == 3
    assert same(read(r"\max\{0, x\}").expr.subs(x, -2), 0)
    for bad in (r"\max_{i} x_i + 1", r"\sup(a, b)"):
        with pytest.raises(ReadError):
            read(bad)
    st = statuses(note(r"\max(a, b) = \frac{a + b + |a - b|}{2}", r"\min(a, b) = \frac{a + b + |a - b|}{2}"))
    assert st[2] == REFUTED and st[1] != REFUTED


# ---------------------------------------------------------------------------------------
# Kronecker delta and subscripts under sums
# ---------------------------------------------------------------------------------------
def test_kronecker_delta_over_indices():
    j, l = sp.symbols("j l")
    assert read(r"\frac{p_{j} \delta_{jl}}{q_{j}^{2}}").expr.has(sp.KroneckerDelta(j, l))
    e = read(r"\sum_{j=1}^{n} \delta_{j,l} x_j").expr
    assert e.has(sp.KroneckerDelta(j, l))
    assert read(r"\delta_{ab}").expr == sp.Symbol("delta_ab")  # not indices by convention ...
    assert read(r"\delta_{ab}", indices={"a", "b"}).expr == sp.KroneckerDelta(a, b)  # ... unless declared
    assert read(r"\delta_j").expr == sp.Symbol("delta_j")  # one subscript: a name (e.g. a backprop error)


def test_kronecker_steps_in_a_note():
    st = statuses(note(r"\sum_{i=1}^{n}\sum_{j=1}^{n} \delta_{ij} a_i b_j = \sum_{i=1}^{n} a_i b_i",
                       r"\sum_{i=1}^{n}\sum_{j=1}^{n} \delta_{ij} a_i b_j = \sum_{i=1}^{n} a_i",
                       r"\delta_{jl} p_j = 0"))
    assert st[1] in (PROVED, "checked") and st[2] == REFUTED
    assert st[3] == UNKNOWN  # j, l free: their range is unknown; never sampled as real numbers


def test_subscripts_with_summation_indices():
    X = sp.IndexedBase("x")
    i, j = sp.symbols("i j")
    assert read(r"\sum_{i=1}^{n}\sum_{j=1}^{m} x_{ij}").expr.has(X[i, j])
    assert read(r"\sum_{i=1}^{n}\sum_{j=1}^{m} x_{i,j}").expr.has(X[i, j])
    assert read(r"\sum_{i=1}^{n} (x_{i+1} - x_i)").expr.has(X[i + 1])
    assert read(r"\sum_{i=1}^{n} x_{2i}").expr.has(X[2 * i])
    with pytest.raises(ReadError, match="mixes"):
        read(r"\sum_{i=1}^{n} w_{in}")
    assert read(r"\sum_{i=1}^{n} L_{mse}").expr.has(sp.Symbol("L_mse"))
    st = statuses(note(r"\sum_{i=1}^{3} (x_{i+1} - x_i) = \sum_{i=2}^{4} x_i - \sum_{i=1}^{3} x_i",
                       r"\sum_{i=1}^{3} (x_{i+1} - x_i) = \sum_{i=1}^{3} x_i - \sum_{i=1}^{3} x_i"))
    assert st == {1: PROVED, 2: REFUTED}


# ---------------------------------------------------------------------------------------
# notation as people write it
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("tex, want", [
    (r"\dfrac{a}{b} + \tfrac12", a / b + sp.Rational(1, 2)),
    (r"\left[ a + b \right]^2", (a + b) ** 2),
    (r"\Bigl( a \Bigr) \cdot \bigl(b\bigr)", a * b),
    (r"\displaystyle \frac{a}{b}\!\,", a / b),
    (r"\sum\limits_{i=1}^{3} i + \sum\nolimits_{i=1}^{3} i", sp.Integer(12)),
    (r"e^{x} - \exp(x) + \exp x", sp.exp(x)),
    (r"\log_{2} x", sp.log(x) / sp.log(2)),
    (r"\log x", sp.log(x)),
    (r"a + b.", a + b),
    (r"a + b,", a + b),
    (r"a + b \quad", a + b),
    (r"\mathrm{e}^{x}", sp.exp(x)),
])
def test_everyday_notation_reads_as_meant(tex, want):
    assert same(read(tex).expr, want)


def test_softmax_is_a_function():
    e = read(r"\operatorname{softmax}(z)").expr
    assert e.func.__name__ == "softmax" and e.args == (z,)


@pytest.mark.parametrize("tex, why", [
    (r"x^2 \quad (x > 0)", "quad"),
    (r"\sum_{i=1}^n x_i \quad \text{for } i=1..n", "quad"),
    (r"x^2 \text{ for all } x", "remark"),
    (r"\|x\|^2", "norm"),
    (r"x^\top y", "parser"),
    (r"\lg x", "parser"),
])
def test_remarks_and_unsupported_notation_are_read_errors(tex, why):
    with pytest.raises(ReadError, match=why if why != "remark" else "remark|condition"):
        read(tex)


def test_a_condition_after_quad_is_unparsed_not_a_factor():
    rep = check_text(note(r"\sqrt{x^2} = x \quad (x > 0)", r"x \cdot 2 = 2x \quad \text{for all } x"),
                     budget=BUDGET)
    assert [s.status for s in rep.steps] == [UNPARSED, UNPARSED]
    assert "(x > 0)" in rep.steps[0].message  # the fragment is quoted


def test_entries_outside_sums_are_entries_of_the_data():
    """x_1, x_n, x_{n+1} outside a sum, in a note that sums over x_i, are entries of x (not new names)."""
    st = statuses(note(r"\sum_{i=1}^{2} x_i = x_1 + x_2", r"\sum_{i=1}^{2} x_i = x_1 + 2x_2",
                       r"\sum_{i=1}^{n} (x_{i+1} - x_i) = x_{n+1} - x_1",
                       r"\sum_{i=1}^{n} (x_{i+1} - x_i) = x_{n} - x_1"))
    assert st[1] == PROVED and st[2] == REFUTED and st[3] in (PROVED, "checked") and st[4] == REFUTED
    X, n = sp.IndexedBase("x"), sp.Symbol("n")
    r = Reader(indexed={"x": {"n"}})
    assert r.read("x_1 + x_{n+1} + y_1").expr == X[1] + X[n + 1] + sp.Symbol("y_1")
