"""Whole notes' reports in the verdict store: a note whose report holds no timeout and no internal
error is kept under a key of its text, how it is read (TeX or Markdown, the assumptions, the
expression-size limit) and the code that reads and decides it (``verifier/engine``, ``model`` and
``notes``).  This module imports no SymPy: when every note of a run is in the store, `verify check`
answers without building the reader or the engine."""
from __future__ import annotations

import hashlib
import pickle
import time
from pathlib import Path
from typing import Iterable, Sequence

from verifier.engine.store import NOT_CACHED_METHODS, code_version, default_cache
from verifier.notes.files import InputError, Limits, note_files, read_note
from verifier.notes.report import CheckReport, FileReport


def note_key(text: str, path: str, assumptions: Sequence[str], max_expr_size: int) -> str:
    """The cache key of a note's whole report: its text, how it is read, and the code that reads it."""
    h = hashlib.sha256(code_version(("engine", "model", "notes")).encode())
    for part in (text, str(path).lower().endswith(".tex"), list(assumptions), max_expr_size):
        h.update(repr(part).encode("utf-8", "replace") + b"\0")
    return "note:" + h.hexdigest()


def cached_report(key: str | None, path: str) -> FileReport | None:
    """The stored report of a note (its path set to this one), or None: a miss, the cache off, a bad row."""
    store = default_cache()
    raw = store.get_blob(key) if store is not None and key else None
    if raw is None:
        return None
    try:
        fr = pickle.loads(raw)
    except Exception:  # noqa: BLE001 - an unreadable entry is a miss
        return None
    if not isinstance(fr, FileReport):
        return None
    fr.path = path
    return fr


def report_is_final(fr: FileReport) -> bool:
    """Only a report without a timeout, an internal error or a failed note is stored."""
    if fr.error:
        return False
    for b in fr.blocks:
        if any(sr.method in NOT_CACHED_METHODS for sr in b.steps):
            return False
        if any("timed out" in str(u.get("message", "")) for u in b.unread):
            return False
    return True


def store_report(key: str | None, fr: FileReport) -> bool:
    store = default_cache()
    if store is None or not key or not report_is_final(fr):
        return False
    try:
        return store.put_blob(key, pickle.dumps(fr, pickle.HIGHEST_PROTOCOL))
    except Exception:  # noqa: BLE001 - a report that does not pickle is not stored
        return False


def cached_check(paths: Iterable[str], assumptions: Sequence[str] = (), limits: Limits | None = None
                 ) -> CheckReport | None:
    """The whole run from the store when every note of it is there (else None: the run is done afresh,
    and any input error is reported by it)."""
    if default_cache() is None:
        return None
    limits = limits or Limits()
    start = time.monotonic()
    rep = CheckReport()
    try:
        files: list[Path] = note_files(paths)
        for f in files:
            fr = cached_report(note_key(read_note(f, limits.max_file_size), str(f), assumptions,
                                        limits.max_expr_size), str(f))
            if fr is None:
                return None
            rep.files.append(fr)
    except (InputError, OSError):
        return None
    rep.seconds = time.monotonic() - start
    return rep
