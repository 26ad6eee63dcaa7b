"""Headless recalculation (addin.recalc) against a tiny fake catalog, so it is tested on its own.

Each case names the Excel behaviour it reproduces.
"""
from __future__ import annotations

import datetime as dt
import types

import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904, to_excel
from openpyxl.workbook.defined_name import DefinedName

from addin.recalc import XLError, parse_formula, recalc_workbook

CALLS: list[tuple[str, tuple, bool]] = []


def _call(name, *args, date1904=False):
    CALLS.append((name, args, date1904))
    if name == "GRID":                      # a table result: spills 3 rows x 2 columns
        return [[1, 2], [3, 4], [5, 6]]
    if name == "ROW3":
        return [["a", "b", "c"]]
    if name == "BOOM":
        raise RuntimeError("kaboom")
    if name == "ADD":
        return args[0] + args[1]
    if name == "ISSUE_DATE":
        return dt.date(2001, 2, 7)
    if name == "ECHO":
        return args[0]
    if name == "SHAPE":                     # rows x cols of a range argument
        return f"{len(args[0])}x{len(args[0][0])}" if isinstance(args[0], list) else type(args[0]).__name__
    if name == "REFUSE":
        return "#WARRANT: Events row 7: Ratio '0-for-1' must be positive"
    raise AssertionError(name)


FAKE = types.SimpleNamespace(CATALOG={n: None for n in (
    "GRID", "ROW3", "BOOM", "ADD", "ISSUE_DATE", "ECHO", "SHAPE", "REFUSE")}, call=_call)


def book(cells: dict[str, object], **sheets: dict[str, object]):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for ref, v in cells.items():
        ws[ref] = v
    for name, content in sheets.items():
        other = wb.create_sheet(name.replace("_", " "))
        for ref, v in content.items():
            other[ref] = v
    return wb


def calc(wb):
    """Every formula as Excel 365 enters it (a dynamic array): openpyxl cannot mark one in memory."""
    return recalc_workbook(wb, FAKE, all_dynamic=True)


# ----------------------------------------------------------------------------- spilling

def test_table_result_spills_down_and_right_like_excel_365():
    r = calc(book({"B2": "=GRID()", "E1": "=SUM(B2:C4)"}))
    assert r["S!B2"] == 1 and r["S!C2"] == 2 and r["S!B4"] == 5 and r["S!C4"] == 6
    assert r.spill_shape[("S", 2, 2)] == (3, 2)
    assert r.spilled[("S", 4, 3)] == ("S", 2, 2)
    assert r["S!E1"] == 21          # a formula reads the spilled cells (evaluated on demand)


def test_spill_reference_operator_reads_the_whole_spill():
    r = calc(book({"A1": "=GRID()", "D1": "=SUM(A1#)", "D2": "=ROWS(A1#)", "D3": "=SUM(_xlfn.ANCHORARRAY(A1))"}))
    assert (r["S!D1"], r["S!D2"], r["S!D3"]) == (21, 3, 21)


def test_spill_onto_a_non_empty_cell_is_spill_error_and_spills_nothing():
    r = calc(book({"A1": "=GRID()", "B3": "in the way"}))
    assert r["S!A1"] == "#SPILL!" and isinstance(r["S!A1"], XLError)
    assert not r.spilled


def test_spill_onto_another_formula_is_spill_error():
    r = calc(book({"A1": "=ROW3()", "C1": "=1+1"}))
    assert r["S!A1"] == "#SPILL!"
    assert r["S!C1"] == 2


def test_one_by_one_array_is_a_plain_value():
    r = calc(book({"A1": "=ECHO(B1:B1)", "B1": 7}))
    assert r["S!A1"] == 7 and not r.spilled


# ----------------------------------------------------------------------------- names and catalog lookup

@pytest.mark.parametrize("written", ["ADD", "add", "_xldudf_ADD", "XLWINGS.ADD", "addin.excel.xl.ADD"])
def test_catalog_function_found_under_plain_namespaced_and_xldudf_names(written):
    r = calc(book({"A1": f"={written}(2,3)"}))
    assert r["S!A1"] == 5


def test_unknown_function_is_name_error_as_in_excel():
    r = calc(book({"A1": "=NO_SUCH_FUNCTION(1)", "A2": "=A1+1"}))
    assert r["S!A1"] == "#NAME?" and r["S!A2"] == "#NAME?"


def test_unknown_defined_name_is_name_error():
    assert calc(book({"A1": "=NoSuchName+1"}))["S!A1"] == "#NAME?"


def test_ranges_arrive_as_rows_and_single_cells_as_values():
    r = calc(book({"A1": "=SHAPE(B1:D2)", "A2": "=SHAPE(B1)", "B1": 1.5}))
    assert r["S!A1"] == "2x3" and r["S!A2"] == "float"


def test_defined_names_resolve_to_ranges():
    wb = book({"A1": "=SHAPE(Terms)", "A2": "=ECHO(AsOf)", "B1": "x", "C5": dt.datetime(2004, 12, 31)})
    wb.defined_names["Terms"] = DefinedName("Terms", attr_text="S!$B$1:$C$3")
    wb.defined_names["AsOf"] = DefinedName("AsOf", attr_text="S!$C$5")
    r = calc(wb)
    assert r["S!A1"] == "3x2" and r["S!A2"] == dt.datetime(2004, 12, 31)


# ----------------------------------------------------------------------------- native formulas

@pytest.mark.parametrize("formula, expected", [
    ("=SUM(B1:B3)", 6),                               # SUM skips text in ranges
    ("=SUM(B1:B3,10)", 16),
    ('=IF(B1>0,"pos","neg")', "pos"),
    ("=MIN(B1:B3)", 1),
    ("=MAX(B1:B3)", 5),
    ("=ROUND(2.5,0)", 3),                             # half away from zero
    ("=ROUND(-2.5,0)", -3),
    ("=ROUND(1/3,10)=ROUND(0.3333333333,10)", True),
    ('=COUNTIF(B1:B4,">1")', 1),
    ('=COUNTIF(B1:B4,"#WARRANT*")', 1),
    ("=COUNTIF(B1:B4,TRUE)", 0),
    ("=SUMPRODUCT(--ISERROR(B1:B5))", 1),
    ("=AND(B1=1,B3=5)", True),
    ("=-2^2", 4),                                     # unary minus binds tighter than ^
    ("=2+3*4", 14),
    ("=10%", 0.1),
    ('="a"&1&TRUE', "a1TRUE"),
    ("=B1/0", "#DIV/0!"),
    ("=IFERROR(B1/0,-1)", -1),
    ("=LEFT(B4,8)", "#WARRANT"),
    ("=DATE(2004,6,15)+20=DATE(2004,7,5)", True),
    ('=CUBEVALUE("Sales","[Measures].[Profit]")', "#NAME?"),  # not supported: an error, recorded as such
    ("=VLOOKUP(5,B1:B3,1,FALSE)", 5),
])
def test_native_formulas(formula, expected):
    r = calc(book({"A1": formula, "B1": 1, "B2": "text", "B3": 5, "B4": "#WARRANT: no", "B5": "=1/0"}))
    assert r["S!A1"] == expected


def test_a_formula_with_an_unsupported_function_is_an_error_recorded_and_taints_its_readers():
    r = calc(book({"A1": '=CUBEVALUE(ADD(B1,2),"0.00")', "B1": 1.5, "A2": "=IFERROR(A1,0)+1", "A3": "=B1+1"}))
    assert r["S!A1"] == "#NAME?" and "CUBEVALUE" in r.unsupported[("S", 1, 1)]
    # IFERROR would turn the error into 1 where Excel gives a number: never a different number
    assert r["S!A2"] == "#VALUE!" and r.unsupported[("S", 2, 1)] == "depends on S!A1"
    assert r["S!A3"] == 2.5 and ("S", 3, 1) not in r.unsupported


def test_cross_sheet_references_including_quoted_names():
    r = calc(book({"A1": "=Data!A1*2", "A2": "='Other Sheet'!B2+1", "A3": "=SUM(Data!A1:A2)"},
                  Data={"A1": 21, "A2": "=A1+1"}, Other_Sheet={"B2": 41}))
    assert (r["S!A1"], r["S!A2"], r["S!A3"]) == (42, 42, 43)


def test_missing_sheet_is_ref_error():
    assert calc(book({"A1": "=Nowhere!A1"}))["S!A1"] == "#REF!"


def test_cycle_is_reported_not_a_crash():
    r = calc(book({"A1": "=A2+1", "A2": "=A1+1"}))
    assert "#CIRC!" in (r["S!A1"], r["S!A2"])


def test_reading_an_empty_cell_does_not_poison_formulas_that_depend_on_the_reader():
    # A5 reads C10:C12; B3 and A1 are above-left of C10 (they might spill there) and are
    # evaluated first; B3 depends on A5 itself and must not be frozen as #CIRC!.
    r = calc(book({"A5": "=SUM(C10:C12)+1", "B3": "=A5*2", "A1": "=ROW3()", "C11": "=GRID()"}))
    assert r["S!A5"] == 1 + 3 + 1            # C10 empty, C11 = 1, C12 = 3 (spilled)
    assert r["S!B3"] == 10
    assert (r["S!A1"], r["S!C1"]) == ("a", "c")


def test_a_spill_read_before_its_anchor_is_evaluated():
    r = calc(book({"A1": "=SUM(D5:E7)", "D5": "=GRID()"}))
    assert r["S!A1"] == 21


def test_copied_formulas_share_one_parse_and_keep_their_own_references():
    cells = {"D1": 10}
    for i in range(1, 21):
        cells[f"A{i}"] = i
        cells[f"B{i}"] = f"=A{i}*$D$1+Price1+'Q 1'!A{i}"      # same template down the column
    wb = book(cells, Q_1={f"A{i}": 100 * i for i in range(1, 21)})
    wb.defined_names["Price1"] = DefinedName("Price1", attr_text="S!$D$1")
    r = calc(wb)
    assert [r[f"S!B{i}"] for i in range(1, 21)] == [i * 10 + 10 + 100 * i for i in range(1, 21)]


def test_long_dependency_chain_evaluates_in_order():
    cells = {"A1": 1}
    for i in range(2, 3001):
        cells[f"A{i}"] = f"=A{i - 1}+1"
    assert calc(book(cells))["S!A3000"] == 3000


def test_warrant_error_text_stays_text_and_is_counted():
    r = calc(book({"A1": "=REFUSE()", "A2": '=COUNTIF(A1:A1,"#WARRANT*")', "A3": "=SUM(A1,1)"}))
    assert r["S!A1"].startswith("#WARRANT: Events row 7") and not isinstance(r["S!A1"], XLError)
    assert r["S!A2"] == 1
    assert r["S!A3"] == 1     # silently 0 inside a SUM, as in Excel: why Checks counts #WARRANT texts


# ----------------------------------------------------------------------------- exceptions

def test_exception_inside_a_catalog_function_is_recorded_and_the_cell_is_value_error():
    r = calc(book({"C3": "=BOOM()"}))
    assert r["S!C3"] == "#VALUE!"
    [exc] = r.exceptions
    assert (exc.sheet, exc.cell, exc.function) == ("S", "C3", "BOOM")
    assert "RuntimeError: kaboom" in exc.message


def test_if_evaluates_only_the_branch_taken():
    r = calc(book({"A1": "=IF(TRUE,1,BOOM())"}))
    assert r["S!A1"] == 1 and not r.exceptions


# ----------------------------------------------------------------------------- dates

def test_1900_dates_are_serials_in_arithmetic_and_dates_in_results():
    CALLS.clear()
    r = calc(book({"A1": "=ISSUE_DATE()", "A2": "=ISSUE_DATE()+1"}))
    assert r["S!A1"] == dt.datetime(2001, 2, 7)
    assert r["S!A2"] == 36930            # 2001-02-08 in the 1900 system
    assert all(d is False for _, _, d in CALLS)
    assert r.as_json()["S!A1"] == "2001-02-07"


def test_1904_workbook_passes_date1904_and_converts_serials_in_its_system():
    CALLS.clear()
    wb = book({"A1": "=ISSUE_DATE()+0", "A2": "=ECHO(B1)", "A3": "=B1+0"})
    wb.epoch = CALENDAR_MAC_1904
    wb["S"]["B1"] = dt.datetime(2004, 12, 31)
    r = calc(wb)
    assert r.date1904
    assert r["S!A1"] == to_excel(dt.datetime(2001, 2, 7), CALENDAR_MAC_1904) == 36929 - 1462
    assert r["S!A2"] == dt.datetime(2004, 12, 31)
    assert r["S!A3"] == to_excel(dt.datetime(2004, 12, 31), CALENDAR_MAC_1904)
    assert CALLS and all(d is True for _, _, d in CALLS)


# ----------------------------------------------------------------------------- output

def test_json_has_every_formula_cell_and_spilled_cell_in_sheet_order():
    r = calc(book({"A1": "=GRID()", "D1": "=1=1", "D2": "=1/0", "D3": '="x"'}, T={"A1": "=S!D1"}))
    out = r.as_json()
    assert list(out) == ["S!A1", "S!B1", "S!D1", "S!A2", "S!B2", "S!D2", "S!A3", "S!B3", "S!D3", "T!A1"]
    assert out["S!D1"] is True and out["S!D2"] == "#DIV/0!" and out["S!B3"] == 6 and out["T!A1"] is True


def test_workbook_is_not_modified():
    wb = book({"A1": "=GRID()"})
    calc(wb)
    assert wb["S"]["A1"].value == "=GRID()" and wb["S"]["B1"].value is None


def test_parser_reads_excel_operator_precedence():
    tree = parse_formula("=1+2*3^2&\"x\"")
    assert tree.op == "&"


# ----------------------------------------------------------------------------- against exact arithmetic

from fractions import Fraction  # noqa: E402

from hypothesis import given, strategies as st  # noqa: E402

_numbers = (st.integers(min_value=-50, max_value=50).map(lambda n: (str(n), Fraction(n)))
            | st.sampled_from([("0.5", Fraction(1, 2)), ("2.25", Fraction(9, 4)), ("0.125", Fraction(1, 8)),
                               ("10%", Fraction(1, 10))]))


def _round2(x: Fraction) -> Fraction:
    """ROUND(x, 2): half away from zero (Excel's ROUND documentation)."""
    q = abs(x) * 100
    n = int(q) + (1 if q - int(q) >= Fraction(1, 2) else 0)
    return Fraction(n if x >= 0 else -n, 100)


_CMP = {"=": lambda a, b: a == b, "<>": lambda a, b: a != b, "<": lambda a, b: a < b, ">": lambda a, b: a > b,
        "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b}


def _expr(depth: int = 0):
    """(formula text, its exact value) pairs: Excel's arithmetic, MIN/MAX/SUM/ABS/ROUND and IF."""
    if depth >= 3:
        return _numbers
    sub = _expr(depth + 1)
    return st.one_of(
        _numbers,
        st.tuples(sub, st.sampled_from(["+", "-", "*"]), sub).map(lambda t: (
            f"({t[0][0]}{t[1]}{t[2][0]})",
            {"+": t[0][1] + t[2][1], "-": t[0][1] - t[2][1], "*": t[0][1] * t[2][1]}[t[1]])),
        sub.map(lambda e: (f"-({e[0]})", -e[1])),
        st.tuples(st.sampled_from(["MIN", "MAX", "SUM"]), sub, sub).map(
            lambda t: (f"{t[0]}({t[1][0]},{t[2][0]})",
                       {"MIN": min, "MAX": max, "SUM": lambda a, b: a + b}[t[0]](t[1][1], t[2][1]))),
        sub.map(lambda e: (f"ABS({e[0]})", abs(e[1]))),
        sub.map(lambda e: (f"ROUND({e[0]},2)", _round2(e[1]))),
        st.tuples(sub, st.sampled_from(list(_CMP)), sub, sub, sub).map(
            lambda t: (f"IF({t[0][0]}{t[1]}{t[2][0]},{t[3][0]},{t[4][0]})",
                       t[3][1] if _CMP[t[1]](t[0][1], t[2][1]) else t[4][1])),
    )


@given(_expr())
def test_evaluator_agrees_with_exact_arithmetic_on_operators_and_natives(case):
    """Small numbers whose exact value is far from any 15-digit boundary: ours is the exact value
    to a relative 1e-12 (a float result of exact integer and binary-fraction inputs)."""
    expression, exact = case
    ours = calc(book({"A1": "=" + expression}))["S!A1"]
    assert ours == pytest.approx(float(exact), rel=1e-12, abs=1e-12), expression


# ----------------------------------------------------------------------------- the JSON's cells and order (issue 11)

import json  # noqa: E402

from addin.recalc import Recalc, cell_key, json_value  # noqa: E402

_SHEETS = ["S", "Résultats", 'T "2" \\ \u2028', "Z"]
_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-2**60, 2**60), st.floats(allow_nan=True),
                    st.sampled_from([2.0 ** 53, -2.0 ** 53, 2.0 ** 53 - 1, 1e300, -0.0, 0.5]), st.text(max_size=5),
                    st.sampled_from([dt.datetime(2003, 1, 2), dt.datetime(2003, 1, 2, 9, 30), dt.date(2001, 2, 7),
                                     dt.time(17, 0)]),
                    st.sampled_from([XLError("#N/A"), XLError("#SPILL!")]))
_KEYS = st.tuples(st.sampled_from(_SHEETS), st.integers(1, 1_048_576), st.integers(1, 16_384))


@given(st.lists(_KEYS, max_size=30), st.lists(_KEYS, max_size=30), st.lists(_VALUES, min_size=60, max_size=60),
       st.permutations(_SHEETS[:3]))
def test_cells_and_json_as_the_plain_rules_give_them(formulas, spilled, values, order):
    # cells(): sheet by sheet in workbook order (a sheet not in the book last), then row, then column;
    # as_json(): {cell_key: json_value} over them. The plain rules, written out, against the fast ones.
    result = Recalc(sheet_order=list(order), formula_cells=list(formulas),
                    spilled={k: k for k in spilled})
    for key, v in zip(formulas + spilled, values):
        result.values[key] = v
    rank = {s: i for i, s in enumerate(order)}
    plain = sorted(set(formulas) | set(spilled), key=lambda k: (rank.get(k[0], len(rank)), k[1], k[2]))
    assert result.cells() == plain
    got = result.as_json()
    assert list(got) == [cell_key(*k) for k in plain]
    for k in plain:
        want, have = json_value(result.values.get(k)), got[cell_key(*k)]
        assert type(have) is type(want) and (have == want or have != have and want != want)
    assert result.json_text() == json.dumps(got, ensure_ascii=False, allow_nan=False)


@given(st.lists(st.sampled_from([0.0, -0.0, 0.1, 0.1 + 0.2, 1.5, -1.5, 2.0 ** 53, -(2.0 ** 53), 1e16, 1e-7,
                                 float("nan"), float("inf"), float("-inf"), 3.0, "x", 'q"\\\n', None, True]),
                min_size=1, max_size=40),
       st.sampled_from(_SHEETS))
def test_json_text_of_repeated_values_is_json_dumps(values, sheet):
    # json_text writes each float's text once and reuses it (a register's prices repeat): the same
    # value in many cells, 0.0 beside -0.0, NaN and the infinities again and again, as json.dumps writes them
    result = Recalc(sheet_order=[sheet], formula_cells=[(sheet, 1, 1)],
                    spilled={(sheet, 1 + i // 3, 1 + i % 3): (sheet, 1, 1) for i in range(1, len(values))})
    for key, v in zip(result.cells(), values):
        result.values[key] = v
    assert result.json_text() == json.dumps(result.as_json(), ensure_ascii=False, allow_nan=False)
