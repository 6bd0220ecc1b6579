"""Definitions notes make of information quantities: an overloaded letter ("we overload the letter H"), a
probability defined "by definition of conditional probability", the square of a starred name, a definition
through the name at other arguments; and the hint to write \\approx only where the note writes a decimal."""
from __future__ import annotations

import pytest

from verifier.engine.constants import APPROX_HINT
from verifier.notes.check import check_text
from verifier.notes.decisions import decimal_hint

ENTROPY = ("# Entropy\n\n$P$ and $Q$ are probability distributions on the same finite set $\\mathcal{X}$.\n\n"
           "## 1\n\nThe entropy of a discrete random variable with pmf $p$ is\n\n"
           "$$\nH(X) = -\\sum_{x} p(x)\\log p(x)\n$$\n\n"
           "For $Y \\sim \\mathrm{Bernoulli}(p)$ with $0 < p < 1$ we overload the letter $H$:\n\n"
           "$$\nH(p) = -p\\log p - (1-p)\\log(1-p)\n$$\n\nThen\n\n")


def steps(text: str):
    rep = check_text(text, "note.md", budget=10.0).to_json()
    return [(s["line"], s["kind"], s["status"], s["message"]) for b in rep["blocks"] for s in b["steps"]]


def at(text: str, line: int):
    return [(k, st) for ln, k, st, _ in steps(text) if ln == line]


def last(text: str, display: str):
    return at(text + f"$$\n{display}\n$$\n", text.count("\n") + 2)


def test_an_overloaded_letter_is_a_definition():
    assert at(ENTROPY, ENTROPY.splitlines().index("H(p) = -p\\log p - (1-p)\\log(1-p)") + 1) == [("definition", "noted")]


@pytest.mark.parametrize("display", [
    r"H\big(\tfrac12\big) = \log 2",
    r"H\big(\tfrac12\big) = \ln 2",
    r"\frac{dH}{dp} = \log\frac{1-p}{p}",
    r"H(1/2) = -\tfrac12\log\tfrac12 - \tfrac12\log\tfrac12",
])
def test_the_overloaded_definition_proves_right_steps(display):
    out = last(ENTROPY, display)
    assert out and all(st == "proved" for _, st in out), out


@pytest.mark.parametrize("display", [r"H\big(\tfrac12\big) = 1", r"\frac{dH}{dp} = \log\frac{p}{1-p}"])
def test_the_overloaded_definition_refutes_wrong_steps(display):
    assert last(ENTROPY, display) == [("claim", "refuted")]


@pytest.mark.parametrize("display", [
    r"H(U) = -\sum_{k=1}^{K}\frac{1}{K}\log\frac{1}{K}",   # the entropy of a law: not the binary entropy of a number
    r"H(U) = \log K",
    r"H(U) = 2",
])
def test_a_law_after_the_overload_is_never_read_as_the_number_function(display):
    out = steps(ENTROPY + f"For $U$ uniform on $K$ outcomes,\n\n$$\n{display}\n$$\n")
    n = ENTROPY.count("\n") + 4
    got = [(k, st, m) for ln, k, st, m in out if ln == n]
    assert got and got[0][1] == "unknown" and "of a law" in got[0][2], got


def test_without_the_overload_words_a_second_h_stays_a_claim():
    plain = ENTROPY.replace("we overload the letter $H$", "the entropy is")
    line = plain.splitlines().index("H(p) = -p\\log p - (1-p)\\log(1-p)") + 1
    assert [k for k, _ in at(plain, line)] == ["claim"]


POSTERIOR = ("# ELBO\n\nWe have a prior $p(z)$ and a likelihood $p(x \\mid z)$.\n\n"
             "The posterior is, by definition of conditional probability,\n\n"
             "$$\np(z \\mid x) = \\frac{p(x, z)}{p(x)}\n$$\n")


def test_a_probability_defined_by_definition_is_a_definition():
    assert at(POSTERIOR, 8) == [("definition", "noted")]
    model = POSTERIOR.replace("is, by definition of conditional probability,", "is")
    assert [st for _, st in at(model, 8)] == ["noted"]  # a model without the words (as before)


SOLUTION = ("# MLE\n\nThe stationarity condition reads\n\n$$\n\\frac{1}{2\\sigma^2} - \\frac{s^2}{2\\sigma^4} = 0\n$$\n\n"
            "whose unique positive solution is\n\n$$\n(\\sigma^*)^2 = s^2\n$$\n")


def test_the_square_of_a_starred_name_names_a_value():
    assert at(SOLUTION, 12) == [("definition", "noted")]
    not_a_name = SOLUTION.replace("(\\sigma^*)^2 = s^2", "(a + b)^2 = a^2 + 2ab + b^2")
    assert [k for k, _ in at(not_a_name, 12)] == ["claim"]  # a square of a sum is no name: a claim, decided
    assert [st for _, st in at(not_a_name, 12)] == ["proved"]
    wrong = SOLUTION.replace("(\\sigma^*)^2 = s^2", "(a + b)^2 = a^2 + b^2").replace(
        "whose unique positive solution is", "Expanding a square,")
    assert at(wrong, 12) == [("claim", "refuted")]


CONDITIONAL = ("# Conditional entropy\n\n本文中对数一律以 2 为底。\n\n## 1\n\n"
               "| | $Y=0$ | $Y=1$ |\n| --- | --- | --- |\n| $X=0$ | $3/8$ | $1/8$ |\n| $X=1$ | $1/8$ | $3/8$ |\n\n"
               "$$\nH(X\\mid Y=0) = 2-\\frac{3}{4}\\log_2 3\n$$\n\n条件熵定义为\n\n"
               "$$\n\\begin{aligned}\nH(X\\mid Y)&=\\sum_{y}P(y)\\,H(X\\mid Y=y)\\\\\n&=2-\\frac{3}{4}\\log_2 3\n"
               "\\end{aligned}\n$$\n\n")


def test_a_definition_through_itself_is_bound_to_the_value_further_on():
    out = steps(CONDITIONAL)
    head = CONDITIONAL.splitlines().index("H(X\\mid Y)&=\\sum_{y}P(y)\\,H(X\\mid Y=y)\\\\") + 1
    assert [(k, st) for ln, k, st, _ in out if ln == head] == [("definition", "noted")]
    assert last(CONDITIONAL, r"H(X\mid Y) = 2-\frac{3}{4}\log_2 3") == [("claim", "proved")]
    assert last(CONDITIONAL, r"H(X\mid Y) = 1") == [("claim", "refuted")]


def test_the_approx_hint_only_where_a_decimal_is_written():
    msg = "the two sides are different numbers" + APPROX_HINT
    assert decimal_hint(msg, r"\tfrac32", r"\log_2 3") == "the two sides are different numbers"
    assert decimal_hint(msg, r"\frac{4}{3}", "1.333") == msg
    assert decimal_hint(msg, "x", ".5") == msg
    assert decimal_hint("proved", "1.5", "3/2") == "proved"
    fractions = steps("# T\n\n$$\n\\frac{3}{8} + \\frac{1}{8} = \\frac{1}{4}\n$$\n")
    assert fractions[0][2] == "refuted" and "approx" not in fractions[0][3], fractions
    decimals = steps("# T\n\n$$\n\\frac{4}{3} = 1.333\n$$\n")
    assert decimals[0][2] == "refuted" and "\\approx" in decimals[0][3], decimals


@pytest.mark.parametrize("written", [r"p(z | x)", r"p(z \mid x)", r"\Pr(z \mid x)"])
def test_by_definition_in_other_spellings(written):
    text = POSTERIOR.replace(r"p(z \mid x) = \frac{p(x, z)}{p(x)}", written + r" = \frac{p(x, z)}{p(x)}")
    got = at(text, 8)
    assert got and got[0][1] == "noted" and got[0][0] in ("definition", "model"), got
    assert all(st != "refuted" for _, st in got)


def test_a_symmetry_claim_at_a_first_appearance_is_no_definition():
    text = ("# KL\n\n$P$ and $Q$ are probability distributions on the same finite set $\\mathcal{X}$.\n\n"
            "## 1\n\nIt is tempting to write\n\n$$\nD(P, Q) = D(Q, P)\n$$\n")
    assert at(text, 10) == [("claim", "unknown")]  # decided as a claim (D undefined here: unknown)
