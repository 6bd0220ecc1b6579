"""`verify show ID`: one derivation, step by step, as LaTeX with each step's status."""
from __future__ import annotations

import json

from rich.table import Table
from rich.text import Text

from verifier.model.catalog import occurrence_key
from verifier.model.chain import Derivation
from verifier.model.chain_latex import derivation_latex
from verifier.model.results import PROVED
from verifier.output.catalog_run import verify_run
from verifier.output.export import md_derivation, tex_fragment
from verifier.output.report import make_console, print_details, status_text
from verifier.output.terminal_text import terminal_text


def show(chosen: list[Derivation], args) -> int:
    console = make_console()
    results = ([None] * len(chosen) if args.no_verify
               else verify_run(chosen, args.ids, args.budget, show=args.format == "rich"))
    ok = all(r is None or r.passed((PROVED,)) for r in results)
    if args.format == "json":
        print(json.dumps({"derivations": [dict(r.to_json(), occurrence=occurrence_key(d), latex=derivation_latex(d))
                                          if r else {"id": d.id, "occurrence": occurrence_key(d),
                                                     "latex": derivation_latex(d)}
                                          for d, r in zip(chosen, results)]}, ensure_ascii=False, indent=2))
        return 0 if ok else 1
    if args.format == "tex":  # the fragment of `verify export --fragment`: align* per chain
        print("\n".join(tex_fragment(d, r) for d, r in zip(chosen, results)), end="")
        return 0 if ok else 1
    if args.format == "md":
        print("\n\n".join(md_derivation(d, r) for d, r in zip(chosen, results)))
        return 0 if ok else 1
    for d, r in zip(chosen, results):
        console.print(Text(f"{occurrence_key(d)}: {terminal_text(d.title)}", style="bold"))
        if d.source:
            console.print(Text(f"source: {d.source.readable()}"))
        t = Table(show_lines=True)
        for col in ("#", "chain", "relation", "step (LaTeX)", "justification", "status"):
            t.add_column(col, overflow="fold")
        idx = 0
        for c in d.chains:
            t.add_row("", terminal_text(c.name), "", Text(_latex_of(c.steps[0])), "", "")
            for _prev, step in c.pairs():
                st = r.steps[idx] if r else None
                t.add_row(str(idx), "", step.relation or "", Text(_latex_of(step)), Text(terminal_text(step.why)),
                          status_text(st.status) if st else Text("-"))
                idx += 1
        console.print(t)
        if r:
            print_details([r], [occurrence_key(d)], console)
    return 0 if ok else 1


def _latex_of(step) -> str:
    from verifier.model.chain_latex import objective_latex

    return objective_latex(step)
