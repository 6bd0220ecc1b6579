"""The examples of issue 11's "Where it stands" (honest numbers, plain facts, optimisation
readings, crashes), each fed through `check_text` on a small note: wrong steps refuted (or
unknown), right ones and their meaning-preserving rewrites never refuted, no output lost."""
from __future__ import annotations

import pytest

from verifier.model.results import CHECKED, PROVED, REFUTED, UNKNOWN, UNPARSED
from verifier.notes import batches as batches_module
from verifier.notes import check as check_module
from verifier.notes.batches import check_paths
from verifier.notes.check import check_text
from verifier.notes.objectives import objective_constraints, variable_constraint
from verifier.notes.reader import Reader
from verifier.notes.scan import exact_decimals

ACCEPTED = (PROVED, CHECKED)


def _steps(body: str, prose: str = "Some text.") -> list:
    report = check_text(f"{prose}\n\n$$\n{body}\n$$\n", "note.md")
    return report.steps


def _one(body: str, prose: str = "Some text."):
    steps = _steps(body, prose)
    assert len(steps) == 1, [(s.lhs, s.rhs, s.status) for s in steps]
    return steps[0]


# -- sums whose lower limit is 0 -------------------------------------------------------------------
@pytest.mark.parametrize("body", [
    r"\sum_{k=0}^{2} k = 3",
    r"\sum_{x=0}^{1} x\,p^x(1-p)^{1-x} = p",
    r"\sum_{k=0}^{n} k = \frac{n(n+1)}{2}",
    r"\sum_{k=0}^{n-1} a_{k+1} = \sum_{k=1}^{n} a_k",
    # rewrites: another index letter, another lower limit, commuted factors
    r"\sum_{j=0}^{2} j = 3",
    r"\sum_{k=1}^{2} k = 3",
    r"\sum_{x=0}^{1} p^x (1-p)^{1-x} x = p",
    r"\sum_{i=1}^{n} a_{i} = \sum_{k=0}^{n-1} a_{k+1}",
])
def test_sums_from_zero_are_proved(body):
    s = _one(body)
    assert s.status == PROVED, s.message


@pytest.mark.parametrize("body", [
    r"\sum_{k=0}^{2} k = 2",
    r"\sum_{x=0}^{1} x\,p^x(1-p)^{1-x} = 1 - p",
    r"\sum_{k=0}^{n} k = \frac{n(n-1)}{2}",
    r"\sum_{k=0}^{n-1} a_{k} = \sum_{k=1}^{n} a_k",
])
def test_wrong_sums_from_zero_are_refuted(body):
    s = _one(body)
    assert s.status == REFUTED, s.message


def test_a_swapped_triangular_double_sum_is_accepted_and_the_wrong_swap_refuted():
    right = _one(r"\sum_{i=1}^{n}\sum_{j=1}^{i} a_{ij} = \sum_{j=1}^{n}\sum_{i=j}^{n} a_{ij}")
    assert right.status in ACCEPTED, right.message
    wrong = _one(r"\sum_{i=1}^{n}\sum_{j=1}^{i} a_{ij} = \sum_{j=1}^{n}\sum_{i=1}^{j} a_{ij}")
    assert wrong.status == REFUTED, wrong.message


# -- constants --------------------------------------------------------------------------------------
@pytest.mark.parametrize("body", [
    r"1 + 10^{-20} = 1",
    r"\frac{1}{3} = 0.333333333333333333",
    r"e^{\pi\sqrt{163}} = 640320^3+744",
    r"2^{64} = 18446744073709551617",
    r"20! = 2432902008176640001",
    r"0.1 \times 3 = 0.30000000000000004",
    r"\pi = 3.14159265358979323846",
])
def test_wrong_constant_steps_are_refuted_never_by_agreement_at_points(body):
    s = _one(body)
    assert s.status == REFUTED, s.message
    assert "points" not in s.message


@pytest.mark.parametrize("body", [
    r"2^{64} = 18446744073709551616",
    r"20! = 2432902008176640000",
    r"0.1 \times 3 = 0.3",
    r"\frac{1}{4} = 0.25",
    r"0.25 = \dfrac{1}{4}",
    r"3 \cdot 0.1 = \frac{3}{10}",
    r"\sqrt{2}\sqrt{3} = \sqrt{6}",
    r"\int_0^{-1} x\,dx = \frac{1}{2}",
])
def test_right_constant_steps_are_proved(body):
    s = _one(body)
    assert s.status == PROVED, s.message


def test_a_decimal_written_for_an_exact_value_gets_the_difference_and_the_hint():
    s = _one(r"\frac{1}{3} = 0.333333333333333333")
    assert "1/3000000000000000000" in s.message and "\\approx" in s.message
    s = _one(r"\frac{x}{3} = 0.333333333333333333 x")
    assert s.status == REFUTED and "\\approx" in s.message


def test_an_approximation_written_with_approx_is_not_refuted():
    report = check_text("Numbers.\n\n$$\n\\frac{1}{3} \\approx 0.333333333333333333\n$$\n", "note.md")
    assert not [s for s in report.steps if s.status == REFUTED]


def test_the_wrong_integral_with_reversed_limits_is_refuted_and_does_not_crash():
    s = _one(r"\int_0^{-1} x\,dx = -\frac{1}{2}")
    assert s.status == REFUTED


def test_written_decimals_are_read_as_exact_decimals():
    assert exact_decimals(r"0.1 \times 3") == r"\frac{1}{10} \times 3"
    assert exact_decimals(r"x^0.5") == r"x^{\frac{5}{10}}"
    assert exact_decimals(r"x_{0.5} + x_1.5") == r"x_{0.5} + x_1.5"  # names stay as written


# -- checked needs confirmation -------------------------------------------------------------------
def test_a_perturbation_below_the_working_precision_is_not_checked():
    for body in (r"x + 10^{-20} = x", r"x \cdot (1 + 10^{-25}) = x", r"x + 10^{-25} \le x"):
        s = _one(body)
        assert s.status not in ACCEPTED, (body, s.message)


def test_a_checked_step_says_where_it_was_confirmed():
    s = _one(r"\log(1 + x^2) \le x^2")  # true for every real x; no symbolic proof is found
    assert s.status == CHECKED, s.message
    assert "confirmed at 60 digits" in s.message
    s = _one(r"(x+1)^2 = x^2 + 2x + 1")  # proved by its normal form, before any point is sampled
    assert s.status == PROVED and s.method == "normal form", s.message


# -- optimisation readings --------------------------------------------------------------------------
def test_argmin_subscript_reads_variables_and_constraints():
    assert variable_constraint("c>0") == ("c", "c > 0")
    assert variable_constraint(r"t \in [0, 1]") == ("t", r"t \in (0,1)")
    assert variable_constraint(r"w \in \mathbb{R}^d") == ("w", None)
    assert objective_constraints(r"\underset{a,\, c>0}{\arg\min}\; (a-1)^2") == ["c > 0"]
    p = Reader().read(r"\underset{a,\, c>0}{\arg\min}\; (a-1)^2 + c")
    assert p.sense == "min" and p.over == ("a", "c")


def test_dropping_a_term_of_a_constrained_argmin_variable_is_refuted():
    report = check_text("Fit.\n\n$$\n\\underset{a,\\, c>0}{\\arg\\min}\\; (a-1)^2 + \\log c + \\frac{1}{c}"
                        " = \\underset{a,\\, c>0}{\\arg\\min}\\; (a-1)^2\n$$\n", "note.md")
    (s,) = report.steps
    assert s.status == REFUTED, s.message
    assert any("c > 0" in v for v in report.assumptions.values())
    # the right step: a constant added, the constraint kept
    s = _one(r"\underset{a,\, c>0}{\arg\min}\; (a-1)^2 + \log c + \frac{1}{c} = "
             r"\underset{a,\, c>0}{\arg\min}\; (a-1)^2 + \log c + \frac{1}{c} + 7")
    assert s.status == PROVED, s.message


def test_scaling_by_two_sigma_squared_is_not_proved_when_sigma_is_optimised():
    s = _one(r"\underset{\mu,\, \sigma > 0}{\arg\min}\; n\log\sigma + \frac{(x-\mu)^2}{2\sigma^2} = "
             r"\underset{\mu,\, \sigma > 0}{\arg\min}\; 2n\sigma^2\log\sigma + (x-\mu)^2")
    assert s.status not in ACCEPTED, s.message
    s = _one(r"\underset{\mu}{\arg\min}\; n\log\sigma + \frac{(x-\mu)^2}{2\sigma^2} = "
             r"\underset{\mu}{\arg\min}\; (x-\mu)^2")
    assert s.status == PROVED, s.message


@pytest.mark.parametrize("body", [
    r"\underset{t \in [0, 1]}{\arg\max}\; t(1-t) = \underset{t \in [0, 1]}{\arg\max}\; -t(1-t)",
    r"\underset{t \in [-1, 1]}{\arg\max}\; t = \underset{t \in [-1, 1]}{\arg\max}\; t^2",
    r"\arg\max_{t \in [-1, 1]} t = \arg\max_{t \in [-1, 1]} t^2",
])
def test_negation_or_a_square_inside_an_argmax_over_an_interval_is_never_checked(body):
    s = _one(body)
    assert s.status in (REFUTED, UNKNOWN, UNPARSED), s.message


@pytest.mark.parametrize("body", [
    r"\underset{t \in [0, 1]}{\arg\max}\; t(1-t) = \underset{t \in [0, 1]}{\arg\min}\; -t(1-t)",
    r"\underset{t \in [0, 1]}{\arg\max}\; t = \underset{t \in [0, 1]}{\arg\max}\; t^2",
    r"\arg\max_{0 \le t \le 1} t = \arg\max_{0 \le t \le 1} \log t",
])
def test_right_steps_inside_an_argmax_over_an_interval_are_not_refuted(body):
    s = _one(body)
    assert s.status in ACCEPTED, s.message


# -- bound variables ------------------------------------------------------------------------------
def test_a_value_from_the_prose_never_replaces_a_limit_variable():
    prose = "Let $f(x) = x^2$ and take $h = 1$ for the example."
    assert _one(r"\lim_{h \to 0} \frac{f(x+h)-f(x)}{h} = 2x", prose).status == PROVED
    assert _one(r"\lim_{h \to 0} \frac{f(x+h)-f(x)}{h} = 2x + 1", prose).status == REFUTED
    prose = r"We use $\epsilon = 10^{-7}$."
    assert _one(r"\lim_{\epsilon \to 0} \frac{(x+\epsilon)^3 - x^3}{\epsilon} = 3x^2", prose).status == PROVED
    assert _one(r"\lim_{\epsilon \to 0} \frac{(x+\epsilon)^3 - x^3}{\epsilon} = 3x", prose).status == REFUTED


# -- internal errors ------------------------------------------------------------------------------
def test_an_internal_error_in_one_chain_keeps_the_other_results(monkeypatch):
    real = check_module._Note.chain  # the checker of one chain of a note

    def flaky(self, chain, *args, **kwargs):
        if any("99" in seg.latex for seg, _ in chain):
            raise TypeError("boom")
        return real(self, chain, *args, **kwargs)

    monkeypatch.setattr(check_module._Note, "chain", flaky)
    text = "A.\n\n$$\n(x+1)^2 = x^2 + 2x + 1\n$$\n\nB.\n\n$$\nx + 99 = 99 + x\n$$\n\nC.\n\n$$\n2^{64} = 18446744073709551617\n$$\n"
    report = check_text(text, "note.md")
    statuses = [s.status for s in report.steps]
    assert statuses == [PROVED, UNKNOWN, REFUTED]
    assert report.steps[1].message.startswith("internal error") and "TypeError" in report.steps[1].message
    assert report.to_json()["summary"]["unknown"] == 1


def test_an_internal_error_in_one_note_keeps_the_other_notes(monkeypatch, tmp_path):
    real = batches_module.begin_reading

    def flaky(text, path, **kwargs):
        if "bad" in str(path):
            raise RecursionError("maximum recursion depth exceeded")
        return real(text, path, **kwargs)

    monkeypatch.setenv("VERIFY_NO_CACHE", "1")  # the same text stored earlier in the run would not be read again
    monkeypatch.setattr(batches_module, "begin_reading", flaky)
    (tmp_path / "a_bad.md").write_text("$$\n(x+1)^2 = x^2 + 2x + 1\n$$\n")
    (tmp_path / "b_good.md").write_text("$$\n(x+1)^2 = x^2 + 2x + 1\n$$\n")
    rep = check_paths([str(tmp_path)])
    by_path = {f.path.rsplit("/", 1)[-1]: f for f in rep.files}
    assert [s.status for s in by_path["a_bad.md"].steps] == [UNKNOWN]
    assert "internal error" in by_path["a_bad.md"].steps[0].message
    assert [s.status for s in by_path["b_good.md"].steps] == [PROVED]
    assert rep.to_json()["summary"]["proved"] == 1


def test_an_argmin_over_a_bracketed_pair_with_a_constraint():
    p = Reader().read(r"\arg\min_{(\mu, \sigma > 0)} n\log\sigma + \frac{(x-\mu)^2}{2\sigma^2}")
    assert p.sense == "min" and p.over == ("mu", "sigma")
    s = _one(r"\arg\min_{(\mu, \sigma > 0)} n\log\sigma + \frac{(x-\mu)^2}{2\sigma^2} = "
             r"\arg\min_{(\mu, \sigma > 0)} 2n\sigma^2\log\sigma + (x-\mu)^2")
    assert s.status not in ACCEPTED, s.message
