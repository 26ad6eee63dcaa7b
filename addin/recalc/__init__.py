"""Headless recalculation of workbooks with the add-in's catalog functions.

openpyxl reads formulas but never calculates them, so a test that reads cached values tests
nothing. This package recalculates a workbook the way Excel 365 would, with the same catalog
functions Excel calls through xlwings. One job per module (see docs/workbooks.md,
"Recalculation"):

* :mod:`.parse`: formula text to a small tree; cell addresses;
* :mod:`.values`: Excel's values and its coercion rules (text to number, number to text,
  comparison), in one place;
* :mod:`.lib`: the native functions grouped by kind, one function each, with their facts
  declared beside them (``lib.FACTS``, the registry: see lib/common.py ``declare``);
* :mod:`.evaluate`: evaluation in dependency order without Python's recursion limit;
* :mod:`.spill`: dynamic-array spills and legacy array formulas;
* :mod:`.bookio`: reading and writing books, with the file-level caps;
* :mod:`.values_copy`: the values copy (``recalc -o``), each value written as Excel shows it;
* :mod:`.fallback`: the optional ``formulas`` package, behind the "exact or error" rule.

The catalog is passed in by the caller (the add-in's is :mod:`addin.excel.catalog`; ``None``:
native functions only), so the recalculation imports nothing else from ``addin``. Catalog
functions are found under their plain name (``WARRANT_PRICE``), any dotted namespace
(``XLWINGS.WARRANT_PRICE``) and the ``_xldudf_`` prefix Excel writes for add-in functions. An
exception raised inside a catalog function is recorded (sheet, cell, function, message) and
the cell gets ``#VALUE!``. A ``#WARRANT: ...`` text is a user error and stays text, as in Excel.
Dates follow the workbook's date system (1904 handled).
"""
from __future__ import annotations

from importlib import import_module
from time import monotonic
from typing import TYPE_CHECKING

from .bookio import CAPS, BookError, Caps, load_book
from .parse import parse_area, parse_formula, split_sheet
from .values import XLError, cell_key, is_error, json_value

if TYPE_CHECKING:
    from .evaluate import Recalc, RecordedException, TimeLimitExceeded
    from .lib import FACTS, NATIVE

__all__ = ["XLError", "Recalc", "RecordedException", "recalc_workbook", "recalc_file", "cell_key", "is_error",
           "json_value", "write_values", "parse_formula", "parse_area", "split_sheet", "NATIVE", "FACTS", "Caps", "BookError",
           "load_book", "TimeLimitExceeded"]


# The evaluator and the function library (most of the package's import time) load when first
# used, so that a command that only reads a book's caps or cell addresses does not load them
# (PEP 562: the module's __getattr__ is asked for a name it does not hold yet).
_LAZY = {"Recalc": "evaluate", "RecordedException": "evaluate", "TimeLimitExceeded": "evaluate", "no_gc": "evaluate", "FACTS": "lib", "NATIVE": "lib"}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_LAZY[name]}", __name__), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


def write_values(wb, result) -> None:
    """Replace every formula of ``wb`` (an openpyxl book) by its value in ``result``: see
    values_copy.write_values. Imported when a values copy is written, so that recalculating
    alone loads no part of openpyxl."""
    from .values_copy import write_values as write  # noqa: PLC0415
    write(wb, result)


def recalc_workbook(wb, catalog, **options) -> Recalc:
    """Recalculate ``wb`` with ``catalog`` (the add-in's: :mod:`addin.excel.catalog`; ``None``: native
    functions only); see evaluate.recalc_workbook for the options."""
    from .evaluate import recalc_workbook as recalc  # noqa: PLC0415
    return recalc(wb, catalog, **options)


def recalc_file(path, catalog, *, caps: Caps = CAPS, read_only: bool = False, time_limit: float | None = None,
                **options) -> tuple[object, Recalc]:
    """Load ``path`` (see bookio.load_book for its checks, caps and ``read_only``) and recalculate it.
    ``time_limit``: seconds for both, loading included; past it, a BookError naming the cell."""
    from .evaluate import TimeLimitExceeded, no_gc  # noqa: PLC0415
    started = monotonic()
    with no_gc():
        wb = load_book(path, caps=caps, read_only=read_only, scan_cells=True)   # recalculated as loaded
        left = None if time_limit is None else max(0.0, time_limit - (monotonic() - started))
        try:
            return wb, recalc_workbook(wb, catalog, caps=caps, time_limit=left, **options)
        except TimeLimitExceeded as exc:
            over = TimeLimitExceeded(exc.cell, monotonic() - started, time_limit)    # loading counted too
            raise BookError(f"{path}: {over}") from None
