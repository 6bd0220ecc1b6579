"""Definite integrals evaluated by quadrature of their compiled integrand (engine/compiled.py),
and the proof search bounded by a share of the budget (engine/pool.within_share): a note that
defines the Beta function by its integral gets its wrong steps refuted with a counterexample
that mpmath's own Beta function confirms, its right steps (rewritten as people write them)
checked, never refuted, and no step lost to a timeout."""
from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from verifier.engine.compiled import NotNumeric, compiled, quadrature
from verifier.engine.evidence import undefined_value
from verifier.engine.numeric import Point
from verifier.model.limits import DEFAULT_BUDGET
from verifier.notes.check import check_text

a, b, t, x, y = sp.symbols("a b t x y", positive=True)
BETA = sp.Integral(t ** (a - 1) * (1 - t) ** (b - 1), (t, 0, 1))


def _at(expr, dps=30, **values):
    point = Point({s: mpmath.mpf(values[s.name]) for s in expr.free_symbols}, {}, {})
    return compiled(expr)(point, dps)


def test_the_beta_integral_is_the_beta_function_at_30_and_at_60_digits():
    for dps in (30, 60):
        with mpmath.workdps(dps + 5):
            want = mpmath.beta(mpmath.mpf("2.5"), mpmath.mpf("1.5"))
        assert abs(_at(BETA, dps, a="2.5", b="1.5") - want) < want * mpmath.mpf(10) ** (-(dps - 5))


def test_a_bound_variable_is_kept_apart_from_a_free_symbol_of_the_same_name():
    e = x + sp.Integral(x ** 2, (x, 0, x))  # x free, and bound inside: x + x^3/3
    assert abs(_at(e, x="1.5") - (mpmath.mpf("1.5") + mpmath.mpf("1.5") ** 3 / 3)) < 1e-25
    assert compiled(sp.Integral(x * y, (x, 0, y), (y, 0, 1))) is None  # nested: SymPy's evalf
    factor = sp.Integral(t * x / BETA, (t, 0, 1))  # a factor free of t is taken out
    assert abs(_at(factor, a="2", b="3", x="3") - 3 * mpmath.mpf(1) / 2 / mpmath.beta(2, 3)) < 1e-20


@pytest.mark.parametrize("integrand, low, high", [
    (lambda s: 1 / s, 0, 1),  # divergent
    (lambda s: 1 / (s - mpmath.mpf("0.3")), 0, 1),  # a pole inside
    (lambda s: 1 / mpmath.sqrt(abs(s)), -1, 1),  # integrable, but a node falls on the singularity
])
def test_a_quadrature_that_cannot_vouch_for_its_value_gives_none_and_never_an_undefined_value(integrand, low, high):
    with mpmath.workdps(30), pytest.raises(NotNumeric) as err:
        quadrature(integrand, low, high)
    assert not undefined_value(str(err.value))  # the method failed: no refutation may rest on it


def test_a_strong_endpoint_singularity_is_either_resolved_or_no_value():
    with mpmath.workdps(30):
        try:
            v = quadrature(lambda s: s ** mpmath.mpf("-0.95"), 0, 1)
        except NotNumeric:
            return
        assert abs(v - 20) < 1e-14


CHAPTER = r"""# The Beta–Binomial model

Throughout, $a > 0$ and $b > 0$ are the prior's pseudo-counts, and the Beta function is

$$
B(a, b) = \int_0^1 t^{a-1} (1 - t)^{b-1} \, dt
$$

It is finite for every positive $a, b$, and it normalises the Beta density

$$
p(\theta) = \frac{\theta^{a-1} (1 - \theta)^{b-1}}{B(a, b)}
$$

## What follows from the definition

The classical evaluation through the Gamma function:

$$
{STEP}
$$

Each is used below when we compute the posterior mean.
"""

RIGHT = [
    r"B(a, b) = \frac{\Gamma(a)\Gamma(b)}{\Gamma(a + b)}",
    r"B(a, b) = B(b, a)",
    r"\ln B(a, b) = \ln\Gamma(a) + \ln\Gamma(b) - \ln\Gamma(a + b)",
    r"B(a + 1, b) = \frac{a}{a + b} B(a, b)",
    r"\int_0^1 \theta \cdot \frac{\theta^{a-1} (1 - \theta)^{b-1}}{B(a, b)} \, d\theta = \frac{a}{a + b}",
]

WRONG = [  # (the step, what mpmath says the left side minus the right side is at (a, b))
    (r"\ln B(a, b) = \ln\Gamma(a) + \ln\Gamma(b) + \ln\Gamma(a + b)",
     lambda p, q: mpmath.log(mpmath.beta(p, q)) - mpmath.log(mpmath.gamma(p) * mpmath.gamma(q) * mpmath.gamma(p + q))),
    (r"B(a + 1, b) = \frac{b}{a + b} B(a, b)",
     lambda p, q: mpmath.beta(p + 1, q) - q / (p + q) * mpmath.beta(p, q)),
    (r"\int_0^1 \theta \cdot \frac{\theta^{a-1} (1 - \theta)^{b-1}}{B(a, b)} \, d\theta = \frac{b}{a + b}",
     lambda p, q: mpmath.beta(p + 1, q) / mpmath.beta(p, q) - q / (p + q)),
]


def _step(latex: str) -> dict:
    # the default budget: the quadrature of B(a, b)'s integral takes 5-7 s of CPU here, too near a smaller one
    rep = check_text(CHAPTER.replace("{STEP}", latex), "beta.md", budget=DEFAULT_BUDGET, jobs=2).to_json()
    steps = [s for blk in rep["blocks"] for s in blk["steps"] if s["status"] != "noted"]
    assert len(steps) == 1, steps
    return steps[0]


@pytest.mark.parametrize("latex", RIGHT)
def test_right_steps_about_the_beta_function_are_never_refuted_nor_lost_to_a_timeout(latex):
    s = _step(latex)
    assert s["status"] in ("proved", "checked"), (s["status"], s["message"])
    # every a, b > 0 is inside the domain: where quadrature cannot vouch for a value, it says so
    assert "outside the domain" not in s["message"], s["message"]


@pytest.mark.parametrize("latex, difference", WRONG)
def test_wrong_steps_about_the_beta_function_are_refuted_where_mpmath_agrees_they_fail(latex, difference):
    s = _step(latex)
    assert s["status"] == "refuted", (s["status"], s["message"])
    cex = s["counterexample"]
    with mpmath.workdps(30):
        gap = difference(mpmath.mpf(cex["a"]), mpmath.mpf(cex["b"]))
    assert abs(gap) > 1e-6, (cex, gap)
