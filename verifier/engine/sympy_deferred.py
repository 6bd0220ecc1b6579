"""SymPy modules loaded only when something uses them (the units, the tensor module).

SymPy imports some modules inside hot functions only to ask whether an expression holds one of their
objects:

* ``simplify`` runs ``from sympy.physics.units import Quantity`` on every call, and ``checksol``
  ``from sympy.physics.units import Unit``.  The first such import builds SymPy's whole unit system
  (0.1 to 0.15 s), once in every worker process, on the first step each worker simplifies.
* ``Add.flatten`` runs ``from sympy.tensor.tensor import TensExpr, TensAdd`` on every sum it builds.
  The first sum of a process loads the tensor module and the combinatorics package behind it (about
  0.02 s, a tenth of ``import sympy``), before the first derivation of a run is built.

:func:`defer` adds an import finder.  When one of the modules of :data:`DEFERRED` is first imported, the
finder gives a stand-in for it (the import system puts it in place as usual, parents and all).  Asked for
one of the classes SymPy looks for, the stand-in gives a class of which nothing is an instance: no object
of such a class can exist before the module that defines it is loaded, so ``expr.has(Quantity)`` and
``isinstance(o, TensExpr)`` are False either way (once that module is loaded, the stand-in gives the real
class).  Asked for anything else (``units.meter``, ``tensor_indices``), or when a submodule is imported,
the real module is loaded in its place and answers.  Only the command line installs the finder, for its
own processes and the workers they fork; the library and the pytest plugin leave the user's SymPy alone.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import os
import sys
import types
from dataclasses import dataclass


@dataclass(frozen=True)
class Deferral:
    """A module SymPy imports in a hot path only to look for some of its classes."""

    name: str
    classes: dict  # the name SymPy imports -> (the module that defines the class, its name there)
    package: bool  # a package (its submodules load the real package first) or a plain module


_UNITS = "sympy.physics.units"
_QUANTITIES = _UNITS + ".quantities"  # where the class Quantity (and its alias Unit) is defined
_TENSOR = "sympy.tensor.tensor"

#: the deferred modules, by name
DEFERRED: dict[str, Deferral] = {d.name: d for d in (
    Deferral(_UNITS, {"Quantity": (_QUANTITIES, "Quantity"), "Unit": (_QUANTITIES, "Quantity")}, package=True),
    Deferral(_TENSOR, {"TensExpr": (_TENSOR, "TensExpr"), "TensAdd": (_TENSOR, "TensAdd")}, package=False),
)}


class _NotLoaded:
    """Stands for a class of a module not loaded yet: nothing is an instance of it."""


class _Deferred(types.ModuleType):
    """The stand-in of a deferred module."""

    def __init__(self, deferral: Deferral) -> None:
        super().__init__(deferral.name, __doc__)
        self.__dict__["_deferral"] = deferral

    def __getattr__(self, name: str):
        deferral = self.__dict__["_deferral"]
        if name in deferral.classes and sys.modules.get(deferral.name) is self:
            where, cls = deferral.classes[name]
            if loaded(where):
                return getattr(sys.modules[where], cls)
            # kept as an attribute: SymPy asks on every sum, and a module's own attribute is found without
            # this method (:func:`_load` takes it away again when the real module comes)
            self.__dict__[name] = _NotLoaded
            return _NotLoaded
        if name.startswith("__"):  # the import system's own questions (__spec__, __file__ ...)
            raise AttributeError(name)
        return getattr(_load(deferral.name), name)


def _load(name: str) -> types.ModuleType:
    """The real module, loaded now (once) in place of its stand-in."""
    current = sys.modules.get(name)
    if not isinstance(current, _Deferred):
        return current if current is not None else importlib.import_module(name)
    del sys.modules[name]
    _FINDER.pending.discard(name)
    for asked in current.__dict__["_deferral"].classes:  # the stand-in's answers, to the real module from now on
        current.__dict__.pop(asked, None)
    real = importlib.import_module(name)
    parent_name, _, child = name.rpartition(".")
    parent = sys.modules.get(parent_name)
    if parent is not None:
        setattr(parent, child, real)
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
    """The loader of a stand-in (a :class:`_Deferred` with nothing to run)."""

    def __init__(self, deferral: Deferral) -> None:
        self.deferral = deferral

    def create_module(self, spec):
        return _Deferred(self.deferral)

    def exec_module(self, module) -> None:
        pass


class _Finder(importlib.abc.MetaPathFinder):
    """Gives the stand-in of a deferred module; for a submodule of a deferred package, loads the real
    package first."""

    def __init__(self) -> None:
        self.pending = set(DEFERRED)  # the modules not loaded for real yet

    def find_spec(self, fullname, path=None, target=None):
        if fullname in self.pending:
            deferral = DEFERRED[fullname]
            spec = importlib.util.spec_from_loader(fullname, _StandIn(deferral), is_package=deferral.package)
            if deferral.package:
                if not path:
                    return None
                spec.submodule_search_locations = [os.path.join(path[0], fullname.rpartition(".")[2])]
            return spec
        parent = fullname.rpartition(".")[0]
        if parent in self.pending and isinstance(sys.modules.get(parent), _Deferred):
            _load(parent)  # a submodule: the real package first; one it has loaded is given as it is
            module = sys.modules.pop(fullname, None)  # (the import system would load one still listed again)
            if module is not None:
                return importlib.util.spec_from_loader(fullname, _Loaded(module),
                                                       is_package=hasattr(module, "__path__"))
        return None


_FINDER = _Finder()


def defer() -> None:
    """Add the finder (once), for the deferred modules not imported already; nothing is imported now."""
    _FINDER.pending -= {name for name in _FINDER.pending if name in sys.modules}
    if _FINDER.pending and _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)


def loaded(name: str) -> bool:
    """Whether the real module `name` is loaded in this process."""
    return name in sys.modules and not isinstance(sys.modules[name], _Deferred)
