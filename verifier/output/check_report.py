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
from verifier.output.terminal_text import terminal_text

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
                    step += f"\n[dim]{escape(_shown(terminal_text(s.why)))}[/dim]"
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



# ----------------------------------------------------------------------------------------
# --quiet and --format concise (kept apart from the table above)
# ----------------------------------------------------------------------------------------
def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def concise_message(step: dict) -> str:
    """One line for one step: the claim, the reason, the counterexample."""
    status = step.get("status", "")
    rel = _GLYPH.get(step.get("relation", ""), step.get("relation", ""))
    claim = _short(f"{step.get('lhs', '')} {rel} {step.get('rhs', '')}", 90)
    msg = _one_line(step.get("message") or step.get("method") or "")
    if msg.startswith("fails at a point inside the domains"):
        msg = ""
    if status == UNPARSED:
        return msg or f"could not read {claim}"
    parts = [claim] + ([msg] if msg else [])
    cex = step.get("counterexample")
    if cex:
        parts.append("counterexample: " + ", ".join(f"{k} = {v}" for k, v in cex.items()))
    if status == CHECKED and not msg:
        parts.append("numeric evidence only, no proof")
    return "; ".join(parts)


def concise_lines(report_json: dict, allow: Sequence[str] = (PROVED,)) -> list[str]:
    """``path:line:col: status: message`` for every step that does not pass (as ruff and mypy print),
    and ``path:line:1: warning: ...`` for a pragma the tool could not use.  The steps need their
    ``col`` (:func:`verifier.output.ci_formats.add_columns`)."""
    from verifier.output.ci_formats import accepted_in

    out = []
    for f in report_json.get("files", []) or []:
        path = f.get("path", "")
        ok = accepted_in(f, allow)
        for prob in (f.get("pragmas") or {}).get("problems", []):
            out.append(f"{path}:{prob['line']}:1: warning: {_one_line(prob['message'])}")
        for b in f.get("blocks", []) or []:
            for s in b.get("steps", []) or []:
                if s.get("status") in ok:
                    continue
                line = s.get("line") or b.get("line") or 1
                out.append(f"{path}:{line}:{s.get('col') or 1}: {s.get('status')}: {concise_message(s)}")
    return out


def summary_line(report: CheckReport) -> str:
    c = report.counts()
    files = len(report.files)
    return (f"{len(report.steps)} steps in {files} file{'s' if files != 1 else ''}: "
            + ", ".join(f"{v} {k}" for k, v in c.items() if v) if report.steps else
            f"0 steps in {files} file{'s' if files != 1 else ''}") + f" ({report.seconds:.1f}s)"


def print_concise(report: CheckReport, report_json: dict, allow: Sequence[str] = (PROVED,), out=None) -> None:
    import sys

    out = out or sys.stdout
    for ln in concise_lines(report_json, allow):
        print(ln, file=out)
    print(summary_line(report), file=out)


def print_pragma_problems(report: CheckReport, console=None) -> None:
    """What the pragmas skipped, and any pragma the tool could not use (said, never dropped silently)."""
    from rich.markup import escape

    from verifier.output.report import make_console

    console = console or make_console()
    for f in report.files:
        if f.pragmas.get("skip_file"):
            console.print(f"[dim]{escape(f.path)}: not checked (verify: skip-file)[/dim]")
        skipped = f.pragmas.get("skipped_blocks", [])
        if skipped:
            console.print(f"[dim]{escape(f.path)}: not checked (verify: skip): the display"
                          f"{'s' if len(skipped) > 1 else ''} at line{'s' if len(skipped) > 1 else ''} "
                          f"{', '.join(map(str, skipped))}[/dim]")
        for prob in f.pragmas.get("problems", []):
            console.print(f"[yellow]{escape(f.path)}:{prob['line']}: {escape(prob['message'])}[/yellow]")


def print_failures(report: CheckReport, allow: Sequence[str] = (PROVED,)) -> None:
    """``--quiet``: only the steps that do not pass, and the summary."""
    from rich.markup import escape

    from verifier.output.report import make_console

    console = make_console()
    for f in report.files:
        ok = f.accepted(allow)
        bad = [s for s in f.steps if s.status not in ok]
        if not bad:
            continue
        console.print(f"[bold]{escape(f.path)}[/bold]")
        for s in bad:
            rel = _GLYPH.get(s.relation, s.relation)
            console.print(f"  line {s.line}: [{_STYLE[s.status]}]{_MARK[s.status]} {s.status}[/] "
                          f"{escape(_short(s.lhs, 60))} [bold]{escape(rel)}[/bold] {escape(_short(s.rhs, 60))}")
            reason = _reason(s)
            if reason:
                console.print("    [dim]" + escape(_one_line(reason)[:400]) + "[/dim]")
    print_pragma_problems(report, console)
    console.print("summary: " + summary_line(report))
    if not report.passed(allow):
        console.print("[red]Some steps are not proved.[/red]")
