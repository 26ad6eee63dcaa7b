"""The two macros: the §4(i) officer's certificate of adjustment and the Exhibit A purchase form.

Both are written against a small workbook interface (:class:`WorkbookAdapter`)
with two implementations, :class:`OpenpyxlBook` (headless: tests and the
``warrants certificate`` / ``warrants purchase-form`` commands) and
:class:`XlwingsBook` (Excel, from the buttons in :mod:`addin.excel.xl`), so the same
code runs in both.

Each macro builds a :class:`addin.documents.documents.Document` and writes it on a new
sheet (formats, widths, wrapping, a print area one page wide); the
``warrants`` command also writes it as a PDF (:func:`write_pdf`).

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
import os
from datetime import date, datetime, time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol, Sequence

import engine
from engine import adjust
from engine import parse_events as engine_parse_events
from engine.errors import WarrantError
from engine.settlement import NET_NOTE

from addin.excel import convert as cv
from . import documents as D
from addin.excel.clauses import D1_ONLY_TERMS, ClauseNames, is_d1
from addin.excel import functions as F

CERTIFICATE_SHEET = "Certificate"
PURCHASE_FORM_SHEET = "Purchase Form"
MAX_SHEET_NAME = 31  # Excel's limit


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

    def write_layout(self, sheet: str, cells: Sequence[D.SheetCell], widths: dict[int, float],
                     last_row: int) -> None:
        """Write a laid-out document (values, number formats, bold, wrapping, merges, row heights,
        column widths) and set the print area to fit one page wide."""


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


    def write_layout(self, sheet: str, cells: Sequence[D.SheetCell], widths: dict[int, float],
                     last_row: int) -> None:
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter

        if sheet not in self._created:
            raise ValueError(f"sheet {sheet!r} was not created by this macro")
        ws = self.wb[sheet]
        for c in cells:
            cell = ws.cell(row=c.row, column=c.col, value=c.value)
            if c.number_format:
                cell.number_format = c.number_format
            elif isinstance(c.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm" if c.value.time() != time() else "yyyy-mm-dd"
            if c.bold or c.size:
                cell.font = Font(bold=c.bold, size=c.size or 11)
            cell.alignment = Alignment(wrap_text=c.wrap, vertical="top", horizontal="left")
            if c.merge_to and c.merge_to > c.col:
                ws.merge_cells(start_row=c.row, start_column=c.col, end_row=c.row, end_column=c.merge_to)
            if c.height:
                ws.row_dimensions[c.row].height = c.height
        self.set_widths(sheet, widths)
        last_col = get_column_letter(max(widths))
        ws.print_area = f"A1:{last_col}{max(last_row, 1)}"
        ws.page_setup.orientation = "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0          # as many pages tall as it takes
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.gridLines = False


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


    def pdf_path(self, base: str) -> Path | None:
        """Where the classic macros save the PDF copy: beside the saved workbook, never over a file
        ("Book.certificate.pdf", "Book.certificate (2).pdf", ...); None for an unsaved book or
        xlwings Lite (no file system: there the sheet is the document)."""
        full = str(getattr(self.book, "fullname", "") or "")
        folder = Path(full).parent if full else None
        if folder is None or not full.lower().endswith((".xlsx", ".xlsm", ".xlsb", ".xls")) or not folder.is_dir():
            return None
        stem = f"{Path(full).stem}.{base.lower().replace(' ', '-')}"
        path, n = folder / f"{stem}.pdf", 2
        while os.path.lexists(path):        # a dangling link is taken too: never written through
            path, n = folder / f"{stem} ({n}).pdf", n + 1
        return path

    def write_layout(self, sheet: str, cells: Sequence[D.SheetCell], widths: dict[int, float],
                     last_row: int) -> None:
        self.write(sheet, 1, 1, [])  # refuses a sheet this macro did not add
        ws = self.book.sheets[sheet]
        for c in cells:
            rng = ws.range((c.row, c.col))
            rng.value = c.value
            _format_xlwings(ws, rng, c)
        self.set_widths(sheet, widths)
        try:  # formatting only: the values are already written
            ws.page_setup.print_area = f"$A$1:${chr(64 + max(widths))}${max(last_row, 1)}"
            setup = ws.api.PageSetup
            setup.Zoom = False
            setup.FitToPagesWide = 1
            setup.FitToPagesTall = False
        except Exception:  # noqa: BLE001 - no COM/AppleScript page setup (xlwings on macOS, a fake in tests)
            pass


def _format_xlwings(ws: Any, rng: Any, c: D.SheetCell) -> None:
    """Number format, bold, wrapping, merge and row height of one cell; formatting only, so a platform
    without one of these (macOS AppleScript, a fake book) keeps the value and skips the format."""
    try:
        if c.number_format:
            rng.number_format = c.number_format
        if c.bold:
            rng.font.bold = True
        if c.size:
            rng.font.size = c.size
        if c.wrap:
            rng.wrap_text = True
        if c.merge_to and c.merge_to > c.col:
            ws.range((c.row, c.col), (c.row, c.merge_to)).merge()
        if c.height:
            rng.row_height = c.height
    except Exception:  # noqa: BLE001 - see the docstring
        pass


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


# --------------------------------------------------------------------------- reading the workbook

def _require(book: WorkbookAdapter, name: str) -> list[list[Any]]:
    values = book.read_name(name)
    if values is None:
        raise WarrantError(f"The workbook has no defined name {name!r}")
    return values


def _optional(book: WorkbookAdapter, name: str) -> list[list[Any]] | None:
    return book.read_name(name)


def _is_d1(terms: Any) -> bool:
    """Section numbers and D-1's own wording are printed only for D-1 itself (its preset)."""
    return is_d1(terms)


def clause_names(book: WorkbookAdapter, terms: Any) -> ClauseNames:
    """How this warrant's documents name clauses: D-1's sections for D-1; else plain words, or the
    warrant's own references from an optional range named ``Clauses`` (what it does | reference)."""
    own: dict[str, str] = {}
    grid = _optional(book, "Clauses")
    for row in (grid if F.given(grid) else []):
        cells = [c for c in row if not cv.is_blank(c)]
        if len(cells) >= 2:
            own[str(cells[0])] = str(cells[1])
        elif cells:
            raise WarrantError(f"Clauses: {cells[0]!r} needs the warrant's own reference beside it "
                               f"(two columns: what the clause does | its reference)")
    return ClauseNames(terms, own)


def instrument_title(terms: Any) -> str:
    """The document's title from the terms: Instrument, else "Warrant <No.>", else "Warrant"."""
    if getattr(terms, "instrument", ""):
        return terms.instrument
    return f"Warrant {terms.warrant}" if terms.warrant else "Warrant"


def _address_lines(terms: Any) -> list[str]:
    text = getattr(terms, "issuer_address", "") or ""
    return [line.strip() for line in text.splitlines() if line.strip()]


def terms_table(terms: Any, terms_raw: Any, date1904: bool) -> tuple[tuple[str, ...], ...]:
    """Term | Value | Source for every term the engine used (the rows of WARRANT_TERMS), values exact."""
    rows = []
    d1 = is_d1(terms)
    for label, cell_value, source in cv.terms_sources(terms_raw, date1904=date1904):
        field_name = cv.TERMS_LABELS.get(label, (None,))[0]
        value = getattr(terms, field_name) if field_name and field_name != "tests" else cell_value
        if not d1 and value in (None, "") and label in (*D1_ONLY_TERMS, "Preset"):
            continue      # D-1's own terms are not listed as "none" for another warrant (issue 18)
        if field_name == "issuer_address" and value:
            value = "; ".join(_address_lines(terms))
        rows.append((label, D.value_text(value), source))
    return (("Term", "Value", "Source"),) + tuple(rows)


# --------------------------------------------------------------------------- §4(i) certificate

SECTION_4I = ("Section 4(i): whenever the Per Share Exercise Price is adjusted, an officer of the Company shall "
              "compute the adjusted Per Share Exercise Price in accordance with Section 4 and prepare a written "
              "certificate setting forth such adjusted Per Share Exercise Price and showing in detail the facts "
              "upon which such adjustment is based.")
GENERIC_CERTIFICATE = ("Certificate of an officer of the Company setting forth the adjusted exercise price and the "
                       "number of shares purchasable under the {title}, and showing in detail the facts on which "
                       "each adjustment is based. Each adjustment names the provision it applies by what it "
                       "does (a split, a stock dividend, an issue below the price ...){own}.")
FINGERPRINT_METHOD = ("SHA-256 of addin.documents.macros.canonical_inputs(Terms, Events, As Of): the converted inputs as "
                      "canonical JSON (exact fractions as text, ISO dates, sorted keys)")


def _price_field(label: str, price: Fraction, terms: Any, *, always_exact: bool = False) -> D.Field:
    inc = terms.price_increment
    shown = D.is_shown_exactly(price, D.increment_places(inc))
    detail = "" if shown and not always_exact else "exact: " + D.exact(price, money=True)
    return D.Field(label, D.price_text(price, inc), detail, cv.out_number(price, label), D.price_format(inc))


def _shares_field(label: str, shares: Fraction) -> D.Field:
    detail = "" if D.is_shown_exactly(shares, D.SHARE_PLACES) else "exact: " + D.exact(shares)
    return D.Field(label, D.shares_text(shares), detail, cv.out_shares(shares, label), D.shares_format(shares))


def _change_fields(r: Any, terms: Any) -> tuple[D.Field, D.Field]:
    """A trail row's price and shares, before to after (exact values beside when rounding hides them)."""
    inc = terms.price_increment
    prices, shares = (r.price_before, r.price_after), (r.shares_before, r.shares_after)
    price_exact = all(D.is_shown_exactly(p, D.increment_places(inc)) for p in prices)
    shares_exact = all(D.is_shown_exactly(n, D.SHARE_PLACES) for n in shares)
    return (D.Field("Per Share Exercise Price", " to ".join(D.price_text(p, inc) for p in prices),
                    "" if price_exact else "exact: " + " to ".join(D.exact(p, money=True) for p in prices)),
            D.Field("Warrant Shares", " to ".join(D.shares_text(n) for n in shares),
                    "" if shares_exact else "exact: " + " to ".join(D.exact(n) for n in shares)))


def _money_field(label: str, amount: Any, exact_amount: Fraction | None = None) -> D.Field:
    detail = ""
    if exact_amount is not None and Fraction(exact_amount) != Fraction(amount):
        detail = "exact: " + D.exact(exact_amount, money=True)
    return D.Field(label, D.money_text(amount), detail, cv.out_number(amount, label), D.MONEY_FORMAT)


def _header(doc: D.Document, terms: Any) -> None:
    doc.add("subtitle", lines=(instrument_title(terms),
                               f"for the purchase of shares of {terms.security} of {terms.issuer or 'the Company'}",
                               *([terms.issuer, *_address_lines(terms)] if _address_lines(terms) else [])))


def _auditor(doc: D.Document, fp: str) -> None:
    doc.add("heading", "For the auditor")
    doc.add("fields", fields=(D.Field("Engine version", engine.__version__, "", engine.__version__),
                              D.Field("Input fingerprint (SHA-256)", fp[:32] + "\n" + fp[32:], "", fp),
                              D.Field("Fingerprint method", FINGERPRINT_METHOD)))


def certificate_document(book: WorkbookAdapter, as_of: Any = None) -> tuple[D.Document, str]:
    """The §4(i) officer's certificate of adjustment as a document; and the input fingerprint."""
    d1904 = book.date1904
    terms_raw = _require(book, "Terms")
    terms = cv.parse_terms(terms_raw, date1904=d1904)
    events_raw = _optional(book, "Events")
    rows = cv.event_rows(events_raw, date1904=d1904) if F.given(events_raw) else []
    events = engine_parse_events(rows, table="Events")
    when = as_of if as_of is not None else _require(book, "AsOf")
    day = cv.parse_as_of(when, "As Of", date1904=d1904, moment=False)
    adjusted = adjust(terms, events, day)
    fp = fingerprint(terms, rows, day)
    d1 = _is_d1(terms)
    names = clause_names(book, terms)

    doc = D.Document("OFFICER'S CERTIFICATE OF ADJUSTMENT")
    _header(doc, terms)
    doc.add("para", SECTION_4I if d1 else GENERIC_CERTIFICATE.format(
        title=instrument_title(terms), own=", or by the warrant's own section where the workbook's Clauses range "
                                           "gives it" if names.own else ""))
    doc.add("fields", fields=(
        D.Field("To the Registered Holder", terms.holder or "(not named in the terms)"),
        D.Field("As of", D.date_text(day), "", cv.out_date(day), "mmmm d, yyyy"),
        _price_field("Adjusted Per Share Exercise Price", adjusted.price, terms, always_exact=True),
        _shares_field("Warrant Shares", adjusted.shares),
        D.Field("Security", adjusted.security),
        *((D.Field(f"Merger cash per unit of {adjusted.security}", D.exact(adjusted.cash_per_share, money=True),
                   "", cv.out_number(adjusted.cash_per_share, "Merger Cash")),) if adjusted.cash_per_share else ()),
        _price_field("Per Share Exercise Price at issue", terms.exercise_price, terms),
        _shares_field("Warrant Shares at issue", terms.warrant_shares),
    ))
    doc.add("heading", "Facts on which the adjustments are based")
    doc.add("para", "The undersigned officer of the Company has computed the adjusted Per Share Exercise Price in "
                    "accordance with " + ("Section 4 of the Performance Warrant" if d1 else "the warrant's terms")
            + " and certifies that it is based on the following facts:")
    if not adjusted.trail:
        doc.add("para", f"No capital event on or before {D.date_text(day)} adjusts the Per Share Exercise Price or "
                        f"the Warrant Shares; they stand as issued.")
    for i, r in enumerate(adjusted.trail, start=1):
        doc.add("heading", f"{i}. {D.date_text(r.date)}: {r.event} ({names.row_clause(r.event, r.clause)}, "
                           f"{r.status})")
        doc.add("fields", fields=_change_fields(r, terms))
        flag = f" [{names.text(r.flag)}]" if getattr(r, "flag", None) else ""
        doc.add("para", names.text(cv.one_line(r.explanation)) + flag)
    doc.add("heading", "Terms used")
    doc.add("table", rows=terms_table(terms, terms_raw, d1904))
    doc.add("signature", lines=(terms.issuer or "The Company", "", "By: ______________________________",
                                "Name: ______________________________",
                                "Title: ______________________________" + ("  (an officer of the Company, §4(i))"
                                                                          if d1 else "  (an officer of the Company)"),
                                "Date: ______________________________"))
    _auditor(doc, fp)
    return doc, fp


def adjustment_certificate(book: WorkbookAdapter, as_of: Any = None) -> str:
    """Write the §4(i) officer's certificate of adjustment on a new sheet; return its name.

    Reads ``Terms``, ``Events`` (blank or missing = no events) and ``AsOf``
    (``as_of`` overrides it: a date, datetime or ISO text).
    """
    doc, fp = certificate_document(book, as_of)
    _pdf_copy(book, doc, fp, CERTIFICATE_SHEET)
    return write_sheet(book, doc, CERTIFICATE_SHEET)


# --------------------------------------------------------------------------- Exhibit A

EXHIBIT_A_ELECTION = ("In accordance with the provisions set forth in the attached {title}, the undersigned hereby "
                      "irrevocably elects to purchase {shares} shares of the {security} covered by such {short} and "
                      "herewith makes payment therefor in full at the price per share provided for in such {short}.")
EXHIBIT_A_QUESTIONS = ("The undersigned has had the opportunity to ask questions of and receive answers from the "
                       "officers of the Company regarding the affairs of the Company and related matters, and has "
                       "had the opportunity to obtain additional information necessary to verify the accuracy of "
                       "all information so obtained.")
EXHIBIT_A_INVESTMENT = ("The undersigned understands that the shares have not been registered under the Securities "
                        "Act of 1933, as amended, or the securities laws of any other jurisdiction, and hereby "
                        "represents to the Company that the undersigned is acquiring the shares for its own "
                        "account, for investment, and not with a view to, or for sale in connection with, the "
                        "distribution of any such shares.")
GENERIC_REPRESENTATIONS = "Add here any representation that this warrant's own form of exercise requires."
GENERIC_NET_NOTE = ("Net issuance (X = Y(A-B)/A): Warrant Shares withheld in payment of the price; check that "
                    "the warrant's own terms provide it")


def purchase_form_document(book: WorkbookAdapter) -> tuple[D.Document, str]:
    """Exhibit A (purchase form) filled in from the engine's settlement; and the input fingerprint."""
    d1904 = book.date1904
    terms_raw = _require(book, "Terms")
    exercise_raw = _require(book, "Exercise")
    events_raw = _optional(book, "Events")
    tests_raw = _optional(book, "Tests")
    terms, position, request, s, checked = F.exercise_settlement(
        terms_raw, events_raw if F.given(events_raw) else None, exercise_raw,
        _optional(book, "Market"), tests_raw, _optional(book, "Facts"), date1904=d1904)
    if not checked:   # §1(a): never print a purchase form for a warrant that may not be exercisable
        raise WarrantError("Purchase form refused: the terms require a Performance Default (§1(a)) and the "
                           "workbook has no Tests range to show one occurred; add a range named Tests")
    rows = cv.event_rows(events_raw, date1904=d1904) if F.given(events_raw) else []
    fp = fingerprint(terms, rows, request)
    d1 = _is_d1(terms)
    names = clause_names(book, terms)
    title = instrument_title(terms)
    short = "Performance Warrant" if d1 else "Warrant"

    doc = D.Document("EXHIBIT A: PURCHASE FORM" if d1 else "PURCHASE FORM")
    address = _address_lines(terms) or ["Address: ______________________________"]
    doc.add("subtitle", lines=("To: " + (terms.issuer or "the Company"), *address))
    doc.add("fields", fields=(D.Field("Dated:", D.date_text(request.exercise_date), "",
                                      cv.out_date(request.exercise_date), "mmmm d, yyyy"),))
    shares_words = D.shares_text(s.shares_exercised)
    if not D.is_shown_exactly(s.shares_exercised, D.SHARE_PLACES):
        shares_words += f" (exactly {D.exact(s.shares_exercised)})"
    doc.add("para", EXHIBIT_A_ELECTION.format(title=title if not d1 else "Performance Warrant", shares=shares_words,
                                              security=position.security, short=short))
    if d1:
        doc.add("para", EXHIBIT_A_QUESTIONS)
        doc.add("para", EXHIBIT_A_INVESTMENT)
    else:
        doc.add("small", GENERIC_REPRESENTATIONS)
    doc.add("signature", lines=(f"Signature: ______________________________   {terms.holder}",
                                "Address: ______________________________", ""))
    doc.add("heading", f"Computation under {title} (engine {engine.__version__})")
    fields = [
        D.Field("Registered Holder", terms.holder or "(not named in the terms)"),
        _shares_field("Shares purchased", s.shares_exercised),
        _price_field("Per Share Exercise Price", position.price, terms),
        _money_field("Aggregate Price", s.aggregate_price, s.aggregate_price_exact),
        D.Field("Method of payment", s.method),
        _money_field("Cash due", s.cash_due, s.cash_due_exact),
        D.Field(f"Shares of {terms.security} to surrender{names.ref('§3')}", f"{s.shares_to_surrender:,}", "",
                s.shares_to_surrender, "#,##0"),
        D.Field(f"Full shares to be issued{names.ref('§1(c)(i)')}", f"{s.full_shares:,}", "", s.full_shares,
                "#,##0"),
        _shares_field(f"Fractional share paid in cash{names.ref('§5')}", s.fractional_share),
        _money_field(f"Cash in lieu of the fraction{names.ref('§5')}", s.fraction_cash),
        D.Field("Fraction price source", cv.one_line(s.fraction_price_source or "none")),
        *((_money_field(f"Merger cash delivered{names.ref('§4(b)')}", s.merger_cash, s.merger_cash_exact),
           D.Field("Each unit delivered", cv.one_line(s.security))) if s.merged else ()),
        D.Field(f"Deemed effected{names.ref('§1(b)')}", D.moment_text(s.effective_at, terms.time_zone), "",
                cv.out_datetime(s.effective_at), 'mmmm d, yyyy, h:mm AM/PM'),
        D.Field(f"Certificates due by{names.ref('§1(c)')}", D.date_text(s.certificates_due) or "not stated", "",
                cv.out_date(s.certificates_due) or None, "mmmm d, yyyy"),
        _new_warrant_field(names, terms, position, s),
    ]
    if s.quote_warning:
        fields.append(D.Field("Quote warning", names.text(cv.one_line(s.quote_warning))))
    if s.before_position:
        fields.append(D.Field("Events", cv.one_line(s.before_position)))
    if s.outside_terms:
        notes = [n if d1 or n != NET_NOTE else GENERIC_NET_NOTE for n in s.notes]
        fields.append(D.Field("Outside the warrant's own terms", names.text(cv.one_line("; ".join(notes)))))
    doc.add("fields", fields=tuple(fields))
    _auditor(doc, fp)
    return doc, fp


def _new_warrant_field(names: ClauseNames, terms: Any, position: Any, s: Any) -> D.Field:
    """§1(c)(ii): the new warrant for the rest, its price by the documents' one rule (six decimals, or
    the Price Increment's) with the exact value beside."""
    label = f"New warrant{names.ref('§1(c)(ii)')}"
    if s.remaining_shares <= 0:
        return D.Field(label, "None: exercised in whole")
    price = position.price
    inc = terms.price_increment
    detail = "" if D.is_shown_exactly(price, D.increment_places(inc)) else "exact: " + D.exact(price, money=True)
    return D.Field(label, f"New warrant of like tenor (dated {D.date_text(terms.issue_date)}) for "
                          f"{D.shares_text(s.remaining_shares)} {position.security} Warrant Shares at "
                          f"{D.price_text(price, inc)} per share", detail)


def purchase_form(book: WorkbookAdapter) -> str:
    """Write Exhibit A (purchase form) filled in from the engine's settlement on a new sheet; return its name.

    Reads ``Terms`` and ``Exercise`` (required), ``Market``, ``Events``,
    ``Tests`` and ``Facts`` (optional). A warrant outside its exercise window
    is refused; so is one whose terms require a Performance Default when no
    ``Tests`` are given (§1(a): exercisability cannot be judged), and one the
    tests show is not exercisable.
    """
    doc, fp = purchase_form_document(book)
    _pdf_copy(book, doc, fp, PURCHASE_FORM_SHEET)
    return write_sheet(book, doc, PURCHASE_FORM_SHEET)


# --------------------------------------------------------------------------- writing a document

def write_sheet(book: WorkbookAdapter, doc: D.Document, base: str) -> str:
    """Add a new sheet holding ``doc`` (same text and formats as the PDF); return its name."""
    cells, widths, last_row = D.sheet_layout(doc)
    name = unique_sheet_name(book, base)
    book.add_sheet(name)
    book.write_layout(name, cells, widths, last_row)
    return name


def _pdf_copy(book: WorkbookAdapter, doc: D.Document, fp: str, base: str) -> None:
    """The classic macros also save a PDF beside the workbook; the sheet says where (or why not)."""
    where = getattr(book, "pdf_path", None)
    path = where(base) if where is not None else None
    if path is None:
        return
    from addin.safewrite import OutputError, write_atomic   # here: the Lite bundle (no PDF path) leaves it out
    try:
        write_atomic(path, lambda tmp: write_pdf(doc, tmp, fp))   # never through a link; no torn file
        note = str(path)
    except OutputError as exc:  # a link or a device where the PDF would go: the sheet says so
        note = f"not written: {exc}"
    except OSError as exc:      # a read-only folder: the sheet is still written, and says so
        note = f"not written: {exc.strerror or exc}"
    except D.UnprintableText as exc:   # a character the PDF cannot print: the sheet shows it, and says why
        note = f"not written: {exc}"
    doc.add("fields", fields=(D.Field("PDF copy", note),))


def write_pdf(doc: D.Document, path: Any, fp: str) -> None:
    """The print-ready PDF of ``doc``; the footer names the engine version and the input fingerprint."""
    D.write_pdf(doc, path, footer=f"warrants engine {engine.__version__}; input fingerprint {fp[:16]}…")


# --------------------------------------------------------------------------- Import OCF (issue 20)

OCF_SHEETS = ("OCF Terms", "OCF Events", "OCF notes")


def import_ocf(book: WorkbookAdapter, source: Any, warrant: str | None = None, settings: Sequence[str] = ()) -> list[str]:
    """The "Import OCF" macro: a warrant's terms, its Events (with Confirm) and the OCF notes on new sheets.

    Nothing of the user's is overwritten: each sheet is new (``OCF Events (2)`` when one exists). The
    OCF Events sheet is laid out as the Events table (same headers, plus Confirm), so the Events name
    can be pointed at it or its rows copied. ``warrant`` blank: the package's only warrant. A refused
    package raises WarrantError with its first problem (docs/ocf.md).
    """
    from addin.ocf import OcfError, map_warrant, read_package, warrants
    from addin.ocf.book import cell_value, parse_settings

    try:
        pkg = read_package(source)
        if pkg.refused:
            more = f" (and {len(pkg.refused) - 1} more)" if len(pkg.refused) > 1 else ""
            raise OcfError(pkg.refused[0] + more)
        if not warrant:
            found = warrants(pkg)
            if len(found) != 1:
                raise OcfError(f"{source}: {len(found)} warrants in the package; name one "
                               f"({', '.join(str(w.get('custom_id') or w.get('security_id')) for w in found)})")
            warrant = found[0].get("security_id")
        m = map_warrant(pkg, warrant, parse_settings(settings))
    except OcfError as exc:
        raise WarrantError(str(exc)) from None
    names = [unique_sheet_name(book, base) for base in OCF_SHEETS]
    for name in names:
        book.add_sheet(name)
    terms_rows = [["Term", "Value"]] + [[label, cell_value(v)] for label, v in m.terms.items()]
    terms_rows += [[label, "Required: not in OCF (type it)"] for label in m.required]
    book.write(names[0], 1, 1, terms_rows)
    head = list(cv.EVENTS_COLUMNS) + ["Confirm"]
    rows = [head] + [[cell_value(r.date), r.event, cell_value(r.shares), r.ratio, cell_value(r.consideration),
                      cell_value(r.additional), None, r.category, r.ref, cell_value(r.price), r.note, r.confirm]
                     for r in m.rows]
    book.write(names[1], 1, 1, rows)
    notes = [["Date", "OCF object", "Id", "File", "Why it is not an Events row"]]
    notes += [[n.date, n.object_type, n.id, n.file, n.reason] for n in m.notes]
    notes += [["Warning", w] for w in m.warnings]
    book.write(names[2], 1, 1, notes)
    book.set_widths(names[1], {1: 12, 2: 16, 11: 60, 12: 60})
    book.set_widths(names[2], {2: 40, 3: 30, 5: 100})
    return names
