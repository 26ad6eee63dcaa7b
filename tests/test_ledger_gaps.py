"""Ledgers no hand-derived test had: the gaps the mutation report on engine/rules.py found (docs/mutation.md).

Each expected value is derived by hand from Performance Warrant No. D-1's §4
(../shared/seeds/000_0a29cc6c40c6e08c.txt) and the readings of docs/interpretations.md, with the
arithmetic beside it. Every ledger is answered by the fast trail (``engine.adjust``), the reference
fold (``engine.ledger.reference_adjust``) and the register (``engine.register``), which all take
their §4 decisions from engine/rules.py; the price in effect and the calculated price (§4(g)(iii))
are asserted too, since §4(h)'s price returned (the lower of the lowest price made and the price in
effect) hides a wrong one of them.
"""
from __future__ import annotations

from datetime import date
from fractions import Fraction as F
from importlib import import_module

import pytest

from engine import APPLIED, BLOCKED_UPWARD, CARRIED_FORWARD, NO_EFFECT, WarrantError, adjust, d1_terms, rules
from engine.ledger import reference_adjust
from engine.register import register
from engine.terms import Terms
from tests.ledger_text import ledger

FAR = date(2099, 12, 31)
register_module = import_module("engine.register")        # the module (engine.register is also the function)
D1 = d1_terms(common_outstanding=10_000_000, fully_diluted=10_000_000)
# D-1 with a Price Increment of $0.001 (a tenth of its $0.01 price), rounded half up: wide enough that a
# price made 1% or more below the price in effect can round back up to it.
D1_TENTH = d1_terms(price_increment=F(1, 1000), price_rounding="ROUND_HALF_UP")


# Ledgers also read as of a date between their rows, or for their sentences (below).
LOWEST_BELOW = """2002-01-01 | SPLIT | ratio=1001-for-1000
                  2002-02-01 | ISSUE | shares=1000000 | consideration=9600"""
MERGER_THEN_ISSUES = """2002-01-01 | MERGER | ratio=1-for-2 | note=NewCo common
                        2002-02-01 | ISSUE | shares=1000000 | consideration=19900
                        2002-03-01 | ISSUE | shares=1000000 | consideration=15000"""
EXERCISE_WHILE_CARRIED = """2001-06-01 | ISSUE | shares=1000 | consideration=9.95
                            2001-07-01 | EXERCISE | shares=61290
                            2001-08-01 | ISSUE | shares=1000 | consideration=9.90"""
ROUNDED_ABOVE = """2002-01-01 | ISSUE | shares=1000000 | consideration=10700
                   2002-02-01 | ISSUE | shares=1000000 | consideration=10850"""
AT_0109 = d1_terms(exercise_price=F(109, 10_000), price_increment=F(1, 1000))


def plain(**kw) -> Terms:
    """A warrant with its own terms (no preset): no par value, no floor, no management cap."""
    base = dict(issue_date=date(2020, 1, 1), warrant_shares=F(100), exercise_price=F(1), anti_dilution="FULL_RATCHET")
    base.update(kw)
    return Terms(**base)


def answered(terms: Terms, text: str, as_of: date = FAR):
    """The trail's answer, checked against the reference fold's and the register's."""
    events = ledger(text)
    fast, reference = adjust(terms, events, as_of), reference_adjust(terms, events, as_of)
    assert [(r.status, r.price_after, r.shares_after) for r in fast.trail] == \
           [(r.status, r.price_after, r.shares_after) for r in reference.trail]
    assert (fast.price, fast.shares, fast.price_in_effect, fast.carried_price) == \
           (reference.price, reference.shares, reference.price_in_effect, reference.carried_price)
    assert register([terms], events, as_of) == [(fast.price, fast.shares)]
    # Whole Warrant Shares are an int (engine.numbers.share_count: D-1's counts are whole shares, a fraction
    # arises only where a §4 sentence makes one), from every driver: a pair left unreduced would give Fraction(n, 1).
    whole = fast.shares.denominator == 1
    for shares in (fast.shares, reference.shares, register([terms], events, as_of)[0][1]):
        assert (type(shares) is int) == whole, shares
    return fast


# (clause and arithmetic, terms, ledger,
#  price returned (§4(h)), Warrant Shares, price in effect, calculated price (§4(g)(iii)), statuses)
CASES = [
    # --- §4(h): the lowest price made, restated, strictly below the price in effect
    ("§4(h) below the price in effect: §4(b) a 1001-for-1000 split moves $0.01 to $0.01 x 1000/1001 = 10/1001, "
     "0.0999% (under 1%): carried (§4(g)(iii)), $0.01 stays; the share sentence applies: 161,290 x 1001/1000 = "
     "161,451.29. §4(d) 1,000,000 for $9,600 = $0.0096 < 10/1001: 4% below $0.01, made, and rounded to the "
     "$0.001 increment half up, 9.6 -> 10 increments = $0.010 (not above $0.01: no §4(g)(iv) bar). §4(h): the "
     "Issue Date's $0.01 restated through the split is 10/1001 = $0.00999000999..., below the $0.010 made: "
     "10/1001 is returned",
     D1_TENTH, LOWEST_BELOW, F(10, 1001), F(16_145_129, 100), F(1, 100), F(1, 100), [CARRIED_FORWARD, APPLIED]),
    ("§4(h) the lowest kept through a later split: the ledger above, then §4(b) 2-for-1: $0.010 / 2 = $0.005 made "
     "(50%); the lowest 10/1001 restated / 2 = 5/1001 = $0.0049950... < $0.005: 5/1001 returned; shares "
     "161,451.29 x 2 = 322,902.58",
     D1_TENTH, """2002-01-01 | SPLIT | ratio=1001-for-1000
                  2002-02-01 | ISSUE | shares=1000000 | consideration=9600
                  2002-03-01 | SPLIT | ratio=2-for-1""",
     F(5, 1001), F(32_290_258, 100), F(1, 200), F(1, 200), [CARRIED_FORWARD, APPLIED, APPLIED]),
    ("§4(h) and a later issue below the lowest: the first two rows above, then §4(d) 1,000,000 for $9,000 = $0.009 "
     "< $0.010 (10% below, made; $0.009 is on the increment); §4(h): $0.009 < 10/1001: $0.009 returned",
     D1_TENTH, """2002-01-01 | SPLIT | ratio=1001-for-1000
                  2002-02-01 | ISSUE | shares=1000000 | consideration=9600
                  2002-03-01 | ISSUE | shares=1000000 | consideration=9000""",
     F(9, 1000), F(16_145_129, 100), F(9, 1000), F(9, 1000), [CARRIED_FORWARD, APPLIED, APPLIED]),
    ("§4(h) below the price in effect, after a ratchet: §4(d) 1,000,000 for $5,000 = $0.005 (50% below, made, on the "
     "increment); 1001-for-1000 carried ($0.005 -> 5/1001, 0.0999%; shares 161,451.29); §4(d) $4,800 = $0.0048 < "
     "5/1001: 4% below $0.005, made, rounded half up 4.8 -> 5 increments = $0.005. §4(h): the ratchet's $0.005 "
     "restated through the split, 5/1001 = $0.0049950..., is returned",
     D1_TENTH, """2001-06-01 | ISSUE | shares=1000000 | consideration=5000
                  2002-01-01 | SPLIT | ratio=1001-for-1000
                  2002-02-01 | ISSUE | shares=1000000 | consideration=4800""",
     F(5, 1001), F(16_145_129, 100), F(5, 1000), F(5, 1000), [APPLIED, CARRIED_FORWARD, APPLIED]),
    ("§4(h) below the price in effect, a price above $1: a warrant at $10 with a 1% Minimum Adjustment and a $0.25 "
     "increment half up; 1001-for-1000 carried ($10 -> 10,000/1001 = $9.99000999..., 0.0999%; shares 100.1); "
     "§4(d) 1,000 for $9,880 = $9.88: 1.2% below $10, made, 39.52 -> 40 increments = $10.00 (not above $10). "
     "§4(h): $10 restated, 10,000/1001, returned",
     plain(exercise_price=F(10), minimum_adjustment=F(1, 100), price_increment=F(1, 4)),
     """2021-01-01 | SPLIT | ratio=1001-for-1000
        2021-02-01 | ISSUE | shares=1000 | consideration=9880""",
     F(10_000, 1001), F(1001, 10), F(10), F(10), [CARRIED_FORWARD, APPLIED]),
    # --- §4(b) merger, then an issue below the restated price
    ("§4(b) merger 1 NewCo unit for 2 Common: 161,290 / 2 = 80,645 units at $0.01 x 2 = $0.02 (every price "
     "restated per unit). §4(d) 1,000,000 units for $19,900 = $0.0199 < $0.02: 0.5% of $0.02, carried "
     "(§4(g)(iii)); then 1,000,000 for $15,000 = $0.015 < $0.0199: 25% below $0.02, made; §4(h) $0.015 < $0.02",
     D1, MERGER_THEN_ISSUES, F(15, 1000), F(80_645), F(15, 1000), F(15, 1000), [APPLIED, CARRIED_FORWARD, APPLIED]),
    ("§4(b) merger, then §4(h) below the price in effect: 1-for-2 gives $0.02 a unit on 80,645 units; 1001-for-1000 "
     "moves $0.02 to 20/1001 (0.0999%, carried), units 80,645 x 1.001 = 80,725.645; §4(d) 1,000,000 for $19,600 = "
     "$0.0196 < 20/1001, 2% below $0.02, made and rounded half up to $0.001: 19.6 -> $0.020 (not above $0.02). "
     "§4(h): the merger's $0.02 restated through the split, 20/1001, is below $0.020: 20/1001 returned",
     D1_TENTH, """2002-01-01 | MERGER | ratio=1-for-2 | note=NewCo common
                  2002-02-01 | SPLIT | ratio=1001-for-1000
                  2002-03-01 | ISSUE | shares=1000000 | consideration=19600""",
     F(20, 1001), F(80_725_645, 1000), F(2, 100), F(2, 100), [APPLIED, CARRIED_FORWARD, APPLIED]),
    ("§4(b) a split carried before a merger stays pending: 1001-for-1000 carried ($0.01 -> 10/1001; shares "
     "161,451.29); merger 1-for-2: $0.02 a unit in effect, 20/1001 calculated, 80,725.645 units; §4(d) $0.0196 < "
     "20/1001, 2% below $0.02, made, rounded to $0.020. §4(h): $0.02 restated through the split, 20/1001, returned",
     D1_TENTH, """2002-01-01 | SPLIT | ratio=1001-for-1000
                  2002-02-01 | MERGER | ratio=1-for-2 | note=NewCo common
                  2002-03-01 | ISSUE | shares=1000000 | consideration=19600""",
     F(20, 1001), F(80_725_645, 1000), F(2, 100), F(2, 100), [CARRIED_FORWARD, APPLIED, APPLIED]),
    # --- §1(c) exercise, then an issue below the price
    ("§1(c) exercise after a carried change: §4(d) $9.95 / 1,000 = $0.00995 (0.5%, carried: calculated $0.00995, "
     "$0.01 in effect); the holder exercises 61,290: 100,000 remain; §4(d) $0.0099: together 1% below $0.01, made "
     "(§4(g)(iii) '1% or more'): $0.0099 on 100,000",
     D1, EXERCISE_WHILE_CARRIED, F(99, 10_000), F(100_000), F(99, 10_000), F(99, 10_000), [CARRIED_FORWARD, APPLIED, APPLIED]),
    ("§1(c) exercise, then §4(h) below the price in effect: 61,290 exercised leaves 100,000; 1001-for-1000 "
     "carried ($0.01 -> 10/1001, 0.0999%), shares 100,100; §4(d) $0.0096, 4% below, made, rounded to $0.010; "
     "§4(h): $0.01 restated, 10/1001, returned",
     D1_TENTH, """2002-01-01 | EXERCISE | shares=61290
                  2002-02-01 | SPLIT | ratio=1001-for-1000
                  2002-03-01 | ISSUE | shares=1000000 | consideration=9600""",
     F(10, 1001), F(100_100), F(1, 100), F(1, 100), [APPLIED, CARRIED_FORWARD, APPLIED]),
    ("§1(c) exercise, then §4(b) merger: 161,290 - 61,290 = 100,000 remain; merger 1 NewCo unit for 2 Common: "
     "100,000 / 2 = 50,000 units (whole: an int), at $0.01 x 2 = $0.02 a unit",
     D1, """2002-01-01 | EXERCISE | shares=61290
            2002-02-01 | MERGER | ratio=1-for-2 | note=NewCo common""",
     F(2, 100), 50_000, F(2, 100), F(2, 100), [APPLIED, APPLIED]),
    # --- pending split units: a combination on the Issue Date's price
    ("§4(b) a 1-for-4 combination on the Issue Date's price, no earlier ratchet: $0.01 x 4 = $0.04 (an upward "
     "adjustment §4(g)(iv) allows), 161,290 / 4 = 40,322.5 shares; §4(h): $0.01 restated x 4 = $0.04, the same",
     D1, "2002-01-01 | COMBINATION | ratio=1-for-4", F(4, 100), F(80_645, 2), F(4, 100), F(4, 100), [APPLIED]),
    ("§4(b) a combination carried, then made with a split: 1000-for-1001 raises $0.01 to $0.01 x 1001/1000 = "
     "$0.01001 (0.1%, carried; shares 161,290 x 1000/1001 = 161,128.87...); 2-for-1: $0.01001 / 2 = $0.005005, "
     "made; §4(h): $0.01 restated x 1001/1000 / 2 = $0.005005, the same; shares x 2 = 322,257.74...",
     D1, """2002-01-01 | COMBINATION | ratio=1000-for-1001
            2002-02-01 | SPLIT | ratio=2-for-1""",
     F(1001, 200_000), F(322_580_000, 1001), F(1001, 200_000), F(1001, 200_000), [CARRIED_FORWARD, APPLIED]),
    # --- §4(g)(iii) at its edges: exactly 1% up is made; a change one integer short of 1% is carried
    ("§4(b), §4(g)(iii) a 100-for-101 combination raises $0.01 by exactly 1%: $0.01 x 101/100 = $0.0101, '1% or "
     "more': made; shares 161,290 x 100/101 = 16,129,000/101",
     D1, "2002-01-01 | COMBINATION | ratio=100-for-101",
     F(101, 10_000), F(16_129_000, 101), F(101, 10_000), F(101, 10_000), [APPLIED]),
    ("§4(b), §4(g)(iii) a 101-for-102 combination raises $1 to $1 x 102/101 = $1.0099...: 1/101 = 0.990% of $1, "
     "less than 1%: carried; the share sentence applies, 100 x 101/102 = 5,050/51",
     plain(minimum_adjustment=F(1, 100)), "2021-01-01 | COMBINATION | ratio=101-for-102",
     F(1), F(5050, 51), F(1), F(102, 101), [CARRIED_FORWARD]),
    ("§4(b), §4(g)(iii) a 101-for-100 split lowers $1 to $1 x 100/101 = $0.990099...: 1/101 = 0.990% of $1, less "
     "than 1%: carried; shares 100 x 101/100 = 101",
     plain(minimum_adjustment=F(1, 100)), "2021-01-01 | SPLIT | ratio=101-for-100",
     F(1), F(101), F(1), F(100, 101), [CARRIED_FORWARD]),
    # --- §4(d) an issue at exactly the price otherwise applicable
    ("§4(d) 'less than' only: a warrant at $0.001 with a Price Floor of $0.01 above it; 1,000,000 for $1,000 = "
     "$0.001, not less than $0.001: no adjustment at all (so the floor is never reached): NO_EFFECT",
     d1_terms(exercise_price=F(1, 1000), price_floor=F(1, 100)),
     "2002-01-01 | ISSUE | shares=1000000 | consideration=1000",
     F(1, 1000), F(161_290), F(1, 1000), F(1, 1000), [NO_EFFECT]),
    # --- NO_EFFECT: events that change neither price nor shares
    ("§4(g)(ii) the Board's figure equal to the price in effect, $0.01: nothing moves: NO_EFFECT",
     D1, "2002-03-01 | OTHER | price=0.01 | note=confirmed", F(1, 100), F(161_290), F(1, 100), F(1, 100), [NO_EFFECT]),
    ("§4(g)(ii) the Board's figure equal to the price on a fractional share count: 1-for-4 gives $0.04 on 161,290 / 4 "
     "= 40,322.5 shares; the Board says $0.04: nothing moves: NO_EFFECT",
     D1, """2002-01-01 | COMBINATION | ratio=1-for-4
            2002-03-01 | OTHER | price=0.04 | note=confirmed""",
     F(4, 100), F(80_645, 2), F(4, 100), F(4, 100), [APPLIED, NO_EFFECT]),
    ("§4(g)(ii) the Board's figure equal to the calculated price while a change is carried: $9.95 / 1,000 = $0.00995 "
     "carried (0.5%), then the Board says $0.00995: no new change, still carried, NO_EFFECT",
     D1, """2001-06-01 | ISSUE | shares=1000 | consideration=9.95
            2002-03-01 | OTHER | price=0.00995 | note=confirmed""",
     F(1, 100), F(161_290), F(1, 100), F(995, 100_000), [CARRIED_FORWARD, NO_EFFECT]),
    ("§4(e)(ii) an amendment that recomputes to the same price: options at ($1,000 + $19,000) / 1,000,000 = $0.02 "
     "(not less than $0.01: no adjustment); amended to $1,000 + $14,000: $0.015, still not less: $0.01, NO_EFFECT",
     D1, """2001-06-01 | OPTIONS | ref=O1 | shares=1000000 | consideration=1000 | additional_consideration=19000
            2001-07-01 | AMEND | ref=O1 | additional_consideration=14000""",
     F(1, 100), F(161_290), F(1, 100), F(1, 100), [NO_EFFECT, NO_EFFECT]),
    ("§4(c) a stock dividend on a price of $0: 9,000,000 outstanding; §4(d) 1,000,000 for no consideration: $0 "
     "(10,000,000 outstanding); 1,000,000 dividend: $0 x 10/11 = $0, the price unchanged, but §4(c)'s share "
     "sentence applies: 161,290 x 11/10 = 177,419: APPLIED",
     d1_terms(common_outstanding=9_000_000, fully_diluted=9_000_000),
     """2001-06-01 | ISSUE | shares=1000000 | consideration=0
        2001-07-01 | STOCK_DIVIDEND | shares=1000000""",
     F(0), F(177_419), F(0), F(0), [APPLIED, APPLIED]),
    # --- §4(g)(iv) after rounding to the Price Increment
    ("§4(g)(iv) after rounding: a warrant at $0.0109, increment $0.001 half up; §4(d) 1,000,000 for $10,700 = "
     "$0.0107: 1.83% below $0.0109, made; rounded: 10.7 -> 11 increments = $0.011, above $0.0109: not adjusted "
     "upward, $0.0109 stays (later calculations start from it). §4(d) $10,850 = $0.01085 < $0.0109: 0.46% "
     "below, carried",
     AT_0109, ROUNDED_ABOVE, F(109, 10_000), F(161_290), F(109, 10_000), F(1085, 100_000), [APPLIED, CARRIED_FORWARD]),
    ("§4(g)(iv) after rounding, the other side: $0.0109, increment $0.001 half up; §4(d) $0.0104: 4.6% below, made; "
     "10.4 -> 10 increments = $0.010, below $0.0109: made",
     AT_0109, "2002-01-01 | ISSUE | shares=1000000 | consideration=10400",
     F(1, 100), F(161_290), F(1, 100), F(1, 100), [APPLIED]),
    ("§4(g)(iv) after rounding up with ROUND_CEILING: $1.00, increment $0.05; 1,000 shares for $930 = $0.93 "
     "(7% below, made): 18.6 -> 19 increments = $0.95, below $1.00: made at $0.95",
     plain(price_increment=F(5, 100), price_rounding="ROUND_CEILING"),
     "2021-01-01 | ISSUE | shares=1000 | consideration=930",
     F(95, 100), F(100), F(95, 100), F(95, 100), [APPLIED]),
    ("§4(g)(iv) after rounding up with ROUND_CEILING to the price: $1.00, increment $0.05; $0.96 (4% below, "
     "made): 19.2 -> 20 increments = $1.00, not above $1.00: made at $1.00, the price unchanged",
     plain(price_increment=F(5, 100), price_rounding="ROUND_CEILING"),
     "2021-01-01 | ISSUE | shares=1000 | consideration=960",
     F(1), F(100), F(1), F(1), [APPLIED]),
    # --- the Price Floor, just above and just below
    ("Price Floor $0.005: §4(d) 1,000,000 for $4,999 = $0.004999, just below the floor: floored at $0.005",
     d1_terms(price_floor=F(5, 1000)), "2002-01-01 | ISSUE | shares=1000000 | consideration=4999",
     F(5, 1000), F(161_290), F(5, 1000), F(5, 1000), [APPLIED]),
    ("Price Floor $0.005: §4(d) 1,000,000 for $5,001 = $0.005001, just above the floor: $0.005001",
     d1_terms(price_floor=F(5, 1000)), "2002-01-01 | ISSUE | shares=1000000 | consideration=5001",
     F(5001, 1_000_000), F(161_290), F(5001, 1_000_000), F(5001, 1_000_000), [APPLIED]),
    ("Price Floor $0.005 restated by a 2-for-1 split to $0.0025: §4(d) $2,499 / 1,000,000 = $0.002499 is floored at "
     "$0.0025; shares 322,580",
     d1_terms(price_floor=F(5, 1000)), """2002-01-01 | SPLIT | ratio=2-for-1
                                        2002-02-01 | ISSUE | shares=1000000 | consideration=2499""",
     F(25, 10_000), F(322_580), F(25, 10_000), F(25, 10_000), [APPLIED, APPLIED]),
    ("Price Floor $0.005 restated by a 2-for-1 split to $0.0025: $0.002501 is just above it: $0.002501",
     d1_terms(price_floor=F(5, 1000)), """2002-01-01 | SPLIT | ratio=2-for-1
                                        2002-02-01 | ISSUE | shares=1000000 | consideration=2501""",
     F(2501, 1_000_000), F(322_580), F(2501, 1_000_000), F(2501, 1_000_000), [APPLIED, APPLIED]),
    # --- §4(e)(ii) under KEEP_AGGREGATE
    ("KEEP_AGGREGATE: a warrant for 100 shares at $6; §4(d) 1,000 shares for $1,500 = $1.50 < $6, made; the shares "
     "keep the $600 aggregate: 100 x 6 / 1.5 = 400",
     plain(exercise_price=F(6), share_adjustment="KEEP_AGGREGATE"), "2021-01-01 | ISSUE | shares=1000 | consideration=1500",
     F(3, 2), F(400), F(3, 2), F(3, 2), [APPLIED]),
    ("KEEP_AGGREGATE amendment: options for 1,000,000 at ($1,000 + $8,000) = $0.009 < $0.01, made; shares "
     "161,290 x 0.01 / 0.009 = 179,211.1...; §4(e)(ii) amended to $1,000 + $4,000: recomputed as if so granted, "
     "$0.005, shares 161,290 x 0.01 / 0.005 = 322,580 (aggregate $1,612.90 kept)",
     d1_terms(common_outstanding=10_000_000, fully_diluted=10_000_000, share_adjustment="KEEP_AGGREGATE"),
     """2001-06-01 | OPTIONS | ref=O1 | shares=1000000 | consideration=1000 | additional_consideration=8000
        2001-07-01 | AMEND | ref=O1 | additional_consideration=4000""",
     F(5, 1000), F(322_580), F(5, 1000), F(5, 1000), [APPLIED, APPLIED]),
    ("KEEP_AGGREGATE amendment blocked: the options above at $0.009 (179,211.1... shares), amended to $1,000 + "
     "$20,000 = $0.021: recomputed $0.01 > $0.009, not adjusted upward (§4(g)(iv)): $0.009 and 1,612,900/9 stay",
     d1_terms(common_outstanding=10_000_000, fully_diluted=10_000_000, share_adjustment="KEEP_AGGREGATE"),
     """2001-06-01 | OPTIONS | ref=O1 | shares=1000000 | consideration=1000 | additional_consideration=8000
        2001-07-01 | AMEND | ref=O1 | additional_consideration=20000""",
     F(9, 1000), F(1_612_900, 9), F(9, 1000), F(9, 1000), [APPLIED, BLOCKED_UPWARD]),
    ("KEEP_AGGREGATE amendment that leaves the price: options at ($1,000 + $7,000) = $0.008, made, shares 161,290 x "
     "10/8 = 201,612.5; the holder exercises 101,612.5: 100,000 remain (§1(c)); §4(d) $0.005, made, shares "
     "100,000 x 0.008/0.005 = 160,000; §4(e)(ii) the options amended to $1,000 + $19,000 = $0.02 (never below "
     "$0.01): recomputed, the issue alone gives $0.005, the price in effect: no adjustment, 160,000 stay",
     d1_terms(common_outstanding=10_000_000, fully_diluted=10_000_000, share_adjustment="KEEP_AGGREGATE"),
     """2001-06-01 | OPTIONS | ref=O1 | shares=1000000 | consideration=1000 | additional_consideration=7000
        2001-07-01 | EXERCISE | shares=101612.5
        2001-08-01 | ISSUE | shares=1000000 | consideration=5000
        2001-09-01 | AMEND | ref=O1 | additional_consideration=19000""",
     F(5, 1000), F(160_000), F(5, 1000), F(5, 1000), [APPLIED, APPLIED, APPLIED, NO_EFFECT]),
    # --- §1(c) an exercise of exactly the remaining shares
    ("§1(c) exercise of all 161,290: none remain, the price stays $0.01",
     D1, "2002-03-01 | EXERCISE | shares=161290", F(1, 100), F(0), F(1, 100), F(1, 100), [APPLIED]),
    ("§1(c) exercise of exactly the rest after a carried split: 1001-for-1000 carried (shares 161,451.29), then "
     "61,451.29 and 100,000 exercised: none remain",
     D1, """2002-01-01 | SPLIT | ratio=1001-for-1000
            2002-02-01 | EXERCISE | shares=61451.29
            2002-03-01 | EXERCISE | shares=100000""",
     F(1, 100), F(0), F(1, 100), F(10, 1001), [CARRIED_FORWARD, APPLIED, APPLIED]),
]


@pytest.mark.parametrize("source, terms, text, price, shares, in_effect, carried, statuses", CASES,
                         ids=[c[0][:60] for c in CASES])
def test_gap_ledgers(source, terms, text, price, shares, in_effect, carried, statuses):
    result = answered(terms, text)
    assert [row.status for row in result.trail] == statuses
    assert (result.price, result.shares, result.price_in_effect, result.carried_price) == \
           (price, shares, in_effect, carried)
    assert all(row.clause.startswith("§") and row.explanation for row in result.trail)


def test_the_lowest_returned_on_the_row_and_in_the_sentence():
    # The ISSUE row of LOWEST_BELOW shows the price returned, 10/1001, before and after (§4(h)), and says why.
    row = answered(D1_TENTH, LOWEST_BELOW).trail[1]
    assert (row.price_before, row.price_after) == (F(1, 100), F(10, 1001))
    assert "Rounded to the price increment $0.001 (ROUND_HALF_UP): $0.01." in row.explanation
    assert "§4(h): the lowest price calculable so far, $0.0099900099…, applies." in row.explanation


def test_merger_then_carried_issue_as_of_between():
    # As of 2002-02-15: after the merger ($0.02 a unit) and the carried $0.0199 (0.5% of $0.02).
    result = answered(D1, MERGER_THEN_ISSUES, date(2002, 2, 15))
    assert (result.price, result.shares, result.price_in_effect, result.carried_price) == \
           (F(2, 100), F(80_645), F(2, 100), F(199, 10_000))


def test_exercise_then_carried_change_as_of_between():
    # As of 2001-07-15: $0.00995 carried, 61,290 exercised: 100,000 remain at $0.01 in effect.
    result = answered(D1, EXERCISE_WHILE_CARRIED, date(2001, 7, 15))
    assert (result.price, result.shares, result.price_in_effect, result.carried_price) == \
           (F(1, 100), F(100_000), F(1, 100), F(995, 100_000))


def test_rounding_above_the_price_says_so():
    # ROUNDED_ABOVE's first row: $0.0107 rounds to $0.011, above the $0.0109 in effect (§4(g)(iv)).
    row = answered(AT_0109, ROUNDED_ABOVE).trail[0]
    assert "Rounded to the price increment $0.001 (ROUND_HALF_UP): $0.011." in row.explanation
    assert "§4(g)(iv): the rounded price may not exceed the price in effect; $0.0109 stays." in row.explanation


# --------------------------------------------------------------------------- refusals, in full

def refusal(terms: Terms, text: str) -> str:
    """The text of the refusal, the same from the trail, the reference fold and the register."""
    events = ledger(text)
    texts = []
    for run in (lambda: adjust(terms, events, FAR), lambda: reference_adjust(terms, events, FAR),
                lambda: register([terms], events, FAR)):
        with pytest.raises(WarrantError) as refused:
            run()
        texts.append(str(refused.value))
    assert texts[1:] == texts[:1] * 2
    return texts[0]


REFUSALS = [
    ("narrow-based weighted average without the Common outstanding: A is the Common outstanding (§4(d), NVCA)",
     plain(anti_dilution="NARROW_WEIGHTED_AVERAGE"),
     "2021-01-01 | ISSUE | shares=2000000 | consideration=1000000",
     "Events row 2: Outstanding (blank) must be known for a weighted-average adjustment: state Outstanding on the "
     "row or give Common Outstanding and Fully Diluted in the terms"),
    ("broad-based weighted average without the fully diluted count: A is the fully diluted count",
     plain(anti_dilution="BROAD_WEIGHTED_AVERAGE"),
     "2021-01-01 | ISSUE | shares=2000000 | consideration=1000000",
     "Events row 2: Fully Diluted (blank) must be known for a weighted-average adjustment: state Outstanding on the "
     "row or give Common Outstanding and Fully Diluted in the terms"),
    ("§1(c) more than remain, on the third row: 161,290 - 61,290 = 100,000 remain",
     D1, """2002-01-01 | EXERCISE | shares=61290
            2002-02-01 | EXERCISE | shares=100001""",
     "Events row 3: Shares (100001) exceeds the 100,000 Warrant Shares remaining"),
    ("§1(c) more than remain after a carried split: 161,290 x 1001/1000 = 161,451.29 remain",
     D1, """2002-01-01 | SPLIT | ratio=1001-for-1000
            2002-02-01 | EXERCISE | shares=161452""",
     "Events row 3: Shares (161452) exceeds the 161,451.29 Warrant Shares remaining"),
    ("KEEP_AGGREGATE at a price of $0: §4(d) an issue for no consideration on the third row",
     d1_terms(share_adjustment="KEEP_AGGREGATE"),
     """2001-06-01 | ISSUE | shares=1000000 | consideration=5000
        2001-07-01 | ISSUE | shares=100 | consideration=0""",
     # a text value is shown quoted, as every refusal shows one (e.g. "Ref ('R') expired on ...")
     "Events row 3: Share Adjustment ('KEEP_AGGREGATE') cannot keep the aggregate price at a price of 0"),
]


@pytest.mark.parametrize("what, terms, text, message", REFUSALS, ids=[r[0][:60] for r in REFUSALS])
def test_refusals_in_full(what, terms, text, message):
    assert refusal(terms, text) == message


def test_a_fractional_exercise_refused_shows_the_value_typed():
    # §1(c): 161,290 x 1001/1000 = 161,451.29 remain after a carried 1001-for-1000 split; 161,451.3 is 0.01 more.
    assert refusal(D1, """2002-01-01 | SPLIT | ratio=1001-for-1000
                          2002-02-01 | EXERCISE | shares=161451.3""") == \
        "Events row 3: Shares (161451.3) exceeds the 161,451.29 Warrant Shares remaining"


# --------------------------------------------------------------------------- the rules on a branch of prices

def test_a_register_of_distinct_prices_runs_the_rules_on_a_branch(monkeypatch):
    """Seven warrants differing only in their price ($1 to $5) are one group of the register, run per branch
    (engine.piecewise, at least register.PIECEWISE_AFTER prices): the rules get price numerators affine in the
    starting price x, so §4(h)'s ``rules.returned`` compares forms there (a mutant dividing, `returned` 3, is
    the same number on ints but not an operation on a form). The four prices the issue leaves stay one branch
    to the end: more than piecewise.ALONE warrants, which a branch must hold not to be finished price by
    price (with five warrants, $1 to $5, the branch left was $1 and $2, finished by ints, and the mutant
    survived).

    §4(d) full ratchet, 1,000 shares for $2,500 = $2.50 a share: less than $3, $4 and $5, which are "reduced
    to a price equal to the price at which the Additional Shares ... were issued", $2.50; not less than $1,
    $1.25, $1.50 or $2: no adjustment. §4(b) 2-for-1: every price halved, every count doubled: $0.50, $0.625,
    $0.75, $1.00, and $2.50/2 = $1.25 (three warrants); 100 x 2 = 200 shares each. §4(h): each price was made
    by the split (50%, over the 1% minimum), the lowest so far: returned as it is."""
    runs, forms = [], []

    def spied(*args, **kw):
        runs.append(real(*args, **kw))
        return runs[-1]

    def returned(price, lowest):
        forms.append(type(lowest[0]) is not int)
        return real_returned(price, lowest)
    real, real_returned = register_module._piecewise_run, rules.returned
    monkeypatch.setattr(register_module, "_piecewise_run", spied)
    monkeypatch.setattr(rules, "returned", returned)
    prices = (F(1), F(5, 4), F(3, 2), F(2), F(3), F(4), F(5))
    terms = [plain(exercise_price=p, minimum_adjustment=F(1, 100)) for p in prices]
    events = ledger("""2021-01-01 | ISSUE | shares=1000 | consideration=2500
                       2021-02-01 | SPLIT | ratio=2-for-1""")
    assert register(terms, events, FAR) == [(F(1, 2), 200), (F(5, 8), 200), (F(3, 4), 200), (F(1), 200),
                                            (F(5, 4), 200), (F(5, 4), 200), (F(5, 4), 200)]
    assert [sorted(run) for run in runs] == [sorted((p.numerator, p.denominator) for p in prices)]   # all per branch
    assert any(forms)                                  # §4(h) compared on a form: the branch of $1 to $2
