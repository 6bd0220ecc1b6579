"""The mathematical context of a step: symbols with domains, definitions, sizes.

Both the Python catalog (``derivations/``) and the LaTeX reader build a
:class:`Context`; the engine decides steps against it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from verifier.model.domains import Domain, IndexRange, domain
from verifier.model.exprs import as_expr
from verifier.model.random import GENERIC, Distribution, RandomVariable


def index_assumptions(lo: sp.Expr) -> dict[str, bool]:
    """SymPy assumptions of an index whose range starts at lo: positive from 1 on, nonnegative from
    0 on, else only integer.  (``positive=False`` would say the index is <= 0: SymPy then sums
    ``\\sum_{k=0}^{2} k`` to 0.)"""
    if (lo - 1).is_nonnegative:
        return {"integer": True, "positive": True}
    if lo.is_nonnegative:
        return {"integer": True, "nonnegative": True}
    return {"integer": True}


@dataclass
class Context:
    """Symbols, their domains and the definitions in force for a derivation."""

    scalars: dict[sp.Symbol, Domain] = field(default_factory=dict)
    vectors: dict[sp.IndexedBase, Domain] = field(default_factory=dict)
    vector_ranges: dict[sp.IndexedBase, IndexRange] = field(default_factory=dict)
    sizes: dict[sp.Symbol, int] = field(default_factory=dict)  # size symbol -> smallest value
    indices: dict[sp.Symbol, IndexRange] = field(default_factory=dict)
    definitions: dict[sp.Basic, sp.Basic] = field(default_factory=dict)
    functions: dict[sp.FunctionClass, Domain] = field(default_factory=dict)  # unknown functions
    onehot_hot: dict[sp.IndexedBase, sp.Symbol] = field(default_factory=dict)
    random: dict[sp.Symbol, RandomVariable] = field(default_factory=dict)  # random variables
    independent: list[frozenset] = field(default_factory=list)  # mutually independent sets
    # False where the laws of random variables may be given in words the reader cannot read (notes):
    # a counterexample over an arbitrary finite law then refutes nothing
    any_law_refutes: bool = True
    matrices: dict[sp.MatrixSymbol, object] = field(default_factory=dict)  # vectors are n x 1

    # -- declaring -------------------------------------------------------------------
    def symbol(self, name: str, dom: str | Domain = "real") -> sp.Symbol:
        """A scalar symbol with a domain."""
        d = domain(dom)
        s = sp.Symbol(name, **d.assumptions)
        self.scalars[s] = d
        return s

    def size(self, name: str, minimum: int = 1) -> sp.Symbol:
        """A size such as n: a positive integer, unrolled at several values numerically."""
        s = sp.Symbol(name, integer=True, positive=True)
        self.sizes[s] = minimum
        return s

    def index(self, name: str, hi: sp.Expr, lo: sp.Expr = sp.Integer(1)) -> sp.Symbol:
        """An index running over lo..hi."""
        s = sp.Symbol(name, **index_assumptions(as_expr(lo)))
        self.indices[s] = IndexRange(s, as_expr(lo), as_expr(hi))
        return s

    def vector(self, name: str, dom: str | Domain | sp.Expr | int = "real", over: sp.Symbol | None = None,
               hot: sp.Symbol | None = None, *, dim: sp.Expr | int | None = None,
               kind: str = "real") -> sp.IndexedBase | sp.MatrixSymbol:
        """Indexed data x[i]; probability and one-hot vectors need the index they run over.

        ``vector(name, dim)`` (a size or a number in place of the domain, or ``dim=``) declares a
        column vector instead: a ``dim x 1`` matrix symbol of entries in ``kind``."""
        if dim is None and isinstance(dom, (sp.Expr, int)) and not isinstance(dom, bool):
            dim = dom
        if dim is not None:
            return self.matrix(name, dim, 1, kind if isinstance(dom, (sp.Expr, int)) else dom)
        d = domain(dom)
        base = sp.IndexedBase(name, **d.assumptions)
        self.vectors[base] = d
        if d.kind in ("probability", "onehot"):
            if over is None or over not in self.indices:
                raise ValueError(f"vector {name}: a {d.kind} vector needs over=<declared index>")
            self.vector_ranges[base] = self.indices[over]
        elif over is not None:
            self.vector_ranges[base] = self.indices[over]
        if d.kind == "onehot":
            r = self.vector_ranges[base]
            k = hot if hot is not None else sp.Symbol(f"k_{name}", integer=True, positive=True)
            self.onehot_hot[base] = k
            self.indices.setdefault(k, IndexRange(k, r.lo, r.hi))
        return base

    def matrix(self, name: str, rows: sp.Expr | int, cols: sp.Expr | int,
               kind: str = "real") -> sp.MatrixSymbol:
        """A rows x cols matrix of entries in a domain (real, positive, probability for a column
        whose entries are positive and sum to 1), or ``symmetric`` / ``spd`` (symmetric positive
        definite, square)."""
        from verifier.model.shapes import matrix_domain  # same layer

        m = sp.MatrixSymbol(name, as_expr(rows), as_expr(cols))
        self.matrices[m] = matrix_domain(kind, m)
        return m

    def function(self, name: str, dom: str | Domain = "real", nargs: int | None = None) -> sp.FunctionClass:
        """An unknown (uninterpreted) function, such as a model f or a density Pr."""
        d = domain(dom)
        kw = dict(d.assumptions)
        f = sp.Function(name, **kw) if nargs is None else sp.Function(name, nargs=nargs, **kw)
        self.functions[f] = d
        return f

    def define(self, name: sp.Basic, value: sp.Basic) -> sp.Basic:
        """Define a symbol (``L := prod ...``) or a function (``sigma := Lambda(t, ...)``)."""
        self.definitions[name] = value
        return name

    def random_variable(self, name: str, dist: Distribution = GENERIC) -> sp.Symbol:
        """A random variable with a distribution (no stated law: any distribution)."""
        s = sp.Symbol(name, real=True)
        self.random[s] = RandomVariable(s, dist)
        return s

    def declare_independent(self, *rvs: sp.Symbol) -> None:
        """State that the random variables rvs are mutually independent."""
        unknown = [str(r) for r in rvs if r not in self.random]
        if unknown:
            raise ValueError(f"not random variables: {', '.join(unknown)}")
        self.independent.append(frozenset(rvs))

    def mutually_independent(self, rvs) -> bool:
        """Are the random variables rvs covered by one stated mutually independent set?"""
        rvs = frozenset(rvs)
        return len(rvs) <= 1 or any(rvs <= group for group in self.independent)

    # -- queries -----------------------------------------------------------------------
    def domain_of(self, s: sp.Basic) -> Domain | None:
        if isinstance(s, sp.Indexed):
            return self.vectors.get(s.base)
        return self.scalars.get(s)

    def binary_symbols(self, expr: sp.Basic) -> list[sp.Symbol]:
        return sorted((s for s in expr.free_symbols
                       if self.scalars.get(s) is not None and self.scalars[s].finite_values),
                      key=lambda s: s.name)

    def undefined_names(self, expr: sp.Basic) -> list[str]:
        """Names in expr that have no domain and no definition (the step cannot be decided)."""
        known: set = set(self.scalars) | set(self.sizes) | set(self.indices) | set(self.definitions)
        known |= {b.label for b in self.vectors} | set(self.onehot_hot.values()) | set(self.random) | set(self.matrices)
        bound: set = set()
        for node in sp.preorder_traversal(expr):
            if isinstance(node, (sp.Sum, sp.Product, sp.Integral, sp.Lambda)):
                bound |= set(node.variables) if hasattr(node, "variables") else set()
            if isinstance(node, (sp.Derivative,)):
                pass
        missing = []
        for s in expr.free_symbols:
            if isinstance(s, (sp.Indexed, sp.MatrixSymbol)) and s in known:
                continue
            if isinstance(s, sp.Indexed):
                continue
            if s in known or s in bound:
                continue
            if isinstance(s, sp.Dummy):
                continue
            missing.append(s.name)
        for fn in expr.atoms(sp.core.function.AppliedUndef):
            if fn.func not in self.functions and fn.func not in self.definitions:
                missing.append(str(fn.func))
        return sorted(set(missing))
