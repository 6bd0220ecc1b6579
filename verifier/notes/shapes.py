"""Types before values: the symbols a note makes non-scalar (vectors, matrices, sets, random
variables), which must never be read as real numbers.

A symbol is non-scalar when the step writes it bold (``\\mathbf``, ``\\boldsymbol``, ``\\bm``) or
with an arrow (``\\vec``), transposes it (``^\\top``, ``^T``), or the prose says what it is ("the
matrix $A$", "$A$ and $B$ are matrices", "$x \\in \\mathbb{R}^n$", "$X \\sim \\mathcal{N}(...)$",
"随机变量 $X$").  A step that does arithmetic on such a symbol is not decided (``unknown`` with the
reason) until the vector and probability readings exist; a symbol that only appears as the argument
of a function (``\\Pr(\\mathbf{y} \\mid \\mathbf{x})``) is not read as a number, so it does not stop
the step.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from verifier.notes.bracket_entries import bracket_entries

_BOLD = re.compile(r"\\(mathbf|boldsymbol|bm|vec|overrightarrow|mathbfit)\s*\{\s*(\\?[A-Za-z]+|\d)\s*\}"
                   r"|\\(mathbf|boldsymbol|bm|vec)\s+(\\?[A-Za-z]+|[A-Za-z0-9])")
# \mathbf{E}[X], \mathbf{P}(A): an expectation or probability operator set in bold, not a vector
_BOLD_OPERATOR = re.compile(r"\\mathbf\s*\{\s*(?:E|P|Pr)\s*\}\s*(?:_|\[|\(|\\left|\\\{)")
_NAME = r"(?:\\(?:mathbf|boldsymbol|bm|vec|hat|tilde|bar)\s*\{\s*\\?[A-Za-z]+\s*\}|\\[A-Za-z]+|[A-Za-z])"
_TRANSPOSE = re.compile(r"(" + _NAME + r")(?:_\{[^{}]*\}|_\\?[A-Za-z0-9]+)?\s*\^\s*(?:\\top|\\intercal|T\b|"
                        r"\{\s*(?:\\top|\\intercal|T|\\mathrm\s*\{\s*T\s*\}|\\mathsf\s*\{\s*T\s*\}|\\rm\s*T)\s*\})")
# \sum_{t=0}^{T}, \prod_{i}^{T}, \int_0^T: the superscript of a big operator is its upper limit
_BIG_OPERATORS = {"\\sum", "\\prod", "\\int", "\\lim", "\\bigcup", "\\bigcap", "\\coprod", "\\max", "\\min",
                  "\\oint", "\\iint", "\\bigoplus", "\\bigotimes"}

_TYPE_WORDS = [
    ("matrix", r"matri(?:x|ces)|矩阵"),
    ("vector", r"vectors?|向量"),
    ("set", r"sets?\b|集合"),
    ("random variable", r"random\s+variables?|随机变量|随机向量"),
]


@dataclass(frozen=True)
class Shape:
    """A symbol the note makes non-scalar: what it is and where the note says so."""

    name: str  # LaTeX as written (A, \Sigma, \mathbf{x})
    what: str  # matrix, vector, set, random variable
    line: int | None
    how: str = ""

    def reason(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"{self.name} is a {self.what}{where}{self.how}"


def _bare(name: str) -> str:
    m = re.fullmatch(r"\\(?:mathbf|boldsymbol|bm|vec)\s*\{\s*(\\?[A-Za-z]+)\s*\}", name.strip())
    return m.group(1) if m else name.strip()


_INLINE = re.compile(r"\$([^$]+)\$")


def declared_shapes(text: str) -> dict[str, Shape]:
    """Names the prose (or an inline statement) of a note makes non-scalar, by their bare LaTeX: the
    first statement of each name wins.  Every line is read on its own (:func:`_line_declarations`,
    remembered by its text), so the prefixes of a note that its steps ask about cost one reading of
    each line, not one of the whole prefix per step."""
    out: dict[str, Shape] = {}
    for ln_no, line in enumerate(text.splitlines(), 1):
        for name, what in _line_declarations(line):
            out.setdefault(name, Shape(name, what, ln_no))
    return out


@lru_cache(maxsize=16384)
def _line_declarations(line: str) -> tuple[tuple[str, str], ...]:
    """The (name, what) one line declares, in the order they are met (the first one of a name wins)."""
    found: list[tuple[str, str]] = []
    for m in _INLINE.finditer(line):
        body = m.group(1).strip()
        mm = re.fullmatch(r"(" + _NAME + r")(?:\s*,\s*" + _NAME + r")*\s*\\in\s*\\mathbb\s*\{?\s*R\s*\}?\s*\^\s*"
                          r"\{?([^{}$]*)\}?\s*", body)
        if mm:
            dims = mm.group(2)
            what = "matrix" if re.search(r"\\times|×|\*", dims) else ("vector" if dims.strip() not in ("1", "") else "")
            if what:
                found += [(_bare(name), what) for name in re.findall(_NAME, body.split("\\in")[0])]
            continue
        mm = re.fullmatch(r"([A-Z]|\\[A-Z][a-z]+)\s*\\sim\s*.+", body)
        if mm:
            found.append((mm.group(1), "random variable"))
    for what, words in _TYPE_WORDS:
        # "the matrix $A$", "matrices $A$ and $B$", "$A$ and $B$ are matrices", "$A$ is a 3x3 matrix"
        for m in re.finditer(r"(?:" + words + r")\s*((?:\$[^$]+\$(?:\s*(?:,|and|和|与|、)\s*)?)+)", line, re.I):
            for body in _INLINE.findall(m.group(1)):
                found += [(name, what) for name in _names_declared(body, what)]
        for m in re.finditer(r"((?:\$[^$]+\$(?:\s*(?:,|and|和|与|、)\s*)?)+)\s*(?:is|are|be|denotes?|为|是)\s+"
                             r"(?:an?\s+|the\s+|一个\s*)?(?:[\w\-×\\$^{}]+\s+){0,3}?(?:" + words + r")", line, re.I):
            for body in _INLINE.findall(m.group(1)):
                found += [(name, what) for name in _names_declared(body, what)]
    return tuple(found)


def _names_declared(body: str, what: str) -> list[str]:
    """The names an inline statement of a kind declares: ``$A, B, C$`` are three; a lowercase name
    declared a matrix (or set, ...) is more likely an entry, and declares nothing."""
    body = body.strip()
    parts = [q.strip() for q in re.split(r"\s*,\s*", body)]
    if len(parts) > 1 and all(re.fullmatch(_NAME, q) for q in parts):  # $A, B, C$ are matrices
        return [n for q in parts for n in _names_declared(q, what)]
    if re.fullmatch(_NAME + r"(?:_\{?[A-Za-z0-9]\}?)?", body):
        name = _bare(re.match(_NAME, body).group(0))
        if what != "vector" and not re.fullmatch(r"[A-Z]|\\[A-Z][a-z]+", name):
            return []
        return [name]
    return []


_ARG_PIECE = re.compile(r"\s*(?:\\(?:mathbf|boldsymbol|bm|vec|hat|tilde|bar|mathrm)\s*\{\s*\\?[A-Za-z]+\s*\}|\\?[A-Za-z]+)"
                        r"\s*(?:_\{?\s*[A-Za-z0-9]+\s*\}?)?\s*(?:=\s*[A-Za-z0-9]+\s*)?")


def _plain_arguments(latex: str, start: int) -> bool:
    """Are the arguments of the call opened just before `start` plain names (y | x, theta; x_i, phi)?
    Only then is the call harmless: a product inside it (tr(AB), f(AB)) may not be reordered."""
    depth, j = 1, start
    while j < len(latex) and depth:
        depth += (latex[j] in "([") - (latex[j] in ")]")
        j += 1
    inner = re.sub(r"\\right\s*$|\\[,;!: ]|\\big|\\Big", " ", latex[start:j - 1])
    pieces = re.split(r"\\mid|\||,|;", inner)
    return all(_ARG_PIECE.fullmatch(p) for p in pieces if p.strip())


_BOUND_SCRIPT = re.compile(r"\\(?:sum|prod|int|oint|max|min|sup|inf|lim|bigcup|bigcap|mathop\s*\{[^{}]*\})"
                           r"(?:\\limits|\\nolimits)?\s*_\s*\{")


def _strip_bound_scripts(latex: str) -> str:
    """The step without the subscripts of sums, products, integrals and extrema (their variables are
    bound: ``\\sum_{\\boldsymbol{x} \\in \\mathcal{X}}`` reads no vector as a number)."""
    out, pos = [], 0
    for m in _BOUND_SCRIPT.finditer(latex):
        if m.start() < pos:
            continue
        depth, j = 1, m.end()
        while j < len(latex) and depth:
            depth += (latex[j] == "{") - (latex[j] == "}")
            j += 1
        out.append(latex[pos:m.end() - 1] + "{·}")
        pos = j
    out.append(latex[pos:])
    return "".join(out)


def _strip_call_arguments(latex: str) -> str:
    """The step without the arguments of function calls (\\Pr(...), p(...), f[...])."""
    out, i, n = [], 0, len(latex)
    while i < n:
        m = re.match(r"(\\operatorname\*?\s*\{[^{}]*\}|\\mathrm\s*\{[^{}]*\}|\\[A-Za-z]+|[A-Za-z])\s*(?:\\left\s*)?([(\[])",
                     latex[i:])
        if m and _plain_arguments(latex, i + m.end()) and not re.match(r"\\(?:left|right|frac|sqrt|sum|prod|int|lim|log|ln|exp|sin|cos|tanh|mathbf|boldsymbol|"
                              r"bm|vec|cdot|times|big|Big|bigg|Bigg)\b", m.group(1)):
            out.append(m.group(1))
            j = i + m.end()
            depth = 1
            while j < n and depth:
                if latex[j] in "([":
                    depth += 1
                elif latex[j] in ")]":
                    depth -= 1
                j += 1
            out.append("(·)")
            i = j
            continue
        out.append(latex[i])
        i += 1
    return "".join(out)


_MATRIX_LITERAL = re.compile(r"\\begin\{([pbvBV]?matrix|array|smallmatrix)\*?\}")


def non_scalar(latex: str, declared: dict[str, Shape]) -> Shape | None:
    """The first non-scalar symbol a step reads as a number, or None."""
    m = _MATRIX_LITERAL.search(latex)
    if m:
        return Shape(f"\\begin{{{m.group(1)}}}", "matrix", None, " (a matrix written out)")
    # (\mathbf{W})_{ij} is an entry, a number (notes.bracket_entries)
    body = _strip_call_arguments(_strip_bound_scripts(bracket_entries(latex, refuse=False)))
    m = next((b for b in _BOLD.finditer(body) if not _BOLD_OPERATOR.match(body, b.start())), None)
    if m:
        name = m.group(0).replace(" ", "")
        return declared.get(_bare(name)) or Shape(name, "vector or matrix", None, " (written in bold)")
    m = next((t for t in _TRANSPOSE.finditer(body) if t.group(1) not in _BIG_OPERATORS), None)
    if m:
        name = m.group(1)
        return declared.get(_bare(name)) or Shape(name, "vector or matrix", None, " (it is transposed)")
    for name, shape in declared.items():
        uses = re.findall(r"(?<![\\A-Za-z])" + re.escape(name) + r"(?![A-Za-z])(\s*_\s*(?:\{[^{}]*\}|\S))?", body)
        entry = _ENTRY_OF.get(shape.what)
        if uses and not (entry is not None and all(entry.fullmatch(u) for u in uses)):
            return shape  # (A_{ij} of a matrix, y_k of a vector: an entry is a number)
    return None


_ENTRY_OF = {"matrix": re.compile(r"\s*_\s*\{\s*[A-Za-z0-9]\s*,?\s*[A-Za-z0-9]\s*\}"),
             "vector": re.compile(r"\s*_\s*(?:\{\s*(?:[A-Za-z]|\d+)\s*\}|[A-Za-z0-9])")}


def shape_message(shape: Shape) -> str:
    kind = "probability" if shape.what == "random variable" else ("set" if shape.what == "set" else "vector and matrix")
    return f"{shape.reason()}: {kind} steps are not decided yet (never read as a real number)"
