"""Joint laws the note states as tables, declared in the note's context: the events it gives numbers for
(``notes.event_laws``), the indicators of one experiment's outcomes (``notes.outcome_laws``), and a joint law
written as a Markdown table (``notes.table_laws``).  Each becomes a stated joint table
(``model.random.JointTable``) of the random variables it names."""
from __future__ import annotations

import re

import sympy as sp
from sympy.core.function import AppliedUndef

from verifier.model.random import Entropy, JointTable, RandomVariable
from verifier.notes.event_laws import event_law, indicator_name
from verifier.notes.table_laws import table_laws


def _exact(weights) -> tuple:
    return tuple(sp.Rational(w.numerator, w.denominator) for w in weights)


def declare_tables(nc, text: str, taken: set[str], declared: dict) -> set[str]:
    """The random variables of the note's Markdown tables with their joint table as law (``notes.table_laws``);
    a name in ``taken`` (a law stated otherwise, an operator's letter), or that the note uses as a number or a
    vector, keeps what it had.  ``declared`` (name -> symbol) gets the table's names."""
    out: set[str] = set()
    for t in table_laws(text):
        if set(t.names) & taken or any(n in nc.vec or (n in nc.sym and n not in declared) for n in t.names):
            continue
        syms = tuple(nc.ctx.random_variable(n) for n in t.names)
        table = JointTable(syms, t.rows, _exact(t.weights))
        for n, s in zip(t.names, syms):
            nc.ctx.random_variable(n, table)
            nc.sym[n] = s
            nc.domains.setdefault(n, ("real", "a random variable of the table at lines {}-{}".format(*t.lines)))
            declared[n] = s
        out |= set(t.names)
    return out


def declare_outcomes(nc, outcomes: list) -> None:
    """Indicators of one experiment's outcomes (``notes.outcome_laws``): their joint table holds in the example's
    lines (``probability_reader.independence_at`` puts it in the context there); the random variables must be
    the note's."""
    nc.law_scopes = []
    for law in outcomes:
        if not all(n in nc.sym and nc.sym[n] in nc.ctx.random for n in law.names):
            continue
        syms = tuple(nc.sym[n] for n in law.names)
        table = JointTable(syms, law.rows, _exact(law.weights))
        nc.law_scopes.append((law.lines[0], law.lines[1], {s: RandomVariable(s, table) for s in syms}))
    nc.note_laws = dict(nc.ctx.random)


def declare_events(nc, text: str, taken: set[str]) -> None:
    """The joint law of the events the note gives numbers for (``notes.event_laws``), as indicator random
    variables with a stated joint table; ``nc.event_indicators`` maps each event's letter to its indicator."""
    nc.event_indicators = {}
    law = event_law(text, taken)
    if law is None:
        return
    syms = [nc.ctx.random_variable(indicator_name(n)) for n in law.names]
    table = JointTable(tuple(syms), law.rows, _exact(law.weights))
    for n, s in zip(law.names, syms):
        nc.ctx.random_variable(s.name, table)
        nc.event_indicators[n] = s
    nc.event_basis = law.basis


def joint_entropies(expr, nc):
    """``H(X, Y)`` of random variables of one stated joint table (``declare_tables``), when the note does not define
    H of two arguments itself: the joint entropy ``Entropy((X, Y))`` (in bits where the note's section says so)."""
    if not isinstance(expr, sp.Basic) or not expr.atoms(AppliedUndef):
        return expr
    unread = getattr(nc, "unread_definitions", {})

    def joint(c: AppliedUndef) -> bool:
        if re.sub(r"__\d+$", "", c.func.__name__) != "H" or len(c.args) != 2 or c.func in nc.ctx.definitions \
                or c.func.__name__ in unread or len(set(c.args)) != 2:
            return False
        laws = [nc.ctx.random.get(a) for a in c.args]
        return None not in laws and len({law.distribution for law in laws}) == 1 \
            and laws[0].distribution.family == "table"

    return expr.replace(lambda c: isinstance(c, AppliedUndef) and joint(c), lambda c: Entropy(sp.Tuple(*c.args)))
