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

from time import monotonic

from .bookio import CAPS, BookError, Caps, load_book
from .evaluate import Recalc, RecordedException, TimeLimitExceeded, no_gc, recalc_workbook as _recalc_workbook
from .lib import FACTS, NATIVE
from .parse import parse_area, parse_formula, split_sheet
from .values import XLError, cell_key, is_error, json_value
from .values_copy import write_values

__all__ = ["XLError", "Recalc", "RecordedException", "recalc_workbook", "recalc_file", "cell_key", "is_error",
           "json_value", "write_values", "parse_formula", "parse_area", "split_sheet", "NATIVE", "FACTS", "Caps", "BookError",
           "load_book", "TimeLimitExceeded"]


def recalc_workbook(wb, catalog, **options) -> Recalc:
    """Recalculate ``wb`` with ``catalog`` (the add-in's: :mod:`addin.excel.catalog`; ``None``: native
    functions only); see evaluate.recalc_workbook for the options."""
    return _recalc_workbook(wb, catalog, **options)


def recalc_file(path, catalog, *, caps: Caps = CAPS, read_only: bool = False, time_limit: float | None = None,
                **options) -> tuple[object, Recalc]:
    """Load ``path`` (see bookio.load_book for its checks, caps and ``read_only``) and recalculate it.
    ``time_limit``: seconds for both, loading included; past it, a BookError naming the cell."""
    started = monotonic()
    with no_gc():
        wb = load_book(path, caps=caps, read_only=read_only, scan_cells=True)   # recalculated as loaded
        left = None if time_limit is None else max(0.0, time_limit - (monotonic() - started))
        try:
            return wb, recalc_workbook(wb, catalog, caps=caps, time_limit=left, **options)
        except TimeLimitExceeded as exc:
            over = TimeLimitExceeded(exc.cell, monotonic() - started, time_limit)    # loading counted too
            raise BookError(f"{path}: {over}") from None
