"""What an exercise costs and delivers (§1(b), §1(c), §3, §5), and net issuance.

``settle`` takes the warrant's position on the exercise date (price and shares
from the §4 ledger), an exercise request and, when a fractional share is to be
paid in cash, the §5 market input. Exact Fractions inside; the contract's
roundings, each named where it happens:

* whole shares to issue: round DOWN (§1(c)(i) "full Warrant Shares"; §5 pays the rest);
* shares to surrender: round DOWN (§3(a): their fair value may equal, never exceed, the price);
* cash (aggregate price, cash due, surrender value, fraction cash): to the cent, ROUND_HALF_UP.

Readings are written in docs/interpretations.md.
"""
from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from .calendars import NYSE, nyse_trading_day
from .errors import fail
from .events import Event, Exercise
from .exercisability import fmt_number
from .ledger import adjust
from .numbers import cents_half_up, exact, share_count, whole_shares_down
from .terms import Holding, Terms

CASH, SURRENDER, MIXED, NET = "CASH", "SURRENDER", "MIXED", "NET"
METHODS = (CASH, SURRENDER, MIXED, NET)

OTC, EXCHANGE, NO_MARKET = "OTC", "EXCHANGE", "NONE"
VENUES = (OTC, EXCHANGE, NO_MARKET)

EXERCISE_TABLE = "Exercise"
MARKET_TABLE = "Market"

NET_NOTE = ("Net issuance (X = Y(A-B)/A) is outside D-1's own terms: §3 provides payment in cash, "
            "by surrender of Common Stock held six months, or a combination, not net issuance")


def _exact_or_none(value: object, field: str, table: str) -> Fraction | None:
    return None if value is None else exact(value, field, table=table)


def _date_or_none(value: object, field: str, table: str, *, required: bool = False) -> date | None:
    if value is None and not required:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise fail(field, value, "must be a date", table=table)


@dataclass(frozen=True, slots=True)
class ExerciseRequest:
    """One exercise: how many Warrant Shares (None = ALL that remain), when, and how paid.

    ``surrender_lot_shares`` (optional, beyond the API): how many shares the
    surrendered lot holds; when given, no more are surrendered and the rest is cash.
    """

    exercise_date: date
    shares: int | Fraction | None = None
    method: str = CASH
    payment_date: date | None = None
    cash_paid: Fraction | None = None
    surrendered_acquired: date | None = None
    fair_value: Fraction | None = None
    surrender_lot_shares: int | None = None

    def __post_init__(self) -> None:
        t = EXERCISE_TABLE
        object.__setattr__(self, "exercise_date", _date_or_none(self.exercise_date, "Exercise Date", t, required=True))
        shares = self.shares
        if isinstance(shares, str) and shares.strip().upper() == "ALL":
            shares = None
        shares = _exact_or_none(shares, "Shares", t)
        object.__setattr__(self, "shares", None if shares is None else share_count(shares))   # an int when whole
        if self.shares is not None and self.shares <= 0:
            raise fail("Shares", self.shares, "must be positive (or ALL)", table=t)
        method = self.method.strip().upper() if isinstance(self.method, str) else self.method
        if method not in METHODS:
            raise fail("Method", self.method, f"must be one of {', '.join(METHODS)}", table=t)
        object.__setattr__(self, "method", method)
        object.__setattr__(self, "payment_date", _date_or_none(self.payment_date, "Payment Date", t))
        object.__setattr__(self, "surrendered_acquired",
                           _date_or_none(self.surrendered_acquired, "Surrendered Shares Acquired", t))
        object.__setattr__(self, "cash_paid", _exact_or_none(self.cash_paid, "Cash Paid", t))
        if self.cash_paid is not None and self.cash_paid < 0:
            raise fail("Cash Paid", self.cash_paid, "must not be negative", table=t)
        object.__setattr__(self, "fair_value", _exact_or_none(self.fair_value, "Fair Value", t))
        if self.fair_value is not None and self.fair_value <= 0:
            raise fail("Fair Value", self.fair_value, "must be positive", table=t)
        if self.payment_date is not None and self.payment_date < self.exercise_date:
            raise fail("Payment Date", self.payment_date,
                       f"must not be before the Exercise Date ({self.exercise_date}) (§1(a), §1(c))", table=t)
        lot = self.surrender_lot_shares
        if lot is not None:
            lot_exact = exact(lot, "Surrender Lot Shares", table=t)
            if lot_exact.denominator != 1 or lot_exact < 0:
                raise fail("Surrender Lot Shares", lot, "must be a whole number of shares, not negative", table=t)
            object.__setattr__(self, "surrender_lot_shares", int(lot_exact))


@dataclass(frozen=True, slots=True)
class Market:
    """§5 market input: the venue that applies and its quote.

    OTC: ``low_bid`` and ``high_asked`` (NASD over-the-counter); EXCHANGE:
    ``closing_price`` (national securities exchange); NONE: ``board_fair_value``.
    """

    venue: str = NO_MARKET
    quote_date: date | None = None
    low_bid: Fraction | None = None
    high_asked: Fraction | None = None
    closing_price: Fraction | None = None
    board_fair_value: Fraction | None = None

    def __post_init__(self) -> None:
        t = MARKET_TABLE
        venue = self.venue.strip().upper() if isinstance(self.venue, str) else self.venue
        if venue is None or venue == "":
            venue = NO_MARKET
        if venue not in VENUES:
            raise fail("Venue", self.venue, f"must be one of {', '.join(VENUES)}", table=t)
        object.__setattr__(self, "venue", venue)
        object.__setattr__(self, "quote_date", _date_or_none(self.quote_date, "Quote Date", t))
        for name, label in (("low_bid", "Low Bid"), ("high_asked", "High Asked"),
                            ("closing_price", "Closing Price"), ("board_fair_value", "Board Fair Value")):
            value = _exact_or_none(getattr(self, name), label, t)
            if value is not None and value < 0:
                raise fail(label, value, "must not be negative", table=t)
            object.__setattr__(self, name, value)


@dataclass(frozen=True, slots=True)
class Position:
    """Where the warrant stands on the exercise date (from the §4 ledger)."""

    price: Fraction
    shares: int | Fraction         # an int when whole (engine.numbers.share_count)
    security: str = "Common Stock"
    # §4(b): cash the holder receives with each unit of ``security`` after a MERGER with a Price
    # (the ledger's ``cash_per_share``); ``security`` is the MERGER's Note, which describes one
    # unit, property other than cash included.
    cash_per_unit: Fraction = Fraction(0)
    merged: bool = False       # a MERGER replaced the Common Stock: ``security`` is the successor's
    note: str = ""             # how the position was found (an EXERCISE row set aside: see exercise_position)

    def __post_init__(self) -> None:
        object.__setattr__(self, "price", exact(self.price, "Per Share Exercise Price"))
        object.__setattr__(self, "shares", share_count(exact(self.shares, "Warrant Shares")))
        object.__setattr__(self, "cash_per_unit", exact(self.cash_per_unit, "Merger Cash Per Unit"))
        if self.cash_per_unit < 0:
            raise fail("Merger Cash Per Unit", self.cash_per_unit, "must not be negative")
        if self.price < 0:
            raise fail("Per Share Exercise Price", self.price, "must not be negative")
        if self.shares <= 0:
            raise fail("Warrant Shares", self.shares, "must be positive: nothing remains to exercise")


@dataclass(frozen=True, slots=True)
class Settlement:
    effective_at: datetime
    holder_of_record: str
    shares_exercised: int | Fraction       # share counts: an int when whole (engine.numbers.share_count)
    full_shares: int
    fractional_share: int | Fraction       # §5: the fraction paid in cash (0 when none)
    aggregate_price: Decimal
    aggregate_price_exact: Fraction
    cash_due: Decimal
    shares_to_surrender: int
    surrender_value: Decimal
    fraction_cash: Decimal
    fraction_price: Fraction | None
    fraction_price_source: str
    fraction_price_date: date | None
    quote_warning: str | None
    certificates_due: date | None
    remaining_shares: int | Fraction
    new_warrant: str | None
    method: str
    outside_terms: bool
    notes: tuple[str, ...]
    payment_date: date | None = None
    cash_due_exact: Fraction = Fraction(0)
    shares_withheld: int | Fraction = 0       # NET: Warrant Shares withheld in payment (Y - X)
    trading_calendar: str = ""                # §5: the calendar that fixed "the trading day immediately prior"
    security: str = "Common Stock"            # what one delivered unit is (after a MERGER, its Note)
    merger_cash: Decimal = Decimal("0.00")    # §4(b): cash delivered with the units, to the cent ROUND_HALF_UP
    merger_cash_exact: Fraction = Fraction(0)
    merged: bool = False
    before_position: str = ""                 # where the position came from when an EXERCISE row was set aside


def holding_period_end(acquired: date, months: int) -> date:
    """``acquired`` plus ``months`` calendar months, the day clamped to the month's end.

    §3(a) "held ... for at least six months": 2004-08-31 + 6 months = 2005-02-28.
    """
    acquired = _date_or_none(acquired, "Surrendered Shares Acquired", EXERCISE_TABLE, required=True)
    if isinstance(months, bool) or not isinstance(months, int) or months < 0:
        raise fail("Holding Months", months, "must be a whole number, not negative")
    index = acquired.year * 12 + (acquired.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if year > 9999:
        raise fail("Surrendered Shares Acquired", acquired, "is too late to add the holding period to")
    day = min(acquired.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def previous_trading_day(day: date, is_trading_day: Callable[[date], bool] | None = None) -> date:
    """The trading day immediately prior to ``day`` (§5); default calendar the NYSE's (engine.calendars)."""
    check = is_trading_day or nyse_trading_day
    candidate = day
    for _ in range(366):
        if candidate == date.min:
            break
        candidate -= timedelta(days=1)
        if check(candidate):
            return candidate
    raise fail("Exercise Date", day, "has no trading day in the year before it (§5)", table=EXERCISE_TABLE)


def settle(terms: Terms, position: Position, request: ExerciseRequest, market: Market | None = None,
           is_trading_day: Callable[[date], bool] | None = None, holding: Holding | None = None) -> Settlement:
    """Settle one exercise; refuses (WarrantError) what the contract does not allow.

    ``holding``: the warrant of the series exercised, when ``terms`` are its class's (its Issue
    Date dates the new warrant for the remainder, §1(c)(ii)).
    """
    if holding is not None:
        terms = terms.holding_terms(holding)
    t = EXERCISE_TABLE
    day = request.exercise_date
    # §1(a): only during the Exercise Period (the date's own close of business is inside it).
    start = terms.need("exercise_start", "to settle an exercise (§1(a) Exercise Period)")
    end = terms.need("exercise_end", "to settle an exercise (§1(a) Exercise Period)")
    if day < start or day > end:
        raise fail("Exercise Date", day, f"must be within the Exercise Period {start} "
                                         f"through {end} (§1(a))", table=t)
    remaining_before = position.shares
    shares = remaining_before if request.shares is None else request.shares  # None = ALL (§1(a) "in whole")
    if shares > remaining_before:
        raise fail("Shares", shares, f"must not exceed the {_num(remaining_before)} Warrant Shares "
                                           f"that remain (§1(a), §1(c)(ii))", table=t)
    price = position.price
    aggregate_exact = shares * price
    notes: list[str] = [position.note] if position.note else []

    # §1(b): deemed effected immediately prior to the close of business that day; the close
    # of business is taken as the terms' cut-off hour (17:00 New York time for D-1).
    effective_at = datetime.combine(day, terms.exercise_end_time, tzinfo=terms.zone)

    cash_exact = Fraction(0)
    surrender_count = 0
    surrender_exact = Fraction(0)
    withheld = Fraction(0)
    outside = False
    if request.method == NET:
        # Outside D-1: X = Y(A - B)/A shares delivered, Y - X withheld as payment.
        fair_value = _need(request.fair_value, "Fair Value", "is needed for net issuance")
        if fair_value <= price:
            raise fail("Fair Value", fair_value, f"must exceed the Per Share Exercise Price "
                                                       f"({_num(price)}) for net issuance", table=t)
        delivered = shares * (fair_value - price) / fair_value
        withheld = shares - delivered
        outside = True
        notes.append(NET_NOTE)
        notes.append(f"Y = {_num(shares)} Warrant Shares, A = {_num(fair_value)}, B = {_num(price)}: "
                     f"X = {_num(delivered)} shares delivered, {_num(withheld)} withheld")
    else:
        delivered = shares
        if request.method == CASH:
            cash_exact = aggregate_exact
        else:
            # §3(a)/(b): surrender of Common Stock held six months, valued at fair value on the exercise date.
            acquired = _need(request.surrendered_acquired, "Surrendered Shares Acquired",
                             f"is needed to pay by {request.method}")
            fair_value = _need(request.fair_value, "Fair Value", f"is needed to pay by {request.method}")
            months = terms.need("holding_months", f"to pay by {request.method} (§3(a) holding period)")
            held_until = holding_period_end(acquired, months)
            if held_until > day:
                raise fail("Surrendered Shares Acquired", acquired,
                           f"must be held at least {months} months by the Exercise Date "
                           f"({day}); the lot qualifies from {held_until} (§3(a))", table=t)
            to_cover = aggregate_exact
            if request.method == MIXED:
                # §3(b): the cash part is applied first, shares cover the rest.
                cash_part = _need(request.cash_paid, "Cash Paid", "is needed to pay by MIXED")
                if cash_part > aggregate_exact:
                    raise fail("Cash Paid", cash_part, f"must not exceed the aggregate price "
                                                             f"({cents_half_up(aggregate_exact)}) (§3(b))", table=t)
                to_cover = aggregate_exact - cash_part
            # Round DOWN: whole shares whose fair value does not exceed what is left to pay (§3(a) "equal to").
            surrender_count = whole_shares_down(to_cover / fair_value)
            if request.surrender_lot_shares is not None and surrender_count > request.surrender_lot_shares:
                surrender_count = request.surrender_lot_shares
                notes.append(f"the surrendered lot holds only {request.surrender_lot_shares:,} shares")
            surrender_exact = surrender_count * fair_value
            cash_exact = aggregate_exact - surrender_exact
            notes.append(f"{surrender_count:,} shares surrendered at fair value {_money(fair_value)} "
                         f"= {_money(surrender_exact)}; cash due {_money(cash_exact)} "
                         f"(held since {acquired}, qualifying from {held_until})")

    # §1(c)(i): full shares only, rounded DOWN; the fraction is paid in cash under §5.
    full = whole_shares_down(delivered)
    fraction = delivered - full
    fraction_price, source, price_date, warning, calendar_used = _fraction_price(fraction, day, market,
                                                                                 is_trading_day)
    # §5: cash in lieu of the fraction, to the cent ROUND_HALF_UP.
    fraction_cash = cents_half_up(fraction * fraction_price if fraction_price is not None else Fraction(0))
    if warning:
        notes.append(warning)

    # §4(b): "the kind and number of shares ... and cash or other property" a holder of the
    # shares would have received: the merger cash rides on every unit delivered, the fraction
    # included (§5 pays the fraction of a unit's shares, not of its cash).
    merger_cash_exact = delivered * position.cash_per_unit
    if position.merged:
        notes.append(f"§4(b): each unit delivered is {position.security}"
                     + (f", with {_money(position.cash_per_unit)} cash per unit: {_num(delivered)} units "
                        f"carry {_money(merger_cash_exact)} of merger cash" if merger_cash_exact else ""))

    # §1(c): certificates within 20 calendar days after the price is paid.
    paid = request.payment_date or day
    due = None
    if terms.delivery_days is None:
        notes.append("Certificates Due: the terms give no Delivery Days (§1(c) for D-1: 20 calendar days)")
    else:
        try:
            due = paid + timedelta(days=terms.delivery_days)
        except OverflowError:
            raise fail("Payment Date", paid, f"is too late to add {terms.delivery_days} days to", table=t) from None

    # §1(c)(ii): a new warrant for the remainder when exercised in part.
    remaining = remaining_before - shares
    new_warrant = None
    if remaining > 0:
        new_warrant = (f"New warrant of like tenor (dated {terms.issue_date}) for {_num(remaining)} "
                       f"{position.security} Warrant Shares at {_money(price)} per share (§1(c)(ii))")

    return Settlement(
        effective_at=effective_at,
        holder_of_record=terms.holder,
        shares_exercised=share_count(shares),
        full_shares=full,
        fractional_share=share_count(fraction),
        aggregate_price=cents_half_up(aggregate_exact),   # to the cent, ROUND_HALF_UP
        aggregate_price_exact=aggregate_exact,
        cash_due=cents_half_up(cash_exact),                # to the cent, ROUND_HALF_UP
        shares_to_surrender=surrender_count,
        surrender_value=cents_half_up(surrender_exact),   # to the cent, ROUND_HALF_UP
        fraction_cash=fraction_cash,
        fraction_price=fraction_price,
        fraction_price_source=source,
        fraction_price_date=price_date,
        quote_warning=warning,
        certificates_due=due,
        remaining_shares=share_count(remaining),
        new_warrant=new_warrant,
        method=request.method,
        outside_terms=outside,
        notes=tuple(notes),
        payment_date=paid,
        cash_due_exact=cash_exact,
        shares_withheld=share_count(withheld),
        trading_calendar=calendar_used,
        security=position.security,
        merger_cash=cents_half_up(merger_cash_exact),      # to the cent, ROUND_HALF_UP
        merger_cash_exact=merger_cash_exact,
        merged=position.merged,
        before_position=position.note,
    )


def exercise_position(terms: Terms, events: Sequence[Event], request: ExerciseRequest,
                      holding: Holding | None = None) -> Position:
    """The position an exercise settles from: the §4 ledger on the exercise date (of ``holding``'s
    warrant, when ``terms`` are its class's).

    An exercise entered twice (an EXERCISE row of the events with the request's date and
    shares, or, for ALL, the shares that remained before that row) is one exercise: the
    position is the one immediately before that row (the earlier days' events and the rows
    of the day listed above it), and the note says "Events row N records this exercise".
    Every other EXERCISE row on the same date is named in the note: one listed above is an
    earlier exercise, counted; one listed below is a later one, not counted.
    """
    if holding is not None:
        terms = terms.holding_terms(holding)
    day = request.exercise_date
    listed = list(enumerate(events))

    def place(i: int, e: Event) -> int:       # the row's place among the day's rows (the user's order)
        return e.row if e.row is not None else i

    def before(i: int, e: Event) -> list[Event]:
        return [x for j, x in listed if x.date < day or (x.date == day and place(j, x) < place(i, e))]

    same_day = sorted(((i, e) for i, e in listed if isinstance(e, Exercise) and e.date == day),
                      key=lambda pair: place(*pair))
    match = None
    for i, e in same_day:
        if request.shares is not None and e.shares == request.shares:
            match = (i, e)
            break
        if request.shares is None and adjust(terms, before(i, e), day).shares == e.shares:
            match = (i, e)      # ALL: the row exercised every share that remained
            break
    notes = []
    if match is not None:
        adjusted = adjust(terms, before(*match), day)
        notes.append(f"{_row_name(match[1])} records this exercise: the settlement starts from the "
                     f"position immediately before it ({_num(adjusted.shares)} Warrant Shares)")
    else:
        adjusted = adjust(terms, events, day)
    asked = 'ALL' if request.shares is None else _num(request.shares)
    for i, e in same_day:
        if match is not None and i == match[0]:
            continue
        counted = ("counted as a separate exercise before it" if match is None or place(i, e) < place(*match)
                   else "listed after this one, so a later exercise, not counted in this settlement")
        notes.append(f"{_row_name(e)} records an exercise of {_num(e.shares)} Warrant Shares on {day}, "
                     f"which does not match this one (Shares {asked}): {counted}")
    return Position(price=adjusted.price, shares=adjusted.shares, security=adjusted.security,
                    cash_per_unit=adjusted.cash_per_share, merged=adjusted.security != terms.security,
                    note="; ".join(notes))


def _row_name(e: Event) -> str:
    return f"Events row {e.row}" if e.row is not None else "An EXERCISE event"


def _fraction_price(fraction: Fraction, day: date, market: Market | None,
                    is_trading_day: Callable[[date], bool] | None
                    ) -> tuple[Fraction | None, str, date | None, str | None, str]:
    """§5 "whichever is applicable": the per-share value used for the fractional share.

    Only computed when there is a fraction to pay. The OTC and exchange quotes must be
    those of the trading day immediately prior to the exercise date; a quote dated
    otherwise is still used, and flagged.
    """
    if fraction == 0:
        return None, "no fractional share", None, None, ""
    m = MARKET_TABLE
    _need(market, "Market", f"is needed to pay cash for the fractional share {_num(fraction)} (§5)", table=m)
    if market.venue == NO_MARKET:
        value = _need(market.board_fair_value, "Board Fair Value",
                      "is needed when the Venue is NONE (§5 Board fair market value)", table=m)
        when = market.quote_date or day
        return value, f"Board fair market value as of {when}", when, None, ""
    expected = previous_trading_day(day, is_trading_day)
    calendar_used = "caller's calendar" if is_trading_day is not None else NYSE
    quoted = _need(market.quote_date, "Quote Date", f"is needed for a {market.venue} quote (§5)", table=m)
    if market.venue == OTC:
        low = _need(market.low_bid, "Low Bid", "is needed for an OTC quote (§5)", table=m)
        high = _need(market.high_asked, "High Asked", "is needed for an OTC quote (§5)", table=m)
        value = (low + high) / 2   # §5: the mean between the low bid and high asked, exact
        source = f"OTC mean of low bid and high asked on {quoted}"
    else:
        value = _need(market.closing_price, "Closing Price", "is needed for an EXCHANGE quote (§5)", table=m)
        source = f"exchange closing price on {quoted}"
    warning = None
    if quoted != expected:
        warning = (f"Quote Date {quoted} is not the trading day immediately prior to the exercise date "
                   f"{day} (expected {expected}, {calendar_used} calendar) (§5)")
    return value, source, quoted, warning, calendar_used


def _need(value, field: str, rule: str, *, table: str = EXERCISE_TABLE):
    if value is None:
        raise fail(field, None, rule, table=table)
    return value


def _num(value: Fraction) -> str:
    return fmt_number(Fraction(value))


def _money(value: Fraction) -> str:
    return f"${_num(value)}"


__all__ = [
    "CASH", "SURRENDER", "MIXED", "NET", "METHODS", "OTC", "EXCHANGE", "NO_MARKET", "VENUES",
    "ExerciseRequest", "Market", "Position", "Settlement",
    "settle", "exercise_position", "holding_period_end", "previous_trading_day", "NET_NOTE",
]
