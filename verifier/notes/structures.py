"""Structures the grammar cannot nest, read by hand: function calls, cases, evaluation bars,
integrals, derivatives, max/min; each replaced by a placeholder the grammar reads as a symbol."""
from __future__ import annotations

import re

import sympy as sp

from verifier.notes.normalise import MARK
from verifier.notes.notation import ACCENTS, GREEK, canonical, split_name
from verifier.notes.objectives import (
    CALL_NAME,
    DERIV_TOP,
    code,
    differential,
    leibniz_denominator,
)
from verifier.notes.scan import (
    BUILTINS,
    FUNCTION_NAMES,
    INDEX_SUBS,
    MAX_DEPTH,
    PROBABILITY_NAMES,
    ReadError,
    brace_arg,
    matching,
    matching_escaped_brace,
    operand_at,
    split_args,
    split_top_level,
)


def _evaluate_at(body: sp.Basic, olds: list, news: list) -> sp.Basic:
    """body at olds = news, the values put in at once. A body that differentiates by one of the variables
    (\\left.\\frac{d}{dx} f\\right|_{x=0}) is refused: its names may be defined later in the note, so the
    derivative cannot be taken here, and the checker does not evaluate such a substitution."""
    if any(v in d.variables for d in body.atoms(sp.Derivative) for v in olds):
        raise ReadError(str(body)[:60], "an evaluation bar on a derivative by the same variable is not "
                        "supported (write f'(a))")
    return body.xreplace(dict(zip(olds, news)))



def _bare_in(name: str, text: str) -> bool:
    """Does text use name as a plain number (p in 1-p; not p(x), not \\hat{p}, not p_1)?"""
    tok = re.escape("\\" + name) if name in GREEK else re.escape(name)
    return re.search(r"(?<![\\A-Za-z{])" + tok + r"(?![A-Za-z_(\[])(?!\s*(?:\\left\s*)?[(\[])", text) is not None



class Raw:
    """Recursive reading of one expression into raw SymPy (names not yet resolved)."""

    def __init__(self, functions: set[str], depth: int = 0, placeholders: dict | None = None) -> None:
        self.functions = functions
        # shared with the readers of sub-expressions, so a placeholder made at one level and read at
        # another is still replaced
        self.placeholders: dict[str, sp.Basic] = {} if placeholders is None else placeholders
        self.depth = depth
        self.calls: set[str] = set()

    def _placeholder(self, obj: sp.Basic) -> str:
        name = "Zq" + code(len(self.placeholders))
        self.placeholders[name] = obj
        return "\\text{" + name + "}"

    def _is_call(self, name: str, sub: str, inside: str) -> bool:
        base = split_name(name)[0]
        if base in BUILTINS:
            return False
        if sub and sub in INDEX_SUBS:
            return False
        if len(split_args(inside)) > 1:
            return True
        if _bare_in(name, inside) and not base.endswith("prime"):
            return False  # p(1-p), a(a+1): a name applied to an expression of itself is a number times a bracket
        if canonical(name) in self.functions or base.endswith("prime"):
            return True
        if (re.fullmatch(r"[A-Za-z]{2,}", base) and base not in GREEK and base not in BUILTINS
                and not base.startswith(("Zq", MARK)) and not base.endswith(tuple(set(ACCENTS.values())))):
            return True  # a word applied to brackets, \operatorname{Var}(X), \mathrm{softmax}(z), is an operator
        return base in FUNCTION_NAMES

    def calls_and_cases(self, s: str) -> str:
        if self.depth > MAX_DEPTH:
            raise ReadError(s[:60], "expression nested too deeply")
        s = self._cases(s)
        s = self._evaluations(s)
        s = self._integrals(s)
        s = self._derivatives(s)
        s = self._max_min(s)
        pos = 0
        while True:
            m = CALL_NAME.search(s, pos)
            if not m:
                return s
            raw_name, sub = m.group(1), (m.group(2) or "")
            name_txt = raw_name
            inner = re.fullmatch(r"\\text\{([A-Za-z]+)\}", raw_name)
            if inner:
                name_txt = inner.group(1)
                if name_txt.startswith(MARK):
                    name_txt = name_txt[len(MARK):]
            elif raw_name.startswith("\\"):
                name_txt = raw_name[1:]
            open_at = m.end() - 1
            close_at = matching(s, open_at)
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
            for a in split_args(inside):
                if re.match(r"^[A-Za-z]\s*=(?!=)", a) and split_name(canonical(name_txt))[0] not in PROBABILITY_NAMES:
                    raise ReadError(s[m.start():close_at + 1], "an event as the argument of a function that is not "
                                    "a probability (an indicator, \\mathbb{I}(y = 1)?) is not read")
                a = re.sub(r"^[A-Za-z]\s*=(?!=)", "", a).strip()  # P(Y=y_i) -> P(y_i) (the event's value)
                if not a:
                    raise ReadError(s[m.start():close_at + 1], "an empty argument")
                args.append(self._sub(a))
            fname = canonical(name_txt + ("_" + sub_clean if sub_clean else ""))
            self.calls.add(fname)
            if fname == "delta" and len(args) == 1:
                obj = sp.DiracDelta(args[0])
            else:
                obj = sp.Function(fname)(*args)
            s = s[:m.start()] + self._placeholder(obj) + s[close_at + 1:]
            pos = m.start()

    # -- evaluation bars: \evalat{BODY}{x=a, y=b} from \left. BODY \right|_{x=a, y=b} -------------
    def _evaluations(self, s: str) -> str:
        from verifier.notes.relations import split_relations

        while True:
            m = re.search(r"\\evalat(?![A-Za-z])", s)
            if not m:
                return s
            body, j = brace_arg(s, m.end())
            cond, end = brace_arg(s, j)
            olds, news = [], []
            for part in split_args(cond):
                parts = split_relations(part)
                if len(parts) != 2 or parts[1][0] != "=":
                    raise ReadError(cond, "an evaluation bar whose subscript is not x = a")
                var = self._sub(parts[0][1])
                if not isinstance(var, sp.Symbol) or var in olds:
                    raise ReadError(cond, "an evaluation bar at something that is not a variable")
                olds.append(var)
                news.append(self._sub(parts[1][1]))
            try:
                obj = _evaluate_at(self._sub(body), olds, news)
            except ReadError as exc:
                raise ReadError(f"\\left.{body}\\right|_{{{cond}}}", exc.reason) from None
            s = s[:m.start()] + " " + self._placeholder(obj) + " " + s[end:]

    # -- integrals: each \int ends at its own differential ------------------------------------
    def _integrals(self, s: str) -> str:
        r"""\int_a^b BODY dx -> Integral(BODY, (x, a, b)); nested integrals end at their own
        differentials (\int\int f\,dx\,dy), and \int A\,dy - \int B\,dy are two integrals."""
        if re.search(r"\\(?:iint|iiint|oint)(?![A-Za-z])", s):
            m = re.search(r"\\(?:iint|iiint|oint)(?![A-Za-z])", s)
            raise ReadError(s[m.start():m.start() + 40], "multiple and contour integrals are not supported")
        while True:
            m = re.search(r"\\int(?![A-Za-z])", s)
            if not m:
                return s
            j = m.end()
            lo = hi = None
            for _ in range(2):
                k = j
                while k < len(s) and s[k] == " ":
                    k += 1
                if k < len(s) and s[k] in "_^":
                    try:
                        arg, j = brace_arg(s, k + 1)
                    except ValueError:
                        raise ReadError(s[m.start():m.start() + 40], "an integral limit without its value") from None
                    if s[k] == "_":
                        lo = arg
                    else:
                        hi = arg
            if (lo is None) != (hi is None):
                raise ReadError(s[m.start():m.start() + 40], "an integral with only one limit")
            d_at, var_tex, end = differential(s, j)
            if d_at is None:
                raise ReadError(s[m.start():m.start() + 60], "an integral without its differential (dx)")
            body = s[j:d_at].strip()
            if not body:
                raise ReadError(s[m.start():end], "a differential before the integrand is not supported "
                                "(write \\int f(x)\\,dx)")
            var = self._sub(var_tex)
            if not isinstance(var, sp.Symbol):
                raise ReadError(s[m.start():end], "an integral over something that is not a variable")
            integrand = self._sub(body)
            if lo is not None:
                obj = sp.Integral(integrand, (var, self._sub(lo), self._sub(hi)))
            else:
                obj = sp.Integral(integrand, var)
            s = s[:m.start()] + " " + self._placeholder(obj) + " " + s[end:]

    # -- derivatives in Leibniz notation -----------------------------------------------------
    def _derivatives(self, s: str) -> str:
        r"""\frac{d^2 y}{dx^2}, \frac{\partial^2 f}{\partial x \partial y}, \frac{d}{dt}(...),
        \frac{\partial}{\partial w} f(w): derivatives, whatever the order (never products of d's)."""
        pos = 0
        while True:
            m = re.compile(r"\\frac(?![A-Za-z])").search(s, pos)
            if not m:
                return s
            try:
                num, j = brace_arg(s, m.end())
                den, end = brace_arg(s, j)
            except ValueError:
                raise ReadError(s[m.start():m.start() + 40], "a \\frac without its two arguments") from None
            top = DERIV_TOP.fullmatch(num.strip())
            bottom = leibniz_denominator(den.strip())
            if not top or bottom is None or (top.group(1) == "d") != (bottom[0] == "d"):
                if top and top.group(1) != "d" and bottom is None:
                    raise ReadError(s[m.start():end], "a partial derivative whose denominator is not read "
                                    "(write \\partial x, \\partial x^2 or \\partial x \\partial y)")
                pos = m.end()
                continue
            order = int(top.group(2) or top.group(3) or 1)
            variables = bottom[1]
            # \frac{\partial J}{\partial \sigma^2}: first order, with respect to the square (the variance)
            square = order == 1 and len(variables) == 1 and variables[0][1] == 2
            if square:
                variables = [(variables[0][0], 1)]
            if order != sum(k for _, k in variables):
                raise ReadError(s[m.start():end], "the orders in the numerator and the denominator of the "
                                "derivative differ")
            wrt = []
            for v_tex, k in variables:
                v = self._sub(v_tex)
                if not isinstance(v, sp.Symbol):
                    raise ReadError(s[m.start():end], "a derivative with respect to an expression")
                wrt.append((v, k))
            what = top.group(4).strip()
            if what:
                operand, stop = what, end
            else:
                operand, stop = operand_at(s, end)
                if not operand.strip():
                    raise ReadError(s[m.start():m.start() + 60], "a derivative operator without its expression")
            obj = sp.Derivative(self._sub(operand), *wrt)
            if square:  # d f / d(v^2) = (d f / d v) / (2 v), the chain rule through u = v^2
                obj = sp.Mul(obj, sp.Pow(2 * wrt[0][0], -1, evaluate=False), evaluate=False)
            s = s[:m.start()] + " " + self._placeholder(obj) + " " + s[stop:]
            pos = m.start()

    # -- max(a, b), min(a, b) --------------------------------------------------------------------
    def _max_min(self, s: str) -> str:
        pat = re.compile(r"\\(max|min|sup|inf)(?![A-Za-z])")
        while True:
            m = pat.search(s)
            if not m:
                return s
            k = m.end()
            rest = s[k:]
            lead = re.match(r"\s*(?:\\left\s*)?(\(|\[|\\\{)", rest)
            if not lead:
                raise ReadError(s[m.start():m.start() + 40], "a maximum or minimum over a set or of an unbracketed "
                                "expression is not supported (write \\max(a, b))")
            open_at = k + lead.end() - 1
            if lead.group(1) == "\\{":
                close_at = matching_escaped_brace(s, open_at)
            else:
                close_at = matching(s, open_at)
            if close_at == -1:
                raise ReadError(s[m.start():m.start() + 60], "unbalanced brackets")
            inside = s[open_at + 1:close_at - 1 if lead.group(1) == "\\{" else close_at]
            inside = re.sub(r"\\right\s*\\?$", "", inside.rstrip())
            if m.group(1) in ("sup", "inf"):
                raise ReadError(s[m.start():close_at + 1], "a supremum or infimum is not supported")
            # a bar is a condition (max(x | y)) unless the bars pair up as absolute values (max(|z| - l, 0))
            parts = (split_args(inside) if "|" not in inside else split_top_level(inside, ",")) \
                if inside.count("|") % 2 == 0 and ";" not in inside else None
            if parts is None:
                raise ReadError(s[m.start():close_at + 1], "a maximum or minimum with a condition is not supported")
            if any(not p for p in parts):
                raise ReadError(s[m.start():close_at + 1], "an empty argument")
            args = [self._sub(p) for p in parts]
            obj = (sp.Max if m.group(1) == "max" else sp.Min)(*args, evaluate=False) if len(args) > 1 else args[0]
            s = s[:m.start()] + " " + self._placeholder(obj) + " " + s[close_at + 1:]

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
                pieces.append((self._sub(val.strip().rstrip(",;").strip()), self._condition(cond)))  # "z - l, & z > l"
            s = s[:a] + self._placeholder(sp.Piecewise(*pieces)) + s[b + len("\\end{cases}"):]

    def _sub(self, text: str) -> sp.Basic:
        r = Raw(self.functions, self.depth + 1, self.placeholders)
        e = r.expr(text)
        self.calls |= r.calls
        return e

    def _condition(self, cond: str) -> sp.Basic:
        from verifier.notes.relations import split_relations

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
        e = grammar(s)
        if self.placeholders:
            e = e.xreplace({sp.Symbol(k): v for k, v in self.placeholders.items()})
            leftover = {str(x) for x in e.free_symbols if str(x).startswith("Zq")}
            if leftover or e.has(*[sp.Function("\\text{" + k + "}") for k in self.placeholders]):
                raise ReadError(s, "a function call was misread")
        return e



def grammar(s: str) -> sp.Basic:
    """The SymPy expression of one normalised LaTeX expression (latex2sympy2_extended's grammar), or
    ReadError.  A pure function of the text: a worker remembers the last few thousand answers, so a
    row that chains repeat (the previous right side, a sub-expression read again) is parsed once."""
    hit = _GRAMMAR.get(s)
    if hit is None:
        try:
            hit = _grammar(s)
        except ReadError as exc:
            hit = exc
        if len(_GRAMMAR) > 4000:
            _GRAMMAR.clear()
        _GRAMMAR[s] = hit
    if isinstance(hit, ReadError):
        raise ReadError(hit.fragment, hit.reason)
    return hit


_GRAMMAR: dict = {}


def load_grammar() -> None:
    """Import the LaTeX grammar now (its parser tables are built at import): workers forked after
    this share it instead of each importing it again."""
    import latex2sympy2_extended.latex2sympy2  # noqa: F401


def _grammar(s: str) -> sp.Basic:
    from latex2sympy2_extended.latex2sympy2 import ConversionConfig
    from latex2sympy2_extended.math_normalization import NormalizationConfig

    from verifier.notes.latex_grammar import latex_to_sympy

    if not s.strip():
        raise ReadError(s, "an empty expression")
    cc = ConversionConfig(lowercase_symbols=False, interpret_contains_as_eq=False,
                          interpret_as_mixed_fractions=False)
    nc = NormalizationConfig(basic_latex=True, units=False, malformed_operators=False, nits=False,
                             boxed="none", equations=False)
    try:
        e = latex_to_sympy(s, nc, cc)
    except RecursionError:
        raise ReadError(s[:80], "expression nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - the grammar raises bare Exceptions
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ReadError(s.strip(), f"the LaTeX parser rejected it ({msg})") from None
    if not isinstance(e, sp.Expr) or isinstance(e, sp.core.relational.Relational):
        raise ReadError(s.strip(), "not a single expression")
    return e

