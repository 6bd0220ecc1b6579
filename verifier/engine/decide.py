"""The engine's entry: decides one step, then whole derivations.

Per step, the cheapest symbolic proofs come first (an equation whose sides are alike, or whose
difference has the normal form 0, cheaper to prove than to sample); then cheap numeric
falsification; then the other symbolic proofs; the worker process that does all of it is bounded
by a time budget.

* ``proved``: a symbolic argument holds under the declared assumptions;
* ``checked``: no proof, but high-precision evaluation agrees at every point;
* ``refuted``: a point inside the domains where the relation fails, confirmed
  at higher precision;
* ``unknown``: undecided, with the reason.
"""
from __future__ import annotations

import copy
import dataclasses
import itertools
import os
from typing import Callable, Iterable, Iterator, Sequence

import sympy as sp

from verifier.engine import numeric
from verifier.engine.budget import Started, run_stream
from verifier.engine.cache import default_cache, problem_key
from verifier.engine.constants import decide_constant
from verifier.engine.evidence import NumericOutcome, numeric_order, numeric_relation
from verifier.engine.expand import DefinitionError, unfold
from verifier.engine.lemmas import check_lemma, lemma_proof
from verifier.engine.matrices.decide import decide_matrix, involves_matrices
from verifier.engine.matrices.numeric import Outcome as MatrixOutcome
from verifier.engine.matrices.numeric import compare as matrix_evidence
from verifier.engine.optimisation import decide_optimisation, senses
from verifier.engine.pool import within_share
from verifier.engine.probability.lower import Undecidable, lower_problem
from verifier.engine.problem import (
    DEFAULT_BUDGET,
    EVIDENCE_SECONDS,
    PROOF_SHARE,
    SCREEN_POINTS,
    Problem,
    expected_cost,
)
from verifier.engine.proofs import prove_relation, quick_zero
from verifier.model.chain import EQ, NE_WITNESS, OPTIMISATION, Derivation, Step
from verifier.model.chain_latex import objective_latex
from verifier.model.context import Context
from verifier.model.exprs import as_expr
from verifier.model.random import has_probability
from verifier.model.results import (
    CHECKED,
    PROVED,
    REFUTED,
    UNKNOWN,
    DerivationResult,
    StepResult,
    Verdict,
)


def decide(problem: Problem, report: Callable[[Verdict], None] = lambda v: None) -> Verdict:
    """Decide one relation (runs inside the budgeted worker)."""
    verdict = _decide(problem, report)
    if verdict.method == "definitions unfolded" and problem.lhs == problem.rhs:
        verdict.method = "identical"  # e.g. (a+b)^2 and (a+b)(a+b): the same SymPy expression
    if verdict.status == PROVED and (problem.lhs.has(sp.Derivative) or problem.rhs.has(sp.Derivative)):
        verdict.method = f"derivatives evaluated; {verdict.method}"
    return verdict


def _decide(problem: Problem, report: Callable[[Verdict], None]) -> Verdict:
    ctx = problem.ctx
    missing = ctx.undefined_names(problem.lhs) + ctx.undefined_names(problem.rhs)
    if missing:
        return Verdict(UNKNOWN, "undefined", "no domain or definition for: " + ", ".join(sorted(set(missing))))
    try:
        a = unfold(problem.lhs, ctx.definitions)
        b = unfold(problem.rhs, ctx.definitions)
    except DefinitionError as exc:
        return Verdict(UNKNOWN, "undefined", str(exc))
    if involves_matrices(a, b) and not problem.lemma:
        return decide_matrix(a, b, problem.relation, ctx, problem.seed)
    if has_probability(a) or has_probability(b):
        return _decide_probability(a, b, problem, report)
    if problem.lemma:
        return check_lemma(problem)
    return _decide_lowered(a, b, problem, report)


def numeric_evidence(problem: Problem) -> NumericOutcome | MatrixOutcome:
    """The numeric evidence alone for a problem, in full, as the engine gathers it where no proof is
    found: its ``kind`` is "agree", "refuted" or another word for no evidence, with a ``message``.
    For tests and diagnostics (a proved step is not sampled; this shows that it could be)."""
    ctx = problem.ctx
    a, b = unfold(problem.lhs, ctx.definitions), unfold(problem.rhs, ctx.definitions)
    if involves_matrices(a, b):
        return matrix_evidence(a, b, ctx, problem.seed)
    if has_probability(a) or has_probability(b):
        low = lower_problem(a, b, ctx)
        a, b, ctx = low.lhs, low.rhs, low.ctx
    if problem.relation in OPTIMISATION:
        prev, new = senses(problem)
        return numeric_order(a, b, problem.over, prev != new, ctx, problem.seed)
    return numeric_relation(a, b, problem.relation, ctx, problem.seed)


def _decide_probability(a, b, problem: Problem, report) -> Verdict:
    """Expectations, variances, entropies, KL as sums and closed forms; then the usual routes."""
    try:
        low = lower_problem(a, b, problem.ctx)
    except Undecidable as exc:
        return Verdict(UNKNOWN, "probability", str(exc))
    lowered = dataclasses.replace(problem, lhs=low.lhs, rhs=low.rhs, ctx=low.ctx)
    if problem.lemma:
        verdict = check_lemma(lowered)
    else:
        verdict = _decide_lowered(low.lhs, low.rhs, lowered, report)
    how = "; ".join(low.notes)
    if verdict.status == REFUTED and not low.exact:
        return Verdict(UNKNOWN, "probability", "a counterexample was found only with a law the statement may "
                       "exclude (a joint law breaking a stated independence, or a law the note gives in words): "
                       f"{verdict.message}")
    if verdict.status == REFUTED:
        verdict.message = f"{verdict.message} (the counterexample is a concrete law{': ' + how if how else ''})"
    verdict.method = f"expectations lowered{' (' + how + ')' if how else ''}; {verdict.method}"
    return verdict


def _decide_lowered(a, b, problem: Problem, report) -> Verdict:
    ctx = problem.ctx
    if problem.relation == NE_WITNESS:
        return _decide_witness(a, b, problem)
    if problem.cases:
        return _decide_cases(a, b, problem, report)
    if problem.relation in OPTIMISATION:
        return decide_optimisation(a, b, problem, report)
    return decide_plain(a, b, problem.relation, ctx, problem.seed, report)


_RAN_OUT = object()


def decide_plain(a, b, relation, ctx, seed, report) -> Verdict:
    if a.has(sp.nan) or b.has(sp.nan):  # 0 log 0 as written: SymPy makes it nan
        return Verdict(UNKNOWN, "indeterminate", "a side is an indeterminate form as written (0 times an infinity, "
                       "such as 0 log 0): its value is a convention (0 log 0 = 0 in information theory), not arithmetic")
    constant = decide_constant(a, b, relation, ctx)  # no free symbol: exactly, or at increasing precision
    if constant is not None:
        return constant
    if relation == EQ:  # the cheapest proofs (the sides alike, or their normal forms) cost less than sampling
        quick = within_share(PROOF_SHARE, quick_zero, a - b, ctx, ran_out=None, rest_at_least=EVIDENCE_SECONDS)
        if quick:
            return Verdict(PROVED, quick)
    num = numeric_relation(a, b, relation, ctx, seed, count=SCREEN_POINTS)  # the first look
    if num.kind == "refuted":
        return Verdict(REFUTED, "numeric", num.message, num.counterexample)
    report(Verdict(CHECKED if num.kind == "agree" else UNKNOWN, "numeric", num.message))
    method = within_share(PROOF_SHARE, _proof, a, b, relation, ctx,
                          ran_out=_RAN_OUT, rest_at_least=EVIDENCE_SECONDS)
    if method and method is not _RAN_OUT:
        return Verdict(PROVED, method, num.message if num.kind == "agree" else "")
    gave_up = f" (the search stopped at {PROOF_SHARE:.0%} of the time budget)" if method is _RAN_OUT else ""
    num = numeric_relation(a, b, relation, ctx, seed)  # no proof: the evidence in full
    if num.kind == "refuted":
        return Verdict(REFUTED, "numeric", num.message, num.counterexample)
    if num.kind == "agree":
        return Verdict(CHECKED, "numeric", num.message + "; no symbolic proof found" + gave_up,
                       budget_bound=method is _RAN_OUT)
    return Verdict(UNKNOWN, "none", f"no symbolic proof found, and {num.message}", budget_bound=method is _RAN_OUT)


def _proof(a, b, relation, ctx) -> str | None:
    """A symbolic argument for the relation: algebra (engine.proofs), or a lemma the step suggests."""
    return prove_relation(a, b, relation, ctx) or lemma_proof(a, b, relation, ctx)


def _decide_cases(a, b, problem: Problem, report) -> Verdict:
    sym, values = problem.cases
    methods = []
    for v in values:
        sub = {sym: as_expr(v)}
        ca, cb = a.xreplace(sub), b.xreplace(sub)
        verdict = decide_plain(ca, cb, problem.relation, problem.ctx, problem.seed, report)
        if verdict.status == REFUTED:
            cex = dict(verdict.counterexample or {})
            cex[str(sym)] = str(v)
            return Verdict(REFUTED, "cases", f"case {sym} = {v}: {verdict.message}", cex)
        if verdict.status != PROVED:
            return Verdict(verdict.status if verdict.status != CHECKED else CHECKED, "cases",
                           f"case {sym} = {v}: {verdict.message}")
        methods.append(f"{sym}={v}: {verdict.method}")
    return Verdict(PROVED, "cases (" + "; ".join(methods) + ")")


def _decide_witness(a, b, problem: Problem) -> Verdict:
    w = problem.witness or {}
    ctx = problem.ctx
    sizes = {k: v for k, v in w.items() if k in ctx.sizes}
    bad = _witness_outside(w, ctx, sizes)
    if bad:
        return Verdict(UNKNOWN, "witness", f"the witness is outside the domains: {bad}")
    sub = {k: sp.nsimplify(as_expr(v)) for k, v in w.items() if k not in ctx.sizes}
    ca, cb = numeric.unroll(a, sizes).xreplace(sub), numeric.unroll(b, sizes).xreplace(sub)
    d = sp.simplify(ca - cb)
    if d.free_symbols:
        return Verdict(UNKNOWN, "witness", f"the witness leaves symbols free: {', '.join(map(str, d.free_symbols))}")
    val = sp.N(d, 50)
    if val.is_number and val != 0 and abs(val) > sp.Float("1e-40"):
        return Verdict(PROVED, "witness", f"at the witness lhs - rhs = {sp.sstr(sp.N(d, 12))} (exact: {sp.sstr(d)})")
    return Verdict(UNKNOWN, "witness", "the witness does not show a difference (the two sides are equal there)")


def _witness_outside(w: dict, ctx: Context, sizes: dict) -> str:
    vecs: dict = {}
    for k, v in w.items():
        v = sp.nsimplify(as_expr(v))
        d = ctx.domain_of(k)
        if d is None:
            continue
        if d.kind in ("positive", "probability") and not v > 0:
            return f"{k} = {v} is not positive"
        if d.kind == "unit" and not (0 < v < 1):
            return f"{k} = {v} is not in (0, 1)"
        if d.finite_values and v not in d.finite_values:
            return f"{k} = {v} is not one of {', '.join(str(x) for x in d.finite_values)}"
        if isinstance(k, sp.Indexed) and d.kind == "probability":
            vecs.setdefault(k.base, []).append(v)
    for base, vals in vecs.items():
        if sp.nsimplify(as_expr(sum(vals))) != 1:
            return f"the entries of {base} sum to {sum(vals)}, not 1"
    return ""


# ----------------------------------------------------------------------------------------
# derivations
# ----------------------------------------------------------------------------------------
def problem_for(derivation_ctx: Context, prev: Step, step: Step, prev_sense: str | None) -> Problem:
    return Problem(prev.expr, step.expr, step.relation or EQ, derivation_ctx, over=step.over,
                   prev_sense=prev_sense, sense=step.sense, cases=step.cases, lemma=step.lemma,
                   lemma_args=step.lemma_args, witness=step.witness)


def decide_step(problem: Problem, budget: float = DEFAULT_BUDGET) -> Verdict:
    """Decide a problem in a worker process under the time budget (through the verdict cache)."""
    return decide_problems([problem], budget, 1)[0]


_DEFAULT_CACHE = object()
CHUNK = 512  # problems looked up in the cache, then sent to the workers, at a time


def decide_problems(problems: Sequence[Problem], budget: float = DEFAULT_BUDGET, jobs: int = 1,
                    on_done: Callable[[int, Verdict], None] | None = None,
                    cache=_DEFAULT_CACHE) -> list[Verdict]:
    """Decide many problems, up to `jobs` at once, each under its own budget; the engine's one entry
    for batches (`verify all`, `verify check`, `verify steps`).  on_done(k, verdict) is called as each
    result arrives; the list returned is in the order of `problems`.  Final verdicts come from and go
    to the verdict cache (`cache=None`: no cache; default: the process's, see engine.cache)."""
    results: list = [None] * len(problems)
    for k, v in decide_stream(enumerate(problems), budget, jobs, cache):
        results[k] = v
        if on_done:
            on_done(k, v)
    return results


def decide_stream(items: Iterable[tuple[object, Problem]], budget: float = DEFAULT_BUDGET, jobs: int = 1,
                  cache=_DEFAULT_CACHE) -> Iterator[tuple[object, Verdict]]:
    """Yield (key, verdict) for (key, problem) items as verdicts arrive, reading the items a chunk at
    a time (constant memory for a stream); cached verdicts first, the rest from the workers (a chunk
    sent before the pool is made is not pickled: the workers forked for it hold it already)."""
    store = default_cache() if cache is _DEFAULT_CACHE else cache
    it = iter(items)
    while True:
        chunk = list(itertools.islice(it, CHUNK))
        if not chunk:
            return
        hits, todo = _looked_up(chunk, store)
        yield from hits
        todo, twins = _unique(todo)
        tasks = (((key, ck), (decide, (problem,))) for key, ck, problem in todo)
        for (key, ck), v in run_stream(tasks, budget, jobs, inherit=True):
            if store is not None and isinstance(v, Verdict):
                store.put(ck, v)
            yield key, v
            for twin in twins.get(ck, ()):
                yield twin, copy.copy(v)


def _looked_up(items: list[tuple[object, Problem]], store) -> tuple[list, list]:
    """The (key, verdict) of the items the verdict store holds, and the (key, cache key, problem) of the
    others, the long ones first (no long step left for last)."""
    hits, todo = [], []
    memo: dict = {}  # the problems are not changed while their keys are made
    for key, problem in items:
        ck = problem_key(problem, memo) if store is not None else None
        hit = store.get(ck) if store is not None else None
        if hit is not None:
            hits.append((key, hit))
        else:
            todo.append((key, ck, problem))
    todo.sort(key=lambda t: -expected_cost(t[2]))
    return hits, todo


def _unique(todo: list[tuple[object, str | None, Problem]]) -> tuple[list, dict[str, list]]:
    """The problems to send, one of each cache key (the catalog states some steps twice, and a note may
    repeat a step), and the keys of the others by cache key: a verdict is a function of its problem's key,
    which is what makes the verdict cache sound, so one decision serves them all."""
    first: list = []
    twins: dict[str, list] = {}
    for key, ck, problem in todo:
        if ck is not None and ck in twins:
            twins[ck].append(key)
            continue
        if ck is not None:
            twins[ck] = []
        first.append((key, ck, problem))
    return first, twins


def start_problems(problems: Sequence[Problem], budget: float = DEFAULT_BUDGET, jobs: int = 1,
                   cache=_DEFAULT_CACHE) -> Callable[..., list[Verdict]]:
    """:func:`decide_problems` without waiting: the cached verdicts are looked up and the other problems
    sent to the workers now (the long ones first); the function returned, called with an optional
    on_done(k, verdict), waits for them, stores their verdicts and gives the list in the order of
    `problems` (a note's claims decided while the next notes are read)."""
    store = default_cache() if cache is _DEFAULT_CACHE else cache
    results: list = [None] * len(problems)
    hits, todo = _looked_up(list(enumerate(problems)), store)
    for k, v in hits:
        results[k] = v
    todo, twins = _unique(todo)
    started = Started([(decide, (problem,)) for _, _, problem in todo], budget, jobs)

    def finish(on_done: Callable[[int, Verdict], None] | None = None) -> list[Verdict]:
        for k, v in enumerate(results):
            if v is not None and on_done:
                on_done(k, v)
        for (k, ck, _), v in zip(todo, started.results()):
            if store is not None and isinstance(v, Verdict):
                store.put(ck, v)
            for j in [k, *twins.get(ck, ())]:
                results[j] = v if j == k else copy.copy(v)
                if on_done:
                    on_done(j, results[j])
        return results

    return finish


def verify_derivation(d: Derivation, budget: float = DEFAULT_BUDGET,
                      on_step: Callable[[StepResult], None] | None = None, jobs: int = 1) -> DerivationResult:
    """Decide every step of every chain of d."""
    return verify_derivations([d], budget, on_step, jobs)[0]


def default_jobs() -> int:
    """Workers to run at once: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def verify_derivations(ds: list[Derivation], budget: float = DEFAULT_BUDGET,
                       on_step: Callable[[StepResult], None] | None = None,
                       jobs: int = 1) -> list[DerivationResult]:
    """Decide every step of every derivation, up to `jobs` steps at once."""
    slots: list[tuple[int, int, object, Step, Step]] = []  # (derivation, index, chain, prev, step)
    problems = []
    for k, d in enumerate(ds):
        index = 0
        for chain in d.chains:
            sense = chain.steps[0].sense
            for prev, step in chain.pairs():
                slots.append((k, index, chain, prev, step))
                problems.append(problem_for(d.context, prev, step, sense))
                index += 1
                if step.sense:
                    sense = step.sense
    results = [DerivationResult(d.id, d.title, str(d.source) if d.source else "") for d in ds]
    per_step: dict[int, StepResult] = {}

    def done(t: int, verdict: Verdict) -> None:
        k, index, chain, prev, step = slots[t]
        sr = StepResult(index=index, relation=step.relation or EQ, lhs=objective_latex(prev),
                        rhs=objective_latex(step), status=verdict.status, method=verdict.method,
                        message=verdict.message, counterexample=verdict.counterexample,
                        seconds=verdict.seconds, why=step.why, chain=chain.name, line=step.line)
        per_step[t] = sr
        if on_step:
            on_step(sr)

    decide_problems(problems, budget, jobs, done)
    for t, (k, *_rest) in enumerate(slots):
        results[k].steps.append(per_step[t])
    for r in results:
        r.seconds = sum(s.seconds for s in r.steps)
    return results
