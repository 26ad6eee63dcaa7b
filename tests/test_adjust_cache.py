"""The cache of answers (engine.ledger.adjust): its key hashes a ledger's outline (each event's kind,
date and row), so ledgers differing only in amounts share a hash and must still be told apart."""
from __future__ import annotations

from datetime import date
from fractions import Fraction as F

from engine import adjust, clear_caches, d1_terms
from engine.ledger import Hashed, outline
from tests.ledger_text import ledger

D1 = d1_terms(common_outstanding=10_000_000, fully_diluted=12_000_000)  # $0.01, full ratchet
AS_OF = date(2002, 1, 1)


def _issue(consideration: str):
    return ledger(f"2001-07-01 | ISSUE | shares=1000000 | consideration={consideration}")


def test_ledgers_differing_only_in_amounts_share_an_outline_and_get_their_own_answers():
    cheap, dearer = _issue("5000"), _issue("8000")
    assert outline(cheap) == outline(dearer) and cheap != dearer
    clear_caches()
    # §4(d) full ratchet: the price becomes the issue's price a share, $5,000 / 1,000,000 = $0.005,
    # then (a ledger never seen, though its hash is the first's) $8,000 / 1,000,000 = $0.008.
    assert adjust(D1, cheap, AS_OF).price == F(5, 1000)
    assert adjust(D1, dearer, AS_OF).price == F(8, 1000)
    assert adjust(D1, cheap, AS_OF).price == F(5, 1000)     # seen before: still its own


def test_a_key_with_a_given_hash_equals_only_an_equal_key():
    a, b = Hashed((1, 2), 7), Hashed((1, 3), 7)
    assert a != b and a == Hashed((1, 2), 7) and hash(a) == hash(b) == 7
