"""Laws a note names by their density: ``p(x) = \\mathcal{N}(x; \\mu_1, \\sigma_1^2)``, expectations under
them (``\\mathbb{E}_{x \\sim p}[f(x)]``, ``E_p[f(x)]``) and KL divergences between them
(``D_{KL}(p \\| q)``, ``KL(\\mathcal{N}(\\mu, \\sigma^2) \\| \\mathcal{N}(0, 1))``).

* ``\\mathcal{N}(x; m, v)`` is the Gaussian density at x (built in; a definition of ``\\mathcal{N}`` the
  note makes in force wins: then nothing here is read) when v is positive (a square, a number, or a name
  with a positive domain); ``\\mathcal{N}(m, v)`` as the argument of KL is that law.
* A name the note defines as such a density (``p(x) = \\mathcal{N}(x; ...)``) or as the law itself
  (``p = \\mathcal{N}(\\mu, \\sigma^2)``) is the density of a random variable with that law; ``p(t)`` becomes ``Density(X_p, t)``, which the engine evaluates.
* ``\\mathbb{E}_{x\\sim p}[f]`` takes the expectation of f with x drawn from p: x becomes that random
  variable; ``D_{KL}(p, q)`` becomes ``KL(X_p, X_q)``.

Anything else (a law given by its moments only, an unknown density, a non-positive variance) is left
as the reader made it, and stays ``unknown``.
"""
from __future__ import annotations

import re
from functools import lru_cache

import sympy as sp
from sympy.core.function import AppliedUndef

from verifier.model.random import KL, Density, E, Normal

_GAUSS = "calN"
_EXPECT = {"E", "bbE", "bfE"}
_KL = {"D_KL", "KL"}


def _plain_name(f) -> str:
    return re.sub(r"__\d+$", "", f.__name__)


def _positive(v: sp.Basic, ctx) -> bool:
    if v.is_positive:
        return True
    if isinstance(v, sp.Pow) and v.exp.is_even and v.base.is_nonzero is not False and v.base.free_symbols:
        return bool(v.base.is_positive)  # sigma^2 with sigma > 0
    return False


@lru_cache(maxsize=64)
def is_gaussian_density(value: sp.Basic) -> bool:
    """Whether a note's definition of N(x; m, v) is the Gaussian density itself (then the built-in
    meaning, with its laws and expectations, is the note's too)."""
    if not isinstance(value, sp.Lambda) or len(value.variables) != 3:
        return False
    x, m = sp.Symbol("x", real=True), sp.Symbol("m", real=True)
    v = sp.Symbol("v", positive=True)
    body = value(x, m, v)
    standard = sp.exp(-(x - m) ** 2 / (2 * v)) / sp.sqrt(2 * sp.pi * v)
    try:
        return sp.simplify(sp.expand_power_base(body / standard, force=False)) == 1
    except Exception:  # noqa: BLE001 - not shown to be the density: the note's own meaning is kept
        return False


class _Laws:
    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.gauss_defined = any(isinstance(f, sp.FunctionClass) and _plain_name(f) == _GAUSS
                                 and not is_gaussian_density(v) for f, v in ctx.definitions.items())
        self.densities: dict[str, sp.Symbol] = {}
        if self.gauss_defined:
            return
        for f, value in ctx.definitions.items():
            if isinstance(f, sp.Symbol) and isinstance(value, AppliedUndef) and _plain_name(value.func) == _GAUSS \
                    and len(value.args) == 2:  # p = N(mu, sigma^2): the law itself
                rv = self.variable(*value.args, label=f.name)
                if rv is not None:
                    self.densities[f.name] = rv
                continue
            if not isinstance(f, sp.FunctionClass) or not isinstance(value, sp.Lambda) or len(value.variables) != 1:
                continue
            (t,) = value.variables
            body = value.expr
            if isinstance(body, AppliedUndef) and _plain_name(body.func) == _GAUSS and len(body.args) == 3 \
                    and body.args[0] == t and not (body.args[1].free_symbols | body.args[2].free_symbols) & {t}:
                rv = self.variable(body.args[1], body.args[2], _plain_name(f))
                if rv is not None:
                    self.densities[_plain_name(f)] = rv

    def variable(self, m: sp.Basic, v: sp.Basic, label: str = "") -> sp.Symbol | None:
        """The random variable of the law N(m, v) (one per law in the context)."""
        if not _positive(v, self.ctx):
            return None
        law = Normal(m, sp.sqrt(v))
        for s, rv in self.ctx.random.items():
            if rv.distribution == law and s.name.startswith("X_"):
                return s
        name = f"X_{label or 'N' + str(len(self.ctx.random) + 1)}"
        while any(s.name == name for s in self.ctx.random) or any(s.name == name for s in self.ctx.scalars):
            name += "'"
        return self.ctx.random_variable(name, law)

    def law_of(self, a: sp.Basic) -> sp.Symbol | None:
        """The random variable of a law written as a density's name (p) or as N(m, v)."""
        if isinstance(a, sp.Symbol) and a.name in self.densities:
            return self.densities[a.name]
        if isinstance(a, AppliedUndef) and _plain_name(a.func) == _GAUSS and len(a.args) == 2:
            return self.variable(*a.args)
        return None

    def density_calls(self, e: sp.Basic) -> sp.Basic:
        """p(t) for a density name p, and N(t; m, v): Density(X, t)."""
        def conv(c):
            name = _plain_name(c.func)
            if name in self.densities and len(c.args) == 1:
                return Density(self.densities[name], c.args[0])
            if name == _GAUSS and len(c.args) == 3 and not self.gauss_defined:
                rv = self.variable(c.args[1], c.args[2])
                return c if rv is None else Density(rv, c.args[0])
            return c
        return e.replace(lambda c: isinstance(c, AppliedUndef), conv)

    def expectation(self, c: AppliedUndef) -> sp.Basic | None:
        base, _, sub = _plain_name(c.func).partition("_")
        if base not in _EXPECT or not sub or len(c.args) != 1:
            return None
        var, _, law = sub.partition("sim") if "sim" in sub else ("", "", sub)
        rv = self.densities.get(law)
        if rv is None:
            return None
        f = c.args[0]
        xs = [s for s in f.free_symbols if isinstance(s, sp.Symbol) and s.name == var] if var else []
        if var and len(xs) != 1:
            return None
        g = f.xreplace({xs[0]: rv}) if xs else f
        g = self.density_calls(g)
        if g.atoms(AppliedUndef) - g.atoms(Density) or rv not in g.free_symbols | {
                s for d in g.atoms(Density) for s in d.args[1].free_symbols}:
            return None
        return E(g)

    def convert(self, e: sp.Basic) -> sp.Basic:
        def conv(c):
            out = self.expectation(c)
            if out is not None:
                return out
            if _plain_name(c.func) in _KL and len(c.args) == 2 and c.func not in self.ctx.definitions:
                a, b = (self.law_of(x) for x in c.args)
                if a is not None and b is not None:
                    return KL(a, b)
            return c
        out = e.replace(lambda c: isinstance(c, AppliedUndef), conv)
        return self.density_calls(out) if (self.densities or not self.gauss_defined) else out


def as_laws(expr: sp.Basic, ctx) -> sp.Basic:
    """Densities of named laws, expectations under them and KL between them as the engine's operators."""
    if not isinstance(expr, sp.Basic) or not expr.atoms(AppliedUndef):
        return expr
    return _Laws(ctx).convert(expr)


__all__ = ["as_laws"]
