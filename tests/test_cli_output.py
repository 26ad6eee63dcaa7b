"""What the command line prints: version, bare help, recalc's table (dates, cut tables, spilled labels),
check counts that agree with each workbook's own Checks summary, PDFs from the macros commands."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from addin.cli import cli
from tests.test_cli import BOOKS, D1, run

GENERIC = BOOKS / "generic_warrant.xlsx"


def test_version(capsys):
    import engine

    code, out, err = run(capsys, "--version")
    assert code == 0 and out.startswith("warrants ") and f"(engine {engine.__version__})" in out and err == ""


def test_bare_warrants_shows_help_without_an_error_line(capsys, monkeypatch):
    monkeypatch.setattr("sys.argv", ["warrants"])
    with pytest.raises(SystemExit) as exc:
        cli.main()
    out, err = capsys.readouterr()
    assert exc.value.code == 0
    assert "Usage: warrants" in out and "recalc" in out and "new" in out
    assert "error" not in err and err == ""


def test_recalc_says_its_as_of_and_which_figures_are_on_another_date(capsys):
    code, out, _err = run(capsys, "recalc", D1)
    assert code == 0
    # the D-1 book's AsOf is 2004-12-31 and its Exercise Date 2004-06-15 (workbooks/build.py)
    assert out.startswith("performance_warrant_d1.xlsx: As Of 2004-12-31; terms preset D-1")
    assert ("Figures are on different dates (the On column says which): AsOf = As Of 2004-12-31; "
            "Exercise = the Exercise Date 2004-06-15.") in " ".join(out.split())
    lines = out.splitlines()
    shares = next(line for line in lines if "Warrant Shares (AsOf)" in line)
    issued = next(line for line in lines if "Exercise: full shares" in line)
    assert "AsOf" in shares.split("│")[3] and "Exercise" in issued.split("│")[3]


@pytest.fixture
def big_book(tmp_path) -> Path:
    """45 plain formulas and a catalog call that spills, no KeyResults range."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for r in range(1, 46):
        ws.cell(row=r, column=1, value=f"item {r}")
        ws.cell(row=r, column=2, value=f"={r}*2")
    path = tmp_path / "big.xlsx"
    wb.save(path)
    return path


def test_a_cut_table_says_how_many_more(capsys, big_book):
    code, out, _err = run(capsys, "recalc", big_book)
    assert code == 0
    assert "item 40" in out and "item 41" not in out
    # 45 formula cells, 40 shown: 5 more
    assert "... and 5 more cells not shown (the first 40 are" in " ".join(out.split())
    assert "no range named AsOf" in out


def test_spilled_cells_carry_their_row_and_column_labels(tmp_path):
    import xlsxwriter

    from addin.excel import catalog
    from addin.recalc import recalc_file

    path = tmp_path / "spill.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    terms = [("Issue Date", "2019-03-01"), ("Warrant Shares", 1000), ("Exercise Price", 1),
             ("Anti-Dilution", "NONE")]
    for i, (k, v) in enumerate(terms):
        ws.write(i, 0, k)
        ws.write(i, 1, v)
    ws.write_dynamic_array_formula(6, 0, 6, 0, "=WARRANT_TERMS(A1:B4)")   # spills Label | Value | Source
    wb.close()
    book, result = recalc_file(path, catalog)
    labels = {cli.cell_key(*k): cli.cell_label(book, result, k) for k in result.spilled}
    row = next(r for (s, r, c), v in result.values.items() if v == "Warrant Shares" and c == 1)
    assert labels[f"S!B{row}"] == "Warrant Shares / Value"
    assert labels[f"S!C{row}"] == "Warrant Shares / Source"


@pytest.mark.parametrize("book", sorted(BOOKS.glob("*.xlsx")), ids=lambda p: p.name)
def test_check_counts_the_same_cells_as_the_books_own_checks_summary(book):
    # docs/workbooks.md: a check cell is a formula under a header "Check"; the Checks sheet's Total counts them.
    # The cells `warrants check` counts (cli.check_cells) against the values Excel-style caching stored.
    cells = cli.check_cells(openpyxl.load_workbook(book))
    values = openpyxl.load_workbook(book, data_only=True)
    passing = sum(values[s].cell(row=r, column=c).value is True for s, r, c in cells)
    ws = values["Checks"]
    total = next(c.row for c in ws["A"] if c.value == "Total")
    assert ws.cell(row=total, column=2).value == len(cells)           # "Checks" column of the Total row
    assert ws.cell(row=total, column=3).value == passing              # "Passing"
    key = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(1, ws.max_row + 1)}
    assert key["Checks passing"] == passing == len(cells)


def test_check_of_several_books_off_a_terminal_prints_no_progress(capsys):
    code, out, err = run(capsys, "check", BOOKS / "series_c_reallocation.xlsx", GENERIC)
    assert code == 0 and err == ""          # progress goes to standard error only on a terminal
    assert out.count("checks pass") == 2


@pytest.mark.parametrize("command,names", [("certificate", ["OFFICER'S CERTIFICATE OF ADJUSTMENT"]),
                                           ("purchase-form", ["EXHIBIT A: PURCHASE FORM"])])
def test_pdf_option_writes_only_the_pdf(tmp_path, capsys, command, names):
    from tests.test_addin_documents import pdf_text

    pdf = tmp_path / f"{command}.pdf"
    code, out, err = run(capsys, command, D1, "--pdf", pdf)
    assert code == 0 and err == "" and f"wrote {pdf}" in " ".join(out.split())
    text = pdf_text(pdf)
    for words in names:
        assert words in text
    assert not list(tmp_path.glob("*.xlsx")) and not list(BOOKS.glob(f"*.{command}.xlsx"))
    code, _out, err = run(capsys, command, D1, "--pdf", tmp_path / "x.txt")
    assert code == 2 and "must end in .pdf" in err


def test_pdf_and_sheet_copy_together(tmp_path, capsys):
    pdf, copy = tmp_path / "c.pdf", tmp_path / "c.xlsx"
    code, out, _err = run(capsys, "certificate", GENERIC, "--pdf", pdf, "-o", copy)
    assert code == 0 and pdf.exists() and copy.exists()
    assert "Certificate" in openpyxl.load_workbook(copy).sheetnames


def test_a_long_step_shows_progress_on_a_terminal_only(monkeypatch, tmp_path, capsys):
    # Issue 12: long work shows progress on standard error, and only on a terminal.
    import io

    from rich.console import Console

    screen = io.StringIO()
    monkeypatch.setattr(cli, "err", Console(file=screen, force_terminal=True, width=100))
    out = tmp_path / "values.xlsx"
    code, _out, _err = run(capsys, "recalc", str(D1), "-o", str(out))
    assert code == 0 and out.exists()
    shown = screen.getvalue()
    assert "reading and recalculating" in shown and f"writing {out.name}" in shown
    monkeypatch.setattr(cli, "err", Console(file=io.StringIO(), force_terminal=False))
    code, stdout, stderr = run(capsys, "recalc", str(D1), "--json")
    assert code == 0 and stderr == "" and stdout.lstrip().startswith("{")
