"""Build the sample workbooks from this reviewable source (never hand-edit the .xlsx).

    python workbooks/build.py [OUTDIR]        (default: the folder of this script)

Each workbook is written with XlsxWriter twice: first without values, then it is
recalculated headless (addin.recalc, the same catalog functions Excel calls) and
written again with every formula's computed value stored (``value=``), spilling
formulas written with ``write_dynamic_array_formula`` over the range they spill
into and the spilled cells holding their values, so Excel 365 spills, and any
viewer (or openpyxl ``data_only=True``) shows real numbers.

Expected values are DERIVED BY HAND from the contracts (the derivation or its
clause is in the note cell beside each one) and typed as plain arithmetic on
literals (``=0.4/101``), never computed by the engine. Figures that the seeds
do not give (outstanding counts, performance actuals, allocations, the ledger's
events, the register) are ILLUSTRATIVE and marked so in the sheets.
Layouts: docs/workbooks.md.
"""
from __future__ import annotations

import datetime as dt
import re
import sys
import tempfile
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import xlsxwriter
import xlsxwriter.worksheet
from xlsxwriter.utility import xl_rowcol_to_cell

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from addin.excel import catalog  # noqa: E402
from addin.recalc import XLError, recalc_workbook  # noqa: E402
from addin.recalc.bookio import load_book  # noqa: E402
from addin.excel.convert import TERMS_LABELS  # noqa: E402

ILLUSTRATIVE = "ILLUSTRATIVE: not in the seed; invented sample data."
SPILLING = ("WARRANT_DEFAULTS", "WARRANT_ADJUSTMENTS", "WARRANT_EXERCISE", "WARRANT_REGISTER", "OPTION_REALLOCATE")
# Every catalog call is written as a dynamic-array formula, so Excel 365 shows no implicit
# intersection "@" in front of the add-in's functions (it adds one to any legacy formula
# calling a function that might return an array, which includes every UDF).
CATALOG_CALL = re.compile(r"\b(?:WARRANT_[A-Z]+|OPTION_REALLOCATE)\(")
PRICE_DIGITS = 12     # checks compare prices ROUND(x, 12) (prices here are ~0.001-10 dollars)
SHARE_DIGITS = 6


# ----------------------------------------------------------------------------- a tiny sheet model

@dataclass
class Cell:
    value: object                 # constant, or "=formula"
    fmt: str | None = None
    dynamic: bool = False         # a spilling catalog call


@dataclass
class Sheet:
    name: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    col_formats: dict[int, str] = field(default_factory=dict)   # format for spilled cells by column
    charts: list[dict] = field(default_factory=list)

    def put(self, ref: str, value: object, fmt: str | None = None) -> None:
        r, c = _rc(ref)
        dynamic = isinstance(value, str) and value.startswith("=") and bool(CATALOG_CALL.search(value))
        if fmt == "check" and isinstance(value, str) and value.startswith("="):
            value, dynamic = honest_check(value), True
        self.cells[(r, c)] = Cell(value, fmt, dynamic)

    def row(self, ref: str, values, fmts=None) -> None:
        r, c = _rc(ref)
        for i, v in enumerate(values):
            if v is None:
                continue
            f = (fmts[i] if i < len(fmts) else None) if isinstance(fmts, (list, tuple)) else fmts
            self.put(xl_rowcol_to_cell(r, c + i), v, f)


def _rc(ref: str) -> tuple[int, int]:
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string
    col, row = coordinate_from_string(ref.replace("$", ""))
    return row - 1, column_index_from_string(col) - 1


@dataclass
class Book:
    filename: str
    sheets: list[Sheet]
    names: dict[str, str]         # defined name -> "Sheet!$A$1:$B$2"
    date1904: bool = False

    def sheet(self, name: str) -> Sheet:
        return next(s for s in self.sheets if s.name == name)


FORMATS = {
    "header": {"bold": True, "bg_color": "#DDEBF7", "bottom": 1, "text_wrap": True, "valign": "top"},
    "title": {"bold": True, "font_size": 14},
    "date": {"num_format": "yyyy-mm-dd"},
    "datetime": {"num_format": "yyyy-mm-dd hh:mm"},
    "money": {"num_format": "#,##0.00"},
    "price": {"num_format": "#,##0.00##########"},
    "shares": {"num_format": "#,##0.######"},
    "int": {"num_format": "#,##0"},
    "pct": {"num_format": "0.00%"},
    "note": {"italic": True, "font_color": "#595959", "text_wrap": False},
    "illustrative": {"italic": True, "font_color": "#C00000"},
    "check": {"bold": True},
    "input": {"bg_color": "#FFF2CC"},
    "input_date": {"bg_color": "#FFF2CC", "num_format": "yyyy-mm-dd"},
    "input_money": {"bg_color": "#FFF2CC", "num_format": "#,##0.00####"},
    "input_int": {"bg_color": "#FFF2CC", "num_format": "#,##0"},
}


def _xlconf(book: Book) -> None:
    conf = Sheet("xlwings.conf", widths={0: 22, 1: 30})
    conf.put("A1", "UDF Modules")
    conf.put("B1", "addin.excel.xl")
    book.sheets.append(conf)


# ----------------------------------------------------------------------------- writing

class _Worksheet(xlsxwriter.worksheet.Worksheet):
    """XlsxWriter writes a boolean cached value of an array formula as the text "True";
    write it as a boolean cell value (t="b"), as Excel does."""

    def _write_cell(self, row, col, cell):
        if type(cell).__name__ == "ArrayFormula" and isinstance(cell.value, bool):
            attributes = [("r", xl_rowcol_to_cell(row, col))]
            if cell.format:
                attributes.append(("s", cell.format._get_xf_index()))
            if cell.atype == "dynamic":
                attributes.append(("cm", 1))
            attributes.append(("t", "b"))
            self._xml_start_tag("c", attributes)
            self._write_cell_array_formula(cell.formula, cell.range)
            self._write_cell_value(1 if cell.value else 0)
            self._xml_end_tag("c")
            return
        super()._write_cell(row, col, cell)


def _write(book: Book, path: Path, values=None) -> None:
    """Write ``book``; with ``values`` (a Recalc), store computed values and spill ranges."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                         "date_1904": book.date1904})
    wb.set_properties({"title": book.filename, "author": "warrants workbooks/build.py",
                       "created": dt.datetime(2026, 1, 1)})
    fmts = {k: wb.add_format(v) for k, v in FORMATS.items()}
    for sh in book.sheets:
        ws = wb.add_worksheet(sh.name, worksheet_class=_Worksheet)
        for c, w in sh.widths.items():
            ws.set_column(c, c, w)
        for (r, c), cell in sorted(sh.cells.items()):
            f = fmts.get(cell.fmt) if cell.fmt else None
            v = cell.value
            if isinstance(v, str) and v.startswith("="):
                key = (sh.name, r + 1, c + 1)
                computed = values.values.get(key) if values is not None else None
                if cell.dynamic:
                    rows, cols = (values.spill_shape.get(key, (1, 1)) if values is not None else (1, 1))
                    ws.write_dynamic_array_formula(r, c, r + rows - 1, c + cols - 1, v, f,
                                                   _array_value(computed, book))
                    if values is not None:
                        for (sname, rr, cc), anchor in values.spilled.items():
                            if sname == sh.name and anchor == key:
                                _write_value(ws, rr - 1, cc - 1, values.values[(sname, rr, cc)],
                                             fmts.get(sh.col_formats.get(cc - 1, "")), fmts, book)
                else:
                    ws.write_formula(r, c, v, f, _formula_value(computed, book))
            elif isinstance(v, (dt.date, dt.datetime)):
                ws.write_datetime(r, c, v if isinstance(v, dt.datetime) else dt.datetime(v.year, v.month, v.day),
                                  f or fmts["date"])
            elif isinstance(v, bool):
                ws.write_boolean(r, c, v, f)
            elif isinstance(v, (int, float)):
                ws.write_number(r, c, v, f)
            elif v is None:
                continue
            else:
                ws.write_string(r, c, str(v), f)
        for ch in sh.charts:
            chart = wb.add_chart({"type": "line"})
            for series in ch["series"]:
                chart.add_series(series)
            chart.set_title({"name": ch["title"]})
            chart.set_x_axis(ch.get("x_axis", {}))
            chart.set_y_axis(ch.get("y_axis", {}))
            chart.set_y2_axis(ch.get("y2_axis", {}))
            chart.set_size({"width": 820, "height": 420})
            ws.insert_chart(ch["at"], chart)
    for name, target in book.names.items():
        wb.define_name(name, "=" + target)
    wb.close()


def _serial(v, book: Book):
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, to_excel
    return float(to_excel(v, CALENDAR_MAC_1904 if book.date1904 else CALENDAR_WINDOWS_1900))


def _formula_value(v, book: Book):
    if v is None:
        return 0
    if isinstance(v, XLError):
        return str(v)
    if isinstance(v, (dt.date, dt.datetime)):
        return _serial(v, book)
    return v


def _array_value(v, book: Book):
    return _formula_value(v, book)       # booleans are written by _Worksheet


def _write_value(ws, r, c, v, f, fmts, book: Book) -> None:
    if isinstance(v, XLError):
        ws.write_formula(r, c, f'="{v}"', f, str(v))   # never happens in our books; visible if it does
    elif isinstance(v, bool):
        ws.write_boolean(r, c, v, f)
    elif isinstance(v, (dt.date, dt.datetime)):
        ws.write_datetime(r, c, v, f or fmts["date"])
    elif isinstance(v, (int, float)):
        ws.write_number(r, c, v, f)
    elif v is None or v == "":
        ws.write_blank(r, c, None, f)
    else:
        ws.write_string(r, c, str(v), f)


def build(book: Book, outdir: Path, *, verify: bool = True) -> Path:
    outdir.mkdir(parents=True, exist_ok=True)
    final = outdir / book.filename
    with tempfile.TemporaryDirectory() as tmp:
        first = Path(tmp) / book.filename
        _write(book, first)
        result = recalc_workbook(load_book(first), catalog)
        if result.exceptions:
            raise SystemExit(f"{book.filename}: exceptions inside catalog functions: "
                             + "; ".join(map(str, result.exceptions)))
        tmp_final = Path(tmp) / ("final-" + book.filename)
        _write(book, tmp_final, result)
        if verify:
            # the spill ranges are now declared in the file: a recalculation must give the same values
            again = recalc_workbook(load_book(tmp_final), catalog)
            if again.as_json() != result.as_json():
                raise SystemExit(f"{book.filename}: values differ between two recalculations")
        tmp_final.replace(final)
    return final


# ----------------------------------------------------------------------------- helpers for checks

def honest_check(formula: str) -> str:
    """A check formula that reads FALSE, never TRUE, when a result it compares is an error.

    Written as a (one-cell) array formula: LibreOffice recalculates array formulas on load but
    shows plain formulas' cached values, so a plain check would keep its cached TRUE over results
    that became #NAME? in a copy opened without the add-in (the same for the Checks sheet's sums).
    """
    return f"=IFERROR({formula[1:]},FALSE)"


def _put_recalculated(sh: Sheet, ref: str, formula: str, fmt: str | None = None) -> None:
    """A Checks-sheet formula written as an array formula, recalculated on load (see honest_check)."""
    sh.put(ref, formula, fmt)
    sh.cells[_rc(ref)].dynamic = True

def check_row(sh: Sheet, r: int, result: str, expected: str, note: str, digits: int | None,
              cols=("A", "B", "C", "D"), label: str | None = None, fmt: str | None = None) -> str:
    """Label | Result | Expected | Check | Note on row r; returns the check cell."""
    lab, res, exp, chk = cols
    note_col = chr(ord(chk) + 1)
    if label is not None:
        sh.put(f"A{r}", label)
    if result is not None:
        sh.put(f"{res}{r}", result, fmt)
    sh.put(f"{exp}{r}", expected, fmt)
    if digits is None:
        sh.put(f"{chk}{r}", f"={res}{r}={exp}{r}", "check")
    else:
        sh.put(f"{chk}{r}", f"=ROUND({res}{r},{digits})=ROUND({exp}{r},{digits})", "check")
    sh.put(f"{note_col}{r}", note, "note")
    return f"{chk}{r}"


def trail_check(sh: Sheet, i: int, status: str, price: str, shares: str) -> None:
    """Check cell: trail row i (WARRANT_ADJUSTMENTS on the Trail sheet) has row i's event, the expected
    status, price after and shares after (columns ``status``, ``price``, ``shares`` of row i)."""
    sh.put(f"{chr(ord(shares) + 1)}{i}",
           f'=AND(Trail!B{i}=B{i},Trail!D{i}={status}{i},ROUND(Trail!F{i},{PRICE_DIGITS})=ROUND({price}{i},{PRICE_DIGITS}),'
           f'ROUND(Trail!H{i},{SHARE_DIGITS})=ROUND({shares}{i},{SHARE_DIGITS}))', "check")


def settlement_checks(x: Sheet, first: int, expected: list[tuple]) -> None:
    """Expected | Check | Derivation (columns D-F) beside a WARRANT_EXERCISE spill starting at row ``first``.

    Each row is (expected, digits, format, derivation): digits compare ROUND(result, digits); "text"
    compares exactly; None compares the first three characters (a venue word inside a sentence)."""
    for i, (e, digits, fmt, note) in enumerate(expected, start=first):
        x.put(f"D{i}", e, fmt)
        if digits is None:
            x.put(f"E{i}", f'=LEFT(B{i},3)=D{i}', "check")
        elif digits == "text":
            x.put(f"E{i}", f"=B{i}=D{i}", "check")
        else:
            x.put(f"E{i}", f"=ROUND(B{i},{digits})=ROUND(D{i},{digits})", "check")
        x.put(f"F{i}", note, "note")


def _request(x: Sheet, first: int, shares, day: dt.date) -> None:
    """An exercise request (key/value) at A``first``: CASH, paid on the day."""
    for i, (k, v, f) in enumerate([("Exercise Date", day, "input_date"), ("Shares", shares, "input"),
                                   ("Payment Date", day, "input_date"), ("Method", "CASH", "input")], start=first):
        x.put(f"A{i}", k)
        x.put(f"B{i}", v, f)


def _merger_exercise(x: Sheet) -> None:
    """Issue 18: an exercise after the 2004-10-01 merger delivers successor units and the merger cash (§4(b))."""
    x.put("A59", "Third request: ALL after the 2004-10-01 merger (§4(b)) - ILLUSTRATIVE (A60:B63; market A65:B67)", "title")
    _request(x, 60, "ALL", dt.date(2004, 12, 15))
    for i, (k, v, f) in enumerate([("Venue", "EXCHANGE", "input"), ("Quote Date", dt.date(2004, 12, 14), "input_date"),
                                   ("Closing Price", 12, "input_money")], start=65):
        x.put(f"A{i}", k)
        x.put(f"B{i}", v, f)
    x.row("A69", ["Item", "Result", None, "Expected", "Check", "Derivation"], "header")
    x.put("A70", "=WARRANT_EXERCISE(Terms,Events,A60:B63,A65:B67,Tests,Facts)")
    settlement_checks(x, 70, [
        ("=DATE(2004,12,15)+17/24", 6, "datetime", "§1(b): close of business 2004-12-15."),
        ("=49596.595/2", SHARE_DIGITS, "shares", "ALL: 49,596.595 Warrant Shares became 24,798.2975 successor units (1 for every 2, §4(b))."),
        ("=24798", 0, "int", "§1(c)(i): full units, rounded down."),
        ("=0.2975", SHARE_DIGITS, "shares", "§5: the fraction 24,798.2975 - 24,798."),
        ("=ROUND(24798.2975*0.0096,2)", 2, "money", "24,798.2975 x $0.0096 per unit = $238.063656 -> $238.06 (unchanged by the merger)."),
        ("=238.06", 2, "money", "CASH: the whole aggregate price."),
        ("=0", 0, "int", "CASH: nothing surrendered."),
        ("=ROUND(0.2975*12,2)", 2, "money", "§5 exchange close $12.00 on 2004-12-14 (the trading day before): 0.2975 x $12 = $3.57."),
        ("exc", None, None, "§5: the exchange closing price."),
        ("=DATE(2004,12,15)+20", 0, "date", "§1(c): 20 calendar days after payment."),
        ("=0", SHARE_DIGITS, "shares", "Exercised in whole."),
        ("=ROUND(49596.595*0.001,2)", 2, "money", "§4(b) \"cash or other property\": $0.001 per Common share, i.e. $0.002 per unit: "
                                                  "24,798.2975 x $0.002 = 49,596.595 x $0.001 = $49.596595 -> $49.60."),
        ("Successor Holdings, Inc. common stock", "text", None, "What one unit is: the MERGER's Note."),
    ])


def _exercise_entered_twice(x: Sheet) -> None:
    """Issue 18: the Events' EXERCISE of 40,000 on 2004-03-01 (Events row 20) settled from the Exercise block too."""
    x.put("A86", "Fourth request: the 2004-03-01 exercise of Events row 20, entered here too - ILLUSTRATIVE (A87:B90)", "title")
    _request(x, 87, 40000, dt.date(2004, 3, 1))
    x.row("A92", ["Item", "Result", None, "Expected", "Check", "Derivation"], "header")
    x.put("A93", "=WARRANT_EXERCISE(Terms,Events,A87:B90,Market,Tests,Facts)")
    settlement_checks(x, 93, [
        ("=DATE(2004,3,1)+17/24", 6, "datetime", "§1(b): close of business 2004-03-01."),
        ("=40000", SHARE_DIGITS, "shares", "The request."),
        ("=40000", 0, "int", "Whole shares."),
        ("=0", SHARE_DIGITS, "shares", "No fraction."),
        ("=40000*0.0048", 2, "money", "40,000 x $0.0048 = $192.00."),
        ("=192", 2, "money", "CASH."),
        ("=0", 0, "int", "Nothing surrendered."),
        ("=0", 2, "money", "No fraction."),
        ("no fractional share", "text", None, "§5 does not apply."),
        ("=DATE(2004,3,1)+20", 0, "date", "§1(c): 20 days after payment."),
        ("=89596.595-40000", SHARE_DIGITS, "shares", "One exercise, not two: the settlement starts before Events row 20 "
                                                     "(89,596.595), leaving 49,596.595 (not 9,596.595)."),
        ("Eve", None, None, "The note: \"Events row 20 records this exercise ...\"."),
    ])


def trail_sheet() -> Sheet:
    """The Trail sheet: WARRANT_ADJUSTMENTS spilled from A1, its columns formatted."""
    tr = Sheet("Trail", widths={0: 11, 1: 16, 2: 10, 3: 17, 4: 16, 5: 16, 6: 14, 7: 14, 8: 120})
    tr.put("A1", "=WARRANT_ADJUSTMENTS(Terms,Events,AsOf)")
    tr.col_formats = {0: "date", 4: "price", 5: "price", 6: "shares", 7: "shares"}
    return tr


def checks_sheet(book: Book, groups: list[tuple[str, str, str]], key_results: list[tuple[str, str, str | None]]) -> None:
    """``Checks``: per group (label, check range, result range) count checks, passes and error cells."""
    sh = Sheet("Checks", widths={0: 34, 1: 12, 2: 12, 3: 12, 4: 14, 5: 60})
    sh.put("A1", f"Checks: {book.filename}", "title")
    sh.row("A3", ["Group", "Checks", "Passing", "Failing", "Error cells", "Ranges"], "header")
    r = 4
    for label, check_rng, result_rng in groups:
        sh.put(f"A{r}", label)
        _put_recalculated(sh, f"B{r}", f"=COUNTA({check_rng})")
        _put_recalculated(sh, f"C{r}", f"=COUNTIF({check_rng},TRUE)")
        _put_recalculated(sh, f"D{r}", f"=B{r}-C{r}")
        _put_recalculated(sh, f"E{r}", f'=SUMPRODUCT(--ISERROR({result_rng}))+COUNTIF({result_rng},"#WARRANT*")'
                                       f'+SUMPRODUCT(--ISERROR({check_rng}))')
        sh.put(f"F{r}", f"checks {check_rng}; results {result_rng}", "note")
        r += 1
    total = r
    sh.put(f"A{total}", "Total", "header")
    for col in "BCDE":
        _put_recalculated(sh, f"{col}{total}", f"=SUM({col}4:{col}{total - 1})", "header")
    sh.put(f"A{total + 2}", "All checks pass", "header")
    sh.put(f"B{total + 2}", "Verdict", "header")   # a summary of the check cells, not one itself (docs/workbooks.md)
    sh.put(f"A{total + 3}", "Every check TRUE and no error cell (a #WARRANT: text is 0 inside a SUM, so it is counted)")
    sh.put(f"B{total + 3}", f"=AND(D{total}=0,E{total}=0,B{total}>0)", "check")
    k = total + 6
    sh.put(f"A{k - 1}", "Key results", "title")
    first = k
    for label, formula, fmt in key_results:
        sh.put(f"A{k}", label)
        _put_recalculated(sh, f"B{k}", formula, fmt)
        k += 1
    book.names["KeyResults"] = f"Checks!$A${first}:$B${k - 1}"
    book.sheets.insert(0, sh)


# ----------------------------------------------------------------------------- performance_warrant_d1.xlsx

D1_TERMS = [
    # label, value, format, source
    ("Preset", "D-1", "input", "Every term not typed here is D-1's own (engine.d1_terms()): the §2 tests' thresholds, "
                               "the Instrument title and the Issuer Address come from it. Without this row, a "
                               "missing term is refused or takes a plain-warrant default, never D-1's figures."),
    ("Warrant", "D-1", None, "Performance Warrant No. D-1"),
    ("Holder", "TCW/CCI Holding II LLC", None, "preamble (\"Investor\")"),
    ("Issuer", "Convergence Communications, Inc.", None, "preamble (a Nevada corporation)"),
    ("Issue Date", dt.date(2001, 2, 7), "input_date", "\"Dated: February 7, 2001\" (Original Issue Date, §4(a)(i))"),
    ("Warrant Shares", 161290, "input_int", "preamble: One Hundred Sixty-One Thousand Two Hundred Ninety (161,290)"),
    ("Exercise Price", 0.01, "input_money", "preamble: \"an exercise price of $.01 per share\""),
    ("Par Value", 0.001, "input_money", "preamble: \"$.001 par value\""),
    ("Exercise Start", dt.date(2001, 12, 31), "input_date", "§1(a): \"from December 31, 2001\""),
    ("Exercise End", dt.date(2005, 2, 7), "input_date", "§1(a): \"through 5:00 p.m. New York time on February 7, 2005\""),
    ("Exercise End Time", "17:00", "input", "§1(a): 5:00 p.m."),
    ("Time Zone", "America/New_York", "input", "§1(a): New York time"),
    ("Test Date", dt.date(2001, 12, 31), "input_date", "§2: \"as of December 31, 2001\""),
    ("Requires Performance Default", True, "input", "§1(a) proviso"),
    ("Valuation Event Cutoff", dt.date(2001, 12, 31), "input_date", "§2(e): \"on or before December 31, 2001\""),
    ("Anti-Dilution", "FULL_RATCHET", "input", "§4(d): price reduced to the issue price"),
    ("Share Adjustment", "NONE", "input", "§4(d) moves the price only"),
    ("Minimum Adjustment", 0.01, "input", "§4(g)(iii): one percent"),
    ("Management Cap", 0.1, "input", "§4(a)(i)(A): 10% fully diluted"),
    ("Series D Cutoff", dt.date(2001, 5, 2), "input_date", "§4(a)(i)(B): \"on or prior to May 2, 2001\""),
    ("Price Increment", None, "input", "blank = exact (D-1 names none)"),
    ("Common Outstanding", 10000000, "input_int", ILLUSTRATIVE + " Common outstanding at the Original Issue Date."),
    ("Fully Diluted", 12000000, "input_int", ILLUSTRATIVE + " Fully diluted Common at the Original Issue Date."),
    ("Delivery Days", 20, "input_int", "§1(c): within 20 calendar days"),
    ("Holding Months", 6, "input_int", "§3(a): held at least six months"),
]

# Date, Event, Shares, Ratio, Consideration, Additional, Outstanding, Category, Ref, Price, Note
# then the hand-derived expectation: status, price after, shares after, derivation.
D1_EVENTS = [
    (dt.date(2001, 3, 1), "ISSUE", 400000, None, 2000, None, None, "SERIES_D", None, None, None,
     "EXCLUDED", "=0.01", "=161290",
     "§4(a)(i)(B): Series D closing 2001-03-01 is on or before 2001-05-02, excluded although $2,000/400,000 = $0.005 < $0.01. O 10,400,000, FD 12,400,000."),
    (dt.date(2001, 4, 16), "OPTIONS", 1000000, None, 0, 4000, None, "MANAGEMENT", "MGT-1", None, None,
     "EXCLUDED", "=0.01", "=161290",
     "§4(a)(i)(A): management options, aggregate 1,000,000 <= 10% x 13,400,000 FD = 1,340,000: excluded. FD 13,400,000."),
    (dt.date(2001, 6, 1), "ISSUE", 500000, None, 5000, None, None, None, None, None, None,
     "NO_EFFECT", "=0.01", "=161290",
     "§4(d): $5,000/500,000 = $0.01 is not LESS than $0.01: no adjustment. O 10,900,000, FD 13,900,000."),
    (dt.date(2001, 7, 2), "ISSUE", 200000, None, 1800, None, None, None, None, None, None,
     "APPLIED", "=1800/200000", "=161290",
     "§4(d) full ratchet: $1,800/200,000 = $0.009 < $0.01 -> price $0.009; shares unchanged (Share Adjustment NONE). O 11,100,000, FD 14,100,000."),
    (dt.date(2001, 8, 1), "ISSUE", 500000, None, 4000, None, None, "MANAGEMENT", None, None, None,
     "APPLIED", "=(4000*40000/500000)/40000", "=161290",
     "§4(a)(i)(A): cap 10% x 14,600,000 = 1,460,000; 1,000,000 used, 460,000 excluded, the 40,000 beyond the cap count "
     "(reading: only the excess), at $4,000 x 40,000/500,000 = $320 -> $0.008 < $0.009: price $0.008 (§4(d))."),
    (dt.date(2001, 9, 4), "STOCK_DIVIDEND", 116000, None, None, None, None, None, None, None, None,
     "CARRIED_FORWARD", "=0.008", "=161290*1.01",
     "§4(c): 0.008 x 11,600,000/11,716,000 = 0.008/1.01; the change 0.008/101 = $0.0000792 is < 1% of $0.008 "
     "($0.00008): §4(g)(iii) carried forward, the price stays; §4(g)(iii) speaks of the price only, so §4(c)'s "
     "share sentence applies in full: 161,290 x 11,716,000/11,600,000 = 161,290 x 1.01 = 162,902.9."),
    (dt.date(2001, 10, 1), "SPLIT", None, "2-for-1", None, None, None, None, None, None, None,
     "APPLIED", "=0.008/1.01/2", "=161290*1.01*2",
     "§4(b) 2-for-1 with the carried §4(c) amount made together (§4(g)(iii)): price 0.008/1.01/2 = 0.4/101, "
     "shares 161,290 x 1.01 x 2 = 325,805.8. O 23,432,000, FD 29,432,000."),
    (dt.date(2001, 11, 15), "CONVERTIBLE", 1000000, None, 3000, 500, None, None, "CONV-1", None, None,
     "APPLIED", "=(3000+500)/1000000", "=325805.8",
     "§4(e), §4(f)(ii): deemed issue of 1,000,000 at ($3,000 + $500)/1,000,000 = $0.0035 < $0.00396: price $0.0035 (§4(d)). FD 30,432,000."),
    (dt.date(2002, 1, 15), "ISSUE", 1000000, None, 500, None, None, None, "CONV-1", None, None,
     "NO_EFFECT", "=0.0035", "=325805.8",
     "§4(e)(i): conversion of CONV-1, already deemed issued: no further adjustment. O 24,432,000."),
    (dt.date(2002, 3, 1), "OPTIONS", 2000000, None, 0, 8000, None, None, "OPT-A", None, None,
     "NO_EFFECT", "=0.0035", "=325805.8",
     "§4(e): 2,000,000 options at $8,000/2,000,000 = $0.004, not below $0.0035: no adjustment. FD 32,432,000."),
    (dt.date(2002, 5, 1), "AMEND", None, None, None, 6000, None, None, "OPT-A", None, None,
     "APPLIED", "=6000/2000000", "=325805.8",
     "§4(e)(ii): OPT-A's exercise money cut to $6,000: recomputed as if from 2002-03-01, $6,000/2,000,000 = $0.003 < $0.0035: price $0.003."),
    (dt.date(2002, 7, 1), "EXPIRE", None, None, None, None, None, None, "OPT-A", None, None,
     "BLOCKED_UPWARD", "=0.003", "=325805.8",
     "OPT-A expires unexercised: recomputed without it the price would be $0.0035 > $0.003; §4(g)(iv) no upward "
     "adjustment except by a combination: stays $0.003. FD back to 30,432,000."),
    (dt.date(2002, 9, 3), "TREASURY", 432000, None, None, None, None, None, None, None, None,
     "NO_EFFECT", "=0.003", "=325805.8",
     "§4(g)(i): 432,000 shares held by the Company leave the outstanding count: 24,432,000 -> 24,000,000; no price change."),
    (dt.date(2002, 11, 1), "RIGHTS_DIVIDEND", 2400000, None, None, None, 24000000, None, None, None, None,
     "APPLIED", "=0.003*24000000/26400000", "=325805.8*26400000/24000000",
     "§4(c) last sentence: rights for 2,400,000 shares for no consideration = stock dividend of 2,400,000 on the "
     "stated 24,000,000: price x 24/26.4 = 0.003/1.1, shares x 1.1 = 358,386.38. The rights are not Common "
     "outstanding until exercised: O stays 24,000,000."),
    (dt.date(2003, 2, 3), "COMBINATION", None, "1-for-4", None, None, None, None, None, None, None,
     "APPLIED", "=0.003/1.1*4", "=358386.38/4",
     "§4(b) 1-for-4 combination (the only upward move §4(g)(iv) allows): price x 4 = 0.012/1.1, shares / 4 = 89,596.595. O 6,000,000."),
    (dt.date(2003, 6, 2), "ISSUE", 100000, None, 500, None, None, "SERIES_D", None, None, None,
     "APPLIED", "=500/100000", "=89596.595",
     "§4(a)(i)(B) does not apply: Series D closing 2003-06-02 is after 2001-05-02, so it counts. Consideration $500 = "
     "$300 cash + $200 Board fair value of property (§4(f)(i)(A)-(B), aggregate): $500/100,000 = $0.005 < $0.0109: price $0.005."),
    (dt.date(2003, 9, 2), "ISSUE", 50000, None, 50, None, None, "EXCLUDED", None, None, None,
     "EXCLUDED", "=0.005", "=89596.595",
     "§4(a)(iii)-(iv): warrants carved out of Options/Convertible Securities (e.g. New Series C Warrants): excluded although $0.001 < $0.005."),
    (dt.date(2003, 12, 1), "OTHER", None, None, None, None, None, None, None, 0.0048,
     "Board: equitable adjustment for a reclassification (illustrative)",
     "APPLIED", "=0.0048", "=89596.595",
     "§4(g)(ii): the Board's equitable adjustment to $0.0048 (below $0.005, change 4% >= 1%): made."),
    (dt.date(2004, 3, 1), "EXERCISE", 40000, None, None, None, None, None, None, None, None,
     "APPLIED", "=0.0048", "=89596.595-40000",
     "§1(c): the holder exercises 40,000; the new warrant calls for 89,596.595 - 40,000 = 49,596.595. O 6,190,000 (6,000,000 + 100,000 + 50,000 + 40,000)."),
    (dt.date(2004, 3, 15), "ISSUE", 100000, None, 600, None, 6800000, None, None, None, None,
     "NO_EFFECT", "=0.0048", "=49596.595",
     "Stated Outstanding 6,800,000 disagrees with the carried 6,190,000: flagged on the trail row, stated count used. "
     "$600/100,000 = $0.006 >= $0.0048: no adjustment (§4(d))."),
    (dt.date(2004, 10, 1), "MERGER", None, "1-for-2", None, None, None, None, None, 0.001,
     "Successor Holdings, Inc. common stock",
     "APPLIED", "=0.0048*2", "=49596.595/2",
     "§4(b) merger: 1 successor share (+ $0.001 cash) for every 2 Common: units 49,596.595/2 = 24,798.2975, "
     "price per unit $0.0048 x 2 = $0.0096; aggregate $238.063656 unchanged."),
]
EVENT_HEADERS = ["Date", "Event", "Shares", "Ratio", "Consideration", "Additional Consideration", "Outstanding",
                 "Category", "Ref", "Price", "Note"]


def d1_book() -> Book:
    book = Book("performance_warrant_d1.xlsx", [], {})
    n_terms = len(D1_TERMS)

    # Terms ---------------------------------------------------------------
    terms = Sheet("Terms", widths={0: 28, 1: 34, 2: 90})
    terms.row("A1", ["Term", "Value", "Source in Performance Warrant No. D-1 (seed 000)"], "header")
    for i, (label, value, fmt, source) in enumerate(D1_TERMS, start=2):
        terms.put(f"A{i}", label)
        if value is not None:
            terms.put(f"B{i}", value, fmt)
        terms.put(f"C{i}", source, "illustrative" if source.startswith("ILLUSTRATIVE") else "note")
    asof_row = n_terms + 4
    terms.put(f"A{asof_row}", "As Of", "header")
    terms.put(f"B{asof_row}", dt.date(2004, 12, 31), "input_date")
    terms.put(f"C{asof_row}", "The date the results are computed for (named range AsOf); every event on or before it counts.", "note")
    book.names["Terms"] = f"Terms!$A$2:$B${n_terms + 1}"
    book.names["AsOf"] = f"Terms!$B${asof_row}"
    book.sheets.append(terms)

    # Tests ---------------------------------------------------------------
    tests = Sheet("Tests", widths={0: 24, 1: 14, 2: 14, 3: 14, 4: 14, 5: 10, 6: 14, 7: 8, 8: 70})
    tests.row("A1", ["Test", "Comparator", "Threshold", "Actual", "Force Majeure"], "header")
    rows = [("Building Test", "AT_LEAST", 120, 118, False, "§2(a): at least 120 Buildings. Actual 118 is ILLUSTRATIVE."),
            ("Total Revenue Test", "AT_LEAST", 30565643, 31000000, False,
             "§2(b): minimum $30,565,643. Actual ILLUSTRATIVE."),
            ("New Revenue Test", "AT_LEAST", 949719, 949719, False,
             "§2(c): minimum $949,719. Actual exactly at the threshold (ILLUSTRATIVE): not a default."),
            ("EBITDA Loss Test", "AT_MOST", 8165010, 8165010, False,
             "§2(d): losses in excess of $8,165,010. Loss exactly at it (ILLUSTRATIVE): not a default.")]
    for i, (name, comp, thr, act, fm, note) in enumerate(rows, start=2):
        tests.row(f"A{i}", [name, comp, thr, act, fm], [None, None, "input_int", "input_int", "input"])
        tests.put(f"J{i}", note, "illustrative")
    tests.put("J1", "Source / data", "header")
    book.names["Tests"] = "Tests!$A$1:$E$5"
    tests.put("A8", "Performance defaults (WARRANT_DEFAULTS spills below)", "title")
    tests.put("A9", "=WARRANT_DEFAULTS(Terms,Tests)")
    tests.col_formats = {1: "int", 2: "int"}
    tests.row("H9", ["Expected Default", "Check", "Derivation"], "header")
    tests.widths[7] = 16
    exp_default = [("TRUE", "§2(a): 118 < 120 buildings: a Performance Default."),
                   ("FALSE", "§2(b): $31,000,000 >= $30,565,643."),
                   ("FALSE", "§2(c): exactly at $949,719 is not a failure to generate the minimum."),
                   ("FALSE", "§2(d): a loss exactly $8,165,010 is not \"in excess of\" it.")]
    for i, (exp, note) in enumerate(exp_default, start=10):
        tests.put(f"H{i}", f"={exp}")
        tests.put(f"I{i}", f"=AND(D{i}=H{i},E{i}=FALSE)", "check")
        tests.put(f"J{i}", note, "note")

    tests.put("A16", "Exercisability (§1(a), §2)", "title")
    tests.row("A17", ["As of", "Result", "Expected", "Check", "Derivation"], "header")
    ex_rows = [
        ("=AsOf", "=TRUE", "§1(a): 2004-12-31 is inside the Exercise Period; §2(a) default (118 < 120); no §2(e) fact."),
        (dt.date(2001, 12, 30), "=FALSE", "§1(a): the period starts December 31, 2001: not yet exercisable."),
        (dt.date(2001, 12, 31), "=TRUE", "§1(a): first day of the Exercise Period."),
        (dt.date(2005, 2, 7), "=TRUE", "§1(a): a date alone means that day before the 5:00 p.m. cut-off (docs/interpretations.md)."),
        (dt.date(2005, 2, 8), "=FALSE", "§1(a): after 5:00 p.m. on 2005-02-07: expired."),
    ]
    for i, (when, exp, note) in enumerate(ex_rows, start=18):
        tests.put(f"A{i}", when, "date")
        tests.put(f"B{i}", f"=WARRANT_EXERCISABLE(Terms,Tests,A{i},Facts)")
        tests.put(f"C{i}", exp)
        tests.put(f"D{i}", f"=B{i}=C{i}", "check")
        tests.put(f"E{i}", note, "note")
    tests.put("A23", "Status sentence")
    tests.put("B23", "=WARRANT_STATUS(Terms,Tests,AsOf,Facts)")
    tests.put("C23", "Exercisable:")
    tests.put("D23", "=LEFT(B23,12)=C23", "check")
    tests.put("E23", "The sentence starts \"Exercisable:\" and names §2(a) Building Test default, 118 buildings < 120.", "note")

    # §2(e) and §2(f) scenarios: other facts (Facts!A5:B13) and a Force Majeure copy of the tests (A35:E39)
    tests.put("A26", "§2(e), §2(f) scenarios (ILLUSTRATIVE facts)", "title")
    tests.row("A27", ["As of", "Result", "Expected", "Check", "Derivation"], "header")
    scen = [
        ("=AsOf", "Facts!A5:B6", "=FALSE", "§2(e): a Realized Valuation Event on 2001-12-31 (on or before the cutoff): never exercisable."),
        ("=AsOf", "Facts!A8:B9", "=TRUE", "§2(e): a Realized Valuation Event on 2002-01-01 is after 2001-12-31: no bar."),
        ("=AsOf", "Facts!A11:B12", "=FALSE", "§2(e): a Financing/IRR Warrant exercised or waived 2003-06-30, before 2004-12-31: no longer exercisable."),
        (dt.date(2003, 6, 27), "Facts!A11:B12", "=TRUE", "§2(e): on 2003-06-27, prior to that exercise or waiver: exercisable."),
    ]
    for i, (when, facts_rng, exp, note) in enumerate(scen, start=28):
        tests.put(f"A{i}", when, "date")
        tests.put(f"B{i}", f"=WARRANT_EXERCISABLE(Terms,Tests,A{i},{facts_rng})")
        tests.put(f"C{i}", exp)
        tests.put(f"D{i}", f"=B{i}=C{i}", "check")
        tests.put(f"E{i}", note, "note")
    tests.put("A32", "=AsOf", "date")
    tests.put("B32", "=WARRANT_EXERCISABLE(Terms,A35:E39,A32,Facts)")
    tests.put("C32", "=FALSE")
    tests.put("D32", "=B32=C32", "check")
    tests.put("E32", "§2(f): the only default (Building Test) is caused by Force Majeure (A35:E39): excused, so no Performance Default.", "note")
    tests.row("A35", ["Test", "Comparator", "Threshold", "Actual", "Force Majeure"], "header")
    for i, (name, comp, thr, act, fm, note) in enumerate(rows, start=36):
        tests.row(f"A{i}", [name, comp, thr, act, name == "Building Test"], [None, None, "input_int", "input_int", "input"])
    tests.put("F36", "ILLUSTRATIVE: Force Majeure marked on the Building Test.", "illustrative")
    tests.put("A41", "§2(f) first limb: Force Majeure periods (ILLUSTRATIVE facts)", "title")
    tests.row("A42", ["As of", "Result", "Expected", "Check", "Derivation"], "header")
    for i, (facts_rng, exp, note) in enumerate((
            ("Facts!A14:B15", "=FALSE", "§2(f): a Force Majeure period from 2001-12-01, still in progress (To blank), includes the "
                                        "Test Date 2001-12-31: no Performance Default is deemed to occur, so not exercisable."),
            ("Facts!A17:B18", "=TRUE", "§2(f): a period 2002-01-02 to 2002-03-31 does not include the Test Date: changes nothing.")),
            start=43):
        tests.put(f"A{i}", "=AsOf", "date")
        tests.put(f"B{i}", f"=WARRANT_EXERCISABLE(Terms,Tests,A{i},{facts_rng})")
        tests.put(f"C{i}", exp)
        tests.put(f"D{i}", f"=B{i}=C{i}", "check")
        tests.put(f"E{i}", note, "note")
    book.sheets.append(tests)

    # Facts ---------------------------------------------------------------
    facts = Sheet("Facts", widths={0: 36, 1: 14, 2: 90})
    facts.put("A1", "Other Warrant Exercised Or Waived")
    facts.put("B1", None, "input_date")
    facts.put("C1", "§2(e): date a Financing or IRR Warrant was exercised or waived (blank = none). ILLUSTRATIVE: none.", "illustrative")
    facts.put("A2", "Realized Valuation Event")
    facts.put("C2", "§2(e): date of a Realized Valuation Event (blank = none); one on or before 2001-12-31 bars exercise. ILLUSTRATIVE: none.", "illustrative")
    book.names["Facts"] = "Facts!$A$1:$B$2"
    facts.put("A4", "Scenarios for Tests!A28:B31 (ILLUSTRATIVE)", "title")
    for r0, other, rve in ((5, None, dt.date(2001, 12, 31)), (8, None, dt.date(2002, 1, 1)),
                           (11, dt.date(2003, 6, 30), None)):
        facts.put(f"A{r0}", "Other Warrant Exercised Or Waived")
        facts.put(f"A{r0 + 1}", "Realized Valuation Event")
        if other is not None:
            facts.put(f"B{r0}", other, "input_date")
        if rve is not None:
            facts.put(f"B{r0 + 1}", rve, "input_date")
    facts.put("A13", "Force Majeure periods for Tests!A43:B44 (ILLUSTRATIVE; more periods: Force Majeure From 2 | To 2, ...)", "title")
    for r0, start, end in ((14, dt.date(2001, 12, 1), None), (17, dt.date(2002, 1, 2), dt.date(2002, 3, 31))):
        facts.put(f"A{r0}", "Force Majeure From")
        facts.put(f"B{r0}", start, "input_date")
        facts.put(f"A{r0 + 1}", "Force Majeure To")
        if end is not None:
            facts.put(f"B{r0 + 1}", end, "input_date")
        else:
            facts.put(f"C{r0 + 1}", "blank: the period is still in progress", "note")
    book.sheets.append(facts)

    # Events --------------------------------------------------------------
    ev = Sheet("Events", widths={0: 11, 1: 16, 2: 11, 3: 8, 4: 12, 5: 12, 6: 12, 7: 12, 8: 8, 9: 8, 10: 30,
                                 11: 2, 12: 17, 13: 18, 14: 16, 15: 7, 16: 120})
    ev.row("A1", EVENT_HEADERS, "header")
    ev.row("M1", ["Expected Status", "Expected Price After", "Expected Shares After", "Check",
                  "Derivation (hand, from §4; ILLUSTRATIVE ledger: the seed gives no capital events)"], "header")
    n = len(D1_EVENTS)
    for i, e in enumerate(D1_EVENTS, start=2):
        cells = list(e[:11])
        fm = ["date", None, "int", None, "money", "money", "int", None, None, "input_money", None]
        for j, v in enumerate(cells):
            if v is not None:
                ev.put(xl_rowcol_to_cell(i - 1, j), v, fm[j])
        status, price, shares, note = e[11:]
        ev.put(f"M{i}", status)
        ev.put(f"N{i}", price, "price")
        ev.put(f"O{i}", shares, "shares")
        trail_check(ev, i, "M", "N", "O")
        ev.put(f"Q{i}", note, "note")
    book.names["Events"] = f"Events!$A$1:$K${n + 1}"
    book.sheets.append(ev)

    # Exercise ------------------------------------------------------------
    x = Sheet("Exercise", widths={0: 26, 1: 40, 2: 2, 3: 22, 4: 7, 5: 100})
    xin = [("Exercise Date", dt.date(2004, 6, 15), "input_date"), ("Shares", "ALL", "input"),
           ("Payment Date", dt.date(2004, 6, 15), "input_date"), ("Method", "CASH", "input"),
           ("Cash Paid", None, "input_money"), ("Surrendered Shares Acquired", None, "input_date"),
           ("Fair Value", None, "input_money")]
    x.put("A1", "Exercise (key/value, named Exercise) - ILLUSTRATIVE request", "title")
    for i, (k, v, f) in enumerate(xin, start=2):
        x.put(f"A{i}", k)
        if v is not None:
            x.put(f"B{i}", v, f)
    book.names["Exercise"] = f"Exercise!$A$2:$B${len(xin) + 1}"
    x.put("A11", "Market (key/value, named Market) - ILLUSTRATIVE quotes", "title")
    mk = [("Venue", "OTC", "input"), ("Quote Date", dt.date(2004, 6, 14), "input_date"), ("Low Bid", 0.05, "input_money"),
          ("High Asked", 0.07, "input_money"), ("Closing Price", None, "input_money"), ("Board Fair Value", None, "input_money")]
    for i, (k, v, f) in enumerate(mk, start=12):
        x.put(f"A{i}", k)
        if v is not None:
            x.put(f"B{i}", v, f)
    book.names["Market"] = "Exercise!$A$12:$B$17"
    x.put("A20", "Settlement (WARRANT_EXERCISE spills label | value)", "title")
    x.row("A21", ["Item", "Result", None, "Expected", "Check", "Derivation"], "header")
    x.put("A22", "=WARRANT_EXERCISE(Terms,Events,Exercise,Market,Tests,Facts)")
    x.col_formats = {1: None}
    exp = [
        ("=DATE(2004,6,15)+17/24", 6, "datetime", "§1(b): immediately prior to the close of business (17:00 New York) on 2004-06-15."),
        ("=49596.595", SHARE_DIGITS, "shares", "ALL that remain on 2004-06-15: 89,596.595 - 40,000 exercised 2004-03-01 (Events row 20)."),
        ("=49596", 0, "int", "§1(c)(i): full shares, rounded down."),
        ("=0.595", SHARE_DIGITS, "shares", "§5: the fraction 49,596.595 - 49,596."),
        ("=ROUND(49596.595*0.0048,2)", 2, "money", "49,596.595 x $0.0048 (price in effect since 2003-12-01) = $238.063656 -> $238.06 (cent, half up)."),
        ("=238.06", 2, "money", "CASH: the whole aggregate price."),
        ("=0", 0, "int", "CASH: no shares surrendered (§3)."),
        ("=ROUND(0.595*(0.05+0.07)/2,2)", 2, "money", "§5 OTC: mean of low bid $0.05 and high asked $0.07 on 2004-06-14 = $0.06; 0.595 x 0.06 = $0.0357 -> $0.04."),
        ("OTC", None, None, "§5: over-the-counter quote on the trading day immediately prior (Monday 2004-06-14)."),
        ("=DATE(2004,6,15)+20", 0, "date", "§1(c): 20 calendar days after payment on 2004-06-15 = 2004-07-05."),
        ("=0", SHARE_DIGITS, "shares", "§1(c)(ii): exercised in whole: no new warrant."),
    ]
    settlement_checks(x, 22, exp)

    # a second request: part of the warrant, paid by surrendering Common Stock (§3(a))
    x.put("A35", "Second request: 20,000 shares paid by surrender (§3) - ILLUSTRATIVE (range A36:B42)", "title")
    xin2 = [("Exercise Date", dt.date(2004, 6, 15), "input_date"), ("Shares", 20000, "input_int"),
            ("Payment Date", dt.date(2004, 6, 15), "input_date"), ("Method", "SURRENDER", "input"),
            ("Cash Paid", None, "input_money"), ("Surrendered Shares Acquired", dt.date(2003, 12, 15), "input_date"),
            ("Fair Value", 0.07, "input_money")]
    for i, (k, v, f) in enumerate(xin2, start=36):
        x.put(f"A{i}", k)
        if v is not None:
            x.put(f"B{i}", v, f)
    x.row("A45", ["Item", "Result", None, "Expected", "Check", "Derivation"], "header")
    x.put("A46", "=WARRANT_EXERCISE(Terms,Events,A36:B42,Market,Tests,Facts)")
    exp2 = [
        ("=DATE(2004,6,15)+17/24", 6, "datetime", "§1(b): close of business 2004-06-15."),
        ("=20000", SHARE_DIGITS, "shares", "The request."),
        ("=20000", 0, "int", "§1(c)(i): no fraction."),
        ("=0", SHARE_DIGITS, "shares", "No fraction."),
        ("=20000*0.0048", 2, "money", "20,000 x $0.0048 = $96.00."),
        ("=20000*0.0048-INT(20000*0.0048/0.07)*0.07", 2, "money",
         "§3(a): whole shares at fair value $0.07 not exceeding $96: 1,371 x $0.07 = $95.97; cash still due $0.03."),
        ("=INT(20000*0.0048/0.07)", 0, "int", "§3(a): $96 / $0.07 = 1,371.43 -> 1,371 shares (rounded down)."),
        ("=0", 2, "money", "§5: no fraction, no cash in lieu."),
        ("no fractional share", "text", None, "§5 does not apply."),
        ("=DATE(2004,6,15)+20", 0, "date", "§1(c): 20 days after payment."),
        ("=49596.595-20000", SHARE_DIGITS, "shares",
         "§1(c)(ii): a new warrant for 49,596.595 - 20,000 = 29,596.595. The lot acquired 2003-12-15 qualifies on 2004-06-15 (six months, §3(a))."),
    ]
    settlement_checks(x, 46, exp2)
    _merger_exercise(x)
    _exercise_entered_twice(x)
    book.sheets.append(x)

    # Trail ---------------------------------------------------------------
    tr = trail_sheet()
    last = n + 1
    tr.charts.append({
        "at": f"B{last + 3}", "title": "D-1: Per Share Exercise Price and Warrant Shares after each event",
        "series": [
            {"name": "Price after", "categories": f"=Trail!$A$2:$A${last}", "values": f"=Trail!$F$2:$F${last}",
             "marker": {"type": "circle"}},
            {"name": "Warrant Shares after", "categories": f"=Trail!$A$2:$A${last}",
             "values": f"=Trail!$H$2:$H${last}", "y2_axis": True, "marker": {"type": "square"}},
        ],
        "x_axis": {"name": "Event date", "date_axis": True, "num_format": "yyyy-mm", "major_unit": 6,
                   "major_unit_type": "months"},
        "y_axis": {"name": "Price ($ per share)", "num_format": "0.000"},
        "y2_axis": {"name": "Warrant Shares", "num_format": "#,##0"},
    })
    book.sheets.append(tr)

    # Results -------------------------------------------------------------
    rs = Sheet("Results", widths={0: 44, 1: 20, 2: 20, 3: 7, 4: 110})
    rs.row("A1", ["Result", "Value", "Expected", "Check", "Derivation"], "header")
    res = [
        ("Per Share Exercise Price as of AsOf (per successor unit)", "=WARRANT_PRICE(Terms,Events,AsOf)", "=0.0048*2",
         PRICE_DIGITS, "price", "Events rows 2-22: $0.0048 (§4(g)(ii), 2003-12-01) x 2 by the 1-for-2 merger (§4(b), 2004-10-01)."),
        ("Warrant Shares as of AsOf (successor units)", "=WARRANT_SHARES(Terms,Events,AsOf)", "=(161290*1.01*2*1.1/4-40000)/2",
         SHARE_DIGITS, "shares", "161,290 x 1.01 (§4(c), made with the split) x 2 (§4(b)) x 1.1 (§4(c) rights) / 4 (combination) - 40,000 exercised, / 2 (merger)."),
        ("Aggregate exercise price", "=B2*B3", "=238.063656", 6, "price",
         "Unchanged by the merger: 49,596.595 x $0.0048 = 24,798.2975 x $0.0096 = $238.063656."),
        ("§4(h) lowest price calculable (today's units)", "=MIN(B2,Trail!F22)", "=0.0096", PRICE_DIGITS, "price",
         "Restated through the later combination and merger, the lowest price made equals the price in effect ($0.0096 per unit)."),
        ("Price as of 2001-12-31", "=WARRANT_PRICE(Terms,Events,DATE(2001,12,31))", "=(3000+500)/1000000", PRICE_DIGITS,
         "price", "Events rows 2-9: last adjustment CONV-1 at $0.0035 (§4(e), §4(f)(ii))."),
        ("Shares as of 2001-12-31", "=WARRANT_SHARES(Terms,Events,DATE(2001,12,31))", "=161290*1.01*2", SHARE_DIGITS,
         "shares", "161,290 x 1.01 x 2 = 325,805.8."),
        ("Price as of 2003-03-01", "=WARRANT_PRICE(Terms,Events,DATE(2003,3,1))", "=0.003/1.1*4", PRICE_DIGITS, "price",
         "After the 1-for-4 combination: $0.003/1.1 x 4 = $0.0109090909..."),
        ("Shares as of 2003-03-01", "=WARRANT_SHARES(Terms,Events,DATE(2003,3,1))", "=161290*1.01*2*1.1/4", SHARE_DIGITS,
         "shares", "325,805.8 x 1.1 / 4 = 89,596.595."),
        ("Price as of 2004-06-15 (Common Stock)", "=WARRANT_PRICE(Terms,Events,DATE(2004,6,15))", "=0.0048", PRICE_DIGITS,
         "price", "§4(g)(ii) Board adjustment 2003-12-01; the 2004-03-15 issue at $0.006 does not lower it."),
        ("Price before any event (2001-02-28)", "=WARRANT_PRICE(Terms,Events,DATE(2001,2,28))", "=0.01", PRICE_DIGITS,
         "price", "Preamble: $.01 per share."),
        ("Stated outstanding mismatch flagged on trail row 21", '=COUNTIF(Trail!I21,"*differs from the carried count 6,190,000*")',
         "=1", 0, None, "Events row 21 states 6,800,000 outstanding; carried 6,190,000 (Events rows 2-20; the row 15 rights are not outstanding, §4(c)): the row is flagged, the stated count used."),
    ]
    for i, (label, formula, expected, digits, fmt, note) in enumerate(res, start=2):
        check_row(rs, i, formula, expected, note, digits, label=label, fmt=fmt)
    book.sheets.append(rs)

    groups = [
        ("Events (trail rows vs hand derivation)", f"Events!P2:P{n + 1}", f"Trail!A1:I{n + 1}"),
        ("Performance defaults", "Tests!I10:I13", "Tests!A9:F13"),
        ("Exercisability", "Tests!D18:D23", "Tests!B18:B23"),
        ("§2(e), §2(f) scenarios", "Tests!D28:D32", "Tests!B28:B32"),
        ("Exercise calculator", "Exercise!E22:E32", "Exercise!A22:B32"),
        ("Exercise by surrender", "Exercise!E46:E56", "Exercise!A46:B56"),
        ("Exercise after the merger", "Exercise!E70:E82", "Exercise!A70:B82"),
        ("Exercise entered twice", "Exercise!E93:E104", "Exercise!A93:B104"),
        ("§2(f) Force Majeure periods", "Tests!D43:D44", "Tests!B43:B44"),
        ("Results", "Results!D2:D12", "Results!B2:B12"),
    ]
    checks_sheet(book, groups, [
        ("Per Share Exercise Price (AsOf)", "=Results!B2", "price"),
        ("Warrant Shares (AsOf)", "=Results!B3", "shares"),
        ("Aggregate exercise price (exact, before the cent)", "=Results!B4", "price"),
        ("Exercisable (AsOf)", "=Tests!B18", None),
        ("Status", "=Tests!B23", None),
        ("Exercise: full shares issued", "=Exercise!B24", "int"),
        ("Exercise: cash due", "=Exercise!B27", "money"),
        ("Exercise: fraction cash", "=Exercise!B29", "money"),
        ("Checks passing", f"=C{4 + len(groups)}", None),
        ("Checks failing", f"=D{4 + len(groups)}", None),
        ("Error cells", f"=E{4 + len(groups)}", None),
    ])
    _xlconf(book)
    return book


# ----------------------------------------------------------------------------- generic_warrant.xlsx

GENERIC_TERMS = [
    # label, value, format, note. No Preset: every term is this warrant's own; the rest are plain defaults.
    ("Warrant", "GW-1", None, "ILLUSTRATIVE: a plain modern warrant, not D-1."),
    ("Instrument", "Warrant to Purchase Common Stock No. GW-1", None, "ILLUSTRATIVE: the document's title."),
    ("Holder", "Example Capital LP", None, "ILLUSTRATIVE."),
    ("Issuer", "Example Robotics, Inc.", None, "ILLUSTRATIVE."),
    ("Issuer Address", "100 Example Avenue, Springfield", None, "ILLUSTRATIVE."),
    ("Issue Date", dt.date(2021, 3, 1), "input_date", "Required: the Original Issue Date."),
    ("Warrant Shares", 100000, "input_int", "Required."),
    ("Exercise Price", 2, "input_money", "Required: $2.00 per share."),
    ("Exercise Start", dt.date(2021, 3, 1), "input_date", "Required by the exercise functions."),
    ("Exercise End", dt.date(2028, 3, 1), "input_date", "Required by the exercise functions (5:00 p.m. New York time by default)."),
    ("Anti-Dilution", "BROAD_WEIGHTED_AVERAGE", "input", "Required: CP2 = CP1 x (A + B) / (A + C), A = fully diluted."),
    ("Share Adjustment", "KEEP_AGGREGATE", "input", "Shares move so that shares x price stays the same."),
    ("Common Outstanding", 10000000, "input_int", "ILLUSTRATIVE: Common outstanding at the Issue Date."),
    ("Fully Diluted", 12000000, "input_int", "ILLUSTRATIVE: fully diluted at the Issue Date."),
    ("Delivery Days", 3, "input_int", "ILLUSTRATIVE: shares delivered within 3 calendar days of payment."),
]
# Date, Event, Shares, Ratio, Consideration; then status, price after, shares after, derivation (by hand).
GENERIC_EVENTS = [
    (dt.date(2022, 1, 10), "ISSUE", 2000000, None, 3000000,
     "APPLIED", "=2*(12000000+3000000/2)/(12000000+2000000)", "=100000*2/(27/14)",
     "$3,000,000 / 2,000,000 = $1.50 < $2.00. Broad weighted average: A = 12,000,000 fully diluted, "
     "B = $3,000,000 / $2.00 = 1,500,000, C = 2,000,000: $2 x 13,500,000 / 14,000,000 = 27/14 = $1.928571...; "
     "KEEP_AGGREGATE: 100,000 x 2 / (27/14) = 2,800,000/27 = 103,703.7037... O 12,000,000, FD 14,000,000."),
    (dt.date(2022, 6, 1), "SPLIT", None, "2-for-1", None,
     "APPLIED", "=27/14/2", "=2800000/27*2",
     "2-for-1 split: price / 2 = 27/28, shares x 2 = 5,600,000/27. O 24,000,000, FD 28,000,000."),
    (dt.date(2023, 2, 1), "STOCK_DIVIDEND", 2400000, None, None,
     "APPLIED", "=27/28*24000000/26400000", "=5600000/27*26400000/24000000",
     "Stock dividend of 2,400,000 shares on 24,000,000 outstanding (10%): price x 24/26.4 = 135/154 = $0.876623..., "
     "shares x 1.1 = 6,160,000/27 = 228,148.148..."),
    (dt.date(2023, 9, 1), "ISSUE", 1000000, None, 1000000,
     "NO_EFFECT", "=135/154", "=6160000/27",
     "$1,000,000 / 1,000,000 = $1.00 is not less than $0.876623: no adjustment."),
]


def generic_book() -> Book:
    """A plain broad-weighted-average warrant typed from scratch: its own terms, no preset, checks by hand."""
    book = Book("generic_warrant.xlsx", [], {})
    n_terms = len(GENERIC_TERMS)
    terms = Sheet("Terms", widths={0: 22, 1: 40, 2: 70, 3: 2, 4: 28, 5: 40, 6: 10})
    terms.row("A1", ["Term", "Value", "Note"], "header")
    for i, (label, value, fmt, note) in enumerate(GENERIC_TERMS, start=2):
        terms.put(f"A{i}", label)
        terms.put(f"B{i}", value, fmt or "input")
        terms.put(f"C{i}", note, "illustrative" if note.startswith("ILLUSTRATIVE") else "note")
    asof_row = n_terms + 3
    terms.put(f"A{asof_row}", "As Of", "header")
    terms.put(f"B{asof_row}", dt.date(2024, 12, 31), "input_date")
    book.names["Terms"] = f"Terms!$A$2:$B${n_terms + 1}"
    book.names["AsOf"] = f"Terms!$B${asof_row}"
    terms.put("E1", "=WARRANT_TERMS(Terms)")  # every term the engine uses, and where it came from
    book.sheets.append(terms)

    ev = Sheet("Events", widths={0: 11, 1: 16, 2: 12, 3: 8, 4: 14, 5: 2, 6: 16, 7: 18, 8: 18, 9: 7, 10: 120})
    ev.row("A1", ["Date", "Event", "Shares", "Ratio", "Consideration"], "header")
    ev.row("G1", ["Expected Status", "Expected Price After", "Expected Shares After", "Check",
                  "Derivation (by hand; ILLUSTRATIVE ledger)"], "header")
    n = len(GENERIC_EVENTS)
    for i, e in enumerate(GENERIC_EVENTS, start=2):
        ev.row(f"A{i}", list(e[:5]), ["date", None, "int", None, "money"])
        status, price, shares, note = e[5:]
        ev.put(f"G{i}", status)
        ev.put(f"H{i}", price, "price")
        ev.put(f"I{i}", shares, "shares")
        trail_check(ev, i, "G", "H", "I")
        ev.put(f"K{i}", note, "note")
    book.names["Events"] = f"Events!$A$1:$E${n + 1}"
    book.sheets.append(ev)

    book.sheets.append(trail_sheet())

    x = Sheet("Exercise", widths={0: 26, 1: 40, 2: 2, 3: 22, 4: 7, 5: 100})
    x.put("A1", "Exercise (key/value, named Exercise) - ILLUSTRATIVE request", "title")
    xin = [("Exercise Date", dt.date(2024, 6, 17), "input_date"), ("Shares", 50000, "input_int"),
           ("Payment Date", dt.date(2024, 6, 17), "input_date"), ("Method", "CASH", "input")]
    for i, (k, v, f) in enumerate(xin, start=2):
        x.put(f"A{i}", k)
        x.put(f"B{i}", v, f)
    book.names["Exercise"] = f"Exercise!$A$2:$B${len(xin) + 1}"
    x.row("A8", ["Item", "Result", None, "Expected", "Check", "Derivation"], "header")
    x.put("A9", "=WARRANT_EXERCISE(Terms,Events,Exercise)")
    exp = [
        ("=DATE(2024,6,17)+17/24", 6, "datetime", "Effective at the close of business (the terms' 17:00 New York time)."),
        ("=50000", SHARE_DIGITS, "shares", "The request."),
        ("=50000", 0, "int", "Whole shares: no fraction."),
        ("=0", SHARE_DIGITS, "shares", "No fraction."),
        ("=ROUND(50000*135/154,2)", 2, "money", "50,000 x 135/154 = $43,831.168831... -> $43,831.17 (cent, half up)."),
        ("=ROUND(50000*135/154,2)", 2, "money", "CASH: the whole aggregate price."),
        ("=0", 0, "int", "CASH: nothing surrendered."),
        ("=0", 2, "money", "No fraction, no cash in lieu."),
        ("no fractional share", "text", None, "No fraction."),
        ("=DATE(2024,6,17)+3", 0, "date", "Delivery Days 3: 2024-06-20."),
        ("=6160000/27-50000", SHARE_DIGITS, "shares", "228,148.148... - 50,000 = 4,810,000/27 = 178,148.148... remain."),
    ]
    settlement_checks(x, 9, exp)
    x.col_formats = {1: None}
    book.sheets.append(x)

    rs = Sheet("Results", widths={0: 44, 1: 20, 2: 20, 3: 7, 4: 110})
    rs.row("A1", ["Result", "Value", "Expected", "Check", "Derivation"], "header")
    last_terms = len(TERMS_LABELS) + 1  # WARRANT_TERMS: a header, then one row per terms label
    res = [
        ("Per Share Exercise Price as of AsOf", "=WARRANT_PRICE(Terms,Events,AsOf)", "=135/154", PRICE_DIGITS, "price",
         "Events rows 2-5: $2 x 27/28 (broad weighted average) / 2 (split) x 10/11 (dividend) = 135/154."),
        ("Warrant Shares as of AsOf", "=WARRANT_SHARES(Terms,Events,AsOf)", "=6160000/27", SHARE_DIGITS, "shares",
         "100,000 x 28/27 (KEEP_AGGREGATE) x 2 x 1.1 = 6,160,000/27."),
        ("Aggregate exercise price", "=B2*B3", "=200000", 6, "money",
         "KEEP_AGGREGATE and splits/dividends keep shares x price: 100,000 x $2.00 = $200,000."),
        ("Price as of 2022-03-01", "=WARRANT_PRICE(Terms,Events,DATE(2022,3,1))", "=27/14", PRICE_DIGITS, "price",
         "After the first issue only."),
        ("Exercisable 2021-02-28", "=WARRANT_EXERCISABLE(Terms,,DATE(2021,2,28))", "=FALSE", None, None,
         "Before Exercise Start 2021-03-01."),
        ("Exercisable 2024-06-17", "=WARRANT_EXERCISABLE(Terms,,DATE(2024,6,17))", "=TRUE", None, None,
         "Inside the Exercise Period; no performance condition (the default)."),
        ("Exercisable 2028-03-01", "=WARRANT_EXERCISABLE(Terms,,DATE(2028,3,1))", "=TRUE", None, None,
         "The last day: a date alone means that day before the 5:00 p.m. cut-off."),
        ("Exercisable 2028-03-02", "=WARRANT_EXERCISABLE(Terms,,DATE(2028,3,2))", "=FALSE", None, None,
         "After Exercise End: expired."),
        ("Terms taken from a preset", f'=COUNTIF(Terms!G2:G{last_terms},"preset")', "=0", 0, None,
         "No Preset row: no term comes from D-1 or any other warrant (WARRANT_TERMS, Source column)."),
        ("Terms typed here", f'=COUNTIF(Terms!G2:G{last_terms},"given")', f"={len(GENERIC_TERMS)}", 0, None,
         f"The {len(GENERIC_TERMS)} labels of the terms block."),
    ]
    for i, (label, formula, expected, digits, fmt, note) in enumerate(res, start=2):
        check_row(rs, i, formula, expected, note, digits, label=label, fmt=fmt)
    book.sheets.append(rs)

    last = len(res) + 1
    checks_sheet(book, [
        ("Events (trail rows vs hand derivation)", f"Events!J2:J{n + 1}", f"Trail!A1:I{n + 1}"),
        ("Exercise", "Exercise!E9:E19", "Exercise!A9:B19"),
        ("Results", f"Results!D2:D{last}", f"Results!B2:B{last}"),
    ], [
        ("Per Share Exercise Price (AsOf)", "=Results!B2", "price"),
        ("Warrant Shares (AsOf)", "=Results!B3", "shares"),
        ("Exercise 2024-06-17: cash due", "=Exercise!B14", "money"),
        ("Checks passing", "=C7", None),
        ("Checks failing", "=D7", None),
        ("Error cells", "=E7", None),
    ])
    _xlconf(book)
    return book


# ----------------------------------------------------------------------------- series_c_reallocation.xlsx

def series_c_book() -> Book:
    book = Book("series_c_reallocation.xlsx", [], {})
    op = Sheet("Optionees", widths={0: 40, 1: 12, 2: 10, 3: 14, 4: 24, 5: 2, 6: 100})
    op.row("A1", ["Optionee", "Allocation", "Exercised", "Agreed Shares", "Assigned From"], "header")
    op.put("G1", "Source", "header")
    rows = [
        ("TCW/CCI Holding LLC", 300000, True, None, None,
         "Recital: TCW/CCI Holding LLC, an exercising Optionee. Allocation 300,000 is ILLUSTRATIVE (the seed gives none)."),
        ("Exercising Optionee (illustrative)", 100000, True, None, None, ILLUSTRATIVE + " Another exercising Optionee."),
        ("Non-exercising Optionee (illustrative)", 100000, False, None, None,
         "Recital: \"one of the Optionees did not exercise its portion\". Allocation ILLUSTRATIVE."),
        ("John E. Avery", 0, True, 33689, "TCW/CCI Holding LLC", "Signature page: John E. Avery, 33,689 Shares."),
        ("Scott Family Investors, LLC", 0, True, 33689, "TCW/CCI Holding LLC",
         "Signature page: Scott Family Investors, LLC (John W. Scott), 33,689 Shares."),
        ("Ernesto Ramon", 0, True, 4043, "TCW/CCI Holding LLC", "Signature page: Ernesto Ramon, 4,043 Shares."),
    ]
    for i, (name, alloc, ex, agreed, frm, src) in enumerate(rows, start=2):
        op.row(f"A{i}", [name, alloc, ex, agreed, frm], [None, "input_int", "input", "input_int", None])
        op.put(f"G{i}", src, "illustrative" if "ILLUSTRATIVE" in src else "note")
    op.put("A9", "Purchase Price per Option Share")
    op.put("B9", 7.5, "input_money")
    op.put("G9", "§2: \"$7.50 per Option Share (the 'Purchase Price')\"; Series C Convertible Preferred.", "note")
    book.names["Optionees"] = "Optionees!$A$1:$E$7"
    book.names["Price"] = "Optionees!$B$9"
    book.sheets.append(op)

    rl = Sheet("Reallocation", widths={0: 40, 1: 12, 2: 10, 3: 12, 4: 12, 5: 12, 6: 16, 7: 2, 8: 14, 9: 16, 10: 7, 11: 110})
    rl.put("A1", "=OPTION_REALLOCATE(Optionees,Price)")
    rl.col_formats = {1: "int", 3: "int", 4: "int", 5: "int", 6: "money"}
    rl.row("I1", ["Expected Shares", "Expected Purchase Price", "Check", "Derivation (hand)"], "header")
    exp = [
        ("=75000-71421", "=(75000-71421)*7.5",
         "Unexercised 100,000 pro rata 300,000 : 100,000 -> 75,000; assigns 33,689 + 33,689 + 4,043 = 71,421 to the Investors "
         "(Waiver and Acknowledgment), keeps 3,579 x $7.50 = $26,842.50."),
        ("=25000", "=25000*7.5", "100,000 x 100,000/400,000 = 25,000 x $7.50 = $187,500.00."),
        ("=0", "=0", "Did not exercise: nothing."),
        ("=33689", "=33689*7.5", "Signature page: 33,689 x $7.50 = $252,667.50."),
        ("=33689", "=33689*7.5", "Signature page: 33,689 x $7.50 = $252,667.50."),
        ("=4043", "=4043*7.5", "Signature page: 4,043 x $7.50 = $30,322.50."),
        ("=100000", "=100000*7.5", "Total: the whole unexercised portion, 100,000 x $7.50 = $750,000.00."),
    ]
    for i, (s, p, note) in enumerate(exp, start=2):
        rl.put(f"I{i}", s, "int")
        rl.put(f"J{i}", p, "money")
        rl.put(f"K{i}", f"=AND(ROUND(F{i},6)=ROUND(I{i},6),ROUND(G{i},2)=ROUND(J{i},2))", "check")
        rl.put(f"L{i}", note, "note")
    rl.put("A11", "The Investors under the Agreement (§2)", "title")
    rl.row("A12", ["Item", "Result", "Expected", "Check", "Derivation"], "header")
    check_row(rl, 13, "=SUM(F5:F7)", "=33689+33689+4043", "§2: \"the purchase of the 71,421 Option Shares\".", 0,
              label="Option Shares bought by the Investors", fmt="int")
    check_row(rl, 14, "=SUM(G5:G7)", "=71421*7.5", "§2: 71,421 x $7.50 = $535,657.50.", 2,
              label="Purchase Price paid by the Investors", fmt="money")
    check_row(rl, 15, "=G5", "=252667.5", "John E. Avery: 33,689 x $7.50.", 2, label="John E. Avery pays", fmt="money")
    check_row(rl, 16, "=G7", "=30322.5", "Ernesto Ramon: 4,043 x $7.50.", 2, label="Ernesto Ramon pays", fmt="money")
    book.sheets.append(rl)

    checks_sheet(book, [
        ("Reallocation rows", "Reallocation!K2:K8", "Reallocation!A1:G8"),
        ("Investors' purchase", "Reallocation!D13:D16", "Reallocation!B13:B16"),
    ], [
        ("Investors' Option Shares", "=Reallocation!B13", "int"),
        ("Investors' Purchase Price", "=Reallocation!B14", "money"),
        ("John E. Avery", "=Reallocation!G5", "money"),
        ("Scott Family Investors, LLC", "=Reallocation!G6", "money"),
        ("Ernesto Ramon", "=Reallocation!G7", "money"),
        ("Checks passing", "=C6", None),
        ("Checks failing", "=D6", None),
        ("Error cells", "=E6", None),
    ])
    _xlconf(book)
    return book


# ----------------------------------------------------------------------------- warrant_register.xlsx

REGISTER_SIZE = 10_000
ISSUE_DATE = dt.date(2001, 2, 7)  # the series' Original Issue Date (ILLUSTRATIVE: D-1's date)
PRICES = (Fraction(1, 2), Fraction(1), Fraction(2), Fraction(4))
METHODS = ("FULL_RATCHET", "BROAD_WEIGHTED_AVERAGE", "NARROW_WEIGHTED_AVERAGE", "NONE")
SHARE_ADJ = ("NONE", "KEEP_AGGREGATE")


def register_row(i: int) -> tuple:
    """Warrant i (0-based): 32 classes of terms cycle; the share count varies."""
    p0 = PRICES[i % 4]
    method = METHODS[(i // 4) % 4]
    sa = SHARE_ADJ[(i // 16) % 2]
    shares = 1000 + 10 * (i % 997)
    return f"W-{i + 1:05d}", shares, p0, method, sa


def register_expected(p0: Fraction, method: str, sa: str, s0: int) -> tuple[Fraction, Fraction]:
    """The hand derivation (docs/workbooks.md) for the register's shared ledger, in closed form.

    2002-01-15 SPLIT 2-for-1: p1 = p0/2, s1 = 2 s0 (O 20,000,000, FD 24,000,000).
    2002-06-03 ISSUE 2,000,000 for $1,000,000 ($0.50 a share), only when 0.50 < p1 (§4(d)):
      FULL_RATCHET p2 = 0.50; BROAD p2 = p1 (24,000,000 + 1,000,000/p1)/26,000,000 = (24 p1 + 1)/26;
      NARROW p2 = p1 (20,000,000 + 1,000,000/p1)/22,000,000 = (20 p1 + 1)/22; NONE p2 = p1.
      KEEP_AGGREGATE: s2 = s1 p1/p2.
    2003-03-03 STOCK_DIVIDEND 2,200,000 on 22,000,000: p3 = p2/1.1, s3 = s2 x 1.1 (§4(c)).
    """
    p1, s1 = p0 / 2, Fraction(s0 * 2)
    p2 = p1
    if Fraction(1, 2) < p1:
        p2 = {"FULL_RATCHET": Fraction(1, 2), "BROAD_WEIGHTED_AVERAGE": (24 * p1 + 1) / 26,
              "NARROW_WEIGHTED_AVERAGE": (20 * p1 + 1) / 22, "NONE": p1}[method]
    s2 = s1 * p1 / p2 if sa == "KEEP_AGGREGATE" else s1
    return p2 * 10 / 11, s2 * Fraction(11, 10)


def _cents_half_up(x: Fraction) -> Fraction:
    """Money to the cent, half up (the register's Aggregate Price is rounded per warrant)."""
    return Fraction(int(x * 100 + Fraction(1, 2)), 100)


def _frac_formula(x: Fraction) -> str:
    return f"={x.numerator}/{x.denominator}" if x.denominator != 1 else f"={x.numerator}"


def register_book() -> Book:
    book = Book("warrant_register.xlsx", [], {})
    reg = Sheet("Register", widths={0: 10, 1: 14, 2: 13, 3: 26, 4: 17, 5: 18, 6: 14, 7: 11})
    # The warrants' own terms, no preset: the four required columns plus the counts the weighted averages
    # need; every other term takes the plain-warrant default (docs/catalog.md), never D-1's.
    headers = ["Warrant", "Warrant Shares", "Exercise Price", "Anti-Dilution", "Share Adjustment",
               "Common Outstanding", "Fully Diluted", "Issue Date"]
    reg.row("A1", headers, "header")
    reg.put("J1", ILLUSTRATIVE + " 10,000 warrants of a series with varied terms (32 classes cycle: price x method x "
                                 "share adjustment; share counts vary).", "illustrative")
    for i in range(REGISTER_SIZE):
        name, shares, p0, method, sa = register_row(i)
        r = i + 1
        reg.cells[(r, 0)] = Cell(name)
        reg.cells[(r, 1)] = Cell(shares)
        reg.cells[(r, 2)] = Cell(float(p0))
        reg.cells[(r, 3)] = Cell(method)
        reg.cells[(r, 4)] = Cell(sa)
        reg.cells[(r, 5)] = Cell(10_000_000)
        reg.cells[(r, 6)] = Cell(12_000_000)
        reg.cells[(r, 7)] = Cell(ISSUE_DATE, "date")
    book.names["Register"] = f"Register!$A$1:$H${REGISTER_SIZE + 1}"
    book.sheets.append(reg)

    ev = Sheet("Events", widths={0: 11, 1: 16, 2: 12, 3: 8, 4: 14, 5: 2, 6: 100})
    ev.row("A1", ["Date", "Event", "Shares", "Ratio", "Consideration"], "header")
    ev.row("A2", [dt.date(2002, 1, 15), "SPLIT", None, "2-for-1"], ["date"])
    ev.row("A3", [dt.date(2002, 6, 3), "ISSUE", 2_000_000, None, 1_000_000], ["date", None, "int", None, "money"])
    ev.row("A4", [dt.date(2003, 3, 3), "STOCK_DIVIDEND", 2_200_000], ["date", None, "int"])
    ev.put("G1", "Note", "header")
    ev.put("G2", "§4(b): 2-for-1. ILLUSTRATIVE shared ledger of the company (O 10,000,000, FD 12,000,000 at issue).", "illustrative")
    ev.put("G3", "§4(d): 2,000,000 shares for $1,000,000 = $0.50 a share. ILLUSTRATIVE.", "illustrative")
    ev.put("G4", "§4(c): 10% stock dividend on 22,000,000 outstanding. ILLUSTRATIVE.", "illustrative")
    ev.put("A6", "As Of", "header")
    ev.put("B6", dt.date(2004, 12, 31), "input_date")
    book.names["Events"] = "Events!$A$1:$E$4"
    book.names["AsOf"] = "Events!$B$6"
    book.sheets.append(ev)

    rs = Sheet("Results", widths={0: 10, 1: 16, 2: 16, 3: 18})
    rs.put("A1", "=WARRANT_REGISTER(Register,Events,AsOf)")
    rs.col_formats = {1: "price", 2: "shares", 3: "money"}
    book.sheets.append(rs)

    ck = Sheet("Classes", widths={0: 10, 1: 8, 2: 26, 3: 17, 4: 16, 5: 16, 6: 18, 7: 7, 8: 110})
    ck.row("A1", ["Warrant", "Price", "Anti-Dilution", "Share Adjustment", "Expected Price", "Result Price",
                  "Expected Shares", "Check", "Derivation (closed form by class, see register_expected)"], "header")
    total_shares = Fraction(0)
    total_aggregate = Fraction(0)
    for i in range(REGISTER_SIZE):
        name, s0, p0, method, sa = register_row(i)
        p, s = register_expected(p0, method, sa, s0)
        total_shares += s
        total_aggregate += _cents_half_up(p * s)
    for i in range(32):
        name, s0, p0, method, sa = register_row(i)
        p, s = register_expected(p0, method, sa, s0)
        r = i + 2
        ck.row(f"A{r}", [name, float(p0), method, sa], [None, "money"])
        ck.put(f"E{r}", _frac_formula(p), "price")
        ck.put(f"F{r}", f"=Results!B{r}", "price")
        ck.put(f"G{r}", _frac_formula(s), "shares")
        ck.put(f"H{r}", f"=AND(Results!A{r}=A{r},ROUND(F{r},{PRICE_DIGITS})=ROUND(E{r},{PRICE_DIGITS}),"
                        f"ROUND(Results!C{r},{SHARE_DIGITS})=ROUND(G{r},{SHARE_DIGITS}))", "check")
        p1 = p0 / 2
        how = {"FULL_RATCHET": "0.50", "BROAD_WEIGHTED_AVERAGE": "(24 p1 + 1)/26",
               "NARROW_WEIGHTED_AVERAGE": "(20 p1 + 1)/22", "NONE": "p1"}[method]
        moved = Fraction(1, 2) < p1 and method != "NONE"
        ck.put(f"I{r}", f"p1 = {float(p0)}/2 = {float(p1)}; "
                        + (f"$0.50 < p1: p2 = {how}" if moved else "no §4(d) move: p2 = p1")
                        + f"; /1.1. Shares {s0:,} x 2"
                        + (" x p1/p2" if moved and sa == "KEEP_AGGREGATE" else "") + " x 1.1.", "note")
    ck.put("A36", "Register totals", "title")
    ck.row("A37", ["Item", "Result", "Expected", "Check", "Derivation"], "header")
    n = REGISTER_SIZE + 1
    check_row(ck, 38, f"=COUNTA(Results!A2:A{n})", f"={REGISTER_SIZE}", "One row per warrant.", 0, label="Warrants")
    check_row(ck, 39, f"=SUM(Results!C2:C{n})", _frac_formula(total_shares),
              "Sum over the 10,000 rows of the closed form by class (register_expected in workbooks/build.py).",
              4, label="Total Warrant Shares", fmt="shares")
    check_row(ck, 40, f"=SUM(Results!D2:D{n})", _frac_formula(total_aggregate),
              "Sum of price x shares by the closed form, each rounded to the cent half up as the register's Aggregate Price is.",
              4, label="Total aggregate price", fmt="money")
    book.sheets.append(ck)

    checks_sheet(book, [
        ("Class samples (first 32 warrants)", "Classes!H2:H33", "Classes!F2:F33"),
        ("Register totals", "Classes!D38:D40", f"Results!A1:D{n}"),
    ], [
        ("Warrants", "=Classes!B38", "int"),
        ("Total Warrant Shares", "=Classes!B39", "shares"),
        ("Total aggregate price", "=Classes!B40", "money"),
        ("Checks passing", "=C6", None),
        ("Checks failing", "=D6", None),
        ("Error cells", "=E6", None),
    ])
    _xlconf(book)
    return book


BOOKS = (d1_book, generic_book, series_c_book, register_book)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    outdir = Path(argv[0]) if argv else HERE
    for make in BOOKS:
        path = build(make(), outdir)
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
