"""The catalog: every derivation of the seed posts, one module per family."""

#: the title of each seed post (the exports name the post, not its file); posts 001 and 004
#: carry no title line, so they are named by what their opening paragraph says they do
POSTS = {
    "000_51fe35b09d169904.txt": "推导均方差与交叉熵公式",
    "001_1dab4d033e599377.txt": "推导交叉熵",
    "002_4b1aa85e936b725d.txt": "softmax 与交叉熵",
    "003_54f98951c3543ede.txt": "从概率角度看损失函数",
    "004_69ecd8eeec9c2ec6.txt": "为什么用交叉熵做分类损失",
}
