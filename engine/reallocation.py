"""Option reallocation under the Reallocated Option Exercise Purchase Agreement.

Two steps, as the agreement's recitals tell them:

1. The unexercised portion of the Option (the allocations of the optionees who
   did not exercise) is reallocated among the exercising optionees, pro rata to
   their allocations, in whole shares that sum exactly (largest remainder), unless
   an agreed split is given.
2. An exercising optionee may let named third parties exercise part of its
   reallocated entitlement (the Waiver and Acknowledgment: part of what TCW/CCI
   Holding LLC could exercise goes to the three Investors, 33,689 / 33,689 /
   4,043 = 71,421 Option Shares at $7.50). The assignor keeps the rest.

Each party's shares and purchase price (shares x price, to the cent ROUND_HALF_UP),
and a total row. Readings are in docs/interpretations.md.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .errors import fail
from .numbers import cents_half_up, exact

OPTIONEES_TABLE = "Optionees"
TOTAL = "Total"
THIRD_PARTIES = "Third parties"

# The agreement's own figures (Exhibit T): 71,421 Option Shares at $7.50 per Series C Share.
AGREEMENT_PRICE = Fraction(15, 2)
AGREEMENT_INVESTORS = (
    ("John E. Avery", 33_689),
    ("Scott Family Investors, LLC", 33_689),
    ("Ernesto Ramon", 4_043),
)
AGREEMENT_ASSIGNOR = "TCW/CCI Holding LLC"


def _whole(value: object, field: str, row: int | None, *, allow_none: bool = False) -> int | None:
    if value is None and allow_none:
        return None
    number = exact(value, field, table=OPTIONEES_TABLE, row=row)
    if number.denominator != 1:
        raise fail(field, value, "must be a whole number of shares", table=OPTIONEES_TABLE, row=row)
    if number < 0:
        raise fail(field, value, "must not be negative", table=OPTIONEES_TABLE, row=row)
    return int(number)


@dataclass(frozen=True, slots=True)
class Optionee:
    """One party: an optionee with its allocation, or a third party (``assigned_from`` set).

    Exercising optionee: ``agreed_shares`` is its agreed share of the unexercised
    portion (all exercising optionees or none). Third party: ``agreed_shares`` is
    the number of shares assigned to it out of ``assigned_from``'s reallocated
    entitlement; its allocation is 0.
    """

    name: str
    allocation: int
    exercised: bool
    agreed_shares: int | None = None
    assigned_from: str | None = None
    row: int | None = None

    def __post_init__(self) -> None:
        r = self.row
        if not isinstance(self.name, str) or not self.name.strip():
            raise fail("Optionee", self.name, "must be a non-blank name", table=OPTIONEES_TABLE, row=r)
        object.__setattr__(self, "name", self.name.strip())
        object.__setattr__(self, "allocation", _whole(self.allocation, "Allocation", r))
        if not isinstance(self.exercised, bool):
            raise fail("Exercised", self.exercised, "must be TRUE or FALSE", table=OPTIONEES_TABLE, row=r)
        object.__setattr__(self, "agreed_shares", _whole(self.agreed_shares, "Agreed Shares", r, allow_none=True))
        assignor = self.assigned_from
        if isinstance(assignor, str):
            assignor = assignor.strip() or None
        elif assignor is not None:
            raise fail("Assigned From", assignor, "must be an optionee's name or blank", table=OPTIONEES_TABLE, row=r)
        object.__setattr__(self, "assigned_from", assignor)

    @property
    def is_third_party(self) -> bool:
        return self.assigned_from is not None


@dataclass(frozen=True, slots=True)
class ReallocationRow:
    optionee: str
    allocation: int
    exercised: bool
    reallocated: int     # share of the unexercised portion (0 for non-exercisers and third parties)
    assigned: int        # + assigned in (third party), - assigned out (assignor)
    shares: int          # reallocated + assigned: shares this party buys under the reallocation
    purchase_price: Decimal


@dataclass(frozen=True, slots=True)
class Reallocation:
    rows: tuple[ReallocationRow, ...]
    total: ReallocationRow
    unexercised: int
    price: Fraction = Fraction(0)
    third_parties: ReallocationRow | None = None   # sum of the third parties' rows (the agreement's Investors)


def pro_rata_whole(amount: int, weights: Sequence[int]) -> list[int]:
    """Split ``amount`` whole shares pro rata to ``weights``, summing exactly.

    Largest remainder: each party first gets its quota rounded DOWN; the shares
    left over go one each to the largest remainders. Ties: the larger weight
    first, then input order. Every share is within one of its exact quota.
    """
    total = sum(weights)
    if amount == 0:
        return [0] * len(weights)
    if total <= 0:
        raise fail("Allocations of the exercising optionees", total,
                   f"must be positive to share {amount:,} shares pro rata", table=OPTIONEES_TABLE)
    quotas = [Fraction(amount * w, total) for w in weights]
    shares = [q.numerator // q.denominator for q in quotas]   # round DOWN first
    left = amount - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - shares[i]), -weights[i], i))
    for i in order[:left]:
        shares[i] += 1
    return shares


def reallocate(optionees: Sequence[Optionee], price: object) -> Reallocation:
    """Reallocate the unexercised portion, then apply the third-party assignments."""
    price = exact(price, "Price")
    if price < 0:
        raise fail("Price", price, "must not be negative")
    parties = list(optionees)
    if not parties:
        raise fail("Optionees", None, "must list at least one optionee", table=OPTIONEES_TABLE)
    by_name: dict[str, Optionee] = {}
    for p in parties:
        if not isinstance(p, Optionee):
            raise fail("Optionee", p, "must be an Optionee", table=OPTIONEES_TABLE)
        key = p.name.casefold()
        if key in by_name:
            raise fail("Optionee", p.name, "appears more than once", table=OPTIONEES_TABLE, row=p.row)
        by_name[key] = p

    optionee_rows = [p for p in parties if not p.is_third_party]
    third = [p for p in parties if p.is_third_party]
    exercising = [p for p in optionee_rows if p.exercised]
    for p in optionee_rows:
        if not p.exercised and p.agreed_shares is not None:
            raise fail("Agreed Shares", p.agreed_shares, f"cannot be given to {p.name}, which did not exercise",
                       table=OPTIONEES_TABLE, row=p.row)
    # Step 1: the unexercised portion = allocations of the optionees that did not exercise.
    unexercised = sum(p.allocation for p in optionee_rows if not p.exercised)
    if unexercised and not exercising:
        raise fail("Unexercised portion", unexercised, "has no exercising optionee to be reallocated to",
                   table=OPTIONEES_TABLE)
    agreed = [p for p in exercising if p.agreed_shares is not None]
    if agreed and len(agreed) != len(exercising):
        missing = next(p for p in exercising if p.agreed_shares is None)
        raise fail("Agreed Shares", None, f"must be given for {missing.name} too: an agreed split names "
                   f"every exercising optionee", table=OPTIONEES_TABLE, row=missing.row)
    if agreed:
        agreed_sum = sum(p.agreed_shares for p in agreed)
        if agreed_sum != unexercised:
            raise fail("Agreed Shares total", agreed_sum, f"must sum to the unexercised portion "
                                                               f"({unexercised:,})", table=OPTIONEES_TABLE)
        split = [p.agreed_shares for p in exercising]
    else:
        split = pro_rata_whole(unexercised, [p.allocation for p in exercising])
    reallocated = {p.name: s for p, s in zip(exercising, split)}

    # Step 2: third parties exercise out of their assignor's reallocated entitlement.
    assigned_out: dict[str, int] = {}
    for p in third:
        if p.allocation != 0:
            raise fail("Allocation", p.allocation, f"of a third party (assigned from {p.assigned_from}) must be 0",
                       table=OPTIONEES_TABLE, row=p.row)
        if p.agreed_shares is None:
            raise fail("Agreed Shares", None, f"must give the shares assigned from {p.assigned_from}",
                       table=OPTIONEES_TABLE, row=p.row)
        if p.agreed_shares <= 0:
            raise fail("Agreed Shares", p.agreed_shares, f"must be a positive number of shares assigned from "
                       f"{p.assigned_from}", table=OPTIONEES_TABLE, row=p.row)
        assignor = by_name.get(p.assigned_from.casefold())
        if assignor is None:
            raise fail("Assigned From", p.assigned_from, "must name an optionee in the table",
                       table=OPTIONEES_TABLE, row=p.row)
        if assignor.is_third_party or not assignor.exercised:
            raise fail("Assigned From", p.assigned_from, "must name an exercising optionee",
                       table=OPTIONEES_TABLE, row=p.row)
        out = assigned_out.get(assignor.name, 0) + p.agreed_shares
        entitlement = reallocated[assignor.name]
        if out > entitlement:
            raise fail("Agreed Shares", p.agreed_shares,
                       f"bring the shares assigned from {assignor.name} to {out:,}, more than its reallocated "
                       f"entitlement ({entitlement:,})", table=OPTIONEES_TABLE, row=p.row)
        assigned_out[assignor.name] = out

    rows = []
    for p in parties:
        if p.is_third_party:
            got, assigned = 0, p.agreed_shares
        else:
            got, assigned = reallocated.get(p.name, 0), -assigned_out.get(p.name, 0)
        shares = got + assigned
        # Purchase price: shares x price, to the cent ROUND_HALF_UP.
        rows.append(ReallocationRow(p.name, p.allocation, p.exercised, got, assigned, shares,
                                    cents_half_up(shares * price)))
    # Total: the sum of the rows (assignments in and out cancel); its price is the sum of the rows' prices.
    total = _summed(TOTAL, rows, all(r.exercised for r in rows))
    # The third parties together (the agreement: 71,421 shares, $535,657.50), the sum of their rows
    # (a third party's allocation and reallocated shares are 0).
    in_rows = [r for r, p in zip(rows, parties) if p.is_third_party]
    return Reallocation(tuple(rows), total, unexercised, price, _summed(THIRD_PARTIES, in_rows, True) if in_rows else None)


def _summed(name: str, rows: Sequence[ReallocationRow], exercised: bool) -> ReallocationRow:
    """A row that sums ``rows``, its purchase price the sum of theirs."""
    return ReallocationRow(name, sum(r.allocation for r in rows), exercised, sum(r.reallocated for r in rows),
                           sum(r.assigned for r in rows), sum(r.shares for r in rows),
                           sum((r.purchase_price for r in rows), Decimal("0.00")))


def agreement_optionees() -> tuple[Optionee, ...]:
    """An ILLUSTRATIVE set of parties consistent with the agreement (Exhibit T).

    The seed gives no allocations. Its own facts: one optionee did not exercise;
    the unexercised portion went to the exercising optionees; part of what TCW/CCI
    Holding LLC could exercise goes to the three Investors (33,689 + 33,689 +
    4,043 = 71,421 Option Shares). The allocations below are invented so that
    TCW/CCI Holding LLC's reallocated entitlement (75,000) covers the 71,421:

    * unexercised portion: 100,000 (the illustrative non-exercising optionee);
    * pro rata to 300,000 : 100,000 -> 75,000 to TCW/CCI Holding LLC, 25,000 to the other;
    * TCW/CCI Holding LLC assigns 71,421 to the Investors and keeps 3,579.
    """
    rows = [
        Optionee(AGREEMENT_ASSIGNOR, 300_000, True, row=2),
        Optionee("Exercising Optionee (illustrative)", 100_000, True, row=3),
        Optionee("Non-exercising Optionee (illustrative)", 100_000, False, row=4),
    ]
    for i, (name, shares) in enumerate(AGREEMENT_INVESTORS, start=5):
        rows.append(Optionee(name, 0, True, agreed_shares=shares, assigned_from=AGREEMENT_ASSIGNOR, row=i))
    return tuple(rows)


__all__ = [
    "Optionee", "ReallocationRow", "Reallocation", "reallocate", "pro_rata_whole",
    "agreement_optionees", "AGREEMENT_PRICE", "AGREEMENT_INVESTORS", "AGREEMENT_ASSIGNOR", "TOTAL",
    "THIRD_PARTIES",
]
