"""derivation-verifier: check mathematical derivations step by step."""
from __future__ import annotations

__version__ = "0.1.0"

from .chain import Chain, Derivation, Source, Step  # noqa: E402
from .context import Context  # noqa: E402
from .engine import Problem, decide, decide_step, verify_derivation  # noqa: E402
from .results import CHECKED, PROVED, REFUTED, UNKNOWN, UNPARSED, StepResult, Verdict  # noqa: E402

__all__ = ["Chain", "Derivation", "Source", "Step", "Context", "Problem", "decide", "decide_step",
           "verify_derivation", "StepResult", "Verdict", "PROVED", "CHECKED", "REFUTED", "UNKNOWN", "UNPARSED"]
