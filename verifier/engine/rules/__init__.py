"""Sound rewrite rules applied before the normal form, one module per family.

Importing the package registers every rule; they are tried in the order of the imports below
(one-hot collapse must run before sums with concrete limits are written out term by term).
"""
# isort: skip_file
from verifier.engine.rules.registry import RULES, apply_rules, rule  # noqa: F401
from verifier.engine.rules import evaluated_limits  # noqa: F401  (Limit objects SymPy can evaluate)
from verifier.engine.rules import onehot  # noqa: F401  (one-hot / Kronecker collapse: before sums are written out)
from verifier.engine.rules import finite_sums  # noqa: F401  (sums/products with concrete limits written out)
from verifier.engine.rules import hyperbolic  # noqa: F401  (sinh, cosh, tanh, ... as exponentials)
from verifier.engine.rules import alpha  # noqa: F401  (alpha-equivalent sums unified)
from verifier.engine.rules import dirac  # noqa: F401  (Dirac delta: sifting, sums out of integrals)
