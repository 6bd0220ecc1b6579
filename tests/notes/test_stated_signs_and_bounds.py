"""Domains stated in the prose: a label y in {-1, +1} is a sign (proved by cases, never read as a
real), and a double bound 0 < eta <= 1 gives eta's lower bound (positive); a step that needs the
sign or the bound is proved, a wrong one still refuted."""
from __future__ import annotations

from verifier.model.results import PROVED, REFUTED
from verifier.notes.check import check_text
from verifier.notes.domains import assumption
from verifier.notes.notation import Notation
from verifier.notes.reader import Reader

NOTE = r"""# Perceptron

Each label is $y \in \{-1, +1\}$ and the learning rate is $0 < \eta \le 1$.

$$
y (w x + b) + \eta y^2 (x^2 + 1) = y (w x + b) + \eta (x^2 + 1)
$$

$$
y (w x + b) + \eta (x^2 + 1) > y (w x + b)
$$

$$
y (w x + b) + \eta y (x^2 + 1) = y (w x + b) + \eta (x^2 + 1)
$$

$$
y (w x + b) - \eta (x^2 + 1) > y (w x + b)
$$
"""


def test_bounds_read():
    r = Reader(Notation(), set(), 10000)
    assert [(s.name, s.domain) for s in assumption(r, r"0 < \eta \le 1")] == [("eta", "positive")]
    assert [(s.name, s.domain) for s in assumption(r, r"1 \ge \eta > 0")] == [("eta", "positive")]
    assert [(s.name, s.domain) for s in assumption(r, r"0 \le x < 5")] == [("x", "nonnegative")]
    assert [(s.name, s.domain) for s in assumption(r, r"0<p<1")] == [("p", "unit")]
    assert assumption(r, r"0 < x < y", quiet=True) == []  # a bound by a symbol: not a domain


def test_sign_and_rate_used_right_steps_proved_wrong_refuted():
    rep = check_text(NOTE, "perceptron.md", budget=10)
    got = [s.status for s in rep.all_steps]
    assert got == [PROVED, PROVED, REFUTED, REFUTED], [(s.status, s.message) for s in rep.all_steps]
    assert rep.assumptions["y"].startswith("a sign {-1, +1}")
    assert rep.assumptions["\\eta"].startswith("positive")


NEWTON = r"""# Newton for the square root

The iteration becomes, for $x_k > 0$, the Babylonian method:

$$
\frac{x_k}{2} + \frac{1}{x_k} - \sqrt{2} = \frac{(x_k - \sqrt{2})^2}{2 x_k} \ge 0
$$

$$
\frac{(x_k - \sqrt{2})^2}{2 x_k} \ge 1
$$
"""

POISSON = r"""# Poisson

The log-likelihood of the counts is $\ell(\lambda) = \sum_{i=1}^{n} (x_i \ln \lambda - \lambda - \ln (x_i!))$
for $\lambda > 0$:

$$
-\frac{1}{\lambda^2} \sum_{i=1}^{n} x_i \le 0
$$

$$
-\frac{1}{\lambda^2} \sum_{i=1}^{n} x_i \le -1
$$
"""


def test_a_bound_on_x_k_holds_for_the_symbol_x_k():
    got = [s.status for s in check_text(NEWTON, "newton.md", budget=10).all_steps]
    assert got[1] != REFUTED and got[1] in (PROVED, "checked")  # was refuted at x_k = -1
    assert got[2] == REFUTED


def test_a_factorial_makes_its_argument_a_count():
    got = [s.status for s in check_text(POISSON, "poisson.md", budget=10).all_steps]
    assert got[-2] == PROVED, got  # was refuted at x_1 = -2.17
    assert got[-1] == REFUTED, got


JENSEN = r"""# Jensen

For weights $w_i > 0$ with $\sum_{i=1}^{n} w_i = 1$ and positive $x_i$, concavity of the logarithm gives

$$
\ln\left(\sum_{i=1}^{n} w_i x_i\right) \ge \sum_{i=1}^{n} w_i \ln x_i
$$

and the reverse inequality is false:

$$
\ln\left(\sum_{i=1}^{n} w_i x_i\right) \le \sum_{i=1}^{n} w_i \ln x_i
$$
"""


def test_weights_stated_positive_and_summing_to_one_are_a_distribution():
    rep = check_text(JENSEN, "jensen.md", budget=10)
    got = [s.status for s in rep.all_steps]
    assert got[0] in (PROVED, "checked"), [(s.status, s.message) for s in rep.all_steps]  # was refuted
    assert got[1] == REFUTED
    assert rep.assumptions["w"].startswith("probability vector")


def test_weights_without_their_sum_stay_free():
    text = JENSEN.replace(r" with $\sum_{i=1}^{n} w_i = 1$", "")
    got = [s.status for s in check_text(text, "jensen.md", budget=10).all_steps]
    assert got[0] != PROVED and got[0] != "checked"  # weights that need not sum to one: not accepted


def test_a_list_of_values_in_prose_is_a_range_not_a_definition():
    from verifier.notes.statements import is_range
    assert is_range("j = 1, 2, 3") and is_range(r"k = 1, \dots, m")
    assert not is_range("x = 1") and not is_range("a = 1, b = 2") and not is_range("x = 1.5, 2")


ONEHOT = r"""# Cross-entropy

The label is a one-hot vector $\mathbf{y}\in\{0,1\}^K$, so $\sum_{k=1}^{K}y_k=1$.

$$
-\sum_{k=1}^{K}y_k z_k+\Big(\sum_{k=1}^{K}y_k\Big)\log\sum_{j=1}^{K}e^{z_j} = -\sum_{k=1}^{K}y_k z_k+\log\sum_{j=1}^{K}e^{z_j}
$$

$$
-\sum_{k=1}^{K}y_k z_k+\Big(\sum_{k=1}^{K}y_k\Big)\log\sum_{j=1}^{K}e^{z_j} = -\sum_{k=1}^{K}y_k z_k+2\log\sum_{j=1}^{K}e^{z_j}
$$
"""


def test_binary_entries_stated_to_sum_to_one_are_one_hot():
    rep = check_text(ONEHOT, "ce.md", budget=10)
    got = [s.status for s in rep.all_steps]
    assert got[0] in (PROVED, "checked"), [(s.status, s.message) for s in rep.all_steps]  # was refuted
    assert got[1] == REFUTED
    plain = check_text(ONEHOT.replace(r", so $\sum_{k=1}^{K}y_k=1$", ""), "ce.md", budget=10)
    assert plain.all_steps[0].status not in (PROVED, "checked")  # binary entries alone need not sum to one


def test_a_sum_to_one_claimed_in_a_display_is_not_a_stated_fact():
    text = r"""# Weights

Take weights $w_i > 0$.

$$
\sum_{i=1}^{n} w_i = 1
$$
"""
    rep = check_text(text, "w.md", budget=10)
    assert rep.all_steps[0].status not in (PROVED, "checked")  # the claim itself must not become its own proof
    assert not rep.assumptions.get("w", "").startswith("probability")


def test_a_vector_written_only_entry_by_entry_is_read_as_numbers_and_a_bold_one_is_not():
    from verifier.notes.steps import only_entries

    assert only_entries(r"-\sum_{k=1}^{K} y_k z_k + y_1", ["y"])
    # the vector itself, or a bold sample x_i, keeps the vector reading
    assert not only_entries(r"\mathbf{y}^\top z", ["y"]) and not only_entries(r"y_k + y", ["y"])
    assert not only_entries(r"\sum_i \mathbf{x}_i", ["x"]) and not only_entries(r"\boldsymbol y_k", ["y"])
