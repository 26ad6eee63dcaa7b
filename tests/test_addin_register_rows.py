"""WARRANT_REGISTER's rows (issue 11): ``parse_register`` converts a class of terms once and
copies it per warrant; every row must answer exactly as the row converted alone does
(``register_row_terms``): the same Terms, or the same refusal of the first bad row.

The reference below is the plain rule, written out: the table's rows, each converted whole."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, strategies as st

from addin.excel import convert as cv
from engine.errors import WarrantError

HEADERS = ["Warrant", "Preset", "Issue Date", "Warrant Shares", "Exercise Price", "Anti-Dilution",
           "Share Adjustment", "Common Outstanding", "Fully Diluted", "Time Zone", None]


def reference(grid):
    """Each row converted alone, in order; the first refusal is the answer."""
    try:
        t = cv.table(grid, cv._TERMS_LABEL_FIELD, "Register")
        if "preset" not in t.fields:
            missing = [lab for lab in cv.ADJUST_REQUIRED if cv._TERMS_LABEL_FIELD[lab] not in t.fields]
            if missing:
                raise WarrantError(f"Register row 1: missing column {', '.join(repr(m) for m in missing)}: a "
                                   f"register needs a Preset column or the columns {', '.join(cv.ADJUST_REQUIRED)}")
        return tuple(cv.register_row_terms(r, row) for row, r in t.rows)
    except WarrantError as exc:
        return str(exc)


def parsed(grid):
    """Each row's whole Terms: its class's terms with its own Holding (name, count, price)."""
    try:
        return tuple(terms.holding_terms(holding) for terms, holding in cv.parse_register(grid))
    except WarrantError as exc:
        return str(exc)


# cells of each column: mostly the common values (so classes repeat), with blanks, text numbers,
# percents, errors, NaN/inf, negatives, booleans, an unhashable list and wrong types among them
COLUMN = {
    "Warrant": ["W-1", "W-2", " W-3 ", "", None, " ", "#N/A", "#WARRANT: x", 1001, 2.5, True, "D-1"],
    "Preset": ["D-1", "D-1", "d-1", None, "", "X-9", 7],
    "Issue Date": [datetime(2001, 2, 7), date(2001, 2, 7), 36929, "2001-02-07", None, "soon", -5, True],
    "Warrant Shares": [100, 161290, 250.5, 1e3, 0, -5, "1,000", "10%", None, "", float("nan"), float("inf"),
                       True, "#REF!", 10**30, [1]],
    "Exercise Price": [0.01, 1.5, 2, 0, -0.5, "5%", "$1.25", "1/3", None, float("nan"), float("-inf"), False,
                       1e-9, 3.14159],
    "Anti-Dilution": ["FULL_RATCHET", "broad weighted average", "NONE", None, "SIDEWAYS", 3],
    "Share Adjustment": ["NONE", "KEEP_AGGREGATE", None, "HALF"],
    "Common Outstanding": [10_000_000, 10_000_000.0, None, -1, 2.5, "10%"],
    "Fully Diluted": [12_000_000, None, 9_000_000, "lots"],
    "Time Zone": ["America/New_York", None, "Mars/Olympus"],
    None: ["remark", None, 5],
}
mostly = {h: st.one_of(st.sampled_from(v[:2]), st.sampled_from(v)) for h, v in COLUMN.items()}


@st.composite
def registers(draw):
    heads = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=len(HEADERS), unique=True))
    if draw(st.booleans()):
        heads = [h for h in HEADERS if h in heads or h in ("Warrant", "Preset", "Warrant Shares", "Exercise Price")]
    rows = draw(st.lists(st.tuples(*[mostly[h] for h in heads]), max_size=12))
    grid = [list(heads)] + [list(r) for r in rows]
    if rows and draw(st.booleans()):
        grid.insert(draw(st.integers(1, len(grid))), [None] * len(heads))      # a blank row
    if rows and draw(st.booleans()):
        grid[-1] = grid[-1][:draw(st.integers(0, len(heads)))]                # a short row
    return grid


@given(registers())
def test_parse_register_answers_as_each_row_alone(grid):
    assert parsed(grid) == reference(grid)


AS_OF = datetime(2003, 6, 30)
HEAD = ["Warrant", "Preset", "Warrant Shares", "Exercise Price"]


@pytest.mark.parametrize("rows, expected", [
    # a percent typed as a count or a price is refused on every row, not only the first of its class (the
    # copy of a class once read "10%" as 0.1 shares); terms: "a percent typed as Warrant Shares is refused"
    ([["a", "D-1", 100, 1.5], ["b", "D-1", "10%", 1.5]],
     "#WARRANT: Register row 3: Warrant Shares ('10%') is a percentage; enter a number of shares"),
    ([["a", "D-1", 100, 1.5], ["b", "D-1", 100, "5%"]],
     "#WARRANT: Register row 3: Exercise Price ('5%') is a percentage; enter a price per share"),
    # a blank Warrant with a Preset takes the preset's name on every row (the label's rule), not "" on the
    # second row of a class; shares 100 x $1.50 = $150.00, 200 x $1.50 = $300.00 (no events)
    ([["", "D-1", 100, 1.5], [None, "D-1", 200, 1.5]],
     [["Warrant", "Price", "Shares", "Aggregate Price"], ["D-1", 1.5, 100, 150.0], ["D-1", 1.5, 200, 300.0]]),
    # a second row of the class with a non-positive count is refused naming its row (Terms' own rule)
    ([["a", "D-1", 100, 1.5], ["b", "D-1", 0, 1.5]], "#WARRANT: Register row 3: Warrant Shares (0) must be positive"),
])
def test_register_rows_of_one_class(rows, expected):
    from addin.excel.catalog import call
    assert call("WARRANT_REGISTER", [HEAD] + rows, None, AS_OF) == expected
