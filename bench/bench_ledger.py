"""Benchmark of the §4 ledger and the register (issue 11). Prints one JSON object; not a timed test.

Workloads (bench/workloads.py, fixed seeds): one 100-event ledger of every company-wide
kind; a shared register (10,000 warrants, prices from 40 financing rounds, four methods,
both share rules); a distinct register (10,000 warrants, each price drawn to the cent).
Every figure is printed beside its floor, measured in the same run:

* ``trail``: one ledger with its full §4 trail through ``engine.adjust``, the ledger already
  seen (warm: the engine answers from its cache) and never seen before (cold: a fresh ledger
  per run, the engine's caches emptied first; the rows' numbers and sentences are made when
  first read, so ``cold_then_every_row_read_ms`` adds reading every field of every row); floor:
  100 bare ``Decimal`` multiply-compares (one per event);
* ``register_shared`` / ``register_distinct``: ``engine.register`` in warrant-events per
  second, the engine's caches emptied before each run (programs compiled every time), each
  warrant a ``Terms`` of its own; ``register_shared_holdings``: the same warrants as a workbook's
  register passes them, a ``Holding`` per row beside its class's ``Terms`` (the same answers);
  floors: a bare ``Decimal`` multiply-compare per warrant-event (inexact), and
  exact price operations on ``int`` numerator/denominator pairs and on ``Fraction``;
* ``reference_fold``: the same warrants one by one through the reference fold (sampled;
  ``engine.adjust`` answers through the fast trail, proven equal to it).

Medians of ``--runs`` runs, in CPU time (``time.process_time``: the machine is shared, and every figure
here runs on one thread).

    python bench/bench_ledger.py [--warrants 10000] [--runs 3] [--skip-distinct]
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from engine import Holding, adjust, clear_caches, parse_events, register  # noqa: E402
from engine.ledger import reference_adjust  # noqa: E402

from workloads import AS_OF, distinct_register, ledger_rows, price_paths, shared_register, terms_of  # noqa: E402


def median_time(runs: int, fn, *, fresh: bool = False) -> float:
    """Median seconds of ``runs`` calls; ``fresh``: the engine's caches emptied before each."""
    times = []
    for _ in range(runs):
        if fresh:
            clear_caches()
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times)


# ----------------------------------------------------------------------------- floors

# One floor "operation" is one event applied to one warrant's price: multiply by the event's
# factor and compare with a bound. Warrants of 100 events each, prices starting at whole cents,
# factors cycling through a split's, a dividend's and a weighted average's, so exact numbers
# grow as the register's do.
FACTORS = ((2, 3), (10, 11), (24, 26), (5, 4))


def decimal_ops(n: int) -> None:
    """n bare Decimal multiply-compares (rounded to 28 digits: inexact, the language's floor)."""
    factors = [Decimal(a) / Decimal(b) for a, b in FACTORS]
    bound = Decimal("0.00001")
    for w in range(n // 100):
        p = Decimal(w % 5000 + 1) / 100
        for e in range(100):
            p = p * factors[e & 3]
            if p < bound:
                p = bound


def int_pair_ops(n: int) -> None:
    """n exact operations on int numerator/denominator pairs: multiply, reduce by gcd, compare."""
    gcd = math.gcd
    bn, bd = 1, 100_000
    for w in range(n // 100):
        pn, pd = w % 5000 + 1, 100
        for e in range(100):
            a, b = FACTORS[e & 3]
            pn, pd = pn * a, pd * b
            g = gcd(pn, pd)
            if g != 1:
                pn, pd = pn // g, pd // g
            if pn * bd < bn * pd:
                pn, pd = bn, bd


def fraction_ops(n: int) -> None:
    """n exact operations with fractions.Fraction (one construction per operation)."""
    factors = [Fraction(a, b) for a, b in FACTORS]
    bound = Fraction(1, 100_000)
    for w in range(n // 100):
        p = Fraction(w % 5000 + 1, 100)
        for e in range(100):
            p = p * factors[e & 3]
            if p < bound:
                p = bound


def per_second(count: int, seconds: float) -> int:
    return round(count / seconds)


def rate(runs: int, ops: int, fn) -> int:
    return per_second(ops, median_time(runs, lambda: fn(ops)))


# ----------------------------------------------------------------------------- figures

# Fresh ledgers for the cold trail: their costs differ (a ledger whose issues move this warrant's
# price more makes more steps and rows), so the median is taken over twenty, and the spread shown.
COLD_LEDGERS = 20


def trail(ledger, terms, runs: int, cold_ledgers: list) -> dict:
    adjust(terms, ledger, AS_OF)                                   # seen once: its answer is cached
    warm = median_time(max(runs, 9), lambda: adjust(terms, ledger, AS_OF))
    cold, read = [], []
    for other in cold_ledgers:                                     # each ledger's first call
        clear_caches()
        t0 = time.process_time()
        answer = adjust(terms, other, AS_OF)
        cold.append(time.process_time() - t0)
        t0 = time.process_time()
        for row in answer.trail:                                   # numbers and sentences are made when read
            [getattr(row, field) for field in row.FIELDS]
        read.append(time.process_time() - t0)
    floor = median_time(max(runs, 9), lambda: decimal_ops(len(ledger)))
    cold_sorted = sorted(cold)
    return {"events": len(ledger), "warm_ms": round(warm * 1000, 3), "cold_ms": round(statistics.median(cold) * 1000, 3),
            "cold_ledgers": len(cold_ledgers), "cold_fastest_ms": round(cold_sorted[0] * 1000, 3),
            "cold_90th_percentile_ms": round(cold_sorted[int(0.9 * (len(cold) - 1))] * 1000, 3),
            "cold_slowest_ms": round(cold_sorted[-1] * 1000, 3), "goal_warm_ms": 0.12, "goal_cold_ms": 2.5,
            "cold_then_every_row_read_ms": round((statistics.median(cold) + statistics.median(read)) * 1000, 3),
            "floor_decimal_ops_per_event_ms": round(floor * 1000, 4)}


def holdings_of(rows: list[tuple]) -> list[tuple]:
    """The same warrants as a workbook's register passes them (addin.excel.convert.parse_register): one
    Terms per class (method, share rule), and each row a Holding (name, Warrant Shares, Exercise Price)."""
    classes: dict[tuple, object] = {}
    book = []
    for w, s, c, m, sa in rows:
        t = classes.get((m, sa)) or classes.setdefault((m, sa), terms_of([(w, s, c, m, sa)])[0])
        book.append((t, Holding(w, s, Fraction(c, 100))))
    return book


def register_figure(rows: list[tuple], ledger, runs: int, floors: dict, rows_as: str = "terms") -> dict:
    """The register in warrant-events/s, its programs compiled in every run; ``rows_as``: each warrant a
    Terms of its own (``terms``, the issue's figure) or a Holding beside its class's Terms (``holdings``)."""
    book = terms_of(rows) if rows_as == "terms" else holdings_of(rows)
    we = len(book) * len(ledger)
    figure = {"rows_as": rows_as, "warrants": len(book), "warrant_events": we, "distinct_price_paths": price_paths(rows)}
    seconds = median_time(runs, lambda: register(book, ledger, AS_OF), fresh=True)   # programs compiled each run
    figure.update({"seconds": round(seconds, 3), "warrant_events_per_second": per_second(we, seconds)})
    return {**figure, **floors}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--warrants", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-distinct", action="store_true", help="skip the distinct register (its slowest figure)")
    ns = ap.parse_args()
    ledger = parse_events(ledger_rows())
    shared = shared_register(ns.warrants)
    one = terms_of(shared[:1])[0]
    cold_ledgers = [parse_events(ledger_rows(seed=1000 + k)) for k in range(max(ns.runs, COLD_LEDGERS))]
    ops = 200_000
    floors = {"floor_decimal_multiply_compare_per_second": rate(ns.runs, ops, decimal_ops),
              "floor_int_pair_ops_per_second": rate(ns.runs, ops, int_pair_ops),
              "floor_fraction_ops_per_second": rate(ns.runs, ops, fraction_ops)}
    report = {
        "python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(), "runs": ns.runs,
        "trail": trail(ledger, one, ns.runs, cold_ledgers),
        "register_shared": {**register_figure(shared, ledger, ns.runs, floors), "goal_per_second": 15_000_000},
        "register_shared_holdings": register_figure(shared, ledger, ns.runs, floors, rows_as="holdings"),
    }
    assert register(terms_of(shared), ledger, AS_OF) == register(holdings_of(shared), ledger, AS_OF), "row shapes differ"
    if not ns.skip_distinct:
        report["register_distinct"] = {**register_figure(distinct_register(ns.warrants), ledger, ns.runs, floors),
                                       "goal_per_second": 2_000_000}
    sample = terms_of(shared[:50])
    t_ref = median_time(1, lambda: [reference_adjust(t, ledger, AS_OF) for t in sample], fresh=True)
    report["reference_fold"] = {"sampled_warrants": len(sample),
                                "warrant_events_per_second": per_second(len(sample) * len(ledger), t_ref)}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
