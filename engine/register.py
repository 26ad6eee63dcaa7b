"""Many warrants over one ledger: the same answers as :func:`engine.ledger.adjust`, shared work done once.

A register holds thousands of warrants of one company. Everything §4 does that does not
depend on a warrant's own price — sorting, the outstanding and fully diluted counts, the
§4(a)(i) exclusions, each issue's price per share, the alternative ledgers an AMEND or EXPIRE
is recomputed over — is compiled once per *group* into a short program of price operations.

A group is what decides the answer apart from the warrant's own price and count: the events
the warrant sees (§4 adjusts for events "after the date hereof": warrants issued between the
same two events see the same ledger, whatever their exact Issue Dates), its method, share
rule, minimum, increment, floor, exclusions and the counts at issue (:func:`group_key`).
Without an ``EXERCISE`` event the share count is linear in the starting count (every §4
share move is a multiplication), so each distinct starting price of a group runs once at one
share, and a group of many distinct prices runs once per branch of prices taking the same
decisions (:mod:`engine.piecewise`).

The reference fold stays the specification; ``tests/test_register.py`` proves this path
equal to it with hypothesis, refusals included.
"""
from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict
from dataclasses import replace
from datetime import date, datetime
from fractions import Fraction
from math import gcd
from operator import attrgetter
from typing import Sequence

from . import capital as cap
from .capital import Capital
from .errors import WarrantError
from .events import (Amend, Event, Exercise, Expire, Grant, Issue, Merger, Other, Resize, StockDividend, Treasury,
                     alternative_history, amended_terms, expired_terms, sort_events)
from .numbers import coprime, round_to_increment
from .terms import BROAD_WEIGHTED_AVERAGE, FULL_RATCHET, KEEP_AGGREGATE, Terms

# Op codes of the compiled program.
from .ops import (DIVIDEND as _DIVIDEND, EXERCISE as _EXERCISE, FAIL as _FAIL, MARK as _MARK,
                  MERGER as _MERGER, NONE as _NONE, OTHER as _OTHER, RATCHET as _RATCHET, RECOMPUTE as _RECOMPUTE,
                  RESIZE as _RESIZE, WEIGHTED as _WEIGHTED)
from .piecewise import run as _piecewise_run

# The company-level terms that decide a program besides the events seen (the Issue Date decides
# only which events are seen: see group_key); the others (names, dates of exercise, settlement) do not.
_COMPANY_FIELDS = ("anti_dilution", "share_adjustment", "minimum_adjustment", "management_cap", "series_d_cutoff",
                   "price_increment", "price_rounding", "common_outstanding", "fully_diluted", "price_floor")
_company = attrgetter(*_COMPANY_FIELDS)


def forget_programs() -> None:
    """Empty the cache of compiled programs (for a benchmark of a ledger never seen)."""
    _PROGRAMS.clear()


def group_key(terms: Terms, dates: Sequence[date]) -> tuple:
    """What decides a warrant's program over a sorted ledger whose event dates are ``dates``: its
    company-level terms and how many events come before its Issue Date (those adjust nothing)."""
    return _company(terms), bisect_left(dates, terms.issue_date)


def register(terms: Sequence[Terms], events: Sequence[Event], as_of: date | datetime) -> list[tuple[Fraction, Fraction]]:
    """(Per Share Exercise Price, Warrant Shares) for each warrant, as :func:`engine.adjust` gives them.

    The first warrant (in the register's order) the ledger cannot be applied to raises its
    refusal, the one :func:`engine.adjust` raises for it.
    """
    day = as_of.date() if isinstance(as_of, datetime) else as_of
    ledger = tuple(e for e in sort_events(events) if e.date <= day)
    dates = [e.date for e in ledger]
    linear = not any(type(e) is Exercise for e in ledger)
    content = _Hashed(ledger)                         # hashed once for every group's program lookup
    groups: dict[tuple, _Group] = {}
    rows: list[_Group] = []
    last_company, last_cut, group = None, None, None
    for t in terms:
        company, cut = _company(t), bisect_left(dates, t.issue_date)
        if cut != last_cut or company != last_company:      # a register's neighbours mostly share a group
            key = (company, cut)
            group = groups.get(key)
            if group is None:
                group = groups[key] = _Group(program_for(t, ledger, content, company, cut), t)
            last_company, last_cut = company, cut
        rows.append(group)
    if linear:
        for group, prices in _prices_by_group(terms, rows).items():
            group.answer_prices(prices)
    out: list[tuple[Fraction, Fraction]] = []
    append = out.append
    for t, group in zip(terms, rows):
        if day < t.issue_date:
            cap.check_as_of(t, day)
        p = t.exercise_price
        if linear:
            price, factor = group.answers[(p.numerator, p.denominator)]
            if price is None:
                raise WarrantError(factor)   # the ledger's refusal for this warrant: a new exception each time
            append((price, t.warrant_shares if factor == 1 else factor * t.warrant_shares))
        else:
            append(group.run(p, t.warrant_shares))
    return out


def _prices_by_group(terms: Sequence[Terms], rows: list) -> dict:
    """Each group's distinct starting prices, as (numerator, denominator) pairs."""
    prices: dict[_Group, dict] = {}
    for t, group in zip(terms, rows):
        mine = prices.get(group)
        if mine is None:
            mine = prices[group] = {}
        p = t.exercise_price
        mine[(p.numerator, p.denominator)] = None
    return prices


_ONE = Fraction(1)

# A group with at least this many distinct starting prices runs once per branch of warrants
# taking the same decisions (engine.piecewise) instead of once per price. A branch costs two to
# three price runs; over the benchmark ledger the branches pay from 4 to 8 prices (full ratchet)
# and from 8 to 32 (weighted average, where prices share fewer decisions).
PIECEWISE_AFTER = 16


class _Group:
    """The warrants of one register call sharing a program: the program, a warrant's terms to run
    it with (company-level terms only are read), and this call's answers by starting price."""

    __slots__ = ("program", "terms", "answers", "runs")

    def __init__(self, program: tuple, terms: Terms) -> None:
        self.program, self.terms, self.runs = program, terms, 0
        # linear runs at one share, by price: (price, shares factor), or (None, the refusal's text)
        self.answers: dict[tuple[int, int], tuple] = {}

    def answer_prices(self, prices: dict) -> None:
        """Fill :attr:`answers` for ``prices`` (the linear case): per branch when there are many, the
        prices the branches leave (and every price of a small group) one by one."""
        answers = self.answers
        if len(prices) >= PIECEWISE_AFTER:
            answers.update(_piecewise_run(self.program, self.terms, list(prices)))
        for n, d in prices:
            if (n, d) not in answers:
                try:
                    answers[(n, d)] = self.run(coprime(n, d), _ONE)
                except WarrantError as refusal:
                    answers[(n, d)] = (None, str(refusal))

    def run(self, price: Fraction, shares: Fraction) -> tuple[Fraction, Fraction]:
        """Run the program for one warrant; returns (price after §4(h), shares)."""
        self.runs += 1
        pn, pd, sn, sd = price.numerator, price.denominator, shares.numerator, shares.denominator
        start = (pn, pd, sn, sd, pn, pd, sn, sd, pn, pd, 1, 1)
        pn, pd, sn, sd, _, _, _, _, ln, ld, _, _ = _run(self.program, self.terms, start, {0: start})
        if ln * pd < pn * ld:  # §4(h): the lowest price made, restated to today's units
            pn, pd = ln, ld
        return coprime(pn, pd), coprime(sn, sd)        # the run keeps every pair in lowest terms


class _Hashed:
    """A cache key whose hash is computed once (a 100-event ledger's hash costs 0.1 ms)."""

    __slots__ = ("key", "hash")

    def __init__(self, key: tuple) -> None:
        self.key, self.hash = key, hash(key)

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Hashed) and self.hash == other.hash and self.key == other.key


# Compiled programs by (ledger content, company terms, events before the Issue Date): a ledger
# seen before is not compiled again. Bounded: the oldest program is forgotten first. A program
# holds numbers and refusal texts only, never an exception object.
_PROGRAMS: OrderedDict[tuple, tuple] = OrderedDict()
PROGRAM_CACHE_SIZE = 256


def program_for(terms: Terms, ledger: tuple, content: _Hashed | None = None, company: tuple | None = None,
                cut: int | None = None) -> tuple:
    """The program of a sorted ledger for warrants in ``terms``' group (see :func:`group_key`)."""
    if company is None or cut is None:
        company, cut = group_key(terms, [e.date for e in ledger])
    key = (content or _Hashed(ledger), company, cut)
    program = _PROGRAMS.get(key)
    if program is None:
        program = _PROGRAMS[key] = compile_ledger(terms, ledger)
        if len(_PROGRAMS) > PROGRAM_CACHE_SIZE:
            _PROGRAMS.popitem(last=False)
    else:
        _PROGRAMS.move_to_end(key)
    return program


def _shared(program: tuple) -> tuple:
    """The program with each recomputation's run starting from a state already reached.

    A §4(e)(ii) recomputation folds an alternative history whose first events are the same as
    the main ledger's or an earlier recomputation's (everything before the amended grant), so
    its first operations are identical. Each ``_RECOMPUTE`` op becomes ``(_RECOMPUTE, key,
    rest)``: continue from the snapshot ``key`` (0 = the warrant's starting state) and run only
    ``rest``; ``(_MARK, key)`` ops record those snapshots where they are reached. A run is a pure
    function of its ops and its start, so the answers are the same ops' answers.
    """
    def common(a: list, b: list) -> int:
        k, n = 0, min(len(a), len(b))
        while k < n and a[k] == b[k] and a[k][0] not in (_RECOMPUTE, _FAIL):
            k += 1
        return k

    subs = [op[1] for op in program if op[0] == _RECOMPUTE]
    sigs = [list(program)] + [list(sub) for sub in subs]       # ops hold numbers and texts only: compared by value
    parent, start, marks = [None], [0], [dict() for _ in sigs]   # marks[p][k] = snapshot key after k ops of p
    keys = 0
    wanted = [0]
    for j in range(1, len(sigs)):
        best, k = 0, 0
        for cand in range(j):
            n = common(sigs[cand], sigs[j])
            if n > k:
                best, k = cand, n
        parent.append(best)
        start.append(k)
        while best != 0 and k <= start[best]:      # that state is the parent's own, earlier in the chain
            best = parent[best]
        if k == 0:
            wanted.append(0)
        else:
            if k not in marks[best]:
                keys += 1
                marks[best][k] = keys
            wanted.append(marks[best][k])

    def with_marks(ops: tuple, offset: int, mine: dict) -> list:
        out = []
        for i, op in enumerate(ops):
            if offset + i in mine:
                out.append((_MARK, mine[offset + i]))
            out.append(op)
        if offset + len(ops) in mine:
            out.append((_MARK, mine[offset + len(ops)]))
        return out

    main = with_marks(program, 0, marks[0])
    j = 0
    for pos, op in enumerate(main):
        if op[0] == _RECOMPUTE:
            j += 1
            rest = with_marks(subs[j - 1][start[j]:], start[j], marks[j])
            main[pos] = (_RECOMPUTE, wanted[j], tuple(rest))
    return tuple(main)


def _lowered(program: tuple) -> tuple:
    """The program with every exact number split into an (numerator, denominator) int pair.

    The run below then does its arithmetic on plain ints, reducing by ``gcd`` itself, which
    costs a fraction of ``Fraction``'s per-operation overhead.
    """
    out = []
    for op in program:
        code = op[0]
        if code in (_RESIZE, _MERGER):
            out.append((code, op[1].numerator, op[1].denominator) + op[2:])
        elif code == _DIVIDEND or code == _OTHER:
            out.append((code, op[1].numerator, op[1].denominator))
        elif code == _RATCHET:
            floor = op[2]
            out.append((code, op[1].numerator, op[1].denominator) + _pair(floor) + (op[3],))
        elif code == _WEIGHTED:
            # (CP x A + K) / (A + C) on int pairs: (cpn X + cpd Y) g / (cpd h), X, Y, g/h precomputed
            _, per_share, k, a, c, missing, floor, zero = op
            if a is None:
                x = y = gn = gd = 0
            else:
                x, y = a.numerator * k.denominator, k.numerator * a.denominator
                g = Fraction(c.denominator, k.denominator * (a.numerator * c.denominator + c.numerator * a.denominator))
                gn, gd = g.numerator, g.denominator
            out.append((code, per_share.numerator, per_share.denominator, x, y, gn, gd, missing) + _pair(floor) + (zero,))
        elif code == _RECOMPUTE:
            out.append((code, op[1], _lowered(op[2])))
        elif code == _EXERCISE:
            out.append((code, op[1].numerator, op[1].denominator, op[2], op[1]))   # shares n, d, row, shares
        else:
            out.append(op)
    return tuple(out)


def _pair(value: Fraction | None) -> tuple:
    return (None, None) if value is None else (value.numerator, value.denominator)


def _run(program: tuple, terms: Terms, state: tuple, snaps: dict) -> tuple:
    """The fold of ledger._settle on int pairs (n, d), d > 0, kept in lowest terms, from ``state``.

    ``snaps`` collects the states the program's ``_MARK`` ops record, for the recomputations.
    """
    pn, pd, sn, sd, cpn, cpd, csn, csd, ln, ld, en, ed = state   # en/ed: pending split/combination units
    mn, md = terms.minimum_adjustment.numerator, terms.minimum_adjustment.denominator
    increment = terms.price_increment
    keep = terms.share_adjustment == KEEP_AGGREGATE
    for op in program:
        code = op[0]
        un = ud = 1
        upward = False
        rounding = False
        if code == _RESIZE or code == _DIVIDEND:
            # price x f, shares / f (a split's f = old/new): every pair in lowest terms, so cancelling
            # across with the small factor leaves the products in lowest terms
            if code == _RESIZE:
                fn, fd = op[2], op[1]
                upward, un, ud = op[3], fn, fd
            else:
                fn, fd = op[1], op[2]
            g, h = gcd(cpn, fd), gcd(cpd, fn)
            nn, nd = cpn // g * (fn // h), cpd // h * (fd // g)
            g, h = gcd(csn, fn), gcd(csd, fd)
            xn, xd = csn // g * (fd // h), csd // h * (fn // g)
        elif code == _RATCHET or code == _WEIGHTED:
            if code == _RATCHET:
                _, qn, qd, fn, fd, zero = op
            else:
                _, qn, qd, x, y, gn, gd, missing, fn, fd, zero = op
            if qn * cpd >= cpn * qd:                       # qn/qd: the issue's price per share
                continue                                   # §4(d): not less than the price otherwise applicable
            rounding = True
            if code == _RATCHET:
                nn, nd = qn, qd
            else:
                if missing is not None:
                    raise WarrantError(missing)            # a count the weighted average needs is unknown
                nn, nd = (cpn * x + cpd * y) * gn, cpd * gd
                g = gcd(nn, nd); nn, nd = nn // g, nd // g
            if fn is not None and nn * fd < fn * nd:       # the terms' Price Floor, restated
                nn, nd = fn, fd
            xn, xd = csn, csd
            if keep and nn * cpd != cpn * nd:
                if nn == 0:
                    raise WarrantError(zero)
                xn, xd = csn * cpn * nd, csd * cpd * nn    # shares * cp / new
                g = gcd(xn, xd); xn, xd = xn // g, xd // g
        elif code == _NONE:
            continue
        elif code == _MARK:
            snaps[op[1]] = (pn, pd, sn, sd, cpn, cpd, csn, csd, ln, ld, en, ed)
            continue
        elif code == _RECOMPUTE:
            r = _run(op[2], terms, snaps[op[1]], snaps)
            nn, nd = r[4], r[5]
            if nn * cpd != cpn * nd:
                xn, xd = r[6], r[7]
            else:
                xn, xd = csn, csd
            rounding = True
        elif code == _MERGER:
            rn, rd = op[1], op[2]
            pn, pd, cpn, cpd, ln, ld = pn * rd, pd * rn, cpn * rd, cpd * rn, ln * rd, ld * rn
            sn, sd, csn, csd = sn * rn, sd * rd, csn * rn, csd * rd
            g = gcd(pn, pd); pn, pd = pn // g, pd // g
            g = gcd(cpn, cpd); cpn, cpd = cpn // g, cpd // g
            g = gcd(ln, ld); ln, ld = ln // g, ld // g
            g = gcd(sn, sd); sn, sd = sn // g, sd // g
            g = gcd(csn, csd); csn, csd = csn // g, csd // g
            continue
        elif code == _EXERCISE:
            xn, xd = op[1], op[2]
            if xn * sd > sn * xd:
                raise cap.exercise_exceeds(op[4], Fraction(sn, sd), op[3])
            rest = sn * xd - xn * sd                          # (s - x) * sd * xd
            csn, csd = csn * rest, csd * xd * sn              # cs * (s - x) / s
            g = gcd(csn, csd); csn, csd = csn // g, csd // g
            sn, sd = rest, sd * xd
            g = gcd(sn, sd); sn, sd = sn // g, sd // g
            continue
        elif code == _OTHER:
            nn, nd = op[1], op[2]
            xn, xd = csn, csd
        else:  # _FAIL: the reference fold refuses at this event
            raise WarrantError(op[1])
        # Every pair is in lowest terms here (the ops' own numbers are; each branch reduced what it made).
        # §4(g)(iv), §4(g)(iii), §4(h): the same decisions as ledger._settle
        if not upward and nn * cpd > cpn * nd:
            continue
        if un != 1 or ud != 1:
            en, ed = en * un, ed * ud
            g = gcd(en, ed); en, ed = en // g, ed // g
        if nn * cpd == cpn * nd and xn * csd == csn * xd:
            continue
        if abs(nn * pd - pn * nd) * md < mn * pn * nd:
            cpn, cpd, csn, csd = nn, nd, xn, xd
            continue
        if rounding and increment is not None:
            made = round_to_increment(Fraction(nn, nd), increment, terms.price_rounding)
            nn, nd = made.numerator, made.denominator
        if not upward and nn * pd > pn * nd:
            nn, nd = pn, pd
        ln, ld = ln * en, ld * ed                           # lowest, restated through pending units
        g = gcd(ln, ld); ln, ld = ln // g, ld // g
        if nn * ld < ln * nd:
            ln, ld = nn, nd
        pn = cpn = nn
        pd = cpd = nd
        sn = csn = xn
        sd = csd = xd
        en = ed = 1
    return pn, pd, sn, sd, cpn, cpd, csn, csd, ln, ld, en, ed


def compile_ledger(terms: Terms, ledger: Sequence[Event]) -> tuple:
    """The price program of a sorted ledger for warrants sharing ``terms``' company-level settings."""
    return _lowered(_shared(_compile(terms, tuple(ledger))[0]))


def _compile(terms: Terms, ledger: tuple, seen: list | None = None) -> tuple[tuple, Capital]:
    """The ops of a sorted ledger, and the capital after it.

    ``seen`` holds the histories already compiled in this program (the main ledger, then each
    §4(e)(ii) alternative history), each as ``(events, before)`` where ``before[i]`` is (a list
    whose first n ops are the ops so far, n, capital) just before its event ``i``. An alternative history keeps the main
    ledger's events up to its first changed grant (and an earlier alternative's up to the
    first grant they amend differently), so its compilation resumes from the longest prefix
    of equal events already compiled: the fold is pure, so resuming gives
    exactly the ops and capital compiling from scratch gives.
    """
    seen = [] if seen is None else seen
    start, before = 0, [([], 0, cap.initial(terms))]
    for events, known in seen:
        n = min(len(events), len(ledger), len(known) - 1)
        k = 0
        while k < n and (events[k] is ledger[k] or events[k] == ledger[k]):
            k += 1
        if k > start:
            start, before = k, known[:k + 1]
    done, n, c = before[start]
    ops = done[:n]
    seen.append((ledger, before))
    for i in range(start, len(ledger)):
        e = ledger[i]
        try:
            if e.date < terms.issue_date:
                c = cap.before_issue(c, e)
            else:
                c = cap.stated(c, e)[0]
                op, c = _compile_one(terms, ledger, i, e, c, seen)
                ops.append(op)
        except WarrantError as err:
            # The reference fold raises when it reaches this event: so does the program.
            ops.append((_FAIL, str(err)))       # its text: a program never holds an exception
            break
        before.append((ops, len(ops), c))      # ``ops`` only grows: its first n ops stay these
    return tuple(ops), c


def _compile_one(terms: Terms, ledger: tuple, i: int, e: Event, c: Capital, seen: list) -> tuple[tuple, Capital]:
    if isinstance(e, Resize):
        return (_RESIZE, e.new / e.old, e.new < e.old), cap.resized(c, e)
    if isinstance(e, StockDividend):
        after, before = cap.dividend(c, e)
        return (_DIVIDEND, Fraction(before) / (before + e.shares)), after
    if isinstance(e, Issue):
        if e.ref in c.rights:
            return (_NONE,), cap.rights_exercised(c, e)[0]
        if e.ref:
            return (_NONE,), cap.grant_exercised(c, e)
        counted, management = cap.counted_shares(terms, e, c.management, cap.plus(c.fully_diluted, e.shares))
        op = _price_op(terms, e, c, counted, e.consideration * counted / e.shares if counted else 0)
        return op, cap.issued(c, e, management)
    if isinstance(e, Grant):
        cap.check_new_ref(c, e)
        counted, management = cap.counted_shares(terms, e, c.management, cap.plus(c.fully_diluted, e.shares))
        op = _price_op(terms, e, c, counted, (e.consideration + e.additional) * counted / e.shares if counted else 0)
        return op, cap.granted(c, e, management)
    if isinstance(e, (Amend, Expire)):
        return _compile_recompute(terms, ledger, i, e, c, seen)
    if isinstance(e, Treasury):
        return (_NONE,), cap.treasury(c, e)[0]
    if isinstance(e, Merger):
        ratio = e.new / e.old
        return (_MERGER, ratio), cap.merged(c, ratio)
    if isinstance(e, Exercise):
        return (_EXERCISE, e.shares, e.row), cap.exercised_by_holder(c, e)
    if isinstance(e, Other):
        return (_OTHER, e.price), c
    raise WarrantError(f"{where('Events', e.row)}unsupported event {e!r}")  # pragma: no cover


def _price_op(terms: Terms, e: Issue | Grant, c: Capital, counted: Fraction, consideration: Fraction) -> tuple:
    if not counted or terms.anti_dilution == "NONE":
        return (_NONE,)
    zero = str(cap.zero_price(e.row))
    per_share = consideration / counted
    if terms.anti_dilution == FULL_RATCHET:
        return (_RATCHET, per_share, c.floor, zero)
    broad = terms.anti_dilution == BROAD_WEIGHTED_AVERAGE
    a = c.fully_diluted if broad else c.outstanding
    missing = None if a is not None else str(cap.unknown_count("fully_diluted" if broad else "outstanding",
                                                               "a weighted-average adjustment", e.row))
    return (_WEIGHTED, per_share, consideration, a, counted, missing, c.floor, zero)


def _compile_recompute(terms: Terms, ledger: tuple, i: int, e: Amend | Expire, c: Capital,
                       seen: list) -> tuple[tuple, Capital]:
    if isinstance(e, Expire) and e.ref in c.rights:
        return (_NONE,), cap.rights_expired(c, e)[0]
    current = cap.recompute_target(c, e)
    if isinstance(e, Amend):
        new_grant = amended_terms(current.grant, e)
        if new_grant.shares < current.issued:
            raise cap.amend_below_issued(e.shares, current.issued, e.ref, e.row)
    else:
        new_grant = expired_terms(current.grant, current.issued)
    sub, redone = _compile(terms, alternative_history(ledger[:i], e.ref, new_grant), seen)
    grants = {**c.grants, e.ref: replace(current, grant=new_grant or current.grant,
                                         expired=e.date if isinstance(e, Expire) else None)}
    return (_RECOMPUTE, sub), replace(redone, grants=grants, rights=c.rights)
