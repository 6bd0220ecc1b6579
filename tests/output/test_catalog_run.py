"""A warm `verify all` reads the whole run from the verdict store (issue 12): the same table and
exit code, no SymPy imported; any change to what the verdicts depend on is a miss."""
from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import textwrap

from verifier.cli import main
from verifier.engine import cache
from verifier.model.results import DerivationResult, StepResult
from verifier.output import catalog_run

ONE = "bayes-posterior@003"


def _result(method: str = "symbolic") -> list[DerivationResult]:
    r = DerivationResult("d", "a title", "post")
    r.steps.append(StepResult(index=0, relation="=", lhs="a", rhs="b", status="proved", method=method))
    return [r]


def test_a_warm_run_gives_the_same_table_and_exit_code_and_says_where_it_came_from(capsys):
    assert main(["all", ONE, "--no-cache"]) == 0  # --no-cache neither reads nor writes the run
    assert catalog_run.cached_run(catalog_run.run_key([ONE], 20.0)) is None
    capsys.readouterr()
    cache.set_enabled(True)
    try:
        assert main(["all", ONE, "--format", "json"]) == 0
        cold = capsys.readouterr().out
        assert main(["all", ONE, "--format", "json"]) == 0
        warm = capsys.readouterr().out
        assert main(["all", ONE]) == 0
        table = capsys.readouterr().out
    finally:
        cache.set_enabled(True)
    def steps(text: str) -> list[dict]:
        return [{k: v for k, v in s.items() if k != "time"} for s in json.loads(text)["derivations"][0]["steps"]]

    assert steps(cold) == steps(warm) and len(steps(cold)) == 3
    assert "from the verdict cache" in table and "--no-cache" in table


def test_a_warm_run_imports_no_sympy(tmp_path):
    env = dict(os.environ, VERIFY_CACHE_DIR=str(tmp_path / "c"))
    env.pop("VERIFY_NO_CACHE", None)
    code = textwrap.dedent(f"""
        import sys
        from verifier.cli import main
        rc = main(["all", "{ONE}", "--format", "json"])
        print("SYMPY" if "sympy" in sys.modules else "NO-SYMPY", rc)
    """)
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600, check=False)
            for _ in range(2)]
    assert runs[0].stdout.strip().endswith("SYMPY 0"), runs[0].stderr[-2000:]
    assert runs[1].stdout.strip().endswith("NO-SYMPY 0"), runs[1].stderr[-2000:]


def test_the_key_changes_with_the_catalog_sources_the_ids_and_the_budget(tmp_path, monkeypatch):
    pkg = tmp_path / "mycatalog"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "one.py").write_text("DERIVATIONS = []\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    k1 = catalog_run.run_key(["a"], 20.0, package="mycatalog")
    assert k1 == catalog_run.run_key(["a"], 20.0, package="mycatalog")
    assert k1 != catalog_run.run_key(["a"], 5.0, package="mycatalog")
    assert k1 != catalog_run.run_key(["b"], 20.0, package="mycatalog")
    (pkg / "one.py").write_text("DERIVATIONS = []  # edited\n")
    assert k1 != catalog_run.run_key(["a"], 20.0, package="mycatalog")
    assert catalog_run.run_key([], 20.0, package="no_such_catalog_package") is None


def test_a_run_with_a_timeout_or_an_internal_error_is_not_stored():
    key = catalog_run.run_key(["never-stored"], 20.0)
    assert not catalog_run.store_run(key, _result("timeout"), ["d"])
    assert not catalog_run.store_run(key, _result("error"), ["d"])
    assert catalog_run.cached_run(key) is None
    assert catalog_run.store_run(key, _result(), ["d"])
    hit = catalog_run.cached_run(key)
    assert hit is not None and hit[1] == ["d"] and hit[0][0].steps[0].status == "proved"


def test_a_row_that_does_not_load_is_a_miss_not_a_crash():
    key = catalog_run.run_key(["garbage"], 20.0)
    store = cache.default_cache()
    assert store is not None and store.put_blob(key, b"not a pickle")
    assert catalog_run.cached_run(key) is None
    assert store.put_blob(key, pickle.dumps(("a", "b")))
    assert catalog_run.cached_run(key) is None


def test_the_library_versions_are_read_without_importing_them():
    import importlib.metadata

    for name in ("sympy", "mpmath"):
        assert importlib.metadata.version(name) in catalog_run.library_version(name)
    assert catalog_run.library_version("no_such_library_here") == "?"
    code = "import sys, verifier.cli; print('importlib.metadata' in sys.modules, 'sympy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split() == ["False", "False"]  # (0.016 s of every command's start-up)


def test_a_library_version_change_is_a_new_key(tmp_path, monkeypatch):
    site = tmp_path / "site"
    lib = site / "somelib"
    lib.mkdir(parents=True)
    (lib / "__init__.py").write_text("from .release import __version__\n")
    (lib / "release.py").write_text("__version__ = '1.0'\n")
    monkeypatch.syspath_prepend(str(site))
    checkout = catalog_run.library_version("somelib")  # no metadata folder: the file that states the version
    assert checkout.startswith("sha256:")
    (lib / "release.py").write_text("__version__ = '1.1'\n")
    assert catalog_run.library_version("somelib") not in (checkout, "?")
    (site / "somelib-1.1.dist-info").mkdir()
    assert catalog_run.library_version("somelib") == "somelib-1.1.dist-info"
    key = catalog_run.run_key(["a"], 20.0)
    monkeypatch.setattr(catalog_run, "library_version", lambda name: "sympy-9.9.dist-info" if name == "sympy" else "x")
    assert catalog_run.run_key(["a"], 20.0) != key
