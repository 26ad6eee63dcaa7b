"""What one register row costs to become a warrant (issue 17, "Values"). Prints one JSON object; not a timed test.

A register row differs from its class of terms only in its warrant's name, Warrant Shares and
Exercise Price. Per row, in microseconds, medians of ``--runs`` runs over the ``--rows`` rows of
the distinct register (bench/workloads.py, fixed seed), each figure beside its floor in the same run:

* ``floor_tuple_us``: a bare tuple ``(name, shares, price)`` of the same values (the least a row
  can cost to hold);
* ``holding_us``: ``engine.Holding(name, shares, price)``, validated (what a row builds now);
* ``with_holding_us``: ``Terms.with_holding(name, shares, price)``: the whole Terms made again by
  the constructor (what each row built before the Holding);
* ``parse_register_row_us``: ``addin.excel.convert.parse_register`` of the register books' grid
  (bench_workbook.py's columns; cells converted, classes found once, one Holding per row), per
  row, for each Issue Date shape of issue 17 (``one``: every warrant issued the same day;
  ``spread`` and ``before``: drawn to the day over six years, so nearly every row has a date of
  its own); its floor ``floor_grid_row_us`` reads every cell of the grid, a tuple per row;
* ``rows_converted_whole``: how many rows of each shape are converted whole (a class's first row,
  and any row that is not a plain copy of its class);
* ``register_pairs_ms`` / ``register_terms_ms``: ``engine.register`` of the same warrants given
  as (class terms, Holding) pairs and as whole Terms, over the three-event ledger of
  workbooks/warrant_register.xlsx (programs compiled each run): the pairs cost no more.

    python bench/bench_holding.py [--rows 10000] [--runs 5]

Runs against an older tree too (``PYTHONPATH=that/tree``): a figure whose code is absent is ``null``.
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workloads import AS_OF, FULLY_DILUTED, OUTSTANDING, SHAPES, distinct_register, issue_dates  # noqa: E402

REGISTER_HEADER = ["Warrant", "Preset", "Issue Date", "Warrant Shares", "Exercise Price", "Anti-Dilution",
                   "Share Adjustment", "Common Outstanding", "Fully Diluted"]
# workbooks/warrant_register.xlsx's ledger: §4(b) 2-for-1, §4(d) 2,000,000 for $1,000,000, §4(c) 10%
REGISTER_LEDGER = [
    {"date": date(2002, 1, 15), "event": "SPLIT", "ratio": "2-for-1"},
    {"date": date(2002, 6, 3), "event": "ISSUE", "shares": 2_000_000, "consideration": 1_000_000},
    {"date": date(2003, 3, 3), "event": "STOCK_DIVIDEND", "shares": 2_200_000},
]


def median_us_per(runs: int, n: int, fn) -> float:
    """Median over ``runs`` calls of ``fn()`` (which does ``n`` rows), in microseconds per row."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return round(statistics.median(times) / n * 1e6, 3)


def median_ms(runs: int, fn, before=None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return round(statistics.median(times) * 1e3, 2)


def whole_rows(cv, grid: list) -> int:
    """How many rows ``parse_register`` converts whole (``register_row_terms``): the rest are copies of a class."""
    calls = 0
    convert = cv.register_row_terms

    def counted(*args, **kwargs):
        nonlocal calls
        calls += 1
        return convert(*args, **kwargs)
    cv.register_row_terms = counted
    try:
        cv.parse_register(grid)
    finally:
        cv.register_row_terms = convert
    return calls


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    import engine
    from engine import clear_caches, d1_terms, parse_events, register
    from addin.excel import convert as cv

    Holding = getattr(engine, "Holding", None)
    rows = distinct_register(args.rows)
    template = d1_terms(common_outstanding=OUTSTANDING, fully_diluted=FULLY_DILUTED)
    values = [(w, Fraction(s), Fraction(c, 100)) for w, s, c, _m, _sa in rows]
    n = len(values)

    def tuples():
        for w, s, p in values:
            (w, s, p)

    def holdings():
        for w, s, p in values:
            Holding(w, s, p)

    def whole_terms():
        for w, s, p in values:
            template.with_holding(w, s, p)

    def grid_of(shape: str) -> list:
        """The grid as the recalculation reads a register book: an Issue Date cell is a datetime."""
        days = issue_dates(n, shape)
        return [REGISTER_HEADER] + [[w, "D-1", datetime(d.year, d.month, d.day), s, c / 100, m, sa, OUTSTANDING,
                                     FULLY_DILUTED] for (w, s, c, m, sa), d in zip(rows, days)]

    grids = {shape: grid_of(shape) for shape in SHAPES}
    grid = grids["one"]

    def read_grid():
        for r in grid[1:]:
            tuple(r)

    parsed = cv.parse_register(grid)
    as_pairs = [p if isinstance(p, tuple) else (p, p) for p in parsed]
    as_terms = [t if h is t else t.with_holding(h.warrant, h.warrant_shares, h.exercise_price) for t, h in as_pairs]
    ledger = parse_events(REGISTER_LEDGER)
    same = register(as_terms, ledger, AS_OF) == (register(parsed, ledger, AS_OF) if Holding else None)

    figures = {
        "rows": n,
        "runs": args.runs,
        "floor_tuple_us": median_us_per(args.runs, n, tuples),
        "holding_us": median_us_per(args.runs, n, holdings) if Holding else None,
        "with_holding_us": median_us_per(args.runs, n, whole_terms),
        "floor_grid_row_us": median_us_per(args.runs, n, read_grid),
        "parse_register_row_us": {shape: median_us_per(args.runs, n, lambda: cv.parse_register(g))
                                  for shape, g in grids.items()},
        "rows_converted_whole": {shape: whole_rows(cv, g) for shape, g in grids.items()},
        "register_pairs_ms": median_ms(args.runs, lambda: register(parsed, ledger, AS_OF), clear_caches)
        if Holding else None,
        "register_terms_ms": median_ms(args.runs, lambda: register(as_terms, ledger, AS_OF), clear_caches),
        "pairs_equal_terms": same if Holding else None,
        "python": platform.python_version(),
    }
    json.dump(figures, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
