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

from dataclasses import replace
from typing import Any, Callable

from . import convert, database, date_time, distributions, dynamic, engineering, finance, info, logical, lookup, math, stats, text
from . import reference, regexp, subtotal
from .common import ALL, Facts, Positions, facts_of

_MODULES = (math, stats, logical, info, text, date_time, lookup, finance, engineering, database, dynamic,
            distributions, convert, reference, regexp, subtotal)
NATIVE: dict[str, Callable[[Any, list], object]] = {}
for _module in _MODULES:
    NATIVE.update(_module.FUNCTIONS)


def _positions(spec):
    """An ARRAY_PARAMS / ARRAY_MODE entry (None: every argument; else a set of indexes) as positions."""
    return ALL if spec is None else tuple(sorted(spec))


def _module_facts(module) -> dict[str, Facts]:
    """Facts a module states in its tables rather than beside each function: ``ARRAY_PARAMS`` (the
    arguments a plain formula passes whole, never intersected) and ``ARRAY_MODE`` (evaluated as
    arrays) both become ``array_mode`` (a multi-cell range arrives as a grid, one cell as its
    value); ``CLIP_SAFE`` names functions that accept a range clipped to the used area. A
    function that declares its own facts keeps them."""
    out = {}
    tables = getattr(module, "ARRAY_PARAMS", {}), getattr(module, "ARRAY_MODE", {})
    for name in set(tables[0]) | set(tables[1]) | set(getattr(module, "CLIP_SAFE", ())):
        fn = module.FUNCTIONS.get(name)
        if fn is None or facts_of(fn).declared:
            continue
        specs = [t[name] for t in tables if name in t]
        whole = ALL if any(spec is None for spec in specs) else tuple(sorted(set().union(*specs))) if specs else None
        base = facts_of(fn)
        out[name] = replace(base, declared=True, array_mode=Positions(whole) if whole is not None else base.array_mode,
                            clip_safe=base.clip_safe or name in getattr(module, "CLIP_SAFE", ()))
    return out


_TABLED: dict[str, Facts] = {}
for _module in _MODULES:
    _TABLED.update(_module_facts(_module))

# functions whose arguments are ranges even when one cell (COUNTIF(A1:A1, ...))
RANGE_FUNCTIONS = frozenset({"COUNTIF", "SUMIF", "SUMPRODUCT", "INDEX", "MATCH", "VLOOKUP"})
# functions that take the reference itself, never its values (ROWS(A:A) is 1,048,576)
REFERENCE_FUNCTIONS = frozenset({"ROWS", "COLUMNS", "ROW", "COLUMN"})


def _facts(name: str, fn) -> Facts:
    facts = facts_of(fn)
    if facts.declared:
        return facts
    if name in _TABLED:
        return _TABLED[name]
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
