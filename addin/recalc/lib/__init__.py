"""Excel's native functions, grouped by kind (one module each), in one table.

Every function takes ``(ev, args)``: the evaluator (``ev.epoch``, ``ev.scalar_number``,
``ev.unsupported``) and a list of ``(is_reference, value)`` pairs, a range as a grid.

Each function declares its facts beside its code (:class:`.common.Facts`: which arguments are
ranges, references, numbers; which broadcast over arrays; where an error is data), with
``scalar_fn(fn, arity, kinds, **facts)`` or ``declare(fn, **facts)``. :data:`FACTS` is the
registry the evaluator reads; RANGE_FUNCTIONS, REFERENCE_FUNCTIONS and VOLATILE are derived
from it.
"""
from __future__ import annotations

from typing import Any, Callable

from . import convert, database, date_time, distributions, dynamic, engineering, finance, info, logical, lookup, math, stats, text
from . import reference, regexp, subtotal
from .common import Facts, facts_of

_MODULES = (math, stats, logical, info, text, date_time, lookup, finance, engineering, database, dynamic,
            distributions, convert, reference, regexp, subtotal)
NATIVE: dict[str, Callable[[Any, list], object]] = {}
for _module in _MODULES:
    NATIVE.update(_module.FUNCTIONS)


# the registry: every native function's facts
FACTS: dict[str, Facts] = {name: facts_of(fn) for name, fn in NATIVE.items()}

RANGE_FUNCTIONS = frozenset(n for n, f in FACTS.items() if f.ranges)
REFERENCE_FUNCTIONS = frozenset(n for n, f in FACTS.items() if f.refs)
VOLATILE = frozenset(n for n, f in FACTS.items() if f.volatile)

__all__ = ["NATIVE", "FACTS", "RANGE_FUNCTIONS", "REFERENCE_FUNCTIONS", "VOLATILE"]
