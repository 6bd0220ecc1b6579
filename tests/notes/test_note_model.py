"""The note model (issue 11): what each display claims (its kind), in what scope its definitions hold,
and how the tool read it.  Each "Where it stands" example is a small realistic note; every reading rule
is fed wrong steps (refuted or unknown) and meaning-preserving rewrites of right steps (never refuted)."""
from __future__ import annotations

import json

from verifier.model.results import CHECKED, NOTED, PROVED, REFUTED, UNKNOWN
from verifier.notes.check import check_text

BUDGET = 10.0


def _check(text: str, name: str = "note.md"):
    return check_text(text, name, budget=BUDGET)


def _by_line(rep) -> dict[int, list]:
    out: dict[int, list] = {}
    for s in rep.all_steps:
        out.setdefault(s.line, []).append(s)
    return out


def _at(rep, line: int) -> list[tuple[str, str]]:
    return [(s.status, s.kind) for s in _by_line(rep).get(line, [])]


# -- kinds: definitions, models, equations, approximations are noted, never decided -------------------

NETWORK = r"""# A tiny network

The first hidden unit adds the weighted inputs:

$$
o_1 = x_1 w_{11} + x_2 w_{21} + b_1
$$

The recurrent layer keeps a state:

$$
h_t = \tanh(W h_{t-1} + x_t)
$$

Gradient descent updates the weights at each step:

$$
w_{t+1} = w_t - \eta g_t
$$

and in code one writes the update as

$$
w \leftarrow w - \eta g
$$

At the optimum of the likelihood,

$$
0 = \frac{dP}{d\theta}
$$

Near zero, $e^x$ is close to a line:

$$
e^{x} \approx 1 + x
$$

$$
e^{x} = 1 + x + O(x^2)
$$

A claim in the same note is still decided:

$$
(o_1 - b_1) = x_1 w_{11} + x_2 w_{21}
$$
"""


def test_definitions_models_equations_and_approximations_are_noted_with_their_kind():
    rep = _check(NETWORK)
    assert _at(rep, 6) == [(NOTED, "definition")]
    assert _at(rep, 12) == [(NOTED, "model")]  # a recurrence in a time index
    assert _at(rep, 18) == [(NOTED, "model")]  # an update rule
    assert _at(rep, 24) == [(NOTED, "model")]  # \leftarrow
    assert _at(rep, 30) == [(NOTED, "equation")]  # a derivative set to zero
    assert _at(rep, 36) == [(NOTED, "approximation")]
    assert _at(rep, 40) == [(NOTED, "approximation")]  # O(x^2)
    assert _at(rep, 46) == [(PROVED, "claim")]  # uses the definition of o_1
    assert not any(s.status == REFUTED for s in rep.all_steps)
    counts = rep.counts()
    assert counts["noted"] == 7 and counts["proved"] == 1
    # a noted step is listed in the JSON of its block, with its kind, numbered from 0 in its block
    blocks = rep.to_json()["blocks"]
    assert [(b["steps"][0]["index"], b["steps"][0]["kind"]) for b in blocks[:2]] == [(0, "definition"), (0, "model")]
    assert rep.to_json()["summary"]["noted"] == 7


SOLVE_EN = r"""
The loss is $L(w) = \sum_{i=1}^n (y_i - w x_i)^2$.

Setting the derivative to zero gives

$$
\begin{aligned}
\frac{dL}{dw} &= -2\sum_{i=1}^n x_i (y_i - w x_i) = 0 \\
\sum_{i=1}^n x_i y_i &= w \sum_{i=1}^n x_i^2 \\
w &= \frac{\sum_{i=1}^n x_i y_i}{\sum_{i=1}^n x_i^2}
\end{aligned}
$$
"""

SOLVE_ZH = r"""
令偏导数等于0，可解得

$$
\begin{aligned}
2a + b &= 3 \\
a - b &= 0
\end{aligned}
$$

可解得

$$
a = 1, \quad b = 1
$$
"""


def test_equations_to_solve_are_noted_and_the_derivative_before_them_is_decided():
    rep = _check(SOLVE_EN)
    st = _by_line(rep)
    assert st[8][0].status == PROVED and st[8][0].kind == "claim"  # dL/dw worked out is a claim
    assert [(s.status, s.kind) for s in st[8][1:]] == [(NOTED, "equation")]  # ... = 0
    assert _at(rep, 9) == [(NOTED, "equation")] and _at(rep, 10) == [(NOTED, "equation")]
    rep = _check(SOLVE_ZH)
    assert {s.kind for s in rep.all_steps} == {"equation"} and rep.counts()["refuted"] == 0
    # the derivative worked out wrongly before "= 0" is still refuted
    wrong = _check(SOLVE_EN.replace(r"-2\sum_{i=1}^n x_i (y_i - w x_i) = 0", r"-\sum_{i=1}^n x_i (y_i - w x_i) = 0"))
    assert _at(wrong, 8)[0] == (REFUTED, "claim")


# -- hypotheticals and examples ----------------------------------------------------------------------

HYPOTHETICAL = r"""
For a label $y \in \{0, 1\}$ and a prediction $p \in (0, 1)$ the loss is
$\ell = -y \log p - (1 - y) \log(1 - p)$. If $y = 1$ the loss is $-\log p$; 如果 $p = 1$ 时 it vanishes.

In general,

$$
-y \log p - (1 - y) \log(1 - p) = -\log p
$$
"""


def test_a_case_in_the_prose_is_never_a_definition():
    rep = _check(HYPOTHETICAL)
    # "if y = 1" states a case: the general step is wrong and must be refuted, not proved with y := 1
    assert [s.status for s in rep.steps] == [REFUTED]
    assert "y" in rep.steps[0].counterexample


EXAMPLE = r"""# Convexity

## An example

For example, consider $f(x) = (x-1)^2$. Then

$$
f''(x) = 2
$$

## In general

A function is convex when its second derivative is nonnegative:

$$
f''(x) = 2
$$

$$
f(x) + f(x) = 2 f(x)
$$
"""


def test_an_example_binds_its_names_only_in_its_paragraph_and_display():
    rep = _check(EXAMPLE)
    assert _at(rep, 8) == [(PROVED, "claim")]  # inside the example: f is the parabola
    assert _at(rep, 16)[0][0] == UNKNOWN  # a general f: f'' = 2 is not known, never proved
    # the parabola's scope ended: a right step about a general f is decided under both readings (the parabola
    # carried on, f free) and holds in both; never refuted (notes.scope_readings)
    assert _at(rep, 20)[0][0] == PROVED and "ended at line" in _by_line(rep)[20][0].message


REDEFINED = r"""# Squares

$$
f(x) = x^2
$$

$$
f(3) = 9
$$

# Cubes

$$
f(x) = x^3
$$

$$
f(2) = 8
$$

$$
f(2) = 4
$$
"""


def test_a_redefinition_in_a_later_section_shadows_the_first():
    rep = _check(REDEFINED)
    assert _at(rep, 4) == [(NOTED, "definition")] and _at(rep, 8) == [(PROVED, "claim")]
    assert _at(rep, 14) == [(NOTED, "definition")]  # not compared with x^2
    assert _at(rep, 18) == [(PROVED, "claim")]
    assert _at(rep, 22) == [(REFUTED, "claim")]  # the old definition no longer holds here
    uses = _by_line(rep)[18][0].uses
    assert {"definition": "f(x)", "line": 14} in uses


LET_REDEFINE = r"""
$$
g(t) = t + 1
$$

Now let

$$
g(t) = 2t
$$

$$
g(3) = 6
$$
"""


def test_let_redefines_a_name_in_the_same_section():
    rep = _check(LET_REDEFINE)
    assert _at(rep, 9) == [(NOTED, "definition")]
    assert _at(rep, 13) == [(PROVED, "claim")]


# -- bound variables, ranges, entry-wise definitions -------------------------------------------------

LIMIT = r"""
Take a small step, with $h = 1$ in the picture.

$$
\lim_{h \to 0} \frac{(x+h)^2 - x^2}{h} = 2x
$$

$$
\lim_{h \to 0} \frac{(x+h)^2 - x^2}{h} = 2x + 1
$$

$$
\sum_{h=1}^{3} h = 6
$$
"""


def test_a_prose_value_is_never_substituted_for_a_bound_variable():
    rep = _check(LIMIT)
    assert _at(rep, 5) == [(PROVED, "claim")]
    assert _at(rep, 9) == [(REFUTED, "claim")]
    assert _at(rep, 13)[0][0] in (PROVED, CHECKED)


RANGE = r"""
For $k = 1, \dots, m$ and $i \in \{1, \dots, n\}$ we add the terms up:

$$
\sum_{k=1}^{m} k = \frac{m(m+1)}{2}
$$

$$
\sum_{k=1}^{m} 2k = m(m+1)
$$

$$
\sum_{k=1}^{m} k = m^2
$$
"""


def test_a_range_in_prose_is_a_range_not_a_definition():
    rep = _check(RANGE)
    assert _at(rep, 5) == [(PROVED, "claim")] and _at(rep, 9) == [(PROVED, "claim")]
    assert _at(rep, 13) == [(REFUTED, "claim")]


ENTRIES = r"""
Let $q_j = 2 p_j$ for every $j$.

$$
\sum_{i=1}^n q_i = 2 \sum_{i=1}^n p_i
$$

$$
\sum_{k=1}^n q_k - \sum_{k=1}^n p_k = \sum_{k=1}^n p_k
$$

$$
\sum_{i=1}^n q_i = 3 \sum_{i=1}^n p_i
$$
"""


def test_an_entry_wise_definition_applies_at_every_index_and_inside_sums():
    rep = _check(ENTRIES)
    assert _at(rep, 5) == [(PROVED, "claim")] and _at(rep, 9) == [(PROVED, "claim")]
    assert _at(rep, 13) == [(REFUTED, "claim")]
    assert any(u.get("definition") == "q_j" for u in _by_line(rep)[5][0].uses)


# -- rows: prose lines inside a display, "=&" rows, a rejected segment before an argmin ---------------

PROSE_ROWS = r"""
$$
\begin{aligned}
(a+b)^2 &= a^2 + 2ab + b^2 \\
\text{and collecting the middle terms} \\
&= a^2 + b^2 + 2ab \\
where we write the last two terms again \\
&= a^2 + b^2 + 3ab
\end{aligned}
$$
"""


def test_prose_lines_inside_a_display_are_remarks_and_the_chain_goes_on():
    rep = _check(PROSE_ROWS)
    assert _at(rep, 4) == [(PROVED, "claim")]
    assert _at(rep, 6) == [(PROVED, "claim")]  # across the \text row: a^2 + 2ab + b^2 = a^2 + b^2 + 2ab
    assert _at(rep, 8) == [(REFUTED, "claim")]  # across a plain prose row
    assert rep.steps[1].lhs == "a^2 + 2ab + b^2"


EQ_AMP = r"""
$$
\begin{aligned}
L(w) =& (y - w)^2 \\
=& y^2 - 2yw + w^2 \\
=& y^2 - 2yw
\end{aligned}
$$
"""


def test_rows_written_with_eq_amp_keep_their_values():
    rep = _check(EQ_AMP)
    assert [(s.status, s.kind) for s in rep.all_steps] == [
        (NOTED, "definition"), (PROVED, "claim"), (REFUTED, "claim")]
    assert rep.all_steps[1].lhs == "(y - w)^2" and rep.all_steps[2].rhs == "y^2 - 2yw"


REJECTED_THEN_ARGMIN = r"""
$$
\begin{aligned}
\hat\theta &= \weirdmacro{\theta} \\
&= \arg\min_\theta (\theta - 1)^2
\end{aligned}
$$

$$
(\theta + 1)^2 = \theta^2 + 2\theta + 1
$$
"""


def test_a_rejected_segment_before_an_argmin_row_loses_nothing():
    rep = _check(REJECTED_THEN_ARGMIN)
    data = json.loads(json.dumps(rep.to_json()))
    statuses = [s["status"] for b in data["blocks"] for s in b["steps"]]
    assert statuses[-1] == PROVED and "unparsed" in statuses
    assert not any(s == REFUTED for s in statuses)


# -- the reading, visible -----------------------------------------------------------------------------

READING = r"""
Let $\sigma^2 > 0$ and define $L(\mu) = \sum_{i=1}^n (x_i - \mu)^2$.

$$
L(\mu) = \sum_{i=1}^n x_i^2 - 2\mu \sum_{i=1}^n x_i + n\mu^2
$$

$$
\log(a b) = \log a + \log b + 1
$$
"""


def test_every_decided_step_carries_its_reading_and_what_it_used():
    rep = _check(READING)
    first, second = rep.steps
    assert first.status == PROVED and first.reading.startswith("L")
    assert {"definition": "L(\\mu)", "line": 2} in first.uses
    assert second.status == REFUTED and "\\log" in second.reading and "=" in second.reading
    js = rep.to_json()["blocks"][1]["steps"][0]
    assert js["kind"] == "claim" and js["reading"] == second.reading and isinstance(js["uses"], list)


def test_the_terminal_report_shows_the_reading_beside_a_refutation(capsys):
    from verifier.notes.report import CheckReport
    from verifier.output.check_report import print_report

    print_report(CheckReport(files=[_check(READING)]))
    out = "".join(capsys.readouterr().out.split())
    assert "readas:" in out and "\\log" in out.split("readas:", 1)[1]


# -- types before values --------------------------------------------------------------------------------

MATRICES = r"""
Let $A$ and $B$ be matrices and $\mathbf{w}$ a vector.

$$
\mathbf{A}\mathbf{B}\mathbf{w} = \mathbf{B}\mathbf{A}\mathbf{w}
$$

$$
(A+B)^2 = A^2 + 2AB + B^2
$$

$$
(A+B)^2 = A^2 + AB + BA + B^2
$$

$$
\mathbf{w}^\top \mathbf{w} = \mathbf{w}^\top \mathbf{w}
$$

$$
(a+b)^2 = a^2 + 2ab + b^2
$$
"""


def test_matrices_and_vectors_are_never_read_as_real_numbers():
    rep = _check(MATRICES)
    st = _by_line(rep)
    # bold A, B, w that the prose calls matrices and a vector: the matrix reading (issue 13) refutes the wrong
    # product order with concrete matrices, as the note writes them
    assert st[5][0].status == REFUTED and r"\mathbf{A}" in (st[5][0].counterexample or {}), st[5][0]
    for line in (9, 13, 17):  # wrong (9) and right (13, 17) in plain letters: neither proved nor refuted
        assert st[line][0].status == UNKNOWN and st[line][0].method == "type", line
    assert "A is a matrix (line 2)" in st[9][0].message
    assert st[21][0].status == PROVED  # the scalars of the note are still decided


def test_a_symbol_only_inside_a_function_argument_does_not_stop_the_step():
    rep = _check("$$\n\\Pr(\\mathbf{y} \\mid \\mathbf{x}) \\cdot 2 = 2 \\Pr(\\mathbf{y} \\mid \\mathbf{x})\n$$\n")
    assert [s.status for s in rep.steps] == [PROVED]


def test_a_random_variable_is_not_a_real_number():
    # with the probability reading a stated law makes X a random variable: an identity that holds for every
    # value is proved, a wrong one is never accepted; without a reading it would stay unknown (never refuted)
    rep = _check("Let $X \\sim \\mathcal{N}(0, 1)$.\n\n$$\n(X + 1)^2 = X^2 + 2X + 1\n$$\n")
    assert [s.status for s in rep.steps] in ([PROVED], [UNKNOWN])
    rep = _check("Let $X \\sim \\mathcal{N}(0, 1)$.\n\n$$\n(X + 1)^2 = X^2 + 1\n$$\n")
    assert [s.status for s in rep.steps] in ([REFUTED], [UNKNOWN])


# -- structure: headings and examples come from the Markdown parser ----------------------------------

def test_a_heading_inside_a_code_block_does_not_end_a_section():
    text = "# A\n\n$$\nf(x) = x^2\n$$\n\n```\n# not a heading\n```\n\n$$\nf(2) = 4\n$$\n"
    rep = _check(text)
    assert _at(rep, 12) == [(PROVED, "claim")]


def test_tex_sections_scope_definitions():
    text = ("\\section{One}\n\\[ f(x) = x^2 \\]\n\\[ f(2) = 4 \\]\n\\section{Two}\n\\[ f(x) = x + 1 \\]\n"
            "\\[ f(2) = 3 \\]\n")
    rep = check_text(text, "n.tex", budget=BUDGET)
    assert [(s.status, s.kind) for s in rep.all_steps] == [
        (NOTED, "definition"), (PROVED, "claim"), (NOTED, "definition"), (PROVED, "claim")]
