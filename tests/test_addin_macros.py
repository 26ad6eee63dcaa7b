"""The §4(i) certificate and Exhibit A macros, headless on an openpyxl workbook built here.

A second run must lose nothing: the first sheet it made stays as it was, a new
sheet with a new name appears, and the user's own cells are unchanged.
"""
from __future__ import annotations

import hashlib
from datetime import datetime

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

import engine
from addin.documents import macros
from addin.documents.macros import OpenpyxlBook, XlwingsBook, adjustment_certificate, purchase_form
from engine.errors import WarrantError
from tests.test_addin_catalog import D1_TERMS, EVENTS_HEADER, ev, perf_tests

EVENTS = [EVENTS_HEADER, ev(datetime(2002, 6, 3), "STOCK_DIVIDEND", shares=1_000_000.0)]


def terms_book(terms):
    """A workbook whose first sheet "Terms" holds ``terms`` (label | value) under the name Terms."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Terms"
    for i, (k, v) in enumerate(terms, start=1):
        ws.cell(i, 1, k)
        ws.cell(i, 2, v)
    wb.defined_names["Terms"] = DefinedName("Terms", attr_text=f"Terms!$A$1:$B${len(terms)}")
    return wb


def build_book(with_market=True, with_tests=True):
    wb = terms_book(D1_TERMS)
    wb["Terms"]["D1"] = "a user's note"
    led = wb.create_sheet("Ledger")
    for i, row in enumerate(EVENTS, start=1):
        for j, v in enumerate(row, start=1):
            led.cell(i, j, v)
    wb.defined_names["Events"] = DefinedName("Events", attr_text="Ledger!$A$1:$K$5")  # blank rows included
    calc = wb.create_sheet("Exercise")
    calc["A1"], calc["B1"] = "As Of", datetime(2004, 6, 15)
    wb.defined_names["AsOf"] = DefinedName("AsOf", attr_text="Exercise!$B$1")
    rows = [("Exercise Date", datetime(2004, 6, 15)), ("Shares", "ALL"), ("Method", "CASH"),
            ("Payment Date", datetime(2004, 6, 15))]
    for i, (k, v) in enumerate(rows, start=3):
        calc.cell(i, 1, k)
        calc.cell(i, 2, v)
    wb.defined_names["Exercise"] = DefinedName("Exercise", attr_text="Exercise!$A$3:$B$6")
    if with_market:
        for i, (k, v) in enumerate([("Venue", "EXCHANGE"), ("Quote Date", datetime(2004, 6, 14)),
                                    ("Closing Price", 2.5)], start=9):
            calc.cell(i, 1, k)
            calc.cell(i, 2, v)
        wb.defined_names["Market"] = DefinedName("Market", attr_text="Exercise!$A$9:$B$11")
    if with_tests:  # §2(a): 118 buildings < 120, a Performance Default, so D-1 is exercisable (§1(a))
        tests = wb.create_sheet("Tests")
        for i, row in enumerate(perf_tests(buildings=118.0), start=1):
            for j, v in enumerate(row, start=1):
                tests.cell(i, j, v)
        wb.defined_names["Tests"] = DefinedName("Tests", attr_text="Tests!$A$1:$E$5")
    return wb


def snapshot(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


def texts(ws):
    return [v for row in ws.iter_rows(values_only=True) for v in row if v is not None]


def label_value(ws, label):
    for row in ws.iter_rows(values_only=True):
        if row and row[0] == label:
            return row[1:]
    raise KeyError(label)


def test_certificate_content():
    wb = build_book()
    name = adjustment_certificate(OpenpyxlBook(wb))
    assert name == "Certificate"
    ws = wb[name]
    # §4(c): 1,000,000 dividend on 3,000,000 outstanding: $.01 x 3/4 = $0.0075; 161,290 x 4/3 = 215,053 1/3.
    price = label_value(ws, "Adjusted Per Share Exercise Price")
    assert price[:2] == (0.0075, "exact: $0.0075")
    assert ws.cell(row=_row(ws, "Adjusted Per Share Exercise Price"), column=2).number_format == "$#,##0.000000"
    shares = label_value(ws, "Warrant Shares")
    assert shares[0] == 645160 / 3 and shares[1] == "exact: 215,053 1/3"
    assert label_value(ws, "As of")[0] == datetime(2004, 6, 15)
    words = "\n".join(str(t) for t in texts(ws))
    assert "1. June 3, 2002: STOCK_DIVIDEND (§4(c), APPLIED)" in words  # the trail in words, with its clause
    assert "$0.010000 to $0.007500" in words and "161,290 to 215,053.333333" in words
    assert "Section 4(i): whenever the Per Share Exercise Price is adjusted" in words   # D-1's own clause
    assert "Performance Warrant No. D-1" in words and "Salt Lake City, Utah  84101" in words  # the preset's
    for line in ("By: ______________________________", "Name:", "Title:"):
        assert line in words
    assert label_value(ws, "Engine version")[0] == engine.__version__
    fp = label_value(ws, "Input fingerprint (SHA-256)")[0]
    assert len(fp) == 64 and all(c in "0123456789abcdef" for c in fp)
    # the terms table: every term the engine used, with its source (WARRANT_TERMS' rows)
    assert label_value(ws, "Preset")[:2] == ("D-1", "given")
    assert label_value(ws, "Instrument")[:2] == ("Performance Warrant No. D-1", "preset")
    assert label_value(ws, "Anti-Dilution")[:2] == ("FULL_RATCHET", "given")
    assert label_value(ws, "Warrant Shares at issue")[0] == 161290
    # printed one page wide: the print area spans the three columns and fits the width
    assert ws.print_area.replace("$", "").startswith("'Certificate'!A1:C")
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage


def _row(ws, label):
    return next(c.row for c in ws["A"] if c.value == label)


def test_fingerprint_reproduces_from_the_canonical_inputs():
    from addin.excel import convert as cv

    wb = build_book()
    ws = wb[adjustment_certificate(OpenpyxlBook(wb))]
    terms = cv.parse_terms(D1_TERMS)
    rows = cv.event_rows(EVENTS)
    text = macros.canonical_inputs(terms, rows, datetime(2004, 6, 15).date())
    assert label_value(ws, "Input fingerprint (SHA-256)")[0] == hashlib.sha256(text.encode()).hexdigest()
    assert '"exercise_price":"1/100"' in text and '"as_of":"2004-06-15"' in text
    # The same inputs typed differently (text instead of numbers) give the same fingerprint.
    typed = [[k, str(v) if isinstance(v, float) else v] for k, v in D1_TERMS]
    assert macros.fingerprint(cv.parse_terms(typed), rows, datetime(2004, 6, 15).date()) == \
        hashlib.sha256(text.encode()).hexdigest()


def test_second_run_loses_nothing():
    wb = build_book()
    book = OpenpyxlBook(wb)
    before = {n: snapshot(wb[n]) for n in wb.sheetnames}
    first = adjustment_certificate(book)
    first_content = snapshot(wb[first])
    second = adjustment_certificate(book, as_of="2002-06-02")  # the day before the dividend
    assert (first, second) == ("Certificate", "Certificate (2)")
    assert snapshot(wb[first]) == first_content
    for n, content in before.items():
        assert snapshot(wb[n]) == content  # user sheets and cells unchanged
    assert label_value(wb[second], "Adjusted Per Share Exercise Price")[0] == 0.01
    third = adjustment_certificate(book)
    assert third == "Certificate (3)"
    forms = [purchase_form(book), purchase_form(book)]
    assert forms == ["Purchase Form", "Purchase Form (2)"]
    assert wb.sheetnames == ["Terms", "Ledger", "Exercise", "Tests", "Certificate", "Certificate (2)", "Certificate (3)",
                             "Purchase Form", "Purchase Form (2)"]


def test_a_user_sheet_named_certificate_is_never_touched():
    wb = build_book()
    wb.create_sheet("certificate")["A1"] = "mine"  # Excel compares sheet names case-insensitively
    name = adjustment_certificate(OpenpyxlBook(wb))
    assert name == "Certificate (2)" and wb["certificate"]["A1"].value == "mine"


def test_purchase_form_content():
    wb = build_book()
    ws = wb[purchase_form(OpenpyxlBook(wb))]
    words = "\n".join(str(t) for t in texts(ws))
    assert "EXHIBIT A: PURCHASE FORM" in words
    # Exhibit A's election, filled with the engine's numbers: ALL = 215,053 1/3 Warrant Shares after the
    # §4(c) dividend, at $0.0075 = $1,612.90 (645,160/3 x 3/400).
    assert ("the undersigned hereby irrevocably elects to purchase 215,053.333333 (exactly 215,053 1/3) shares "
            "of the Common Stock covered by such Performance Warrant") in words
    assert label_value(ws, "Per Share Exercise Price")[0] == 0.0075
    assert label_value(ws, "Aggregate Price")[0] == 1612.9
    assert label_value(ws, "Full shares to be issued (§1(c)(i))")[0] == 215053
    assert label_value(ws, "Cash in lieu of the fraction (§5)")[0] == 0.83  # 1/3 x $2.50 = 0.8333 -> $0.83
    assert label_value(ws, "Certificates due by (§1(c))")[0] == datetime(2004, 7, 5)
    # §1(b): deemed effected at the close of business, 5:00 p.m. New York time, and the sheet shows the time
    assert label_value(ws, "Deemed effected (§1(b))")[0] == datetime(2004, 6, 15, 17, 0)
    assert "AM/PM" in ws.cell(row=_row(ws, "Deemed effected (§1(b))"), column=2).number_format
    assert label_value(ws, "Dated:")[0] == datetime(2004, 6, 15)
    assert "To: Convergence Communications, Inc." in words
    assert "102 West 500 South" in words and "Attention:  Senior Vice President" in words  # D-1's Exhibit A
    assert "Signature" in words and "Address" in words


def test_purchase_form_refused_when_not_exercisable():
    wb = build_book(with_tests=False)
    tests = wb.create_sheet("Tests")
    rows = [["Test", "Actual"], ["Building Test", 120], ["Total Revenue Test", 30565643],
            ["New Revenue Test", 949719], ["EBITDA Loss Test", 8165010]]  # every test met exactly: no default
    for i, r in enumerate(rows, start=1):
        for j, v in enumerate(r, start=1):
            tests.cell(i, j, v)
    wb.defined_names["Tests"] = DefinedName("Tests", attr_text="Tests!$A$1:$B$5")
    with pytest.raises(WarrantError, match="^Not exercisable: "):
        purchase_form(OpenpyxlBook(wb))
    assert "Purchase Form" not in wb.sheetnames


def test_missing_name_and_uncalculated_formula_are_warrant_errors():
    wb = build_book()
    del wb.defined_names["AsOf"]
    with pytest.raises(WarrantError, match="no defined name 'AsOf'"):
        adjustment_certificate(OpenpyxlBook(wb))
    wb = build_book()
    wb["Exercise"]["B1"] = "=DATE(2004,6,15)"
    with pytest.raises(WarrantError, match="formula with no computed value"):
        adjustment_certificate(OpenpyxlBook(wb))
    # The headless recalculation supplies computed values by "Sheet!A1".
    name = adjustment_certificate(OpenpyxlBook(wb, values={"Exercise!B1": datetime(2004, 6, 15)}))
    assert label_value(wb[name], "Adjusted Per Share Exercise Price")[0] == 0.0075


def test_engine_refusal_is_a_warrant_error_and_writes_nothing():
    wb = build_book()
    wb["Terms"]["B6"] = -5  # Warrant Shares (row 6: Preset is row 1)
    with pytest.raises(WarrantError, match="Warrant Shares"):
        adjustment_certificate(OpenpyxlBook(wb))
    assert "Certificate" not in wb.sheetnames


def test_purchase_form_refused_without_tests_when_a_performance_default_is_required():
    # Issue 8: D-1 is exercisable only after a Performance Default (§1(a) proviso); with no Tests range the
    # form cannot show one occurred, so it is refused and no sheet is written.
    wb = build_book(with_tests=False)
    with pytest.raises(WarrantError, match="Purchase form refused: the terms require a Performance Default"):
        purchase_form(OpenpyxlBook(wb))
    assert "Purchase Form" not in wb.sheetnames


def test_workbook_on_1904_dates():
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = build_book()
    wb.epoch = CALENDAR_MAC_1904
    wb["Exercise"]["B1"] = 36691  # 2004-06-15 as a 1904 serial typed as a plain number
    name = adjustment_certificate(OpenpyxlBook(wb))
    assert label_value(wb[name], "As of")[0] == datetime(2004, 6, 15)


def test_roundtrip_through_a_saved_file(tmp_path):
    wb = build_book()
    path = tmp_path / "d1.xlsx"
    wb.save(path)
    wb2 = openpyxl.load_workbook(path)
    book = OpenpyxlBook(wb2)
    assert [adjustment_certificate(book), purchase_form(book)] == ["Certificate", "Purchase Form"]
    wb2.save(path)
    assert openpyxl.load_workbook(path).sheetnames[-2:] == ["Certificate", "Purchase Form"]


# --------------------------------------------------------------------------- the xlwings adapter, over a fake Book

class _FakeRange:
    def __init__(self, sheet, row, col, values=None):
        self.sheet, self.row, self.col, self._values = sheet, row, col, values
        self.number_format = None
        self.column_width = None

    def options(self, **kwargs):
        assert kwargs.get("ndim") == 2
        return self

    @property
    def value(self):
        return self._values

    @value.setter
    def value(self, v):
        self.sheet.cells[(self.row, self.col)] = v


class _FakeSheet:
    def __init__(self, name):
        self.name, self.cells = name, {}

    def range(self, address):
        row, col = address
        return _FakeRange(self, row, col)


class _FakeSheets(list):
    def add(self, name, after=None):
        assert after is self[-1]
        sheet = _FakeSheet(name)
        self.append(sheet)
        return sheet

    def __getitem__(self, key):
        if isinstance(key, str):
            return next(s for s in self if s.name == key)
        return list.__getitem__(self, key)


class _FakeName:
    def __init__(self, name, values):
        self.name = name
        self.refers_to_range = _FakeRange(None, 1, 1, values)


class _FakeBook:
    def __init__(self):
        self.sheets = _FakeSheets([_FakeSheet("Terms")])
        self.names = [_FakeName("Terms", D1_TERMS), _FakeName("Events", EVENTS),
                      _FakeName("AsOf", [[datetime(2004, 6, 15)]]),
                      _FakeName("Exercise", [["Exercise Date", datetime(2004, 6, 15)], ["Shares", 1000.0]]),
                      _FakeName("Tests", perf_tests(buildings=118.0))]


def test_xlwings_adapter_runs_the_same_macros():
    book = _FakeBook()
    adapter = XlwingsBook(book)
    assert adapter.date1904 is False  # no COM: the 1900 system
    name = adjustment_certificate(adapter)
    assert name == "Certificate"
    cells = book.sheets["Certificate"].cells
    assert cells[(1, 1)] == "OFFICER'S CERTIFICATE OF ADJUSTMENT"
    assert 0.0075 in cells.values()
    assert purchase_form(adapter) == "Purchase Form"
    assert adjustment_certificate(adapter) == "Certificate (2)"
    assert [s.name for s in book.sheets] == ["Terms", "Certificate", "Purchase Form", "Certificate (2)"]


def test_classic_macros_save_a_pdf_beside_the_workbook(tmp_path):
    from tests.test_addin_documents import pdf_text

    book = _FakeBook()
    book.fullname = str(tmp_path / "D1 book.xlsx")
    (tmp_path / "D1 book.certificate.pdf").write_bytes(b"an earlier copy")   # never overwritten
    adapter = XlwingsBook(book)
    adjustment_certificate(adapter)
    pdf = tmp_path / "D1 book.certificate (2).pdf"
    assert (tmp_path / "D1 book.certificate.pdf").read_bytes() == b"an earlier copy"
    assert "OFFICER'S CERTIFICATE OF ADJUSTMENT" in pdf_text(pdf)
    assert str(pdf) in book.sheets["Certificate"].cells.values()       # the sheet says where the PDF is
    unsaved = _FakeBook()                      # no file (a new book, or xlwings Lite): the sheet only
    adjustment_certificate(XlwingsBook(unsaved))
    assert "PDF copy" not in unsaved.sheets["Certificate"].cells.values()


def test_the_classic_pdf_copy_never_goes_through_a_link(tmp_path):
    # Issue 21: every output is written the same safe way. A dangling symbolic link where the PDF would
    # go is passed over (its target is never created); the copy takes the next free name.
    book = _FakeBook()
    book.fullname = str(tmp_path / "D1 book.xlsx")
    (tmp_path / "D1 book.certificate.pdf").symlink_to(tmp_path / "elsewhere.pdf")
    adjustment_certificate(XlwingsBook(book))
    assert not (tmp_path / "elsewhere.pdf").exists()
    assert (tmp_path / "D1 book.certificate (2).pdf").read_bytes().startswith(b"%PDF")


def _set_events(wb, rows):
    led = wb["Ledger"]
    for row in led.iter_rows():
        for c in row:
            c.value = None
    for i, row in enumerate([EVENTS_HEADER, *rows], start=1):
        for j, v in enumerate(row, start=1):
            led.cell(i, j, v)


def test_purchase_form_and_exercise_deliver_merger_cash():
    # Issue 18 item 5, §4(b): 1 acquirer share plus $0.002 per Common share, 1 for every 4. Exercising ALL of
    # D-1's 161,290: 40,322.5 units -> 40,322 full, the half at the $12.00 close = $6.00 (§5), and
    # 161,290 x $0.002 = $322.58 merger cash.
    from addin.excel.functions import warrant_exercise
    wb = build_book()
    merger = ev(datetime(2003, 1, 1), "MERGER", ratio="1-for-4", note="Acquirer Common Stock")
    merger[9] = 0.002
    _set_events(wb, [merger])
    wb["Exercise"]["B11"] = 12.0
    ws = wb[purchase_form(OpenpyxlBook(wb))]
    assert label_value(ws, "Full shares to be issued (§1(c)(i))")[0] == 40322
    assert label_value(ws, "Cash in lieu of the fraction (§5)")[0] == 6.0
    assert label_value(ws, "Merger cash delivered (§4(b))")[0] == 322.58
    assert label_value(ws, "Each unit delivered")[0] == "Acquirer Common Stock"
    rows = warrant_exercise(D1_TERMS, [EVENTS_HEADER, merger], [["Exercise Date", datetime(2004, 6, 15)],
                                                                 ["Shares", "ALL"]],
                            [["Venue", "EXCHANGE"], ["Quote Date", datetime(2004, 6, 14)], ["Closing Price", 12.0]],
                            perf_tests(buildings=118.0))
    got = dict((r[0], r[1]) for r in rows)
    assert (got["Full Shares Issued"], got["Fraction Cash"], got["Merger Cash"]) == (40322, 6.0, 322.58)
    assert got["Unit Delivered"] == "Acquirer Common Stock"
    cert = wb[adjustment_certificate(OpenpyxlBook(wb))]
    assert label_value(cert, "Merger cash per unit of Acquirer Common Stock")[0] == 0.008  # $0.002 x 4


def test_purchase_form_of_an_exercise_entered_twice():
    # Issue 18 item 8: the Exercise block (2004-06-15, ALL = 161,290) is also Events row 2: the form starts
    # from 161,290 (not 0) and says which row records it.
    wb = build_book()
    _set_events(wb, [ev(datetime(2004, 6, 15), "EXERCISE", shares=161_290.0)])
    ws = wb[purchase_form(OpenpyxlBook(wb))]
    assert label_value(ws, "Aggregate Price")[0] == 1612.9   # 161,290 x $0.01
    assert label_value(ws, "Events")[0].startswith("Events row 2 records this exercise")
