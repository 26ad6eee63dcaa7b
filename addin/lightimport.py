"""Start-up of the ``warrants`` command without numpy.

openpyxl imports numpy when it is installed (only to accept numpy scalars as cell
values), which is ~40% of the command's import time. The command never hands openpyxl
a numpy value (the recalculation computes in plain Python numbers), so it imports
openpyxl with numpy hidden.
"""
from __future__ import annotations

import sys

__all__ = ["import_openpyxl_without_numpy"]


def import_openpyxl_without_numpy() -> None:
    """Import openpyxl as if numpy were absent; a no-op once either is imported."""
    if "openpyxl" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None          # an ImportError for "import numpy" (the import system's rule)
    try:
        import openpyxl  # noqa: F401, PLC0415
    finally:
        del sys.modules["numpy"]
