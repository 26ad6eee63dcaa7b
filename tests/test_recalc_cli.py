"""`warrants recalc` / `warrants check` (issue 10): output-file safety, the check report and its
exit codes, file-level caps under a memory limit, one-line errors."""
from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from addin.recalc.bookio import BookError, save_atomic
from tests.test_cli import run
from tests.test_recalc_rules import chain_book

ROOT = Path(__file__).resolve().parents[1]
XLSM = ROOT / "tests" / "fixtures" / "xlcalculator" / "use_case_01.xlsm"


def make(tmp_path, cells, name="b.xlsx", wb=None) -> Path:
    wb = wb or openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for ref, v in cells.items():
        ws[ref] = v
    path = tmp_path / name
    wb.save(path)
    return path


# ----------------------------------------------------------------------------- output files

@pytest.mark.parametrize("kind", ["symlink", "device", "directory"])
def test_output_that_is_not_a_regular_file_is_refused_and_left_alone(capsys, tmp_path, kind):
    book = make(tmp_path, {"A1": 1, "A2": "=A1+1"})
    target = {"symlink": tmp_path / "link.xlsx", "device": Path("/dev/null"), "directory": tmp_path / "dir.xlsx"}[kind]
    if kind == "symlink":
        (tmp_path / "real.xlsx").write_bytes(b"keep")
        target.symlink_to(tmp_path / "real.xlsx")
    elif kind == "directory":
        target.mkdir()
    code, _, err = run(capsys, "recalc", book, "-o", target)
    assert code == 2 and "refusing to write over" in err and len(err.strip().splitlines()) == 1
    if kind == "symlink":
        assert target.is_symlink() and (tmp_path / "real.xlsx").read_bytes() == b"keep"
    if kind == "device":
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_values_copy_gets_the_mode_the_umask_gives(capsys, tmp_path, umask, mode):
    book = make(tmp_path, {"A1": 1, "A2": "=A1+1"})
    old = os.umask(umask)
    try:
        code, _, err = run(capsys, "recalc", book, "-o", tmp_path / "out.xlsx")
    finally:
        os.umask(old)
    assert code == 0, err
    assert stat.S_IMODE(os.stat(tmp_path / "out.xlsx").st_mode) == mode
    assert openpyxl.load_workbook(tmp_path / "out.xlsx")["S"]["A2"].value == 2


def test_an_interruption_while_saving_leaves_no_temporary_file(tmp_path):
    # SIGTERM itself is the command's (tests/test_dist.py): its handler raises a BaseException
    # like this one where the write is, and the write cleans up on the way out
    wb = openpyxl.Workbook()
    real_save = wb.save

    class Stop(BaseException):
        pass

    def save_then_stopped(path):
        real_save(path)
        raise Stop
    wb.save = save_then_stopped
    with pytest.raises(Stop):
        save_atomic(wb, tmp_path / "out.xlsx")
    assert list(tmp_path.iterdir()) == []
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL      # the library installs no handler


def test_macro_enabled_book_to_xlsx_is_written_without_macros(capsys, tmp_path):
    out = tmp_path / "values.xlsx"
    code, _, err = run(capsys, "recalc", XLSM, "-o", out)
    assert code == 0, err
    with zipfile.ZipFile(out) as zf:
        assert "xl/vbaProject.bin" not in zf.namelist()
        assert b"macroEnabled" not in zf.read("[Content_Types].xml")
    openpyxl.load_workbook(out)


def test_plain_book_to_xlsm_is_refused(capsys, tmp_path):
    book = make(tmp_path, {"A1": 1, "A2": "=A1+1"})
    code, _, err = run(capsys, "recalc", book, "-o", tmp_path / "out.xlsm")
    assert code == 2 and "has no macros" in err and not (tmp_path / "out.xlsm").exists()


def test_one_line_errors_are_never_wrapped(tmp_path):
    long_dir = tmp_path / ("d" * 120)
    long_dir.mkdir()
    missing = long_dir / "missing.xlsx"
    env = {**os.environ, "COLUMNS": "40", "CI": "true"}
    proc = subprocess.run([sys.executable, "-m", "addin.cli.cli", "recalc", str(missing)], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and str(missing) in proc.stderr


# ----------------------------------------------------------------------------- check report

def test_check_on_a_values_copy_says_nothing_to_check(capsys, tmp_path):
    book = make(tmp_path, {"A1": 1, "A2": "=A1+1", "B1": "Check", "B2": "=A2=2"})
    copy = tmp_path / "values.xlsx"
    assert run(capsys, "recalc", book, "-o", copy)[0] == 0
    code, out, _ = run(capsys, "check", copy)
    assert code == 1 and "nothing to check" in out


def test_check_distinguishes_failed_checks_errors_and_unsupported(capsys, tmp_path):
    book = make(tmp_path, {"A1": 1, "A2": "=A1/0", "A3": '=CUBEVALUE(A1,"0")', "A4": "=A3&\"x\"",
                           "B1": "Check", "B2": "=A1=2", "B3": "=A1=1"})
    code, out, _ = run(capsys, "check", book)
    assert code == 1
    assert "1/2 checks pass; 1 failed check, 1 error, 2 unsupported" in out
    assert "  failed check: S!B2: FALSE" in out
    assert "  error: S!A2: #DIV/0!" in out
    assert "  unsupported: S!A3: unsupported: CUBEVALUE: function not supported" in out
    assert "  unsupported: S!A4: unsupported: depends on S!A3" in out


def test_check_goes_on_after_a_bad_book_and_a_deep_chain(capsys, tmp_path):
    wb = chain_book(5000, reader="E1")
    ws = wb["S"]
    ws["F1"], ws["F2"] = "Check", "=E1=5000"
    chain = tmp_path / "chain.xlsx"
    wb.save(chain)
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a book")
    good = make(tmp_path, {"A1": 1, "B1": "Check", "B2": "=A1=1"}, name="good.xlsx")
    code, out, err = run(capsys, "check", bad, chain, good)
    assert code == 2 and "not an Excel workbook" in err
    assert f"ok   {chain}: 1/1 checks pass" in out and f"ok   {good}: 1/1 checks pass" in out


# ----------------------------------------------------------------------------- caps, under a memory limit

LIMITED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
sys.argv = ["warrants"] + sys.argv[1:]
from addin.cli.cli import main
main()
"""


def limited(*args, limit=1_500_000_000, timeout=120):
    return subprocess.run([sys.executable, "-c", LIMITED.format(limit=limit), *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, timeout=timeout, env={**os.environ, "CI": "true"})


def test_an_array_formula_claiming_the_whole_sheet_is_an_error_in_its_cell(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = 1
    wb.active["B1"] = ArrayFormula("B1:XFD1048576", "=A1")
    book = make(tmp_path, {"A2": "=A1+1"}, wb=wb)
    assert book.stat().st_size < 10_000
    proc = limited("recalc", book, "--json")
    assert proc.returncode == 0, proc.stderr
    assert '"S!B1": "#VALUE!"' in proc.stdout and '"S!A2": 2' in proc.stdout
    assert "over the cap" in proc.stderr


def test_a_huge_range_and_a_key_results_name_over_a_million_rows(tmp_path):
    from openpyxl.workbook.defined_name import DefinedName
    wb = openpyxl.Workbook()
    wb.defined_names["KeyResults"] = DefinedName("KeyResults", attr_text="S!$A$1:$B$1048576")
    book = make(tmp_path, {"A1": "Total", "B1": "=SUM(D!A1:XFC1048575)"}, wb=wb)
    wb = openpyxl.load_workbook(book)
    wb.create_sheet("D")["A1"] = 5
    wb.save(book)
    proc = limited("recalc", book, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "Total" in proc.stdout and " 5 " in proc.stdout


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    book = make(tmp_path, {"A1": 1})
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for item in src.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with dst.open(item.filename, "w", force_zip64=True) as fh:
                    chunk = b" " * (1 << 20)
                    for _ in range(300):                     # 300 MiB of XML, a few hundred KB zipped
                        fh.write(chunk)
            else:
                dst.writestr(item, src.read(item.filename))
    assert bomb.stat().st_size < 2_000_000
    proc = limited("recalc", bomb, limit=800_000_000)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert "uncompressed, over the cap" in proc.stderr


def test_small_caps_refuse_a_book_with_one_line(tmp_path):
    from addin.excel import catalog
    from addin.recalc import Caps, recalc_file
    book = make(tmp_path, {"A1": 1, "A2": "=A1+1", "C300": 1})
    with pytest.raises(BookError, match=r"sheet S uses A1:C300 \(900 cells\), over the cap of 100"):
        recalc_file(book, catalog, caps=Caps(max_cells=100))


def test_a_book_saved_again_keeps_its_dynamic_arrays(tmp_path):
    # openpyxl drops Excel 365's dynamic-array marks on save; save_atomic puts them back, so a
    # macro's output (a copy that keeps formulas) still spills when Excel or we recalculate it
    import xlsxwriter
    from addin.recalc import load_book, recalc_workbook
    from addin.recalc.bookio import dynamic_anchors
    src = tmp_path / "da.xlsx"
    with xlsxwriter.Workbook(src) as book:
        ws = book.add_worksheet("S")
        ws.write_column(0, 0, [1, 2, 3])
        ws.write_dynamic_array_formula("B1:B3", "=A1:A3*10")
        ws.write_array_formula("C1:C3", "{=A1:A3*10}")
    out = tmp_path / "copy.xlsx"
    save_atomic(load_book(src), out)
    assert dynamic_anchors(src) == dynamic_anchors(out) == {("S", 1, 2)}
    r = recalc_workbook(load_book(out), None)
    assert r.spill_shape == {("S", 1, 2): (3, 1)} and r["S!C3"] == 30


# ----------------------------------------------------------------------------- --now and --time-limit (issue 19)

def test_now_pins_today_and_now(capsys, tmp_path):
    # Microsoft, DATE function: "January 1, 2008 is serial number 39448"; NOW adds the time of
    # day as a fraction (6:00 is 0.25)
    book = make(tmp_path, {"A1": "=TODAY()", "A2": "=NOW()", "A3": "=A1+1", "B1": "Check",
                           "B2": "=TODAY()=DATE(2008,1,1)"})
    code, out, err = run(capsys, "recalc", book, "--json", "--now", "2008-01-01T06:00")
    assert code == 0, err
    got = json.loads(out)
    assert (got["S!A1"], got["S!A2"], got["S!A3"]) == (39448, 39448.25, 39449)
    code, out, _ = run(capsys, "check", book, "--now", "2008-01-01")
    assert code == 0 and "1/1 checks pass" in out
    code, out, _ = run(capsys, "check", book, "--now", "2008-01-02")
    assert code == 1 and "S!B2" in out


@pytest.mark.parametrize("text, why", [("2024-13-01", "expected a date"), ("tomorrow", "expected a date"),
                                       ("2024-01-10T18:00+01:00", "without a time zone"),
                                       ("1899-12-31", "from 1900 to 9999")])
def test_a_bad_now_is_one_line_naming_it(capsys, tmp_path, text, why):
    book = make(tmp_path, {"A1": "=TODAY()"})
    for command in ("recalc", "check"):
        code, out, err = run(capsys, command, book, "--now", text)
        assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
        assert f"--now {text!r}" in err and why in err


def test_a_recalculation_past_its_time_limit_stops_naming_the_cell(capsys, tmp_path):
    book = make(tmp_path, {}, wb=chain_book(2_000))
    code, out, err = run(capsys, "recalc", book, "--json", "--time-limit", "0.000001")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert re.search(rf"{re.escape(str(book))}: recalculation stopped at S!A\d+ after \d+ s, past its time limit "
                     r"of 1e-06 s \(--time-limit SECONDS raises it; 0: none\)", err)
    code, out, err = run(capsys, "recalc", book, "--json", "--time-limit", "0")      # 0: no limit
    assert code == 0 and json.loads(out)["S!B1"] == 2_000


def test_check_goes_on_after_a_book_past_its_time_limit(capsys, tmp_path):
    slow = make(tmp_path, {}, name="slow.xlsx", wb=chain_book(2_000))
    fine = make(tmp_path, {"A1": 1, "B1": "Check", "B2": "=A1=1"}, name="fine.xlsx")
    code, out, err = run(capsys, "check", slow, fine, "--time-limit", "0.000001")
    # the second book also gets the tiny limit: it has one formula, evaluated after loading took longer
    assert code == 2 and "slow.xlsx: recalculation stopped at S!" in err and "fine.xlsx: recalculation stopped at S!B2" in err
    code, out, err = run(capsys, "check", fine, "--time-limit", "60")
    assert code == 0 and "1/1 checks pass" in out


def test_time_limit_in_the_library_names_the_cell():
    from addin.recalc import TimeLimitExceeded, recalc_workbook
    with pytest.raises(TimeLimitExceeded, match=r"recalculation stopped at S!A\d+ after 0 s, past its time limit of 0 s"):
        recalc_workbook(chain_book(50), None, time_limit=0)
    assert recalc_workbook(chain_book(50), None, time_limit=60)["S!B1"] == 50


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("command", ["recalc", "check"])
def test_a_fifo_named_like_a_book_is_refused_by_both_commands(tmp_path, command):
    # issue 19: a FIFO named book.xlsx blocked recalc and check forever (a process, so a block
    # would fail on the timeout instead of hanging the suite)
    fifo = tmp_path / "book.xlsx"
    os.mkfifo(fifo)
    proc = subprocess.run([sys.executable, "-m", "addin.cli.cli", command, str(fifo)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "not a regular file" in proc.stderr
