"""Asserting derivations in a user's own tests.

Declare a derivation in your own module with the chain builder and assert it in a test::

    from verifier import Derivation
    from verifier.integrations.testing import assert_proved

    def square_of_sum() -> Derivation:
        D = Derivation("square-of-sum", "(a+b)^2")
        a, b = D.symbols("a b", "real")
        D.chain((a + b) ** 2).eq(a**2 + 2*a*b + b**2, "expand")
        return D

    def test_square_of_sum():
        assert_proved(square_of_sum())

A step that is not ``proved`` (or another status named in ``allow``) fails the test with
:class:`DerivationFailed`, an ``AssertionError`` whose message shows the chain as plain text
with a mark per step, then each failing step with its status, method, message and
counterexample.  The pytest plugin (``verifier.integrations.pytest_plugin``) adds the ``derivation_checker``
fixture, which uses the ``--verify-budget`` / ``--verify-allow`` options of the run.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable, Sequence, Union

if TYPE_CHECKING:
    from verifier.model.chain import Derivation

from verifier.model.results import (
    CHECKED,
    PROVED,
    REFUTED,
    STATUSES,
    UNKNOWN,
    UNPARSED,
    DerivationResult,
    StepResult,
)

__all__ = ["DerivationFailed", "assert_proved", "check_derivation", "derivation_params",
           "format_failure", "chain_text", "normalise_allow"]

#: plain-text marks per status (the same as the terminal report)
MARK = {PROVED: "✓", CHECKED: "≈", REFUTED: "✗", UNKNOWN: "?", UNPARSED: "!"}

DerivationLike = Union["Derivation", Callable[[], "Derivation"]]  # noqa: F821


class DerivationFailed(AssertionError):
    """A derivation has a step whose status is not allowed; ``result`` holds every verdict."""

    def __init__(self, message: str, result: DerivationResult, failing: list[StepResult]):
        super().__init__(message)
        self.result = result
        self.failing = failing


def normalise_allow(allow: str | Iterable[str] | None) -> tuple[str, ...]:
    """The accepted statuses: always ``proved``, plus those named (a string or an iterable).

    ``refuted`` can never be allowed: a refuted step is wrong.
    """
    if allow is None:
        names: list[str] = []
    elif isinstance(allow, str):
        names = [a for a in allow.replace(",", " ").split() if a]
    else:
        names = [str(a) for a in allow]
    out = [PROVED]
    for a in names:
        if a not in STATUSES:
            raise ValueError(f"unknown status {a!r} in allow; use some of {', '.join(STATUSES)}")
        if a == REFUTED:
            raise ValueError("'refuted' cannot be allowed: a refuted step is wrong")
        if a not in out:
            out.append(a)
    return tuple(out)


def _resolve(derivation) -> "Derivation":  # noqa: F821
    from verifier.model.chain import Derivation

    if isinstance(derivation, Derivation):
        return derivation
    if callable(derivation):
        d = derivation()
        if isinstance(d, Derivation):
            return d
        raise TypeError(f"{getattr(derivation, '__name__', derivation)!r} returned {type(d).__name__}, "
                        "not a verifier.Derivation")
    raise TypeError(f"expected a verifier.Derivation or a function returning one, got {type(derivation).__name__}")


def check_derivation(derivation: DerivationLike, budget: float | None = None) -> DerivationResult:
    """Decide every step of a derivation (or of the derivation a factory returns)."""
    from verifier.engine.decide import verify_derivation
    from verifier.engine.problem import DEFAULT_BUDGET

    d = _resolve(derivation)
    if not d.chains or d.step_count == 0:
        raise ValueError(f"derivation {d.id!r} has no steps to check (open a chain and add steps to it)")
    return verify_derivation(d, DEFAULT_BUDGET if budget is None else budget)


def assert_proved(derivation: DerivationLike, allow: str | Iterable[str] = (PROVED,),
                  budget: float | None = None) -> DerivationResult:
    """Check a derivation; raise :class:`DerivationFailed` unless every step's status is allowed.

    ``allow`` names the accepted statuses (``proved`` always is; add ``"checked"`` to accept
    numeric evidence, ``"unknown"`` to accept undecided steps).  ``budget`` is the time limit per
    step in seconds.  Returns the :class:`~verifier.model.results.DerivationResult` on success.
    """
    __tracebackhide__ = True  # pytest: show the caller's line, not this one
    accepted = normalise_allow(allow)
    d = _resolve(derivation)
    result = check_derivation(d, budget)
    failing = [s for s in result.steps if s.status not in accepted]
    if failing:
        raise DerivationFailed(format_failure(d, result, accepted), result, failing)
    return result


# ----------------------------------------------------------------------------------------
# text
# ----------------------------------------------------------------------------------------
def chain_text(derivation: "Derivation", result: DerivationResult | None = None,  # noqa: F821
               highlight: Sequence[int] = ()) -> str:
    """Every chain of a derivation in its LaTeX (the post's ``tex=`` where given), one line
    per step, numbered from 0 in each chain, with status marks.

    Steps whose derivation-wide index is in ``highlight`` are marked with ``>>``.
    """
    from verifier.model.chain_latex import chain_objectives, plain_text

    lines: list[str] = []
    idx = 0
    for chain in derivation.chains:
        printed = chain_objectives(chain)
        lines.append(f"  {plain_text(chain.name)}:")
        lines.append(f"         {printed[0]}")
        for k, (_prev, step) in enumerate(chain.pairs()):
            st = result.steps[idx] if result is not None and idx < len(result.steps) else None
            mark = MARK.get(st.status, " ") if st else " "
            arrow = ">>" if idx in highlight else "  "
            why = f"    [{plain_text(step.why)}]" if step.why else ""
            lines.append(f"  {arrow} {mark} {k:>2} {_REL_TEXT.get(step.relation, step.relation or '=')} "
                         f"{printed[k + 1]}{why}")
            idx += 1
    return "\n".join(lines)


#: relation signs as a terminal shows them (optimisation steps compare arg min / arg max sets)
_REL_TEXT = {"argmin-equivalent": "=", "argmax-equivalent": "=", "<=": "≤", ">=": "≥", "!=": "≠"}


def step_details(s: StepResult, expr_text: tuple[str, str] | None = None, number: int | None = None) -> str:
    """One step's verdict as indented plain text (status, relation, message, counterexample);
    ``number`` is the step's number in its chain (default: its index)."""
    from verifier.model.chain_latex import plain_text

    out = [f"step {s.index if number is None else number}" + (f" ({plain_text(s.chain)})" if s.chain else "")
           + (f", line {s.line}" if s.line else "") + f": {s.status}" + (f" ({s.method})" if s.method else "")]
    lhs, rhs = expr_text or (s.lhs, s.rhs)
    out.append(f"    {lhs}  {s.relation}  {rhs}")
    if s.why:
        out.append(f"    justification: {plain_text(s.why)}")
    if s.message:
        out.extend("    " + m for m in s.message.splitlines())
    if s.counterexample:
        out.append("    counterexample: " + ", ".join(f"{k} = {v}" for k, v in s.counterexample.items()))
    return "\n".join(out)


def _step_exprs(derivation) -> list[tuple[str, str, int]]:
    """(previous expression, expression, number in its chain) of every step, in LaTeX."""
    from verifier.model.chain_latex import chain_objectives

    out = []
    for chain in derivation.chains:
        printed = chain_objectives(chain)
        for k in range(len(chain.steps) - 1):
            out.append((printed[k], printed[k + 1], k))
    return out


def format_failure(derivation: "Derivation", result: DerivationResult,  # noqa: F821
                   allow: Sequence[str] = (PROVED,)) -> str:
    """The message of a failed assertion: summary line, the chain, then each failing step."""
    failing = [s for s in result.steps if s.status not in allow]
    counts = result.counts()
    summary = ", ".join(f"{counts[k]} {k}" for k in STATUSES if counts[k])
    head = (f"derivation {derivation.id!r} ({derivation.title}): {len(failing)} of {len(result.steps)} "
            f"steps not {' / '.join(allow)} [{summary}]")
    exprs = _step_exprs(derivation)
    parts = [head, "", chain_text(derivation, result, [s.index for s in failing]), ""]
    for s in failing:
        lhs, rhs, number = exprs[s.index] if s.index < len(exprs) else (s.lhs, s.rhs, None)
        parts.append(step_details(s, (lhs, rhs), number))
    return "\n".join(parts)


def derivation_params(source) -> list:
    """``pytest.param`` objects with readable ids, for ``@pytest.mark.parametrize``.

    ``source`` is a module with a ``DERIVATIONS`` list (the catalog convention), or an
    iterable of derivations / factories.  Factories are called when the test runs, not at
    collection, so building a derivation that raises fails only its own test.
    """
    import pytest

    items = getattr(source, "DERIVATIONS", source)
    out = []
    for item in items:
        name = getattr(item, "id", None) or getattr(item, "__name__", None) or repr(item)
        out.append(pytest.param(item, id=str(name)))
    return out
