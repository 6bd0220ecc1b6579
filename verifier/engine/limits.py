r"""Limits: one-sided limits, the ``0 log 0 = 0`` convention, and infinite values.

* :class:`XLogX` is ``t log t`` extended to ``t = 0`` by its one-sided limit
  ``lim_{t->0+} t log t = 0`` (computed by SymPy, not assumed): the ``0 log 0 = 0`` convention
  of entropy written into the expression, so that a one-hot entry (0 or 1) has a value.  It
  prints as ``t \log t``; for a positive argument it *is* ``t*log(t)`` (evaluated at once).
* :func:`value_at` substitutes a value into an expression; where plain substitution is
  undefined (``0 * log 0`` is ``nan`` in SymPy) it takes the one-sided limit instead, which
  is the convention ``0 log 0 := lim_{t->0+} t log t = 0``.  It returns ``None`` when even
  the limit is not a finite number, so callers leave the expression alone.
* :func:`prove_extended_equal` proves ``lhs = rhs`` when both sides evaluate (after their
  ``Limit`` objects are evaluated) to the same infinity: ``lim_{p->0+} -log p = +oo``.
  ``oo - oo`` is undefined, so the difference-is-zero test cannot see it.
"""
from __future__ import annotations

import sympy as sp

_UNDEFINED = (sp.nan, sp.zoo)


def is_undefined(expr: sp.Basic) -> bool:
    """nan or complex infinity anywhere in expr."""
    return expr.has(*_UNDEFINED)


def value_at(expr: sp.Basic, x: sp.Basic, point: sp.Basic, direction: str = "+") -> sp.Basic | None:
    """expr with x := point, or the one-sided limit there if substitution is undefined.

    Applied term by term (``0 * log 0`` in one term does not spoil the others).  None when a
    term has no finite value even as a limit.
    """
    out = []
    for term in sp.Add.make_args(sp.expand_mul(expr)):
        v = term.xreplace({x: point})
        if not (is_undefined(v) or v.has(sp.oo, -sp.oo)):
            out.append(v)
            continue
        t = sp.Dummy("t", positive=True) if (point == 0 and direction == "+") else sp.Dummy("t", real=True)
        try:
            lim = sp.Limit(term.xreplace({x: t}), t, point, direction).doit()
        except (ValueError, NotImplementedError, TypeError):
            return None
        if lim.has(sp.Limit) or is_undefined(lim) or not lim.is_finite:
            return None
        out.append(lim)
    return sp.Add(*out)


def _evaluated(expr: sp.Basic) -> sp.Basic:
    if not expr.has(sp.Limit):
        return expr
    return expr.replace(lambda e: isinstance(e, sp.Limit), _doit_or_keep)


def _doit_or_keep(e: sp.Limit) -> sp.Basic:
    try:
        return e.doit()
    except (ValueError, NotImplementedError, TypeError, ZeroDivisionError):
        return e


def prove_extended_equal(a: sp.Basic, b: sp.Basic, ctx=None) -> str | None:
    """A method name if a and b are the same infinity (+oo or -oo) after evaluating limits."""
    if not (a.has(sp.Limit) or b.has(sp.Limit) or a.has(sp.oo, -sp.oo) or b.has(sp.oo, -sp.oo)):
        return None
    try:
        va, vb = sp.simplify(_evaluated(a)), sp.simplify(_evaluated(b))
    except (ValueError, NotImplementedError, TypeError, ZeroDivisionError):
        return None  # a limit SymPy evaluates to a form it cannot simplify: no proof here
    if va.has(sp.Limit) or vb.has(sp.Limit):
        return None
    for inf in (sp.oo, -sp.oo):
        if va == inf and vb == inf:
            return f"limit evaluation (both sides are {'+' if inf == sp.oo else '-'}oo)"
    return None


_T0 = sp.Symbol("t", positive=True)


def _zero_log_zero() -> sp.Basic:
    v = sp.limit(_T0 * sp.log(_T0), _T0, 0, "+")
    if v != 0:  # pragma: no cover - SymPy knows this limit
        raise RuntimeError(f"unexpected lim t log t = {v}")
    return v


class XLogX(sp.Function):
    """t log t for t > 0, and its one-sided limit 0 at t = 0 (the 0 log 0 = 0 convention).

    Undefined (left unevaluated) for negative numbers.  ``XLogX(p)`` with ``p`` positive
    evaluates to ``p*log(p)`` at once, so proofs about probability vectors see the plain form.
    """

    nargs = 1
    _at_zero: sp.Basic | None = None

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            if cls._at_zero is None:
                cls._at_zero = _zero_log_zero()
            return cls._at_zero
        if x.is_positive:
            return x * sp.log(x)
        return None

    @staticmethod
    def _imp_(x):  # numeric implementation (lambdify): mpmath / float
        import mpmath

        if x == 0:
            return mpmath.mpf(0)
        if x < 0:
            raise ValueError("t log t is undefined for t < 0")
        return x * mpmath.log(x)

    def fdiff(self, argindex=1):
        return sp.log(self.args[0]) + 1

    def _eval_is_real(self):
        return self.args[0].is_nonnegative

    def _eval_rewrite_as_log(self, x, **kwargs):
        return sp.Piecewise((0, sp.Eq(x, 0)), (x * sp.log(x), True))

    def _eval_evalf(self, prec):
        x = self.args[0].evalf(prec)
        if x.is_zero:
            return sp.Float(0, precision=prec)
        if x.is_positive:
            return (x * sp.log(x)).evalf(prec)
        return None

    def _latex(self, printer, exp=None):
        a = printer._print(self.args[0])
        if not (self.args[0].is_Atom or isinstance(self.args[0], sp.Indexed)):
            a = rf"\left({a}\right)"
        s = rf"{a} \log {a}"
        return s if exp is None else rf"\left({s}\right)^{{{exp}}}"

    def _sympystr(self, printer):
        a = printer._print(self.args[0])
        return f"{a}*log({a})"
