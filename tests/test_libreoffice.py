"""What a person sees opening the sample books without the add-in, seen by LibreOffice itself.

LibreOffice (no xlwings, no catalog functions) opens each committed book and
the values copy that ``warrants recalc BOOK -o OUT`` writes, and saves what it
computed; openpyxl reads those values back. Runs where ``soffice`` is
installed (``apt-get install libreoffice-calc-nogui``; .ci/run installs it): it skips on a
developer's machine without it, and fails under ``CI=true``.

* The formula books: every catalog call reads ``#NAME?``; no check cell reads
  TRUE over a result that reads as an error, and "All checks pass" is not TRUE.
* The values copy: no error anywhere and "All checks pass" TRUE: it is the
  file to share (README).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent
BOOKS = sorted((ROOT / "workbooks").glob("*.xlsx"))
ERRORS = {"#NAME?", "#VALUE!", "#REF!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "Err:502", "Err:504", "Err:508"}
CELL_REF = re.compile(r"(?:'?([A-Za-z][\w .]*)'?!)?\$?([A-Z]{1,3})\$?(\d+)(?![\d:(])")

IN_CI = os.environ.get("CI", "").lower() == "true"
pytestmark = pytest.mark.skipif(shutil.which("soffice") is None and not IN_CI,
                                reason="LibreOffice (soffice) not installed")


@pytest.fixture(scope="module")
def seen(tmp_path_factory):
    """{file name: (formula workbook, LibreOffice's values workbook)} for each book and its values copy."""
    work = tmp_path_factory.mktemp("libreoffice")
    inputs = []
    for book in BOOKS:
        copy = work / book.name
        shutil.copy(book, copy)
        values = work / (book.stem + ".values.xlsx")
        subprocess.run([sys.executable, "-m", "addin.cli.cli", "recalc", str(copy), "-o", str(values)],
                       check=True, capture_output=True)
        inputs += [copy, values]
    out = work / "out"
    profile = (work / "profile").as_uri()  # a private LibreOffice profile: no clash with another soffice
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(out), *map(str, inputs)], check=True, capture_output=True, timeout=600)
    return {p.name: (_cells(p, data_only=False), _cells(out / p.name, data_only=True)) for p in inputs}


def _cells(path: Path, data_only: bool) -> dict[tuple[str, str], object]:
    """{(sheet, "A1"): value} of every non-empty cell (formula text, or the value LibreOffice saved)."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    cells = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if getattr(c, "value", None) is not None:
                    cells[(ws.title, c.coordinate)] = getattr(c.value, "text", c.value)  # array formula text
    wb.close()
    return cells


def _is_error(v) -> bool:
    return isinstance(v, str) and v in ERRORS


def _errors(cells) -> int:
    return sum(map(_is_error, cells.values()))


def _all_checks_pass(cells):
    label = next(ref for (sheet, ref), v in cells.items() if sheet == "Checks" and v == "All checks pass")
    row = int(re.sub(r"\D", "", label))
    return cells.get(("Checks", f"B{row + 1}"))


def _check_cells(formulas):
    """(sheet, cell, formula) of every check cell: the honest form =IFERROR(check,FALSE)."""
    for (sheet, ref), text in formulas.items():
        if isinstance(text, str) and text.startswith("=IFERROR(") and text.endswith(",FALSE)"):
            yield sheet, ref, text


@pytest.mark.parametrize("book", [b.name for b in BOOKS])
def test_without_the_add_in_no_check_reads_true_over_an_error(seen, book):
    formulas, values = seen[book]
    assert _errors(values) > 0  # the premise: without the add-in the catalog calls are #NAME?
    checks = list(_check_cells(formulas))
    assert checks
    for sheet, ref, text in checks:
        refs = [((s or sheet).strip("'"), f"{col}{row}") for s, col, row in CELL_REF.findall(text)]
        if any(_is_error(values.get(r)) for r in refs):
            assert values.get((sheet, ref)) is not True, f"{book} {sheet}!{ref} {text} reads TRUE over an error"
    assert _all_checks_pass(values) is not True


@pytest.mark.parametrize("book", [b.stem + ".values.xlsx" for b in BOOKS])
def test_the_values_copy_keeps_its_numbers(seen, book):
    _formulas, values = seen[book]
    assert _errors(values) == 0
    assert _all_checks_pass(values) is True
