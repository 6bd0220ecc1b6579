"""Finding display math and splitting chains (verifier.notes.blocks)."""
from verifier.notes.blocks import find_blocks, find_inline, is_hugo
from verifier.notes.chains import chains_of
from verifier.notes.relations import is_prose, split_relations


def _chains(text, tex=False):
    return [[(s.line, s.relation, s.latex) for s in c.segments]
            for b in find_blocks(text, tex) for c in chains_of(b, is_hugo(text))]


def test_blocks_are_numbered_by_their_opening_line():
    text = "intro\n$$a = b$$\ntext\n\\[\nc = d\n\\]\n\\begin{equation*}\ne = f\n\\end{equation*}\n"
    assert [b.line for b in find_blocks(text)] == [2, 4, 7]


def test_aligned_chain_gives_steps_with_relations_and_lines():
    text = "$$\n\\begin{aligned}\nA &= B \\\\\n&= C \\\\\n&\\ge D\n\\end{aligned}\n$$\n"
    (chain,) = _chains(text)
    assert chain == [(3, None, "A"), (3, "=", "B"), (4, "=", "C"), (5, ">=", "D")]


def test_one_line_chain_and_relations_inside_brackets_are_not_split():
    (chain,) = _chains("$$p(Y=y|x) = a = b$$")
    assert [s[2] for s in chain] == ["p(Y=y|x)", "a", "b"]


def test_prose_row_is_a_remark_and_the_chain_goes_on_across_it():
    # issue 11: a line of prose inside a display is a remark; the continuation after it goes on with
    # the chain (before, it started a new chain and the step y = z across the prose was lost)
    text = "$$\nx = y \\\\\n这是一行说明 \\\\\n= z \\\\\n= w\n$$"
    chains = _chains(text)
    assert [[s[2] for s in c] for c in chains] == [["x", "y", "z", "w"]]


def test_hugo_escapes_are_undone():
    text = "$$\n\\begin{aligned}\na &= b\\\\\\\\\n&= \\\\{c\\\\}\n\\end{aligned}\n$$"
    assert is_hugo(text)
    (chain,) = _chains(text)
    assert chain[-1][2] == "\\{c\\}"


def test_code_fences_and_tex_comments_are_ignored():
    md = "```\n$$a = b$$\n```\n$$c = d$$\n"
    assert [b.line for b in find_blocks(md)] == [4]
    tex = "% $$a = b$$\n\\[c = d\\]\n"
    assert [b.line for b in find_blocks(tex, tex=True)] == [2]


def test_cases_rows_stay_inside_their_expression():
    (chain,) = _chains("$$f(x) = \\begin{cases} p & x = 1 \\\\ 1 - p & x = 0 \\end{cases}$$")
    assert len(chain) == 2 and chain[1][2].startswith("\\begin{cases}") and "&" in chain[1][2]


def test_prose_detection_and_relation_split():
    assert is_prose("由于吉布斯不等式")
    assert is_prose("this is a sentence of words")
    assert not is_prose("\\sum_{i=1}^n \\text{if } x_i")
    assert split_relations("a \\le b < c") == [(None, "a "), ("<=", " b "), ("<", " c")]
    assert split_relations("\\left< a \\right> = b")[1][0] == "="


def test_inline_math_is_found():
    assert find_inline("let $a = 1$ and $$b$$ and \\(c > 0\\)") == [(1, "a = 1"), (1, "c > 0")]


def test_lines_of_blocks_and_inline_math_in_a_long_note_are_where_they_are_written():
    parts, expected_blocks, expected_inline = [], [], []
    line = 1
    for k in range(60):  # prose, inline math, code with dollars, and displays, many times over
        parts.append(f"Section {k}: let ${k} x_{{{k}}}$ and $y = {k}$ hold.")
        expected_inline += [(line, f"{k} x_{{{k}}}"), (line, f"y = {k}")]
        parts.append("```\nprice = $5 and $$6\n```")
        parts.append(f"$$\na_{k} = b_{k}\n$$")
        expected_blocks.append((line + 4, line + 4))  # the $$ line, and the body starts on it
        line += 7
    text = "\n".join(parts) + "\n"
    blocks = find_blocks(text)
    assert [(b.line, b.body_line) for b in blocks] == expected_blocks
    assert [b.body.strip() for b in blocks] == [f"a_{k} = b_{k}" for k in range(60)]
    assert find_inline(text) == expected_inline
