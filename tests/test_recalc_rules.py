"""Each failure measured in issue 10, as a tiny workbook, with Excel's documented behaviour.

Books are built in memory with openpyxl (plain formulas, legacy array formulas) or written
with XlsxWriter (dynamic arrays, which openpyxl cannot mark) and loaded as `warrants` does.
"""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.formula import ArrayFormula

from addin.recalc import XLError, load_book, recalc_workbook


def run(cells: dict[str, object], names: dict[str, str] | None = None, wb=None):
    wb = wb or openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for ref, v in cells.items():
        ws[ref] = v
    for name, target in (names or {}).items():
        wb.defined_names[name] = DefinedName(name, attr_text=target)
    return recalc_workbook(wb, None)


DATA = {"A1": 1, "A2": 3, "A3": "<5", "A5": True, "A6": "5", "A7": "=1/0", "A21": dt.datetime(2000, 1, 1)}

# Excel's answer, with the documentation or fact it rests on; the issue measured the opposite.
CASES = [
    ('=LEFT("abc",-1)', "#VALUE!"),        # LEFT: num_chars must be >= 0
    ('=MID("abc",0,1)', "#VALUE!"),        # MID: start_num < 1 is #VALUE!
    ('=RIGHT("abc",-1)', "#VALUE!"),       # RIGHT: num_chars must be >= 0
    ("=INDEX(A1:A3,-1)", "#VALUE!"),       # INDEX: a negative row_num is #VALUE! (not Python's last item)
    ('=MATCH("<5",A1:A3,0)', 3),           # MATCH type 0 matches text with wildcards only, no operators
    ('=MATCH("3",A1:A3,0)', "#N/A"),       # the text "3" is not the number 3
    ("=COUNT(A5)", 0),                     # COUNT: logical values in a reference are not counted
    ("=COUNT(A6)", 0),                     # COUNT: text in a reference is not counted
    ("=COUNT(TRUE,\"5\")", 2),             # ...but typed as arguments they are
    ("=0^0", "#NUM!"),                     # POWER: 0^0 is #NUM!
    ("=POWER(-8,1/3)", "#NUM!"),           # a negative base to a fractional power: #NUM!, no complex
    ('=""&1E+20', "1E+20"),                # General format in text
    ('=""&0.1', "0.1"),
    ('=""&(1/3)', "0.333333333333333"),    # 15 significant digits
    ('="1_000"+1', "#VALUE!"),             # Python's float syntax is not Excel's
    ('="inf"+0', "#VALUE!"),
    ("=LEN(A21)", 5),                      # a date is its serial number ("36526") in text
    ("=CONCATENATE(A21)", "36526"),
    ("=0.1+0.2=0.3", True),                # Excel compares numbers to 15 significant digits
    ("=DATE(1900,1,-1)", "#NUM!"),         # DATE: a result before serial 0 is #NUM!
    ("=DATE(1900,3,0)", 60),               # ...and the fictitious 29 February 1900 is serial 60
    ("=N(A7)", "#DIV/0!"),                 # N: an error value is the error value
    ("=N(A21)", 36526),                    # N: a date is its serial number
    ('="2020-01-01"+0', 43831),            # VALUE: text in a date format is a date
    ('="50%"*1', 0.5),                     # ...a percentage
    ('="$1,000"*1', 1000),                 # ...a currency amount with thousands separators
    ('="(5)"*1', -5),                      # ...accounting negative
    ('=DAY("2020-01-05")', 5),
    ('="1/5/2020"+0', 43835),              # US order month/day/year
    ('="1,00"+0', "#VALUE!"),              # a malformed thousands separator is not a number
    ("=DAY(0.5)", 0),                      # serial 0 is 1900-01-00 (was an AttributeError)
    ("=MONTH(0)", 1),
    ("=YEAR(0)", 1900),
    ("=YEAR(-1)", "#NUM!"),
    ("=MATCH(TRUE,{1,2,3}>1,0)", 2),       # a comparison with an array inside MATCH (was a TypeError)
    ('=TRIM("  a  b ")', "a b"),
    ('=FIND("b","abc",5)', "#VALUE!"),     # FIND: start_num beyond the text
    ("=VLOOKUP(3,A1:A2,1,FALSE)", 3),
    ("=CHOOSE(0,1,2)", "#VALUE!"),         # CHOOSE: index below 1
    ("=SLN(10000,1000,5)", 1800),          # (10000 - 1000) / 5
    ("=PMT(0,4,100)", -25),                # rate 0: -(pv + fv) / nper
    ("=ROUND(PMT(0.1,2,100),10)", -57.619047619),  # -0.1 * 100 * 1.1^2 / (1.1^2 - 1) = -12.1 / 0.21
    ("=PMT(0.1,0,100)", "#NUM!"),
    ("=NPV(0.1,110,121)", 200),            # 110/1.1 + 121/1.21
    ("=NPV(0.1,A1:A2)", 1 / 1.1 + 3 / 1.21),   # a range: only its numbers (1 and 3)
    ("=EDATE(DATE(2020,1,31),1)", 43890),  # clipped to 2020-02-29 (2020-01-01 is 43831)
    ("=EOMONTH(DATE(2020,1,15),-1)", 43830),   # 2019-12-31
    ('=DAYS("2020-03-01","2020-02-01")', 29),
    ("=DEGREES(PI())", 180),
    ("=ROUND(0.125-0.1,2)", 0.03),         # ROUND works on 15 significant digits (0.025), not binary noise
    ("=ROW()", 1),                         # ROW/COLUMN of the formula's own cell (B1)
    ("=COLUMN()", 2),
    ("=ROW(C7)", 7),
    ("=COLUMN(D1:F1)", 4),                 # a plain formula shows the first of the array
    ("=ROW(5)", "#VALUE!"),                # not a reference
]


@pytest.mark.parametrize("formula, expected", CASES, ids=[c[0] for c in CASES])
def test_excel_answers(formula, expected):
    r = run({**DATA, "B1": formula})
    got = r["S!B1"]
    if isinstance(expected, str) and expected.startswith("#"):
        assert isinstance(got, XLError) and got == expected
    elif isinstance(expected, float) or (isinstance(expected, int) and not isinstance(expected, bool)):
        assert got == pytest.approx(expected, rel=1e-12) and not isinstance(got, (XLError, bool))
    else:
        assert got == expected and not isinstance(got, XLError)


def test_one_cell_failure_stays_in_that_cell():
    r = run({"A1": "=DAY(0.25)", "A2": "=POWER(-8,1/3)", "A3": "=MATCH(1,{1,2}>0,0)", "A4": "=1+1"})
    assert (r["S!A1"], r["S!A2"], r["S!A4"]) == (0, "#NUM!", 2)


def test_a_name_pointing_at_ref_is_an_error_only_where_used():
    r = run({"A1": 2, "B1": "=A1*2", "B2": "=Gone+1"}, names={"Gone": "#REF!", "Also": "Deleted!#REF!"})
    assert r["S!B1"] == 4 and r["S!B2"] == "#REF!"


@pytest.mark.parametrize("name", ["Foo", "Tax", "Fee", "AB"])
def test_a_name_beats_a_column_label(name):
    # with A1=1 and Foo = S!$A$1, Excel and LibreOffice give 2, 1, 1 (a column is only ever A:A)
    r = run({"A1": 1, "B1": f"={name}+1", "B2": f"={name}", "B3": f"=SUM({name})", "B4": "=SUM(A:A)"},
            names={name: "S!$A$1"})
    assert (r["S!B1"], r["S!B2"], r["S!B3"], r["S!B4"]) == (2, 1, 1, 1)


def test_names_holding_a_constant_or_a_formula():
    r = run({"A1": 3, "B1": "=Rate*100", "B2": "=Twice+1", "B3": '=Label&"!"'},
            names={"Rate": "0.05", "Twice": "S!$A$1*2", "Label": '"hi"'})
    assert (r["S!B1"], r["S!B2"], r["S!B3"]) == (5, 7, "hi!")


def test_plain_formula_over_a_range_uses_implicit_intersection():
    # a non-array formula =A1:A3 takes the cell in its own row; outside the range #VALUE!
    r = run({"A1": 10, "A2": 20, "A3": 30, "B2": "=A1:A3", "B5": "=A1:A3", "C2": "=A1:A3*2", "D2": "=SUM(A1:A3)"})
    assert (r["S!B2"], r["S!B5"], r["S!C2"], r["S!D2"]) == (20, "#VALUE!", 40, 60)
    assert not r.spilled


def test_legacy_array_formula_fills_its_own_range():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A3"] = ArrayFormula("A3:C3", "=CHOOSE(1,B1:D1,E1,12)")     # Ctrl-Shift-Enter over A3:C3
    ws["A4"] = ArrayFormula("A4:D4", "=CHOOSE(3,B1:D1,E1,12)")     # a single value fills every cell
    ws["A5"] = ArrayFormula("A5:D5", "=B1:D1*2")                   # beyond the array: #N/A
    for ref, v in {"B1": 1, "C1": 2, "D1": 3, "E1": 4}.items():
        ws[ref] = v
    r = run({}, wb=wb)
    assert [r[f"S!{c}3"] for c in "ABC"] == [1, 2, 3]
    assert [r[f"S!{c}4"] for c in "ABCD"] == [12, 12, 12, 12]
    assert [r[f"S!{c}5"] for c in "ABCD"] == [2, 4, 6, "#N/A"]


def test_only_dynamic_array_formulas_spill(tmp_path):
    import xlsxwriter
    path = tmp_path / "da.xlsx"
    with xlsxwriter.Workbook(path) as book:
        ws = book.add_worksheet("S")
        for i, v in enumerate([1, 2, 3]):
            ws.write(i, 0, v)
        ws.write_dynamic_array_formula("B1:B3", "=A1:A3*10")      # spills, as Excel 365 stores it
        ws.write_formula("C2", "=A1:A3*10")                        # plain: implicit intersection
        ws.write_array_formula("D1:D3", "{=A1:A3*10}")             # legacy array: fills D1:D3
    r = recalc_workbook(load_book(path), None)
    assert [r[f"S!B{i}"] for i in (1, 2, 3)] == [10, 20, 30] and r.spill_shape[("S", 1, 2)] == (3, 1)
    assert r["S!C2"] == 20
    assert [r[f"S!D{i}"] for i in (1, 2, 3)] == [10, 20, 30] and ("S", 1, 4) not in r.spill_shape


def chain_book(n: int, reader: str = "B1"):
    """A running total down column A (A1 = 1, Ai = A(i-1) + 1) read from the top by ``reader``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws[reader] = f"=A{n}"
    ws["A1"] = 1
    for i in range(2, n + 1):
        ws.cell(row=i, column=1, value=f"=A{i - 1}+1")
    return wb


def test_a_chain_of_100000_cells_read_from_its_top():
    r = recalc_workbook(chain_book(100_000), None)
    assert r["S!B1"] == 100_000 and r["S!A50000"] == 50_000 and not r.unsupported


def test_text_over_32767_characters_is_value_error():
    r = run({"A1": "x" * 20_000, "B1": "=A1&A1", "B2": "=LEN(A1&A1)", "B3": "=CONCAT(A1,A1)", "B4": "=LEN(A1)"})
    assert (r["S!B1"], r["S!B2"], r["S!B3"], r["S!B4"]) == ("#VALUE!", "#VALUE!", "#VALUE!", 20_000)


def test_iterative_calculation_is_said_to_be_unsupported_per_cell():
    wb = openpyxl.Workbook()
    wb.calculation.iterate = True
    wb.calculation.iterateCount = 100
    r = run({"A1": "=A2+1", "A2": "=A1/2", "B1": "=1+1"}, wb=wb)
    assert r["S!B1"] == 2
    assert isinstance(r["S!A1"], XLError) and isinstance(r["S!A2"], XLError)
    assert any("iterative" in why for why in r.unsupported.values())


def test_whole_column_and_huge_ranges_keep_their_true_shape():
    wb = openpyxl.Workbook()
    data = wb.create_sheet("D")
    data["A1"], data["A2"] = 1, 2
    r = run({"B1": "=SUM(D!A1:XFC1048575)", "B2": "=ROWS(D!A:A)", "B3": "=COLUMNS(D!1:1)",
             "B4": '=COUNTIF(D!A:A,"")', "B5": "=INDEX(D!A:A,1000)", "B6": "=INDEX(D!A:A,1048577)"}, wb=wb)
    assert (r["S!B1"], r["S!B2"], r["S!B3"]) == (3, 1_048_576, 16_384)
    assert r["S!B4"] == 1_048_574            # the blanks beyond the used area count
    assert r["S!B5"] == 0                    # an empty cell inside the range, not #REF!
    assert r["S!B6"] == "#REF!"
