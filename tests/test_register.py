"""The register's fast path gives exactly what the reference fold gives (hypothesis), errors included."""
from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from engine import WarrantError, adjust
from engine.register import register
from tests.strategies import event_rows, events, terms

AS_OF = date(2006, 1, 1)


def _reference(t, ledger):
    try:
        a = adjust(t, ledger, AS_OF)
        return (a.price, a.shares)
    except WarrantError as e:
        return ("error", str(e))


def _fast(ts, ledger):
    try:
        return register(ts, ledger, AS_OF)
    except WarrantError as e:
        return ("error", str(e))


@settings(max_examples=300, deadline=None)
@given(st.lists(terms, min_size=1, max_size=4), event_rows())
def test_fast_path_equals_reference_fold(ts, rows):
    ledger = events(rows)
    expected = [_reference(t, ledger) for t in ts]
    errors = [r for r in expected if r[0] == "error"]
    got = _fast(ts, ledger)
    if errors:
        # The register stops at the first warrant the ledger cannot be applied to, with the same message.
        assert got == errors[0]
    else:
        assert got == expected


def test_register_of_identical_terms_scales_shares_exactly():
    from engine import d1_terms
    from tests.ledger_text import ledger
    ts = [d1_terms(warrant_shares=n) for n in (1, 3, 161_290)]
    book = ledger("2001-06-01 | ISSUE | shares=1000000 | consideration=5000\n2001-07-01 | SPLIT | ratio=3-for-2")
    # §4(d) $0.005, then §4(b) 3-for-2: $0.005 x 2/3 = $1/300, shares x 3/2
    from fractions import Fraction as F
    assert register(ts, book, AS_OF) == [(F(1, 300), F(3, 2)), (F(1, 300), F(9, 2)), (F(1, 300), F(241_935))]
