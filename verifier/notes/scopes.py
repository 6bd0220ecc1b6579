"""Where a definition of a note holds: from its place to the end of its scope (its section, or the
paragraph and display of an example); a redefinition shadows the old one while it holds, and the old
one comes back when the new one's scope ends.

:class:`Scopes` wraps every change a definition makes to the note's context (the engine's
definitions, the guards of defined functions, their arguments as written) and undoes it when the
scope ends (:meth:`Scopes.advance`).
"""
from __future__ import annotations

import copy
import math
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

import sympy as sp

from verifier.model.context import Context
from verifier.notes.context import NoteContext

_FOREVER = math.inf
_MISSING = object()


@dataclass
class Binding:
    """One definition in force: the name as written, its line, the last line it holds on."""

    name: str
    line: int
    end: float
    keys: tuple  # the context keys it set
    carry: bool = False  # it may carry on past its section (not an example's, not marked local)


class Scopes:
    """The definitions of a note with their scopes."""

    def __init__(self, nc: NoteContext) -> None:
        self.nc = nc
        self.stacks: dict[tuple[int, object], list[tuple[object, float]]] = {}
        self.bindings: list[Binding] = []
        self.expired: dict[str, list[tuple[int, object, object]]] = {}  # name -> what its ended definition set
        self.ended_by: dict[str, list[Binding]] = {}  # name -> the binding of each entry of `expired`
        self.history: dict[str, list[Binding]] = {}  # name -> every definition of it the note made so far

    def _dicts(self) -> list[dict]:
        return [self.nc.ctx.definitions, self.nc.guards, self.nc.def_args, self.nc.entries, self.nc.entry_symbols]

    def define(self, make: Callable[[], bool], name: str, line: int, end: float, carry: bool = False) -> bool:
        """Run `make` (which binds a definition in the note's context) and record what it set, to be
        undone after line `end`."""
        dicts = self._dicts()
        before = [dict(d) for d in dicts]
        ok = make()
        keys = []
        for di, (d, old) in enumerate(zip(dicts, before)):
            for k, v in d.items():
                if k in old and old[k] is v:
                    continue
                stack = self.stacks.setdefault((di, k), [(old[k], _FOREVER)] if k in old else [])
                stack.append((v, end))
                keys.append((di, k))
        if ok and keys:
            binding = Binding(name, line, end, tuple(keys), carry)
            self.bindings.append(binding)
            for n in {_key_name(k) for _, k in keys}:
                self.history.setdefault(n, []).append(binding)
            for _, k in keys:
                self.nc.out_of_scope.pop(_key_name(k), None)
        return ok

    def advance(self, line: int) -> set[str]:
        """Undo the definitions whose scope ended before `line`; the names they defined, which are out of
        scope from there on (a step that uses one is not decided until the note defines it again)."""
        ended = [b for b in self.bindings if b.end < line]
        if not ended:
            return set()
        expired = set()
        for b in ended:
            names = {_key_name(k) for _, k in b.keys}
            expired |= names
            for n in names:
                self.nc.out_of_scope[n] = (b.name, b.line, int(b.end))
        self.bindings = [b for b in self.bindings if b.end >= line]
        dicts = self._dicts()
        for b in ended:  # what each ended definition set, for the reading that carries it on (carried)
            for di, k in b.keys:
                if k in dicts[di]:
                    self.expired.setdefault(_key_name(k), []).append((di, k, dicts[di][k]))
                    self.ended_by.setdefault(_key_name(k), []).append(b)
        for (di, k), stack in self.stacks.items():
            if any(e < line for _, e in stack):
                stack[:] = [(v, e) for v, e in stack if e >= line]
                if stack:
                    dicts[di][k] = stack[-1][0]
                else:
                    dicts[di].pop(k, None)
        return expired

    def ended(self, name: str) -> list[Binding]:
        """The definitions of `name` whose scope ended, in the order they ended (one each)."""
        out: list[Binding] = []
        for b in self.ended_by.get(name, ()):
            if b not in out:
                out.append(b)
        return out

    def _entries(self, name: str, chosen: dict) -> list[tuple[int, object, object]]:
        if name in chosen and chosen[name] is None:
            return []  # named free, not restored
        only = chosen.get(name)
        pairs = zip(self.expired.get(name, ()), self.ended_by.get(name, ()))
        return [e for e, b in pairs if only is None or b is only]

    @contextmanager
    def carried(self, names: set[str], chosen: dict | None = None) -> Iterator[bool]:
        """Within the block, the ended definitions of `names` are in force again (the reading in which a
        definition carries on past the end of its section; of a name in `chosen`, only that definition, and
        none where it is None);
        yields False when one of them is not known."""
        chosen = chosen or {}
        if not all(n in self.expired and n in self.nc.out_of_scope for n in names):
            yield False
            return
        dicts = self._dicts()
        saved = [(di, k, dicts[di].get(k, _MISSING)) for n in names for di, k, _ in self._entries(n, chosen)]
        gone = {n: self.nc.out_of_scope.pop(n) for n in names}
        for n in names:
            for di, k, v in self._entries(n, chosen):
                dicts[di][k] = v
        try:
            yield True
        finally:
            for di, k, v in reversed(saved):
                if v is _MISSING:
                    dicts[di].pop(k, None)
                else:
                    dicts[di][k] = v
            self.nc.out_of_scope.update(gone)

    @contextmanager
    def free(self, names: set[str]) -> Iterator[None]:
        """Within the block, `names` are no longer marked out of scope: the reading with them free."""
        gone = {n: self.nc.out_of_scope.pop(n) for n in names if n in self.nc.out_of_scope}
        try:
            yield
        finally:
            self.nc.out_of_scope.update(gone)

    def active(self) -> list[Binding]:
        return list(self.bindings)

    def uses(self, names: set[str]) -> list[dict]:
        """The definitions in force that a step uses: [{"definition": name, "line": line}]."""
        out, seen = [], set()
        for b in reversed(self.bindings):
            keys = {_key_name(k) for _, k in b.keys}
            if keys & names and b.name not in seen:
                seen.add(b.name)
                out.append({"definition": b.name, "line": b.line})
        return sorted(out, key=lambda d: d["line"])


def _key_name(k: object) -> str:
    if isinstance(k, sp.FunctionClass):
        return k.__name__
    if isinstance(k, sp.Indexed):
        return str(k.base.label)
    return str(k)


def context_for(ctx: Context, keep_out: set[str]) -> Context:
    """A copy of the context for one step: its definitions as they are now (later definitions and
    the end of scopes do not change it), without those of the names the step binds."""
    c = copy.copy(ctx)
    c.definitions = {k: v for k, v in ctx.definitions.items()
                     if not (isinstance(k, sp.Symbol) and k.name in keep_out)}
    return c
