"""Definitions made for the whole note (notes.structure.note_wide): those of a notation or set-up
section and formal ones ("**Definition 3.1.**", \\begin{definition}) hold to the end of the note; a
definition made in an ordinary section still ends with it (decided under both readings, notes.
scope_readings); TeX's run-in \\paragraph headings end no scope."""
from __future__ import annotations

from pathlib import Path

import pytest

from verifier.model.results import PROVED, REFUTED, UNKNOWN
from verifier.notes.check import check_text

NOTE = Path(__file__).resolve().parent.parent / "fixtures" / "patterns" / "note_wide_definitions.md"


def _steps(text: str, name: str = "note.md") -> dict[int, object]:
    return {s.line: s for s in check_text(text, name, budget=10.0).all_steps}


@pytest.fixture(scope="module")
def steps():
    return _steps(NOTE.read_text(encoding="utf-8"), NOTE.name)


def test_the_notation_section_holds_in_later_sections(steps):
    assert steps[20].status == PROVED, steps[20].message
    assert steps[26].status == REFUTED and "fails" in steps[26].message  # the halved cross term


def test_a_formal_definition_holds_in_later_sections(steps):
    assert steps[44].status == PROVED, steps[44].message
    assert steps[50].status == REFUTED, steps[50].message  # the complement upside down
    assert steps[79].status == PROVED, steps[79].message


def test_an_ordinary_section_still_ends_its_definitions(steps):
    assert steps[64].status == PROVED  # inside the aside
    s = steps[73]  # after it: g could be the aside's quadratic or a general function
    assert s.status == UNKNOWN and "ended at line" in s.message, s.message


def test_renaming_the_notation_section_ends_its_scope():
    text = NOTE.read_text(encoding="utf-8").replace("## Notation", "## Two sums")
    s = _steps(text)[26]  # the wrong step: the sums are no longer note-wide, both readings decide
    assert s.status != PROVED and s.status in (REFUTED, UNKNOWN)


TEX = r"""\section{Fitting}
For data with mean $m$ and variance $s^2$, and $\sigma > 0$, the objective is
\begin{equation}
J(\mu,\sigma^2) = \frac{1}{2}\log(2\pi\sigma^2) + \frac{s^2 + (m-\mu)^2}{2\sigma^2}
\end{equation}

\paragraph{The variance.} Treating $v = \sigma^2$ as the variable,
\begin{equation}
\frac{\partial J}{\partial\sigma^2} = \frac{1}{2\sigma^2} - \frac{s^2 + (m-\mu)^2}{2\sigma^4}
\end{equation}

\paragraph{The standard deviation.} Differentiating with respect to $\sigma$ instead,
\begin{equation}
\frac{\partial J}{\partial\sigma} = \frac{1}{\sigma} - \frac{s^2 + (m-\mu)^2}{%s\sigma^3}
\end{equation}

\section{Elsewhere}
\begin{definition}
The margin of a point is
\begin{equation}
h(t) = 1 - t
\end{equation}
\end{definition}

\section{Later}
\begin{equation}
h(t) + t = %s
\end{equation}
"""


@pytest.mark.parametrize("two,one,expect", [("", "1", PROVED), ("2", "1", REFUTED), ("", "0", REFUTED)])
def test_paragraph_headings_and_definition_environments(two, one, expect):
    steps = _steps(TEX % (two, one), "note.tex")
    assert steps[9].status == PROVED, steps[9].message  # d/d(sigma^2) under a \paragraph
    assert steps[14].status == (REFUTED if two else PROVED), steps[14].message
    assert steps[27].status == (PROVED if one == "1" else REFUTED), steps[27].message
    assert expect in (steps[14].status, steps[27].status)


SQUARE = r"""
For $\sigma > 0$ we write the Gaussian density as
$$
\mathcal{N}(x;\mu,\sigma^2) = \frac{1}{\sqrt{2\pi\sigma^2}}\exp\Big(-\frac{(x-\mu)^2}{2\sigma^2}\Big)
$$
and with $\sigma_1 > 0$, at another variance, the peak is
$$
\sigma_1 \, \mathcal{N}(\mu;\mu,\sigma_1^2) = \frac{%s}{\sqrt{2\pi}}
$$
"""


@pytest.mark.parametrize("k,expect", [("1", PROVED), ("2", REFUTED)])
def test_a_parameter_written_as_a_square_is_the_variance(k, expect):
    s = _steps(SQUARE % k)[8]
    assert s.status == expect, s.message
