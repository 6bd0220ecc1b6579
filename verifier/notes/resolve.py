"""After the grammar: names back to the note's notation, indexed data under sums, entries of
vectors, Kronecker deltas, sums without limits, norms, sizes of expressions."""
from __future__ import annotations

import re

import sympy as sp
from sympy.core.function import AppliedUndef

from verifier.notes.normalise import MARK
from verifier.notes.notation import GREEK, Notation, canonical, split_name
from verifier.notes.scan import PROBABILITY_NAMES, ReadError
from verifier.notes.structures import grammar


def _fn_name(f) -> str:
    return canonical(str(getattr(f, "__name__", str(f))))



#: functions written by name that mean a built-in one: \operatorname{sign}(z), \mathrm{sgn}(z)
BUILTIN_CALLS = {"sign": sp.sign, "sgn": sp.sign}


def resolve(e: sp.Basic, notation: Notation, bound: frozenset = frozenset(),
            indices: frozenset = frozenset()) -> sp.Basic:
    """Raw parse -> canonical names; x_i under a sum over i -> x[i]; primes -> derivatives;
    \\delta_{jl} over indices -> KroneckerDelta(j, l).  `indices` are names declared as indices."""
    if isinstance(e, sp.Symbol):
        name = e.name.replace(MARK, "")
        base, sub = split_name(name)
        if sub and base:
            got = _subscripted(name, base, sub, bound, indices)
            if got is not None:
                return got
        return sp.Symbol(canonical(name)) if name not in ("+", "-") else e
    if isinstance(e, (sp.Sum, sp.Product)):
        limits = []
        inner = bound
        for lim in e.limits:
            var = sp.Symbol(canonical(lim[0].name.replace(MARK, "")))
            rest = [resolve(x, notation, inner, indices) for x in lim[1:]]
            inner = inner | {var.name}
            limits.append((var, *rest))
        body = resolve(e.function, notation, inner, indices)
        body = body.xreplace({sp.Symbol(lim[0].name): l[0] for lim, l in zip(e.limits, limits)})
        return e.func(body, *limits)
    if isinstance(e, AppliedUndef):
        name = _fn_name(e.func)
        args = [resolve(a, notation, bound, indices) for a in e.args]
        base, sub = split_name(name)
        plain, order = _unprimed(base)
        if order and len(args) == 1 and plain:
            f = sp.Function(canonical(plain + ("_" + sub if sub else "")))
            a = args[0]
            if isinstance(a, sp.Symbol):
                return sp.Derivative(f(a), (a, order))
            t = sp.Dummy("t")
            return sp.Subs(sp.Derivative(f(t), (t, order)), t, a)
        if order:
            raise ReadError(notation.symbol(name), "a derivative written with primes of a function of "
                            "several arguments is ambiguous")
        if (base in PROBABILITY_NAMES and len(args) == 1 and isinstance(args[0], sp.Indexed)
                and len(args[0].indices) == 1 and str(args[0].indices[0]) in bound):
            arg = args[0]
            idx = arg.indices[0]
            notation.entry_templates.setdefault(name, f"{notation.symbol(name)}({notation.symbol(str(arg.base))}_{{%s}})")
            return sp.Indexed(sp.IndexedBase(sp.Symbol(name)), idx)
        if name in BUILTIN_CALLS and len(args) == 1:
            return BUILTIN_CALLS[name](args[0])
        return sp.Function(name)(*args)
    if isinstance(e, sp.log) and len(e.args) == 2:
        a, b = (resolve(x, notation, bound, indices) for x in e.args)
        return sp.log(a) if b == sp.E else sp.log(a) / sp.log(b)
    if isinstance(e, (sp.Integral, sp.Derivative)):
        return e.func(*[resolve(a, notation, bound, indices) for a in e.args])
    if e == sp.EulerGamma:  # the grammar reads \gamma as Euler's constant; notes mean a name (a discount, a rate)
        return sp.Symbol("gamma")
    if not e.args:
        if e == sp.I:
            raise ReadError("I", "the imaginary unit is not supported")
        return e
    new = [resolve(a, notation, bound, indices) for a in e.args]
    try:
        return e.func(*new)
    except Exception as exc:  # noqa: BLE001
        raise ReadError(str(e)[:60], f"could not rebuild the expression ({type(exc).__name__})") from None



def _unprimed(base: str) -> tuple[str, int]:
    """'fprimeprime' -> ('f', 2); 'sigma' -> ('sigma', 0)."""
    k = 0
    while base.endswith("prime") and len(base) > 5:
        base, k = base[:-5], k + 1
    return base, k



#: why W_{ij} under a sum over j alone is not read (i is free: an index of what?)
MIXED_INDEX = "a subscript that mixes a summation index with other names"


# letters that, as the two subscripts of \delta, are indices by convention (\delta_{ij}, \delta_{jl})
KRONECKER_LETTERS = set("ijklmn")



def _index_parts(sub: str) -> list[str] | None:
    """'jl' -> ['j', 'l']; 'j,l' -> ['j', 'l']; 'i' -> ['i']; anything else -> None."""
    if "," in sub:
        parts = [p.strip() for p in sub.split(",")]
        return parts if all(re.fullmatch(r"[A-Za-z]", p) for p in parts) else None
    if re.fullmatch(r"[A-Za-z]{1,3}", sub):
        return list(sub)
    return None



def _subscripted(name: str, base: str, sub: str, bound: frozenset, indices: frozenset) -> sp.Basic | None:
    """A subscripted name under sums: x_i -> x[i], x_{ij} / x_{i,j} -> x[i, j], x_{i+1} -> x[i + 1],
    \\delta_{jl} -> KroneckerDelta(j, l); None when it is a plain name (L_{mse}, y_1, x_k outside a sum).
    A subscript that mixes a summation index with other names is not guessed."""
    parts = _index_parts(sub)
    if base == "delta" and parts and len(parts) == 2:
        if all(p in bound or p in indices or p in KRONECKER_LETTERS for p in parts):
            return sp.KroneckerDelta(sp.Symbol(parts[0]), sp.Symbol(parts[1]))
    if not bound:
        return None
    if sub in bound:
        return sp.Indexed(sp.IndexedBase(sp.Symbol(base)), sp.Symbol(sub))
    if parts and len(parts) > 1:  # (a letter the note declares an index counts as one: W_{ij} in d_i = sum_j W_{ij})
        hits = [p in bound or p in indices for p in parts]
        if all(hits):
            return sp.Indexed(sp.IndexedBase(sp.Symbol(base)), *[sp.Symbol(p) for p in parts])
        if any(hits) and ("," in sub or len(sub) <= 2):
            raise ReadError(name, MIXED_INDEX)
        return None
    if re.search(r"[-+*/]|\\cdot|^\d+[A-Za-z]$", sub) and any(re.search(r"(?<![A-Za-z])" + re.escape(b) +
                                                                       r"(?![A-Za-z])", sub) for b in bound):
        try:
            ix = grammar(sub)
        except ReadError:
            raise ReadError(name, "a subscript expression that could not be read") from None
        names = {str(x) for x in ix.free_symbols}
        if not names or not names <= set(bound) or not ix.is_polynomial():
            raise ReadError(name, "a subscript expression with names that are not summation indices")
        return sp.Indexed(sp.IndexedBase(sp.Symbol(base)), ix.xreplace({x: sp.Symbol(str(x)) for x in ix.free_symbols}))
    return None



# letters that, as the subscript of data the note sums over, name an entry at an index no sum binds (z_j)
FREE_INDEX_LETTERS = set("ijklm")



def entries_outside_sums(e: sp.Basic, indexed: dict[str, set[str]]) -> sp.Basic:
    """x_1, x_n, x_{n+1} (plain names after resolve) -> entries x[1], x[n], x[n + 1] of indexed data."""
    subs = {}
    # the variables of a derivative count too: d/dz_j of an expression free of z_j has no free z_j
    wrt = {v for d in e.atoms(sp.Derivative) for v in d.variables}
    for v in wrt:
        base, sub = split_name(v.name) if isinstance(v, sp.Symbol) else ("", "")
        if base in indexed and sub in FREE_INDEX_LETTERS and sub not in indexed[base]:
            # d/dz_j of an expression over z_1..z_K: z_j is the entry z[j], but no sum gives j a range, so it
            # can be neither sampled nor unrolled; read as a new name z_j the derivative would be 0
            raise ReadError(v.name, f"a derivative by the entry {v.name} of {base}, which the note sums over, at an "
                            f"index {sub} that no sum binds (its range is not known)")
    named = set(e.free_symbols) | wrt
    for sym in named:
        if not isinstance(sym, sp.Symbol):
            continue
        base, sub = split_name(sym.name)
        if base not in indexed or not sub:
            continue
        m = re.fullmatch(r"(\d+)|([A-Za-z])(?:([+-])(\d+))?", sub)
        if not m:
            continue
        if m.group(1):
            ix = sp.Integer(int(m.group(1)))
        elif m.group(2) in indexed[base]:
            ix = sp.Symbol(m.group(2)) + (int(m.group(4)) * (1 if m.group(3) == "+" else -1) if m.group(3) else 0)
        else:
            continue
        subs[sym] = sp.Indexed(sp.IndexedBase(sp.Symbol(base)), ix)
    return e.xreplace(subs) if subs else e



_SUM_HEAD = re.compile(r"\\(?:sum|prod)(?:\\[a-z]*limits)?\s*_\s*\{\s*([A-Za-z])\s*=([^{}]*)\}\s*\^\s*(\{[^{}]*\}|[A-Za-z0-9])")



class IndexLimits(set):
    """The upper limits (letters) of the sums a note runs over one base's entries; `ranges` keeps the
    (lower, upper) LaTeX of each such sum, e.g. {('1', 'd')}."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.ranges: set[tuple[str, str]] = set()



def indexed_names_of(text: str) -> dict[str, set[str]]:
    """Bases a note uses as indexed data under sums (x in \\sum_{i=1}^n x_i), each with the upper limits
    (n) of the sums over them: outside sums, x_1 and x_n are then entries of x, not new names."""
    out: dict[str, set[str]] = {}
    for m in _SUM_HEAD.finditer(text):
        i, lo, hi = m.group(1), m.group(2).strip(), m.group(3).strip("{} ")
        body = text[m.end():m.end() + 400]
        for b in re.finditer(r"(?<![\\A-Za-z])([A-Za-z])\s*_\s*\{?\s*" + i + r"\s*\}?(?![A-Za-z0-9])", body):
            limits = out.setdefault(b.group(1), IndexLimits())
            if re.fullmatch(r"[A-Za-z]", hi):
                limits.add(hi)
            if re.fullmatch(r"[A-Za-z0-9]", lo) and re.fullmatch(r"[A-Za-z0-9]", hi):
                limits.ranges.add((lo, hi))
    return out



_BARE_SUM = re.compile(r"\\(sum|prod)(?:\\[a-z]*limits)?\s*_\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z]))(?!\s*\^)")



def sum_limits(s: str, indexed: dict[str, set[str]]) -> str:
    """\\sum_i x_i without limits: over the one range the note sums x over (\\sum_{i=1}^{n} x_i elsewhere);
    when the data in the sum have no range, or several, the sum is refused rather than given one."""
    for _ in range(20):
        m = _BARE_SUM.search(s)
        if not m:
            return s
        i = m.group(2) or m.group(3)
        rest = s[m.end():]
        bases = {b.group(1) for b in re.finditer(r"(?<![\\A-Za-z])(\\[A-Za-z]+|[A-Za-z])\s*_\s*\{?\s*" + i +
                                                 r"\s*[},]?(?![A-Za-z0-9])", rest)}
        bases = {b.lstrip("\\") for b in bases}
        ranges = set().union(*[getattr(indexed.get(b), "ranges", set()) for b in bases]) if bases else set()
        if len(ranges) != 1:
            raise ReadError(s[m.start():m.end() + 30], f"a {m.group(1)} over {i} without limits, and the note "
                            f"does not give {i} one range (write \\{m.group(1)}_{{{i}=1}}^{{n}})")
        lo, hi = next(iter(ranges))
        s = s[:m.start()] + f"\\{m.group(1)}_{{{i}={lo}}}^{{{hi}}}" + s[m.end():]
    return s



_NORM = re.compile(r"(?:\\left\s*)?(?:\\\||\\lVert(?![A-Za-z])|\\Vert(?![A-Za-z]))\s*"
                   r"(?:\\(?:mathbf|boldsymbol|bm|vec)\s*\{\s*)?(\\[A-Za-z]+|[A-Za-z])\s*\}?\s*"
                   r"(?:\\right\s*)?(?:\\\||\\rVert(?![A-Za-z])|\\Vert(?![A-Za-z]))(\s*_\s*\{?\s*[12]\s*\}?)?")



def norms(s: str, indexed: dict[str, set[str]]) -> str:
    """\\|w\\|, \\|w\\|_2, \\|w\\|_1 of a vector whose entries w_j the note sums over one range j = 1..d:
    the square root of the sum of squares (the sum of absolute values), over that range. Any other norm
    is left to be refused."""
    def one(m: re.Match) -> str:
        name = m.group(1)
        base = name[1:] if name.startswith("\\") else name
        if name.startswith("\\") and base not in GREEK:
            return m.group(0)
        ranges = getattr(indexed.get(base), "ranges", set())
        if len(ranges) != 1:
            return m.group(0)
        lo, hi = next(iter(ranges))
        j = next(c for c in "jklmuvrsq" if not re.search(r"(?<![\\A-Za-z])" + c + r"(?![A-Za-z])", s))
        entry = f"{name}_{{{j}}}"
        if m.group(2) and "1" in m.group(2):
            return f"\\left(\\sum_{{{j}={lo}}}^{{{hi}}} \\left|{entry}\\right|\\right)"
        return f"\\sqrt{{\\sum_{{{j}={lo}}}^{{{hi}}} {entry}^{{2}}}}"

    return _NORM.sub(one, s)



def free_kronecker_indices(e: sp.Basic) -> set[str]:
    """Names of Kronecker-delta indices that no enclosing sum or product of e binds."""
    free = {str(x) for x in e.free_symbols}
    return {str(x) for kd in e.atoms(sp.KroneckerDelta) for x in kd.free_symbols if str(x) in free}



def expr_size(e: sp.Basic) -> int:
    return sum(1 for _ in sp.preorder_traversal(e))

