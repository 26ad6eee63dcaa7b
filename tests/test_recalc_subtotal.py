"""SUBTOTAL and AGGREGATE's hidden-row and nested-subtotal options (addin/recalc/lib/subtotal.py).

Expected values are the values Excel cached in the Excel-saved
tests/fixtures/ironcalc/calc_test_no_export__tables.xlsx (sheet and cell named), each case
rebuilding the cited cells' inputs (a table's column as the plain range it covers), or are
worked by hand from the option tables of Microsoft's "AGGREGATE function" page. Cases Excel's
file cannot settle (a hidden row inside a filter with criteria, for function_num 1-11) must be
refused with their reason.
"""
from __future__ import annotations

import openpyxl
import pytest
from openpyxl.worksheet.filters import CustomFilter, CustomFilters, FilterColumn

from addin.recalc import XLError, recalc_workbook
from addin.recalc.lib.subtotal import nested


def run(cells: dict[str, object], hidden=(), auto_filter=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for ref, v in cells.items():
        ws[ref] = v
    for r in hidden:
        ws.row_dimensions[r].hidden = True
    if auto_filter:
        ref, column = auto_filter
        ws.auto_filter.ref = ref
        ws.auto_filter.filterColumn.append(FilterColumn(colId=column, customFilters=CustomFilters(
            customFilter=[CustomFilter(operator="greaterThan", val="20")])))
    return recalc_workbook(wb, None)


# the sheet 'Hidden': Table3's column "the two " is B2:B5, row 3 hidden by hand (its table has no criteria)
HIDDEN = {"B2": 2, "B3": 4, "B4": 2, "B5": 34,
          "B6": "=SUBTOTAL(109,B2:B5)", "B7": "=SUBTOTAL(109,B2:B6)", "B9": "=SUBTOTAL(9,B2:B5)",
          "B11": "=B6+B7", "D13": "=SUBTOTAL(109,B11)", "B15": "=SUBTOTAL(109,B6:B7)"}


@pytest.mark.parametrize("cell,expected", [
    ("B6", 38),     # Hidden!B6: 109 ignores the hidden row 3
    ("B7", 38),     # Hidden!B7: the SUBTOTAL in B6 is ignored
    ("B9", 42),     # Hidden!B9: 9 counts a row hidden by hand
    ("D13", 76),    # Hidden!D13: B11 adds subtotals but is no SUBTOTAL call: counted
    ("B15", 0),     # Hidden!B15: subtotals only
])
def test_hidden_by_hand(cell, expected):
    assert run(HIDDEN, hidden=[3])[f"S!{cell}"] == expected


# the sheet 'Escape': Table9, no hidden row; column E holds a SUBTOTAL per row, E6 their SUM
ESCAPE = {"B2": 1, "C2": 2, "D2": 3, "B3": 4, "C3": 5, "D3": 6, "B4": "#", "C4": "e", "D4": "e",
          "B5": 1, "C5": 3, "D5": 2, "A6": "Total",
          **{f"E{r}": f"=SUBTOTAL(109,B{r}:D{r})" for r in range(2, 6)},
          "B6": "=SUBTOTAL(105,B2:B5)", "C6": "=SUBTOTAL(109,C2:C5)", "D6": "=SUBTOTAL(103,D2:D5)",
          "E6": "=SUM(E2:E5)", "C7": "=SUBTOTAL(10,B2:E3)", "C8": "=SUBTOTAL(11,B2:E5)",
          "C9": "=SUBTOTAL(110,A2:E8)", "C10": "=SUBTOTAL(111,A2:E8)"}


@pytest.mark.parametrize("cell,expected", [
    ("E2", 6), ("E4", 0), ("B6", 1), ("C6", 10), ("D6", 4), ("E6", 27),
    ("C7", 3.5), ("C8", 2.6666666666666665), ("C9", 60.266666666666666), ("C10", 54.24),
])
def test_function_numbers_and_nested_subtotals(cell, expected):
    got = run(ESCAPE)[f"S!{cell}"]                  # Escape!<cell>
    assert got == pytest.approx(expected, rel=1e-12)


# the sheet 'filters': Table4 A1:D6 filtered on Dogs > 20, rows 2, 4, 5, 6 hidden
FILTERS = {"A1": "Dogs", "B1": "Cats", "C1": "Elephants", "D1": "Tigers",
           "A2": 1, "B2": 1, "C2": 2, "D2": 34, "A3": 23, "B3": 4, "C3": 5, "D3": 1,
           "A4": 7, "B4": 4, "C4": 8, "D4": 1, "A5": 1, "B5": 2, "C5": 3, "D5": 4,
           "A6": 45, "B6": 6, "C6": 7, "D6": 7,
           "A7": "=SUBTOTAL(109,A2:A6)", "B7": "=SUBTOTAL(109,B2:B6)", "B8": "=SUBTOTAL(9,B3:B6)",
           "B11": "=SUBTOTAL(109, OFFSET(A1,1,1):OFFSET(A1,6,1))", "C12": '=SUBTOTAL(109, INDIRECT("B2"):INDIRECT("B6"))'}


def test_filtered_rows():
    res = run(FILTERS, hidden=[2, 4, 5, 6], auto_filter=("A1:D6", 0))
    assert (res["S!A7"], res["S!B7"], res["S!B11"], res["S!C12"]) == (23, 4, 4, 4)   # filters!A7, B7, B11, C12
    # filters!B8 caches 4, but row 6 (Dogs 45) passes the filter: hidden by the filter or by hand
    # is not in the file, and function_num 9 counts the second
    assert isinstance(res["S!B8"], XLError)
    assert "hidden inside a filter" in res.unsupported[("S", 8, 2)]


def test_a_filter_without_criteria_hides_nothing():
    # a hidden row under an autoFilter without criteria was hidden by hand: 9 counts it
    res = run({"A1": "h", "A2": 5, "A3": 7, "B1": "=SUBTOTAL(9,A2:A3)", "B2": "=SUBTOTAL(109,A2:A3)"}, hidden=[3])
    assert (res["S!B1"], res["S!B2"]) == (12, 5)


def test_function_num_outside_the_table_and_truncation():
    # 'Functions Hidden'!D48: SUBTOTAL(205, ...) is #VALUE!; D49: 101.2 is read as 101
    res = run({"A1": 1, "A2": 3, "B1": "=SUBTOTAL(205,A1:A2)", "B2": "=SUBTOTAL(101.2,A1:A2)"})
    assert str(res["S!B1"]) == "#VALUE!" and res["S!B2"] == 2


@pytest.mark.parametrize("formula,expected", [
    ("=AGGREGATE(9,5,A1:A4)", 1 + 100 + 1000),          # 5: ignore hidden rows
    ("=AGGREGATE(9,4,A1:A4)", 1 + 10 + 100 + 1000),     # 4: ignore nothing
    ("=AGGREGATE(9,0,A1:A5)", 1 + 10 + 100 + 1000),     # 0: ignore the nested AGGREGATE in A5
    ("=AGGREGATE(9,1,A1:A5)", 1 + 100 + 1000),          # 1: hidden rows and nested AGGREGATE
    ("=AGGREGATE(14,5,A1:A4,2)", 100),                   # LARGE(k=2) over the visible rows
])
def test_aggregate_options(formula, expected):
    # Microsoft, "AGGREGATE function", the options table; row 2 hidden by hand
    res = run({"A1": 1, "A2": 10, "A3": 100, "A4": 1000, "A5": "=AGGREGATE(9,4,A1:A4)", "B1": formula}, hidden=[2])
    assert res["S!B1"] == expected


@pytest.mark.parametrize("formula,kind", [
    ("=SUBTOTAL(9,A1:A3)", "SUBTOTAL"), ("=_xlfn.AGGREGATE(9,4,A1)", "AGGREGATE"),
    ("=SUBTOTAL(9,A1:A3)+1", "inside"), ('="SUBTOTAL("', "inside"), ("=SUM(A1)", None),
    ("=SUBTOTAL(109,T[[#This Row],[Hi, ''This]:['[Not me']]])", "SUBTOTAL"),
])
def test_nested_subtotal_cells(formula, kind):
    assert nested(formula) == kind


def test_a_subtotal_inside_a_larger_formula_is_refused():
    res = run({"A1": 1, "A2": "=SUBTOTAL(9,A1)+1", "B1": "=SUBTOTAL(9,A1:A2)"})
    assert isinstance(res["S!B1"], XLError) and "inside a larger formula" in res.unsupported[("S", 1, 2)]


def test_a_tables_filter_read_from_openpyxl():
    # the same rule through openpyxl's table objects (a book loaded to be saved again): a row hidden
    # under a table's filter with criteria is refused for 9, ignored by 109
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.table import Table
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for ref, v in {"A1": "Dogs", "A2": 1, "A3": 23, "A4": 7, "B1": "=SUBTOTAL(9,A2:A4)", "C1": "=SUBTOTAL(109,A2:A4)"}.items():
        ws[ref] = v
    table = Table(displayName="T4", ref="A1:A4")
    table.autoFilter = AutoFilter(ref="A1:A4", filterColumn=[FilterColumn(colId=0, customFilters=CustomFilters(
        customFilter=[CustomFilter(operator="greaterThan", val="20")]))])
    ws.add_table(table)
    for r in (2, 4):
        ws.row_dimensions[r].hidden = True
    res = recalc_workbook(wb, None)
    assert res["S!C1"] == 23
    assert "hidden inside a filter" in res.unsupported[("S", 1, 2)]


def test_rows_hidden_by_default_are_refused_and_a_zero_height_row_is_hidden():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for ref, v in {"A1": 1, "A2": 10, "A3": 100, "B1": "=SUBTOTAL(109,A1:A3)"}.items():
        ws[ref] = v
    ws.row_dimensions[2].height = 0            # Excel shows a row of height 0 as hidden
    assert recalc_workbook(wb, None)["S!B1"] == 101
    ws.sheet_format.zeroHeight = True          # every row not listed is hidden: which ones is not read here
    res = recalc_workbook(wb, None)
    assert "hidden by default" in res.unsupported[("S", 1, 2)]


def test_an_array_of_function_numbers_is_refused():
    # Excel 365 lifts SUBTOTAL over an array of function numbers; this evaluator does not
    res = run({"A1": 1, "A2": 2, "B1": "=SUBTOTAL({9,109},A1:A2)", "B2": "=AGGREGATE({9,4},4,A1:A2)"})
    assert "array of function numbers" in res.unsupported[("S", 1, 2)]
    assert "array of function numbers" in res.unsupported[("S", 2, 2)]
