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


# ----------------------------------------------------------------------------- the streamed copy (issue 19)

from openpyxl.worksheet.table import Table  # noqa: E402

from addin.excel import catalog  # noqa: E402
from addin.recalc import recalc_file  # noqa: E402
from addin.recalc.bookio import BookError  # noqa: E402
from addin.recalc.values_copy import copy_values  # noqa: E402

from .xlsx_parts import MAIN, sheet_xml, xlsx  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"


def _copy(tmp_path, src: Path, name: str = "values.xlsx"):
    before = src.read_bytes()
    _wb, result = recalc_file(src, catalog, read_only=True)
    out = tmp_path / name
    copy_values(src, result, out)
    assert src.read_bytes() == before                   # the input is only read
    return out, result


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_a_table_and_every_other_part_are_kept_byte_for_byte(tmp_path):
    # a book saved by openpyxl loses its tables' parts when openpyxl reads it without them; the
    # values copy rewrites the worksheets' formula cells and nothing else
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for row in (["Item", "Units", "Cost", "Total"], ["a", 2, 1.5, "=B2*C2"], ["b", 3, 2.0, "=B3*C3"]):
        ws.append(row)
    table = Table(displayName="Sales", ref="A1:D3")
    table._initialise_columns()
    for column, header in zip(table.tableColumns, ["Item", "Units", "Cost", "Total"]):
        column.name = header
    ws.add_table(table)
    ws["F1"] = "=SUM(Sales[Total])"
    wb.create_sheet("Other")["A1"] = 7
    src = tmp_path / "src.xlsx"
    wb.save(src)
    out, _ = _copy(tmp_path, src)
    before, after = _parts(src), _parts(out)
    assert set(after) == set(before)
    changed = {n for n in before if before[n] != after[n]}
    assert changed == {"xl/worksheets/sheet1.xml"}       # the table part, styles, names, the other sheet: as they were
    back = openpyxl.load_workbook(out)["S"]
    assert list(back.tables) == ["Sales"] and back.tables["Sales"].ref == "A1:D3"
    assert [back["D2"].value, back["D3"].value, back["F1"].value] == [3, 6, 9]     # 2 x 1.5, 3 x 2, 3 + 6
    assert not any(c.data_type == "f" for row in back.iter_rows() for c in row)


def test_an_excel_saved_book_keeps_its_chartsheet_and_parts(tmp_path):
    # IronCalc's example.xlsx (saved by Excel): a chartsheet, charts, tables, styles, defined names
    src = FIXTURES / "ironcalc" / "example.xlsx"
    out, result = _copy(tmp_path, src)
    before, after = _parts(src), _parts(out)
    assert "xl/calcChain.xml" not in after                # no formulas left to order
    kept = set(before) - {"xl/calcChain.xml"}
    assert set(after) == kept
    for name in kept - {"[Content_Types].xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"}:
        if not name.startswith("xl/worksheets/sheet"):
            assert after[name] == before[name], name
    assert b"calcChain" not in after["[Content_Types].xml"] + after["xl/_rels/workbook.xml.rels"]
    back = openpyxl.load_workbook(out)
    assert back.sheetnames == openpyxl.load_workbook(src).sheetnames
    cached = openpyxl.load_workbook(src, data_only=True)
    same = sum(1 for (s, r, c) in result.formula_cells
               if back[s].cell(r, c).value == cached[s].cell(r, c).value and back[s].cell(r, c).value is not None)
    assert same > 0.9 * len(result.formula_cells)        # Excel's own cached values, where we match Excel


def test_spilled_cells_the_file_lacks_are_inserted_in_order(tmp_path):
    # xlsxwriter stores a dynamic array's anchor only; rows 2-3 of the spill and row 5 exist nowhere
    import xlsxwriter
    src = tmp_path / "da.xlsx"
    with xlsxwriter.Workbook(src) as book:
        ws = book.add_worksheet("S")
        ws.write_column(0, 0, [1, 2, 3])
        ws.write_dynamic_array_formula("B1:B1", "=A1:A3*10")
        ws.write_dynamic_array_formula("D4:D4", "=SEQUENCE(2,2)")
        ws.write("C2", "between")
    out, _ = _copy(tmp_path, src)
    back = openpyxl.load_workbook(out)["S"]
    assert [back["B1"].value, back["B2"].value, back["B3"].value, back["C2"].value] == [10, 20, 30, "between"]
    assert [[c.value for c in row] for row in back["D4:E5"]] == [[1, 2], [3, 4]]


def test_hand_written_rows_empty_rows_prefixes_and_odd_text(tmp_path):
    # <row r="2"/> (a styled empty row an array lands in), a cell without r, a prefixed sheet,
    # a text with a control character and a literal "_x0041_", a formula in a merged hidden cell
    rows = ('<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c><x:f t="array" ref="B1:B2">ROW(A1:A2)</x:f><x:v>1</x:v></x:c>'
            '<x:c r="C1"><x:f>CHAR(7)&amp;"_x0041_"</x:f><x:v>?</x:v></x:c><x:c r="E1"><x:f>A1+1</x:f><x:v>2</x:v>'
            '</x:c></x:row><x:row r="2" ht="20" customHeight="1"/>')
    part = (f'<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN}"><x:sheetData>{rows}</x:sheetData>'
            '<x:mergeCells count="1"><x:mergeCell ref="D1:E1"/></x:mergeCells></x:worksheet>')
    src = tmp_path / "hand.xlsx"
    src.write_bytes(xlsx({"S": part}, metadata=None))
    out, _ = _copy(tmp_path, src)
    back = openpyxl.load_workbook(out)["S"]
    assert back["B1"].value == 1 and back["B2"].value == 2      # the array's second cell, in the empty row
    assert back.row_dimensions[2].height == 20                  # the row keeps its own attributes
    sheet = _parts(out)["xl/worksheets/sheet1.xml"]
    # CHAR(7) (not allowed in XML) and the literal text, escaped as ECMA-376 Part 1, 22.9.2.19
    # ST_Xstring says and Excel writes them (openpyxl refused the character: the copy stopped)
    assert b"<x:t>_x0007__x005F_x0041_</x:t>" in sheet
    assert b"x:f" not in sheet and b"<x:c r=\"E1\"><x:v>2</x:v></x:c>" in sheet   # the hidden cell's value


def test_rows_out_of_order_are_a_one_line_refusal(tmp_path):
    rows = '<row r="2"><c r="A2"><f>1+1</f><v>2</v></c></row><row r="1"><c r="A1"><v>1</v></c></row>'
    src = tmp_path / "disorder.xlsx"
    src.write_bytes(xlsx({"S": sheet_xml(rows)}))
    _wb, result = recalc_file(src, catalog, read_only=True)
    with pytest.raises(BookError, match=r"no values copy written: xl/worksheets/sheet1.xml: row 1 is out of Excel's order"):
        copy_values(src, result, tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists() and len(list(tmp_path.iterdir())) == 1


def test_long_text_wraps_only_where_the_next_cell_would_clip_it(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws["A1"], ws["B1"] = '=REPT("x",20)', "next"      # clipped by B1: wraps
    ws["A2"] = '=REPT("y",20)'                          # B2 empty: overflows as in the source
    ws["A3"], ws["B3"] = '=REPT("z",20)', "=1+1"        # clipped by a formula's value
    ws["A4"] = '="two"&CHAR(10)&"lines"'                # a line break shows only when wrapped
    src = tmp_path / "wrap.xlsx"
    wb.save(src)
    out, _ = _copy(tmp_path, src)
    back = openpyxl.load_workbook(out)["S"]
    assert [bool(back[f"A{r}"].alignment.wrap_text) for r in (1, 2, 3, 4)] == [True, False, True, True]


def test_a_macro_enabled_copy_keeps_its_macros_byte_for_byte(tmp_path):
    # .xlsm to .xlsm keeps the VBA project; .xlsm to .xlsx drops it (tests/test_recalc_cli.py)
    src = FIXTURES / "xlcalculator" / "use_case_01.xlsm"
    out, _ = _copy(tmp_path, src, "values.xlsm")
    before, after = _parts(src), _parts(out)
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    assert after["[Content_Types].xml"].replace(b'<Override PartName="/xl/calcChain.xml" ContentType="application/'
                                                b'vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/>',
                                                b"") == before["[Content_Types].xml"].replace(
        b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.calcChain+xml"/>', b"")
    assert b"macroEnabled" in after["[Content_Types].xml"]


def test_a_values_copy_past_its_time_limit_stops_and_writes_nothing(tmp_path):
    import time
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws["A1"], ws["A2"] = 1, "=A1+1"
    src = tmp_path / "src.xlsx"
    wb.save(src)
    _wb, result = recalc_file(src, catalog, read_only=True)
    with pytest.raises(BookError, match=r"src.xlsx: values copy stopped at S!A2 after \d+ s, past its time limit of "
                                        r"5 s \(--time-limit SECONDS raises it; 0: none\); nothing written"):
        copy_values(src, result, tmp_path / "out.xlsx", time_limit=5, started=time.monotonic() - 10)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src.xlsx"]
    copy_values(src, result, tmp_path / "out.xlsx", time_limit=60)
    assert openpyxl.load_workbook(tmp_path / "out.xlsx")["S"]["A2"].value == 2


@pytest.mark.parametrize("book", sorted((ROOT / "workbooks").glob("*.xlsx")) + [
    FIXTURES / "xlcalculator" / "reader.xlsm", FIXTURES / "ironcalc" / "calc_tests__TEXT__CHAR.xlsx",
    FIXTURES / "ironcalc" / "DynamicArrays.xlsx"], ids=lambda p: p.name)
def test_the_copy_holds_what_the_recalculation_says_and_the_rest_as_it_was(tmp_path, book):
    # every formula and spilled cell reads back as the recalculation's value (what --json prints),
    # every other cell as the source holds it
    import warnings
    from addin.recalc.values import XLError as Error
    out, result = _copy(tmp_path, book, "values" + book.suffix)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        back, source = openpyxl.load_workbook(out), openpyxl.load_workbook(book)
    written = set(result.cells())
    for sheet, r, c in written:
        want, got = result.values.get((sheet, r, c)), back[sheet].cell(r, c).value
        if isinstance(want, float) and (want != want or want in (float("inf"), float("-inf"))):
            want = "#NUM!"
        elif isinstance(want, Error):
            want = str(want)
        elif want is None or isinstance(want, (dt.date, dt.time, dt.timedelta)):
            continue                      # a blank cell; a date read back through its cell's format
        elif isinstance(want, str) and any(ch < " " and ch not in "\t\n" for ch in want):
            continue                      # written _x0007_ (ST_Xstring), which openpyxl does not unescape
        if isinstance(got, (dt.datetime, dt.date, dt.time, dt.timedelta)) and isinstance(want, (int, float)):
            from openpyxl.utils.datetime import to_excel
            got = to_excel(got)            # a number in a date-formatted cell: openpyxl reads it as a date
            assert got == pytest.approx(want, abs=1e-6), (sheet, r, c)     # openpyxl keeps microseconds
            continue
        assert got == want, (sheet, r, c)
    for ws in source.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if (ws.title, cell.row, cell.column) not in written and cell.data_type != "f" and \
                        not isinstance(cell.value, openpyxl.worksheet.formula.ArrayFormula):
                    assert back[ws.title].cell(cell.row, cell.column).value == cell.value, (ws.title, cell.coordinate)
