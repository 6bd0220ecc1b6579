"""The result of checking notes: per block, per file, per run; their JSON."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from verifier.model.results import (
    NOTED,
    PROVED,
    StepResult,
    count_statuses,
)


@dataclass
class BlockReport:
    line: int
    steps: list[StepResult] = field(default_factory=list)
    definitions: list[dict] = field(default_factory=list)
    unread: list[dict] = field(default_factory=list)  # lone expressions that did not parse
    # relations that are not claims to check (\approx, \propto, \sim): listed, never checked as =
    skipped: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        d: dict = {"line": self.line, "steps": [s.to_json() for s in self.steps]}
        if self.definitions:
            d["definitions"] = self.definitions
        if self.unread:
            d["unread"] = self.unread
        if self.skipped:
            d["skipped"] = self.skipped
        return d



@dataclass
class FileReport:
    path: str
    blocks: list[BlockReport] = field(default_factory=list)
    assumptions: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    error: str = ""  # an internal error that stopped checking this note (the other notes go on)

    @property
    def steps(self) -> list[StepResult]:
        """The steps decided (or left undecided): every step but the noted ones."""
        return [s for b in self.blocks for s in b.steps if s.status != NOTED]

    @property
    def all_steps(self) -> list[StepResult]:
        """Every step, noted ones (definitions, models, ...) included, in the order written."""
        return [s for b in self.blocks for s in b.steps]

    def counts(self) -> dict[str, int]:
        return count_statuses(self.all_steps)

    def to_json(self) -> dict:
        d = {"path": self.path, "blocks": [b.to_json() for b in self.blocks],
             "assumptions": self.assumptions, "time": round(self.seconds, 3), "summary": self.counts()}
        if self.error:
            d["error"] = self.error
        return d



@dataclass
class CheckReport:
    files: list[FileReport] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def steps(self) -> list[StepResult]:
        """The steps decided (or left undecided) in every note: noted ones are left out."""
        return [s for f in self.files for s in f.steps]

    @property
    def all_steps(self) -> list[StepResult]:
        return [s for f in self.files for s in f.all_steps]

    def counts(self) -> dict[str, int]:
        return count_statuses(self.all_steps)

    def passed(self, allow: Sequence[str] = (PROVED,)) -> bool:
        """Every claim passed (noted statements claim nothing, so they pass) and no note failed."""
        return all(s.status in allow for s in self.steps) and not any(f.error for f in self.files)

    def to_json(self) -> dict:
        return {"files": [f.to_json() for f in self.files], "summary": self.counts(),
                "time": round(self.seconds, 3)}

