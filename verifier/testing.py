"""Asserting derivations in a user's own tests: the public path of :mod:`verifier.integrations.testing`
(``from verifier.testing import assert_proved, derivation_params``)."""
from verifier.integrations.testing import *  # noqa: F401,F403
from verifier.integrations.testing import DerivationFailed, assert_proved, derivation_params  # noqa: F401
