"""What people read: LaTeX rendering, export, show, terminal / JSON / CI reports, progress bars.
Imports :mod:`verifier.notes`, :mod:`verifier.engine` and :mod:`verifier.model`.
"""
