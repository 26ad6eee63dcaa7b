"""The workloads of issue 11, generated from fixed seeds (shared by bench_ledger.py and bench_workbook.py).

* ``ledger_rows(seed)``: 100 company-wide events of every kind but MERGER and EXERCISE
  (issues above and below the warrants' prices, stock and rights dividends, splits and
  combinations, treasury, options and convertibles, about 7 AMEND and 7 EXPIRE, Board
  adjustments), as raw event-table rows (what the Events sheet holds);
* ``shared_register(n)``: warrants whose prices come from 40 financing rounds, four
  methods, both share rules (few distinct price paths);
* ``distinct_register(n)``: each warrant's price drawn to the cent at random (nearly
  every warrant its own price path);
* ``issue_dates(n, shape)``: each warrant's Issue Date for the register-book shapes of issue 17
  (``one``: every warrant issued on :data:`ISSUED`, the day before the ledger; ``spread``: drawn
  to the day over the six years the ``span_days=SIX_YEARS`` ledger covers, so warrants see
  different tails of it; ``before``: drawn over the six years before the ledger, so every warrant
  sees all of it).

Register rows are plain tuples (warrant, shares, price in cents, method, share rule) so
the workbook bench writes the very same warrants the engine bench builds Terms from.
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

EVENTS = 100
SIX_YEARS = 6 * 365
OUTSTANDING, FULLY_DILUTED = 10_000_000, 12_000_000
AS_OF = date(2010, 1, 1)
ISSUED = date(2001, 2, 7)
METHODS = ("FULL_RATCHET", "BROAD_WEIGHTED_AVERAGE", "NARROW_WEIGHTED_AVERAGE", "NONE")
SHARE_RULES = ("NONE", "KEEP_AGGREGATE")
# The ledger's mix of kinds (100 events): issues commonest; 7 AMEND and 7 EXPIRE of earlier grants.
MIX = {"ISSUE": 24, "SPLIT": 8, "COMBINATION": 8, "STOCK_DIVIDEND": 8, "RIGHTS_DIVIDEND": 6, "TREASURY": 6,
       "OPTIONS": 10, "CONVERTIBLE": 10, "AMEND": 7, "EXPIRE": 7, "OTHER": 6}


def _cents(rng: random.Random, lo: int, hi: int) -> Decimal:
    return Decimal(rng.randint(lo, hi)) / 100


def ledger_rows(seed: int = 7, n: int = EVENTS, span_days: int | None = None) -> list[dict]:
    """``n`` valid events (raw rows keyed by engine.EVENT_COLUMNS, money as Decimal), one to 12 days
    apart, or (``span_days``) spread so that the ``n`` events cover about that many days."""
    rng = random.Random(seed)
    queue = [k for k, count in MIX.items() for _ in range(count)]
    rng.shuffle(queue)
    queue = [queue[i % len(queue)] for i in range(n)]
    rows: list[dict] = []
    live: list[str] = []
    grants = 0
    day = date(2001, 2, 8)
    while queue:
        kind = queue.pop(0)
        if kind in ("AMEND", "EXPIRE") and not live:
            queue.append(kind)          # no grant to amend yet: later
            continue
        day += timedelta(days=rng.randint(1, 12 if span_days is None else max(1, 2 * span_days // n - 1)))
        row: dict = {"date": day, "event": kind}
        if kind in ("SPLIT", "COMBINATION"):
            a, b = rng.choice([(3, 2), (2, 1), (5, 4), (11, 10)])
            row["ratio"] = f"{a}-for-{b}" if kind == "SPLIT" else f"{b}-for-{a}"
        elif kind in ("STOCK_DIVIDEND", "RIGHTS_DIVIDEND", "TREASURY"):
            row["shares"] = rng.randint(10_000, 400_000)
        elif kind == "ISSUE":   # $0.05 to $40.00 a share: above some warrants' prices, below others'
            shares = rng.randint(1_000, 2_000_000)
            row.update(shares=shares, consideration=shares * _cents(rng, 5, 4000),
                       category=rng.choice(["", "", "", "MANAGEMENT", "SERIES_D", "EXCLUDED"]))
        elif kind in ("OPTIONS", "CONVERTIBLE"):
            grants += 1
            ref = f"G{grants}"
            live.append(ref)
            shares = rng.randint(10_000, 1_000_000)
            row.update(ref=ref, shares=shares, consideration=Decimal(rng.randint(0, 500)),
                       additional_consideration=shares * _cents(rng, 5, 4000))
        elif kind in ("AMEND", "EXPIRE"):
            row["ref"] = rng.choice(live)
            if kind == "AMEND":
                row["additional_consideration"] = Decimal(rng.randint(0, 3000))
            else:
                live.remove(row["ref"])
        else:   # OTHER: the Board's equitable adjustment
            row.update(price=_cents(rng, 5, 4000), note="Board determination")
        rows.append(row)
    return rows


def shared_register(n: int, seed: int = 11) -> list[tuple]:
    """Prices from 40 financing rounds ($0.05 to $40.00 to the cent), four methods, both share rules."""
    rng = random.Random(seed)
    rounds = [rng.randint(5, 4000) for _ in range(40)]
    return [(f"W-{i + 1:05d}", rng.randint(1_000, 500_000), rng.choice(rounds), METHODS[i % 4], SHARE_RULES[(i // 4) % 2])
            for i in range(n)]


def distinct_register(n: int, seed: int = 13) -> list[tuple]:
    """Each price drawn to the cent at random ($0.01 to $100.00)."""
    rng = random.Random(seed)
    return [(f"W-{i + 1:05d}", rng.randint(1_000, 500_000), rng.randint(1, 10_000), METHODS[i % 4],
             SHARE_RULES[(i // 4) % 2]) for i in range(n)]


def terms_of(rows: list[tuple]) -> list:
    from engine import d1_terms
    return [d1_terms(warrant=w, warrant_shares=Fraction(s), exercise_price=Fraction(c, 100), anti_dilution=m,
                     share_adjustment=sa, common_outstanding=OUTSTANDING, fully_diluted=FULLY_DILUTED)
            for w, s, c, m, sa in rows]


def price_paths(rows: list[tuple]) -> int:
    """Distinct (method, share rule, price): the runs the register cannot share."""
    return len({(m, sa, c) for _w, _s, c, m, sa in rows})


SHAPES = ("one", "spread", "before")


def issue_dates(n: int, shape: str, seed: int = 17) -> list[date]:
    """Each warrant's Issue Date for the register-book ``shape`` (see the module's docstring)."""
    rng = random.Random(seed)
    if shape == "one":
        return [ISSUED] * n
    if shape == "spread":            # over the six years of ledger_rows(span_days=SIX_YEARS), which starts after ISSUED
        return [ISSUED + timedelta(days=rng.randint(0, SIX_YEARS)) for _ in range(n)]
    if shape == "before":            # over the six years before the ledger: all of it seen
        return [ISSUED - timedelta(days=rng.randint(0, SIX_YEARS)) for _ in range(n)]
    raise ValueError(f"unknown shape {shape!r}; known: {', '.join(SHAPES)}")
