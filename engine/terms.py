"""Terms of a warrant as data: one frozen object, D-1 as a preset; a holding beside it.

Every figure Performance Warrant No. D-1 fixes lives here, each cited to its
clause. Another warrant of the series ("a series of warrants having similar
terms", preamble) is the same object with other values: ``d1_terms(...)`` takes
keyword overrides, or build :class:`Terms` directly.

What differs between the warrants of one series is a :class:`Holding` of its own: the
warrant's name, its Warrant Shares and its Per Share Exercise Price at issue (the preamble's
two "subject to adjustment" figures). A register of many warrants is one :class:`Terms` per
class and one small :class:`Holding` per row, each validated once when made.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, time
from fractions import Fraction
from operator import attrgetter
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import errors
from .numbers import share_count

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

PRE_ISSUE_COUNTED = "COUNTED"        # the text of D-1: §4(e)(i) shelters only grants after the date hereof
PRE_ISSUE_EXCLUDED = "EXCLUDED"      # a warrant whose text shelters grants outstanding at issuance
PRE_ISSUE_GRANTS = (PRE_ISSUE_COUNTED, PRE_ISSUE_EXCLUDED)

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
            raise errors.not_one_of(f"Comparator of {self.name}", self.comparator, COMPARATORS)
        if not isinstance(self.threshold, (int, Fraction)) or isinstance(self.threshold, bool):
            raise errors.threshold_not_exact(f"Threshold of {self.name}", self.threshold)
        object.__setattr__(self, "threshold", Fraction(self.threshold))


# §2(a)-(d), measured as of the Test Date (§2: "as of December 31, 2001").
D1_TESTS: tuple[PerformanceTest, ...] = (
    PerformanceTest("Building Test", AT_LEAST, Fraction(120), "§2(a)", "buildings"),
    PerformanceTest("Total Revenue Test", AT_LEAST, Fraction(30_565_643), "§2(b)", "USD"),
    PerformanceTest("New Revenue Test", AT_LEAST, Fraction(949_719), "§2(c)", "USD"),
    PerformanceTest("EBITDA Loss Test", AT_MOST, Fraction(8_165_010), "§2(d)", "USD"),
)


# Exhibit A's addressee block, as D-1 prints it under the issuer's name (one line each).
D1_ISSUER_ADDRESS = ("102 West 500 South\nSuite 320\nSalt Lake City, Utah  84101\n"
                     "Attention:  Senior Vice President\nAdministration & Legal")


# The company-level terms that decide a warrant's §4 answer besides its own price and count and the events
# it sees (the Issue Date decides only which events are seen); the others (names, dates of exercise,
# settlement) do not. The first six decide the capital bookkeeping (counts at issue, exclusions, floor);
# the rest are read by the rules. engine.register groups warrants by them (Terms.adjustment_key).
ADJUSTMENT_FIELDS = ("common_outstanding", "fully_diluted", "price_floor", "management_cap", "series_d_cutoff",
                     "pre_issue_grants", "anti_dilution", "share_adjustment", "minimum_adjustment", "price_increment",
                     "price_rounding")
_adjustment = attrgetter(*ADJUSTMENT_FIELDS)


class _Keyed:
    """The slot of ``Terms.adjustment_key``, made by the constructor from the fields, not a term itself (no
    dataclass field): the values of :data:`ADJUSTMENT_FIELDS`, each Fraction as its (numerator,
    denominator), the same equality and a cheap hash. A register groups its warrants by it."""
    __slots__ = ("adjustment_key",)


@dataclass(frozen=True, slots=True)
class Terms(_Keyed):
    """Everything a warrant's text fixes. Prices are per share; counts are shares.

    Only the four terms every §4 answer depends on are required; every other
    term defaults to what a plain modern warrant means (no performance
    condition, no exclusions, no floor, exact prices), never to D-1's figures.
    D-1's values come only from :func:`d1_terms` (the ``Preset | D-1`` row of a
    sheet). ``None`` means the warrant has no such term; a function that needs
    one refuses, naming it.
    """

    issue_date: date                      # the Original Issue Date (§4(a)(i)); D-1 is dated February 7, 2001
    warrant_shares: int | Fraction        # preamble: 161,290 (an int when whole: see share_count)
    exercise_price: Fraction              # preamble: $.01 per share
    anti_dilution: str                    # §4(d) for D-1: FULL_RATCHET
    warrant: str = ""
    holder: str = ""
    issuer: str = ""
    instrument: str = ""                  # the document's title, e.g. "Performance Warrant No. D-1"
    issuer_address: str = ""              # where notices and the purchase form go (Exhibit A)
    preset: str | None = None             # "D-1" when the terms started from d1_terms()
    par_value: Fraction | None = None     # preamble: $.001 (informational: §4(d) has no par floor)
    exercise_start: date | None = None    # §1(a): from December 31, 2001
    exercise_end: date | None = None      # §1(a): through ... February 7, 2005
    exercise_end_time: time = time(17, 0)  # §1(a): "5:00 p.m."
    time_zone: str = "America/New_York"   # §1(a): "New York time"
    test_date: date | None = None         # §2: "as of December 31, 2001"
    requires_performance_default: bool = False  # §1(a) proviso (D-1: True)
    tests: tuple[PerformanceTest, ...] = ()
    valuation_event_cutoff: date | None = None  # §2(e): "on or before December 31, 2001"
    # §4 settings
    share_adjustment: str = SHARES_FIXED  # §4(d) moves the price only
    minimum_adjustment: Fraction = Fraction(0)     # §4(g)(iii) for D-1: one percent
    management_cap: Fraction | None = None         # §4(a)(i)(A) for D-1: 10% fully diluted; None = no exclusion
    series_d_cutoff: date | None = None   # §4(a)(i)(B): "on or prior to May 2, 2001"
    price_floor: Fraction | None = None   # an explicit floor some warrants state; D-1 has none
    price_increment: Fraction | None = None  # blank = exact
    price_rounding: str = "ROUND_HALF_UP"
    pre_issue_grants: str = PRE_ISSUE_COUNTED  # shares issued on a grant made on or before the Issue Date
    common_outstanding: int | None = None   # at the Original Issue Date
    fully_diluted: int | None = None        # at the Original Issue Date
    # settlement
    delivery_days: int | None = None      # §1(c): "within 20 calendar days"
    holding_months: int | None = None     # §3(a): "held ... for at least six months"
    security: str = "Common Stock"

    def __post_init__(self) -> None:
        object.__setattr__(self, "warrant_shares", _warrant_shares(self.warrant_shares))
        object.__setattr__(self, "exercise_price", _exercise_price(self.exercise_price))
        for name in ("minimum_adjustment",):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
                raise errors.not_exact(_LABELS[name], value)
            object.__setattr__(self, name, Fraction(value))
        for name in ("par_value", "management_cap", "price_floor", "price_increment"):
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
                raise errors.not_exact(_LABELS[name], value, blank_allowed=True)
            object.__setattr__(self, name, Fraction(value))
        if not isinstance(self.issue_date, date):
            raise errors.not_a_date("Issue Date", self.issue_date)
        if self.par_value is not None and self.par_value < 0:
            raise errors.negative("Par Value", self.par_value)
        if self.price_floor is not None and self.price_floor < 0:
            raise errors.negative_or_blank("Price Floor", self.price_floor)
        if (self.exercise_start is not None and self.exercise_end is not None
                and self.exercise_end < self.exercise_start):
            raise errors.end_before_start(self.exercise_end, self.exercise_start)
        if self.anti_dilution not in ANTI_DILUTION_METHODS:
            raise errors.not_one_of("Anti-Dilution", self.anti_dilution, ANTI_DILUTION_METHODS)
        if self.share_adjustment not in SHARE_ADJUSTMENTS:
            raise errors.not_one_of("Share Adjustment", self.share_adjustment, SHARE_ADJUSTMENTS)
        if self.pre_issue_grants not in PRE_ISSUE_GRANTS:
            raise errors.not_one_of("Pre-Issue Grants", self.pre_issue_grants, PRE_ISSUE_GRANTS)
        if self.price_rounding not in ROUNDING_MODES:
            raise errors.not_one_of("Price Rounding", self.price_rounding, ROUNDING_MODES)
        if self.minimum_adjustment < 0 or self.minimum_adjustment >= 1:
            raise errors.minimum_out_of_range(self.minimum_adjustment)
        if self.management_cap is not None and (self.management_cap < 0 or self.management_cap > 1):
            raise errors.cap_out_of_range(self.management_cap)
        if self.price_increment is not None and self.price_increment <= 0:
            raise errors.increment_not_positive(self.price_increment)
        for name in ("common_outstanding", "fully_diluted"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise errors.count_not_whole(_LABELS[name], value)
        if (self.common_outstanding is not None and self.fully_diluted is not None
                and self.fully_diluted < self.common_outstanding):
            raise errors.diluted_below_outstanding(self.fully_diluted, self.common_outstanding)
        for name in ("delivery_days", "holding_months"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise errors.whole_or_blank(_LABELS[name], value)
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise errors.unknown_time_zone(self.time_zone) from None
        object.__setattr__(self, "tests", tuple(self.tests))
        object.__setattr__(self, "adjustment_key", tuple([(v.numerator, v.denominator) if type(v) is Fraction else v
                                                           for v in _adjustment(self)]))

    def __reduce__(self):
        """Copied and pickled through the constructor, which makes ``adjustment_key`` again."""
        return Terms, tuple([getattr(self, f.name) for f in fields(self)])

    def with_holding(self, warrant: str, warrant_shares: Fraction | int,
                     exercise_price: Fraction | int | None = None) -> "Terms":
        """The same terms for another warrant of the series: only its name, share count and price differ.

        Made by the constructor (``dataclasses.replace``), which validates the whole again (about
        15 µs: a register does not call this per row, it keeps a :class:`Holding` beside the terms).
        """
        if not isinstance(warrant, str):
            raise errors.not_text("Warrant", warrant, None, None)
        price = self.exercise_price if exercise_price is None else exercise_price
        return replace(self, warrant=warrant, warrant_shares=warrant_shares, exercise_price=price)

    @property
    def holding(self) -> "Holding":
        """This warrant's own figures (name, Warrant Shares, Exercise Price, Issue Date) as a :class:`Holding`."""
        return Holding(self.warrant, self.warrant_shares, self.exercise_price, self.issue_date)

    def holding_terms(self, holding: "Holding") -> "Terms":
        """The whole terms of ``holding``'s warrant: these terms with its name, count, price and Issue Date."""
        issued = self.issue_date if holding.issue_date is None else holding.issue_date
        return replace(self, warrant=holding.warrant, warrant_shares=holding.warrant_shares,
                       exercise_price=holding.exercise_price, issue_date=issued)

    def need(self, name: str, purpose: str):
        """The value of an optional term that ``purpose`` cannot do without, else a WarrantError naming it."""
        value = getattr(self, name)
        if value is None:
            raise errors.term_required(_LABELS.get(name, name), purpose)
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def with_(self, **changes: object) -> "Terms":
        """A copy with some terms changed (validated again)."""
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Holding:
    """One warrant of a series beside its company :class:`Terms`: what differs between the warrants
    of one class (``Terms.with_holding`` changes the first three).

    ``warrant`` names it; ``warrant_shares`` and ``exercise_price`` are the preamble's "up to
    ... shares" and "exercise price of $... per share" at issue, before any §4 adjustment;
    ``issue_date`` its Original Issue Date (§4(a)(i), "the date hereof": each warrant of a
    register is dated its own day), ``None`` for the terms' own. Validated once, when made, as
    :class:`Terms` validates the same fields (the same messages): Warrant Shares exact and
    positive (an ``int`` when whole), Exercise Price exact and not negative, Issue Date a date.
    Everything else a warrant's answer depends on is in its terms.
    """

    warrant: str
    warrant_shares: int | Fraction
    exercise_price: Fraction
    issue_date: date | None = None

    def __post_init__(self) -> None:
        if type(self.warrant) is not str:
            if not isinstance(self.warrant, str):
                raise errors.not_text("Warrant", self.warrant, None, None)
            object.__setattr__(self, "warrant", str(self.warrant))
        object.__setattr__(self, "warrant_shares", _warrant_shares(self.warrant_shares))
        object.__setattr__(self, "exercise_price", _exercise_price(self.exercise_price))
        if self.issue_date is not None and not isinstance(self.issue_date, date):
            raise errors.not_a_date("Issue Date", self.issue_date)


def _warrant_shares(value: object) -> int | Fraction:
    """Warrant Shares: an exact positive number, an ``int`` when whole (a ``Fraction`` only for a
    fraction of a share: a new warrant for a remainder after §4(b)/(c) may call for one)."""
    if type(value) is not int:
        if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
            raise errors.not_exact("Warrant Shares", value)
        value = share_count(value)
    if value <= 0:
        raise errors.not_positive("Warrant Shares", value)
    return value


def _exercise_price(value: object) -> Fraction:
    """Exercise Price: an exact number, not negative."""
    if type(value) is not Fraction:
        if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
            raise errors.not_exact("Exercise Price", value)
        value = Fraction(value)
    if value.numerator < 0:
        raise errors.negative("Exercise Price", value)
    return value


_LABELS = {
    "warrant_shares": "Warrant Shares",
    "exercise_price": "Exercise Price",
    "par_value": "Par Value",
    "minimum_adjustment": "Minimum Adjustment",
    "management_cap": "Management Cap",
    "price_floor": "Price Floor",
    "price_increment": "Price Increment",
    "common_outstanding": "Common Outstanding",
    "fully_diluted": "Fully Diluted",
    "exercise_start": "Exercise Start",
    "exercise_end": "Exercise End",
    "delivery_days": "Delivery Days",
    "holding_months": "Holding Months",
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
        instrument="Performance Warrant No. D-1",
        issuer_address=D1_ISSUER_ADDRESS,
        preset="D-1",
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
        price_floor=None,                 # §4(d) states no floor (docs/interpretations.md)
        price_increment=None,
        delivery_days=20,
        holding_months=6,
    )
    return replace(base, **overrides) if overrides else base


# Known warrants whose terms a sheet may start from (``Preset | D-1``); nothing else
# ever fills a term the user left out with another warrant's figures.
PRESETS = {"D-1": d1_terms}
