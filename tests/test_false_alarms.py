"""The two-direction harness, fast: rewrites of right steps are never refuted, near misses are never
accepted, and the harness itself notices a checker that refutes or accepts everything.

The full harness is ``python bench/false_alarms.py`` (its last line:
``rewrites=N false_alarms=F near_misses=M false_accepts=A``)."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from bench import false_alarms as fa
from bench.latex_corpus import CORPUS
from bench.rewrites import NEAR_MISSES, REWRITES


def _chain(name: str):
    return next(c for c in CORPUS if c.name == name)


def test_rewrites_keep_the_text_they_should_and_change_what_they_say():
    s = r"\frac{1}{n}\sum_{i=1}^{n}\left(y_i - 2 w x_i\right)"
    assert REWRITES["dfrac"](s)[0][1].startswith(r"\dfrac{1}{n}")
    assert REWRITES["bare-parens"](s)[0][1].endswith(r"(y_i - 2 w x_i)")
    assert REWRITES["rename-index"](s)[0][1] == r"\frac{1}{n}\sum_{r=1}^{n}\left(y_r - 2 w x_r\right)"
    assert REWRITES["shift-index"](s)[0][1] == r"\frac{1}{n}\sum_{i=0}^{n-1} \left(y_{i+1} - 2 w x_{i+1}\right)"
    assert REWRITES["slash"](s)[0][1].startswith(r"\left(\left(1\right)/\left(n\right)\right)")
    assert REWRITES["commute-terms"]("a^2 - 4ab + b")[0][1] == "- 4ab + b + a^2"
    assert REWRITES["exp"](r"1 + e^{-z}")[0][1] == r"1 + \exp\left(-z\right)"
    assert NEAR_MISSES["perturbed-constant"]("a + 2b")[-1][1] == r"a + \left(2 + 10^{-40}\right)b"
    assert NEAR_MISSES["decimal-for-fraction"](r"\frac{1}{3} x")[0][1] == "0.3333 x"
    assert NEAR_MISSES["term-into-sum"](r"\sum_{i=1}^{n} \left(a_i\right) + b")[0][1] == \
        r"\sum_{i=1}^{n} \left(a_i + b\right)"


@pytest.mark.parametrize("name", ["square of a sum", "logarithm rules", "sigmoid complement",
                                  "mean squared error expansion"])
def test_rewritten_right_steps_are_never_refuted(name):
    cases = [c for c in fa.chain_cases([_chain(name)], "corpus") if "near" not in c.kind]
    cases = [c for c in cases if all(w == fa.RIGHT for w in c.expect.values())][:4]
    assert cases
    for c in cases:
        fa.run_case(c)
        assert not c.error, c.error
        assert c.failures() == [], (c.kind, c.text)


def test_near_misses_are_never_accepted():
    cases = [c for c in fa.chain_cases([_chain("square of a sum"), _chain("logarithm rules")], "corpus")
             if all(w == fa.WRONG for w in c.expect.values())]
    assert len(cases) >= 4
    for c in cases[:4]:
        fa.run_case(c)
        assert c.failures() == [], (c.kind, c.text)


@dataclass
class _Step:
    line: int
    status: str


class _Report:
    def __init__(self, steps):
        self.steps = steps


def _lines(text: str) -> list[int]:
    return [k for k, ln in enumerate(text.splitlines(), 1) if ln.startswith("&")]


def test_the_harness_sees_a_checker_that_refutes_right_steps():
    def refute_all(text, path, assumptions=(), budget=0):
        return _Report([_Step(k, "refuted") for k in _lines(text)])

    cases = [fa.run_case(c, refute_all) for c in fa.chain_cases([_chain("square of a sum")], "corpus")]
    s = fa.summary(cases)
    assert s["false_alarms"] > 0 and s["false_accepts"] == 0
    assert fa.summary_line(s).startswith("rewrites=")


def test_the_harness_sees_a_checker_that_accepts_near_misses():
    def prove_all(text, path, assumptions=(), budget=0):
        return _Report([_Step(k, "proved") for k in _lines(text)])

    cases = [fa.run_case(c, prove_all) for c in fa.chain_cases([_chain("logarithm rules")], "corpus")]
    s = fa.summary(cases)
    assert s["false_accepts"] > 0 and s["false_alarms"] == 0


def test_a_crashing_checker_is_reported_not_counted_as_success():
    def crash(text, path, assumptions=(), budget=0):
        raise RuntimeError("boom")

    c = fa.run_case(fa.chain_cases([_chain("logarithm rules")], "corpus")[0], crash)
    assert c.error == "RuntimeError: boom"
    assert fa.summary([c])["errors"] == 1


def test_a_line_with_a_planted_wrong_step_judges_each_step_alone():
    # c02 line 89: 0.144/(0.144 + 0.125) = 0.144/0.269 (right) = 0.535 (wrong: a rounded decimal)
    case = fa.Case("notes", "n", "original", "", (), {89: fa.RIGHT}, labels={89: [fa.RIGHT, fa.WRONG]})
    case.statuses = {89: ["proved", "refuted"]}
    assert case.failures() == []  # the wrong step refuted is no false alarm
    case.statuses = {89: ["refuted", "refuted"]}
    assert case.failures() == [(89, fa.RIGHT, "refuted")]  # the right one refuted is
    case.statuses = {89: ["refuted"]}  # steps that do not pair up with the labels: the line is not judged
    assert case.failures() == []
    plain = fa.Case("notes", "n", "original", "", (), {7: fa.RIGHT}, labels={7: [fa.RIGHT, fa.RIGHT]})
    plain.statuses = {7: ["refuted"]}
    assert plain.failures() == [(7, fa.RIGHT, "refuted")]  # an all-right line: any refutation is an alarm


def test_labelled_cases_carry_their_labels_per_line():
    cases = fa.labelled_cases()
    c02 = next(c for c in cases if c.where == "claims/c02_chapter_em.md" and c.kind == "original")
    assert c02.labels[89] == [fa.RIGHT, fa.WRONG]


def test_a_labelled_tex_note_is_read_as_tex():
    seen = []

    def spy(text, path, assumptions=(), budget=0):
        seen.append(path)
        return _Report([])

    case = next(c for c in fa.labelled_cases() if c.where.endswith(".tex"))
    fa.run_case(case, spy)
    assert seen == [case.where] and seen[0].endswith(".tex")  # not "....tex.md" (read as Markdown)
