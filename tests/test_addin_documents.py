"""The printed documents: number and date formats, a warrant's own terms on its papers, the PDFs' text.

Expected texts are written by hand from the arithmetic in each row's comment.
The PDFs are read back with pypdf (a PyPI text extractor); where poppler's
``pdftoppm`` is installed the first page is also rendered to PNG.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date, datetime, time
from decimal import Decimal
from fractions import Fraction as F
from zoneinfo import ZoneInfo

import pytest
from openpyxl.workbook.defined_name import DefinedName

from addin.documents import documents as D
from addin.documents import macros
from addin.documents.macros import OpenpyxlBook, adjustment_certificate, purchase_form
from engine.errors import WarrantError
from tests.test_addin_macros import build_book, label_value, terms_book, texts

NY = ZoneInfo("America/New_York")

# --------------------------------------------------------------------------- formats, row by row

FORMATS = [
    # (what, function, args, expected)  -- each derived by hand
    ("255/286 = 0.8916083916...: six decimals, half up", D.price_text, (F(255, 286),), "$0.891608"),
    ("3/400 = 0.0075 padded to six decimals", D.price_text, (F(3, 400),), "$0.007500"),
    ("Price Increment 0.0001: four decimals", D.price_text, (F(1, 100), F(1, 10000)), "$0.0100"),
    ("1/3 of a cent: 0.0033333 -> 0.003333", D.price_text, (F(1, 300),), "$0.003333"),
    ("half up at the sixth place: 0.0000005 -> 0.000001", D.price_text, (F(1, 2_000_000),), "$0.000001"),
    ("exact fraction of a price that does not terminate", D.exact, (F(255, 286), True), "$255/286"),
    ("exact terminating price", D.exact, (F(3, 400), True), "$0.0075"),
    ("645,160/3 = 215,053 1/3 as a mixed number", D.exact, (F(645160, 3),), "215,053 1/3"),
    ("whole shares with separators", D.shares_text, (F(1_100_000),), "1,100,000"),
    ("49,596.595 terminates at three places: not padded", D.shares_text, (F(49596595, 1000),), "49,596.595"),
    ("215,053 1/3 to six decimals", D.shares_text, (F(645160, 3),), "215,053.333333"),
    ("cash already to the cent (engine)", D.money_text, (Decimal("1612.90"),), "$1,612.90"),
    ("§1(a) end of the Exercise Period", D.moment_text,
     (datetime(2005, 2, 7, 17, 0, tzinfo=NY), "America/New_York"), "February 7, 2005, 5:00 p.m. New York time"),
    ("a morning moment in another zone", D.moment_text,
     (datetime(2021, 1, 4, 9, 30), "Europe/London"), "January 4, 2021, 9:30 a.m. London time"),
    ("noon", D.time_text, (time(12, 0),), "12:00 noon"),
    ("a date as a person writes it", D.date_text, (date(2001, 2, 7),), "February 7, 2001"),
    ("a term's yes/no", D.value_text, (True,), "Yes"),
    ("a term left blank", D.value_text, (None,), "none"),
]


@pytest.mark.parametrize("what,fn,args,expected", FORMATS, ids=[r[0] for r in FORMATS])
def test_formats(what, fn, args, expected):
    assert fn(*args) == expected


def test_excel_number_formats_match_the_text():
    assert D.price_format() == "$#,##0.000000"
    assert D.price_format(F(1, 10000)) == "$#,##0.0000"
    assert D.shares_format(F(161290)) == "#,##0"
    assert D.shares_format(F(645160, 3)) == "#,##0.######"


# --------------------------------------------------------------------------- a warrant of its own

GENERIC_TERMS = [  # a plain broad-weighted-average warrant: no preset, its own issuer, address and title
    ["Instrument", "Common Stock Purchase Warrant No. W-7"],
    ["Warrant", "W-7"],
    ["Holder", "Jane Investor"],
    ["Issuer", "Acme Robotics, Inc."],
    ["Issuer Address", "1 Main Street\nSpringfield, IL 62701"],
    ["Issue Date", datetime(2019, 3, 1)],
    ["Warrant Shares", 1000],
    ["Exercise Price", 1.0],
    ["Anti-Dilution", "BROAD_WEIGHTED_AVERAGE"],
    ["Exercise Start", datetime(2019, 3, 1)],
    ["Exercise End", datetime(2029, 3, 1)],
]


def generic_book():
    wb = terms_book(GENERIC_TERMS)
    ev = wb.create_sheet("Events")
    ev.append(["Date", "Event", "Ratio"])
    ev.append([datetime(2020, 1, 15), "SPLIT", "2-for-1"])
    wb.defined_names["Events"] = DefinedName("Events", attr_text="Events!$A$1:$C$2")
    ex = wb.create_sheet("Exercise")
    for i, (k, v) in enumerate([("As Of", datetime(2021, 1, 4)), ("Exercise Date", datetime(2021, 1, 4)),
                                ("Shares", 500), ("Method", "CASH")], start=1):
        ex.cell(i, 1, k)
        ex.cell(i, 2, v)
    wb.defined_names["AsOf"] = DefinedName("AsOf", attr_text="Exercise!$B$1")
    wb.defined_names["Exercise"] = DefinedName("Exercise", attr_text="Exercise!$A$2:$B$4")
    return wb


def test_a_generic_warrant_prints_its_own_issuer_title_and_no_d1_wording():
    wb = generic_book()
    book = OpenpyxlBook(wb)
    cert = wb[adjustment_certificate(book)]
    words = "\n".join(map(str, texts(cert)))
    # 2-for-1 split (§4(b)-style): $1.00 / 2 = $0.50, 1,000 x 2 = 2,000 shares
    assert label_value(cert, "Adjusted Per Share Exercise Price")[:2] == (0.5, "exact: $0.5")
    assert label_value(cert, "Warrant Shares")[0] == 2000
    assert "Common Stock Purchase Warrant No. W-7" in words
    assert "1 Main Street" in words and "Springfield, IL 62701" in words
    assert words.split("\n")[1] == "Common Stock Purchase Warrant No. W-7"   # the title under the heading
    for d1_only in ("Convergence", "Salt Lake City", "TCW/CCI", "Section 4(i):", "§4(i)"):
        assert d1_only not in words, d1_only
    # issue 18: another warrant's certificate names each clause by what it does, never D-1's sections
    assert "names the provision it applies by what it does" in words
    assert "1. January 15, 2020: SPLIT (split, APPLIED)" in words
    assert "Subdivision (split) 2-for-1: price × 1/2, shares × 2/1." in words
    for d1_only in ("D-1", "§", "Performance Warrant", "Series D Cutoff", "Valuation Event Cutoff", "Management Cap"):
        assert d1_only not in words, d1_only
    with pytest.raises(KeyError):
        label_value(cert, "Preset")        # D-1's preset is not listed as "none"

    form = wb[purchase_form(book)]
    words = "\n".join(map(str, texts(form)))
    assert words.startswith("PURCHASE FORM") and "EXHIBIT A" not in words
    assert "To: Acme Robotics, Inc.\n1 Main Street\nSpringfield, IL 62701" in words
    assert ("in the attached Common Stock Purchase Warrant No. W-7, the undersigned hereby irrevocably elects to "
            "purchase 500 shares of the Common Stock covered by such Warrant") in words
    assert "Securities Act of 1933" not in words          # D-1's investment representation is D-1's only
    # 500 x $0.50 = $250.00; whole shares, nothing in lieu of a fraction
    assert label_value(form, "Aggregate Price")[:2] == (250.0, None)   # exact: no "exact:" note
    assert label_value(form, "Full shares to be issued")[0] == 500
    # §1(b)-style close of business: 5:00 p.m. in the default zone (America/New_York)
    assert label_value(form, "Deemed effected")[0] == datetime(2021, 1, 4, 17, 0)
    assert not any("§" in str(v) for row in form.iter_rows(values_only=True) for v in row[:1] if v)


def test_purchase_form_outside_the_exercise_window_is_refused():
    wb = generic_book()
    wb["Exercise"]["B2"] = datetime(2030, 1, 2)   # after the Exercise End 2029-03-01
    with pytest.raises(WarrantError):
        purchase_form(OpenpyxlBook(wb))
    assert "Purchase Form" not in wb.sheetnames


# --------------------------------------------------------------------------- the PDFs

def pdf_text(path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join((page.extract_text() or "") for page in PdfReader(str(path)).pages).split())


def pdf_pages(path):
    from pypdf import PdfReader

    return PdfReader(str(path)).pages


LETTER_WIDTH = 612  # points


@pytest.mark.parametrize("make,book,expected", [
    ("certificate", build_book, [
        "OFFICER'S CERTIFICATE OF ADJUSTMENT", "Performance Warrant No. D-1", "102 West 500 South",
        # §4(c): $.01 x 3,000,000/4,000,000 = $0.0075 (six decimals), exact beside
        "$0.007500", "exact: $0.0075", "215,053.333333", "exact: 215,053 1/3",
        "1. June 3, 2002: STOCK_DIVIDEND (§4(c), APPLIED)", "Section 4(i)", "By:", "Title:",
        "Engine version 0.1.0"]),
    ("purchase_form", build_book, [
        "EXHIBIT A: PURCHASE FORM", "To: Convergence Communications, Inc.", "Salt Lake City, Utah 84101",
        "$1,612.90", "215,053", "June 15, 2004, 5:00 p.m. New York time", "Signature:"]),
    ("certificate", generic_book, [
        "Common Stock Purchase Warrant No. W-7", "Acme Robotics, Inc.", "Springfield, IL 62701",
        "$0.500000", "January 15, 2020: SPLIT", "1,000 to 2,000"]),
    ("purchase_form", generic_book, [
        "PURCHASE FORM", "To: Acme Robotics, Inc.", "1 Main Street", "$250.00",
        "January 4, 2021, 5:00 p.m. New York time"]),
])
def test_pdf_text_and_page_width(tmp_path, make, book, expected):
    adapter = OpenpyxlBook(book())
    doc, fp = (macros.certificate_document(adapter) if make == "certificate"
               else macros.purchase_form_document(adapter))
    path = tmp_path / f"{make}.pdf"
    macros.write_pdf(doc, path, fp)
    text = pdf_text(path)
    for words in expected:
        assert words in text, words
    assert f"input fingerprint {fp[:16]}" in text
    assert "Salt Lake City" not in text if book is generic_book else True
    for page in pdf_pages(path):
        assert float(page.mediabox.width) == LETTER_WIDTH   # one page width: US Letter portrait


@pytest.mark.skipif(shutil.which("pdftoppm") is None and os.environ.get("CI", "").lower() != "true",
                    reason="poppler's pdftoppm is not installed (.ci/run installs it; under CI=true this fails)")
def test_pdf_first_page_renders(tmp_path):
    adapter = OpenpyxlBook(build_book())
    doc, fp = macros.certificate_document(adapter)
    path = tmp_path / "c.pdf"
    macros.write_pdf(doc, path, fp)
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
                   check=True, timeout=60)
    png = next(tmp_path.glob("p*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png.read_bytes()[16:20], "big")
    assert width == round(8.5 * 40)   # 8.5 in at 40 dpi: the page is one Letter width


def test_sheet_and_pdf_carry_the_same_words():
    adapter = OpenpyxlBook(build_book())
    doc, _fp = macros.certificate_document(adapter)
    cells, widths, last = D.sheet_layout(doc)
    sheet_words = {str(c.value) for c in cells}
    for b in doc.blocks:
        if b.kind in ("para", "heading"):
            assert b.text in sheet_words
    assert sum(widths.values()) <= 100      # three columns, about 96 characters: one portrait page
    assert re.fullmatch(r"\d+", str(last))
