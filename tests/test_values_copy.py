"""The values copy (``warrants recalc BOOK -o OUT``, addin/recalc/values_copy.py): each value written
as Excel shows it, and as LibreOffice shows it (issues 19 and 21): an infinite number as #NUM!
(not an empty <v/>), booleans as TRUE/FALSE, dates without "0:00:00", long text wrapped."""
from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from addin.recalc import write_values
from addin.recalc.evaluate import Recalc

ROOT = Path(__file__).resolve().parents[1]


def test_an_infinite_value_is_written_as_num_error(tmp_path):
    # --json reports an infinite or NaN number as #NUM! (Excel's error for a number out of range);
    # the values copy wrote an empty <v/> for it
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws["A1"], ws["A2"], ws["A3"] = "=1e308*10", "=-1e308*10", "=A1-A1"
    keys = [("S", 1, 1), ("S", 2, 1), ("S", 3, 1)]
    result = Recalc(values=dict(zip(keys, (float("inf"), float("-inf"), float("nan")))), formula_cells=keys,
                    sheet_order=["S"])
    write_values(wb, result)
    path = tmp_path / "v.xlsx"
    wb.save(path)
    sheet = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "<v />" not in sheet and "<v/>" not in sheet
    back = openpyxl.load_workbook(path)["S"]
    assert [(back.cell(r, 1).value, back.cell(r, 1).data_type) for r in (1, 2, 3)] == [("#NUM!", "e")] * 3


def _source(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws["A1"] = 1
    ws["B1"] = "=A1=1"
    ws["B1"].number_format = "0.00"          # ignored by Excel for a boolean; LibreOffice showed 1.00
    ws["C1"] = "=A1=2"
    ws["A2"] = dt.datetime(2024, 1, 15)
    ws["A2"].number_format = "yyyy-mm-dd"
    ws["B2"] = "=A2"                           # General: the date needs a date format in the copy
    ws["D1"] = '="12 Long Street, Springfield"&", Some County 12345, United States"'
    ws["E1"] = "next"                          # a neighbour that clipped the long text
    wb.save(path)


def test_values_copy_formats_for_the_value(tmp_path):
    src, out = tmp_path / "src.xlsx", tmp_path / "values.xlsx"
    _source(src)
    subprocess.run([sys.executable, "-m", "addin.cli.cli", "recalc", str(src), "-o", str(out)], check=True,
                   capture_output=True, cwd=ROOT)
    ws = openpyxl.load_workbook(out)["S"]
    assert (ws["B1"].value, ws["B1"].data_type, ws["B1"].number_format) == (True, "b", "General")
    assert ws["B2"].value == dt.datetime(2024, 1, 15) and ws["B2"].number_format == "yyyy-mm-dd"
    assert ws["D1"].value == "12 Long Street, Springfield, Some County 12345, United States"
    assert ws["D1"].alignment.wrap_text is True
    assert not ws["E1"].alignment.wrap_text     # a short constant is left as it was


@pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"),
                    reason="LibreOffice (soffice) not installed; .ci/run installs it (CI fails without it)")
def test_libreoffice_shows_booleans_and_dates_as_excel_does(tmp_path):
    # LibreOffice converts the values copy to CSV "as shown" (the text a person sees in the cells)
    src, out = tmp_path / "src.xlsx", tmp_path / "values.xlsx"
    _source(src)
    subprocess.run([sys.executable, "-m", "addin.cli.cli", "recalc", str(src), "-o", str(out)], check=True,
                   capture_output=True, cwd=ROOT)
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true", "--outdir", str(tmp_path / "csv"),
                    str(out)], check=True, capture_output=True, timeout=300)
    rows = list(csv.reader((tmp_path / "csv" / "values.csv").open(encoding="utf-8")))
    assert rows[0][1:3] == ["TRUE", "FALSE"]
    assert rows[1][:2] == ["2024-01-15", "2024-01-15"]
