"""Benchmarks and the soundness (mutation) harness."""
