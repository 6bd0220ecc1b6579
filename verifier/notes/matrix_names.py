"""Names without a stated shape in the matrix reading (a mixin of ``notes.matrix_reader.MatrixParser``).

* a bold name the prose gives no shape: a column (a lowercase letter) or a matrix (a capital) of
  invented sizes, which the step's products and sums must tie to stated ones
  (``linalg_check.read_step`` refuses the step otherwise); a bold ``I`` is the identity (of a size
  the step ties the same way), as notes write it, never a matrix that merely happens to be called I;
* a vector the note defines and the step differentiates by (``\\boldsymbol z^{(2)} = W^{(2)}\\boldsymbol h
  + \\boldsymbol b^{(2)}``, then ``\\partial E / \\partial \\boldsymbol z^{(2)}``): a name of its own, of the shape
  of its definition;
* where the paragraph fixes a size to 1 ("when $l = 1$"), a column of an invented size beside a number
  is 1 x 1.
"""
from __future__ import annotations

import re

import sympy as sp

from verifier.notes.linalg_reader import MatrixReadError
from verifier.notes.matrix_calls import vector_definition


class NamesMixin:
    """Needs ``self.ctx``, ``self.defs``, ``self.variables``, ``self.invented`` (size names),
    ``self.invented_names``, ``self.valued``, ``self.tied``, ``self.ones``."""

    def defined_shape(self, key: str) -> sp.MatrixSymbol | None:
        """A vector the note defines (``\\boldsymbol z^{(2)} = W^{(2)}\\boldsymbol h + \\boldsymbol b^{(2)}``) that the
        step differentiates by: a name of its own, of the shape of its definition."""
        name = key.lstrip("\\")
        if f"vec:{name}" not in self.defs or name not in self.variables:
            return None
        known = next((m for m in self.ctx.matrices if m.name == name), None)
        if known is not None:
            return known
        saved = self.variables
        self.variables = saved - {name}
        try:
            value = vector_definition(self, name)
        finally:
            self.variables = saved
        if not isinstance(value, sp.MatrixExpr):
            return None
        return self.ctx.matrix(name, value.shape[0], value.shape[1])

    def fit_number(self, e: sp.Basic, other: sp.Basic | None = None) -> sp.Basic:
        """A column of an invented size beside a number in a sum is 1 x 1 (``\\hat y - \\boldsymbol y`` once the
        note says the output is one number): the size is tied to 1 for the whole step."""
        if not self.ones or other is None or isinstance(other, sp.MatrixExpr) or not isinstance(e, sp.MatrixExpr):
            return e  # (only where the paragraph fixes a size to 1: a vector minus a number is no sum otherwise)
        n = e.shape[0]
        if e.shape[1] == 1 and isinstance(n, sp.Symbol) and n.name in self.invented:
            self.tied[n] = sp.Integer(1)
            self.ctx.matrices = {m.xreplace(self.tied): dom for m, dom in self.ctx.matrices.items()}
            self.ctx.sizes.pop(n, None)
            return e.xreplace(self.tied)
        return e

    def invented_size(self, stem: str) -> sp.Symbol:
        n = self.ctx.size(f"{stem}{len(self.invented)}")
        self.invented.add(n.name)
        return n

    def invent(self, raw: str) -> sp.MatrixExpr:
        """A bold name the prose gives no shape: a column (a lowercase letter) or a matrix (a capital)
        of sizes the step's products and sums must fix (``linalg_check.read_step`` refuses it otherwise)."""
        name = raw.lstrip("\\")
        known = next((m for m in self.ctx.matrices if m.name == name), None)
        if known is not None:
            return known
        if name in self.valued:
            raise MatrixReadError(f"the prose gives the value of the bold {raw} (not read here), and no shape")
        if name == "I":  # (I + alpha S) Y: the identity, not an unknown matrix named I
            return sp.Identity(self.invented_size("s_I"))
        letter = re.sub(r"^(?:hat|tilde|bar|check)\{|\}.*$|\^.*$", "", name)
        stem = re.sub(r"[^A-Za-z0-9]", "", name)
        if letter[:1].isupper():
            m = self.ctx.matrix(name, self.invented_size(f"s_r{stem}"), self.invented_size(f"s_c{stem}"))
        else:
            m = self.ctx.matrix(name, self.invented_size(f"s_{stem}"), 1)
        self.invented_names[name] = raw
        return m
