"""Exercise settlement of Performance Warrant D-1 (§1(b), §1(c), §3, §5) and net issuance.

Expected values are derived by hand on each row. D-1 as issued: 161,290 Warrant
Shares at $.01 (preamble). Dates used: 2004-06-15 is a Tuesday, 2004-06-14 a
Monday, 2004-06-11 a Friday (the NYSE was closed that day for President
Reagan's national day of mourning, which a Mon-Fri calendar does not know).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.errors import WarrantError
from engine.exercisability import d1_results, exercisability
from engine.settlement import (
    CASH, MIXED, NET, SURRENDER, ExerciseRequest, Market, Position, holding_period_end,
    previous_trading_day, settle,
)
from engine.terms import d1_terms

NY = ZoneInfo("America/New_York")
D1 = d1_terms()
D1_POSITION = Position(Fraction(1, 100), Fraction(161_290))
TUESDAY = date(2004, 6, 15)
# An adjusted position with a fractional share: 333 1/3 Warrant Shares at $0.03.
ODD = Position(Fraction(3, 100), Fraction(1000, 3))
D = Decimal


def req(shares=None, method=CASH, day=TUESDAY, **kw):
    return ExerciseRequest(day, None if shares is None else Fraction(shares), method, **kw)


# ---------------------------------------------------------------- cash, whole and partial
@pytest.mark.parametrize("clause, shares, aggregate, remaining, why", [
    ("§1(a), §1(c)(i)", None, D("1612.90"), 0, "ALL: 161,290 x $0.01 = $1,612.90"),
    ("§1(a)", 161_290, D("1612.90"), 0, "the whole, by number"),
    ("§1(c)(ii)", 100_000, D("1000.00"), 61_290, "100,000 x $0.01 = $1,000.00; 161,290 - 100,000 = 61,290 left"),
    ("§1(c)(ii)", 1, D("0.01"), 161_289, "one share: $0.01"),
])
def test_cash_exercise(clause, shares, aggregate, remaining, why):
    s = settle(D1, D1_POSITION, req(shares))
    exercised = Fraction(161_290 if shares is None else shares)
    assert s.shares_exercised == exercised
    assert (s.full_shares, s.fractional_share) == (int(exercised), 0)
    assert (s.aggregate_price, s.cash_due) == (aggregate, aggregate), why
    assert (s.shares_to_surrender, s.surrender_value, s.fraction_cash) == (0, D("0.00"), D("0.00"))
    assert s.remaining_shares == remaining
    assert (s.new_warrant is None) is (remaining == 0)
    assert s.method == CASH and not s.outside_terms


def test_partial_exercise_leaves_a_new_warrant():
    # §1(c)(ii): a new warrant "dated the date hereof" (2001-02-07) for 161,290 - 100,000 = 61,290 shares.
    s = settle(D1, D1_POSITION, req(100_000))
    assert s.new_warrant == ("New warrant of like tenor (dated 2001-02-07) for 61,290 Common Stock "
                             "Warrant Shares at $0.01 per share (§1(c)(ii))")
    # ... and that new warrant can be exercised for the rest, leaving nothing.
    rest = settle(D1, Position(D1_POSITION.price, s.remaining_shares), req(None, day=date(2004, 9, 1)))
    assert (rest.shares_exercised, rest.aggregate_price, rest.new_warrant) == (61_290, D("612.90"), None)


@pytest.mark.parametrize("clause, day, payment, effective, due", [
    ("§1(b), §1(c)", TUESDAY, None, datetime(2004, 6, 15, 17, 0, tzinfo=NY), date(2004, 7, 5)),   # 15 + 20 days
    ("§1(c)", TUESDAY, date(2004, 6, 20), datetime(2004, 6, 15, 17, 0, tzinfo=NY), date(2004, 7, 10)),  # paid 20th
    ("§1(c)", date(2004, 12, 20), None, datetime(2004, 12, 20, 17, 0, tzinfo=NY), date(2005, 1, 9)),  # year end
    ("§1(a), §1(b)", date(2005, 2, 7), None, datetime(2005, 2, 7, 17, 0, tzinfo=NY), date(2005, 2, 27)),
    ("§1(a), §1(b)", date(2001, 12, 31), None, datetime(2001, 12, 31, 17, 0, tzinfo=NY), date(2002, 1, 20)),
])
def test_effective_time_and_certificates(clause, day, payment, effective, due):
    s = settle(D1, D1_POSITION, req(1000, day=day, payment_date=payment))
    assert s.effective_at == effective
    assert s.effective_at.utcoffset() == effective.utcoffset()
    assert s.certificates_due == due
    assert s.holder_of_record == "TCW/CCI Holding II LLC"


def test_effective_moment_on_the_last_day_is_inside_the_exercise_period():
    # §1(b) + §1(a): an exercise on 2005-02-07 is effected at 17:00, which "through 5:00 p.m." includes.
    s = settle(D1, D1_POSITION, req(None, day=date(2005, 2, 7)))
    assert exercisability(D1, d1_results(118, 30_565_643, 949_719, 8_165_010), s.effective_at).exercisable


# ---------------------------------------------------------------- §3 surrender and mix
@pytest.mark.parametrize("clause, acquired, months, end", [
    ("§3(a)", date(2003, 12, 15), 6, date(2004, 6, 15)),
    ("§3(a)", date(2003, 8, 31), 6, date(2004, 2, 29)),   # February of a leap year: clamped to the 29th
    ("§3(a)", date(2004, 8, 31), 6, date(2005, 2, 28)),   # clamped to the 28th
    ("§3(a)", date(2004, 3, 31), 6, date(2004, 9, 30)),   # September has 30 days
    ("§3(a)", date(2004, 7, 31), 6, date(2005, 1, 31)),   # across the year end
    ("§3(a)", date(2004, 7, 15), 0, date(2004, 7, 15)),   # a term without a holding period
])
def test_holding_period_end(clause, acquired, months, end):
    assert holding_period_end(acquired, months) == end


@pytest.mark.parametrize("clause, shares, method, kw, surrender, surrender_value, cash, why", [
    ("§3(a)", 100_000, SURRENDER, dict(fair_value=3), 333, D("999.00"), D("1.00"),
     "$1,000 / $3 = 333.3 -> 333 shares (down) = $999.00; $1.00 still due in cash"),
    ("§3(a)", 100_000, SURRENDER, dict(fair_value=Fraction(5, 2)), 400, D("1000.00"), D("0.00"),
     "$1,000 / $2.50 = 400 exactly: no cash"),
    ("§3(a)", 100_000, SURRENDER, dict(fair_value=2000), 0, D("0.00"), D("1000.00"),
     "one share ($2,000) exceeds the price: none surrendered, all cash"),
    ("§3(a)", 100_000, SURRENDER, dict(fair_value=3, surrender_lot_shares=100), 100, D("300.00"), D("700.00"),
     "the lot holds 100 shares: $300 by surrender, $700 cash"),
    ("§3(b)", 100_000, MIXED, dict(fair_value=3, cash_paid=400), 200, D("600.00"), D("400.00"),
     "cash $400 first; $600 / $3 = 200 shares"),
    ("§3(b)", 100_000, MIXED, dict(fair_value=3, cash_paid=401), 199, D("597.00"), D("403.00"),
     "cash $401 first; $599 / $3 = 199.67 -> 199 shares = $597; cash 401 + 2 = $403"),
    ("§3(b)", 100_000, MIXED, dict(fair_value=3, cash_paid=1000), 0, D("0.00"), D("1000.00"),
     "the cash part covers the whole price"),
    ("§3(a)", None, SURRENDER, dict(fair_value=Fraction(7, 3)), 691, D("1612.33"), D("0.57"),
     "$1,612.90 / $2.3333 = 691.24 -> 691 shares = 691 x 7/3 = $1,612.333...; cash $0.5666... -> $0.57"),
])
def test_surrender(clause, shares, method, kw, surrender, surrender_value, cash, why):
    s = settle(D1, D1_POSITION, req(shares, method, surrendered_acquired=date(2003, 12, 15), **kw))
    assert (s.shares_to_surrender, s.surrender_value, s.cash_due) == (surrender, surrender_value, cash), why
    assert s.cash_due_exact + s.shares_to_surrender * Fraction(kw["fair_value"]) == s.aggregate_price_exact


@pytest.mark.parametrize("clause, acquired, day, ok, why", [
    ("§3(a)", date(2003, 12, 15), date(2004, 6, 15), True, "exactly six months"),
    ("§3(a)", date(2003, 12, 16), date(2004, 6, 15), False, "one day short of six months"),
    ("§3(a)", date(2003, 8, 31), date(2004, 2, 29), True, "clamped to February 29"),
    ("§3(a)", date(2003, 8, 31), date(2004, 2, 28), False, "one day short of the clamped end"),
])
def test_surrender_lot_age(clause, acquired, day, ok, why):
    request = req(1000, SURRENDER, day=day, surrendered_acquired=acquired, fair_value=1)
    if ok:
        assert settle(D1, D1_POSITION, request).shares_to_surrender == 10, why   # $10 / $1
    else:
        with pytest.raises(WarrantError, match=rf"Surrendered Shares Acquired \({acquired}\) must be held at "
                                               r"least 6 months"):
            settle(D1, D1_POSITION, request)


# ---------------------------------------------------------------- §5 the fractional share
@pytest.mark.parametrize("clause, market, price, cash, source, warn, why", [
    ("§5", Market("OTC", date(2004, 6, 14), low_bid=2, high_asked=3), Fraction(5, 2), D("0.83"),
     "OTC mean of low bid and high asked on 2004-06-14", False, "(2 + 3) / 2 = 2.50; 1/3 x 2.50 = 0.833 -> $0.83"),
    ("§5", Market("EXCHANGE", date(2004, 6, 14), closing_price=Fraction(5, 2)), Fraction(5, 2), D("0.83"),
     "exchange closing price on 2004-06-14", False, "closing $2.50 on the prior trading day"),
    ("§5", Market("NONE", board_fair_value=Fraction(251, 100)), Fraction(251, 100), D("0.84"),
     "Board fair market value as of 2004-06-15", False, "1/3 x 2.51 = 0.8366 -> $0.84"),
    ("§5", Market("OTC", date(2004, 6, 11), low_bid=2, high_asked=3), Fraction(5, 2), D("0.83"),
     "OTC mean of low bid and high asked on 2004-06-11", True, "Friday is not the day before Tuesday: flagged"),
    ("§5", Market("exchange", date(2004, 6, 15), closing_price=Fraction(5, 2)), Fraction(5, 2), D("0.83"),
     "exchange closing price on 2004-06-15", True, "the exercise date itself: flagged, still computed"),
])
def test_fraction_cash(clause, market, price, cash, source, warn, why):
    # 333 1/3 shares at $0.03: aggregate 1000/3 x 3/100 = $10.00; 333 full shares, 1/3 fraction.
    s = settle(D1, ODD, req(None), market)
    assert (s.full_shares, s.fractional_share, s.aggregate_price) == (333, Fraction(1, 3), D("10.00"))
    assert (s.fraction_price, s.fraction_cash, s.fraction_price_source) == (price, cash, source), why
    assert (s.quote_warning is not None) is warn
    if warn:
        assert "is not the trading day immediately prior to the exercise date 2004-06-15" in s.quote_warning


@pytest.mark.parametrize("clause, day, calendar, expected, why", [
    ("§5", date(2004, 6, 15), None, date(2004, 6, 14), "Tuesday -> Monday"),
    # The default is the NYSE calendar (issue 8): Friday 2004-06-11 the exchange was closed for the national
    # day of mourning for President Reagan (NYSE, Holidays and Trading Hours, 2004), so Monday -> Thursday.
    ("§5", date(2004, 6, 14), None, date(2004, 6, 10), "Monday -> Thursday (NYSE default; closed 2004-06-11)"),
    # Good Friday 2004-04-09 the NYSE was closed: Monday 2004-04-12 -> Thursday 2004-04-08.
    ("§5", date(2004, 4, 12), None, date(2004, 4, 8), "Monday after Good Friday -> Thursday (NYSE default)"),
    ("§5", date(2004, 6, 14), lambda d: d.weekday() < 5, date(2004, 6, 11), "a caller's Mon-Fri calendar: Friday"),
    ("§5", date(2004, 6, 14), lambda d: d.weekday() < 5 and d != date(2004, 6, 11), date(2004, 6, 10),
     "NYSE closed Friday 2004-06-11: Thursday"),
    ("§5", date(2004, 1, 2), lambda d: d.weekday() < 5 and d != date(2004, 1, 1), date(2003, 12, 31),
     "New Year's Day skipped"),
])
def test_previous_trading_day(clause, day, calendar, expected, why):
    assert previous_trading_day(day, calendar) == expected, why


def test_injected_calendar_decides_the_quote_warning():
    market = Market("OTC", date(2004, 6, 10), low_bid=2, high_asked=3)
    monday = date(2004, 6, 14)
    weekdays = settle(D1, ODD, req(None, day=monday), market, is_trading_day=lambda d: d.weekday() < 5)
    assert weekdays.quote_warning is not None   # Mon-Fri expects Friday 2004-06-11
    assert weekdays.trading_calendar == "caller's calendar"
    nyse = settle(D1, ODD, req(None, day=monday), market)
    assert nyse.quote_warning is None           # the default NYSE calendar: closed on the 11th
    assert nyse.trading_calendar == "NYSE (holidays package)"


def test_missing_nyse_calendar_is_refused_not_guessed(monkeypatch):
    # §5: without the calendar the "trading day immediately prior" cannot be known; no Mon-Fri fallback.
    import builtins

    import engine.calendars as cal

    real_import = builtins.__import__

    def no_holidays(name, *a, **k):
        if name == "holidays":
            raise ImportError("No module named 'holidays'")
        return real_import(name, *a, **k)

    cal._nyse.cache_clear()
    monkeypatch.setattr(builtins, "__import__", no_holidays)
    try:
        with pytest.raises(WarrantError, match="NYSE calendar .* cannot be imported"):
            previous_trading_day(date(2004, 6, 14))
    finally:
        monkeypatch.undo()
        cal._nyse.cache_clear()


def test_half_cent_rounds_up():
    # 1 1/2 shares at $0.01: aggregate $0.015 -> $0.02 (half up); fraction 1/2 x $0.01 = $0.005 -> $0.01.
    s = settle(D1, Position(Fraction(1, 100), Fraction(3, 2)), req(None), Market("NONE", board_fair_value=Fraction(1, 100)))
    assert (s.aggregate_price, s.fraction_cash, s.full_shares) == (D("0.02"), D("0.01"), 1)
    assert s.aggregate_price_exact == Fraction(3, 200)


def test_no_market_needed_without_a_fraction():
    s = settle(D1, D1_POSITION, req(100))
    assert (s.fraction_price, s.fraction_price_source, s.fraction_price_date) == (None, "no fractional share", None)


# ---------------------------------------------------------------- net issuance (outside D-1)
@pytest.mark.parametrize("clause, shares, fair_value, full, fraction, fraction_cash, why", [
    ("outside D-1 §3", 100_000, 1, 99_000, 0, D("0.00"), "X = 100,000 x (1 - 0.01) / 1 = 99,000"),
    ("outside D-1 §3", 1000, 3, 996, Fraction(2, 3), D("2.00"),
     "X = 1,000 x 2.99 / 3 = 996.67: 996 shares, 2/3 x $3 board value = $2.00"),
])
def test_net_issuance(clause, shares, fair_value, full, fraction, fraction_cash, why):
    s = settle(D1, D1_POSITION, req(shares, NET, fair_value=fair_value), Market("NONE", board_fair_value=3))
    assert (s.full_shares, s.fractional_share, s.fraction_cash) == (full, fraction, fraction_cash), why
    assert s.cash_due == D("0.00") and s.shares_to_surrender == 0
    assert s.outside_terms and any("outside D-1" in n for n in s.notes)
    assert s.shares_exercised == shares
    assert s.remaining_shares == 161_290 - shares
    assert s.shares_withheld + full + fraction == shares   # Y = X + withheld


# ---------------------------------------------------------------- refusals and bad input
@pytest.mark.parametrize("clause, position, request_, market, message", [
    ("§1(a)", D1_POSITION, lambda: req(161_291), None,
     r"Exercise: Shares \(161291\) must not exceed the 161,290 Warrant Shares that remain"),
    ("§1(a)", D1_POSITION, lambda: req(0), None, r"Exercise: Shares \(0\) must be positive"),
    ("§1(a)", D1_POSITION, lambda: req(-5), None, r"Exercise: Shares \(-5\) must be positive"),
    ("§1(a)", D1_POSITION, lambda: ExerciseRequest(TUESDAY, 100.5), None, r"Shares \(100.5\) is a float"),
    ("§1(a)", D1_POSITION, lambda: req(100, day=date(2005, 2, 8)), None,
     r"Exercise Date \(2005-02-08\) must be within the Exercise Period 2001-12-31 through 2005-02-07"),
    ("§1(a)", D1_POSITION, lambda: req(100, day=date(2001, 12, 30)), None,
     r"Exercise Date \(2001-12-30\) must be within the Exercise Period"),
    ("§1(a)", D1_POSITION, lambda: ExerciseRequest("2004-06-15", 100), None, r"Exercise Date \('2004-06-15'\) must be a date"),
    ("§3", D1_POSITION, lambda: req(100, "BARTER"), None,
     r"Method \('BARTER'\) must be one of CASH, SURRENDER, MIXED, NET"),
    ("§3(a)", D1_POSITION, lambda: req(100, SURRENDER, surrendered_acquired=date(2003, 1, 1)), None,
     r"Exercise: Fair Value \(blank\) is needed to pay by SURRENDER"),
    ("§3(a)", D1_POSITION, lambda: req(100, SURRENDER, fair_value=3), None,
     r"Surrendered Shares Acquired \(blank\) is needed to pay by SURRENDER"),
    ("§3(a)", D1_POSITION, lambda: req(100, SURRENDER, fair_value=0), None, r"Fair Value \(0\) must be positive"),
    ("§3(b)", D1_POSITION, lambda: req(100, MIXED, fair_value=3, surrendered_acquired=date(2003, 1, 1)), None,
     r"Cash Paid \(blank\) is needed to pay by MIXED"),
    ("§3(b)", D1_POSITION, lambda: req(100_000, MIXED, fair_value=3, cash_paid=Fraction(100001, 100),
                                       surrendered_acquired=date(2003, 1, 1)), None,
     r"Cash Paid \(1000.01\) must not exceed the aggregate price \(1000.00\)"),
    ("§3(b)", D1_POSITION, lambda: req(100, MIXED, cash_paid=-1), None, r"Cash Paid \(-1\) must not be negative"),
    ("§1(c)", D1_POSITION, lambda: req(100, payment_date=date(2004, 6, 14)), None,
     r"Payment Date \(2004-06-14\) must not be before the Exercise Date \(2004-06-15\)"),
    ("outside D-1", D1_POSITION, lambda: req(100, NET), None, r"Fair Value \(blank\) is needed for net issuance"),
    ("outside D-1", D1_POSITION, lambda: req(100, NET, fair_value=Fraction(1, 100)), None,
     r"Fair Value \(0.01\) must exceed the Per Share Exercise Price \(0.01\)"),
    ("§5", ODD, lambda: req(None), None, r"Market: Market \(blank\) is needed to pay cash for the fractional share"),
    ("§5", ODD, lambda: req(None), Market("OTC", TUESDAY, low_bid=2), r"Market: High Asked \(blank\) is needed"),
    ("§5", ODD, lambda: req(None), Market("OTC", None, low_bid=2, high_asked=3),
     r"Market: Quote Date \(blank\) is needed for a OTC quote"),
    ("§5", ODD, lambda: req(None), Market("EXCHANGE", TUESDAY), r"Market: Closing Price \(blank\) is needed"),
    ("§5", ODD, lambda: req(None), Market("NONE"), r"Market: Board Fair Value \(blank\) is needed"),
    ("§5", ODD, lambda: req(None), lambda: Market("NASDAQ"), r"Market: Venue \('NASDAQ'\) must be one of OTC"),
    ("§5", ODD, lambda: req(None), lambda: Market("OTC", TUESDAY, low_bid=-1, high_asked=3),
     r"Market: Low Bid \(-1\) must not be negative"),
    ("preamble", lambda: Position(Fraction(-1, 100), 100), lambda: req(1), None,
     r"Per Share Exercise Price \(-0.01\) must not be negative"),
    ("§1(c)(ii)", lambda: Position(Fraction(1, 100), 0), lambda: req(1), None,
     r"Warrant Shares \(0\) must be positive: nothing remains to exercise"),
    ("§3(a)", D1_POSITION, lambda: req(100, SURRENDER, fair_value=3, surrendered_acquired=date(2003, 1, 1),
                                       surrender_lot_shares=-1), None,
     r"Surrender Lot Shares \(-1\) must be a whole number of shares"),
])
def test_refusals(clause, position, request_, market, message):
    with pytest.raises(WarrantError, match=message):
        pos = position() if callable(position) else position
        mk = market() if callable(market) else market
        settle(D1, pos, request_(), mk)


def test_all_as_text():
    # The Excel `exercise` table may say "ALL".
    assert ExerciseRequest(TUESDAY, "ALL").shares is None
    assert settle(D1, D1_POSITION, ExerciseRequest(TUESDAY, "all")).shares_exercised == 161_290


def test_dates_at_the_edge_of_the_calendar():
    far = d1_terms(exercise_end=date(9999, 12, 31))
    with pytest.raises(WarrantError, match=r"Payment Date \(9999-12-30\) is too late to add 20 days to"):
        settle(far, D1_POSITION, req(1, payment_date=date(9999, 12, 30)))
    with pytest.raises(WarrantError, match=r"Exercise Date \(2004-06-15\) has no trading day in the year before"):
        previous_trading_day(TUESDAY, lambda d: False)


def test_holding_period_bad_input():
    with pytest.raises(WarrantError, match=r"Holding Months \(-1\) must be a whole number"):
        holding_period_end(date(2004, 1, 1), -1)
    with pytest.raises(WarrantError, match=r"Surrendered Shares Acquired \('x'\) must be a date"):
        holding_period_end("x", 6)


# ---------------------------------------------------------------- properties
shares_st = st.fractions(min_value=Fraction(1, 1000), max_value=10**7, max_denominator=1000)
price_st = st.fractions(min_value=0, max_value=100, max_denominator=10_000)


@given(remaining=shares_st, price=price_st, part=st.fractions(min_value=0, max_value=1, max_denominator=97),
       fair_value=st.fractions(min_value=Fraction(1, 100), max_value=1000, max_denominator=1000))
def test_settlement_invariants(remaining, price, part, fair_value):
    asked = remaining * part
    if asked <= 0:
        asked = remaining
    s = settle(D1, Position(price, remaining), req(asked, SURRENDER, surrendered_acquired=date(2003, 1, 1),
                                                     fair_value=fair_value),
               Market("NONE", board_fair_value=1))
    # Whole shares round down; the fraction is below one; nothing is lost or invented.
    assert s.full_shares + s.fractional_share == asked and 0 <= s.fractional_share < 1
    assert s.remaining_shares + s.shares_exercised == remaining
    # §3(a): surrendered value never exceeds the price; the rest is cash, exactly.
    surrendered = s.shares_to_surrender * fair_value
    assert surrendered <= s.aggregate_price_exact < surrendered + fair_value
    assert s.cash_due_exact == s.aggregate_price_exact - surrendered
    assert abs(Fraction(s.cash_due) - s.cash_due_exact) <= Fraction(1, 200)


@given(shares=st.integers(min_value=1, max_value=10**6), fair=st.fractions(min_value=Fraction(2, 100), max_value=100,
                                                                          max_denominator=100))
def test_net_issuance_value_identity(shares, fair):
    # X x A = Y x (A - B): the shares delivered are worth the spread.
    s = settle(D1, Position(Fraction(1, 100), Fraction(10**6)), req(shares, NET, fair_value=fair),
               Market("NONE", board_fair_value=fair))
    delivered = s.full_shares + s.fractional_share
    assert delivered * fair == shares * (fair - Fraction(1, 100))


def test_certificates_due_is_calendar_days():
    # §1(c) "20 calendar days": weekends count.
    s = settle(D1, D1_POSITION, req(10, day=date(2004, 12, 31)))
    assert s.certificates_due - date(2004, 12, 31) == timedelta(days=20)


# ---------------------------------------------------------------- issue 18: merger cash and an exercise entered twice
from engine.settlement import EXCHANGE, exercise_position  # noqa: E402
from tests.ledger_text import ledger  # noqa: E402

# §4(b): 1 acquirer share plus $0.002 cash for every ... Common share, 1 share for every 4.
MERGED = ledger("2003-01-01 | MERGER | ratio=1-for-4 | note=Acquirer Common Stock | price=0.002")
CLOSE_12 = Market(EXCHANGE, quote_date=date(2004, 6, 14), closing_price=Fraction(12))


def test_merger_cash_is_delivered_on_exercise():
    # By hand: 161,290 Common / 4 = 40,322.5 acquirer shares: 40,322 full, 1/2 paid at the $12.00 close = $6.00
    # (§5); cash 161,290 x $0.002 = $322.58 (§4(b) "cash or other property"); price per unit $0.01 x 4 = $0.04,
    # aggregate 40,322.5 x $0.04 = $1,612.90 (unchanged by the merger).
    position = exercise_position(D1, MERGED, req(None))
    assert (position.price, position.shares, position.security) == (Fraction(4, 100), Fraction(80_645, 2),
                                                                    "Acquirer Common Stock")
    assert position.cash_per_unit == Fraction(8, 1000) and position.merged
    s = settle(D1, position, req(None), CLOSE_12)
    assert (s.full_shares, s.fractional_share, s.fraction_cash) == (40_322, Fraction(1, 2), D("6.00"))
    assert (s.merger_cash, s.merger_cash_exact) == (D("322.58"), Fraction(32_258, 100))
    assert s.aggregate_price == D("1612.90") and s.security == "Acquirer Common Stock"
    assert any("$0.008 cash per unit" in n and "$322.58" in n for n in s.notes)


def test_merger_cash_on_a_partial_exercise_and_none_without_a_merger():
    # 10,000 units x $0.008 = $80.00; no merger: no cash, not merged.
    s = settle(D1, exercise_position(D1, MERGED, req(10_000)), req(10_000))
    assert (s.merger_cash, s.remaining_shares) == (D("80.00"), Fraction(80_645, 2) - 10_000)
    plain = settle(D1, exercise_position(D1, (), req(1000)), req(1000))
    assert (plain.merger_cash, plain.merged, plain.notes) == (D("0.00"), False, ())


def test_merger_without_cash_states_the_unit_only():
    # A share-for-share merger with property described in the Note: the unit is stated, no cash.
    events = ledger("2003-01-01 | MERGER | ratio=1-for-1 | note=1 Acquirer share and 1 contingent value right")
    s = settle(D1, exercise_position(D1, events, req(1000)), req(1000))
    assert s.merged and s.merger_cash == D("0.00")
    assert "each unit delivered is 1 Acquirer share and 1 contingent value right" in s.notes[0]


WARRANT_393750 = d1_terms(warrant_shares=393_750)


def test_an_exercise_entered_twice_starts_before_its_row():
    # 393,750 Warrant Shares; the holder exercises 40,000 on 2004-06-15 and the user records it both as an
    # EXERCISE row and in the Exercise block: 393,750 - 40,000 = 353,750 remain (not 313,750).
    events = ledger("2004-06-15 | EXERCISE | shares=40000")
    position = exercise_position(WARRANT_393750, events, req(40_000))
    assert position.shares == 393_750
    s = settle(WARRANT_393750, position, req(40_000))
    assert s.remaining_shares == 353_750
    assert s.notes[0].startswith("Events row 2 records this exercise")
    assert s.before_position == s.notes[0]


def test_an_exercise_row_of_all_matches_an_exercise_of_all():
    # Events row 3 (the header is row 1) exercises the 393,750 - 40,000 = 353,750 left after row 2
    # (2004-06-01): Shares ALL on that day matches it.
    events = ledger("""
        2004-06-01 | EXERCISE | shares=40000
        2004-06-15 | EXERCISE | shares=353750
    """)
    s = settle(WARRANT_393750, exercise_position(WARRANT_393750, events, req(None)), req(None))
    assert (s.shares_exercised, s.remaining_shares) == (353_750, 0)
    assert "Events row 3 records this exercise" in s.notes[0]


@pytest.mark.parametrize("text, shares, start, note", [
    ("2004-06-15 | EXERCISE | shares=10000", 40_000, 383_750,
     "Events row 2 records an exercise of 10,000 Warrant Shares on 2004-06-15, which does not match this one "
     "(Shares 40,000): counted as a separate exercise before it"),
    ("2004-06-14 | EXERCISE | shares=40000", 40_000, 353_750, None),     # another day: an earlier exercise, as ever
])
def test_other_exercise_rows(text, shares, start, note):
    position = exercise_position(WARRANT_393750, ledger(text), req(shares))
    assert position.shares == start
    assert position.note == (note or "")


def test_two_matching_rows_one_is_this_exercise_the_other_noted():
    # Two rows of 40,000 on the day: the first is this exercise (position 393,750); the second is noted.
    events = ledger("""
        2004-06-15 | EXERCISE | shares=40000
        2004-06-15 | EXERCISE | shares=40000
    """)
    position = exercise_position(WARRANT_393750, events, req(40_000))
    assert position.shares == 393_750
    assert "Events row 2 records this exercise" in position.note
    assert ("Events row 3 records an exercise of 40,000 Warrant Shares on 2004-06-15, which does not match this one "
            "(Shares 40,000): listed after this one, so a later exercise, not counted in this settlement") \
        in position.note


def test_same_day_rows_after_the_matching_exercise_are_after_it():
    # Row 2 exercises 40,000; row 3, the same day, splits 2-for-1. The exercise came first (the rows'
    # order): the settlement starts from 393,750 at $0.01 (not 787,500 at $0.005): 40,000 x $0.01 = $400.00.
    events = ledger("""
        2004-06-15 | EXERCISE | shares=40000
        2004-06-15 | SPLIT    | ratio=2-for-1
    """)
    position = exercise_position(WARRANT_393750, events, req(40_000))
    assert (position.shares, position.price) == (393_750, Fraction(1, 100))
    assert settle(WARRANT_393750, position, req(40_000)).aggregate_price == D("400.00")
