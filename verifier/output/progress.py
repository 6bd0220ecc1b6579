"""Verifying derivations with a progress bar for people (never in JSON or when piped)."""
from __future__ import annotations

import sys

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from verifier.engine.decide import default_jobs, verify_derivations
from verifier.engine.problem import DEFAULT_BUDGET
from verifier.model.chain import Derivation
from verifier.model.results import DerivationResult


def progress_bar(console: Console, enabled: bool) -> Progress:
    return Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                    MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                    transient=True, disable=not enabled)


def verify_with_progress(chosen: list[Derivation], budget: float = DEFAULT_BUDGET, jobs: int = 0,
                         show: bool = True, what: str = "verifying") -> list[DerivationResult]:
    """verify_derivations, with a bar on stderr when it is a terminal and `show` is true."""
    console = Console(file=sys.stderr)
    total = sum(d.step_count for d in chosen)
    with progress_bar(console, show and console.is_terminal) as prog:
        task = prog.add_task(what, total=total)
        return verify_derivations(chosen, budget, on_step=lambda _s: prog.advance(task),
                                  jobs=jobs or default_jobs())
