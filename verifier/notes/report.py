"""The result of checking notes: per block, per file, per run; their JSON."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from verifier.model.results import (
    NOTED,
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
    allow: list[str] = field(default_factory=list)  # statuses the note's pragmas accept in this file
    pragmas: dict = field(default_factory=dict)  # what the pragmas did (notes.pragmas.Pragmas.to_json)
    error: str = ""  # an internal error that stopped checking this note (the other notes go on)

    @property
    def steps(self) -> list[StepResult]:
        """The steps decided (or left undecided): every step but the noted ones."""
        return [s for b in self.blocks for s in b.steps if s.status != NOTED]

    @property
    def all_steps(self) -> list[StepResult]:
        """Every step, noted ones (definitions, models, ...) included, in the order written."""
        return [s for b in self.blocks for s in b.steps]

    @classmethod
    def failed(cls, path: str, exc: BaseException) -> "FileReport":
        """The report of a note whose check raised: one `unknown` step says so."""
        return cls(path, [BlockReport(1, [error_step(0, 1, exc, "this note")])])

    def counts(self) -> dict[str, int]:
        return count_statuses(self.all_steps)

    def accepted(self, allow: Sequence[str] = (PROVED,)) -> tuple[str, ...]:
        """The statuses that pass in this file: the run's and the file's own ``allow`` pragmas."""
        return tuple(dict.fromkeys([PROVED, *allow, *self.allow]))

    def passed(self, allow: Sequence[str] = (PROVED,)) -> bool:
        ok = self.accepted(allow)
        return all(s.status in ok for s in self.steps)

    def to_json(self) -> dict:
        d = {"path": self.path, "blocks": [b.to_json() for b in self.blocks],
             "assumptions": self.assumptions, "time": round(self.seconds, 3), "summary": self.counts()}
        if self.allow:
            d["allow"] = list(self.allow)
        if self.pragmas:
            d["pragmas"] = self.pragmas
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
        return all(f.passed(allow) for f in self.files) and not any(f.error for f in self.files)

    @property
    def block_count(self) -> int:
        """Display blocks found in every file (those a pragma skips included)."""
        return sum(len(f.blocks) + len(f.pragmas.get("skipped_blocks", ())) + bool(f.pragmas.get("skip_file"))
                   for f in self.files)

    def _repr_html_(self) -> str:  # Jupyter: every file's steps with their statuses
        from verifier.model.html import steps_html

        return "\n".join(steps_html(f.path, f.steps) for f in self.files) or "<p>no files checked</p>"

    def to_json(self) -> dict:
        return {"files": [f.to_json() for f in self.files], "summary": self.counts(),
                "time": round(self.seconds, 3)}

