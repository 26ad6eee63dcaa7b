"""§4 anti-dilution: a pure fold over the sorted ledger, with a clause-by-clause trail.

The reference fold (:func:`fold`, the specification) applies every event dated on or
before ``as_of`` through :func:`_apply`, one trail row per event. :func:`adjust`
answers through the fast path of :mod:`engine.trail`, which takes the same decisions on
int pairs and renders each row's sentences, when read, with this module's own step
(:func:`explain_step`); ``tests/test_trail.py`` proves the two equal. The state keeps two prices
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

from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import date, datetime
from fractions import Fraction
from operator import is_not
from types import SimpleNamespace
from typing import Callable, Sequence

from . import capital as cap
from . import rules
from .capital import Capital
from . import errors
from .events import (Amend, Event, Exercise, Expire, Grant, Issue, Merger, Other, Resize, StockDividend,
                     Treasury, AlternativeHistories, dispatch, sort_events)
from .numbers import count, money, pct, share_count, shares_of
from .terms import KEEP_AGGREGATE, NO_ANTI_DILUTION, Holding, Terms

from .rules import APPLIED, BLOCKED_UPWARD, CARRIED_FORWARD, EXCLUDED, NO_EFFECT, STATUSES  # noqa: E402,F401


class TrailRow:
    """One row of the adjustment trail: the event, its clause and status, the price and shares before and after.

    An immutable value object: rows compare, hash and print by their fields. The fast path
    (:mod:`engine.trail`) makes its rows with :meth:`later`: their numbers are read from its
    states, and their ``explanation`` and ``flag`` rendered (by :func:`explain_step`), when first
    read (a price asked for reads neither).
    """

    __slots__ = ("date", "event", "clause", "status", "row", "_numbers", "_sentences")
    FIELDS = ("date", "event", "clause", "status", "price_before", "price_after", "shares_before", "shares_after",
              "explanation", "flag", "row")

    def __init__(self, date: date, event: str, clause: str, status: str, price_before: Fraction, price_after: Fraction,
                 shares_before: Fraction, shares_after: Fraction, explanation: str = "", flag: str | None = None,
                 row: int | None = None) -> None:
        _set_date(self, date)                          # immutable: rows are shared by the cache of answers
        _set_event(self, event)
        _set_clause(self, clause)
        _set_status(self, status)
        _set_row(self, row)
        # counts leave the engine int when whole
        _set_numbers(self, (price_before, price_after, share_count(shares_before), share_count(shares_after)))
        _set_sentences(self, (explanation, flag))

    @classmethod
    def later(cls, e: Event, clause: str, status: str, before: rules.State, after: rules.State,
              render: Callable[[], tuple[str, str | None]]) -> TrailRow:
        """The row of ``e`` between the fast path's states ``before`` and ``after`` (engine.rules' 12 ints
        first); ``render()`` gives its explanation and flag."""
        self = _new(cls)
        _set_date(self, e.date)
        _set_event(self, e.kind)
        _set_clause(self, clause)
        _set_status(self, status)
        _set_row(self, e.row)
        _set_numbers(self, (before, after))
        _set_sentences(self, render)
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"TrailRow is immutable: cannot set {name}")

    def _read(self) -> tuple:
        numbers = self._numbers
        if len(numbers) == 2:
            b, a = numbers
            numbers = (Fraction(*rules.shown(b)), Fraction(*rules.shown(a)), shares_of(b[2], b[3]), shares_of(a[2], a[3]))
            _set_numbers(self, numbers)
        return numbers

    price_before = property(lambda self: self._read()[0])      # Fraction
    price_after = property(lambda self: self._read()[1])
    shares_before = property(lambda self: self._read()[2])     # int | Fraction: an int when whole
    shares_after = property(lambda self: self._read()[3])

    def _rendered(self) -> tuple[str, str | None]:
        sentences = self._sentences
        if callable(sentences):
            sentences = sentences()
            _set_sentences(self, sentences)
        return sentences

    explanation = property(lambda self: self._rendered()[0])  # str
    flag = property(lambda self: self._rendered()[1])         # str | None

    def _values(self) -> tuple:
        return tuple(getattr(self, f) for f in self.FIELDS)

    def __eq__(self, other: object) -> bool:
        return self._values() == other._values() if isinstance(other, TrailRow) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return f"TrailRow({', '.join(f'{f}={v!r}' for f, v in zip(self.FIELDS, self._values()))})"


# The slots' own setters (TrailRow.__setattr__ refuses): half the cost of object.__setattr__.
_set_date, _set_event, _set_clause, _set_status, _set_row, _set_numbers, _set_sentences = (
    TrailRow.__dict__[name].__set__ for name in TrailRow.__slots__)
_new = object.__new__


@dataclass(frozen=True, slots=True)
class Adjusted:
    price: Fraction              # §4(h): the lowest price calculable up to as_of, in today's units
    shares: int | Fraction       # Warrant Shares, exact: an int when whole (a fraction is kept until settlement)
    security: str                # "Common Stock", or the successor's security after a MERGER
    trail: tuple[TrailRow, ...]
    outstanding: int | Fraction | None      # Common outstanding (an int when whole)
    fully_diluted: int | Fraction | None
    price_in_effect: Fraction    # the last price made, before §4(h)
    carried_price: Fraction      # the calculated price including amounts carried forward (§4(g)(iii))
    cash_per_share: Fraction     # cash per Warrant Share delivered with the successor units (MERGER)
    as_of: date

    @property
    def aggregate_price(self) -> Fraction:
        return self.price * self.shares


@dataclass(frozen=True, slots=True)
class State:
    price: Fraction
    shares: Fraction
    calc_price: Fraction
    calc_shares: Fraction
    lowest: Fraction
    pending_units: Fraction      # split/combination factor on the price not yet made (carried)
    security: str
    capital: Capital             # counts, grants, rights and floor (engine.capital)
    cash_per_share: Fraction


def initial_state(terms: Terms) -> State:
    p, s = terms.exercise_price, terms.warrant_shares
    return State(p, s, p, s, p, Fraction(1), terms.security, cap.initial(terms), Fraction(0))


def adjust(terms: Terms, events: Sequence[Event], as_of: date | datetime, holding: Holding | None = None) -> Adjusted:
    """Per Share Exercise Price, Warrant Shares and the trail as of ``as_of`` (events on or before it).

    ``holding`` (a :class:`~engine.terms.Holding`): the warrant of the series asked about, when
    ``terms`` are its class's (its own name, count, price and Issue Date replace the terms').
    Answered by the fast path (:mod:`engine.trail`), proven equal to the reference fold
    (:func:`reference_adjust`) by tests/test_trail.py; an answer already given is kept.
    """
    terms, ledger, day = _ledger(terms, events, as_of, holding)
    try:
        key = Hashed((terms, ledger, day), hash((terms, day, outline(ledger))))
        hit = _ADJUSTED.get(key)
    except TypeError:                             # an unhashable value somewhere: no cache
        key = hit = None
    if hit is not None:
        _ADJUSTED.move_to_end(key)
        return hit
    from .trail import fast_fold, to_state        # engine.trail builds on this module's State and rows
    fast, trail = fast_fold(terms, ledger)
    result = _answer(to_state(fast), trail, day)
    if key is not None:
        _ADJUSTED[key] = result
        if len(_ADJUSTED) > ADJUSTED_CACHE_SIZE:
            _ADJUSTED.popitem(last=False)
    return result


class Hashed:
    """A cache key whose hash is computed once (the lookup and the store both need it)."""

    __slots__ = ("key", "hash")

    def __init__(self, key: tuple, hashed: int | None = None) -> None:
        """``hashed``: the key's hash when cheaper than ``hash(key)`` (equal keys must have equal ones)."""
        self.key, self.hash = key, hash(key) if hashed is None else hashed

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Hashed) and self.hash == other.hash and self.key == other.key


def outline(ledger: Sequence[Event]) -> tuple:
    """What a ledger's cache key hashes: each event's kind, date and row. Equal ledgers have equal
    outlines; ledgers differing only in amounts share one and are told apart by their equality
    (:class:`Hashed`). A ``Fraction``'s own hash (a modular inverse, a microsecond) made hashing a
    whole 100-event ledger 0.09 ms, 4% of a trail never seen; its outline costs a fifth of that."""
    return tuple([(type(e), e.date, e.row) for e in ledger])


def reference_adjust(terms: Terms, events: Sequence[Event], as_of: date | datetime,
                     holding: Holding | None = None) -> Adjusted:
    """:func:`adjust` through the reference fold, the specification (no cache): for the tests."""
    terms, ledger, day = _ledger(terms, events, as_of, holding)
    state, trail = fold(terms, ledger, explain=True)
    return _answer(state, trail, day)


def _ledger(terms: Terms, events: Sequence[Event], as_of: date | datetime,
            holding: Holding | None) -> tuple[Terms, tuple[Event, ...], date]:
    """The terms of ``holding``'s warrant (or ``terms`` without one), the sorted events on or before ``as_of``, and its day."""
    if holding is not None:
        terms = terms.holding_terms(holding)
    day = as_of.date() if isinstance(as_of, datetime) else as_of
    if not isinstance(day, date):
        raise errors.as_of_not_a_date(as_of)
    cap.check_as_of(terms, day)
    return terms, tuple(e for e in sort_events(events) if e.date <= day), day


def _answer(state: State, trail: Sequence[TrailRow], day: date) -> Adjusted:
    """The :class:`Adjusted` of a fold's final state and trail (share counts leave the engine an int when whole)."""
    c = state.capital
    return Adjusted(
        price=_shown(state), shares=share_count(state.shares), security=state.security, trail=tuple(trail),
        outstanding=None if c.outstanding is None else share_count(c.outstanding),
        fully_diluted=None if c.fully_diluted is None else share_count(c.fully_diluted), price_in_effect=state.price,
        carried_price=state.calc_price, cash_per_share=state.cash_per_share, as_of=day,
    )


# Answers already given, by (terms, ledger content, as_of): everything here is immutable, so a
# ledger seen before (a workbook recalculated, the same warrant asked again) is not folded again.
_ADJUSTED: OrderedDict["Hashed", Adjusted] = OrderedDict()
ADJUSTED_CACHE_SIZE = 256


def forget_answers() -> None:
    """Empty the cache of answers (for a benchmark of a ledger never seen)."""
    _ADJUSTED.clear()


def fold(terms: Terms, ledger: Sequence[Event], *, explain: bool = False) -> tuple[State, list[TrailRow]]:
    """The reference fold over an already sorted ledger."""
    state = initial_state(terms)
    trail: list[TrailRow] = []
    states = [state]                              # states[k]: after the first k events
    histories = Histories(terms, ledger, states, initial_state, _history_step)
    for i, event in enumerate(ledger):
        state, row = _apply(terms, ledger, i, state, explain, histories)
        states.append(state)
        if explain:
            trail.append(row)
    return state, trail


class Histories:
    """The folds done so far in one ledger, so that a §4(e)(ii) recomputation folds only what is new.

    The alternative history of an AMEND or EXPIRE begins with the same events as the ledger (up
    to its first AMEND or EXPIRE) or as an earlier recomputation's history (up to the first grant
    whose terms differ); the fold is a pure function of the events, so it continues from the
    state reached after that common prefix. ``start(terms)`` is a fold's first state and
    ``step(terms, events, i, state)`` the state after ``events[i]``: the reference fold's here,
    the fast path's in :mod:`engine.trail`.
    """

    __slots__ = ("terms", "known", "start", "step", "alternative", "rejoined")

    def __init__(self, terms: Terms, ledger: Sequence[Event], states: list, start: Callable, step: Callable,
                 rejoined: Callable[[object, object], bool] | None = None) -> None:
        self.terms, self.start, self.step, self.rejoined = terms, start, step, rejoined
        self.known: list[tuple[Sequence[Event], list]] = [(ledger, states)]
        # alternative(i, ref, replacement): the ledger's engine.events.alternative_history before its event i
        self.alternative = AlternativeHistories(ledger).of

    def fold(self, events: Sequence[Event]):
        """The state after ``events``. ``rejoined(state, other)`` (the fast path's): whether a state
        makes the same rest of a fold as ``other``; where this fold's state rejoins the fold it
        continues after the events the two share again, it takes that fold's states."""
        k, (base, start) = 0, self.known[0]
        # The ledger itself and the latest history share the longest prefixes (the latest amendments);
        # of equal prefixes the latest history's, which shares the most events after its change too.
        # A history holds no AMEND or EXPIRE, so the ledger's prefix ends at its first.
        for seq, states in self.known[:1] + self.known[1:][-1:]:
            n = _common(seq, events, min(len(seq), len(events), len(states) - 1))
            if n >= k:
                k, start, base = n, states, seq
        states = start[:k + 1]                            # start[0]: the state before any event
        state, step, terms = states[-1], self.step, self.terms
        again = end = 0
        if self.rejoined is not None:
            end = min(len(base), len(events), len(start) - 1)
            differ = list(map(is_not, base[k:end], events[k:end]))
            again = end - differ[::-1].index(True) if True in differ else k    # events[again:end] are base's
        i, n, rejoined, append = k, len(events), self.rejoined, states.append
        while i < n:
            state = step(terms, events, i, state)         # no AMEND/EXPIRE in a history
            append(state)
            i += 1
            if again <= i < end and rejoined(state, start[i]):
                states.extend(start[i + 1:end + 1])
                state, i = states[-1], end
        self.known.append((events, states))
        return state


def _common(a: Sequence[Event], b: Sequence[Event], top: int) -> int:
    """How many of the first ``top`` events ``a`` and ``b`` share: the same objects (compared in C), or
    equal (a grant amended the same way in two histories)."""
    n = 0
    while n < top:
        differ = list(map(is_not, a[n:top], b[n:top]))
        if True not in differ:
            return top
        n += differ.index(True)
        if a[n] != b[n]:
            return n
        n += 1
    return top


def _history_step(terms: Terms, events: Sequence[Event], i: int, state: State) -> State:
    return _apply(terms, events, i, state, False, None)[0]


def explain_step(terms: Terms, ledger: Sequence[Event], i: int, before: State, redone: State | None) -> tuple[str, str | None]:
    """(explanation, flag) of the trail row of ``ledger[i]`` applied to the state ``before`` it.

    The fast path (engine.trail) renders its rows' sentences here when they are read, so each
    sentence is written once. ``redone``: an AMEND/EXPIRE's recomputed state, already folded.
    """
    known = SimpleNamespace(alternative=lambda i, ref, replacement: (), fold=lambda events: redone)  # its histories
    row = _apply(terms, ledger, i, before, True, known)[1]
    return row.explanation, row.flag


# --------------------------------------------------------------------------- the step

class _Step:
    """Builds one trail row while an event is applied."""

    __slots__ = ("event", "before", "clause", "parts", "flag", "explain", "par_value")

    def __init__(self, event: Event, before: State, explain: bool, par_value: Fraction | None = None) -> None:
        self.event, self.before, self.explain, self.par_value = event, before, explain, par_value
        self.clause = ""
        self.parts: list[str] = []
        self.flag: str | None = None

    # say and warn are called only where the step explains (``step.explain and step.say(...)``: no
    # sentence is built otherwise).
    def say(self, text: str) -> None:
        self.parts.append(text)

    def warn(self, text: str) -> None:
        """A flag on the row (a warning, never a refusal); several are joined."""
        self.flag = text if self.flag is None else f"{self.flag}; {text}"

    def row(self, status: str, after: State) -> TrailRow | None:
        if not self.explain:
            return None
        b = self.before
        before, now = _shown(b), _shown(after)
        par = self.par_value
        if par is not None and now < par and now < before:
            # The contract sets the price without a floor (§4(d)); the law of the issuer's state may not.
            self.say(f"The price {money(now)} is below the par value {money(par)}: issuing shares below par may be "
                     f"restricted by law (the warrant promises \"fully paid and nonassessable\" shares).")
        return TrailRow(self.event.date, self.event.kind, self.clause, status, before, now,
                        b.shares, after.shares, " ".join(self.parts), self.flag, self.event.row)


def _apply(terms: Terms, ledger: Sequence[Event], i: int, state: State, explain: bool,
           histories: Histories | None) -> tuple[State, TrailRow | None]:
    event = ledger[i]
    step = _Step(event, state, explain, terms.par_value)
    if cap.before_issue_date(terms, event.date):
        return _before_issue(terms, event, state, step)
    state = _stated_outstanding(event, state, step)
    return dispatch(event, _STEPS)(terms, ledger, i, event, state, step, histories)


def _before_issue(terms: Terms, e: Event, state: State, step: _Step) -> tuple[State, TrailRow | None]:
    """§4(e) adjusts for events "after the date hereof": an event on or before the Issue Date is no
    adjustment (:func:`engine.capital.before_issue_date`).

    A grant or rights dividend is still recorded under its Ref, so that a later ISSUE (its
    exercise) finds it; its shares are in the counts the terms give for the Issue Date.
    """
    step.clause = "§4(e)"
    if e.date == terms.issue_date:
        step.explain and step.say(f"Dated on the Issue Date ({terms.issue_date.isoformat()}): not an adjustment (§4(a)(i) counts shares "
                                  f"issued \"after the first date of issuance\", §4(e) events \"after the date hereof\"); the terms' "
                                  f"Common Outstanding and Fully Diluted are the counts at the end of that day; ignored.")
    else:
        step.explain and step.say(f"Dated before the Issue Date ({terms.issue_date.isoformat()}): not an adjustment (§4 adjusts for "
                                  f"events \"after the date hereof\"); ignored.")
    return _recorded(state, step, NO_EFFECT, cap.before_issue(state.capital, e))


def _recorded(state: State, step: _Step, status: str, capital: Capital) -> tuple[State, TrailRow | None]:
    """A step that moves no price: the state with the capital after, and its row."""
    after = replace(state, capital=capital)
    return after, step.row(status, after)


def _stated_outstanding(event: Event, state: State, step: _Step) -> State:
    """A stated Outstanding wins; a disagreement with the carried count is flagged on the row."""
    if event.outstanding is None:
        return state
    c, carried = cap.stated(state.capital, event)
    if carried is not None:
        step.flag = (f"stated Outstanding {count(event.outstanding)} differs from the carried count {count(carried)}; "
                     f"the stated count is used")
    return replace(state, capital=c)


def _pairs(state: State) -> rules.State:
    """The state's six numbers as engine.rules' 12 ints."""
    p, sh, cp, cs, low, e = state.price, state.shares, state.calc_price, state.calc_shares, state.lowest, state.pending_units
    return (p.numerator, p.denominator, sh.numerator, sh.denominator, cp.numerator, cp.denominator,
            cs.numerator, cs.denominator, low.numerator, low.denominator, e.numerator, e.denominator)


def _shown(state: State) -> Fraction:
    """§4(h): the price a row shows and the answer returns (:func:`engine.rules.shown`)."""
    return Fraction(*rules.shown(_pairs(state)))


def _from_pairs(state: State, s: rules.State, capital: Capital | None = None) -> State:
    """``state`` with engine.rules' 12 ints ``s`` as its numbers (and ``capital`` when given)."""
    return State(Fraction(s[0], s[1]), Fraction(s[2], s[3]), Fraction(s[4], s[5]), Fraction(s[6], s[7]),
                 Fraction(s[8], s[9]), Fraction(s[10], s[11]), state.security,
                 state.capital if capital is None else capital, state.cash_per_share)


def _settle(terms: Terms, state: State, step: _Step, new_calc: Fraction, new_calc_shares: Fraction, *,
            upward_allowed: bool = False, units: Fraction = Fraction(1), capital: Capital | None = None,
            rounding: bool = False, shares_by: Fraction | None = None) -> tuple[State, TrailRow | None]:
    """Make, carry forward (§4(g)(iii)) or block (§4(g)(iv)) a calculated price change, by
    :func:`engine.rules.settle`, and say which on the trail."""
    status, after_pairs = rules.settle(terms, _pairs(state), new_calc.numerator, new_calc.denominator,
                                       new_calc_shares.numerator, new_calc_shares.denominator,
                                       upward=upward_allowed, un=units.numerator, ud=units.denominator,
                                       rounding=rounding, shares_by=rules.pair(shares_by))
    after = _from_pairs(state, after_pairs, capital)
    if not step.explain:
        return after, None
    if status == BLOCKED_UPWARD:
        step.say(f"§4(g)(iv): the calculated {money(new_calc)} is above {money(state.calc_price)}; no upward adjustment.")
    elif status == CARRIED_FORWARD:
        threshold = terms.minimum_adjustment * state.price
        step.say(f"§4(g)(iii): {money(new_calc)} differs from the price in effect {money(state.price)} by "
                 f"{money(abs(new_calc - state.price))}, under {pct(terms.minimum_adjustment)} ({money(threshold)}); "
                 f"carried forward.")
        if after.shares != state.shares:
            step.say(f"§4(g)(iii) governs the price only: the share count's sentence applies in full, "
                     f"{count(state.shares)} → {count(after.shares)}.")
    elif status == APPLIED:
        made = after.price
        if rounding and terms.price_increment is not None:
            rounded = rules.rounded(terms, new_calc)
            if rounded != new_calc:
                step.say(f"Rounded to the price increment {money(terms.price_increment)} ({terms.price_rounding}): "
                         f"{money(rounded)}.")
            if made != rounded:
                step.say(f"§4(g)(iv): the rounded price may not exceed the price in effect; {money(made)} stays.")
        if state.calc_price != state.price:
            step.say("Made together with the amounts carried forward (§4(g)(iii)).")
        if after.lowest < made:
            step.say(f"§4(h): the lowest price calculable so far, {money(after.lowest)}, applies.")
    return after, step.row(status, after)


# --------------------------------------------------------------------------- §4(b), §4(c)

def _resize(terms: Terms, ledger: Sequence[Event], i: int, e: Resize, state: State, step: _Step,
            histories: Histories | None) -> tuple[State, TrailRow | None]:
    combination = e.new < e.old
    step.clause = "§4(b)"
    name = "combination" if combination else "subdivision (split)"
    step.explain and step.say(f"§4(b) {name} {count(e.new)}-for-{count(e.old)}: price × {count(e.old)}/{count(e.new)}, "
             f"shares × {count(e.new)}/{count(e.old)}.")
    nn, nd, xn, xd, un, ud = rules.resized(_pairs(state), *rules.ratio(e.new, e.old))
    return _settle(terms, state, step, Fraction(nn, nd), Fraction(xn, xd), upward_allowed=combination,
                   units=Fraction(un, ud), capital=cap.resized(state.capital, e), shares_by=Fraction(ud, un))


def _dividend(terms: Terms, ledger: Sequence[Event], i: int, e: StockDividend, state: State, step: _Step,
              histories: Histories | None) -> tuple[State, TrailRow | None]:
    step.clause = "§4(c)"
    after, p = cap.dividend(state.capital, e)
    before = shares_of(*p)
    after_count = before + e.shares
    what = (f"§4(c) dividend of rights{' ' + e.ref if e.ref else ''} to acquire {count(e.shares)} shares for no consideration, "
            f"deemed a stock dividend of {count(e.shares)}" if e.rights else f"§4(c) stock dividend of {count(e.shares)}")
    step.explain and step.say(f"{what} on {count(before)} outstanding: price × {count(before)} / {count(after_count)}, "
             f"shares × {count(after_count)} / {count(before)}.")
    if e.rights:
        # Unexercised rights are not "shares of Common Stock outstanding": the count waits for their exercise.
        step.explain and step.say(f"The rights are not Common outstanding until exercised (an ISSUE with Ref {e.ref or 'naming them'}); "
                                  f"they join the fully diluted count.")
    fn, fd = rules.dividend_factor(*p, e.shares)
    nn, nd, xn, xd = rules.dividend(_pairs(state), fn, fd)
    return _settle(terms, state, step, Fraction(nn, nd), Fraction(xn, xd), capital=after, shares_by=Fraction(fd, fn))


# --------------------------------------------------------------------------- §4(d), §4(e), §4(a)

def _price_move(terms: Terms, e: Issue | Grant, state: State, step: _Step, record: Callable,
                total: Fraction) -> tuple[State, TrailRow | None]:
    """§4(a), then §4(d) (or the weighted-average method) for an issue or grant of ``e.shares`` at ``total``
    in aggregate, by engine.rules, said on the trail; ``record``: engine.capital's bookkeeping of it."""
    c = state.capital
    counted, management = cap.additional_shares(terms, e, c, step.say if step.explain else None)
    after_capital = record(c, e, management)
    if counted == 0:
        return _recorded(state, step, EXCLUDED, after_capital)
    shares, consideration = counted, total * counted / e.shares
    cp1 = state.calc_price
    per_share = consideration / shares
    cp, q = rules.pair(cp1), rules.pair(per_share)
    if not rules.issue_moves(terms, cp, q):
        if terms.anti_dilution == NO_ANTI_DILUTION:
            step.explain and step.say(f"Issue price {money(per_share)} per share; the terms provide no price adjustment (Anti-Dilution NONE).")
        else:
            step.explain and step.say(f"Consideration per share {money(consideration)} / {count(shares)} = {money(per_share)} is not less than "
                                      f"the price otherwise applicable {money(cp1)}: no adjustment (§4(d)).")
        return _settle(terms, state, step, cp1, state.calc_shares, capital=after_capital, rounding=True)
    needed = rules.needs_count(terms)
    if needed is None:
        new = Fraction(*rules.issue_price(cp, q, None))
        how = "for no consideration" if consideration == 0 else f"at {money(consideration)} / {count(shares)} = {money(per_share)} per share"
        step.explain and step.say(f"§4(d) full ratchet: {count(shares)} Additional Shares {how}, below {money(cp1)}: price reduced to {money(new)}.")
    else:
        broad = needed == "fully_diluted"
        a = cap.need(c.fully_diluted if broad else c.outstanding, needed, "a weighted-average adjustment", e)
        new = Fraction(*rules.issue_price(cp, q, rules.weighted(a, consideration, shares)))
        step.explain and step.say(f"{'Broad' if broad else 'Narrow'}-based weighted average: CP2 = CP1 × (A + B) / (A + C) = "
                 f"{money(cp1)} × ({count(a)} + {count(consideration / cp1)}) / ({count(a)} + {count(shares)}) = {money(new)}, "
                 f"A = {'fully diluted' if broad else 'Common outstanding'}, B = {money(consideration)} / {money(cp1)}, C = {count(shares)}.")
    floored = Fraction(*rules.floored(rules.pair(new), rules.pair(state.capital.floor)))
    if floored != new:
        new = floored
        step.explain and step.say(f"Floored at the terms' Price Floor, {money(floored)} in today's shares.")
    xn, xd = rules.kept(terms, rules.pair(state.calc_shares), cp, rules.pair(new), e.row)
    new_shares = Fraction(xn, xd)
    if terms.share_adjustment == KEEP_AGGREGATE and new != cp1:
        step.explain and step.say(f"Shares × {money(cp1)} / {money(new)} to keep the aggregate price (KEEP_AGGREGATE).")
    return _settle(terms, state, step, new, new_shares, capital=after_capital, rounding=True)


def _issue(terms: Terms, ledger: Sequence[Event], i: int, e: Issue, state: State, step: _Step,
           histories: Histories | None) -> tuple[State, TrailRow | None]:
    c = state.capital
    if e.ref in c.rights:
        step.clause = "§4(c)"
        step.explain and step.say(f"§4(c) issue of {count(e.shares)} shares on exercise of the rights {e.ref}, already deemed a "
                                  f"stock dividend: no further adjustment; the shares join the Common outstanding.")
        return _recorded(state, step, NO_EFFECT, cap.rights_exercised(c, e)[0])
    if e.ref and cap.sheltered(terms, c, e):
        # The shares were already counted as issuable in the fully diluted figure.
        step.clause = "§4(e)(i)"
        step.explain and step.say(f"§4(e)(i) issue of {count(e.shares)} shares on exercise or conversion of {e.ref}, already deemed "
                                  f"issued: no further adjustment.")
        return _recorded(state, step, NO_EFFECT, cap.grant_exercised(c, e))
    step.clause = "§4(d)"
    step.explain and step.say(f"Issue of {count(e.shares)} shares of Common Stock for {money(e.consideration)}.")
    if e.ref:
        step.explain and step.say(f"They are issued on {e.ref}, granted on or before the Issue Date: §4(e)(i)'s shelter covers "
                                  f"only grants deemed issued under §4(e), after the date hereof, so these are Additional "
                                  f"Shares issued now, at the consideration received (§4(f)); the Common outstanding grows, "
                                  f"the fully diluted count (which held the grant) does not.")
    return _price_move(terms, e, state, step, cap.pre_issue_exercised if e.ref else cap.issued, e.consideration)


def _grant(terms: Terms, ledger: Sequence[Event], i: int, e: Grant, state: State, step: _Step,
           histories: Histories | None) -> tuple[State, TrailRow | None]:
    cap.check_new_ref(state.capital, e)
    step.clause = "§4(e)"
    total = e.consideration + e.additional
    kind = "Convertible Securities" if e.convertible else "Options"
    step.explain and step.say(f"§4(e) {kind} {e.ref}: deemed issue of the maximum {count(e.shares)} shares at "
             f"({money(e.consideration)} + {money(e.additional)}) / {count(e.shares)} = {money(total / e.shares)} per share (§4(f)(ii)).")
    return _price_move(terms, e, state, step, cap.granted, total)


def _recompute(terms: Terms, ledger: Sequence[Event], i: int, e: Amend | Expire, state: State,
               step: _Step, histories: Histories) -> tuple[State, TrailRow | None]:
    """AMEND (§4(e)(ii)) or EXPIRE: recompute as if the grant's new terms had applied from its issue."""
    c = state.capital
    if isinstance(e, Expire) and e.ref in c.rights:
        after_capital, rights = cap.rights_expired(c, e)
        step.clause = "§4(g)(iv)"
        step.explain and step.say(f"The rights {e.ref} lapsed with {count(rights.shares - rights.issued)} shares unissued: "
                                  f"unexercised rights were never Common outstanding, so no count changes, and the price is "
                                  f"not adjusted upward (§4(g)(iv)).")
        return _recorded(state, step, NO_EFFECT, after_capital)
    current = cap.recompute_target(c, e)
    grant = current.grant
    step.clause = "§4(e)(ii)"
    new_grant = cap.replacement(current, e)
    if isinstance(e, Amend):
        step.explain and step.say(f"§4(e)(ii) amendment of {e.ref}: maximum {count(new_grant.shares)} shares, consideration "
                 f"{money(new_grant.consideration)} + {money(new_grant.additional)}, read in the grant's own units, without regard "
                 f"to its anti-dilution provisions (§4(e), §4(f)(ii)); the price is recomputed as if these "
                 f"terms had applied from {grant.date.isoformat()}.")
        if step.explain and e.shares is not None:
            _flag_split_units(ledger[:i], grant, e, step)
    else:
        # Reading: what was actually issued stays issued, at the grant's per-share consideration.
        step.explain and step.say(f"Expiry of {e.ref} with {count(grant.shares - current.issued)} shares unissued: recomputed as if only "
                 f"the {count(current.issued)} shares actually issued had been granted.")
    redone = histories.fold(histories.alternative(i, e.ref, new_grant))
    after_capital = cap.recomputed(c, redone.capital, current, new_grant, e)
    step.explain and step.say(f"Recomputed price {money(redone.calc_price)}.")
    nn, nd, xn, xd = rules.recomputed(_pairs(state), _pairs(redone))
    return _settle(terms, state, step, Fraction(nn, nd), Fraction(xn, xd), capital=after_capital, rounding=True)


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

def _treasury(terms: Terms, ledger: Sequence[Event], i: int, e: Treasury, state: State, step: _Step,
              histories: Histories | None) -> tuple[State, TrailRow | None]:
    step.clause = "§4(g)(i)"
    after_capital, before = cap.treasury(state.capital, e)
    step.explain and step.say(f"§4(g)(i) {count(e.shares)} shares held by the Company leave the outstanding count: "
             f"{count(shares_of(*before))} → {count(after_capital.outstanding)}; no price adjustment.")
    return _recorded(state, step, NO_EFFECT, after_capital)


def _merger(terms: Terms, ledger: Sequence[Event], i: int, e: Merger, state: State, step: _Step,
            histories: Histories | None) -> tuple[State, TrailRow | None]:
    step.clause = "§4(b)"
    step.explain and step.say(f"§4(b) merger: {count(e.new)} units of {e.successor} for every {count(e.old)} shares of {state.security}"
             + (f" plus {money(e.cash)} cash per share" if e.cash else "")
             + f"; shares × {count(e.new)}/{count(e.old)}, price per unit × {count(e.old)}/{count(e.new)} (aggregate price unchanged).")
    after = replace(_from_pairs(state, rules.merged(_pairs(state), *rules.ratio(e.new, e.old)),
                                cap.merged(state.capital, e.new / e.old)), security=e.successor,
                    cash_per_share=merger_cash(state.cash_per_share, e))
    step.explain and step.say("Later events are the successor's: state its Outstanding on their rows.")
    return after, step.row(APPLIED, after)


def merger_cash(cash: Fraction, e: Merger) -> Fraction:
    """§4(b): the cash per Warrant Share after a MERGER (the cash so far, and the MERGER's per Common share,
    per successor unit)."""
    ratio = e.new / e.old
    return (cash + e.cash) / ratio if e.cash else cash / ratio


def _exercise(terms: Terms, ledger: Sequence[Event], i: int, e: Exercise, state: State, step: _Step,
              histories: Histories | None) -> tuple[State, TrailRow | None]:
    step.clause = "§1(c)"
    after = _from_pairs(state, rules.exercised(_pairs(state), e.shares, e.row), cap.exercised_by_holder(state.capital, e))
    step.explain and step.say(f"§1(c) the holder exercised {count(e.shares)} Warrant Shares; a new warrant calls for the remaining "
             f"{count(after.shares)} (§1(c)(ii)).")
    return after, step.row(APPLIED, after)


def _other(terms: Terms, ledger: Sequence[Event], i: int, e: Other, state: State, step: _Step,
           histories: Histories | None) -> tuple[State, TrailRow | None]:
    step.clause = "§4(g)(ii)"
    step.explain and step.say(f"§4(g)(ii) the Board's equitable adjustment to {money(e.price)} ({e.note}).")
    return _settle(terms, state, step, e.price, state.calc_shares)


# engine.events.dispatch's table: each kind's step, called (terms, ledger, i, event, state, step, histories).
_STEPS = {"resize": _resize, "dividend": _dividend, "issue": _issue, "grant": _grant, "recompute": _recompute,
          "treasury": _treasury, "merger": _merger, "exercise": _exercise, "other": _other}
