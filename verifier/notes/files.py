"""Reading note files: sizes, encodings, binary files and directories, each refused with one clear line."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from verifier.notes.scan import DEFAULT_MAX_EXPR_SIZE

DEFAULT_MAX_FILE_SIZE = 2_000_000  # bytes



DEFAULT_MAX_TOTAL_TIME = 900.0  # seconds for a whole run



NOTE_SUFFIXES = {".md", ".markdown", ".mdx", ".txt", ".tex", ".rmd", ".qmd", ".rst", ".mkd"}



class InputError(Exception):
    """A file that cannot be checked at all (exit code 2)."""



@dataclass
class Limits:
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    max_expr_size: int = DEFAULT_MAX_EXPR_SIZE
    max_total_time: float = DEFAULT_MAX_TOTAL_TIME



def read_note(path: str | os.PathLike, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> str:
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file or directory")
    if not p.is_file():
        raise InputError(f"{path}: not a regular file")
    size = p.stat().st_size
    if size > max_file_size:
        raise InputError(f"{path}: file is {size} bytes, over the limit of {max_file_size} "
                         f"(raise it with --max-file-size)")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: binary file, not a text note")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}); convert it to UTF-8") from None



def note_files(paths: Iterable[str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise InputError(f"{raw}: no such file or directory")
        if p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in NOTE_SUFFIXES
                           and not any(part.startswith(".") for part in q.relative_to(p).parts))
            if not found:
                raise InputError(f"{raw}: no notes found (looked for {', '.join(sorted(NOTE_SUFFIXES))})")
            out.extend(found)
        else:
            out.append(p)
    return out

