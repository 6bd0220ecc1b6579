"""One vector / matrix step of a note: read with the shapes the prose states, decided by the matrix
engine.  Conservative by construction: anything it cannot read, a bold name without a shape, or
matrix names beside matrix literals (the prose may bind ``A`` to a literal in an example) gives
``unknown`` with the reason, never a guess."""
from __future__ import annotations

import re

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from verifier.engine.decide import decide, decide_step
from verifier.engine.problem import Problem
from verifier.model.context import Context
from verifier.model.exprs import as_expr
from verifier.model.results import REFUTED, UNKNOWN, Verdict
from verifier.model.shapes import ShapeError, compare_shapes, has_matrices
from verifier.notes.linalg_reader import MatrixReadError
from verifier.notes.matrix_calls import definitions_in, samples_in, says_sigmoid, stated_layout
from verifier.notes.matrix_reader import MatrixParser
from verifier.notes.memo import copied_cache
from verifier.notes.prose_shapes import LAYER, dims_of, name_key, plain, shapes_in
from verifier.notes.scan import ReadError
from verifier.notes.shapes import declared_shapes
from verifier.notes.statements import EQUATION, PROSE_CUES, last_sentences
from verifier.notes.symmetric_readings import stated_symmetric


def _literals(e: sp.Basic) -> bool:
    return any(isinstance(x, sp.MatrixBase) for x in sp.preorder_traversal(e))


def _symbols(e: sp.Basic) -> bool:
    return any(isinstance(x, sp.MatrixSymbol) for x in sp.preorder_traversal(e))


_MATRIX_HINT = re.compile(r"\\(?:mathbf|boldsymbol|bm|vec)\b|\^\s*\\top|\^\s*\{\s*\\(?:top|intercal|mathrm\s*\{?T)|"
                          r"\\begin\{[pbvBV]?matrix\}|\\operatorname\{tr\}|\\odot|\\langle|\\nabla_")


def looks_like_matrices(tex: str) -> bool:
    """Vector or matrix notation in a step (bold names, transposes, literals, tr, odot, nabla)."""
    return bool(_MATRIX_HINT.search(tex))


def shaped_names(tex: str, prose: str) -> list[str]:
    """The names in tex that the prose gives a vector or matrix shape (they are not numbers)."""
    from verifier.notes.matrix_reader import tokens  # same layer

    stated, fresh = note_shapes(prose)
    binary_vectors(prose, stated)  # (adds the vectors in {0,1}^K)
    invented = {f"{FRESH}_{{{k}}}" for k in fresh} | {f"{FRESH}_{{{k[2:]}}}" for k in fresh}
    shapes = {k: v for k, v in stated.items() if (v[0], v[1]) != ("1", "1") and not (set(v) & invented)
              and not v[0].startswith(FRESH + "_")}
    if not shapes:
        return []
    try:
        toks = tokens(tex)
    except MatrixReadError:
        toks = [("name", t) for t in re.findall(r"\\?[A-Za-z]+", tex)]
    out = []
    for kind, text in toks:
        name = name_key(text)[0] if kind in ("bold", "deco") else text
        if name in shapes or name.lstrip("\\") in shapes:
            out.append(name)
    return sorted(set(out))


def prose_before(lines: list[str], line: int) -> str:
    """The note up to the step's line.  A shape stated later overrides one stated before (``shapes_in``
    keeps the last), so a section that restates ``A \\in \\mathbb R^{n \\times n}`` wins over the
    introduction, and a convention of the introduction holds where no section restates it."""
    return "\n".join(lines[:max(0, min(line, len(lines)))])


#: the prefix of the sizes the reading invents for a vector or matrix the prose names without a size
FRESH = "s"


@copied_cache(8)  # a matrix step asks twice with the same prose: for its shaped names, then to read it
def note_shapes(prose: str) -> tuple[dict[str, tuple[str, str]], set[str]]:
    """The shapes the prose states (``prose_shapes``), and for a name it only calls a vector or a matrix
    ("$\\mathbf x, \\mathbf y$ are column vectors", "$A, B, C$ are matrices") invented sizes
    (``s_{x}``; ``s_{rC}`` x ``s_{cC}``) that the step's products later tie to the stated ones."""
    shapes = dict(shapes_in(prose))
    for key, shape in list(shapes.items()):  # x_1, ..., x_N in R^D: x is in R^D too
        m = re.fullmatch(r"(\\?[A-Za-z]+)_\{?[A-Za-z0-9]\}?", key)
        if m and m.group(1) not in shapes and shape[1] == "1":
            shapes[m.group(1)] = shape
    for m in _DEFINED_IN.finditer(prose):  # $\\mathbf z = (z_1, \\dots, z_K)^\\top \\in \\mathbb R^K$
        name = plain(m.group(1)).strip()
        if name not in shapes:
            try:
                shapes[name] = dims_of(m.group(2))
            except ValueError:
                pass
    fresh: set[str] = set()
    for name, shape in declared_shapes(prose).items():
        key = name.lstrip("\\")
        if name in shapes or key in shapes or not re.fullmatch(r"[A-Za-z]+", key):
            continue
        if shape.what == "vector":
            shapes[name] = (f"{FRESH}_{{{key}}}", "1")
            fresh.add(f"{FRESH}_{key}")
        elif shape.what == "matrix":
            shapes[name] = (f"{FRESH}_{{r{key}}}", f"{FRESH}_{{c{key}}}")
            fresh |= {f"{FRESH}_r{key}", f"{FRESH}_c{key}"}
    return shapes, fresh


_DEFINED_IN = re.compile(r"\$\s*(\\(?:mathbf|boldsymbol|bm)\s*\{\s*[A-Za-z]\s*\}|[A-Za-z])\s*=[^$]*?\\in\s*\\mathbb\s*\{?R\}?"
                         r"\s*\^\s*(\{[^{}$]*\}|[A-Za-z0-9])\s*\$")
_KIND_WORDS = (("spd", r"symmetric\s+positive\s+definite|positive\s+definite|对称正定|正定"),
               ("symmetric", r"symmetric|对称"))
_BINARY = re.compile(r"(\\(?:mathbf|boldsymbol|bm)\s*\{?\s*\\?[A-Za-z]+\s*\}?|[A-Za-z])\s*\\in\s*\\\{\s*0\s*,\s*1\s*\\\}\s*\^\s*\{?\s*([A-Za-z0-9]+)\s*\}?")


def binary_vectors(prose: str, shapes: dict[str, tuple[str, str]]) -> dict[str, str]:
    """The vectors the prose puts in ``\\{0,1\\}^n`` (their shapes are added to ``shapes``): name ->
    "onehot" where the prose says one-hot next to it, else "binary"."""
    kinds: dict[str, str] = {}
    for m in _BINARY.finditer(prose):
        name = plain(m.group(1)).strip()
        shapes.setdefault(name, (m.group(2), "1"))
        near = prose[max(0, m.start() - 40):m.end() + 40]
        kinds[name] = "onehot" if re.search(r"one[- ]?hot|独热", near, re.I) else "binary"
    return kinds


def note_kinds(prose: str, shapes: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Kinds of entries the prose states: "$\\Sigma$ is symmetric positive definite" (spd), "$A$ is
    symmetric"; a vector in ``\\{0,1\\}^n`` has binary entries (its shape is added to ``shapes``)."""
    kinds = binary_vectors(prose, shapes)
    for m in re.finditer(r"\$([^$]+)\$\s*(?:is|are|为|是)\s+(?:an?\s+|also\s+)?((?:[\w\s]){0,40})", prose):
        words = m.group(2)
        for kind, pattern in _KIND_WORDS:
            if re.match(r"\s*(?:" + pattern + ")", words, re.I):
                for name in re.split(r"\s*,\s*", plain(m.group(1)).strip()):
                    if name in shapes and shapes[name][0] == shapes[name][1]:
                        kinds.setdefault(name, kind)
                break
    for name in stated_symmetric(prose):  # "let $A \\in \\mathbb{R}^{n \\times n}$ be a symmetric matrix"
        if name in shapes and shapes[name][0] == shapes[name][1]:
            kinds.setdefault(name, "symmetric")
    return kinds


def tie_sizes(a: sp.Basic, b: sp.Basic, ctx: Context, fresh: set[str]) -> tuple[sp.Basic, sp.Basic]:
    """Sizes the reading invented, tied to the sizes the step's products and sums need (``x^\\top A x``
    with A n x n makes x n x 1).  A misfit between stated sizes is left for the engine to report."""
    for _ in range(40):
        try:
            compare_shapes(a, b)
            return a, b
        except ShapeError as exc:
            sub = {}
            for p, q in exc.needs:
                p, q = as_expr(p), as_expr(q)
                if isinstance(p, sp.Symbol) and p.name in fresh and p != q:
                    sub = {p: q}
                elif isinstance(q, sp.Symbol) and q.name in fresh and p != q:
                    sub = {q: p}
                if sub:
                    break
            if not sub:
                return a, b
            a, b = a.xreplace(sub), b.xreplace(sub)
            ctx.matrices = {m.xreplace(sub): dom for m, dom in ctx.matrices.items()}
            for s in sub:
                ctx.sizes.pop(s, None)
    return a, b


def _twins(a: sp.Basic, b: sp.Basic, ctx: Context) -> tuple[sp.Basic, sp.Basic]:
    """A name written plain and in bold in one step (``y`` and ``\\boldsymbol y`` where the note says the
    size is 1): the plain one is the 1 x 1 vector's entry; of any other size the step mixes a number and
    a vector, and is not read."""
    used = a.free_symbols | b.free_symbols
    sub = {}
    for m in list(ctx.matrices):
        twin = next((s for s in used if isinstance(s, sp.Symbol) and s.name == m.name and s in ctx.scalars), None)
        present = any(x == m for e in (a, b) for x in sp.preorder_traversal(e))
        if twin is None or not present:
            continue
        if m.shape != (1, 1):
            raise MatrixReadError(f"{m.name} is written plain and in bold (a number and a {m.shape[0]}x{m.shape[1]} "
                                  "vector or matrix?)")
        sub[twin] = MatrixElement(m, 0, 0)
    return (a.xreplace(sub), b.xreplace(sub)) if sub else (a, b)


_FIXED = re.compile(r"(?:\bwhen\b|\bif\b|当|若|如果|只有)[^.。;；$]{0,60}?[（(]?\s*\$\s*([A-Za-z])\s*=\s*(\d+)\s*\$", re.I)
#: a bold name the prose gives a value (``$\mathbf{x} = (1, 2, 2)^\top$``): no shape is invented for it
_VALUED = re.compile(r"(?<!\$)\$\s*(\\(?:mathbf|boldsymbol|bm|vec)\s*\{?\s*\\?[A-Za-z]+\s*\}?(?:\s*" + LAYER + r")?|[A-Za-z]"
                     r"(?:\s*" + LAYER + r")?)\s*=\s*(?:\\left\s*)?(?:[(\[]\s*[-+\d./\s,;]+[)\]]|"
                     r"\\begin\{([pbB]?matrix)\}(?:[-+\d./\s&{}]|\\\\|\\[dt]?frac)+\\end\{\2\})")


def valued_names(prose: str) -> set[str]:
    """The names the step's section gives numbers (``$\\mathbf{x} = (1, 2, 2)^\\top$``, ``$A = \\begin{bmatrix}
    1&2\\\\0&1\\end{bmatrix}$``): an example's values, which the reading does not put in."""
    lines = prose.splitlines()
    start = next((k for k in range(len(lines) - 1, -1, -1)
                  if re.match(r"#{1,6}\s|\\(?:sub)*section\*?\{", lines[k])), 0)
    return {name_key(m.group(1))[0].lstrip("\\") for m in _VALUED.finditer("\n".join(lines[start:]))}


def fixed_sizes(prose: str) -> dict[str, str]:
    """Sizes the paragraph just before the step fixes ("when $l = 1$", "取 $d=q=l=2$" is a chain and not
    read): letter -> value.  Only the last paragraph of prose counts; a display in between ends it."""
    chunks = [c for c in re.split(r"\n\s*\n", prose) if c.strip()]
    if chunks and re.match(r"\s*(?:\$\$|\\\[|\\begin)", chunks[-1]):
        chunks = chunks[:-1]
    if not chunks or re.match(r"\s*(?:\$\$|\\\[|\\begin|#)", chunks[-1]):
        return {}
    return {m.group(1): m.group(2) for m in _FIXED.finditer(chunks[-1])}


def shape_sizes(e: sp.Basic) -> set[sp.Symbol]:
    """The size symbols in the shapes of the matrices in e."""
    out: set = set()
    for x in sp.preorder_traversal(e):
        if isinstance(x, sp.MatrixExpr):
            for d in x.shape:
                out |= as_expr(d).free_symbols
    return out


def read_step(lhs: str, rhs: str, prose: str, defs: dict | None = None) -> tuple[sp.Basic, sp.Basic, Context, bool]:
    """Both sides read with what the prose states (shapes, kinds, samples, definitions, sigma), free
    indices turned into the vector (matrix) of entries, invented sizes tied; and whether two free indices
    run over one range.  Raises MatrixReadError (or SymPy's errors) where the reading stops."""
    shapes, fresh = note_shapes(prose)
    fixed = fixed_sizes(prose)
    for size, value in fixed.items():  # "when the output layer has one neuron ($l = 1$)"
        shapes = {k: tuple(re.sub(r"(?<![A-Za-z\\])" + size + r"(?![A-Za-z])", value, d) for d in v)
                  for k, v in shapes.items()}
    ctx = Context()
    kinds = note_kinds(prose, shapes)
    parser = MatrixParser(shapes, ctx, samples=samples_in(prose, shapes),
                          defs=definitions_in(prose) if defs is None else defs, sigmoid=says_sigmoid(prose), kinds=kinds,
                          inventing=True)
    parser.valued = valued_names(prose)
    parser.layout = stated_layout(prose)
    parser.ones = "1" in fixed.values()
    a, b = parser.read_step(lhs, rhs)
    if parser.tied:
        a, b = a.xreplace(parser.tied), b.xreplace(parser.tied)
    paired = False
    if parser.free:
        free = list(parser.free.items())
        a, b = parser.wrap_free(a, free), parser.wrap_free(b, free)
        paired = len(free) == 2 and free[0][1][0] == free[1][1][0]
    a, b = tie_sizes(a, b, ctx, fresh | parser.invented)
    a, b = _twins(a, b, ctx)
    loose = {s.name for s in shape_sizes(a) | shape_sizes(b)} & parser.invented
    if loose:
        names = sorted(parser.invented_names.get(m.name, m.name) for m in ctx.matrices
                       if {s.name for s in shape_sizes(m)} & loose) or ["1 / 0"]
        raise MatrixReadError(f"no shape stated for the bold {', '.join(names)} (the step does not fix its size)")
    ctx.notation = dict(parser.written)  # type: ignore[attr-defined]
    return a, b, ctx, paired


def in_notation(cex: dict | None, written: dict[str, str]) -> dict | None:
    """A counterexample's names as the note writes them (``\\boldsymbol{\\Sigma}``, ``\\lambda``); samples
    x_1..x_N keep their rows' name."""
    if not cex:
        return cex
    out = {}
    for key, val in cex.items():
        base, sep, rest = key.partition("_{1..")
        name = written.get(base, key)
        out[f"{name}_{{1..{rest}" if sep else name] = val
    return out


def check_matrix_step(lhs: str, rhs: str, prose: str, relation: str = "=", budget: float | None = None) -> Verdict:
    defs = definitions_in(prose)
    if re.sub(r"\s+", "", lhs) in defs:  # L = -\log\frac14: the name restated or defined anew here
        return Verdict(UNKNOWN, "reading", f"{lhs} = ... restates or redefines a name the note defines")
    try:
        a, b, ctx, paired = read_step(lhs, rhs, prose, defs)
    except (MatrixReadError, ReadError, ValueError, TypeError, IndexError, NotImplementedError, AttributeError,
            sp.ShapeError) as exc:  # SymPy refuses some mixed forms: unknown with its words
        return Verdict(UNKNOWN, "reading", f"not read as a matrix statement: {exc}")
    if isinstance(a, sp.Symbol) or isinstance(b, sp.Symbol):
        return Verdict(UNKNOWN, "reading", "a side is a bare name the note may define; its definition is not read here")
    if not (has_matrices(a) or has_matrices(b)):
        return Verdict(UNKNOWN, "reading", "no vector or matrix in the step (the scalar reader decides it)")
    if (_literals(a) or _literals(b)) and (_symbols(a) or _symbols(b)):
        return Verdict(UNKNOWN, "reading", "matrix names beside matrix literals: the prose may bind the names to values")
    problem = Problem(a, b, relation, ctx)
    v = decide(problem) if budget is None else decide_step(problem, budget)
    v.counterexample = in_notation(v.counterexample, getattr(ctx, "notation", {}))
    if v.status == REFUTED and (_is_zero(a) or _is_zero(b)) and (_symbols(a) or _symbols(b)):
        return Verdict(UNKNOWN, "equation", "a vector or matrix expression set to 0 reads as an equation to solve "
                       f"(it does not hold as an identity: {v.message})")
    valued = sorted({m.name for e in (a, b) for m in sp.preorder_traversal(e) if isinstance(m, sp.MatrixSymbol)}
                    & valued_names(prose))
    if v.status == REFUTED and valued:  # the example's values, not read: the step may hold at them
        return Verdict(UNKNOWN, "values", f"the prose gives the value of {', '.join(valued)} (not read here); over "
                       f"every value the sides differ: {v.message}")
    if v.status == REFUTED and (_constant(a) != _constant(b)):  # x^T y / (x^T x + lambda) = 9/10
        return Verdict(UNKNOWN, "values", "a side is a number and the other has names: an evaluation at values the "
                       f"note gives (not read here), not an identity; over every value the sides differ: {v.message}")
    case = stated_case(prose) if v.status == REFUTED else None
    if case:  # "if the columns of X are orthonormal, i.e. X^T X = I_d, then": the step holds in that case only
        return Verdict(UNKNOWN, "condition", f"stated for a case in the prose ({case!r}), not as an identity (as one "
                       f"it fails: {v.message}); the case is not checked")
    if v.status == REFUTED and paired:  # d p_i / d z_j = -p_i p_j holds for i != j only: the prose says when
        return Verdict(UNKNOWN, "indices", "two free indices over one range: the prose may restrict them "
                       f"(i = j, i \\neq j); over every pair the sides differ: {v.message}")
    return v


_OPENING = re.compile(r"\s*(?:\$\$|\\\[|\\begin\{(?:equation|align|gather|multline|eqnarray)\*?\})")


def stated_case(prose: str) -> str | None:
    """The case the prose states just before the step's display ("if ..., then", 当 ... 时), or None.  The
    prose is the note up to the step's line; the paragraph before the display's opening is read."""
    lines = prose.splitlines()
    k = len(lines) - 1
    while k >= 0 and not _OPENING.match(lines[k]):
        k -= 1
    k -= 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    para: list[str] = []
    while k >= 0 and lines[k].strip() and not _OPENING.match(lines[k]) and not lines[k].lstrip().startswith("#"):
        para.insert(0, lines[k])
        k -= 1
    text = last_sentences(" ".join(para))
    if PROSE_CUES[EQUATION].search(text):
        return None  # "setting ... to zero, if ...": an equation's rows (notes.check), not a case
    m = PROSE_CUES["case"].search(text)
    if not m or not any(_CONDITION.fullmatch(x.strip()) for x in re.findall(r"\$([^$]+)\$", text[m.start():])):
        return None  # a case with no stated relation between expressions ($l = 1$ fixes a size: it is read)
    return m.group(0).strip()


#: a relation between expressions stated for the case: $X^\top X = I_d$ (not a size fixed, $l = 1$)
_CONDITION = re.compile(r"(?![A-Za-z]\s*=)[^=<>]*\S[^=<>]*=[^=<>]*\S[^=<>]*")


def _constant(e: sp.Basic) -> bool:
    """No name at all: a number or a literal of numbers."""
    return not _symbols(e) and not (e.free_symbols if isinstance(e, sp.Basic) else set())


def _is_zero(e: sp.Basic) -> bool:
    return e == 0 or isinstance(e, sp.ZeroMatrix)
