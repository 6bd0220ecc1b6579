"""A note's expressions are read in chunks on several workers (issue 12): the reading is the one a
single worker gives, in the order of the items, with the first entry template met kept; an
expression the reader rejects stays a ReadError of its own and loses no other expression."""
from __future__ import annotations

import sympy as sp

from verifier.notes.parsing import parse_many
from verifier.notes.reader import Parsed, Reader
from verifier.notes.scan import ReadError

ITEMS = [
    r"\frac{1}{n}\sum_{i=1}^{n} (x_i - \mu)^2",
    r"\log \prod_{i=1}^{n} p^{x_i} (1-p)^{1-x_i}",
    r"\frac{a}{b} +",  # rejected by the grammar
    r"\sum_{i=1}^{n} x^{(i)} w",
    r"e^{-\lambda} \frac{\lambda^k}{k!}",
    r"\sqrt{\sigma^2}",
    r"\sum_{j=1}^{m} x^{(j)} v",
]


def _reading(chunk: int, jobs: int):
    reader = Reader()
    out = parse_many(ITEMS, reader, chunk=chunk, jobs=jobs)
    return out, dict(reader.notation.entry_templates)


def test_chunks_on_two_workers_read_as_one_worker_does():
    one, templates_one = _reading(chunk=0, jobs=1)
    two, templates_two = _reading(chunk=2, jobs=2)
    assert len(one) == len(two) == len(ITEMS)
    for a, b in zip(one, two):
        assert type(a) is type(b)
        if isinstance(a, Parsed):
            assert sp.srepr(a.expr) == sp.srepr(b.expr)
    assert templates_one == templates_two


def test_a_rejected_expression_stays_local_to_itself():
    out, _ = _reading(chunk=2, jobs=2)
    assert isinstance(out[2], ReadError)
    assert all(isinstance(p, Parsed) for k, p in enumerate(out) if k != 2)


def test_an_expression_written_twice_is_read_once_and_each_place_gets_its_own_reading(monkeypatch):
    import verifier.notes.parsing as parsing

    seen: list = []
    real = parsing._parse_all

    def spy(items, reader, **kw):
        seen.extend(items)
        return real(items, reader, **kw)

    monkeypatch.setenv("VERIFY_INPROCESS", "1")
    monkeypatch.setattr(parsing, "_parse_all", spy)
    items = [ITEMS[0], ITEMS[2], ITEMS[0], ITEMS[5], ITEMS[2]]
    out = parse_many(items, Reader(), chunk=2, jobs=1)
    assert sorted(seen) == sorted({ITEMS[0], ITEMS[2], ITEMS[5]})
    assert [type(p) for p in out] == [Parsed, ReadError, Parsed, Parsed, ReadError]
    assert sp.srepr(out[0].expr) == sp.srepr(out[2].expr) and out[0] is not out[2]
