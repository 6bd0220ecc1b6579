"""A subscript on a bracket, (\\mathbf{W})_{ij}, is the entry W_{ij} (notes.bracket_entries), never the grammar's
falling factorial; a step that swaps the indices of a matrix is decided with the matrix any and symmetric
(notes.symmetric_readings), and with it symmetric where the prose says so."""
from __future__ import annotations

from pathlib import Path

import mpmath
import pytest
import sympy as sp

from verifier.model.results import CHECKED, PROVED, REFUTED, UNKNOWN, Verdict
from verifier.notes.check import check_text
from verifier.notes.reader import Reader
from verifier.notes.scan import ReadError
from verifier.notes.symmetric_readings import SymmetricReading, square_bases, stated_symmetric, swapped_bases

PATTERNS = Path(__file__).resolve().parent.parent / "fixtures" / "patterns"
W = sp.IndexedBase(sp.Symbol("W"))
i, j, m = sp.symbols("i j m")


def _read(tex: str) -> sp.Basic:
    return Reader().read(tex).expr


@pytest.mark.parametrize("tex", [r"(\mathbf{W})_{ij}", r"\left(\mathbf{W}\right)_{ij}", r"(W)_{ij}",
                                 r"\left( \boldsymbol{W} \right)_{i j}", r"(\mathbf W)_{ij}"])
def test_a_bracketed_matrix_with_a_subscript_is_its_entry(tex):
    got = _read(r"\sum_{i=1}^{m}\sum_{j=1}^{m} " + tex + " x_i")
    assert got == _read(r"\sum_{i=1}^{m}\sum_{j=1}^{m} W_{ij} x_i")
    assert not got.has(sp.factorial)


def test_a_bracketed_bold_vector_with_one_index_is_its_entry():
    assert _read(r"\sum_{k=1}^{n} (\mathbf{x})_k") == _read(r"\sum_{k=1}^{n} x_k")


@pytest.mark.parametrize("tex, why", [
    (r"(AB)_{ij}", "bracketed expression"),
    (r"(x+1)_{3}", "bracketed expression"),
    (r"(\mathbf{W}^2)_{ij}", "bracketed expression"),
    (r"(x)_{k}", "Pochhammer"),  # an entry or a falling factorial: the note must say
    (r"x(W)_{ij}", "falling factorial"),  # the grammar's reading, caught after the parse
])
def test_a_subscript_on_a_bracket_that_is_not_an_entry_is_refused_with_the_reason(tex, why):
    with pytest.raises(ReadError) as exc:
        _read(tex)
    assert why in str(exc.value)


def test_factorials_written_with_a_bang_are_still_read():
    assert _read(r"\frac{n!}{(n-k)!}") == sp.factorial(sp.Symbol("n")) / sp.factorial(sp.Symbol("n") - sp.Symbol("k"))


def test_swapped_bases_need_both_orders_of_two_different_indices():
    assert swapped_bases(W[i, j] + W[j, i]) == [W]
    assert swapped_bases(W[i, j] * W[i, i]) == []
    assert swapped_bases(W[i, i]) == []


@pytest.mark.parametrize("prose, names", [
    ("where $W$ is a symmetric matrix.", {"W"}),
    ("The symmetric matrix $A$ is given.", {"A"}),
    ("由于 $\\mathbf{W}$\n是对称矩阵 (即 ...)", {"W"}),
    ("Let $A \\in \\mathbb{R}^{n \\times n}$ be a symmetric matrix.", {"A"}),
    ("Note that $K^\\top = K$.", {"K"}),
    ("$K$ is not symmetric in general.", set()),
    ("$K$ 是不对称的", set()),
    ("a non-symmetric matrix $B$", set()),
    ("an asymmetric matrix $B$", set()),
    ("$F^T = G$ holds.", set()),
    ("The weights are symmetric, $W_{ij} = W_{ji}$.", {"W"}),
    ("$A_{ij} = B_{ji}$ for the transpose B", set()),
    ("If $W_{ij} = W_{ji}$, the two sums agree.", set()),  # a case, not what the note says of W
    ("When $K^\\top = K$ the form is real.", set()),
])
def test_stated_symmetric_reads_what_the_prose_says_and_no_more(prose, names):
    assert set(stated_symmetric(prose)) == names


def _verdicts(status_general: str, status_symmetric: str, stated=None) -> Verdict:
    reading = SymmetricReading(problem=None, names=("W",), stated=stated)  # type: ignore[arg-type]
    return reading.combine(Verdict(status_general, "numeric", "fails at a point: lhs = 1, rhs = 2"),
                           Verdict(status_symmetric, "numeric", "agrees"))


def test_combined_verdicts_never_accept_a_step_that_fails_both_ways_nor_refute_one_right_when_symmetric():
    assert _verdicts(REFUTED, REFUTED).status == REFUTED
    assert _verdicts(REFUTED, CHECKED).status == UNKNOWN  # the note may mean W symmetric
    assert _verdicts(REFUTED, UNKNOWN).status == UNKNOWN
    assert _verdicts(PROVED, REFUTED).status == PROVED  # holds for any W: the second reading is not needed
    assert _verdicts(REFUTED, PROVED, {"W": 3}).status == PROVED  # the prose states W symmetric
    assert "as the note states (line 3)" in _verdicts(REFUTED, PROVED, {"W": 3}).message
    assert _verdicts(REFUTED, REFUTED, {"W": 3}).status == REFUTED


@pytest.fixture(scope="module")
def graph():
    rep = check_text((PATTERNS / "graph_smoothness.md").read_text(encoding="utf-8"), "graph_smoothness.md",
                     budget=10.0)
    return {s.line: s for s in rep.all_steps}


def test_the_expansion_of_the_energy_is_proved_on_the_entries(graph):
    assert graph[13].status != REFUTED  # the definition of E(f)
    assert graph[20].status == PROVED and graph[21].status == PROVED
    assert "factorial" not in (graph[20].reading or "") and "!" not in (graph[20].reading or "")


def test_a_swap_that_needs_a_symmetric_matrix_is_unknown_saying_so(graph):
    s = graph[28]
    assert s.status == UNKNOWN and s.method == "reading", s.message
    assert "symmetric" in s.message and "any matrix it fails" in s.message


def test_a_wrong_swap_is_refuted_with_a_counterexample_that_breaks_it(graph):
    s = graph[35]
    assert s.status == REFUTED and "symmetric too" in s.message
    cex = s.counterexample
    n = int(cex["m"])
    f = _sample_function(cex["f(\\cdot)"])
    x = {k: mpmath.mpf(cex[f"x_{k}"]) for k in range(1, n + 1)}
    w = {(p, q): mpmath.mpf(cex[f"W_{{{p}, {q}}}"]) for p in range(1, n + 1) for q in range(1, n + 1)}
    lhs = sum(w[q, p] * f(x[p]) ** 2 for p in x for q in x)
    rhs = sum(w[p, q] * f(x[p]) for p in x for q in x)
    assert abs(lhs - rhs) > 1e-6


def test_a_renaming_of_indices_needs_no_symmetry(graph):
    assert graph[41].status == PROVED, graph[41].message


def _sample_function(text: str):
    body = text.removeprefix("sample function ")
    u = sp.Symbol("_u0")
    expr = sp.sympify(body, locals={"_u0": u})
    return lambda v: mpmath.mpf(str(sp.N(expr.subs(u, sp.Float(str(v), 40)), 40)))


def test_where_the_prose_states_a_matrix_symmetric_the_swaps_are_proved_and_a_slip_refuted():
    rep = check_text((PATTERNS / "symmetric_kernel.md").read_text(encoding="utf-8"), "symmetric_kernel.md",
                     budget=10.0)
    st = {s.line: s for s in rep.all_steps}
    for line in (9, 15):
        assert st[line].status in (PROVED, CHECKED) and "as the note states (line 4)" in st[line].message
    s = st[21]
    assert s.status == REFUTED
    cex = s.counterexample
    n = int(cex["n"])
    a = {k: mpmath.mpf(cex[f"a_{k}"]) for k in range(1, n + 1)}
    k = {(p, q): mpmath.mpf(cex[f"K_{{{p}, {q}}}"]) for p in a for q in a}
    assert abs(sum(k[p, q] * a[p] * a[q] for p in a for q in a) - sum(k[p, q] * a[p] ** 2 for p in a for q in a)) > 1e-6


SWAP = r"""# Sums

Let $A \in \mathbb{R}^{n \times n}$ be a symmetric matrix and $x \in \mathbb{R}^n$.

$$
\sum_{i=1}^{n}\sum_{j=1}^{n} A_{ji} x_i = \sum_{i=1}^{n}\sum_{j=1}^{n} A_{ij} x_i
$$

$$
\sum_{i=1}^{n}\sum_{j=1}^{n} A_{ji} x_i = \sum_{i=1}^{n}\sum_{j=1}^{n} A_{ij} x_j + 1
$$
"""


def test_the_matrix_reading_takes_a_symmetric_matrix_stated_with_its_shape():
    st = {s.line: s for s in check_text(SWAP, "swap.md", budget=10.0).all_steps}
    assert st[6].status == PROVED, st[6].message
    assert st[10].status == REFUTED


DEGREES = ("# Degrees\n\nThe weights form $W$. Let $d_i={body}$ be the degree of point $i$.\n\n"
           "$$\n\\sum_{{i=1}}^m d_i x_i = \\sum_{{i=1}}^m \\sum_{{j=1}}^m W_{{ij}} x_j\n$$\n\n"
           "$$\n\\sum_{{i=1}}^m d_i x_i = \\sum_{{i=1}}^m \\sum_{{j=1}}^m W_{{ij}} x_i + 1\n$$\n")


def test_an_entry_definition_with_its_index_free_is_read_and_a_column_sum_for_a_row_sum_needs_symmetry():
    st = check_text(DEGREES.format(body="\\sum_{j=1}^m W_{i j}"), "degrees.md", budget=10.0).all_steps
    right, wrong = st[-2], st[-1]
    assert right.status == UNKNOWN and "with W symmetric" in right.message, right.message
    assert wrong.status == REFUTED and "symmetric too" in wrong.message, wrong.message


def test_a_definition_in_the_prose_that_is_not_read_makes_a_refutation_unknown():
    st = check_text(DEGREES.format(body="\\max_j W_{i j}"), "degrees.md", budget=10.0).all_steps
    assert all(s.status == UNKNOWN and "d_i" in s.message and "does not bind" in s.message for s in st[-2:]), \
        [s.message for s in st]


def test_entries_of_a_matrix_that_is_not_square_get_no_symmetric_reading():
    v, k, jj = sp.IndexedBase(sp.Symbol("V")), sp.Symbol("k"), sp.Symbol("J")
    assert square_bases(sp.Sum(W[i, j], (i, 1, m), (j, 1, m))) == [W]
    assert square_bases(sp.Sum(v[k, j], (k, 1, m), (j, 1, jj))) == []  # a K x J layer's weights
    assert square_bases(sp.Sum(W[i, j], (j, 1, m))) == []  # i free: its range is not known


PRODUCT_ENTRIES = r"""# Products

Let $A \in \mathbb{R}^{n \times n}$ and $x \in \mathbb{R}^n$.

$$
(A x)_i = \sum_{j=1}^{n} A_{ij} x_j
$$

$$
\left(\mathbf{A}\mathbf{x}\right)_i = \sum_{j=1}^{n} x_j A_{ij}
$$

$$
(\mathbf{A}\mathbf{x})_i = \sum_{j=1}^{n} A_{ji} x_j
$$
"""


def test_the_entry_of_a_bracketed_product_is_read_by_the_matrix_reading():
    st = {s.line: s for s in check_text(PRODUCT_ENTRIES, "products.md", budget=10.0).all_steps}
    assert st[6].status == PROVED and st[10].status == PROVED, (st[6].message, st[10].message)
    s = st[14]  # the transpose's entry: wrong for a general A
    assert s.status == REFUTED
    a, x = _matrix(s.counterexample["\\mathbf{A}"]), _matrix(s.counterexample["\\mathbf{x}"])
    assert a * x != a.T * x


def _matrix(tex: str) -> sp.Matrix:
    body = tex.split("}", 1)[1].rsplit("\\end", 1)[0]
    return sp.Matrix([[sp.nsimplify(c) for c in row.split("&")] for row in body.split("\\\\")])


TWO_SECTIONS = r"""# Two matrices called W

## A graph

The edge weights $W_{ij}$ of the graph are symmetric: $W$ is a symmetric matrix.

$$
\sum_{i=1}^{n}\sum_{j=1}^{n} W_{ij} a_i b_j = \sum_{i=1}^{n}\sum_{j=1}^{n} W_{ij} a_j b_i
$$

## A layer

Here $W$ is the weight matrix of a square layer, with no symmetry at all.

$$
\sum_{i=1}^{n}\sum_{j=1}^{n} W_{ij} a_i b_j = \sum_{i=1}^{n}\sum_{j=1}^{n} W_{ij} a_j b_i
$$
"""


def test_a_statement_of_symmetry_holds_in_its_section_only():
    st = {s.line: s for s in check_text(TWO_SECTIONS, "two.md", budget=10.0).all_steps}
    assert st[8].status in (PROVED, CHECKED) and "as the note states (line 5)" in st[8].message
    assert st[16].status == UNKNOWN and "as the note states" not in st[16].message, st[16].message


DISPLAY_DEGREES = r"""# Degrees

The degree of a vertex sums the weights of its edges:

$$
d_i = \sum_{j=1}^{n} W_{ij}
$$

so the weighted sum of the degrees is a double sum,

$$
\sum_{i=1}^{n} d_i x_i = \sum_{i=1}^{n} \sum_{j=1}^{n} W_{ij} x_i
$$

and not this one:

$$
\sum_{i=1}^{n} d_i x_i = \sum_{i=1}^{n} \sum_{j=1}^{n} W_{ij} x_i + 1
$$
"""


def test_an_entry_definition_in_a_display_is_read_with_its_index_free():
    st = {s.line: s for s in check_text(DISPLAY_DEGREES, "degrees.md", budget=10.0).all_steps}
    assert st[6].status == "noted" and "not read" not in st[6].message, st[6].message
    assert st[12].status in (PROVED, CHECKED), st[12].message
    s = st[18]
    assert s.status == REFUTED
    cex = s.counterexample
    n = int(cex["n"])
    w = {(p, q): mpmath.mpf(cex[f"W_{{{p}, {q}}}"]) for p in range(1, n + 1) for q in range(1, n + 1)}
    x = {p: mpmath.mpf(cex[f"x_{p}"]) for p in range(1, n + 1)}
    d = {p: sum(w[p, q] for q in x) for p in x}
    assert abs(sum(d[p] * x[p] for p in x) - (sum(w[p, q] * x[p] for p in x for q in x) + 1)) > 1e-6


DECLARED = r"""# Sums over entries

Let $y$ be a vector and let $A$ be a matrix; their sizes do not matter here.

$$
\sum_{k=1}^{n} 2 y_k = 2 \sum_{k=1}^{n} y_k
$$

$$
\sum_{k=1}^{n} 2 y_k = \sum_{k=1}^{n} y_k
$$

$$
\sum_{i=1}^{n}\sum_{j=1}^{n} 2 A_{ij} = 2 \sum_{i=1}^{n}\sum_{j=1}^{n} A_{ij}
$$

$$
y + y = 2y
$$
"""


def test_entries_of_a_declared_vector_or_matrix_are_numbers_and_the_vector_itself_is_not():
    st = {s.line: s for s in check_text(DECLARED, "declared.md", budget=10.0).all_steps}
    assert st[6].status == PROVED and st[14].status == PROVED, (st[6].message, st[14].message)
    s = st[10]
    assert s.status == REFUTED
    ys = [mpmath.mpf(v) for k, v in s.counterexample.items() if k.startswith("y_")]
    assert len(ys) == int(s.counterexample["n"]) and abs(sum(ys)) > 1e-9  # 2 sum y = sum y fails
    assert st[18].status == UNKNOWN and "vector" in st[18].message  # y itself: not read as a number
