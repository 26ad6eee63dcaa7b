"""The fast trail (engine.trail, what ``adjust`` answers with) equals the reference fold (hypothesis), refusals included.

Each example compares the whole answer: every trail row (date, event, clause, status, the
prices and shares before and after, the sentences and flag) and the final numbers, or the
refusal's message. The generated ledgers hold every event kind (AMEND/EXPIRE/EXERCISE/MERGER
included) and the terms every method and share rule (tests/strategies.py).
"""
from __future__ import annotations

from datetime import date
from fractions import Fraction as F
from unittest import mock

import pytest
from hypothesis import given, settings

from engine import WarrantError, adjust, clear_caches, d1_terms
from engine import ledger as reference
from engine import trail as fast
from tests.ledger_text import ledger
from tests.strategies import event_rows, events, terms

AS_OF = date(2006, 1, 1)


def _answer(how, t, book):
    """(final numbers, rows) or ("error", message); ``how``: adjust or the reference fold's reference_adjust."""
    clear_caches()
    try:
        a = how(t, book, AS_OF)
    except WarrantError as e:
        return ("error", str(e))
    numbers = (a.price, a.shares, a.security, a.outstanding, a.fully_diluted, a.price_in_effect, a.carried_price,
               a.cash_per_share)
    return numbers, list(a.trail)          # rows compare by every field, sentences included


def _check(t, rows):
    book = events(rows)
    expected = _answer(reference.reference_adjust, t, book)
    got = _answer(adjust, t, book)
    assert got == expected


# CI: a few hundred examples; HYPOTHESIS_PROFILE=thorough raises them to the profile's thousands.
def _examples(n: int) -> int:
    return max(n, settings.default.max_examples)


@settings(max_examples=_examples(300))
@given(terms, event_rows())
def test_fast_trail_equals_reference_fold(t, rows):
    _check(t, rows)


@settings(max_examples=_examples(200))
@given(terms, event_rows(kinds=["ISSUE", "OPTIONS", "CONVERTIBLE", "AMEND", "AMEND", "EXPIRE", "SPLIT", "COMBINATION",
                                "STOCK_DIVIDEND", "RIGHTS_DIVIDEND", "EXERCISE", "MERGER"],
                         refs=("O1", "O2", "O3", "C1", "R1")))
def test_fast_trail_equals_reference_fold_through_recomputations(t, rows):
    """§4(e)(ii): ledgers dense in grants, amendments and expiries, where recomputations share prefixes."""
    _check(t, rows)


@settings(max_examples=_examples(100))
@given(terms, event_rows(kinds=["SPLIT", "STOCK_DIVIDEND", "RIGHTS_DIVIDEND", "ISSUE", "OPTIONS", "CONVERTIBLE",
                                "AMEND", "EXPIRE", "TREASURY", "OTHER"]))
def test_fast_recomputations_sharing_a_prefix_equal_a_fresh_fold(t, rows):
    """Continuing a fast recomputation from a state already reached gives the fast fold from scratch."""
    book = events(rows)
    shared = _answer(adjust, t, book)

    def fresh(self, history):                 # the history folded from its first event
        s = self.start(self.terms)
        for i in range(len(history)):
            s = self.step(self.terms, history, i, s)
        return s
    with mock.patch.object(reference.Histories, "fold", fresh):
        assert _answer(adjust, t, book) == shared


# Reference cases written by hand: the numbers the fast rows must show, clause by clause.
D1 = d1_terms(common_outstanding=10_000_000, fully_diluted=12_000_000)  # D-1: $0.01, 161,290 shares, full ratchet, 1%
CASES = [
    # (clause, ledger, [(status, price after, shares after)] per row)
    ("§4(d) full ratchet: $5,000 / 1,000,000 = $0.005",
     "2001-06-01 | ISSUE | shares=1000000 | consideration=5000",
     [("APPLIED", F(1, 200), F(161_290))]),
    ("§4(b) 3-for-2: $0.01 × 2/3 = $1/150; shares × 3/2 = 241,935",
     "2001-06-01 | SPLIT | ratio=3-for-2",
     [("APPLIED", F(1, 150), F(241_935))]),
    ("§4(c) 1,000,000 on 10,000,000: $0.01 × 10/11 = $1/110; 161,290 × 11/10 = 177,419",
     "2001-06-01 | STOCK_DIVIDEND | shares=1000000",
     [("APPLIED", F(1, 110), F(177_419))]),
    ("§4(g)(iii): $0.00999 is 0.1% below $0.01, carried; then §4(d) $0.005 made",
     "2001-06-01 | ISSUE | shares=100000 | consideration=999\n2001-07-01 | ISSUE | shares=1000000 | consideration=5000",
     [("CARRIED_FORWARD", F(1, 100), F(161_290)), ("APPLIED", F(1, 200), F(161_290))]),
    ("§4(g)(iii) at exactly 1%: $9,900 / 1,000,000 = $0.0099, $0.0001 off $0.01 is not under 1%: made",
     "2001-06-01 | ISSUE | shares=1000000 | consideration=9900",
     [("APPLIED", F(99, 10_000), F(161_290))]),
    ("§4(g)(iv) then §4(e)(ii): $0.005 options, amended to $0.02: recomputed $0.01 is upward, blocked",
     "2001-06-01 | OPTIONS | ref=O1 | shares=1000000 | consideration=0 | additional_consideration=5000\n"
     "2001-07-01 | AMEND | ref=O1 | additional_consideration=20000",
     [("APPLIED", F(1, 200), F(161_290)), ("BLOCKED_UPWARD", F(1, 200), F(161_290))]),
    ("§1(c): 90,000 of 161,290 exercised leaves 71,290",
     "2001-06-01 | EXERCISE | shares=90000",
     [("APPLIED", F(1, 100), F(71_290))]),
]


@pytest.mark.parametrize("clause, text, expected", CASES, ids=[c[0][:40] for c in CASES])
def test_fast_rows_match_hand_derived_numbers(clause, text, expected):
    clear_caches()
    result = adjust(D1, ledger(text), AS_OF)
    assert [(r.status, r.price_after, r.shares_after) for r in result.trail] == expected
    assert result.trail == tuple(reference.reference_adjust(D1, ledger(text), AS_OF).trail)


def test_sentences_are_rendered_when_first_read():
    clear_caches()
    with mock.patch.object(fast, "explain_step", wraps=reference.explain_step) as render:
        row = adjust(D1, ledger("2001-06-01 | ISSUE | shares=1000000 | consideration=5000"), AS_OF).trail[0]
        assert render.call_count == 0                      # the numbers are there, the sentences not yet
        assert "§4(d) full ratchet" in row.explanation
        assert row.flag is None and render.call_count == 1  # rendered once, then kept
        assert str(row) == repr(row) and "explanation='Issue of 1,000,000 shares" in repr(row)
        with pytest.raises(AttributeError):
            row.status = "APPLIED"                     # rows are shared by the cache of answers


@pytest.mark.parametrize("text, message", [
    # §1(c): 200,000 > the 161,290 Warrant Shares
    ("2001-06-01 | EXERCISE | shares=200000", "Events row 2: Shares (200000) exceeds the 161,290 Warrant Shares remaining"),
    # §4(e)(ii): an AMEND must name an earlier grant
    ("2001-06-01 | AMEND | ref=O9 | shares=5", "Events row 2: Ref ('O9') names no earlier OPTIONS or CONVERTIBLE grant to AMEND"),
])
def test_fast_refusals_are_the_reference_folds(text, message):
    for how in (adjust, reference.reference_adjust):
        clear_caches()
        with pytest.raises(WarrantError) as refused:
            how(D1, ledger(text), AS_OF)
        assert str(refused.value) == message


@settings(max_examples=_examples(200))
@given(event_rows(kinds=["ISSUE", "OPTIONS", "CONVERTIBLE", "AMEND", "AMEND", "EXPIRE", "SPLIT"],
                  refs=("O1", "O2", "O3", "C1", "C2")))
def test_alternative_histories_kept_across_a_fold_equal_one_read(rows):
    """§4(e)(ii): the histories asked for in ledger order, kept from one question to the next, are each
    the history read from the ledger's start (amended grants, expired ones dropped or cut to their issues)."""
    from engine.events import Amend, AlternativeHistories, Expire, Grant
    book = events(rows)
    kept = AlternativeHistories(book)
    replacement = Grant(date(2001, 3, 1), None, "", None, False, "O1", F(7), F(1), F(0), "")
    for i, e in enumerate(book):
        if isinstance(e, (Amend, Expire)):
            for repl in (None, replacement):
                assert kept.of(i, e.ref, repl) == AlternativeHistories(book).of(i, e.ref, repl)
