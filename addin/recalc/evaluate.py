"""Evaluation: every formula cell, in dependency order, without Python's recursion limit.

Cells are evaluated on demand and memoised, so they come out in dependency order without a
graph built first; a cycle is ``#CIRC!``. The recursion is bounded: a chain deeper than
``MAX_DEPTH`` cells is cut, its deepest cell evaluated first from an explicit stack, and the
chain retried (a 100,000-cell running balance computes).

Three kinds of formula, as Excel stores them:

* a dynamic-array formula (``t="array"`` with dynamic-array cell metadata) spills
  (:mod:`.spill`);
* a legacy array formula (Ctrl-Shift-Enter, ``t="array"`` without that metadata) is computed
  with array semantics and fills its own stored range;
* any other formula uses implicit intersection: a multi-cell range where one value is
  expected is reduced to the cell in the formula's row or column (``#VALUE!`` if none).

A value that cannot be computed exactly as Excel does is an error value recorded in
``Recalc.unsupported`` (``warrants check`` lists it), and so is every cell that reads it:
never a different number.
"""
from __future__ import annotations

import contextlib
import gc
import json
from json.encoder import encode_basestring
import math
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby, product
from operator import itemgetter
from time import monotonic

from .xlutils import CALENDAR_MAC_1904, get_column_letter, to_excel

from .bookio import CAPS, Caps, read_cells
from . import lib as _lib
from .lib.common import Facts
from .parse import (INVOKE, MAX_COL, MAX_ROW, Array, Call, Const, Node, Op, ParseError, Ref, Rng, parse_area, parse_formula,
                    rebase, split_sheet, template)
from . import values as _values
from .spill import ARRAY_CELLS_BUDGET, fill_array, place_spill
from .values import (CIRC, NA, NUM, ClippedGrid, DIV0, ERRORS, NAME, REF, TEXT_LIMIT, VALUE, XLError, broadcast, cell_key, compare,
                     from_catalog, grid_map, is_grid, json_value, none_to_zero, to_bool, to_number)

_INFINITIES = (float("inf"), float("-inf"))
MAX_DEPTH = 150          # cells evaluated inside one another before the chain is cut

PREFIXES = ("_XLFN._XLWS.", "_XLFN.", "_XLWS.", "_XLDUDF_")

# the facts of each native function (which arguments are ranges, references, broadcast...) are
# declared beside its code and gathered in lib.FACTS; functions the evaluator itself provides:
EVALUATOR_VOLATILE = frozenset({"TODAY", "NOW", "RAND", "RANDBETWEEN", "RANDARRAY"})
# functions that need the evaluator itself (references, formulas, names in scope): used when lib
# has no native of the same name; TODAY and NOW always (recalc_workbook(now=) pins them)
EVALUATOR_FUNCTIONS = frozenset({"LET", "OFFSET", "INDIRECT", "FORMULATEXT", "ISFORMULA", "ISREF", "SHEET", "SHEETS", "CELL",
                                 "ISOMITTED", "SINGLE"})
_PLAIN = Facts()
_CATALOG = Facts()          # the add-in's functions: a multi-cell range arrives whole, as rows
_MAX_NUMBER = 1.7976931348623157e308     # the largest float; beyond (and NaN) is #NUM!
_SUBNORMAL = 2.2250738585072014e-308      # Excel has no subnormal numbers: smaller magnitudes are 0


@dataclass(frozen=True, slots=True)
class RecordedException:
    sheet: str
    cell: str
    function: str
    message: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}: {self.function} raised {self.message}"


class Unsupported(Exception):
    """A formula this evaluator does not read (handed to the fallback, if any)."""


class _Cycle(BaseException):
    """A cell read a cell still being evaluated: a circular reference, unwound to that cell.
    (BaseException: no ``except Exception`` in a function may swallow it.)"""

    def __init__(self, key):
        super().__init__(key)
        self.key = key
        self.members: list = []      # the cells between, innermost first


class _TimeUp(BaseException):
    """The time limit passed while ``key`` was being evaluated (stops the whole recalculation)."""

    def __init__(self, key):
        super().__init__(key)
        self.key = key


class TimeLimitExceeded(Exception):
    """A recalculation stopped at its time limit; the message is one line naming the cell."""

    def __init__(self, cell: str, seconds: float, limit: float) -> None:
        super().__init__(f"recalculation stopped at {cell} after {seconds:.0f} s, past its time limit of "
                         f"{limit:g} s (--time-limit SECONDS raises it; 0: none)")
        self.cell, self.seconds, self.limit = cell, seconds, limit


class _Deeper(BaseException):
    """The chain of cells is too deep: evaluate ``key`` first, then retry."""

    def __init__(self, key):
        super().__init__(key)
        self.key = key
        self.path: list = []         # the cells cut on the way out, deepest first


@dataclass
class Recalc:
    """The outcome of a recalculation: every formula cell and every spilled cell."""

    values: dict[tuple[str, int, int], object] = field(default_factory=dict)
    formula_cells: list[tuple[str, int, int]] = field(default_factory=list)
    spilled: dict[tuple[str, int, int], tuple[str, int, int]] = field(default_factory=dict)
    spill_shape: dict[tuple[str, int, int], tuple[int, int]] = field(default_factory=dict)
    exceptions: list[RecordedException] = field(default_factory=list)
    delegated: list[str] = field(default_factory=list)   # cells computed by the fallback
    unsupported: dict[tuple[str, int, int], str] = field(default_factory=dict)   # cell -> why (an error value)
    date1904: bool = False
    # cells whose value changes from one recalculation to the next (TODAY, NOW, RAND and their readers)
    volatile: set[tuple[str, int, int]] = field(default_factory=set)
    # every array formula's stored range as Excel saved it: anchor -> (r1, c1, r2, c2)
    array_areas: dict[tuple[str, int, int], tuple[int, int, int, int]] = field(default_factory=dict)

    def __getitem__(self, ref: str) -> object:
        sheet, area = split_sheet(ref)
        if sheet is None:
            raise KeyError(ref)
        r1, c1, _, _ = parse_area(area)
        return self.values[(sheet, r1, c1)]

    sheet_order: list[str] = field(default_factory=list)

    def cells(self) -> list[tuple[str, int, int]]:
        """Formula cells and spilled cells, sheet by sheet in workbook order, row-major."""
        order = {s: i for i, s in enumerate(self.sheet_order)}
        # formula cells come sorted and each spill row by row: kept in that order, the sort below
        # mostly merges runs; sorted as tuples (no key function per cell), each sheet's run then
        # moved to its place
        keys = list(dict.fromkeys([*self.formula_cells, *self.spilled]))
        keys.sort()
        runs = [(order.get(sheet), list(run)) for sheet, run in groupby(keys, itemgetter(0))]
        if any(rank is None for rank, _run in runs):        # a sheet not in the book's order: the plain rule
            return sorted(keys, key=lambda k: (order.get(k[0], len(order)), k[1], k[2]))
        runs.sort(key=itemgetter(0))
        return [key for _rank, run in runs for key in run]

    def as_json(self) -> dict[str, object]:
        """``{"Sheet!A1": value}``: numbers as numbers, booleans, dates as ISO text, errors as text
        (:func:`~.values.json_value` of each value), in :meth:`cells` order."""
        keys = self.cells()
        return dict(zip(_json_keys(keys), _json_values(map(self.values.get, keys))))

    def json_text(self) -> str:
        """The JSON object :meth:`as_json`, as ``json.dumps(..., ensure_ascii=False, allow_nan=False)``
        writes it, character for character (tests/test_recalc.py holds the two equal), written here in
        one pass over the same keys and values (:func:`_key_parts`, :func:`_json_values`): no dict of
        40,000 cells made and walked again, each key's sheet-and-column part encoded once, each
        float's text made once (a register's prices repeat): ~0.03 s instead of ~0.04 s for a
        10,000-warrant register."""
        keys = self.cells()
        parts = ["{"]
        add = parts.append
        heads: dict[str, str] = {}                   # a key's sheet-and-column part -> ', "Sheet!B' as written
        floats: dict[float, str] = {}
        for (head, digits), v in zip(_key_parts(keys), _json_values(map(self.values.get, keys))):
            written = heads.get(head)
            if written is None:
                written = heads[head] = ", " + encode_basestring(head)[:-1]
            kind = type(v)
            if kind is float:                        # finite and not whole below 2^53: json.dumps's float.__repr__
                text = floats.get(v)
                if text is None:
                    text = floats[v] = float.__repr__(v)
            elif kind is str:
                text = encode_basestring(v)
            elif kind is int:
                text = int.__repr__(v)
            else:
                text = _dump_one(v)
            add(written)
            add(digits)
            add('": ')
            add(text)
        if len(parts) > 1:
            parts[1] = parts[1][2:]                  # the first key has no ", " before it
        add("}")
        return "".join(parts)


def _key_parts(keys):
    """(``cell_key`` less its row digits, the row digits) of each (sheet, row, column), each
    sheet-and-column part and each row's digits made once."""
    heads: dict = {}
    last_sheet = last_row = None
    digits = ""
    for sheet, row, col in keys:
        if row != last_row or sheet != last_sheet:
            digits, last_row = str(row), row
            if sheet != last_sheet:
                heads, last_sheet = {}, sheet
        head = heads.get(col)
        if head is None:
            head = heads[col] = cell_key(sheet, row, col)[:-len(digits)]
        yield head, digits


def _json_keys(keys) -> list[str]:
    """``cell_key`` of each (sheet, row, column) (:func:`_key_parts`)."""
    return [head + digits for head, digits in _key_parts(keys)]


def _json_values(values) -> list:
    """``json_value`` of each value: its common cases (a float, text) decided here, the rest by json_value."""
    out = []
    for v in values:
        if type(v) is float:
            if v.is_integer():                           # never NaN or infinite
                if -_WHOLE < v < _WHOLE:
                    v = int(v)
            elif v != v or v in _INFINITIES:
                v = json_value(v)
        elif type(v) is not str:
            v = json_value(v)
        out.append(v)
    return out


_WHOLE = 2.0 ** 53         # json_value: a whole float below this is written as an int


def _dump_one(v) -> str:
    """One JSON value as ``json.dumps`` writes it inside :meth:`Recalc.json_text`'s object."""
    return json.dumps(v, ensure_ascii=False, allow_nan=False)


class Evaluator:
    def __init__(self, wb, catalog=None, *, fallback=None, all_dynamic: bool = False, caps: Caps = CAPS,
                 now=None, deadline: float | None = None):
        self.wb = wb
        self.now = now                 # TODAY/NOW pinned to this datetime, else the clock
        self.deadline = deadline       # time.monotonic() past which the recalculation stops
        self.epoch = wb.epoch
        self.date1904 = wb.epoch == CALENDAR_MAC_1904
        self.catalog = catalog
        self.catalog_names = {k.upper() for k in getattr(catalog, "CATALOG", {})} if catalog else set()
        self.fallback = fallback
        self.caps = caps
        self.result = Recalc(date1904=self.date1904, sheet_order=list(wb.sheetnames))
        self.sheets_upper = {ws.title.upper(): ws.title for ws in wb.worksheets}
        book = read_cells(wb, ERRORS)
        self.formulas = book.formulas
        self.constants = book.constants
        self.uncertain = frozenset(getattr(book, "uncertain", ()))
        if timedelta in set(map(type, self.constants.values())):      # one pass in C; durations are rare
            durations = [k for k, v in self.constants.items() if type(v) is timedelta]
            for k in durations:              # a [h]:mm:ss duration is its number of days
                self.constants[k] = self.constants[k].total_seconds() / 86400.0
        self.extent = book.extent
        self.names = book.names
        self.iterate = book.iterate
        self.dynamic = set(book.formulas) if all_dynamic else book.dynamic
        self.array_ref = {k: b for k, b in book.array_ref.items() if k not in self.dynamic}   # legacy arrays
        self.result.array_areas = dict(book.array_ref)
        self.cache_owner: dict[tuple[str, int, int], tuple[str, int, int]] = {}
        empty = {k for k, f in self.formulas.items() if f == "="}
        for anchor, (r1, c1, r2, c2) in book.array_ref.items():
            # Excel marks the other cells of a volatile array formula with an empty <f ca="1"/>:
            # they hold the array's values, not formulas of their own
            for key in [k for k in empty if k[0] == anchor[0] and r1 <= k[1] <= r2 and c1 <= k[2] <= c2
                        and k != anchor]:
                del self.formulas[key]
                empty.discard(key)
        self.over_cap: set[tuple[str, int, int]] = set()    # array formulas beyond the book's budget
        # all array formulas' stored ranges together: filling costs ~25 us and ~400 bytes a cell, so
        # three legacy arrays of 4.9M cells each (a tiny file) were 5.6 GB; beyond the budget, refused
        budget = min(caps.max_range_cells, ARRAY_CELLS_BUDGET)
        for anchor, (r1, c1, r2, c2) in book.array_ref.items():
            size = (r2 - r1 + 1) * (c2 - c1 + 1)
            if size > budget:
                self.over_cap.add(anchor)
                continue                     # the anchor gets its error; the cached cells stay as they are
            budget -= size
            sheet = anchor[0]
            owned = dict.fromkeys(product((sheet,), range(r1, r2 + 1), range(c1, c2 + 1)), anchor)   # row-major
            owned.pop(anchor, None)
            for key in self.formulas.keys() & owned.keys():     # a formula inside the range owns itself
                del owned[key]
            if self.cache_owner:
                self.cache_owner.update(owned)
            else:
                self.cache_owner = owned
        self.formula_sheets = {k[0] for k in self.formulas}
        order = {s: i for i, s in enumerate(wb.sheetnames)}
        self.result.formula_cells = sorted(self.formulas, key=lambda k: (order[k[0]], k[1], k[2]))
        self.by_sheet_dynamic: dict[str, list[tuple[int, int]]] = {}
        for (s, r, c) in self.result.formula_cells:
            if (s, r, c) in self.dynamic:
                self.by_sheet_dynamic.setdefault(s, []).append((r, c))
        self.pending = {s: len(v) for s, v in self.by_sheet_dynamic.items()}   # dynamic anchors not yet evaluated
        self.trees: dict[str, Node | Exception] = {}
        self.name_trees: dict[str, Node | Exception] = {}
        self.cell_trees: dict[tuple[str, int, int], Node] = {}
        self.areas: dict[tuple[str, str], Rng] = {}
        self.templates: dict[str, tuple[Node | Exception, tuple[int, int]]] = {}
        self.state: dict[tuple[str, int, int], int] = {}   # 1 = in progress, 2 = done
        # every cell a spill or an array formula fills -> its anchor: the result's own table
        self.claimed: dict[tuple[str, int, int], tuple[str, int, int]] = self.result.spilled
        self.current: tuple[str, int, int] | None = None
        self.implicit = False          # evaluating a plain formula: implicit intersection applies
        self.depth = 0
        self.max_depth = MAX_DEPTH
        self._keep_ref = False
        self.journal: list[tuple[str, int, int]] = []     # evaluation order, for speculative undo
        self.circ_hits = 0
        self._table_defs: dict | None = None
        self.scope: dict = {}           # LET's names while its calculation is evaluated
        self.lambda_depth = 0
        self.speculating = 0           # inside a speculative evaluation (a spill that may cover a cell)
        self.deferred: set[tuple[str, int, int]] = set()

    # -- what cannot be computed exactly
    def unsupported(self, function: str, reason: str) -> XLError:
        """Record that the current cell cannot be computed as Excel does; its value is #VALUE!."""
        if self.current is not None:
            self.result.unsupported.setdefault(self.current, f"{function}: {reason}")
        return VALUE

    def _taint(self, key) -> None:
        """The current cell read a cell recorded as unsupported: it is unsupported too."""
        cur = self.current
        if cur is not None and cur != key and cur not in self.result.unsupported:
            self.result.unsupported[cur] = f"depends on {cell_key(*key)}"

    # -- names and references
    def resolve(self, text: str, sheet: str, depth: int = 0):
        """A reference as written: a range (``Rng``), an error, or the parsed formula of a defined
        name that holds a constant or a formula."""
        hit = self.areas.get((text, sheet))
        if hit is not None:
            return hit
        spill = text.endswith("#")
        if spill:
            text = text[:-1]
        ref_sheet, area = split_sheet(text)
        target = sheet
        if ref_sheet is not None:
            target = self.sheets_upper.get(ref_sheet.upper())
            if target is None:
                return REF
        bounds = parse_area(area)
        if bounds is None:
            if depth > 5:
                return NAME
            attr = self.names.get((sheet, area.upper())) or self.names.get((None, area.upper()))
            if attr is None:
                return NAME
            attr = attr.lstrip("=")
            if "#REF!" in attr.upper():
                return REF                   # a name whose range was deleted: #REF! where it is used
            rng = self.resolve(attr, sheet, depth + 1)
            if rng is NAME and depth == 0:
                tree = self._name_tree(attr)  # a constant (Rate = 0.05) or a formula
                if tree is not None:
                    return tree
            if isinstance(rng, XLError) or not spill or not isinstance(rng, Rng):
                return rng
            return self._spill_range(rng)
        rng = Rng(target, *bounds)
        if spill:
            return self._spill_range(rng)
        self.areas[(text, sheet)] = rng
        return rng

    def structured(self, text: str, sheet: str, keep_ref: bool):
        """A structured reference to a table (``Table1[Column]``, ``[@Col]``, ``Table1[[#This Row],
        [Jan]:[Dec]]``, ``[#All]``/``[#Data]``/``[#Headers]``/``[#Totals]``), resolved from the
        table definitions (``xl/tables/*.xml``) to a range; unsupported when the book's reader
        gives no table definitions or the form is not read."""
        rng = self._table_range(text, sheet)
        if isinstance(rng, str) and not isinstance(rng, XLError):
            return self.unsupported("structured reference", f"{text}: {rng}")
        if isinstance(rng, XLError) or keep_ref:
            return rng
        return self.deref(rng, sheet)

    def three_d(self, text: str):
        """``Sheet1:Sheet3!C1``: the same area on every sheet from the first to the last, in the
        book's order (Areas3D), or #REF!."""
        m = re.fullmatch(r"(?:'((?:[^']|'')+)'|([^'!]+))!(.+)", text)
        if not m:
            return REF
        span = (m.group(1) or m.group(2)).replace("''", "'")
        first, _, last = span.partition(":")
        order = [ws.title for ws in self.wb.worksheets]
        upper = [t.upper() for t in order]
        bounds = parse_area(m.group(3))
        if bounds is None or first.upper() not in upper or last.upper() not in upper:
            return REF
        a, b = sorted((upper.index(first.upper()), upper.index(last.upper())))
        return Areas3D(Rng(order[i], *bounds) for i in range(a, b + 1))

    def _tables(self) -> dict:
        """NAME -> (sheet, r1, c1, r2, c2, header rows, totals rows, [column names]) of every table."""
        if self._table_defs is None:
            self._table_defs = {}
            path = getattr(self.wb, "path", None)
            if path is not None and not any(hasattr(ws, "tables") for ws in self.wb.worksheets):
                try:                         # a scanned book: the definitions from the file
                    from .tables import read_tables  # noqa: PLC0415 - a book that names a table
                    defs = read_tables(path)
                except Exception as exc:  # noqa: BLE001 - a damaged table part: its references unsupported
                    self._table_error = f"the table definitions cannot be read ({type(exc).__name__})"
                    defs = []
                for t in defs:
                    bounds = parse_area(t.ref)
                    if bounds is not None:
                        self._table_defs[t.name.upper()] = (t.sheet, *bounds, t.header_rows, t.totals_rows,
                                                            [c.upper() for c in t.columns])
            for ws in self.wb.worksheets:
                for t in (getattr(ws, "tables", None) or {}).values():
                    bounds = parse_area(t.ref)
                    if bounds is None:
                        continue
                    header = 1 if t.headerRowCount is None else int(t.headerRowCount)
                    totals = int(t.totalsRowCount or 0)
                    self._table_defs[t.displayName.upper()] = (ws.title, *bounds, header, totals,
                                                               [(c.name or "").upper() for c in t.tableColumns])
        return self._table_defs

    def _table_range(self, text: str, sheet: str):
        """The range of a structured reference, an error value, or a reason (text) it is not read."""
        tables = self._tables()
        name, bracket, rest = text.partition("[")
        name = name.strip()
        _, name = split_sheet(name) if "!" in name else (None, name)
        if not tables:
            return getattr(self, "_table_error", "the book defines no tables")
        if not name:                         # [@Col] inside a table: the table holding this cell
            cur = self.current
            hits = [k for k, d in tables.items() if cur and d[0] == cur[0] and d[1] <= cur[1] <= d[3]
                    and d[2] <= cur[2] <= d[4]]
            if len(hits) != 1:
                return "a table reference outside a table"
            name = hits[0]
        d = tables.get(name.upper())
        if d is None:
            return "no table of that name"
        t_sheet, r1, c1, r2, c2, header, totals, columns = d
        body = "[" + rest
        items = _structured_items(body)
        if items is None:
            return "a form of table reference this evaluator does not read"
        specials = [i for i in items if i[0] == "#"]
        cols = [i.lstrip("\1") for i in items if i[0] != "#"]
        data1, data2 = r1 + header, r2 - totals
        rows = []
        for s in specials or ["#DATA"]:
            if s == "#ALL":
                rows.append((r1, r2))
            elif s == "#DATA":
                rows.append((data1, data2))
            elif s == "#HEADERS":
                if not header:
                    return REF
                rows.append((r1, r1))
            elif s == "#TOTALS":
                if not totals:
                    return REF
                rows.append((r2, r2))
            elif s == "#THIS ROW":
                cur = self.current
                if cur is None or not data1 <= cur[1] <= data2:
                    return VALUE
                rows.append((cur[1], cur[1]))
            else:
                return "a table specifier this evaluator does not read"
        rows.sort()
        for (a1, a2), (b1, _b2) in zip(rows, rows[1:]):
            if b1 > a2 + 1:
                return "table areas that are not adjacent"
        ra, rb = rows[0][0], max(b for _, b in rows)
        if cols:
            idx = []
            for col in cols:
                for part in col.split("\0"):
                    if part.upper() not in columns:
                        return REF
                    idx.append(columns.index(part.upper()))
            ca, cb = c1 + min(idx), c1 + max(idx)
        else:
            ca, cb = c1, c2
        return Rng(t_sheet, ra, ca, rb, cb)

    def _name_tree(self, text: str):
        tree = self.name_trees.get(text)
        if tree is None:
            try:
                tree = parse_formula("=" + text)
            except ParseError as exc:
                tree = exc
            self.name_trees[text] = tree
        return None if isinstance(tree, Exception) else tree

    def _spill_range(self, rng: Rng) -> Rng | XLError:
        key = (rng.sheet, rng.r1, rng.c1)
        if key not in self.formulas:
            return REF
        v = self.value(key)
        if key in self.array_ref:            # a legacy array formula: its whole stored range
            r1, c1, r2, c2 = self.array_ref[key]
            return Rng(rng.sheet, r1, c1, r2, c2)
        shape = self.result.spill_shape.get(key)
        if shape is None:
            return rng if not isinstance(v, XLError) else v
        return Rng(rng.sheet, rng.r1, rng.c1, rng.r1 + shape[0] - 1, rng.c1 + shape[1] - 1)

    def used(self, sheet: str) -> tuple[int, int]:
        """The used area's last row and column, spills included (settled first)."""
        max_row, max_col = self.extent.get(sheet, (1, 1))
        self._settle_spills_over((sheet, MAX_ROW, MAX_COL))
        claimed = [k for k in self.claimed if k[0] == sheet]
        return (max([max_row] + [k[1] for k in claimed]), max([max_col] + [k[2] for k in claimed]))

    def grid(self, rng: Rng) -> list[list[object]]:
        cur = self.current
        if cur is not None and cur[0] == rng.sheet and rng.r1 <= cur[1] <= rng.r2 and rng.c1 <= cur[2] <= rng.c2 \
                and not self.speculating and cur in self.formulas:
            raise _Cycle(cur)                # a range holding its own formula cell: circular, as in Excel
        r2, c2 = rng.r2, rng.c2
        rows, cols = r2 - rng.r1 + 1, c2 - rng.c1 + 1
        clipped = False
        if rows * cols > 65_536:
            # a large range: read over the used area only, keeping its true shape
            max_row, max_col = self.used(rng.sheet)
            r2 = min(r2, max(max_row, rng.r1))
            c2 = min(c2, max(max_col, rng.c1))
            clipped = (r2, c2) != (rng.r2, rng.c2)
            if (r2 - rng.r1 + 1) * (c2 - rng.c1 + 1) > self.caps.max_range_cells:
                return self.unsupported("range", f"{(r2 - rng.r1 + 1) * (c2 - rng.c1 + 1):,} cells, over the cap "
                                        f"of {self.caps.max_range_cells:,}")
        sheet = rng.sheet
        if self.uncertain:
            for key in self.uncertain:
                if key[0] == sheet and rng.r1 <= key[1] <= r2 and rng.c1 <= key[2] <= c2:
                    self._uncertain(key)
                    break
        formulas, claimed, constants, cache_owner = self.formulas, self.claimed, self.constants, self.cache_owner
        if sheet not in self.formula_sheets:
            # no formula on the sheet: nothing spills or fills into it, every cell is its constant
            get, across, on = constants.get, range(rng.c1, c2 + 1), (sheet,)
            out = [list(map(get, product(on, (r,), across))) for r in range(rng.r1, r2 + 1)]   # keys made in C
            if clipped:
                out = ClippedGrid(out)
                out.shape = (rows, cols)
            return out
        values = self.result.values
        unsettled = bool(self.pending.get(sheet))
        out = ClippedGrid() if clipped else []
        for r in range(rng.r1, r2 + 1):
            row = []
            for c in range(rng.c1, c2 + 1):
                key = (sheet, r, c)
                # the common case, a constant or an empty cell with nothing left to spill into it
                if key in claimed:
                    row.append(values[key])
                elif key in formulas or key in cache_owner or (unsettled and key not in constants):
                    row.append(self.value(key))
                    unsettled = bool(self.pending.get(sheet))
                else:
                    row.append(constants.get(key))
            out.append(row)
        if clipped:
            out.shape = (rows, cols)
        return out

    # -- values
    def value(self, key: tuple[str, int, int]) -> object:
        if key in self.formulas:
            st = self.state.get(key)
            if st == 2:
                v = self.result.values[key]
            elif st == 1:
                self.circ_hits += 1
                if self.speculating:
                    return CIRC
                raise _Cycle(key)
            else:
                v = self._evaluate(key)
            if self.result.unsupported and key in self.result.unsupported:
                self._taint(key)
            if self.result.volatile and key in self.result.volatile and self.current is not None:
                self.result.volatile.add(self.current)
            return v
        owner = self.claimed.get(key)
        if owner is not None:
            return self.result.values[key]
        owner = self.cache_owner.get(key)
        if owner is not None and owner not in self.dynamic:
            self.value(owner)                # a legacy array formula fills its own range
            return self.result.values.get(key) if key in self.claimed else None
        self._settle_spills_over(key)
        owner = self.claimed.get(key)
        if owner is not None:
            return self.result.values[key]
        if owner is None and key in self.cache_owner:
            return None          # stale spill cache of an anchor whose result no longer covers it
        if key in self.uncertain:
            return self._uncertain(key)
        return self.constants.get(key)

    def _uncertain(self, key) -> object:
        """An error constant stored as a rich value: the file's text (#VALUE!) is not its kind."""
        self.unsupported("", f"{cell_key(*key)} holds an error whose kind the file does not state (a rich value)")
        return self.constants.get(key)

    def _settle_spills_over(self, key: tuple[str, int, int]) -> None:
        """Evaluate dynamic-array formulas above-left of an empty cell: one may spill into it."""
        sheet, row, col = key
        if not self.pending.get(sheet):
            return
        for (r, c) in self.by_sheet_dynamic.get(sheet, ()):
            if r > row:
                break
            cand = (sheet, r, c)
            if c <= col and self.state.get(cand) is None and cand not in self.deferred:
                # Speculative: if the candidate needs a cell still being evaluated (the reader of
                # this empty cell), undo it; it is evaluated later in its turn. Spilling into the
                # cell would have been a circular reference in Excel.
                marks = (len(self.journal), self.circ_hits, len(self.result.exceptions), len(self.result.delegated))
                self.speculating += 1
                try:
                    self._evaluate(cand)
                except _Deeper:
                    self._rollback(marks)
                    raise
                finally:
                    self.speculating -= 1
                if self.circ_hits > marks[1]:
                    self._rollback(marks)
                    self.deferred.add(cand)
                    continue
                if key in self.claimed:
                    return

    def _rollback(self, marks) -> None:
        j, _, e, d = marks
        for k in self.journal[j:]:
            self.state.pop(k, None)
            self.result.values.pop(k, None)
            self.result.unsupported.pop(k, None)
            if k in self.dynamic:
                self.pending[k[0]] += 1
            for t in [t for t, a in self.claimed.items() if a == k] if k in self.result.spill_shape else ():
                del self.claimed[t]
                self.result.spilled.pop(t, None)
                self.result.values.pop(t, None)
            self.result.spill_shape.pop(k, None)
        del self.journal[j:]
        del self.result.exceptions[e:]
        del self.result.delegated[d:]

    def compute(self, key: tuple[str, int, int]) -> None:
        """Evaluate ``key`` after its precedents, found from the formulas' references with an
        explicit stack (a 100,000-cell chain never recurses). Precedents hidden from that walk
        (inside large ranges, behind names) are evaluated on demand; a chain of those too deep
        for one pass is cut, its deepest cell evaluated first, and the chain retried."""
        stack = [(key, False)]
        seen = set()
        while stack:
            k, expanded = stack.pop()
            if self.state.get(k) is not None:
                continue
            if expanded:
                self._compute_cut(k)
                continue
            if k in seen:
                continue
            seen.add(k)
            stack.append((k, True))
            for p in self._precedents(k):
                if p not in seen and self.state.get(p) is None:
                    stack.append((p, False))

    def _precedents(self, key) -> list:
        """Formula cells that ``key`` reads through a single cell or a small range reference."""
        try:
            tree = self._tree(self.formulas[key], key)
        except Unsupported:
            return []
        found = []
        todo = [tree]
        formulas = self.formulas
        while todo:
            node = todo.pop()
            t = type(node)
            if t is Ref:
                if node.text.endswith("#"):
                    continue
                rng = self.resolve(node.text, key[0])
                if isinstance(rng, Rng) and (rng.r2 - rng.r1 + 1) * (rng.c2 - rng.c1 + 1) <= 64:
                    for r in range(rng.r1, rng.r2 + 1):
                        for c in range(rng.c1, rng.c2 + 1):
                            if (rng.sheet, r, c) in formulas:
                                found.append((rng.sheet, r, c))
            elif t is Op or t is Call:
                todo.extend(node.args)
        return found

    def _compute_cut(self, key: tuple[str, int, int]) -> None:
        stack = [key]
        on_stack = {key}
        while stack:
            k = stack[-1]
            if self.state.get(k) == 2:
                on_stack.discard(stack.pop())
                continue
            try:
                self._evaluate(k)
            except _Deeper as deeper:
                if deeper.key in on_stack:
                    self.max_depth *= 2      # a long cycle: allow deeper passes (bounded below)
                    continue
                # the cut chain, deepest last on the stack: each cell then finds its precedent done
                for cut in reversed([deeper.key] + deeper.path[:-1]):
                    if cut not in on_stack:
                        stack.append(cut)
                        on_stack.add(cut)

    def _evaluate(self, key: tuple[str, int, int]) -> object:
        if self.depth >= self.max_depth:
            raise _Deeper(key)
        if self.deadline is not None and monotonic() > self.deadline:
            raise _TimeUp(key)
        self.state[key] = 1
        dynamic = key in self.dynamic
        if dynamic:
            self.pending[key[0]] -= 1
        prev, prev_implicit, prev_scope = self.current, self.implicit, self.scope
        self.current, self.scope = key, {}
        self.implicit = not dynamic and key not in self.array_ref
        self.depth += 1
        done = False
        try:
            formula = self.formulas[key]
            try:
                tree = self._tree(formula, key)
                v = self.eval(tree, key[0], self.implicit)
                if isinstance(v, Areas3D):
                    v = self.unsupported("3-D reference", "a 3-D reference as a formula's value")
                if isinstance(v, Rng):
                    v = self.intersect(v) if self.implicit else \
                        self.grid(v) if not v.single else self.value((v.sheet, v.r1, v.c1))
            except _Cycle as exc:
                if exc.key != key:
                    exc.members.append(key)  # on the cycle: settled with it by its first cell
                    raise
                tree = None
                v = self._circular(key, exc.members)
            except Unsupported as exc:
                what = str(exc)
                v = self.fallback.delegate(self, key, formula) if self.fallback is not None else None
                if v is None or (isinstance(v, XLError) and key not in self.result.unsupported):
                    known = bool(re.fullmatch(r"[A-Z][A-Z0-9_.]*", what))
                    self.unsupported(what, "function not supported" if known else "not supported")
                    v = NAME if known else VALUE     # a function Excel would not know is #NAME? there too
                tree = None
            except RecursionError:
                if self.depth > 1:           # deep inside a chain of cells: cut it here, retried later
                    raise _Deeper(key) from None
                v, tree = self.unsupported("formula", "nested too deeply"), None
            if self.implicit and is_grid(v):
                v = self._legacy_result(v, tree)
            if self.result.unsupported and key in self.result.unsupported and not isinstance(v, XLError):
                v = VALUE                    # never a number Excel might not give
            if isinstance(v, str) and len(v) > TEXT_LIMIT:
                v = VALUE
            if v is CIRC and self.iterate:
                v = self.unsupported("iterative calculation", "the book enables iterative calculation "
                                     "(calcPr iterate), which is not supported")
            if key in self.over_cap:
                v = self.unsupported("array formula", "its range takes the book's array formulas over the cap "
                                     f"of {min(self.caps.max_range_cells, ARRAY_CELLS_BUDGET):,} cells")
            elif dynamic:
                v = place_spill(self, key, v)
            elif key in self.array_ref:
                v = fill_array(self, key, v)
            else:
                v = none_to_zero(v)
            done = True
        finally:
            self.current, self.implicit, self.scope = prev, prev_implicit, prev_scope
            self.depth -= 1
            if not done:                     # cut (_Deeper) or failed: evaluated again later
                exc = sys.exc_info()[1]
                if isinstance(exc, _Deeper):
                    exc.path.append(key)
                self.state.pop(key, None)
                self.result.unsupported.pop(key, None)
                if dynamic:
                    self.pending[key[0]] += 1
        self.result.values[key] = v
        self.state[key] = 2
        self.journal.append(key)
        return v

    def _circular(self, key, members) -> XLError:
        """A circular reference (a cell reads itself, directly or through a range that holds it,
        as Excel's dependencies count): every cell on the cycle is #CIRC!, recorded. Excel shows
        0 and a warning; the value it caches comes from its previous calculation."""
        why = f"circular reference through {cell_key(*key)}"
        if self.iterate:
            why = "the book enables iterative calculation (calcPr iterate), which is not supported"
        for m in members:
            self.result.values[m] = CIRC
            self.result.unsupported[m] = why
            self.state[m] = 2
            self.journal.append(m)
            if m in self.dynamic:
                self.pending[m[0]] -= 1
        self.result.unsupported[key] = why
        return CIRC

    def _legacy_result(self, v, tree):
        """A plain formula's array result: a range reference is intersected with the formula's
        row or column; any other array shows its top-left value (Excel before dynamic arrays)."""
        if len(v) == 1 and len(v[0]) == 1:
            return v[0][0]
        if isinstance(tree, Call) and _lib.FACTS.get(self.function_name(tree.name)[1], _PLAIN).returns_ref:
            return self.unsupported(tree.name.upper(), "a reference result in a non-array formula")
        if isinstance(v, ClippedGrid):
            return self.unsupported("range", "an array result beyond the used area")
        return v[0][0]

    def _tree(self, formula: str, key: tuple[str, int, int]) -> Node:
        """The parsed formula, kept per cell (a cut chain is retried). Formulas that differ only
        by relative references (a column of copied formulas) share one parse: the cached tree is
        re-based to this cell."""
        tree = self.cell_trees.get(key)
        if tree is None:
            tree = self.cell_trees[key] = self._template_tree(formula, key)
        return tree

    def _template_tree(self, formula: str, key: tuple[str, int, int]) -> Node:
        if key is not None:
            tmpl = template(formula, key[1], key[2])
            hit = self.templates.get(tmpl)
            if hit is not None:
                tree, (r0, c0) = hit
                if isinstance(tree, Exception):
                    raise Unsupported(str(tree))
                return rebase(tree, key[1] - r0, key[2] - c0)
        tree = self.trees.get(formula)
        if tree is None:
            try:
                tree = parse_formula(formula)
            except ParseError as exc:
                tree = exc
            self.trees[formula] = tree
        if key is not None and not isinstance(tree, Exception):
            try:
                rebase(tree, 1, 1)           # a tree too deep to re-base is too deep to evaluate
            except RecursionError:
                tree = self.trees[formula] = ParseError("nested too deeply")
        if key is not None:
            self.templates[tmpl] = (tree, (key[1], key[2]))
        if isinstance(tree, Exception):
            raise Unsupported(str(tree))
        return tree

    # -- expressions
    def scalar_number(self, v):
        if is_grid(v):
            v = v[0][0] if v and v[0] else None
        return to_number(v, self.epoch)

    def scalar_bool(self, v):
        if is_grid(v):
            v = v[0][0] if v and v[0] else None
        return to_bool(v)

    def shape(self, arg) -> tuple[int, int]:
        """(rows, cols) of an argument: a reference's true size, an array's, 1x1 for a value."""
        v = arg[1]
        if isinstance(v, Rng):
            return v.r2 - v.r1 + 1, v.c2 - v.c1 + 1
        if isinstance(v, ClippedGrid):
            return v.shape
        if is_grid(v):
            return len(v), len(v[0]) if v else 0
        return 1, 1

    def intersect(self, rng: Rng):
        """Implicit intersection: the cell of a one-column range in the formula's row, of a
        one-row range in its column; #VALUE! when there is none."""
        if rng.single:
            return self.value((rng.sheet, rng.r1, rng.c1))
        _, row, col = self.current
        if rng.c1 == rng.c2 and rng.r1 <= row <= rng.r2:
            return self.value((rng.sheet, row, rng.c1))
        if rng.r1 == rng.r2 and rng.c1 <= col <= rng.c2:
            return self.value((rng.sheet, rng.r1, col))
        return VALUE

    def deref(self, v, sheet):
        """A reference becomes its value: a single cell its value, an area its grid."""
        if isinstance(v, Rng):
            if v.single:
                return self.value((v.sheet, v.r1, v.c1))
            return self.grid(v)
        return v

    def operand(self, node: Node, sheet: str):
        """An operator's operand: in a plain formula a range is intersected."""
        v = self.eval(node, sheet, True)
        if isinstance(v, Rng):
            return self.intersect(v) if self.implicit else self.deref(v, sheet)
        if isinstance(v, Areas3D):
            return self.unsupported("3-D reference", "an operator over a 3-D reference")
        if isinstance(v, ClippedGrid):
            return self.unsupported("range", "an operator over a range beyond the used area")
        return v

    def eval(self, node: Node, sheet: str, keep_ref: bool = False):
        t = type(node)
        if t is Const:
            return node.value
        if t is Ref:
            if self.scope:
                name = _let_name(node.text)
                if name in self.scope:       # a LET name or LAMBDA parameter (an empty cell's value is None)
                    bound = self.scope[name]
                    if type(bound) is _Closure or bound is OMITTED:
                        return self._not_a_value(bound)
                    return bound if keep_ref or not isinstance(bound, Rng) else self.deref(bound, sheet)
            if "[" in node.text:
                return self.structured(node.text, sheet, keep_ref)
            if ":" in node.text.partition("!")[0] and "!" in node.text:
                areas = self.three_d(node.text)
                if isinstance(areas, Areas3D) and not keep_ref:
                    return self.unsupported("3-D reference", f"{node.text} outside a function that sums "
                                            "or counts over it")
                return areas
            rng = self.resolve(node.text, sheet)
            if isinstance(rng, XLError):
                if rng is NAME and "_XLETA." in node.text.upper():   # TYPE(SUM): a function as a value
                    return self.unsupported("LAMBDA", f"{node.text} named as a value")
                return rng
            if not isinstance(rng, Rng):
                return self.eval(rng, sheet, keep_ref)      # a name holding a constant or formula
            return rng if keep_ref else self.deref(rng, sheet)
        if t is Array:
            return [list(r) for r in node.rows]
        if t is Call:
            self._keep_ref = keep_ref
            return self.call(node, sheet)
        if t is Op:
            return self.op(node, sheet, keep_ref)
        raise Unsupported(repr(node))

    def op(self, node: Op, sheet: str, keep_ref: bool):
        o = node.op
        if o in (":",):
            a = self.eval(node.args[0], sheet, True)
            b = self.eval(node.args[1], sheet, True)
            if isinstance(a, XLError):
                return a
            if isinstance(b, XLError):
                return b
            if not isinstance(a, Rng) or not isinstance(b, Rng) or a.sheet != b.sheet:
                return REF
            rng = Rng(a.sheet, min(a.r1, b.r1), min(a.c1, b.c1), max(a.r2, b.r2), max(a.c2, b.c2))
            return rng if keep_ref else self.deref(rng, sheet)
        if o in (" ", ","):
            raise Unsupported(f"reference operator {o!r}")
        if o in ("neg", "pos", "%"):
            v = self.operand(node.args[0], sheet)
            if o == "neg" and is_grid(v):
                try:   # the common --ISERROR(range): booleans and numbers only
                    return [[-(1.0 if x is True else 0.0 if x is False else x)
                             if type(x) in (bool, float, int) else _NOT_NUMBER[0] for x in row] for row in v]
                except _NotNumber:
                    pass

            def un(x):
                n = to_number(x, self.epoch)
                if isinstance(n, XLError):
                    return n
                return -n if o == "neg" else (n if o == "pos" else n / 100.0)
            return grid_map(un, v)
        a = self.operand(node.args[0], sheet)
        b = self.operand(node.args[1], sheet)
        if o == "&":
            join = _lib.text.join
            return broadcast(lambda x, y: join(x, y, self.epoch), a, b)
        if o in ("=", "<>", "<", ">", "<=", ">="):
            return broadcast(lambda x, y: compare(o, x, y, self.epoch), a, b)

        def arith(x, y):
            nx, ny = to_number(x, self.epoch), to_number(y, self.epoch)
            if isinstance(nx, XLError):
                return nx
            if isinstance(ny, XLError):
                return ny
            if o == "+":
                r = nx + ny
            elif o == "-":
                r = nx - ny
            elif o == "*":
                r = nx * ny
            elif o == "/":
                if ny == 0:
                    return DIV0
                r = nx / ny
            else:
                return _lib.math.power(nx, ny)
            return r if -_MAX_NUMBER <= r <= _MAX_NUMBER else NUM      # 1E+308*10 is #NUM!
        return broadcast(arith, a, b)

    def function_name(self, written: str) -> tuple[str, str]:
        """('catalog' | 'native' | 'unknown', NAME) for a function name as written."""
        name = written.upper()
        for p in PREFIXES:
            if name.startswith(p):
                name = name[len(p):]
                break
        if name in self.catalog_names:
            return "catalog", name
        if name in _lib.NATIVE or name == "ANCHORARRAY":
            return "native", name
        if "." in name or "!" in name:
            tail = re.split(r"[.!]", name)[-1]
            if tail in self.catalog_names:
                return "catalog", tail
        return "unknown", name

    def call(self, node: Call, sheet: str):
        kind, name = self.function_name(node.name)
        # a catalog function runs in place of a native one of the same name (function_name): its
        # volatility is not looked up (nor the library loaded for it)
        if (name in EVALUATOR_VOLATILE or kind != "catalog" and name in _lib.VOLATILE) and self.current is not None:
            self.result.volatile.add(self.current)
        if name in ("TODAY", "NOW"):
            if node.args:
                return VALUE
            return self._clock(name == "NOW")
        if name in EVALUATOR_FUNCTIONS and name not in _lib.NATIVE:
            return getattr(self, "_" + name.lower())(node, sheet)
        if kind == "unknown":
            if node.name == INVOKE:          # LAMBDA(x, x+1)(5)
                callee = node.args[0]
                return self._call_lambda(callee, Call(INVOKE, node.args[1:]), sheet)
            bound = self.scope.get(_let_name(node.name)) if self.scope else None
            if isinstance(bound, _Closure):  # LET(f, LAMBDA(x, ...), f(2))
                lam = _eta_lambda(bound.eta, len(node.args)) if bound.eta else bound.lam
                return self._call_lambda(lam, node, sheet, bound.scope)
            named = self._named_lambda(name, sheet)
            if named is not None:
                return self._call_lambda(named, node, sheet)
            raise Unsupported(name)
        if name == "ANCHORARRAY":
            return self._anchorarray(node, sheet)
        if kind == "native" and name in ("IF", "IFERROR"):
            return self._lazy_if(name, node, sheet)
        native = kind == "native"
        if not native:
            origins: list = []
            args = self._arguments(node, sheet, _CATALOG, origins)
            return args if isinstance(args, XLError) else self.call_catalog(name, [v for _, v in args], origins)
        facts = _lib.FACTS.get(name, _PLAIN)
        args = self._arguments(node, sheet, facts)
        if isinstance(args, XLError):
            return args
        return self.apply(name, facts, args)

    def _arguments(self, node: Call, sheet: str, facts: Facts, origins: list | None = None):
        """The arguments as ``(is_reference, value)`` pairs, each as its function's facts ask: a
        reference kept, a range as a grid, or (in a plain formula) a range intersected."""
        args = []
        implicit = self.implicit
        ranges, refs, array_mode, lambdas = facts.ranges, facts.refs, facts.array_mode, facts.lambdas
        for i, a in enumerate(node.args):
            if lambdas and i in lambdas and self._is_lambda(a, sheet):   # BYROW's, MAP's LAMBDA
                args.append((False, self.lambda_value(a, sheet)))
                continue
            if implicit and i in array_mode:
                self.implicit = False
                try:
                    v = self.eval(a, sheet, keep_ref=True)
                finally:
                    self.implicit = implicit
            else:
                v = self.eval(a, sheet, keep_ref=True)
            if origins is not None:          # where a range argument starts, so a refusal names its cell
                origins.append((v.sheet, v.r1, v.c1) if isinstance(v, Rng) else None)
            if isinstance(v, Areas3D):
                if not (i in ranges and i + 1 in ranges and i + 64 in ranges):
                    return self.unsupported(node.name.upper(), "a 3-D reference in this argument")
                for rng in v:                # an aggregate over every argument: one range per sheet
                    args.append((True, self.grid(rng)))
                continue
            if isinstance(v, Rng):
                if i in refs:
                    args.append((True, v))
                elif i in ranges or (i in array_mode and not v.single):
                    g = self.grid(v)
                    if isinstance(g, ClippedGrid) and not facts.clip_safe:
                        return self.unsupported(node.name.upper(), "a range beyond the used area")
                    args.append((True, g))
                elif v.single:
                    args.append((True, self.value((v.sheet, v.r1, v.c1))))
                elif implicit and facts is not _CATALOG:
                    args.append((True, self.intersect(v)))
                else:
                    g = self.grid(v)
                    if isinstance(g, ClippedGrid) and facts is not _CATALOG:
                        return self.unsupported(node.name.upper(), "a range beyond the used area")
                    args.append((True, g))
            else:
                args.append((False, v))
        return args

    def apply(self, name: str, facts: Facts, args: list):
        """Call a native function: errors in its scalar arguments passed on, arrays in them
        broadcast (the function called per element), then Excel's number limits on the result."""
        broadcast, errors, ranges, refs = facts.broadcast, facts.errors, facts.ranges, facts.refs
        fn = _lib.NATIVE[name]
        lifted = []
        if refs:                             # an error where a reference is expected is passed on
            for i, (_, v) in enumerate(args):
                if i in refs and isinstance(v, XLError) and i not in errors:
                    return v
        if broadcast:
            for i, (_, v) in enumerate(args):
                if i in broadcast and i not in ranges and i not in refs:
                    if isinstance(v, XLError) and i not in errors:
                        return v
                    if is_grid(v):
                        lifted.append(i)
        if not lifted:
            return _finite(self._run(name, fn, args))
        shapes = [(len(args[i][1]), max((len(r) for r in args[i][1]), default=0)) for i in lifted]
        if any(r == 0 or c == 0 for r, c in shapes):
            return VALUE
        rows, cols = max(r for r, _ in shapes), max(c for _, c in shapes)
        if rows * cols > self.caps.max_range_cells:
            return self.unsupported(name, f"an array of {rows * cols:,} cells, over the cap")
        out = []
        for r in range(rows):
            line = []
            for c in range(cols):
                one = list(args)
                v = None
                for i, (g_rows, g_cols) in zip(lifted, shapes):
                    g = args[i][1]
                    rr, cc = (0 if g_rows == 1 else r), (0 if g_cols == 1 else c)
                    if rr >= g_rows or cc >= len(g[rr]):
                        v = NA               # beyond a smaller array: #N/A, as Excel pads
                        break
                    x = g[rr][cc]
                    if isinstance(x, XLError) and i not in errors:
                        v = x
                        break
                    one[i] = (args[i][0], x)
                if v is None:
                    v = self._run(name, fn, one)
                    if isinstance(v, Rng):
                        v = self.value((v.sheet, v.r1, v.c1)) if v.single else VALUE
                    elif is_grid(v):
                        v = v[0][0] if len(v) == 1 and len(v[0]) == 1 else VALUE
                    v = _finite(v)
                line.append(v)
            out.append(line)
        return out

    def _let(self, node: Call, sheet: str):
        """LET(name1, value1, [name2, value2, ...], calculation): each name bound to its value (a
        reference stays a reference) for the names after it and the calculation."""
        args = node.args
        keep = self._keep_ref
        if len(args) < 3 or len(args) % 2 == 0:
            return VALUE
        outer = self.scope
        self.scope = dict(outer)
        try:
            for name_node, value_node in zip(args[:-1:2], args[1:-1:2]):
                if not isinstance(name_node, Ref) or "!" in name_node.text or parse_area(name_node.text):
                    return VALUE
                if self._is_lambda(value_node, sheet):     # LAMBDA(...), a LAMBDA's name, ABS as a value
                    self.scope[_let_name(name_node.text)] = self.lambda_value(value_node, sheet)
                    continue
                self.scope[_let_name(name_node.text)] = self.eval(value_node, sheet, keep_ref=True)
            return self.eval(args[-1], sheet, keep)
        finally:
            self.scope = outer

    def _offset(self, node: Call, sheet: str):
        """OFFSET(reference, rows, cols, [height], [width]): the reference moved and resized; off
        the sheet is #REF!; a height or width of 0 is #REF!; an array of offsets is not supported."""
        args = node.args
        keep = self._keep_ref
        if not 3 <= len(args) <= 5:
            return VALUE
        base = self.eval(args[0], sheet, keep_ref=True)
        if isinstance(base, XLError):
            return base
        if not isinstance(base, Rng):
            return VALUE
        nums = []
        for i, a in enumerate(args[1:], start=1):
            if isinstance(a, Const) and a.value is None:
                nums.append(None)
                continue
            v = self.operand(a, sheet)
            if is_grid(v):
                return self.unsupported("OFFSET", "an array of offsets or sizes")
            n = to_number(v, self.epoch)
            if isinstance(n, XLError):
                return n
            n = _offset_whole(n, sizing=i > 2)
            if n is None:
                return self.unsupported("OFFSET", "a height or width between -1 and 1, or a fractional "
                                        "negative one (Excel's rounding of it is not documented)")
            nums.append(n)
        rows, cols = int(nums[0] or 0), int(nums[1] or 0)
        height = int(nums[2]) if len(nums) > 2 and nums[2] is not None else base.r2 - base.r1 + 1
        width = int(nums[3]) if len(nums) > 3 and nums[3] is not None else base.c2 - base.c1 + 1
        if height == 0 or width == 0:
            return REF
        r1, c1 = base.r1 + rows, base.c1 + cols
        r2, c2 = r1 + height - 1, c1 + width - 1
        r1, r2 = min(r1, r2), max(r1, r2)
        c1, c2 = min(c1, c2), max(c1, c2)
        if r1 < 1 or c1 < 1 or r2 > MAX_ROW or c2 > MAX_COL:
            return REF
        rng = Rng(base.sheet, r1, c1, r2, c2)
        return rng if keep else self.deref(rng, sheet)

    def _indirect(self, node: Call, sheet: str):
        """INDIRECT(ref_text, [a1]): the reference the text names (A1 style, a sheet, a defined
        name); R1C1 style is not supported; text that is no reference is #REF!."""
        args = node.args
        keep = self._keep_ref
        if not 1 <= len(args) <= 2:
            return VALUE
        if len(args) == 2 and not (isinstance(args[1], Const) and args[1].value is None):
            a1 = to_bool(self.operand(args[1], sheet))
            if isinstance(a1, XLError):
                return a1
            if not a1:
                return self.unsupported("INDIRECT", "R1C1-style reference text")
        text = self.operand(args[0], sheet)
        if is_grid(text):
            return self.unsupported("INDIRECT", "an array of reference texts")
        if isinstance(text, XLError):
            return text
        if not isinstance(text, str) or not text.strip():
            return REF
        text = text.strip()
        if "[" in text or text.count(":") > 1:
            return self.unsupported("INDIRECT", f"reference text {text!r}")
        rng = self.resolve(text, sheet)
        if not isinstance(rng, Rng):
            return REF
        return rng if keep else self.deref(rng, sheet)

    def _formula_of(self, node: Call, sheet: str):
        """The cell a FORMULATEXT/ISFORMULA argument names (its top-left cell), or an error."""
        if len(node.args) != 1:
            return VALUE
        ref = self.eval(node.args[0], sheet, keep_ref=True)
        if isinstance(ref, XLError):
            return ref
        if not isinstance(ref, Rng):
            return VALUE if not isinstance(ref, Areas3D) else self.unsupported(node.name.upper(), "a 3-D reference")
        return (ref.sheet, ref.r1, ref.c1)

    def _formulatext(self, node: Call, sheet: str):
        """FORMULATEXT(reference): the formula as Excel shows it (without the _xlfn. prefixes of
        the file; a legacy array formula in braces); a cell without a formula is #N/A; its own
        cell is no circular reference (the Excel-saved calc_tests__INFORMATION__FORMULATEXT.xlsx
        A13, ``=FORMULATEXT(A13)``, shows its own text)."""
        key = self._formula_of(node, sheet)
        if isinstance(key, XLError):
            return key
        text = self.formulas.get(key)
        if text is None:
            return NA
        # its own cell is no circular reference: FORMULATEXT reads the text, not the value (the
        # Excel-saved calc_tests__INFORMATION__FORMULATEXT.xlsx: A13 =FORMULATEXT(A13) is "=FORMULATEXT(A13)")
        shown = re.sub(r"_xl(?:fn|ws|pm)\.", "", text, flags=re.I)
        if "_xl" in shown.lower() or "[" in shown:
            return self.unsupported("FORMULATEXT", "a formula stored with parts Excel shows otherwise")
        return "{" + shown + "}" if key in self.array_ref else shown

    def _isref(self, node: Call, sheet: str):
        """ISREF(value): TRUE for a reference (a cell, a range, a name of one, OFFSET's or
        INDIRECT's result), FALSE for any other value, errors included."""
        if len(node.args) != 1:
            return VALUE
        return isinstance(self.eval(node.args[0], sheet, keep_ref=True), (Rng, Areas3D))

    def _sheet(self, node: Call, sheet: str):
        """SHEET([value]): the sheet number (hidden sheets count) of this cell, of a reference, or
        of a sheet named by text; any other value, or text naming no sheet, is #N/A."""
        order = [s.upper() for s in self.result.sheet_order]
        if not node.args or (len(node.args) == 1 and isinstance(node.args[0], Const) and node.args[0].value is None):
            return float(order.index(self.current[0].upper()) + 1)
        if len(node.args) != 1:
            return VALUE
        v = self.eval(node.args[0], sheet, keep_ref=True)
        if isinstance(v, Rng):
            return float(order.index(v.sheet.upper()) + 1)
        if isinstance(v, Areas3D):
            return float(order.index(v[0].sheet.upper()) + 1)
        if isinstance(v, XLError):
            return v
        if isinstance(v, str) and v.upper() in order:
            return float(order.index(v.upper()) + 1)
        return NA

    def _sheets(self, node: Call, sheet: str):
        """SHEETS([reference]): the number of sheets in the book, or in a (3-D) reference."""
        if not node.args or (len(node.args) == 1 and isinstance(node.args[0], Const) and node.args[0].value is None):
            return float(len(self.result.sheet_order))
        if len(node.args) != 1:
            return VALUE
        v = self.eval(node.args[0], sheet, keep_ref=True)
        if isinstance(v, XLError):
            return v
        if isinstance(v, Areas3D):
            return float(len(v))
        return 1.0 if isinstance(v, Rng) else NA

    def _cell(self, node: Call, sheet: str):
        """CELL(info_type, [reference]) for "address", "col", "row", "contents" and "type" (b
        blank, l text, v anything else) of the reference's top-left cell; an info_type that is
        not text or not one of Excel's is #VALUE!; the other info types (formats, file name),
        and no reference (the last cell changed), are not supported."""
        args = [a for a in node.args]
        if not 1 <= len(args) <= 2:
            return VALUE
        info = self.operand(args[0], sheet)
        if isinstance(info, XLError):
            return info
        if not isinstance(info, str) or is_grid(info):
            return VALUE
        kind = info.lower()
        known = {"address", "col", "color", "contents", "filename", "format", "parentheses", "prefix",
                 "protect", "row", "type", "width"}
        if kind not in known:
            return VALUE
        if len(args) < 2 or (isinstance(args[1], Const) and args[1].value is None):
            return self.unsupported("CELL", "no reference (Excel uses the last cell changed)")
        if kind not in ("address", "col", "row", "contents", "type"):
            return self.unsupported("CELL", f'info_type "{info}"')
        ref = self.eval(args[1], sheet, keep_ref=True)
        if isinstance(ref, XLError):
            return ref
        if not isinstance(ref, Rng):
            return VALUE
        if kind == "col":
            return float(ref.c1)
        if kind == "row":
            return float(ref.r1)
        if kind == "address":
            if ref.sheet != self.current[0]:
                return self.unsupported("CELL", "the address of a cell on another sheet (it names the file)")
            return f"${get_column_letter(ref.c1)}${ref.r1}"
        v = self.value((ref.sheet, ref.r1, ref.c1))
        if kind == "contents":
            return v
        return "b" if v is None else "l" if isinstance(v, str) and not isinstance(v, XLError) else "v"

    def _isformula(self, node: Call, sheet: str):
        """ISFORMULA(reference): TRUE when the cell holds a formula."""
        key = self._formula_of(node, sheet)
        if isinstance(key, XLError):
            return key
        return key in self.formulas

    def _named_lambda(self, name: str, sheet: str):
        """The LAMBDA a defined name holds (``cal_month`` = ``LAMBDA(mo, ...)``), or None."""
        text = self.names.get((sheet, name)) or self.names.get((None, name))
        if not text:
            return None
        text = text.lstrip("=")
        if not re.match(r"(?i)(_xlfn\.)?LAMBDA\(", text):
            return None
        tree = self._name_tree(text)
        return tree if isinstance(tree, Call) else None

    def _call_lambda(self, lam: Call, node: Call, sheet: str, captured: dict | None = None):
        """A LAMBDA called where it is written, by its LET name or by its defined name: each
        argument evaluated (a reference stays one, a LAMBDA stays callable, an empty argument is
        omitted) and the body run (:meth:`_invoke`)."""
        keep = self._keep_ref
        values = [OMITTED if type(a) is Const and a.value is None else
                  self.lambda_value(a, sheet) if self._is_lambda(a, sheet) else
                  self.eval(a, sheet, keep_ref=True) for a in node.args]
        return self._invoke(lam, values, sheet, captured, keep)

    def call_lambda(self, fn, values: list):
        """Call a LAMBDA value (what :meth:`lambda_value` gives BYROW, MAP, REDUCE...) with
        evaluated arguments (a reference stays one); a wrong number of arguments is #VALUE!."""
        lam = _eta_lambda(fn.eta, len(values)) if fn.eta else fn.lam
        return self._invoke(lam, values, fn.sheet or self.current[0], fn.scope, False)

    def lambda_takes(self, fn, count: int) -> bool:
        """Whether a LAMBDA value can be called with ``count`` arguments (its parameters, less
        the optional ones at the end; a function named in its place takes what it is given)."""
        if fn.eta:
            return count >= 1
        params = fn.lam.args[:-1]
        required = sum(1 for p in params if not (isinstance(p, Ref) and p.text.upper().startswith("_XLOP.")))
        return bool(fn.lam.args) and required <= count <= len(params)

    def _invoke(self, lam: Call, values: list, sheet: str, captured: dict | None, keep: bool):
        """Each parameter bound to its value, the body evaluated with only those names and the
        ones in scope where the LAMBDA was written, as Excel's LAMBDA does. A parameter written
        in brackets (``[b]``, stored ``_xlop.b``) may be left off; it is then omitted, as an empty
        argument is (ISOMITTED; Microsoft's ISOMITTED page: ``LAMBDA(x,y, ...)(1,)``). More
        arguments than parameters, or a required one left off, is #VALUE! ("Incorrect
        parameters", Microsoft's LAMBDA page)."""
        params, body = lam.args[:-1], lam.args[-1] if lam.args else None
        if body is None or len(values) > len(params) or not all(isinstance(p, Ref) for p in params):
            return VALUE
        bound = {}
        for i, p in enumerate(params):
            if i < len(values):
                bound[_let_name(p.text)] = values[i]
            elif p.text.upper().startswith("_XLOP."):
                bound[_let_name(p.text)] = OMITTED
            else:
                return VALUE
        outer = self.scope
        self.scope = {**(captured or {}), **bound}
        self.lambda_depth += 1
        try:
            if self.lambda_depth > 64:
                return self.unsupported("LAMBDA", "recursion deeper than 64 calls")
            return self.eval(body, sheet, keep)
        finally:
            self.lambda_depth -= 1
            self.scope = outer

    def _is_lambda(self, node, sheet: str) -> bool:
        """Whether an argument is written as a LAMBDA: ``LAMBDA(...)`` itself, a LET name or a
        parameter bound to one, a defined name holding one, or a function's name in its place."""
        if type(node) is Call:
            return self.function_name(node.name)[1] == "LAMBDA"
        if type(node) is Ref:
            name = _let_name(node.text)
            if self.scope and name in self.scope:
                return type(self.scope[name]) is _Closure
            return "!" not in node.text and ("_XLETA." in name or
                                             self._named_lambda(name, sheet) is not None)
        return False

    def lambda_value(self, node, sheet: str):
        """An argument that takes a LAMBDA (BYROW's, MAP's): a callable value, with the names in
        scope where it is written. Anything else is #VALUE! ("Providing an invalid LAMBDA
        function ... returns a #VALUE! error", Microsoft's BYROW page); a function's name in
        its place (Excel's eta reduction) is not read."""
        if type(node) is Call and self.function_name(node.name)[1] == "LAMBDA":
            return _Closure(node, dict(self.scope), sheet)
        if type(node) is Ref:
            name = _let_name(node.text)
            bound = self.scope.get(name) if self.scope else None
            if type(bound) is _Closure:
                return bound
            if not (self.scope and name in self.scope) and "!" not in node.text:
                named = self._named_lambda(name, sheet)
                if named is not None:
                    return _Closure(named, {}, sheet)
                if "_XLETA." in name:
                    fname = name.rpartition("_XLETA.")[2]
                    if fname in _lib.NATIVE:
                        return _Closure(Call(fname, []), {}, sheet, fname)
                    return self.unsupported("LAMBDA", f"{fname} named in place of a LAMBDA")
        v = self.eval(node, sheet, keep_ref=True)
        if isinstance(v, XLError):
            return v if self.current in self.result.unsupported else \
                self.unsupported("LAMBDA", "an error value in place of a LAMBDA")
        return VALUE

    def _not_a_value(self, bound):
        """A LET name or parameter holding a LAMBDA, or an omitted parameter, used as a value:
        Excel's results for these are not read here."""
        if bound is OMITTED:
            return self.unsupported("LAMBDA", "the value of an omitted parameter")
        return self.unsupported("LAMBDA", "a LAMBDA used as a value")

    def _anchorarray(self, node: Call, sheet: str):
        """ANCHORARRAY(cell), as Excel stores ``A1#``: the spill of the dynamic array anchored
        there, as a reference; the cell may come from a reference function
        (``SUM(ANCHORARRAY(OFFSET(A1,1,1)))`` is the sum of B2's spill: the Excel-saved
        calc_tests__spill_operator.xlsx I2); a cell without a formula is #REF! (E2 there)."""
        keep = self._keep_ref
        if len(node.args) != 1:
            return VALUE
        a = node.args[0]
        if isinstance(a, Ref) and "[" not in a.text and not (self.scope and _let_name(a.text) in self.scope):
            rng = self.resolve(a.text + "#", sheet)
        else:
            cell = self.eval(a, sheet, keep_ref=True)
            if isinstance(cell, XLError):
                return cell
            if not isinstance(cell, Rng) or not cell.single:
                return self.unsupported("ANCHORARRAY", "an argument that is not one cell")
            rng = self._spill_range(cell)
        if isinstance(rng, XLError):
            return rng
        return self.deref(rng, sheet) if not keep else rng

    def _single(self, node: Call, sheet: str):
        """SINGLE(value), as Excel stores the implicit intersection operator ``@``: of a range,
        the cell in the formula's row (one column) or column (one row), #VALUE! where there is
        none; of an array, its top-left value (Microsoft, "Implicit intersection operator: @";
        the Excel-saved calc_tests__INFORMATION__N.xlsx B20, ``N(SINGLE(D18:D22))`` in row 20,
        and calc_tests__MATH_AND_TRIGONOMETRY__LCM_GCD.xlsx D43:E43, ``SINGLE(J:J)``)."""
        keep = self._keep_ref
        if len(node.args) != 1:
            return VALUE
        v = self.eval(node.args[0], sheet, keep_ref=True)
        if isinstance(v, Areas3D):
            return self.unsupported("SINGLE", "a 3-D reference")
        if isinstance(v, Rng):
            if not v.single:
                _, row, col = self.current
                if v.c1 == v.c2 and v.r1 <= row <= v.r2:
                    v = Rng(v.sheet, row, v.c1, row, v.c1)
                elif v.r1 == v.r2 and v.c1 <= col <= v.c2:
                    v = Rng(v.sheet, v.r1, col, v.r1, col)
                else:
                    return VALUE
            return v if keep else self.value((v.sheet, v.r1, v.c1))
        if is_grid(v):
            return v[0][0] if v and v[0] else VALUE
        return v

    def _isomitted(self, node: Call, sheet: str):
        """ISOMITTED(argument): TRUE for a LAMBDA parameter left off or given an empty argument,
        FALSE for one given a value (Microsoft's ISOMITTED page:
        ``LAMBDA(x,y, IF(ISOMITTED(y),"Missing second argument",x+y))(1,)``); other arguments
        are not read."""
        if len(node.args) != 1:
            return VALUE
        a = node.args[0]
        if type(a) is Ref and self.scope and _let_name(a.text) in self.scope:
            return self.scope[_let_name(a.text)] is OMITTED
        return self.unsupported("ISOMITTED", "an argument that is not a LAMBDA parameter")

    def _clock(self, with_time: bool) -> float:
        """TODAY (the date's serial number) or NOW (with the time as a fraction of a day), from
        ``now=`` when pinned, else the local clock. Volatile: ``Recalc.volatile`` lists the cell."""
        moment = self.now if self.now is not None else datetime.now()
        if not isinstance(moment, datetime):                  # a date: midnight
            moment = datetime(moment.year, moment.month, moment.day)
        if not with_time:
            moment = datetime(moment.year, moment.month, moment.day)
        return float(to_excel(moment, self.epoch))

    def _run(self, name: str, fn, args: list):
        """One call of a native function: an arithmetic overflow is #NUM! as in Excel; any other
        exception is a bug, recorded (``Recalc.exceptions``) with the cell an unsupported error."""
        try:
            return fn(self, args)
        except RecursionError:
            raise
        except ArithmeticError:              # OverflowError (fsum of 1E+308s), decimal's InvalidOperation
            return NUM
        except Exception as exc:  # noqa: BLE001 - one cell never stops the recalculation
            sheet, r, c = self.current
            self.result.exceptions.append(RecordedException(
                sheet, f"{get_column_letter(c)}{r}", name, f"{type(exc).__name__}: {exc}"))
            return self.unsupported(name, f"internal error ({type(exc).__name__})")

    def _lazy_if(self, name, node, sheet):
        # IF evaluates only the branch it takes, as Excel does (a catalog call in the
        # other branch is not made, so its exception is not recorded).
        if name == "IF" and 1 <= len(node.args) <= 3:
            cond = self.operand(node.args[0], sheet)
            if not is_grid(cond):
                b = to_bool(cond)
                if isinstance(b, XLError):
                    return b
                if b:
                    v = self.eval(node.args[1], sheet) if len(node.args) > 1 else True
                else:
                    v = self.eval(node.args[2], sheet) if len(node.args) > 2 else False
                return 0.0 if v is None else v
        args = [(False, self.eval(a, sheet)) for a in node.args]
        return self.apply(name, _lib.FACTS.get(name, _PLAIN), args)

    def call_catalog(self, name: str, args: list, origins: list | None = None):
        try:
            if origins and any(origins) and getattr(self.catalog, "NAMES_CELLS", False):
                v = self.catalog.call(name, *args, date1904=self.date1904, origins=origins)
            else:
                v = self.catalog.call(name, *args, date1904=self.date1904)
        except RecursionError:
            raise
        except Exception as exc:  # a bug in the catalog: record it, never hide it
            sheet, r, c = self.current
            self.result.exceptions.append(RecordedException(
                sheet, f"{get_column_letter(c)}{r}", name, f"{type(exc).__name__}: {exc}"))
            return VALUE
        return from_catalog(v)

class Areas3D(tuple):
    """The areas of a 3-D reference (``Sheet1:Sheet3!A1``), one Rng per sheet."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class _Closure:
    """A LAMBDA as a value (bound to a LET name, or passed to BYROW, MAP...), with the names in
    scope where it was written and the sheet its references are read on."""

    lam: Call
    scope: dict
    sheet: str | None = None
    eta: str = ""            # a function named in place of a LAMBDA (BYROW(A1:C2, SUM), stored _xleta.SUM)


def _eta_lambda(name: str, count: int) -> Call:
    """``SUM`` named in place of a LAMBDA and called with ``count`` arguments:
    ``LAMBDA(a1, ..., SUM(a1, ...))`` (Excel's eta reduction)."""
    params = [Ref(f"_xlpm.\u00b7eta{i}") for i in range(1, count + 1)]
    return Call("LAMBDA", [*params, Call(name, list(params))])


class _Omitted:
    """The value of a LAMBDA parameter left off (ISOMITTED is TRUE)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "OMITTED"


OMITTED = _Omitted()


def _let_name(text: str) -> str:
    """A LET name as Excel stores it (``_xlpm.rate``), compared without case or prefix."""
    upper = text.upper()
    return upper[6:] if upper.startswith(("_XLPM.", "_XLOP.")) else upper


def _structured_items(body: str) -> list[str] | None:
    """``[[#This Row],[Jan]:[Dec]]`` -> ``["#THIS ROW", "Jan\\0Dec"]``; ``[@Col]`` -> ``["#THIS ROW",
    "Col"]``; ``[Col]`` -> ``["Col"]``; ``[]`` -> ``[]``. Escapes (``'[``, ``']``, ``'#``, ``''``)
    undone. None when not read."""
    if not (body.startswith("[") and body.endswith("]")):
        return None
    inner = body[1:-1]
    out: list[str] = []
    if inner.startswith("@"):
        out.append("#THIS ROW")
        inner = inner[1:].strip()
        if not inner:
            return out
    if not inner:
        return out
    if "[" not in inner.replace("'[", "") and not inner.startswith("["):
        text = _unescape_column(inner)
        # '# is a column's own # (marked \1, never a specifier)
        return out + ([text.upper()] if inner.startswith("#") else ["\1" + text if text.startswith("#") else text])
    # a list of [item] or [a]:[b], separated by commas outside brackets
    items, i, n = [], 0, len(inner)
    while i < n:
        while i < n and inner[i] in " ,":
            i += 1
        if i >= n:
            break
        if inner[i] != "[":
            return None
        j, parts = i, []
        while True:
            k = j + 1
            buf = []
            while k < n and inner[k] != "]":
                if inner[k] == "'" and k + 1 < n:
                    buf.append(inner[k + 1])
                    k += 2
                    continue
                buf.append(inner[k])
                k += 1
            if k >= n:
                return None
            parts.append("".join(buf))
            j = k + 1
            if j < n and inner[j] == ":" and j + 1 < n and inner[j + 1] == "[":
                j += 1
                continue
            break
        first = parts[0]
        items.append(first.upper() if inner.startswith("[#", i) else
                     ("\1" if first.startswith("#") else "") + "\0".join(parts))
        i = j
    return out + items


def _unescape_column(text: str) -> str:
    out, k = [], 0
    while k < len(text):
        if text[k] == "'" and k + 1 < len(text):
            out.append(text[k + 1])
            k += 2
        else:
            out.append(text[k])
            k += 1
    return "".join(out)


def _offset_whole(n: float, sizing: bool):
    """OFFSET's rows and cols truncated toward zero (-2.3 and -2.8 are -2, 3.5 is 3), and a
    height or width of 1 or more truncated (4.2 is 4, 3.99 and 3.1 are 3, 14.9 is 14), as the
    Excel-saved calc_tests__LOOKUP_AND_REFERENCE__ROW_COLUM.xlsx shows (OFFSET!K37, K45, K46,
    K51; ROWS_COLUMNS!E6:H6). A fractional size below 1 (0.9 gave 1 there, others are not
    recorded) or a negative one: None."""
    if not math.isfinite(n) or n == int(n):
        return n
    if sizing and not n > 1:
        return None
    return float(int(n))


def _finite(v):
    """Excel's number limits on a result: infinite or NaN is #NUM!, a subnormal number 0."""
    if type(v) is float:
        if v != v or v in _INFINITIES:
            return NUM
        if -_SUBNORMAL < v < _SUBNORMAL:
            return 0.0
    return v


class _NotNumber(Exception):
    pass


class _Raiser:
    def __getitem__(self, i):
        raise _NotNumber


_NOT_NUMBER = _Raiser()




# ----------------------------------------------------------------------------- entry points

@contextlib.contextmanager
def no_gc():
    """Pause the cyclic garbage collector (restored after): a workbook is ~100k small objects
    that live until the end, and gen-2 collections over them cost ~30% of a big recalculation."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def recalc_workbook(wb, catalog=None, *, fallback=None, all_dynamic: bool = False, caps: Caps = CAPS,
                    now=None, time_limit: float | None = None) -> Recalc:
    """Recalculate an openpyxl workbook (loaded with formulas, not ``data_only``).

    ``catalog``: an object with ``CATALOG`` (names) and ``call(name, *args, date1904=)``, or
    None (then add-in functions are unknown). ``fallback``: an object whose ``delegate(ev, key,
    formula)`` computes what the evaluator does not read, or None. ``all_dynamic``: treat every
    formula as a dynamic array (Excel 365 entry), for books built in memory. The workbook is
    not modified. ``now``: a datetime (or date) TODAY and NOW return, for a result that does not
    change from run to run; by default the local clock (the cells are listed in ``Recalc.volatile``).
    ``time_limit``: seconds after which the recalculation stops with :class:`TimeLimitExceeded`
    naming the cell it was evaluating (None: no limit).
    """
    doubt = _values.on_doubt
    started = monotonic()
    deadline = None if time_limit is None else started + time_limit
    try:
        with no_gc():
            ev = Evaluator(wb, catalog, fallback=fallback, all_dynamic=all_dynamic, caps=caps, now=now,
                           deadline=deadline)
            _values.on_doubt = lambda why: ev.unsupported("text", why)
            for key in ev.result.formula_cells:
                if ev.state.get(key) is None:
                    ev.compute(key)
        return ev.result
    except _TimeUp as up:
        raise TimeLimitExceeded(cell_key(*up.key), monotonic() - started, time_limit) from None
    finally:
        _values.on_doubt = doubt
