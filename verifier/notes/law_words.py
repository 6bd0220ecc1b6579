"""Laws stated in words: "$S$ 服从二项分布 $B(n,p)$", "$X$ follows $\\mathrm{Poisson}(\\lambda)$", "$X$ is
Bernoulli with parameter $p$", "$X$ is the roll of a fair die", "$X$ is uniform on $\\{1, \\dots, 6\\}$".

Each rule of ``RULES`` reads one way of saying it, in one sentence, with the random variable's name
written alone in inline math right before the words; a sentence with a negation states nothing.
The result has the form of ``notes.probability_reader.stated_laws``: name -> (family written, the
parameters as LaTeX), the family written as the registry of laws there spells it.
"""
from __future__ import annotations

import re

_SENTENCE = re.compile(r"[^.。;；!！?？\n]+(?:\.\d[^.。;；!！?？\n]*)*")
_NEGATION = re.compile(r"\bnot\b|n't|\bnever\b|不|非", re.I)
_NAME = r"\$\s*([A-Z])\s*\$\s*"
_LAW_CALL = r"\$\s*((?:\\mathcal\{N\}|\\(?:mathrm|operatorname|text|mathsf)\{\w+\}|[A-Z][A-Za-z]*)\s*(?:\\left)?\s*\(.*?\))\s*\$"
_VERB = r"(?:都|也)?\s*(?:服从|(?:is|are)\s+(?:distributed\s+)?(?:as|according\s+to)|follows?|(?:is|are)\s+drawn\s+from" \
        r"|(?:is|are)|has\s+(?:the\s+)?(?:law|distribution))"
_PARAM = r"\$\s*([^$]+?)\s*\$"

#: (reason, pattern, how the match becomes (family written, [params]))
RULES = (
    ("a law written after words: $S$ 服从二项分布 $B(n,p)$, $X$ follows $\\mathrm{Poisson}(\\lambda)$",
     re.compile(_NAME + _VERB + r"[^$]{0,24}?" + _LAW_CALL), "call"),
    ("Bernoulli in words: $X$ is Bernoulli with parameter $p$",
     re.compile(_NAME + r"(?:is|are)\s+(?:an?\s+)?Bernoulli(?:\s+random\s+variables?|\s+variables?|\s+trials?)?\s+"
                r"with\s+(?:parameter|success\s+probability|mean|probability)\s+" + _PARAM, re.I), "bernoulli"),
    ("Poisson in words: $N$ is Poisson with rate $\\lambda$",
     re.compile(_NAME + r"(?:is|are)\s+(?:an?\s+)?Poisson(?:\s+random\s+variables?)?\s+with\s+(?:parameter|rate|mean)\s+"
                + _PARAM, re.I), "poisson"),
    ("exponential in words: $T$ is exponential with rate $\\lambda$",
     re.compile(_NAME + r"(?:is|are)\s+(?:an?\s+)?exponential(?:ly\s+distributed)?(?:\s+random\s+variables?)?\s+with\s+"
                r"rate\s+" + _PARAM, re.I), "exponential"),
    ("a fair die: $X$ is the roll of a fair die",
     re.compile(_NAME + r"(?:is|be|denotes?)\s+(?:the\s+)?(?:result|outcome|number|value|face|roll|score)[^$.]{0,30}?"
                r"\b(?:a|one)\s+fair\s+(?:six-sided\s+)?die\b", re.I), "die"),
    ("uniform on a finite range: $X$ is uniform on $\\{1, \\dots, 6\\}$",
     re.compile(_NAME + r"(?:is|are)\s+(?:\w+\s+)?uniform(?:ly\s+distributed)?\s+(?:on|over)\s+"
                r"\$\s*\\\{\s*(-?\d+)\s*,\s*(?:\\[lc]?dots\s*,|\d+\s*,\s*)*\s*(-?\d+)\s*\\\}\s*\$", re.I), "range"),
)


def _call(m: re.Match) -> tuple[str, list[str]] | None:
    call = m.group(2)
    head = re.match(r"\\mathcal\{(N)\}|\\(?:mathrm|operatorname|text|mathsf)\{(\w+)\}|([A-Z][A-Za-z]*)", call)
    if head is None:
        return None
    written = head.group(1) or head.group(2) or head.group(3)
    inner = call[call.index("(") + 1:call.rindex(")")].replace("\\right", "")
    return written, _split_top(inner)


def _split_top(text: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for c in text:
        depth += c in "({[" and 1 or 0
        depth -= c in ")}]" and 1 or 0
        if c == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += c
    out.append(cur.strip())
    return out


def _read(kind: str, m: re.Match) -> tuple[str, list[str]] | None:
    if kind == "call":
        return _call(m)
    if kind == "bernoulli":
        return "Bernoulli", [m.group(2)]
    if kind == "poisson":
        return "Poisson", [m.group(2)]
    if kind == "exponential":
        return "Exp", [m.group(2)]
    if kind == "die":
        return "DiscreteUniform", ["1", "6"]
    if kind == "range" and int(m.group(2)) < int(m.group(3)):
        return "DiscreteUniform", [m.group(2), m.group(3)]
    return None


def laws_in_words(text: str) -> dict[str, list[tuple[str, list[str]]]]:
    """name -> every law a sentence states of it in words (family as written, parameters as LaTeX)."""
    out: dict[str, list[tuple[str, list[str]]]] = {}
    for s in _SENTENCE.finditer(text):
        sent = s.group(0)
        if _NEGATION.search(sent):
            continue
        for _why, pattern, kind in RULES:
            for m in pattern.finditer(sent):
                law = _read(kind, m)
                if law is not None:
                    out.setdefault(m.group(1), []).append(law)
    return out
