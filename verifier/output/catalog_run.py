"""A whole `verify all` run from the verdict store, when nothing its verdicts depend on has changed.

The run's results are stored under one key: the code version of the engine and the model (their
source files, as for every cached verdict), the source files of the catalog package, the versions
of SymPy and mpmath (read from their installed metadata's folder name, or the file that holds the
version, without importing them or importlib.metadata), the ids asked for and the budget.  On a
hit no derivation is built and SymPy is never imported, which is what makes a warm `verify all`
start as fast as the interpreter.  A run in which any step timed out or failed inside is not
stored, so a hit never replays a verdict the engine would not give again.  Everything about the
store fails soft (see :mod:`verifier.engine.store`): a miss, never a wrong result.
"""
from __future__ import annotations

import hashlib
import importlib.util
import pickle
from pathlib import Path

from verifier.engine.store import NOT_CACHED_METHODS, code_version, default_cache
from verifier.model.results import DerivationResult

CATALOG_PACKAGE = "derivations"


def catalog_digest(package: str = CATALOG_PACKAGE) -> str | None:
    """A hash of the catalog package's source files (None: the package cannot be found)."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    h = hashlib.sha256()
    for root in spec.submodule_search_locations:
        for f in sorted(Path(root).rglob("*.py")):
            h.update(str(f.relative_to(root)).encode() + b"\0")
            try:
                h.update(f.read_bytes())
            except OSError:
                return None
    return h.hexdigest()


def _library_versions() -> str:
    return ",".join(f"{name}={library_version(name)}" for name in ("sympy", "mpmath"))


def library_version(name: str) -> str:
    """What identifies the installed version of a library: the name of its ``*.dist-info`` folder beside
    the package (``sympy-1.14.0.dist-info``), else a hash of the file that states the version (a checkout
    on the path); "?" when the library cannot be found."""
    try:
        spec = importlib.util.find_spec(name)  # finds the package, never imports it
    except (ImportError, ValueError):
        return "?"
    if spec is None or not spec.origin:
        return "?"
    package = Path(spec.origin).parent
    infos = sorted(p.name for p in package.parent.glob(f"{name}-*.dist-info"))
    if infos:
        return "+".join(infos)
    stated = package / "release.py" if (package / "release.py").is_file() else Path(spec.origin)
    try:
        return "sha256:" + hashlib.sha256(stated.read_bytes()).hexdigest()[:16]
    except OSError:
        return "?"


def run_key(ids: list[str], budget: float, package: str = CATALOG_PACKAGE) -> str | None:
    """The key of a `verify all` run (None: the catalog's sources cannot be read)."""
    digest = catalog_digest(package)
    if digest is None:
        return None
    text = "\n".join(["verify-all", code_version(("engine", "model")), digest, _library_versions(),
                      repr(sorted(ids)), repr(float(budget)), package])
    return hashlib.sha256(text.encode()).hexdigest()


def cached_run(key: str | None) -> tuple[list[DerivationResult], list[str]] | None:
    """The stored results and occurrence keys of a run, or None (a miss, the cache off, a bad row)."""
    store = default_cache()
    raw = store.get_blob(key) if store is not None and key else None
    if raw is None:
        return None
    try:
        results, keys = pickle.loads(raw)
    except Exception:  # noqa: BLE001 - a row that does not load is a miss
        return None
    if not (isinstance(results, list) and isinstance(keys, list) and len(results) == len(keys)
            and all(isinstance(r, DerivationResult) for r in results)):
        return None
    return results, keys


def final(results: list[DerivationResult]) -> bool:
    """Every step of the run has a verdict the engine would give again (no timeout, no error)."""
    return all(s.method not in NOT_CACHED_METHODS for r in results for s in r.steps)


def store_run(key: str | None, results: list[DerivationResult], keys: list[str]) -> bool:
    """Keep a run's results under its key; only runs whose every verdict is final."""
    store = default_cache()
    if store is None or not key or not final(results):
        return False
    return store.put_blob(key, pickle.dumps((results, keys), pickle.HIGHEST_PROTOCOL))


def verify_run(chosen: list, ids: list[str], budget: float, jobs: int = 0, show: bool = True,
               what: str = "verifying") -> list[DerivationResult]:
    """The results of these derivations (the catalog's selection for `ids`): from the store when
    the same run is there, else decided (with a progress bar for people) and stored."""
    from verifier.model.catalog import occurrence_key
    from verifier.output.progress import verify_with_progress  # the engine, only when it runs

    key = run_key(list(ids), budget)
    keys = [occurrence_key(d) for d in chosen]
    hit = cached_run(key)
    if hit is not None and hit[1] == keys:
        return hit[0]
    results = list(verify_with_progress(chosen, budget, jobs, show=show, what=what))
    store_run(key, results, keys)
    return results
