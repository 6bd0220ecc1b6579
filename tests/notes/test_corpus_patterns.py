"""Patterns of real notes that were refuted although the author was right (issue 11), each as a short
note written like a textbook chapter (tests/fixtures/patterns/): the right step is never refuted, a
wrong variant next to it is refuted or unknown, and the reason is shown."""
from __future__ import annotations

from pathlib import Path

import pytest

from verifier.notes.caveats import letter_runs, stated_constraints
from verifier.notes.chains import strip_label
from verifier.notes.check import check_text

PATTERNS = Path(__file__).resolve().parent.parent / "fixtures" / "patterns"


def _steps(name: str) -> dict[tuple[int, int], object]:
    rep = check_text((PATTERNS / name).read_text(encoding="utf-8"), name)
    return {(s.line, s.index): s for b in rep.blocks for s in b.steps}


@pytest.fixture(scope="module")
def confusion():
    return _steps("confusion_counts.md")


@pytest.fixture(scope="module")
def hypotheses():
    return _steps("labelled_hypotheses.md")


@pytest.fixture(scope="module")
def named():
    return _steps("named_results.md")


@pytest.fixture(scope="module")
def component():
    return _steps("component_function.md")


@pytest.fixture(scope="module")
def shares():
    return _steps("shares_and_values.md")


@pytest.fixture(scope="module")
def class_shares():
    return _steps("class_shares.md")


def _never_refuted(steps, keys):
    for k in keys:
        assert steps[k].status != "refuted", (k, steps[k].message)


# -- names of several capitals (TP, FN, F1) read as products of letters -----------------------------------
def test_letter_runs_found_outside_upright_text():
    assert letter_runs(r"\frac{2TP}{2TP+FP+FN} + F1") == ["TP", "TP", "FP", "FN", "F1"]
    assert letter_runs(r"\mathrm{TP} + \text{FN} + \Sigma + x_{AB} + 2 A") == []


def test_acronyms_of_a_confusion_table_are_never_refuted(confusion):
    # F1 = 2PR/(P+R) and the substitution of P = TP/(TP+FP), R = TP/(TP+FN): right, and read with doubt
    for key in ((12, 0), (12, 1)):
        s = confusion[key]
        assert s.status == "unknown" and "product of letters" in s.message, (key, s.message)
        assert s.reading  # the reading is shown beside the unknown
    # the algebra between the counts is still decided
    assert confusion[(13, 2)].status == "proved"
    assert confusion[(18, 0)].status == "proved"


def test_arithmetic_next_to_the_acronyms_is_still_decided(confusion):
    assert confusion[(22, 0)].status == "proved"
    assert confusion[(26, 0)].status == "refuted"  # 6/9 written as 6/8


# -- a label before a colon; an inequality between bare names states a condition ------------------------
def test_label_before_a_colon_is_not_a_ratio():
    assert strip_label(r"H_0: p \le p_0") == (r"p \le p_0", "H_0:")
    assert strip_label(r"\varphi: X > C") == ("X > C", r"\varphi:")
    assert strip_label(r"a := b") == (r"a := b", "")
    assert strip_label(r"\frac{a}{b}") == (r"\frac{a}{b}", "")


def test_hypotheses_and_constraints_are_conditions(hypotheses):
    for key in ((9, 0), (10, 1), (20, 0), (20, 1)):
        s = hypotheses[key]
        assert s.status == "unknown" and "condition" in s.message, (key, s.message)
    assert hypotheses[(9, 0)].lhs == "p"  # the label H_0 is not part of the expression


def test_wrong_steps_near_conditions_are_refuted(hypotheses):
    assert hypotheses[(25, 0)].status == "refuted"  # 3 <= 2, between constants
    assert hypotheses[(29, 0)].status == "refuted"  # (a+b)^2 = a^2 + b^2 under a label


# -- a new name on the right of = names the result --------------------------------------------------------
def test_a_named_result_is_a_definition_used_later(named):
    assert named[(10, 0)].status == "proved"
    s = named[(11, 1)]
    assert s.kind == "definition" and s.status == "noted", s.message
    assert named[(17, 0)].status == "proved"  # uses delta_o as defined by the chain
    assert named[(21, 0)].kind == "definition"  # 1/(k+2) = beta
    assert named[(23, 0)].status == "proved"
    assert named[(27, 0)].status == "refuted"  # beta (k+1) = 1 is wrong with beta = 1/(k+2)


def test_a_used_name_on_the_right_stays_a_claim():
    note = ("# Sums\n\nLet $s = a + b$.\n\n$$\n(a+b)^2 = s\n$$\n\nand\n\n$$\n(a+b) \\cdot 1 = s\n$$\n")
    rep = check_text(note, "n.md")
    st = {s.line: s for b in rep.blocks for s in b.steps}
    assert st[6].status == "refuted" and st[6].kind == "claim"
    assert st[12].status == "proved"


# -- a function defined on a vector, then on a component --------------------------------------------------
def test_function_of_a_component_is_a_new_definition(component):
    for key in ((17, 0), (46, 0)):  # h(u_k) after h(\boldsymbol{u}); r(w^{j}) after r(\boldsymbol{w})
        s = component[key]
        assert s.kind == "definition" and s.status == "noted", (key, s.message)
        assert "component" in s.message
    assert component[(23, 0)].status == "proved"  # uses the definition of the component
    assert component[(29, 0)].status == "refuted"  # a sign slip


# -- constraints the note states on entries; substitutions of unstated relations; values in the prose ------
def test_stated_constraints_are_found():
    found = stated_constraints("with $0 \\le p_k \\le 1,\\sum_{k=1}^{n}p_k=1$ and $q_1 + q_2 + q_3 = 1$")
    assert set(found) == {"p", "q"} and found["p"][1] == 1


def test_entries_of_a_constrained_vector_are_not_refuted(class_shares):
    assert class_shares[(17, 0)].status == "proved"
    for key in ((18, 1), (18, 2)):
        s = class_shares[key]
        assert s.status == "unknown" and "constrains" in s.message, (key, s.message)
    assert class_shares[(24, 0)].status in ("refuted", "unknown")  # the cross terms dropped


def test_constraint_respected_by_the_sampling_still_refutes(shares):
    # sum_{k=1}^{3} p_k = 1 is sampled: the right steps agree and the wrong one is refuted
    assert shares[(13, 1)].status in ("proved", "checked")
    assert shares[(13, 2)].status in ("proved", "checked")
    assert shares[(19, 0)].status == "refuted"


def test_a_substituted_relation_is_unknown_and_the_algebra_after_it_decided(shares):
    s = shares[(27, 0)]
    assert s.status == "unknown" and "substitutes a relation" in s.message
    assert shares[(27, 1)].status == "proved"


def test_values_the_prose_gives_are_put_in_where_the_step_puts_in_numbers(shares):
    s = shares[(36, 0)]
    assert s.status == "proved", s.message
    assert [u["assumption"] for u in s.uses if "prose" in u.get("from", "")] == ["c_a=6", "c_b=2"]
    assert shares[(42, 0)].status == "refuted"  # 6/(6+2) written as 6/9


def test_values_of_another_section_or_two_values_are_not_put_in(shares):
    # the previous section's counts do not reach into this one: the names stay free
    assert shares[(50, 0)].status in ("unknown", "refuted") and not any(
        "prose" in u.get("from", "") for u in shares[(50, 0)].uses)
    # c_a was given two values in this section: ambiguous, the step is not read with either
    s = shares[(57, 0)]
    assert s.status == "unknown" and "values the prose gives" in s.message, s.message


def test_a_wrong_step_that_only_renames_is_still_refuted():
    # a name dropped but nothing new brought in: no substitution, the error is refuted
    note = "$$\n(x+1)^2 = x^2 + 1\n$$\n\n$$\n\\frac{a+b}{a} = 1 + a\n$$\n"
    rep = check_text(note, "n.md")
    assert [s.status for b in rep.blocks for s in b.steps] == ["refuted", "refuted"]


SOLVED = r"""# A constrained maximum

Take three shares with $q_1 + q_2 + q_3 = 1$ and the objective

$$
J = -q_1 \log q_1 - q_2 \log q_2 - q_3 \log q_3
$$

Its partial derivatives are all alike, so the three shares are equal, and the constraint fixes them:

$$
q_1 = q_2 = q_3 = \frac{1}{3}
$$

With these values the objective is

$$
-3 \cdot \frac{1}{3} \log \frac{1}{3} = \log 3
$$

and a slip in the arithmetic is still an error:

$$
-3 \cdot \frac{1}{3} \log \frac{1}{3} = \log 9
$$

as is a wrong identity in two other numbers $a$ and $b$:

$$
(a + b)^2 = a^2 + b^2
$$
"""


def test_values_stated_for_free_names_are_a_solution_never_refuted():
    rep = check_text(SOLVED, "solved.md", budget=10)
    by_line: dict[int, list] = {}
    for s in rep.all_steps:
        by_line.setdefault(s.line, []).append(s)
    values = by_line[12]
    assert len(values) == 3 and all(s.status != "refuted" for s in values), [(s.status, s.message) for s in values]
    assert any("states their values" in s.message for s in values), [(s.status, s.message) for s in values]
    assert [s.status for s in by_line[18]] == ["proved"]
    assert [s.status for s in by_line[24]] == ["refuted"]  # between constants it is decided
    assert [s.status for s in by_line[30]] == ["refuted"]  # not bare names: an identity, and a wrong one


VALUES = """# A worked example

The variance of the noise is known:

$$
\\sigma^2 = 4
$$

so its standard deviation is $2$. Solving for the weight,

$$
3w = 6
$$

The identities of this section still hold, and a slip in one is still caught:

$$
(x + 1)^2 - x^2 - 2x = 1
$$

$$
(x + 1)^2 - x^2 - 2x = 2
$$

With $s = 3$ the square is decided between numbers:

$$
s^2 = 8
$$
"""


def test_a_power_of_one_name_set_to_a_number_is_a_value_never_refuted():
    st = {s.line: s for s in check_text(VALUES, "values.md", budget=10).all_steps}
    assert st[6].status == "unknown" and "states the name's value" in st[6].message, st[6].message
    assert st[12].status in ("unknown", "noted"), st[12].message  # (after "solving": an equation to solve)
    assert st[18].status == "proved" and st[22].status == "refuted"
    assert st[28].status == "refuted"  # s is defined: 9 = 8 is decided


# -- a function whose subscript is an expression (A_{n-1}(a)): its name is no Python name --------------------
def test_function_with_an_expression_subscript_is_decided_without_internal_error():
    steps = _steps("running_average.md")
    right = steps[(10, 1)]
    assert right.status in ("proved", "checked"), right.message
    wrong = steps[(15, 0)]
    assert wrong.status in ("refuted", "unknown"), wrong.message
    assert "internal error" not in wrong.message and "internal error" not in right.message


# -- labels made of signs: cost_{+-}, \hat{m}_{+} (the positive / negative class) ----------------------------
def test_sign_subscripts_are_labels_read_as_names():
    steps = _steps("sign_labels.md")
    assert steps[(9, 0)].status in ("proved", "checked"), steps[(9, 0)].message
    assert steps[(15, 0)].status in ("refuted", "unknown")  # one weight swapped
    assert steps[(23, 0)].status in ("proved", "checked"), steps[(23, 0)].message
    assert steps[(29, 0)].status in ("proved", "checked")
    assert steps[(33, 0)].status in ("refuted", "unknown")  # m_+ and m_- are two names, not one
    assert "plusminus" in steps[(9, 0)].reading


def test_a_call_on_a_sign_is_read_and_never_refuted():
    text = ("# Cost\n\nWith $p$ the share of positives,\n\n$$\nP(+)cost = \\frac{p}{p + (1-p)}\n$$\n\n"
            "$$\nP(-) cost = 1 - P(+) cost\n$$\n")
    rep = check_text(text, "n.md")
    assert not [u for b in rep.blocks for u in b.unread]
    assert all(s.status != "refuted" for s in rep.all_steps)


# -- a capital sigma with an index range written for a sum ------------------------------------------------
def test_capital_sigma_with_a_range_is_a_sum():
    steps = _steps("capital_sigma_sums.md")
    assert steps[(9, 0)].status in ("proved", "checked"), steps[(9, 0)].message
    assert steps[(15, 0)].status in ("proved", "checked"), steps[(15, 0)].message
    assert steps[(21, 0)].status in ("refuted", "unknown")  # the weights dropped from the numerator


def test_a_capital_sigma_without_a_range_stays_a_name():
    rep = check_text("# C\n\n$$\n\\Sigma_{i} + \\Sigma_{i} = 2 \\Sigma_{i}\n$$\n", "n.md")
    s = rep.all_steps[0]
    assert "\\sum" not in s.reading and s.status != "refuted"


# -- an evaluation bar right after a call: g(x)\vert_{x=0} is g(0) -------------------------------------------
def test_a_bar_after_a_call_evaluates_the_call():
    steps = _steps("evaluation_bars.md")
    assert steps[(14, 0)].status in ("proved", "checked"), steps[(14, 0)].message
    assert "h(0)" in steps[(14, 0)].reading
    assert steps[(20, 0)].status in ("refuted", "unknown")  # the factor one half forgotten


def test_a_bar_after_an_operator_on_a_call_is_still_refused():
    rep = check_text("# D\n\n$$\n\\frac{d}{dx} g(x)\\Big|_{x=0} = 2 - 2\n$$\n", "n.md")
    assert [s.status for s in rep.all_steps] == ["unparsed"]
    assert "evaluation bar" in rep.all_steps[0].message


# -- a second derivative whose denominator is written {dx}^2 or (dx)^2 ------------------------------------
def test_grouped_differentials_of_a_second_derivative():
    text = ("# Curvature\n\nLet $c > 0$ and $g(u) = \\frac{c}{2} u^2 + 3u$ for a real $u$; a dimension $d$ "
            "does not enter.\n\n$$\ng(u) = \\frac{c}{2} u^2 + 3 u\n$$\n\n"
            "$$\n\\frac{d^2 g(u)}{{d u}^2} = c\n$$\n\n$$\n\\frac{d^2 g(u)}{(d u)^2} = c\n$$\n\n"
            "$$\n\\frac{d^2 g(u)}{{d u}^2} = 2 c\n$$\n")
    rep = check_text(text, "n.md")
    by = {s.line: s for s in rep.all_steps}
    assert by[10].status == "proved" and by[14].status == "proved", (by[10].message, by[14].message)
    assert by[18].status in ("refuted", "unknown")


def test_a_derivative_left_unrecognised_is_never_read_with_a_letter_d():
    # the variable of the derivative carries a sample superscript: the derivative is not read, and the
    # product with a letter d that remains is no reading of the step
    text = ("# Curvature\n\nThe dimension is $d$ and the constant is $c > 0$.\n\n$$\ng(u) = \\frac{c}{2} u^2\n$$\n\n"
            "$$\n\\frac{d^2 g\\left(x^{i}\\right)}{{d x^{i}}^2} = c\n$$\n")
    rep = check_text(text, "n.md")
    s = rep.all_steps[-1]
    assert s.status == "unknown" and "the d of a derivative" in s.message, s.message


@pytest.mark.parametrize("written", [r"(d)/(dz) \tanh z", r"d/dz \tanh z", r"\left(\left(d\right)/\left(dz\right)\right) \tanh z"])
def test_a_derivative_written_with_a_slash_is_never_read_as_a_quotient_by_a_name_dz(written):
    # d/dz tanh z > 0 holds; read as d tanh(z) / dz, a quotient of letters, it "fails" at d = -1
    text = f"# Slope\n\nThe hyperbolic tangent is increasing:\n\n$$\n{written} > 0\n$$\n"
    s = check_text(text, "n.md").all_steps[-1]
    assert s.status != "refuted", (s.message, s.reading)


# -- a function defined at an index letter (M_n(a)) used at a shifted index (M_{n-1}(a)) ----------------------
def test_a_definition_at_an_index_holds_at_a_shifted_index():
    steps = _steps("running_average.md")
    s = steps[(24, 2)]
    assert s.status in ("proved", "checked"), s.message
    assert "M_{n-1}" in s.lhs + s.rhs
    assert steps[(30, 0)].status in ("refuted", "unknown"), steps[(30, 0)].message  # n for n-1


def test_a_recurrence_is_not_unrolled_at_a_shifted_index():
    steps = _steps("running_average.md")
    assert steps[(10, 1)].status in ("proved", "checked")
    assert "read as the definition" not in steps[(15, 0)].message


# -- a name typeset in pieces: G_{+}\text{Score} is one name, not a product ----------------------------------
def test_a_name_typeset_in_pieces_is_never_refuted():
    steps = _steps("names_in_pieces.md")
    head = steps[(9, 0)]
    assert head.status != "refuted" and "written right after a name" in head.message, head.message
    assert steps[(10, 1)].status in ("proved", "checked"), steps[(10, 1)].message
    assert steps[(16, 0)].status in ("refuted", "unknown")  # log a - log b is not log a log b


# -- absolute values inside max / min are bars that pair up, not a condition -------------------------------
def test_absolute_values_inside_a_max_are_read():
    text = ("# Clipping\n\nFor a real $z$ and $t > 0$:\n\n$$\n\\max(|z| - t, 0) = \\max(|z|, t) - t\n$$\n\n"
            "$$\n\\max(|z| - t, 0) = |z| - t\n$$\n")
    rep = check_text(text, "n.md")
    by = {s.line: s for s in rep.all_steps}
    assert by[6].status in ("proved", "checked"), by[6].message
    assert by[10].status in ("refuted", "unknown")  # fails where |z| < t
    rep = check_text("# C\n\n$$\n\\max(a \\mid b) = a\n$$\n", "n.md")
    assert [s.status for s in rep.all_steps] == ["unparsed"]


# -- a derivative of a function the note never defines, at an indexed point (f'(x_k)) -----------------------
def test_a_derivative_of_an_undefined_function_is_no_internal_error():
    text = ("# Newton\n\nLet $f'(x_k) \\neq 0$.\n\n$$\nx_k - \\frac{f(x_k)}{f'(x_k)} + \\frac{f(x_k)}{f'(x_k)} = x_k\n$$\n\n"
            "$$\nx_k - \\frac{f(x_k)}{f'(x_k)} = x_k\n$$\n")
    rep = check_text(text, "n.md")
    assert all("internal error" not in s.message for s in rep.all_steps), [s.message for s in rep.all_steps]
    by = {s.line: s for s in rep.all_steps}
    assert by[6].status != "refuted" and by[10].status in ("refuted", "unknown")


def test_a_wrong_derivative_written_with_a_slash_is_never_accepted():
    text = "# Slope\n\nThe hyperbolic tangent is increasing:\n\n$$\nd/dz \\tanh z < 0\n$$\n"
    s = check_text(text, "n.md").all_steps[-1]
    assert s.status in ("refuted", "unknown", "unparsed"), (s.status, s.message)
    right = "# Slope\n\n$$\nd/dz \\tanh z = 1 - \\tanh^2 z\n$$\n"  # the grammar read d / (dz tanh z)
    assert check_text(right, "n.md").all_steps[-1].status not in ("refuted", "proved", "checked")
