"""Named lemmas: reusable facts that justify steps algebra alone cannot.

A lemma checks its side conditions and that the step is an instance of it, and
returns a :class:`~verifier.results.Verdict`.  A misapplied lemma is refuted or
unknown, never proved.
"""
from __future__ import annotations

from typing import Callable

from .results import UNKNOWN, Verdict

#: name -> checker(problem) -> Verdict
REGISTRY: dict[str, Callable] = {}


def lemma(name: str):
    def deco(fn):
        REGISTRY[name] = fn
        return fn
    return deco


def check_lemma(problem) -> Verdict:
    fn = REGISTRY.get(problem.lemma)
    if fn is None:
        return Verdict(UNKNOWN, "lemma", f"unknown lemma {problem.lemma!r}; known: {', '.join(sorted(REGISTRY)) or 'none'}")
    return fn(problem)
