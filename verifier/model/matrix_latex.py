"""LaTeX of vectors and matrices as ML notes write them: bold symbols, ``^\\top``, ``\\odot``,
``\\nabla_{\\mathbf w}``, ``\\operatorname{tr}``, ``\\sigma(\\mathbf X \\mathbf w)`` for a sigmoid
applied entrywise, ``x_{i}`` / ``X_{ij}`` for entries.  A mixin of the notes printer."""
from __future__ import annotations

import re

import sympy as sp

GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta", "lambda", "mu", "nu", "xi", "pi",
         "rho", "sigma", "tau", "phi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi",
         "Pi", "Sigma", "Phi", "Psi", "Omega"}


_ACCENT = re.compile(r"^(hat|tilde|bar|check)\{(\\?[A-Za-z]+)\}")
_LAYER = re.compile(r"\^\{[(\[][A-Za-z0-9+\-]+[)\]]\}")


def bold_name(name: str) -> str:
    """\\mathbf{X}, \\boldsymbol{\\mu} (a Greek name), with a subscript kept outside the bold; an accent
    outside (``hat{w}`` -> ``\\hat{\\mathbf{w}}``) and a layer label after it (``W^{(2)}`` ->
    ``\\mathbf{W}^{(2)}``), as the notes write them."""
    layer = _LAYER.search(name)
    label = layer.group(0) if layer else ""
    if layer:
        name = name[:layer.start()] + name[layer.end():]
    accent = _ACCENT.match(name)
    if accent:
        return rf"\{accent.group(1)}{{{bold_name(accent.group(2).lstrip(chr(92)))}}}" + label + name[accent.end():]
    base, _, sub = name.partition("_")
    core = rf"\boldsymbol{{\{base}}}" if base in GREEK else rf"\mathbf{{{base}}}"
    return core + label + (f"_{{{sub}}}" if sub else "")


def _plain_name(name: str) -> str:
    base, _, sub = name.partition("_")
    core = f"\\{base}" if base in GREEK else base
    return core + (f"_{{{sub}}}" if sub else "")


def _function_name(lam: sp.Lambda) -> str | None:
    """\\sigma for the logistic function, \\exp, \\log, \\tanh; None for anything else."""
    (t,), body = lam.args[0], lam.args[1]
    if sp.simplify(body - 1 / (1 + sp.exp(-t))) == 0:
        return r"\sigma"
    for f, name in ((sp.exp, r"\exp"), (sp.log, r"\log"), (sp.tanh, r"\tanh")):
        if body == f(t):
            return name
    return None


class MatrixLatexMixin:
    """The _print_ methods of matrix expressions (mixed into a LatexPrinter)."""

    def _print_MatrixSymbol(self, expr):
        return bold_name(expr.name)

    def _print_Transpose(self, expr):
        inner = self._print(expr.arg)
        if not isinstance(expr.arg, sp.MatrixSymbol):
            inner = self._add_parens(inner)
        return inner + r"^\top"

    def _print_Inverse(self, expr):
        inner = self._print(expr.arg)
        if not isinstance(expr.arg, sp.MatrixSymbol):
            inner = self._add_parens(inner)
        return inner + "^{-1}"

    def _print_MatMul(self, expr):
        parts = []
        for a in expr.args:
            s = self._print(a)
            if isinstance(a, (sp.MatAdd, sp.Add)):
                s = self._add_parens(s)
            parts.append(s)
        if parts and parts[0] == "-1":
            return "- " + " ".join(parts[1:])
        return " ".join(parts)

    def _print_HadamardProduct(self, expr):
        return r" \odot ".join(self._add_parens(self._print(a)) if isinstance(a, sp.MatAdd) else self._print(a)
                               for a in expr.args)

    def _print_ElementwiseApplyFunction(self, expr):
        name = _function_name(expr.function) if isinstance(expr.function, sp.Lambda) else None
        inner = self._print(expr.expr)
        if name is None:
            return self._print(expr.function) + r"_{\circ}" + self._add_parens(inner)
        return name + self._add_parens(inner)

    def _print_Identity(self, expr):
        return r"\mathbf{I}"

    def _print_ZeroMatrix(self, expr):
        return r"\mathbf{0}"

    def _print_OneMatrix(self, expr):
        return r"\mathbf{1}"

    def _print_Trace(self, expr):
        return r"\operatorname{tr}" + self._add_parens(self._print(expr.arg))

    def _print_Determinant(self, expr):
        return r"\det" + self._add_parens(self._print(expr.arg))

    def _print_MatrixElement(self, expr):
        parent = expr.parent
        if parent.shape == (1, 1) and expr.i == 0 and expr.j == 0:
            return self._print(parent)  # the number a 1 x 1 product is
        vector = parent.shape[1] == 1
        idx = self._print(expr.i) if vector else f"{self._print(expr.i)}{self._print(expr.j)}"
        if len(idx) > 2 and not vector:
            idx = f"{self._print(expr.i)},{self._print(expr.j)}"
        if isinstance(parent, sp.MatrixSymbol):
            return f"{_plain_name(parent.name)}_{{{idx}}}"
        return self._add_parens(self._print(parent)) + f"_{{{idx}}}"

    def _print_Norm(self, expr):
        """As the author writes it: \\|v\\|, \\|v\\|_2, \\|v\\|_2^2, \\|v\\|_1."""
        out = r"\|" + self._print(expr.vector) + r"\|"
        if expr.order:
            out += f"_{expr.order}"
        return out + ("^2" if expr.squared else "")

    def _print_Jacobian(self, expr):
        var = self._print(expr.variable)
        return rf"\frac{{\partial}}{{\partial {var}^\top}}" + self._add_parens(self._print(expr.function))

    def _print_matrix_gradient(self, expr) -> str:
        var = expr.variables[0]
        return rf"\nabla_{{{self._print(var)}}}" + self._add_parens(self._print(expr.expr))
