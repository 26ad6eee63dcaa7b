"""Information functions (IS..., N, NA). Each cites Excel's documented edge cases."""
from __future__ import annotations

import datetime as _dt

from ..values import NA, VALUE, XLError, grid_map, to_number
from .common import declare


def _is(pred):
    def run(ev, args):
        if len(args) != 1:
            return VALUE
        return grid_map(pred, args[0][1])
    return declare(run, broadcast=0, errors=0)


def _n(ev, args):
    """N: a number is itself, a date its serial, TRUE 1, an error value the error value,
    anything else (text, FALSE, blank) 0."""
    if len(args) != 1:
        return VALUE

    def one(v):
        if isinstance(v, XLError):
            return v
        if isinstance(v, (int, float, _dt.date, _dt.time)):
            return to_number(v, ev.epoch)
        return 0.0
    return grid_map(one, args[0][1])


FUNCTIONS = {
    "ISERROR": _is(lambda v: isinstance(v, XLError)),
    "ISERR": _is(lambda v: isinstance(v, XLError) and str(v) != "#N/A"),
    "ISNA": _is(lambda v: isinstance(v, XLError) and str(v) == "#N/A"),
    "ISNUMBER": _is(lambda v: isinstance(v, (int, float, _dt.date, _dt.time)) and not isinstance(v, bool)),
    "ISTEXT": _is(lambda v: isinstance(v, str) and not isinstance(v, XLError)),
    "ISBLANK": _is(lambda v: v is None),
    "ISLOGICAL": _is(lambda v: isinstance(v, bool)),
    "N": declare(_n, broadcast=0, errors=0),
    "NA": lambda ev, args: NA if not args else VALUE,
}
