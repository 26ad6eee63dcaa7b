"""The values copy (``warrants recalc BOOK -o OUT``): every formula replaced by its value, spills
filled, in a book loaded with openpyxl and saved by the caller.

A value is written as Excel shows it, and as LibreOffice shows it too:

* an error as an error cell (``#NUM!``), and an infinite or NaN number as ``#NUM!`` (what
  ``--json`` reports and what Excel gives; openpyxl would write an empty ``<v/>``);
* a boolean as a boolean cell; a number format other than General is dropped from it (Excel
  ignores it for a boolean, LibreOffice would show 1 or 0 through it);
* a date or time in a cell not already formatted as one gets a date format without a
  "0:00:00" tail when it has no time of day (openpyxl's default for a ``datetime`` is
  ``yyyy-mm-dd h:mm:ss``);
* a text longer than its column is wide, or holding a line break, wraps in its cell (instead
  of being clipped by the next cell).

A hidden cell of a merged area keeps what openpyxl kept (nothing: its ``MergedCell`` cannot
hold a value), since the area shows its top-left cell only.
"""
from __future__ import annotations

import datetime as _dt
import math
from copy import copy

from openpyxl.utils.cell import get_column_letter

from addin.recalc.xlsxscan import is_date_format

from .values import XLError

__all__ = ["write_values"]

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
TIME_FORMAT = "hh:mm:ss"
DURATION_FORMAT = "[h]:mm:ss"
DEFAULT_WIDTH = 8.43           # Excel's default column width, in characters


def _date_format(v) -> str | None:
    """The number format a date or time value needs, or None for any other value."""
    if isinstance(v, _dt.datetime):
        return DATE_FORMAT if v.time() == _dt.time(0) else DATETIME_FORMAT
    if isinstance(v, _dt.date):
        return DATE_FORMAT
    if isinstance(v, _dt.time):
        return TIME_FORMAT
    if isinstance(v, _dt.timedelta):
        return DURATION_FORMAT
    return None


def _width(ws, column: int, widths: dict) -> float:
    w = widths.get((ws.title, column))
    if w is None:
        dim = ws.column_dimensions.get(get_column_letter(column))
        w = widths[(ws.title, column)] = (dim.width if dim is not None and dim.width else DEFAULT_WIDTH)
    return w


def write_values(wb, result) -> None:
    """Replace every formula of ``wb`` (an openpyxl book) by its value in ``result`` (a Recalc)
    and fill the spilled cells, each written as the module's docstring says."""
    from openpyxl.cell.cell import MergedCell  # noqa: PLC0415 - openpyxl's body loads when a copy is written
    widths: dict = {}
    sheets = {}
    for (sheet, r, c) in result.cells():
        ws = sheets.get(sheet)
        if ws is None:
            ws = sheets[sheet] = wb[sheet]
        cell = ws.cell(row=r, column=c)
        if isinstance(cell, MergedCell):
            continue
        v = result.values.get((sheet, r, c))
        if isinstance(v, float) and not math.isfinite(v):
            v = XLError("#NUM!")
        if isinstance(v, XLError):
            cell.value = str(v)
            cell.data_type = "e"
            continue
        before = cell.number_format          # openpyxl changes it when it binds a date
        cell.value = v
        if v is None or isinstance(v, (int, float)) and not isinstance(v, bool):
            continue
        if isinstance(v, bool):
            if cell.number_format != "General":
                cell.number_format = "General"
        elif isinstance(v, str):
            if "\n" in v or len(v) > _width(ws, c, widths):
                if not cell.alignment.wrap_text:
                    alignment = copy(cell.alignment)
                    alignment.wrap_text = True
                    cell.alignment = alignment
        else:
            fmt = _date_format(v)
            if fmt is not None and not is_date_format(before):
                cell.number_format = fmt
