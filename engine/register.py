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

from dataclasses import dataclass, replace
from datetime import date, datetime
from fractions import Fraction
from math import gcd
from typing import Sequence

from .errors import WarrantError, fail, where
from .events import (Amend, Event, Exercise, Expire, Grant, Issue, Merger, Other, Resize, StockDividend, Treasury,
                     alternative_history, amended_terms, expired_terms, sort_events)
from .ledger import _need, _plus, check_as_of, counted_shares
from .numbers import count, round_to_increment
from .terms import BROAD_WEIGHTED_AVERAGE, FULL_RATCHET, KEEP_AGGREGATE, Terms

# Op codes of the compiled program.
_RESIZE, _DIVIDEND, _RATCHET, _WEIGHTED, _NONE, _RECOMPUTE, _MERGER, _EXERCISE, _OTHER, _FAIL = range(10)

# Terms that decide the price path; the others (names, dates of exercise, settlement) do not.
_PATH_FIELDS = ("anti_dilution", "share_adjustment", "minimum_adjustment", "management_cap", "series_d_cutoff",
                "price_increment", "price_rounding", "common_outstanding", "fully_diluted", "price_floor",
                "issue_date")


@dataclass(frozen=True, slots=True)
class _Counts:
    outstanding: Fraction | None
    fully_diluted: Fraction | None
    management: Fraction
    grants: dict            # ref -> (grant as amended, issued, expired)
    rights: dict            # ref -> [maximum shares, issued, expired] of a RIGHTS_DIVIDEND
    floor: Fraction | None  # the Price Floor in today's shares


def register(terms: Sequence[Terms], events: Sequence[Event], as_of: date | datetime) -> list[tuple[Fraction, Fraction]]:
    """(Per Share Exercise Price, Warrant Shares) for each warrant, as :func:`engine.adjust` gives them."""
    day = as_of.date() if isinstance(as_of, datetime) else as_of
    ledger = tuple(e for e in sort_events(events) if e.date <= day)
    linear = not any(isinstance(e, Exercise) for e in ledger)
    programs: dict[tuple, tuple] = {}
    memo: dict[tuple, tuple[Fraction, Fraction]] = {}
    out: list[tuple[Fraction, Fraction]] = []
    for t in terms:
        check_as_of(t, day)
        key = tuple(getattr(t, f) for f in _PATH_FIELDS)
        program = programs.get(key)
        if program is None:
            program = programs[key] = compile_ledger(t, ledger)
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
    pn, pd, sn, sd, cpn, cpd, csn, csd, ln, ld = _run(program, terms, price, shares)
    if ln * pd < pn * ld:  # §4(h): the lowest price made, restated to today's units
        pn, pd = ln, ld
    return Fraction(pn, pd), Fraction(sn, sd)


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
            out.append((code, op[1].numerator, op[1].denominator) + op[2:6] + _pair(op[6]) + (op[7],))
        elif code == _RECOMPUTE:
            out.append((code, _lowered(op[1])))
        elif code == _EXERCISE:
            out.append((code, op[1].numerator, op[1].denominator, op[2], op[1]))
        else:
            out.append(op)
    return tuple(out)


def _pair(value: Fraction | None) -> tuple:
    return (None, None) if value is None else (value.numerator, value.denominator)


def _run(program: tuple, terms: Terms, p0: Fraction, s0: Fraction):
    """The fold of ledger._settle on int pairs (n, d), d > 0, kept in lowest terms."""
    pn = cpn = ln = p0.numerator
    pd = cpd = ld = p0.denominator
    sn = csn = s0.numerator
    sd = csd = s0.denominator
    en = ed = 1                                   # pending split/combination units
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
        elif code == _DIVIDEND:
            fn, fd = op[1], op[2]
            nn, nd = cpn * fn, cpd * fd
            xn, xd = csn * fd, csd * fn
        elif code == _RATCHET or code == _WEIGHTED:
            qn, qd = op[1], op[2]                          # price per share of the issue
            if qn * cpd >= cpn * qd:
                continue                                   # §4(d): not less than the price otherwise applicable
            rounding = True
            if code == _RATCHET:
                nn, nd = qn, qd
                fn, fd = op[3], op[4]
            else:
                a = op[4]
                if a is None:
                    raise op[6]
                cp = Fraction(cpn, cpd)
                new = cp * (a + op[3] / cp) / (a + op[5])
                nn, nd = new.numerator, new.denominator
                fn, fd = op[7], op[8]
            if fn is not None and nn * fd < fn * nd:       # the terms' Price Floor, restated
                nn, nd = fn, fd
            xn, xd = csn, csd
            if keep and nn * cpd != cpn * nd:
                if nn == 0:
                    raise op[-1]
                xn, xd = csn * cpn * nd, csd * cpd * nn    # shares * cp / new
        elif code == _NONE:
            continue
        elif code == _RECOMPUTE:
            r = _run(op[1], terms, p0, s0)
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
                raise fail("Shares", op[4], f"exceeds the {count(Fraction(sn, sd))} Warrant Shares remaining",
                           table="Events", row=op[3])
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
        g = gcd(nn, nd); nn, nd = nn // g, nd // g
        g = gcd(xn, xd); xn, xd = xn // g, xd // g
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
    return pn, pd, sn, sd, cpn, cpd, csn, csd, ln, ld


def compile_ledger(terms: Terms, ledger: Sequence[Event]) -> tuple:
    """The price program of a sorted ledger for warrants sharing ``terms``' company-level settings."""
    return _lowered(_compile(terms, tuple(ledger))[0])


def _compile(terms: Terms, ledger: tuple) -> tuple[tuple, _Counts]:
    c = _Counts(None if terms.common_outstanding is None else Fraction(terms.common_outstanding),
                None if terms.fully_diluted is None else Fraction(terms.fully_diluted), Fraction(0), {}, {},
                terms.price_floor)
    ops: list[tuple] = []
    for i, e in enumerate(ledger):
        if e.date < terms.issue_date:
            try:
                c = _before_issue(e, c)
            except WarrantError as err:
                ops.append((_FAIL, err))
                break
            continue
        if e.outstanding is not None:
            fd = c.fully_diluted
            if c.outstanding is not None and fd is not None and c.outstanding != e.outstanding:
                fd = fd + (e.outstanding - c.outstanding)
            c = replace(c, outstanding=e.outstanding, fully_diluted=fd)
        try:
            op, c = _compile_one(terms, ledger, i, e, c)
        except WarrantError as err:
            # The reference fold raises when it reaches this event: so does the program.
            ops.append((_FAIL, err))
            break
        ops.append(op)
    return tuple(ops), c


def _before_issue(e: Event, c: _Counts) -> _Counts:
    """As ledger._before_issue: no adjustment; a grant or rights dividend is recorded under its Ref."""
    if isinstance(e, Grant) or (isinstance(e, StockDividend) and e.ref):
        _check_new_ref(c, e)
        if isinstance(e, Grant):
            return replace(c, grants={**c.grants, e.ref: (e, Fraction(0), None)})
        return replace(c, rights={**c.rights, e.ref: (e.shares, Fraction(0), None)})
    return c


def _check_new_ref(c: _Counts, e: Grant | StockDividend) -> None:
    if e.ref in c.grants or e.ref in c.rights:
        raise fail("Ref", e.ref, "is already used by an earlier grant or rights dividend", table="Events", row=e.row)


def _compile_one(terms: Terms, ledger: tuple, i: int, e: Event, c: _Counts) -> tuple[tuple, _Counts]:
    if isinstance(e, Resize):
        ratio = e.new / e.old
        scale = (lambda v: None if v is None else v * ratio)
        return (_RESIZE, ratio, e.new < e.old), replace(c, outstanding=scale(c.outstanding),
                                                        fully_diluted=scale(c.fully_diluted), management=c.management * ratio,
                                                        floor=None if c.floor is None else c.floor / ratio)
    if isinstance(e, StockDividend):
        before = _need(c.outstanding, "outstanding", "a §4(c) stock dividend", e)
        if before == 0:
            raise fail("Outstanding", before, "must be positive for a §4(c) stock dividend", table="Events", row=e.row)
        op = (_DIVIDEND, before / (before + e.shares))
        if not e.rights:
            return op, replace(c, outstanding=before + e.shares, fully_diluted=_plus(c.fully_diluted, e.shares))
        if e.ref:
            _check_new_ref(c, e)
            return op, replace(c, fully_diluted=_plus(c.fully_diluted, e.shares),
                               rights={**c.rights, e.ref: (e.shares, Fraction(0), None)})
        return op, replace(c, fully_diluted=_plus(c.fully_diluted, e.shares))
    if isinstance(e, Issue):
        out_after, fd_after = _plus(c.outstanding, e.shares), _plus(c.fully_diluted, e.shares)
        if e.ref in c.rights:
            shares, issued, expired = c.rights[e.ref]
            if expired is not None:
                raise fail("Ref", e.ref, f"expired on {expired.isoformat()}", table="Events", row=e.row)
            if e.shares > shares - issued:
                raise fail("Shares", e.shares, f"exceeds the {count(shares - issued)} shares left to issue under the rights {e.ref}",
                           table="Events", row=e.row)
            return (_NONE,), replace(c, outstanding=out_after, rights={**c.rights, e.ref: (shares, issued + e.shares, None)})
        if e.ref:
            g = c.grants.get(e.ref)
            if g is None:
                raise fail("Ref", e.ref, "names no earlier OPTIONS or CONVERTIBLE grant", table="Events", row=e.row)
            if g[2] is not None:
                raise fail("Ref", e.ref, f"expired on {g[2].isoformat()}", table="Events", row=e.row)
            grants = dict(c.grants)
            grants[e.ref] = (g[0], g[1] + e.shares, g[2])
            return (_NONE,), replace(c, outstanding=out_after, grants=grants)
        counted, management = counted_shares(terms, e, c.management, fd_after)
        op = _price_op(terms, e, c, counted, e.consideration * counted / e.shares if counted else 0)
        return op, replace(c, outstanding=out_after, fully_diluted=fd_after, management=management)
    if isinstance(e, Grant):
        _check_new_ref(c, e)
        fd_after = _plus(c.fully_diluted, e.shares)
        grants = dict(c.grants)
        grants[e.ref] = (e, Fraction(0), None)
        counted, management = counted_shares(terms, e, c.management, fd_after)
        op = _price_op(terms, e, c, counted, (e.consideration + e.additional) * counted / e.shares if counted else 0)
        return op, replace(c, fully_diluted=fd_after, management=management, grants=grants)
    if isinstance(e, (Amend, Expire)):
        return _compile_recompute(terms, ledger, i, e, c)
    if isinstance(e, Treasury):
        before = _need(c.outstanding, "outstanding", "§4(g)(i) treasury shares", e)
        if e.shares > before:
            raise fail("Shares", e.shares, f"exceeds the {count(before)} shares outstanding", table="Events", row=e.row)
        return (_NONE,), replace(c, outstanding=before - e.shares, fully_diluted=_plus(c.fully_diluted, -e.shares))
    if isinstance(e, Merger):
        ratio = e.new / e.old
        return (_MERGER, ratio), _Counts(None, None, Fraction(0), {}, {}, None if c.floor is None else c.floor / ratio)
    if isinstance(e, Exercise):
        return (_EXERCISE, e.shares, e.row), replace(c, outstanding=_plus(c.outstanding, e.shares))
    if isinstance(e, Other):
        return (_OTHER, e.price), c
    raise WarrantError(f"{where('Events', e.row)}unsupported event {e!r}")  # pragma: no cover


def _price_op(terms: Terms, e: Issue | Grant, c: _Counts, counted: Fraction, consideration: Fraction) -> tuple:
    if not counted or terms.anti_dilution == "NONE":
        return (_NONE,)
    zero = fail("Share Adjustment", KEEP_AGGREGATE, "cannot keep the aggregate price at a price of 0", table="Events", row=e.row)
    per_share = consideration / counted
    if terms.anti_dilution == FULL_RATCHET:
        return (_RATCHET, per_share, c.floor, zero)
    broad = terms.anti_dilution == BROAD_WEIGHTED_AVERAGE
    a = c.fully_diluted if broad else c.outstanding
    missing = None
    if a is None:
        try:
            _need(None, "fully_diluted" if broad else "outstanding", "a weighted-average adjustment", e)
        except WarrantError as err:
            missing = err
    return (_WEIGHTED, per_share, consideration, a, counted, missing, c.floor, zero)


def _compile_recompute(terms: Terms, ledger: tuple, i: int, e: Amend | Expire, c: _Counts) -> tuple[tuple, _Counts]:
    if e.ref in c.rights:
        shares, issued, expired = c.rights[e.ref]
        if isinstance(e, Amend):
            raise fail("Ref", e.ref, "names rights (RIGHTS_DIVIDEND), which AMEND cannot change: enter their exercise as an ISSUE "
                       "with this Ref, their lapse as an EXPIRE", table="Events", row=e.row)
        if expired is not None:
            raise fail("Ref", e.ref, f"expired on {expired.isoformat()}", table="Events", row=e.row)
        return (_NONE,), replace(c, rights={**c.rights, e.ref: (shares, issued, e.date)})
    current = c.grants.get(e.ref)
    if current is None:
        raise fail("Ref", e.ref, f"names no earlier OPTIONS or CONVERTIBLE grant to {e.kind}", table="Events", row=e.row)
    grant, issued, expired = current
    if expired is not None:
        raise fail("Ref", e.ref, f"expired on {expired.isoformat()}", table="Events", row=e.row)
    if isinstance(e, Amend):
        new_grant = amended_terms(grant, e)
        if new_grant.shares < issued:
            raise fail("Shares", e.shares, f"is below the {count(issued)} shares already issued under {e.ref}",
                       table="Events", row=e.row)
    else:
        new_grant = expired_terms(grant, issued)
    sub, redone = _compile(terms, alternative_history(ledger[:i], e.ref, new_grant))
    grants = dict(c.grants)
    grants[e.ref] = (new_grant or grant, issued, e.date if isinstance(e, Expire) else None)
    return (_RECOMPUTE, sub), replace(redone, grants=grants, rights=c.rights)
