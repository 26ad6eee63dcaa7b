"""Issue 8's §4 readings, each case derived by hand from the contract's words.

Every row names its clause of Performance Warrant D-1 (../shared/seeds/000_0a29cc6c40c6e08c.txt)
and shows its arithmetic. The compiled register must give the same price and shares as the
reference fold for every case (its hypothesis equivalence is in tests/test_register.py).
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction as F

import pytest

from engine import APPLIED, BLOCKED_UPWARD, CARRIED_FORWARD, EXCLUDED, NO_EFFECT, WarrantError, adjust, d1_terms, parse_events
from engine.register import register
from engine.terms import Terms
from tests.ledger_text import ledger

FAR = date(2099, 12, 31)


def plain(**kw) -> Terms:
    """A warrant with its own terms (no preset): no par value, no floor, no management cap."""
    base = dict(issue_date=date(2020, 1, 1), warrant_shares=F(100), exercise_price=F(1), anti_dilution="FULL_RATCHET")
    base.update(kw)
    return Terms(**base)


D1 = d1_terms(common_outstanding=10_000_000, fully_diluted=10_000_000)
D1_MILLION = d1_terms(common_outstanding=1_000_000, fully_diluted=1_000_000)

# (clause and arithmetic, terms, ledger, expected price, expected shares, expected statuses)
CASES = [
    # --- §2 of the issue: whole shares
    ("§4(c) a 10% stock dividend on 10,000,000 is entered as 1,000,000 shares: $0.01 x 10/11 = 1/110; "
     "then §4(d) an issue at $9,500 / 1,000,000 = $0.0095 is not below 1/110 = $0.00909...: no adjustment; "
     "shares 161,290 x 11/10 = 177,419 (aggregate 177,419/110 = $1,612.90)",
     D1, """2001-06-01 | STOCK_DIVIDEND | shares=1000000
            2001-07-01 | ISSUE | shares=1000000 | consideration=9500""", F(1, 110), F(177_419), [APPLIED, NO_EFFECT]),
    # --- §4(d): no par-value floor; an optional Price Floor restated through splits
    ("§4(b) 20-for-1 split of $0.01 = $0.0005, then §4(d) 1,000,000 shares for $200 = $0.0002: the price is "
     "$0.0002 (no floor at the $.001 par); shares 161,290 x 20 = 3,225,800",
     D1, """2001-06-01 | SPLIT | ratio=20-for-1
            2001-07-01 | ISSUE | shares=1000000 | consideration=200""", F(2, 10_000), F(3_225_800), [APPLIED, APPLIED]),
    ("Price Floor $0.001: §4(d) issue at $200 / 1,000,000 = $0.0002 is floored at $0.001",
     d1_terms(price_floor=F(1, 1000)), "2001-07-01 | ISSUE | shares=1000000 | consideration=200",
     F(1, 1000), F(161_290), [APPLIED]),
    ("Price Floor $0.001 restated by a 2-for-1 split to $0.0005: $0.01 / 2 = $0.005, issue at $0.0002 -> $0.0005; "
     "shares 161,290 x 2 = 322,580",
     d1_terms(price_floor=F(1, 1000)), """2001-06-01 | SPLIT | ratio=2-for-1
            2001-07-01 | ISSUE | shares=1000000 | consideration=200""", F(5, 10_000), F(322_580), [APPLIED, APPLIED]),
    ("Price Floor $0.90 on a broad weighted average: $1 x (7,000,000 + 1,000,000) / (7,000,000 + 2,000,000) = 8/9 "
     "= $0.888... is floored at $0.90",
     plain(anti_dilution="BROAD_WEIGHTED_AVERAGE", common_outstanding=7_000_000, fully_diluted=7_000_000,
           price_floor=F(9, 10)),
     "2021-01-01 | ISSUE | shares=2000000 | consideration=1000000", F(9, 10), F(100), [APPLIED]),
    # --- same-day events follow the rows; EXERCISE and MERGER keep their moments
    ("§4(g)(i) then §4(c) the same day, as entered: 10,000,000 - 1,000,000 = 9,000,000; dividend 900,000: "
     "$0.01 x 9,000,000 / 9,900,000 = 1/110; shares 161,290 x 11/10 = 177,419",
     D1, """2001-06-01 | TREASURY | shares=1000000
            2001-06-01 | STOCK_DIVIDEND | shares=900000""", F(1, 110), F(177_419), [NO_EFFECT, APPLIED]),
    ("§4(c) then §4(g)(i) the same day, as entered: $0.01 x 10,000,000 / 10,900,000 = 1/109; "
     "shares 161,290 x 109/100 = 175,806.1",
     D1, """2001-06-01 | STOCK_DIVIDEND | shares=900000
            2001-06-01 | TREASURY | shares=1000000""", F(1, 109), F(1_758_061, 10), [APPLIED, NO_EFFECT]),
    ("§4(d) then §4(b) the same day, as entered: issue at $4,000 / 1,000,000 = $0.004, then 2-for-1: $0.002; "
     "shares 322,580",
     D1, """2002-01-01 | ISSUE | shares=1000000 | consideration=4000
            2002-01-01 | SPLIT | ratio=2-for-1""", F(2, 1000), F(322_580), [APPLIED, APPLIED]),
    ("issue 18 reading 4: same-day rows apply in row order, exercises included: an EXERCISE of 61,290 entered "
     "before a same-day 2-for-1 split leaves 161,290 - 61,290 = 100,000, then x 2 = 200,000 at $0.01 / 2 = $0.005",
     D1, """2002-01-01 | EXERCISE | shares=61290
            2002-01-01 | SPLIT | ratio=2-for-1""", F(5, 1000), F(200_000), [APPLIED, APPLIED]),
    ("§4(b) a MERGER entered before a same-day issue closes the day: §4(d) $5,000 / 1,000,000 = $0.005 first, then "
     "1 unit for 2 shares: $0.005 x 2 = $0.01 per unit on 161,290 / 2 = 80,645 units",
     D1, """2002-01-01 | MERGER | ratio=1-for-2 | note=NewCo common
            2002-01-01 | ISSUE | shares=1000000 | consideration=5000""", F(1, 100), F(80_645), [APPLIED, APPLIED]),
    # --- §4(c) rights dividends: unexercised rights are not Common outstanding
    ("§4(c) rights to 100,000 on 1,000,000 outstanding: x 1,000,000/1,100,000; the rights are not outstanding, so a "
     "100,000 stock dividend is on 1,000,000: x 1,000,000/1,100,000 again: $0.01 x 100/121 = 1/121 = $0.0082644...; "
     "shares 161,290 x 121/100 = 195,160.9",
     D1_MILLION, """2002-01-01 | RIGHTS_DIVIDEND | shares=100000 | ref=R
                    2002-02-01 | STOCK_DIVIDEND | shares=100000""", F(1, 121), F(1_951_609, 10), [APPLIED, APPLIED]),
    ("§4(c) the rights exercised (ISSUE Ref R, 100,000): no adjustment, 1,100,000 outstanding; the dividend is then "
     "x 1,100,000/1,200,000: $0.01 x 10/11 x 11/12 = 1/120; shares 161,290 x 11/10 x 12/11 = 193,548",
     D1_MILLION, """2002-01-01 | RIGHTS_DIVIDEND | shares=100000 | ref=R
                    2002-01-15 | ISSUE | shares=100000 | consideration=0 | ref=R
                    2002-02-01 | STOCK_DIVIDEND | shares=100000""",
     F(1, 120), F(193_548), [APPLIED, NO_EFFECT, APPLIED]),
    ("§4(c), §4(g)(iv) the rights lapse (EXPIRE Ref R): no count and no price change; the dividend is still on "
     "1,000,000: 1/121 as above",
     D1_MILLION, """2002-01-01 | RIGHTS_DIVIDEND | shares=100000 | ref=R
                    2002-01-15 | EXPIRE | ref=R
                    2002-02-01 | STOCK_DIVIDEND | shares=100000""",
     F(1, 121), F(1_951_609, 10), [APPLIED, NO_EFFECT, APPLIED]),
    # --- §4(e): events before the Issue Date are not adjustments
    ("§4(e) 'after the date hereof': an issue at $0.50 on 2019-06-01, before the 2020-01-01 Issue Date, is ignored",
     plain(), "2019-06-01 | ISSUE | shares=1000 | consideration=500", F(1), F(100), [NO_EFFECT]),
    ("§4(e)(i) options granted before the Issue Date, exercised after it, under terms whose Pre-Issue Grants is "
     "EXCLUDED (their text shelters grants outstanding at issuance): no adjustment either time",
     plain(common_outstanding=1000, fully_diluted=2000, pre_issue_grants="EXCLUDED"), """2019-06-01 | OPTIONS | ref=O | shares=1000 | consideration=0
            2020-06-01 | ISSUE | ref=O | shares=1000 | consideration=100""", F(1), F(100), [NO_EFFECT, NO_EFFECT]),
    # --- AMEND in grant-date units
    ("§4(e)(ii) options for 1,000,000 at ($1,000 + $8,000) / 1,000,000 = $0.009; 2-for-1: $0.0045; amended to "
     "($1,000 + $3,000): recomputed as if granted so: $0.004, then / 2 = $0.002; shares 322,580",
     D1, """2001-06-01 | OPTIONS | ref=O1 | shares=1000000 | consideration=1000 | additional_consideration=8000
            2001-07-01 | SPLIT | ratio=2-for-1
            2001-08-01 | AMEND | ref=O1 | additional_consideration=3000""",
     F(2, 1000), F(322_580), [APPLIED, APPLIED, APPLIED]),
    ("§4(e)(ii) the same amendment entered in post-split units (2,000,000 shares, $9,000): read in grant-date units, "
     "($1,000 + $8,000) / 2,000,000 = $0.0045, then / 2 = $0.00225 (flagged as a likely unit mistake)",
     D1, """2001-06-01 | OPTIONS | ref=O1 | shares=1000000 | consideration=1000 | additional_consideration=8000
            2001-07-01 | SPLIT | ratio=2-for-1
            2001-08-01 | AMEND | ref=O1 | shares=2000000""",
     F(225, 100_000), F(322_580), [APPLIED, APPLIED, APPLIED]),
]


# Issue 18's readings 1, 2 and 4, each derived by hand from the clause it cites.
CASES_18 = [
    ("reading 4: same-day rows apply in row order, exercises included; the exercise above the split: see CASES. "
     "The rows the other way round: 161,290 x 2 = 322,580, less 61,290 = 261,290 at $0.01 / 2 = $0.005",
     D1, """2002-01-01 | SPLIT | ratio=2-for-1
            2002-01-01 | EXERCISE | shares=61290""", F(5, 1000), F(261_290), [APPLIED, APPLIED]),
    ("reading 1: an issue of 100,000 shares for $400 ($0.004 a share) dated on the Issue Date 2001-02-07 is not an "
     "Additional Share (§4(a)(i) 'after the first date of issuance'): D-1 stays at $0.01",
     D1, "2001-02-07 | ISSUE | shares=100000 | consideration=400", F(1, 100), F(161_290), [NO_EFFECT]),
    ("reading 1, the edge: the same issue a day later, 2001-02-08, is one: full ratchet to $400 / 100,000 = $0.004",
     D1, "2001-02-08 | ISSUE | shares=100000 | consideration=400", F(4, 1000), F(161_290), [APPLIED]),
    ("reading 1: a 2-for-1 split on the Issue Date is in the terms' figures already: $0.01 and 161,290 stay",
     D1, "2001-02-07 | SPLIT | ratio=2-for-1", F(1, 100), F(161_290), [NO_EFFECT]),
    ("reading 2: 200,000 options granted 2000-11-01 (before D-1's Issue Date), exercised 2002-03-01 for $1,000: "
     "Additional Shares issued then at $1,000 / 200,000 = $0.005 < $0.01, full ratchet (§4(d), §4(f)): $0.005",
     D1, """2000-11-01 | OPTIONS | ref=P | shares=200000 | consideration=0
            2002-03-01 | ISSUE | ref=P | shares=200000 | consideration=1000""", F(5, 1000), F(161_290),
     [NO_EFFECT, APPLIED]),
    ("reading 2: the same grant dated on the Issue Date is a pre-issue grant too (reading 1): $0.005",
     D1, """2001-02-07 | OPTIONS | ref=P | shares=200000 | consideration=0
            2002-03-01 | ISSUE | ref=P | shares=200000 | consideration=1000""", F(5, 1000), F(161_290),
     [NO_EFFECT, APPLIED]),
    ("reading 3: §4(g)(iii) governs the price only. Two stock dividends of 4,000 on 1,000,000 outstanding: the price "
     "$0.01 x 1,000,000/1,004,000 (0.4% lower) and then x 1,004,000/1,008,000 (0.79% in all) is carried, $0.01 stays; "
     "§4(c)'s share sentence applies at each: 161,290 x 1,004,000/1,000,000 x 1,008,000/1,004,000 = 162,580.32",
     D1_MILLION, """2002-01-01 | STOCK_DIVIDEND | shares=4000
            2002-02-01 | STOCK_DIVIDEND | shares=4000""", F(1, 100), F(16_258_032, 100),
     [CARRIED_FORWARD, CARRIED_FORWARD]),
    ("reading 3: a third such dividend takes the calculated price past 1%: $0.01 x 1,000,000/1,012,000 is made "
     "(1.19% lower, §4(g)(iii)); shares 161,290 x 1.012 = 163,225.48",
     D1_MILLION, """2002-01-01 | STOCK_DIVIDEND | shares=4000
            2002-02-01 | STOCK_DIVIDEND | shares=4000
            2002-03-01 | STOCK_DIVIDEND | shares=4000""", F(1, 100) * F(1_000_000, 1_012_000), F(16_322_548, 100),
     [CARRIED_FORWARD, CARRIED_FORWARD, APPLIED]),
    ("reading 2: a grant after the Issue Date is sheltered by §4(e)(i): options for 200,000 at $0 + $2,000 "
     "($0.01 a share, not less than $0.01: no adjustment), exercised for $1,000: no further adjustment",
     D1, """2001-06-01 | OPTIONS | ref=P | shares=200000 | consideration=0 | additional_consideration=2000
            2002-03-01 | ISSUE | ref=P | shares=200000 | consideration=1000""", F(1, 100), F(161_290),
     [NO_EFFECT, NO_EFFECT]),
    ("reading 2: the pre-issue exercise excluded by §4(a)(iii)-(iv) (Category EXCLUDED) moves nothing",
     D1, """2000-11-01 | OPTIONS | ref=P | shares=200000 | consideration=0
            2002-03-01 | ISSUE | ref=P | shares=200000 | consideration=1000 | category=EXCLUDED""", F(1, 100),
     F(161_290), [NO_EFFECT, EXCLUDED]),
    ("reading 2 with Pre-Issue Grants EXCLUDED: the shelter covers the grant outstanding at issuance: $0.01 stays",
     d1_terms(common_outstanding=10_000_000, fully_diluted=10_000_000, pre_issue_grants="EXCLUDED"),
     """2000-11-01 | OPTIONS | ref=P | shares=200000 | consideration=0
        2002-03-01 | ISSUE | ref=P | shares=200000 | consideration=1000""", F(1, 100), F(161_290),
     [NO_EFFECT, NO_EFFECT]),
]


@pytest.mark.parametrize("source, terms, text, price, shares, statuses", CASES_18, ids=[c[0][:60] for c in CASES_18])
def test_issue_18_readings(source, terms, text, price, shares, statuses):
    test_reference_cases(source, terms, text, price, shares, statuses)
    events = ledger(text)
    assert register([terms, terms], events, FAR) == [(price, shares)] * 2


def test_a_pre_issue_exercise_moves_the_outstanding_count_only():
    """Reading 2: the 200,000 shares join the Common outstanding (10,000,000 -> 10,200,000); the fully diluted
    count held the options at issuance and stays 10,000,000 (the terms' figures)."""
    result = adjust(D1, ledger(CASES_18[4][2]), FAR)
    assert (result.outstanding, result.fully_diluted) == (10_200_000, 10_000_000)
    assert "granted on or before the Issue Date" in result.trail[1].explanation


@pytest.mark.parametrize("source, terms, text, price, shares, statuses", CASES, ids=[c[0][:60] for c in CASES])
def test_reference_cases(source, terms, text, price, shares, statuses):
    events = ledger(text)
    result = adjust(terms, events, FAR)
    assert (result.price, result.shares) == (price, shares)
    assert [row.status for row in result.trail] == statuses
    assert all(row.clause.startswith("§") and row.explanation for row in result.trail)
    # The compiled register gives the same answer.
    assert register([terms], events, FAR) == [(price, shares)]


# --------------------------------------------------------------------------- whole shares

WHOLE = [
    ("§4(c) a percent typed as Shares", {"event": "STOCK_DIVIDEND", "shares": "10%"},
     r"Events row 2: Shares \('10%'\) must be a whole number of shares: for a 10% stock dividend enter 10% "
     r"of the Common outstanding"),
    ("§4(c) Excel's 10% arrives as the number 0.1", {"event": "STOCK_DIVIDEND", "shares": Decimal("0.1")},
     r"Events row 2: Shares \(0.1\) must be a whole number of shares: for a 10% stock dividend enter 10% "
     r"of the Common outstanding"),
    ("§4(c) rights as a percent", {"event": "RIGHTS_DIVIDEND", "shares": "5%"},
     r"Shares \('5%'\) must be a whole number of shares: enter the maximum number of shares the rights acquire"),
    ("§4(c) a fraction above one", {"event": "STOCK_DIVIDEND", "shares": Decimal("2.5")},
     r"Events row 2: Shares \(2.5\) must be a whole number of shares$"),
    ("§4(d) a fractional issue", {"event": "ISSUE", "shares": "2.5", "consideration": 1},
     r"Events row 2: Shares \('2.5'\) must be a whole number of shares$"),
    ("§4(d) a percent issue", {"event": "ISSUE", "shares": "10%", "consideration": 1},
     r"Events row 2: Shares \('10%'\) must be a whole number of shares, not a percentage"),
    ("§4(g)(i) a negative treasury count", {"event": "TREASURY", "shares": -5},
     r"Events row 2: Shares \(-5\) must be a whole number of shares, not negative"),
    ("Outstanding is a count of shares", {"event": "SPLIT", "ratio": "2-for-1", "outstanding": "9000000.5"},
     r"Events row 2: Outstanding \('9000000.5'\) must be a whole number of shares"),
    ("§4(e) an option's maximum is never a percent", {"event": "OPTIONS", "ref": "O", "shares": "10%", "consideration": 0},
     r"Events row 2: Shares \('10%'\) must be a number of shares, not a percentage"),
]


@pytest.mark.parametrize("what, row, message", WHOLE, ids=[w[0] for w in WHOLE])
def test_share_counts_are_whole_shares(what, row, message):
    with pytest.raises(WarrantError, match=message):
        parse_events([{"date": "2001-06-01", **row}])


def test_an_options_maximum_may_be_fractional():
    # §4(e), §4(f)(ii): ($0 + $1) / 2.5 = $0.40 per share, above $0.01: no adjustment, but accepted.
    events = parse_events([{"date": "2001-06-01", "event": "OPTIONS", "ref": "O", "shares": "2.5", "consideration": 1}])
    assert events[0].shares == F(5, 2)
    assert adjust(D1, events, FAR).trail[0].status == NO_EFFECT


# --------------------------------------------------------------------------- par value, floor, trail texts

def test_a_price_below_par_keeps_its_number_and_warns():
    # 20-for-1 ($0.0005) then $0.0002: both rows fall below the $.001 par value and say so.
    result = adjust(D1, ledger(CASES[1][2]), FAR)
    assert [r.price_after for r in result.trail] == [F(5, 10_000), F(2, 10_000)]
    for row in result.trail:
        assert "below the par value $0.001: issuing shares below par may be restricted by law" in row.explanation
    # No warning when the terms state no par value.
    assert "par value" not in adjust(plain(), ledger("2021-01-01 | ISSUE | shares=1 | consideration=0"), FAR).trail[0].explanation


def test_the_floor_is_said_on_the_trail():
    row = adjust(d1_terms(price_floor=F(1, 1000)), ledger(CASES[2][2]), FAR).trail[0]
    assert "Floored at the terms' Price Floor, $0.001 in today's shares." in row.explanation


def test_amend_trail_states_grant_date_units_and_flags_a_post_split_count():
    ok, flagged = (adjust(D1, ledger(case[2]), FAR).trail[2] for case in CASES[-2:])
    for row in (ok, flagged):
        assert "read in the grant's own units, without regard to its anti-dilution provisions (§4(e), §4(f)(ii))" in row.explanation
    assert ok.flag is None
    # 2,000,000 = 1,000,000 x 2 (the 2-for-1 split since the grant)
    assert flagged.flag.startswith("Shares 2,000,000 equal the grant's 1,000,000 × 2 (the splits and combinations since its grant)")


def test_rights_counts_and_lapse():
    text = CASES[11][2]
    result = adjust(D1_MILLION, ledger(text), FAR)
    # 1,000,000 + 100,000 exercised + 100,000 dividend; fully diluted took the rights when declared.
    assert (result.outstanding, result.fully_diluted) == (1_200_000, 1_200_000)
    assert result.trail[1].clause == "§4(c)"
    lapsed = adjust(D1_MILLION, ledger(CASES[12][2]), FAR)
    assert lapsed.trail[1].clause == "§4(g)(iv)"
    assert (lapsed.outstanding, lapsed.fully_diluted) == (1_100_000, 1_200_000)


RIGHTS_ERRORS = [
    ("§4(c) more shares than the rights' maximum",
     """2002-01-01 | RIGHTS_DIVIDEND | shares=100000 | ref=R
        2002-01-15 | ISSUE | shares=100001 | consideration=0 | ref=R""",
     r"Events row 3: Shares \(100001\) exceeds the 100,000 shares left to issue under the rights R"),
    ("§4(c) exercise after the lapse",
     """2002-01-01 | RIGHTS_DIVIDEND | shares=100000 | ref=R
        2002-01-15 | EXPIRE | ref=R
        2002-01-16 | ISSUE | shares=1 | consideration=0 | ref=R""",
     r"Events row 4: Ref \('R'\) expired on 2002-01-15"),
    ("§4(c) rights are not amended",
     """2002-01-01 | RIGHTS_DIVIDEND | shares=100000 | ref=R
        2002-01-15 | AMEND | ref=R | shares=5""",
     r"Events row 3: Ref \('R'\) names rights \(RIGHTS_DIVIDEND\), which AMEND cannot change"),
    ("one Ref for one grant or rights dividend",
     """2002-01-01 | RIGHTS_DIVIDEND | shares=100000 | ref=R
        2002-01-15 | OPTIONS | ref=R | shares=5 | consideration=0""",
     r"Events row 3: Ref \('R'\) is already used by an earlier grant or rights dividend"),
    ("§4(a)(i)(A) MANAGEMENT without a Management Cap in the terms",
     "2002-01-01 | ISSUE | shares=5 | consideration=0 | category=MANAGEMENT",
     r"Events row 2: Category MANAGEMENT needs the terms' Management Cap \(§4\(a\)\(i\)\(A\)\): enter the cap \(D-1: 10%\), "
     r"100% to exclude every management grant, or clear the Category"),
]


@pytest.mark.parametrize("what, text, message", RIGHTS_ERRORS, ids=[e[0] for e in RIGHTS_ERRORS])
def test_refused_ledgers(what, text, message):
    terms = d1_terms(common_outstanding=1_000_000, fully_diluted=1_000_000, management_cap=None)
    events = ledger(text)
    with pytest.raises(WarrantError, match=message):
        adjust(terms, events, FAR)
    with pytest.raises(WarrantError, match=message):
        register([terms], events, FAR)


# --------------------------------------------------------------------------- before the Issue Date

def test_a_date_before_the_issue_date_is_refused():
    terms = plain(issue_date=date(2019, 3, 1))
    message = r"^As Of \(2018-01-01\) is before the Issue Date \(2019-03-01\)$"
    with pytest.raises(WarrantError, match=message):
        adjust(terms, (), date(2018, 1, 1))
    with pytest.raises(WarrantError, match=message):
        register([terms], (), date(2018, 1, 1))
    assert adjust(terms, (), date(2019, 3, 1)).price == 1     # the Issue Date itself is answered


def test_an_event_before_the_issue_date_says_it_was_ignored():
    row = adjust(plain(), ledger(CASES[13][2]), FAR).trail[0]
    assert row.explanation == ('Dated before the Issue Date (2020-01-01): not an adjustment (§4 adjusts for events '
                               '"after the date hereof"); ignored.')
    assert row.clause == "§4(e)"


def test_carried_and_blocked_statuses_are_untouched_by_the_floor():
    # §4(g)(iii): a floor of $0.00995 turns a ratchet to $0.005 into 0.5% below $0.01: carried forward.
    result = adjust(d1_terms(price_floor=F(995, 100_000)), ledger("2001-07-01 | ISSUE | shares=1000 | consideration=5"), FAR)
    assert [r.status for r in result.trail] == [CARRIED_FORWARD]
    # §4(g)(iv): a price already below the floor is not raised to it.
    result = adjust(d1_terms(exercise_price=F(1, 1000), price_floor=F(1, 100)),
                    ledger("2001-07-01 | ISSUE | shares=1000 | consideration=0"), FAR)
    assert [r.status for r in result.trail] == [BLOCKED_UPWARD]
    assert result.price == F(1, 1000)
