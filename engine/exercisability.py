"""May the warrant be exercised at a given moment? (§1(a), §2)

A pure function of the terms, the measured §2 tests, the §2(e) facts and an
``as_of`` moment. The answer carries the verdict, every reason with its clause,
measured value and threshold, and one sentence a person can read, e.g.
``"Exercisable: §2(a) Building Test default, 118 buildings < 120"``.

Readings of the contract (see docs/interpretations.md):

* a naive datetime is wall-clock time in the terms' zone (New York for D-1);
* a date alone is that day at the cut-off hour (17:00), i.e. "before the
  5:00 p.m. cut-off", so 2005-02-07 as a date is still exercisable;
* "through 5:00 p.m." includes 17:00:00 itself; 17:00:00.000001 is expired;
* the Exercise Period begins at 00:00 on its first day;
* §2(e): another warrant's exercise or waiver dated on or before the as-of date
  blocks (same day counts: "prior to" is not shown); a Realized Valuation
  Event on or before the cutoff blocks for ever, whatever the as-of moment.
"""
from __future__ import annotations

from zoneinfo import ZoneInfo

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from fractions import Fraction

from .errors import fail
from .numbers import exact, to_plain_decimal
from .terms import AT_LEAST, COMPARATORS, D1_TESTS, Terms

EXERCISABLE = "EXERCISABLE"
NOT_YET_EXERCISABLE = "NOT_YET_EXERCISABLE"
EXPIRED = "EXPIRED"
NO_PERFORMANCE_DEFAULT = "NO_PERFORMANCE_DEFAULT"
BLOCKED = "BLOCKED"
STATUSES = (EXERCISABLE, NOT_YET_EXERCISABLE, EXPIRED, NO_PERFORMANCE_DEFAULT, BLOCKED)

TESTS_TABLE = "Tests"


@dataclass(frozen=True, slots=True)
class TestResult:
    """One measured §2 test (a row of the Excel ``tests`` table).

    ``actual`` is the measured figure; for §2(d) it is the EBITDA *loss* as a
    positive amount. ``threshold`` and ``actual`` accept int, Fraction, Decimal
    or numeric text and are kept as exact Fractions.
    """

    __test__ = False  # not a pytest test class, despite its name

    name: str
    comparator: str
    threshold: Fraction
    actual: Fraction
    force_majeure: bool = False
    clause: str = ""
    row: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise fail("Test", self.name, "must be a non-blank name", table=TESTS_TABLE, row=self.row)
        object.__setattr__(self, "name", self.name.strip())
        comparator = self.comparator.strip().upper() if isinstance(self.comparator, str) else self.comparator
        if comparator not in COMPARATORS:
            raise fail("Comparator", self.comparator, f"must be one of {', '.join(COMPARATORS)}",
                       table=TESTS_TABLE, row=self.row)
        object.__setattr__(self, "comparator", comparator)
        object.__setattr__(self, "threshold", exact(self.threshold, "Threshold", table=TESTS_TABLE, row=self.row))
        object.__setattr__(self, "actual", exact(self.actual, "Actual", table=TESTS_TABLE, row=self.row))
        if not isinstance(self.force_majeure, bool):
            raise fail("Force Majeure", self.force_majeure, "must be TRUE or FALSE", table=TESTS_TABLE, row=self.row)


@dataclass(frozen=True, slots=True)
class Facts:
    """The §2(e) facts, each a date or None (not happened).

    ``other_warrant_exercised_or_waived``: the date an exercisable Financing or
    IRR Warrant acquired by the Investor under the Purchase Agreement was
    exercised or waived. ``realized_valuation_event``: the date of a Realized
    Valuation Event.
    """

    other_warrant_exercised_or_waived: date | None = None
    realized_valuation_event: date | None = None
    # §2(f) first limb: periods of an event of Force Majeure, (from, to); ``to`` None = still in progress.
    force_majeure: tuple[tuple[date, date | None], ...] = ()

    def __post_init__(self) -> None:
        for name, label in (("other_warrant_exercised_or_waived", "Other Warrant Exercised Or Waived"),
                            ("realized_valuation_event", "Realized Valuation Event")):
            object.__setattr__(self, name, _fact_date(getattr(self, name), label))
        periods = []
        for n, period in enumerate(self.force_majeure, start=1):
            suffix = "" if n == 1 else f" {n}"
            start, end = period
            start = _fact_date(start, f"Force Majeure From{suffix}")
            end = _fact_date(end, f"Force Majeure To{suffix}")
            if start is None:
                raise fail(f"Force Majeure From{suffix}", None,
                           "must be the date the Force Majeure period began", table="Facts")
            if end is not None and end < start:
                raise fail(f"Force Majeure To{suffix}", end, f"must not be before its From date ({start})",
                           table="Facts")
            periods.append((start, end))
        object.__setattr__(self, "force_majeure", tuple(periods))

    def force_majeure_covering(self, day: date) -> tuple[date, date | None] | None:
        """The first Force Majeure period that includes ``day`` (both ends inclusive), else None."""
        for start, end in self.force_majeure:
            if start <= day and (end is None or day <= end):
                return start, end
        return None


def _fact_date(value: object, label: str) -> date | None:
    if isinstance(value, datetime) and value.tzinfo is not None:
        # §1(a) counts days in New York time: an aware moment is dated there.
        return value.astimezone(ZoneInfo("America/New_York")).date()
    if isinstance(value, datetime):
        return value.date()
    if value is not None and not isinstance(value, date):
        raise fail(label, value, "must be a date or blank", table="Facts")
    return value


@dataclass(frozen=True, slots=True)
class DefaultRow:
    """One row of WARRANT_DEFAULTS: did this test produce a Performance Default?"""

    test: str
    actual: Fraction
    threshold: Fraction
    comparator: str
    default: bool      # the test was missed (§2(a)-(d))
    excused: bool      # ...but caused by Force Majeure, so it does not count (§2(f))
    clause: str
    unit: str = ""

    @property
    def counts(self) -> bool:
        """A Performance Default that counts: missed and not excused."""
        return self.default and not self.excused


@dataclass(frozen=True, slots=True)
class Reason:
    clause: str
    text: str
    measured: object | None = None
    threshold: object | None = None


@dataclass(frozen=True, slots=True)
class Exercisability:
    exercisable: bool
    status: str
    reasons: tuple[Reason, ...]
    sentence: str
    defaults: tuple[DefaultRow, ...]
    as_of: datetime


def performance_defaults(terms: Terms, results: Sequence[TestResult]) -> tuple[DefaultRow, ...]:
    """Judge each measured test; a value exactly at the threshold is never a default.

    ``AT_LEAST`` misses when actual < threshold (§2(a)-(c): "failed to ... at
    least" / "a minimum of"); ``AT_MOST`` misses when actual > threshold (§2(d):
    "in excess of"). A miss marked Force Majeure is excused (§2(f)).
    """
    by_name = {t.name.casefold(): t for t in terms.tests}
    seen: set[str] = set()
    rows = []
    for result in results:
        if not isinstance(result, TestResult):
            raise fail("Test result", result, "must be a TestResult", table=TESTS_TABLE)
        key = result.name.casefold()
        if key in seen:
            raise fail("Test", result.name, "appears more than once", table=TESTS_TABLE, row=result.row)
        seen.add(key)
        term_test = by_name.get(key)
        if term_test is not None:
            # The terms are the contract: a row may measure a test, not rewrite its threshold.
            for field, given, fixed in (("Comparator", result.comparator, term_test.comparator),
                                        ("Threshold", result.threshold, term_test.threshold)):
                if given != fixed:
                    raise fail(f"{field} of {term_test.name}", given,
                               f"differs from the terms' {fixed} ({term_test.clause or '§2'}); change the terms, not the test row",
                               table=TESTS_TABLE, row=result.row)
        clause = result.clause or (term_test.clause if term_test and term_test.clause else "§2")
        unit = term_test.unit if term_test else ""
        if result.comparator == AT_LEAST:
            missed = result.actual < result.threshold
        else:  # AT_MOST
            missed = result.actual > result.threshold
        rows.append(DefaultRow(result.name, result.actual, result.threshold, result.comparator,
                               missed, missed and result.force_majeure, clause, unit))
    return tuple(rows)


def exercisability(terms: Terms, results: Sequence[TestResult], as_of: date | datetime,
                   facts: Facts | None = None) -> Exercisability:
    """The verdict at ``as_of``: exercisable, or why not (§1(a), §2)."""
    facts = Facts() if facts is None else facts
    moment = as_of_moment(terms, as_of)
    day = moment.date()
    defaults = performance_defaults(terms, results)
    zone_name = _zone_words(terms)

    failures: list[tuple[str, Reason]] = []   # (status, reason), most decisive first
    supports: list[Reason] = []

    # §1(a): "from December 31, 2001 through 5:00 p.m. New York time on February 7, 2005".
    first = terms.need("exercise_start", "to judge exercisability (§1(a) Exercise Period)")
    last = terms.need("exercise_end", "to judge exercisability (§1(a) Exercise Period)")
    start = datetime.combine(first, time(0, 0), tzinfo=terms.zone)
    end = datetime.combine(last, terms.exercise_end_time, tzinfo=terms.zone)
    end_words = f"{last.isoformat()} {terms.exercise_end_time.strftime('%H:%M')} {zone_name}"
    if moment < start:
        failures.append((NOT_YET_EXERCISABLE, Reason(
            "§1(a)", f"the Exercise Period begins {first.isoformat()} (§1(a))",
            moment, start)))
    elif moment > end:  # "through 5:00 p.m.": 17:00:00 itself is inside
        failures.append((EXPIRED, Reason(
            "§1(a)", f"the Exercise Period ended {end_words} (§1(a))", moment, end)))
    else:
        supports.append(Reason(
            "§1(a)", f"inside the Exercise Period {first.isoformat()} through {end_words}",
            moment, end))

    # §2: defaults are failures "as of" the Test Date; before it none can have occurred.
    if (terms.requires_performance_default and terms.test_date is not None and day < terms.test_date
            and moment >= start):
        failures.append((NOT_YET_EXERCISABLE, Reason(
            "§2", f"the Performance Default tests are measured as of {terms.test_date.isoformat()} (§2)",
            day, terms.test_date)))

    # §2(e) second sentence: never exercisable after an early Realized Valuation Event.
    rve = facts.realized_valuation_event
    if rve is not None and terms.valuation_event_cutoff is not None and rve <= terms.valuation_event_cutoff:
        failures.append((BLOCKED, Reason(
            "§2(e)", f"a Realized Valuation Event occurred on {rve.isoformat()}, on or before "
                     f"{terms.valuation_event_cutoff.isoformat()} (§2(e))",
            rve, terms.valuation_event_cutoff)))

    # §2(e) first sentence: exercisable only prior to the other warrant's exercise or waiver.
    other = facts.other_warrant_exercised_or_waived
    if other is not None and other <= day:
        failures.append((BLOCKED, Reason(
            "§2(e)", f"an exercisable Financing or IRR Warrant was exercised or waived on "
                     f"{other.isoformat()}, on or before {day.isoformat()} (§2(e))",
            other, day)))

    # §1(a) proviso, §2: a Performance Default (not excused under §2(f)) is needed.
    counting = [d for d in defaults if d.counts]
    excused = [d for d in defaults if d.excused]
    # §2(f) first limb: "No Performance Default shall be deemed to occur during any period of an event
    # of Force Majeure" (no causation needed): a period covering the Test Date leaves none (the as-of
    # day where the terms give no Test Date).
    measured_on = terms.test_date or day
    force_majeure = facts.force_majeure_covering(measured_on)
    if terms.requires_performance_default and counting and force_majeure is not None:
        start, end = force_majeure
        through = end.isoformat() if end is not None else "in progress"
        failures.append((NO_PERFORMANCE_DEFAULT, Reason(
            "§2(f)", f"no Performance Default is deemed to occur during a period of Force Majeure "
                     f"({start.isoformat()} to {through}) that includes "
                     f"{'the Test Date' if terms.test_date else 'the date'} {measured_on.isoformat()} (§2(f))",
            measured_on, force_majeure)))
    elif terms.requires_performance_default:
        if counting:
            for d in counting:
                supports.append(Reason(d.clause, _test_words(d), d.actual, d.threshold))
        else:
            if defaults:
                detail = ", ".join(_test_words(d) for d in defaults)
            else:
                detail = "no test results given"
            failures.append((NO_PERFORMANCE_DEFAULT, Reason(
                "§2", f"no Performance Default (§1(a), §2): {detail}", None, None)))
    else:
        supports.append(Reason("§1(a)", "the terms require no Performance Default"))
    for d in excused:
        supports.append(Reason("§2(f)", f"{d.clause} {d.test} default excused by Force Majeure (§2(f))",
                               d.actual, d.threshold))

    if failures:
        status = failures[0][0]
        lead = {NOT_YET_EXERCISABLE: "Not yet exercisable", EXPIRED: "Expired"}.get(status, "Not exercisable")
        sentence = f"{lead}: " + "; ".join(r.text for _, r in failures)
        reasons = tuple(r for _, r in failures)
        return Exercisability(False, status, reasons, sentence, defaults, moment)

    parts = [_test_words(d) for d in counting] if terms.requires_performance_default else [
        "no Performance Default required by the terms"]
    if excused:
        parts.append("excused by Force Majeure (§2(f)): " + ", ".join(f"{d.clause} {d.test}" for d in excused))
    sentence = "Exercisable: " + "; ".join(parts)
    return Exercisability(True, EXERCISABLE, tuple(supports), sentence, defaults, moment)


def as_of_moment(terms: Terms, as_of: date | datetime) -> datetime:
    """The aware moment judged, in the terms' zone.

    A naive datetime is wall-clock time in the terms' zone; an aware one is
    converted. A date alone is that day at the cut-off hour (17:00 for D-1),
    which "through 5:00 p.m." still includes: "that day, before the cut-off".
    """
    if isinstance(as_of, datetime):
        if as_of.tzinfo is None or as_of.utcoffset() is None:
            return as_of.replace(tzinfo=terms.zone)
        try:
            return as_of.astimezone(terms.zone)
        except (OverflowError, ValueError):
            raise fail("As Of", as_of, f"cannot be expressed in {terms.time_zone} time") from None
    if isinstance(as_of, date):
        return datetime.combine(as_of, terms.exercise_end_time, tzinfo=terms.zone)
    raise fail("As Of", as_of, "must be a date or a date and time")


def d1_results(buildings: object, total_revenue: object, new_revenue: object, ebitda_loss: object,
               force_majeure: Iterable[str] = ()) -> tuple[TestResult, ...]:
    """D-1's four §2 tests with the measured values, thresholds from the contract.

    ``ebitda_loss`` is the loss as a positive amount (§2(d)). ``force_majeure``
    names the tests (by name or clause, e.g. ``"§2(a)"``) whose miss Force
    Majeure caused (§2(f)).
    """
    excused = {str(x).strip().casefold() for x in force_majeure}
    known = {t.name.casefold() for t in D1_TESTS} | {t.clause.casefold() for t in D1_TESTS}
    for name in excused:
        if name not in known:
            raise fail("Force Majeure test", name, "is not one of D-1's tests: "
                       + ", ".join(f"{t.clause} {t.name}" for t in D1_TESTS))
    values = (buildings, total_revenue, new_revenue, ebitda_loss)
    return tuple(
        TestResult(t.name, t.comparator, t.threshold, exact(v, t.name),
                   force_majeure=t.name.casefold() in excused or t.clause.casefold() in excused,
                   clause=t.clause)
        for t, v in zip(D1_TESTS, values)
    )


# -- words -------------------------------------------------------------------

def _zone_words(terms: Terms) -> str:
    return "New York time" if terms.time_zone == "America/New_York" else f"{terms.time_zone} time"


def fmt_number(value: Fraction) -> str:
    """Thousands-separated, exact where the decimal terminates (display only)."""
    if value.denominator == 1:
        return f"{value.numerator:,}"
    return f"{to_plain_decimal(value, 10):,}"


def _amount(value: Fraction, unit: str) -> str:
    if unit == "USD":
        sign = "-" if value < 0 else ""
        return f"{sign}${fmt_number(abs(value))}"
    return f"{fmt_number(value)} {unit}".rstrip()


def _relation(d: DefaultRow) -> str:
    if d.comparator == AT_LEAST:
        return "<" if d.actual < d.threshold else "≥"
    return ">" if d.actual > d.threshold else "≤"


def _test_words(d: DefaultRow) -> str:
    # e.g. "§2(a) Building Test default, 118 buildings < 120"
    threshold = _amount(d.threshold, "USD") if d.unit == "USD" else fmt_number(d.threshold)
    verdict = "default excused by Force Majeure (§2(f))" if d.excused else ("default" if d.default else "met")
    return f"{d.clause} {d.test} {verdict}, {_amount(d.actual, d.unit)} {_relation(d)} {threshold}"


__all__ = [
    "EXERCISABLE", "NOT_YET_EXERCISABLE", "EXPIRED", "NO_PERFORMANCE_DEFAULT", "BLOCKED", "STATUSES",
    "TestResult", "Facts", "DefaultRow", "Reason", "Exercisability",
    "performance_defaults", "exercisability", "as_of_moment", "d1_results",
]
