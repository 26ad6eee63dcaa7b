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
