"""Terminal (rich) and JSON reports."""
from __future__ import annotations

import json
import sys
from typing import Iterable

from rich.console import Console
from rich.table import Table
from rich.text import Text

from verifier.model.results import (
    CHECKED,
    PROVED,
    REFUTED,
    STATUSES,
    UNKNOWN,
    UNPARSED,
    DerivationResult,
    count_statuses,
)
from verifier.output.terminal_text import terminal_text

STYLE = {PROVED: "bold green", CHECKED: "yellow", REFUTED: "bold red", UNKNOWN: "magenta", UNPARSED: "red"}
MARK = {PROVED: "✓", CHECKED: "≈", REFUTED: "✗", UNKNOWN: "?", UNPARSED: "!"}


def status_text(status: str) -> Text:
    return Text(f"{MARK[status]} {status}", style=STYLE[status])


def summary(steps: Iterable) -> dict[str, int]:
    return count_statuses(list(steps))


def derivations_json(results: list[DerivationResult], keys: list[str]) -> str:
    steps = [s for r in results for s in r.steps]
    data = {"derivations": [dict(r.to_json(), occurrence=k) for r, k in zip(results, keys)],
            "summary": summary(steps)}
    return json.dumps(data, ensure_ascii=False, indent=2)


def print_derivations(results: list[DerivationResult], keys: list[str], console: Console,
                      allow: tuple[str, ...] = (PROVED,), wall: float | None = None) -> None:
    """The table, the details of steps not proved, and a footer with the run's time: wall-clock time
    when `wall` is given (the per-step times add up to more when steps run at once, less when cached)."""
    table = Table(title="Derivations", show_lines=False)
    table.add_column("derivation", style="bold", no_wrap=True)
    table.add_column("source", overflow="ellipsis", no_wrap=True, max_width=22)
    table.add_column("steps", justify="right")
    for st in STATUSES[:4]:
        table.add_column(st, justify="right", style=STYLE[st])
    table.add_column("time", justify="right")
    table.add_column("", justify="center")
    for r, k in zip(results, keys):
        c = r.counts()
        ok = r.passed(allow)
        table.add_row(k, short_source(r.source), str(len(r.steps)), *[str(c[s] or "") for s in STATUSES[:4]],
                      f"{r.seconds:.1f}s", Text("✓", style="green") if ok else Text("✗", style="bold red"))
    console.print(table)
    print_details(results, keys, console)
    tot = summary(s for r in results for s in r.steps)
    line = ", ".join(f"{tot[s]} {s}" for s in STATUSES if tot[s])
    console.print(f"[bold]{len(results)} derivations, {sum(tot.values())} steps:[/bold] {line or 'nothing checked'}"
                  f" in {(wall if wall is not None else sum(r.seconds for r in results)):.1f}s")


def short_source(source: str) -> str:
    """'000_51fe....txt § ## 均方差' -> '000 均方差'."""
    if " § " not in source:
        return source
    file, section = source.split(" § ", 1)
    return f"{file.split('_', 1)[0]} {section.lstrip('#').strip()}"


def print_details(results: list[DerivationResult], keys: list[str], console: Console) -> None:
    for r, k in zip(results, keys):
        for s in r.steps:
            if s.status == PROVED:
                continue
            console.print(Text.assemble(f"\n{k} step {s.index} ({terminal_text(s.chain)}) ", status_text(s.status),
                                        f"  ({s.method})"))
            console.print(Text.assemble(f"  {s.lhs}  ", (s.relation, "bold"), f"  {s.rhs}"))
            if s.why:
                console.print(Text(f"  justification: {terminal_text(s.why)}"))
            if s.message:
                console.print(Text(f"  {s.message}"))
            if s.counterexample:
                console.print(Text("  counterexample: " + ", ".join(f"{a} = {b}" for a, b in s.counterexample.items())))


def make_console(stream=None) -> Console:
    """A console for people; output to a pipe or file gets a fixed comfortable width."""
    stream = stream or sys.stdout
    console = Console(file=stream, highlight=False, soft_wrap=False)
    if not console.is_terminal:
        console = Console(file=stream, highlight=False, soft_wrap=False, width=120)
    return console
