"""Invariants of §4 proved with hypothesis (STYLE.md: properties where an invariant exists)."""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from engine import WarrantError, adjust, parse_events
from tests.strategies import event_rows, terms

AS_OF = date(2006, 1, 1)


def _adjust(t, rows):
    try:
        return adjust(t, parse_events(rows), AS_OF)
    except WarrantError:
        assume(False)


@settings(max_examples=200, deadline=None)
@given(terms, event_rows(), st.integers(2, 12), st.integers(1, 11))
def test_split_then_reverse_combination_restores_exact_terms(t, rows, n, m):
    """§4(b): N-for-M then M-for-N, after any ledger, gives back the exact price and shares.

    Unless an amount is still carried forward under §4(g)(iii): the split is an adjustment
    with which the carried amount is then made, as the clause requires.
    """
    assume(n > m)
    before = _adjust(t, rows)
    assume(before.carried_price == before.price_in_effect)
    later = AS_OF - timedelta(days=2)
    rows = rows + [{"date": later, "event": "SPLIT", "ratio": f"{n}-for-{m}"},
                   {"date": later + timedelta(days=1), "event": "COMBINATION", "ratio": f"{m}-for-{n}"}]
    after = _adjust(t, rows)
    assert (after.price, after.shares) == (before.price, before.shares)
    assert after.carried_price == before.carried_price


@settings(max_examples=200, deadline=None)
@given(terms, event_rows(kinds=["SPLIT", "COMBINATION", "STOCK_DIVIDEND", "RIGHTS_DIVIDEND"]))
def test_splits_and_stock_dividends_keep_the_aggregate_price(t, rows):
    """§4(b), §4(c): price and shares move inversely, so shares x the calculated price never changes; the
    price in effect joins it whenever a change is made (while one is carried, §4(g)(iii), the shares have
    moved in full and the price has not: issue 18 reading 3)."""
    result = _adjust(t, rows)
    aggregate = t.exercise_price * t.warrant_shares
    for row in result.trail:
        if row.status == "APPLIED":
            assert row.price_after * row.shares_after == aggregate, row
    assert result.carried_price * result.shares == aggregate


@settings(max_examples=300, deadline=None)
@given(terms, event_rows(kinds=["SPLIT", "STOCK_DIVIDEND", "RIGHTS_DIVIDEND", "ISSUE", "OPTIONS", "CONVERTIBLE",
                                "AMEND", "EXPIRE", "TREASURY", "EXERCISE", "OTHER"]))
def test_price_never_rises_without_a_combination(t, rows):
    """§4(g)(iv): no event but a combination raises the Per Share Exercise Price."""
    result = _adjust(t, rows)
    assert all(row.price_after <= row.price_before for row in result.trail)
    assert result.price <= t.exercise_price
