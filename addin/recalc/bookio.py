"""Load and write workbooks safely: one-line errors for bad files, caps, atomic writes.

Bad files raise :class:`BookError` (one line, names the file): not a regular file
(a FIFO, a device), not a workbook, a corrupt zip, a password-protected file (an
encrypted workbook is an OLE compound file, not a zip), a legacy ``.xls``, a missing
named range, a book over one of the file-level caps (:class:`Caps`), and whatever
the sheet reader (:mod:`addin.recalc.xlsxscan`) refuses: a part declaring a DTD or entities,
XML that is not well-formed, a sheet listed without its part, a damaged
``xl/metadata.xml``. Every book is read by that reader first, the one that is saved
again (a values copy) by openpyxl as well, which parses with ``defusedxml``.

Reading a loaded book's cells for the recalculation is one function,
:func:`read_cells`, so that a faster reader can replace it.
"""
from __future__ import annotations

import os
import re
import stat
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .parse import parse_area

__all__ = ["BookError", "Caps", "CAPS", "BookCells", "check_output", "load_book", "read_cells",
           "require_names", "save_atomic", "named_range", "dynamic_anchors", "mark_dynamic"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class BookError(Exception):
    """A workbook that cannot be used; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class Caps:
    """File-level caps: a book over one is refused whole (one line, exit 2). Per-formula caps
    (a range or array over ``max_range_cells``) give an error in that cell only."""

    max_part_bytes: int = 256 * 1024 * 1024     # one uncompressed part of the zip (a sheet's XML)
    max_total_bytes: int = 1024 * 1024 * 1024   # all parts together, uncompressed
    max_cells: int = 5_000_000                  # cells in the used areas of all sheets
    max_range_cells: int = 5_000_000            # cells one formula may read or produce


CAPS = Caps()


def _sniff(path: Path) -> None:
    if not path.exists():
        raise BookError(f"{path}: no such file")
    if path.is_dir():
        raise BookError(f"{path}: is a directory, not a workbook")
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; a workbook is a regular file
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise BookError(f"{path}: not a regular file (a FIFO, device or socket), not a workbook")
            head = os.read(fd, 8)
        finally:
            os.close(fd)
    except OSError as exc:
        raise BookError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if head == _OLE_MAGIC:
        raise BookError(f"{path}: password-protected (encrypted) or legacy .xls workbook; "
                        "save it unprotected as .xlsx/.xlsm")
    if not head.startswith(b"PK"):
        raise BookError(f"{path}: not an Excel workbook (.xlsx/.xlsm)")
    if not zipfile.is_zipfile(path):
        raise BookError(f"{path}: corrupt workbook (damaged zip archive)")


def _check_sizes(path: Path, caps: Caps) -> None:
    """Refuse a zip whose parts would inflate beyond the caps, before anything is inflated
    (the declared size is binding: zipfile stops there and a lying header fails its CRC)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError):
        raise BookError(f"{path}: corrupt workbook (damaged zip archive)") from None
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > caps.max_part_bytes:
            raise BookError(f"{path}: part {info.filename} is {info.file_size:,} bytes uncompressed, over the cap "
                            f"of {caps.max_part_bytes:,}")
    if total > caps.max_total_bytes:
        raise BookError(f"{path}: {total:,} bytes uncompressed, over the cap of {caps.max_total_bytes:,}")


def load_book(path, *, data_only: bool = False, caps: Caps = CAPS, read_only: bool = False,
              scan_cells: bool = False):
    """Open a workbook (formulas kept), or raise BookError with one line.

    Every book is read by :mod:`addin.recalc.xlsxscan` first (the cells, names and settings openpyxl
    reads, several times faster, and the hidden cells of merged areas, which openpyxl drops),
    which refuses what no reader should use. ``read_only``: the book is only read (recalculated,
    checked), never saved, and the scan is the book; otherwise openpyxl loads it as well, to be
    saved. ``scan_cells`` (with an openpyxl book): the recalculation reads the scan's cells
    (:func:`read_cells`), for a caller that recalculates the book as loaded (``recalc -o``); a
    caller that edits the book in memory first leaves it False, so its edits are what is
    recalculated (a scan read before them would be stale). openpyxl alone reads what the scan
    does not model (chartsheets).

    A defined name that refers to a deleted range (``#REF!``) is kept: it is an error only in
    the cells of a formula that uses it, as in Excel."""
    path = Path(path)
    _sniff(path)
    _check_sizes(path, caps)
    scanned = _scanned(path) if not data_only else None
    if scanned is not None:
        _check_scan(path, scanned.scan, caps)
    wb = scanned if read_only and scanned is not None else _openpyxl_book(path, data_only)
    if scan_cells and scanned is not None and wb is not scanned:
        wb._warrants_scan = scanned          # noqa: SLF001 - read_cells reads the scan's cells
    for ws in wb.worksheets:
        if ws.max_row * ws.max_column > caps.max_cells:
            raise BookError(f"{path}: sheet {ws.title} uses {ws.dimensions} "
                            f"({ws.max_row * ws.max_column:,} cells), over the cap of {caps.max_cells:,}")
    return wb


def _check_scan(path: Path, scan, caps: Caps) -> None:
    """Caps on what the cells claim: the extent a merged area reaches (openpyxl would build a
    cell object for each of its cells), and the cells the array formulas and data tables of the
    whole book say they fill (each filled cell is computed and kept); an array over the
    per-formula cap is left out (that formula gets an error in its own cell)."""
    claimed = 0
    for title in scan.sheetnames:
        sheet = scan.sheets[title]
        if sheet.max_row * sheet.max_col > caps.max_cells:
            from .xlutils import get_column_letter  # noqa: PLC0415
            raise BookError(f"{path}: sheet {title} uses A1:{get_column_letter(sheet.max_col)}{sheet.max_row} "
                            f"({sheet.max_row * sheet.max_col:,} cells{', merged areas included' if sheet.merged else ''})"
                            f", over the cap of {caps.max_cells:,}")
        for ref in sheet.arrays.values():
            bounds = parse_area(ref) if ref else None
            if bounds:
                cells = (bounds[2] - bounds[0] + 1) * (bounds[3] - bounds[1] + 1)
                if cells <= caps.max_range_cells:     # a larger one is an error in its own cell
                    claimed += cells
        if claimed > caps.max_cells:
            raise BookError(f"{path}: its array formulas claim {claimed:,} cells (sheet {title} reached the cap), "
                            f"over the cap of {caps.max_cells:,}")


def _scanned(path: Path):
    """The scanned book, or None when openpyxl must read it (what the scan does not model); a
    file the scan refuses is a BookError."""
    from addin.recalc.xlsxscan import Refused, Unsupported, open_book  # noqa: PLC0415
    try:
        return open_book(path)
    except Refused as exc:
        raise BookError(f"{path}: {exc}") from None
    except Unsupported:
        return None
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise BookError(f"{path}: corrupt workbook (damaged zip archive)") from None
    except OSError as exc:
        raise BookError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except Exception:  # noqa: BLE001 - a fault of the scan itself: openpyxl reads the file, or names its fault
        return None


def _openpyxl_book(path: Path, data_only: bool):
    import openpyxl  # noqa: PLC0415
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # openpyxl warns about extensions it drops
            wb = openpyxl.load_workbook(path, data_only=data_only, keep_vba=path.suffix.lower() == ".xlsm")
    except zipfile.BadZipFile:
        raise BookError(f"{path}: corrupt workbook (damaged zip archive)") from None
    except KeyError as exc:
        raise BookError(f"{path}: not an Excel workbook (missing part {exc})") from None
    except Exception as exc:  # openpyxl raises many kinds for broken parts
        text = " ".join(str(exc).split())[:160]
        raise BookError(f"{path}: cannot read workbook ({type(exc).__name__}: {text})") from None
    wb._warrants_path = path       # noqa: SLF001 - read_cells scans the file for dynamic-array marks
    return wb


@dataclass
class BookCells:
    """What the recalculation reads from a book: raw cell contents, array formulas, names."""

    formulas: dict = field(default_factory=dict)        # (sheet, row, col) -> "=..."
    array_ref: dict = field(default_factory=dict)       # array formula anchor -> (r1, c1, r2, c2)
    dynamic: set = field(default_factory=set)           # anchors Excel stores as dynamic arrays (spill)
    constants: dict = field(default_factory=dict)       # (sheet, row, col) -> value
    extent: dict = field(default_factory=dict)          # sheet -> (max_row, max_col)
    names: dict = field(default_factory=dict)           # (sheet or None, NAME) -> "Sheet!$A$1" / "0.05"
    iterate: tuple | None = None                        # (count, delta) when calcPr iterate="1"
    data_tables: dict = field(default_factory=dict)     # data-table anchor -> (r1, c1, r2, c2): unsupported
    uncertain: set = field(default_factory=set)         # error constants whose kind the file does not state


def read_cells(wb, errors: dict | None = None, *, constants: bool = True) -> BookCells:
    """Read every non-empty cell of a loaded book through openpyxl's public API.

    ``constants=False`` leaves ``BookCells.constants`` empty, for a reader of formulas only (the
    cut-table check: a scanned book's ~130,000 constants of a 10,000-row register are not copied).

    A formula that Excel stores as a dynamic array (a cell with cell metadata ``cm`` in a book
    whose ``xl/metadata.xml`` marks ``fDynamic``) spills; any other array formula is a legacy
    (Ctrl-Shift-Enter) one that fills its own stored range."""
    from addin.recalc.xlsxscan import ScanWorkbook  # noqa: PLC0415
    errors = errors or {}
    if isinstance(wb, ScanWorkbook):
        return _scanned_cells(wb, errors, constants)
    scanned = getattr(wb, "_warrants_scan", None)
    if scanned is not None:
        return _scanned_cells(scanned, errors, constants)
    from openpyxl.worksheet.formula import ArrayFormula  # noqa: PLC0415 - a book openpyxl loaded
    book, keep_constants = BookCells(), constants
    formulas, constants, array_ref = book.formulas, book.constants, book.array_ref
    for ws in wb.worksheets:
        title = ws.title
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if v is None:
                    continue
                kind = cell.data_type
                if kind == "n" or kind == "d" or kind == "b":
                    constants[(title, cell.row, cell.column)] = v
                elif kind == "s":          # text, even text that starts with "=" (a formula is kind "f")
                    constants[(title, cell.row, cell.column)] = v
                elif isinstance(v, ArrayFormula):
                    key = (title, cell.row, cell.column)
                    formulas[key] = v.text or "="
                    bounds = parse_area(v.ref) if v.ref else None
                    if bounds:
                        array_ref[key] = bounds
                elif kind == "f":
                    formulas[(title, cell.row, cell.column)] = v
                elif kind == "e":
                    text = str(v).upper()
                    constants[(title, cell.row, cell.column)] = errors.get(text, text)
                else:
                    constants[(title, cell.row, cell.column)] = v
        book.extent[title] = (max(ws.max_row, 1), max(ws.max_column, 1))   # as the scanned reader
    for name, target in _defined_names(wb):
        book.names[(None, name.upper())] = target
    for ws in wb.worksheets:
        for name, d in getattr(ws, "defined_names", {}).items():
            book.names[(ws.title, name.upper())] = d.attr_text
    book.dynamic = _dynamic_anchors(wb, book.array_ref)
    calc = getattr(wb, "calculation", None)
    if calc is not None and calc.iterate:
        book.iterate = (int(calc.iterateCount or 100), float(calc.iterateDelta or 0.001))
    if not keep_constants:
        book.constants.clear()
    return book


def _scanned_cells(wb, errors: dict, constants: bool = True) -> BookCells:
    """read_cells for a scanned book, straight from the scan's dicts (same rules as above)."""
    book = BookCells()
    for title in wb.sheetnames:
        sheet = wb.scan.sheets[title]            # keyed (title, row, column), as here
        if constants:
            book.constants.update(sheet.values)      # text that starts with "=" is text: formulas are <f>
            for key, v in sheet.errors.items():
                text = v.upper()
                book.constants[key] = errors.get(text, text)
        book.formulas.update(sheet.formulas)
        for key, ref in sheet.arrays.items():
            bounds = parse_area(ref) if ref else None
            if bounds:
                book.array_ref[key] = bounds
        book.dynamic.update(key for key in sheet.dynamic if key in book.array_ref)
        book.data_tables.update((key, book.array_ref[key]) for key in sheet.data_tables if key in book.array_ref)
        book.uncertain.update(getattr(sheet, "uncertain", ()))
        book.extent[title] = (max(sheet.max_row, 1), max(sheet.max_col, 1))     # ws.max_row, ws.max_column
        for name, text in sheet.names.items():
            book.names[(title, name.upper())] = text
    for name, text in wb.scan.names.items():
        book.names[(None, name.upper())] = text
    calc = wb.calculation
    if calc.iterate:
        book.iterate = (int(calc.iterateCount or 100), float(calc.iterateDelta or 0.001))
    return book


def _dynamic_anchors(wb, array_ref) -> set:
    """Array-formula anchors carrying dynamic-array cell metadata in the file the book came from."""
    path = getattr(wb, "_warrants_path", None)
    if path is None or not array_ref:
        return set()
    return dynamic_anchors(path) & set(array_ref)


_METADATA = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<metadata xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main" xmlns:xda="http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray">'
             '<metadataTypes count="1"><metadataType name="XLDAPR" minSupportedVersion="120000" copy="1" pasteAll="1" '
             'pasteValues="1" merge="1" splitFirst="1" rowColShift="1" clearFormats="1" clearComments="1" assign="1" '
             'coerce="1" cellMeta="1"/></metadataTypes><futureMetadata name="XLDAPR" count="1"><bk><extLst><ext '
             'uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}"><xda:dynamicArrayProperties fDynamic="1" fCollapsed="0"/>'
             '</ext></extLst></bk></futureMetadata><cellMetadata count="1"><bk><rc t="1" v="0"/></bk></cellMetadata>'
             '</metadata>')


def dynamic_anchors(path) -> set:
    """(sheet, row, col) of every formula a file stores as a dynamic array."""
    from .xlutils import column_index_from_string  # noqa: PLC0415
    found = set()
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "xl/metadata.xml" not in names or b'fDynamic="1"' not in zf.read("xl/metadata.xml"):
                return found
            for title, part in _sheet_parts(zf).items():
                if part not in names:
                    continue
                data = zf.read(part)
                pos = data.find(b' cm="')
                while pos >= 0:
                    start = data.rfind(b"<c ", 0, pos + 1)
                    m = re.search(rb'\br="([A-Z]+)(\d+)"', data[start:data.find(b">", pos) + 1])
                    if m:
                        found.add((title, int(m.group(2)), column_index_from_string(m.group(1).decode())))
                    pos = data.find(b' cm="', pos + 5)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return set()
    return found


def mark_dynamic(path, anchors) -> None:
    """Mark ``anchors`` (array formulas in a file openpyxl saved) as dynamic arrays again, as
    Excel 365 stores them: openpyxl drops the cell metadata, which turns a spill into a legacy
    array formula of its stored range."""
    from .xlutils import get_column_letter  # noqa: PLC0415
    if not anchors:
        return
    path = Path(path)
    with zipfile.ZipFile(path) as zf:
        parts = {title: part for title, part in _sheet_parts(zf).items()}
        items = [(info, zf.read(info.filename)) for info in zf.infolist()]
    by_part: dict = {}
    for title, r, c in anchors:
        if title in parts:
            by_part.setdefault(parts[title], set()).add(f"{get_column_letter(c)}{r}".encode())
    out = []
    for info, data in items:
        name = info.filename
        if name in by_part:
            cells = by_part[name]

            def add_cm(m, cells=cells):
                tag = m.group(0)
                ref = re.search(rb'\br="([A-Z]+\d+)"', tag)
                if ref and ref.group(1) in cells and b" cm=" not in tag:
                    return tag[:2] + b' cm="1"' + tag[2:]
                return tag
            data = re.sub(rb"<c\b[^>]*>(?=<f\b[^>]*\bt=\"array\")", add_cm, data)
        elif name == "[Content_Types].xml" and b"/xl/metadata.xml" not in data:
            data = data.replace(b"</Types>", b'<Override PartName="/xl/metadata.xml" ContentType="application/'
                                b'vnd.openxmlformats-officedocument.spreadsheetml.sheetMetadata+xml"/></Types>')
        elif name == "xl/_rels/workbook.xml.rels" and b"sheetMetadata" not in data:
            data = data.replace(b"</Relationships>", b'<Relationship Id="rIdWarrantsMeta" Type="http://schemas.'
                                b'openxmlformats.org/officeDocument/2006/relationships/sheetMetadata" '
                                b'Target="metadata.xml"/></Relationships>')
        elif name == "xl/metadata.xml":
            continue
        out.append((info, data))
    tmp = path.with_name(path.name + ".marks")
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for info, data in out:
                zf.writestr(info, data)
            zf.writestr("xl/metadata.xml", _METADATA)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _sheet_parts(zf) -> dict:
    """Sheet title -> its part name in the zip (workbook.xml and its relationships)."""
    from defusedxml.ElementTree import fromstring  # noqa: PLC0415
    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    rels = {}
    for rel in fromstring(zf.read("xl/_rels/workbook.xml.rels")):
        target = rel.get("Target", "")
        rels[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    out = {}
    for sheet in fromstring(zf.read("xl/workbook.xml")).iter(f"{ns_main}sheet"):
        rid = sheet.get(f"{ns_rel}id")
        if rid in rels:
            out[sheet.get("name")] = rels[rid]
    return out


def _defined_names(wb):
    dn = wb.defined_names
    items = dn.items() if hasattr(dn, "items") else ((d.name, d) for d in dn.definedName)
    for name, d in items:
        yield name, d.attr_text or ""


def named_range(wb, name: str):
    """The (sheet, bounds) of a workbook-level defined name, or None."""
    for n, target in _defined_names(wb):
        if n.upper() == name.upper():
            return target
    return None


def require_names(wb, names, path) -> None:
    for n in names:
        target = named_range(wb, n)
        if target is not None and "#REF!" in target.upper():
            raise BookError(f"{path}: named range {n} refers to a deleted range ({target})")
    missing = [n for n in names if named_range(wb, n) is None]
    if missing:
        raise BookError(f"{path}: missing named range{'s' if len(missing) > 1 else ''} {', '.join(missing)}")


def check_output(out, source=None) -> Path:
    """Refuse an output place where a values copy may not be written (addin/safewrite.py: a link,
    a device, a directory, a second hard link, a missing or read-only folder), and an extension
    that does not fit the book: a values copy is .xlsx (macro-free) or, of a macro-enabled book,
    .xlsm. Every check runs before the book is read."""
    from addin.safewrite import OutputError, check_target  # noqa: PLC0415
    out = Path(out)
    try:
        check_target(out)
    except OutputError as exc:
        raise BookError(str(exc)) from None
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".xlsm"):
        raise BookError(f"{out}: the output must be an .xlsx (or, for a macro-enabled book, .xlsm) file")
    if suffix == ".xlsm" and source is not None and Path(source).suffix.lower() != ".xlsm":
        raise BookError(f"{out}: {Path(source).name} has no macros; write the values copy to an .xlsx file")
    return out


def save_atomic(wb, out) -> Path:
    """Save ``wb`` to ``out`` the safe way (addin/safewrite.py: a temporary file beside it, flushed,
    then one atomic rename; a replaced file keeps its mode, a new one gets the umask's; on any
    failure or signal the temporary file is removed). A macro-enabled book saved to ``.xlsx``
    is written without its macros (Excel refuses an .xlsx holding a VBA part)."""
    from addin.safewrite import OutputError, write_atomic  # noqa: PLC0415
    out = check_output(out)
    if out.suffix.lower() == ".xlsx" and getattr(wb, "vba_archive", None) is not None:
        wb.vba_archive = None

    def write(tmp: Path) -> None:
        wb.save(tmp)
        source = getattr(wb, "_warrants_path", None)
        if source is not None:       # openpyxl drops dynamic-array marks: put back those still array formulas
            from openpyxl.worksheet.formula import ArrayFormula  # noqa: PLC0415
            keep = {k for k in dynamic_anchors(source) if k[0] in wb.sheetnames
                    and isinstance(wb[k[0]].cell(row=k[1], column=k[2]).value, ArrayFormula)}
            mark_dynamic(tmp, keep)

    try:
        return write_atomic(out, write)
    except OutputError as exc:
        raise BookError(str(exc)) from None
