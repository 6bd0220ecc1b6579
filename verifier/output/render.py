"""LaTeX of a context: the assumptions on its symbols and its definitions ("where ...")."""
from __future__ import annotations

import sympy as sp

from verifier.model.chain_latex import why_latex
from verifier.model.latex import function_name_latex, to_latex

# ----------------------------------------------------------------------------------------
# assumptions and definitions ("where ...")
# ----------------------------------------------------------------------------------------
_DOMAIN_TEX = {"real": r"\in \mathbb{R}", "positive": "> 0", "nonnegative": r"\ge 0", "unit": r"\in (0, 1)",
               "integer": r"\in \mathbb{Z}", "binary": r"\in \{0, 1\}", "sign": r"\in \{-1, +1\}"}


def assumptions_latex(ctx) -> list[str]:
    """The domains, sizes and index ranges of a context, one formula per group."""
    out: list[str] = []
    groups: dict[str, list[str]] = {}
    for s, dom in ctx.scalars.items():
        groups.setdefault(dom.kind, []).append(to_latex(s))
    for base, dom in ctx.vectors.items():
        r = ctx.vector_ranges.get(base)
        i = to_latex(r.index) if r else "i"
        entry = to_latex(base[r.index]) if r else f"{to_latex(base)}_{{i}}"
        if dom.kind == "probability":
            out.append(rf"{entry} > 0,\ \sum_{{{i}}} {entry} = 1")
        elif dom.kind == "onehot":
            out.append(rf"{to_latex(base)} \text{{ one-hot: }} {entry} \in \{{0, 1\}},\ \sum_{{{i}}} {entry} = 1")
        else:
            groups.setdefault(dom.kind, []).append(entry)
    for kind, names in groups.items():
        if kind in _DOMAIN_TEX:
            out.insert(len(out), ", ".join(names) + " " + _DOMAIN_TEX[kind])
    for s, lo in ctx.sizes.items():
        out.append(rf"{to_latex(s)} \ge {lo} \text{{ an integer}}")
    for s, r in ctx.indices.items():
        if s in getattr(ctx, "onehot_hot", {}).values():
            continue
        out.append(rf"{to_latex(s)} = {to_latex(r.lo)}, \dots, {to_latex(r.hi)}")
    for f, dom in ctx.functions.items():
        if dom.kind in _DOMAIN_TEX and dom.kind != "real":
            out.append(rf"{function_name_latex(f.__name__)}(\cdot) {_DOMAIN_TEX[dom.kind]}")
    return out


def definitions_latex(ctx) -> list[str]:
    """Each definition as 'name = value' (functions as f(u, v) = body)."""
    out = []
    for name, value in ctx.definitions.items():
        if not isinstance(value, sp.Basic):
            continue  # a Python-level definition (e.g. a lambda building expressions)
        try:
            if isinstance(value, sp.Lambda):
                args = ", ".join(to_latex(v) for v in value.variables)
                head = (function_name_latex(name.__name__) if isinstance(name, sp.FunctionClass)
                        else to_latex(name))
                out.append(f"{head}({args}) = {to_latex(value.expr)}")
            else:
                head = (function_name_latex(name.__name__) if isinstance(name, sp.FunctionClass)
                        else to_latex(name))
                out.append(f"{head} = {to_latex(value)}")
        except Exception as exc:  # a definition the printer cannot show is named, not hidden
            out.append(why_latex(f"{name}: not printable ({type(exc).__name__})"))
    return out
