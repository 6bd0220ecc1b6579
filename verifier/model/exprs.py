"""Turning Python values into SymPy expressions without ever parsing a string.

``sympify`` evaluates strings as Python; user input must never reach it.  ``as_expr``
accepts SymPy objects and Python numbers only, and refuses strings outright.
"""
from __future__ import annotations

from fractions import Fraction
from numbers import Integral, Real

import sympy as sp


def as_expr(value) -> sp.Basic:
    """A SymPy expression for a SymPy object or a Python number; strings are refused."""
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, (str, bytes)):
        raise TypeError(f"refusing to turn a string into an expression: {value[:40]!r}")
    if isinstance(value, bool):
        return sp.Integer(int(value))
    if isinstance(value, Integral):
        return sp.Integer(int(value))
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, Real):
        return sp.Float(float(value))
    raise TypeError(f"cannot use {type(value).__name__} as an expression")
