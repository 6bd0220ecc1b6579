"""CI-native output of a check report: GitHub Actions annotations and JUnit XML.

Both take the JSON of ``verify check --format json`` (DESIGN.md) as a dict::

    {"files": [{"path": ..., "blocks": [{"line": ..., "steps": [step, ...]}]}], "summary": {...}}

and also accept the JSON of ``verify all`` (``{"derivations": [{"id": ..., "steps": [...]}]}``),
whose steps carry no file.  ``allow`` names the statuses that count as passing (``proved``
always does), as ``--allow`` does on the command line.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Iterable, Iterator

from verifier.model.results import CHECKED, PROVED, REFUTED, UNKNOWN, UNPARSED

__all__ = ["github_annotations", "junit_xml", "escape_data", "escape_property", "step_column", "add_columns",
           "accepted_in"]

#: annotation level per status (when the status is not allowed)
LEVEL = {REFUTED: "error", UNPARSED: "error", UNKNOWN: "warning", CHECKED: "notice"}


# ----------------------------------------------------------------------------------------
# walking a report
# ----------------------------------------------------------------------------------------
def _groups(report: dict) -> Iterator[tuple[str, str | None, list[tuple[dict | None, dict]]]]:
    """(suite name, file path or None, [(block or None, step)]) per file or derivation."""
    for f in report.get("files", []) or []:
        path = str(f.get("path", ""))
        pairs = []
        for b in f.get("blocks", []) or []:
            steps = b.get("steps", []) or []
            if not steps and b.get("status"):  # a block reported as a whole (e.g. unparsed)
                pairs.append((b, dict(b, index=None)))
            for s in steps:
                pairs.append((b, s))
        yield path, path, pairs
    for d in report.get("derivations", []) or []:
        name = str(d.get("occurrence") or d.get("id", "derivation"))
        yield name, None, [(None, s) for s in d.get("steps", []) or []]


def _accepted(allow: Iterable[str]) -> set[str]:
    return {PROVED, *allow}


def accepted_in(file_json: dict | None, allow: Iterable[str]) -> set[str]:
    """The statuses that pass in one file: the run's ``allow`` and the file's ``allow`` pragmas."""
    return _accepted(allow) | set((file_json or {}).get("allow", []) or [])


def _fragments(side: str) -> Iterator[str]:
    side = " ".join(str(side).split())
    if side:
        yield side
    frag = side[:32]
    while len(frag) >= 3:
        yield frag
        frag = frag[: len(frag) // 2].rstrip()


def _find(line_text: str, side: str, start: int = 0) -> tuple[int, int] | None:
    for frag in _fragments(side):
        at = line_text.find(frag, start)
        if at >= 0:
            return at, at + len(frag)
    return None


def step_column(line_text: str, step: dict) -> int:
    """The 1-based column of a step's expression on its line: its right side (after its left side when
    both are on the line), else its left side; the first non-blank column when neither is found."""
    lhs = _find(line_text, step.get("lhs", ""))
    rhs = _find(line_text, step.get("rhs", ""), lhs[1] if lhs else 0) or _find(line_text, step.get("rhs", ""))
    if rhs:
        return rhs[0] + 1
    if lhs:
        return lhs[0] + 1
    return len(line_text) - len(line_text.lstrip()) + 1


def add_columns(report_json: dict, read=None) -> dict:
    """Give every step of a check report a ``col`` (see :func:`step_column`); ``read(path)`` returns a
    file's text (default: the file on disk; a file that cannot be read gives column 1)."""
    def default_read(path: str) -> str:
        from pathlib import Path

        return Path(path).read_text(encoding="utf-8-sig")

    read = read or default_read
    for f in report_json.get("files", []) or []:
        try:
            lines = read(str(f.get("path", ""))).splitlines()
        except (OSError, UnicodeDecodeError):
            lines = []
        for b in f.get("blocks", []) or []:
            for s in b.get("steps", []) or []:
                line = _step_line(b, s)
                text = lines[line - 1] if line is not None and 0 < line <= len(lines) else ""
                s["col"] = step_column(text, s) if text else 1
    return report_json


def _step_line(block: dict | None, step: dict) -> int | None:
    line = step.get("line")
    if line is None and block is not None:
        line = block.get("line")
    try:
        return int(line) if line is not None else None
    except (TypeError, ValueError):
        return None


def _claim(step: dict) -> str:
    lhs, rel, rhs = step.get("lhs", ""), step.get("relation", ""), step.get("rhs", "")
    if lhs or rhs:
        return f"{lhs} {rel} {rhs}".strip()
    return str(step.get("latex") or step.get("text") or "")


def _counterexample(step: dict) -> str:
    cex = step.get("counterexample")
    if not cex:
        return ""
    if isinstance(cex, dict):
        return ", ".join(f"{k} = {v}" for k, v in cex.items())
    return str(cex)


def _step_label(block: dict | None, step: dict) -> str:
    parts = []
    if block is not None and block.get("line") is not None:
        parts.append(f"line-{block['line']}")
    if step.get("index") is not None:
        parts.append(f"step {step['index']}")
    return " ".join(parts) or "block"


def describe(step: dict) -> str:
    """The plain-text body of a failure: claim, method, message, justification, counterexample."""
    lines = []
    claim = _claim(step)
    if claim:
        lines.append(claim)
    status = step.get("status", "")
    method = step.get("method")
    lines.append(f"{status}" + (f" ({method})" if method else ""))
    if step.get("message"):
        lines.append(str(step["message"]))
    if step.get("justification"):
        lines.append(f"justification: {step['justification']}")
    cex = _counterexample(step)
    if cex:
        lines.append(f"counterexample: {cex}")
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------
# GitHub Actions
# ----------------------------------------------------------------------------------------
def escape_data(text: str) -> str:
    """Escape an annotation message (GitHub's rules: %, CR, LF)."""
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape an annotation property value (message rules plus ':' and ',')."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotations(report_json: dict, allow: Iterable[str] = ()) -> str:
    """One ``::error``/``::warning`` workflow command per step that did not pass.

    refuted and unparsed steps are errors, unknown steps warnings, checked steps notices
    (numeric evidence only); statuses in ``allow`` produce nothing.  Returns the commands,
    one per line (an empty string when every step passed).
    """
    out: list[str] = []
    files = {str(f.get("path", "")): f for f in report_json.get("files", []) or []}
    for name, path, pairs in _groups(report_json):
        ok = accepted_in(files.get(path) if path is not None else None, allow)
        for block, step in pairs:
            status = step.get("status", UNKNOWN)
            if status in ok:
                continue
            level = LEVEL.get(status, "error")
            props = []
            if path is not None:
                props.append(f"file={escape_property(path)}")
            line = _step_line(block, step)
            if line is not None:
                props.append(f"line={line}")
                if step.get("col"):
                    props.append(f"col={int(step['col'])}")
            if path is None:
                where = f"{name} {_step_label(block, step)}"
            else:  # the title names the line the annotation is on (the block's own line may differ)
                where = (f"line {line}" if line is not None else "block") + \
                    (f", step {step['index']}" if step.get("index") is not None else "") + \
                    (f" of the block at line {block['line']}" if block and block.get("line") not in (None, line) else "")
            props.append(f"title={escape_property(f'{status}: {where}')}")
            out.append(f"::{level} {','.join(props)}::{escape_data(describe(step))}")
    return "\n".join(out) + ("\n" if out else "")


# ----------------------------------------------------------------------------------------
# JUnit XML
# ----------------------------------------------------------------------------------------
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text) -> str:
    """Text safe for XML 1.0 (characters XML cannot hold become U+FFFD); ET escapes the rest."""
    return _INVALID_XML.sub("\ufffd", str(text))


def junit_xml(report_json: dict, allow: Iterable[str] = ()) -> str:
    """JUnit XML: one testsuite per file (or derivation), one testcase per step.

    A step whose status is not ``proved`` (nor in ``allow``) is a ``<failure>`` whose type is
    the status and whose text holds the claim, the message and the counterexample.
    """
    files = {str(f.get("path", "")): f for f in report_json.get("files", []) or []}
    root = ET.Element("testsuites", name="verify check")
    total = {"tests": 0, "failures": 0, "time": 0.0}
    for name, path, pairs in _groups(report_json):
        suite = ET.SubElement(root, "testsuite", name=_xml_text(name))
        ok = accepted_in(files.get(path) if path is not None else None, allow)
        n = fails = 0
        seconds = 0.0
        for block, step in pairs:
            n += 1
            t = float(step.get("time") or 0.0)
            seconds += t
            attrs = {"classname": _xml_text(name), "name": _xml_text(_step_label(block, step)),
                     "time": f"{t:.3f}"}
            if path is not None:
                attrs["file"] = _xml_text(path)
            line = _step_line(block, step)
            if line is not None:
                attrs["line"] = str(line)
            case = ET.SubElement(suite, "testcase", attrs)
            status = step.get("status", UNKNOWN)
            body = _xml_text(describe(step))
            if status not in ok:
                fails += 1
                first = (str(step.get("message") or "").splitlines() or [""])[0]
                fail = ET.SubElement(case, "failure", type=_xml_text(status),
                                     message=_xml_text(f"{status}: {first}" if first else status))
                fail.text = body
            else:
                out = ET.SubElement(case, "system-out")
                out.text = body
        suite.set("tests", str(n))
        suite.set("failures", str(fails))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        suite.set("time", f"{seconds:.3f}")
        total["tests"] += n
        total["failures"] += fails
        total["time"] += seconds
    root.set("tests", str(total["tests"]))
    root.set("failures", str(total["failures"]))
    root.set("errors", "0")
    root.set("time", f"{total['time']:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
