"""§5's "trading day": the New York Stock Exchange calendar, from the ``holidays`` package.

Imported lazily (only an exercise that prices a fractional share from a quote
needs it). If the calendar cannot be had, the answer is refused: a Monday-Friday
guess would silently pick the wrong "trading day immediately prior" after a
holiday (Monday 2004-04-12 follows Good Friday 2004-04-09).
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache

from .errors import WarrantError

NYSE = "NYSE (holidays package)"


@lru_cache(maxsize=1)
def _nyse():
    try:
        import holidays
    except ImportError as exc:
        raise WarrantError(f"§5 trading day: the NYSE calendar (Python package 'holidays') cannot be "
                           f"imported ({exc}); install it, or pass is_trading_day") from None
    return holidays.financial_holidays("NYSE")


def nyse_trading_day(day: date) -> bool:
    """A weekday on which the New York Stock Exchange is open."""
    if day.weekday() >= 5:
        return False
    calendar = _nyse()
    try:
        return day not in calendar
    except (ValueError, OverflowError, KeyError, NotImplementedError):
        raise WarrantError(f"§5 trading day: the NYSE calendar has no data for {day.isoformat()}") from None
