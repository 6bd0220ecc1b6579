"""Expressions compiled once to mpmath functions, then evaluated at many points.

Every leaf of the expression (a symbol or a concrete vector entry ``x[2]``) is printed as the name
of an argument ``_v0, _v1, ...`` by the code printer itself: renaming them in the expression
first (or letting lambdify rename each Dummy and non-identifier argument by a pass over the whole
expression) made compiling cost more than evaluating.  Distinct leaves get distinct names even
when they print alike (``x`` real and ``x`` positive), and no leaf can shadow a function name.
Unknown functions are dispatched to the point's sampled functions at call time, so one compiled
form serves every point.
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


def leaves(expr: sp.Basic) -> list[sp.Basic]:
    """The concrete entries x[2] and the symbols outside them (an entry's base is no leaf), in a
    fixed order."""
    entries: set = set()
    symbols: set = set()
    stack = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, sp.Indexed):
            entries.add(e)
        elif isinstance(e, sp.Symbol):
            symbols.add(e)
        else:
            stack.extend(e.args)
    return sorted(entries, key=str) + sorted(symbols, key=str)


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
    if not expr.has(*SLOW) and all(all(i.is_Integer for i in e.indices) for e in expr.atoms(sp.Indexed)):
        try:
            comp = Compiled(expr)
        except Exception:  # noqa: BLE001 - anything lambdify cannot print goes the slow way
            comp = None
    if len(_COMPILED) > 2000:
        _COMPILED.clear()
    _COMPILED[expr] = comp
    return comp
