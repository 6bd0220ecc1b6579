"""Random variables, their distributions, and the operators of probability and information.

A derivation declares random variables with a distribution and the independence it assumes::

    X = D.random("X", Normal(mu, sigma))     # sigma is the standard deviation
    Y = D.random("Y")                        # a random variable with no stated law
    D.independent(X, Y)                      # mutually independent
    c = D.chain(Var(a * X + b))
    c.eq(a**2 * Var(X), "Var(aX + b) = a^2 Var(X)")

The operators (:class:`E`, :class:`Var`, :class:`Cov`, :class:`Corr`, :class:`Entropy`,
:class:`KL`, :class:`Density`) are unevaluated SymPy functions; the engine
(``verifier.engine.probability``) gives them their meaning (a finite sum, a closed form).
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from verifier.model.exprs import as_expr


@dataclass(frozen=True)
class Distribution:
    """A family name and its parameters (SymPy expressions)."""

    family: str
    params: tuple = ()

    def __str__(self) -> str:
        if not self.params:
            return self.family
        return f"{self.family}({', '.join(sp.sstr(p) for p in self.params)})"


def _dist(family: str, *params) -> Distribution:
    return Distribution(family, tuple(as_expr(p) if not isinstance(p, sp.IndexedBase) else p for p in params))


def Normal(mu, sigma) -> Distribution:
    """Gaussian with mean mu and standard deviation sigma (> 0)."""
    return _dist("normal", mu, sigma)


def Bernoulli(p) -> Distribution:
    return _dist("bernoulli", p)


def Binomial(n, p) -> Distribution:
    return _dist("binomial", n, p)


def Poisson(lam) -> Distribution:
    return _dist("poisson", lam)


def Exponential(lam) -> Distribution:
    """Rate lam (> 0): density lam e^{-lam x} on x > 0."""
    return _dist("exponential", lam)


def Laplace(mu, b) -> Distribution:
    """Location mu, scale b (> 0): density e^{-|x - mu|/b} / (2b)."""
    return _dist("laplace", mu, b)


def Uniform(a, b) -> Distribution:
    """Uniform on (a, b), a < b."""
    return _dist("uniform", a, b)


def DiscreteUniform(a, b) -> Distribution:
    """Uniform on the integers a, a+1, ..., b (a fair die: DiscreteUniform(1, 6))."""
    return _dist("discrete_uniform", a, b)


def Categorical(values: sp.IndexedBase, probs: sp.IndexedBase, index: sp.Symbol) -> Distribution:
    """Takes values[i] with probability probs[i], i over a declared index (probs a probability vector)."""
    return Distribution("categorical", (values, probs, index))


def JointTable(names: tuple, rows: tuple, weights: tuple) -> Distribution:
    """A stated finite joint law of the random variables ``names``: row k gives them the values ``rows[k]``
    with probability ``weights[k]`` (exact numbers summing to 1).  Every random variable of the table
    carries this same distribution, so the engine sees which ones share it."""
    return Distribution("table", (tuple(names), tuple(tuple(as_expr(v) for v in r) for r in rows),
                                  tuple(as_expr(w) for w in weights)))


def table_latex(dist: Distribution) -> str:
    """The rows of a joint table as a person writes them: P(D=1, T=1) = 99/10000, ..."""
    names, rows, weights = dist.params
    parts = []
    for row, w in zip(rows, weights):
        if w == 0:
            continue
        parts.append("P(" + ", ".join(f"{n}={v}" for n, v in zip(names, row)) + f") = {sp.sstr(w)}")
    return "; ".join(parts)


GENERIC = Distribution("generic")

#: families whose support is finite (an expectation is a finite sum)
FINITE_FAMILIES = ("bernoulli", "categorical", "binomial", "discrete_uniform", "table")
FAMILIES = ("normal", "bernoulli", "binomial", "poisson", "exponential", "laplace", "uniform",
            "categorical", "discrete_uniform", "table", "generic")


@dataclass(frozen=True)
class RandomVariable:
    """A named random variable: its symbol in expressions and its distribution."""

    symbol: sp.Symbol
    distribution: Distribution = GENERIC

    @property
    def name(self) -> str:
        return self.symbol.name


# ----------------------------------------------------------------------------------------
# operators (unevaluated; the engine lowers them)
# ----------------------------------------------------------------------------------------
def _wrap(printer, expr) -> str:
    return printer._print(expr)


def _power(exp, tex: str) -> str:
    return tex if exp is None else r"\left(" + tex + r"\right)^{" + exp + "}"


class E(sp.Function):
    """The expectation of an expression of random variables."""

    nargs = 1

    def _latex(self, printer, exp=None) -> str:
        return _power(exp, r"\mathbb{E}\left[" + _wrap(printer, self.args[0]) + r"\right]")


class Var(sp.Function):
    nargs = 1

    def _latex(self, printer, exp=None) -> str:
        return _power(exp, r"\operatorname{Var}\left(" + _wrap(printer, self.args[0]) + r"\right)")


class Cov(sp.Function):
    nargs = 2

    def _latex(self, printer, exp=None) -> str:
        a, b = (_wrap(printer, x) for x in self.args)
        return _power(exp, r"\operatorname{Cov}\left(" + a + ", " + b + r"\right)")


class Corr(sp.Function):
    nargs = 2

    def _latex(self, printer, exp=None) -> str:
        a, b = (_wrap(printer, x) for x in self.args)
        return _power(exp, r"\operatorname{Corr}\left(" + a + ", " + b + r"\right)")


class Entropy(sp.Function):
    """H(X): the (differential) entropy of the law of X, in nats; H((X, Y)) the joint entropy of X and Y."""

    nargs = 1

    def _latex(self, printer, exp=None) -> str:
        (x,) = self.args
        inner = ", ".join(_wrap(printer, a) for a in x) if isinstance(x, sp.Tuple) else _wrap(printer, x)
        return _power(exp, r"H\left(" + inner + r"\right)")


class KL(sp.Function):
    """D_KL(law(X) || law(Y)) for two random variables X, Y."""

    nargs = 2

    def _latex(self, printer, exp=None) -> str:
        a, b = (_wrap(printer, x) for x in self.args)
        return _power(exp, r"D_{\mathrm{KL}}\left(" + a + r" \,\|\, " + b + r"\right)")


class Density(sp.Function):
    """Density(X, x): the density (or mass function) of the law of X at x."""

    nargs = 2

    def _latex(self, printer, exp=None) -> str:
        a, b = (_wrap(printer, x) for x in self.args)
        return _power(exp, "p_{" + a + "}\\left(" + b + r"\right)")


OPERATORS = (E, Var, Cov, Corr, Entropy, KL, Density)


def has_probability(expr: sp.Basic) -> bool:
    """Does expr use an operator of probability?"""
    return isinstance(expr, sp.Basic) and expr.has(*OPERATORS)
