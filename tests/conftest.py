"""Shared fixtures.  The seed posts live in ../shared/seeds beside the checkout; tests that
read them skip cleanly when that folder is absent."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed posts are not present at {SEEDS}: they are the five source posts of the catalog, "
                    "shipped beside the project checkout as ../shared/seeds (put that folder next to the "
                    "checkout to run these tests)")
    return SEEDS


@pytest.fixture(autouse=True)
def _no_inprocess(monkeypatch):
    """Tests exercise the real budgeted worker unless they opt out."""
    monkeypatch.delenv("VERIFY_INPROCESS", raising=False)
    yield


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch, tmp_path_factory):
    """Every test has a verdict cache of its own (issue 12): a verdict cached by one test never
    answers another's fresh run."""
    monkeypatch.setenv("VERIFY_CACHE_DIR", str(tmp_path_factory.mktemp("verdict-cache")))
    monkeypatch.delenv("VERIFY_NO_CACHE", raising=False)
    yield


@pytest.fixture
def fresh_workers():
    """For a test that patches the engine: the pool's workers that live are stopped before and after
    it, so that none started before misses the patch and none started under it outlives the test."""
    from verifier.engine import pool

    pool.shutdown()
    yield
    pool.shutdown()
