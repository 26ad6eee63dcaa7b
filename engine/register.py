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
decisions (:mod:`engine.piecewise`); the two share rules of one method and cut take the same
price decisions, so their prices run per branch together (:func:`_answer`).

The reference fold stays the specification; ``tests/test_register.py`` proves this path
equal to it with hypothesis, refusals included.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from datetime import date, datetime
from fractions import Fraction
from typing import Sequence

from . import capital as cap
from . import rules
from .capital import Capital
from .errors import WarrantError
from .ledger import Hashed
from .events import (Amend, Event, Exercise, Expire, Grant, Issue, Merger, Other, Resize, StockDividend, Treasury,
                     alternative_history, dispatch, sort_events)
from .numbers import share_count, shares_of
from .terms import ADJUSTMENT_FIELDS, BROAD_WEIGHTED_AVERAGE, KEEP_AGGREGATE, NARROW_WEIGHTED_AVERAGE, NO_ANTI_DILUTION, Holding, Terms

# Op codes of the compiled program.
from .ops import (DIVIDEND as _DIVIDEND, EXERCISE as _EXERCISE, FAIL as _FAIL, ISSUE as _ISSUE, MARK as _MARK,
                  MERGER as _MERGER, NONE as _NONE, OTHER as _OTHER, RECOMPUTE as _RECOMPUTE, RESIZE as _RESIZE)
from .piecewise import run as _piecewise_run

_PROGRAM_FIELDS = 6                                      # of Terms.adjustment_key: those the program reads
_SHARE_RULE = ADJUSTMENT_FIELDS.index("share_adjustment")


def forget_programs() -> None:
    """Empty the caches of compiled programs (for a benchmark of a ledger never seen)."""
    _PROGRAMS.clear()
    _COMPILED.clear()


def group_key(terms: Terms, dates: Sequence[date]) -> tuple:
    """What decides a warrant's program over a sorted ledger whose event dates are ``dates``: its
    company-level terms and how many events come on or before its Issue Date (those adjust nothing)."""
    return terms.adjustment_key, cap.events_before_issue(dates, terms.issue_date)


def register(terms: Sequence[Terms | tuple[Terms, Holding]], events: Sequence[Event],
             as_of: date | datetime) -> list[tuple[Fraction, int | Fraction]]:
    """(Per Share Exercise Price, Warrant Shares) for each warrant, as :func:`engine.adjust` gives them.

    A warrant is its :class:`Terms`, or a pair (company terms, :class:`Holding`): the terms its
    class shares, and its own name, share count, price and Issue Date (a Holding's blank Issue
    Date is the terms'). The first warrant (in the register's order) the ledger cannot be applied to raises
    its refusal, the one :func:`engine.adjust` raises for it. Warrant Shares are an ``int``
    when whole (:func:`engine.numbers.share_count`).
    """
    day = as_of.date() if isinstance(as_of, datetime) else as_of
    ledger = tuple(e for e in sort_events(events) if e.date <= day)
    dates = [e.date for e in ledger]
    linear = not any(type(e) is Exercise for e in ledger)
    content = Hashed(ledger)                         # hashed once for every group's program lookup
    groups: dict[tuple, _Group] = {}                     # by (Terms.adjustment_key, events before the Issue Date)
    cuts: dict[date, int] = {}                           # Issue Date -> events on or before it
    # One answer slot per (group, starting price), [price, shares factor, group] (see _Group), shared
    # by the rows it answers: each row keeps its holding and its slot, nothing made per row.
    slots: dict[tuple, list] = {}
    holdings: list = []
    answered: list[list] = []
    late = None                                          # the terms of the first row issued after ``day``
    for row in terms:
        if isinstance(row, Terms):
            t = h = row
        else:
            t, h = row                                   # (company terms, own price and count)
        issued = h.issue_date
        if issued is None:                               # a Holding's blank Issue Date is the terms'
            issued = t.issue_date
        cut = cuts.get(issued)
        if cut is None:
            if day < issued:                             # refused, once the rows before it answer (or refuse)
                late = t if issued == t.issue_date else replace(t, issue_date=issued)
                break
            cut = cuts[issued] = cap.events_before_issue(dates, issued)
        p = h.exercise_price
        key = (t.adjustment_key, cut, p.numerator, p.denominator)
        slot = slots.get(key)
        if slot is None:
            group = groups.get(key[:2])
            if group is None:
                if issued != t.issue_date:           # the group's terms carry an Issue Date of the group
                    t = replace(t, issue_date=issued)
                group = groups[key[:2]] = _Group(program_for(t, ledger, content, key[0], cut), t, cut)
            slot = slots[key] = group.prices[key[2:]] = [None, None, group]
        holdings.append(h)
        answered.append(slot)
    if linear:
        _answer(groups)
    out: list[tuple[Fraction, int | Fraction]] = []
    put = out.append
    for h, (price, factor, group) in zip(holdings, answered):
        if not linear:
            put(group.run(h.exercise_price, h.warrant_shares))
        elif factor is None:                             # the warrant's own count, unchanged
            put((price, h.warrant_shares))
        elif price is None:
            raise WarrantError(factor)   # the ledger's refusal for this warrant: a new exception each time
        else:
            put((price, share_count(factor * h.warrant_shares)))
    if late is not None:
        cap.check_as_of(late, day)
    return out


def _answer(groups: dict) -> None:
    """Each group's answers (the linear case). The two share rules of one method and cut run one
    program (:func:`program_for` does not read the share rule), and take the same price decisions:
    the share rule moves the Warrant Shares only, and no decision of §4 reads them, but for
    KEEP_AGGREGATE's refusal of a zero price. Under SHARES_FIXED the Warrant Shares move by the
    §4(b)/(c) and merger sentences alone, whatever the price did (:func:`_fixed_factor`). So where the
    program can make no zero price (:func:`_never_zero`), the two classes' prices run per branch
    together, under KEEP_AGGREGATE, and the SHARES_FIXED warrants take the prices made and that factor."""
    kin: dict[tuple, list] = {}
    for (company, cut), group in groups.items():
        kin.setdefault((company[:_SHARE_RULE] + company[_SHARE_RULE + 1:], cut), []).append(group)
    for both in kin.values():
        if len(both) != 2 or not _never_zero(both[0].program):
            for group in both:
                group.answer_prices()
            continue
        keep, fixed = both if both[0].terms.share_adjustment == KEEP_AGGREGATE else both[::-1]
        prices = {**keep.prices, **fixed.prices}
        if len(prices) < PIECEWISE_AFTER:
            keep.answer_prices()
            fixed.answer_prices()
            continue
        made = _piecewise_run(keep.program, keep.terms, list(prices), keep.finish, keep.prices)
        keep.answer_prices(made)
        factor = _fixed_factor(fixed.program)
        fixed.answer_prices({x: answer if answer[0] is None else (answer[0], factor)
                             for x, answer in made.items() if x in fixed.prices})


def _never_zero(program: tuple) -> bool:
    """Whether no §4(d)/(e) move of the program (its recomputations' included) can make a price of 0 from a
    positive one: every issue at a positive price a share, every weighted average's constants positive."""
    for op in program:
        if op[0] == _ISSUE:
            _, qn, qd, broad, narrow, floor, row = op
            if qn <= 0 or any(type(c) is tuple and (c[0] <= 0 or c[1] < 0 or c[2] <= 0) for c in (broad, narrow)):
                return False
        elif op[0] == _RECOMPUTE and not _never_zero(op[2]):
            return False
    return True


def _fixed_factor(program: tuple) -> Fraction:
    """The factor on a SHARES_FIXED warrant's shares after the program: §4(b) splits, combinations and
    mergers (shares x new/old) and §4(c) dividends (shares x the inverse of the price's factor), each
    applied when its event happens whether or not the price change is made (engine.rules.settle's
    ``shares_by``); a §4(d)/(e) move leaves them, and a §4(e)(ii) recomputation's history has the same
    share moves as the ledger it replaces."""
    n = d = 1
    for op in program:
        code = op[0]
        if code == _RESIZE or code == _MERGER:
            n, d = n * op[1], d * op[2]
        elif code == _DIVIDEND:
            n, d = n * op[2], d * op[1]
    return Fraction(n, d)


_ONE = Fraction(1)

# A group with at least this many distinct starting prices runs once per branch of warrants
# taking the same decisions (engine.piecewise) instead of once per price. A branch costs two to
# three price runs. Measured on issue 17's register books (bench/bench_register_book.py, Issue
# Dates spread across the 100-event ledger: groups of about 13 prices), with share forms and units
# on int pairs and a recomputation run once per shared snapshot: 4 took 12% less CPU than 16, 2
# and 8 no less than 4.
PIECEWISE_AFTER = 4


class _Group:
    """The warrants of one register call sharing a program: the program, a warrant's terms to run
    it with (company-level terms only are read), and its warrants' distinct starting prices, each
    with the slot its answer goes to."""

    __slots__ = ("program", "terms", "cut", "prices")

    def __init__(self, program: tuple, terms: Terms, cut: int = 0) -> None:
        self.program, self.terms, self.cut = program, terms, cut
        # (numerator, denominator) -> [price, shares factor, this group], in the register's order; the linear
        # runs at one share fill the first two: (price, factor, or None for 1), or (None, the refusal's text)
        self.prices: dict[tuple[int, int], list] = {}

    def answer_prices(self, made: dict | None = None) -> None:
        """Fill the slots of :attr:`prices` (the linear case): per branch when there are many
        (``made``: those answers when already run), the prices the branches leave (and every price
        of a small group) one by one."""
        prices = self.prices
        if made is None:
            made = _piecewise_run(self.program, self.terms, list(prices), self.finish) \
                if len(prices) >= PIECEWISE_AFTER else {}
        for x, slot in prices.items():
            answer = made.get(x)
            if answer is None:
                try:
                    answer = self.run(Fraction(*x), _ONE)
                except WarrantError as refusal:
                    answer = (None, str(refusal))
            price, factor = answer
            slot[0], slot[1] = price, (None if price is not None and factor == 1 else factor)   # None: the own count

    def run(self, price: Fraction, shares: int | Fraction) -> tuple[Fraction, int | Fraction]:
        """Run the program for one warrant; returns (price after §4(h), shares)."""
        start = rules.start(price, shares)
        return self.finish(self.program, start, {0: start})

    def finish(self, ops: tuple, state: rules.State, snaps: dict) -> tuple[Fraction, int | Fraction]:
        """The ops ``ops`` run from ``state`` (``snaps``: the snapshots recorded so far): (price after
        §4(h), shares). Also the per-branch run's end for each warrant of a small branch."""
        after = _run(ops, self.terms, state, snaps)
        return Fraction(*rules.shown(after)), shares_of(after[2], after[3])   # §4(h): the lowest price made


# Compiled programs by (ledger content, capital terms, events before the Issue Date, method): a
# ledger seen before is not compiled again. The capital bookkeeping (the costly part) is kept by
# the first three in _COMPILED, and shared by the methods. Bounded: the oldest program is
# forgotten first. A program holds numbers and refusal texts only, never an exception object.
_PROGRAMS: OrderedDict[tuple, tuple] = OrderedDict()
_COMPILED: OrderedDict[tuple, tuple] = OrderedDict()
PROGRAM_CACHE_SIZE = 256


def _cached(cache: OrderedDict, key: tuple, make) -> tuple:
    value = cache.get(key)
    if value is None:
        value = cache[key] = make()
        if len(cache) > PROGRAM_CACHE_SIZE:
            cache.popitem(last=False)
    else:
        cache.move_to_end(key)
    return value


def program_for(terms: Terms, ledger: tuple, content: Hashed | None = None, company: tuple | None = None,
                cut: int | None = None) -> tuple:
    """The program of a sorted ledger for warrants in ``terms``' group (see :func:`group_key`)."""
    if company is None or cut is None:
        company, cut = group_key(terms, [e.date for e in ledger])
    shared = (content or Hashed(ledger), company[:_PROGRAM_FIELDS], cut)
    return _cached(_PROGRAMS, shared + (terms.anti_dilution,), lambda: compile_ledger(
        terms, ledger, _cached(_COMPILED, shared, lambda: _compile(terms, tuple(ledger))[0])))


def compile_ledger(terms: Terms, ledger: Sequence[Event], ops: tuple | None = None) -> tuple:
    """The price program of a sorted ledger for warrants sharing ``terms``' company-level settings and
    method (``ops``: the ledger's ops for every method, when already compiled)."""
    if ops is None:
        ops = _compile(terms, tuple(ledger))[0]
    return _shared(_for_method(ops, terms.anti_dilution))


def _for_method(ops: tuple, method: str) -> tuple:
    """The ops a warrant of ``method`` needs: each ISSUE with its method's constants only (None for
    the others), no ISSUE under NO_ANTI_DILUTION (§4(d): no method, no move), no op that moves nothing,
    and no §4(e)(ii) recomputation whose alternative history runs the very ops run so far (its
    recomputed state is the state in effect: no effect). A run of fewer ops gives the same state."""
    out: list = []
    for op in ops:
        code = op[0]
        if code == _NONE or (code == _ISSUE and method == NO_ANTI_DILUTION):
            continue
        if code == _ISSUE:
            _, qn, qd, broad, narrow, floor, row = op
            op = (_ISSUE, qn, qd, broad if method == BROAD_WEIGHTED_AVERAGE else None,
                  narrow if method == NARROW_WEIGHTED_AVERAGE else None, floor, row)
        elif code == _RECOMPUTE:
            sub = _for_method(op[1], method)
            if len(sub) == len(out) and sub == tuple(out):
                continue
            op = (_RECOMPUTE, sub)
        out.append(op)
    return tuple(out)


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


def _run(program: tuple, terms: Terms, s: rules.State, snaps: dict) -> rules.State:
    """The program's ops applied to the state ``s`` (engine.rules' 12 ints) by the rules, in order.

    ``snaps`` collects the states the program's ``_MARK`` ops record, for the recomputations.
    """
    settle = rules.settle
    count = rules.needs_count(terms)          # the weighted average's A, or None for the full ratchet
    for op in program:
        code = op[0]
        if code == _RESIZE:
            _, rn, rd, upward = op
            nn, nd, xn, xd, un, ud = rules.resized(s, rn, rd)
            s = settle(terms, s, nn, nd, xn, xd, upward=upward, un=un, ud=ud, shares_by=(rn, rd))[1]
        elif code == _DIVIDEND:
            _, fn, fd = op
            s = settle(terms, s, *rules.dividend(s, fn, fd), shares_by=(fd, fn))[1]
        elif code == _ISSUE:
            _, qn, qd, broad, narrow, floor, row = op
            if rules.issue_moves(terms, (s[4], s[5]), (qn, qd)):
                s = rules.issued(terms, s, (qn, qd), None if count is None else broad if count == "fully_diluted" else narrow,
                                 floor, row)[1]
        elif code == _NONE:
            continue
        elif code == _MARK:
            _, snapshot = op
            snaps[snapshot] = s
        elif code == _RECOMPUTE:
            _, snapshot, rest = op
            redone = _run(rest, terms, snaps[snapshot], snaps)
            s = settle(terms, s, *rules.recomputed(s, redone), rounding=True)[1]
        elif code == _MERGER:
            _, rn, rd = op
            s = rules.merged(s, rn, rd)
        elif code == _EXERCISE:
            _, shares, row = op
            s = rules.exercised(s, shares, row)
        elif code == _OTHER:
            _, pn, pd = op
            s = settle(terms, s, pn, pd, s[6], s[7])[1]
        else:  # _FAIL: the reference fold refuses at this event
            _, refusal = op
            raise WarrantError(refusal)
    return s


def _compile(terms: Terms, ledger: tuple, seen: list | None = None) -> tuple[tuple, Capital]:
    """The ops of a sorted ledger, and the capital after it.

    ``seen`` holds the histories already compiled in this program (the main ledger, then each
    §4(e)(ii) alternative history), each as ``(events, before)`` where ``before[i]`` is (a list
    whose first n ops are the ops so far, n, capital) just before its event ``i``. An alternative history keeps the main
    ledger's events up to its first changed grant (and an earlier alternative's up to the
    first grant they amend differently), so its compilation resumes from the longest prefix
    of equal events already compiled: the fold is pure, so resuming gives
    exactly the ops and capital compiling from scratch gives. Past the changed grant, where the
    events are that history's again and the capital folds them as that history's did
    (:func:`engine.capital.rejoins`: a grant's terms differ, which no event of a history reads), it
    takes that history's ops and capitals (the capital after it then holds that history's terms
    of the grant; a recomputation's capital takes its grants from the ledger's, not the history's).
    """
    seen = [] if seen is None else seen
    start, before, base = 0, [([], 0, cap.initial(terms))], None
    for events, known in seen:
        n = min(len(events), len(ledger), len(known) - 1)
        k = 0
        while k < n and (events[k] is ledger[k] or events[k] == ledger[k]):
            k += 1
        if k > start:
            start, before, base = k, known[:k + 1], (events, known)
    done, n, c = before[start]
    ops = done[:n]
    if len(seen) > 1:                    # the latest alternative: the same events but its grant's and ours
        base = seen[-1]
    seen.append((ledger, before))
    again = end = 0
    if base is not None:                 # where the events are that history's again: ledger[again:end]
        events, known = base
        end = min(len(events), len(ledger), len(known) - 1)
        again = end
        while again > start and (events[again - 1] is ledger[again - 1] or events[again - 1] == ledger[again - 1]):
            again -= 1
    i = start
    while i < len(ledger):
        e = ledger[i]
        try:
            if cap.before_issue_date(terms, e.date):
                c = cap.before_issue(c, e)
            else:
                c = cap.stated(c, e)[0]
                op, c = dispatch(e, _STEPS)(terms, ledger, i, e, c, seen)
                ops.append(op)
        except WarrantError as err:
            # The reference fold raises when it reaches this event: so does the program.
            ops.append((_FAIL, str(err)))       # its text: a program never holds an exception
            break
        before.append((ops, len(ops), c))      # ``ops`` only grows: its first n ops stay these
        i += 1
        if again <= i < end and cap.rejoins(c, known[i][2]):
            # The same events from a capital that folds them alike: that history's ops and capitals.
            had, (theirs, last, c) = known[i][1], known[end]
            mine = len(ops) - had
            ops += theirs[had:last]
            before += [(ops, mine + m, d) for _, m, d in known[i + 1:end + 1]]
            i = end
    return tuple(ops), c


def _resize(terms: Terms, ledger: tuple, i: int, e: Resize, c: Capital, seen: list) -> tuple[tuple, Capital]:
    return (_RESIZE, *rules.ratio(e.new, e.old), e.new < e.old), cap.resized(c, e)


def _dividend(terms: Terms, ledger: tuple, i: int, e: StockDividend, c: Capital, seen: list) -> tuple[tuple, Capital]:
    after, before = cap.dividend(c, e)
    return (_DIVIDEND, *rules.dividend_factor(*before, e.shares)), after


def _issue(terms: Terms, ledger: tuple, i: int, e: Issue, c: Capital, seen: list) -> tuple[tuple, Capital]:
    if e.ref in c.rights:
        return (_NONE,), cap.rights_exercised(c, e)[0]
    if e.ref and cap.sheltered(terms, c, e):
        return (_NONE,), cap.grant_exercised(c, e)
    counted, management = cap.additional_shares(terms, e, c)
    op = _price_op(terms, e, c, counted, e.consideration * counted / e.shares if counted else 0)
    return op, cap.pre_issue_exercised(c, e, management) if e.ref else cap.issued(c, e, management)


def _grant(terms: Terms, ledger: tuple, i: int, e: Grant, c: Capital, seen: list) -> tuple[tuple, Capital]:
    cap.check_new_ref(c, e)
    counted, management = cap.additional_shares(terms, e, c)
    op = _price_op(terms, e, c, counted, (e.consideration + e.additional) * counted / e.shares if counted else 0)
    return op, cap.granted(c, e, management)


def _treasury(terms: Terms, ledger: tuple, i: int, e: Treasury, c: Capital, seen: list) -> tuple[tuple, Capital]:
    return (_NONE,), cap.treasury(c, e)[0]


def _merger(terms: Terms, ledger: tuple, i: int, e: Merger, c: Capital, seen: list) -> tuple[tuple, Capital]:
    return (_MERGER, *rules.ratio(e.new, e.old)), cap.merged(c, e.new / e.old)


def _exercise(terms: Terms, ledger: tuple, i: int, e: Exercise, c: Capital, seen: list) -> tuple[tuple, Capital]:
    return (_EXERCISE, e.shares, e.row), cap.exercised_by_holder(c, e)


def _other(terms: Terms, ledger: tuple, i: int, e: Other, c: Capital, seen: list) -> tuple[tuple, Capital]:
    return (_OTHER, e.price.numerator, e.price.denominator), c


def _price_op(terms: Terms, e: Issue | Grant, c: Capital, counted: Fraction, consideration: Fraction) -> tuple:
    """The op of an issue or grant of which ``counted`` shares are Additional Shares for ``consideration``
    (engine.ops ``ISSUE``: for every method, which the run reads from the warrant's terms)."""
    if not counted:
        return (_NONE,)
    q = consideration / counted

    def constants(a: Fraction | int | None, count: str) -> tuple | str:
        if a is None:    # refused only where the issue moves the price (the fold asks for the count then)
            return str(cap.unknown_count(count, "a weighted-average adjustment", e.row))
        return rules.weighted(a, consideration, counted)
    return (_ISSUE, q.numerator, q.denominator, constants(c.fully_diluted, "fully_diluted"),
            constants(c.outstanding, "outstanding"), rules.pair(c.floor), e.row)


def _compile_recompute(terms: Terms, ledger: tuple, i: int, e: Amend | Expire, c: Capital,
                       seen: list) -> tuple[tuple, Capital]:
    if isinstance(e, Expire) and e.ref in c.rights:
        return (_NONE,), cap.rights_expired(c, e)[0]
    current = cap.recompute_target(c, e)
    new_grant = cap.replacement(current, e)
    sub, redone = _compile(terms, alternative_history(ledger[:i], e.ref, new_grant), seen)
    return (_RECOMPUTE, sub), cap.recomputed(c, redone, current, new_grant, e)


# engine.events.dispatch's table: each kind's op and capital after, called (terms, ledger, i, event, capital, seen).
_STEPS = {"resize": _resize, "dividend": _dividend, "issue": _issue, "grant": _grant, "recompute": _compile_recompute,
          "treasury": _treasury, "merger": _merger, "exercise": _exercise, "other": _other}
