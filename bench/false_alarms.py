"""The other direction of soundness: does `verify check` ever say no to a right step?

Run from the repository root::

    python bench/false_alarms.py                  # corpus chains, the catalog in LaTeX, labelled notes
    python bench/false_alarms.py --sample 40 --jobs 2 --json out.json

Sources of right steps, each written as a note and read through ``verifier.notes.check.check_text``:

* the hand-written correct chains of :mod:`bench.latex_corpus`;
* every chain of the catalog, printed to LaTeX (``verifier.model.chain_latex.chain_objectives``) with
  its domains as assumptions and its definitions as display definitions before it;
* the labelled fixture notes (``tests/fixtures/*/*.labels.json``): every step labelled ``right``.

**Rewrites** (:data:`bench.rewrites.REWRITES`) keep a step's meaning: spelling variants, renamed
and shifted indices, commuted terms; a step split into two (through a rewritten copy of its right
side) and two ``=`` steps merged into one.  A rewrite of a right step that comes out ``refuted``
is a FALSE ALARM.  **Near misses** (:data:`bench.rewrites.NEAR_MISSES`) change an ``=`` step by a
hair: a constant moved by 10^-k (k up to 40), a decimal for a fraction, a term moved into a sum.
One that comes out ``proved`` or ``checked`` is a FALSE ACCEPT.  The original steps themselves
count as rewrites (the identity rewrite): a catalog step refuted after printing and reading is a
false alarm too.

The last line of the output reads exactly::

    rewrites=N false_alarms=F near_misses=M false_accepts=A
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import multiprocessing as mp
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.latex_corpus import CORPUS, REL_LATEX, LatexChain, render  # noqa: E402
from bench.rewrites import NEAR_MISSES, REWRITES  # noqa: E402

RIGHT, WRONG = "right", "wrong"


@dataclass
class Case:
    """A note with expectations per line: 'right' lines must not be refuted, 'wrong' ones not accepted."""

    source: str
    where: str
    kind: str  # rewrite / near-miss name, 'original', 'split', 'merge', 'note-wide:<name>'
    text: str
    assume: tuple[str, ...]
    expect: dict[int, str]
    statuses: dict[int, list[str]] = field(default_factory=dict)
    error: str = ""
    #: a labelled note's expectations per line, one per step in the order written (a line may hold a right
    #: and a planted wrong step); where the tool's steps at a line pair up with them, each is judged alone
    labels: dict[int, list[str]] = field(default_factory=dict)

    def failures(self) -> list[tuple[int, str, str]]:
        out = []
        for line, want in self.expect.items():
            got = self.statuses.get(line, [])
            wants = self.labels.get(line)
            if wants is not None and len(wants) == len(got):
                pairs = list(zip(wants, got))
            elif wants is not None and any(w != RIGHT for w in wants):
                continue  # a line with a planted wrong step whose steps do not pair up: not judged here
            else:
                pairs = [(want, st) for st in got]
            for w, st in pairs:
                if w == RIGHT and st == "refuted":
                    out.append((line, w, st))
                if w == WRONG and st in ("proved", "checked"):
                    out.append((line, w, st))
        return out

    def to_json(self) -> dict:
        return {"source": self.source, "where": self.where, "kind": self.kind, "assume": list(self.assume),
                "expect": self.expect, "statuses": self.statuses, "failures": self.failures(),
                "error": self.error, "text": self.text}


# ----------------------------------------------------------------------------------------
# sources of right steps
# ----------------------------------------------------------------------------------------
def catalog_chains() -> list[LatexChain]:
    """Every chain of the catalog printed to LaTeX, with its domains and definitions."""
    from verifier.model.catalog import load_catalog, occurrence_key
    from verifier.model.chain_latex import chain_objectives
    from verifier.output.render import definitions_latex

    out = []
    for d in load_catalog():
        if any(dom.kind in ("onehot", "probability") for dom in d.context.vectors.values()):
            continue  # a note cannot state these domains in one assumption: the reading would claim less
        assume = tuple(_assumptions(d.context))
        defs = [t for t in definitions_latex(d.context) if "\\text" not in t]
        preamble = "\n".join(f"$$\n{t}\n$$\n" for t in defs)
        for c in d.chains:
            exprs = chain_objectives(c)
            rows = tuple((s.relation or "=", e) for s, e in zip(c.steps[1:], exprs[1:]))
            if any(r not in REL_LATEX for r, _ in rows):
                rows = tuple(("=" if r in ("argmin-equivalent", "argmax-equivalent") else r, e) for r, e in rows)
            if any(r not in REL_LATEX or s.lemma or s.witness or s.cases for (r, _), s in zip(rows, c.steps[1:])):
                continue  # lemma, witness and by-cases steps say more than the relation
            over = tuple(str(v) for v in c.steps[0].over) or (("optimised",) if c.steps[0].sense else ())
            out.append(LatexChain(f"{occurrence_key(d)} / {c.name}", exprs[0], rows, preamble, assume, over))
    return out


def _assumptions(ctx) -> list[str]:
    import sympy as sp

    from verifier.model.latex import to_latex

    out = []
    for s, dom in ctx.scalars.items():
        name = to_latex(s)
        spell = {"positive": f"{name}>0", "nonnegative": f"{name}>=0", "unit": f"0<{name}<1",
                 "binary": f"{name} \\in \\{{0,1\\}}"}.get(dom.kind)
        if spell:
            out.append(spell)
    for base, dom in ctx.vectors.items():
        r = ctx.vector_ranges.get(base)
        entry = to_latex(base[r.index]) if r else f"{to_latex(base)}_i"
        spell = {"positive": f"{entry}>0", "probability": f"{entry}>0", "unit": f"0<{entry}<1",
                 "binary": f"{entry} \\in \\{{0,1\\}}"}.get(dom.kind)
        if spell:
            out.append(spell)
    for fn, dom in ctx.functions.items():  # the values of a function: 0 < \hat{y}(t) < 1 (any argument)
        value = to_latex(fn(*sp.symbols(f"t0:{max(fn.nargs) if fn.nargs != sp.S.Naturals0 else 1}")))
        spell = {"positive": f"{value}>0", "unit": f"0<{value}<1"}.get(dom.kind)
        if spell and "\\operatorname" not in value:  # Pr(. | .) of the catalog has no note spelling
            out.append(spell)
    return out


def chain_cases(chains: list[LatexChain], source: str) -> list[Case]:
    cases: list[Case] = []
    for ch in chains:
        exprs = [ch.first] + [e for _, e in ch.rows]
        for k, (rel, expr) in enumerate(ch.rows):
            prev = exprs[k]
            where = f"{ch.name} / step {k + 1}"
            cases.append(_step_case(source, where, "original", ch, [(prev, rel, expr)]))
            for name, fn in REWRITES.items():
                for desc, new in fn(expr)[:1]:
                    cases.append(_step_case(source, where, f"{name}: {desc}", ch, [(prev, rel, new)]))
                    cases.append(_step_case(source, where, f"split via {name}", ch,
                                            [(prev, rel, new), (new, "=", expr)]))
                for desc, new in fn(prev)[:1]:
                    cases.append(_step_case(source, where, f"{name} (left side): {desc}", ch, [(new, rel, expr)]))
            if rel == "=" and not ch.over:  # in an argmin chain a nudged constant may not matter
                for name, fn in NEAR_MISSES.items():
                    for desc, new in fn(expr):
                        cases.append(_step_case(source, where, f"{name}: {desc}", ch, [(prev, rel, new)],
                                                want=WRONG))
            if k + 1 < len(ch.rows):
                rel2, expr2 = ch.rows[k + 1]
                merged = rel if rel2 == "=" else rel2 if rel == "=" else (rel if rel == rel2 else None)
                if merged:
                    cases.append(_step_case(source, f"{where}+{k + 2}", "merge", ch, [(prev, merged, expr2)]))
    return cases


def _step_case(source: str, where: str, kind: str, ch: LatexChain, steps: list[tuple[str, str, str]],
               want: str = RIGHT) -> Case:
    first = steps[0][0]
    rows = tuple((rel, expr) for _, rel, expr in steps)
    note = LatexChain(ch.name, first, rows, ch.preamble, ch.assume, ch.over)
    text, lines = render(note)
    return Case(source, where, kind, text, ch.assume, {ln: want for ln in lines})


def labelled_cases(root: Path = ROOT / "tests" / "fixtures") -> list[Case]:
    """The labelled notes as written, and rewritten note-wide (every display's spelling)."""
    cases = []
    for lab in sorted(root.glob("*/*.labels.json")):
        data = json.loads(lab.read_text(encoding="utf-8"))
        note = lab.parent / data["note"]
        if not note.exists():
            continue
        text = note.read_bytes().decode("utf-8")
        expect = {s["line"]: RIGHT for s in data["steps"] if s.get("expect") == "right"}
        if not expect:
            continue
        labels: dict[int, list[str]] = {}
        for s in data["steps"]:  # the labels of a line, in the order written (the steps' order)
            want = s.get("expect", "")
            labels.setdefault(s["line"], []).append(RIGHT if want == "noted" else want)  # noted: never refuted
        labels = {ln: ws for ln, ws in labels.items() if ln in expect}
        where = f"{lab.parent.name}/{note.name}"
        cases.append(Case("notes", where, "original", text, (), dict(expect), labels=dict(labels)))
        for name in ("dfrac", "times", "ln", "bare-parens"):
            new = _note_wide(text, REWRITES[name])
            if new != text:
                cases.append(Case("notes", where, f"note-wide: {name}", new, (), dict(expect), labels=dict(labels)))
    return cases


_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)


def _note_wide(text: str, fn) -> str:
    """Apply a rewrite to every $$ display of a note, row by row (line numbers are kept)."""
    def one(m: re.Match) -> str:
        rows = m.group(1).split("\n")
        out = []
        for r in rows:
            got = fn(r) if r.strip() else []
            out.append(got[0][1] if got and "\n" not in got[0][1] else r)
        return "$$" + "\n".join(out) + "$$"
    return _DISPLAY.sub(one, text)


# ----------------------------------------------------------------------------------------
# running
# ----------------------------------------------------------------------------------------
_BUDGET = [8.0]


def run_case(case: Case, check=None) -> Case:
    """Check the case's note (with `check`, default ``verifier.notes.check.check_text``) and record the
    statuses of its steps by line."""
    if check is None:
        from verifier.notes.check import check_text as check
    try:
        path = case.where if case.where.lower().endswith((".md", ".tex")) else f"{case.where}.md"  # a TeX note as TeX
        rep = check(case.text, path, assumptions=list(case.assume), budget=_BUDGET[0])
        for s in sorted(rep.steps, key=lambda s: (s.line, getattr(s, "index", 0))):  # in the order written
            case.statuses.setdefault(s.line, []).append(s.status)
    except Exception as exc:  # noqa: BLE001 - a crash of the checker is reported, not hidden
        case.error = f"{type(exc).__name__}: {exc}"
    return case


def run_all(cases: list[Case], jobs: int, budget: float, log=print) -> list[Case]:
    _BUDGET[0] = budget
    if jobs <= 1:
        return [run_case(c) for c in cases]
    with cf.ProcessPoolExecutor(jobs, mp_context=mp.get_context("fork")) as ex:
        out = []
        for k, c in enumerate(ex.map(run_case, cases, chunksize=4)):
            out.append(c)
            if (k + 1) % 50 == 0:
                log(f"  {k + 1}/{len(cases)} notes", file=sys.stderr)
        return out


def summary(cases: list[Case]) -> dict[str, int]:
    rewrites = sum(1 for c in cases for w in c.expect.values() if w == RIGHT)
    near = sum(1 for c in cases for w in c.expect.values() if w == WRONG)
    alarms = sum(1 for c in cases for _, w, _ in c.failures() if w == RIGHT)
    accepts = sum(1 for c in cases for _, w, _ in c.failures() if w == WRONG)
    return {"rewrites": rewrites, "false_alarms": alarms, "near_misses": near, "false_accepts": accepts,
            "errors": sum(1 for c in cases if c.error)}


def summary_line(s: dict[str, int]) -> str:
    return (f"rewrites={s['rewrites']} false_alarms={s['false_alarms']} "
            f"near_misses={s['near_misses']} false_accepts={s['false_accepts']}")


def build(sources: list[str], sample: int | None, seed: int) -> list[Case]:
    cases: list[Case] = []
    if "corpus" in sources:
        cases += chain_cases(list(CORPUS), "corpus")
    if "catalog" in sources:
        cases += chain_cases(catalog_chains(), "catalog")
    if "notes" in sources:
        cases += labelled_cases()
    if sample:
        rng = random.Random(seed)
        by_source: dict[str, list[Case]] = {}
        for c in cases:
            by_source.setdefault(c.source, []).append(c)
        cases = [c for cs in by_source.values() for c in (rng.sample(cs, sample) if len(cs) > sample else cs)]
    return cases


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sources", default="corpus,catalog,notes")
    ap.add_argument("--sample", type=int, default=None, help="at most this many notes per source")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--budget", type=float, default=8.0)
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)
    cases = build(args.sources.split(","), args.sample, args.seed)
    print(f"{len(cases)} notes to check", file=sys.stderr)
    cases = run_all(cases, args.jobs, args.budget)
    for c in cases:
        for line, want, st in c.failures():
            what = "FALSE ALARM" if want == RIGHT else "FALSE ACCEPT"
            row = c.text.splitlines()[line - 1].strip() if 0 < line <= len(c.text.splitlines()) else ""
            print(f"{what}: [{c.source}] {c.where} ({c.kind}) line {line}: {st}: {row[:160]}")
        if c.error:
            print(f"ERROR: [{c.source}] {c.where} ({c.kind}): {c.error}")
    if args.json:
        Path(args.json).write_text(json.dumps([c.to_json() for c in cases], ensure_ascii=False, indent=1))
    s = summary(cases)
    print(f"errors={s['errors']}")
    print(summary_line(s))
    return 0 if s["false_alarms"] == 0 and s["false_accepts"] == 0 and s["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
