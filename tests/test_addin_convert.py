"""Cell conversions: tables, key/value ranges, numbers, dates (1900 and 1904 systems), booleans, times."""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.excel import convert as cv
from engine.errors import WarrantError

# --------------------------------------------------------------------------- numbers

NUMBER_CASES = [  # (cell, exact value, why)
    (0.01, Fraction(1, 100), "repr(0.01) is '0.01': the typed digits, not the double's binary value"),
    (0.1 + 0.2, Fraction(30000000000000004, 10**17), "repr keeps the double's shortest round-trip digits"),
    (161290.0, Fraction(161290), "a whole float"),
    (161290, Fraction(161290), "an int"),
    (1e308, Fraction(10**308), "huge"),
    (1e-308, Fraction(1, 10**308), "tiny"),
    ("1,234.50", Fraction(246900, 200), "text with a thousands separator"),
    ("$0.01", Fraction(1, 100), "text with a dollar sign"),
    ("10%", Fraction(1, 10), "a percentage as text"),
    ("1/3", Fraction(1, 3), "a fraction as text"),
    (Decimal("0.0075"), Fraction(3, 400), "a Decimal"),
]


@pytest.mark.parametrize("cell, expected, why", NUMBER_CASES, ids=[c[-1] for c in NUMBER_CASES])
def test_numbers_are_exact(cell, expected, why):
    assert cv.to_number(cell, "X") == expected


def test_float_is_never_used_in_arithmetic():
    # 0.01 / 3 * 3 is 0.01 exactly once converted; with floats it would not be.
    x = cv.to_number(0.01, "X")
    assert x / 3 * 3 == Fraction(1, 100)


@pytest.mark.parametrize("cell", [True, "abc", float("nan"), float("inf"), "nan", "1e999999", "1/0", date(2001, 1, 1)])
def test_bad_numbers(cell):
    if isinstance(cell, float) and cell != cell:
        assert cv.to_number(cell, "X") is None  # NaN is how numpy/pandas hand over an empty cell
        return
    with pytest.raises(WarrantError, match=r"^T row 3: X"):
        cv.to_number(cell, "X", "T", 3)


def test_blank_and_whole():
    assert cv.to_number("  ", "X") is None and cv.to_number(None, "X") is None
    assert cv.to_int(20.0, "Delivery Days") == 20
    with pytest.raises(WarrantError, match=r"Delivery Days \(20.5\) must be a whole number"):
        cv.to_int(20.5, "Delivery Days")
    assert cv.to_shares("all", "Shares") == cv.ALL and cv.to_shares(10.0, "Shares") == 10


def test_excel_error_values():
    for err in ["#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!",
                "#WARRANT: Terms: bad"]:
        with pytest.raises(WarrantError, match=r"^Terms row 2: Price holds the Excel error #"):
            cv.to_number(err, "Price", "Terms", 2)


# --------------------------------------------------------------------------- dates

DATE_CASES = [  # (cell, date1904, expected, why)
    (datetime(2001, 12, 31), False, date(2001, 12, 31), "an Excel date (xlwings/openpyxl datetime)"),
    (date(2001, 12, 31), False, date(2001, 12, 31), "a date"),
    ("2001-12-31", False, date(2001, 12, 31), "ISO text"),
    (37256.0, False, date(2001, 12, 31), "1900 serial: 2001-12-31 - 1899-12-30 = 37,256 days"),
    (37256, False, date(2001, 12, 31), "an int serial"),
    (35794.0, True, date(2001, 12, 31), "1904 serial: 37,256 - 1,462"),
    (1.0, False, date(1900, 1, 1), "serial 1 is 1900-01-01"),
    (59.0, False, date(1900, 2, 28), "serial 59 is 1900-02-28"),
    (61.0, False, date(1900, 3, 1), "serial 61 is 1900-03-01 (60 is Excel's phantom 1900-02-29)"),
    (0.0, True, date(1904, 1, 1), "1904 serial 0 is 1904-01-01"),
    (2958465.0, False, date(9999, 12, 31), "the last Excel date"),
]


@pytest.mark.parametrize("cell, d1904, expected, why", DATE_CASES, ids=[c[-1] for c in DATE_CASES])
def test_dates(cell, d1904, expected, why):
    assert cv.to_date(cell, "Date", date1904=d1904) == expected


def test_phantom_1900_02_29_and_out_of_range_serials():
    with pytest.raises(WarrantError, match="1900-02-29"):
        cv.to_date(60.0, "Date", "Events", 4)
    for bad in (0.0, -1.0, 2958466.0):
        with pytest.raises(WarrantError, match="not an Excel date serial"):
            cv.to_date(bad, "Date")
    with pytest.raises(WarrantError, match="must be a date"):
        cv.to_date("31/12/2001", "Date")
    with pytest.raises(WarrantError, match="must be a date"):
        cv.to_date(True, "Date")


def test_moments():
    # A serial with a day fraction is a moment: 37294.7083333 = 2002-02-07 17:00.
    assert cv.to_moment(38390 + 17 / 24, "As Of") == datetime(2005, 2, 7, 17, 0)
    assert cv.to_moment("2005-02-07T17:01", "As Of") == datetime(2005, 2, 7, 17, 1)
    assert cv.to_moment("2005-02-07 16:59", "As Of") == datetime(2005, 2, 7, 16, 59)
    # Midnight cannot be told from a date-only cell: it is read as a date alone.
    assert cv.to_moment(datetime(2005, 2, 7), "As Of") == date(2005, 2, 7)
    assert cv.to_date(datetime(2005, 2, 7, 17, 1), "Date") == date(2005, 2, 7)


@pytest.mark.parametrize("cell, expected", [
    ("17:00", time(17)), ("5:00 pm", time(17)), ("5 p.m.", time(17)), ("16:59:59", time(16, 59, 59)),
    (17 / 24, time(17)), (time(17), time(17)), (datetime(1899, 12, 30, 17), time(17)),
])
def test_times(cell, expected):
    assert cv.to_time(cell, "Exercise End Time") == expected


@pytest.mark.parametrize("cell", ["25:00", "13 pm", 1.5, -0.1, "noon", True])
def test_bad_times(cell):
    with pytest.raises(WarrantError, match="Exercise End Time"):
        cv.to_time(cell, "Exercise End Time")


# --------------------------------------------------------------------------- booleans, text

@pytest.mark.parametrize("cell, expected", [
    (True, True), (False, False), ("TRUE", True), ("false", False), ("yes", True), ("No", False), ("y", True),
    (1.0, True), (0, False), (None, None), ("", None),
])
def test_booleans(cell, expected):
    assert cv.to_bool(cell, "Exercised") is expected


def test_bad_boolean():
    with pytest.raises(WarrantError, match=r"Exercised \('maybe'\) must be TRUE or FALSE"):
        cv.to_bool("maybe", "Exercised")


def test_text_and_choices():
    assert cv.to_text(5.0, "Warrant") == "5" and cv.to_text(" D-1 ", "Warrant") == "D-1"
    assert cv.to_choice("full ratchet", "Anti-Dilution") == "FULL_RATCHET"
    assert cv.to_choice("keep-aggregate", "Share Adjustment") == "KEEP_AGGREGATE"


# --------------------------------------------------------------------------- ranges

COLUMNS = {"Test": "name", "Force Majeure": "fm", "Actual": "actual"}


def test_table_headers_any_order_case_spaces_underscores():
    t = cv.table([["ACTUAL", "force_majeure", None, "test"], [1.0, "no", "ignored", "A"], [None, "", None, None],
                  [2.0, None, None, "B"]], COLUMNS, "Tests")
    assert t.rows == ((2, {"actual": 1.0, "fm": "no", "name": "A"}), (4, {"actual": 2.0, "fm": None, "name": "B"}))


def test_table_errors():
    with pytest.raises(WarrantError, match=r"^Tests row 1: unknown header 'Kind'; known headers: Test, Force "
                                           r"Majeure, Actual$"):
        cv.table([["Test", "Kind"]], COLUMNS, "Tests")
    with pytest.raises(WarrantError, match="appears twice"):
        cv.table([["Test", "TEST"]], COLUMNS, "Tests")
    with pytest.raises(WarrantError, match="first row must be a header"):
        cv.table([[None, None], ["A", 1]], COLUMNS, "Tests")
    with pytest.raises(WarrantError, match="missing header 'Actual'"):
        cv.table([["Test"]], COLUMNS, "Tests", required=("actual",))


LABELS = {"Venue": "venue", "Quote Date": "quote_date", "Closing Price": "close"}


def test_key_values_two_columns_two_rows_and_2x2():
    cols = cv.key_values([["Venue", "OTC"], [None, None], ["closing_price", 2.5]], LABELS, "Market")
    assert cols.values == {"venue": ("OTC", 1), "close": (2.5, 3)} and cols.axis == "row"
    rows = cv.key_values([["Venue", "Quote Date", "Closing Price"], ["EXCHANGE", None, 2.5]], LABELS, "Market")
    assert rows.get("venue") == "EXCHANGE" and rows.pos("close") == 3 and rows.axis == "column"
    square_rows = cv.key_values([["Venue", "Closing Price"], ["OTC", 2.5]], LABELS, "Market")  # labels over values
    assert square_rows.get("close") == 2.5
    square_cols = cv.key_values([["Venue", "OTC"], ["Closing Price", 2.5]], LABELS, "Market")
    assert square_cols.get("close") == 2.5
    assert cv.key_values(None, LABELS, "Market").values == {}


def test_key_values_errors():
    with pytest.raises(WarrantError, match=r"^Market row 2: unknown label 'Bid'; known labels: Venue, Quote Date, "
                                           r"Closing Price$"):
        cv.key_values([["Venue", "OTC"], ["Bid", 1.0]], LABELS, "Market")
    with pytest.raises(WarrantError, match="a value without a label"):
        cv.key_values([["Venue", "OTC"], [None, 1.0]], LABELS, "Market")
    with pytest.raises(WarrantError, match="3x3 range"):
        cv.key_values([[1, 2, 3]] * 3, LABELS, "Market")
    with pytest.raises(WarrantError, match="appears twice"):
        cv.key_values([["Venue", "OTC"], ["venue", "OTC"]], LABELS, "Market")


def test_grid_shapes():
    import numpy as np

    assert cv.grid(None) == [[None]] and cv.grid(5.0) == [[5.0]]
    assert cv.grid([1.0, 2.0]) == [[1.0, 2.0]]  # a 1-D sequence is one row
    assert cv.grid(np.array([[1.0, 2.0], [3.0, 4.0]])) == [[1.0, 2.0], [3.0, 4.0]]
    assert type(cv.grid(np.array([[1.5]]))[0][0]) is float  # numpy scalars unwrapped (repr would be 'np.float64')
    assert cv.to_number(np.float64(0.01), "X") == Fraction(1, 100)


# --------------------------------------------------------------------------- results

def test_results():
    assert cv.out_number(Fraction(3, 400)) == 0.0075
    assert cv.out_number(Fraction(1, 3)) == 1 / 3
    assert cv.out_number(Decimal("1612.90")) == 1612.9
    assert cv.out_number(Fraction(10**400)).startswith("#WARRANT: ")
    assert cv.out_number(Decimal("1e400"), "Cash Due") == "#WARRANT: Cash Due is beyond Excel's number range"
    assert cv.out_shares(Fraction(161290)) == 161290 and type(cv.out_shares(Fraction(161290))) is int
    assert cv.out_shares(Fraction(1, 2)) == 0.5
    assert cv.out_shares(10**400).startswith("#WARRANT: ") and cv.out_shares(Fraction(10**400, 3)).startswith("#")
    assert cv.out_date(date(2004, 7, 5)) == datetime(2004, 7, 5)
    assert cv.out_date(None) == ""


def test_terms_labels_preset_and_plain_defaults():
    # With a Preset, a blank value takes the preset's (D-1's) value, except a "none"-able term set blank.
    t = cv.parse_terms([["Preset", "d-1"], ["warrant_shares", 100.0], ["Price Increment", None], ["Holder", None],
                        ["Management Cap", None]])
    assert t.warrant_shares == 100 and t.price_increment is None and t.preset == "D-1"
    assert t.holder == "TCW/CCI Holding II LLC"  # blank: the preset's value
    assert t.management_cap is None              # present and blank: "none", over the preset's 10%
    # Without a Preset: the four required terms, everything else the plain-warrant default.
    required = [["Warrant Shares", 10.0], ["Exercise Price", 1.0], ["Issue Date", "2020-01-01"]]
    t = cv.parse_terms(required + [["Price Increment", 0.0001], ["Exercise End Time", 0.75],
                                   ["Anti Dilution", "broad weighted average"], ["Holder", None]])
    assert t.price_increment == Fraction(1, 10000) and t.exercise_end_time == time(18)
    assert t.anti_dilution == "BROAD_WEIGHTED_AVERAGE"
    assert (t.holder, t.preset, t.minimum_adjustment, t.management_cap, t.par_value, t.price_floor) == \
        ("", None, 0, None, None, None)
    assert (t.requires_performance_default, t.tests, t.delivery_days, t.holding_months) == (False, (), None, None)
    with pytest.raises(WarrantError, match=r"Time Zone \('America'\) is not a known IANA time zone"):
        cv.parse_terms([["Preset", "D-1"], ["Time Zone", "America"]])
    with pytest.raises(WarrantError, match=r"^Terms: Anti-Dilution is missing: this function needs it"):
        cv.parse_terms(required)


def test_pre_issue_grants_is_typed_on_the_sheet():
    # Issue 18 reading 2: a warrant whose own text shelters grants outstanding at issuance says so
    # with a term; D-1's default is its text's (COUNTED); anything else is refused naming the term.
    required = [["Warrant Shares", 10.0], ["Exercise Price", 1.0], ["Issue Date", "2020-01-01"],
                ["Anti-Dilution", "FULL_RATCHET"]]
    assert cv.parse_terms(required).pre_issue_grants == "COUNTED"
    assert cv.parse_terms([["Preset", "D-1"]], required=()).pre_issue_grants == "COUNTED"
    assert cv.parse_terms(required + [["Pre-Issue Grants", "excluded"]]).pre_issue_grants == "EXCLUDED"
    with pytest.raises(WarrantError, match=r"Pre-Issue Grants"):
        cv.parse_terms(required + [["Pre-Issue Grants", "SOMETIMES"]])


@settings(max_examples=2000, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False) | st.integers(-10**8, 10**8).map(lambda c: c / 100))
def test_a_float_reads_as_the_decimal_of_its_repr(x):
    """convert.float_fraction is to_number's rule for a float, Fraction(Decimal(repr(x))), read faster."""
    got = cv.float_fraction(x)
    assert got == Fraction(Decimal(repr(x))) and type(got) is Fraction
    assert (got.numerator, got.denominator) == (Fraction(Decimal(repr(x))).numerator, Fraction(Decimal(repr(x))).denominator)
    assert hash(got) == hash(Fraction(Decimal(repr(x))))


def test_facts_force_majeure_periods_from_the_sheet():
    # Issue 18 item 6: "Force Majeure From" | "Force Majeure To" (blank = in progress), and numbered periods.
    from datetime import date, datetime

    from addin.excel.convert import parse_facts
    facts = parse_facts([["Force Majeure From", datetime(2001, 12, 1)], ["Force Majeure To", None],
                         ["Force Majeure From 2", datetime(2000, 1, 1)], ["Force Majeure To 2", datetime(2000, 2, 1)]])
    assert facts.force_majeure == ((date(2001, 12, 1), None), (date(2000, 1, 1), date(2000, 2, 1)))
    with pytest.raises(WarrantError, match=r"Facts row 1: Force Majeure To \(2002-01-01\) needs its Force Majeure From"):
        parse_facts([["Force Majeure To", datetime(2002, 1, 1)]])
