"""A model with a noise term (notes.noise_models): ``y_i = w x_i + b + \\varepsilon_i`` with the noise's
law written in the note says how the data arise.  It is a noted model that binds nothing, so the steps
written in the data later on are decided with y_i as data: right ones are never refuted (binding y_i to
the model made the gradient of the squared error "fail"), wrong ones are still refuted; with "let" the
same equation is a definition."""
from __future__ import annotations

from verifier.model.results import NOTED, PROVED, REFUTED
from verifier.notes.check import check_text

NOTE = r"""---
title: "Linear regression, the probabilistic way"
---

Most tutorials start with the loss. We start with the model, because then the loss falls out and we
know exactly what we assumed.

## The model

We observe pairs $(x_i, y_i)$ for $i = 1, \dots, n$ and model

$$
y_i = w x_i + b + \varepsilon_i, \qquad \varepsilon_i \sim \mathcal{N}(0, \sigma^2)
$$

so each target is Gaussian around the line.

## The gradient

Let $L(w, b) = \frac{1}{2}\sum_{i=1}^{n}(y_i - w x_i - b)^2$. Then

$$
\frac{\partial L}{\partial b} = -\sum_{i=1}^{n} (y_i - w x_i - b)
$$

and for one point

$$
\frac{\partial}{\partial w} \frac{1}{2}(y - w x - b)^2 = -(y - w x - b) x
$$

A slip people make is to drop the sign:

$$
\frac{\partial L}{\partial w} = \sum_{i=1}^{n} (y_i - w x_i - b) x_i
$$
"""


def _at(rep, line: int):
    return [s for s in rep.all_steps if s.line == line]


def _line(text: str, needle: str) -> int:
    return next(k for k, l in enumerate(text.splitlines(), 1) if needle in l)


def test_the_noise_model_is_a_model_and_binds_nothing():
    rep = check_text(NOTE, "regression.md")
    model = _at(rep, _line(NOTE, r"y_i = w x_i + b + \varepsilon_i"))[0]
    assert model.status == NOTED and model.kind == "model", model
    assert not any("y_i" in u.get("name", "") for s in rep.all_steps for u in (s.uses or []))


def test_right_steps_in_the_data_are_never_refuted_and_the_slip_is():
    rep = check_text(NOTE, "regression.md")
    grad_b = _at(rep, _line(NOTE, r"\frac{\partial L}{\partial b}"))[0]
    assert grad_b.status == PROVED, grad_b
    one = _at(rep, _line(NOTE, r"\frac{\partial}{\partial w} \frac{1}{2}"))[0]
    assert one.status == PROVED, one
    slip = _at(rep, _line(NOTE, r"\frac{\partial L}{\partial w} = \sum"))[0]
    assert slip.status == REFUTED, slip


def test_with_let_the_same_equation_is_a_definition():
    text = NOTE.replace("and model", "and let")
    rep = check_text(text, "regression.md")
    model = _at(rep, _line(text, r"y_i = w x_i + b + \varepsilon_i"))[0]
    assert model.status == NOTED and model.kind == "definition", model


def test_without_a_stated_law_a_term_written_nowhere_else_is_noise_too():
    text = NOTE.replace(r", \qquad \varepsilon_i \sim \mathcal{N}(0, \sigma^2)", "")
    rep = check_text(text, "regression.md")
    model = _at(rep, _line(text, r"y_i = w x_i + b + \varepsilon_i"))[0]
    assert model.status == NOTED and model.kind == "model", model
    assert _at(rep, _line(text, r"\frac{\partial L}{\partial b}"))[0].status == PROVED


def test_a_per_sample_term_the_note_uses_again_leaves_a_definition():
    text = r"""## Features

For each sample we form the score

$$
h_i = w x_i + c_i
$$

where the offsets are given by $c_i = 2 x_i$, so that

$$
h_i = (w + 2) x_i
$$
"""
    rep = check_text(text, "features.md")
    head = _at(rep, _line(text, "h_i = w x_i + c_i"))[0]
    assert head.status == NOTED and head.kind == "definition", head
    assert _at(rep, _line(text, "h_i = (w + 2) x_i"))[0].status != REFUTED


def test_given_by_defines():
    text = r"""## Offsets

For each sample we form the score

$$
h_i = w x_i + c_i
$$

where the offsets are given by $c_i = 2 x_i$, so that

$$
h_i = (w + 2) x_i
$$

and a slip would be

$$
h_i = (w + 3) x_i
$$
"""
    rep = check_text(text, "offsets.md")
    assert _at(rep, _line(text, "h_i = (w + 2) x_i"))[0].status == PROVED
    assert _at(rep, _line(text, "h_i = (w + 3) x_i"))[0].status == REFUTED
