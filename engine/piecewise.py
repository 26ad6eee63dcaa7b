"""One compiled program run once for many starting prices: a register of distinct prices.

Within one program (one ledger, one set of company terms) every price a run makes is
*affine* in the warrant's starting price ``x``: a split or a dividend multiplies the price by a
constant, a weighted average makes ``cp·A/(A+C) + K/(A+C)`` (§4(d)), an issue at a lower price,
a Price Floor or a Board adjustment replaces it by a constant. Every decision a run takes
(§4(d) "less than the price otherwise applicable", the Price Floor, §4(g)(iv) no upward
adjustment, §4(g)(iii) the one percent, §4(h) the lowest price) compares two such prices, so it
holds on one side of one point of ``x``. The warrants of a register, sorted by starting price,
are therefore split at those points into *branches* that take the same decisions; the program
runs once per branch, on forms ``(A·x + B)/D`` instead of numbers, and each warrant's answer is its
branch's final form evaluated at its price. A register of ten thousand prices to the cent over
the 100-event ledger of the benchmark takes a few dozen branches per set of terms.

Shares (run at one share: the register's linear case, no ``EXERCISE`` in the ledger) are
``c·Π(x + r)^k``: KEEP_AGGREGATE multiplies the count by the old price and divides it by the
new one, every other share move multiplies it by a constant. Kept with the exponents merged
(monic factors, cancelled), two forms are the same function exactly when they are the same
tuple. Where a decision is not a comparison of prices — two share counts compared, a price
rounded to the terms' increment — each warrant of the branch is evaluated on its own and the
branch regrouped by the outcome. A branch costs two to three runs of one price, so where prices
share few decisions (a rounding that leaves most warrants of a branch on their own, more
branches than a third of the prices) they are left to the caller's price-by-price run.

:func:`run` mirrors :func:`engine.register._run` op by op. Five §4 decisions it takes from
:mod:`engine.rules` itself: ``rules.issue_moves``, ``rules.floored`` and ``rules.returned`` run on
numerators affine in the starting price (:class:`_Numerator`, whose comparisons answer or raise
:class:`_Fork`, and :func:`_decided` splits the branch there), ``rules.minimum_margins`` and
``rules.weighted_numerator`` coefficient by coefficient. The rest of ``rules.settle`` (§4(g)(iv),
the increment, §4(h)'s record) is still stated in :func:`_tail` and :func:`_apply`, and
KEEP_AGGREGATE and §4(e)(ii)'s shares in :func:`_issue_moved` and :func:`_recompute` (docs/mutation.md,
"What remains"); it reads the method and the weighted-average constants the rules made
(``rules.needs_count``, ``rules.weighted``) from the program. The reference
fold stays the specification, and ``tests/test_register.py`` proves this path equal to it.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from fractions import Fraction
from math import gcd
from typing import Callable, Container, Iterable

from .ops import (DIVIDEND as _DIVIDEND, FAIL as _FAIL, MARK as _MARK, MERGER as _MERGER, NONE as _NONE,
                  OTHER as _OTHER, ISSUE as _ISSUE, RECOMPUTE as _RECOMPUTE, RESIZE as _RESIZE)
from . import capital as cap
from .errors import WarrantError
from . import rules
from .numbers import round_to_increment
from .terms import KEEP_AGGREGATE, Terms

_NO_SHARES = (0, 1, ())                                      # the share form of 0
_UNIT = (1, 1)                                               # no units pending
_GT, _EQ = ">", "=="


# ----------------------------------------------------------------------------- forms

# A warrant's starting price x is an int pair (n, d), d > 0. A price form is (A, B, D), D > 0, with
# no common factor: the price (A·x + B) / D. A comparison of prices reduces to the sign of a
# "sign form" (α, β): α·x + β, times a positive number. A share form is (cn, cd, factors), cn/cd in
# lowest terms, cd > 0: (cn/cd)·Π(x + r)^k over a sorted tuple of (r, k), r = rn/rd an int pair
# (rn, rd) in lowest terms, rd > 0 (one spelling for one number: a factor's pair is its key), k != 0;
# no factors when cn is 0. Pending units are an (n, d) pair.

def _form(a: int, b: int, d: int) -> tuple:
    g = gcd(a, b, d)
    return (a // g, b // g, d // g) if g != 1 else (a, b, d)


def _constant(n: int, d: int) -> tuple:
    return (0, n, d)


def _scaled(f: tuple, kn: int, kd: int) -> tuple:
    """The price f x kn/kd (kd > 0)."""
    return _form(f[0] * kn, f[1] * kn, f[2] * kd)


def _above(f: tuple, g: tuple) -> tuple:
    """The sign form of f - g: positive where the price f is above the price g."""
    return (f[0] * g[2] - g[0] * f[2], f[1] * g[2] - g[1] * f[2])


def _price_at(f: tuple, x: tuple) -> Fraction:
    n, d = x
    return Fraction(f[0] * n + f[1] * d, f[2] * d)            # Fraction reduces the pair (den > 0)


def _shares_at(form: tuple, x: tuple) -> Fraction:
    num, den, factors = form
    if factors:
        n, d = x
        for (rn, rd), k in factors:
            fn, fd = n * rd + rn * d, d * rd                  # x + r
            if k < 0:
                fn, fd, k = fd, fn, -k          # a divisor is never 0 on its branch (see _kept)
            num, den = num * fn ** k, den * fd ** k
        if den < 0:
            num, den = -num, -den
    return Fraction(num, den)                                 # Fraction reduces the pair (den > 0)


def _shares_scaled(form: tuple, kn: int, kd: int) -> tuple:
    """The share form times kn/kd (kd > 0)."""
    cn, cd = form[0] * kn, form[1] * kd
    if not cn:
        return _NO_SHARES
    g = gcd(cn, cd)
    return (cn // g, cd // g, form[2]) if g != 1 else (cn, cd, form[2])


def _times(form: tuple, price: tuple, k: int) -> tuple:
    """``form`` x price^k (k = 1 or -1), the price's factor made monic and merged with the others."""
    cn, cd, factors = form
    a, b, d = price
    if not a:
        return _shares_scaled(form, b, d) if k > 0 else _shares_scaled(form, d, b) if b > 0 else \
            _shares_scaled(form, -d, -b)
    form = _shares_scaled(form, a, d) if k > 0 else _shares_scaled(form, d, a) if a > 0 else \
        _shares_scaled(form, -d, -a)                          # (a x + b)/d = (a/d)(x + b/a)
    if not form[0]:
        return _NO_SHARES
    r = rules.reduced(b, a) if a > 0 else rules.reduced(-b, -a)   # b/a, its denominator positive
    merged = dict(factors)
    e = merged.get(r, 0) + k
    if e:
        merged[r] = e
    else:
        del merged[r]
    return (form[0], form[1], tuple(sorted(merged.items())))


def _kept(cs: tuple, cp: tuple, new: tuple) -> tuple:
    """KEEP_AGGREGATE: shares x old price / new price. ``new`` is not 0 anywhere on the branch
    (the program refuses a zero price first), so the divisor it adds never vanishes there."""
    return _times(_times(cs, cp, 1), new, -1)


# ----------------------------------------------------------------------------- the rules on a branch

class _Fork(Exception):
    """A rule's comparison that the warrants of the branch answer differently: the branch is split
    where the sign form ``sign`` (α·x + β) is positive and the rule run again on each part."""

    def __init__(self, sign: tuple) -> None:
        super().__init__()
        self.sign = sign


class _Numerator:
    """A price's numerator α·x + β on a branch (``ends``: its lowest and highest starting price), as
    the rules use an int numerator: times an int, compared with another numerator or an int. A
    comparison answers when the whole branch answers it alike (α·x + β is monotone in x, so its
    two ends decide), and raises :class:`_Fork` otherwise."""

    __slots__ = ("a", "b", "ends")

    def __init__(self, a: int, b: int, ends: tuple) -> None:
        self.a, self.b, self.ends = a, b, ends

    def __mul__(self, k: int) -> "_Numerator":
        return _Numerator(self.a * k, self.b * k, self.ends)

    __rmul__ = __mul__

    def _minus(self, other) -> tuple:
        if type(other) is _Numerator:
            return (self.a - other.a, self.b - other.b)
        return (self.a, self.b - other)

    def _positive(self, sign: tuple) -> bool:
        al, be = sign
        (n0, d0), (n1, d1) = self.ends
        v0, v1 = al * n0 + be * d0, al * n1 + be * d1
        if v0 > 0 and v1 > 0:
            return True
        if v0 <= 0 and v1 <= 0:
            return False
        raise _Fork(sign)

    def __gt__(self, other) -> bool:
        return self._positive(self._minus(other))

    def __lt__(self, other) -> bool:
        al, be = self._minus(other)
        return self._positive((-al, -be))

    def __le__(self, other) -> bool:
        return not self > other

    def __ge__(self, other) -> bool:
        return not self < other


def _pair(f: tuple, b: "_Branch") -> tuple:
    """The price form ``f`` = (A·x + B)/D on the branch ``b`` as a rules pair: (numerator, D), or plain
    ints where the form is one number on the branch (a constant, or a branch of one price x = n/d:
    ((A·n + B·d), D·d))."""
    a, xs = f[0], b.xs
    if not a:
        return f[1], f[2]
    if len(xs) == 1:
        n, d = xs[0]
        return a * n + f[1] * d, f[2] * d
    return _Numerator(a, f[1], (xs[0], xs[-1])), f[2]


def _decided(b: "_Branch", rule: Callable) -> list:
    """[(``rule(part)``, part)]: the rule run on the branch's forms; where one of its comparisons
    forks, the branch is split there and the rule run again on each part (whose ends then agree)."""
    todo, out = [b], []
    while todo:
        part = todo.pop()
        try:
            out.append((rule(part), part))
        except _Fork as fork:
            yes, no = _split(part, fork.sign, _GT)
            todo += [p for p in (no, yes) if p is not None]
    return out


# ----------------------------------------------------------------------------- branches

class _Branch:
    """Warrants (their starting prices ``xs``, sorted) that took the same decisions so far, with their state as forms."""

    __slots__ = ("xs", "p", "s", "cp", "cs", "l", "e", "snaps", "new", "x")

    def __init__(self, xs: list, state: tuple, snaps: dict) -> None:
        self.xs, self.snaps = xs, snaps
        self.p, self.s, self.cp, self.cs, self.l, self.e = state
        self.new = self.x = None

    def state(self) -> tuple:
        return (self.p, self.s, self.cp, self.cs, self.l, self.e)

    def fork(self, xs: list) -> "_Branch":
        """The same state for other warrants, with its own snapshots (each branch records its own)."""
        b = _Branch(xs, self.state(), dict(self.snaps))
        b.new, b.x = self.new, self.x
        return b


def _split(b: _Branch, sign: tuple, rel: str) -> tuple[_Branch | None, _Branch | None]:
    """(the warrants where the sign form is > 0 (or == 0), the others), each None when empty.

    α·x + β is monotone in x, so its values at the branch's two ends settle most splits; the
    others bisect the sorted prices."""
    xs = b.xs
    al, be = sign
    if not al:
        holds = be > 0 if rel == _GT else be == 0
        return (b, None) if holds else (None, b)
    (n0, d0), (n1, d1) = xs[0], xs[-1]
    v0, v1 = al * n0 + be * d0, al * n1 + be * d1
    if rel == _GT:
        if v0 > 0 and v1 > 0:
            return b, None
        if v0 <= 0 and v1 <= 0:
            return None, b
        if al > 0:                                   # increasing: the yes side is on the right
            i = bisect_right(xs, 0, key=lambda x: al * x[0] + be * x[1])
            yes, no = xs[i:], xs[:i]
        else:
            i = bisect_left(xs, 0, key=lambda x: -(al * x[0] + be * x[1]))
            yes, no = xs[:i], xs[i:]
    else:
        if (v0 > 0 and v1 > 0) or (v0 < 0 and v1 < 0):
            return None, b
        s = 1 if al > 0 else -1
        i = bisect_left(xs, 0, key=lambda x: s * (al * x[0] + be * x[1]))
        if i == len(xs) or al * xs[i][0] + be * xs[i][1]:
            return None, b
        yes, no = [xs[i]], xs[:i] + xs[i + 1:]
    if not no:
        return b, None
    if not yes:
        return None, b
    b.xs = yes
    return b, b.fork(no)


def _by_warrant(b: _Branch, value) -> list[tuple[object, _Branch]]:
    """The branch regrouped by ``value(x)`` warrant by warrant: [(value, branch)], each group still sorted."""
    groups: dict = {}
    for x in b.xs:
        groups.setdefault(value(x), []).append(x)
    out, first = [], True
    for v, xs in groups.items():
        if first:
            b.xs, first = xs, False
            out.append((v, b))
        else:
            out.append((v, b.fork(xs)))
    return out


def _scattered(groups: int, warrants: int) -> bool:
    """Whether regrouping leaves most warrants on their own: each then costs a branch run (two to
    three times a price run), so they are left to the price-by-price path."""
    return groups > 4 and 2 * groups > warrants


def _most_branches(warrants: int) -> int:
    """A branch costs two to three price runs: beyond a third of the warrants, branches do not pay."""
    return max(8, warrants // 3)


# A branch of at most this many warrants, between two ops of the program, is finished price by
# price (run()'s ``finish``): a branch step costs two to three price steps.
ALONE = 1


class _TooManyBranches(Exception):
    """The run has more branches than :func:`run` repays (prices that share few decisions): every
    price is left to the price-by-price path."""


class _Context:
    __slots__ = ("terms", "mn", "md", "keep", "increment", "rounding", "failed", "most", "count", "finish", "done")

    def __init__(self, terms: Terms, warrants: int, finish: Callable | None = None) -> None:
        self.finish = finish                         # the price-by-price run of the rest, for a branch of one warrant
        self.done: dict = {}                         # its answers: x -> (price, shares)
        self.terms = terms
        self.mn, self.md = terms.minimum_adjustment.numerator, terms.minimum_adjustment.denominator
        self.keep = terms.share_adjustment == KEEP_AGGREGATE
        self.increment = terms.price_increment
        self.rounding = terms.price_rounding
        self.failed: list[tuple[list, str]] = []     # (prices, the refusal's text): no exception object kept
        self.most = _most_branches(warrants)
        self.count = rules.needs_count(terms)          # the weighted average's A, or None (full ratchet)


# ----------------------------------------------------------------------------- the run

def run(program: tuple, terms: Terms, prices: Iterable[tuple[int, int]], finish: Callable | None = None,
        shared: Container | None = None) -> dict:
    """``{(numerator, denominator): (price, shares) or (None, the refusal's text)}`` for a warrant of one share at
    each starting price (distinct ``(numerator, denominator)`` pairs in lowest terms): what
    :func:`engine.register._run` gives (or raises) for each, run per branch. A price missing from
    the answer is left to the caller's price-by-price run: a price rounded to an increment that
    left most warrants of its branch on their own (:func:`_scattered`), or every price when the
    branches outnumber a third of them (:class:`_TooManyBranches`).

    ``finish(rest, state, snapshots)``: the price-by-price run (:func:`engine.register._run` and
    its answer) of the ops ``rest`` from a warrant's state as engine.rules keeps it; a branch left
    with one warrant between two ops of the program is handed to it (one price costs less run
    alone than as a branch of forms). Not inside a recomputation's run, whose branches are cut
    along the main ones afterwards.

    ``shared``: the prices whose shares are wanted (None: every price); the others' are None (the
    register's SHARES_FIXED warrants, run with their KEEP_AGGREGATE siblings, take the prices only)."""
    xs = _ascending(prices)
    if not xs:
        return {}
    ctx = _Context(terms, len(xs), finish)
    price, shares = (1, 0, 1), (1, 1, ())                     # x, and one share
    start = (price, shares, price, shares, price, _UNIT)
    try:
        leaves = _walk(program, [_Branch(xs, start, {0: start})], ctx, top=True)
    except _TooManyBranches:
        return {}
    out: dict = dict(ctx.done)
    for b in leaves:
        # §4(h): the price returned
        for lowest, branch in _decided(b, _lowest_returned):
            pf, sf = branch.l if lowest else branch.p, branch.s
            for x in branch.xs:
                out[x] = (_price_at(pf, x), _shares_at(sf, x) if shared is None or x in shared else None)
    for failed, error in ctx.failed:
        for x in failed:
            out[x] = (None, error)
    return out


def _lowest_returned(b: _Branch) -> bool:
    """§4(h) (``rules.returned``): whether the branch returns its lowest price made rather than its price."""
    lowest = _pair(b.l, b)
    return rules.returned(_pair(b.p, b), lowest) is lowest


def _ascending(pairs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The prices in ascending order, exactly: by ``floor(x·2^64)`` (int compares, not ``Fraction``'s),
    then each run of equal keys (prices less than 2^-64 apart) ordered by its exact values."""
    keyed = sorted(((n << 64) // d, n, d) for n, d in pairs)
    out = [(n, d) for _, n, d in keyed]
    i = 0
    while i < len(keyed) - 1:
        j = i + 1
        while j < len(keyed) and keyed[j][0] == keyed[i][0]:
            j += 1
        if j - i > 1:
            out[i:j] = sorted(out[i:j], key=lambda x: Fraction(*x))
        i = j
    return out


def _state_at(state: tuple, x: tuple) -> tuple:
    """A branch's state (forms) at the starting price ``x``: engine.rules' 12 ints."""
    p, s, cp, cs, l, e = state
    p, s, cp, cs, l = _price_at(p, x), _shares_at(s, x), _price_at(cp, x), _shares_at(cs, x), _price_at(l, x)
    return (p.numerator, p.denominator, s.numerator, s.denominator, cp.numerator, cp.denominator,
            cs.numerator, cs.denominator, l.numerator, l.denominator) + e


def _alone(program: tuple, i: int, b: _Branch, ctx: _Context) -> None:
    """The warrants of a small branch, after the program's op ``i``, finished price by price."""
    rest, state = program[i + 1:], b.state()
    for x in b.xs:
        snaps = {k: _state_at(v, x) for k, v in b.snaps.items()}
        try:
            ctx.done[x] = ctx.finish(rest, _state_at(state, x), snaps)
        except WarrantError as refusal:
            ctx.failed.append(([x], str(refusal)))     # its text: no exception object kept


def _walk(program: tuple, branches: list, ctx: _Context, top: bool = False) -> list:
    alone = top and ctx.finish is not None
    for i, op in enumerate(program):
        code = op[0]
        out: list = []
        if code == _RECOMPUTE:                                 # once for the branches sharing a snapshot
            _recompute(op, branches, ctx, out)
            branches = ()
        for b in branches:
            if code == _RESIZE:                                # price x old/new, shares x new/old
                _, rn, rd, upward = op
                b.new, b.x = _scaled(b.cp, rd, rn), _shares_scaled(b.cs, rn, rd)
                _tail(b, upward, (rd, rn), False, ctx, out, (rn, rd))
            elif code == _DIVIDEND:                            # price x fn/fd, shares x fd/fn
                _, fn, fd = op
                b.new, b.x = _scaled(b.cp, fn, fd), _shares_scaled(b.cs, fd, fn)
                _tail(b, False, None, False, ctx, out, (fd, fn))
            elif code == _ISSUE:
                _issue(op, b, ctx, out)
            elif code == _NONE:
                out.append(b)
            elif code == _MARK:
                _, snapshot = op
                b.snaps[snapshot] = b.state()
                out.append(b)
            elif code == _MERGER:                              # prices x old/new, shares x new/old
                _, rn, rd = op
                b.p, b.cp, b.l = _scaled(b.p, rd, rn), _scaled(b.cp, rd, rn), _scaled(b.l, rd, rn)
                b.s, b.cs = _shares_scaled(b.s, rn, rd), _shares_scaled(b.cs, rn, rd)
                out.append(b)
            elif code == _OTHER:                               # §4(g)(ii) the Board's price
                _, pn, pd = op
                b.new, b.x = _constant(pn, pd), b.cs
                _tail(b, False, None, False, ctx, out)
            elif code == _FAIL:
                _, refusal = op
                ctx.failed.append((b.xs, refusal))
            else:   # _EXERCISE: share counts are then not linear in the starting count; the caller runs them one by one
                raise AssertionError("piecewise.run is for ledgers without EXERCISE")  # pragma: no cover
        if alone and len(out) > 1:
            for b in out:
                if len(b.xs) <= ALONE:
                    _alone(program, i, b, ctx)
            out = [b for b in out if len(b.xs) > ALONE]
        if len(out) > ctx.most:
            raise _TooManyBranches
        branches = out
        if not branches:
            break
    return branches


def _issue(op: tuple, b: _Branch, ctx: _Context, out: list) -> None:
    _, qn, qd, broad, narrow, floor, row = op
    q, terms = (qn, qd), ctx.terms                           # the issue's price per share
    for moves, part in _decided(b, lambda p: rules.issue_moves(terms, _pair(p.cp, p), q)):   # §4(d)
        if moves:
            _issue_moved(part, q, broad, narrow, floor, row, ctx, out)
        else:
            out.append(part)


def _issue_moved(b: _Branch, q: tuple, broad, narrow, floor: tuple | None, row: int | None, ctx: _Context,
                 out: list) -> None:
    """A branch whose price an issue at ``q`` moves: the new calculated price (``rules.issue_price``),
    the Price Floor (``rules.floored``), then the share rule and :func:`_tail`."""
    if ctx.count is None:                                     # full ratchet: the issue's price per share
        b.new = _constant(*rules.issue_price(_pair(b.cp, b), q, None))
    else:
        constants = broad if ctx.count == "fully_diluted" else narrow
        if type(constants) is str:                            # a count the weighted average needs is unknown
            ctx.failed.append((b.xs, constants))
            return
        a, c, d = b.cp                                        # cp = (a·x + c)/d: the rule coefficient by coefficient
        wn = rules.weighted_numerator
        b.new = _form(wn(a, 0, constants), wn(c, d, constants), d * constants[3])
    parts = [b]
    if floor is not None:                                     # the terms' Price Floor
        parts = []
        for made, part in _decided(b, lambda p: rules.floored(_pair(p.new, p), floor)):
            if made is floor:
                part.new = _constant(*floor)
            parts.append(part)
    for b in parts:
        b.x = b.cs
        if ctx.keep:                                          # KEEP_AGGREGATE: shares x price unchanged
            same, moved = _split(b, _above(b.new, b.cp), _EQ)
            if same is not None:
                _tail(same, False, None, True, ctx, out)
            if moved is None:
                continue
            zero, moved = _split(moved, moved.new[:2], _EQ)
            if zero is not None:
                ctx.failed.append((zero.xs, str(cap.zero_price(row))))
            if moved is None:
                continue
            moved.x = _kept(moved.cs, moved.cp, moved.new)
            b = moved
        _tail(b, False, None, True, ctx, out)


def _recompute(op: tuple, branches: list, ctx: _Context, out: list) -> None:
    """§4(e)(ii): the alternative history run from its snapshot, once for all the branches that
    share that snapshot (they forked after it), its branches then cut along the main branches."""
    _, snapshot, rest = op
    marks = [o[1] for o in rest if o[0] == _MARK]            # the snapshots the alternative records
    starts: dict[int, list] = {}
    for b in branches:
        starts.setdefault(id(b.snaps[snapshot]), []).append(b)
    for mains in starts.values():
        first = mains[0]
        if len(mains) == 1:
            xs, owner = first.xs, None
        else:
            owner = {x: b for b in mains for x in b.xs}
            xs = _ascending(owner)
        for sub in _walk(rest, [_Branch(xs, first.snaps[snapshot], dict(first.snaps))], ctx):
            if owner is None:
                parts = {first: sub.xs}
            else:
                parts = {}
                for x in sub.xs:
                    parts.setdefault(owner[x], []).append(x)
            for main, mine_xs in parts.items():
                snaps = {**main.snaps, **{k: sub.snaps[k] for k in marks}}   # each branch its own
                mine = _Branch(mine_xs, main.state(), snaps)
                mine.new = sub.cp
                same, moved = _split(mine, _above(mine.new, mine.cp), _EQ)
                if moved is not None:
                    moved.x = sub.cs
                    _tail(moved, False, None, True, ctx, out)
                if same is not None:
                    same.x = same.cs
                    _tail(same, False, None, True, ctx, out)


def _tail(b: _Branch, upward: bool, unit: tuple | None, rounding: bool, ctx: _Context, out: list,
          shares_by: tuple | None = None) -> None:
    """§4(g)(iv), §4(g)(iii), §4(h): the decisions of ``engine.rules.settle``, in its order, per branch
    (``shares_by``: a §4(b)/(c) share-count sentence, applied even where the price change is carried)."""
    moved = _above(b.new, b.cp)                                 # new - cp, for both decisions below
    if not upward:                                            # §4(g)(iv): no upward adjustment
        up, b = _split(b, moved, _GT)
        if up is not None:
            out.append(up)
        if b is None:
            return
    if unit is not None and unit[0] != unit[1]:
        en, ed = b.e[0] * unit[0], b.e[1] * unit[1]
        g = gcd(en, ed)
        b.e = (en // g, ed // g)
    work = []
    same, moved = _split(b, moved, _EQ)
    if moved is not None:
        work.append(moved)
    if same is not None:                                      # the price unchanged: the shares?
        if same.x == same.cs:
            out.append(same)
        else:
            x, cs = same.x, same.cs
            for unchanged, part in _by_warrant(same, lambda v: _shares_at(x, v) == _shares_at(cs, v)):
                (out if unchanged else work).append(part)
    mn, md, margins = ctx.mn, ctx.md, rules.minimum_margins
    for b in work:
        # §4(g)(iii), the rule coefficient by coefficient: new - p = (da·x + db)/(Dn·Dp), p = (pa·x + pb)/Dp
        (pa, pb, _), dn = b.p, b.new[2]
        da, db = _above(b.new, b.p)
        (ua, oa), (ub, ob) = margins(da, pa, dn, mn, md), margins(db, pb, dn, mn, md)
        small, big = _split(b, (ua, ub), _GT)
        if small is not None:
            small, more = _split(small, (oa, ob), _GT)
            if small is not None:
                small.cp, small.cs = small.new, small.x
                if shares_by is not None:
                    small.s = _shares_scaled(small.s, *shares_by)
                out.append(small)
            if more is not None:
                _apply(more, upward, rounding, (da, db), ctx, out)
        if big is not None:
            _apply(big, upward, rounding, (da, db), ctx, out)


def _apply(b: _Branch, upward: bool, rounding: bool, above_p: tuple, ctx: _Context, out: list) -> None:
    """The change made (§4(g)(iv) against the price, §4(h) the lowest); ``above_p``: new - p's sign form."""
    parts = [b]
    if rounding and ctx.increment is not None:               # the terms' Price Increment, warrant by warrant
        new, inc, mode = b.new, ctx.increment, ctx.rounding
        regrouped = _by_warrant(b, lambda v: round_to_increment(_price_at(new, v), inc, mode))
        if _scattered(len(regrouped), sum(len(part.xs) for _, part in regrouped)):
            return                                            # no answer: left to the price-by-price run
        parts = []
        for made, part in regrouped:
            part.new = _constant(made.numerator, made.denominator)
            parts.append(part)
        above_p = None                                        # new has changed
    for b in parts:
        pieces = [b]
        if not upward:
            above, rest = _split(b, above_p or _above(b.new, b.p), _GT)
            if above is not None:
                above.new = above.p
            pieces = [p for p in (above, rest) if p is not None]
        for b in pieces:
            if b.e[0] != b.e[1]:                              # lowest, restated through pending units
                b.l = _scaled(b.l, *b.e)
                b.e = _UNIT
            lower, rest = _split(b, _above(b.l, b.new), _GT)
            if lower is not None:
                lower.l = lower.new
            for b in (lower, rest):
                if b is not None:
                    b.p = b.cp = b.new
                    b.s = b.cs = b.x
                    out.append(b)
