"""Read an .xlsx workbook fast: every cell's value or formula, names and calculation settings.

openpyxl builds a styled ``Cell`` object per cell; for a 10,000-row register that is most of
a recalculation's time. This reader feeds each part through the standard library's expat
parser (a real XML parser: CDATA sections, character and entity references, namespace
prefixes, attributes in any order read as XML defines them) with plain callbacks, and returns
plain dicts holding what ``openpyxl.load_workbook(path)`` gives the recalculation, cell by cell.
A worksheet's ``<sheetData>`` is first read by one regular expression that takes the rows and
cells as Excel, openpyxl and XlsxWriter write them (formulas included) and hands expat every
other cell where it lies, or the rest of it (:func:`_scan_sheet_as`); the shared strings alike
(:func:`_read_strings`). Both readings place, type and store cells through the same functions,
and tests/test_xlsxscan_fast.py proves their results equal. The register books of
bench/bench_workbook.py (10,000 rows) read in about 60% of the time.

* constants typed as openpyxl types them: ``int`` when the stored number has no
  ``.``/``E``, else ``float``; date-formatted numbers as ``datetime``/``time``/
  ``timedelta`` (openpyxl's own format tests and conversion); booleans; shared and
  inline strings (phonetic runs dropped, ``x005F_`` removed, as openpyxl does); error
  constants as their text (``"#N/A"``) in :attr:`ScanSheet.errors`;
* formulas as ``"=..."`` text, shared formulas translated to each cell with openpyxl's
  ``Translator`` (the copy in :mod:`.tokenizer`), array formulas with their ``ref`` (:attr:`ScanSheet.arrays`), and
  dynamic-array anchors (the ``cm`` attribute naming ``XLDAPR`` metadata with
  ``fDynamic="1"``) in :attr:`ScanSheet.dynamic`;
* data tables (``<f t="dataTable">``, What-If analysis) as the formula Excel shows,
  ``=TABLE(row input, column input)``, over their range (an array formula), and listed in
  :attr:`ScanSheet.data_tables` so that the evaluator reports them unsupported;
* workbook and sheet-scoped defined names, ``date1904``, and ``calcPr`` as written
  (``calcMode``, ``fullCalcOnLoad``, ``iterate``, ``iterateCount``, ``iterateDelta``);
* each cell's number format code (for the command's key-results table);
* merged areas: unlike openpyxl (whose ``MergedCell`` drops them), a hidden cell of a merge
  keeps its formula or value, since Excel keeps and computes it;
* rows marked hidden, the sheet's own ``autoFilter`` range and whether a filter may hide rows
  (a ``filterColumn``, or ``sheetPr filterMode``), for SUBTOTAL and AGGREGATE.

Refused (:class:`Refused`, one line naming the part and the place): a part declaring a DTD or
entities (as defusedxml refuses them: ``&xxe;`` never becomes cell text), XML that is not
well-formed (an unclosed tag included: a linear scan finds it), a sheet the workbook lists
whose part is missing, a cell outside Excel's grid, a value that does not fit its type, a
damaged ``xl/metadata.xml``. Read with openpyxl instead (:class:`Unsupported`): chartsheets.
Memory: the parser reads a part 1 MiB at a time (the fast reading holds one worksheet part's text
whole, at most 64 MiB: a larger one is read 1 MiB at a time); the caches are bounded.
"""
from __future__ import annotations

import contextlib
import functools
import operator
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

__all__ = ["ScanBook", "ScanCell", "ScanSheet", "ScanWorkbook", "ScanWorksheet", "Refused", "Unsupported",
           "open_book", "read_book"]

MAX_ROW, MAX_COL = 1_048_576, 16_384     # Excel's sheet size


class Unsupported(Exception):
    """The book uses something this reader does not model; read it with openpyxl."""


class Refused(Exception):
    """The file is not a workbook anyone should read (the message says why, in one line)."""


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
    data_tables: dict[tuple[str, int, int], str] = field(default_factory=dict)   # data-table anchor -> ref
    # error constants stored as rich values (``vm`` metadata: #CALC!, #SPILL!, ... written as
    # #VALUE! in <v>): their kind is not in the cell, so what reads them is reported unsupported
    uncertain: set[tuple[str, int, int]] = field(default_factory=set)
    merged: list[str] = field(default_factory=list)                              # merged areas ("A1:C3")
    # rows the file marks hidden (<row hidden="1">, or a height of 0), whether rows are hidden by
    # default (<sheetFormatPr zeroHeight="1">), the sheet's own autoFilter range, and whether a
    # filter may hide rows (a <filterColumn> in the part, or <sheetPr filterMode="1">)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_by_default: bool = False
    auto_filter: str | None = None
    filtering: bool = False
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


# ----------------------------------------------------------------------------- XML, parsed safely

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CHUNK = 1 << 20                         # bytes inflated and parsed at a time


def _m(name: str) -> str:
    return f"{MAIN}}}{name}"


_T, _R, _SI, _SST = _m("t"), _m("r"), _m("si"), _m("sst")    # shared strings (and _RichText defaults)


def _refuse_dtd(part: str):
    def handler(*_args) -> None:
        raise Refused(f"{part} declares a DTD or entities (<!DOCTYPE>), which a workbook never needs: "
                      "refused, as defusedxml refuses it")
    return handler


def _parser(part: str, namespaces: bool = True):
    """An expat parser that refuses any DTD (and so any entity declaration) before it is read.

    ``namespaces``: element names come as ``"{uri}}local"``; without, as written (``"c"``,
    ``"x:c"``), which parses a sheet twice as fast (see :func:`_scan_sheet`)."""
    p = expat.ParserCreate(namespace_separator="}") if namespaces else expat.ParserCreate()
    p.buffer_text = True
    p.buffer_size = 1 << 16
    p.StartDoctypeDeclHandler = _refuse_dtd(part)
    p.EntityDeclHandler = _refuse_dtd(part)
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return p


_COLS: dict[str, int] = {}               # at most 18,278 entries: one per valid column name


def _col(letters: str) -> int:
    n = _COLS.get(letters)
    if n is None:
        if not (0 < len(letters) <= 3 and letters.isascii() and letters.isalpha()):
            raise ValueError(letters)
        n = 0
        for ch in letters.upper():
            n = n * 26 + ord(ch) - 64
        if n <= MAX_COL:                 # a cached name is read as in the grid (_scan_sheet_as)
            _COLS[letters] = n
    return n


_DIGITS = "0123456789"


def _coordinate(text: str) -> tuple[int, int]:
    """``"B12"`` -> (12, 2), inside Excel's grid, else ValueError."""
    letters = text.rstrip(_DIGITS)
    digits = text[len(letters):]
    col = _col(letters)
    if not digits or digits[0] == "0" or len(digits) > 7:
        raise ValueError(text)
    row = int(digits)
    if row > MAX_ROW or col > MAX_COL:
        raise ValueError(text)
    return row, col


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


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

    def parse(self, part: str, start=None, end=None, parser=None, chunks=None) -> int:
        """Feed ``part`` through an expat parser (``start``/``end`` element handlers), a chunk at a
        time; malformed XML, a DTD or a damaged entry is :class:`Refused` with its place.
        ``chunks``: the bytes to feed instead of the part's own (:func:`_scan_sheet_as`).
        Returns how many times ``xmlns`` occurs in the bytes fed."""
        p = parser or _parser(part)
        if start is not None:
            p.StartElementHandler = start
        if end is not None:
            p.EndElementHandler = end
        try:
            fh = self.zf.open(part) if chunks is None else contextlib.nullcontext()
        except KeyError:
            raise Refused(f"part {part} is missing from the file") from None
        xmlns, tail = 0, b""
        try:
            with fh:
                for chunk in iter(functools.partial(fh.read, _CHUNK), b"") if chunks is None else chunks:
                    xmlns += chunk.count(b"xmlns") + (tail + chunk[:4]).count(b"xmlns")
                    tail = chunk[-4:]
                    p.Parse(chunk, False)
                p.Parse(b"", True)
        except expat.ExpatError as exc:
            raise Refused(f"{part} is not well-formed XML (line {exc.lineno}, column {exc.offset}: "
                          f"{expat.ErrorString(exc.code)})") from None
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise Refused(f"{part} is damaged in the zip archive ({exc})") from None
        return xmlns

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        folder, name = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", name + ".rels")
        out: dict[str, tuple[str, str]] = {}
        if rels_part not in self.parts:
            return out
        tag = f"{_PKG}}}Relationship"

        def start(name, a):
            if name == tag and a.get("TargetMode") != "External":
                target = a.get("Target", "")
                target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join(folder, target))
                out[a.get("Id", "")] = (a.get("Type", "").rsplit("/", 1)[-1], target)
        self.parse(rels_part, start)
        return out


def _workbook_part(reader: _Reader) -> str:
    for _id, (kind, target) in reader.rels("").items():
        if kind == "officeDocument":
            return target
    if "xl/workbook.xml" in reader.parts:
        return "xl/workbook.xml"
    raise Refused("not an Excel workbook (no workbook part xl/workbook.xml)")


class _RichText:
    """openpyxl's ``Text.content`` of an ``<si>`` or ``<is>``: its own ``<t>``, then each run's
    ``<t>``; phonetic runs (``<rPh>``) dropped. Fed element by element while inside one; ``buf``
    is the list the parser's character handler appends to."""

    __slots__ = ("buf", "t_tag", "r_tag", "path", "plain", "runs", "target")

    def __init__(self, buf: list, t_tag: str = _T, r_tag: str = _R) -> None:
        self.buf, self.t_tag, self.r_tag = buf, t_tag, r_tag
        self.path: list[str] = []
        self.plain: str | None = None
        self.runs: list[str] = []
        self.target = 0                  # 1: the container's own <t>, 2: a run's <t>

    def start(self, name: str) -> None:
        path = self.path
        if name == self.t_tag and not self.target:
            if not path:
                self.target = 1
            elif len(path) == 1 and path[0] == self.r_tag:
                self.target = 2
            if self.target:
                self.buf.clear()
        path.append(name)

    def end(self) -> None:
        self.path.pop()
        if self.target and len(self.path) == self.target - 1:
            text = "".join(self.buf)
            if self.target == 1:
                self.plain = text
            else:
                self.runs.append(text)
            self.target = 0

    def content(self) -> str:
        text = "".join(self.runs)
        return text if self.plain is None else self.plain + text


def _shared_strings(reader: _Reader, part: str | None, fast: bool = True) -> list[str]:
    """The shared strings, each as openpyxl reads an ``<si>`` (:class:`_RichText`, ``x005F_``
    removed). ``fast``: items written ``<si><t>text</t></si>`` (as Excel, openpyxl and XlsxWriter
    write plain ones) are read by a regular expression when every item is; whatever goes wrong
    there reads the part again the general way, which then succeeds or refuses in its own words."""
    if part is None or part not in reader.parts:
        return []
    if fast:
        try:
            return _read_strings(reader, part, True)
        except Exception:  # noqa: BLE001 - anything at all: the general reading meets it again and names it
            pass
    return _read_strings(reader, part, False)


def _plain_text(data: bytes, encoding: str | None) -> str | None:
    """An element's content as text where a fast reading may take it: the part is UTF-8 (its XML
    declaration's ``encoding``) and the content holds no comment, CDATA section, processing
    instruction or ``]]>``, which expat alone reads rightly; else None."""
    if not (encoding is None or encoding.lower() == "utf-8"):
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "<!" in text or "<?" in text or "]]>" in text:
        return None
    return text


def _shared_item(text: str) -> str:
    return text.replace("x005F_", "")    # openpyxl drops the escape of "_x"


def _read_strings(reader: _Reader, part: str, fast: bool) -> list[str]:
    strings: list[str] = []
    p = _parser(part)
    buf: list[str] = []
    p.CharacterDataHandler = buf.append
    rich: _RichText | None = None
    root_at = -1                         # the byte index of the root element's start tag
    encoding: str | None = None
    taken: list[int] = []                # how many items the fast reading took

    def root(name, a):
        nonlocal root_at
        if name == _SST:
            root_at = p.CurrentByteIndex
        p.StartElementHandler = start
        start(name, a)

    def start(name, _a):
        nonlocal rich
        if rich is not None:
            rich.start(name)
        elif name == _SI:
            rich = _RichText(buf)
            buf.clear()

    def end(name):
        nonlocal rich
        if rich is not None:
            if rich.path:
                rich.end()
            else:
                strings.append(_shared_item(rich.content()))
                rich = None

    def declared(_version, enc, _standalone):
        nonlocal encoding
        encoding = enc

    def fast_chunks(data: bytes):
        """The part's bytes for expat, less its items when this reading took them all."""
        m = _SST_ROOT.search(data)
        stop = data.find(b"</sst>", m.end()) if m else -1
        if stop < 0:
            yield data
            return
        yield data[:m.end()]
        body = _plain_text(data[m.end():stop], encoding) if root_at == m.start() else None
        if not body:
            yield data[m.end():]
            return
        items = _SST_ITEM.findall(body)
        if any(map(_SECOND, items)):
            yield data[m.end():]
            return
        strings.extend(_shared_item(_unescape(text)) for text, _junk in items)
        yield data[stop:]
        taken.append(len(items))

    p.StartElementHandler = root
    chunks = None
    if fast:
        if reader.zf.getinfo(part).file_size > _FAST_MAX:
            raise _Fallback("too large")
        p.XmlDeclHandler = declared
        chunks = fast_chunks(reader.zf.read(part))
    reader.parse(part, None, end, p, chunks)
    if taken:
        _fast_strings(taken[0])
    return strings


def _formats(reader: _Reader, part: str | None) -> tuple[list[str], set[int], set[int]]:
    """Number format code per style index, and the indexes openpyxl reads as dates / durations."""
    if part is None or part not in reader.parts:
        return ["General"], set(), set()
    custom: dict[int, str] = {}
    ids: list[str] = []
    num_fmt, xfs_tag, xf_tag = _m("numFmt"), _m("cellXfs"), _m("xf")
    inside = False

    def start(name, a):
        nonlocal inside
        if name == num_fmt and "numFmtId" in a:
            custom[_int(a["numFmtId"], part)] = a.get("formatCode", "")
        elif name == xfs_tag:
            inside = True
        elif inside and name == xf_tag:
            ids.append(a.get("numFmtId", "0"))

    def end(name):
        nonlocal inside
        if name == xfs_tag:
            inside = False
    reader.parse(part, start, end)
    formats = []
    for text in ids:
        fid = _int(text, part)
        formats.append(custom[fid] if fid in custom else BUILTIN_FORMATS.get(fid, "General"))
    if not formats:
        formats = ["General"]
    dates = {i for i, f in enumerate(formats) if is_date_format(f)}
    durations = {i for i, f in enumerate(formats) if is_timedelta_format(f)}
    return formats, dates, durations


def _int(text: str, where: str) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        raise Refused(f"{where}: {text!r} is not a whole number") from None


def _dynamic_metadata(reader: _Reader, part: str | None) -> set[int]:
    """The ``cm`` indexes (1-based) that mark a dynamic-array formula (``XLDAPR`` with ``fDynamic``)."""
    if part is None or part not in reader.parts:
        return set()
    types: list[str] = []
    flags: list[bool] = []                       # per <bk> of futureMetadata name="XLDAPR"
    cells: list[tuple[int, int] | None] = []     # per <bk> of cellMetadata: its first <rc t= v=>
    section = ""
    type_tag, future, cell_md, bk, rc = map(_m, ("metadataType", "futureMetadata", "cellMetadata", "bk", "rc"))

    def start(name, a):
        nonlocal section
        if name == type_tag:
            types.append(a.get("name", ""))
        elif name == future:
            section = "dapr" if a.get("name") == "XLDAPR" else "other"
        elif name == cell_md:
            section = "cells"
        elif name == bk:
            if section == "dapr":
                flags.append(False)
            elif section == "cells":
                cells.append(None)
        elif section == "dapr" and flags and name.endswith("}dynamicArrayProperties"):
            flags[-1] = a.get("fDynamic", "0").strip().lower() in ("1", "true")
        elif name == rc and section == "cells" and cells and cells[-1] is None:
            if "t" not in a or "v" not in a:
                raise Refused(f"{part}: cell metadata <rc> without its t and v")
            cells[-1] = (_int(a["t"], part), _int(a["v"], part))

    def end(name):
        nonlocal section
        if name in (future, cell_md):
            section = ""
    reader.parse(part, start, end)
    out = set()
    for i, tv in enumerate(cells, start=1):
        if tv is not None:
            t, v = tv
            if 0 < t <= len(types) and types[t - 1] == "XLDAPR" and 0 <= v < len(flags) and flags[v]:
                out.add(i)
    return out


@functools.lru_cache(maxsize=4096)
def _moment(serial: str, epoch, duration: bool):
    """A date-formatted number as openpyxl reads it (None: out of range, openpyxl's #VALUE!)."""
    from .xlutils import from_excel
    try:
        return from_excel(_number(serial), epoch, timedelta=duration)
    except (OverflowError, ValueError):
        return None


def _data_table_text(a: dict) -> str:
    """A data table's formula as Excel shows it: ``TABLE(row input, column input)``."""
    r1, r2 = a.get("r1", ""), a.get("r2", "")
    if a.get("dt2D") in ("1", "true"):
        return f"=TABLE({r1},{r2})"
    return f"=TABLE({r1},)" if a.get("dtr") in ("1", "true") else f"=TABLE(,{r1})"


_REF = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")      # a cell reference as Excel writes it


class _Namespaced(Exception):
    """A namespace is declared below the root element: read the part with namespace processing."""


class _Fallback(Exception):
    """The fast reading of ``<sheetData>`` met what only the general reading reads: read it so."""


def _fast_read(title: str, fast_cells: int, odd_cells: int, rest: bool) -> None:
    """Called when a sheet's fast reading is kept: how many cells it read itself, how many odd
    cells it handed to expat, and whether it handed expat the rest of ``<sheetData>`` from a
    row on (all of it when it read no cell). Does nothing; the tests count through it what the
    fast path took."""


def _fast_strings(items: int) -> None:
    """Called when the shared strings' fast reading is kept, with how many items it read. Does
    nothing; the tests count through it what the fast path took."""


def _scan_sheet(reader: _Reader, part: str, sheet: ScanSheet, strings: list[str], dates: set[int],
                durations: set[int], epoch, dynamic_cm: set[int], fast: bool = True) -> None:
    """Read one worksheet part, cell by cell as openpyxl's ``WorkSheetParser.parse_cell`` does
    (its rules for a cell or a row without ``r``, its types), with one difference: a merged
    area's hidden cells keep what the file holds (Excel keeps and computes them).

    expat's namespace processing halves the speed, so a part is first read with element names as
    written, the main namespace's prefix taken from the root element; a part that declares any
    namespace below its root (its bytes hold ``xmlns`` more often than the root's attributes) is
    read again with namespace processing. Both readings name the same elements.

    ``fast``: ``<sheetData>``'s rows and cells of the shapes Excel and openpyxl write are read by
    regular expressions (:func:`_scan_sheet_as`); whatever goes wrong there (a malformed part
    included) reads the part again from its start the general way, which then succeeds or refuses
    in its own words."""
    args = (reader, part, sheet, strings, dates, durations, epoch, dynamic_cm)
    if fast:
        try:
            _scan_sheet_as(*args, False, True)
            return
        except Exception:  # noqa: BLE001 - anything at all: the general reading meets it again and names it
            _clear(sheet)
    try:
        _scan_sheet_as(*args, False)
    except _Namespaced:
        _clear(sheet)
        _scan_sheet_as(*args, True)


def _clear(sheet: ScanSheet) -> None:
    fresh = ScanSheet(sheet.title)
    for name in ScanSheet.__slots__:
        setattr(sheet, name, getattr(fresh, name))


# The fast reading of <sheetData> (:func:`_scan_sheet_as`, ``fast``): one regular expression splits
# it into tokens, each one of
#  1. the simple cell: ``<c r="B7" s="3" t="s">`` (s and t optional, in that order), holding
#     nothing or one ``<v>`` of plain text, or written ``<c .../>``; with the ``<row r="7"
#     spans="1:9">`` before it and the ``</row>`` after it, when they are there;
#  2. a cell with any attributes written name="value" after single spaces, an optional ``<f ...>``
#     (or ``<f .../>``), then an optional ``<v>``, their text plain or with the five predefined
#     entities (formulas: shared, array, data tables, dynamic arrays) (``_FULL_CELL``);
#  3. an odd cell: any other ``<c>`` element holding no ``<c`` or ``<row`` (inline strings,
#     references, CDATA, single quotes, line breaks in tags, ...), handed to expat alone;
#  4. a row tag with any attributes as in 2, or ``</row>``;
#  5. anything else but whitespace, one character at a time: expat reads <sheetData> from the
#     span of rows that holds it on (``_SPAN``), or all of it.
# Whitespace between tokens is skipped (character data the handlers ignore).
_NOT_XML = "\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"                 # characters XML 1.0 forbids
_ATTR_TEXT = rf'[A-Za-z_:][\w.:-]*="[^"<&\t\n\r{_NOT_XML}]*"'     # name="value": nothing to normalize
_ATTR = re.compile(rf' ([A-Za-z_:][\w.:-]*)="([^"<&\t\n\r{_NOT_XML}]*)"', re.A)
_TEXT = rf'(?:[^<&\r{_NOT_XML}]|&(?:lt|gt|amp|quot|apos);)*'     # character data, the 5 entities at most
_LEX_ATTRS = r"""(?:[ \t\r\n]+[^\s=<>/"']+[ \t\r\n]*=[ \t\r\n]*(?:"[^"<]*"|'[^'<]*'))*[ \t\r\n]*"""
_FULL_CELL = (rf'<c((?: {_ATTR_TEXT})*)(?:/>|>(?:(<f(?: {_ATTR_TEXT})*)(?:/>|>({_TEXT})</f>))?'
              rf'(?:<v>({_TEXT})</v>)?</c>)')
_TOKEN = re.compile(
    rf'(?:<row r="([0-9]+)"(?: spans="[0-9:]+")?>)?<c r="([A-Z]{{1,3}})([0-9]+)"(?: s="([0-9]+)")?'
    rf'(?: t="([A-Za-z]+)")?(?:/>|>(?:<v>([^<&\r{_NOT_XML}]*)</v>)?</c>)(</row>)?'
    rf'|({re.sub(r"[(](?![?])", "(?:", _FULL_CELL)}'
    rf'|<c{_LEX_ATTRS}(?:/>|>(?:[^<]|<(?!c[\s/>]|/?row[\s/>]))*?</c>)'
    rf'|<row(?: {_ATTR_TEXT})*/?>|</row>)'
    r'|([^ \t\r\n])', re.S | re.A)
_FULL_CELL = re.compile(_FULL_CELL, re.S | re.A)
_JUNK = operator.itemgetter(8)
# The shared strings' items as Excel, openpyxl and XlsxWriter write plain ones (:func:`_read_strings`),
# under a root that makes the main namespace the default one
_SST_ROOT = re.compile(rb'<sst xmlns="http://schemas\.openxmlformats\.org/spreadsheetml/2006/main"'
                       rb'(?: [A-Za-z_:][\w.:-]*="[^"<&\t\n\r]*")*>', re.A)
_SST_ITEM = re.compile(rf'<si><t(?: xml:space="preserve")?>({_TEXT})</t></si>|([^ \t\r\n])', re.S | re.A)
_SECOND = operator.itemgetter(1)
_FAST_MAX = 1 << 26                      # a part read whole for the fast reading at most (bytes)
_SPAN = 1 << 20                          # characters of <sheetData> split into tokens at a time


def _unescape(text: str) -> str:
    """Character data matched by ``_TEXT``: its five predefined entities, as XML reads them."""
    if "&" not in text:
        return text
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))


def _attrs(text: str) -> dict[str, str]:
    pairs = _ATTR.findall(text)
    a = dict(pairs)
    if len(a) != len(pairs):
        raise _Fallback("an attribute written twice")       # not well-formed: expat says where
    return a


def _scan_sheet_as(reader: _Reader, part: str, sheet: ScanSheet, strings: list[str], dates: set[int],
                   durations: set[int], epoch, dynamic_cm: set[int], namespaces: bool,
                   fast: bool = False) -> None:
    """:func:`_scan_sheet` with or without expat's namespace processing. The handlers are kept
    short (they run twice per element): the common cell, ``<c r= s=>`` holding one ``<v>``, costs
    two calls each way.

    ``fast`` (names as written only): the part's bytes are fed to expat up to and including
    ``<sheetData>`` and from ``</sheetData>`` on (the root's checks, a DTD, merges, filters, ...
    all read as before); in between, rows and cells of the shapes listed at ``_CELL_RE`` are read
    here and the rest handed to expat where it lies, so that expat reads exactly the part's bytes
    less whole rows and cells this reading took. Both readings place, type and store a cell through
    the same functions (:func:`begin_row`, :func:`place`, :func:`cell_done`) and share their state.
    The fast reading is taken only for a UTF-8 part whose main namespace is the default one, whose
    ``<sheetData>`` holds no comment, CDATA section, processing instruction, namespace declaration,
    ``]]>`` or character XML forbids; else expat reads all of it."""
    title = sheet.title
    _C, _V, _F, _IS, _ROW, _MERGE_CELL, _T, _R = map(_m, ("c", "v", "f", "is", "row", "mergeCell", "t", "r"))
    _FILTER, _FILTER_COLUMN, _SHEET_PR, _FORMAT_PR = map(_m, ("autoFilter", "filterColumn", "sheetPr", "sheetFormatPr"))
    _SHEET_DATA = _m("sheetData")
    values, formulas, arrays, errors, styles = sheet.values, sheet.formulas, sheet.arrays, sheet.errors, sheet.styles
    shared: dict[str, object] = {}
    p = _parser(part, namespaces)
    buf: list[str] = []
    p.CharacterDataHandler = buf.append      # every consumer clears it at its start tag
    ref_match, cols = _REF.fullmatch, _COLS
    root_xmlns = 0
    prefixes: set[str] = set()               # declared on the root (names as written)
    lead = None                              # the main namespace's prefix on the root, as "x:" or ""
    row_no = col_no = 0
    row_text = ""                            # the current row's r, as written
    max_row = max_col = 0
    last = 0                                 # the last cell's column in row max_row
    # The open cell: its attributes (None between cells) and its <v>'s text. What only a formula
    # or an inline string needs is kept apart and reset only when a cell had one (``special``):
    # the common cell, <c r= s= t=> holding one <v>, touches nothing else.
    cell: dict | None = None
    key: tuple = (title, 0, 0)
    v_text: str | None = None
    special = in_f = False
    f_attrs: dict | None = None
    f_text: str | None = None
    rich: _RichText | None = None
    inline: str | None = None
    sheet_data_at = -1                       # the byte index of <sheetData>'s start tag, as expat saw it
    encoding: str | None = None              # as the XML declaration names it

    def where(key) -> str:
        return f"sheet {title!r} cell {_letters(key[2])}{key[1]}"

    def root(name, a):
        # the worksheet element: the main namespace's prefix, unless expat resolves names itself
        nonlocal _C, _V, _F, _IS, _ROW, _MERGE_CELL, _T, _R, _FILTER, _FILTER_COLUMN, _SHEET_PR, _FORMAT_PR
        nonlocal _SHEET_DATA, root_xmlns, lead
        if namespaces:
            if name != _m("worksheet"):
                raise Refused(f"sheet {title!r} ({part}) is not a worksheet of the Open XML spreadsheet namespace "
                              "(Strict Open XML, or another format): save it as an Excel Workbook (.xlsx)")
        else:
            prefix, _, local = name.rpartition(":")
            if local != "worksheet" or a.get(f"xmlns:{prefix}" if prefix else "xmlns") != MAIN:
                raise _Namespaced               # the exact reading names what is wrong
            root_xmlns = sum(1 for k in a if k.startswith("xmlns"))
            prefixes.update(k[6:] for k in a if k.startswith("xmlns:"))
            lead = prefix + ":" if prefix else ""
            _C, _V, _F, _IS, _ROW, _MERGE_CELL, _T, _R = (lead + n for n in ("c", "v", "f", "is", "row", "mergeCell",
                                                                            "t", "r"))
            _FILTER, _FILTER_COLUMN, _SHEET_PR, _FORMAT_PR = (lead + n for n in ("autoFilter", "filterColumn", "sheetPr",
                                                                                 "sheetFormatPr"))
            _SHEET_DATA = lead + "sheetData"
        p.StartElementHandler = start

    def _forget(key) -> None:
        for d in (values, formulas, arrays, errors, styles, sheet.data_tables):
            d.pop(key, None)
        sheet.dynamic.discard(key)
        sheet.uncertain.discard(key)

    def begin_row(r: str | None, hidden: str | None, ht: str | None) -> None:
        """A ``<row>``: its number (openpyxl: the next one when r is missing), hidden or not."""
        nonlocal row_no, col_no, row_text
        if r is None:
            row_no += 1
            row_text = ""
        else:
            try:
                row_no = int(r)
            except ValueError:
                f = float(r)
                if not f.is_integer():
                    raise ValueError(f"row {r!r}") from None
                row_no = int(f)
            row_text = str(row_no) if 0 < row_no <= MAX_ROW else ""
        col_no = 0
        if hidden in ("1", "true") or ht in ("0", "0.0"):
            sheet.hidden_rows.add(row_no)

    def place(ref: str | None) -> tuple:
        """A ``<c>``'s key from its r (openpyxl: the next column when r is missing). A cell out of
        order may repeat one: what an earlier one stored is forgotten, the last one counts."""
        nonlocal col_no, max_row, max_col, last
        if ref and row_text and ref.endswith(row_text) and (col := cols.get(ref[:-len(row_text)])):
            row, col_no = row_no, col           # the common case: the row's number after known letters
        elif ref:
            m = ref_match(ref)
            try:
                if m is None:
                    row, col_no = _coordinate(ref.replace("$", ""))    # openpyxl reads "a1", "$A$1"
                else:
                    row, col_no = int(m.group(2)), _col(m.group(1))
            except ValueError:
                row = 0
            if not 0 < row <= MAX_ROW or col_no > MAX_COL:
                raise Refused(f"sheet {title!r}: cell reference {ref[:40]!r} is not a cell of Excel's grid")
        else:
            row, col_no = row_no, col_no + 1     # openpyxl: the next column of the current row
            if not 0 < row <= MAX_ROW or col_no > MAX_COL:
                raise Refused(f"sheet {title!r}: a cell without a reference falls outside Excel's grid")
        key = (title, row, col_no)
        if row > max_row:
            max_row = row
            last = col_no
        elif row < max_row or col_no <= last:
            _forget(key)
        else:
            last = col_no
        if col_no > max_col:
            max_col = col_no
        return key

    def cell_done(key: tuple, s: str | None, t: str | None, v: str | None, a: dict | None = None,
                  fa: dict | None = None, ftext: str | None = None, inline: str | None = None) -> None:
        """A cell read: its style index (``s``), and its formula (``<f>``'s attributes ``fa`` and
        text), else its constant typed as openpyxl types it from ``t``, the style and ``<v>``'s
        text (an inline string's text is ``inline``). ``a``: the cell's attributes, for ``cm``
        and ``vm``."""
        style = int(s) if s else 0
        if style:
            styles[key] = style
        if fa is not None:
            cm = a.get("cm") if a else None      # cell metadata: a dynamic array's mark, read for a formula only
            _formula(key, fa, ftext, int(cm) if cm else 0)
            return
        if t == "inlineStr":
            if inline is not None:
                values[key] = inline
            return
        if not v:
            return
        if (t is None or t == "n") and style not in dates:
            try:                                 # openpyxl's _cast_number
                values[key] = int(v) if v.isdigit() else float(v) if ("." in v or "E" in v or "e" in v) else int(v)
            except ValueError:
                raise Refused(f"{where(key)}: value {v[:40]!r} is not a number") from None
            return
        try:
            if t == "s":
                values[key] = strings[int(v)]
            elif t is None or t == "n":
                moment = _moment(v, epoch, style in durations)
                if moment is None:
                    errors[key] = "#VALUE!"   # openpyxl: a date serial out of range reads as #VALUE!
                else:
                    values[key] = moment
            elif t == "str":
                values[key] = v
            elif t == "b":
                values[key] = bool(int(v))
            elif t == "e":
                errors[key] = v
                if a and a.get("vm"):
                    sheet.uncertain.add(key)
            elif t == "d":
                from .xlutils import from_ISO8601
                values[key] = from_ISO8601(v)
            else:
                raise Refused(f"{where(key)}: cell type {t[:20]!r} is not one of Excel's")
        except (ValueError, IndexError, OverflowError):
            raise Refused(f"{where(key)}: value {v[:40]!r} does not fit its type {t or 'n'!r}") from None

    def start(name, a):
        nonlocal cell, key, v_text, special, in_f, f_attrs, f_text, rich, inline, sheet_data_at, max_row, max_col
        if name == _V:
            buf.clear()
            return
        if name == _C:
            key = place(a.get("r"))
            cell, v_text = a, None
            if special:
                special = in_f = False
                f_attrs = f_text = rich = inline = None
            return
        if not namespaces and ":" in name and name.partition(":")[0] not in prefixes:
            raise _Namespaced                    # an undeclared prefix: the exact reading refuses it
        if rich is not None:
            rich.start(name)
        elif name == _F:
            if cell is not None and f_attrs is None:
                f_attrs, in_f, special = a, True, True
                buf.clear()
        elif name == _IS:
            if cell is not None and inline is None:
                rich, special = _RichText(buf, _T, _R), True
        elif name == _ROW:
            begin_row(a.get("r"), a.get("hidden"), a.get("ht"))
        elif name == _MERGE_CELL:
            ref = a.get("ref", "")
            try:
                r2, c2 = _coordinate(ref.rpartition(":")[2].replace("$", ""))
            except ValueError:
                raise Refused(f"sheet {title!r}: merged area {ref[:40]!r} is not a range of Excel's grid") from None
            sheet.merged.append(ref)
            max_row, max_col = max(max_row, r2), max(max_col, c2)   # openpyxl counts a merge in the extent
        elif name == _FILTER:
            if sheet.auto_filter is None:        # the sheet's own (a custom view's comes after it)
                sheet.auto_filter = a.get("ref")
        elif name == _FILTER_COLUMN or name == _SHEET_PR and a.get("filterMode") in ("1", "true"):
            sheet.filtering = True
        elif name == _FORMAT_PR and a.get("zeroHeight") in ("1", "true"):
            sheet.hidden_by_default = True
        elif name == _SHEET_DATA and sheet_data_at < 0:
            sheet_data_at = p.CurrentByteIndex

    def end(name):
        nonlocal cell, v_text, in_f, f_text, rich, inline
        if name == _V:
            if v_text is None and cell is not None and not (special and (rich is not None or in_f)):
                v_text = "".join(buf)
            return
        if name != _C:
            if special:
                if rich is not None:
                    if rich.path:
                        rich.end()
                    else:
                        inline, rich = rich.content(), None
                elif in_f and name == _F:
                    f_text, in_f = "".join(buf), False
            return
        a = cell
        if a is None:
            return
        cell = None
        cell_done(key, a.get("s"), a.get("t"), v_text, a, f_attrs, f_text, inline)

    def _formula(key, fa, text, cm):
        formula = "=" + text if text else "="
        kind = fa.get("t")
        if kind == "array":
            arrays[key] = fa.get("ref", "")
            if cm in dynamic_cm:
                sheet.dynamic.add(key)
        elif kind == "shared":
            idx = fa.get("si")
            if idx in shared:
                formula = shared[idx].translate_formula(f"{_letters(key[2])}{key[1]}")
            elif formula != "=":
                from .tokenizer import Translator
                shared[idx] = Translator(formula, f"{_letters(key[2])}{key[1]}")
        elif kind == "dataTable":
            ref = fa.get("ref") or f"{_letters(key[2])}{key[1]}"
            sheet.data_tables[key] = ref
            arrays[key] = ref
            formula = _data_table_text(fa)
        formulas[key] = formula

    def declared(_version, enc, _standalone):
        nonlocal encoding
        encoding = enc

    def fast_chunks(data: bytes):
        """The part's bytes for expat, less the rows and cells read here (see above)."""
        nonlocal col_no, max_row, max_col, last, stats
        stats = (0, 0, True)                     # until the fast reading is done
        at = data.find(b"<sheetData>")
        stop = data.find(b"</sheetData>", at) if at >= 0 else -1
        if stop < 0:
            yield data
            return
        yield data[:at + 11]
        body = _plain_text(data[at + 11:stop], encoding) if sheet_data_at == at and lead == "" else None
        if body is None or "xmlns" in body:
            yield data[at + 11:]
            return
        tail, data = data[stop:], None           # the part is held once, as text
        fast_cells = odd_cells = 0
        in_row = False
        start = 0
        while start < len(body):                 # a span of rows at a time (a "</row>" ends a token)
            end = body.find("</row>", start + _SPAN)
            end = len(body) if end < 0 else end + 6
            tokens = _TOKEN.findall(body, start, end)
            if any(map(_JUNK, tokens)):          # expat reads on from here (whole rows were read before)
                if in_row:
                    raise _Fallback("a row left open")
                yield body[start:].encode() + tail
                stats = (fast_cells, odd_cells, True)
                return
            start = end
            for row_r, letters, digits, s, t, v, row_end, other, _junk in tokens:
                if letters:
                    if row_r:
                        if in_row:
                            raise _Fallback("a row inside a row")
                        in_row = True
                        begin_row(row_r, None, None)
                    # the in-order case of place(): the row's number after known letters, right of the last
                    if digits == row_text and (col := cols.get(letters)) and (
                            row_no > max_row or row_no == max_row and col > last):
                        max_row = row_no
                        last = col_no = col
                        if col > max_col:
                            max_col = col
                        key = (title, row_no, col)
                    else:
                        key = place(letters + digits)
                    cell_done(key, s, t or None, v)
                    fast_cells += 1
                    if row_end:
                        if not in_row:
                            raise _Fallback("</row> closing no row")     # not well-formed: expat says where
                        in_row = False
                elif other == "</row>":
                    if not in_row:
                        raise _Fallback("</row> closing no row")
                    in_row = False
                elif other.startswith("<row"):
                    if in_row:
                        raise _Fallback("a row inside a row")
                    a = _attrs(other[4:-2] if other.endswith("/>") else other[4:-1])
                    begin_row(a.get("r"), a.get("hidden"), a.get("ht"))
                    in_row = not other.endswith("/>")
                elif m := _FULL_CELL.fullmatch(other):
                    cell_attrs, f, ftext, cv = m.groups("")
                    a = _attrs(cell_attrs)
                    key = place(a.get("r"))
                    if f:
                        cell_done(key, a.get("s"), a.get("t"), _unescape(cv), a, _attrs(f[2:]), _unescape(ftext))
                    else:
                        cell_done(key, a.get("s"), a.get("t"), _unescape(cv), a)
                    fast_cells += 1
                else:
                    odd_cells += 1
                    yield other.encode()
        if in_row:
            raise _Fallback("a row left open")
        yield tail
        stats = (fast_cells, odd_cells, False)

    p.StartElementHandler = root
    chunks = stats = None
    if fast:
        if namespaces or reader.zf.getinfo(part).file_size > _FAST_MAX:
            raise _Fallback("too large")
        p.XmlDeclHandler = declared
        chunks = fast_chunks(reader.zf.read(part))
    try:
        xmlns = reader.parse(part, None, end, p, chunks)
    except ValueError as exc:
        raise Refused(f"sheet {title!r}: a malformed number in an attribute ({exc})") from None
    if not namespaces and xmlns > root_xmlns:
        raise _Namespaced
    sheet.max_row, sheet.max_col = max_row, max_col
    if stats is not None:
        _fast_read(title, *stats)


def _workbook(reader: _Reader, part: str) -> tuple[list[tuple[str, str]], bool, dict, list[tuple[dict, str]]]:
    """The workbook part: its sheets (name, relationship id), date1904, calcPr, defined names."""
    sheets: list[tuple[str, str]] = []
    flags = {"date1904": False}
    calc: dict[str, str] = {}
    names: list[tuple[dict, str]] = []
    buf: list[str] = []
    p = _parser(part)
    sheet_tag, pr_tag, calc_tag, name_tag = map(_m, ("sheet", "workbookPr", "calcPr", "definedName"))
    rid = f"{_REL}}}id"
    current: dict | None = None

    def start(name, a):
        nonlocal current
        if name == sheet_tag:
            sheets.append((a.get("name", ""), a.get(rid, "")))
        elif name == pr_tag:
            flags["date1904"] = a.get("date1904", "0").strip().lower() in ("1", "true")
        elif name == calc_tag:
            calc.update(a)
        elif name == name_tag:
            current = a
            buf.clear()
            p.CharacterDataHandler = buf.append

    def end(name):
        nonlocal current
        if name == name_tag and current is not None:
            names.append((current, "".join(buf)))
            current = None
            p.CharacterDataHandler = None
    reader.parse(part, start, end, p)
    return sheets, flags["date1904"], calc, names


def read_book(path, fast: bool = True) -> ScanBook:
    """Scan ``path`` (.xlsx/.xlsm). Raises :class:`Refused` for a file no reader should use (its
    reason in one line), :class:`Unsupported` for what this reader does not model (read it with
    openpyxl then), ``zipfile.BadZipFile``/``OSError`` for a file that is no zip at all.
    ``fast=False``: every sheet read by expat alone (the same result; tests compare the two)."""
    from .xlutils import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900
    reader = _Reader(Path(path))
    with reader.zf:
        wb_part = _workbook_part(reader)
        listed, date1904, calc, defined = _workbook(reader, wb_part)
        rels = reader.rels(wb_part)
        by_kind = {kind: target for kind, target in rels.values()}
        strings = _shared_strings(reader, by_kind.get("sharedStrings"), fast)
        formats, dates, durations = _formats(reader, by_kind.get("styles"))
        dynamic_cm = _dynamic_metadata(reader, by_kind.get("sheetMetadata"))
        epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        sheetnames: list[str] = []
        sheets: dict[str, ScanSheet] = {}
        for title, rid in listed:
            kind, target = rels.get(rid, ("", ""))
            if not kind:
                raise Refused(f"sheet {title!r} is listed in {wb_part} but has no part in the file")
            if kind != "worksheet":
                raise Unsupported(f"sheet {title!r} is a {kind}, not a worksheet")
            if target not in reader.parts:
                raise Refused(f"sheet {title!r} is listed in {wb_part} but its part {target} is missing")
            if title in sheets:
                raise Refused(f"sheet {title!r} is listed twice in {wb_part}")
            sheet = ScanSheet(title)
            _scan_sheet(reader, target, sheet, strings, dates, durations, epoch, dynamic_cm, fast)
            sheetnames.append(title)
            sheets[title] = sheet
        if not sheetnames:
            raise Refused(f"{wb_part} lists no worksheet")
        names: dict[str, str] = {}
        for a, value in defined:
            name = a.get("name", "")
            if "localSheetId" in a:
                idx = _int(a["localSheetId"], wb_part)
                if 0 <= idx < len(sheetnames) and not _PRINT_NAME.match(name):
                    sheets[sheetnames[idx]].names[name] = value
            else:
                names[name] = value
        return ScanBook(sheetnames, sheets, names, date1904, calc, formats)


_PRINT_NAME = re.compile(r"_xlnm\.[a-zA-Z]+")


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
        from .xlutils import get_column_letter
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
        from .xlutils import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900
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
