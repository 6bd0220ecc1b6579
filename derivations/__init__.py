"""The catalog: every derivation of the seed posts, one module per family."""
