"""LaTeX of expressions as a person would write them.

The printer is SymPy's with the notation of ML notes: ``\\log x`` (natural log),
``\\log_2 x`` where SymPy holds ``log(x)/log(2)``, ``y_{i}`` for indexed data,
``\\hat{y}`` for a symbol named ``yhat``, ``\\sigma'(z)`` and
``\\frac{\\partial L}{\\partial w}`` for derivatives, ``\\frac{1}{n} \\sum ...``
rather than a sum over a fraction bar, and ``y - f`` rather than ``- f + y``.

Everything produced here renders with pdflatex (amsmath, amssymb), KaTeX in strict
mode and MathJax.
"""
from __future__ import annotations

import re

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter

from verifier.model.matrix_latex import MatrixLatexMixin

_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta",
          "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "varrho", "sigma", "varsigma", "tau",
          "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi",
          "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega", "ell"}
_ACCENTS = {"hat": "hat", "bar": "bar", "tilde": "tilde", "dot": "dot", "vec": "vec"}
_OPERATOR_NAMES = {"Pr": r"\Pr", "det": r"\det", "exp": r"\exp", "max": r"\max", "min": r"\min"}


# ----------------------------------------------------------------------------------------
# names
# ----------------------------------------------------------------------------------------
def _sub_latex(sub: str) -> str:
    parts = [p for p in sub.split("_") if p]
    out = []
    for p in parts:
        if p in _GREEK:
            out.append("\\" + p)
        elif len(p) == 1 or p.isdigit():
            out.append(p)
        else:
            out.append(r"\mathrm{" + p + "}")
    return ",".join(out)


def symbol_latex(name: str) -> str:
    """'yhat' -> \\hat{y}, 'sigma' -> \\sigma, 'y_i' -> y_{i}, 'L_mse' -> L_{\\mathrm{mse}}, 'x1' -> x_{1}."""
    if not name:
        return name
    if "\\" in name or "{" in name:  # already LaTeX (a name made by a LaTeX reader)
        m = re.match(r"(hat|bar|tilde|dot|vec|mathrm|text|mathbf|operatorname)\{", name)
        return "\\" + name if m else name
    m = re.fullmatch(r"([A-Za-z]+?)_?(hat|bar|tilde)", name)
    if m and (m.group(1) in _GREEK or len(m.group(1)) == 1 or "_" in name):
        return "\\" + _ACCENTS[m.group(2)] + "{" + symbol_latex(m.group(1)) + "}"
    if "_" in name:
        head, sub = name.split("_", 1)
        if not head:
            return r"\mathrm{" + name.replace("_", r"\_") + "}"
        return symbol_latex(head) + "_{" + _sub_latex(sub) + "}"
    m = re.fullmatch(r"([A-Za-z]+?)(\d+)", name)
    if m:
        return symbol_latex(m.group(1)) + "_{" + m.group(2) + "}"
    if name in _GREEK:
        return "\\" + name
    if name == "lamda":
        return r"\lambda"
    if len(name) == 1:
        return name
    return r"\mathrm{" + name + "}"


def function_name_latex(name: str) -> str:
    """Name of an applied function: single letters and Greek as symbols, words as operators."""
    if name in _OPERATOR_NAMES:
        return _OPERATOR_NAMES[name]
    tex = symbol_latex(name)
    if tex.startswith(r"\mathrm{") and "_" not in name:
        return r"\operatorname{" + name + "}"
    return tex


# ----------------------------------------------------------------------------------------
# display rewrites: log(x)/log(2) -> log_2 x
# ----------------------------------------------------------------------------------------


class _LogBase(sp.Function):
    """log_b(u), for display only (SymPy itself holds log(u)/log(b))."""

    nargs = 2


def _log_base_of(factor: sp.Basic):
    """b if factor is 1/log(b) for a positive rational b != 1, else None."""
    if (isinstance(factor, sp.Pow) and factor.exp == -1 and isinstance(factor.base, sp.log)
            and len(factor.base.args) == 1 and factor.base.args[0].is_Rational
            and factor.base.args[0].is_positive and factor.base.args[0] != 1):
        return factor.base.args[0]
    return None


def _push_base(e: sp.Basic, b: sp.Basic):
    """e / log(b) with the division absorbed by logs in e (log u / log b = log_b u), or None."""
    if isinstance(e, sp.log) and len(e.args) == 1:
        return _LogBase(e.args[0], b)
    if isinstance(e, sp.Sum):
        inner = _push_base(e.function, b)
        return None if inner is None else sp.Sum(inner, *e.limits)
    if isinstance(e, sp.Add):
        terms = [_push_base(t, b) for t in e.args]
        return None if any(t is None for t in terms) else sp.Add(*terms, evaluate=False)
    if isinstance(e, sp.Mul):
        args = list(e.args)
        for k, a in enumerate(args):
            if a.has(sp.log):
                pushed = _push_base(a, b)
                if pushed is None:
                    return None
                args[k] = pushed
                return sp.Mul(*args, evaluate=False)
        return None
    return None


def _display_form(expr: sp.Basic) -> sp.Basic:
    """The expression with divisions by log(b) turned into log_b (display only)."""
    if not isinstance(expr, sp.Basic) or not expr.args or not expr.has(sp.log):
        return expr
    if isinstance(expr, (sp.Lambda,)):
        return expr
    args = [_display_form(a) for a in expr.args]
    if isinstance(expr, sp.Mul):
        bases = [(k, _log_base_of(a)) for k, a in enumerate(args)]
        hit = next(((k, b) for k, b in bases if b is not None), None)
        if hit is not None:
            k, b = hit
            rest = args[:k] + args[k + 1:]
            pushed = _push_base(sp.Mul(*rest, evaluate=False) if len(rest) > 1 else
                                (rest[0] if rest else sp.Integer(1)), b)
            if pushed is not None:
                return pushed
        return sp.Mul(*args, evaluate=False)
    if isinstance(expr, sp.Add):
        return sp.Add(*args, evaluate=False)
    try:
        return expr.func(*args, evaluate=False)
    except TypeError:
        return expr.func(*args)


# ----------------------------------------------------------------------------------------
# the printer
# ----------------------------------------------------------------------------------------
_TALL = re.compile(r"\\(frac|dfrac|sum|prod|int|iint|binom|left|operatorname\*|begin|underset|overset)(?![A-Za-z])")


def _is_bare_log_arg(a: sp.Basic) -> bool:
    return (isinstance(a, (sp.Symbol, sp.Indexed, AppliedUndef)) or (a.is_Integer and a.is_positive)
            or a is sp.pi)


def _neg(e: sp.Basic) -> bool:
    return bool(e.could_extract_minus_sign()) if isinstance(e, sp.Expr) else False


class NotesPrinter(MatrixLatexMixin, LatexPrinter):
    """SymPy's LaTeX printer with the notation of ML notes."""

    def __init__(self, settings=None):
        super().__init__({"ln_notation": False, **(settings or {})})
        self._paren_logs: set = set()

    # -- parentheses: \left( \right) only around tall content -----------------------
    def _add_parens(self, s) -> str:
        return (r"\left(" + s + r"\right)") if _TALL.search(s) else "(" + s + ")"

    def _add_parens_lspace(self, s) -> str:
        return self._add_parens(s)

    # -- names ------------------------------------------------------------------------
    def _print_Symbol(self, expr, style="plain"):
        return symbol_latex(expr.name)

    def _print_Dummy(self, expr):
        return symbol_latex(expr.name)

    def _print_Indexed(self, expr):
        base = symbol_latex(str(expr.base.label))
        idx = ",".join(self._print(i) for i in expr.indices)
        m = re.fullmatch(r"(.*)_\{(.*)\}", base)
        if m and "{" not in m.group(2):  # w_{1} indexed by i -> w_{1,i}
            return f"{m.group(1)}_{{{m.group(2)},{idx}}}"
        return f"{base}_{{{idx}}}"

    def _print_IndexedBase(self, expr):
        return symbol_latex(str(expr.label))

    # -- sums and products: a negative or compound summand in parentheses -------------
    def _print_Sum(self, expr):
        return self._big("sum", expr)

    def _print_Product(self, expr):
        return self._big("prod", expr)

    def _big(self, op: str, expr) -> str:
        if len(expr.limits) == 1 and len(expr.limits[0]) == 3:
            v, lo, hi = expr.limits[0]
            head = rf"\{op}_{{{self._print(v)}={self._print(lo)}}}^{{{self._print(hi)}}} "
        else:
            return getattr(super(), f"_print_{'Sum' if op == 'sum' else 'Product'}")(expr)
        body = expr.function
        tex = self._print(body)
        if isinstance(body, sp.Add) or _neg(body):
            tex = self._add_parens(tex)
        return head + tex

    # -- logarithms -----------------------------------------------------------------------
    def _print_log(self, expr, exp=None):
        a = expr.args[0]
        if _is_bare_log_arg(a) and (expr not in self._paren_logs or exp is not None):
            s = r"\log " + self._print(a)
        else:
            s = r"\log" + self._add_parens(self._print(a))
        return s if exp is None else self._add_parens(s) + f"^{{{exp}}}"

    def _print__LogBase(self, expr, exp=None):
        a, b = expr.args
        head = rf"\log_{{{self._print(b)}}}"
        if _is_bare_log_arg(a) and (expr not in self._paren_logs or exp is not None):
            s = head + " " + self._print(a)
        else:
            s = head + self._add_parens(self._print(a))
        return s if exp is None else self._add_parens(s) + f"^{{{exp}}}"

    def _print_exp(self, expr, exp=None):
        arg = self._print(expr.args[0])
        if _TALL.search(arg) and len(visible_text(arg)) > 16:  # a long fraction in an exponent is too small to read
            s = r"\exp\left(" + arg + r"\right)"
        else:
            s = "e^{" + arg + "}"
        return s if exp is None else self._add_parens(s) + f"^{{{exp}}}"

    # -- sums of terms: positive terms first (y - f, not - f + y) ---------------------
    def _print_Add(self, expr, order=None):
        terms = list(self._as_ordered_terms(expr, order=order))
        pos = [t for t in terms if not _neg(t)]
        neg = [t for t in terms if _neg(t)]
        terms = pos + neg
        tex = ""
        for i, term in enumerate(terms):
            if i == 0:
                pass
            elif _neg(term):
                tex += " - "
                term = -term
            else:
                tex += " + "
            term_tex = self._print(term)
            if self._needs_add_brackets(term) or (i < len(terms) - 1 and isinstance(term, sp.Integral)):
                term_tex = self._add_parens(term_tex)  # \int ... dy - \int ... dy reads as one integral
            tex += term_tex
        return tex

    # -- products: numbers first, sums last, 1/n in front of a sum --------------------
    def _print_Mul(self, expr):
        from sympy.simplify import fraction

        nums = [a for a in expr.args if a.is_Number] if isinstance(expr, sp.Mul) else []
        if len(nums) > 1 or (nums and nums[0] == -1 and len(expr.args) > 1):
            # an unevaluated product with several numbers, or -1 times a product:
            # one coefficient, its sign in front ((-1) log 2 / 4 -> -\frac{\log 2}{4})
            c = sp.Mul(*nums)
            rest = [a for a in expr.args if not a.is_Number]
            if c.is_negative:
                body = rest[0] if (c == -1 and len(rest) == 1) else sp.Mul(-c, *rest, evaluate=False)
                s = self._print(body)
                return "- " + (self._add_parens(s) if isinstance(body, sp.Add) else s)
            if c == 1 and len(rest) == 1:
                return self._print(rest[0])
            if len(nums) > 1:
                return self._print(sp.Mul(c, *rest, evaluate=False))
        root = self._inverse_root(expr) if isinstance(expr, sp.Mul) else None
        if root is not None:
            return root
        if isinstance(expr, sp.Mul) and _neg(expr):
            inner = -expr
            if isinstance(inner, sp.Mul) and inner.args and inner.args[0] == 1 and len(inner.args) == 2:
                inner = inner.args[1]
            s = self._print(inner)
            if isinstance(inner, sp.Add):
                s = self._add_parens(s)
            return "- " + s
        numer, denom = fraction(expr, exact=True)
        big = (sp.Sum, sp.Product, sp.Integral)
        nf = [f for f in (numer.as_ordered_factors() if isinstance(numer, sp.Mul) else [numer]) if f != 1]
        bigs = [f for f in nf if isinstance(f, big)]
        small = [f for f in nf if not isinstance(f, big)]
        if denom == 1:
            return self._factors(small + bigs)
        sden = self._factors(denom.as_ordered_factors() if isinstance(denom, sp.Mul) else [denom])
        if bigs:
            return rf"\frac{{{self._factors(small) or '1'}}}{{{sden}}} " + self._factors(bigs)
        return rf"\frac{{{self._factors(small) or '1'}}}{{{sden}}}"

    def _inverse_root(self, expr) -> str | None:
        """A normalising constant as the notes write it: sqrt(2)/(2 sqrt(pi) sigma) * rest
        -> \\frac{1}{\\sqrt{2 \\pi \\sigma^{2}}} rest (the constant made of numbers, pi and
        positive symbols, one of them under a square root)."""
        const = [f for f in expr.args if _positive_constant(f)]
        rest = [f for f in expr.args if not _positive_constant(f)]
        if any(isinstance(f.base if isinstance(f, sp.Pow) else f, (sp.Symbol, sp.Indexed, sp.Add)) for f in rest):
            return None  # x / sqrt(sigma) stays a fraction
        if not const or not any(isinstance(f, sp.Pow) and f.exp.is_Rational and f.exp.q == 2 for f in const):
            return None
        k = sp.Mul(*const)
        inside = sp.powsimp(sp.expand_power_base(1 / k**2, force=False))
        monomial = inside.as_ordered_factors() if isinstance(inside, sp.Mul) else [inside]
        if not all((f.is_Integer and f > 1) or (isinstance(f, sp.Pow) and f.exp.is_Integer and f.exp > 0)
                   or isinstance(f, sp.Symbol) or f is sp.pi for f in monomial):
            return None
        head = r"\frac{1}{\sqrt{" + self._factors(monomial) + "}}"
        if not rest:
            return head
        tail = self._print(rest[0] if len(rest) == 1 else sp.Mul(*rest, evaluate=False))
        if len(rest) == 1 and isinstance(rest[0], sp.Add):
            tail = self._add_parens(tail)
        return head + " " + tail

    def _factors(self, factors: list) -> str:
        if not factors:
            return ""
        if len(factors) == 1:
            return self._print(factors[0])
        factors = sorted(factors, key=_factor_rank)
        # a log printed without parentheses must be the last factor (\log x y is ambiguous)
        for f in factors[:-1]:
            for lg in ([f] if isinstance(f, (sp.log, _LogBase)) else
                       [f.base] if isinstance(f, sp.Pow) and isinstance(f.base, (sp.log, _LogBase)) else []):
                self._paren_logs.add(lg)
        out = ""
        prev = ""
        for k, f in enumerate(factors):
            s = self._print(f)
            if self._needs_mul_brackets(f, first=(k == 0), last=(k == len(factors) - 1)):
                s = self._add_parens(s)
            if out:
                out += r" \cdot " if (re.search(r"[0-9}]$", prev) and re.match(r"[0-9]", s)) else " "
            out += s
            prev = s
        return out

    # -- derivatives --------------------------------------------------------------------
    def _print_Derivative(self, expr):
        if isinstance(expr.variables[0], sp.MatrixSymbol):
            return self._print_matrix_gradient(expr)
        inner = expr.expr
        vc = expr.variable_count
        order = sum(int(c) for _, c in vc)
        if (len(vc) == 1 and vc[0][1] in (1, 2) and isinstance(inner, AppliedUndef)
                and len(inner.args) == 1 and inner.args[0] == vc[0][0]):
            name = function_name_latex(inner.func.__name__)
            return f"{name}{chr(39) * int(vc[0][1])}({self._print(inner.args[0])})"
        atomic = isinstance(inner, (sp.Symbol, sp.Indexed, AppliedUndef))
        partial = r"\partial" if (atomic or len(inner.free_symbols) > 1) else "d"
        sep = " " if partial == r"\partial" else ""
        num = partial + (f"^{{{order}}}" if order > 1 else "")
        den = " ".join(f"{partial}{sep}{self._print(v)}" + (f"^{{{c}}}" if c > 1 else "") for v, c in vc)
        if atomic:
            return rf"\frac{{{num} {self._print(inner)}}}{{{den}}}"
        body = self._print(inner)
        if isinstance(inner, (sp.Add, sp.Mul)):
            body = self._add_parens(body)
        return rf"\frac{{{num}}}{{{den}}} {body}"

    def _print_Integral(self, expr):
        # \log q(y)\, dy reads as log(q(y) dy): a log at the end of the integrand keeps parentheses
        body = expr.function
        for fac in (body.args if isinstance(body, sp.Mul) else (body,)):
            base = fac.base if isinstance(fac, sp.Pow) else fac
            if isinstance(base, (sp.log, _LogBase)):
                self._paren_logs.add(base)
        return super()._print_Integral(expr).replace(r"\int\limits", r"\int")  # limits at the side

    def _print_Limit(self, expr):
        e, v, v0, direction = expr.args
        side = ""
        if v0.is_finite:
            side = "^{+}" if str(direction) == "+" else "^{-}" if str(direction) == "-" else ""
        head = rf"\lim_{{{self._print(v)} \to {self._print(v0)}{side}}} "
        body = self._print(e)
        if isinstance(e, (sp.Add,)) or _neg(e):
            body = self._add_parens(body)
        return head + body

    def _print_Subs(self, expr):
        # f'(a) for the derivative of a one-argument function evaluated at a point
        inner, old, new = expr.args
        if (len(old) == 1 and isinstance(inner, sp.Derivative) and len(inner.variable_count) == 1
                and inner.variable_count[0][1] in (1, 2) and isinstance(inner.expr, AppliedUndef)
                and len(inner.expr.args) == 1 and inner.expr.args[0] == old[0] == inner.variable_count[0][0]):
            name = function_name_latex(inner.expr.func.__name__)
            return f"{name}{chr(39) * int(inner.variable_count[0][1])}" + self._add_parens(self._print(new[0]))
        return super()._print_Subs(expr)

    # -- applied functions ----------------------------------------------------------------
    def _print_Function(self, expr, exp=None):
        if isinstance(expr, AppliedUndef) or not hasattr(sp, type(expr).__name__):
            name = function_name_latex(expr.func.__name__)
            args = ", ".join(self._print(a) for a in expr.args)
            s = name + self._add_parens(args)
            return s if exp is None else f"{s}^{{{exp}}}"
        return super()._print_Function(expr, exp)

    def _print_KroneckerDelta(self, expr, exp=None):
        i, j = (self._print(a) for a in expr.args)
        s = rf"\delta_{{{i}{j}}}" if len(i) == 1 and len(j) == 1 else rf"\delta_{{{i},{j}}}"
        return s if exp is None else f"{s}^{{{exp}}}"


def _positive_constant(f: sp.Basic) -> bool:
    """A number > 0, pi, or a positive symbol, or a power of one (a normalising constant's factor)."""
    base = f.base if isinstance(f, sp.Pow) else f
    if isinstance(f, sp.Pow) and not f.exp.is_Rational:
        return False
    return bool((base.is_Number and base.is_positive) or base is sp.pi
                or (isinstance(base, sp.Symbol) and base.is_positive))


def _factor_rank(f: sp.Basic) -> int:
    """Order of factors in a printed product: 2 x_i (1 - y) f(x) log(u) sum ..."""
    base = f.base if isinstance(f, sp.Pow) else f
    if f.is_Number or base.is_Number or base in (sp.pi, sp.E):
        return 0
    if isinstance(base, (sp.Symbol, sp.Indexed)):
        return 1
    if isinstance(base, (sp.Sum, sp.Product, sp.Integral)):
        return 5
    if isinstance(base, (sp.log, _LogBase)):
        return 4
    if isinstance(base, sp.Add):
        return 3
    return 2


def visible_text(tex: str) -> str:
    """A rough stand-in for the printed width of a LaTeX string."""
    s = re.sub(r"\\(left|right|frac|mathrm|operatorname\*?|text|limits|displaystyle)\b", "", tex)
    s = re.sub(r"\\[a-zA-Z]+", "x", s)
    return re.sub(r"[{}\s^_&]", "", s)


def to_latex(expr: sp.Basic) -> str:
    """An expression as a person would write it."""
    return NotesPrinter().doprint(_display_form(expr))
