"""The xlwings Lite bundle run under real Pyodide (WebAssembly CPython) in Node, as xlwings Lite runs it.

``warrants lite`` writes main.py (engine + catalog core + addin/excel/lite.py) and
requirements.txt; this test loads that main.py into the npm ``pyodide``
package with local wheels of what requirements.txt names (tzdata, holidays,
python-dateutil, six) and of the pure-Python xlwings wheel, and calls the
functions the way Lite does: cell values only (2-D lists), dates as serial
numbers of the 1900 date system, no caller. The Pyodide CDN is not needed:
wheels are unpacked into site-packages from local files.

It proves Pyodide, not xlwings Lite itself: Lite's own registration code is
not open source and is not used (README, "Mac and Excel on the web").

Expected values are derived by hand from Performance Warrant No. D-1 and the
Reallocated Option Exercise Purchase Agreement (derivation on each case).
Where ``CI=true`` a missing node/npm or a failed download fails the test.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime
from importlib import metadata
from pathlib import Path

import pytest

from addin.excel.catalog import CATALOG
from tests.test_addin_catalog import D1_TERMS, EVENTS_HEADER, OPTIONEES_HEADER, ev, perf_tests

PYODIDE_NPM = "pyodide@314.0.7"  # Python 3.14; README says how this relates to the Pyodide inside Lite
WHEELS = ("tzdata", "holidays", "python-dateutil", "six", "xlwings")
IN_CI = os.environ.get("CI", "").lower() == "true"

# Excel serial numbers, 1900 date system (what Lite passes for a date): DATE(2001,1,1) = 36892, so
# 2001-12-31 = 36892 + 364 = 37256 and 2001-12-30 = 37255; 2004-01-01 = 36892 + 3*365 + 1 (2004 leap day
# not yet) ... counted the same way: 2004-06-10 = 38148, 2004-06-14 = 38152, 2004-06-15 = 38153,
# 2005-02-07 = 38390. A time of day is the fraction of 24 hours: 17:00 = 17/24, 17:01 = 1021/1440.
SERIAL = {"2001-12-30": 37255, "2001-12-31": 37256, "2004-06-10": 38148, "2004-06-11": 38149,
          "2004-06-14": 38152, "2004-06-15": 38153, "2005-02-07": 38390}

RUNNER = r"""
import { loadPyodide } from "pyodide";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
const [wheelDir, bundleDir, caseFile, script] = process.argv.slice(2);
const t0 = Date.now();
const py = await loadPyodide();
const loaded = Date.now();
for (const [dir, target] of [[wheelDir, "/wheels"], [bundleDir, "/bundle"]]) {
  py.FS.mkdirTree(target);
  for (const f of readdirSync(dir)) py.FS.writeFile(target + "/" + f, readFileSync(join(dir, f)));
}
py.FS.writeFile("/case.json", readFileSync(caseFile));
let out;
try {
  out = await py.runPythonAsync(readFileSync(script, "utf8"));
} catch (e) {
  console.error("PYTHON ERROR\n" + e.message);  // the Python traceback, not Pyodide's minified JS
  process.exit(1);
}
console.log(JSON.stringify({load_ms: loaded - t0, run_ms: Date.now() - loaded, result: JSON.parse(out)}));
"""

SCRIPT = r"""
import glob, importlib, inspect, json, site, sys, zipfile

SITE = site.getsitepackages()[0]


def install(names):
    for wheel in sorted(glob.glob("/wheels/*.whl")):
        if wheel.split("/")[-1].split("-")[0] in names:
            zipfile.ZipFile(wheel).extractall(SITE)
    importlib.invalidate_caches()


case = json.load(open("/case.json"))
install({"holidays", "python_dateutil", "six", "xlwings"})  # tzdata comes later: the _zone_keys trap
sys.path.insert(0, "/bundle")
import main
import engine
import xlwings

out = {"platform": sys.platform, "python": sys.version.split()[0], "xlwings": xlwings.__version__,
       "engine_file": engine.__file__}
T, TESTS = case["terms"], case["tests"]
out["before_tzdata"] = main.WARRANT_EXERCISABLE(T, TESTS, case["moments"]["2001-12-31 (start)"])
install({"tzdata"})
out["exercisable"] = {k: main.WARRANT_EXERCISABLE(T, TESTS, v) for k, v in case["moments"].items()}
out["status_late"] = main.WARRANT_STATUS(T, TESTS, case["moments"]["2005-02-07 17:01"])
out["price"] = main.WARRANT_PRICE(T, case["split"], case["as_of"])
out["shares"] = main.WARRANT_SHARES(T, case["split"], case["as_of"])
out["trail"] = main.WARRANT_ADJUSTMENTS(T, case["split"], case["as_of"])


def quote_warning(market):
    got = main.WARRANT_EXERCISE(T, case["dividend"], case["exercise"], market, None, None, True)
    return got if isinstance(got, str) else dict(got)["Quote Warning"]


out["warnings"] = {day: quote_warning(market) for day, market in case["markets"].items()}
out["reallocation"] = main.OPTION_REALLOCATE(case["optionees"], 7.5)
out["refused"] = main.WARRANT_PRICE([["Preset", "D-1"], ["Warrant Shares", -1.0]], None, case["as_of"])
out["signatures"] = {name: [[p.name, p.kind.name, p.default is None] for p in inspect.signature(f).parameters.values()]
                     for name, f in main.LITE_FUNCTIONS.items()}
out["scripts"] = {name: list(inspect.signature(getattr(main, name)).parameters)
                  for name in ("make_adjustment_certificate", "make_purchase_form")}

# The register's translated program (exec of generated source) on the pure path, as Lite runs it
from datetime import date
from fractions import Fraction
sys.modules["engine.register"].TRANSLATE_AFTER = 0
ledger = engine.parse_events([{"date": date(2001, 6, 1), "event": "ISSUE", "shares": 1000000, "consideration": 5000},
                              {"date": date(2001, 7, 1), "event": "SPLIT", "ratio": "3-for-2"}])
holdings = [engine.d1_terms(exercise_price=Fraction(k, 1000)) for k in (3, 10)]
out["translated"] = [[str(p), str(s)] for p, s in engine.register(holdings, ledger, date(2006, 1, 1))]
out["translated_by"] = type(sys.modules["engine.register"]._RUNNERS.popitem()[1].dialect).__name__
# ... and the same register run once per branch of warrants taking the same decisions (engine.piecewise)
sys.modules["engine.register"].PIECEWISE_AFTER = 1
engine.clear_caches()
out["per_branch"] = [[str(p), str(s)] for p, s in engine.register(holdings, ledger, date(2006, 1, 1))]
out["per_branch_runs"] = sys.modules["engine.register"]._RUNNERS.popitem()[1].runs
json.dumps(out, default=str)
"""


def _serial_cells(rows):
    """Cells as Lite hands them over: a datetime becomes its 1900-system serial number (epoch 1899-12-30,
    valid from 1900-03-01 on; the test's own dates are checked against SERIAL below)."""
    def cell(v):
        if isinstance(v, datetime):
            delta = v - datetime(1899, 12, 30)
            return delta.days + delta.seconds / 86400
        return v
    return [[cell(v) for v in r] for r in rows]


def _fail_or_skip(message: str):
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def _version(dist: str) -> str:
    try:
        return f"{dist}=={metadata.version(dist)}"  # the versions the rest of the suite runs with
    except metadata.PackageNotFoundError:
        return dist


@pytest.fixture(scope="module")
def pyodide_run(tmp_path_factory):
    if not (shutil.which("node") and shutil.which("npm")):
        _fail_or_skip("node/npm not installed")
    work = tmp_path_factory.mktemp("pyodide")
    started = time.monotonic()
    npm = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(work),
                          PYODIDE_NPM], capture_output=True, text=True, timeout=600)
    if npm.returncode:
        _fail_or_skip(f"npm install {PYODIDE_NPM} failed: {npm.stderr[-500:]}")
    wheels = work / "wheels"
    pip = subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
                          "--platform", "any", "--python-version", "3.14", "--implementation", "py",
                          "-d", str(wheels), *map(_version, WHEELS)], capture_output=True, text=True, timeout=600)
    if pip.returncode:
        _fail_or_skip(f"pip download of the wheels failed: {pip.stderr[-500:]}")
    bundle = work / "bundle"
    cli = subprocess.run([sys.executable, "-m", "addin.cli.cli", "lite", str(bundle)], capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    installed = time.monotonic()

    d = SERIAL
    case = {
        "terms": _serial_cells(D1_TERMS),
        "tests": perf_tests(),  # 118 buildings < 120: a §2(a) Performance Default
        "moments": {"2001-12-30": d["2001-12-30"], "2001-12-31 (start)": d["2001-12-31"],
                    "2005-02-07 16:59": d["2005-02-07"] + 1019 / 1440, "2005-02-07 17:00": d["2005-02-07"] + 17 / 24,
                    "2005-02-07 17:01": d["2005-02-07"] + 1021 / 1440},
        "split": _serial_cells([EVENTS_HEADER, ev(datetime(2002, 6, 3), "SPLIT", ratio="2-for-1")]),
        "dividend": _serial_cells([EVENTS_HEADER, ev(datetime(2002, 6, 3), "STOCK_DIVIDEND", shares=1_000_000.0)]),
        "as_of": [[d["2004-06-15"]]],  # a single cell arrives as a 1x1 range (ndim=2)
        "exercise": [["Exercise Date", d["2004-06-14"]], ["Shares", "ALL"]],
        "markets": {day: [["Venue", "EXCHANGE"], ["Quote Date", d[day]], ["Closing Price", 2.5]]
                    for day in ("2004-06-10", "2004-06-11")},
        "optionees": [OPTIONEES_HEADER,
                      ["Non-exercising Optionee", 71421.0, False, None, None],
                      ["TCW/CCI Holding LLC", 100000.0, True, None, None],
                      ["John E. Avery", 0.0, True, 33689.0, "TCW/CCI Holding LLC"],
                      ["Scott Family Investors, LLC", 0.0, True, 33689.0, "TCW/CCI Holding LLC"],
                      ["Ernesto Ramon", 0.0, True, 4043.0, "TCW/CCI Holding LLC"]],
    }
    (work / "case.json").write_text(json.dumps(case))
    (work / "run.mjs").write_text(RUNNER)
    (work / "script.py").write_text(SCRIPT)
    node = subprocess.run(["node", "run.mjs", str(wheels), str(bundle), str(work / "case.json"),
                           str(work / "script.py")], cwd=work, capture_output=True, text=True, timeout=600)
    assert node.returncode == 0, node.stderr[node.stderr.find("PYTHON ERROR"):][-3000:]
    report = json.loads(node.stdout.strip().splitlines()[-1])
    report["install_s"] = installed - started
    report["total_s"] = time.monotonic() - started
    print(f"\npyodide: install {report['install_s']:.1f} s, load {report['load_ms'] / 1000:.1f} s, "
          f"run {report['run_ms'] / 1000:.1f} s")
    return report


def test_the_serials_are_excels():
    # The epoch used by _serial_cells agrees with the serials counted by hand above.
    for day, serial in SERIAL.items():
        assert _serial_cells([[datetime.fromisoformat(day)]]) == [[serial]]


def test_runs_in_pyodide_with_the_bundled_engine(pyodide_run):
    r = pyodide_run["result"]
    assert r["platform"] == "emscripten" and r["python"].startswith("3.14")
    assert r["engine_file"].startswith("/tmp/warrants-") and ".zip" in r["engine_file"]  # main.py's own copy
    assert r["xlwings"] == metadata.version("xlwings")


def test_zone_keys_are_asked_again_once_tzdata_is_installed(pyodide_run):
    r = pyodide_run["result"]
    # Before tzdata, Pyodide knows no zone: D-1's America/New_York is refused, naming the field ...
    assert r["before_tzdata"].startswith("#WARRANT: ") and "Time Zone" in r["before_tzdata"]
    # ... and once tzdata is installed the same call answers (the empty answer was not cached).
    assert r["exercisable"]["2001-12-31 (start)"] is True


@pytest.mark.parametrize("moment, expected, source", [
    ("2001-12-30", False, "§1(a): exercisable only from December 31, 2001"),
    ("2001-12-31 (start)", True, "§1(a) from December 31, 2001; §2(a) 118 < 120 buildings is a Performance Default"),
    ("2005-02-07 16:59", True, "§1(a): until 5:00 p.m. New York time, February 7, 2005"),
    ("2005-02-07 17:00", True, "§1(a): 'at or before 5:00 p.m.' includes 17:00"),
    ("2005-02-07 17:01", False, "§1(a): after 5:00 p.m. on the last day the warrant is void"),
])
def test_d1_exercisability_around_the_window(pyodide_run, moment, expected, source):
    assert pyodide_run["result"]["exercisable"][moment] is expected, source


def test_d1_after_a_split(pyodide_run):
    r = pyodide_run["result"]
    assert r["price"] == 0.005  # §4(b) 2-for-1 split on 2002-06-03: $.01 / 2 = $.005
    assert r["shares"] == 322580  # 161,290 x 2 = 322,580
    header, row = r["trail"]
    assert header[:4] == ["Date", "Event", "Clause", "Status"]
    assert row[1] == "SPLIT" and row[3] == "APPLIED" and row[5] == 0.005 and row[7] == 322580
    assert r["refused"].startswith("#WARRANT: ") and "Warrant Shares" in r["refused"]


def test_a_translated_register_program_runs_in_pyodide(pyodide_run):
    r = pyodide_run["result"]
    assert r["translated_by"] == "_IntPairs"          # no gmpy2 under Pyodide: the pure path
    # §4(d): the $5,000 / 1,000,000 = $0.005 issue lowers $0.01 to $0.005 and leaves $0.003 (below it);
    # §4(b) 3-for-2: prices x 2/3, shares x 3/2 (161,290 x 3/2 = 241,935)
    assert r["translated"] == [["1/500", "241935"], ["1/300", "241935"]]


def test_a_register_run_per_branch_runs_in_pyodide(pyodide_run):
    r = pyodide_run["result"]
    assert r["per_branch_runs"] == 0                 # no price run on its own: both answered by their branches
    assert r["per_branch"] == [["1/500", "241935"], ["1/300", "241935"]]     # as above, by hand


def test_nyse_calendar_from_the_holidays_wheel(pyodide_run):
    # Exercise Mon 2004-06-14; the NYSE was closed Fri 2004-06-11 (President Reagan's funeral), so the
    # §5 trading day immediately prior is Thu 2004-06-10: a quote of that day draws no warning.
    w = pyodide_run["result"]["warnings"]
    assert w["2004-06-10"] == "" and w["2004-06-11"] != ""


def test_reallocation_total(pyodide_run):
    # 33,689 + 33,689 + 4,043 = 71,421 reallocated shares x $7.50 = $535,657.50 (Reallocated Option
    # Exercise Purchase Agreement); 33,689 x 7.50 = $252,667.50; 4,043 x 7.50 = $30,322.50.
    grid = pyodide_run["result"]["reallocation"]
    rows = {r[0]: r for r in grid[1:]}
    assert rows["John E. Avery"][5:] == [33689, 252667.5]
    assert rows["Ernesto Ramon"][5:] == [4043, 30322.5]
    assert grid[-1][0] == "Total" and grid[-1][5:] == [71421, 535657.5]


def test_lite_signatures_are_the_catalogs(pyodide_run):
    sigs = pyodide_run["result"]["signatures"]
    assert set(sigs) == set(CATALOG)
    for name, params in sigs.items():
        # Lite: positional arguments only (it refuses keyword-only ones), no caller, optional ones default None.
        assert params == [[a.name, "POSITIONAL_OR_KEYWORD", a.optional] for a in CATALOG[name].args], name
    assert pyodide_run["result"]["scripts"] == {"make_adjustment_certificate": ["book"],
                                                 "make_purchase_form": ["book"]}
