"""Reading probability in notes: laws and independence as stated, E / Var / Cov on them decided;
right steps never refuted (also when rewritten), wrong ones refuted or unknown, never proved."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.notes.check import check_text
from verifier.notes.probability_reader import stated_independence, stated_laws, stated_random

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "probability"


def steps_of(text: str, path: str = "note.md"):
    rep = check_text(text, path).to_json()
    return [s for b in rep["blocks"] for s in b["steps"]]


def statuses(text: str):
    return [s["status"] for s in steps_of(text)]


# ----------------------------------------------------------------------------------------
# what the prose and math state
# ----------------------------------------------------------------------------------------
def test_laws_as_written():
    text = (r"Let $X \sim \mathrm{Bernoulli}(p)$ and $Z\sim\mathcal{N}(\mu, \sigma^2)$, "
            r"$K \sim \operatorname{Poisson}(\lambda)$, $T \sim \mathrm{Exp}(\lambda)$.")
    laws = stated_laws(text)
    assert laws["X"] == ("bernoulli", ["p"])
    assert laws["Z"] == ("normal", [r"\mu", r"\sigma^2"])
    assert laws["K"][0] == "poisson" and laws["T"][0] == "exponential"
    assert "Q" not in stated_laws(r"$Q \sim \mathrm{Mystery}(a)$")


def test_conflicting_laws_are_not_taken():
    assert "X" not in stated_laws(r"$X \sim \mathrm{Bernoulli}(p)$ and later $X \sim \mathcal{N}(0, 1)$")


def test_random_variables_named_in_prose():
    assert stated_random(r"Let $X$ and $Y$ be random variables with $\mathbb{E}[X]$ finite.") == {"X", "Y"}
    assert stated_random(r"用随机变量 $X$ 表示试验结果。") == {"X"}
    assert stated_random(r"The matrix $A$ is symmetric.") == set()


def test_independence_statements_and_negations():
    rvs = {"X", "Y", "Z"}
    assert [g for _, _, g in stated_independence(r"Assume $X \perp Y$.", rvs)] == [frozenset("XY")]
    assert [g for _, _, g in stated_independence(r"$X$ and $Y$ are independent.", rvs)] == [frozenset("XY")]
    assert [g for _, _, g in stated_independence(r"$X$ 与 $Y$ 相互独立。", rvs)] == [frozenset("XY")]
    assert stated_independence(r"$X$ and $Y$ are not independent.", rvs) == []
    assert stated_independence(r"$X$ and $Y$ are dependent.", rvs) == []
    assert stated_independence(r"Linearity holds without independence of $X$ and $Y$.", rvs) == []


def test_independence_ends_at_the_next_heading():
    text = "## A\n\n$X$ and $Y$ are independent.\n\nmore\n\n## B\n\ntext\n"
    ((lo, hi, names),) = stated_independence(text, {"X", "Y"})
    assert lo == 3 and hi < 7 and names == frozenset("XY")


# ----------------------------------------------------------------------------------------
# small notes: right steps (and rewrites of them) are never refuted; wrong ones are
# ----------------------------------------------------------------------------------------
BERNOULLI = r"""
Let $X \sim \mathrm{Bernoulli}(p)$ with $0 < p < 1$.

$$
\mathbb{E}[X] = 1\cdot p + 0\cdot(1-p) = p
$$

$$
\operatorname{Var}(X) = \mathbb{E}[X^2] - \mathbb{E}[X]^2 = p - p^2 = p(1-p)
$$
"""


@pytest.mark.parametrize("variant", [
    BERNOULLI,
    BERNOULLI.replace(r"\mathbb{E}[X]", r"\mathbf{E}[X]").replace(r"\mathbb{E}[X^2]", r"\mathbf{E}[X^2]"),
    BERNOULLI.replace(r"\operatorname{Var}", r"\mathrm{Var}"),
    BERNOULLI.replace(r"\mathbb{E}[X]^2", r"(\mathbb{E}[X])^2"),
    BERNOULLI.replace(r"p(1-p)", r"p - p\cdot p"),
])
def test_bernoulli_moments_proved_in_every_spelling(variant):
    st = statuses(variant)
    assert st and all(s == "proved" for s in st), st


@pytest.mark.parametrize("wrong,fixed", [
    (r"= p(1-p)", r"= p(1+p)"),
    (r"\mathbb{E}[X^2] - \mathbb{E}[X]^2 = p - p^2", r"\mathbb{E}[X^2] - \mathbb{E}[X]^2 = p + p^2"),
])
def test_bernoulli_slips_refuted(wrong, fixed):
    st = statuses(BERNOULLI.replace(wrong, fixed))
    assert "refuted" in st and "proved" in st


RULES = r"""
Let $X$ and $Y$ be random variables and $a, b$ constants.

$$
\mathbb{E}[aX + bY] = a\,\mathbb{E}[X] + b\,\mathbb{E}[Y]
$$

$$
\operatorname{Var}(aX + b) = a^2 \operatorname{Var}(X)
$$

$$
\operatorname{Cov}(X, Y) = \mathbb{E}[XY] - \mathbb{E}[X]\,\mathbb{E}[Y]
$$
"""


def test_rules_for_any_law_proved():
    st = statuses(RULES)
    assert st == ["proved", "proved", "proved"], st


def test_broken_rule_for_any_law_is_never_proved_nor_refuted_on_words():
    st = statuses(RULES.replace(r"a^2 \operatorname{Var}(X)", r"a \operatorname{Var}(X)"))
    assert st[1] == "unknown"  # false, but the note may state the law in words the reader cannot read


PRODUCT = r"""
## Independent

Assume $X$ and $Y$ are random variables with $X \perp Y$.

$$
\mathbb{E}[XY] = \mathbb{E}[X]\,\mathbb{E}[Y]
$$

## Dependent

$$
\mathbb{E}[XY] = \mathbb{E}[X]\,\mathbb{E}[Y]
$$
"""


def test_product_rule_only_where_independence_is_stated():
    st = statuses(PRODUCT)
    assert st[0] == "proved"
    assert st[1] == "unknown"  # the stated independence ended at the heading; never proved there


def test_gaussian_closed_forms():
    text = (r"Let $Z \sim \mathcal{N}(\mu, \sigma^2)$." "\n\n$$\n"
            r"\mathbb{E}[Z^2] = \operatorname{Var}(Z) + \mathbb{E}[Z]^2 = \sigma^2 + \mu^2" "\n$$\n\n$$\n"
            r"\mathbb{E}[(Z - \mu)^2] = 2\sigma^2" "\n$$\n")
    st = statuses(text)
    assert st == ["proved", "proved", "refuted"], st


def test_conditional_expectations_are_unread_not_definitions():
    text = (r"Let $X$ and $Y$ be random variables." "\n\n$$\n" r"\mathbb{E}[X \mid Y = 1] = 2" "\n$$\n\n$$\n"
            r"\mathbb{E}[X \mid Y = 1] + 1 = 3" "\n$$\n")
    st = statuses(text)
    assert "refuted" not in st and "proved" not in st


# ----------------------------------------------------------------------------------------
# the labelled fixtures: no false alarm, no wrong step proved
# ----------------------------------------------------------------------------------------
NOTES = ["p01_bernoulli_moments.md", "p02_expectation_rules.md", "p03_bayes_disease_test.md",
         "p04_entropy_cross_entropy_kl.md", "p06_mutual_information.md"]


def _labelled(name):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    labels = json.loads((FIXTURES / name.rsplit(".", 1)[0]).with_suffix(".labels.json").read_text())["steps"]
    return text, labels


def _expect(labels, step):
    here = [lab for lab in labels if lab["line"] == step["line"]]
    same = [lab for lab in here if lab["rhs"].strip() == step["rhs"].strip()]
    return (same or here or [{"expect": "?"}])[0]["expect"]


@pytest.mark.parametrize("name", NOTES)
def test_fixture_has_no_false_alarm_and_no_wrong_step_proved(name):
    text, labels = _labelled(name)
    for s in steps_of(text, name):
        e = _expect(labels, s)
        if s["status"] == "refuted":
            assert e == "wrong", (s["line"], s["lhs"], s["rhs"], s["message"])
        if s["status"] in ("proved", "checked"):
            assert e != "wrong", (s["line"], s["lhs"], s["rhs"])


def test_bernoulli_fixture_read_line_by_line():
    text, labels = _labelled("p01_bernoulli_moments.md")
    by_line: dict[int, list[str]] = {}
    for s in steps_of(text, "p01_bernoulli_moments.md"):
        by_line.setdefault(s["line"], []).append(s["status"])
    for line in (18, 24, 34, 35, 36, 43, 59, 66, 67, 68, 69):
        assert by_line[line] and all(x == "proved" for x in by_line[line]), (line, by_line[line])
    assert by_line[80] == ["refuted", "proved"]  # Var(Y) = 3 Var(X) is the planted error (Y = 3X - 1)


def test_a_name_introduced_again_without_its_law_is_not_read():
    text = (r"Let $X \sim \mathrm{Bernoulli}(p)$ with $0 < p < 1$." "\n\n"
            r"Later, let $X$ be the number of heads in two tosses." "\n\n$$\n"
            r"\mathbb{E}[X] = p" "\n$$\n")
    st = statuses(text)
    assert "proved" not in st and "refuted" not in st, st  # two readings of X: neither is taken
    text2 = text.replace("Later, let $X$ be the number of heads in two tosses.", "")
    assert statuses(text2) == ["proved"]


def test_assume_is_not_an_introduction():
    text = (r"用随机变量 $X$ 表示结果，这里始终假设 $0<p<1$。记作 $X\sim\mathrm{Bernoulli}(p)$。" "\n\n$$\n"
            r"\mathbb{E}[X] = p" "\n$$\n")
    assert statuses(text) == ["proved"]


# -- H(X, Y) of a note's joint table, and a double bare sum over its random letters ---------------------------
_TABLE = ("All logarithms are base 2 here: information is in bits.\n\n"
          "| | $Y=0$ | $Y=1$ |\n| --- | --- | --- |\n| $X=0$ | $3/8$ | $1/8$ |\n| $X=1$ | $1/8$ | $3/8$ |\n\n")


def _table_claims(body: str):
    from verifier.notes.check import check_text

    rep = check_text(_TABLE + body, "table.md", budget=10.0)
    return [s for s in rep.all_steps if s.kind == "claim"]


@pytest.mark.parametrize("rhs", [r"3 - \frac{3}{4}\log_2 3", r"-2\cdot\frac{3}{8}\log_2\frac{3}{8} - 2\cdot\frac{1}{8}\log_2\frac{1}{8}",
                                 r"\frac{3}{4}\log_2\frac{8}{3} + \frac{1}{4}\log_2 8"])
def test_joint_entropy_of_a_table_right(rhs):
    (s, *_) = _table_claims(f"Then\n\n$$\nH(X, Y) = {rhs} = {rhs}\n$$\n")
    assert s.status == "proved", s.message


@pytest.mark.parametrize("rhs", [r"3 - \frac{3}{8}\log_2 3", r"2", r"H(X) + H(Y)"])
def test_joint_entropy_of_a_table_wrong(rhs):
    (s, *_) = _table_claims(f"Then\n\n$$\nH(X, Y) = {rhs} = 0 + {rhs}\n$$\n")
    assert s.status == "refuted", s.message
    assert "concrete law" in s.message, s.message


def test_joint_entropy_the_note_defines_keeps_its_meaning():
    from verifier.notes.check import check_text

    text = _TABLE + "We define\n\n$$\nH(X, Y) = 2\n$$\n\nso\n\n$$\nH(X, Y) + 1 = 3\n$$\n"
    steps = check_text(text, "table.md", budget=10.0).all_steps
    assert steps[0].status == "noted" and steps[0].kind == "definition"
    assert all(s.status != "refuted" for s in steps), [(s.status, s.message) for s in steps]


def test_joint_entropy_needs_one_table():
    from verifier.notes.check import check_text

    text = "Let $X$ and $Y$ be random variables.\n\n$$\nH(X, Y) + 0 = H(X) + H(Y)\n$$\n"
    steps = [s for s in check_text(text, "free.md", budget=10.0).all_steps if s.kind == "claim"]
    assert steps and all(s.status not in ("refuted", "proved", "checked") for s in steps), steps


def test_a_double_bare_sum_runs_over_both_supports():
    from verifier.notes.probability_spelling import support_sums

    sums = support_sums(r"\sum_{x,y} P(x,y)", {"x": (0, 1), "y": (0, 2)})
    assert sums == r"\sum_{x=0}^{1}\sum_{y=0}^{2} P(x,y)"
    assert support_sums(r"\sum_{x,y} P(x,y)", {"x": (0, 1)}) == r"\sum_{x,y} P(x,y)"  # y has no support: left
    claims = _table_claims("$$\n\\sum_{x,y} P(x,y)\\log_2\\frac{P(x,y)}{P(x)P(y)} \\geqslant 0\n$$\n")
    assert claims and claims[0].status != "unparsed" and claims[0].status != "refuted", claims[0].message
