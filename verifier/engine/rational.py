"""A fast exact test that an expression is 0: as a rational function of its atoms.

``exp(a + b)`` is written ``exp(a) exp(b)``, and each ``exp(c t)`` with a rational c becomes
``E_t^c`` for one new positive symbol ``E_t = exp(t)`` per t (only an integer c unless t is
real: ``exp(t)^{1/2}`` is ``exp(t/2)`` only for real t).  Every other non-rational part (a log, an
unknown function, a vector entry) stays an atom.  If the result is 0 as a rational function of
these symbols (its numerator expands to 0), the expression is 0 wherever it is defined, since
putting the values back is a homomorphism.  The converse fails (``exp(log x) = x`` is not seen):
a failure proves nothing, and the engine goes on to ``simplify``, which is often ten times slower
on the sigmoid and softmax identities this test settles.
"""
from __future__ import annotations

import sympy as sp

#: an expression with more terms than this is left to simplify (expanding its numerator would cost more)
MAX_TERMS = 400


def exponentials_as_symbols(expr: sp.Basic) -> sp.Basic:
    """expr with exp(c t) -> E_t^c (E_t a positive symbol standing for exp(t)), as described above."""
    gens: dict = {}

    def symbol_for(t: sp.Basic) -> sp.Symbol:
        return gens.setdefault(t, sp.Dummy("E", positive=True))

    def as_power(x: sp.exp) -> sp.Basic:
        c, t = x.args[0].as_coeff_Mul()
        if not c.is_Rational or not (c.is_Integer or t.is_extended_real):
            c, t = sp.Integer(1), x.args[0]
        return symbol_for(t) ** c

    e = sp.expand_power_exp(expr)
    return e.replace(lambda x: isinstance(x, sp.exp), as_power)


def is_rational_zero(expr: sp.Basic) -> bool:
    """Is expr 0 as a rational function of its exponentials and other atoms?  (True proves it.)"""
    if expr.has(sp.Sum, sp.Product, sp.Integral, sp.Derivative, sp.Limit, sp.Piecewise):
        return False  # bound variables and cases: not a rational function of atoms
    if len(sp.Add.make_args(expr)) > MAX_TERMS:
        return False
    e = exponentials_as_symbols(expr)
    numerator, _ = sp.fraction(sp.together(e))
    return sp.expand(numerator) == 0
