"""Peers bench (issue 19; not a timed test): the Excel-saved fixture books recalculated by our
engine and by the two engines a user could pick instead, IronCalc (``ironcalc`` on PyPI) and
formualizer (``formualizer``), each compared cell by cell with the value Excel cached. Prints one
JSON object.

    pip install ironcalc formualizer        # bench only: neither is a dependency of warrants
    python bench/bench_recalc_peers.py [FOLDER ...] [--engines ours,ironcalc,formualizer]

FOLDER is a folder name under tests/fixtures (default: xlcalculator and ironcalc). The cells
compared are the same for every engine: each formula cell, and each cell of an array formula's
stored range, that Excel wrote (read by our reader), against Excel's value (an error cached as
a rich value, #CALC! or #SPILL!, by its kind, as tests/test_conformance.py reads it: openpyxl
reads #VALUE!); cells that call TODAY, NOW or RAND, or read
one (``Recalc.volatile``), are set aside for all. A match is the fixtures READMEs' (numbers to a
relative 1e-9, text and booleans exactly, errors by their text). A cell that does not match is

* ``unsupported`` when the engine shows an error value there (the user sees it cannot be
  trusted): for our engine only an error it records as unsupported counts here, any other
  error is wrong;
* ``wrong`` when the engine shows a value that is not Excel's (silently wrong).

A book an engine cannot load or evaluate counts its cells as ``failed``. For each engine and
folder: counts, percentages by cell, the mean of the books' own matched rates, and seconds.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from test_conformance import FIXTURE_ROOT, FOLDERS, matches, rich_errors  # noqa: E402

ENGINES = ("ours", "ironcalc", "formualizer")
_FZ_ERRORS = {"na": "#N/A", "div": "#DIV/0!", "div0": "#DIV/0!", "value": "#VALUE!", "ref": "#REF!",
              "name": "#NAME?", "num": "#NUM!", "null": "#NULL!", "spill": "#SPILL!", "calc": "#CALC!",
              "circ": "#CIRC!", "gettingdata": "#GETTING_DATA", "nimpl": "#N/IMPL!"}


def _book_cells(path):
    """Our reading of the book: the cells to compare, their cached values, and ours."""
    import openpyxl

    from addin.recalc import load_book, recalc_workbook
    wb = load_book(path, scan_cells=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cached = openpyxl.load_workbook(path, data_only=True)
    t = time.perf_counter()
    try:
        result = recalc_workbook(wb, None)
        error = None
    except Exception as exc:  # noqa: BLE001 - a failed book is a figure here
        result, error = None, f"{type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - t
    keys = dict.fromkeys(sorted(_formula_cells(wb)))
    rich = rich_errors(path)         # #CALC!, #SPILL!: cached as #VALUE!, the kind in xl/richData (openpyxl reads #VALUE!)
    cells = []
    for key in keys:
        sheet, r, c = key
        cell = cached[sheet].cell(row=r, column=c)
        cells.append((key, rich.get(key, cell.value), cell.data_type == "e"))
    return wb, cells, result, error, seconds


def _formula_cells(wb):
    from addin.recalc.bookio import read_cells
    book = read_cells(wb)
    keys = set(book.formulas)
    for (sheet, _r, _c), (r1, c1, r2, c2) in book.array_ref.items():
        if (r2 - r1 + 1) * (c2 - c1 + 1) <= 1_000_000:
            keys.update((sheet, r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
    return keys


def _ironcalc(path, sheets):
    import ironcalc
    model = ironcalc.load_from_xlsx(str(path), "en", "UTC")
    model.evaluate()
    index = {p["name"]: i for i, p in enumerate(model.get_worksheets_properties())}

    def get(sheet, r, c):
        i = index[sheet]
        v = model.get_cell_value(i, r, c)
        if isinstance(v, str) and str(model.get_cell_type(i, r, c)).endswith("ErrorValue"):
            return _error(v)
        return v
    return get


def _formualizer(path, sheets):
    import formualizer
    wb = formualizer.load_workbook(str(path))
    wb.evaluate_all()

    def get(sheet, r, c):
        v = wb.get_value(sheet, r, c)
        if isinstance(v, dict) and v.get("type") == "Error":
            kind = str(v.get("kind", "")).lower()
            return _error(_FZ_ERRORS.get(kind, "#" + kind.upper()))
        if isinstance(v, dict):
            return repr(v)
        return v
    return get


def _error(text):
    from addin.recalc import XLError
    return XLError(text)


def run(folders, engines):
    from addin.recalc import XLError
    out: dict[str, dict] = {}
    for folder in folders:
        books = sorted((FIXTURE_ROOT / folder).glob("*.xls*"))
        figures = {e: {"matched": 0, "unsupported": 0, "wrong": 0, "failed": 0, "failed_books": 0,
                       "seconds": 0.0, "rates": []} for e in engines}
        volatile_total = 0
        for path in books:
            wb, cells, ours, our_error, our_seconds = _book_cells(path)
            volatile = set()
            if ours is not None:
                volatile = {k for k in ours.volatile} | {k for k, a in ours.spilled.items() if a in ours.volatile}
                for anchor, (r1, c1, r2, c2) in ours.array_areas.items():
                    if anchor in ours.volatile:
                        volatile.update((anchor[0], r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
            compared = [cell for cell in cells if cell[0] not in volatile]
            volatile_total += len(cells) - len(compared)
            for engine in engines:
                f = figures[engine]
                t = time.perf_counter()
                try:
                    if engine == "ours":
                        if ours is None:
                            raise RuntimeError(our_error)
                        get = (lambda s, r, c, v=ours.values: v.get((s, r, c)))
                        f["seconds"] += our_seconds
                    else:
                        get = (_ironcalc if engine == "ironcalc" else _formualizer)(path, wb.sheetnames)
                        f["seconds"] += time.perf_counter() - t
                except BaseException as exc:  # noqa: BLE001 - a Rust panic is a BaseException
                    if isinstance(exc, KeyboardInterrupt):
                        raise
                    f["failed"] += len(compared)
                    f["failed_books"] += 1
                    f["rates"].append(0.0)
                    continue
                matched = 0
                for (sheet, r, c), expected, is_error in compared:
                    try:
                        got = get(sheet, r, c)
                    except BaseException:  # noqa: BLE001
                        got = _error("#ENGINE!")
                    if isinstance(got, float) and (math.isnan(got) or math.isinf(got)):
                        got = _error("#NUM!")
                    if engine == "ours" and _owner_unsupported(ours, (sheet, r, c)):
                        f["unsupported"] += 1           # a cell of an array we did not compute
                    elif matches(expected, got, wb.epoch, is_error):
                        f["matched"] += 1
                        matched += 1
                    elif engine != "ours" and isinstance(got, XLError):
                        f["unsupported"] += 1
                    elif engine == "ours" and ((isinstance(got, XLError) and (sheet, r, c) in ours.unsupported)
                                               or _owner_unsupported(ours, (sheet, r, c))):
                        f["unsupported"] += 1           # as tests/test_conformance.py counts it
                    else:
                        f["wrong"] += 1
                if compared:
                    f["rates"].append(100.0 * matched / len(compared))
        out[folder] = {"books": len(books), "cells": None, "volatile_set_aside": volatile_total}
        for engine, f in figures.items():
            n = f["matched"] + f["unsupported"] + f["wrong"] + f["failed"]
            out[folder]["cells"] = n
            out[folder][engine] = {
                "matched": f["matched"], "unsupported": f["unsupported"], "wrong": f["wrong"],
                "failed_cells": f["failed"], "failed_books": f["failed_books"],
                "matched_pct": round(100.0 * f["matched"] / n, 2) if n else None,
                "unsupported_pct": round(100.0 * f["unsupported"] / n, 2) if n else None,
                "wrong_pct": round(100.0 * f["wrong"] / n, 2) if n else None,
                "mean_book_matched_pct": round(sum(f["rates"]) / len(f["rates"]), 2) if f["rates"] else None,
                "seconds": round(f["seconds"], 1)}
    return out


def _owner_unsupported(ours, key) -> bool:
    """A cell of an array whose formula cell is recorded unsupported (it holds no value of ours)."""
    owner = ours.spilled.get(key)
    if owner is None:
        for anchor, (r1, c1, r2, c2) in ours.array_areas.items():
            if anchor[0] == key[0] and r1 <= key[1] <= r2 and c1 <= key[2] <= c2:
                owner = anchor
                break
    return owner is not None and owner in ours.unsupported and key not in ours.spilled


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", default=list(FOLDERS))
    parser.add_argument("--engines", default=",".join(ENGINES))
    args = parser.parse_args(argv)
    engines = [e for e in args.engines.split(",") if e]
    versions = {}
    for engine in engines:
        if engine != "ours":
            try:
                from importlib.metadata import version
                versions[engine] = version(engine)
            except Exception:  # noqa: BLE001
                versions[engine] = None
    result = {"bench": "recalc_peers", "python": sys.version.split()[0], "versions": versions,
              "rule": "matched: Excel's cached value; unsupported: an error shown where Excel differs "
                      "(ours: only errors it records); wrong: a value that is not Excel's",
              "folders": run(args.folders, engines)}
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
