"""A joint law given as a Markdown table (notes.table_laws): the law of its random variables, the values their
bare sums run over, and the entropy of a table's variable (in bits where the note says so); wrong values
refuted, right ones in other spellings never refuted, definitions noted, and nothing read without a table."""
from __future__ import annotations

from fractions import Fraction

import pytest

from verifier.notes.check import check_text
from verifier.notes.probability_spelling import respell
from verifier.notes.table_laws import table_laws, table_supports

GRID = ("| | $Y=0$ | $Y=1$ |\n| --- | --- | --- |\n"
        "| $X=0$ | $3/8$ | $1/8$ |\n| $X=1$ | $1/8$ | $3/8$ |\n")
LISTED = ("| $x$ | $y$ | $p(x, y)$ |\n|---|---|---|\n| 0 | 0 | 3/8 |\n| 0 | 1 | 1/8 |\n"
          "| 1 | 0 | \\frac{1}{8} |\n| 1 | 1 | 0.375 |\n")


def test_a_grid_and_a_list_read_alike():
    (g,) = table_laws(GRID)
    (li,) = table_laws(LISTED)
    assert g.names == li.names == ("X", "Y")
    assert dict(zip(g.rows, g.weights)) == dict(zip(li.rows, li.weights))
    assert dict(zip(g.rows, g.weights))[(0, 0)] == Fraction(3, 8)
    assert g.support("X") == (0, 1) and table_supports(GRID) == {"x": (0, 1), "y": (0, 1)}


@pytest.mark.parametrize("text", [
    GRID.replace("$3/8$ | $1/8$ |\n| $X=1$", "$3/8$ | $1/4$ |\n| $X=1$"),   # the cells do not sum to 1
    GRID.replace("| $X=0$ | $3/8$", "| $X=0$ | $a$"),                           # a cell that is not a number
    GRID.replace("| $X=1$ | $1/8$ | $3/8$ |\n", "| $X=1$ | $1/8$ |\n"),       # a short row
    GRID + "\nand again\n\n" + LISTED,                                       # two tables of one name
    "| a | b |\n| --- | --- |\n| 1 | 2 |\n",                                 # no probability column
])
def test_what_is_not_a_joint_law(text):
    assert table_laws(text) == []


def test_bare_sums_run_over_the_table_values():
    sup = {"x": (0, 1)}
    assert respell(r"-\sum_{x}P(x)\log_2 P(x)", frozenset(), sup) == r"-\sum_{x=0}^{1}P(x)\log_2 P(x)"
    assert respell(r"\sum_{z} q(z)", frozenset(), sup) == r"\sum_{z} q(z)"        # no support for z: as written
    assert respell(r"\sum_{x=1}^{n} a_x", frozenset(), sup) == r"\sum_{x=1}^{n} a_x"  # limits written: kept


BITS = "# Channel\n\nAll logarithms are base 2 here: information is in bits.\n\n## 1 Table\n\n" + GRID + \
    "\n## 2 Entropy\n\nRecall\n\n$$\nH(X)=-\\sum_{x}P(x)\\log_2 P(x)\n$$\n\n## 3 Values\n\nThen\n\n"
NATS = BITS.replace("All logarithms are base 2 here: information is in bits.", "Logarithms are natural.") \
    .replace("\\log_2 P(x)", "\\log P(x)")


def steps(text: str):
    rep = check_text(text, "note.md", budget=10.0).to_json()
    return [(s["line"], s["kind"], s["status"], s["message"]) for b in rep["blocks"] for s in b["steps"]]


def last(text: str, display: str):
    n = text.count("\n") + 2
    return [(k, st) for line, k, st, _ in steps(text + f"$$\n{display}\n$$\n") if line == n]


def test_the_note_definition_is_noted():
    got = [(k, st) for line, k, st, _ in steps(BITS) if line == BITS.splitlines().index("H(X)=-\\sum_{x}P(x)\\log_2 P(x)") + 1]
    assert got == [("definition", "noted")]


@pytest.mark.parametrize("display", [
    r"2-\frac{3}{4}\log_2 3 > H(X)",     # conditioning cannot raise the entropy: H(X) = 1 bit here
    r"H(X) = \log 2",                    # the value in nats, in a note in bits
    r"H(X) = \tfrac12",
    r"H(Y) \le 0.9",
])
def test_wrong_values_of_a_table_entropy_refuted(display):
    assert last(BITS, display) == [("claim", "refuted")]


@pytest.mark.parametrize("display", [
    r"H(X) = 1",
    r"H(Y) = 1",
    r"2-\frac{3}{4}\log_2 3 < H(X)",
    r"H(X) = -2\times\frac{1}{2}\log_2\frac{1}{2}",
    r"H(X) \ge 2 - \frac{3}{4}\log_2 3",
])
def test_right_values_in_bits_never_refuted(display):
    out = last(BITS, display)
    assert out and all(st == "proved" for _, st in out), out


@pytest.mark.parametrize("display,status", [
    (r"H(X) = \log 2", "proved"),
    (r"H(X) = \ln 2", "proved"),
    (r"H(X) = 1", "refuted"),
])
def test_in_nats(display, status):
    assert last(NATS, display) == [("claim", status)]


def test_non_claims_stay_noted_and_no_table_no_reading():
    assert last(BITS, r"H(X) \approx 1.0") == [("approximation", "noted")]
    no_table = BITS.replace(GRID, "The channel flips a bit with probability $1/4$.\n")
    out = last(no_table, r"2-\frac{3}{4}\log_2 3 > H(X)")
    assert out and all(st not in ("proved", "checked", "refuted") for _, st in out), out


@pytest.mark.parametrize("display,status", [
    (r"\mathbb{E}[X] = \frac{1}{2}", "proved"),
    (r"E[X] = \frac{1}{2}", "proved"),
    (r"\mathbb{E}[XY] = \frac{3}{8}", "proved"),
    (r"\mathbb{E}[XY] = \mathbb{E}[X]\,\mathbb{E}[Y]", "refuted"),   # the table is not a product law
    (r"\operatorname{Var}(X) = \frac{1}{4}", "proved"),
    (r"\operatorname{Cov}(X, Y) = 0", "refuted"),
])
def test_expectations_under_the_table(display, status):
    assert last(BITS, display) == [("claim", status)]
