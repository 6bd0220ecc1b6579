"""Domains of symbols: what values a symbol may take.

A domain serves two purposes: it gives SymPy the assumptions a proof may use
(``positive=True`` lets ``log(a*b)`` split), and it tells the numeric strategies
where to draw sample points.  Every sampled point lies strictly inside the domain.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

import mpmath
import sympy as sp


@dataclass(frozen=True)
class Domain:
    """A set of admissible values for a scalar symbol or for the entries of a vector."""

    kind: str
    description: str
    assumptions: dict = field(default_factory=dict, hash=False, compare=False)

    def sample(self, rng: random.Random, special: int | None = None) -> mpmath.mpf:
        """One value inside the domain (edge-ish values are drawn now and then).

        ``special=j`` gives the j-th of a few deterministic values where identities often
        break (0, 1, -1, the middle and the edges of an interval).
        """
        if special is not None and self.kind in _SPECIAL:
            vals = _SPECIAL[self.kind]
            return mpmath.mpf(vals[special % len(vals)])
        return _SAMPLERS[self.kind](rng)

    @property
    def finite_values(self) -> tuple[int, ...] | None:
        """The values of a finite domain, for proofs by cases."""
        return _FINITE.get(self.kind)

    def __str__(self) -> str:
        return self.description


def _real(rng: random.Random) -> mpmath.mpf:
    r = rng.random()
    if r < 0.1:
        return mpmath.mpf(rng.choice([0, 1, -1, 2, -2]))
    if r < 0.2:
        return mpmath.mpf(rng.uniform(-50, 50))
    return mpmath.mpf(rng.gauss(0, 2))


def _positive(rng: random.Random) -> mpmath.mpf:
    r = rng.random()
    if r < 0.1:
        return mpmath.mpf(rng.choice(["0.001", "1", "2", "0.5", "100"]))
    return mpmath.exp(mpmath.mpf(rng.gauss(0, 1.5)))


def _nonnegative(rng: random.Random) -> mpmath.mpf:
    return mpmath.mpf(0) if rng.random() < 0.1 else _positive(rng)


def _unit(rng: random.Random) -> mpmath.mpf:
    r = rng.random()
    if r < 0.1:
        return mpmath.mpf(rng.choice(["0.0001", "0.9999", "0.5", "0.01", "0.99"]))
    return mpmath.mpf(rng.uniform(0.001, 0.999))


def _integer(rng: random.Random) -> mpmath.mpf:
    return mpmath.mpf(rng.randint(-6, 6))


def _binary(rng: random.Random) -> mpmath.mpf:
    return mpmath.mpf(rng.randint(0, 1))


def _sign(rng: random.Random) -> mpmath.mpf:
    return mpmath.mpf(rng.choice((-1, 1)))


_SAMPLERS = {
    "real": _real,
    "positive": _positive,
    "nonnegative": _nonnegative,
    "unit": _unit,
    "integer": _integer,
    "binary": _binary,
    "sign": _sign,
    # vector domains sample entry-wise and are then normalised by the sampler in numeric.py
    "probability": _positive,
    "onehot": _binary,
}

#: deterministic values tried first, per domain kind
_SPECIAL = {
    "real": ["0", "1", "-1", "2", "-0.5"],
    "positive": ["1", "0.5", "2", "0.001", "100"],
    "nonnegative": ["0", "1", "0.5", "2", "100"],
    "unit": ["0.5", "0.001", "0.999", "0.1", "0.9"],
    "integer": ["0", "1", "-1", "2", "-2"],
    "binary": ["0", "1", "1", "0", "1"],
    "sign": ["1", "-1", "-1", "1", "1"],
}
#: the values of the finite domains (proofs by cases)
_FINITE = {"binary": (0, 1), "sign": (-1, 1)}
SPECIAL_POINTS = 5

REAL = Domain("real", "real", {"real": True})
POSITIVE = Domain("positive", "positive (> 0)", {"positive": True})
NONNEGATIVE = Domain("nonnegative", "non-negative (>= 0)", {"nonnegative": True})
UNIT = Domain("unit", "in (0, 1)", {"positive": True})
INTEGER = Domain("integer", "integer", {"integer": True})
BINARY = Domain("binary", "binary {0, 1}", {"integer": True, "nonnegative": True})
SIGN = Domain("sign", "a sign {-1, +1}", {"integer": True, "nonzero": True})
PROBABILITY = Domain("probability", "probability vector (entries > 0, sum 1)", {"positive": True})
ONEHOT = Domain("onehot", "one-hot vector", {"nonnegative": True})

BY_NAME = {d.kind: d for d in (REAL, POSITIVE, NONNEGATIVE, UNIT, INTEGER, BINARY, SIGN, PROBABILITY, ONEHOT)}


def domain(name: str | Domain) -> Domain:
    """Look a domain up by name ('real', 'positive', 'unit', 'binary', ...)."""
    if isinstance(name, Domain):
        return name
    try:
        return BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown domain {name!r}; known: {', '.join(BY_NAME)}") from None


@dataclass(frozen=True)
class IndexRange:
    """An index symbol running over lo..hi (hi usually a size symbol such as n)."""

    index: sp.Symbol
    lo: sp.Expr
    hi: sp.Expr


def unit_reparametrisation(sym: sp.Symbol) -> tuple[sp.Symbol, sp.Expr]:
    """A positive symbol t with sym = t/(1+t): a bijection (0, oo) -> (0, 1).

    Under it SymPy knows both ``sym > 0`` and ``1 - sym > 0``, which lets logs of
    ``1 - yhat`` expand soundly.
    """
    t = sp.Dummy(f"{sym.name}_t", positive=True)
    return t, t / (1 + t)
