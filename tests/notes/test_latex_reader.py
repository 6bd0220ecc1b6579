"""The LaTeX reader (verifier.notes.reader): notes-aware LaTeX -> SymPy."""
import pytest
import sympy as sp

from verifier.notes.notation import Notation
from verifier.notes.reader import Reader
from verifier.notes.scan import ReadError


def read(s):
    return Reader().read(s)


def names(e):
    return {str(s) for s in e.free_symbols}


def test_log_is_natural_and_a_written_base_is_kept():
    x = sp.Symbol("x")
    assert read("\\log x").expr == sp.log(x)
    assert read("\\ln x").expr == sp.log(x)
    assert sp.simplify(read("\\log_2 x").expr - sp.log(x) / sp.log(2)) == 0
    assert read("-log(x)").expr == -sp.log(x)  # a bare word is the function


def test_symbols_are_case_sensitive_and_hats_are_names():
    assert names(read("P + p").expr) == {"P", "p"}
    assert names(read("\\hat{y}(1-\\hat{y})").expr) == {"yhat"}
    assert names(read("\\mathbf{x} + \\boldsymbol{\\theta} + \\mathcal{L}").expr) == {"x", "theta", "calL"}


def test_primes_are_derivatives():
    z = sp.Symbol("z")
    e = read("\\sigma'(z)").expr
    assert isinstance(e, sp.Derivative) and e.variables == (z,)
    assert isinstance(read("f^{\\prime}(z)").expr, sp.Derivative)


def test_indexed_data_under_sums_and_distribution_entries():
    e = read("\\sum_{i=1}^n x_i^2").expr
    assert isinstance(e, sp.Sum) and any(isinstance(a, sp.Indexed) for a in e.atoms(sp.Indexed))
    e = read("-\\sum_{i=1}^n P(x_i)\\log Q(x_i)").expr
    assert {str(a.base) for a in e.atoms(sp.Indexed)} == {"P", "Q"}
    assert "x_i" in names(read("x_i + 1").expr)  # outside a sum: a plain name


def test_function_calls_conditionals_and_brackets():
    e = read("p(Y=y_i|x_i, f, \\sigma^2)").expr  # a conditional: never the joint p(Y = y_i, x_i, ...)
    assert e.func.__name__ == "pcond" and len(e.args) == 4
    e = read("\\operatorname{Pr}\\left(y_i \\mid \\mathrm{f}\\left[x_i, \\phi\\right]\\right)").expr
    assert e.func.__name__ == "Prcond" and e.args[1].func.__name__ == "f"
    assert read("D_{KL}(P\\parallel Q)").expr.func.__name__ == "D_KL"
    assert read("y(1-y)").expr == sp.Symbol("y") * (1 - sp.Symbol("y"))  # a product, not a call


def test_partial_derivatives_text_left_right_cdot_exp():
    e = read("\\frac{\\partial L}{\\partial w}").expr
    assert isinstance(e, sp.Derivative)
    a, b = sp.symbols("a b")
    assert read("\\left( a \\right) \\cdot \\exp(b)").expr == a * sp.exp(b)


def test_objective_wrappers():
    p = read("\\underset{\\theta}{\\operatorname{argmin}} \\left[ (\\theta - 1)^2 \\right]")
    assert (p.sense, p.over) == ("min", ("theta",))
    p = read("\\arg\\max_{w} w(1 - w)")
    assert (p.sense, p.over) == ("max", ("w",))


def test_cases_become_piecewise():
    e = read("\\begin{cases} p & x = 1 \\\\ 1 - p & x = 0 \\end{cases}").expr
    assert isinstance(e, sp.Piecewise) and len(e.args) == 2


def test_garbage_and_python_are_read_errors_never_executed(tmp_path):
    marker = tmp_path / "pwned"
    for bad in [f"__import__('os').system('touch {marker}')", "\\frac{a}{", "a ... b", "\\hat{}",
                "}{", "(" * 200 + "x" + ")" * 200]:
        with pytest.raises(ReadError):
            read(bad)
    assert not marker.exists()


def test_size_limit_is_reported():
    with pytest.raises(ReadError, match="max-expr-size"):
        Reader(max_expr_size=50).read("+".join(["x"] * 60))


def test_notation_writes_names_as_the_note_does():
    n = Notation()
    assert n.symbol("yhat") == "\\hat{y}"
    assert n.key("y[1]") == "y_1"
    n.entry_templates["P"] = "P(x_{%s})"
    assert n.key("P[2]") == "P(x_{2})"
    assert n.symbol("sigma") == "\\sigma"


def test_the_grammar_answers_a_text_it_has_read_the_same_way_twice():
    from verifier.notes.scan import ReadError
    from verifier.notes.structures import grammar

    first = grammar(r"\frac{a}{b} + c^{2}")
    assert grammar(r"\frac{a}{b} + c^{2}") == first
    for _ in range(2):  # a rejected text is rejected again, with its reason
        with pytest.raises(ReadError, match="rejected"):
            grammar(r"\frac{a}{")
