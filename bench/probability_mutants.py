"""Mutation and false-alarm harness for the probability steps of the catalog.

Run from the repository root::

    python bench/probability_mutants.py [--budget 10]

For every step of ``derivations/probability.py`` and ``derivations/bayes.py``:

* **mutants** wrong by construction (the right side scaled by 11/10 and shifted by 1/10, shifted by
  1, negated; an inequality reversed; Var replaced by E; a square dropped from E[.]^2): the engine
  must never call one ``proved`` or ``checked`` (a FALSE ACCEPT);
* **rewrites** that keep the meaning (the right side expanded; Var(f) written E[f^2] - E[f]^2;
  Cov(f, g) written E[fg] - E[f]E[g]): the engine must never call one ``refuted`` (a FALSE ALARM).

A mutant whose right side is unchanged or that could be equivalent (a right side whose value is 0
negated, or of -1 scaled and shifted) is skipped.

Then the same for **notes** (``verify check`` on short notes written as people write them): the
constructs of the note reader (events given in numbers and ``P(A \\mid B)``, laws stated in words, a fair die,
indicators of a fair coin's outcomes, laws on one finite set with bare sums ``\\sum_x P(x)``, ``E_P[I_Q(x)]`` and ``H(P, Q)`` over a finite law the chain writes out,
``\\mathbb{E}_{x\\sim p}`` under a named Gaussian density, ``D_{\\mathrm{KL}}(p\\|q)``, ``KL(p||q)``,
``\\mathrm{KL}(\\mathcal{N}(\\mu,\\sigma^2)\\|\\mathcal{N}(0,1))``, laws a worked example states in numbers
``P = (\\tfrac12, \\tfrac14, \\tfrac14)`` in bits or nats, a joint law given as a Markdown table, a discrete latent
variable's ELBO and KL to the posterior, expectations under a law given by its mean and variance): the last expression of each right
chain negated, shifted by 1, scaled by 2, or with the two laws swapped must never be proved or checked;
the chain respelled (``\\mathbb{E}`` as ``E``, ``\\|`` as ``||``, ``D_{\\mathrm{KL}}`` as ``\\mathrm{KL}``,
``+ 0``, ``\\log\\frac{1}{t}`` for ``-\\log t``) must never be refuted.  One line per part, then the
totals; the last line reads exactly::

    mutants=N refuted=R unknown=U false_accepts=F rewrites=W false_alarms=A
"""
from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

import sympy as sp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from derivations import bayes, probability  # noqa: E402
from verifier.engine.decide import decide_step, problem_for  # noqa: E402
from verifier.engine.expand import unfold  # noqa: E402
from verifier.engine.probability.lower import lower_problem  # noqa: E402
from verifier.engine.proofs import is_zero  # noqa: E402
from verifier.model.random import Cov, E, Var  # noqa: E402
from verifier.model.results import CHECKED, PROVED, REFUTED  # noqa: E402

FLIP = {"<=": ">=", ">=": "<=", "<": ">", ">": "<"}


def _value_zero(expr, ctx) -> bool:
    """Is expr identically 0 (its expectations lowered, then the normal form)?  Then negating it is
    no mutation (the mutant is equivalent and skipped)."""
    try:
        low = lower_problem(unfold(expr, ctx.definitions), sp.Integer(0), ctx)
        return is_zero(low.lhs, low.ctx) is not None
    except Exception:  # noqa: BLE001 - unknown: treated as possibly zero, the mutant is skipped
        return True


def mutants(step, ctx) -> list[tuple[str, object]]:
    rhs = step.expr
    out = []
    if rhs != -1:
        out.append(("scale", sp.Rational(11, 10) * rhs + sp.Rational(1, 10)))
    out.append(("shift", rhs + 1))
    if rhs != 0 and not _value_zero(rhs, ctx):
        out.append(("negate", -rhs))
    if rhs.has(Var):
        out.append(("var-as-mean", rhs.replace(lambda e: isinstance(e, Var), lambda e: E(e.args[0]))))
    sq = rhs.replace(lambda e: isinstance(e, sp.Pow) and isinstance(e.base, E) and e.exp == 2, lambda e: e.base)
    if sq != rhs:
        out.append(("square-dropped", sq))
    return [(k, m) for k, m in out if m != rhs]


def rewrites(step) -> list[tuple[str, object]]:
    rhs = step.expr
    out = [("expanded", sp.expand(rhs))]
    v = rhs.replace(lambda e: isinstance(e, Var), lambda e: E(e.args[0] ** 2) - E(e.args[0]) ** 2)
    c = rhs.replace(lambda e: isinstance(e, Cov), lambda e: E(e.args[0] * e.args[1]) - E(e.args[0]) * E(e.args[1]))
    out += [("var-shortcut", v), ("cov-shortcut", c)]
    return [(k, r) for k, r in out if r != rhs]


FINITE = "# H\n\n随机变量$x$有$n$个事件$x_i$，概率为$P(x_i)$；$Q$是另一个分布。于是\n\n"
GAUSS = (r"Let $p(x) = \mathcal{N}(x;\mu_1,\sigma_1^2)$ and $q(x) = \mathcal{N}(x;\mu_2,\sigma_2^2)$ with "
         "$\\sigma_1, \\sigma_2 > 0$. Here $\\sigma > 0$.\n\nThen\n\n")
KL_CLOSED = r"\log\frac{\sigma_2}{\sigma_1} + \frac{\sigma_1^2 + (\mu_1-\mu_2)^2}{2\sigma_2^2} - \frac{1}{2}"
#: (prose, a display used before, the chain as its expressions)
NOTE_CHAINS = [
    (FINITE, "", [r"H(x)", r"E[I(x)]", r"-\sum_{i = 1}^n P(x_i) \log (P(x_i))"]),
    (FINITE, "", [r"H(P, Q)", r"E_P[I_Q(x)]", r"-\sum_{i = 1}^n P(x_i) \log (Q(x_i))"]),
    (FINITE, "", [r"D_{\mathrm{KL}}(P\,\|\,Q)", r"\sum_{i=1}^n P(x_i)\log\frac{P(x_i)}{Q(x_i)}",
                  r"\sum_{i=1}^n P(x_i)\log P(x_i) - \sum_{i=1}^n P(x_i)\log Q(x_i)"]),
    (FINITE, "", [r"\mathbb{E}[x]", r"\sum_{i=1}^{n} x_i P(x_i)", r"\sum_{i=1}^{n} P(x_i) x_i"]),
    (GAUSS, "", [r"\mathbb{E}_{x\sim p}\big[(x-\mu_2)^2\big]", r"\mathbb{E}_{x\sim p}\big[(x-\mu_1+\mu_1-\mu_2)^2\big]",
                 r"\sigma_1^2 + (\mu_1-\mu_2)^2"]),
    (GAUSS, "", [r"D_{\mathrm{KL}}(p\,\|\,q)", r"\mathbb{E}_{x\sim p}\Big[\log\frac{p(x)}{q(x)}\Big]", KL_CLOSED]),
    (GAUSS, r"D_{KL}(p||q) = \mathbb{E}_{x\sim p}\big[\log p(x) - \log q(x)\big] = " + KL_CLOSED,
     [r"\mathrm{KL}\big(\mathcal{N}(\mu,\sigma^2)\,\|\,\mathcal{N}(0,1)\big)",
      r"\frac{1}{2}\big(\mu^2 + \sigma^2 - 1 - \log\sigma^2\big)"]),
]
BAYES = (r"A disease has prevalence $P(D) = 0.02$. The test has $P(+ \mid D) = 0.9$ and $P(+ \mid \bar{D}) = 0.1$."
         "\n\nThen\n\n")
BERN_WORDS = "The random variable $X$ is Bernoulli with parameter $p$, where $0 < p < 1$.\n\nThen\n\n"
BINOM_WORDS = "设 $S$ 服从二项分布 $B(n,p)$，其中 $0<p<1$。\n\n于是\n\n"
DIE = "Let $X$ be the number shown by a fair die, a random variable.\n\nThen\n\n"
COIN = ("Flip a fair coin once. Let $X = 1$ if it lands heads and $0$ otherwise, and let $Y = 1$ if it lands tails "
        "and $0$ otherwise. Then\n\n")
BAYES_RULE = r"\frac{P(+ \mid D)P(D)}{P(+ \mid D)P(D) + P(+ \mid \bar{D})P(\bar{D})}"
NOTE_CHAINS += [
    (BAYES, "", [r"P(D \mid +)", BAYES_RULE]),
    (BAYES, "", [r"P(D \mid +)", BAYES_RULE, r"\frac{0.9 \times 0.02}{0.9 \times 0.02 + 0.1 \times 0.98}"]),
    (BAYES, "", [r"P(+)", r"P(+ \mid D)P(D) + P(+ \mid \bar{D})P(\bar{D})", r"0.116"]),
    (BAYES, "", [r"P(\bar{D} \mid +)", r"1 - P(D \mid +)"]),
    (BAYES, "", [r"\frac{P(D \mid +)}{P(\bar{D} \mid +)}", r"\frac{P(+ \mid D)}{P(+ \mid \bar{D})}\cdot\frac{P(D)}{P(\bar{D})}"]),
    (BERN_WORDS, "", [r"\operatorname{Var}(X)", r"\mathbb{E}[X^2] - \mathbb{E}[X]^2", r"p - p^2"]),
    (BINOM_WORDS, "", [r"\operatorname{Var}(S)", r"\mathbb{E}[S^2] - \mathbb{E}[S]^2", r"np(1-p)"]),
    (DIE, "", [r"\mathbb{E}[X]", r"\frac{1 + 2 + 3 + 4 + 5 + 6}{6}", r"\frac{7}{2}"]),
    (DIE, "", [r"\operatorname{Var}(X)", r"\mathbb{E}[X^2] - \mathbb{E}[X]^2", r"\frac{91}{6} - \frac{49}{4}"]),
    (COIN, "", [r"\mathbb{E}[XY]", r"0"]),
    (COIN, "", [r"\operatorname{Cov}(X, Y)", r"\mathbb{E}[XY] - \mathbb{E}[X]\,\mathbb{E}[Y]", r"-\frac{1}{4}"]),
]

FINITE_SET = ("$P$ and $Q$ are probability distributions on the same finite set $\\mathcal{X}$, strictly positive "
              "on it.\n\n$$\nH(P, Q) = -\\sum_{x} P(x)\\log Q(x)\n$$\n\n"
              "$$\nD_{\\mathrm{KL}}(P\\,\\|\\,Q) = \\sum_{x} P(x)\\log\\frac{P(x)}{Q(x)}\n$$\n\n")
NOTE_CHAINS += [
    (FINITE_SET, "", [r"H(P, Q)", r"-\sum_{x} P(x)\log P(x) + \sum_{x} P(x)\log\frac{P(x)}{Q(x)}"]),
    (FINITE_SET, "", [r"D_{\mathrm{KL}}(P\,\|\,Q)", r"\sum_{x} P(x)\log P(x) - \sum_{x} P(x)\log Q(x)"]),
    (FINITE_SET + "## Summary\n\n", "", [r"D_{\mathrm{KL}}(P\,\|\,Q)", r"H(P, Q) - H(P)"]),
]

# laws a worked example states in numbers (notes.numeric_laws) and a joint law given as a table (notes.table_laws)
NUMERIC = (FINITE_SET + "## Example (in bits)\n\nLet $\\mathcal{X} = \\{a, b, c\\}$ with $P = (\\tfrac12, \\tfrac14, "
           "\\tfrac14)$ and $Q = (\\tfrac13, \\tfrac13, \\tfrac13)$. In this section $\\log_2$ is used throughout.\n\n")
NUMERIC_WORDS = NUMERIC.replace("In this section $\\log_2$ is used throughout.", "Information is in bits here.")
NUMERIC_NATS = NUMERIC.replace(" (in bits)", "").replace(" In this section $\\log_2$ is used throughout.", "")
TABLE = ("# Channel\n\nAll logarithms are base 2 here: information is in bits.\n\n"
         "| | $Y=0$ | $Y=1$ |\n| --- | --- | --- |\n| $X=0$ | $3/8$ | $1/8$ |\n| $X=1$ | $1/8$ | $3/8$ |\n\n"
         "## Entropy\n\n$$\nH(X)=-\\sum_{x}P(x)\\log_2 P(x)\n$$\n\n## Values\n\nThen\n\n")
NOTE_CHAINS += [
    (NUMERIC, "", [r"H(P)", r"-\tfrac12\log_2\tfrac12 - 2\cdot\tfrac14\log_2\tfrac14", r"\tfrac32"]),
    (NUMERIC, "", [r"H(P, Q)", r"-\sum_{x} P(x)\log_2\tfrac13", r"\log_2 3"]),
    (NUMERIC, "", [r"D_{\mathrm{KL}}(P\,\|\,Q)", r"H(P, Q) - H(P)", r"\log_2 3 - \tfrac32"]),
    (NUMERIC, "", [r"D_{\mathrm{KL}}(Q\,\|\,P)", r"\tfrac53 - \log_2 3"]),
    (NUMERIC_WORDS, "", [r"D_{\mathrm{KL}}(P\,\|\,Q)", r"\log_2 3 - \tfrac32"]),
    (NUMERIC_NATS, "", [r"H(P)", r"\tfrac32 \log 2"]),
    (TABLE, "", [r"H(X)", r"-2\times\frac{1}{2}\log_2\frac{1}{2}", r"1"]),
    (TABLE, "", [r"H(X) + H(Y)", r"2"]),
]


# a discrete latent variable with its prior, likelihood and variational law (notes.latent_laws), and a law given
# by its mean and variance only (notes.moment_laws)
LATENT = ("## Setup\n\nWe use a **discrete** latent variable $z \\in \\{1, \\dots, K\\}$. We have a prior $p(z)$ and a "
          "likelihood $p(\\mathbf{x} \\mid z)$ for an observation $\\mathbf{x}$, fixed throughout. The joint is "
          "$p(\\mathbf{x}, z) = p(z)\\,p(\\mathbf{x} \\mid z)$. We pick a distribution $q(z)$, with $q(z) > 0$ for "
          "every $z$. Define\n\n$$\n\\mathrm{ELBO}(q) = \\mathbb{E}_{z\\sim q}\\big[\\log p(\\mathbf{x}, z) - "
          "\\log q(z)\\big]\n$$\n\n## Derivation\n\n")
MOMENTS = ("Let $p_{\\mathrm{data}}$ be any distribution on $\\mathbb{R}$ with mean $m$ and variance $s^2 > 0$, and let "
           "$\\sigma > 0$.\n\n")
NOTE_CHAINS += [
    (LATENT, "", [r"\log p(\mathbf{x})", r"\mathrm{ELBO}(q) + \mathrm{KL}\big(q(z)\,\|\,p(z \mid \mathbf{x})\big)"]),
    (LATENT, "", [r"\log p(\mathbf{x})", r"\mathrm{ELBO}(q) + D_{\mathrm{KL}}\big(q\,\|\,p(\cdot \mid \mathbf{x})\big)"]),
    (LATENT, "", [r"\mathrm{ELBO}(q)",
                  r"\mathbb{E}_{z\sim q}\big[\log p(\mathbf{x} \mid z)\big] - \mathrm{KL}\big(q(z)\,\|\,p(z)\big)"]),
    (LATENT, "", [r"\log p(\mathbf{x})", r"\sum_{z} q(z)\log p(\mathbf{x})",
                  r"\sum_{z} q(z)\log\frac{p(\mathbf{x}, z)}{p(z \mid \mathbf{x})}"]),
    (MOMENTS, "", [r"\mathbb{E}_{x\sim p_{\mathrm{data}}}[(x-\mu)^2]", r"s^2 + (m-\mu)^2"]),
    (MOMENTS, "", [r"\mathbb{E}_{x\sim p_{\mathrm{data}}}\big[-\log\mathcal{N}(x;\mu,\sigma^2)\big]",
                   r"\frac{1}{2}\log(2\pi\sigma^2) + \frac{s^2 + (m-\mu)^2}{2\sigma^2}"]),
]


def _swap_events(t: str) -> str:
    """D and its complement exchanged: P(+ | D)P(D) / (...) becomes P(D-bar | +)."""
    return t.replace(r"\bar{D}", "@").replace("D", r"\bar{D}").replace("@", "D")


def _flip_kl(t: str) -> str:
    """The sign of a KL term turned (log p(x) = ELBO - KL for + KL)."""
    return re.sub(r"([+-])(\s*(?:\\mathrm\{KL\}|D_\{\\mathrm\{KL\}\}))",
                  lambda m: ("-" if m.group(1) == "+" else "+") + m.group(2), t)


NOTE_MUTANTS = [("kl-sign", _flip_kl), ("negate", lambda t: r"-\left(" + t + r"\right)"), ("shift", lambda t: r"\left(" + t + r"\right) + 1"),
                ("scale", lambda t: r"2\left(" + t + r"\right)"),
                ("swap-laws", lambda t: t.replace("P(", "@(").replace("Q(", "P(").replace("@(", "Q(")
                 .replace("sigma_1", "@").replace("sigma_2", "sigma_1").replace("@", "sigma_2")),
                ("swap-events", _swap_events),
                ("condition-turned", lambda t: t.replace(r"P(+ \mid D)", r"P(D \mid +)", 1)),
                ("square-dropped", lambda t: t.replace(r"\mathbb{E}[X]^2", r"\mathbb{E}[X]").replace(r"\mathbb{E}[S]^2", r"\mathbb{E}[S]")),
                ("independence-assumed", lambda t: t.replace(r"\mathbb{E}[XY] - ", r"\mathbb{E}[X]\,\mathbb{E}[Y] - "))]


def _both_laws(exprs: list[str]) -> bool:
    """Swapping the laws changes the meaning only where the chain names both (P and Q, sigma_1 and sigma_2)."""
    text = " ".join(exprs)
    return ("P(" in text and "Q(" in text) or ("sigma_1" in text and "sigma_2" in text)
NOTE_REWRITES = [("E-plain", lambda t: t.replace(r"\mathbb{E}", "E")), ("bars", lambda t: t.replace(r"\,\|\,", "||")),
                 ("KL-name", lambda t: t.replace(r"D_{\mathrm{KL}}", r"\mathrm{KL}")),
                 ("plus-zero", lambda t: t + " + 0"),
                 ("cond-bar", lambda t: t.replace(r"\mid", "|")), ("Pr", lambda t: t.replace("P(", r"\Pr(")),
                 ("Pr-brackets", lambda t: t.replace(r"P(D \mid +)", r"\Pr[D \mid +]")),
                 ("E-bold", lambda t: t.replace(r"\mathbb{E}", r"\mathbf{E}")),
                 ("commuted", lambda t: t.replace(r"P(+ \mid D)P(D)", r"P(D)\,P(+ \mid D)")),
                 ("ln", lambda t: t.replace(r"\log 2", r"\ln 2")),
                 ("ln-all", lambda t: re.sub(r"\\log(?![_A-Za-z])", r"\\ln", t) if "_2" not in t else t),
                 ("KL-D", lambda t: t.replace(r"\mathrm{KL}", r"D_{\mathrm{KL}}")),
                 ("log-reciprocal", lambda t: t.replace(r"-\sum_{i = 1}^n P(x_i) \log (P(x_i))",
                                                        r"\sum_{i=1}^n P(x_i)\log\frac{1}{P(x_i)}"))]


def _note_steps(prose: str, used: str, exprs: list[str], budget: float) -> list[dict]:
    from verifier.notes.check import check_text

    text = prose + (f"$$\n{used}\n$$\n\nand\n\n" if used else "") + "$$\n" + " = ".join(exprs) + "\n$$\n"
    rep = check_text(text, "note.md", budget=budget).to_json()
    steps = [s for b in rep["blocks"] for s in b["steps"]]
    return steps[len(steps) - (len(exprs) - 1):]


def note_counts(budget: float) -> dict:
    counts = dict(mutants=0, refuted=0, unknown=0, false_accepts=0, rewrites=0, false_alarms=0)
    for prose, used, exprs in NOTE_CHAINS:
        for name, mutate in NOTE_MUTANTS:
            last = mutate(exprs[-1])
            if last == exprs[-1] or (name == "swap-laws" and not _both_laws(exprs)) \
                    or (name in ("negate", "scale") and exprs[-1].strip() == "0") \
                    or (name == "swap-events" and not ("mid" in exprs[0] and r"\bar{D}" in exprs[-1])):
                continue  # no change, or a change that may keep the meaning (a symmetric sum)
            s = _note_steps(prose, used, exprs[:-1] + [last], budget)[-1]
            counts["mutants"] += 1
            if s["status"] in (PROVED, CHECKED):
                counts["false_accepts"] += 1
                print(f"FALSE ACCEPT note {exprs[0]} {name}: {s['message']}")
            else:
                counts["refuted" if s["status"] == REFUTED else "unknown"] += 1
        for name, rewrite in NOTE_REWRITES:
            new = [rewrite(e) if k == len(exprs) - 1 or name != "plus-zero" else e for k, e in enumerate(exprs)]
            if new == exprs:
                continue
            counts["rewrites"] += 1
            for s in _note_steps(prose, used, new, budget):
                if s["status"] == REFUTED:
                    counts["false_alarms"] += 1
                    print(f"FALSE ALARM note {exprs[0]} {name}: {s['message']}")
                    break
    return counts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--budget", type=float, default=10.0)
    args = ap.parse_args(argv)
    counts = dict(mutants=0, refuted=0, unknown=0, false_accepts=0, rewrites=0, false_alarms=0)
    for make in probability.DERIVATIONS + bayes.DERIVATIONS:
        d = make()
        for ci, chain in enumerate(d.chains):
            sense = chain.steps[0].sense
            for k in range(1, len(chain.steps)):
                prev, step = chain.steps[k - 1], chain.steps[k]
                if step.relation in ("argmin-equivalent", "argmax-equivalent"):
                    continue
                cands = [(n, m, step.relation) for n, m in mutants(step, d.context)]
                if step.relation in FLIP:
                    cands.append(("reversed", step.expr, FLIP[step.relation]))
                for name, expr, rel in cands:
                    s = copy.copy(step)
                    s.expr, s.relation = expr, rel
                    if rel != step.relation:
                        s.lemma = None
                    v = decide_step(problem_for(d.context, prev, s, sense), args.budget)
                    counts["mutants"] += 1
                    if v.status in (PROVED, CHECKED):
                        counts["false_accepts"] += 1
                        print(f"FALSE ACCEPT {d.id} chain {ci} step {k} {name}: {v.method}")
                    elif v.status == REFUTED:
                        counts["refuted"] += 1
                    else:
                        counts["unknown"] += 1
                for name, expr in rewrites(step):
                    s = copy.copy(step)
                    s.expr = expr
                    v = decide_step(problem_for(d.context, prev, s, sense), args.budget)
                    counts["rewrites"] += 1
                    if v.status == REFUTED:
                        counts["false_alarms"] += 1
                        print(f"FALSE ALARM {d.id} chain {ci} step {k} {name}: {v.message}")
    print("catalog: " + " ".join(f"{k}={v}" for k, v in counts.items()))
    notes = note_counts(args.budget)
    print("notes: " + " ".join(f"{k}={v}" for k, v in notes.items()))
    counts = {k: counts[k] + notes[k] for k in counts}
    print(" ".join(f"{k}={v}" for k, v in counts.items()))
    return 1 if counts["false_accepts"] or counts["false_alarms"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
