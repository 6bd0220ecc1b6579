"""Functions and definitions in the matrix reading (a mixin of ``notes.matrix_reader.MatrixParser``).

* ``\\log``, ``\\exp``, ``e^{...}``, ``\\sigma(...)`` (the logistic function, only where the note
  says so), ``\\operatorname{softmax}``, ``\\operatorname{diag}``: applied to a vector they act entry
  by entry (``\\sigma(X\\mathbf w)`` is the vector of the ``\\sigma((X\\mathbf w)_i)``); applied to a
  1 x 1 product they are scalars;
* the note's scalar definitions (``J(\\mathbf w) = \\|X\\mathbf w - \\mathbf y\\|_2^2``, found by
  :func:`definitions_in` at the head of earlier chains): a use ``J(\\mathbf w)`` or a bare ``J``
  reads as the definition (the same argument only).  A definition that does not read, or that is
  a vector, stops the step (``MatrixReadError``): never a guess.
"""
from __future__ import annotations

import re
from functools import lru_cache

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.matexpr import MatrixElement

from verifier.notes.blocks import MathBlock, find_blocks
from verifier.notes.chains import chains_of
from verifier.notes.linalg_reader import MatrixReadError
from verifier.notes.memo import copied_cache
from verifier.notes.prose_shapes import LAYER, name_key

MatrixExpr = sp.matrices.expressions.MatrixExpr

_T = sp.Dummy("t")
#: the scalar functions a vector may be passed to (entry by entry)
FUNCTIONS = {
    r"\log": sp.Lambda(_T, sp.log(_T)), r"\ln": sp.Lambda(_T, sp.log(_T)), r"\exp": sp.Lambda(_T, sp.exp(_T)),
    "e": sp.Lambda(_T, sp.exp(_T)), r"\sigma": sp.Lambda(_T, 1 / (1 + sp.exp(-_T))),
    r"\tanh": sp.Lambda(_T, sp.tanh(_T)),
}
#: names that are read as calls (operator names are the ``fn`` tokens)
CALLS = {r"\log", r"\ln", r"\exp", r"\tanh"}
_VECTOR_OPS = ("softmax", "diag")

_SIGMOID = re.compile(r"sigmoid|logistic|\\sigma\s*\(\s*z\s*\)\s*=\s*\\[dt]?frac\s*\{?\s*1\s*\}?\s*\{\s*1\s*\+\s*e\s*\^\s*\{?\s*-")
_HEAD = re.compile(r"\s*(\\log\s*|\\ln\s*)?((?:[A-Za-z]|\\ell|\\mathcal\s*\{\s*L\s*\}))\s*(?:\(\s*(.+?)\s*\))?\s*")
#: a vector the note defines (``\mathbf z = W\mathbf x + \mathbf b``) or one entry of it (``p_k = ...``,
#: ``\sigma_i = \sigma(\mathbf w^\top \mathbf x_i)``: a Greek letter that names entries, not one of a parameter
#: such as \mu, \theta, \alpha)
_VECTOR_HEAD = re.compile(r"\s*\\(?:mathbf|boldsymbol|bm)\s*\{\s*([A-Za-z])\s*\}\s*"
                          r"|\s*([a-z]|\\(?:sigma|pi|epsilon|varepsilon|phi|psi))_\{?([a-z])\}?\s*")
_DENOMINATOR = re.compile(r"\\nabla_\s*\{?\s*(?:\\(?:mathbf|boldsymbol|bm)\s*\{?\s*)?(\\?[A-Za-z]+)|"
                          r"\{\s*\\partial\s*(?:\\(?:mathbf|boldsymbol|bm)\s*\{?\s*)?(\\?[A-Za-z]+)")


#: a label that is part of a name (a word, not an index; a star): \hat{\mathbf w}_{\text{ridge}},
#: \hat{\bm\mu}_{\mathrm{ML}}, w^*, w^\star
NAME_LABEL = (r"(?:\s*_\s*\{\s*\\(?:text|mathrm|rm|operatorname|textrm)\s*\{\s*[A-Za-z]{2,}\s*\}\s*\}"
              r"|\s*_\s*\\(?:text|mathrm|textrm)\s*\{\s*[A-Za-z]{2,}\s*\}"
              r"|\s*\^\s*(?:\*|\\star\b|\\ast\b|\{\s*(?:\*|\\star|\\ast)\s*\}))")
#: a written name: bold, accented, with a layer label (``\\hat{\\boldsymbol{y}}``, ``\\mathbf{W}^{(2)}``, ``z^{(2)}``)
WRITTEN_NAME = (r"(?:\\(?:hat|widehat|tilde|widetilde|bar|overline|check)(?![A-Za-z])\s*(?:\{(?:[^{}]|\{[^{}]*\})*\}|\s*[A-Za-z])|"
                r"\\(?:mathbf|boldsymbol|bm|vec)\s*(?:\{(?:[^{}]|\{[^{}]*\})*\}|\s+\\?[A-Za-z])|\\?[A-Za-z]+)(?:\s*" + LAYER + ")?"
                r"(?:" + NAME_LABEL + ")?")
_VARIABLE = re.compile(r"\\nabla_\s*\{?\s*(" + WRITTEN_NAME + r")|\{\s*\\partial\s*(" + WRITTEN_NAME + ")")


def variables_of(tex: str) -> set[str]:
    """The names a step differentiates by (``\\nabla_{\\mathbf x}``, ``\\partial W_{kj}`` below a fraction
    bar): they stay themselves, the note's definitions of them are not substituted in that step."""
    out = set()
    for m in _VARIABLE.finditer(tex):
        if m.group(2) and not _is_denominator(tex, m.start()):
            continue
        out.add(name_key(m.group(1) or m.group(2))[0].lstrip("\\"))
    for m in re.finditer(r"\\partial(?![A-Za-z])\s*(" + WRITTEN_NAME + ")", tex):  # \partial w \partial w^T: both
        if _in_denominator(tex, m.start()):
            out.add(name_key(m.group(1))[0].lstrip("\\"))
    return out


def _in_denominator(tex: str, pos: int) -> bool:
    """Is pos inside the second argument of a \\frac?"""
    depth, j = 0, pos - 1
    while j >= 0:
        if tex[j] == "}":
            depth += 1
        elif tex[j] == "{":
            if depth == 0:
                return _is_denominator(tex, j)
            depth -= 1
        j -= 1
    return False


def _is_denominator(tex: str, brace: int) -> bool:
    """Is the group opening at `brace` the second argument of a \\frac?"""
    depth, j = 0, brace - 1
    while j >= 0 and tex[j].isspace():
        j -= 1
    if j < 0 or tex[j] != "}":
        return False
    depth = 1
    j -= 1
    while j >= 0 and depth:
        depth += (tex[j] == "}") - (tex[j] == "{")
        j -= 1
    return bool(re.search(r"\\[dt]?frac\s*$", tex[:j + 1]))
_ROWS = re.compile(r"\brows?\b|按行|第\s*\$?i\$?\s*行", re.I)


def says_sigmoid(prose: str) -> bool:
    """Does the note say that sigma is the logistic function?"""
    return bool(_SIGMOID.search(prose))


_LAYOUTS = {"denominator": re.compile(r"\bdenominator[- ]layout\b|分母布局", re.I),
            "numerator": re.compile(r"\bnumerator[- ]layout\b|分子布局", re.I)}


def stated_layout(prose: str) -> str | None:
    """The layout the prose states for the derivative of a vector by a vector (``numerator``: d z / d x is
    the Jacobian, K x d; ``denominator``: its transpose, d x K), or None when it names none or both."""
    said = [name for name, pat in _LAYOUTS.items() if pat.search(prose)]
    return said[0] if len(said) == 1 else None


def samples_in(prose: str, shapes: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Bold names whose samples are the rows of the matrix of the same letter (``x_i`` of ``X``), when
    the prose speaks of rows at all; the name -> the matrix's name."""
    if not _ROWS.search(prose):
        return {}
    out = {}
    for name, (rows, cols) in shapes.items():
        if re.fullmatch(r"[A-Z]", name) and cols != "1":
            out[name.lower()] = name
    for m in _ROW_IS.finditer(prose):  # "$\mathbf{X}$ 的第 $i$ 行恰为 $\hat{\boldsymbol{x}}_i^{\mathrm{T}}$"
        mat, vec = name_key(m.group(1))[0], name_key(m.group(2))[0]
        if mat in shapes and shapes[mat][1] != "1":
            out[vec.lstrip("\\")] = mat
    return out


_ROW_IS = re.compile(r"\$\s*(" + WRITTEN_NAME + r")\s*\$\s*(?:的)?\s*第\s*\$?\s*i\s*\$?\s*行\s*(?:恰|就|正好)?\s*(?:为|是)\s*"
                     r"\$\s*(" + WRITTEN_NAME + r")\s*_\s*\{?\s*i\s*\}?")


def _section_start(lines: list[str]) -> int:
    for k in range(len(lines) - 1, -1, -1):
        if re.match(r"#{1,6}\s|\\(?:sub)*section\*?\{", lines[k]):
            return k + 1
    return 1


@copied_cache(8)  # every matrix step asks with the note up to its line, most steps of a chain with the same
def definitions_in(prose: str) -> dict[str, tuple[str | None, list[str]]]:
    """Definitions at the head of the chains before the step: name -> (argument, the expressions of its
    chain) as LaTeX; the first that reads is its value.  A name's first definition in the note holds (a
    later chain that starts with the name restates it, and may be a claim of its own), unless the step's
    own section defines it again (then its first definition there)."""
    try:
        blocks = find_blocks(prose, tex="\\begin{document}" in prose or "\\section" in prose)
    except Exception:  # noqa: BLE001 - the note's structure is read elsewhere; no definitions then
        return {}
    start = _section_start(prose.splitlines())
    first: dict[str, tuple] = {}
    here: dict[str, tuple] = {}
    for block in blocks:
        for name, value in _block_definitions(block.body, block.delimiter, block.body_line):
            first.setdefault(name, value)
            if block.line >= start:
                here.setdefault(name, value)
    return {**first, **here}


@lru_cache(maxsize=4096)
def _block_definitions(body: str, delimiter: str, body_line: int) -> tuple:
    """The definitions at the head of a block's chains: a block before a step is the same block for every
    later step, so its chains are read once (they are a function of these three fields)."""
    block = MathBlock(line=0, body=body, body_line=body_line, delimiter=delimiter)
    return tuple(found for chain in chains_of(block) if (found := _definition(chain.segments)) is not None)


_SUBSCRIPTED_HEAD = re.compile(r"\s*([A-Z]|\\ell|\\mathcal\s*\{\s*L\s*\})\s*_\s*\{\s*(" + WRITTEN_NAME + r")\s*\}\s*")


def subscripted_name(letter: str, sub: str) -> str:
    """The key of a name written with a parameter below it: ``E_{\\hat{\\boldsymbol w}}`` -> ``E_{\\hat{w}}``."""
    letter = re.sub(r"\s+", "", letter)
    return f"{letter}_{{{name_key(sub)[0]}}}"


def _definition(segs) -> tuple[str, tuple] | None:
    if len(segs) < 2 or segs[1].relation not in ("=", r"\coloneqq", ":=", r"\triangleq", r"\equiv"):
        return None
    v = _VECTOR_HEAD.fullmatch(segs[0].latex)
    head = re.fullmatch(r"\s*(" + WRITTEN_NAME + r")\s*", segs[0].latex) if not v else None
    key, bold = name_key(head.group(1)) if head else ("", False)
    if v or (bold and not key.startswith("\\mathbf")):  # a vector, or an entry with its index letter
        values = [g.latex for g in segs[1:] if g.relation == "=" and "\\begin" not in g.latex]
        name = (v.group(1) or v.group(2)).lstrip("\\") if v else key.lstrip("\\")
        return (f"vec:{name}", ((v.group(3) or "") if v else "", values)) if values else None
    m = _HEAD.fullmatch(segs[0].latex)
    sub = _SUBSCRIPTED_HEAD.fullmatch(segs[0].latex) if not m else None
    if sub:  # E_{\hat{\boldsymbol w}} = ...: a name with its parameter written below
        name = subscripted_name(sub.group(1), sub.group(2))
        return name, (None, [g.latex for g in segs[1:] if g.relation == "="])
    if not m:
        return None
    name = re.sub(r"\s+", "", m.group(2))
    if m.group(1):  # \log L(w) = -\ell(w): the log of a name
        name = f"{m.group(1).strip()} {name}"
    return name, (m.group(3), [g.latex for g in segs[1:] if g.relation == "="])


class CallsMixin:
    """Needs ``self.factor``, ``self.peek``, ``self.take``, ``self.group``, ``self.expr``, ``self.sub_expr``,
    ``self.defs``, ``self.sigmoid``, ``self.expanding``."""

    def call(self, text: str) -> sp.Basic:
        op = re.sub(r"^\\(?:operatorname|mathrm)\s*\{|\}$", "", text)
        if op in _VECTOR_OPS:
            return self.vector_op(op, self.factor())
        if text.startswith((r"\operatorname", r"\mathrm")):
            raise MatrixReadError(f"the operator {text} is not read here")
        if text == "e":
            self.take("^")
            return _apply(FUNCTIONS["e"], self.sub_expr(self.group()))
        if text == r"\sigma" and not self.sigmoid:
            raise MatrixReadError(r"\sigma(...) where the note does not say it is the logistic function")
        return _apply(FUNCTIONS[text], self.factor())

    def vector_op(self, op: str, arg: sp.Basic) -> sp.Basic:
        if not isinstance(arg, MatrixExpr) or arg.shape[1] != 1:
            raise MatrixReadError(f"{op} of something that is not a column vector")
        n = arg.shape[0]
        r, c, m = sp.Dummy("r", integer=True), sp.Dummy("c", integer=True), sp.Dummy("m", integer=True)
        if op == "diag":
            return sp.FunctionMatrix(n, n, sp.Lambda((r, c), sp.KroneckerDelta(r, c) * arg[r, 0]))
        e = sp.FunctionMatrix(n, 1, sp.Lambda((r, c), sp.exp(arg[r, 0]) / sp.Sum(sp.exp(arg[m, 0]), (m, 0, n - 1))))
        if self.peek()[1] == "_":  # softmax(z)_k: an entry
            self.take("_")
            return self.entry_of(e, self.group())
        return e

    def defined(self, name: str) -> sp.Basic:
        arg, values = self.defs[name]
        if self.peek()[1] == "(":
            self.take("(")
            used = self.expr()
            self.take(")")
            if arg is None or used != self.sub_expr(arg):
                raise MatrixReadError(f"{name} at an argument other than the one of its definition")
        if name in self.expanding:
            raise MatrixReadError(f"the definition of {name} refers to itself")
        self.expanding.add(name)
        e, why = None, "it has no value"
        try:
            for rhs in values:
                try:
                    e = self.sub_expr(rhs)
                    break
                except MatrixReadError as exc:
                    why = f"{rhs[:40]}: {exc}"
        finally:
            self.expanding.discard(name)
        if e is None:
            raise MatrixReadError(f"the definition of {name} is not read ({why})")
        if isinstance(e, MatrixExpr) and not (e.shape[0] == 1 and e.shape[1] == 1):
            raise MatrixReadError(f"{name} is defined as a vector or matrix")
        return e


def vector_definition(parser, name: str):
    """The vector a note defines (``vec:z``), read in place of its name; None when the step differentiates
    by it, or it is being read already (its own definition)."""
    name = name.lstrip("\\")
    key = f"vec:{name}"
    if key not in parser.defs or name in parser.variables or key in parser.expanding:
        return None
    letter, values = parser.defs[key]
    parser.expanding.add(key)
    saved_free, parser.free = parser.free, {}
    saved_bound, parser.bound = parser.bound, {}  # the definition's own index is free in it
    try:
        e, why = None, ""
        for rhs in values:
            try:
                e = parser.sub_expr(rhs)
                break
            except MatrixReadError as exc:
                why = str(exc)
        free = parser.free
    finally:
        parser.free, parser.bound = saved_free, saved_bound
        parser.expanding.discard(key)
    if e is None:
        raise MatrixReadError(f"the definition of {name} is not read ({why})")
    if not letter:
        if free:
            raise MatrixReadError(f"the definition of {name} has a free index")
        return e
    k = sp.Symbol(letter, integer=True, positive=True)
    if set(free) != {k}:
        raise MatrixReadError(f"the entry {name}_{letter} is defined with other free indices")
    r, c = sp.Dummy("r", integer=True), sp.Dummy("c", integer=True)
    return sp.FunctionMatrix(free[k][0], 1, sp.Lambda((r, c), _as_scalar(e).xreplace({k: r + 1})))


def _as_scalar(e: sp.Basic) -> sp.Basic:
    if isinstance(e, MatrixExpr):
        if e.shape[0] == 1 and e.shape[1] == 1:
            return MatrixElement(e, 0, 0)
        raise MatrixReadError("an entry defined as a vector")
    return e


def _apply(f: sp.Lambda, arg: sp.Basic) -> sp.Basic:
    if isinstance(arg, MatrixExpr):
        if arg.shape[0] == 1 and arg.shape[1] == 1:
            return f(MatrixElement(arg, 0, 0))
        return ElementwiseApplyFunction(f, arg)
    return f(arg)
