"""Counting and aggregation functions. Each cites the edge cases of Excel's documentation."""
from __future__ import annotations

import datetime as _dt
import math

from ..values import DIV0, VALUE, XLError, flatten, is_grid, shape_of, to_number
from .common import ALL, agg, criteria, declare


def _countif(ev, args):
    if len(args) != 2 or not is_grid(args[0][1]):
        return VALUE
    test = criteria(args[1][1], ev.epoch)
    g = args[0][1]
    n = sum(1 for x in flatten([g]) if test(x))
    rows, cols = shape_of(g)
    beyond = rows * cols - sum(len(row) for row in g)     # the empty cells beyond the used area
    return float(n + (beyond if beyond and test(None) else 0))


def _sumif(ev, args):
    if len(args) not in (2, 3) or not is_grid(args[0][1]):
        return VALUE
    test = criteria(args[1][1], ev.epoch)
    rng = args[0][1]
    total_rng = args[2][1] if len(args) == 3 else rng
    if not is_grid(total_rng) or len(total_rng) != len(rng) or len(total_rng[0]) != len(rng[0]):
        # Excel resizes a sum_range of another shape from its top-left cell over the sheet
        return ev.unsupported("SUMIF", "sum_range of a different shape from range")
    total = 0.0
    for r, row in enumerate(rng):
        for c, x in enumerate(row):
            if test(x):
                try:
                    v = total_rng[r][c]
                except (IndexError, TypeError):
                    continue
                if isinstance(v, XLError):
                    return v
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    total += v
    return total




def _count(ev, args):
    """COUNT: in a reference or array only numbers (and dates) count, not logical values, text
    or errors; a value typed as an argument counts when it is a number, a date, a logical value
    or text that reads as a number ("Arguments that are error values or text that cannot be
    translated into numbers are ignored")."""
    n = 0
    for is_ref, v in args:
        if is_grid(v) or is_ref:
            vals = flatten([v]) if is_grid(v) else [v]
            n += sum(1 for x in vals if isinstance(x, (int, float, _dt.date, _dt.time)) and not isinstance(x, bool))
        elif v is not None and not isinstance(v, XLError) and not isinstance(to_number(v, ev.epoch), XLError):
            n += 1
    return float(n)


def _counta(ev, args):
    n = 0
    for a in args:
        vals = flatten([a[1]]) if is_grid(a[1]) else [a[1]]
        n += sum(1 for x in vals if x is not None)
    return float(n)


def _sumproduct(ev, args):
    grids = [a[1] if is_grid(a[1]) else [[a[1]]] for a in args]
    if not grids:
        return VALUE
    shape = (len(grids[0]), len(grids[0][0]))
    if any((len(g), len(g[0])) != shape for g in grids):
        return VALUE
    total = 0.0
    for r in range(shape[0]):
        for c in range(shape[1]):
            prod = 1.0
            for g in grids:
                x = g[r][c]
                if isinstance(x, XLError):
                    return x
                prod *= float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else 0.0
            total += prod
    return total




FUNCTIONS = {
    "SUM": declare(agg(lambda xs: float(math.fsum(xs))), ranges=ALL, clip_safe=True),
    "AVERAGE": declare(agg(lambda xs: math.fsum(xs) / len(xs) if xs else DIV0), ranges=ALL, clip_safe=True),   # no numbers: #DIV/0!
    "MIN": declare(agg(min, empty=0.0), ranges=ALL, clip_safe=True),          # no numbers: 0
    "MAX": declare(agg(max, empty=0.0), ranges=ALL, clip_safe=True),
    "COUNT": declare(_count, ranges=ALL, clip_safe=True),
    "COUNTA": declare(_counta, ranges=ALL, clip_safe=True),
    "COUNTIF": declare(_countif, ranges=0, broadcast=1, errors=1, clip_safe=True),   # a criterion array: one count each
    "SUMIF": declare(_sumif, ranges=(0, 2), broadcast=1, errors=1, clip_safe=True),
    "SUMPRODUCT": declare(_sumproduct, ranges=ALL, array_mode=ALL, clip_safe=True),
}
