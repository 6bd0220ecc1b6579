"""GitHub Actions annotations and JUnit XML from a check report (verifier.output.ci_formats)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from verifier.output.ci_formats import (
    escape_data,
    escape_property,
    github_annotations,
    junit_xml,
)


def _report() -> dict:
    """A report in the JSON of `verify check` (DESIGN.md), with awkward characters."""
    return {
        "files": [
            {"path": "notes/a,b: c.md", "blocks": [
                {"line": 12, "steps": [
                    {"index": 0, "line": 13, "relation": "=", "lhs": "(a+b)^{2}", "rhs": "a^{2}+b^{2}",
                     "status": "refuted", "method": "numeric", "counterexample": {"a": "0.5", "b": "2"},
                     "message": "fails at a point: lhs = 6.25, rhs = 4.25\n100% sure <&> \"x\"",
                     "justification": "freshman's dream"},
                    {"index": 1, "line": 14, "relation": "<=", "lhs": "x", "rhs": "y",
                     "status": "unknown", "method": "timeout", "message": "time budget exhausted"},
                    {"index": 2, "line": 15, "relation": "=", "lhs": "y", "rhs": "y",
                     "status": "proved", "method": "identical", "message": ""},
                ]},
                {"line": 20, "steps": [
                    {"index": 0, "relation": "=", "lhs": "\\frac{1}{", "rhs": "?",
                     "status": "unparsed", "method": "parse", "message": "cannot parse '\\frac{1}{'\x1b"},
                    {"index": 1, "line": 22, "relation": "=", "lhs": "u", "rhs": "v",
                     "status": "checked", "method": "numeric", "message": "agrees at 24 points"},
                ]},
            ]},
            {"path": "notes/good.md", "blocks": [
                {"line": 3, "steps": [{"index": 0, "line": 3, "relation": "=", "lhs": "a", "rhs": "a",
                                       "status": "proved", "method": "identical"}]}]},
        ],
        "summary": {"proved": 2, "checked": 1, "refuted": 1, "unknown": 1, "unparsed": 1},
    }


# --- GitHub's unescaping, written from its rules, to read the commands back ----------------
_CMD = re.compile(r"^::(?P<level>\w+)(?: (?P<props>[^:]*))?::(?P<msg>.*)$")


def _unescape_data(s: str) -> str:
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_prop(s: str) -> str:
    return _unescape_data(s.replace("%3A", ":").replace("%2C", ","))


def _parse(cmds: str) -> list[dict]:
    out = []
    for line in cmds.splitlines():
        m = _CMD.match(line)
        assert m, f"not a workflow command: {line!r}"
        props = {}
        for kv in (m["props"] or "").split(","):
            k, v = kv.split("=", 1)
            props[k] = _unescape_prop(v)
        out.append({"level": m["level"], **props, "message": _unescape_data(m["msg"])})
    return out


def test_escaping_rules():
    assert escape_data("50%\r\nx: y, z") == "50%25%0D%0Ax: y, z"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    # '%' first: an escaped sequence must not be escaped again
    assert escape_data("%0A") == "%250A"


def test_annotations_one_per_failing_step_with_levels_and_lines():
    text = github_annotations(_report())
    assert text.endswith("\n")
    anns = _parse(text)
    # refuted + unknown + unparsed + checked; proved steps produce nothing
    assert [(a["level"], a["line"]) for a in anns] == [("error", "13"), ("warning", "14"),
                                                       ("error", "20"), ("notice", "22")]
    refuted = anns[0]
    assert refuted["file"] == "notes/a,b: c.md"  # ':' and ',' survive the property escaping
    assert refuted["title"] == "refuted: line 13, step 0 of the block at line 12"
    msg = refuted["message"]
    assert "(a+b)^{2} = a^{2}+b^{2}" in msg
    assert "counterexample: a = 0.5, b = 2" in msg
    assert "100% sure <&> \"x\"" in msg and "\n" in msg  # multi-line message, one command line
    assert anns[2]["title"].startswith("unparsed:")
    assert "notes/good.md" not in text


def test_annotations_respect_allow_and_are_empty_when_all_pass():
    anns = _parse(github_annotations(_report(), allow=("checked", "unknown")))
    assert [a["level"] for a in anns] == ["error", "error"]  # refuted and unparsed can't be allowed away
    good = {"files": [_report()["files"][1]], "summary": {}}
    assert github_annotations(good) == ""


def test_annotations_for_catalog_json_have_no_file():
    report = {"derivations": [{"id": "d1", "occurrence": "d1@000", "steps": [
        {"index": 3, "relation": "=", "lhs": "a", "rhs": "b", "status": "refuted", "message": "no",
         "counterexample": {"a": "1"}}]}]}
    (a,) = _parse(github_annotations(report))
    assert a["level"] == "error" and "file" not in a and a["title"] == "refuted: d1@000 step 3"


def test_junit_is_valid_xml_with_a_failure_per_failing_step():
    xml = junit_xml(_report())
    root = ET.fromstring(xml.encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["notes/a,b: c.md", "notes/good.md"]
    assert suites[0].get("tests") == "5" and suites[0].get("failures") == "4"
    assert suites[1].get("tests") == "1" and suites[1].get("failures") == "0"
    assert root.get("tests") == "6" and root.get("failures") == "4"
    cases = suites[0].findall("testcase")
    assert [c.get("name") for c in cases] == ["line-12 step 0", "line-12 step 1", "line-12 step 2",
                                              "line-20 step 0", "line-20 step 1"]
    fail = cases[0].find("failure")
    assert fail.get("type") == "refuted"
    assert fail.get("message").startswith("refuted: fails at a point")
    assert "counterexample: a = 0.5, b = 2" in fail.text
    assert "100% sure <&> \"x\"" in fail.text  # escaped in the file, intact once parsed
    assert cases[0].get("file") == "notes/a,b: c.md" and cases[0].get("line") == "13"
    assert cases[2].find("failure") is None
    # an XML-illegal control character is replaced, not written raw
    unparsed = cases[3].find("failure")
    assert unparsed.get("type") == "unparsed" and "\x1b" not in unparsed.text and "\ufffd" in unparsed.text
    assert cases[3].get("line") == "20"  # the block's line when the step has none


def test_junit_allow_turns_checked_and_unknown_into_passes():
    root = ET.fromstring(junit_xml(_report(), allow=["checked", "unknown"]).encode())
    assert root.get("failures") == "2"
    types = [f.get("type") for f in root.iter("failure")]
    assert sorted(types) == ["refuted", "unparsed"]


@pytest.mark.parametrize("fmt", [github_annotations, junit_xml])
def test_empty_report(fmt):
    out = fmt({"files": [], "summary": {}})
    if fmt is junit_xml:
        assert ET.fromstring(out.encode()).get("tests") == "0"
    else:
        assert out == ""


# --- through the command line: verify check --format github|junit ---------------------------
NOTE = """# notes

$$
(a+b)^2 = (a+b)(a+b) = a^2 + 2ab + b^2
$$

$$
(a+b)^2 = a^2 + b^2
$$
"""


@pytest.fixture
def note(tmp_path, monkeypatch):
    pytest.importorskip("verifier.notes.check", reason="verify check is not in this build")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "square.md").write_text(NOTE, encoding="utf-8")
    return "notes/square.md"


def test_verify_check_format_github(note, capsys):
    from verifier.cli import main

    assert main(["check", note, "--format", "github"]) == 1
    anns = _parse(capsys.readouterr().out.strip())
    assert len(anns) == 1  # the two proved steps print nothing
    (a,) = anns
    assert a["level"] == "error" and a["file"] == note and a["line"] == "8"
    assert a["title"].startswith("refuted: line 8, step")
    cex = re.search(r"counterexample: a = ([-0-9.e]+), b = ([-0-9.e]+)", a["message"])
    x, y = float(cex[1]), float(cex[2])
    assert abs((x + y) ** 2 - (x**2 + y**2)) > 1e-6  # the point really breaks the step


def test_verify_check_format_junit_to_a_file(note, tmp_path):
    from verifier.cli import main

    assert main(["check", note, "--format", "junit", "--out", "report.xml"]) == 1
    root = ET.parse(tmp_path / "report.xml").getroot()
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == note and suite.get("tests") == "3" and suite.get("failures") == "1"
    failures = [c for c in suite.iter("testcase") if c.find("failure") is not None]
    assert [c.get("line") for c in failures] == ["8"]
    assert failures[0].find("failure").get("type") == "refuted"
    assert "counterexample: a = " in failures[0].find("failure").text
