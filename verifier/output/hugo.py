r"""Markdown that survives Hugo's goldmark (``verify export --format md --flavor hugo``).

Goldmark reads Markdown before KaTeX or MathJax see the math: it turns ``\\`` into ``\``,
``\{`` into ``{``, ``\,`` into ``,``, ``_..._`` into emphasis, and with its typographer
``--`` into a dash.  A site that does not route math through goldmark's passthrough
extension therefore needs every ASCII punctuation character inside math escaped with a
backslash: goldmark prints the character itself, and the browser's math renderer reads the
LaTeX as it was written.  (With passthrough configured, use the default flavor: the math
is passed on untouched and must not be escaped.)
"""
from __future__ import annotations

import re
import string

#: every ASCII punctuation character is escapable in CommonMark; '$' delimits the math
_ESCAPED = set(string.punctuation) - {"$"}


def escape_math(tex: str) -> str:
    """LaTeX for the inside of ``$$...$$`` / ``$...$`` in a goldmark page: punctuation
    escaped, lines unindented (four spaces would start a code block), no blank lines
    (a blank line would end the paragraph)."""
    lines = [line.strip() for line in tex.splitlines()]
    return "\n".join("".join("\\" + ch if ch in _ESCAPED else ch for ch in line) for line in lines if line)


def hugo_markdown(md: str) -> str:
    """A Markdown export rewritten for goldmark: every ``$$`` display block and every inline
    ``$...$`` escaped (front matter and prose are left as they are)."""
    def block(m: re.Match) -> str:
        return "$$\n" + escape_math(m.group(1)) + "\n$$"

    out = re.sub(r"^\$\$\n(.*?)\n\$\$$", block, md, flags=re.S | re.M)
    parts = re.split(r"(^\$\$\n.*?\n\$\$$)", out, flags=re.S | re.M)
    for k in range(0, len(parts), 2):  # prose between display blocks: inline math
        parts[k] = re.sub(r"(?<![\\$])\$([^$\n]+?)\$(?!\$)", lambda m: "$" + escape_math(m.group(1)) + "$", parts[k])
    return "".join(parts)
