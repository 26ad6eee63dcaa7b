"""§4 ledger: reference cases derived by hand from the contract and public sources.

Each case row names its source: a clause of Performance Warrant D-1
(../shared/seeds/000_0a29cc6c40c6e08c.txt) or a public worked example.
"""
from __future__ import annotations

from datetime import date
from fractions import Fraction as F

import pytest

from engine import (APPLIED, BLOCKED_UPWARD, CARRIED_FORWARD, EXCLUDED, NO_EFFECT, WarrantError, adjust, d1_terms)
from engine.terms import Terms
from tests.ledger_text import ledger

FAR = date(2099, 12, 31)


def plain(**kw) -> Terms:
    """A warrant outside D-1, for the public reference cases (no par floor, exercisable any time)."""
    base = dict(warrant="REF", holder="Holder", issuer="Issuer", issue_date=date(2020, 1, 1), warrant_shares=F(100),
                exercise_price=F(20), par_value=F(0), exercise_start=date(2020, 1, 1), exercise_end=date(2030, 1, 1),
                anti_dilution="FULL_RATCHET")
    base.update(kw)
    return Terms(**base)


D1 = d1_terms(common_outstanding=10_000_000, fully_diluted=10_000_000)

# (source / clause, terms, ledger, expected price, expected shares, expected statuses)
CASES = [
    ("Gust broad-based example, docs.equity.gust.com/article/71-anti-dilution: CP2 = $1.00 x 8,000,000/9,000,000",
     plain(exercise_price=F(1), anti_dilution="BROAD_WEIGHTED_AVERAGE", common_outstanding=7_000_000, fully_diluted=7_000_000),
     "2021-01-01 | ISSUE | shares=2000000 | consideration=1000000",
     F(8, 9), F(100), [APPLIED]),
    ("1-for-11 reverse split of an option on 300,000 shares at $0.40: 27,272.72... shares at $4.40",
     plain(warrant_shares=F(300_000), exercise_price=F(2, 5)),
     "2021-01-01 | COMBINATION | ratio=1-for-11",
     F(22, 5), F(300_000, 11), [APPLIED]),
    ("10% stock dividend on 100 shares at $20: 110 shares at $20 x 1,000/1,100 = $18.1818...",
     plain(common_outstanding=1_000, fully_diluted=1_000),
     "2021-01-01 | STOCK_DIVIDEND | shares=100",
     F(200, 11), F(110), [APPLIED]),
    ("§4(b) split 3-for-1 of D-1: 161,290 x 3 = 483,870 shares at $0.01 / 3",
     D1, "2002-01-01 | SPLIT | ratio=3-for-1", F(1, 300), F(483_870), [APPLIED]),
    ("§4(b) split 3-for-1 then combination 1-for-3 restores D-1 exactly",
     D1, """2002-01-01 | SPLIT | ratio=3-for-1
            2002-02-01 | COMBINATION | ratio=1-for-3""", F(1, 100), F(161_290), [APPLIED, APPLIED]),
    ("§4(d) full ratchet: 1,000,000 shares for $5,000 = $0.005 < $0.01; shares unchanged (Share Adjustment NONE)",
     D1, "2001-06-01 | ISSUE | shares=1000000 | consideration=5000", F(1, 200), F(161_290), [APPLIED]),
    ("§4(d) issue at exactly the price ($10,000 / 1,000,000 = $0.01) is not 'less than': no adjustment",
     D1, "2001-06-01 | ISSUE | shares=1000000 | consideration=10000", F(1, 100), F(161_290), [NO_EFFECT]),
    ("§4(d) issue 'for no consideration': the price is reduced to the issue price, $0 (no par floor in §4(d))",
     D1, "2001-06-01 | ISSUE | shares=100 | consideration=0", F(0), F(161_290), [APPLIED]),
    ("§4(g)(iii) $0.00995 is 0.5% below $0.01: carried forward; price stays $0.01 and §4(h) does not count it",
     D1, "2001-06-01 | ISSUE | shares=1000 | consideration=9.95", F(1, 100), F(161_290), [CARRIED_FORWARD]),
    ("§4(g)(iii) carried $0.00995 then $0.0099: together exactly 1% of $0.01 ($0.0001): made",
     D1, """2001-06-01 | ISSUE | shares=1000 | consideration=9.95
            2001-07-01 | ISSUE | shares=1000 | consideration=9.90""", F(99, 10_000), F(161_290), [CARRIED_FORWARD, APPLIED]),
    ("§4(g)(iii) two amounts both under 1% in aggregate ($0.00999, $0.00998): both carried",
     D1, """2001-06-01 | ISSUE | shares=1000 | consideration=9.99
            2001-07-01 | ISSUE | shares=1000 | consideration=9.98""", F(1, 100), F(161_290), [CARRIED_FORWARD, CARRIED_FORWARD]),
    ("§4(a)(i)(A) management issue within 10% of fully diluted (500,000 <= 10% x 10,500,000): excluded",
     D1, "2001-06-01 | ISSUE | shares=500000 | consideration=0 | category=MANAGEMENT", F(1, 100), F(161_290), [EXCLUDED]),
    ("§4(a)(i)(A) over the cap: 1,100,000 then 100,000 for $500; cap 10% x 11,200,000 = 1,120,000; "
     "80,000 beyond it count at $0.005",
     D1, """2001-06-01 | ISSUE | shares=1100000 | consideration=1100 | category=MANAGEMENT
            2001-07-01 | ISSUE | shares=100000 | consideration=500 | category=MANAGEMENT""",
     F(1, 200), F(161_290), [EXCLUDED, APPLIED]),
    ("§4(a)(i)(B) Series D closing on 2001-05-02 (on the cutoff): excluded",
     D1, "2001-05-02 | ISSUE | shares=1000000 | consideration=1000 | category=SERIES_D", F(1, 100), F(161_290), [EXCLUDED]),
    ("§4(a)(i)(B) Series D closing on 2001-05-03 (after the cutoff): counts, $1,000 / 1,000,000 = $0.001",
     D1, "2001-05-03 | ISSUE | shares=1000000 | consideration=1000 | category=SERIES_D", F(1, 1000), F(161_290), [APPLIED]),
    ("§4(a)(iii)-(iv) EXCLUDED warrants never count",
     D1, "2001-06-01 | OPTIONS | ref=W | shares=1000000 | consideration=0 | category=EXCLUDED", F(1, 100), F(161_290), [EXCLUDED]),
    ("§4(e), §4(f)(ii) options for 1,000,000 at ($1,000 + $4,000) / 1,000,000 = $0.005; exercise adds nothing (§4(e)(i))",
     D1, """2001-06-01 | OPTIONS | ref=O1 | shares=1000000 | consideration=1000 | additional_consideration=4000
            2001-07-01 | ISSUE | ref=O1 | shares=1000000 | consideration=4000""", F(1, 200), F(161_290), [APPLIED, NO_EFFECT]),
    ("§4(e)(ii) amendment lowering the additional consideration: ($1,000 + $8,000) -> ($1,000 + $4,000) per 1,000,000",
     D1, """2001-06-01 | OPTIONS | ref=O1 | shares=1000000 | consideration=1000 | additional_consideration=8000
            2001-07-01 | AMEND | ref=O1 | additional_consideration=4000""", F(1, 200), F(161_290), [APPLIED, APPLIED]),
    ("§4(e)(ii) + §4(g)(iv) amendment that would raise $0.009 back to $0.01: blocked",
     D1, """2001-06-01 | OPTIONS | ref=O1 | shares=1000000 | consideration=1000 | additional_consideration=8000
            2001-07-01 | AMEND | ref=O1 | additional_consideration=20000""", F(9, 1000), F(161_290), [APPLIED, BLOCKED_UPWARD]),
    ("§4(g)(iv) expiry of unexercised options would undo the ratchet: blocked",
     D1, """2001-06-01 | OPTIONS | ref=O1 | shares=1000000 | consideration=1000 | additional_consideration=8000
            2001-08-01 | EXPIRE | ref=O1""", F(9, 1000), F(161_290), [APPLIED, BLOCKED_UPWARD]),
    ("§4(g)(i) treasury: 10,000,000 - 1,000,000 = 9,000,000 outstanding; then a 900,000 dividend: x 9,000,000/9,900,000",
     D1, """2001-06-01 | TREASURY | shares=1000000
            2001-07-01 | STOCK_DIVIDEND | shares=900000""", F(1, 110), F(177_419), [NO_EFFECT, APPLIED]),
    ("§4(c) rights dividend for 2,500,000 on 10,000,000: price x 10/12.5 = $0.008, shares x 1.25 = 201,612.5",
     D1, "2001-06-01 | RIGHTS_DIVIDEND | shares=2500000", F(1, 125), F(403_225, 2), [APPLIED]),
    ("§4(b) merger 1 NewCo unit for 2 Common: 80,645 units at $0.02, aggregate $1,612.90 unchanged",
     D1, "2002-01-01 | MERGER | ratio=1-for-2 | note=NewCo common stock", F(1, 50), F(80_645), [APPLIED]),
    ("§1(c) exercise of 61,290: 100,000 remain",
     D1, "2002-03-01 | EXERCISE | shares=61290", F(1, 100), F(100_000), [APPLIED]),
    ("§4(g)(ii) Board's equitable adjustment to $0.008",
     D1, "2002-03-01 | OTHER | price=0.008 | note=spin-off", F(1, 125), F(161_290), [APPLIED]),
    ("§4(g)(ii) + §4(g)(iv) a Board figure above the price is not an upward adjustment",
     D1, "2002-03-01 | OTHER | price=0.02 | note=error", F(1, 100), F(161_290), [BLOCKED_UPWARD]),
    ("§4(h) reading: a 1-for-4 combination after a ratchet to $0.005 gives $0.02, not the earlier $0.005 "
     "(that price restated in today's units is $0.02)",
     D1, """2001-06-01 | ISSUE | shares=1000000 | consideration=5000
            2002-01-01 | COMBINATION | ratio=1-for-4""", F(1, 50), F(161_290, 4), [APPLIED, APPLIED]),
    ("Same-day order follows the rows: a 2-for-1 split entered before an issue at $0.004 the same day: "
     "$0.01 / 2 = $0.005, then §4(d) $0.004",
     D1, """2002-01-01 | SPLIT | ratio=2-for-1
            2002-01-01 | ISSUE | shares=1000000 | consideration=4000""", F(1, 250), F(322_580), [APPLIED, APPLIED]),
    ("Narrow-based weighted average: A = 7,000,000 outstanding (not 9,000,000 diluted): $1 x 8/9",
     plain(exercise_price=F(1), anti_dilution="NARROW_WEIGHTED_AVERAGE", common_outstanding=7_000_000, fully_diluted=9_000_000),
     "2021-01-01 | ISSUE | shares=2000000 | consideration=1000000", F(8, 9), F(100), [APPLIED]),
    ("Broad-based with A = 9,000,000 fully diluted: $1 x (9,000,000 + 1,000,000) / (9,000,000 + 2,000,000) = 10/11",
     plain(exercise_price=F(1), anti_dilution="BROAD_WEIGHTED_AVERAGE", common_outstanding=7_000_000, fully_diluted=9_000_000),
     "2021-01-01 | ISSUE | shares=2000000 | consideration=1000000", F(10, 11), F(100), [APPLIED]),
    ("NVCA increment $0.0001 (ROUND_HALF_UP): the Gust CP2 0.8888... becomes $0.8889",
     plain(exercise_price=F(1), anti_dilution="BROAD_WEIGHTED_AVERAGE", common_outstanding=7_000_000,
           fully_diluted=7_000_000, price_increment=F(1, 10_000)),
     "2021-01-01 | ISSUE | shares=2000000 | consideration=1000000", F(8889, 10_000), F(100), [APPLIED]),
    ("KEEP_AGGREGATE: ratchet $0.01 -> $0.005 doubles the shares to 322,580 (aggregate $1,612.90 kept)",
     d1_terms(share_adjustment="KEEP_AGGREGATE"),
     "2001-06-01 | ISSUE | shares=1000000 | consideration=5000", F(1, 200), F(322_580), [APPLIED]),
    ("Anti-Dilution NONE: a cheap issue changes nothing",
     d1_terms(anti_dilution="NONE"),
     "2001-06-01 | ISSUE | shares=1000000 | consideration=5000", F(1, 100), F(161_290), [NO_EFFECT]),
]


@pytest.mark.parametrize("source, terms, text, price, shares, statuses", CASES, ids=[c[0][:60] for c in CASES])
def test_reference_cases(source, terms, text, price, shares, statuses):
    result = adjust(terms, ledger(text), FAR)
    assert result.price == price
    assert result.shares == shares
    assert [row.status for row in result.trail] == statuses
    assert all(row.clause.startswith("§") for row in result.trail)
    assert all(row.explanation for row in result.trail)


def test_as_of_includes_events_on_that_date_and_not_after():
    events = ledger("""2001-06-01 | ISSUE | shares=1000000 | consideration=5000
                       2001-07-01 | SPLIT | ratio=2-for-1""")
    assert adjust(D1, events, date(2001, 5, 31)).price == F(1, 100)
    assert adjust(D1, events, date(2001, 6, 1)).price == F(1, 200)      # §4(d) on the as-of date itself
    assert adjust(D1, events, date(2001, 6, 30)).shares == F(161_290)
    assert adjust(D1, events, date(2001, 7, 1)).shares == F(322_580)    # §4(b)


def test_merger_changes_the_security_and_keeps_the_aggregate():
    result = adjust(D1, ledger("2002-01-01 | MERGER | ratio=1-for-2 | note=NewCo common stock | price=3"), FAR)
    assert result.security == "NewCo common stock"
    assert result.price * result.shares == F(1, 100) * 161_290          # $1,612.90
    assert result.cash_per_share == 6                                    # $3 per Common share, 2 Common per unit


def test_stated_outstanding_that_disagrees_is_flagged_and_wins():
    events = ledger("""2001-06-01 | TREASURY | shares=1000000
                       2001-07-01 | STOCK_DIVIDEND | shares=1000000 | outstanding=10000000""")
    result = adjust(D1, events, FAR)
    # carried 9,000,000, stated 10,000,000: the stated count is used, x 10,000,000 / 11,000,000
    assert "differs from the carried count 9,000,000" in result.trail[1].flag
    assert result.price == F(1, 100) * F(10, 11)
    assert result.trail[0].flag is None


def test_trail_sentence_carries_the_numbers_used():
    events = ledger("2001-06-01 | STOCK_DIVIDEND | shares=1000000")
    row = adjust(D1, events, FAR).trail[0]
    assert row.explanation == ("§4(c) stock dividend of 1,000,000 on 10,000,000 outstanding: price × 10,000,000 / 11,000,000, "
                               "shares × 11,000,000 / 10,000,000.")
    assert (row.price_before, row.price_after) == (F(1, 100), F(1, 110))
    assert (row.shares_before, row.shares_after) == (F(161_290), F(177_419))


def test_carried_forward_split_changes_the_shares_now():
    # Issue 18 reading 3: §4(g)(iii) ("No adjustment of the Per Share Exercise Price shall be made in an
    # amount less than 1%") governs the price only. A 1001-for-1000 split moves the price by 1/1001 < 1%:
    # carried, $0.01 stays; §4(b)'s share sentence applies now: 161,290 x 1001/1000 = 161,451.29.
    events = ledger("2002-01-01 | SPLIT | ratio=1001-for-1000")
    result = adjust(D1, events, FAR)
    assert result.trail[0].status == CARRIED_FORWARD
    assert (result.price, result.shares) == (F(1, 100), F(16_145_129, 100))
    assert result.carried_price == F(1, 100) * F(1000, 1001)


ERRORS = [
    ("unknown kind", "2001-06-01 | BONUS | shares=5", r"Events row 2: Event \('BONUS'\) is not a known event kind"),
    ("ratio not N-for-M", "2001-06-01 | SPLIT | ratio=three", r"Events row 2: Ratio \('three'\) must be written 'N-for-M'"),
    ("zero ratio", "2001-06-01 | SPLIT | ratio=0-for-1", r"Events row 2: Ratio \('0-for-1'\) must be positive"),
    ("split that is not N > M", "2001-06-01 | SPLIT | ratio=1-for-2", r"Ratio \('1-for-2'\) of a SPLIT must give more"),
    ("combination that is not N < M", "2001-06-01 | COMBINATION | ratio=2-for-1", r"of a COMBINATION must give fewer"),
    ("amend of unknown ref", "2001-06-01 | AMEND | ref=ZZ | shares=5", r"Events row 2: Ref \('ZZ'\) names no earlier"),
    ("negative count", "2001-06-01 | ISSUE | shares=-5 | consideration=1", r"Events row 2: Shares \('-5'\) must be a whole number of shares, not negative"),
    ("issue without consideration", "2001-06-01 | ISSUE | shares=5", r"Events row 2: Consideration \(blank\) is required"),
    ("exercise beyond remaining", "2001-06-01 | EXERCISE | shares=161291", r"Shares \(161291\) exceeds the 161,290 Warrant Shares"),
    ("bad date", "June | SPLIT | ratio=2-for-1", r"Events row 2: Date \('June'\) must be a date"),
]


@pytest.mark.parametrize("what, text, message", ERRORS, ids=[e[0] for e in ERRORS])
def test_bad_ledgers_name_row_column_and_value(what, text, message):
    with pytest.raises(WarrantError, match=message):
        adjust(D1, ledger(text), FAR)


def test_counts_needed_but_unknown_is_an_error():
    with pytest.raises(WarrantError, match=r"Events row 2: Outstanding \(blank\) must be known for a §4\(c\) stock dividend"):
        adjust(d1_terms(), ledger("2001-06-01 | STOCK_DIVIDEND | shares=5"), FAR)


def test_duplicate_grant_ref_is_an_error():
    with pytest.raises(WarrantError, match=r"Events row 3: Ref \('O1'\) is already used"):
        adjust(D1, ledger("""2001-06-01 | OPTIONS | ref=O1 | shares=5 | consideration=1
                             2001-06-02 | OPTIONS | ref=O1 | shares=5 | consideration=1"""), FAR)


def test_exercise_after_a_carried_split():
    # Issue 18 reading 3: a 1001-for-1000 split's price change is carried (§4(g)(iii)), its share sentence
    # applies now: 161,290 x 1001/1000 = 161,451.29. The holder exercises 61,290 (§1(c)): 100,161.29
    # remain. A 2-for-1 split then makes the price: $0.01 x 1000/1001 / 2 = $5/1001, shares 200,322.58.
    events = ledger("""2002-01-01 | SPLIT | ratio=1001-for-1000
                       2002-02-01 | EXERCISE | shares=61290
                       2002-03-01 | SPLIT | ratio=2-for-1""")
    result = adjust(D1, events, FAR)
    assert [r.status for r in result.trail] == [CARRIED_FORWARD, APPLIED, APPLIED]
    assert result.trail[1].shares_after == F(10_016_129, 100)
    assert (result.price, result.shares) == (F(5, 1001), F(20_032_258, 100))
