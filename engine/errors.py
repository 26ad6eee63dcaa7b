"""The engine's one exception type, and the message templates it speaks.

Bad input raises :class:`WarrantError` (a ``ValueError``) whose text names the
field, the row (where there is one) and the value, e.g.
``"Events row 7: Ratio '0-for-1' must be positive"``. The add-in turns exactly
this exception into a ``#WARRANT: `` cell; anything else escaping is a bug.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction


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


# numbers (engine.numbers)
def not_a_number(field: str, value: object, table: str | None = None, row: int | None = None) -> WarrantError:
    return fail(field, value, "must be a number", table=table, row=row)


def float_inside(field: str, value: object, table: str | None = None, row: int | None = None) -> WarrantError:
    return fail(field, value, "is a float; convert it with Decimal(repr(x)) at the boundary", table=table, row=row)


def not_finite(field: str, value: object, table: str | None = None, row: int | None = None) -> WarrantError:
    return fail(field, value, "must be a finite number", table=table, row=row)


def too_many_digits(field: str, value: object, digits: int, table: str | None = None,
                    row: int | None = None) -> WarrantError:
    return fail(field, value, f"is out of range (more than {digits} digits)", table=table, row=row)


def unknown_rounding_mode(mode: object) -> WarrantError:
    return fail("Rounding mode", mode, "is not a known rounding mode")


# event rows (engine.events)
def ratio_not_written(text: object, table: str, row: int | None) -> WarrantError:
    return fail("Ratio", text, "must be written 'N-for-M', e.g. '3-for-1'", table=table, row=row)


def ratio_not_positive(text: object, table: str, row: int | None) -> WarrantError:
    return fail("Ratio", text, "must be positive", table=table, row=row)


def split_not_more(text: object, table: str, row: int | None) -> WarrantError:
    return fail("Ratio", text, "of a SPLIT must give more new shares than old (N > M)", table=table, row=row)


def combination_not_fewer(text: object, table: str, row: int | None) -> WarrantError:
    return fail("Ratio", text, "of a COMBINATION must give fewer new shares than old (N < M)", table=table, row=row)


def unknown_column(name: object, known: list[str], table: str, row: int | None) -> WarrantError:
    return WarrantError(f"{where(table, row)}unknown column {name!r}; known: {', '.join(known)}")


def unknown_event_kind(value: object, known: tuple[str, ...], table: str, row: int | None) -> WarrantError:
    return fail("Event", value, f"is not a known event kind; known: {', '.join(known)}", table=table, row=row)


def grant_ref_required(value: object, kind: str, table: str, row: int | None) -> WarrantError:
    return fail("Ref", value, f"is required for {kind}: AMEND, EXPIRE and ISSUE rows refer to it", table=table, row=row)


def amend_without_terms(value: object, table: str, row: int | None) -> WarrantError:
    return fail("Shares", value, "or Consideration or Additional Consideration must give the amended terms",
                table=table, row=row)


def merger_without_successor(value: object, table: str, row: int | None) -> WarrantError:
    return fail("Note", value, "must name the successor security of the MERGER", table=table, row=row)


def other_without_reason(value: object, table: str, row: int | None) -> WarrantError:
    return fail("Note", value, "must give the Board's reason for an OTHER adjustment (§4(g)(ii))", table=table, row=row)


def not_text(label: str, value: object, table: str, row: int | None) -> WarrantError:
    return fail(label, value, "must be text", table=table, row=row)


def not_a_date(label: str, value: object, table: str | None = None, row: int | None = None) -> WarrantError:
    return fail(label, value, "must be a date", table=table, row=row)


def required_for_event(label: str, value: object, table: str, row: int | None) -> WarrantError:
    return fail(label, value, "is required for this event", table=table, row=row)


def percentage_for_shares(label: str, value: object, table: str, row: int | None) -> WarrantError:
    return fail(label, value, "must be a number of shares, not a percentage", table=table, row=row)


def not_whole_shares(label: str, value: object, kind: str, number: object, table: str, row: int | None) -> WarrantError:
    """A percent, a fraction or a negative where whole shares are due, with what to enter instead
    (``number``: the value read, a Fraction, or the text typed)."""
    from .numbers import pct      # engine.numbers imports this module: imported when a refusal is made
    rule = "must be a whole number of shares"
    if isinstance(number, Fraction) and number < 0:
        rule += ", not negative"
    elif kind in ("STOCK_DIVIDEND", "RIGHTS_DIVIDEND"):
        share = number if isinstance(number, str) else (pct(number) if 0 < number < 1 else "")
        if share and kind == "STOCK_DIVIDEND":
            rule += f": for a {share} stock dividend enter {share} of the Common outstanding"
        elif share:
            rule += f": enter the maximum number of shares the rights acquire ({share} of the Common outstanding)"
        elif isinstance(number, str):
            rule += ", not a percentage"
    elif isinstance(number, str):
        rule += ", not a percentage"
    return fail(label, value, rule, table=table, row=row)


def negative(label: str, value: object, table: str | None = None, row: int | None = None) -> WarrantError:
    return fail(label, value, "must not be negative", table=table, row=row)


def not_positive(label: str, value: object, table: str | None = None, row: int | None = None) -> WarrantError:
    return fail(label, value, "must be positive", table=table, row=row)


def unknown_category(value: object, known: list[str], table: str, row: int | None) -> WarrantError:
    return fail("Category", value, f"must be blank or one of {', '.join(known)}", table=table, row=row)


def ref_names_no_grant(value: object, kind: str, table: str, row: int | None) -> WarrantError:
    return fail("Ref", value, f"must name the grant that the {kind} refers to", table=table, row=row)


# terms (engine.terms)
def not_one_of(label: str, value: object, known: tuple[str, ...]) -> WarrantError:
    return fail(label, value, f"must be one of {', '.join(known)}")


def not_exact(label: str, value: object, *, blank_allowed: bool = False) -> WarrantError:
    return fail(label, value, "must be an exact number (int or Fraction)" + (", or blank for none" if blank_allowed else ""))


def threshold_not_exact(label: str, value: object) -> WarrantError:
    return fail(label, value, "must be an exact number")


def negative_or_blank(label: str, value: object) -> WarrantError:
    return fail(label, value, "must not be negative (or blank for none)")


def end_before_start(end: object, start: object) -> WarrantError:
    return fail("Exercise End", end, f"must not be before Exercise Start ({start})")


def minimum_out_of_range(value: object) -> WarrantError:
    return fail("Minimum Adjustment", value, "must be at least 0 and below 1")


def cap_out_of_range(value: object) -> WarrantError:
    return fail("Management Cap", value, "must be between 0 and 1 (or blank for none)")


def increment_not_positive(value: object) -> WarrantError:
    return fail("Price Increment", value, "must be positive (or blank for exact)")


def count_not_whole(label: str, value: object) -> WarrantError:
    return fail(label, value, "must be a whole number of shares, not negative")


def diluted_below_outstanding(value: object, outstanding: object) -> WarrantError:
    return fail("Fully Diluted", value, f"must not be below Common Outstanding ({outstanding})")


def whole_or_blank(label: str, value: object) -> WarrantError:
    return fail(label, value, "must be a whole number, not negative (or blank for none)")


def unknown_time_zone(value: object) -> WarrantError:
    return fail("Time Zone", value, "is not a known IANA time zone")


def term_required(label: str, purpose: str) -> WarrantError:
    return WarrantError(f"Terms: {label} (blank) is required {purpose}")


def _show(value: object) -> str:
    if value is None:
        return "blank"
    if isinstance(value, str):
        return repr(value)
    if type(value) is Fraction and value.denominator != 1:
        return _as_typed(value)
    return str(value)


def _as_typed(value: Fraction) -> str:
    """A fraction as the decimal a user types (``161451.3``, not ``1614513/10``) when it has one
    of at most 28 places; else exactly as it is (``1/3``)."""
    for places in range(1, 29):
        digits, rest = divmod(value.numerator * 10**places, value.denominator)
        if not rest:
            return format(Decimal(digits).scaleb(-places), "f")
    return str(value)


def percent_dividend_shares(message: str, percent: str, outstanding: int, on: object, shares: object) -> str:
    """A percentage typed as a stock dividend's Shares, with the count it would mean (issue 18):
    ``"... enter 5% of the Common outstanding (5% of the 1,000,000 Common outstanding on 2002-06-03
    is 50,000 shares)"``."""
    return f"{message} ({percent} of the {outstanding:,} Common outstanding on {on} is {shares} shares)"
