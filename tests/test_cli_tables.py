"""Issue 18 item 7: tables cut to one cell by a program that drops dynamic arrays, `warrants repair`,
and `warrants new --terms --events` (a book filled from data, no script)."""
from __future__ import annotations

import openpyxl
import pytest

from addin.documents import starter
from addin.recalc.bookio import load_book
from addin.documents.tables import cut_tables, table_call
from tests.test_cli import digest, run


@pytest.fixture
def cut_book(tmp_path):
    """A D-1 starter filled and saved with openpyxl: every dynamic-array mark is lost."""
    path = tmp_path / "starter.xlsx"
    starter.new_workbook(path, preset="D-1")
    wb = openpyxl.load_workbook(path)
    wb["Warrant"]["B36"] = "2004-06-15"          # a user's edit through openpyxl
    cut = tmp_path / "cut.xlsx"
    wb.save(cut)
    return cut


@pytest.mark.parametrize("formula, name", [
    ("=WARRANT_ADJUSTMENTS(Terms,Events,AsOf)", "WARRANT_ADJUSTMENTS"),
    ("=_xludf.WARRANT_TERMS(Terms)", "WARRANT_TERMS"),
    ("=@warrant_exercise(Terms,Events,Exercise,Market,\"(\",Facts)", "WARRANT_EXERCISE"),
    ("=INDEX(WARRANT_EXERCISE(Terms,Events,Exercise),3,2)", None),     # one cell taken on purpose
    ("=WARRANT_TERMS(Terms)&\"\"", None),                               # not the whole formula
    ("=WARRANT_PRICE(Terms,Events,AsOf)", None),                        # one value, not a table
])
def test_table_call(formula, name):
    assert table_call(formula) == name


def test_starter_as_written_has_no_cut_table(tmp_path):
    path = starter.new_workbook(tmp_path / "s.xlsx", preset="D-1")
    assert cut_tables(load_book(path)) == []


def test_check_fails_a_cut_table_and_recalc_warns(capsys, cut_book):
    # The starter writes WARRANT_ADJUSTMENTS at Adjustments!A3 over one cell (its length is the ledger's);
    # saved by openpyxl it is a one-cell array formula without the dynamic-array mark.
    code, out, _err = run(capsys, "check", cut_book)
    assert code == 1
    assert "1 cut table" in out
    assert ("cut table: Adjustments!A3: WARRANT_ADJUSTMENTS table stored as a single-cell formula without "
            "Excel's dynamic-array mark") in out
    assert f"fix: warrants repair {cut_book} -o REPAIRED.xlsx" in out
    code, out, err = run(capsys, "recalc", cut_book)
    assert code == 0
    assert "warrants: warning: Adjustments!A3: WARRANT_ADJUSTMENTS table stored as a single-cell formula" in err
    assert "Adjustments!A3" not in out


def test_repair_writes_dynamic_arrays_and_never_touches_the_input(capsys, cut_book, tmp_path):
    before = digest(cut_book)
    fixed = tmp_path / "fixed.xlsx"
    code, out, _ = run(capsys, "repair", cut_book, "-o", fixed)
    assert code == 0 and digest(cut_book) == before
    assert "repaired Adjustments!A3: =WARRANT_ADJUSTMENTS(Terms,Events,AsOf)" in out
    assert cut_tables(load_book(fixed)) == []
    code, out, _ = run(capsys, "check", fixed)
    assert "cut table" not in out
    code, _out, err = run(capsys, "repair", cut_book, "-o", cut_book)
    assert code == 2 and "refusing to overwrite the input workbook" in err


def test_new_fills_terms_and_events_from_csv(capsys, tmp_path):
    (tmp_path / "terms.csv").write_text(
        "Label,Value\nWarrant,W-7\nIssue Date,2019-03-01\nWarrant Shares,100000\nExercise Price,2.50\n"
        "Anti-Dilution,BROAD_WEIGHTED_AVERAGE\nCommon Outstanding,\"10,000,000\"\nFully Diluted,12000000\n"
        "As Of,2022-12-31\n", encoding="utf-8")
    (tmp_path / "events.csv").write_text("Date,Event,Ratio,Note\n2020-06-01,SPLIT,2-for-1,forward split\n",
                                         encoding="utf-8")
    book = tmp_path / "w7.xlsx"
    code, _out, _err = run(capsys, "new", book, "--terms", tmp_path / "terms.csv",
                           "--events", tmp_path / "events.csv")
    assert code == 0
    code, out, _err = run(capsys, "recalc", book, "--json")
    import json
    values = json.loads(out)
    # By hand, §4(b)-style split 2-for-1: $2.50 x 1/2 = $1.25; 100,000 x 2 = 200,000 shares.
    assert values["Warrant!B38"] == 1.25 and values["Warrant!B39"] == 200000
    assert cut_tables(load_book(book)) == []


@pytest.mark.parametrize("name, text, message", [
    ("terms.csv", "Label,Value\nBogus,1\n", r"terms.csv row 2: unknown terms label 'Bogus'"),
    ("terms.csv", "Warrant,W-1\nWarrant,W-2\n", r"terms.csv row 2: label 'Warrant' appears twice"),
    ("events.csv", "Date,Kind\n", r"events.csv row 1: unknown column 'Kind'"),
    ("events.csv", "Date,Shares\n", r"events.csv row 1: the header needs a Event column"),
])
def test_new_refuses_a_bad_csv(capsys, tmp_path, name, text, message):
    (tmp_path / name).write_text(text, encoding="utf-8")
    option = "--terms" if name == "terms.csv" else "--events"
    code, _out, err = run(capsys, "new", tmp_path / "x.xlsx", option, tmp_path / name)
    assert code == 2
    assert __import__("re").search(message, err)
    assert not (tmp_path / "x.xlsx").exists()


def test_the_starters_how_to_says_both_fixes(tmp_path):
    wb = openpyxl.load_workbook(starter.new_workbook(tmp_path / "s.xlsx"))
    how = " ".join(str(c.value) for row in wb["How to use"].iter_rows() for c in row if c.value)
    assert "warrants repair THIS.xlsx -o REPAIRED.xlsx" in how
    assert "warrants new OUT.xlsx --terms terms.csv --events events.csv" in how


def test_recalc_json_warns_on_standard_error_too(cut_book):
    # the --json fast path (addin.cli.launch) keeps standard output one JSON object and warns on standard error
    import json
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-c", "from addin.cli.launch import command; command()", "recalc",
                           str(cut_book), "--json"], capture_output=True, text=True)
    assert done.returncode == 0
    json.loads(done.stdout)
    assert "warrants: warning: Adjustments!A3: WARRANT_ADJUSTMENTS table stored as a single-cell formula" in done.stderr
