"""Round trip: import the history before W-1's exercise, settle the exercise in the book, export it as
OCF, import again: the events agree with the first import plus the exercise, and with the history that
recorded the exercise itself (tests/fixtures/ocf/acme_robotics)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from fractions import Fraction as F
from pathlib import Path

import openpyxl
import pytest

from addin.ocf import map_warrant, read_package, validate
from addin.ocf.writer import SIDECAR, TRANSACTIONS, numeric
from tests.test_cli import run
from tests.test_ocf_history import ACME, broad_weighted_average, full_ratchet

EXERCISE_ITEMS = ("tx-wex", "tx-s-wex", "tx-w1r")


def before_exercise(tmp_path: Path) -> Path:
    """The coherent history without W-1's exercise (its three objects removed from a copy)."""
    pkg = tmp_path / "pkg"
    shutil.copytree(ACME, pkg)
    tx = pkg / "Transactions.ocf.json"
    doc = json.loads(tx.read_text(encoding="utf-8"))
    doc["items"] = [i for i in doc["items"] if i["id"] not in EXERCISE_ITEMS]
    tx.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return pkg


def settle_in_book(book: Path, out: Path) -> None:
    """The user confirms the candidate rows and fills the Exercise sheet: 400,000 shares for cash on 2023-01-15."""
    wb = openpyxl.load_workbook(book)
    ws = wb["Events"]
    col = [c.value for c in ws[1]].index("Confirm") + 1
    for r in range(2, ws.max_row + 1):
        if ws.cell(row=r, column=col).value:
            ws.cell(row=r, column=col, value="OK " + ws.cell(row=r, column=col).value)
    ex = wb["Exercise"]
    values = {"Exercise Date": dt.datetime(2023, 1, 15), "Shares": 400_000, "Method": "CASH"}
    for r in range(1, ex.max_row + 1):
        label = ex.cell(row=r, column=1).value
        if label in values:
            ex.cell(row=r, column=2, value=values.pop(label))
    wb.save(out)


def with_export(pkg: Path, exported: Path) -> Path:
    """The package with the exported transactions file listed in its manifest (as a platform would load it)."""
    shutil.copy(exported, pkg / TRANSACTIONS)
    manifest = pkg / "Manifest.ocf.json"
    doc = json.loads(manifest.read_text(encoding="utf-8"))
    doc["transactions_files"].append({"filepath": "./" + TRANSACTIONS,
                                      "md5": hashlib.md5((pkg / TRANSACTIONS).read_bytes()).hexdigest()})
    manifest.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return pkg


def content(rows) -> list[tuple]:
    return [(r.date, r.event, r.shares, r.ratio, r.consideration, r.additional, r.ref) for r in rows]


@pytest.mark.parametrize("method, price", [("FULL_RATCHET", full_ratchet()),
                                           ("BROAD_WEIGHTED_AVERAGE", broad_weighted_average())])
def test_round_trip(tmp_path, capsys, method, price):
    pkg = before_exercise(tmp_path)
    first = tmp_path / "first.xlsx"
    code, _out, err = run(capsys, "import-ocf", pkg, "--warrant", "W-1", "-o", first, "--set", f"Anti-Dilution={method}")
    assert code == 0, err
    settled = tmp_path / "settled.xlsx"
    settle_in_book(first, settled)
    out = tmp_path / "export"
    code, stdout, err = run(capsys, "export-ocf", settled, "-o", out)
    assert code == 0 and TRANSACTIONS in stdout, err

    items = json.loads((out / TRANSACTIONS).read_text(encoding="utf-8"))["items"]
    assert [i["object_type"] for i in items] == ["TX_WARRANT_EXERCISE", "TX_STOCK_ISSUANCE", "TX_WARRANT_ISSUANCE"]
    for i in items:                                            # everything written validates (main: the package's)
        assert validate.item_error(i, validate.MAIN) is None and validate.item_error(i, validate.V1_2_0) is None
    exercise, stock, remainder = items
    assert exercise["security_id"] == "w-lender" and exercise["trigger_id"] == "w-lender.trig"
    assert exercise["resulting_security_ids"] == [stock["security_id"]]
    # 400,000 of the 1,000,000 Warrant Shares (500,000 × 2 after the split) at the hand price
    assert (stock["quantity"], stock["share_price"]["amount"]) == ("400000", numeric(price))
    assert (remainder["quantity"], remainder["exercise_price"]["amount"]) == ("600000", numeric(price))
    assert remainder["stakeholder_id"] == "sh-lender" and remainder["warrant_expiration_date"] == "2028-03-31"

    side = json.loads((out / SIDECAR).read_text(encoding="utf-8"))["warrants"]["w-lender"]
    assert (F(side["per_share_exercise_price"]), F(side["warrant_shares"])) == (price, 1_000_000)
    assert side["exercise"]["remaining_warrant_shares"] == "600000"
    # CASH: the aggregate price 400,000 × price, to the cent half up (§3(b); full ratchet: 120,000.00)
    assert F(side["exercise"]["cash_due"]) == F(int(price * 400_000 * 100 + F(1, 2)), 100)
    assert any(r["ocf"] == "OCF TX_STOCK_CLASS_SPLIT tx-split" and r["clause"] == "§4(b)" for r in side["trail"])

    again = read_package(with_export(pkg, out / TRANSACTIONS))
    assert again.refused == [] and [w for w in again.warnings if "Manifest" in w] == []
    before = map_warrant(read_package(before_exercise(tmp_path / "b")), "W-1")
    after = map_warrant(again, "W-1")
    added = [r for r in after.rows if r.ocf_id == exercise["id"]]
    assert content(added) == [(dt.date(2023, 1, 15), "EXERCISE", 400_000, None, None, None, "")]
    assert content(after.rows) == sorted(content(before.rows) + content(added), key=lambda r: r[0])
    # ... and they agree with the history that recorded the exercise itself
    assert content(after.rows) == content(map_warrant(read_package(ACME), "W-1").rows)
    reasons = {n.id: n.reason for n in after.notes}
    assert "continues the warrant itself (remainder after TX_WARRANT_EXERCISE" in reasons[remainder["id"]]
    assert "EXERCISE row counts them" in reasons[stock["id"]]


def test_export_refuses_a_book_without_ocf_ids_or_exercise(tmp_path, capsys):
    plain = tmp_path / "plain.xlsx"
    assert run(capsys, "new", plain)[0] == 0
    code, _out, err = run(capsys, "export-ocf", plain, "-o", tmp_path / "x")
    assert code == 2 and "no OCF ids" in err and "Traceback" not in err
    book = tmp_path / "w.xlsx"
    assert run(capsys, "import-ocf", ACME, "--warrant", "W-1", "-o", book, "--set", "Anti-Dilution=NONE")[0] == 0
    code, _out, err = run(capsys, "export-ocf", book, "-o", tmp_path / "y")
    assert code == 2 and "not confirmed" in err         # the Confirm row refuses here too
