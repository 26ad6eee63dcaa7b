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

from .bookio import CAPS, BookError, Caps, load_book
from .evaluate import Recalc, RecordedException, no_gc, recalc_workbook as _recalc_workbook
from .lib import FACTS, NATIVE
from .parse import parse_area, parse_formula, split_sheet
from .values import XLError, cell_key, is_error, json_value

__all__ = ["XLError", "Recalc", "RecordedException", "recalc_workbook", "recalc_file", "cell_key", "is_error",
           "json_value", "write_values", "parse_formula", "parse_area", "split_sheet", "NATIVE", "FACTS", "Caps", "BookError",
           "load_book"]


def write_values(wb, result) -> None:
    """Replace every formula of ``wb`` (an openpyxl book) by its value in ``result``: see
    values_copy.write_values. Imported when a values copy is written, so that recalculating
    alone loads no part of openpyxl."""
    from .values_copy import write_values as write  # noqa: PLC0415
    write(wb, result)


def recalc_workbook(wb, catalog, **options) -> Recalc:
    """Recalculate ``wb`` with ``catalog`` (the add-in's: :mod:`addin.excel.catalog`; ``None``: native
    functions only); see evaluate.recalc_workbook for the options."""
    return _recalc_workbook(wb, catalog, **options)


def recalc_file(path, catalog, *, caps: Caps = CAPS, read_only: bool = False,
                **options) -> tuple[object, Recalc]:
    """Load ``path`` (see bookio.load_book for its checks, caps and ``read_only``) and recalculate it."""
    with no_gc():
        wb = load_book(path, caps=caps, read_only=read_only, scan_cells=True)   # recalculated as loaded
        return wb, recalc_workbook(wb, catalog, caps=caps, **options)
