"""Excel's native functions, grouped by kind (one module each), in one table.

Every function takes ``(ev, args)``: the evaluator (``ev.epoch``, ``ev.scalar_number``,
``ev.unsupported``) and a list of ``(is_reference, value)`` pairs, a range as a grid.

Each function declares its facts beside its code (:class:`.common.Facts`: which arguments are
ranges, references, numbers; which broadcast over arrays; where an error is data), with
``scalar_fn(fn, arity, kinds, **facts)`` or ``declare(fn, **facts)``. :data:`FACTS` is the
registry the evaluator reads. The two older sets below still declare too: a function listed in
RANGE_FUNCTIONS takes every argument as a range, one in REFERENCE_FUNCTIONS every argument as a
reference, unless it declares otherwise; both are re-derived from the registry at the end.
"""
from __future__ import annotations

from typing import Any, Callable

from . import date_time, finance, info, logical, lookup, math, stats, text
from .common import ALL, Facts, Positions, facts_of

NATIVE: dict[str, Callable[[Any, list], object]] = {}
for _module in (math, stats, logical, info, text, date_time, lookup, finance):
    NATIVE.update(_module.FUNCTIONS)

# functions whose arguments are ranges even when one cell (COUNTIF(A1:A1, ...))
RANGE_FUNCTIONS = frozenset({"COUNTIF", "SUMIF", "SUMPRODUCT", "INDEX", "MATCH", "VLOOKUP"})
# functions that take the reference itself, never its values (ROWS(A:A) is 1,048,576)
REFERENCE_FUNCTIONS = frozenset({"ROWS", "COLUMNS", "ROW", "COLUMN"})


def _facts(name: str, fn) -> Facts:
    facts = facts_of(fn)
    if facts.declared:
        return facts
    if name in REFERENCE_FUNCTIONS:
        return Facts(refs=Positions(ALL))
    if name in RANGE_FUNCTIONS:
        return Facts(ranges=Positions(ALL))
    return facts


# the registry: every native function's facts
FACTS: dict[str, Facts] = {name: _facts(name, fn) for name, fn in NATIVE.items()}

RANGE_FUNCTIONS = frozenset(n for n, f in FACTS.items() if f.ranges)            # noqa: F811 - derived
REFERENCE_FUNCTIONS = frozenset(n for n, f in FACTS.items() if f.refs)          # noqa: F811 - derived
VOLATILE = frozenset(n for n, f in FACTS.items() if f.volatile)

__all__ = ["NATIVE", "FACTS", "RANGE_FUNCTIONS", "REFERENCE_FUNCTIONS", "VOLATILE"]
