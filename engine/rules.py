"""§4's price and share-count decisions, each written once, on exact numbers as int pairs.

A number is an ``(n, d)`` pair of ``int``, ``d > 0``, in lowest terms (the small number
interface: a pair costs a fraction of a ``Fraction`` per operation, and every result here is
exact). A warrant's §4 state is a 12-tuple of them, in this order::

    pn, pd    price in effect (the Per Share Exercise Price actually made)
    sn, sd    Warrant Shares in effect
    cpn, cpd  calculated price: every amount carried forward included (§4(g)(iii))
    csn, csd  calculated Warrant Shares
    ln, ld    §4(h) the lowest price made so far, in the units of the last price made
    en, ed    split/combination units since the last price made (restate ``l`` into today's)

The reference fold (:mod:`engine.ledger`, which adds the trail's sentences), the trail
(:mod:`engine.trail`) and the register's interpreter (:mod:`engine.register`) are drivers over
these functions: which events count (§4(a)) is :func:`engine.capital.counted_shares`; the new
calculated price of each kind is :func:`resized` (§4(b)), :func:`dividend` (§4(c)),
:func:`issue_price` (§4(d), the weighted averages, the Price Floor), :func:`kept` (a share rule
keeping the aggregate price) and :func:`recomputed` (§4(e)(ii)); whether and how it is made is
:func:`settle` (§4(g)(iv), §4(g)(iii), the Price Increment, §4(h)), and :func:`issued` is the whole
of an issue that moves the price; :func:`merged` (§4(b)
merger) and :func:`exercised` (§1(c)) move the state without a decision. The per-branch run
(:mod:`engine.piecewise`) runs the same functions on numerators affine in the starting price
and share counts as forms, which the rules only add, multiply and compare (their comparisons
answer, or split or regroup its branch); where a pair is reduced, :func:`quotient` leaves such
values as they are, and :func:`rounded_pair` lets them round each warrant's price.
"""
from __future__ import annotations

from fractions import Fraction
from math import gcd

from . import errors
from .errors import WarrantError
from .numbers import count, pair, round_to_increment  # noqa: F401 - pair: the rules' pair, for the drivers
from .terms import BROAD_WEIGHTED_AVERAGE, FULL_RATCHET, KEEP_AGGREGATE, NO_ANTI_DILUTION, Terms

APPLIED = "APPLIED"
CARRIED_FORWARD = "CARRIED_FORWARD"
EXCLUDED = "EXCLUDED"
NO_EFFECT = "NO_EFFECT"
BLOCKED_UPWARD = "BLOCKED_UPWARD"
STATUSES = (APPLIED, CARRIED_FORWARD, EXCLUDED, NO_EFFECT, BLOCKED_UPWARD)

State = tuple        # the 12 ints above


def reduced(n: int, d: int) -> tuple[int, int]:
    """The pair n/d in lowest terms (d > 0)."""
    g = gcd(n, d)
    return (n // g, d // g) if g != 1 else (n, d)


def product(a: int, b: int, c: int, d: int) -> tuple[int, int]:
    """The pair (a·b)/(c·d) in lowest terms, where a/c and b/d each are (d, c > 0): a common factor of
    a·b and c·d divides gcd(a, d)·gcd(b, c), so dividing by those (cross-cancelling, as ``Fraction``'s
    own product does) reduces it with gcds of the factors, not of their products."""
    g, h = gcd(a, d), gcd(b, c)
    return (a // g) * (b // h), (c // h) * (d // g)


def quotient(n, d) -> tuple:
    """The pair n/d: :func:`reduced` for ints; a value of the per-branch run (:mod:`engine.piecewise`: a
    numerator affine in the starting price, a share count as a form) as it is, its own forms kept in
    lowest terms (an unreduced pair is the same number: the rules compare by cross-multiplication)."""
    return reduced(n, d) if type(n) is int is type(d) else (n, d)


def start(price: Fraction, shares: Fraction) -> State:
    """The state at the Issue Date: the terms' price and shares, nothing carried."""
    pn, pd, sn, sd = price.numerator, price.denominator, shares.numerator, shares.denominator
    return (pn, pd, sn, sd, pn, pd, sn, sd, pn, pd, 1, 1)


def shown(s: State) -> tuple[int, int]:
    """§4(h): the price returned, the lower of the lowest price made and the price in effect."""
    return returned((s[0], s[1]), (s[8], s[9]))


def returned(price: tuple, lowest: tuple) -> tuple:
    """§4(h): of the price in effect and the lowest price made (restated), the one returned: the lowest
    unless it is above the price. Each a pair (numerator, denominator); :mod:`engine.piecewise` passes
    numerators affine in the starting price (its comparisons answer or split the branch)."""
    return lowest if lowest[0] * price[1] <= price[0] * lowest[1] else price


# --------------------------------------------------------------------------- the new calculated price

def ratio(new: Fraction, old: Fraction) -> tuple[int, int]:
    """``new`` for every ``old`` (a split's, combination's or merger's ratio) as a reduced pair."""
    return reduced(new.numerator * old.denominator, new.denominator * old.numerator)


def resized(s: State, rn: int, rd: int) -> tuple[int, int, int, int, int, int]:
    """§4(b) a split or combination of ratio rn/rd: (price × rd/rn, shares × rn/rd, and the units
    rd/rn, as n, d pairs). A combination (rn < rd) may raise the price."""
    nn, nd = product(s[4], rd, s[5], rn)
    xn, xd = product(s[6], rn, s[7], rd)
    return nn, nd, xn, xd, rd, rn


def dividend_factor(bn: int, bd: int, shares: Fraction | int) -> tuple[int, int]:
    """§4(c): before / (before + shares), the dividend's factor on the price (rights at their maximum),
    for the count ``before`` = bn/bd outstanding immediately before (a pair, as engine.capital keeps it)."""
    n = bn * shares.denominator
    return reduced(n, n + shares.numerator * bd)


def dividend(s: State, fn: int, fd: int) -> tuple[int, int, int, int]:
    """§4(c): price × fn/fd, Warrant Shares × fd/fn (:func:`dividend_factor`)."""
    nn, nd = product(s[4], fn, s[5], fd)
    xn, xd = product(s[6], fd, s[7], fn)
    return nn, nd, xn, xd


def weighted(a: Fraction | int, k: Fraction, c: Fraction | int) -> tuple[int, int, int, int]:
    """The weighted average's constants for A, K = the consideration counted and C = the Additional
    Shares: CP2 = CP1 × (A + B) / (A + C) with B = K / CP1 is (CP1 × X + Y) × gn/gd for CP1 > 0."""
    x, y = a.numerator * k.denominator, k.numerator * a.denominator
    g = Fraction(c.denominator, k.denominator * (a.numerator * c.denominator + c.numerator * a.denominator))
    return x, y, g.numerator, g.denominator


def issue_moves(terms: Terms, cp: tuple[int, int], q: tuple[int, int]) -> bool:
    """§4(d): whether an issue or deemed issue at ``q`` a share moves the price: the terms have a method
    and ``q`` is less than the price otherwise applicable ``cp``."""
    return terms.anti_dilution != NO_ANTI_DILUTION and q[0] * cp[1] < cp[0] * q[1]


def issue_price(cp: tuple[int, int], q: tuple[int, int], constants: tuple | None) -> tuple[int, int]:
    """§4(d) the new calculated price for an issue at ``q`` a share that moves it (:func:`issue_moves`).

    ``constants``: :func:`weighted`'s for a weighted-average method (None for the full ratchet: the
    issue's price per share).
    """
    if constants is None:
        return reduced(*q)
    cpn, cpd = cp
    n = weighted_numerator(cpn, cpd, constants)
    return reduced(n, cpd * constants[3]) if type(n) is int else (n, cpd * constants[3])


def weighted_numerator(cpn: int, cpd: int, constants: tuple) -> int:
    """§4(d) weighted average: the numerator of CP2 = (CP1 × X + Y) × gn/gd over CP1's denominator
    times gd (:func:`weighted`'s constants), CP1 = cpn/cpd (on a branch of the per-branch run, cpn
    is affine in the starting price, and so is the result)."""
    x, y, gn, _ = constants
    return (cpn * x + cpd * y) * gn


def floored(new: tuple[int, int], floor: tuple[int, int] | None) -> tuple[int, int]:
    """The terms' Price Floor (restated into today's shares) bounds a §4(d)/(e) price from below."""
    if floor is not None and new[0] * floor[1] < floor[0] * new[1]:
        return floor
    return new


def issued(terms: Terms, s: State, q: tuple, constants: tuple | str | None, floor: tuple | None,
           row: int | None) -> tuple[str, State]:
    """§4(d)/(e): the status and state after an issue or deemed issue at ``q`` a share that moves the
    price (:func:`issue_moves`): its new calculated price (:func:`issue_price`; ``constants``: the
    method's, or the refusal's text where a count the weighted average needs is unknown), the Price
    Floor (:func:`floored`), the share rule (:func:`kept`), then :func:`settle` with the Price Increment."""
    if type(constants) is str:
        raise WarrantError(constants)
    cp = (s[4], s[5])
    new = floored(issue_price(cp, q, constants), floor)
    xn, xd = kept(terms, (s[6], s[7]), cp, new, row)
    return settle(terms, s, new[0], new[1], xn, xd, rounding=True)


def needs_count(terms: Terms) -> str | None:
    """The count a method's A is (``"fully_diluted"`` broad, ``"outstanding"`` narrow), None for the others."""
    method = terms.anti_dilution
    if method == FULL_RATCHET or method == NO_ANTI_DILUTION:
        return None
    return "fully_diluted" if method == BROAD_WEIGHTED_AVERAGE else "outstanding"


def kept(terms: Terms, cs: tuple[int, int], cp: tuple[int, int], new: tuple[int, int],
         row: int | None) -> tuple[int, int]:
    """The calculated Warrant Shares after a §4(d)/(e) price move: unchanged, or under KEEP_AGGREGATE
    shares × old price / new price (refused at a new price of 0, which keeps no aggregate)."""
    (csn, csd), (cpn, cpd), (nn, nd) = cs, cp, new
    if terms.share_adjustment != KEEP_AGGREGATE or nn * cpd == cpn * nd:
        return cs
    if nn == 0:
        raise errors.zero_price(row)
    return quotient(csn * cpn * nd, csd * cpd * nn)


def recomputed(s: State, redone: State) -> tuple[int, int, int, int]:
    """§4(e)(ii): the recomputed history's calculated price, and its shares when the price moved."""
    nn, nd = redone[4], redone[5]
    xn, xd = (redone[6], redone[7]) if nn * s[5] != s[4] * nd else (s[6], s[7])
    return nn, nd, xn, xd


# --------------------------------------------------------------------------- whether it is made

def settle(terms: Terms, s: State, nn: int, nd: int, xn: int, xd: int, *, upward: bool = False, un: int = 1,
           ud: int = 1, rounding: bool = False, shares_by: tuple[int, int] | None = None) -> tuple[str, State]:
    """(status, state after) of a calculated price ``nn/nd`` and shares ``xn/xd``: made, carried
    forward (§4(g)(iii)) or blocked (§4(g)(iv)).

    ``upward``: a combination, which may raise the price; ``un/ud``: its units (a split's or
    combination's old/new), pending until a price is made; ``rounding``: a §4(d)/(e) move, rounded to
    the terms' Price Increment when one is set (§4(b)/(c) moves stay exact, so a split and its
    reverse restore the price); ``shares_by``: a §4(b)/(c) move's factor on the Warrant Shares, whose
    sentence applies in full when its event happens, even while the price change is carried forward
    (§4(g)(iii) governs "adjustment of the Per Share Exercise Price" only: issue 18).
    """
    pn, pd, sn, sd, cpn, cpd, csn, csd, ln, ld, en, ed = s
    new, calculated = nn * cpd, cpn * nd               # the new and the calculated price, over one denominator
    if not upward and new > calculated:
        return BLOCKED_UPWARD, s                       # §4(g)(iv): never adjusted upward but by a combination
    if un != 1 or ud != 1:
        en, ed = reduced(en * un, ed * ud)
    if new == calculated and xn * csd == csn * xd:
        return NO_EFFECT, (pn, pd, sn, sd, cpn, cpd, csn, csd, ln, ld, en, ed)
    m = terms.minimum_adjustment
    under, over = minimum_margins(nn * pd - pn * nd, pn, nd, m.numerator, m.denominator)
    if under > 0 and over > 0:
        # §4(g)(iii): less than the Minimum Adjustment of the price in effect: the price change is
        # carried forward; a §4(b)/(c) share-count sentence applies now.
        if shares_by is not None:
            sn, sd = quotient(sn * shares_by[0], sd * shares_by[1])
        return CARRIED_FORWARD, (pn, pd, sn, sd, nn, nd, xn, xd, ln, ld, en, ed)
    if rounding and terms.price_increment is not None:
        nn, nd = rounded_pair(terms, nn, nd)
        if not upward and nn * pd > pn * nd:
            nn, nd = pn, pd                            # §4(g)(iv): rounding may not raise the price either
    if en != 1 or ed != 1:                             # §4(h): the lowest so far, in today's units
        ln, ld = quotient(ln * en, ld * ed)
    if nn * ld < ln * nd:
        ln, ld = nn, nd
    return APPLIED, (nn, nd, xn, xd, nn, nd, xn, xd, ln, ld, 1, 1)


def minimum_margins(moved: int, price: int, scale: int, mn: int, md: int) -> tuple[int, int]:
    """§4(g)(iii): a change is carried forward when it is less than the Minimum Adjustment m = mn/md of the
    price in effect, |new - p| < m·p, i.e. exactly where both margins m·p - (new - p) and
    m·p + (new - p) are positive (each returned times md and a positive common denominator).

    ``moved``: the numerator of new - p over that denominator; ``price``: p's numerator, which
    ``scale`` brings to it (for int pairs, new - p = (nn·pd - pn·nd)/(nd·pd): ``price`` pn, ``scale``
    nd). Linear in (moved, price): on a branch of the per-branch run (:mod:`engine.piecewise`) the
    margins are affine in the starting price, and :func:`settle`'s test of their signs splits the
    branch where one changes sign."""
    mp, mm = mn * price * scale, md * moved
    return mp - mm, mp + mm


def rounded(terms: Terms, price: Fraction) -> Fraction:
    """A §4(d)/(e) price rounded to the terms' Price Increment with their rounding mode (set: not None)."""
    return round_to_increment(price, terms.price_increment, terms.price_rounding)


def rounded_pair(terms: Terms, n, d: int) -> tuple:
    """:func:`rounded` of the price n/d, as a pair. Rounding is not affine: a numerator of the per-branch
    run (:mod:`engine.piecewise`) answers by its ``each``, which rounds each warrant's price and
    answers when they all agree (otherwise it regroups the branch by the rounded price)."""
    if type(n) is not int:
        return n.each(d, lambda price: rounded(terms, price))
    made = rounded(terms, Fraction(n, d))
    return made.numerator, made.denominator


# --------------------------------------------------------------------------- moves without a decision

def merged(s: State, rn: int, rd: int) -> State:
    """§4(b) merger, successor units for shares in the ratio rn/rd: shares × rn/rd, every price × rd/rn
    (the aggregate price unchanged); the pending units stay pending."""
    pn, pd = reduced(s[0] * rd, s[1] * rn)
    sn, sd = reduced(s[2] * rn, s[3] * rd)
    cpn, cpd = reduced(s[4] * rd, s[5] * rn)
    csn, csd = reduced(s[6] * rn, s[7] * rd)
    ln, ld = reduced(s[8] * rd, s[9] * rn)
    return (pn, pd, sn, sd, cpn, cpd, csn, csd, ln, ld, s[10], s[11])


def exercised(s: State, shares: Fraction, row: int | None) -> State:
    """§1(c): the holder exercised ``shares``; the new warrant calls for the rest, and the calculated
    count (which may hold a carried change) keeps its proportion to the count in effect."""
    sn, sd = s[2], s[3]
    xn, xd = shares.numerator, shares.denominator
    if xn * sd > sn * xd:
        raise errors.exercise_exceeds(shares, count(Fraction(sn, sd)), row)
    rest = sn * xd - xn * sd                           # (shares - x) × sd × xd
    csn, csd = reduced(s[6] * rest, s[7] * xd * sn)    # calc_shares × (shares - x) / shares
    rn, rd = reduced(rest, sd * xd)
    return (s[0], s[1], rn, rd, s[4], s[5], csn, csd) + s[8:12]
