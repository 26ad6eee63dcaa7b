"""The xlwings Lite bundle run under real Pyodide (WebAssembly CPython) in Node, as xlwings Lite runs it.

``warrants lite`` writes main.py (engine + catalog core + macros + addin/excel/lite.py) and
requirements.txt; this test loads that main.py into the npm ``pyodide`` package, at the two
versions xlwings Lite runs (0.27.x with Python 3.12, 314.x with Python 3.14), with local
wheels of what requirements.txt names (tzdata, holidays, python-dateutil, six) and of the
pure-Python xlwings wheel. The Pyodide CDN is not needed: wheels are unpacked into
site-packages from local files.

Lite's own runtime is not open source and needs a licence key, so its contract is played by
a stand-in built from xlwings' documentation (lite.xlwings.org, "Custom Functions" and
"Converters and Options"; xlwings' Range options):

* registration: ``@func``/``@arg``/``@script`` record what the bundle declares, as Lite reads it;
* arguments: a single cell arrives as a scalar, ``ndim=2`` makes it a 1x1 list of lists,
  ranges arrive as lists of lists, dates as serial numbers of the 1900 system, a blank as
  JavaScript's ``null`` (``pyodide.ffi.jsnull`` from Pyodide 0.28 on, passed on as it is, as
  xlwings before 0.36.7 did), an error cell as None unless ``err_to_str=True`` keeps its
  text, an omitted optional argument as the parameter's default;
* scripts: a stand-in ``Book`` (names, sheets, ranges, formats, ``app.alert``) whose values
  are converted as xlwings converts Office.js's book data (``""`` blank, ISO text a date,
  errors None unless ``err_to_str``), recording what the script writes; column widths in
  points.

Expected values are derived by hand from Performance Warrant No. D-1 and the Reallocated
Option Exercise Purchase Agreement (derivation on each case), or are the sample workbook's
own hand-derived figures. A missing node/npm or a failed download fails the test under
``CI=true`` (.ci/run installs them).
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

import openpyxl
import pytest

from addin.documents import macros
from addin.excel import catalog
from addin.excel.catalog import CATALOG
from addin.recalc import cell_key, recalc_workbook
from tests.test_addin_catalog import D1_TERMS, EVENTS_HEADER, OPTIONEES_HEADER, ev, perf_tests

PYODIDE = {"0.27.5": "3.12", "314.0.8": "3.14"}  # npm pyodide -> its Python: the versions xlwings Lite runs
WHEELS = ("tzdata", "holidays", "python-dateutil", "six", "xlwings")
IN_CI = os.environ.get("CI", "").lower() == "true"
D1_BOOK = Path(__file__).resolve().parents[1] / "workbooks" / "performance_warrant_d1.xlsx"
NAMES = ("Terms", "Events", "AsOf", "Exercise", "Market", "Tests", "Facts")

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
import glob, importlib, inspect, json, re, site, sys, zipfile
from datetime import datetime

SITE = site.getsitepackages()[0]


def install(names):
    for wheel in sorted(glob.glob("/wheels/*.whl")):
        if wheel.split("/")[-1].split("-")[0] in names:
            zipfile.ZipFile(wheel).extractall(SITE)
    importlib.invalidate_caches()


case = json.load(open("/case.json"))
install({"holidays", "python_dateutil", "six", "xlwings"})  # tzdata comes later: the _zone_keys trap

# ---- stand-in of Lite's registration: what each decorator declares, as Lite reads it
import xlwings

DECLARED, FUNCS, SCRIPTS = {}, {}, {}


def func(f=None, **options):
    def inner(f):
        FUNCS[f.__name__] = f
        return f
    return inner(f) if f is not None else inner


def arg(name, convert=None, **options):
    def inner(f):
        DECLARED.setdefault(f.__name__, {})[name] = options
        return f
    return inner


def script(f=None, **options):
    def inner(f):
        SCRIPTS[f.__name__] = f
        return f
    return inner(f) if f is not None else inner


xlwings.func, xlwings.arg, xlwings.script = func, arg, script

try:
    from pyodide.ffi import jsnull        # Pyodide 0.28+: what JavaScript's null becomes
except ImportError:
    jsnull = None                         # 0.27: null becomes None
ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#DATA!", "#SPILL!", "#CALC!"}


def as_js(value):
    # a blank as the runtime hands it over: JavaScript's null
    if isinstance(value, list):
        return [as_js(v) for v in value]
    return jsnull if value is None else value


def lite_call(name, *cells):
    # Lite's argument conversion (stand-in): cells -> the function's parameters
    f = FUNCS[name]
    options = DECLARED.get(name, {})
    params = list(inspect.signature(f).parameters.values())
    args = []
    for param, value in zip(params, cells):
        opts = options.get(param.name, {})
        value = as_js(value)
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list) and len(value[0]) == 1:
            value = value[0][0]                      # a single cell arrives as a scalar
        if value is None:                            # xlwings: `is None` -> the default (a jsnull is not None)
            args.append(param.default if param.default is not inspect.Parameter.empty else None)
            continue
        if opts.get("ndim") == 2:
            rows = value if isinstance(value, list) else [[value]]
            rows = rows if not rows or isinstance(rows[0], list) else [rows]
        else:
            rows = value
        if not opts.get("err_to_str"):               # an error cell arrives as None unless err_to_str
            rows = [[None if isinstance(c, str) and c in ERRORS else c for c in r] for r in rows] \
                if isinstance(rows, list) else (None if isinstance(rows, str) and rows in ERRORS else rows)
        args.append(rows)
    return f(*args)


# ---- stand-in of Lite's Book, for the scripts
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")


def book_value(v, err_to_str):
    # as xlwings converts Office.js's book data: "" blank, ISO text a date, errors None unless err_to_str
    if v == "":
        return None
    if isinstance(v, str) and ISO.match(v):
        return datetime.fromisoformat(v.rstrip("Z"))
    if isinstance(v, str) and v in ERRORS and not err_to_str:
        return None
    return v


class Font:
    def __init__(self, cell):
        self.__dict__["_cell"] = cell

    def __setattr__(self, key, value):
        self._cell.setdefault("font", {})[key] = value


class Range:
    def __init__(self, sheet, first, last=None, rows=None, options=None):
        self.sheet, self.first, self.last, self.rows, self._options = sheet, first, last, rows, options or {}

    def options(self, **options):
        return Range(self.sheet, self.first, self.last, self.rows, options)

    def _cell(self):
        return self.sheet.cells.setdefault(self.first, {})

    @property
    def value(self):
        if self._options.get("ndim") != 2:
            raise AssertionError("the macros read named ranges with ndim=2")
        return [[book_value(v, self._options.get("err_to_str")) for v in r] for r in self.rows]

    @value.setter
    def value(self, v):
        self._cell()["value"] = v

    def __setattr__(self, key, value):
        if key in ("number_format", "wrap_text", "row_height"):
            self._cell()[key] = value
        elif key == "column_width":
            self.sheet.widths[self.first[1]] = value
        else:
            object.__setattr__(self, key, value)

    @property
    def font(self):
        return Font(self._cell())

    def merge(self):
        self.sheet.merges.append((self.first, self.last))


class Sheet:
    def __init__(self, book, name):
        self.book, self.name, self.cells, self.widths, self.merges = book, name, {}, {}, []
        self.api = {}                                   # Lite: a dict, no COM PageSetup

    def range(self, first, last=None):
        return Range(self, first, last)

    def activate(self):
        self.book.active = self.name


class Sheets(list):
    def __getitem__(self, key):
        if isinstance(key, str):
            return next(s for s in self if s.name.lower() == key.lower())
        return list.__getitem__(self, key)

    def add(self, name=None, before=None, after=None):
        sheet = Sheet(self.book, name)
        self.append(sheet)
        return sheet


class Name:
    def __init__(self, sheet, name, rows):
        self.name, self.refers_to_range = name, Range(sheet, (1, 1), rows=rows)


class App:
    def __init__(self):
        self.alerts = []

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        self.alerts.append(prompt)


class Book:
    def __init__(self, names):
        self.app, self.sheets, self.active = App(), Sheets(), None
        self.sheets.book = self
        data = Sheet(self, "Data")
        self.sheets.append(data)
        self.names = [Name(data, n, rows) for n, rows in names.items()]
        self.api = {"client": "Office.js"}


def run_script(name, names):
    book = Book(names)
    SCRIPTS[name](book)
    written = [s for s in book.sheets if s.name != "Data"]
    return {"alerts": book.app.alerts, "active": book.active,
            "sheets": {s.name: {"cells": [[r, c, cell.get("value")] for (r, c), cell in sorted(s.cells.items())],
                                "widths": {str(k): v for k, v in s.widths.items()}} for s in written}}


sys.path.insert(0, "/bundle")
import main
import engine

out = {"platform": sys.platform, "python": sys.version.split()[0], "xlwings": xlwings.__version__,
       "engine_file": engine.__file__, "blank": type(as_js(None)).__name__,
       "declared": {name: DECLARED.get(name, {}) for name in FUNCS}}
T, TESTS = case["terms"], case["tests"]
out["before_tzdata"] = lite_call("WARRANT_EXERCISABLE", T, TESTS, case["moments"]["2001-12-31 (start)"])
install({"tzdata"})
out["exercisable"] = {k: lite_call("WARRANT_EXERCISABLE", T, TESTS, v) for k, v in case["moments"].items()}
out["status_late"] = lite_call("WARRANT_STATUS", T, TESTS, case["moments"]["2005-02-07 17:01"])
out["price"] = lite_call("WARRANT_PRICE", T, case["split"], case["as_of"])
out["shares"] = lite_call("WARRANT_SHARES", T, case["split"], case["as_of"])
out["trail"] = lite_call("WARRANT_ADJUSTMENTS", T, case["split"], case["as_of"])
out["shares_error_cell"] = lite_call("WARRANT_SHARES", case["terms_error"], case["split"], case["as_of"])
out["shares_blank_cell"] = lite_call("WARRANT_SHARES", case["terms_blank"], case["split"], case["as_of"])
out["price_jsnull_direct"] = main.WARRANT_PRICE(as_js(T), as_js(case["split"]), case["as_of"])


def quote_warning(market):
    got = lite_call("WARRANT_EXERCISE", T, case["dividend"], case["exercise"], market, None, None, True)
    return got if isinstance(got, str) else dict(got)["Quote Warning"]


out["warnings"] = {day: quote_warning(market) for day, market in case["markets"].items()}
out["reallocation"] = lite_call("OPTION_REALLOCATE", case["optionees"], 7.5)
out["refused"] = lite_call("WARRANT_PRICE", [["Preset", "D-1"], ["Warrant Shares", -1.0]], None, case["as_of"])
out["signatures"] = {name: [[p.name, p.kind.name, p.default is None] for p in inspect.signature(f).parameters.values()]
                     for name, f in FUNCS.items()}
out["scripts"] = {name: list(inspect.signature(f).parameters) for name, f in SCRIPTS.items()}
out["certificate"] = run_script("make_adjustment_certificate", case["book"])
out["purchase_form"] = run_script("make_purchase_form", case["book"])
out["certificate_error_cell"] = run_script("make_adjustment_certificate", case["book_error"])

# The register run price by price (its program interpreted), as Lite runs it
from datetime import date
from fractions import Fraction
ledger = engine.parse_events([{"date": date(2001, 6, 1), "event": "ISSUE", "shares": 1000000, "consideration": 5000},
                              {"date": date(2001, 7, 1), "event": "SPLIT", "ratio": "3-for-2"}])
holdings = [engine.d1_terms(exercise_price=Fraction(k, 1000)) for k in (3, 10)]
out["price_by_price"] = [[str(p), str(s)] for p, s in engine.register(holdings, ledger, date(2006, 1, 1))]
# ... and the same register run once per branch of warrants taking the same decisions (engine.piecewise)
_register = sys.modules["engine.register"]
_runs, _run = [], _register._Group.run
_register._Group.run = lambda group, p, s: (_runs.append(p), _run(group, p, s))[1]    # count the price-by-price runs
_register.PIECEWISE_AFTER = 1
engine.clear_caches()
out["per_branch"] = [[str(p), str(s)] for p, s in engine.register(holdings, ledger, date(2006, 1, 1))]
out["per_branch_runs"] = len(_runs)
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


def _lite_json(v):
    """A book value as Office.js hands it to xlwings: a date as ISO text, a blank as ""."""
    if isinstance(v, datetime):
        return v.isoformat(timespec="seconds")
    return "" if v is None else v


def book_names(path: Path = D1_BOOK) -> dict[str, list[list]]:
    """The named ranges the macros read, with the values Excel shows (the book's cached values)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    names = {}
    for name in NAMES:
        sheet, ref = next(wb.defined_names[name].destinations)
        cells = wb[sheet][ref.replace("$", "")]
        rows = cells if isinstance(cells, tuple) else ((cells,),)
        names[name] = [[_lite_json(c.value) for c in row] for row in rows]
    return names


def headless_sheet(kind: str) -> dict[tuple[int, int], object]:
    """The same document's cells as ``warrants certificate`` / ``purchase-form`` lay them out."""
    from addin.documents import documents
    wb = openpyxl.load_workbook(D1_BOOK)
    values = {cell_key(*k): v for k, v in recalc_workbook(wb, catalog).values.items()}
    book = macros.OpenpyxlBook(wb, values)
    doc, _ = macros.certificate_document(book) if kind == "certificate" else macros.purchase_form_document(book)
    cells, _widths, _last = documents.sheet_layout(doc)
    # a datetime crosses Pyodide's JSON report as str(datetime)
    return {(c.row, c.col): str(c.value) if isinstance(c.value, datetime) else c.value for c in cells}


@pytest.fixture(scope="module", params=list(PYODIDE))
def pyodide_run(request, tmp_path_factory):
    version, python = request.param, PYODIDE[request.param]
    if not (shutil.which("node") and shutil.which("npm")):
        _fail_or_skip("node/npm not installed")
    work = tmp_path_factory.mktemp(f"pyodide-{version}")
    started = time.monotonic()
    npm = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(work),
                          f"pyodide@{version}"], capture_output=True, text=True, timeout=600)
    if npm.returncode:
        _fail_or_skip(f"npm install pyodide@{version} failed: {npm.stderr[-500:]}")
    wheels = work / "wheels"
    pip = subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
                          "--platform", "any", "--python-version", python, "--implementation", "py",
                          "-d", str(wheels), *map(_version, WHEELS)], capture_output=True, text=True, timeout=600)
    if pip.returncode:
        _fail_or_skip(f"pip download of the wheels failed: {pip.stderr[-500:]}")
    bundle = work / "bundle"
    cli = subprocess.run([sys.executable, "-c", "import sys; sys.argv[0] = 'warrants'; "
                          "from addin.cli.launch import command; command()", "lite", str(bundle)],
                         capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    installed = time.monotonic()

    d = SERIAL
    terms = _serial_cells(D1_TERMS)
    names = book_names()
    names_error = {**names, "Terms": [[r[0], "#N/A" if r[0] == "Warrant Shares" else r[1]] for r in names["Terms"]]}
    case = {
        "terms": terms,
        "terms_error": [[r[0], "#N/A" if r[0] == "Warrant Shares" else r[1]] for r in terms],
        "terms_blank": [[r[0], None if r[0] == "Warrant Shares" else r[1]] for r in terms],
        "tests": perf_tests(),  # 118 buildings < 120: a §2(a) Performance Default
        "moments": {"2001-12-30": d["2001-12-30"], "2001-12-31 (start)": d["2001-12-31"],
                    "2005-02-07 16:59": d["2005-02-07"] + 1019 / 1440, "2005-02-07 17:00": d["2005-02-07"] + 17 / 24,
                    "2005-02-07 17:01": d["2005-02-07"] + 1021 / 1440},
        "split": _serial_cells([EVENTS_HEADER, ev(datetime(2002, 6, 3), "SPLIT", ratio="2-for-1")]),
        "dividend": _serial_cells([EVENTS_HEADER, ev(datetime(2002, 6, 3), "STOCK_DIVIDEND", shares=1_000_000.0)]),
        "as_of": [[d["2004-06-15"]]],  # a single cell
        "exercise": [["Exercise Date", d["2004-06-14"]], ["Shares", "ALL"]],
        "markets": {day: [["Venue", "EXCHANGE"], ["Quote Date", d[day]], ["Closing Price", 2.5]]
                    for day in ("2004-06-10", "2004-06-11")},
        "optionees": [OPTIONEES_HEADER,
                      ["Non-exercising Optionee", 71421.0, False, None, None],
                      ["TCW/CCI Holding LLC", 100000.0, True, None, None],
                      ["John E. Avery", 0.0, True, 33689.0, "TCW/CCI Holding LLC"],
                      ["Scott Family Investors, LLC", 0.0, True, 33689.0, "TCW/CCI Holding LLC"],
                      ["Ernesto Ramon", 0.0, True, 4043.0, "TCW/CCI Holding LLC"]],
        "book": names,
        "book_error": names_error,
    }
    (work / "case.json").write_text(json.dumps(case))
    (work / "run.mjs").write_text(RUNNER)
    (work / "script.py").write_text(SCRIPT)
    node = subprocess.run(["node", "run.mjs", str(wheels), str(bundle), str(work / "case.json"),
                           str(work / "script.py")], cwd=work, capture_output=True, text=True, timeout=600)
    assert node.returncode == 0, node.stderr[node.stderr.find("PYTHON ERROR"):][-3000:]
    report = json.loads(node.stdout.strip().splitlines()[-1])
    report["version"], report["expected_python"] = version, python
    report["install_s"] = installed - started
    report["total_s"] = time.monotonic() - started
    report["bundle_bytes"] = (bundle / "main.py").stat().st_size
    print(f"\npyodide {version}: install {report['install_s']:.1f} s, load {report['load_ms'] / 1000:.1f} s, "
          f"run {report['run_ms'] / 1000:.1f} s, bundle {report['bundle_bytes']:,} bytes")
    return report


def test_the_serials_are_excels():
    # The epoch used by _serial_cells agrees with the serials counted by hand above.
    for day, serial in SERIAL.items():
        assert _serial_cells([[datetime.fromisoformat(day)]]) == [[serial]]


def test_runs_in_pyodide_with_the_bundled_engine(pyodide_run):
    r = pyodide_run["result"]
    assert r["platform"] == "emscripten" and r["python"].startswith(pyodide_run["expected_python"] + ".")
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


def test_a_register_run_price_by_price_runs_in_pyodide(pyodide_run):
    r = pyodide_run["result"]
    # §4(d): the $5,000 / 1,000,000 = $0.005 issue lowers $0.01 to $0.005 and leaves $0.003 (below it);
    # §4(b) 3-for-2: prices x 2/3, shares x 3/2 (161,290 x 3/2 = 241,935)
    assert r["price_by_price"] == [["1/500", "241935"], ["1/300", "241935"]]


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


# ----------------------------------------------------------------------------- Lite's contract (issue 21)

def test_every_argument_is_declared_with_errors_as_text(pyodide_run):
    declared = pyodide_run["result"]["declared"]
    assert set(declared) == set(CATALOG)
    for name, args in declared.items():
        assert set(args) == {a.name for a in CATALOG[name].args}, name
        for options in args.values():
            assert options["ndim"] == 2 and options["err_to_str"] is True, name


def test_an_error_cell_is_refused_never_read_as_blank(pyodide_run):
    r = pyodide_run["result"]
    # Warrant Shares = #N/A: refused naming the row and the error; the same cell blank takes the D-1
    # preset's 161,290 (preamble), x 2 for the 2-for-1 split (§4(b)) = 322,580
    assert r["shares_error_cell"] == "#WARRANT: Terms row 6: Warrant Shares holds the Excel error #N/A"
    assert r["shares_blank_cell"] == 322580


def test_blanks_arrive_as_jsnull_from_pyodide_0_28_and_count_as_blank(pyodide_run):
    r = pyodide_run["result"]
    assert r["blank"] == ("NoneType" if pyodide_run["version"].startswith("0.27") else "JsNull")
    # every blank of the terms and events handed straight to the function as the runtime gives it
    assert r["price_jsnull_direct"] == 0.005           # §4(b): $.01 / 2, as through the conversion


def test_the_certificate_script_writes_its_sheet_with_the_books_figures(pyodide_run):
    got = pyodide_run["result"]["certificate"]
    assert got["alerts"] == [] and list(got["sheets"]) == ["Certificate"] and got["active"] == "Certificate"
    cells = {(r, c): v for r, c, v in got["sheets"]["Certificate"]["cells"]}
    values = list(cells.values())
    # the sample book's hand-derived figures as of its AsOf, 2004-12-31 (docs/workbooks.md, the D-1 trail):
    # Per Share Exercise Price $0.0096 and 24,798.2975 Warrant Shares
    assert 0.0096 in values and 24798.2975 in values
    expected = headless_sheet("certificate")     # the same document as `warrants certificate` lays it out
    assert {k: v for k, v in cells.items() if k in expected} == expected
    assert any(isinstance(v, str) and v.startswith("not written in xlwings Lite") for v in values)


def test_the_purchase_form_script_writes_its_sheet(pyodide_run):
    got = pyodide_run["result"]["purchase_form"]
    assert got["alerts"] == [] and list(got["sheets"]) == ["Purchase Form"]
    cells = {(r, c): v for r, c, v in got["sheets"]["Purchase Form"]["cells"]}
    # the exercise of 2004-03-01 in the sample book: 49,596.595 shares (docs/workbooks.md, trail row 20)
    assert any(isinstance(v, str) and "49,596.595 shares" in v for v in cells.values())
    expected = headless_sheet("purchase-form")
    assert {k: v for k, v in cells.items() if k in expected} == expected


def test_a_script_refuses_an_error_cell_and_writes_nothing(pyodide_run):
    got = pyodide_run["result"]["certificate_error_cell"]
    assert got["sheets"] == {} and len(got["alerts"]) == 1
    assert got["alerts"][0].startswith("#WARRANT: ") and "Warrant Shares" in got["alerts"][0] and "#N/A" in got["alerts"][0]


def test_script_column_widths_are_in_points(pyodide_run):
    from addin.documents import documents
    widths = pyodide_run["result"]["certificate"]["sheets"]["Certificate"]["widths"]
    # ECMA-376 §18.3.1.13: w characters of a 7-pixel digit + 5 pixels of padding, 3/4 point a pixel
    assert widths == {str(col): round((w * 7 + 5) * 0.75, 2) for col, w in documents.SHEET_WIDTHS.items()}
    assert min(widths.values()) > 30                 # no 4-5 character columns
