"""derivation-verifier: check mathematical derivations step by step."""
from __future__ import annotations

from verifier.engine.decide import decide, decide_step, verify_derivation
from verifier.engine.problem import Problem
from verifier.model.chain import Chain, Derivation, Source, Step
from verifier.model.context import Context
from verifier.model.results import CHECKED, PROVED, REFUTED, UNKNOWN, UNPARSED, StepResult, Verdict
from verifier.model.version import __version__

__all__ = ["Chain", "Derivation", "Source", "Step", "Context", "Problem", "decide", "decide_step",
           "verify_derivation", "StepResult", "Verdict", "PROVED", "CHECKED", "REFUTED", "UNKNOWN", "UNPARSED",
           "__version__"]
