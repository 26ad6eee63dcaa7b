"""Conformance against Excel's own numbers: workbooks saved by Microsoft Excel, in two folders
under ``tests/fixtures/`` (``xlcalculator/``: that project's 58 test files, MIT licence;
``ironcalc/``: IronCalc's 206, MIT or Apache-2.0; provenance in each folder's README).

Every formula cell, and every cell an array formula fills (the range Excel stored for it, and
any cell our spill covers), is recalculated and compared with the value Excel cached in the
file: as the READMEs define a match, numbers to a relative 1e-9, text and booleans exactly,
error values by their text (for an error Excel caches as #VALUE! with its true kind in
``xl/richData``, #CALC! or #SPILL!, by that kind: :func:`rich_errors`). A cell that does not match must be an error value recorded as
unsupported (``Recalc.unsupported``): never a different number. No book may fail whole.

Volatile cells (TODAY, NOW, RAND... and every cell that reads one, ``Recalc.volatile``) are set
aside: Excel cached the value of the day it saved the file.

The counts are pinned per folder in ``FLOORS``: matched may only grow (raise the floor when it
does), wrong stays 0, no book fails. The test prints each folder's totals, every book's own
counts, and every unsupported function with its cells.

Run as a script to print the per-cell outcomes: ``python tests/test_conformance.py [FOLDER ...] [-v]``.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import sys
import time
import warnings
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_ROOT = Path(__file__).resolve().parent / "fixtures"
FOLDERS = ("xlcalculator", "ironcalc")
FIXTURES = FIXTURE_ROOT / "xlcalculator"

# matched cells per folder, volatile cells aside: the floor may only rise (measured, then pinned)
FLOORS = {"xlcalculator": 19900, "ironcalc": 68623}
# the mean over the books of each book's own matched rate (percent), pinned the same way
MEAN_FLOORS = {"xlcalculator": 99.12, "ironcalc": 99.62}


def _serial(v, epoch):
    from openpyxl.utils.datetime import to_excel
    return float(to_excel(v, epoch)) if isinstance(v, (dt.datetime, dt.date)) else \
        float(to_excel(v)) if isinstance(v, dt.time) else v


def matches(expected, got, epoch, error: bool | None = None) -> bool:
    """The fixtures README's definition of a match (dates compared as their serial numbers).
    ``error``: whether Excel cached an error value (``t="e"``) rather than text; None: text
    starting with ``#`` is taken for an error."""
    from addin.recalc import XLError
    expected, got = _serial(expected, epoch), _serial(got, epoch)
    if isinstance(expected, str) and "_x" in expected:
        # the file escapes control characters as _xHHHH_ (ECMA-376 ST_Xstring); openpyxl's
        # cached value keeps the escape: CHAR(1) is cached as "_x0001_"
        expected = re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), expected)
    if error is None:
        error = isinstance(expected, str) and expected.startswith("#")
    if error:
        return isinstance(got, XLError) and str(got) == expected
    if isinstance(expected, str) and isinstance(got, XLError):
        return False
    if isinstance(got, XLError):
        return False
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected is got
    if isinstance(expected, (int, float)) and isinstance(got, (int, float)):
        return got == expected or math.isclose(got, expected, rel_tol=1e-9)
    if expected is None:
        return got in (None, 0, 0.0, "")          # Excel caches no value for an empty result
    return got == expected


# a rich error value's errorType (xl/richData, the _error structure): Excel's error codes from 0;
# Excel writes #VALUE! in the cell's <v> for older readers and the true kind here
# (Aspose.Cells' ErrorCellValueType: Name 4, Spill 8, Calc 13)
_RICH_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                "#SPILL!", "#CONNECT!", "#BLOCKED!", "#UNKNOWN!", "#FIELD!", "#CALC!")


def rich_errors(path) -> dict:
    """(sheet, row, column) -> the error text Excel computed, for the cells whose cached error is
    a rich value (``vm=``: #CALC! and #SPILL! are cached as #VALUE! with the kind in
    ``xl/richData``). Empty when the book has none."""
    import zipfile
    from xml.etree import ElementTree as ET
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rd = "{http://schemas.microsoft.com/office/spreadsheetml/2017/richdata}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        if not {"xl/metadata.xml", "xl/richData/rdrichvalue.xml", "xl/richData/rdrichvaluestructure.xml"} <= names:
            return {}
        meta = ET.fromstring(z.read("xl/metadata.xml"))
        types = [t.get("name") for t in meta.iter(main + "metadataType")]
        bundles = {fm.get("name"): [bk.find(f".//{rd}rvb") for bk in fm.iter(main + "bk")]
                   for fm in meta.iter(main + "futureMetadata")}
        structures = [(s.get("t"), [k.get("n") for k in s])
                      for s in ET.fromstring(z.read("xl/richData/rdrichvaluestructure.xml"))]
        values = []
        for rv in ET.fromstring(z.read("xl/richData/rdrichvalue.xml")):
            kind, keys = structures[int(rv.get("s"))]
            values.append((kind, dict(zip(keys, (v.text for v in rv)))))
        by_vm = {}
        value_meta = meta.find(main + "valueMetadata")
        for vm, bk in enumerate(value_meta if value_meta is not None else [], start=1):
            for rc in bk:
                if types[int(rc.get("t")) - 1] != "XLRICHVALUE":
                    continue
                kind, fields = values[int(bundles["XLRICHVALUE"][int(rc.get("v"))].get("i"))]
                code = int(fields.get("errorType", -1)) if kind == "_error" else -1
                if 0 <= code < len(_RICH_ERRORS):
                    by_vm[str(vm)] = _RICH_ERRORS[code]
        if not by_vm:
            return {}
        targets = {r.get("Id"): r.get("Target") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
        out = {}
        for sheet in ET.fromstring(z.read("xl/workbook.xml")).iter(main + "sheet"):
            part = targets.get(sheet.get(rel + "id"), "")
            part = part.lstrip("/") if part.startswith("/") else "xl/" + part
            if part not in names:
                continue
            for c in ET.fromstring(z.read(part)).iter(main + "c"):
                if c.get("vm") in by_vm and c.get("t") == "e":
                    letters, row = coordinate_from_string(c.get("r"))
                    out[(sheet.get("name"), row, column_index_from_string(letters))] = by_vm[c.get("vm")]
        return out


def _cells(result) -> dict:
    """Formula cells, then every cell of an array formula's stored range and of our spills, each
    with its owner (the formula cell whose value it holds)."""
    owners = {key: key for key in result.formula_cells}
    for anchor, (r1, c1, r2, c2) in sorted(result.array_areas.items()):
        if (r2 - r1 + 1) * (c2 - c1 + 1) <= 1_000_000:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    owners.setdefault((anchor[0], r, c), anchor)
    for key in sorted(result.spilled):
        owners[key] = result.spilled[key]
    return owners


def conformance(fallback=None, folder: Path = FIXTURES):
    """Recalculate every book of ``folder`` and compare with Excel's cached values. ``fallback``:
    an object with ``delegate(ev, key, formula)`` (see addin.recalc.fallback), to measure a
    candidate. Returns (totals, rows, per-book counts); a row is (outcome, where, expected, got,
    reason or formula)."""
    import openpyxl
    from addin.recalc import XLError, load_book, recalc_workbook
    counts = {"matched": 0, "unsupported": 0, "wrong": 0, "volatile": 0, "books": 0, "failed_books": 0}
    rows = []
    books: dict[str, dict[str, int]] = {}
    for path in sorted(Path(folder).glob("*.xls*")):
        counts["books"] += 1
        book = books[path.name] = {"matched": 0, "unsupported": 0, "wrong": 0, "volatile": 0}
        try:
            wb = load_book(path, scan_cells=True)      # recalculated as loaded, as `warrants recalc` reads it
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")       # openpyxl: extensions it does not read
                cached = openpyxl.load_workbook(path, data_only=True)
            result = recalc_workbook(wb, None, fallback=fallback)
            rich = rich_errors(path)
        except Exception as exc:  # a whole-book failure is what this test forbids
            counts["failed_books"] += 1
            book["failed"] = 1
            rows.append(("failed", path.name, "", f"{type(exc).__name__}: {exc}", ""))
            continue
        for key, owner in _cells(result).items():
            sheet, r, c = key
            cell = cached[sheet].cell(row=r, column=c)
            expected = rich.get(key, cell.value)
            got = result.values.get(key)
            where = f"{path.name} {sheet}!{openpyxl.utils.get_column_letter(c)}{r}"
            if key in result.volatile or owner in result.volatile:
                outcome, note = "volatile", ""
            elif owner != key and owner in result.unsupported and key not in result.spilled:
                # a cell of an array we did not compute: unsupported, even where Excel's is blank
                outcome, note = "unsupported", f"array of {openpyxl.utils.get_column_letter(owner[2])}{owner[1]}: " \
                                               f"{result.unsupported[owner]}"
            elif matches(expected, got, wb.epoch, cell.data_type == "e"):
                outcome, note = "matched", ""
            elif isinstance(got, XLError) and key in result.unsupported:
                outcome, note = "unsupported", result.unsupported[key]
            else:
                outcome = "wrong"
                formula = wb[owner[0]].cell(row=owner[1], column=owner[2]).value
                note = getattr(formula, "text", formula)
            counts[outcome] += 1
            book[outcome] += 1
            rows.append((outcome, where, expected, got, note))
    return counts, rows, books


def mean_rate(books) -> float:
    """The mean over the books (those with a cell to compare) of each book's matched percent."""
    rates = [100.0 * b["matched"] / n for b in books.values()
             if (n := b["matched"] + b["unsupported"] + b["wrong"])]
    return sum(rates) / len(rates) if rates else 0.0


def _runs(cells: list[str]) -> str:
    """``book S!A1, S!A2, S!A3`` -> ``book S!A1:A3``: consecutive rows of one column joined."""
    import re
    by_book: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for where in cells:
        name, _, ref = where.partition(" ")
        sheet, _, addr = ref.rpartition("!")
        m = re.fullmatch(r"([A-Z]+)(\d+)", addr)
        by_book[name].append((sheet, m.group(1), int(m.group(2))))
    out = []
    for name, refs in by_book.items():
        parts, prev = [], None
        for sheet, col, row in sorted(refs):
            if prev and prev[0] == sheet and prev[1] == col and prev[3] == row - 1:
                prev[3] = row
            else:
                if prev:
                    parts.append(prev)
                prev = [sheet, col, row, row]
        parts.append(prev)
        out.append(name + " " + ", ".join(f"{s}!{c}{a}" + (f":{c}{b}" if b != a else "") for s, c, a, b in parts))
    return "; ".join(out)


def report(name, counts, rows, books, seconds) -> str:
    lines = [f"\nconformance vs Excel, {name} ({counts['books']} books, {seconds:.1f} s): "
             f"{counts['matched']} matched, {counts['unsupported']} unsupported, {counts['wrong']} wrong, "
             f"{counts['volatile']} volatile set aside, {counts['failed_books']} books failed; "
             f"mean of the books' rates {mean_rate(books):.2f}%"]
    for book, b in books.items():
        n = b["matched"] + b["unsupported"] + b["wrong"]
        rate = f"{100.0 * b['matched'] / n:6.2f}%" if n else "    -  "
        lines.append(f"  {rate} {book}: {b['matched']} matched, {b['unsupported']} unsupported, {b['wrong']} wrong"
                     + (f", {b['volatile']} volatile" if b["volatile"] else "") + (" FAILED" if b.get("failed") else ""))
    why: dict[str, list[str]] = defaultdict(list)
    for outcome, where, _expected, _got, note in rows:
        if outcome == "unsupported":
            why["(reads an unsupported cell)" if note.startswith("depends on") else note].append(where)
    lines.append("  unsupported, by reason (cells):")
    for reason, cells in sorted(why.items(), key=lambda kv: -len(kv[1])):
        lines.append(f"    {reason} ({len(cells)}): {_runs(cells)}")
    return "\n".join(lines)


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_value_matches_excel_or_is_an_unsupported_error(folder, capsys):
    start = time.perf_counter()
    counts, rows, books = conformance(folder=FIXTURE_ROOT / folder)
    with capsys.disabled():
        print(report(folder, counts, rows, books, time.perf_counter() - start))
    bad = [r for r in rows if r[0] in ("wrong", "failed")]
    assert counts["failed_books"] == 0 and counts["wrong"] == 0, "\n".join(map(str, bad[:40]))
    assert counts["matched"] >= FLOORS[folder], f"matched fell below the pinned floor: {counts}"
    assert mean_rate(books) >= MEAN_FLOORS[folder]


if __name__ == "__main__":
    # python tests/test_conformance.py [FOLDER ...] [-v]: FOLDER is xlcalculator or ironcalc (default both)
    sys.path.insert(0, str(ROOT))
    for name in [a for a in sys.argv[1:] if not a.startswith("-")] or FOLDERS:
        start = time.perf_counter()
        counts, rows, books = conformance(folder=FIXTURE_ROOT / name)
        for row in rows:
            if row[0] != "matched" or "-v" in sys.argv:
                print(name, "|", " | ".join(map(str, row)))
        print(report(name, counts, rows, books, time.perf_counter() - start))
        print(name, counts)
