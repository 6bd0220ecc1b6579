"""A law the note gives by its mean and variance only: "Let $p_{\\mathrm{data}}$ be any distribution on
$\\mathbb{R}$ with mean $m$ and variance $s^2 > 0$".

Of such a law only the first two moments are known, so only they are read:
``\\mathbb{E}_{x \\sim p_{\\mathrm{data}}}[f(x)]`` with f a polynomial in x of degree at most 2 (after the log of a
stated density is expanded: ``-\\log \\mathcal{N}(x; \\mu, \\sigma^2)`` is a quadratic in x) is
``c_0 + c_1 m + c_2 (s^2 + m^2)``, which holds for every law with that mean and variance.  Anything else about
the law (a third moment, ``E[\\log x]``, ``E[e^x]``) is left as the reader made it and stays unknown.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp
from sympy.core.function import AppliedUndef

from verifier.engine.probability.families import family
from verifier.model.random import Density

_LAW = (r"\$\s*(?:([A-Za-z])_\s*\{\s*\\(?:mathrm|text|rm|operatorname)\s*\{\s*([A-Za-z]+)\s*\}\s*\}|([A-Za-z])"
        r"(?:_\s*\{?\s*([A-Za-z0-9]+)\s*\}?)?)\s*\$")
_GIVEN = re.compile(_LAW + r"\s*(?:be|is|denote)\s+(?:any|an?|some|an\s+arbitrary)\s+(?:probability\s+)?(?:distribution|law)"
                    r"[^.;$]*(?:\$[^$]*\$[^.;$]*)*?\bwith\s+mean\s+\$\s*([A-Za-z])\s*\$\s*,?\s*and\s+variance\s+"
                    r"\$\s*([A-Za-z])\s*\^\s*\{?\s*2\s*\}?\s*(?:>\s*0\s*)?\$", re.I)


@dataclass(frozen=True)
class MomentLaw:
    """A law named ``law`` (the reader's name: p_{data} -> pdata) with mean ``mean`` and variance ``sd``^2."""

    law: str
    mean: str
    sd: str


def moment_laws(text: str) -> dict[str, MomentLaw]:
    """The laws the prose gives by their mean and variance only, by the reader's name."""
    out: dict[str, MomentLaw] = {}
    for m in _GIVEN.finditer(text):
        name = (m.group(1) or m.group(3)) + (m.group(2) or m.group(4) or "")
        law = MomentLaw(name, m.group(5), m.group(6))
        if out.get(name, law) != law:
            out[name] = MomentLaw(name, "", "")  # two statements of one law: neither is read
            continue
        out[name] = law
    return {k: v for k, v in out.items() if v.mean and v.mean != v.sd}


def _density(d: Density, ctx) -> sp.Basic | None:
    rv = ctx.random.get(d.args[0])
    fam = family(rv.distribution) if rv is not None else None
    return None if fam is None else fam.density(d.args[1], rv.distribution.params)


def _expectation(f: sp.Basic, var: str, law: MomentLaw, nc) -> sp.Basic | None:
    xs = [s for s in f.free_symbols if isinstance(s, sp.Symbol) and s.name == var]
    if len(xs) != 1:
        return None
    (x,) = xs
    dens = {d: _density(d, nc.ctx) for d in f.atoms(Density)}
    if None in dens.values():
        return None
    g = f.xreplace(dens)
    if any(c.has(x) for c in g.atoms(AppliedUndef)):
        return None
    g = sp.expand(sp.expand_log(g, deep=True, force=False))
    try:
        poly = sp.Poly(g, x)
    except sp.PolynomialError:
        return None
    if poly.degree() > 2 or any(c.has(x) for c in poly.coeffs()):
        return None
    m, s = nc.scalar(law.mean), nc.scalar(law.sd)
    moments = (sp.Integer(1), m, s**2 + m**2)
    return sp.Add(*(c * moments[k] for (k,), c in poly.terms()))


def read_moments(expr: sp.Basic, nc) -> sp.Basic:
    """``E_{x \\sim p}[f(x)]`` under a law the note gives by its mean and variance (``moment_laws``), for f a
    polynomial of degree at most 2 in x; any other expectation is left as it is."""
    laws = getattr(nc, "moment_laws", None)
    if not laws or not isinstance(expr, sp.Basic) or not expr.atoms(AppliedUndef):
        return expr

    def convert(c: AppliedUndef) -> sp.Basic:
        m = re.fullmatch(r"(?:bbE|E|bfE)_([A-Za-z])sim([A-Za-z0-9]+)", re.sub(r"__\d+$", "", c.func.__name__))
        if m is None or m.group(2) not in laws or len(c.args) != 1 or c.func in nc.ctx.definitions:
            return c
        out = _expectation(c.args[0], m.group(1), laws[m.group(2)], nc)
        if out is not None:
            return out
        name = c.func.__name__ + "__law"  # not read, and never a definition of E (notes.probability_reader)
        nc.notation.written.setdefault(name, nc.notation.symbol(c.func.__name__) + " (of a law given by its mean "
                                       "and variance only: only its first two moments are known)")
        return sp.Function(name)(*c.args)

    return expr.replace(lambda c: isinstance(c, AppliedUndef), convert)


__all__ = ["MomentLaw", "moment_laws", "read_moments"]
