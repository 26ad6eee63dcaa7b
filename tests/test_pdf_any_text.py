"""Issue 21 (PDFs for any text): long text wraps and long tables split across pages (no ReportLab
LayoutError); an embedded Unicode font prints every character it has, and a character it cannot print
(emoji, a missing script) or right-to-left text (Hebrew, Arabic) is refused by name, never dropped."""
from __future__ import annotations

import os
from datetime import datetime, timedelta

import pytest
from openpyxl.workbook.defined_name import DefinedName

from addin.documents import documents as D
from addin.documents.macros import OpenpyxlBook, certificate_document, purchase_form_document, write_pdf
from tests.test_addin_documents import generic_book, pdf_pages, pdf_text
from tests.test_cli import run


def test_ci_embeds_dejavu():
    # CI installs fonts-dejavu-core (.ci/run): the PDFs then embed DejaVu Sans, not the Vera fallback.
    name, regular, bold = D.font_files()
    if os.environ.get("CI") == "true" or regular.parent.name == "dejavu":
        assert name == "DejaVuSans" and regular.is_file() and bold.is_file()
    else:   # a machine without DejaVu: ReportLab's own Vera, still embedded
        assert name == "Vera"


def _long_book(issuer: str, holder: str, address: str):
    wb = generic_book()
    ws = wb["Terms"]
    values = {"Issuer": issuer, "Holder": holder, "Issuer Address": address}
    for row in ws.iter_rows():
        if row[0].value in values:
            row[1].value = values.pop(row[0].value)
    n = ws.max_row
    for i, (label, value) in enumerate(values.items(), start=n + 1):
        ws.cell(i, 1, label)
        ws.cell(i, 2, value)
    wb.defined_names["Terms"] = DefinedName("Terms", attr_text=f"Terms!$A$1:$B${ws.max_row}")
    return wb


@pytest.mark.parametrize("issuer, holder, address", [
    # 5,000-character fields, words and one unbroken run
    ("Acme " + "Robotics " * 555, "Holder " + "x" * 5000, "1 Main Street\nSpringfield"),
    # a 500-line address
    ("Acme Robotics, Inc.", "Example Capital LP", "\n".join(f"Address line {i}" for i in range(1, 501))),
])
def test_long_text_wraps_and_splits_across_pages(tmp_path, issuer, holder, address):
    wb = _long_book(issuer, holder, address)
    for make, name in ((certificate_document, "cert.pdf"), (purchase_form_document, "form.pdf")):
        doc, fp = make(OpenpyxlBook(wb))
        path = tmp_path / name
        write_pdf(doc, path, fp)                   # no LayoutError
        text = pdf_text(path)
        assert len(pdf_pages(path)) > 1 or len(address) < 100
        if "Address line" in address:              # every line is there, the last one included
            assert "Address line 1 " in text and "Address line 500" in text
        else:
            assert text.count("Robotics") >= 555   # the whole issuer, wrapped, not cut
            assert "x" * 60 in "".join(text.split())


def test_certificate_of_a_ten_thousand_event_ledger(tmp_path):
    # 10,000 events (alternately a 2-for-1 split and a 1-for-2 combination) beside the book's own 2-for-1
    # split of 2020-01-15: 10,001 trail entries over many pages; the pairs cancel, so the price and shares
    # are the book's own split's: $1.00 / 2 = $0.50, 1,000 x 2 = 2,000 shares.
    wb = generic_book()
    ev = wb["Events"]
    start = datetime(2019, 3, 2)
    for i in range(10_000):
        ev.append([start + timedelta(days=i // 4), "SPLIT" if i % 2 == 0 else "COMBINATION",
                   "2-for-1" if i % 2 == 0 else "1-for-2"])
    wb.defined_names["Events"] = DefinedName("Events", attr_text=f"Events!$A$1:$C${ev.max_row}")
    wb["Exercise"]["B1"] = datetime(2029, 1, 1)
    doc, fp = certificate_document(OpenpyxlBook(wb))
    path = tmp_path / "big.pdf"
    write_pdf(doc, path, fp)
    assert len(pdf_pages(path)) > 100
    text = pdf_text(path)
    assert "1. March 2, 2019: SPLIT (split, APPLIED)" in text and "10001. " in text   # first and last entry
    assert "Adjusted Per Share Exercise Price $0.500000 exact: $0.5 Warrant Shares 2,000" in text


@pytest.mark.parametrize("text, code", [
    ("Acme 😀 Robotics", "U+1F600 GRINNING FACE"),
    ("שלום Ltd", "U+05E9 HEBREW LETTER SHIN"),
    ("شركة", "U+0634 ARABIC LETTER SHEEN"),
    ("株式会社", "U+682A CJK UNIFIED IDEOGRAPH-682A"),
])
def test_a_character_the_pdf_cannot_print_is_refused_by_name(capsys, tmp_path, text, code):
    wb = _long_book(text, "Example Capital LP", "1 Main Street")
    book = tmp_path / "w.xlsx"
    wb.save(book)
    pdf = tmp_path / "c.pdf"
    status, _out, err = run(capsys, "certificate", book, "--pdf", pdf)
    assert status == 2
    assert code in err and "not written" in err
    assert not pdf.exists()


def test_latin_greek_cyrillic_and_symbols_print_as_typed(tmp_path):
    issuer = "Ünïcödé Ωμέγα Привет Łódź Şirket ≤ ≥ § …"
    wb = _long_book(issuer, "Example Capital LP", "1 Main Street")
    doc, fp = certificate_document(OpenpyxlBook(wb))
    path = tmp_path / "u.pdf"
    write_pdf(doc, path, fp)
    assert issuer in pdf_text(path)
    from pypdf import PdfReader
    fonts = PdfReader(str(path)).pages[0]["/Resources"]["/Font"]
    embedded = set()
    for ref in fonts.values():
        font = ref.get_object()
        descriptor = font.get("/FontDescriptor")
        if descriptor is not None and "/FontFile2" in descriptor.get_object():   # the TrueType program itself
            embedded.add(str(font["/BaseFont"]))
    assert any(name.endswith("+" + D.font_files()[0]) for name in embedded), embedded


def test_sheet_rows_stay_within_excels_row_height():
    # A 500-line address on the sheet copy: 500 x 15 points would be 7,500; Excel refuses a row over 409.
    doc = D.Document("T").add("fields", fields=(D.Field("Address", "\n".join(f"line {i}" for i in range(500))),))
    cells, _widths, _last = D.sheet_layout(doc)
    assert max(c.height or 0 for c in cells) == 409.0


def test_the_classic_macro_still_writes_the_sheet_and_says_why_no_pdf(tmp_path):
    # Issue 21: an issuer with an emoji: the sheet keeps it as typed; the PDF is refused by name, not written.
    from addin.documents.macros import XlwingsBook, adjustment_certificate
    from tests.test_addin_macros import _FakeBook, _FakeName
    from tests.test_addin_catalog import D1_TERMS

    book = _FakeBook()
    book.fullname = str(tmp_path / "book.xlsx")
    terms = [r if r[0] != "Issuer" else ["Issuer", "Convergence 😀 Communications"] for r in D1_TERMS]
    book.names[0] = _FakeName("Terms", terms)
    adjustment_certificate(XlwingsBook(book))
    values = [str(v) for v in book.sheets["Certificate"].cells.values()]
    assert any("not written: " in v and "U+1F600 GRINNING FACE" in v for v in values)
    assert any("Convergence 😀 Communications" in v for v in values)
    assert not list(tmp_path.glob("*.pdf"))
