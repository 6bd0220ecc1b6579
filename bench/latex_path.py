"""The LaTeX path of the mutation harness: mutate the LaTeX of correct chains, run ``verify check``.

For every step of every chain of :mod:`bench.latex_corpus` the step is written as a note
of its own (the previous expression, the relation, the expression); the note must be
accepted as written.  Its LaTeX is then mutated as text (:func:`text_mutants`), the note is
checked with :func:`verifier.notes.check.check_text`, and the ``Problem`` the checker hands to the
engine is captured, so the oracle of :mod:`bench.oracle` can judge independently whether
the mutated step happens to be correct.
"""
from __future__ import annotations

import concurrent.futures as cf
import multiprocessing as mp
import random
import re
import sys
from typing import Iterator

import sympy as sp

from bench import oracle
from bench.latex_corpus import CORPUS, LatexChain, render
from bench.mutate import KINDS, Mutant

_REVERSE = {"<=": ">=", ">=": "<=", "<": ">", ">": "<"}
_LIMIT_OPS = ("\\sum", "\\prod", "\\int", "\\lim", "\\max", "\\min", "\\arg\\min", "\\arg\\max")
_GREEK = ("alpha|beta|gamma|delta|epsilon|theta|lambda|mu|nu|xi|rho|sigma|tau|phi|psi|omega|eta|kappa|zeta|chi")
_IDENT = re.compile(r"(\\hat\{[A-Za-z]\}|\\(?:" + _GREEK + r")(?![A-Za-z])|(?<![\\A-Za-z])[A-Za-z](?![A-Za-z]))"
                    r"(_(?:[0-9]|\{[0-9]+\}))?")
_NO_SWAP = {"i", "j", "k", "e", "d", "n", "m", "N"}


# ----------------------------------------------------------------------------------------
# text structure
# ----------------------------------------------------------------------------------------
def _match_brace(s: str, i: int) -> int:
    """Index of the brace closing the one at s[i] ('{' or '(')."""
    open_, close = s[i], {"{": "}", "(": ")", "[": "]"}[s[i]]
    depth = 0
    for j in range(i, len(s)):
        if s[j] == open_ and (j == 0 or s[j - 1] != "\\"):
            depth += 1
        elif s[j] == close and (j == 0 or s[j - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return j
    return -1


def _script_end(s: str, i: int) -> int:
    """s[i] is '_' or '^': the index just past its argument."""
    j = i + 1
    while j < len(s) and s[j] == " ":
        j += 1
    if j < len(s) and s[j] == "{":
        k = _match_brace(s, j)
        return k + 1 if k > 0 else len(s)
    if j < len(s) and s[j] == "\\":
        m = re.match(r"\\[A-Za-z]+", s[j:])
        return j + (m.end() if m else 1)
    return j + 1


def _protected(s: str) -> list[tuple[int, int]]:
    """Spans of subscripts, and of the limits (sub- and superscript) of sums, products, ..."""
    spans = []
    for m in re.finditer(r"[_^]", s):
        i = m.start()
        if s[i] == "_":
            spans.append((i, _script_end(s, i)))
            continue
        # a superscript right after \sum_{...} (or \sum) is a limit
        before = s[:i].rstrip()
        if before.endswith("}"):
            # find the subscript group this closes
            depth, j = 0, len(before) - 1
            while j >= 0:
                if before[j] == "}":
                    depth += 1
                elif before[j] == "{":
                    depth -= 1
                    if depth == 0:
                        break
                j -= 1
            before = before[:j].rstrip()
            if before.endswith("_"):
                before = before[:-1].rstrip()
        if any(before.endswith(op) for op in _LIMIT_OPS):
            spans.append((i, _script_end(s, i)))
    return spans


def _inside(i: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= i < b for a, b in spans)


def _groups(s: str) -> list[tuple[int, int]]:
    """Spans (content start, content end) of additive groups: the whole, (...), \\left(...\\right), {...} of \\frac."""
    out = [(0, len(s))]
    for m in re.finditer(r"\\left\(", s):
        depth, j = 0, m.start()
        while j < len(s):
            if s.startswith("\\left", j):
                depth += 1
                j += 5
                continue
            if s.startswith("\\right", j):
                depth -= 1
                if depth == 0:
                    out.append((m.end(), j))
                    break
                j += 6
                continue
            j += 1
    for m in re.finditer(r"(?<!\\left)(?<!\\right)\(", s):
        k = _match_brace(s, m.start())
        if k > 0:
            out.append((m.start() + 1, k))
    for m in re.finditer(r"\\frac\s*\{", s):
        k = _match_brace(s, m.end() - 1)
        if k > 0:
            out.append((m.end(), k))
            if k + 1 < len(s) and s[k + 1] == "{":
                k2 = _match_brace(s, k + 1)
                if k2 > 0:
                    out.append((k + 2, k2))
    return out


def _terms(s: str, a: int, b: int) -> list[tuple[int, int]]:
    """Top-level terms of s[a:b] as spans including their leading sign."""
    cuts = []
    depth = 0
    j = a
    while j < b:
        c = s[j]
        if s.startswith("\\left", j):
            depth += 1
            j += 5
            continue
        if s.startswith("\\right", j):
            depth -= 1
            j += 6
            continue
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
        elif c in "+-" and depth == 0:
            prev = s[a:j].rstrip()
            if prev and prev[-1] not in "^_=(&{":
                cuts.append(j)
        j += 1
    bounds = [a] + cuts + [b]
    return [(x, y) for x, y in zip(bounds, bounds[1:]) if s[x:y].strip()]


# ----------------------------------------------------------------------------------------
# text mutants: (kind, description, new LaTeX)
# ----------------------------------------------------------------------------------------
def _sign_flip(s: str) -> Iterator[tuple[str, str]]:
    prot = _protected(s)
    for m in re.finditer(r"[+-]", s):
        i = m.start()
        if _inside(i, prot):
            continue
        new = "-" if s[i] == "+" else "+"
        if i == 0 or not s[:i].strip():
            yield f"drop the leading minus", s[i + 1:]
        else:
            yield f"flip {s[i]} at {i}", s[:i] + new + s[i + 1:]
    if not s.lstrip().startswith("-"):
        yield "negate the whole side", f"-\\left({s}\\right)"


def _constant_factor(s: str) -> Iterator[tuple[str, str]]:
    prot = _protected(s)
    for m in re.finditer(r"(?<![A-Za-z0-9.\\])\d+(?:\.\d+)?", s):
        i = m.start()
        if _inside(i, prot):
            continue
        v = m.group(0)
        if s[max(0, i - 1)] == "^" or s[max(0, i - 2):i] == "^{":
            continue  # exponents are the exponent kind
        new = str(int(v) + 1) if v.isdigit() else str(float(v) * 2)
        yield f"constant {v} -> {new}", s[:i] + new + s[m.end():]
        after = s[m.end():m.end() + 1]
        if v != "0" and after and (after.isalpha() or after == "\\") and not s[m.end():].startswith("\\cdot"):
            yield f"drop the coefficient {v}", s[:i] + s[m.end():]
    for m in re.finditer(r"\\frac\{(\d+)\}\{(\d+)\}\s*", s):
        yield f"drop the factor {m.group(0).strip()}", s[:m.start()] + s[m.end():]


def _exponent(s: str) -> Iterator[tuple[str, str]]:
    prot = _protected(s)
    for m in re.finditer(r"\^", s):
        i = m.start()
        if _inside(i, prot):
            continue
        end = _script_end(s, i)
        arg = s[i + 1:end].strip()
        inner = arg[1:-1] if arg.startswith("{") else arg
        if re.fullmatch(r"-?\d+", inner):
            k = int(inner)
            yield f"exponent {k} -> {k + 1}", s[:i] + "^{" + str(k + 1) + "}" + s[end:]
            if k not in (1, -1):
                yield f"exponent {k} -> {k - 1}", s[:i] + "^{" + str(k - 1) + "}" + s[end:]
        else:
            yield f"drop the exponent {inner}", s[:i] + s[end:]
            yield f"exponent {inner} -> 2({inner})", s[:i] + "^{2\\left(" + inner + "\\right)}" + s[end:]
    for m in re.finditer(r"\\sqrt\s*\{", s):
        k = _match_brace(s, m.end() - 1)
        if k > 0:
            yield "drop a square root", s[:m.start()] + "\\left(" + s[m.end():k] + "\\right)" + s[k + 1:]


def _swap_args(s: str, keep: set[str]) -> Iterator[tuple[str, str]]:
    prot = _protected(s)
    idents: list[str] = []
    for m in _IDENT.finditer(s):
        tok = m.group(0)
        base = m.group(1)
        if _inside(m.start(), prot) or base in _NO_SWAP or tok in keep:
            continue
        if base == "e" or s[m.end():m.end() + 1] == "(":
            continue
        if tok not in idents:
            idents.append(tok)
    for a_, b_ in [(a, b) for i, a in enumerate(idents) for b in idents[i + 1:]]:
        out, j = [], 0
        for m in _IDENT.finditer(s):
            if _inside(m.start(), prot):
                continue
            tok = m.group(0)
            if tok in (a_, b_):
                out.append(s[j:m.start()])
                rep = b_ if tok == a_ else a_
                if m.start() > 0 and s[m.start() - 1].isalpha():
                    rep = " " + rep  # \pi y, not \piy
                if s[m.end():m.end() + 1].isalpha():
                    rep = rep + " "
                out.append(rep)
                j = m.end()
        out.append(s[j:])
        new = "".join(out)
        if new != s:
            yield f"swap {a_} and {b_}", new


def _log_split(s: str) -> Iterator[tuple[str, str]]:
    for m in re.finditer(r"\\(log|ln)\s*(\\left\(|\()", s):
        open_end = m.end()
        if m.group(2) == "(":
            k = _match_brace(s, m.end() - 1)
            close_len = 1
        else:
            k = s.find("\\right)", open_end)
            depth_ok = s.count("\\left", open_end, k) == 0 if k > 0 else False
            if not depth_ok:
                continue
            close_len = 7
        if k <= 0:
            continue
        content = s[open_end:k]
        terms = _terms(content, 0, len(content))
        if len(terms) >= 2 and content[terms[1][0]] == "+":
            a, b = content[:terms[1][0]].strip(), content[terms[1][0] + 1:].strip()
            new = f"\\left(\\{m.group(1)}\\left({a}\\right) + \\{m.group(1)}\\left({b}\\right)\\right)"
            yield "log(a + b) -> log a + log b", s[:m.start()] + new + s[k + close_len:]
    for m in re.finditer(r"\\(log|ln)\s*\\frac\{([^{}]*)\}\{([^{}]*)\}", s):
        new = f"\\frac{{\\{m.group(1)} {m.group(2)}}}{{\\{m.group(1)} {m.group(3)}}}"
        yield "log(a/b) -> log a / log b", s[:m.start()] + new + s[m.end():]
    arg = r"(\\hat\{[A-Za-z]\}|[A-Za-z](?:_[0-9A-Za-z])?|\([^()]*\))"
    for m in re.finditer(r"\\(log|ln)\s*" + arg + r"\s*\+\s*\\(?:log|ln)\s*" + arg, s):
        a, b = m.group(2).strip("()"), m.group(3).strip("()")
        yield "log a + log b -> log(a + b)", s[:m.start()] + f"\\{m.group(1)}\\left({a} + {b}\\right)" + s[m.end():]


def _drop_terms(s: str, over: tuple[str, ...], want_over: bool) -> Iterator[tuple[str, str]]:
    seen = set()
    for a, b in _groups(s):
        terms = _terms(s, a, b)
        if len(terms) < 2:
            continue
        for x, y in terms:
            term = s[x:y]
            dep = bool(over) and any(re.search(r"(?<![\\A-Za-z])" + re.escape(v) + r"(?![A-Za-z])", term) for v in over)
            if dep != want_over:
                continue
            new = s[:x] + s[y:]
            # a dropped first term: the next term's '+' would lead
            rest = new[x:].lstrip()
            if x == a and rest.startswith("+"):
                new = new[:x] + rest[1:]
            if new.strip() and new not in seen:
                seen.add(new)
                yield f"drop the term {term.strip()[:40]}", new


def _split_objective(s: str) -> tuple[str, str]:
    m = re.match(r"\s*\\arg\\(?:min|max)_\{[^{}]*\}\s*|\s*\\arg\\(?:min|max)_[A-Za-z]\s*", s)
    return (s[:m.end()], s[m.end():]) if m else ("", s)


def text_mutants(rel: str, latex: str, over: tuple[str, ...] = ()) -> list[tuple[str, str, str, str]]:
    """(kind, description, relation, new LaTeX) for one row of a chain."""
    head, body = _split_objective(latex)
    out: list[tuple[str, str, str, str]] = []
    gens = [("sign_flip", _sign_flip(body)), ("constant_factor", _constant_factor(body)),
            ("exponent", _exponent(body)), ("swap_args", _swap_args(body, set(over))),
            ("log_split", _log_split(body)), ("drop_term", _drop_terms(body, over if head else (), False))]
    if head and over:
        gens.append(("argmin_drop", _drop_terms(body, over, True)))
    seen = {body}
    for kind, g in gens:
        for desc, new in g:
            if new in seen:
                continue
            seen.add(new)
            out.append((kind, desc, rel, head + new))
    if rel in _REVERSE:
        out.append(("reverse", f"relation {rel} -> {_REVERSE[rel]}", _REVERSE[rel], latex))
    if head:
        other = head.replace("min", "@").replace("max", "min").replace("@", "max")
        out.append(("reverse", "argmin <-> argmax", rel, other + body))
    return out


# ----------------------------------------------------------------------------------------
# running check_text with the engine's input captured
# ----------------------------------------------------------------------------------------
def check_step(chain: LatexChain, prev: str, rel: str, expr: str, budget: float):
    """Check the one-step note prev rel expr; return (StepResult or None, captured Problem or None)."""
    import verifier.notes.check as check

    note = LatexChain(chain.name, prev, ((rel, expr),), chain.preamble, chain.assume, chain.over)
    text, _ = render(note)
    captured: dict = {}
    real = check.decide_step

    def spy(problem, left):
        captured["problem"] = problem
        return real(problem, left)

    steps: list = []

    def on_step(sr):
        steps.append((sr, captured.pop("problem", None)))

    check.decide_step = spy
    try:
        check.check_text(text, "mutant.md", assumptions=list(chain.assume), budget=budget, on_step=on_step)
    finally:
        check.decide_step = real
    if len(steps) != 1:
        return None, None
    return steps[0]


class LatexCase:
    """A LaTeX mutant and its outcome (the fields the report of bench.soundness reads)."""

    def __init__(self, where: str, kind: str, description: str, relation: str, latex: str) -> None:
        self.where = where
        self.path = "latex"
        self.mutant = Mutant(kind, description, sp.Symbol("latex"), relation)
        self.latex = latex
        self.oracle = ""
        self.oracle_detail = ""
        self.status = ""
        self.method = ""
        self.message = ""
        self.seconds = 0.0
        self.outcome = ""
        self.extra = {"latex": latex}

    def to_json(self) -> dict:
        return {"path": "latex", "where": self.where, "kind": self.mutant.kind,
                "description": self.mutant.description, "relation": self.mutant.relation,
                "latex": self.latex, "oracle": self.oracle, "oracle_detail": self.oracle_detail,
                "status": self.status, "method": self.method, "message": self.message[:300],
                "seconds": round(self.seconds, 3), "outcome": self.outcome}


_JOBS: list = []


def _job(idx: int):
    chain, prev, rel, latex, budget = _JOBS[idx]
    from bench.soundness import judge

    sr, problem = check_step(chain, prev, rel, latex, budget)
    if sr is None:
        return "missing", "", "the checker did not report exactly one step", 0.0, oracle.UNDETERMINED, ""
    if problem is None:
        return sr.status, sr.method, sr.message or "", sr.seconds, oracle.UNDETERMINED, "no problem reached the engine"
    try:
        j = judge(problem)
        verdict, detail = j.verdict, j.detail
    except Exception as exc:  # noqa: BLE001
        verdict, detail = oracle.UNDETERMINED, f"oracle error: {type(exc).__name__}: {exc}"
    return sr.status, sr.method, sr.message or "", sr.seconds, verdict, detail


def _run(jobs_list: list, jobs: int) -> list:
    global _JOBS
    _JOBS = jobs_list
    with cf.ProcessPoolExecutor(max(1, jobs), mp_context=mp.get_context("fork")) as ex:
        return list(ex.map(_job, range(len(jobs_list))))


def latex_cases(corpus=CORPUS, cap: int = 24, seed: int = 1, budget: float = 8.0, jobs: int = 2,
                log=print) -> tuple[list[LatexCase], list[str]]:
    from bench.soundness import EQUIVALENT, _cap, classify

    rng = random.Random(seed)
    skipped: list[str] = []
    originals = []
    for chain in corpus:
        exprs = [chain.first] + [e for _, e in chain.rows]
        for k, (rel, expr) in enumerate(chain.rows):
            originals.append((chain, exprs[k], rel, expr, budget))
    judged = _run(originals, jobs)
    work: list = []
    cases: list[LatexCase] = []
    for (chain, prev, rel, expr, _), (status, method, message, _secs, verdict, detail) in zip(originals, judged):
        k = chain.rows.index((rel, expr)) + 1
        where = f"{chain.name} / step {k}"
        if status not in ("proved", "checked") or verdict != oracle.HOLDS:
            skipped.append(f"[latex] {where}: original step is {status} ({method}), oracle {verdict} "
                           f"{detail[:80]}; its mutants are skipped")
            continue
        muts = text_mutants(rel, expr, chain.over)
        as_mutants = [Mutant(kind, desc, sp.Symbol(f"m{j}"), r) for j, (kind, desc, r, _) in enumerate(muts)]
        chosen = _cap(as_mutants, cap, rng)
        for m in chosen:
            j = int(m.expr.name[1:])
            kind, desc, r, latex = muts[j]
            cases.append(LatexCase(where, kind, desc, r, latex))
            work.append((chain, prev, r, latex, budget))
    log(f"latex: {len(corpus)} chains, {len(cases)} mutants", file=sys.stderr)
    results = _run(work, jobs)
    for c, (status, method, message, secs, verdict, detail) in zip(cases, results):
        c.status, c.method, c.message, c.seconds = status, method, message, secs
        c.oracle, c.oracle_detail = verdict, detail
        # an oracle that cannot judge counts conservatively: an acceptance is a false accept
        c.outcome = EQUIVALENT if verdict == oracle.HOLDS else classify(status)
    return cases, skipped


def run(args) -> tuple[list | None, list[str]]:
    """Entry point used by bench/soundness.py."""
    try:
        import verifier.notes.check  # noqa: F401
    except ImportError:
        return None, ["[latex] verifier.notes.check is not available: the LaTeX path is skipped"]
    return latex_cases(cap=args.latex_max_per_step, seed=args.seed, budget=args.budget, jobs=args.jobs)


__all__ = ["text_mutants", "check_step", "latex_cases", "run", "KINDS"]
