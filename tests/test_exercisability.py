"""Exercisability of Performance Warrant D-1 (§1(a), §2), as tables of cases.

Every expected value is read off the contract by hand; the derivation is on
the row. Baseline "all tests met" figures are exactly at each threshold:
120 buildings, $30,565,643 revenues, $949,719 New Revenue, $8,165,010 EBITDA
loss — a value exactly at the threshold is never a default.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.errors import WarrantError
from engine.exercisability import (
    BLOCKED, EXERCISABLE, EXPIRED, NO_PERFORMANCE_DEFAULT, NOT_YET_EXERCISABLE, Facts, TestResult,
    as_of_moment, d1_results, exercisability, performance_defaults,
)
from engine.terms import AT_LEAST, AT_MOST, d1_terms

NY = ZoneInfo("America/New_York")
D1 = d1_terms()
MET = dict(buildings=120, total_revenue=30_565_643, new_revenue=949_719, ebitda_loss=8_165_010)
ONE_DEFAULT = d1_results(118, 30_565_643, 949_719, 8_165_010)   # §2(a): 118 < 120
INSIDE = date(2003, 1, 1)


def results(force_majeure=(), **changes):
    values = {**MET, **changes}
    return d1_results(values["buildings"], values["total_revenue"], values["new_revenue"],
                      values["ebitda_loss"], force_majeure=force_majeure)


# ---------------------------------------------------------------- §2(a)-(d), (f)
@pytest.mark.parametrize("clause, changes, force_majeure, status, why", [
    ("§2(a)", dict(buildings=119), (), EXERCISABLE, "119 < 120: failed to connect at least 120"),
    ("§2(a)", dict(buildings=120), (), NO_PERFORMANCE_DEFAULT, "120 = at least 120: met"),
    ("§2(a)", dict(buildings=121), (), NO_PERFORMANCE_DEFAULT, "121 >= 120: met"),
    ("§2(b)", dict(total_revenue=30_565_643), (), NO_PERFORMANCE_DEFAULT, "exactly the minimum: met"),
    ("§2(b)", dict(total_revenue=30_565_642), (), EXERCISABLE, "one dollar below the minimum: default"),
    ("§2(c)", dict(new_revenue=949_719), (), NO_PERFORMANCE_DEFAULT, "exactly the minimum: met"),
    ("§2(c)", dict(new_revenue=949_718), (), EXERCISABLE, "one dollar below the minimum: default"),
    ("§2(d)", dict(ebitda_loss=8_165_010), (), NO_PERFORMANCE_DEFAULT, "loss exactly at, not in excess of"),
    ("§2(d)", dict(ebitda_loss=8_165_011), (), EXERCISABLE, "loss one dollar in excess of the threshold"),
    ("§2(d)", dict(ebitda_loss=-5_000_000), (), NO_PERFORMANCE_DEFAULT, "a profit (negative loss) is met"),
    ("§2(f)", dict(buildings=119), ("Building Test",), NO_PERFORMANCE_DEFAULT, "the only default is excused"),
    ("§2(f)", dict(buildings=119), ("§2(a)",), NO_PERFORMANCE_DEFAULT, "excused, named by clause"),
    ("§2(f)", dict(buildings=119, ebitda_loss=8_165_011), ("§2(a)",), EXERCISABLE,
     "§2(a) excused but §2(d) still a default"),
])
def test_performance_default_boundaries(clause, changes, force_majeure, status, why):
    verdict = exercisability(D1, results(force_majeure, **changes), INSIDE)
    assert verdict.status == status, why
    assert verdict.exercisable is (status == EXERCISABLE)


@pytest.mark.parametrize("clause, name, actual, comparator, threshold, default, excused", [
    ("§2(a)", "Building Test", 119, AT_LEAST, 120, True, False),        # 119 < 120
    ("§2(a)", "Building Test", 120, AT_LEAST, 120, False, False),       # at threshold: no default
    ("§2(b)", "Total Revenue Test", 30_565_642, AT_LEAST, 30_565_643, True, False),
    ("§2(c)", "New Revenue Test", 949_719, AT_LEAST, 949_719, False, False),
    ("§2(d)", "EBITDA Loss Test", 8_165_011, AT_MOST, 8_165_010, True, False),   # in excess of
    ("§2(d)", "EBITDA Loss Test", 8_165_010, AT_MOST, 8_165_010, False, False),  # not in excess
])
def test_default_rows(clause, name, actual, comparator, threshold, default, excused):
    row = TestResult(name, comparator, threshold, actual)
    (judged,) = performance_defaults(D1, [row])
    assert (judged.test, judged.clause, judged.comparator) == (name, clause, comparator)  # clause from the terms
    assert (judged.actual, judged.threshold) == (Fraction(actual), Fraction(threshold))
    assert (judged.default, judged.excused, judged.counts) == (default, excused, default and not excused)


def test_force_majeure_row_is_excused():
    # §2(f): a default caused by Force Majeure is excused and does not count.
    (judged,) = performance_defaults(D1, [TestResult("Building Test", AT_LEAST, 120, 100, force_majeure=True)])
    assert (judged.default, judged.excused, judged.counts) == (True, True, False)


def test_generic_test_with_unknown_name_and_decimal_values():
    # Tests are generic: any name, comparator, threshold; Decimal and text are exact.
    from decimal import Decimal
    row = TestResult("Churn Test", "at_most", Decimal("0.05"), "0.051", clause="§2(g)")
    (judged,) = performance_defaults(D1, [row])
    assert judged.comparator == AT_MOST and judged.default and judged.clause == "§2(g)"
    assert judged.threshold == Fraction(1, 20)


def test_met_test_with_force_majeure_is_not_excused():
    # §2(f) excuses defaults; a met test has nothing to excuse.
    (judged,) = performance_defaults(D1, [TestResult("Building Test", AT_LEAST, 120, 121, force_majeure=True)])
    assert (judged.default, judged.excused) == (False, False)


# ---------------------------------------------------------------- §1(a) Exercise Period
@pytest.mark.parametrize("clause, as_of, status, why", [
    ("§1(a)", date(2001, 12, 30), NOT_YET_EXERCISABLE, "the day before December 31, 2001"),
    ("§1(a)", date(2001, 12, 31), EXERCISABLE, "first day of the period"),
    ("§1(a)", datetime(2001, 12, 30, 23, 59, 59), NOT_YET_EXERCISABLE, "one second before the period"),
    ("§1(a)", datetime(2001, 12, 31, 0, 0), EXERCISABLE, "the period begins at the start of the day"),
    ("§1(a)", datetime(2005, 2, 7, 16, 59), EXERCISABLE, "a minute before 5:00 p.m. New York"),
    ("§1(a)", datetime(2005, 2, 7, 17, 0), EXERCISABLE, "'through 5:00 p.m.' includes 17:00:00"),
    ("§1(a)", datetime(2005, 2, 7, 17, 0, 0, 1), EXPIRED, "one microsecond after 17:00:00"),
    ("§1(a)", datetime(2005, 2, 7, 17, 1), EXPIRED, "a minute after 5:00 p.m. New York"),
    ("§1(a)", date(2005, 2, 7), EXERCISABLE, "a date alone is that day before the cut-off"),
    ("§1(a)", date(2005, 2, 8), EXPIRED, "the day after the last day"),
    # February: New York is UTC-5 (EST), so 17:00 New York = 22:00 UTC.
    ("§1(a)", datetime(2005, 2, 7, 22, 0, tzinfo=timezone.utc), EXERCISABLE, "22:00 UTC = 17:00 EST"),
    ("§1(a)", datetime(2005, 2, 7, 22, 1, tzinfo=timezone.utc), EXPIRED, "22:01 UTC = 17:01 EST"),
    ("§1(a)", datetime(2005, 2, 8, 7, 0, tzinfo=ZoneInfo("Asia/Tokyo")), EXERCISABLE,
     "07:00 Tokyo (UTC+9) = 17:00 New York the day before"),
])
def test_exercise_period(clause, as_of, status, why):
    verdict = exercisability(D1, ONE_DEFAULT, as_of)
    assert verdict.status == status, why


def test_as_of_is_aware_in_the_terms_zone():
    # A date alone becomes that day at the 17:00 cut-off, New York time; naive = New York.
    assert as_of_moment(D1, date(2005, 2, 7)) == datetime(2005, 2, 7, 17, 0, tzinfo=NY)
    assert as_of_moment(D1, datetime(2003, 7, 1, 9, 30)) == datetime(2003, 7, 1, 9, 30, tzinfo=NY)
    verdict = exercisability(D1, ONE_DEFAULT, datetime(2003, 7, 1, 13, 30, tzinfo=timezone.utc))
    # July: New York is UTC-4 (EDT): 13:30 UTC = 09:30 New York.
    assert verdict.as_of.utcoffset() == NY.utcoffset(datetime(2003, 7, 1))
    assert (verdict.as_of.hour, verdict.as_of.minute) == (9, 30)


# ---------------------------------------------------------------- §2(e)
@pytest.mark.parametrize("clause, facts, as_of, status, why", [
    ("§2(e)", Facts(realized_valuation_event=date(2001, 12, 31)), INSIDE, BLOCKED,
     "RVE on December 31, 2001 is 'on or before': never exercisable"),
    ("§2(e)", Facts(realized_valuation_event=date(2001, 6, 30)), INSIDE, BLOCKED, "RVE before the cutoff"),
    ("§2(e)", Facts(realized_valuation_event=date(2002, 1, 1)), INSIDE, EXERCISABLE,
     "RVE after the cutoff does not block"),
    ("§2(e)", Facts(realized_valuation_event=date(2001, 12, 31)), date(2001, 12, 31), BLOCKED,
     "blocked from the first day of the period"),
    ("§2(e)", Facts(other_warrant_exercised_or_waived=date(2002, 12, 31)), INSIDE, BLOCKED,
     "other warrant exercised the day before: no longer 'prior to' it"),
    ("§2(e)", Facts(other_warrant_exercised_or_waived=date(2003, 1, 1)), INSIDE, BLOCKED,
     "same day: priority not shown, blocked"),
    ("§2(e)", Facts(other_warrant_exercised_or_waived=date(2003, 1, 2)), INSIDE, EXERCISABLE,
     "as of the day before the other warrant's exercise: still prior to it"),
    ("§2(e)", Facts(), INSIDE, EXERCISABLE, "no §2(e) facts"),
])
def test_right_of_exercise(clause, facts, as_of, status, why):
    verdict = exercisability(D1, ONE_DEFAULT, as_of, facts)
    assert verdict.status == status, why


def test_facts_accept_datetimes_as_dates():
    assert Facts(realized_valuation_event=datetime(2001, 12, 31, 9, 0)).realized_valuation_event == date(2001, 12, 31)


# ---------------------------------------------------------------- sentences and reasons
@pytest.mark.parametrize("clause, tests, as_of, facts, sentence", [
    ("§2(a)", ONE_DEFAULT, INSIDE, Facts(), "Exercisable: §2(a) Building Test default, 118 buildings < 120"),
    ("§2(a),(b),(d)", d1_results(118, 30_565_642, 949_719, 8_165_011), INSIDE, Facts(),
     "Exercisable: §2(a) Building Test default, 118 buildings < 120; "
     "§2(b) Total Revenue Test default, $30,565,642 < $30,565,643; "
     "§2(d) EBITDA Loss Test default, $8,165,011 > $8,165,010"),
    ("§2(f)", d1_results(118, 30_565_643, 949_718, 8_165_010, force_majeure=["§2(c)"]), INSIDE, Facts(),
     "Exercisable: §2(a) Building Test default, 118 buildings < 120; "
     "excused by Force Majeure (§2(f)): §2(c) New Revenue Test"),
    ("§1(a)", ONE_DEFAULT, datetime(2005, 2, 7, 17, 1), Facts(),
     "Expired: the Exercise Period ended 2005-02-07 17:00 New York time (§1(a))"),
    ("§1(a)", ONE_DEFAULT, date(2001, 12, 30), Facts(),
     "Not yet exercisable: the Exercise Period begins 2001-12-31 (§1(a))"),
    ("§2(e)", ONE_DEFAULT, INSIDE, Facts(realized_valuation_event=date(2001, 12, 31)),
     "Not exercisable: a Realized Valuation Event occurred on 2001-12-31, on or before 2001-12-31 (§2(e))"),
    ("§2(e)", ONE_DEFAULT, INSIDE, Facts(other_warrant_exercised_or_waived=date(2002, 6, 1)),
     "Not exercisable: an exercisable Financing or IRR Warrant was exercised or waived on 2002-06-01, "
     "on or before 2003-01-01 (§2(e))"),
    ("§1(a), §2", d1_results(120, 30_565_643, 949_719, 8_165_010), INSIDE, Facts(),
     "Not exercisable: no Performance Default (§1(a), §2): §2(a) Building Test met, 120 buildings ≥ 120, "
     "§2(b) Total Revenue Test met, $30,565,643 ≥ $30,565,643, §2(c) New Revenue Test met, $949,719 ≥ $949,719, "
     "§2(d) EBITDA Loss Test met, $8,165,010 ≤ $8,165,010"),
    ("§1(a), §2", (), INSIDE, Facts(), "Not exercisable: no Performance Default (§1(a), §2): no test results given"),
    # Expired and no default: the period leads, the other refusal follows.
    ("§1(a), §2", d1_results(120, 30_565_643, 949_719, 8_165_010), date(2005, 2, 8), Facts(),
     "Expired: the Exercise Period ended 2005-02-07 17:00 New York time (§1(a)); no Performance Default"),
])
def test_sentence(clause, tests, as_of, facts, sentence):
    verdict = exercisability(D1, tests, as_of, facts)
    assert verdict.sentence.startswith(sentence)


def test_reasons_carry_clause_measured_and_threshold():
    verdict = exercisability(D1, d1_results(118, 30_565_643, 949_719, 8_165_011), INSIDE)
    by_clause = {r.clause: r for r in verdict.reasons}
    assert (by_clause["§2(a)"].measured, by_clause["§2(a)"].threshold) == (118, 120)
    assert (by_clause["§2(d)"].measured, by_clause["§2(d)"].threshold) == (8_165_011, 8_165_010)
    assert "§1(a)" in by_clause
    assert len(verdict.defaults) == 4


def test_refusal_lists_every_failing_condition():
    verdict = exercisability(D1, results(), date(2005, 2, 8), Facts(realized_valuation_event=date(2001, 1, 1)))
    assert verdict.status == EXPIRED
    assert [r.clause for r in verdict.reasons] == ["§1(a)", "§2(e)", "§2"]


def test_terms_without_performance_default_requirement():
    # Another warrant of the series may not require a Performance Default (data, not code).
    terms = D1.with_(requires_performance_default=False)
    verdict = exercisability(terms, results(), INSIDE)
    assert verdict.exercisable
    assert verdict.sentence == "Exercisable: no Performance Default required by the terms"


def test_other_terms_other_zone_and_cutoff():
    # A warrant of similar terms ending at noon London time on 2006-03-31.
    from datetime import time
    terms = D1.with_(exercise_end=date(2006, 3, 31), exercise_end_time=time(12, 0), time_zone="Europe/London")
    assert exercisability(terms, ONE_DEFAULT, datetime(2006, 3, 31, 12, 0)).exercisable
    late = exercisability(terms, ONE_DEFAULT, datetime(2006, 3, 31, 12, 1))
    assert late.sentence == "Expired: the Exercise Period ended 2006-03-31 12:00 Europe/London time (§1(a))"


def test_before_the_test_date_no_default_can_have_occurred():
    # A warrant of the series whose period opens before its Test Date (§2 "as of"): not yet.
    terms = D1.with_(exercise_start=date(2001, 6, 30))
    early = exercisability(terms, ONE_DEFAULT, date(2001, 12, 30))
    assert early.status == NOT_YET_EXERCISABLE
    assert early.sentence == ("Not yet exercisable: the Performance Default tests are measured as of "
                              "2001-12-31 (§2)")
    assert exercisability(terms, ONE_DEFAULT, date(2001, 12, 31)).exercisable


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("clause, build, message", [
    ("§2", lambda: TestResult("Building Test", "ABOUT", 120, 118, row=3),
     r"Tests row 3: Comparator \('ABOUT'\) must be one of AT_LEAST, AT_MOST"),
    ("§2", lambda: TestResult("Building Test", AT_LEAST, 120, None, row=2),
     r"Tests row 2: Actual \((None|blank)\) must be a number"),
    ("§2", lambda: TestResult("Building Test", AT_LEAST, 120, 118.0),
     r"Actual \(118.0\) is a float"),
    ("§2", lambda: TestResult("Building Test", AT_LEAST, "lots", 118),
     r"Threshold \('lots'\) must be a number"),
    ("§2", lambda: TestResult("  ", AT_LEAST, 120, 118, row=4), r"Tests row 4: Test \('  '\) must be a non-blank"),
    ("§2(f)", lambda: TestResult("Building Test", AT_LEAST, 120, 118, force_majeure="yes"),
     r"Force Majeure \('yes'\) must be TRUE or FALSE"),
    ("§2(f)", lambda: d1_results(118, 1, 1, 1, force_majeure=["§2(z)"]),
     r"Force Majeure test \('§2\(z\)'\) is not one of D-1's tests"),
    ("§2(e)", lambda: Facts(realized_valuation_event="2001-12-31"),
     r"Facts: Realized Valuation Event \('2001-12-31'\) must be a date or blank"),
    ("§1(a)", lambda: exercisability(D1, ONE_DEFAULT, "2003-01-01"),
     r"As Of \('2003-01-01'\) must be a date or a date and time"),
    ("§1(a)", lambda: exercisability(D1, ONE_DEFAULT, datetime(1, 1, 1, tzinfo=timezone.utc)),
     r"As Of \(0001-01-01 00:00:00\+00:00\) cannot be expressed in America/New_York time"),
    ("§2", lambda: performance_defaults(D1, [TestResult("Building Test", AT_LEAST, 120, 1, row=2),
                                            TestResult("building test", AT_LEAST, 120, 2, row=3)]),
     r"Tests row 3: Test \('building test'\) appears more than once"),
])
def test_bad_input(clause, build, message):
    with pytest.raises(WarrantError, match=message):
        build()


# ---------------------------------------------------------------- properties
@given(st.integers(min_value=-10**9, max_value=10**9))
def test_building_default_iff_below_120(buildings):
    # §2(a): a default exactly when fewer than 120 buildings.
    (row, *_rest) = performance_defaults(D1, results(buildings=buildings))
    assert row.default is (buildings < 120)


@given(st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2006, 12, 31)))
def test_exercisable_iff_inside_the_period(moment):
    # §1(a): from 2001-12-31 00:00 through 2005-02-07 17:00:00 New York (a default given).
    inside = datetime(2001, 12, 31) <= moment <= datetime(2005, 2, 7, 17, 0)
    assert exercisability(D1, ONE_DEFAULT, moment).exercisable is inside


# --- review follow-ups -------------------------------------------------------------

def test_a_test_row_may_not_rewrite_the_terms_threshold():
    """§2(a): D-1 fixes 120 Buildings; a row typed with 100 is refused, not silently used."""
    from engine import TestResult, WarrantError, d1_terms, performance_defaults
    row = TestResult("Building Test", "AT_LEAST", Fraction(100), Fraction(119), row=2)
    with pytest.raises(WarrantError, match=r"Tests row 2: Threshold of Building Test \(100\) differs from the terms' 120 \(§2\(a\)\)"):
        performance_defaults(d1_terms(), [row])
    flipped = TestResult("EBITDA Loss Test", "AT_LEAST", Fraction(8_165_010), Fraction(1), row=5)
    with pytest.raises(WarrantError, match=r"Tests row 5: Comparator of EBITDA Loss Test \('AT_LEAST'\) differs"):
        performance_defaults(d1_terms(), [flipped])


def test_an_aware_valuation_event_is_dated_in_new_york():
    """§2(e): 2002-01-01 03:00 UTC is 2001-12-31 22:00 in New York, on or before the cutoff: blocked."""
    from datetime import timezone
    from engine import Facts
    facts = Facts(realized_valuation_event=datetime(2002, 1, 1, 3, 0, tzinfo=timezone.utc))
    assert facts.realized_valuation_event == date(2001, 12, 31)


# ---------------------------------------------------------------- §2(f) first limb: Force Majeure periods (issue 18)
@pytest.mark.parametrize("periods, exercisable, why", [
    (((date(2001, 12, 1), date(2002, 1, 15)),), False, "2001-12-31 lies in Dec 1 - Jan 15: no default deemed"),
    (((date(2001, 12, 31), date(2001, 12, 31)),), False, "a one-day period on the Test Date itself (ends inclusive)"),
    (((date(2001, 10, 1), None),), False, "To blank: in progress since Oct 1, so it covers Dec 31"),
    (((date(2001, 1, 1), date(2001, 12, 30)),), True, "ended the day before the Test Date: changes nothing"),
    (((date(2002, 1, 1), None),), True, "began the day after the Test Date: changes nothing"),
    (((date(2001, 1, 1), date(2001, 3, 1)), (date(2001, 12, 20), date(2002, 2, 1))), False,
     "the second of two periods covers the Test Date"),
])
def test_force_majeure_period_covering_the_test_date(periods, exercisable, why):
    # §2(f): "No Performance Default shall be deemed to occur during any period of an event of Force Majeure";
    # D-1's tests are measured "as of December 31, 2001" (§2); 118 buildings < 120 would be a default.
    verdict = exercisability(D1, ONE_DEFAULT, INSIDE, Facts(force_majeure=periods))
    assert verdict.exercisable is exercisable, why
    if not exercisable:
        assert verdict.status == NO_PERFORMANCE_DEFAULT
        assert "period of Force Majeure" in verdict.sentence and "Test Date 2001-12-31 (§2(f))" in verdict.sentence


def test_force_majeure_period_in_progress_is_named():
    verdict = exercisability(D1, ONE_DEFAULT, INSIDE, Facts(force_majeure=((date(2001, 10, 1), None),)))
    assert verdict.sentence == ("Not exercisable: no Performance Default is deemed to occur during a period of "
                                "Force Majeure (2001-10-01 to in progress) that includes the Test Date 2001-12-31 "
                                "(§2(f))")


@pytest.mark.parametrize("periods, message", [
    (((None, date(2002, 1, 1)),), r"Facts: Force Majeure From \(blank\) must be the date"),
    (((date(2002, 1, 2), date(2002, 1, 1)),), r"Force Majeure To \(2002-01-01\) must not be before its From"),
    (((date(2001, 1, 1), None), ("x", None)), r"Force Majeure From 2 \('x'\) must be a date"),
])
def test_force_majeure_period_refusals(periods, message):
    with pytest.raises(WarrantError, match=message):
        Facts(force_majeure=periods)
