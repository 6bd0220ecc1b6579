"""pytest plugin of derivation-verifier (entry point ``pytest11``: active once installed).

* ``derivation_checker`` fixture: ``derivation_checker(D)`` asserts that every step of a
  derivation is proved (``--verify-allow`` / ``--verify-budget`` apply).
* ``pytest --verify-notes PATH`` (or the ini option ``verify_notes``) collects Markdown / TeX
  notes: one test item per display-math chain, named ``FILE::line-N`` after the line of the
  block's opening delimiter.  An item fails when a step is refuted, unknown or unparsed
  (``--verify-allow checked`` / ``--verify-allow unknown`` relax that); ``checked`` fails too
  unless allowed, as everywhere in derivation-verifier.

Disable with ``-p no:verifier``.  Heavy imports (SymPy, the engine) happen only when a
derivation is actually checked, so the plugin costs nothing in unrelated test runs.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

NOTE_SUFFIXES = (".md", ".markdown", ".tex")
_ALLOW_CHOICES = ("checked", "unknown")


# ----------------------------------------------------------------------------------------
# options
# ----------------------------------------------------------------------------------------
def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("verifier", "derivation-verifier")
    group.addoption("--verify-notes", action="append", default=[], metavar="PATH",
                    help="collect the display-math chains of Markdown/TeX notes under PATH "
                         "(file or directory; repeatable) as test items FILE::line-N")
    group.addoption("--verify-allow", action="append", default=[], choices=_ALLOW_CHOICES,
                    help="also accept this status as passing (repeatable): checked = numeric "
                         "evidence, unknown = undecided")
    group.addoption("--verify-budget", type=float, default=None, metavar="SECONDS",
                    help="time budget per step (default: the engine's)")
    group.addoption("--verify-assume", action="append", default=[], metavar="ASSUMPTION",
                    help="a domain for the notes' symbols, e.g. 'x>0' or '0<p<1' (repeatable)")
    parser.addini("verify_notes", "notes files or directories to check (like --verify-notes)",
                  type="paths", default=[])
    parser.addini("verify_allow", "statuses accepted besides proved: checked, unknown",
                  type="args", default=[])
    parser.addini("verify_budget", "time budget per step in seconds", default="")
    parser.addini("verify_assume", "assumptions for the notes, one per line (like --verify-assume)",
                  type="linelist", default=[])


class _Settings:
    """The verifier options of one pytest run, read once."""

    def __init__(self, config: pytest.Config):
        from verifier.integrations.testing import normalise_allow

        allow = list(config.getini("verify_allow")) + list(config.getoption("verify_allow") or [])
        bad = [a for a in allow if a not in _ALLOW_CHOICES]
        if bad:
            raise pytest.UsageError(f"verify_allow: unknown status {bad[0]!r}; use checked or unknown")
        self.allow: tuple[str, ...] = normalise_allow(allow)
        budget = config.getoption("verify_budget")
        if budget is None:
            text = str(config.getini("verify_budget") or "").strip()
            if text:
                try:
                    budget = float(text)
                except ValueError:
                    raise pytest.UsageError(f"verify_budget: not a number: {text!r}") from None
        if budget is not None and not budget > 0:
            raise pytest.UsageError(f"verify budget must be positive, got {budget!r}")
        self.budget: float | None = budget
        self.assumptions: tuple[str, ...] = tuple(config.getini("verify_assume")) + tuple(
            config.getoption("verify_assume") or [])
        invocation = Path(config.invocation_params.dir)
        roots = [Path(p) for p in config.getini("verify_notes")]
        roots += [(invocation / p) for p in config.getoption("verify_notes") or []]
        self.roots: list[Path] = []
        self.visited: set[Path] = set()  # note files that got a collector
        self.narrowed: set[Path] = set()  # roots an explicit argument narrows
        for r in roots:
            r = r.resolve()
            if not r.exists():
                raise pytest.UsageError(f"--verify-notes: no such file or directory: {r}")
            if r not in self.roots:
                self.roots.append(r)

    def covers(self, path: Path) -> bool:
        path = path.resolve()
        return any(path == r or r in path.parents for r in self.roots)


_KEY = pytest.StashKey[_Settings]()


def _settings(config: pytest.Config) -> _Settings:
    return config.stash[_KEY]


def pytest_configure(config: pytest.Config) -> None:
    settings = _Settings(config)
    config.stash[_KEY] = settings
    if settings.assumptions:
        _validate_assumptions(settings.assumptions)
    config.addinivalue_line("markers", "derivation: a test that checks a derivation with derivation-verifier")
    if not settings.roots:
        return
    # collect the notes beside the other paths (or testpaths) given, unless an argument
    # narrows a notes root (`pytest --verify-notes notes notes/a.md`); pytest itself drops
    # duplicates when an argument contains the root, and a root given as an argument is
    # collected even where norecursedirs (e.g. a dot-directory) would skip it
    invocation = Path(config.invocation_params.dir)
    existing = []
    for a in config.args:
        base = a.split("::", 1)[0]
        p = Path(base) if Path(base).is_absolute() else invocation / base
        existing.append(p.resolve())
    for r in settings.roots:
        if any(r in e.parents for e in existing):
            settings.narrowed.add(r)
        elif r not in existing:
            config.args.append(str(r))


def _validate_assumptions(assumptions: tuple[str, ...]) -> None:
    """An assumption that cannot be read is a usage error, reported once, before collection."""
    from verifier.notes.domains import assumption
    from verifier.notes.reader import Reader

    probe = Reader()
    for a in assumptions:
        try:
            assumption(probe, a)
        except ValueError as exc:
            raise pytest.UsageError(f"verify_assume / --verify-assume: {exc}") from None


# ----------------------------------------------------------------------------------------
# Python API: the fixture
# ----------------------------------------------------------------------------------------
class DerivationChecker:
    """Callable fixture object: ``derivation_checker(D, allow=..., budget=...)``."""

    def __init__(self, allow: tuple[str, ...], budget: float | None):
        self.allow = allow
        self.budget = budget

    def __call__(self, derivation: Any, allow: Any = None, budget: float | None = None):
        __tracebackhide__ = True
        from verifier.integrations.testing import assert_proved, normalise_allow

        accepted = self.allow if allow is None else tuple(dict.fromkeys(self.allow + normalise_allow(allow)))
        return assert_proved(derivation, allow=accepted, budget=self.budget if budget is None else budget)


@pytest.fixture
def derivation_checker(request: pytest.FixtureRequest) -> DerivationChecker:
    """Assert a derivation: ``derivation_checker(D)`` raises with the broken step unless all pass."""
    s = _settings(request.config)
    return DerivationChecker(s.allow, s.budget)


# ----------------------------------------------------------------------------------------
# notes
# ----------------------------------------------------------------------------------------
def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    s = parent.config.stash.get(_KEY, None)
    if s is None or not s.roots:
        return None
    if file_path.suffix.lower() in NOTE_SUFFIXES and s.covers(file_path):
        s.visited.add(file_path.resolve())
        return NotesFile.from_parent(parent, path=file_path)
    return None


def _note_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root] if root.suffix.lower() in NOTE_SUFFIXES else []
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in NOTE_SUFFIXES and p.is_file())


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list) -> None:
    """Notes the directory walk skipped (pytest drops a root nested in another argument, and
    norecursedirs skips e.g. dot-directories) are collected here, before -k / -m select."""
    s = config.stash.get(_KEY, None)
    if s is None or not s.roots:
        return
    for root in s.roots:
        if root in s.narrowed:
            continue
        for f in _note_files(root):
            if f in s.visited:
                continue
            s.visited.add(f)
            col = NotesFile.from_parent(session, path=f)
            items.extend(session.genitems(col))


class NotesBlockFailed(Exception):
    """A display-math chain has a step whose status is not allowed."""


class NotesFile(pytest.File):
    """One notes file; its chains are checked once, when the first of its items runs."""

    _report: Any = None
    _error: BaseException | None = None

    def collect(self) -> Iterator["NotesBlock"]:
        text = self.path.read_text(encoding="utf-8-sig")
        for line in chain_lines(text, tex=self.path.suffix.lower() == ".tex"):
            yield NotesBlock.from_parent(self, name=f"line-{line}", line=line)

    def file_report(self):
        """The FileReport of the whole file (definitions flow from block to block), cached."""
        if self._report is None and self._error is None:
            from verifier.notes.check import check_text
            from verifier.notes.files import read_note

            s = _settings(self.config)
            kw: dict[str, Any] = {"assumptions": tuple(s.assumptions)}
            if s.budget is not None:
                kw["budget"] = s.budget
            try:
                text = read_note(self.path)
                self._report = check_text(text, str(self.path), **kw)
            except Exception as exc:  # reported by every item of the file, never swallowed
                self._error = exc
        if self._error is not None:
            raise self._error
        return self._report


#: relations that state something about a name rather than make a step
_STATEMENTS = {"in", "->", "=>", ":="}


def chain_lines(text: str, tex: bool = False) -> list[int]:
    """Opening lines of the display-math blocks that hold a chain (found without deciding it)."""
    from verifier.notes.blocks import find_blocks, is_hugo
    from verifier.notes.chains import chains_of

    hugo = (not tex) and is_hugo(text)
    out = []
    for block in find_blocks(text, tex):
        rels = {seg.relation for c in chains_of(block, hugo) for seg in c.segments[1:]}
        if rels - _STATEMENTS:
            out.append(block.line)
    return out


class NotesBlock(pytest.Item):
    """One display-math chain of a notes file."""

    def __init__(self, *, line: int, **kw):
        super().__init__(**kw)
        self.line = line
        self.add_marker("derivation")

    def runtest(self) -> None:
        from verifier.integrations.testing import MARK

        report = self.parent.file_report()
        block = next((b for b in report.blocks if b.line == self.line), None)
        if block is None:
            raise NotesBlockFailed(f"{self.name}: the chain found at collection is missing from the report")
        allow = _settings(self.config).allow
        if not block.steps:
            what = [f"defines {d.get('name')}" for d in getattr(block, "definitions", [])]
            what += [f"could not read {u.get('latex')!r}: {u.get('message')}" for u in getattr(block, "unread", [])]
            pytest.skip(f"no step to check ({'; '.join(what) or 'a statement, not a derivation'})")
        failing = [st for st in block.steps if st.status not in allow]
        self.user_properties.append(("statuses", ",".join(st.status for st in block.steps)))
        if failing:
            raise NotesBlockFailed(_block_text(self.nodeid.split("::")[0], self.line, block.steps, failing, allow, MARK))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, NotesBlockFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, self.line - 1, self.name


def _block_text(name: str, line: int, steps, failing, allow, marks) -> str:
    from verifier.integrations.testing import step_details

    head = (f"{name}:{line}: {len(failing)} of {len(steps)} steps not {' / '.join(allow)}")
    rows = []
    first = steps[0]
    rows.append(f"         {first.lhs}")
    bad = {id(s) for s in failing}
    for st in steps:
        arrow = ">>" if id(st) in bad else "  "
        where = f"  (line {st.line})" if getattr(st, "line", None) else ""
        rows.append(f"  {arrow} {marks.get(st.status, ' ')} {st.index:>2} {st.relation} {st.rhs}{where}")
    details = [step_details(st) for st in failing]
    return "\n".join([head, "", *rows, "", *details])


def pytest_report_header(config: pytest.Config) -> list[str] | None:
    s = config.stash.get(_KEY, None)
    if s is None or not s.roots:
        return None
    return [f"verify-notes: {', '.join(str(r) for r in s.roots)} (accepting {' / '.join(s.allow)})"]
