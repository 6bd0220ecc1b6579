r"""The chain model: derivations, chains and steps.

A derivation reads like the mathematics it encodes::

    D = Derivation("sigmoid-derivative", "sigma' = sigma(1 - sigma)",
                   Source("004_69ecd8eeec9c2ec6.txt", "交叉熵"))
    z = D.symbol("z", "real")
    c = D.chain(sp.Derivative(sigma(z), z))
    c.eq(sp.exp(-z) / (1 + sp.exp(-z))**2, "differentiate 1/(1+e^{-z})")
    c.eq(sigma(z) * (1 - sigma(z)),         "algebra", tex=r"\sigma(z)(1-\sigma(z))")

``tex=`` (on any step and on the start) is the LaTeX the post wrote; exports print it
instead of the SymPy expression's LaTeX (a test reads it back and checks it means the same).
Justifications and titles are text with inline math in ``$...$``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

import sympy as sp

from verifier.model.context import Context
from verifier.model.domains import Domain
from verifier.model.exprs import as_expr
from verifier.model.random import GENERIC, Distribution

#: relations a step may have to the previous expression
EQ, LE, GE, LT, GT = "=", "<=", ">=", "<", ">"
ARGMIN, ARGMAX = "argmin-equivalent", "argmax-equivalent"
NE_WITNESS = "!="  # existential: the two sides differ at a stated witness point
RELATIONS = (EQ, LE, GE, LT, GT, ARGMIN, ARGMAX, NE_WITNESS)
OPTIMISATION = (ARGMIN, ARGMAX)


@dataclass(frozen=True)
class Source:
    """Where a derivation comes from: the seed file, the section heading and (filled in by
    the catalog loader from ``derivations.POSTS``) the post's title."""

    file: str
    section: str
    post: str = ""

    @property
    def heading(self) -> str:
        """The section heading without its Markdown ``#`` marks."""
        return self.section.lstrip("#").strip()

    def readable(self) -> str:
        """The post's title and the section (the file name only when the title is unknown)."""
        return f"{self.post or self.file}, § {self.heading}" if self.heading else (self.post or self.file)

    def __str__(self) -> str:
        return f"{self.file} § {self.section}"


@dataclass
class Step:
    """One link of a chain: ``relation(previous expression, expr)``."""

    expr: sp.Basic
    relation: str | None = None  # None for the starting expression
    why: str = ""
    over: tuple[sp.Basic, ...] = ()  # optimisation variables (argmin/argmax relations)
    sense: str | None = None  # 'min' / 'max' for objectives of an optimisation chain
    cases: tuple[sp.Symbol, tuple] | None = None  # relation holds for each value of a symbol
    lemma: str | None = None  # name of a lemma from verifier.engine.lemmas
    lemma_args: dict = field(default_factory=dict)
    witness: dict | None = None  # for '!=' (existential) steps
    hint: str | None = None  # optional engine hint
    line: int | None = None  # source line (LaTeX input)
    latex: str | None = None  # the LaTeX as written (LaTeX input)
    tex: str | None = None  # the LaTeX the source post wrote for display (catalog steps)

    def __post_init__(self) -> None:
        if self.relation is not None and self.relation not in RELATIONS:
            raise ValueError(f"unknown relation {self.relation!r}; use one of {RELATIONS}")


@dataclass
class Chain:
    """A starting expression and the steps that follow it."""

    name: str
    steps: list[Step]

    # -- builder ---------------------------------------------------------------------
    def _add(self, expr, relation, why, **kw) -> "Chain":
        if not self.steps:
            raise ValueError("a chain needs a starting expression before its steps")
        self.steps.append(Step(as_expr(expr),
                               relation, why, **kw))
        return self

    def eq(self, expr, why: str = "", **kw) -> "Chain":
        """``= expr``; ``cases=y`` makes it hold value by value over a binary symbol."""
        cases = kw.pop("cases", None)
        if cases is not None and not isinstance(cases, tuple):
            cases = (cases, (0, 1))
        return self._add(expr, EQ, why, cases=cases, **kw)

    def le(self, expr, why: str = "", **kw) -> "Chain":
        return self._add(expr, LE, why, **kw)

    def ge(self, expr, why: str = "", **kw) -> "Chain":
        return self._add(expr, GE, why, **kw)

    def lt(self, expr, why: str = "", **kw) -> "Chain":
        return self._add(expr, LT, why, **kw)

    def gt(self, expr, why: str = "", **kw) -> "Chain":
        return self._add(expr, GT, why, **kw)

    def ne(self, expr, why: str = "", *, witness: dict, **kw) -> "Chain":
        """An existential claim: the sides differ at ``witness`` (exact evaluation)."""
        return self._add(expr, NE_WITNESS, why, witness=witness, **kw)

    def argmin(self, expr, why: str = "", *, over=None, **kw) -> "Chain":
        """The minimisers of expr are the optimisers of the previous objective."""
        return self._add(expr, ARGMIN, why, over=_over(over, self), sense="min", **kw)

    def argmax(self, expr, why: str = "", *, over=None, **kw) -> "Chain":
        return self._add(expr, ARGMAX, why, over=_over(over, self), sense="max", **kw)

    def pairs(self) -> Iterable[tuple[Step, Step]]:
        """(previous, step) for every step after the start."""
        for a, b in zip(self.steps, self.steps[1:]):
            yield a, b


def _over(over, chain: Chain) -> tuple:
    if over is None:
        prev = next((s.over for s in reversed(chain.steps) if s.over), ())
        if not prev:
            raise ValueError("an optimisation step needs over=<variables>")
        return tuple(prev)
    return tuple(over) if isinstance(over, (list, tuple)) else (over,)


@dataclass
class Derivation:
    """An id, a title, a source, the symbols' domains and one or more chains."""

    id: str
    title: str
    source: Source | None = None
    context: Context = field(default_factory=Context)
    chains: list[Chain] = field(default_factory=list)
    notes: str = ""

    # declaring symbols delegates to the context, so encodings read D.symbol(...)
    def symbol(self, name: str, dom: str | Domain = "real") -> sp.Symbol:
        return self.context.symbol(name, dom)

    def symbols(self, names: str, dom: str | Domain = "real") -> tuple[sp.Symbol, ...]:
        return tuple(self.context.symbol(n, dom) for n in names.split())

    def size(self, name: str, minimum: int = 1) -> sp.Symbol:
        return self.context.size(name, minimum)

    def index(self, name: str, hi, lo=1) -> sp.Symbol:
        return self.context.index(name, hi, lo)

    def vector(self, name: str, dom: str | Domain | sp.Expr | int = "real", over=None, hot=None, *,
               dim=None, kind: str = "real") -> sp.IndexedBase | sp.MatrixSymbol:
        """Indexed data x[i]; or, with a dimension (``D.vector("w", d)``), a d x 1 column vector."""
        return self.context.vector(name, dom, over, hot, dim=dim, kind=kind)

    def matrix(self, name: str, rows, cols, kind: str = "real") -> sp.MatrixSymbol:
        """A rows x cols matrix (kind: real, positive, symmetric, spd, ...)."""
        return self.context.matrix(name, rows, cols, kind)

    def function(self, name: str, dom: str | Domain = "real", nargs: int | None = None):
        return self.context.function(name, dom, nargs)

    def random(self, name: str, dist: Distribution = GENERIC) -> sp.Symbol:
        """A random variable ``X ~ dist`` (``D.random("X", Normal(mu, sigma))``)."""
        return self.context.random_variable(name, dist)

    def independent(self, *rvs: sp.Symbol) -> None:
        """State that rvs are mutually independent (``E[XY] = E[X]E[Y]`` needs it)."""
        self.context.declare_independent(*rvs)

    def define(self, name, value):
        return self.context.define(name, value)

    def chain(self, start, name: str = "", *, sense: str | None = None, over=None,
              tex: str | None = None) -> Chain:
        """Open a chain at its starting expression (an objective if sense is 'min'/'max');
        ``tex`` is the start as the post wrote it."""
        over_t: tuple = () if over is None else (tuple(over) if isinstance(over, (list, tuple)) else (over,))
        expr = as_expr(start)
        c = Chain(name or f"chain {len(self.chains) + 1}", [Step(expr, None, "", over=over_t, sense=sense, tex=tex)])
        self.chains.append(c)
        return c

    @property
    def step_count(self) -> int:
        return sum(len(c.steps) - 1 for c in self.chains)

    def _repr_latex_(self) -> str:  # Jupyter
        from verifier.model.chain_latex import derivation_latex

        return "$$" + derivation_latex(self) + "$$"


def steps_of(chains: Sequence[Chain]) -> list[tuple[Chain, Step, Step]]:
    return [(c, a, b) for c in chains for a, b in c.pairs()]
