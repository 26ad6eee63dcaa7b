"""SUBTOTAL, and AGGREGATE's options that ignore hidden rows or nested subtotals: functions that
see the references themselves, which rows of them are hidden, and which cells hold subtotals.

Microsoft, "SUBTOTAL function": function_num 1-11 (AVERAGE, COUNT, COUNTA, MAX, MIN, PRODUCT,
STDEV, STDEVP, SUM, VAR, VARP) include rows hidden by hand and 101-111 ignore them; both ignore
"rows not included in the result of a filter"; other subtotals inside the references are
ignored "to avoid double counting"; hidden columns never matter (it "is designed for columns of
data"). Microsoft, "AGGREGATE function": options 0-3 ignore nested SUBTOTAL and AGGREGATE
functions, 1, 3, 5 and 7 hidden rows (filtered or not), 2, 3, 6 and 7 error values.

What the file cannot tell is refused, never guessed:

* a file keeps one flag per row, ``<row hidden="1">``: whether a hidden row inside a filter
  that has criteria (a table's or the sheet's ``autoFilter`` with a ``filterColumn``, or any
  row of a sheet under an advanced filter, ``<sheetPr filterMode="1">``) was hidden by the
  filter or by hand is not written, so SUBTOTAL 1-11 over such a row is refused (101-111
  ignore both kinds alike and are computed); a hidden row outside every filter with criteria
  was hidden by hand;
* a cell whose formula holds SUBTOTAL or AGGREGATE inside a larger expression, and, for
  SUBTOTAL, a cell holding an AGGREGATE (the SUBTOTAL page names only nested subtotals);
* an argument that is not a reference (an array), and a 3-D reference.
"""
from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from functools import lru_cache

from ..parse import Call, ParseError, Rng, parse_area, parse_formula
from ..values import VALUE, XLError, is_grid, to_number
from .common import declare

# SUBTOTAL's function numbers (Microsoft, "SUBTOTAL function"); 101-111 are the same functions
_SUBTOTAL = {1: "AVERAGE", 2: "COUNT", 3: "COUNTA", 4: "MAX", 5: "MIN", 6: "PRODUCT", 7: "STDEV", 8: "STDEVP",
             9: "SUM", 10: "VAR", 11: "VARP"}


class _Refused(Exception):
    pass


@dataclass(frozen=True)
class SheetRows:
    """One sheet's hidden rows, and the rows a filter with criteria may have hidden."""

    hidden: frozenset[int]
    filter_spans: tuple[tuple[int, int], ...]   # (first, last) data rows under a filter with criteria
    every_row_filterable: bool = False           # an advanced filter (its range is not in the file)
    hidden_by_default: bool = False              # <sheetFormatPr zeroHeight="1">: rows not listed are hidden

    def unclear(self, row: int) -> bool:
        """Whether a hidden row may have been hidden by a filter rather than by hand."""
        return self.every_row_filterable or any(a <= row <= b for a, b in self.filter_spans)


def _span(ref: str | None) -> tuple[int, int] | None:
    """The data rows of a filter's range (its first row holds the headers)."""
    bounds = parse_area(ref.replace("$", "")) if ref else None
    if bounds is None:
        return None
    r1, _c1, r2, _c2 = bounds
    return (r1 + 1, r2) if r2 > r1 else None


def _read_rows(wb) -> dict[str, SheetRows]:
    """Every sheet's SheetRows, from the scanned file (xlsxscan, tables.py) or openpyxl's book."""
    out = {}
    scan = getattr(wb, "scan", None)
    if scan is not None:
        from ..tables import read_tables     # the table parts, read here only when a formula needs them
        spans: dict[str, list] = {}
        for t in read_tables(wb.path):
            if t.filtering:
                span = _span(t.filter_ref or t.ref)
                if span is None:
                    raise _Refused("a table filter whose range is not read")
                spans.setdefault(t.sheet, []).append(span)
        for title, sheet in scan.sheets.items():
            own = spans.get(title, [])
            advanced = False
            if sheet.filtering:
                span = _span(sheet.auto_filter)
                if span is None:
                    advanced = True
                else:
                    own.append(span)
            out[title] = SheetRows(frozenset(sheet.hidden_rows), tuple(own), advanced,
                                   getattr(sheet, "hidden_by_default", False))
        return out
    for ws in wb.worksheets:
        hidden = frozenset(r for r, dim in getattr(ws, "row_dimensions", {}).items()
                           if dim.hidden or dim.ht == 0)          # a row of height 0 is hidden
        own = []
        advanced = bool(getattr(getattr(ws, "sheet_properties", None), "filterMode", False))
        af = getattr(ws, "auto_filter", None)
        if af is not None and (af.filterColumn or advanced):
            span = _span(af.ref)
            if span is None:
                advanced = True
            else:
                own.append(span)
                advanced = False
        for t in (getattr(ws, "tables", None) or {}).values():
            taf = getattr(t, "autoFilter", None)
            if taf is not None and taf.filterColumn:
                span = _span(taf.ref or t.ref)
                if span is None:
                    raise _Refused("a table filter whose range is not read")
                own.append(span)
        by_default = bool(getattr(getattr(ws, "sheet_format", None), "zeroHeight", False))
        out[ws.title] = SheetRows(hidden, tuple(own), advanced, by_default)
    return out


_ROWS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()     # evaluator -> its sheets' rows


def sheet_rows(ev, sheet: str) -> SheetRows:
    """The sheet's rows (read once per recalculation)."""
    rows = _ROWS.get(ev)
    if rows is None:
        try:
            rows = _read_rows(ev.wb)
        except _Refused as exc:
            rows = str(exc)
        except Exception as exc:  # noqa: BLE001 - a damaged table part: the functions refuse, the book goes on
            rows = f"the table definitions cannot be read ({type(exc).__name__})"
        _ROWS[ev] = rows
    if isinstance(rows, str):
        raise _Refused(rows)
    return rows.get(sheet) or SheetRows(frozenset(), ())


_MENTION = re.compile(r"(?:SUBTOTAL|AGGREGATE)\s*\(", re.I)


@lru_cache(maxsize=4096)
def nested(formula: str | None) -> str | None:
    """``SUBTOTAL`` or ``AGGREGATE`` when the formula is one such call, ``inside`` when it holds
    one anywhere else (or may: a mention in a text counts), None when it holds none."""
    if not formula or not _MENTION.search(formula):
        return None
    try:
        tree = parse_formula(formula)
    except (ParseError, RecursionError):
        return "inside"
    if isinstance(tree, Call):
        name = tree.name.upper().removeprefix("_XLFN.")
        if name in ("SUBTOTAL", "AGGREGATE"):
            return name
    return "inside"


def _grid(ev, rng: Rng, hidden: str, skip_nested: tuple[str, ...]) -> list:
    """The range's values with the cells to ignore made empty. ``hidden``: "none" (keep hidden
    rows), "all" (ignore every hidden row), "filtered" (ignore rows hidden by a filter: refused
    where that cannot be told from the file). ``skip_nested``: the functions whose cells are
    ignored."""
    g = ev.grid(rng)
    if isinstance(g, XLError):
        raise _Err(g)
    rows = sheet_rows(ev, rng.sheet) if hidden != "none" else None
    if rows is not None and rows.hidden_by_default:
        raise _Refused("a sheet whose rows are hidden by default (sheetFormatPr zeroHeight)")
    formulas = ev.formulas
    out = []
    for i, line in enumerate(g):
        r = rng.r1 + i
        if rows is not None and r in rows.hidden:
            if hidden == "all":
                out.append([None] * len(line))
                continue
            if rows.unclear(r):
                raise _Refused("a row hidden inside a filter with criteria: whether by the filter or by hand is "
                               "not in the file (function_num 1-11 count the second)")
            # hidden by hand: function_num 1-11 count it
        new = list(line)
        for j in range(len(line)):
            kind = nested(formulas.get((rng.sheet, r, rng.c1 + j)))
            if kind is None:
                continue
            if kind in skip_nested:
                new[j] = None
            else:
                what = "SUBTOTAL or AGGREGATE inside a larger formula" if kind == "inside" else kind
                raise _Refused(f"a cell holding {what} within the references")
        out.append(new)
    return out


class _Err(Exception):
    def __init__(self, value):
        super().__init__(str(value))
        self.value = value


def _int_arg(ev, v):
    n = to_number(v, ev.epoch)
    if isinstance(n, XLError):
        raise _Err(n)
    return int(n)


def _subtotal(ev, args):
    """SUBTOTAL(function_num, ref1, [ref2], ...): see the module's docstring. A function_num is
    truncated (101.2 is 101) and outside 1-11 and 101-111 is #VALUE! (the Excel-saved
    calc_test_no_export__tables.xlsx, 'Functions Hidden'!D48, D49)."""
    from . import NATIVE
    if len(args) < 2:
        return VALUE
    if is_grid(args[0][1]):
        return ev.unsupported("SUBTOTAL", "an array of function numbers")
    try:
        num = _int_arg(ev, args[0][1])
        if num % 100 not in _SUBTOTAL or num // 100 not in (0, 1):
            return VALUE
        grids = []
        for _, v in args[1:]:
            if not isinstance(v, Rng):
                if isinstance(v, XLError):
                    return v
                raise _Refused("an argument that is not a reference")
            grids.append((True, _grid(ev, v, "all" if num > 100 else "filtered", ("SUBTOTAL",))))
    except _Err as exc:
        return exc.value
    except _Refused as exc:
        return ev.unsupported("SUBTOTAL", str(exc))
    return NATIVE[_SUBTOTAL[num % 100]](ev, grids)


def _aggregate(ev, args):
    """AGGREGATE(function_num, options, ref1, ...): options 4 and 6 as stats' AGGREGATE computes
    them; 0-3, 5 and 7 on the references with their hidden rows (filtered or by hand: AGGREGATE
    ignores both) and nested SUBTOTAL/AGGREGATE cells made empty, then computed as option 4 (or
    6 where error values are ignored too)."""
    from .stats import aggregate_all_rows as base
    if len(args) < 3:
        return VALUE
    if is_grid(args[0][1]) or is_grid(args[1][1]):
        return ev.unsupported("AGGREGATE", "an array of function numbers or options")
    try:
        opt = 0 if args[1][1] is None else _int_arg(ev, args[1][1])
        fn = _int_arg(ev, args[0][1])
    except _Err as exc:
        return exc.value
    if not 1 <= fn <= 19 or not 0 <= opt <= 7:
        return VALUE                         # Microsoft's tables: function_num 1-19, options 0-7
    hide = opt in (1, 3, 5, 7)
    skip = ("SUBTOTAL", "AGGREGATE") if opt in (0, 1, 2, 3) else ()
    as_opt = 6 if opt in (2, 3, 6, 7) else 4
    data = range(2, len(args)) if not 14 <= fn <= 19 else range(2, 3)
    out = [args[0], (False, float(as_opt))]
    try:
        for i in range(2, len(args)):
            is_ref, v = args[i]
            if isinstance(v, Rng):
                if i in data and (hide or skip):
                    v = _grid(ev, v, "all" if hide else "none", skip)
                elif i in data:
                    v = ev.grid(v)
                else:
                    v = ev.value((v.sheet, v.r1, v.c1)) if v.single else ev.grid(v)
            out.append((is_ref, v))
    except _Err as exc:
        return exc.value
    except _Refused as exc:
        return ev.unsupported("AGGREGATE", str(exc))
    return base(ev, out)


# AGGREGATE here replaces stats.py's entry (this module is registered after it): it hands the
# references to stats' AGGREGATE as grids once the rows and cells its option ignores are emptied
FUNCTIONS = {
    "SUBTOTAL": declare(_subtotal, refs=slice(1, None)),
    "AGGREGATE": declare(_aggregate, refs=slice(2, None), array_mode=slice(2, None), clip_safe=True),
}

__all__ = ["FUNCTIONS", "SheetRows", "nested", "sheet_rows"]
