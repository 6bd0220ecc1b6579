"""The note's context: the engine's Context for a note (sizes, indices, vectors, scalars,
functions and their domains) and the binding of parsed expressions to it."""
from __future__ import annotations

import re

import sympy as sp
from sympy.core.function import AppliedUndef

from verifier.model.context import Context
from verifier.model.domains import BY_NAME
from verifier.notes.domains import (
    COUNT,
    STRENGTH,
    Stated,
    factorial_arguments,
    function_key,
    log_arguments,
    probability_vectors,
    stated_distributions,
    stated_onehots,
)
from verifier.notes.notation import Notation, split_name
from verifier.notes.scan import PROBABILITY_NAMES


def _sigmoid() -> sp.Lambda:
    t = sp.Dummy("t", real=True)
    return sp.Lambda(t, 1 / (1 + sp.exp(-t)))



#: names that count things in ML notes (a size: an integer >= 1) unless the note says otherwise
COUNT_NAMES = ("n", "N")
#: domains the prose may state for the values of a function (0 < \\hat{y}(\\theta) < 1)
_FUNCTION_DOMAINS = ("unit", "positive", "nonnegative")



_COUNTED = re.compile(r"\$\s*([A-Za-z])\s*\$\s*(?:i\.i\.d\.\s+|independent\s+|iid\s+)?"
                      r"(?:observations|samples|tosses|flips|points|data\s*points|examples|trials|draws|"
                      r"classes|outcomes|items|个样本|个数据|次)", re.IGNORECASE)



def counted_in_prose(text: str) -> set[str]:
    """Names the prose uses as a number of things: '$m$ samples', '$K$ classes'."""
    return {m.group(1) for m in _COUNTED.finditer(text)}



class NoteContext:
    """Builds the engine's Context for a note and binds parsed expressions to it."""

    def __init__(self, notation: Notation) -> None:
        self.ctx = Context()
        self.notation = notation
        self.domains: dict[str, tuple[str, str]] = {}  # name -> (domain, reason)
        self.sym: dict[str, sp.Symbol] = {}
        self.idx: dict[str, sp.Symbol] = {}
        self.vec: dict[str, sp.IndexedBase] = {}
        self.fun: dict[tuple, sp.FunctionClass] = {}
        self.index_ranges: dict[str, tuple] = {}
        self.prob: dict[str, tuple] = {}
        self.summed_only: set[str] = set()  # distributions read from a sum alone, not stated (notes.claim_ranges)
        self.guards: dict = {}  # defined function -> {position: the argument its definition fixes}
        self.unread_definitions: dict[str, int] = {}  # name -> line of a definition that could not be read
        self.def_args: dict[str, tuple] = {}  # defined function -> its arguments as written (l(lambda): (lambda,))
        # entry-wise definitions: q_j = ... defines q at every index (base name -> (index name, value))
        self.entries: dict[str, tuple[str, sp.Basic]] = {}
        self.entry_symbols: dict[str, tuple[str, sp.Basic]] = {}  # the same, as written outside sums (q_i)
        # names whose definition's scope ended (its section or example): name -> (as written, line, last line)
        self.out_of_scope: dict[str, tuple[str, int, int]] = {}
        self.indexed_names: set[str] = set()  # bases the note writes indexed under sums (x in sum_i x_i)
        self.onehot: dict[str, tuple] = {}  # binary vectors the prose says sum to one: base -> (index, lo, hi)
        # names a model / update / solved equation or a definition sets, in their section:
        # (as written, line, kind, last line) (notes.misreadings)
        self.model_heads: dict[str, tuple[str, int, str, float]] = {}

    def state(self, st: Stated, override: bool = False) -> None:
        cur = self.domains.get(st.name)
        if override or cur is None or STRENGTH.get(st.domain, 0) > STRENGTH.get(cur[0], 0):
            self.domains[st.name] = (st.domain, st.reason)

    def prepare(self, exprs: list[sp.Basic], text: str) -> None:
        """Declare sizes, indices, vectors, scalars and functions used by the expressions."""
        direct, complement = log_arguments(exprs)
        sigmoid_note = "sigmoid" in text.lower() or any(
            isinstance(a, AppliedUndef) and a.func.__name__ == "sigma" for e in exprs for a in e.atoms(AppliedUndef))
        for n in sorted(direct):
            self.state(Stated(n, "unit" if n in complement else "positive",
                              "the note takes its log" + (" and the log of 1 - it" if n in complement else "")))
        for n in sorted(factorial_arguments(exprs)):
            self.state(Stated(n, "nonnegative", "the note takes its factorial"))
        limits_seen = []
        for e in exprs:
            for s in e.atoms(sp.Sum, sp.Product):
                for lim in s.limits:
                    i, lo, hi = lim
                    self.index_ranges.setdefault(i.name, (lo, hi))
                    limits_seen.append((lo, hi))
        self.prob = probability_vectors(exprs)
        stated = stated_distributions(text, exprs, self.domains)  # w_i > 0, sum w_i = 1
        self.summed_only = set(self.prob) - set(stated)
        for name, lim in stated.items():
            self.prob.setdefault(name, lim)
        self.onehot = stated_onehots(text, exprs, self.domains)  # y in {0,1}^K, sum_k y_k = 1
        for e in exprs:
            for s in e.free_symbols | {x for x in e.atoms(sp.Symbol)}:
                if isinstance(s, sp.Symbol) and s.name == "sigma":
                    self.state(Stated("sigma", "positive", "a standard deviation sigma is positive"))
                elif isinstance(s, sp.Symbol) and s.name.endswith("hat") and sigmoid_note:
                    self.state(Stated(s.name, "unit", "a prediction after a sigmoid is in (0, 1)"))
        # sizes: symbols used as upper limits
        for lo, hi in limits_seen:
            for s in hi.free_symbols | lo.free_symbols:
                if s.name not in self.sym and s.name not in self.idx:
                    self.sym[s.name] = self.ctx.size(s.name)
        for i, (lo, hi) in self.index_ranges.items():
            if i in self.sym:
                continue
            self.idx[i] = self.ctx.index(i, self._bind_plain(hi), self._bind_plain(lo))
        # counts: n and N (and names the prose calls a number of samples) are sizes, at least 1
        counted = set(COUNT_NAMES) | counted_in_prose(text)
        for e in exprs:
            for s in e.free_symbols:
                if isinstance(s, sp.Symbol) and s.name in counted and s.name not in self.sym \
                        and s.name not in self.idx and s.name not in self.domains:
                    self.sym[s.name] = self.ctx.size(s.name)
                    self.domains[s.name] = ("integer", "a count of samples/terms, at least 1")
        for name, (dom, why) in list(self.domains.items()):
            if dom == COUNT:  # --assume 'n >= 1': a count, an integer at least 1
                if name not in self.idx:
                    self.sym[name] = self.sym.get(name) or self.ctx.size(name)
                self.domains[name] = ("integer", f"a count, at least 1 ({why})")

    def _bind_plain(self, e: sp.Basic) -> sp.Basic:
        return e.xreplace({s: self.sym[s.name] for s in e.free_symbols if s.name in self.sym})

    # -- binding -----------------------------------------------------------------------
    def _domain_name(self, name: str) -> str:
        d = self.domains.get(name)
        if d is None:  # x_k written as a symbol takes the domain stated for x_k, x_i (stored under x)
            base, sub = split_name(name)
            d = self.domains.get(base) if len(sub) == 1 and sub.isalpha() else None
            if d is None and not sub:  # the entries x[t] of x take the domain stated for x_t, at an index letter
                d = next((v for k, v in self.domains.items() if split_name(k)[0] == name
                          and len(split_name(k)[1]) == 1 and split_name(k)[1].isalpha()), None)
        return d[0] if d else "real"

    def scalar(self, name: str) -> sp.Symbol:
        if name in self.sym:
            return self.sym[name]
        if name in self.idx:
            return self.idx[name]
        dom = self._domain_name(name)
        if dom == "probability":
            dom = "unit"
        s = self.ctx.symbol(name, dom)
        self.sym[name] = s
        return s

    def vector(self, name: str) -> sp.IndexedBase:
        if name in self.vec:
            return self.vec[name]
        if name in self.onehot and self.onehot[name][0].name in self.idx \
                and self.domains.get(name, ("",))[0] == "binary":
            b = self.ctx.vector(name, "onehot", over=self.idx[self.onehot[name][0].name])
            self.vec[name] = b
            return b
        if name in self.prob:
            i, lo, hi = self.prob[name]
            if i.name in self.idx:
                self.domains.setdefault(name, ("probability", "entries of a distribution summed over its index"))
                if self.domains[name][0] in ("real", "positive", "nonnegative", "unit", "probability"):
                    self.domains[name] = ("probability", self.domains[name][1] if self.domains[name][0] == "probability"
                                          else "entries of a distribution summed over its index")
                    b = self.ctx.vector(name, "probability", over=self.idx[i.name])
                    self.vec[name] = b
                    return b
        dom = self._domain_name(name)
        if dom == "probability":
            dom = "positive"
        b = self.ctx.vector(name, dom)
        self.vec[name] = b
        return b

    def function(self, name: str, nargs: int) -> sp.FunctionClass:
        key = (name, nargs)
        if key in self.fun:
            return self.fun[key]
        base = split_name(name)[0]
        internal = name if not any(k[0] == name for k in self.fun) else f"{name}__{nargs}"
        if internal != name:
            self.notation.written[internal] = self.notation.symbol(name)
        stated = self.domains.get(function_key(name), ("",))[0]  # 0 < \\hat{y}(\\theta) < 1 in the prose
        dom = stated if stated in _FUNCTION_DOMAINS else "positive" if base in PROBABILITY_NAMES else "real"
        f = self.ctx.function(internal, dom)
        self.fun[key] = f
        if name == "sigma" and nargs == 1:
            self.ctx.define(f, _sigmoid())
            self.domains.setdefault(function_key("sigma"), ("logistic", "sigma applied to an argument is the sigmoid 1/(1+e^{-t})"))
        return f

    def bind(self, e: sp.Basic) -> sp.Basic:
        if isinstance(e, sp.Derivative) and isinstance(e.expr, sp.Symbol) and e.expr.name in self.def_args:
            # d l / d lambda where the note defined l(lambda) = ...: the derivative of that function
            name, args = e.expr.name, self.def_args[e.expr.name]
            variables = [(self.bind(v), c) for v, c in e.variable_count]
            if (name, len(args)) in self.fun and all(v in args or any(a.has(v) for a in args) for v, _ in variables):
                return sp.Derivative(self.fun[(name, len(args))](*args), *variables)
        if isinstance(e, (sp.Sum, sp.Product)):
            limits = []
            for lim in e.limits:
                i = lim[0]
                isym = self.idx.get(i.name) or sp.Symbol(i.name, integer=True)
                limits.append((isym, *[self.bind(x) for x in lim[1:]]))
            body = self.bind(e.function)
            body = body.xreplace({self.scalar(l[0].name) if l[0].name not in self.idx else l[0]: l2[0]
                                  for l, l2 in zip(e.limits, limits) if l[0].name not in self.idx})
            return e.func(body, *limits)
        if isinstance(e, sp.Indexed):
            base = self.vector(str(e.base.label))
            return base[tuple(self.idx.get(str(j), None) or self.bind(j) for j in e.indices)]
        if isinstance(e, sp.Dummy):  # the bound variable of a derivative at a point (Subs)
            return e
        if isinstance(e, sp.Symbol):
            return self.scalar(e.name)
        if isinstance(e, AppliedUndef):
            args = [self.bind(a) for a in e.args]
            return self.function(e.func.__name__, len(args))(*args)
        if isinstance(e, sp.Dummy) or not e.args:
            return e
        if isinstance(e, sp.Subs):
            expr, vars_, pts = e.args
            return sp.Subs(self.bind(expr), vars_, tuple(self.bind(p) for p in pts))
        return e.func(*[self.bind(a) for a in e.args])

    def over_object(self, name: str, exprs: list[sp.Basic]):
        for e in exprs:
            for a in e.atoms(AppliedUndef):
                if a.func.__name__ == name:
                    return a.func
        if name in self.vec:
            return self.vec[name]
        return self.scalar(name)

    def assumptions_json(self) -> dict[str, str]:
        out = {}
        for name, (dom, reason) in sorted(self.domains.items()):
            desc = BY_NAME[dom].description if dom in BY_NAME else dom
            out[self.notation.symbol(name) if "(" not in name else name] = f"{desc} ({reason})"
        return out

