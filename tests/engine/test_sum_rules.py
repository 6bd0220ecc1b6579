"""Rules and sign facts for sums: concrete sums written out, alpha-equivalent sums unified,
hyperbolic functions as exponentials, and signs of a sum minus one of its terms."""
from __future__ import annotations

import sympy as sp
from sympy import Eq, Piecewise, Product, Sum, exp

from verifier.engine.decide import decide
from verifier.engine.problem import Problem
from verifier.engine.rules.alpha import unify_bound_names
from verifier.engine.rules.finite_sums import write_out
from verifier.engine.signs import sign_holds
from verifier.model.chain import Derivation
from verifier.model.results import PROVED, REFUTED


def test_write_out_concrete_limits_only():
    k, j = sp.symbols("k j", integer=True)
    N = sp.Symbol("N", integer=True, positive=True)
    f = sp.Function("f")
    assert write_out(Sum(f(k), (k, 0, 2))) == f(0) + f(1) + f(2)
    assert write_out(Product(f(k), (k, 1, 2))) == f(1) * f(2)
    assert write_out(Sum(f(k) * f(j), (k, 1, 2), (j, 1, N))) == Sum(f(1) * f(j) + f(2) * f(j), (j, 1, N))
    assert write_out(Sum(f(k), (k, 1, N))) == Sum(f(k), (k, 1, N))
    assert write_out(Sum(f(k), (k, 1, 10**4))) == Sum(f(k), (k, 1, 10**4))  # too many terms: left alone


def test_alpha_equivalent_sums_are_unified_but_different_ones_are_not():
    D = Derivation("a", "alpha")
    n = D.size("n")
    i, j = D.index("i", n), D.index("j", n)
    x = D.vector("x", "real")
    e = Sum(exp(x[j]), (j, 1, n)) / Sum(exp(x[i]), (i, 1, n))
    assert unify_bound_names(e) == 1
    other = Sum(exp(x[j]), (j, 1, n)) / Sum(exp(2 * x[i]), (i, 1, n))
    assert unify_bound_names(other) == other
    # a wrong 'renaming' is refuted, not proved
    v = decide(Problem(Sum(exp(x[j]), (j, 1, n)), Sum(exp(x[i]), (i, 1, n - 1)) + 0, "=", D.context))
    assert v.status == REFUTED


def test_only_constructs_of_one_kind_and_bounds_are_compared_and_all_such_twins_are_found():
    D = Derivation("a", "alpha twins")
    n, m = D.size("n"), D.size("m")
    i, j, k = D.index("i", n), D.index("j", n), D.index("k", n)
    x = D.vector("x", "real")
    nested = Sum(Sum(x[i] * x[j], (j, 1, i)), (i, 1, n))
    twin = Sum(Sum(x[k] * x[j], (j, 1, k)), (k, 1, n))  # the outer index renamed; an inner bound names it
    assert unify_bound_names(nested - twin) == 0
    assert unify_bound_names(sp.Product(x[i], (i, 1, n)) / sp.Product(x[j], (j, 1, n))) == 1
    near = [Sum(x[i], (i, 1, n)) - Sum(x[j], (j, 1, m)),        # other bounds
            Sum(x[i], (i, 1, n)) - sp.Product(x[j], (j, 1, n)),  # another kind
            Sum(x[i], (i, 0, n - 1)) - Sum(x[j], (j, 1, n)),     # one range shifted: equal only after a shift
            nested - Sum(Sum(x[k] * x[j], (j, 1, n)), (k, 1, n))]  # an inner bound that differs
    for e in near:
        assert unify_bound_names(e) == e, e
    # a bound that names a free variable spelt like the sum's own (the i of i = 1..i is the outer i): twins
    assert Sum(x[i], (i, 1, i)).as_dummy() == Sum(x[j], (j, 1, i)).as_dummy()
    assert unify_bound_names(Sum(x[i], (i, 1, i)) - Sum(x[j], (j, 1, i))) == 0


def test_tanh_bounds_are_proved_and_a_wrong_one_refuted():
    D = Derivation("h", "tanh")
    z = D.symbol("z", "real")
    assert decide(Problem(sp.tanh(z), sp.Integer(1), "<", D.context)).status == PROVED
    assert decide(Problem(sp.Integer(-1), sp.tanh(z), "<", D.context)).status == PROVED
    assert decide(Problem(sp.tanh(z), sp.Rational(9, 10), "<", D.context)).status == REFUTED


def test_sum_minus_one_of_its_terms():
    D = Derivation("s", "signs")
    n = D.size("n", minimum=2)
    i, j = D.index("i", n), D.index("j", n)
    x = D.vector("x", "real")
    S = Sum(exp(x[i]), (i, 1, n))
    assert sign_holds(S - exp(x[j]), D.context, strict=True)
    assert not sign_holds(S - 2 * exp(x[j]), D.context, strict=False)  # not a term of the sum
    assert not sign_holds(Sum(x[i], (i, 1, n)) - x[j], D.context, strict=False)  # summands of any sign
    D1 = Derivation("s1", "n >= 1")
    n1 = D1.size("n")
    i1, j1 = D1.index("i", n1), D1.index("j", n1)
    x1 = D1.vector("x", "real")
    S1 = Sum(exp(x1[i1]), (i1, 1, n1))
    assert sign_holds(S1 - exp(x1[j1]), D1.context, strict=False)
    assert not sign_holds(S1 - exp(x1[j1]), D1.context, strict=True)  # n = 1 leaves nothing
    # an index whose range is not inside the sum's range
    k = D.index("k", n + 1)
    assert not sign_holds(S - exp(x[k]), D.context, strict=False)


def test_piecewise_distribution_over_two_outcomes_sums_to_its_terms():
    D = Derivation("p", "two outcomes")
    y = D.symbol("y", "real")
    k = sp.Symbol("k", integer=True)
    P = Piecewise((y, Eq(k, 1)), (1 - y, True))
    assert decide(Problem(Sum(P, (k, 0, 1)), sp.Integer(1), "=", D.context)).status == PROVED
    assert decide(Problem(Sum(P, (k, 0, 1)), 2 * y, "=", D.context)).status == REFUTED
