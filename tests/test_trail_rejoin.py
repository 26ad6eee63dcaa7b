"""§4(e)(ii) recomputations that rejoin the ledger's own fold (engine.ledger.Histories, engine.trail._rejoined).

An alternative history whose state, after some event, equals the fold it continues (same numbers,
counts, grants' issues and rights) takes that fold's later states instead of folding the same
events again. The numbers below are derived by hand from D-1's §4(d) full ratchet, §4(b) and the
§4(a)(i)(A) 10% Management Securities cap; the whole answer (sentences included) must also equal the
reference fold's, which never takes that shortcut.
"""
from __future__ import annotations

from datetime import date
from fractions import Fraction as F

import pytest

from engine import adjust, clear_caches, d1_terms
from engine import ledger as reference
from engine import trail as fast
from tests.ledger_text import ledger

AS_OF = date(2006, 1, 1)
D1 = d1_terms(common_outstanding=10_000_000, fully_diluted=12_000_000)  # $0.01, 161,290 shares, full ratchet, 1%, cap 10%


@pytest.fixture
def rejoins(monkeypatch):
    """The answers of engine.trail._rejoined during one fold, in order."""
    seen: list[bool] = []
    real = fast._rejoined

    def spy(a, b):
        seen.append(real(a, b))
        return seen[-1]
    monkeypatch.setattr(fast, "_rejoined", spy)
    return seen


def _rows(text: str):
    clear_caches()
    answer = adjust(D1, ledger(text), AS_OF)
    assert answer.trail == tuple(reference.reference_adjust(D1, ledger(text), AS_OF).trail)
    return [(r.status, r.price_after, r.shares_after) for r in answer.trail]


def test_an_amended_grant_overtaken_by_a_lower_issue_rejoins(rejoins):
    # O1: 1,000,000 options at $20,000 = $0.02 a share, above $0.01: no effect. The issue at $0.005
    # ratchets; the split halves the price. The AMEND to $8,000 ($0.008 a share) recomputes: $0.008,
    # then the issue's $0.005 (the same state as the ledger's after it: rejoined), then the split:
    # $0.0025, the price already in effect.
    text = """
        2001-06-01 | OPTIONS | ref=O1 | shares=1000000 | consideration=0 | additional_consideration=20000
        2001-07-01 | ISSUE   | shares=1000000 | consideration=5000
        2001-08-01 | SPLIT   | ratio=2-for-1
        2001-09-01 | AMEND   | ref=O1 | additional_consideration=8000
    """
    assert _rows(text) == [("NO_EFFECT", F(1, 100), 161_290), ("APPLIED", F(1, 200), 161_290),
                           ("APPLIED", F(1, 400), 322_580), ("NO_EFFECT", F(1, 400), 322_580)]
    assert rejoins == [False, True]          # not after the amended grant; after the issue


def test_a_history_with_other_counts_does_not_rejoin(rejoins):
    # The AMEND cuts O1 to 100,000 shares at $800 ($0.008 a share): after the $0.005 issue the
    # history's price state is the ledger's, but its fully diluted count is 13,100,000, not 14,000,000.
    # The management issue of 1,500,000 at $0.001 is then within the cap in the ledger (10% of
    # 15,500,000 = 1,550,000: excluded) and beyond it in the history (10% of 14,600,000 = 1,460,000:
    # 40,000 Additional Shares at $0.001), so the recomputed price is $0.001.
    text = """
        2001-06-01 | OPTIONS | ref=O1 | shares=1000000 | consideration=0 | additional_consideration=20000
        2001-07-01 | ISSUE   | shares=1000000 | consideration=5000
        2001-08-01 | ISSUE   | shares=1500000 | consideration=1500 | category=MANAGEMENT
        2001-09-01 | AMEND   | ref=O1 | shares=100000 | additional_consideration=800
    """
    assert _rows(text) == [("NO_EFFECT", F(1, 100), 161_290), ("APPLIED", F(1, 200), 161_290),
                           ("EXCLUDED", F(1, 200), 161_290), ("APPLIED", F(1, 1000), 161_290)]
    assert rejoins == [False, False]         # the counts differ after the issue
