"""The verdict store: sqlite in WAL mode, in the user's cache directory (platformdirs) or in
``$VERIFY_CACHE_DIR``, and the version of the code whose verdicts it holds.

Each row carries a digest of its key and value, checked on every read.  Anything wrong with the
store (a corrupt file, a locked database, a row that fails its digest, a full disk) is a miss or a
dropped write, never a wrong verdict and never a crash; a file that is not a database is moved
aside and a new one started.  Only final verdicts are stored: never a timeout, never an internal
error.  This module imports no SymPy, so a command whose answer is in the store starts fast; the
keys of problems are made in :mod:`verifier.engine.cache`.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from pathlib import Path

from verifier.model.results import STATUSES, Verdict
from verifier.model.version import __version__

ENV_DIR = "VERIFY_CACHE_DIR"
FILE_NAME = "verdicts.sqlite"
NOT_CACHED_METHODS = frozenset({"timeout", "error"})
_SCHEMA = ("CREATE TABLE IF NOT EXISTS verdicts (key TEXT PRIMARY KEY, engine TEXT NOT NULL, "
           "verdict TEXT NOT NULL, digest TEXT NOT NULL, created REAL NOT NULL)")
_BLOBS = ("CREATE TABLE IF NOT EXISTS blobs (key TEXT PRIMARY KEY, engine TEXT NOT NULL, "
          "value BLOB NOT NULL, digest TEXT NOT NULL, created REAL NOT NULL)")

_SETTINGS = {"enabled": True}
_ENGINE: dict = {}


def set_enabled(enabled: bool) -> None:
    """Turn the cache on or off for this process (``--no-cache``)."""
    _SETTINGS["enabled"] = enabled


def enabled() -> bool:
    return bool(_SETTINGS["enabled"]) and os.environ.get("VERIFY_NO_CACHE") != "1"


def cache_dir() -> Path:
    env = os.environ.get(ENV_DIR)
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("derivation-verifier", appauthor=False))


def engine_version() -> str:
    """The package version and a hash of the engine's (and the model's) source files."""
    return code_version(("engine", "model"))


def code_version(packages: tuple[str, ...]) -> str:
    """The package version and a hash of the source files of these subpackages of verifier."""
    if packages not in _ENGINE:
        root = Path(__file__).resolve().parent.parent
        h = hashlib.sha256(__version__.encode())
        for sub in packages:
            for f in sorted((root / sub).rglob("*.py")):
                h.update(str(f.relative_to(root)).encode())
                try:
                    h.update(f.read_bytes())
                except OSError:
                    h.update(b"?")
        _ENGINE[packages] = f"{__version__}+{h.hexdigest()[:16]}"
    return _ENGINE[packages]


def cacheable(v: Verdict) -> bool:
    """Only final verdicts are stored: never a timeout, an internal error or a verdict a larger budget
    may improve on (``budget_bound``)."""
    return isinstance(v, Verdict) and v.status in STATUSES and v.method not in NOT_CACHED_METHODS \
        and not v.budget_bound


def _verdict_text(v: Verdict) -> str:
    return json.dumps({"status": v.status, "method": v.method, "message": v.message,
                       "counterexample": v.counterexample}, ensure_ascii=False, sort_keys=True)


def _digest(key: str, text: str) -> str:
    return hashlib.sha256(f"{key}\n{text}".encode()).hexdigest()


class VerdictCache:
    """The store; every method fails soft (a miss, a dropped write)."""

    def __init__(self, directory: Path | str | None = None, timeout: float = 0.2) -> None:
        self.directory = Path(directory) if directory is not None else cache_dir()
        self.path = self.directory / FILE_NAME
        self.timeout = timeout
        self.problem = ""  # the last failure, for `verify cache info`
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._broken = False

    # -- connection -------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection | None:
        if self._conn is not None or self._broken:
            return self._conn
        for attempt in (1, 2):
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(str(self.path), timeout=self.timeout, check_same_thread=False)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute(_SCHEMA)
                conn.execute(_BLOBS)
                conn.commit()
                self._conn = conn
                return conn
            except sqlite3.DatabaseError as exc:
                self.problem = f"{type(exc).__name__}: {exc}"
                if attempt == 1 and _not_a_database(exc):
                    self._move_aside()
                    continue
                self._broken = "locked" not in str(exc)
                return None
            except OSError as exc:
                self.problem = f"{type(exc).__name__}: {exc}"
                self._broken = True
                return None
        return None

    def _move_aside(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            f = Path(str(self.path) + suffix)
            try:
                if f.exists():
                    os.replace(f, Path(str(self.path) + suffix + f".corrupt-{int(time.time())}"))
            except OSError:
                pass

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.close()
                except sqlite3.Error:
                    pass
                self._conn = None

    # -- use --------------------------------------------------------------------------
    def _row(self, sql: str, key: str) -> tuple | None:
        """One row for a key, or None (no row, no store, an error of the store)."""
        with self._lock:
            conn = self._connect()
            if conn is None:
                return None
            try:
                return conn.execute(sql, (key,)).fetchone()
            except sqlite3.Error as exc:
                self.problem = f"{type(exc).__name__}: {exc}"
                return None

    def _write(self, sql: str, params: tuple) -> bool:
        """One write, committed; False (and rolled back) when the store fails."""
        with self._lock:
            conn = self._connect()
            if conn is None:
                return False
            try:
                conn.execute(sql, params)
                conn.commit()
                return True
            except sqlite3.Error as exc:
                self.problem = f"{type(exc).__name__}: {exc}"
                try:
                    conn.rollback()
                except sqlite3.Error:
                    pass
                return False

    def get(self, key: str | None) -> Verdict | None:
        row = self._row("SELECT verdict, digest FROM verdicts WHERE key = ?", key) if key is not None else None
        if row is None:
            return None
        try:
            text, digest = row
            if not isinstance(text, str) or digest != _digest(key, text):
                return None
            d = json.loads(text)
            cex = d.get("counterexample")
            if cex is not None and not (isinstance(cex, dict) and all(isinstance(k, str) and isinstance(v, str)
                                                                        for k, v in cex.items())):
                return None
            v = Verdict(str(d["status"]), str(d["method"]), str(d["message"]), cex)
        except (ValueError, KeyError, TypeError):
            return None
        return v if cacheable(v) else None

    def put(self, key: str | None, verdict: Verdict) -> bool:
        if key is None or not cacheable(verdict):
            return False
        text = _verdict_text(verdict)
        return self._write("INSERT OR REPLACE INTO verdicts (key, engine, verdict, digest, created) VALUES (?, ?, ?, ?, ?)",
                           (key, engine_version(), text, _digest(key, text), time.time()))

    def get_blob(self, key: str | None) -> bytes | None:
        """A stored value (e.g. a whole note's report) whose digest still matches, else None."""
        row = self._row("SELECT value, digest FROM blobs WHERE key = ?", key) if key is not None else None
        if row is None or not isinstance(row[0], bytes):
            return None
        return row[0] if row[1] == hashlib.sha256(key.encode() + b"\n" + row[0]).hexdigest() else None

    def put_blob(self, key: str | None, value: bytes) -> bool:
        if key is None:
            return False
        digest = hashlib.sha256(key.encode() + b"\n" + value).hexdigest()
        return self._write("INSERT OR REPLACE INTO blobs (key, engine, value, digest, created) VALUES (?, ?, ?, ?, ?)",
                           (key, engine_version(), sqlite3.Binary(value), digest, time.time()))

    def info(self) -> dict:
        out = {"path": str(self.path), "engine": engine_version(), "entries": 0, "current": 0,
               "bytes": sum(Path(str(self.path) + s).stat().st_size for s in ("", "-wal", "-shm")
                            if Path(str(self.path) + s).exists()),
               "enabled": enabled()}
        with self._lock:
            conn = self._connect()
            if conn is not None:
                try:
                    out["entries"] = conn.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0]
                    out["current"] = conn.execute("SELECT COUNT(*) FROM verdicts WHERE engine = ?",
                                                  (engine_version(),)).fetchone()[0]
                    out["notes"] = conn.execute("SELECT COUNT(*) FROM blobs").fetchone()[0]
                except sqlite3.Error as exc:
                    self.problem = f"{type(exc).__name__}: {exc}"
        if self.problem:
            out["problem"] = self.problem
        return out

    def clear(self) -> int:
        """Remove every entry (the files too); returns how many entries there were."""
        n = self.info().get("entries", 0)
        self.close()
        for suffix in ("", "-wal", "-shm"):
            try:
                Path(str(self.path) + suffix).unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                self.problem = f"{type(exc).__name__}: {exc}"
        self._broken = False
        return n


def _not_a_database(exc: Exception) -> bool:
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text or "file is encrypted" in text


_DEFAULT: dict = {}


def default_cache() -> VerdictCache | None:
    """The process's cache at the current location, or None when the cache is off."""
    if not enabled():
        return None
    where = str(cache_dir())
    hit = _DEFAULT.get("cache")
    if hit is None or str(hit.directory) != where or _DEFAULT.get("pid") != os.getpid():
        hit = VerdictCache(where)
        _DEFAULT.update(cache=hit, pid=os.getpid())
    return hit


def close_default() -> None:
    """Close the process's cache, if it was opened (at the end of a command: every write is committed)."""
    hit = _DEFAULT.get("cache")
    if hit is not None and _DEFAULT.get("pid") == os.getpid():
        hit.close()
