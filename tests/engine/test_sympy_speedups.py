"""The faster free_symbols of sums, products and integrals (engine.sympy_speedups) gives SymPy's own
answer, without building the summand again; it is installed only for the SymPy releases it was
written against, and only when asked (the command line asks; importing the engine does not)."""
from __future__ import annotations

import random
import subprocess
import sys
import textwrap

import sympy as sp
from sympy.concrete.expr_with_limits import ExprWithLimits
from sympy.matrices.expressions.matexpr import MatrixElement

from verifier.engine import sympy_speedups


def sympy_own(expr: sp.Basic) -> set:
    """SymPy's own free_symbols of a sum / product / integral, whether or not the replacement is in."""
    own = sympy_speedups.REPLACED.get("free_symbols") or ExprWithLimits.__dict__["free_symbols"].fget
    assert own is not sympy_speedups.free_symbols_of
    return own(expr)


x, y, z, n, m = sp.symbols("x y z n m")
i, j, k = sp.symbols("i j k", integer=True)
a = sp.IndexedBase("a")
f = sp.Function("f")
W = sp.MatrixSymbol("W", n, m)
v = sp.MatrixSymbol("v", m, 1)

CASES = [
    sp.Sum(x * i, (i, 0, n)),
    sp.Sum(i, (i, 0, i + n)),  # the bound variable also in its own bound: free there
    sp.Sum(sp.Sum(a[i] * a[j], (j, 0, i)), (i, 0, n)),  # an inner bound holding the outer variable
    sp.Sum(a[i] * y, (a[i], 0, 1)),  # an entry as the variable: masked by a Dummy
    sp.Sum(a[i] * a[j], (a[i], 0, 1), (j, 0, m)),
    sp.Product(x + i, (i, 1, n)),
    sp.Integral(x * y, (x, 0, y)),
    sp.Integral(x * y, x),  # indefinite: the variable stays free
    sp.Integral(x * y, (x, z)),
    sp.Integral(f(x, y), (x, 0, 1), (y, 0, x)),
    sp.Sum(W[i, k] * v[k, 0], (k, 0, m - 1)),
    sp.Sum(sp.Sum(W[i, j] * v[j, 0], (j, 0, m - 1)) ** 2, (i, 0, n - 1)),
    sp.Sum(sp.exp(sp.Sum(W[i, j] * x, (j, 0, m - 1))), (i, 0, n - 1)),
    sp.Sum(sp.KroneckerDelta(i, k) * x, (i, 0, n)),
    sp.Sum(0 * z + i, (i, 0, 3)),
    sp.Sum(sp.Add(z, -z, evaluate=False) * 0 + i, (i, 0, n)),
]


def test_the_same_free_symbols_as_sympy_on_chosen_forms():
    for e in CASES:
        assert sympy_speedups.free_symbols_of(e) == sympy_own(e), e


def _random_sum(rng: random.Random, depth: int) -> sp.Expr:
    """A random nest of sums, products and integrals over symbols, entries and matrix entries."""
    leaves = [x, y, i, j, k, n, a[i], a[j + 1], W[i, j], v[k, 0], f(x, i), sp.Integer(2)]
    body = sp.Add(*[sp.Mul(*rng.sample(leaves, 2)) for _ in range(rng.randint(1, 3))])
    if depth:
        body = body + _random_sum(rng, depth - 1) * rng.choice([x, i, sp.Integer(1)])
    var = rng.choice([i, j, k, x, a[i]])
    lo, hi = rng.choice([(0, n), (1, i + 2), (j, m - 1), (0, 3)])
    cls = rng.choice([sp.Sum, sp.Product, sp.Integral]) if not isinstance(var, sp.Indexed) else sp.Sum
    return cls(body, (var, lo, hi))


def test_the_same_free_symbols_as_sympy_on_random_nests():
    rng = random.Random(7)
    checked = 0
    for _ in range(300):
        e = _random_sum(rng, rng.randint(0, 2))
        if not isinstance(e, ExprWithLimits):
            continue  # evaluated away
        assert sympy_speedups.free_symbols_of(e) == sympy_own(e), e
        checked += 1
    assert checked > 200


def _unmasked(self) -> set:
    """A wrong replacement: entry variables not masked."""
    out = set(self.function.free_symbols)
    for xab in self.limits:
        out.discard(xab[0])
        for bound in xab[1:]:
            out |= bound.free_symbols
    return out


def _bound_kept(self) -> set:
    """A wrong replacement: the bound variable left among the free symbols."""
    out = set(self.function.free_symbols)
    for xab in self.limits:
        for bound in xab[1:]:
            out |= bound.free_symbols
    return out


def test_the_chosen_forms_tell_wrong_replacements_apart():
    for wrong in (_unmasked, _bound_kept):
        assert any(wrong(e) != sympy_own(e) for e in CASES), wrong.__doc__
    assert all(sympy_speedups.free_symbols_of(e) == sympy_own(e) for e in CASES)


def test_the_summand_is_not_built_again(monkeypatch):
    e = sp.Sum(sp.Sum(W[i, j] * v[j, 0], (j, 0, m - 1)) ** 2, (i, 0, n - 1))
    built = []
    original = MatrixElement.__new__

    def counting(cls, *args, **kwargs):
        built.append(args)
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(MatrixElement, "__new__", staticmethod(counting))
    sympy_own(e)
    assert built, "SymPy's own free_symbols builds the entries again (what the replacement saves)"
    built.clear()
    # the inner sum's too: the replacement in place for this test, as the command line installs it
    monkeypatch.setattr(ExprWithLimits, "free_symbols", property(sympy_speedups.free_symbols_of))
    assert e.free_symbols == {n, m, W, v}
    assert built == []


def test_only_the_known_releases():
    assert sympy_speedups.applies("1.14.0") and sympy_speedups.applies("1.12.1") and sympy_speedups.applies("1.13")
    assert not sympy_speedups.applies("1.15.0") and not sympy_speedups.applies("1.11.1")
    assert not sympy_speedups.applies("2.0") and not sympy_speedups.applies("")


def run(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_defer_imports_nothing_and_installs_when_sympy_is_imported():
    out = run("""
        import sys
        from verifier.engine import sympy_speedups
        sympy_speedups.defer()
        print("sympy" in sys.modules, sympy_speedups.installed())
        import sympy as sp
        import inspect
        from sympy.concrete import expr_with_limits
        inspect.getsource(expr_with_limits.ExprWithLimits)  # the module's loader still answers
        i, n = sp.symbols("i n", integer=True)
        print(sympy_speedups.installed(), sorted(map(str, sp.Sum(i * n, (i, 0, n)).free_symbols)))
    """)
    assert out.splitlines() == ["False False", "True ['n']"]


def test_defer_after_sympy_is_imported_installs_at_once_and_the_engine_alone_does_not():
    out = run("""
        import sympy
        import verifier.engine.decide
        from verifier.engine import sympy_speedups
        print(sympy_speedups.installed())
        sympy_speedups.defer()
        print(sympy_speedups.installed())
    """)
    assert out.splitlines() == ["False", "True"]


def test_another_release_is_left_alone():
    out = run("""
        import sympy, sympy.release
        sympy.release.__version__ = "9.9.0"
        from verifier.engine import sympy_speedups
        print(sympy_speedups.install(), sympy_speedups.installed())
    """)
    assert out == "False False"
