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


# ----------------------------------------------------------------------------- the translated program

import os  # noqa: E402
import sys  # noqa: E402
from unittest import mock  # noqa: E402

import pytest  # noqa: E402

from engine import clear_caches  # noqa: E402

_REGISTER = sys.modules["engine.register"]
# A long run by hand: HYPOTHESIS_PROFILE=thorough python -m pytest tests/test_register.py -k translated
_EXAMPLES = 3000 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 150

try:
    import gmpy2
except ImportError:  # the warrants[fast] extra is not installed
    gmpy2 = None


def _dialect(name):
    """The number type a translated program runs on: int pairs (pure Python, the default) or gmpy2's mpq."""
    if name == "int pairs":
        return lambda: None
    if gmpy2 is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs the test extra, which includes gmpy2: both number types must be proven")
        pytest.skip("gmpy2 (the warrants[fast] extra) is not installed")
    return lambda: _REGISTER._Rationals(gmpy2.mpq)


@pytest.mark.parametrize("name", ["int pairs", "gmpy2.mpq"])
def test_translated_program_equals_reference_fold(name):
    """A register run by the translated program (from its first run) gives the fold's answers and refusals."""
    number_type = _dialect(name)

    @settings(max_examples=_EXAMPLES, deadline=None)
    @given(st.lists(terms, min_size=1, max_size=3), event_rows())
    def every_kind(ts, rows):
        check(ts, rows)

    @settings(max_examples=_EXAMPLES, deadline=None)
    @given(st.lists(terms, min_size=1, max_size=2),
           event_rows(kinds=["ISSUE", "OPTIONS", "CONVERTIBLE", "AMEND", "AMEND", "EXPIRE", "SPLIT", "EXERCISE",
                             "STOCK_DIVIDEND"], refs=("O1", "O2", "O3", "C1", "C2")))
    def dense_in_recomputations(ts, rows):
        check(ts, rows)

    def check(ts, rows):
        with mock.patch.object(_REGISTER, "TRANSLATE_AFTER", 0), mock.patch.object(_REGISTER, "_fast_rationals",
                                                                                   number_type):
            clear_caches()
            test_fast_path_equals_reference_fold.hypothesis.inner_test(ts, rows)
            clear_caches()

    every_kind()
    dense_in_recomputations()


def test_translation_waits_for_a_program_run_many_times():
    """One trail or a register of a few prices is interpreted; the translation pays only over many runs."""
    from engine import d1_terms
    from tests.ledger_text import ledger
    book = ledger("2001-06-01 | ISSUE | shares=1000000 | consideration=5000\n2001-07-01 | SPLIT | ratio=3-for-2")
    clear_caches()
    few = [d1_terms(exercise_price=F(k, 100)) for k in range(1, 4)]
    register(few, book, AS_OF)
    (runner,) = _REGISTER._RUNNERS.values()
    assert runner.translated is None
    many = [d1_terms(exercise_price=F(k, 1000)) for k in range(1, _REGISTER.TRANSLATE_AFTER + 10)]
    got = register(many, book, AS_OF)
    assert runner.translated is not None
    # §4(d): $5,000 / 1,000,000 = $0.005 replaces every price above it; §4(b) 3-for-2: price x 2/3, shares x 3/2
    for t, (price, shares) in zip(many, got):
        assert price == min(t.exercise_price, F(1, 200)) * F(2, 3)
        assert shares == t.warrant_shares * F(3, 2)
    clear_caches()


# §4(g)(iii) at its edge, for each number type a translated program runs on. D-1: $0.01, full ratchet
# (§4(d)), shares fixed. An issue at $0.0099 moves the price by $0.0001 = exactly 1% of $0.01:
# "less than one percent" it is not, so the price is adjusted; at $0.00991 the $0.00009 is carried.
MINIMUM_EDGE = [
    # (issue: shares, consideration, expected price)                       clause
    (1_000_000, 9_900, F(99, 10_000)),    # $0.0099: 1% exactly -> adjusted      §4(g)(iii), §4(d)
    (1_000_000, 9_910, F(1, 100)),        # $0.00991: 0.9% -> carried, $0.01 stays  §4(g)(iii)
]


@pytest.mark.parametrize("name", ["int pairs", "gmpy2.mpq"])
@pytest.mark.parametrize("shares, consideration, price", MINIMUM_EDGE)
def test_minimum_adjustment_edge_in_translated_programs(name, shares, consideration, price):
    from engine import d1_terms
    from tests.ledger_text import ledger
    number_type = _dialect(name)
    book = ledger(f"2001-06-01 | ISSUE | shares={shares} | consideration={consideration}")
    with mock.patch.object(_REGISTER, "TRANSLATE_AFTER", 0), mock.patch.object(_REGISTER, "_fast_rationals",
                                                                               number_type):
        clear_caches()
        assert register([d1_terms()], book, AS_OF) == [(price, d1_terms().warrant_shares)]
        clear_caches()


def test_a_program_too_long_to_translate_stays_interpreted():
    from engine import d1_terms
    from tests.ledger_text import ledger
    book = ledger("2001-06-01 | ISSUE | shares=1000000 | consideration=5000\n2001-07-01 | SPLIT | ratio=3-for-2")
    many = [d1_terms(exercise_price=F(k, 1000)) for k in range(1, 20)]
    with mock.patch.object(_REGISTER, "TRANSLATE_AFTER", 0), mock.patch.object(_REGISTER, "TRANSLATE_MAX_OPS", 1):
        clear_caches()
        got = register(many, book, AS_OF)
        (runner,) = _REGISTER._RUNNERS.values()
        assert runner.translated is None          # two ops > 1: interpreted
    # §4(d) $0.005 replaces every price above it; §4(b) 3-for-2: price x 2/3
    assert [p for p, _ in got] == [min(t.exercise_price, F(1, 200)) * F(2, 3) for t in many]
    clear_caches()
