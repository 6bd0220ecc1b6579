"""LaTeX output: expressions and chains as a person would write them."""
from __future__ import annotations

import re

import sympy as sp
from sympy.printing.latex import LatexPrinter

_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "iota",
          "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi",
          "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega"}


def symbol_latex(name: str) -> str:
    """'yhat' -> \\hat{y}, 'sigma' -> \\sigma, 'y_i' -> y_{i}, 'L_mse' -> L_{mse}."""
    m = re.fullmatch(r"(.+?)_?hat", name)
    if m and m.group(1):
        return r"\hat{" + symbol_latex(m.group(1)) + "}"
    if "_" in name:
        head, sub = name.split("_", 1)
        return symbol_latex(head) + "_{" + (r"\mathrm{" + sub + "}" if len(sub) > 1 else sub) + "}"
    if name in _GREEK:
        return "\\" + name
    return name


class NotesPrinter(LatexPrinter):
    """SymPy's LaTeX printer with the notation of ML notes."""

    def __init__(self, settings=None):
        super().__init__({"ln_notation": False, **(settings or {})})

    def _print_Symbol(self, expr, style="plain"):
        return symbol_latex(expr.name)

    def _print_Indexed(self, expr):
        base = symbol_latex(str(expr.base.label))
        idx = ",".join(self._print(i) for i in expr.indices)
        return f"{base}_{{{idx}}}"

    def _print_IndexedBase(self, expr):
        return symbol_latex(str(expr.label))

    def _print_log(self, expr, exp=None):
        arg = self._print(expr.args[0])
        s = r"\log\left(" + arg + r"\right)"
        return s if exp is None else f"{s}^{{{exp}}}"

    def _print_Derivative(self, expr):
        inner = expr.expr
        if (len(expr.variable_count) == 1 and expr.variable_count[0][1] == 1 and isinstance(inner, sp.Function)
                and len(inner.args) == 1 and inner.args[0] == expr.variable_count[0][0]):
            return f"{symbol_latex(inner.func.__name__)}'\\left({self._print(inner.args[0])}\\right)"
        return super()._print_Derivative(expr)

    def _print_Function(self, expr, exp=None):
        if type(expr).__module__ == "sympy.core.function" or not hasattr(sp, type(expr).__name__):
            name = symbol_latex(expr.func.__name__)
            args = ", ".join(self._print(a) for a in expr.args)
            s = f"{name}\\left({args}\\right)"
            return s if exp is None else f"{s}^{{{exp}}}"
        return super()._print_Function(expr, exp)


def to_latex(expr: sp.Basic) -> str:
    return NotesPrinter().doprint(expr)


_REL_TEX = {"=": "=", "<=": r"\le", ">=": r"\ge", "<": "<", ">": ">", "!=": r"\ne"}


def relation_latex(step, prev_sense: str | None = None) -> str:
    rel = step.relation
    if rel in _REL_TEX:
        return _REL_TEX[rel]
    return r"\;\Leftrightarrow\;"


def objective_latex(step) -> str:
    body = to_latex(step.expr)
    if step.sense in ("min", "max") and step.over:
        over = ", ".join(to_latex(v) for v in step.over)
        op = r"\operatorname*{arg\,min}" if step.sense == "min" else r"\operatorname*{arg\,max}"
        return f"{op}_{{{over}}} \\left[{body}\\right]"
    return body


_MARK_TEX = {"proved": r"\checkmark", "checked": r"\approx", "refuted": r"\times", "unknown": "?", "unparsed": "!"}


def text_escape(s: str) -> str:
    """Plain text safe inside \\text{...}."""
    out = s
    for a, b in (("\\", r"\backslash "), ("{", r"\{"), ("}", r"\}"), ("_", r"\_"), ("^", r"\^{}"),
                 ("&", r"\&"), ("%", r"\%"), ("#", r"\#"), ("$", r"\$"), ("~", r"\~{}")):
        out = out.replace(a, b)
    return out


def derivation_latex(d, result=None) -> str:
    """All chains of a derivation as aligned blocks (KaTeX/MathJax-safe)."""
    rows = []
    idx = 0
    for c in d.chains:
        first = True
        for a, b in ([(None, c.steps[0])] + list(c.pairs())):
            if first:
                rows.append(f"& {objective_latex(b)}")
                first = False
                continue
            why = text_escape(b.why)
            mark = ""
            if result is not None and idx < len(result.steps):
                mark = f" \\; {_MARK_TEX[result.steps[idx].status]}"
            idx += 1
            rows.append(f"{relation_latex(b)}\\; & {objective_latex(b)} && \\text{{{why}}}{mark}")
    return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"
