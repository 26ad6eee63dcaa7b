"""What `warrants recalc BOOK --json` does around the reader and the engine (issue 17, Speed):
the function library is loaded only for a book that calls a native function, and the
shortcuts taken for speed give what the general rules give."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _book(path: Path, formulas: dict[str, str], values: dict[str, object] | None = None) -> Path:
    import xlsxwriter
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    for ref, v in (values or {}).items():
        ws.write(ref, v)
    for ref, f in formulas.items():
        ws.write_formula(ref, f)
    wb.close()
    return path


_LIB_LOADED = ("import sys\nfrom addin.recalc import recalc_file\n"
               "r = recalc_file(sys.argv[1], None, read_only=True)[1]\n"
               "print(sorted(m for m in sys.modules if m.startswith('addin.recalc.lib.')), r.as_json())\n")


@pytest.mark.parametrize("formulas,loaded,values", [
    ({"B1": "=A1+1", "B2": "=B1*2"}, set(), {"S!B1": 2, "S!B2": 4}),       # no function called
    ({"B1": "=A1&\"x\"", "B2": "=A1^2"}, {"math", "text", "date_time"},   # & and ^: the modules of join
     {"S!B1": "1x", "S!B2": 1}),                                              # and power (text uses date_time)
])
def test_a_book_calling_no_native_function_loads_no_function_module(tmp_path, formulas, loaded, values):
    from addin.recalc import lib
    book = _book(tmp_path / "b.xlsx", formulas, {"A1": 1})
    run = subprocess.run([sys.executable, "-c", _LIB_LOADED, str(book)], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    modules, shown = run.stdout.split("] ", 1)
    got = {m.rsplit(".", 1)[1] for m in ast.literal_eval(modules + "]")}
    assert got & set(lib._MODULE_NAMES) == loaded             # no module that registers functions, but these
    assert ast.literal_eval(shown) == values


def test_a_native_call_loads_the_whole_registry(tmp_path):
    book = _book(tmp_path / "b.xlsx", {"B1": "=SUM(A1,2)", "B2": "=BESSELJ(A1,0)"}, {"A1": 1})
    code = _LIB_LOADED.replace("print(", "from addin.recalc import lib\nprint(len(lib._MODULES) == len(lib._MODULE_NAMES),")
    run = subprocess.run([sys.executable, "-c", code, str(book)], capture_output=True, text=True, cwd=ROOT, check=True)
    assert run.stdout.startswith("True ") and "'S!B1': 3" in run.stdout


def test_the_registry_is_the_union_of_the_modules_functions():
    from addin.recalc import lib
    from addin.recalc.lib import FACTS, NATIVE
    union = {}
    for name in lib._MODULE_NAMES:
        union.update(getattr(lib, name).FUNCTIONS)
    assert NATIVE == union and set(FACTS) == set(NATIVE) and len(NATIVE) > 400
    assert "COLUMNS" in lib.REFERENCE_FUNCTIONS and "SUM" in lib.RANGE_FUNCTIONS
    assert lib.VOLATILE == {n for n, f in FACTS.items() if f.volatile}


# ----------------------------------------------------------------------------- spills

def _run(cells: dict[str, object]):
    import openpyxl

    from addin.recalc import recalc_workbook
    wb = openpyxl.Workbook()
    wb.active.title = "S"
    for ref, v in cells.items():
        wb.active[ref] = v
    return recalc_workbook(wb, None, all_dynamic=True)


@pytest.mark.parametrize("length,blocker", [(3, "A3"), (100, "A50"), (100, "A100")])
def test_a_formula_in_the_way_of_a_spill_is_spill_error(length, blocker):
    # Excel: a spill onto a non-empty cell is #SPILL! and spills nothing; the formula in the way keeps its value
    # (the area is walked from the side that is shorter: 2 formulas against 2 or 99 cells)
    r = _run({"A1": f"=SEQUENCE({length})", blocker: "=2+2"})
    assert r["S!A1"] == "#SPILL!" and r[f"S!{blocker}"] == 4 and not r.spilled


@pytest.mark.parametrize("length", [3, 100])
def test_a_spill_beside_a_formula_spills(length):
    r = _run({"A1": f"=SEQUENCE({length})", "B2": "=2+2", f"A{length + 1}": "=3+3"})
    assert [r[f"S!A{i}"] for i in (1, 2, length)] == [1, 2, length] and len(r.spilled) == length - 1
    assert r.spilled[("S", length, 1)] == ("S", 1, 1) and r["S!B2"] == 4


def test_a_constant_in_the_way_of_a_spill_is_spill_error():
    r = _run({"A1": "=SEQUENCE(2,3)", "C2": "text"})
    assert r["S!A1"] == "#SPILL!" and not r.spilled


def test_a_spill_of_blanks_shows_zeros():
    # CHOOSE({1;2;3},D1,D2,5) is the array of D1's and D2's values (empty) and 5: a formula shows an empty
    # cell as 0, spilled or not
    r = _run({"A1": "=CHOOSE({1;2;3},D1,D2,5)"})
    assert [r["S!A1"], r["S!A2"], r["S!A3"]] == [0, 0, 5]
    assert type(r["S!A2"]) is float


# ----------------------------------------------------------------------------- the console script's end

@pytest.mark.parametrize("args,code,stderr", [
    (["recalc", "workbooks/warrant_register.xlsx", "--json"], 0, ""),
    (["recalc", "no/such/book.xlsx", "--json"], 2, "warrants: error: "),
])
def test_the_console_script_ends_with_the_commands_output_and_code(args, code, stderr):
    # launch.command() freezes the collector's objects after main(): what the command wrote and its exit code
    # are the same as main()'s own, run where the collector stays as it was
    script = subprocess.run([sys.executable, "-m", "addin.cli.cli", *args], capture_output=True, cwd=ROOT)
    plain = ("import gc, sys\nfrom addin.cli.cli import main\nsys.argv = ['warrants'] + sys.argv[1:]\n"
             "try:\n    main()\nexcept SystemExit as exc:\n    sys.stdout.flush()\n"
             "    print(gc.isenabled(), gc.get_freeze_count() == 0, file=sys.stderr)\n    sys.exit(exc.code)\n")
    direct = subprocess.run([sys.executable, "-c", plain, *args], capture_output=True, cwd=ROOT)
    assert script.returncode == direct.returncode == code
    assert script.stdout == direct.stdout and (script.stdout.startswith(b"{") if code == 0 else not script.stdout)
    assert direct.stderr.decode().endswith("True True\n")
    assert script.stderr.decode().startswith(stderr) and direct.stderr.decode().startswith(script.stderr.decode())


def test_lasting_freezes_only_in_the_console_script(monkeypatch):
    # launch.lasting: in the console script, what is made inside is handed to no collection and the
    # collector is back as it was; called anywhere else (main() in a test), nothing changes
    import gc
    from addin.cli import launch
    before = gc.get_freeze_count()
    with launch.lasting():
        made = [[i] for i in range(100)]
        assert gc.isenabled()
    assert gc.get_freeze_count() == before
    monkeypatch.setattr(launch, "script", True)
    try:
        with launch.lasting():
            assert not gc.isenabled()
            made = [[i] for i in range(100)]
        assert gc.isenabled() and gc.get_freeze_count() >= before + len(made)
    finally:
        gc.unfreeze()
        gc.enable()


# ----------------------------------------------------------------------------- the register's table

@pytest.mark.parametrize("rows", [
    [["Warrant", "Shares"], ["W-1", 100.0], ["W-2", None]],                       # plain cells: rows copied whole
    [["Warrant", "Shares"], ("W-1", 100.0)],                                     # a tuple row
    [["Warrant", "Shares"], ["W-1", __import__("addin.recalc", fromlist=["XLError"]).XLError("#N/A")]],
])
def test_a_grid_is_a_copy_of_plain_cells(rows):
    # convert.grid: a list of rows, each a new list of plain values (a str subclass becomes str)
    from addin.excel.convert import grid
    got = grid(rows)
    assert got == [list(r) for r in rows] and all(type(c) in (str, float, type(None)) for r in got for c in r)
    assert all(type(g) is list and g is not r for g, r in zip(got, rows))
