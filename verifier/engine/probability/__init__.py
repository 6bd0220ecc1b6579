"""Probability and information: expectations, variances, entropies and KL lowered to sums and
closed forms (``lower``), from the facts of the standard distributions (``families``)."""
