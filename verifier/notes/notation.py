"""Notation: internal symbol names and how the note writes them.

The reader turns ``\\hat{y}`` into the symbol ``yhat``, ``y_i`` under ``\\sum_i`` into
``y[i]`` and ``P(x_i)`` into ``P[i]``.  A :class:`Notation` remembers how the note
wrote each name, so counterexamples are reported as ``\\hat{y}``, ``y_1``, ``P(x_1)``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta",
         "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "varrho", "sigma", "varsigma", "tau",
         "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi",
         "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"}
ACCENTS = {"hat": "hat", "widehat": "hat", "bar": "bar", "overline": "bar", "tilde": "tilde",
           "widetilde": "tilde", "dot": "dot", "vec": "vec"}


def split_name(name: str) -> tuple[str, str]:
    """'x_{i}' -> ('x', 'i'); 'L_{mse}' -> ('L', 'mse'); 'sigma' -> ('sigma', '')."""
    name = re.sub(r"\\text\{([^{}]*)\}", r"\1", name)
    name = name.replace("\\", "")
    if "_" not in name:
        return name.strip("{} "), ""
    head, sub = name.split("_", 1)
    sub = sub.strip()
    if sub.startswith("{") and sub.endswith("}"):
        sub = sub[1:-1]
    return head.strip("{} "), sub.replace("{", "").replace("}", "").replace(" ", "")


def canonical(name: str) -> str:
    base, sub = split_name(name)
    return f"{base}_{sub}" if sub else base


def base_latex(base: str) -> str:
    """'yhat' -> \\hat{y}, 'sigma' -> \\sigma, 'calL' -> \\mathcal{L}, 'fprime' -> f'."""
    if base.endswith("prime") and len(base) > 5:
        return base_latex(base[:-5]) + "'"
    for acc in ("hat", "bar", "tilde", "dot", "vec"):
        if base.endswith(acc) and len(base) > len(acc):
            return f"\\{acc}{{{base_latex(base[:-len(acc)])}}}"
    if base.startswith("cal") and len(base) == 4:
        return f"\\mathcal{{{base[3]}}}"
    if base.startswith("bb") and len(base) == 3:
        return f"\\mathbb{{{base[2]}}}"
    if base in GREEK:
        return "\\" + base
    if len(base) > 1 and base.isalpha():
        return f"\\mathrm{{{base}}}"
    return base


def sub_latex(sub: str) -> str:
    parts = re.split(r"(prime)", sub)
    out = "".join("'" if p == "prime" else p for p in parts)
    return out if len(out) == 1 else "{" + out + "}"


@dataclass
class Notation:
    """How the note writes names: internal name -> LaTeX."""

    written: dict[str, str] = field(default_factory=dict)
    # IndexedBase label -> template for an entry, e.g. 'P' -> 'P(x_{%s})'
    entry_templates: dict[str, str] = field(default_factory=dict)
    scalar_t: bool = False  # the note uses T as a number and writes no vectors (x^{T} is a power)
    pi_variable: bool = False  # the note's bare \pi is a variable (0 < \pi < 1), read as the name varpi
    increments: bool = False  # every \Delta of the note is an increment \Delta w, read as one name
    #: how C_n^k and A_n^k are read (notes.letters.combinations_of): letter -> "count" or "ambiguous"; {} elsewhere
    combinations: dict = field(default_factory=dict)

    def symbol(self, name: str) -> str:
        if name in self.written:
            return self.written[name]
        base, sub = split_name(name)
        return base_latex(base) + ("_" + sub_latex(sub) if sub else "")

    def entry(self, base: str, index: str) -> str:
        tpl = self.entry_templates.get(base)
        if tpl:
            return tpl.replace("%s", index)
        return self.symbol(base) + "_" + (index if len(index) == 1 else "{" + index + "}")

    def key(self, key: str) -> str:
        """A counterexample key such as 'y[1]', 'yhat', 'f(·)' in the note's notation."""
        m = re.fullmatch(r"(.+?)\[(.+)\]", key)
        if m:
            return self.entry(m.group(1), m.group(2))
        m = re.fullmatch(r"(.+?)\(·\)", key)
        if m:
            return self.symbol(m.group(1)) + "(\\cdot)"
        if key in ("lhs", "rhs") or " " in key:
            return key
        return self.symbol(key)

    def counterexample(self, cex: dict | None) -> dict | None:
        if cex is None:
            return None
        return {self.key(k): v for k, v in cex.items()}
