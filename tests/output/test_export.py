"""`verify export`: the LaTeX compiles with pdflatex, every $$ block of the Markdown renders
with KaTeX in strict mode, and the command writes what it says.

pdflatex (Debian: texlive-latex-base texlive-latex-recommended texlive-latex-extra) and
node with tests/js/node_modules (`npm install --prefix tests/js`) are needed.  In CI
(CI=true, as .ci/run runs) or with VERIFY_REQUIRE_RENDERERS=1 a missing renderer fails the
test; elsewhere (a fresh machine running the README's test command) the test is skipped and
says what to install.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from verifier.cli import main
from verifier.model.catalog import load_catalog
from verifier.model.results import STATUSES, DerivationResult, StepResult
from verifier.output.export import (
    fragment_name,
    md_document,
    tex_document,
    tex_fragment,
    tex_text,
)

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "tests" / "js"
REQUIRE_VAR = "VERIFY_REQUIRE_RENDERERS"


def renderers_required() -> bool:
    """In CI the renderers are installed by .ci/run, and a missing one is a failure."""
    return os.environ.get(REQUIRE_VAR) == "1" or os.environ.get("CI", "").lower() in ("true", "1")


def _missing(tool: str, how: str) -> None:
    msg = f"{tool} is not available: {how}"
    if renderers_required():
        pytest.fail(msg + f" (required in CI / with {REQUIRE_VAR}=1)")
    pytest.skip(msg)


@pytest.fixture(scope="module")
def pdflatex() -> str:
    exe = shutil.which("pdflatex")
    if not exe:
        _missing("pdflatex", "apt-get install -y texlive-latex-base texlive-latex-recommended "
                             "texlive-latex-extra")
    return exe


@pytest.fixture(scope="module")
def katex_node() -> list[str]:
    node = shutil.which("node")
    if not node:
        _missing("node", "install Node.js")
    if not (JS / "node_modules" / "katex").is_dir():
        _missing("katex", "run `npm install --prefix tests/js`")
    return [node, str(JS / "katex_check.js")]


def fake_results(chosen) -> list[DerivationResult]:
    """Results whose statuses cycle through every status, so every mark is rendered."""
    out = []
    k = 0
    for d in chosen:
        r = DerivationResult(d.id, d.title, str(d.source) if d.source else "")
        for c in d.chains:
            for _prev, step in c.pairs():
                r.steps.append(StepResult(len(r.steps), step.relation or "=", "", "", STATUSES[k % len(STATUSES)]))
                k += 1
        out.append(r)
    return out


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def compile_tex(pdflatex: str, workdir: Path, name: str, text: str) -> Path:
    src = workdir / f"{name}.tex"
    src.write_text(text, encoding="utf-8")
    proc = subprocess.run([pdflatex, "-halt-on-error", "-interaction=nonstopmode", src.name],
                          cwd=workdir, capture_output=True, text=True, errors="replace", timeout=180)
    log = proc.stdout
    if proc.returncode != 0:
        err = "\n".join(line for line in log.splitlines() if line.startswith("!") or line.startswith("l."))
        pytest.fail(f"pdflatex failed on {name}.tex:\n{err or log[-3000:]}")
    pdf = workdir / f"{name}.pdf"
    assert pdf.is_file() and pdf.stat().st_size > 1000
    return pdf


# ----------------------------------------------------------------------------------------
# pdflatex
# ----------------------------------------------------------------------------------------
def test_whole_catalog_document_compiles_with_every_mark(pdflatex, catalog, tmp_path):
    text = tex_document(catalog, fake_results(catalog))
    for macro in (r"\vproved", r"\vchecked", r"\vrefuted", r"\vunknown", r"\vunparsed"):
        assert macro in text
    for d in catalog:
        assert tex_text_present(text, d)
    compile_tex(pdflatex, tmp_path, "catalog", text)


def tex_text_present(text: str, d) -> bool:
    """The source is named by its post's title and section, never by the seed's file name."""
    if d.source is None:
        return True
    assert d.source.post, f"{d.id}: no post title for {d.source.file} in derivations.POSTS"
    return (tex_text(d.source.post) in text and tex_text(d.source.heading) in text
            and d.source.file.replace("_", r"\_") not in text)


def test_unverified_document_compiles(pdflatex, catalog, tmp_path):
    text = tex_document(catalog, [None] * len(catalog))
    assert r"\vproved" not in text.split(r"\begin{document}")[1]
    compile_tex(pdflatex, tmp_path, "plain", text)


def test_fragments_compile_in_a_host_document_without_cjk(pdflatex, catalog, tmp_path):
    """Fragments \\input into a plain amsmath document: no CJK package, no xcolor, no
    varwidth; Chinese text falls back to a placeholder instead of breaking pdflatex."""
    results = fake_results(catalog)
    names = []
    for d, r in zip(catalog, results):
        name = fragment_name(d, "tex")
        (tmp_path / name).write_text(tex_fragment(d, r), encoding="utf-8")
        names.append(name)
    host = "\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n\\begin{document}\n"
    host += "".join(f"\\input{{{n}}}\n" for n in names) + "\\verifiercjk{均方差}\n\\end{document}\n"
    compile_tex(pdflatex, tmp_path, "host", host)


def test_fragment_macros_give_way_to_the_host(catalog):
    frag = tex_fragment(catalog[0], fake_results(catalog[:1])[0])
    assert r"\providecommand{\vproved}" in frag and r"\newcommand" not in frag
    assert r"\section" not in frag and r"\documentclass" not in frag


# ----------------------------------------------------------------------------------------
# KaTeX
# ----------------------------------------------------------------------------------------
def dollar_blocks(md: str) -> list[str]:
    return re.findall(r"\$\$\n?(.*?)\n?\$\$", md, flags=re.S)


def katex_failures(katex_node, blocks: list[str]) -> tuple[str, list[dict]]:
    proc = subprocess.run(katex_node, input=json.dumps(blocks), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    return out["version"], out["failures"]


def test_every_markdown_block_renders_with_katex_strict(katex_node, catalog):
    md = md_document(catalog, fake_results(catalog))
    blocks = dollar_blocks(md)
    chains = sum(len(d.chains) for d in catalog)
    assert len(blocks) >= chains
    assert all(b.startswith("\\begin{aligned}") and b.endswith("\\end{aligned}") for b in blocks)
    _version, failures = katex_failures(katex_node, blocks)
    assert not failures, "\n\n".join(f"{f['error']}\n{blocks[f['index']]}" for f in failures)


def test_katex_check_rejects_bad_latex(katex_node):
    """The KaTeX harness is strict: unknown macros and Unicode in math are errors."""
    _v, failures = katex_failures(katex_node, [r"\begin{aligned} a &= b \end{aligned}", r"\notamacro{x}",
                                               r"\text{σ}", r"\frac{1}{"])
    assert [f["index"] for f in failures] == [1, 2, 3]


def test_markdown_has_no_macros_or_backslashes_inside_text(catalog):
    """MathJax does not expand macros inside \\text{...}: justifications keep them out."""
    md = md_document(catalog, fake_results(catalog))
    for body in re.findall(r"\\text\{([^{}]*)\}", md):
        assert "\\" not in body, body
    assert r"\vproved" not in md and r"\textcolor" not in md


# ----------------------------------------------------------------------------------------
# the command
# ----------------------------------------------------------------------------------------
def test_export_with_verification_marks_each_step(tmp_path, capsys):
    out = tmp_path / "sig.tex"
    code = main(["export", "sigmoid-derivative", "--format", "tex", "--out", str(out)])
    text = out.read_text(encoding="utf-8")
    d = next(d for d in load_catalog() if d.id == "sigmoid-derivative")
    body = text.split(r"\begin{document}")[1]
    marks = re.findall(r"\\vwhy\{(\\v[a-z]+)\}", body)
    assert len(marks) == d.step_count
    assert code == (0 if set(marks) == {r"\vproved"} else 1)


def test_export_md_to_stdout_and_front_matter(capsys):
    assert main(["export", "gaussian-mle-mse", "--format", "md", "--no-verify"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("---\n") and "math: true" in out
    assert r"\operatorname*{arg\,max}_{f} L" in out
    assert main(["export", "gaussian-mle-mse", "--format", "md", "--no-verify", "--fragment"]) == 0
    frag = capsys.readouterr().out
    assert not frag.startswith("---") and frag.count("## ") == 2


def test_export_fragments_into_a_directory(tmp_path, capsys):
    outdir = tmp_path / "frags"
    assert main(["export", "gaussian-mle-mse", "--fragment", "--no-verify", "--out", str(outdir)]) == 0
    files = sorted(p.name for p in outdir.iterdir())
    assert files == ["gaussian-mle-mse-000.tex", "gaussian-mle-mse-003.tex"]
    assert r"\begin{align*}" in (outdir / files[0]).read_text(encoding="utf-8")


def test_export_errors_are_usage_errors(tmp_path, capsys):
    afile = tmp_path / "file.tex"
    afile.write_text("x")
    assert main(["export", "gaussian-mle-mse", "--fragment", "--no-verify", "--out", str(afile)]) == 2
    assert "not a directory" in capsys.readouterr().err
    assert main(["export", "no-such-id", "--no-verify"]) == 2
    assert main(["export", "--format", "pdf"]) == 2


def test_show_prints_the_chain_as_latex(capsys):
    assert main(["show", "sigmoid-derivative", "--format", "tex", "--no-verify"]) == 0
    out = capsys.readouterr().out
    assert r"\sigma'(z) &= \frac{d}{dz} \frac{1}{1 + e^{-z}}" in out  # the post's LaTeX (tex=)
    assert "% sigmoid-derivative@004" in out


def test_headings_are_distinct_within_each_post_and_sources_are_readable(catalog):
    from verifier.output.export import by_post, headings

    heads = headings(catalog)
    for post, items in by_post(catalog, [None] * len(catalog)):
        titles = [heads[id(d)] for d, _r in items]
        assert len(set(titles)) == len(titles), (post, titles)
    text = tex_document(catalog, [None] * len(catalog))
    assert r"\tableofcontents" not in text and "seed 00" not in text
    contents = text.split(r"\subsection*{Contents}")[1].split(r"\section{")[0]
    assert contents.count("\\par\n") == len(catalog) + len(by_post(catalog, catalog))  # one line each


def test_titles_and_justifications_are_latex_not_ascii_math(catalog):
    """No ASCII math set as text: 'sum_i', 'yhat^y', '->', '+oo', '<=' only inside $...$."""
    import re as _re

    from verifier.model.chain_latex import split_math

    for d in catalog:
        for t in [d.title] + [c.name for c in d.chains] + [s.why for c in d.chains for s in c.steps]:
            pieces = split_math(t) if "$" in t else [(t, False)]
            assert pieces is not None, t
            prose = "".join(p for p, is_math in pieces if not is_math)
            assert not _re.search(r"[_^|<>]|->|\+oo|\bsum_|yhat|sqrt|\b00\d\.\d", prose), (d.id, t)


def test_export_out_into_a_missing_folder_is_an_error(tmp_path, capsys):
    target = tmp_path / "missing" / "x.tex"
    assert main(["export", "sigmoid-derivative", "--no-verify", "--out", str(target)]) == 2
    assert "no such directory" in capsys.readouterr().err and not target.parent.exists()


def test_markdown_justifications_wrap_with_the_mark_on_the_first_line(catalog):
    from verifier.output.export import MD_WHY_WIDTH

    md = md_document(catalog, fake_results(catalog))
    for block in dollar_blocks(md):
        for row in block.split("\\\\\n"):
            texts = "".join(_re_texts(row))
            assert len(texts) <= MD_WHY_WIDTH + 12, row
    assert "& && \\phantom{" in md  # a continuation row, its mark's width kept free


def _re_texts(row: str) -> list[str]:
    return re.findall(r"\\text\{([^{}]*)\}", row)
