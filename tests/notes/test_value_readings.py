"""Readings of letters and values (issue 11): a bare \\pi the note bounds is a mixing weight; a name the
prose puts in an integer range up to another name is never sampled outside it for a refutation; EM's Q
"function" is defined, not a probability model; E[theta | D] in a case of the prose is a value in the case;
the values solved for after a display of equations are noted; "the weights are represented as" defines."""
from __future__ import annotations

import pytest

from verifier.model.results import CHECKED, NOTED, PROVED, REFUTED, UNKNOWN
from verifier.notes.check import check_text
from verifier.notes.letters import increments_are_names, pi_is_a_variable


def _steps(text: str) -> dict[int, object]:
    return {s.line: s for s in check_text(text, "n.md", budget=10.0).all_steps}


@pytest.mark.parametrize("math,expect", [(r"0 < \pi < 1", True), (r"\pi \in (0, 1)", True),
                                         (r"0 < \pi < 1 ; \sqrt{2\pi\sigma^2}", False), (r"2\pi r", False),
                                         (r"\pi r^2", False)])
def test_when_pi_is_a_variable(math, expect):
    assert pi_is_a_variable(math) is expect


PI = r"""With probability $\pi$ ($0 < \pi < 1$) we pick the first coin.

$$
\pi (1 - \theta) + (1 - \pi) \theta = %s
$$
"""


@pytest.mark.parametrize("rhs,expect", [(r"\theta + \pi - 2 \pi \theta", PROVED),
                                        (r"\pi + \theta - 2\,\theta \cdot \pi", PROVED),
                                        (r"\theta + \pi - \pi \theta", REFUTED)])
def test_a_bounded_pi_is_read_as_a_name(rhs, expect):
    s = _steps(PI % rhs)[4]
    assert s.status == expect, s.message
    if expect == REFUTED:
        assert float(s.counterexample["\\pi"]) < 1, s.counterexample  # a weight, not 3.14159


RANGE = r"""We flip $m$ times and count $h$ heads, where $h \in \{0, 1, \dots, m\}$, and $0 < q < 1$.

$$
\log \binom{m}{h} + \log q = %s
$$
"""


def test_a_range_in_the_prose_is_respected_by_refutations():
    # right for every h in {0, ..., m}; sampled at a real h the binomial may be negative: never refuted
    s = _steps(RANGE % r"\log \left(\binom{m}{h} q\right)")[4]
    assert s.status != REFUTED, s.message
    s = _steps(RANGE % r"\log \binom{m}{h} + \log q + 1")[4]  # wrong everywhere
    assert s.status in (REFUTED, UNKNOWN) and s.status not in (PROVED, CHECKED), s.message


Q_FUNCTION = r"""EM maximises the $Q$ function. Its part that depends on $\theta$ is

$$
Q(\theta) = \sum_{j=1}^{N} \gamma_j \ln \theta
$$
"""


def test_a_probability_letter_called_a_function_is_defined():
    s = _steps(Q_FUNCTION)[4]
    assert (s.status, s.kind) == (NOTED, "definition"), s.message
    s = _steps(Q_FUNCTION.replace("EM maximises the $Q$ function. Its", "The"))[4]
    assert (s.status, s.kind) == (NOTED, "model")  # a distribution Q, as before


CASE_VALUE = r"""The posterior mean is $\frac{a + k}{a + b + n}$. If we take a uniform prior, $a = b = 1$, then

$$
E[\theta \mid D] = \frac{k + 1}{n + 2}
$$

and later

$$
E[\theta \mid D] = \frac{k + 1}{n + 2}
$$
"""


def test_an_expectation_in_a_case_is_a_value_not_a_definition():
    s = _steps(CASE_VALUE)[4]
    assert (s.status, s.kind) == (NOTED, "equation") and "case" in s.message, s.message


SOLVED = r"""Setting the derivative to zero gives

$$
\begin{aligned}
-\ln p_1 - 1 + \lambda &= 0 \\
p_1 &= e^{\lambda - 1}
\end{aligned}
$$

Likewise for the others, and the constraint then gives

$$
p_1 = p_2 = \frac{1}{2}
$$
"""


def test_values_solved_for_after_equations_are_noted():
    steps = check_text(SOLVED, "n.md", budget=10.0).all_steps
    last = [s for s in steps if s.line == 13]
    assert last and all((s.status, s.kind) == (NOTED, "equation") for s in last), [(s.status, s.message) for s in last]
    before = SOLVED.replace("Setting the derivative to zero gives", "The entries satisfy").replace("&= 0", "&= -1 + \\lambda - \\ln p_1")
    after = [s for s in check_text(before, "n.md", budget=10.0).all_steps if s.line == 13]
    assert after and all(s.kind != "equation" for s in after), [(s.status, s.kind, s.message) for s in after]


REPRESENTED = r"""Suppose the algorithm starts at $w = 0$ and point $i$ triggers $k_i$ updates. Writing
$\alpha_i = k_i \eta$, the weight is represented as

$$
w = \sum_{i=1}^{n} \alpha_i y_i x_i
$$
"""


def test_the_sentence_that_introduces_a_display_decides_its_kind():
    s = _steps(REPRESENTED)[5]
    assert (s.status, s.kind) == (NOTED, "definition"), s.message
    s = _steps(REPRESENTED.replace("the weight is represented as", "the algorithm keeps"))[5]
    assert (s.status, s.kind) == (NOTED, "model"), s.message


@pytest.mark.parametrize("math,expect", [(r"\Delta w = -\eta g ; w + \Delta w", True), (r"\Delta \theta", True),
                                         (r"\Delta = b^2 - 4ac", False), (r"\Delta w ; \Delta f(x)", False),
                                         (r"x + y", False)])
def test_when_increments_are_names(math, expect):
    assert increments_are_names(math) is expect


INCREMENT = r"""The update of the weight is

$$
\Delta w = -\eta g
$$

so the new weight is $w + \Delta w$, and

$$
w + \Delta w = %s
$$
"""


@pytest.mark.parametrize("rhs,expect", [(r"w - \eta g", PROVED), (r"- g \eta + w", PROVED), (r"w + \eta g", REFUTED)])
def test_an_increment_is_one_name(rhs, expect):
    s = _steps(INCREMENT % rhs)[10]
    assert s.status == expect, s.message


LIMIT = r"""For a threshold $\lambda > 0$ and any real $z$, as the threshold vanishes,

$$
\lim_{\lambda \to 0} \operatorname{sign}(z) \max(|z| - \lambda, 0) = %s
$$
"""


@pytest.mark.parametrize("rhs,ok", [("z", True), (r"\operatorname{sign}(z) |z|", True), ("|z|", False)])
def test_a_limit_of_a_max_is_evaluated(rhs, ok):
    # SymPy's series cannot expand Max: the limit is taken of the Piecewise it equals (engine.numeric)
    s = _steps(LIMIT % rhs)[4]
    assert (s.status != REFUTED) if ok else (s.status == REFUTED), s.message
