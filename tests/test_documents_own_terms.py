"""Issue 18 item 9: other warrants' documents speak their own terms (no D-1 name, section number,
Exhibit A drafting note, or D-1-only term listed as "none"); one decimals rule for prices."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl.workbook.defined_name import DefinedName

from addin.excel.clauses import ClauseNames
from addin.excel.functions import warrant_adjustments
from addin.documents.macros import OpenpyxlBook, adjustment_certificate, purchase_form
from tests.test_addin_documents import GENERIC_TERMS, generic_book, pdf_text
from tests.test_addin_macros import label_value, texts
from tests.test_cli import run

GENERIC = Path(__file__).resolve().parents[1] / "workbooks" / "generic_warrant.xlsx"
D1_MARKS = ("D-1", "§", "Section 4", "Performance Warrant", "Exhibit A", "EXHIBIT A", "Convergence", "TCW",
            "Series D Cutoff", "Valuation Event Cutoff", "Management Cap", "drafting")


def test_the_generic_warrants_pdfs_carry_nothing_of_d1(capsys, tmp_path):
    cert, form = tmp_path / "cert.pdf", tmp_path / "form.pdf"
    assert run(capsys, "certificate", GENERIC, "--pdf", cert)[0] == 0
    assert run(capsys, "purchase-form", GENERIC, "--pdf", form)[0] == 0
    for path in (cert, form):
        text = pdf_text(path)
        assert "Example Robotics, Inc." in text          # the warrant's own issuer: the text was read
        for mark in D1_MARKS:
            assert mark not in text, (path.name, mark)
    # the generic warrant's issue below the price is named by its own method
    assert "issue below the price: broad-based weighted average" in pdf_text(cert)


def test_the_warrants_own_section_numbers_from_a_clauses_range():
    wb = generic_book()
    ws = wb.create_sheet("Clauses")
    for i, (what, ref) in enumerate([("split", "Section 5(a)"), ("full shares", "Section 3(c)")], start=1):
        ws.cell(i, 1, what)
        ws.cell(i, 2, ref)
    wb.defined_names["Clauses"] = DefinedName("Clauses", attr_text="Clauses!$A$1:$B$2")
    book = OpenpyxlBook(wb)
    words = "\n".join(map(str, texts(wb[adjustment_certificate(book)])))
    assert "1. January 15, 2020: SPLIT (Section 5(a), APPLIED)" in words
    form = wb[purchase_form(book)]
    assert label_value(form, "Full shares to be issued (Section 3(c))")[0] == 500
    assert label_value(form, "Deemed effected")[0] == datetime(2021, 1, 4, 17, 0)   # not mapped: no reference


@pytest.mark.parametrize("kind, clause, text, expected_clause, expected_text", [
    ("SPLIT", "§4(b)", "§4(b) subdivision (split) 2-for-1: price × 1/2.", "split",
     "Subdivision (split) 2-for-1: price × 1/2."),
    ("ISSUE", "§4(d)", "Consideration $1.00 is not less than the price: no adjustment (§4(d)).",
     "issue below the price: full ratchet", "Consideration $1.00 is not less than the price: no adjustment."),
    ("ISSUE", "§4(e)(i)", "Exercise of options covered by §4(e)(i); no further adjustment.",
     "issue below the price: full ratchet",
     "Exercise of options covered by the options and convertible securities provision; no further adjustment."),
    ("TREASURY", "§4(g)(i)", "§4(g)(i) 5 shares held by the Company leave the count.", "treasury shares",
     "5 shares held by the Company leave the count."),
])
def test_clause_names_for_another_warrant(kind, clause, text, expected_clause, expected_text):
    class Terms:
        preset = None
        anti_dilution = "FULL_RATCHET"
    names = ClauseNames(Terms())
    assert names.row_clause(kind, clause) == expected_clause
    assert names.text(text) == expected_text


def test_d1_keeps_its_sections():
    class Terms:
        preset = "D-1"
        anti_dilution = "FULL_RATCHET"
    names = ClauseNames(Terms())
    assert names.row_clause("SPLIT", "§4(b)") == "§4(b)" and names.ref("§5") == " (§5)"
    assert names.text("no adjustment (§4(d)).") == "no adjustment (§4(d))."


def test_the_trail_of_another_warrant_names_clauses_by_what_they_do():
    events = [["Date", "Event", "Ratio"], [datetime(2020, 1, 15), "SPLIT", "2-for-1"]]
    rows = warrant_adjustments(GENERIC_TERMS, events, datetime(2021, 1, 4))
    assert rows[1][2] == "split" and "§" not in rows[1][8]


def test_one_decimals_rule_for_prices_in_the_purchase_form():
    # 333.333... shares left at $1/3 each would print as "$0.333333" (six decimals), the exact value beside.
    wb = generic_book()
    wb["Events"]["C2"] = "3-for-1"            # $1.00 / 3 = $0.333333..., 1,000 x 3 = 3,000 shares
    form = wb[purchase_form(OpenpyxlBook(wb))]
    value, detail = label_value(form, "New warrant")[:2]
    assert value == ("New warrant of like tenor (dated March 1, 2019) for 2,500 Common Stock Warrant Shares at "
                     "$0.333333 per share")
    assert detail == "exact: $1/3"
