"""Conformance against Excel's own numbers: workbooks saved by Microsoft Excel, in two folders
under ``tests/fixtures/`` (``xlcalculator/``: that project's 58 test files, MIT licence;
``ironcalc/``: IronCalc's 206, MIT or Apache-2.0; provenance in each folder's README).

Every formula cell is recalculated and compared with the value Excel cached in the file: as
the README defines a match, numbers to a relative 1e-9, text and booleans exactly, error
values by their text. A cell that does not match must be an error value recorded as
unsupported (``Recalc.unsupported``): never a different number. No book may fail whole.

Run as a script to print the per-cell outcomes: ``python tests/test_conformance.py [-v]``.
"""
from __future__ import annotations

import datetime as dt
import math
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_ROOT = Path(__file__).resolve().parent / "fixtures"
FOLDERS = ("xlcalculator", "ironcalc")
FIXTURES = FIXTURE_ROOT / "xlcalculator"


def _serial(v, epoch):
    from openpyxl.utils.datetime import to_excel
    return float(to_excel(v, epoch)) if isinstance(v, (dt.datetime, dt.date)) else \
        float(to_excel(v)) if isinstance(v, dt.time) else v


def matches(expected, got, epoch) -> bool:
    """The fixtures README's definition of a match (dates compared as their serial numbers)."""
    from addin.recalc import XLError
    expected, got = _serial(expected, epoch), _serial(got, epoch)
    if isinstance(expected, str) and expected.startswith("#"):
        return isinstance(got, XLError) and str(got) == expected
    if isinstance(got, XLError):
        return False
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected is got
    if isinstance(expected, (int, float)) and isinstance(got, (int, float)):
        return got == expected or math.isclose(got, expected, rel_tol=1e-9)
    if expected is None:
        return got in (None, 0, 0.0, "")          # Excel caches no value for an empty result
    return got == expected


def conformance(fallback=None, folder: Path = FIXTURES):
    """Recalculate every book of ``folder`` and compare with Excel's cached values. ``fallback``:
    an object with ``delegate(ev, key, formula)`` (see addin.recalc.fallback), to measure a
    candidate."""
    import openpyxl
    from addin.recalc import XLError, load_book, recalc_workbook
    counts = {"matched": 0, "unsupported": 0, "wrong": 0, "books": 0, "failed_books": 0}
    rows = []
    for path in sorted(folder.glob("*.xls*")):
        counts["books"] += 1
        try:
            wb = load_book(path)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")       # openpyxl: extensions it does not read
                cached = openpyxl.load_workbook(path, data_only=True)
            result = recalc_workbook(wb, None, fallback=fallback)
        except Exception as exc:  # a whole-book failure is what this test forbids
            counts["failed_books"] += 1
            rows.append(("failed", path.name, "", f"{type(exc).__name__}: {exc}", ""))
            continue
        for key in result.formula_cells + sorted(result.spilled):
            sheet, r, c = key
            expected = cached[sheet].cell(row=r, column=c).value
            got = result.values.get(key)
            where = f"{path.name} {sheet}!{openpyxl.utils.get_column_letter(c)}{r}"
            if matches(expected, got, wb.epoch):
                counts["matched"] += 1
                rows.append(("matched", where, expected, got, ""))
            elif isinstance(got, XLError) and key in result.unsupported:
                counts["unsupported"] += 1
                rows.append(("unsupported", where, expected, got, result.unsupported[key]))
            else:
                counts["wrong"] += 1
                formula = wb[sheet].cell(row=r, column=c).value
                rows.append(("wrong", where, expected, got, getattr(formula, "text", formula)))
    return counts, rows


def test_every_value_matches_excel_or_is_an_unsupported_error(capsys):
    counts, rows = conformance()
    with capsys.disabled():
        print(f"\nconformance vs Excel ({counts['books']} books): {counts['matched']} matched, "
              f"{counts['unsupported']} unsupported, {counts['wrong']} wrong, {counts['failed_books']} books failed")
    bad = [r for r in rows if r[0] in ("wrong", "failed")]
    assert counts["failed_books"] == 0 and counts["wrong"] == 0, "\n".join(map(str, bad[:30]))
    assert counts["matched"] > 0


if __name__ == "__main__":
    # python tests/test_conformance.py [FOLDER ...] [-v]: FOLDER is xlcalculator or ironcalc (default both)
    sys.path.insert(0, str(ROOT))
    for name in [a for a in sys.argv[1:] if not a.startswith("-")] or FOLDERS:
        counts, rows = conformance(folder=FIXTURE_ROOT / name)
        for row in rows:
            if row[0] != "matched" or "-v" in sys.argv:
                print(name, "|", " | ".join(map(str, row)))
        print(name, counts)
