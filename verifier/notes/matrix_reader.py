"""Matrix expressions in a note's LaTeX, read with the shapes the note states (``notes.prose_shapes``).

``(\\mathbf y - \\mathbf X\\mathbf w)^\\top(\\mathbf y - \\mathbf X\\mathbf w)`` becomes a product of
SymPy ``MatrixSymbol``s with the note's sizes; products stay in the order written.  Read here:
bold / arrow names, plain names the prose gives a shape, ``^\\top``, ``^T``, ``^{\\mathrm{T}}``,
``^{\\intercal}``, ``^{-1}``, powers, ``I_n``, ``\\mathbf 0``, ``\\operatorname{tr}``, ``\\det``,
``\\|x\\|``, ``\\|x\\|_2``, ``\\|x\\|_2^2``, ``\\langle x, y\\rangle``, ``\\nabla_{\\mathbf w}``,
``\\odot``, ``\\frac{}{}`` of scalars, matrix literals.  Anything else raises MatrixReadError:
the step is then ``unknown``, never guessed.  Names without a stated shape are real scalars,
except a bold one (a vector whose size the note does not give: refused).
"""
from __future__ import annotations

import re

import sympy as sp
from sympy.matrices.expressions.hadamard import HadamardProduct
from sympy.matrices.expressions.matexpr import MatrixElement

from verifier.model.context import Context
from verifier.model.shapes import Jacobian, Norm
from verifier.notes.linalg_reader import MatrixReadError, read_literal
from verifier.notes.matrix_calls import CALLS, NAME_LABEL, CallsMixin, subscripted_name, variables_of, vector_definition
from verifier.notes.matrix_entries import EntriesMixin
from verifier.notes.matrix_names import NamesMixin
from verifier.notes.prose_shapes import LAYER, name_key
from verifier.notes.reader import Reader

_TOKEN = re.compile(r"""
  (?P<lit>\\begin\{(?P<env>pmatrix|bmatrix|Bmatrix|vmatrix|matrix)\}(?P<body>.*?)\\end\{(?P=env)\})
 |(?P<deco>\\(?:hat|widehat|tilde|widetilde|bar|overline|check)(?![A-Za-z])\s*(?:\{\s*(?:\\(?:mathbf|boldsymbol|bm|vec)\s*(?:\{\s*\\?[A-Za-z]+\s*\}|\s[A-Za-z])|\\?[A-Za-z]+)\s*\}|[A-Za-z]))
 |(?P<bold>\\(?:mathbf|boldsymbol|bm|vec)\s*(?:\{\s*(?P<bn>\\?[A-Za-z]+|[01]|\\(?:hat|tilde|bar)\s*\{\s*\\?[A-Za-z]+\s*\})\s*\}|(?P<bs>[A-Za-z01])))
 |(?P<op>\\operatorname\{(?:tr|Tr)\}|\\mathrm\{tr\}|\\text\{tr\}|\\tr\b|\\det\b)
 |(?P<fn>\\operatorname\{[A-Za-z]+\}|\\mathrm\{[A-Za-z]{2,}\})
 |(?P<hess>\\nabla\s*\^\s*(?:2|\{\s*2\s*\})\s*_)
 |(?P<nabla>\\nabla_)
 |(?P<norm>\\\||\\lVert|\\rVert|\\Vert)
 |(?P<langle>\\langle)|(?P<rangle>\\rangle)
 |(?P<frac>\\[dt]?frac)
 |(?P<cmd>\\odot|\\cdot|\\times)
 |(?P<greek>\\[A-Za-z]+)
 |(?P<num>\d+(?:\.\d+)?)
 |(?P<name>[A-Za-z])
 |(?P<sym>[-+()\[\]^_{}|,'=])
""", re.X | re.S)
_SKIP = re.compile(r"\\left|\\right|\\[,;!:]|\\quad|\\qquad|\\big|\\Big|\\bigg")
_TRANSPOSE = {r"\top", "T", r"\intercal", r"\mathrm{T}", r"\mathsf{T}", r"\mathrm T", r"\mathsf T", r"\mathtt{T}"}
_TRANSPOSE_BARE = {r"\top", "T", r"\intercal", r"\mathrmT", r"\mathsfT", r"\mathttT", r"\rmT", r"\textT"}
_SCALAR_GREEK = {r"\lambda", r"\alpha", r"\beta", r"\gamma", r"\eta", r"\sigma", r"\mu", r"\theta", r"\tau", r"\rho"}


_LAYER = re.compile(r"\s*" + LAYER)
_NAME_LABEL = re.compile(NAME_LABEL)
_NAMED = ("deco", "bold", "name", "greek")


def tokens(tex: str) -> list[tuple[str, str]]:
    """The tokens of tex; a name's layer label (``z^{(2)}``, ``\\mathbf{W}^{[1]}``) is part of the name,
    never a power."""
    tex = _SKIP.sub(" ", tex)
    out, pos = [], 0
    while pos < len(tex):
        if tex[pos].isspace():
            pos += 1
            continue
        m = _TOKEN.match(tex, pos)
        if not m:
            raise MatrixReadError(f"cannot read {tex[pos:pos + 20]!r}")
        kind = m.lastgroup if m.lastgroup not in ("env", "body", "bn", "bs") else None
        for k in ("lit", "deco", "bold", "op", "fn", "hess", "nabla", "norm", "langle", "rangle", "frac", "cmd", "greek", "num", "name", "sym"):
            if m.group(k) is not None:
                kind = k
                break
        text, pos = m.group(0), m.end()
        layer = _LAYER.match(tex, pos) if kind in _NAMED else None
        if layer and not (kind == "greek" and text in _COMMANDS):
            text, pos = text + layer.group(0).strip(), layer.end()
        label = _NAME_LABEL.match(tex, pos) if kind in ("deco", "bold") else None
        if label:  # \hat{\mathbf w}_{\text{ridge}}, \hat{\mathbf w}^*: a label of the name, no entry or power
            text, pos = text + re.sub(r"\s+", "", label.group(0)), label.end()
        out.append((kind, text))
    return out


#: commands that are no names (a layer label never follows them)
_COMMANDS = {r"\sum", r"\prod", r"\log", r"\ln", r"\exp", r"\partial", r"\nabla", r"\frac"}


class MatrixParser(EntriesMixin, CallsMixin, NamesMixin):
    """Recursive descent over the tokens; names resolved against the shapes.

    ``samples`` maps a bold name to the matrix whose rows its samples are (``x`` -> ``X``); ``defs``
    holds the scalar definitions of the note (``J(\\mathbf w) = ...``, ``notes.matrix_calls``);
    ``sigmoid``: the note says that ``\\sigma`` is the logistic function."""

    def __init__(self, shapes: dict[str, tuple[str, str]], ctx: Context, reader: Reader | None = None,
                 samples: dict[str, str] | None = None, defs: dict | None = None, sigmoid: bool = False,
                 kinds: dict[str, str] | None = None, inventing: bool = False):
        self.shapes = shapes
        self.ctx = ctx
        self.reader = reader or Reader()
        self.toks: list = []
        self.k = 0
        self.bound: dict = {}
        self.free: dict = {}
        self.defs = defs or {}
        self.sigmoid = sigmoid
        self.expanding: set = set()
        self.sample_names = samples or {}
        self.kinds = kinds or {}
        self.written: dict[str, str] = {}  # a name -> as the note writes it (\\boldsymbol{\\Sigma})
        self.inventing = inventing  # a bold name without a shape gets sizes the step must fix (read_step)
        self.invented: set[str] = set()
        self.valued: set[str] = set()
        self.ones = False  # the paragraph fixes a size to 1 ("when $l = 1$"): fit_number may tie sizes to 1  # bold names the prose gives a value: no shape invented
        self.tied: dict = {}  # invented sizes tied to 1 while reading (fit_number)  # sizes of bold names without a stated shape (tied by the step)
        self.invented_names: dict[str, str] = {}
        self.layout: str | None = None  # d z / d x of a vector z: as the prose's layout says (stated_layout)
        for rows, cols in shapes.values():  # the sizes exist before any name is read (c^n: n a size)
            for d in (rows, cols):
                try:
                    self.dim(d)
                except MatrixReadError:
                    pass

    @property
    def samples(self) -> dict:
        out = {}
        for v, mat in self.sample_names.items():
            m = self.name(mat, False)
            if isinstance(m, sp.MatrixSymbol):
                out[v] = m
        return out

    # -- names -----------------------------------------------------------------------------
    def dim(self, text: str) -> sp.Expr:
        total = sp.Integer(0)
        for sign, part in re.findall(r"([+-]?)\s*([A-Za-z](?:_\{?[A-Za-z0-9]+\}?)?|\d+)", text.replace(" ", "")):
            part = part.replace("{", "").replace("}", "")
            v = sp.Integer(int(part)) if part.isdigit() else next(
                (s for s in self.ctx.sizes if s.name == part), None) or self.ctx.size(part)
            total += -v if sign == "-" else v
        if total == 0:
            raise MatrixReadError(f"not a dimension: {text!r}")
        return total

    def name(self, raw: str, bold: bool) -> sp.Basic:
        key = raw if raw in self.shapes else raw.lstrip("\\")
        if raw == "0" and bold and not self.inventing:
            return sp.Integer(0)
        if raw in ("0", "1") and bold and self.inventing:  # \mathbf 0, \mathbf 1: a column of a size the step fixes
            n = self.invented_size(f"s_{{{raw}}}")
            return sp.ZeroMatrix(n, 1) if raw == "0" else sp.OneMatrix(n, 1)
        defined = vector_definition(self, key) if self.defs else None
        if defined is not None:
            return defined
        if raw in self.shapes or key in self.shapes:
            rows, cols = self.shapes.get(raw) or self.shapes[key]
            name = raw.lstrip("\\")
            known = next((m for m in self.ctx.matrices if m.name == name), None)
            kind = self.kinds.get(raw) or self.kinds.get(key) or "real"
            return known if known is not None else self.ctx.matrix(name, self.dim(rows), self.dim(cols), kind)
        shaped = self.defined_shape(key) if self.inventing and self.defs else None
        if shaped is not None:
            return shaped
        if bold and self.inventing:
            return self.invent(raw)
        if bold:
            raise MatrixReadError(f"no shape stated for the bold {raw}")
        name = raw.lstrip("\\")
        size = next((s for s in self.ctx.sizes if s.name == name), None)
        if size is not None:
            return size
        known = next((s for s in self.ctx.scalars if s.name == name), None)
        return known if known is not None else self.ctx.symbol(name, "real")

    # -- grammar ---------------------------------------------------------------------------
    def peek(self, ahead: int = 0):
        j = self.k + ahead
        return self.toks[j] if j < len(self.toks) else (None, None)

    def take(self, text: str | None = None):
        t = self.peek()
        if text is not None and t[1] != text:
            raise MatrixReadError(f"expected {text!r}, found {t[1]!r}")
        self.k += 1
        return t

    def is_size(self, text: str) -> bool:
        return any(s.name == text for s in self.ctx.sizes)

    def read_step(self, lhs: str, rhs: str) -> tuple[sp.Basic, sp.Basic]:
        """Both sides of a step; the names it differentiates by keep their own meaning in both."""
        self.variables = variables_of(lhs) | variables_of(rhs)
        return self.read(lhs), self.read(rhs)

    variables: set = set()

    def read(self, tex: str) -> sp.Basic:
        for m in re.finditer(r"\\sum\s*_\s*\{[^{}]*\}\s*\^\s*\{?\s*([A-Za-z])\s*\}?", tex):
            if m.group(1) not in self.shapes and not self.is_size(m.group(1)):
                self.ctx.size(m.group(1))  # the upper limit of a sum is a size (N samples)
        self.toks, self.k = tokens(tex), 0
        e = self.expr()
        if self.k != len(self.toks):
            raise MatrixReadError(f"unread: {''.join(t[1] for t in self.toks[self.k:])!r}")
        return e

    def expr(self):
        sign = 1
        if self.peek()[1] in ("-", "+"):
            sign = -1 if self.take()[1] == "-" else 1
        e = _mul(sp.Integer(-1), self.term()) if sign == -1 else self.term()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            t = self.term()
            e, t = self.fit_number(e), self.fit_number(t, e)
            e = self.fit_number(e, t)
            e = _add(e, t, 1 if op == "+" else -1)
        return e

    def _starts_factor(self) -> bool:
        kind, text = self.peek()
        return kind in ("lit", "deco", "bold", "op", "fn", "hess", "nabla", "frac", "greek", "num", "name", "langle") or text in ("(", "[") or (
            kind == "norm" and not self._closing_norm)

    _closing_norm = False

    def term(self):
        e = self.factor()
        while True:
            kind, text = self.peek()
            if text in (r"\cdot",):
                self.take()
                e = _mul(e, self.factor())
            elif text == r"\odot":
                self.take()
                e = HadamardProduct(e, self.factor())
            elif text == r"\times":
                raise MatrixReadError(r"\times between matrices (a cross or Kronecker product?) is not read")
            elif self._starts_factor():
                e = _mul(e, self.factor())
            else:
                return e

    def group(self):
        """{...} or one token, as text."""
        if self.peek()[1] == "{":
            self.take("{")
            depth, parts = 1, []
            while True:
                kind, text = self.take()
                if text is None:
                    raise MatrixReadError("unclosed {")
                if text == "{":
                    depth += 1
                elif text == "}":
                    depth -= 1
                    if depth == 0:
                        return " ".join(parts).strip()  # re-read later: commands keep their spaces
                parts.append(text)
        return self.take()[1]

    def factor(self):
        e = self.atom()
        while True:
            text = self.peek()[1]
            if text == "'":
                self.take()
                e = _transpose(e)
            elif text == "^":
                self.take()
                g = self.group()
                bare = re.sub(r"[\s{}]", "", g)
                if bare in _TRANSPOSE_BARE:
                    e = _transpose(e)
                elif bare == "-1":
                    e = sp.Inverse(e) if isinstance(e, sp.MatrixExpr) else 1 / e
                elif bare.startswith("-") and bare[1:] in _TRANSPOSE_BARE:  # A^{-\top}: the inverse transposed
                    e = _transpose(sp.Inverse(e) if isinstance(e, sp.MatrixExpr) else 1 / e)
                else:
                    sizes = {z.name for z in self.ctx.sizes}
                    p = (sp.Integer(int(bare)) if bare.isdigit() else
                         self.name(bare, False) if (re.fullmatch(r"[A-Za-z]", bare) or bare in sizes) else None)
                    if p is None:
                        raise MatrixReadError(f"an exponent {g!r}")
                    e = sp.MatPow(e, p) if isinstance(e, sp.MatrixExpr) else e ** p
            else:
                return e

    def atom(self):
        kind, text = self.take()
        if kind == "num":
            return sp.nsimplify(text) if "." in text else sp.Integer(int(text))
        if kind == "lit":
            m = re.match(r"\\begin\{(\w+)\}(.*)\\end\{\w+\}$", text, re.S)
            return read_literal(m.group(1), m.group(2), self.reader)
        if kind in ("bold", "deco"):
            raw, bold = name_key(text)
            if re.fullmatch(r"\\\w+\s*\{?\s*[01]\s*\}?", text):  # \mathbf 0, \boldsymbol{1}
                raw = re.sub(r"\D", "", text.split("\\", 1)[1].split("bf", 1)[-1])[-1:]
            self.written.setdefault(raw.lstrip("\\"), re.sub(r"\s+", "", text))  # for the counterexample
            if self.peek()[1] == "_" and raw not in ("0", "1"):
                if bold:
                    self.take("_")
                    return self.sample(raw, self.group())
                base = self.name(raw, False)
                if not isinstance(base, sp.MatrixExpr):
                    raise MatrixReadError(f"a subscripted name {text}_... (an entry or a sample?) is not read here")
                self.take("_")
                return self.entry_of(base, self.group())
            return self.name(raw, bold)
        if kind == "fn":
            return self.call(text)
        if kind in ("name", "greek"):
            self.written.setdefault(text.lstrip("\\"), text)
            if text == "I" and self.peek()[1] == "_":
                self.take("_")
                return sp.Identity(self.dim(self.group()))
            if text == r"\sum":
                return self.sum_()
            if text == r"\pi" and r"\pi" not in self.shapes:
                return sp.pi
            if text in self.defs and text not in self.shapes:
                return self.defined(text)
            if self.peek()[1] == "_" and self.defs and text not in self.shapes:  # E_{\hat w}, defined
                saved = self.k
                self.take("_")
                key = subscripted_name(text, self.group())
                if key in self.defs:
                    return self.defined(key)
                self.k = saved
            if text in (r"\log", r"\ln") and f"{text} {self.peek()[1]}" in self.defs:  # \log L(w), defined
                return self.defined(f"{text} {self.take()[1]}")
            if text in CALLS or (text == "e" and self.peek()[1] == "^") or (text == r"\sigma" and self.peek()[1] == "("):
                return self.call(text)
            if kind == "greek" and text not in _SCALAR_GREEK and text not in self.shapes and text.lstrip("\\") not in self.shapes:
                raise MatrixReadError(f"the command {text} is not read here")
            if self.peek()[1] == "_":
                base = self.name(text, False)
                if not isinstance(base, sp.MatrixExpr):
                    raise MatrixReadError(f"a subscripted name {text}_... (an entry or a sample?) is not read here")
                self.take("_")
                return self.entry_of(base, self.group())
            if kind == "name" and text.isupper() and text not in self.shapes and not self.is_size(text):
                raise MatrixReadError(f"{text} has no shape in the prose (a matrix, or a name the note defines)")
            return self.name(text, False)
        if text in ("(", "["):
            before = self.toks[self.k - 2] if self.k >= 2 else (None, None)
            e = self.expr()
            self.take(")" if text == "(" else "]")
            # (A x)_i: its entry; after a function's name the bracket holds its argument (softmax(z)_k)
            if text == "(" and self.peek()[1] == "_" and isinstance(e, sp.MatrixExpr) \
                    and before[0] not in ("fn", "name", "greek"):
                self.take("_")
                return self.entry_of(e, self.group())
            return e
        if kind == "op":
            arg = self.factor()
            if "det" in text:
                return sp.Determinant(arg)
            return sp.Trace(arg)
        if kind == "frac":
            gn, gd = self.group(), self.group()
            second = re.match(r"\\partial\s*\^\s*\{?\s*2\s*\}?", gn)
            if second and gd.startswith(r"\partial"):  # \frac{\partial^2 f}{\partial w \partial w^\top}: the Hessian
                return self.hessian(gn[second.end():], gd)
            if gn.startswith(r"\partial") and gd.startswith(r"\partial"):
                if gn.strip() == r"\partial":  # \frac{\partial}{\partial w} f
                    return self.derivative(self.sub_expr(gd[len(r"\partial"):]), self.term())
                return self.derivative(self.sub_expr(gd[len(r"\partial"):]), self.sub_expr(gn[len(r"\partial"):]))
            num, den = self.sub_expr(gn), self.sub_expr(gd)
            if isinstance(den, sp.MatrixExpr):
                raise MatrixReadError("a fraction with a matrix below")
            return _mul(1 / den, num) if isinstance(num, sp.MatrixExpr) else num / den
        if kind == "hess":  # \nabla^2_{\mathbf w} f: the Hessian, the Jacobian of the gradient (d x d)
            var = self.sub_expr(self.group())
            if not (isinstance(var, sp.MatrixSymbol) and var.shape[1] == 1):
                raise MatrixReadError("a Hessian with respect to something that is not a vector")
            return self.gradient(var.T, self.gradient(var, self.term()))
        if kind == "nabla":
            var = self.sub_expr(self.group())
            if not isinstance(var, sp.MatrixSymbol):
                raise MatrixReadError("a gradient with respect to something that is not a vector or matrix")
            return self.gradient(var, self.term())  # \nabla_w applies to the rest of the product
        if kind == "norm":
            self._closing_norm = True
            inner = self.expr()
            self._closing_norm = False
            if self.take()[0] != "norm":
                raise MatrixReadError("an unclosed norm")
            order = None
            if self.peek()[1] == "_":
                self.take("_")
                order = self.group()
            if order not in (None, "1", "2"):
                raise MatrixReadError(f"the {order}-norm is not read here")
            squared = self.peek()[1] == "^" and self.peek(1)[1] == "2"
            if squared:
                self.take("^")
                self.take("2")
            if not isinstance(inner, sp.MatrixExpr):
                if not any(isinstance(x, MatrixElement) for x in sp.preorder_traversal(inner)):
                    raise MatrixReadError("the norm of a number (|x| is read by the scalar reader)")
                return inner ** 2 if squared else sp.Abs(inner)  # a 1 x 1 vector: its entry
            if inner.shape[1] != 1:
                raise MatrixReadError("the norm of a matrix (Frobenius or operator?) is not read here")
            return Norm(inner, int(order or 0), int(squared))  # as written: \|x\|, \|x\|_2, \|x\|_2^2, \|x\|_1
        if kind == "langle":
            a = self.expr()
            self.take(",")
            b = self.expr()
            if self.take()[0] != "rangle":
                raise MatrixReadError("an unclosed \\langle")
            return MatrixElement(a.T * b, 0, 0)
        raise MatrixReadError(f"unexpected {text!r}")

    def hessian(self, f_tex: str, gd: str):
        """``\\frac{\\partial^2 f}{\\partial \\mathbf w\\,\\partial \\mathbf w^\\top}``: the Jacobian of the gradient.
        ``\\partial \\mathbf w^2`` or ``\\partial \\mathbf w \\partial \\mathbf w`` (no transpose) is not read: the
        layout is not said."""
        parts = [p.strip() for p in re.split(r"\\partial(?![A-Za-z])", gd) if p.strip()]
        if len(parts) != 2:
            raise MatrixReadError(f"a second derivative by {gd!r} (write \\partial w \\partial w^\\top for the Hessian)")
        v1, v2 = self.sub_expr(parts[0]), self.sub_expr(parts[1])
        f = self.sub_expr(f_tex) if f_tex.strip() else self.term()
        if not (isinstance(v1, sp.MatrixSymbol) and isinstance(v2, sp.Transpose) and v2.arg == v1 and v1.shape[1] == 1):
            raise MatrixReadError("a second derivative other than the Hessian \\partial w \\partial w^\\top of a vector w")
        return self.gradient(v2, self.gradient(v1, f))

    def derivative(self, var, f):
        """``\\frac{\\partial f}{\\partial \\mathbf w}``: the gradient (a column), but a row for a number f where the
        prose states the numerator layout (``\\nabla_{\\mathbf w} f`` is a column in every layout)."""
        if self.layout == "numerator" and isinstance(var, sp.MatrixSymbol) and var.shape[1] == 1 \
                and not (isinstance(f, sp.MatrixExpr) and f.shape != (1, 1)):
            return self.gradient(var.T, f)
        return self.gradient(var, f)

    def gradient(self, var, f):
        if isinstance(var, sp.Transpose) and isinstance(var.arg, sp.MatrixSymbol) and var.arg.shape[1] == 1:
            w = var.arg  # d f / d w^T: the Jacobian of a column f (a row for a number f)
            if not any(x == w for x in sp.preorder_traversal(f)):
                raise MatrixReadError(f"the derivative of {f} by {w}^T: it does not show {w} (a name the note defines?)")
            gradient_like = isinstance(f, sp.Derivative) and isinstance(f.variables[0], sp.MatrixSymbol)
            if isinstance(f, sp.MatrixExpr) and f.shape[1] != 1 and not gradient_like:
                raise MatrixReadError("the derivative of a matrix by a transposed vector")
            return Jacobian(f, w)  # of a number: the row of its partial derivatives
        if isinstance(var, MatrixElement) and isinstance(var.parent, sp.MatrixSymbol):  # d f / d w_j: entry j
            if isinstance(f, sp.MatrixExpr) and not (f.shape[0] == 1 and f.shape[1] == 1):
                raise MatrixReadError("the derivative of a vector or matrix by one entry")
            self.gradient(var.parent, f)  # the checks
            return sp.Derivative(f, var)
        if not isinstance(var, sp.MatrixSymbol):
            raise MatrixReadError("a gradient with respect to something that is not a vector or matrix")
        if self.layout and isinstance(f, sp.MatrixExpr) and f.shape[1] == 1 and f.shape[0] != 1 and var.shape[1] == 1:
            jac = self.gradient(var.T, f)  # d z / d x of a vector z: the Jacobian, or its transpose
            return jac if self.layout == "numerator" else sp.Transpose(jac)
        if not any(x == var for x in sp.preorder_traversal(f)):
            raise MatrixReadError(f"the gradient of {f} in {var}: it does not show {var} (a name the note defines?)")
        return sp.Derivative(f, var)

    def sub_expr(self, tex: str):
        saved = (self.toks, self.k)
        try:
            return self.read(tex)
        finally:
            self.toks, self.k = saved


def _transpose(e):
    return e.T if isinstance(e, sp.MatrixExpr) else e


def _mul(a, b):
    """a b without evaluating a product that holds a matrix (SymPy's ``*`` calls ``doit``, which expands
    the entries of explicit function matrices: seconds for a sum of gradients)."""
    if isinstance(a, sp.MatrixExpr) or isinstance(b, sp.MatrixExpr):
        return sp.MatMul(a, b)
    return a * b


def _add(a, b, sign: int = 1):
    """a + b (a - b), a sum that holds a matrix left unevaluated as in ``_mul``; a 1 x 1 product beside
    a number is that number (``\\mathbf w^\\top\\mathbf x - y``)."""
    if isinstance(a, sp.MatrixExpr) != isinstance(b, sp.MatrixExpr):
        a, b = _as_number(a), _as_number(b)
    if isinstance(a, sp.MatrixExpr) or isinstance(b, sp.MatrixExpr):
        return sp.MatAdd(a, b if sign == 1 else _mul(sp.Integer(-1), b))
    return a + b if sign == 1 else a - b


def _as_number(e):
    if isinstance(e, sp.MatrixExpr) and e.shape[0] == 1 and e.shape[1] == 1:
        return MatrixElement(e, 0, 0)
    return e


def read_matrix_latex(tex: str, shapes: dict[str, tuple[str, str]], ctx: Context | None = None) -> tuple[sp.Basic, Context]:
    """The matrix expression of tex and the context that declares its names."""
    ctx = ctx or Context()
    return MatrixParser(shapes, ctx).read(tex), ctx
