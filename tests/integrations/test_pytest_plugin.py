"""The pytest plugin: assert_proved / derivation_checker in a user's project, and --verify-notes."""
from __future__ import annotations

import re
from importlib.metadata import entry_points

import pytest

from verifier import Derivation
from verifier.testing import (
    DerivationFailed,
    assert_proved,
    derivation_params,
    normalise_allow,
)

pytest_plugins = ["pytester"]

# A user's module with derivations of their own (written into each temporary project).
MATHLIB = '''
import sympy as sp
from verifier import Derivation


def square_of_sum():
    D = Derivation("square-of-sum", "(a+b)^2 expanded")
    a, b = D.symbols("a b", "real")
    c = D.chain((a + b) ** 2)
    c.eq(a**2 + 2*a*b + b**2, "binomial expansion")
    return D


def freshman():
    D = Derivation("freshman", "(a+b)^2 the wrong way")
    a, b = D.symbols("a b", "real")
    c = D.chain((a + b) ** 2)
    c.eq((a + b) * (a + b), "definition of the square")
    c.eq(a**2 + b**2, "freshman's dream")
    return D


def undecided():
    D = Derivation("undecided", "a step about an undeclared function")
    a = D.symbol("a", "real")
    g = sp.Function("g")
    D.chain(a).eq(g(a), "g is never declared")
    return D


DERIVATIONS = [square_of_sum, freshman]
'''

USER_TESTS = '''
import pytest
from verifier.testing import assert_proved, derivation_params
import mathlib


def test_assert_good():
    assert_proved(mathlib.square_of_sum())


def test_assert_broken():
    assert_proved(mathlib.freshman)


def test_fixture_good(derivation_checker):
    derivation_checker(mathlib.square_of_sum)


def test_fixture_undecided(derivation_checker):
    derivation_checker(mathlib.undecided)


@pytest.mark.parametrize("d", derivation_params(mathlib))
def test_catalog(d, derivation_checker):
    derivation_checker(d)
'''


def test_plugin_is_registered_as_pytest11_entry_point():
    eps = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert eps.get("verifier") == "verifier.integrations.pytest_plugin", (
        "the package must be installed (pip install -e .) for the pytest11 entry point to exist")


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(mathlib=MATHLIB, test_user=USER_TESTS)
    pytester.syspathinsert()
    return pytester


def test_user_project_passes_and_fails_the_right_tests(project: pytest.Pytester):
    res = project.runpytest("-p", "no:cacheprovider", "-q")
    res.assert_outcomes(passed=3, failed=3)
    out = res.stdout.str()
    for nodeid in ("test_assert_broken", "test_fixture_undecided", "test_catalog[freshman]"):
        assert f"FAILED test_user.py::{nodeid}" in out
    for nodeid in ("test_assert_good", "test_fixture_good", "test_catalog[square-of-sum]"):
        assert f"FAILED test_user.py::{nodeid}" not in out
    # the message: the chain as text with the broken step marked, then the step's details
    res.stdout.fnmatch_lines([
        "*DerivationFailed: derivation 'freshman' ((a+b)^2 the wrong way): 1 of 2 steps not proved*",  # noqa: E501
        "*(a + b)^{2}",  # the derivation's LaTeX, not SymPy's form
        "*✓  0 = (a + b)^{2}*definition of the square*",
        "*>> ✗  1 = a^{2} + b^{2}*freshman's dream*",
        "*step 1 (chain 1): refuted (numeric)",
        "*(a + b)^{2}  =  a^{2} + b^{2}",
        "*justification: freshman's dream",
        "*counterexample: a = *, b = *",
    ])
    res.stdout.fnmatch_lines(["*derivation 'undecided'*1 of 1 steps not proved*",
                              "*>> ?  0 = g(a)*",
                              "*step 0 (chain 1): unknown (undefined)",
                              "*no domain or definition for: g*"])


def test_verify_allow_relaxes_the_fixture(project: pytest.Pytester):
    res = project.runpytest("-p", "no:cacheprovider", "-q", "--verify-allow", "unknown",
                            "-k", "undecided or broken or freshman")
    res.assert_outcomes(passed=1, failed=2)  # unknown accepted; refuted never is
    assert "FAILED test_user.py::test_fixture_undecided" not in res.stdout.str()


def test_ini_options_are_read(project: pytest.Pytester):
    project.makeini("[pytest]\nverify_allow = unknown\nverify_budget = 15\n")
    res = project.runpytest("-p", "no:cacheprovider", "-q", "-k", "undecided")
    res.assert_outcomes(passed=1)
    project.makeini("[pytest]\nverify_allow = refuted\n")
    res = project.runpytest("-p", "no:cacheprovider", "-q", "-k", "undecided")
    assert res.ret == pytest.ExitCode.USAGE_ERROR
    res.stderr.fnmatch_lines(["*verify_allow*'refuted'*"])


# --- the Python API directly ---------------------------------------------------------------
def _freshman() -> Derivation:
    D = Derivation("freshman", "(a+b)^2 the wrong way")
    a, b = D.symbols("a b", "real")
    D.chain((a + b) ** 2).eq(a**2 + b**2, "freshman's dream")
    return D


def test_assert_proved_reports_a_counterexample_that_really_breaks_the_step():
    with pytest.raises(DerivationFailed) as info:
        assert_proved(_freshman)
    (step,) = info.value.failing
    assert step.status == "refuted" and step.index == 0
    a, b = float(step.counterexample["a"]), float(step.counterexample["b"])
    assert abs((a + b) ** 2 - (a**2 + b**2)) > 1e-6  # the point really breaks the step
    assert isinstance(info.value, AssertionError)  # plain `assert` semantics for test runners
    assert "counterexample: a = " in str(info.value)


def test_assert_proved_returns_the_result_when_all_steps_pass():
    D = Derivation("diff-squares", "a^2 - b^2")
    a, b = D.symbols("a b", "real")
    D.chain(a**2 - b**2).eq((a - b) * (a + b), "factor")
    result = assert_proved(D)
    assert [s.status for s in result.steps] == ["proved"]


def test_bad_input_gives_clear_errors():
    with pytest.raises(TypeError, match="verifier.Derivation"):
        assert_proved("x = x")
    with pytest.raises(TypeError, match="returned int"):
        assert_proved(lambda: 3)
    with pytest.raises(ValueError, match="no steps"):
        assert_proved(Derivation("empty", "nothing"))
    with pytest.raises(ValueError, match="refuted"):
        normalise_allow(["refuted"])
    with pytest.raises(ValueError, match="unknown status"):
        normalise_allow("provd")
    assert normalise_allow("checked, unknown") == ("proved", "checked", "unknown")


def test_derivation_params_use_ids():
    import types

    mod = types.SimpleNamespace(DERIVATIONS=[_freshman])
    (p,) = derivation_params(mod)
    assert p.id == "_freshman" and p.values == (_freshman,)
    (q,) = derivation_params([_freshman()])
    assert q.id == "freshman"


# --- notes: pytest --verify-notes ----------------------------------------------------------
GOOD_NOTE = """# Square of a sum

Some prose first.

$$
(a+b)^2 = (a+b)(a+b) = a^2 + 2ab + b^2
$$
"""

BAD_NOTE = """# Two chains

A correct one:

$$
\\begin{aligned}
(x-1)^2 &= x^2 - 2x + 1 \\\\
&= (1-x)^2
\\end{aligned}
$$

and a broken one:

\\[
(a+b)^2 = a^2 + b^2
\\]
"""

TEX_NOTE = r"""\documentclass{article}
\begin{document}
\begin{equation}
(u+v)(u-v) = u^2 - v^2
\end{equation}
\end{document}
"""


@pytest.fixture
def notes_project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytest.importorskip("verifier.notes.check", reason="verifier.notes.check (verify check) is not in this build")
    pytester.makefile(".md", **{"notes/good": GOOD_NOTE, "notes/bad": BAD_NOTE,
                                "notes/empty": "# no display math here\n"})
    pytester.makefile(".tex", **{"notes/sub/identity": TEX_NOTE})
    pytester.makepyfile(test_unrelated="def test_one():\n    assert True\n")
    return pytester


def test_verify_notes_collects_one_item_per_chain(notes_project: pytest.Pytester):
    res = notes_project.runpytest("-p", "no:cacheprovider", "--collect-only", "-q", "--verify-notes", "notes")
    lines = [ln for ln in res.stdout.lines if "::" in ln]
    assert sorted(lines) == sorted(["notes/bad.md::line-5", "notes/bad.md::line-14", "notes/good.md::line-5",
                                    "notes/sub/identity.tex::line-3", "test_unrelated.py::test_one"])


def test_verify_notes_passes_and_fails_the_right_chains(notes_project: pytest.Pytester):
    res = notes_project.runpytest("-p", "no:cacheprovider", "-rA", "--verify-notes", "notes")
    res.assert_outcomes(passed=4, failed=1)
    out = res.stdout.str()
    assert "FAILED notes/bad.md::line-14" in out
    for ok in ("notes/good.md::line-5", "notes/bad.md::line-5", "notes/sub/identity.tex::line-3"):
        assert f"PASSED {ok}" in out
    # the failure shows the chain, the broken step, its status and its counterexample
    res.stdout.fnmatch_lines(["*notes/bad.md:14: 1 of 1 steps not proved*",
                              "*(a+b)^2",
                              "*>> ✗ * = a^2 + b^2  (line 15)",
                              "*step *, line 15: refuted (numeric)",
                              "*counterexample: a = *, b = *"])
    cex = re.search(r"counterexample: a = ([-0-9.e]+), b = ([-0-9.e]+)", out)
    a, b = float(cex[1]), float(cex[2])
    assert abs((a + b) ** 2 - (a**2 + b**2)) > 1e-6  # the reported point really breaks the step
    assert "Traceback" not in out


def test_verify_notes_from_ini_and_a_single_file(notes_project: pytest.Pytester):
    notes_project.makeini("[pytest]\nverify_notes = notes/bad.md\n")
    res = notes_project.runpytest("-p", "no:cacheprovider", "-q")
    res.assert_outcomes(passed=2, failed=1)  # bad.md's two chains and test_unrelated


def test_verify_allow_cannot_excuse_a_refuted_chain(notes_project: pytest.Pytester):
    res = notes_project.runpytest("-p", "no:cacheprovider", "-q", "--verify-notes", "notes/bad.md",
                                  "--verify-allow", "checked", "--verify-allow", "unknown", "test_unrelated.py")
    res.assert_outcomes(passed=2, failed=1)


def test_unknown_and_unparsed_chains_fail_unless_allowed(pytester: pytest.Pytester):
    pytest.importorskip("verifier.notes.check", reason="verifier.notes.check (verify check) is not in this build")
    pytester.makefile(".md", **{"notes/odd": "$$\na + f(x) = a + f(2x)\n$$\n\n$$\nx + 1 = \\weird{x} + 1\n$$\n"})
    res = pytester.runpytest("-p", "no:cacheprovider", "-q", "--verify-notes", "notes")
    res.assert_outcomes(failed=2)
    out = res.stdout.str()
    res.stdout.fnmatch_lines(["*notes/odd.md:1: 1 of 1 steps not proved*", "*>> ? * = a + f(2x)*",
                              "*: unknown (undefined)", "*arguments of f*"])
    res.stdout.fnmatch_lines(["*notes/odd.md:5: 1 of 1 steps not proved*", "*: unparsed (reader)",
                              "*could not read*weird*"])
    res = pytester.runpytest("-p", "no:cacheprovider", "-q", "--verify-notes", "notes", "--verify-allow", "unknown")
    res.assert_outcomes(passed=1, failed=1)  # unparsed is never allowed away


def test_missing_notes_path_is_a_usage_error(pytester: pytest.Pytester):
    res = pytester.runpytest("-p", "no:cacheprovider", "--verify-notes", "nowhere")
    assert res.ret == pytest.ExitCode.USAGE_ERROR
    res.stderr.fnmatch_lines(["*--verify-notes: no such file or directory*nowhere*"])


def test_assumptions_reach_the_checker_and_bad_ones_are_usage_errors(pytester: pytest.Pytester):
    pytest.importorskip("verifier.notes.check", reason="verifier.notes.check (verify check) is not in this build")
    pytester.makefile(".md", **{"notes/root": "$$\n\\sqrt{x^2} = x\n$$\n"})
    res = pytester.runpytest("-p", "no:cacheprovider", "-q", "--verify-notes", "notes")
    res.assert_outcomes(failed=1)  # x may be negative: refuted
    res.stdout.fnmatch_lines(["*refuted*", "*counterexample: x = -*"])
    pytester.makeini("[pytest]\nverify_notes = notes\nverify_assume =\n    x>0\n")
    res = pytester.runpytest("-p", "no:cacheprovider", "-q")
    res.assert_outcomes(passed=1)
    res = pytester.runpytest("-p", "no:cacheprovider", "-q", "--verify-assume", "x y")
    assert res.ret == pytest.ExitCode.USAGE_ERROR
    res.stderr.fnmatch_lines(["*--verify-assume*cannot read the assumption 'x y'*"])


def test_notes_are_collected_beside_testpaths_and_explicit_args(notes_project: pytest.Pytester):
    notes_project.makeini("[pytest]\ntestpaths = tests\n")
    notes_project.makepyfile(**{"tests/test_t": "def test_t():\n    pass\n"})
    res = notes_project.runpytest("-p", "no:cacheprovider", "--co", "-q", "--verify-notes", "notes/good.md")
    assert sorted(ln for ln in res.stdout.lines if "::" in ln) == ["notes/good.md::line-5", "tests/test_t.py::test_t"]
    # an explicit argument inside the notes root: no duplicates
    res = notes_project.runpytest("-p", "no:cacheprovider", "--co", "-q", "--verify-notes", "notes", "notes/sub")
    assert [ln for ln in res.stdout.lines if "::" in ln] == ["notes/sub/identity.tex::line-3"]
    # a dot-directory that the directory walk skips is still collected
    notes_project.makefile(".md", **{".notes/hidden": GOOD_NOTE})
    res = notes_project.runpytest("-p", "no:cacheprovider", "--co", "-q", ".", "--verify-notes", ".notes")
    assert ".notes/hidden.md::line-5" in res.stdout.lines
    # without --verify-notes, Markdown files are nobody's business
    res = notes_project.runpytest("-p", "no:cacheprovider", "--co", "-q", "notes")
    assert res.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_failure_message_numbers_steps_in_each_chain_in_latex():
    """A wrong step of a second chain is step 0 of that chain, shown in the derivation's LaTeX
    (its tex= when given), not SymPy's form with a derivation-wide number."""
    from verifier import Derivation
    from verifier.integrations.testing import DerivationFailed, assert_proved

    D = Derivation("two-chains", "two chains")
    p = D.symbol("p", "unit")
    D.chain(p**2 + p).eq(p * (p + 1), "factor")
    D.chain(p**2 + p, "B: a wrong factor").eq(p * (p + 2), "bad factor", tex=r"p(p+2)")
    with pytest.raises(DerivationFailed) as info:
        assert_proved(D)
    msg = str(info.value)
    assert ">> ✗  0 = p(p+2)    [bad factor]" in msg
    assert "step 0 (B: a wrong factor): refuted" in msg and "p^{2} + p  =  p(p+2)" in msg
    assert "p*(p + 2)" not in msg and "step 1" not in msg
