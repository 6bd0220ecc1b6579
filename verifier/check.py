"""``verify check``: find the derivations written in notes and check every step.

Markdown (any text file) or TeX: display math is found (:mod:`verifier.latex.blocks`),
read (:mod:`verifier.latex.reader`), given domains (:mod:`verifier.latex.domains`) and
definitions (a new name on the left of ``=`` defines it for the rest of the file), and
each step is decided by the engine of the catalog (``Problem`` + ``decide_step``).

Every failure is local: an expression that does not parse gives ``unparsed`` steps with
the fragment quoted, an undefined name or a timeout gives ``unknown``; the rest of the
file is still checked.  Input errors (missing file, binary file, bad encoding, a file
over the size limit) raise :class:`InputError`, which the command turns into one line
on stderr and exit code 2.
"""
from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import sympy as sp
from sympy.core.function import AppliedUndef

from .budget import run_with_budget
from .chain import ARGMAX, ARGMIN
from .context import Context
from .domains import BY_NAME
from .engine import DEFAULT_BUDGET, Problem, decide_step
from .latex.blocks import CHECKABLE, chains_of, find_blocks, find_inline, is_hugo, split_relations
from .latex.domains import STRENGTH, Stated, assumption, log_arguments, probability_vectors, stated_domains
from .latex.names import Notation, split_name
from .latex.reader import (DEFAULT_MAX_EXPR_SIZE, PROBABILITY_NAMES, Parsed, ReadError, Reader,
                           free_kronecker_indices, function_names_of, indexed_names_of)
from .results import CHECKED, PROVED, REFUTED, STATUSES, UNKNOWN, UNPARSED, StepResult, count_statuses

DEFAULT_MAX_FILE_SIZE = 2_000_000  # bytes
DEFAULT_MAX_TOTAL_TIME = 900.0  # seconds for a whole run
PARSE_BUDGET = 20.0  # seconds to read the expressions of one block
NOTE_SUFFIXES = {".md", ".markdown", ".mdx", ".txt", ".tex", ".rmd", ".qmd", ".rst", ".mkd"}
_REL_NAME = {"=": "=", "<=": "<=", ">=": ">=", "<": "<", ">": ">", "==": "="}
_DEFINING = ("=", ":=", "==")  # =, :=, \triangleq, \coloneqq, \equiv with a new name on the left
_NOT_CLAIMS = {"~": "is approximate, proportional or a distribution statement, not an equation: not checked"}


class InputError(Exception):
    """A file that cannot be checked at all (exit code 2)."""


@dataclass
class Limits:
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    max_expr_size: int = DEFAULT_MAX_EXPR_SIZE
    max_total_time: float = DEFAULT_MAX_TOTAL_TIME


@dataclass
class BlockReport:
    line: int
    steps: list[StepResult] = field(default_factory=list)
    definitions: list[dict] = field(default_factory=list)
    unread: list[dict] = field(default_factory=list)  # lone expressions that did not parse
    # relations that are not claims to check (\approx, \propto, \sim): listed, never checked as =
    skipped: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        d: dict = {"line": self.line, "steps": [s.to_json() for s in self.steps]}
        if self.definitions:
            d["definitions"] = self.definitions
        if self.unread:
            d["unread"] = self.unread
        if self.skipped:
            d["skipped"] = self.skipped
        return d


@dataclass
class FileReport:
    path: str
    blocks: list[BlockReport] = field(default_factory=list)
    assumptions: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def steps(self) -> list[StepResult]:
        return [s for b in self.blocks for s in b.steps]

    def counts(self) -> dict[str, int]:
        return count_statuses(self.steps)

    def to_json(self) -> dict:
        return {"path": self.path, "blocks": [b.to_json() for b in self.blocks],
                "assumptions": self.assumptions, "time": round(self.seconds, 3), "summary": self.counts()}


@dataclass
class CheckReport:
    files: list[FileReport] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def steps(self) -> list[StepResult]:
        return [s for f in self.files for s in f.steps]

    def counts(self) -> dict[str, int]:
        return count_statuses(self.steps)

    def passed(self, allow: Sequence[str] = (PROVED,)) -> bool:
        return all(s.status in allow for s in self.steps)

    def to_json(self) -> dict:
        return {"files": [f.to_json() for f in self.files], "summary": self.counts(),
                "time": round(self.seconds, 3)}


# ---------------------------------------------------------------------------------------
# reading a file
# ---------------------------------------------------------------------------------------
def read_note(path: str | os.PathLike, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> str:
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file or directory")
    if not p.is_file():
        raise InputError(f"{path}: not a regular file")
    size = p.stat().st_size
    if size > max_file_size:
        raise InputError(f"{path}: file is {size} bytes, over the limit of {max_file_size} "
                         f"(raise it with --max-file-size)")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: binary file, not a text note")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}); convert it to UTF-8") from None


def note_files(paths: Iterable[str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise InputError(f"{raw}: no such file or directory")
        if p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in NOTE_SUFFIXES
                           and not any(part.startswith(".") for part in q.relative_to(p).parts))
            if not found:
                raise InputError(f"{raw}: no notes found (looked for {', '.join(sorted(NOTE_SUFFIXES))})")
            out.extend(found)
        else:
            out.append(p)
    return out


# ---------------------------------------------------------------------------------------
# parsing (in a worker: a hostile expression cannot hang the run)
# ---------------------------------------------------------------------------------------
def _parse_all(items: list[str], reader: Reader, report=None):
    out = []
    for latex in items:
        try:
            out.append(reader.read(latex))
        except ReadError as exc:
            out.append(exc)
        except RecursionError:
            out.append(ReadError(latex[:80], "expression nested too deeply"))
        except Exception as exc:  # noqa: BLE001 - a reader bug must stay local
            out.append(ReadError(latex[:80], f"could not read it ({type(exc).__name__}: {exc})"))
    return _Parsed(out, dict(reader.notation.entry_templates))


@dataclass
class _Parsed:
    results: list
    templates: dict
    seconds: float = 0.0


def parse_many(items: list[str], reader: Reader, budget: float = PARSE_BUDGET) -> list:
    if not items:
        return []
    res = run_with_budget(_parse_all, (items, reader), budget)
    if not isinstance(res, _Parsed):
        why = getattr(res, "message", "") or "the reader failed"
        return [ReadError(x[:80], f"reading timed out or failed ({why.splitlines()[0]})") for x in items]
    reader.notation.entry_templates.update(res.templates)
    return res.results


# ---------------------------------------------------------------------------------------
# the note's context
# ---------------------------------------------------------------------------------------
def _sigmoid() -> sp.Lambda:
    t = sp.Dummy("t", real=True)
    return sp.Lambda(t, 1 / (1 + sp.exp(-t)))


#: names that count things in ML notes (a size: an integer >= 1) unless the note says otherwise
COUNT_NAMES = ("n", "N")
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
        self.guards: dict = {}  # defined function -> {position: the argument its definition fixes}
        self.unread_definitions: dict[str, int] = {}  # name -> line of a definition that could not be read
        self.def_args: dict[str, tuple] = {}  # defined function -> its arguments as written (l(lambda): (lambda,))

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
        limits_seen = []
        for e in exprs:
            for s in e.atoms(sp.Sum, sp.Product):
                for lim in s.limits:
                    i, lo, hi = lim
                    self.index_ranges.setdefault(i.name, (lo, hi))
                    limits_seen.append((lo, hi))
        self.prob = probability_vectors(exprs)
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

    def _bind_plain(self, e: sp.Basic) -> sp.Basic:
        return e.xreplace({s: self.sym[s.name] for s in e.free_symbols if s.name in self.sym})

    # -- binding -----------------------------------------------------------------------
    def _domain_name(self, name: str) -> str:
        d = self.domains.get(name)
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
        f = self.ctx.function(internal, "positive" if base in PROBABILITY_NAMES else "real")
        self.fun[key] = f
        if name == "sigma" and nargs == 1:
            self.ctx.define(f, _sigmoid())
            self.domains.setdefault("sigma(·)", ("logistic", "sigma applied to an argument is the sigmoid 1/(1+e^{-t})"))
        return f

    def bind(self, e: sp.Basic) -> sp.Basic:
        if isinstance(e, sp.Derivative) and isinstance(e.expr, sp.Symbol) and e.expr.name in self.def_args:
            # d l / d lambda where the note defined l(lambda) = ...: the derivative of that function
            name, args = e.expr.name, self.def_args[e.expr.name]
            variables = [(self.bind(v), c) for v, c in e.variable_count]
            if (name, len(args)) in self.fun and all(v in args for v, _ in variables):
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


# ---------------------------------------------------------------------------------------
# definitions
# ---------------------------------------------------------------------------------------
def _is_new_name(e: sp.Basic, ctx: Context, used_before: set) -> bool:
    if isinstance(e, sp.Symbol):
        return e not in ctx.definitions and e.name not in used_before
    if isinstance(e, AppliedUndef):
        return e.func not in ctx.definitions and e not in ctx.definitions
    return False


_NAME_RE = re.compile(
    r"(?:\\(?:hat|bar|tilde|widehat|widetilde|overline|vec|mathcal|mathbf|mathbb|mathrm|mathit|mathsf|boldsymbol|"
    r"bm|operatorname|check|dot|ddot)\s*(?:\{[^{}]*\}|\\[A-Za-z]+|[A-Za-z])|\\[A-Za-z]+|[A-Za-z]+)"
    r"(?:_(?:\{[^{}]*\}|\\[A-Za-z]+\s*\{[^{}]*\}|\\?[A-Za-z0-9]+)|\^(?:\{\s*(?:\*|\\star|\\ast|\\prime|'+)\s*\}|\*|'+)|'+)*")
_NOT_NAMES = {"log", "ln", "exp", "sin", "cos", "tan", "sqrt", "frac", "dfrac", "tfrac", "sum", "prod", "int",
              "max", "min", "lim", "det", "tanh", "sinh", "cosh", "arg", "argmin", "argmax", "partial", "nabla"}


def _written_as_name(latex: str) -> bool:
    """Is the left side of a definition written as a name (``L``, ``\\hat{y}_i``, ``H(P, Q)``,
    ``\\ell\\left(\\lambda\\right)``)?  ``\\log e^{x}`` or ``\\frac{2z}{2}`` may read as a bare symbol
    but define nothing."""
    t = latex.strip().rstrip(".,;")
    m = _NAME_RE.match(t)
    if not m or m.group(0).lstrip("\\").split("{")[0].split("_")[0] in _NOT_NAMES:
        return False
    rest = t[m.end():].strip()
    if not rest:
        return True
    # an argument list: (...), \left( ... \right), [...]
    return bool(re.fullmatch(r"(?:\\left\s*)?[(\[].*(?:\\right\s*)?[)\]]", rest, re.S))


def _define(nc: NoteContext, name: sp.Basic, value: sp.Basic) -> bool:
    ctx = nc.ctx
    if name in value.free_symbols or (isinstance(name, AppliedUndef) and value.has(name.func)):
        return False
    if isinstance(name, sp.Symbol):
        ctx.define(name, value)
        base, sub = split_name(name.name)
        if sub and sub in nc.idx and base in nc.vec:
            ctx.define(nc.vec[base][nc.idx[sub]], value)
        return True
    # a parameter that also names data or a function in the body (H(P,Q) = -sum P(x_i) log Q(x_i),
    # p(y | x, f) = ... f(x) ...) cannot be substituted: that position is fixed, and a call with
    # another argument there is not unfolded (see _guard_violations)
    labels = {str(x.base.label) for x in value.atoms(sp.Indexed)} | {a.func.__name__ for a in value.atoms(AppliedUndef)}
    params, mapping, fixed = [], {}, {}
    for k, a in enumerate(name.args):
        d = sp.Dummy(f"a{k}")
        params.append(d)
        if isinstance(a, sp.Symbol) and a.name in labels or a.is_number:
            fixed[k] = a
        elif isinstance(a, (sp.Symbol, sp.Indexed, AppliedUndef)) and a not in mapping and value.has(a):
            mapping[a] = d
        # a parameter the body does not use (E[X] = mu, Var(X) = sigma^2) is a fixed argument:
        # the definition says nothing about E[X^2] or Var(2X)
        else:
            fixed[k] = a
    nc.guards[name.func] = fixed
    ctx.define(name.func, sp.Lambda(tuple(params), value.xreplace(mapping)))
    if all(isinstance(a, sp.Symbol) for a in name.args) and len(set(name.args)) == len(name.args):
        nc.def_args[name.func.__name__] = tuple(name.args)
    return True


# ---------------------------------------------------------------------------------------
# opaque functions: steps that rewrite the arguments of a function the note never defines
# ---------------------------------------------------------------------------------------
def _opaque_calls(e: sp.Basic, nc: NoteContext) -> set:
    out = set()
    canon = {s: sp.Symbol("_idx") for s in nc.idx.values()}
    for a in e.atoms(AppliedUndef):
        if a.func in nc.ctx.definitions:
            continue
        out.add(a.xreplace(canon))
    return out


def _plain_unfold(e: sp.Basic, defs: dict) -> sp.Basic | None:
    """Definitions substituted, derivatives replaced by what they differentiate (no calculus)."""
    sym_defs = {k: v for k, v in defs.items() if not isinstance(k, sp.FunctionClass)}
    fn_defs = {k: v for k, v in defs.items() if isinstance(k, sp.FunctionClass)}
    cur = e
    for _ in range(12):
        nxt = cur.replace(lambda x: isinstance(x, (sp.Derivative, sp.Subs)), lambda x: x.args[0])
        nxt = nxt.xreplace(sym_defs)
        for fn, lam in fn_defs.items():
            if nxt.has(fn):
                try:
                    nxt = nxt.replace(fn, lam)
                except Exception:  # noqa: BLE001 - a call with another arity stays opaque
                    pass
        if nxt == cur:
            return nxt
        cur = nxt
    return None


def _guard_violations(e: sp.Basic, nc: NoteContext) -> set[str]:
    out = set()
    for call in e.atoms(AppliedUndef):
        fixed = nc.guards.get(call.func)
        if not fixed:
            continue
        for k, want in fixed.items():
            if k >= len(call.args) or call.args[k] != want:
                out.add(nc.notation.symbol(call.func.__name__))
    return out


def _undefined_derivatives(e: sp.Basic, nc: NoteContext) -> set[str]:
    out = set()
    for d in e.atoms(sp.Derivative):
        inner = d.expr
        if isinstance(inner, sp.Symbol) and inner not in nc.ctx.definitions:
            out.add(nc.notation.symbol(inner.name))
        for v, _ in d.variable_count:
            if isinstance(v, sp.Symbol) and v not in nc.ctx.definitions and not inner.has(v) \
                    and not any(isinstance(s, sp.Symbol) and s in nc.ctx.definitions for s in inner.free_symbols) \
                    and not inner.atoms(AppliedUndef):
                out.add(nc.notation.symbol(inner.name) if isinstance(inner, sp.Symbol) else str(inner))
    return out


def _opaque_difference(a: sp.Basic, b: sp.Basic, nc: NoteContext) -> str:
    ua, ub = _plain_unfold(a, nc.ctx.definitions), _plain_unfold(b, nc.ctx.definitions)
    if ua is None or ub is None:
        return ""
    ca, cb = _opaque_calls(ua, nc), _opaque_calls(ub, nc)
    if ca == cb or (not ca and not cb):
        return ""
    names = sorted({nc.notation.symbol(x.func.__name__) for x in ca ^ cb})
    return ", ".join(names)


def _defined_name(e: sp.Basic) -> str:
    """The name a definition's left side introduces: g for g(x), L for L."""
    if isinstance(e, AppliedUndef):
        return e.func.__name__
    if isinstance(e, sp.Indexed):
        return str(e.base.label)
    return str(e)


def _names_used(e: sp.Basic) -> set[str]:
    out = {a.func.__name__ for a in e.atoms(AppliedUndef)}
    out |= {s.name for s in e.free_symbols if isinstance(s, sp.Symbol)}
    out |= {str(x.base.label) for x in e.atoms(sp.Indexed)}
    return out


def _cases_of(e: sp.Basic):
    """(symbol, values) when e has a Piecewise over sym = constant cases, else None."""
    for pw in e.atoms(sp.Piecewise):
        syms, vals = set(), []
        for _, cond in pw.args:
            if isinstance(cond, sp.Eq):
                lhs, rhs = cond.args
                if isinstance(lhs, sp.Symbol) and rhs.is_number:
                    syms.add(lhs)
                    vals.append(rhs)
                    continue
            syms = set()
            break
        if len(syms) == 1 and vals:
            return next(iter(syms)), tuple(vals)
    return None


# ---------------------------------------------------------------------------------------
# checking a text
# ---------------------------------------------------------------------------------------
def check_text(text: str, path: str = "<string>", *, tex: bool | None = None, assumptions: Sequence[str] = (),
               budget: float = DEFAULT_BUDGET, max_expr_size: int = DEFAULT_MAX_EXPR_SIZE,
               deadline: float | None = None, on_step=None) -> FileReport:
    """Check every chain of display math in a note (Markdown or, with tex=True, TeX)."""
    start = time.monotonic()
    if tex is None:
        tex = str(path).lower().endswith(".tex")
    hugo = (not tex) and is_hugo(text)
    notation = Notation()
    blocks = find_blocks(text, tex)
    inline = find_inline(text, tex)
    math_text = "\n".join([b.body for b in blocks] + [t for _, t in inline])
    reader = Reader(notation, function_names_of(math_text), max_expr_size, indexed=indexed_names_of(math_text))

    # assumptions from the command line first (they win), then the note's statements
    user: list[Stated] = []
    for a in assumptions:
        user.extend(assumption(reader, a))

    # read every expression: display chains and inline definitions
    block_chains = [(b, chains_of(b, hugo)) for b in blocks]
    items: list[str] = [seg.latex for _, chains in block_chains for c in chains for seg in c.segments]
    inline_chains = []
    for line, body in inline:
        body = body.replace("\\\\{", "\\{").replace("\\\\}", "\\}") if hugo else body
        for piece in _split_commas(body):
            parts = split_relations(piece)
            if len(parts) == 2 and parts[1][0] in _DEFINING and parts[0][1].strip() and parts[1][1].strip():
                inline_chains.append((line, parts[0][1].strip(), parts[1][1].strip()))
    items += [x for _, l, r in inline_chains for x in (l, r)]
    parsed = parse_many(items, reader, max(PARSE_BUDGET, budget))
    it = iter(parsed)
    block_parsed = [(b, [_ParsedChain([(seg, next(it)) for seg in c.segments], c.conditional, c.consequent)
                         for c in chains])
                    for b, chains in block_chains]
    inline_parsed = [(line, next(it), next(it)) for line, _, _ in inline_chains]

    exprs = [p.expr for p in parsed if isinstance(p, Parsed)]
    nc = NoteContext(notation)
    for st in stated_domains(reader, [b.body for b in blocks] + [t for _, t in inline]):
        nc.state(st)
    for st in user:
        nc.state(Stated(st.name, st.domain, f"--assume {st.reason}"), override=True)
    nc.prepare(exprs, text)

    report = FileReport(str(path))
    # events in file order: inline definitions and blocks
    lines = text.splitlines()
    block_lines = sorted((b.line, b.body_line + b.body.count("\n")) for b in blocks)
    events: list[tuple[int, int, object]] = [(line, 0, (l, r, False)) for line, l, r in inline_parsed]
    events += [(_definition_line(line, lines, block_lines), 0, (l, r, True)) for line, l, r in inline_parsed
               if _definition_line(line, lines, block_lines) != line]
    events += [(b.line, 1, (b, chains)) for b, chains in block_parsed]
    events.sort(key=lambda x: (x[0], x[1]))
    used: set[str] = set()
    index = 0
    for _, kind, payload in events:
        if kind == 0:
            l, r, hoisted = payload
            if isinstance(l, Parsed) and isinstance(r, Parsed) and not l.sense and not r.sense \
                    and _written_as_name(l.latex):
                bl, br = nc.bind(l.expr), nc.bind(r.expr)
                if hoisted and (br.is_number or isinstance(br, sp.Symbol)):
                    continue  # "where $x = 0$" may say where, not what: only a formula is taken back
                if _is_new_name(bl, nc.ctx, used) and not isinstance(bl, sp.Indexed):
                    _define(nc, bl, br)
            continue
        b, chains = payload
        br_ = BlockReport(b.line)
        report.blocks.append(br_)
        for chain in chains:
            index = _check_chain(chain, nc, br_, used, index, budget, deadline, on_step)
    report.assumptions = nc.assumptions_json()
    report.seconds = time.monotonic() - start
    return report


_WHERE = re.compile(r"(?:^|[^A-Za-z])(?:where|here|with)\b|其中|这里|此处", re.I)


def _definition_line(line: int, lines: list[str], block_lines: list[tuple[int, int]]) -> int:
    """Where an inline definition takes effect: "where $m = ...$" right after a display block names
    something that block uses, so it applies from that block on; any other inline definition
    applies from its own line."""
    if not 0 < line <= len(lines):
        return line
    before = lines[line - 1].split("$", 1)[0]
    if not _WHERE.search(before):
        return line
    prior = [b for b in block_lines if b[1] < line]
    if not prior:
        return line
    start, end = prior[-1]
    # only prose between the end of the block and the "where" (no other mathematics)
    if any("$" in ln or "\\[" in ln or "\\begin" in ln or "\\end" in ln for ln in lines[end:line - 1]):
        return line
    return start


def _split_commas(body: str) -> list[str]:
    out, depth, start = [], 0, 0
    for j, c in enumerate(body):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            out.append(body[start:j])
            start = j + 1
    out.append(body[start:])
    return [x.strip() for x in out if x.strip()]


class _ParsedChain(list):
    """The (segment, parsed) pairs of one chain; `conditional` when implications join it."""

    def __init__(self, items, conditional: bool = False, consequent: bool = False) -> None:
        super().__init__(items)
        self.conditional = conditional
        self.consequent = consequent


def _check_chain(chain: list, nc: NoteContext, br: BlockReport, used: set, index: int, budget: float,
                 deadline: float | None, on_step) -> int:
    ctx = nc.ctx
    conditional = getattr(chain, "conditional", False)
    # after an arrow nothing is defined; before one only functions are (x = 3 \Rightarrow ... is a condition)
    defining = not getattr(chain, "consequent", False)
    bound: list = [nc.bind(p.expr) if isinstance(p, Parsed) else None for _, p in chain]
    if len(chain) == 1:
        seg, p = chain[0]
        if isinstance(p, ReadError):
            br.unread.append({"line": seg.line, "latex": seg.latex, "message": f"{p.reason}: {p.fragment}"})
        elif bound[0] is not None:
            used.update(s.name for s in bound[0].free_symbols if isinstance(s, sp.Symbol))
        return index
    for k in range(1, len(chain)):
        (pseg, pp), (seg, cp) = chain[k - 1], chain[k]
        rel = seg.relation or "="
        a, b = bound[k - 1], bound[k]
        # definitions: a new name on the left of = (or :=) at the start of a chain
        if defining and rel in _DEFINING and a is not None and _is_new_name(a, ctx, used) \
                and _written_as_name(pseg.latex) and not (conditional and isinstance(a, sp.Symbol)):
            if b is None and isinstance(cp, ReadError):
                # a definition the reader could not read: later uses of the name are not checkable
                nc.unread_definitions[_defined_name(a)] = seg.line
            if b is not None and not cp.sense and _define(nc, a, b):
                br.definitions.append({"line": seg.line, "name": pseg.latex, "value": seg.latex})
                continue
            if b is not None and cp.sense:  # \hat\theta = argmax ...: a label, nothing to check
                continue
        if k == 1 and rel == "=" and b is not None and cp.sense and not pp.sense \
                and isinstance(a, (sp.Symbol, AppliedUndef)):
            continue  # \hat\theta = argmax ...: a label for the optimiser, nothing to check
        defining = False
        if rel == ":=":
            continue
        if rel in _NOT_CLAIMS:
            sign = getattr(seg, "sign", "") or rel
            br.skipped.append({"line": seg.line, "relation": sign, "lhs": pseg.latex, "rhs": seg.latex,
                               "message": f"{sign} {_NOT_CLAIMS[rel]}"})
            continue  # the chain goes on: p \propto q \propto r = s checks r = s
        if rel in ("in", "->", "=>"):
            break  # a statement about a name, not a step
        sr = StepResult(index=index, relation=_REL_NAME.get(rel, rel), lhs=pseg.latex, rhs=seg.latex,
                        status=UNKNOWN, line=seg.line, why=getattr(seg, "remark", "") or "")
        index += 1
        br.steps.append(sr)
        try:
            _decide(sr, rel, pp, cp, a, b, nc, budget, deadline)
        except Exception as exc:  # noqa: BLE001 - every failure stays local to its step
            sr.status, sr.method = UNKNOWN, "error"
            sr.message = f"internal error while checking this step: {type(exc).__name__}: {exc}"
        if conditional and sr.status == REFUTED:
            # 2x + 3 = 7 \Rightarrow x = 2: an equation to solve, not an identity
            sr.status, sr.method = UNKNOWN, "condition"
            detail = sr.message.split(": ", 1)[-1] if sr.message.startswith("fails at") else sr.message
            sr.message = ("a condition in a chain of implications (⇒, ⇔), not an identity (as one it fails: "
                          + detail + "); the implication is not checked")
            sr.counterexample = None
        if on_step:
            on_step(sr)
    for x in bound:
        if x is not None:
            used.update(s.name for s in x.free_symbols if isinstance(s, sp.Symbol))
    return index


def _decide(sr: StepResult, rel: str, pp, cp, a, b, nc: NoteContext, budget: float, deadline: float | None) -> None:
    for p, seg_latex in ((pp, sr.lhs), (cp, sr.rhs)):
        if isinstance(p, ReadError):
            sr.status, sr.method = UNPARSED, "reader"
            sr.message = f"could not read {p.fragment!r}: {p.reason}"
            return
    if rel not in CHECKABLE and rel != "==":
        sr.method = "unsupported"
        sr.message = {"~": "an approximate relation is not checked", "!=": "a claim that two sides differ needs a witness"}.get(
            rel, f"the relation {rel} is not checked")
        return
    relation = _REL_NAME[rel]
    over: tuple = ()
    prev_sense = None
    if pp.sense or cp.sense:
        if not (pp.sense and cp.sense) or relation != "=":
            sr.method = "unsupported"
            sr.message = "compares an optimisation objective with a plain expression"
            return
        names = cp.over or pp.over
        if not names:
            sr.method = "unsupported"
            sr.message = "an argmin/argmax without its variables"
            return
        over = tuple(nc.over_object(n, [a, b]) for n in names)
        relation = ARGMIN if cp.sense == "min" else ARGMAX
        prev_sense = pp.sense
        sr.relation = relation
    unread = sorted(n for n in _names_used(a) | _names_used(b) if n in nc.unread_definitions)
    if unread:
        sr.method = "undefined"
        sr.message = ("uses " + ", ".join(f"{nc.notation.symbol(n)} (defined at line {nc.unread_definitions[n]} "
                                          "in a form that could not be read)" for n in unread))
        return
    undefined = _undefined_derivatives(a, nc) | _undefined_derivatives(b, nc)
    if undefined:
        sr.method = "undefined"
        sr.message = ("differentiates " + ", ".join(sorted(undefined)) + ", which the note does not define "
                      "(a derivative of an undefined name cannot be checked)")
        return
    free_kd = free_kronecker_indices(a) | free_kronecker_indices(b)
    if free_kd:
        sr.method = "undefined"
        sr.message = ("a Kronecker delta over " + ", ".join(sorted(free_kd)) + ", which no sum in the step binds "
                      "(its range and the entries it picks are not known)")
        return
    guarded = _guard_violations(a, nc) | _guard_violations(b, nc)
    if guarded:
        sr.method = "undefined"
        sr.message = ("uses " + ", ".join(sorted(guarded)) + " with other arguments than its definition "
                      "in the note, which does not say what it means then")
        return
    opaque = _opaque_difference(a, b, nc)
    if opaque:
        sr.method = "undefined"
        sr.message = (f"the step changes the arguments of {opaque}, which the note does not define; "
                      f"define it in a display equation to check this step")
        return
    left = budget
    if deadline is not None:
        left = min(budget, deadline - time.monotonic())
        if left <= 0:
            sr.method = "timeout"
            sr.message = "the total time limit of the run was reached (raise it with --max-total-time)"
            return
    cases = _cases_of(a) or _cases_of(b)
    problem = Problem(a, b, relation, nc.ctx, over=over, prev_sense=prev_sense,
                      cases=cases if cases and relation not in (ARGMIN, ARGMAX) else None)
    v = decide_step(problem, left)
    sr.status, sr.method, sr.message, sr.seconds = v.status, v.method, v.message, v.seconds
    sr.counterexample = nc.notation.counterexample(v.counterexample)
    if v.method == "timeout" and deadline is not None and left < budget:
        sr.message += " (the total time limit of the run was reached; raise it with --max-total-time)"


# ---------------------------------------------------------------------------------------
# paths and the command
# ---------------------------------------------------------------------------------------
def check_paths(paths: Iterable[str], *, assumptions: Sequence[str] = (), budget: float = DEFAULT_BUDGET,
                limits: Limits | None = None, on_step=None) -> CheckReport:
    """Check every note under the paths (raises InputError for unusable input)."""
    limits = limits or Limits()
    start = time.monotonic()
    deadline = start + limits.max_total_time
    files = note_files(paths)
    texts = [(f, read_note(f, limits.max_file_size)) for f in files]
    rep = CheckReport()
    for f, text in texts:
        rep.files.append(check_text(text, str(f), assumptions=assumptions, budget=budget,
                                    max_expr_size=limits.max_expr_size, deadline=deadline, on_step=on_step))
    rep.seconds = time.monotonic() - start
    return rep


def check_command(args) -> int:
    """`verify check PATH...` (called by verifier.cli)."""
    import json
    import sys

    from .cli import EXIT_FAIL, EXIT_OK, EXIT_USAGE, UsageError

    limits = Limits(max_file_size=getattr(args, "max_file_size", None) or DEFAULT_MAX_FILE_SIZE,
                    max_expr_size=getattr(args, "max_expr_size", None) or DEFAULT_MAX_EXPR_SIZE,
                    max_total_time=getattr(args, "max_total_time", None) or DEFAULT_MAX_TOTAL_TIME)
    fmt = getattr(args, "format", "rich")
    if fmt in ("github", "junit"):
        try:
            from . import ci_formats  # noqa: F401
        except ImportError:
            raise UsageError(f"--format {fmt} is not available in this build") from None
    try:
        probe = Reader()
        for a in args.assume:
            assumption(probe, a)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    try:
        from rich.console import Console

        from .progress import progress_bar

        bar_console = Console(file=sys.stderr)
        show = fmt == "rich" and sys.stdout.isatty() and bar_console.is_terminal
        with progress_bar(bar_console, show) as prog:
            task = prog.add_task("checking steps", total=None)
            report = check_paths(args.paths, assumptions=args.assume, budget=args.budget, limits=limits,
                                 on_step=lambda _s: prog.advance(task))
    except InputError as exc:
        print(f"verify: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    allow = (PROVED,) + tuple(s for s in getattr(args, "allow", []) if s in STATUSES)
    data = report.to_json()
    if fmt == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt == "github":
        from .ci_formats import github_annotations

        print(github_annotations(data, allow=allow))
    elif fmt == "junit":
        from .ci_formats import junit_xml

        xml = junit_xml(data, allow=allow)
        if getattr(args, "out", None):
            Path(args.out).write_text(xml, encoding="utf-8")
        else:
            print(xml)
    else:
        print_report(report, allow)
    return EXIT_OK if report.passed(allow) else EXIT_FAIL


_STYLE = {PROVED: "green", CHECKED: "yellow", REFUTED: "bold red", UNKNOWN: "magenta", UNPARSED: "red"}
_MARK = {PROVED: "✓", CHECKED: "≈", REFUTED: "✗", UNKNOWN: "?", UNPARSED: "!"}
_GLYPH = {"=": "=", "<=": "≤", ">=": "≥", "<": "<", ">": ">", "argmin-equivalent": "⇔ argmin",
          "argmax-equivalent": "⇔ argmax"}
MAX_SHOWN_LATEX = 400  # characters of one side shown in the terminal (folded, then cut)


def _cex_text(cex: dict[str, str]) -> str:
    point = ", ".join(f"{k} = {v}" for k, v in cex.items() if k not in ("lhs", "rhs"))
    sides = ", ".join(f"{k} = {cex[k]}" for k in ("lhs", "rhs") if k in cex)
    return "counterexample: " + point + (f"\n(there {sides})" if sides else "")


def _reason(s: StepResult) -> str:
    if s.status == PROVED:
        return s.method
    msg = s.message or s.method
    if s.counterexample:
        if msg.startswith("fails at a point inside the domains"):
            msg = ""  # the counterexample below says it, in the note's notation
        msg = (msg + "\n" if msg else "") + _cex_text(s.counterexample)
    return msg


def print_report(report: CheckReport, allow: Sequence[str] = (PROVED,)) -> None:
    from rich.markup import escape
    from rich.table import Table

    from .report import make_console

    console = make_console()
    for f in report.files:
        c = f.counts()
        steps = f.steps
        head = ", ".join(f"{v} {k}" for k, v in c.items() if v)
        console.print(f"[bold]{escape(f.path)}[/bold]: {len(f.blocks)} blocks, {len(steps)} steps"
                      + (f" ({head})" if head else ""))
        if steps:
            t = Table(show_lines=True, expand=False)
            t.add_column("line", justify="right", no_wrap=True)
            t.add_column("step (LaTeX of the note)", overflow="fold", ratio=3)
            t.add_column("status", no_wrap=True)
            t.add_column("reason / counterexample", overflow="fold", ratio=2)
            for s in steps:
                rel = _GLYPH.get(s.relation, s.relation)
                step = f"{escape(_shown(s.lhs))}\n[bold]{escape(rel)}[/bold] {escape(_shown(s.rhs))}"
                if s.why:
                    step += f"\n[dim]{escape(_shown(s.why))}[/dim]"
                t.add_row(str(s.line), step, f"[{_STYLE[s.status]}]{_MARK[s.status]} {s.status}[/]",
                          escape(_reason(s)[:800]))
            console.print(t)
        skipped = [k for b in f.blocks for k in b.skipped]
        if skipped:
            shown = ", ".join(f"line {k['line']} {k['relation']}" for k in skipped[:8])
            more = f" and {len(skipped) - 8} more" if len(skipped) > 8 else ""
            console.print(f"[dim]not checked (approximate, proportional or distribution statements): "
                          f"{escape(shown)}{more}[/dim]")
    c = report.counts()
    console.print("summary: " + ", ".join(f"{k} {v}" for k, v in c.items()) + f"  ({report.seconds:.1f}s)")
    if not report.passed(allow):
        console.print("[red]Some steps are not proved.[/red]")


def _shown(s: str, n: int = MAX_SHOWN_LATEX) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _short(s: str, n: int = 70) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"
