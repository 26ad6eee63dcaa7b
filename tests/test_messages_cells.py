"""Issue 18 item 10: messages point at the sheet; the "5%" dividend states its share count; `check`
prints each distinct message once with its cells; `recalc` counts error cells and lists the events
ignored as before the Issue Date."""
from __future__ import annotations

import datetime as dt

import pytest

from addin.documents import starter
from addin.recalc.bookio import load_book
from addin.excel.convert import name_cell
from addin.excel.functions import warrant_price
from addin.excel import catalog
from addin.recalc import recalc_workbook
from engine.errors import WarrantError
from tests.test_addin_catalog import D1_TERMS, EVENTS_HEADER, ev
from tests.test_cli import run


@pytest.fixture
def typed_book(tmp_path):
    """A starter with a warrant typed in (openpyxl in memory; the file is not saved)."""
    wb = load_book(starter.new_workbook(tmp_path / "w.xlsx"))
    ws = wb["Warrant"]                     # Terms = Warrant!A3:B33: Issue Date row 9, Warrant Shares 10, Price 11
    ws["B9"], ws["B10"], ws["B11"], ws["B20"] = dt.datetime(2019, 3, 1), 100_000, 2.5, "FULL_RATCHET"
    ws["B35"] = dt.datetime(2020, 1, 1)    # As Of
    return wb


def test_a_terms_message_names_the_value_cell(typed_book):
    typed_book["Warrant"]["B11"] = -2
    result = recalc_workbook(typed_book, catalog)
    # Exercise Price is the 9th row of Terms (Warrant!A3:B33): its value cell is Warrant!B11.
    assert result.values[("Warrant", 38, 2)] == "#WARRANT: Warrant!B11: Exercise Price (-2) must not be negative"


def test_an_events_message_names_the_cell_under_its_column(typed_book):
    ws = typed_book["Events"]              # Events = Events!A1:K201, header row 1; Ratio is column D
    ws["A2"], ws["B2"], ws["D2"] = dt.datetime(2019, 6, 1), "SPLIT", "0-for-1"
    result = recalc_workbook(typed_book, catalog)
    assert result.values[("Warrant", 38, 2)] == "#WARRANT: Events!D2: Ratio ('0-for-1') must be positive"


@pytest.mark.parametrize("message, expected", [
    ("Terms column 3: Exercise Price (-2) bad", "'My Terms'!C2: Exercise Price (-2) bad"),   # labels over values
    ("Tests row 2: Actual (blank) must be a number", "Tests row 2: Actual (blank) must be a number"),  # no range
    ("As Of (blank) must be a date", "As Of (blank) must be a date"),                        # names no table
])
def test_name_cell(message, expected):
    assert name_cell(message, [[["x"]], 5], ["terms", "tests"], [("My Terms", 1, 1), None]) == expected


TERMS_1M = [r for r in D1_TERMS if r[0] not in ("Common Outstanding", "Fully Diluted")] + [
    ["Common Outstanding", 1_000_000.0], ["Fully Diluted", 1_200_000.0]]


@pytest.mark.parametrize("events, expected", [
    # 5% of the 1,000,000 outstanding at issue = 50,000 shares
    ([ev(dt.datetime(2002, 6, 3), "STOCK_DIVIDEND", shares="5%")],
     "Events row 2: Shares ('5%') must be a whole number of shares: for a 5% stock dividend enter 5% of the "
     "Common outstanding (5% of the 1,000,000 Common outstanding on 2002-06-03 is 50,000 shares)"),
    # a 2-for-1 split first: 2,000,000 outstanding, 5% = 100,000
    ([ev(dt.datetime(2002, 1, 3), "SPLIT", ratio="2-for-1"), ev(dt.datetime(2002, 6, 3), "STOCK_DIVIDEND", shares="5%")],
     "(5% of the 2,000,000 Common outstanding on 2002-06-03 is 100,000 shares)"),
    # the row states its own Outstanding: 1,000,001 x 5% = 50,000.05, not whole
    ([ev(dt.datetime(2002, 6, 3), "STOCK_DIVIDEND", shares="5%", outstanding=1_000_001.0)],
     "(5% of the 1,000,001 Common outstanding on 2002-06-03 is 50,000.05 (not whole) shares)"),
])
def test_percent_dividend_states_the_share_count(events, expected):
    with pytest.raises(WarrantError) as exc:
        warrant_price(TERMS_1M, [EVENTS_HEADER, *events], dt.datetime(2004, 6, 15))
    assert str(exc.value).endswith(expected)


def test_percent_dividend_without_counts_keeps_the_plain_message():
    terms = [r for r in D1_TERMS if r[0] not in ("Common Outstanding", "Fully Diluted")]
    with pytest.raises(WarrantError, match=r"enter 5% of the Common outstanding$"):
        warrant_price(terms, [EVENTS_HEADER, ev(dt.datetime(2002, 6, 3), "STOCK_DIVIDEND", shares="5%")],
                      dt.datetime(2004, 6, 15))


def test_check_prints_a_message_once_with_its_cells(capsys, tmp_path):
    # A blank starter: As Of is blank, so the price, the shares and the Adjustments table all say so.
    path = starter.new_workbook(tmp_path / "blank.xlsx", preset="D-1")
    code, out, _err = run(capsys, "check", path)
    assert code == 1
    assert out.count("As Of (blank) must be a date") == 1
    assert "  error in 3 cells (Warrant!B38, Warrant!B39, Adjustments!A3): #WARRANT: As Of (blank) must be a date" \
        in out


def test_recalc_counts_error_cells_and_lists_events_before_the_issue_date(capsys, tmp_path):
    (tmp_path / "terms.csv").write_text("Issue Date,2019-03-01\nWarrant Shares,100000\nExercise Price,2.5\n"
                                        "Anti-Dilution,FULL_RATCHET\nAs Of,2020-01-01\n", encoding="utf-8")
    (tmp_path / "events.csv").write_text("Date,Event,Ratio\n2018-12-01,SPLIT,2-for-1\n2019-06-01,SPLIT,3-for-1\n",
                                         encoding="utf-8")
    book = tmp_path / "w.xlsx"
    assert run(capsys, "new", book, "--terms", tmp_path / "terms.csv", "--events", tmp_path / "events.csv")[0] == 0
    code, out, _err = run(capsys, "recalc", book)
    assert code == 0
    # Without Exercise Start/End the status cells and the settlement refuse: those are the error cells
    # (Exercisable, Status, and the one-cell settlement refusal).
    assert ", 3 error cells" in out
    assert ("1 event before the Issue Date 2019-03-01 ignored (not adjustments): Events row 2 (2018-12-01 SPLIT)"
            in out)
