"""Keys of the verdict cache: a problem's canonical form, content-addressed with the engine.

A key is the SHA-256 of the problem's canonical form (every expression written node by node, its
leaves by ``sp.srepr``, with the assumptions of undefined functions, which srepr leaves out; every
field of the problem and of its context, dicts and sets sorted) and of the engine's version
(:data:`verifier.model.version` plus a hash of the source files of ``verifier/engine`` and
``verifier/model``): a change to the engine's code makes every old entry unreachable.  A problem
whose canonical form cannot be written (an object with no stable text) is not cached.  The store
itself is :mod:`verifier.engine.store`; its names are available here too.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
import types

import sympy as sp
from sympy.core.function import AppliedUndef, FunctionClass

from verifier.engine.store import (  # noqa: F401  (the cache's public names, one import away)
    ENV_DIR,
    FILE_NAME,
    VerdictCache,
    cache_dir,
    cacheable,
    code_version,
    default_cache,
    enabled,
    engine_version,
    set_enabled,
)


class _NoCanon(Exception):
    pass


def _function_text(f) -> str:
    kw = getattr(f, "_kwargs", None) or {}
    return f"F({f.__name__};{sorted((str(k), str(v)) for k, v in kw.items())})"


def _canon(x, memo: dict | None = None) -> str:
    if x is None or isinstance(x, (bool, int, float, str)):
        return repr(x)
    shared = memo is not None and (isinstance(x, (sp.Basic, dict)) or dataclasses.is_dataclass(x))
    if shared:
        hit = memo.get(id(x))  # type: ignore[union-attr]
        if hit is not None and hit[0] is x:
            return hit[1]
    text = _canon_new(x, memo)
    if shared:
        memo[id(x)] = (x, text)  # type: ignore[index]  # x is kept: its id is not reused meanwhile
    return text


def _canon_new(x, memo: dict | None) -> str:
    if isinstance(x, FunctionClass):
        return _function_text(x)
    if isinstance(x, sp.Basic):
        return _basic_text(x, memo)
    if isinstance(x, dict):
        return "{" + ",".join(sorted(f"{_canon(k, memo)}:{_canon(v, memo)}" for k, v in x.items())) + "}"
    if isinstance(x, (set, frozenset)):
        return "set(" + ",".join(sorted(_canon(v, memo) for v in x)) + ")"
    if isinstance(x, (list, tuple)):
        return "(" + ",".join(_canon(v, memo) for v in x) + ")"
    if isinstance(x, types.FunctionType):
        return _function_canon(x, memo)
    if isinstance(x, functools.partial):  # a definition bound to a derivation's names
        return f"partial({_canon(x.func, memo)};{_canon(x.args, memo)};{_canon(x.keywords, memo)})"
    if isinstance(x, types.CodeType):
        return (f"code({x.co_name};{x.co_code.hex()};{_canon(x.co_consts, memo)};{x.co_names};"
                f"{x.co_varnames};{x.co_argcount})")
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        body = ",".join(f"{f.name}={_canon(getattr(x, f.name), memo)}" for f in dataclasses.fields(x))
        return f"{type(x).__qualname__}({body})"
    raise _NoCanon(type(x).__name__)


def _basic_text(x: sp.Basic, memo: dict | None) -> str:
    """A SymPy expression node by node: its class and the texts of its arguments (shared subtrees are
    written once per batch through the memo), an undefined function with its assumptions, and
    ``srepr`` for a leaf and for a node whose identity holds more than its arguments (an Indexed keeps
    its base's assumptions), with the assumptions of the undefined functions inside it: two nodes get
    one text only when SymPy holds them equal."""
    args = x.args
    if not args or x._hashable_content() != args or not all(isinstance(a, sp.Basic) for a in args):
        funcs = sorted({_function_text(a.func) for a in x.atoms(AppliedUndef)})  # srepr leaves them out
        return f"{sp.srepr(x)}{funcs if funcs else ''}"
    inside = ",".join(_canon(a, memo) for a in args)
    if isinstance(x, AppliedUndef):
        return f"{_function_text(x.func)}({inside})"
    cls = type(x)
    name = cls.__name__ if cls.__module__.startswith("sympy.") else f"{cls.__module__}.{cls.__qualname__}"
    return f"{name}({inside})"


def _function_canon(fn: types.FunctionType, memo: dict | None = None) -> str:
    """A Python function (a definition built in code, ``H = lambda P, Q: ...``) by what it does:
    its code, constants, the names it reads, its defaults and the values it closes over."""
    cells = tuple(c.cell_contents for c in (fn.__closure__ or ()))
    return (f"fn({fn.__module__}.{fn.__qualname__};{_canon(fn.__code__, memo)};"
            f"{_canon(fn.__defaults__ or (), memo)};{_canon(cells, memo)})")


_DUMMY_INDEX = re.compile(r"dummy_index=(\d+)")


def _renumber_dummies(text: str) -> str:
    """Dummy symbols by order of first appearance instead of their process-wide counter (which
    differs from run to run): distinct dummies stay distinct, so equal texts mean the same problem."""
    order: dict[str, int] = {}
    return _DUMMY_INDEX.sub(lambda m: f"dummy_index=#{order.setdefault(m.group(1), len(order))}", text)


def problem_key(problem, memo: dict | None = None) -> str | None:
    """The cache key of a problem (None: it has no canonical form and is not cached).  A memo (a
    dict kept for a batch) shares the text of contexts and expressions that problems share; it
    must not outlive a change to them."""
    try:
        text = _canon(problem, memo)
    except (_NoCanon, RecursionError):
        return None
    text = _renumber_dummies(text)
    return hashlib.sha256(f"{engine_version()}\n{text}".encode()).hexdigest()
