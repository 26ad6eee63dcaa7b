"""The two macros: the §4(i) officer's certificate of adjustment and the Exhibit A purchase form.

Both are written against a small workbook interface (:class:`WorkbookAdapter`)
with two implementations, :class:`OpenpyxlBook` (headless: tests and the
``warrants certificate`` / ``warrants purchase-form`` commands) and
:class:`XlwingsBook` (Excel, from the buttons in :mod:`addin.xl`), so the same
code runs in both.

Nothing is lost: a macro only ever adds a new sheet with a new name
("Certificate", "Certificate (2)", ...) and writes only inside it.

The inputs are the workbook-scoped defined names ``Terms``, ``Events``,
``AsOf`` (certificate) and ``Terms``, ``Exercise``, ``Market``, ``Events``,
``Tests``, ``Facts`` (purchase form; only Terms and Exercise are required).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from datetime import date, datetime, time
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol, Sequence

import engine
from engine.errors import WarrantError
from engine.events import parse_events
from engine.ledger import adjust
from engine.numbers import to_plain_decimal

from . import convert as cv
from . import functions as F

CERTIFICATE_SHEET = "Certificate"
PURCHASE_FORM_SHEET = "Purchase Form"
MAX_SHEET_NAME = 31  # Excel's limit

# Exhibit A's addressee block, as D-1 prints it (the issuer's name comes from the terms).
EXHIBIT_A_ADDRESS = ("102 West 500 South", "Suite 320", "Salt Lake City, Utah  84101",
                     "Attention:  Senior Vice President", "Administration & Legal")
EXHIBIT_A_ELECTION = ("In accordance with the provisions set forth in the attached Performance Warrant, the "
                      "undersigned hereby irrevocably elects to purchase {shares} shares of the {security} covered "
                      "by such Performance Warrant and herewith makes payment therefor in full at the price per "
                      "share provided for in such Performance Warrant.")
EXHIBIT_A_QUESTIONS = ("The undersigned has had the opportunity to ask questions of and receive answers from the "
                       "officers of the Company regarding the affairs of the Company and related matters, and has "
                       "had the opportunity to obtain additional information necessary to verify the accuracy of "
                       "all information so obtained.")
EXHIBIT_A_INVESTMENT = ("The undersigned understands that the shares have not been registered under the Securities "
                        "Act of 1933, as amended, or the securities laws of any other jurisdiction, and hereby "
                        "represents to the Company that the undersigned is acquiring the shares for its own "
                        "account, for investment, and not with a view to, or for sale in connection with, the "
                        "distribution of any such shares.")
SECTION_4I = ("Section 4(i): whenever the Per Share Exercise Price is adjusted, an officer of the Company shall "
              "compute the adjusted Per Share Exercise Price in accordance with Section 4 and prepare a written "
              "certificate setting forth such adjusted Per Share Exercise Price and showing in detail the facts "
              "upon which such adjustment is based.")


# --------------------------------------------------------------------------- the workbook interface

class WorkbookAdapter(Protocol):
    """What a macro needs from a workbook. Rows and columns are 1-based."""

    date1904: bool

    def read_name(self, name: str) -> list[list[Any]] | None:
        """The values of a workbook-scoped defined name as rows, or None when the name is not defined."""

    def sheet_names(self) -> list[str]:
        """The names of the existing sheets."""

    def add_sheet(self, name: str) -> None:
        """Add a new, empty sheet at the end (``name`` is not in :meth:`sheet_names`)."""

    def write(self, sheet: str, row: int, col: int, rows: Sequence[Sequence[Any]]) -> None:
        """Write a block of values with its top-left cell at (row, col) of a sheet this macro added."""

    def set_widths(self, sheet: str, widths: dict[int, float]) -> None:
        """Column widths (characters) by 1-based column number; formatting only."""


def unique_sheet_name(book: WorkbookAdapter, base: str) -> str:
    """``base``, else ``base (2)``, ``base (3)``, ...: Excel compares sheet names case-insensitively."""
    taken = {n.lower() for n in book.sheet_names()}
    base = re.sub(r"[\[\]:*?/\\]", "-", base)[:MAX_SHEET_NAME]
    if base.lower() not in taken:
        return base
    n = 2
    while True:
        suffix = f" ({n})"
        name = base[:MAX_SHEET_NAME - len(suffix)] + suffix
        if name.lower() not in taken:
            return name
        n += 1


class OpenpyxlBook:
    """A :class:`WorkbookAdapter` over an ``openpyxl.Workbook``.

    ``values`` (optional) maps ``"Sheet!A1"`` to a computed value, for cells
    that hold formulas (openpyxl never calculates; the headless recalculation
    supplies the values). A formula cell without one is an error.
    """

    def __init__(self, workbook: Any, values: dict[str, Any] | None = None) -> None:
        self.wb = workbook
        self.values = values or {}
        try:
            from openpyxl.utils.datetime import CALENDAR_MAC_1904

            self.date1904 = workbook.epoch == CALENDAR_MAC_1904
        except (ImportError, AttributeError):  # pragma: no cover
            self.date1904 = False
        self._created: set[str] = set()

    def _defined(self, name: str) -> Any:
        names = self.wb.defined_names
        for key in list(names.keys()) if hasattr(names, "keys") else []:
            if key.lower() == name.lower():
                return names[key]
        return None

    def read_name(self, name: str) -> list[list[Any]] | None:
        dn = self._defined(name)
        if dn is None:
            return None
        destinations = list(dn.destinations)
        if len(destinations) != 1:
            raise WarrantError(f"{name}: the defined name must refer to one range on one sheet ({dn.attr_text})")
        sheet, coord = destinations[0]
        if sheet not in self.wb.sheetnames:
            raise WarrantError(f"{name}: refers to a missing sheet {sheet!r}")
        from openpyxl.utils.cell import range_boundaries

        ws = self.wb[sheet]
        min_col, min_row, max_col, max_row = range_boundaries(coord.replace("$", ""))
        if min_row is None or max_row is None or min_col is None or max_col is None:
            raise WarrantError(f"{name}: refers to whole rows or columns ({dn.attr_text}); name a block of cells")
        # Read without creating cells (ws.cell()/ws[...] would add empty ones to the user's sheet).
        cells = getattr(ws, "_cells", None)
        out = []
        for r in range(min_row, max_row + 1):
            row = []
            for c in range(min_col, max_col + 1):
                cell = cells.get((r, c)) if cells is not None else ws.cell(r, c)
                row.append(None if cell is None else self._value(sheet, cell))
            out.append(row)
        return out

    def _value(self, sheet: str, c: Any) -> Any:
        v = c.value
        if getattr(c, "data_type", None) == "f" or (isinstance(v, str) and v.startswith("=")):
            key = f"{sheet}!{c.coordinate}"
            if key in self.values:
                return self.values[key]
            raise WarrantError(f"{key} holds a formula with no computed value; recalculate the workbook first")
        return v

    def sheet_names(self) -> list[str]:
        return list(self.wb.sheetnames)

    def add_sheet(self, name: str) -> None:
        if name.lower() in {n.lower() for n in self.wb.sheetnames}:
            raise ValueError(f"sheet {name!r} exists")  # a bug: callers use unique_sheet_name
        self.wb.create_sheet(title=name)
        self._created.add(name)

    def write(self, sheet: str, row: int, col: int, rows: Sequence[Sequence[Any]]) -> None:
        if sheet not in self._created:
            raise ValueError(f"sheet {sheet!r} was not created by this macro")  # never overwrite a user's sheet
        ws = self.wb[sheet]
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                if v is None or v == "":
                    continue
                cell = ws.cell(row=row + i, column=col + j, value=v)
                if isinstance(v, datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm" if v.time() != time() else "yyyy-mm-dd"

    def set_widths(self, sheet: str, widths: dict[int, float]) -> None:
        from openpyxl.utils import get_column_letter

        ws = self.wb[sheet]
        for col, width in widths.items():
            ws.column_dimensions[get_column_letter(col)].width = width


class XlwingsBook:
    """A :class:`WorkbookAdapter` over an ``xlwings.Book`` (Excel on Windows or macOS)."""

    def __init__(self, book: Any) -> None:
        self.book = book
        try:
            self.date1904 = bool(book.api.Date1904)
        except Exception:  # noqa: BLE001 - no COM/AppleScript access: the 1900 system
            self.date1904 = False
        self._created: set[str] = set()

    def read_name(self, name: str) -> list[list[Any]] | None:
        for n in self.book.names:
            if n.name.lower() == name.lower():  # workbook-scoped ("Sheet!Name" is sheet-scoped)
                rng = n.refers_to_range
                values = rng.options(ndim=2, err_to_str=True).value
                return [list(r) for r in values]
        return None

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def add_sheet(self, name: str) -> None:
        self.book.sheets.add(name, after=self.book.sheets[len(self.book.sheets) - 1])
        self._created.add(name)

    def write(self, sheet: str, row: int, col: int, rows: Sequence[Sequence[Any]]) -> None:
        if sheet not in self._created:
            raise ValueError(f"sheet {sheet!r} was not created by this macro")
        ws = self.book.sheets[sheet]
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                if v is None or v == "":
                    continue
                cell = ws.range((row + i, col + j))
                cell.value = v
                if isinstance(v, datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm" if v.time() != time() else "yyyy-mm-dd"

    def set_widths(self, sheet: str, widths: dict[int, float]) -> None:
        ws = self.book.sheets[sheet]
        for col, width in widths.items():
            ws.range((1, col)).column_width = width


# --------------------------------------------------------------------------- fingerprint

def _canon(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Fraction):
        return str(value)  # "3/400", "161290": exact, no float
    if isinstance(value, Decimal):
        return str(Fraction(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return {f.name: _canon(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_canon(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _canon(v) for k, v in value.items()}
    return str(value)


def canonical_inputs(terms: Any, event_rows: Sequence[dict[str, Any]], as_of: Any) -> str:
    """The canonical JSON an auditor hashes: converted Terms, event rows (no row numbers, blanks dropped), as-of.

    Numbers are exact fractions as text ("1/100"), dates ISO, keys sorted.
    """
    events = [{k: _canon(v) for k, v in r.items() if k != "row" and v is not None} for r in event_rows]
    payload = {"terms": _canon(terms), "events": events, "as_of": _canon(as_of)}
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def fingerprint(terms: Any, event_rows: Sequence[dict[str, Any]], as_of: Any) -> str:
    """SHA-256 (hex) of :func:`canonical_inputs`."""
    return hashlib.sha256(canonical_inputs(terms, event_rows, as_of).encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- formatting

def exact_text(value: Fraction | int | Decimal | None, money: bool = False) -> str:
    """An exact value as a person reads it: "$0.0075", "$1,612.90", "161,290", "215,053 1/3 (≈ 215,053.333333333)"."""
    if value is None:
        return ""
    sign = "-" if value < 0 else ""
    if isinstance(value, Decimal):  # already rounded by the engine (cash to the cent): keep its places
        body = f"{abs(value):,f}"
    else:
        v = abs(Fraction(value))
        if (v * 10**15).denominator == 1:
            body = f"{to_plain_decimal(v, 15):,f}"
        else:
            whole = v.numerator // v.denominator
            rest = v - whole
            approx = to_plain_decimal(v, 9)
            body = (f"{whole:,} " if whole else "") + f"{rest.numerator}/{rest.denominator} (≈ {approx:,f})"
    return sign + ("$" if money else "") + body


def _require(book: WorkbookAdapter, name: str) -> list[list[Any]]:
    values = book.read_name(name)
    if values is None:
        raise WarrantError(f"The workbook has no defined name {name!r}")
    return values


def _optional(book: WorkbookAdapter, name: str) -> list[list[Any]] | None:
    return book.read_name(name)


def _write_lines(book: WorkbookAdapter, sheet: str, lines: list[list[Any]]) -> None:
    book.write(sheet, 1, 1, lines)


# --------------------------------------------------------------------------- §4(i) certificate

def adjustment_certificate(book: WorkbookAdapter, as_of: Any = None) -> str:
    """Write the §4(i) officer's certificate of adjustment on a new sheet; return its name.

    Reads ``Terms``, ``Events`` (blank or missing = no events) and ``AsOf``
    (``as_of`` overrides it: a date, datetime or ISO text).
    """
    d1904 = book.date1904
    terms = cv.parse_terms(_require(book, "Terms"), date1904=d1904)
    events_raw = _optional(book, "Events")
    rows = cv.event_rows(events_raw, date1904=d1904) if F.given(events_raw) else []
    events = parse_events(rows, table="Events")
    when = as_of if as_of is not None else _require(book, "AsOf")
    day = cv.parse_as_of(when, "As Of", date1904=d1904, moment=False)
    adjusted = adjust(terms, events, day)
    trail = F.trail_rows(adjusted)

    lines: list[list[Any]] = [
        ["OFFICER'S CERTIFICATE OF ADJUSTMENT"],
        [f"Performance Warrant No. {terms.warrant} for the purchase of shares of {terms.security} of {terms.issuer}"],
        [SECTION_4I],
        [],
        ["To the Registered Holder", terms.holder],
        ["As of", cv.out_date(day)],
        ["Adjusted Per Share Exercise Price", cv.out_number(adjusted.price, "Per Share Exercise Price"),
         exact_text(adjusted.price, money=True)],
        ["Warrant Shares", cv.out_shares(adjusted.shares, "Warrant Shares"), exact_text(adjusted.shares)],
        ["Security", adjusted.security],
        ["Per Share Exercise Price at issue", cv.out_number(terms.exercise_price, "Exercise Price"),
         exact_text(terms.exercise_price, money=True)],
        ["Warrant Shares at issue", cv.out_shares(terms.warrant_shares, "Warrant Shares"),
         exact_text(terms.warrant_shares)],
        [],
        ["The undersigned officer of the Company has computed the adjusted Per Share Exercise Price in accordance "
         "with Section 4 of the Performance Warrant and certifies that it is based on the following facts:"],
    ]
    if not adjusted.trail:
        lines.append([f"No capital event on or before {day.isoformat()} adjusts the Per Share Exercise Price or "
                      f"the Warrant Shares; they stand as issued."])
    for i, r in enumerate(adjusted.trail, start=1):
        flag = f" [{r.flag}]" if getattr(r, "flag", None) else ""
        lines.append([f"{i}. On {r.date.isoformat()}, {r.event} ({r.clause}, {r.status}): "
                      f"{cv.one_line(r.explanation)}{flag}"])
    lines += [[], ["Detail of each event (price and shares before and after)"]]
    lines += trail
    lines += [
        [],
        [terms.issuer],
        ["By: ______________________________"],
        ["Name:"],
        ["Title:"],
        ["Date:"],
        [],
        ["For the auditor"],
        ["Engine version", engine.__version__],
        ["Input fingerprint (SHA-256)", fingerprint(terms, rows, day)],
        ["Fingerprint method", "SHA-256 of addin.macros.canonical_inputs(Terms, Events, As Of): the converted "
                               "inputs as canonical JSON (exact fractions as text, ISO dates, sorted keys)"],
    ]
    name = unique_sheet_name(book, CERTIFICATE_SHEET)
    book.add_sheet(name)
    _write_lines(book, name, lines)
    book.set_widths(name, {1: 36, 2: 22, 3: 22, 4: 16, 5: 14, 6: 14, 7: 14, 8: 14, 9: 80})
    return name


# --------------------------------------------------------------------------- Exhibit A

def purchase_form(book: WorkbookAdapter) -> str:
    """Write Exhibit A (purchase form) filled in from the engine's settlement on a new sheet; return its name.

    Reads ``Terms`` and ``Exercise`` (required), ``Market``, ``Events``,
    ``Tests`` and ``Facts`` (optional; with ``Tests`` a warrant that is not
    exercisable on the Exercise Date is refused).
    """
    d1904 = book.date1904
    terms_raw = _require(book, "Terms")
    exercise_raw = _require(book, "Exercise")
    events_raw = _optional(book, "Events")
    terms, position, request, s, checked = F.exercise_settlement(
        terms_raw, events_raw if F.given(events_raw) else None, exercise_raw,
        _optional(book, "Market"), _optional(book, "Tests"), _optional(book, "Facts"), date1904=d1904)
    if not checked:
        raise WarrantError("Purchase form refused: the terms require a Performance Default (§1(a)) and the "
                           "workbook has no Tests range to show one occurred; add a range named Tests")
    rows = cv.event_rows(events_raw, date1904=d1904) if F.given(events_raw) else []

    lines: list[list[Any]] = [
        ["EXHIBIT A"],
        ["PURCHASE FORM"],
        [],
        ["To:", terms.issuer],
        *[["", line] for line in EXHIBIT_A_ADDRESS],
        [],
        ["Dated:", cv.out_date(request.exercise_date)],
        [],
        [EXHIBIT_A_ELECTION.format(shares=exact_text(s.shares_exercised), security=position.security)],
        [],
        [EXHIBIT_A_QUESTIONS],
        [],
        [EXHIBIT_A_INVESTMENT],
        [],
        ["Signature", "______________________________", terms.holder],
        ["Address", "______________________________"],
        [],
        [f"Computation under Performance Warrant No. {terms.warrant} (engine {engine.__version__})"],
        ["Registered Holder", terms.holder],
        ["Shares purchased", cv.out_shares(s.shares_exercised, "Shares"), exact_text(s.shares_exercised)],
        ["Per Share Exercise Price", cv.out_number(position.price, "Per Share Exercise Price"),
         exact_text(position.price, money=True)],
        ["Aggregate Price", cv.out_number(s.aggregate_price, "Aggregate Price"),
         exact_text(s.aggregate_price, money=True)],
        ["Method of payment", s.method],
        ["Cash due", cv.out_number(s.cash_due, "Cash Due"), exact_text(s.cash_due, money=True)],
        ["Shares of Common Stock to surrender (§3)", s.shares_to_surrender],
        ["Full shares to be issued (§1(c)(i))", s.full_shares],
        ["Fractional share paid in cash (§5)", cv.out_shares(s.fractional_share, "Fractional Share"),
         exact_text(s.fractional_share)],
        ["Cash in lieu of the fraction (§5)", cv.out_number(s.fraction_cash, "Fraction Cash"),
         exact_text(s.fraction_cash, money=True)],
        ["Fraction price source", s.fraction_price_source or ""],
        ["Deemed effected (§1(b))", cv.out_datetime(s.effective_at), terms.time_zone],
        ["Certificates due by (§1(c))", cv.out_date(s.certificates_due)],
        ["New warrant (§1(c)(ii))", s.new_warrant or "None: exercised in whole"],
    ]
    if s.quote_warning:
        lines.append(["Quote warning", s.quote_warning])
    if s.outside_terms:
        lines.append(["Outside D-1's own terms", "; ".join(s.notes)])
    lines.append(["Input fingerprint (SHA-256)", fingerprint(terms, rows, request)])
    name = unique_sheet_name(book, PURCHASE_FORM_SHEET)
    book.add_sheet(name)
    _write_lines(book, name, lines)
    book.set_widths(name, {1: 40, 2: 40, 3: 30})
    return name
