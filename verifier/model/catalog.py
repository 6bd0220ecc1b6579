"""The built-in catalog: every module in the ``derivations`` package lists its derivations."""
from __future__ import annotations

import importlib
import pkgutil
from typing import Callable

from verifier.model.chain import Derivation


class UnknownDerivation(KeyError):
    pass


def occurrence_key(d: Derivation) -> str:
    """id@seed: the same derivation can occur in several posts."""
    seed = d.source.file.split("_", 1)[0] if d.source else ""
    return f"{d.id}@{seed}" if seed else d.id


def load_catalog(package: str = "derivations") -> list[Derivation]:
    """Build every derivation of the catalog (in module order)."""
    pkg = importlib.import_module(package)
    out: list[Derivation] = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        mod = importlib.import_module(f"{package}.{info.name}")
        factories: list[Callable[[], Derivation]] = getattr(mod, "DERIVATIONS", [])
        for make in factories:
            out.append(make())
    return out


def select(catalog: list[Derivation], ids: list[str]) -> list[Derivation]:
    """Derivations matching ids (an id selects all its occurrences; id@seed one of them)."""
    if not ids:
        return catalog
    chosen: list[Derivation] = []
    for wanted in ids:
        hits = [d for d in catalog if d.id == wanted or occurrence_key(d) == wanted]
        if not hits:
            raise UnknownDerivation(wanted)
        chosen.extend(h for h in hits if h not in chosen)
    return chosen
