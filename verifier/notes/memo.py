"""A cache for what a note's steps each read again from the same text (the prose of a note up to a step's
line, which every matrix step of a chain, and each of its readers, asks for): the results for the last few
texts are kept, and every caller gets a deep copy of its own (callers add to what they get)."""
from __future__ import annotations

import copy
import functools
from typing import Callable


def copied_cache(maxsize: int) -> Callable[[Callable], Callable]:
    """``functools.lru_cache(maxsize)`` whose results are handed out as deep copies."""
    def deco(fn: Callable) -> Callable:
        cached = functools.lru_cache(maxsize=maxsize)(fn)

        @functools.wraps(fn)
        def call(*args):
            return copy.deepcopy(cached(*args))

        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return call
    return deco
