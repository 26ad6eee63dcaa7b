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

import os
from collections import OrderedDict
from dataclasses import replace
from datetime import date, datetime
from fractions import Fraction
from math import gcd
from operator import attrgetter
from typing import Sequence

from . import capital as cap
from .capital import Capital
from .errors import WarrantError, where
from .events import (Amend, Event, Exercise, Expire, Grant, Issue, Merger, Other, Resize, StockDividend, Treasury,
                     alternative_history, amended_terms, expired_terms, sort_events)
from .numbers import coprime, round_to_increment
from .terms import BROAD_WEIGHTED_AVERAGE, FULL_RATCHET, KEEP_AGGREGATE, Terms

# Op codes of the compiled program.
from .ops import (DIVIDEND as _DIVIDEND, EXERCISE as _EXERCISE, FAIL as _FAIL, MARK as _MARK,
                  MERGER as _MERGER, NONE as _NONE, OTHER as _OTHER, RATCHET as _RATCHET, RECOMPUTE as _RECOMPUTE,
                  RESIZE as _RESIZE, WEIGHTED as _WEIGHTED)
from .piecewise import run as _piecewise_run

# Terms that decide the price path; the others (names, dates of exercise, settlement) do not.
_PATH_FIELDS = ("anti_dilution", "share_adjustment", "minimum_adjustment", "management_cap", "series_d_cutoff",
                "price_increment", "price_rounding", "common_outstanding", "fully_diluted", "price_floor",
                "issue_date")


def forget_programs() -> None:
    """Empty the cache of compiled programs and their runners (for a benchmark of a ledger never seen)."""
    _RUNNERS.clear()


_path_fields = attrgetter(*_PATH_FIELDS)


def path_key(terms: Terms) -> tuple:
    """The terms that decide a ledger's program: the company-level settings of :data:`_PATH_FIELDS`."""
    return _path_fields(terms)


def register(terms: Sequence[Terms], events: Sequence[Event], as_of: date | datetime) -> list[tuple[Fraction, Fraction]]:
    """(Per Share Exercise Price, Warrant Shares) for each warrant, as :func:`engine.adjust` gives them."""
    day = as_of.date() if isinstance(as_of, datetime) else as_of
    ledger = tuple(e for e in sort_events(events) if e.date <= day)
    linear = not any(isinstance(e, Exercise) for e in ledger)
    rows = _runners(terms, ledger)
    if linear and len(terms) >= PIECEWISE_AFTER:
        _run_piecewise(terms, rows)
    out: list[tuple[Fraction, Fraction]] = []
    append = out.append
    for t, runner in zip(terms, rows):
        if day < t.issue_date:
            cap.check_as_of(t, day)
        p = t.exercise_price
        if linear:
            hit = runner.memo.get((p.numerator, p.denominator))
            if hit is None:
                hit = runner.memo[(p.numerator, p.denominator)] = runner(p, _ONE)
            price, factor = hit
            if price is None:
                raise factor             # the ledger cannot be applied to this warrant (piecewise.run's refusal)
            append((price, t.warrant_shares if factor == 1 else factor * t.warrant_shares))
        else:
            append(runner(p, t.warrant_shares))
    return out


def _runners(terms: Sequence[Terms], ledger: tuple) -> list[_Runner]:
    """Each row's runner of ``ledger`` (by its company terms). A register's rows share their company
    terms, and mostly their objects: a key is compared by identity first, then looked up by the
    identities of its values (valid while ``terms`` lives), and only then hashed by value."""
    by_ids: dict[tuple, _Runner] = {}
    by_key: dict[tuple, _Runner] = {}
    out = []
    last_key, runner = None, None
    for t in terms:
        key = _path_fields(t)
        if key != last_key:
            ids = tuple(map(id, key))
            runner = by_ids.get(ids)
            if runner is None:
                runner = by_key.get(key)
                if runner is None:
                    runner = by_key[key] = runner_for(t, ledger, key)
                by_ids[ids] = runner
            last_key = key
        out.append(runner)
    return out


_ONE = Fraction(1)

# A program with at least this many new starting prices in one register runs once per branch of
# warrants taking the same decisions (engine.piecewise) instead of once per price. A branch costs
# two to three price runs; over the benchmark ledger the branches pay from 4 to 8 prices (full
# ratchet) and from 8 to 32 (weighted average, where prices share fewer decisions).
PIECEWISE_AFTER = 16


def _run_piecewise(terms: Sequence[Terms], rows: list) -> None:
    """Fill each runner's memo with the answers for the register's new prices, by :func:`engine.piecewise.run`."""
    prices: dict[_Runner, dict] = {}
    for t, runner in zip(terms, rows):
        mine = prices.get(runner)
        if mine is None:
            mine = prices[runner] = {}
        p = t.exercise_price
        mine[(p.numerator, p.denominator)] = None
    for runner, mine in prices.items():
        memo = runner.memo
        new = [k for k in mine if k not in memo]
        if len(new) >= PIECEWISE_AFTER:
            memo.update(_piecewise_run(runner.program, runner.terms, new))


class _Runner:
    """One compiled program with what runs it: the interpreter :func:`_run` for its first
    :data:`TRANSLATE_AFTER` runs, then the program :func:`translated` into Python."""

    __slots__ = ("program", "terms", "runs", "translated", "translatable", "dialect", "memo")

    def __init__(self, program: tuple, terms: Terms) -> None:
        self.program, self.terms, self.runs, self.translated, self.dialect = program, terms, 0, None, _INT_PAIRS
        self.translatable = True
        # linear runs at one share, by price: (price, shares), or (None, the refusal) from engine.piecewise
        self.memo: dict[tuple[int, int], tuple] = {}

    def __call__(self, price: Fraction, shares: Fraction) -> tuple[Fraction, Fraction]:
        """Run the program for one warrant; returns (price after §4(h), shares)."""
        fn = self.translated
        if fn is None:
            self.runs += 1
            if self.runs > TRANSLATE_AFTER and self.translatable:
                self.translatable = _length(self.program) <= TRANSLATE_MAX_OPS
                if self.translatable:
                    self.dialect = _fast_rationals() or _INT_PAIRS
                    fn = self.translated = translated(self.program, self.terms, self.dialect)
            if fn is None:
                start = _INT_PAIRS.start(price, shares)
                return _INT_PAIRS.answer(_run(self.program, self.terms, start, {0: start}))
        return self.dialect.answer(fn(*self.dialect.start(price, shares)))


# Compiled programs with their runners by (ledger content, company terms): a ledger seen before
# is neither compiled nor translated again.
_RUNNERS: OrderedDict[tuple, _Runner] = OrderedDict()
PROGRAM_CACHE_SIZE = 64


def runner_for(terms: Terms, ledger: tuple, key: tuple | None = None) -> _Runner:
    """The runner of a sorted ledger's program for warrants sharing ``terms``' company-level settings."""
    cache_key = (ledger, path_key(terms) if key is None else key)
    r = _RUNNERS.get(cache_key)
    if r is None:
        r = _RUNNERS[cache_key] = _Runner(compile_ledger(terms, ledger), terms)
        if len(_RUNNERS) > PROGRAM_CACHE_SIZE:
            _RUNNERS.popitem(last=False)
    else:
        _RUNNERS.move_to_end(cache_key)
    return r


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
            ops.append((_FAIL, err))
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
    zero = cap.zero_price(e.row)
    per_share = consideration / counted
    if terms.anti_dilution == FULL_RATCHET:
        return (_RATCHET, per_share, c.floor, zero)
    broad = terms.anti_dilution == BROAD_WEIGHTED_AVERAGE
    a = c.fully_diluted if broad else c.outstanding
    missing = None if a is not None else cap.unknown_count("fully_diluted" if broad else "outstanding",
                                                           "a weighted-average adjustment", e.row)
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


# ----------------------------------------------------------------------------- the program as Python source

# A program run this many times is translated into a Python function (below) and run as that.
# Translating costs tens of milliseconds, so a program run only a few times (a register of
# shared prices, one trail) stays with the interpreter :func:`_run`; a register of distinct
# prices runs it thousands of times.
TRANSLATE_AFTER = 48

# A longer program (a ledger of thousands of events and amendments) stays with the interpreter:
# its source would take seconds to compile and megabytes to hold.
TRANSLATE_MAX_OPS = 20_000


def _length(program: tuple) -> int:
    """The ops one run executes, recomputations included (about 13 lines of source each)."""
    return sum(1 + (_length(op[2]) if op[0] == _RECOMPUTE else 0) for op in program)


_STATE = ("p", "s", "cp", "cs", "l", "e")   # price, shares, carried price/shares (§4(g)(iii)), lowest (§4(h)), units


class _IntPairs:
    """Rationals as (numerator, denominator) pairs of plain ``int``, d > 0, in lowest terms: what :func:`_run` does."""

    def names(self, v: str) -> tuple[str, ...]:
        return (v + "n", v + "d")

    def const(self, n: int, d: int, consts: list) -> tuple[int, int]:
        return (n, d)

    def start(self, p: Fraction, s: Fraction) -> tuple:
        pn, pd, sn, sd = p.numerator, p.denominator, s.numerator, s.denominator
        return (pn, pd, sn, sd, pn, pd, sn, sd, pn, pd, 1, 1)

    def answer(self, state: tuple) -> tuple[Fraction, Fraction]:
        pn, pd, sn, sd, _, _, _, _, ln, ld, _, _ = state
        if ln * pd < pn * ld:  # §4(h): the lowest price made, restated to today's units
            pn, pd = ln, ld
        return coprime(pn, pd), coprime(sn, sd)        # the run keeps every pair in lowest terms

    def fraction(self, v: str) -> str:
        return f"Fraction({v}n, {v}d)"

    def reduce(self, v: str) -> str:
        return f"g = gcd({v}n, {v}d); {v}n //= g; {v}d //= g"

    def copy(self, dst: str, src: str) -> str:
        return f"{dst}n, {dst}d = {src}n, {src}d"

    def mul(self, dst: str, src: str, k: tuple) -> str:      # dst = src * k
        # Both in lowest terms: cancelling across (gcd with the small constant) leaves the product
        # in lowest terms, as reducing it afterwards would (a gcd of two large ints costs several times more).
        kn, kd = k
        if kd == 1 and kn == 1:
            return self.copy(dst, src)
        if kd == 1:
            return f"h = gcd({src}d, {kn}); {dst}n, {dst}d = {src}n * ({kn} // h), {src}d // h"
        if kn == 1:
            return f"g = gcd({src}n, {kd}); {dst}n, {dst}d = {src}n // g, {src}d * ({kd} // g)"
        return (f"g = gcd({src}n, {kd}); h = gcd({src}d, {kn}); "
                f"{dst}n, {dst}d = {src}n // g * ({kn} // h), {src}d // h * ({kd} // g)")

    def cmp(self, a: str, op: str, b: str) -> str:
        return f"{a}n * {b}d {op} {b}n * {a}d"

    def cmp_const(self, a: str, op: str, k: tuple) -> str:
        return f"{a}n * {k[1]} {op} {k[0]} * {a}d"

    def set_const(self, dst: str, k: tuple) -> str:
        return f"{dst}n, {dst}d = {k[0]}, {k[1]}"

    def names_needed(self) -> dict:
        return {}

    def weighted(self, dst: str, cp: str, x: int, y: int, gn: int, gd: int, consts: list) -> str:
        """dst = (cp X + Y) g with g = gn/gd: the lowered _WEIGHTED op on int pairs."""
        return f"{dst}n, {dst}d = ({cp}n * {x} + {cp}d * {y}) * {gn}, {cp}d * {gd}; " + self.reduce(dst)

    def restate(self, low: str, e: str) -> str:                                 # low = low x e
        return (f"g = gcd({low}n, {e}d); h = gcd({low}d, {e}n); "
                f"{low}n, {low}d = {low}n // g * ({e}n // h), {low}d // h * ({e}d // g)")

    def kept(self, dst: str, cs: str, cp: str, new: str) -> str:                # dst = cs cp / new
        return f"{dst}n, {dst}d = {cs}n * {cp}n * {new}d, {cs}d * {cp}d * {new}n; " + self.reduce(dst)

    def sides(self, a: str, b: str, tag: str) -> tuple[str, str, str]:
        """Two cross products computed once, so that ``a op b`` is ``tag_a op tag_b`` for every op."""
        return f"{tag}a = {a}n * {b}d; {tag}b = {b}n * {a}d", f"{tag}a", f"{tag}b"

    def below_minimum(self, new: str, p: str, m: tuple) -> str:   # |new - p| < m p, on sides(new, p)
        return f"abs({new} - {p}) * {m[1]} < {m[0]} * {p}"

    def is_zero(self, v: str) -> str:
        return f"{v}n == 0"

    def is_one(self, v: str) -> str:
        return f"{v}n == {v}d"

    def set_one(self, v: str) -> str:
        return f"{v}n = {v}d = 1"

    def rounded(self, v: str, call: str) -> str:
        return f"m = {call}; {v}n, {v}d = m.numerator, m.denominator"

    def exercised(self, s: str, cs: str, k: tuple) -> list[str]:              # cs = cs (s - k) / s; s = s - k
        xn, xd = k
        return [f"m = {s}n * {xd} - {xn} * {s}d",
                f"{cs}n, {cs}d = {cs}n * m, {cs}d * {xd} * {s}n; " + self.reduce(cs),
                f"{s}n, {s}d = m, {s}d * {xd}; " + self.reduce(s)]


class _Rationals:
    """Rationals as one exact object each (``gmpy2.mpq``, the ``warrants[fast]`` extra): one C call per operation."""

    def __init__(self, q) -> None:
        self.q = q

    def names(self, v: str) -> tuple[str, ...]:
        return (v,)

    def const(self, n: int, d: int, consts: list) -> str:
        consts.append(self.q(n, d))
        return f"_K{len(consts) - 1}"

    def start(self, p: Fraction, s: Fraction) -> tuple:
        p, s = self.q(p.numerator, p.denominator), self.q(s.numerator, s.denominator)
        return (p, s, p, s, p, self.q(1))

    def answer(self, state: tuple) -> tuple[Fraction, Fraction]:
        p, s, _, _, low, _ = state
        if low < p:            # §4(h): the lowest price made, restated to today's units
            p = low
        return coprime(int(p.numerator), int(p.denominator)), coprime(int(s.numerator), int(s.denominator))

    def fraction(self, v: str) -> str:
        return f"Fraction(int({v}.numerator), int({v}.denominator))"

    def copy(self, dst: str, src: str) -> str:
        return f"{dst} = {src}"

    def mul(self, dst: str, src: str, k: str) -> str:
        return f"{dst} = {src} * {k}"

    def cmp(self, a: str, op: str, b: str) -> str:
        return f"{a} {op} {b}"

    def cmp_const(self, a: str, op: str, k: str) -> str:
        return f"{a} {op} {k}"

    def set_const(self, dst: str, k: str) -> str:
        return f"{dst} = {k}"

    def names_needed(self) -> dict:
        return {"_Q": self.q, "_ONE": self.q(1)}

    def weighted(self, dst: str, cp: str, x: int, y: int, gn: int, gd: int, consts: list) -> str:
        """dst = cp A + B with A = X g and B = Y g: the same rational as (cp X + Y) g."""
        return f"{dst} = {cp} * {self.const(x * gn, gd, consts)} + {self.const(y * gn, gd, consts)}"

    def restate(self, low: str, e: str) -> str:
        return f"{low} = {low} * {e}"

    def kept(self, dst: str, cs: str, cp: str, new: str) -> str:
        return f"{dst} = {cs} * {cp} / {new}"

    def sides(self, a: str, b: str, tag: str) -> tuple[str, str, str]:
        return "", a, b

    def below_minimum(self, new: str, p: str, m: str) -> str:
        return f"abs({new} - {p}) < {m} * {p}"

    def is_zero(self, v: str) -> str:
        return f"{v} == 0"

    def is_one(self, v: str) -> str:
        return f"{v} == 1"

    def set_one(self, v: str) -> str:
        return f"{v} = _ONE"

    def rounded(self, v: str, call: str) -> str:
        return f"m = {call}; {v} = _Q(m.numerator, m.denominator)"

    def exercised(self, s: str, cs: str, k: str) -> list[str]:
        return [f"m = {s} - {k}", f"{cs} = {cs} * m / {s}", f"{s} = m"]


_INT_PAIRS = _IntPairs()


def _fast_rationals():
    """``gmpy2.mpq`` when the ``warrants[fast]`` extra is installed (and ``WARRANTS_PURE`` is not set), else None."""
    if os.environ.get("WARRANTS_PURE"):
        return None
    try:
        import gmpy2  # noqa: PLC0415  (optional, absent under Pyodide)
    except ImportError:
        return None
    return _Rationals(gmpy2.mpq)


def translated(program: tuple, terms: Terms, dialect=None):
    """``program`` as one Python function of a warrant's start state, doing exactly what :func:`_run` does.

    Every op of :func:`_run` becomes straight-line code with its numbers as literals (int pairs)
    or named constants (``mpq``), and the decisions the company-level terms fix (the minimum
    adjustment, the share rule, the price increment, a split's direction) are taken here once;
    each ``continue`` of :func:`_run` becomes the end of that op's block. A recomputation's run
    is inlined with its own variables (suffix = depth), starting from a snapshot ``_s<key>``.
    Returns ``(function, dialect)``: the function maps ``dialect.start(...)`` to a state that
    ``dialect.answer`` turns into (price, shares). ``tests/test_register.py`` proves both
    dialects equal to the reference fold.
    """
    q = dialect or _INT_PAIRS
    consts: list = []
    lines: list[str] = []
    k = lambda n, d: q.const(n, d, consts)       # noqa: E731
    minimum = terms.minimum_adjustment
    keep = terms.share_adjustment == KEEP_AGGREGATE
    increment = terms.price_increment
    m_const = k(minimum.numerator, minimum.denominator) if minimum else None
    consts.append(increment)
    consts.append(terms.price_rounding)
    rounding_call = f"_round({q.fraction('{new}')}, _K{len(consts) - 2}, _K{len(consts) - 1})"

    def emit(depth: int, ops: tuple, indent: int) -> None:
        v = {name: f"{name}_{depth}" for name in _STATE + ("new", "x")}

        def put(level: int, text: str) -> None:
            lines.append("    " * level + text.format(**v))

        def tail(level: int, upward: bool, unit, rounding: bool) -> None:
            # §4(g)(iv), §4(g)(iii), §4(h): the decisions of _run's common tail, in its order
            setup, a, b = q.sides("{new}", "{cp}", "c")          # new against the carried price, once
            if setup:
                put(level, setup)
            if not upward:
                put(level, f"if {a} <= {b}:")
                level += 1
            if unit is not None:
                put(level, q.mul("{e}", "{e}", unit))
            put(level, f"if {a} != {b} or " + q.cmp("{x}", "!=", "{cs}") + ":")
            level += 1
            against_p = None
            if m_const is not None:   # with a minimum of 0 no change is below it
                setup, a, b = against_p = q.sides("{new}", "{p}", "u")
                if setup:
                    put(level, setup)
                put(level, "if " + q.below_minimum(a, b, m_const) + ":")
                put(level + 1, q.copy("{cp}", "{new}") + "; " + q.copy("{cs}", "{x}"))
                put(level, "else:")
                level += 1
            if rounding and increment is not None:
                put(level, q.rounded("{new}", rounding_call))
                against_p = None
            if not upward:
                above = f"{against_p[1]} > {against_p[2]}" if against_p else q.cmp("{new}", ">", "{p}")
                put(level, f"if {above}:")
                put(level + 1, q.copy("{new}", "{p}"))
            put(level, "if not (" + q.is_one("{e}") + "):")      # lowest, restated through pending units
            put(level + 1, q.restate("{l}", "{e}"))
            put(level + 1, q.set_one("{e}"))
            put(level, "if " + q.cmp("{new}", "<", "{l}") + ":")
            put(level + 1, q.copy("{l}", "{new}"))
            put(level, "; ".join((q.copy("{p}", "{new}"), q.copy("{cp}", "{new}"), q.copy("{s}", "{x}"),
                                  q.copy("{cs}", "{x}"))))

        def price_floor(level: int, fn, fd) -> None:
            if fn is not None:
                f = k(fn, fd)
                put(level, "if " + q.cmp_const("{new}", "<", f) + ":")
                put(level + 1, q.set_const("{new}", f))

        for op in ops:
            code = op[0]
            if code == _RESIZE:
                rn, rd, upward = op[1], op[2], op[3]
                put(indent, q.mul("{new}", "{cp}", k(rd, rn)))
                put(indent, q.mul("{x}", "{cs}", k(rn, rd)))
                tail(indent, upward, k(rd, rn), False)
            elif code == _DIVIDEND:
                fn, fd = op[1], op[2]
                put(indent, q.mul("{new}", "{cp}", k(fn, fd)))
                put(indent, q.mul("{x}", "{cs}", k(fd, fn)))
                tail(indent, False, None, False)
            elif code == _RATCHET or code == _WEIGHTED:
                price = k(op[1], op[2])
                put(indent, "if " + q.cmp_const("{cp}", ">", price) + ":")   # §4(d): below the price otherwise applicable
                level = indent + 1
                if code == _RATCHET:
                    put(level, q.set_const("{new}", price))
                    floor = op[3], op[4]
                else:
                    if op[7] is not None:      # a count the weighted average needs is unknown
                        consts.append(op[7])
                        put(level, f"raise _K{len(consts) - 1}")
                        continue
                    put(level, q.weighted("{new}", "{cp}", *op[3:7], consts))
                    floor = op[8], op[9]
                price_floor(level, *floor)
                put(level, q.copy("{x}", "{cs}"))
                if keep:                                # KEEP_AGGREGATE: shares x price unchanged
                    put(level, "if " + q.cmp("{new}", "!=", "{cp}") + ":")
                    put(level + 1, "if " + q.is_zero("{new}") + ":")
                    consts.append(op[-1])
                    put(level + 2, f"raise _K{len(consts) - 1}")
                    put(level + 1, q.kept("{x}", "{cs}", "{cp}", "{new}"))
                tail(level, False, None, True)
            elif code == _NONE:
                pass
            elif code == _MARK:
                put(indent, f"_s{op[1]} = (" + ", ".join(n for s in _STATE for n in q.names("{%s}" % s)) + ")")
            elif code == _RECOMPUTE:
                sub = {name: f"{name}_{depth + 1}" for name in _STATE}
                lines.append("    " * indent + ", ".join(n for s in _STATE for n in q.names(sub[s])) + f" = _s{op[1]}")
                emit(depth + 1, op[2], indent)
                put(indent, q.copy("{new}", sub["cp"]))
                put(indent, "if " + q.cmp("{new}", "!=", "{cp}") + ":")
                put(indent + 1, q.copy("{x}", sub["cs"]))
                put(indent, "else:")
                put(indent + 1, q.copy("{x}", "{cs}"))
                tail(indent, False, None, True)
            elif code == _MERGER:
                down, up = k(op[2], op[1]), k(op[1], op[2])
                for name in ("p", "cp", "l"):
                    put(indent, q.mul("{%s}" % name, "{%s}" % name, down))
                for name in ("s", "cs"):
                    put(indent, q.mul("{%s}" % name, "{%s}" % name, up))
            elif code == _EXERCISE:
                shares = k(op[1], op[2])
                consts.append(op[4])
                consts.append(op[3])
                put(indent, "if " + q.cmp_const("{s}", "<", shares) + ":")
                put(indent + 1, f"raise _exceeds(_K{len(consts) - 2}, {q.fraction('{s}')}, _K{len(consts) - 1})")
                for line in q.exercised("{s}", "{cs}", shares):
                    put(indent, line)
            elif code == _OTHER:
                put(indent, q.set_const("{new}", k(op[1], op[2])))
                put(indent, q.copy("{x}", "{cs}"))
                tail(indent, False, None, False)
            else:  # _FAIL
                consts.append(op[1])
                put(indent, f"raise _K{len(consts) - 1}")
                break

    state = ", ".join(n for s in _STATE for n in q.names(f"{s}_0"))
    lines.append(f"def _translated({state}):")
    lines.append(f"    _s0 = ({state})")
    emit(0, program, 1)
    lines.append(f"    return ({state})")
    namespace = {"gcd": gcd, "Fraction": Fraction, "_round": round_to_increment, "_exceeds": cap.exercise_exceeds,
                 **{f"_K{i}": c for i, c in enumerate(consts)}}
    namespace.update(q.names_needed())
    exec(compile("\n".join(lines), "<register program>", "exec"), namespace)   # noqa: S102  (our own numbers only)
    return namespace["_translated"]
