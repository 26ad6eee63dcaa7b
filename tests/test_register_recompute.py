"""§4(e)(ii) in the register's compilation: an alternative history that takes an earlier history's ops
where the two fold the same events from capitals that fold them alike (engine.capital.rejoins).

The property compares the register with the reference fold (the specification) on ledgers dense in
grants, amendments, expiries and management issues, with Issue Dates before, between and after the
grants (a grant made before a warrant's Issue Date changes only its recorded terms in the capital).
Half its ledgers are planted with a grant amended in price only, after a later issue
(:func:`rejoining_rows`), so that the shortcut is taken in every run, randomized or not: the
counter asserts it is (on the random ledgers alone it was taken in 1-5% of them, and a randomized
run once took it on none). A ledger written by hand must rejoin, with its prices derived by hand.
The last test is a ledger where two histories fold the same events from different counts.
(Checked on purpose: ``rejoins`` always true, or without its comparison of the fully diluted
count, fails it.)"""
from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction as F

from hypothesis import given, settings
from hypothesis import strategies as st

from engine import WarrantError, capital, clear_caches
from engine.ledger import reference_adjust
from engine.register import register
from tests.strategies import START, amounts, counts, event_rows, events, per_share, terms

AS_OF = date(2006, 1, 1)


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


_KINDS = ["ISSUE", "ISSUE", "OPTIONS", "CONVERTIBLE", "AMEND", "EXPIRE", "EXPIRE", "SPLIT"]


@st.composite
def rejoining_rows(draw):
    """Random rows (grants O1-O3), then a row, a grant C1 the same day, an ISSUE on or after it and an
    AMEND of C1's consideration alone (its share count, category and issues unchanged). Appended last,
    so that random rows of the same day come before them: C1 is never the ledger's first event. The
    AMEND's alternative history is the ledger's but for C1's terms, so after C1 it folds the same events
    from the same counts, and rejoins the history it resumes from (unless a row refuses first, or a row
    between them moves what the two capitals hold)."""
    rows = draw(event_rows(kinds=_KINDS, refs=("O1", "O2", "O3")))
    day = START + timedelta(days=draw(st.integers(0, 1500)))
    then = day + timedelta(days=draw(st.integers(0, 300)))
    first = {"date": day, "event": "ISSUE", "shares": draw(counts), "consideration": draw(amounts)} \
        if draw(st.booleans()) else {"date": day, "event": "SPLIT", "ratio": "2-for-1"}
    shares = draw(counts)
    grant = {"date": day, "event": draw(st.sampled_from(["OPTIONS", "CONVERTIBLE"])), "ref": "C1", "shares": shares,
             "consideration": draw(amounts) // 100, "additional_consideration": shares * draw(per_share)}
    issue = {"date": then, "event": "ISSUE", "shares": draw(counts), "consideration": draw(amounts)}
    amend = {"date": then + timedelta(days=draw(st.integers(0, 300))), "event": "AMEND", "ref": "C1",
             "additional_consideration": shares * draw(per_share)}
    return rows + [first, grant, issue, amend]


@settings(max_examples=600, deadline=None)
@given(st.lists(terms, min_size=1, max_size=3),
       event_rows(kinds=_KINDS, refs=("O1", "O2", "O3", "C1")) | rejoining_rows())
def test_a_history_rejoining_an_earlier_one_equals_the_reference_fold(ts, rows):
    clear_caches()
    expected, got = _outcomes(ts, events(rows))
    errors = [r for r in expected if r[0] == "error"]
    assert got == (errors[0] if errors else expected)


def _counting(monkeypatch) -> list[bool]:
    """The answers of engine.capital.rejoins from now on, in order."""
    seen: list[bool] = []
    real = capital.rejoins

    def counted(c, d):
        seen.append(real(c, d))
        return seen[-1]
    monkeypatch.setattr(capital, "rejoins", counted)
    return seen


def test_the_rejoin_is_taken(monkeypatch):
    """The property above runs the shortcut (else it would prove nothing about it). About a fifth of its
    examples take it (122 to 132 of 600 with five seeds), so that a run of 600 taking it on none (about
    0.8^600 if they were independent) is not a chance to reckon with."""
    seen = _counting(monkeypatch)
    test_a_history_rejoining_an_earlier_one_equals_the_reference_fold()
    assert any(seen)


def test_a_grant_amended_in_price_only_rejoins_the_ledger_after_it(monkeypatch):
    """The shortcut on a ledger written by hand, its prices derived by hand (broad weighted average,
    CP2 = CP1 × (A + B)/(A + C), A the fully diluted count before, B = consideration/CP1, C the shares;
    docs/interpretations.md), the register equal to the reference fold under every method.

    $0.10, 10,000,000 outstanding, 12,000,000 fully diluted. The 2-for-1 split (§4(b)): $0.05, 24,000,000
    fully diluted, 322,580 Warrant Shares (SHARES_FIXED follows §4(b)). O1, 4,000,000 options for $120,000
    ($0.03 a share, §4(e), §4(f)(ii)): $0.05 × (24,000,000 + 2,400,000)/28,000,000 = 33/700. The issue of
    2,000,000 for $40,000: B = 40,000 × 700/33 = 28,000,000/33, 33/700 × (28,000,000 × 34/33)/30,000,000
    = 17/375 ($0.04533…, 3.8% down: made, §4(g)(iii)). The AMEND to $40,000 ($0.01 a share) recomputes
    (§4(e)(ii)): $0.05 × 24,800,000/28,000,000 = 31/700, then the issue: 31/700 × (28,000,000 × 32/31)/
    30,000,000 = 16/375, 1/17 below 17/375: made. After O1's amended grant the history's counts are the
    ledger's (the amendment moves no share count), so it takes the ledger's op for the issue: the op holds
    the issue's constants (A, its consideration, C), which are the same, and runs them from 31/700.
    """
    from engine import d1_terms
    from tests.ledger_text import ledger
    book = ledger("""
        2001-06-01 | SPLIT   | ratio=2-for-1
        2001-07-01 | OPTIONS | ref=O1 | shares=4000000 | consideration=0 | additional_consideration=120000
        2001-08-01 | ISSUE   | shares=2000000 | consideration=40000
        2001-09-01 | AMEND   | ref=O1 | additional_consideration=40000""")
    broad = d1_terms(anti_dilution="BROAD_WEIGHTED_AVERAGE", exercise_price=F(1, 10), common_outstanding=10_000_000,
                     fully_diluted=12_000_000)
    others = [d1_terms(anti_dilution=m, exercise_price=F(1, 10), common_outstanding=10_000_000,
                       fully_diluted=12_000_000) for m in ("FULL_RATCHET", "NARROW_WEIGHTED_AVERAGE")]
    clear_caches()
    seen = _counting(monkeypatch)
    assert register([broad], book, AS_OF) == [(F(16, 375), 322_580)]
    assert seen == [True]                  # rejoined after the amended grant, at its first chance
    trail = reference_adjust(broad, book, AS_OF).trail
    assert [(r.status, r.price_after) for r in trail] == [("APPLIED", F(1, 20)), ("APPLIED", F(33, 700)),
                                                          ("APPLIED", F(17, 375)), ("APPLIED", F(16, 375))]
    expected, got = _outcomes([broad, *others], book)
    assert got == expected and all(r[0] != "error" for r in expected)


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
