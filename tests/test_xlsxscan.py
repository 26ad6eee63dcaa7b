"""addin.recalc.xlsxscan reads what openpyxl reads: every cell's value (and its type), formula, array
range and number format, the defined names, date1904 and calcPr, on the sample workbooks and
on Excel-saved books (xlcalculator's fixtures, shared and array formulas among them)."""
from __future__ import annotations

import functools
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import openpyxl.styles.numbers
import pytest
from hypothesis import given, strategies as st
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from openpyxl.worksheet.formula import ArrayFormula

from addin.recalc.xlsxscan import Refused, Unsupported, read_book

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "xlcalculator"    # Excel-saved books of xlcalculator (MIT, LICENSE there)
BOOKS = sorted((ROOT / "workbooks").glob("*.xlsx")) + sorted(FIXTURES.glob("*.xls[xm]"))
IRONCALC = sorted((ROOT / "tests" / "fixtures" / "ironcalc").glob("*.xls[xm]"))    # Excel-saved (MIT/Apache-2.0)
CATALOG_CALL = re.compile(r"\b(?:WARRANT_[A-Z]+|OPTION_REALLOCATE)\(")


@functools.lru_cache(maxsize=None)
def _openpyxl(path: Path):
    return openpyxl.load_workbook(path)      # loaded once per book for the tests below (read only)


def _openpyxl_view(path: Path) -> dict:
    """What openpyxl gives, cell by cell, in the shape of the scan's fields."""
    wb = _openpyxl(path)
    view = {"sheetnames": wb.sheetnames, "date1904": wb.epoch == CALENDAR_MAC_1904,
            "names": {n: d.attr_text for n, d in wb.defined_names.items()}, "sheets": {}}
    for ws in wb.worksheets:
        sheet = {"max": (ws.max_row, ws.max_column),          # (1, 1) for an empty sheet
                 "names": {n: d.attr_text for n, d in ws.defined_names.items()},
                 "values": {}, "formulas": {}, "arrays": {}, "errors": {}, "formats": {}}
        for row in ws.iter_rows():
            for cell in row:
                key, v = (cell.row, cell.column), cell.value
                if cell.number_format != "General":
                    sheet["formats"][key] = cell.number_format
                if v is None:
                    continue
                if isinstance(v, ArrayFormula):
                    sheet["formulas"][key] = v.text
                    sheet["arrays"][key] = v.ref
                elif cell.data_type == "f":
                    sheet["formulas"][key] = v
                elif cell.data_type == "e":
                    sheet["errors"][key] = v
                else:
                    sheet["values"][key] = (type(v).__name__, v)
        view["sheets"][ws.title] = sheet
    view["calc"] = wb.calculation
    return view


def _cells(d: dict, hidden: frozenset = frozenset()) -> dict:
    """A scan's dict keyed (row, column), as the openpyxl view is (the scan keys (title, row, column)),
    without ``hidden`` (row, column) cells."""
    return {k[1:]: v for k, v in d.items() if k[1:] not in hidden}


def _hidden(sheet) -> frozenset:
    """The hidden cells of a sheet's merged areas: the scan keeps what they hold (Excel keeps and
    computes it), openpyxl's MergedCell drops it (tests/test_xlsx_reader.py tests them)."""
    from openpyxl.utils.cell import range_boundaries
    out = set()
    for ref in sheet.merged:
        c1, r1, c2, r2 = range_boundaries(ref)
        out.update((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1) if (r, c) != (r1, c1))
    return frozenset(out)


@pytest.mark.parametrize("path", BOOKS + IRONCALC, ids=lambda p: p.name)
def test_same_as_openpyxl(path):
    expected = _openpyxl_view(path)
    if any(info.filename.startswith("xl/chartsheets/") for info in zipfile.ZipFile(path).infolist()):
        with pytest.raises(Unsupported, match="is a chartsheet"):   # openpyxl reads those books
            read_book(path)
        return
    book = read_book(path)
    assert book.sheetnames == expected["sheetnames"]
    assert book.date1904 == expected["date1904"]
    assert book.names == expected["names"]
    for title, want in expected["sheets"].items():
        got = book.sheets[title]
        assert all(k[0] == title for d in (got.values, got.formulas, got.arrays, got.errors, got.styles) for k in d)
        hidden = _hidden(got)
        assert {k[1:]: (type(v).__name__, v) for k, v in got.values.items() if k[1:] not in hidden} == \
            want["values"], title
        assert _cells(got.formulas, hidden) == want["formulas"], title
        assert _cells(got.arrays, hidden) == want["arrays"], title
        assert _cells(got.errors, hidden) == want["errors"], title
        assert got.names == want["names"], title
        assert (max(got.max_row, 1), max(got.max_col, 1)) == want["max"], title
        formats = {k: book.number_format(title, *k) for k in set(_cells(got.styles)) | set(want["formats"])}
        assert {k: f for k, f in formats.items() if f != "General"} == want["formats"], title
    calc = expected["calc"]
    if "iterate" in book.calc:
        assert (book.calc["iterate"] in ("1", "true")) == calc.iterate
    if "iterateCount" in book.calc:
        assert int(book.calc["iterateCount"]) == calc.iterateCount
    if "iterateDelta" in book.calc:
        assert float(book.calc["iterateDelta"]) == calc.iterateDelta


@pytest.mark.parametrize("path", sorted((ROOT / "workbooks").glob("*.xlsx")), ids=lambda p: p.name)
def test_catalog_calls_are_dynamic_arrays(path):
    # workbooks/build.py writes every catalog call with write_dynamic_array_formula (cm="1" ->
    # metadata.xml XLDAPR fDynamic="1"); a dynamic array is always an array formula
    book = read_book(path)
    seen = 0
    for title, sheet in book.sheets.items():
        calls = {k for k, f in sheet.formulas.items() if CATALOG_CALL.search(f)}
        assert calls <= sheet.dynamic <= set(sheet.arrays), title
        seen += len(calls)
    assert seen        # every sample book calls the catalog


def test_shared_formulas_translated():
    # BASES.xlsx (Excel-saved) writes most formulas as t="shared"; openpyxl's Translator moves
    # each to its cell, so no two cells of a shared group may hold the same text with relative refs.
    path = FIXTURES / "BASES.xlsx"
    raw = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert raw.count('t="shared"') > 100
    book = read_book(path)
    assert len(book.sheets[book.sheetnames[0]].formulas) >= raw.count('t="shared"')


def _rewrite(path: Path, part: str, fn) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, fn(data.decode()).encode() if item.filename == part else data)
    out.seek(0)
    return out


@pytest.mark.parametrize("change", [
    lambda s: s.replace('<c r="A1"', '<c', 1),                            # a cell without r
    lambda s: s.replace("<c r=", "<c foo=\"1\" r=", 1),                  # r not first
])
def test_parts_the_old_scan_refused_read_as_openpyxl_reads_them(tmp_path, change):
    path = tmp_path / "changed.xlsx"
    path.write_bytes(_rewrite(FIXTURES / "SUM.xlsx", "xl/worksheets/sheet1.xml", change).getvalue())
    book = read_book(path)
    want = _openpyxl_view(path)["sheets"]["Sheet1"]
    got = book.sheets["Sheet1"]
    assert {k[1:]: (type(v).__name__, v) for k, v in got.values.items()} == want["values"]
    assert _cells(got.formulas) == want["formulas"]


def test_an_undeclared_prefix_is_refused(tmp_path):
    path = tmp_path / "changed.xlsx"
    path.write_bytes(_rewrite(FIXTURES / "SUM.xlsx", "xl/worksheets/sheet1.xml", lambda s: s.replace(
        "<sheetData", "<x:sheetData", 1).replace("</sheetData", "</x:sheetData")).getvalue())
    with pytest.raises(Refused, match="unbound prefix"):
        read_book(path)


def test_values_typed_as_openpyxl_types_them(tmp_path):
    # one cell of each kind, written by XlsxWriter; the expected values are the literals written
    import datetime as dt

    import xlsxwriter
    path = tmp_path / "kinds.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    ws.write_number("A1", 42)                                   # <v>42</v> -> int
    ws.write_number("A2", 0.1)                                  # -> float
    ws.write_string("A3", "a & b <c>\nd")                       # escaped, newline kept
    ws.write_boolean("A4", True)
    ws.write_datetime("A5", dt.datetime(2002, 6, 3, 12, 30), wb.add_format({"num_format": "yyyy-mm-dd hh:mm"}))
    ws.write_formula("A6", '=IF(A1>1,"x&y",NA())')
    ws.write_array_formula("B1:B2", "{=A1:A2*2}")
    ws.write_blank("C9", None, wb.add_format({"bold": True}))   # a styled blank widens the extent
    wb.define_name("S!Local", "=S!$A$1")
    wb.close()
    book = read_book(path)
    s = book.sheets["S"]
    assert s.values[("S", 1, 1)] == 42 and type(s.values[("S", 1, 1)]) is int
    assert s.values[("S", 2, 1)] == 0.1
    assert s.values[("S", 3, 1)] == "a & b <c>\nd"
    assert s.values[("S", 4, 1)] is True
    assert s.values[("S", 5, 1)] == dt.datetime(2002, 6, 3, 12, 30)
    assert s.formulas[("S", 6, 1)] == '=IF(A1>1,"x&y",NA())'
    assert s.formulas[("S", 1, 2)] == "=A1:A2*2" and s.arrays[("S", 1, 2)] == "B1:B2"
    assert (s.max_row, s.max_col) == (9, 3)
    assert s.names == {"Local": "S!$A$1"}
    assert book.number_format("S", 5, 1) == "yyyy-mm-dd hh:mm"


@pytest.mark.parametrize("path", BOOKS, ids=lambda p: p.name)
def test_workbook_api_reads_as_openpyxl(path):
    # the command reads a book through sheetnames, wb[title], ws.cell(), iter_rows(), max_row,
    # defined_names, epoch and calculation: each answer as openpyxl's
    from addin.recalc.xlsxscan import open_book
    want = _openpyxl(path)
    got = open_book(path)
    assert got.sheetnames == want.sheetnames and got.epoch == want.epoch
    assert {n: d.attr_text for n, d in got.defined_names.items()} == {n: d.attr_text for n, d in want.defined_names.items()}
    for attr in ("iterate", "iterateCount", "iterateDelta"):
        assert getattr(got.calculation, attr) == getattr(want.calculation, attr), attr
    for title in want.sheetnames:
        w, g = want[title], got[title]
        assert (g.max_row, g.max_column) == (w.max_row, w.max_column), title
        for wrow, grow in zip(w.iter_rows(), g.iter_rows(), strict=True):
            for wc, gc in zip(wrow, grow, strict=True):
                assert (gc.row, gc.column, gc.data_type, gc.number_format) == \
                       (wc.row, wc.column, wc.data_type, wc.number_format), (title, wc.coordinate)
                if isinstance(wc.value, ArrayFormula):
                    assert (gc.value.text, gc.value.ref) == (wc.value.text, wc.value.ref), (title, wc.coordinate)
                else:
                    assert gc.value == wc.value and type(gc.value) is type(wc.value), (title, wc.coordinate)


@pytest.mark.parametrize("path", BOOKS, ids=lambda p: p.name)
def test_recalculation_reads_the_same_cells_and_answers_the_same(path):
    # bookio.read_cells of the scanned book equals read_cells of openpyxl's, field by field,
    # and the recalculation's JSON is the same either way
    from addin.excel import catalog
    from addin.recalc import recalc_workbook
    from addin.recalc.bookio import load_book, read_cells
    from addin.recalc.values import ERRORS
    from addin.recalc.xlsxscan import ScanWorkbook
    scanned, loaded = load_book(path, read_only=True), load_book(path)
    assert isinstance(scanned, ScanWorkbook)
    got, want = read_cells(scanned, ERRORS), read_cells(loaded, ERRORS)
    for attr in ("formulas", "array_ref", "dynamic", "constants", "extent", "names", "iterate"):
        assert getattr(got, attr) == getattr(want, attr), attr
    assert recalc_workbook(scanned, catalog).as_json() == recalc_workbook(loaded, catalog).as_json()


@pytest.mark.parametrize("path", BOOKS, ids=lambda p: p.name)
def test_read_cells_without_constants_reads_the_same_formulas(path):
    # read_cells(constants=False) (the cut-table check's read) is the whole read less its constants,
    # for the scanned book and openpyxl's alike
    from addin.recalc.bookio import load_book, read_cells
    from addin.recalc.values import ERRORS
    for wb in (load_book(path, read_only=True), load_book(path)):
        whole, formulas_only = read_cells(wb, ERRORS), read_cells(wb, ERRORS, constants=False)
        assert formulas_only.constants == {}
        for attr in ("formulas", "array_ref", "dynamic", "extent", "names", "iterate", "data_tables"):
            assert getattr(formulas_only, attr) == getattr(whole, attr), attr


def test_character_references_resolved_as_xml_does(tmp_path):
    # &#x80; is U+0080 in XML (HTML would read it as the euro sign); &amp; is &
    book = tmp_path / "refs.xlsx"
    book.write_bytes(_rewrite(FIXTURES / "SUM.xlsx", "xl/worksheets/sheet1.xml", lambda s: s.replace(
        '<c r="A1"><v>1</v></c>', '<c r="A1" t="inlineStr"><is><t>x&#x80;&amp;y&#65;</t></is></c>', 1)).getvalue())
    got = read_book(book).sheets["Sheet1"].values[("Sheet1", 1, 1)]
    assert got == "x\x80&yA" == openpyxl.load_workbook(book)["Sheet1"]["A1"].value


# ----------------------------------------------------------------------------- number formats, without openpyxl.styles

FORMAT_CODES = [
    "General", "0.00", "yyyy-mm-dd", "dd/mm/yyyy h:mm", "[h]:mm:ss", "[mm]:ss", "[ss].000", "mm:ss",
    '"Date: "0', '0.00" days"', "[Red]0.00", "[$-409]mmmm d, yyyy", "[$EUR ]#,##0.00_-", r"\d0", "_d0",
    "0;[Red]dd-mm", "[hh]:mm;@", "#,##0.00_);(#,##0.00)", "@", "", "h", "[h]", "[H]:MM", "0.0E+0", "yy", 'mm"x"',
] + list(openpyxl.styles.numbers.BUILTIN_FORMATS.values())


def test_number_format_tests_equal_openpyxls():
    # the copies in addin.recalc.xlsxscan (so that a scan does not import openpyxl.styles) against openpyxl's own
    from openpyxl.styles import numbers

    from addin.recalc.xlsxscan import BUILTIN_FORMATS, is_date_format, is_timedelta_format
    assert BUILTIN_FORMATS == numbers.BUILTIN_FORMATS
    for code in FORMAT_CODES + [None]:
        assert is_date_format(code) == numbers.is_date_format(code), code
        assert is_timedelta_format(code) == numbers.is_timedelta_format(code), code


@given(st.text(alphabet='dmhysDMHYS0#.,;:[]"\\_ $-@EeAPap/x', max_size=14))
def test_number_format_tests_equal_openpyxls_on_any_code(code):
    from openpyxl.styles import numbers

    from addin.recalc.xlsxscan import is_date_format, is_timedelta_format
    assert is_date_format(code) == numbers.is_date_format(code)
    assert is_timedelta_format(code) == numbers.is_timedelta_format(code)


def test_a_column_past_the_grid_is_refused_whatever_was_read_before(tmp_path):
    # XFE is column 16,385, one past Excel's last (XFD): refused in the row's own form too, after
    # a book that named it in another form
    from tests.xlsx_parts import sheet_xml, xlsx
    for i, cells in enumerate(('<row r="1"><c r="XFE1"><v>1</v></c></row>',
                               '<row r="2"><c r="XFE2"><v>1</v></c></row>',
                               '<row r="3"><c r="xfe3"><v>1</v></c></row>')):
        path = tmp_path / f"past{i}.xlsx"
        path.write_bytes(xlsx({"S": sheet_xml(cells)}))
        with pytest.raises(Refused, match="is not a cell of Excel's grid"):
            read_book(path)
