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
branch regrouped by the outcome (:class:`_Regroup`). A branch costs two to three runs of one price, so where prices
share few decisions (a rounding that leaves most warrants of a branch on their own, more
branches than a third of the prices) they are left to the caller's price-by-price run.

:func:`run` mirrors :func:`engine.register._run` op by op, and takes every §4 decision from
:mod:`engine.rules` itself: ``rules.issue_moves``, ``issue_price``, ``floored``, ``kept``,
``recomputed``, ``settle`` (§4(g)(iv), §4(g)(iii), the Price Increment, §4(h)'s record) and
``returned`` run unchanged on a branch, whose state reaches them as the rules' 12-tuple
(:func:`_state`) with a price's numerator a :class:`_Numerator` (α·x + β) and a share count a
:class:`_Shares` (a share form) wherever they are not one number on the branch. The rules only
add, multiply and compare them: a comparison the whole branch answers alike is answered, one it
does not raises :class:`_Fork` (split the branch at that point) or :class:`_Regroup` (two share
counts equal at some warrants, a price rounded to the increment: regroup warrant by warrant),
and :func:`_decided` splits or regroups the branch and runs the rule again on each part; the
rules' state after is the branch's again (:func:`_settled`). The new calculated price of a split,
a dividend or a merger (a constant factor) is the driver's own scaling of the forms. The reference
fold stays the specification, and ``tests/test_register.py`` proves this path equal to it.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from fractions import Fraction
from math import gcd
from typing import Callable, Container, Iterable

from .ops import (DIVIDEND as _DIVIDEND, FAIL as _FAIL, MARK as _MARK, MERGER as _MERGER, NONE as _NONE,
                  OTHER as _OTHER, ISSUE as _ISSUE, RECOMPUTE as _RECOMPUTE, RESIZE as _RESIZE)
from .errors import WarrantError
from . import rules
from .terms import Terms

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
                fn, fd, k = fd, fn, -k          # a divisor is never 0 on its branch (rules.kept refuses a zero price)
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


# ----------------------------------------------------------------------------- the rules on a branch

class _Fork(Exception):
    """A rule's comparison that the warrants of the branch answer differently: the branch is split
    where the sign form ``sign`` (α·x + β) is positive and the rule run again on each part
    (``exact``: an equality, split where it is positive, zero and negative)."""

    def __init__(self, sign: tuple, exact: bool = False) -> None:
        super().__init__()
        self.sign, self.exact = sign, exact


class _Regroup(Exception):
    """A rule's step that is not a comparison of prices (two share counts equal at points, a price
    rounded to the Price Increment) and that the warrants of the branch answer differently: the
    branch is regrouped warrant by warrant by ``value(x)`` and the rule run again on each group."""

    def __init__(self, value: Callable) -> None:
        super().__init__()
        self.value = value


class _Numerator:
    """A price's numerator α·x + β on a branch (``xs``: its sorted starting prices), as the rules use an
    int numerator: added, subtracted, times an int, compared with another numerator or an int. A
    comparison answers when the whole branch answers it alike (α·x + β is monotone in x, so its
    two ends decide), and raises :class:`_Fork` otherwise; :meth:`each` (a function of the price
    that is not affine, the rounding) answers when every warrant gives the same, and raises
    :class:`_Regroup` otherwise."""

    __slots__ = ("a", "b", "xs", "form")

    def __init__(self, a: int, b: int, xs: list, form: tuple | None = None) -> None:
        self.a, self.b, self.xs, self.form = a, b, xs, form          # form: the price form it came from

    def __mul__(self, k):
        if type(k) is int:
            return _Numerator(self.a * k, self.b * k, self.xs)
        return NotImplemented                     # a share count times a price: _Shares.__mul__

    __rmul__ = __mul__

    def __add__(self, other) -> "_Numerator":
        if type(other) is _Numerator:
            return _Numerator(self.a + other.a, self.b + other.b, self.xs)
        return _Numerator(self.a, self.b + other, self.xs)

    __radd__ = __add__

    def __sub__(self, other) -> "_Numerator":
        if type(other) is _Numerator:
            return _Numerator(self.a - other.a, self.b - other.b, self.xs)
        return _Numerator(self.a, self.b - other, self.xs)

    def __rsub__(self, other: int) -> "_Numerator":
        return _Numerator(-self.a, other - self.b, self.xs)

    def __gt__(self, other, flip: bool = False) -> bool:
        if type(other) is _Numerator:
            al, be = self.a - other.a, self.b - other.b
        else:
            al, be = self.a, self.b - other
        if flip:                                  # other > self
            al, be = -al, -be
        (n0, d0), (n1, d1) = self.xs[0], self.xs[-1]
        v0, v1 = al * n0 + be * d0, al * n1 + be * d1
        if v0 > 0 and v1 > 0:
            return True
        if v0 <= 0 and v1 <= 0:
            return False
        raise _Fork((al, be))

    def __lt__(self, other) -> bool:
        return self.__gt__(other, True)

    def __le__(self, other) -> bool:
        return not self.__gt__(other)

    def __ge__(self, other) -> bool:
        return not self.__gt__(other, True)

    def __eq__(self, other) -> bool:
        if type(other) is _Shares:
            return NotImplemented                 # a count (a price's numerator times a count): _Shares.__eq__
        al, be = (self.a - other.a, self.b - other.b) if type(other) is _Numerator else (self.a, self.b - other)
        if not al:
            return not be
        (n0, d0), (n1, d1) = self.xs[0], self.xs[-1]
        v0, v1 = al * n0 + be * d0, al * n1 + be * d1
        if (v0 > 0 and v1 > 0) or (v0 < 0 and v1 < 0):
            return False
        raise _Fork((al, be), exact=True)

    __hash__ = None

    def each(self, d: int, fn: Callable) -> tuple[int, int]:
        """``fn`` of the price (α·x + β)/d, as a pair, where every warrant of the branch gives the same."""
        a, b = self.a, self.b
        made = _alike(self.xs, lambda x: fn(Fraction(a * x[0] + b * x[1], d * x[1])))
        return made.numerator, made.denominator


class _Shares:
    """A Warrant Shares count on a branch: a share form c·Π(x + r)^k (``xs``: the branch's sorted
    starting prices), as the rules use a count's numerator: times an int or a price's numerator,
    compared for equality. The same form is the same count at every warrant; two forms are equal
    at some points at most, so a comparison the warrants answer differently raises :class:`_Regroup`."""

    __slots__ = ("form", "xs")

    def __init__(self, form: tuple, xs: list) -> None:
        self.form, self.xs = form, xs

    def __mul__(self, k) -> "_Shares":
        if type(k) is int:
            return _Shares(_shares_scaled(self.form, k, 1), self.xs)
        return _Shares(_times(self.form, (k.a, k.b, 1), 1), self.xs)

    __rmul__ = __mul__

    def __eq__(self, other) -> bool:
        f, g = self.form, _count_form(other)
        if f == g:
            return True
        if not f[2] and not g[2]:                 # two constants
            return False
        return _alike(self.xs, lambda x: _shares_at(f, x) == _shares_at(g, x))

    __hash__ = None


def _alike(xs: list, value: Callable):
    """``value(x)``, the same for every warrant ``x`` of ``xs``; where they differ, :class:`_Regroup`."""
    first = value(xs[0])
    if any(value(x) != first for x in xs[1:]):
        raise _Regroup(value)
    return first


def _count_form(n, d=1) -> tuple:
    """A share count as the rules leave it, as a share form: its numerator an int, a :class:`_Shares` or
    a price's :class:`_Numerator` (a count times a price), its denominator an int or a
    :class:`_Numerator` (never 0 on the branch: the rules refuse a zero price first)."""
    if type(n) is int:
        f = (n, 1, ()) if n else _NO_SHARES
    else:
        f = n.form if type(n) is _Shares else _times((1, 1, ()), (n.a, n.b, 1), 1)
    if type(d) is not int:
        return _times(f, (d.a, d.b, 1), -1)
    return _shares_scaled(f, 1, d) if d != 1 else f


def _price(f: tuple, xs: list) -> tuple:
    """The price form ``f`` = (A·x + B)/D for the warrants ``xs`` as a rules pair: (numerator, D), or plain
    ints where the form is one number there (a constant, or one price x = n/d: ((A·n + B·d), D·d))."""
    a = f[0]
    if not a:
        return f[1], f[2]
    if len(xs) == 1:
        n, d = xs[0]
        return a * n + f[1] * d, f[2] * d
    return _Numerator(a, f[1], xs, f), f[2]


def _count(form: tuple, xs: list) -> tuple:
    """The share form for the warrants ``xs`` as a rules pair: plain ints where it is one number there."""
    if not form[2]:
        return form[0], form[1]
    if len(xs) == 1:
        v = _shares_at(form, xs[0])
        return v.numerator, v.denominator
    return _Shares(form, xs), 1


def _state(forms: tuple, xs: list) -> tuple:
    """A branch's state (its forms: price, shares, calculated price and shares, lowest, units) for the
    warrants ``xs``, as engine.rules' 12-tuple (:func:`_price`, :func:`_count`)."""
    p, s, cp, cs, l, e = forms
    pp = _price(p, xs)
    cpp = pp if cp is p else _price(cp, xs)              # one form, one pair: the rules then leave it as one
    sp = _count(s, xs)
    return pp + sp + cpp + (sp if cs is s else _count(cs, xs)) + (
        pp if l is p else cpp if l is cp else _price(l, xs)) + e


def _price_form(n, d: int) -> tuple:
    """A price the rules made (numerator an int or a :class:`_Numerator`, denominator an int) as a form."""
    if type(n) is int:
        return _form(0, n, d)
    f = n.form
    return f if f is not None and f[2] == d else _form(n.a, n.b, d)


def _settled(b: "_Branch", s: tuple, after: tuple) -> None:
    """The branch's state set to the rules' state ``after`` (from ``s``, its state as :func:`_state` gave
    it): each number the rule left as it was keeps its form."""
    if after is s:
        return
    p, sh, cp, cs = b.p, b.s, b.cp, b.cs
    if after[0] is not s[0] or after[1] != s[1]:
        p = _price_form(after[0], after[1])
    if after[2] is not s[2] or after[3] != s[3]:
        sh = _count_form(after[2], after[3])
    if after[4] is after[0] and after[5] == after[1]:                   # a price made: the calculated price too
        cp = p
    elif after[4] is not s[4] or after[5] != s[5]:
        cp = _price_form(after[4], after[5])
    if after[6] is after[2] and after[7] == after[3]:
        cs = sh
    elif after[6] is not s[6] or after[7] != s[7]:
        cs = _count_form(after[6], after[7])
    if after[8] is not s[8] or after[9] != s[9]:
        b.l = p if after[8] is after[0] and after[9] == after[1] else _price_form(after[8], after[9])
    b.p, b.s, b.cp, b.cs, b.e = p, sh, cp, cs, after[10:12]


def _decided(b: "_Branch", rule: Callable, ctx: "_Context | None" = None) -> list:
    """[(``rule(part)``, part)]: the rule run on the branch's forms; where one of its comparisons
    forks, the branch is split there (:class:`_Fork`), or regrouped warrant by warrant
    (:class:`_Regroup`), and the rule run again on each part (whose warrants then agree). A
    regrouping that leaves most warrants on their own (:func:`_scattered`) gives no answer: those
    warrants are left to the price-by-price run. With ``ctx``, a part the rule refuses (a
    ``WarrantError``) is recorded as failed with the refusal's text."""
    todo, out = [b], []
    while todo:
        part = todo.pop()
        try:
            out.append((rule(part), part))
        except _Fork as fork:
            if fork.exact:                        # an equality: the warrants where it holds, then each side
                zero, part = _split(part, fork.sign, _EQ)
                if zero is not None:
                    todo.append(zero)
                if part is None:
                    continue
            yes, no = _split(part, fork.sign, _GT)
            todo += [p for p in (no, yes) if p is not None]
        except _Regroup as regroup:
            groups = _by_warrant(part, regroup.value)
            if not _scattered(len(groups), sum(len(g.xs) for _, g in groups)):
                todo += [g for _, g in groups]
        except WarrantError as refusal:
            if ctx is None:
                raise
            ctx.failed.append((part.xs, str(refusal)))    # its text: no exception object kept
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


def _live(program: tuple) -> list[set]:
    """For each op of the program, the snapshots its later recomputations read."""
    live, after = [], set()
    for op in reversed(program):
        live.append(after)
        if op[0] == _RECOMPUTE:
            after = after | {op[1]}
    return live[::-1]


def _merged(branches: list, live: set) -> list:
    """The branches, those that reached the same state with the same snapshots still to be read made one:
    the rest of the run reads nothing else of a branch (the top-level run only: an alternative history's
    run hands all its snapshots on)."""
    by: dict = {}
    out = []
    for b in branches:
        same = by.setdefault(b.state(), [])
        for into in same:
            if all(into.snaps.get(k) == b.snaps.get(k) for k in live):
                into.xs = _ascending(into.xs + b.xs)
                break
        else:
            same.append(b)
            out.append(b)
    return out


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
# price (run()'s ``finish``): a branch step costs two to three price steps. Measured on issue 17's
# spread register book (bench/bench_register_book.py, 10,000 rows, alternated in one process): 3
# took 3-4% less CPU than 1, 2 and 4 no less than 3; the before book and the distinct register alike.
ALONE = 3


class _TooManyBranches(Exception):
    """The run has more branches than :func:`run` repays (prices that share few decisions): every
    price is left to the price-by-price path."""


class _Context:
    __slots__ = ("terms", "failed", "most", "count", "finish", "done")

    def __init__(self, terms: Terms, warrants: int, finish: Callable | None = None) -> None:
        self.finish = finish                         # the price-by-price run of the rest, for a small branch's warrants
        self.done: dict = {}                         # its answers: x -> (price, shares)
        self.terms = terms
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
    with at most :data:`ALONE` warrants between two ops of the program is handed to it, price by
    price (a few prices cost less run alone than as a branch of forms). Not inside a recomputation's run, whose branches are cut
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
    lowest = _price(b.l, b.xs)
    return rules.returned(_price(b.p, b.xs), lowest) is lowest


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


def _alone(program: tuple, i: int, b: _Branch, ctx: _Context, live: set) -> None:
    """The warrants of a small branch, after the program's op ``i``, finished price by price (``live``: the
    snapshots the rest reads)."""
    rest, state = program[i + 1:], b.state()
    for x in b.xs:
        snaps = {k: _state_at(v, x) for k, v in b.snaps.items() if k in live}
        try:
            ctx.done[x] = ctx.finish(rest, _state_at(state, x), snaps)
        except WarrantError as refusal:
            ctx.failed.append(([x], str(refusal)))     # its text: no exception object kept


def _walk(program: tuple, branches: list, ctx: _Context, top: bool = False) -> list:
    alone = top and ctx.finish is not None
    live = _live(program) if top else None
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
        if live and len(out) > 1:
            out = _merged(out, live[i])
        if alone and len(out) > 1:
            for b in out:
                if len(b.xs) <= ALONE:
                    _alone(program, i, b, ctx, live[i])
            out = [b for b in out if len(b.xs) > ALONE]
        if len(out) > ctx.most:
            raise _TooManyBranches
        branches = out
        if not branches:
            break
    return branches


def _issue(op: tuple, b: _Branch, ctx: _Context, out: list) -> None:
    """§4(d)/(e) an issue at qn/qd a share: ``rules.issue_moves``, then ``rules.issued`` on the branch."""
    _, qn, qd, broad, narrow, floor, row = op
    q, terms, count = (qn, qd), ctx.terms, ctx.count
    constants = None if count is None else broad if count == "fully_diluted" else narrow

    def rule(part: _Branch) -> tuple | None:
        if not rules.issue_moves(terms, _price(part.cp, part.xs), q):
            return None
        s = _state(part.state(), part.xs)
        return s, rules.issued(terms, s, q, constants, floor, row)[1]
    for made, part in _decided(b, rule, ctx):
        if made is not None:
            _settled(part, *made)
        out.append(part)


def _recompute(op: tuple, branches: list, ctx: _Context, out: list) -> None:
    """§4(e)(ii): the alternative history run from its snapshot, once for all the branches that
    share that snapshot (they forked after it, or were merged: :func:`_merged`), its branches then
    cut along the main branches, and ``rules.recomputed`` and ``rules.settle`` run on each."""
    _, snapshot, rest = op
    marks = [o[1] for o in rest if o[0] == _MARK]            # the snapshots the alternative records
    starts: dict[int, list] = {}
    for b in branches:
        starts.setdefault(id(b.snaps[snapshot]), []).append(b)
    terms = ctx.terms
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
            redone = sub.state()
            for main, mine_xs in parts.items():
                snaps = {**main.snaps, **{k: sub.snaps[k] for k in marks}}   # each branch its own
                mine = _Branch(mine_xs, main.state(), snaps)

                def rule(part: _Branch) -> tuple:
                    s = _state(part.state(), part.xs)
                    after = rules.recomputed(s, _state(redone, part.xs))
                    return s, rules.settle(terms, s, *after, rounding=True)[1]
                for made, part in _decided(mine, rule, ctx):
                    _settled(part, *made)
                    out.append(part)


def _tail(b: _Branch, upward: bool, unit: tuple | None, rounding: bool, ctx: _Context, out: list,
          shares_by: tuple | None = None) -> None:
    """``rules.settle`` on the branch, its calculated price ``b.new`` and shares ``b.x`` (``unit``: a
    split's or combination's units, pending until a price is made; ``shares_by``: a §4(b)/(c)
    share-count sentence, applied even where the price change is carried)."""
    terms, new, x = ctx.terms, b.new, b.x
    un, ud = unit or _UNIT

    def rule(part: _Branch) -> tuple:
        xs = part.xs
        s = _state(part.state(), xs)
        return s, rules.settle(terms, s, *_price(new, xs), *_count(x, xs), upward=upward, un=un, ud=ud,
                               rounding=rounding, shares_by=shares_by)[1]
    for made, part in _decided(b, rule, ctx):
        _settled(part, *made)
        out.append(part)
