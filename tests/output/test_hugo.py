"""`verify export --format md --flavor hugo` in a real Hugo site: Debian's hugo builds the
page with its default goldmark settings (no passthrough), KaTeX's auto-render (from
tests/js/node_modules, copied into the site) renders it in headless chromium, and no block
may be a KaTeX error.  The plain flavor in the same site is the control: goldmark breaks it.

Needs `apt-get install -y hugo chromium` and `npm install --prefix tests/js`; required in CI
(CI=true) or with VERIFY_REQUIRE_RENDERERS=1, skipped elsewhere with what to install.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.output.test_export import JS, _missing, fake_results
from verifier.model.catalog import load_catalog
from verifier.output.export import md_document
from verifier.output.hugo import escape_math, hugo_markdown

LAYOUT = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{ .Title }}</title>
<link rel="stylesheet" href="/katex/katex.min.css">
<script src="/katex/katex.min.js"></script>
<script src="/katex/contrib/auto-render.min.js"></script>
</head><body><main id="content">{{ .Content }}</main>
<script>
const errors = [];
renderMathInElement(document.getElementById("content"), {
  delimiters: [{left: "$$", right: "$$", display: true}, {left: "$", right: "$", display: false}],
  throwOnError: false, strict: "ignore",
  errorCallback: (msg, err) => errors.push(String(err))});
const out = document.createElement("pre");
out.id = "verdict";
out.textContent = JSON.stringify({
  katex: document.querySelectorAll(".katex").length,
  display: document.querySelectorAll(".katex-display").length,
  errors: document.querySelectorAll(".katex-error").length + errors.length,
  messages: errors.concat(Array.from(document.querySelectorAll(".katex-error")).map(e => e.title)).slice(0, 5),
  leftover: (document.getElementById("content").innerText.match(/\\$\\$/g) || []).length});
document.body.appendChild(out);
</script></body></html>
"""


@pytest.fixture(scope="module")
def tools() -> tuple[str, str]:
    hugo = shutil.which("hugo")
    if not hugo:
        _missing("hugo", "apt-get install -y hugo")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        _missing("chromium", "apt-get install -y chromium")
    if not (JS / "node_modules" / "katex" / "dist").is_dir():
        _missing("katex", "run `npm install --prefix tests/js`")
    return hugo, chromium


def build_and_render(tools, site: Path, pages: dict[str, str]) -> dict[str, dict]:
    """Build a Hugo site with the given content pages; each page's KaTeX verdict."""
    hugo, chromium = tools
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "layouts" / "_default" / "single.html").write_text(LAYOUT, encoding="utf-8")
    (site / "layouts" / "_default" / "list.html").write_text(LAYOUT, encoding="utf-8")
    (site / "content").mkdir()
    shutil.copytree(JS / "node_modules" / "katex" / "dist", site / "static" / "katex")
    (site / "hugo.toml").write_text('baseURL = "http://localhost/"\ntitle = "t"\n'
                                    'relativeURLs = true\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n', encoding="utf-8")
    for name, md in pages.items():
        (site / "content" / f"{name}.md").write_text(md, encoding="utf-8")
    proc = subprocess.run([hugo, "--quiet", "-s", str(site)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = {}
    for name in pages:
        html = site / "public" / name / "index.html"
        assert html.is_file(), sorted(str(p) for p in (site / "public").rglob("*.html"))
        proc = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
                               "--virtual-time-budget=20000", "--dump-dom", html.as_uri()],
                              capture_output=True, text=True, timeout=300)
        m = re.search(r'<pre id="verdict">(.*?)</pre>', proc.stdout, flags=re.S)
        assert m, f"chromium did not run the page's script: {proc.stderr[-2000:]}"
        out[name] = json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&")
                               .replace("&lt;", "<").replace("&gt;", ">"))
    return out


def test_hugo_flavor_renders_every_block_in_a_real_hugo_site(tools, tmp_path):
    catalog = load_catalog()
    results = fake_results(catalog)
    hugo_md = md_document(catalog, results, flavor="hugo")
    plain_md = md_document(catalog, results)
    blocks = plain_md.count("\n$$\n") // 2 + plain_md.startswith("$$")
    verdict = build_and_render(tools, tmp_path / "site", {"hugo": hugo_md, "plain": plain_md})
    v = verdict["hugo"]
    assert v["errors"] == 0, v["messages"]
    assert v["leftover"] == 0
    assert v["display"] >= blocks > 50  # every $$ block became a KaTeX display
    # the control: the plain flavor is what goldmark breaks without passthrough
    assert verdict["plain"]["errors"] > 0 or verdict["plain"]["display"] < blocks


def test_escape_math_keeps_letters_and_escapes_markdown():
    tex = r"\begin{aligned} a_{i} &= \{x\} \\ &\ge b^{*} \end{aligned}"
    out = escape_math(tex)
    assert out == r"\\begin\{aligned\} a\_\{i\} \&\= \\\{x\\\} \\\\ \&\\ge b\^\{\*\} \\end\{aligned\}"
    assert escape_math("  - x\n\n    + y") == "\\- x\n\\+ y"  # no list items, no code blocks


def test_hugo_markdown_leaves_prose_and_escaped_dollars():
    md = "## A $p_i$ title\n\nCosts \\$5 and _stays_.\n\n$$\nx_1\n$$\n"
    out = hugo_markdown(md)
    assert "## A $p\\_i$ title" in out and "Costs \\$5 and _stays_." in out and "$$\nx\\_1\n$$" in out
