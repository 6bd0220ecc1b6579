"""derivation-verifier: check mathematical derivations step by step.

The names below are imported when first used (PEP 562), so that `verify --version`, `verify cache`
and the start-up of every command do not pay for the engine until it runs."""
from __future__ import annotations

import importlib
import os

# SymPy's caches (the LRU of every cached constructor and query) hold 1,000 entries unless told otherwise; a
# worker deciding hundreds of steps on the same symbols does 8% less work with 10,000 (bench/fast.py: `verify
# all` 9.7 -> 9.0 s of CPU).  Read by SymPy when it is first imported; a value the user sets wins.
os.environ.setdefault("SYMPY_CACHE_SIZE", "10000")

from verifier.model.version import __version__  # noqa: E402 - after SymPy's setting

_WHERE = {
    "decide": "verifier.engine.decide", "decide_step": "verifier.engine.decide",
    "verify_derivation": "verifier.engine.decide", "Problem": "verifier.engine.problem",
    "Chain": "verifier.model.chain", "Derivation": "verifier.model.chain", "Source": "verifier.model.chain",
    "Step": "verifier.model.chain", "Context": "verifier.model.context",
    "CHECKED": "verifier.model.results", "PROVED": "verifier.model.results", "REFUTED": "verifier.model.results",
    "UNKNOWN": "verifier.model.results", "UNPARSED": "verifier.model.results",
    "StepResult": "verifier.model.results", "Verdict": "verifier.model.results",
}

__all__ = ["Chain", "Derivation", "Source", "Step", "Context", "Problem", "decide", "decide_step",
           "verify_derivation", "StepResult", "Verdict", "PROVED", "CHECKED", "REFUTED", "UNKNOWN", "UNPARSED",
           "__version__"]


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'verifier' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
