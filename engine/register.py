"""Many warrants over one ledger: the same answers as :func:`engine.ledger.adjust`, shared work done once.

A register holds thousands of warrants of one company. Everything §4 does that
does not depend on a warrant's own price — sorting, the outstanding and fully
diluted counts, the §4(a)(i) exclusions, each issue's price per share, the
alternative ledgers an AMEND or EXPIRE is recomputed over — is compiled once per
ledger (and per set of company-level terms) into a short program of price
operations. Each warrant then runs that program on plain local variables.

Warrants whose price-relevant terms are identical share one run: without an
``EXERCISE`` event the share count is linear in the starting count (every §4
share move is a multiplication), so one run at one share serves them all.

The reference fold stays the specification; ``tests/test_register.py`` proves
this path equal to it with hypothesis.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from datetime import date, datetime
from fractions import Fraction
from math import gcd
from typing import Sequence

from . import capital as cap
from .capital import Capital
from .errors import WarrantError, where
from .events import (Amend, Event, Exercise, Expire, Grant, Issue, Merger, Other, Resize, StockDividend, Treasury,
                     alternative_history, amended_terms, expired_terms, sort_events)
from .numbers import round_to_increment
from .terms import BROAD_WEIGHTED_AVERAGE, FULL_RATCHET, KEEP_AGGREGATE, Terms

# Op codes of the compiled program.
_RESIZE, _DIVIDEND, _RATCHET, _WEIGHTED, _NONE, _RECOMPUTE, _MERGER, _EXERCISE, _OTHER, _FAIL, _MARK = range(11)

# Terms that decide the price path; the others (names, dates of exercise, settlement) do not.
_PATH_FIELDS = ("anti_dilution", "share_adjustment", "minimum_adjustment", "management_cap", "series_d_cutoff",
                "price_increment", "price_rounding", "common_outstanding", "fully_diluted", "price_floor",
                "issue_date")


# Compiled programs by (ledger content, company terms): a ledger seen before is not compiled again.
_PROGRAMS: OrderedDict[tuple, tuple] = OrderedDict()
PROGRAM_CACHE_SIZE = 64


def forget_programs() -> None:
    """Empty the cache of compiled programs (for a benchmark of a ledger never seen)."""
    _PROGRAMS.clear()


def path_key(terms: Terms) -> tuple:
    """The terms that decide a ledger's program: the company-level settings of :data:`_PATH_FIELDS`."""
    return tuple(getattr(terms, f) for f in _PATH_FIELDS)


def program_for(terms: Terms, ledger: tuple) -> tuple:
    """The compiled program of a sorted ledger, from the cache when the same ledger and settings were seen."""
    key = (ledger, path_key(terms))
    program = _PROGRAMS.get(key)
    if program is None:
        program = _PROGRAMS[key] = compile_ledger(terms, ledger)
        if len(_PROGRAMS) > PROGRAM_CACHE_SIZE:
            _PROGRAMS.popitem(last=False)
    else:
        _PROGRAMS.move_to_end(key)
    return program


def register(terms: Sequence[Terms], events: Sequence[Event], as_of: date | datetime) -> list[tuple[Fraction, Fraction]]:
    """(Per Share Exercise Price, Warrant Shares) for each warrant, as :func:`engine.adjust` gives them."""
    day = as_of.date() if isinstance(as_of, datetime) else as_of
    ledger = tuple(e for e in sort_events(events) if e.date <= day)
    linear = not any(isinstance(e, Exercise) for e in ledger)
    programs: dict[tuple, tuple] = {}
    memo: dict[tuple, tuple[Fraction, Fraction]] = {}
    out: list[tuple[Fraction, Fraction]] = []
    for t in terms:
        cap.check_as_of(t, day)
        key = path_key(t)
        program = programs.get(key)
        if program is None:
            program = programs[key] = program_for(t, ledger)
        if linear:
            run_key = (key, t.exercise_price)
            hit = memo.get(run_key)
            if hit is None:
                hit = memo[run_key] = run(program, t, t.exercise_price, Fraction(1))
            out.append((hit[0], hit[1] * t.warrant_shares))
        else:
            out.append(run(program, t, t.exercise_price, t.warrant_shares))
    return out


def run(program: tuple, terms: Terms, price: Fraction, shares: Fraction) -> tuple[Fraction, Fraction]:
    """Run a compiled program for one warrant; returns (price after §4(h), shares)."""
    p, s = price, shares
    start = (p.numerator, p.denominator, s.numerator, s.denominator) * 2 + (p.numerator, p.denominator, 1, 1)
    pn, pd, sn, sd, cpn, cpd, csn, csd, ln, ld, en, ed = _run(program, terms, start, {0: start})
    if ln * pd < pn * ld:  # §4(h): the lowest price made, restated to today's units
        pn, pd = ln, ld
    return Fraction(pn, pd), Fraction(sn, sd)


def _shared(program: tuple) -> tuple:
    """The program with each recomputation's run starting from a state already reached.

    A §4(e)(ii) recomputation folds an alternative history whose first events are the same as
    the main ledger's or an earlier recomputation's (everything before the amended grant), so
    its first operations are identical. Each ``_RECOMPUTE`` op becomes ``(_RECOMPUTE, key,
    rest)``: continue from the snapshot ``key`` (0 = the warrant's starting state) and run only
    ``rest``; ``(_MARK, key)`` ops record those snapshots where they are reached. A run is a pure
    function of its ops and its start, so the answers are the same ops' answers.
    """
    def signature(op: tuple) -> tuple:
        return tuple(str(x) if isinstance(x, Exception) else x for x in op)

    def common(a: list, b: list) -> int:
        k, n = 0, min(len(a), len(b))
        while k < n and a[k] == b[k] and a[k][0] not in (_RECOMPUTE, _FAIL):
            k += 1
        return k

    subs = [op[1] for op in program if op[0] == _RECOMPUTE]
    sigs = [[signature(op) for op in program]] + [[signature(op) for op in sub] for sub in subs]
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
            out.append((code, op[1].numerator, op[1].denominator, op[2], op[1]))
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
        if code == _RESIZE:
            rn, rd = op[1], op[2]
            nn, nd = cpn * rd, cpd * rn                   # price / ratio
            xn, xd = csn * rn, csd * rd                   # shares * ratio
            upward, un, ud = op[3], rd, rn
            g = gcd(nn, nd); nn, nd = nn // g, nd // g
            g = gcd(xn, xd); xn, xd = xn // g, xd // g
        elif code == _DIVIDEND:
            fn, fd = op[1], op[2]
            nn, nd = cpn * fn, cpd * fd
            xn, xd = csn * fd, csd * fn
            g = gcd(nn, nd); nn, nd = nn // g, nd // g
            g = gcd(xn, xd); xn, xd = xn // g, xd // g
        elif code == _RATCHET or code == _WEIGHTED:
            qn, qd = op[1], op[2]                          # price per share of the issue
            if qn * cpd >= cpn * qd:
                continue                                   # §4(d): not less than the price otherwise applicable
            rounding = True
            if code == _RATCHET:
                nn, nd = qn, qd
                fn, fd = op[3], op[4]
            else:
                if op[7] is not None:
                    raise op[7]                            # a count the weighted average needs is unknown
                nn, nd = (cpn * op[3] + cpd * op[4]) * op[5], cpd * op[6]
                g = gcd(nn, nd); nn, nd = nn // g, nd // g
                fn, fd = op[8], op[9]
            if fn is not None and nn * fd < fn * nd:       # the terms' Price Floor, restated
                nn, nd = fn, fd
            xn, xd = csn, csd
            if keep and nn * cpd != cpn * nd:
                if nn == 0:
                    raise op[-1]
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
        else:  # _FAIL
            raise op[1]
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


def _compile(terms: Terms, ledger: tuple) -> tuple[tuple, Capital]:
    c = cap.initial(terms)
    ops: list[tuple] = []
    for i, e in enumerate(ledger):
        try:
            if e.date < terms.issue_date:
                c = cap.before_issue(c, e)
                continue
            c = cap.stated(c, e)[0]
            op, c = _compile_one(terms, ledger, i, e, c)
        except WarrantError as err:
            # The reference fold raises when it reaches this event: so does the program.
            ops.append((_FAIL, err))
            break
        ops.append(op)
    return tuple(ops), c


def _compile_one(terms: Terms, ledger: tuple, i: int, e: Event, c: Capital) -> tuple[tuple, Capital]:
    if isinstance(e, Resize):
        return (_RESIZE, e.new / e.old, e.new < e.old), cap.resized(c, e)
    if isinstance(e, StockDividend):
        after, before = cap.dividend(c, e)
        return (_DIVIDEND, before / (before + e.shares)), after
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
        return _compile_recompute(terms, ledger, i, e, c)
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
    zero = cap.zero_price(e.row)
    per_share = consideration / counted
    if terms.anti_dilution == FULL_RATCHET:
        return (_RATCHET, per_share, c.floor, zero)
    broad = terms.anti_dilution == BROAD_WEIGHTED_AVERAGE
    a = c.fully_diluted if broad else c.outstanding
    missing = None if a is not None else cap.unknown_count("fully_diluted" if broad else "outstanding",
                                                           "a weighted-average adjustment", e.row)
    return (_WEIGHTED, per_share, consideration, a, counted, missing, c.floor, zero)


def _compile_recompute(terms: Terms, ledger: tuple, i: int, e: Amend | Expire, c: Capital) -> tuple[tuple, Capital]:
    if isinstance(e, Expire) and e.ref in c.rights:
        return (_NONE,), cap.rights_expired(c, e)[0]
    current = cap.recompute_target(c, e)
    if isinstance(e, Amend):
        new_grant = amended_terms(current.grant, e)
        if new_grant.shares < current.issued:
            raise cap.amend_below_issued(e.shares, current.issued, e.ref, e.row)
    else:
        new_grant = expired_terms(current.grant, current.issued)
    sub, redone = _compile(terms, alternative_history(ledger[:i], e.ref, new_grant))
    grants = {**c.grants, e.ref: replace(current, grant=new_grant or current.grant,
                                         expired=e.date if isinstance(e, Expire) else None)}
    return (_RECOMPUTE, sub), replace(redone, grants=grants, rights=c.rights)
