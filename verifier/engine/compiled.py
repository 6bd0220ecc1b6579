"""Expressions compiled once to mpmath functions, then evaluated at many points.

Every leaf of the expression (a symbol or a concrete vector entry ``x[2]``) is printed as the name
of an argument ``_v0, _v1, ...`` by the code printer itself: renaming them in the expression
first (or letting lambdify rename each Dummy and non-identifier argument by a pass over the whole
expression) made compiling cost more than evaluating.  Distinct leaves get distinct names even
when they print alike (``x`` real and ``x`` positive), and no leaf can shadow a function name.
Unknown functions are dispatched to the point's sampled functions at call time, so one compiled
form serves every point.

A definite integral is compiled to mpmath's quadrature of its compiled integrand, a Python
lambda whose parameter is the integration variable: Python's own scoping then keeps a bound
variable apart from a free symbol of the same name (``x + \\int_0^x x^2 dx``).  A quadrature
whose own error estimate is not below the tolerance at which values are compared (half the
working digits, relative) gives no value: a divergent integral, a singularity inside the
interval or an endpoint singularity that the rule does not resolve at this precision is
``NotNumeric`` at that point, never a number.  Integrating symbolically at every sampled point
(what SymPy's ``doit`` does) cost seconds per point for integrands with parameters in their
exponents, such as the Beta function's.
"""
from __future__ import annotations

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.pycode import MpmathPrinter


class NotNumeric(Exception):
    """The expression did not evaluate to a real number at a point."""


#: where compiling is not worth it (or not possible): SymPy's evalf evaluates these
SLOW = (sp.Derivative, sp.Integral, sp.Limit, sp.Sum, sp.Product, sp.DiracDelta, sp.Subs)
_NOT_QUADRABLE = tuple(t for t in SLOW if t is not sp.Integral)


def quadrable(expr: sp.Basic) -> bool:
    """Has expr no construct but definite integrals that only compiled evaluation lacks?  Each
    integral must be in one variable, definite, with limits free of integrals and an integrand
    whose part that depends on the variable has none either: a nested quadrature's inner values
    near the outer endpoints are too small for its own error estimate to vouch for them."""
    if not expr.has(sp.Integral):
        return not expr.has(*SLOW)
    if expr.has(*_NOT_QUADRABLE):
        return False
    for integral in expr.atoms(sp.Integral):
        if len(integral.limits) != 1 or len(integral.limits[0]) != 3:
            return False
        _, low, high = integral.limits[0]
        if low.has(sp.Integral) or high.has(sp.Integral) or split_integrand(integral)[1].has(sp.Integral):
            return False
    return True


def split_integrand(integral: sp.Integral) -> tuple[sp.Basic, sp.Basic]:
    """(the factors of the integrand free of the variable, the rest): c * int g = int c g."""
    var = integral.limits[0][0]
    factors = sp.Mul.make_args(integral.function)
    free = [f for f in factors if var not in f.free_symbols]
    return sp.Mul(*free), sp.Mul(*[f for f in factors if var in f.free_symbols])


def quadrature(f, low, high):
    """The integral of f from low to high at the working precision, or NotNumeric where mpmath's
    error estimate is not below half the working digits relative to the value.  There is no
    absolute floor: the Beta integral at a = b = 100 is 1e-61, and an absolute 1e-30 let an
    inaccurate value through, whose logarithm then refuted a correct identity.

    A failure here is never an undefined value (which may refute a step): a node of the rule at
    an integrable singularity (1/sqrt|x| at 0) or a divergent integral is the method's failure at
    this point, so its message avoids the words of evidence.undefined_value."""
    dps = mpmath.mp.dps
    try:
        value, error = mpmath.quad(f, [low, high], error=True)
    except (ZeroDivisionError, OverflowError, ValueError, TypeError):
        raise NotNumeric("quadrature met a node where the integrand has no value") from None
    if isinstance(value, mpmath.mpc):
        if value.imag != 0:
            raise NotNumeric("the integral has no real value by quadrature at this point")
        value = value.real
    if not (mpmath.isfinite(value) and error <= abs(value) * mpmath.mpf(10) ** (-(dps // 2))):
        raise NotNumeric(f"the integral has no value by quadrature at this point (error estimate "
                         f"{mpmath.nstr(error, 3)} at {dps} digits: divergent, or singular inside)")
    return value


class _LeafPrinter(MpmathPrinter):
    """mpmath code in which every leaf prints as the name of its argument."""

    def __init__(self, names: dict, functions: dict, settings: dict) -> None:
        super().__init__(settings)
        self.names = names
        self.functions = functions  # unknown function -> the safe name it is called by

    def _print_AppliedUndef(self, expr):
        # a function's name from a note need not be a Python name (Q_{n-1} is named "Q_n-1")
        name = self.functions.get(expr.func)
        if name is None:
            return super()._print_Function(expr)
        return f"{name}({', '.join(self._print(a) for a in expr.args)})"

    def _print_Symbol(self, expr):
        return self.names.get(expr) or super()._print_Symbol(expr)

    _print_Dummy = _print_Symbol

    def _print_Indexed(self, expr):
        return self.names.get(expr) or super()._print_Indexed(expr)

    def _print_Integral(self, expr):
        # quadrature(lambda _b: g, low, high); a factor free of the variable is computed once, not
        # at every node: the constant 1/B(a, b) of a density whose B is itself an integral
        (var, low, high), = expr.limits
        factor, integrand = split_integrand(expr)
        name = self.names.setdefault(var, f"_b{len(self.names)}")
        body = f"_quadrature(lambda {name}: {self._print(integrand)}, {self._print(low)}, {self._print(high)})"
        return body if factor == 1 else f"({self._print(factor)})*{body}"


def leaves(expr: sp.Basic) -> list[sp.Basic]:
    """The concrete entries x[2] and the symbols outside them (an entry's base is no leaf), in a
    fixed order; a variable that only an integral binds is no leaf."""
    entries: set = set()
    symbols: set = set()
    bound = {lim[0] for i in expr.atoms(sp.Integral) for lim in i.limits} - expr.free_symbols
    stack = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, sp.Indexed):
            entries.add(e)
        elif isinstance(e, sp.Symbol):
            symbols.add(e)
        else:
            stack.extend(e.args)
    return sorted(entries, key=str) + sorted(symbols - bound, key=str)


class Compiled:
    """expr compiled to an mpmath function of its leaves (symbols and concrete entries)."""

    def __init__(self, expr: sp.Basic) -> None:
        self.funcs = sorted({a.func for a in expr.atoms(AppliedUndef)}, key=str)
        self.leaves = leaves(expr)  # the order of the compiled function's arguments
        names = {leaf: f"_v{k}" for k, leaf in enumerate(self.leaves)}
        self.impl: dict[str, object] = {}
        safe = {f: f"_fn{k}" for k, f in enumerate(self.funcs)}
        user = {safe[f]: self._dispatch(f.__name__) for f in self.funcs}
        user["KroneckerDelta"] = lambda a, b: mpmath.mpf(1 if a == b else 0)
        user["_quadrature"] = quadrature
        printer = _LeafPrinter(names, safe, {"fully_qualified_modules": False, "inline": True,
                                             "allow_unknown_functions": True,
                                             "user_functions": {k: k for k in user}})
        self.fn = sp.lambdify([sp.Symbol(n) for n in names.values()], expr, modules=[user, "mpmath"],
                              printer=printer, docstring_limit=0)
        # lambdify also binds each symbol's name in the function's namespace, so a symbol called
        # exp or gamma would hide mpmath's function of that name: put the functions back
        space, base = self.fn.__globals__, mpmath_namespace()
        for s in expr.atoms(sp.Symbol):
            name = str(s)
            if name in user or name in base:
                space[name] = user.get(name, base.get(name))
            else:
                space.pop(name, None)

    def _dispatch(self, name: str):
        return lambda *args: self.impl[name](*args)

    def __call__(self, point, dps: int):
        """The value at `point` (values: leaf -> number; functions: function -> sample) at dps digits."""
        for f in self.funcs:
            lam = point.functions.get(f)
            if lam is None:
                raise NotNumeric(f"no definition or sample for {f}")
            self.impl[f.__name__] = mp_function(lam) if isinstance(lam, sp.Lambda) else lam
        args = []
        values = point.values
        for leaf in self.leaves:
            v = values.get(leaf)
            if v is None:
                raise NotNumeric(f"no value for {leaf}")
            args.append(v)
        with mpmath.workdps(dps):
            try:
                v = self.fn(*[mpmath.mpf(a) for a in args])
            except (ZeroDivisionError, OverflowError, ValueError, TypeError) as exc:
                raise NotNumeric(f"{type(exc).__name__}: {exc}") from exc
            return real_part(v, dps)


def real_part(v, dps: int) -> mpmath.mpf:
    """v as a real mpf at dps digits; NotNumeric for a complex value, nan or a non-number."""
    if isinstance(v, mpmath.mpc):
        if abs(v.imag) > mpmath.mpf(10) ** (-(dps // 2)) * max(1, abs(v.real)):
            raise NotNumeric("complex value (outside the domain of definition)")
        v = v.real
    if not isinstance(v, mpmath.mpf):
        try:
            v = mpmath.mpf(v)
        except (TypeError, ValueError) as exc:
            raise NotNumeric(f"not a number: {v!r}") from exc
    if mpmath.isnan(v):
        raise NotNumeric("not a number (nan)")
    return +v


_MPMATH_NAMESPACE: dict = {}


def mpmath_namespace() -> dict:
    """lambdify's namespace for mpmath code, as it is before any expression's symbols are added."""
    if not _MPMATH_NAMESPACE:
        _MPMATH_NAMESPACE.update(sp.lambdify([], sp.Integer(0), modules="mpmath").__globals__)
    return _MPMATH_NAMESPACE


_MP_FUNCS: dict = {}


def mp_function(lam: sp.Lambda):
    """A SymPy Lambda (a definition given as a function) compiled to mpmath, once."""
    key = id(lam)
    hit = _MP_FUNCS.get(key)
    if hit is None or hit[0] is not lam:
        hit = (lam, sp.lambdify(lam.variables, lam.expr, modules="mpmath", docstring_limit=0))
        _MP_FUNCS[key] = hit
    return hit[1]


_COMPILED: dict = {}


def compiled(expr: sp.Basic) -> Compiled | None:
    """The compiled form of expr, or None where only SymPy's evalf will do."""
    hit = _COMPILED.get(expr)
    if hit is not None or expr in _COMPILED:
        return hit
    comp = None
    if quadrable(expr) and all(all(i.is_Integer for i in e.indices) for e in expr.atoms(sp.Indexed)):
        try:
            comp = Compiled(expr)
        except Exception:  # noqa: BLE001 - anything lambdify cannot print goes the slow way
            comp = None
    if len(_COMPILED) > 2000:
        _COMPILED.clear()
    _COMPILED[expr] = comp
    return comp
