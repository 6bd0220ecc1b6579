"""Mutants of a step: the mistakes people really make when they write a derivation.

Every generator takes the step's expression (a SymPy tree) and yields ``(description,
new expression)`` pairs; :func:`mutants_of_step` collects them per kind:

``sign_flip``        a term (or the whole side) with its sign flipped
``constant_factor``  a numeric coefficient dropped, doubled or halved; a term doubled
``exponent``         a numeric exponent off by one or negated; a symbolic one dropped
``swap_args``        two vectors / symbols swapped everywhere (KL(P||Q) -> KL(Q||P)),
                     or the first two arguments of a function application swapped
``log_split``        log(a+b) -> log a + log b, log(ab) -> log a log b, log a + log b -> log(a+b)
``drop_term``        one term of a sum dropped
``reverse``          an inequality reversed, argmin <-> argmax
``argmin_drop``      a term that depends on the optimisation variables dropped from an
                     argmin/argmax objective
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Callable, Iterator

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.functions.elementary.piecewise import ExprCondPair

KINDS = ("sign_flip", "constant_factor", "exponent", "swap_args", "log_split", "drop_term",
         "reverse", "argmin_drop")

_REVERSE = {"<=": ">=", ">=": "<=", "<": ">", ">": "<",
            "argmin-equivalent": "argmax-equivalent", "argmax-equivalent": "argmin-equivalent"}


@dataclass(frozen=True)
class Mutant:
    kind: str
    description: str
    expr: sp.Basic  # the mutated expression
    relation: str  # relation of the mutated step
    target: str = "rhs"  # which side of the step was mutated: 'rhs' (the step) or 'lhs' (chain start)
    sense: str | None = None  # new objective sense for a reversed optimisation step


# ----------------------------------------------------------------------------------------
# tree positions
# ----------------------------------------------------------------------------------------
def _children(node: sp.Basic) -> list[int]:
    """Indices of the arguments of node that are mathematical sub-expressions we may mutate."""
    if isinstance(node, (sp.Indexed, sp.IndexedBase, sp.Symbol, sp.Lambda)) or not node.args:
        return []
    if isinstance(node, (sp.Sum, sp.Product, sp.Integral, sp.Derivative, sp.Limit)):
        return [0]
    if isinstance(node, sp.Tuple):
        return []
    if isinstance(node, sp.Piecewise):
        return list(range(len(node.args)))
    if isinstance(node, ExprCondPair):
        return [0]
    return list(range(len(node.args)))


def positions(expr: sp.Basic, path: tuple = ()) -> Iterator[tuple[tuple, sp.Basic]]:
    yield path, expr
    for k in _children(expr):
        yield from positions(expr.args[k], path + (k,))


def replace_at(expr: sp.Basic, path: tuple, new: sp.Basic) -> sp.Basic:
    if not path:
        return new
    args = list(expr.args)
    args[path[0]] = replace_at(args[path[0]], path[1:], new)
    return expr.func(*args)


def _short(e: sp.Basic, width: int = 60) -> str:
    s = sp.sstr(e)
    return s if len(s) <= width else s[: width - 3] + "..."


# ----------------------------------------------------------------------------------------
# generators: (description, new expression)
# ----------------------------------------------------------------------------------------
def sign_flip(expr: sp.Basic) -> Iterator[tuple[str, sp.Basic]]:
    if not isinstance(expr, sp.Add):
        yield "negate the whole side", -expr
    for path, node in positions(expr):
        if isinstance(node, sp.Add):
            for k, t in enumerate(node.args):
                rest = [a for j, a in enumerate(node.args) if j != k]
                yield f"flip the sign of {_short(t)}", replace_at(expr, path, sp.Add(*rest, -t))


def _is_num(x: sp.Basic) -> bool:
    return x.is_Number and x.is_finite is not False


def constant_factor(expr: sp.Basic) -> Iterator[tuple[str, sp.Basic]]:
    for path, node in positions(expr):
        if isinstance(node, sp.Mul) and _is_num(node.args[0]) and node.args[0] not in (1, -1):
            c = node.args[0]
            rest = sp.Mul(*node.args[1:])
            yield f"drop the factor {c} of {_short(rest)}", replace_at(expr, path, sp.sign(c) * rest)
            yield f"factor {c} -> {2 * c}", replace_at(expr, path, 2 * c * rest)
            yield f"factor {c} -> {c / 3}", replace_at(expr, path, c / 3 * rest)
        if isinstance(node, sp.Add):
            for t in node.args:
                if _is_num(t) and t != 0:
                    rest = sp.Add(*[a for a in node.args if a is not t])
                    yield f"constant {t} -> {2 * t}", replace_at(expr, path, rest + 2 * t)
    terms = sp.Add.make_args(expr)
    for k, t in enumerate(terms):
        coeff, _ = t.as_coeff_Mul()
        if coeff in (1, -1):
            rest = [a for j, a in enumerate(terms) if j != k]
            yield f"double the term {_short(t)}", sp.Add(*rest, 2 * t)


def exponent(expr: sp.Basic) -> Iterator[tuple[str, sp.Basic]]:
    for path, node in positions(expr):
        if not isinstance(node, sp.Pow):
            continue
        b, k = node.args
        if _is_num(k):
            for new in (k + 1, k - 1, -k):
                if new != 0 and new != k:
                    yield f"exponent of {_short(b)}: {k} -> {new}", replace_at(expr, path, sp.Pow(b, new))
        else:
            yield f"drop the exponent {_short(k)} of {_short(b)}", replace_at(expr, path, b)
            yield f"exponent {_short(k)} -> 2*({_short(k)})", replace_at(expr, path, sp.Pow(b, 2 * k))


def swap_args(expr: sp.Basic, ctx) -> Iterator[tuple[str, sp.Basic]]:
    bases = sorted({x.base for x in expr.atoms(sp.Indexed)}, key=str)
    for p, q in itertools.combinations(bases, 2):
        yield f"swap {p} and {q}", expr.xreplace({p: q, q: p})
    scalars = sorted((s for s in expr.free_symbols if s in ctx.scalars), key=lambda s: s.name)
    for p, q in itertools.combinations(scalars, 2):
        yield f"swap {p} and {q}", expr.xreplace({p: q, q: p})
    for path, node in positions(expr):
        if isinstance(node, AppliedUndef) and len(node.args) >= 2 and node.args[0] != node.args[1]:
            args = list(node.args)
            args[0], args[1] = args[1], args[0]
            yield f"swap the arguments of {_short(node)}", replace_at(expr, path, node.func(*args))


def log_split(expr: sp.Basic) -> Iterator[tuple[str, sp.Basic]]:
    for path, node in positions(expr):
        if isinstance(node, sp.log) and len(node.args) == 1:
            x = node.args[0]
            if isinstance(x, sp.Add):
                a, rest = x.args[0], sp.Add(*x.args[1:])
                yield f"log({_short(x)}) -> log a + log b", replace_at(expr, path, sp.log(a) + sp.log(rest))
            if isinstance(x, sp.Mul):
                a, rest = x.args[0], sp.Mul(*x.args[1:])
                yield f"log({_short(x)}) -> log a * log b", replace_at(expr, path, sp.log(a) * sp.log(rest))
        if isinstance(node, sp.Add):
            logs = [t for t in node.args if isinstance(t, sp.log)]
            if len(logs) >= 2:
                a, b = logs[:2]
                rest = [t for t in node.args if t is not a and t is not b]
                new = sp.Add(*rest, sp.log(a.args[0] + b.args[0]))
                yield f"{_short(a)} + {_short(b)} -> log(a + b)", replace_at(expr, path, new)


def drop_term(expr: sp.Basic, over: tuple = ()) -> Iterator[tuple[str, sp.Basic]]:
    from verifier.engine.problem import depends_on

    for path, node in positions(expr):
        if isinstance(node, sp.Add):
            for k, t in enumerate(node.args):
                if over and depends_on(t, over):
                    continue  # that is an argmin_drop mutant
                rest = [a for j, a in enumerate(node.args) if j != k]
                yield f"drop the term {_short(t)}", replace_at(expr, path, sp.Add(*rest))


def argmin_drop(expr: sp.Basic, over: tuple) -> Iterator[tuple[str, sp.Basic]]:
    from verifier.engine.problem import depends_on

    for path, node in positions(expr):
        if isinstance(node, sp.Add):
            for k, t in enumerate(node.args):
                if depends_on(t, over):
                    rest = [a for j, a in enumerate(node.args) if j != k]
                    yield f"drop the {', '.join(map(str, over))}-dependent term {_short(t)}", \
                        replace_at(expr, path, sp.Add(*rest))


# ----------------------------------------------------------------------------------------
# per step
# ----------------------------------------------------------------------------------------
def _safe(gen: Callable[[], Iterator[tuple[str, sp.Basic]]]) -> list[tuple[str, sp.Basic]]:
    out = []
    it = gen()
    while True:
        try:
            desc, e = next(it)
        except StopIteration:
            break
        except (AttributeError, NameError, ImportError):
            raise  # a defect of the harness itself, never hidden
        except Exception:  # noqa: BLE001 - SymPy may refuse to rebuild an odd mutant; skip it
            continue
        if isinstance(e, sp.Basic) and not e.has(sp.nan, sp.zoo):
            out.append((desc, e))
    return out


def expression_mutants(expr: sp.Basic, ctx, relation: str, over: tuple = (),
                       target: str = "rhs") -> list[Mutant]:
    """Mutants of one expression, the relation kept."""
    opt = relation in ("argmin-equivalent", "argmax-equivalent")
    gens: list[tuple[str, Callable]] = [
        ("sign_flip", lambda: sign_flip(expr)),
        ("constant_factor", lambda: constant_factor(expr)),
        ("exponent", lambda: exponent(expr)),
        ("swap_args", lambda: swap_args(expr, ctx)),
        ("log_split", lambda: log_split(expr)),
        ("drop_term", lambda: drop_term(expr, over if opt else ())),
    ]
    if opt and over:
        gens.append(("argmin_drop", lambda: argmin_drop(expr, over)))
    out: list[Mutant] = []
    seen = {expr}
    for kind, g in gens:
        for desc, e in _safe(g):
            if e in seen:
                continue
            seen.add(e)
            out.append(Mutant(kind, desc, e, relation, target))
    return out


def step_mutants(prev, step, ctx, *, first: bool = False) -> list[Mutant]:
    """Every mutant of a step (prev -> step); with first=True the chain start is mutated too."""
    relation = step.relation or "="
    out = expression_mutants(step.expr, ctx, relation, tuple(step.over))
    if relation in _REVERSE:
        new_sense = {"min": "max", "max": "min"}.get(step.sense or "", None)
        out.append(Mutant("reverse", f"relation {relation} -> {_REVERSE[relation]}", step.expr,
                          _REVERSE[relation], "rhs", new_sense))
    if first and relation not in ("argmin-equivalent", "argmax-equivalent") and step.witness is None:
        out.extend(expression_mutants(prev.expr, ctx, relation, (), target="lhs"))
    return out
