"""Reading a block's expressions in a worker, under a time budget: a hostile expression cannot hang
the run, and a reader bug stays local to its expression."""
from __future__ import annotations

from dataclasses import dataclass

from verifier.engine.budget import run_with_budget
from verifier.notes.reader import Reader
from verifier.notes.scan import ReadError

PARSE_BUDGET = 20.0  # seconds to read the expressions of one block



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



def parse_many(items: list[str], reader: Reader, budget: float = PARSE_BUDGET) -> list:
    if not items:
        return []
    res = run_with_budget(_parse_all, (items, reader), budget)
    if not isinstance(res, _Parsed):
        why = getattr(res, "message", "") or "the reader failed"
        return [ReadError(x[:80], f"reading timed out or failed ({why.splitlines()[0]})") for x in items]
    reader.notation.entry_templates.update(res.templates)
    return res.results

