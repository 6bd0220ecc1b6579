"""SymPy's unit system and tensor module are loaded only when something uses them (engine.sympy_deferred):
`simplify` no longer loads the units to learn that an expression holds no quantity, nor a sum the tensor
module to learn that it holds no tensor, and code that does use them sees the real modules, in whatever
order it reaches them.  Each case runs in a fresh interpreter (the stand-ins live in sys.modules)."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

PRELUDE = """
import sys
from verifier.engine import sympy_deferred
sympy_deferred.defer()
units_loaded = lambda: sympy_deferred.loaded("sympy.physics.units")
tensor_loaded = lambda: sympy_deferred.loaded("sympy.tensor.tensor")
import sympy
import sympy as sp
x = sp.Symbol("x", positive=True)
"""


def run(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", PRELUDE + textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_simplify_and_checksol_do_not_load_the_units():
    out = run("""
        from sympy.solvers.solvers import checksol
        assert sp.simplify(sp.sin(x)**2 + sp.cos(x)**2) == 1
        assert sp.simplify(sp.log(x**2) - 2*sp.log(x)) == 0
        assert checksol(x**2 - 4, x, 2)
        print(units_loaded(), "sympy.physics.units.systems.si" in sys.modules)
    """)
    assert out == "False False"


def test_a_name_of_the_units_loads_the_real_package():
    out = run("""
        from sympy.physics.units import meter, second, Quantity, convert_to
        import sympy.physics.units as u
        assert isinstance(meter, Quantity) and u.Quantity is Quantity
        assert convert_to(3 * u.kilometer, u.meter) == 3000 * u.meter
        print(units_loaded(), sp.simplify(2 * meter / second - meter / second))
    """)
    assert out == "True meter/second"


def test_simplify_of_quantities_is_simplify_of_quantities():
    # what quantity_simplify makes of an expression with units, with and without the stand-in
    code = """
        import sympy.physics.units as u
        print(sp.simplify(u.kilometer / u.meter), sp.simplify(u.foot / u.inch + 1))
    """
    plain = subprocess.run([sys.executable, "-c", "import sympy as sp\n" + textwrap.dedent(code)],
                           capture_output=True, text=True, timeout=120).stdout.strip()
    assert run(code) == plain == "1000 13"


@pytest.mark.parametrize("first", ["import sympy.physics.units.quantities as q; Q = q.Quantity",
                                   "from sympy.physics.units.quantities import Quantity as Q",
                                   "from sympy.physics.units.systems.si import SI; from sympy.physics.units import Quantity as Q"])
def test_a_submodule_imported_on_its_own_gives_the_real_quantity(first):
    # a quantity made from a submodule alone is still seen by simplify's `expr.has(Quantity)`
    out = run(first + """
from sympy.physics.units import Quantity
assert Quantity is Q
km = Q("km_test")
print(sp.Symbol("y") * km + km * sp.Symbol("y") != 0, (km * 2).has(Quantity))
""")
    assert out == "True True"


def test_before_the_units_load_the_stand_in_matches_nothing():
    out = run("""
        from sympy.physics.units import Quantity, Unit
        print(units_loaded(), (x + 1).has(Quantity), (x + 1).as_independent(Unit)[0])
    """)
    assert out == "False False x + 1"


def test_defer_after_the_modules_are_loaded_changes_nothing():
    code = """
import sympy.physics.units as real
import sympy.tensor.tensor as real_tensor
from verifier.engine import sympy_deferred
sympy_deferred.defer()
import sympy.physics.units as again
import sympy.tensor.tensor as again_tensor
print(again is real, again_tensor is real_tensor, sympy_deferred._FINDER in sys.meta_path)
"""
    proc = subprocess.run([sys.executable, "-c", "import sys\n" + code], capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "True True False", proc.stderr


def test_defer_imports_nothing():
    code = """
from verifier.engine import sympy_deferred
sympy_deferred.defer()
print("sympy" in sys.modules)
"""
    proc = subprocess.run([sys.executable, "-c", "import sys\n" + code], capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "False", proc.stderr


@pytest.mark.parametrize("how", ["import sympy.physics.units as u; print(type(u).__name__)",
                                 "import sympy.physics; print(type(sympy.physics.units).__name__)",
                                 "from sympy.physics import units; print(type(units).__name__)"])
def test_the_package_is_imported_the_usual_ways(how):
    # the stand-in sits where the package would, with its parents imported as usual
    assert run(how) == "_Deferred"


def test_sums_do_not_load_the_tensor_module():
    out = run("""
        y = sp.Symbol("y")
        e = sp.expand((x + y + 1) ** 3) - sp.Sum(y ** 2, (y, 0, 3)).doit()
        assert sp.simplify(sp.sin(x) ** 2 + sp.cos(x) ** 2 + y - y) == 1
        print(tensor_loaded(), "sympy.combinatorics" in sys.modules, e.subs({x: 1, y: 1}))
    """)
    assert out == "False False 13"  # 27 - (0 + 1 + 4 + 9)


TENSORS = """
from sympy.tensor.tensor import TensorIndexType, tensor_indices, TensorHead, TensAdd
L = TensorIndexType("L")
i, j = tensor_indices("i j", L)
A, B = TensorHead("A", [L]), TensorHead("B", [L])
e = A(i) + B(i) + A(i)
print(e, type(e).__name__, isinstance(e, TensAdd), (A(i) * B(-i) + 0).has(A))
"""


@pytest.mark.parametrize("first", ["", "print(x + 1)", "from sympy.tensor.tensor import TensExpr; assert not isinstance(x, TensExpr)"])
def test_tensor_arithmetic_is_what_it_is_without_the_stand_in(first):
    # the sums of tensors that Add.flatten hands to TensAdd, after sums built while the stand-in stood
    plain = subprocess.run([sys.executable, "-c", "import sympy as sp\nx = sp.Symbol('x')\n" + first + "\n" + TENSORS],
                           capture_output=True, text=True, timeout=120)
    assert plain.returncode == 0, plain.stderr
    assert run(first + "\n" + TENSORS + "\nprint(tensor_loaded())") == plain.stdout.strip() + "\nTrue"
    assert plain.stdout.strip().splitlines()[-1] == "2*A(i) + B(i) TensAdd True True"


def test_before_the_tensor_module_loads_its_stand_in_matches_nothing():
    out = run("""
        from sympy.tensor.tensor import TensExpr, TensAdd
        print(tensor_loaded(), isinstance(x + 1, (TensExpr, TensAdd)), type(sympy.tensor.tensor).__name__)
    """)
    assert out == "False False _Deferred"


def test_a_stand_in_kept_before_the_load_answers_with_the_real_classes_after_it():
    out = run("""
        x + 1  # a sum: Add.flatten has asked the stand-in for TensExpr (its answer is kept on it)
        stand_in = sys.modules["sympy.tensor.tensor"]
        before = stand_in.TensExpr
        from sympy.tensor.tensor import TensorIndexType, TensExpr as real
        print(before is real, stand_in.TensExpr is real, isinstance(TensorIndexType("L").dummy_name, str))
    """)
    assert out == "False True True"
