"""HTML of results for Jupyter (``_repr_html_`` of a derivation's result and of a check
report): a summary of the statuses and a table with one row per step, its LaTeX in
``\\(...\\)`` (Jupyter typesets it), its justification, status and message."""
from __future__ import annotations

from html import escape
from typing import Any, Iterable

_COLOURS = {"proved": "#1a7f37", "checked": "#0969da", "refuted": "#cf222e", "unknown": "#bf8700",
            "unparsed": "#cf222e", "noted": "#6e7781"}
_MARKS = {"proved": "✓", "checked": "≈", "refuted": "✗", "unknown": "?", "unparsed": "!", "noted": "·"}
_REL = {"=": "=", "<=": r"\le", ">=": r"\ge", "<": "<", ">": ">", "!=": r"\ne",
        "argmin-equivalent": "=", "argmax-equivalent": "="}


def status_html(status: str) -> str:
    colour = _COLOURS.get(status, "#6e7781")
    return (f'<span style="color:{colour};font-weight:600">{_MARKS.get(status, "")} '
            f"{escape(status)}</span>")


def steps_html(title: str, steps: Iterable[Any], subtitle: str = "") -> str:
    """A heading with the counts per status, then a table of the steps (``StepResult``s)."""
    steps = list(steps)
    counts: dict[str, int] = {}
    for s in steps:
        counts[s.status] = counts.get(s.status, 0) + 1
    summary = ", ".join(f"{n} {status_html(s)}" for s, n in counts.items() if n) or "no steps"
    out = [f"<div class=\"verifier-result\"><p><strong>{escape(title)}</strong>"
           + (f" <small>{escape(subtitle)}</small>" if subtitle else "") + f"<br>{summary}</p>",
           '<table><thead><tr><th>chain</th><th>#</th><th style="text-align:left">step</th>'
           '<th style="text-align:left">justification</th><th>status</th>'
           '<th style="text-align:left">message</th></tr></thead><tbody>']
    for s in steps:
        rel = _REL.get(s.relation, s.relation)
        math = escape(f"\\({s.lhs} {rel} {s.rhs}\\)") if (s.lhs or s.rhs) else ""
        message = escape(s.message.splitlines()[0]) if (s.message and s.status != "proved") else ""
        if s.counterexample:
            message += "<br><small>counterexample: " + escape(", ".join(f"{k} = {v}" for k, v in
                                                                        s.counterexample.items())) + "</small>"
        out.append(f"<tr><td>{escape(s.chain)}</td><td>{s.index}</td><td style=\"text-align:left\">{math}</td>"
                   f"<td style=\"text-align:left\">{escape(s.why)}</td><td>{status_html(s.status)}</td>"
                   f"<td style=\"text-align:left\">{message}</td></tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)
