"""Faster equivalents of SymPy's slow paths, for the command line's processes.

``ExprWithLimits.free_symbols`` (``Sum``, ``Product``, ``Integral``) masks every bound variable that is
not a plain symbol (an entry ``x[i]`` as a variable) with a ``Dummy``, by ``function.xreplace(reps)``.
But ``reps`` maps every plain symbol to itself too, and ``xreplace`` counts a rule that matches as a
change even when its value is the same object: on every call the whole summand is built again, each
``MatrixElement`` checking its indices against the shape with relationals, a nested sum building its
own summand again for each level.  SymPy asks ``free_symbols`` all the time (``is_number``, the
assumptions, ``has``), and the index-form proofs of matrix steps spent a third of their time there.

:func:`install` puts in a ``free_symbols`` that replaces only the variables it masks (usually none):
the same set, since an expression built again from the same arguments is the same expression.  (An
unevaluated node built again may evaluate, ``x - x`` held unevaluated becoming 0; SymPy's own comment
asks for the nominal free symbols of such a node, which is what the replacement gives.)  It is
installed only for the SymPy releases whose ``free_symbols`` is the one described here; with any other
release SymPy is left as it is.  Only the command line asks for it (:func:`defer`), for its own processes
and the workers they fork: the library and the pytest plugin leave the user's SymPy alone.  ``defer``
imports nothing (a command answered from the verdict store never imports SymPy): an import hook
installs the replacement once SymPy has defined the class.
"""
from __future__ import annotations

import importlib.abc
import sys

MODULE = "sympy.concrete.expr_with_limits"  # where ExprWithLimits is defined
REPLACED: dict = {}  # "free_symbols": SymPy's own getter, once replaced (for tests and diagnostics)

#: the SymPy releases (major.minor) whose ExprWithLimits.free_symbols rebuilds the summand as described
KNOWN_RELEASES = ("1.12", "1.13", "1.14")


def free_symbols_of(self) -> set:
    """The free symbols of a Sum, Product or Integral, as SymPy's ``ExprWithLimits.free_symbols``."""
    from sympy import Dummy

    function, limits = self.function, self.limits
    reps = {xab[0]: xab[0] if xab[0].free_symbols == {xab[0]} else Dummy() for xab in limits}
    masked = {k: v for k, v in reps.items() if v is not k}
    isyms = set((function.xreplace(masked) if masked else function).free_symbols)
    for xab in limits:
        v = reps[xab[0]]
        if len(xab) == 1:
            isyms.add(v)
            continue
        isyms.discard(v)  # the bound variable is not free
        for bound in xab[1:]:
            isyms.update(bound.free_symbols)
    back = {v: k for k, v in reps.items()}
    return {back.get(s, s) for s in isyms}


def applies(version: str) -> bool:
    """Is this SymPy release one whose free_symbols the replacement is known to equal?"""
    return ".".join(version.split(".")[:2]) in KNOWN_RELEASES


def install() -> bool:
    """Put the faster free_symbols in place now (True), or leave SymPy as it is (False: another release,
    or SymPy's module not loaded)."""
    module, release = sys.modules.get(MODULE), sys.modules.get("sympy.release")
    cls = getattr(module, "ExprWithLimits", None)
    if cls is None or release is None:
        return False
    current = cls.__dict__.get("free_symbols")
    if isinstance(current, property) and current.fget is free_symbols_of:
        return True
    if not applies(getattr(release, "__version__", "")) or not isinstance(current, property):
        return False
    REPLACED["free_symbols"] = current.fget
    cls.free_symbols = property(free_symbols_of, doc=current.__doc__)
    return True


def installed() -> bool:
    cls = getattr(sys.modules.get(MODULE), "ExprWithLimits", None)
    current = cls.__dict__.get("free_symbols") if cls is not None else None
    return isinstance(current, property) and current.fget is free_symbols_of


class _Installing(importlib.abc.Loader):
    """SymPy's own loader of the module, then :func:`install`."""

    def __init__(self, loader) -> None:
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        self.loader.exec_module(module)
        install()

    def __getattr__(self, name: str):  # get_source, get_filename ... for tracebacks and inspect
        return getattr(self.loader, name)


class _Finder(importlib.abc.MetaPathFinder):
    """Finds the module with the finders after it, and gives it the installing loader."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != MODULE:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _Installing(spec.loader)
                return spec
        return None


_FINDER = _Finder()


def defer() -> None:
    """Install now if SymPy's module is loaded, else add the hook (once); nothing is imported now."""
    if MODULE in sys.modules:
        install()
    elif _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
