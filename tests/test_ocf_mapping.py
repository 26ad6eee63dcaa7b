"""The mapping's decisions (docs/ocf.md), each on a small transactions file written here, and the
Register of every warrant over the coherent history."""
from __future__ import annotations

import hashlib
import json
from datetime import date
from fractions import Fraction as F
from pathlib import Path

import openpyxl
import pytest

from addin.excel import convert as cv
from addin.ocf import map_warrant, read_package
from addin.ocf.book import parse_settings
from addin.ocf.reader import OcfError
from addin.excel import catalog
from addin.recalc import recalc_file
from tests.test_cli import run
from tests.test_ocf_history import ACME, _answers

USD = lambda a: {"amount": a, "currency": "USD"}  # noqa: E731


def stock(tx, sid, d, qty, price, holder="h-1", cls="C"):
    return {"object_type": "TX_STOCK_ISSUANCE", "id": tx, "date": d, "security_id": sid, "custom_id": sid,
            "stakeholder_id": holder, "stock_class_id": cls, "share_price": USD(price), "quantity": qty,
            "security_law_exemptions": [], "stock_legend_ids": []}


def option(tx, sid, d, qty, price, holder="h-2", exp="2030-01-01"):
    return {"object_type": "TX_EQUITY_COMPENSATION_ISSUANCE", "id": tx, "date": d, "security_id": sid, "custom_id": sid,
            "stakeholder_id": holder, "stock_class_id": "C", "compensation_type": "OPTION_NSO", "quantity": qty,
            "exercise_price": USD(price), "expiration_date": exp, "termination_exercise_windows": [],
            "security_law_exemptions": []}


def warrant(tx, sid, d, qty, price, holder="h-w", exp="2029-12-31"):
    return {"object_type": "TX_WARRANT_ISSUANCE", "id": tx, "date": d, "security_id": sid, "custom_id": sid,
            "stakeholder_id": holder, "security_law_exemptions": [], "quantity": qty, "exercise_price": USD(price),
            "purchase_price": USD("0"), "warrant_expiration_date": exp,
            "exercise_triggers": [{"trigger_id": sid + ".t", "type": "ELECTIVE_AT_WILL", "conversion_right": {
                "type": "WARRANT_CONVERSION_RIGHT", "converts_to_stock_class_id": "C",
                "conversion_mechanism": {"type": "FIXED_AMOUNT_CONVERSION", "converts_to_quantity": qty}}}]}


W = warrant("tx-w", "W", "2020-01-01", "1000", "1.00")


def mapped(tmp_path: Path, items: list, **settings):
    path = tmp_path / "Transactions.ocf.json"
    path.write_text(json.dumps({"file_type": "OCF_TRANSACTIONS_FILE", "items": [W, *items]}), encoding="utf-8")
    pkg = read_package(path)
    assert pkg.refused == []
    return map_warrant(pkg, "W", parse_settings([f"{k.replace('_', ' ')}={v}" for k, v in settings.items()]))


def kinds(m) -> list[tuple]:
    return [(r.date.isoformat(), r.event, r.shares, r.ref) for r in m.rows]


def test_same_date_rows_keep_the_file_order(tmp_path):
    m = mapped(tmp_path, [stock("t2", "s2", "2021-05-01", "10", "2"), stock("t1", "s1", "2021-05-01", "20", "1"),
                          stock("t0", "s0", "2021-04-01", "5", "1")])
    assert [r.ocf_id for r in m.rows] == ["t0", "t2", "t1"]


def test_partial_cancellation_is_an_amend_to_the_remaining_shares(tmp_path):
    m = mapped(tmp_path, [
        option("t1", "o1", "2021-01-01", "1000", "0.50"),
        {"object_type": "TX_EQUITY_COMPENSATION_CANCELLATION", "id": "t2", "date": "2021-06-01", "security_id": "o1",
         "quantity": "400", "reason_text": "forfeited", "balance_security_id": "o1b"},
        option("t3", "o1b", "2021-06-01", "600", "0.50"),
        {"object_type": "TX_EQUITY_COMPENSATION_CANCELLATION", "id": "t4", "date": "2022-01-01", "security_id": "o1b",
         "quantity": "600", "reason_text": "forfeited"}])
    amend, expire = m.rows[1], m.rows[2]
    # 1,000 - 400 = 600 remain; the Additional Consideration 1,000 × 0.50 = 500 scales to 600 × 0.50 = 300
    assert (amend.event, amend.shares, amend.consideration, amend.additional, amend.ref) == ("AMEND", 600, 0, 300, "o1")
    assert (expire.event, expire.ref, expire.date) == ("EXPIRE", "o1", date(2022, 1, 1))
    assert any(n.id == "t3" and "balance of TX_EQUITY_COMPENSATION_CANCELLATION t2" in n.reason for n in m.notes)
    assert len(m.rows) == 3                 # an option cancelled to nothing does not also lapse


def test_a_retracted_issuance_is_dropped(tmp_path):
    m = mapped(tmp_path, [stock("t1", "s1", "2021-01-01", "100", "1"),
                          {"object_type": "TX_STOCK_RETRACTION", "id": "t2", "date": "2021-02-01", "security_id": "s1",
                           "reason_text": "issued in error"}])
    assert m.rows == [] and {n.id for n in m.notes} == {"tx-w", "t1", "t2"}


def test_a_lapse_is_an_expire_the_day_after_expiration(tmp_path):
    m = mapped(tmp_path, [option("t1", "o1", "2021-01-01", "100", "2", exp="2024-02-29"),
                          warrant("t2", "w2", "2021-01-01", "50", "3", exp="2023-12-31")])
    assert kinds(m)[2:] == [("2024-01-01", "EXPIRE", None, "w2"), ("2024-03-01", "EXPIRE", None, "o1")]


def test_transfers_and_consolidations_are_continuations(tmp_path):
    m = mapped(tmp_path, [
        stock("t1", "s1", "2021-01-01", "100", "1"), stock("t2", "s2", "2021-01-01", "50", "1"),
        {"object_type": "TX_STOCK_TRANSFER", "id": "t3", "date": "2021-03-01", "security_id": "s1", "quantity": "100",
         "resulting_security_ids": ["s3"]},
        stock("t4", "s3", "2021-03-01", "100", "1", holder="h-9"),
        {"object_type": "TX_STOCK_CONSOLIDATION", "id": "t5", "date": "2021-04-01", "security_ids": ["s2", "s3"],
         "resulting_security_id": "s4"},
        stock("t6", "s4", "2021-04-01", "150", "1", holder="h-9"),
        {"object_type": "TX_STOCK_REPURCHASE", "id": "t7", "date": "2021-05-01", "security_id": "s4", "quantity": "20",
         "price": USD("1")}])
    assert kinds(m) == [("2021-01-01", "ISSUE", 100, ""), ("2021-01-01", "ISSUE", 50, ""),
                        ("2021-05-01", "TREASURY", 20, "")]


def test_zero_price_issues_are_candidates_for_a_stock_dividend(tmp_path):
    m = mapped(tmp_path, [stock("t1", "s1", "2021-01-01", "100", "0")])
    assert m.rows[0].event == "ISSUE" and "change the Event to STOCK_DIVIDEND" in m.rows[0].confirm


def test_management_is_suggested_only_when_the_terms_have_a_cap(tmp_path):
    plain = mapped(tmp_path, [option("t1", "o1", "2021-01-01", "100", "2")])
    assert (plain.rows[0].category, plain.rows[0].confirm) == ("", "")
    path = tmp_path / "Stakeholders.ocf.json"        # (a lone transactions file has no stakeholders: granted
    m = mapped(tmp_path, [dict(option("t1", "o1", "2021-01-01", "100", "2"), stock_plan_id="plan")],
               Management_Cap="10%")                  # under a plan is the hint here)
    assert m.rows[0].category == "MANAGEMENT" and "Category MANAGEMENT suggested (granted under a stock plan" in \
        m.rows[0].confirm
    assert not path.exists()


def test_a_warrant_cancelled_and_reissued_at_a_new_price_is_an_other_candidate(tmp_path):
    m = mapped(tmp_path, [
        {"object_type": "TX_WARRANT_CANCELLATION", "id": "t1", "date": "2022-01-01", "security_id": "W",
         "quantity": "1000", "reason_text": "Board adjustment"},
        warrant("t2", "W-new", "2022-01-01", "1000", "0.80")])
    (row,) = m.rows
    assert (row.event, row.price) == ("OTHER", F(4, 5)) and "Board equitable adjustment" in row.confirm
    assert any(n.id == "t2" and "continues the warrant itself" in n.reason for n in m.notes)


def test_a_repricing_between_splits_gives_both_readings(tmp_path):
    m = mapped(tmp_path, [
        option("t1", "o1", "2021-01-01", "1000", "0.50"),
        {"object_type": "TX_STOCK_CLASS_SPLIT", "id": "t2", "date": "2021-06-01", "stock_class_id": "C",
         "split_ratio": {"numerator": "3", "denominator": "2"}},
        {"object_type": "TX_EQUITY_COMPENSATION_REPRICING", "id": "t3", "date": "2022-01-01", "security_id": "o1",
         "new_exercise_price": USD("0.20")}])
    split, amend = m.rows[1], m.rows[2]
    assert (split.event, split.ratio) == ("SPLIT", "3-for-2")       # from the Numeric strings, never 3/2-for-1
    # grant-date reading 1,000 × 0.20 = 200; per post-split share: 0.20 × 3/2 = 0.30 per grant share, 300
    assert amend.additional == 200 and "× 3/2" in amend.confirm and "enter 300 instead" in amend.confirm


def test_a_foreign_currency_amount_is_never_used_unconfirmed(tmp_path):
    item = stock("t1", "s1", "2021-01-01", "100", "1")
    item["share_price"]["currency"] = "EUR"
    m = mapped(tmp_path, [item])
    assert "share_price is in EUR, the warrant in USD" in m.rows[0].confirm


def test_the_confirm_column_refuses_until_ok():
    grid = [["Date", "Event", "Shares", "Consideration", "Confirm"],
            ["2021-01-01", "ISSUE", 100, 0, "issued for no consideration: a stock dividend?"]]
    with pytest.raises(cv.WarrantError, match=r"^Events row 2: not confirmed: issued for no consideration: a stock "
                                              r"dividend\? \(check the row, then type OK"):
        cv.parse_events(grid)
    grid[1][4] = "OK - issued for no consideration"
    assert len(cv.parse_events(grid)) == 1
    grid[1][4] = None
    assert len(cv.parse_events(grid)) == 1
    assert [cv.confirmed(t) for t in ("ok", "Yes", "OKAY then", "looks fine")] == [True, True, False, False]


def test_settings_are_checked():
    assert parse_settings(["anti dilution=FULL_RATCHET", "Management Cap=10%", "Series D Cutoff=2001-05-02"]) == {
        "Anti-Dilution": "FULL_RATCHET", "Management Cap": F(1, 10), "Series D Cutoff": date(2001, 5, 2)}
    with pytest.raises(OcfError, match="Series D Cutoff must be a date"):
        parse_settings(["Series D Cutoff=May"])


def test_all_warrants_writes_a_register_each_over_every_other_security(tmp_path, capsys):
    """W-1 and W-2 of the coherent history, full ratchet, as of 2023-06-30.

    W-1: 0.30 and 600,000 (tests/test_ocf_history.py).
    W-2 (w-bank, 100,000 at 1.50, issued 2020-02-15): the Seed round at 1.00 < 1.50 → 1.00; W-1 at 1.00
    (bought for 0, exercisable at 1.00) is not below it; the split → 0.50 and 200,000 shares; then as for
    W-1: eq-2 repriced → 0.40, Series B → 0.35, Series A's ratio → 0.30. W-1's exercise is an ISSUE with
    Ref w-lender for W-2 (§4(e)(i), no adjustment). W-2 lapses on 2024-02-15, after the As Of.
    """
    book = tmp_path / "all.xlsx"
    code, out, err = run(capsys, "import-ocf", ACME, "--all-warrants", "--warrant", "W-1", "-o", book,
                         "--set", "Anti-Dilution=FULL_RATCHET")
    assert code == 0 and "Register of 2 warrants" in out, (out, err)
    wb = openpyxl.load_workbook(book)
    assert "Register" in wb.sheetnames and "OCF W-2" in wb.sheetnames
    for ws in wb.worksheets:                  # the user confirms every candidate row on every sheet
        for row in ws.iter_rows():
            for c in row:
                if c.value == "Confirm":
                    for r in range(c.row + 1, ws.max_row + 1):
                        v = ws.cell(row=r, column=c.column).value
                        if v:
                            ws.cell(row=r, column=c.column, value="OK " + v)
    wb.save(book)
    wb, result = recalc_file(book, catalog)
    reg = wb["Register"]
    rows = {reg.cell(row=r, column=1).value: r for r in range(3, 5)}
    answers = {w: (result.values[("Register", r, 6)], result.values[("Register", r, 7)]) for w, r in rows.items()}
    assert answers == {"W-1": (0.3, 600_000), "W-2": (0.3, 200_000)}
    ev = [wb["OCF W-2"].cell(row=r, column=14).value for r in range(2, 30)]      # Note: the 11th column from D
    assert "OCF TX_WARRANT_ISSUANCE tx-w1: warrant W-1 of Harbor Venture Lending LLC" in ev   # W-1 is W-2's OPTIONS
    assert _answers(book)[0] == 0.3


def test_the_import_ocf_macro_adds_new_sheets_and_overwrites_nothing(tmp_path):
    from addin.documents import macros

    wb = openpyxl.Workbook()
    wb.active.title = "OCF Events"              # the user's own sheet of that name stays as it is
    wb["OCF Events"]["A1"] = "mine"
    book = macros.OpenpyxlBook(wb)
    names = macros.import_ocf(book, ACME, "W-1")
    assert names == ["OCF Terms", "OCF Events (2)", "OCF notes"] and wb["OCF Events"]["A1"].value == "mine"
    terms = {wb["OCF Terms"].cell(row=r, column=1).value: wb["OCF Terms"].cell(row=r, column=2).value
             for r in range(2, 20)}
    assert terms["Warrant"] == "W-1" and terms["Fully Diluted"] == 11_600_000
    assert terms["Anti-Dilution"].startswith("Required")
    grid = [[c.value for c in row] for row in wb["OCF Events (2)"].iter_rows()]
    assert grid[0][-1] == "Confirm" and len(grid) == 1 + 17
    with pytest.raises(cv.WarrantError, match="not confirmed"):    # the sheet reads as an Events table
        cv.parse_events(grid)
    with pytest.raises(cv.WarrantError, match=r"2 warrants in the package; name one \(W-2, W-1\)"):
        macros.import_ocf(macros.OpenpyxlBook(openpyxl.Workbook()), ACME)


def test_a_ratio_change_after_a_partial_conversion_amends_what_is_left(tmp_path):
    pref = stock("t1", "p1", "2021-01-01", "1000", "2", cls="P")
    classes_free = mapped(tmp_path, [pref])            # a lone file has no stock classes: P is not convertible
    assert classes_free.rows == [] and "does not convert" in classes_free.notes[-1].reason
    folder = tmp_path / "pkg"
    folder.mkdir()
    ratio = lambda n: {"type": "RATIO_CONVERSION", "conversion_price": USD("2"), "ratio": {"numerator": n,  # noqa: E731
                                                                                       "denominator": "1"},
                       "rounding_type": "NORMAL"}
    classes = [{"object_type": "STOCK_CLASS", "id": "C", "name": "Common", "class_type": "COMMON",
                "default_id_prefix": "C-", "initial_shares_authorized": "1000000", "votes_per_share": "1",
                "seniority": "1"},
               {"object_type": "STOCK_CLASS", "id": "P", "name": "Preferred", "class_type": "PREFERRED",
                "default_id_prefix": "P-", "initial_shares_authorized": "1000000", "votes_per_share": "1",
                "seniority": "2", "conversion_rights": [{"type": "STOCK_CLASS_CONVERSION_RIGHT",
                                                         "conversion_mechanism": ratio("1"),
                                                         "converts_to_stock_class_id": "C"}]}]
    tx = [W, pref,
          {"object_type": "TX_STOCK_CONVERSION", "id": "t2", "date": "2021-03-01", "security_id": "p1",
           "quantity_converted": "400", "resulting_security_ids": ["c1"], "balance_security_id": "p2"},
          stock("t3", "c1", "2021-03-01", "400", "0"), stock("t4", "p2", "2021-03-01", "600", "2", cls="P"),
          {"object_type": "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT", "id": "t5", "date": "2021-06-01",
           "stock_class_id": "P", "new_ratio_conversion_mechanism": ratio("1.5")}]
    for name, ft, items in (("StockClasses.ocf.json", "OCF_STOCK_CLASSES_FILE", classes),
                            ("Transactions.ocf.json", "OCF_TRANSACTIONS_FILE", tx)):
        (folder / name).write_text(json.dumps({"file_type": ft, "items": items}), encoding="utf-8")
    md5 = lambda name: hashlib.md5((folder / name).read_bytes()).hexdigest()  # noqa: E731
    (folder / "Manifest.ocf.json").write_text(json.dumps({
        "ocf_version": "1.2.0", "file_type": "OCF_MANIFEST_FILE", "as_of": "2022-01-01",
        "generated_at": "2022-01-01T00:00:00Z",
        "issuer": {"object_type": "ISSUER", "id": "i", "legal_name": "Small Co", "formation_date": "2020-01-01",
                   "country_of_formation": "US"},
        **{k: [] for k in ("stock_plans_files", "stock_legend_templates_files", "vesting_terms_files",
                           "valuations_files", "stakeholders_files")},
        "stock_classes_files": [{"filepath": "StockClasses.ocf.json", "md5": md5("StockClasses.ocf.json")}],
        "transactions_files": [{"filepath": "Transactions.ocf.json", "md5": md5("Transactions.ocf.json")}]}),
        encoding="utf-8")
    pkg = read_package(folder)
    assert pkg.refused == [] and pkg.warnings == []
    m = map_warrant(pkg, "W")
    # 1,000 preferred at 2.00 → CONVERTIBLE 1,000 for 2,000; 400 converted → ISSUE 400 Ref p1 (no adjustment);
    # the new ratio 1.5 on the 600 still held: 400 + 600 × 1.5 = 1,300 (the converted 400 stay in the maximum)
    assert kinds(m) == [("2021-01-01", "CONVERTIBLE", 1000, "p1"), ("2021-03-01", "ISSUE", 400, "p1"),
                        ("2021-06-01", "AMEND", 1300, "p1")]
    assert m.rows[1].confirm == "" and m.rows[0].consideration == 2000


def test_an_option_remainder_must_match_exactly_else_it_is_a_new_grant(tmp_path):
    exercise = {"object_type": "TX_EQUITY_COMPENSATION_EXERCISE", "id": "t2", "date": "2022-01-01",
                "security_id": "o1", "quantity": "300", "resulting_security_ids": ["c1"]}
    base = [option("t1", "o1", "2021-01-01", "1000", "0.50"), exercise, stock("t3", "c1", "2022-01-01", "300", "0.50")]
    same = mapped(tmp_path, base + [option("t4", "o2", "2022-01-01", "700", "0.50")])
    assert [r.ocf_id for r in same.rows] == ["t1", "t3", "t1"]          # the grant, its exercise, its lapse
    assert any(n.id == "t4" and "remainder after TX_EQUITY_COMPENSATION_EXERCISE t2" in n.reason for n in same.notes)
    refresh = mapped(tmp_path, base + [option("t4", "o2", "2022-01-01", "5000", "0.90")])   # a new grant that day
    assert [(r.ocf_id, r.event) for r in refresh.rows][:3] == [("t1", "OPTIONS"), ("t3", "ISSUE"), ("t4", "OPTIONS")]


def test_free_warrants_to_several_holders_on_one_date_are_rights_dividend_candidates(tmp_path):
    m = mapped(tmp_path, [warrant("t1", "r1", "2022-05-01", "100", "1", holder="a"),
                          warrant("t2", "r2", "2022-05-01", "200", "1", holder="b"),
                          warrant("t3", "r3", "2022-06-01", "50", "1", holder="a")])
    confirm = {r.ocf_id: r.confirm for r in m.rows if r.event == "OPTIONS"}
    assert "to 2 holders on 2022-05-01" in confirm["t1"] and "RIGHTS_DIVIDEND" in confirm["t2"]
    assert confirm["t3"] == ""


def test_cells_hold_exact_values():
    from addin.ocf.book import cell_value
    assert cell_value(F(3, 10)) == 0.3 and cell_value(F(600_000)) == 600_000
    assert cell_value(F(1000, 3)) == "1000/3"                              # read back exactly by the add-in
    assert cell_value(F("1234567890.1234567891")) == "1234567890.1234567891"   # beyond a double: exact text
    for v in (F(1000, 3), F("1234567890.1234567891")):
        assert cv.to_number(cell_value(v), "Shares") == v


def test_the_counts_are_those_at_the_end_of_the_issue_date(tmp_path):
    # Issue 18 reading 1: rows dated on the Issue Date are not Additional Shares and do not move the
    # ledger's counts, so the terms hold the end of that day. By hand: 1,000,000 Common issued before
    # the warrant's 2020-01-01 Issue Date and 200,000 on that date: 1,200,000 outstanding; fully
    # diluted adds the warrant's own 1,000 and the 5,000 options granted that day: 1,206,000.
    m = mapped(tmp_path, [stock("tx-1", "S-1", "2019-06-01", "1000000", "0.50"),
                          stock("tx-2", "S-2", "2020-01-01", "200000", "0.50"),
                          option("tx-3", "O-1", "2020-01-01", "5000", "0.50"),
                          stock("tx-4", "S-3", "2020-01-02", "300000", "0.50")])
    assert m.terms["Common Outstanding"] == 1_200_000
    assert m.terms["Fully Diluted"] == 1_206_000
    # the Issue Date's own rows are still on the Events sheet, for the trail to say why they do not count
    assert any(d == "2020-01-01" and e == "ISSUE" for d, e, _s, _r in kinds(m))
