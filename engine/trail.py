"""The §4 trail, fast: the reference fold's rows and numbers on int pairs, its sentences rendered when read.

:func:`engine.adjust` answers through :func:`fast_fold`. It takes the same decisions,
event by event, as the reference fold (:func:`engine.ledger.fold`, the specification),
with three differences of cost only:

* the warrant's prices and share counts are ``int`` numerator/denominator pairs, kept in
  lowest terms, in a plain tuple per state (no ``Fraction`` per operation, no
  ``dataclasses.replace``); the company's counts go through :mod:`engine.capital`, the one
  set of share-count rules (an ``int`` while whole);
* a §4(e)(ii) recomputation continues from the state after the prefix its alternative
  history shares with the ledger or an earlier recomputation
  (:class:`engine.ledger.Histories`, the reference fold's own);
* a row's explanation and flag are rendered when first read, by the reference fold's own
  step applied to the state before the event (:func:`engine.ledger.explain_step`), so the
  sentences are written once, in :mod:`engine.ledger`.

Why not the register's compiled program (:mod:`engine.register`): for one warrant its
compilation is the cost. The capital bookkeeping of every alternative history is the work,
whichever runner follows: measured on the benchmark ledger (CPU, median of 5 fresh ledgers),
compiling took 5.1 ms and compiling with its lowering 6.2 ms, this whole trail 5.3 ms, the
reference fold 15 ms. This module does that bookkeeping once per event and history, beside
the price.

``tests/test_trail.py`` proves rows (sentences included), statuses, numbers and refusals
equal to the reference fold's with hypothesis.
"""
from __future__ import annotations

from fractions import Fraction
from functools import partial
from math import gcd
from typing import Sequence

from . import capital as cap
from .capital import Capital
from .events import (Amend, Event, Exercise, Expire, Grant, Issue, Merger, Other, Resize, StockDividend, Treasury,
                     amended_terms, expired_terms)
from .ledger import (APPLIED, BLOCKED_UPWARD, CARRIED_FORWARD, EXCLUDED, NO_EFFECT, Histories, State, TrailRow,
                     explain_step)
from .numbers import coprime, round_to_increment
from .terms import BROAD_WEIGHTED_AVERAGE, FULL_RATCHET, KEEP_AGGREGATE, Terms

# A state is a tuple: the reference State's fields with each number an (n, d) int pair.
#   0,1 price   2,3 shares   4,5 calc_price   6,7 calc_shares   8,9 lowest   10,11 pending_units
#   12 capital (engine.capital.Capital)   13 security   14 cash_per_share (Fraction)
FastState = tuple


def initial(terms: Terms) -> FastState:
    p, s = terms.exercise_price, terms.warrant_shares
    pn, pd, sn, sd = p.numerator, p.denominator, s.numerator, s.denominator
    return (pn, pd, sn, sd, pn, pd, sn, sd, pn, pd, 1, 1, cap.initial(terms), terms.security, Fraction(0))


def to_state(s: FastState) -> State:
    """The reference fold's :class:`~engine.ledger.State` of a fast state."""
    return State(coprime(s[0], s[1]), coprime(s[2], s[3]), coprime(s[4], s[5]), coprime(s[6], s[7]),
                 coprime(s[8], s[9]), coprime(s[10], s[11]), s[13], s[12], s[14])


def shown_price(s: FastState) -> tuple[int, int]:
    """min(lowest, price): the price a row shows and §4(h) returns."""
    return (s[8], s[9]) if s[8] * s[1] <= s[0] * s[9] else (s[0], s[1])


def fast_fold(terms: Terms, ledger: Sequence[Event]) -> tuple[FastState, list[TrailRow]]:
    """The reference fold's final state and trail (``fold(terms, ledger, explain=True)``), fast."""
    s = initial(terms)
    states = [s]
    histories = Histories(terms, ledger, states, initial, _history_step)
    rows: list[TrailRow] = []
    price = coprime(*shown_price(s))
    shares = coprime(s[2], s[3])
    for i, e in enumerate(ledger):
        after, status, clause, redone = _step(terms, ledger, i, s, histories)
        states.append(after)
        new_price, new_shares = price, shares
        pair = shown_price(after)
        if pair[0] != new_price.numerator or pair[1] != new_price.denominator:
            new_price = coprime(*pair)
        if after[2] != shares.numerator or after[3] != shares.denominator:
            new_shares = coprime(after[2], after[3])
        rows.append(TrailRow(e.date, e.kind, clause, status, price, new_price, shares, new_shares, row=e.row,
                             render=partial(_explain, terms, ledger, i, s, redone)))
        s, price, shares = after, new_price, new_shares
    return s, rows


def _explain(terms: Terms, ledger: Sequence[Event], i: int, before: FastState,
             redone: FastState | None) -> tuple[str, str | None]:
    return explain_step(terms, ledger, i, to_state(before), None if redone is None else to_state(redone))


def _history_step(terms: Terms, events: Sequence[Event], i: int, s: FastState) -> FastState:
    return _step(terms, events, i, s, None)[0]


# --------------------------------------------------------------------------- the step

def _reduced(n: int, d: int) -> tuple[int, int]:
    g = gcd(n, d)
    return (n // g, d // g) if g != 1 else (n, d)


def _with_capital(s: FastState, c: Capital) -> FastState:
    return s[:12] + (c,) + s[13:]


def _step(terms: Terms, ledger: Sequence[Event], i: int, s: FastState,
          histories: Histories | None) -> tuple[FastState, str, str, FastState | None]:
    """(state after, status, clause, recomputed state or None): the reference ``_apply`` on int pairs."""
    e = ledger[i]
    c = s[12]
    if e.date < terms.issue_date:
        return _with_capital(s, cap.before_issue(c, e)), NO_EFFECT, "§4(e)", None     # §4(e): "after the date hereof"
    if e.outstanding is not None:
        c = cap.stated(c, e)[0]
    kind = _KINDS.get(type(e))
    if kind is None:
        raise cap.unsupported(e)
    return kind(terms, ledger, i, e, s, c, histories)


def _resize(terms: Terms, ledger: Sequence[Event], i: int, e: Resize, s: FastState, c: Capital,
            histories: Histories | None) -> tuple[FastState, str, str, None]:
    """§4(b): price × old/new, shares × new/old; a combination may raise the price."""
    new, old = e.new, e.old
    rn, rd = _reduced(new.numerator * old.denominator, new.denominator * old.numerator)
    nn, nd = _reduced(s[4] * rd, s[5] * rn)
    xn, xd = _reduced(s[6] * rn, s[7] * rd)
    return _settle(terms, s, nn, nd, xn, xd, cap.resized(c, e), upward=rn < rd, un=rd, ud=rn) + ("§4(b)", None)


def _dividend(terms: Terms, ledger: Sequence[Event], i: int, e: StockDividend, s: FastState, c: Capital,
              histories: Histories | None) -> tuple[FastState, str, str, None]:
    """§4(c): price × before/total, shares × total/before (rights counted at their maximum)."""
    after, before = cap.dividend(c, e)
    total = before + e.shares
    fn, fd = _reduced(before.numerator * total.denominator, before.denominator * total.numerator)
    nn, nd = _reduced(s[4] * fn, s[5] * fd)
    xn, xd = _reduced(s[6] * fd, s[7] * fn)
    return _settle(terms, s, nn, nd, xn, xd, after) + ("§4(c)", None)


def _treasury(terms: Terms, ledger: Sequence[Event], i: int, e: Treasury, s: FastState, c: Capital,
              histories: Histories | None) -> tuple[FastState, str, str, None]:
    return _with_capital(s, cap.treasury(c, e)[0]), NO_EFFECT, "§4(g)(i)", None


def _other(terms: Terms, ledger: Sequence[Event], i: int, e: Other, s: FastState, c: Capital,
           histories: Histories | None) -> tuple[FastState, str, str, None]:
    p = e.price                                                # §4(g)(ii) the Board's adjustment
    return _settle(terms, s, p.numerator, p.denominator, s[6], s[7], c) + ("§4(g)(ii)", None)


def _settle(terms: Terms, s: FastState, nn: int, nd: int, xn: int, xd: int, c: Capital, *, upward: bool = False,
            un: int = 1, ud: int = 1, rounding: bool = False) -> tuple[FastState, str]:
    """The reference ``_settle``: make, carry forward (§4(g)(iii)) or block (§4(g)(iv)) a calculated change."""
    pn, pd, sn, sd, cpn, cpd, csn, csd, ln, ld, en, ed, _, security, cash = s
    if not upward and nn * cpd > cpn * nd:
        # §4(g)(iv): never adjusted upward except by a combination.
        return (pn, pd, sn, sd, cpn, cpd, csn, csd, ln, ld, en, ed, c, security, cash), BLOCKED_UPWARD
    if un != 1 or ud != 1:
        en, ed = _reduced(en * un, ed * ud)
    if nn * cpd == cpn * nd and xn * csd == csn * xd:
        return (pn, pd, sn, sd, cpn, cpd, csn, csd, ln, ld, en, ed, c, security, cash), NO_EFFECT
    m = terms.minimum_adjustment
    if abs(nn * pd - pn * nd) * m.denominator < m.numerator * pn * nd:
        # §4(g)(iii): under the Minimum Adjustment of the price in effect: carried forward.
        return (pn, pd, sn, sd, nn, nd, xn, xd, ln, ld, en, ed, c, security, cash), CARRIED_FORWARD
    if rounding and terms.price_increment is not None:
        made = round_to_increment(Fraction(nn, nd), terms.price_increment, terms.price_rounding)
        nn, nd = made.numerator, made.denominator
        if not upward and nn * pd > pn * nd:
            nn, nd = pn, pd                                   # §4(g)(iv): rounding may not raise the price either
    ln, ld = _reduced(ln * en, ld * ed)                       # §4(h): the lowest so far, in today's units
    if nn * ld < ln * nd:
        ln, ld = nn, nd
    return (nn, nd, xn, xd, nn, nd, xn, xd, ln, ld, 1, 1, c, security, cash), APPLIED


def _issue(terms: Terms, ledger: Sequence[Event], i: int, e: Issue, s: FastState, c: Capital,
           histories: Histories | None) -> tuple[FastState, str, str, None]:
    if e.ref in c.rights:
        return _with_capital(s, cap.rights_exercised(c, e)[0]), NO_EFFECT, "§4(c)", None
    if e.ref:
        return _with_capital(s, cap.grant_exercised(c, e)), NO_EFFECT, "§4(e)(i)", None
    counted, management = cap.additional_shares(terms, e, c)
    after = cap.issued(c, e, management)
    if not counted:
        return _with_capital(s, after), EXCLUDED, "§4(d)", None
    k = e.consideration
    return _moved(terms, e, s, c, after, k.numerator, k.denominator, counted) + ("§4(d)", None)


def _grant(terms: Terms, ledger: Sequence[Event], i: int, e: Grant, s: FastState, c: Capital,
           histories: Histories | None) -> tuple[FastState, str, str, None]:
    cap.check_new_ref(c, e)
    counted, management = cap.additional_shares(terms, e, c)
    after = cap.granted(c, e, management)
    if not counted:
        return _with_capital(s, after), EXCLUDED, "§4(e)", None
    k, a = e.consideration, e.additional                       # §4(f)(ii): consideration + additional consideration
    return _moved(terms, e, s, c, after, k.numerator * a.denominator + a.numerator * k.denominator,
                  k.denominator * a.denominator, counted) + ("§4(e)", None)


def _moved(terms: Terms, e: Issue | Grant, s: FastState, c: Capital, after: Capital, tn: int, td: int,
           counted: Fraction) -> tuple[FastState, str]:
    """The reference ``_price_move`` and ``_settle``: §4(d) or the weighted average, for an issue or grant of
    ``e.shares`` for ``tn/td`` in aggregate, of which ``counted`` shares are Additional Shares."""
    cpn, cpd, csn, csd = s[4], s[5], s[6], s[7]
    sh = e.shares
    qn, qd = tn * sh.denominator, td * sh.numerator          # the price per share: total / shares
    method = terms.anti_dilution
    if method == "NONE" or qn * cpd >= cpn * qd:
        # §4(d): not less than the price otherwise applicable (or no adjustment in the terms): what
        # _settle makes of an unchanged calculated price and count.
        return _with_capital(s, after), NO_EFFECT
    if method == FULL_RATCHET:
        nn, nd = _reduced(qn, qd)
    else:
        broad = method == BROAD_WEIGHTED_AVERAGE
        a = cap.need(c.fully_diluted if broad else c.outstanding, "fully_diluted" if broad else "outstanding",
                     "a weighted-average adjustment", e)
        # CP2 = CP1 × (A + B) / (A + C), B = K / CP1, K = total × counted / shares:
        # (CP1 × A + K) / (A + C) exactly (CP1 > 0 here).
        an, ad = a.numerator, a.denominator
        cn, cd = counted.numerator, counted.denominator
        kn, kd = tn * cn * sh.denominator, td * cd * sh.numerator
        nn, nd = _reduced((cpn * an * kd + kn * cpd * ad) * ad * cd, cpd * ad * kd * (an * cd + cn * ad))
    floor = c.floor
    if floor is not None and nn * floor.denominator < floor.numerator * nd:
        nn, nd = floor.numerator, floor.denominator           # the terms' Price Floor, in today's shares
    if terms.share_adjustment == KEEP_AGGREGATE and nn * cpd != cpn * nd:
        if nn == 0:
            raise cap.zero_price(e.row)
        csn, csd = _reduced(csn * cpn * nd, csd * cpd * nn)   # shares × CP1 / CP2
    return _settle(terms, s, nn, nd, csn, csd, after, rounding=True)


def _recompute(terms: Terms, ledger: Sequence[Event], i: int, e: Amend | Expire, s: FastState, c: Capital,
               histories: Histories | None) -> tuple[FastState, str, str, FastState | None]:
    """AMEND (§4(e)(ii)) or EXPIRE: the price as if the grant's new terms had applied from its issue."""
    if isinstance(e, Expire) and e.ref in c.rights:
        return _with_capital(s, cap.rights_expired(c, e)[0]), NO_EFFECT, "§4(g)(iv)", None
    current = cap.recompute_target(c, e)
    grant = current.grant
    if isinstance(e, Amend):
        new_grant = amended_terms(grant, e)
        if new_grant.shares < current.issued:
            raise cap.amend_below_issued(e.shares, current.issued, e.ref, e.row)
    else:
        new_grant = expired_terms(grant, current.issued)
    assert histories is not None, "an alternative history holds no AMEND or EXPIRE"
    redone = histories.fold(histories.alternative(i, e.ref, new_grant))
    r = redone[12]
    grants = {**c.grants, e.ref: cap.GrantState(new_grant or grant, current.issued,
                                                e.date if isinstance(e, Expire) else None)}
    after = Capital(r.outstanding, r.fully_diluted, r.management, grants, c.rights, r.floor)
    nn, nd = redone[4], redone[5]
    xn, xd = (redone[6], redone[7]) if nn * s[5] != s[4] * nd else (s[6], s[7])
    return _settle(terms, s, nn, nd, xn, xd, after, rounding=True) + ("§4(e)(ii)", redone)


def _merger(terms: Terms, ledger: Sequence[Event], i: int, e: Merger, s: FastState, c: Capital,
            histories: Histories | None) -> tuple[FastState, str, str, None]:
    """§4(b) merger: shares × new/old, every price × old/new; the successor's counts start unknown."""
    ratio = e.new / e.old
    rn, rd = ratio.numerator, ratio.denominator
    cash = s[14] / ratio
    if e.cash:
        cash += e.cash / ratio
    pn, pd = _reduced(s[0] * rd, s[1] * rn)
    sn, sd = _reduced(s[2] * rn, s[3] * rd)
    cpn, cpd = _reduced(s[4] * rd, s[5] * rn)
    csn, csd = _reduced(s[6] * rn, s[7] * rd)
    ln, ld = _reduced(s[8] * rd, s[9] * rn)
    after = (pn, pd, sn, sd, cpn, cpd, csn, csd, ln, ld, s[10], s[11], cap.merged(c, ratio), e.successor, cash)
    return after, APPLIED, "§4(b)", None


def _exercise(terms: Terms, ledger: Sequence[Event], i: int, e: Exercise, s: FastState, c: Capital,
              histories: Histories | None) -> tuple[FastState, str, str, None]:
    """§1(c): the holder's exercise; the calculated count keeps its proportion to the count in effect."""
    sn, sd = s[2], s[3]
    x = e.shares
    xn, xd = x.numerator, x.denominator
    if xn * sd > sn * xd:
        raise cap.exercise_exceeds(x, Fraction(sn, sd), e.row)
    rest = sn * xd - xn * sd                                  # (shares - x) × sd × xd
    csn, csd = _reduced(s[6] * rest, s[7] * xd * sn)           # calc_shares × (shares - x) / shares
    rn, rd = _reduced(rest, sd * xd)
    after = (s[0], s[1], rn, rd, s[4], s[5], csn, csd) + s[8:12] + (cap.exercised_by_holder(c, e), s[13], s[14])
    return after, APPLIED, "§1(c)", None


# The step of each event kind (the parser makes only these).
_KINDS = {Issue: _issue, Grant: _grant, Resize: _resize, StockDividend: _dividend, Amend: _recompute,
          Expire: _recompute, Treasury: _treasury, Merger: _merger, Exercise: _exercise, Other: _other}
