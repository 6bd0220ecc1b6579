"""The information-theory derivations of the catalog: every step proved; each occurrence cites
a section that exists in its seed; broken copies are refuted at the broken step with a
counterexample that really violates it, and the earlier steps stay proved."""
from __future__ import annotations

import re

import pytest
import sympy as sp
from sympy import Sum, log

from derivations import cross_entropy, entropy, inequalities, information, kl_properties
from verifier.engine.decide import verify_derivation
from verifier.engine.expand import unfold
from verifier.model.catalog import load_catalog, occurrence_key
from verifier.model.results import PROVED, REFUTED

MODULES = [information, entropy, cross_entropy, kl_properties, inequalities]
FACTORIES = [f for m in MODULES for f in m.DERIVATIONS]

#: catalog id -> seeds it occurs in (encoded here)
EXPECTED = {
    "ce-definition": {"000", "002", "004"}, "onehot-entropy-zero": {"000"},
    "ce-drop-entropy": {"000", "001", "002"}, "onehot-ce-single-sample": {"000"},
    "self-information": {"001", "002", "004"}, "entropy-definition": {"001", "002", "004"},
    "kl-convex-in-q": {"001"}, "jensen-statement": {"001"}, "kl-nonneg-jensen": {"001"},
    "gibbs-inequality": {"002"}, "entropy-degenerate-example": {"004"}, "entropy-max-uniform": {"004"},
    "ce-ge-entropy": {"004"}, "kl-self-zero": {"004"}, "kl-asymmetric": {"004"},
}


@pytest.mark.parametrize("make", FACTORIES, ids=lambda f: f"{f.__module__.split('.')[-1]}.{f.__name__}")
def test_derivation_is_proved(make):
    r = verify_derivation(make())
    assert r.steps, "a derivation without steps proves nothing"
    bad = [(s.index, s.chain, s.status, s.message) for s in r.steps if s.status != PROVED]
    assert not bad


def test_every_occurrence_is_encoded_once():
    mine = [occurrence_key(make()) for make in FACTORIES]
    found: dict[str, set] = {}
    for k in mine:
        i, seed = k.split("@")
        found.setdefault(i, set()).add(seed)
    assert found == EXPECTED
    catalog = [occurrence_key(d) for d in load_catalog() if d.id in EXPECTED]
    assert set(mine) <= set(catalog)
    assert len(catalog) == len(set(catalog)), "an id occurs twice for the same seed"


@pytest.mark.parametrize("make", FACTORIES, ids=lambda f: f.__name__)
def test_cited_section_is_in_the_seed(make, seeds_dir):
    d = make()
    text = (seeds_dir / d.source.file).read_text(encoding="utf-8")
    heading = d.source.section.lstrip("#").strip()
    lines = [ln.strip().lstrip("#").strip() for ln in text.splitlines()]
    assert heading in lines, f"{d.source.section!r} is not a heading of {d.source.file}"


# ----------------------------------------------------------------------------------------
# broken copies
# ----------------------------------------------------------------------------------------
def _value(expr, ctx, cex) -> sp.Float:
    """expr at a counterexample, evaluated with SymPy at 50 digits (not the engine's code)."""
    sizes = {s: int(cex[s.name]) for s in ctx.sizes if s.name in cex}
    e = unfold(expr, ctx.definitions).xreplace({s: sp.Integer(v) for s, v in sizes.items()})
    e = e.replace(lambda x: isinstance(x, (sp.Sum, sp.Product)), lambda x: x.doit())
    bases = {str(b.label): b for b in ctx.vectors}
    ints = {s.name: s for s in list(ctx.indices) + list(ctx.onehot_hot.values())}
    reals = {s.name: s for s in ctx.scalars}
    first, values = {}, {}
    for key, text in cex.items():
        m = re.fullmatch(r"(\w+)\[(\d+)\]", key)
        if m and m.group(1) in bases:
            values[bases[m.group(1)][int(m.group(2))]] = sp.Float(text, 50)
        elif key in ints:
            first[ints[key]] = sp.Integer(int(float(text)))
        elif key in reals:
            values[reals[key]] = sp.Float(text, 50)
    return sp.N(e.xreplace(first).xreplace(values), 50)


def _flat_index(d, chain_index: int, step_index: int) -> int:
    return sum(len(c.steps) - 1 for c in d.chains[:chain_index]) + step_index - 1


def _refuted_at(d, chain_index: int, step_index: int):
    r = verify_derivation(d)
    k = _flat_index(d, chain_index, step_index)
    s = r.steps[k]
    assert s.status == REFUTED, (s.status, s.message)
    assert s.counterexample
    for earlier in r.steps[:k]:
        assert earlier.status == PROVED, (earlier.index, earlier.status, earlier.message)
    return s


def _violates(d, chain_index: int, step_index: int, cex) -> None:
    chain = d.chains[chain_index]
    prev, step = chain.steps[step_index - 1], chain.steps[step_index]
    lhs, rhs = _value(prev.expr, d.context, cex), _value(step.expr, d.context, cex)
    rel = step.relation
    if rel == "=":
        assert abs(lhs - rhs) > 1e-20 * max(1, abs(lhs), abs(rhs))
    elif rel == ">=":
        assert lhs < rhs
    elif rel == "<=":
        assert lhs > rhs
    else:  # pragma: no cover
        raise AssertionError(rel)


def _vocab(d):
    ctx = d.context
    n = next(iter(ctx.sizes))
    i = next(s for s in ctx.indices if s.name == "i")
    p, q = (next(b for b in ctx.vectors if str(b.label) == name) for name in ("p", "q"))
    return n, i, p, q


def test_flipped_sign_in_ce_ge_entropy_is_refuted():
    d = cross_entropy.ce_ge_entropy()
    n, i, p, q = _vocab(d)
    step = d.chains[0].steps[1]
    step.expr = Sum(p[i] * log(q[i]), (i, 1, n)) + Sum(p[i] * log(p[i]), (i, 1, n))  # lost the minus
    s = _refuted_at(d, 0, 1)
    _violates(d, 0, 1, s.counterexample)


def test_reversed_jensen_step_in_kl_nonneg_is_refuted():
    d = inequalities.kl_nonneg_jensen()
    d.chains[0].steps[4].relation = "<="  # Jensen the wrong way round
    s = _refuted_at(d, 0, 4)
    _violates(d, 0, 4, s.counterexample)


def test_reversed_log_bound_in_ce_ge_entropy_is_refuted():
    d = cross_entropy.ce_ge_entropy()
    d.chains[0].steps[3].relation = "<="  # the sign flip of -P(x_i) forgotten
    s = _refuted_at(d, 0, 3)
    _violates(d, 0, 3, s.counterexample)


def test_dropped_factor_in_entropy_max_uniform_is_refuted():
    d = entropy.entropy_max_uniform()
    n, i, p, q = _vocab(d)
    d.chains[0].steps[2].expr = Sum(p[i] * log(p[i]), (i, 1, n))  # the factor n inside the log dropped
    s = _refuted_at(d, 0, 2)
    _violates(d, 0, 2, s.counterexample)


def test_dropped_weight_in_ce_definition_is_refuted():
    d = cross_entropy.ce_definition_004()
    n, i, p, q = _vocab(d)
    d.chains[0].steps[2].expr = -Sum(log(q[i]), (i, 1, n))  # p(x_i) dropped
    s = _refuted_at(d, 0, 2)
    _violates(d, 0, 2, s.counterexample)


def test_flipped_sign_in_onehot_loss_is_refuted():
    d = cross_entropy.onehot_ce_single_sample()
    n, i, p, q = _vocab(d)
    k = d.context.onehot_hot[p]
    d.chains[0].steps[2].expr = log(q[k])
    s = _refuted_at(d, 0, 2)
    _violates(d, 0, 2, s.counterexample)


def test_wrong_limit_in_self_information_is_refuted():
    d = information.self_information_004()
    last = len(d.chains) - 1
    d.chains[last].steps[2].expr = sp.Integer(0)  # -log p -> 0 as p -> 0+ is wrong
    r = verify_derivation(d)
    k = _flat_index(d, last, 2)
    assert r.steps[k].status == REFUTED
    assert r.steps[k].counterexample["lhs"] == "+inf"
    assert all(s.status == PROVED for s in r.steps[:k])
