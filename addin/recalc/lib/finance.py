"""Financial functions. Each cites the edge cases of Excel's documentation it follows."""
from __future__ import annotations

import datetime as _dt

from ..values import DIV0, NUM, VALUE, XLError, is_grid, to_number
from .common import REST, declare, scalar_fn


def _sln(ev, cost, salvage, life):
    """SLN(cost, salvage, life) = (cost - salvage) / life; life 0 is #DIV/0!."""
    return DIV0 if life == 0 else (cost - salvage) / life


def _pmt(ev, rate, nper, pv, fv=0.0, kind=0.0):
    """PMT(rate, nper, pv, [fv], [type]): the payment of an annuity; type non-zero means payments
    at the start of each period; nper 0 is #NUM!."""
    if nper == 0:
        return NUM
    if rate == 0:
        return -(pv + fv) / nper
    growth = (1 + rate) ** nper
    return -(rate * (fv + pv * growth)) / ((1 + rate * (1 if kind else 0)) * (growth - 1))


def _npv(ev, args):
    """NPV(rate, value1, ...): sum of value_i / (1 + rate)^i. In a reference or array only numbers
    count (empty cells, logical values, text and errors are ignored); an argument typed directly
    counts when it is a number, a logical value or text that reads as a number."""
    if len(args) < 2:
        return VALUE
    rate = ev.scalar_number(args[0][1])
    if isinstance(rate, XLError):
        return rate
    if rate == -1:
        return DIV0
    values = []
    for is_ref, v in args[1:]:
        if is_grid(v) or is_ref:
            for row in (v if is_grid(v) else [[v]]):
                values.extend(float(to_number(x, ev.epoch)) for x in row
                              if isinstance(x, (int, float, _dt.date)) and not isinstance(x, bool))
        elif v is not None:
            n = to_number(v, ev.epoch)
            if not isinstance(n, XLError):
                values.append(n)
    return sum(x / (1 + rate) ** (i + 1) for i, x in enumerate(values))


FUNCTIONS = {
    "SLN": scalar_fn(_sln, (3, 3), "n"),
    "PMT": scalar_fn(_pmt, (3, 5), "n"),
    "NPV": declare(_npv, ranges=REST, broadcast=0, clip_safe=True),     # blanks are skipped
}
