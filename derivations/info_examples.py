"""Information content in bits: the League of Legends example (eight teams).

Seed 002, ``### 信息论``: I(x) = -log_2 x; going from probability 1/8 to the title
(probability 1) is 3 bits, to the semi-final (probability 1/2) is 2 bits, and 3 > 2.
log_2 t is written ln t / ln 2 (the base change is a positive scaling); every value is exact.
"""
import sympy as sp
from sympy import Lambda, Rational, log

from verifier.model.chain import Derivation, Source

SOURCE = Source("002_4b1aa85e936b725d.txt", "### 信息论")


def info_content_examples() -> Derivation:
    D = Derivation("info-content-examples", "Information content in bits: 3 bits to the title, 2 to the semi-final",
                   SOURCE)
    u = sp.Symbol("u", positive=True)
    I = sp.Function("I")
    D.define(I, Lambda(u, -log(u) / log(2)))  # I(x) = -log_2 x

    a = D.chain(I(Rational(1, 8)) - I(1), r"(a) from $\frac{1}{8}$ to the title", tex=r"I\left(\frac{1}{8}\right) - I(1)")
    a.eq(-log(Rational(1, 8)) / log(2) - (-log(1) / log(2)),  r"$I(x) = -\log_2 x$", tex=r"-\log_2 \frac{1}{8} - (-\log_2 1)")
    a.eq(sp.Add(3, 0, evaluate=False),                             r"$\log_2 \frac{1}{8} = -3$, $\log_2 1 = 0$ (exact)", tex=r"3 + 0")
    a.eq(sp.Integer(3),                                         "arithmetic", tex=r"3")

    b = D.chain(I(Rational(1, 8)) - I(Rational(1, 2)), r"(b) from $\frac{1}{8}$ to the semi-final", tex=r"I\left(\frac{1}{8}\right) - I\left(\frac{1}{2}\right)")
    b.eq(-log(Rational(1, 8)) / log(2) - (-log(Rational(1, 2)) / log(2)), r"$I(x) = -\log_2 x$", tex=r"-\log_2 \frac{1}{8} - \left(-\log_2 \frac{1}{2}\right)")
    b.eq(sp.Add(3, -1, evaluate=False),                         r"$\log_2 \frac{1}{8} = -3$, $\log_2 \frac{1}{2} = -1$ (exact)", tex=r"3 - 1")
    b.eq(sp.Integer(2),                                         "arithmetic", tex=r"2")

    c = D.chain(I(Rational(1, 8)) - I(1), "(c) the title carries more information than the semi-final", tex=r"I\left(\frac{1}{8}\right) - I(1)")
    c.gt(I(Rational(1, 8)) - I(Rational(1, 2)),                "$3$ bits $> 2$ bits", tex=r"I\left(\frac{1}{8}\right) - I\left(\frac{1}{2}\right)")
    return D


DERIVATIONS = [info_content_examples]
