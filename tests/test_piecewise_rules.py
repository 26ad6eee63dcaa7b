"""The per-branch run (engine.piecewise) takes every §4 decision from engine.rules itself: its
numbers (a price's numerator α·x + β, a share count as a form) answer the rules' comparisons
where the whole branch agrees, and otherwise split the branch (a comparison of prices) or regroup
it warrant by warrant (two share counts, a price rounded to the Price Increment).

The hand-worked cases below use a branch of the starting prices $1, $2, $3 (x = 1, 2, 3); the
property runs one op of a program on a branch of random forms and compares each warrant's state
with what the interpreter (engine.register._run, plain ints) makes of that warrant's own numbers."""
from __future__ import annotations

from fractions import Fraction as F
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import WarrantError, d1_terms, piecewise, rules
from engine import errors, ops
from engine.register import _run as interpreted

XS = [(1, 1), (2, 1), (3, 1)]                # the starting prices $1, $2, $3 as (n, d) pairs
X = (1, 0, 1)                                # the price form x


def _branch(xs=XS, state=None):
    return piecewise._Branch(list(xs), state or (X, (1, 1, ()), X, (1, 1, ()), X, (1, 1)), {})


def _answers(rule, xs=XS):
    """{x: the rule's answer there}, with the parts _decided ran it on (each a list of prices)."""
    got, parts = {}, []
    for answer, part in piecewise._decided(_branch(xs), rule):
        parts.append(part.xs)
        for x in part.xs:
            got[x] = answer
    return got, sorted(parts)


def test_a_numerator_answers_where_the_branch_agrees():
    n = piecewise._Numerator(1, 0, XS)            # x on $1..$3
    assert n > 0 and n >= 1 and n < 4 and n <= 3 and not n > 3 and not n < 1
    assert (n == 7) is False and (n != 0) is True
    assert 2 * n - 1 > 0                          # 2x - 1 >= 1 on the branch
    assert (n * 0 == 0) is True                   # 0·x: one number, 0


def test_a_comparison_the_branch_answers_differently_forks_it():
    n = piecewise._Numerator(1, 0, XS)
    with pytest.raises(piecewise._Fork) as fork:
        n > 2
    assert fork.value.sign == (1, -2) and not fork.value.exact
    with pytest.raises(piecewise._Fork) as fork:
        n == 2
    assert fork.value.sign == (1, -2) and fork.value.exact


def test_decided_splits_at_the_point_and_reruns_the_rule():
    # x > 2 holds at $3 only: two parts, each answered alike
    got, parts = _answers(lambda p: piecewise._price(X, p.xs)[0] > 2)
    assert got == {(1, 1): False, (2, 1): False, (3, 1): True}
    assert parts == [[(1, 1), (2, 1)], [(3, 1)]]
    # x == 2 at $2 only: three parts, the warrants on each side of the point apart
    got, parts = _answers(lambda p: piecewise._price(X, p.xs)[0] == 2)
    assert got == {(1, 1): False, (2, 1): True, (3, 1): False}
    assert parts == [[(1, 1)], [(2, 1)], [(3, 1)]]
    # 2x == 3 at $1.50: no warrant there, the two sides apart
    got, parts = _answers(lambda p: piecewise._price(X, p.xs)[0] * 2 == 3)
    assert got == {x: False for x in XS} and parts == [[(1, 1)], [(2, 1), (3, 1)]]


def test_share_counts_equal_at_one_warrant_regroup_the_branch():
    """x shares against 2 shares: equal at $2 only, which is not a comparison of prices."""
    x_shares = piecewise._times((1, 1, ()), X, 1)        # the share form x
    got, parts = _answers(lambda p: piecewise._count(x_shares, p.xs)[0] == 2)
    assert got == {(1, 1): False, (2, 1): True, (3, 1): False}
    assert parts == [[(1, 1), (3, 1)], [(2, 1)]]         # regrouped: $1 and $3 together
    assert piecewise._Shares(x_shares, XS) == piecewise._Shares(x_shares, XS)   # one form: one count everywhere


def test_a_price_rounded_to_the_increment_regroups_the_branch():
    """Prices $1.01, $1.02, $1.04 rounded half up to $0.05: $1.00, $1.00, $1.05."""
    terms = d1_terms(price_increment=F(5, 100))
    xs = [(101, 100), (102, 100), (104, 100)]
    got, parts = _answers(lambda p: rules.rounded_pair(terms, *piecewise._price(X, p.xs)), xs)
    assert got == {(101, 100): (1, 1), (102, 100): (1, 1), (104, 100): (21, 20)}
    assert parts == [[(101, 100), (102, 100)], [(104, 100)]]


def test_a_refusal_on_part_of_a_branch_is_that_part_s():
    """KEEP_AGGREGATE at a new price of 0 (rules.kept) refuses where the new price x - 2 is 0: at $2."""
    terms, ctx = d1_terms(share_adjustment="KEEP_AGGREGATE"), piecewise._Context(d1_terms(), 3)

    def rule(p):
        new = piecewise._price((1, -2, 1), p.xs)
        return rules.kept(terms, (1, 1), (5, 1), new, 7)
    answered = {x for _, part in piecewise._decided(_branch(), rule, ctx) for x in part.xs}
    assert answered == {(1, 1), (3, 1)}
    assert ctx.failed == [([(2, 1)], str(errors.zero_price(7)))]


# ----------------------------------------------------------------------------- one op, branch against interpreter

_grid = st.integers(1, 40).map(lambda k: (k, 4) if k % 4 else (k // 4, 1))            # $0.25 .. $10.00
_prices = st.builds(lambda a, b, d: piecewise._form(a, b, d), st.integers(0, 3), st.integers(0, 12),
                    st.integers(1, 4)).filter(lambda f: f[0] or f[1])                 # positive on the grid
_positive = st.builds(lambda a, b, d: piecewise._form(a, b, d), st.integers(0, 3), st.integers(1, 12),
                      st.integers(1, 4))                                               # never 0 for x > 0


@st.composite
def _shares(draw):
    """A share form: a constant, or a constant times and over prices positive on the grid (KEEP_AGGREGATE's)."""
    form = (draw(st.integers(1, 6)), draw(st.integers(1, 3)), ())
    form = piecewise._shares_scaled(form, 1, 1)
    for _ in range(draw(st.integers(0, 2))):
        form = piecewise._times(form, draw(_positive), draw(st.sampled_from([1, -1])))
    return form


@st.composite
def _op(draw):
    kind = draw(st.sampled_from(["RESIZE", "DIVIDEND", "ISSUE", "ISSUE", "OTHER"]))
    if kind == "RESIZE":
        rn, rd = rules.reduced(draw(st.integers(1, 5)), draw(st.integers(1, 5)))
        return (ops.RESIZE, rn, rd, rn < rd)
    if kind == "DIVIDEND":
        return (ops.DIVIDEND, *rules.dividend_factor(draw(st.integers(1, 20)), 1, draw(st.integers(0, 5))))
    if kind == "OTHER":
        return (ops.OTHER, *rules.reduced(draw(st.integers(0, 40)), 4))
    q = F(draw(st.integers(0, 40)), 4)
    a, c = draw(st.integers(1, 50)), draw(st.integers(1, 50))
    constants = rules.weighted(a, q * c, c)
    floor = draw(st.none() | _grid)
    return (ops.ISSUE, q.numerator, q.denominator, constants, draw(st.just(constants) | st.just("no count")),
            floor, 9)


_terms = st.builds(lambda m, k, mn, inc: d1_terms(anti_dilution=m, share_adjustment=k, minimum_adjustment=mn,
                                                  price_increment=inc),
                   st.sampled_from(["FULL_RATCHET", "BROAD_WEIGHTED_AVERAGE", "NARROW_WEIGHTED_AVERAGE", "NONE"]),
                   st.sampled_from(["NONE", "KEEP_AGGREGATE"]),
                   st.sampled_from([F(0), F(1, 100), F(1, 5)]), st.sampled_from([None, F(1, 4), F(1, 2)]))


def _numbers(state):
    return [F(state[i], state[i + 1]) for i in range(0, 12, 2)]


@settings(max_examples=400)
@given(_terms, st.lists(_grid, min_size=2, max_size=8, unique_by=lambda x: F(*x)), _prices, _shares(), _prices,
       _shares(), _prices, st.sampled_from([(1, 1), (2, 1), (1, 3)]), _op())
def test_one_op_on_a_branch_is_the_interpreter_on_each_warrant(terms, xs, p, s, cp, cs, low, e, op):
    """Each warrant's state after the op, run on a branch of random forms, is the state the
    interpreter (register._run: the rules on plain ints) makes from that warrant's own numbers;
    a warrant it refuses is refused with the same text."""
    xs = sorted(xs, key=lambda x: F(*x))
    state = (p, s, cp, cs, low, e)
    ctx = piecewise._Context(terms, len(xs))
    with mock.patch.object(piecewise, "_scattered", lambda groups, n: False):
        leaves = piecewise._walk((op,), [piecewise._Branch(list(xs), state, {})], ctx)
    got = {x: _numbers(piecewise._state_at(b.state(), x)) for b in leaves for x in b.xs}
    got.update({x: text for failed, text in ctx.failed for x in failed})
    assert sorted(got, key=lambda x: F(*x)) == xs                 # every warrant answered once
    for x in xs:
        try:
            want = _numbers(interpreted((op,), terms, piecewise._state_at(state, x), {}))
        except WarrantError as refusal:
            want = str(refusal)
        assert got[x] == want, x


# ----------------------------------------------------------------------------- equal states, one run

@st.composite
def _states(draw):
    """Two to four branch states from a pool of two, the second often the first with other shares
    (the same prices): equal states as distinct objects, and states alike in price only."""
    p, s, cp, low = draw(_prices), draw(_shares()), draw(_prices), draw(_prices)
    e = draw(st.sampled_from([(1, 1), (2, 1)]))
    first = (p, s, cp, s, low, e)
    other = draw(st.just((p, draw(_shares()), cp, draw(_shares()), low, e)) |
                 st.tuples(_prices, _shares(), _prices, _shares(), _prices, st.just(e)))
    pool = [first, other]
    return [tuple(list(pool[draw(st.integers(0, 1))])) for _ in range(draw(st.integers(2, 4)))]


@settings(max_examples=300)
@given(_terms, st.lists(_grid, min_size=4, max_size=10, unique_by=lambda x: F(*x)), _states(), _states(),
       _op(), st.lists(_op(), min_size=1, max_size=2), _op(), st.randoms(use_true_random=False))
def test_equal_states_run_once_as_the_interpreter_runs_each(terms, xs, mains, snaps, before, rest, after, rnd):
    """A top-level run whose branches share states by value, not by object, some alike in price only:
    after each op the branches with the same state and snapshots still to be read run as one
    (piecewise._merged), and a recomputation's alternative history runs once for the branches
    sharing a snapshot (piecewise._recompute). Each warrant's state is still what the interpreter
    makes of its own numbers (its own start and snapshot), refusals included."""
    xs = sorted(xs, key=lambda x: F(*x))
    n = min(len(mains), len(snaps), len(xs))
    cuts = sorted(rnd.sample(range(1, len(xs)), n - 1))
    parts = [xs[i:j] for i, j in zip([0] + cuts, cuts + [len(xs)])]
    program = (before, (ops.RECOMPUTE, 1, tuple(rest)), after)
    ctx = piecewise._Context(terms, len(xs))
    ctx.most = len(xs)                                            # a branch a warrant at most: never given up
    branches = [piecewise._Branch(list(part), mains[k], {1: snaps[k]}) for k, part in enumerate(parts)]
    with mock.patch.object(piecewise, "_scattered", lambda groups, n: False):
        leaves = piecewise._walk(program, branches, ctx, top=True)
    got = {x: _numbers(piecewise._state_at(b.state(), x)) for b in leaves for x in b.xs}
    got.update({x: text for failed, text in ctx.failed for x in failed})
    assert sorted(got, key=lambda x: F(*x)) == xs                 # every warrant answered once
    for k, part in enumerate(parts):
        for x in part:
            try:
                want = _numbers(interpreted(program, terms, piecewise._state_at(mains[k], x),
                                            {1: piecewise._state_at(snaps[k], x)}))
            except WarrantError as refusal:
                want = str(refusal)
            assert got[x] == want, x
