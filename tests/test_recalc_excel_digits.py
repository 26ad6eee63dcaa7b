"""How Excel writes and rounds where its float arithmetic shows (issue 19): complex-number parts,
and the maths and statistics cells un-refused from the fixtures. Every expected value is the
cached value of an Excel-saved fixture book (book and cell named) or of Microsoft's
documentation (page named); a case Excel's values do not settle must be refused (recorded
unsupported), never answered with another value."""
from __future__ import annotations

import pytest

from addin.recalc import XLError
from tests.test_recalc_rules import run   # a one-sheet book S, recalculated


COMPLEX_BOOK = "calc_tests__ENGINEERING__COMPLEXs.xlsx"


@pytest.mark.parametrize("real,formula,expected,source", [
    (1e-16, "=COMPLEX(A1,0)", "0.0000000000000001", "D16"),
    (1e-17, "=COMPLEX(A1,0)", "0.00000000000000001", "D17"),
    (1e-18, "=COMPLEX(A1,0)", "0.000000000000000001", "D18"),
    (1e-18, "=IMCONJUGATE(COMPLEX(A1,0))", "0.000000000000000001", "I18"),
    (1e-20, "=COMPLEX(A1,0)", "1E-20", "D19"),
    (1.2e-45, "=COMPLEX(A1,-3)", "1.2E-45-3i", "D13"),
])
def test_complex_parts_written_as_excel_writes_them(real, formula, expected, source):
    # calc_tests__ENGINEERING__COMPLEXs.xlsx, Sheet1!<source>
    assert run({"A1": real, "B1": formula})["S!B1"] == expected


def test_a_small_part_of_many_digits_keeps_its_exponent():
    # exceljet.net, "Excel IMSQRT function": IMSQRT("-1") returns "6.12323399573677E-17+i";
    # COMPLEXs.xlsx AL26 caches IMREAL(IMSQRT(-1)) = 6.12323399573677E-17
    r = run({"B1": '=IMSQRT("-1")', "C1": "=IMREAL(B1)"})
    assert r["S!B1"] == "6.12323399573677E-17+i"
    assert r["S!C1"] == pytest.approx(6.12323399573677e-17, rel=1e-12)


def test_a_complex_part_whose_text_is_not_recorded_is_refused():
    # a part of 1E-19 (between the fixed 1E-18 and the exponent of 1E-20), and a part of more
    # than one digit below 1E-9: Excel's text for them is in no fixture
    for f in ("=COMPLEX(1E-19,0)", "=COMPLEX(2.5E-16,1)"):
        r = run({"B1": f})
        assert isinstance(r["S!B1"], XLError) and ("S", 1, 2) in r.unsupported, f


@pytest.mark.parametrize("formula,expected,source", [
    ("=SIN(PI())", 1.22514845490862e-16, "calc_tests__MATH_AND_TRIGONOMETRY__trigonometric_functions.xlsx B12"),
    ("=COS(PI()/2)", 6.1257422745431e-17, "docs__COS.xlsx B6"),
    ("=COS(-PI()/2)", 6.1257422745431e-17, "docs__COS.xlsx B2"),
    ("=TAN(PI()/2)", 1.6324552277619072e16, "docs__TAN.xlsx B8"),
    ("=TAN(-3*PI()/2)", -5441517425873024.0, "docs__TAN.xlsx B2"),
    ("=TAN(3*PI()/2)", 5441517425873024.0, "docs__TAN.xlsx B10"),
    ("=TAN(-PI())", 1.22514845490862e-16, "docs__TAN.xlsx B3"),
    ("=SIN(PI()/2)", 1.0, "docs__SIN.xlsx B6"),
    ("=SIN(10*PI()/180)", 0.17364817766693033, "docs__SIN.xlsx B7"),
])
def test_trigonometry_reduces_its_argument_as_excel(formula, expected, source):
    got = run({"B1": formula})["S!B1"]
    assert got == pytest.approx(expected, rel=1e-12, abs=0), (got, source)


@pytest.mark.parametrize("x,expected,source", [
    (1.0000001, -5.772155829918508e-08, "B23"),
    (0.9999999, 5.7721574684441944e-08, "B24"),
    (1, 0.0, "B3"),
    (2, 0.0, "B4"),
    (4.0000001, 1.7917595948398235, "B21"),
])
def test_gammaln_near_its_zeros_to_the_last_digit(x, expected, source):
    # calc_tests__STATISTICAL__GAMMALN_GAMMALNPRECISE.xlsx, sheet "GAMMALN GAMMALN.PRECISE"
    got = run({"A1": x, "B1": "=GAMMALN(A1)", "C1": "=GAMMALN.PRECISE(A1)"})
    for ref in ("S!B1", "S!C1"):
        assert got[ref] == pytest.approx(expected, rel=1e-12, abs=0), (ref, got[ref], source)


@pytest.mark.parametrize("formula,expected,source", [
    ("=BETA.INV(4.688385940594357E-12,2,2.5,0.234,1.2)", 0.234001, "calc_tests__STATISTICAL__BETADIST_BETAINV.xlsx H9"),
    ("=BETA.INV(0.9999999999999962,2,2.5,0.234,1.2)", 1.199999004352299, "BETADIST_BETAINV.xlsx H10"),
    ("=BETA.INV(3.038194444441917E-24,2,2.5,0,1.2)", 1.0000000000000012e-12, "BETADIST_BETAINV.xlsx H11"),
    ("=BETA.INV(3.381928365472304E-07,2,0.0001,0.15,1.2)", 0.23400000000000004, "BETADIST_BETAINV.xlsx H25"),
    ("=BETA.INV(2.3817091316180232E-30,100,1,0.1,1)", 0.555, "BETADIST_BETAINV.xlsx H30"),
    ("=GAMMA.INV(2.755707120924027E-51,9,1000000)", 9.999999999999998, "calc_tests__STATISTICAL__GAMMA.xlsx F21"),
    ("=GAMMA.INV(1E-07,9,2)", 1.4902187371078093, "GAMMA.xlsx F70"),
    ("=GAMMA.INV(0.999999,9,2)", 61.91422671617931, "GAMMA.xlsx F74"),
    ("=CONFIDENCE.T(1E-06,1,50)", 0.7903688771303455, "calc_tests__STATISTICAL__CONFIDENCE.xlsx E5"),
    ("=CONFIDENCE.T(0.999999,1,50)", 1.781519460717496e-07, "CONFIDENCE.xlsx E8"),
])
def test_inverse_distributions_exact_in_both_tails(formula, expected, source):
    got = run({"B1": formula})["S!B1"]
    assert got == pytest.approx(expected, rel=1e-12, abs=0), (got, source)


def test_a_result_at_the_rounding_noise_of_its_bound_is_refused():
    # Excel -2.220446049250313E-16 (BETADIST_BETAINV.xlsx H16): the last bit of a cancellation
    r = run({"B1": "=BETA.INV(0.9526182716825916,2,2.5,-1,0.234)"})
    assert isinstance(r["S!B1"], XLError) and ("S", 1, 2) in r.unsupported


@pytest.mark.parametrize("number,divisor,expected,cell", [
    (5, 1e-10, 9.999981783901343e-11, "C25"),
    (5, -1e-10, -1.821609865774887e-16, "C26"),
    (10.0000000001, 0.1, 9.999945316252479e-11, "C20"),
    (10.0000000001, -0.1, -0.09999999990000055, "C21"),
    (1e10, 3, 1.0, "C22"),
    (-1e10, 3, 2.0, "C23"),
    (-5.3, 2, 0.7000000000000002, "C16"),
])
def test_mod_is_the_exact_remainder_of_the_floats(number, divisor, expected, cell):
    # calc_tests__MATH_AND_TRIGONOMETRY__MOD_QUOTIENT.xlsx, sheet DATEVALUE
    got = run({"A1": number, "B1": divisor, "C1": "=MOD(A1,B1)"})["S!C1"]
    assert got == pytest.approx(expected, rel=1e-12, abs=0), (got, cell)


def test_covariance_over_whole_columns():
    # calc_tests__STATISTICAL__COVARIANCE.xlsx, sheet "COVARIANCE.P COVARIANCE.S": F107:G111 hold
    # 1..10; COVARIANCE.P(F:F,G:G) is 8 (C109), COVARIANCE.S(F:F,G:G) 10 (D109): the blanks
    # beyond the used area make no pair
    cells = {f"F{r}": 2 * i + 1 for i, r in enumerate(range(107, 112))}
    cells.update({f"G{r}": 2 * i + 2 for i, r in enumerate(range(107, 112))})
    cells.update({"C109": "=COVARIANCE.P(F:F,G:G)", "D109": "=COVARIANCE.S(F:F,G:G)"})
    r = run(cells)
    assert (r["S!C109"], r["S!D109"]) == (8.0, 10.0)


def test_prob_without_a_pair_of_numbers_is_div0():
    # calc_tests__STATISTICAL__PROB.xlsx O2: PROB(L2:L3,M2:M3,N2) over "Hi"/"hi" is #DIV/0!
    r = run({"L2": "Hi", "M2": "hi", "N2": 1, "O2": "=PROB(L2:L3,M2:M3,N2)"})
    assert str(r["S!O2"]) == "#DIV/0!"


@pytest.mark.parametrize("formula,expected,cell", [
    ("=POISSON.DIST(1000000,1000000,TRUE)", 0.5002659614862837, "D31"),
    ("=POISSON.DIST(1000000,5,TRUE)", 1.0, "D29"),
])
def test_poisson_cumulative_of_a_million_terms(formula, expected, cell):
    # calc_tests__STATISTICAL__POISSON.xlsx, sheet POISSON.DIST
    got = run({"B1": formula})["S!B1"]
    assert got == pytest.approx(expected, rel=1e-12, abs=0), (got, cell)
