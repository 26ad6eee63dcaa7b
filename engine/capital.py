"""The company's capital as §4 counts it, and the refusals it speaks: one set of rules for both paths.

The reference fold (:mod:`engine.ledger`) and the register's compiler
(:mod:`engine.register`) keep the same bookkeeping — Common outstanding, fully
diluted, the §4(a)(i)(A) management aggregate, the grants (§4(e)) and rights
(§4(c)) by Ref, the Price Floor in today's shares — through the functions here,
and refuse a ledger with the same messages. Each function takes a
:class:`Capital` and an event and returns the new :class:`Capital` (or raises a
:class:`~engine.errors.WarrantError` naming the row); neither path writes a count
itself. Readings: docs/interpretations.md ("Outstanding and fully diluted counts",
"Issue 8: §4 readings").
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from fractions import Fraction
from bisect import bisect_right
from math import gcd
from typing import Callable, Mapping, Sequence

from . import errors
from .events import Event, Grant, Issue, Resize, StockDividend, amended_terms, expired_terms
from .numbers import count, pair, pct, share_count, shares_of
from .terms import PRE_ISSUE_EXCLUDED, Terms

ZERO = Fraction(0)


@dataclass(frozen=True, slots=True)
class GrantState:
    """An OPTIONS/CONVERTIBLE grant under its Ref: its terms as amended so far (§4(e)(ii))."""
    grant: Grant
    issued: Fraction = ZERO         # shares already issued on its exercise or conversion (§4(e)(i))
    expired: date | None = None
    before_issue: bool = False      # granted on or before the Issue Date: not deemed issued under §4(e)


@dataclass(frozen=True, slots=True)
class RightsState:
    """Rights paid as a dividend under its Ref, deemed a stock dividend of ``shares`` (§4(c))."""
    shares: Fraction
    issued: Fraction = ZERO         # shares issued on their exercise so far
    expired: date | None = None


Pair = tuple       # a count as (numerator, denominator), ints in lowest terms, denominator > 0


@dataclass(frozen=True, slots=True)
class Capital:
    """The counts are kept as :data:`Pair` s (a split makes them fractional, and a ``Fraction`` per
    update is most of a ledger's bookkeeping) and read as numbers through the properties below."""
    common: Pair | None             # Common outstanding (None = unknown until a row states it)
    diluted: Pair | None            # fully diluted
    managed: Pair                   # Management Securities so far (§4(a)(i)(A))
    grants: Mapping[str, GrantState]
    rights: Mapping[str, RightsState]
    floor: Fraction | None          # the terms' Price Floor restated into today's shares (None = none)

    def __init__(self, common: Pair | None, diluted: Pair | None, managed: Pair, grants: Mapping[str, GrantState],
                 rights: Mapping[str, RightsState], floor: Fraction | None) -> None:
        # The frozen dataclass's own __init__ sets each field through object.__setattr__; the slots'
        # own setters take half the time, and a Capital is made for nearly every event of every history.
        _set_common(self, common)
        _set_diluted(self, diluted)
        _set_managed(self, managed)
        _set_grants(self, grants)
        _set_rights(self, rights)
        _set_floor(self, floor)

    # The counts as numbers (engine.numbers.share_count: an int when whole; None: unknown).
    outstanding = property(lambda self: _number(self.common))
    fully_diluted = property(lambda self: _number(self.diluted))
    management = property(lambda self: _number(self.managed))

    def counts(self, common: Pair | None, diluted: Pair | None) -> Capital:
        """The same capital with new counts (a constructor call: ``dataclasses.replace`` costs twice as much)."""
        return Capital(common, diluted, self.managed, self.grants, self.rights, self.floor)


_set_common, _set_diluted, _set_managed, _set_grants, _set_rights, _set_floor = (
    Capital.__dict__[f.name].__set__ for f in fields(Capital))


def initial(terms: Terms) -> Capital:
    """The counts the terms give for the Issue Date."""
    return Capital(pair(terms.common_outstanding), pair(terms.fully_diluted), (0, 1), {}, {}, terms.price_floor)


# --------------------------------------------------------------------------- small helpers

def check_as_of(terms: Terms, day: date) -> None:
    """A price or share count exists only from the Issue Date on."""
    if day < terms.issue_date:
        raise errors.as_of_before_issue(day, terms.issue_date)


def before_issue_date(terms: Terms, day: date) -> bool:
    """Whether an event of ``day`` comes before the warrant: §4(a)(i) counts shares "issued ... after
    the first date of issuance of this Performance Warrant (the 'Original Issue Date')", §4(e)
    deems issues "after the date hereof". An event dated on the Issue Date is not an adjustment
    either: the terms' Common Outstanding and Fully Diluted are the counts at the end of that day
    (docs/interpretations.md, "Events on or before the Issue Date")."""
    return day <= terms.issue_date


def events_before_issue(dates: Sequence[date], issue_date: date) -> int:
    """How many events of a sorted ledger (their ``dates``) :func:`before_issue_date` leaves out."""
    return bisect_right(dates, issue_date)


def _number(p: Pair | None) -> Fraction | int | None:
    return None if p is None else shares_of(*p)


def plus(p: Pair | None, delta: Fraction | int) -> Pair | None:
    """The count ``p`` plus ``delta`` shares (None: still unknown)."""
    if p is None:
        return None
    n, d = p
    dn, dd = delta.numerator, delta.denominator
    if dd == 1:
        return n + dn * d, d                         # n/d + k: still in lowest terms
    n, d = n * dd + dn * d, d * dd
    g = gcd(n, d)
    return (n // g, d // g) if g != 1 else (n, d)


def need(value: Fraction | None, what: str, purpose: str, event: Event) -> Fraction:
    """A count a rule cannot do without, else the refusal that says how to give it."""
    if value is None:
        raise errors.unknown_count(what, purpose, event.row)
    return value


# --------------------------------------------------------------------------- the rules

def stated(c: Capital, e: Event) -> tuple[Capital, Fraction | None]:
    """A stated Outstanding wins; returns the carried count it replaced when the two disagree."""
    if e.outstanding is None:
        return c, None
    carried, fd, now = c.common, c.diluted, pair(e.outstanding)
    if carried is None or carried == now:
        return c.counts(now, fd), None
    carried = shares_of(*carried)
    if fd is not None:
        fd = pair(shares_of(*fd) + (e.outstanding - carried))   # the fully diluted count moves by the same difference
    return c.counts(now, fd), carried


def before_issue(c: Capital, e: Event) -> Capital:
    """An event before the Issue Date adjusts nothing; a grant or rights dividend is still recorded by Ref."""
    if isinstance(e, Grant):
        check_new_ref(c, e)
        return replace(c, grants={**c.grants, e.ref: GrantState(e, before_issue=True)})
    if isinstance(e, StockDividend) and e.ref:
        check_new_ref(c, e)
        return replace(c, rights={**c.rights, e.ref: RightsState(e.shares)})
    return c


def rejoins(c: Capital, d: Capital) -> bool:
    """Whether a history's capital ``c`` makes the same rest of a fold of the same events as ``d``: the
    same counts, floor and rights, the same grants but for a grant's terms, which only an AMEND or
    EXPIRE reads (:func:`recompute_target`, :func:`replacement`), and an alternative history has none."""
    return (c.common == d.common and c.diluted == d.diluted and c.managed == d.managed and c.floor == d.floor
            and c.rights == d.rights and c.grants.keys() == d.grants.keys()
            and all((g.issued, g.expired, g.before_issue) == (h.issued, h.expired, h.before_issue)
                    for g, h in zip(c.grants.values(), (d.grants[ref] for ref in c.grants))))


def check_new_ref(c: Capital, e: Grant | StockDividend) -> None:
    if e.ref in c.grants or e.ref in c.rights:
        raise errors.ref_used(e.ref, e.row)


def resized(c: Capital, e: Resize) -> Capital:
    """§4(b): every count scales by the ratio new/old; the floor, a price, by its inverse."""
    new, old = e.new, e.old
    rn, rd = new.numerator * old.denominator, new.denominator * old.numerator
    floor = c.floor
    return Capital(_times(c.common, rn, rd), _times(c.diluted, rn, rd), _times(c.managed, rn, rd),
                   c.grants, c.rights, None if floor is None else Fraction(floor.numerator * rd, floor.denominator * rn))


def _times(p: Pair | None, rn: int, rd: int) -> Pair | None:
    """The count ``p`` × rn/rd: a split scales every count."""
    if p is None:
        return None
    n, d = p[0] * rn, p[1] * rd
    g = gcd(n, d)
    return (n // g, d // g) if g != 1 else (n, d)


def merged(c: Capital, ratio: Fraction) -> Capital:
    """§4(b) merger: the successor's counts are unknown until a row states them; grants and rights end."""
    return Capital(None, None, (0, 1), {}, {}, None if c.floor is None else c.floor / ratio)   # the floor, a price


def dividend(c: Capital, e: StockDividend) -> tuple[Capital, Pair]:
    """§4(c): (capital after, Common outstanding immediately before as a pair). Rights are not outstanding."""
    p = need(c.common, "outstanding", "a §4(c) stock dividend", e)
    if p[0] == 0:
        raise errors.outstanding_not_positive(0, e.row)
    if not e.rights:
        return c.counts(plus(p, e.shares), plus(c.diluted, e.shares)), p
    if e.ref:
        check_new_ref(c, e)
        return replace(c, diluted=plus(c.diluted, e.shares), rights={**c.rights, e.ref: RightsState(e.shares)}), p
    return c.counts(p, plus(c.diluted, e.shares)), p


def treasury(c: Capital, e: Event) -> tuple[Capital, Pair]:
    """§4(g)(i): (capital after, outstanding before as a pair); the shares leave both counts."""
    p = need(c.common, "outstanding", "§4(g)(i) treasury shares", e)
    if e.shares.numerator * p[1] > p[0] * e.shares.denominator:
        raise errors.treasury_exceeds(e.shares, count(shares_of(*p)), e.row)
    return c.counts(plus(p, -e.shares), plus(c.diluted, -e.shares)), p


def exercised_by_holder(c: Capital, e: Event) -> Capital:
    """§1(c): the holder's own Warrant Shares join the outstanding count."""
    return c.counts(plus(c.common, e.shares), c.diluted)


def rights_exercised(c: Capital, e: Issue) -> tuple[Capital, Fraction]:
    """§4(c): an ISSUE naming rights adds to the outstanding count only; (capital after, shares left before)."""
    r = c.rights[e.ref]
    if r.expired is not None:
        raise errors.expired(e.ref, r.expired, e.row)
    left = r.shares - r.issued
    if e.shares > left:
        raise errors.rights_exceeded(e.shares, count(left), e.ref, e.row)
    return replace(c, common=plus(c.common, e.shares),
                   rights={**c.rights, e.ref: replace(r, issued=r.issued + e.shares)}), left


def rights_expired(c: Capital, e: Event) -> tuple[Capital, RightsState]:
    """§4(c), §4(g)(iv): the rights lapse; no count changes."""
    r = c.rights[e.ref]
    if r.expired is not None:
        raise errors.expired(e.ref, r.expired, e.row)
    return replace(c, rights={**c.rights, e.ref: replace(r, expired=e.date)}), r


def grant_exercised(c: Capital, e: Issue) -> Capital:
    """§4(e)(i): an ISSUE naming a grant; the shares were already in the fully diluted count."""
    g = c.grants.get(e.ref)
    if g is None:
        raise errors.no_grant(e.ref, None, e.row)
    if g.expired is not None:
        raise errors.expired(e.ref, g.expired, e.row)
    return Capital(plus(c.common, e.shares), c.diluted, c.managed,
                   {**c.grants, e.ref: replace(g, issued=g.issued + e.shares)}, c.rights, c.floor)


def sheltered(terms: Terms, c: Capital, e: Issue) -> bool:
    """Whether an ISSUE naming a grant is §4(e)(i)'s "no further adjustments ... upon the exercise of
    such Options": the shelter covers Options and Convertible Securities deemed issued under §4(e),
    that is granted after the date hereof. Shares issued on a grant made on or before the Issue Date
    are Additional Shares issued then (issue 18), unless the terms' Pre-Issue Grants is EXCLUDED
    (a warrant whose own text shelters grants outstanding at issuance). A Ref naming no grant is
    left to :func:`grant_exercised`'s refusal."""
    g = c.grants.get(e.ref)
    return g is None or not g.before_issue or terms.pre_issue_grants == PRE_ISSUE_EXCLUDED


def pre_issue_exercised(c: Capital, e: Issue, management: Pair) -> Capital:
    """An ISSUE on a grant made before the Issue Date: the shares join the Common outstanding (they were
    already in the terms' fully diluted count), the grant records them, the management aggregate moves
    (``management``: :func:`additional_shares`'s)."""
    return replace(grant_exercised(c, e), managed=management)


def issued(c: Capital, e: Issue, management: Pair) -> Capital:
    """§4(d): a new issue adds to both counts."""
    return Capital(plus(c.common, e.shares), plus(c.diluted, e.shares), management, c.grants, c.rights, c.floor)


def granted(c: Capital, e: Grant, management: Pair) -> Capital:
    """§4(e): the maximum shares join the fully diluted count; the grant is recorded under its Ref.

    The caller has checked the Ref first (:func:`check_new_ref`), before the §4(a) exclusions.
    """
    return Capital(c.common, plus(c.diluted, e.shares), management, {**c.grants, e.ref: GrantState(e)},
                   c.rights, c.floor)


def recompute_target(c: Capital, e: Event) -> GrantState:
    """The grant an AMEND or EXPIRE recomputes (§4(e)(ii)); rights are the caller's other branch."""
    if e.ref in c.rights:
        raise errors.amend_names_rights(e.ref, e.row)
    g = c.grants.get(e.ref)
    if g is None:
        raise errors.no_grant(e.ref, e.kind, e.row)
    if g.expired is not None:
        raise errors.expired(e.ref, g.expired, e.row)
    return g


def replacement(current: GrantState, e: Event) -> Grant | None:
    """§4(e)(ii): the terms a recomputation folds the grant ``current`` with: as an AMEND amends them
    (refused below the shares already issued under it), or, on its EXPIRE, only the shares actually
    issued at the grant's per-share consideration (None: none were)."""
    if e.kind == "AMEND":
        new = amended_terms(current.grant, e)
        if new.shares < current.issued:
            raise errors.amend_below_issued(e.shares, count(current.issued), e.ref, e.row)
        return new
    return expired_terms(current.grant, current.issued)


def recomputed(c: Capital, redone: Capital, current: GrantState, new_grant: Grant | None, e: Event) -> Capital:
    """§4(e)(ii): the capital after an AMEND or EXPIRE of the grant ``current``: the counts and floor of its
    recomputed history ``redone``, the grant's terms as replaced (:func:`replacement`; an EXPIRE that
    leaves none keeps them) and its expiry, the rights as they were."""
    grants = {**c.grants, e.ref: GrantState(new_grant or current.grant, current.issued,
                                            e.date if e.kind == "EXPIRE" else None, current.before_issue)}
    return Capital(redone.common, redone.diluted, redone.managed, grants, c.rights, redone.floor)


def additional_shares(terms: Terms, e: Issue | Grant, c: Capital,
                      say: Callable[[str], None] | None = None) -> tuple[Fraction, Pair]:
    """:func:`counted_shares` of an issue or grant on ``c``, the management aggregate after it as the
    :class:`Capital` keeps it: the counts are read only for a MANAGEMENT row, the one rule that needs
    them (§4(a)(i)(A))."""
    if e.category != "MANAGEMENT":
        return counted_shares(terms, e, None, None, say)[0], c.managed
    counted, management = counted_shares(terms, e, c.management, _number(plus(c.diluted, e.shares)), say)
    return counted, pair(management)


def counted_shares(terms: Terms, e: Issue | Grant, management: Fraction, fd_after: Fraction | None,
                   say: Callable[[str], None] | None = None) -> tuple[Fraction, Fraction]:
    """(shares counted as Additional Shares, management aggregate after) under §4(a)(i)'s exclusions.

    ``say`` receives the trail's sentences (the reference fold passes it; the compiler does not).
    """
    if e.category == "EXCLUDED":
        say and say("Excluded: not an Additional Share of Common Stock or Option (§4(a)(iii)-(iv)).")
        return ZERO, management
    if e.category == "SERIES_D":
        if terms.series_d_cutoff is not None and e.date <= terms.series_d_cutoff:
            say and say(f"Excluded: arises from the Series D closing on {e.date.isoformat()}, on or before "
                        f"{terms.series_d_cutoff.isoformat()} (§4(a)(i)(B)).")
            return ZERO, management
        cutoff = terms.series_d_cutoff.isoformat() if terms.series_d_cutoff else "none"
        say and say(f"Series D closing on {e.date.isoformat()} is after the cutoff ({cutoff}), so it counts (§4(a)(i)(B)).")
        return e.shares, management
    if e.category == "MANAGEMENT":
        if terms.management_cap is None:
            raise errors.management_cap_needed(e.row)
        fd = need(fd_after, "fully_diluted", "the §4(a)(i)(A) 10% Management Securities cap", e)
        cap = terms.management_cap * fd
        room = max(ZERO, cap - management)
        excluded = min(e.shares, room)
        total = share_count(management + e.shares)
        if say and excluded == e.shares:
            say(f"Excluded Management Securities (§4(a)(i)(A)): aggregate {count(total)} within "
                f"{pct(terms.management_cap)} of {count(fd)} fully diluted ({count(cap)}).")
        elif say:
            say(f"Management Securities (§4(a)(i)(A)): aggregate {count(total)} exceeds the cap of "
                f"{pct(terms.management_cap)} × {count(fd)} = {count(cap)}; the {count(e.shares - excluded)} "
                f"shares beyond the cap count as Additional Shares.")
        return e.shares - excluded, total
    return e.shares, management


unknown_count = errors.unknown_count       # engine.register's name for the refusal (its text in engine.errors)
