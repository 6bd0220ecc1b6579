"""Random variables the prose names without a law, and says nothing more of: a step that fails for some
joint law is refuted with a concrete joint table (E[XY] = E[X]E[Y] without stated independence); a
sentence that says more of them in words (uncorrelated, a coin, a law, a mean) forbids that refutation."""
from __future__ import annotations

import mpmath
import pytest

from verifier.notes.check import check_text
from verifier.notes.probability_reader import said_in_words

PLAIN = "# Products\n\nLet $X$ and $Y$ be random variables.\n\n"


def steps_of(prose: str, *displays: str):
    text = prose + "\n\nThen\n\n".join("$$\n" + d + "\n$$" for d in displays) + "\n"
    rep = check_text(text, "note.md").to_json()
    return [s for b in rep["blocks"] for s in b["steps"]]


def _table(cex: dict) -> list[tuple]:
    n = int(cex["n_{law}"])
    return [(mpmath.mpf(cex[f"w_{{law}}_{t}"]), mpmath.mpf(cex[f"X_v_{t}"]), mpmath.mpf(cex[f"Y_v_{t}"]))
            for t in range(1, n + 1)]


def test_product_rule_without_independence_is_refuted_with_a_joint_table():
    (s,) = steps_of(PLAIN, r"\mathbb{E}[XY] = \mathbb{E}[X]\,\mathbb{E}[Y]")
    assert s["status"] == "refuted" and "joint law" in s["message"], s["message"]
    table = _table(s["counterexample"])
    assert abs(sum(w for w, _, _ in table) - 1) < 1e-9 and all(w > 0 for w, _, _ in table)
    exy = sum(w * x * y for w, x, y in table)
    ex, ey = sum(w * x for w, x, _ in table), sum(w * y for w, _, y in table)
    assert abs(exy - ex * ey) > 1e-6  # the table itself shows the rule failing


def test_variance_of_a_sum_without_independence_is_refuted():
    (s,) = steps_of(PLAIN, r"\operatorname{Var}(X + Y) = \operatorname{Var}(X) + \operatorname{Var}(Y)")
    assert s["status"] == "refuted"


RIGHT = [
    r"\mathbb{E}[X + Y] = \mathbb{E}[X] + \mathbb{E}[Y]",
    r"\mathbb{E}[2X - 3Y] = 2\,\mathbb{E}[X] - 3\,\mathbb{E}[Y]",
    r"\operatorname{Cov}(X, Y) = \mathbb{E}[XY] - \mathbb{E}[X]\,\mathbb{E}[Y]",
    r"\operatorname{Var}(X + Y) = \operatorname{Var}(X) + \operatorname{Var}(Y) + 2\operatorname{Cov}(X, Y)",
    r"\operatorname{Var}(X) = \mathbb{E}[X^2] - \mathbb{E}[X]^2",
]


@pytest.mark.parametrize("chain", RIGHT)
def test_rules_for_any_joint_law_are_proved(chain):
    steps = steps_of(PLAIN, chain)
    assert steps and all(s["status"] == "proved" for s in steps), [(s["status"], s["message"][:90]) for s in steps]


def test_stated_independence_proves_the_product_rule():
    (s,) = steps_of(PLAIN + "Assume $X$ and $Y$ are independent.\n\n", r"\mathbb{E}[XY] = \mathbb{E}[X]\,\mathbb{E}[Y]")
    assert s["status"] == "proved", s["message"]


@pytest.mark.parametrize("words", [
    "Assume $X$ and $Y$ are uncorrelated.",
    "Flip a fair coin once; $X$ counts heads and $Y$ counts tails.",
    "Each of $X$ and $Y$ is $\\mathrm{Bernoulli}(1/2)$ in words we do not read.",
    "Here $Y$ is a constant.",
    "Both have mean $0$: $X$ and $Y$.",
    "随机变量 $X$ 与 $Y$ 不相关。",
])
def test_words_about_the_laws_forbid_a_refutation_by_an_arbitrary_table(words):
    steps = steps_of(PLAIN + words + "\n\n", r"\mathbb{E}[XY] = \mathbb{E}[X]\,\mathbb{E}[Y]")
    assert steps and all(s["status"] not in ("refuted", "proved", "checked") for s in steps), steps


def test_a_supposed_display_forbids_a_refutation_by_an_arbitrary_table():
    text = PLAIN + "Suppose\n\n$$\n\\operatorname{Cov}(X, Y) = 0\n$$\n\nso that\n\n$$\n" \
        r"\mathbb{E}[XY] = \mathbb{E}[X]\,\mathbb{E}[Y]" + "\n$$\n"
    rep = check_text(text, "note.md").to_json()
    assert not any(s["status"] == "refuted" for b in rep["blocks"] for s in b["steps"])


def test_said_in_words():
    assert said_in_words("Let $X$ and $Y$ be random variables.") == set()
    assert said_in_words("Assume $X$ and $Y$ are uncorrelated.") == {"X", "Y"}
    assert said_in_words("Let $X = 1$ if heads.") == {"X"}
    assert said_in_words("Assume\n\n$$\nY = 2X\n$$\n") == {"X", "Y"}
