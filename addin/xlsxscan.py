"""Read an .xlsx workbook fast: every cell's value or formula, names and calculation settings.

openpyxl builds a styled ``Cell`` object per cell through a full XML parser; for a
10,000-row register that is most of a recalculation's time. This reader scans the
sheet parts as text instead (one regular expression per cell) and returns plain
dicts holding exactly what ``openpyxl.load_workbook(path)`` would give the
recalculation, cell by cell:

* constants typed as openpyxl types them: ``int`` when the stored number has no
  ``.``/``E``, else ``float``; date-formatted numbers as ``datetime``/``time``/
  ``timedelta`` (openpyxl's own format tests and conversion); booleans; shared and
  inline strings (phonetic runs dropped, ``x005F_`` removed, as openpyxl does); error
  constants as their text (``"#N/A"``) in :attr:`ScanSheet.errors`;
* formulas as ``"=..."`` text, shared formulas translated to each cell with openpyxl's
  ``Translator``, array formulas with their ``ref`` (:attr:`ScanSheet.arrays`), and
  dynamic-array anchors (the ``cm`` attribute naming ``XLDAPR`` metadata with
  ``fDynamic="1"``) in :attr:`ScanSheet.dynamic`;
* workbook and sheet-scoped defined names, ``date1904``, and ``calcPr`` as written
  (``calcMode``, ``fullCalcOnLoad``, ``iterate``, ``iterateCount``, ``iterateDelta``);
* each cell's number format code (for the command's key-results table);
* merged ranges: cells other than the top-left hold nothing (openpyxl's ``MergedCell``).

Whatever the scan does not model raises :class:`Unsupported` with the reason, and the
caller reads the book with openpyxl instead: a namespace prefix on the sheet's tags,
cells without an ``r`` reference or with attributes in an unusual order, data-table
formulas, chartsheets, a part not in UTF-8.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

__all__ = ["ScanBook", "ScanCell", "ScanSheet", "ScanWorkbook", "ScanWorksheet", "Unsupported", "open_book", "read_book"]


_NOT_READ = object()


class Unsupported(Exception):
    """The book uses something this reader does not model; read it with openpyxl."""


@dataclass(slots=True)
class ScanSheet:
    """One sheet's cells, each keyed (title, row, column) as the recalculation keys them."""

    title: str
    values: dict[tuple[str, int, int], object] = field(default_factory=dict)     # constants
    formulas: dict[tuple[str, int, int], str] = field(default_factory=dict)      # "=..." text
    arrays: dict[tuple[str, int, int], str] = field(default_factory=dict)        # anchor -> ref ("A1:D9")
    dynamic: set[tuple[str, int, int]] = field(default_factory=set)              # dynamic-array anchors
    errors: dict[tuple[str, int, int], str] = field(default_factory=dict)        # error constants ("#N/A")
    styles: dict[tuple[str, int, int], int] = field(default_factory=dict)        # cell -> style index (non-zero)
    names: dict[str, str] = field(default_factory=dict)                          # sheet-scoped defined names
    max_row: int = 0
    max_col: int = 0


@dataclass(slots=True)
class ScanBook:
    sheetnames: list[str]
    sheets: dict[str, ScanSheet]
    names: dict[str, str]                 # workbook-level defined names -> text ("Sheet!$A$1:$B$2")
    date1904: bool
    calc: dict[str, str]                  # calcPr attributes as written
    formats: list[str]                    # style index -> number format code

    def number_format(self, sheet: str, row: int, col: int) -> str:
        idx = self.sheets[sheet].styles.get((sheet, row, col), 0)
        return self.formats[idx] if idx < len(self.formats) else "General"


# ----------------------------------------------------------------------------- the scan

# r first (as Excel, XlsxWriter and openpyxl write it), the other attributes as one text; the
# common <v>-only content as its own group.
_CELL = re.compile(r'<c r="([A-Z]{1,3})(\d+)"((?:\s+[\w:]+="[^"]*")*)\s*(?:/>|><v>([^<]*)</v></c>|>(.*?)</c>)', re.S)
_CELL_ATTRS: dict[str, tuple[int, str | None, int]] = {"": (0, None, 0)}    # attribute text -> (s, t, cm)
_VALUE = re.compile(r"<v(?:\s[^>]*)?>(.*?)</v>", re.S)
_FORMULA = re.compile(r"<f(\s[^>]*?)?(?:/>|>(.*?)</f>)", re.S)
_INLINE = re.compile(r"<is>(.*?)</is>", re.S)
_ATTR = re.compile(r'([\w:]+)="([^"]*)"')
_SI = re.compile(r"<si>(.*?)</si>|<si/>", re.S)
_PHONETIC = re.compile(r"<rPh\b.*?</rPh>|<phoneticPr\b[^>]*/>", re.S)
_TEXT = re.compile(r"<t(?:\s[^>]*)?>(.*?)</t>|<t(?:\s[^>]*)?/>", re.S)
_MERGE = re.compile(r'<mergeCell ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_COLS: dict[str, int] = {}
_ROW, _COLUMN = itemgetter(1), itemgetter(2)


def _col(letters: str) -> int:
    n = _COLS.get(letters)
    if n is None:
        n = 0
        for ch in letters:
            n = n * 26 + ord(ch) - 64
        _COLS[letters] = n
    return n


_REFERENCE = re.compile(r"&(?:#(\d+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _reference(m: re.Match) -> str:
    # XML's five entities and character references (html.unescape would remap &#x80;-&#x9F;)
    if m.group(3):
        return _NAMED[m.group(3)]
    return chr(int(m.group(1))) if m.group(1) else chr(int(m.group(2), 16))


def _unescape(s: str) -> str:
    return _REFERENCE.sub(_reference, s) if "&" in s else s


def _xml_text(s: str) -> str:
    """Element text as an XML parser gives it: line ends normalised, references resolved."""
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    return _unescape(s)


def _attrs(text: str | None) -> dict[str, str]:
    return {k: _unescape(v) for k, v in _ATTR.findall(text or "")}


def _rich_text(inner: str) -> str:
    """openpyxl's Text.content: the plain text and every run's text, phonetic runs dropped."""
    if inner.startswith("<t>") and inner.endswith("</t>") and "<t" not in inner[3:]:
        return _xml_text(inner[3:-4])
    inner = _PHONETIC.sub("", inner)
    return _xml_text("".join(m.group(1) or "" for m in _TEXT.finditer(inner)))


def _number(text: str) -> int | float:
    # openpyxl's _cast_number: a float when the text has a point or an exponent
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.zf = zipfile.ZipFile(path)
        self.parts = set(self.zf.namelist())

    def text(self, part: str) -> str:
        try:
            data = self.zf.read(part)
        except KeyError:
            raise Unsupported(f"missing part {part}") from None
        head = data[:100].lower()
        if b"encoding=" in head and b'encoding="utf-8"' not in head and b"encoding='utf-8'" not in head:
            raise Unsupported(f"{part} is not UTF-8")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Unsupported(f"{part} is not UTF-8") from None

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        folder, name = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", name + ".rels")
        out = {}
        if rels_part not in self.parts:
            return out
        for m in re.finditer(r"<Relationship\b([^>]*)/?>", self.text(rels_part)):
            a = _attrs(m.group(1))
            target = a.get("Target", "")
            if a.get("TargetMode") == "External":
                continue
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out[a.get("Id", "")] = (a.get("Type", "").rsplit("/", 1)[-1], target)
        return out


def _workbook_part(reader: _Reader) -> str:
    for _id, (kind, target) in reader.rels("").items():
        if kind == "officeDocument":
            return target
    if "xl/workbook.xml" in reader.parts:
        return "xl/workbook.xml"
    raise Unsupported("no workbook part")


def _shared_strings(reader: _Reader, part: str | None) -> list[str]:
    if part is None or part not in reader.parts:
        return []
    text = reader.text(part)
    return [_rich_text(m.group(1)).replace("x005F_", "") if m.group(1) else "" for m in _SI.finditer(text)]


# openpyxl's number-format tests (openpyxl/styles/numbers.py, MIT licence, (c) 2010-2024 openpyxl),
# copied so that reading a book does not import openpyxl.styles (and with it openpyxl's whole
# package body); tests/test_xlsxscan.py proves them equal to openpyxl's own.
BUILTIN_FORMATS = {
    0: 'General', 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00', 5: '"$"#,##0_);("$"#,##0)',
    6: '"$"#,##0_);[Red]("$"#,##0)', 7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: '0%', 10: '0.00%', 11: '0.00E+00', 12: '# ?/?', 13: '# ??/??', 14: 'mm-dd-yy', 15: 'd-mmm-yy',
    16: 'd-mmm', 17: 'mmm-yy', 18: 'h:mm AM/PM', 19: 'h:mm:ss AM/PM', 20: 'h:mm', 21: 'h:mm:ss',
    22: 'm/d/yy h:mm', 37: '#,##0_);(#,##0)', 38: '#,##0_);[Red](#,##0)', 39: '#,##0.00_);(#,##0.00)',
    40: '#,##0.00_);[Red](#,##0.00)', 41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)', 45: 'mm:ss', 46: '[h]:mm:ss',
    47: 'mmss.0', 48: '##0.0E+0', 49: '@'}
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')   # quoted text; brackets other than [h] [m] [s]
_TIMEDELTA = re.compile(r'\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?', re.I)
_DATE_PART = re.compile(r"(?<![_\\])[dmhysDMHYS]")


def is_date_format(fmt: str | None) -> bool:
    """openpyxl's ``is_date_format``: the first section, literals stripped, names a date or time part."""
    if fmt is None:
        return False
    return _DATE_PART.search(_STRIP.sub("", fmt.split(";")[0])) is not None


def is_timedelta_format(fmt: str | None) -> bool:
    """openpyxl's ``is_timedelta_format``: the first section holds an elapsed [h], [m] or [s]."""
    if fmt is None:
        return False
    return _TIMEDELTA.search(fmt.split(";")[0]) is not None


def _formats(reader: _Reader, part: str | None) -> tuple[list[str], set[int], set[int]]:
    """Number format code per style index, and the indexes openpyxl reads as dates / durations."""
    if part is None or part not in reader.parts:
        return ["General"], set(), set()
    text = reader.text(part)
    custom = {int(a["numFmtId"]): a.get("formatCode", "")
              for a in (_attrs(m.group(1)) for m in re.finditer(r"<numFmt\b([^>]*)/?>", text)) if "numFmtId" in a}
    formats: list[str] = []
    xfs = re.search(r"<cellXfs\b[^>]*>(.*?)</cellXfs>", text, re.S)
    for m in re.finditer(r"<xf\b([^>]*?)(?:/>|>)", xfs.group(1) if xfs else ""):
        fid = int(_attrs(m.group(1)).get("numFmtId", "0"))
        formats.append(custom[fid] if fid in custom else BUILTIN_FORMATS.get(fid, "General"))
    if not formats:
        formats = ["General"]
    dates = {i for i, f in enumerate(formats) if is_date_format(f)}
    durations = {i for i, f in enumerate(formats) if is_timedelta_format(f)}
    return formats, dates, durations


def _dynamic_metadata(reader: _Reader, part: str | None) -> set[int]:
    """The ``cm`` indexes (1-based) that mark a dynamic-array formula."""
    if part is None or part not in reader.parts:
        return set()
    text = reader.text(part)
    types = [_attrs(m.group(1)).get("name", "") for m in re.finditer(r"<metadataType\b([^>]*?)/?>", text)]
    future = re.search(r'<futureMetadata\b[^>]*name="XLDAPR"[^>]*>(.*?)</futureMetadata>', text, re.S)
    flags = [bool(re.search(r'fDynamic="(?:1|true)"', bk)) for bk in
             re.findall(r"<bk>(.*?)</bk>", future.group(1), re.S)] if future else []
    cells = re.search(r"<cellMetadata\b[^>]*>(.*?)</cellMetadata>", text, re.S)
    out = set()
    for i, bk in enumerate(re.findall(r"<bk>(.*?)</bk>", cells.group(1), re.S) if cells else [], start=1):
        rc = re.search(r'<rc t="(\d+)" v="(\d+)"', bk)
        if rc:
            t, v = int(rc.group(1)), int(rc.group(2))
            if 0 < t <= len(types) and types[t - 1] == "XLDAPR" and v < len(flags) and flags[v]:
                out.add(i)
    return out


def _scan_sheet(sheet: ScanSheet, text: str, strings: list[str], dates: set[int], durations: set[int],
                epoch, dynamic_cm: set[int]) -> None:
    from openpyxl.utils.datetime import from_excel
    start, end = text.find("<sheetData"), text.rfind("</sheetData>")
    if start < 0:
        if re.search(r"<\w+:sheetData\b", text):
            raise Unsupported(f"sheet {sheet.title}: namespace-prefixed tags")
        return
    body = text[start:end] if end > 0 else ""
    values, formulas, arrays, errors, styles = sheet.values, sheet.formulas, sheet.arrays, sheet.errors, sheet.styles
    shared: dict[str, object] = {}
    moments: dict[tuple[str, int], object] = {}
    matched = 0
    blanks: list[tuple[str, int, int]] = []
    title = sheet.title
    cols = _COLS
    for m in _CELL.finditer(body):
        matched += 1
        letters, row_text, attr_text, v, inner = m.groups()
        parsed = _CELL_ATTRS.get(attr_text)
        if parsed is None:
            a = _attrs(attr_text)
            parsed = _CELL_ATTRS[attr_text] = (int(a.get("s") or 0), a.get("t"), int(a.get("cm") or 0))
        style, t, cm = parsed
        key = (title, int(row_text), cols.get(letters) or _col(letters))
        if style:
            styles[key] = style
        if v:                           # <v> alone: the common cases first (the rules below, in short)
            if t is None:
                if style not in dates:
                    values[key] = float(v) if ("." in v or "E" in v or "e" in v) else int(v)
                    continue
            elif t == "s":
                values[key] = strings[int(v)]
                continue
        f = None
        if v is None:
            if not inner:
                blanks.append(key)
                continue
            f = _FORMULA.search(inner)
            vm = _VALUE.search(inner)
            v = vm.group(1) if vm else None
        if t is None and f is None and v and style not in dates:     # the common case: a plain number
            values[key] = float(v) if ("." in v or "E" in v or "e" in v) else int(v)
            continue
        if f is not None:
            fa = _attrs(f.group(1))
            formula = "=" + _xml_text(f.group(2)) if f.group(2) is not None else "="
            kind = fa.get("t")
            if kind == "array":
                arrays[key] = fa.get("ref", "")
                if cm in dynamic_cm:
                    sheet.dynamic.add(key)
            elif kind == "shared":
                idx = fa.get("si")
                if idx in shared:
                    formula = shared[idx].translate_formula(f"{letters}{row_text}")
                elif formula != "=":
                    from openpyxl.formula.translate import Translator
                    shared[idx] = Translator(formula, f"{letters}{row_text}")
            elif kind == "dataTable":
                raise Unsupported(f"sheet {sheet.title}: data-table formula at {letters}{row_text}")
            formulas[key] = formula
            continue
        if t == "inlineStr":
            im = _INLINE.search(inner)
            if im is not None:
                values[key] = _rich_text(im.group(1))
            else:
                blanks.append(key)
            continue
        if not v:
            blanks.append(key)          # openpyxl keeps the cell (its value None)
            continue
        if t is None or t == "n":
            if style in dates:
                moment = moments.get((v, style), _NOT_READ)   # a register repeats its dates: each read once
                if moment is _NOT_READ:
                    try:
                        moment = from_excel(_number(v), epoch, timedelta=style in durations)
                    except (OverflowError, ValueError):
                        moment = None
                    moments[(v, style)] = moment
                if moment is None:
                    errors[key] = "#VALUE!"     # openpyxl: a date serial out of range reads as #VALUE!
                else:
                    values[key] = moment
                continue
            values[key] = _number(v)
        elif t == "s":
            values[key] = strings[int(v)]
        elif t == "str":
            values[key] = _xml_text(v)
        elif t == "b":
            values[key] = bool(int(v))
        elif t == "e":
            errors[key] = _xml_text(v)
        elif t == "d":
            from openpyxl.utils.datetime import from_ISO8601
            values[key] = from_ISO8601(v)
        else:
            raise Unsupported(f"sheet {sheet.title}: cell type {t!r} at {letters}{row_text}")
    # every cell tag matched (the quick count is exact unless the sheet holds other "<c..." tags: rich text's <color>)
    if body.count("<c") != matched and matched != body.count("<c ") + body.count("<c>") + body.count("<c/>"):
        raise Unsupported(f"sheet {sheet.title}: cell tags this reader does not model (no r reference, or r not first)")
    max_row = max_col = 0
    for d in (values, formulas, errors, styles, blanks):
        if d:
            max_row = max(max_row, max(map(_ROW, d)))
            max_col = max(max_col, max(map(_COLUMN, d)))
    for m in _MERGE.finditer(text[end:] if end > 0 else ""):
        c1, r1 = _col(m.group(1)), int(m.group(2))
        c2, r2 = (_col(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    for d in (values, formulas, arrays, errors):
                        d.pop((title, r, c), None)
        max_row, max_col = max(max_row, r2), max(max_col, c2)
    sheet.max_row, sheet.max_col = max_row, max_col


def read_book(path) -> ScanBook:
    """Scan ``path`` (.xlsx/.xlsm); raises :class:`Unsupported` (read it with openpyxl then)
    or ``zipfile.BadZipFile``/``OSError`` for a file that is no workbook at all."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900
    reader = _Reader(Path(path))
    with reader.zf:
        wb_part = _workbook_part(reader)
        wb_text = reader.text(wb_part)
        if re.search(r"<\w+:sheets\b", wb_text):
            raise Unsupported("workbook part with namespace-prefixed tags")
        rels = reader.rels(wb_part)
        pr = re.search(r"<workbookPr\b([^>]*?)/?>", wb_text)
        date1904 = _attrs(pr.group(1) if pr else "").get("date1904", "0").lower() in ("1", "true")
        calc_m = re.search(r"<calcPr\b([^>]*?)/?>", wb_text)
        calc = _attrs(calc_m.group(1)) if calc_m else {}
        by_kind = {kind: target for kind, target in rels.values()}
        strings = _shared_strings(reader, by_kind.get("sharedStrings"))
        formats, dates, durations = _formats(reader, by_kind.get("styles"))
        dynamic_cm = _dynamic_metadata(reader, by_kind.get("sheetMetadata"))
        epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        sheetnames: list[str] = []
        sheets: dict[str, ScanSheet] = {}
        for m in re.finditer(r"<sheet\b([^>]*?)/?>", wb_text):
            a = _attrs(m.group(1))
            kind, target = rels.get(a.get("r:id", ""), ("", ""))
            if kind != "worksheet":
                raise Unsupported(f"sheet {a.get('name')!r} is a {kind or 'missing part'}, not a worksheet")
            sheet = ScanSheet(a.get("name", ""))
            _scan_sheet(sheet, reader.text(target), strings, dates, durations, epoch, dynamic_cm)
            sheetnames.append(sheet.title)
            sheets[sheet.title] = sheet
        names: dict[str, str] = {}
        block = re.search(r"<definedNames>(.*?)</definedNames>", wb_text, re.S)
        for m in re.finditer(r"<definedName\b([^>]*)>(.*?)</definedName>", block.group(1) if block else "", re.S):
            a, value = _attrs(m.group(1)), _xml_text(m.group(2))
            name = a.get("name", "")
            if "localSheetId" in a:
                idx = int(a["localSheetId"])
                if idx < len(sheetnames) and not re.match(r"_xlnm\.[a-zA-Z]+", name):
                    sheets[sheetnames[idx]].names[name] = value
            else:
                names[name] = value
        return ScanBook(sheetnames, sheets, names, date1904, calc, formats)


# ----------------------------------------------------------------------------- openpyxl's reading API

class _Name:
    __slots__ = ("name", "attr_text")

    def __init__(self, name: str, text: str) -> None:
        self.name, self.attr_text = name, text


@dataclass(slots=True)
class _Calc:                            # openpyxl's CalcProperties: None where calcPr does not say
    iterate: bool | None = None
    iterateCount: int | None = None     # noqa: N815
    iterateDelta: float | None = None   # noqa: N815


def _flag(text: str | None) -> bool | None:
    return None if text is None else text.strip().lower() in ("1", "true")


class ScanCell:
    """One cell as openpyxl's ``Cell`` shows it: row, column, value, data_type, number_format."""

    __slots__ = ("row", "column", "value", "data_type", "_style", "_formats")

    def __init__(self, row: int, column: int, value: object, data_type: str, style: int, formats: list[str]) -> None:
        self.row, self.column, self.value, self.data_type = row, column, value, data_type
        self._style, self._formats = style, formats

    @property
    def number_format(self) -> str:
        return self._formats[self._style] if self._style < len(self._formats) else "General"


class ScanWorksheet:
    """A scanned sheet read through the part of openpyxl's ``Worksheet`` API the command uses."""

    def __init__(self, book: "ScanWorkbook", sheet: ScanSheet) -> None:
        self._book, self._sheet = book, sheet
        self.title = sheet.title
        self.defined_names = {n: _Name(n, t) for n, t in sheet.names.items()}
        self.max_row, self.max_column = max(sheet.max_row, 1), max(sheet.max_col, 1)

    @property
    def dimensions(self) -> str:
        from openpyxl.utils.cell import get_column_letter
        return f"A1:{get_column_letter(self.max_column)}{self.max_row}"

    def cell(self, row: int, column: int) -> ScanCell:
        s, key = self._sheet, (self.title, row, column)
        style, formats = s.styles.get(key, 0), self._book.scan.formats
        if key in s.formulas:
            ref = s.arrays.get(key)
            if ref is not None:
                from openpyxl.worksheet.formula import ArrayFormula
                return ScanCell(row, column, ArrayFormula(ref, s.formulas[key]), "f", style, formats)
            return ScanCell(row, column, s.formulas[key], "f", style, formats)
        if key in s.errors:
            return ScanCell(row, column, s.errors[key], "e", style, formats)
        v = s.values.get(key)
        kind = "s" if isinstance(v, str) else "b" if isinstance(v, bool) else "n" if v is None or isinstance(
            v, (int, float)) else "d"
        return ScanCell(row, column, v, kind, style, formats)

    def iter_rows(self, min_row: int | None = None, max_row: int | None = None, min_col: int | None = None,
                  max_col: int | None = None, values_only: bool = False):
        if not self._sheet.max_row and not any((min_row, max_row, min_col, max_col)):
            return                      # openpyxl: an empty sheet has no rows
        for r in range(min_row or 1, (max_row or self.max_row) + 1):
            cells = tuple(self.cell(r, c) for c in range(min_col or 1, (max_col or self.max_column) + 1))
            yield tuple(c.value for c in cells) if values_only else cells


class ScanWorkbook:
    """A scanned book read through the part of openpyxl's ``Workbook`` API the command uses
    (``sheetnames``, ``worksheets``, ``wb[title]``, ``defined_names``, ``epoch``, ``calculation``).
    Read-only: a values copy is written from the book loaded with openpyxl."""

    def __init__(self, path, scan: ScanBook) -> None:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900
        self.path, self.scan = Path(path), scan
        self.sheetnames = list(scan.sheetnames)
        self.worksheets = [ScanWorksheet(self, scan.sheets[t]) for t in scan.sheetnames]
        self._by_title = {ws.title: ws for ws in self.worksheets}
        self.defined_names = {n: _Name(n, t) for n, t in scan.names.items()}
        self.epoch = CALENDAR_MAC_1904 if scan.date1904 else CALENDAR_WINDOWS_1900
        c = scan.calc
        count, delta = c.get("iterateCount"), c.get("iterateDelta")
        self.calculation = _Calc(_flag(c.get("iterate")), None if count is None else int(count),
                                 None if delta is None else float(delta))

    def __getitem__(self, title: str) -> ScanWorksheet:
        return self._by_title[title]

    def __contains__(self, title: str) -> bool:
        return title in self._by_title


def open_book(path) -> ScanWorkbook:
    """:func:`read_book` behind openpyxl's reading API; raises :class:`Unsupported` as it does."""
    return ScanWorkbook(path, read_book(path))
