"""``warrants new``: a starter workbook, filled in as a user would, recalculated headless.

Every expected value is derived by hand in the comment beside it.
"""
from __future__ import annotations

import zipfile
from datetime import datetime
from fractions import Fraction

import openpyxl
import pytest

from addin.excel.convert import TERMS_LABELS
from addin.excel import catalog
from addin.recalc import recalc_file
from tests.test_cli import run


def fill(ws, label_col: int, values: dict) -> None:
    """Type values in the cell right of each label (a user typing into the shaded cells)."""
    rows: dict = {}
    for r in range(1, ws.max_row + 1):
        rows.setdefault(ws.cell(row=r, column=label_col).value, r)   # the first: the terms block
    for label, value in values.items():
        ws.cell(row=rows[label], column=label_col + 1, value=value)


def named(wb, name: str) -> str:
    return wb.defined_names[name].attr_text


def value_of(wb, result, name: str, label: str):
    """The computed value beside ``label`` on the Warrant sheet's answers."""
    ws = wb["Warrant"]
    row = max(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == label)  # the answer
    return result.values[(name, row, 2)]


def test_new_writes_every_label_names_and_dynamic_arrays(tmp_path, capsys):
    path = tmp_path / "mine.xlsx"
    code, out, err = run(capsys, "new", path)
    assert code == 0 and "wrote" in out and err == ""
    wb = openpyxl.load_workbook(path)
    labels = [wb["Warrant"].cell(row=r, column=1).value for r in range(3, 3 + len(TERMS_LABELS))]
    assert labels == list(TERMS_LABELS)                       # every terms label, in the catalog's order
    for name in ("Terms", "AsOf", "Events", "Exercise", "Market", "KeyResults"):
        assert name in wb.defined_names, name
    assert "Tests" not in wb.defined_names                    # no performance condition chosen
    assert wb.sheetnames == ["Warrant", "Events", "Adjustments", "Exercise", "How to use", "xlwings.conf"]
    notes = {wb["Warrant"].cell(row=r, column=1).value: wb["Warrant"].cell(row=r, column=3).value
             for r in range(3, 3 + len(TERMS_LABELS))}
    for required in ("Warrant Shares", "Exercise Price", "Issue Date", "Anti-Dilution"):
        assert notes[required].startswith("Required."), required
    for required in ("Exercise Start", "Exercise End"):
        assert notes[required].startswith("Required to judge exercisability"), required
    lists = [dv.formula1 for ws in wb.worksheets for dv in ws.data_validations.dataValidation]
    assert any("STOCK_DIVIDEND" in f for f in lists)          # event kinds
    assert any("BROAD_WEIGHTED_AVERAGE" in f for f in lists)  # anti-dilution methods
    assert any("SURRENDER" in f for f in lists)               # exercise methods
    assert any(f == '"Yes,No"' for f in lists)                # yes/no cells
    assert wb["Events"]["A2"].number_format == "yyyy-mm-dd"
    assert wb["Events"].column_dimensions["K"].width >= 40   # Note is wide enough to read
    assert wb["xlwings.conf"]["A1"].value == "UDF Modules" and wb["xlwings.conf"]["B1"].value == "addin.excel.xl"
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert 't="array"' in sheet and 'cm="1"' in sheet and "WARRANT_PRICE(Terms,Events,AsOf)" in sheet


def test_new_refuses_to_overwrite_and_unknown_presets(tmp_path, capsys):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"mine")
    code, _out, err = run(capsys, "new", path)
    assert code == 2 and "refusing to overwrite" in err and path.read_bytes() == b"mine"
    code, _out, err = run(capsys, "new", tmp_path / "b.xlsx", "--preset", "Z-9")
    assert code == 2 and "known presets are D-1" in err
    code, _out, err = run(capsys, "new", tmp_path / "c.csv")
    assert code == 2 and "must end in .xlsx" in err


def test_a_user_fills_a_generic_warrant_and_recalculates(tmp_path, capsys):
    path = tmp_path / "w7.xlsx"
    assert run(capsys, "new", path)[0] == 0
    wb = openpyxl.load_workbook(path)
    fill(wb["Warrant"], 1, {
        "Warrant": "W-7", "Issue Date": datetime(2020, 1, 1), "Warrant Shares": 10000, "Exercise Price": 2,
        "Anti-Dilution": "BROAD_WEIGHTED_AVERAGE", "Common Outstanding": 1_000_000, "Fully Diluted": 1_200_000,
        "Exercise Start": datetime(2020, 1, 1), "Exercise End": datetime(2030, 1, 1),
        "As Of": datetime(2021, 6, 30)})
    ev = wb["Events"]   # typed into rows 2 and 3, under the header
    for r, row in enumerate([[datetime(2020, 6, 1), "ISSUE", 100000, None, 50000],   # 100,000 shares for $50,000
                             [datetime(2021, 1, 15), "SPLIT", None, "2-for-1"]], start=2):
        for c, v in enumerate(row, start=1):
            ev.cell(row=r, column=c, value=v)
    fill(wb["Exercise"], 1, {"Exercise Date": datetime(2021, 6, 30), "Shares": 1000, "Method": "CASH"})
    # a user fills the book in Excel, which keeps its dynamic arrays; openpyxl drops the marks
    from addin.recalc.bookio import dynamic_anchors, mark_dynamic
    spills = dynamic_anchors(path)
    wb.save(path)
    mark_dynamic(path, spills)

    wb, result = recalc_file(path, catalog)
    assert not result.exceptions
    # Broad weighted average (A = fully diluted 1,200,000; B = $50,000 / $2 = 25,000; C = 100,000):
    # $2 x (1,200,000 + 25,000) / (1,200,000 + 100,000) = $2 x 49/52 = 49/26; the 2-for-1 split halves it
    # to 49/52 = $0.9423076923... and doubles the 10,000 Warrant Shares to 20,000 (Share Adjustment NONE).
    assert value_of(wb, result, "Warrant", "Per Share Exercise Price") == float(Fraction(49, 52))
    assert value_of(wb, result, "Warrant", "Warrant Shares") == 20000
    assert value_of(wb, result, "Warrant", "Exercisable") is True      # inside 2020-01-01..2030-01-01, no tests
    # WARRANT_EXERCISE: 1,000 x 49/52 = $942.3076... -> $942.31 cash (whole shares, no fraction)
    ex = wb["Exercise"]
    anchor = next(r for r in range(1, ex.max_row + 1)
                  if str(ex.cell(row=r, column=1).value or "").startswith("=WARRANT_EXERCISE")
                  or getattr(ex.cell(row=r, column=1).value, "text", "").startswith("=WARRANT_EXERCISE"))
    rows = {result.values.get(("Exercise", r, 1)): result.values.get(("Exercise", r, 2))
            for r in range(anchor, anchor + 12)}
    assert rows["Aggregate Price"] == 942.31 and rows["Cash Due"] == 942.31
    assert rows["Full Shares Issued"] == 1000
    assert rows["Effective At"] == datetime(2021, 6, 30, 17, 0)   # close of business, default 17:00 New York
    code, out, _err = run(capsys, "recalc", path)
    assert code == 0 and "As Of 2021-06-30" in out


def test_a_d1_starter_needs_only_the_as_of_and_the_tests(tmp_path, capsys):
    path = tmp_path / "d1.xlsx"
    assert run(capsys, "new", path, "--preset", "D-1")[0] == 0
    wb = openpyxl.load_workbook(path)
    assert "Tests" in wb.defined_names and "Facts" in wb.defined_names
    fill(wb["Warrant"], 1, {"As Of": datetime(2004, 12, 31)})
    tests = wb["Tests"]
    for r, actual in zip(range(2, 6), (118, 31_000_000, 949_719, 8_165_010)):
        tests.cell(row=r, column=4, value=actual)
    wb.save(path)
    wb, result = recalc_file(path, catalog)
    # D-1's preamble: $.01 and 161,290 shares; no events, so no adjustment
    assert value_of(wb, result, "Warrant", "Per Share Exercise Price") == 0.01
    assert value_of(wb, result, "Warrant", "Warrant Shares") == 161290
    # §2(a): 118 < 120 buildings is a Performance Default; 2004-12-31 is inside §1(a)'s period: exercisable
    assert value_of(wb, result, "Warrant", "Exercisable") is True
    code, out, _err = run(capsys, "recalc", path)
    assert code == 0 and "terms preset D-1" in out


@pytest.mark.parametrize("command", ["recalc", "check", "certificate", "purchase-form", "new"])
def test_every_help_states_exit_codes_and_an_example(capsys, command):
    code, out, _err = run(capsys, command, "--help")
    text = " ".join(out.split())
    assert code == 0
    for words in ("Exit codes: 0 ok; 1 a check failed or there was nothing to check; 2 a bad file, a bad place to write or bad input",
                  "3 an internal error; 130 interrupted", f"Example: warrants {command}"):
        assert words in text, words
