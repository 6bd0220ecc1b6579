"""Reading people's notes: Markdown and TeX structure, display blocks and chains, the LaTeX reader,
notation, the note's context (definitions, domains), and checking every step with the engine.
Imports :mod:`verifier.engine` and :mod:`verifier.model`.
"""
