"""The built-in catalog: every module in the ``derivations`` package lists its derivations."""
from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # SymPy is imported when the catalog is built, not before
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
    posts: dict[str, str] = getattr(pkg, "POSTS", {})
    out: list[Derivation] = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        mod = importlib.import_module(f"{package}.{info.name}")
        factories: list[Callable[[], Derivation]] = getattr(mod, "DERIVATIONS", [])
        for make in factories:
            out.append(with_post_title(make(), posts))
    return out


def with_post_title(d: Derivation, posts: dict[str, str]) -> Derivation:
    """d with its source's post title filled in from ``posts`` (seed file -> title)."""
    if d.source is not None and not d.source.post and d.source.file in posts:
        d.source = dataclasses.replace(d.source, post=posts[d.source.file])
    return d


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
