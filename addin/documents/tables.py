"""Tables cut to one cell: a catalog table function stored as a single-cell formula, and its repair.

Excel 365 stores a spilling formula as a dynamic array: an array formula whose cell carries
dynamic-array metadata (``cm``, with ``fDynamic`` in ``xl/metadata.xml``). A program that does
not keep that mark (openpyxl saves so) turns the formula into a one-cell legacy array or a
plain formula: Excel then shows only the table's first cell, and the recalculation does the
same. :func:`cut_tables` finds such cells (reading the marks with
:func:`addin.recalc.bookio.read_cells`); :func:`repair` rewrites them as array formulas and
:func:`save_repaired` writes the copy with the marks put back
(:func:`addin.recalc.bookio.mark_dynamic`).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from addin.recalc.bookio import mark_dynamic, read_cells, save_atomic

from addin.excel.catalog import CATALOG

TABLE_FUNCTIONS = frozenset(name for name, entry in CATALOG.items() if entry.spills)
_CALL = re.compile(r"^=\s*@?\s*(?:_xludf\.|_xlfn\.)?([A-Za-z_][\w.]*)\s*\(", re.ASCII)


@dataclass(frozen=True)
class CutTable:
    sheet: str
    row: int
    column: int
    function: str
    formula: str

    @property
    def where(self) -> str:
        from openpyxl.utils import get_column_letter  # noqa: PLC0415
        sheet = f"'{self.sheet}'" if not re.fullmatch(r"[A-Za-z_][\w.]*", self.sheet) else self.sheet
        return f"{sheet}!{get_column_letter(self.column)}{self.row}"


def table_call(formula: str) -> str | None:
    """The catalog table function a formula is, when the whole formula is one call of it, else None.

    ``=WARRANT_ADJUSTMENTS(Terms,Events,AsOf)`` is; ``=INDEX(WARRANT_EXERCISE(...),3,2)`` (one cell
    taken on purpose) and ``=WARRANT_TERMS(Terms)&""`` are not."""
    if not isinstance(formula, str):
        return None
    m = _CALL.match(formula)
    if not m or m.group(1).upper() not in TABLE_FUNCTIONS:
        return None
    depth, quoted = 0, False
    body = formula.rstrip()
    for i in range(m.end() - 1, len(body)):
        ch = body[i]
        if ch == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return m.group(1).upper() if i == len(body) - 1 else None
    return None


def cut_tables(wb, *, ranges: bool = False) -> list[CutTable]:
    """Every catalog table function stored as a single-cell formula (no dynamic-array mark), in order.

    A legacy array formula over a range of more than one cell shows its whole range and is
    not reported; ``ranges=True`` includes those too (what :func:`repair` marks dynamic again,
    so that Excel re-spills them to the table's own size)."""
    book = read_cells(wb, constants=False)      # formulas and their marks only
    found = []
    for key, formula in book.formulas.items():
        if key in book.dynamic:
            continue
        bounds = book.array_ref.get(key)
        if not ranges and bounds is not None and (bounds[0], bounds[1]) != (bounds[2], bounds[3]):
            continue
        text = getattr(formula, "text", formula)
        name = table_call(text)
        if name is not None:
            found.append(CutTable(key[0], key[1], key[2], name, text))
    order = {title: i for i, title in enumerate(wb.sheetnames)}
    return sorted(found, key=lambda t: (order.get(t.sheet, len(order)), t.row, t.column))


CUT_WHAT = ("stored as a single-cell formula without Excel's dynamic-array mark, so Excel and this "
            "recalculation show only its first cell (a program that does not keep dynamic arrays, e.g. "
            "openpyxl, saved the book)")


def cut_message(cut: CutTable) -> str:
    return f"{cut.function} table {CUT_WHAT}"


def fix_hint(book: Path | str) -> str:
    return (f"fix: warrants repair {book} -o REPAIRED.xlsx (rewrites them as dynamic arrays), or re-enter "
            f"each formula in Excel 365")


def cut_table_warnings(wb, book: Path | str) -> list[str]:
    """The standard-error lines of ``warrants recalc`` for a book with cut tables (none when it has none)."""
    cuts = cut_tables(wb)
    lines = [f"warrants: warning: {cut.where}: {cut_message(cut)}" for cut in cuts]
    return lines + [f"warrants: warning: {fix_hint(book)}"] if cuts else []


def repair(wb) -> list[CutTable]:
    """Rewrite every cut table of an openpyxl book (in memory) as a one-cell array formula, to be
    marked dynamic when saved by :func:`save_repaired` with every legacy array of a table
    function (openpyxl keeps a fixed-shape spill as one); returns what is to be marked."""
    from openpyxl.worksheet.formula import ArrayFormula  # noqa: PLC0415
    cuts = cut_tables(wb, ranges=True)
    for cut in cuts:
        cell = wb[cut.sheet].cell(row=cut.row, column=cut.column)
        if not isinstance(cell.value, ArrayFormula):
            cell.value = ArrayFormula(ref=cell.coordinate, text=cut.formula)
    return cuts


def save_repaired(wb, out: Path | str, cuts: list[CutTable]) -> Path:
    """Save ``wb`` to ``out`` (atomically, beside it) with the repaired cells marked as dynamic arrays."""
    import tempfile  # noqa: PLC0415 - only a repair writes (~1 ms of each recalc's cut-table check)
    out = Path(out)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name[:80]}.", suffix=f".repair{out.suffix}", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        os.unlink(tmp)                 # save_atomic writes a new regular file here
        save_atomic(wb, tmp)
        mark_dynamic(tmp, {(c.sheet, c.row, c.column) for c in cuts})
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return out
