"""The register's fast path gives exactly what the reference fold gives (hypothesis), errors included."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction as F

from hypothesis import given, settings
from hypothesis import strategies as st

from engine import WarrantError, adjust
from engine.ledger import reference_adjust
from engine.register import register
from tests.strategies import ISSUE_DATES, START, event_rows, events, terms

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


# ----------------------------------------------------------------------------- groups, the edge, memory

import contextlib  # noqa: E402
import gc  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import traceback  # noqa: E402
from unittest import mock  # noqa: E402

import pytest  # noqa: E402

from engine import clear_caches  # noqa: E402

_REGISTER = sys.modules["engine.register"]
# A long run by hand: HYPOTHESIS_PROFILE=thorough python -m pytest tests/test_register.py -k per_branch
_EXAMPLES = 3000 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 150


@contextlib.contextmanager
def _counted(name):
    """Count the calls of engine.register's ``name`` (``_Group.run``, ``_Group.finish``: every price-by-price
    run, or ``compile_ledger``) while they run."""
    owner, attr = (_REGISTER._Group, name) if name in ("run", "finish") else (_REGISTER, name)
    with mock.patch.object(owner, attr, autospec=True, side_effect=getattr(owner, attr)) as calls:
        yield calls


def test_warrants_issued_between_the_same_events_share_one_program():
    """§4 adjusts for events "after the date hereof": D-1 warrants issued on 2001-03-01 and 2001-04-01 both
    see the 2001-06-01 issue of 1,000,000 shares for $5,000 ($0.005 a share, below $0.01: full ratchet,
    §4(d)) and the 2001-07-01 3-for-2 split (§4(b): price x 2/3, shares x 3/2): $0.005 x 2/3 = $1/300,
    161,290 x 3/2 = 241,935. One issued on 2001-06-15 sees the split only: $0.01 x 2/3 = $1/150."""
    from engine import d1_terms
    from tests.ledger_text import ledger
    book = ledger("2001-06-01 | ISSUE | shares=1000000 | consideration=5000\n2001-07-01 | SPLIT | ratio=3-for-2")
    ts = [d1_terms(issue_date=date(2001, 3, 1)), d1_terms(issue_date=date(2001, 4, 1)),
          d1_terms(issue_date=date(2001, 6, 15)), d1_terms(issue_date=date(2001, 3, 1), exercise_price=F(2, 100))]
    clear_caches()
    with _counted("compile_ledger") as compiled:
        got = register(ts, book, AS_OF)
    assert compiled.call_count == 2                 # the group before the issue, and the one between it and the split
    assert got == [(F(1, 300), F(241_935)), (F(1, 300), F(241_935)), (F(1, 150), F(241_935)),
                   (F(1, 300), F(241_935))]
    clear_caches()


def test_a_program_for_method_none_recomputes_nothing():
    """Anti-Dilution NONE: §4(d) moves no price, so neither the grant (§4(e), a deemed issue at $5,000 /
    1,000,000 = $0.005 a share, below D-1's $0.01) nor its amendment's recomputation (§4(e)(ii)) moves
    the price: $0.01 and the Warrant Shares stay. Its program keeps no ISSUE and no recomputation; the
    full ratchet's keeps both (the grant moves its price), and answers as the reference fold."""
    from engine import d1_terms, ops
    from tests.ledger_text import ledger
    book = ledger("2001-06-01 | OPTIONS | ref=G1 | shares=1000000 | consideration=0 | additional_consideration=5000\n"
                  "2001-09-01 | AMEND | ref=G1 | additional_consideration=20000")
    none, ratchet = d1_terms(anti_dilution="NONE"), d1_terms()
    clear_caches()

    def codes(t):
        return {op[0] for op in _REGISTER.program_for(t, book)}
    assert not codes(none) & {ops.ISSUE, ops.RECOMPUTE}
    assert {ops.ISSUE, ops.RECOMPUTE} <= codes(ratchet)
    assert register([none], book, AS_OF) == [(F(1, 100), none.warrant_shares)]
    assert register([ratchet], book, AS_OF) == [_reference(ratchet, book)]
    clear_caches()


def test_one_dispatch_every_driver_takes_every_kind():
    """engine.events.STEPS is the one dispatch by event kind: the reference fold, the trail and the register's
    compiler each give a step for every name in it, and an object of no event kind is refused, named."""
    from engine import events
    names = set(events.STEPS.values())
    for driver in ("engine.ledger", "engine.trail", "engine.register"):
        assert set(sys.modules[driver]._STEPS) == names, driver
    with pytest.raises(WarrantError, match="unsupported event 'a note'"):
        events.dispatch("a note", sys.modules["engine.trail"]._STEPS)


# §4(g)(iii) at its edge. D-1: $0.01, full ratchet (§4(d)), shares fixed. An issue at $0.0099 moves the
# price by $0.0001 = exactly 1% of $0.01: "less than one percent" it is not, so the price is adjusted;
# at $0.00991 the $0.00009 is carried.
MINIMUM_EDGE = [
    # (issue: shares, consideration, expected price)                       clause
    (1_000_000, 9_900, F(99, 10_000)),    # $0.0099: 1% exactly -> adjusted      §4(g)(iii), §4(d)
    (1_000_000, 9_910, F(1, 100)),        # $0.00991: 0.9% -> carried, $0.01 stays  §4(g)(iii)
]


@pytest.mark.parametrize("shares, consideration, price", MINIMUM_EDGE)
def test_minimum_adjustment_edge(shares, consideration, price):
    from engine import d1_terms
    from tests.ledger_text import ledger
    book = ledger(f"2001-06-01 | ISSUE | shares={shares} | consideration={consideration}")
    clear_caches()
    assert register([d1_terms()], book, AS_OF) == [(price, d1_terms().warrant_shares)]
    assert register([d1_terms()] * 40, book, AS_OF) == [(price, d1_terms().warrant_shares)] * 40
    clear_caches()


def _refused_register(rows):
    """A register of ``rows`` distinct prices over a ledger the engine refuses: a broad weighted average
    needs the fully diluted count, which neither the terms nor the row gives."""
    from engine import d1_terms
    from tests.ledger_text import ledger
    book = ledger("2001-06-01 | ISSUE | shares=1000000 | consideration=5")
    ts = [d1_terms(anti_dilution="BROAD_WEIGHTED_AVERAGE", exercise_price=F(k, 100), warrant_shares=1000)
          for k in range(1, rows + 1)]
    return ts, book


def _resident_bytes() -> int:
    """The process's resident set size (Linux /proc), else the bytes tracemalloc-free Python holds."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4096
    except OSError:   # pragma: no cover - not Linux
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def test_recalculating_a_refused_register_keeps_memory_flat():
    """30 recalculations of a refused 5,000-row register in one process: the refusal is raised anew each
    time (no cached exception whose traceback grows and holds the rows), so the resident size stays flat."""
    ts, book = _refused_register(5000)
    clear_caches()
    sizes = []
    for i in range(30):
        with pytest.raises(WarrantError, match="Fully Diluted"):
            register(ts, book, AS_OF)
        gc.collect()
        sizes.append(_resident_bytes())
    # after the first few runs (allocator warm-up), 25 more runs add less than 2 MB in all
    assert sizes[-1] - sizes[4] < 2_000_000, [s // 1000 for s in sizes]
    clear_caches()


def test_a_raised_refusal_has_a_short_traceback():
    """The 30th raise of the same refusal carries the frames of its own call only."""
    rows = 40                                         # more than PIECEWISE_AFTER: the per-branch path answers
    ts, book = _refused_register(rows)
    assert rows >= _REGISTER.PIECEWISE_AFTER
    clear_caches()
    depths = []
    for _ in range(30):
        try:
            register(ts, book, AS_OF)
        except WarrantError as e:
            depths.append(len(traceback.extract_tb(e.__traceback__)))
    assert len(depths) == 30 and max(depths) <= 3 and depths[0] == depths[-1]
    clear_caches()


def test_the_caches_are_bounded():
    from engine import d1_terms
    from engine.ledger import ADJUSTED_CACHE_SIZE, _ADJUSTED
    from tests.ledger_text import ledger
    clear_caches()
    for k in range(_REGISTER.PROGRAM_CACHE_SIZE + 5):
        book = ledger(f"2001-06-01 | ISSUE | shares=1000000 | consideration={k + 1}")
        register([d1_terms()], book, AS_OF)
        adjust(d1_terms(), book, AS_OF)
    assert len(_REGISTER._PROGRAMS) == _REGISTER.PROGRAM_CACHE_SIZE
    assert len(_ADJUSTED) == min(ADJUSTED_CACHE_SIZE, _REGISTER.PROGRAM_CACHE_SIZE + 5)
    clear_caches()


# ----------------------------------------------------------------------------- the program run per branch

# engine.piecewise runs a program once per branch of warrants taking the same decisions. Its
# warrants are many prices under one company's terms, on the same $0.00001 grid as the ledger's
# prices per share, so that prices land exactly on an issue's price, a Price Floor or the 1% edge.
_KINDS_LINEAR = ["SPLIT", "COMBINATION", "STOCK_DIVIDEND", "RIGHTS_DIVIDEND", "ISSUE", "ISSUE", "OPTIONS",
                 "CONVERTIBLE", "AMEND", "EXPIRE", "TREASURY", "MERGER", "OTHER"]   # no EXERCISE: shares linear


@st.composite
def _companies(draw, max_companies=2):
    """Warrants of one or two companies' terms at many starting prices, interleaved in the register's order."""
    templates = draw(st.lists(terms, min_size=1, max_size=max_companies))
    grid = st.integers(1, 6000).map(lambda c: F(c, 100_000))
    per_share = st.integers(1, 600).map(lambda c: F(c * 10, 100_000))   # coarser: several warrants share a price
    prices = draw(st.lists(grid | per_share, min_size=12, max_size=40))
    return [replace(templates[draw(st.integers(0, len(templates) - 1))], exercise_price=p,
                    warrant_shares=F(draw(st.integers(1, 500_000)))) for p in prices]


def _piecewise(ts, rows, whole):
    """The register with every company's prices run per branch; ``whole``: with no price left to the
    price-by-price run (no limit on branches, no regrouping given up), else with the limits as shipped."""
    from engine import piecewise
    limits = (mock.patch.object(piecewise, "_most_branches", lambda n: 10 ** 9),
              mock.patch.object(piecewise, "_scattered", lambda groups, n: False)) if whole else ()
    with mock.patch.object(_REGISTER, "PIECEWISE_AFTER", 1), contextlib.ExitStack() as stack:
        for limit in limits:
            stack.enter_context(limit)
        clear_caches()
        test_fast_path_equals_reference_fold.hypothesis.inner_test(ts, rows)
        clear_caches()


@pytest.mark.parametrize("whole", [True, False], ids=["every price per branch", "limits as shipped"])
def test_program_run_per_branch_equals_reference_fold(whole):
    """A register run per branch (from its first price) gives the fold's answers and refusals, warrant by warrant."""

    @settings(max_examples=_EXAMPLES, deadline=None)
    @given(_companies(), event_rows(kinds=_KINDS_LINEAR))
    def every_kind(ts, rows):
        _piecewise(ts, rows, whole)

    @settings(max_examples=_EXAMPLES, deadline=None)
    @given(_companies(max_companies=1),
           event_rows(kinds=["ISSUE", "OPTIONS", "CONVERTIBLE", "AMEND", "AMEND", "EXPIRE", "SPLIT",
                             "STOCK_DIVIDEND", "OTHER"], refs=("O1", "O2", "O3", "C1", "C2")))
    def dense_in_recomputations(ts, rows):
        _piecewise(ts, rows, whole)

    every_kind()
    dense_in_recomputations()


# D-1 (full ratchet, §4(d); shares fixed; §4(g)(iii) one percent) and one issue of 1,000,000
# shares for $9,900: $0.0099 a share. Each warrant's price, derived by hand; one register, run
# per branch, holds all of them, so its branches split exactly at $0.0099 and at the 1% edges.
RATCHET_EDGES = [
    # (starting price, expected price)                                                   clause
    (F(99, 10_000), F(99, 10_000)),            # $0.0099: not less than the price -> unchanged       §4(d)
    (F(995, 100_000), F(995, 100_000)),        # $0.00995: $0.00005 = 0.50% -> carried              §4(g)(iii)
    (F(9_999, 1_000_000), F(9_999, 1_000_000)),  # $0.009999: $0.000099 < 1% ($0.00009999) -> carried  §4(g)(iii)
    (F(1, 100), F(99, 10_000)),                # $0.01: $0.0001 = exactly 1%, not less -> adjusted     §4(g)(iii), §4(d)
    (F(100_001, 10_000_000), F(99, 10_000)),   # $0.0100001: above 1% -> adjusted                     §4(d)
    (F(2, 100), F(99, 10_000)),                # $0.02 -> $0.0099                                     §4(d)
    (F(1, 100_000), F(1, 100_000)),            # $0.00001, far below -> unchanged                     §4(d)
]


@pytest.mark.parametrize("share_rule", ["NONE", "KEEP_AGGREGATE"])
def test_program_run_per_branch_at_the_edges(share_rule):
    from engine import d1_terms
    from tests.ledger_text import ledger
    book = ledger("2001-06-01 | ISSUE | shares=1000000 | consideration=9900")
    # more prices than PIECEWISE_AFTER, so the register runs per branch unpatched
    fill = [F(k, 100) for k in range(3, 3 + _REGISTER.PIECEWISE_AFTER)]    # $0.03 and up: all -> $0.0099
    ts = [d1_terms(exercise_price=p, share_adjustment=share_rule, warrant_shares=1000)
          for p in [p for p, _ in RATCHET_EDGES] + fill]
    clear_caches()
    with _counted("run") as runs:
        got = register(ts, book, AS_OF)
    assert runs.call_count == 0                                 # every price answered by the branches
    for t, (price, shares), expected in zip(ts, got, [e for _, e in RATCHET_EDGES] + [F(99, 10_000)] * len(fill)):
        assert price == expected
        # KEEP_AGGREGATE: shares x old price / new price when the price moved (§4(d)); else unchanged
        moved = expected != t.exercise_price
        assert shares == (1000 * t.exercise_price / expected if share_rule == "KEEP_AGGREGATE" and moved else 1000)
    clear_caches()


# The same issue style with a Price Increment of $0.0001 (half up): an issue at $0.000155 a share.
ROUNDING_EDGES = [
    # (starting price, expected price)                                                   clause
    (F(16, 100_000), F(16, 100_000)),     # -> $0.000155 rounds up to $0.0002, above $0.00016: no upward  §4(g)(iv)
    (F(3, 10_000), F(2, 10_000)),         # -> $0.000155 rounds to $0.0002                            §4(d), increment
    (F(1, 10_000), F(1, 10_000)),         # $0.0001: not less than $0.000155 -> unchanged             §4(d)
    (F(156, 1_000_000), F(156, 1_000_000)),  # $0.000001 = 0.64% -> carried                           §4(g)(iii)
]


def test_program_run_per_branch_rounds_warrant_by_warrant():
    from engine import d1_terms
    from tests.ledger_text import ledger
    book = ledger("2001-06-01 | ISSUE | shares=1000000 | consideration=155")
    fill = [F(k, 100) for k in range(3, 3 + _REGISTER.PIECEWISE_AFTER)]    # all -> $0.0002
    ts = [d1_terms(exercise_price=p, price_increment=F(1, 10_000)) for p in [p for p, _ in ROUNDING_EDGES] + fill]
    clear_caches()
    with _counted("run") as runs:
        got = register(ts, book, AS_OF)
    assert runs.call_count == 0
    assert [p for p, _ in got] == [e for _, e in ROUNDING_EDGES] + [F(2, 10_000)] * len(fill)
    clear_caches()


@pytest.mark.parametrize("share_rule", ["NONE", "KEEP_AGGREGATE"])
def test_program_run_per_branch_at_a_zero_price(share_rule):
    """An issue for no consideration takes a full-ratchet price to $0 (§4(d)); a 2-for-1 split then leaves
    the price at $0 but doubles the shares (§4(b)): the price is unchanged, the shares are not. Under
    KEEP_AGGREGATE a $0 price cannot keep the aggregate: refused, as the reference fold refuses."""
    from engine import d1_terms
    from tests.ledger_text import ledger
    book = ledger("2001-06-01 | ISSUE | shares=1000000 | consideration=0\n2001-07-01 | SPLIT | ratio=2-for-1")
    ts = [d1_terms(exercise_price=F(k, 100), share_adjustment=share_rule, warrant_shares=1000)
          for k in range(1, 1 + _REGISTER.PIECEWISE_AFTER)]
    clear_caches()
    with _counted("run") as runs:
        if share_rule == "NONE":
            assert register(ts, book, AS_OF) == [(F(0), F(2000))] * len(ts)
        else:
            with pytest.raises(WarrantError) as refused:
                register(ts, book, AS_OF)
            assert str(refused.value) == _reference(ts[0], book)[1]
    assert runs.call_count == 0
    clear_caches()


def test_split_of_a_branch_at_a_point():
    """engine.piecewise._split on prices $1, $2, $3 against the form x - 2 (α = 1, β = -2 on x = n/d)."""
    from engine import piecewise
    xs = [(1, 1), (2, 1), (3, 1)]

    def parts(sign, rel):
        b = piecewise._Branch(list(xs), (None,) * 6, {})
        yes, no = piecewise._split(b, sign, rel)
        return (yes.xs if yes else []), (no.xs if no else [])

    assert parts((1, -2), ">") == ([(3, 1)], [(1, 1), (2, 1)])          # x > 2
    assert parts((-1, 2), ">") == ([(1, 1)], [(2, 1), (3, 1)])          # 2 - x > 0
    assert parts((1, -2), "==") == ([(2, 1)], [(1, 1), (3, 1)])
    assert parts((-1, 2), "==") == ([(2, 1)], [(1, 1), (3, 1)])
    assert parts((2, -3), "==") == ([], xs)                             # 2x = 3 at $1.50: no warrant there
    assert parts((0, 1), ">") == (xs, []) and parts((0, 0), ">") == ([], xs)


def test_program_run_per_branch_through_an_amendment_keeping_the_aggregate():
    """§4(e)(ii) with KEEP_AGGREGATE, full ratchet: options for 1,000,000 shares at $5,000 in all
    ($0.005 a share, §4(e)) take $0.01 to $0.005 and 1,000 shares to 2,000; amended to $2,000
    ($0.002 a share), the price is what it would have been had $0.002 been the price at grant:
    $0.002, and the shares those of that history, 1,000 x 0.01 / 0.002 = 5,000."""
    from engine import d1_terms
    from tests.ledger_text import ledger
    book = ledger("""2001-06-01 | OPTIONS | ref=O1 | shares=1000000 | consideration=0 | additional_consideration=5000
                     2001-07-01 | AMEND | ref=O1 | additional_consideration=2000""")
    ts = [d1_terms(exercise_price=F(k, 100), share_adjustment="KEEP_AGGREGATE", warrant_shares=1000)
          for k in range(1, 1 + _REGISTER.PIECEWISE_AFTER)]
    clear_caches()
    with _counted("run") as runs:
        got = register(ts, book, AS_OF)
    assert runs.call_count == 0
    assert got[0] == (F(2, 1000), F(5000))
    assert got == [(F(2, 1000), 1000 * t.exercise_price / F(2, 1000)) for t in ts]
    clear_caches()


def test_prices_in_ascending_order_exactly():
    """engine.piecewise._ascending: ordered by a 64-bit fixed-point key, then exactly where keys tie."""
    from engine import piecewise
    a, b = F(1, 3), F(1, 3) + F(1, 2 ** 80)          # less than 2^-64 apart: the same fixed-point key
    pairs = [(x.numerator, x.denominator) for x in (F(2), b, F(1, 100), a, F(0), F(199, 100))]
    assert piecewise._ascending(pairs) == [(x.numerator, x.denominator)
                                           for x in (F(0), F(1, 100), a, b, F(199, 100), F(2))]


def test_prices_that_share_few_decisions_are_left_to_the_price_by_price_run():
    """Where branches would not pay, prices go back to the price-by-price run, answered as the fold answers:
    (a) a weighted average rounded to the cent gives nearly every warrant its own price (regrouping given up);
    (b) issues at $1 to $10 put warrants between each pair of them on their own decisions (too many branches)."""
    from engine import d1_terms
    from tests.ledger_text import ledger
    cases = [
        (ledger("2001-06-01 | ISSUE | shares=1000000 | consideration=500000"),
         [d1_terms(exercise_price=F(k, 100), anti_dilution="BROAD_WEIGHTED_AVERAGE", price_increment=F(1, 100),
                   common_outstanding=10_000_000, fully_diluted=12_000_000)
          for k in range(100, 100 + _REGISTER.PIECEWISE_AFTER + 5)]),
        (ledger("\n".join(f"2001-{m:02d}-01 | ISSUE | shares=100000 | consideration={100000 * (m - 1)}"
                          for m in range(2, 12))),
         [d1_terms(exercise_price=F(k, 2), anti_dilution="NARROW_WEIGHTED_AVERAGE", common_outstanding=10_000_000)
          for k in range(1, 23)]),
    ]
    for book, ts in cases:
        clear_caches()
        with _counted("finish") as runs:
            got = register(ts, book, AS_OF)
        assert runs.call_count > 0                              # some prices run one by one
        assert got == [_reference(t, book) for t in ts]
        clear_caches()


# ----------------------------------------------------------------------------- issue 17's spread shape

@st.composite
def _spread(draw, kinds=None, refs=("O1", "O2", "C1", "R1", "R2")):
    """A ledger and a register of (class terms, engine.Holding) pairs whose Issue Dates spread across
    it, as in issue 17's spread book: each warrant issued on the day of one of the ledger's events
    (reading 1: events dated on the Issue Date adjust nothing, docs/interpretations.md), the day
    before or after one, or before the ledger; so some warrants hold grants made before their Issue
    Date (reading 2: shares later issued on them are Additional Shares) and several warrants of a
    class share each cut, at many prices (the per-branch run's groups). Half the registers hold two
    classes apart only in their share rule, whose prices the register runs together."""
    from engine import Holding
    from datetime import timedelta
    rows = draw(event_rows(kinds=kinds, refs=refs) if kinds else event_rows(refs=refs))
    days = sorted({r["date"] for r in rows}) or [START]
    classes = draw(st.lists(terms, min_size=1, max_size=2))
    if draw(st.booleans()):                  # two classes apart only in the share rule (run together)
        other = "KEEP_AGGREGATE" if classes[0].share_adjustment == "NONE" else "NONE"
        classes = [classes[0], replace(classes[0], share_adjustment=other)]
    issued = st.sampled_from(days).flatmap(
        lambda d: st.sampled_from([d, d, d - timedelta(days=1), d + timedelta(days=1)])) | st.just(ISSUE_DATES[0])
    cuts = draw(st.lists(issued, min_size=1, max_size=4))          # warrants share few Issue Dates: groups
    grid = st.integers(1, 6000).map(lambda c: F(c, 100_000))
    book = [(classes[draw(st.integers(0, len(classes) - 1))],
             Holding(f"W-{i}", draw(st.integers(1, 500_000)), draw(grid), draw(st.sampled_from(cuts))))
            for i in range(draw(st.integers(1, 30)))]
    return rows, book


def _spread_equals_fold(rows, book):
    ledger = events(rows)
    ts = [replace(t, warrant_shares=h.warrant_shares, exercise_price=h.exercise_price, issue_date=h.issue_date)
          for t, h in book]
    expected = [_reference(t, ledger) for t in ts]
    errors = [r for r in expected if r[0] == "error"]
    clear_caches()
    got = _fast(book, ledger)
    clear_caches()
    assert got == (errors[0] if errors else expected)


@pytest.mark.parametrize("piecewise_after", [1, None], ids=["every group per branch", "as shipped"])
def test_a_register_with_issue_dates_spread_over_the_ledger_equals_the_fold(piecewise_after):
    """Issue 17's spread book in small: warrants (class terms and their own Holding, Issue Dates on, around
    and before the ledger's event days, same-day events, grants made before an Issue Date and exercised
    after it) get the fold's answers and refusals, each group run per branch or as shipped."""

    @settings(max_examples=_EXAMPLES, deadline=None)
    @given(_spread(kinds=_KINDS_LINEAR))
    def every_kind(case):
        _spread_equals_fold(*case)

    @settings(max_examples=_EXAMPLES, deadline=None)
    @given(_spread(kinds=["ISSUE", "ISSUE", "OPTIONS", "CONVERTIBLE", "AMEND", "AMEND", "EXPIRE", "SPLIT",
                          "STOCK_DIVIDEND", "OTHER"], refs=("O1", "O2", "O3", "C1", "C2")))
    def dense_in_recomputations(case):
        _spread_equals_fold(*case)

    @settings(max_examples=_EXAMPLES // 2, deadline=None)
    @given(_spread())
    def with_exercises(case):                                   # EXERCISE: warrant by warrant
        _spread_equals_fold(*case)

    after = _REGISTER.PIECEWISE_AFTER if piecewise_after is None else piecewise_after
    with mock.patch.object(_REGISTER, "PIECEWISE_AFTER", after):
        every_kind()
        dense_in_recomputations()
        with_exercises()


def test_share_rules_run_together_apart_where_a_price_can_reach_zero():
    """Two D-1 classes (full ratchet) apart only in the share rule. An issue of 1,000,000 shares for $0 is
    $0 a share (§4(d)): below each SHARES_FIXED warrant's price, so its price becomes $0 and its shares
    stay; then a 3-for-2 split (§4(b)): $0 x 2/3 = $0, shares x 3/2. The KEEP_AGGREGATE warrant's price is
    $0 already: the issue is not less than it, nothing moves; the split: $0, shares x 3/2. (A
    KEEP_AGGREGATE warrant above $0 would be refused: no aggregate is kept at $0.) Run together under
    KEEP_AGGREGATE, the fixed warrants would take that refusal: the register runs them apart."""
    from engine import Holding, d1_terms
    from tests.ledger_text import ledger
    book = ledger("2001-06-01 | ISSUE | shares=1000000 | consideration=0\n2001-07-01 | SPLIT | ratio=3-for-2")
    fixed, keep = d1_terms(), d1_terms(share_adjustment="KEEP_AGGREGATE")
    rows = [(fixed, Holding(f"F-{k}", 1000, F(k, 100))) for k in range(1, 7)] + [(keep, Holding("K-0", 1000, F(0)))]
    clear_caches()
    assert register(rows, book, AS_OF) == [(F(0), 1500)] * 7
    clear_caches()


# ----------------------------------------------------------------------------- rows: their order, their class

def test_a_row_issued_after_the_as_of_date_is_refused_in_its_place():
    """A price exists only from the Issue Date on: a row issued after As Of is refused, naming its Issue
    Date, unless a row before it is refused first (the register raises the first row's refusal). The
    ledger refuses the broad weighted average, which needs the Fully Diluted count (_refused_register);
    the full ratchet row gets §4(d)'s $0.000005 a share ($5 / 1,000,000), shares fixed."""
    from engine import Holding, d1_terms
    ts, book = _refused_register(1)
    refused, fine = ts[0], d1_terms(warrant_shares=1000)
    late = (fine, Holding("W-late", 1000, F(1, 100), date(2007, 1, 1)))      # AS_OF is 2006-01-01
    as_of = r"^As Of \(2006-01-01\) is before the Issue Date \(2007-01-01\)$"
    clear_caches()
    assert register([fine, fine], book, AS_OF) == [(F(1, 200_000), 1000)] * 2
    with pytest.raises(WarrantError, match=as_of):
        register([fine, late, refused], book, AS_OF)
    with pytest.raises(WarrantError, match=as_of):
        register([late, fine], book, AS_OF)
    with pytest.raises(WarrantError, match="Fully Diluted"):
        register([fine, refused, late], book, AS_OF)
    clear_caches()


def test_warrants_differing_in_a_minimum_adjustment_answer_apart():
    """§4(g)(iii): an issue at $0.00991 moves D-1's $0.01 by 0.9%, carried under its 1% minimum; a warrant
    of no minimum goes to $0.00991 (full ratchet, §4(d)). Same prices, counts and Issue Date, so only the
    Minimum Adjustment keeps them in separate groups; a Holding row answers as its Terms row."""
    from engine import Holding, d1_terms
    from tests.ledger_text import ledger
    book = ledger("2001-06-01 | ISSUE | shares=1000000 | consideration=9910")
    one_pct, none = d1_terms(), d1_terms(minimum_adjustment=0)
    rows = [one_pct, none, (none, Holding("W-2", 161_290, F(1, 100))), (one_pct, Holding("W-3", 7, F(1, 100)))] * 3
    clear_caches()
    assert register(rows, book, AS_OF) == [(F(1, 100), 161_290), (F(991, 100_000), 161_290),
                                           (F(991, 100_000), 161_290), (F(1, 100), 7)] * 3
    clear_caches()
