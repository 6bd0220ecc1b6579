"""`verify check --format html` (verifier.output.html): a self-contained page, escaped, and checked
in a real browser (Debian's chromium, headless): no console message, no .katex-error."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from verifier.model.results import PROVED
from verifier.notes.check import check_text
from verifier.notes.report import CheckReport
from verifier.output.html import html_report

NOTE = r"""# Bernoulli notes <script>alert("title")</script>

Let $p \in (0,1)$ be the chance of heads and $y_i \in \{0,1\}$ the tosses; *prose* with `code` and
a table-breaking </div><img src=x onerror="alert('prose')"> attempt.

<!-- verify: assume 0<p<1 -->

$$
\log\left(p^{y}(1-p)^{1-y}\right) = y \log p + (1-y)\log(1-p)
$$

A wrong expansion:

$$
\begin{aligned}
(a+b)^2 &= a^2 + 2ab + b^2 \\
&= a^2 + b^2
\end{aligned}
$$

<!-- verify: skip -->
$$
\frac{1}{0} = \infty
$$

$$
\nabla f(x) = 2x
$$

$$
h(a) = h(b)
$$

$$
\sqrt{x^2} = x \quad \text{</span><script>alert("math")</script>}
$$
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> tuple[Path, str, dict]:
    d = tmp_path_factory.mktemp("html")
    note = d / "note.md"
    note.write_text(NOTE, encoding="utf-8")
    fr = check_text(NOTE, str(note), budget=15.0)
    rep = CheckReport(files=[fr], seconds=fr.seconds)
    data = rep.to_json()
    text = html_report(rep, data)
    out = d / "report.html"
    out.write_text(text, encoding="utf-8")
    return out, text, data


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href", "").startswith("#"):
            self.hrefs.append(a["href"][1:])
        if tag == "script":
            self.scripts += 1


def _parsed(text: str) -> _Collect:
    c = _Collect()
    c.feed(text)
    return c


def test_page_is_self_contained(page):
    _, text, _ = page
    assert "url(fonts/" not in text  # every KaTeX font inlined
    assert text.count("data:font/woff2;base64,") >= 15
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text)  # nothing fetched
    assert "katex.render" in text and "The MIT License" in text  # KaTeX and its notice


def test_note_text_is_escaped(page):
    _, text, _ = page
    c = _parsed(text)
    assert c.scripts == 2  # KaTeX and the page's own script, nothing from the note
    assert not any(t == "img" for t, _ in c.tags)
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in text
    assert "alert(&quot;math&quot;)" in text and 'alert("math")' not in text


def test_every_step_with_its_status_and_summary_links(page):
    _, text, data = page
    c = _parsed(text)
    steps = [s for b in data["files"][0]["blocks"] for s in b["steps"]]
    statuses = {s["status"] for s in steps}
    assert {"proved", "refuted", "unparsed", "unknown"} <= statuses
    lis = [a for t, a in c.tags if t == "li" and "step" in a.get("class", "").split()]
    assert len([a for a in lis if "noted" not in a["class"]]) == len(steps)
    failing = [s for s in steps if s["status"] != PROVED]
    assert len(c.hrefs) == len(failing) and all(h in c.ids for h in c.hrefs)  # links reach their steps
    flagged = [a for a in lis if "flagged" in a["class"].split()]
    assert len(flagged) == len(failing)


def test_refuted_step_shows_its_counterexample_and_skipped_display(page):
    _, text, data = page
    refuted = [s for b in data["files"][0]["blocks"] for s in b["steps"] if s["status"] == "refuted"]
    assert refuted and all(s.get("counterexample") for s in refuted)
    assert text.count('<table class="cex">') == len(refuted)
    assert "verify: skip" in text and r"\frac{1}{0} = \infty" in text  # shown, not checked
    assert "partial derivatives" in text  # the unparsed step's message: what to write instead


def test_allow_changes_what_is_highlighted(tmp_path):
    note = tmp_path / "n.md"
    note.write_text("$$\nh(a) = h(b)\n$$\n", encoding="utf-8")
    fr = check_text(note.read_text(), str(note), budget=15.0)
    rep = CheckReport(files=[fr])
    assert 'class="step unknown flagged"' in html_report(rep)
    page = html_report(rep, allow=("proved", "unknown"))
    assert 'class="step unknown"' in page and "unknown flagged" not in page and "every step passes" in page


# --------------------------------------------------------------------------- a real browser
def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


@pytest.fixture(scope="module")
def chromium() -> str:
    exe = _chromium()
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is required in CI (.ci/run installs it: apt-get install -y chromium)")
        pytest.skip("needs a headless chromium: apt-get install -y chromium")
    return exe


_FLAGS = ["--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-extensions",
          "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000"]


def test_page_renders_in_chromium_without_errors(page, chromium, tmp_path):
    path, _, _ = page
    run = subprocess.run([chromium, *_FLAGS, "--dump-dom", path.as_uri()], capture_output=True, text=True,
                         timeout=120)
    dom = run.stdout
    assert "</html>" in dom, run.stderr[-2000:]
    console = [ln for ln in run.stderr.splitlines() if ":CONSOLE" in ln]
    assert console == [], console  # no error, no warning, no log from the page
    m = re.search(r'data-katex-errors="(\d+)"', dom)
    assert m and m.group(1) == "0", "KaTeX could not render some formula"
    assert 'class="katex-error"' not in dom
    rendered = int(re.search(r'data-katex-rendered="(\d+)"', dom).group(1))
    assert rendered >= 15  # the displays, the steps, the inline math all rendered
    assert "<script>alert" not in dom.split("<script>")[0]  # no script from the note in the DOM
    shot = tmp_path / "report.png"
    subprocess.run([chromium, *_FLAGS, f"--screenshot={shot}", "--window-size=1280,2000", path.as_uri()],
                   capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 20_000


def test_chromium_sees_a_katex_error_when_there_is_one(chromium, tmp_path):
    """The browser check can fail: a formula KaTeX cannot render is counted."""
    note = tmp_path / "bad.md"
    note.write_text("$$\n\\frac{a}{b = \\undefinedmacro\n$$\n", encoding="utf-8")
    fr = check_text(note.read_text(), str(note), budget=5.0)
    out = tmp_path / "bad.html"
    out.write_text(html_report(CheckReport(files=[fr])), encoding="utf-8")
    dom = subprocess.run([chromium, *_FLAGS, "--dump-dom", out.as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    m = re.search(r'data-katex-errors="(\d+)"', dom)
    assert m and int(m.group(1)) >= 1


def test_tex_note_prose_and_environments(tmp_path):
    tex = ("\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n\\section{Squares}\n"
           "Let $a, b$ be reals. % a comment <b>\n\\begin{align}\n(a+b)^2 &= a^2 + 2ab + b^2 \\label{eq:sq}\n"
           "\\end{align}\n\\end{document}\n")
    note = tmp_path / "n.tex"
    note.write_text(tex, encoding="utf-8")
    fr = check_text(tex, str(note), budget=15.0)
    page = html_report(CheckReport(files=[fr]))
    assert "<h3>Squares</h3>" in page
    assert "documentclass" not in page and "a comment" not in page  # preamble and comments are no prose
    assert "\\begin{align*}" in page and "\\label" not in page  # no equation numbers, no labels
    assert 'class="step proved"' in page


def test_front_matter_is_no_prose_its_title_heads_the_note(tmp_path):
    text = '---\ntitle: "Bayes <i>notes</i>"\nbookToc: true\n---\n\n# One\n\n' + "$$\na + b = b + a\n$$\n"
    note = tmp_path / "n.md"
    note.write_text(text, encoding="utf-8")
    page = html_report(CheckReport(files=[check_text(text, str(note), budget=15.0)]))
    assert '<p class="note-title">Bayes &lt;i&gt;notes&lt;/i&gt;</p>' in page
    assert "bookToc" not in page and "<h1>One</h1>" in page


def test_hugo_escaped_displays_render_as_the_author_meant(tmp_path):
    text = "# h\n\n$$\n\\begin{aligned}\n(a+b)^2 &= a^2 + 2ab + b^2 \\\\\\\\\n&= a^2 + b^2 + 2ab\n\\end{aligned}\n$$\n"
    note = tmp_path / "hugo.md"
    note.write_text(text, encoding="utf-8")
    page = html_report(CheckReport(files=[check_text(text, str(note), budget=15.0)]))
    body = re.search(r'data-tex="display">(.*?)</div>', page, re.S).group(1)
    assert "2ab + b^2 \\\\\n" in body and "\\\\\\\\" not in body  # Hugo's \\\\ is a row break \\
