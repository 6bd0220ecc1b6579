"""A law the note gives by its mean and variance only (notes.moment_laws): expectations of polynomials of degree
at most 2 under it are read (E[x] = m, E[x^2] = s^2 + m^2), anything else about the law stays unknown."""
from __future__ import annotations

import pytest

from verifier.notes.check import check_text
from verifier.notes.moment_laws import moment_laws

LEAD = (r"Let $p_{\mathrm{data}}$ be any distribution on $\mathbb{R}$ with mean $m$ and variance $s^2 > 0$, "
        r"and let $\sigma > 0$." "\n\n")


def _claim(body: str, lead: str = LEAD):
    rep = check_text(lead + body, "moments.md", budget=10.0)
    claims = [s for s in rep.all_steps if s.kind == "claim"]
    assert claims, body
    return claims[-1]


def test_the_stated_law_is_found():
    assert set(moment_laws(LEAD)) == {"pdata"}
    law = moment_laws(LEAD)["pdata"]
    assert (law.mean, law.sd) == ("m", "s")
    assert moment_laws(r"Let $p_{\mathrm{data}}$ be a distribution with mean $m$." "\n") == {}


RIGHT = [
    r"$$\mathbb{E}_{x\sim p_{\mathrm{data}}}[(x-\mu)^2] = s^2 + (m-\mu)^2$$",
    r"$$E_{x \sim p_{\mathrm{data}}}\big[(x-\mu)^2\big] = s^2 + (m-\mu)^2$$",
    r"$$\mathbb E_{x\sim p_{\mathrm{data}}}[x] = m$$",
    r"$$\mathbb{E}_{x\sim p_{\mathrm{data}}}[(x - m)^2] = s^2$$",
    r"$$\mathbb{E}_{x\sim p_{\mathrm{data}}}\Big[\frac{(x-\mu)^2}{2\sigma^2} + \log\sigma\Big] = \frac{s^2 + (m-\mu)^2}{2\sigma^2} + \ln\sigma$$",
    r"$$\mathbb{E}_{x\sim p_{\mathrm{data}}}\big[-\log\mathcal{N}(x;\mu,\sigma^2)\big] = "
    r"\frac{1}{2}\log(2\pi\sigma^2) + \frac{s^2 + (m-\mu)^2}{2\sigma^2}$$",
]


@pytest.mark.parametrize("body", RIGHT, ids=range(len(RIGHT)))
def test_right_steps_are_proved(body):
    s = _claim(body)
    assert s.status == "proved", f"{s.status}: {s.message} ({s.reading})"


WRONG = [
    r"$$\mathbb{E}_{x\sim p_{\mathrm{data}}}[(x-\mu)^2] = s^2 + (m+\mu)^2$$",
    r"$$\mathbb{E}_{x\sim p_{\mathrm{data}}}[x^2] = m^2$$",
    r"$$\mathbb{E}_{x\sim p_{\mathrm{data}}}[(x - m)^2] = s$$",
    r"$$\mathbb{E}_{x\sim p_{\mathrm{data}}}\big[-\log\mathcal{N}(x;\mu,\sigma^2)\big] = "
    r"\frac{1}{2}\log(2\pi\sigma^2) + \frac{s^2 + (m-\mu)^2}{\sigma^2}$$",
]


@pytest.mark.parametrize("body", WRONG, ids=range(len(WRONG)))
def test_wrong_steps_are_refuted(body):
    s = _claim(body)
    assert s.status == "refuted", f"{s.status}: {s.message} ({s.reading})"


UNKNOWN = [
    r"$$\mathbb{E}_{x\sim p_{\mathrm{data}}}[x^3] = m^3$$",  # a third moment: not given
    r"$$\mathbb{E}_{x\sim p_{\mathrm{data}}}[(x - m)^4] = 3 s^4$$",  # true for a Gaussian only
    r"$$\mathbb{E}_{x\sim p_{\mathrm{data}}}[e^{x}] = e^{m + s^2/2}$$",
]


@pytest.mark.parametrize("body", UNKNOWN, ids=range(len(UNKNOWN)))
def test_other_moments_stay_unknown(body):
    s = _claim(body)
    assert s.status == "unknown", f"{s.status}: {s.message} ({s.reading})"


def test_the_gaussian_log_likelihood_objective():
    note = LEAD + ("We minimise\n\n$$\nJ(\\mu,\\sigma^2) = \\mathbb{E}_{x\\sim p_{\\mathrm{data}}}"
                   "\\big[-\\log\\mathcal{N}(x;\\mu,\\sigma^2)\\big]\n$$\n\nso\n\n")
    right = _claim(r"$$\frac{\partial J}{\partial\sigma} = \frac{1}{\sigma} - \frac{s^2 + (m-\mu)^2}{\sigma^3}$$", note)
    assert right.status == "proved", right.message
    wrong = _claim(r"$$\frac{\partial J}{\partial\sigma} = \frac{1}{\sigma} - \frac{s^2 + (m-\mu)^2}{2\sigma^3}$$", note)
    assert wrong.status == "refuted", wrong.message


def test_without_the_statement_nothing_is_read():
    for body in (RIGHT[0], WRONG[0]):
        rep = check_text("Let $\\sigma > 0$.\n\n" + body, "moments.md", budget=10.0)
        assert rep.all_steps and all(s.status in ("unknown", "noted") for s in rep.all_steps), rep.all_steps
