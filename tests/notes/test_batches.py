"""`verify check` over many notes (issue 12): the claims of several notes go to the engine in one
batch, each note keeps its own definitions, whole reports come from the store while the note and the
code are unchanged, and a warm run imports no SymPy."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from verifier.model.results import PROVED, REFUTED
from verifier.notes import batches
from verifier.notes.note_cache import cached_check, cached_report, note_key, report_is_final, store_report
from verifier.notes.report import FileReport

NOTE = "# {title}\n\nSome prose about the step.\n\n$$\n(x+{k})^2 = x^2 + {two_k}x + {k2}\n$$\n"


def _notes(tmp_path, n: int, wrong: int | None = None) -> None:
    for k in range(1, n + 1):
        two_k = 2 * k + (1 if k == wrong else 0)
        (tmp_path / f"n{k:02d}.md").write_text(NOTE.format(title=f"Note {k}", k=k, two_k=two_k, k2=k * k))


def _watched_decisions(monkeypatch, events: list[str]) -> None:
    real = batches.start_all

    def watched(pending, *args, **kwargs):
        names = ",".join(sorted({c.sr.lhs for c in pending}))
        events.append(f"start {len(pending)} {names}")
        wait = real(pending, *args, **kwargs)
        return lambda: (events.append(f"wait {len(pending)} {names}"), wait())[1]

    monkeypatch.setattr(batches, "start_all", watched)


def test_each_notes_claims_go_to_the_engine_while_the_next_notes_are_read(tmp_path, monkeypatch):
    monkeypatch.setenv("VERIFY_NO_CACHE", "1")
    _notes(tmp_path, 5, wrong=3)
    events: list[str] = []
    _watched_decisions(monkeypatch, events)
    real = batches.begin_reading
    monkeypatch.setattr(batches, "begin_reading", lambda text, path, **kw: (
        events.append("begin " + path.rsplit("/", 1)[-1]), real(text, path, **kw))[1])
    rep = batches.check_paths([str(tmp_path)], jobs=2)
    starts = [e for e in events if e.startswith("start")]
    assert len(starts) == 5  # one note at a time, as soon as it is read
    first_start = events.index(starts[0])
    assert first_start < events.index("begin n05.md")  # note 1 is with the engine while note 5 is read
    first_wait = next(k for k, e in enumerate(events) if e.startswith("wait"))
    assert first_wait > events.index(starts[-1])  # nobody waited: all five notes' claims were in flight
    assert [f.path.rsplit("/", 1)[-1] for f in rep.files] == [f"n{k:02d}.md" for k in range(1, 6)]
    assert [[s.status for s in f.steps] for f in rep.files] == [[PROVED], [PROVED], [REFUTED], [PROVED], [PROVED]]


def test_no_more_than_a_batch_of_claims_is_with_the_engine_at_once(tmp_path, monkeypatch):
    monkeypatch.setenv("VERIFY_NO_CACHE", "1")
    monkeypatch.setattr(batches, "BATCH", 2)
    _notes(tmp_path, 5)
    events: list[str] = []
    _watched_decisions(monkeypatch, events)
    rep = batches.check_paths([str(tmp_path)], jobs=1)
    outstanding, most = 0, 0
    for e in events:
        outstanding += 1 if e.startswith("start") else -1
        most = max(most, outstanding)
    assert most == 3  # two in flight, the third's claims sent, then the oldest is finished first
    assert sum(e.startswith("wait") for e in events) == 5
    assert all(s.status == PROVED for s in rep.steps) and len(rep.steps) == 5


def test_a_stored_report_is_used_until_the_note_changes(tmp_path):
    _notes(tmp_path, 2)
    first = batches.check_paths([str(tmp_path)])
    hit = cached_check([str(tmp_path)])
    assert hit is not None and [s.status for s in hit.steps] == [s.status for s in first.steps]
    (tmp_path / "n02.md").write_text(NOTE.format(title="Note 2", k=2, two_k=5, k2=4))
    assert cached_check([str(tmp_path)]) is None  # one note changed: the run is done afresh
    again = batches.check_paths([str(tmp_path)])
    assert [s.status for s in again.steps] == [PROVED, REFUTED]
    assert cached_check([str(tmp_path / "missing.md")]) is None  # input errors are the fresh run's to report


def test_a_report_with_an_internal_error_is_never_stored():
    fr = FileReport.failed("x.md", RuntimeError("boom"))
    fr.error = "internal error while checking this note: RuntimeError: boom"
    assert not report_is_final(fr)
    key = note_key("$$ boom $$", "x.md", [], 4000)
    assert not store_report(key, fr)
    assert cached_report(key, "x.md") is None


def test_a_warm_check_imports_no_sympy(tmp_path):
    _notes(tmp_path, 2, wrong=2)
    env = dict(os.environ, VERIFY_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("VERIFY_NO_CACHE", None)
    code = textwrap.dedent(f"""
        import sys
        from verifier.cli import main
        rc = main(["check", {str(tmp_path / "n01.md")!r}, {str(tmp_path / "n02.md")!r}, "--format", "json"])
        print("SYMPY" if "sympy" in sys.modules else "NO-SYMPY", rc)
    """)
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600,
                           check=False) for _ in range(2)]
    assert runs[0].stdout.strip().endswith("SYMPY 1"), runs[0].stderr[-2000:]
    assert runs[1].stdout.strip().endswith("NO-SYMPY 1"), runs[1].stderr[-2000:]
    assert runs[0].stdout.split('"summary"')[1] == runs[1].stdout.split('"summary"')[1]


def test_the_next_notes_are_read_ahead_and_every_note_keeps_its_own_report(tmp_path, monkeypatch):
    # the expressions of a note go to the workers before the note before it is finished; the reports
    # are those of the notes checked one by one, in the order of the files
    monkeypatch.setenv("VERIFY_NO_CACHE", "1")
    _notes(tmp_path, 4, wrong=2)
    events: list[str] = []
    real = batches.begin_reading

    def watched(text, path, **kw):
        name = path.rsplit("/", 1)[-1]
        events.append(f"begin {name}")
        rest = real(text, path, **kw)
        return lambda: (events.append(f"finish {name}"), rest())[1]

    monkeypatch.setattr(batches, "begin_reading", watched)
    rep = batches.check_paths([str(tmp_path)], jobs=2)
    assert events.index("begin n02.md") < events.index("finish n01.md")
    assert events.index("begin n03.md") < events.index("finish n01.md")
    assert [f.path.rsplit("/", 1)[-1] for f in rep.files] == ["n01.md", "n02.md", "n03.md", "n04.md"]
    assert [[s.status for s in f.steps] for f in rep.files] == [[PROVED], [REFUTED], [PROVED], [PROVED]]


def test_a_note_whose_reading_fails_while_read_ahead_loses_no_other_note(tmp_path, monkeypatch):
    monkeypatch.setenv("VERIFY_NO_CACHE", "1")
    _notes(tmp_path, 4, wrong=4)
    real = batches.begin_reading

    def failing(text, path, **kw):
        rest = real(text, path, **kw)
        if path.endswith("n02.md"):
            return lambda: (_ for _ in ()).throw(RuntimeError("a reader bug"))
        return rest

    monkeypatch.setattr(batches, "begin_reading", failing)
    rep = batches.check_paths([str(tmp_path)], jobs=2)
    by_name = {f.path.rsplit("/", 1)[-1]: f for f in rep.files}
    assert list(by_name) == ["n01.md", "n02.md", "n03.md", "n04.md"]
    assert "a reader bug" in (by_name["n02.md"].error or "")
    assert [s.status for s in by_name["n01.md"].steps] == [PROVED]
    assert [s.status for s in by_name["n03.md"].steps] == [PROVED]
    assert [s.status for s in by_name["n04.md"].steps] == [REFUTED]
