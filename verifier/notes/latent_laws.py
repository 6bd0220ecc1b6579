"""A discrete latent variable with a variational law, as ELBO notes set it up.

A note that states all of

* a discrete latent variable on a finite set: "a **discrete** latent variable $z \\in \\{1, \\dots, K\\}$";
* an observation and its likelihood: "a likelihood $p(\\mathbf{x} \\mid z)$ for an observation $\\mathbf{x}$";
* the prior: "a prior $p(z)$";
* the joint as their product: "$p(\\mathbf{x}, z) = p(z)\\,p(\\mathbf{x} \\mid z)$";
* a variational law on the same set: "a distribution $q(z)$" (or "$q(z) > 0$")

is read with the standard meanings over the K states (the observation is fixed):

* ``q(z)`` -> ``q_z``, ``p(z)`` -> ``p(z = z)``, ``p(x | z)`` -> ``p(x | z = z)`` (three vectors over z: q and
  the prior probability vectors, the likelihood positive), ``p(x, z)`` -> their product, the evidence
  ``p(x)`` -> ``\\sum_j p(z = j) p(x | z = j)``, the posterior ``p(z | x)`` (``p(\\cdot \\mid x)``) -> the joint
  over the evidence;
* ``\\sum_z`` without limits runs over 1..K; ``\\mathbb{E}_{z \\sim q}[f]`` -> ``\\sum_z q_z f``;
  ``KL(a || b)`` between two of those laws -> ``\\sum_z a_z \\log(a_z / b_z)``.

So a general identity between them is decided over every such law (a proof is a proof for every K), and a
refutation is a concrete law, shown as one.  Nothing is guessed: a section whose prose gives the laws values
(a worked example: "$K = 2$", "$p(z = 1) = 1/2$", "$q = (1/2, 1/2)$") is not read this way; a call at other
arguments (``p(z = 1 \\mid x)``, ``q(x)``) stays as the reader made it (and unknown); a KL or E the note
defines itself (a chain starting with it) keeps the note's meaning.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, localcontext

import sympy as sp
from sympy.core.function import AppliedUndef

from verifier.notes.finite_laws import section_spans

_SENTENCE = re.compile(r"[^.。;；!！?？\n]+(?:\n(?!\s*\n)[^.。;；!！?？\n]+)*")
_LATENT = re.compile(r"\$\s*([a-z])\s*\\in\s*\\\{\s*1\s*,\s*\\l?dots\s*,\s*([A-Za-z])\s*\\\}\s*\$")
_OBS = r"(?:\\mathbf\s*\{\s*([a-z])\s*\}|\\boldsymbol\s*\{\s*([a-z])\s*\}|([a-z]))"
_SP = r"(?:\\[,;:! ]|\s)*"
_MID = r"(?:\\mid|\|)"
#: what a worked example gives the laws: a number of states, a law's value at a state, a law as a vector
_VALUES = (r"(?:(?<![A-Za-z\\]){K}\s*=\s*\d|[pq]\s*\(\s*{z}\s*=\s*\d|[pq]\s*\(\s*\d|[pq]\s*\(\s*{o}\s*,\s*\d"
           r"|(?<![A-Za-z\\])q\s*=\s*\\?\(|{o}\s*{mid}\s*{z}\s*=\s*\d)")
#: the reader's names of the operators read here
_EXPECT = r"(?:bbE|E|bfE)_{z}sim{q}"
_KL = frozenset({"D_KL", "KL"})
_FRESH = ("j", "k", "l", "m", "u", "v", "s")


@dataclass(frozen=True)
class Latent:
    """The latent variable (its letter), its number of states, the observation's letter, the variational law's
    name, and the line spans where the reading holds not (sections giving the laws values)."""

    var: str
    size: str
    obs: str
    q: str
    excluded: tuple = ()

    def applies(self, line: int | None) -> bool:
        return line is not None and not any(lo <= line <= hi for lo, hi in self.excluded)


def _in_sentence(text: str, word: str, pattern: str) -> bool:
    return any(re.search(word, s.group(0), re.I) and re.search(pattern, s.group(0))
               for s in _SENTENCE.finditer(text))


def latent_law(text: str) -> Latent | None:
    """The note's discrete latent variable with its prior, likelihood and variational law, when its prose states
    them all (see the module's doc); None otherwise."""
    found = None
    for s in _SENTENCE.finditer(text):
        m = _LATENT.search(s.group(0))
        if m and re.search(r"latent", s.group(0), re.I) and re.search(r"discrete|finite", s.group(0), re.I):
            found = (m.group(1), m.group(2))
            break
    if found is None:
        return None
    z, size = found
    lik = re.compile(r"p\s*\(\s*" + _OBS + _SP + _MID + _SP + z + r"\s*\)")
    m = next((lik.search(s.group(0)) for s in _SENTENCE.finditer(text)
              if re.search(r"likelihood", s.group(0), re.I) and lik.search(s.group(0))), None)
    if m is None:
        return None
    obs = m.group(1) or m.group(2) or m.group(3)
    o = r"(?:\\mathbf\s*\{\s*" + obs + r"\s*\}|\\boldsymbol\s*\{\s*" + obs + r"\s*\}|" + obs + ")"
    if not _in_sentence(text, r"observ", r"\$\s*" + o + r"\s*\$"):
        return None
    if not _in_sentence(text, r"prior", r"\$\s*p\s*\(\s*" + z + r"\s*\)\s*\$"):
        return None
    joint = r"p\s*\(\s*" + o + r"\s*,\s*" + z + r"\s*\)\s*=\s*" + _SP
    prior, likelihood = r"p\s*\(\s*" + z + r"\s*\)", r"p\s*\(\s*" + o + _SP + _MID + _SP + z + r"\s*\)"
    if not re.search(joint + "(?:" + prior + _SP + likelihood + "|" + likelihood + _SP + prior + ")", text):
        return None
    if not (_in_sentence(text, r"distribution", r"\$\s*q\s*\(\s*" + z + r"\s*\)\s*\$")
            or re.search(r"\$\s*q\s*\(\s*" + z + r"\s*\)\s*>\s*0", text)):
        return None
    if re.search(r"(?:^|\n)\s*&?\s*(?:\\mathrm\{KL\}|\\operatorname\{KL\}|KL|D_\{?\\?\w*\{?KL\}?\}?|\\mathbb\{?E\}?_)"
                 r"[^\n=]*?\\?[|(][^\n=]*?\b" + z + r"\b[^\n]*?(?<![<>!])=", text):
        return None  # the note defines its own KL or E of the latent laws: its meaning, not the built-in one
    values = re.compile(_VALUES.format(K=re.escape(size), z=z, o=o, mid=_MID))
    excluded = []
    for lo, hi, start in section_spans(text):
        body = "\n".join(text.splitlines()[lo - 1:hi])
        if values.search(body):
            excluded.append((lo, hi))
    return Latent(z, size, obs, "q", tuple(excluded))


class _Reading:
    """The latent laws of one note as vectors over the latent index."""

    def __init__(self, latent: Latent, nc) -> None:
        self.latent = latent
        self.nc = nc
        if latent.size not in nc.sym and latent.size not in nc.idx:  # no sum over the states written yet
            nc.sym[latent.size] = nc.ctx.size(latent.size)
            nc.domains.setdefault(latent.size, ("integer", "the number of states of the latent variable"))
        if latent.var not in nc.idx and latent.var not in nc.sym:
            nc.idx[latent.var] = nc.ctx.index(latent.var, nc.sym[latent.size], 1)
        self.z = nc.idx.get(latent.var)
        self.size = nc.sym.get(latent.size)
        self.ok = self.z is not None and self.size is not None and nc.ctx.indices.get(self.z) is not None \
            and nc.ctx.indices[self.z].hi == self.size and nc.ctx.indices[self.z].lo == 1
        if not self.ok:
            return
        z = self.z
        nc.prob.setdefault(latent.q, (z, sp.Integer(1), self.size))
        nc.prob.setdefault("prior", (z, sp.Integer(1), self.size))
        nc.domains.setdefault("prior", ("probability", "the prior p(z) of the latent variable"))
        nc.domains.setdefault("lik", ("positive", f"the likelihood p({latent.obs} | z) of the observation"))
        self.q, self.prior, self.lik = nc.vector(latent.q), nc.vector("prior"), nc.vector("lik")
        obs = latent.obs
        nc.notation.entry_templates.setdefault(latent.q, f"{latent.q}({latent.var} = %s)")
        nc.notation.entry_templates.setdefault("prior", f"p({latent.var} = %s)")
        nc.notation.entry_templates.setdefault("lik", f"p(\\mathbf{{{obs}}} \\mid {latent.var} = %s)")
        self.j = self._fresh()
        self.off: set = set()  # the laws the note gives another value than the built-in one: not read

    def kind(self, c: AppliedUndef) -> tuple:
        """Which latent law a call is: its name and where the latent letter stands in it."""
        return (re.sub(r"__\d+$", "", c.func.__name__), tuple(a == self.z for a in c.args), len(c.args))

    def _fresh(self) -> sp.Symbol:
        nc = self.nc
        used = set(nc.idx) | set(nc.sym) | set(getattr(nc, "indexed_names", ()))
        used |= {s.name for s in nc.ctx.scalars} | {s.name for s in nc.ctx.indices}
        for name in _FRESH:
            if name not in used:
                return nc.ctx.index(name + "_" + self.latent.var, self.size, 1)
        return nc.ctx.index("j_" + self.latent.var + "_latent", self.size, 1)

    def evidence(self) -> sp.Basic:
        j = self.j
        return sp.Sum(self.prior[j] * self.lik[j], (j, 1, self.size))

    def law_at(self, a: sp.Basic, z: sp.Basic) -> sp.Basic | None:
        """A law of the latent variable written as KL's argument, at the state z: q(z) or q, p(z), p(z | x)."""
        L = self.latent
        if isinstance(a, sp.Symbol) and a.name == L.q:
            return self.q[z]
        if isinstance(a, AppliedUndef) and a.args and a.args[0] == self.z:
            v = self.call(a)
            return None if v is None else v.xreplace({self.z: z})
        return None

    def call(self, c: AppliedUndef) -> sp.Basic | None:
        """A call of the latent laws at the latent letter, as an entry (None: not one of them)."""
        L, z = self.latent, self.z
        if not self.ok or self.kind(c) in self.off:
            return None
        name = re.sub(r"__\d+$", "", c.func.__name__)
        args = tuple(c.args)
        is_x = lambda a: isinstance(a, sp.Symbol) and a.name == L.obs  # noqa: E731
        if name == L.q and args == (z,):
            return self.q[z]
        if name == "p" and args == (z,):
            return self.prior[z]
        if name == "p" and len(args) == 1 and is_x(args[0]):
            return self.evidence()
        if name == "p" and len(args) == 2 and is_x(args[0]) and args[1] == z:
            return self.prior[z] * self.lik[z]
        if name == "pcond" and len(args) == 2 and is_x(args[0]) and args[1] == z:
            return self.lik[z]
        if name == "pcond" and len(args) == 2 and args[0] == z and is_x(args[1]):
            return self.prior[z] * self.lik[z] / self.evidence()
        return None

    def _other_law(self, e: AppliedUndef) -> bool:
        """The note defines this name as another of the laws (p(z | x), the posterior, where e is p(x | z))."""
        written = getattr(self.nc, "def_args", {}).get(e.func.__name__)
        if not written or len(written) != len(e.args):
            return False
        return tuple(a == self.z for a in written) != tuple(a == self.z for a in e.args)

    def _as_defined(self, e: AppliedUndef, built: sp.Basic) -> bool:
        value = self.nc.ctx.definitions[e.func]
        try:
            body = value(*e.args) if isinstance(value, sp.Lambda) else value
        except (TypeError, ValueError):
            return False
        return _same(built, body, self)

    def convert(self, e: sp.Basic) -> sp.Basic:
        if not isinstance(e, sp.Basic) or not e.args:
            return e
        if isinstance(e, AppliedUndef):
            name = re.sub(r"__\d+$", "", e.func.__name__)
            defs = self.nc.ctx.definitions
            if re.fullmatch(_EXPECT.format(z=self.latent.var, q=self.latent.q), name) and len(e.args) == 1 \
                    and e.func not in defs:
                body = self.convert(e.args[0])
                return sp.Sum(self.q[self.z] * body, (self.z, 1, self.size))
            if name in _KL and len(e.args) == 2 and e.func not in defs:
                a, b = (self.law_at(x, self.z) for x in e.args)
                if a is not None and b is not None:
                    return sp.Sum(a * sp.log(a / b), (self.z, 1, self.size))
                return e
            v = self.call(e)
            if v is not None and (e.func not in defs or self._other_law(e) or self._as_defined(e, v)):
                return v  # a law the note defines itself is read so only where its definition says the same
        args = [self.convert(a) for a in e.args]
        return e.func(*args) if any(x is not y for x, y in zip(args, e.args)) else e


def supports_of(latent: Latent | None) -> dict:
    """The bare sums of the latent letter run over its states (``notes.probability_spelling.support_sums``)."""
    return {} if latent is None else {latent.var: ("1", latent.size)}


def declare_latent(nc, text: str) -> None:
    """The note's latent laws (``latent_law``) declared in nc's context, before any chain is read."""
    nc.latent = latent_law(text)
    nc.latent_reading = None if nc.latent is None else _Reading(nc.latent, nc)


def uses_latent(e: sp.Basic, nc) -> bool:
    names = {"prior", "lik", getattr(getattr(nc, "latent", None), "q", "q")}
    return isinstance(e, sp.Basic) and any(str(b.label) in names and b in nc.ctx.vectors
                                           for b in e.atoms(sp.IndexedBase))


def _uses_vectors(value, nc) -> bool:
    body = value.expr if isinstance(value, sp.Lambda) else value
    return uses_latent(body, nc)


def _defined_over_latent(e, nc) -> bool:
    """Does e use a name whose definition the latent reading gave (ELBO(q))?"""
    defs = nc.ctx.definitions
    return isinstance(e, sp.Basic) and any(
        (c.func if isinstance(c, AppliedUndef) else c) in defs
        and _uses_vectors(defs[c.func if isinstance(c, AppliedUndef) else c], nc)
        for c in e.atoms(AppliedUndef, sp.Symbol))


def _unread_here(e: sp.Basic, nc, why: str) -> sp.Basic:
    """Names whose definition the latent reading gave (ELBO(q) = sum_z q_z ...) as unread names where that
    reading does not hold (a worked example's section): the step is not decided with the general laws."""
    defs = nc.ctx.definitions

    def rename(c: sp.Basic) -> sp.Basic:
        name = (c.func.__name__ if isinstance(c, AppliedUndef) else c.name) + "__law"
        sym = nc.notation.symbol(c.func.__name__ if isinstance(c, AppliedUndef) else c.name)
        nc.notation.written.setdefault(name, f"{sym} ({why})")
        return sp.Function(name)(*c.args) if isinstance(c, AppliedUndef) else sp.Symbol(name)

    return e.replace(lambda c: isinstance(c, (AppliedUndef, sp.Symbol)) and
                     (c.func if isinstance(c, AppliedUndef) else c) in defs and
                     _uses_vectors(defs[c.func if isinstance(c, AppliedUndef) else c], nc), rename)


def _same(a: sp.Basic, b: sp.Basic, reading) -> bool:
    """The note's value of a latent law is the built-in one (up to the name of a bound index)."""
    if a == b:
        return True
    try:
        swap = {reading.j: reading.z}
        return sp.simplify(a.xreplace(swap) - b.xreplace(swap)) == 0 or a.xreplace(swap) == b.xreplace(swap)
    except Exception:  # noqa: BLE001 - not shown to agree: the note's own value, and the built-in reading is off
        return False


def read_latent(exprs: list, nc, head: bool = True, line: int | None = None) -> list:
    """The chain's expressions with the latent laws read (see the module's doc), where the note states them and
    the chain's section gives them no values; ``head=False``: the head keeps the note's names (a definition).
    A latent law the chain states at its head (``p(z \\mid x) = p(x, z) / p(x)``) keeps its name there, so the
    statement is what the note makes of it (a definition); when its value is not the built-in meaning, that law
    is no longer read (the note's own meaning wins from there on)."""
    latent = getattr(nc, "latent", None)
    reading = getattr(nc, "latent_reading", None)
    if latent is None or reading is None or not reading.ok:
        return exprs
    if not latent.applies(line):
        return [e if e is None else _unread_here(e, nc, "in a worked example, not the general law")
                for e in exprs]
    first = exprs[0] if exprs else None
    keep = not head and isinstance(first, (AppliedUndef, sp.Symbol))  # a name the prose defines keeps it
    if isinstance(first, AppliedUndef) and len(exprs) == 2 and exprs[1] is not None \
            and first.func not in nc.ctx.definitions:
        built = reading.call(first)
        if built is not None:
            keep = True
            value = reading.convert(exprs[1])
            if not _example_value(value) and not _same(built, value, reading):
                reading.off.add(reading.kind(first))
    out = [e if e is None or (k == 0 and keep) else reading.convert(e) for k, e in enumerate(exprs)]
    if any(uses_latent(e, nc) or _defined_over_latent(e, nc) for e in out) and any(_example_value(e) for e in out):
        # the laws' values at a worked example's numbers (ELBO(q) = -3/2 log 2): not an identity of the general law
        return [e if e is None else _unread_here(e, nc, "at a worked example's values, not the general law")
                for e in exprs]
    return out


def _example_value(e) -> bool:
    """A number other than 0 and 1 (the constants general identities of laws have: sum_z q_z = 1, KL(q || q) = 0)."""
    return isinstance(e, sp.Basic) and not e.free_symbols and e.is_number and e not in (sp.Integer(0), sp.Integer(1))


def law_of_refutation(nc, a, b):
    """For a claim read over the latent laws: counterexample -> the concrete law it is (``describe``); else None."""
    if getattr(nc, "latent", None) is None or not (uses_latent(a, nc) or uses_latent(b, nc)):
        return None
    return lambda cex: describe(cex, nc)


def describe(counterexample: dict | None, nc) -> str:
    """The concrete law of a refutation over the latent laws: K, q, the prior, the likelihood, the joint."""
    latent = getattr(nc, "latent", None)
    if latent is None or not counterexample:
        return ""
    cex = counterexample
    size = cex.get(latent.size)
    if size is None or not str(size).isdigit():
        return ""
    k = int(size)

    def vec(name: str) -> list[str] | None:
        vals = [cex.get(f"{name}[{i}]") for i in range(1, k + 1)]
        return None if None in vals else [str(v) for v in vals]

    q, prior, lik = vec(latent.q), vec("prior"), vec("lik")
    if q is None or prior is None or lik is None:
        return ""
    z, o = latent.var, latent.obs
    try:
        with localcontext() as dc:
            dc.prec = 200
            joint = [str(Decimal(a) * Decimal(b)) for a, b in zip(prior, lik)]  # exact: the entries are decimals
    except ArithmeticError:
        return ""
    return (f"; concrete law: {latent.size} = {k}, {latent.q}({z}) = ({', '.join(q)}), p({z}) = ({', '.join(prior)}), "
            f"p({o} | {z}) = ({', '.join(lik)}), so p({o}, {z}) = ({', '.join(joint)})")


__all__ = ["Latent", "declare_latent", "describe", "latent_law", "law_of_refutation", "read_latent", "supports_of",
           "uses_latent"]
