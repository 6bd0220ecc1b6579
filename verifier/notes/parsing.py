"""Reading a block's expressions in a worker, under a time budget: a hostile expression cannot hang
the run, and a reader bug stays local to its expression."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Callable

from verifier.engine.budget import Started
from verifier.notes.reader import Reader
from verifier.notes.scan import ReadError
from verifier.notes.structures import load_grammar

PARSE_BUDGET = 20.0  # seconds to read the expressions of one block
CHUNK = 12  # expressions read in one worker task



def _parse_all(items: list[str], reader: Reader, report=None):
    out = []
    for latex in items:
        try:
            out.append(reader.read(latex))
        except ReadError as exc:
            out.append(exc)
        except RecursionError:
            out.append(ReadError(latex[:80], "expression nested too deeply"))
        except Exception as exc:  # noqa: BLE001 - a reader bug must stay local
            out.append(ReadError(latex[:80], f"could not read it ({type(exc).__name__}: {exc})"))
    return _Parsed(out, dict(reader.notation.entry_templates))



@dataclass
class _Parsed:
    results: list
    templates: dict
    seconds: float = 0.0



def parse_many(items: list[str], reader: Reader, budget: float = PARSE_BUDGET, chunk: int = 0,
               jobs: int = 1) -> list:
    """Read the items in chunks (all in one when chunk is 0), each in a worker under its own budget,
    up to `jobs` chunks at once: a slow stretch of a long note leaves the rest read.  The entry
    templates the chunks learn are merged in the order of the items (the first one met wins, as when
    the chunks are read one after another)."""
    return start_parse(items, reader, budget, chunk, jobs)()


def start_parse(items: list[str], reader: Reader, budget: float = PARSE_BUDGET, chunk: int = 0,
                jobs: int = 1) -> Callable[[], list]:
    """:func:`parse_many` without waiting: the chunks go to the workers now, and the function returned
    waits for them and gives what parse_many gives (the reader's templates merged when it is called)."""
    if not items:
        return list
    load_grammar()  # before the first workers are forked, so that they share it
    unique = list(dict.fromkeys(items))  # an expression written twice (H(P, Q), a chain's repeated side) read once
    size = chunk or len(unique)
    chunks = [unique[k:k + size] for k in range(0, len(unique), size)]
    # the pool sized by `jobs` alone, as for the claims: it is not grown while tasks are in flight
    started = Started([(_parse_all, (c, reader)) for c in chunks], budget, jobs=max(1, jobs))

    first = {x: k for k, x in reversed(list(enumerate(items)))}

    def results() -> list:
        out: list = []
        for c, res in zip(chunks, started.results()):
            if not isinstance(res, _Parsed):
                why = getattr(res, "message", "") or "the reader failed"
                out += [ReadError(x[:80], f"reading timed out or failed ({why.splitlines()[0]})") for x in c]
                continue
            for name, template in res.templates.items():
                reader.notation.entry_templates.setdefault(name, template)
            out += res.results
        read = dict(zip(unique, out))
        return [read[x] if k == first[x] else copy.copy(read[x]) for k, x in enumerate(items)]

    return results


class ParsedChain(list):
    """The (segment, parsed) pairs of one chain; `conditional` when implications join it."""

    def __init__(self, items, conditional: bool = False, consequent: bool = False) -> None:
        super().__init__(items)
        self.conditional = conditional
        self.consequent = consequent
