"""The ``warrants`` command: recalculate, check and run the macros on workbooks headless.

    warrants new OUT.xlsx [--preset D-1] [--terms terms.csv] [--events events.csv]
    warrants recalc BOOK [-o OUT] [--json] [--time-limit SECONDS] [--now DATE]
    warrants check [PATH ...] [--time-limit SECONDS] [--now DATE]   (default: the sample workbooks)
    warrants samples FOLDER                      (copies of the sample workbooks)
    warrants certificate BOOK [--as-of DATE] [-o OUT] [--pdf OUT.pdf]
    warrants purchase-form BOOK [-o OUT] [--pdf OUT.pdf]
    warrants lite FOLDER                         (xlwings Lite: main.py, requirements.txt)
    warrants repair BOOK -o OUT                  (tables cut to one cell: back to dynamic arrays)
    warrants import-ocf PATH --warrant ID -o OUT.xlsx [--set LABEL=VALUE ...] [--all-warrants]
    warrants export-ocf BOOK -o DIR              (an exercise as OCF transactions + sidecar JSON)
    warrants --version

Exit codes: 0 ok, 1 a check failed (FALSE, an error value, a ``#WARRANT:`` text
or an exception recorded inside a catalog function) or nothing to check, 2 a bad
file, a bad place to write (a missing or read-only folder, a full disk, a link or a
device as the output, standard output full or closed) or bad arguments (one line on
standard error, never a traceback), 3 an internal error, 130 interrupted, 143
terminated (SIGTERM). A closed pipe (``warrants recalc BOOK --json | head -c 1``)
ends quietly with 141, as a Unix tool killed by SIGPIPE does.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import os
import re
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING, List, Optional

import typer

from addin.cli import launch
from addin.cli.coercion import plain_values
from addin.safewrite import OutputError, check_target, write_atomic
from addin.cli.terminal import shown
from addin.recalc.bookio import CAPS, BookError, check_output, load_book, require_names, save_atomic
# the evaluator loads when a book is first recalculated (addin/recalc/__init__.py), and the catalog
# (with the engine) in the commands that call it: `--help`, `--version`, `new`, `samples` load neither
from addin.recalc import XLError, cell_key, json_value, recalc_file, recalc_workbook

if TYPE_CHECKING:
    from addin.recalc import Recalc

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Warrant workbooks headless: recalculate, check, certificate, purchase form, a new workbook.",
                  epilog="Exit codes: 0 ok; 1 a check failed or there was nothing to check; 2 a bad file, a "
                         "bad place to write or bad input; 3 an internal error; 130 interrupted; 141 standard output "
                         "closed by its reader; 143 terminated.\n\nExample: warrants new my.xlsx; "
                         "warrants check workbooks/")


out = launch.out
err = launch.err

catalog = None   # the catalog the recalculation calls, passed in: addin.excel.catalog, loaded by _catalog()


def _catalog():
    """The catalog, imported by the commands that recalculate (~0.05 s with the engine, which
    `warrants --help` or `samples` need not spend)."""
    global catalog
    if catalog is None:
        with launch.lasting():
            from addin.excel import catalog as module  # noqa: PLC0415
        catalog = module
    return catalog

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
EXIT_CODES = ("Exit codes: 0 ok; 1 a check failed or there was nothing to check; 2 a bad file, a bad place to "
              "write or bad input (one line on standard error); 3 an internal error; 130 interrupted; "
              "141 standard output closed by its reader; 143 terminated.")


def _epilog(*examples: str) -> str:
    """Every command's --help ends with its exit codes and an example."""
    return EXIT_CODES + "".join(f"\n\nExample: {e}" for e in examples)



def _fail(message: str, code: int = 2) -> "typer.Exit":
    launch.report_error(message, err)
    return typer.Exit(code)


def _show(v: object, number_format: str | None = None) -> str:
    v = json_value(v)
    if isinstance(v, (int, float)) and not isinstance(v, bool) and number_format:
        # "#,##0.00" -> 2 places; "#,##0.######" -> up to 6; "0.000000000000" -> 12
        m = re.match(r"^[#,0]*0(?:\.([0#]+))?$", number_format.split(";")[0])
        if m:
            places = m.group(1) or ""
            fixed, optional = places.count("0"), len(places)
            text = f"{v:,.{optional}f}" if optional else f"{v:,.0f}"
            if optional > fixed and "." in text:
                text = text.rstrip("0")
                whole, _, frac = text.partition(".")
                text = whole + ("." + frac.ljust(fixed, "0") if frac or fixed else "")
            return text
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return f"{v:,.10g}" if abs(v) >= 1e-4 or v == 0 else repr(v)
    if isinstance(v, int):
        return f"{v:,}"
    return "" if v is None else str(v)


# ----------------------------------------------------------------------------- findings

@dataclass
class Finding:
    where: str          # Sheet!A1
    what: str           # FALSE | error text | exception | why unsupported
    label: str = ""
    kind: str = "error"   # "failed check" | "error" | "unsupported"


@dataclass
class BookReport:
    path: Path
    checks: int = 0
    passed: int = 0
    formulas: int = 0
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None     # a bad file (exit 2)


def check_cells(wb) -> list[tuple[str, int, int]]:
    """Check cells: formula cells under a header cell that reads ``Check`` (down to the first blank)."""
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.strip().lower() == "check":
                    r = cell.row + 1
                    while True:
                        below = ws.cell(row=r, column=cell.column).value
                        if below is None:
                            break
                        if _is_formula(below):
                            found.append((ws.title, r, cell.column))
                        r += 1
    return found


def _is_formula(v) -> bool:
    from openpyxl.worksheet.formula import ArrayFormula  # noqa: PLC0415
    return isinstance(v, ArrayFormula) or (isinstance(v, str) and v.startswith("=") and len(v) > 1)


def _label(wb, sheet: str, row: int) -> str:
    ws = wb[sheet]
    v = ws.cell(row=row, column=1).value
    return v if isinstance(v, str) and not v.startswith("=") else ""


def evaluate_checks(wb, result: Recalc, path: Path) -> BookReport:
    """Failed checks (a check cell not TRUE), errors (an error value or a ``#WARRANT:`` text in
    any formula or spilled cell, an exception inside a catalog function) and unsupported cells
    (a value this recalculation cannot compute exactly as Excel does), each with its cell."""
    report = BookReport(path, formulas=len(result.formula_cells))
    checks = check_cells(wb)
    report.checks = len(checks)
    seen = set()
    for key in checks:
        v = result.values.get(key)
        seen.add(key)
        if v is True:
            report.passed += 1
        elif key in result.unsupported:
            report.findings.append(Finding(cell_key(*key), f"unsupported: {result.unsupported[key]}",
                                           _label(wb, key[0], key[1]), "unsupported"))
        else:
            report.findings.append(Finding(cell_key(*key), _show(v) if v is not None else "blank",
                                           _label(wb, key[0], key[1]), "failed check"))
    for key in result.cells():
        if key in seen:
            continue
        v = result.values.get(key)
        if key in result.unsupported:
            report.findings.append(Finding(cell_key(*key), f"unsupported: {result.unsupported[key]}",
                                           _label(wb, key[0], key[1]), "unsupported"))
        elif isinstance(v, XLError) or (isinstance(v, str) and v.startswith("#WARRANT")):
            report.findings.append(Finding(cell_key(*key), str(v), _label(wb, key[0], key[1])))
    for exc in result.exceptions:
        report.findings.append(Finding(f"{exc.sheet}!{exc.cell}", f"exception in {exc.function}: {exc.message}"))
    return report


# ----------------------------------------------------------------------------- commands

def _load(path: Path):
    try:
        return load_book(path)
    except BookError as exc:
        raise _fail(str(exc)) from None


MAX_ROWS = 40   # the fallback table (no KeyResults range) shows this many formula cells


@dataclass
class KeyRow:
    label: str
    where: str
    value: object
    number_format: str | None = None
    on: str = ""            # the date the figure is on: "As Of 2004-12-31", "Exercise Date 2004-06-15", ""


def _key_results(wb, result: Recalc) -> tuple[list[KeyRow], int]:
    """The ``KeyResults`` named range (label | value), else the first formula and spilled cells.

    Returns the rows and how many cells the fallback table left out."""
    from addin.recalc.bookio import named_range  # noqa: PLC0415
    from addin.recalc import parse_area as _parse_area, split_sheet as _split_sheet  # noqa: PLC0415
    dates = _DateTracer(wb, result)
    target = named_range(wb, "KeyResults")
    rows: list[KeyRow] = []
    if target:
        sheet, area = _split_sheet(target.lstrip("="))
        bounds = _parse_area(area) if sheet else None
        if bounds and sheet in wb.sheetnames:
            r1, c1, r2, c2 = bounds
            ws = wb[sheet]
            # over the used area only, and at most KEY_RESULTS_MAX rows (a name over a million rows)
            r2 = min(r2, max(ws.max_row, max((k[1] for k in result.cells() if k[0] == sheet), default=0)),
                     r1 + KEY_RESULTS_MAX - 1)
            for r in range(r1, r2 + 1):
                label = ws.cell(row=r, column=c1).value
                key = (sheet, r, c2)
                cell = ws.cell(row=r, column=c2)
                v = result.values[key] if key in result.values else cell.value
                rows.append(KeyRow(str(label or ""), cell_key(*key), v, cell.number_format, dates.on(key)))
            return rows, 0
    cells = result.cells()
    for key in cells[:MAX_ROWS]:
        rows.append(KeyRow(cell_label(wb, result, key), cell_key(*key), result.values.get(key), None,
                           dates.on(result.spilled.get(key, key))))
    return rows, max(0, len(cells) - MAX_ROWS)


def _text(v) -> str:
    return v.strip() if isinstance(v, str) and not v.startswith("=") else ""


def cell_label(wb, result: Recalc, key: tuple[str, int, int]) -> str:
    """A cell's label: its row's column-A text; a spilled cell adds its spill's row and column heads."""
    sheet, r, c = key
    row_label = _label(wb, sheet, r)
    anchor = result.spilled.get(key)
    if anchor is None:
        return row_label
    _s, ar, ac = anchor
    head = result.values.get((sheet, ar, c)) if (sheet, ar, c) in result.values else None
    first = result.values.get((sheet, r, ac)) if (sheet, r, ac) in result.values else None
    parts = [p for p in (row_label, _text(first) if c != ac else "", _text(head) if r != ar else "") if p]
    return " / ".join(dict.fromkeys(parts))


class _DateTracer:
    """Which date a figure is on: follow its formula's references to the AsOf and Exercise ranges."""

    _CELL = r"\$?([A-Z]{1,3})\$?(\d+)"
    _REF = re.compile(r"(?:(?:'((?:[^']|'')+)'|([A-Za-z_][\w.]*))!)?\b" + _CELL + r"(?::" + _CELL + r")?\b")
    MAX_AREA = 5000   # cells of one referenced area followed (a whole-register range is not walked)

    def __init__(self, wb, result: Recalc) -> None:
        from addin.recalc.bookio import named_range  # noqa: PLC0415
        self.wb, self.result = wb, result
        self.names = {}
        self.as_of_named = named_range(wb, "AsOf") is not None
        as_of = self._named_value("AsOf", named_range)
        self.dates: dict[str, str] = {}
        if as_of not in (None, ""):
            self.names["asof"] = "AsOf"
            self.dates["AsOf"] = _day(as_of)
        exercise = self._exercise_date(named_range)
        if exercise not in (None, ""):
            self.names["exercise"] = "Exercise"
            self.dates["Exercise"] = _day(exercise)
        self._seen: dict[tuple[str, int, int], frozenset[str]] = {}

    def _named_value(self, name, named_range):
        from addin.recalc import parse_area as _parse_area, split_sheet as _split_sheet  # noqa: PLC0415
        target = named_range(self.wb, name)
        if not target:
            return None
        sheet, area = _split_sheet(target.lstrip("="))
        bounds = _parse_area(area) if sheet else None
        if not bounds or sheet not in self.wb.sheetnames:
            return None
        r1, c1, r2, c2 = bounds
        return [[self._value((sheet, r, c)) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)] \
            if (r1, c1) != (r2, c2) else self._value((sheet, r1, c1))

    def _exercise_date(self, named_range):
        grid = self._named_value("Exercise", named_range)
        if isinstance(grid, list):
            for row in grid:
                for i, v in enumerate(row[:-1]):
                    if isinstance(v, str) and v.strip().lower() == "exercise date":
                        return row[i + 1]
        return None

    def _value(self, key):
        if key in self.result.values:
            return self.result.values[key]
        return self.wb[key[0]].cell(row=key[1], column=key[2]).value

    def _formula(self, key) -> str:
        sheet, r, c = key
        if sheet not in self.wb.sheetnames:
            return ""
        v = self.wb[sheet].cell(row=r, column=c).value
        v = getattr(v, "text", v)
        return v if isinstance(v, str) and v.startswith("=") else ""

    def _depends(self, key, depth: int = 0) -> frozenset[str]:
        if key in self._seen:
            return self._seen[key]
        self._seen[key] = frozenset()
        formula = self._formula(key)
        found = {n for n in self.names if re.search(rf"\b{n}\b", formula, re.IGNORECASE)}
        if depth < 8:
            from addin.recalc.xlutils import column_index_from_string  # noqa: PLC0415
            for m in self._REF.finditer(re.sub(r'"[^"]*"', "", formula)):
                sheet = (m.group(1) or "").replace("''", "'") or m.group(2) or key[0]
                r1, c1 = int(m.group(4)), column_index_from_string(m.group(3))
                r2, c2 = (int(m.group(6)), column_index_from_string(m.group(5))) if m.group(5) else (r1, c1)
                if (r2 - r1 + 1) * (c2 - c1 + 1) > self.MAX_AREA:
                    continue
                for r in range(r1, r2 + 1):
                    for c in range(c1, c2 + 1):
                        found |= self._depends((sheet, r, c), depth + 1)
                        if len(found) == len(self.names):
                            break
        self._seen[key] = frozenset(found)
        return self._seen[key]

    def on(self, key) -> str:
        return "; ".join(self.names[n] for n in ("asof", "exercise") if n in self._depends(key))


def _day(v) -> str:
    if isinstance(v, _dt.datetime):
        return v.date().isoformat() if v.time() == _dt.time() else v.isoformat(sep=" ", timespec="minutes")
    if isinstance(v, _dt.date):
        return v.isoformat()
    return str(v)


def _preset(wb) -> str | None:
    """The Terms range's Preset value, if any (so the table says whose figures filled the gaps)."""
    from addin.recalc.bookio import named_range  # noqa: PLC0415
    from addin.recalc import parse_area as _parse_area, split_sheet as _split_sheet  # noqa: PLC0415
    target = named_range(wb, "Terms")
    sheet, area = _split_sheet((target or "").lstrip("="))
    bounds = _parse_area(area) if sheet else None
    if not bounds or sheet not in wb.sheetnames:
        return None
    r1, c1, r2, c2 = bounds
    ws = wb[sheet]
    for r in range(r1, r2 + 1):
        for c in range(c1, c2):
            v = ws.cell(row=r, column=c).value
            if isinstance(v, str) and v.strip().lower() == "preset":
                p = ws.cell(row=r, column=c + 1).value
                return str(p).strip() if p not in (None, "") else None
    return None


def _print_table(book: Path, wb, result: Recalc, rows: list[KeyRow], left_out: int) -> None:
    tracer = _DateTracer(wb, result)
    as_of = (f"As Of {tracer.dates['AsOf']}" if "AsOf" in tracer.dates
             else "As Of blank" if tracer.as_of_named else "no range named AsOf")
    preset = _preset(wb)
    out.print(shown(f"{book.name}: {as_of}" + (f"; terms preset {preset}" if preset else "")), markup=False,
              soft_wrap=True)
    dated = {part for r in rows if r.on for part in r.on.split("; ")}
    from rich.table import Table  # noqa: PLC0415
    from rich.text import Text  # noqa: PLC0415 - cell text is shown as it is, never read as markup
    table = Table(title=Text(shown(f"{book.name}: key results")), title_justify="left")
    table.add_column("Item", min_width=24)
    table.add_column("Cell", style="dim", no_wrap=True)
    if dated:
        table.add_column("On", no_wrap=True)
    table.add_column("Value", justify="right", max_width=max(12, out.width - 65))
    for r in rows:
        cells = [r.label, r.where] + ([r.on.replace("; ", "+")] if dated else []) + [_show(r.value, r.number_format)]
        table.add_row(*(Text(shown(c)) for c in cells))
    out.print(table)
    if len(dated) > 1:
        words = {"AsOf": "AsOf = As Of", "Exercise": "Exercise = the Exercise Date"}
        out.print("Figures are on different dates (the On column says which): "
                  + "; ".join(f"{words[d]} {tracer.dates[d]}" for d in sorted(dated)) + ".", markup=False,
                  soft_wrap=True)
    if left_out:
        out.print(f"... and {left_out:,} more cell{'s' if left_out != 1 else ''} not shown (the first {MAX_ROWS} "
                  f"are; name a KeyResults range to choose, or use --json for all).", markup=False, soft_wrap=True)


KEY_RESULTS_MAX = 200

CAPS_HELP = (f"Caps: a book is refused (exit 2) when one part of the file inflates beyond "
             f"{CAPS.max_part_bytes // 2**20:,} MiB, all parts beyond {CAPS.max_total_bytes // 2**20:,} MiB, or its "
             f"sheets' used areas exceed {CAPS.max_cells:,} cells; a formula reading or producing more than "
             f"{CAPS.max_range_cells:,} cells gets #VALUE! in that cell only (reported as unsupported).")


TIME_LIMIT_OPTION = typer.Option(
    120.0, "--time-limit", min=0, metavar="SECONDS",
    help="Stop a recalculation (of each book) that passes this many seconds, loading and a values copy's writing "
         "included, with one line naming the cell it was on (exit 2; no copy written); 0: no limit.")
NOW_OPTION = typer.Option(
    None, "--now", metavar="DATE[THH:MM[:SS]]",
    help="Pin TODAY() and NOW() to this date or date-time (2024-01-10, 2024-01-10T18:00), so that results do not "
         "change from run to run; default: this computer's clock.")


def _parse_now(text: str | None) -> _dt.datetime | None:
    """``--now``'s date or local date-time (no time zone: TODAY and NOW are the book's local time)."""
    if text is None:
        return None
    try:
        moment = _dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise _fail(f"--now {text!r}: expected a date YYYY-MM-DD or a date-time YYYY-MM-DDTHH:MM[:SS]") from None
    if moment.tzinfo is not None:
        raise _fail(f"--now {text!r}: give the local date-time without a time zone (TODAY and NOW have none)")
    if not 1900 <= moment.year <= 9999:
        raise _fail(f"--now {text!r}: Excel's dates run from 1900 to 9999")
    return moment


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


@app.command(short_help="Recalculate a workbook headless and print its key results (or -o a values copy).",
             help="Recalculate BOOK headless and print its key results (the KeyResults named range, else "
                   "the first formula cells). A values copy (-o) is written atomically: a new regular .xlsx file "
                   "(macro-free) or, of an .xlsm, .xlsm; an existing output that is not a regular file is refused. "
                   + CAPS_HELP,
             epilog=_epilog("warrants recalc workbooks/performance_warrant_d1.xlsx",
                            "warrants recalc my.xlsx -o my.values.xlsx --json > values.json"))
def recalc(book: Path = typer.Argument(..., help="Workbook (.xlsx/.xlsm) to recalculate; never modified."),
           output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write a values copy here (atomically)."),
           as_json: bool = typer.Option(False, "--json", help="Print only a JSON object {\"Sheet!A1\": value}."),
           time_limit: float = TIME_LIMIT_OPTION, now: Optional[str] = NOW_OPTION):
    pinned = _parse_now(now)
    catalog = _catalog()
    started = monotonic()                 # --time-limit counts the recalculation and the copy together
    if output is not None:
        if _same_file(book, output):
            raise _fail(f"{output}: refusing to overwrite the input workbook")
        try:
            check_output(output, book)
        except BookError as exc:
            raise _fail(str(exc)) from None
    try:
        with _stage(book, "reading and recalculating"):
            with launch.lasting():                                    # the process ends with the book
                wb, result = recalc_file(book, catalog, read_only=True,   # the values copy streams from the file
                                         time_limit=time_limit or None, now=pinned)
    except BookError as exc:
        raise _fail(str(exc)) from None
    rows, left_out = ([], 0) if as_json else _key_results(wb, result)
    if output is not None:
        from addin.recalc.values_copy import copy_values  # noqa: PLC0415
        try:
            with _stage(book, f"writing {output.name}"):
                copy_values(book, result, output,     # part by part; the input file is only read
                            time_limit=time_limit or None, started=started)
        except BookError as exc:
            raise _fail(str(exc)) from None
        except OSError as exc:
            raise _fail(f"{output}: cannot write ({exc.strerror or exc})") from None
    if as_json:
        launch.print_json(result, err)       # standard output stays one JSON object
        _report_cut_tables(book, wb)         # issue 18: on standard error
        return
    _print_table(book, wb, result, rows, left_out)
    errors = error_cells(result)
    out.print(shown(f"{len(result.formula_cells)} formulas, {len(result.spilled)} spilled cells"
                    + (f", {errors} error cell{'s' if errors != 1 else ''}" if errors else "")
                    + (f", {len(result.unsupported)} unsupported" if result.unsupported else "")
                    + (f", values copy written to {output}" if output else "")), markup=False, soft_wrap=True)
    for line in ignored_events(wb, result):
        out.print(shown(line), markup=False, soft_wrap=True)
    launch.print_notes(result, err)
    _report_cut_tables(book, wb)


def error_cells(result: Recalc) -> int:
    """Formula and spilled cells holding an error value or a ``#WARRANT:`` text."""
    return sum(1 for key in result.cells() if isinstance(v := result.values.get(key), XLError)
               or (isinstance(v, str) and v.startswith("#WARRANT")))


def _report_cut_tables(book: Path, wb) -> None:
    from addin.documents import tables  # noqa: PLC0415
    for line in tables.cut_table_warnings(wb, book):
        err.print(line, markup=False, soft_wrap=True)


def ignored_events(wb, result: Recalc) -> list[str]:
    """The events of the ranges named Terms and Events dated before the Issue Date (§4: not
    adjustments, ignored), one summary line; nothing when the book has no such ranges or they
    do not parse (the cells that use them say why)."""
    from addin.excel import convert as cv  # noqa: PLC0415
    from addin.recalc.bookio import named_range  # noqa: PLC0415
    tracer = _DateTracer(wb, result)
    terms_raw = tracer._named_value("Terms", named_range)
    events_raw = tracer._named_value("Events", named_range)
    if not isinstance(terms_raw, list) or not isinstance(events_raw, list):
        return []
    try:
        terms = cv.parse_terms(terms_raw, date1904=result.date1904)
        rows = cv.event_rows(events_raw, date1904=result.date1904)
    except ValueError:
        return []
    issue = terms.issue_date
    before = [r for r in rows if isinstance(r.get("date"), _dt.date) and _as_day(r["date"]) < issue]
    if not before:
        return []
    listed = ", ".join(f"row {r['row']} ({_as_day(r['date'])} {r.get('event') or ''})".replace(" )", ")")
                       for r in before[:10])
    more = f" and {len(before) - 10} more" if len(before) > 10 else ""
    return [f"{len(before)} event{'s' if len(before) != 1 else ''} before the Issue Date {issue} ignored "
            f"(not adjustments): Events {listed}{more}"]


def _as_day(v) -> _dt.date:
    return v.date() if isinstance(v, _dt.datetime) else v


def _stage(book: Path, what: str):
    """Progress of one long step on standard error, only on a terminal (a spinner naming the step)."""
    if not err.is_terminal:
        return contextlib.nullcontext()
    return err.status(f"{book.name}: {what}", spinner="line")


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(f for f in p.iterdir()
                                if f.suffix.lower() in WORKBOOK_SUFFIXES and not f.name.startswith("~$")))
        else:
            files.append(p)
    return files


def _markup_safe(text: object) -> str:
    """``text`` for a line printed with rich markup: control characters escaped, brackets literal."""
    from rich.markup import escape  # noqa: PLC0415
    return escape(shown(text))


def check_book(path: Path, *, time_limit: float | None = None, now: _dt.datetime | None = None) -> BookReport:
    catalog = _catalog()
    try:
        wb, result = recalc_file(path, catalog, read_only=True, time_limit=time_limit, now=now)
    except BookError as exc:
        return BookReport(path, error=str(exc))
    report = evaluate_checks(wb, result, path)
    from addin.documents import tables  # noqa: PLC0415
    for cut in tables.cut_tables(wb):     # issue 18: a table cut to its first cell fails the book
        report.findings.append(Finding(cut.where, f"{tables.cut_message(cut)}; {tables.fix_hint(path)}",
                                       "", CUT_TABLE))
    return report


CUT_TABLE = "cut table"
FINDING_KINDS = ("failed check", "error", "unsupported", CUT_TABLE)


@app.command(short_help="Recalculate workbooks and report every failed check, error and unsupported cell.",
             help="Recalculate each workbook and report its failed checks (a cell under a 'Check' header that "
                   "is not TRUE), errors and unsupported cells, each with its sheet and cell. Exit 0 when all pass, "
                   "1 when any check fails, any cell is an error or unsupported, or a book has nothing to check "
                   "(no formulas: a values copy), 2 when a file cannot be read. " + CAPS_HELP,
             epilog=_epilog("warrants check workbooks/", "warrants check my.xlsx other.xlsx"))
def check(paths: List[Path] = typer.Argument(None, help="Workbooks or folders (default: the sample workbooks)."),
          time_limit: float = TIME_LIMIT_OPTION, now: Optional[str] = NOW_OPTION):
    pinned = _parse_now(now)
    options = {"time_limit": time_limit or None, "now": pinned}       # each book gets the whole limit
    paths = paths or [sample_folder()]
    files = _expand(paths)
    if not files:
        raise _fail(f"no workbooks found in {', '.join(map(str, paths))}")
    reports: list[BookReport] = []
    if len(files) > 1 and err.is_terminal:      # progress only on a terminal (a disabled one still prints
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: PLC0415 - a newline
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=err.made() if isinstance(err, launch.Console) else err,
                      transient=True) as progress:                # before rich 14.3)
            task = progress.add_task("checking", total=len(files))
            for f in files:
                progress.update(task, description=f"checking {f.name}")
                reports.append(check_book(f, **options))
                progress.advance(task)
    else:
        reports.extend(check_book(f, **options) for f in files)
    failed = bad = 0
    for rep in reports:
        if rep.error:
            bad += 1
            launch.report_error(rep.error, err)
            continue
        if not rep.formulas:
            failed += 1
            out.print(f"[red]FAIL[/red] {_markup_safe(rep.path)}: nothing to check (no formulas: a values copy?)",
                      soft_wrap=True)
            continue
        if rep.findings:
            failed += 1
            kinds = [(k, sum(1 for f in rep.findings if f.kind == k)) for k in FINDING_KINDS]
            summary = ", ".join(f"{n} {k}{'s' if n > 1 else ''}" for k, n in kinds if n)
            out.print(f"[red]FAIL[/red] {_markup_safe(rep.path)}: {rep.passed}/{rep.checks} checks pass; {summary}",
                      soft_wrap=True)
            for line in finding_lines(rep.findings):
                out.print(shown(line), markup=False, soft_wrap=True)
        else:
            out.print(f"[green]ok[/green]   {_markup_safe(rep.path)}: {rep.passed}/{rep.checks} checks pass",
                      soft_wrap=True)
    if bad:
        raise typer.Exit(2)
    if failed:
        raise typer.Exit(1)


CELLS_LISTED = 12     # cells named after one distinct message; the rest are counted


def finding_lines(findings: list[Finding]) -> list[str]:
    """One line per distinct message (kind and text), with every cell it is in (issue 18: a message
    repeated in 120 cells is printed once); a failed check keeps one line per cell, with its label."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in sorted(findings, key=lambda f: FINDING_KINDS.index(f.kind)):
        key = (f.kind, f.where if f.kind == "failed check" else f.what)
        groups.setdefault(key, []).append(f)
    lines = []
    for (kind, _key), group in groups.items():
        what = group[0].what
        if len(group) == 1:
            f = group[0]
            lines.append(f"  {kind}: {f.where}: {what}" + (f"  ({f.label})" if f.label else ""))
            continue
        cells = ", ".join(f.where for f in group[:CELLS_LISTED])
        more = f" and {len(group) - CELLS_LISTED:,} more" if len(group) > CELLS_LISTED else ""
        lines.append(f"  {kind} in {len(group):,} cells ({cells}{more}): {what}")
    return lines


def _macros():
    try:
        from addin.documents import macros  # noqa: PLC0415
    except ImportError as exc:
        raise _fail(f"the add-in macros are not available ({exc})") from None
    return macros


def _default_out(book: Path, suffix: str) -> Path:
    return book.with_name(f"{book.stem}.{suffix}{book.suffix}")


def _parse_date(text: str | None) -> _dt.date | None:
    if text is None:
        return None
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise _fail(f"--as-of {text!r}: expected a date YYYY-MM-DD") from None


def _run_macro(book: Path, output: Optional[Path], pdf: Optional[Path], suffix: str, names: tuple[str, ...],
               make) -> None:
    """Build the document once; write it as a sheet on a copy of BOOK (-o, the default) and/or as a PDF."""
    catalog = _catalog()
    if pdf is None and output is None:
        output = _default_out(book, suffix)
    for target in (output, pdf):
        if target is not None and _same_file(book, target):
            raise _fail(f"{target}: refusing to overwrite the input workbook")
    if pdf is not None and pdf.suffix.lower() != ".pdf":
        raise _fail(f"--pdf {pdf}: the file name must end in .pdf")
    if output is not None:
        _check_place(output)
    if pdf is not None:
        _check_place(pdf)
    with _stage(book, "reading"):
        wb = _load(book)
    try:
        require_names(wb, names, book)
    except BookError as exc:
        raise _fail(str(exc)) from None
    macros = _macros()
    # formula cells in the named ranges are read through the headless recalculation
    with _stage(book, "recalculating"):
        result = recalc_workbook(wb, catalog)
    values = {cell_key(*k): (str(v) if isinstance(v, XLError) else v) for k, v in result.values.items()}
    adapter = macros.OpenpyxlBook(wb, values)
    try:
        doc, fp = make(macros, adapter)
    except ValueError as exc:   # engine.WarrantError: bad inputs in the sheet, one line
        raise _fail(f"{book}: {' '.join(str(exc).split())}") from None
    if pdf is not None:
        try:
            with _stage(book, f"writing {pdf.name}"):
                _write_output(pdf, lambda tmp: macros.write_pdf(doc, tmp, fp))
        except ValueError as exc:      # addin.documents.UnprintableText: names the character
            raise _fail(f"{pdf}: not written: {exc}") from None
        out.print(shown(f"wrote {pdf}"), markup=False)
    if output is not None:
        name = macros.write_sheet(adapter, doc, suffix.replace("-", " ").title())
        try:
            save_atomic(wb, output)
        except BookError as exc:
            raise _fail(str(exc)) from None
        except OSError as exc:
            raise _fail(f"{output}: cannot write ({exc.strerror or exc})") from None
        out.print(shown(f"wrote {output} (new sheet {name})"), markup=False)


_PDF_HELP = "Also write the document as a print-ready PDF here (without -o, only the PDF is written)."


@app.command(epilog=_epilog("warrants certificate workbooks/performance_warrant_d1.xlsx --as-of 2004-06-15 "
                            "--pdf certificate.pdf"))
def certificate(book: Path = typer.Argument(..., help="Workbook with named ranges Terms, Events, AsOf."),
                as_of: Optional[str] = typer.Option(None, "--as-of", help="Date YYYY-MM-DD (default: AsOf)."),
                output: Optional[Path] = typer.Option(None, "-o", "--output",
                                                      help="Output workbook (default BOOK.certificate.xlsx)."),
                pdf: Optional[Path] = typer.Option(None, "--pdf", help=_PDF_HELP)):
    """Write the §4(i) officer's certificate of adjustment on a copy of BOOK and/or as a PDF."""
    when = _parse_date(as_of)
    _run_macro(book, output, pdf, "certificate", ("Terms", "Events", "AsOf"),
               lambda m, b: m.certificate_document(b, when))


@app.command("purchase-form", epilog=_epilog("warrants purchase-form workbooks/performance_warrant_d1.xlsx "
                                             "--pdf exhibit-a.pdf"))
def purchase_form(book: Path = typer.Argument(..., help="Workbook with named ranges Terms, Exercise (Market)."),
                  output: Optional[Path] = typer.Option(None, "-o", "--output",
                                                        help="Output workbook (default BOOK.purchase-form.xlsx)."),
                  pdf: Optional[Path] = typer.Option(None, "--pdf", help=_PDF_HELP)):
    """Fill in the Exhibit A purchase form on a copy of BOOK and/or as a PDF."""
    _run_macro(book, output, pdf, "purchase-form", ("Terms", "Exercise"), lambda m, b: m.purchase_form_document(b))


@app.command(epilog=_epilog("warrants new my_warrant.xlsx", "warrants new d1_copy.xlsx --preset D-1",
                            "warrants new w7.xlsx --terms terms.csv --events events.csv"))
def new(output: Path = typer.Argument(..., help="The workbook to write (.xlsx); an existing file is refused."),
        preset: Optional[str] = typer.Option(None, "--preset",
                                             help="D-1: the Preset term set to D-1, plus Tests and Facts ranges."),
        terms_csv: Optional[Path] = typer.Option(None, "--terms", help="Fill the terms from a CSV of Label,Value "
                                                                        "rows (the Warrant sheet's labels)."),
        events_csv: Optional[Path] = typer.Option(None, "--events", help="Fill the Events table from a CSV: a "
                                                                          "header of Events columns (Date,Event,"
                                                                          "...), one row per event.")):
    """Write a starter workbook: the terms block, events table, exercise, answers and a How to use sheet."""
    from addin.documents import starter  # noqa: PLC0415
    if output.suffix.lower() != ".xlsx":
        raise _fail(f"{output}: the file name must end in .xlsx")
    if os.path.lexists(output):          # lexists: a dangling symbolic link is refused too
        raise _fail(f"{output}: exists; refusing to overwrite it (choose another name)")
    if preset is not None and preset.upper() not in starter.PRESETS:
        raise _fail(f"--preset {preset!r}: known presets are {', '.join(starter.PRESETS)}")
    terms, events = _csv_inputs(starter, terms_csv, events_csv)
    _write_output(output, lambda tmp: starter.new_workbook(tmp, preset=preset.upper() if preset else None,
                                                          terms=terms, events=events), new=True)
    out.print(shown(f"wrote {output}") + ": type the terms on the Warrant sheet, then the events; "
              "see its How to use sheet", markup=False, soft_wrap=True)


@app.command(epilog=_epilog("warrants repair filled.xlsx -o repaired.xlsx"))
def repair(book: Path = typer.Argument(..., help="Workbook whose tables were cut to one cell; never modified."),
           output: Path = typer.Option(..., "-o", "--output", help="The repaired copy to write (atomically).")):
    """Rewrite catalog table functions stored as single-cell formulas as dynamic arrays, on a copy."""
    from addin.documents import tables  # noqa: PLC0415
    if _same_file(book, output):
        raise _fail(f"{output}: refusing to overwrite the input workbook")
    if output.suffix.lower() != book.suffix.lower():
        raise _fail(f"{output}: the copy keeps the workbook's type; the file name must end in {book.suffix}")
    try:
        check_output(output, book)
    except BookError as exc:
        raise _fail(str(exc)) from None
    wb = _load(book)
    cuts = tables.repair(wb)
    try:
        tables.save_repaired(wb, output, cuts)
    except BookError as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:
        raise _fail(f"{output}: cannot write ({exc.strerror or exc})") from None
    for cut in cuts:
        out.print(f"repaired {cut.where}: {cut.formula}", markup=False, soft_wrap=True)
    out.print(f"wrote {output}: {len(cuts)} table formula{'s' if len(cuts) != 1 else ''} rewritten as dynamic "
              f"arrays", markup=False, soft_wrap=True)


def _csv_inputs(starter, terms_csv: Optional[Path], events_csv: Optional[Path]):
    """The --terms and --events files read (None when not given); a bad file is one line, exit 2."""
    try:
        terms = starter.read_terms_csv(terms_csv) if terms_csv is not None else None
        events = starter.read_events_csv(events_csv) if events_csv is not None else None
    except starter.CsvError as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:
        raise _fail(f"{exc.filename}: cannot read ({exc.strerror or exc})") from None
    return terms, events


@app.command("import-ocf", epilog=_epilog(
    "warrants import-ocf acme.ocf.zip --warrant W-1 -o w1.xlsx --set Anti-Dilution=BROAD_WEIGHTED_AVERAGE",
    "warrants import-ocf acme/ --all-warrants -o register.xlsx"))
def import_ocf(path: Path = typer.Argument(..., help="An OCF package: a folder with a manifest, a .zip of one, or a "
                                                     "single transactions file; never modified."),
               warrant: Optional[str] = typer.Option(None, "--warrant", help="The warrant's OCF security_id (or "
                                                                             "custom_id)."),
               output: Path = typer.Option(..., "-o", "--output", help="The workbook to write (.xlsx); an existing "
                                                                       "file is refused."),
               settings: List[str] = typer.Option([], "--set", help="LABEL=VALUE: a term OCF lacks, e.g. "
                                                                    "Anti-Dilution=FULL_RATCHET (repeatable)."),
               all_warrants: bool = typer.Option(False, "--all-warrants", help="Also a Register sheet of every "
                                                                              "warrant of the company."),
               as_of: Optional[str] = typer.Option(None, "--as-of", help="The book's As Of (default: the "
                                                                         "manifest's as_of)."),
               skip_invalid: bool = typer.Option(False, "--skip-invalid", help="Leave out items that fail their "
                                                                               "schema (listed on the OCF notes "
                                                                               "sheet) instead of refusing.")):
    """Read a company's equity history from Open Cap Table Format into a warrant workbook (docs/ocf.md)."""
    from addin import ocf  # noqa: PLC0415
    if output.suffix.lower() != ".xlsx":
        raise _fail(f"{output}: the file name must end in .xlsx")
    _check_place(output)
    done = []
    try:
        _write_output(output, lambda tmp: done.append(ocf.import_ocf(
            path, tmp, warrant=warrant, settings=settings, all_warrants=all_warrants, as_of=_parse_date(as_of),
            skip_invalid=skip_invalid)), new=True)
    except ocf.OcfError as exc:
        for line in str(exc).splitlines():
            launch.report_error(line, err)
        raise typer.Exit(2) from None
    done = done[0]
    m = done.mapped
    confirm = sum(1 for r in m.rows if r.confirm)
    for w in done.warnings:
        err.print(f"warrants: warning: {w}", markup=False, soft_wrap=True)
    out.print(f"wrote {output}: warrant {m.terms.get('Warrant')}, {len(m.rows)} events, {len(m.notes)} OCF objects "
              f"on the OCF notes sheet" + (f", {confirm} rows to confirm" if confirm else "")
              + (f", required: {', '.join(m.required)}" if m.required else "")
              + (f"; Register of {1 + len(done.others)} warrants" if done.others else ""), markup=False, soft_wrap=True)


@app.command("export-ocf", epilog=_epilog("warrants export-ocf w1.xlsx -o exercise/"))
def export_ocf(book: Path = typer.Argument(..., help="A workbook written by import-ocf, with its Exercise sheet "
                                                     "filled in; never modified."),
               output: Path = typer.Option(..., "-o", "--output", help="Folder to write the OCF transactions and "
                                                                       "the sidecar JSON into.")):
    """Write the book's exercise as OCF transactions, with the adjusted price, shares and trail in a sidecar JSON."""
    from addin import ocf  # noqa: PLC0415
    from addin.ocf import writer  # noqa: PLC0415
    try:
        files = writer.export_book(book, output)
    except ocf.OcfError as exc:
        for line in str(exc).splitlines():
            launch.report_error(line, err)
        raise typer.Exit(2) from None
    except BookError as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:
        raise _fail(f"{output}: cannot write ({exc.strerror or exc})") from None
    out.print(f"wrote {', '.join(str(f) for f in files)}", markup=False, soft_wrap=True)


def sample_folder() -> Path:
    """The sample workbooks: in an installed wheel ``addin/workbooks`` (package data, see setup.py),
    in a checkout the ``workbooks/`` folder beside ``addin/``."""
    addin_dir = Path(__file__).resolve().parents[1]
    for folder in (addin_dir / "workbooks", addin_dir.parent / "workbooks"):
        if any(folder.glob("*.xlsx")):
            return folder
    raise _fail("the sample workbooks are not installed (reinstall the warrants package)")


@app.command(epilog=_epilog("warrants samples my-samples"))
def samples(folder: Path = typer.Argument(..., help="Folder to copy the sample workbooks into (created if "
                                                    "missing; existing files are never replaced).")):
    """Copy the sample workbooks (D-1, a generic warrant, a reallocation, a register) into FOLDER."""
    books = sorted(sample_folder().glob("*.xlsx"))
    folder = _output_folder(folder)
    taken = [b.name for b in books if os.path.lexists(folder / b.name)]
    if taken:
        raise _fail(f"{folder}: already has {', '.join(taken)}; refusing to overwrite them (choose another folder)")
    for book in books:
        data = book.read_bytes()
        _write_output(folder / book.name, lambda tmp: tmp.write_bytes(data), new=True)
    out.print(f"wrote {len(books)} sample workbooks to {folder}: {', '.join(b.name for b in books)}", markup=False,
              soft_wrap=True)


def _check_place(path: Path) -> None:
    """The output place's checks (addin/safewrite.py), run before any slow work."""
    try:
        check_target(path)
    except OutputError as exc:
        raise _fail(str(exc)) from None


def _write_output(path: Path, write, *, new: bool = False) -> Path:
    """Write ``path`` through ``write(tmp)`` the safe way; a refused place or a failed write is one line
    (exit 2). ``new``: the file must not exist when it is moved into place (no replacing)."""
    try:
        if new and os.path.lexists(path):
            raise OutputError(f"{path}: exists; refusing to overwrite it")
        return write_atomic(path, write)
    except OutputError as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:
        raise _fail(f"{path}: cannot write ({exc.strerror or exc})") from None
    except Exception as exc:        # a writer's own wrapper of the OSError (XlsxWriter's FileCreateError)
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, OSError):
            raise _fail(f"{path}: cannot write ({cause.strerror or cause})") from None
        raise


def _output_folder(folder: Path) -> Path:
    """FOLDER for a command's outputs, created (one level, as ``mkdir`` does) if missing."""
    if os.path.lexists(folder) and not folder.is_dir():
        raise _fail(f"{folder}: not a folder")
    if not folder.parent.is_dir():
        raise _fail(f"{folder}: the folder {folder.parent} does not exist")
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise _fail(f"{folder}: cannot create the folder ({exc.strerror or exc})") from None
    return folder


def _version(value: bool) -> None:
    if value:
        import engine  # noqa: PLC0415
        from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415
        try:
            package = version("warrants")
        except PackageNotFoundError:   # run from a source tree that was never installed
            package = "not installed"
        out.print(f"warrants {package} (engine {engine.__version__})", markup=False)
        raise typer.Exit(0)


@app.callback()
def _options(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")) -> None:
    """Warrant workbooks headless: recalculate, check, certificate, purchase form, a new workbook."""


@app.command("lite")
def lite(folder: Path = typer.Argument(..., help="Folder to write main.py and requirements.txt into "
                                                 "(created if missing).")):
    """Write the xlwings Lite bundle (Mac, Excel on the web): main.py and requirements.txt for Lite's editor."""
    import base64
    import hashlib
    import io
    import zipfile

    import addin
    import engine
    from addin.excel import lite as lite_module

    targets = [folder / "main.py", folder / "requirements.txt"]
    if os.path.lexists(folder) and not folder.is_dir():
        raise _fail(f"{folder}: not a folder")
    if any(os.path.lexists(t) for t in targets):
        raise _fail(f"{folder}: already has main.py or requirements.txt; choose an empty folder")
    addin_dir, engine_dir = Path(addin.__file__).parent, Path(engine.__file__).parent
    files = [("engine/" + p.name, p) for p in sorted(engine_dir.glob("*.py"))]
    files += [("addin/" + n, addin_dir / n) for n in lite_module.ADDIN_CORE]
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as z:
        for arcname, path in files:  # fixed timestamps: the same sources give the same bundle
            z.writestr(zipfile.ZipInfo(arcname, date_time=(2000, 1, 1, 0, 0, 0)), path.read_bytes(),
                       compress_type=zipfile.ZIP_DEFLATED)
    data = packed.getvalue()
    text = base64.b64encode(data).decode("ascii")
    lines = "\n".join(text[i:i + 100] for i in range(0, len(text), 100))
    main_py = (
        f"# main.py for xlwings Lite, written by `warrants lite` (engine {engine.__version__}).\n"
        "# Paste this whole file into the main.py tab of the xlwings Lite editor and requirements.txt\n"
        "# into its requirements.txt tab (README, \"Mac and Excel on the web\").\n"
        "# The string below is a zip of these unmodified source files of the warrants package; it is\n"
        "# written to a temporary file and put on sys.path. The functions follow (addin/excel/lite.py).\n"
        + "".join(f"#   {arcname}\n" for arcname, _ in files)
        + "import base64 as _base64\nimport os as _os\nimport sys as _sys\nimport tempfile as _tempfile\n\n"
        f'_WARRANTS_ZIP = """\n{lines}\n"""\n\n\n'
        "def _unpack_warrants():\n"
        f'    path = _os.path.join(_tempfile.gettempdir(), "warrants-{hashlib.sha256(data).hexdigest()[:16]}.zip")\n'
        '    with open(path, "wb") as fh:\n'
        "        fh.write(_base64.b64decode(_WARRANTS_ZIP))\n"
        "    for name in [m for m in _sys.modules if m.split(\".\")[0] in (\"engine\", \"addin\")]:\n"
        "        del _sys.modules[name]  # a previous bundle's modules\n"
        '    _sys.path[:] = [p for p in _sys.path if "warrants-" not in _os.path.basename(p)]\n'
        "    _sys.path.insert(0, path)\n\n\n"
        "_unpack_warrants()\n\n"
        "# " + "-" * 75 + " addin/excel/lite.py\n"
        + (addin_dir / "excel" / "lite.py").read_text(encoding="utf-8"))
    _output_folder(folder)
    main_bytes = main_py.encode("utf-8")
    _write_output(targets[0], lambda tmp: tmp.write_bytes(main_bytes), new=True)
    _write_output(targets[1], lambda tmp: tmp.write_text("\n".join(lite_module.REQUIREMENTS) + "\n",
                                                          encoding="utf-8"), new=True)
    out.print(shown(f"wrote {targets[0]} ({len(main_bytes):,} bytes) and {targets[1]}"), markup=False, soft_wrap=True)


class Terminated(BaseException):
    """SIGTERM arrived: raised where the command is, so a file being written is cleaned up (addin/safewrite.py)."""


def _raise_terminated(signum, frame):
    raise Terminated


def main() -> None:
    """The one command front end: every outcome becomes an exit code and at most one line on
    standard error, never a traceback (see the module's docstring for the codes)."""
    if len(sys.argv) <= 1:          # a bare `warrants`: the help, on standard output, and no error line
        sys.argv.append("--help")
    if sys.stdout is None or sys.stdout.closed:     # started with standard output closed (`>&-`)
        launch.report_error("standard output is closed; nothing was done", err)
        sys.exit(2)
    previous = _on_sigterm(_raise_terminated)
    try:
        code = _run_app()
    finally:
        _on_sigterm(previous)
    sys.exit(code)


def _on_sigterm(handler):
    """Install ``handler`` for SIGTERM (only possible in the main thread); the previous one."""
    if handler is None:
        return None
    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:               # not the main thread (an embedding program): its own handling stays
        return None


def _run_app() -> int:
    try:
        try:
            code = _invoke()
        except typer.Exit as exc:
            code = exc.exit_code
        sys.stdout.flush()           # a full or closed standard output shows here, not at the interpreter's exit
        return code
    except BrokenPipeError:          # the reader went away (`| head -c 1`): end quietly, as Unix tools do
        _stdout_to_devnull()
        return 141
    except OutputError as exc:
        launch.report_error(str(exc), err)
        return 2
    except OSError as exc:           # the environment: a full disk, a read-only folder, standard output full
        _stdout_to_devnull()
        where = exc.filename if exc.filename is not None else "standard output" if _is_stdout_error(exc) else None
        launch.report_error(f"{where}: {exc.strerror or exc}" if where else f"{exc.strerror or exc}", err)
        return 2
    except KeyboardInterrupt:
        launch.interrupted(err)
        return 130
    except Terminated:
        launch.interrupted(err, "terminated")
        return 143
    except Exception as exc:  # click usage errors and anything unforeseen
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):   # click's usage errors
            launch.report_error(exc.format_message(), err)
            return 2
        if type(exc).__name__ == "Abort":
            return 1
        launch.internal_error(exc, err)
        return 3


def _invoke() -> int:
    """Parse the command line and run the command. Not through ``app()``: its own handler turns a
    closed pipe into exit 1 (a failed check here) and swaps ``sys.stdout``; the front end decides."""
    command = typer.main.get_command(app)
    plain_values(command)            # typer 0.29+: values needing no conversion skip pydantic (~0.06 s)
    with command.make_context("warrants", sys.argv[1:]) as ctx:
        code = command.invoke(ctx)
    return code if isinstance(code, int) else 0


def _is_stdout_error(exc: OSError) -> bool:
    import errno  # noqa: PLC0415
    return exc.errno in (errno.ENOSPC, errno.EPIPE, errno.EBADF, errno.EIO, errno.EDQUOT)


def _stdout_to_devnull() -> None:
    """Standard output can take nothing more: point its descriptor at /dev/null, so the
    interpreter's own final flush of what is still buffered has nowhere to fail."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):     # not a real file (a test's capture)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


if __name__ == "__main__":
    launch.command()
