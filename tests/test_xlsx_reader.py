"""The sheet reader (addin/recalc/xlsxscan.py) on hand-written parts: XML read as an XML parser reads it
(CDATA, references, prefixes, attributes in any order, cells without r), compared with openpyxl
cell by cell; and what it refuses in one line (issue 19): a DTD or entities, XML that is not
well-formed, a sheet listed without its part, a damaged xl/metadata.xml, areas and arrays
claiming more cells than the caps, a file that is not a regular file."""
from __future__ import annotations

import os
import warnings

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from addin.excel import catalog
from addin.recalc import recalc_file
from addin.recalc.bookio import BookError, load_book
from addin.recalc.values import XLError
from addin.recalc.xlsxscan import Refused, read_book

from .xlsx_parts import MAIN, sheet_xml, xlsx

DTD = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe "INJECTED">]>\n'


def _write(tmp_path, data: bytes, name: str = "book.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _openpyxl_cells(path) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if v is not None:
                    out[(ws.title, c.row, c.column)] = v.text if isinstance(v, ArrayFormula) else v
    return out


def _scanned_cells(path) -> dict:
    book = read_book(path)
    out = {}
    for sheet in book.sheets.values():
        out.update(sheet.values)
        out.update(sheet.formulas)
        out.update(sheet.errors)
    return out


# ----------------------------------------------------------------------------- read as XML is read

def test_cdata_text_reads_as_its_characters(tmp_path):
    # a CDATA section is text: "a<b & c" in each kind of text cell (the regular-expression scan
    # read the markup itself)
    cells = ('<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[a<b & c]]></t></is></c>'
             '<c r="B1" t="str"><f>"a&lt;b &amp; c"</f><v><![CDATA[a<b & c]]></v></c>'
             '<c r="C1" t="s"><v>0</v></c><c r="D1"><v><![CDATA[42]]></v></c></row>')
    shared = (f'<?xml version="1.0"?><sst xmlns="{MAIN}" count="1" uniqueCount="1">'
              '<si><t><![CDATA[x<y]]></t></si></sst>')
    path = _write(tmp_path, xlsx({"S": sheet_xml(cells)}, shared=shared))
    got = _scanned_cells(path)
    assert got[("S", 1, 1)] == "a<b & c"
    assert got[("S", 1, 2)] == '="a<b & c"'
    assert got[("S", 1, 3)] == "x<y"
    assert got[("S", 1, 4)] == 42
    assert got == _openpyxl_cells(path)


@pytest.mark.parametrize("cells", [
    # cells without r: each is the next column of its row, a row without r the next row (openpyxl's rule)
    '<row r="2"><c><v>1</v></c><c t="inlineStr"><is><t>x</t></is></c></row><row><c><v>3</v></c></row>',
    # attributes in any order, spaces and line breaks inside tags
    '<row r="1"><c s="0" t="n"\n r="A1" ><v>1.5</v></c><c t="b" r="B1"><v>1</v></c></row>',
    # comments and processing instructions between and inside elements
    '<row r="1"><!-- x --><c r="A1"><?pi x?><v>7</v><!-- <v>8</v> --></c></row>',
    # references: character and the five predefined entities, in text and in formulas
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&#65;&#x42;&lt;&gt;&amp;&quot;&apos;</t></is></c>'
    '<c r="B1"><f>IF(A1&lt;&gt;"",1,2)</f></c></row>',
    # rich text runs and a phonetic run (dropped)
    '<row r="1"><c r="A1" t="inlineStr"><is><r><t>ab</t></r><r><rPr><b/></rPr><t>cd</t></r>'
    '<rPh sb="0" eb="1"><t>PH</t></rPh></is></c></row>',
    # a lower-case reference, which openpyxl reads
    '<row r="1"><c r="A1"><v>1</v></c><c r="b1"><v>2</v></c></row>',
    # cell metadata on constants, which only a formula's cm (a dynamic array) and an error's vm
    # (a rich value) mean anything for: read as openpyxl reads them, whatever they hold
    '<row r="1"><c r="A1" cm="x" vm="y"><v>1</v></c><c r="B1" t="str" cm="-"><v>x</v></c></row>',
])
def test_cells_written_any_way_read_as_openpyxl_reads_them(tmp_path, cells):
    path = _write(tmp_path, xlsx({"S": sheet_xml(cells)}))
    got = _scanned_cells(path)
    assert got and got == _openpyxl_cells(path)


def test_namespace_prefixes_read_as_the_namespace_says(tmp_path):
    # the main namespace under a prefix on the root, then declared again below the root under
    # another prefix: the same cells as openpyxl reads (expat resolves the names)
    rooted = (f'<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="1"><x:c r="A1">'
              '<x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>')
    below = (f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData xmlns:y="{MAIN}"><y:row r="1">'
             '<y:c r="A1"><y:v>2</y:v></y:c><c r="B1" xmlns="urn:other"><v>3</v></c></y:row></sheetData>'
             '</worksheet>')
    path = _write(tmp_path, xlsx({"A": rooted, "B": below}))
    got = _scanned_cells(path)
    assert got == {("A", 1, 1): 1, ("B", 1, 1): 2}      # B1 is in another namespace: no cell
    assert got == _openpyxl_cells(path)


# ----------------------------------------------------------------------------- refused

@pytest.mark.parametrize("where", ["sheet", "shared", "workbook"])
def test_a_dtd_or_entity_is_refused_everywhere(tmp_path, where):
    # as defusedxml refuses it: the entity's text never becomes a cell's text, in any part,
    # whether the book is only read (recalc, check) or also saved (recalc -o)
    xxe = {w: "&xxe;" if w == where else "x" for w in ("sheet", "shared", "workbook")}
    head = {w: DTD if w == where else '<?xml version="1.0"?>\n' for w in xxe}
    cells = f'<row r="1"><c r="A1" t="inlineStr"><is><t>{xxe["sheet"]}</t></is></c><c r="B1" t="s"><v>0</v></c></row>'
    shared = f'{head["shared"]}<sst xmlns="{MAIN}"><si><t>{xxe["shared"]}</t></si></sst>'
    data = xlsx({"S": sheet_xml(cells, head=head["sheet"])}, shared=shared, workbook_head=head["workbook"],
                names=f'<definedNames><definedName name="N">"{xxe["workbook"]}"</definedName></definedNames>')
    path = _write(tmp_path, data)
    with pytest.raises(Refused, match="DTD"):
        read_book(path)
    for read_only in (True, False):
        with pytest.raises(BookError, match=r"declares a DTD or entities"):
            load_book(path, read_only=read_only)


def test_an_undeclared_entity_is_refused(tmp_path):
    path = _write(tmp_path, xlsx({"S": sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>')}))
    with pytest.raises(BookError, match=r"sheet1.xml is not well-formed XML \(line 2, column \d+: undefined entity"):
        load_book(path, read_only=True)


@pytest.mark.parametrize("part, body", [
    ("sheet", '<row r="1">' + '<c r="A1"><v>1</v>' * 200_000 + "</row>"),
    ("shared", "<si><t>x</t>" * 200_000),
])
def test_unclosed_tags_are_refused_after_one_pass(tmp_path, part, body):
    # 200,000 unclosed <c> or <si> tags: one linear pass, then "not well-formed" naming the place
    if part == "sheet":
        data = xlsx({"S": sheet_xml(body)})
    else:
        data = xlsx({"S": sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')},
                    shared=f'<?xml version="1.0"?><sst xmlns="{MAIN}">{body}</sst>')
    path = _write(tmp_path, data)
    with pytest.raises(BookError, match=r"is not well-formed XML \(line \d+, column \d+: mismatched tag\)"):
        load_book(path, read_only=True)


def test_a_sheet_listed_without_its_part_is_refused(tmp_path):
    # before: {} and exit 0 (the sheet silently absent)
    path = _write(tmp_path, xlsx({"S": sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'),
                                  "Gone": sheet_xml("")}, drop=("xl/worksheets/sheet2.xml",)))
    for read_only in (True, False):
        with pytest.raises(BookError, match=r"sheet 'Gone' is listed in xl/workbook.xml but its part "
                                            r"xl/worksheets/sheet2.xml is missing"):
            load_book(path, read_only=read_only)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_without_blocking(tmp_path):
    # before: recalc and check waited forever for a writer
    fifo = tmp_path / "book.xlsx"
    os.mkfifo(fifo)
    with pytest.raises(BookError, match="not a regular file"):
        load_book(fifo, read_only=True)


@pytest.mark.parametrize("metadata, reason", [
    ('<metadata xmlns="{MAIN}"><metadataTypes count="1"><metadataType name="XLDAPR"/>', "not well-formed"),
    ('<metadata xmlns="{MAIN}"><cellMetadata count="1"><bk><rc t="one" v="0"/></bk></cellMetadata></metadata>',
     "'one' is not a whole number"),
    ('<metadata xmlns="{MAIN}"><cellMetadata count="1"><bk><rc/></bk></cellMetadata></metadata>',
     "without its t and v"),
])
def test_a_damaged_metadata_part_is_a_clear_refusal(tmp_path, metadata, reason):
    cells = '<row r="1"><c r="A1" cm="1"><f t="array" ref="A1">1+1</f><v>2</v></c></row>'
    path = _write(tmp_path, xlsx({"S": sheet_xml(cells)}, metadata=metadata.replace("{MAIN}", MAIN)))
    with pytest.raises(BookError, match=r"xl/metadata.xml.*" + reason):
        load_book(path, read_only=True)


# ----------------------------------------------------------------------------- what Excel keeps

def test_a_formula_in_a_merged_areas_hidden_cell_is_read_and_computed(tmp_path):
    # Excel keeps the formula of a hidden cell in a merge (here C2 in A2:C2) and computes it, and
    # every cell that reads it (D2); openpyxl's MergedCell dropped it (read as blank: D2 = 0).
    # By hand: C2 = B1 + 7 = 12, D2 = C2 * 2 = 24.
    cells = ('<row r="1"><c r="B1"><v>5</v></c></row>'
             '<row r="2"><c r="A2"><v>1</v></c><c r="C2"><f>B1+7</f><v>12</v></c><c r="D2"><f>C2*2</f><v>24</v></c></row>')
    path = _write(tmp_path, xlsx({"S": sheet_xml(cells, after='<mergeCells count="1"><mergeCell ref="A2:C2"/>'
                                                              "</mergeCells>")}))
    sheet = read_book(path).sheets["S"]
    assert sheet.formulas[("S", 2, 3)] == "=B1+7" and sheet.merged == ["A2:C2"]
    for read_only in (True, False):     # recalc and recalc -o read the same cells
        _wb, result = recalc_file(path, catalog, read_only=read_only)
        assert (result.values[("S", 2, 3)], result.values[("S", 2, 4)]) == (12, 24)


def test_a_data_table_is_reported_unsupported(tmp_path):
    # a What-If data table: B2:B3 computed by Excel from the formula in B1 with A2:A3 put into
    # the input cell D1. The reader shows it as Excel does, {=TABLE(,D1)}, over its range; the
    # recalculation reports it unsupported (never its cached values passed off as computed).
    cells = ('<row r="1"><c r="B1"><f>D1*2</f><v>0</v></c><c r="D1"><v>0</v></c></row>'
             '<row r="2"><c r="A2"><v>1</v></c><c r="B2"><f t="dataTable" ref="B2:B3" dt2D="0" dtr="0" r1="D1"/>'
             '<v>2</v></c></row><row r="3"><c r="A3"><v>2</v></c><c r="B3"><v>4</v></c></row>')
    path = _write(tmp_path, xlsx({"S": sheet_xml(cells)}))
    sheet = read_book(path).sheets["S"]
    assert sheet.formulas[("S", 2, 2)] == "=TABLE(,D1)"
    assert sheet.data_tables == {("S", 2, 2): "B2:B3"} and sheet.arrays[("S", 2, 2)] == "B2:B3"
    _wb, result = recalc_file(path, catalog, read_only=True)
    assert ("S", 2, 2) in result.unsupported and isinstance(result.values[("S", 2, 2)], XLError)
    assert result.values[("S", 1, 2)] == 0          # the table's own formula cell still computes


# ----------------------------------------------------------------------------- runaways, within the caps

@pytest.mark.parametrize("merge", ["C1:XFD1048576", "C2:Z1000000"])
def test_a_huge_merged_area_is_one_line_refusal(tmp_path, merge):
    # before: a loop over every cell of the area (17 billion for C1:XFD1048576)
    path = _write(tmp_path, xlsx({"S": sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>',
                                                 after=f'<mergeCells count="1"><mergeCell ref="{merge}"/></mergeCells>')}))
    for read_only in (True, False):
        with pytest.raises(BookError, match=r"merged areas included\), over the cap of 5,000,000"):
            load_book(path, read_only=read_only)


def test_array_formulas_claiming_millions_of_cells_are_refused(tmp_path):
    # three legacy array formulas of 4.9 million cells each in a tiny file (before: 5.6 GB)
    cells = "".join(f'<row r="{r}"><c r="A{r}"><f t="array" ref="A{r}:E{r + 979_999}">1</f><v>1</v></c></row>'
                    for r in (1, 2, 3))
    path = _write(tmp_path, xlsx({"S": sheet_xml(cells)}))
    assert os.path.getsize(path) < 2_000
    with pytest.raises(BookError, match=r"its array formulas claim 14,700,000 cells .*over the cap of 5,000,000"):
        load_book(path, read_only=True)


# ----------------------------------------------------------------------------- hostile XML, against openpyxl

from hypothesis import event, given, settings, strategies as st  # noqa: E402

_XML_CHAR = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff")
_TEXT = st.lists(_XML_CHAR | st.sampled_from(list("<>&'\"\t\n\r ]")) | st.just("]]>"), max_size=12).map("".join)
_STYLES = (f'<?xml version="1.0"?><styleSheet xmlns="{MAIN}"><cellXfs count="3"><xf numFmtId="0"/>'
           '<xf numFmtId="14"/><xf numFmtId="46"/></cellXfs></styleSheet>')     # General, a date, a duration


@st.composite
def _encoded(draw, text: str) -> str:
    """``text`` as XML character data, each piece written one of the ways XML allows."""
    out, i = [], 0
    while i < len(text):
        n = draw(st.integers(1, len(text) - i))
        piece, i = text[i:i + n], i + n
        way = draw(st.sampled_from(["escape", "cdata", "refs"]))
        if way == "cdata" and "\r" not in piece:      # a raw CR in CDATA is a line end, as anywhere
            out.append("<![CDATA[" + piece.replace("]]>", "]]]]><![CDATA[>") + "]]>")
        elif way == "refs":
            out.append("".join(draw(st.sampled_from([f"&#{ord(ch)};", f"&#x{ord(ch):X};"])) for ch in piece))
        else:
            out.append(piece.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;"))
    return "".join(out)


@st.composite
def _cell(draw, p: str, strings: int) -> str:
    kind = draw(st.sampled_from(["int", "float", "date", "inline", "str", "bool", "error", "formula", "shared"]))
    attrs: dict[str, str] = {}
    if kind in ("int", "float", "date"):
        v = str(draw(st.integers(0, 2_000_000))) if kind != "float" else repr(draw(st.floats(-1e12, 1e12)))
        body = f"<{p}v>{draw(_encoded(v))}</{p}v>"
        if kind == "date":
            attrs["s"] = draw(st.sampled_from(["1", "2"]))
    elif kind == "inline":
        attrs["t"] = "inlineStr"
        body = f"<{p}is><{p}t>{draw(_encoded(draw(_TEXT)))}</{p}t></{p}is>"
    elif kind == "str":
        attrs["t"] = "str"
        body = f"<{p}f>\"x\"</{p}f><{p}v>{draw(_encoded(draw(_TEXT)))}</{p}v>"
    elif kind == "bool":
        attrs["t"] = "b"
        body = f"<{p}v>{draw(st.sampled_from(['0', '1']))}</{p}v>"
    elif kind == "error":
        attrs["t"] = "e"
        body = f"<{p}v>{draw(st.sampled_from(['#N/A', '#DIV/0!', '#VALUE!']))}</{p}v>"
    elif kind == "formula":
        formula = 'IF(A1<>"&",1,' + draw(_TEXT).replace("\r", "") + ")"
        body = f"<{p}f>{draw(_encoded(formula))}</{p}f>"
    else:
        attrs["t"] = "s"
        body = f"<{p}v>{draw(st.integers(0, strings - 1))}</{p}v>"
    col, row = draw(st.integers(1, 40)), draw(st.integers(1, 30))
    if draw(st.booleans()):
        attrs["r"] = f"{chr(64 + col) if col <= 26 else 'A' + chr(64 + col - 26)}{row}"
    pairs = draw(st.permutations(list(attrs.items())))
    gap = draw(st.sampled_from(["", " ", "\n  "]))
    noise = draw(st.sampled_from(["", "<!-- <v>9</v> -->", "<?pi <v>9</v>?>", "\n"]))
    return f"<{p}c" + "".join(f'{gap} {k}="{v}"' for k, v in pairs) + f">{noise}{body}{noise}</{p}c>"


@st.composite
def _hostile_book(draw) -> tuple[bytes, bool]:
    """A workbook whose sheet is written in any way XML allows; and whether it was broken on purpose
    (truncated, or given a DTD with an entity), which both readers must refuse."""
    strings = [draw(_TEXT) for _ in range(draw(st.integers(1, 4)))]
    mode = draw(st.sampled_from(["default", "root-prefix", "below-root"]))
    p = {"default": "", "root-prefix": "x:", "below-root": "y:"}[mode]
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        row_attr = f' r="{draw(st.integers(1, 30))}"' if draw(st.booleans()) else ""
        cells = draw(st.lists(_cell(p, len(strings)), max_size=6))
        rows.append(f"<{p}row{row_attr}>" + "".join(cells) + f"</{p}row>")
    data = "".join(rows)
    if mode == "default":
        sheet = f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>{data}</sheetData></worksheet>'
    elif mode == "root-prefix":
        sheet = f'<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN}"><x:sheetData>{data}</x:sheetData></x:worksheet>'
    else:
        sheet = (f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData xmlns:y="{MAIN}">{data}</sheetData>'
                 "</worksheet>")
    broken = draw(st.sampled_from(["no", "no", "no", "truncated", "dtd"]))
    if broken == "truncated":
        sheet = sheet[:draw(st.integers(0, len(sheet) - 1))]
    elif broken == "dtd":
        sheet = sheet.replace('<?xml version="1.0"?>', '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e "ZZ">]>', 1)
        sheet = sheet.replace("</sheetData>", f'<{p}row r="99"><{p}c r="A99" t="inlineStr"><{p}is><{p}t>&e;</{p}t>'
                              f"</{p}is></{p}c></{p}row></sheetData>", 1)
    shared = (f'<?xml version="1.0"?><sst xmlns="{MAIN}">'
              + "".join(f"<si><t>{draw(_encoded(s))}</t></si>" for s in strings) + "</sst>")
    return xlsx({"S": sheet}, shared=shared, styles=_STYLES), broken != "no", sheet, shared    # parts shown if it fails


def _typed(cells: dict) -> dict:
    return {k: (type(v).__name__, v) for k, v in cells.items()}


@settings(max_examples=150)
@given(_hostile_book())
def test_hostile_xml_reads_as_openpyxl_reads_it_cell_by_cell(tmp_path_factory, case):
    data, broken, _sheet, _shared = case
    path = tmp_path_factory.mktemp("hostile") / "book.xlsx"
    path.write_bytes(data)
    try:
        want = _typed(_openpyxl_cells(path))
    except Exception:  # noqa: BLE001 - openpyxl refuses the file (whatever it raises): so must the scan
        want = None
    event("refused" if want is None or broken else "cells read" if want else "no cells")
    if want is None or broken:
        assert broken or want is not None
        with pytest.raises(Refused):
            read_book(path)
        return
    assert _typed(_scanned_cells(path)) == want
