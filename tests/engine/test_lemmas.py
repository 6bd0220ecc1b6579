"""The lemma registry: correct uses are proved; misapplied lemmas (reversed, wrong convexity,
unnormalised weights, not an instance, wrong sign of a weight, strict claims) are refuted or
unknown, never proved; refutations carry a counterexample that really violates the step."""
from __future__ import annotations

import re

import pytest
import sympy as sp
from sympy import Lambda, Sum, log

from verifier.engine.decide import decide
from verifier.engine.expand import unfold
from verifier.engine.lemmas import REGISTRY, LemmaUse, Misapplied, check_lemma
from verifier.engine.problem import Problem
from verifier.model.chain import Derivation
from verifier.model.results import PROVED, REFUTED, UNKNOWN

T = sp.Symbol("t", positive=True)
U = sp.Symbol("u", real=True)
NEG_LOG = Lambda(T, -log(T))


def _setup(weights_kind: str = "probability"):
    D = Derivation("t", "lemma test")
    n = D.size("n")
    i = D.index("i", n)
    p = D.vector("p", weights_kind, over=i)
    q = D.vector("q", "probability", over=i)
    z = D.vector("z", "positive", over=i)
    y = D.vector("y", "real", over=i)
    return D, n, i, p, q, z, y


def _decide(D, lhs, rhs, relation, name, args):
    return decide(Problem(lhs, rhs, relation, D.context, lemma=name, lemma_args=args))


def _value(expr, D, cex):
    """Evaluate expr at a counterexample independently of the engine (SymPy, 50 digits)."""
    ctx = D.context
    sizes = {s: int(cex[s.name]) for s in ctx.sizes if s.name in cex}
    e = unfold(expr, ctx.definitions).xreplace({s: sp.Integer(v) for s, v in sizes.items()})
    e = e.replace(lambda x: isinstance(x, (sp.Sum, sp.Product)), lambda x: x.doit())
    bases = {str(b.label): b for b in ctx.vectors}
    scalars = {s.name: s for s in list(ctx.scalars) + list(ctx.indices) + list(ctx.onehot_hot.values())}
    first, values = {}, {}
    for key, text in cex.items():
        m = re.fullmatch(r"(\w+)\[(\d+)\]", key)
        if m and m.group(1) in bases:
            values[bases[m.group(1)][int(m.group(2))]] = sp.Float(text, 50)
        elif key in scalars:
            s = scalars[key]
            if s in ctx.indices or s in ctx.onehot_hot.values():
                first[s] = sp.Integer(int(float(text)))
            else:
                values[s] = sp.Float(text, 50)
    return sp.N(e.xreplace(first).xreplace(values), 50)


# ----------------------------------------------------------------------------------------
# Jensen
# ----------------------------------------------------------------------------------------
def test_jensen_convex_and_concave_forms_are_proved():
    D, n, i, p, q, z, y = _setup()
    E = lambda g: Sum(p[i] * g, (i, 1, n))  # noqa: E731
    v = _decide(D, -log(E(z[i])), E(-log(z[i])), "<=", "jensen",
                {"phi": NEG_LOG, "weights": p, "values": z, "index": i})
    assert v.status == PROVED and "convex" in v.method
    v = _decide(D, log(E(z[i])), E(log(z[i])), ">=", "jensen",
                {"phi": Lambda(T, log(T)), "weights": p, "values": z, "index": i})
    assert v.status == PROVED and "concave" in v.method
    # the other orientation: E[phi(Z)] first
    v = _decide(D, E(y[i] ** 2), E(y[i]) ** 2, ">=", "jensen",
                {"phi": Lambda(U, U**2), "weights": p, "values": y, "index": i, "domain": "real"})
    assert v.status == PROVED


def test_reversed_jensen_is_refuted_with_a_real_counterexample():
    D, n, i, p, q, z, y = _setup()
    E = lambda g: Sum(p[i] * g, (i, 1, n))  # noqa: E731
    lhs, rhs = -log(E(z[i])), E(-log(z[i]))
    v = _decide(D, lhs, rhs, ">=", "jensen", {"phi": NEG_LOG, "weights": p, "values": z, "index": i})
    assert v.status == REFUTED
    assert v.counterexample
    assert _value(lhs, D, v.counterexample) < _value(rhs, D, v.counterexample)


def test_jensen_on_a_function_of_the_wrong_convexity_is_not_proved():
    D, n, i, p, q, z, y = _setup()
    E = lambda g: Sum(p[i] * g, (i, 1, n))  # noqa: E731
    LOG = Lambda(T, log(T))
    # log is concave: the convex form of Jensen for log is false, and refuted
    v = _decide(D, log(E(z[i])), E(log(z[i])), "<=", "jensen",
                {"phi": LOG, "weights": p, "values": z, "index": i, "form": "convex"})
    assert v.status == REFUTED
    assert _value(log(E(z[i])), D, v.counterexample) > _value(E(log(z[i])), D, v.counterexample)
    # a true step, but justified by the convex form for a concave phi: unknown, with the reason
    v = _decide(D, log(E(z[i])), E(log(z[i])), ">=", "jensen",
                {"phi": LOG, "weights": p, "values": z, "index": i, "form": "convex"})
    assert v.status == UNKNOWN and "not convex" in v.message
    # t^3 is neither convex nor concave on the reals
    use = LemmaUse(E(y[i]) ** 3, E(y[i] ** 3), "<=", D.context,
                   {"phi": Lambda(U, U**3), "weights": p[i], "values": y[i], "index": i, "domain": "real"})
    with pytest.raises(Misapplied, match="neither convex nor concave"):
        REGISTRY["jensen"].check(use)
    v = _decide(D, E(y[i]) ** 3, E(y[i] ** 3), "<=", "jensen",
                {"phi": Lambda(U, U**3), "weights": p, "values": y, "index": i, "domain": "real"})
    assert v.status in (REFUTED, UNKNOWN)


def test_jensen_with_weights_that_do_not_sum_to_one_is_not_proved():
    D, n, i, w, q, z, y = _setup(weights_kind="positive")  # positive, but not normalised
    E = lambda g: Sum(w[i] * g, (i, 1, n))  # noqa: E731
    args = {"phi": Lambda(U, U**2), "weights": w, "values": y, "index": i, "domain": "real"}
    v = _decide(D, E(y[i]) ** 2, E(y[i] ** 2), "<=", "jensen", args)
    assert v.status in (REFUTED, UNKNOWN)
    with pytest.raises(Misapplied, match="sum to 1"):
        REGISTRY["jensen"].check(LemmaUse(E(y[i]) ** 2, E(y[i] ** 2), "<=", D.context,
                                          {**args, "weights": w[i], "values": y[i]}))
    # the same claim with weights halved from a probability vector: sums to 1/2
    D2, n, i, p, q, z, y = _setup()
    E2 = lambda g: Sum(p[i] / 2 * g, (i, 1, n))  # noqa: E731
    with pytest.raises(Misapplied, match="sum to 1"):
        REGISTRY["jensen"].check(LemmaUse(E2(y[i]) ** 2, E2(y[i] ** 2), "<=", D2.context,
                                          {**args, "weights": p[i] / 2, "values": y[i]}))


def test_jensen_step_that_is_not_an_instance_is_unknown():
    D, n, i, p, q, z, y = _setup()
    E = lambda g: Sum(p[i] * g, (i, 1, n))  # noqa: E731
    # a true inequality, but the values named are not the ones in the step
    v = _decide(D, -log(E(z[i])), E(-log(z[i])), "<=", "jensen",
                {"phi": NEG_LOG, "weights": p, "values": q, "index": i})
    assert v.status == UNKNOWN and "not an instance" in v.message
    # strict claim: Jensen gives only <=
    v = _decide(D, -log(E(z[i])), E(-log(z[i])), "<", "jensen",
                {"phi": NEG_LOG, "weights": p, "values": z, "index": i})
    assert v.status != PROVED


# ----------------------------------------------------------------------------------------
# Gibbs
# ----------------------------------------------------------------------------------------
def test_gibbs_proved_and_scaled():
    D, n, i, p, q, z, y = _setup()
    kl = Sum(p[i] * log(p[i] / q[i]), (i, 1, n))
    assert _decide(D, kl, sp.Integer(0), ">=", "gibbs", {"p": p, "q": q, "index": i}).status == PROVED
    assert _decide(D, sp.Integer(0), 3 * kl, "<=", "gibbs", {"p": p, "q": q, "index": i, "scale": 3}).status == PROVED
    # wrong scale: not an instance
    v = _decide(D, 3 * kl, sp.Integer(0), ">=", "gibbs", {"p": p, "q": q, "index": i, "scale": 2})
    assert v.status == UNKNOWN and "not an instance" in v.message


def test_gibbs_reversed_is_refuted():
    D, n, i, p, q, z, y = _setup()
    kl = Sum(p[i] * log(p[i] / q[i]), (i, 1, n))
    v = _decide(D, kl, sp.Integer(0), "<=", "gibbs", {"p": p, "q": q, "index": i})
    assert v.status == REFUTED
    assert _value(kl, D, v.counterexample) > 0


def test_gibbs_with_an_unnormalised_vector_is_not_proved():
    D, n, i, p, q, z, y = _setup()
    kl = Sum(p[i] * log(p[i] / z[i]), (i, 1, n))  # z: positive, but does not sum to 1
    v = _decide(D, kl, sp.Integer(0), ">=", "gibbs", {"p": p, "q": z, "index": i})
    assert v.status in (REFUTED, UNKNOWN)
    if v.status == REFUTED:
        assert _value(kl, D, v.counterexample) < 0
    with pytest.raises(Misapplied, match="sum to 1"):
        REGISTRY["gibbs"].check(LemmaUse(kl, sp.Integer(0), ">=", D.context, {"p": p, "q": z, "index": i}))


# ----------------------------------------------------------------------------------------
# log t <= t - 1
# ----------------------------------------------------------------------------------------
def test_log_bound_scalar_and_termwise_with_sign_flip():
    D, n, i, p, q, z, y = _setup()
    t = D.symbol("t", "positive")
    assert _decide(D, log(t), t - 1, "<=", "log-le-t-minus-1", {"t": t}).status == PROVED
    lhs = -Sum(p[i] * log(q[i] / p[i]), (i, 1, n))
    rhs = -Sum(p[i] * (q[i] / p[i] - 1), (i, 1, n))
    args = {"t": q[i] / p[i], "weight": -p[i], "index": i}
    assert _decide(D, lhs, rhs, ">=", "log-le-t-minus-1", args).status == PROVED
    # the flip forgotten: '<=' with the negative weight is false, and refuted
    v = _decide(D, lhs, rhs, "<=", "log-le-t-minus-1", args)
    assert v.status == REFUTED
    assert _value(lhs, D, v.counterexample) > _value(rhs, D, v.counterexample)
    # a weight of the wrong sign declared for a true step: not an instance, unknown
    v = _decide(D, lhs, rhs, ">=", "log-le-t-minus-1", {**args, "weight": p[i]})
    assert v.status == UNKNOWN


def test_log_bound_misuses_are_not_proved():
    D = Derivation("t", "log bound")
    t = D.symbol("t", "positive")
    x = D.symbol("x", "real")
    v = _decide(D, log(t), t - 1, ">=", "log-le-t-minus-1", {"t": t})
    assert v.status == REFUTED and _value(log(t), D, v.counterexample) < _value(t - 1, D, v.counterexample)
    v = _decide(D, log(t), t - 1, "<", "log-le-t-minus-1", {"t": t})  # strict: false at t = 1
    assert v.status != PROVED
    v = _decide(D, log(x**2), x**2 - 1, "<=", "log-le-t-minus-1", {"t": x**2})  # x^2 may be 0
    assert v.status == UNKNOWN and "not provably > 0" in v.message


def test_unknown_lemma_and_missing_arguments_are_unknown():
    D, n, i, p, q, z, y = _setup()
    v = _decide(D, log(z[1]), z[1] - 1, "<=", "no-such-lemma", {})
    assert v.status == UNKNOWN and "unknown lemma" in v.message
    v = _decide(D, log(z[1]), z[1] - 1, "<=", "jensen", {})
    assert v.status == UNKNOWN and "missing" in v.message
    assert {"jensen", "gibbs", "log-le-t-minus-1"} <= set(REGISTRY)


def test_check_lemma_unfolds_definitions():
    D, n, i, p, q, z, y = _setup()
    K = D.define(sp.Symbol("K"), Sum(p[i] * log(p[i] / q[i]), (i, 1, n)))
    v = check_lemma(Problem(K, sp.Integer(0), ">=", D.context, lemma="gibbs",
                            lemma_args={"p": p, "q": q, "index": i}))
    assert v.status == PROVED


# ----------------------------------------------------------------------------------------
# a step that names no lemma: the engine tries the lemmas the step suggests (Gibbs for a
# cross-entropy against an entropy), and the lemma's own checks decide
# ----------------------------------------------------------------------------------------
def _plain(D, lhs, rhs, relation):
    return decide(Problem(lhs, rhs, relation, D.context))


def test_gibbs_is_found_for_a_step_that_does_not_name_it():
    D, n, i, p, q, z, y = _setup()
    cross, entropy = -Sum(p[i] * log(q[i]), (i, 1, n)), -Sum(p[i] * log(p[i]), (i, 1, n))
    for lhs, rhs, rel in [(cross, entropy, ">="), (entropy, cross, "<="),
                          (Sum(p[i] * log(p[i] / q[i]), (i, 1, n)), sp.Integer(0), ">="),
                          (cross / log(2) - entropy / log(2), sp.Integer(0), ">="),  # in bits
                          (Sum(p[i] * log(q[i] / p[i]), (i, 1, n)), sp.Integer(0), "<=")]:
        v = _plain(D, lhs, rhs, rel)
        assert v.status == PROVED and "lemma gibbs" in v.method, (lhs, rhs, v.status, v.message)


def test_a_step_gibbs_does_not_give_is_never_proved_by_it():
    D, n, i, p, q, z, y = _setup()
    cross, entropy = -Sum(p[i] * log(q[i]), (i, 1, n)), -Sum(p[i] * log(p[i]), (i, 1, n))
    reversed_ = _plain(D, cross, entropy, "<=")
    assert reversed_.status == REFUTED  # the numeric first look, before any lemma
    assert _value(cross - entropy, D, reversed_.counterexample) > 0
    unnormalised = _plain(D, -Sum(p[i] * log(z[i]), (i, 1, n)), entropy, ">=")  # z is no distribution
    assert unnormalised.status != PROVED or "gibbs" not in unnormalised.method
    shifted = _plain(D, cross, entropy + 1, ">=")  # not an instance: never proved (refuted at some p = q)
    assert shifted.status in (REFUTED, UNKNOWN), shifted
    strict = _plain(D, cross, entropy, ">")  # Gibbs gives >=, not > (equality at p = q)
    assert strict.status != PROVED or "gibbs" not in strict.method


def test_jensen_is_found_for_a_log_or_an_exp_of_a_weighted_sum():
    D, n, i, p, q, z, y = _setup()
    mean = Sum(p[i] * z[i], (i, 1, n))
    for lhs, rhs, rel in [(log(mean), Sum(p[i] * log(z[i]), (i, 1, n)), ">="),
                          (Sum(p[i] * log(z[i]), (i, 1, n)), log(mean), "<="),
                          (sp.exp(Sum(p[i] * y[i], (i, 1, n))), Sum(p[i] * sp.exp(y[i]), (i, 1, n)), "<=")]:
        v = _plain(D, lhs, rhs, rel)
        assert v.status == PROVED and "lemma jensen" in v.method, (lhs, rhs, v.status, v.message)


def test_jensen_the_wrong_way_or_with_weights_that_are_no_distribution_is_never_proved():
    D, n, i, p, q, z, y = _setup()
    mean = Sum(p[i] * z[i], (i, 1, n))
    wrong = _plain(D, log(mean), Sum(p[i] * log(z[i]), (i, 1, n)), "<=")
    assert wrong.status == REFUTED
    assert _value(log(mean) - Sum(p[i] * log(z[i]), (i, 1, n)), D, wrong.counterexample) > 0
    unweighted = _plain(D, log(Sum(y[i] * z[i], (i, 1, n))), Sum(y[i] * log(z[i]), (i, 1, n)), ">=")
    assert unweighted.status != PROVED  # y is no distribution (and the log may be undefined)


def test_a_candidate_that_is_not_an_instance_numerically_costs_no_symbolic_attempt(monkeypatch):
    # Gibbs' inequality in bits, found without being named: the candidates in nats (scale 1) and with p and q
    # swapped are not instances.  Each gets the cheap normal form, which fails; a sampled point then says so
    # before SymPy's simplify (is_zero) is tried.  The instance itself is proved by its normal form.
    import verifier.engine.lemmas as lemmas
    from verifier.model.context import Context

    c = Context()
    n = c.size("n")
    i = c.index("i", n)
    p, q = c.vector("p", "probability", over=i), c.vector("q", "probability", over=i)
    bits = Sum(-p[i] * log(q[i]) / log(2), (i, 1, n)) - Sum(-p[i] * log(p[i]) / log(2), (i, 1, n))
    tried, looked = [], []
    real, real_quick = lemmas.is_zero, lemmas.quick_zero
    monkeypatch.setattr(lemmas, "is_zero", lambda e, ctx: tried.append(e) or real(e, ctx))
    monkeypatch.setattr(lemmas, "quick_zero", lambda e, ctx: (lambda r: looked.append((e, r)) or r)(real_quick(e, ctx)))
    method = lemmas.lemma_proof(bits, sp.Integer(0), ">=", c)
    assert method and "gibbs" in method and "1/log(2)" in method
    candidates = [(e, r) for e, r in looked if e.has(log)]  # (the others are the side conditions: p and q sum to 1)
    assert len(candidates) >= 2 and sum(1 for _, r in candidates if r) == 1  # the wrong ones and the instance
    assert [e for e in tried if e.has(log)] == []  # no wrong candidate went on to simplify
    tried.clear()
    assert lemmas.lemma_proof(bits, sp.Integer(0), "<=", c) is None  # the reversed claim: no lemma proves it


def test_a_lemma_step_is_sampled_at_the_first_look_and_in_full_only_where_the_lemma_does_not_apply(monkeypatch):
    import verifier.engine.lemmas as lemmas_module
    from verifier.engine.problem import SCREEN_POINTS

    counts: list = []
    real = lemmas_module.numeric_relation

    def spy(*args, **kwargs):
        if "seed" not in kwargs:  # the step's own samples (the lemma's checks look at candidates with seed=7)
            counts.append(kwargs.get("count"))
        return real(*args, **kwargs)

    monkeypatch.setattr(lemmas_module, "numeric_relation", spy)
    D, n, i, p, q, z, y = _setup()
    kl = Sum(p[i] * log(p[i] / q[i]), (i, 1, n))
    assert _decide(D, kl, sp.Integer(0), ">=", "gibbs", {"p": p, "q": q, "index": i}).status == PROVED
    assert counts == [SCREEN_POINTS]  # proved by the lemma after the first look
    counts.clear()
    v = _decide(D, 3 * kl, sp.Integer(0), ">=", "gibbs", {"p": p, "q": q, "index": i, "scale": 2})
    assert v.status == UNKNOWN and "numerically the step agrees" in v.message  # true, but not this instance
    assert counts == [SCREEN_POINTS, None]  # then the evidence in full
    counts.clear()
    v = _decide(D, kl, sp.Integer(0), "<=", "gibbs", {"p": p, "q": q, "index": i})  # reversed: refuted at once
    assert v.status == REFUTED and _value(kl, D, v.counterexample) > 0 and counts == [SCREEN_POINTS]
