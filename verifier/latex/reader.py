"""LaTeX of real notes -> SymPy, built on latex2sympy2_extended.

latex2sympy2_extended is configured (case-sensitive symbols) and the LaTeX is
normalised before it and post-processed after it, for the notation of ML notes:

* ``\\log`` is natural unless a base is written (``\\log_2`` keeps base 2); bare
  ``log``/``ln``/``exp`` words are read as the functions;
* ``\\hat{y}`` is the symbol ``yhat``; ``\\mathbf``/``\\boldsymbol``/``\\mathrm`` are names;
* function calls ``P(y|x)``, ``p(Y=y_i|x_i, f, \\sigma^2)``, ``\\mathrm{f}[x_i,\\phi]``,
  ``D_{KL}(P\\|Q)`` are read by this module (the grammar cannot nest them);
* ``\\sigma'(z)``, ``f'(x)`` are derivatives; ``\\delta[y - y_i]`` is a Dirac delta;
* ``x_i`` under ``\\sum_i``/``\\prod_i`` is indexed data ``x[i]``, and ``P(x_i)`` there
  is the entry ``P[i]`` of a distribution;
* ``\\underset{\\theta}{\\operatorname{argmin}}``, ``\\arg\\min_x``, ``\\operatorname*{arg\\,min}_x``,
  ``\\mathop{\\mathrm{argmin}}_x`` wrappers are returned as the objective's sense and variables;
  ``\\min_x f`` is the optimal *value* and is a read error (never taken for an argmin);
* ``\\frac{d^2}{dt^2}(...)``, ``\\frac{d f}{d x}``, ``\\frac{\\partial^2 f}{\\partial x \\partial y}`` are
  derivatives; ``f''(x)``, ``f^{(2)}(x)`` second derivatives; ``\\int ... dx`` ends at its own
  differential; ``\\max(a, b)`` is ``Max``; ``\\delta_{jl}`` over indices is a Kronecker delta;
  ``x_{ij}``, ``x_{i+1}`` under sums are entries of ``x``;
* ``\\begin{cases}`` becomes a ``Piecewise``;
* ``x^{(i)}`` under a sum over ``i`` is the sample ``x[i]``; ``\\sum_i`` without limits takes the one range
  the note gives its data; ``\\|w\\|``, ``\\|w\\|_1`` of a vector the note sums over are sums over that range;
  ``\\left. f \\right|_{x=a}`` is ``f`` at ``x = a``; ``\\operatorname{Var}(X)``, ``\\mathrm{ReLU}(x)`` are calls,
  ``p(1-p)`` a product, ``u(a+1)`` a call when the note defines ``u(x) = ...``; ``\\gamma``, ``\\Gamma``,
  ``E``, ``T`` are names (not Euler's constants, not a transpose);
* what cannot be read safely is a :class:`ReadError` quoting the fragment: a condition after
  ``\\quad``, words in ``\\text{...}``, a layer label ``a^{(l)}``, a norm of a vector whose entries the note
  never names, a transpose ``x^T``, ``\\nabla``, ``\\lg`` (base 2 or 10?), ``\\log x \\cdot y`` ((log x)y or
  log(xy)?), an evaluation bar without ``\\left.``, a derivative by an entry ``z_j`` at an index no sum binds.

Nothing here calls ``sympify``/``eval``/``parse_expr`` on the user's text: the text
only ever reaches the ANTLR grammar of latex2sympy2_extended.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy as sp
from sympy.core.function import AppliedUndef

from .names import ACCENTS, GREEK, Notation, canonical, split_name

DEFAULT_MAX_EXPR_SIZE = 4000  # characters of one expression
MAX_DEPTH = 60  # nesting of braces and brackets

# names read as functions when followed by ( or [ even with a single argument
FUNCTION_NAMES = {"P", "Q", "p", "q", "f", "g", "h", "F", "G", "H", "I", "E", "L", "C", "D", "J",
                  "Pr", "KL", "sigma", "delta", "bbE", "softmax", "KL", "CE", "MSE", "D_KL", "R"}
PROBABILITY_NAMES = {"P", "Q", "p", "q", "Pr"}
_INDEX_SUBS = set("ijklmnt") | set("0123456789")
_BUILTINS = {"log", "ln", "exp", "sin", "cos", "tan", "sqrt", "frac", "left", "right", "sum", "prod",
             "int", "lim", "max", "min", "text", "mathrm", "operatorname", "begin", "end", "cdot",
             "times", "infty", "partial", "mathcal", "mathbb", "tanh", "sinh", "cosh", "arg", "det",
             "binom", "underset", "overset", "hat", "bar", "tilde", "vec", "dot"}


class ReadError(Exception):
    """The LaTeX could not be read; carries the fragment and the reason."""

    def __init__(self, fragment: str, reason: str) -> None:
        super().__init__(f"{reason}: {fragment}")
        self.fragment = fragment
        self.reason = reason

    def __reduce__(self):
        return (ReadError, (self.fragment, self.reason))


@dataclass
class Parsed:
    """An expression of a chain, possibly wrapped in argmin/argmax over variables."""

    expr: sp.Basic
    latex: str
    sense: str | None = None  # 'min' | 'max' for an optimisation objective
    over: tuple[str, ...] = ()  # names of the optimisation variables, as internal names
    calls: set[str] = field(default_factory=set)


# ---------------------------------------------------------------------------------------
# text normalisation
# ---------------------------------------------------------------------------------------
_SPACING = re.compile(r"(?<!\\)\\(?:displaystyle|textstyle|limits|nolimits|quad|qquad|[,;:! ]|Big[lr]?|big[lr]?|"
                      r"Bigg[lr]?|bigg[lr]?|middle)(?![A-Za-z])")
_WORD_FUNCS = {"log", "exp", "argmin", "argmax", "frac", "sqrt", "left", "right", "text", "cdot", "times",
               "prod", "infty", "partial", "begin", "end", "cases", "mathrm", "mathbf", "operatorname",
               "sigma", "theta", "alpha", "delta", "lambda", "mathcal", "mathbb", "boldsymbol", "prime"}
_ELLIPSIS = re.compile(r"\\(?:cdots|ldots|dots|vdots|ddots)(?![A-Za-z])|\.\.\.|……|…")
_TOKEN = r"(?:[A-Za-z]|\\[A-Za-z]+|\\text\{[A-Za-z]+\})"


def _brace_arg(s: str, i: int) -> tuple[str, int]:
    """The {...} group (or single token) starting at s[i]; returns (content, end index)."""
    while i < len(s) and s[i] == " ":
        i += 1
    if i >= len(s):
        raise ValueError("missing argument")
    if s[i] == "{":
        depth = 0
        for j in range(i, len(s)):
            if s[j] == "{" and (j == 0 or s[j - 1] != "\\"):
                depth += 1
            elif s[j] == "}" and s[j - 1] != "\\":
                depth -= 1
                if depth == 0:
                    return s[i + 1:j], j + 1
        raise ValueError("unbalanced braces")
    if s[i] == "\\":
        m = re.match(r"\\[A-Za-z]+", s[i:])
        if m:
            return m.group(0), i + len(m.group(0))
        return s[i:i + 2], i + 2
    return s[i], i + 1


def _name_of_token(tok: str) -> str | None:
    """A bare name for a simple token: 'y', '\\theta' -> 'theta', '\\text{yhat}' -> 'yhat'."""
    tok = tok.strip()
    while tok.startswith("{") and tok.endswith("}"):
        tok = tok[1:-1].strip()
    m = re.fullmatch(r"[A-Za-z]|\\([A-Za-z]+)|\\text\{([A-Za-z]+)\}", tok)
    if not m:
        return None
    if m.group(1):
        return m.group(1) if m.group(1) in GREEK else None
    return m.group(2) or tok


def _replace_accents(s: str, notation: Notation) -> str:
    pat = re.compile(r"\\(" + "|".join(ACCENTS) + r")(?![A-Za-z])")
    for _ in range(20):
        best = None
        for m in pat.finditer(s):
            try:
                arg, end = _brace_arg(s, m.end())
            except ValueError:
                raise ReadError(s, "an accent without its argument") from None
            name = _name_of_token(_strip_fonts(arg))
            if name is not None:
                best = (m.start(), end, name + ACCENTS[m.group(1)])
                break
        if best is None:
            if pat.search(s):
                m = pat.search(s)
                raise ReadError(s[m.start():m.start() + 40], "an accent over an expression is not supported")
            return s
        a, b, new = best
        s = s[:a] + "\\text{" + new + "}" + s[b:]
    return s


_FONTS = re.compile(r"\\(?:mathbf|boldsymbol|bm|mathit|mathrm|mathsf|textbf|textit|pmb)\s*\{(\\?[A-Za-z]+)\}")


def _strip_fonts(s: str) -> str:
    def font(m: re.Match) -> str:
        inner = m.group(1)
        if inner.startswith("\\") or len(inner) == 1:
            return inner
        return "\\text{" + inner + "}"

    return _FONTS.sub(font, s)


_ARG_WORD = r"arg\s*(?:\\[,;:! ]\s*|~\s*)*\\?(min|max)\s*"
_ARG_SPELLED = re.compile(
    r"\\(?:operatorname|mathop|mathrm|text|textrm|rm)\s*\{\s*(?:"
    r"\\(?:mathrm|text|textrm|rm|operatorname)\s*\{\s*" + _ARG_WORD.replace("(min|max)", "(?P<a>min|max)") + r"\}\s*"
    r"|" + _ARG_WORD.replace("(min|max)", "(?P<b>min|max)") + r")\}")
_PRIMES = r"'+|\^\s*\{\s*(?:\\prime\s*)+\}|\^\s*\{\s*'+\s*\}|\^\s*\\prime(?![A-Za-z])"


def _prime_count(text: str) -> int:
    return text.count("'") + text.count("\\prime")


def _primed(token: str, k: int) -> str:
    return "\\text{" + (_name_of_token(token) or "X") + "prime" * k + "}"


_PROSE_TEXT = re.compile(r"\\(?:text|mbox|textrm|textit|textbf|mathrm)\s*\{([^{}]*)\}")
_PROSE_WORDS = {"for", "if", "when", "where", "and", "or", "with", "s.t.", "st", "otherwise", "else", "all",
                "since", "because", "as", "then", "so", "by", "i.e.", "e.g.", "iff", "let", "is", "are",
                "on", "in", "at", "of", "to", "the", "we", "have", "get", "thus", "hence", "therefore"}


def _outside_cases(s: str) -> str:
    return re.sub(r"\\begin\{cases\}.*?\\end\{cases\}", " ", s, flags=re.S)


def _no_condition(s: str) -> None:
    """\\quad / \\qquad between two pieces of an expression introduce a condition or a remark
    ("x^2 \\quad (x > 0)"); read as spacing, the remark would become a factor."""
    t = _outside_cases(s).strip()
    t = re.sub(r"^(?:\\q?quad(?![A-Za-z])|\\[,;:! ]|\s)+|(?:\\q?quad(?![A-Za-z])|\\[,;:! ]|[.,;]|\s)+$", "", t)
    m = re.search(r"\\q?quad(?![A-Za-z])", t)
    if m:
        raise ReadError(t[m.start():m.start() + 40].strip(), "text after \\quad is a condition or a remark, "
                        "which is not read as part of the expression")


def _no_prose(s: str) -> None:
    """Words in \\text{...} ("for", "if", a phrase) are a remark, never a factor."""
    for m in _PROSE_TEXT.finditer(_outside_cases(s)):
        body = m.group(1).strip()
        if re.fullmatch(_ARG_WORD, body):
            continue
        words = body.split()
        if len(words) > 1 or (words and words[0].lower() in _PROSE_WORDS) or re.search(r"[^\w.-]", body):
            raise ReadError(m.group(0), "words inside the expression are a remark or a condition, not mathematics")


_SUM_INDEX = re.compile(r"\\(?:sum|prod)(?:\\[a-z]*limits)?\s*_\s*\{?\s*([A-Za-z])(?![A-Za-z])")


def _sample_superscripts(s: str, notation: Notation) -> str:
    """x^{(i)} with i an index some sum or product of the expression runs over is the i-th sample,
    x_{i} (an entry of x under that sum), not a power; other letters in parentheses stay labels."""
    bound = set(_SUM_INDEX.findall(s))
    if not bound:
        return s
    pat = re.compile(r"(?<![\\A-Za-z])(" + _TOKEN + r")\s*\^\s*\{\s*\(\s*([A-Za-z])\s*\)\s*\}")

    def entry(m: re.Match) -> str:
        if m.group(2) not in bound:
            return m.group(0)
        name = _name_of_token(m.group(1))
        if name:  # counterexamples name the samples as the note does: x^{(1)}
            notation.entry_templates.setdefault(name, m.group(1) + "^{(%s)}")
        return m.group(1) + "_{" + m.group(2) + "}"

    return pat.sub(entry, s)


_T_MARK = r"(?:T|\\top|\\intercal|\\mathsf\s*\{\s*T\s*\}|\\mathrm\s*\{\s*T\s*\}|\\text\s*\{\s*T\s*\})"
_TRANSPOSE = re.compile(r"\^\s*(?:\{\s*" + _T_MARK + r"\s*\}|" + _T_MARK + r"(?![A-Za-z0-9]))")
_LIMITS_BEFORE = re.compile(r"\\(?:sum|prod|int|coprod|bigcup|bigcap)(?:\\[a-z]*limits)?\s*_\s*(?:\{[^{}]*\}|\S)\s*$")
# names the reader gives to E and \Gamma so that the grammar does not take them for constants
_MARK = "Zr"
_AMBIGUOUS_OPS = {
    "nabla": "a gradient \\nabla of a vector is not supported (write \\frac{\\partial}{\\partial w} for a scalar w)",
    "lg": "\\lg is log base 2 in computer science and base 10 elsewhere, so the parser does not guess; "
          "write \\log_2 or \\log_{10}",
}


def _no_vectors(s: str) -> None:
    """Vector and matrix notation is refused rather than read as scalars: x^T would be x (the grammar
    drops a transpose), so A^T B = B^T A would pass for matrices; \\nabla_w L would be a product."""
    m = next((m for m in _TRANSPOSE.finditer(s) if not _LIMITS_BEFORE.search(s[:m.start()])), None)
    if m:
        raise ReadError(s[max(0, m.start() - 10):m.end() + 10].strip(), "a transpose (or a power T: rename T) "
                        "is not read by the parser; vectors and matrices are not supported")
    for op, reason in _AMBIGUOUS_OPS.items():
        m = re.search(r"\\" + op + r"(?![A-Za-z])", s)
        if m:
            raise ReadError(s[m.start():m.start() + 30].strip(), reason)


_BAR_AT = re.compile(r"\\right\s*(?:\||\\vert(?![A-Za-z])|\\rvert(?![A-Za-z]))\s*_")
_LOOSE_BAR_AT = re.compile(r"(?:\\(?:[Bb]ig{1,2}[lr]?|middle|right)\s*)?(?:\||\\vert(?![A-Za-z])|\\rvert(?![A-Za-z]))\s*_\s*\{[^{}]*=")


def _evaluation_bars(s: str) -> str:
    """\\left. f(x) \\right|_{x=a, y=b} -> \\evalat{f(x)}{x=a, y=b} (read as Subs by the expression reader);
    a bar with a substitution but no \\left. (f(x)\\Big|_{x=0}) has no visible extent and is refused."""
    for _ in range(50):
        m = _BAR_AT.search(s)
        if not m:
            break
        depth, k, start = 0, m.start(), None
        while k > 0:  # the \\left. this \\right closes: walk back over \\left/\\right pairs
            k -= 1
            if s.startswith("\\right", k) and not s[k + 6:k + 7].isalpha():
                depth += 1
            elif s.startswith("\\left", k) and not s[k + 5:k + 6].isalpha():
                if depth == 0:
                    start = k
                    break
                depth -= 1
        if start is None or not s.startswith(".", start + 5 + len(s[start + 5:]) - len(s[start + 5:].lstrip())):
            raise ReadError(s[max(0, m.start() - 20):m.end() + 20], "an evaluation bar |_{x=a} needs its "
                            "\\left. ... \\right| to show what is evaluated")
        body_at = s.index(".", start + 5) + 1
        try:
            cond, end = _brace_arg(s, m.end())
        except ValueError:
            raise ReadError(s[m.start():m.start() + 30], "an evaluation bar without its substitution") from None
        s = s[:start] + "\\evalat{" + s[body_at:m.start()] + "}{" + cond + "}" + s[end:]
    m = _LOOSE_BAR_AT.search(s)
    if m:
        raise ReadError(s[max(0, m.start() - 20):m.end() + 10], "an evaluation bar |_{x=a} needs its "
                        "\\left. ... \\right| to show what is evaluated")
    return s


_BARE_FN = re.compile(r"\\(?:log|ln|exp)(?![A-Za-z])(?:\s*[_^]\s*(?:\{[^{}]*\}|[A-Za-z0-9])){0,2}\s*(?!\s|\(|\\left(?![A-Za-z])|_|\^|\{)")
_NEXT_FN = re.compile(r"\\(?:cdot|times)\s*\\(?:log|ln|lg|exp|sin|cos|tan|tanh|sigma|sqrt)(?![A-Za-z])")


def _bare_arguments(s: str) -> str:
    """The argument of \\log, \\ln, \\exp written without brackets ends at + - = and at a \\cdot or
    \\times followed by another function (\\ln x \\cdot \\ln 2, which the grammar reads as ln(x ln 2));
    a \\cdot or \\times followed by anything else is ambiguous (\\log x \\cdot y: (log x) y or log(x y)?)."""
    pos = 0
    for _ in range(200):
        m = _BARE_FN.search(s, pos)
        if not m:
            return s
        k, depth = m.end(), 0
        while k < len(s):
            c = s[k]
            if c in "({[":
                depth += 1
            elif c in ")}]":
                depth -= 1
                if depth < 0:
                    break
            elif depth == 0 and c in "+-=<>&,":
                break
            elif depth == 0 and (s.startswith("\\cdot", k) or s.startswith("\\times", k)):
                if not _NEXT_FN.match(s, k):
                    raise ReadError(s[m.start():k + 8].strip(), "the argument of a log or exp without brackets "
                                    "runs into \\cdot or \\times: is it log(x)y or log(xy)? Write the brackets")
                s = s[:m.end()] + "(" + s[m.end():k].strip() + ") " + s[k:]
                break
            k += 1
        pos = m.end()
    return s


def normalise(latex: str, notation: Notation) -> str:
    s = latex
    if _ELLIPSIS.search(s):
        m = _ELLIPSIS.search(s)
        raise ReadError(s[max(0, m.start() - 20):m.end() + 20].strip(),
                        "an ellipsis (...) cannot be read as a definite expression")
    _no_vectors(s)
    s = _evaluation_bars(s)
    s = s.replace("\\left.", "").replace("\\right.", "")
    _no_condition(s)
    _no_prose(s)
    s = _SPACING.sub(" ", s)
    s = re.sub(r"\\[dt]frac(?![A-Za-z])", r"\\frac", s)
    s = re.sub(r"\\operatorname\*", r"\\operatorname", s)
    # arg min / arg max however they are spelled: \operatorname*{arg\,min}, \mathop{\mathrm{argmin}},
    # \mathrm{arg\,max}, \operatorname{argmin}, \text{arg min} -> \argmin / \argmax
    s = _ARG_SPELLED.sub(lambda m: "\\arg" + (m.group("a") or m.group("b")) + " ", s)
    # the differential d: \mathrm{d}x, \mathrm dx, \text{d}x, \operatorname{d}x -> dx
    s = re.sub(r"\\(?:text|operatorname|mathrm|rm)\s*\{\s*d\s*\}", "d", s)
    s = re.sub(r"\\(?:mathrm|mathbf|mathit|boldsymbol|bm|rm|bf)(?:\s+|(?=\\))(\\[A-Za-z]+|[A-Za-z])",
               lambda m: m.group(1) + " ", s)
    if len(re.findall(r"\\(?:Vert|lVert|rVert)(?![A-Za-z])|\\\|", s)) >= 2:
        m = re.search(r"\\(?:Vert|lVert|rVert)(?![A-Za-z])|\\\|", s)
        raise ReadError(s[m.start():m.start() + 40], "a norm \\|x\\| (of a vector) is not supported")
    s = re.sub(r"\\(?:mid|vert|lvert|rvert)(?![A-Za-z])", "|", s)
    s = re.sub(r"\\(?:parallel|Vert|lVert|rVert)(?![A-Za-z])|\\\|", "|", s)
    s = s.replace("||", "|")
    s = re.sub(r"\\(?:Pr)(?![A-Za-z])", r"\\text{Pr}", s)
    s = re.sub(r"\\operatorname\s*\{\s*([A-Za-z]+)\s*\}", r"\\text{\1}", s)
    s = re.sub(r"\\mathcal\s*\{\s*([A-Za-z])\s*\}", r"\\text{cal\1}", s)
    s = re.sub(r"\\mathbb\s*\{\s*([A-Za-z])\s*\}", r"\\text{bb\1}", s)
    s = re.sub(r"\\mathcal\s*([A-Za-z])", r"\\text{cal\1}", s)
    s = _strip_fonts(s)
    s = _replace_accents(s, notation)
    s = re.sub(r"_\{\s*([A-Za-z])\s*'\s*\}|_([A-Za-z])'", lambda m: "_{" + (m.group(1) or m.group(2)) + "prime}", s)
    # a word of four or more letters is a name (softmax, loss), not a product of letters
    s = re.sub(r"(?<![\\A-Za-z{])([A-Za-z]{4,})(?![A-Za-z}])",
               lambda m: m.group(1) if m.group(1) in _WORD_FUNCS else "\\text{" + m.group(1) + "}", s)
    # primes: f', f'', \sigma^{\prime\prime}, \sigma ', f^{(2)}(x)  ->  \text{fprime}, \text{fprimeprime}
    s = re.sub(r"(?<![\\A-Za-z])(" + _TOKEN + r")\s*(" + _PRIMES + r")",
               lambda m: _primed(m.group(1), _prime_count(m.group(2))), s)
    s = re.sub(r"(?<![\\A-Za-z])(" + _TOKEN + r")\s*\^\s*\{\s*\(\s*(\d)\s*\)\s*\}(?=\s*(?:\\left\s*)?\()",
               lambda m: _primed(m.group(1), int(m.group(2))), s)
    s = _sample_superscripts(s, notation)
    m = re.search(r"\^\s*\{\s*\(\s*(?:\d+|[A-Za-z]|\\[A-Za-z]+)\s*\)\s*\}", s)
    if m:  # a^{(2)}, a^{(l)}: a layer label or a derivative order, not a power
        raise ReadError(s[max(0, m.start() - 10):m.end()], "a superscript in parentheses is a label (a layer) or "
                        "a derivative order, not a power; write primes or \\frac{d^n}{dx^n}")
    if "'" in s or "\\prime" in s:
        raise ReadError(s, "a prime on an expression is not supported")
    s = re.sub(r"\\frac\s*(\d)\s*(\d)", r"\\frac{\1}{\2}", s)
    s = re.sub(r"\\frac\s*(\d)\s*\{", r"\\frac{\1}{", s)
    s = re.sub(r"(\\partial)\s*\{\s*(\\text\{[A-Za-z]+\}|[A-Za-z])\s*\}", r"\1 \2", s)
    # bare function words
    s = re.sub(r"(?<![\\A-Za-z])(?<!\\text\{)(log|ln|exp|min|max|argmin|argmax|lim)(?![A-Za-z])", r"\\\1", s)
    # natural log unless a base is written
    s = re.sub(r"\\log(?![A-Za-z_])", r"\\ln", s)
    s = _bare_arguments(s)
    s = re.sub(r"\\log\s*_\s*\{?\s*e\s*\}?(?![A-Za-z])", r"\\ln", s)
    # e^{x}_{1} means e^{x_1}
    s = re.sub(r"(?<![A-Za-z\\])e\^\{([A-Za-z])\}_\{?([A-Za-z0-9])\}?", r"e^{\1_{\2}}", s)
    # I is a name, not the imaginary unit; E is a name (an error, an energy), not Euler's number e
    s = re.sub(r"(?<![\\A-Za-z])(?<!\\text\{)I(?![A-Za-z])", r"\\text{I}", s)
    s = re.sub(r"(?<![\\A-Za-z])(?<!\\text\{)E(?![A-Za-z])(?!\s*(?:\\left\s*)?[(\[])", r"\\text{" + _MARK + "E}", s)
    # T is a name (a horizon, a length): the grammar takes ^T for a transpose even as a sum's upper limit
    # (a transpose itself was refused above)
    s = re.sub(r"([\^_])\s*T(?![A-Za-z])", r"\1{\\text{" + _MARK + "T}}", s)
    s = re.sub(r"(?<![\\A-Za-z])(?<!\\text\{)T(?![A-Za-z])", r"\\text{" + _MARK + "T}", s)
    # \gamma is a name (a discount, a rate): the grammar reads it as Euler's constant or the Gamma function
    s = re.sub(r"\\gamma(?![A-Za-z])", r"\\text{" + _MARK + "gamma}", s)
    # \Gamma is a name, not Euler's constant (\Gamma(x) stays the Gamma function); \gamma is mapped back
    # from Euler's constant in resolve
    s = re.sub(r"\\Gamma(?![A-Za-z])(?!\s*(?:\\left\s*)?\()", r"\\text{" + _MARK + "Gamma}", s)
    # trailing punctuation
    s = re.sub(r"[.,;]\s*$", "", s.strip())
    return s


# ---------------------------------------------------------------------------------------
# objectives
# ---------------------------------------------------------------------------------------
_ARG_OP = r"(?:\\text\{arg\s*(min|max)\}|\\arg\s*\\(min|max)|\\(argmin|argmax)|\\mathop\s*\{\s*\\arg\s*\\(min|max)\s*\})"


def _objective(s: str) -> tuple[str | None, list[str], str]:
    """Strip an argmin/argmax/min/max wrapper: (sense, variables LaTeX, body)."""
    t = s.strip()
    m = re.match(r"\\underset\s*", t)
    if m:
        try:
            var, end = _brace_arg(t, m.end())
            op, end2 = _brace_arg(t, end)
        except ValueError:
            raise ReadError(t[:60], "an \\underset without its arguments") from None
        om = re.fullmatch(r"\s*" + _ARG_OP + r"\s*", op)
        if om:
            kind = next(g for g in om.groups() if g)
            return _sense(kind), _split_vars(var), t[end2:]
        if re.fullmatch(r"\s*\\(min|max|inf|sup)\s*", op):
            raise ReadError(t[:60], _VALUE_NOT_ARG)
        return None, [], s
    if re.match(r"\\(min|max|inf|sup)\s*_", t):
        raise ReadError(t[:60], _VALUE_NOT_ARG)
    m = re.match(_ARG_OP, t)
    if m:
        kind = next(g for g in m.groups() if g)
        rest = t[m.end():]
        var: list[str] = []
        if rest.lstrip().startswith("_"):
            try:
                v, end = _brace_arg(rest, rest.index("_") + 1)
            except ValueError:
                raise ReadError(t[:60], "a subscript without its argument") from None
            var, rest = _split_vars(v), rest[end:]
        return _sense(kind), var, rest
    return None, [], s


_VALUE_NOT_ARG = ("\\min_x / \\max_x is the optimal value, not the set of optimisers, and comparing values is "
                  "not supported (write \\arg\\min_x for an optimisation step)")


def _sense(kind: str) -> str:
    return "min" if "min" in kind else "max"


def _split_vars(v: str) -> list[str]:
    return [x.strip() for x in v.split(",") if x.strip()]


# ---------------------------------------------------------------------------------------
# function calls and cases (read here; the grammar cannot nest them)
# ---------------------------------------------------------------------------------------
_CALL_NAME = re.compile(
    r"((?<![\\^_])\\text\{[A-Za-z]+\}|(?<![\\^_])\\[A-Za-z]+|(?<![\\A-Za-z0-9^_])[A-Za-z])"
    r"(\s*_\s*(?:\{[^{}]*\}|\\text\{[^{}]*\}|[A-Za-z0-9]))?\s*(\\left\s*)?([(\[])")
_CLOSE = {"(": ")", "[": "]"}


def _matching(s: str, i: int) -> int:
    """Index of the bracket closing s[i] (counting both kinds and braces)."""
    depth = 0
    j = i
    while j < len(s):
        c = s[j]
        if c == "\\" and j + 1 < len(s) and s[j + 1] in "{}":
            j += 2
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return -1


def _split_args(s: str) -> list[str]:
    out, depth, start = [], 0, 0
    for j, c in enumerate(s):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c in ",|;" and depth == 0:
            out.append(s[start:j])
            start = j + 1
    out.append(s[start:])
    return [a.strip() for a in out]


def _code(k: int) -> str:
    letters = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        letters = chr(97 + r) + letters
    return letters


_DERIV_TOP = re.compile(r"(d|\\partial(?![A-Za-z]))\s*(?:\^\s*(?:\{\s*(\d+)\s*\}|(\d)))?\s*(?![_^'])(.*)", re.S)
_VAR = (r"(?:\{\s*)?(?:\\text\{[A-Za-z]+\}|\\(?!partial|frac|left|right|cdot|int|sum|prod)[A-Za-z]+|[A-Za-z])"
        r"(?:\s*_\s*(?:\{[^{}]*\}|[A-Za-z0-9]))?(?:\s*\})?")
_DEN_TERM = re.compile(r"\s*(d|\\partial(?![A-Za-z]))\s*(" + _VAR + r")\s*(?:\^\s*(?:\{\s*(\d+)\s*\}|(\d)))?\s*")


def _leibniz_denominator(den: str) -> tuple[str, list[tuple[str, int]]] | None:
    """'dx^2' -> ('d', [('x', 2)]); '\\partial x \\partial y' -> ('\\partial', [('x', 1), ('y', 1)])."""
    pos, ops, out = 0, set(), []
    while pos < len(den):
        m = _DEN_TERM.match(den, pos)
        if not m or m.end() == pos:
            return None
        if m.group(1) == "d" and re.match(r"[A-Za-z]", den[m.end(2):m.end(2) + 1] or " "):
            return None  # 'dxy': not a single variable
        ops.add(m.group(1))
        out.append((m.group(2).strip(), int(m.group(3) or m.group(4) or 1)))
        pos = m.end()
    if len(ops) != 1 or not out:
        return None
    return ops.pop(), out


_ENDS_TERM = "+-)]},|&=<>"


def _operand(s: str, start: int) -> tuple[str, int]:
    """What a derivative operator d/dx applies to: a bracketed group that ends the term, or the
    term up to the next + or - at the same level.  A group followed by more factors is ambiguous."""
    i = start
    while i < len(s) and s[i] == " ":
        i += 1
    g = re.match(r"(\\left\s*)?(\(|\[|\\\{)", s[i:])
    if g:
        open_at = i + g.end() - 1
        close = _matching_escaped_brace(s, open_at) if g.group(2) == "\\{" else _matching(s, open_at)
        if close == -1:
            raise ReadError(s[i:i + 40], "unbalanced brackets")
        k = close + 1
        while k < len(s) and s[k] == " ":
            k += 1
        if k < len(s) and s[k] not in _ENDS_TERM and not s.startswith("\\right", k) \
                and not s.startswith("\\end", k):
            raise ReadError(s[start:k + 20].strip(), "the operand of the derivative is ambiguous (a bracket "
                            "followed by more factors); put the whole operand in brackets")
        return s[i:close + 1], close + 1
    depth, k = 0, i
    if k < len(s) and s[k] in "+-":
        k += 1
    while k < len(s):
        c = s[k]
        if c == "\\":
            mm = re.match(r"\\(?:[A-Za-z]+|.)", s[k:])
            if mm.group(0) in ("\\right", "\\end") and depth == 0:
                break
            if mm.group(0) == "\\left":
                depth += 1
            elif mm.group(0) == "\\right":
                depth -= 1
            if mm.group(0) in ("\\{",):
                depth += 1
            elif mm.group(0) in ("\\}",):
                depth -= 1
            k += len(mm.group(0))
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and c in "+-,|&=<>" and s[k - 1] not in "^_":
            break
        k += 1
    return s[i:k], k


def _matching_escaped_brace(s: str, i: int) -> int:
    """Index of the '}' of the \\} closing the \\{ whose '{' is at s[i]."""
    depth, j = 0, i - 1
    while j < len(s) - 1:
        if s.startswith("\\{", j):
            depth += 1
            j += 2
            continue
        if s.startswith("\\}", j):
            depth -= 1
            if depth == 0:
                return j + 1
            j += 2
            continue
        j += 1
    return -1


def _differential(s: str, start: int) -> tuple[int | None, str, int]:
    """The differential ending the integral whose body starts at s[start]: (index of its d, the
    variable's LaTeX, index after it).  Nested \\int's take the differentials before it."""
    depth, pending, k = 0, 1, start
    var_re = re.compile(r"d\s*(\\text\{[A-Za-z]+\}|\\(?!partial|frac|left|right|cdot|int|sum|prod|text)[A-Za-z]+"
                        r"|[A-Za-z](?![A-Za-z]))(\s*_\s*(?:\{[^{}]*\}|[A-Za-z0-9]))?")
    while k < len(s):
        c = s[k]
        if c == "\\":
            mm = re.match(r"\\(?:[A-Za-z]+|.)", s[k:])
            name = mm.group(0)
            if name == "\\int" and depth == 0:
                pending += 1
            elif name == "\\left":
                depth += 1
            elif name == "\\right":
                depth -= 1
            k += len(name)
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth < 0:
                return None, "", k
        elif c == "d" and depth == 0:
            m = var_re.match(s, k)
            if m:
                pending -= 1
                if pending == 0:
                    return k, (m.group(1) + (m.group(2) or "")).strip(), m.end()
                k = m.end()
                continue
        k += 1
    return None, "", k


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


class _Raw:
    """Recursive reading of one expression into raw SymPy (names not yet resolved)."""

    def __init__(self, functions: set[str], depth: int = 0, placeholders: dict | None = None) -> None:
        self.functions = functions
        # shared with the readers of sub-expressions, so a placeholder made at one level and read at
        # another is still replaced
        self.placeholders: dict[str, sp.Basic] = {} if placeholders is None else placeholders
        self.depth = depth
        self.calls: set[str] = set()

    def _placeholder(self, obj: sp.Basic) -> str:
        name = "Zq" + _code(len(self.placeholders))
        self.placeholders[name] = obj
        return "\\text{" + name + "}"

    def _is_call(self, name: str, sub: str, inside: str) -> bool:
        base = split_name(name)[0]
        if base in _BUILTINS:
            return False
        if sub and sub in _INDEX_SUBS:
            return False
        if len(_split_args(inside)) > 1:
            return True
        if _bare_in(name, inside) and not base.endswith("prime"):
            return False  # p(1-p), a(a+1): a name applied to an expression of itself is a number times a bracket
        if canonical(name) in self.functions or base.endswith("prime"):
            return True
        if (re.fullmatch(r"[A-Za-z]{2,}", base) and base not in GREEK and base not in _BUILTINS
                and not base.startswith(("Zq", _MARK)) and not base.endswith(tuple(set(ACCENTS.values())))):
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
            m = _CALL_NAME.search(s, pos)
            if not m:
                return s
            raw_name, sub = m.group(1), (m.group(2) or "")
            name_txt = raw_name
            inner = re.fullmatch(r"\\text\{([A-Za-z]+)\}", raw_name)
            if inner:
                name_txt = inner.group(1)
                if name_txt.startswith(_MARK):
                    name_txt = name_txt[len(_MARK):]
            elif raw_name.startswith("\\"):
                name_txt = raw_name[1:]
            open_at = m.end() - 1
            close_at = _matching(s, open_at)
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
            for a in _split_args(inside):
                a = re.sub(r"^[A-Za-z]\s*=(?!=)", "", a).strip()  # Y=y_i -> y_i (the event's value)
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
        from .blocks import split_relations

        while True:
            m = re.search(r"\\evalat(?![A-Za-z])", s)
            if not m:
                return s
            body, j = _brace_arg(s, m.end())
            cond, end = _brace_arg(s, j)
            olds, news = [], []
            for part in _split_args(cond):
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
                        arg, j = _brace_arg(s, k + 1)
                    except ValueError:
                        raise ReadError(s[m.start():m.start() + 40], "an integral limit without its value") from None
                    if s[k] == "_":
                        lo = arg
                    else:
                        hi = arg
            if (lo is None) != (hi is None):
                raise ReadError(s[m.start():m.start() + 40], "an integral with only one limit")
            d_at, var_tex, end = _differential(s, j)
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
                num, j = _brace_arg(s, m.end())
                den, end = _brace_arg(s, j)
            except ValueError:
                raise ReadError(s[m.start():m.start() + 40], "a \\frac without its two arguments") from None
            top = _DERIV_TOP.fullmatch(num.strip())
            bottom = _leibniz_denominator(den.strip())
            if not top or bottom is None or (top.group(1) == "d") != (bottom[0] == "d"):
                if top and top.group(1) != "d" and bottom is None:
                    raise ReadError(s[m.start():end], "a partial derivative whose denominator is not read "
                                    "(write \\partial x, \\partial x^2 or \\partial x \\partial y)")
                pos = m.end()
                continue
            order = int(top.group(2) or top.group(3) or 1)
            variables = bottom[1]
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
                operand, stop = _operand(s, end)
                if not operand.strip():
                    raise ReadError(s[m.start():m.start() + 60], "a derivative operator without its expression")
            obj = sp.Derivative(self._sub(operand), *wrt)
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
                close_at = _matching_escaped_brace(s, open_at)
            else:
                close_at = _matching(s, open_at)
            if close_at == -1:
                raise ReadError(s[m.start():m.start() + 60], "unbalanced brackets")
            inside = s[open_at + 1:close_at - 1 if lead.group(1) == "\\{" else close_at]
            inside = re.sub(r"\\right\s*\\?$", "", inside.rstrip())
            if m.group(1) in ("sup", "inf"):
                raise ReadError(s[m.start():close_at + 1], "a supremum or infimum is not supported")
            parts = _split_args(inside) if "|" not in inside and ";" not in inside else None
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
                pieces.append((self._sub(val), self._condition(cond)))
            s = s[:a] + self._placeholder(sp.Piecewise(*pieces)) + s[b + len("\\end{cases}"):]

    def _sub(self, text: str) -> sp.Basic:
        r = _Raw(self.functions, self.depth + 1, self.placeholders)
        e = r.expr(text)
        self.calls |= r.calls
        return e

    def _condition(self, cond: str) -> sp.Basic:
        from .blocks import split_relations

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
        e = _grammar(s)
        if self.placeholders:
            e = e.xreplace({sp.Symbol(k): v for k, v in self.placeholders.items()})
            leftover = {str(x) for x in e.free_symbols if str(x).startswith("Zq")}
            if leftover or e.has(*[sp.Function("\\text{" + k + "}") for k in self.placeholders]):
                raise ReadError(s, "a function call was misread")
        return e


def _grammar(s: str) -> sp.Basic:
    from latex2sympy2_extended.latex2sympy2 import ConversionConfig, latex2sympy
    from latex2sympy2_extended.math_normalization import NormalizationConfig

    if not s.strip():
        raise ReadError(s, "an empty expression")
    cc = ConversionConfig(lowercase_symbols=False, interpret_contains_as_eq=False,
                          interpret_as_mixed_fractions=False)
    nc = NormalizationConfig(basic_latex=True, units=False, malformed_operators=False, nits=False,
                             boxed="none", equations=False)
    try:
        e = latex2sympy(s, normalization_config=nc, conversion_config=cc)
    except RecursionError:
        raise ReadError(s[:80], "expression nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - the grammar raises bare Exceptions
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ReadError(s.strip(), f"the LaTeX parser rejected it ({msg})") from None
    if not isinstance(e, sp.Expr) or isinstance(e, sp.core.relational.Relational):
        raise ReadError(s.strip(), "not a single expression")
    return e


# ---------------------------------------------------------------------------------------
# post-processing: names, indexed data, derivatives
# ---------------------------------------------------------------------------------------
def _fn_name(f) -> str:
    return canonical(str(getattr(f, "__name__", str(f))))


def resolve(e: sp.Basic, notation: Notation, bound: frozenset = frozenset(),
            indices: frozenset = frozenset()) -> sp.Basic:
    """Raw parse -> canonical names; x_i under a sum over i -> x[i]; primes -> derivatives;
    \\delta_{jl} over indices -> KroneckerDelta(j, l).  `indices` are names declared as indices."""
    if isinstance(e, sp.Symbol):
        name = e.name.replace(_MARK, "")
        base, sub = split_name(name)
        if sub and base:
            got = _subscripted(name, base, sub, bound, indices)
            if got is not None:
                return got
        return sp.Symbol(canonical(name)) if name not in ("+", "-") else e
    if isinstance(e, (sp.Sum, sp.Product)):
        limits = []
        inner = bound
        for lim in e.limits:
            var = sp.Symbol(canonical(lim[0].name.replace(_MARK, "")))
            rest = [resolve(x, notation, inner, indices) for x in lim[1:]]
            inner = inner | {var.name}
            limits.append((var, *rest))
        body = resolve(e.function, notation, inner, indices)
        body = body.xreplace({sp.Symbol(lim[0].name): l[0] for lim, l in zip(e.limits, limits)})
        return e.func(body, *limits)
    if isinstance(e, AppliedUndef):
        name = _fn_name(e.func)
        args = [resolve(a, notation, bound, indices) for a in e.args]
        base, sub = split_name(name)
        plain, order = _unprimed(base)
        if order and len(args) == 1 and plain:
            f = sp.Function(canonical(plain + ("_" + sub if sub else "")))
            a = args[0]
            if isinstance(a, sp.Symbol):
                return sp.Derivative(f(a), (a, order))
            t = sp.Dummy("t")
            return sp.Subs(sp.Derivative(f(t), (t, order)), t, a)
        if order:
            raise ReadError(notation.symbol(name), "a derivative written with primes of a function of "
                            "several arguments is ambiguous")
        if (base in PROBABILITY_NAMES and len(args) == 1 and isinstance(args[0], sp.Indexed)
                and len(args[0].indices) == 1 and str(args[0].indices[0]) in bound):
            arg = args[0]
            idx = arg.indices[0]
            notation.entry_templates.setdefault(name, f"{notation.symbol(name)}({notation.symbol(str(arg.base))}_{{%s}})")
            return sp.Indexed(sp.IndexedBase(sp.Symbol(name)), idx)
        return sp.Function(name)(*args)
    if isinstance(e, sp.log) and len(e.args) == 2:
        a, b = (resolve(x, notation, bound, indices) for x in e.args)
        return sp.log(a) if b == sp.E else sp.log(a) / sp.log(b)
    if isinstance(e, (sp.Integral, sp.Derivative)):
        return e.func(*[resolve(a, notation, bound, indices) for a in e.args])
    if e == sp.EulerGamma:  # the grammar reads \gamma as Euler's constant; notes mean a name (a discount, a rate)
        return sp.Symbol("gamma")
    if not e.args:
        if e == sp.I:
            raise ReadError("I", "the imaginary unit is not supported")
        return e
    new = [resolve(a, notation, bound, indices) for a in e.args]
    try:
        return e.func(*new)
    except Exception as exc:  # noqa: BLE001
        raise ReadError(str(e)[:60], f"could not rebuild the expression ({type(exc).__name__})") from None


def _unprimed(base: str) -> tuple[str, int]:
    """'fprimeprime' -> ('f', 2); 'sigma' -> ('sigma', 0)."""
    k = 0
    while base.endswith("prime") and len(base) > 5:
        base, k = base[:-5], k + 1
    return base, k


# letters that, as the two subscripts of \delta, are indices by convention (\delta_{ij}, \delta_{jl})
KRONECKER_LETTERS = set("ijklmn")


def _index_parts(sub: str) -> list[str] | None:
    """'jl' -> ['j', 'l']; 'j,l' -> ['j', 'l']; 'i' -> ['i']; anything else -> None."""
    if "," in sub:
        parts = [p.strip() for p in sub.split(",")]
        return parts if all(re.fullmatch(r"[A-Za-z]", p) for p in parts) else None
    if re.fullmatch(r"[A-Za-z]{1,3}", sub):
        return list(sub)
    return None


def _subscripted(name: str, base: str, sub: str, bound: frozenset, indices: frozenset) -> sp.Basic | None:
    """A subscripted name under sums: x_i -> x[i], x_{ij} / x_{i,j} -> x[i, j], x_{i+1} -> x[i + 1],
    \\delta_{jl} -> KroneckerDelta(j, l); None when it is a plain name (L_{mse}, y_1, x_k outside a sum).
    A subscript that mixes a summation index with other names is not guessed."""
    parts = _index_parts(sub)
    if base == "delta" and parts and len(parts) == 2:
        if all(p in bound or p in indices or p in KRONECKER_LETTERS for p in parts):
            return sp.KroneckerDelta(sp.Symbol(parts[0]), sp.Symbol(parts[1]))
    if not bound:
        return None
    if sub in bound:
        return sp.Indexed(sp.IndexedBase(sp.Symbol(base)), sp.Symbol(sub))
    if parts and len(parts) > 1:
        hits = [p in bound for p in parts]
        if all(hits):
            return sp.Indexed(sp.IndexedBase(sp.Symbol(base)), *[sp.Symbol(p) for p in parts])
        if any(hits) and ("," in sub or len(sub) <= 2):
            raise ReadError(name, "a subscript that mixes a summation index with other names")
        return None
    if re.search(r"[-+*/]|\\cdot|^\d+[A-Za-z]$", sub) and any(re.search(r"(?<![A-Za-z])" + re.escape(b) +
                                                                       r"(?![A-Za-z])", sub) for b in bound):
        try:
            ix = _grammar(sub)
        except ReadError:
            raise ReadError(name, "a subscript expression that could not be read") from None
        names = {str(x) for x in ix.free_symbols}
        if not names or not names <= set(bound) or not ix.is_polynomial():
            raise ReadError(name, "a subscript expression with names that are not summation indices")
        return sp.Indexed(sp.IndexedBase(sp.Symbol(base)), ix.xreplace({x: sp.Symbol(str(x)) for x in ix.free_symbols}))
    return None


# letters that, as the subscript of data the note sums over, name an entry at an index no sum binds (z_j)
FREE_INDEX_LETTERS = set("ijklm")


def _entries_outside_sums(e: sp.Basic, indexed: dict[str, set[str]]) -> sp.Basic:
    """x_1, x_n, x_{n+1} (plain names after resolve) -> entries x[1], x[n], x[n + 1] of indexed data."""
    subs = {}
    # the variables of a derivative count too: d/dz_j of an expression free of z_j has no free z_j
    wrt = {v for d in e.atoms(sp.Derivative) for v in d.variables}
    for v in wrt:
        base, sub = split_name(v.name) if isinstance(v, sp.Symbol) else ("", "")
        if base in indexed and sub in FREE_INDEX_LETTERS and sub not in indexed[base]:
            # d/dz_j of an expression over z_1..z_K: z_j is the entry z[j], but no sum gives j a range, so it
            # can be neither sampled nor unrolled; read as a new name z_j the derivative would be 0
            raise ReadError(v.name, f"a derivative by the entry {v.name} of {base}, which the note sums over, at an "
                            f"index {sub} that no sum binds (its range is not known)")
    named = set(e.free_symbols) | wrt
    for sym in named:
        if not isinstance(sym, sp.Symbol):
            continue
        base, sub = split_name(sym.name)
        if base not in indexed or not sub:
            continue
        m = re.fullmatch(r"(\d+)|([A-Za-z])(?:([+-])(\d+))?", sub)
        if not m:
            continue
        if m.group(1):
            ix = sp.Integer(int(m.group(1)))
        elif m.group(2) in indexed[base]:
            ix = sp.Symbol(m.group(2)) + (int(m.group(4)) * (1 if m.group(3) == "+" else -1) if m.group(3) else 0)
        else:
            continue
        subs[sym] = sp.Indexed(sp.IndexedBase(sp.Symbol(base)), ix)
    return e.xreplace(subs) if subs else e


_SUM_HEAD = re.compile(r"\\(?:sum|prod)(?:\\[a-z]*limits)?\s*_\s*\{\s*([A-Za-z])\s*=([^{}]*)\}\s*\^\s*(\{[^{}]*\}|[A-Za-z0-9])")


class IndexLimits(set):
    """The upper limits (letters) of the sums a note runs over one base's entries; `ranges` keeps the
    (lower, upper) LaTeX of each such sum, e.g. {('1', 'd')}."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.ranges: set[tuple[str, str]] = set()


def indexed_names_of(text: str) -> dict[str, set[str]]:
    """Bases a note uses as indexed data under sums (x in \\sum_{i=1}^n x_i), each with the upper limits
    (n) of the sums over them: outside sums, x_1 and x_n are then entries of x, not new names."""
    out: dict[str, set[str]] = {}
    for m in _SUM_HEAD.finditer(text):
        i, lo, hi = m.group(1), m.group(2).strip(), m.group(3).strip("{} ")
        body = text[m.end():m.end() + 400]
        for b in re.finditer(r"(?<![\\A-Za-z])([A-Za-z])\s*_\s*\{?\s*" + i + r"\s*\}?(?![A-Za-z0-9])", body):
            limits = out.setdefault(b.group(1), IndexLimits())
            if re.fullmatch(r"[A-Za-z]", hi):
                limits.add(hi)
            if re.fullmatch(r"[A-Za-z0-9]", lo) and re.fullmatch(r"[A-Za-z0-9]", hi):
                limits.ranges.add((lo, hi))
    return out


_BARE_SUM = re.compile(r"\\(sum|prod)(?:\\[a-z]*limits)?\s*_\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z]))(?!\s*\^)")


def _sum_limits(s: str, indexed: dict[str, set[str]]) -> str:
    """\\sum_i x_i without limits: over the one range the note sums x over (\\sum_{i=1}^{n} x_i elsewhere);
    when the data in the sum have no range, or several, the sum is refused rather than given one."""
    for _ in range(20):
        m = _BARE_SUM.search(s)
        if not m:
            return s
        i = m.group(2) or m.group(3)
        rest = s[m.end():]
        bases = {b.group(1) for b in re.finditer(r"(?<![\\A-Za-z])(\\[A-Za-z]+|[A-Za-z])\s*_\s*\{?\s*" + i +
                                                 r"\s*[},]?(?![A-Za-z0-9])", rest)}
        bases = {b.lstrip("\\") for b in bases}
        ranges = set().union(*[getattr(indexed.get(b), "ranges", set()) for b in bases]) if bases else set()
        if len(ranges) != 1:
            raise ReadError(s[m.start():m.end() + 30], f"a {m.group(1)} over {i} without limits, and the note "
                            f"does not give {i} one range (write \\{m.group(1)}_{{{i}=1}}^{{n}})")
        lo, hi = next(iter(ranges))
        s = s[:m.start()] + f"\\{m.group(1)}_{{{i}={lo}}}^{{{hi}}}" + s[m.end():]
    return s


_NORM = re.compile(r"(?:\\left\s*)?(?:\\\||\\lVert(?![A-Za-z])|\\Vert(?![A-Za-z]))\s*"
                   r"(?:\\(?:mathbf|boldsymbol|bm|vec)\s*\{\s*)?(\\[A-Za-z]+|[A-Za-z])\s*\}?\s*"
                   r"(?:\\right\s*)?(?:\\\||\\rVert(?![A-Za-z])|\\Vert(?![A-Za-z]))(\s*_\s*\{?\s*[12]\s*\}?)?")


def _norms(s: str, indexed: dict[str, set[str]]) -> str:
    """\\|w\\|, \\|w\\|_2, \\|w\\|_1 of a vector whose entries w_j the note sums over one range j = 1..d:
    the square root of the sum of squares (the sum of absolute values), over that range. Any other norm
    is left to be refused."""
    def one(m: re.Match) -> str:
        name = m.group(1)
        base = name[1:] if name.startswith("\\") else name
        if name.startswith("\\") and base not in GREEK:
            return m.group(0)
        ranges = getattr(indexed.get(base), "ranges", set())
        if len(ranges) != 1:
            return m.group(0)
        lo, hi = next(iter(ranges))
        j = next(c for c in "jklmuvrsq" if not re.search(r"(?<![\\A-Za-z])" + c + r"(?![A-Za-z])", s))
        entry = f"{name}_{{{j}}}"
        if m.group(2) and "1" in m.group(2):
            return f"\\left(\\sum_{{{j}={lo}}}^{{{hi}}} \\left|{entry}\\right|\\right)"
        return f"\\sqrt{{\\sum_{{{j}={lo}}}^{{{hi}}} {entry}^{{2}}}}"

    return _NORM.sub(one, s)


def free_kronecker_indices(e: sp.Basic) -> set[str]:
    """Names of Kronecker-delta indices that no enclosing sum or product of e binds."""
    free = {str(x) for x in e.free_symbols}
    return {str(x) for kd in e.atoms(sp.KroneckerDelta) for x in kd.free_symbols if str(x) in free}


def expr_size(e: sp.Basic) -> int:
    return sum(1 for _ in sp.preorder_traversal(e))


class Reader:
    """Reads LaTeX fragments of one note (the notation is shared across the note)."""

    def __init__(self, notation: Notation | None = None, functions: set[str] | None = None,
                 max_expr_size: int = DEFAULT_MAX_EXPR_SIZE, indices: set[str] | None = None,
                 indexed: dict[str, set[str]] | None = None) -> None:
        self.notation = notation or Notation()
        self.functions = set(functions or ())
        self.max_expr_size = max_expr_size
        self.indices = frozenset(indices or ())  # names the note declares as indices (j, l = 1..n)
        # bases the note uses as indexed data under sums ({'x': {'n', 'm'}}): x_1, x_n, x_{n+1} outside a
        # sum are then entries of x, with the sums' upper limits as the letters allowed in the index
        self.indexed = dict(indexed or {})

    def read(self, latex: str) -> Parsed:
        text = latex.strip()
        if len(text) > self.max_expr_size:
            raise ReadError(text[:60] + "...", f"expression too large ({len(text)} characters > limit "
                                               f"{self.max_expr_size}; raise it with --max-expr-size)")
        if _depth(text) > MAX_DEPTH:
            raise ReadError(text[:60] + "...", f"expression nested too deeply (more than {MAX_DEPTH} levels)")
        if re.search(r"\d{60,}", text):
            raise ReadError(text[:60], "a number with more than 60 digits")
        if _huge_power(text):
            raise ReadError(text[:60], f"a power of numbers with more than {MAX_POWER_DIGITS} digits")
        text = _sum_limits(text, self.indexed)
        if self.indexed:
            text = _norms(text, self.indexed)
        s = normalise(text, self.notation)
        sense, over_tex, body = _objective(s)
        raw = _Raw(self.functions)
        e = raw.expr(body)
        e = resolve(e, self.notation, frozenset(), self.indices)
        if self.indexed:
            e = _entries_outside_sums(e, self.indexed)
        if expr_size(e) > self.max_expr_size:
            raise ReadError(text[:60], f"expression too large ({expr_size(e)} nodes; raise with --max-expr-size)")
        over: list[str] = []
        for v in over_tex:
            name = _name_of_token(_strip_fonts(v)) if not v.startswith("\\text{") else v[6:-1]
            if name is None:
                name = canonical(v)
            over.append(canonical(name))
        return Parsed(e, latex, sense, tuple(over), raw.calls)


MAX_POWER_DIGITS = 10_000
_NUM_POW = re.compile(r"(\d+(?:\.\d+)?)\s*\^\s*(?:\{\s*(-?\d+(?:\.\d+)?)\s*\}|(\d))")


def _huge_power(text: str) -> bool:
    """Does text hold a power of numbers (10^{10^{10}}) too large to compute? SymPy evaluates
    integer powers eagerly, so such input would take the reader's whole budget and memory."""
    import math

    s = text
    for _ in range(64):  # innermost numeric powers first, folded into their value
        m = _NUM_POW.search(s)
        if m is None:
            return False
        base = float(m.group(1))
        exp = float(m.group(2) or m.group(3))
        if base > 1 and exp > 0 and exp * math.log10(base) > MAX_POWER_DIGITS:
            return True
        try:
            value = base ** exp
        except OverflowError:
            return True
        token = str(int(value)) if value >= 1 and value == int(value) and value < 1e300 else "2"
        s = s[:m.start()] + token + s[m.end():]
    return False


def _depth(s: str) -> int:
    d = best = 0
    for c in s:
        if c in "{([":
            d += 1
            best = max(best, d)
        elif c in "})]":
            d -= 1
    return best


_SIMPLE_ARG = r"\s*(?:\\[A-Za-z]+\s*\{\s*\\?[A-Za-z]+\s*\}|\\[A-Za-z]+|[A-Za-z])(?:_\{?[A-Za-z0-9]+\}?)?\s*"
_DEFINED_CALL = re.compile(r"(?:^|[\n&{}]|\\\\)\s*([A-Za-z])(_\{?[A-Za-z']+\}?)?\s*(?:\\left\s*)?\((" + _SIMPLE_ARG +
                           r"(?:," + _SIMPLE_ARG + r")*)(?:\\right\s*)?\)\s*&?\s*(?:=|:=|\\coloneqq|\\equiv)(?!=)")


def function_names_of(text: str) -> set[str]:
    """Names the note applies to argument lists with commas or bars, and names it defines as functions of
    plain names at the start of an equation (u(x) = x^2 + 1; so u(a+1) later is a call, not u times a+1)."""
    out = set()
    for m in re.finditer(r"(?<![\\A-Za-z])([A-Za-z])(_\{?[A-Za-z']+\}?)?\s*\(([^()]*[,|][^()]*)\)", text):
        out.add(canonical(m.group(1) + (m.group(2) or "").replace("'", "prime")))
    for m in _DEFINED_CALL.finditer(text):
        name = m.group(1) + (m.group(2) or "").replace("'", "prime")
        if not re.search(r"(?<![\\A-Za-z])" + re.escape(m.group(1)) + r"(?![A-Za-z_(])", m.group(3)):
            out.add(canonical(name))
    return out
