"""Cells -> engine inputs, engine results -> cells. Conversions and formatting only.

Arguments arrive as RAW cell values, the way Excel/xlwings or a headless formula
engine hands them over: scalars (``None``, ``float``, ``int``, ``str``, ``bool``,
``datetime``/``date``/``time``) or 2-D ranges (a list of rows; numpy arrays and
1-D lists/tuples are accepted too; a 1-D sequence is read as a single row).

Rules (documented in docs/catalog.md):

* Blank is ``None``, ``""`` or text of spaces only.
* Numbers: a float is converted once, with ``Decimal(repr(x))`` (the digits the
  user typed, as far as a double keeps them), then to ``Fraction``; no float
  arithmetic anywhere. Text numbers may carry ``,``, ``$`` and a trailing ``%``.
* Dates: a ``datetime``/``date``, an Excel serial number (1900 system, with
  Excel's phantom 1900-02-29 refused, or the 1904 system) or ISO text.
* Booleans: TRUE/FALSE, yes/no, y/n, 1/0.
* Excel error values (``#N/A``, ``#VALUE!`` ... and ``#WARRANT: ...`` texts from
  other cells) in a cell that is read are an error naming the cell.

Every problem raises :class:`engine.WarrantError` naming the table, the row
(its position inside the range passed, the header being row 1) and the value.
"""
from __future__ import annotations

import math
from math import gcd
import re
from dataclasses import MISSING as dataclasses_MISSING, dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from itertools import chain
from operator import itemgetter
from typing import Any, Iterable, Mapping, Sequence

from engine.errors import WarrantError
from engine.events import parse_events as engine_parse_events
from engine.exercisability import Facts, TestResult
from engine.reallocation import Optionee
from engine.settlement import ExerciseRequest, Market
from engine.terms import PRESETS, Holding, Terms

__all__ = [
    "ALL", "BLANK", "grid", "is_blank", "norm", "cell", "Table", "table", "KeyValues", "key_values",
    "to_number", "to_int", "to_date", "to_moment", "to_time", "to_bool", "to_text", "to_choice",
    "to_shares", "out_number", "out_shares", "out_date", "out_datetime", "out_cell", "one_line",
]

ALL = "ALL"
BLANK = None

EXCEL_ERRORS = frozenset({
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#UNKNOWN!", "#BUSY!", "#EXTERNAL!",
    "#PYTHON!", "#TIMEOUT!",
})

# Excel's date systems. 1900: serial 1 = 1900-01-01 and serial 60 is the
# phantom 1900-02-29 (Lotus compatibility), so from serial 61 on the epoch is
# 1899-12-30. 1904: serial 0 = 1904-01-01.
_EPOCH_1900_EARLY = date(1899, 12, 31)
_EPOCH_1900 = date(1899, 12, 30)
_EPOCH_1904 = date(1904, 1, 1)
_MAX_SERIAL_1900 = 2_958_465  # 9999-12-31
_MAX_SERIAL_1904 = _MAX_SERIAL_1900 - 1462
_MAX_DOUBLE = 1.7976931348623157e308
_MAX_EXPONENT = 400  # text numbers beyond 1e400 are refused (a double tops out near 1.8e308)


# --------------------------------------------------------------------------- cells

_PLAIN_TYPES = frozenset({type(None), str, float, int, bool, datetime, date, time})


def _plain(value: Any) -> Any:
    """Unwrap numpy scalars (xlwings may hand them over) and str subclasses to plain Python values."""
    if type(value) in _PLAIN_TYPES:
        return value
    if isinstance(value, str):
        return str.__str__(value)
    item = getattr(value, "item", None)
    if item is not None and type(value).__module__ == "numpy":
        try:
            return _plain(item())
        except (ValueError, TypeError):  # e.g. a multi-element array
            return value
    return value


def is_blank(value: Any) -> bool:
    """True for an empty cell: ``None``, ``""`` or spaces only."""
    value = _plain(value)
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and math.isnan(value)  # numpy/pandas write empties as NaN


def _is_error(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    text = value.strip().upper()
    return text in EXCEL_ERRORS or text.startswith("#WARRANT")


def cell(value: Any, field: str, table: str | None, row: int | None, axis: str = "row") -> Any:
    """A plain cell value, or ``None`` when blank; an Excel error value is an error."""
    value = _plain(value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        if not value.strip():
            return None
        if _is_error(value):
            shown = one_line(value.strip())
            raise WarrantError(f"{_where(table, row, axis)}{field} holds the Excel error {shown}")
    return value


def whole_error(value: Any, name: str) -> None:
    """Refuse an argument that is one Excel error value as a whole (typically a name that does not exist)."""
    v = _plain(value)
    while isinstance(v, (list, tuple)) and len(v) == 1:  # a 1x1 range
        v = _plain(v[0])
    if _is_error(v):
        err = one_line(str(v).strip())
        if err.upper() == "#NAME?":
            raise WarrantError(f"{name}: the argument is #NAME?: no range named {name}? Define a range named "
                               f"{name} (Formulas > Name Manager) or check the name's spelling in the formula")
        raise WarrantError(f"{name}: the argument is the Excel error {err}; expected a range")


def grid(value: Any) -> list[list[Any]]:
    """Any range shape -> a list of rows (each a list of plain cell values)."""
    value = _plain(value)
    tolist = getattr(value, "tolist", None)
    if tolist is not None and type(value).__module__.startswith("numpy"):
        value = tolist()
    if isinstance(value, (list, tuple)):
        if not value:
            return []
        if all(isinstance(r, (list, tuple)) or _is_array(r) for r in value):
            if all(type(r) is list for r in value) and _PLAIN_TYPES.issuperset(map(type, chain.from_iterable(value))):
                return [r.copy() for r in value]      # plain cells (a recalculation's range): each row copied whole
            return [[c if type(c) in _PLAIN_TYPES else _plain(c) for c in (r.tolist() if _is_array(r) else r)]
                    for r in value]
        return [[_plain(c) for c in value]]  # a 1-D sequence is one row
    return [[value]]


def _is_array(value: Any) -> bool:
    return hasattr(value, "tolist") and type(value).__module__.startswith("numpy")


def norm(label: Any) -> str:
    """Header/label key: case-insensitive, spaces, underscores and hyphens ignored."""
    if label is None:
        return ""
    return re.sub(r"[\s_\-]+", "", str(label)).lower()


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def _where(table: str | None, row: int | None, axis: str = "row") -> str:
    if table and row is not None:
        return f"{table} {axis} {row}: "
    if table:
        return f"{table}: "
    return ""


# --------------------------------------------------------------------------- tables

# What to do about a column the table does not know (issue 12): say it, don't just list.
UNKNOWN_HEADER_HINT = {
    "Events": ". Use the Note column for remarks, or leave the header cell blank for a column of your own "
              "(a column with a blank header is ignored)",
    "Register": ". A register's headers are terms labels; leave the header cell blank for a column of your own",
}


@dataclass(frozen=True)
class Table:
    """A parsed table: ``rows`` are (row number in the range, {field: raw value})."""

    name: str
    rows: tuple[tuple[int, dict[str, Any]], ...]
    fields: tuple[str, ...]


def table(value: Any, columns: Mapping[str, str], name: str, *, required: Iterable[str] = ()) -> Table:
    """Parse a table range whose first row is a header.

    ``columns`` maps each official header text (e.g. ``"Force Majeure"``) to the
    field name used by the caller. Headers match case-insensitively ignoring
    spaces, underscores and hyphens; any order; a column with a blank header is
    ignored; blank rows are skipped; an unknown or repeated header is an error.
    """
    rows, index, seen = _table_header(value, columns, name, required)
    out = []
    for i, r in enumerate(rows[1:], start=2):
        values = {f: (r[j] if j < len(r) else None) for j, f in index}
        if all(is_blank(v) for v in values.values()):
            continue
        out.append((i, values))
    return Table(name, tuple(out), tuple(seen))


def _table_header(value: Any, columns: Mapping[str, str], name: str, required: Iterable[str]
                  ) -> tuple[list[list[Any]], list[tuple[int, str]], dict[str, str]]:
    """A table's grid, its columns as (position, field) and the fields seen (header row checked)."""
    whole_error(value, name)
    rows = grid(value)
    if not rows or all(is_blank(c) for c in rows[0]):
        raise WarrantError(f"{name}: the first row must be a header ({', '.join(columns)})")
    known = {norm(h): (h, f) for h, f in columns.items()}
    index: list[tuple[int, str]] = []
    seen: dict[str, str] = {}
    for j, head in enumerate(rows[0]):
        if is_blank(head):
            continue
        head = cell(head, "Header", name, 1)
        key = norm(head)
        if key not in known:
            raise WarrantError(f"{name} row 1: unknown header {str(head)!r}; known headers: {', '.join(columns)}"
                               + UNKNOWN_HEADER_HINT.get(name, ""))
        official, f = known[key]
        if f in seen:
            raise WarrantError(f"{name} row 1: header {official!r} appears twice")
        seen[f] = official
        index.append((j, f))
    missing = [h for h, f in columns.items() if f in set(required) and f not in seen]
    if missing:
        raise WarrantError(f"{name} row 1: missing header {', '.join(repr(m) for m in missing)}")
    return rows, index, seen


@dataclass(frozen=True)
class KeyValues:
    """A parsed key/value range: {field: (raw value, position)} and the axis word."""

    name: str
    values: dict[str, tuple[Any, int]]
    axis: str  # "row" (two columns) or "column" (two rows)

    def get(self, field: str) -> Any:
        return self.values[field][0] if field in self.values else None

    def pos(self, field: str) -> int | None:
        return self.values[field][1] if field in self.values else None

    def has(self, field: str) -> bool:
        return field in self.values


def key_values(value: Any, labels: Mapping[str, str], name: str) -> KeyValues:
    """Parse a two-column (label | value) or two-row (labels over values) range.

    A 2x2 range is read as two columns unless its first row holds only known
    labels and its first column does not. Rows with neither label nor value are skipped.
    """
    whole_error(value, name)
    rows = grid(value)
    known = {norm(h): (h, f) for h, f in labels.items()}
    nrows = len(rows)
    ncols = max((len(r) for r in rows), default=0)
    rows = [list(r) + [None] * (ncols - len(r)) for r in rows]

    def is_label(v: Any) -> bool:
        return isinstance(_plain(v), str) and norm(v) in known

    if nrows == 0 or ncols == 0 or all(is_blank(c) for r in rows for c in r):
        return KeyValues(name, {}, "row")
    if ncols == 2 and nrows == 2:
        col_labels = all(is_label(r[0]) or is_blank(r[0]) for r in rows)
        row_labels = all(is_label(c) or is_blank(c) for c in rows[0])
        by_rows = col_labels or not row_labels
    elif ncols == 2:
        by_rows = True
    elif nrows == 2:
        by_rows = False
    elif ncols == 1 and nrows == 1:
        raise WarrantError(f"{name}: a single cell; expected a two-column range (label | value) "
                           f"or a two-row range (labels over values)")
    else:
        raise WarrantError(f"{name}: a {nrows}x{ncols} range; expected a two-column range (label | value) "
                           f"or a two-row range (labels over values)")
    pairs = [(i, r[0], r[1]) for i, r in enumerate(rows, 1)] if by_rows else \
        [(j, rows[0][j - 1], rows[1][j - 1]) for j in range(1, ncols + 1)]
    axis = "row" if by_rows else "column"
    out: dict[str, tuple[Any, int]] = {}
    for pos, label, val in pairs:
        if is_blank(label):
            if is_blank(val):
                continue
            raise WarrantError(f"{name} {axis} {pos}: a value without a label")
        label = cell(label, "Label", name, pos, axis)
        key = norm(label)
        if key not in known:
            raise WarrantError(f"{name} {axis} {pos}: unknown label {str(label)!r}; known labels: {', '.join(labels)}")
        official, f = known[key]
        if f in out:
            raise WarrantError(f"{name} {axis} {pos}: label {official!r} appears twice")
        out[f] = (val, pos)
    return KeyValues(name, out, axis)


# --------------------------------------------------------------------------- scalars

def float_fraction(x: float) -> Fraction:
    """``Fraction(Decimal(repr(x)))`` of a finite float: the number its shortest repr shows (what Excel
    displays), read from the digits of that repr (``tests/test_addin_convert.py`` proves it equal)."""
    text = repr(x)
    whole, dot, tail = text.partition(".")
    if not dot or "e" in tail:                     # 1e+16, 5e-324, 1.5e-07: the general rule
        return Fraction(Decimal(text))
    n, d = int(whole + tail), 10 ** len(tail)
    g = gcd(n, d)
    return Fraction(n // g, d // g)


def to_number(value: Any, field: str, table: str | None = None, row: int | None = None,
              *, axis: str = "row") -> Fraction | None:
    """A cell -> exact ``Fraction`` (``None`` when blank). Floats go through ``Decimal(repr(x))`` once."""
    v = cell(value, field, table, row, axis)
    if v is None:
        return None
    if isinstance(v, bool):
        raise WarrantError(f"{_where(table, row, axis)}{field} ({v!r}) must be a number, not TRUE/FALSE")
    if isinstance(v, int):
        return Fraction(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise WarrantError(f"{_where(table, row, axis)}{field} ({v!r}) must be a finite number")
        return float_fraction(v)
    if isinstance(v, Fraction):
        return v
    if isinstance(v, Decimal):
        if not v.is_finite():
            raise WarrantError(f"{_where(table, row, axis)}{field} ({v}) must be a finite number")
        return Fraction(v)
    if isinstance(v, str):
        text = v.strip().replace(",", "").replace("$", "").strip()
        percent = text.endswith("%")
        if percent:
            text = text[:-1].strip()
        try:
            if "/" in text:
                num = Fraction(text)
            else:
                d = Decimal(text)
                if not d.is_finite() or abs(d.adjusted()) > _MAX_EXPONENT:
                    raise ValueError
                num = Fraction(d)
        except (ValueError, ArithmeticError, InvalidOperation, ZeroDivisionError):
            raise WarrantError(f"{_where(table, row, axis)}{field} ({v!r}) must be a number") from None
        return num / 100 if percent else num
    raise WarrantError(f"{_where(table, row, axis)}{field} ({_show(v)}) must be a number")


def to_int(value: Any, field: str, table: str | None = None, row: int | None = None,
           *, axis: str = "row") -> int | None:
    """A whole number (``None`` when blank); a fraction is an error."""
    n = to_number(value, field, table, row, axis=axis)
    if n is None:
        return None
    if n.denominator != 1:
        raise WarrantError(f"{_where(table, row, axis)}{field} ({_show_num(n)}) must be a whole number")
    return int(n)


def to_shares(value: Any, field: str, table: str | None = None, row: int | None = None,
              *, axis: str = "row") -> Fraction | str | None:
    """A share count or the word ALL (returned as :data:`ALL`)."""
    v = cell(value, field, table, row, axis)
    if isinstance(v, str) and v.strip().upper() == ALL:
        return ALL
    return to_number(v, field, table, row, axis=axis)


def _serial_to_datetime(serial: Fraction, field: str, table: str | None, row: int | None,
                        date1904: bool, axis: str) -> datetime:
    days = serial.numerator // serial.denominator
    frac = serial - days
    if date1904:
        if serial < 0 or days > _MAX_SERIAL_1904:
            raise WarrantError(f"{_where(table, row, axis)}{field} ({_show_num(serial)}) is not an Excel date "
                               f"serial (1904 system: 0 to {_MAX_SERIAL_1904})")
        d = _EPOCH_1904 + timedelta(days=days)
    else:
        if serial < 1 or days > _MAX_SERIAL_1900:
            raise WarrantError(f"{_where(table, row, axis)}{field} ({_show_num(serial)}) is not an Excel date "
                               f"serial (1 to {_MAX_SERIAL_1900})")
        if days == 60:
            raise WarrantError(f"{_where(table, row, axis)}{field} (60) is Excel's 1900-02-29, a day that "
                               f"does not exist")
        d = (_EPOCH_1900_EARLY if days < 60 else _EPOCH_1900) + timedelta(days=days)
    seconds = round(frac * 86400)
    return datetime.combine(d, time()) + timedelta(seconds=int(seconds))


def _parse_iso(text: str) -> date | datetime | None:
    text = text.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        return None


def to_moment(value: Any, field: str, table: str | None = None, row: int | None = None,
              *, date1904: bool = False, axis: str = "row") -> date | datetime | None:
    """A date, or a date with a time of day (``None`` when blank).

    A datetime at exactly midnight is read as a date alone (Excel cannot tell
    a date cell from midnight), so the engine applies its date-only rule.
    """
    v = cell(value, field, table, row, axis)
    if v is None:
        return None
    if isinstance(v, bool):
        raise WarrantError(f"{_where(table, row, axis)}{field} ({v!r}) must be a date")
    if isinstance(v, datetime):
        if v.tzinfo is None and v.time() == time():
            return v.date()
        return v
    if isinstance(v, date):
        return v
    if isinstance(v, (int, float, Fraction, Decimal)):
        n = to_number(v, field, table, row, axis=axis)
        moment = _serial_to_datetime(n, field, table, row, date1904, axis)
        return moment.date() if moment.time() == time() else moment
    if isinstance(v, str):
        parsed = _parse_iso(v)
        if parsed is None:
            raise WarrantError(f"{_where(table, row, axis)}{field} ({v!r}) must be a date "
                               f"(an Excel date or ISO text such as 2001-12-31)")
        if isinstance(parsed, datetime) and parsed.tzinfo is None and parsed.time() == time():
            return parsed.date()
        return parsed
    raise WarrantError(f"{_where(table, row, axis)}{field} ({_show(v)}) must be a date")


def to_date(value: Any, field: str, table: str | None = None, row: int | None = None,
            *, date1904: bool = False, axis: str = "row") -> date | None:
    """A calendar date (``None`` when blank); a time of day in the cell is dropped."""
    m = to_moment(value, field, table, row, date1904=date1904, axis=axis)
    return m.date() if isinstance(m, datetime) else m


def to_time(value: Any, field: str, table: str | None = None, row: int | None = None,
            *, axis: str = "row") -> time | None:
    """A time of day: ``17:00`` text, an Excel day fraction (0.7083...), a time or a datetime."""
    v = cell(value, field, table, row, axis)
    if v is None:
        return None
    if isinstance(v, bool):
        raise WarrantError(f"{_where(table, row, axis)}{field} ({v!r}) must be a time of day")
    if isinstance(v, datetime):
        return v.time().replace(tzinfo=None)
    if isinstance(v, time):
        return v.replace(tzinfo=None)
    if isinstance(v, (int, float, Fraction, Decimal)):
        n = to_number(v, field, table, row, axis=axis)
        if n < 0 or n >= 1:
            raise WarrantError(f"{_where(table, row, axis)}{field} ({_show_num(n)}) must be a time of day "
                               f"(a fraction of a day from 0 to below 1)")
        seconds = int(round(n * 86400))
        if seconds >= 86400:
            seconds = 86399
        return time(seconds // 3600, seconds % 3600 // 60, seconds % 60)
    if isinstance(v, str):
        text = v.strip().lower().replace(".", "")
        m = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*(am|pm)?", text)
        if m:
            h, mi, s = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
            if m.group(4):
                if not 1 <= h <= 12:
                    m = None
                else:
                    h = h % 12 + (12 if m.group(4) == "pm" else 0)
            if m and h < 24 and mi < 60 and s < 60:
                return time(h, mi, s)
        raise WarrantError(f"{_where(table, row, axis)}{field} ({v!r}) must be a time of day such as 17:00")
    raise WarrantError(f"{_where(table, row, axis)}{field} ({_show(v)}) must be a time of day")


_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0"}


def to_bool(value: Any, field: str, table: str | None = None, row: int | None = None,
            *, axis: str = "row") -> bool | None:
    """TRUE/FALSE, yes/no, y/n, 1/0 (``None`` when blank)."""
    v = cell(value, field, table, row, axis)
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool) and v in (0, 1):
        return bool(v)
    if isinstance(v, str):
        t = v.strip().lower()
        if t in _TRUE:
            return True
        if t in _FALSE:
            return False
    raise WarrantError(f"{_where(table, row, axis)}{field} ({_show(v)}) must be TRUE or FALSE (or yes/no)")


def to_text(value: Any, field: str, table: str | None = None, row: int | None = None,
            *, axis: str = "row") -> str | None:
    """Text (``None`` when blank). A number becomes its digits (5.0 -> "5")."""
    v = cell(value, field, table, row, axis)
    if v is None:
        return None
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float)):
        if isinstance(v, float) and not math.isfinite(v):
            raise WarrantError(f"{_where(table, row, axis)}{field} ({v!r}) must be text")
        n = to_number(v, field, table, row, axis=axis)
        return _show_num(n)
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    raise WarrantError(f"{_where(table, row, axis)}{field} ({_show(v)}) must be text")


def to_choice(value: Any, field: str, table: str | None = None, row: int | None = None,
              *, axis: str = "row") -> str | None:
    """An enumeration word, upper-cased with spaces/hyphens as underscores ("full ratchet" -> FULL_RATCHET).

    Which words are valid is the engine's business; it checks them.
    """
    t = to_text(value, field, table, row, axis=axis)
    if t is None:
        return None
    return re.sub(r"[\s\-]+", "_", t.strip()).upper()


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    return one_line(str(value))[:60]


def _show_num(n: Fraction) -> str:
    if n.denominator == 1:
        return str(n.numerator)
    try:
        from engine.numbers import to_plain_decimal
        return format(to_plain_decimal(n, 15).normalize(), "f")
    except Exception:  # pragma: no cover - display only
        return str(n)


# --------------------------------------------------------------------------- out

def out_number(value: Any, label: str = "Value") -> float | str:
    """An exact value -> the nearest double (converted once, at the very end).

    A value beyond a double's range becomes a ``#WARRANT:`` text for that cell.
    """
    if type(value) is Fraction:          # the engine's answers: float(value) is this division, correctly rounded
        try:
            return value.numerator / value.denominator
        except OverflowError:
            return f"#WARRANT: {label} is beyond Excel's number range"
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    try:
        result = float(value)
    except OverflowError:
        result = math.inf
    if math.isinf(result) or math.isnan(result):  # float(Decimal("1e400")) is inf, not an OverflowError
        return f"#WARRANT: {label} is beyond Excel's number range"
    return result


def out_shares(value: Any, label: str = "Shares") -> int | float | str:
    """Share counts: an int when whole, else the nearest double."""
    if type(value) is int:
        return value if abs(value) <= _MAX_DOUBLE else f"#WARRANT: {label} is beyond Excel's number range"
    if value is None:
        return ""
    if isinstance(value, Fraction) and value.denominator == 1:
        value = int(value)
    elif isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value if abs(value) <= _MAX_DOUBLE else f"#WARRANT: {label} is beyond Excel's number range"
    return out_number(value, label)


def out_date(value: date | None) -> datetime | str:
    """A date -> ``datetime`` at midnight (Excel dates); blank -> ``""``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return out_datetime(value)
    return datetime(value.year, value.month, value.day)


def out_datetime(value: datetime | None) -> datetime | str:
    """A moment -> naive ``datetime`` in its own zone's wall-clock time (Excel has no zones)."""
    if value is None:
        return ""
    return value.replace(tzinfo=None)


def out_cell(value: Any) -> Any:
    """Best-effort cell value for text-like results (None -> "")."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (Fraction, Decimal, float)):
        return out_number(value)
    if isinstance(value, datetime):
        return out_datetime(value)
    if isinstance(value, date):
        return out_date(value)
    return one_line(str(value))


# --------------------------------------------------------------------------- engine inputs
# Each parser below turns one argument's cells into the engine's input objects.
# Which values are valid is the engine's business (it raises WarrantError).

# terms label -> (Terms field, kind). A label left out (or left blank) takes the
# preset's value when a ``Preset`` row names one, else the plain-warrant default
# (engine.Terms; docs/catalog.md "Defaults"); never D-1's figures by accident.
TERMS_LABELS: dict[str, tuple[str, str]] = {
    "Preset": ("preset", "text"),
    "Warrant": ("warrant", "text"),
    "Instrument": ("instrument", "text"),
    "Holder": ("holder", "text"),
    "Issuer": ("issuer", "text"),
    "Issuer Address": ("issuer_address", "text"),
    "Issue Date": ("issue_date", "date"),
    "Warrant Shares": ("warrant_shares", "number"),
    "Exercise Price": ("exercise_price", "number"),
    "Par Value": ("par_value", "number"),
    "Exercise Start": ("exercise_start", "date"),
    "Exercise End": ("exercise_end", "date"),
    "Exercise End Time": ("exercise_end_time", "time"),
    "Time Zone": ("time_zone", "text"),
    "Test Date": ("test_date", "date"),
    "Requires Performance Default": ("requires_performance_default", "bool"),
    "Valuation Event Cutoff": ("valuation_event_cutoff", "date"),
    "Anti-Dilution": ("anti_dilution", "choice"),
    "Share Adjustment": ("share_adjustment", "choice"),
    "Pre-Issue Grants": ("pre_issue_grants", "choice"),
    "Minimum Adjustment": ("minimum_adjustment", "number"),
    "Management Cap": ("management_cap", "number"),
    "Series D Cutoff": ("series_d_cutoff", "date"),
    "Price Floor": ("price_floor", "number"),
    "Price Increment": ("price_increment", "number"),
    "Price Rounding": ("price_rounding", "choice"),
    "Common Outstanding": ("common_outstanding", "int"),
    "Fully Diluted": ("fully_diluted", "int"),
    "Delivery Days": ("delivery_days", "int"),
    "Holding Months": ("holding_months", "int"),
    "Security": ("security", "text"),
}
# Fields that may be "none": with a preset, a label present with a blank value
# sets None (Price Increment blank = exact; no count; no cutoff; no floor ...).
# Any other blank value takes the preset's value or the default, like a missing label.
TERMS_NULLABLE = frozenset({
    "test_date", "valuation_event_cutoff", "series_d_cutoff", "price_increment", "price_floor",
    "common_outstanding", "fully_diluted", "par_value", "management_cap", "exercise_start", "exercise_end",
    "delivery_days", "holding_months",
})
# What each function cannot answer without (issue 8): the §4 functions need the
# four terms every adjustment depends on; the exercise functions also the window.
ADJUST_REQUIRED = ("Warrant Shares", "Exercise Price", "Issue Date", "Anti-Dilution")
EXERCISE_REQUIRED = ADJUST_REQUIRED + ("Exercise Start", "Exercise End")
_TERMS_LABEL_FIELD = {label: f for label, (f, _k) in TERMS_LABELS.items()}
_TERMS_KIND = {f: k for _label, (f, k) in TERMS_LABELS.items()}
_TERMS_FIELD_LABEL = {f: label for label, (f, _k) in TERMS_LABELS.items()}
# The plain-warrant default of every optional field, read off engine.Terms itself (one place).
TERMS_DEFAULTS: dict[str, Any] = {
    f.name: f.default for f in Terms.__dataclass_fields__.values()  # type: ignore[attr-defined]
    if f.default is not dataclasses_MISSING
}
GIVEN, PRESET, DEFAULT = "given", "preset", "default"
# Terms that are amounts, never rates: a percent typed there is a mistake, not 0.1 of a share or dollar.
_NOT_A_RATE = {"warrant_shares": "a number of shares", "exercise_price": "a price per share",
               "par_value": "a price per share", "price_floor": "a price per share",
               "price_increment": "a price step such as 0.0001"}


def _convert(kind: str, value: Any, label: str, name: str | None, pos: int | None, date1904: bool,
             axis: str = "row") -> Any:
    if kind == "text":
        return to_text(value, label, name, pos, axis=axis)
    if kind == "choice":
        return to_choice(value, label, name, pos, axis=axis)
    if kind == "date":
        return to_date(value, label, name, pos, date1904=date1904, axis=axis)
    if kind == "moment":
        return to_moment(value, label, name, pos, date1904=date1904, axis=axis)
    if kind == "time":
        return to_time(value, label, name, pos, axis=axis)
    if kind == "bool":
        return to_bool(value, label, name, pos, axis=axis)
    if kind == "number":
        return to_number(value, label, name, pos, axis=axis)
    if kind == "int":
        return to_int(value, label, name, pos, axis=axis)
    if kind == "shares":
        return to_shares(value, label, name, pos, axis=axis)
    raise AssertionError(kind)  # pragma: no cover


def _preset_terms(name: str, where_: str) -> Terms:
    key = name.strip().upper()
    for preset, build in PRESETS.items():
        if preset.upper() == key:
            return build()
    raise WarrantError(f"{where_}Preset ({name!r}) is not a known preset; known: {', '.join(PRESETS)} "
                       f"(or leave it blank and give every required term)")


def _terms_fields(values: Mapping[str, tuple[Any, int | None]], name: str, axis: str, date1904: bool,
                  prefix: str, required: Iterable[str], cache: dict | None = None
                  ) -> tuple[dict[str, Any], Terms | None, set[str]]:
    """{field: (raw, pos)} -> (the given fields converted, the preset's terms or None, fields given)."""
    given: dict[str, Any] = {}
    explicit: set[str] = set()
    for f, (raw, pos) in values.items():
        kind = _TERMS_KIND[f]
        if cache is not None:
            key = (f, type(raw), raw if not isinstance(raw, list) else None)
            try:
                hit = cache.get(key, _MISS)
            except TypeError:  # unhashable raw value
                hit = _MISS
            if hit is _MISS:
                hit = _convert(kind, raw, _TERMS_FIELD_LABEL[f], name, pos, date1904, axis)
                if not isinstance(raw, (list, dict)):
                    try:
                        cache[key] = hit
                    except TypeError:
                        pass
            v = hit
        else:
            v = _convert(kind, raw, _TERMS_FIELD_LABEL[f], name, pos, date1904, axis)
        if f in _NOT_A_RATE and isinstance(_plain(raw), str) and _plain(raw).strip().endswith("%"):
            raise WarrantError(f"{_where(name, pos, axis)}{_TERMS_FIELD_LABEL[f]} ({_plain(raw).strip()!r}) is a "
                               f"percentage; enter {_NOT_A_RATE[f]}")
        if f == "time_zone" and v is not None and v not in _zone_keys():
            # Checked here as well as in the engine: zoneinfo raises OSError (not ValueError) for
            # a directory name such as "America" or an over-long name.
            raise WarrantError(f"{prefix}Time Zone ({v!r}) is not a known IANA time zone")
        given[f] = v
    preset_name = given.pop("preset", None)
    base = _preset_terms(preset_name, prefix) if preset_name else None
    out: dict[str, Any] = {}
    for f, v in given.items():
        if v is None and not (base is not None and f in TERMS_NULLABLE):
            continue  # blank: the preset's value or the default
        out[f] = v
        explicit.add(f)
    if base is None:
        missing = [label for label in required if _TERMS_LABEL_FIELD[label] not in out]
        if missing:
            what = ", ".join(missing)
            blank = [label for label in missing if _TERMS_LABEL_FIELD[label] in values]
            how = "is blank" if blank and len(missing) == 1 else ("are missing or blank" if len(missing) > 1
                                                                  else "is missing")
            raise WarrantError(f"{prefix}{what} {how}: this function needs {'it' if len(missing) == 1 else 'them'}"
                               f" (add the label{'s' if len(missing) > 1 else ''}, or a Preset row such as "
                               f"'Preset | D-1' to start from a known warrant's terms)")
    return out, base, explicit


def _terms_from(values: Mapping[str, tuple[Any, int | None]], name: str, axis: str, date1904: bool,
                prefix: str = "", cache: dict | None = None, required: Iterable[str] = ADJUST_REQUIRED) -> Terms:
    """{field: (raw, pos)} -> engine.Terms: given values over the preset's, or over the plain defaults."""
    fields, base, _explicit = _terms_fields(values, name, axis, date1904, prefix, required, cache)
    return _build_terms(fields, base, values, name, axis, prefix)


def _build_terms(fields: dict[str, Any], base: Terms | None, values: Mapping[str, tuple[Any, int | None]],
                 name: str, axis: str, prefix: str) -> Terms:
    """The converted fields over the preset's terms (or the plain defaults), validated by the engine."""
    try:
        if base is None:
            return Terms(**fields)
        kw = {f: getattr(base, f) for f in Terms.__dataclass_fields__}  # type: ignore[attr-defined]
        kw.update(fields)
        return Terms(**kw)
    except WarrantError as exc:
        raise WarrantError(f"{_term_where(str(exc), values, name, axis, prefix)}{exc}") from None


def _term_where(message: str, values: Mapping[str, tuple[Any, int | None]], name: str, axis: str,
                prefix: str) -> str:
    """Where the engine's refusal of a term points: the row of the label it names, when given."""
    for label, (f, _k) in TERMS_LABELS.items():
        if message.startswith(label + " (") and f in values and values[f][1] is not None:
            return prefix if prefix.startswith(f"{name} row ") else _where(name, values[f][1], axis)
    return prefix


_MISS = object()


def _zone_keys() -> frozenset[str]:
    """The IANA zone names; an empty answer (tzdata not installed yet, e.g. Pyodide) is not cached."""
    global _ZONES
    if not _ZONES:
        import zoneinfo

        _ZONES = frozenset(zoneinfo.available_timezones())
    return _ZONES


_ZONES: frozenset[str] = frozenset()


def parse_terms(value: Any, *, date1904: bool = False, required: Iterable[str] = ADJUST_REQUIRED) -> Terms:
    """The ``terms`` key/value range -> :class:`engine.Terms`.

    Every term the calling function needs (``required``) must be given, unless a
    ``Preset`` row names a known warrant whose terms fill what is left out.
    Optional terms left out take the plain-warrant defaults (docs/catalog.md).
    """
    kv = key_values(value, _TERMS_LABEL_FIELD, "Terms")
    return _terms_from(kv.values, "Terms", kv.axis, date1904, prefix="Terms: ", required=required)


def _term_cell(f: str, v: Any) -> Any:
    """A term's value as a cell shows it ("none" for a term the warrant does not have)."""
    if v is None:
        return "none"
    if f == "issuer_address":
        return "; ".join(line.strip() for line in v.splitlines() if line.strip())  # one line per cell
    if f == "tests":
        return "; ".join(f"{t.clause + ' ' if t.clause else ''}{t.name} "
                         f"{'at least' if t.comparator == 'AT_LEAST' else 'at most'} {_show_num(t.threshold)}"
                         for t in v) or "none"
    return out_cell(v)


def terms_sources(value: Any, *, date1904: bool = False) -> list[tuple[str, Any, str]]:
    """(Label, value as a cell, Source) for every term the engine uses; Source is given / preset / default."""
    kv = key_values(value, _TERMS_LABEL_FIELD, "Terms")
    fields, base, explicit = _terms_fields(kv.values, "Terms", kv.axis, date1904, "Terms: ", ADJUST_REQUIRED)
    terms = _build_terms(fields, base, kv.values, "Terms", kv.axis, "Terms: ")
    out: list[tuple[str, Any, str]] = []
    for label, (f, _k) in TERMS_LABELS.items():
        if f == "preset":
            out.append((label, terms.preset or "none", GIVEN if base is not None else DEFAULT))
            if base is not None:
                out.append(("Performance Tests", _term_cell("tests", terms.tests), PRESET))
            continue
        source = GIVEN if f in explicit else (PRESET if base is not None else DEFAULT)
        out.append((label, _term_cell(f, getattr(terms, f)), source))
    return out


TESTS_COLUMNS = {"Test": "name", "Comparator": "comparator", "Threshold": "threshold", "Actual": "actual",
                 "Force Majeure": "force_majeure", "Clause": "clause"}


def parse_tests(value: Any, terms, *, date1904: bool = False) -> tuple:
    """The ``tests`` table -> engine.TestResult rows.

    A blank Comparator or Threshold is taken from the terms' test of the same
    name; the clause always comes from there when the table has no Clause.
    """
    t = table(value, TESTS_COLUMNS, "Tests", required=("name", "actual"))
    by_name = {norm(pt.name): pt for pt in terms.tests}
    out = []
    for row, r in t.rows:
        name = to_text(r.get("name"), "Test", "Tests", row)
        if name is None:
            raise WarrantError(f"Tests row {row}: Test (blank) must name the test")
        known = by_name.get(norm(name))
        comparator = to_choice(r.get("comparator"), "Comparator", "Tests", row)
        threshold = to_number(r.get("threshold"), "Threshold", "Tests", row)
        if comparator is None or threshold is None:
            if known is None:
                missing = "Comparator" if comparator is None else "Threshold"
                raise WarrantError(f"Tests row {row}: {missing} (blank) is required: the terms have no test "
                                   f"named {name!r}")
            comparator = comparator or known.comparator
            threshold = known.threshold if threshold is None else threshold
        actual = to_number(r.get("actual"), "Actual", "Tests", row)
        if actual is None:
            raise WarrantError(f"Tests row {row}: Actual (blank) must be a number")
        fm = to_bool(r.get("force_majeure"), "Force Majeure", "Tests", row) or False
        clause = to_text(r.get("clause"), "Clause", "Tests", row) or (known.clause if known else "")
        out.append(TestResult(name=known.name if known else name, comparator=comparator,
                                     threshold=threshold, actual=actual, force_majeure=fm,
                                     clause=clause, row=row))
    return tuple(out)


FACTS_LABELS = {"Other Warrant Exercised Or Waived": "other_warrant_exercised_or_waived",
                "Realized Valuation Event": "realized_valuation_event",
                "Force Majeure From": "force_majeure_from", "Force Majeure To": "force_majeure_to"}
# §2(f): more Force Majeure periods as "Force Majeure From 2" | "Force Majeure To 2", ... up to 9.
FORCE_MAJEURE_PERIODS = 9
FACTS_ALL_LABELS = {**FACTS_LABELS, **{f"Force Majeure {end} {n}": f"force_majeure_{end.lower()}_{n}"
                                       for n in range(2, FORCE_MAJEURE_PERIODS + 1) for end in ("From", "To")}}


def parse_facts(value: Any, *, date1904: bool = False):
    """The ``facts`` key/value range -> engine.Facts (blank = the fact did not happen)."""
    kv = key_values(value, FACTS_ALL_LABELS, "Facts")
    label = {f: lab for lab, f in FACTS_ALL_LABELS.items()}
    dates = {f: to_date(kv.get(f), label[f], "Facts", kv.pos(f), date1904=date1904, axis=kv.axis)
             for f in FACTS_ALL_LABELS.values() if kv.has(f)}
    periods = []
    for n in range(1, FORCE_MAJEURE_PERIODS + 1):
        start_f, end_f = ("force_majeure_from", "force_majeure_to") if n == 1 else \
            (f"force_majeure_from_{n}", f"force_majeure_to_{n}")
        start, end = dates.get(start_f), dates.get(end_f)
        if start is None and end is not None:
            raise WarrantError(f"Facts {kv.axis} {kv.pos(end_f)}: {label[end_f]} ({end}) needs its "
                               f"{label[start_f]} date (a Force Majeure period has a start)")
        if start is not None:
            periods.append((start, end))
    return Facts(other_warrant_exercised_or_waived=dates.get("other_warrant_exercised_or_waived"),
                 realized_valuation_event=dates.get("realized_valuation_event"),
                 force_majeure=tuple(periods))


EVENTS_COLUMNS = {"Date": "date", "Event": "event", "Shares": "shares", "Ratio": "ratio",
                  "Consideration": "consideration", "Additional Consideration": "additional_consideration",
                  "Outstanding": "outstanding", "Category": "category", "Ref": "ref", "Price": "price",
                  "Note": "note"}
_EVENT_KIND = {"date": "date", "event": "choice", "shares": "number", "ratio": "ratio",
               "consideration": "number", "additional_consideration": "number", "outstanding": "number",
               "category": "choice", "ref": "text", "price": "number", "note": "text"}


_EVENT_COUNTS = frozenset({"shares", "outstanding"})
# A column the Events table may have (warrants import-ocf writes it): a row imported as a candidate
# carries the reason in Confirm, and the answers refuse until the user confirms it (types OK) or
# clears it after changing the row (docs/ocf.md, "Confirm").
EVENTS_OPTIONAL = {"Confirm": "confirm"}
CONFIRMED = ("OK", "YES", "CONFIRMED", "TRUE")


def confirmed(text: str) -> bool:
    """A Confirm cell is settled when blank or when it starts with OK (or Yes, Confirmed)."""
    word = text.strip().upper()
    return not word or any(word == c or word.startswith((c + " ", c + ":", c + "-", c + ",", c + ".")) for c in CONFIRMED)


def _terminates(denominator: int) -> bool:
    """True when denominator is 2^a 5^b: the fraction has an exact, short decimal form (a typed number has)."""
    for p in (2, 5):
        while denominator % p == 0:
            denominator //= p
    return denominator == 1


def event_rows(value: Any, *, date1904: bool = False) -> list[dict[str, Any]]:
    """The ``events`` table -> converted row dicts for ``engine.parse_events`` (with "row")."""
    if not isinstance(value, (list, tuple)) and not _is_array(value) and is_blank(value):
        return []  # no ledger at all: no events
    t = table(value, {**EVENTS_COLUMNS, **EVENTS_OPTIONAL}, "Events")
    label = {f: lab for lab, f in EVENTS_COLUMNS.items()}
    out = []
    for row, r in t.rows:
        d: dict[str, Any] = {"row": row}
        if "confirm" in r:
            reason = to_text(r.pop("confirm"), "Confirm", "Events", row) or ""
            if not confirmed(reason):
                raise WarrantError(f"Events row {row}: not confirmed: {one_line(reason)} (check the row, then type OK "
                                   f"at the start of its Confirm cell)")
            if all(is_blank(v) for v in r.values()):
                continue
        for f, raw in r.items():
            kind = _EVENT_KIND[f]
            if kind == "ratio":
                v = cell(raw, "Ratio", "Events", row)
                v = to_text(v, "Ratio", "Events", row) if v is not None else None
            elif f in _EVENT_COUNTS and isinstance(_plain(raw), str) and _plain(raw).strip().endswith("%"):
                v = cell(raw, label[f], "Events", row).strip()  # a percent is not shares: the engine says what to enter
            else:
                v = _convert(kind, raw, label[f], "Events", row, date1904)
                if kind == "number" and isinstance(v, Fraction):
                    if v.denominator == 1:
                        v = int(v)
                    elif f in _EVENT_COUNTS and _terminates(v.denominator):
                        v = Decimal(v.numerator) / Decimal(v.denominator)  # exact; shown as typed (0.1, not 1/10)
            d[f] = v
        out.append(d)
    return out


def parse_events(value: Any, *, date1904: bool = False) -> tuple:
    """The ``events`` table -> the engine's events (ledger order). A blank argument is no events."""
    return tuple(engine_parse_events(event_rows(value, date1904=date1904), table="Events"))


EXERCISE_LABELS = {"Exercise Date": "exercise_date", "Shares": "shares", "Payment Date": "payment_date",
                   "Method": "method", "Cash Paid": "cash_paid",
                   "Surrendered Shares Acquired": "surrendered_acquired", "Fair Value": "fair_value",
                   "Surrender Lot Shares": "surrender_lot_shares"}
_EXERCISE_KIND = {"exercise_date": "date", "shares": "shares", "payment_date": "date", "method": "choice",
                  "cash_paid": "number", "surrendered_acquired": "date", "fair_value": "number",
                  "surrender_lot_shares": "int"}


def parse_exercise(value: Any, *, date1904: bool = False):
    """The ``exercise`` key/value range -> engine.ExerciseRequest (Shares ALL or blank = all that remain)."""
    kv = key_values(value, EXERCISE_LABELS, "Exercise")
    label = {f: lab for lab, f in EXERCISE_LABELS.items()}
    args: dict[str, Any] = {}
    for f in EXERCISE_LABELS.values():
        if kv.has(f):
            v = _convert(_EXERCISE_KIND[f], kv.get(f), label[f], "Exercise", kv.pos(f), date1904, kv.axis)
            if v is not None:
                args[f] = v
    if "exercise_date" not in args:
        raise WarrantError("Exercise: Exercise Date (blank) is required")
    if args.get("shares") == ALL:
        args["shares"] = None
    else:
        args.setdefault("shares", None)
    return ExerciseRequest(**args)


MARKET_LABELS = {"Venue": "venue", "Quote Date": "quote_date", "Low Bid": "low_bid", "High Asked": "high_asked",
                 "Closing Price": "closing_price", "Board Fair Value": "board_fair_value"}
_MARKET_KIND = {"venue": "choice", "quote_date": "date", "low_bid": "number", "high_asked": "number",
                "closing_price": "number", "board_fair_value": "number"}


def parse_market(value: Any, *, date1904: bool = False):
    """The ``market`` key/value range -> engine.Market, or None when the argument is blank."""
    kv = key_values(value, MARKET_LABELS, "Market")
    if not kv.values:
        return None
    label = {f: lab for lab, f in MARKET_LABELS.items()}
    args: dict[str, Any] = {}
    for f in MARKET_LABELS.values():
        if kv.has(f):
            v = _convert(_MARKET_KIND[f], kv.get(f), label[f], "Market", kv.pos(f), date1904, kv.axis)
            if v is not None:
                args[f] = v
    return Market(**args)


OPTIONEES_COLUMNS = {"Optionee": "name", "Allocation": "allocation", "Exercised": "exercised",
                     "Agreed Shares": "agreed_shares", "Assigned From": "assigned_from"}


def parse_optionees(value: Any) -> tuple:
    """The ``optionees`` table -> engine.Optionee rows (blank Allocation = 0, blank Exercised = FALSE)."""
    t = table(value, OPTIONEES_COLUMNS, "Optionees", required=("name", "allocation"))
    out = []
    for row, r in t.rows:
        name = to_text(r.get("name"), "Optionee", "Optionees", row)
        if name is None:
            raise WarrantError(f"Optionees row {row}: Optionee (blank) must name the optionee")
        allocation = to_int(r.get("allocation"), "Allocation", "Optionees", row)
        exercised = to_bool(r.get("exercised"), "Exercised", "Optionees", row)
        agreed = to_int(r.get("agreed_shares"), "Agreed Shares", "Optionees", row)
        frm = to_text(r.get("assigned_from"), "Assigned From", "Optionees", row)
        out.append(Optionee(name=name, allocation=allocation or 0, exercised=bool(exercised),
                                   agreed_shares=agreed, assigned_from=frm, row=row))
    return tuple(out)


_HOLDING = ("warrant", "warrant_shares", "exercise_price", "issue_date")  # what differs between warrants of one class
_DATE_CELLS = (datetime, date)  # an Issue Date cell converted without a look at text or serial numbers
_EXACT_CELLS = (int, float)    # a share count or price cell converted without a look at text (no percent, no blank)


def register_row_terms(values: Mapping[str, Any], row: int, *, date1904: bool = False, cache: dict | None = None
                       ) -> Terms:
    """One register row ({field: raw cell}) -> engine.Terms, every cell converted and validated
    on its own: the rule :func:`parse_register` follows for every row."""
    return _terms_from({f: (raw, row) for f, raw in values.items()}, "Register", "row", date1904,
                       prefix=f"Register row {row}: ", cache=cache)


def _picker(positions: list[int]):
    """A function: row -> tuple of the cells at ``positions`` (itemgetter's one-position result is a tuple too)."""
    if len(positions) == 1:
        (p,) = positions
        return lambda r: (r[p],)
    return itemgetter(*positions) if positions else (lambda r: ())


def parse_register(value: Any, *, date1904: bool = False) -> tuple[tuple[Terms, Holding], ...]:
    """The ``register`` table (headers are terms labels) -> one (engine.Terms, engine.Holding) per row:
    the terms of the row's class and the row's own warrant name, share count and price.

    The table needs a ``Preset`` column or every required column (Warrant Shares,
    Exercise Price, Issue Date, Anti-Dilution); a row whose Preset is blank needs
    every required value. Every row answers as :func:`register_row_terms` converts it
    alone (``terms.holding_terms(holding)`` is that row's Terms). A register repeats a few
    classes of terms over many warrants: each class is converted and validated once, and a
    row of a known class whose Warrant is text and whose Warrant Shares and Exercise Price
    are numbers (and whose Issue Date, if the table has one, is a date cell) differs from it
    only in those: its :class:`~engine.terms.Holding` is made beside the class's terms, not a
    whole Terms; any other row is converted whole.
    """
    rows, index, seen = _table_header(value, _TERMS_LABEL_FIELD, "Register", ())
    if "preset" not in seen:
        missing = [label for label in ADJUST_REQUIRED if _TERMS_LABEL_FIELD[label] not in seen]
        if missing:
            raise WarrantError(f"Register row 1: missing column {', '.join(repr(m) for m in missing)}: a register "
                               f"needs a Preset column or the columns {', '.join(ADJUST_REQUIRED)}")
    fields = [f for _j, f in index]
    width = max((j for j, _f in index), default=-1) + 1
    take = _picker([j for j, _f in index])
    take_class = _picker([j for j, f in index if f not in _HOLDING])
    at = {f: j for j, f in index}
    name_at, shares_at, price_at = at.get("warrant"), at.get("warrant_shares"), at.get("exercise_price")
    issued_at = at.get("issue_date")
    price_first = shares_at is not None and price_at is not None and price_at < shares_at   # the header's order
    cache: dict = {}
    classes: dict[tuple, Terms] = {}
    numbers: dict[tuple, Fraction] = {}  # a cell's number, converted once (the same cell value converts the same)
    out = []
    for row, r in enumerate(rows[1:], start=2):
        if len(r) < width:
            r = list(r) + [None] * (width - len(r))
        if all(map(is_blank, take(r))):
            continue
        holding = None
        shares = r[shares_at] if shares_at is not None else None
        price = r[price_at] if price_at is not None else None
        try:
            key = take_class(r)
            key = (key, tuple(map(type, key)))
            template = classes.get(key)
        except TypeError:  # an unhashable cell value: no class
            key, template = None, None
        if template is not None and type(shares) in _EXACT_CELLS and type(price) in _EXACT_CELLS \
                and shares == shares and price == price:                      # NaN is a blank cell
            name = r[name_at] if name_at is not None else None
            warrant = name.strip() if type(name) is str else ""
            issued = r[issued_at] if issued_at is not None else template.issue_date
            kind = type(issued)
            if warrant and warrant[0] != "#" and (issued_at is None or kind in _DATE_CELLS):  # a name, a date
                issued = issued.date() if kind is datetime else issued    # to_date's rule: the time of day dropped
                holding = _holding(warrant, shares, price, issued, row, numbers, price_first)
        if holding is None:
            template = register_row_terms(dict(zip(fields, take(r))), row, date1904=date1904, cache=cache)
            holding = template.holding
            if key is not None and not is_blank(shares) and not is_blank(price):
                classes[key] = template
        out.append((template, holding))
    return tuple(out)


def _exact_number(raw: int | float, field: str, row: int, numbers: dict) -> int | Fraction:
    """``to_number`` of an int or float register cell (not NaN), each float converted once; an int
    cell is exact as it is (a whole share count stays an ``int``: engine.numbers.share_count)."""
    if type(raw) is int:
        return raw
    number = numbers.get((float, raw))
    if number is None:
        if math.isfinite(raw):
            number = float_fraction(raw)                                # to_number's rule for a float
        else:
            number = to_number(raw, _TERMS_FIELD_LABEL[field], "Register", row)   # refused, naming the row
        numbers[(float, raw)] = number
    return number


def _holding(warrant: str, shares: int | float, price: int | float, issued: date | None, row: int,
             numbers: dict, price_first: bool) -> Holding:
    """The warrant of one register row of a known class: its share count and price converted
    (in the header's order, as the whole row would be) and validated as Terms validates them."""
    if price_first:
        per_share = _exact_number(price, "exercise_price", row, numbers)
        count = _exact_number(shares, "warrant_shares", row, numbers)
    else:
        count = _exact_number(shares, "warrant_shares", row, numbers)
        per_share = _exact_number(price, "exercise_price", row, numbers)
    try:
        return Holding(warrant, count, per_share, issued)
    except WarrantError as exc:
        raise WarrantError(f"Register row {row}: {exc}") from None


def parse_as_of(value: Any, field: str = "As Of", *, date1904: bool = False, moment: bool = True):
    """The ``as_of`` argument: one cell (a 1x1 range is accepted) -> date or datetime."""
    v = _single(value, field)
    m = to_moment(v, field, date1904=date1904) if moment else to_date(v, field, date1904=date1904)
    if m is None:
        raise WarrantError(f"{field} (blank) must be a date")
    return m


def _single(value: Any, field: str) -> Any:
    if isinstance(value, (list, tuple)) or _is_array(value):
        g = [c for r in grid(value) for c in r if not is_blank(c)]
        if len(g) > 1:
            raise WarrantError(f"{field}: a range of {len(g)} values; expected one cell")
        return g[0] if g else None
    return value


# --------------------------------------------------------------------------- messages that name the cell

KEY_VALUE_TABLES = frozenset({"terms", "facts", "exercise", "market"})
_WHERE = re.compile(r"^(?P<table>[A-Za-z][A-Za-z ]*?) (?P<axis>row|column) (?P<pos>\d+): (?P<rest>.*)$", re.DOTALL)


def name_cell(message: str, args: Sequence[Any], arg_names: Sequence[str],
              origins: Sequence[tuple[str, int, int] | None]) -> str:
    """``"Terms row 7: Exercise Price ..."`` -> ``"Warrant!B9: Exercise Price ..."`` when the Terms
    argument was read from a worksheet range starting at Warrant!A3 (issue 18: messages point at
    the sheet). A key/value range names its value cell; a table, the cell of the row under the
    column the message names (its first cell when no header matches). Any other message, or an
    argument that was not a range, is returned unchanged."""
    m = _WHERE.match(message)
    if not m:
        return message
    table = m.group("table").strip().casefold()
    index = next((i for i, n in enumerate(arg_names) if n.casefold() == table), None)
    if index is None or index >= len(origins) or origins[index] is None:
        return message
    sheet, r1, c1 = origins[index]
    pos = int(m.group("pos"))
    rest = m.group("rest")
    if table in KEY_VALUE_TABLES:
        row, col = (r1 + pos - 1, c1 + 1) if m.group("axis") == "row" else (r1 + 1, c1 + pos - 1)
    else:
        row, col = r1 + pos - 1, c1
        rows = grid(args[index]) if index < len(args) else []
        field = rest.split(" (", 1)[0].strip().casefold()
        for j, head in enumerate(rows[0] if rows else []):
            if isinstance(_plain(head), str) and norm(head) == norm(field):
                col = c1 + j
                break
    return f"{_sheet_ref(sheet)}!{_column_letters(col)}{row}: {rest}"


def _sheet_ref(sheet: str) -> str:
    return sheet if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet) else "'" + sheet.replace("'", "''") + "'"


def _column_letters(col: int) -> str:
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters

