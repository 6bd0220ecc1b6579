"""Deciding that two answers are the same (``gold = pred``), matrix literals included: the answer is
taken from the text (its last ``\\boxed{}`` or math), read by the notes reader
(``linalg_reader`` for matrices), and the equality is decided by the engine: ``proved`` when the
entries are equal exactly, ``refuted`` with the entries that differ, ``checked`` when they agree
only to the stated number of decimal places."""
from __future__ import annotations

import re

import mpmath
import sympy as sp

from verifier.engine.decide import decide
from verifier.engine.problem import Problem
from verifier.model.context import Context
from verifier.model.results import CHECKED, UNKNOWN, UNPARSED, Verdict
from verifier.notes.linalg_reader import last_answer, read_matrix_expression
from verifier.notes.reader import Reader


def _context(*exprs: sp.Basic) -> tuple[Context, dict]:
    ctx = Context()
    ren = {}
    for e in exprs:
        for s in e.free_symbols:
            if isinstance(s, sp.Symbol) and s not in ren:
                ren[s] = ctx.symbol(s.name, "real")  # an answer's letters are real unknowns
    return ctx, ren


def _within(a: sp.Basic, b: sp.Basic, precision: int) -> bool:
    xs = list(a) if isinstance(a, sp.MatrixBase) else [a]
    ys = list(b) if isinstance(b, sp.MatrixBase) else [b]
    if len(xs) != len(ys):
        return False
    tol = mpmath.mpf(10) ** (-precision)
    for x, y in zip(xs, ys):
        d = sp.N(x - y, 30)
        if not d.is_number or abs(mpmath.mpf(sp.Float(d, 30))) > tol:
            return False
    return True


def decide_answer(gold: str, pred: str, precision: int | None = None, reader: Reader | None = None) -> Verdict:
    reader = reader or Reader()
    try:
        a = read_matrix_expression(last_answer(gold), reader).expr
        b = read_matrix_expression(last_answer(pred), reader).expr
    except Exception as exc:  # noqa: BLE001 - a reading failure is reported, never silent
        return Verdict(UNPARSED, "reader", f"cannot read the answer: {exc}")
    ctx, ren = _context(a, b)
    a, b = a.xreplace(ren), b.xreplace(ren)
    if isinstance(a, sp.MatrixBase) != isinstance(b, sp.MatrixBase):
        return Verdict(UNKNOWN, "shapes", "one answer is a matrix and the other is not")
    if isinstance(a, sp.MatrixBase) and a.shape != b.shape:
        from verifier.model.results import REFUTED

        return Verdict(REFUTED, "shapes", f"the matrices have different shapes: {a.shape} and {b.shape}")
    floats = any(isinstance(x, sp.Float) for e in (a, b) for x in sp.preorder_traversal(e)) or bool(
        re.search(r"\d\.\d", last_answer(gold) + " " + last_answer(pred)))  # decimals are read as exact fractions
    if floats and precision is not None and _within(a, b, precision):
        return Verdict(CHECKED, "numeric", f"equal to {precision} decimal places (the stated precision)")
    return decide(Problem(a, b, "=", ctx))
