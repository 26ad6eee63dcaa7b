"""Table definitions (``xl/tables/*.xml``) read from the workbook file, for structured references
when the book was read by the scanner (openpyxl's book carries them as ``ws.tables``).

Each table: its sheet, its range, its header and totals row counts, its column names and its
autoFilter (range, and whether it has criteria that may hide rows), as
ECMA-376 Part 1, 18.5.1.2 (``table``) defines them (``headerRowCount`` defaults to 1,
``totalsRowCount`` to 0). Parsed with defusedxml (a part declaring a DTD or entities is refused).
"""
from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass

from defusedxml import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class TableDef:
    name: str
    sheet: str
    ref: str
    header_rows: int
    totals_rows: int
    columns: tuple[str, ...]
    filter_ref: str | None = None       # its autoFilter's range (header and data rows), if any
    filtering: bool = False             # the autoFilter has criteria (<filterColumn>): it may hide rows


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Id -> (type, target part) of a part's relationships."""
    folder, name = posixpath.split(part)
    path = posixpath.join(folder, "_rels", name + ".rels")
    if path not in zf.namelist():
        return {}
    out = {}
    for rel in ElementTree.fromstring(zf.read(path)).iter(_PKG + "Relationship"):
        target = rel.get("Target") or ""
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id")] = (rel.get("Type") or "", target)
    return out


def read_tables(path) -> list[TableDef]:
    """Every table of the book at ``path`` (an empty list when it has none)."""
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        if not any(n.startswith("xl/tables/") for n in names):
            return []
        book_rels = _rels(zf, "xl/workbook.xml")
        root = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        out = []
        for sheet in root.iter(_MAIN + "sheet"):
            rel = book_rels.get(sheet.get(_REL + "id"))
            if rel is None or rel[1] not in names:
                continue
            for kind, target in _rels(zf, rel[1]).values():
                if not kind.endswith("/table") or target not in names:
                    continue
                t = ElementTree.fromstring(zf.read(target))
                auto = t.find(_MAIN + "autoFilter")
                out.append(TableDef(
                    name=t.get("displayName") or t.get("name") or "", sheet=sheet.get("name") or "",
                    ref=t.get("ref") or "", header_rows=int(t.get("headerRowCount", "1")),
                    totals_rows=int(t.get("totalsRowCount", "0")),
                    columns=tuple(c.get("name") or "" for c in t.iter(_MAIN + "tableColumn")),
                    filter_ref=None if auto is None else auto.get("ref"),
                    filtering=auto is not None and auto.find(_MAIN + "filterColumn") is not None))
        return out
