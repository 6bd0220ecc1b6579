"""What a statement of a note says: its kind, from the cues that select it.

A display (or an inline relation) is a ``claim`` (a chain to decide), a ``definition`` (``:=``,
``\\triangleq``, ``\\equiv``, let / define / denote / where / 记 / 令 / 定义, a new name at the head
of a chain), a ``model`` (a recurrence in a time or layer index, an update or assignment,
``\\leftarrow``, "the model is"), an ``equation`` to solve (a derivative set to zero, "solve",
"setting ... gives", 令…等于0, 可解得: the rows after such a cue follow from the equation, they are
not identities), an ``approximation`` (``\\approx``, ``\\sim``, ``\\propto``, ``O(\\cdot)``) or
``notation`` (a tuple, set or matrix given a name).  Only claims are decided; the other kinds are
reported with the status ``noted``.

The cues are data (:data:`PROSE_CUES`, :data:`RELATION_KINDS`, :data:`FORM_RULES`); the small
functions below read them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

CLAIM, DEFINITION, MODEL, EQUATION, APPROXIMATION, NOTATION = (
    "claim", "definition", "model", "equation", "approximation", "notation")


@dataclass(frozen=True)
class Kind:
    name: str
    description: str


#: the kinds of statement, with what the report says about a noted one
KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind(CLAIM, "a chain to decide"),
    Kind(DEFINITION, "a definition: it names something, it claims nothing"),
    Kind(MODEL, "a model, recurrence or update equation: it claims nothing"),
    Kind(EQUATION, "an equation to solve (or a row that follows from one): not an identity"),
    Kind(APPROXIMATION, "an approximate, proportional or asymptotic statement: not checked as ="),
    Kind(NOTATION, "notation (a tuple, set, matrix or range given a name): it claims nothing"),
)}


def noted_message(kind: str, cue: str = "") -> str:
    """The message of a noted step: what its kind means, and the cue that selected it."""
    text = KINDS[kind].description
    return f"{text} ({cue})" if cue else text


# -- prose cues (the last sentences before a display) ------------------------------------------------
BY_DEFINITION = "by definition"  # a cue of the kind of a definition already made (statement_rules)
_SOLVE = (r"\bsolv(?:e|ing|ed)\b|\bsetting\b[^.。]*?\b(?:to\s+zero|to\s+0|equal\s+to\s+(?:zero|0)|=\s*0)"
          r"|\bset(?:ting)?\b[^.。]*?\b(?:to\s+zero|equal\s+to\s+zero)|\bequat(?:e|ing)\b[^.。]*?\bzero\b"
          r"|\broots?\s+of\b|\bstationary\s+point|\bstationarity\s+condition|\bfirst[- ]order\s+conditions?"
          r"|\bnormal\s+equations?\b|\boptimality\s+condition|\bcondition\s+on\b|\bits\s+solution\b|\bsolution\s+is\b"
          r"|正规方程|移项|驻点|一阶条件"
          r"|令[^。；]*?(?:等于|为|=)\s*(?:零|0|\$\s*0\s*\$)|解得|可解|求解|联立|方程组")
_MODEL = (r"\bthe\s+model\s+(?:is|reads|becomes|has|predicts|computes|outputs|says|assumes|states|specifies)\b"
          r"|\bupdate[sd]?\b|\bupdate\s+rule|\biterat(?:e|ion|es)\b"
          r"|\brecurren(?:ce|t)\b|\bforward\s+(?:pass|propagation)\b|前向传播|前向计算|\bat\s+(?:each\s+)?(?:time\s+)?step\b|\bthe\s+algorithm\b"
          r"|\bpredicts?\s+(?:with|by|as)\b|模型为|模型是|模型用|模型将|模型把|更新|迭代|递推"
          # a layer of a network: "the logits come from a fully connected layer", 来自一个全连接层
          r"|\b(?:fully[- ]connected|linear|dense|affine)\s+layer\b|全连接层|线性层")
_DEFINE = (r"\blet\b|\bdefine[sd]?\b|\bdefining\b|\bdenot(?:e|es|ed|ing)\b|\bwhere\b|\bwe\s+write\b"
           r"|\bis\s+defined\b|\bcalled\b|\bnotation\b|\b(?:is|are)\s+represented\s+as\b|记为|记作|记|令|定义|设"
           r"|\boverload(?:s|ed|ing)?\s+(?:the\s+)?(?:letter|symbol|notation|name)\b")  # "we overload the letter H"
# a shorthand for something already written: "abbreviate ... as", 简记为 (notation, not a new definition)
# ("for brevity, denote a' = a + k" stays a definition: the cue is the verb, abbreviate / 简记, or "shorthand")
_SHORTHAND = r"\babbreviat(?:e|es|ed|ing)\b|\bshorthand\b|简记|简写为|缩写为"
_EXAMPLE = (r"\bfor\s+example\b|\bfor\s+instance\b|\be\.g\.|\bconsider\b|\bsuppose\b|\bas\s+an\s+example\b"
            r"|\btake\s+(?=\$|\\\()|例如|比如|假设|举例|譬如|不妨")
_HYPOTHETICAL = (r"\bif\b|\bwhen\b|\bwhenever\b|\bunless\b|\bin\s+case\b|\bcase\b|\bfor\s+(?:every|each|all|any)\b"
                 r"|\bgiven\b(?!\s+by\b)|\bassum(?:e|ing)\b|\botherwise\b|\bwhether\b|\bsuch\s+that\b"
                 r"|如果|若|当|假如|倘若|对于|对每|时")

#: prose cue -> the regular expression that finds it (in the sentences just before a display)
PROSE_CUES: dict[str, re.Pattern] = {
    EQUATION: re.compile(_SOLVE, re.I),
    MODEL: re.compile(_MODEL, re.I),
    DEFINITION: re.compile(_DEFINE, re.I),
    NOTATION: re.compile(_SHORTHAND, re.I),
    "example": re.compile(_EXAMPLE, re.I),
    "hypothetical": re.compile(_HYPOTHETICAL, re.I),
    # a display stated under a case of the prose ("if all observations are zero, then $$...$$")
    "case": re.compile(r"\bif\b(?!\s+(?:we|you|one)\s+(?:want|wish)s?\b)(?![^.]*?\botherwise\b)|\bwhen\b(?!\s+(?:one|we|you)\s+(?!(?:set|put|take|let|choose|fix|restrict|substitute|plug)s?\b))|\bin\s+the\s+case\b|如果(?!想|要)|若|假如|倘若"
                       r"|当[^。；]*时", re.I),  # "if we want to ...": a wish; "$X = 1$ if heads and $0$ otherwise": a definition by cases
    # "the posterior is, by definition of conditional probability, ...": the display is that definition
    BY_DEFINITION: re.compile(r"\bby\s+(?:the\s+)?definition\b|根据定义|由定义|按定义", re.I),
}

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z$\\])|[。！？；]")


def last_sentences(prose: str, n: int = 2) -> str:
    """The last n sentences of the prose before a display (where its cues are)."""
    parts = [p for p in _SENTENCE_END.split(prose) if p and p.strip()]
    return " ".join(parts[-n:])


def prose_cues(prose: str) -> dict[str, str]:
    """The cues in a stretch of prose: {cue name: the words that matched}."""
    out = {}
    for name, pat in PROSE_CUES.items():
        m = pat.search(prose)
        if m:
            out[name] = m.group(0).strip()
    return out


# -- relation signs ----------------------------------------------------------------------------------
#: a relation kind (notes.relations) that alone fixes the statement's kind
RELATION_KINDS: dict[str, str] = {":=": DEFINITION, "~": APPROXIMATION, "<-": MODEL}


# -- the form of a step -------------------------------------------------------------------------------
_TIME = r"(?:t|k|n|s|l|\\tau|\(t\)|\(k\)|\(l\)|\(n\)|\(s\))"
_NAME = r"(?:\\(?:mathbf|boldsymbol|bm|vec|hat|bar|tilde)\s*\{\s*\\?[A-Za-z]+\s*\}|\\?[A-Za-z]+)"
_HEAD = re.compile(r"^\s*(" + _NAME + r")\s*(?:_\{?\s*([^{}]*?)\s*\}?|\^\{?\s*(\([^{}()]*\))\s*\}?)\s*$")
# a derivative written as an operator (a prime at a point, sigma''(0) = 0, is a value to check)
_DERIVATIVE = re.compile(r"\\partial|\\nabla|\\frac\s*\{\s*d|\\mathrm\{d\}|\\operatorname\{d\}|'\s*\(\s*[A-Za-z\\]|\\dot")
_ZERO = re.compile(r"^\s*(?:0|\\mathbf\{0\}|\\boldsymbol\{0\}|\\vec\{0\}|\\mathbf0)\s*[.,;]?\s*$")
_ASYMPTOTIC = re.compile(r"(?<![A-Za-z\\])(?:\\mathcal\{O\}|O|o)\s*(?:\\left)?\s*\(|\\mathcal\s*O\s*\(")
_COLLECTION = re.compile(r"^\s*(?:\\left)?\s*\\\{|\\begin\{[pbvBV]?matrix\}|^\s*(?:\\left)?\s*[(\[][^()]*,\s*"
                         r"(?:\\[lc]?dots|\\ldots|\\cdots)")


_INCREMENT = re.compile(r"^\s*\\Delta\s*(?:\\(?:mathbf|boldsymbol|bm|vec|hat)\s*\{|[A-Za-z])")


def is_increment(latex: str) -> bool:
    """\\Delta\\mathbf{W}^{(1)}, \\Delta w: a name for an increment (defined; the update rule is W <- W + \\Delta W)."""
    return bool(_INCREMENT.match(latex))


_FUNC_NAME = r"(?:[A-Za-z]|\\ell|\\mathcal\s*\{\s*[A-Z]\s*\})"
_LOG_HEAD = re.compile(r"^\s*\\(?:log|ln)\s*(" + _FUNC_NAME + r")\s*(?:\(.*\)|\\left\s*\(.*\\right\s*\))\s*$", re.S)


def log_head(latex: str) -> str | None:
    """The function's name when a side is written ``\\log L(\\mathbf w)`` (the log of a named call), else None."""
    m = _LOG_HEAD.match(latex)
    return re.sub(r"\s+", "", m.group(1)) if m else None


_ARG = (r"\s*(?:\\(?:mathbf|boldsymbol|bm|vec)\s*(?:\{\s*\\?[A-Za-z]+\s*\}|[A-Za-z])|\\?[A-Za-z]+)"
        r"(?:_\{?[A-Za-z0-9]+\}?)?\s*")
_ARGS = _ARG + r"(?:," + _ARG + r")*"
_OPERATOR_CALL = re.compile(
    r"^\s*(?:\\langle" + _ARGS + r"\\rangle"
    r"|(?:\\operatorname\s*\{\s*[A-Za-z]+\s*\}|\\mathrm\s*\{\s*[A-Za-z]+\s*\}|\\text\s*\{\s*[A-Za-z]+\s*\}|\\[A-Za-z]+)"
    r"\s*(?:\\left\s*)?\(" + _ARGS + r"(?:\\right\s*)?\)(?:\s*_\s*\{?\s*[A-Za-z0-9]\s*\}?)?)\s*$")
_OPERATOR_NAME = re.compile(r"\\(?:operatorname|mathrm|text)\s*\{\s*([A-Za-z]+)\s*\}|\\(langle)|\\([A-Za-z]+)")


def operator_call(latex: str) -> str | None:
    """The operator's name when a side is an operator at bare names: ``\\langle\\mathbf x, \\mathbf y\\rangle``,
    ``\\mathrm{softmax}(\\mathbf z)_k``, ``\\sigma(z)`` (no arithmetic in its arguments), else None."""
    if not _OPERATOR_CALL.match(latex):
        return None
    m = _OPERATOR_NAME.search(latex)
    name = next(g for g in m.groups() if g) if m else None
    return None if name in _NOT_OPERATORS else name


_NOT_OPERATORS = {"frac", "dfrac", "tfrac", "sqrt", "sum", "prod", "int", "lim", "left", "big", "Big"}


#: the prose says this display defines (not "let" / "where", which also introduce values)
DEFINES_WORDS = re.compile(r"(?<!\bby\s)(?<!\bby\sthe\s)(?<!\bfrom\sthe\s)(?<!\bfrom\s)(?<!\bof\sthe\s)"
                           r"\bdefin(?:e|es|ed|ing|ition)\b(?!\s+of\b)|(?<![由据按照])定义(?!可|知|得)", re.I)


def operator_prefix(latex: str) -> str:
    """How an operator call is written up to its argument: ``\\mathrm{softmax}(``, ``\\langle`` (no spaces)."""
    t = re.sub(r"\s+", "", latex)
    if t.startswith("\\langle"):
        return "\\langle"
    m = re.match(r"(.*?)(?:\\left)?\(", t)
    return m.group(1) + "(" if m else t


def time_step(latex: str) -> tuple[str, str] | None:
    """(name, index) when the expression is a name with a time or layer index (h_t, w_{t+1}, a^{(l)})."""
    m = _HEAD.match(latex)
    if not m:
        return None
    idx = (m.group(2) or m.group(3) or "").replace(" ", "")
    if not re.fullmatch(r"\(?" + _TIME + r"(?:[+-]\d)?\)?", idx):
        return None
    return m.group(1).replace(" ", ""), idx


def is_recurrence(lhs: str, rhs: str) -> bool:
    """h_t = f(h_{t-1}), w_{t+1} = w_t - eta g_t, a^{(l)} = sigma(W^{(l)} a^{(l-1)}): the left side's
    name written on the right at another step of the same index."""
    head = time_step(lhs)
    if not head:
        return False
    name, idx = head
    bare = idx.strip("()")
    letter = "\\tau" if "\\tau" in bare else re.sub(r"[^A-Za-z]", "", bare)[:1]
    pat = re.compile(r"(?<![A-Za-z\\])" + re.escape(name) + r"\s*(?:_\{?\s*|\^\{?\s*\()\s*([^{}()\s]*)")
    for m in pat.finditer(rhs):
        other = m.group(1).replace(" ", "").strip("()")
        if other and other != bare and letter and letter in other:
            return True
    return False


def is_iterate(lhs: str, rhs: str) -> bool:
    """x_1 = x_0 - f(x_0)/f'(x_0): a numbered iterate computed from the one before (a step of an
    iteration, written at concrete indices)."""
    m = _HEAD.match(lhs)
    if not m or not (m.group(2) or "").strip().isdigit() or int(m.group(2)) < 1:
        return False
    before = str(int(m.group(2)) - 1)
    name = m.group(1).replace(" ", "")
    return bool(re.search(r"(?<![A-Za-z\\])" + re.escape(name) + r"\s*_\s*\{?\s*" + before + r"(?![0-9])", rhs))


def is_assignment(lhs: str, rhs: str) -> bool:
    """w = w - eta g: a bare name that its own right side uses (an update written with =)."""
    m = re.fullmatch(r"\s*(" + _NAME + r")\s*", lhs)
    if not m:
        return False
    name = m.group(1).replace(" ", "")
    body = rhs.replace(" ", "")
    if not re.search(r"(?<![A-Za-z\\])" + re.escape(name) + r"(?![A-Za-z_^])", body):
        return False
    return bool(re.search(r"[-+]\s*\\(?:eta|alpha|gamma|epsilon|lambda|rho)|[-+]\s*\\?(?:lr|eta)", rhs))


_NEW = re.compile(r"^\s*(" + _NAME + r")\s*(?:_\{?\s*[A-Za-z0-9]+\s*\}?)?\s*(?:\^\s*\{?\s*(?:\\text\{\s*new\s*\}|new|\+|"
                  r"\\prime|\\mathrm\{new\})\s*\}?|')\s*$")


def is_new_value(lhs: str, rhs: str) -> bool:
    """w_1^{new} = w_1 + eta x_1, w' = w - eta g: the next value of a name, from the old one."""
    m = _NEW.match(lhs)
    if not m:
        return False
    bare = re.sub(r"\^\s*\{?\s*(?:\\text\{\s*new\s*\}|new|\+|\\prime|\\mathrm\{new\})\s*\}?|'", "", lhs).replace(" ", "")
    return bare in rhs.replace(" ", "")


def is_set_to_zero(lhs: str, rhs: str) -> bool:
    """A derivative set to zero: dL/dw = 0, 0 = dP/dtheta, \\nabla_w L = 0."""
    return bool((_ZERO.match(rhs) and _DERIVATIVE.search(lhs)) or (_ZERO.match(lhs) and _DERIVATIVE.search(rhs)))


def is_asymptotic(lhs: str, rhs: str) -> bool:
    return bool(_ASYMPTOTIC.search(rhs) or _ASYMPTOTIC.search(lhs))


_DISTRIBUTION = re.compile(r"^\s*(?:\\mathcal\s*\{?\s*[A-Z]\s*\}?|\\(?:operatorname|text|mathrm)\s*\{\s*[A-Z][A-Za-z]*\s*\}"
                           r"|[A-Z][a-z]{2,}|\\(?:Gamma|Beta))\s*(?:\\left\s*)?\(")


def is_distribution(rhs: str) -> bool:
    """The right side of X ~ ... names a law (\\mathcal{N}(0, 1), \\operatorname{Poisson}(\\lambda), Beta(a, b))."""
    return bool(_DISTRIBUTION.match(rhs))


def is_collection(rhs: str) -> bool:
    """A set, a tuple with dots or a matrix on the right of a name: notation."""
    return bool(_COLLECTION.search(rhs))


NEW_VALUE = "the new value of a name from its old one"
ITERATE = "an iterate computed from the one before"

#: form rules, tried in order on (lhs, rhs) of a step: (kind, test, the cue reported)
FORM_RULES: list[tuple[str, Callable[[str, str], bool], str]] = [
    (APPROXIMATION, is_asymptotic, "an O(·) term"),
    (EQUATION, is_set_to_zero, "a derivative set to zero"),
    (MODEL, is_recurrence, "a recurrence in a time or layer index"),
    (MODEL, is_iterate, ITERATE),
    (MODEL, is_assignment, "an update of a name by itself"),
    (MODEL, is_new_value, NEW_VALUE),
]


def form_kind(lhs: str, rhs: str) -> tuple[str, str] | None:
    """(kind, cue) when the form of a step alone says it is not a claim."""
    for kind, test, cue in FORM_RULES:
        try:
            if test(lhs, rhs):
                return kind, cue
        except re.error:  # pragma: no cover - a pattern built from a name
            continue
    return None


_RANGE = re.compile(r"^\s*\\?[A-Za-z]+\s*=\s*[^,]+,\s*(?:\\[lc]?dots|\\ldots|\\cdots|\.\.\.)|"
                    r"(?:\\[lc]?dots|\\ldots|\\cdots|\.\.\.)\s*,?\s*[^,]*$")


#: j = 1, 2, 3 (a list of values written out)
_LISTED = re.compile(r"^\s*\\?[A-Za-z]+(?:_\{?[A-Za-z0-9]\}?)?\s*=\s*-?\d+(?:\s*,\s*-?\d+)+\s*$")


def is_range(body: str) -> bool:
    """k = 1, \\dots, m or j = 1, 2, 3 (a range or list of values, not k := 1)."""
    if _LISTED.match(body):
        return True
    return bool(re.search(r"\\[lc]?dots|\\ldots|\\cdots|\.\.\.", body)) and "," in body and "=" in body \
        and bool(_RANGE.search(body))


#: the words that make an inline relation a case, not a fact ("only true when $S \\ge 0$", "如果 $y = 1$")
_CASE_BEFORE = re.compile(r"(?:\b(?:if|when|whenever|unless|only\s+if|in\s+case|(?:correct|valid|true|holds?)\s+(?:only\s+)?for)"
                          r"|如果|若|当|假如|倘若)\s*$", re.I)


def stated_under_a_case(lines: list[str], line: int, body: str) -> bool:
    """Whether the inline relation `body` at `line` is written right after "if", "when", "unless", 如果,
    当 ...: it states a case, and is no assumption for the whole note."""
    if not 0 < line <= len(lines):
        return False
    text = lines[line - 1]
    at = text.find(body)
    if at < 0:
        return False
    before = text[:at].rstrip("$( \\")
    if not before.strip() and line > 1:
        before = lines[line - 2] + " " + before
    return bool(_CASE_BEFORE.search(before.rstrip()))
