"""Excel's native functions, grouped by kind (one module each), in one table.

Every function takes ``(ev, args)``: the evaluator (``ev.epoch``, ``ev.scalar_number``,
``ev.unsupported``) and a list of ``(is_reference, value)`` pairs, a range as a grid.
"""
from __future__ import annotations

from typing import Any, Callable

from . import convert, database, date_time, distributions, dynamic, engineering, finance, info, logical, lookup, math, stats, text

NATIVE: dict[str, Callable[[Any, list], object]] = {}
for _module in (math, stats, logical, info, text, date_time, lookup, finance, engineering, database, dynamic,
                distributions, convert):
    NATIVE.update(_module.FUNCTIONS)

# functions whose arguments are ranges even when one cell (COUNTIF(A1:A1, ...))
RANGE_FUNCTIONS = frozenset({"COUNTIF", "SUMIF", "SUMPRODUCT", "INDEX", "MATCH", "VLOOKUP"})
# functions that take the reference itself, never its values (ROWS(A:A) is 1,048,576)
REFERENCE_FUNCTIONS = frozenset({"ROWS", "COLUMNS", "ROW", "COLUMN"})

__all__ = ["NATIVE", "RANGE_FUNCTIONS", "REFERENCE_FUNCTIONS"]
