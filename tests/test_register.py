"""The register's fast path gives exactly what the reference fold gives (hypothesis), errors included."""
from __future__ import annotations

from datetime import date
from fractions import Fraction as F

from hypothesis import given, settings
from hypothesis import strategies as st

from engine import WarrantError, adjust
from engine.ledger import reference_adjust
from engine.register import register
from tests.strategies import event_rows, events, terms

AS_OF = date(2006, 1, 1)


def _reference(t, ledger):
    try:
        a = reference_adjust(t, ledger, AS_OF)   # the specification
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


@settings(max_examples=400, deadline=None)
@given(st.lists(terms, min_size=1, max_size=2),
       event_rows(kinds=["ISSUE", "OPTIONS", "CONVERTIBLE", "AMEND", "AMEND", "EXPIRE", "SPLIT", "STOCK_DIVIDEND"],
                  refs=("O1", "O2", "O3", "C1", "C2")))
def test_fast_path_equals_reference_fold_through_recomputations(ts, rows):
    """§4(e)(ii): ledgers dense in grants and amendments, where recomputations share prefixes."""
    test_fast_path_equals_reference_fold.hypothesis.inner_test(ts, rows)


def test_register_of_identical_terms_scales_shares_exactly():
    from engine import d1_terms
    from tests.ledger_text import ledger
    ts = [d1_terms(warrant_shares=n) for n in (1, 3, 161_290)]
    book = ledger("2001-06-01 | ISSUE | shares=1000000 | consideration=5000\n2001-07-01 | SPLIT | ratio=3-for-2")
    # §4(d) $0.005, then §4(b) 3-for-2: $0.005 x 2/3 = $1/300, shares x 3/2
    from fractions import Fraction as F
    assert register(ts, book, AS_OF) == [(F(1, 300), F(3, 2)), (F(1, 300), F(9, 2)), (F(1, 300), F(241_935))]


def _outcome(t, ledger):
    try:
        return reference_adjust(t, ledger, AS_OF)
    except WarrantError as e:
        return ("error", str(e))


@settings(max_examples=150, deadline=None)
@given(terms, event_rows(kinds=["SPLIT", "STOCK_DIVIDEND", "RIGHTS_DIVIDEND", "ISSUE", "OPTIONS", "CONVERTIBLE",
                                "AMEND", "EXPIRE", "TREASURY", "OTHER"]))
def test_recomputations_sharing_a_prefix_equal_a_fresh_fold(t, rows):
    """§4(e)(ii): continuing a recomputation from a state already reached gives the fold from scratch, trail included."""
    from unittest import mock

    from engine import clear_caches
    from engine import ledger as fold_module
    ledger = events(rows)
    clear_caches()
    shared = _outcome(t, ledger)
    clear_caches()
    with mock.patch.object(fold_module.Histories, "fold", lambda self, history: fold_module.fold(self.terms, history)[0]):
        fresh = _outcome(t, ledger)
    clear_caches()
    assert shared == fresh


def test_a_ledger_seen_before_gives_the_same_answer_object():
    from engine import d1_terms
    from tests.ledger_text import ledger
    book = ledger("2001-06-01 | ISSUE | shares=1000000 | consideration=5000")
    first = adjust(d1_terms(), book, AS_OF)
    again = adjust(d1_terms(), ledger("2001-06-01 | ISSUE | shares=1000000 | consideration=5000"), AS_OF)
    assert again is first                          # equal content: the cached answer
    assert adjust(d1_terms(exercise_price=F(1, 50)), book, AS_OF) is not first
