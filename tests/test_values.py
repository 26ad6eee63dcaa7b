"""Issue 17, "Values": a holding is a value of its own beside the company terms, and whole share
counts are ``int`` (a ``Fraction`` only where a fraction of a share arises).

D-1 (/work/shared/seeds/000_0a29cc6c40c6e08c.txt): the preamble's "One Hundred Sixty-One Thousand
Two Hundred Ninety (161,290) ... shares" is a whole count; a fraction of a Warrant Share arises only
where a §4 sentence multiplies the count (§4(b) "proportionately increased", §4(c) "multiplying the
number of Warrant Shares by the inverse of that fraction"), and §1(c)(i)/§5 deliver the full shares
and pay the fraction in cash.
"""
from __future__ import annotations

from datetime import date
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.excel import convert as cv
from engine import Holding, Terms, WarrantError, adjust, d1_terms
from engine.ledger import reference_adjust
from engine.numbers import share_count
from engine.register import register
from engine.settlement import ExerciseRequest, Position, settle
from tests.ledger_text import ledger
from tests.strategies import ISSUE_DATES, event_rows, events, terms

AS_OF = date(2006, 1, 1)
PLAIN = Terms(issue_date=date(2021, 3, 1), warrant_shares=1000, exercise_price=F(5), anti_dilution="NONE")


# --------------------------------------------------------------------------- the Holding value

@pytest.mark.parametrize("shares, price, message", [
    (F(0), F(1), r"Warrant Shares \(0\) must be positive"),
    (-5, F(1), r"Warrant Shares \(-5\) must be positive"),
    (1.5, F(1), r"Warrant Shares \(1.5\) must be an exact number"),
    (F(1), F(-1), r"Exercise Price \(-1\) must not be negative"),
    (F(1), 0.5, r"Exercise Price \(0.5\) must be an exact number"),
    (True, F(1), r"Warrant Shares \(True\) must be an exact number"),
])
def test_holding_validates_as_the_terms_do(shares, price, message):
    with pytest.raises(WarrantError, match=message):
        Holding("W", shares, price)
    with pytest.raises(WarrantError, match=message):         # the same message from the whole Terms
        PLAIN.with_holding("W", shares, price)


def test_holding_refuses_a_name_that_is_not_text_and_a_date_that_is_not_one():
    with pytest.raises(WarrantError, match=r"Warrant \(7\) must be text"):
        Holding(7, 100, F(1))
    with pytest.raises(WarrantError, match=r"Issue Date \('2001-02-07'\) must be a date"):
        Holding("W", 100, F(1), "2001-02-07")


def test_holding_is_immutable_and_a_value():
    h = Holding("W-1", 100, F(1, 100))
    assert h == Holding("W-1", F(100), F(1, 100)) and hash(h) == hash(Holding("W-1", F(100), F(1, 100)))
    with pytest.raises(AttributeError):
        h.warrant_shares = 5          # type: ignore[misc]


@given(shares=st.fractions(min_value=F(1, 1000), max_value=F(10**9)),
       price=st.fractions(min_value=F(0), max_value=F(10**6)), name=st.text(max_size=10))
def test_holding_terms_are_the_whole_terms(shares, price, name):
    # A holding beside its class's terms is exactly the warrant the whole Terms describe.
    for base in (PLAIN, d1_terms()):
        h = Holding(name, shares, price)
        assert base.holding_terms(h) == base.with_holding(name, shares, price)
        assert base.with_holding(name, shares, price).holding == Holding(name, shares, price, base.issue_date)
        later = Holding(name, shares, price, date(2030, 1, 2))       # a holding's own Original Issue Date wins
        assert base.holding_terms(later) == base.with_(warrant=name, warrant_shares=shares, exercise_price=price,
                                                       issue_date=date(2030, 1, 2))


# --------------------------------------------------------------------------- whole counts are int

def test_whole_counts_are_int_not_fraction_n_1():
    # Preamble: 161,290 shares, a whole count, whatever exact type it was typed as.
    for typed in (161_290, F(161_290), F(322_580, 2)):
        assert type(d1_terms(warrant_shares=typed).warrant_shares) is int
        assert type(Holding("D-1", typed, F(1, 100)).warrant_shares) is int
    assert type(Holding("X", F(3, 2), F(1)).warrant_shares) is F       # a fraction of a share stays exact
    assert share_count(F(10, 1)) == 10 and type(share_count(F(10, 1))) is int
    assert share_count(F(21, 2)) == F(21, 2)


# §4(b) "the number of shares ... shall be proportionately increased":
# 2-for-1: 161,290 x 2 = 322,580 (whole); 7-for-3: 161,290 x 7/3 = 1,129,030/3 = 376,343 1/3 (a fraction arises).
SPLITS = [("2-for-1", 322_580, int), ("7-for-3", F(1_129_030, 3), F)]


@pytest.mark.parametrize("ratio, shares, kind", SPLITS)
def test_adjusted_counts_are_int_when_whole(ratio, shares, kind):
    book = ledger(f"2001-06-01 | SPLIT | ratio={ratio}")
    t = d1_terms()
    for answer in (adjust(t, book, AS_OF), reference_adjust(t, book, AS_OF)):
        assert answer.shares == shares and type(answer.shares) is kind
        row = answer.trail[0]
        assert type(row.shares_before) is int and row.shares_before == 161_290
        assert row.shares_after == shares and type(row.shares_after) is kind
    (price, count), = register([t], book, AS_OF)
    assert count == shares and type(count) is kind
    (price2, count2), = register([(t, Holding("D-1", 161_290, F(1, 100)))], book, AS_OF)
    assert (price2, count2) == (price, count) and type(count2) is kind


def test_adjusted_counts_at_issue_are_int():
    # common outstanding and fully diluted at the Original Issue Date, no events: the terms' own whole counts
    a = adjust(d1_terms(common_outstanding=10_000_000, fully_diluted=12_000_000), (), AS_OF)
    assert (a.shares, a.outstanding, a.fully_diluted) == (161_290, 10_000_000, 12_000_000)
    assert {type(a.shares), type(a.outstanding), type(a.fully_diluted)} == {int}


def test_settlement_counts_are_int_when_whole():
    # §1(c)(ii): exercising 100,000 of D-1's 161,290 Warrant Shares in cash at $0.01 leaves a new warrant for 61,290;
    # §1(c)(i): 100,000 full shares, no fraction; aggregate $1,000.00.
    s = settle(d1_terms(), Position(price=F(1, 100), shares=F(161_290)),
               ExerciseRequest(exercise_date=date(2004, 6, 15), shares=F(100_000)))
    assert (s.shares_exercised, s.full_shares, s.fractional_share, s.remaining_shares) == (100_000, 100_000, 0, 61_290)
    assert {type(s.shares_exercised), type(s.remaining_shares), type(s.fractional_share)} == {int}
    assert str(s.aggregate_price) == "1000.00"


# --------------------------------------------------------------------------- the register takes (terms, holding)

# a holding's own Issue Date, or none (the terms'): warrants of one class see different tails of the ledger
holdings = st.builds(Holding, st.just("W"), st.integers(1, 500_000) | st.fractions(F(1, 7), F(10**6)),
                     st.integers(1, 6000).map(lambda k: F(k, 100_000)), st.none() | st.sampled_from(ISSUE_DATES))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(terms, holdings), min_size=1, max_size=4), event_rows())
def test_register_of_holdings_equals_the_whole_terms_and_the_fold(rows, raw):
    """fold = register: each warrant given as (class terms, its Holding) answers as its whole Terms do."""
    book = events(raw)
    whole = [t.holding_terms(h) for t, h in rows]

    def run(warrants):
        try:
            return register(warrants, book, AS_OF)
        except WarrantError as e:
            return str(e)

    got = run(rows)
    assert got == run(whole)
    expected = []
    for t in whole:
        try:
            a = reference_adjust(t, book, AS_OF)
            expected.append((a.price, a.shares))
        except WarrantError as e:
            expected = str(e)          # the register stops at the first refusal, with its message
            break
    assert got == expected
    if isinstance(got, list):
        assert all(type(s) is int for _p, s in got if s.denominator == 1)


def test_adjust_takes_a_holding_beside_the_terms():
    # §4(b) 2-for-1 on a warrant of D-1's series for 1,001 shares at $0.03: $0.015, 2,002 shares.
    book = ledger("2001-06-01 | SPLIT | ratio=2-for-1")
    a = adjust(d1_terms(), book, AS_OF, Holding("D-7", 1_001, F(3, 100)))
    assert (a.price, a.shares) == (F(15, 1000), 2_002) and type(a.shares) is int
    assert reference_adjust(d1_terms(), book, AS_OF, Holding("D-7", 1_001, F(3, 100))) == a


def test_register_rows_of_a_class_build_holdings_not_terms():
    grid = [["Warrant", "Preset", "Warrant Shares", "Exercise Price"],
            ["A", "D-1", 100, 1.5], ["B", "D-1", 200, 0.25], ["C", "D-1", 300.0, 2]]
    (ta, ha), (tb, hb), (tc, hc) = cv.parse_register(grid)
    assert tb is ta and tc is ta                           # the class is converted once, shared by its rows
    d1 = date(2001, 2, 7)                                   # the preset's Issue Date: every row's own
    assert (ha, hb, hc) == (Holding("A", 100, F(3, 2), d1), Holding("B", 200, F(1, 4), d1), Holding("C", 300, F(2), d1))
    assert {type(ha.warrant_shares), type(hb.warrant_shares), type(hc.warrant_shares)} == {int}


def test_register_holdings_see_the_ledger_after_their_own_issue_date():
    """§4 adjusts for events "after the date hereof", each warrant its own: D-1 warrants of one class issued
    2001-03-01 see the 2001-06-01 issue of 1,000,000 shares for $5,000 ($0.005 a share, below $0.01: full
    ratchet, §4(d)) and the 2001-07-01 3-for-2 split (§4(b): price x 2/3, shares x 3/2): $0.005 x 2/3 = $1/300,
    161,290 x 3/2 = 241,935. One issued 2001-06-15 sees the split only: $0.01 x 2/3 = $1/150. One issued
    2007-01-01 does not exist yet as of 2006-01-01 and is refused."""
    book = ledger("2001-06-01 | ISSUE | shares=1000000 | consideration=5000\n2001-07-01 | SPLIT | ratio=3-for-2")
    t = d1_terms()
    rows = [(t, Holding("A", 161_290, F(1, 100), date(2001, 3, 1))),
            (t, Holding("B", 161_290, F(1, 100), date(2001, 6, 15))),
            (t, Holding("C", 161_290, F(1, 100)))]                       # the terms' own date, 2001-02-07
    assert register(rows, book, AS_OF) == [(F(1, 300), 241_935), (F(1, 150), 241_935), (F(1, 300), 241_935)]
    with pytest.raises(WarrantError, match="2007-01-01"):
        register(rows + [(t, Holding("D", 1, F(1), date(2007, 1, 1)))], book, AS_OF)


def test_register_rows_carry_their_own_issue_date():
    grid = [["Warrant", "Preset", "Issue Date", "Warrant Shares", "Exercise Price"],
            ["A", "D-1", date(2001, 3, 1), 100, 1.5], ["B", "D-1", date(2001, 6, 15), 200, 1.5]]
    (ta, ha), (tb, hb) = cv.parse_register(grid)
    assert tb is ta and (ha.issue_date, hb.issue_date) == (date(2001, 3, 1), date(2001, 6, 15))
    assert tb.holding_terms(hb) == cv.register_row_terms(dict(zip(["warrant", "preset", "issue_date", "warrant_shares",
                                                                   "exercise_price"], grid[2])), 3)


def test_settle_takes_a_holding_beside_the_terms():
    # A warrant of D-1's series for 1,001 shares at $0.02, dated 2002-01-01, no events: 1,000 exercised in cash on
    # 2004-06-15 (§1(a) period 2001-12-31 to 2005-02-07) cost 1,000 x $0.02 = $20.00; §1(c)(ii) a new warrant for the
    # 1 share left, "dated the date hereof" (its own Issue Date).
    from engine.settlement import exercise_position
    holding = Holding("D-9", 1_001, F(2, 100), date(2002, 1, 1))
    request = ExerciseRequest(exercise_date=date(2004, 6, 15), shares=1_000)
    position = exercise_position(d1_terms(), (), request, holding)
    assert (position.price, position.shares) == (F(2, 100), 1_001) and type(position.shares) is int
    s = settle(d1_terms(), position, request, holding=holding)
    assert str(s.aggregate_price) == "20.00" and s.remaining_shares == 1 and type(s.remaining_shares) is int
    assert "dated 2002-01-01" in s.new_warrant


def _no_whole_fraction(value) -> bool:
    """A count is an int when whole: never Fraction(n, 1)."""
    return value is None or type(value) is int or value.denominator != 1


@settings(max_examples=150, deadline=None)
@given(terms, event_rows())
def test_every_count_adjust_returns_is_int_when_whole(t, raw):
    book = events(raw)
    assert all(_no_whole_fraction(e.shares) for e in book if hasattr(e, "shares"))     # the event rows' Shares
    for answer in (adjust, reference_adjust):
        try:
            a = answer(t, book, AS_OF)
        except WarrantError:
            continue
        assert _no_whole_fraction(a.shares) and _no_whole_fraction(a.outstanding) and _no_whole_fraction(a.fully_diluted)
        assert all(_no_whole_fraction(r.shares_before) and _no_whole_fraction(r.shares_after) for r in a.trail)
