"""The terminal report of `verify check`: a table per file, the reading and the counterexample
beside every step that is not proved, and a summary."""
from __future__ import annotations

from typing import Sequence

from verifier.model.results import (
    CHECKED,
    NOTED,
    PROVED,
    REFUTED,
    UNKNOWN,
    UNPARSED,
    StepResult,
)
from verifier.notes.report import CheckReport

_STYLE = {PROVED: "green", CHECKED: "yellow", REFUTED: "bold red", UNKNOWN: "magenta", UNPARSED: "red", NOTED: "dim"}



_MARK = {PROVED: "✓", CHECKED: "≈", REFUTED: "✗", UNKNOWN: "?", UNPARSED: "!", NOTED: "·"}



_GLYPH = {"=": "=", "<=": "≤", ">=": "≥", "<": "<", ">": ">", "argmin-equivalent": "⇔ argmin",
          "argmax-equivalent": "⇔ argmax"}



MAX_SHOWN_LATEX = 400  # characters of one side shown in the terminal (folded, then cut)



def _cex_text(cex: dict[str, str]) -> str:
    point = ", ".join(f"{k} = {v}" for k, v in cex.items() if k not in ("lhs", "rhs"))
    sides = ", ".join(f"{k} = {cex[k]}" for k in ("lhs", "rhs") if k in cex)
    return "counterexample: " + point + (f"\n(there {sides})" if sides else "")



def _reason(s: StepResult) -> str:
    if s.status == PROVED:
        return s.method
    msg = s.message or s.method
    if s.counterexample:
        if msg.startswith("fails at a point inside the domains"):
            msg = ""  # the counterexample below says it, in the note's notation
        msg = (msg + "\n" if msg else "") + _cex_text(s.counterexample)
    if s.reading and s.status in (REFUTED, UNKNOWN):
        msg += ("\n" if msg else "") + "read as: " + _shown(s.reading, 300)
    return msg



def print_report(report: CheckReport, allow: Sequence[str] = (PROVED,)) -> None:
    from rich.markup import escape
    from rich.table import Table

    from verifier.output.report import make_console

    console = make_console()
    for f in report.files:
        c = f.counts()
        steps = f.steps
        head = ", ".join(f"{v} {k}" for k, v in c.items() if v)
        console.print(f"[bold]{escape(f.path)}[/bold]: {len(f.blocks)} blocks, {len(steps)} steps"
                      + (f" ({head})" if head else ""))
        if steps:
            t = Table(show_lines=True, expand=False)
            t.add_column("line", justify="right", no_wrap=True)
            t.add_column("step (LaTeX of the note)", overflow="fold", ratio=3)
            t.add_column("status", no_wrap=True)
            t.add_column("reason / counterexample", overflow="fold", ratio=2)
            for s in steps:
                rel = _GLYPH.get(s.relation, s.relation)
                step = f"{escape(_shown(s.lhs))}\n[bold]{escape(rel)}[/bold] {escape(_shown(s.rhs))}"
                if s.why:
                    step += f"\n[dim]{escape(_shown(s.why))}[/dim]"
                t.add_row(str(s.line), step, f"[{_STYLE[s.status]}]{_MARK[s.status]} {s.status}[/]",
                          escape(_reason(s)[:800]))
            console.print(t)
        skipped = [k for b in f.blocks for k in b.skipped]
        if skipped:
            shown = ", ".join(f"line {k['line']} {k['relation']}" for k in skipped[:8])
            more = f" and {len(skipped) - 8} more" if len(skipped) > 8 else ""
            console.print(f"[dim]not checked (approximate, proportional or distribution statements): "
                          f"{escape(shown)}{more}[/dim]")
        if f.error:
            console.print(f"[red]{escape(f.error)}[/red]")
        noted = [s for s in f.all_steps if s.status == NOTED]
        if noted:
            kinds: dict[str, list[int]] = {}
            for s in noted:
                kinds.setdefault(s.kind, []).append(s.line or 0)
            shown = "; ".join(f"{k} at line{'s' if len(v) > 1 else ''} " + ", ".join(map(str, v[:8]))
                              + (f" and {len(v) - 8} more" if len(v) > 8 else "") for k, v in kinds.items())
            console.print(f"[dim]noted, not claims (they claim nothing, so they are not checked): "
                          f"{escape(shown)}[/dim]")
    c = report.counts()
    console.print("summary: " + ", ".join(f"{k} {v}" for k, v in c.items()) + f"  ({report.seconds:.1f}s)")
    if not report.passed(allow):
        console.print("[red]Some steps are not proved.[/red]")



def _shown(s: str, n: int = MAX_SHOWN_LATEX) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"



def _short(s: str, n: int = 70) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"

