"""Date functions on serial numbers, with Excel's 1900 date system (and its fictitious
29 February 1900, serial 60) or the 1904 system. Each cites Excel's documented edge cases."""
from __future__ import annotations

import datetime as _dt

from openpyxl.utils.datetime import CALENDAR_MAC_1904

from ..values import NUM
from .common import scalar_fn

MAX_SERIAL = 2_958_465          # 9999-12-31, the last date Excel knows
_DAY0_1900 = _dt.date(1899, 12, 31)
_DAY0_1904 = _dt.date(1904, 1, 1)


def serial(ev, y: int, m: int, d: int = 1) -> int:
    """The serial number of a (normalised) date; 1900-03-01 and later count the fictitious 29 Feb."""
    day = _dt.date(y, m, d)
    if ev.epoch == CALENDAR_MAC_1904:
        return (day - _DAY0_1904).days
    n = (day - _DAY0_1900).days
    return n + 1 if day >= _dt.date(1900, 3, 1) else n


def ymd(ev, x: float) -> tuple[int, int, int] | None:
    """(year, month, day) of a serial number (its integer part), or None when out of Excel's range."""
    s = int(x // 1)
    if s < 0 or s > MAX_SERIAL:
        return None
    if ev.epoch == CALENDAR_MAC_1904:
        day = _DAY0_1904 + _dt.timedelta(days=s)
        return day.year, day.month, day.day
    if s == 0:
        return 1900, 1, 0            # Excel shows serial 0 as 1900-01-00
    if s == 60:
        return 1900, 2, 29           # the 1900 leap-year bug Excel keeps for Lotus 1-2-3
    day = _DAY0_1900 + _dt.timedelta(days=s - (1 if s > 60 else 0))
    return day.year, day.month, day.day


def _date(ev, y, m, d):
    """DATE(year, month, day): a year 0..1899 is added to 1900; a year < 0 or >= 10000 is #NUM!;
    months and days beyond their range roll over; a result before serial 0 is #NUM!."""
    y, m, d = int(y), int(m), int(d)
    if 0 <= y < 1900:
        y += 1900
    if not 0 <= y < 10000:
        return NUM
    y += (m - 1) // 12
    m = (m - 1) % 12 + 1
    if not 1 <= y <= 9999:
        return NUM
    n = serial(ev, y, m) + d - 1
    if n < 0 or n > MAX_SERIAL:
        return NUM
    return float(n)


def _part(i: int, name: str):
    def run(ev, x):
        """YEAR/MONTH/DAY of a serial number: a negative serial is #NUM!; serial 0 is 1900-01-00."""
        parts = ymd(ev, x)
        return NUM if parts is None else float(parts[i])
    run.__name__ = name
    return run


def _shift_months(ev, start, months, end_of_month: bool):
    parts = ymd(ev, start)
    if parts is None:
        return NUM
    y, m, d = parts
    total = y * 12 + (m - 1) + int(months)
    y, m = divmod(total, 12)
    m += 1
    if not 1900 <= y <= 9999:
        return NUM
    last = (_dt.date(y + (m == 12), m % 12 + 1, 1) - _dt.timedelta(days=1)).day
    n = serial(ev, y, m, last if end_of_month else min(d, last))
    return NUM if n < 0 or n > MAX_SERIAL else float(n)


def _edate(ev, start, months):
    """EDATE(start_date, months): the same day months later or earlier, clipped to the month's
    last day; months is truncated; a start or result outside Excel's dates is #NUM!."""
    if ymd(ev, start) == (1900, 1, 0) or ymd(ev, start) == (1900, 2, 29):
        return ev.unsupported("EDATE", "a start on Excel's fictitious dates 1900-01-00 or 1900-02-29")
    return _shift_months(ev, start, months, False)


def _eomonth(ev, start, months):
    """EOMONTH(start_date, months): the last day of the month months later or earlier."""
    if ymd(ev, start) == (1900, 1, 0) or ymd(ev, start) == (1900, 2, 29):
        return ev.unsupported("EOMONTH", "a start on Excel's fictitious dates 1900-01-00 or 1900-02-29")
    return _shift_months(ev, start, months, True)


def _days(ev, end, start):
    """DAYS(end_date, start_date) = end_date - start_date (dates as serial numbers, text as
    DATEVALUE); a date outside Excel's range is #NUM!."""
    if ymd(ev, end) is None or ymd(ev, start) is None:
        return NUM
    return float(int(end // 1) - int(start // 1))


FUNCTIONS = {
    "EDATE": scalar_fn(_edate, (2, 2), "N"),
    "EOMONTH": scalar_fn(_eomonth, (2, 2), "N"),
    "DAYS": scalar_fn(_days, (2, 2), "n"),
    "DATE": scalar_fn(_date, (3, 3), "n"),
    "YEAR": scalar_fn(_part(0, "YEAR"), (1, 1), "n"),
    "MONTH": scalar_fn(_part(1, "MONTH"), (1, 1), "n"),
    "DAY": scalar_fn(_part(2, "DAY"), (1, 1), "n"),
}
