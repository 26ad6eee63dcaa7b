"""A coherent history of our own (tests/fixtures/ocf/acme_robotics), imported and answered by hand.

Acme Robotics, Inc. (OCF package written for this test, main schemas): Common Stock, Series Seed, A and B
Preferred (each converting 1:1 into Common at issue), the 2020 plan, and warrant W-1 (security
``w-lender``): 500,000 Common at $1.00, issued 2020-04-01 to Harbor Venture Lending LLC.

The history, in the package's order (ids are the OCF transaction ids):

  2020-01-10 tx-f1        8,000,000 Common to the founder at $0.0001              before the Issue Date
  2020-02-01 tx-eq1       option eq-1, 1,000,000 at $0.10 (expires 2030-02-01)     before
  2020-02-15 tx-w2        warrant W-2 (w-bank), 100,000 Common at $1.50 (exp. 2024-02-15)   before
  2020-03-01 tx-seed      2,000,000 Series Seed at $1.00                          before
  2020-04-01 tx-w1        THE WARRANT W-1
  2021-01-15 tx-split     Common 2-for-1; tx-reiss/tx-f1b the founder's reissued 16,000,000 (a continuation);
             tx-seed-ratio Seed ratio 2:1 (mirrors the split: no change in Common-equivalent shares)
  2021-03-01 tx-eq2       option eq-2, 1,000,000 at $0.60
  2021-06-01 tx-a         4,000,000 Series A at $0.75
  2021-09-01 tx-rp2       eq-2 repriced to $0.40 (no split since its grant)
  2021-09-01 tx-rp1       eq-1 repriced to $0.05 (a split lies between: a Confirm row)
  2022-01-10 tx-rep       1,000,000 of the founder's shares repurchased, balance s-f1c (15,000,000, a continuation)
  2022-03-01 tx-ex2/tx-s-ex2  250,000 of eq-2 exercised (a partial exercise) into Common at $0.40
  2022-06-01 tx-b         4,000,000 Series B at $0.35 (a round below the price)
  2022-06-01 tx-a-ratio   Series A ratio 5:2 (its own anti-dilution: 4,000,000 × 5/2 = 10,000,000 Common)
  2023-01-15 tx-wex       W-1 exercised for 400,000 (tx-s-wex); remainder w-lender-2 600,000 (a continuation)

Counts at the Issue Date (before its own events; docs/ocf.md "Counts"):
  Common Outstanding = 8,000,000 (the founder)
  Fully Diluted = 8,000,000 + 1,000,000 (eq-1) + 100,000 (W-2) + 2,000,000 (Seed × 1) + 500,000 (W-1) = 11,600,000
"""
from __future__ import annotations

from datetime import date
from fractions import Fraction as F
from pathlib import Path

import openpyxl
import pytest

import engine
from addin.excel import convert as cv
from addin.ocf import map_warrant, read_package
from addin.excel import catalog
from addin.recalc import recalc_file
from tests.test_cli import run

ACME = Path(__file__).parent / "fixtures" / "ocf" / "acme_robotics"
AS_OF = date(2023, 6, 30)

# The Events rows read off the package by hand (docs/ocf.md's mapping): date, kind, shares, ratio,
# consideration, additional consideration, ref, the OCF id in the Note, Confirm expected.
EXPECTED_ROWS = [
    ("2020-01-10", "ISSUE", 8_000_000, None, F(800), None, "", "tx-f1", False),         # 8,000,000 × 0.0001
    ("2020-02-01", "OPTIONS", 1_000_000, None, 0, F(100_000), "eq-1", "tx-eq1", False),  # 1,000,000 × 0.10
    ("2020-02-15", "OPTIONS", 100_000, None, 0, F(150_000), "w-bank", "tx-w2", False),   # 100,000 × 1.50, bought for 0
    ("2020-03-01", "CONVERTIBLE", 2_000_000, None, F(2_000_000), 0, "s-seed", "tx-seed", False),
    ("2021-01-15", "SPLIT", None, "2-for-1", None, None, "", "tx-split", False),
    ("2021-03-01", "OPTIONS", 1_000_000, None, 0, F(600_000), "eq-2", "tx-eq2", False),
    ("2021-06-01", "CONVERTIBLE", 4_000_000, None, F(3_000_000), 0, "s-a", "tx-a", False),
    ("2021-09-01", "AMEND", None, None, None, F(400_000), "eq-2", "tx-rp2", False),      # 1,000,000 × 0.40
    ("2021-09-01", "AMEND", None, None, None, F(50_000), "eq-1", "tx-rp1", True),        # 1,000,000 × 0.05, split between
    ("2022-01-10", "TREASURY", 1_000_000, None, None, None, "", "tx-rep", False),
    ("2022-03-01", "ISSUE", 250_000, None, F(100_000), None, "eq-2", "tx-s-ex2", False),  # 250,000 × 0.40
    ("2022-06-01", "CONVERTIBLE", 4_000_000, None, F(1_400_000), 0, "s-b", "tx-b", False),
    ("2022-06-01", "AMEND", 10_000_000, None, None, None, "s-a", "tx-a-ratio", False),   # 4,000,000 × 5/2
    ("2023-01-15", "EXERCISE", 400_000, None, None, None, "", "tx-wex", False),
    ("2024-02-16", "EXPIRE", None, None, None, None, "w-bank", "tx-w2", False),   # W-2 lapses the day after 2024-02-15
    ("2030-02-02", "EXPIRE", None, None, None, None, "eq-1", "tx-eq1", False),
    ("2031-03-02", "EXPIRE", None, None, None, None, "eq-2", "tx-eq2", False),
]


def full_ratchet() -> F:
    """FULL_RATCHET (§4(d)): the price becomes the lowest consideration per share below it.

    2021-01-15 split 2-for-1: 1.00 → 0.50, shares 500,000 → 1,000,000 (§4(b)).
    2021-03-01 eq-2 at 0.60 ≥ 0.50; 2021-06-01 Series A 3,000,000 / 4,000,000 = 0.75 ≥ 0.50: no change.
    2021-09-01 eq-2 repriced: recomputed as if granted at 400,000 / 1,000,000 = 0.40 (§4(e)(ii)) → 0.40.
    2021-09-01 eq-1 repriced: a grant before the Issue Date, no adjustment either way.
    2022-06-01 Series B 1,400,000 / 4,000,000 = 0.35 < 0.40 → 0.35.
    2022-06-01 Series A's new ratio: recomputed as if 10,000,000 shares for 3,000,000 = 0.30 from 2021-06-01;
               Series B's 0.35 is then above it → 0.30.
    """
    return F(3, 10)


def broad_weighted_average() -> F:
    """BROAD_WEIGHTED_AVERAGE: CP2 = CP1 × (A + B) / (A + C), A = fully diluted before, B = consideration / CP1, C = shares.

    Fully diluted: 11,600,000 at issue; × 2 at the split = 23,200,000; eq-2 + 1,000,000 = 24,200,000;
    Series A + 4,000,000 = 28,200,000; the repurchase − 1,000,000 = 27,200,000; the exercise of eq-2
    was counted already (§4(e)(i)).
    """
    def cp2(cp1: F, a: int, consideration: int, c: int) -> F:
        return cp1 * (a + F(consideration) / cp1) / (a + c)

    after_split = F(1, 2)
    # 2021-09-01, eq-2 recomputed as granted for 400,000 on 2021-03-01: A = 23,200,000, C = 1,000,000
    # → 0.5 × (23,200,000 + 800,000) / 24,200,000 = 60/121 (Series A at 0.75 is above it).
    repriced = cp2(after_split, 23_200_000, 400_000, 1_000_000)
    assert repriced == F(60, 121)
    # 2022-06-01 Series B, 4,000,000 for 1,400,000 at A = 27,200,000 → 9007/18876.
    series_b = cp2(repriced, 27_200_000, 1_400_000, 4_000_000)
    assert series_b == F(9007, 18876)
    # 2022-06-01 Series A amended to 10,000,000 shares: the history recomputed from 2021-06-01:
    #   Series A 3,000,000 for 10,000,000 at A = 24,200,000: 60/121 × (24,200,000 + 6,050,000) / 34,200,000 = 25/57;
    #   fully diluted 34,200,000, less the repurchase: 33,200,000;
    #   Series B 1,400,000 for 4,000,000 at A = 33,200,000: 25/57 × (33,200,000 + 3,192,000) / 37,200,000 = 4549/10602,
    #   below 9007/18876, so made (§4(g)(iv) forbids only an upward change).
    a_amended = cp2(repriced, 24_200_000, 3_000_000, 10_000_000)
    assert a_amended == F(25, 57)
    final = cp2(a_amended, 33_200_000, 1_400_000, 4_000_000)
    assert final == F(4549, 10602) and final < series_b
    return final


# Warrant Shares: 500,000 × 2 (the split) = 1,000,000, less the 400,000 exercised = 600,000 (§1(c)(ii)).
SHARES_AFTER = 600_000


@pytest.fixture(scope="module")
def mapped():
    return map_warrant(read_package(ACME), "W-1")


def test_the_events_are_the_hand_mapping(mapped):
    got = [(r.date.isoformat(), r.event, r.shares, r.ratio, r.consideration, r.additional, r.ref, r.ocf_id,
            bool(r.confirm)) for r in mapped.rows]
    assert got == EXPECTED_ROWS
    for r in mapped.rows:                                   # every row names its OCF object and id
        assert r.note.startswith(f"OCF TX_") and f" {r.ocf_id}" in r.note, r.note
    assert mapped.rows[-1].note == ("OCF TX_EQUITY_COMPENSATION_ISSUANCE tx-eq2: lapsed unexercised at its "
                                    "expiration date 2031-03-01, EXPIRE the day after")
    assert next(r for r in mapped.rows if r.ocf_id == "tx-f1").note == "OCF TX_STOCK_ISSUANCE tx-f1"


def test_the_terms_and_counts(mapped):
    t = mapped.terms
    assert (t["Warrant"], t["Holder"], t["Issuer"]) == ("W-1", "Harbor Venture Lending LLC", "Acme Robotics, Inc.")
    assert t["Issuer Address"] == "100 Foundry Way\nSuite 200\nPittsburgh PA 15222\nUS"
    assert (t["Issue Date"], t["Warrant Shares"], t["Exercise Price"]) == (date(2020, 4, 1), 500_000, 1)
    assert (t["Exercise Start"], t["Exercise End"]) == (date(2020, 4, 1), date(2028, 3, 31))
    assert (t["Security"], t["Par Value"]) == ("Common Stock", F(1, 10_000))
    assert (t["Common Outstanding"], t["Fully Diluted"]) == (8_000_000, 11_600_000)
    assert "Anti-Dilution" not in t and mapped.required == ["Anti-Dilution"]


def test_the_notes_list_every_object_left_out(mapped):
    reasons = {n.id: n.reason for n in mapped.notes}
    assert "the warrant itself" in reasons["tx-w1"]
    assert "continuation of s-f1" in reasons["tx-f1b"] and "split reissuance" in reasons["tx-f1b"]
    assert "continuation of s-f1" in reasons["tx-f1c"] and "balance of TX_STOCK_REPURCHASE tx-rep" in reasons["tx-f1c"]
    assert "mirrors a split" in reasons["tx-seed-ratio"]
    assert "EXERCISE row counts them" in reasons["tx-s-wex"]
    assert "remainder after TX_WARRANT_EXERCISE tx-wex" in reasons["tx-w1r"]
    rows = {r.ocf_id for r in mapped.rows}
    items = {it.id for it in read_package(ACME).transactions}
    assert items == rows | set(reasons)                    # every object is a row or a note


def _answers(path: Path) -> tuple[object, object]:
    wb, result = recalc_file(path, catalog)
    ws = wb["Warrant"]
    at = {ws.cell(row=r, column=1).value: r for r in range(1, ws.max_row + 1)}   # the last: the answers block
    return result.values[("Warrant", at["Per Share Exercise Price"], 2)], result.values[("Warrant", at["Warrant Shares"], 2)]


def _confirm_all(path: Path, out: Path) -> None:
    """The user checks each Confirm row and types OK before its reason."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Events"]
    col = [c.value for c in ws[1]].index("Confirm") + 1
    for r in range(2, ws.max_row + 1):
        v = ws.cell(row=r, column=col).value
        if v:
            ws.cell(row=r, column=col, value="OK: " + v)
    wb.save(out)


def _exact(path: Path) -> engine.ledger.Adjusted:
    """The engine's exact answer from the book's own cells (Terms and Events as the add-in reads them)."""
    wb = openpyxl.load_workbook(path)
    terms_ws, events_ws = wb["Warrant"], wb["Events"]
    from addin.excel.convert import TERMS_LABELS
    terms = cv.parse_terms([[terms_ws.cell(row=r, column=c).value for c in (1, 2)]
                            for r in range(3, 3 + len(TERMS_LABELS))])
    grid = [[c.value for c in row[:12]] for row in events_ws.iter_rows(min_row=1, max_row=events_ws.max_row)]
    return engine.adjust(terms, cv.parse_events(grid), AS_OF)


@pytest.mark.parametrize("method, price", [("FULL_RATCHET", full_ratchet()),
                                           ("BROAD_WEIGHTED_AVERAGE", broad_weighted_average())])
def test_the_imported_book_answers_the_hand_calculation(tmp_path, capsys, method, price):
    book = tmp_path / "w1.xlsx"
    code, out, err = run(capsys, "import-ocf", ACME, "--warrant", "w-lender", "-o", book, "--set", f"Anti-Dilution={method}")
    assert code == 0 and "17 events" in out and "1 rows to confirm" in out and "required" not in out, (out, err)
    # Until the repricing of eq-1 is confirmed, the answers refuse, naming the row and the reason.
    refused, _ = _answers(book)
    assert isinstance(refused, str) and refused.startswith("#WARRANT: Events!A10: not confirmed: a split (× 2)")
    confirmed = tmp_path / "w1-confirmed.xlsx"
    _confirm_all(book, confirmed)
    got_price, got_shares = _answers(confirmed)
    assert got_price == float(price) and got_shares == SHARES_AFTER
    exact = _exact(confirmed)
    assert (exact.price, exact.shares) == (price, SHARES_AFTER)


def test_import_refuses_bad_arguments_in_one_line(tmp_path, capsys):
    code, _out, err = run(capsys, "import-ocf", ACME, "--warrant", "nope", "-o", tmp_path / "x.xlsx")
    assert code == 2 and "--warrant 'nope': no TX_WARRANT_ISSUANCE" in err and "w-lender (W-1)" in err
    code, _out, err = run(capsys, "import-ocf", ACME, "--warrant", "W-1", "-o", tmp_path / "x.xlsx", "--set", "Colour=red")
    assert code == 2 and "'Colour' is not a terms label" in err
    assert "Traceback" not in err
