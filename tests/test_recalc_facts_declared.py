"""The facts of the engineering, maths, statistics, distribution, conversion and finance
functions are declared beside each function (issue 19, "one registry"), not in module tables;
the positions follow each function's syntax on Microsoft's page."""
from __future__ import annotations

import pytest

from addin.recalc.lib import (FACTS, convert, database, distributions, dynamic, engineering, finance, info, logical,
                              lookup, math, stats)


@pytest.mark.parametrize("module", [convert, database, distributions, dynamic, engineering, finance, info, logical,
                                    lookup, math, stats])
def test_no_table_of_facts_is_left(module):
    for table in ("ARRAY_PARAMS", "ARRAY_MODE", "CLIP_SAFE"):
        assert not hasattr(module, table), (module.__name__, table)


@pytest.mark.parametrize("name,whole,not_whole,clip_safe", [
    # COUNTIFS(criteria_range1, criteria1, [criteria_range2, criteria2], ...)
    ("COUNTIFS", (0, 2, 4, 252), (1, 3, 253), True),
    # SUMIFS(sum_range, criteria_range1, criteria1, ...)
    ("SUMIFS", (0, 1, 3, 253), (2, 4), True),
    # SUMIF(range, criteria, [sum_range])
    ("SUMIF", (0, 2), (1,), True),
    # AGGREGATE(function_num, options, ref1, [ref2], ...): lib/subtotal.py reads the references
    # themselves (hidden rows), so a whole column clipped to the used area is safe
    ("AGGREGATE", (2, 3, 254), (0, 1), True),
    # RANK(number, ref, [order]); LARGE(array, k); SERIESSUM(x, n, m, coefficients)
    ("RANK.EQ", (1,), (0, 2), True), ("LARGE", (0,), (1,), True), ("SERIESSUM", (3,), (0, 1, 2), False),
    # FORECAST(x, known_y's, known_x's); CORREL(array1, array2)
    ("FORECAST", (1, 2), (0,), True), ("CORREL", (0, 1), (2,), True),
    # PRODUCT(number1, ...), IMSUM(inumber1, ...), T.TEST(array1, array2, tails, type)
    ("PRODUCT", (0, 5), (), True), ("IMSUM", (0, 5), (), False), ("T.TEST", (0, 1), (2, 3), False),
    ("STDEV.S", (0, 7), (), True),
])
def test_declared_positions(name, whole, not_whole, clip_safe):
    facts = FACTS[name]
    assert facts.declared
    assert all(i in facts.array_mode for i in whole), name
    assert not any(i in facts.array_mode for i in not_whole), name
    assert facts.clip_safe is clip_safe, name


def test_each_function_is_registered_by_one_module():
    # two modules registering one name would leave one copy dead and the other silently winning
    from addin.recalc import lib
    owners: dict[str, list[str]] = {}
    for module in lib._MODULES:
        for name in module.FUNCTIONS:
            owners.setdefault(name, []).append(module.__name__)
    assert {n: m for n, m in owners.items() if len(m) > 1} == {}
