"""The values copy (``warrants recalc BOOK -o OUT``): every formula replaced by its value, spills
filled.

A value is written as Excel shows it, and as LibreOffice shows it too (:func:`cell_form`, the one
rule both writers below follow):

* an error as an error cell (``#NUM!``), and an infinite or NaN number as ``#NUM!`` (what
  ``--json`` reports and what Excel gives; openpyxl would write an empty ``<v/>``);
* a boolean as a boolean cell; a number format other than General is dropped from it (Excel
  ignores it for a boolean, LibreOffice would show 1 or 0 through it);
* a date or time in a cell not already formatted as one gets a date format without a
  "0:00:00" tail when it has no time of day (openpyxl's default for a ``datetime`` is
  ``yyyy-mm-dd h:mm:ss``);
* a text holding a line break wraps in its cell (else Excel shows one line), and so does a text
  longer than its column is wide when the next cell to its right holds something (Excel would
  clip it there; beside an empty cell it overflows, as in the source).

Two writers:

* :func:`copy_values` (what ``recalc -o`` runs, issue 19): the package is copied part by part,
  each part's bytes as they are (tables, charts, styles, defined names, pictures, comments), except
  the worksheets, streamed through expat: each formula cell's element is rewritten with its value
  and every other byte of the part copied as it was; the spilled cells the file does not hold yet
  are inserted in their rows. ``xl/styles.xml`` gains only the cell formats the rules above need;
  ``xl/calcChain.xml`` (the formulas' calculation order) is left out, there being no formulas
  left; an ``.xlsm`` copied to ``.xlsx`` loses its VBA parts. Nothing is loaded into openpyxl, so
  memory is the recalculation's plus one chunk of XML: a 4.2M-cell book took 2.1 GB and 102 s
  through openpyxl (bench/bench_values_copy.py). A formula in a merged area's hidden cell gets
  its value like any other (Excel keeps and computes it; openpyxl dropped it).
* :func:`write_values`: the same rules on a book loaded in openpyxl, for a caller that holds one.
"""
from __future__ import annotations

import datetime as _dt
import math
import posixpath
import re
import shutil
import zipfile
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from time import monotonic
from typing import NamedTuple
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from .xlsxscan import BUILTIN_FORMATS, is_date_format
from .xlutils import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, get_column_letter, to_excel

from .values import XLError

__all__ = ["CellForm", "cell_form", "copy_values", "write_values"]

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
TIME_FORMAT = "hh:mm:ss"
DURATION_FORMAT = "[h]:mm:ss"
DEFAULT_WIDTH = 8.43           # Excel's default column width, in characters
GENERAL = "General"


def _date_format(v) -> str | None:
    """The number format a date or time value needs, or None for any other value."""
    if isinstance(v, _dt.datetime):
        return DATE_FORMAT if v.time() == _dt.time(0) else DATETIME_FORMAT
    if isinstance(v, _dt.date):
        return DATE_FORMAT
    if isinstance(v, _dt.time):
        return TIME_FORMAT
    if isinstance(v, _dt.timedelta):
        return DURATION_FORMAT
    return None


class CellForm(NamedTuple):
    """How one value is written: ``kind`` ``"e"`` (error), ``"b"``, ``"n"``, ``"s"`` (text),
    ``"d"`` (a date or time, written as its serial number) or ``""`` (empty); the value itself;
    the number format the cell must get (None: keep its own); whether it must wrap. (A named
    tuple: one is made per cell of a values copy.)"""

    kind: str
    value: object
    number_format: str | None = None
    wrap: bool = False


def cell_form(v, number_format: str, wraps: bool, width: float, clipped: bool = True) -> CellForm:
    """The rules of the module's docstring for value ``v`` in a cell formatted ``number_format``,
    already wrapping or not, in a column ``width`` characters wide, whose right neighbour holds
    something (``clipped``) or not."""
    if isinstance(v, float) and not math.isfinite(v):
        return CellForm("e", "#NUM!")
    if isinstance(v, XLError):
        return CellForm("e", str(v))
    if v is None:
        return CellForm("", None)
    if isinstance(v, bool):
        return CellForm("b", v, GENERAL if number_format != GENERAL else None)
    if isinstance(v, (int, float)):
        return CellForm("n", v)
    if isinstance(v, str):
        return CellForm("s", v, None, not wraps and ("\n" in v or (clipped and len(v) > width)))
    fmt = _date_format(v)
    if fmt is not None:
        return CellForm("d", v, fmt if not is_date_format(number_format) else None)
    return CellForm("e", "#VALUE!")       # no other type reaches a cell; never a Python repr in one


# ----------------------------------------------------------------------------- openpyxl's book

def _width(ws, column: int, widths: dict) -> float:
    w = widths.get((ws.title, column))
    if w is None:
        dim = ws.column_dimensions.get(get_column_letter(column))
        w = widths[(ws.title, column)] = (dim.width if dim is not None and dim.width else DEFAULT_WIDTH)
    return w


def write_values(wb, result) -> None:
    """Replace every formula of ``wb`` (an openpyxl book) by its value in ``result`` (a Recalc)
    and fill the spilled cells, each written by :func:`cell_form`. A hidden cell of a merged
    area keeps what openpyxl kept (nothing: its ``MergedCell`` cannot hold a value)."""
    from openpyxl.cell.cell import MergedCell  # noqa: PLC0415 - openpyxl's body loads when a copy is written
    widths: dict = {}
    sheets = {}
    for (sheet, r, c) in result.cells():
        ws = sheets.get(sheet)
        if ws is None:
            ws = sheets[sheet] = wb[sheet]
        cell = ws.cell(row=r, column=c)
        if isinstance(cell, MergedCell):
            continue
        v = result.values.get((sheet, r, c))
        text = isinstance(v, str) and not isinstance(v, XLError)
        right = (sheet, r, c + 1)
        clipped = text and (result.values.get(right) if right in result.values else
                           ws.cell(r, c + 1).value if c < ws.max_column else None) is not None
        form = cell_form(v, cell.number_format, bool(cell.alignment.wrap_text), _width(ws, c, widths) if text else 0,
                         clipped)
        if form.kind == "e":
            cell.value = form.value
            cell.data_type = "e"
            continue
        cell.value = v
        if form.number_format is not None:
            cell.number_format = form.number_format
        if form.wrap:
            alignment = copy(cell.alignment)
            alignment.wrap_text = True
            cell.alignment = alignment


# ----------------------------------------------------------------------------- the streamed copy

class OutOfTime(Exception):
    """The copy passed its deadline; the message is the cell it had reached."""


class CopyError(Exception):
    """A book whose values copy cannot be streamed (one line naming the part and the place)."""


_CHUNK = 1 << 20
_TAG = re.compile(rb"""<[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""")     # one tag, '>' inside quotes allowed
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_MACRO_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_CONTROL = "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"       # characters XML 1.0 cannot hold
# in text also a carriage return, which XML reads back as a line feed (Excel writes _x000D_)
_ILLEGAL = re.compile(_CONTROL[:-1] + "\r]|_(?=x[0-9A-Fa-f]{4}_)")
_NOT_XML = re.compile(_CONTROL)
_ENCODING = re.compile(rb"""^<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']""")


def _parser():
    p = expat.ParserCreate()
    p.buffer_text = True

    def refuse(*_args):
        raise CopyError("declares a DTD or entities")
    p.StartDoctypeDeclHandler = refuse
    p.EntityDeclHandler = refuse
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return p


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _tag_end(buf, pos: int) -> int:
    m = _TAG.match(buf, pos)
    if m is None:
        raise CopyError(f"a tag at byte {pos} does not close")
    return m.end()


def _xml_text(text: str) -> str:
    """Text for an element's content: escaped, and what XML cannot hold written as Excel writes
    it (``_x0001_``; a literal ``_x0041_`` in the text as ``_x005F_x0041_``): ECMA-376 Part 1,
    22.9.2.19 ST_Xstring."""
    return escape(_ILLEGAL.sub(lambda m: "_x005F_" if m.group() == "_" else f"_x{ord(m.group()):04X}_", text))


def _attrs(a: dict) -> str:
    return "".join(f" {k}={quoteattr(_NOT_XML.sub('', v))}" for k, v in a.items())


_COLUMNS: dict[str, int] = {}           # at most 18,278 entries: one per column name


def _coordinate(ref: str) -> tuple[int, int]:
    letters = ref.rstrip("0123456789")
    col = _COLUMNS.get(letters)
    if col is None:
        if not letters.isalpha() or len(letters) > 3:
            raise ValueError(ref)
        col = 0
        for ch in letters.upper():
            col = col * 26 + ord(ch) - 64
        _COLUMNS[letters] = col
    return int(ref[len(letters):]), col


@dataclass
class _Package:
    workbook: str
    sheets: dict[str, str]                # part -> sheet title
    styles: str | None
    drop: set[str] = field(default_factory=set)
    content_types: dict[str, str] = field(default_factory=dict)   # part -> content type


def _read_xml(zf, part: str, start) -> None:
    p = _parser()
    p.StartElementHandler = start
    try:
        p.Parse(zf.read(part), True)
    except expat.ExpatError as exc:
        raise CopyError(f"{part} is not well-formed XML ({expat.ErrorString(exc.code)})") from None
    except CopyError as exc:
        raise CopyError(f"{part} {exc}") from None


def _rels(zf, names: set, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part) of ``part``."""
    folder, name = posixpath.split(part)
    rels_part = posixpath.join(folder, "_rels", name + ".rels")
    out = {}
    if rels_part not in names:
        return out

    def start(tag, a):
        if _local(tag) == "Relationship" and a.get("TargetMode") != "External":
            target = a.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out[a.get("Id", "")] = (a.get("Type", "").rsplit("/", 1)[-1], target)
    _read_xml(zf, rels_part, start)
    return out


def _package(zf, keep_macros: bool) -> _Package:
    names = set(zf.namelist())
    workbook = next((t for k, t in _rels(zf, names, "").values() if k == "officeDocument"), "xl/workbook.xml")
    rels = _rels(zf, names, workbook)
    listed: list[tuple[str, str]] = []

    def start(tag, a):
        if _local(tag) == "sheet":
            rid = next((v for k, v in a.items() if _local(k) == "id"), "")
            listed.append((a.get("name", ""), rid))
    _read_xml(zf, workbook, start)
    sheets = {rels[rid][1]: title for title, rid in listed if rid in rels and rels[rid][0] == "worksheet"}
    styles = next((t for k, t in rels.values() if k == "styles" and t in names), None)
    pkg = _Package(workbook, sheets, styles)

    def types(tag, a):
        if _local(tag) == "Override":
            pkg.content_types[a.get("PartName", "").lstrip("/")] = a.get("ContentType", "")
    if "[Content_Types].xml" in names:
        _read_xml(zf, "[Content_Types].xml", types)
    pkg.drop |= {t for k, t in rels.values() if k == "calcChain"}
    if not keep_macros:           # Excel refuses an .xlsx holding a VBA part
        vba = {t for k, t in rels.values() if k.lower().startswith("vbaproject")}
        vba |= {p for p, ct in pkg.content_types.items() if "vba" in ct.lower()}
        vba |= {n for n in names if n.lower().endswith(".bin") and "vbaproject" in n.lower()}
        pkg.drop |= vba
    pkg.drop |= {posixpath.join(posixpath.dirname(p), "_rels", posixpath.basename(p) + ".rels") for p in set(pkg.drop)}
    return pkg


def _without(data: bytes, element: str, keep) -> bytes:
    """``data`` (a small XML part) without the empty ``element`` tags whose attributes ``keep``
    refuses; every other byte as it was."""
    out, last = [], 0
    for m in re.finditer(rb"<(?:[\w.-]+:)?" + element.encode() + rb"\b", data):
        end = _tag_end(data, m.start())
        attrs = dict(re.findall(r"""([\w:.-]+)\s*=\s*["']([^"']*)["']""", data[m.start():end].decode("utf-8")))
        if not keep(attrs):
            out.append(data[last:m.start()])
            last = end
    out.append(data[last:])
    return b"".join(out)


class _Styles:
    """``xl/styles.xml``: each cell format's number format and wrapping, and the formats the copy
    adds (each a copy of the cell's own with one change), written back byte for byte otherwise."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.xfs: list[tuple[int, int, int, bool]] = []     # (start, end, numFmtId, wraps)
        self.codes: dict[int, str] = {}
        self.added_formats: list[tuple[int, str]] = []
        self.added_xfs: list[bytes] = []
        self.variants: dict[tuple[int, str | None, bool], int] = {}
        self.spans: dict[str, tuple[int, int, bool]] = {}   # element -> (start, end of start tag, empty)
        p = _parser()
        stack: list[list] = []
        path: list[str] = []

        def start(tag, a):
            pos = p.CurrentByteIndex
            name = _local(tag)
            parent = path[-1] if path else ""
            path.append(name)
            if name in ("styleSheet", "numFmts", "cellXfs") and name not in self.spans:
                self.spans[name] = (pos, _tag_end(data, pos), False)
                self.prefix = tag[:-len(name)] if name == "styleSheet" else getattr(self, "prefix", "")
            elif name == "numFmt" and parent == "numFmts":
                try:
                    self.codes[int(a.get("numFmtId", ""))] = a.get("formatCode", "")
                except ValueError:
                    pass
            elif name == "xf" and parent == "cellXfs":
                try:
                    fid = int(a.get("numFmtId", "0"))
                except ValueError:
                    fid = 0
                stack.append([pos, fid, False])
            elif name == "alignment" and parent == "xf" and stack and len(path) == 4:
                stack[-1][2] = a.get("wrapText", "0").lower() in ("1", "true")

        def end(tag):
            pos = p.CurrentByteIndex
            name = path.pop()
            if name == "xf" and path and path[-1] == "cellXfs" and stack:
                s, fid, wraps = stack.pop()
                close = pos if not data.startswith(b"</", pos) or pos == _tag_end(data, s) else _tag_end(data, pos)
                self.xfs.append((s, close, fid, wraps))
            elif name in ("numFmts", "cellXfs") and name in self.spans:
                s, e, _ = self.spans[name]
                if e == pos and data[e - 2:e] == b"/>":
                    self.spans[name] = (s, e, True)
                else:
                    self.spans[name + "/"] = (pos, pos, False)      # where its end tag starts
        p.StartElementHandler, p.EndElementHandler = start, end
        try:
            p.Parse(data, True)
        except expat.ExpatError as exc:
            raise CopyError(f"styles part is not well-formed XML ({expat.ErrorString(exc.code)})") from None

    def number_format(self, s: int) -> str:
        if not 0 <= s < len(self.xfs):
            return GENERAL
        fid = self.xfs[s][2]
        return self.codes.get(fid, BUILTIN_FORMATS.get(fid, GENERAL))

    def wraps(self, s: int) -> bool:
        return 0 <= s < len(self.xfs) and self.xfs[s][3]

    def variant(self, s: int, number_format: str | None, wrap: bool) -> int:
        """The index of cell format ``s`` with ``number_format`` and/or wrapping (added once)."""
        if not self.xfs or "cellXfs" not in self.spans or self.spans["cellXfs"][2]:
            return s                  # no cell formats to copy from: the value alone
        key = (s, number_format, wrap)
        got = self.variants.get(key)
        if got is not None:
            return got
        base = s if 0 <= s < len(self.xfs) else 0
        start, end, _fid, _wraps = self.xfs[base]
        xf = self.data[start:end].decode("utf-8")
        head_end = _tag_end(self.data, start) - start
        head, rest = xf[:head_end], xf[head_end:]
        if number_format is not None:
            head = _set_attr(_set_attr(head, "numFmtId", str(self._format_id(number_format))), "applyNumberFormat", "1")
        if wrap:
            head = _set_attr(head, "applyAlignment", "1")
            prefix = head[1:head.index("xf")]
            if re.search(r"<(?:[\w.-]+:)?alignment\b", rest):
                rest = re.sub(r"<((?:[\w.-]+:)?alignment)\b([^>]*?)(/?>)",
                              lambda m: "<" + m.group(1) + _set_attr(m.group(2), "wrapText", "1") + m.group(3), rest, 1)
            elif head.endswith("/>"):
                head, rest = head[:-2].rstrip() + ">", f'<{prefix}alignment wrapText="1"/></{prefix}xf>'
            else:
                rest = f'<{prefix}alignment wrapText="1"/>' + rest
        self.added_xfs.append((head + rest).encode("utf-8"))
        got = self.variants[key] = len(self.xfs) + len(self.added_xfs) - 1
        return got

    def _format_id(self, code: str) -> int:
        for fid, text in BUILTIN_FORMATS.items():
            if text == code:
                return fid
        for fid, text in [*self.codes.items(), *self.added_formats]:
            if text == code:
                return fid
        fid = max([163, *self.codes, *(f for f, _ in self.added_formats)]) + 1
        self.added_formats.append((fid, code))
        return fid

    def render(self) -> bytes | None:
        """The part with the added formats, or None when nothing was added."""
        if not self.added_xfs:
            return None
        data, edits = self.data, []            # (start, end, replacement), applied back to front
        pre = getattr(self, "prefix", "")
        if self.added_formats:
            new = "".join(f'<{pre}numFmt numFmtId="{fid}" formatCode={quoteattr(code)}/>'
                          for fid, code in self.added_formats).encode("utf-8")
            count = len(self.codes) + len(self.added_formats)
            if "numFmts" in self.spans and not self.spans["numFmts"][2]:
                s, e, _ = self.spans["numFmts"]
                edits.append((s, e, _set_attr(data[s:e].decode("utf-8"), "count", str(count)).encode("utf-8")))
                at = self.spans["numFmts/"][0]
                edits.append((at, at, new))
            elif "numFmts" in self.spans:
                s, e, _ = self.spans["numFmts"]
                edits.append((s, e, f'<{pre}numFmts count="{count}">'.encode() + new + f"</{pre}numFmts>".encode()))
            else:
                at = self.spans["styleSheet"][1]
                edits.append((at, at, f'<{pre}numFmts count="{count}">'.encode() + new + f"</{pre}numFmts>".encode()))
        s, e, _ = self.spans["cellXfs"]
        edits.append((s, e, _set_attr(data[s:e].decode("utf-8"), "count",
                                      str(len(self.xfs) + len(self.added_xfs))).encode("utf-8")))
        at = self.spans["cellXfs/"][0]
        edits.append((at, at, b"".join(self.added_xfs)))
        for s, e, new in sorted(edits, key=lambda t: (t[0], t[1]), reverse=True):
            data = data[:s] + new + data[e:]
        return data


def _set_attr(tag: str, name: str, value: str) -> str:
    """``tag`` (a start tag's text, or its attributes) with attribute ``name`` set to ``value``."""
    pattern = re.compile(r"(\s" + re.escape(name) + r"""\s*=\s*)(["'])[^"']*\2""")
    if pattern.search(tag):
        return pattern.sub(lambda m: f'{m.group(1)}"{value}"', tag, 1)
    close = "/>" if tag.endswith("/>") else ">" if tag.endswith(">") else ""
    body = tag[:len(tag) - len(close)].rstrip() if close else tag.rstrip()
    return f'{body} {name}="{value}"{close}'


class _Sheet:
    """One worksheet part streamed from ``src`` to ``dst``: the cells of ``targets`` (sorted
    (row, column) pairs, each with its value in ``values``) rewritten or inserted, every other
    byte copied."""

    def __init__(self, part: str, title: str, targets: list, values: dict, styles: _Styles | None,
                 epoch, dst) -> None:
        self.part, self.title, self.targets, self.values = part, title, targets, values
        self.styles, self.epoch, self.dst = styles, epoch, dst
        self.i = 0                            # next target not yet written
        self.buf = bytearray()
        self.base = 0                         # offset of buf[0] in the part
        self.flushed = 0                      # bytes before it are written out (or left out)
        self.done = 0                         # bytes before it are parsed and needed no more
        self.out: list = []
        self.cols: list[tuple[int, int, float]] = []
        self.default_width = DEFAULT_WIDTH
        self.widths: dict[int, float] = {}
        self.prefix = ""
        self.row = 0
        self.row_start = -1                   # a <row> whose first child is not seen yet (may be <row/>)
        self.col = 0
        self.cell: tuple | None = None        # (start, row, col, attrs, rewrite)
        self.formula: tuple[int, int] | None = None
        self.in_data = False
        self.data_start = -1
        self.pending: tuple | None = None     # (slot in out, row, col, attrs): a text waiting for its neighbour
        self.filled = False                   # the current cell holds a value (<v> or <is>)
        self.names: dict[str, str] = {}       # element name as written -> local name
        self.closings: dict[str, bytes] = {}  # element name as written -> its end tag
        self.style_info: dict = {}            # s as written -> (index, s kept, number format, wraps)

    # -- output
    def copy_to(self, pos: int) -> None:
        if pos > self.flushed:
            self.out.append(bytes(self.buf[self.flushed - self.base:pos - self.base]))
            self.flushed = pos

    def write(self, text: str) -> None:
        self.out.append(text.encode("utf-8"))

    def drain(self) -> None:
        if self.cell is None and self.row_start < 0 and self.data_start < 0:
            self.copy_to(self.done)
        ready = self.out if self.pending is None else self.out[:self.pending[0]]
        if ready:
            self.dst.write(b"".join(ready))
            if self.pending is None:
                self.out.clear()
            else:
                del self.out[:self.pending[0]]
                self.pending = (0, *self.pending[1:])
        cut = min(self.flushed, self.done) - self.base
        if cut > 0:
            del self.buf[:cut]
            self.base += cut

    # -- what a target cell becomes
    def width(self, col: int) -> float:
        w = self.widths.get(col)
        if w is None:
            w = next((width for lo, hi, width in self.cols if lo <= col <= hi), self.default_width)
            self.widths[col] = w
        return w

    def form(self, row: int, col: int, attrs: dict, clipped: bool = True) -> tuple[CellForm, str | None, int]:
        """The cell's :class:`CellForm`, its style attribute and style index as written."""
        v = self.values.get((self.title, row, col))
        s = attrs.get("s")
        known = self.style_info.get(s)
        if known is None:
            try:
                style = int(s) if s is not None else 0
            except ValueError:
                style = 0                     # not a style index: left out
            styles = self.styles
            known = self.style_info[s] = (style, None if s is not None and str(style) != s.strip() else s,
                                          styles.number_format(style) if styles else GENERAL,
                                          styles.wraps(style) if styles else False)
        style, s, number_format, wraps = known
        text_value = isinstance(v, str) and not isinstance(v, XLError)
        form = cell_form(v, number_format, wraps, self.width(col) if text_value else 0, clipped)
        return form, s, style

    def cell_xml(self, row: int, col: int, attrs: dict, clipped: bool = True, form=None) -> str:
        form, s, style = form or self.form(row, col, attrs, clipped)
        styles = self.styles
        if styles is not None and (form.number_format is not None or form.wrap):
            style = styles.variant(style, form.number_format, form.wrap)
            s = str(style)
        if len(attrs) <= 2 and attrs.keys() <= {"r", "s"}:        # the common cell: r and s need no escaping
            head = f' r="{attrs["r"]}"' if "r" in attrs else f' r="{get_column_letter(col)}{row}"'
            if s is not None:
                head += f' s="{s}"'
        else:
            kept = {k: val for k, val in attrs.items() if k not in ("t", "cm", "vm", "s")}
            kept.setdefault("r", f"{get_column_letter(col)}{row}")
            if s is not None:
                kept["s"] = s
            head = _attrs(kept)
        p = self.prefix
        kind = form.kind
        if kind == "n":
            v = form.value
            if type(v) is float:
                text = str(int(v)) if v.is_integer() and abs(v) < 2 ** 53 else repr(v)
            else:
                text = str(int(v))
            return f"<{p}c{head}><{p}v>{text}</{p}v></{p}c>"
        if kind == "":
            return f"<{p}c{head}/>"
        if kind == "e":
            return f'<{p}c{head} t="e"><{p}v>{escape(form.value)}</{p}v></{p}c>'
        if kind == "b":
            return f'<{p}c{head} t="b"><{p}v>{int(form.value)}</{p}v></{p}c>'
        if kind == "s":
            space = ' xml:space="preserve"' if form.value != form.value.strip() or "\n" in form.value else ""
            return f'<{p}c{head} t="inlineStr"><{p}is><{p}t{space}>{_xml_text(form.value)}</{p}t></{p}is></{p}c>'
        v = _serial(form.value, self.epoch)             # a date or time: its serial number
        text = str(int(v)) if v.is_integer() and abs(v) < 2 ** 53 else repr(v)
        return f"<{p}c{head}><{p}v>{text}</{p}v></{p}c>"

    def emit(self, row: int, col: int, attrs: dict) -> None:
        """Write target cell (row, col); a text that wraps only if its right neighbour holds something
        waits for that neighbour (:meth:`settle`)."""
        self.settle(row, col, self.values.get((self.title, row, col)) is not None)
        form = self.form(row, col, attrs, True)
        if form[0].wrap and form[0].kind == "s" and "\n" not in form[0].value:
            self.out.append(b"")
            self.pending = (len(self.out) - 1, row, col, attrs)
            return
        self.write(self.cell_xml(row, col, attrs, form=form))

    def settle(self, row: int, col: int, filled: bool) -> None:
        """The cell at (row, col) is known to hold something (``filled``) or not: a text waiting at
        its left is written, wrapped if that neighbour would clip it."""
        if self.pending is None:
            return
        slot, r, c, attrs = self.pending
        self.pending = None
        self.out[slot] = self.cell_xml(r, c, attrs, filled and row == r and col == c + 1).encode("utf-8")

    def insert_until(self, row: int, col: int) -> None:
        """Write the targets before (row, col) that the file does not hold, in new rows where
        they are in rows of their own."""
        targets = self.targets
        while self.i < len(targets) and targets[self.i] < (row, col):
            r, c = targets[self.i]
            self.i += 1
            if r == self.row:
                self.emit(r, c, {})
                continue
            self.settle(0, 0, False)
            self.write(f'<{self.prefix}row r="{r}">')
            self.emit(r, c, {})
            while self.i < len(targets) and targets[self.i][0] == r and targets[self.i] < (row, col):
                self.i += 1
                self.emit(r, targets[self.i - 1][1], {})
            self.settle(0, 0, False)
            self.write(f"</{self.prefix}row>")

    # -- the parse
    def run(self, src, deadline: float | None = None) -> None:
        p = self.p = _parser()
        p.StartElementHandler, p.EndElementHandler = self.start, self.end
        try:
            while chunk := src.read(_CHUNK):
                if not self.buf and self.base == 0:
                    declared = _ENCODING.match(chunk.removeprefix(b"\xef\xbb\xbf"))
                    if chunk[:2] in (b"\xff\xfe", b"\xfe\xff") or (
                            declared and declared.group(1).lower() not in (b"utf-8", b"utf8")):
                        raise CopyError("not encoded in UTF-8 (the values copy writes UTF-8 into it)")
                self.buf += chunk
                p.Parse(chunk, False)
                if deadline is not None and monotonic() > deadline:
                    raise OutOfTime(f"{self.title}!{get_column_letter(max(self.col, 1))}{max(self.row, 1)}")
                self.drain()
            p.Parse(b"", True)
        except expat.ExpatError as exc:
            raise CopyError(f"{self.part} is not well-formed XML (line {exc.lineno}, column {exc.offset}: "
                            f"{expat.ErrorString(exc.code)})") from None
        except CopyError as exc:
            raise CopyError(f"{self.part}: {exc}") from None
        self.settle(0, 0, False)
        self.done = self.base + len(self.buf)
        self.drain()

    def start(self, tag, a):
        name = self.names.get(tag)
        if name is None:
            name = self.names[tag] = _local(tag)
        if self.row_start >= 0:
            self.row_start = -1
        if self.data_start >= 0:
            self.data_start = -1
        if name == "v" or name == "is":
            self.filled = True
        elif name == "c" and self.in_data:
            pos = self.p.CurrentByteIndex
            ref = a.get("r")
            try:
                row, col = _coordinate(ref) if ref else (self.row, self.col + 1)
            except ValueError:
                raise CopyError(f"cell reference {ref!r} at byte {pos}") from None
            if row != self.row or col <= self.col:
                raise CopyError(f"cell {ref or col} is out of Excel's order in row {self.row} "
                                "(the values copy needs the cells in order)")
            self.col = col
            targets = self.targets
            if self.i < len(targets) and targets[self.i] < (row, col):
                self.copy_to(pos)
                self.insert_until(row, col)
            rewrite = self.i < len(targets) and targets[self.i] == (row, col)
            if rewrite:
                self.i += 1
            self.cell = (pos, row, col, a, rewrite)
            self.formula = None
            self.filled = False
        elif name == "f" and self.cell is not None and not self.cell[4]:
            self.formula = (self.p.CurrentByteIndex, -1)
        elif name == "row" and self.in_data:
            pos = self.p.CurrentByteIndex
            r = a.get("r")
            try:
                row = int(r) if r else self.row + 1
            except ValueError:
                raise CopyError(f"row number {r!r} at byte {pos}") from None
            if row <= self.row:
                raise CopyError(f"row {row} is out of Excel's order (after row {self.row})")
            self.settle(0, 0, False)
            if self.i < len(self.targets) and self.targets[self.i][0] < row:
                self.copy_to(pos)
                self.insert_until(row, 0)
            self.row, self.col = row, 0
            self.row_start = pos
        elif name == "sheetData":
            self.in_data = True
            self.prefix = tag[:-len(name)]
            self.data_start = self.p.CurrentByteIndex
        elif name == "col":
            try:
                self.cols.append((int(a.get("min", "0")), int(a.get("max", "0")), float(a.get("width", DEFAULT_WIDTH))))
            except ValueError:
                pass
        elif name == "sheetFormatPr" and "defaultColWidth" in a:
            try:
                self.default_width = float(a["defaultColWidth"])
            except ValueError:
                pass

    def _close(self, pos: int, name: str, tag: str) -> tuple[int, bool]:
        """(end offset, empty element?) of the element ``name`` (written ``tag``) whose end event is at ``pos``."""
        buf, at = self.buf, pos - self.base
        closing = self.closings.get(tag)
        if closing is None:
            closing = self.closings[tag] = f"</{tag}>".encode("utf-8")
        if buf.startswith(closing, at):
            return pos + len(closing), False
        if buf.startswith(b"</", at):
            end = _tag_end(buf, at)
            if _local(buf[at + 2:end - 1].decode("utf-8").strip()) == name:
                return self.base + end, False
        return pos, True                      # an empty element: the event comes after its "/>"

    def end(self, tag):
        name = self.names.get(tag) or _local(tag)
        if name == "v" or name == "is" or name == "t":
            return
        pos = self.p.CurrentByteIndex
        if name == "c" and self.cell is not None:
            start, row, col, attrs, rewrite = self.cell
            end, _empty = self._close(pos, "c", tag)
            if rewrite:
                self.copy_to(start)
                self.emit(row, col, attrs)
                self.flushed = end
            else:
                self.settle(row, col, self.filled)
                if self.formula is not None and self.formula[1] > 0:
                    f0, f1 = self.formula          # a formula the recalculation did not list: its cached value kept
                    self.copy_to(f0)
                    self.flushed = f1
            self.cell = None
            self.done = end
        elif name == "f" and self.formula is not None:
            self.formula = (self.formula[0], self._close(pos, "f", tag)[0])
        elif name == "row" and self.in_data:
            end, empty = self._close(pos, "row", tag)
            if self.i < len(self.targets) and self.targets[self.i][0] == self.row:
                if empty:                      # <row r="5"/>: opened to hold its cells
                    head = bytes(self.buf[self.row_start - self.base:end - self.base]).decode("utf-8")
                    self.copy_to(self.row_start)
                    self.write(head[:-2].rstrip() + ">")
                    self.insert_until(self.row + 1, 0)
                    self.settle(0, 0, False)
                    self.write(f"</{self.prefix}row>")
                    self.flushed = end
                else:
                    self.copy_to(pos)
                    self.insert_until(self.row + 1, 0)
            self.settle(0, 0, False)
            self.row_start = -1
            self.done = end
        elif name == "sheetData":
            end, empty = self._close(pos, "sheetData", tag)
            self.settle(0, 0, False)
            if self.i < len(self.targets):
                if empty:
                    head = bytes(self.buf[self.data_start - self.base:end - self.base]).decode("utf-8")
                    self.copy_to(self.data_start)
                    self.write(head[:-2].rstrip() + ">")
                    self.insert_until(MAX_ROW + 1, 0)
                    self.write(f"</{self.prefix}sheetData>")
                    self.flushed = end
                else:
                    self.copy_to(pos)
                    self.insert_until(MAX_ROW + 1, 0)
            self.in_data = False
            self.data_start = -1
            self.done = end


MAX_ROW = 1_048_576


def _serial(v, epoch) -> float:
    if isinstance(v, _dt.timedelta):
        return v.total_seconds() / 86400.0
    return float(to_excel(v, epoch))


def _copy_part(zin, info, zout, data: bytes | None = None) -> None:
    out = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    out.compress_type = info.compress_type if info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) \
        else zipfile.ZIP_DEFLATED
    out.external_attr = info.external_attr
    if data is not None:
        zout.writestr(out, data)
        return
    with zin.open(info) as src, zout.open(out, "w", force_zip64=info.file_size > 1 << 29) as dst:
        shutil.copyfileobj(src, dst, _CHUNK)


def write_copy(source, result, target, *, keep_macros: bool, deadline: float | None = None) -> None:
    """Write the values copy of ``source`` (a workbook file) with ``result``'s values to
    ``target`` (a new file), as the module's docstring says. Raises :class:`CopyError`."""
    epoch = CALENDAR_MAC_1904 if result.date1904 else CALENDAR_WINDOWS_1900
    by_sheet: dict[str, list] = {}
    for sheet, r, c in result.cells():
        by_sheet.setdefault(sheet, []).append((r, c))
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zout:
        pkg = _package(zin, keep_macros)
        styles = _Styles(zin.read(pkg.styles)) if pkg.styles else None
        later = []
        for info in zin.infolist():
            name = info.filename
            if name in pkg.drop:
                continue
            if name in pkg.sheets:
                title = pkg.sheets[name]
                out = zipfile.ZipInfo(name, date_time=info.date_time)
                out.compress_type = zipfile.ZIP_DEFLATED
                with zin.open(info) as src, zout.open(out, "w", force_zip64=info.file_size > 1 << 29) as dst:
                    _Sheet(name, title, by_sheet.get(title, []), result.values, styles, epoch, dst).run(src, deadline)
            elif name == pkg.styles:
                later.append(info)            # written once the sheets have asked for their formats
            elif name == "[Content_Types].xml":
                data = _without(zin.read(name), "Override", lambda a: a.get("PartName", "").lstrip("/") not in pkg.drop)
                if not keep_macros:
                    data = _without(data, "Default", lambda a: "vba" not in a.get("ContentType", "").lower())
                    data = data.replace(_MACRO_TYPE.encode(), _MAIN_TYPE.encode())
                _copy_part(zin, info, zout, data)
            elif name.endswith(".rels") and "/_rels/" in "/" + name:
                folder = posixpath.dirname(posixpath.dirname(name))

                def keep(a, folder=folder):
                    target = a.get("Target", "")
                    if a.get("TargetMode") == "External":
                        return True
                    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                        posixpath.join(folder, target))
                    return part not in pkg.drop
                data = zin.read(name)
                _copy_part(zin, info, zout, _without(data, "Relationship", keep) if pkg.drop else data)
            else:
                _copy_part(zin, info, zout)
        for info in later:
            rendered = styles.render() if styles is not None else None
            _copy_part(zin, info, zout, rendered)


def copy_values(source, result, out, *, time_limit: float | None = None, started: float | None = None) -> Path:
    """Write the values copy of workbook ``source`` recalculated as ``result`` to ``out``, the safe
    way (addin/safewrite.py: a temporary file beside it, one atomic rename; the source is only
    read). A macro-enabled book copied to ``.xlsx`` loses its macros. Raises ``BookError`` with one
    line for a place or a book the copy refuses, and when the copy passes ``time_limit`` seconds
    counted from ``started`` (a ``time.monotonic()`` value; default: now), naming the cell it had
    reached (nothing is written)."""
    from addin.safewrite import OutputError, write_atomic  # noqa: PLC0415

    from .bookio import BookError, check_output  # noqa: PLC0415
    out = check_output(out, source)
    keep_macros = out.suffix.lower() == ".xlsm"
    started = monotonic() if started is None else started
    deadline = None if time_limit is None else started + time_limit
    try:
        return write_atomic(out, lambda tmp: write_copy(source, result, tmp, keep_macros=keep_macros, deadline=deadline))
    except OutOfTime as exc:
        raise BookError(f"{source}: values copy stopped at {exc} after {monotonic() - started:.0f} s, past its time "
                        f"limit of {time_limit:g} s (--time-limit SECONDS raises it; 0: none); nothing written") from None
    except OutputError as exc:
        raise BookError(str(exc)) from None
    except CopyError as exc:
        raise BookError(f"{source}: no values copy written: {exc}") from None
    except (zipfile.BadZipFile, KeyError) as exc:
        raise BookError(f"{source}: no values copy written: damaged zip archive ({exc})") from None
