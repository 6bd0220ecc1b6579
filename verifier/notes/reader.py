"""LaTeX of real notes -> SymPy, built on latex2sympy2_extended.

latex2sympy2_extended is configured (case-sensitive symbols) and the LaTeX is
normalised before it and post-processed after it, for the notation of ML notes:

* ``\\log`` is natural unless a base is written (``\\log_2`` keeps base 2); bare
  ``log``/``ln``/``exp`` words are read as the functions;
* ``\\hat{y}`` is the symbol ``yhat``; ``\\mathbf``/``\\boldsymbol``/``\\mathrm`` are names;
* function calls ``P(y|x)``, ``p(Y=y_i|x_i, f, \\sigma^2)``, ``\\mathrm{f}[x_i,\\phi]``,
  ``D_{KL}(P\\|Q)`` are read by this module (the grammar cannot nest them);
* ``\\sigma'(z)``, ``f'(x)`` are derivatives; ``\\delta[y - y_i]`` is a Dirac delta;
* ``x_i`` under ``\\sum_i``/``\\prod_i`` is indexed data ``x[i]``, and ``P(x_i)`` there
  is the entry ``P[i]`` of a distribution;
* ``\\underset{\\theta}{\\operatorname{argmin}}``, ``\\arg\\min_x``, ``\\operatorname*{arg\\,min}_x``,
  ``\\mathop{\\mathrm{argmin}}_x`` wrappers are returned as the objective's sense and variables;
  ``\\min_x f`` is the optimal *value* and is a read error (never taken for an argmin);
* ``\\frac{d^2}{dt^2}(...)``, ``\\frac{d f}{d x}``, ``\\frac{\\partial^2 f}{\\partial x \\partial y}`` are
  derivatives; ``f''(x)``, ``f^{(2)}(x)`` second derivatives; ``\\int ... dx`` ends at its own
  differential; ``\\max(a, b)`` is ``Max``; ``\\delta_{jl}`` over indices is a Kronecker delta;
  ``x_{ij}``, ``x_{i+1}`` under sums are entries of ``x``;
* ``\\begin{cases}`` becomes a ``Piecewise``;
* ``x^{(i)}`` under a sum over ``i`` is the sample ``x[i]``; ``\\sum_i`` without limits takes the one range
  the note gives its data; ``\\|w\\|``, ``\\|w\\|_1`` of a vector the note sums over are sums over that range;
  ``\\left. f \\right|_{x=a}`` is ``f`` at ``x = a``; ``\\operatorname{Var}(X)``, ``\\mathrm{ReLU}(x)`` are calls,
  ``p(1-p)`` a product, ``u(a+1)`` a call when the note defines ``u(x) = ...``; ``\\gamma``, ``\\Gamma``,
  ``E``, ``T`` are names (not Euler's constants, not a transpose);
* what cannot be read safely is a :class:`ReadError` quoting the fragment: a condition after
  ``\\quad``, words in ``\\text{...}``, a layer label ``a^{(l)}``, a norm of a vector whose entries the note
  never names, a transpose ``x^T``, ``\\nabla``, ``\\lg`` (base 2 or 10?), ``\\log x \\cdot y`` ((log x)y or
  log(xy)?), an evaluation bar without ``\\left.``, a derivative by an entry ``z_j`` at an index no sum binds.

Nothing here calls ``sympify``/``eval``/``parse_expr`` on the user's text: the text
only ever reaches the ANTLR grammar of latex2sympy2_extended.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

import sympy as sp
from sympy.core.function import AppliedUndef

from verifier.notes.event_variables import by_variable
from verifier.notes.letters import PI_VARIABLE
from verifier.notes.normalise import (
    MAX_POWER_DIGITS,
    huge_power,
    normalise,
    strip_fonts,
)
from verifier.notes.notation import Notation, canonical, split_name
from verifier.notes.objectives import objective
from verifier.notes.probability_spelling import respell
from verifier.notes.resolve import (
    MIXED_INDEX,
    entries_outside_sums,
    expr_size,
    norms,
    resolve,
    sum_limits,
)
from verifier.notes.scan import (
    DEFAULT_MAX_EXPR_SIZE,
    MAX_DEPTH,
    ReadError,
    exact_decimals,
    name_of_token,
    nesting_depth,
)
from verifier.notes.structures import Raw


@dataclass
class Parsed:
    """An expression of a chain, possibly wrapped in argmin/argmax over variables."""

    expr: sp.Basic
    latex: str
    sense: str | None = None  # 'min' | 'max' for an optimisation objective
    over: tuple[str, ...] = ()  # names of the optimisation variables, as internal names
    calls: set[str] = field(default_factory=set)



class Reader:
    """Reads LaTeX fragments of one note (the notation is shared across the note)."""

    def __init__(self, notation: Notation | None = None, functions: set[str] | None = None,
                 max_expr_size: int = DEFAULT_MAX_EXPR_SIZE, indices: set[str] | None = None,
                 indexed: dict[str, set[str]] | None = None) -> None:
        self.notation = notation or Notation()
        self.functions = set(functions or ())
        self.max_expr_size = max_expr_size
        self.indices = frozenset(indices or ())  # names the note declares as indices (j, l = 1..n)
        # bases the note uses as indexed data under sums ({'x': {'n', 'm'}}): x_1, x_n, x_{n+1} outside a
        # sum are then entries of x, with the sums' upper limits as the letters allowed in the index
        self.indexed = dict(indexed or {})
        self.finite_laws: frozenset = frozenset()  # laws on one finite set: their bare sums (notes.finite_laws)
        self.event_variables: frozenset = frozenset()  # the random variables the note writes events of
        self.supports: dict = {}  # a table's random variables: the values of their bare sums (notes.table_laws)

    def read(self, latex: str) -> Parsed:
        text = latex.strip()
        if len(text) > self.max_expr_size:
            raise ReadError(text[:60] + "...", f"expression too large ({len(text)} characters > limit "
                                               f"{self.max_expr_size}; raise it with --max-expr-size)")
        if nesting_depth(text) > MAX_DEPTH:
            raise ReadError(text[:60] + "...", f"expression nested too deeply (more than {MAX_DEPTH} levels)")
        if re.search(r"\d{60,}", text):
            raise ReadError(text[:60], "a number with more than 60 digits")
        if huge_power(text):
            raise ReadError(text[:60], f"a power of numbers with more than {MAX_POWER_DIGITS} digits")
        text = by_variable(text, self.event_variables)  # P(X = 0), P(Y = 0): two values (notes.event_variables)
        text = respell(text, self.finite_laws, self.supports)  # KL with \|, H(X | Y), E's subscripts (notes.probability_spelling)
        text = sum_limits(text, self.indexed)
        if self.indexed:
            text = norms(text, self.indexed)
        s = exact_decimals(normalise(text, self.notation))
        sense, over_tex, body = objective(s)
        raw = Raw(self.functions)
        e = raw.expr(body)
        if "!" not in body and e.has(sp.factorial):  # x(W)_{ij}: the grammar's Pochhammer reading of a subscript
            raise ReadError(text[:60], "a subscript on a bracket is read as a falling factorial, which the note "
                            "does not write with !; write the entry as a name, W_{ij}, or the factorials")
        if _INVERSE_CALL.search(body) and any(isinstance(p.base, AppliedUndef) and p.exp == -1 for p in e.atoms(sp.Pow)):
            raise ReadError(_INVERSE_CALL.search(body).group(0), "f^{-1}(y) is the inverse function of f (or 1/f(y)? "
                            "the grammar reads the reciprocal); inverse functions are not read: write f(y)^{-1} or "
                            "\\frac{1}{f(y)} for the reciprocal")
        e = resolve(e, self.notation, frozenset(), self.indices)
        if self.notation.pi_variable:  # 0 < \pi < 1: the name pi (a Symbol, not the constant)
            e = e.xreplace({x: sp.Symbol("pi", **x.assumptions0) for x in e.atoms(sp.Symbol) if x.name == PI_VARIABLE})
        if self.indexed:
            e = entries_outside_sums(e, self.indexed)
        if expr_size(e) > self.max_expr_size:
            raise ReadError(text[:60], f"expression too large ({expr_size(e)} nodes; raise with --max-expr-size)")
        over: list[str] = []
        for v in over_tex:
            name = name_of_token(strip_fonts(v)) if not v.startswith("\\text{") else v[6:-1]
            if name is None:
                name = canonical(v)
            over.append(canonical(name))
        return Parsed(e, latex, sense, tuple(over), raw.calls)



#: f^{-1}(y), \sigma^{-1}(p): a name with the power -1 right before its bracket
_INVERSE_CALL = re.compile(r"(?:\\[A-Za-z]+|\\text\{[A-Za-z]+\}|(?<![\\A-Za-z])[A-Za-z])\s*\^\s*(?:\{\s*-\s*1\s*\}|-1)\s*"
                           r"(?:\\left\s*)?\(")


def entry_definition_body(reader: Reader, head, body, latex: str):
    """The body of an entry's definition, ``d_i = \\sum_j W_{ij}``, read with the head's index letter as an
    index (i is free in the body: the definition holds at every i); any other body as it was read."""
    if not (isinstance(head, Parsed) and isinstance(body, ReadError) and body.reason == MIXED_INDEX
            and isinstance(head.expr, sp.Symbol)):
        return body
    sub = split_name(head.expr.name)[1]
    if not (len(sub) == 1 and sub.isalpha()):
        return body
    entry_reader = copy.copy(reader)
    entry_reader.indices = reader.indices | {sub}
    try:
        return entry_reader.read(latex)
    except ReadError:
        return body


def entry_definition_chain(reader: Reader, pairs: list) -> list:
    """A display's chain of (segment, reading) pairs, its second expression read as the body of an entry's
    definition when the chain opens with one (``d_i = \\sum_j W_{ij}``: :func:`entry_definition_body`)."""
    if len(pairs) < 2 or pairs[1][0].relation not in ("=", ":="):
        return pairs
    (head_seg, head), (seg, body) = pairs[0], pairs[1]
    return [(head_seg, head), (seg, entry_definition_body(reader, head, body, seg.latex)), *pairs[2:]]


_SIMPLE_ARG = r"\s*(?:\\[A-Za-z]+\s*\{\s*\\?[A-Za-z]+\s*\}|\\[A-Za-z]+|[A-Za-z])(?:_\{?[A-Za-z0-9]+\}?)?\s*"



_DEFINED_CALL = re.compile(r"(?:^|[\n&{}]|\\\\)\s*([A-Za-z])(_\{?[A-Za-z']+\}?)?\s*(?:\\left\s*)?\((" + _SIMPLE_ARG +
                           r"(?:," + _SIMPLE_ARG + r")*)(?:\\right\s*)?\)\s*&?\s*(?:=|:=|\\coloneqq|\\equiv)(?!=)")



def function_names_of(text: str) -> set[str]:
    """Names the note applies to argument lists with commas or bars, and names it defines as functions of
    plain names at the start of an equation (u(x) = x^2 + 1; so u(a+1) later is a call, not u times a+1)."""
    out = set()
    for m in re.finditer(r"(?<![\\A-Za-z])([A-Za-z])(_\{?[A-Za-z']+\}?)?\s*\(([^()]*[,|][^()]*)\)", text):
        out.add(canonical(m.group(1) + (m.group(2) or "").replace("'", "prime")))
    for m in _DEFINED_CALL.finditer(text):
        name = m.group(1) + (m.group(2) or "").replace("'", "prime")
        if not re.search(r"(?<![\\A-Za-z])" + re.escape(m.group(1)) + r"(?![A-Za-z_(])", m.group(3)):
            out.add(canonical(name))
    return out

