"""Benchmark of the §4 ledger (issue 3). Prints one JSON object; not a timed test.

A register of 10,000 warrants sharing one 100-event ledger, evaluated to price
and shares by ``engine.register``; the same warrants one by one through the
reference fold (sampled); one 100-event ledger with its full trail through
``engine.adjust``; and a bare ``Decimal`` loop doing one multiply-compare per
warrant-event as the language's floor.

    python bench/bench_ledger.py [--warrants 10000] [--events 100]
"""
from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction as F
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine import adjust, d1_terms, parse_events, register  # noqa: E402


def shared_ledger(n: int, seed: int = 7) -> tuple:
    """A valid ledger of ``n`` events of every kind but MERGER and EXERCISE (company-wide events)."""
    rng = random.Random(seed)
    rows, grants, day = [], [], date(2001, 2, 8)
    kinds = ["SPLIT", "COMBINATION", "STOCK_DIVIDEND", "RIGHTS_DIVIDEND", "ISSUE", "ISSUE", "ISSUE", "OPTIONS",
             "CONVERTIBLE", "AMEND", "EXPIRE", "TREASURY", "OTHER"]
    while len(rows) < n:
        day += timedelta(days=rng.randint(1, 12))
        kind = rng.choice(kinds)
        row = {"date": day, "event": kind}
        if kind in ("SPLIT", "COMBINATION"):
            a, b = rng.choice([(3, 2), (2, 1), (5, 4), (11, 10)])
            row["ratio"] = f"{a}-for-{b}" if kind == "SPLIT" else f"{b}-for-{a}"
        elif kind in ("STOCK_DIVIDEND", "RIGHTS_DIVIDEND", "TREASURY"):
            row["shares"] = rng.randint(10_000, 400_000)
        elif kind == "ISSUE":
            shares = rng.randint(1_000, 2_000_000)
            row.update(shares=shares, consideration=Decimal(shares) * Decimal(rng.randint(1, 1200)) / 100_000,
                       category=rng.choice(["", "", "", "MANAGEMENT", "SERIES_D", "EXCLUDED"]))
        elif kind in ("OPTIONS", "CONVERTIBLE"):
            ref = f"G{len(grants) + 1}"
            grants.append(ref)
            shares = rng.randint(10_000, 1_000_000)
            row.update(ref=ref, shares=shares, consideration=Decimal(rng.randint(0, 500)),
                       additional_consideration=Decimal(shares) * Decimal(rng.randint(1, 1500)) / 100_000)
        elif kind in ("AMEND", "EXPIRE"):
            live = [g for g in grants if g not in {r.get("ref") for r in rows if r["event"] == "EXPIRE"}]
            if not live:
                continue
            row["ref"] = rng.choice(live)
            if kind == "AMEND":
                row["additional_consideration"] = Decimal(rng.randint(0, 3000))
        else:
            row.update(price=Decimal(rng.randint(100, 1200)) / 100_000, note="Board determination")
        rows.append(row)
    return parse_events(rows)


def warrants(count: int, distinct_prices: int | None, seed: int = 11) -> list:
    rng = random.Random(seed)
    methods = ["FULL_RATCHET", "FULL_RATCHET", "BROAD_WEIGHTED_AVERAGE", "NARROW_WEIGHTED_AVERAGE"]
    out = []
    for i in range(count):
        cents = rng.randint(1, 2000) if distinct_prices is None else rng.randint(1, distinct_prices)
        price = F(cents, 100_000) if distinct_prices is not None else F(i + 1, 1_000_000)
        out.append(d1_terms(warrant=f"W-{i + 1:05d}", warrant_shares=F(rng.randint(1_000, 500_000)), exercise_price=price,
                            anti_dilution=methods[i % 4], share_adjustment="KEEP_AGGREGATE" if i % 5 == 0 else "NONE",
                            common_outstanding=10_000_000, fully_diluted=12_000_000))
    return out


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--warrants", type=int, default=10_000)
    ap.add_argument("--events", type=int, default=100)
    args = ap.parse_args()
    ledger = shared_ledger(args.events)
    as_of = date(2010, 1, 1)
    n, e = args.warrants, len(ledger)

    book = warrants(n, distinct_prices=200)          # a register: 200 distinct prices, 4 methods, 2 share rules
    t_register = best_of(3, lambda: register(book, ledger, as_of))

    worst = warrants(n, distinct_prices=None)        # every warrant a different price: no shared runs
    t_worst = best_of(1, lambda: register(worst, ledger, as_of))

    sample = book[:200]
    t_ref = best_of(1, lambda: [adjust(t, ledger, as_of) for t in sample]) * (n / len(sample))
    t_trail = best_of(20, lambda: adjust(book[0], ledger, as_of))

    def decimal_floor():
        factor, floor_price = Decimal("0.999"), Decimal("0.00001")
        for _ in range(n):
            p = Decimal("0.01")
            for _ in range(e):
                p = p * factor
                if p < floor_price:
                    p = floor_price
    t_floor = best_of(1, decimal_floor)

    we = n * e
    print(json.dumps({
        "python": platform.python_version(),
        "machine": platform.machine(),
        "warrants": n,
        "events": e,
        "warrant_events": we,
        "register_seconds": round(t_register, 4),
        "register_warrant_events_per_second": round(we / t_register),
        "register_distinct_price_paths": len({(t.anti_dilution, t.share_adjustment, t.exercise_price) for t in book}),
        "worst_case_all_prices_distinct_seconds": round(t_worst, 3),
        "worst_case_warrant_events_per_second": round(we / t_worst),
        "reference_fold_seconds_estimated_from_200": round(t_ref, 2),
        "reference_fold_warrant_events_per_second": round(we / t_ref),
        "one_ledger_with_full_trail_ms": round(t_trail * 1000, 3),
        "bare_decimal_loop_warrant_events_per_second": round(we / t_floor),
    }, indent=2))


if __name__ == "__main__":
    main()
