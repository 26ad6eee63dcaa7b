"""The fast reading of <sheetData> (addin/recalc/xlsxscan.py, ``read_book(path, fast=True)``) gives
exactly what expat alone gives (``fast=False``): every field of every sheet, value types and dict
order included, and the same refusal word for word. Compared on every workbook at hand (the
Excel-saved fixtures, the sample books, the bench's register books) and on hypothesis-written
sheets holding what XML allows and a fast reader could get wrong; each test also counts what the
fast reading took itself (through ``xlsxscan._fast_read``), so that none passes by falling back."""
from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import event, given, settings, strategies as st

from addin.recalc import xlsxscan
from addin.recalc.xlsxscan import ScanSheet, read_book

from .xlsx_parts import MAIN, REL, sheet_xml, xlsx

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path("/work/shared/excel-fixtures")     # the same books as tests/fixtures, where this machine has them


def _books() -> list[Path]:
    found: dict[str, Path] = {}
    folders = [ROOT / "tests" / "fixtures", ROOT / "workbooks", SHARED]
    for folder in folders:
        for path in sorted(folder.rglob("*.xls[xm]")) if folder.is_dir() else ():
            found.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), path)
    return sorted(found.values())


BOOKS = _books()


def _canon(book) -> dict:
    """Every field of the book and its sheets, with each value's type and each dict's order."""
    out: dict = {"book": (book.sheetnames, list(book.names.items()), book.date1904, list(book.calc.items()),
                          book.formats)}
    for title, sheet in book.sheets.items():
        for name in ScanSheet.__slots__:
            v = getattr(sheet, name)
            if isinstance(v, dict):
                v = [(k, type(x).__name__, repr(x)) for k, x in v.items()]
            elif isinstance(v, set):
                v = sorted(v)
            out[(title, name)] = v
    return out


def _read(path, fast: bool):
    try:
        return "read", _canon(read_book(path, fast=fast))
    except Exception as exc:  # noqa: BLE001 - a refusal (or anything) must be the same both ways
        return type(exc).__name__, str(exc)


@pytest.fixture
def taken(monkeypatch) -> list[tuple]:
    """What the fast reading took, one entry per sheet it kept: (title, fast cells, odd cells, whole)."""
    seen: list[tuple] = []
    monkeypatch.setattr(xlsxscan, "_fast_read", lambda *a: seen.append(a))
    return seen


def _sheets_for_the_fast_reading(path: Path) -> int:
    """The worksheet parts of ``path`` with cells in a <sheetData>, less those declaring a
    namespace below their root element (read with expat's namespace processing, never fast)."""
    n = 0
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                data = zf.read(name)
                root = data[data.index(b"<", data.index(b"?>") + 2 if data.startswith(b"<?") else 0):]
                root = root[:root.index(b">")]
                n += b"<sheetData>" in data and data.count(b"xmlns") == root.count(b"xmlns")
    return n


def test_every_workbook_reads_the_same_both_ways(taken, monkeypatch):
    assert len(BOOKS) >= 260, "the Excel-saved fixtures and the sample books"
    items: list[int] = []
    monkeypatch.setattr(xlsxscan, "_fast_strings", items.append)
    sheets = cells = odd = parts = 0
    for path in BOOKS:
        with zipfile.ZipFile(path) as zf:
            parts += "xl/sharedStrings.xml" in zf.namelist()
        fast = _read(path, True)
        assert fast == _read(path, False), path.name
        if fast[0] == "read":
            # every sheet with cells was the fast reading's (but for a namespace declared below the root)
            kept = [t for t in taken if not t[3]]
            assert len(kept) == _sheets_for_the_fast_reading(path), (path.name, taken)
            sheets += len(kept)
            cells += sum(t[1] for t in kept)
            odd += sum(t[2] for t in kept)
        taken.clear()
    assert sheets >= 400 and cells >= 200_000 and odd < cells / 100, (sheets, cells, odd)
    # most shared-strings parts hold plain items only (Excel writes rich text and phonetic runs in a few)
    assert len(items) >= parts * 3 // 4 and sum(items) >= 10_000, (len(items), parts, sum(items))


_MAKE = """
import sys
sys.path.insert(0, "bench")
from bench_workbook import REGISTER_LEDGER, make_book
from workloads import SIX_YEARS, ledger_rows
for shape in ("one", "spread", "before"):
    make_book(__import__("pathlib").Path(sys.argv[1]) / f"register_{shape}.xlsx", 1000,
              REGISTER_LEDGER if shape == "one" else ledger_rows(span_days=SIX_YEARS), shape)
"""


def test_the_bench_register_books_read_the_same_and_all_fast(tmp_path, taken, monkeypatch):
    subprocess.run([sys.executable, "-c", _MAKE, str(tmp_path)], cwd=ROOT, check=True)
    for shape, span in (("one", 1 << 20), ("spread", 1 << 20), ("before", 5000)):
        monkeypatch.setattr(xlsxscan, "_SPAN", span)      # 5,000: the register split some 60 times
        path = tmp_path / f"register_{shape}.xlsx"
        assert _read(path, True) == _read(path, False)
        # Register 1,001 x 9 cells, Results 1,001 x 4 (its array formula among them), Events: all fast
        by_title = {t[0]: t[1:] for t in taken}
        assert by_title["Register"] == (9009, 0, False) and by_title["Results"] == (4004, 0, False), by_title
        assert by_title["Events"][1:] == (0, False)
        taken.clear()


# ----------------------------------------------------------------------------- hand-written sheets

_STYLES = (f'<?xml version="1.0"?><styleSheet xmlns="{MAIN}"><cellXfs count="3"><xf numFmtId="0"/>'
           '<xf numFmtId="14"/><xf numFmtId="46"/></cellXfs></styleSheet>')     # General, a date, a duration
_SHARED = f'<?xml version="1.0"?><sst xmlns="{MAIN}"><si><t>a</t></si><si><t>b &amp; c</t></si></sst>'
_METADATA = (f'<?xml version="1.0"?><metadata xmlns="{MAIN}" xmlns:xda="http://schemas.microsoft.com/office/'
             'spreadsheetml/2017/dynamicarray"><metadataTypes count="1"><metadataType name="XLDAPR"/>'
             '</metadataTypes><futureMetadata name="XLDAPR" count="1"><bk><extLst><ext><xda:dynamicArrayProperties'
             ' fDynamic="1" fCollapsed="0"/></ext></extLst></bk></futureMetadata><cellMetadata count="1"><bk>'
             '<rc t="1" v="0"/></bk></cellMetadata></metadata>')


def _book(tmp_path, sheet: str | bytes, name: str = "book.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(xlsx({"S": sheet}, shared=_SHARED, styles=_STYLES, metadata=_METADATA))
    return path


@pytest.mark.parametrize("cells, expect", [
    # (sheetData's content, (fast cells, odd cells, whole sheetData handed to expat))
    ('<row r="1" spans="1:3"><c r="A1" t="s"><v>1</v></c><c r="B1"><v>2.5</v></c><c r="C1" s="1"><v>40000</v>'
     '</c></row>', (3, 0, False)),
    ('<row r="1"><c r="A1" cm="1" t="str"><f t="array" ref="A1:A2">"a"&amp;"b"</f><v>ab</v></c></row>'
     '<row r="2"><c r="A2" t="str"><v>&lt;x&gt;</v></c><c r="B2"><f t="shared" ref="B2:B3" si="0">A2+1</f>'
     '</c></row><row r="3"><c r="B3"><f t="shared" si="0"/></c></row>', (4, 0, False)),
    ('<row r="1" hidden="1" ht="0" customHeight="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c>'
     '<c r="B1"><v>&#49;</v></c><c r="C1" t="s"><v>0</v></c></row><row r="2"/>', (1, 2, False)),
    ('<row><c><v>1</v></c><c t="b"><v>1</v></c></row><row r="5"><c r="C5"><v>3</v></c><c r="A5"><v>9</v></c>'
     '<c r="C5" t="e" vm="1"><v>#VALUE!</v></c></row>', (5, 0, False)),
    ('\n  <row r="1">\n    <c r="A1"><v>1</v></c>\n  </row>\n', (1, 0, False)),
    ('<row r="1"><c r="A1" t="str"><v> x\ty </v></c><c r="B1" t="e"><v> #N/A</v></c><c r="C1" s="2"><v> 1.5</v>'
     '</c><c r="D1" t="b"><v>0 </v></c></row>', (4, 0, False)),
    ('<row r="1"><c r="A1"><v>1</v><!-- a comment --></c></row>', (0, 0, True)),
    ("<row r='1'><c r='A1'><v>1</v></c></row>", (0, 0, True)),
    ('<row r="1"><c r="A1"><v>1</v></c>text<c r="B1"><v>2</v></c></row>', (0, 0, True)),
])
def test_what_the_fast_reading_takes_and_hands_back(tmp_path, taken, cells, expect):
    path = _book(tmp_path, sheet_xml(cells, after='<mergeCells count="1"><mergeCell ref="D1:E2"/></mergeCells>'))
    assert _read(path, True) == _read(path, False)
    assert [t[1:] for t in taken] == [expect]


def test_expat_reads_on_from_the_span_of_rows_that_stops_the_fast_reading(tmp_path, taken, monkeypatch):
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="s"><v>1</v></c></row>' for r in range(1, 41))
    monkeypatch.setattr(xlsxscan, "_SPAN", 200)                  # about four rows a span
    path = _book(tmp_path, sheet_xml(rows + "<row r='41'><c r='A41'><v>41</v></c></row>"))
    fast = _read(path, True)
    assert fast == _read(path, False) and len(fast[1][("S", "values")]) == 81
    ((_title, fast_cells, odd, rest),) = taken
    assert rest and odd == 0 and 60 <= fast_cells < 80 and fast_cells % 2 == 0      # whole rows, most of them


@pytest.mark.parametrize("cells, refusal", [
    ('<row r="1"><c r="A1"><v>1</v></c></row></row>', "not well-formed"),
    ('<row r="1"><c r="A1" r="B1"><v>1</v></c></row>', "not well-formed"),
    ('<row r="1"><c r="XFE1"><v>1</v></c></row>', "not a cell of Excel's grid"),
    ('<row r="1"><c r="A1"><v>1x</v></c></row>', "is not a number"),
    ('<row r="1"><c r="A1" t="q"><v>1</v></c></row>', "is not one of Excel's"),
    ('<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>&e;</v></c></row>', "not well-formed"),
    ('<row r="1"><c r="A1"><v>1\x01</v></c></row>', "not well-formed"),
    ('<row r="1"><c r="A1"><v>]]></v></c></row>', "not well-formed"),
    ('<row r="1"><c r="A1"><v>1</v></c><row r="2"></row></row>', None),
    ('<row r="1"><c r="A1"><v>1</v></c><row r="2"><c r="A2"><v>2</v></c></row>', "not well-formed"),
    ('<row r="1"><c r="A1"><v>1</v></c>', "not well-formed"),
    ('<row r="1"><c r="A1" t=""><v>1</v></c></row>', "is not one of Excel's"),
])
def test_refusals_are_the_same_word_for_word(tmp_path, cells, refusal):
    path = _book(tmp_path, sheet_xml(cells))
    fast = _read(path, True)
    assert fast == _read(path, False)
    if refusal is not None:
        assert fast[0] == "Refused" and refusal in fast[1], fast


def test_a_dtd_anywhere_is_refused_as_before(tmp_path):
    head = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe "INJECTED">]>\n'
    for sheet in (sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>', head=head),
                  sheet_xml('<!DOCTYPE x [<!ENTITY xxe "INJECTED">]><row r="1"><c r="A1"><v>1</v></c></row>')):
        path = _book(tmp_path, sheet)
        fast = _read(path, True)
        assert fast == _read(path, False) and fast[0] == "Refused", fast


_LOOKS_SIMPLE = '<sheetData><row r="1"><c r="A1" t="str"><v>\u00c3\u00a9</v></c></row></sheetData>'


@pytest.mark.parametrize("part", [
    # <sheetData> first written inside a comment: the element is the one after it, and empty
    (f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><!-- {_LOOKS_SIMPLE} --><sheetData/></worksheet>').encode(),
    # a Latin-1 part whose bytes also read as UTF-8 ("\u00c3\u00a9" is the bytes of "\u00e9" in UTF-8)
    (f'<?xml version="1.0" encoding="ISO-8859-1"?><worksheet xmlns="{MAIN}">{_LOOKS_SIMPLE}</worksheet>').encode("latin-1"),
])
def test_a_part_that_only_looks_simple_is_read_by_expat(tmp_path, taken, part):
    path = _book(tmp_path, part)
    fast = _read(path, True)
    assert fast == _read(path, False) and fast[0] == "read"
    assert fast[1][("S", "values")] in ([], [(("S", 1, 1), "str", repr("\u00c3\u00a9"))])
    assert [t[1:] for t in taken] == [(0, 0, True)]


def test_a_utf16_part_reads_the_same(tmp_path, taken):
    text = sheet_xml('<row r="1"><c r="A1" t="str"><v>é</v></c></row>', head='<?xml version="1.0" encoding="UTF-16"?>')
    path = _book(tmp_path, text.encode("utf-16"))
    fast = _read(path, True)
    assert fast == _read(path, False) and fast[0] == "read"
    assert fast[1][("S", "values")] == [(("S", 1, 1), "str", repr("é"))]
    assert [t[1:] for t in taken] == [(0, 0, True)]


# ----------------------------------------------------------------------------- hypothesis-written sheets

_XML_CHAR = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff")
_TEXT = st.lists(_XML_CHAR | st.sampled_from(list("<>&'\"\t\n\r ]=/")), max_size=8).map("".join)


@st.composite
def _encoded(draw, text: str, plain: list) -> str:
    """``text`` as character data, written one of the ways XML allows (some the fast reading takes);
    ``plain``: [whether the sheet is still plain, whether CDATA, comments and bad values may come]."""
    out = []
    for ch in text:
        ways = ["&amp;", "&#38;"] if ch == "&" else ["&lt;", "&#60;"] if ch == "<" else \
            ["&#13;"] if ch == "\r" else [ch, ch, "&gt;" if ch == ">" else ch, f"&#{ord(ch)};"]
        if plain[1] and ch not in "&<\r" and draw(st.integers(0, 9)) == 0:
            out.append(f"<![CDATA[{ch}]]>")
            plain[0] = False
        else:
            out.append(draw(st.sampled_from(ways)))
    return "".join(out)


@st.composite
def _cell(draw, col: int, row: int, plain: list) -> str:
    kind = draw(st.sampled_from(["int", "float", "date", "shared", "str", "bool", "error", "inline",
                                 "formula", "shared-formula", "array", "empty"] + ["bad"] * plain[1]))
    attrs: dict[str, str] = {}
    body = ""
    if kind in ("int", "float", "date", "bad"):
        v = {"int": str(draw(st.integers(0, 3_000_000))), "float": repr(draw(st.floats(-1e9, 1e9))),
             "date": str(draw(st.integers(-5, 3_000_000))), "bad": draw(st.sampled_from(["1x", "", " 7 ", "1e999"]))}[kind]
        body = f"<v>{v}</v>"
        if kind == "date" or draw(st.booleans()):
            attrs["s"] = draw(st.sampled_from(["0", "1", "2"]))
    elif kind == "shared":
        attrs["t"] = "s"
        body = f"<v>{draw(st.sampled_from(['0', '1', '2'] if plain[1] else ['0', '1']))}</v>"   # 2: none such
    elif kind == "str":
        attrs["t"] = "str"
        text = draw(st.sampled_from(["", " ", "\n"])) + draw(_TEXT) + draw(st.sampled_from(["", " ", "\t"]))
        body = "<f>\"x\"</f>" * draw(st.booleans()) + f"<v>{draw(_encoded(text, plain))}</v>"
    elif kind == "bool":
        attrs["t"] = "b"
        body = f"<v>{draw(st.sampled_from(['0', '1']))}</v>"
    elif kind == "error":
        attrs["t"] = "e"
        if draw(st.booleans()):
            attrs["vm"] = "1"
        body = f"<v>{draw(st.sampled_from(['#N/A', '#DIV/0!', '#VALUE!']))}</v>"
    elif kind == "inline":
        attrs["t"] = "inlineStr"
        body = f"<is><t>{draw(_encoded(draw(_TEXT), plain))}</t></is>"
    elif kind == "formula":
        formula = 'IF(A1<>"&",1,' + draw(_TEXT).replace("\r", "") + ")"
        body = f"<f>{draw(_encoded(formula, plain))}</f>"
    elif kind == "shared-formula":
        anchor = draw(st.booleans())
        ref = f' ref="A{row}:Z{row + 2}"' if anchor else ""
        body = f'<f t="shared"{ref} si="{draw(st.sampled_from(["0", "1"]))}">A1+1</f>' if anchor else \
            f'<f t="shared" si="{draw(st.sampled_from(["0", "1"]))}"/>'
    elif kind == "array":
        attrs["cm"] = "1"
        body = f'<f t="array" ref="A{row}:B{row + 1}">SEQUENCE(2)</f><v>1</v>'
    else:
        body = draw(st.sampled_from(["", "<v/>", "<v></v>"]))
        attrs["s"] = "1"
    if draw(st.integers(0, 4)):
        letters = chr(64 + col) if col <= 26 else "A" + chr(64 + col - 26)
        attrs["r"] = draw(st.sampled_from([f"{letters}{row}", f"{letters}{row}", f"{letters.lower()}{row}",
                                           f"${letters}${row}"]))
    pairs = list(attrs.items())
    if draw(st.booleans()):
        pairs = draw(st.permutations(pairs))
    quote = draw(st.sampled_from(['"'] * 4 + ["'"]))
    gap = draw(st.sampled_from([" "] * 4 + ["\n  "]))
    head = "<c" + "".join(f"{gap}{k}={quote}{v}{quote}" for k, v in pairs)
    if not body and draw(st.booleans()):
        return head + "/>"
    noise = draw(st.sampled_from(["", "", "<!-- <v>9</v> -->", "<?pi x?>"])) if plain[1] else ""
    if noise:
        plain[0] = False
    return f"{head}>{noise}{body}</c>"


@st.composite
def _sheet(draw) -> tuple[str, bool, int]:
    """A worksheet part written any way XML allows; whether it is plain (the fast reading must take
    all of <sheetData> itself, its odd cells one by one), how many cells it holds, and the span
    of characters the fast reading splits at a time (small ones test its cuts)."""
    plain = [True, draw(st.integers(0, 3)) == 0]      # plain so far; comments, PIs and CDATA allowed
    rows, n = [], 0
    row_no = 0
    for _ in range(draw(st.integers(0, 5))):
        row_no = draw(st.sampled_from([row_no + 1, row_no + 1, row_no + 2, max(1, row_no - 1)]))
        attrs = draw(st.sampled_from(["", f' r="{row_no}"', f' r="{row_no}" spans="1:4"',
                                      f' r="{row_no}" hidden="1"', f' r="{row_no}" ht="0" customHeight="1"',
                                      f' r="{row_no}.0"'] * 2 + [f" r='{row_no}'"]))
        if "'" in attrs:
            plain[0] = False
        cols = draw(st.lists(st.integers(1, 30), max_size=5))
        cells = [draw(_cell(c, row_no, plain)) for c in cols]
        n += len(cells)
        sep = draw(st.sampled_from(["", "", "\n    "]))
        rows.append(f"<row{attrs}/>" if not cells and draw(st.booleans()) else
                    f"<row{attrs}>{sep}" + sep.join(cells) + f"{sep}</row>")
    data = draw(st.sampled_from(["", "\n  "])).join(rows)
    after = draw(st.sampled_from(["", '<mergeCells count="1"><mergeCell ref="B2:C40"/></mergeCells>',
                                  '<autoFilter ref="A1:C9"><filterColumn colId="0"/></autoFilter>']))
    head = draw(st.sampled_from(['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n', "",
                                 '<?xml version="1.0" encoding="utf-8"?>']))
    form = draw(st.sampled_from(["default"] * 6 + ["prefix", "below-root"]))
    if form == "prefix":
        plain[0] = False
        data = data.replace("<", "<x:").replace("<x:/", "</x:").replace("<x:!", "<!").replace("<x:?", "<?")
        text = f'{head}<x:worksheet xmlns:x="{MAIN}"><x:sheetData>{data}</x:sheetData></x:worksheet>'
    elif form == "below-root":
        plain[0] = False
        text = (f'{head}<worksheet xmlns="{MAIN}"><sheetData xmlns:y="{REL}">{data}</sheetData>{after}'
                '</worksheet>')
    else:
        text = sheet_xml(data, after=after, head=head)
    broken = draw(st.sampled_from(["no"] * 10 + ["truncated", "dtd", "stray end", "lost end"]))
    if broken == "truncated":
        text = text[:draw(st.integers(0, len(text) - 1))]
    elif broken == "dtd":
        dtd = '<!DOCTYPE w [<!ENTITY e "ZZ">]>'
        text = text.replace("?>", "?>" + dtd, 1) if head else dtd + text
    elif broken == "stray end":
        text = text.replace("</sheetData>", "</row></sheetData>", 1).replace("</x:sheetData>", "</x:row></x:sheetData>")
    elif broken == "lost end":
        text = text.replace("</row>", "", 1).replace("</x:row>", "", 1)
    return text, plain[0] and broken == "no", n, draw(st.sampled_from([1 << 20, 1, 40, 300]))


@settings(max_examples=300)
@given(_sheet())
def test_any_sheet_reads_the_same_both_ways(tmp_path_factory, case):
    text, plain, n, span = case
    seen: list[tuple] = []
    path = _book(tmp_path_factory.mktemp("fast"), text)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(xlsxscan, "_fast_read", lambda *a: seen.append(a))
        mp.setattr(xlsxscan, "_SPAN", span)
        fast = _read(path, True)
    assert fast == _read(path, False)
    event(fast[0] if fast[0] != "read" else "fast reading gave up" if not seen else
          "sheetData handed to expat" if seen[0][3] else "read fast, odd cells handed to expat" if seen[0][2] else
          "read fast")
    if plain and fast[0] == "read":
        # a plain sheet is the fast reading's own: every cell read by it, or handed to expat alone
        assert len(seen) == 1 and not seen[0][3] and seen[0][1] + seen[0][2] == n, (seen, n)


# ----------------------------------------------------------------------------- shared strings

def test_shared_strings_that_only_look_plain_are_read_by_expat(tmp_path, monkeypatch):
    items: list[int] = []
    monkeypatch.setattr(xlsxscan, "_fast_strings", items.append)
    plain = f'<sst xmlns="{MAIN}"><si><t>a</t></si></sst>'
    for text in (f'<?xml version="1.0"?><!-- {plain} --><sst xmlns="{MAIN}"><si><t>b</t></si></sst>',
                 f'<?xml version="1.0"?><sst xmlns="{MAIN}"><si><t>b</t></si><si><t><![CDATA[c]]></t></si></sst>'):
        path = tmp_path / "book.xlsx"
        path.write_bytes(xlsx({"S": sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')}, shared=text))
        fast = _read(path, True)
        assert fast == _read(path, False) and fast[1][("S", "values")] == [(("S", 1, 1), "str", "'b'")]
    assert items == []


@st.composite
def _strings(draw) -> tuple[str, int]:
    """A shared-strings part written any way XML allows, and how many items it holds."""
    plain = [True, draw(st.integers(0, 3)) == 0]
    odd = draw(st.booleans())            # items other than <si><t>text</t></si> may come
    items = []
    for _ in range(draw(st.integers(0, 6))):
        text = draw(_TEXT) + draw(st.sampled_from(["", "_x005F_x0041_", " "]))
        text = draw(_encoded(text, plain)) if odd else \
            text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "")
        space = draw(st.sampled_from(["", ' xml:space="preserve"'] + [" xml:space='preserve'"] * odd))
        items.append(draw(st.sampled_from([f"<si><t{space}>{text}</t></si>"] + [
            f"<si><r><rPr><b/></rPr><t>{text}</t></r><r><t>z</t></r></si>",
            f"<si><t>{text}</t><rPh sb='0' eb='1'><t>ph</t></rPh></si>", "<si><t/></si>", "<si/>",
            f"<si>\n  <t>{text}</t>\n</si>"] * odd)))
    sep = draw(st.sampled_from(["", "", "\n"] if odd else [""]))
    root = draw(st.sampled_from([f'<sst xmlns="{MAIN}" count="9" uniqueCount="{len(items)}">'] * 3 + [
        f'<sst xmlns="{MAIN}">', f'<x:sst xmlns:x="{MAIN}">', f"<sst xmlns='{MAIN}'>",
        '<sst xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main">']))
    end = "</x:sst>" if root.startswith("<x:") else "</sst>"
    text = draw(st.sampled_from(['<?xml version="1.0" encoding="UTF-8"?>\n', ""])) + root + sep.join(items) + end
    broken = draw(st.sampled_from(["no"] * 8 + ["truncated", "dtd"]))
    if broken == "truncated":
        text = text[:draw(st.integers(0, len(text) - 1))]
    elif broken == "dtd":
        text = '<!DOCTYPE s [<!ENTITY e "ZZ">]>' + text
    return text, len(items)


@settings(max_examples=200)
@given(_strings())
def test_any_shared_strings_read_the_same_both_ways(tmp_path_factory, case):
    text, n = case
    cells = "".join(f'<c r="A{i}" t="s"><v>{i - 1}</v></c>' for i in range(1, n + 1))
    path = tmp_path_factory.mktemp("sst") / "book.xlsx"
    path.write_bytes(xlsx({"S": sheet_xml(f'<row r="1">{cells}</row>')}, shared=text))
    items: list[int] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(xlsxscan, "_fast_strings", items.append)
        fast = _read(path, True)
    assert fast == _read(path, False)
    event(fast[0] if fast[0] != "read" else "strings read fast" if items else "strings read by expat")
    if fast[0] == "read" and items:
        assert items == [n]


def test_a_number_cell_holding_an_inline_string_reads_as_openpyxl_reads_it(tmp_path):
    # one typing rule for both readings fixed this: the general reading used to type a number cell
    # holding an <is> as a date whatever its style (datetime(1900, 1, 5) here); openpyxl reads 5
    import warnings

    import openpyxl
    path = _book(tmp_path, sheet_xml('<row r="1"><c r="A1"><is><t>x</t></is><v>5</v></c></row>'))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = openpyxl.load_workbook(path)["S"]["A1"].value
    for fast in (True, False):
        got = read_book(path, fast=fast).sheets["S"].values[("S", 1, 1)]
        assert (type(got), got) == (type(want), want) == (int, 5)
