"""Workbook bench (not a timed test): prints one JSON object.

    python bench/bench_workbook.py [--runs N] [--no-libreoffice]

For workbooks/warrant_register.xlsx (10,000 warrants, one spilled WARRANT_REGISTER):

* ``openpyxl_load_s``: seconds to load it with ``openpyxl.load_workbook`` (the bare read);
* ``warrants_recalc_s``: seconds for ``warrants recalc`` on it in-process (load with the
  same checks as the command, recalculate every formula, build the ``--json`` object);
* ``ratio`` = recalc / load (goal: at most 2). Both are measured side by side in one run,
  interleaved, and the median of ``--runs`` is reported;
* ``cli``: the same two as separate processes (``python -c "load"`` against
  ``warrants recalc BOOK --json``), interpreter start-up included;
* ``native_formulas_register``: the same register with six native formulas a row in place
  of the UDF column (60,002 formulas), loaded and recalculated by us;
* ``libreoffice``: where ``soffice`` is installed, the wall time of its headless
  recalculation (convert-to xlsx with recalculation on load forced) of the same register
  with native formulas in place of the UDF column (six formulas a row: the closed form
  of the shared ledger), its start-up time on an empty book, and whether its totals agree.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
REGISTER = ROOT / "workbooks" / "warrant_register.xlsx"


def _load(path: Path) -> float:
    import openpyxl
    t = time.perf_counter()
    openpyxl.load_workbook(path)
    return time.perf_counter() - t


def _recalc(path: Path) -> tuple[float, int]:
    from addin.recalc import recalc_file
    t = time.perf_counter()
    _, result = recalc_file(path)        # what `warrants recalc` does: load with checks, recalculate
    data = json.dumps(result.as_json())
    elapsed = time.perf_counter() - t
    assert not result.exceptions and data
    return elapsed, len(result.formula_cells)


def _proc(args: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - t


def _native_register(path: Path) -> int:
    """The register with native formulas in place of WARRANT_REGISTER (same ledger, closed form)."""
    import xlsxwriter
    sys.path.insert(0, str(ROOT / "workbooks"))
    from build import REGISTER_SIZE, register_row  # noqa: PLC0415
    wb = xlsxwriter.Workbook(str(path))
    reg = wb.add_worksheet("Register")
    reg.write_row(0, 0, ["Warrant", "Warrant Shares", "Exercise Price", "Anti-Dilution", "Share Adjustment"])
    res = wb.add_worksheet("Results")
    res.write_row(0, 0, ["Warrant", "p1", "p2", "Price", "Shares", "Aggregate Price"])
    for i in range(REGISTER_SIZE):
        name, shares, p0, method, sa = register_row(i)
        r = i + 1
        reg.write_row(r, 0, [name, shares, float(p0), method, sa])
        x = r + 1
        res.write_formula(r, 0, f"=Register!A{x}")
        res.write_formula(r, 1, f"=Register!C{x}/2")                                    # §4(b) 2-for-1
        res.write_formula(r, 2, f'=IF(0.5<B{x},IF(Register!D{x}="FULL_RATCHET",0.5,'    # §4(d) at $0.50
                                f'IF(Register!D{x}="BROAD_WEIGHTED_AVERAGE",(24*B{x}+1)/26,'
                                f'IF(Register!D{x}="NARROW_WEIGHTED_AVERAGE",(20*B{x}+1)/22,B{x}))),B{x})')
        res.write_formula(r, 3, f"=C{x}/1.1")                                            # §4(c) 10%
        res.write_formula(r, 4, f'=Register!B{x}*2*IF(Register!E{x}="KEEP_AGGREGATE",B{x}/C{x},1)*1.1')
        res.write_formula(r, 5, f"=ROUND(D{x}*E{x},2)")
    res.write_formula(0, 7, f"=SUM(E2:E{REGISTER_SIZE + 1})")
    res.write_formula(1, 7, f"=SUM(F2:F{REGISTER_SIZE + 1})")
    wb.close()
    return REGISTER_SIZE * 6 + 2


_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def _libreoffice(runs: int) -> dict:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return {"skipped": "soffice not installed"}
    import openpyxl
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        profile = tmp / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_XCU)
        native = tmp / "register_native.xlsx"
        formulas = _native_register(native)
        empty = tmp / "empty.xlsx"
        openpyxl.Workbook().save(empty)
        base = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir"]
        try:
            _proc(base + [str(tmp / "warm"), str(empty)])          # first start creates the profile
            startup = statistics.median(_proc(base + [str(tmp / "s"), str(empty)]) for _ in range(runs))
            recalc = statistics.median(_proc(base + [str(tmp / "out"), str(native)]) for _ in range(runs))
        except (subprocess.CalledProcessError, OSError) as exc:
            return {"skipped": f"soffice failed: {exc}"}
        out = openpyxl.load_workbook(tmp / "out" / native.name, data_only=True)["Results"]
        version = subprocess.run([soffice, "--version"], capture_output=True, text=True).stdout.strip()
        return {"version": version, "native_formulas": formulas, "recalc_s": round(recalc, 3),
                "startup_s": round(startup, 3), "recalc_minus_startup_s": round(recalc - startup, 3),
                "total_shares": out["H1"].value, "total_aggregate_price": out["H2"].value}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-libreoffice", action="store_true")
    ns = ap.parse_args()
    import openpyxl  # noqa: F401  (imports outside the timings)
    import addin.catalog  # noqa: F401
    _recalc(REGISTER)                                   # warm-up: imports, caches
    loads, recalcs = [], []
    formula_cells = 0
    for _ in range(ns.runs):
        loads.append(_load(REGISTER))
        elapsed, formula_cells = _recalc(REGISTER)
        recalcs.append(elapsed)
    load, recalc = statistics.median(loads), statistics.median(recalcs)
    exe = str(Path(sys.executable))
    cli_runs = max(1, ns.runs // 2)
    cli_load = statistics.median(_proc([exe, "-c", f"import openpyxl; openpyxl.load_workbook({str(REGISTER)!r})"])
                                 for _ in range(cli_runs))
    cli_recalc = statistics.median(_proc([exe, "-m", "addin.cli", "recalc", str(REGISTER), "--json"])
                                   for _ in range(cli_runs))
    # the same register with native formulas (what LibreOffice is timed on), through our recalculation
    from addin.recalc import recalc_file  # noqa: PLC0415
    with tempfile.TemporaryDirectory() as tmp:
        native = Path(tmp) / "register_native.xlsx"
        n_native = _native_register(native)
        native_load = statistics.median(_load(native) for _ in range(max(1, ns.runs // 2)))
        times = []
        for _ in range(max(1, ns.runs // 2)):
            t = time.perf_counter()
            _, res = recalc_file(native)
            times.append(time.perf_counter() - t)
        native_report = {"native_formulas": n_native, "openpyxl_load_s": round(native_load, 3),
                         "warrants_recalc_s": round(statistics.median(times), 3),
                         "total_shares": res["Results!H1"], "total_aggregate_price": res["Results!H2"]}
    report = {
        "workbook": str(REGISTER.relative_to(ROOT)),
        "warrants": 10_000,
        "formula_cells": formula_cells,
        "runs": ns.runs,
        "openpyxl_load_s": round(load, 3),
        "warrants_recalc_s": round(recalc, 3),
        "ratio": round(recalc / load, 2),
        "goal_ratio": 2.0,
        "cli": {"openpyxl_load_s": round(cli_load, 3), "warrants_recalc_s": round(cli_recalc, 3),
                "ratio": round(cli_recalc / cli_load, 2)},
        "native_formulas_register": native_report,
        "libreoffice": {"skipped": "--no-libreoffice"} if ns.no_libreoffice else _libreoffice(max(1, ns.runs // 2)),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
