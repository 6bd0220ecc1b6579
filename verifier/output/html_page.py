"""The frame of the HTML report: KaTeX (vendored, inlined with its fonts), the page's style and script.

Everything the page needs is inside it, so it works offline and can be mailed or archived as one
file.  KaTeX's files are package data under ``verifier/output/katex/`` (MIT licence, notice kept in
the page).
"""
from __future__ import annotations

import base64
import re
from functools import lru_cache
from importlib import resources

KATEX_VERSION = "0.19.1"

#: macros notes use that KaTeX does not define
KATEX_MACROS = {
    r"\argmin": r"\operatorname*{arg\,min}",
    r"\argmax": r"\operatorname*{arg\,max}",
    r"\R": r"\mathbb{R}",
    r"\E": r"\mathbb{E}",
    r"\Var": r"\operatorname{Var}",
    r"\Cov": r"\operatorname{Cov}",
    r"\KL": r"\mathrm{KL}",
    r"\diag": r"\operatorname{diag}",
    r"\tr": r"\operatorname{tr}",
    r"\sgn": r"\operatorname{sgn}",
}

_FONT_SRC = re.compile(r"src:url\(fonts/([A-Za-z0-9_-]+)\.woff2\) format\(\"woff2\"\)(?:,url\([^)]*\) format\(\"[a-z]+\"\))*")


def _katex_file(name: str) -> bytes:
    return resources.files("verifier.output").joinpath("katex", *name.split("/")).read_bytes()


@lru_cache(maxsize=1)
def katex_css() -> str:
    """KaTeX's stylesheet with every font inlined as a WOFF2 data URI (no file or network access)."""
    css = _katex_file("katex.min.css").decode("utf-8")

    def inline(m: re.Match) -> str:
        data = base64.b64encode(_katex_file(f"fonts/{m.group(1)}.woff2")).decode("ascii")
        return f'src:url(data:font/woff2;base64,{data}) format("woff2")'

    return _FONT_SRC.sub(inline, css)


@lru_cache(maxsize=1)
def katex_js() -> str:
    js = _katex_file("katex.min.js").decode("utf-8")
    return js.replace("</script", "<\\/script")  # cannot end the page's script element early


@lru_cache(maxsize=1)
def katex_notice() -> str:
    return _katex_file("LICENSE").decode("utf-8").strip()


STYLE = """
:root { --ok: #1a7f37; --checked: #9a6700; --bad: #cf222e; --unknown: #8250df; --muted: #57606a;
        --line: #d0d7de; --bg-bad: #ffebe9; --bg-unknown: #fbefff; --bg-checked: #fff8c5; }
* { box-sizing: border-box; }
body { font: 16px/1.55 -apple-system, "Segoe UI", Helvetica, Arial, "Noto Sans CJK SC", "PingFang SC",
       "Microsoft YaHei", "Hiragino Sans GB", sans-serif; color: #1f2328;
       margin: 0; background: #f6f8fa; }
header, main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem; }
header { background: #fff; border-bottom: 1px solid var(--line); max-width: none; }
header > * { max-width: 57rem; margin-left: auto; margin-right: auto; }
h1 { font-size: 1.5rem; margin: .4rem auto; }
.counts { display: flex; flex-wrap: wrap; gap: .5rem; padding: 0; list-style: none; }
.counts li { border: 1px solid var(--line); border-radius: 1rem; padding: .1rem .7rem; background: #fff; }
.counts li.zero { color: var(--muted); border-style: dashed; }
details.assumptions { font-size: .9rem; color: var(--muted); margin: .3rem 0; }
details.assumptions ul { margin: .2rem 0; }
.verdict { font-weight: 600; }
.verdict.pass { color: var(--ok); } .verdict.fail { color: var(--bad); }
nav.to-look-at ol { padding-left: 1.4rem; margin: .3rem auto; }
nav.to-look-at li { margin: .15rem 0; display: flex; gap: .5rem; align-items: baseline; white-space: nowrap; }
nav.to-look-at li code { font-size: .8rem; color: var(--muted); }
nav.to-look-at .claim { flex: 1 1 auto; min-width: 0; overflow: hidden; text-overflow: clip; font-size: .9rem;
                        -webkit-mask-image: linear-gradient(to right, #000 calc(100% - 2.5rem), transparent);
                        mask-image: linear-gradient(to right, #000 calc(100% - 2.5rem), transparent); }
nav.to-look-at .why-short { color: var(--muted); font-size: .85rem; flex: 0 0 20rem; overflow: hidden;
                            text-overflow: ellipsis; }
nav.to-look-at a { color: inherit; }
article.note { background: #fff; border: 1px solid var(--line); border-radius: .5rem; padding: .5rem 1.5rem 1rem;
               margin: 1rem 0; }
article.note > h2 { font-size: 1.15rem; font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
                    border-bottom: 1px solid var(--line); padding-bottom: .4rem; overflow-wrap: anywhere; }
.prose { overflow-wrap: anywhere; }
.prose pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; }
.prose h1, .prose h2, .prose h3 { font-size: 1.1rem; margin-top: 1.2rem; }
section.display { margin: .8rem 0 1.2rem; }
.math-display { overflow-x: auto; overflow-y: hidden; padding: .2rem 0; }
ol.steps { list-style: none; margin: .2rem 0 0; padding: 0; border-left: 3px solid var(--line); }
ol.steps > li { padding: .25rem .6rem; display: grid; grid-template-columns: 4.5rem 7.5rem minmax(0, 1fr);
                gap: .5rem; align-items: baseline; }
ol.steps > li > .detail { grid-column: 1 / -1; }
.step .status { font-weight: 600; white-space: nowrap; }
.step .where { color: var(--muted); font-size: .85rem; white-space: nowrap; }
.step .claim { overflow-x: auto; overflow-y: hidden; }
.step.proved .status { color: var(--ok); }
.step.checked .status { color: var(--checked); }
.step.refuted .status, .step.unparsed .status { color: var(--bad); }
.step.unknown .status { color: var(--unknown); }
.step.noted .status { color: var(--muted); }
.step.refuted, .step.unparsed { background: var(--bg-bad); border-left: 3px solid var(--bad); margin-left: -3px; }
.step.unknown { background: var(--bg-unknown); border-left: 3px solid var(--unknown); margin-left: -3px; }
.step.checked.flagged { background: var(--bg-checked); border-left: 3px solid var(--checked); margin-left: -3px; }
.detail { font-size: .92rem; }
.detail p { margin: .2rem 0; }
.detail .label { color: var(--muted); }
table.cex { border-collapse: collapse; margin: .2rem 0; }
table.cex td { border: 1px solid var(--line); padding: .1rem .5rem; background: #fff; }
.why { color: var(--muted); font-size: .9rem; }
.note-title { font-size: 1.3rem; font-weight: 600; margin: .3rem 0; }
.note-line { color: var(--muted); font-size: .9rem; margin: .3rem 0; }
.skipped { color: var(--muted); font-style: italic; }
.pragma-problem { color: var(--checked); }
footer { max-width: 60rem; margin: 0 auto 2rem; padding: 0 1.5rem; color: var(--muted); font-size: .8rem; }
footer details pre { white-space: pre-wrap; }
:target { outline: 2px solid #0969da; outline-offset: 2px; }
"""

#: renders every element with a data-tex attribute; errors stay visible in place (.katex-error)
SCRIPT = """
(function () {
  var macros = %(macros)s;
  var nodes = document.querySelectorAll("[data-tex]");
  for (var i = 0; i < nodes.length; i++) {
    var el = nodes[i];
    try {
      katex.render(el.textContent, el, {displayMode: el.getAttribute("data-tex") === "display",
        throwOnError: false, strict: "ignore", trust: false, macros: Object.assign({}, macros)});
    } catch (e) {
      el.classList.add("katex-unrendered");
      el.title = String(e && e.message || e);
    }
  }
  // for tests and tools: how many formulas KaTeX could not render (they stay visible, in red)
  document.body.setAttribute("data-katex-errors",
    String(document.querySelectorAll(".katex-error, .katex-unrendered").length));
  document.body.setAttribute("data-katex-rendered", String(document.querySelectorAll(".katex").length));
})();
"""
