"""Independent re-evaluation of counterexamples, for tests.

Rebuilds a point from the strings of a counterexample (``{"n": "3", "y[1]": "0.25", ...}``)
and evaluates a relation with SymPy at 50 digits, without the engine's numeric code.
"""
from __future__ import annotations

import re

import sympy as sp

from verifier.engine.expand import unfold
from verifier.model.context import Context


def point_from(ctx: Context, cex: dict[str, str]) -> tuple[dict, dict]:
    """(sizes, values) from a counterexample; values map symbols / indexed entries to numbers."""
    names = {s.name: s for s in list(ctx.scalars) + list(ctx.sizes) + list(ctx.indices)}
    names.update({k.name: k for k in ctx.onehot_hot.values()})
    bases = {str(b.label): b for b in ctx.vectors}
    sizes, values = {}, {}
    for key, text in cex.items():
        m = re.fullmatch(r"(\w+)\[(\d+)\]", key)
        if m and m.group(1) in bases:
            values[bases[m.group(1)][int(m.group(2))]] = sp.Float(text, 50)
        elif key in names:
            sym = names[key]
            if sym in ctx.sizes:
                sizes[sym] = int(text)
            else:
                values[sym] = sp.Float(text, 50) if "." in text else sp.Integer(int(float(text)))
    return sizes, values


def parse_candidate(text: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in text.split(", "))


def value_at(expr: sp.Basic, ctx: Context, sizes: dict, values: dict) -> sp.Float:
    e = unfold(expr, ctx.definitions).xreplace({k: sp.Integer(v) for k, v in sizes.items()})
    e = e.replace(lambda x: isinstance(x, (sp.Sum, sp.Product)), lambda x: x.doit())
    return sp.N(e.xreplace(values), 50)
