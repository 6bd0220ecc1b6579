"""One-hot / Kronecker collapse, the 0 log 0 convention, limits, witnesses, convexity and
maximum-entropy claims: right steps proved, wrong ones refuted or unknown, never proved."""
from __future__ import annotations

import sympy as sp
from sympy import Derivative, KroneckerDelta, Limit, Sum, log, oo

from verifier.engine.decide import decide
from verifier.engine.limits import XLogX, prove_extended_equal, value_at
from verifier.engine.problem import Problem
from verifier.engine.rules.onehot import collapse_kronecker, collapse_onehot
from verifier.model.chain import Derivation
from verifier.model.results import PROVED, REFUTED, UNKNOWN


def _ctx():
    D = Derivation("t", "one-hot")
    n = D.size("n")
    i = D.index("i", n)
    j = D.index("j", n)
    p = D.vector("p", "onehot", over=i)
    q = D.vector("q", "probability", over=i)
    return D, n, i, j, p, q, D.context.onehot_hot[p]


def _decide(D, lhs, rhs, relation="=", **kw):
    return decide(Problem(lhs, rhs, relation, D.context, **kw))


def _at(expr, values: dict, first: dict):
    return sp.N(expr.xreplace(first).xreplace(values), 50)


# ----------------------------------------------------------------------------------------
# Kronecker delta and one-hot sums
# ----------------------------------------------------------------------------------------
def test_kronecker_sum_collapses_only_inside_its_range():
    D, n, i, j, p, q, k = _ctx()
    m = D.size("m")
    r = D.index("r", m)  # an index over a different range
    s = Sum(KroneckerDelta(i, j) * q[i] ** 2 + q[i], (i, 1, n))
    out = collapse_kronecker(s, D.context)
    assert sp.simplify(out - (q[j] ** 2 + Sum(q[i], (i, 1, n)))) == 0
    s2 = Sum(KroneckerDelta(i, r) * q[i], (i, 1, n))
    assert collapse_kronecker(s2, D.context) == s2  # r may exceed n: left alone
    assert collapse_kronecker(Sum(KroneckerDelta(i, 2) * q[i], (i, 1, 5)), D.context) == q[2]
    assert collapse_kronecker(Sum(KroneckerDelta(i, 7) * q[i], (i, 1, 5)), D.context) != q[7]


def test_onehot_sum_collapses_to_the_hot_term():
    D, n, i, j, p, q, k = _ctx()
    out = collapse_onehot(-Sum(p[i] * log(q[i]), (i, 1, n)), D.context)
    assert sp.simplify(sp.expand(out.doit()) + log(q[k])) == 0
    # a plain 0 log 0 is undefined: no collapse without the convention
    plain = -Sum(p[i] * log(p[i]), (i, 1, n))
    assert collapse_onehot(plain, D.context) == plain
    assert collapse_onehot(-Sum(XLogX(p[i]), (i, 1, n)), D.context).doit() == 0


def test_onehot_cross_entropy_step_proved_and_wrong_ones_refuted():
    D, n, i, j, p, q, k = _ctx()
    ce = -Sum(p[i] * log(q[i]), (i, 1, n))
    assert _decide(D, ce, -log(q[k])).status == PROVED
    for wrong in (-log(q[k]) - 1, -2 * log(q[k]), -Sum(log(q[i]), (i, 1, n))):
        v = _decide(D, ce, wrong)
        assert v.status == REFUTED, (wrong, v.status, v.message)
        cex = v.counterexample
        size = int(cex["n"])
        first = {n: size, k: int(float(cex[str(k)]))}
        values = {p[t]: sp.Integer(int(float(cex[f"p[{t}]"]))) for t in range(1, size + 1)}
        values.update({q[t]: sp.Float(cex[f"q[{t}]"], 50) for t in range(1, size + 1)})
        lhs, rhs = _at(ce.xreplace(first).doit(), values, first), _at(wrong.xreplace(first).doit(), values, first)
        assert abs(lhs - rhs) > 1e-10


def test_entropy_of_onehot_needs_the_convention():
    D, n, i, j, p, q, k = _ctx()
    t = sp.Symbol("t", positive=True)
    # with the convention written in (XLogX), the entropy is 0
    assert _decide(D, -Sum(XLogX(p[i]), (i, 1, n)), sp.Integer(0)).status == PROVED
    assert _decide(D, -Sum(XLogX(p[i]), (i, 1, n)), -(n - 1) * Limit(t * log(t), t, 0, "+")).status == PROVED
    # a wrong value is refuted
    assert _decide(D, -Sum(XLogX(p[i]), (i, 1, n)), log(n)).status == REFUTED
    # without it, p log p at 0 is undefined: never proved
    assert _decide(D, -Sum(p[i] * log(p[i]), (i, 1, n)), sp.Integer(0)).status != PROVED


def test_xlogx_is_t_log_t_with_its_limit_at_zero():
    t = sp.Symbol("t", positive=True)
    assert XLogX(0) == sp.limit(t * log(t), t, 0, "+") == 0
    assert XLogX(t) == t * log(t)
    assert XLogX(sp.Rational(1, 2)) == -log(2) / 2
    x = sp.Symbol("x", nonnegative=True)
    assert sp.diff(XLogX(x), x) == log(x) + 1
    assert isinstance(XLogX(x), XLogX)  # x may be 0: stays as the convention function
    assert isinstance(XLogX(-1), XLogX)  # undefined for negatives: left unevaluated
    assert sp.N(XLogX(sp.Float("0.25", 30)), 20) == sp.N(sp.Rational(1, 4) * log(sp.Rational(1, 4)), 20)


def test_normalisation_with_constants_and_other_index_names():
    from verifier.engine.normal import normal_form

    D, n, i, j, p, q, k = _ctx()
    c = D.symbol("c", "real")
    assert normal_form(Sum(c * q[j], (j, 1, n)), D.context) == c
    assert normal_form(Sum(3 * q[i] + p[i], (i, 1, n)), D.context) == 4  # one-hot p sums to 1 too
    partial = normal_form(Sum(q[i], (i, 1, n - 1)), D.context)
    assert partial != 1 and partial.has(sp.Sum)  # a partial sum is not normalised


# ----------------------------------------------------------------------------------------
# limits
# ----------------------------------------------------------------------------------------
def test_limits_right_proved_wrong_refuted():
    D = Derivation("t", "limits")
    p = sp.Symbol("p", positive=True)
    lim = Limit(-log(p), p, 0, "+")
    assert _decide(D, lim, oo).status == PROVED
    for wrong in (sp.Integer(0), -oo, sp.Integer(10**6)):
        v = _decide(D, lim, wrong)
        assert v.status == REFUTED, (wrong, v.status)
        assert v.counterexample["lhs"] == "+inf"
    assert _decide(D, Limit(p * log(p), p, 0, "+"), sp.Integer(0)).status == PROVED
    v = _decide(D, Limit(p * log(p), p, 0, "+"), sp.Integer(1))
    assert v.status == REFUTED
    assert prove_extended_equal(lim, -oo) is None
    assert prove_extended_equal(lim, oo) is not None


def test_value_at_uses_the_one_sided_limit_only_where_substitution_fails():
    t = sp.Symbol("t", positive=True)
    x = sp.Symbol("x", nonnegative=True)
    assert value_at(x * log(x) + x + 1, x, sp.Integer(0)) == 1
    assert value_at(log(x), x, sp.Integer(0)) is None  # -oo: no finite value
    assert value_at(x**2, x, sp.Integer(3)) == 9
    assert value_at(t, t, sp.Integer(0)) == 0


# ----------------------------------------------------------------------------------------
# witnesses, convexity, maximum entropy
# ----------------------------------------------------------------------------------------
def _kl_setup():
    D = Derivation("t", "kl")
    n = D.size("n")
    i = D.index("i", n)
    p = D.vector("p", "probability", over=i)
    q = D.vector("q", "probability", over=i)
    kl = lambda a, b: Sum(a[i] * log(a[i] / b[i]), (i, 1, n))  # noqa: E731
    return D, n, i, p, q, kl


def test_witness_right_proved_wrong_unknown():
    D, n, i, p, q, kl = _kl_setup()
    h, a, b = sp.Rational(1, 2), sp.Rational(1, 4), sp.Rational(3, 4)
    good = {n: 2, p[1]: h, p[2]: h, q[1]: a, q[2]: b}
    assert _decide(D, kl(p, q), kl(q, p), "!=", witness=good).status == PROVED
    same = {n: 2, p[1]: h, p[2]: h, q[1]: h, q[2]: h}  # P = Q: both are 0
    assert _decide(D, kl(p, q), kl(q, p), "!=", witness=same).status == UNKNOWN
    mirror = {n: 2, p[1]: a, p[2]: b, q[1]: b, q[2]: a}  # symmetric pair: equal both ways
    assert _decide(D, kl(p, q), kl(q, p), "!=", witness=mirror).status == UNKNOWN
    unnormalised = {n: 2, p[1]: h, p[2]: h, q[1]: a, q[2]: a}
    v = _decide(D, kl(p, q), kl(q, p), "!=", witness=unnormalised)
    assert v.status == UNKNOWN and "sum" in v.message


def test_convexity_claims_of_the_wrong_sign_are_refuted():
    D = Derivation("t", "convexity")
    t = D.symbol("t", "positive")
    assert _decide(D, Derivative(-log(t), t, 2), sp.Integer(0), ">").status == PROVED
    v = _decide(D, Derivative(log(t), t, 2), sp.Integer(0), ">")  # log is concave
    assert v.status == REFUTED
    tv = sp.Float(v.counterexample["t"], 50)
    assert -1 / tv**2 <= 0


def test_hessian_diagonal_and_wrong_entry():
    D, n, i, p, q, kl = _kl_setup()
    j = D.index("j", n)
    h = Derivative(kl(p, q), q[j], 2)
    assert _decide(D, h, p[j] / q[j] ** 2).status == PROVED
    v = _decide(D, h, p[j] / q[j])  # a dropped power
    assert v.status == REFUTED


def test_maximum_entropy_claims():
    D, n, i, p, q, kl = _kl_setup()
    H = -Sum(p[i] * log(p[i]), (i, 1, n))
    args = {"p": p, "q": 1 / n, "index": i}
    assert _decide(D, H, log(n), "<=", lemma="gibbs", lemma_args=args).status == PROVED
    v = _decide(D, H, log(n), ">=", lemma="gibbs", lemma_args=args)  # reversed
    assert v.status == REFUTED
    v = _decide(D, H, log(n) / 2, "<=", lemma="gibbs", lemma_args=args)  # not the bound: not an instance
    assert v.status in (REFUTED, UNKNOWN)
    # uniform entries with the wrong mass (1/(n+1) sums to n/(n+1)): side condition fails
    v = _decide(D, H, log(n + 1), "<=", lemma="gibbs", lemma_args={**args, "q": 1 / (n + 1)})
    assert v.status == UNKNOWN and "sum to 1" in v.message


def test_collapse_runs_before_sums_are_written_out():
    """Import order must not matter: a one-hot sum over 1..2 collapses before write-out."""
    from verifier.engine.rules import registry as rules

    names = [f"{r.__module__}.{r.__name__}" for r in rules.RULES]
    mine = [k for k, n in enumerate(names) if n.startswith("verifier.engine.rules.onehot.")]
    writers = [k for k, n in enumerate(names) if n.startswith("verifier.engine.rules.finite_sums.")]
    assert mine and max(mine) < min(writers, default=len(names))
    D = Derivation("t", "two outcomes")
    i = D.index("i", 2)
    p = D.vector("p", "onehot", over=i)
    assert _decide(D, -Sum(XLogX(p[i]), (i, 1, 2)), sp.Integer(0)).status == PROVED
