"""§4(e)(ii) in the register's compilation: an alternative history that takes an earlier history's ops
where the two fold the same events from capitals that fold them alike (engine.capital.rejoins).

The property compares the register with the reference fold (the specification) on ledgers dense in
grants, amendments, expiries and management issues, with Issue Dates before, between and after the
grants (a grant made before a warrant's Issue Date changes only its recorded terms in the capital);
the counter asserts the shortcut is taken. The last test is a ledger where two histories fold the
same events from different counts. (Checked on purpose: ``rejoins`` always true, or without its
comparison of the fully diluted count, fails it.)"""
from __future__ import annotations

from datetime import date
from fractions import Fraction as F

from hypothesis import given, settings
from hypothesis import strategies as st

from engine import WarrantError, capital, clear_caches
from engine.ledger import reference_adjust
from engine.register import register
from tests.strategies import event_rows, events, terms

AS_OF = date(2006, 1, 1)
_TAKEN = [0]


def _outcomes(ts, ledger):
    expected = []
    for t in ts:
        try:
            a = reference_adjust(t, ledger, AS_OF)
            expected.append((a.price, a.shares))
        except WarrantError as e:
            expected.append(("error", str(e)))
    try:
        got = register(ts, ledger, AS_OF)
    except WarrantError as e:
        got = ("error", str(e))
    return expected, got


@settings(max_examples=600, deadline=None)
@given(st.lists(terms, min_size=1, max_size=3),
       event_rows(kinds=["ISSUE", "ISSUE", "OPTIONS", "CONVERTIBLE", "AMEND", "EXPIRE", "EXPIRE", "SPLIT"],
                  refs=("O1", "O2", "O3", "C1")))
def test_a_history_rejoining_an_earlier_one_equals_the_reference_fold(ts, rows):
    clear_caches()
    expected, got = _outcomes(ts, events(rows))
    errors = [r for r in expected if r[0] == "error"]
    assert got == (errors[0] if errors else expected)


def test_the_rejoin_is_taken(monkeypatch):
    """The property above runs the shortcut (else it would prove nothing about it)."""
    real = capital.rejoins

    def counted(c, d):
        made = real(c, d)
        _TAKEN[0] += made
        return made
    monkeypatch.setattr(capital, "rejoins", counted)
    test_a_history_rejoining_an_earlier_one_equals_the_reference_fold()
    assert _TAKEN[0] > 0


def test_a_history_whose_counts_differ_does_not_take_the_earlier_ones_ops():
    """O1 ($100 a share: it moves no price here) partly exercised, then expired: its history keeps O1
    as the 400 shares issued where the AMEND's history had all 1,000,000, so the two histories'
    events after it are the same but the fully diluted count is not, and O2's broad weighted average
    (§4(d), A the fully diluted count) is lower in the EXPIRE's: its recomputation lowers the price,
    and must compile O2 again. The register equals the reference fold at prices on both sides of
    O2's $0.02 a share."""
    from engine import d1_terms
    from tests.ledger_text import ledger
    book = ledger("""
        2001-06-01 | OPTIONS | ref=O1 | shares=1000000 | consideration=0 | additional_consideration=100000000
        2001-06-15 | ISSUE   | ref=O1 | shares=400 | consideration=40000
        2001-07-01 | OPTIONS | ref=O2 | shares=3000000 | consideration=0 | additional_consideration=30000
        2001-08-01 | AMEND   | ref=O2 | additional_consideration=60000
        2001-09-01 | EXPIRE  | ref=O1""")
    ts = [d1_terms(anti_dilution="BROAD_WEIGHTED_AVERAGE", exercise_price=F(p, 100), common_outstanding=10_000_000,
                   fully_diluted=12_000_000) for p in (1, 5, 300)]
    expected, got = _outcomes(ts, book)
    assert got == expected
    recomputed = reference_adjust(ts[2], book, AS_OF).trail[-1]
    assert recomputed.status == "APPLIED", recomputed
    assert all(r[0] != "error" for r in expected)
