"""Issue 19's first list ("Silent or crashing today"): the cases no other test file held yet. Each
expected value is Excel's: a fixture book's cached value, or derived by hand from Microsoft's
documentation of the function (cited on each case). The other cases of the list are tested where
their code is tested (the audit table is in docs/recalculation.md)."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from addin.excel import catalog
from addin.recalc import XLError, recalc_file
from tests.test_recalc_rules import run as _run   # a one-sheet book S, recalculated

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


def test_averageif_with_the_criterion_in_a_cell():
    # Microsoft, AVERAGEIF: cells in range that meet criteria are averaged; text criteria are not
    # case-sensitive ("blue" matches "Blue"): (5 + 11) / 2 = 8. COUNTIF and SUMIF:
    # tests/test_recalc_rules.py::test_countif_sumif_with_the_criterion_in_a_cell
    r = _run({"A1": "blue", "A2": "red", "A3": "Blue", "B1": "blue", "C1": 5, "C2": 7, "C3": 11,
              "D1": "=AVERAGEIF(A1:A3,B1,C1:C3)"})
    assert r["S!D1"] == 8


def test_npv_over_a_whole_column():
    # Microsoft, NPV: NPV = sum of values_i / (1 + rate)^i; "empty cells, logical values, text ...
    # in an array or reference are ignored". 110 / 1.1 + 121 / 1.21 = 200 (within the last bit of
    # float division, as Excel's own): a whole column gave an error before
    r = _run({"A1": 110, "A2": 121, "A3": "text", "A5": True, "B1": "=NPV(0.1,A:A)"})
    assert not isinstance(r["S!B1"], XLError) and r["S!B1"] == pytest.approx(200, rel=1e-15)


# Microsoft, MATCH (match_type 1 or omitted): "finds the largest value that is less than or equal
# to lookup_value. The values in the lookup_array argument must be placed in ascending order, for
# example: ...-2, -1, 0, 1, 2, ..., A-Z, FALSE, TRUE" -- numbers, then text, then logicals, and a
# number is never compared with a text. VLOOKUP's range_lookup TRUE reads its first column the same way.
MIXED = {"A1": -2, "A2": 1, "A3": 3, "A4": 5, "A5": "apple", "A6": "pear", "A7": False, "A8": True,
         "B1": "m2", "B2": "one", "B3": "three", "B4": "five", "B5": "an apple", "B6": "a pear", "B7": "no", "B8": "yes"}


@pytest.mark.parametrize("formula, expected", [
    ("=MATCH(4,A1:A8,1)", 3),             # 3 is the largest number <= 4
    ("=MATCH(4,A1:A8)", 3),               # match_type omitted: 1
    ("=MATCH(100,A1:A8,1)", 4),           # 5, the last number; the text after it is not compared
    ('=MATCH("banana",A1:A8,1)', 5),      # "apple" <= "banana" < "pear"
    ('=MATCH("zebra",A1:A8,1)', 6),
    ("=MATCH(TRUE,A1:A8,1)", 8),
    ("=MATCH(-5,A1:A8,1)", "#N/A"),       # nothing is <= -5
    ("=VLOOKUP(4,A1:B8,2,TRUE)", "three"),
    ('=VLOOKUP("pineapple",A1:B8,2,TRUE)', "a pear"),   # "pear" <= "pineapple" (e < i)
    ('=VLOOKUP("banana",A1:B8,2,TRUE)', "an apple"),
    ("=VLOOKUP(4,A1:B8,2)", "three"),     # range_lookup omitted: TRUE
])
def test_approximate_match_and_vlookup_over_sorted_numbers_and_text(formula, expected):
    r = _run({**MIXED, "D1": formula})
    assert r["S!D1"] == expected and not r.unsupported


def test_approximate_vlookup_over_unsorted_text_is_excels_value_or_refused():
    # xlcalculator's VLOOKUP.xlsx (saved by Excel) B7: VLOOKUP("Apples", A2:B5, 2, TRUE) over
    # Apples, Oranges, Bananas, Lemons (not sorted): Excel's binary search caches 50. Unsorted data
    # has no documented answer: Excel's value, or an error recorded as unsupported, never another
    cached = openpyxl.load_workbook(FIXTURES / "xlcalculator" / "VLOOKUP.xlsx", data_only=True)["Sheet1"]["B7"].value
    assert cached == 50
    _wb, r = recalc_file(FIXTURES / "xlcalculator" / "VLOOKUP.xlsx", catalog, read_only=True)
    got = r["Sheet1!B7"]
    assert got == cached or (isinstance(got, XLError) and ("Sheet1", 7, 2) in r.unsupported)


def test_an_infinite_value_in_the_streamed_values_copy_is_num_error(tmp_path):
    # issue 19: "An infinite value is written to a values copy as an empty <v/> while --json says
    # #NUM!". Excel gives #NUM! for a number beyond its largest (Microsoft, "Excel specifications
    # and limits": 1.79769313486232E+308); the copy written by `recalc -o` says so too
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws["A1"], ws["A2"], ws["A3"] = "=1e308*10", "=SUM(1e308,1e308)", "=A1+1"
    src, out = tmp_path / "inf.xlsx", tmp_path / "values.xlsx"
    wb.save(src)
    run = subprocess.run([sys.executable, "-m", "addin.cli.cli", "recalc", str(src), "-o", str(out), "--json"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert '"S!A1": "#NUM!"' in run.stdout
    sheet = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    assert "<v/>" not in sheet and "<v />" not in sheet
    back = openpyxl.load_workbook(out)["S"]
    assert [(back[f"A{r}"].value, back[f"A{r}"].data_type) for r in (1, 2, 3)] == [("#NUM!", "e")] * 3
