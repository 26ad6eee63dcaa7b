"""Terms of a warrant as data: one frozen object, D-1 as a preset.

Every figure Performance Warrant No. D-1 fixes lives here, each cited to its
clause. Another warrant of the series ("a series of warrants having similar
terms", preamble) is the same object with other values: ``d1_terms(...)`` takes
keyword overrides, or build :class:`Terms` directly.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time
from fractions import Fraction
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import fail

AT_LEAST = "AT_LEAST"
AT_MOST = "AT_MOST"
COMPARATORS = (AT_LEAST, AT_MOST)

FULL_RATCHET = "FULL_RATCHET"
BROAD_WEIGHTED_AVERAGE = "BROAD_WEIGHTED_AVERAGE"
NARROW_WEIGHTED_AVERAGE = "NARROW_WEIGHTED_AVERAGE"
NO_ANTI_DILUTION = "NONE"
ANTI_DILUTION_METHODS = (FULL_RATCHET, BROAD_WEIGHTED_AVERAGE, NARROW_WEIGHTED_AVERAGE, NO_ANTI_DILUTION)

SHARES_FIXED = "NONE"
KEEP_AGGREGATE = "KEEP_AGGREGATE"
SHARE_ADJUSTMENTS = (SHARES_FIXED, KEEP_AGGREGATE)

ROUNDING_MODES = ("ROUND_HALF_UP", "ROUND_HALF_EVEN", "ROUND_DOWN", "ROUND_UP", "ROUND_FLOOR", "ROUND_CEILING")


@dataclass(frozen=True, slots=True)
class PerformanceTest:
    """One §2 test: a default occurs when the actual misses the threshold.

    ``AT_LEAST``: default when actual < threshold (§2(a)-(c): "failed to ... at least").
    ``AT_MOST``: default when actual > threshold (§2(d): losses "in excess of").
    A value exactly at the threshold is never a default.
    """

    name: str
    comparator: str
    threshold: Fraction
    clause: str = ""
    unit: str = ""

    def __post_init__(self) -> None:
        if self.comparator not in COMPARATORS:
            raise fail(f"Comparator of {self.name}", self.comparator, f"must be one of {', '.join(COMPARATORS)}")
        if not isinstance(self.threshold, (int, Fraction)) or isinstance(self.threshold, bool):
            raise fail(f"Threshold of {self.name}", self.threshold, "must be an exact number")
        object.__setattr__(self, "threshold", Fraction(self.threshold))


# §2(a)-(d), measured as of the Test Date (§2: "as of December 31, 2001").
D1_TESTS: tuple[PerformanceTest, ...] = (
    PerformanceTest("Building Test", AT_LEAST, Fraction(120), "§2(a)", "buildings"),
    PerformanceTest("Total Revenue Test", AT_LEAST, Fraction(30_565_643), "§2(b)", "USD"),
    PerformanceTest("New Revenue Test", AT_LEAST, Fraction(949_719), "§2(c)", "USD"),
    PerformanceTest("EBITDA Loss Test", AT_MOST, Fraction(8_165_010), "§2(d)", "USD"),
)


@dataclass(frozen=True, slots=True)
class Terms:
    """Everything a warrant's text fixes. Prices are per share; counts are shares."""

    warrant: str
    holder: str
    issuer: str
    issue_date: date                      # the Original Issue Date (§4(a)(i)); D-1 is dated February 7, 2001
    warrant_shares: Fraction              # preamble: 161,290
    exercise_price: Fraction              # preamble: $.01 per share
    par_value: Fraction                   # preamble: $.001
    exercise_start: date                  # §1(a): from December 31, 2001
    exercise_end: date                    # §1(a): through ... February 7, 2005
    exercise_end_time: time = time(17, 0)  # §1(a): "5:00 p.m."
    time_zone: str = "America/New_York"   # §1(a): "New York time"
    test_date: date | None = None         # §2: "as of December 31, 2001"
    requires_performance_default: bool = True  # §1(a) proviso
    tests: tuple[PerformanceTest, ...] = ()
    valuation_event_cutoff: date | None = None  # §2(e): "on or before December 31, 2001"
    # §4 settings
    anti_dilution: str = FULL_RATCHET     # §4(d): price falls to the issue price
    share_adjustment: str = SHARES_FIXED  # §4(d) moves the price only
    minimum_adjustment: Fraction = Fraction(1, 100)  # §4(g)(iii): one percent
    management_cap: Fraction = Fraction(1, 10)       # §4(a)(i)(A): 10% fully diluted
    series_d_cutoff: date | None = None   # §4(a)(i)(B): "on or prior to May 2, 2001"
    price_increment: Fraction | None = None  # blank = exact
    price_rounding: str = "ROUND_HALF_UP"
    common_outstanding: int | None = None   # at the Original Issue Date
    fully_diluted: int | None = None        # at the Original Issue Date
    # settlement
    delivery_days: int = 20               # §1(c): "within 20 calendar days"
    holding_months: int = 6               # §3(a): "held ... for at least six months"
    security: str = "Common Stock"

    def __post_init__(self) -> None:
        for name in ("warrant_shares", "exercise_price", "par_value", "minimum_adjustment", "management_cap"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
                raise fail(_LABELS[name], value, "must be an exact number (int or Fraction)")
            object.__setattr__(self, name, Fraction(value))
        if self.warrant_shares <= 0:
            raise fail("Warrant Shares", self.warrant_shares, "must be positive")
        if self.exercise_price < 0:
            raise fail("Exercise Price", self.exercise_price, "must not be negative")
        if self.par_value < 0:
            raise fail("Par Value", self.par_value, "must not be negative")
        if self.exercise_end < self.exercise_start:
            raise fail("Exercise End", self.exercise_end, f"must not be before Exercise Start ({self.exercise_start})")
        if self.anti_dilution not in ANTI_DILUTION_METHODS:
            raise fail("Anti-Dilution", self.anti_dilution, f"must be one of {', '.join(ANTI_DILUTION_METHODS)}")
        if self.share_adjustment not in SHARE_ADJUSTMENTS:
            raise fail("Share Adjustment", self.share_adjustment, f"must be one of {', '.join(SHARE_ADJUSTMENTS)}")
        if self.price_rounding not in ROUNDING_MODES:
            raise fail("Price Rounding", self.price_rounding, f"must be one of {', '.join(ROUNDING_MODES)}")
        if self.minimum_adjustment < 0 or self.minimum_adjustment >= 1:
            raise fail("Minimum Adjustment", self.minimum_adjustment, "must be at least 0 and below 1")
        if self.management_cap < 0 or self.management_cap > 1:
            raise fail("Management Cap", self.management_cap, "must be between 0 and 1")
        if self.price_increment is not None:
            object.__setattr__(self, "price_increment", Fraction(self.price_increment))
            if self.price_increment <= 0:
                raise fail("Price Increment", self.price_increment, "must be positive (or blank for exact)")
        for name in ("common_outstanding", "fully_diluted"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise fail(_LABELS[name], value, "must be a whole number of shares, not negative")
        if (self.common_outstanding is not None and self.fully_diluted is not None
                and self.fully_diluted < self.common_outstanding):
            raise fail("Fully Diluted", self.fully_diluted,
                       f"must not be below Common Outstanding ({self.common_outstanding})")
        if self.delivery_days < 0:
            raise fail("Delivery Days", self.delivery_days, "must not be negative")
        if self.holding_months < 0:
            raise fail("Holding Months", self.holding_months, "must not be negative")
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise fail("Time Zone", self.time_zone, "is not a known IANA time zone") from None
        object.__setattr__(self, "tests", tuple(self.tests))

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def with_(self, **changes: object) -> "Terms":
        """A copy with some terms changed (validated again)."""
        return replace(self, **changes)


_LABELS = {
    "warrant_shares": "Warrant Shares",
    "exercise_price": "Exercise Price",
    "par_value": "Par Value",
    "minimum_adjustment": "Minimum Adjustment",
    "management_cap": "Management Cap",
    "common_outstanding": "Common Outstanding",
    "fully_diluted": "Fully Diluted",
}


def d1_terms(**overrides: object) -> Terms:
    """Performance Warrant No. D-1 of Convergence Communications, Inc., as written.

    The seed gives no outstanding or fully diluted counts; pass them as overrides
    (``common_outstanding=..., fully_diluted=...``) when a ledger needs them.
    """
    base = Terms(
        warrant="D-1",
        holder="TCW/CCI Holding II LLC",
        issuer="Convergence Communications, Inc.",
        issue_date=date(2001, 2, 7),
        warrant_shares=Fraction(161_290),
        exercise_price=Fraction(1, 100),
        par_value=Fraction(1, 1000),
        exercise_start=date(2001, 12, 31),
        exercise_end=date(2005, 2, 7),
        exercise_end_time=time(17, 0),
        time_zone="America/New_York",
        test_date=date(2001, 12, 31),
        requires_performance_default=True,
        tests=D1_TESTS,
        valuation_event_cutoff=date(2001, 12, 31),
        anti_dilution=FULL_RATCHET,
        share_adjustment=SHARES_FIXED,
        minimum_adjustment=Fraction(1, 100),
        management_cap=Fraction(1, 10),
        series_d_cutoff=date(2001, 5, 2),
        price_increment=None,
        delivery_days=20,
        holding_months=6,
    )
    return replace(base, **overrides) if overrides else base
