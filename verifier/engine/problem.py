"""A problem for the engine: one relation between two expressions in a context, and the budgets."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import sympy as sp
from sympy.core.function import AppliedUndef

from verifier.model.context import Context
from verifier.model.limits import DEFAULT_BUDGET  # noqa: F401  (public here too)

NUMERIC_POINTS = 24
#: random points of the first look, before a proof is tried (after the domains' special points): a
#: step that fails there is refuted at once; a proved step needs no more; the rest get NUMERIC_POINTS
SCREEN_POINTS = 5
ORDER_PAIRS = 40
ORDER_CANDIDATES = 6  # candidates per base point of an order check; all pairs compared
MIN_EVIDENCE = 8  # 'checked' needs agreement at this many admissible points (or pairs)
NUMERIC_SECONDS = 4.0  # slow evaluations (delta integrals) stop sampling here once MIN_EVIDENCE agree
#: the share of a step's budget a symbolic proof may use; the rest is kept for the evidence in full,
#: so that a proof SymPy does not finish (an integral with parameters) ends as `checked` or
#: `refuted`, not as a timeout
PROOF_SHARE = 0.5
EVIDENCE_SECONDS = 1.0  # a budget whose rest would be shorter than this is not split (it would not help)


@dataclass
class Problem:
    """One relation to decide: ``lhs relation rhs`` in a context."""

    lhs: sp.Basic
    rhs: sp.Basic
    relation: str
    ctx: Context
    over: tuple = ()
    prev_sense: str | None = None
    sense: str | None = None
    cases: tuple | None = None
    lemma: str | None = None
    lemma_args: dict = field(default_factory=dict)
    witness: dict | None = None
    seed: int = 20261122


#: relations decided by a plain comparison (the others are optimisation steps, lemmas, witnesses)
_PLAIN = ("=", "<=", ">=", "<", ">")


def expected_cost(problem: Problem) -> float:
    """A rough guess of a problem's time, to hand the long ones to the workers first (a batch
    ends when its longest step ends): the size of its sides and of the definitions they use
    (``L(theta)`` stands for a whole likelihood), more for vectors and matrices, derivatives,
    optimisation steps and lemmas."""
    nodes = _nodes(problem.lhs) + _nodes(problem.rhs) + _definitions_used(problem)
    weight = 1.0
    if problem.lhs.has(sp.MatrixSymbol) or problem.rhs.has(sp.MatrixSymbol):
        weight *= 4
    if problem.lhs.has(sp.Derivative) or problem.rhs.has(sp.Derivative):
        weight *= 2
    if problem.relation not in _PLAIN or problem.lemma:
        weight *= 2
    return nodes * weight


def _nodes(expr: sp.Basic) -> int:
    return sum(1 for _ in sp.preorder_traversal(expr))


_OPAQUE = 20  # the guessed size of a definition that is no expression (a function of the code)


def _definitions_used(problem: Problem) -> int:
    """The size of the definitions the sides name (one level: a definition's own uses are not followed).
    A guess made in the parent before any worker runs, so it never raises: a problem with no context
    (an internal error the worker reports) counts none."""
    defs = getattr(problem.ctx, "definitions", None)
    if not defs:
        return 0
    names: set = set()
    for side in (problem.lhs, problem.rhs):
        if isinstance(side, sp.Basic):
            names |= side.free_symbols
            names |= {a.func for a in side.atoms(AppliedUndef)}
    return sum(_nodes(defs[n]) if isinstance(defs[n], sp.Basic) else _OPAQUE for n in names if n in defs)


def depends_on(expr: sp.Basic, over: Iterable) -> bool:
    """Does expr depend on any optimisation variable (symbol, vector or function)?"""
    over = tuple(over)
    syms = {v for v in over if isinstance(v, sp.Symbol)}
    labels = {v.label for v in over if isinstance(v, sp.IndexedBase)}
    funcs = {v for v in over if isinstance(v, sp.FunctionClass)}
    indexed = {v for v in over if isinstance(v, sp.Indexed)}
    for s in expr.free_symbols:
        if s in syms or s in indexed:
            return True
        if isinstance(s, sp.Indexed) and s.base.label in labels:
            return True
        if s in labels:
            return True
    if funcs and any(a.func in funcs for a in expr.atoms(AppliedUndef)):
        return True
    return False


