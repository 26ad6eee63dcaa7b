"""The engine's one exception type, and the message templates it speaks.

Bad input raises :class:`WarrantError` (a ``ValueError``) whose text names the
field, the row (where there is one) and the value, e.g.
``"Events row 7: Ratio '0-for-1' must be positive"``. The add-in turns exactly
this exception into a ``#WARRANT: `` cell; anything else escaping is a bug.
"""
from __future__ import annotations


class WarrantError(ValueError):
    """Bad input or a request the contract refuses; the message is for a person."""


def where(table: str | None, row: int | None) -> str:
    """Prefix naming the table and row, e.g. ``"Events row 7: "`` (empty when unknown)."""
    if table and row is not None:
        return f"{table} row {row}: "
    if table:
        return f"{table}: "
    return ""


def fail(field: str, value: object, rule: str, *, table: str | None = None, row: int | None = None) -> WarrantError:
    """Build the standard message ``"<table> row <n>: <field> (<value>) <rule>"``."""
    return WarrantError(f"{where(table, row)}{field} ({_show(value)}) {rule}")


def _show(value: object) -> str:
    if value is None:
        return "blank"
    if isinstance(value, str):
        return repr(value)
    return str(value)


def percent_dividend_shares(message: str, percent: str, outstanding: int, on: object, shares: object) -> str:
    """A percentage typed as a stock dividend's Shares, with the count it would mean (issue 18):
    ``"... enter 5% of the Common outstanding (5% of the 1,000,000 Common outstanding on 2002-06-03
    is 50,000 shares)"``."""
    return f"{message} ({percent} of the {outstanding:,} Common outstanding on {on} is {shares} shares)"
