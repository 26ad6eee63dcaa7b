"""Workbook bench (issue 11; not a timed test): prints one JSON object.

    python bench/bench_workbook.py [--rows 10000 50000] [--runs 5] [--ledger register|full]
                                   [--shapes one spread before]

Issue 17's register books: ``--shapes spread before --rows 1000 10000 50000`` (the ledger of
those shapes is always the 100-event one, spread over six years: ``ledger_rows(span_days=SIX_YEARS)``).

For each size, a register book is generated from fixed seeds (bench/workloads.py): the
distinct register (each warrant's price drawn to the cent) as one sheet, an Events sheet,
and one ``=WARRANT_REGISTER(Register,Events,AsOf)`` spilled over the Results sheet with its
values cached (as a book saved by Excel holds them). The ledger is, by default, the three
events of workbooks/warrant_register.xlsx (``--ledger full``: the 100-event ledger, which
makes the engine's compute the whole story). ``--shapes`` chooses each warrant's Issue Date
(bench/workloads.py, ``issue_dates``): ``one`` (the default) every warrant issued the day before
the ledger; ``spread`` drawn over the six years the ledger's 100 events cover; ``before`` drawn over
the six years before the ledger. Then, in one run and interleaved:

* ``recalc_cli``: ``warrants recalc BOOK --json`` as a user runs it (a new process), wall
  and CPU seconds (its interpreter start-up and imports included);
* ``openpyxl_load``: ``openpyxl.load_workbook(BOOK)`` in this process (the bare read);
* ``ratio``: recalc_cli ÷ openpyxl_load, wall and CPU (goal: at most 0.5);
* floors: ``python-calamine`` reading every value of the book; our reader
  (addin/recalc/xlsxscan.py: values and formulas, names, calcPr); the command's JSON text
  (``Recalc.json_text``, cells and order included) beside ``json.dumps`` of the finished JSON
  object and its floor ``orjson.dumps``. Each is timed as the command runs it: our reader with the
  cyclic GC paused (``recalc_file``), the JSON text (``json.dumps`` of ``Recalc.as_json``) after
  it, with the collector as the process has it;
* ``engine_register_cpu_s``: the engine's part (``engine.register``), timed in a new process that
  recalculates the book once; ``outside_engine_cpu_s``: the command's CPU seconds less that
  (start-up, reading, the register's conversion, the rest of the recalculation, the JSON text);
* ``startup``: ``python -c "import addin.cli.cli"`` as a process (the typer command's modules), and
  whether it imports numpy; ``recalc_json_one_cell``: ``warrants recalc BOOK --json`` of a book of
  two cells, as a process (the command's start-up and imports as a user meets them), and which of
  openpyxl, numpy, rich and pydantic that command loads (``recalc_json_loads``: none since the
  recalculation reads formulas with its own copy of openpyxl's tokenizer, and, with typer 0.29+,
  since values needing no conversion skip typer's pydantic adapters: addin/cli/coercion.py).

The project's modules are compiled to bytecode before timing, as ``pip install`` does (an
installed package's, openpyxl's included, are); ``bytecode`` in the output says so. Medians of
``--runs`` runs.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from workloads import (AS_OF, FULLY_DILUTED, OUTSTANDING, SHAPES, SIX_YEARS, distinct_register,  # noqa: E402
                       issue_dates, ledger_rows, price_paths)

# Preset D-1: the terms bench_ledger.py builds with engine.d1_terms (Issue Date given as well)
REGISTER_HEADER = ["Warrant", "Preset", "Issue Date", "Warrant Shares", "Exercise Price", "Anti-Dilution", "Share Adjustment",
                   "Common Outstanding", "Fully Diluted"]
EVENT_HEADER = ["Date", "Event", "Shares", "Ratio", "Consideration", "Additional Consideration", "Category",
                "Ref", "Price", "Note"]
# workbooks/warrant_register.xlsx's ledger: §4(b) 2-for-1, §4(d) 2,000,000 for $1,000,000, §4(c) 10%
REGISTER_LEDGER = [
    {"date": date(2002, 1, 15), "event": "SPLIT", "ratio": "2-for-1"},
    {"date": date(2002, 6, 3), "event": "ISSUE", "shares": 2_000_000, "consideration": 1_000_000},
    {"date": date(2003, 3, 3), "event": "STOCK_DIVIDEND", "shares": 2_200_000},
]


def _cell(v):
    from decimal import Decimal
    return float(v) if isinstance(v, Decimal) else v


def make_book(path: Path, rows: int, ledger: list[dict], shape: str = "one") -> dict:
    """The register book with WARRANT_REGISTER's values cached over its spill range."""
    import xlsxwriter

    from addin.excel.functions import warrant_register
    reg_rows = distinct_register(rows)
    issued = issue_dates(rows, shape)
    register = [REGISTER_HEADER] + [[w, "D-1", day, s, c / 100, m, sa, OUTSTANDING, FULLY_DILUTED]
                                    for (w, s, c, m, sa), day in zip(reg_rows, issued)]
    keys = ["date", "event", "shares", "ratio", "consideration", "additional_consideration", "category", "ref",
            "price", "note"]
    events = [EVENT_HEADER] + [[_cell(e.get(k)) for k in keys] for e in ledger]
    spill = warrant_register(register, events, AS_OF)
    wb = xlsxwriter.Workbook(str(path))
    datefmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws = wb.add_worksheet("Register")
    for r, row in enumerate(register):
        ws.write_row(r, 0, row)
        if r:
            ws.write_datetime(r, 2, issued[r - 1], datefmt)
    ev = wb.add_worksheet("Events")
    for r, row in enumerate(events):
        for c, v in enumerate(row):
            if isinstance(v, date):
                ev.write_datetime(r, c, v, datefmt)
            elif v is not None:
                ev.write(r, c, v)
    ev.write(len(events) + 1, 0, "As Of")
    ev.write_datetime(len(events) + 1, 1, AS_OF, datefmt)
    wb.define_name("Register", f"=Register!$A$1:$I${rows + 1}")
    wb.define_name("Events", f"=Events!$A$1:$J${len(events)}")
    wb.define_name("AsOf", f"=Events!$B${len(events) + 2}")
    res = wb.add_worksheet("Results")
    res.write_dynamic_array_formula(0, 0, len(spill) - 1, len(spill[0]) - 1, "=WARRANT_REGISTER(Register,Events,AsOf)",
                                    None, spill[0][0])
    for r, row in enumerate(spill):
        for c, v in enumerate(row):
            if (r, c) != (0, 0):
                res.write(r, c, v)
    wb.close()
    return {"shape": shape, "rows": rows, "events": len(ledger), "distinct_price_paths": price_paths(reg_rows),
            "distinct_issue_dates": len(set(issued)), "file_bytes": path.stat().st_size}


def _timed(fn) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def _timed_no_gc(fn) -> tuple[float, float]:
    """As the command runs its reading: with the cyclic GC paused (addin.recalc.recalc_file)."""
    from addin.recalc import no_gc
    with no_gc():
        return _timed(fn)


def _proc(args: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + sys of the child) seconds of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _med(pairs: list[tuple[float, float]]) -> dict:
    return {"wall_s": round(statistics.median(p[0] for p in pairs), 3),
            "cpu_s": round(statistics.median(p[1] for p in pairs), 3)}


def _warrants_command() -> list[str]:
    if os.environ.get("WARRANTS_BENCH_MODULE"):          # this tree's command (a snapshot), not the installed one
        return [sys.executable, "-m", "addin.cli.cli"]
    script = Path(sys.executable).with_name("warrants")
    if script.exists():
        return [str(script)]
    found = shutil.which("warrants")
    return [found] if found else [sys.executable, "-m", "addin.cli.cli"]


def measure(path: Path, runs: int) -> dict:
    import openpyxl

    cmd = _warrants_command() + ["recalc", str(path), "--json"]
    out = subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT).stdout     # warm-up, and its JSON
    result = json.loads(out)
    loads, clis, cal, scans = [], [], [], []
    for _ in range(runs):                                  # interleaved: drift hits both alike
        loads.append(_timed(lambda: openpyxl.load_workbook(path)))
        clis.append(_proc(cmd))
    report = {"recalc_cli": _med(clis), "openpyxl_load": _med(loads)}
    report["ratio_wall"] = round(report["recalc_cli"]["wall_s"] / report["openpyxl_load"]["wall_s"], 2)
    report["ratio_cpu"] = round(report["recalc_cli"]["cpu_s"] / report["openpyxl_load"]["cpu_s"], 2)
    report["goal_ratio"] = 0.5
    try:
        from python_calamine import CalamineWorkbook

        def calamine():
            book = CalamineWorkbook.from_path(str(path))
            for name in book.sheet_names:
                book.get_sheet_by_name(name).to_python()
        for _ in range(runs):
            cal.append(_timed(calamine))
        report["floor_calamine_values"] = _med(cal)
    except ImportError:
        report["floor_calamine_values"] = "python-calamine not installed"
    try:
        from addin.recalc.xlsxscan import read_book
        for _ in range(runs):
            scans.append(_timed_no_gc(lambda: read_book(path)))
        report["xlsxscan_read"] = _med(scans)
    except ImportError:
        report["xlsxscan_read"] = "addin.recalc.xlsxscan not present"
    dumps = [_timed(lambda: json.dumps(result, ensure_ascii=False, allow_nan=False)) for _ in range(runs)]
    report["json_cells"] = len(result)
    report["json_dumps"] = _med(dumps)
    from addin.excel import catalog
    from addin.recalc import recalc_file
    _wb, recalculated = recalc_file(path, catalog, read_only=True)
    report["json_text"] = _med([_timed(recalculated.json_text) for _ in range(runs)])    # what the command writes
    report.update(engine_share(path, runs, report["recalc_cli"]["cpu_s"]))
    try:
        import orjson
        report["floor_orjson_dumps"] = _med([_timed(lambda: orjson.dumps(result)) for _ in range(runs)])
    except ImportError:
        report["floor_orjson_dumps"] = "orjson not installed"
    return report


_ENGINE_SHARE = """
import sys, time
from addin.excel import catalog, functions
from addin.recalc import recalc_file
own, spent = functions.engine_register, []
def timed(*args, **kwargs):
    start = time.process_time()
    try:
        return own(*args, **kwargs)
    finally:
        spent.append(time.process_time() - start)
functions.engine_register = timed
recalc_file(sys.argv[1], catalog, read_only=True)
print(sum(spent))
"""


def engine_share(path: Path, runs: int, cli_cpu: float) -> dict:
    """The engine's part of the command (``engine.register``, called once by WARRANT_REGISTER),
    timed in a new process that recalculates the book once, as the command does (a second call
    in one process is ~10% faster); median CPU seconds. And the command's CPU outside it:
    start-up, reading the book, converting the register's rows, the rest of the recalculation
    and the JSON text."""
    spent = [float(subprocess.run([sys.executable, "-c", _ENGINE_SHARE, str(path)], check=True, capture_output=True,
                                  text=True, cwd=ROOT).stdout) for _ in range(runs)]
    engine = statistics.median(spent)
    return {"engine_register_cpu_s": round(engine, 3), "outside_engine_cpu_s": round(cli_cpu - engine, 3)}


def imports(runs: int, folder: Path) -> dict:
    import xlsxwriter
    code = "import sys, addin.cli.cli; print('numpy' in sys.modules)"
    numpy = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                           cwd=ROOT).stdout.strip() == "True"
    tiny = folder / "one_cell.xlsx"
    wb = xlsxwriter.Workbook(str(tiny))
    ws = wb.add_worksheet("S")
    ws.write(0, 0, 1)
    ws.write_formula(1, 0, "=A1+1", None, 2)
    wb.close()
    loaded = ("import sys\nfrom addin.cli.cli import main\nsys.argv = ['warrants', 'recalc', sys.argv[1], '--json']\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "print(sorted({m.split('.')[0] for m in sys.modules} & {'openpyxl', 'numpy', 'rich', 'pydantic'}), "
              "file=sys.stderr)\n")
    heavy = subprocess.run([sys.executable, "-c", loaded, str(tiny)], check=True, capture_output=True, text=True,
                           cwd=ROOT).stderr.strip().splitlines()[-1]
    bare = _med([_proc([sys.executable, "-c", "pass"]) for _ in range(runs)])
    cli = _med([_proc([sys.executable, "-c", "import addin.cli.cli"]) for _ in range(runs)])
    one = _med([_proc(_warrants_command() + ["recalc", str(tiny), "--json"]) for _ in range(runs)])
    return {"python_alone": bare, "import_addin_cli": cli, "imports_numpy": numpy, "recalc_json_one_cell": one,
            "recalc_json_loads": heavy}


def precompile() -> str:
    """Compile the project's modules to bytecode first, as ``pip install`` does for an installed
    package (openpyxl's are, in site-packages): with ``PYTHONDONTWRITEBYTECODE`` set and an editable
    install, every ``warrants`` process would otherwise compile our sources again (~0.1 s)."""
    import compileall  # noqa: PLC0415
    ok = all(compileall.compile_dir(ROOT / pkg, quiet=1) for pkg in ("engine", "addin"))
    return "compiled before timing, as pip does at install" if ok else "compilation failed: sources compiled per run"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[10_000, 50_000])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--ledger", choices=("register", "full"), default="register")
    ap.add_argument("--shapes", nargs="+", choices=SHAPES, default=["one"])
    ap.add_argument("--skip-startup", action="store_true", help="leave out the start-up figures")
    ap.add_argument("--keep", type=Path, help="write the generated books here (kept)")
    ns = ap.parse_args()
    ledger = REGISTER_LEDGER if ns.ledger == "register" else ledger_rows()
    six_years = ledger_rows(span_days=SIX_YEARS)
    report: dict = {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
                    "runs": ns.runs, "ledger": ns.ledger, "bytecode": precompile(), "books": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = ns.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if not ns.skip_startup:
            report["startup"] = imports(ns.runs, folder)
        for shape in ns.shapes:
            for rows in ns.rows:
                path = folder / f"register_{shape}_{rows}.xlsx"
                info = make_book(path, rows, ledger if shape == "one" else six_years, shape)
                report["books"].append({**info, **measure(path, ns.runs)})
    report["growth"] = growth(report["books"])
    print(json.dumps(report, indent=2))


def growth(books: list[dict]) -> dict:
    """Per shape, the command's wall seconds per 1,000 rows at each size: flat when growth is linear."""
    out: dict = {}
    for b in books:
        out.setdefault(b["shape"], {})[b["rows"]] = round(b["recalc_cli"]["wall_s"] * 1000 / b["rows"], 4)
    return out


if __name__ == "__main__":
    main()
