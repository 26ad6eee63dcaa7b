"""Issue 19, financial, date and text functions, checked against values Excel computed.

Two sources of expected values:
- the books Excel saved (``tests/fixtures/ironcalc``, ``tests/fixtures/xlcalculator``): every
  formula cell of each book below is recalculated and compared with the value Excel cached (as
  ``test_conformance`` defines a match); a cell that does not match must be an error recorded as
  unsupported, and the number that match may only grow (pinned per book);
- single formulas whose value Microsoft's documentation of the function states (page named on
  each row) or a cell of an Excel-saved book holds (book and cell named on the row).
"""
from __future__ import annotations

import math
import re
import warnings
from functools import lru_cache

import openpyxl
import pytest
from openpyxl import Workbook

from addin.recalc import XLError, load_book, recalc_workbook
from tests.test_conformance import FIXTURE_ROOT, matches

# book -> the cells that match Excel today (a floor: more may match, never fewer)
BOOKS = {
    "ironcalc/calc_tests__DATE_AND_TIME__DATE.xlsx": 39,
    "ironcalc/calc_tests__DATE_AND_TIME__DATE_DAY_MONTH_YEAR.xlsx": 68,
    "ironcalc/calc_tests__DATE_AND_TIME__DATE_TIME.xlsx": 10,
    "ironcalc/calc_tests__DATE_AND_TIME__EOMONTH.xlsx": 20,
    "ironcalc/calc_tests__DATE_AND_TIME__TIME_HOUR_MINUTE_SECOND.xlsx": 131,
    "ironcalc/calc_tests__FINANCIAL__ACCRINT.xlsx": 39,
    "ironcalc/calc_tests__FINANCIAL__ACCRINTM.xlsx": 17,
    "ironcalc/calc_tests__FINANCIAL__ACCRINT_ACCRINTM.xlsx": 51,
    "ironcalc/calc_tests__FINANCIAL__ACCRINT_extended.xlsx": 259,
    "ironcalc/calc_tests__FINANCIAL__COUPDAYS.xlsx": 225,
    "ironcalc/calc_tests__FINANCIAL__DB_DDB.xlsx": 80,
    "ironcalc/calc_tests__FINANCIAL__DISC.xlsx": 19,
    "ironcalc/calc_tests__FINANCIAL__FVSCHEDULE.xlsx": 4,
    "ironcalc/calc_tests__FINANCIAL__INTRATE.xlsx": 10,
    "ironcalc/calc_tests__FINANCIAL__ISPMT.xlsx": 29,
    "ironcalc/calc_tests__FINANCIAL__MIRR.xlsx": 4,
    "ironcalc/calc_tests__FINANCIAL__NOMINAL_EFFECT.xlsx": 90,
    "ironcalc/calc_tests__FINANCIAL__NPER.xlsx": 45,
    "ironcalc/calc_tests__FINANCIAL__PDURATION.xlsx": 20,
    "ironcalc/calc_tests__FINANCIAL__PRICE_YIELD.xlsx": 321,
    "ironcalc/calc_tests__FINANCIAL__PV.xlsx": 45,
    "ironcalc/calc_tests__FINANCIAL__RRI.xlsx": 22,
    "ironcalc/calc_tests__FINANCIAL__SLN_SYD.xlsx": 43,
    "ironcalc/calc_tests__FINANCIAL__TBILLs.xlsx": 271,
    "ironcalc/calc_tests__FINANCIAL__XNPV.xlsx": 3,
    "ironcalc/calc_tests__FINANCIAL__accrint_cases.xlsx": 400,
    "ironcalc/calc_tests__TEXT__CHAR.xlsx": 257,
    "ironcalc/calc_tests__TEXT__CONCAT.xlsx": 29,
    "ironcalc/calc_tests__TEXT__CONCATENATE.xlsx": 31,
    "ironcalc/calc_tests__TEXT__DOLLARs.xlsx": 36,
    "ironcalc/calc_tests__TEXT__EXACT.xlsx": 13,
    "ironcalc/calc_tests__TEXT__FIND_SEARCH.xlsx": 62,
    "ironcalc/calc_tests__TEXT__PROPER.xlsx": 11,
    "ironcalc/calc_tests__TEXT__REPT.xlsx": 17,
    "ironcalc/calc_tests__TEXT__SUBSTITUTE.xlsx": 34,
    "ironcalc/calc_tests__TEXT__TEXTBEFORE_TEXTAFTER.xlsx": 143,
    "ironcalc/calc_tests__TEXT__TEXTJOIN.xlsx": 5,
    "ironcalc/calc_tests__TEXT__TEXTSPLIT.xlsx": 72,
    "ironcalc/calc_tests__TEXT__T_VALUE_VALUETOTEXT.xlsx": 59,
    "ironcalc/calc_tests__TEXT__UNICODE.xlsx": 24,
    "ironcalc/docs__DATE.xlsx": 16,
    "ironcalc/docs__PV.xlsx": 10,
    "xlcalculator/DATEDIF.xlsx": 6,
    "xlcalculator/EDATE.xlsx": 4,
    "xlcalculator/EOMONTH.xlsx": 3,
    "xlcalculator/NPV.xlsx": 2,
    "xlcalculator/PMT.xlsx": 3,
    "xlcalculator/RIGHT.xlsx": 2,
    "xlcalculator/VDB.xlsx": 128,
    "xlcalculator/YEARFRAC.xlsx": 3,
}

# Cells whose cached value openpyxl cannot hand over as Excel holds it: a text result that
# starts with "#" (the book's XML has t="str", so it is text, not an error value).
TEXT_CELLS = {
    ("ironcalc/calc_tests__TEXT__CHAR.xlsx", "Sheet1", "B35"): "#",
    ("ironcalc/calc_tests__TEXT__T_VALUE_VALUETOTEXT.xlsx", "Sheet1", "D7"): "#DIV/0!",
}

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(v):
    """An OOXML string's ``_xHHHH_`` escapes (how Excel writes CHAR(1)), which openpyxl keeps."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), v) if isinstance(v, str) else v


@lru_cache(maxsize=None)
def _outcomes(name: str):
    path = FIXTURE_ROOT / name
    wb = load_book(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cached = openpyxl.load_workbook(path, data_only=True)
    result = recalc_workbook(wb, None)
    rows = []
    for key in result.formula_cells + sorted(result.spilled):
        sheet, r, c = key
        coord = f"{openpyxl.utils.get_column_letter(c)}{r}"
        got = result.values.get(key)
        if (name, sheet, coord) in TEXT_CELLS:
            expected = TEXT_CELLS[(name, sheet, coord)]
            ok = got == expected and not isinstance(got, XLError)
        else:
            expected = _unescape(cached[sheet].cell(row=r, column=c).value)
            ok = matches(expected, got, wb.epoch)
        status = "matched" if ok else "unsupported" if isinstance(got, XLError) and key in result.unsupported \
            else "wrong"
        rows.append((status, f"{sheet}!{coord}", expected, got))
    return rows


@pytest.mark.parametrize("name", sorted(BOOKS))
def test_every_cell_of_the_book_is_excels_value_or_refused(name):
    rows = _outcomes(name)
    wrong = [r for r in rows if r[0] == "wrong"]
    assert not wrong, f"{name}: {wrong[:10]}"
    matched = sum(1 for r in rows if r[0] == "matched")
    assert matched >= BOOKS[name], f"{name}: {matched} cells match Excel, pinned {BOOKS[name]}"


# ----------------------------------------------------------------------------- single formulas

def _calc(formula: str, cells: dict | None = None):
    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    ws["A1"] = formula
    for ref, v in (cells or {}).items():
        ws[ref] = v
    r = recalc_workbook(wb, None)
    return r["S!A1"], r


def _close(got, want, places=None):
    if places is None:
        return got == want or (isinstance(got, float) and math.isclose(got, want, rel_tol=1e-9))
    return isinstance(got, float) and round(got, places) == want


@pytest.mark.parametrize("formula, want, places, source", [
    # issue 19's first list
    ('=RIGHT("a string",10)', "a string", None,
     "Microsoft, RIGHT: 'If num_chars is greater than the length of text, RIGHT returns all of text'"),
    ('=MID("abc",1E+300,1)', "", None, "Microsoft, MID: 'If start_num is greater than the length of text, MID returns \"\"'"),
    ("=DATE(1E+10,1,1)", "#NUM!", None, "Microsoft, DATE: a year of 10000 or more is #NUM!"),
    ("=PMT(-1,10,100)", "#NUM!", None, "issue 19: Excel gives #NUM! for a rate of -1 or less"),
    ("=PMT(-1.5,10,100)", "#NUM!", None, "issue 19: Excel gives #NUM! for a rate of -1 or less"),
    ("=NPV(0.1,1/0,2)", "#DIV/0!", None, "issue 19: NPV passes an error argument on"),
    ('=DATEVALUE("29-Feb-1900")', 60.0, None, "calc_tests__DATE_AND_TIME__DATE_TIME.xlsx Sheet1!C8"),
    ('=DATEVALUE("1-Mar-1900")', 61.0, None, "calc_tests__DATE_AND_TIME__DATE_TIME.xlsx Sheet1!C9"),
    ("=TIME(23,59,60)", 0.0, None, "calc_tests__DATE_AND_TIME__DATE_TIME.xlsx Sheet1!C2"),
    ("=TIME(0,0,-1)", "#NUM!", None, "calc_tests__DATE_AND_TIME__DATE_TIME.xlsx Sheet1!C4"),
    ('=TIMEVALUE("12:00 PM")', 0.5, None, "calc_tests__DATE_AND_TIME__DATE_TIME.xlsx Sheet1!C7"),
    # Microsoft's documentation examples (values as the page shows them, rounded as shown)
    ("=PMT(0.08/12,10,10000)", -1037.03, 2, "Microsoft, PMT example"),
    ("=PMT(0.06/12,18*12,0,50000)", -129.08, 2, "Microsoft, PMT example"),
    ("=PV(0.08/12,12*20,500,,0)", -59777.15, 2, "Microsoft, PV example"),
    ("=FV(0.06/12,10,-200,-500,1)", 2581.40, 2, "Microsoft, FV example"),
    ("=NPER(0.12/12,-100,-1000,10000,1)", 59.67, 2, "Microsoft, NPER example"),
    ("=RATE(4*12,-200,8000)", 0.0077, 4, "Microsoft, RATE example (0.77% a month)"),
    ("=IPMT(0.1/12,1,3*12,8000)", -66.67, 2, "Microsoft, IPMT example"),
    ("=PPMT(0.1/12,1,2*12,2000)", -75.62, 2, "Microsoft, PPMT example"),
    ("=CUMIPMT(0.09/12,30*12,125000,13,24,0)", -11135.23, 2, "Microsoft, CUMIPMT example"),
    ("=CUMPRINC(0.09/12,30*12,125000,13,24,0)", -934.11, 2, "Microsoft, CUMPRINC example"),
    ("=EFFECT(0.0525,4)", 0.0535427, 7, "Microsoft, EFFECT example"),
    ("=NOMINAL(0.053543,4)", 0.0525003, 7, "Microsoft, NOMINAL example"),
    ("=SYD(30000,7500,10,1)", 4090.91, 2, "Microsoft, SYD example"),
    ("=DB(1000000,100000,6,1,7)", 186083.33, 2, "Microsoft, DB example"),
    ("=DDB(2400,300,10,1,2)", 480.0, 2, "Microsoft, DDB example"),
    ("=DDB(2400,300,10,10)", 22.12, 2, "Microsoft, DDB example"),
    ("=VDB(2400,300,10*12,0,1)", 40.0, 2, "Microsoft, VDB example"),
    ("=VDB(2400,300,10,0,0.875,1.5)", 315.0, 2, "Microsoft, VDB example"),
    ("=PDURATION(0.025,2000,2200)", 3.86, 2, "Microsoft, PDURATION example"),
    ("=RRI(96,10000,11000)", 0.0009933, 7, "Microsoft, RRI example"),
    ("=TBILLPRICE(DATE(2008,3,31),DATE(2008,6,1),0.09)", 98.45, 2, "Microsoft, TBILLPRICE example"),
    ("=TBILLYIELD(DATE(2008,3,31),DATE(2008,6,1),98.45)", 0.0914, 4, "Microsoft, TBILLYIELD example"),
    ("=TBILLEQ(DATE(2008,3,31),DATE(2008,6,1),0.0914)", 0.0942, 4, "Microsoft, TBILLEQ example"),
    ("=COUPDAYS(DATE(2011,1,25),DATE(2011,11,15),2,1)", 181.0, None, "Microsoft, COUPDAYS example"),
    ("=COUPDAYBS(DATE(2011,1,25),DATE(2011,11,15),2,1)", 71.0, None, "Microsoft, COUPDAYBS example"),
    ("=COUPNUM(DATE(2007,1,25),DATE(2008,11,15),2,1)", 4.0, None, "Microsoft, COUPNUM example"),
    ("=PRICE(DATE(2008,2,15),DATE(2017,11,15),0.0575,0.065,100,2,0)", 94.63, 2, "Microsoft, PRICE example"),
    ("=YIELD(DATE(2008,2,15),DATE(2016,11,15),0.0575,95.04287,100,2,0)", 0.065, 4, "Microsoft, YIELD example"),
    ("=DURATION(DATE(2018,7,1),DATE(2048,1,1),0.08,0.09,2,1)", 10.9191453, 7, "Microsoft, DURATION example"),
    ("=MDURATION(DATE(2008,1,1),DATE(2016,1,1),0.08,0.09,2,1)", 5.73567, 5, "Microsoft, MDURATION example"),
    ('=ARRAYTOTEXT({1,"a";TRUE,2})', "1, a, TRUE, 2", None, "Microsoft, ARRAYTOTEXT: concise format"),
    ('=ARRAYTOTEXT({1,"a";TRUE,2},1)', '{1,"a";TRUE,2}', None, "Microsoft, ARRAYTOTEXT: strict format"),
    ("=ACCRINTM(DATE(2008,4,1),DATE(2008,6,15),0.1,1000,3)", 20.55, 2, "Microsoft, ACCRINTM example"),
    ("=DISC(DATE(2018,7,1),DATE(2048,1,1),97.975,100,1)", 0.000686, 6, "Microsoft, DISC example"),
    ("=INTRATE(DATE(2008,2,15),DATE(2008,5,15),1000000,1014420,2)", 0.05768, 5, "Microsoft, INTRATE example"),
    ("=YEARFRAC(DATE(2012,1,1),DATE(2012,7,30))", 0.58055556, 8, "Microsoft, YEARFRAC example"),
    ("=YEARFRAC(DATE(2012,1,1),DATE(2012,7,30),1)", 0.57650273, 8, "Microsoft, YEARFRAC example"),
    ("=YEARFRAC(DATE(2012,1,1),DATE(2012,7,30),3)", 0.57808219, 8, "Microsoft, YEARFRAC example"),
    ("=DAYS360(DATE(2011,1,30),DATE(2011,12,31))", 330.0, None, "Microsoft, DAYS360 example"),
    ('=NETWORKDAYS(DATE(2012,10,1),DATE(2013,3,1))', 110.0, None, "Microsoft, NETWORKDAYS example"),
    ("=WORKDAY(DATE(2008,10,1),151)", 39933.0, None, "Microsoft, WORKDAY example (2009-04-30)"),
    ('=NETWORKDAYS.INTL(DATE(2006,1,1),DATE(2006,1,31))', 22.0, None, "Microsoft, NETWORKDAYS.INTL example"),
    ('=NETWORKDAYS.INTL(DATE(2006,2,28),DATE(2006,1,31))', -21.0, None, "Microsoft, NETWORKDAYS.INTL example"),
    ('=WORKDAY.INTL(DATE(2012,1,1),30,0)', "#NUM!", None, "Microsoft, WORKDAY.INTL example (weekend 0)"),
    ("=WEEKDAY(DATE(2008,2,14))", 5.0, None, "Microsoft, WEEKDAY example"),
    ("=WEEKDAY(DATE(2008,2,14),2)", 4.0, None, "Microsoft, WEEKDAY example"),
    ("=WEEKNUM(DATE(2012,3,9))", 10.0, None, "Microsoft, WEEKNUM example"),
    ("=WEEKNUM(DATE(2012,3,9),2)", 11.0, None, "Microsoft, WEEKNUM example"),
    ("=ISOWEEKNUM(DATE(2012,3,9))", 10.0, None, "Microsoft, ISOWEEKNUM example"),
    ('=TEXT(1234.567,"$#,##0.00")', "$1,234.57", None, "Microsoft, TEXT example"),
    ('=TEXT(0.285,"0.0%")', "28.5%", None, "Microsoft, TEXT example"),
    ('=TEXT(4.34,"# ?/?")', "4 1/3", None, "Microsoft, TEXT example"),
    ('=TRIM(TEXT(0.34,"# ?/?"))', "1/3", None, "Microsoft, TEXT example"),
    ('=TEXT(12200000,"0.00E+00")', "1.22E+07", None, "Microsoft, TEXT example"),
    ('=TEXT(1234,"0000000")', "0001234", None, "Microsoft, TEXT example"),
    ("=TEXT(123456,\"##0° 00' 00''\")", "12° 34' 56''", None, "Microsoft, TEXT example"),
    ('=TEXT(12200000,"#,###.0,")', "12,200.0", None, "Microsoft, TEXT: commas after placeholders scale"),
    ('=TEXT(8.9,"#.000")', "8.900", None, "Microsoft, TEXT placeholder table"),
    ('=TEXT(0.631,"0.#")', "0.6", None, "Microsoft, TEXT placeholder table"),
    ('=TEXT(12,"#.0#")', "12.0", None, "Microsoft, TEXT placeholder table"),
    ('=TEXT(DATE(1996,1,1),"ddd")', "Mon", None, "calc_tests__TEXT__UPPER_LOWER.xlsx Sheet1!F9"),
    ('=FIXED(1234.567,1)', "1,234.6", None, "Microsoft, FIXED example"),
    ('=FIXED(1234.567,-1)', "1,230", None, "Microsoft, FIXED example"),
    ('=FIXED(-1234.567,-1,TRUE)', "-1230", None, "Microsoft, FIXED example"),
    ('=DOLLAR(1234.567,2)', "$1,234.57", None, "Microsoft, DOLLAR example"),
    ('=DOLLAR(-1234.567,-2)', "($1,200)", None, "Microsoft, DOLLAR example"),
    ('=DOLLAR(0.123,4)', "$0.1230", None, "Microsoft, DOLLAR example"),
    ('=NUMBERVALUE("2.500,27",",",".")', 2500.27, None, "Microsoft, NUMBERVALUE example"),
    ('=NUMBERVALUE("3.5%")', 0.035, None, "Microsoft, NUMBERVALUE example"),
    ('=SUBSTITUTE("Quarter 1, 2011","1","2",3)', "Quarter 1, 2012", None, "Microsoft, SUBSTITUTE example"),
    ('=REPLACE("abcdefghijk",6,5,"*")', "abcde*k", None, "Microsoft, REPLACE example"),
    ('=REPLACE("2009",3,2,"10")', "2010", None, "Microsoft, REPLACE example"),
    ('=PROPER("this is a TITLE")', "This Is A Title", None, "Microsoft, PROPER example"),
    ('=PROPER("76BudGet")', "76Budget", None, "Microsoft, PROPER example"),
    ('=CLEAN(CHAR(9)&"Monthly report"&CHAR(10))', "Monthly report", None, "Microsoft, CLEAN example"),
    ('=TEXTBEFORE("Red riding hood\'s, red hood","hood")', "Red riding ", None, "Microsoft, TEXTBEFORE example"),
    ('=TEXTAFTER("Red riding hood\'s, red hood","hood",2)', "", None, "Microsoft, TEXTAFTER example"),
    ('=TEXTAFTER("Red riding hood\'s, red hood","HOOD",1,1)', "'s, red hood", None, "Microsoft, TEXTAFTER example"),
    ("=CHAR(65)", "A", None, "Microsoft, CHAR example"),
    ("=CODE(\"A\")", 65.0, None, "Microsoft, CODE example"),
    ("=UNICHAR(66)", "B", None, "Microsoft, UNICHAR example"),
    ('=UNICODE("B")', 66.0, None, "Microsoft, UNICODE example"),
    ("=MIRR({-120000,39000,30000,21000,37000,46000},0.1,0.12)", 0.126094, 6, "Microsoft, MIRR example"),
    ("=IRR({-70000,12000,15000,18000,21000})", -0.0212448482734109, None,
     "bradbase/xlcalculator tests/resources/IRR.xlsx Sheet1!A1 (Microsoft's IRR example)"),
    ("=IRR({-70000,12000,15000,18000,21000,26000})", 0.0866309480365222, None,
     "bradbase/xlcalculator tests/resources/IRR.xlsx Sheet1!B1"),
    ("=IRR({-70000,12000,15000,18000,21000,26000},-0.2)", 0.0866309480365316, None,
     "bradbase/xlcalculator tests/resources/IRR.xlsx Sheet1!C1"),
])
def test_a_formula_gives_the_value_excel_documents(formula, want, places, source):
    got, _ = _calc(formula)
    if isinstance(want, str):
        assert got == want, source
    else:
        assert _close(got, want, places), f"{source}: {got!r}"


def test_a_range_the_evaluator_would_intersect_is_refused_not_read_as_one_cell():
    # calc_tests__FINANCIAL__MIRR.xlsx Two Parameters!E2: =-MIRR(A2:B2,C2,D2), Excel 0.2. Until the
    # evaluator passes MIRR's values whole in a plain formula, the cell must be refused.
    got, r = _calc("=-MIRR(B1:C1,D1,E1)", {"B1": -5, "C1": 4, "D1": 0.1, "E1": 0.2})
    if isinstance(got, XLError):
        assert "MIRR" in r.unsupported[("S", 1, 1)]
    else:
        assert math.isclose(got, 0.19999999999999996, rel_tol=1e-9)


def test_xirr_refuses_a_root_it_cannot_promise_within_1e9_of_excel():
    # calc_tests__FINANCIAL__XNPV.xlsx R2: Excel 1.1859161972999572, 9e-9 from the exact root
    got, r = _calc("=XIRR({-20,5,5,5,5,5},{44958,44986,45017,45078,45108,45139})")
    assert got == "#VALUE!" and "XIRR" in r.unsupported[("S", 1, 1)]


def test_locale_dependent_text_is_refused():
    # calc_tests__TEXT__T_VALUE_VALUETOTEXT.xlsx C15: VALUE("2/3/2023") is 44987 (2 March) in the
    # locale that book was saved in, 3 February in en-US: no single answer, so refused
    got, r = _calc('=VALUE("2/3/2023")')
    assert got == "#VALUE!" and "locale" in r.unsupported[("S", 1, 1)]


@pytest.mark.parametrize("serial", [59, 60, 61])
def test_dates_around_excels_1900_02_29(serial):
    # Excel's serial 60 is the fictitious 1900-02-29 (DATEVALUE("29-Feb-1900") is 60,
    # calc_tests__DATE_AND_TIME__DATE_TIME.xlsx C8); 59 is 28 Feb, 61 is 1 Mar (C9)
    want = {59: (2, 28), 60: (2, 29), 61: (3, 1)}[serial]
    got_m, _ = _calc(f"=MONTH({serial})")
    got_d, _ = _calc(f"=DAY({serial})")
    assert (got_m, got_d) == (float(want[0]), float(want[1]))
    if serial < 61:
        # a day count from it would differ from the calendar's: refused, never a guess
        got, r = _calc(f"=YEARFRAC({serial},100,1)")
        assert got == "#VALUE!" and "1900" in r.unsupported[("S", 1, 1)]


@pytest.mark.parametrize("text", ["1/2", "5-Jan", "1 1/2", "12€"])
def test_text_excel_reads_by_the_clock_or_locale_is_refused(text):
    # Microsoft, DATEVALUE: "If the year portion of the date_text argument is omitted, DATEVALUE
    # uses the current year from your computer's built-in clock"; currency and fractions follow
    # the locale's formats: no single answer, so refused rather than guessed
    got, r = _calc(f'=VALUE("{text}")')
    assert got == "#VALUE!" and r.unsupported[("S", 1, 1)].startswith("VALUE")


# ----------------------------------------------------------------------------- properties

from hypothesis import given, strategies as st  # noqa: E402 - the property tests' own imports

SERIALS = st.integers(min_value=61, max_value=2_958_100)   # 1900-03-01 .. late 9999


@given(SERIALS)
def test_a_date_is_rebuilt_from_its_year_month_and_day(s):
    # Microsoft, DATE/YEAR/MONTH/DAY: DATE(YEAR(d), MONTH(d), DAY(d)) is d for any date
    got, _ = _calc(f"=DATE(YEAR({s}),MONTH({s}),DAY({s}))")
    assert got == float(s)


@given(SERIALS, st.integers(min_value=-120, max_value=120))
def test_eomonth_is_the_last_day_of_edates_month(s, k):
    # Microsoft, EOMONTH: "the last day of the month that is the indicated number of months
    # before or after start_date"; EDATE is the same day of that month
    end, _ = _calc(f"=EOMONTH({s},{k})")
    same, _ = _calc(f"=EDATE({s},{k})")
    after, _ = _calc(f"=DAY(EOMONTH({s},{k})+1)")
    if isinstance(end, float):
        assert after == 1.0 and same <= end and end - same < 31
    else:
        assert end in ("#NUM!", "#VALUE!")


@given(st.floats(min_value=1e-4, max_value=0.3),
       st.integers(min_value=1, max_value=480), st.floats(min_value=-1e6, max_value=1e6),
       st.floats(min_value=-1e5, max_value=1e5), st.sampled_from([0, 1]))
def test_pv_undoes_pmt(rate, nper, pv, fv, kind):
    # Microsoft, PV: pv*(1+rate)^nper + pmt*(1+rate*type)*((1+rate)^nper-1)/rate + fv = 0 ties
    # PV, PMT and FV together: PV of PMT's payment is the present value PMT was given
    back, _ = _calc(f"=PV({rate!r},{nper},PMT({rate!r},{nper},{pv!r},{fv!r},{kind}),{fv!r},{kind})")
    # (a result below the smallest normal number is 0 in Excel, so a pv near it comes back as 0)
    assert isinstance(back, float) and math.isclose(back, pv, rel_tol=1e-9,
                                                    abs_tol=max(1e-9 * (abs(pv) + abs(fv)), 1e-300))
