"""The result of checking notes: per block, per file, per run; their JSON."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from verifier.model.results import (
    PROVED,
    UNKNOWN,
    StepResult,
    count_statuses,
)


def error_step(index: int, line: int | None, exc: BaseException, where: str) -> StepResult:
    """An `unknown` step that reports an internal error (never a refutation): the failure stays
    local to the chain or note it happened in, and the rest of the run goes on."""
    return StepResult(index=index, relation="=", lhs="", rhs="", status=UNKNOWN, method="error", line=line,
                      message=f"internal error while checking {where}: {type(exc).__name__}: {exc}")


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

    @property
    def steps(self) -> list[StepResult]:
        return [s for b in self.blocks for s in b.steps]

    @classmethod
    def failed(cls, path: str, exc: BaseException) -> "FileReport":
        """The report of a note whose check raised: one `unknown` step says so."""
        return cls(path, [BlockReport(1, [error_step(0, 1, exc, "this note")])])

    def counts(self) -> dict[str, int]:
        return count_statuses(self.steps)

    def to_json(self) -> dict:
        return {"path": self.path, "blocks": [b.to_json() for b in self.blocks],
                "assumptions": self.assumptions, "time": round(self.seconds, 3), "summary": self.counts()}



@dataclass
class CheckReport:
    files: list[FileReport] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def steps(self) -> list[StepResult]:
        return [s for f in self.files for s in f.steps]

    def counts(self) -> dict[str, int]:
        return count_statuses(self.steps)

    def passed(self, allow: Sequence[str] = (PROVED,)) -> bool:
        return all(s.status in allow for s in self.steps)

    def to_json(self) -> dict:
        return {"files": [f.to_json() for f in self.files], "summary": self.counts(),
                "time": round(self.seconds, 3)}

