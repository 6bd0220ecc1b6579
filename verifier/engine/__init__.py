"""The engine: deciding one step (numeric evidence, normal forms, proofs, lemmas, rewrite rules)
under a time budget.  Imports only :mod:`verifier.model`.
"""
