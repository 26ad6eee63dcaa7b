"""The engine's one exception type, and the message templates it speaks.

Bad input raises :class:`WarrantError` (a ``ValueError``) whose text names the
field, the row (where there is one) and the value, e.g.
``"Events row 7: Ratio '0-for-1' must be positive"``. The add-in turns exactly
this exception into a ``#WARRANT: `` cell; anything else escaping is a bug.
"""
from __future__ import annotations

from datetime import date


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


# --------------------------------------------------------------------------- refusals, one function each
# The engine's modules raise these; none builds a message of its own. Each returns the exception
# (the caller raises it), so a message is made only when a refusal happens.

def _events(field: str, value: object, rule: str, row: int | None) -> WarrantError:
    return fail(field, value, rule, table="Events", row=row)


# the As Of date
def as_of_not_a_date(value: object) -> WarrantError:
    return fail("As Of", value, "must be a date")


def as_of_before_issue(day: date, issue_date: date) -> WarrantError:
    return fail("As Of", day, f"is before the Issue Date ({issue_date.isoformat()})")


# the ledger's counts and refs (§4)
def ref_used(ref: str, row: int | None) -> WarrantError:
    return _events("Ref", ref, "is already used by an earlier grant or rights dividend", row)


def outstanding_not_positive(before: object, row: int | None) -> WarrantError:
    return _events("Outstanding", before, "must be positive for a §4(c) stock dividend", row)


def treasury_exceeds(shares: object, outstanding: str, row: int | None) -> WarrantError:
    return _events("Shares", shares, f"exceeds the {outstanding} shares outstanding", row)


def rights_exceeded(shares: object, left: str, ref: str, row: int | None) -> WarrantError:
    return _events("Shares", shares, f"exceeds the {left} shares left to issue under the rights {ref}", row)


def no_grant(ref: str, kind: str | None, row: int | None) -> WarrantError:
    """A Ref naming no earlier grant: for an ISSUE (``kind`` None) or for an AMEND or EXPIRE."""
    return _events("Ref", ref, "names no earlier OPTIONS or CONVERTIBLE grant" + (f" to {kind}" if kind else ""), row)


def amend_names_rights(ref: str, row: int | None) -> WarrantError:
    return _events("Ref", ref, "names rights (RIGHTS_DIVIDEND), which AMEND cannot change: enter their exercise as "
                   "an ISSUE with this Ref, their lapse as an EXPIRE", row)


def management_cap_needed(row: int | None) -> WarrantError:
    return WarrantError(f"{where('Events', row)}Category MANAGEMENT needs the terms' Management Cap (§4(a)(i)(A)): "
                        f"enter the cap (D-1: 10%), 100% to exclude every management grant, or clear the Category")


def unknown_count(what: str, purpose: str, row: int | None) -> WarrantError:
    label = "Outstanding" if what == "outstanding" else "Fully Diluted"
    return WarrantError(f"{where('Events', row)}{label} (blank) must be known for {purpose}: state Outstanding on the row "
                        f"or give Common Outstanding and Fully Diluted in the terms")


def expired(ref: str, day: date, row: int | None) -> WarrantError:
    return _events("Ref", ref, f"expired on {day.isoformat()}", row)


def zero_price(row: int | None) -> WarrantError:
    return _events("Share Adjustment", "KEEP_AGGREGATE", "cannot keep the aggregate price at a price of 0", row)


def exercise_exceeds(shares: object, remaining: str, row: int | None) -> WarrantError:
    return _events("Shares", shares, f"exceeds the {remaining} Warrant Shares remaining", row)


def amend_below_issued(shares: object, issued_so_far: str, ref: str, row: int | None) -> WarrantError:
    return _events("Shares", shares, f"is below the {issued_so_far} shares already issued under {ref}", row)


def unsupported(e: object) -> WarrantError:
    """An object in the ledger that is none of the event kinds (only an API caller can pass one)."""
    return WarrantError(f"{where('Events', getattr(e, 'row', None))}unsupported event {e!r}")


def _show(value: object) -> str:
    if value is None:
        return "blank"
    if isinstance(value, str):
        return repr(value)
    return str(value)
