"""E / H / I / KL over a finite law a chain writes out (seed 004's ``H(x) = E[I(x)] = -sum P log P``):
the standard meanings over the chain's support; wrong steps refuted with a concrete probability
vector, meaning-preserving rewrites of right steps never refuted, and nothing read where the
reading is not sure (no support, two supports, bits, the note's own definition)."""
from __future__ import annotations

import mpmath
import pytest

from verifier.notes.check import check_text
from verifier.notes.finite_laws import measures_bits, random_names

PROSE = ("# Entropy\n\n设随机变量$x$有$n$个事件$x_i$，其概率为$P(x_i)$，$Q$为另一个分布。\n\nThen\n\n"
         "$$\nH(P) = -\\sum_{i=1}^n P(x_i)\\log P(x_i) = \\sum_{i=1}^n P(x_i)\\log\\frac{1}{P(x_i)}\n$$\n\nand\n\n"
         "$$\nD_{KL}(P||Q) = \\sum_{i=1}^n P(x_i)\\log\\frac{P(x_i)}{Q(x_i)} = -\\sum_{i=1}^n P(x_i)\\log\\frac{Q(x_i)}{P(x_i)}\n$$"
         "\n\nso\n\n")
SEEN = 4  # the steps of the two displays of PROSE (H and KL used, both proved)


def steps_of(body: str, prose: str = PROSE):
    rep = check_text(prose + body, "note.md").to_json()
    steps = [s for b in rep["blocks"] for s in b["steps"]]
    if prose is PROSE:
        assert [s["status"] for s in steps[:SEEN]] == ["proved"] * SEEN, steps[:SEEN]
        return steps[SEEN:]
    return steps


def display(*rows: str) -> str:
    return "$$\n" + " \\\\\n".join(rows) + "\n$$\n"


def test_names_the_prose_calls_random():
    assert random_names("设随机变量$x$取值$x_i$。") == {"x"}
    assert random_names(r"Let $X$ and $y$ be random variables.") == {"X", "y"}
    assert random_names(r"The vector $x$ is fixed.") == set()
    assert measures_bits(r"all logarithms are base 2, in bits") and measures_bits(r"$\log_2 3$")
    assert not measures_bits(r"natural logarithms")


# ----------------------------------------------------------------------------------------
# the seed's chains, and rewrites of them (never refuted)
# ----------------------------------------------------------------------------------------
RIGHT = [
    r"H(x) = E[I(x)] = -\sum_{i = 1}^n P(x_i) \log (P(x_i))",
    r"H(x) = \mathbb{E}[I(x)] = \sum_{i=1}^{n} P(x_i) \log\frac{1}{P(x_i)}",
    r"E[I(x)] = -\sum_{i=1}^{n} P(x_i)\log P(x_i)",
    r"H(P) = \sum_{i=1}^{n} P(x_i)\,(-\log P(x_i))",
    r"H(P, Q) = E_P[I_Q(x)] = -\sum_{i = 1}^n P(x_i) \log (Q(x_i))",
    r"H(P, Q) = -\sum_{i=1}^{n} P(x_i)\log P(x_i) + \sum_{i=1}^{n} P(x_i)\log\frac{P(x_i)}{Q(x_i)}",
    r"D_{KL}(P||Q) = \sum_{i=1}^n P(x_i)\log P(x_i) - \sum_{i=1}^n P(x_i)\log Q(x_i)",
    r"E_P[\log P(x)] = \sum_{i=1}^{n} P(x_i)\log P(x_i)",
    r"E[x] = \sum_{i=1}^{n} x_i P(x_i)",
]


@pytest.mark.parametrize("chain", RIGHT)
def test_right_chains_are_proved(chain):
    steps = steps_of(display(chain))
    assert steps and all(s["status"] == "proved" for s in steps), [(s["status"], s["message"]) for s in steps]
    assert all(s["kind"] == "claim" for s in steps)


WRONG = [
    (r"H(x) = E[I(x)] = \sum_{i = 1}^n P(x_i) \log (P(x_i))", 1),             # the sign lost
    (r"H(P) = -\sum_{i = 1}^n P(x_i) \log Q(x_i)", 0),                          # entropy is not cross-entropy
    (r"H(P, Q) = E_P[I_Q(x)] = -\sum_{i = 1}^n Q(x_i) \log (P(x_i))", 1),     # P and Q swapped
    (r"D_{KL}(P||Q) = \sum_{i=1}^n Q(x_i)\log\frac{Q(x_i)}{P(x_i)}", 0),        # KL is not symmetric
    (r"E[I(x)] = -\sum_{i=1}^{n} \log P(x_i)", 0),                               # the weights dropped
]


@pytest.mark.parametrize("chain, at", WRONG)
def test_wrong_steps_are_refuted_with_a_probability_vector(chain, at):
    steps = steps_of(display(chain))
    s = steps[at]
    assert s["status"] == "refuted", (s["status"], s["message"])
    assert all(o["status"] != "proved" or k != at for k, o in enumerate(steps))
    cex = s["counterexample"]
    n = int(cex["n"])
    ps = [mpmath.mpf(cex[k]) for k in cex if k.startswith("P(") or k.startswith("P[")]
    assert len(ps) == n and abs(sum(ps) - 1) < 1e-9  # a concrete law on n outcomes


# ----------------------------------------------------------------------------------------
# where the reading is not sure: not read (never refuted, never proved)
# ----------------------------------------------------------------------------------------
NOT_READ = [
    # no sum in the chain: no support
    (PROSE, r"H(P, Q) \ge H(P)"),
    # information in bits: the built-in entropy is in nats
    (PROSE + "All logarithms are base 2 (bits).\n\n", r"H(x) = -\sum_{i=1}^n P(x_i)\log_2 P(x_i)"),
    # x is not called a random variable
    ("# E\n\nLet $P$ be a distribution on $n$ points.\n\n", r"E[I(x)] = -\sum_{i=1}^n P(x_i)\log P(x_i)"),
    # two laws in the chain: which one is the law of x is not said
    (PROSE, r"H(x) = -\sum_{i = 1}^n P(x_i) \log Q(x_i)"),
    # two supports in one chain
    (PROSE, r"H(P) = -\sum_{i=1}^n P(x_i)\log P(x_i) + \sum_{j=1}^m 0 \cdot Q(x_j)"),
]


@pytest.mark.parametrize("prose, chain", NOT_READ)
def test_unsure_readings_are_not_decided(prose, chain):
    steps = steps_of(display(chain), prose)
    assert steps and all(s["status"] not in ("proved", "checked", "refuted") or s["kind"] != "claim"
                         or "H" not in s["lhs"] for s in steps), [(s["lhs"], s["status"]) for s in steps]
    assert not any(s["status"] == "refuted" for s in steps)


def test_the_notes_own_definition_wins():
    # the note defines its own H (a wrong "entropy" on purpose): H keeps the note's meaning
    # (the note's convention, not the standard one); later steps on H are never refuted by the standard meaning
    body = "Define\n\n" + display(r"H(P) = \sum_{i=1}^n P(x_i)\log P(x_i)") + "\nSo\n\n" + display(
        r"H(P) = \sum_{i=1}^n P(x_i)\log P(x_i)") + "\nand\n\n" + display(r"H(x) = E[I(x)]")
    steps = steps_of(body)
    # the note's definition is read and wins: restated, it holds by it; never refuted by the standard meaning
    assert len(steps) == 3 and all(s["status"] != "refuted" for s in steps), steps
    assert steps[0]["status"] == "noted" and steps[1]["status"] == "proved", steps
    assert steps[2]["status"] not in ("proved", "checked"), steps
    # a definition in the standard form is the note's definition too (noted); the chain goes on decided
    std = steps_of("We define\n\n" + display(r"H(x) = E[I(x)] = -\sum_{i=1}^n P(x_i)\log P(x_i)"))
    assert std[0]["status"] in ("noted", "unknown") and std[1]["status"] == "proved", std


def test_a_first_appearance_as_name_equals_value_is_the_notes_definition():
    # H(P, Q) = ... where the note has not used H yet: the note defines H (noted), whatever it says
    prose = "# H\n\n随机变量$x$的分布$P$, $Q$。\n\n"
    steps = steps_of(display(r"H(P, Q) = \sum_{i=1}^n P(x_i)\log Q(x_i)"), prose)
    assert len(steps) == 1 and steps[0]["status"] in ("noted", "unknown"), steps  # never refuted
    # E is an operator, never defined so: its first appearance is a claim
    steps = steps_of(display(r"E[x] = \sum_{i=1}^{n} x_i P(x_i)"), prose)
    assert [(s["kind"], s["status"]) for s in steps] == [("claim", "proved")]


def test_seed_004_entropy_chain_is_read_as_a_chain_and_decided(seeds_dir):
    seed = next(seeds_dir.glob("004_*.txt"))
    rep = check_text(seed.read_text(encoding="utf-8"), str(seed)).to_json()
    block = next(b for b in rep["blocks"] if any("E[I(x)]" in s["rhs"] for s in b["steps"]))
    # the prose says 定义为 (defined as): step 0 is the note's definition, step 1 is decided
    assert [(s["index"], s["kind"], s["status"]) for s in block["steps"]] == [
        (0, "definition", "noted"), (1, "claim", "proved")]
    cross = next(b for b in rep["blocks"] if any("E_P[I_Q(x)]" in s["rhs"] for s in b["steps"]))
    assert [s["status"] for s in cross["steps"]] == ["noted", "proved"]
