"""The version of the package (also part of the verdict cache key)."""
__version__ = "0.3.0"
