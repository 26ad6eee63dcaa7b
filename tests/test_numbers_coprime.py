"""engine.numbers.coprime: a Fraction of a pair already in lowest terms, equal to Fraction(n, d) in every way."""
from __future__ import annotations

from fractions import Fraction
from math import gcd

from hypothesis import given
from hypothesis import strategies as st

from engine.numbers import coprime

pairs = st.tuples(st.integers(-10**40, 10**40), st.integers(1, 10**40)).map(
    lambda nd: (nd[0] // gcd(*nd), nd[1] // gcd(*nd)))


@given(pairs, pairs)
def test_coprime_is_the_fraction(a, b):
    x, y = coprime(*a), coprime(*b)
    fx, fy = Fraction(*a), Fraction(*b)
    assert (x.numerator, x.denominator) == (fx.numerator, fx.denominator)
    assert x == fx and hash(x) == hash(fx) and str(x) == str(fx) and repr(x) == repr(fx)
    assert type(x) is Fraction
    assert (x + y, x * y, x - y, x < y, x == y) == (fx + fy, fx * fy, fx - fy, fx < fy, fx == fy)
    if fy:
        assert x / y == fx / fy


CASES = [
    # (n, d)       the Fraction                         why
    (0, 1),        # zero is 0/1 in lowest terms
    (-3, 7),       # the sign lives on the numerator
    (5, 1),        # a whole number
    (161_290, 3),  # D-1's Warrant Shares after one third
]


def test_reference_cases():
    for n, d in CASES:
        assert coprime(n, d) == Fraction(n, d) and str(coprime(n, d)) == str(Fraction(n, d))


# Every Fraction the fast fold makes with coprime() is in lowest terms, as Fraction(n, d) would make it.
from engine import WarrantError  # noqa: E402
from engine import trail as fast  # noqa: E402
from tests.strategies import event_rows, events, terms  # noqa: E402


def _lowest(value) -> bool:
    return not isinstance(value, Fraction) or (value.denominator > 0 and gcd(value.numerator, value.denominator) == 1)


@given(terms, event_rows())
def test_the_fast_folds_numbers_are_in_lowest_terms(t, rows):
    try:
        state, trail = fast.fast_fold(t, events(rows))
    except WarrantError:
        return
    c = state[12]
    assert all(_lowest(v) for v in (c.outstanding, c.fully_diluted, c.management))
    assert all(_lowest(g.issued) for g in c.grants.values())
    st_ = fast.to_state(state)
    assert all(_lowest(v) for v in (st_.price, st_.shares, st_.calc_price, st_.calc_shares, st_.lowest,
                                    st_.pending_units))
    assert all(_lowest(r.price_before) and _lowest(r.price_after) and _lowest(r.shares_before)
               and _lowest(r.shares_after) for r in trail)
