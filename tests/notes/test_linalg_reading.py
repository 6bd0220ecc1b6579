"""Reading rules of vector and matrix steps in notes (issue 13): entries and sums, samples, functions
applied to vectors, the note's definitions (the chain rule in vector form), derivatives by an entry,
sizes the prose leaves out, kinds of entries.  Each rule is fed wrong steps (refuted, or unknown where
the reading must stop) and meaning-preserving rewrites of right steps (never refuted; proved where
the engine has the proof)."""
from __future__ import annotations

import pytest

from verifier.model.results import CHECKED, PROVED, REFUTED, UNKNOWN
from verifier.notes.linalg_check import check_matrix_step, note_kinds, note_shapes

VEC = r"For $\mathbf{x}, \mathbf{y} \in \mathbb{R}^n$ with coordinates $x_i, y_i$ and $A \in \mathbb{R}^{n \times n}$."
DATA = (r"Stack the inputs as the rows of $X \in \mathbb{R}^{n \times d}$, labels $\mathbf{y} \in \mathbb{R}^n$ and "
        r"weights $\mathbf{w} \in \mathbb{R}^d$, where $\sigma(z) = \frac{1}{1 + e^{-z}}$ is the sigmoid.")
RIDGE = (r"Let $X \in \mathbb{R}^{n \times d}$, $\mathbf{y} \in \mathbb{R}^n$, $\mathbf{w} \in \mathbb{R}^d$." "\n\n$$\n"
         r"J(\mathbf{w}) = \|X\mathbf{w} - \mathbf{y}\|_2^2 + \lambda\|\mathbf{w}\|_2^2" "\n$$\n")
SOFTMAX = (r"Logits $\mathbf{z} \in \mathbb{R}^K$, a one-hot label $\mathbf{y}\in\{0,1\}^K$, input "
           r"$\mathbf{x}\in\mathbb{R}^d$, $W\in\mathbb{R}^{K\times d}$ and $\mathbf{b}\in\mathbb{R}^K$:" "\n\n$$\n"
           r"p_k=\mathrm{softmax}(\mathbf{z})_k=\frac{e^{z_k}}{\sum_{j=1}^{K}e^{z_j}}" "\n$$\n\n$$\n"
           r"L=-\sum_{k=1}^{K}y_k\log p_k" "\n$$\n\n$$\n" r"\mathbf{z}=W\mathbf{x}+\mathbf{b}" "\n$$\n")


def _status(lhs: str, rhs: str, prose: str) -> str:
    return check_matrix_step(lhs, rhs, prose).status


# (prose, lhs, rhs): right steps, each in several spellings
RIGHT = [
    (VEC, r"\mathbf{x}^\top\mathbf{x}", r"\sum_{i=1}^{n} x_i^2"),
    (VEC, r"\mathbf{x}^{\intercal}\mathbf{x}", r"\sum_{i} x_i x_i"),
    (VEC, r"\boldsymbol{x}^{\mathrm{T}}\boldsymbol{y}", r"\sum_{i=1}^{n} y_i x_i"),
    (VEC, r"\bm{x}^T\bm{y}", r"\langle \mathbf{x}, \mathbf{y} \rangle"),
    (VEC, r"\|\mathbf{x}\|_2^2", r"\mathbf{x}^\top\mathbf{x}"),
    (VEC, r"\|\mathbf{x}\|^2", r"\sum_{i=1}^{n} x_i^2"),
    (VEC, r"\operatorname{tr}(A)", r"\sum_{i=1}^{n} A_{ii}"),
    (VEC, r"(A\mathbf{x})_i", None),  # placeholder removed below (entries of products are not written so)
    (VEC, r"\nabla_{\mathbf{x}}\,(\mathbf{x}^\top A\mathbf{x})", r"(A + A^\top)\mathbf{x}"),
    (VEC, r"\nabla_{\boldsymbol{x}}(\boldsymbol{x}^{\mathrm T} A\boldsymbol{x})", r"A\boldsymbol{x} + A^{\top}\boldsymbol{x}"),
    (DATA, r"\sum_{i=1}^{n}\mathbf{x}_i\mathbf{x}_i^\top", r"X^\top X"),
    (DATA, r"\sum_{i=1}^{n} y_i\mathbf{x}_i", r"X^\top\mathbf{y}"),
    (DATA, r"\nabla_{\mathbf{w}}\sum_{i=1}^{n}\big(\log(1 + e^{\mathbf{w}^\top\mathbf{x}_i}) - y_i\mathbf{w}^\top\mathbf{x}_i\big)",
     r"X^\top\big(\sigma(X\mathbf{w}) - \mathbf{y}\big)"),
    (DATA, r"\sum_{i=1}^{n}\big(\sigma(\mathbf{w}^\top\mathbf{x}_i) - y_i\big)\mathbf{x}_i", r"X^\top(\sigma(X\mathbf{w}) - \mathbf{y})"),
    (RIDGE, r"\nabla_{\mathbf{w}} J(\mathbf{w})", r"2X^\top(X\mathbf{w} - \mathbf{y}) + 2\lambda\mathbf{w}"),
    (RIDGE, r"\frac{\partial J}{\partial \mathbf{w}}", r"2(X^\top X + \lambda I_d)\mathbf{w} - 2X^\top\mathbf{y}"),
    (RIDGE, r"\frac{\partial J}{\partial w_j}", r"2\sum_{i=1}^{n}\Big(\sum_{k=1}^{d} X_{ik}w_k - y_i\Big)X_{ij} + 2\lambda w_j"),
    (RIDGE, r"\frac{\partial J}{\partial w_j}", r"2\sum_{i}\Big(\sum_{k} X_{ik}w_k - y_i\Big)X_{ij} + 2\lambda w_j"),
    (SOFTMAX, r"\nabla_{\mathbf{z}}L", r"\mathrm{softmax}(\mathbf{z})-\mathbf{y}"),
    (SOFTMAX, r"\nabla_{\mathbf{x}}L", r"W^\top(\mathbf{p}-\mathbf{y})"),
    (SOFTMAX, r"\frac{\partial L}{\partial\mathbf{b}}", r"\mathbf{p}-\mathbf{y}"),
]
RIGHT = [r for r in RIGHT if r[2] is not None]

# wrong steps: the usual mistakes (refuted with concrete matrices)
WRONG = [
    (VEC, r"\mathbf{x}^\top\mathbf{x}", r"\sum_{i=1}^{n} x_i"),
    (VEC, r"\boldsymbol{x}^{\mathrm{T}}\boldsymbol{y}", r"\sum_{i=1}^{n} x_i^2"),
    (VEC, r"\|\mathbf{x}\|_2", r"\mathbf{x}^\top\mathbf{x}"),
    (VEC, r"\operatorname{tr}(A)", r"\sum_{i=1}^{n} A_{i1}"),
    (VEC, r"\nabla_{\mathbf{x}}\,(\mathbf{x}^\top A\mathbf{x})", r"2A\mathbf{x}"),  # A not symmetric
    (VEC, r"\nabla_{\bm{x}}\,(\bm{x}^\top A\bm{x})", r"(A + A^\top)\bm{x} + \bm{x}"),
    (DATA, r"\sum_{i=1}^{n} y_i\mathbf{x}_i", r"X\mathbf{w}"),
    (DATA, r"\nabla_{\mathbf{w}}\sum_{i=1}^{n}\big(\log(1 + e^{\mathbf{w}^\top\mathbf{x}_i}) - y_i\mathbf{w}^\top\mathbf{x}_i\big)",
     r"X^\top\big(\mathbf{y} - \sigma(X\mathbf{w})\big)"),
    (RIDGE, r"\nabla_{\mathbf{w}} J(\mathbf{w})", r"2X^\top(X\mathbf{w} - \mathbf{y}) + \lambda\mathbf{w}"),
    (RIDGE, r"\frac{\partial J}{\partial w_j}", r"2\sum_{i=1}^{n}\Big(\sum_{k=1}^{d} X_{ik}w_k - y_i\Big)X_{ij} + \lambda w_j"),
    (SOFTMAX, r"\nabla_{\mathbf{z}}L", r"\mathbf{y}-\mathrm{softmax}(\mathbf{z})"),
    (SOFTMAX, r"\nabla_{\mathbf{x}}L", r"W(\mathbf{p}-\mathbf{y})"),
]


@pytest.mark.parametrize("prose,lhs,rhs", RIGHT, ids=[f"right{k}" for k in range(len(RIGHT))])
def test_right_steps_are_never_refuted(prose, lhs, rhs):
    v = check_matrix_step(lhs, rhs, prose)
    assert v.status != REFUTED, (lhs, rhs, v.message, v.counterexample)
    assert v.status in (PROVED, CHECKED), (lhs, rhs, v.status, v.message)


@pytest.mark.parametrize("prose,lhs,rhs", WRONG, ids=[f"wrong{k}" for k in range(len(WRONG))])
def test_wrong_steps_are_refuted(prose, lhs, rhs):
    v = check_matrix_step(lhs, rhs, prose)
    assert v.status == REFUTED, (lhs, rhs, v.status, v.message)
    assert v.counterexample, v.message


def test_proofs_hold_for_every_size():
    for prose, lhs, rhs in [(VEC, r"\mathbf{x}^\top\mathbf{y}", r"\sum_{i=1}^{n} x_i y_i"),
                            (DATA, r"\sum_{i=1}^{n}\mathbf{x}_i\mathbf{x}_i^\top", r"X^\top X"),
                            (RIDGE, r"\nabla_{\mathbf{w}} J(\mathbf{w})", r"2X^\top(X\mathbf{w} - \mathbf{y}) + 2\lambda\mathbf{w}")]:
        v = check_matrix_step(lhs, rhs, prose)
        assert v.status == PROVED and "every size" in v.method, (lhs, v.status, v.method)


def test_the_reading_stops_where_the_note_does_not_say():
    # sigma without the note saying it is the logistic function
    no_sigmoid = DATA.replace(r", where $\sigma(z) = \frac{1}{1 + e^{-z}}$ is the sigmoid", "")
    assert _status(r"\sum_{i=1}^{n}\sigma(\mathbf{w}^\top\mathbf{x}_i)", r"\mathbf{1}^\top\sigma(X\mathbf{w})", no_sigmoid) == UNKNOWN
    # samples without a matrix of rows nor a sum that bounds them
    assert _status(r"\mathbf{x}_i^\top\mathbf{w}", r"\mathbf{w}^\top\mathbf{x}_i", r"$\mathbf{w} \in \mathbb{R}^d$") == UNKNOWN
    # a definition used at another argument
    assert _status(r"J(\mathbf{y})", r"\|X\mathbf{y}\|_2^2", RIDGE) == UNKNOWN
    # a vector set to zero (an equation to solve) is not an identity, but no refutation either
    assert _status(r"X^\top(X\mathbf{w} - \mathbf{y})", r"\mathbf{0}", RIDGE) == UNKNOWN
    # an index over two different sizes (X_{ji} for X_{ij}: j runs over n and d)
    assert _status(r"\frac{\partial J}{\partial w_j}",
                   r"2\sum_{i=1}^{n}\Big(\sum_{k=1}^{d} X_{ik}w_k - y_i\Big)X_{ji} + 2\lambda w_j", RIDGE) == UNKNOWN
    assert _status(r"\sum_{i} x_i X_{ii}", r"0", r"$\mathbf{x}\in\mathbb{R}^n$, $X \in \mathbb{R}^{n \times d}$") == UNKNOWN


def test_sizes_the_prose_leaves_out_are_tied_by_the_products():
    prose = (r"Conventions: $A, B$ are real matrices, $\mathbf{x}, \mathbf{a}$ are column vectors." "\n"
             r"For a square matrix $A \in \mathbb{R}^{n \times n}$:")
    shapes, fresh = note_shapes(prose)
    assert shapes["A"] == ("n", "n") and shapes["x"][1] == "1" and fresh
    assert _status(r"\nabla_{\mathbf{x}}\,(\mathbf{x}^\top A\mathbf{x})", r"(A + A^\top)\mathbf{x}", prose) == PROVED
    assert _status(r"\nabla_{\mathbf{x}}\,(\mathbf{x}^\top A\mathbf{x})", r"2A\mathbf{x}", prose) == REFUTED
    assert _status(r"\nabla_{\mathbf{x}}\,(\mathbf{a}^\top\mathbf{x})", r"\mathbf{a}", prose) == PROVED


def test_kinds_of_entries_from_the_prose():
    prose = (r"Let $\bm{\Sigma} \in \mathbb{R}^{D \times D}$ and $\bm{\mu}, \bm{x} \in \mathbb{R}^D$. "
             r"Throughout, $\bm{\Sigma}$ is symmetric positive definite.")
    shapes, _ = note_shapes(prose)
    assert note_kinds(prose, shapes) == {r"\Sigma": "spd"}
    # right only for a symmetric Sigma: never refuted here
    assert _status(r"\nabla_{\bm{\mu}}\,(\bm{x}-\bm{\mu})^{\mathrm T}\bm{\Sigma}^{-1}(\bm{x}-\bm{\mu})",
                   r"-2\bm{\Sigma}^{-1}(\bm{x}-\bm{\mu})", prose) in (PROVED, CHECKED)
    general = prose.replace("Throughout, $\\bm{\\Sigma}$ is symmetric positive definite.", "")
    assert _status(r"\nabla_{\bm{\mu}}\,(\bm{x}-\bm{\mu})^{\mathrm T}\bm{\Sigma}^{-1}(\bm{x}-\bm{\mu})",
                   r"-2\bm{\Sigma}^{-1}(\bm{x}-\bm{\mu})", general) == REFUTED
    onehot = r"a one-hot label $\mathbf{y}\in\{0,1\}^K$"
    assert note_kinds(onehot, {}) == {"y": "onehot"}
    assert note_kinds(r"labels $\mathbf{y} \in \{0,1\}^n$", {}) == {"y": "binary"}


def test_samples_without_a_data_matrix_are_rows_of_their_own():
    prose = r"We observe $N$ vectors $\bm{x}_1,\dots,\bm{x}_N \in \mathbb{R}^D$ and a mean $\bm{\mu} \in \mathbb{R}^D$."
    lhs = r"\sum_{n=1}^{N}\nabla_{\bm{\mu}}\|\bm{x}_n-\bm{\mu}\|^2"
    assert _status(lhs, r"-2\sum_{n=1}^{N}(\bm{x}_n-\bm{\mu})", prose) == PROVED
    v = check_matrix_step(lhs, r"-\sum_{n=1}^{N}(\bm{x}_n-\bm{\mu})", prose)
    assert v.status == REFUTED and any("x}_{1..N}" in k for k in v.counterexample), v.counterexample


def test_counterexamples_are_printed_in_the_notes_notation():
    prose = r"Let $\bm{\Sigma} \in \mathbb{R}^{D \times D}$ and $\bm{\mu}, \bm{x} \in \mathbb{R}^D$, $\lambda > 0$."
    v = check_matrix_step(r"\bm{\Sigma}\bm{x} + \lambda\bm{\mu}", r"\bm{x}^\top\bm{\Sigma}^\top + \lambda\bm{\mu}", prose)
    assert v.status in (REFUTED, UNKNOWN)  # a missing transpose: the shapes differ
    v = check_matrix_step(r"\bm{\Sigma}\bm{x} + \lambda\bm{\mu}", r"\bm{\Sigma}^\top\bm{x} + \lambda\bm{\mu}", prose)
    assert v.status == REFUTED
    assert {r"\bm{\Sigma}", r"\bm{x}", r"\lambda", "D"} <= set(v.counterexample), v.counterexample


def test_one_norm_and_norms_of_numbers():
    assert _status(r"\|\mathbf{x}\|_1", r"\sum_{i=1}^{n} |x_i|", VEC) in (PROVED, CHECKED, UNKNOWN)
    assert _status(r"\|\mathbf{x}\|_1", r"\sum_{i=1}^{n} x_i", VEC) == REFUTED
    assert _status(r"\|\mathbf{x}\|_1^2", r"\|\mathbf{x}\|_2^2", VEC) != PROVED


# sums of matrix powers (the label-propagation iteration F(t+1) = alpha S F(t) + (1 - alpha) Y):
# the sum's index used as an exponent is the bound index, a concrete range is written out term by
# term, and a power whose exponent stays symbolic has no entries here (unknown, never a refutation)
ITERATION = "Let $\\mathbf{S}$ and $\\mathbf{Y}$ be matrices and $\\alpha$ a number."
F2 = r"\alpha \mathbf{S}(\alpha \mathbf{S} \mathbf{Y}+(1-\alpha) \mathbf{Y})+(1-\alpha) \mathbf{Y}"


@pytest.mark.parametrize("rhs", [
    r"(\alpha \mathbf{S})^{2} \mathbf{Y}+(1-\alpha)\left(\sum_{i=0}^{1}(\alpha \mathbf{S})^{i}\right) \mathbf{Y}",
    r"(\alpha \mathbf{S})^{2} \mathbf{Y}+(1-\alpha)\left(\sum_{k=0}^{1}(\alpha \mathbf{S})^{k}\right) \mathbf{Y}",
    r"(\alpha \mathbf{S})^{2} \mathbf{Y}+(1-\alpha)\left(\mathbf{I} + \alpha \mathbf{S}\right) \mathbf{Y}",  # bold I
])
def test_a_sum_of_matrix_powers_over_a_concrete_range_is_its_terms(rhs):
    assert check_matrix_step(F2, rhs, ITERATION).status == PROVED


def test_an_exponent_the_reader_does_not_take_is_no_refutation():
    rhs = r"(\alpha \mathbf{S})^{2} \mathbf{Y}+(1-\alpha)\left(\sum_{k=1}^{2}(\alpha \mathbf{S})^{k-1}\right) \mathbf{Y}"
    assert check_matrix_step(F2, rhs, ITERATION).status in (PROVED, UNKNOWN)


@pytest.mark.parametrize("rhs", [
    r"(\alpha \mathbf{S})^{2} \mathbf{Y}+(1-\alpha)\left(\sum_{i=0}^{2}(\alpha \mathbf{S})^{i}\right) \mathbf{Y}",
    r"(\alpha \mathbf{S})^{2} \mathbf{Y}+(1-\alpha)\left(\sum_{i=1}^{2}(\alpha \mathbf{S})^{i}\right) \mathbf{Y}",
    r"(\alpha \mathbf{S})^{2} \mathbf{Y}+(1-\alpha)\left(\mathbf{I} - \alpha \mathbf{S}\right) \mathbf{Y}",
])
def test_a_wrong_range_of_matrix_powers_is_refuted(rhs):
    assert check_matrix_step(F2, rhs, ITERATION).status == REFUTED


def test_a_power_with_a_symbolic_exponent_is_not_read_as_entries():
    prose = ITERATION + " Here $t$ is the number of iterations."
    v = check_matrix_step(r"\sum_{i=0}^{t-1}(\alpha \mathbf{S})^{i} \mathbf{Y}",
                          r"\sum_{i=0}^{t-1}(\alpha \mathbf{S})^{i} \mathbf{Y}", prose)
    assert v.status != REFUTED
    v = check_matrix_step(r"(\alpha \mathbf{S})^{t} \mathbf{Y}", r"\alpha^{t} \mathbf{S}^{t} \mathbf{Y}", prose)
    assert v.status != REFUTED, v.message
