"""Workbooks written by hand, part by part, for the reader's tests: the smallest valid .xlsx
(content types, relationships, workbook, sheets) and whatever hostile part a test puts in."""
from __future__ import annotations

import io
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_KINDS = {"sharedStrings": "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
          "styles": "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
          "sheetMetadata": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheetMetadata+xml"}
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def sheet_xml(cells: str, *, after: str = "", head: str = _HEAD) -> str:
    """A worksheet part: ``cells`` inside <sheetData>, ``after`` it (merges)."""
    return (f'{head}<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><sheetData>{cells}</sheetData>{after}'
            '</worksheet>')


def xlsx(sheets: dict[str, str], *, shared: str | None = None, styles: str | None = None,
         metadata: str | None = None, names: str = "", drop: tuple[str, ...] = (),
         workbook_head: str = _HEAD) -> bytes:
    """A workbook whose sheets (title -> worksheet part text) are written as given; ``shared``,
    ``styles``, ``metadata``: those parts' text; ``drop``: parts left out of the zip."""
    parts: dict[str, str] = {}
    overrides = ['<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                 'officedocument.spreadsheetml.sheet.main+xml"/>']
    rels = []
    entries = []
    for i, (title, text) in enumerate(sheets.items(), start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = text
        overrides.append(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SHEET_TYPE}"/>')
        rels.append(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>')
        entries.append(f'<sheet name="{title}" sheetId="{i}" r:id="rId{i}"/>')
    for kind, name, text in (("sharedStrings", "sharedStrings.xml", shared), ("styles", "styles.xml", styles),
                             ("sheetMetadata", "metadata.xml", metadata)):
        if text is not None:
            parts[f"xl/{name}"] = text
            overrides.append(f'<Override PartName="/xl/{name}" ContentType="{_KINDS[kind]}"/>')
            rels.append(f'<Relationship Id="rIdx{kind}" Type="{REL}/{kind}" Target="{name}"/>')
    parts["[Content_Types].xml"] = (f'{_HEAD}<Types xmlns="{_TYPES}"><Default Extension="rels" ContentType='
                                    '"application/vnd.openxmlformats-package.relationships+xml"/><Default '
                                    'Extension="xml" ContentType="application/xml"/>' + "".join(overrides) + "</Types>")
    parts["_rels/.rels"] = (f'{_HEAD}<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{REL}/'
                            'officeDocument" Target="xl/workbook.xml"/></Relationships>')
    parts["xl/workbook.xml"] = (f'{workbook_head}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
                                + "".join(entries) + f"</sheets>{names}</workbook>")
    parts["xl/_rels/workbook.xml.rels"] = f'{_HEAD}<Relationships xmlns="{_PKG}">' + "".join(rels) + "</Relationships>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            if name not in drop:
                zf.writestr(name, text)
    return out.getvalue()
