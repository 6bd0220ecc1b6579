"""Vectors and matrices: shapes, numeric evidence with concrete matrices, proofs for every size.

* ``index``: a matrix expression as its (i, j) entry with symbolic dimensions (sums over 0..n-1);
  gradients ``Derivative(f, W)`` entry by entry (``d f / d W[k, l]``);
* ``canonical``: a normal form of index expressions (sums hoisted, bound indices renamed
  canonically, sums with equal ranges merged) that proves an entry identically zero;
* ``numeric``: random matrices of several sizes consistent with the shapes, exact rational
  entries, evaluation at two precisions, counterexamples as small concrete matrices;
* ``decide``: a step between matrix expressions.
"""
