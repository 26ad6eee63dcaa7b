"""The catalog functions: convert the cells, call one engine function, format the result.

Each function takes RAW cell values (see :mod:`addin.excel.convert`) and the keyword
``date1904`` (the workbook's date system, for serial-number dates), and either
returns cell values or raises :class:`engine.WarrantError`. The catalog
(:mod:`addin.excel.catalog`) turns that exception into a ``#WARRANT: `` text; any
other exception is a bug and propagates.

No contract rule lives here: every rule is the engine's.
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable

from engine.errors import WarrantError, percent_dividend_shares
from engine.events import parse_events
from engine.exercisability import Facts, exercisability, fmt_number, performance_defaults
from engine.ledger import adjust
from engine.numbers import cents_half_up, pct
from engine.reallocation import reallocate
from engine.register import register as engine_register
from engine.settlement import exercise_position, settle

from . import convert as cv
from .clauses import ClauseNames

DEFAULTS_HEADER = ["Test", "Actual", "Threshold", "Default", "Excused", "Clause"]
TRAIL_HEADER = ["Date", "Event", "Clause", "Status", "Price Before", "Price After", "Shares Before",
                "Shares After", "Explanation"]
EXERCISE_LABELS = ["Effective At", "Shares Exercised", "Full Shares Issued", "Fractional Share", "Aggregate Price",
                   "Cash Due", "Shares To Surrender", "Fraction Cash", "Fraction Price Source", "Certificates Due",
                   "Remaining Warrant Shares"]
EXERCISE_DETAIL_LABELS = ["Per Share Exercise Price", "Security", "Holder Of Record", "Method", "Surrender Value",
                          "Fraction Price", "Fraction Price Date", "Quote Warning", "New Warrant",
                          "Outside Terms", "Notes", "Trading Calendar"]
NOT_CHECKED = "not checked (no tests given)"
NO_DELIVERY_DAYS = "not stated (the terms give no Delivery Days)"
TERMS_HEADER = ["Label", "Value", "Source"]
REGISTER_HEADER = ["Warrant", "Price", "Shares", "Aggregate Price"]
REALLOCATE_HEADER = ["Optionee", "Allocation", "Exercised", "Reallocated", "Assigned", "Shares", "Purchase Price"]


def given(value: Any) -> bool:
    """False for an omitted optional argument (None, blank, or a range of blanks)."""
    if value is None:
        return False
    return any(not cv.is_blank(c) for r in cv.grid(value) for c in r)


# --------------------------------------------------------------------------- terms

def warrant_terms(terms: Any, *, date1904: bool = False) -> list[list[Any]]:
    """Every term the engine uses, with where its value came from (given / preset / default)."""
    return [list(TERMS_HEADER)] + [[label, value, source] for label, value, source
                                   in cv.terms_sources(terms, date1904=date1904)]


# --------------------------------------------------------------------------- §1-§2

def _exercisability(terms, tests, as_of, facts, date1904):
    t = cv.parse_terms(terms, date1904=date1904, required=cv.EXERCISE_REQUIRED)
    results = cv.parse_tests(tests, t, date1904=date1904) if given(tests) else ()
    moment = cv.parse_as_of(as_of, "As Of", date1904=date1904)
    f = cv.parse_facts(facts, date1904=date1904) if given(facts) else Facts()
    return exercisability(t, results, moment, f)


def warrant_exercisable(terms: Any, tests: Any, as_of: Any, facts: Any = None, *, date1904: bool = False) -> bool:
    return bool(_exercisability(terms, tests, as_of, facts, date1904).exercisable)


def warrant_status(terms: Any, tests: Any, as_of: Any, facts: Any = None, *, date1904: bool = False) -> str:
    return cv.one_line(_exercisability(terms, tests, as_of, facts, date1904).sentence)


def warrant_defaults(terms: Any, tests: Any, *, date1904: bool = False) -> list[list[Any]]:
    t = cv.parse_terms(terms, date1904=date1904)
    results = cv.parse_tests(tests, t, date1904=date1904) if given(tests) else ()
    rows = performance_defaults(t, results)
    out: list[list[Any]] = [list(DEFAULTS_HEADER)]
    for r in rows:
        out.append([r.test, cv.out_shares(r.actual, "Actual"), cv.out_shares(r.threshold, "Threshold"),
                    bool(r.default), bool(r.excused), r.clause])
    return out


# --------------------------------------------------------------------------- §4

def parse_events_for(terms, events: Any, date1904: bool) -> tuple:
    """The events table parsed for these terms: a percentage typed as a STOCK_DIVIDEND's Shares is
    refused with the share count it would mean when the Common outstanding on its date is known
    (the row's Outstanding, else the ledger's count from the terms and the events before it)."""
    if not given(events):
        return ()
    rows = cv.event_rows(events, date1904=date1904)
    try:
        return tuple(parse_events(rows, table="Events"))
    except WarrantError as exc:
        better = _percent_dividend(terms, rows, str(exc))
        if better is None:
            raise
        raise WarrantError(better) from None


def _percent_dividend(terms, rows: list[dict], message: str) -> str | None:
    for i, row in enumerate(rows):
        kind = str(row.get("event") or "").strip().upper().replace(" ", "_")
        shares = row.get("shares")
        typed_rate = isinstance(shares, str) and shares.strip().endswith("%")
        # 0.1 for 10% (a rate as typed: at most four decimals of a percent)
        fraction_rate = (isinstance(shares, (int, Fraction, Decimal)) and 0 < shares < 1
                         and (Fraction(shares) * 10**6).denominator == 1)
        if kind != "STOCK_DIVIDEND" or not (typed_rate or fraction_rate):
            continue
        if not message.startswith(f"Events row {row['row']}: Shares"):
            return None
        try:
            rate = Fraction(Decimal(shares.strip()[:-1].strip())) / 100 if typed_rate else Fraction(shares)
            earlier = parse_events(rows[:i], table="Events")
            day = parse_events([{**row, "shares": 1}], table="Events")[0].date
            stated = row.get("outstanding")
            outstanding = Fraction(stated) if isinstance(stated, (int, Fraction, Decimal)) else \
                adjust(terms, [e for e in earlier if e.date <= day], day).outstanding
        except (ValueError, ArithmeticError):   # the rest does not parse: the plain message stands
            return None
        if outstanding is None:
            return None
        count = rate * outstanding
        shown = fmt_number(count) if count.denominator == 1 else f"{fmt_number(count)} (not whole)"
        return percent_dividend_shares(message, pct(rate), int(outstanding), day, shown)
    return None


def _adjusted(terms, events, as_of, date1904):
    return _terms_adjusted(terms, events, as_of, date1904)[1]


def _terms_adjusted(terms, events, as_of, date1904):
    t = cv.parse_terms(terms, date1904=date1904)
    ev = parse_events_for(t, events, date1904)
    day = cv.parse_as_of(as_of, "As Of", date1904=date1904, moment=False)
    return t, adjust(t, ev, day)


def warrant_price(terms: Any, events: Any, as_of: Any, *, date1904: bool = False) -> float | str:
    return cv.out_number(_adjusted(terms, events, as_of, date1904).price, "Per Share Exercise Price")


def warrant_shares(terms: Any, events: Any, as_of: Any, *, date1904: bool = False) -> int | float | str:
    return cv.out_shares(_adjusted(terms, events, as_of, date1904).shares, "Warrant Shares")


def trail_rows(adjusted, names: ClauseNames | None = None) -> list[list[Any]]:
    """The trail as a grid with its header row. ``names``: how the warrant names clauses (issue 18:
    D-1's sections for D-1, what each clause does for another warrant)."""
    out: list[list[Any]] = [list(TRAIL_HEADER)]
    for r in adjusted.trail:
        text = r.explanation if not getattr(r, "flag", None) else f"{r.explanation} [{r.flag}]"
        clause = r.clause
        if names is not None:
            clause, text = names.row_clause(r.event, r.clause), names.text(text)
        out.append([cv.out_date(r.date), r.event, clause, r.status,
                    cv.out_number(r.price_before, "Price Before"), cv.out_number(r.price_after, "Price After"),
                    cv.out_shares(r.shares_before, "Shares Before"), cv.out_shares(r.shares_after, "Shares After"),
                    cv.one_line(text)])
    return out


def warrant_adjustments(terms: Any, events: Any, as_of: Any, *, date1904: bool = False) -> list[list[Any]]:
    t, adjusted = _terms_adjusted(terms, events, as_of, date1904)
    return trail_rows(adjusted, ClauseNames(t))


# --------------------------------------------------------------------------- §1(b)-(c), §3, §5

def exercise_settlement(terms: Any, events: Any, exercise: Any, market: Any = None, tests: Any = None,
                        facts: Any = None, *, date1904: bool = False):
    """Converted inputs -> (terms, position, request, settlement, checked).

    Refuses a warrant that is not exercisable when tests are given; the engine
    always judges the §1(a) window. ``checked`` is False where the terms require a
    Performance Default and no tests were given (the caller must say so).
    """
    t = cv.parse_terms(terms, date1904=date1904, required=cv.EXERCISE_REQUIRED)
    ev = parse_events_for(t, events, date1904)
    request = cv.parse_exercise(exercise, date1904=date1904)
    mk = cv.parse_market(market, date1904=date1904) if given(market) else None
    if given(tests):
        results = cv.parse_tests(tests, t, date1904=date1904)
        f = cv.parse_facts(facts, date1904=date1904) if given(facts) else Facts()
        verdict = exercisability(t, results, request.exercise_date, f)
        if not verdict.exercisable:
            raise WarrantError(f"Not exercisable: {cv.one_line(verdict.sentence)}")
    checked = given(tests) or not t.requires_performance_default
    position = exercise_position(t, ev, request)
    s = settle(t, position, request, mk)
    return t, position, request, s, checked


def warrant_exercise(terms: Any, events: Any, exercise: Any, market: Any = None, tests: Any = None,
                     facts: Any = None, detail: Any = None, *, date1904: bool = False) -> list[list[Any]]:
    _t, position, _request, s, checked = exercise_settlement(terms, events, exercise, market, tests, facts,
                                                             date1904=date1904)
    rows = [
        ["Effective At", cv.out_datetime(s.effective_at)],
        ["Shares Exercised", cv.out_shares(s.shares_exercised, "Shares Exercised")],
        ["Full Shares Issued", cv.out_shares(s.full_shares, "Full Shares Issued")],
        ["Fractional Share", cv.out_shares(s.fractional_share, "Fractional Share")],
        ["Aggregate Price", cv.out_number(s.aggregate_price, "Aggregate Price")],
        ["Cash Due", cv.out_number(s.cash_due, "Cash Due")],
        ["Shares To Surrender", cv.out_shares(s.shares_to_surrender, "Shares To Surrender")],
        ["Fraction Cash", cv.out_number(s.fraction_cash, "Fraction Cash")],
        ["Fraction Price Source", cv.one_line(s.fraction_price_source or "")],
        ["Certificates Due", cv.out_date(s.certificates_due) if s.certificates_due else NO_DELIVERY_DAYS],
        ["Remaining Warrant Shares", cv.out_shares(s.remaining_shares, "Remaining Warrant Shares")],
    ]
    if given(detail) and cv.to_bool(cv._single(detail, "Detail"), "Detail"):
        rows += [
            ["Per Share Exercise Price", cv.out_number(position.price, "Per Share Exercise Price")],
            ["Security", position.security],
            ["Holder Of Record", s.holder_of_record or ""],
            ["Method", s.method],
            ["Surrender Value", cv.out_number(s.surrender_value, "Surrender Value")],
            ["Fraction Price", cv.out_number(s.fraction_price, "Fraction Price")],
            ["Fraction Price Date", cv.out_date(s.fraction_price_date)],
            ["Quote Warning", cv.one_line(s.quote_warning or "")],
            ["New Warrant", cv.one_line(s.new_warrant or "")],
            ["Outside Terms", bool(s.outside_terms)],
            ["Notes", cv.one_line("; ".join(s.notes))],
            ["Trading Calendar", s.trading_calendar],
        ]
    # Rows are positional: these appear only when they apply, at the end (issue 18).
    if s.merged:
        rows.append(["Merger Cash", cv.out_number(s.merger_cash, "Merger Cash")])
        rows.append(["Unit Delivered", cv.one_line(s.security)])
    if s.before_position:
        rows.append(["Events Note", cv.one_line(s.before_position)])
    if not checked:
        # Rows are positional: appended at the end, never inserted (issue 8).
        rows.append(["Exercisability", NOT_CHECKED])
    return rows


# --------------------------------------------------------------------------- register

def warrant_register(register: Any, events: Any, as_of: Any, *, date1904: bool = False) -> list[list[Any]]:
    rows = cv.parse_register(register, date1904=date1904)     # (class terms, the row's own Holding)
    ev = cv.parse_events(events, date1904=date1904) if given(events) else ()
    day = cv.parse_as_of(as_of, "As Of", date1904=date1904, moment=False)
    answers = engine_register(rows, ev, day) if rows else []  # one call: shared work done once
    out: list[list[Any]] = [list(REGISTER_HEADER)]
    for (_t, holding), (price, shares) in zip(rows, answers):
        out.append([holding.warrant, cv.out_number(price, "Price"), cv.out_shares(shares, "Shares"),
                    aggregate_price(price, shares)])
    return out


def aggregate_price(price: Fraction, shares: Fraction) -> float | str:
    """``out_number(cents_half_up(price * shares))`` on the integers: a register's amounts are not
    negative, so half up is floor(100 x + 1/2); whole cents / 100 is the nearest double, as the
    exact Decimal's float is (an amount beyond a double, or below zero, takes the general path)."""
    n = price.numerator * shares.numerator
    if n >= 0:
        d = price.denominator * shares.denominator
        try:
            return (200 * n + d) // (2 * d) / 100
        except OverflowError:
            pass
    return cv.out_number(cents_half_up(price * shares), "Aggregate Price")


# --------------------------------------------------------------------------- reallocation

def option_reallocate(optionees: Any, price: Any, *, date1904: bool = False) -> list[list[Any]]:
    parties = cv.parse_optionees(optionees)
    p = cv.to_number(cv._single(price, "Price"), "Price")
    if p is None:
        raise WarrantError("Price (blank) must be the price per share")
    result = reallocate(parties, p)
    out: list[list[Any]] = [list(REALLOCATE_HEADER)]
    for r in result.rows:
        out.append([r.optionee, r.allocation, bool(r.exercised), r.reallocated, r.assigned, r.shares,
                    cv.out_number(r.purchase_price, "Purchase Price")])
    tot = result.total
    out.append(["Total", tot.allocation, "", tot.reallocated, tot.assigned, tot.shares,
                cv.out_number(tot.purchase_price, "Purchase Price")])
    return out


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "WARRANT_TERMS": warrant_terms,
    "WARRANT_EXERCISABLE": warrant_exercisable,
    "WARRANT_STATUS": warrant_status,
    "WARRANT_DEFAULTS": warrant_defaults,
    "WARRANT_PRICE": warrant_price,
    "WARRANT_SHARES": warrant_shares,
    "WARRANT_ADJUSTMENTS": warrant_adjustments,
    "WARRANT_EXERCISE": warrant_exercise,
    "WARRANT_REGISTER": warrant_register,
    "OPTION_REALLOCATE": option_reallocate,
}
