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
* ``\\underset{\\theta}{\\operatorname{argmin}}``, ``\\arg\\min_x``, ``\\min_x`` wrappers
  are returned as the objective's sense and variables;
* ``\\begin{cases}`` becomes a ``Piecewise``.

Nothing here calls ``sympify``/``eval``/``parse_expr`` on the user's text: the text
only ever reaches the ANTLR grammar of latex2sympy2_extended.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy as sp
from sympy.core.function import AppliedUndef

from .names import ACCENTS, GREEK, Notation, canonical, split_name

DEFAULT_MAX_EXPR_SIZE = 4000  # characters of one expression
MAX_DEPTH = 60  # nesting of braces and brackets

# names read as functions when followed by ( or [ even with a single argument
FUNCTION_NAMES = {"P", "Q", "p", "q", "f", "g", "h", "F", "G", "H", "I", "E", "L", "C", "D", "J",
                  "Pr", "KL", "sigma", "delta", "bbE", "softmax", "KL", "CE", "MSE", "D_KL", "R"}
PROBABILITY_NAMES = {"P", "Q", "p", "q", "Pr"}
_INDEX_SUBS = set("ijklmnt") | set("0123456789")
_BUILTINS = {"log", "ln", "exp", "sin", "cos", "tan", "sqrt", "frac", "left", "right", "sum", "prod",
             "int", "lim", "max", "min", "text", "mathrm", "operatorname", "begin", "end", "cdot",
             "times", "infty", "partial", "mathcal", "mathbb", "tanh", "sinh", "cosh", "arg", "det",
             "binom", "underset", "overset", "hat", "bar", "tilde", "vec", "dot"}


class ReadError(Exception):
    """The LaTeX could not be read; carries the fragment and the reason."""

    def __init__(self, fragment: str, reason: str) -> None:
        super().__init__(f"{reason}: {fragment}")
        self.fragment = fragment
        self.reason = reason

    def __reduce__(self):
        return (ReadError, (self.fragment, self.reason))


@dataclass
class Parsed:
    """An expression of a chain, possibly wrapped in argmin/argmax over variables."""

    expr: sp.Basic
    latex: str
    sense: str | None = None  # 'min' | 'max' for an optimisation objective
    over: tuple[str, ...] = ()  # names of the optimisation variables, as internal names
    calls: set[str] = field(default_factory=set)


# ---------------------------------------------------------------------------------------
# text normalisation
# ---------------------------------------------------------------------------------------
_SPACING = re.compile(r"(?<!\\)\\(?:displaystyle|textstyle|limits|nolimits|quad|qquad|[,;:! ]|Big[lr]?|big[lr]?|"
                      r"Bigg[lr]?|bigg[lr]?|middle)(?![A-Za-z])")
_WORD_FUNCS = {"log", "exp", "argmin", "argmax", "frac", "sqrt", "left", "right", "text", "cdot", "times",
               "prod", "infty", "partial", "begin", "end", "cases", "mathrm", "mathbf", "operatorname",
               "sigma", "theta", "alpha", "delta", "lambda", "mathcal", "mathbb", "boldsymbol", "prime"}
_ELLIPSIS = re.compile(r"\\(?:cdots|ldots|dots|vdots|ddots)(?![A-Za-z])|\.\.\.|……|…")
_TOKEN = r"(?:[A-Za-z]|\\[A-Za-z]+|\\text\{[A-Za-z]+\})"


def _brace_arg(s: str, i: int) -> tuple[str, int]:
    """The {...} group (or single token) starting at s[i]; returns (content, end index)."""
    while i < len(s) and s[i] == " ":
        i += 1
    if i >= len(s):
        raise ValueError("missing argument")
    if s[i] == "{":
        depth = 0
        for j in range(i, len(s)):
            if s[j] == "{" and (j == 0 or s[j - 1] != "\\"):
                depth += 1
            elif s[j] == "}" and s[j - 1] != "\\":
                depth -= 1
                if depth == 0:
                    return s[i + 1:j], j + 1
        raise ValueError("unbalanced braces")
    if s[i] == "\\":
        m = re.match(r"\\[A-Za-z]+", s[i:])
        if m:
            return m.group(0), i + len(m.group(0))
        return s[i:i + 2], i + 2
    return s[i], i + 1


def _name_of_token(tok: str) -> str | None:
    """A bare name for a simple token: 'y', '\\theta' -> 'theta', '\\text{yhat}' -> 'yhat'."""
    tok = tok.strip()
    while tok.startswith("{") and tok.endswith("}"):
        tok = tok[1:-1].strip()
    m = re.fullmatch(r"[A-Za-z]|\\([A-Za-z]+)|\\text\{([A-Za-z]+)\}", tok)
    if not m:
        return None
    if m.group(1):
        return m.group(1) if m.group(1) in GREEK else None
    return m.group(2) or tok


def _replace_accents(s: str, notation: Notation) -> str:
    pat = re.compile(r"\\(" + "|".join(ACCENTS) + r")(?![A-Za-z])")
    for _ in range(20):
        best = None
        for m in pat.finditer(s):
            try:
                arg, end = _brace_arg(s, m.end())
            except ValueError:
                raise ReadError(s, "an accent without its argument") from None
            name = _name_of_token(_strip_fonts(arg))
            if name is not None:
                best = (m.start(), end, name + ACCENTS[m.group(1)])
                break
        if best is None:
            if pat.search(s):
                m = pat.search(s)
                raise ReadError(s[m.start():m.start() + 40], "an accent over an expression is not supported")
            return s
        a, b, new = best
        s = s[:a] + "\\text{" + new + "}" + s[b:]
    return s


_FONTS = re.compile(r"\\(?:mathbf|boldsymbol|bm|mathit|mathrm|mathsf|textbf|textit|pmb)\s*\{(\\?[A-Za-z]+)\}")


def _strip_fonts(s: str) -> str:
    def font(m: re.Match) -> str:
        inner = m.group(1)
        if inner.startswith("\\") or len(inner) == 1:
            return inner
        return "\\text{" + inner + "}"

    return _FONTS.sub(font, s)


def normalise(latex: str, notation: Notation) -> str:
    s = latex
    if _ELLIPSIS.search(s):
        m = _ELLIPSIS.search(s)
        raise ReadError(s[max(0, m.start() - 20):m.end() + 20].strip(),
                        "an ellipsis (...) cannot be read as a definite expression")
    s = s.replace("\\left.", "").replace("\\right.", "")
    s = _SPACING.sub(" ", s)
    s = re.sub(r"\\[dt]frac(?![A-Za-z])", r"\\frac", s)
    s = re.sub(r"\\operatorname\*", r"\\operatorname", s)
    s = re.sub(r"\\(?:mid|vert|lvert|rvert)(?![A-Za-z])", "|", s)
    s = re.sub(r"\\(?:parallel|Vert|lVert|rVert)(?![A-Za-z])|\\\|", "|", s)
    s = s.replace("||", "|")
    s = re.sub(r"\\(?:Pr)(?![A-Za-z])", r"\\text{Pr}", s)
    s = re.sub(r"\\operatorname\s*\{\s*([A-Za-z]+)\s*\}", r"\\text{\1}", s)
    s = re.sub(r"\\mathcal\s*\{\s*([A-Za-z])\s*\}", r"\\text{cal\1}", s)
    s = re.sub(r"\\mathbb\s*\{\s*([A-Za-z])\s*\}", r"\\text{bb\1}", s)
    s = re.sub(r"\\mathcal\s*([A-Za-z])", r"\\text{cal\1}", s)
    s = _strip_fonts(s)
    s = _replace_accents(s, notation)
    s = re.sub(r"_\{\s*([A-Za-z])\s*'\s*\}|_([A-Za-z])'", lambda m: "_{" + (m.group(1) or m.group(2)) + "prime}", s)
    # a word of four or more letters is a name (softmax, loss), not a product of letters
    s = re.sub(r"(?<![\\A-Za-z{])([A-Za-z]{4,})(?![A-Za-z}])",
               lambda m: m.group(1) if m.group(1) in _WORD_FUNCS else "\\text{" + m.group(1) + "}", s)
    # primes: f', \sigma^{\prime}, \sigma '  ->  \text{fprime}
    s = re.sub(r"(?<![\\A-Za-z])(" + _TOKEN + r")\s*(?:'|\^\{\\prime\}|\^\\prime(?![A-Za-z]))",
               lambda m: "\\text{" + (_name_of_token(m.group(1)) or "X") + "prime}", s)
    if "'" in s or "\\prime" in s:
        raise ReadError(s, "a prime on an expression is not supported")
    s = re.sub(r"\\frac\s*(\d)\s*(\d)", r"\\frac{\1}{\2}", s)
    s = re.sub(r"\\frac\s*(\d)\s*\{", r"\\frac{\1}{", s)
    s = re.sub(r"(\\partial)\s*\{\s*(\\text\{[A-Za-z]+\}|[A-Za-z])\s*\}", r"\1 \2", s)
    # bare function words
    s = re.sub(r"(?<![\\A-Za-z])(?<!\\text\{)(log|ln|exp|min|max|argmin|argmax|lim)(?![A-Za-z])", r"\\\1", s)
    # natural log unless a base is written
    s = re.sub(r"\\log(?![A-Za-z_])", r"\\ln", s)
    s = re.sub(r"\\log\s*_\s*\{?\s*e\s*\}?(?![A-Za-z])", r"\\ln", s)
    # e^{x}_{1} means e^{x_1}
    s = re.sub(r"(?<![A-Za-z\\])e\^\{([A-Za-z])\}_\{?([A-Za-z0-9])\}?", r"e^{\1_{\2}}", s)
    # I is a name, not the imaginary unit
    s = re.sub(r"(?<![\\A-Za-z])(?<!\\text\{)I(?![A-Za-z])", r"\\text{I}", s)
    # trailing punctuation
    s = re.sub(r"[.,;]\s*$", "", s.strip())
    return s


# ---------------------------------------------------------------------------------------
# objectives
# ---------------------------------------------------------------------------------------
_ARG_OP = r"(?:\\text\{arg\s*(min|max)\}|\\arg\s*\\(min|max)|\\(argmin|argmax)|\\mathop\s*\{\s*\\arg\s*\\(min|max)\s*\})"


def _objective(s: str) -> tuple[str | None, list[str], str]:
    """Strip an argmin/argmax/min/max wrapper: (sense, variables LaTeX, body)."""
    t = s.strip()
    m = re.match(r"\\underset\s*", t)
    if m:
        try:
            var, end = _brace_arg(t, m.end())
            op, end2 = _brace_arg(t, end)
        except ValueError:
            raise ReadError(t[:60], "an \\underset without its arguments") from None
        om = re.fullmatch(r"\s*" + _ARG_OP + r"\s*|\s*\\(min|max)\s*", op)
        if om:
            kind = next(g for g in om.groups() if g)
            return _sense(kind), _split_vars(var), t[end2:]
        return None, [], s
    m = re.match(_ARG_OP + r"|\\(min|max)(?![A-Za-z])", t)
    if m:
        kind = next(g for g in m.groups() if g)
        rest = t[m.end():]
        var: list[str] = []
        if rest.lstrip().startswith("_"):
            try:
                v, end = _brace_arg(rest, rest.index("_") + 1)
            except ValueError:
                raise ReadError(t[:60], "a subscript without its argument") from None
            var, rest = _split_vars(v), rest[end:]
        return _sense(kind), var, rest
    return None, [], s


def _sense(kind: str) -> str:
    return "min" if "min" in kind else "max"


def _split_vars(v: str) -> list[str]:
    return [x.strip() for x in v.split(",") if x.strip()]


# ---------------------------------------------------------------------------------------
# function calls and cases (read here; the grammar cannot nest them)
# ---------------------------------------------------------------------------------------
_CALL_NAME = re.compile(
    r"(?<![\\A-Za-z0-9^_])(\\text\{[A-Za-z]+\}|\\[A-Za-z]+|[A-Za-z])"
    r"(\s*_\s*(?:\{[^{}]*\}|\\text\{[^{}]*\}|[A-Za-z0-9]))?\s*(\\left\s*)?([(\[])")
_CLOSE = {"(": ")", "[": "]"}


def _matching(s: str, i: int) -> int:
    """Index of the bracket closing s[i] (counting both kinds and braces)."""
    depth = 0
    j = i
    while j < len(s):
        c = s[j]
        if c == "\\" and j + 1 < len(s) and s[j + 1] in "{}":
            j += 2
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return -1


def _split_args(s: str) -> list[str]:
    out, depth, start = [], 0, 0
    for j, c in enumerate(s):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c in ",|;" and depth == 0:
            out.append(s[start:j])
            start = j + 1
    out.append(s[start:])
    return [a.strip() for a in out]


def _code(k: int) -> str:
    letters = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        letters = chr(97 + r) + letters
    return letters


class _Raw:
    """Recursive reading of one expression into raw SymPy (names not yet resolved)."""

    def __init__(self, functions: set[str], depth: int = 0) -> None:
        self.functions = functions
        self.placeholders: dict[str, sp.Basic] = {}
        self.depth = depth
        self.calls: set[str] = set()

    def _placeholder(self, obj: sp.Basic) -> str:
        name = "Zq" + _code(len(self.placeholders) + 1000 * self.depth)
        self.placeholders[name] = obj
        return "\\text{" + name + "}"

    def _is_call(self, name: str, sub: str, inside: str) -> bool:
        base = split_name(name)[0]
        if base in _BUILTINS:
            return False
        if sub and sub in _INDEX_SUBS:
            return False
        if len(_split_args(inside)) > 1:
            return True
        return base in FUNCTION_NAMES or canonical(name) in self.functions or base.endswith("prime")

    def calls_and_cases(self, s: str) -> str:
        if self.depth > MAX_DEPTH:
            raise ReadError(s[:60], "expression nested too deeply")
        s = self._cases(s)
        s = self._partials(s)
        pos = 0
        while True:
            m = _CALL_NAME.search(s, pos)
            if not m:
                return s
            raw_name, sub = m.group(1), (m.group(2) or "")
            name_txt = raw_name
            inner = re.fullmatch(r"\\text\{([A-Za-z]+)\}", raw_name)
            if inner:
                name_txt = inner.group(1)
            elif raw_name.startswith("\\"):
                name_txt = raw_name[1:]
            open_at = m.end() - 1
            close_at = _matching(s, open_at)
            if close_at == -1:
                raise ReadError(s[m.start():m.start() + 60], "unbalanced brackets")
            inside = s[open_at + 1:close_at]
            if inside.rstrip().endswith("\\right"):
                inside = inside.rstrip()[:-len("\\right")]
            sub_clean = split_name("x" + re.sub(r"\s", "", sub))[1] if sub else ""
            if not self._is_call(name_txt, sub_clean, inside) or (name_txt in GREEK and name_txt not in
                                                                   ("sigma", "delta", "phi", "psi", "pi")
                                                                   and canonical(name_txt) not in self.functions):
                pos = m.start() + 1
                continue
            if name_txt == "pi":
                pos = m.start() + 1
                continue
            args = []
            for a in _split_args(inside):
                a = re.sub(r"^[A-Za-z]\s*=(?!=)", "", a).strip()  # Y=y_i -> y_i (the event's value)
                if not a:
                    raise ReadError(s[m.start():close_at + 1], "an empty argument")
                sub_reader = _Raw(self.functions, self.depth + 1)
                args.append(sub_reader.expr(a))
                self.calls |= sub_reader.calls
            fname = canonical(name_txt + ("_" + sub_clean if sub_clean else ""))
            self.calls.add(fname)
            if fname == "delta" and len(args) == 1:
                obj = sp.DiracDelta(args[0])
            else:
                obj = sp.Function(fname)(*args)
            s = s[:m.start()] + self._placeholder(obj) + s[close_at + 1:]
            pos = m.start()

    def _partials(self, s: str) -> str:
        """\\frac{\\partial A}{\\partial B} -> the derivative of A with respect to the name B."""
        pat = re.compile(r"\\frac\s*\{\s*\\partial\s*([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}\s*"
                         r"\{\s*\\partial\s*([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}")
        while True:
            m = pat.search(s)
            if not m:
                return s
            num, var = m.group(1).strip(), m.group(2).strip()
            if not num:
                raise ReadError(m.group(0), "a derivative operator without its expression is not supported")
            v = self._sub(var)
            if not isinstance(v, sp.Symbol):
                raise ReadError(m.group(0), "a derivative with respect to an expression")
            s = s[:m.start()] + self._placeholder(sp.Derivative(self._sub(num), v)) + s[m.end():]

    def _cases(self, s: str) -> str:
        while True:
            a = s.find("\\begin{cases}")
            if a == -1:
                return s
            b = s.find("\\end{cases}", a)
            if b == -1:
                raise ReadError(s[a:a + 60], "\\begin{cases} without \\end{cases}")
            body = s[a + len("\\begin{cases}"):b]
            pieces = []
            for row in re.split(r"\\\\", body):
                if not row.strip():
                    continue
                if "&" in row:
                    val, cond = row.split("&", 1)
                else:
                    m = re.match(r"(.*?)(\\text\{.*|,.*)$", row)
                    val, cond = (m.group(1), m.group(2)) if m else (row, "")
                pieces.append((self._sub(val), self._condition(cond)))
            s = s[:a] + self._placeholder(sp.Piecewise(*pieces)) + s[b + len("\\end{cases}"):]

    def _sub(self, text: str) -> sp.Basic:
        r = _Raw(self.functions, self.depth + 1)
        e = r.expr(text)
        self.calls |= r.calls
        return e

    def _condition(self, cond: str) -> sp.Basic:
        from .blocks import split_relations

        c = re.sub(r"\\text\{\s*(if|for|when|where)\s*\}|^\s*,|\b(if|for|when)\b", " ", cond).strip()
        c = c.strip(" ,")
        if not c or re.fullmatch(r"\\text\{\s*(else|otherwise)\s*\}|else|otherwise", c):
            return sp.true
        parts = split_relations(c)
        if len(parts) != 2:
            raise ReadError(cond, "a case condition that is not one relation")
        (_, lhs), (rel, rhs) = parts
        a, b = self._sub(lhs), self._sub(rhs)
        ops = {"=": sp.Eq, "!=": sp.Ne, "<": sp.Lt, ">": sp.Gt, "<=": sp.Le, ">=": sp.Ge}
        if rel not in ops:
            raise ReadError(cond, "a case condition that is not one relation")
        return ops[rel](a, b)

    def expr(self, s: str) -> sp.Basic:
        s = self.calls_and_cases(s)
        e = _grammar(s)
        if self.placeholders:
            e = e.xreplace({sp.Symbol(k): v for k, v in self.placeholders.items()})
            leftover = {str(x) for x in e.free_symbols if str(x).startswith("Zq")}
            if leftover or e.has(*[sp.Function("\\text{" + k + "}") for k in self.placeholders]):
                raise ReadError(s, "a function call was misread")
        return e


def _grammar(s: str) -> sp.Basic:
    from latex2sympy2_extended.latex2sympy2 import ConversionConfig, latex2sympy
    from latex2sympy2_extended.math_normalization import NormalizationConfig

    if not s.strip():
        raise ReadError(s, "an empty expression")
    cc = ConversionConfig(lowercase_symbols=False, interpret_contains_as_eq=False,
                          interpret_as_mixed_fractions=False)
    nc = NormalizationConfig(basic_latex=True, units=False, malformed_operators=False, nits=False,
                             boxed="none", equations=False)
    try:
        e = latex2sympy(s, normalization_config=nc, conversion_config=cc)
    except RecursionError:
        raise ReadError(s[:80], "expression nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - the grammar raises bare Exceptions
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ReadError(s.strip(), f"the LaTeX parser rejected it ({msg})") from None
    if not isinstance(e, sp.Expr) or isinstance(e, sp.core.relational.Relational):
        raise ReadError(s.strip(), "not a single expression")
    return e


# ---------------------------------------------------------------------------------------
# post-processing: names, indexed data, derivatives
# ---------------------------------------------------------------------------------------
def _fn_name(f) -> str:
    return canonical(str(getattr(f, "__name__", str(f))))


def resolve(e: sp.Basic, notation: Notation, bound: frozenset = frozenset()) -> sp.Basic:
    """Raw parse -> canonical names; x_i under a sum over i -> x[i]; primes -> derivatives."""
    if isinstance(e, sp.Symbol):
        base, sub = split_name(e.name)
        if sub and sub in bound and base:
            return sp.Indexed(sp.IndexedBase(sp.Symbol(base)), sp.Symbol(sub))
        return sp.Symbol(canonical(e.name)) if e.name not in ("+", "-") else e
    if isinstance(e, (sp.Sum, sp.Product)):
        limits = []
        inner = bound
        for lim in e.limits:
            var = sp.Symbol(canonical(lim[0].name))
            rest = [resolve(x, notation, inner) for x in lim[1:]]
            inner = inner | {var.name}
            limits.append((var, *rest))
        body = resolve(e.function, notation, inner)
        body = body.xreplace({sp.Symbol(lim[0].name): l[0] for lim, l in zip(e.limits, limits)})
        return e.func(body, *limits)
    if isinstance(e, AppliedUndef):
        name = _fn_name(e.func)
        args = [resolve(a, notation, bound) for a in e.args]
        base, sub = split_name(name)
        if base.endswith("prime") and len(args) == 1 and len(base) > 5:
            f = sp.Function(canonical(base[:-5] + ("_" + sub if sub else "")))
            a = args[0]
            if isinstance(a, sp.Symbol):
                return sp.Derivative(f(a), a)
            t = sp.Dummy("t")
            return sp.Subs(sp.Derivative(f(t), t), t, a)
        if (base in PROBABILITY_NAMES and len(args) == 1 and isinstance(args[0], sp.Indexed)
                and len(args[0].indices) == 1 and str(args[0].indices[0]) in bound):
            arg = args[0]
            idx = arg.indices[0]
            notation.entry_templates.setdefault(name, f"{notation.symbol(name)}({notation.symbol(str(arg.base))}_{{%s}})")
            return sp.Indexed(sp.IndexedBase(sp.Symbol(name)), idx)
        return sp.Function(name)(*args)
    if isinstance(e, sp.log) and len(e.args) == 2:
        a, b = (resolve(x, notation, bound) for x in e.args)
        return sp.log(a) if b == sp.E else sp.log(a) / sp.log(b)
    if isinstance(e, (sp.Integral, sp.Derivative)):
        return e.func(*[resolve(a, notation, bound) for a in e.args])
    if not e.args:
        if e == sp.I:
            raise ReadError("I", "the imaginary unit is not supported")
        return e
    new = [resolve(a, notation, bound) for a in e.args]
    try:
        return e.func(*new)
    except Exception as exc:  # noqa: BLE001
        raise ReadError(str(e)[:60], f"could not rebuild the expression ({type(exc).__name__})") from None


def expr_size(e: sp.Basic) -> int:
    return sum(1 for _ in sp.preorder_traversal(e))


class Reader:
    """Reads LaTeX fragments of one note (the notation is shared across the note)."""

    def __init__(self, notation: Notation | None = None, functions: set[str] | None = None,
                 max_expr_size: int = DEFAULT_MAX_EXPR_SIZE) -> None:
        self.notation = notation or Notation()
        self.functions = set(functions or ())
        self.max_expr_size = max_expr_size

    def read(self, latex: str) -> Parsed:
        text = latex.strip()
        if len(text) > self.max_expr_size:
            raise ReadError(text[:60] + "...", f"expression too large ({len(text)} characters > limit "
                                               f"{self.max_expr_size}; raise it with --max-expr-size)")
        if _depth(text) > MAX_DEPTH:
            raise ReadError(text[:60] + "...", f"expression nested too deeply (more than {MAX_DEPTH} levels)")
        if re.search(r"\d{60,}", text):
            raise ReadError(text[:60], "a number with more than 60 digits")
        s = normalise(text, self.notation)
        sense, over_tex, body = _objective(s)
        raw = _Raw(self.functions)
        e = raw.expr(body)
        e = resolve(e, self.notation)
        if expr_size(e) > self.max_expr_size:
            raise ReadError(text[:60], f"expression too large ({expr_size(e)} nodes; raise with --max-expr-size)")
        over: list[str] = []
        for v in over_tex:
            name = _name_of_token(_strip_fonts(v)) if not v.startswith("\\text{") else v[6:-1]
            if name is None:
                name = canonical(v)
            over.append(canonical(name))
        return Parsed(e, latex, sense, tuple(over), raw.calls)


def _depth(s: str) -> int:
    d = best = 0
    for c in s:
        if c in "{([":
            d += 1
            best = max(best, d)
        elif c in "})]":
            d -= 1
    return best


def function_names_of(text: str) -> set[str]:
    """Names the note applies to argument lists with commas or bars (so they are functions)."""
    out = set()
    for m in re.finditer(r"(?<![\\A-Za-z])([A-Za-z])(_\{?[A-Za-z']+\}?)?\s*\(([^()]*[,|][^()]*)\)", text):
        out.add(canonical(m.group(1) + (m.group(2) or "").replace("'", "prime")))
    return out
