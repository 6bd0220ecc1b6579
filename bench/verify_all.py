"""Benchmark: `verify all` cold (``--no-cache``: every step decided afresh), against
`python -c "import sympy"`, in the same run.

Run from the repository root:  python bench/verify_all.py [--repeat N]
Prints each timing (best of N) and the ratio verify_all / import_sympy.  The project's modules are
compiled to bytecode first, as an installed copy is (bench/fast.py's installed_bytecode).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.fast import installed_bytecode  # noqa: E402


def timed(cmd: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, proc.returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    verify = shutil.which("verify")
    installed_bytecode()
    verify_cmd = [verify, "all", "--no-cache"] if verify else [sys.executable, "-m", "verifier", "all", "--no-cache"]
    sympy_cmd = [sys.executable, "-c", "import sympy"]
    best_sympy = min(timed(sympy_cmd)[0] for _ in range(args.repeat))
    runs = [timed(verify_cmd) for _ in range(args.repeat)]
    best_verify = min(t for t, _ in runs)
    codes = {rc for _, rc in runs}
    print(f"import sympy      : {best_sympy:8.3f} s (best of {args.repeat})")
    print(f"verify all (cold) : {best_verify:8.3f} s (best of {args.repeat}; exit codes {sorted(codes)})")
    print(f"ratio verify_all/import_sympy = {best_verify / best_sympy:.1f}")
    return 0 if codes == {0} else 1


if __name__ == "__main__":
    sys.exit(main())
