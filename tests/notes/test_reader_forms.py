"""Reading rules for forms real notes write: a primed name used as a variable (the posterior's a'), a
horizon T (a sum's upper limit, a power), a bracket with its power after d/dx, a limit in T, the
derivative with respect to a square.  Each rule: a right step is never refuted, a wrong one is."""
from __future__ import annotations

import pytest

from verifier.model.results import CHECKED, PROVED, REFUTED, UNKNOWN
from verifier.notes.check import check_text
from verifier.notes.reader import Reader
from verifier.notes.scan import ReadError


def _status(display: str, prose: str = "") -> str:
    text = f"# A note\n\n{prose}\n\n$$\n{display}\n$$\n"
    steps = [s for s in check_text(text, "note.md", budget=10.0).all_steps if s.kind == "claim"]
    assert steps, "no claim read"
    return steps[-1].status


def test_a_primed_name_used_bare_is_a_variable_and_a_bracket_after_it_multiplies():
    r = Reader()
    e = r.read(r"\frac{a' (a' + 1)}{(a' + b') (a' + b' + 1)}").expr
    assert "Derivative" not in str(e) and "Subs" not in str(e)
    assert "Derivative" in str(r.read(r"f'(x)").expr)  # alone, a prime and a bracket are a derivative


@pytest.mark.parametrize("rhs,expect", [(r"\frac{a' b'}{(a' + b')^2 (a' + b' + 1)}", PROVED),
                                        (r"\frac{a' b'}{(a' + b') (a' + b' + 1)}", REFUTED)])
def test_the_beta_variance_in_primed_parameters(rhs, expect):
    lhs = r"\frac{a' (a' + 1)}{(a' + b') (a' + b' + 1)} - \left(\frac{a'}{a' + b'}\right)^2"
    assert _status(f"{lhs} = {rhs}", "With $a' > 0$ and $b' > 0$:") in ((expect, CHECKED) if expect == PROVED else (expect,))


@pytest.mark.parametrize("upper,expect", [("T-1", (PROVED, CHECKED)), ("T", (REFUTED,))])
def test_a_horizon_T_is_a_number_in_a_note_without_vectors(upper, expect):
    step = rf"\sum_{{t=0}}^{{{upper}}} (1 - \eta a)^t = \frac{{1 - (1 - \eta a)^{{T}}}}{{\eta a}}"
    assert _status(step, "The displacement after $T$ steps, with $0 < \\eta a < 1$:") in expect


def test_T_stays_a_transpose_in_a_note_with_vectors():
    text = "# Least squares\n\n$$\n\\mathbf{w}^T \\mathbf{x} = \\sum_{t=1}^{T} w_t x_t\n$$\n\n$$\nA^{T} B = B A\n$$\n"
    assert all(s.status != PROVED for s in check_text(text, "n.md", budget=10.0).all_steps)


@pytest.mark.parametrize("rhs,expect", [(r"-2 a (1 - \eta a)", PROVED), (r"-2 (1 - \eta a)", REFUTED)])
def test_a_bracket_with_its_power_is_the_operand_of_d_by_dx(rhs, expect):
    assert _status(rf"\frac{{d}}{{d\eta}} (1 - \eta a)^2 = {rhs}") == expect


@pytest.mark.parametrize("rhs,expect", [(r"\frac{1}{\eta a}", (UNKNOWN, PROVED, CHECKED)),
                                        (r"\frac{1}{1 - \eta a}", (REFUTED, UNKNOWN))])
def test_a_limit_in_T_of_a_geometric_sum(rhs, expect):
    # where the series diverges the point is outside the domain: the right limit is never refuted
    got = _status(rf"\lim_{{T \to \infty}} \sum_{{t=0}}^{{T-1}} (1 - \eta a)^t = {rhs}")
    assert got in expect


def test_a_right_geometric_limit_is_never_refuted_where_it_diverges():
    assert _status(r"\lim_{T \to \infty} \sum_{t=0}^{T-1} q^t = \frac{1}{1 - q}") != REFUTED


@pytest.mark.parametrize("rhs,expect", [(r"\frac{1}{2 \sigma^2} - \frac{s^2}{2 \sigma^4}", PROVED),
                                        (r"\frac{1}{2 \sigma^2} - \frac{s^2}{\sigma^4}", REFUTED),
                                        (r"\frac{1}{\sigma} - \frac{s^2}{\sigma^3}", REFUTED)])  # d/d sigma
def test_the_derivative_with_respect_to_a_square(rhs, expect):
    step = rf"\frac{{\partial}}{{\partial \sigma^2}} \left(\frac{{1}}{{2}} \log \sigma^2 + \frac{{s^2}}{{2 \sigma^2}}\right) = {rhs}"
    assert _status(step, "For $\\sigma > 0$,") == expect


SOFT = r"""# Soft thresholding

For $\lambda > 0$ we define

$$
S_\lambda(z) = \begin{cases} z - \lambda, & z > \lambda \\ 0, & |z| \le \lambda \\ z + \lambda, & z < -\lambda \end{cases}
$$

A shortcut that is only correct for $z \ge 0$ is

$$
S_\lambda(z) = %s
$$
"""


@pytest.mark.parametrize("rhs,expect", [(r"\operatorname{sign}(z) \max(|z| - \lambda, 0)", (PROVED, CHECKED)),
                                        (r"z - \max(-\lambda, \min(z, \lambda))", (PROVED, CHECKED)),
                                        (r"\max(z - \lambda, 0)", (REFUTED,))])
def test_a_definition_by_cases_with_commas_and_the_sign_function(rhs, expect):
    # "only correct for z >= 0" states a case, not an assumption for the note: the shortcut is refuted
    steps = [s for s in check_text(SOFT % rhs, "n.md", budget=10.0).all_steps if s.kind == "claim"]
    assert steps[-1].status in expect, steps[-1].message


@pytest.mark.parametrize("tex", [r"g^{-1}(y)", r"\sigma^{-1}(p)", r"f^{-1}\left(f(x)\right)"])
def test_the_inverse_of_a_function_is_refused_never_read_as_the_reciprocal(tex):
    with pytest.raises(ReadError, match="inverse function"):
        Reader().read(tex)


def test_an_inverse_function_step_is_never_refuted_and_reciprocals_and_products_are_read():
    assert _status(r"f^{-1}(f(x)) = x") not in (REFUTED, PROVED, CHECKED)  # the inverse undoes f: not a reciprocal
    r = Reader()
    assert str(r.read(r"f(x)^{-1}").expr) == "1/f(x)" and str(r.read(r"a^{-1}(b+c)").expr) == "(b + c)/a"
    assert str(r.read(r"\sin^{-1}(x)").expr) == "asin(x)"
    assert _status(r"\frac{1}{f(x)} = f(x)^{-1}") == PROVED


def test_an_indicator_of_an_event_is_refused_and_a_probability_of_one_is_still_read():
    with pytest.raises(ReadError, match="an event as the argument"):
        Reader().read(r"\mathbb{I}(y = 1)")  # read as bbI(1), the step below would be refuted
    text = "# A note\n\n$$\n\\mathbb{I}(y = 1) + \\mathbb{I}(y = 0) = 1\n$$\n"
    (step,) = check_text(text, "note.md", budget=10.0).all_steps
    assert step.status not in (REFUTED, PROVED, CHECKED) and "an event as the argument" in step.message
    assert str(Reader().read(r"P(Y = 1)").expr) == "P(1)"
    assert _status(r"P(Y = 1) + P(Y = 0) = 1", r"Let $Y \in \{0, 1\}$ be a coin.") != REFUTED


def test_e_notation_with_a_decimal_or_one_is_a_power_of_ten_and_with_another_integer_is_refused():
    r = Reader()
    assert r.read("2.5e-3").expr == r.read(r"2.5 \times 10^{-3}").expr and r.read("1e-4").expr == r.read("0.0001").expr
    assert _status("2.5e-3 = 0.0025") == PROVED  # it was read as 2.5 e - 3 and refuted
    assert _status("2.5e-3 = 0.025") == REFUTED
    with pytest.raises(ReadError, match="Euler's number"):
        r.read("2e-1")  # 2 \times 10^{-1}, or 2e - 1?
    assert str(r.read("2e^{x}").expr) == "2*exp(x)"


def test_pi_beside_its_complement_is_a_probability_not_the_constant():
    from verifier.notes.letters import pi_is_a_variable

    assert pi_is_a_variable(r"\mathrm{Var}(X) = \pi(1 - \pi)") and pi_is_a_variable(r"\pi^{x}(1 - \pi)^{1 - x}")
    assert not pi_is_a_variable(r"1 - \pi/4") and not pi_is_a_variable(r"\pi(1 - \pi) + \sqrt{2\pi}")
    prose = r"The success probability is $\pi$, and $\pi^2 + \pi(1 - \pi) = \pi$."
    assert _status(r"\pi (1 - \pi) = \pi - \pi^2", prose) == PROVED
    assert _status(r"\pi(1 - \pi) + \pi^2 = 2\pi", prose) != PROVED  # (2\pi: the constant after all)


def test_an_upright_d_in_an_old_style_group_is_the_differential():
    r = Reader()
    same = r.read(r"\frac{d(-x \log x)}{dx}").expr
    assert r.read(r"\dfrac{{\rm d}(-x \log x)}{{\rm d} x}").expr == same  # it was read as a ratio: d cancelled
    assert r.read(r"\frac{\textrm{d}(-x \log x)}{\textrm{d}x}").expr == same
    assert _status(r"\dfrac{{\rm d}(x^2)}{{\rm d} x} = 2x") == PROVED
    assert _status(r"\dfrac{{\rm d}(x^2)}{{\rm d} x} = x") == REFUTED


def test_a_line_break_between_the_arguments_of_a_derivative_is_white_space():
    r = Reader()
    assert r.read("\\frac{d(x^2)}\n{dx}").expr == r.read(r"\frac{d(x^2)}{dx}").expr
    assert _status("\\dfrac{{\\rm d}(x^2)}\n{{\\rm d} x} = 2x") == PROVED
    assert _status("\\dfrac{{\\rm d}(x^2)}\n{{\\rm d} x} = x") == REFUTED


COMBINATIONS = """# 组合数

从 $n$ 个元素中选出 $k$ 个的组合数记为 $C_n^k$，排列数记为 $A_n^k$。

$$
C_5^2 = 10
$$

$$
C_n^2 = \\frac{n(n-1)}{2}
$$

$$
C_n^2 = \\frac{n(n+1)}{2}
$$

$$
A_5^2 = 20
$$
"""


def test_combinations_in_a_chinese_note_are_binomial_coefficients():
    st = {s.line: s for s in check_text(COMBINATIONS, "zh.md", budget=10.0).all_steps}
    assert [st[k].status for k in (6, 10, 18)] == [PROVED] * 3, [st[k].message for k in (6, 10, 18)]
    s = st[14]
    assert s.status == REFUTED
    n = int(s.counterexample["n"])
    assert n * (n - 1) // 2 != n * (n + 1) // 2
    # a Chinese note that never speaks of combinations: C_n^2 may be a power of C_n, so it is not read
    other = COMBINATIONS.replace("# 组合数", "# 记号").split("\n", 3)
    other = "\n".join(other[:2] + ["这里的记号如下。"] + [other[3].split("\n", 1)[1]])
    assert {s.status for s in check_text(other, "zh.md", budget=10.0).all_steps} == {"unparsed"}
    # elsewhere C_n^2 is the square of C_n: read as before
    assert str(Reader().read("C_n^2").expr) == "C_n**2"
