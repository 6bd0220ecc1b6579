"""A refutation that rests on a misreading is `unknown` (notes.misreadings): a name set by a model
or update equation, or a definition whose own ingredients' definitions ended with their section.
Steps that do not touch such names are still refuted when wrong."""
from __future__ import annotations

from verifier.model.results import NOTED, REFUTED, UNKNOWN
from verifier.notes.check import check_text

POSTERIOR = r"""# Beta posterior

## Update

For short, the posterior parameters are

$$
a' = a + k, \quad b' = b + n - k
$$

## Mean

$$
\frac{a'}{a' + b'} = \frac{a + k}{a + b + n}
$$

$$
\frac{a + k}{a + b + n} = \frac{a + k}{a + b}
$$
"""

ADABOOST = r"""# AdaBoost

## Weight

Call the solution

$$
\alpha_t = \frac{1}{2} \ln \frac{1 - \epsilon_t}{\epsilon_t}
$$

for $0 < \epsilon_t < 1$.

## Normaliser

Denote

$$
Z_t = (1 - \epsilon_t) e^{-\alpha_t} + \epsilon_t e^{\alpha_t}
$$

$$
Z_t = 2 \sqrt{\epsilon_t (1 - \epsilon_t)}
$$

$$
2 \sqrt{\epsilon_t (1 - \epsilon_t)} = \sqrt{\epsilon_t}
$$
"""


def _claims(text):
    return [s for s in check_text(text, "note.md", budget=10).all_steps if s.kind == "claim"]


def test_a_name_set_by_a_model_equation_is_not_sampled_freely():
    steps = _claims(POSTERIOR)
    assert steps[0].status == UNKNOWN and "a'" in steps[0].message, steps[0].message  # was refuted
    assert steps[1].status == REFUTED  # a wrong step without a' or b'


def test_a_definition_built_on_an_ended_definition_is_not_unfolded_freely():
    steps = _claims(ADABOOST)
    assert steps[0].status == UNKNOWN and "alpha" in steps[0].message, steps[0].message  # was refuted
    assert steps[1].status == REFUTED  # a wrong step in the same section without alpha_t


SOFTMAX = r"""# Softmax

For $j = 1, 2, 3$ the probabilities are defined entry by entry:

$$
q_j = \frac{e^{z_j}}{\sum_{k=1}^{3} e^{z_k}}
$$

They sum to one:

$$
\sum_{i=1}^{3} q_i = 1
$$

Taking logarithms:

$$
\log q_i = z_i - \log \sum_{k=1}^{3} e^{z_k}
$$

$$
\sum_{k=1}^{3} e^{z_k} = 3 e^{z_1}
$$
"""


def test_an_entry_written_outside_a_sum_is_not_sampled_freely():
    steps = _claims(SOFTMAX)
    log_step = next(s for s in steps if s.lhs.startswith(r"\log q_i"))
    assert log_step.status != REFUTED, log_step.message  # was refuted with q_i free (and j := 1 from the prose)
    assert steps[-1].status == REFUTED  # a wrong step on the same entries


LAGRANGE = r"""# Maximum entropy

## Stationary point

Setting the derivative to zero gives

$$
\begin{aligned}
-\ln p_1 - 1 + \lambda &= 0 \\
p_1 &= e^{\lambda - 1}
\end{aligned}
$$

and likewise for $p_2, p_3$, so by the normalisation

$$
p_1 = p_2 = p_3 = \frac{1}{3}
$$

$$
\ln 3 = 1.0986
$$

## Another section

$$
p_1 + p_2 = 2 p_1
$$
"""


def test_the_unknowns_of_a_solved_equation_are_no_free_variables_in_their_section():
    all_steps = check_text(LAGRANGE, "note.md", budget=10).all_steps
    by_line = {}
    for s in (s for s in all_steps if s.kind == "claim"):
        by_line.setdefault(s.lhs, s)
    # were refuted with p free; since issue 11 (notes.case_readings.solved_values) the values solved for right
    # after the display of equations are noted as that equation's consequence, never refuted
    solved = [s for s in all_steps if (s.lhs, s.rhs) in (("p_1", "p_2"), ("p_2", "p_3"), ("p_3", "\\frac{1}{3}"))]
    assert len(solved) == 3 and all((s.status, s.kind) == (NOTED, "equation") for s in solved), [s.message for s in solved]
    assert by_line[r"\ln 3"].status == REFUTED  # a wrong step in the section that does not use p
    assert by_line["p_1 + p_2"].status == REFUTED  # after the section p is a free letter again


SOFTMAX_RANGE = r"""# Softmax outputs are probabilities

Let $x_1, \dots, x_n$ be the logits. The $j$-th output of the softmax is positive and below one,
since its numerator is one of the terms of its denominator:

$$
\frac{e^{x_j}}{\sum_{i=1}^{n} e^{x_i}} < 1
$$

and, for the same reason,

$$
0 < \frac{e^{x_j}}{\sum_{i=1}^{n} e^{x_i}}
$$

A step that does not involve the $j$-th output is read as before:

$$
\sum_{i=1}^{n} e^{x_i} = n e^{x_1}
$$
"""


def test_an_entry_beside_a_sum_over_its_letter_is_no_counterexample_when_sampled_apart():
    below_one, positive, wrong = _claims(SOFTMAX_RANGE)
    assert below_one.status == UNKNOWN and "x_j" in below_one.message, below_one.message  # was refuted at x_j = 2
    assert positive.status != REFUTED
    assert wrong.status == REFUTED  # no entry beside the sum: still refuted
    wrong_bound = _claims(SOFTMAX_RANGE.replace("} < 1", "} < 0.5", 1))[0]
    assert wrong_bound.status in (REFUTED, UNKNOWN)  # a wrong bound: never accepted


LIKELIHOOD = r"""# Maximum likelihood for one coin flip

The model predicts $\hat{y}(\theta)$ for the label $y \in \{0, 1\}$, and the likelihood of one flip is

$$
P = \hat{y}(\theta)^{y} (1 - \hat{y}(\theta))^{1 - y}
$$

Maximising it is minimising the negative log-likelihood:

$$
\operatorname*{arg\,max}_{\theta} P = \operatorname*{arg\,min}_{\theta} \left[-\log P\right]
$$
"""


def test_an_objective_undefined_where_the_reading_lets_a_likelihood_go_negative_is_no_refutation():
    step = _claims(LIKELIHOOD)[-1]
    assert step.status == UNKNOWN and "presumes it positive" in step.message, step.message  # was refuted
    assert r"0 < \hat{y}(\theta) < 1" in step.message  # says how to state the bound
    flipped = _claims(LIKELIHOOD.replace(r"\operatorname*{arg\,min}_{\theta} \left[-\log P\right]",
                                         r"\operatorname*{arg\,max}_{\theta} \left[-\log P\right]"))[-1]
    assert flipped.status in (REFUTED, UNKNOWN), flipped.message  # the direction reversed: never accepted


def test_a_bound_on_a_function_s_values_in_the_prose_is_its_domain():
    stated = LIKELIHOOD.replace(r"for the label $y \in \{0, 1\}$,",
                                r"for the label $y \in \{0, 1\}$, with $0 < \hat{y}(\theta) < 1$,")
    assert stated != LIKELIHOOD
    step = _claims(stated)[-1]
    assert step.status == "proved", step.message
    flipped = _claims(stated.replace(r"\operatorname*{arg\,min}_{\theta} \left[-\log P\right]",
                                     r"\operatorname*{arg\,max}_{\theta} \left[-\log P\right]"))[-1]
    assert flipped.status == REFUTED and "reverses the order" in flipped.message, flipped.message
