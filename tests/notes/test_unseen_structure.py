"""`verify check` on notes written the way people write them (structure: blocks, chains, context).

The fixtures under fixtures/unseen_structure are Hugo, Jekyll, Obsidian (CRLF), Jupyter and Hexo
Markdown and LaTeX articles with planted wrong steps.  For each: the planted errors are refuted
at their own line, correct steps are not refuted, and relations that are not claims are never
checked as equations.
"""
from functools import lru_cache
from pathlib import Path

import mpmath

from verifier.model.results import CHECKED, PROVED, REFUTED, UNKNOWN
from verifier.notes.blocks import find_blocks, is_hugo
from verifier.notes.chains import chains_of, strip_remark
from verifier.notes.check import check_text

HERE = Path(__file__).parent.parent / "fixtures" / "unseen_structure"
BUDGET = 10.0


@lru_cache(maxsize=None)
def _report(name: str):
    p = HERE / name
    text = p.read_bytes().decode("utf-8")  # keep Windows line endings as they are
    return check_text(text, str(p), budget=BUDGET)


def _steps(name: str) -> dict[int, list]:
    out: dict[int, list] = {}
    for s in _report(name).steps:
        out.setdefault(s.line, []).append(s)
    return out


def _status_at(name: str, line: int) -> list[str]:
    return [s.status for s in _steps(name).get(line, [])]


def _refuted_lines(name: str) -> set[int]:
    return {s.line for s in _report(name).steps if s.status == REFUTED}


def _skipped(name: str) -> list[dict]:
    return [k for b in _report(name).blocks for k in b.skipped]


def _chains(text: str, tex: bool = False):
    return [c for b in find_blocks(text, tex) for c in chains_of(b, is_hugo(text))]


# --------------------------------------------------------------------------------------
# the fixtures, note by note
# --------------------------------------------------------------------------------------
def test_hugo_post_remarks_comments_and_code():
    name = "n01_hugo_logsumexp.md"
    st = _steps(name)
    assert 11 not in st  # the equation inside an HTML comment is not checked
    assert not any(30 <= ln <= 42 for ln in st)  # code fence and inline code are not math
    # a chain over two lines with a \quad\text{(...)} remark in the middle: each step at its line
    assert _status_at(name, 21) == [PROVED] and _status_at(name, 22) == [PROVED]
    assert "factor out" in st[21][0].why
    # the planted slip on the second line, behind a \qquad\text{...} remark, is refuted there
    assert _refuted_lines(name) == {29}
    bad = st[29][0]
    a, b = mpmath.mpf(bad.counterexample["a"]), mpmath.mpf(bad.counterexample["b"])
    assert abs(a + mpmath.log(1 + mpmath.exp(b - a)) - b) > 1e-6
    assert _status_at(name, 28) != [REFUTED]


def test_jekyll_lists_several_chains_and_implications():
    name = "n02_jekyll_lists.md"
    assert _refuted_lines(name) == {24, 40}
    assert _status_at(name, 13) == [PROVED] and _status_at(name, 14) == [PROVED]
    assert _status_at(name, 22) == [PROVED] and _status_at(name, 23) == [PROVED]
    # 2x + 3 = 7 => 2x = 4 => x = 2 after "Solving a linear equation": equations to solve, noted
    # with their kind (before kinds existed they were unknown conditions), neither refuted nor proved
    noted = {s.line: s for s in _report(name).all_steps if s.status == "noted"}
    for line in (32, 33, 34):
        assert _status_at(name, line) == [] and noted[line].kind == "equation"
    assert _status_at(name, 38) == [PROVED]


def test_obsidian_callouts_with_windows_line_endings():
    name = "n03_obsidian_crlf.md"
    assert "\r\n" in (HERE / name).read_bytes().decode()
    assert _status_at(name, 8) == [PROVED] and _status_at(name, 9) == [PROVED]
    assert _refuted_lines(name) == {19}  # inside a '> ' callout: no stray '>' relation
    assert all(s.relation != ">" for s in _report(name).steps)
    skipped = {(k["line"], k["relation"]) for k in _skipped(name)}
    assert skipped == {(14, "\\propto"), (22, "\\approx")}
    assert 14 not in _steps(name) and 22 not in _steps(name)


def test_jupyter_cells_indented_output_and_inline_colon_definition():
    name = "n04_jupyter_cells.md"
    assert 16 not in _steps(name)  # the indented output cell is code
    assert _refuted_lines(name) == {23}
    assert _status_at(name, 21) == [PROVED] and _status_at(name, 22) == [PROVED]
    # g(w) := w x defined inline: the step that unfolds it is decided, not unknown
    assert _status_at(name, 29) == [PROVED]


def test_article_labels_tags_comments_and_intertext():
    name = "n05_article.tex"
    st = _steps(name)
    assert _refuted_lines(name) == {21, 31}
    assert 7 not in st and 23 not in st  # commented out
    assert _status_at(name, 22) == [PROVED] and _status_at(name, 24) == [PROVED]
    # both sides of \intertext are read, each step at its own line
    assert _status_at(name, 28) == [PROVED] and _status_at(name, 30) == [PROVED]
    assert st[30][0].why.startswith("(complement)") and st[31][0].why == "(planted)"


def test_eqnarray_multline_gather_split():
    name = "n06_eqnarray.tex"
    assert {10, 21, 35} <= _refuted_lines(name)
    assert _status_at(name, 8) == [PROVED] and _status_at(name, 9) == [PROVED]
    assert _status_at(name, 15) == [PROVED]  # multline: the right side is on the next row
    assert _status_at(name, 27) == [PROVED] and _status_at(name, 32) == [PROVED]


def test_hexo_triangleq_equiv_colon_definitions_and_continued_lines():
    name = "n07_hexo_definitions.md"
    defs = {d["line"] for b in _report(name).blocks for d in b.definitions}
    assert defs == {10, 14, 20}  # \triangleq, \equiv, :=
    assert _status_at(name, 26) == [PROVED]  # C = H + D with all three unfolded
    assert _status_at(name, 34) == [PROVED]
    assert _refuted_lines(name) == {36, 45}
    assert [s.relation for s in _report(name).steps if s.line in (43, 44, 45)] == ["<=", "<=", "<="]


def test_proportional_and_approximate_are_skipped_but_the_chain_goes_on():
    name = "n08_bayes_proportional.md"
    assert {(k["line"], k["relation"]) for k in _skipped(name)} == {
        (7, "\\propto"), (8, "\\propto"), (26, "\\approx"), (33, "\\sim")}
    assert _status_at(name, 9) == [PROVED]  # the '=' after two \propto rows is checked
    assert 19 in _refuted_lines(name)
    assert all(s.line not in (7, 8, 26) for s in _report(name).steps)


def test_implications_and_leibniz_derivative_of_a_defined_function():
    name = "n09_implications.md"
    st = _steps(name)
    assert st[12][0].status == PROVED  # d l / d lambda of l(lambda) defined above
    assert all(s.status == UNKNOWN and s.method == "condition" for s in st[12][1:])
    assert all(s.status == UNKNOWN for ln in (17, 18, 19) for s in st[ln])
    assert [s.status for s in st[26]] == [PROVED, UNKNOWN]  # x^2 - 1 = x^2 + 1 is never proved
    assert st[32][0].status == PROVED


def test_hugo_doubled_backslash_display_and_sets():
    name = "n10_hugo_escapes.md"
    assert _status_at(name, 10) == [PROVED]  # \\[ ... \\]
    assert _refuted_lines(name) == {17}
    assert _status_at(name, 24) != [REFUTED]  # = inside \{ x : x^2 = 1 \} is not a step


# --------------------------------------------------------------------------------------
# the rules behind them, each with a wrong step it must still catch
# --------------------------------------------------------------------------------------
def test_wrong_derivative_of_a_defined_function_is_refuted():
    text = "$$\\ell(\\lambda) = n\\log\\lambda - \\lambda s$$\n\n$$\\frac{d\\ell}{d\\lambda} = \\frac{n}{\\lambda} + s$$\n"
    rep = check_text(text, assumptions=["lambda>0", "s>0", "n>0"], budget=BUDGET)
    assert [s.status for s in rep.steps] == [REFUTED]


def test_a_wrong_step_after_proportional_rows_is_refuted():
    text = "$$\np(a) \\propto a^2 e^{a} \\\\\n&= a^3 e^{a}\n$$\n"
    rep = check_text(text, budget=BUDGET)
    assert [(s.line, s.status) for s in rep.steps] == [(3, REFUTED)]
    assert rep.blocks[0].skipped[0]["line"] == 2


def test_a_wrong_continued_expression_is_refuted_at_its_relation_line():
    text = ("$$\n\\begin{aligned}\n(a+b)^2 &= a^2 + 2ab \\\\\n&\\quad + b^2 + 1 \\\\\n&= (a+b)^2\n"
            "\\end{aligned}\n$$\n")
    (chain,) = _chains(text)
    assert [s.latex for s in chain.segments] == ["(a+b)^2", "a^2 + 2ab + b^2 + 1", "(a+b)^2"]
    rep = check_text(text, budget=BUDGET)
    assert [(s.line, s.status) for s in rep.steps] == [(3, REFUTED), (5, REFUTED)]


def test_multline_wrong_right_side_is_refuted_on_its_own_line():
    text = "\\begin{multline}\n(1+x)^2 = \\\\\n1 + x^2\n\\end{multline}\n"
    rep = check_text(text, tex=True, budget=BUDGET)
    assert [(s.line, s.status) for s in rep.steps] == [(3, REFUTED)]


def test_conditions_after_quad_are_not_dropped_as_remarks():
    assert strip_remark("\\sqrt{x^2} \\quad \\text{for } x > 0") == ("\\sqrt{x^2} \\quad \\text{for } x > 0", "")
    assert strip_remark("y \\quad\\text{if } y > 0")[1] == ""
    assert strip_remark("2\\,\\text{KL}(p\\|q)") == ("2\\,\\text{KL}(p\\|q)", "")  # math, not a remark
    assert strip_remark("y \\qquad \\text{(by Bayes)}") == ("y", "(by Bayes)")
    rep = check_text("$$\\sqrt{x^2} = x \\quad \\text{for } x > 0$$", budget=BUDGET)
    assert all(s.status not in (PROVED, CHECKED) for s in rep.steps)


def test_implication_never_proves_a_wrong_equation():
    text = "$$x + 1 = 3 \\Rightarrow x = 2 \\Rightarrow x^2 = 5$$\n$$a = a + 1 \\iff 0 = 1$$\n"
    rep = check_text(text, budget=BUDGET)
    assert rep.steps and all(s.status == UNKNOWN for s in rep.steps)
    assert not rep.blocks[0].definitions  # "x = 2" after an arrow does not define x


def test_side_by_side_statements_are_separate_chains():
    (c1, c2) = _chains("$$a^2 - b^2 = (a-b)(a+b), \\qquad (a+b)^2 = a^2 + 2ab + b^2$$")
    assert [s.latex for s in c1.segments] == ["a^2 - b^2", "(a-b)(a+b)"]
    assert [s.latex for s in c2.segments] == ["(a+b)^2", "a^2 + 2ab + b^2"]
    (one,) = _chains("$$f(x, \\quad y) = x + y$$")  # a comma inside brackets is not a separator
    assert len(one.segments) == 2


def test_markdown_structure_code_comments_quotes_and_lists():
    md = ("Intro.\n\n    $$a = a + 1$$\n\n- item\n\n    $$b = b$$\n\n<!-- $$c = c + 1$$ -->\n"
          "> [!tip]\n> $$\n> x\n> = x\n> $$\n\n$$\nd % e = d + 1\n= d\n$$\n")
    blocks = find_blocks(md)
    assert [b.line for b in blocks] == [7, 11, 16]  # indented code skipped, the list item kept
    chains = [c for b in blocks for c in chains_of(b)]
    assert [[(s.line, s.latex) for s in c.segments] for c in chains[1:]] == [
        [(12, "x"), (13, "x")], [(17, "d"), (18, "d")]]


def test_windows_line_endings_keep_line_numbers():
    text = "# t\r\n\r\n$$\r\n\\begin{aligned}\r\na &= a \\\\\r\n&= 2a\r\n\\end{aligned}\r\n$$\r\n"
    rep = check_text(text, budget=BUDGET)
    assert [(s.line, s.status) for s in rep.steps] == [(5, PROVED), (6, REFUTED)]


def test_json_keeps_the_contract_and_lists_skipped_relations():
    data = _report("n08_bayes_proportional.md").to_json()
    block = data["blocks"][0]
    assert block["line"] == 5
    step = block["steps"][0]
    for key in ("index", "line", "relation", "lhs", "rhs", "status", "method", "message"):
        assert key in step
    assert block["skipped"][0] == {"line": 7, "relation": "\\propto", "lhs": "p(\\theta \\mid k)",
                                   "rhs": "p(k \\mid \\theta)\\, p(\\theta)",
                                   "message": block["skipped"][0]["message"]}


def test_removable_singularity_step_is_not_refuted():
    """SymPy cancels (x-1)(x+1)/(x-1) on reading; the other side is 0/0 only at x = 1."""
    assert _status_at("n06_eqnarray.tex", 26) != [REFUTED]


def test_terminal_report_folds_long_latex_and_shows_the_counterexample_in_the_notes_notation(capsys):
    from verifier.notes.report import CheckReport
    from verifier.output.check_report import print_report

    rep = CheckReport(files=[_report("n08_bayes_proportional.md")])
    print_report(rep)
    out = capsys.readouterr().out
    cols = [ln.split("│") for ln in out.splitlines() if ln.count("│") == 5]
    step_col = "".join("".join(c[2].split()) for c in cols)
    reason_col = "".join("".join(c[4].split()) for c in cols)
    # the whole right side of the long planted step is shown (folded over lines, not cut at 70 characters)
    assert "=(k+\\alpha)\\log\\theta+(n-k+\\beta)\\log(1-\\theta)(planted)" in step_col
    assert "counterexample:" in reason_col and "\\alpha=" in reason_col and "\\theta=0." in reason_col
    flat = "".join(out.split())
    assert "line7\\propto" in flat and "line26\\approx" in flat


def test_annotated_align_comment_columns_and_two_equations_per_row():
    name = "n11_annotated_align.tex"
    st = _steps(name)
    assert _status_at(name, 9) == [PROVED] and st[9][0].why == "binomial"  # && \text{binomial}
    assert _status_at(name, 10) == [PROVED] and st[10][0].why.startswith("since")  # the reason's own \ge is not a step
    assert _status_at(name, 17) == [PROVED, PROVED]  # a &= b & c &= d: two equations
    assert _refuted_lines(name) == {11, 18, 30}
    assert [s.lhs for s in st[11]] == ["4ab"] and [s.lhs for s in st[18] if s.status == REFUTED] == ["e^{0}"]
    assert _status_at(name, 22) == [PROVED] and _status_at(name, 23) == [PROVED]  # alignat &\qquad& comments
    assert _status_at(name, 28) == [PROVED] and _status_at(name, 29) == [PROVED]  # \\[4pt] rows, \boxed
    assert not _report(name).blocks[3].definitions  # \log e^{x} = x is not a definition of x


def test_typora_where_definition_color_and_underbrace():
    name = "n12_typora_misc.md"
    assert _status_at(name, 7) == [PROVED]  # equation inside $$
    # "where $\bar{x} = ...$" under the block defines the mean the block uses
    assert _status_at(name, 15) == [PROVED]
    assert _refuted_lines(name) == {26}  # {\color{red} 2(a - b)} is read, and wrong
    assert _status_at(name, 30) == [PROVED] and _status_at(name, 33) == [PROVED]


def test_expression_that_reads_as_a_name_does_not_define_it():
    text = "$$\\frac{2z}{2} = w$$\n\n$$z + 1 = w + 1 + 1$$\n"
    rep = check_text(text, budget=BUDGET)
    assert not any(b.definitions for b in rep.blocks)
    assert [s.status for s in rep.steps] == [REFUTED, REFUTED]


def test_where_definition_applies_only_to_the_block_right_above():
    wrong = "$$\\bar{x} = 2$$\n\n$$m + 1 = 3$$\n\nText.\n\n$$m = 2$$\n\nwhere $m = 5$.\n"
    rep = check_text(wrong, budget=BUDGET)
    st = {s.line: s.status for s in rep.steps}
    assert st[3] == REFUTED  # m is free in the block at line 3 ("where" belongs to the block at line 7)
    assert st[7] == REFUTED  # m = 5 there, so m = 2 is wrong


def test_reasons_over_relation_signs():
    (chain,) = _chains("$$a \\overset{(a)}{=} b \\stackrel{\\text{Jensen}}{\\le} c \\stackrel{\\text{def}}{=} d$$")
    assert [s.relation for s in chain.segments[1:]] == ["=", "<=", ":="]


def test_a_function_defined_before_an_arrow_is_defined_but_a_condition_on_a_symbol_is_not():
    text = ("$$\n\\begin{aligned}\nf(x) &= x^2 + 2x + 1 \\\\\n&= (x + 1)^2 \\\\\n\\implies f(-1) &= 0\n\\end{aligned}\n$$\n\n"
            "$$y = 3 \\Rightarrow y^2 = 9$$\n\n$$y^2 = 2y$$\n")
    rep = check_text(text, budget=BUDGET)
    st = {s.line: s for s in rep.steps}
    assert rep.blocks[0].definitions and st[4].status == PROVED and st[5].status == PROVED
    assert st[9].status == UNKNOWN and not rep.blocks[1].definitions
    assert st[11].status == REFUTED  # y = 3 was a condition, not a definition of y


def test_where_with_a_constant_or_a_bare_name_is_not_taken_back_to_the_block_above():
    text = "$$x^2 + x = x$$\n\nwhich holds where $x = 0$.\n\n$$f(u) = f(v)$$\n\nwhere $u = v$.\n"
    rep = check_text(text, budget=BUDGET)
    assert [s.status for s in rep.steps][:1] == [REFUTED]
    assert all(s.status not in (PROVED, CHECKED) for s in rep.steps)


def test_hand_written_equation_numbers_and_brackets_over_two_rows():
    rep = check_text("$$y = \\frac{y}{3} \\qquad (3)$$\n", budget=BUDGET)
    assert [(s.status, s.why) for s in rep.steps] == [(REFUTED, "(3)")]
    good = ("$$\n\\begin{aligned}\n(b+c)^2 &= \\frac{1}{2}\\left[ 2b^2 + 4bc \\right. \\\\\n"
            "&\\qquad \\left. + 2c^2 \\right] \\qquad (4)\n\\end{aligned}\n$$\n")
    assert [s.status for s in check_text(good, budget=BUDGET).steps] == [PROVED]
    bad = good.replace("2c^2", "c^2")
    assert [s.status for s in check_text(bad, budget=BUDGET).steps] == [REFUTED]
