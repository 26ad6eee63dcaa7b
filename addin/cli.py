"""The ``warrants`` command: recalculate, check and run the macros on workbooks headless.

    warrants recalc BOOK [-o OUT] [--json]
    warrants check [PATH ...]                    (default: workbooks/)
    warrants certificate BOOK [--as-of DATE] [-o OUT]
    warrants purchase-form BOOK [-o OUT]

Exit codes: 0 ok, 1 a check failed (FALSE, an error value, a ``#WARRANT:`` text
or an exception recorded inside a catalog function), 2 a bad file or bad
arguments (one line on standard error, never a traceback).
"""
from __future__ import annotations

import datetime as _dt
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table

from addin.bookio import BookError, load_book, require_names, save_atomic
from addin.recalc.bookio import CAPS, check_output
from addin.recalc import Recalc, XLError, cell_key, json_value, recalc_file, recalc_workbook, write_values

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Warrant workbooks headless: recalculate, check, certificate, purchase form.")
out = Console()
err = Console(stderr=True, highlight=False)

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def _fail(message: str, code: int = 2) -> "typer.Exit":
    err.print(f"warrants: error: {message}", markup=False, soft_wrap=True)
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


def _key_results(wb, result: Recalc) -> list[tuple[str, str, object, str | None]]:
    """The ``KeyResults`` named range (label | value), else every formula cell (first 40)."""
    from addin.bookio import named_range  # noqa: PLC0415
    from addin.recalc import parse_area as _parse_area, split_sheet as _split_sheet  # noqa: PLC0415
    target = named_range(wb, "KeyResults")
    rows: list[tuple[str, str, object, str | None]] = []
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
                rows.append((str(label or ""), cell_key(*key), v, cell.number_format))
            return rows
    for key in result.cells()[:40]:
        rows.append((_label(wb, key[0], key[1]), cell_key(*key), result.values.get(key), None))
    return rows


KEY_RESULTS_MAX = 200

CAPS_HELP = (f"Caps: a book is refused (exit 2) when one part of the file inflates beyond "
             f"{CAPS.max_part_bytes // 2**20:,} MiB, all parts beyond {CAPS.max_total_bytes // 2**20:,} MiB, or its "
             f"sheets' used areas exceed {CAPS.max_cells:,} cells; a formula reading or producing more than "
             f"{CAPS.max_range_cells:,} cells gets #VALUE! in that cell only (reported as unsupported).")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


@app.command(help="Recalculate BOOK headless and print its key results (the KeyResults named range, else "
                   "the first formula cells). A values copy (-o) is written atomically: a new regular .xlsx file "
                   "(macro-free) or, of an .xlsm, .xlsm; an existing output that is not a regular file is refused. "
                   + CAPS_HELP)
def recalc(book: Path = typer.Argument(..., help="Workbook (.xlsx/.xlsm) to recalculate; never modified."),
           output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write a values copy here (atomically)."),
           as_json: bool = typer.Option(False, "--json", help="Print only a JSON object {\"Sheet!A1\": value}.")):
    if output is not None:
        if _same_file(book, output):
            raise _fail(f"{output}: refusing to overwrite the input workbook")
        try:
            check_output(output, book)
        except BookError as exc:
            raise _fail(str(exc)) from None
    try:
        wb, result = recalc_file(book)
    except BookError as exc:
        raise _fail(str(exc)) from None
    rows = None if as_json else _key_results(wb, result)
    if output is not None:
        write_values(wb, result)          # the in-memory copy; the input file is never written
        try:
            save_atomic(wb, output)
        except BookError as exc:
            raise _fail(str(exc)) from None
        except OSError as exc:
            raise _fail(f"{output}: cannot write ({exc.strerror or exc})") from None
    if as_json:
        sys.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, allow_nan=False))
        sys.stdout.write("\n")
        sys.stdout.flush()
        _notes(result)                      # standard output stays one JSON object
        return
    table = Table(title=f"{book.name}: key results", title_justify="left")
    table.add_column("Item")
    table.add_column("Cell", style="dim")
    table.add_column("Value", justify="right")
    for label, where, v, fmt in rows:
        table.add_row(label, where, _show(v, fmt))
    out.print(table)
    out.print(f"{len(result.formula_cells)} formulas, {len(result.spilled)} spilled cells"
              + (f", {len(result.unsupported)} unsupported" if result.unsupported else "")
              + (f", values copy written to {output}" if output else ""), soft_wrap=True)
    _notes(result)


def _notes(result: Recalc) -> None:
    for exc in result.exceptions:
        err.print(f"exception recorded: {exc}", markup=False, soft_wrap=True)
    for key, why in list(result.unsupported.items())[:20]:
        err.print(f"unsupported: {cell_key(*key)}: {why}", markup=False, soft_wrap=True)
    if len(result.unsupported) > 20:
        err.print(f"unsupported: {len(result.unsupported) - 20} more cells", markup=False, soft_wrap=True)


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(f for f in p.iterdir()
                                if f.suffix.lower() in WORKBOOK_SUFFIXES and not f.name.startswith("~$")))
        else:
            files.append(p)
    return files


def check_book(path: Path) -> BookReport:
    try:
        wb, result = recalc_file(path)
    except BookError as exc:
        return BookReport(path, error=str(exc))
    return evaluate_checks(wb, result, path)


@app.command(help="Recalculate each workbook and report its failed checks (a cell under a 'Check' header that "
                   "is not TRUE), errors and unsupported cells, each with its sheet and cell. Exit 0 when all pass, "
                   "1 when any check fails, any cell is an error or unsupported, or a book has nothing to check "
                   "(no formulas: a values copy), 2 when a file cannot be read. " + CAPS_HELP)
def check(paths: List[Path] = typer.Argument(None, help="Workbooks or folders (default: workbooks/).")):
    paths = paths or [Path("workbooks")]
    files = _expand(paths)
    if not files:
        raise _fail(f"no workbooks found in {', '.join(map(str, paths))}")
    reports: list[BookReport] = []
    if len(files) > 1:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: PLC0415
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=err, transient=True) as progress:
            task = progress.add_task("checking", total=len(files))
            for f in files:
                progress.update(task, description=f"checking {f.name}")
                reports.append(check_book(f))
                progress.advance(task)
    else:
        reports.append(check_book(files[0]))
    failed = bad = 0
    for rep in reports:
        if rep.error:
            bad += 1
            err.print(f"warrants: error: {rep.error}", markup=False, soft_wrap=True)
            continue
        if not rep.formulas:
            failed += 1
            out.print(f"[red]FAIL[/red] {rep.path}: nothing to check (no formulas: a values copy?)", soft_wrap=True)
            continue
        if rep.findings:
            failed += 1
            kinds = [(k, sum(1 for f in rep.findings if f.kind == k)) for k in ("failed check", "error", "unsupported")]
            summary = ", ".join(f"{n} {k}{'s' if n > 1 else ''}" for k, n in kinds if n)
            out.print(f"[red]FAIL[/red] {rep.path}: {rep.passed}/{rep.checks} checks pass; {summary}", soft_wrap=True)
            for f in sorted(rep.findings, key=lambda f: ("failed check", "error", "unsupported").index(f.kind)):
                out.print(f"  {f.kind}: {f.where}: {f.what}" + (f"  ({f.label})" if f.label else ""), markup=False,
                          soft_wrap=True)
        else:
            out.print(f"[green]ok[/green]   {rep.path}: {rep.passed}/{rep.checks} checks pass", soft_wrap=True)
    if bad:
        raise typer.Exit(2)
    if failed:
        raise typer.Exit(1)


def _macros():
    try:
        from addin import macros  # noqa: PLC0415
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


def _run_macro(book: Path, output: Optional[Path], suffix: str, names: tuple[str, ...], run) -> None:
    output = output or _default_out(book, suffix)
    if _same_file(book, output):
        raise _fail(f"{output}: refusing to overwrite the input workbook")
    wb = _load(book)
    try:
        require_names(wb, names, book)
    except BookError as exc:
        raise _fail(str(exc)) from None
    macros = _macros()
    # formula cells in the named ranges are read through the headless recalculation
    result = recalc_workbook(wb)
    values = {cell_key(*k): (str(v) if isinstance(v, XLError) else v) for k, v in result.values.items()}
    try:
        sheet = run(macros, macros.OpenpyxlBook(wb, values))
    except ValueError as exc:   # engine.WarrantError: bad inputs in the sheet, one line
        raise _fail(f"{book}: {' '.join(str(exc).split())}") from None
    try:
        save_atomic(wb, output)
    except OSError as exc:
        raise _fail(f"{output}: cannot write ({exc.strerror or exc})") from None
    name = getattr(sheet, "title", sheet)
    out.print(f"wrote {output}" + (f" (new sheet {name})" if isinstance(name, str) else ""))


@app.command()
def certificate(book: Path = typer.Argument(..., help="Workbook with named ranges Terms, Events, AsOf."),
                as_of: Optional[str] = typer.Option(None, "--as-of", help="Date YYYY-MM-DD (default: AsOf)."),
                output: Optional[Path] = typer.Option(None, "-o", "--output",
                                                      help="Output workbook (default BOOK.certificate.xlsx).")):
    """Write the §4(i) officer's certificate of adjustment on a copy of BOOK."""
    when = _parse_date(as_of)
    _run_macro(book, output, "certificate", ("Terms", "Events", "AsOf"),
               lambda m, b: m.adjustment_certificate(b, when))


@app.command("purchase-form")
def purchase_form(book: Path = typer.Argument(..., help="Workbook with named ranges Terms, Exercise (Market)."),
                  output: Optional[Path] = typer.Option(None, "-o", "--output",
                                                        help="Output workbook (default BOOK.purchase-form.xlsx).")):
    """Fill in the Exhibit A purchase form on a copy of BOOK."""
    _run_macro(book, output, "purchase-form", ("Terms", "Exercise"), lambda m, b: m.purchase_form(b))


def main() -> None:
    """Console entry point: bad files and unexpected errors become one line, never a traceback."""
    try:
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        err.print("warrants: interrupted")
        sys.exit(130)
    except Exception as exc:  # click usage errors and anything unforeseen
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):   # click's usage errors
            err.print(f"warrants: error: {exc.format_message()}", markup=False)
            sys.exit(2)
        if type(exc).__name__ == "Abort":
            sys.exit(1)
        err.print(f"warrants: internal error: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}",
                  markup=False)
        sys.exit(3)


if __name__ == "__main__":
    main()
