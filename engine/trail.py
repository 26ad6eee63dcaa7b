"""The §4 trail, fast: the reference fold's rows and numbers on int pairs, each row made when read.

:func:`engine.adjust` answers through :func:`fast_fold`. It takes the same decisions,
event by event, as the reference fold (:func:`engine.ledger.fold`, the specification),
with four differences of cost only:

* the warrant's prices and share counts are ``int`` numerator/denominator pairs, kept in
  lowest terms, in a plain tuple per state (no ``Fraction`` per operation, no
  ``dataclasses.replace``); the company's counts go through :mod:`engine.capital`, the one
  set of share-count rules (which keeps them as pairs too);
* a §4(e)(ii) recomputation continues from the state after the prefix its alternative
  history shares with the ledger or an earlier recomputation
  (:class:`engine.ledger.Histories`, the reference fold's own), and where its state rejoins
  that fold's (:func:`_rejoined`) it takes that fold's later states;
* a row's prices and shares are read from the states before and after its event, and its
  explanation and flag rendered by the reference fold's own step applied to the state before
  it (:func:`engine.ledger.explain_step`), when first read: a price asked for reads no row,
  and the sentences are written once, in :mod:`engine.ledger`.

Why not the register's compiled program (:mod:`engine.register`): for one warrant its
compilation is the cost. The capital bookkeeping of every alternative history is the work,
whichever runner follows: measured on the benchmark's 20 fresh ledgers (CPU, median), compiling
the register's program took 2.5 ms and this whole trail 2.1 ms; the reference fold takes about
8 ms (``bench/bench_ledger.py``: ~12,800 warrant-events/s). This module does that bookkeeping
once per event and history, beside the price.

``tests/test_trail.py`` proves rows (sentences included), statuses, numbers and refusals
equal to the reference fold's with hypothesis; ``tests/test_trail_rejoin.py`` the rejoining, by hand.
"""
from __future__ import annotations

from fractions import Fraction
from functools import partial
from typing import Callable, Sequence

from . import capital as cap
from . import rules
from .capital import Capital
from .events import Amend, Event, Exercise, Expire, Grant, Issue, Merger, Other, Resize, StockDividend, Treasury, STEPS, dispatch
from .ledger import Histories, State, TrailRow, explain_step, merger_cash
from .rules import APPLIED, EXCLUDED, NO_EFFECT
from .terms import Terms

# A state is a tuple: engine.rules' 12 ints (price, shares, calculated price and shares, lowest,
# pending units, each an n, d pair), then 12 capital (engine.capital.Capital), 13 security,
# 14 cash_per_share (Fraction).
FastState = tuple


def initial(terms: Terms) -> FastState:
    return rules.start(terms.exercise_price, terms.warrant_shares) + (cap.initial(terms), terms.security, Fraction(0))


def to_state(s: FastState) -> State:
    """The reference fold's :class:`~engine.ledger.State` of a fast state."""
    return State(Fraction(s[0], s[1]), Fraction(s[2], s[3]), Fraction(s[4], s[5]), Fraction(s[6], s[7]),
                 Fraction(s[8], s[9]), Fraction(s[10], s[11]), s[13], s[12], s[14])


def fast_fold(terms: Terms, ledger: Sequence[Event]) -> tuple[FastState, list[TrailRow]]:
    """The reference fold's final state and trail (``fold(terms, ledger, explain=True)``), fast."""
    s = initial(terms)
    states = [s]
    histories = Histories(terms, ledger, states, initial, _history_step, _rejoined)
    rows: list[TrailRow] = []
    for i, e in enumerate(ledger):
        after, status, clause, redone = _step(terms, ledger, i, s, histories)
        states.append(after)
        rows.append(TrailRow.later(e, clause, status, s, after, partial(_explain, terms, ledger, i, s, redone)))
        s = after
    return s, rows


def _explain(terms: Terms, ledger: Sequence[Event], i: int, before: FastState,
             redone: FastState | None) -> tuple[str, str | None]:
    return explain_step(terms, ledger, i, to_state(before), None if redone is None else to_state(redone))


def _rejoined(a: FastState, b: FastState) -> bool:
    """Whether an alternative history's state ``a`` folds on as ``b`` does (engine.ledger.Histories): the same
    numbers and counts, the same grants and rights but for a grant's terms, which only an AMEND or
    EXPIRE reads, and a history has none."""
    return a[4] == b[4] and a[:12] == b[:12] and a[13:] == b[13:] and cap.rejoins(a[12], b[12])


def _history_step(terms: Terms, events: Sequence[Event], i: int, s: FastState) -> FastState:
    return _step(terms, events, i, s, None)[0]


# --------------------------------------------------------------------------- the step

def _with_capital(s: FastState, c: Capital) -> FastState:
    return s[:12] + (c, s[13], s[14])


def _made(s: FastState, settled: tuple[str, rules.State], c: Capital, clause: str,
          redone: FastState | None = None) -> tuple[FastState, str, str, FastState | None]:
    """A step's answer from :func:`engine.rules.settle`'s (status, numbers after) and the capital after."""
    status, after = settled
    return after + (c, s[13], s[14]), status, clause, redone


def _step(terms: Terms, ledger: Sequence[Event], i: int, s: FastState,
          histories: Histories | None) -> tuple[FastState, str, str, FastState | None]:
    """(state after, status, clause, recomputed state or None): the reference ``_apply`` on int pairs."""
    e = ledger[i]
    c = s[12]
    if cap.before_issue_date(terms, e.date):
        return _with_capital(s, cap.before_issue(c, e)), NO_EFFECT, "§4(e)", None     # §4(e): "after the date hereof"
    if e.outstanding is not None:
        c = cap.stated(c, e)[0]
    step = _BY_TYPE.get(type(e)) or dispatch(e, _STEPS)    # dispatch refuses an object of no event kind
    return step(terms, ledger, i, e, s, c, histories)


def _resize(terms: Terms, ledger: Sequence[Event], i: int, e: Resize, s: FastState, c: Capital,
            histories: Histories | None) -> tuple[FastState, str, str, None]:
    nn, nd, xn, xd, un, ud = rules.resized(s, *rules.ratio(e.new, e.old))
    settled = rules.settle(terms, s[:12], nn, nd, xn, xd, upward=ud < un, un=un, ud=ud, shares_by=(ud, un))  # ud < un: a combination
    return _made(s, settled, cap.resized(c, e), "§4(b)")


def _dividend(terms: Terms, ledger: Sequence[Event], i: int, e: StockDividend, s: FastState, c: Capital,
              histories: Histories | None) -> tuple[FastState, str, str, None]:
    after, before = cap.dividend(c, e)
    fn, fd = rules.dividend_factor(*before, e.shares)
    return _made(s, rules.settle(terms, s[:12], *rules.dividend(s, fn, fd), shares_by=(fd, fn)), after, "§4(c)")


def _treasury(terms: Terms, ledger: Sequence[Event], i: int, e: Treasury, s: FastState, c: Capital,
              histories: Histories | None) -> tuple[FastState, str, str, None]:
    return _with_capital(s, cap.treasury(c, e)[0]), NO_EFFECT, "§4(g)(i)", None


def _other(terms: Terms, ledger: Sequence[Event], i: int, e: Other, s: FastState, c: Capital,
           histories: Histories | None) -> tuple[FastState, str, str, None]:
    p = e.price                                                # §4(g)(ii) the Board's adjustment
    return _made(s, rules.settle(terms, s[:12], p.numerator, p.denominator, s[6], s[7]), c, "§4(g)(ii)")


def _issue(terms: Terms, ledger: Sequence[Event], i: int, e: Issue, s: FastState, c: Capital,
           histories: Histories | None) -> tuple[FastState, str, str, None]:
    if e.ref in c.rights:
        return _with_capital(s, cap.rights_exercised(c, e)[0]), NO_EFFECT, "§4(c)", None
    if e.ref and cap.sheltered(terms, c, e):
        return _with_capital(s, cap.grant_exercised(c, e)), NO_EFFECT, "§4(e)(i)", None
    return _moved(terms, e, s, c, cap.pre_issue_exercised if e.ref else cap.issued, None, "§4(d)")


def _grant(terms: Terms, ledger: Sequence[Event], i: int, e: Grant, s: FastState, c: Capital,
           histories: Histories | None) -> tuple[FastState, str, str, None]:
    cap.check_new_ref(c, e)
    # §4(f)(ii): consideration + additional consideration
    return _moved(terms, e, s, c, cap.granted, e.additional, "§4(e)")


def _moved(terms: Terms, e: Issue | Grant, s: FastState, c: Capital, record: Callable[[Capital, Event, tuple], Capital],
           more: Fraction | None, clause: str) -> tuple[FastState, str, str, None]:
    """§4(a) then §4(d) or the weighted average for an issue or grant of ``e.shares`` for its consideration
    (+ ``more``) in aggregate: the shares counted as Additional Shares (each at the issue's price per
    share), the capital after (``record``: engine.capital's bookkeeping of the event), the price move."""
    counted, management = cap.additional_shares(terms, e, c)
    after = record(c, e, management)
    if not counted:
        return _with_capital(s, after), EXCLUDED, clause, None
    tn, td = e.consideration.numerator, e.consideration.denominator
    if more:                                   # the sum as a pair: a Fraction only where a method needs it
        tn, td = tn * more.denominator + more.numerator * td, td * more.denominator
    q = (tn * e.shares.denominator, td * e.shares.numerator)     # the price a share (reduced only if it moves)
    cp = (s[4], s[5])
    if not rules.issue_moves(terms, cp, q):
        return _with_capital(s, after), NO_EFFECT, clause, None
    constants = None
    count = rules.needs_count(terms)
    if count is not None:
        a = cap.need(c.fully_diluted if count == "fully_diluted" else c.outstanding, count,
                     "a weighted-average adjustment", e)
        total = Fraction(tn, td)
        constants = rules.weighted(a, total if counted == e.shares else total * counted / e.shares, counted)
    return _made(s, rules.issued(terms, s[:12], rules.reduced(*q), constants, rules.pair(c.floor), e.row), after, clause)


def _recompute(terms: Terms, ledger: Sequence[Event], i: int, e: Amend | Expire, s: FastState, c: Capital,
               histories: Histories | None) -> tuple[FastState, str, str, FastState | None]:
    """AMEND (§4(e)(ii)) or EXPIRE: the price as if the grant's new terms had applied from its issue."""
    if isinstance(e, Expire) and e.ref in c.rights:
        return _with_capital(s, cap.rights_expired(c, e)[0]), NO_EFFECT, "§4(g)(iv)", None
    current = cap.recompute_target(c, e)
    new_grant = cap.replacement(current, e)
    assert histories is not None, "an alternative history holds no AMEND or EXPIRE"
    redone = histories.fold(histories.alternative(i, e.ref, new_grant))
    after = cap.recomputed(c, redone[12], current, new_grant, e)
    return _made(s, rules.settle(terms, s[:12], *rules.recomputed(s, redone), rounding=True), after, "§4(e)(ii)", redone)


def _merger(terms: Terms, ledger: Sequence[Event], i: int, e: Merger, s: FastState, c: Capital,
            histories: Histories | None) -> tuple[FastState, str, str, None]:
    """§4(b) merger: shares × new/old, every price × old/new; the successor's counts start unknown."""
    after = rules.merged(s, *rules.ratio(e.new, e.old)) + (cap.merged(c, e.new / e.old), e.successor, merger_cash(s[14], e))
    return after, APPLIED, "§4(b)", None


def _exercise(terms: Terms, ledger: Sequence[Event], i: int, e: Exercise, s: FastState, c: Capital,
              histories: Histories | None) -> tuple[FastState, str, str, None]:
    after = rules.exercised(s, e.shares, e.row) + (cap.exercised_by_holder(c, e), s[13], s[14])
    return after, APPLIED, "§1(c)", None


# engine.events.dispatch's table: each kind's step, called (terms, ledger, i, event, state, capital, histories).
_STEPS = {"resize": _resize, "dividend": _dividend, "issue": _issue, "grant": _grant, "recompute": _recompute,
          "treasury": _treasury, "merger": _merger, "exercise": _exercise, "other": _other}
_BY_TYPE = {kind: _STEPS[name] for kind, name in STEPS.items()}    # _step's table by event class
