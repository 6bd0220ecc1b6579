"""Domains of a note's symbols: what the note says, what the user assumes, sensible defaults.

* stated in the note: ``y \\in \\{0,1\\}`` (binary), ``0 < p < 1`` / ``p \\in (0,1)`` (unit; also of the
  values of a function, ``0 < \\hat{y}(\\theta) < 1``),
  ``\\sigma > 0`` (positive), ``x \\ge 0`` (non-negative), ``\\varepsilon \\sim \\mathcal{N}(0,\\sigma^2)``
  (sigma positive);
* stated on the command line: ``--assume 'sigma>0' --assume '0<p<1'`` (read by the LaTeX
  reader, never by ``sympify``);
* defaults: a ``\\sigma`` used as a number is a standard deviation (positive); a hatted
  ``\\hat{y}`` in a note about a sigmoid is in (0, 1); a name that the note takes the log of is
  positive (in (0, 1) when the log of ``1 - name`` is taken too); an entry of ``P``, ``Q``,
  ``p``, ``q`` inside a sum is a probability vector over the sum's range.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp
from sympy.core.function import AppliedUndef

from verifier.model.results import REFUTED, UNKNOWN
from verifier.notes.notation import split_name
from verifier.notes.objectives import objective_constraints
from verifier.notes.reader import Reader
from verifier.notes.relations import split_relations
from verifier.notes.scan import PROBABILITY_NAMES, ReadError

STRENGTH = {"real": 0, "nonnegative": 1, "positive": 2, "unit": 3, "binary": 3, "sign": 3, "probability": 4}


@dataclass
class Stated:
    name: str  # internal name (a scalar, or the base of a vector)
    domain: str
    reason: str


_GREEK_WORDS = {"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta",
                "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi",
                "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma",
                "Phi", "Psi", "Omega"}


def _plain_name(part: str) -> str:
    """Command-line spellings as LaTeX: 'sigma' -> '\\sigma', 'yhat' -> '\\hat{y}', 'sigma_1' -> '\\sigma_1'."""
    m = re.fullmatch(r"([A-Za-z]+)(_\w+)?", part)
    if not m:
        return part
    word, sub = m.group(1), m.group(2) or ""
    if word in _GREEK_WORDS:
        return "\\" + word + sub
    h = re.fullmatch(r"([A-Za-z]|" + "|".join(sorted(_GREEK_WORDS)) + r")hat", word)
    if h:
        inner = h.group(1)
        return "\\hat{" + ("\\" + inner if inner in _GREEK_WORDS else inner) + "}" + sub
    return part


def _names_in(reader: Reader, latex: str) -> list[str]:
    """Internal names a small fragment denotes ('y', 'x_i' -> 'x', '\\hat{y}' -> 'yhat')."""
    out = []
    for part in latex.split(","):
        part = _plain_name(part.strip())
        if not part:
            continue
        try:
            e = reader.read(part).expr
        except ReadError:
            continue
        if isinstance(e, sp.Symbol):
            base, sub = split_name(e.name)
            out.append(base if sub and len(sub) == 1 and sub.isalpha() else e.name)
        elif isinstance(e, sp.Indexed):
            out.append(str(e.base.label))
        elif isinstance(e, AppliedUndef):  # 0 < \\hat{y}(\\theta) < 1: the values of the function
            out.append(function_key(e.func.__name__))
    return out


def function_key(name: str) -> str:
    """The key under which a domain of a function's values is stated (``yhat(·)``)."""
    return f"{name}(·)"


_BINARY = re.compile(r"((?:\\[A-Za-z]+\{[^{}]*\}|[A-Za-z\\{}_^' ,])+?)\s*\\in\s*\\\{\s*0\s*,\s*1\s*\\\}")
#: y \in \{-1, +1\} (or \{+1, -1\}, \{-1, 1\}, \{\pm 1\}): a sign
_SIGN_SET = r"\\\{\s*(?:-\s*1\s*,\s*\+?\s*1|\+?\s*1\s*,\s*-\s*1|\\pm\s*1)\s*\\\}"
_SIGN_IN = re.compile(r"((?:\\[A-Za-z]+\{[^{}]*\}|[A-Za-z\\{}_^' ,])+?)\s*\\in\s*" + _SIGN_SET)
_UNIT_IN = re.compile(r"((?:\\[A-Za-z]+\{[^{}]*\}|[A-Za-z\\{}_^' ,])+?)\s*\\in\s*\(\s*0\s*,\s*1\s*\)")
_SIM_NORMAL = re.compile(r"\\sim\s*\\mathcal\s*\{?N\}?\s*\(([^,]*),\s*\\sigma")


def stated_domains(reader: Reader, texts: list[str]) -> list[Stated]:
    out: list[Stated] = []
    for t in texts:
        t = t.replace("\\\\{", "\\{").replace("\\\\}", "\\}")
        for m in _BINARY.finditer(t):
            for n in _names_in(reader, m.group(1).split("\\")[-1] if "=" in m.group(1) else m.group(1)):
                out.append(Stated(n, "binary", f"the note says {m.group(0).strip()}"))
        for m in _SIGN_IN.finditer(t):
            for n in _names_in(reader, m.group(1).split("\\")[-1] if "=" in m.group(1) else m.group(1)):
                out.append(Stated(n, "sign", f"the note says {m.group(0).strip()}"))
        for m in _UNIT_IN.finditer(t):
            for n in _names_in(reader, m.group(1)):
                out.append(Stated(n, "unit", f"the note says {m.group(0).strip()}"))
        if _SIM_NORMAL.search(t):
            out.append(Stated("sigma", "positive", "a normal distribution's sigma is positive"))
        for st in assumption(reader, t, quiet=True):
            if st.domain in (BELOW_ONE, COUNT):
                continue  # read from the command line and pragmas only
            out.append(Stated(st.name, st.domain, f"the note says {st.reason}"))
        for c in objective_constraints(t):  # \underset{a, c>0}{\arg\min}: c > 0
            for st in assumption(reader, c, quiet=True):
                out.append(Stated(st.name, st.domain, f"the optimisation is over {st.reason}"))
    return out


#: the domain of a lone upper bound ``p<1``: combined with a lower bound (``p>0``, or the note's own
#: positivity of p) into (0, 1); alone it is refused (there is no domain "below 1")
BELOW_ONE = "below-one"
#: ``n >= 1``: a count, an integer at least 1 (a size, unrolled at several values)
COUNT = "count"

_SIGNS = ((r"\\leq?(?![A-Za-z])", "<="), (r"\\geq?(?![A-Za-z])", ">="), (r"\\lt(?![A-Za-z])", "<"),
          (r"\\gt(?![A-Za-z])", ">"), ("≤", "<="), ("≥", ">="), ("=<", "<="), ("=>", ">="))
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
#: spellings the command line takes (for error messages)
SPELLINGS = "'sigma>0', 'p<1', '0<p<1', 'x \\in (0,1)', 'y in {0,1}', 'n >= 1'"


def _bound(reader: Reader, name: str, rel: str, value: str, s: str) -> list[Stated] | None:
    """One bound ``name rel value`` (the name on the left) as domains, or None when not read."""
    if len(name) >= 40:
        return None
    names = _names_in(reader, name)
    if not names:
        return None
    kind = {(">", "0"): "positive", (">=", "0"): "nonnegative", ("<", "1"): BELOW_ONE,
            (">=", "1"): COUNT}.get((rel, value))
    if kind is None:
        return None
    return [Stated(n, kind, s) for n in names]


def assumption(reader: Reader, text: str, quiet: bool = False) -> list[Stated]:
    """'sigma>0', 'p<1', '0<p<1', 'x \\in (0,1)', 'y in {0,1}', 'x>=0', 'n >= 1' -> domains.

    Raises ValueError unless quiet.  A lone ``p<1`` gives the domain :data:`BELOW_ONE` (see
    :func:`settle_bounds`); ``n >= 1`` gives :data:`COUNT`.
    """
    s = text.strip().replace("\\\\{", "\\{").replace("\\\\}", "\\}")
    m = re.fullmatch(r"(.+?)\s*(?:\\in|in|∈)\s*(\\?\{\s*0\s*,\s*1\s*\\?\}|\(\s*0\s*,\s*1\s*\))", s)
    if m:
        kind = "binary" if "{" in m.group(2) else "unit"
        names = _names_in(reader, m.group(1))
        if names:
            return [Stated(n, kind, s) for n in names]
        if quiet:
            return []
        raise ValueError(f"cannot read the name in {text!r}")
    t = s
    for pat, rep in _SIGNS:
        t = re.sub(pat, rep, t)
    parts = split_relations(t)
    rels = [r for r, _ in parts[1:]]
    exprs = [e.strip() for _, e in parts]
    if len(rels) == 2 and rels[0] == rels[1] and rels[0] in ("<", ">"):
        lo, mid, hi = exprs if rels[0] == "<" else exprs[::-1]
        if lo == "0" and hi == "1":
            names = _names_in(reader, mid)
            if names:
                return [Stated(n, "unit", s) for n in names]
    if len(rels) == 2 and {rels[0], rels[1]} <= {"<", "<="} | {">", ">="} and \
            (rels[0] in ("<", "<=")) == (rels[1] in ("<", "<=")):
        # 0 < eta <= 1, 0 <= x < 5: the lower bound 0 (the upper one is not a domain here: widening is safe
        # for acceptance, and a step that needs it is then refuted only where the note's own bound fails)
        lo, mid, hi = exprs if rels[0] in ("<", "<=") else exprs[::-1]
        strict = (rels[0] if rels[0] in ("<", "<=") else rels[1]) in ("<", ">")  # the bound at 0
        if lo == "0" and _NUMBER.fullmatch(hi) and float(hi) > 0:
            names = _names_in(reader, mid)
            if names:
                return [Stated(n, "positive" if strict else "nonnegative", s + " (the upper bound is not used)")
                        for n in names]
    elif len(rels) == 1 and rels[0] in (">", ">=", "<", "<="):
        lhs, rhs, r = exprs[0], exprs[1], rels[0]
        if _NUMBER.fullmatch(lhs) and not _NUMBER.fullmatch(rhs):
            lhs, rhs, r = rhs, lhs, _FLIP[r]
        got = _bound(reader, lhs, r, rhs, s)
        if got:
            return got
    if quiet:
        return []
    raise ValueError(f"cannot read the assumption {text!r}; write e.g. {SPELLINGS}")


def combine_bounds(stated: list[Stated]) -> list[Stated]:
    """A lower bound 0 and an upper bound 1 on the same name (``p>0`` and ``p<1``) become (0, 1)."""
    lower = {st.name: st for st in stated if st.domain in ("positive", "nonnegative")}
    upper = {st.name: st for st in stated if st.domain == BELOW_ONE}
    out = []
    for st in stated:
        if st.name in lower and st.name in upper:
            if st.domain == BELOW_ONE:
                low = lower[st.name]
                out.append(Stated(st.name, "unit", f"{low.reason} and {st.reason}"))
            continue  # the lower bound is merged into the upper one
        out.append(st)
    return out


def settle_bounds(domains: dict[str, tuple[str, str]], stated: list[Stated]) -> list[Stated]:
    """Lone upper bounds ``p<1`` against what is known of p (``domains``: name -> (domain, reason)):
    a positive p (stated in the note or by default) becomes (0, 1).  Returns the bounds that could not
    be used (p not known to be positive: there is no domain "below 1", p is sampled on the reals)."""
    unused = []
    for st in stated:
        if st.domain != BELOW_ONE:
            continue
        cur, why = domains.get(st.name, ("real", ""))
        if cur in ("positive", "unit", "probability"):
            domains[st.name] = ("unit", f"{why} and {st.reason}" if cur != "unit" else why)
        else:
            unused.append(st)
    return unused


def demote_refutations(steps: list, symbol: str, bound: str) -> None:
    """A refutation whose point puts ``symbol`` at 1 or above, against a bound ``symbol < 1`` the tool could
    not use as a domain, is no refutation: the step becomes unknown."""
    for s in steps:
        if s.status == REFUTED and s.counterexample and symbol in s.counterexample:
            try:
                if float(s.counterexample[symbol]) < 1:
                    continue  # the point keeps the bound: a true counterexample under it
            except ValueError:
                pass
            s.status, s.method = UNKNOWN, "assumption"
            s.message = (f"fails at {symbol} = {s.counterexample[symbol]}, but {bound} was stated and an upper "
                         "bound is read only with a lower bound 0 (write 0<p<1, or add p>0)")
            s.counterexample = None


def log_arguments(exprs: list[sp.Basic]) -> tuple[set[str], set[str]]:
    """Names taken the log of, and names x with log(1 - x) taken (scalars or vector bases)."""
    direct, complement = set(), set()

    def name(e):
        if isinstance(e, sp.Symbol):
            return e.name
        if isinstance(e, sp.Indexed):
            return str(e.base.label)
        return None

    for ex in exprs:
        for lg in ex.atoms(sp.log):
            a = lg.args[0]
            for f in sp.Mul.make_args(a):
                base = f.base if isinstance(f, sp.Pow) else f
                n = name(base)
                if n:
                    direct.add(n)
                elif isinstance(base, sp.Add) and len(base.args) == 2 and 1 in base.args:
                    other = [t for t in base.args if t != 1][0]
                    if isinstance(other, sp.Mul) and other.args[0] == -1 and len(other.args) == 2:
                        n2 = name(other.args[1])
                        if n2:
                            complement.add(n2)
    return direct, complement


def factorial_arguments(exprs: list[sp.Basic]) -> set[str]:
    """Names the note takes the factorial of (x!, x_i!): counts, so non-negative (scalars or vector bases)."""
    out = set()
    for ex in exprs:
        for f in ex.atoms(sp.factorial):
            a = f.args[0]
            if isinstance(a, sp.Symbol) and not a.is_integer:
                out.add(a.name)
            elif isinstance(a, sp.Indexed):
                out.add(str(a.base.label))
    return out


_SUMS_TO_ONE = re.compile(r"\\sum_\{?\s*([A-Za-z])\s*(?:=[^}]*)?\}?(?:\^\{?[^{}$]*?\}?)?\s*"
                          r"([A-Za-z])_\{?\1\}?\s*=\s*1(?![\d.])")


_DISPLAYS = re.compile(r"\$\$.*?\$\$|\\\[.*?\\\]|\\begin\{(equation|align|gather|multline|eqnarray)\*?\}.*?"
                       r"\\end\{\1\*?\}", re.S)


def stated_distributions(text: str, exprs: list[sp.Basic], domains: dict,
                         kinds: tuple[str, ...] = ("positive", "nonnegative")) -> dict[str, tuple]:
    """Weights the prose states positive (w_i > 0 or >= 0) and summing to one (\\sum_{i=1}^{n} w_i = 1):
    base -> (index, lo, hi) of a sum over them in the note, read as a distribution; binary entries
    summing to one (y \\in \\{0,1\\}^K, \\sum_k y_k = 1) are a one-hot vector (see `stated_onehots`)."""
    prose = _DISPLAYS.sub(" ", text)  # stated in the prose: a display's sum = 1 is a claim to check, not a fact
    named = {(m.group(2), m.group(1)) for m in _SUMS_TO_ONE.finditer(prose)}
    out: dict[str, tuple] = {}
    for label, (i, lo, hi) in summed_entries(exprs):
        if (label, i.name) in named and domains.get(label, ("",))[0] in kinds:
            out.setdefault(label, (i, lo, hi))
    return out


def summed_entries(exprs: list[sp.Basic]):
    """(base, (index, lo, hi)) for every entry x_i summed over its own index i in a single sum."""
    for ex in exprs:
        for s in ex.atoms(sp.Sum):
            if len(s.limits) != 1:
                continue
            i, lo, hi = s.limits[0]
            for ind in s.function.atoms(sp.Indexed):
                if ind.indices == (i,):
                    yield str(ind.base.label), (i, lo, hi)


def stated_onehots(text: str, exprs: list[sp.Basic], domains: dict) -> dict[str, tuple]:
    """Binary entries the prose says sum to one: base -> (index, lo, hi), a one-hot vector."""
    return stated_distributions(text, exprs, domains, kinds=("binary",))


def probability_vectors(exprs: list[sp.Basic]) -> dict[str, tuple]:
    """Bases named P/Q/p/q whose entries appear in a sum over their index: base -> (index, lo, hi)."""
    out: dict[str, tuple] = {}
    for label, limits in summed_entries(exprs):
        if split_name(label)[0] in PROBABILITY_NAMES:
            out.setdefault(label, limits)
    return out
