"""The ``warrants`` command: recalc --json, -o values copies, check exit codes, bad files, macros."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import openpyxl
import pytest

from addin.cli import cli

ROOT = Path(__file__).resolve().parents[1]
BOOKS = ROOT / "workbooks"
D1 = BOOKS / "performance_warrant_d1.xlsx"
SERIES_C = BOOKS / "series_c_reallocation.xlsx"


def run(capsys, *args: str) -> tuple[int, str, str]:
    old = sys.argv
    sys.argv = ["warrants", *map(str, args)]
    try:
        with pytest.raises(SystemExit) as exc:
            cli.main()
    finally:
        sys.argv = old
    out, err = capsys.readouterr()
    return exc.value.code or 0, out, err


def all_checks_pass(ws):
    """The value under "Check" beside the "All checks pass" label of a Checks sheet."""
    row = next(c.row for c in ws["A"] if c.value == "All checks pass")
    return ws.cell(row=row + 1, column=2).value


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def small_book(tmp_path):
    """One sheet: a value, a formula, a passing and a failing check."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws["A1"] = 1
    ws["A2"] = "=A1+1"
    ws["B1"] = "Check"
    ws["B2"] = "=A2=2"
    path = tmp_path / "small.xlsx"
    wb.save(path)
    return path


# ----------------------------------------------------------------------------- recalc

def test_recalc_json_prints_only_one_object_of_formula_and_spilled_cells(capsys):
    code, out, err = run(capsys, "recalc", SERIES_C, "--json")
    assert code == 0
    data = json.loads(out)                       # nothing but the object on stdout
    assert isinstance(data, dict)
    assert data["Reallocation!A1"] == "Optionee"            # the anchor of OPTION_REALLOCATE
    assert data["Reallocation!G5"] == 252667.5              # a spilled cell: John E. Avery's price
    assert data["Reallocation!B14"] == 535657.5
    assert data["Reallocation!K2"] is True                   # booleans stay booleans
    assert data["Checks!B9"] is True


def test_recalc_json_dates_are_iso_text_and_numbers_are_numbers(capsys):
    code, out, _ = run(capsys, "recalc", D1, "--json")
    data = json.loads(out)
    assert data["Trail!A2"] == "2001-03-01"
    assert data["Exercise!B22"] == "2004-06-15T17:00:00"
    assert data["Results!B2"] == pytest.approx(0.0096, abs=1e-15)
    assert data["Trail!D8"] == "APPLIED"


def test_recalc_prints_key_results_table(capsys):
    code, out, _ = run(capsys, "recalc", D1)
    assert code == 0
    assert "Per Share Exercise Price" in out and "0.0096" in out and "24,798.2975" in out
    assert "238.063656" in out and "0.009600" not in out            # shown in the cell's number format
    code, out, _ = run(capsys, "recalc", SERIES_C)
    assert "535,657.50" in out and "252,667.50" in out and "30,322.50" in out


def test_recalc_output_is_an_atomic_values_copy_and_input_is_untouched(capsys, tmp_path):
    src = tmp_path / "d1.xlsx"
    shutil.copy(D1, src)
    before = digest(src)
    out_path = tmp_path / "out" / "values.xlsx"
    out_path.parent.mkdir()         # a missing folder is refused (tests/test_dist.py), never created
    code, _, _ = run(capsys, "recalc", src, "-o", out_path)
    assert code == 0
    assert digest(src) == before
    assert [p.name for p in out_path.parent.iterdir()] == ["values.xlsx"]   # no temp file left behind
    wb = openpyxl.load_workbook(out_path)
    assert not any(isinstance(c.value, str) and c.value.startswith("=")
                   for ws in wb.worksheets for row in ws.iter_rows() for c in row)
    assert wb["Results"]["B2"].value == pytest.approx(0.0096, abs=1e-15)
    assert wb["Trail"]["D13"].value == "BLOCKED_UPWARD"                 # a spilled cell, filled
    assert all_checks_pass(wb["Checks"]) is True


def test_recalc_refuses_to_overwrite_its_input(capsys, small_book):
    code, out, err = run(capsys, "recalc", small_book, "-o", small_book)
    assert code == 2 and "refusing to overwrite" in err and len(err.strip().splitlines()) == 1


# ----------------------------------------------------------------------------- check

def test_check_passes_on_the_sample_workbooks(capsys):
    code, out, err = run(capsys, "check", BOOKS)
    assert code == 0, out + err
    assert [line.split()[0] for line in out.splitlines()] == ["ok"] * 4  # four sample books


def test_check_reports_false_check_with_sheet_and_cell_and_exits_1(capsys, small_book, tmp_path):
    wb = openpyxl.load_workbook(small_book)
    wb["S"]["B3"] = "=A2=3"
    bad = tmp_path / "failing.xlsx"
    wb.save(bad)
    code, out, _ = run(capsys, "check", bad)
    assert code == 1
    assert "S!B3: FALSE" in out and "1/2 checks pass" in out


def test_check_fails_on_warrant_error_cells(capsys, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws["A1"] = "=WARRANT_PRICE(B1:C2,B5:C6,\"not a date\")"
    path = tmp_path / "warrant_error.xlsx"
    wb.save(path)
    code, out, _ = run(capsys, "check", path)
    assert code == 1 and "S!A1: #WARRANT:" in out


def test_check_fails_on_an_exception_recorded_inside_a_catalog_function(capsys, tmp_path, monkeypatch):
    def boom(name, *args, date1904=False):
        raise ZeroDivisionError("bug")
    fake = types.SimpleNamespace(CATALOG={"WARRANT_PRICE": None}, call=boom)
    monkeypatch.setattr("addin.cli.cli.catalog", fake)
    wb = openpyxl.Workbook()
    wb.active.title = "S"
    wb.active["A1"] = "=WARRANT_PRICE(1)"
    path = tmp_path / "exc.xlsx"
    wb.save(path)
    code, out, _ = run(capsys, "check", path)
    assert code == 1
    assert "S!A1: exception in WARRANT_PRICE: ZeroDivisionError: bug" in out


def test_check_several_files_reports_each(capsys, small_book, tmp_path):
    code, out, _ = run(capsys, "check", small_book, SERIES_C)
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == ["ok"] * 2


# ----------------------------------------------------------------------------- bad files

def _bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {}
    files["text"] = tmp_path / "notes.xlsx"
    files["text"].write_text("just text\n")
    files["corrupt"] = tmp_path / "corrupt.xlsx"
    files["corrupt"].write_bytes(D1.read_bytes()[:4000])               # a truncated zip
    files["encrypted"] = tmp_path / "locked.xlsx"                        # what Excel writes with a password
    files["encrypted"].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    files["zip_not_book"] = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(files["zip_not_book"], "w") as z:
        z.writestr("hello.txt", "hi")
    files["missing"] = tmp_path / "nowhere.xlsx"
    return files


@pytest.mark.parametrize("kind, message", [
    ("text", "not an Excel workbook"),
    ("corrupt", "corrupt workbook"),
    ("encrypted", "password-protected"),
    ("zip_not_book", "not an Excel workbook"),
    ("missing", "no such file"),
])
@pytest.mark.parametrize("command", ["recalc", "check", "certificate"])
def test_bad_files_get_one_line_and_exit_2(capsys, tmp_path, kind, message, command):
    path = _bad_files(tmp_path)[kind]
    code, out, err = run(capsys, command, path)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and str(path.name) in lines[0]
    assert "Traceback" not in out + err


def test_missing_named_range_is_one_line_exit_2(capsys):
    code, _, err = run(capsys, "certificate", SERIES_C)
    assert code == 2
    assert err.strip() == f"warrants: error: {SERIES_C}: missing named ranges Terms, Events, AsOf"


def test_broken_named_range_is_an_error_only_where_it_is_needed(capsys, small_book, tmp_path):
    """A name pointing at #REF! (a deleted sheet) does not refuse the book: Excel computes every
    formula that does not use it. A macro that needs it refuses with one line, exit 2."""
    from openpyxl.workbook.defined_name import DefinedName
    wb = openpyxl.load_workbook(small_book)
    wb.defined_names["Terms"] = DefinedName("Terms", attr_text="#REF!")
    path = tmp_path / "broken.xlsx"
    wb.save(path)
    code, _, err = run(capsys, "recalc", path)
    assert code == 0 and not err
    code, _, err = run(capsys, "certificate", path, "-o", tmp_path / "out.xlsx")
    assert code == 2 and "named range Terms" in err and len(err.strip().splitlines()) == 1


def test_console_script_never_shows_a_traceback(tmp_path):
    bad = _bad_files(tmp_path)["corrupt"]
    proc = subprocess.run([sys.executable, "-m", "addin.cli.cli", "recalc", str(bad)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip().startswith("warrants: error:") and "Traceback" not in proc.stderr


def test_usage_error_exits_2(capsys):
    code, _, err = run(capsys, "recalc")
    assert code == 2 and "Missing argument" in err


# ----------------------------------------------------------------------------- macros

def test_certificate_on_a_copy(capsys, tmp_path):
    src = tmp_path / "d1.xlsx"
    shutil.copy(D1, src)
    before = digest(src)
    out_path = tmp_path / "cert.xlsx"
    code, out, err = run(capsys, "certificate", src, "--as-of", "2004-12-31", "-o", out_path)
    assert code == 0, err
    assert digest(src) == before
    wb = openpyxl.load_workbook(out_path)
    new = [n for n in wb.sheetnames if n not in openpyxl.load_workbook(src).sheetnames]
    assert len(new) == 1
    cells = [c for row in wb[new[0]].iter_rows(values_only=True) for c in row]
    assert 0.0096 in cells and 24798.2975 in cells


def test_purchase_form_on_a_copy(capsys, tmp_path):
    out_path = tmp_path / "pf.xlsx"
    code, out, err = run(capsys, "purchase-form", D1, "-o", out_path)
    assert code == 0, err
    wb = openpyxl.load_workbook(out_path)
    cells = [c for row in wb[wb.sheetnames[-1]].iter_rows(values_only=True) for c in row]
    assert any(isinstance(c, str) and "49,596.595 shares" in c for c in cells)


def test_certificate_bad_date_is_one_line(capsys):
    code, _, err = run(capsys, "certificate", D1, "--as-of", "31/12/2004")
    assert code == 2 and "--as-of" in err


def test_workbook_xml_is_parsed_with_defusedxml():
    import openpyxl.xml
    assert openpyxl.xml.DEFUSEDXML is True      # openpyxl switches to defusedxml when it is installed
