"""Titles, chain names and justifications (text with inline math in ``$...$``) as a terminal
shows them: ``$\\hat y$`` -> ``ŷ``, ``$\\sum_i p_i = 1$`` -> ``Σ_i p_i = 1``,
``$X^\\top \\mathbf w$`` -> ``Xᵀ w``, ``$\\frac{1}{n}$`` -> ``1/n``.

The HTML report and the exports render the same text with KaTeX / LaTeX; the terminal has
only characters, so the math is rewritten with a few registries: symbols, function names
(set apart by spaces), accents (combining characters), fonts (dropped: bold, calligraphic
and upright letters are plain letters), superscripts (digits as Unicode superscripts, the
transpose as ``ᵀ``).  Text without paired dollars is returned as it is.

No SymPy here (a warm `verify all` prints from the verdict store without importing it).
"""
from __future__ import annotations

import re
import unicodedata

_GREEK = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda",
          "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega"]
#: macros that are one symbol
SYMBOLS: dict[str, str] = {
    **dict(zip(_GREEK, "αβγδεζηθικλμνξπρστυφχψω")),
    **dict(zip(["Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"],
               "ΓΔΘΛΞΠΣΥΦΨΩ")),
    "varphi": "φ", "vartheta": "θ", "varepsilon": "ε", "varrho": "ρ", "varsigma": "ς", "ell": "ℓ",
    "sum": "Σ", "prod": "Π", "int": "∫", "partial": "∂", "nabla": "∇", "infty": "∞",
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈", "sim": "~",
    "equiv": "≡", "propto": "∝", "to": "→", "rightarrow": "→", "mapsto": "↦", "Rightarrow": "⇒",
    "implies": "⇒", "iff": "⇔", "Leftrightarrow": "⇔", "in": "∈", "notin": "∉", "subset": "⊂",
    "subseteq": "⊆", "cup": "∪", "cap": "∩", "forall": "∀", "exists": "∃", "emptyset": "∅",
    "cdot": "·", "times": "×", "odot": "⊙", "otimes": "⊗", "circ": "∘", "pm": "±", "mp": "∓",
    "mid": "|", "vert": "|", "|": "‖", "Vert": "‖", "parallel": "‖", "lVert": "‖", "rVert": "‖",
    "langle": "⟨", "rangle": "⟩", "ldots": "…", "dots": "…", "cdots": "⋯", "top": "ᵀ", "intercal": "ᵀ",
    "prime": "′", "checkmark": "✓", "star": "⋆", "triangleq": "≜", "coloneqq": "≔",
    "{": "{", "}": "}", "$": "$", "%": "%", "&": "&", "#": "#", "_": "_",
    ",": " ", ";": " ", ":": " ", " ": " ", "quad": "  ", "qquad": "  ", "!": "",
    "left": "", "right": "", "big": "", "Big": "", "bigg": "", "Bigg": "", "bigl": "", "bigr": "",
    "Bigl": "", "Bigr": "", "displaystyle": "", "limits": "", "nolimits": "",
}
#: macros that are a word (a function or operator name): kept apart from their neighbours
WORDS = {"log", "ln", "exp", "sin", "cos", "tan", "sinh", "cosh", "tanh", "max", "min", "arg", "argmax",
         "argmin", "sup", "inf", "lim", "det", "tr", "Pr", "deg", "dim", "ker", "gcd", "softmax", "Var", "Cov"}
#: accents as combining characters
ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0304", "tilde": "\u0303",
           "widetilde": "\u0303", "dot": "\u0307", "ddot": "\u0308", "vec": "\u20d7"}
#: fonts whose letters are shown plain
FONTS = {"mathbf", "boldsymbol", "bm", "mathrm", "mathit", "mathsf", "mathtt", "mathcal", "mathscr",
         "mathfrak", "text", "textrm", "textbf", "textit", "operatorname", "operatorname*", "mbox"}
BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ"}
_SUPERSCRIPT = dict(zip("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾"))

_GROUP = r"\{([^{}]*)\}"
# an argument: a braced group without nested braces, a macro, or one character
_ARG = r"(?:\{([^{}]*)\}|\s*(\\[A-Za-z]+)|\s*([^\s\\{}]))"
_OPEN, _CLOSE = "\x01", "\x02"  # \{ and \} while the braces of groups are removed
_SEP = "\x03"  # ends a macro name before a rewritten group (\log\hat{y}: not a macro \logy)
_MARKS = "\u0302\u0304\u0303\u0307\u0308\u20d7′'⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵀ"
# one operand of '/' that needs no brackets: a name, number or macro, with accents, indices, powers
_ATOM = re.compile(r"(?:\\[A-Za-z]+\s*)?(?:[\w.]|[" + _MARKS + r"])*(?:[\^_](?:\w|\([^()]*\))|[" + _MARKS + r"])*")


def terminal_text(text: str) -> str:
    """Text with ``$...$`` math as a terminal shows it (the dollars dropped)."""
    parts = re.split(r"(?<!\\)\$", text)
    if len(parts) % 2 == 0:  # the dollars do not pair up: a lone '$' is a character
        return text
    return "".join(terminal_math(p) if k % 2 else p for k, p in enumerate(parts))


def _arg(m: re.Match, first: int) -> str:
    return next(g for g in m.groups()[first:first + 3] if g is not None)


def _paren(x: str) -> str:
    """x as the operand of '/': bracketed unless it is one name, number or macro (with its
    accents, index and power)."""
    x = x.strip().replace(_SEP, "")
    return x if x and _ATOM.fullmatch(x) else f"({x})"


def _sup(x: str) -> str:
    x = x.strip().replace(_SEP, "")
    if x in ("ᵀ", "T", "\\top"):
        return "ᵀ"
    if x and all(ch in _SUPERSCRIPT for ch in x):
        return "".join(_SUPERSCRIPT[ch] for ch in x)
    if x and all(ch in "′'" for ch in x):
        return x
    return "^" + (x if len(x) == 1 else f"({x})")


def _sub(x: str) -> str:
    x = x.strip().replace(_SEP, "")
    return "_" + (x if re.fullmatch(r"[\w\u0302′']+", x) else f"({x})")


def _word_like(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _macro(m: re.Match) -> str:
    name = m.group(1)
    if name in WORDS or name in _BIG:
        s, a, b = m.string, m.start(), m.end()
        while b < len(s) and s[b] == _SEP:
            b += 1
        word = SYMBOLS.get(name, name)
        before = " " if a > 0 and (_word_like(s[a - 1]) or s[a - 1] in ")]}" + _MARKS) else ""
        nxt = re.match(r"\\([A-Za-z]+)", s[b:])
        after = " " if name in WORDS and b < len(s) and (
            _word_like(s[b]) or (nxt is not None and SYMBOLS.get(nxt.group(1), "x").isalpha())) else ""
        return before + word + after
    return SYMBOLS.get(name, name)


_BIG = {"sum", "prod", "int"}


def _accent(m: re.Match) -> str:
    body = _arg(m, 1)
    body = SYMBOLS.get(body.lstrip("\\"), body.lstrip("\\")) if body.startswith("\\") else body
    return _SEP + body + ACCENTS[m.group(1)]


def _font(m: re.Match) -> str:
    body = _arg(m, 1)
    if body.startswith("\\"):
        return body  # \boldsymbol\mu: the macro is rendered below
    if m.group(1) == "mathbb":
        return _SEP + BLACKBOARD.get(body, body)
    return _SEP + body


def terminal_math(tex: str) -> str:
    """Inline LaTeX as plain characters."""
    p = tex.replace(r"\{", _OPEN).replace(r"\}", _CLOSE)
    p = re.sub(r"\\operatorname\*?\{arg\\,?(min|max)\}", r"arg \1", p)
    accents = "|".join(sorted(ACCENTS, key=len, reverse=True))
    fonts = "|".join(re.escape(f) for f in sorted(FONTS | {"mathbb"}, key=len, reverse=True))
    for _ in range(8):  # innermost groups first
        q = re.sub(r"\\[dt]?frac" + _ARG + _ARG, lambda m: _SEP + _paren(_arg(m, 0)) + "/" + _paren(_arg(m, 3)), p)
        q = re.sub(r"\\(" + accents + r")(?![A-Za-z])" + _ARG, _accent, q)
        q = re.sub(r"\\sqrt" + _GROUP, lambda m: _SEP + "√" + _paren(m.group(1)), q)
        q = re.sub(r"\\(" + fonts + r")(?![A-Za-z])" + _ARG, _font, q)
        q = re.sub(r"\^\s*(\\top|\\intercal)\b", "ᵀ", q)
        q = re.sub(r"\^" + _GROUP, lambda m: _sup(m.group(1)), q)
        q = re.sub(r"_" + _GROUP, lambda m: _sub(m.group(1)), q)
        if q == p:
            break
        p = q
    p = re.sub(r"\^([0-9])", lambda m: _SUPERSCRIPT[m.group(1)], p)
    p = re.sub(r"\\([A-Za-z]+\*?|[,;:!| {}$%&#_])", _macro, p)
    p = p.replace("{", "").replace("}", "").replace(_SEP, "").replace(_OPEN, "{").replace(_CLOSE, "}")
    p = re.sub(r"∂ (?=\w)", "∂", p)
    p = re.sub(r" {2,}", " ", p)
    p = re.sub(r"\( ", "(", re.sub(r" \)", ")", p)).strip()
    return unicodedata.normalize("NFC", p)  # y + combining circumflex -> ŷ where one character exists
