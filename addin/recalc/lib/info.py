"""Information functions (IS..., N, NA). Each cites Excel's documented edge cases."""
from __future__ import annotations

import datetime as _dt

from ..values import NA, VALUE, XLError, grid_map, is_grid, to_number
from .common import ALL, declare
from .elementwise import elementwise, refuse_intersected, to_number_strict


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


def _parity(odd: bool):
    def one(ev, v):
        """ISODD / ISEVEN(number): of the number truncated; text that reads as a number counts,
        an empty cell is 0 (even); a logical value or other text is #VALUE! (the Excel-saved
        calc_tests__INFORMATION__ISREF_ISFORMULA_ISODD_ISEVEN.xlsx, ISODD_ISEVEN!B15, B23)."""
        if isinstance(v, bool):
            return VALUE
        n = to_number_strict(v, ev.epoch)
        if isinstance(n, XLError):
            return n
        return (int(n) % 2 == 1) == odd
    return one


# ERROR.TYPE's numbers (Microsoft, "ERROR.TYPE function", and Excel's newer errors)
ERROR_NUMBERS = {"#NULL!": 1, "#DIV/0!": 2, "#VALUE!": 3, "#REF!": 4, "#NAME?": 5, "#NUM!": 6, "#N/A": 7,
                  "#GETTING_DATA": 8, "#SPILL!": 9, "#CONNECT!": 10, "#BLOCKED!": 11, "#UNKNOWN!": 12,
                  "#FIELD!": 13, "#CALC!": 14}


def _error_type(ev, v):
    """ERROR.TYPE(error_val): 1 #NULL!, 2 #DIV/0!, 3 #VALUE!, 4 #REF!, 5 #NAME?, 6 #NUM!, 7 #N/A,
    8 #GETTING_DATA, 9 #SPILL!, 14 #CALC!; anything that is not an error is #N/A."""
    if isinstance(v, XLError):
        n = ERROR_NUMBERS.get(str(v))
        return float(n) if n is not None else ev.unsupported("ERROR.TYPE", f"the error {v}")
    return NA


def _type(ev, args):
    """TYPE(value): 1 number (an empty cell too), 2 text, 4 logical value, 16 error, 64 array
    (Microsoft, "TYPE function")."""
    if len(args) != 1:
        return VALUE
    refused = refuse_intersected(ev, "TYPE", args)
    if refused:
        return refused
    v = args[0][1]
    if is_grid(v):
        if len(v) == 1 and len(v[0]) == 1:
            v = v[0][0]
        else:
            return 64.0
    if isinstance(v, XLError):
        return 16.0
    if isinstance(v, bool):
        return 4.0
    if isinstance(v, str):
        return 2.0
    return 1.0


FUNCTIONS = {
    "ISODD": elementwise(_parity(True), (1, 1), "a"),
    "ISEVEN": elementwise(_parity(False), (1, 1), "a"),
    "ISNONTEXT": _is(lambda v: not (isinstance(v, str) and not isinstance(v, XLError))),
    "ERROR.TYPE": elementwise(_error_type, (1, 1), "a"),
    "TYPE": declare(_type, array_mode=ALL),     # ISREF is the evaluator's (it sees the reference itself)
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
