"""Statement kinds of vector and matrix notes (issue 13): the cues and head shapes that tell a definition,
a model or a notation from a claim.  Each rule gets non-claims that must stay noted with their kind, wrong
steps next to them that are refuted (or unknown), and right steps that are never refuted."""
from __future__ import annotations

import pytest

from verifier.model.results import CHECKED, NOTED, PROVED, REFUTED, UNKNOWN
from verifier.notes.check import check_text
from verifier.notes.definitions import written_as_name
from verifier.notes.statements import is_increment, log_head, operator_call, prose_cues


def _steps(text: str) -> dict[tuple[int, int], object]:
    rep = check_text(text, "note.md", budget=10.0)
    return {(s.line, s.index): s for b in rep.blocks for s in b.steps}


def _at(steps: dict, line: int, k: int = 0):
    return [s for (ln, _), s in sorted(steps.items()) if ln == line][k]


# -- head shapes ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("latex", [r"\hat{\mathbf{w}}", r"\hat{\boldsymbol{w}}^*", r"\hat{\mathbf{w}}_{\text{ridge}}",
                                   r"\hat{\bm{\mu}}_{\mathrm{ML}}", r"\Delta\mathbf{W}^{(1)}", r"\Delta w",
                                   r"\hat{y}_i", r"\tilde{\mathbf{x}}_{n}"])
def test_accents_over_bold_names_and_increments_are_names(latex):
    assert written_as_name(latex)


@pytest.mark.parametrize("latex", [r"\hat{\mathbf{w}} + 1", r"\log L(w)", r"\frac{a}{b}", r"\Delta w \cdot x",
                                   r"\hat{\mathbf{w}}^\top \mathbf{x}"])
def test_expressions_are_not_names(latex):
    assert not written_as_name(latex)


def test_head_shape_readers():
    assert is_increment(r"\Delta\mathbf{W}^{(1)}") and is_increment(r"\Delta w") and not is_increment(r"\Delta")
    assert log_head(r"\log L(\mathbf{w})") == "L" and log_head(r"\ln\mathcal{L}\left(\theta\right)") == r"\mathcal{L}"
    assert log_head(r"\log L(w) + 1") is None and log_head(r"\log \sigma(z)") is None
    assert operator_call(r"\langle\mathbf{x},\mathbf{y}\rangle") == "langle"
    assert operator_call(r"\mathrm{softmax}(\mathbf{z})_k") == "softmax"
    assert operator_call(r"\mathrm{softmax}(\mathbf{z} + c)_k") is None  # arithmetic inside: not at bare names
    assert operator_call(r"\langle x + y, z\rangle") is None


def test_prose_cues_of_models_and_shorthands():
    assert "model" in prose_cues("The model says")
    assert "model" in prose_cues("实际网络中 logits 来自一个全连接层。")
    assert "model" in prose_cues("The logits come from a fully connected layer")
    assert "notation" in prose_cues("Abbreviate the predicted probabilities as")
    assert "notation" in prose_cues("我们把它的第 $k$ 个分量简记为 $p_k$：")
    assert "notation" not in prose_cues("We define the loss as")
    assert "model" not in prose_cues("The output layer has K units.")  # a layer named, not a layer's equation


# -- a solution named with a new (accented) name ---------------------------------------------------------
SOLUTION = r"""# Least squares

Let $X \in \mathbb{R}^{n \times d}$, $\mathbf{y} \in \mathbb{R}^n$ and $\mathbf{w} \in \mathbb{R}^d$.
Setting the gradient to zero gives the normal equations

$$
X^\top X \mathbf{w} = X^\top \mathbf{y}
$$

and the unique solution is

$$
\hat{\mathbf{w}} = (X^\top X)^{-1} X^\top \mathbf{y}
$$

It satisfies the normal equations:

$$
X^\top X \hat{\mathbf{w}} = X^\top X (X^\top X)^{-1} X^\top \mathbf{y} = X^{T} \mathbf{y}
$$

and a wrong check of it:

$$
X^\top X \hat{\mathbf{w}} = X^\top X (X^\top X)^{-1} X^\top \mathbf{y} = 2 X^\top \mathbf{y}
$$
"""


def test_a_solution_given_a_new_accented_name_is_a_definition():
    st = _steps(SOLUTION)
    assert (_at(st, 7).status, _at(st, 7).kind) == (NOTED, "equation")
    named = _at(st, 13)
    assert (named.status, named.kind) == (NOTED, "definition")
    # the claims that use the name are still decided: the right ones never refuted, the wrong one refuted
    assert _at(st, 19, 0).status in (PROVED, CHECKED) and _at(st, 19, 1).status in (PROVED, CHECKED)
    assert _at(st, 25, 0).status in (PROVED, CHECKED)
    assert _at(st, 25, 1).status == REFUTED


# -- increments ------------------------------------------------------------------------------------------
INCREMENT = r"""# Update

The weights $\mathbf{W} \in \mathbb{R}^{q \times d}$, $\mathbf{x} \in \mathbb{R}^d$, $\boldsymbol{\delta} \in \mathbb{R}^q$. The update of the weights is

$$
\Delta\mathbf{W}^{(1)} = -\eta\,\boldsymbol{\delta}\mathbf{x}^{\top}
$$

and the update rule is

$$
\mathbf{W} \leftarrow \mathbf{W} + \Delta\mathbf{W}^{(1)}
$$

A scalar weight $w$ with gradient $g$ is updated by

$$
\Delta w = -\eta g
$$

$$
w = w - \eta g
$$

A wrong step in the same section:

$$
\eta g - \eta g = 2 \eta g
$$
"""


def test_an_increment_is_named_not_updated_and_the_update_stays_a_model():
    st = _steps(INCREMENT)
    for line in (6, 18):
        s = _at(st, line)
        assert (s.status, s.kind) == (NOTED, "definition"), (line, s.status, s.kind, s.message)
    assert (_at(st, 12).status, _at(st, 12).kind) == (NOTED, "model")
    assert (_at(st, 22).status, _at(st, 22).kind) == (NOTED, "model")  # w = w - eta g: an update written with =
    assert _at(st, 28).status == REFUTED


# -- model cues ---------------------------------------------------------------------------------------------
MODELS = r"""# Logistic

The weight vector is $\mathbf{w} \in \mathbb{R}^d$ and $\mathbf{x} \in \mathbb{R}^d$. The model says

$$
P(y = 1 \mid \mathbf{x}; \mathbf{w}) = \sigma(\mathbf{w}^\top\mathbf{x})
$$

Abbreviate the probability as

$$
s = \sigma(\mathbf{w}^\top\mathbf{x})
$$

The logits come from a fully connected layer with $W \in \mathbb{R}^{K \times d}$, $\mathbf{b} \in \mathbb{R}^K$:

$$
\mathbf{z} = W\mathbf{x} + \mathbf{b}
$$

Its transpose is

$$
\mathbf{z}^\top = \mathbf{x}^\top W^\top + \mathbf{b}^\top
$$

and a wrong one

$$
\mathbf{z}^\top = W^\top \mathbf{x}^\top + \mathbf{b}^\top
$$

and another wrong one

$$
\mathbf{z}^\top = 2\mathbf{x}^\top W^\top + \mathbf{b}^\top
$$
"""


def test_models_and_shorthands_from_the_prose():
    st = _steps(MODELS)
    assert (_at(st, 6).status, _at(st, 6).kind) == (NOTED, "model")
    assert (_at(st, 12).status, _at(st, 12).kind) == (NOTED, "notation")
    assert (_at(st, 18).status, _at(st, 18).kind) == (NOTED, "model")
    assert _at(st, 24).status in (PROVED, CHECKED)  # the layer's equation is used: z^T follows from it
    assert _at(st, 30).status in (REFUTED, UNKNOWN)  # a missing transpose: shapes misfit
    assert _at(st, 36).status == REFUTED


# -- the log of a new function ---------------------------------------------------------------------------
LOG_HEAD = r"""# Log-likelihood

Some books maximize the log-likelihood. With

$$
\log L(\theta) = -\frac{1}{2}\theta^2
$$

the derivative is

$$
\frac{d}{d\theta}\log L(\theta) = -\theta
$$

and a wrong one

$$
\frac{d}{d\theta}\log L(\theta) = -2\theta
$$

## A likelihood given first

The likelihood is

$$
Q(\theta) = e^{-\theta^2}
$$

and its log, wrong and right:

$$
\log Q(\theta) = -\frac{1}{2}\theta^2
$$

$$
\log Q(\theta) = -\theta^{2}
$$
"""


def test_the_log_of_a_new_function_is_a_definition_and_is_used():
    st = _steps(LOG_HEAD)
    head = _at(st, 6)
    assert (head.status, head.kind) == (NOTED, "definition")
    assert _at(st, 12).status in (PROVED, CHECKED)
    assert _at(st, 18).status == REFUTED
    # Q was written before: its log is a claim about it
    assert _at(st, 32).status == REFUTED and _at(st, 32).kind == "claim"
    assert _at(st, 36).status in (PROVED, CHECKED)


# -- an operator the prose defines ------------------------------------------------------------------------
OPERATORS = r"""# Inner products

Let $\mathbf{x}, \mathbf{y} \in \mathbb{R}^n$. The standard inner product is defined by the first equality below, and the second writes it out:

$$
\langle\mathbf{x},\mathbf{y}\rangle = \mathbf{x}^\top\mathbf{y} = \sum_{i=1}^{n} x_i y_i
$$

Note that

$$
\langle\mathbf{x},\mathbf{y}\rangle = \mathbf{y}^{T}\mathbf{x}
$$

and a wrong one

$$
\langle\mathbf{x},\mathbf{y}\rangle = \mathbf{x}^\top\mathbf{x}
$$

The inner product is defined below, with a wrong writing out:

$$
\langle\mathbf{x},\mathbf{y}\rangle = \mathbf{x}^\top\mathbf{y} = \sum_{i=1}^{n} x_i^2
$$
"""


def test_an_operator_defined_in_the_prose_is_a_definition_the_rest_of_its_chain_is_decided():
    st = _steps(OPERATORS)
    assert (_at(st, 6, 0).status, _at(st, 6, 0).kind) == (NOTED, "definition")
    assert _at(st, 6, 1).status in (PROVED, CHECKED)
    assert _at(st, 12).status in (PROVED, CHECKED) and _at(st, 12).kind == "claim"  # "note that": a claim
    assert _at(st, 18).status == REFUTED
    # the operator was written before: "defined below" restates it, a claim (right here), its chain decided
    assert _at(st, 24, 0).kind == "claim" and _at(st, 24, 0).status in (PROVED, CHECKED)
    assert _at(st, 24, 1).status == REFUTED


SOFTMAX = r"""# Softmax

设 logits 为 $\mathbf{z}\in\mathbb{R}^K$。softmax 把 logits 变成一个概率分布，我们把它的第 $k$ 个分量简记为 $p_k$：

$$
p_k=\mathrm{softmax}(\mathbf{z})_k=\frac{e^{z_k}}{\sum_{j=1}^{K}e^{z_j}}
$$

它的和：

$$
\sum_{k=1}^{K} \mathrm{softmax}(\mathbf{z})_k = \frac{\sum_{k=1}^{K} e^{z_k}}{\sum_{j=1}^{K}e^{z_j}}
$$

一个错误的写法：

$$
\sum_{k=1}^{K} \mathrm{softmax}(\mathbf{z})_k = \frac{\sum_{k=1}^{K} e^{2 z_k}}{\sum_{j=1}^{K}e^{z_j}}
$$

不是简记的链：

$$
\mathrm{softmax}(\mathbf{z})_k = \frac{e^{z_k}}{\sum_{j=1}^{K}e^{z_j}} = \frac{e^{z_k}}{\sum_{j=1}^{K}e^{2 z_j}}
$$
"""


def test_an_operator_written_out_after_the_shorthand_it_names():
    st = _steps(SOFTMAX)
    assert (_at(st, 6, 0).status, _at(st, 6, 0).kind) == (NOTED, "notation")
    assert (_at(st, 6, 1).status, _at(st, 6, 1).kind) == (NOTED, "definition")
    assert _at(st, 12).status in (PROVED, CHECKED)
    assert _at(st, 18).status in (REFUTED, UNKNOWN) and _at(st, 18).status != PROVED
    # a chain whose head is no shorthand: softmax written out is a claim, and the wrong row is not accepted
    assert _at(st, 24, 0).kind == "claim" and _at(st, 24, 0).status in (PROVED, CHECKED)
    assert _at(st, 24, 1).status in (REFUTED, UNKNOWN)


# -- names with a label (\text{ridge}, \mathrm{ML}, ^*) in the matrix reading, and a case the prose states -----
from verifier.notes.linalg_check import check_matrix_step, stated_case  # noqa: E402
from verifier.notes.matrix_reader import tokens  # noqa: E402

_RIDGE = r"""Let $X \in \mathbb{R}^{n \times d}$, $\mathbf{y} \in \mathbb{R}^n$, $\lambda > 0$.

$$
\hat{\mathbf{w}}_{\text{ridge}} = (X^\top X + \lambda I_d)^{-1} X^\top \mathbf{y}
$$

$$
\hat{\mathbf{w}}^{*} = (X^\top X)^{-1} X^\top \mathbf{y}
$$

The fitted values:

$$
"""


def test_a_label_is_part_of_the_name_never_an_index_or_a_power():
    toks = tokens(r"X\hat{\mathbf{w}}_{\text{ridge}} + \hat{\bm{\mu}}_{\mathrm{ML}} + \hat{\boldsymbol{w}}^* + \mathbf{x}_i")
    assert ("deco", r"\hat{\mathbf{w}}_{\text{ridge}}") in toks and ("deco", r"\hat{\bm{\mu}}_{\mathrm{ML}}") in toks
    assert ("deco", r"\hat{\boldsymbol{w}}^*") in toks
    assert ("bold", r"\mathbf{x}") in toks and ("name", "i") in toks  # an entry / sample index stays one


@pytest.mark.parametrize("lhs, rhs", [
    (r"X\hat{\mathbf{w}}_{\text{ridge}}", r"X(X^\top X + \lambda I_d)^{-1} X^\top \mathbf{y}"),
    (r"X\hat{\mathbf{w}}_{\text{ridge}}", r"X X^\top (X X^\top + \lambda I_n)^{-1} \mathbf{y}"),  # the push-through form
    (r"X^{T} X \hat{\mathbf{w}}^{*}", r"X^\top \mathbf{y}"),
])
def test_labelled_names_are_read_with_their_definitions(lhs, rhs):
    v = check_matrix_step(lhs, rhs, _RIDGE)
    assert v.status in (PROVED, CHECKED), v.message


@pytest.mark.parametrize("lhs, rhs", [
    (r"X\hat{\mathbf{w}}_{\text{ridge}}", r"X(X^\top X)^{-1} X^\top \mathbf{y}"),  # the lambda dropped
    (r"X\hat{\mathbf{w}}_{\text{ridge}}", r"X^\top X (X X^\top + \lambda I_n)^{-1} \mathbf{y}"),
    (r"X^{T} X \hat{\mathbf{w}}^{*}", r"2 X^\top \mathbf{y}"),
])
def test_wrong_steps_with_labelled_names_are_refuted(lhs, rhs):
    v = check_matrix_step(lhs, rhs, _RIDGE)
    assert v.status in (REFUTED, UNKNOWN) and v.status != PROVED, v.message
    assert v.status == REFUTED or "shape" in v.message or "fit" in v.message, v.message


_CASE = _RIDGE.replace("The fitted values:\n", "If the columns of $X$ are orthonormal, i.e. $X^\\top X = I_d$, then\n")
_WHEN = _RIDGE.replace("The fitted values:\n", "When $X^\\top X$ is invertible as well,\n")


def test_a_matrix_step_for_a_case_the_prose_states_is_not_refuted_as_an_identity():
    assert stated_case(_CASE) == "If" and stated_case(_WHEN) is None and stated_case(_RIDGE) is None
    right = check_matrix_step(r"\hat{\mathbf{w}}_{\text{ridge}}", r"\frac{1}{1+\lambda}X^\top\mathbf{y}", _CASE)
    assert right.status == UNKNOWN and "case" in right.message
    # no relation stated for the case ("when ... invertible"): a wrong identity is still refuted
    wrong = check_matrix_step(r"(X^\top X + \lambda I_d)^{-1}", r"(X^\top X)^{-1} + \frac{1}{\lambda}I_d", _WHEN)
    assert wrong.status == REFUTED
    # a right identity in the case stays proved (the case only keeps a failed one from being an error)
    same = check_matrix_step(r"(X^\top X + \lambda I_d)^{-1}", r"(\lambda I_d + X^\top X)^{-1}", _CASE)
    assert same.status in (PROVED, CHECKED)


# -- the Hessian \nabla^2_{\mathbf w} and the layout of d z / d x ------------------------------------------------
from verifier.notes.matrix_calls import stated_layout  # noqa: E402

_SHAPES = (r"Let $X \in \mathbb{R}^{n \times d}$, $\mathbf{y} \in \mathbb{R}^n$, $\mathbf{w} \in \mathbb{R}^d$, "
           r"$A \in \mathbb{R}^{d \times d}$, $W \in \mathbb{R}^{K \times d}$, $\mathbf{x} \in \mathbb{R}^d$, "
           r"$\mathbf{a} \in \mathbb{R}^d$, $\mathbf{b} \in \mathbb{R}^K$ and $\lambda > 0$.")


@pytest.mark.parametrize("lhs, rhs", [
    (r"\nabla^2_{\mathbf{w}} \|X\mathbf{w} - \mathbf{y}\|_2^2", r"2X^\top X"),
    (r"\nabla^{2}_{\mathbf{w}} \left(\|X\mathbf{w} - \mathbf{y}\|_2^2 + \lambda\|\mathbf{w}\|_2^2\right)",
     r"2(X^\top X + \lambda I_d)"),
    (r"\nabla^2_{\mathbf{w}} \mathbf{w}^\top A \mathbf{w}", r"A + A^\top"),
    (r"\nabla^2_{\mathbf{w}} \mathbf{w}^\top A \mathbf{w}",
     r"\frac{\partial^2 \mathbf{w}^\top A \mathbf{w}}{\partial \mathbf{w}\,\partial \mathbf{w}^\top}"),
])
def test_the_hessian_is_read_and_proved(lhs, rhs):
    v = check_matrix_step(lhs, rhs, _SHAPES)
    assert v.status == PROVED, v.message


@pytest.mark.parametrize("lhs, rhs", [
    (r"\nabla^2_{\mathbf{w}} \|X\mathbf{w} - \mathbf{y}\|_2^2", r"X^\top X"),  # the factor 2 dropped
    (r"\nabla^2_{\mathbf{w}} \mathbf{w}^\top A \mathbf{w}", r"2A"),  # A is not said to be symmetric
    (r"\nabla^2_{\mathbf{w}} \|X\mathbf{w} - \mathbf{y}\|_2^2", r"2X X^\top"),  # the product order: n x n
])
def test_wrong_hessians_are_refuted(lhs, rhs):
    assert check_matrix_step(lhs, rhs, _SHAPES).status == REFUTED


def test_the_layout_the_prose_states():
    assert stated_layout("gradients are column vectors (denominator layout)") == "denominator"
    assert stated_layout("本文采用分子布局。") == "numerator"
    assert stated_layout("We use the denominator layout, not the numerator layout.") is None
    assert stated_layout("Gradients are columns.") is None


_DEN = _SHAPES + " Derivatives are in the denominator layout."
_NUM = _SHAPES + " 本文采用分子布局。"


@pytest.mark.parametrize("prose, lhs, rhs, right", [
    (_DEN, r"\frac{\partial (W\mathbf{x} + \mathbf{b})}{\partial \mathbf{x}}", r"W^\top", True),
    (_DEN, r"\frac{\partial (A\mathbf{x})}{\partial \mathbf{x}}", r"A^{T}", True),
    (_DEN, r"\frac{\partial (A\mathbf{x})}{\partial \mathbf{x}}", r"A", False),
    (_DEN, r"\frac{\partial \mathbf{a}^\top \mathbf{x}}{\partial \mathbf{x}}", r"\mathbf{a}", True),
    (_NUM, r"\frac{\partial (W\mathbf{x} + \mathbf{b})}{\partial \mathbf{x}}", r"W", True),
    (_NUM, r"\frac{\partial (A\mathbf{x})}{\partial \mathbf{x}}", r"A^\top", False),
    (_NUM, r"\frac{\partial \mathbf{x}^\top A \mathbf{x}}{\partial \mathbf{x}}", r"\mathbf{x}^\top(A + A^\top)", True),
    (_NUM, r"\nabla_{\mathbf{x}} \mathbf{x}^\top A \mathbf{x}", r"(A + A^\top)\mathbf{x}", True),  # a column always
    (_NUM, r"\frac{\partial (W\mathbf{x})}{\partial \mathbf{x}^\top}", r"W", True),  # d z / d x^T: the Jacobian
])
def test_derivatives_of_vectors_in_the_stated_layout(prose, lhs, rhs, right):
    v = check_matrix_step(lhs, rhs, prose)
    if right:
        assert v.status == PROVED, v.message
    else:
        assert v.status == REFUTED, v.message


@pytest.mark.parametrize("prose, lhs, rhs", [
    (_SHAPES, r"\frac{\partial (W\mathbf{x} + \mathbf{b})}{\partial \mathbf{x}}", r"W"),  # no layout stated
    (_SHAPES, r"\frac{\partial (W\mathbf{x} + \mathbf{b})}{\partial \mathbf{x}}", r"W^\top"),
    (_DEN, r"\frac{\partial (W\mathbf{x} + \mathbf{b})}{\partial \mathbf{x}}", r"W"),  # K x d against d x K
    (_NUM, r"\frac{\partial \mathbf{a}^\top \mathbf{x}}{\partial \mathbf{x}}", r"\mathbf{a}"),  # a row against a column
])
def test_a_layout_not_stated_or_a_shape_misfit_is_never_accepted(prose, lhs, rhs):
    v = check_matrix_step(lhs, rhs, prose)
    assert v.status not in (PROVED, CHECKED), v.message
    if prose is _SHAPES or prose is _NUM:
        assert v.status == UNKNOWN, v.message  # undecided with the reason, never a refutation of a layout question


HESSIAN_NOTE = r"""# Second order

Let $X \in \mathbb{R}^{n \times d}$, $\mathbf{y} \in \mathbb{R}^n$ and $\mathbf{w} \in \mathbb{R}^d$, and

$$
J(\mathbf{w}) = \|X\mathbf{w} - \mathbf{y}\|_2^2
$$

The Hessian is constant:

$$
\nabla^2_{\mathbf{w}} J(\mathbf{w}) = 2X^\top X
$$

and a wrong one

$$
\nabla^2_{\mathbf{w}} J(\mathbf{w}) = X^\top X
$$

Setting the Hessian to zero is no identity:

$$
\nabla^2_{\mathbf{w}} J(\mathbf{w}) = 0
$$
"""


def test_a_hessian_in_a_note():
    st = _steps(HESSIAN_NOTE)
    assert (_at(st, 6).status, _at(st, 6).kind) == (NOTED, "definition")
    assert _at(st, 12).status == PROVED, _at(st, 12).message
    assert _at(st, 18).status == REFUTED
    assert _at(st, 24).status == NOTED and _at(st, 24).kind == "equation"


RESTATED = r"""# Traces and inner products

Let $\mathbf{x}, \mathbf{y} \in \mathbb{R}^n$. The inner product is defined by

$$
\langle\mathbf{x},\mathbf{y}\rangle = \mathbf{x}^\top\mathbf{y}
$$

Later the note restates it, and here the definition is not made again (a wrong restatement is an error):

$$
\langle\mathbf{x},\mathbf{y}\rangle = \mathbf{x}^\top\mathbf{x}
$$

By the definition of the softmax,

$$
\mathrm{softmax}(\mathbf{x})_k = \frac{e^{x_k}}{\sum_{j=1}^{n} e^{2 x_j}}
$$
"""


def test_an_operator_written_before_or_used_by_definition_is_a_claim():
    st = _steps(RESTATED)
    assert (_at(st, 6).status, _at(st, 6).kind) == (NOTED, "definition")
    assert _at(st, 12).status == REFUTED  # "is defined" is further back; the operator was written before
    # "by the definition of": a justification, not a definition made here
    assert _at(st, 18).kind == "claim" and _at(st, 18).status in (REFUTED, UNKNOWN)


_LOGISTIC = r"""We observe $n$ examples. Stack the inputs as the rows of $X \in \mathbb{R}^{n \times d}$ (row $i$ of $X$
is $\mathbf{x}_i^\top$), $\mathbf{y} \in \{0,1\}^n$, $\mathbf{w} \in \mathbb{R}^d$, and $\sigma$ is the logistic function
$\sigma(t) = 1/(1+e^{-t})$. The loss is

$$
\ell(\mathbf{w}) = -\sum_{i=1}^{n}\Big(y_i\log\sigma(\mathbf{w}^\top\mathbf{x}_i) + (1-y_i)\log\big(1-\sigma(\mathbf{w}^\top\mathbf{x}_i)\big)\Big)
$$

Abbreviate the predicted probabilities as

$$
\sigma_i = \sigma(\mathbf{w}^\top\mathbf{x}_i)
$$

Differentiating the gradient once more:

$$
"""


@pytest.mark.parametrize("rhs, right", [
    (r"\sum_{i=1}^{n}\sigma_i(1 - \sigma_i)\,\mathbf{x}_i\mathbf{x}_i^\top", True),
    (r"\sum_{i=1}^{n}\sigma_i(1 - \sigma_i)\,\mathbf{x}_i\mathbf{x}_i^{T}", True),
    (r"\sum_{i=1}^{n}\sigma_i\,\mathbf{x}_i\mathbf{x}_i^\top", False),  # the factor 1 - sigma_i dropped
    (r"\sum_{i=1}^{n}\sigma_i(1 - \sigma_i)\,\mathbf{x}_i^\top\mathbf{x}_i", False),  # a number, not d x d
])
def test_entries_named_by_a_greek_letter_are_read_from_their_definition(rhs, right):
    v = check_matrix_step(r"\nabla^2_{\mathbf{w}}\ell(\mathbf{w})", rhs, _LOGISTIC)
    if right:
        assert v.status == PROVED, v.message
    else:
        assert v.status in (REFUTED, UNKNOWN) and v.status not in (PROVED, CHECKED), v.message
