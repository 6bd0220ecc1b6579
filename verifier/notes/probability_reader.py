"""Reading probability in notes: stated laws, stated independence, and E / Var / Cov / H as operators.

What a note states is read, nothing is guessed:

* a law: ``X \\sim \\mathrm{Bernoulli}(p)``, ``X \\sim \\mathcal{N}(\\mu, \\sigma^2)``, ``Poisson``,
  ``Exp``, ``Laplace``, ``Uniform``, ``Bin(n, p)`` (display or inline math);
* a random variable without a law: "random variable(s) $X$ (and $Y$)", "随机变量 $X$";
* independence: ``X \\perp Y`` or a sentence saying "independent" / "独立" of named random
  variables (a sentence with a negation — not, without, dependent, 不, 非 — states nothing).

Then a call of E (``\\mathbb{E}``, ``\\mathbf{E}``, ``E``), Var, Cov, Corr or H (at one random
variable with a law) becomes the engine's operator (``verifier.model.random``) when its
argument uses a declared random variable and, besides, only plain constants; anything else is
left as the reader made it (and stays ``unknown``).  The registry ``OPERATORS`` maps the
reader's names to meanings; a name the note defines itself is never taken over.
"""
from __future__ import annotations

import re

import sympy as sp
from sympy.core.function import AppliedUndef

from verifier.model.random import (
    Bernoulli,
    Binomial,
    Corr,
    Cov,
    DiscreteUniform,
    Distribution,
    E,
    Entropy,
    Exponential,
    Laplace,
    Normal,
    Poisson,
    Uniform,
    Var,
)
from verifier.notes.event_laws import as_events, states_a_value
from verifier.notes.finite_laws import bits_lines, finite_set_laws, measures_bits, random_names, read_chain
from verifier.notes.information_names import DEFINED_BY_NOTES, base_name, information_call, other_kind_calls
from verifier.notes.joint_laws import declare_events, declare_outcomes, declare_tables, joint_entropies
from verifier.notes.law_densities import as_laws
from verifier.notes.latent_laws import declare_latent, read_latent
from verifier.notes.law_words import laws_in_words
from verifier.notes.moment_laws import moment_laws, read_moments
from verifier.notes.numeric_laws import read_values, stated_vectors
from verifier.notes.outcome_laws import outcome_laws
from verifier.notes.scan import ReadError

#: the reader's name of a call -> (operator, number of arguments)
OPERATORS = {"bbE": (E, 1), "E": (E, 1), "bfE": (E, 1), "Var": (Var, 1), "bbV": (Var, 1), "Cov": (Cov, 2),
             "cov": (Cov, 2), "Corr": (Corr, 2), "corr": (Corr, 2), "H": (Entropy, 1)}

#: the law's name as written -> (builder, how the written parameters become the builder's)
_LAWS = {
    "N": ("normal", 2), "Normal": ("normal", 2), "Gaussian": ("normal", 2),
    "Bernoulli": ("bernoulli", 1), "Bern": ("bernoulli", 1), "Ber": ("bernoulli", 1),
    "Poisson": ("poisson", 1), "Pois": ("poisson", 1), "Poi": ("poisson", 1),
    "Exp": ("exponential", 1), "Exponential": ("exponential", 1),
    "Laplace": ("laplace", 2), "Uniform": ("uniform", 2), "U": ("uniform", 2), "Unif": ("uniform", 2),
    "Bin": ("binomial", 2), "Binomial": ("binomial", 2), "B": ("binomial", 2),
    "DiscreteUniform": ("discrete_uniform", 2),  # a fair die, uniform on {1, ..., 6} (notes.law_words)
}
_NAME = r"([A-Z])"
_LAW = re.compile(_NAME + r"\s*\\sim\s*(?:\\mathcal\{(N)\}|\\(?:mathrm|operatorname|text|mathsf)\{(\w+)\}|(\w+))"
                  r"\s*(?:\\left)?\s*\(")
_PERP = re.compile(_NAME + r"\s*\\perp(?:\\!)*(?:\\perp)?\s*" + _NAME)
_INLINE = re.compile(r"\$([^$]+)\$")
_SENTENCE = re.compile(r"[^.。;；!！?？\n]+")
_NEGATION = re.compile(r"\bnot\b|n't|\bwithout\b|\bno\b|(?<!in)dependent|不|非|无需|不需要", re.I)
_RV_PROSE = re.compile(r"random variables?|随机变量")
_INDEPENDENT = re.compile(r"independent|独立")


def _matching_paren(text: str, start: int) -> int:
    depth = 0
    for j in range(start, len(text)):
        if text[j] == "(":
            depth += 1
        elif text[j] == ")":
            depth -= 1
            if depth == 0:
                return j
    return -1


def _split_top(text: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for c in text:
        if c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
        if c == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += c
    out.append(cur)
    return [x.strip() for x in out]


def stated_laws(text: str) -> dict[str, tuple[str, list[str]]]:
    """name -> (family, the parameters as LaTeX) for every ``X \\sim Law(...)`` in the text."""
    found: list[tuple[str, str, list[str]]] = []
    for m in _LAW.finditer(text):
        close = _matching_paren(text, m.end() - 1)
        if close >= 0:
            found.append((m.group(1), m.group(2) or m.group(3) or m.group(4),
                          _split_top(text[m.end():close].replace("\\right", ""))))
    found += [(name, written, params) for name, laws in laws_in_words(text).items() for written, params in laws]
    out: dict[str, tuple[str, list[str]]] = {}
    for name, written, params in found:
        if written not in _LAWS:
            continue
        family, nargs = _LAWS[written]
        if len(params) != nargs:
            continue
        if name in out and out[name] != (family, params):
            out[name] = ("conflict", [])  # two different laws for one name: none is taken
            continue
        out[name] = (family, params)
    return {k: v for k, v in out.items() if v[0] != "conflict"}


_NOT_RANDOM = {"E", "H", "P", "I", "D"}  # operators and probability functions, never a random variable
_INTRO = re.compile(r"\b(?:let|consider|suppose)\s+\$|(?<!假)设\s*\$|令\s*\$", re.I)  # a name right after


def _names_in_math(sentence: str) -> list[str]:
    names: list[str] = []
    for m in _INLINE.finditer(sentence):
        math = re.sub(r"\\[A-Za-z]+\s*\{[^{}]*\}", " ", m.group(1))  # \mathbb{E}, \mathrm{Var}: not names
        math = re.sub(r"\\[A-Za-z]+", " ", math)
        names += [n for n in re.findall(r"(?<![A-Za-z])([A-Z])(?![A-Za-z_])", math) if n not in _NOT_RANDOM]
    return names


def introduced_without_law(text: str, with_law: set[str]) -> set[str]:
    """Names with a stated law that a sentence introduces without it ("let $X$ be the number of heads"):
    two readings of one name, so neither is taken."""
    out: set[str] = set()
    for s in _SENTENCE.finditer(text):
        sent = s.group(0)
        if _INTRO.search(sent):
            in_words = laws_in_words(sent)
            for n in set(_names_in_math(sent)) & with_law:
                if not re.search(re.escape(n) + r"\s*\\sim", sent) and n not in in_words:
                    out.add(n)
    return out


def introduced_twice(text: str) -> set[str]:
    """Names introduced in more than one sentence ("let $X$ ...", "设 $X$"): their reading is ambiguous."""
    seen: dict[str, int] = {}
    for s in _SENTENCE.finditer(text):
        if _INTRO.search(s.group(0)):
            for n in set(_names_in_math(s.group(0))):
                seen[n] = seen.get(n, 0) + 1
    return {n for n, c in seen.items() if c > 1}


def stated_random(text: str) -> set[str]:
    """Names the prose calls random variables (single capital letters in inline math)."""
    out: set[str] = set()
    for s in _SENTENCE.finditer(text):
        if _RV_PROSE.search(s.group(0)):
            out |= set(_names_in_math(s.group(0)))
    return out


_HEADING = re.compile(r"^(?:#{1,6}\s|\\(?:sub)*section\*?\{|.+\n[-=]{3,}\s*$)", re.M)


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def stated_independence(text: str, rvs: set[str]) -> list[tuple[int, int, frozenset]]:
    """(first line, last line, names): random variables stated (mutually) independent, from the
    statement to the next heading, and only while no sentence introduces one of them again."""
    found: list[tuple[int, frozenset]] = []
    for m in _PERP.finditer(text):
        if m.group(1) in rvs and m.group(2) in rvs and m.group(1) != m.group(2):
            found.append((m.start(), frozenset((m.group(1), m.group(2)))))
    for s in _SENTENCE.finditer(text):
        sent = s.group(0)
        if not _INDEPENDENT.search(sent) or _NEGATION.search(sent):
            continue
        names = {n for n in _names_in_math(sent) if n in rvs}
        if len(names) >= 2:
            found.append((s.start(), frozenset(names)))
    headings = [m.start() for m in _HEADING.finditer(text)]
    intros = [(s.start(), set(_names_in_math(s.group(0)))) for s in _SENTENCE.finditer(text)
              if _INTRO.search(s.group(0))]
    out = []
    for pos, names in found:
        end = min([h for h in headings if h > pos] + [len(text)])
        end = min([p for p, ns in intros if pos < p < end and ns & names] + [end])
        out.append((_line_of(text, pos), _line_of(text, end) - (1 if end < len(text) else 0), names))
    return out


def independence_at(nc, line: int | None) -> None:
    """Put into nc's context the independence stated where `line` is (none when line is unknown), and the laws
    an example states there (``declare_outcomes``)."""
    scopes = getattr(nc, "independence_scopes", [])
    nc.ctx.independent = [names for lo, hi, names in scopes if line is not None and lo <= line <= hi]
    if getattr(nc, "independent_only", None):  # where their independence is stated, it is all that is said of them
        nc.ctx.any_law_refutes = nc.base_refutes | frozenset(
            s for group in nc.ctx.independent for s in group if s in nc.independent_only)
    base = getattr(nc, "note_laws", None)
    if base is None:
        return
    scopes = getattr(nc, "law_scopes", [])
    if not scopes:
        return
    here = dict(nc.ctx.random)  # a new dict: a step's context is a shallow copy and keeps the laws of its line
    for lo, hi, laws in scopes:
        for sym, law in laws.items():
            if line is not None and lo <= line <= hi:
                here[sym] = law
            elif here.get(sym) is law:
                here[sym] = base[sym]  # out of the example: the note's own law again
    nc.ctx.random = here


#: words that say something of a law which the reader does not read (a law, a dependence, moments, an
#: experiment): a random variable named in such a sentence is never refuted by an arbitrary joint table
_LAW_WORDS = re.compile(
    r"distribut|Bernoulli|Gauss|normal|uniform|Poisson|binomial|exponential|Laplace|i\.i\.d|\biid\b|identical"
    r"|correlat|dependen|independen|\bcoin|\bdie\b|\bdice\b|\bflip|\btoss|heads|tails|probabilit|\bpmf\b|\bpdf\b"
    r"|densit|\bmean\b|varian|moment|expect|values?\b|constant|\bsupport|\blaw\b|\\sim|\\perp|\\mathrm|\\mathcal"
    r"|\\operatorname|=|分布|服从|独立|相关|概率|均值|期望|方差|硬币|骰子|取值|常数", re.I)


_READ_WORDS = re.compile(r"independen|独立|\\perp", re.I)  # law words the reader reads in full
_DISPLAY = re.compile(r"\$\$(.+?)\$\$|\\\[(.+?)\\\]|\\begin\{(?:equation|align|gather|multline)\*?\}(.+?)\\end", re.S)
_SUPPOSE = re.compile(r"\b(?:suppose|assume|assuming|given|if|when|whenever|let)\b|假设|设|若|如果|已知|给定", re.I)


def said_in_words(text: str) -> set[str]:
    """Names of the inline math of sentences that say something of a law in words (see ``_LAW_WORDS``),
    beyond "X and Y are random variables"; and the names in a display the prose just before supposes
    ("Suppose $$\\operatorname{Cov}(X, Y) = 0$$")."""
    out: set[str] = set()
    for s in _SENTENCE.finditer(text):
        sent = s.group(0)
        names = set(_names_in_math(sent))
        if names and _LAW_WORDS.search(sent):
            out |= names
    for m in _DISPLAY.finditer(text):
        lead = re.split(r"[.。!！?？;；]|\$\$", text[max(0, m.start() - 300):m.start()])[-1]  # the words leading in
        if _SUPPOSE.search(lead):
            out |= set(_names_in_math("$" + (m.group(1) or m.group(2) or m.group(3) or "").replace("$", " ") + "$"))
    return out


def said_only_independent(text: str) -> set[str]:
    """Names whose every sentence with law words says only that they are independent (read in full by
    ``stated_independence``): inside that statement's scope a product table may refute a step on them."""
    said, other = set(), set()
    for s in _SENTENCE.finditer(text):
        sent = s.group(0)
        names = set(_names_in_math(sent))
        words = [m.group(0) for m in _LAW_WORDS.finditer(sent)]
        if not names or not words:
            continue
        if all(_READ_WORDS.fullmatch(w) for w in words) and not _NEGATION.search(sent):
            said |= names
        else:
            other |= names
    return said - other


def _law(family: str, params: list[sp.Basic]) -> Distribution | None:
    if family == "normal":
        mu, var = params
        return Normal(mu, sp.sqrt(var))
    builders = {"bernoulli": Bernoulli, "poisson": Poisson, "exponential": Exponential,
                "laplace": Laplace, "uniform": Uniform, "binomial": Binomial, "discrete_uniform": DiscreteUniform}
    return builders[family](*params)


def declare_random(nc, reader, text: str) -> None:
    """Declare the note's random variables (with their laws) and independence in nc's context."""
    laws = stated_laws(text)
    outcomes = outcome_laws(text)
    indicators = {n for law in outcomes for n in law.names}  # "let $X = 1$ if heads": random, whatever else is said
    names = (set(laws) | stated_random(text)) - introduced_twice(text) - _NOT_RANDOM
    names -= introduced_without_law(text, set(laws))
    names |= indicators - _NOT_RANDOM
    declared: dict[str, sp.Symbol] = {}
    for name in sorted(names):
        if name in nc.sym or name in nc.vec:
            continue  # already a number in the note's context: not taken as a random variable
        dist = None
        if name in laws:
            family, latex = laws[name]
            try:
                params = [nc.bind(reader.read(x).expr) for x in latex]
            except (ReadError, AttributeError, ValueError, TypeError):
                continue
            if any(s.name in names for p in params for s in p.free_symbols):
                continue
            dist = _law(family, params)
        sym = nc.ctx.random_variable(name, dist) if dist is not None else nc.ctx.random_variable(name)
        nc.sym[name] = sym
        nc.domains.setdefault(name, ("real", f"a random variable{' ~ ' + str(dist) if dist else ''}"))
        declared[name] = sym
    tables = declare_tables(nc, text, set(laws) | _NOT_RANDOM, declared)  # a joint law as a Markdown table (notes.table_laws)
    laws = {**laws, **{n: ("table", []) for n in tables}}
    nc.finite_random_names = random_names(text)  # for the finite laws a chain writes out (notes.finite_laws)
    nc.measures_bits = measures_bits(text)
    nc.bits_lines = bits_lines(text)  # where information is in bits (a chain's line decides)
    nc.finite_set_laws = finite_set_laws(text)
    nc.numeric_laws = stated_vectors(text, nc.finite_set_laws, lambda x: reader.read(x).expr)  # P = (1/2, ...)
    # a law given in words ("each is Bernoulli(1/2)", "uncorrelated", "a fair coin") is not read: a joint table
    # refutes a step only on random variables without a law that no sentence says anything more of
    said = said_in_words(text)
    nc.ctx.any_law_refutes = frozenset(sym for name, sym in declared.items()
                                       if name not in said and name not in laws)
    nc.base_refutes = nc.ctx.any_law_refutes
    only = said_only_independent(text)
    nc.independent_only = frozenset(sym for name, sym in declared.items() if name in only and name not in laws)
    nc.independence_scopes = [(lo, hi, frozenset(declared[n] for n in group))
                              for lo, hi, group in stated_independence(text, set(declared))]
    declare_events(nc, text, set(declared) | set(laws))
    declare_outcomes(nc, outcomes)
    declare_latent(nc, text)  # a discrete latent variable, its prior, likelihood and variational law
    nc.moment_laws = moment_laws(text)  # a law given by its mean and variance only (notes.moment_laws)


def _plain(arg: sp.Basic, ctx, depth: int = 0) -> bool:
    """Only random variables, constants, names defined as such, and the operators themselves:
    no data, no unknown calls, no undeclared capitals."""
    if depth > 4:
        return False
    if arg.atoms(sp.Indexed, sp.Sum, sp.Product, sp.Integral, sp.Derivative):
        return False
    if any(not isinstance(a, tuple(op for op, _ in OPERATORS.values())) for a in arg.atoms(AppliedUndef)):
        return False
    for s in arg.free_symbols:
        if s in ctx.random and s in ctx.definitions:
            return False  # "let X = 1 if heads": a random variable the note also gives a value
        if s in ctx.random:
            continue
        if s in ctx.definitions:
            value = ctx.definitions[s]
            if not (isinstance(value, sp.Basic) and (_plain(value, ctx, depth + 1) or not _suspect(value))):
                return False  # a defined name whose value is not plain (sums of X_i, data): not read
            continue
        if s.name[:1].isupper():
            return False  # an undeclared capital: perhaps random, not read
    return bool(_random_uses(arg, ctx, depth))


def _suspect(value: sp.Basic) -> bool:
    return bool(value.atoms(sp.Indexed, sp.Sum, sp.Product, AppliedUndef)) or any(
        s.name[:1].isupper() for s in value.free_symbols)


def _random_uses(arg: sp.Basic, ctx, depth: int) -> bool:
    for s in arg.free_symbols:
        if s in ctx.random:
            return True
        if s in ctx.definitions and depth < 4 and isinstance(ctx.definitions[s], sp.Basic) \
                and _random_uses(ctx.definitions[s], ctx, depth + 1):
            return True
    return False


def as_operators(expr: sp.Basic, ctx) -> sp.Basic:
    """The reader's E(...), Var(...), ... calls on declared random variables as operators."""
    if not ctx.random or not expr.atoms(AppliedUndef):
        return expr

    def convert(e):
        name = re.sub(r"__\d+$", "", e.func.__name__)  # H__1: H of one argument where H(X, Y) came first
        op, nargs = OPERATORS[name]
        if len(e.args) != nargs or e.func in ctx.definitions:
            return e
        if op is Entropy:
            (x,) = e.args
            if x not in ctx.random or ctx.random[x].distribution.family == "generic":
                return e
            return op(x)
        if all(_plain(a, ctx) for a in e.args):
            return op(*e.args)
        return e

    return expr.replace(lambda e: isinstance(e, AppliedUndef) and re.sub(r"__\d+$", "", e.func.__name__) in OPERATORS,
                        convert)


def unread_operators(exprs: list, nc, line: int) -> bool:
    """In a note with random variables, a call of E / Var / ... that did not become an operator (E[N | C],
    Var(X_i)) is not read: it is marked unread (every step using it is `unknown`), never a definition.  So is a
    defined information name at an argument of another kind (``other_kind_calls``: H(U) after H(p))."""
    if any(c.func.__name__.endswith("__law") for e in exprs if isinstance(e, sp.Basic) for c in e.atoms(AppliedUndef)):
        return True
    if not nc.ctx.random:
        return False
    found = False
    for k, e in enumerate(exprs):
        if e is None or (k == 0 and information_call(e) and len(exprs) > 1):
            continue  # H(X) = -\\sum_x ...: the note's own definition at the head (read_probability keeps it)
        for call in e.atoms(AppliedUndef):
            if call.func in nc.ctx.definitions:
                continue  # the note defines it: its definition is the reading
            base = call.func.__name__.split("__")[0]
            if base == "H" and not any(a in nc.ctx.random for a in call.args):
                continue  # H(P), H(p), H(P, Q): the entropy of a law or a number, the note's to define
            if base in OPERATORS:
                nc.unread_definitions.setdefault(call.func.__name__, line)
                found = True
    return found


def read_probability(exprs: list, nc, head: bool = True, line: int | None = None) -> list:
    """A chain's expressions with probability read: densities of named laws, expectations under them and KL
    between them (``notes.law_densities``), E / Var / Cov / H on random variables (``as_operators``), and
    E / H / KL over a finite law the chain writes out (``notes.finite_laws``).  ``head=False`` (the prose
    defines, or the chain starts with :=): the head keeps the note's names for the new readings, so the
    note's own definition is read as a definition and wins after it.  So is a chain ``name = value`` whose
    name (H, KL, I) the note has not used before (``H(P, Q) = -\\sum_i P_i \\log Q_i`` at its first appearance)."""
    exprs = read_latent([other_kind_calls(e, nc) for e in exprs], nc, head, line)  # notes.latent_laws
    seen = nc.__dict__.setdefault("probability_seen", set())
    stated = head  # the prose or := defines the head (the first appearance of a name does not, at stated laws)
    first = exprs[0] if exprs else None
    if len(exprs) == 2 and isinstance(first, AppliedUndef) and base_name(first) not in seen \
            and base_name(first).partition("_")[0] in DEFINED_BY_NOTES:
        head = False
    for e in exprs:
        if isinstance(e, sp.Basic):
            seen.update(base_name(c) for c in e.atoms(AppliedUndef))
    if not states_a_value(exprs, nc):
        exprs = [None if e is None else as_events(e, nc) for e in exprs]
    out = [None if e is None else joint_entropies(as_operators(as_laws(e, nc.ctx), nc.ctx), nc) if head or k
           else _kept_head(e, nc)
           for k, e in enumerate(exprs)]
    out = [read_moments(e, nc) for e in out]
    if line is not None and any(lo <= line <= hi for lo, hi in getattr(nc, "bits_lines", ())):
        out = [e if e is None else e.xreplace({h: h / sp.log(2) for h in e.atoms(Entropy)}) for e in out]  # in bits
    out = read_values(out, nc, line, stated)  # values at the laws a worked example states in numbers (notes.numeric_laws)
    return read_chain(out, nc, head=head, line=line)


def _kept_head(e: sp.Basic, nc) -> sp.Basic:
    """The head of a chain the note defines: an information name (H(X) = -\\sum_x ...) keeps the note's name, so
    its definition is read as one; E / Var / Cov are operators there too (never defined by the note)."""
    if information_call(e):
        return e
    if not isinstance(e, (sp.Symbol, AppliedUndef)) or base_name(e).partition("_")[0] in ("E", "bbE", "bfE"):
        e = as_laws(e, nc.ctx)  # an expectation or a formula at the head: its densities and laws read too
    return as_operators(e, nc.ctx)
