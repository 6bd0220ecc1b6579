"""Text normalisation before the grammar: spacing, accents and fonts as names, primes, words of
prose and conditions refused, sample superscripts, transposes and vectors refused, evaluation
bars, bare arguments of log/exp, ellipses."""
from __future__ import annotations

import re

from verifier.notes.bracket_entries import bracket_entries
from verifier.notes.letters import respell_letters
from verifier.notes.notation import ACCENTS, Notation
from verifier.notes.scan import TOKEN, ReadError, brace_arg, name_of_token
from verifier.notes.slashes import no_ambiguous_slash

_SPACING = re.compile(r"(?<!\\)\\(?:displaystyle|textstyle|limits|nolimits|quad|qquad|[,;:! ]|Big[lr]?|big[lr]?|"
                      r"Bigg[lr]?|bigg[lr]?|middle)(?![A-Za-z])")



_WORD_FUNCS = {"log", "exp", "argmin", "argmax", "frac", "sqrt", "left", "right", "text", "cdot", "times",
               "prod", "infty", "partial", "begin", "end", "cases", "mathrm", "mathbf", "operatorname",
               "sigma", "theta", "alpha", "delta", "lambda", "mathcal", "mathbb", "boldsymbol", "prime"}



_ELLIPSIS = re.compile(r"\\(?:cdots|ldots|dots|vdots|ddots)(?![A-Za-z])|\.\.\.|……|…")



def _replace_accents(s: str, notation: Notation) -> str:
    pat = re.compile(r"\\(" + "|".join(ACCENTS) + r")(?![A-Za-z])")
    for _ in range(20):
        best = None
        for m in pat.finditer(s):
            try:
                arg, end = brace_arg(s, m.end())
            except ValueError:
                raise ReadError(s, "an accent without its argument") from None
            name = name_of_token(strip_fonts(arg))
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



def strip_fonts(s: str) -> str:
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
    return "\\text{" + (name_of_token(token) or "X") + "prime" * k + "}"



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
    pat = re.compile(r"(?<![\\A-Za-z])(" + TOKEN + r")\s*\^\s*\{\s*\(\s*([A-Za-z])\s*\)\s*\}")

    def entry(m: re.Match) -> str:
        if m.group(2) not in bound:
            return m.group(0)
        name = name_of_token(m.group(1))
        if name:  # counterexamples name the samples as the note does: x^{(1)}
            notation.entry_templates.setdefault(name, m.group(1) + "^{(%s)}")
        return m.group(1) + "_{" + m.group(2) + "}"

    return pat.sub(entry, s)



_T_MARK = r"(?:T|\\top|\\intercal|\\mathsf\s*\{\s*T\s*\}|\\mathrm\s*\{\s*T\s*\}|\\text\s*\{\s*T\s*\})"



_TRANSPOSE = re.compile(r"\^\s*(?:\{\s*" + _T_MARK + r"\s*\}|" + _T_MARK + r"(?![A-Za-z0-9]))")



_LIMITS_BEFORE = re.compile(r"\\(?:sum|prod|int|coprod|bigcup|bigcap)(?:\\[a-z]*limits)?\s*_\s*(?:\{[^{}]*\}|\S)\s*$")



# names the reader gives to E and \Gamma so that the grammar does not take them for constants
MARK = "Zr"



_AMBIGUOUS_OPS = {
    "nabla": "a gradient \\nabla of a vector is not supported (write \\frac{\\partial}{\\partial w} for a scalar w)",
    "lg": "\\lg is log base 2 in computer science and base 10 elsewhere, so the parser does not guess; "
          "write \\log_2 or \\log_{10}",
}



_T_AS_SCALAR = re.compile(r"\\(?:sum|prod)\s*_\s*(?:\{[^{}]*\}|\S)\s*\^\s*\{?\s*T\b|(?<![A-Za-z\\])T\s*[-+]\s*\d"
                          r"|\\lim\s*_\s*\{\s*T\b|(?<![A-Za-z\\])T\s*\\to\b|\\frac\s*\{[^{}]*\}\s*\{\s*T\s*\}")
_VECTOR_SIGNS = re.compile(r"\\(?:top|intercal|mathbf|boldsymbol|bm|vec)(?![A-Za-z])")


def t_is_a_scalar(math_text: str) -> bool:
    """Whether a note's math uses T as a number (a horizon: \\sum_{t=0}^{T}, T - 1, T \\to \\infty) and
    never writes vectors: then x^{T} is a power, not a transpose."""
    return bool(_T_AS_SCALAR.search(math_text)) and not _VECTOR_SIGNS.search(math_text)


def _no_vectors(s: str, scalar_t: bool = False) -> None:
    """Vector and matrix notation is refused rather than read as scalars: x^T would be x (the grammar
    drops a transpose), so A^T B = B^T A would pass for matrices; \\nabla_w L would be a product.  In a
    note that uses T as a number and writes no vectors (`scalar_t`), x^{T} is a power."""
    m = next((m for m in _TRANSPOSE.finditer(s) if not _LIMITS_BEFORE.search(s[:m.start()])), None)
    if scalar_t and m is not None and re.fullmatch(r"\^\s*\{?\s*T\s*\}?", m.group(0)):
        m = None
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
            cond, end = brace_arg(s, m.end())
        except ValueError:
            raise ReadError(s[m.start():m.start() + 30], "an evaluation bar without its substitution") from None
        s = s[:start] + "\\evalat{" + s[body_at:m.start()] + "}{" + cond + "}" + s[end:]
    s = _bars_after_calls(s)
    m = _LOOSE_BAR_AT.search(s)
    if m:
        raise ReadError(s[max(0, m.start() - 20):m.end() + 10], "an evaluation bar |_{x=a} needs its "
                        "\\left. ... \\right| to show what is evaluated")
    return s



_CALL_NAME = re.compile(r"(?:\\[A-Za-z]+|[A-Za-z])(?:\s*[_^]\s*(?:\{[^{}]*\}|[A-Za-z0-9]))*\s*$")


def _bars_after_calls(s: str) -> str:
    """g(x)\\vert_{x=0} -> \\evalat{g(x)}{x=0}: a bar right after a call of a name evaluates that call, when the
    call stands alone as a term (at the start, or after + - = ( , ): an operator before it (d/dx g(x)|_{x=0})
    would make the extent unclear, and the bar is refused as before."""
    for _ in range(20):
        hit = None
        for m in _LOOSE_BAR_AT.finditer(s):
            k = m.start()
            while k > 0 and s[k - 1].isspace():
                k -= 1
            close = k - 1
            if close < 0 or s[close] != ")":
                continue
            depth, j = 0, close
            while j >= 0:
                depth += s[j] == ")"
                depth -= s[j] == "("
                if depth == 0:
                    break
                j -= 1
            if j < 0:
                continue
            open_at = j - 5 if s[max(0, j - 5):j] == "\\left" else j
            name = _CALL_NAME.search(s[:open_at])
            if name is None or name.group(0).strip() in ("\\right", "\\left"):
                continue
            before = s[:name.start()].rstrip()
            if before and before[-1] not in "+-=(,&" and not before.endswith(("\\cdot", "\\times")):
                continue
            bar = s.index("_", m.start())
            try:
                cond, end = brace_arg(s, bar + 1)
            except ValueError:
                continue
            hit = (name.start(), close + 1, cond, end)
            break
        if hit is None:
            return s
        a, b, cond, end = hit
        s = s[:a] + "\\evalat{" + s[a:b] + "}{" + cond + "}" + s[end:]
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



_SIGN_WORDS = {"+": "plus", "-": "minus"}

# a label made of signs: cost_{+-}, m_{+}, \hat{m}_{-} (the positive / negative class), P(+) and P(-)
_SIGN_SUBSCRIPT = re.compile(r"(?<=[A-Za-z}])\s*_\s*\{\s*([+-](?:\s*[+-])?)\s*\}")
_SIGN_ARGUMENT = re.compile(r"(?<=[A-Za-z}])\s*(\\left\s*)?\(\s*([+-])\s*(\\right\s*)?\)")


def sign_labels(s: str) -> str:
    """Subscripts and arguments that are only signs (cost_{+-}, P(+)) are labels of the positive and
    negative class, written as words: cost_{\text{plusminus}}, P(\text{plus})."""
    s = _SIGN_SUBSCRIPT.sub(lambda m: "_{\\text{" + "".join(_SIGN_WORDS[c] for c in m.group(1) if c in "+-") + "}}", s)
    return _SIGN_ARGUMENT.sub(lambda m: "(\\text{" + _SIGN_WORDS[m.group(2)] + "})", s)


# a capital sigma with an index range is a sum: \Sigma_{s=1}^{N} (a covariance is never indexed by s=1)
_SIGMA_SUM = re.compile(r"\\Sigma(?![A-Za-z])(?=\s*(?:_\s*\{\s*[A-Za-z](?:_\{?[A-Za-z0-9]\}?)?\s*=[^{}]*\}\s*\^|"
                        r"\^\s*(?:\{[^{}]*\}|\S)\s*_\s*\{\s*[A-Za-z]\s*=))")


# the denominator of a higher derivative written {dx}^2 or (dx)^2: the same as dx^2
_GROUPED_DX = re.compile(r"\{\s*d\s*((?:\\[A-Za-z]+|[A-Za-z])(?:_\s*(?:\{[^{}]*\}|[A-Za-z0-9]))?)\s*\}\s*\^\s*(\{\s*\d\s*\}|\d)|"
                         r"(?:\\left\s*)?\(\s*d\s*((?:\\[A-Za-z]+|[A-Za-z])(?:_\s*(?:\{[^{}]*\}|[A-Za-z0-9]))?)\s*"
                         r"(?:\\right\s*)?\)\s*\^\s*(\{\s*\d\s*\}|\d)")


def grouped_differentials(s: str) -> str:
    """\frac{d^2 f}{{dx}^2} and \frac{d^2 f}{(dx)^2} -> \frac{d^2 f}{dx^{2}} (inside a fraction after d^k)."""
    if not re.search(r"\\frac\s*\{\s*d\s*\^", s):
        return s
    return _GROUPED_DX.sub(lambda m: "d " + (m.group(1) or m.group(3)) + "^{" + (m.group(2) or m.group(4)).strip("{} ")
                           + "}", s)


_PRIMED = re.compile(r"\\text\{([A-Za-z]+prime)\}")


def _primed_variables(s: str) -> str:
    """a' (a' + 1): a primed name the expression also uses bare (a' + b', \\theta^{a'-1}) is a variable (the
    posterior's a' = a + k), so a bracket after it multiplies; f'(x) alone stays a derivative."""
    bare = {m.group(1) for m in _PRIMED.finditer(s) if not re.match(r"\s*(?:\\left\s*)?\(", s[m.end():])}
    if not bare:
        return s
    return _PRIMED.sub(lambda m: m.group(0) + (" \\cdot" if m.group(1) in bare
                                                and re.match(r"\s*(?:\\left\s*)?\(", s[m.end():]) else ""), s)


_E_NOTATION = re.compile(r"(?<![\w.\\])(\d+(?:\.\d+)?)[eE]([+-]?\d+)(?![\w.])")


def _scientific(s: str) -> str:
    """2.5e-3, 1e-4 (a decimal or 1 before the e): 2.5 \\times 10^{-3}, as a programmer writes it; 2e-1 (an
    integer before the e) may be 2e - 1 with Euler's number as well, and is refused."""
    def number(m: re.Match) -> str:
        mantissa, power = m.group(1), m.group(2)
        if "." in mantissa or mantissa == "1":
            return f"({mantissa} \\times 10^{{{power}}})"
        raise ReadError(m.group(0), f"{m.group(0)} is {mantissa} \\times 10^{{{power}}} or {mantissa} e {power} "
                        "(with Euler's number)? write it out")
    return _E_NOTATION.sub(number, s)


def normalise(latex: str, notation: Notation) -> str:
    s = grouped_differentials(_SIGMA_SUM.sub(r"\\sum", sign_labels(_scientific(latex))))
    s = respell_letters(s, notation)  # \Delta w as one name, a bounded \pi as a name (notes.letters)
    if _ELLIPSIS.search(s):
        m = _ELLIPSIS.search(s)
        raise ReadError(s[max(0, m.start() - 20):m.end() + 20].strip(),
                        "an ellipsis (...) cannot be read as a definite expression")
    _no_vectors(s, notation.scalar_t)
    s = _evaluation_bars(s)
    s = s.replace("\\left.", "").replace("\\right.", "")
    _no_condition(s)
    _no_prose(s)
    s = _SPACING.sub(" ", s)
    no_ambiguous_slash(s)  # n/2 \log n: (n/2) log n or n/(2 log n)? (notes.slashes)
    s = re.sub(r"\\[dtc]frac(?![A-Za-z])", r"\\frac", s)
    s = re.sub(r"\\operatorname\*", r"\\operatorname", s)
    # arg min / arg max however they are spelled: \operatorname*{arg\,min}, \mathop{\mathrm{argmin}},
    # \mathrm{arg\,max}, \operatorname{argmin}, \text{arg min} -> \argmin / \argmax
    s = _ARG_SPELLED.sub(lambda m: "\\arg" + (m.group("a") or m.group("b")) + " ", s)
    # the differential d: \mathrm{d}x, \mathrm dx, \text{d}x, \operatorname{d}x -> dx
    s = re.sub(r"\\(?:text|textrm|operatorname|mathrm|rm)\s*\{\s*d\s*\}", "d", s)
    # {\rm d}x, \frac{{\rm d} f}{{\rm d} x}: d (a whole argument of \frac, \frac{\mathrm d}{...}, keeps its braces)
    s = re.sub(r"(\\[dtc]?frac\s*|\}\s*)?\{\s*\\(?:rm|mathrm)\s+d\s*\}",
               lambda m: m.group(1) + "{d}" if m.group(1) else "d", s)
    s = bracket_entries(s)  # (\mathbf{W})_{ij} is the entry W_{ij}, not a falling factorial (notes.bracket_entries)
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
    s = strip_fonts(s)
    s = _replace_accents(s, notation)
    s = re.sub(r"_\{\s*([A-Za-z])\s*'\s*\}|_([A-Za-z])'", lambda m: "_{" + (m.group(1) or m.group(2)) + "prime}", s)
    # a word of four or more letters is a name (softmax, loss), not a product of letters
    s = re.sub(r"(?<![\\A-Za-z{])([A-Za-z]{4,})(?![A-Za-z}])",
               lambda m: m.group(1) if m.group(1) in _WORD_FUNCS else "\\text{" + m.group(1) + "}", s)
    # primes: f', f'', \sigma^{\prime\prime}, \sigma ', f^{(2)}(x)  ->  \text{fprime}, \text{fprimeprime}
    s = re.sub(r"(?<![\\A-Za-z])(" + TOKEN + r")\s*(" + _PRIMES + r")",
               lambda m: _primed(m.group(1), _prime_count(m.group(2))), s)
    s = re.sub(r"(?<![\\A-Za-z])(" + TOKEN + r")\s*\^\s*\{\s*\(\s*(\d)\s*\)\s*\}(?=\s*(?:\\left\s*)?\()",
               lambda m: _primed(m.group(1), int(m.group(2))), s)
    s = _primed_variables(s)
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
    s = re.sub(r"(?<![\\A-Za-z])(?<!\\text\{)E(?![A-Za-z])(?!\s*(?:\\left\s*)?[(\[])", r"\\text{" + MARK + "E}", s)
    # T is a name (a horizon, a length): the grammar takes ^T for a transpose even as a sum's upper limit
    # (a transpose itself was refused above)
    s = re.sub(r"([\^_])\s*T(?![A-Za-z])", r"\1{\\text{" + MARK + "T}}", s)
    s = re.sub(r"(?<![\\A-Za-z])(?<!\\text\{)T(?![A-Za-z])", r"\\text{" + MARK + "T}", s)
    # the variable of a limit must be a letter for the grammar (\lim_{T \to \infty}); resolve maps the
    # marked T of the body back to the same T
    s = re.sub(r"(\\lim\s*_\s*\{\s*)\\text\{" + MARK + r"T\}", r"\1T", s)
    # \gamma is a name (a discount, a rate): the grammar reads it as Euler's constant or the Gamma function
    s = re.sub(r"\\gamma(?![A-Za-z])", r"\\text{" + MARK + "gamma}", s)
    # \Gamma is a name, not Euler's constant (\Gamma(x) stays the Gamma function); \gamma is mapped back
    # from Euler's constant in resolve
    s = re.sub(r"\\Gamma(?![A-Za-z])(?!\s*(?:\\left\s*)?\()", r"\\text{" + MARK + "Gamma}", s)
    # trailing punctuation
    s = re.sub(r"[.,;]\s*$", "", s.strip())
    return s



MAX_POWER_DIGITS = 10_000



_NUM_POW = re.compile(r"(\d+(?:\.\d+)?)\s*\^\s*(?:\{\s*(-?\d+(?:\.\d+)?)\s*\}|(\d))")



def huge_power(text: str) -> bool:
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
        except ZeroDivisionError:  # 0^{-1} (as in \int_0^{-1}): no huge number
            value = 2.0
        token = str(int(value)) if value >= 1 and value == int(value) and value < 1e300 else "2"
        s = s[:m.start()] + token + s[m.end():]
    return False

