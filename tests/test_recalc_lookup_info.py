"""ADDRESS, TRIMRANGE, SINGLE, FORMULATEXT of its own cell, and the database functions' criteria
rows (addin/recalc/lib/lookup.py, info.py, database.py), against values Excel computed.

Every expected value is the value an Excel-saved fixture caches (tests/fixtures/ironcalc, book
and cell named); each case rebuilds the cited cell's inputs in a small book. The other cases
assert a refusal: where Excel's answer is not certain here, an unsupported error with a reason.
"""
from __future__ import annotations

import pytest

from addin.recalc import XLError

from tests.test_recalc_functions_b import run   # a small book recalculated as Excel 365 enters formulas


def shown(v):
    return str(v) if isinstance(v, XLError) else v


# calc_tests__LOOKUP_AND_REFERENCE__ADDRESS.xlsx: (row, column, abs_num) in A:C, A1 style in E, R1C1 in G
ADDRESS_ROWS = [
    (15, 3, 7, 1, "$G$3", "R3C7"), (16, -1, 3, 1, "#VALUE!", "#VALUE!"), (17, 45, 56, 1, "$BD$45", "R45C56"),
    (19, 23, 45, 2, "AS$23", "R23C[45]"), (20, 23, 45, 3, "$AS23", "R[23]C45"), (21, 23, 45, 4, "AS23", "R[23]C[45]"),
    (22, 23, 45, 5, "#VALUE!", "#VALUE!"), (23, 0, 3, 1, "#VALUE!", "#VALUE!"), (24, 23.4, 34.7, 2, "AH$23", "R23C[34]"),
    (25, None, None, None, "#VALUE!", "#VALUE!"),
]


@pytest.mark.parametrize("row,r,c,kind,a1,r1c1", ADDRESS_ROWS, ids=[f"row{x[0]}" for x in ADDRESS_ROWS])
def test_address_styles(row, r, c, kind, a1, r1c1):
    res = run({"A1": r, "B1": c, "C1": kind, "E1": "=ADDRESS(A1,B1,C1)", "G1": "=ADDRESS(A1,B1,C1,0)"})
    assert (shown(res["S!E1"]), shown(res["S!G1"])) == (a1, r1c1)     # ADDRESS.xlsx E<row>, G<row>


@pytest.mark.parametrize("formula,expected,cell", [
    ('=ADDRESS(2,3,1,1,"Sheet2")', "Sheet2!$C$2", "E2"),
    ("=ADDRESS(1,1)", "$A$1", "C5"),
    ("=ADDRESS(3,5,4)", "E3", "A11"),
    ('=ADDRESS(1,1,1,1,"A Wird One$")', "'A Wird One$'!$A$1", "B33"),
    ('=ADDRESS(2,3,1,1,"Me lo invente")', "'Me lo invente'!$C$2", "B38"),
    ("=ADDRESS(2,3,5)", "#VALUE!", "B40"),
])
def test_address_cells(formula, expected, cell):
    assert shown(run({"Z1": formula})["S!Z1"]) == expected, cell


@pytest.mark.parametrize("sheet", ["A1", "R1C1", "1st", "O'Brien", "", "caf\u00e9", "my.sheet"])
def test_address_sheet_names_whose_quoting_is_not_certain_are_refused(sheet):
    res = run({"A1": sheet, "Z1": "=ADDRESS(1,1,1,1,A1)"})
    assert isinstance(res["S!Z1"], XLError) and ("S", 1, 26) in res.unsupported


def test_trimrange():
    # calc_tests__LOOKUP_AND_REFERENCE__TRIMRANGE.xlsx: E3 =TRIMRANGE(A3:C22) spills E3:F9, J3
    # =TRIMRANGE(H:H) spills J3:J5, K3 =SUM(ANCHORARRAY(J3)) is 6
    res = run({"A3": 1, "B3": 2, "A4": 3, "B5": 4, "A7": 7, "B9": "Hola", "H3": 1, "H4": 2, "H5": 3,
               "E3": "=TRIMRANGE(A3:C22)", "J3": "=TRIMRANGE(H:H)", "K3": "=SUM(ANCHORARRAY(J3))"})
    cached = {"E3": 1, "F3": 2, "E4": 3, "F4": 0, "E5": 0, "F5": 4, "E7": 7, "F7": 0, "E9": 0, "F9": "Hola",
              "J3": 1, "J4": 2, "J5": 3, "K3": 6}
    assert {ref: res[f"S!{ref}"] or 0 for ref in cached} == cached
    assert ("S", 3, 7) not in res.values and ("S", 6, 10) not in res.values     # no column G, no J6


def test_trimrange_refusals():
    res = run({"Z1": "=TRIMRANGE(A1:B5)", "A9": 1, "Z3": "=TRIMRANGE(A9,4)"})
    assert "every cell blank" in res.unsupported[("S", 1, 26)]
    assert str(res["S!Z3"]) == "#VALUE!"          # trim values are 0-3 (Microsoft, "TRIMRANGE function")


def test_single():
    # calc_tests__INFORMATION__N.xlsx B20 =N(SINGLE(D18:D22)) is 3 (row 20 meets D20);
    # calc_tests__MATH_AND_TRIGONOMETRY__LCM_GCD.xlsx D43 =LCM(A43,B43,SINGLE(J:J)) 4, E43 GCD 2
    res = run({**{f"D{r}": r - 17 for r in range(18, 23)}, "B20": "=N(SINGLE(D18:D22))",
               **{f"J{r}": r - 39 for r in range(40, 47)}, "A43": "=J:J", "B43": 2,
               "D43": "=LCM(A43,B43,SINGLE(J:J))", "E43": "=GCD(A43,B43,SINGLE(J:J))"}, dynamic=False)
    assert (res["S!B20"], res["S!D43"], res["S!E43"]) == (3, 4, 2)


def test_formulatext_of_its_own_cell():
    # calc_tests__INFORMATION__FORMULATEXT.xlsx A13 =FORMULATEXT(A13) caches "=FORMULATEXT(A13)"
    assert run({"A13": "=FORMULATEXT(A13)"})["S!A13"] == "=FORMULATEXT(A13)"


# calc_tests__DATABASE__DCOUNT_DCOUNTA_DGET_DPRODUCT.xlsx, sheet DPRODUCT: the database A1:H11
DB_HEAD = ["Region", "Salesperson", "Quarter", "Product", "Units", "Revenue", "Date", "Contractor"]
DB_ROWS = [("East", "Alice", "Q1", "Widget", 120, 12000, 45306, True),
           ("West", "Bob", "Q1", "Gadget", 80, 9600, 45324, False),
           ("East", "Cara", "Q2", "Widget", 200, 20000, 45392, True),
           ("South", "Dan", "Q1", "Widget", 150, 15000, 45369, True),
           ("West", "Ella", "Q2", "Gadget", 50, 6000, 45434, False),
           ("East", "Frank", "Q3", "Gizmo", 300, 30000, 45481, True)]


def _db(criteria: dict, formula: str):
    cells = {f"{'ABCDEFGH'[j]}1": h for j, h in enumerate(DB_HEAD)}
    for i, row in enumerate(DB_ROWS, start=2):
        cells.update({f"{'ABCDEFGH'[j]}{i}": v for j, v in enumerate(row)})
    return run({**cells, **criteria, "Z1": formula})["S!Z1"]


@pytest.mark.parametrize("criteria,cell", [
    ({"K14": "Rgn", "K15": "North-East"}, "DPRODUCT!B27 (a label naming no column)"),
    ({"K15": "East"}, "DPRODUCT!B50 (an empty label)"),
])
def test_condition_under_a_label_naming_no_column_holds_for_no_record(criteria, cell):
    # DPRODUCT over no record is 0 (the cited cells cache 0)
    assert _db(criteria, "=DPRODUCT(A1:H7,F1,K14:K15)") == 0, cell


def test_an_empty_criteria_row_holds_for_every_record():
    # DCOUNT_DCOUNTA!C66: DCOUNTA with criteria rows TRUE / FALSE / 7 / 1 / #N/A / (empty)...: every record
    got = _db({"K14": "Region", "K15": "=NA()", "K16": None, "K17": "West"}, "=DCOUNTA(A1:H7,1,K14:K17)")
    assert got == len(DB_ROWS)


def test_a_condition_that_would_match_empty_cells_is_refused():
    res = _db({"K14": "Rgn", "K15": "<>East"}, "=DCOUNTA(A1:H7,1,K14:K15)")
    assert isinstance(res, XLError)



def test_offset_truncates_fractional_offsets_and_sizes():
    # calc_tests__LOOKUP_AND_REFERENCE__ROW_COLUM.xlsx: ROWS_COLUMNS!E6:H6 (14, 2, 11, 26) and
    # OFFSET!K37 (OFFSET(K33,-2.3,-2.8) reads I31, 42); a width of 0.9 (OFFSET!K48) is refused
    res = run({"E6": "=ROWS(OFFSET(S8:X19, 3.5, 7.2, 14.9, 2.3))", "F6": "=COLUMNS(OFFSET(S8:X19, 3.5, 7.2, 14.9, 2.3))",
               "G6": "=ROW(OFFSET(S8:X19, 3.5, 7.2, 14.9, 2.3))", "H6": "=COLUMN(OFFSET(S8:X19, 3.5, 7.2, 14.9, 2.3))",
               "I31": 42, "K33": 1, "K37": "=OFFSET(K33,-2.3,-2.8)", "K48": "=SUM(OFFSET(K33,0,0,1,0.9))"}, dynamic=False)
    assert [res[f"S!{c}"] for c in ("E6", "F6", "G6", "H6", "K37")] == [14, 2, 11, 26, 42]
    assert "between -1 and 1" in res.unsupported[("S", 48, 11)]


@pytest.mark.parametrize("formula,why", [
    ("=XMATCH(2,A1:A2,{0,1})", "array of match or search modes"),       # Excel 365 lifts over them
    ("=XLOOKUP(2,A1:A2,A1:A2,,{0,1})", "array of match or search modes"),
    ("=TRIMRANGE(A1:A2,{1,2})", "array trim argument"),
])
def test_arrays_where_excel_lifts_the_function_are_refused(formula, why):
    res = run({"A1": 1, "A2": 2, "Z1": formula})
    assert why in res.unsupported[("S", 1, 26)]
