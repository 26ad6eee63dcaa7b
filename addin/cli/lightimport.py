"""Start-up of the ``warrants`` command: openpyxl's package body only when it is used, numpy never.

openpyxl's ``__init__`` imports its whole reader and writer (workbook, styles, charts,
drawings: ~0.12 s CPU here), and numpy when it is installed (only to accept numpy scalars as
cell values; the command never hands openpyxl a numpy value). A recalculation printed as
JSON uses only openpyxl's formula tokenizer, its cell-address and date helpers and the
shared-formula translator, small modules that need nothing from the package body.

:func:`import_openpyxl_lazily` puts an ``openpyxl`` package in ``sys.modules`` whose body
runs the first time anything asks it for a name it does not yet hold (``openpyxl.
load_workbook``, ``from openpyxl import DEBUG`` inside a submodule, ...): a submodule import
such as ``openpyxl.utils.cell`` is just that module. Its numbers module is imported first,
with numpy hidden, so openpyxl never imports numpy in this process.
"""
from __future__ import annotations

import importlib.util
import sys
import types

__all__ = ["import_openpyxl_lazily", "openpyxl_body_loaded"]


class _LazyPackage(types.ModuleType):
    """openpyxl before its ``__init__`` has run: the first missing name runs it."""

    def __getattr__(self, name: str):
        if self.__dict__.get("_warrants_loading"):        # inside the body: a name not set yet
            raise AttributeError(f"partially initialized module 'openpyxl' has no attribute {name!r}")
        _load_body(self)
        return getattr(self, name)


def _load_body(module: types.ModuleType) -> None:
    module.__dict__["_warrants_loading"] = True
    hidden = _hide_numpy()
    try:
        module.__spec__.loader.exec_module(module)
    finally:
        _restore_numpy(hidden)
        del module.__dict__["_warrants_loading"]
    module.__class__ = types.ModuleType


def _hide_numpy() -> bool:
    if "numpy" in sys.modules:
        return False
    sys.modules["numpy"] = None          # an ImportError for "import numpy" (the import system's rule)
    return True


def _restore_numpy(hidden: bool) -> None:
    if hidden:
        del sys.modules["numpy"]


def openpyxl_body_loaded() -> bool:
    """Whether openpyxl's package body (its reader, writer and styles) has been imported."""
    module = sys.modules.get("openpyxl")
    return module is not None and type(module) is not _LazyPackage


def import_openpyxl_lazily() -> None:
    """Install the lazy ``openpyxl`` package; a no-op once openpyxl is imported (or absent)."""
    if "openpyxl" in sys.modules:
        return
    spec = importlib.util.find_spec("openpyxl")
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        return
    module = importlib.util.module_from_spec(spec)
    module.__class__ = _LazyPackage
    sys.modules["openpyxl"] = module
    hidden = _hide_numpy()
    try:
        import openpyxl.compat.numbers  # noqa: F401, PLC0415 - NUMPY = False, fixed for the process
    except Exception:                   # noqa: BLE001 - an openpyxl laid out otherwise: import it whole
        del sys.modules["openpyxl"]
        for name in [m for m in sys.modules if m.startswith("openpyxl.")]:
            del sys.modules[name]
        import openpyxl  # noqa: F401, PLC0415
    finally:
        _restore_numpy(hidden)
