"""Results of deciding a step (the soundness contract of DESIGN.md)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

PROVED, CHECKED, REFUTED, UNKNOWN, UNPARSED = "proved", "checked", "refuted", "unknown", "unparsed"
#: a statement of a note that claims nothing (definition, model, equation to solve, approximation,
#: notation): listed with its kind, never decided, never refuted
NOTED = "noted"
STATUSES = (PROVED, CHECKED, REFUTED, UNKNOWN, UNPARSED, NOTED)
#: what a statement of a note says (only claims are decided)
CLAIM = "claim"


@dataclass
class Verdict:
    """What the engine concluded about one relation."""

    status: str
    method: str = ""
    message: str = ""
    counterexample: dict[str, str] | None = None
    seconds: float = 0.0
    #: reached because a phase ran out of its share of the time budget (a proof search cut short): a
    #: larger budget may decide more, so the verdict is not kept in the verdict cache
    budget_bound: bool = False

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"bad status {self.status!r}")


@dataclass
class StepResult:
    """A verdict with the step it belongs to, ready for reports and JSON."""

    index: int
    relation: str
    lhs: str
    rhs: str
    status: str
    method: str = ""
    message: str = ""
    counterexample: dict[str, str] | None = None
    seconds: float = 0.0
    why: str = ""
    chain: str = ""
    line: int | None = None
    kind: str = CLAIM  # claim, definition, model, equation, approximation, notation
    reading: str = ""  # LaTeX of the tool's reading of "lhs relation rhs"
    uses: list[dict] = field(default_factory=list)  # definitions (name, line) and assumptions used

    def to_json(self) -> dict:
        d = asdict(self)
        d["time"] = round(d.pop("seconds"), 4)
        d["justification"] = d.pop("why")
        if d["counterexample"] is None:
            d.pop("counterexample")
        if d["line"] is None:
            d.pop("line")
        return d


@dataclass
class DerivationResult:
    id: str
    title: str
    source: str
    steps: list[StepResult] = field(default_factory=list)
    seconds: float = 0.0

    def counts(self) -> dict[str, int]:
        return count_statuses(self.steps)

    def passed(self, allow: tuple[str, ...] = (PROVED,)) -> bool:
        return all(s.status in allow for s in self.steps)

    def _repr_html_(self) -> str:  # Jupyter
        from verifier.model.html import steps_html

        return steps_html(f"{self.id}: {self.title}", self.steps, self.source)

    def to_json(self) -> dict:
        return {"id": self.id, "title": self.title, "source": self.source,
                "time": round(self.seconds, 4), "steps": [s.to_json() for s in self.steps]}


def count_statuses(steps) -> dict[str, int]:
    c = {s: 0 for s in STATUSES}
    for st in steps:
        c[st.status] += 1
    return c
