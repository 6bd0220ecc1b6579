"""The reader's entry into the LaTeX grammar (notes.latex_grammar) against latex2sympy2_extended's own.

Run from the repository root:  python bench/grammar_entry.py [NOTES_DIR ...]

Collects every expression the reader hands to the grammar while reading the notes (default: the test
fixture notes and ../shared/corpus when present), then parses them all, in a fresh process each way:
with `latex2sympy` (the library's entry at its rule `math`) and with `latex_to_sympy` (ours).  Prints how many
results differ (SymPy srepr, or the first line of the error) and the CPU seconds of each, cold (a fresh
process, so ANTLR's prediction tables are empty at the start).  No test asserts a time.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_COLLECT = """
import json, sys, pathlib
import verifier.notes.structures as st
seen, real = [], st._grammar
def logged(s):
    seen.append(s)
    return real(s)
st._grammar = logged
from verifier.notes.check import read_text
for root in sys.argv[2:]:
    for p in sorted(pathlib.Path(root).rglob("*")):
        if p.suffix in (".md", ".tex", ".markdown", ".txt") and p.is_file():
            try:
                read_text(p.read_text(errors="replace"), str(p), jobs=1)
            except Exception as exc:
                print("could not read", p, exc, file=sys.stderr)
json.dump(list(dict.fromkeys(seen)), open(sys.argv[1], "w"))
"""

_PARSE = """
import json, sys, time
import sympy as sp
from latex2sympy2_extended.latex2sympy2 import ConversionConfig, latex2sympy
from latex2sympy2_extended.math_normalization import NormalizationConfig
from verifier.notes.latex_grammar import latex_to_sympy
cc = ConversionConfig(lowercase_symbols=False, interpret_contains_as_eq=False, interpret_as_mixed_fractions=False)
nc = NormalizationConfig(basic_latex=True, units=False, malformed_operators=False, nits=False, boxed="none",
                         equations=False)
way = sys.argv[1]
parse = (lambda s: latex2sympy(s, normalization_config=nc, conversion_config=cc)) if way == "library" else (
    lambda s: latex_to_sympy(s, nc, cc))
out = []
t = time.process_time()
for s in json.load(open(sys.argv[2])):
    try:
        out.append(sp.srepr(parse(s)))
    except RecursionError:
        out.append("RecursionError")
    except Exception as exc:
        out.append("error: " + (str(exc).splitlines() or [""])[0])
print(json.dumps({"seconds": time.process_time() - t, "out": out}))
"""


def main(argv: list[str]) -> None:
    roots = argv or [str(ROOT / "tests" / "fixtures")] + [
        str(p) for p in (ROOT.parent / "shared" / "corpus", Path("/work/shared/corpus")) if p.is_dir()][:1]
    with tempfile.TemporaryDirectory() as tmp:
        strings = Path(tmp) / "strings.json"
        env = {"VERIFY_INPROCESS": "1", "PATH": "/usr/bin:/bin"}
        subprocess.run([sys.executable, "-c", _COLLECT, str(strings), *roots], cwd=ROOT, check=True, env=env)
        n = len(json.loads(strings.read_text()))
        ways = {}
        for way in ("library", "ours"):
            proc = subprocess.run([sys.executable, "-c", _PARSE, way, str(strings)], cwd=ROOT, check=True,
                                  capture_output=True, text=True)
            ways[way] = json.loads(proc.stdout)
    differ = sum(a != b for a, b in zip(ways["library"]["out"], ways["ours"]["out"]))
    print(f"expressions {n}   differ {differ}   "
          f"library {ways['library']['seconds']:.2f} s CPU   ours {ways['ours']['seconds']:.2f} s CPU")


if __name__ == "__main__":
    main(sys.argv[1:])
