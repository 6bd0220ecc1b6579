"""Limits every layer shares: the default time budget of one step (the worker's CPU seconds)."""
from __future__ import annotations

DEFAULT_BUDGET = 20.0  # seconds per step
