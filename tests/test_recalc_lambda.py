"""LAMBDA and its helpers (BYROW, BYCOL, MAKEARRAY, MAP, REDUCE, SCAN), optional parameters and
ISOMITTED; ADDRESS; TRIMRANGE and the trim references; SINGLE; ANCHORARRAY; the empty arrays that
are #CALC!.

Expected values are Excel's: the values Excel cached in IronCalc's Excel-saved fixture books
(tests/fixtures/ironcalc, cited by book and cell), or the examples of Microsoft's page of each
function. Formulas are written as Excel stores them (``_xlfn.``, ``_xlpm.``).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from addin.recalc import XLError
from tests.test_conformance import conformance
from tests.test_recalc_rules import run as rules_run

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ironcalc"


def run(cells: dict[str, object], names: dict[str, str] | None = None):
    """Every formula entered as a dynamic array (Excel 365), as the fixture books' are."""
    return rules_run(cells, names, all_dynamic=True)


def refused(r, ref: str) -> bool:
    """The cell is an error recorded as unsupported: never a value passed off as Excel's."""
    sheet, cell = ref.split("!")
    coord = openpyxl.utils.cell.coordinate_from_string(cell)
    key = (sheet, coord[1], openpyxl.utils.cell.column_index_from_string(coord[0]))
    return isinstance(r[ref], XLError) and key in r.unsupported


# ----------------------------------------------------------------------------- the books whole

BOOKS = [
    "calc_tests__LOGICAL__BYCOL_BYROW.xlsx",
    "calc_tests__LOGICAL__MAKEARRAY.xlsx",
    "calc_tests__LOGICAL__MAP_REDUCE.xlsx",
    "calc_tests__LOGICAL__SCAN.xlsx",
    "calc_tests__INFORMATION__ISOMITTED.xlsx",
    "calc_tests__LOOKUP_AND_REFERENCE__ADDRESS.xlsx",
    "calc_tests__LOOKUP_AND_REFERENCE__TRIMRANGE.xlsx",
    "calc_tests__LOOKUP_AND_REFERENCE__DROP_TAKE.xlsx",
    "calc_tests__LOOKUP_AND_REFERENCE__FILTER_ERRORS.xlsx",
    "calc_tests__MATH_AND_TRIGONOMETRY__SEQUENCE.xlsx",
    "calc_tests__spill_operator.xlsx",
    "calc_tests__INFORMATION__N.xlsx",
    "calc_tests__MATH_AND_TRIGONOMETRY__LCM_GCD.xlsx",
    "calc_tests__INFORMATION__FORMULATEXT.xlsx",         # A13: FORMULATEXT of its own cell
]


@pytest.mark.parametrize("book", BOOKS)
def test_every_cell_of_the_book_is_the_value_excel_cached(book, tmp_path):
    # the conformance comparison (tests/test_conformance.py) over this one book: every formula
    # cell and every cell its array fills equals Excel's cached value
    shutil.copy(FIXTURES / book, tmp_path / book)
    counts, rows, _ = conformance(folder=tmp_path)
    assert counts["matched"] > 0
    assert [r for r in rows if r[0] != "matched"] == []


# ----------------------------------------------------------------------------- LAMBDA helpers

GRID = {"A1": 1, "B1": 2, "C1": 3, "A2": 4, "B2": 5, "C2": 6}


def test_byrow_and_bycol():
    # calc_tests__LOGICAL__BYCOL_BYROW.xlsx: BYROW(A1:C2, LAMBDA(x, MAX(x))) is 3;6 (A6:A7),
    # BYCOL(A1:C2, LAMBDA(x, SUM(x))) 5,7,9 (D8:F8); Microsoft's BYROW page, example 1
    r = run({**GRID, "A6": "=_xlfn.BYROW(A1:C2,_xlfn.LAMBDA(_xlpm.x,MAX(_xlpm.x)))",
             "D8": "=_xlfn.BYCOL(A1:C2, _xlfn.LAMBDA(_xlpm.x, SUM(_xlpm.x)))"})
    assert (r["S!A6"], r["S!A7"]) == (3, 6)
    assert (r["S!D8"], r["S!E8"], r["S!F8"]) == (5, 7, 9)


def test_makearray_is_a_multiplication_table():
    # Microsoft's MAKEARRAY page, example 1, and calc_tests__LOGICAL__MAKEARRAY.xlsx A1:C3
    r = run({"A1": "=_xlfn.MAKEARRAY(3,3, _xlfn.LAMBDA(_xlpm.x,_xlpm.y,_xlpm.x*_xlpm.y))"})
    assert [[r[f"S!{c}{i}"] for c in "ABC"] for i in (1, 2, 3)] == [[1, 2, 3], [2, 4, 6], [3, 6, 9]]


def test_map_and_reduce():
    # calc_tests__LOGICAL__MAP_REDUCE.xlsx: MAP of two ranges element by element (G1:I2);
    # REDUCE(0, A1:C2, LAMBDA(x,y, SQRT(x*x+y*y))) is 35.298725189445584 (E1)
    cells = {"A1": 34, "B1": 2, "C1": 3, "A2": 4, "B2": 5, "C2": 6,
             "A5": 2, "B5": 12, "C5": 3, "A6": 3, "B6": 23, "C6": 4,
             "E1": "=_xlfn.REDUCE(0,A1:C2, _xlfn.LAMBDA(_xlpm.x,_xlpm.y, SQRT(_xlpm.x*_xlpm.x+_xlpm.y*_xlpm.y)))",
             "G1": "=_xlfn.MAP(A1:C2,A5:C6,_xlfn.LAMBDA(_xlpm.x,_xlpm.y, _xlpm.x*_xlpm.y))"}
    r = run(cells)
    assert r["S!E1"] == pytest.approx(35.298725189445584, rel=1e-12)
    assert [[r[f"S!{c}{i}"] for c in "GHI"] for i in (1, 2)] == [[68, 24, 9], [12, 115, 24]]


def test_scan_of_numbers_and_of_text():
    # calc_tests__LOGICAL__SCAN.xlsx: the accumulator row by row (E1:G2), and text (E7:G7)
    r = run({"A1": 3, "B1": 4, "C1": 7, "A2": 4, "B2": 5, "C2": 8,
             "A6": "Monday", "B6": "Tuesday", "C6": "Wednesday",
             "E1": "=_xlfn.SCAN(1,A1:C2, _xlfn.LAMBDA(_xlpm.x,_xlpm.y,_xlpm.x+8*_xlpm.y))",
             "E7": '=_xlfn.SCAN("Days: ", A6:C6, _xlfn.LAMBDA(_xlpm.x,_xlpm.y, _xlfn.CONCAT(_xlpm.x, " AND ", _xlpm.y)))'})
    assert [[r[f"S!{c}{i}"] for c in "EFG"] for i in (1, 2)] == [[25, 57, 113], [145, 185, 249]]
    assert r["S!G7"] == "Days:  AND Monday AND Tuesday AND Wednesday"


def test_a_lambda_bound_by_let_or_named_is_passed_to_a_helper():
    # the same LAMBDA as BYCOL_BYROW.xlsx A6, given by a LET name and by a defined name
    r = run({**GRID, "E1": "=_xlfn.LET(_xlpm.f,_xlfn.LAMBDA(_xlpm.x,MAX(_xlpm.x)),_xlfn.BYROW(A1:C2,_xlpm.f))",
             "F1": "=_xlfn.BYROW(A1:C2,RowMax)",
             # a LET name used inside the LAMBDA is captured where the LAMBDA is written
             "G1": "=_xlfn.LET(_xlpm.k,10,_xlfn.MAP(A1:A2,_xlfn.LAMBDA(_xlpm.x,_xlpm.x*_xlpm.k)))"},
            names={"RowMax": "_xlfn.LAMBDA(_xlpm.x,MAX(_xlpm.x))"})
    assert (r["S!E1"], r["S!E2"], r["S!F1"], r["S!F2"], r["S!G1"], r["S!G2"]) == (3, 6, 3, 6, 10, 40)


def test_a_parameter_receives_a_reference_to_an_empty_cell():
    # MAP over a range hands the LAMBDA each cell: an empty cell is 0 in arithmetic (Excel's rule
    # for a reference to an empty cell), never a name looked up
    r = run({"A1": 1, "A3": 3, "B1": "=_xlfn.MAP(A1:A3,_xlfn.LAMBDA(_xlpm.x,_xlpm.x+1))"})
    assert [r[f"S!B{i}"] for i in (1, 2, 3)] == [2, 1, 4]


def test_invalid_lambdas_are_value_errors():
    # Microsoft's BYROW, MAKEARRAY, MAP, REDUCE, SCAN pages: "Providing an invalid LAMBDA function
    # or an incorrect number of parameters returns a #VALUE! error"; MAKEARRAY: a row or column
    # count below 1 or not a number is #VALUE!
    r = run({**GRID,
             "E1": "=_xlfn.BYROW(A1:C2,5)",
             "E2": "=_xlfn.BYROW(A1:C2,_xlfn.LAMBDA(_xlpm.x,_xlpm.y,1))",
             "E3": "=_xlfn.MAKEARRAY(0,3,_xlfn.LAMBDA(_xlpm.r,_xlpm.c,1))",
             "E4": '=_xlfn.MAKEARRAY("a",3,_xlfn.LAMBDA(_xlpm.r,_xlpm.c,1))',     # a non-number
             "E5": "=_xlfn.REDUCE(0,A1:C2,_xlfn.LAMBDA(_xlpm.a,1))"})
    assert [r[f"S!E{i}"] for i in range(1, 6)] == ["#VALUE!"] * 5


def test_a_function_named_in_place_of_a_lambda():
    # Excel's eta reduction, stored _xleta.SUM: BYROW(A1:C2, SUM) is BYROW(A1:C2, LAMBDA(r, SUM(r))),
    # by hand from GRID: 1+2+3 and 4+5+6; MAP(A1:A2*-1, ABS); LET(f, ABS, f(-2)) is 2
    r = run({**GRID, "E1": "=_xlfn.BYROW(A1:C2,_xleta.SUM)", "F1": "=_xlfn.MAP(-A1:A2,_xleta.ABS)",
             "G1": "=_xlfn.LET(_xlpm.f,_xleta.ABS,_xlpm.f(-2))", "H1": "=_xlfn.BYROW(A1:C2,_xleta.NOSUCH)",
             "H2": "=TYPE(_xleta.SUM)"})
    assert (r["S!E1"], r["S!E2"], r["S!F1"], r["S!F2"], r["S!G1"]) == (6, 15, 1, 4, 2)
    assert refused(r, "S!H1") and refused(r, "S!H2")


def test_what_is_not_read_is_refused():
    # a LAMBDA returning an array to BYROW is #CALC! in Excel (Microsoft's BYROW page), an
    # omitted initial_value, MAP over arrays of different sizes, a LAMBDA used as a value: each
    # an error recorded as unsupported
    r = run({**GRID,
             "E1": "=_xlfn.BYROW(A1:C2,_xlfn.LAMBDA(_xlpm.x,_xlpm.x*2))",
             "E6": "=_xlfn.REDUCE(,A1:C2,_xlfn.LAMBDA(_xlpm.a,_xlpm.b,_xlpm.a+_xlpm.b))",
             "E7": "=_xlfn.MAP(A1:C2,A1:A2,_xlfn.LAMBDA(_xlpm.a,_xlpm.b,_xlpm.a+_xlpm.b))",
             "E8": "=SUM(_xlfn.LET(_xlpm.f,_xlfn.LAMBDA(_xlpm.x,1),_xlpm.f))"})
    assert all(refused(r, f"S!E{i}") for i in (1, 6, 7, 8))


# ----------------------------------------------------------------------------- ISOMITTED

def test_isomitted_and_optional_parameters():
    # Microsoft's ISOMITTED page and calc_tests__INFORMATION__ISOMITTED.xlsx: A1 "Missing second
    # argument"; LAMBDA(a,[b], ...) with b left off is a/2 (A6: 6), given 3 is a*b (A7: 36)
    f = "_xlfn.LAMBDA(_xlpm.a,_xlop.b,IF(_xlfn.ISOMITTED(_xlpm.b),_xlpm.a/2,_xlpm.a*_xlpm.b))"
    r = run({"A5": 12, "B5": 3,
             "A1": '=_xlfn.LAMBDA(_xlpm.x,_xlpm.y, IF(_xlfn.ISOMITTED(_xlpm.y),"Missing second argument",'
                   '_xlpm.x+_xlpm.y))(1,)',
             "A6": f"={f}(A5)", "A7": f"={f}(A5, B5)",
             "A8": "=_xlfn.LAMBDA(_xlpm.x,_xlpm.y,_xlpm.x)(1)",          # a required parameter left off
             "A9": "=_xlfn.LAMBDA(_xlpm.a,_xlop.b,_xlpm.a+_xlpm.b)(1)"})  # an omitted value used
    assert (r["S!A1"], r["S!A6"], r["S!A7"], r["S!A8"]) == ("Missing second argument", 6, 36, "#VALUE!")
    assert refused(r, "S!A9")


# ----------------------------------------------------------------------------- ADDRESS

@pytest.mark.parametrize("formula, expected", [
    # calc_tests__LOOKUP_AND_REFERENCE__ADDRESS.xlsx, the cell named on each row
    ("=ADDRESS(1,1)", "$A$1"),                                  # C5
    ('=ADDRESS(2,3,1,1,"Sheet2")', "Sheet2!$C$2"),              # E2
    ("=ADDRESS(3,5,4)", "E3"),                                  # A11
    ("=ADDRESS(3,7,1,0)", "R3C7"),                              # G15
    ("=ADDRESS(45,56,1)", "$BD$45"),                            # E17
    ("=ADDRESS(23,45,2)", "AS$23"),                             # E19
    ("=ADDRESS(23,45,2,0)", "R23C[45]"),                        # G19
    ("=ADDRESS(23,45,3)", "$AS23"),                             # E20
    ("=ADDRESS(23,45,3,0)", "R[23]C45"),                        # G20
    ("=ADDRESS(23,45,4,0)", "R[23]C[45]"),                      # G21
    ("=ADDRESS(23.4,34.7,2)", "AH$23"),                         # E24: truncated
    ("=ADDRESS(-1,3,1)", "#VALUE!"),                            # E16
    ("=ADDRESS(23,45,5)", "#VALUE!"),                           # E22
    ("=ADDRESS(0,3,1,0)", "#VALUE!"),                           # G23
    ('=ADDRESS(1,1,1,1,"A Wird One$")', "'A Wird One$'!$A$1"),  # B33
    ('=ADDRESS(2,3,1,1,"Me lo invente")', "'Me lo invente'!$C$2"),   # B38
])
def test_address(formula, expected):
    assert run({"A1": formula})["S!A1"] == expected


def test_address_refuses_what_it_does_not_read():
    r = run({"A1": '=ADDRESS(1,1,1,1,"2020")', "A2": "=ADDRESS(1,1,,1)", "A3": '=ADDRESS(1,1,1,1,"it\'s")'})
    assert all(refused(r, f"S!A{i}") for i in (1, 2, 3))


# ----------------------------------------------------------------------------- TRIMRANGE

def test_trimrange_keeps_a_reference():
    # calc_tests__LOOKUP_AND_REFERENCE__TRIMRANGE.xlsx: TRIMRANGE(A3:C22) spills A3:B9 (E3:F9);
    # TRIMRANGE(H:H) is H3:H5 (J3:J5) and SUM(J3#) 6 (K3)
    r = run({"A3": 1, "B3": 2, "A4": 3, "B5": 4, "A7": 7, "B9": "Hola", "H3": 1, "H4": 2, "H5": 3,
             "E3": "=_xlfn.TRIMRANGE(A3:C22)", "J3": "=_xlfn.TRIMRANGE(H:H)", "K3": "=SUM(_xlfn.ANCHORARRAY(J3))",
             "L1": "=ROWS(_xlfn.TRIMRANGE(A3:C22,2,0))", "L2": "=COLUMNS(_xlfn.TRIMRANGE(A3:C22,2,0))"})
    assert r.spill_shape[("S", 3, 5)] == (7, 2) and r["S!F9"] == "Hola" and r["S!E9"] == 0
    assert r.spill_shape[("S", 3, 10)] == (3, 1) and r["S!K3"] == 6
    assert (r["S!L1"], r["S!L2"]) == (7, 3)        # trailing rows only; columns kept


def test_trim_references_as_excel_stores_them():
    # Microsoft's TRIMRANGE page: A1.:.E10 is TRIMRANGE(A1:E10,3,3), A1:.E10 (2,2), A1.:E10
    # (1,1); Excel stores them as _xlfn._TRO_ALL(...), _TRO_TRAILING, _TRO_LEADING
    r = run({"B3": 1, "B4": 2,
             "D1": "=ROWS(_xlfn._TRO_ALL(A1:C10))", "D2": "=ROWS(_xlfn._TRO_TRAILING(A1:C10))",
             "D3": "=ROWS(_xlfn._TRO_LEADING(A1:C10))", "D4": "=SUM(_xlfn._TRO_TRAILING(B:B))"})
    assert [r[f"S!D{i}"] for i in range(1, 5)] == [2, 4, 8, 3]


def test_trimrange_refuses_an_empty_range():
    assert refused(run({"A1": "=ROWS(_xlfn.TRIMRANGE(B1:C5))"}), "S!A1")


# ----------------------------------------------------------------------------- @, A1#, #CALC!

def test_single_is_implicit_intersection():
    # calc_tests__INFORMATION__N.xlsx B20: N(SINGLE(D18:D22)) in row 20 reads D20;
    # calc_tests__MATH_AND_TRIGONOMETRY__LCM_GCD.xlsx D43: SINGLE(J:J) in row 43 reads J43;
    # an array gives its top-left value (Microsoft, "Implicit intersection operator: @")
    r = run({"D18": 1, "D19": 2, "D20": 3, "D21": 4, "J4": 4,
             "B20": "=N(_xlfn.SINGLE(D18:D22))", "B4": "=_xlfn.SINGLE(J:J)", "B5": "=_xlfn.SINGLE({7,8;9,10})",
             "B6": "=_xlfn.SINGLE(D18:E19)"})
    assert (r["S!B20"], r["S!B4"], r["S!B5"], r["S!B6"]) == (3, 4, 7, "#VALUE!")


def test_anchorarray_of_a_cell_a_function_gives():
    # calc_tests__spill_operator.xlsx I2: SUM(ANCHORARRAY(OFFSET(A1,1,1))) sums B2's spill, 1315;
    # E2: a cell without a formula is #REF!
    r = run({"A2": 12, "A3": 24, "A4": 34, "A5": 1245, "B2": "=A2:A5",
             "I2": "=SUM(_xlfn.ANCHORARRAY(OFFSET(A1,1,1)))", "E2": "=SUM(_xlfn.ANCHORARRAY(A2))"})
    assert (r["S!I2"], r["S!E2"]) == (1315, "#REF!")


def test_empty_arrays_are_calc_errors():
    # Excel caches these as #VALUE! with the kind #CALC! in xl/richData: DROP_TAKE.xlsx C2
    # (DROP(A2:A8,-7)), L2 (TAKE(A2:A8,0)); FILTER_ERRORS.xlsx E1; SEQUENCE.xlsx C16, E18
    cells = {f"A{i}": i for i in range(2, 9)}
    cells.update({"C2": "=_xlfn.DROP(A2:A8,-7)", "C3": "=_xlfn.TAKE($A$2:$A$8, 0)",
                  "C4": "=_xlfn._xlws.FILTER(A2:A8,A2:A8>10)", "C5": "=_xlfn.SEQUENCE(0,0)", "C6": "=_xlfn.SEQUENCE(0.3)"})
    r = run(cells)
    assert [r[f"S!C{i}"] for i in range(2, 7)] == ["#CALC!"] * 5
    assert not r.unsupported


# ----------------------------------------------------------------------------- properties

from hypothesis import given, settings, strategies as st  # noqa: E402 - the property tests' own imports

_numbers = st.lists(st.integers(-10_000, 10_000), min_size=1, max_size=6)


@settings(max_examples=30)
@given(_numbers)
def test_map_equals_the_broadcast_formula_and_scan_ends_where_reduce_does(xs):
    # MAP applies its LAMBDA to each element, so it equals the same arithmetic broadcast over
    # the range; SCAN's last step is REDUCE's result (Microsoft's MAP, SCAN and REDUCE pages)
    cells = {f"A{i}": x for i, x in enumerate(xs, start=1)}
    n = len(xs)
    cells.update({"B1": f"=_xlfn.MAP(A1:A{n},_xlfn.LAMBDA(_xlpm.x,_xlpm.x*3-1))", "C1": f"=A1:A{n}*3-1",
                  "D1": f"=_xlfn.SCAN(5,A1:A{n},_xlfn.LAMBDA(_xlpm.a,_xlpm.v,_xlpm.a*2-_xlpm.v))",
                  "E1": f"=_xlfn.REDUCE(5,A1:A{n},_xlfn.LAMBDA(_xlpm.a,_xlpm.v,_xlpm.a*2-_xlpm.v))"})
    r = run(cells)
    assert [r[f"S!B{i}"] for i in range(1, n + 1)] == [r[f"S!C{i}"] for i in range(1, n + 1)]
    assert r[f"S!D{n}"] == r["S!E1"] and not r.unsupported


@settings(max_examples=20)
@given(st.integers(1, 5), st.integers(1, 5))
def test_byrow_and_bycol_count_a_makearray(rows, cols):
    # MAKEARRAY(rows, cols, LAMBDA(r, c, r)) has rows x cols cells; BYROW gives one value per
    # row and BYCOL one per column (Microsoft's pages): the spills' shapes say so
    r = run({"A1": f"=_xlfn.MAKEARRAY({rows},{cols},_xlfn.LAMBDA(_xlpm.r,_xlpm.c,_xlpm.r))",
             "H1": "=_xlfn.BYROW(_xlfn.ANCHORARRAY(A1),_xlfn.LAMBDA(_xlpm.x,SUM(_xlpm.x)))",
             "J1": "=_xlfn.BYCOL(_xlfn.ANCHORARRAY(A1),_xlfn.LAMBDA(_xlpm.x,COUNT(_xlpm.x)))"})
    assert [r[f"S!H{i}"] for i in range(1, rows + 1)] == [i * cols for i in range(1, rows + 1)]
    assert r.spill_shape.get(("S", 1, 10), (1, 1)) == (1, cols) and r["S!J1"] == rows
