"""Pragmas: instructions to the checker written inside a note.

``<!-- verify: NAME ARGUMENT -->`` (Markdown, any text file) or ``% verify: NAME ARGUMENT`` (a TeX
comment line, or a LaTeX comment line inside a display):

* ``skip`` -- the next display is not checked (a pragma inside a display skips that display);
* ``skip-file`` -- nothing in the file is checked;
* ``assume 0<p<1`` -- a domain, as ``--assume`` states it (the command line wins over the note);
* ``allow unknown`` -- these statuses pass in this file (``checked``, ``unknown``, ``unparsed``).

Each pragma name maps to a small function in :data:`PRAGMAS`.  A pragma the tool does not know,
or one it cannot read, is listed in :attr:`Pragmas.problems` (reported, never silently dropped).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

from verifier.model.results import CHECKED, UNKNOWN, UNPARSED

#: statuses a note (or ``--allow``) may accept besides ``proved``
ALLOWABLE = (CHECKED, UNKNOWN, UNPARSED)

_HTML = re.compile(r"<!--\s*verify\s*:\s*(.*?)\s*-->", re.S)
_TEX = re.compile(r"(?m)^[ \t>]*%+[ \t]*verify[ \t]*:[ \t]*(.*?)[ \t]*$")


@dataclass
class Pragmas:
    """What a note's pragmas ask for."""

    skip_file: bool = False
    skip_at: list[int] = field(default_factory=list)  # lines of `skip` pragmas
    assumptions: list[tuple[int, str]] = field(default_factory=list)  # (line, assumption text)
    allow: list[str] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)  # {"line": n, "message": ...}

    def skipped_blocks(self, spans: Sequence[tuple[int, int]]) -> set[int]:
        """Opening lines of the blocks a `skip` pragma names: the first block that ends at or after
        the pragma's line (a pragma inside a display skips that display)."""
        out: set[int] = set()
        ordered = sorted(spans)
        for at in self.skip_at:
            for start, end in ordered:
                if end >= at:
                    out.add(start)
                    break
            else:
                self.problems.append({"line": at, "message": "verify: skip with no display after it"})
        return out

    def to_json(self, skipped: Sequence[int] = ()) -> dict:
        d: dict = {}
        if self.skip_file:
            d["skip_file"] = True
        if skipped:
            d["skipped_blocks"] = sorted(skipped)
        if self.assumptions:
            d["assumptions"] = [{"line": n, "assumption": a} for n, a in self.assumptions]
        if self.allow:
            d["allow"] = list(self.allow)
        if self.problems:
            d["problems"] = list(self.problems)
        return d


def _skip(p: Pragmas, arg: str, line: int) -> None:
    if arg:
        p.problems.append({"line": line, "message": f"verify: skip takes no argument (got {arg!r})"})
        return
    p.skip_at.append(line)


def _skip_file(p: Pragmas, arg: str, line: int) -> None:
    if arg:
        p.problems.append({"line": line, "message": f"verify: skip-file takes no argument (got {arg!r})"})
        return
    p.skip_file = True


def _assume(p: Pragmas, arg: str, line: int) -> None:
    if not arg:
        p.problems.append({"line": line, "message": "verify: assume needs an assumption, e.g. 0<p<1"})
        return
    p.assumptions.append((line, arg))


def _allow(p: Pragmas, arg: str, line: int) -> None:
    words = [w for w in re.split(r"[\s,]+", arg) if w]
    bad = [w for w in words if w not in ALLOWABLE]
    if not words or bad:
        p.problems.append({"line": line, "message": f"verify: allow takes {', '.join(ALLOWABLE)}"
                           + (f" (not {', '.join(bad)})" if bad else "")})
        return
    p.allow.extend(w for w in words if w not in p.allow)


#: pragma name -> function(pragmas, argument, line)
PRAGMAS: dict[str, Callable[[Pragmas, str, int], None]] = {
    "skip": _skip,
    "skip-file": _skip_file,
    "assume": _assume,
    "allow": _allow,
}


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _mask_code(text: str) -> str:
    """Blank out fenced and inline code (a pragma shown as an example is not one), keeping offsets."""
    def blank(m: re.Match) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    text = re.sub(r"(?ms)^[ \t>]*(```|~~~).*?(^[ \t>]*\1[^\n]*$|\Z)", blank, text)
    return re.sub(r"`[^`\n]+`", blank, text)


def read_pragmas(text: str) -> Pragmas:
    """Every pragma of a note, in the order written (pragmas inside code are examples, not read)."""
    text = _mask_code(text)
    found: list[tuple[int, str]] = []
    found += [(m.start(), m.group(1)) for m in _HTML.finditer(text)]
    found += [(m.start(), m.group(1)) for m in _TEX.finditer(text)]
    p = Pragmas()
    for pos, body in sorted(found):
        line = _line_of(text, pos)
        name, _, arg = " ".join(body.split()).partition(" ")
        fn = PRAGMAS.get(name.lower())
        if fn is None:
            p.problems.append({"line": line, "message": f"unknown pragma 'verify: {name}' "
                               f"(known: {', '.join(PRAGMAS)})"})
            continue
        fn(p, arg.strip(), line)
    return p
