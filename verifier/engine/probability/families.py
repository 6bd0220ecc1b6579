"""The standard distributions: densities and moments (a registry: family -> its facts).

An expectation under a location-scale family is taken through the standard variable
Z (X = loc + scale * Z): an expression polynomial in Z and |Z| has the expectation
``sum c_jk E[Z^j |Z|^k]``, and those standard moments are closed forms.  Discrete
families with infinite or parameter-sized support use moments from the moment
generating function (polynomials in X only).  Every closed form here is textbook; the
tests re-derive each by quadrature or a finite sum.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp

from verifier.model.random import Distribution

_t = sp.Symbol("_t_mgf", real=True)


def _normal_std(j: int, k: int) -> sp.Expr:
    if j % 2:
        return sp.Integer(0)
    m = j + k
    if m % 2 == 0:
        return sp.factorial2(m - 1) if m else sp.Integer(1)
    h = (m - 1) // 2
    return sp.sqrt(2 / sp.pi) * 2**h * sp.factorial(h)


def _laplace_std(j: int, k: int) -> sp.Expr:
    return sp.Integer(0) if j % 2 else sp.factorial(j + k)


def _exponential_std(j: int, k: int) -> sp.Expr:  # Z >= 0: |Z| = Z
    return sp.factorial(j + k)


def _uniform_std(j: int, k: int) -> sp.Expr:  # Z on (0, 1)
    return sp.Rational(1, j + k + 1)


def _integer_atoms(p: tuple) -> list:
    """The atoms of the uniform law on the integers p[0]..p[1] (given as integers; anything else has none)."""
    a, b = p
    if not (a.is_Integer and b.is_Integer and a < b and b - a <= 1000):
        raise ValueError(f"a discrete uniform law needs integer bounds, not {a}, {b}")
    return [(sp.Integer(k), sp.Rational(1, int(b - a) + 1)) for k in range(int(a), int(b) + 1)]


@dataclass(frozen=True)
class Family:
    """What the engine knows of one family of distributions."""

    density: Callable[[sp.Expr, tuple], sp.Expr]
    #: location-scale: params -> (loc, scale), and E[Z^j |Z|^k] of the standard variable
    standard: Callable[[tuple], tuple] | None = None
    std_moment: Callable[[int, int], sp.Expr] | None = None
    #: moment generating function M(t) (moments of X as derivatives at 0)
    mgf: Callable[[tuple], sp.Expr] | None = None
    #: a finite support: params -> list of (value, probability)
    atoms: Callable[[tuple], list] | None = None


FAMILIES: dict[str, Family] = {
    "normal": Family(
        density=lambda x, p: sp.exp(-(x - p[0])**2 / (2 * p[1]**2)) / (sp.sqrt(2 * sp.pi) * p[1]),
        standard=lambda p: (p[0], p[1]), std_moment=_normal_std),
    "laplace": Family(
        density=lambda x, p: sp.exp(-sp.Abs(x - p[0]) / p[1]) / (2 * p[1]),
        standard=lambda p: (p[0], p[1]), std_moment=_laplace_std),
    "exponential": Family(
        density=lambda x, p: p[0] * sp.exp(-p[0] * x),
        standard=lambda p: (sp.Integer(0), 1 / p[0]), std_moment=_exponential_std),
    "uniform": Family(
        density=lambda x, p: 1 / (p[1] - p[0]),
        standard=lambda p: (p[0], p[1] - p[0]), std_moment=_uniform_std),
    "bernoulli": Family(
        density=lambda x, p: p[0]**x * (1 - p[0])**(1 - x),
        atoms=lambda p: [(sp.Integer(0), 1 - p[0]), (sp.Integer(1), p[0])]),
    "discrete_uniform": Family(
        density=lambda x, p: 1 / (p[1] - p[0] + 1),
        atoms=lambda p: _integer_atoms(p)),
    "binomial": Family(
        density=lambda x, p: sp.binomial(p[0], x) * p[1]**x * (1 - p[1])**(p[0] - x),
        mgf=lambda p: (1 - p[1] + p[1] * sp.exp(_t))**p[0]),
    "poisson": Family(
        density=lambda x, p: p[0]**x * sp.exp(-p[0]) / sp.factorial(x),
        mgf=lambda p: sp.exp(p[0] * (sp.exp(_t) - 1))),
}


def family(dist: Distribution) -> Family | None:
    return FAMILIES.get(dist.family)


def raw_moment(fam: Family, params: tuple, k: int) -> sp.Expr:
    """E[X^k] from the moment generating function."""
    if k == 0:
        return sp.Integer(1)
    return sp.simplify(sp.diff(fam.mgf(params), _t, k).subs(_t, 0))
