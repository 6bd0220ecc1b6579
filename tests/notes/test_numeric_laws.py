"""Laws a worked example states in numbers on the note's finite set (notes.numeric_laws): the built-in entropy,
cross-entropy and KL at them are claims decided exactly, in bits where the section says so; wrong values
refuted, right ones in other spellings never refuted, non-claims noted, anything not stated left unread."""
from __future__ import annotations

import pytest
from sympy import Rational

from verifier.notes.check import check_text
from verifier.notes.numeric_laws import stated_vectors

CONV = ("**Conventions.** $P$ and $Q$ are probability distributions on the same finite set $\\mathcal{X}$, "
        "strictly positive on it.\n\n## 1 Definitions\n\n"
        "$$\nD_{\\mathrm{KL}}(P\\,\\|\\,Q) = \\sum_{x} P(x)\\log\\frac{P(x)}{Q(x)}\n$$\n\n")
BITS = ("## 2 Example (in bits)\n\nLet $\\mathcal{X} = \\{a, b, c\\}$ with $P = (\\tfrac12, \\tfrac14, \\tfrac14)$ "
        "and $Q = (\\tfrac13, \\tfrac13, \\tfrac13)$. In this section $\\log_2$ is used throughout.\n\n")
NATS = ("## 2 Example\n\nLet $\\mathcal{X} = \\{a, b, c\\}$ with $P = (\\tfrac12, \\tfrac14, \\tfrac14)$ "
        "and $Q = (\\tfrac13, \\tfrac13, \\tfrac13)$.\n\n")


def steps(text: str):
    rep = check_text(text, "note.md", budget=10.0).to_json()
    return [(s["line"], s["kind"], s["status"], s["message"]) for b in rep["blocks"] for s in b["steps"]]


def last(text: str, display: str):
    out = steps(text + f"$$\n{display}\n$$\n")
    n = text.count("\n") + 2
    return [(k, st) for line, k, st, _ in out if line == n]


def test_stated_vectors_read_exact_laws_only():
    values = {"\\tfrac12": Rational(1, 2), "\\tfrac14": Rational(1, 4), "\\tfrac13": Rational(1, 3),
              "\\tfrac18": Rational(1, 8), "0.5": Rational(1, 2), "x": None}

    def reader(s):
        v = values[s.strip()]
        if v is None:
            raise ValueError(s)
        return v
    ((lo, hi, laws),) = stated_vectors(CONV + BITS, frozenset({"P", "Q"}), reader)
    assert laws["P"] == (Rational(1, 2), Rational(1, 4), Rational(1, 4)) and len(laws["Q"]) == 3
    assert lo == (CONV + BITS).splitlines().index("## 2 Example (in bits)") + 3
    not_one = BITS.replace("\\tfrac12, \\tfrac14, \\tfrac14", "\\tfrac12, \\tfrac14, \\tfrac18")
    assert [set(la) for _, _, la in stated_vectors(CONV + not_one, frozenset({"P", "Q"}), reader)] == [{"Q"}]
    unread = BITS.replace("\\tfrac13, \\tfrac13, \\tfrac13", "x, \\tfrac13, \\tfrac13")
    assert [set(la) for _, _, la in stated_vectors(CONV + unread, frozenset({"P", "Q"}), reader)] == [{"P"}]
    assert stated_vectors(CONV + BITS, frozenset(), reader) == []  # no law on a finite set: nothing read


@pytest.mark.parametrize("display", [
    r"D_{\mathrm{KL}}(Q\,\|\,P) = D_{\mathrm{KL}}(P\,\|\,Q)",   # KL is not symmetric
    r"H(P) = 1",
    r"H(P, Q) = H(P)",
    r"D_{\mathrm{KL}}(P\,\|\,Q) = H(P) - H(P, Q)",
    r"H(P) = \tfrac32 \ln 2",                                    # nats, in the bits section
])
def test_wrong_values_in_bits_refuted(display):
    assert last(CONV + BITS, display) == [("claim", "refuted")]


@pytest.mark.parametrize("display", [
    r"H(P) = -\tfrac12\log_2\tfrac12 - 2\cdot\tfrac14\log_2\tfrac14 = \tfrac32",
    r"H(P, Q) = -\sum_{x} P(x)\log_2\tfrac13 = \log_2 3",
    r"H(P) = -\sum_{x} P(x)\log_2 P(x)",
    r"D_{\mathrm{KL}}(P\,\|\,Q) = H(P, Q) - H(P) = \log_2 3 - \tfrac32",
    r"\mathrm{KL}(P \| Q) = \log_2 3 - \frac{3}{2}",
    r"KL(P||Q) = \log_2 3 - 1.5",
    r"D_{\mathrm{KL}}(Q\,\|\,P) = \tfrac53 - \log_2 3",
    r"H(P) \le \log_2 3",
])
def test_right_values_in_bits_proved(display):
    out = last(CONV + BITS, display)
    assert out and all(st == "proved" for _, st in out), out


def test_in_bits_said_in_words():
    text = CONV + BITS.replace("In this section $\\log_2$ is used throughout.", "Information is in bits here.")
    assert last(text, r"H(P) = \tfrac32") == [("claim", "proved")]
    assert last(text, r"H(P) = \tfrac32 \log 2") == [("claim", "refuted")]


@pytest.mark.parametrize("display,status", [
    (r"H(P) = \tfrac32 \log 2", "proved"),
    (r"H(P) = \tfrac32 \ln 2", "proved"),
    (r"H(P) = -\sum_{x} P(x)\ln P(x)", "proved"),
    (r"H(P) = \tfrac32", "refuted"),
    (r"D_{\mathrm{KL}}(Q\,\|\,P) = D_{\mathrm{KL}}(P\,\|\,Q)", "refuted"),
])
def test_in_nats_outside_a_bits_section(display, status):
    assert last(CONV + NATS, display) == [("claim", status)]


def test_non_claims_stay_noted():
    assert last(CONV + BITS, r"H(P) \approx 1.5") == [("approximation", "noted")]
    assert last(CONV + BITS, r"\log_2 3 - \tfrac32 \approx 0.085") == [("approximation", "noted")]


def test_the_note_own_definition_wins():
    text = CONV + BITS + "We define, for this example only,\n\n$$\nG(P) = 2\n$$\n\n"
    out = last(text, r"G(P) = 2")
    assert out and all(st != "refuted" for _, st in out), out
    own = CONV + BITS + "Let\n\n$$\nH(P) := 7\n$$\n\n"
    assert all(st != "refuted" for _, st in last(own, r"H(P) = 7")), last(own, r"H(P) = 7")


def test_outside_the_section_and_without_a_stated_law_no_values():
    after = CONV + BITS + "## 3 Summary\n\nIn general the divergence is not symmetric.\n\n"
    assert last(after, r"H(P) = \tfrac32") != [("claim", "proved")]  # the example's values ended with its section
    unstated = CONV + BITS.replace("$P = (\\tfrac12, \\tfrac14, \\tfrac14)$", "$P$ some law")
    assert last(unstated, r"H(P) = \tfrac32")[0][1] not in ("proved", "checked", "refuted")
    wrong_sum = CONV + BITS.replace("\\tfrac12, \\tfrac14, \\tfrac14", "\\tfrac12, \\tfrac14, \\tfrac18")
    assert last(wrong_sum, r"H(P) = \tfrac32")[0][1] not in ("proved", "checked", "refuted")
