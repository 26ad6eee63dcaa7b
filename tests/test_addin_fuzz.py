"""Every catalog function, fed random cells, returns a value or a '#WARRANT: ' line and never raises.

Grids mix numbers, text, blanks, dates, booleans, Excel error strings, huge
(1e308) and tiny (1e-308) numbers, nan and inf; some grids carry real headers
or labels (and D-1's values) so the calls get past the first check and reach
the engine.
"""
from __future__ import annotations

from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.excel.catalog import CATALOG, call
from addin.excel import convert as cv
from tests.test_addin_catalog import D1_TERMS, EVENTS_HEADER, OPTIONEES_HEADER, TESTS_HEADER

EXCEL_ERRORS = ["#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!",
                "#WARRANT: Events row 7: Ratio '0-for-1' must be positive"]
WORDS = ["ALL", "TRUE", "FALSE", "yes", "no", "2001-12-31", "2005-02-07T17:00", "17:00", "5:00 pm", "3-for-1",
         "1-for-4", "0-for-1", "N-for-M", "SPLIT", "COMBINATION", "STOCK_DIVIDEND", "RIGHTS_DIVIDEND", "ISSUE",
         "OPTIONS", "CONVERTIBLE", "AMEND", "EXPIRE", "TREASURY", "MERGER", "EXERCISE", "OTHER", "MANAGEMENT",
         "SERIES_D", "EXCLUDED", "AT_LEAST", "AT_MOST", "CASH", "SURRENDER", "MIXED", "NET", "OTC", "EXCHANGE",
         "NONE", "FULL_RATCHET", "BROAD_WEIGHTED_AVERAGE", "KEEP_AGGREGATE", "America/New_York", "Mars/Olympus",
         "D-1", "g1", "1,234.50", "$0.01", "10%", "1/3", "1/0", "nan", "inf", "-0", "1e999999", " ", "",
         "TCW/CCI Holding LLC"]
SPECIAL_NUMBERS = [1e308, -1e308, 1e-308, -1e-308, 5e-324, 0.0, -0.0, 1.0, 0.5, 60.0, 61.0, 2958466.0,
                   float("nan"), float("inf"), float("-inf"), 0.1 + 0.2, 1e15, 161290.0, 120.0]

cells = st.one_of(
    st.none(),
    st.just(""),
    st.booleans(),
    st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e6, max_value=1e6),
    st.sampled_from(SPECIAL_NUMBERS),
    st.sampled_from(EXCEL_ERRORS),
    st.sampled_from(WORDS),
    st.text(max_size=12),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2006, 1, 1)),
    st.dates(),
    st.times(),
)

random_grids = st.lists(st.lists(cells, min_size=1, max_size=5), min_size=1, max_size=5)


def headed(headers):
    """A table whose header is drawn from the real headers (sometimes with an extra unknown one)."""
    return st.builds(
        lambda head, body: [head] + [r[:len(head)] + [None] * (len(head) - len(r)) for r in body],
        st.lists(st.sampled_from(list(headers)), min_size=1, max_size=len(headers), unique=True),
        st.lists(st.lists(cells, min_size=1, max_size=len(headers)), min_size=0, max_size=4),
    )


def labelled(labels):
    """A two-column key/value range with real labels."""
    return st.lists(st.tuples(st.sampled_from(list(labels)), cells).map(list), min_size=1, max_size=6,
                    unique_by=lambda p: p[0])


def d1_terms_with_noise():
    """D-1's terms with one value replaced by a random cell."""
    return st.builds(lambda i, v: [r if j != i else [r[0], v] for j, r in enumerate(D1_TERMS)],
                     st.integers(0, len(D1_TERMS) - 1), cells)


# Plausible values with noise, so many calls get past conversion and exercise the engine.


def noisy(strategy):
    """Mostly ``strategy``, now and then any cell at all."""
    return st.one_of(strategy, strategy, strategy, strategy, strategy, cells)


days = noisy(st.one_of(st.datetimes(min_value=datetime(2000, 6, 1), max_value=datetime(2006, 1, 1)),
                       st.dates(min_value=date(2000, 6, 1), max_value=date(2006, 1, 1))))
clean = st.one_of(st.integers(0, 10**7).map(float), st.integers(1, 400).map(lambda n: n / 100),
                  st.floats(0, 1e8))
amounts = noisy(st.one_of(st.none(), clean, clean, clean, st.sampled_from(SPECIAL_NUMBERS)))
counts = noisy(st.one_of(st.integers(0, 200_000).map(float), st.integers(0, 200_000), amounts))
kinds = noisy(st.sampled_from(["SPLIT", "COMBINATION", "STOCK_DIVIDEND", "RIGHTS_DIVIDEND", "ISSUE", "OPTIONS",
                                   "CONVERTIBLE", "AMEND", "EXPIRE", "TREASURY", "MERGER", "EXERCISE", "OTHER"]))
ratios = noisy(st.sampled_from(["2-for-1", "3-for-2", "1-for-4", "1-for-11", "3-for-1", "1-for-3", "0-for-1",
                                    "5:4", "2/3"]))
categories = noisy(st.sampled_from([None, "MANAGEMENT", "SERIES_D", "EXCLUDED"]))
refs = noisy(st.sampled_from([None, "g1", "g2"]))
event_row = st.tuples(days, kinds, counts, ratios, amounts, amounts, amounts, categories, refs, amounts,
                      st.one_of(st.none(), st.just("Successor Corp common"), cells)).map(list)
real_events = st.lists(event_row, max_size=6).map(lambda rows: [EVENTS_HEADER] + rows)


def noisy_pairs(pairs):
    """Key/value pairs (label, strategy) -> a two-column range, some labels dropped."""
    return st.tuples(*[st.tuples(st.just(k), v, st.integers(0, 9)) for k, v in pairs]).map(
        lambda items: [[k, v] for k, v, keep in items if keep or k == "Exercise Date"])


TERMS = st.one_of(random_grids, labelled(cv.TERMS_LABELS), d1_terms_with_noise(), st.just(D1_TERMS),
                  st.just(D1_TERMS), d1_terms_with_noise())
d1_tests = st.tuples(*[st.tuples(st.just(n), st.sampled_from(["AT_LEAST", "AT_MOST", None, "AT MOST"]),
                                 amounts, amounts, st.one_of(st.booleans(), st.none(), cells)).map(list)
                       for n in ["Building Test", "Total Revenue Test", "New Revenue Test", "EBITDA Loss Test"]]
                     ).map(lambda rows: [TESTS_HEADER] + list(rows))
exercise_kv = noisy_pairs([("Exercise Date", days), ("Shares", st.one_of(st.just("ALL"), counts)),
                           ("Payment Date", st.one_of(st.none(), days)),
                           ("Method", noisy(st.sampled_from(["CASH", "SURRENDER", "MIXED", "NET"]))),
                           ("Cash Paid", amounts), ("Surrendered Shares Acquired", st.one_of(st.none(), days)),
                           ("Fair Value", amounts)])
market_kv = noisy_pairs([("Venue", noisy(st.sampled_from(["OTC", "EXCHANGE", "NONE"]))),
                         ("Quote Date", days), ("Low Bid", amounts), ("High Asked", amounts),
                         ("Closing Price", amounts), ("Board Fair Value", amounts)])
facts_kv = noisy_pairs([("Other Warrant Exercised Or Waived", st.one_of(st.none(), days)),
                        ("Realized Valuation Event", st.one_of(st.none(), days))])
register_rows = st.lists(st.tuples(st.one_of(st.sampled_from(["D-1", "D-2", None]), cells), amounts, amounts,
                                   st.one_of(st.sampled_from(["FULL_RATCHET", "BROAD_WEIGHTED_AVERAGE",
                                                              "NARROW_WEIGHTED_AVERAGE", "NONE"]), cells),
                                   st.one_of(st.sampled_from(["NONE", "KEEP_AGGREGATE"]), cells),
                                   amounts, amounts).map(list), max_size=5).map(
    lambda rows: [["Warrant", "Warrant Shares", "Exercise Price", "Anti-Dilution", "Share Adjustment",
                   "Common Outstanding", "Fully Diluted"]] + rows)
optionee_rows = st.lists(st.tuples(st.sampled_from(["A", "B", "C", "TCW/CCI Holding LLC", "Avery", None]),
                                   counts, noisy(st.booleans()),
                                   st.one_of(st.none(), st.none(), counts),
                                   st.sampled_from([None, None, "TCW/CCI Holding LLC", "A", "Nobody"])).map(list),
                         max_size=6).map(lambda rows: [OPTIONEES_HEADER] + rows)

ARG = {
    "terms": TERMS,
    "tests": st.one_of(random_grids, headed(TESTS_HEADER + ["Clause"]), d1_tests),
    "as_of": st.one_of(days, random_grids),
    "facts": st.one_of(st.none(), random_grids, labelled(cv.FACTS_LABELS), facts_kv),
    "events": st.one_of(st.none(), random_grids, headed(EVENTS_HEADER), real_events, real_events),
    "exercise": st.one_of(random_grids, labelled(cv.EXERCISE_LABELS), exercise_kv, exercise_kv),
    "market": st.one_of(st.none(), random_grids, labelled(cv.MARKET_LABELS), market_kv),
    "detail": st.one_of(st.none(), cells),
    "register": st.one_of(random_grids, headed(list(cv.TERMS_LABELS)), register_rows),
    "optionees": st.one_of(random_grids, headed(OPTIONEES_HEADER), optionee_rows, optionee_rows),
    "price": st.one_of(cells, random_grids, st.sampled_from([7.5, 0.01, 1e-308, 1e308])),
}


def is_cell(v):
    if v is None or isinstance(v, (bool, int, str, datetime)):
        return True
    return isinstance(v, float)


def check(result):
    """A cell value, a rectangular grid of them, or one '#WARRANT: ' line; never a traceback or a repr."""
    if isinstance(result, list):
        assert result and all(isinstance(r, list) and r for r in result)
        assert len({len(r) for r in result}) == 1, "a spill is rectangular"
        for r in result:
            for v in r:
                check_cell(v)
        return
    check_cell(result)


def check_cell(v):
    assert is_cell(v), repr(v)
    if isinstance(v, float):
        assert v == v and abs(v) != float("inf"), v  # Excel has no NaN or infinity
    if isinstance(v, int) and not isinstance(v, bool):
        assert abs(v) <= 1.7976931348623157e308  # Excel keeps numbers as doubles
    if isinstance(v, str):
        assert "\n" not in v and "Traceback" not in v
        if v.startswith("#"):
            assert v.startswith("#WARRANT: ")


def _strategy(entry):
    return st.tuples(*[ARG[a.name] for a in entry.args])


FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(data=st.data(), date1904=st.booleans())
def test_every_function_returns_a_value_or_a_warrant_line(data, date1904):
    for name, entry in CATALOG.items():
        args = data.draw(_strategy(entry), label=name)
        result = call(name, *args, date1904=date1904)
        check(result)


@FUZZ
@given(value=cells)
def test_scalar_conversions_never_raise_anything_but_warrant_error(value):
    from engine.errors import WarrantError

    for conv in (cv.to_number, cv.to_int, cv.to_shares, cv.to_date, cv.to_moment, cv.to_time, cv.to_bool,
                 cv.to_text, cv.to_choice):
        try:
            conv(value, "Field", "Table", 2)
        except WarrantError as exc:
            assert str(exc).startswith("Table row 2: Field")


rect_grids = st.integers(1, 4).flatmap(
    lambda w: st.lists(st.lists(cells, min_size=w, max_size=w), min_size=1, max_size=4))


@FUZZ
@given(grid=rect_grids)
def test_numpy_arrays_and_tuples_convert_like_lists(grid):
    import numpy as np

    arr = np.empty((len(grid), len(grid[0])), dtype=object)
    for i, r in enumerate(grid):
        for j, v in enumerate(r):
            arr[i, j] = v
    assert repr(cv.grid(arr)) == repr(cv.grid(grid))
    assert repr(cv.grid(tuple(tuple(r) for r in grid))) == repr(cv.grid(grid))
    assert cv.grid(grid[0]) == cv.grid([grid[0]])  # a 1-D sequence is one row


# --------------------------------------------------------------------------- plausible inputs, deep into the engine

clean_days = st.dates(min_value=date(2001, 1, 1), max_value=date(2005, 12, 31)).map(
    lambda d: datetime(d.year, d.month, d.day))
clean_counts = st.one_of(st.integers(1, 5_000_000).map(float), st.sampled_from([1e308, 1e-308, 0.5, 1.0]))
clean_money = st.one_of(st.integers(0, 10_000_000).map(float), st.integers(1, 500).map(lambda n: n / 100),
                        st.sampled_from([1e308, 1e-308]))
clean_event = st.tuples(
    clean_days,
    st.sampled_from(["SPLIT", "COMBINATION", "STOCK_DIVIDEND", "RIGHTS_DIVIDEND", "ISSUE", "OPTIONS", "CONVERTIBLE",
                     "AMEND", "EXPIRE", "TREASURY", "MERGER", "EXERCISE", "OTHER"]),
    clean_counts, st.sampled_from(["2-for-1", "3-for-2", "1-for-4", "1-for-11", "4-for-1", "1-for-3"]),
    clean_money, st.one_of(st.none(), clean_money), st.one_of(st.none(), clean_counts),
    st.sampled_from([None, None, "MANAGEMENT", "SERIES_D", "EXCLUDED"]), st.sampled_from(["g1", "g2"]),
    st.one_of(st.none(), clean_money), st.just("Successor Corp common"),
).map(list)
clean_events = st.lists(clean_event, max_size=8).map(lambda rows: [EVENTS_HEADER] + rows)
def _terms_with(method, share_adj, outstanding, extra):
    changes = {"Anti-Dilution": method, "Share Adjustment": share_adj, "Common Outstanding": outstanding,
               "Fully Diluted": outstanding + extra}
    return [[k, changes.get(k, v)] for k, v in D1_TERMS]


clean_terms = st.builds(
    _terms_with, st.sampled_from(["FULL_RATCHET", "BROAD_WEIGHTED_AVERAGE", "NARROW_WEIGHTED_AVERAGE", "NONE"]),
    st.sampled_from(["NONE", "KEEP_AGGREGATE"]), st.integers(1, 10**8).map(float), st.integers(0, 10**7).map(float))
clean_exercise = st.builds(
    lambda day, shares, method, cash, acquired, fv, pay: [
        ["Exercise Date", day], ["Shares", shares], ["Method", method], ["Cash Paid", cash],
        ["Surrendered Shares Acquired", acquired], ["Fair Value", fv], ["Payment Date", pay]],
    clean_days, st.one_of(st.just("ALL"), clean_counts), st.sampled_from(["CASH", "SURRENDER", "MIXED", "NET"]),
    clean_money, st.one_of(st.none(), clean_days), st.one_of(st.none(), clean_money), st.one_of(st.none(), clean_days))
clean_market = st.builds(
    lambda venue, day, lo, hi, close, board: [["Venue", venue], ["Quote Date", day], ["Low Bid", lo],
                                              ["High Asked", hi], ["Closing Price", close],
                                              ["Board Fair Value", board]],
    st.sampled_from(["OTC", "EXCHANGE", "NONE"]), clean_days, *[st.one_of(st.none(), clean_money)] * 4)
clean_optionees = st.lists(
    st.tuples(st.sampled_from(["A", "B", "C", "TCW/CCI Holding LLC", "Avery", "Scott"]),
              st.integers(0, 500_000).map(float), st.booleans(), st.one_of(st.none(), st.integers(0, 80_000).map(float)),
              st.sampled_from([None, None, None, "TCW/CCI Holding LLC", "A"])).map(list),
    min_size=1, max_size=6).map(lambda rows: [OPTIONEES_HEADER] + rows)


@FUZZ
@given(terms=clean_terms, events=clean_events, as_of=clean_days, exercise=clean_exercise,
       market=st.one_of(st.none(), clean_market), tests=st.one_of(st.none(), d1_tests),
       optionees=clean_optionees, price=st.one_of(clean_money, st.just(7.5)))
def test_plausible_inputs_reach_the_engine_and_never_raise(terms, events, as_of, exercise, market, tests,
                                                           optionees, price):
    check(call("WARRANT_PRICE", terms, events, as_of))
    check(call("WARRANT_SHARES", terms, events, as_of))
    check(call("WARRANT_ADJUSTMENTS", terms, events, as_of))
    check(call("WARRANT_EXERCISE", terms, events, exercise, market, tests, None, True))
    register = [["Warrant", "Warrant Shares", "Exercise Price"], ["D-1", 161290.0, 0.01], ["X", 1000.0, 0.5]]
    check(call("WARRANT_REGISTER", register, events, as_of))
    check(call("OPTION_REALLOCATE", optionees, price))


@FUZZ
@given(terms=clean_terms, events=clean_events, as_of=clean_days)
def test_same_answers_as_the_engine(terms, events, as_of):
    """The cells give exactly the engine's answer (converted once at the end), or its refusal."""
    from fractions import Fraction

    import engine
    from engine.errors import WarrantError

    try:
        t = cv.parse_terms(terms)
        adjusted = engine.adjust(t, engine.parse_events(cv.event_rows(events)), as_of.date())
    except WarrantError as exc:
        got, want = call("WARRANT_PRICE", terms, events, as_of), "#WARRANT: " + " ".join(str(exc).split())
        # issue 18: a rate typed as a stock dividend's Shares also states the share count it would mean
        assert got == want or (got.startswith(want + " (") and " Common outstanding on " in got)
        return
    price = call("WARRANT_PRICE", terms, events, as_of)
    assert price == float(adjusted.price)  # prices never exceed the issue price here
    assert Fraction(price) == Fraction(float(adjusted.price))
    shares = call("WARRANT_SHARES", terms, events, as_of)
    if adjusted.shares.denominator == 1 and adjusted.shares <= 1.7976931348623157e308:
        assert shares == int(adjusted.shares) and type(shares) is int
    elif adjusted.shares < Fraction(10**300):
        assert shares == float(adjusted.shares)
    elif shares != float("inf") and isinstance(shares, float):
        assert shares == float(adjusted.shares)
    else:
        assert shares == "#WARRANT: Warrant Shares is beyond Excel's number range"
    trail = call("WARRANT_ADJUSTMENTS", terms, events, as_of)
    assert len(trail) == len(adjusted.trail) + 1
    if adjusted.trail:
        assert trail[-1][5] == float(adjusted.trail[-1].price_after)


# --------------------------------------------------------------------------- cases the fuzzing found

def test_huge_cash_amounts_are_a_value_or_a_warrant_line():
    # Found by hypothesis: cash beyond 10**26 made engine.numbers.to_decimal raise decimal.InvalidOperation
    # (the default Decimal context keeps 28 digits). Excel numbers reach 1.8e308.
    exercise = [["Exercise Date", datetime(2004, 6, 15)]]
    check(call("WARRANT_EXERCISE", [["Warrant Shares", 1e27]], None, exercise))
    check(call("WARRANT_EXERCISE", [["Warrant Shares", 1e300]], None, exercise))
    optionees = [OPTIONEES_HEADER, ["B", 22478.0, True, None, None], ["Scott", 9992.0, False, None, None]]
    check(call("OPTION_REALLOCATE", optionees, 1e308))
    register = [["Warrant", "Warrant Shares", "Exercise Price"], ["D-1", 1e300, 1e10]]
    check(call("WARRANT_REGISTER", register, None, datetime(2004, 6, 15)))


def test_a_time_zone_that_is_a_directory_is_a_warrant_line():
    # Found by hypothesis: zoneinfo raises IsADirectoryError (an OSError) for "America" and OSError for an
    # over-long name; the add-in checks the name against the available zones first.
    for zone in ("America", "x" * 300):
        assert call("WARRANT_PRICE", [["Time Zone", zone]], None, datetime(2004, 6, 15)) == \
            f"#WARRANT: Terms: Time Zone ({zone!r}) is not a known IANA time zone"
