"""The command line ends its process without the interpreter's teardown (cli.end_process): what it
wrote is whole, its exit code is the command's, its verdicts are in the store, and no worker outlives
it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NOTE = """# Two steps

The square of a sum, written out:

$$
(a+b)^2 = a^2 + 2ab + b^2
$$

and a slip in the sign of the middle term:

$$
(a-b)^2 = a^2 + 2ab + b^2
$$
"""


def verify(*argv: str, cache: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, VERIFY_CACHE_DIR=str(cache))
    return subprocess.run([sys.executable, "-m", "verifier", *argv], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=300)


def test_the_output_is_whole_the_exit_code_kept_and_the_verdicts_stored(tmp_path):
    note = tmp_path / "note.md"
    note.write_text(NOTE, encoding="utf-8")
    cache = tmp_path / "cache"
    first = verify("check", str(note), "--format", "json", cache=cache)
    assert first.returncode == 1, first.stderr  # the second display is refuted
    report = json.loads(first.stdout)  # block-buffered into a pipe: flushed before the process ends
    statuses = [s["status"] for f in report["files"] for b in f["blocks"] for s in b["steps"] if s["kind"] == "claim"]
    assert statuses == ["proved", "refuted"], statuses
    info = verify("cache", "info", cache=cache)
    assert info.returncode == 0 and "entries: 0 " not in info.stdout, info.stdout  # committed before the end
    note.write_text(NOTE.split("and a slip")[0], encoding="utf-8")
    assert verify("check", str(note), cache=cache).returncode == 0


def test_end_now_leaves_no_worker_and_a_new_pool_works():
    code = textwrap.dedent("""
        import multiprocessing as mp, pickle
        from verifier.engine import pool
        def square(x, report=None):
            return x * x
        f = pool.schedule(2, pickle.dumps((square, (7,))), 10.0, None, 60.0)
        print(f.result(timeout=60), len(mp.active_children()) >= 1)
        pool.end_now()
        print(mp.active_children(), pool.workers_alive())
        f = pool.schedule(1, pickle.dumps((square, (8,))), 10.0, None, 60.0)
        print(f.result(timeout=60))
        pool.end_now()
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:3] == ["49 True", "[] 0", "64"], out.stdout


def test_end_process_flushes_what_was_written_and_keeps_the_code():
    code = ("import sys; from verifier.cli import end_process; "
            "sys.stdout.write('kept'); sys.stderr.write('told'); end_process(3)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert (out.returncode, out.stdout, out.stderr) == (3, "kept", "told")
