"""Property-based robustness of ``verify check``: hostile, broken and huge input.

Whatever the text (random LaTeX-ish strings, truncated or unbalanced notes, deep nesting,
huge numbers, Unicode, very long chains), checking it never raises, every step has a
status of the contract (``unparsed``/``unknown`` where it cannot decide), the JSON report
is well formed, and the run finishes within the per-step budget times the number of steps
(plus the reader's allowance).  The limits (file size, expression size/depth, total time)
answer with a clear message.

Budgets are small and the number of examples is bounded (``VERIFY_FUZZ_EXAMPLES``, default
12) so this runs in CI in well under a minute.
"""
from __future__ import annotations

import json
import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

check = pytest.importorskip("verifier.notes.check")
from verifier.cli import main  # noqa: E402
from verifier.model.results import CHECKED, PROVED, STATUSES, UNKNOWN, UNPARSED  # noqa: E402

BUDGET = 2.0  # seconds per step
PARSE_BUDGET = 4.0  # seconds to read one block (the command's default is larger; kept small for CI)
READ_ALLOWANCE = max(PARSE_BUDGET, BUDGET) + 10.0  # reading a block, forking workers
EXAMPLES = int(os.environ.get("VERIFY_FUZZ_EXAMPLES", "12"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


@pytest.fixture(autouse=True)
def _small_parse_budget(monkeypatch):
    if hasattr(check, "PARSE_BUDGET"):
        monkeypatch.setattr(check, "PARSE_BUDGET", PARSE_BUDGET)


def _check(text: str, path: str = "fuzz.md", **kw):
    """check_text under the time bound; returns the report (raises only on a defect)."""
    start = time.monotonic()
    report = check.check_text(text, path, budget=BUDGET, **kw)
    elapsed = time.monotonic() - start
    steps = report.steps
    for s in steps:
        assert s.status in STATUSES, s
        if s.status in (UNPARSED, UNKNOWN):
            assert s.message, f"a {s.status} step must say why: {s}"
    data = report.to_json()
    json.dumps(data, ensure_ascii=False)
    assert elapsed <= BUDGET * max(1, len(steps)) + READ_ALLOWANCE * max(1, len(report.blocks)), \
        (elapsed, len(steps), len(report.blocks))
    return report


# ----------------------------------------------------------------------------------------
# strategies
# ----------------------------------------------------------------------------------------
TOKENS = [r"\frac{", "}{", "}", "{", "(", ")", "[", "]", r"\left(", r"\right)", r"\sum_{i=1}^{n}", r"\prod_{i=1}^{n}",
          r"\log", r"\ln", r"\exp", r"\sqrt{", "x", "y_i", r"\hat{y}", r"\sigma", r"\theta", "p_i", "q_i", "+", "-",
          "=", r"\le", r"\ge", "<", ">", "^", "_", "2", "0", "1", "10", "0.5", r"\cdot", r"\,", "&", r"\\",
          r"\begin{aligned}", r"\end{aligned}", r"\text{if }", r"\mathbb{E}", r"\arg\min_{\theta}", "!", "'",
          r"\int", "dx", r"\infty", r"\partial", r"\begin{cases}", r"\end{cases}", ",", "|", r"\|", " ",
          r"D_{KL}(P\|Q)", "f(x)", r"\operatorname{softmax}", "\\", "$", "%", "#"]

latexish = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=40).map("".join)
unicode_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)


def _note(body: str) -> str:
    return f"# note\n\nSome prose.\n\n$$\n{body}\n$$\n"


GOOD_NOTE = _note(r"""\begin{aligned}
\log \prod_{i=1}^{n} \frac{1}{\sqrt{2\pi\sigma^2}} \exp\left(-\frac{(y_i - f_i)^2}{2\sigma^2}\right)
&= \sum_{i=1}^{n} \left(-\frac{1}{2}\log(2\pi\sigma^2) - \frac{(y_i - f_i)^2}{2\sigma^2}\right) \\
&= -\frac{n}{2}\log(2\pi\sigma^2) - \frac{1}{2\sigma^2}\sum_{i=1}^{n}(y_i - f_i)^2
\end{aligned}""") + "\nwhere $\\sigma > 0$.\n"


# ----------------------------------------------------------------------------------------
# properties
# ----------------------------------------------------------------------------------------
@FUZZ
@given(latexish)
def test_random_latexish_display_math_never_crashes(body):
    _check(_note(body))


@FUZZ
@given(latexish, latexish)
def test_random_chains_never_crash(a, b):
    _check(_note(f"\\begin{{aligned}}\n{a} &= {b} \\\\\n&\\le {a}\n\\end{{aligned}}"))


@FUZZ
@given(st.integers(min_value=0, max_value=len(GOOD_NOTE)))
def test_truncated_notes_never_crash(cut):
    _check(GOOD_NOTE[:cut])


@FUZZ
@given(st.integers(min_value=0, max_value=len(GOOD_NOTE) - 1), st.sampled_from(["{", "}", "(", ")", r"\left(",
                                                                               r"\right)", "$$", r"\\", "&", "\\"]))
def test_unbalanced_notes_never_crash(at, junk):
    _check(GOOD_NOTE[:at] + junk + GOOD_NOTE[at:])


@FUZZ
@given(unicode_text, unicode_text)
def test_unicode_never_crashes(prose, math):
    _check(f"{prose}\n\n$$\n{math} = x\n$$\n\n$${math}$$\n")


@settings(max_examples=min(EXAMPLES, 4), deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from([r"\left(", "{", r"\frac{1}{", r"\sqrt{", "(", r"\log("]),
       st.integers(min_value=50, max_value=3000))
def test_deep_nesting_is_unparsed_or_undecided(opener, depth):
    closer = {r"\left(": r"\right)", "{": "}", r"\frac{1}{": "}", r"\sqrt{": "}", "(": ")", r"\log(": ")"}[opener]
    expr = opener * depth + "x" + closer * depth
    report = _check(_note(f"{expr} = x"))
    assert all(s.status not in (PROVED, CHECKED) or depth < 60 for s in report.steps)


@pytest.mark.parametrize("body", [
    r"10^{10^{10}} = 10^{10^{10}} + 1",
    r"2^{2^{2^{2^{2^{2}}}}} = x",
    "9" * 3000 + " + 1 = " + "1" + "0" * 3000,
    r"\frac{1}{0} = \infty",
    r"1000000! = 1000000!",
    r"e^{e^{e^{e^{x}}}} = e^{e^{e^{e^{x}}}}",
    r"x^{1000000} - 1 = (x - 1)\sum_{k=0}^{999999} x^{k}",
    r"\sum_{i=1}^{10^{12}} i = \frac{10^{12}(10^{12}+1)}{2}",
])
def test_huge_numbers_finish_in_time(body):
    report = _check(_note(body))
    assert report.steps or report.blocks


def test_a_very_long_chain_finishes_within_the_budget_per_step():
    rows = " \\\\\n".join(f"&= a + {k} - {k}" for k in range(40))
    report = _check(_note("\\begin{aligned}\na\n" + rows + "\n\\end{aligned}"))
    assert len(report.steps) == 40
    assert all(s.status == PROVED for s in report.steps), [s.status for s in report.steps]


# ----------------------------------------------------------------------------------------
# limits
# ----------------------------------------------------------------------------------------
def test_expression_size_limit_gives_unparsed_with_the_option_to_raise_it():
    big = " + ".join(f"x_{{{k}}}" for k in range(400))
    report = _check(_note(f"{big} = {big}"), max_expr_size=500)
    assert report.steps and all(s.status == UNPARSED for s in report.steps)
    assert any("--max-expr-size" in s.message for s in report.steps)


def test_nesting_depth_limit_gives_unparsed():
    expr = "(" * 200 + "x" + ")" * 200
    report = _check(_note(f"{expr} = x"))
    assert report.steps and report.steps[0].status == UNPARSED
    assert "nested" in report.steps[0].message


def test_total_time_limit_leaves_remaining_steps_unknown(tmp_path):
    rows = " \\\\\n".join(f"&= (a + {k})^2 - 2 a {k} - {k * k}" for k in range(1, 6))
    start = time.monotonic()
    report = check.check_text(_note("\\begin{aligned}\na^2\n" + rows + "\n\\end{aligned}"), "t.md",
                              budget=BUDGET, deadline=time.monotonic() - 1)
    assert time.monotonic() - start < READ_ALLOWANCE
    assert report.steps and all(s.status == UNKNOWN for s in report.steps)
    assert all("--max-total-time" in s.message for s in report.steps)


def test_file_size_limit_from_the_command_line(tmp_path, capsys):
    p = tmp_path / "big.md"
    p.write_text(GOOD_NOTE * 50, encoding="utf-8")
    assert main(["check", str(p), "--max-file-size", "1000"]) == 2
    err = capsys.readouterr().err
    assert "--max-file-size" in err and len(err.strip().splitlines()) == 1


def test_random_bytes_as_a_file_give_exit_code_2_or_a_report(tmp_path, capsys):
    import random

    rng = random.Random(7)
    for k in range(5):
        p = tmp_path / f"noise{k}.md"
        p.write_bytes(bytes(rng.randrange(256) for _ in range(400)))
        code = main(["check", str(p), "--budget", "1", "--format", "json"])
        out, err = capsys.readouterr()
        assert code in (0, 1, 2)
        assert "Traceback" not in err
        if code == 2:
            assert len(err.strip().splitlines()) == 1
        else:
            json.loads(out)
