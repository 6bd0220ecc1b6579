"""The model: chains of steps, contexts of symbols and their domains, results, expression helpers.

Imports nothing else of the project: every other layer builds on it.
"""
