"""The engine's share of issue 17's register books (not a timed test): prints one JSON object.

    python bench/bench_register_book.py [--shapes spread before] [--rows 1000 10000] [--runs 5]

The books of ``bench/bench_workbook.py --shapes spread before`` (its distinct register, each
price to the cent, four methods, both share rules, the 100-event ledger spread over six years;
Issue Dates spread across the ledger or all before it), built here as the engine receives them
(each row a pair of its class's ``engine.Terms`` and its own ``engine.Holding``, and parsed events:
what ``addin.excel.functions.warrant_register`` passes on),
so that the time inside ``engine.register`` is seen apart from the command's start-up, the sheet
reader and the rows' conversion. The engine's caches are emptied before each run (a book
recalculated in a new process compiles every program). Beside it, in the same run and
interleaved, its floors: one ``Decimal`` multiply-compare per warrant-event seen (the events after
each warrant's Issue Date), the inexact language floor of any per-warrant fold; and the exact
arithmetic floor of §4(d) alone (``floor_exact_weighted_s``): for each weighted-average warrant,
one reduced ``int`` step ``CP2 = (CP1·X + Y)·gn / (CP1's denominator·gd)`` per issue of its program
that moves its price (``engine.rules.weighted``'s constants, the programs compiled outside the timed
part), with no other decision of §4 (no minimum, no lowest price, no share count, no §4(e)(ii)
history). D-1 sets no Price Increment, so those prices stay exact fractions whose denominators grow
with every move: that is the arithmetic any exact fold pays. CPU seconds
(``time.process_time``: the machine is shared), medians of ``--runs`` runs; ``per_warrant_us``
shows the growth (linear: flat). ``cuts`` counts the distinct sets of events the warrants see
(one program compiled for each), ``groups`` the (cut, class) groups the register runs apart.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from bisect import bisect_right
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from math import gcd  # noqa: E402

from engine import Holding, clear_caches, d1_terms, parse_events, register  # noqa: E402
from engine.ops import ISSUE  # noqa: E402
from engine.register import group_key, program_for  # noqa: E402

from workloads import (AS_OF, FULLY_DILUTED, OUTSTANDING, SIX_YEARS, distinct_register, issue_dates,  # noqa: E402
                       ledger_rows)


def book(rows: int, shape: str) -> tuple[list, tuple]:
    """The register book's terms and ledger, as bench_workbook.make_book writes them."""
    ledger = parse_events(ledger_rows(span_days=SIX_YEARS))
    classes: dict = {}                          # as the sheet's rows of one class share its converted terms
    terms = []
    for (w, s, c, m, sa), day in zip(distinct_register(rows), issue_dates(rows, shape)):
        base = classes.get((m, sa))
        if base is None:
            base = classes[(m, sa)] = d1_terms(anti_dilution=m, share_adjustment=sa, common_outstanding=OUTSTANDING,
                                               fully_diluted=FULLY_DILUTED)
        # addin.excel.convert.parse_register's pair: the class's Terms, the row's own Holding
        terms.append((base, Holding(w, s, Fraction(c, 100), day)))
    return terms, ledger


def decimal_floor(terms: list, ledger: tuple) -> None:
    """One Decimal multiply-compare per warrant-event seen (events after the warrant's Issue Date)."""
    dates = [e.date for e in ledger]
    factor, bound = Decimal(10) / Decimal(11), Decimal("0.00001")
    for _t, h in terms:
        p = Decimal(h.exercise_price.numerator) / h.exercise_price.denominator
        for d in dates:
            if d > h.issue_date:
                p = p * factor
                if p < bound:
                    p = bound


def weighted_work(terms: list, ledger: tuple) -> list[tuple[int, tuple, Fraction]]:
    """(constants' place in an ISSUE op, program, starting price) of each weighted-average warrant."""
    from dataclasses import replace
    from engine.events import sort_events
    ledger = tuple(e for e in sort_events(ledger) if e.date <= AS_OF)
    dates = [e.date for e in ledger]
    programs: dict = {}
    out = []
    for t, h in terms:
        if t.anti_dilution not in ("BROAD_WEIGHTED_AVERAGE", "NARROW_WEIGHTED_AVERAGE"):
            continue
        own = replace(t, issue_date=h.issue_date)
        key = group_key(own, dates)
        program = programs.get(key)
        if program is None:
            program = programs[key] = program_for(own, ledger)
        out.append((3 if t.anti_dilution == "BROAD_WEIGHTED_AVERAGE" else 4, program, h.exercise_price))
    return out


def exact_weighted_floor(work: list) -> int:
    """One exact reduced §4(d) weighted-average step per issue that moves a warrant's price; the steps."""
    steps = 0
    for place, program, price in work:
        n, d = price.numerator, price.denominator
        for op in program:
            if op[0] == ISSUE and type(op[place]) is tuple and op[1] * d < n * op[2]:
                x, y, gn, gd = op[place]
                nn, nd = (n * x + d * y) * gn, d * gd
                g = gcd(nn, nd)
                n, d = nn // g, nd // g
                steps += 1
    return steps


def timed(fn) -> float:
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def measure(rows: int, shape: str, runs: int) -> dict:
    terms, ledger = book(rows, shape)
    seen = sum(1 for _t, h in terms for e in ledger if e.date > h.issue_date)
    dates = sorted(e.date for e in ledger)
    cuts = {bisect_right(dates, h.issue_date) for _t, h in terms}
    groups = {(id(t), bisect_right(dates, h.issue_date)) for t, h in terms}
    work = weighted_work(terms, ledger)
    steps = exact_weighted_floor(work)
    engine_s, floor_s, exact_s = [], [], []
    for _ in range(runs):                       # interleaved: the engine, then its floors
        clear_caches()
        engine_s.append(timed(lambda: register(terms, ledger, AS_OF)))
        floor_s.append(timed(lambda: decimal_floor(terms, ledger)))
        exact_s.append(timed(lambda: exact_weighted_floor(work)))
    e, f = statistics.median(engine_s), statistics.median(floor_s)
    return {"shape": shape, "rows": rows, "events": len(ledger), "warrant_events_seen": seen,
            "cuts": len(cuts), "groups": len(groups),
            "engine_register_s": round(e, 4), "per_warrant_us": round(e / rows * 1e6, 1),
            "floor_decimal_per_event_seen_s": round(f, 4), "engine_over_floor": round(e / f, 2),
            "exact_weighted_steps": steps, "floor_exact_weighted_s": round(statistics.median(exact_s), 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[1_000, 10_000])
    ap.add_argument("--shapes", nargs="+", default=["spread", "before"])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    books = [measure(n, shape, args.runs) for shape in args.shapes for n in args.rows]
    print(json.dumps({"python": sys.version.split()[0], "runs": args.runs, "books": books}, indent=1))


if __name__ == "__main__":
    main()
