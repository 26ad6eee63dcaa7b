"""The committed sample workbooks are exactly what workbooks/build.py makes, and they check themselves."""
from __future__ import annotations

import importlib.util
import math
import re
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.formula import ArrayFormula

from addin.recalc.bookio import load_book
from addin.cli.cli import check_book
from addin.excel import catalog
from addin.recalc import recalc_workbook

ROOT = Path(__file__).resolve().parents[1]
BOOKS = ROOT / "workbooks"
NAMES = ("performance_warrant_d1.xlsx", "series_c_reallocation.xlsx", "warrant_register.xlsx")


def _build_module():
    spec = importlib.util.spec_from_file_location("workbooks_build", BOOKS / "build.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["workbooks_build"] = mod        # dataclasses need their module registered
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("built")
    build = _build_module()
    for make in build.BOOKS:
        build.build(make(), out, verify=False)
    return out


def _cells(path: Path, data_only: bool) -> dict[tuple[str, str], object]:
    wb = openpyxl.load_workbook(path, data_only=data_only, read_only=True)
    out: dict[tuple[str, str], object] = {}
    for ws in wb.worksheets:
        for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
            for c, v in enumerate(row, start=1):
                if isinstance(v, ArrayFormula):
                    v = ("array", v.ref, v.text)
                if v is not None:
                    out[(ws.title, r, c)] = v
    wb.close()
    return out


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


@pytest.mark.parametrize("name", NAMES)
def test_committed_workbook_matches_the_build_script_cell_by_cell(built, name):
    committed, fresh = BOOKS / name, built / name
    for data_only in (False, True):
        a, b = _cells(committed, data_only), _cells(fresh, data_only)
        assert a.keys() == b.keys(), f"{name}: cells differ ({'values' if data_only else 'formulas'}); " \
                                     f"run python workbooks/build.py"
        diff = [(k, a[k], b[k]) for k in a if not _same(a[k], b[k])]
        assert not diff, f"{name}: {len(diff)} cells differ, first {diff[:3]}; run python workbooks/build.py"
    wa, wb = openpyxl.load_workbook(committed), openpyxl.load_workbook(fresh)
    assert wa.sheetnames == wb.sheetnames
    assert {k: v.attr_text for k, v in wa.defined_names.items()} == {k: v.attr_text for k, v in wb.defined_names.items()}


def test_warrants_check_passes_on_every_workbook():
    for name in NAMES:
        report = check_book(BOOKS / name)
        assert report.error is None
        assert report.findings == [], f"{name}: {report.findings}"
        assert report.checks > 0 and report.passed == report.checks


def test_stored_values_are_the_recalculated_values():
    """What any viewer shows (cached values) is what the headless recalculation computes."""
    path = BOOKS / "performance_warrant_d1.xlsx"
    cached = openpyxl.load_workbook(path, data_only=True)
    result = recalc_workbook(load_book(path), catalog)
    for (sheet, r, c) in result.cells():
        v = result.values[(sheet, r, c)]
        got = cached[sheet].cell(row=r, column=c).value
        if hasattr(got, "year") and isinstance(v, float):    # a serial shown with a date format
            got = to_excel(got)
        if isinstance(v, float) and isinstance(got, (int, float)) and not isinstance(got, bool):
            assert got == pytest.approx(v, rel=1e-15, abs=1e-15), (sheet, r, c)
        elif hasattr(v, "year"):
            assert got == v, (sheet, r, c)
        else:
            assert got == v, (sheet, r, c)
    assert cached["Results"]["B2"].value == pytest.approx(0.0096)
    ws = cached["Checks"]
    row = next(c.row for c in ws["A"] if c.value == "All checks pass")
    assert ws.cell(row=row + 1, column=2).value is True


@pytest.mark.parametrize("name", NAMES)
def test_each_book_names_the_xlwings_module(name):
    wb = openpyxl.load_workbook(BOOKS / name, read_only=True)
    conf = wb["xlwings.conf"]
    assert (conf["A1"].value, conf["B1"].value) == ("UDF Modules", "addin.excel.xl")


def test_d1_has_the_named_ranges_the_macros_read():
    wb = openpyxl.load_workbook(BOOKS / "performance_warrant_d1.xlsx")
    assert {"Terms", "Tests", "Facts", "Events", "Exercise", "Market", "AsOf"} <= set(wb.defined_names.keys())


def test_d1_ledger_exercises_every_event_kind_and_category():
    from engine.events import EVENT_KINDS
    wb = openpyxl.load_workbook(BOOKS / "performance_warrant_d1.xlsx")
    ws = wb["Events"]
    kinds = {ws.cell(row=r, column=2).value for r in range(2, ws.max_row + 1)} - {None}
    assert kinds == set(EVENT_KINDS)
    categories = {ws.cell(row=r, column=8).value for r in range(2, ws.max_row + 1)} - {None}
    assert categories == {"MANAGEMENT", "SERIES_D", "EXCLUDED"}
    statuses = {ws.cell(row=r, column=13).value for r in range(2, ws.max_row + 1)} - {None}
    assert statuses == {"APPLIED", "CARRIED_FORWARD", "EXCLUDED", "NO_EFFECT", "BLOCKED_UPWARD"}


@pytest.mark.parametrize("name", NAMES)
def test_spills_are_written_as_dynamic_arrays(name):
    with zipfile.ZipFile(BOOKS / name) as z:
        assert "xl/metadata.xml" in z.namelist()
        sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
    assert re.search(r'<c [^>]*cm="1"', sheets)


def test_d1_has_a_native_chart_of_price_and_shares():
    with zipfile.ZipFile(BOOKS / "performance_warrant_d1.xlsx") as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert charts
        xml = z.read(charts[0]).decode()
    assert "Trail!$F$2:$F$22" in xml and "Trail!$H$2:$H$22" in xml


def test_register_has_ten_thousand_warrants_in_one_spilled_call():
    wb = openpyxl.load_workbook(BOOKS / "warrant_register.xlsx")
    assert wb["Register"].max_row == 10_001
    a1 = wb["Results"]["A1"].value
    assert isinstance(a1, ArrayFormula) and a1.ref == "A1:D10001" and "WARRANT_REGISTER(" in a1.text


def test_illustrative_data_is_marked():
    for name in NAMES:
        wb = openpyxl.load_workbook(BOOKS / name, read_only=True)
        texts = [v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
        assert any("ILLUSTRATIVE" in t for t in texts), name


def test_d1_in_the_1904_date_system_checks_too(tmp_path):
    """The same book saved on the 1904 date system (Mac Excel) recalculates to the same answers."""
    build = _build_module()
    book = build.d1_book()
    book.date1904 = True
    path = build.build(book, tmp_path, verify=False)
    wb = openpyxl.load_workbook(path)
    assert wb.epoch.year == 1904
    report = check_book(path)
    assert report.findings == [] and report.passed == report.checks > 50
