"""§4 anti-dilution: a pure fold over the sorted ledger, with a clause-by-clause trail.

``adjust(terms, events, as_of)`` folds every event dated on or before ``as_of``
through :func:`_apply`, one trail row per event. The state keeps two prices
(docs/interpretations.md, "§4(g)(iii) carry-forward"):

* ``price``/``shares`` — the Per Share Exercise Price and Warrant Shares *in
  effect*: adjustments actually made;
* ``calc_price``/``calc_shares`` — what §4 calculates with every amount carried
  forward included. An adjustment is made (the pair in effect jumps to the
  calculated pair) once the calculated price differs from the price in effect
  by at least the Minimum Adjustment (1%) of the price in effect.

``lowest`` is §4(h)'s lowest price made so far, restated through later splits,
combinations and mergers into today's share units; it is the price returned.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from fractions import Fraction
from typing import Mapping, Sequence

from .errors import WarrantError, fail, where
from .events import (Amend, Event, Exercise, Expire, Grant, Issue, Merger, Other, Resize, StockDividend,
                     Treasury, alternative_history, amended_terms, expired_terms, sort_events)
from .numbers import count, money, pct, round_to_increment
from .terms import BROAD_WEIGHTED_AVERAGE, FULL_RATCHET, KEEP_AGGREGATE, Terms

APPLIED = "APPLIED"
CARRIED_FORWARD = "CARRIED_FORWARD"
EXCLUDED = "EXCLUDED"
NO_EFFECT = "NO_EFFECT"
BLOCKED_UPWARD = "BLOCKED_UPWARD"
STATUSES = (APPLIED, CARRIED_FORWARD, EXCLUDED, NO_EFFECT, BLOCKED_UPWARD)


@dataclass(frozen=True, slots=True)
class TrailRow:
    date: date
    event: str
    clause: str
    status: str
    price_before: Fraction
    price_after: Fraction
    shares_before: Fraction
    shares_after: Fraction
    explanation: str
    flag: str | None = None
    row: int | None = None


@dataclass(frozen=True, slots=True)
class Adjusted:
    price: Fraction              # §4(h): the lowest price calculable up to as_of, in today's units
    shares: Fraction             # Warrant Shares, exact (a fraction is kept until settlement)
    security: str                # "Common Stock", or the successor's security after a MERGER
    trail: tuple[TrailRow, ...]
    outstanding: Fraction | None
    fully_diluted: Fraction | None
    price_in_effect: Fraction    # the last price made, before §4(h)
    carried_price: Fraction      # the calculated price including amounts carried forward (§4(g)(iii))
    cash_per_share: Fraction     # cash per Warrant Share delivered with the successor units (MERGER)
    as_of: date

    @property
    def aggregate_price(self) -> Fraction:
        return self.price * self.shares


@dataclass(frozen=True, slots=True)
class _GrantState:
    grant: Grant                 # with every amendment so far applied
    issued: Fraction             # shares already issued on its exercise or conversion (§4(e)(i))
    expired: date | None = None


@dataclass(frozen=True, slots=True)
class _RightsState:
    shares: Fraction             # the maximum issuable on their exercise, deemed a dividend (§4(c))
    issued: Fraction             # shares issued on their exercise so far
    expired: date | None = None


@dataclass(frozen=True, slots=True)
class State:
    price: Fraction
    shares: Fraction
    calc_price: Fraction
    calc_shares: Fraction
    lowest: Fraction
    pending_units: Fraction      # split/combination factor on the price not yet made (carried)
    security: str
    outstanding: Fraction | None
    fully_diluted: Fraction | None
    management: Fraction         # Management Securities so far (§4(a)(i)(A))
    grants: Mapping[str, _GrantState]
    cash_per_share: Fraction
    floor: Fraction | None       # the terms' Price Floor restated through later splits (None = none)
    rights: Mapping[str, _RightsState]


def initial_state(terms: Terms) -> State:
    p, s = terms.exercise_price, terms.warrant_shares
    out = None if terms.common_outstanding is None else Fraction(terms.common_outstanding)
    fd = None if terms.fully_diluted is None else Fraction(terms.fully_diluted)
    return State(p, s, p, s, p, Fraction(1), terms.security, out, fd, Fraction(0), {}, Fraction(0), terms.price_floor, {})


def adjust(terms: Terms, events: Sequence[Event], as_of: date | datetime) -> Adjusted:
    """Per Share Exercise Price, Warrant Shares and the trail as of ``as_of`` (events on or before it)."""
    day = as_of.date() if isinstance(as_of, datetime) else as_of
    if not isinstance(day, date):
        raise fail("As Of", as_of, "must be a date")
    check_as_of(terms, day)
    ledger = tuple(e for e in sort_events(events) if e.date <= day)
    state, trail = fold(terms, ledger, explain=True)
    return Adjusted(
        price=min(state.lowest, state.price), shares=state.shares, security=state.security, trail=tuple(trail),
        outstanding=state.outstanding, fully_diluted=state.fully_diluted, price_in_effect=state.price,
        carried_price=state.calc_price, cash_per_share=state.cash_per_share, as_of=day,
    )


def check_as_of(terms: Terms, day: date) -> None:
    """A price or share count exists only from the Issue Date on."""
    if day < terms.issue_date:
        raise fail("As Of", day, f"is before the Issue Date ({terms.issue_date.isoformat()})")


def fold(terms: Terms, ledger: Sequence[Event], *, explain: bool = False) -> tuple[State, list[TrailRow]]:
    """The reference fold over an already sorted ledger."""
    state = initial_state(terms)
    trail: list[TrailRow] = []
    for i, event in enumerate(ledger):
        state, row = _apply(terms, ledger, i, state, explain)
        if explain:
            trail.append(row)
    return state, trail


# --------------------------------------------------------------------------- the step

class _Step:
    """Builds one trail row while an event is applied."""

    __slots__ = ("event", "before", "clause", "parts", "flag", "explain", "par_value")

    def __init__(self, event: Event, before: State, explain: bool, par_value: Fraction | None = None) -> None:
        self.event, self.before, self.explain, self.par_value = event, before, explain, par_value
        self.clause = ""
        self.parts: list[str] = []
        self.flag: str | None = None

    def say(self, text: str) -> None:
        if self.explain:
            self.parts.append(text)

    def warn(self, text: str) -> None:
        """A flag on the row (a warning, never a refusal); several are joined."""
        if self.explain:
            self.flag = text if self.flag is None else f"{self.flag}; {text}"

    def row(self, status: str, after: State) -> TrailRow | None:
        if not self.explain:
            return None
        b = self.before
        before, now = min(b.lowest, b.price), min(after.lowest, after.price)
        par = self.par_value
        if par is not None and now < par and now < before:
            # The contract sets the price without a floor (§4(d)); the law of the issuer's state may not.
            self.say(f"The price {money(now)} is below the par value {money(par)}: issuing shares below par may be "
                     f"restricted by law (the warrant promises \"fully paid and nonassessable\" shares).")
        return TrailRow(self.event.date, self.event.kind, self.clause, status, before, now,
                        b.shares, after.shares, " ".join(self.parts), self.flag, self.event.row)


def _apply(terms: Terms, ledger: Sequence[Event], i: int, state: State, explain: bool) -> tuple[State, TrailRow | None]:
    event = ledger[i]
    step = _Step(event, state, explain, terms.par_value)
    if event.date < terms.issue_date:
        return _before_issue(terms, event, state, step)
    state = _stated_outstanding(event, state, step)
    if isinstance(event, Resize):
        return _resize(terms, event, state, step)
    if isinstance(event, StockDividend):
        return _dividend(terms, event, state, step)
    if isinstance(event, Issue):
        return _issue(terms, event, state, step)
    if isinstance(event, Grant):
        return _grant(terms, event, state, step)
    if isinstance(event, (Amend, Expire)):
        return _recompute(terms, ledger, i, event, state, step)
    if isinstance(event, Treasury):
        return _treasury(event, state, step)
    if isinstance(event, Merger):
        return _merger(event, state, step)
    if isinstance(event, Exercise):
        return _exercise(event, state, step)
    if isinstance(event, Other):
        step.clause = "§4(g)(ii)"
        step.explain and step.say(f"§4(g)(ii) the Board's equitable adjustment to {money(event.price)} ({event.note}).")
        return _settle(terms, state, step, event.price, state.calc_shares)
    raise WarrantError(f"{where('Events', event.row)}unsupported event {event!r}")  # pragma: no cover


def _before_issue(terms: Terms, e: Event, state: State, step: _Step) -> tuple[State, TrailRow | None]:
    """§4(e) adjusts for events "after the date hereof": an earlier event is no adjustment.

    A grant or rights dividend is still recorded under its Ref, so that a later ISSUE (its
    exercise, §4(e)(i)) finds it; its shares are in the counts the terms give for the Issue Date.
    """
    step.clause = "§4(e)"
    step.explain and step.say(f"Dated before the Issue Date ({terms.issue_date.isoformat()}): not an adjustment (§4 adjusts for "
                              f"events \"after the date hereof\"); ignored.")
    if isinstance(e, Grant) or (isinstance(e, StockDividend) and e.ref):
        _check_new_ref(state, e)
        if isinstance(e, Grant):
            state = replace(state, grants={**state.grants, e.ref: _GrantState(e, Fraction(0))})
        else:
            state = replace(state, rights={**state.rights, e.ref: _RightsState(e.shares, Fraction(0))})
    return state, step.row(NO_EFFECT, state)


def _check_new_ref(state: State, e: Grant | StockDividend) -> None:
    if e.ref in state.grants or e.ref in state.rights:
        raise fail("Ref", e.ref, "is already used by an earlier grant or rights dividend", table="Events", row=e.row)


def _stated_outstanding(event: Event, state: State, step: _Step) -> State:
    """A stated Outstanding wins; a disagreement with the carried count is flagged on the row."""
    stated = event.outstanding
    if stated is None:
        return state
    carried = state.outstanding
    fd = state.fully_diluted
    if carried is not None and carried != stated:
        step.flag = f"stated Outstanding {count(stated)} differs from the carried count {count(carried)}; the stated count is used"
        if fd is not None:
            fd = fd + (stated - carried)
    return replace(state, outstanding=stated, fully_diluted=fd)


def _need(value: Fraction | None, what: str, purpose: str, event: Event) -> Fraction:
    if value is None:
        label = "Outstanding" if what == "outstanding" else "Fully Diluted"
        raise WarrantError(f"{where('Events', event.row)}{label} (blank) must be known for {purpose}: state Outstanding on the row "
                           f"or give Common Outstanding and Fully Diluted in the terms")
    return value


def _settle(terms: Terms, state: State, step: _Step, new_calc: Fraction, new_calc_shares: Fraction, *,
            upward_allowed: bool = False, units: Fraction = Fraction(1), counts: dict | None = None,
            rounding: bool = False) -> tuple[State, TrailRow | None]:
    """Make, carry forward (§4(g)(iii)) or block (§4(g)(iv)) a calculated price change.

    ``rounding``: a §4(d)/(e) price move, rounded to the terms' Price Increment when one is set
    (§4(b)/(c) moves stay exact, so a split and its reverse always restore the price).
    """
    counts = counts or {}
    if new_calc > state.calc_price and not upward_allowed:
        # §4(g)(iv): the price is never adjusted upward except by a combination.
        step.explain and step.say(f"§4(g)(iv): the calculated {money(new_calc)} is above {money(state.calc_price)}; no upward adjustment.")
        after = replace(state, **counts)
        return after, step.row(BLOCKED_UPWARD, after)
    pending = state.pending_units * units
    if new_calc == state.calc_price and new_calc_shares == state.calc_shares:
        after = replace(state, pending_units=pending, **counts)
        return after, step.row(NO_EFFECT, after)
    threshold = terms.minimum_adjustment * state.price
    if abs(new_calc - state.price) < threshold:
        # §4(g)(iii): under 1% of the price in effect: not made, carried forward.
        step.explain and step.say(f"§4(g)(iii): {money(new_calc)} differs from the price in effect {money(state.price)} by "
                 f"{money(abs(new_calc - state.price))}, under {pct(terms.minimum_adjustment)} ({money(threshold)}); carried forward.")
        after = replace(state, calc_price=new_calc, calc_shares=new_calc_shares, pending_units=pending, **counts)
        return after, step.row(CARRIED_FORWARD, after)
    made = new_calc
    if rounding and terms.price_increment is not None:
        made = round_to_increment(new_calc, terms.price_increment, terms.price_rounding)
        if made != new_calc:
            step.explain and step.say(f"Rounded to the price increment {money(terms.price_increment)} ({terms.price_rounding}): {money(made)}.")
        if made > state.price and not upward_allowed:
            # §4(g)(iv): rounding to the increment may not raise the price either.
            made = state.price
            step.explain and step.say(f"§4(g)(iv): the rounded price may not exceed the price in effect; {money(made)} stays.")
    if state.calc_price != state.price and step.explain:
        step.explain and step.say("Made together with the amounts carried forward (§4(g)(iii)).")
    lowest = min(state.lowest * pending, made)
    after = replace(state, price=made, shares=new_calc_shares, calc_price=made, calc_shares=new_calc_shares,
                    lowest=lowest, pending_units=Fraction(1), **counts)
    if lowest < made:
        step.explain and step.say(f"§4(h): the lowest price calculable so far, {money(lowest)}, applies.")
    return after, step.row(APPLIED, after)


# --------------------------------------------------------------------------- §4(b), §4(c)

def _resize(terms: Terms, e: Resize, state: State, step: _Step) -> tuple[State, TrailRow | None]:
    ratio = e.new / e.old
    combination = e.new < e.old
    step.clause = "§4(b)"
    name = "combination" if combination else "subdivision (split)"
    step.explain and step.say(f"§4(b) {name} {count(e.new)}-for-{count(e.old)}: price × {count(e.old)}/{count(e.new)}, "
             f"shares × {count(e.new)}/{count(e.old)}.")
    counts = dict(outstanding=_scaled(state.outstanding, ratio), fully_diluted=_scaled(state.fully_diluted, ratio),
                  management=state.management * ratio, floor=_scaled(state.floor, 1 / ratio))
    return _settle(terms, state, step, state.calc_price / ratio, state.calc_shares * ratio,
                   upward_allowed=combination, units=1 / ratio, counts=counts)


def _dividend(terms: Terms, e: StockDividend, state: State, step: _Step) -> tuple[State, TrailRow | None]:
    step.clause = "§4(c)"
    before = _need(state.outstanding, "outstanding", "a §4(c) stock dividend", e)
    if before == 0:
        raise fail("Outstanding", before, "must be positive for a §4(c) stock dividend", table="Events", row=e.row)
    after_count = before + e.shares
    what = (f"§4(c) dividend of rights{' ' + e.ref if e.ref else ''} to acquire {count(e.shares)} shares for no consideration, "
            f"deemed a stock dividend of {count(e.shares)}" if e.rights else f"§4(c) stock dividend of {count(e.shares)}")
    step.explain and step.say(f"{what} on {count(before)} outstanding: price × {count(before)} / {count(after_count)}, "
             f"shares × {count(after_count)} / {count(before)}.")
    if e.rights:
        # Unexercised rights are not "shares of Common Stock outstanding": the count waits for their exercise.
        step.explain and step.say(f"The rights are not Common outstanding until exercised (an ISSUE with Ref {e.ref or 'naming them'}); "
                                  f"they join the fully diluted count.")
        counts = dict(fully_diluted=_plus(state.fully_diluted, e.shares))
        if e.ref:
            _check_new_ref(state, e)
            counts["rights"] = {**state.rights, e.ref: _RightsState(e.shares, Fraction(0))}
    else:
        counts = dict(outstanding=after_count, fully_diluted=_plus(state.fully_diluted, e.shares))
    factor = before / after_count
    return _settle(terms, state, step, state.calc_price * factor, state.calc_shares / factor, counts=counts)


# --------------------------------------------------------------------------- §4(d), §4(e), §4(a)

def counted_shares(terms: Terms, e: Issue | Grant, management: Fraction, fd_after: Fraction | None,
                   step: _Step | None = None) -> tuple[Fraction, Fraction]:
    """(shares counted as Additional Shares, management aggregate after) under §4(a)(i)'s exclusions.

    Shared by the reference fold (which passes ``step`` to explain) and the register's compiler.
    """
    say = step is not None and step.explain
    if e.category == "EXCLUDED":
        say and step.say("Excluded: not an Additional Share of Common Stock or Option (§4(a)(iii)-(iv)).")
        return Fraction(0), management
    if e.category == "SERIES_D":
        if terms.series_d_cutoff is not None and e.date <= terms.series_d_cutoff:
            say and step.say(f"Excluded: arises from the Series D closing on {e.date.isoformat()}, on or before "
                             f"{terms.series_d_cutoff.isoformat()} (§4(a)(i)(B)).")
            return Fraction(0), management
        cutoff = terms.series_d_cutoff.isoformat() if terms.series_d_cutoff else "none"
        say and step.say(f"Series D closing on {e.date.isoformat()} is after the cutoff ({cutoff}), so it counts (§4(a)(i)(B)).")
        return e.shares, management
    if e.category == "MANAGEMENT":
        if terms.management_cap is None:
            raise WarrantError(f"{where('Events', e.row)}Category MANAGEMENT needs the terms' Management Cap (§4(a)(i)(A)): "
                               f"enter the cap (D-1: 10%), 100% to exclude every management grant, or clear the Category")
        fd = _need(fd_after, "fully_diluted", "the §4(a)(i)(A) 10% Management Securities cap", e)
        cap = terms.management_cap * fd
        room = max(Fraction(0), cap - management)
        excluded = min(e.shares, room)
        total = management + e.shares
        if excluded == e.shares:
            say and step.say(f"Excluded Management Securities (§4(a)(i)(A)): aggregate {count(total)} within "
                             f"{pct(terms.management_cap)} of {count(fd)} fully diluted ({count(cap)}).")
        else:
            say and step.say(f"Management Securities (§4(a)(i)(A)): aggregate {count(total)} exceeds the cap of "
                             f"{pct(terms.management_cap)} × {count(fd)} = {count(cap)}; the {count(e.shares - excluded)} "
                             f"shares beyond the cap count as Additional Shares.")
        return e.shares - excluded, total
    return e.shares, management


def _price_move(terms: Terms, e: Issue | Grant, state: State, step: _Step, shares: Fraction,
                consideration: Fraction, a_outstanding: Fraction | None, a_diluted: Fraction | None) -> tuple[Fraction, Fraction]:
    """§4(d) (or the weighted-average method) for ``shares`` counted at ``consideration`` in aggregate."""
    cp1 = state.calc_price
    per_share = consideration / shares
    method = terms.anti_dilution
    if method == "NONE":
        step.explain and step.say(f"Issue price {money(per_share)} per share; the terms provide no price adjustment (Anti-Dilution NONE).")
        return cp1, state.calc_shares
    if per_share >= cp1:
        step.explain and step.say(f"Consideration per share {money(consideration)} / {count(shares)} = {money(per_share)} is not less than "
                 f"the price otherwise applicable {money(cp1)}: no adjustment (§4(d)).")
        return cp1, state.calc_shares
    if method == FULL_RATCHET:
        new = per_share
        how = "for no consideration" if consideration == 0 else f"at {money(consideration)} / {count(shares)} = {money(per_share)} per share"
        step.explain and step.say(f"§4(d) full ratchet: {count(shares)} Additional Shares {how}, below {money(cp1)}: price reduced to {money(new)}.")
    else:
        broad = method == BROAD_WEIGHTED_AVERAGE
        a = _need(a_diluted if broad else a_outstanding, "fully_diluted" if broad else "outstanding",
                  "a weighted-average adjustment", e)
        b = consideration / cp1
        new = cp1 * (a + b) / (a + shares)
        step.explain and step.say(f"{'Broad' if broad else 'Narrow'}-based weighted average: CP2 = CP1 × (A + B) / (A + C) = "
                 f"{money(cp1)} × ({count(a)} + {count(b)}) / ({count(a)} + {count(shares)}) = {money(new)}, "
                 f"A = {'fully diluted' if broad else 'Common outstanding'}, B = {money(consideration)} / {money(cp1)}, C = {count(shares)}.")
    if state.floor is not None and new < state.floor:
        new = state.floor
        step.explain and step.say(f"Floored at the terms' Price Floor, {money(state.floor)} in today's shares.")
    new_shares = state.calc_shares
    if terms.share_adjustment == KEEP_AGGREGATE and new != cp1:
        if new == 0:
            raise fail("Share Adjustment", KEEP_AGGREGATE, "cannot keep the aggregate price at a price of 0", table="Events", row=e.row)
        new_shares = state.calc_shares * cp1 / new
        step.explain and step.say(f"Shares × {money(cp1)} / {money(new)} to keep the aggregate price (KEEP_AGGREGATE).")
    return new, new_shares


def _issue(terms: Terms, e: Issue, state: State, step: _Step) -> tuple[State, TrailRow | None]:
    out_after = _plus(state.outstanding, e.shares)
    fd_after = _plus(state.fully_diluted, e.shares)
    if e.ref in state.rights:
        return _rights_exercised(e, state, step, out_after)
    if e.ref:
        grant = state.grants.get(e.ref)
        if grant is None:
            raise fail("Ref", e.ref, "names no earlier OPTIONS or CONVERTIBLE grant", table="Events", row=e.row)
        if grant.expired is not None:
            raise fail("Ref", e.ref, f"expired on {grant.expired.isoformat()}", table="Events", row=e.row)
        step.clause = "§4(e)(i)"
        step.explain and step.say(f"§4(e)(i) issue of {count(e.shares)} shares on exercise or conversion of {e.ref}, already deemed issued: "
                 f"no further adjustment.")
        grants = dict(state.grants)
        grants[e.ref] = replace(grant, issued=grant.issued + e.shares)
        # The shares were already counted as issuable in the fully diluted figure.
        after = replace(state, outstanding=out_after, grants=grants)
        return after, step.row(NO_EFFECT, after)
    step.clause = "§4(d)"
    step.explain and step.say(f"Issue of {count(e.shares)} shares of Common Stock for {money(e.consideration)}.")
    counted, management = counted_shares(terms, e, state.management, fd_after, step)
    counts = dict(outstanding=out_after, fully_diluted=fd_after, management=management)
    if counted == 0:
        after = replace(state, **counts)
        return after, step.row(EXCLUDED, after)
    consideration = e.consideration * counted / e.shares
    new, new_shares = _price_move(terms, e, state, step, counted, consideration, state.outstanding, state.fully_diluted)
    return _settle(terms, state, step, new, new_shares, counts=counts, rounding=True)


def _rights_exercised(e: Issue, state: State, step: _Step, out_after: Fraction | None) -> tuple[State, TrailRow | None]:
    """ISSUE on the exercise of rights already deemed a stock dividend (§4(c)): the count only."""
    rights = state.rights[e.ref]
    if rights.expired is not None:
        raise fail("Ref", e.ref, f"expired on {rights.expired.isoformat()}", table="Events", row=e.row)
    left = rights.shares - rights.issued
    if e.shares > left:
        raise fail("Shares", e.shares, f"exceeds the {count(left)} shares left to issue under the rights {e.ref}",
                   table="Events", row=e.row)
    step.clause = "§4(c)"
    step.explain and step.say(f"§4(c) issue of {count(e.shares)} shares on exercise of the rights {e.ref}, already deemed a stock "
                              f"dividend: no further adjustment; the shares join the Common outstanding.")
    after = replace(state, outstanding=out_after, rights={**state.rights, e.ref: replace(rights, issued=rights.issued + e.shares)})
    return after, step.row(NO_EFFECT, after)


def _rights_expired(e: Expire, state: State, step: _Step) -> tuple[State, TrailRow | None]:
    rights = state.rights[e.ref]
    if rights.expired is not None:
        raise fail("Ref", e.ref, f"expired on {rights.expired.isoformat()}", table="Events", row=e.row)
    step.clause = "§4(g)(iv)"
    step.explain and step.say(f"The rights {e.ref} lapsed with {count(rights.shares - rights.issued)} shares unissued: unexercised "
                              f"rights were never Common outstanding, so no count changes, and the price is not adjusted "
                              f"upward (§4(g)(iv)).")
    after = replace(state, rights={**state.rights, e.ref: replace(rights, expired=e.date)})
    return after, step.row(NO_EFFECT, after)


def _grant(terms: Terms, e: Grant, state: State, step: _Step) -> tuple[State, TrailRow | None]:
    _check_new_ref(state, e)
    step.clause = "§4(e)"
    total = e.consideration + e.additional
    kind = "Convertible Securities" if e.convertible else "Options"
    step.explain and step.say(f"§4(e) {kind} {e.ref}: deemed issue of the maximum {count(e.shares)} shares at "
             f"({money(e.consideration)} + {money(e.additional)}) / {count(e.shares)} = {money(total / e.shares)} per share (§4(f)(ii)).")
    fd_after = _plus(state.fully_diluted, e.shares)
    grants = dict(state.grants)
    grants[e.ref] = _GrantState(e, Fraction(0))
    counted, management = counted_shares(terms, e, state.management, fd_after, step)
    counts = dict(fully_diluted=fd_after, management=management, grants=grants)
    if counted == 0:
        after = replace(state, **counts)
        return after, step.row(EXCLUDED, after)
    new, new_shares = _price_move(terms, e, state, step, counted, total * counted / e.shares,
                                  state.outstanding, state.fully_diluted)
    return _settle(terms, state, step, new, new_shares, counts=counts, rounding=True)


def _recompute(terms: Terms, ledger: Sequence[Event], i: int, e: Amend | Expire, state: State,
               step: _Step) -> tuple[State, TrailRow | None]:
    """AMEND (§4(e)(ii)) or EXPIRE: recompute as if the grant's new terms had applied from its issue."""
    if e.ref in state.rights:
        if isinstance(e, Expire):
            return _rights_expired(e, state, step)
        raise fail("Ref", e.ref, "names rights (RIGHTS_DIVIDEND), which AMEND cannot change: enter their exercise as an ISSUE "
                   "with this Ref, their lapse as an EXPIRE", table="Events", row=e.row)
    current = state.grants.get(e.ref)
    if current is None:
        raise fail("Ref", e.ref, f"names no earlier OPTIONS or CONVERTIBLE grant to {e.kind}", table="Events", row=e.row)
    if current.expired is not None:
        raise fail("Ref", e.ref, f"expired on {current.expired.isoformat()}", table="Events", row=e.row)
    grant = current.grant
    step.clause = "§4(e)(ii)"
    if isinstance(e, Amend):
        new_grant = amended_terms(grant, e)
        if new_grant.shares < current.issued:
            raise fail("Shares", e.shares, f"is below the {count(current.issued)} shares already issued under {e.ref}",
                       table="Events", row=e.row)
        step.explain and step.say(f"§4(e)(ii) amendment of {e.ref}: maximum {count(new_grant.shares)} shares, consideration "
                 f"{money(new_grant.consideration)} + {money(new_grant.additional)}, read in the grant's own units, without regard "
                 f"to its anti-dilution provisions (§4(e), §4(f)(ii)); the price is recomputed as if these "
                 f"terms had applied from {grant.date.isoformat()}.")
        if step.explain and e.shares is not None:
            _flag_split_units(ledger[:i], grant, e, step)
    else:
        # Reading: what was actually issued stays issued, at the grant's per-share consideration.
        new_grant = expired_terms(grant, current.issued)
        step.explain and step.say(f"Expiry of {e.ref} with {count(grant.shares - current.issued)} shares unissued: recomputed as if only "
                 f"the {count(current.issued)} shares actually issued had been granted.")
    redone, _ = fold(terms, alternative_history(ledger[:i], e.ref, new_grant))
    grants = dict(state.grants)
    grants[e.ref] = replace(current, grant=new_grant or grant, expired=e.date if isinstance(e, Expire) else None)
    counts = dict(outstanding=redone.outstanding, fully_diluted=redone.fully_diluted, management=redone.management,
                  grants=grants)
    step.explain and step.say(f"Recomputed price {money(redone.calc_price)}.")
    return _settle(terms, state, step, redone.calc_price, redone.calc_shares if redone.calc_price != state.calc_price
                   else state.calc_shares, counts=counts, rounding=True)


def _flag_split_units(prefix: Sequence[Event], grant: Grant, e: Amend, step: _Step) -> None:
    """Flag an amended share count that equals the grant's times the splits since it: likely post-split units."""
    ratio, seen = Fraction(1), False
    for earlier in prefix:
        if isinstance(earlier, Grant) and earlier.ref == grant.ref:
            ratio, seen = Fraction(1), True
        elif seen and isinstance(earlier, Resize):
            ratio *= earlier.new / earlier.old
    if ratio != 1 and e.shares == grant.shares * ratio:
        step.warn(f"Shares {count(e.shares)} equal the grant's {count(grant.shares)} × {count(ratio)} (the splits and combinations "
                  f"since its grant): an AMEND is entered in grant-date units (§4(e)); check this is not a post-split figure")


# --------------------------------------------------------------------------- §4(g)(i), §4(b) merger, §1(c)

def _treasury(e: Treasury, state: State, step: _Step) -> tuple[State, TrailRow | None]:
    step.clause = "§4(g)(i)"
    before = _need(state.outstanding, "outstanding", "§4(g)(i) treasury shares", e)
    if e.shares > before:
        raise fail("Shares", e.shares, f"exceeds the {count(before)} shares outstanding", table="Events", row=e.row)
    after_count = before - e.shares
    step.explain and step.say(f"§4(g)(i) {count(e.shares)} shares held by the Company leave the outstanding count: "
             f"{count(before)} → {count(after_count)}; no price adjustment.")
    after = replace(state, outstanding=after_count, fully_diluted=_plus(state.fully_diluted, -e.shares))
    return after, step.row(NO_EFFECT, after)


def _merger(e: Merger, state: State, step: _Step) -> tuple[State, TrailRow | None]:
    step.clause = "§4(b)"
    ratio = e.new / e.old
    cash = state.cash_per_share / ratio
    if e.cash:
        cash += e.cash / ratio
    step.explain and step.say(f"§4(b) merger: {count(e.new)} units of {e.successor} for every {count(e.old)} shares of {state.security}"
             + (f" plus {money(e.cash)} cash per share" if e.cash else "")
             + f"; shares × {count(e.new)}/{count(e.old)}, price per unit × {count(e.old)}/{count(e.new)} (aggregate price unchanged).")
    after = State(
        price=state.price / ratio, shares=state.shares * ratio, calc_price=state.calc_price / ratio,
        calc_shares=state.calc_shares * ratio, lowest=state.lowest / ratio, pending_units=state.pending_units,
        security=e.successor, outstanding=None, fully_diluted=None, management=Fraction(0), grants={}, cash_per_share=cash,
        floor=_scaled(state.floor, 1 / ratio), rights={},
    )
    step.explain and step.say("Later events are the successor's: state its Outstanding on their rows.")
    return after, step.row(APPLIED, after)


def _exercise(e: Exercise, state: State, step: _Step) -> tuple[State, TrailRow | None]:
    step.clause = "§1(c)"
    if e.shares > state.shares:
        raise fail("Shares", e.shares, f"exceeds the {count(state.shares)} Warrant Shares remaining", table="Events", row=e.row)
    step.explain and step.say(f"§1(c) the holder exercised {count(e.shares)} Warrant Shares; a new warrant calls for the remaining "
             f"{count(state.shares - e.shares)} (§1(c)(ii)).")
    # The calculated count (which may hold a carried §4(b)/(c) change) keeps its proportion.
    remaining = state.shares - e.shares
    after = replace(state, shares=remaining, calc_shares=state.calc_shares * remaining / state.shares,
                    outstanding=_plus(state.outstanding, e.shares))
    return after, step.row(APPLIED, after)


# --------------------------------------------------------------------------- helpers

def _plus(value: Fraction | None, delta: Fraction) -> Fraction | None:
    return None if value is None else value + delta


def _scaled(value: Fraction | None, ratio: Fraction) -> Fraction | None:
    return None if value is None else value * ratio
