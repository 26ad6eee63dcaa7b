"""The Excel function catalog, called the way Excel/xlwings or the headless recalculation calls it.

Expected values are derived by hand from Performance Warrant No. D-1
(../shared/seeds/000_0a29cc6c40c6e08c.txt) and the Reallocated Option Exercise
Purchase Agreement (002_5f93b91b6e3d2cdd.txt); the derivation is on each case.
Cells are given as Excel hands them over: numbers as floats, dates as datetimes.
"""
from __future__ import annotations

import inspect
import subprocess
import sys
from datetime import datetime
from fractions import Fraction

import pytest

from addin.excel.catalog import CATALOG, call
from addin.excel.catalog import ERROR_PREFIX

# --------------------------------------------------------------------------- D-1 as cells

D1_TERMS = [  # two columns, label | value: D-1's own figures (preamble, §1(a), §1(c), §2, §3, §4)
    ["Preset", "D-1"],                   # the §2 tests and every other D-1 figure come only from here
    ["Warrant", "D-1"],
    ["Holder", "TCW/CCI Holding II LLC"],
    ["Issuer", "Convergence Communications, Inc."],
    ["Issue Date", datetime(2001, 2, 7)],
    ["Warrant Shares", 161290.0],
    ["Exercise Price", 0.01],
    ["Par Value", 0.001],
    ["Exercise Start", datetime(2001, 12, 31)],
    ["Exercise End", datetime(2005, 2, 7)],
    ["Exercise End Time", "17:00"],
    ["Time Zone", "America/New_York"],
    ["Test Date", datetime(2001, 12, 31)],
    ["Requires Performance Default", True],
    ["Valuation Event Cutoff", datetime(2001, 12, 31)],
    ["Anti-Dilution", "FULL_RATCHET"],
    ["Share Adjustment", "NONE"],
    ["Minimum Adjustment", 0.01],
    ["Management Cap", 0.1],
    ["Series D Cutoff", datetime(2001, 5, 2)],
    ["Price Increment", None],
    ["Common Outstanding", 3000000.0],   # illustrative: the seed gives no outstanding count
    ["Fully Diluted", 3500000.0],        # illustrative
    ["Delivery Days", 20.0],
    ["Holding Months", 6.0],
]

TESTS_HEADER = ["Test", "Comparator", "Threshold", "Actual", "Force Majeure"]


def perf_tests(buildings=118.0, revenue=31_000_000.0, new_revenue=1_000_000.0, ebitda_loss=8_000_000.0,
                fm_buildings=False):
    """D-1's four §2 tests with illustrative actuals (the seed gives none)."""
    return [TESTS_HEADER,
            ["Building Test", "AT_LEAST", 120.0, buildings, fm_buildings],
            ["Total Revenue Test", "AT_LEAST", 30565643.0, revenue, False],
            ["New Revenue Test", "AT_LEAST", 949719.0, new_revenue, False],
            ["EBITDA Loss Test", "AT_MOST", 8165010.0, ebitda_loss, False]]


EVENTS_HEADER = ["Date", "Event", "Shares", "Ratio", "Consideration", "Additional Consideration", "Outstanding",
                 "Category", "Ref", "Price", "Note"]


def ev(day, kind, shares=None, ratio=None, consideration=None, outstanding=None, note=None):
    return [day, kind, shares, ratio, consideration, None, outstanding, None, None, None, note]


SPLIT = [EVENTS_HEADER, ev(datetime(2002, 6, 3), "SPLIT", ratio="2-for-1")]
DIVIDEND = [EVENTS_HEADER, ev(datetime(2002, 6, 3), "STOCK_DIVIDEND", shares=1_000_000.0)]
CHEAP_ISSUE = [EVENTS_HEADER, ev(datetime(2002, 6, 3), "ISSUE", shares=1_000_000.0, consideration=5000.0)]

AS_OF = datetime(2004, 6, 15)


# --------------------------------------------------------------------------- the catalog itself

EXPECTED_ARGS = {
    "WARRANT_TERMS": ["terms"],
    "WARRANT_EXERCISABLE": ["terms", "tests", "as_of", "facts"],
    "WARRANT_STATUS": ["terms", "tests", "as_of", "facts"],
    "WARRANT_DEFAULTS": ["terms", "tests"],
    "WARRANT_PRICE": ["terms", "events", "as_of"],
    "WARRANT_SHARES": ["terms", "events", "as_of"],
    "WARRANT_ADJUSTMENTS": ["terms", "events", "as_of"],
    "WARRANT_EXERCISE": ["terms", "events", "exercise", "market", "tests", "facts", "detail"],
    "WARRANT_REGISTER": ["register", "events", "as_of"],
    "OPTION_REALLOCATE": ["optionees", "price"],
}


def test_every_function_is_registered_with_its_arguments():
    assert set(CATALOG) == set(EXPECTED_ARGS)
    for name, args in EXPECTED_ARGS.items():
        entry = CATALOG[name]
        assert entry.name == name
        assert [a.name for a in entry.args] == args
        raw = inspect.signature(entry.func.raw)
        assert [p for p in raw.parameters if p != "date1904"] == args


def test_every_function_and_argument_is_documented():
    for entry in CATALOG.values():
        assert entry.doc.strip() and entry.returns.strip()
        for a in entry.args:
            assert a.doc.strip(), (entry.name, a.name)
            assert len(a.doc) <= 255, (entry.name, a.name)  # Excel's function wizard limit
        optional = [a.optional for a in entry.args]
        assert optional == sorted(optional), entry.name  # optional arguments come last


def test_spilling_flags():
    spills = {n for n, e in CATALOG.items() if e.spills}
    assert spills == {"WARRANT_TERMS", "WARRANT_DEFAULTS", "WARRANT_ADJUSTMENTS", "WARRANT_EXERCISE", "WARRANT_REGISTER",
                      "OPTION_REALLOCATE"}


def test_call_is_case_insensitive_and_unknown_names_are_a_key_error():
    assert call("warrant_price", D1_TERMS, None, AS_OF) == 0.01
    with pytest.raises(KeyError):
        call("WARRANT_NOPE", D1_TERMS)


def test_engine_imports_no_excel_library():
    code = ("import sys, engine, engine.ledger, engine.settlement, engine.exercisability, engine.reallocation;"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('xlwings', 'openpyxl', 'numpy', 'addin'));"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_addin_catalog_imports_no_xlwings():
    code = ("import sys, addin, addin.excel.catalog, addin.excel.functions, addin.excel.convert;"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('xlwings', 'openpyxl'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# --------------------------------------------------------------------------- §1(a), §2

# (as_of, tests, facts, expected, source)
EXERCISABLE_CASES = [
    (datetime(2002, 6, 3), perf_tests(buildings=118.0), None, True, "§2(a): 118 < 120 buildings is a default"),
    (datetime(2002, 6, 3), perf_tests(buildings=120.0), None, False, "§2(a): exactly 120 is no default; none other"),
    (datetime(2002, 6, 3), perf_tests(buildings=121.0, revenue=30565642.0), None, True,
     "§2(b): one dollar below $30,565,643"),
    (datetime(2002, 6, 3), perf_tests(buildings=121.0, ebitda_loss=8165011.0), None, True,
     "§2(d): loss one dollar in excess of $8,165,010"),
    (datetime(2002, 6, 3), perf_tests(buildings=121.0, ebitda_loss=8165010.0), None, False,
     "§2(d): loss exactly at the threshold"),
    (datetime(2002, 6, 3), perf_tests(buildings=118.0, fm_buildings=True), None, False,
     "§2(f): the only default is excused by Force Majeure"),
    (datetime(2001, 12, 30), perf_tests(), None, False, "§1(a): before December 31, 2001"),
    (datetime(2001, 12, 31), perf_tests(), None, True, "§1(a): from December 31, 2001"),
    (datetime(2005, 2, 7, 16, 59), perf_tests(), None, True, "§1(a): before 5:00 p.m. NY, last day"),
    (datetime(2005, 2, 7, 17, 0), perf_tests(), None, True, "§1(a): through 5:00 p.m. includes 17:00"),
    (datetime(2005, 2, 7, 17, 1), perf_tests(), None, False, "§1(a): after 5:00 p.m. NY, expired"),
    (datetime(2002, 6, 3), perf_tests(), [["Realized Valuation Event", datetime(2001, 12, 31)]], False,
     "§2(e): Realized Valuation Event on or before 2001-12-31"),
    (datetime(2002, 6, 3), perf_tests(), [["Realized Valuation Event", datetime(2002, 1, 1)]], True,
     "§2(e): Realized Valuation Event after the cutoff does not block"),
    (datetime(2002, 6, 3), perf_tests(), [["Other Warrant Exercised Or Waived", datetime(2002, 5, 1)]], False,
     "§2(e): only exercisable prior to the exercise or waiver of a Financing/IRR Warrant"),
]


@pytest.mark.parametrize("as_of, tests, facts, expected, source", EXERCISABLE_CASES,
                         ids=[c[-1] for c in EXERCISABLE_CASES])
def test_warrant_exercisable(as_of, tests, facts, expected, source):
    assert call("WARRANT_EXERCISABLE", D1_TERMS, tests, as_of, facts) is expected


def test_warrant_status_sentence():
    # The issue's own example sentence for 118 buildings (§2(a)).
    assert call("WARRANT_STATUS", D1_TERMS, perf_tests(buildings=118.0), datetime(2002, 6, 3)) == \
        "Exercisable: §2(a) Building Test default, 118 buildings < 120"
    text = call("WARRANT_STATUS", D1_TERMS, perf_tests(), datetime(2005, 2, 7, 17, 1))
    assert isinstance(text, str) and not text.startswith(ERROR_PREFIX) and "\n" not in text


def test_warrant_status_takes_iso_text_and_a_two_row_terms_range():
    two_rows = [[r[0] for r in D1_TERMS], [r[1] for r in D1_TERMS]]  # labels over values
    assert call("WARRANT_EXERCISABLE", two_rows, perf_tests(), "2002-06-03") is True


def test_warrant_defaults_spill():
    # §2(a) 118 < 120 default; §2(b) 31,000,000 >= 30,565,643; §2(c) 1,000,000 >= 949,719;
    # §2(d) 8,000,000 not in excess of 8,165,010.
    assert call("WARRANT_DEFAULTS", D1_TERMS, perf_tests()) == [
        ["Test", "Actual", "Threshold", "Default", "Excused", "Clause"],
        ["Building Test", 118, 120, True, False, "§2(a)"],
        ["Total Revenue Test", 31000000, 30565643, False, False, "§2(b)"],
        ["New Revenue Test", 1000000, 949719, False, False, "§2(c)"],
        ["EBITDA Loss Test", 8000000, 8165010, False, False, "§2(d)"],
    ]


def test_warrant_defaults_excused_and_blank_threshold_taken_from_terms():
    tests = [["test", "ACTUAL", "force_majeure"], ["Building Test", 100.0, "yes"]]  # header case/underscores
    assert call("WARRANT_DEFAULTS", D1_TERMS, tests) == [
        ["Test", "Actual", "Threshold", "Default", "Excused", "Clause"],
        ["Building Test", 100, 120, True, True, "§2(a)"],  # §2(f): excused
    ]


# --------------------------------------------------------------------------- §4

# (events, as_of, price, shares, derivation)
LEDGER_CASES = [
    (None, AS_OF, 0.01, 161290, "no events: the preamble's $.01 and 161,290"),
    (SPLIT, datetime(2002, 6, 2), 0.01, 161290, "the day before the split: unchanged"),
    (SPLIT, datetime(2002, 6, 3), 0.005, 322580, "§4(b) 2-for-1: $.01 / 2, 161,290 x 2"),
    (DIVIDEND, AS_OF, float(Fraction(3, 400)), Fraction(645160, 3),
     "§4(c) 1,000,000 dividend on 3,000,000: $.01 x 3/4 = $0.0075; 161,290 x 4/3 = 215,053 1/3"),
    (CHEAP_ISSUE, AS_OF, 0.005, 161290,
     "§4(d) full ratchet: 1,000,000 shares for $5,000 = $0.005 < $.01; shares unchanged (Share Adjustment NONE)"),
]


@pytest.mark.parametrize("events, as_of, price, shares, derivation", LEDGER_CASES, ids=[c[-1] for c in LEDGER_CASES])
def test_warrant_price_and_shares(events, as_of, price, shares, derivation):
    assert call("WARRANT_PRICE", D1_TERMS, events, as_of) == price
    got = call("WARRANT_SHARES", D1_TERMS, events, as_of)
    assert got == (shares if isinstance(shares, int) else float(shares))
    assert isinstance(got, int) == isinstance(shares, int)  # whole shares come back as int


def test_warrant_adjustments_spill():
    grid = call("WARRANT_ADJUSTMENTS", D1_TERMS, SPLIT, AS_OF)
    assert grid[0] == ["Date", "Event", "Clause", "Status", "Price Before", "Price After", "Shares Before",
                       "Shares After", "Explanation"]
    assert len(grid) == 2
    row = grid[1]
    # §4(b): a 2-for-1 split halves the price and doubles the shares.
    assert row[:8] == [datetime(2002, 6, 3), "SPLIT", "§4(b)", "APPLIED", 0.01, 0.005, 161290, 322580]
    assert "2-for-1" in row[8] and "\n" not in row[8]


def test_warrant_adjustments_header_only_without_events():
    assert call("WARRANT_ADJUSTMENTS", D1_TERMS, None, AS_OF) == [
        ["Date", "Event", "Clause", "Status", "Price Before", "Price After", "Shares Before", "Shares After",
         "Explanation"]]


def test_events_any_column_order_and_blank_rows_skipped():
    events = [["note", "RATIO", "Event", "date"], [None, None, None, None],
              [None, "2-for-1", "split", "2002-06-03"]]
    assert call("WARRANT_PRICE", D1_TERMS, events, AS_OF) == 0.005


# --------------------------------------------------------------------------- §1(b)-(c), §3, §5

EXCHANGE = [["Venue", "EXCHANGE"], ["Quote Date", datetime(2004, 6, 14)], ["Closing Price", 2.5]]


def as_dict(grid):
    assert all(len(r) == 2 for r in grid)
    return {k: v for k, v in grid}


def test_warrant_exercise_all_after_a_stock_dividend():
    # §4(c): price $0.0075, shares 215,053 1/3 (see LEDGER_CASES). Exercise ALL on Tue 2004-06-15 in cash:
    # §1(c)(i) 215,053 full shares, fraction 1/3; aggregate 645,160/3 x 3/400 = $1,612.90 exactly;
    # §5 the exchange close on Mon 2004-06-14 (the trading day before): 1/3 x $2.50 = $0.8333 -> $0.83;
    # §1(c) certificates within 20 calendar days of payment: 2004-06-15 + 20 = 2004-07-05.
    exercise = [["Exercise Date", datetime(2004, 6, 15)], ["Shares", "ALL"], ["Method", "CASH"],
                ["Payment Date", datetime(2004, 6, 15)]]
    grid = call("WARRANT_EXERCISE", D1_TERMS, DIVIDEND, exercise, EXCHANGE)
    assert [r[0] for r in grid] == ["Effective At", "Shares Exercised", "Full Shares Issued", "Fractional Share",
                                    "Aggregate Price", "Cash Due", "Shares To Surrender", "Fraction Cash",
                                    "Fraction Price Source", "Certificates Due", "Remaining Warrant Shares",
                                    "Exercisability"]
    out = as_dict(grid)
    # D-1 requires a Performance Default (§1(a) proviso) and no tests were given: said, in the last row.
    assert out["Exercisability"] == "not checked (no tests given)"
    # §1(b): deemed effected immediately prior to the close of business that day (New York time).
    assert out["Effective At"].date() == datetime(2004, 6, 15).date() and out["Effective At"].hour <= 17
    assert out["Shares Exercised"] == 645160 / 3
    assert out["Full Shares Issued"] == 215053
    assert out["Fractional Share"] == 1 / 3
    assert out["Aggregate Price"] == 1612.90
    assert out["Cash Due"] == 1612.90
    assert out["Shares To Surrender"] == 0
    assert out["Fraction Cash"] == 0.83
    assert "2004-06-14" in out["Fraction Price Source"]
    assert out["Certificates Due"] == datetime(2004, 7, 5)
    assert out["Remaining Warrant Shares"] == 0


def test_warrant_exercise_partial_leaves_a_new_warrant():
    # 100,000 of 161,290 at $.01: aggregate $1,000.00; 61,290 remain for a new warrant (§1(c)(ii)).
    exercise = [["Exercise Date", datetime(2004, 6, 15)], ["Shares", 100000.0]]
    out = as_dict(call("WARRANT_EXERCISE", D1_TERMS, None, exercise, None, None, None, True))
    assert out["Aggregate Price"] == 1000.0 and out["Remaining Warrant Shares"] == 61290
    assert out["Per Share Exercise Price"] == 0.01
    assert "61,290" in out["New Warrant"]
    assert out["Outside Terms"] is False


def test_warrant_exercise_uses_the_nyse_calendar():
    # Exercise on Mon 2004-06-14. Fri 2004-06-11 the NYSE was closed (national day of mourning for
    # President Reagan), so the trading day immediately prior (§5) is Thu 2004-06-10.
    exercise = [["Exercise Date", datetime(2004, 6, 14)], ["Shares", "ALL"]]

    def warning(quote_day):
        market = [["Venue", "EXCHANGE"], ["Quote Date", quote_day], ["Closing Price", 2.5]]
        return as_dict(call("WARRANT_EXERCISE", D1_TERMS, DIVIDEND, exercise, market, None, None, True))[
            "Quote Warning"]

    assert warning(datetime(2004, 6, 10)) == ""
    assert warning(datetime(2004, 6, 11)) != ""


def test_warrant_exercise_surrender():
    # §3(a): 161,290 x $.01 = $1,612.90 paid with shares held six months (acquired 2003-12-15, qualifying
    # 2004-06-15) at fair value $2.00: floor(1,612.90 / 2) = 806 shares ($1,612.00), cash due $0.90.
    exercise = [["Exercise Date", datetime(2004, 6, 15)], ["Shares", "ALL"], ["Method", "SURRENDER"],
                ["Surrendered Shares Acquired", datetime(2003, 12, 15)], ["Fair Value", 2.0]]
    out = as_dict(call("WARRANT_EXERCISE", D1_TERMS, None, exercise))
    assert out["Shares To Surrender"] == 806 and out["Cash Due"] == 0.90


def test_warrant_exercise_refused_when_not_exercisable():
    exercise = [["Exercise Date", datetime(2004, 6, 15)], ["Shares", "ALL"]]
    # 120 buildings and every other test met: no Performance Default (§1(a) proviso).
    got = call("WARRANT_EXERCISE", D1_TERMS, None, exercise, None, perf_tests(buildings=120.0))
    assert isinstance(got, str) and got.startswith("#WARRANT: Not exercisable: ")
    ok = call("WARRANT_EXERCISE", D1_TERMS, None, exercise, None, perf_tests(buildings=118.0))
    assert isinstance(ok, list)


def test_warrant_exercise_more_than_remains_is_refused():
    exercise = [["Exercise Date", datetime(2004, 6, 15)], ["Shares", 161291.0]]
    got = call("WARRANT_EXERCISE", D1_TERMS, None, exercise)
    assert got.startswith("#WARRANT: Exercise") and "Shares" in got


# --------------------------------------------------------------------------- register

def test_warrant_register():
    # One 2-for-1 split (§4(b)) over two warrants: D-1 161,290 @ $.01 -> 322,580 @ $0.005 = $1,612.90;
    # an illustrative D-2 of 80,000 @ $.02 -> 160,000 @ $.01 = $1,600.00.
    register = [["Preset", "Warrant", "Warrant Shares", "Exercise Price"], ["D-1", "D-1", 161290.0, 0.01],
                [None, None, None, None], ["D-1", "D-2", 80000.0, 0.02]]
    assert call("WARRANT_REGISTER", register, SPLIT, AS_OF) == [
        ["Warrant", "Price", "Shares", "Aggregate Price"],
        ["D-1", 0.005, 322580, 1612.90],
        ["D-2", 0.01, 160000, 1600.0],
    ]


def test_warrant_register_error_names_the_row():
    register = [["Preset", "Warrant", "Warrant Shares"], ["D-1", "D-1", 161290.0], ["D-1", "D-2", -5.0]]
    assert call("WARRANT_REGISTER", register, None, AS_OF) == \
        "#WARRANT: Register row 3: Warrant Shares (-5) must be positive"


REGISTER_REFUSALS = [  # issue 8: a register is its warrants' own terms, never D-1's by accident
    ("no Preset column and no Anti-Dilution column",
     [["Warrant", "Warrant Shares", "Exercise Price", "Issue Date"], ["W-1", 100.0, 1.0, datetime(2020, 1, 1)]],
     "#WARRANT: Register row 1: missing column 'Anti-Dilution': a register needs a Preset column or the columns "
     "Warrant Shares, Exercise Price, Issue Date, Anti-Dilution"),
    ("a row with a blank Preset and a blank required value",
     [["Preset", "Warrant", "Warrant Shares", "Exercise Price", "Issue Date", "Anti-Dilution"],
      ["D-1", "D-1", 161290.0, 0.01, None, None],
      [None, "W-2", 100.0, None, datetime(2020, 1, 1), "NONE"]],
     "#WARRANT: Register row 3: Exercise Price is blank: this function needs it (add the label, or a Preset row "
     "such as 'Preset | D-1' to start from a known warrant's terms)"),
    ("an unknown preset",
     [["Preset", "Warrant"], ["D-9", "W-1"]],
     "#WARRANT: Register row 2: Preset ('D-9') is not a known preset; known: D-1 (or leave it blank and give "
     "every required term)"),
]


@pytest.mark.parametrize("case, register, expected", REGISTER_REFUSALS, ids=[c[0] for c in REGISTER_REFUSALS])
def test_warrant_register_refusals(case, register, expected):
    assert call("WARRANT_REGISTER", register, None, AS_OF) == expected


def test_warrant_register_of_own_terms():
    # Two plain warrants with their own terms, no preset; a 3-for-1 split (§4(b)) on 2021-06-01:
    # W-1 300 @ $9 -> 900 @ $3, aggregate $2,700.00; W-2 50 @ $1.50 -> 150 @ $0.50, aggregate $75.00.
    register = [["Warrant", "Warrant Shares", "Exercise Price", "Issue Date", "Anti-Dilution"],
                ["W-1", 300.0, 9.0, datetime(2020, 1, 1), "BROAD_WEIGHTED_AVERAGE"],
                ["W-2", 50.0, 1.5, datetime(2020, 1, 1), "NONE"]]
    split = [EVENTS_HEADER, ev(datetime(2021, 6, 1), "SPLIT", ratio="3-for-1")]
    assert call("WARRANT_REGISTER", register, split, datetime(2022, 1, 1)) == [
        ["Warrant", "Price", "Shares", "Aggregate Price"], ["W-1", 3.0, 900, 2700.0], ["W-2", 0.5, 150, 75.0]]


# --------------------------------------------------------------------------- reallocation

OPTIONEES_HEADER = ["Optionee", "Allocation", "Exercised", "Agreed Shares", "Assigned From"]


def test_option_reallocate_the_agreement():
    # The agreement: one optionee did not exercise (illustratively 71,421 shares, the whole unexercised
    # portion); TCW/CCI Holding LLC, the only exerciser here, is reallocated all 71,421 and by the Waiver
    # lets the three Investors exercise 33,689 / 33,689 / 4,043 = 71,421 of it at $7.50:
    # 33,689 x 7.50 = $252,667.50; 4,043 x 7.50 = $30,322.50; 71,421 x 7.50 = $535,657.50.
    optionees = [OPTIONEES_HEADER,
                 ["Non-exercising Optionee", 71421.0, False, None, None],
                 ["TCW/CCI Holding LLC", 100000.0, True, None, None],
                 ["John E. Avery", 0.0, True, 33689.0, "TCW/CCI Holding LLC"],
                 ["Scott Family Investors, LLC", 0.0, True, 33689.0, "TCW/CCI Holding LLC"],
                 ["Ernesto Ramon", 0.0, True, 4043.0, "TCW/CCI Holding LLC"]]
    grid = call("OPTION_REALLOCATE", optionees, 7.5)
    assert grid[0] == ["Optionee", "Allocation", "Exercised", "Reallocated", "Assigned", "Shares", "Purchase Price"]
    rows = {r[0]: r for r in grid[1:]}
    assert rows["John E. Avery"][3:] == [0, 33689, 33689, 252667.50]
    assert rows["Scott Family Investors, LLC"][3:] == [0, 33689, 33689, 252667.50]
    assert rows["Ernesto Ramon"][3:] == [0, 4043, 4043, 30322.50]
    assert rows["TCW/CCI Holding LLC"][3:] == [71421, -71421, 0, 0.0]
    assert rows["Non-exercising Optionee"][2:] == [False, 0, 0, 0, 0.0]
    assert grid[-1][0] == "Total"
    assert grid[-1][3:] == [71421, 0, 71421, 535657.50]


def test_option_reallocate_pro_rata_largest_remainder():
    # 71,421 unexercised over allocations 100,000 : 300,000 -> 17,855.25 and 53,565.75; floors sum to
    # 71,420 and the one share left goes to the larger remainder (.75): 17,855 and 53,566.
    optionees = [OPTIONEES_HEADER, ["A", 100000.0, True, None, None], ["B", 300000.0, "yes", None, None],
                 ["C", 71421.0, "no", None, None]]
    grid = call("OPTION_REALLOCATE", optionees, 7.5)
    rows = {r[0]: r for r in grid[1:]}
    assert rows["A"][3] == 17855 and rows["B"][3] == 53566
    assert rows["A"][6] == 133912.50  # 17,855 x 7.50


# --------------------------------------------------------------------------- errors

def test_error_names_the_row_inside_the_range_passed():
    events = [EVENTS_HEADER, [None] * 11, ev(datetime(2002, 6, 3), "SPLIT", ratio="2-for-1"),
              ev(datetime(2002, 7, 1), "SPLIT", ratio="0-for-1")]
    got = call("WARRANT_PRICE", D1_TERMS, events, AS_OF)
    assert got.startswith("#WARRANT: Events row 4: Ratio") and "0-for-1" in got
    assert "\n" not in got


def test_unknown_header_lists_the_known_ones():
    got = call("WARRANT_PRICE", D1_TERMS, [["Date", "Kind"], [AS_OF, "SPLIT"]], AS_OF)
    assert got.startswith("#WARRANT: Events row 1: unknown header 'Kind'; known headers: Date, Event, Shares")


def test_unknown_terms_label_lists_the_known_ones():
    got = call("WARRANT_PRICE", D1_TERMS + [["Strike", 1.0]], None, AS_OF)
    assert got.startswith(f"#WARRANT: Terms row {len(D1_TERMS) + 1}: unknown label 'Strike'; known labels: Preset, Warrant,")


def test_excel_error_in_an_input_cell():
    terms = [["Warrant Shares", "#N/A"]]
    assert call("WARRANT_PRICE", terms, None, AS_OF) == "#WARRANT: Terms row 1: Warrant Shares holds the Excel error #N/A"


def test_d1_values_come_only_from_the_preset():
    assert call("WARRANT_PRICE", [["Preset", "D-1"]], None, AS_OF) == 0.01        # preamble: $.01
    assert call("WARRANT_SHARES", [["Preset", "D-1"]], None, AS_OF) == 161290     # preamble: 161,290


PLAIN = [["Warrant Shares", 1000.0], ["Exercise Price", 2.0], ["Issue Date", datetime(2019, 3, 1)],
         ["Anti-Dilution", "BROAD_WEIGHTED_AVERAGE"]]
REQUIRED_CASES = [  # (function, terms, expected refusal): issue 8 §1, the required terms per function
    ("WARRANT_PRICE", [["Warrant", "D-1"]],
     "#WARRANT: Terms: Warrant Shares, Exercise Price, Issue Date, Anti-Dilution are missing or blank: this "
     "function needs them (add the labels, or a Preset row such as 'Preset | D-1' to start from a known "
     "warrant's terms)"),
    ("WARRANT_SHARES", None,
     "#WARRANT: Terms: Warrant Shares, Exercise Price, Issue Date, Anti-Dilution are missing or blank: this "
     "function needs them (add the labels, or a Preset row such as 'Preset | D-1' to start from a known "
     "warrant's terms)"),
    ("WARRANT_PRICE", [r for r in PLAIN if r[0] != "Anti-Dilution"],
     "#WARRANT: Terms: Anti-Dilution is missing: this function needs it (add the label, or a Preset row such as "
     "'Preset | D-1' to start from a known warrant's terms)"),
    ("WARRANT_ADJUSTMENTS", [r if r[0] != "Exercise Price" else ["Exercise Price", None] for r in PLAIN],
     "#WARRANT: Terms: Exercise Price is blank: this function needs it (add the label, or a Preset row such as "
     "'Preset | D-1' to start from a known warrant's terms)"),
    ("WARRANT_EXERCISABLE", PLAIN,
     "#WARRANT: Terms: Exercise Start, Exercise End are missing or blank: this function needs them (add the "
     "labels, or a Preset row such as 'Preset | D-1' to start from a known warrant's terms)"),
    ("WARRANT_STATUS", PLAIN + [["Exercise Start", datetime(2019, 3, 1)]],
     "#WARRANT: Terms: Exercise End is missing: this function needs it (add the label, or a Preset row such as "
     "'Preset | D-1' to start from a known warrant's terms)"),
]


@pytest.mark.parametrize("name, terms, expected", REQUIRED_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(REQUIRED_CASES)])
def test_required_terms_are_refused_by_name(name, terms, expected):
    assert call(name, terms, None, AS_OF) == expected


def test_optional_terms_default_to_a_plain_warrant_not_d1():
    # A plain broad weighted-average warrant: no Minimum Adjustment (D-1: 1%), no performance condition.
    # A 2-for-1 split halves $2.00 to $1.00 (§4(b)); nothing of D-1's figures appears.
    split = [EVENTS_HEADER, ev(datetime(2020, 6, 1), "SPLIT", ratio="2-for-1")]
    assert call("WARRANT_PRICE", PLAIN, split, datetime(2021, 1, 1)) == 1.0
    grid = call("WARRANT_TERMS", PLAIN)
    assert grid[0] == ["Label", "Value", "Source"]
    rows = {r[0]: (r[1], r[2]) for r in grid[1:]}
    assert rows["Preset"] == ("none", "default")
    assert rows["Exercise Price"] == (2, "given")
    assert rows["Anti-Dilution"] == ("BROAD_WEIGHTED_AVERAGE", "given")
    assert rows["Minimum Adjustment"] == (0, "default")
    assert rows["Management Cap"] == ("none", "default")
    assert rows["Price Floor"] == ("none", "default")
    assert rows["Requires Performance Default"] == (False, "default")
    assert rows["Exercise End Time"][1] == "default" and rows["Time Zone"] == ("America/New_York", "default")
    assert rows["Delivery Days"] == ("none", "default")


def test_warrant_terms_names_the_preset_and_what_was_typed():
    grid = call("WARRANT_TERMS", [["Preset", "D-1"], ["Exercise Price", 0.02]])
    rows = {r[0]: (r[1], r[2]) for r in grid[1:]}
    assert rows["Preset"] == ("D-1", "given")
    assert rows["Exercise Price"] == (0.02, "given")
    assert rows["Warrant Shares"] == (161290, "preset")              # preamble
    assert rows["Minimum Adjustment"] == (0.01, "preset")            # §4(g)(iii)
    assert rows["Management Cap"] == (0.1, "preset")                 # §4(a)(i)(A)
    assert rows["Instrument"] == ("Performance Warrant No. D-1", "preset")
    assert rows["Performance Tests"][1] == "preset" and "§2(a) Building Test at least 120" in rows["Performance Tests"][0]


def test_date1904_workbook():
    # 2004-06-15 is serial 38153 in the 1900 system and 38153 - 1462 = 36691 in the 1904 system.
    assert call("WARRANT_PRICE", D1_TERMS, SPLIT, 38153.0) == 0.005
    assert call("WARRANT_PRICE", D1_TERMS, SPLIT, 36691.0, date1904=True) == 0.005
    # 2002-06-02 (the day before the split) as a 1904 serial: 37409 - 1462 = 35947.
    assert call("WARRANT_PRICE", D1_TERMS, SPLIT, 35947.0, date1904=True) == 0.01
    # Serial event dates read in the workbook's system too: 2002-06-03 = 37410 (1900) / 35948 (1904).
    events = [EVENTS_HEADER, ev(35948.0, "SPLIT", ratio="2-for-1")]
    grid = call("WARRANT_ADJUSTMENTS", D1_TERMS, events, 36691.0, date1904=True)
    assert grid[1][0] == datetime(2002, 6, 3)


def test_non_warrant_exceptions_propagate(monkeypatch):
    import addin.excel.functions as F

    def boom(*a, **k):
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(F.cv, "parse_terms", boom)
    with pytest.raises(ZeroDivisionError):
        call("WARRANT_PRICE", D1_TERMS, None, AS_OF)


MESSAGE_CASES = [  # issue 12: a refusal says what to do, not only what is wrong
    ("an unknown events header",
     ("WARRANT_PRICE", D1_TERMS, [["Date", "Event", "Comment"], [AS_OF, "SPLIT", "x"]], AS_OF),
     "Use the Note column for remarks, or leave the header cell blank for a column of your own"),
    ("a missing named range Events (the recalculation passes #NAME?)",
     ("WARRANT_PRICE", D1_TERMS, "#NAME?", AS_OF),
     "#WARRANT: Events: the argument is #NAME?: no range named Events?"),
    ("a missing named range Terms",
     ("WARRANT_SHARES", [["#NAME?"]], None, AS_OF),
     "#WARRANT: Terms: the argument is #NAME?: no range named Terms?"),
]


@pytest.mark.parametrize("case, args, expected", MESSAGE_CASES, ids=[c[0] for c in MESSAGE_CASES])
def test_refusals_say_what_to_do(case, args, expected):
    got = call(*args)
    assert isinstance(got, str) and got.startswith(ERROR_PREFIX) and expected in got


def test_a_column_with_a_blank_header_is_the_users_own():
    # The blank-header column is ignored: the 2-for-1 split still halves $.01 (§4(b)).
    events = [["Date", "Event", "Ratio", None], [datetime(2002, 6, 3), "SPLIT", "2-for-1", "my remark"]]
    assert call("WARRANT_PRICE", D1_TERMS, events, AS_OF) == 0.005


WHOLE_SHARES = [  # issue 8 §2: the Shares of a STOCK_DIVIDEND are shares, never a rate (§4(c))
    # issue 18: D-1's terms here give 3,000,000 Common outstanding: 10% of it is 300,000 shares
    ("10%", "Shares ('10%') must be a whole number of shares: for a 10% stock dividend enter 10% of the Common "
            "outstanding (10% of the 3,000,000 Common outstanding on 2002-06-03 is 300,000 shares)"),
    (0.1, "Shares (0.1) must be a whole number of shares: for a 10% stock dividend enter 10% of the Common "
          "outstanding (10% of the 3,000,000 Common outstanding on 2002-06-03 is 300,000 shares)"),
    (2.5, "Shares (2.5) must be a whole number of shares"),
    (-5.0, "Shares (-5) must be a whole number of shares, not negative"),
]


@pytest.mark.parametrize("shares, message", WHOLE_SHARES, ids=[str(w[0]) for w in WHOLE_SHARES])
def test_a_dividend_typed_as_a_rate_is_refused_as_typed(shares, message):
    events = [EVENTS_HEADER, ev(datetime(2002, 6, 3), "STOCK_DIVIDEND", shares=shares)]
    assert call("WARRANT_PRICE", D1_TERMS, events, AS_OF) == f"#WARRANT: Events row 2: {message}"


AMOUNT_NOT_RATE = [  # a percent typed where an amount belongs is refused, naming the row (issue 8 §2)
    ("Warrant Shares", "10%", "#WARRANT: Terms row 1: Warrant Shares ('10%') is a percentage; enter a number of shares"),
    ("Exercise Price", "10%", "#WARRANT: Terms row 2: Exercise Price ('10%') is a percentage; enter a price per share"),
    ("Exercise Price", -1.0, "#WARRANT: Terms row 2: Exercise Price (-1) must not be negative"),
]


@pytest.mark.parametrize("label, value, expected", AMOUNT_NOT_RATE, ids=[f"{a}-{b}" for a, b, _ in AMOUNT_NOT_RATE])
def test_an_amount_is_not_a_rate(label, value, expected):
    terms = [[lab, value if lab == label else v] for lab, v in PLAIN]  # Warrant Shares row 1, Exercise Price row 2
    assert call("WARRANT_PRICE", terms, None, datetime(2021, 1, 1)) == expected


def test_a_rate_term_takes_a_percent():
    # Minimum Adjustment is a rate: "1%" is 1/100 (D-1 §4(g)(iii)'s one percent).
    grid = call("WARRANT_TERMS", PLAIN + [["Minimum Adjustment", "1%"]])
    assert {r[0]: r[1] for r in grid[1:]}["Minimum Adjustment"] == 0.01
