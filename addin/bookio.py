"""Compatibility import path: book I/O lives in :mod:`addin.recalc.bookio`."""
from addin.recalc.bookio import BookError, Caps, load_book, named_range, require_names, save_atomic  # noqa: F401

__all__ = ["BookError", "Caps", "load_book", "named_range", "require_names", "save_atomic"]
