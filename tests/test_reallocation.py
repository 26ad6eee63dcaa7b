"""Option reallocation under the Reallocated Option Exercise Purchase Agreement (Exhibit T).

The agreement's own figures: John E. Avery 33,689, Scott Family Investors, LLC
33,689, Ernesto Ramon 4,043 Option Shares = 71,421, at $7.50 per Series C Share
(§2 of the agreement). By hand: 33,689 x 7.50 = 252,667.50; 4,043 x 7.50 =
30,322.50; 71,421 x 7.50 = 535,657.50. The seed gives no allocations, so the
optionees around them are illustrative (agreement_optionees()).
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.errors import WarrantError
from engine.reallocation import (
    AGREEMENT_ASSIGNOR, AGREEMENT_PRICE, Optionee, agreement_optionees, pro_rata_whole, reallocate,
)

D = Decimal
TCW = AGREEMENT_ASSIGNOR
PRICE = Fraction(15, 2)


def investors(avery=33_689, scott=33_689, ramon=4_043, assignor=TCW):
    return [
        Optionee("John E. Avery", 0, True, agreed_shares=avery, assigned_from=assignor, row=5),
        Optionee("Scott Family Investors, LLC", 0, True, agreed_shares=scott, assigned_from=assignor, row=6),
        Optionee("Ernesto Ramon", 0, True, agreed_shares=ramon, assigned_from=assignor, row=7),
    ]


# ---------------------------------------------------------------- the agreement
@pytest.mark.parametrize("clause, name, reallocated, assigned, shares, price, why", [
    ("Exhibit T recitals", TCW, 75_000, -71_421, 3_579, D("26842.50"),
     "100,000 unexercised x 300,000 / 400,000 = 75,000; keeps 75,000 - 71,421 = 3,579; x 7.50 = 26,842.50"),
    ("Exhibit T recitals", "Exercising Optionee (illustrative)", 25_000, 0, 25_000, D("187500.00"),
     "100,000 x 100,000 / 400,000 = 25,000; x 7.50 = 187,500.00"),
    ("Exhibit T recitals", "Non-exercising Optionee (illustrative)", 0, 0, 0, D("0.00"), "did not exercise"),
    ("Exhibit T §2, signature page", "John E. Avery", 0, 33_689, 33_689, D("252667.50"), "33,689 x 7.50"),
    ("Exhibit T §2, signature page", "Scott Family Investors, LLC", 0, 33_689, 33_689, D("252667.50"),
     "33,689 x 7.50"),
    ("Exhibit T §2, signature page", "Ernesto Ramon", 0, 4_043, 4_043, D("30322.50"), "4,043 x 7.50"),
])
def test_agreement_rows(clause, name, reallocated, assigned, shares, price, why):
    result = reallocate(agreement_optionees(), AGREEMENT_PRICE)
    row = next(r for r in result.rows if r.optionee == name)
    assert (row.reallocated, row.assigned, row.shares, row.purchase_price) == (reallocated, assigned, shares, price), why


def test_agreement_totals():
    result = reallocate(agreement_optionees(), AGREEMENT_PRICE)
    # Exhibit T §2: the Investors buy 71,421 Option Shares for 71,421 x 7.50 = $535,657.50.
    assert (result.third_parties.shares, result.third_parties.purchase_price) == (71_421, D("535657.50"))
    # All parties: the whole unexercised portion, 100,000 x 7.50 = $750,000.00.
    assert (result.unexercised, result.total.shares, result.total.reallocated) == (100_000, 100_000, 100_000)
    assert result.total.assigned == 0      # in and out cancel
    assert result.total.purchase_price == D("750000.00")
    assert result.total.optionee == "Total"
    assert [r.optionee for r in result.rows] == [o.name for o in agreement_optionees()]   # input order


def test_agreement_with_the_assignor_alone():
    # The simplest reading: TCW/CCI Holding LLC the only exercising optionee, 80,000 unexercised.
    parties = [Optionee(TCW, 200_000, True), Optionee("Other", 80_000, False), *investors()]
    result = reallocate(parties, "7.50")
    tcw = result.rows[0]
    assert (tcw.reallocated, tcw.assigned, tcw.shares) == (80_000, -71_421, 8_579)   # 80,000 - 71,421
    assert [r.purchase_price for r in result.rows[2:]] == [D("252667.50"), D("252667.50"), D("30322.50")]


# ---------------------------------------------------------------- pro rata, largest remainder
@pytest.mark.parametrize("clause, amount, weights, expected, why", [
    ("Exhibit T recitals", 10, [1, 1, 1], [4, 3, 3], "3.33 each: floors 3,3,3; the one left goes by input order"),
    ("Exhibit T recitals", 10, [2, 1], [7, 3], "6.67 / 3.33: floors 6,3; largest remainder .67 gets the one left"),
    ("Exhibit T recitals", 2, [1, 3], [0, 2], "0.5 / 1.5: equal remainders, larger allocation first"),
    ("Exhibit T recitals", 2, [3, 1], [2, 0], "same, reversed order"),
    ("Exhibit T recitals", 2, [1, 1, 2], [1, 0, 1], "0.5, 0.5, 1: tie between equals goes by input order"),
    ("Exhibit T recitals", 7, [0, 5, 2], [0, 5, 2], "a zero allocation gets nothing"),
    ("Exhibit T recitals", 0, [4, 5], [0, 0], "nothing unexercised"),
    ("Exhibit T recitals", 100_000, [300_000, 100_000], [75_000, 25_000], "exact quotas"),
])
def test_pro_rata_whole(clause, amount, weights, expected, why):
    assert pro_rata_whole(amount, weights) == expected, why


@pytest.mark.parametrize("clause, parties, expected, why", [
    ("Exhibit T recitals",
     [Optionee("A", 100, True), Optionee("B", 50, True), Optionee("C", 30, False), Optionee("D", 20, False)],
     {"A": 33, "B": 17}, "50 unexercised: 33.33 / 16.67 -> floors 33,16; B's .67 remainder takes the last"),
    ("Exhibit T recitals", [Optionee("A", 100, True), Optionee("B", 50, True)], {"A": 0, "B": 0},
     "everyone exercised: nothing to reallocate"),
    ("agreed split", [Optionee("A", 100, True, agreed_shares=10), Optionee("B", 50, True, agreed_shares=40),
                      Optionee("C", 50, False)], {"A": 10, "B": 40}, "the agreed split wins over pro rata"),
])
def test_reallocation_cases(clause, parties, expected, why):
    result = reallocate(parties, 1)
    assert {r.optionee: r.reallocated for r in result.rows if r.exercised} == expected, why
    assert result.total.shares == result.unexercised


def test_assignment_of_the_whole_entitlement():
    # Assignments exactly equal to the entitlement are allowed; the assignor keeps 0.
    parties = [Optionee(TCW, 1, True), Optionee("Lapsed", 71_421, False), *investors()]
    tcw = reallocate(parties, PRICE).rows[0]
    assert (tcw.reallocated, tcw.assigned, tcw.shares, tcw.purchase_price) == (71_421, -71_421, 0, D("0.00"))


def test_assigned_from_matches_names_case_insensitively():
    parties = [Optionee(TCW, 1, True), Optionee("Lapsed", 80_000, False), *investors(assignor=TCW.upper())]
    assert reallocate(parties, PRICE).third_parties.shares == 71_421


def test_numbers_from_the_boundary_are_accepted_when_whole():
    # The add-in passes Decimals; whole values are shares.
    row = Optionee("A", D("100"), True, agreed_shares=D("5.0"))
    assert (row.allocation, row.agreed_shares) == (100, 5)


# ---------------------------------------------------------------- bad input
def _run(parties, price=PRICE):
    return lambda: reallocate(parties, price)


@pytest.mark.parametrize("clause, build, message", [
    ("agreed split", _run([Optionee(TCW, 300, True, agreed_shares=60), Optionee("B", 100, True, agreed_shares=39),
                           Optionee("C", 100, False)]),
     r"Agreed Shares total \(99\) must sum to the unexercised portion \(100\)"),
    ("agreed split", _run([Optionee(TCW, 300, True, agreed_shares=60), Optionee("B", 100, True, row=3),
                           Optionee("C", 100, False)]),
     r"Optionees row 3: Agreed Shares \(blank\) must be given for B too"),
    ("agreed split", _run([Optionee(TCW, 300, True), Optionee("C", 100, False, agreed_shares=5, row=3)]),
     r"Optionees row 3: Agreed Shares \(5\) cannot be given to C, which did not exercise"),
    ("Waiver", _run([Optionee(TCW, 1, True), Optionee("Lapsed", 75_000, False),
                     *investors(avery=37_269)]),
     r"Optionees row 7: Agreed Shares \(4043\) bring the shares assigned from TCW/CCI Holding LLC to 75,001, "
     r"more than its reallocated entitlement \(75,000\)"),
    ("Waiver", _run([Optionee(TCW, 1, True), Optionee("Lapsed", 75_000, False), *investors(assignor="TCW")]),
     r"Optionees row 5: Assigned From \('TCW'\) must name an optionee in the table"),
    ("Waiver", _run([Optionee(TCW, 1, False), Optionee("X", 1, True), *investors()]),
     r"Optionees row 5: Assigned From \('TCW/CCI Holding LLC'\) must name an exercising optionee"),
    ("Waiver", _run([Optionee(TCW, 1, True), Optionee("Lapsed", 9, False),
                     Optionee("Avery", 5, True, agreed_shares=1, assigned_from=TCW, row=4)]),
     r"Optionees row 4: Allocation \(5\) of a third party \(assigned from TCW/CCI Holding LLC\) must be 0"),
    ("Waiver", _run([Optionee(TCW, 1, True), Optionee("Lapsed", 9, False),
                     Optionee("Avery", 0, True, assigned_from=TCW, row=4)]),
     r"Optionees row 4: Agreed Shares \(blank\) must give the shares assigned from TCW/CCI Holding LLC"),
    ("Waiver", _run([Optionee(TCW, 1, True), Optionee("Lapsed", 9, False),
                     Optionee("Avery", 0, True, agreed_shares=0, assigned_from=TCW, row=4)]),
     r"Optionees row 4: Agreed Shares \(0\) must be a positive number of shares"),
    ("Exhibit T recitals", _run([Optionee("A", 1, False), Optionee("B", 2, False)]),
     r"Unexercised portion \(3\) has no exercising optionee"),
    ("Exhibit T recitals", _run([Optionee("A", 0, True), Optionee("B", 2, False)]),
     r"Allocations of the exercising optionees \(0\) must be positive to share 2 shares pro rata"),
    ("Exhibit T recitals", _run([Optionee("A", 1, True, row=2), Optionee("a", 2, False, row=3)]),
     r"Optionees row 3: Optionee \('a'\) appears more than once"),
    ("Exhibit T recitals", _run([]), r"Optionees \(blank\) must list at least one optionee"),
    ("Exhibit T §2", _run([Optionee("A", 1, True)], price=-1), r"Price \(-1\) must not be negative"),
    ("Exhibit T §2", _run([Optionee("A", 1, True)], price=7.5), r"Price \(7.5\) is a float"),
    ("Exhibit T recitals", lambda: Optionee("A", -5, True, row=2), r"Optionees row 2: Allocation \(-5\) must not be negative"),
    ("Exhibit T recitals", lambda: Optionee("A", Fraction(5, 2), True), r"Allocation \(2.5\) must be a whole number"),
    ("Exhibit T recitals", lambda: Optionee("A", 5, "yes"), r"Exercised \('yes'\) must be TRUE or FALSE"),
    ("Exhibit T recitals", lambda: Optionee("", 5, True, row=9), r"Optionees row 9: Optionee \(''\) must be a non-blank"),
])
def test_bad_input(clause, build, message):
    with pytest.raises(WarrantError, match=message):
        build()


# ---------------------------------------------------------------- properties
@given(amount=st.integers(min_value=0, max_value=10**9),
       weights=st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=12).filter(lambda w: sum(w) > 0))
def test_pro_rata_sums_exactly_and_stays_within_one(amount, weights):
    shares = pro_rata_whole(amount, weights)
    assert sum(shares) == amount
    total = sum(weights)
    for s, w in zip(shares, weights):
        quota = Fraction(amount * w, total)
        assert quota - 1 < s <= quota + 1 and s >= quota.numerator // quota.denominator
    # equal allocations never differ by more than one share
    by_weight = {}
    for s, w in zip(shares, weights):
        by_weight.setdefault(w, []).append(s)
    assert all(max(v) - min(v) <= 1 for v in by_weight.values())


@given(st.lists(st.tuples(st.integers(min_value=0, max_value=10**6), st.booleans()), min_size=1, max_size=10)
       .filter(lambda rows: any(e and a for a, e in rows) or not any(not e and a for a, e in rows)))
def test_reallocation_total_is_the_unexercised_portion(rows):
    parties = [Optionee(f"O{i}", a, e) for i, (a, e) in enumerate(rows)]
    result = reallocate(parties, PRICE)
    assert result.unexercised == sum(a for a, e in rows if not e)
    assert result.total.shares == result.unexercised == sum(r.reallocated for r in result.rows)
    assert result.total.purchase_price == sum((r.purchase_price for r in result.rows), D("0.00"))
