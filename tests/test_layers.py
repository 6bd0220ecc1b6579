"""The folder tree is the architecture: imports go one way, and no module imports itself back.

Layers, from the bottom: model -> engine -> notes -> output -> integrations / cli (and the
package's top-level modules).  A module may import its own layer and the layers below it,
never one above; no two modules import each other, directly or through others; no module
imports another's private (underscored) name.  Read with ``ast``: every import counts,
including those inside functions.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "verifier"
LAYERS = ["model", "engine", "notes", "output", "integrations"]
TOP = len(LAYERS)  # verifier/__init__.py, cli.py, testing.py, __main__.py


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) >= 2 and parts[1] in LAYERS else TOP


def project_imports(tree: ast.AST, module: str, is_package: bool, known: set[str]) -> list[tuple[str, list[str], int]]:
    """(imported module, names, line) for every import of a project module."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "verifier":
                    out.append((a.name, [], node.lineno))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "verifier":
                continue
            names = [a.name for a in node.names]
            # `from verifier.engine import numeric` imports the module verifier.engine.numeric
            subs = [f"{target}.{n}" for n in names if f"{target}.{n}" in known]
            if subs:
                out += [(s, [], node.lineno) for s in subs]
                rest = [n for n in names if f"{target}.{n}" not in known]
                if rest:
                    out.append((target, rest, node.lineno))
            else:
                out.append((target, names, node.lineno))
    return out


def graph() -> dict[str, list[tuple[str, list[str], int]]]:
    files = sorted(PKG.rglob("*.py"))
    known = {module_name(p) for p in files}
    g = {}
    for p in files:
        m = module_name(p)
        g[m] = project_imports(ast.parse(p.read_text(encoding="utf-8")), m, p.name == "__init__.py", known)
    return g


def layer_violations(g) -> list[str]:
    bad = []
    for m, imps in g.items():
        for target, _names, line in imps:
            if target == "verifier":
                if layer_of(m) != TOP:
                    bad.append(f"{m}:{line} imports the top-level package 'verifier'")
                continue
            if layer_of(target) > layer_of(m):
                bad.append(f"{m}:{line} imports {target} (layer {LAYERS[layer_of(target)] if layer_of(target) < TOP else 'top'}"
                           f" is above {LAYERS[layer_of(m)] if layer_of(m) < TOP else 'top'})")
    return bad


def cycles(g) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), and self-imports."""
    edges = {m: sorted({t for t, _, _ in imps if t in g and t != "verifier" and not m.startswith(t + ".")})
             for m, imps in g.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in edges[v]:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def private_imports(g) -> list[str]:
    return [f"{m}:{line} imports {n} from {t}" for m, imps in g.items() for t, names, line in imps
            for n in names if n.startswith("_") and not n.startswith("__") and t != m]


def test_imports_follow_the_layers():
    assert layer_violations(graph()) == []


def test_no_import_circle_between_modules():
    assert cycles(graph()) == []


def test_no_private_name_is_imported_across_modules():
    assert private_imports(graph()) == []


def test_modules_stay_short():
    long = {module_name(p): n for p in PKG.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 520}
    assert long == {}


# ---------------------------------------------------------------------------------------
# the checks themselves must fail on the faults they look for
# ---------------------------------------------------------------------------------------
def _fake(sources: dict[str, str]):
    known = set(sources)
    return {m: project_imports(ast.parse(src), m, False, known) for m, src in sources.items()}


def test_a_circle_is_found():
    g = _fake({"verifier.engine.a": "from verifier.engine.b import x\n",
               "verifier.engine.b": "def f():\n    from verifier.engine.c import y\n",
               "verifier.engine.c": "import verifier.engine.a\n"})
    assert cycles(g) == [["verifier.engine.a", "verifier.engine.b", "verifier.engine.c"]]


def test_an_import_against_the_layers_is_found():
    g = _fake({"verifier.model.chain": "def f():\n    from verifier.output.render import g\n",
               "verifier.output.render": "from verifier.model.chain import f\n"})
    assert [v.split(" ")[0] for v in layer_violations(g)] == ["verifier.model.chain:2"]
    assert cycles(g) == [["verifier.model.chain", "verifier.output.render"]]


@pytest.mark.parametrize("src", ["from verifier.engine.decide import _numeric_relation\n",
                                 "from .decide import _is_zero\n"])
def test_a_private_import_is_found(src):
    g = _fake({"verifier.engine.lemmas": src, "verifier.engine.decide": ""})
    assert private_imports(g) and "_" in private_imports(g)[0]
