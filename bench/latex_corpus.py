"""Correct chains written as in ML notes, for mutation testing of ``verify check``.

Each entry is a note: an optional preamble (definitions in display math, prose stating
domains), command-line assumptions, and one chain: a first expression followed by
``(relation, expression)`` rows.  :func:`render` writes the note as Markdown with the
chain in an ``aligned`` block, one row per line, and returns the line of every row.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LatexChain:
    name: str
    first: str
    rows: tuple[tuple[str, str], ...]  # (relation LaTeX, expression LaTeX)
    preamble: str = ""
    assume: tuple[str, ...] = ()
    over: tuple[str, ...] = field(default=())  # names the objective is optimised over (argmin rows)


REL_LATEX = {"=": "=", "<=": r"\le", ">=": r"\ge", "<": "<", ">": ">"}


def render(c: LatexChain, rows: tuple[tuple[str, str], ...] | None = None) -> tuple[str, list[int]]:
    """The note as Markdown and the 1-based line of each row (row k is step k-1)."""
    rows = c.rows if rows is None else rows
    lines = [f"# {c.name}", ""]
    if c.preamble:
        lines += c.preamble.strip("\n").split("\n") + [""]
    lines += ["$$", r"\begin{aligned}"]
    lines.append(f"{c.first}")
    row_lines = []
    for k, (rel, expr) in enumerate(rows):
        end = r" \\" if k < len(rows) - 1 else ""
        lines.append(f"&{REL_LATEX.get(rel, rel)} {expr}{end}")
        row_lines.append(len(lines))
    lines += [r"\end{aligned}", "$$", ""]
    return "\n".join(lines), row_lines


CORPUS: tuple[LatexChain, ...] = (
    LatexChain(
        "gaussian log-likelihood",
        r"\log \prod_{i=1}^{n} \frac{1}{\sqrt{2\pi\sigma^2}} \exp\left(-\frac{(y_i - f_i)^2}{2\sigma^2}\right)",
        (("=", r"\sum_{i=1}^{n} \log\left(\frac{1}{\sqrt{2\pi\sigma^2}} \exp\left(-\frac{(y_i - f_i)^2}{2\sigma^2}\right)\right)"),
         ("=", r"\sum_{i=1}^{n} \left(-\frac{1}{2}\log(2\pi\sigma^2) - \frac{(y_i - f_i)^2}{2\sigma^2}\right)"),
         ("=", r"-\frac{n}{2}\log(2\pi\sigma^2) - \frac{1}{2\sigma^2}\sum_{i=1}^{n}(y_i - f_i)^2")),
        assume=(r"\sigma>0",)),
    LatexChain(
        "binary cross-entropy",
        r"-\log\left(\hat{y}^{y}(1-\hat{y})^{1-y}\right)",
        (("=", r"-\left(y\log\hat{y} + (1-y)\log(1-\hat{y})\right)"),
         ("=", r"-y\log\hat{y} - \log(1-\hat{y}) + y\log(1-\hat{y})")),
        assume=(r"0<\hat{y}<1", r"y \in \{0,1\}")),
    LatexChain(
        "square of a sum",
        r"(a+b)^2 - 4ab",
        (("=", r"a^2 + 2ab + b^2 - 4ab"),
         ("=", r"(a-b)^2"),
         (">=", r"0"))),
    LatexChain(
        "arithmetic and geometric mean",
        r"\frac{a+b}{2}",
        (("=", r"\sqrt{a}\sqrt{b} + \frac{(\sqrt{a}-\sqrt{b})^2}{2}"),
         (">=", r"\sqrt{a}\sqrt{b}"),
         ("=", r"\sqrt{ab}")),
        assume=("a>0", "b>0")),
    LatexChain(
        "logarithm rules",
        r"\log\frac{a^3 b}{c^2}",
        (("=", r"\log(a^3 b) - \log(c^2)"),
         ("=", r"3\log a + \log b - 2\log c")),
        assume=("a>0", "b>0", "c>0")),
    LatexChain(
        "two-class softmax",
        r"\log \frac{e^{z_1}}{e^{z_1} + e^{z_2}}",
        (("=", r"z_1 - \log\left(e^{z_1} + e^{z_2}\right)"),
         ("=", r"-\log\left(1 + e^{z_2 - z_1}\right)"),
         ("<", r"0"))),
    LatexChain(
        "exponent rules",
        r"\frac{e^{2x} e^{y}}{e^{x}}",
        (("=", r"e^{2x + y - x}"),
         ("=", r"e^{x+y}"),
         (">", r"0"))),
    LatexChain(
        "entropy of the uniform distribution",
        r"-\sum_{i=1}^{n} \frac{1}{n}\log\frac{1}{n}",
        (("=", r"-n \cdot \frac{1}{n}\log\frac{1}{n}"),
         ("=", r"\log n"),),
        assume=("n>0",)),
    LatexChain(
        "gaussian maximum likelihood is least squares",
        r"\arg\max_{f} \sum_{i=1}^{n} \left(-\log\sigma - \frac{(y_i - f_i)^2}{2\sigma^2}\right)",
        (("=", r"\arg\max_{f} \left(-\frac{1}{2\sigma^2}\sum_{i=1}^{n}(y_i - f_i)^2\right)"),
         ("=", r"\arg\min_{f} \sum_{i=1}^{n}(y_i - f_i)^2")),
        assume=(r"\sigma>0",), over=("f",)),
    LatexChain(
        "quadratic minimiser",
        r"\arg\min_{w} \left(a w^2 - 2 b w + c\right)",
        (("=", r"\arg\min_{w} \left(w^2 - \frac{2b}{a} w\right)"),
         ("=", r"\arg\min_{w} \left(w - \frac{b}{a}\right)^2")),
        assume=("a>0",), over=("w",)),
    LatexChain(
        "kl divergence",
        r"\sum_{i=1}^{n} p_i \log\frac{p_i}{q_i}",
        (("=", r"\sum_{i=1}^{n} p_i \left(\log p_i - \log q_i\right)"),
         ("=", r"-\sum_{i=1}^{n} p_i\log q_i + \sum_{i=1}^{n} p_i \log p_i")),
        assume=("p_i>0", "q_i>0")),
    LatexChain(
        "sigmoid complement",
        r"1 - \frac{1}{1+e^{-z}}",
        (("=", r"\frac{e^{-z}}{1+e^{-z}}"),
         ("=", r"\frac{1}{1+e^{z}}"),
         ("<", r"1"))),
    LatexChain(
        "mean squared error expansion",
        r"\frac{1}{n}\sum_{i=1}^{n}(y_i - w x_i)^2",
        (("=", r"\frac{1}{n}\sum_{i=1}^{n}\left(y_i^2 - 2 w x_i y_i + w^2 x_i^2\right)"),
         ("=", r"\frac{1}{n}\sum_{i=1}^{n} y_i^2 - \frac{2w}{n}\sum_{i=1}^{n} x_i y_i + \frac{w^2}{n}\sum_{i=1}^{n} x_i^2"))),
)
