"""Excel's values and its coercion rules, in one place.

A value is ``None`` (an empty cell), ``bool``, ``float`` (or ``int``), ``str``, a
``datetime``/``date``/``time`` read from a date-formatted cell (a serial number in
arithmetic), an :class:`XLError`, or a grid (a list of rows). Text to number, number to
text and comparison follow Excel's documented rules here and nowhere else.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from decimal import Decimal
from typing import Callable, Iterable

from .xlutils import get_column_letter, to_excel

class XLError(str):
    """An Excel error value (``#N/A``, ``#VALUE!``, ``#SPILL!`` ...): text that is not text."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"XLError({str(self)!r})"


NA, VALUE, REF, NAME, DIV0, NUM, SPILL, CIRC, NULL = (XLError(x) for x in (
    "#N/A", "#VALUE!", "#REF!", "#NAME?", "#DIV/0!", "#NUM!", "#SPILL!", "#CIRC!", "#NULL!"))
ERRORS = {str(e): e for e in (NA, VALUE, REF, NAME, DIV0, NUM, SPILL, CIRC, NULL, XLError("#GETTING_DATA"))}


def is_error(value: object) -> bool:
    return isinstance(value, XLError)


def cell_key(sheet: str, row: int, col: int) -> str:
    """``Sheet!A1`` (the JSON key of a cell)."""
    return f"{sheet}!{get_column_letter(col)}{row}"



# ----------------------------------------------------------------------------- values

TEXT_LIMIT = 32_767      # Excel's limit on the length of a text value ("Excel specifications and limits")

# Text Excel reads as a number (VALUE's documentation: "text can be in any of the constant number,
# date, or time formats recognized by Microsoft Excel"): an optional sign or parentheses, a leading
# currency sign, digits with well-formed thousands separators, a decimal part, an exponent, a
# trailing percent sign. Python's own float syntax ("1_000", "inf", "nan") is not Excel's.
_NUMBER_TEXT = re.compile(r"""^\s*(?P<open>\()?\s*(?P<sign>[+-])?\s*\$?\s*
    (?P<int>\d{1,3}(?:,\d{3})+|\d*)(?P<frac>\.\d*)?(?P<exp>[eE][+-]?\d+)?\s*(?P<pct>%)?\s*(?P<close>\))?\s*$""",
                          re.X)
_ISO_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")      # Excel: " 2024-01-10 " is #VALUE!
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# a currency sign other than $ makes the reading depend on Excel's regional settings ("100€" is 100
# in a euro locale): such text is reported, never read as a guess
_FOREIGN_CURRENCY = re.compile(r"^\s*[-+(]?\s*[€£¥]\s*[\d.,]+\s*\)?\s*$|^\s*[-+(]?[\d.,]+\s*[€£¥]\s*\)?\s*$")

# set by the evaluator while it runs: called with a reason when a text's reading is in doubt
on_doubt: Callable[[str], object] | None = None
_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?\s*(AM|PM)?\s*$", re.I)


def text_to_number(text: str, epoch=None) -> float | XLError:
    """Excel's reading of text as a number, date or time; #VALUE! where Excel gives it.

    Dates are read in the ISO (2020-01-05) and US (1/5/2020) orders only: other spellings
    are #VALUE! (never a different number)."""
    m = _NUMBER_TEXT.match(text)
    if m and (m.group("int") or (m.group("frac") or "") not in ("", ".")):
        if bool(m.group("open")) != bool(m.group("close")) or (m.group("open") and m.group("sign")):
            return VALUE
        digits = (m.group("int") or "0").replace(",", "") + (m.group("frac") or "") + (m.group("exp") or "")
        try:
            n = float(digits)
        except ValueError:
            return VALUE
        if m.group("sign") == "-" or m.group("open"):
            n = -n
        if m.group("pct"):
            n /= 100.0
        return n if math.isfinite(n) else NUM
    if on_doubt is not None and _FOREIGN_CURRENCY.match(text):
        on_doubt(f"text {text!r} reads as a number only in some regional settings")
        return VALUE
    m = _ISO_DATE.match(text) or _US_DATE.match(text)
    if m:
        if m.re is _ISO_DATE:
            y, mo, d = (int(x) for x in m.groups())
        else:
            mo, d, y = (int(x) for x in m.groups())
        try:
            day = _dt.datetime(y, mo, d)
        except ValueError:
            return VALUE
        if day.year < (1904 if epoch and epoch.year == 1904 else 1900):
            return VALUE                     # before the date system's first day: not a date to Excel
        return float(to_excel(day, epoch)) if epoch else float(to_excel(day))
    m = _TIME.match(text)
    if m:
        h, mi, sec, half = int(m.group(1)), int(m.group(2)), float(m.group(3) or 0), m.group(4)
        if half:
            if not 1 <= h <= 12:
                return VALUE
            h = h % 12 + (12 if half.upper() == "PM" else 0)
        if mi > 59 or sec >= 60:
            return VALUE
        return (h * 3600 + mi * 60 + sec) / 86400.0
    return VALUE


def to_number(value: object, epoch=None) -> float | XLError:
    if isinstance(value, XLError):
        return value
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return float(to_excel(value, epoch)) if epoch else float(to_excel(value))
    if isinstance(value, _dt.time):
        return float(to_excel(value))
    if isinstance(value, str):
        return text_to_number(value, epoch)
    return VALUE


def number_text(x: float) -> str:
    """A number as Excel writes it in text (``=""&x``): General format, at most 15 significant
    digits, scientific as ``1E+20`` beyond 15 integer digits or below 1E-09 (Excel's General)."""
    if x == 0:
        return "0"
    d = Decimal(repr(float(x)))
    rounded = Decimal(format(d, ".14e"))
    exp = rounded.adjusted()
    if -10 < exp < 15:
        text = format(rounded, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    mant, _, e = format(rounded, ".14e").partition("e")
    mant = mant.rstrip("0").rstrip(".")
    ev = int(e)
    return f"{mant}E{'+' if ev >= 0 else '-'}{abs(ev):02d}"


def to_text(value: object, epoch=None) -> str | XLError:
    if isinstance(value, XLError):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return number_text(value)
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return number_text(to_number(value, epoch))   # a date is its serial number as text
    return str(value)


def to_bool(value: object) -> bool | XLError:
    if isinstance(value, XLError):
        return value
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        if value.upper() == "TRUE":
            return True
        if value.upper() == "FALSE":
            return False
        return VALUE
    return True


def _type_rank(v: object) -> int:
    if isinstance(v, bool):
        return 2
    if isinstance(v, str):
        return 1
    return 0


def fifteen_digits(x: float) -> float:
    """``x`` to 15 significant digits: Excel compares numbers at this precision (0.1+0.2=0.3 is TRUE)."""
    return float(f"{x:.15g}") if x else 0.0


def compare(op: str, a: object, b: object, epoch=None) -> bool | XLError:
    """Excel's comparison: errors propagate; a blank is 0, "" or FALSE as the other side;
    numbers < text < logical values; text compares without case; numbers to 15 digits."""
    if isinstance(a, XLError):
        return a
    if isinstance(b, XLError):
        return b
    if a is None:
        a = "" if isinstance(b, str) else (False if isinstance(b, bool) else 0.0)
    if b is None:
        b = "" if isinstance(a, str) else (False if isinstance(a, bool) else 0.0)
    if isinstance(a, (_dt.date, _dt.datetime, _dt.time)):
        a = to_number(a, epoch)
    if isinstance(b, (_dt.date, _dt.datetime, _dt.time)):
        b = to_number(b, epoch)
    ra, rb = _type_rank(a), _type_rank(b)
    if ra != rb:
        x, y = ra, rb
    elif ra == 1:
        x, y = a.lower(), b.lower()
    elif ra == 2:
        x, y = a, b
    else:
        x, y = fifteen_digits(float(a)), fifteen_digits(float(b))
    if op == "=":
        return x == y
    if op == "<>":
        return x != y
    if op == "<":
        return x < y
    if op == ">":
        return x > y
    if op == "<=":
        return x <= y
    return x >= y


class ClippedGrid(list):
    """A large range's values over the sheet's used area only; ``shape`` is the range's true
    (rows, cols): the cells beyond are empty."""

    __slots__ = ("shape",)


def shape_of(grid) -> tuple[int, int]:
    """(rows, cols) of a grid, its true shape when clipped."""
    if isinstance(grid, ClippedGrid):
        return grid.shape
    return len(grid), (len(grid[0]) if grid else 0)


def is_grid(v: object) -> bool:
    return isinstance(v, list)


def grid_map(fn: Callable[[object], object], v: object) -> object:
    if is_grid(v):
        return [[fn(x) for x in row] for row in v]
    return fn(v)


def broadcast(fn: Callable[[object, object], object], a: object, b: object) -> object:
    if not is_grid(a) and not is_grid(b):
        return fn(a, b)
    ga = a if is_grid(a) else [[a]]
    gb = b if is_grid(b) else [[b]]
    rows = max(len(ga), len(gb))
    cols = max(len(ga[0]), len(gb[0]))

    def at(g, r, c):
        rr = 0 if len(g) == 1 else r
        cc = 0 if len(g[0]) == 1 else c
        if rr >= len(g) or cc >= len(g[0]):
            return NA
        return g[rr][cc]
    return [[fn(at(ga, r, c), at(gb, r, c)) for c in range(cols)] for r in range(rows)]


def flatten(values: Iterable[object]) -> Iterable[object]:
    for v in values:
        if is_grid(v):
            for row in v:
                yield from row
        else:
            yield v



def none_to_zero(v):
    """A formula that returns an empty cell shows 0 in Excel."""
    return 0.0 if v is None else v


def from_catalog(v):
    if isinstance(v, tuple):
        v = list(v)
    if isinstance(v, list):
        if v and not isinstance(v[0], (list, tuple)):
            v = [v]
        return [[_cell_from_catalog(x) for x in row] for row in v]
    return _cell_from_catalog(v)


def _cell_from_catalog(x):
    t = type(x)                          # the common plain types first (the rules below, in short)
    if t is float:
        return NUM if (math.isnan(x) or math.isinf(x)) else x
    if t is str:
        return ERRORS.get(x, x)
    if t is int:
        return float(x)
    if isinstance(x, XLError) or x is None or isinstance(x, (bool, str, _dt.datetime, _dt.time)):
        if isinstance(x, str) and not isinstance(x, XLError) and x in ERRORS:
            return ERRORS[x]
        return x
    if isinstance(x, _dt.date):
        return _dt.datetime(x.year, x.month, x.day)
    if isinstance(x, int):
        return float(x) if abs(x) < 2 ** 53 else float(x)
    if isinstance(x, float):
        return NUM if (math.isnan(x) or math.isinf(x)) else x
    try:
        return float(x)   # Decimal, Fraction, numpy scalars
    except (TypeError, ValueError):
        return str(x)



def json_value(v: object) -> object:
    if isinstance(v, XLError):
        return str(v)
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, (_dt.datetime, _dt.date, _dt.time)):
        if isinstance(v, _dt.datetime) and v.time() == _dt.time(0):
            return v.date().isoformat()
        return v.isoformat()
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            return "#NUM!"
        if v.is_integer() and abs(v) < 2 ** 53:
            return int(v)
        return v
    if isinstance(v, int):
        return v
    return str(v)

