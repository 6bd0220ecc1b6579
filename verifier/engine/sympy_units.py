"""SymPy's physical units, loaded only when something uses them.

``sympy.simplify`` runs ``from sympy.physics.units import Quantity`` on every call, and ``checksol``
``from sympy.physics.units import Unit``, only to ask whether the expression holds one.  The first
such import builds SymPy's whole unit system (0.1 to 0.15 s), once in every worker process: on a
`verify all` or a `verify check` of a few notes that is several percent of the run, spent on the
first step each worker simplifies.

:func:`defer` adds an import finder.  When ``sympy.physics.units`` is first imported, the finder gives
a stand-in for the package (the import system puts it in place as usual, parents and all).  Asked for
``Quantity`` or ``Unit``, the stand-in gives a class of which nothing is an instance: no quantity can
exist before the module that defines it is loaded, so ``expr.has(Quantity)`` is False either way (once
that module is loaded, it gives the real class).  Asked for anything else (``units.meter``), or when a
submodule is imported, the real package is loaded in its place and answers.  Only the command line
installs the finder, for its own processes and the workers they fork; the library and the pytest
plugin leave the user's SymPy alone.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import os
import sys
import types

NAME = "sympy.physics.units"
QUANTITIES = NAME + ".quantities"  # where the class Quantity (and its alias Unit) is defined
ASKED_BY_SYMPY = ("Quantity", "Unit")  # what simplify and checksol import to look for


class _NotLoaded:
    """Stands for a unit class while the units are not loaded: nothing is an instance of it."""


class _Deferred(types.ModuleType):
    def __getattr__(self, name: str):
        if name in ASKED_BY_SYMPY and sys.modules.get(NAME) is self:
            defined = sys.modules.get(QUANTITIES)
            return defined.Quantity if defined is not None else _NotLoaded
        if name.startswith("__"):  # the import system's own questions (__spec__, __file__ ...)
            raise AttributeError(name)
        return getattr(_load(), name)


def _load() -> types.ModuleType:
    """The real package, loaded now (once) in place of the stand-in."""
    current = sys.modules.get(NAME)
    if not isinstance(current, _Deferred):
        return current if current is not None else importlib.import_module(NAME)
    del sys.modules[NAME]
    _FINDER.active = False
    real = importlib.import_module(NAME)
    parent = sys.modules.get("sympy.physics")
    if parent is not None:
        parent.units = real
    return real


class _Loaded(importlib.abc.Loader):
    """A loader that gives back a module the real package has just loaded (never a second copy of it,
    which would define a second class Quantity), with its own spec."""

    def __init__(self, module: types.ModuleType) -> None:
        self.module, self.spec = module, module.__spec__

    def create_module(self, spec):
        return self.module

    def exec_module(self, module) -> None:
        module.__spec__ = self.spec  # (the import system set the finder's spec on it)


class _StandIn(importlib.abc.Loader):
    """The loader of the stand-in package (a :class:`_Deferred` with nothing to run)."""

    def create_module(self, spec):
        return _Deferred(NAME, __doc__)

    def exec_module(self, module) -> None:
        pass


class _Finder(importlib.abc.MetaPathFinder):
    """Gives the stand-in for the package; for a submodule, loads the real package first."""

    active = True  # until the real package is loaded

    def find_spec(self, fullname, path=None, target=None):
        if not self.active:
            return None
        if fullname == NAME and path:
            return _package_spec(os.path.join(path[0], "units"))
        if fullname.startswith(NAME + ".") and isinstance(sys.modules.get(NAME), _Deferred):
            _load()  # a submodule: the real package first; one it has loaded is given as it is
            module = sys.modules.pop(fullname, None)  # (the import system would load one still listed again)
            if module is not None:
                return importlib.util.spec_from_loader(fullname, _Loaded(module),
                                                       is_package=hasattr(module, "__path__"))
        return None


def _package_spec(where: str):
    spec = importlib.util.spec_from_loader(NAME, _StandIn(), is_package=True)
    spec.submodule_search_locations = [where]
    return spec


_FINDER = _Finder()


def defer() -> None:
    """Add the finder (once), unless the units are imported already; nothing is imported now."""
    if NAME not in sys.modules and _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)


def loaded() -> bool:
    """Whether the real units are loaded in this process."""
    return NAME in sys.modules and not isinstance(sys.modules[NAME], _Deferred)
