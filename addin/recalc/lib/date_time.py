"""Date functions on serial numbers, with Excel's 1900 date system (and its fictitious
29 February 1900, serial 60) or the 1904 system. Each cites Excel's documented edge cases.

Day-of-week arithmetic is done on serial numbers, as Excel does it: in the 1900 system serial 1
(1900-01-01) is a Sunday to Excel, so every weekday before 1900-03-01 is Excel's, not the
calendar's. Functions that need a calendar date (YEARFRAC, the coupon functions) refuse the
serials Excel's calendar cannot map to one (0 is 1900-01-00, 60 is 1900-02-29).
"""
from __future__ import annotations

import bisect
import datetime as _dt
import math
import re

from ..xlutils import CALENDAR_MAC_1904

from ..values import NA, NUM, VALUE, XLError, flatten, is_grid, to_number
from .common import declare, scalar_fn

MAX_SERIAL = 2_958_465          # 9999-12-31, the last date Excel knows
_DAY0_1900 = _dt.date(1899, 12, 31)
_DAY0_1904 = _dt.date(1904, 1, 1)
_1904_OFFSET = 1462             # serial in the 1904 system + 1462 = serial in the 1900 system


def lifted(run):
    """Excel lifts a function of scalars over an array in any argument (``DATE(A2:A6,1,1)``,
    ``DATE(2027,B2:B6,1)``): the result has the largest rows and columns of the arrays, a one-row
    or one-column array is repeated, and a cell beyond a smaller array is #N/A. ``run`` is a
    ``scalar_fn``; without arrays beyond the first argument it is called as it is."""
    def go(ev, args):
        grids = [v for _, v in args[1:] if is_grid(v)]
        if not grids:
            return run(ev, args)
        grids += [args[0][1]] if args and is_grid(args[0][1]) else []
        if any(not g or not g[0] for g in grids):
            return VALUE
        rows, cols = max(len(g) for g in grids), max(len(g[0]) for g in grids)

        def at(v, r, c):
            if not is_grid(v):
                return v
            rr, cc = (0 if len(v) == 1 else r), (0 if len(v[0]) == 1 else c)
            return v[rr][cc] if rr < len(v) and cc < len(v[0]) else NA

        def one(r, c):
            picked = [(ref, at(v, r, c)) for ref, v in args]
            bad = next((v for _, v in picked if v is NA), None)
            return bad if bad is not None else run(ev, picked)
        return [[one(r, c) for c in range(cols)] for r in range(rows)]
    return _same_facts(go, run)


def _same_facts(wrapper, run):
    """The wrapper keeps the wrapped function's docstring and declared facts (``xl_facts``, where
    the function registry declares them)."""
    wrapper.__doc__ = run.__doc__
    if hasattr(run, "xl_facts"):
        wrapper.xl_facts = run.xl_facts
    return wrapper


def no_bool(run, positions=None):
    """A date or financial function that reads a logical value in these arguments (all when
    ``positions`` is None) as #VALUE! (``EOMONTH(A1, TRUE)``: Excel's cached #VALUE!)."""
    def go(ev, args):
        for i, (_, v) in enumerate(args):
            if (positions is None or i in positions) and isinstance(v, bool):
                return VALUE
        return run(ev, args)
    return _same_facts(go, run)


def serial(ev, y: int, m: int, d: int = 1) -> int:
    """The serial number of a (normalised) date; 1900-03-01 and later count the fictitious 29 Feb."""
    day = _dt.date(y, m, d)
    if ev.epoch == CALENDAR_MAC_1904:
        return (day - _DAY0_1904).days
    n = (day - _DAY0_1900).days
    return n + 1 if day >= _dt.date(1900, 3, 1) else n


def date_serial(ev, day: _dt.date) -> float:
    return float(serial(ev, day.year, day.month, day.day))


def ymd(ev, x: float) -> tuple[int, int, int] | None:
    """(year, month, day) of a serial number (its integer part), or None when out of Excel's range."""
    s = int(x // 1)
    if s < 0 or s > MAX_SERIAL:
        return None
    if ev.epoch == CALENDAR_MAC_1904:
        day = _DAY0_1904 + _dt.timedelta(days=s)
        return day.year, day.month, day.day
    if s == 0:
        return 1900, 1, 0            # Excel shows serial 0 as 1900-01-00
    if s == 60:
        return 1900, 2, 29           # the 1900 leap-year bug Excel keeps for Lotus 1-2-3
    day = _DAY0_1900 + _dt.timedelta(days=s - (1 if s > 60 else 0))
    return day.year, day.month, day.day


def calendar_date(ev, x: float) -> _dt.date | None:
    """The calendar date of a serial number whose day counts agree with the calendar (1900-03-01
    and later in the 1900 system, any date in the 1904 system); None for any other serial."""
    s = int(x // 1)
    if s > MAX_SERIAL or s < (0 if ev.epoch == CALENDAR_MAC_1904 else 61):
        return None
    parts = ymd(ev, s)
    return _dt.date(*parts)


def serial_1900(ev, x: float) -> int:
    """The integer serial in the 1900 system (for weekday arithmetic)."""
    s = int(x // 1)
    return s + _1904_OFFSET if ev.epoch == CALENDAR_MAC_1904 else s


def _date(ev, y, m, d):
    """DATE(year, month, day): a year 0..1899 is added to 1900; a year < 0 or >= 10000 is #NUM!;
    months and days beyond their range roll over; a result before serial 0 is #NUM!."""
    if not all(math.isfinite(v) and abs(v) < 1e9 for v in (y, m, d)):
        return NUM
    y, m, d = int(y), int(m), int(d)
    if 0 <= y < 1900:
        y += 1900
    if not 0 <= y < 10000:
        return NUM
    y += (m - 1) // 12
    m = (m - 1) % 12 + 1
    if not 1 <= y <= 9999:
        return NUM
    n = serial(ev, y, m) + d - 1
    if n < 0 or n > MAX_SERIAL:
        return NUM
    return float(n)


def _part(i: int, name: str):
    def run(ev, x):
        """YEAR/MONTH/DAY of a serial number: a negative serial is #NUM!; serial 0 is 1900-01-00."""
        parts = ymd(ev, x)
        return NUM if parts is None else float(parts[i])
    run.__name__ = name
    return run


def add_months(day: _dt.date, months: int, end_of_month: bool = False) -> _dt.date:
    """``day`` moved by whole months, its day clipped to the month's last (or the last day when
    ``end_of_month``); a result outside years 1..9999 raises ValueError."""
    total = day.year * 12 + (day.month - 1) + months
    y, m = divmod(total, 12)
    last = _last_day(y, m + 1)
    return _dt.date(y, m + 1, last if end_of_month else min(day.day, last))


def _last_day(y: int, m: int) -> int:
    if not 1 <= y <= 9999:
        raise ValueError("year out of range")
    return (_dt.date(y + (m == 12), m % 12 + 1, 1) - _dt.timedelta(days=1)).day


def _shift_months(ev, start, months, end_of_month: bool):
    parts = ymd(ev, start)
    if parts is None:
        return NUM
    y, m, d = parts
    total = y * 12 + (m - 1) + int(months)
    y, m = divmod(total, 12)
    m += 1
    if not 1900 <= y <= 9999:
        return NUM
    last = _last_day(y, m)
    day = last if end_of_month else min(d, last)
    if (y, m) == (1900, 2) and day >= 28 and ev.epoch != CALENDAR_MAC_1904:
        # Excel's February 1900 has a 29th (serial 60): whether EDATE/EOMONTH land on it is not
        # documented, so neither the 28th nor the 29th is given
        return ev.unsupported("EDATE/EOMONTH", "a result at the end of February 1900, where Excel "
                                               "counts a fictitious 29th")
    n = serial(ev, y, m, day)
    return NUM if n < 0 or n > MAX_SERIAL else float(n)


def _edate(ev, start, months):
    """EDATE(start_date, months): the same day months later or earlier, clipped to the month's
    last day; months is truncated; a start or result outside Excel's dates is #NUM!; a logical
    value is #VALUE!."""
    if ymd(ev, start) == (1900, 1, 0) or ymd(ev, start) == (1900, 2, 29):
        return ev.unsupported("EDATE", "a start on Excel's fictitious dates 1900-01-00 or 1900-02-29")
    if abs(months) > 1e6:
        return NUM
    return _shift_months(ev, start, months, False)


def _eomonth(ev, start, months):
    """EOMONTH(start_date, months): the last day of the month months later or earlier; months is
    truncated; a result outside Excel's dates is #NUM!; a logical value is #VALUE!."""
    if ymd(ev, start) == (1900, 1, 0) or ymd(ev, start) == (1900, 2, 29):
        return ev.unsupported("EOMONTH", "a start on Excel's fictitious dates 1900-01-00 or 1900-02-29")
    if abs(months) > 1e6:
        return NUM
    return _shift_months(ev, start, months, True)


def _days(ev, end, start):
    """DAYS(end_date, start_date) = end_date - start_date (dates as serial numbers, text as
    DATEVALUE); a date outside Excel's range is #NUM!."""
    if ymd(ev, end) is None or ymd(ev, start) is None:
        return NUM
    return float(int(end // 1) - int(start // 1))


# ----------------------------------------------------------------------------- time of day

def _time(ev, h, m, s):
    """TIME(hour, minute, second): each truncated; minutes and seconds beyond 59 roll into hours,
    hours beyond 23 wrap (TIME(23,59,60) is 0); an argument above 32767 or a negative total is
    #NUM! (Microsoft's TIME page)."""
    if any(v > 32767 or v < -32768 for v in (h, m, s)):
        return NUM
    total = int(h) * 3600 + int(m) * 60 + int(s)
    if total < 0:
        return NUM
    return (total % 86400) / 86400.0


def _seconds_of_day(x: float) -> int | XLError:
    if x < 0 or x >= MAX_SERIAL + 1:
        return NUM
    t = round((x - math.floor(x)) * 86400.0)
    return t % 86400


def _clock_part(unit: int, modulus: int, name: str):
    def run(ev, x):
        """HOUR/MINUTE/SECOND of a serial number or time text, to the nearest second; a negative
        serial is #NUM! (Microsoft's HOUR, MINUTE and SECOND pages)."""
        t = _seconds_of_day(x)
        return t if isinstance(t, XLError) else float(t // unit % modulus)
    run.__name__ = name
    return run


# ----------------------------------------------------------------------------- text to dates

_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
_TIME_PART = r"(?P<h>\d{1,2}):(?P<mi>\d{1,2})(?::(?P<s>\d{1,2}(?:\.\d+)?))?\s*(?P<ap>[AaPp][Mm])?"
_DATE_FORMS = (
    re.compile(r"(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})"),
    re.compile(r"(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})"),
    re.compile(r"(?P<d>\d{1,2})[- ](?P<mon>[A-Za-z]{3,9})[- ,]+(?P<y>\d{4}|\d{2})"),
    re.compile(r"(?P<mon>[A-Za-z]{3,9})\.? (?P<d>\d{1,2}),? (?P<y>\d{4}|\d{2})"),
)


def _month_name(word: str) -> int | None:
    w = word.lower()
    m = _MONTHS.get(w[:3])
    full = _dt.date(2000, m, 1).strftime("%B").lower() if m else ""
    return m if m and (len(w) == 3 or w == full or (w == "sept")) else None


def parse_date_time(text: str):
    """(date part, time part) of text in the forms Excel reads in the en-US locale: 2024-02-29,
    2/29/2024, 29-Feb-2024, February 29, 2024, each optionally followed by a time (13:30,
    1:30:15 PM); or a time alone. A part absent is None; None for text that is neither.
    The date part is (year, month, day) unchecked; a two-digit year is 1930-2029 as Excel reads it."""
    t = text.strip()
    date = None
    for form in _DATE_FORMS:
        m = form.match(t)
        if m:
            g = m.groupdict()
            month = _month_name(g["mon"]) if g.get("mon") else int(g["m"])
            if month is None:
                return None
            y = int(g["y"])
            if len(g["y"]) == 2:
                y += 2000 if y < 30 else 1900
            date = (y, month, int(g["d"]))
            t = t[m.end():].strip()
            break
    time = None
    if t:
        m = re.fullmatch(_TIME_PART, t)
        if not m:
            return None
        h, mi, s = int(m["h"]), int(m["mi"]), float(m["s"] or 0)
        if m["ap"]:
            if not 0 <= h <= 12:
                return None
            h = h % 12 + (12 if m["ap"].lower() == "pm" else 0)
        if mi > 59 or s >= 60:
            return None
        time = (h * 3600 + mi * 60 + s) / 86400.0
    if date is None and time is None:
        return None
    return date, time


_NUMERIC_DMY = re.compile(r"^\s*\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b")
_NO_YEAR = re.compile(r"^\s*(\d{1,2}[-/]\d{1,2}|\d{1,2}[- ][A-Za-z]{3,9}\.?|[A-Za-z]{3,9}\.? \d{1,2})"
                      r"(\s+\d{1,2}:\d{1,2}\S*(\s*[AaPp][Mm])?)?\s*$")
_FRACTION = re.compile(r"^\s*[-+]?\s*(\d+\s+)?\d+/\d+\s*$")


def locale_dependent(text: str) -> str | None:
    """Why Excel's reading of this text as a date or number is not fixed, or None: a numeric
    date in day/month or month/day order (VALUE("2/3/2023") is 44987, 2 March, in IronCalc's
    Excel-saved book, 3 February in the en-US locale), a date without a year (Excel takes the
    current year: "1/2", "5-Jan"), a currency sign other than $ (the locale's), or a fraction
    ("1 1/2", which Excel reads as 1.5, not read here)."""
    if _NUMERIC_DMY.match(text):
        return "a numeric date reads as day/month or month/day by the locale Excel runs in"
    if _NO_YEAR.match(text):
        return "a date without a year takes the year Excel runs in"
    if any(c in text for c in "€£¥¤"):
        return "a currency sign other than $ reads by the locale Excel runs in"
    if _FRACTION.match(text):
        return "a fraction in text is not read here"
    return None


def takes_whole(name: str) -> bool:
    """Whether the evaluator passes this function's range arguments whole in a plain formula
    (its array parameters). Until it does, a one-value reference may be an intersected range."""
    from . import FACTS                       # imported here: the package imports this module
    facts = FACTS.get(name)
    return bool(facts and facts.ranges)


def _date_of(ev, parts) -> float | XLError:
    y, m, d = parts
    if ev.epoch != CALENDAR_MAC_1904 and (y, m, d) == (1900, 2, 29):
        return 60.0                    # Excel's fictitious day (DATEVALUE("29-Feb-1900") is 60)
    try:
        n = serial(ev, y, m, d)
    except ValueError:
        return VALUE
    return float(n) if 0 <= n <= MAX_SERIAL and y >= 1900 else VALUE


def _parsed_text(ev, name: str, text):
    """DATEVALUE's and TIMEVALUE's reading of their text: an error passed on, a non-text #VALUE!,
    a reading that depends on the locale unsupported, else :func:`parse_date_time`'s parts."""
    if isinstance(text, XLError):
        return text
    if not isinstance(text, str):
        return VALUE
    why = locale_dependent(text)
    if why:
        return ev.unsupported(name, f"{text!r}: {why}")
    return parse_date_time(text)


def datevalue(ev, text):
    """DATEVALUE(date_text): the serial number of the date in text; a time in the text is
    ignored; text that is not a date (or a number) is #VALUE!; 29-Feb-1900 is 60 as in Excel."""
    parsed = _parsed_text(ev, "DATEVALUE", text)
    if isinstance(parsed, XLError):
        return parsed
    if parsed is None or parsed[0] is None:
        return VALUE
    return _date_of(ev, parsed[0])


def timevalue(ev, text):
    """TIMEVALUE(time_text): the fraction of a day of the time in text (a date in the text is
    ignored; 24:00 is 0); text that is not a time is #VALUE!."""
    parsed = _parsed_text(ev, "TIMEVALUE", text)
    if isinstance(parsed, XLError):
        return parsed
    if parsed is None:
        return VALUE
    if parsed[0] is not None and isinstance(_date_of(ev, parsed[0]), XLError):
        return VALUE
    return math.fmod(parsed[1] or 0.0, 1.0)


# ----------------------------------------------------------------------------- weekdays

def _weekday(ev, x, kind=1.0):
    """WEEKDAY(serial_number, [return_type]): type 1 Sunday=1..Saturday=7, 2 Monday=1..Sunday=7,
    3 Monday=0..Sunday=6, 11-17 weeks starting Monday..Sunday numbered from 1; another type is
    #NUM!; a negative serial is #NUM!. Computed on the serial number as Excel does (serial 0
    is a Saturday)."""
    if x < 0 or x > MAX_SERIAL + 1:
        return NUM
    k = int(kind)
    monday0 = (serial_1900(ev, x) + 5) % 7         # 0 = Monday
    if k == 1:
        return float((monday0 + 1) % 7 + 1)
    if k == 2:
        return float(monday0 + 1)
    if k == 3:
        return float(monday0)
    if 11 <= k <= 17:
        return float((monday0 - (k - 11)) % 7 + 1)
    return NUM


_WEEKNUM_START = {1: 6, 2: 0, 11: 0, 12: 1, 13: 2, 14: 3, 15: 4, 16: 5, 17: 6}   # first day, 0 = Monday


def _weeknum(ev, x, kind=1.0):
    """WEEKNUM(serial_number, [return_type]): system 1 (types 1, 2, 11-17: the week holding
    1 January is week 1, weeks begin on the type's day) or system 2 (type 21: ISO 8601); another
    type is #NUM!."""
    k = int(kind)
    if x < 0 or x > MAX_SERIAL + 1:
        return NUM
    if k == 21:
        return _isoweeknum(ev, x)
    if k not in _WEEKNUM_START:
        return NUM
    parts = ymd(ev, x)
    if parts[1:] == (1, 0):
        return ev.unsupported("WEEKNUM", "serial 0 (1900-01-00)")
    jan1 = serial_1900(ev, serial(ev, parts[0], 1, 1))
    s = serial_1900(ev, x)
    jan1_pos = ((jan1 + 5) % 7 - _WEEKNUM_START[k]) % 7
    return float((s - jan1 + jan1_pos) // 7 + 1)


def _isoweeknum(ev, x):
    """ISOWEEKNUM(date): the ISO 8601 week number (weeks begin on Monday; week 1 holds the
    year's first Thursday); a negative serial is #NUM!."""
    if x < 0 or x > MAX_SERIAL + 1:
        return NUM
    day = calendar_date(ev, x)
    if day is None:
        return ev.unsupported("ISOWEEKNUM", "a date before 1900-03-01, where Excel's weekdays differ "
                                            "from the calendar's")
    return float(day.isocalendar()[1])


# ----------------------------------------------------------------------------- working days

_WEEKEND_CODES = {1: (5, 6), 2: (6, 0), 3: (0, 1), 4: (1, 2), 5: (2, 3), 6: (3, 4), 7: (4, 5),
                  11: (6,), 12: (0,), 13: (1,), 14: (2,), 15: (3,), 16: (4,), 17: (5,)}


def _weekend_mask(code) -> tuple[bool, ...] | XLError:
    """The weekend argument of the .INTL functions: a number 1-7 or 11-17, or seven 0/1
    characters from Monday (1 = weekend; "1111111" is #VALUE!)."""
    if code is None:
        code = 1.0
    if isinstance(code, str) and not isinstance(code, XLError):
        if not re.fullmatch(r"[01]{7}", code) or code == "1111111":
            return VALUE
        return tuple(c == "1" for c in code)
    if isinstance(code, XLError):
        return code
    n = to_number(code)
    if isinstance(n, XLError):
        return n
    days = _WEEKEND_CODES.get(int(n)) if n == int(n) else None
    if days is None:
        return NUM
    return tuple(i in days for i in range(7))


def whole(ev, name: str, arg) -> list | XLError:
    """The cells of an argument Excel takes whole (a range or an array), in row order. A
    reference that reached the function as one value in a plain formula may be a range the
    evaluator intersected: refused as unsupported rather than read as one cell."""
    is_ref, v = arg
    if is_grid(v):
        return list(flatten([v]))
    if is_ref and getattr(ev, "implicit", False) and not takes_whole(name):
        return ev.unsupported(name, "a range argument in a plain formula (the evaluator intersects it; "
                                    "it must take the range whole)")
    return [v]


def _holidays(ev, name, arg) -> set[int] | XLError:
    """The serials of a holidays argument (a range or array of dates; blanks skipped)."""
    if arg is None:
        return set()
    cells = whole(ev, name, arg)
    if isinstance(cells, XLError):
        return cells
    out = set()
    for x in cells:
        if x is None:
            continue
        n = to_number(x, ev.epoch)
        if isinstance(n, XLError):
            return n
        if n < 0 or n > MAX_SERIAL:
            return NUM
        out.add(serial_1900(ev, n))
    return out


def _date_arg(ev, v) -> int | XLError:
    if isinstance(v, bool):
        return VALUE
    n = ev.scalar_number(v)
    if isinstance(n, XLError):
        return n
    if n < 0 or n > MAX_SERIAL:
        return NUM
    return serial_1900(ev, n)


def _working_days(start: int, end: int, mask, holidays) -> int:
    """Working days from start to end inclusive (start <= end), serials of the 1900 system."""
    days = end - start + 1
    weeks, rest = divmod(days, 7)
    per_week = 7 - sum(mask)
    count = weeks * per_week
    for s in range(start + weeks * 7, end + 1):
        if not mask[(s + 5) % 7]:
            count += 1
    count -= sum(1 for h in holidays if start <= h <= end and not mask[(h + 5) % 7])
    return count


def _networkdays(intl: bool):
    name = "NETWORKDAYS.INTL" if intl else "NETWORKDAYS"

    def run(ev, args):
        """NETWORKDAYS(start_date, end_date, [holidays]) and NETWORKDAYS.INTL(start_date,
        end_date, [weekend], [holidays]): whole working days between the dates, both counted,
        negative when start is after end; holidays on a weekend count once; a date outside
        Excel's range is #NUM!."""
        if not 2 <= len(args) <= (4 if intl else 3):
            return VALUE
        if any(is_grid(a[1]) for a in args[:2 + intl]):
            return ev.unsupported(name, "an array of dates")
        a, b = _date_arg(ev, args[0][1]), _date_arg(ev, args[1][1])
        for x in (a, b):
            if isinstance(x, XLError):
                return x
        mask = _weekend_mask(args[2][1] if intl and len(args) > 2 else None)
        if isinstance(mask, XLError):
            return mask
        hol = _holidays(ev, name, args[2 + intl] if len(args) > 2 + intl else None)
        if isinstance(hol, XLError):
            return hol
        if a <= b:
            return float(_working_days(a, b, mask, hol))
        return -float(_working_days(b, a, mask, hol))
    return run


def _workday(intl: bool):
    name = "WORKDAY.INTL" if intl else "WORKDAY"

    def run(ev, args):
        """WORKDAY(start_date, days, [holidays]) and WORKDAY.INTL(start_date, days, [weekend],
        [holidays]): the date days working days after (before, when negative) the start, skipping
        weekends and holidays; days is truncated; a result outside Excel's dates is #NUM!."""
        if not 2 <= len(args) <= (4 if intl else 3):
            return VALUE
        if any(is_grid(a[1]) for a in args[:2 + intl]):
            return ev.unsupported(name, "an array of dates")
        start = _date_arg(ev, args[0][1])
        if isinstance(start, XLError):
            return start
        if isinstance(args[1][1], bool):
            return VALUE
        days = ev.scalar_number(args[1][1])
        if isinstance(days, XLError):
            return days
        if abs(days) > MAX_SERIAL:
            return NUM
        days = int(days)
        mask = _weekend_mask(args[2][1] if intl and len(args) > 2 else None)
        if isinstance(mask, XLError):
            return mask
        hol = _holidays(ev, name, args[2 + intl] if len(args) > 2 + intl else None)
        if isinstance(hol, XLError):
            return hol
        step = 1 if days >= 0 else -1
        s, left = start, abs(days)
        per_week = 7 - sum(mask)
        marks = sorted(hol)

        def holiday_near(s):
            i = bisect.bisect_left(marks, s - 7)
            return i < len(marks) and marks[i] <= s + 7
        while left > 0:
            if left > 14 and not holiday_near(s):
                s += 7 * step                                 # a whole week of per_week working days
                left -= per_week
                continue
            s += step
            if not mask[(s + 5) % 7] and s not in hol:
                left -= 1
        if ev.epoch == CALENDAR_MAC_1904:
            s -= _1904_OFFSET
        if s < 0 or s > MAX_SERIAL:
            return NUM
        return float(s)
    return run


# ----------------------------------------------------------------------------- day counts

def days360_us(a: _dt.date, b: _dt.date) -> int:
    """DAYS360's US (NASD) method: a start on the month's last day (or February's) becomes the
    30th; an end on the 31st becomes the 30th when the start is the 30th or 31st."""
    d1, d2 = a.day, b.day
    if d1 == 31 or (a.month == 2 and d1 == _last_day(a.year, 2)):
        d1 = 30
    if d2 == 31 and d1 == 30:
        d2 = 30
    return 360 * (b.year - a.year) + 30 * (b.month - a.month) + d2 - d1


def days360_eu(a: _dt.date, b: _dt.date) -> int:
    """The European method (DAYS360 method TRUE, basis 4): a 31st becomes the 30th."""
    return 360 * (b.year - a.year) + 30 * (b.month - a.month) + min(b.day, 30) - min(a.day, 30)


def days360_nasd(a: _dt.date, b: _dt.date, both: bool = False) -> int:
    """The 30/360 US count of the financial functions (basis 0; Excel's analysis functions as
    reverse-engineered by ExcelFinancialFunctions, ported by IronCalc): an end on February's last
    day becomes the 30th when the start is February's last too (or ``both``); an end on the 31st
    becomes the 30th when the start day is 30 or more (or ``both``); then a start on the 31st or
    on February's last day becomes the 30th."""
    d1, d2 = a.day, b.day
    a_feb_last = a.month == 2 and d1 == _last_day(a.year, 2)
    b_feb_last = b.month == 2 and d2 == _last_day(b.year, 2)
    if b_feb_last and (a_feb_last or both):
        d2 = 30
    if d2 == 31 and (d1 >= 30 or both):
        d2 = 30
    if d1 == 31 or a_feb_last:
        d1 = 30
    return 360 * (b.year - a.year) + 30 * (b.month - a.month) + d2 - d1


def _is_leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def yearfrac(a: _dt.date, b: _dt.date, basis: int) -> float:
    """The fraction of a year from a to b (a <= b) by day-count basis: 0 US 30/360, 1 actual/actual,
    2 actual/360, 3 actual/365, 4 European 30/360. Basis 1 divides by 366 when the span (at most a
    year) holds a 29 February or lies in a leap year, else by 365; a longer span divides by the
    mean length of the calendar years it touches (ExcelFinancialFunctions' ``ActualActual``,
    which reproduces Excel)."""
    days = (b - a).days
    if basis == 0:
        return days360_nasd(a, b) / 360.0
    if basis == 2:
        return days / 360.0
    if basis == 3:
        return days / 365.0
    if basis == 4:
        return days360_eu(a, b) / 360.0
    y1, y2 = a.year, b.year
    within = y1 == y2 or (y2 == y1 + 1 and (a.month > b.month or (a.month == b.month and a.day >= b.day)))
    if not within:
        total = sum(366 if _is_leap(y) else 365 for y in range(y1, y2 + 1))
        return days / (total / (y2 - y1 + 1))
    if y1 == y2:
        leap = _is_leap(y1)
    else:
        leap = (_is_leap(y1) and a.month <= 2) or (_is_leap(y2) and (b.month > 2 or (b.month, b.day) == (2, 29)))
    leap = leap or (b.month, b.day) == (2, 29)
    return days / (366.0 if leap else 365.0)


def date_args(ev, name: str, *xs):
    """Serial numbers truncated to calendar dates; #NUM! outside Excel's dates; unsupported on
    serials before 1900-03-01 (where Excel's day counts differ from the calendar's)."""
    out = []
    for x in xs:
        if x < 0 or x > MAX_SERIAL:
            return NUM
        day = calendar_date(ev, x)
        if day is None:
            return ev.unsupported(name, "a date before 1900-03-01 (Excel's fictitious 1900-02-29 "
                                        "makes its day counts differ from the calendar's)")
        out.append(day)
    return out


def _yearfrac(ev, start, end, basis=0.0):
    """YEARFRAC(start_date, end_date, [basis]): dates and basis truncated; start after end is
    swapped; a basis outside 0..4 or a date outside Excel's range is #NUM! (Microsoft's
    YEARFRAC page)."""
    b = int(basis)
    if not 0 <= b <= 4:
        return NUM
    days = date_args(ev, "YEARFRAC", start, end)
    if isinstance(days, XLError):
        return days
    a, z = sorted(days)
    return yearfrac(a, z, b)


def _days360(ev, start, end, method=False):
    """DAYS360(start_date, end_date, [method]): FALSE the US method (a start on the month's last
    day becomes the 30th; an end on the 31st becomes the 30th when the start is the 30th or
    later), TRUE the European (a 31st becomes the 30th); negative when start is after end."""
    days = date_args(ev, "DAYS360", start, end)
    if isinstance(days, XLError):
        return days
    return float((days360_eu if method else days360_us)(*days))


def _datedif(ev, start, end, unit):
    """DATEDIF(start_date, end_date, unit): whole years "Y", months "M", days "D", days ignoring
    months and years "MD", months ignoring years "YM", days ignoring years "YD"; start after end
    is #NUM!; another unit is #NUM!. Microsoft's page warns that "MD" may give inaccurate results:
    where the start day is beyond the previous month's length it is refused here."""
    u = unit.upper()
    if u not in ("Y", "M", "D", "MD", "YM", "YD"):
        return NUM
    if start > end:
        return NUM
    if u == "D":
        return float(int(end // 1) - int(start // 1))
    days = date_args(ev, "DATEDIF", start, end)
    if isinstance(days, XLError):
        return days
    a, b = days
    months = (b.year - a.year) * 12 + b.month - a.month - (1 if b.day < a.day else 0)
    if u == "Y":
        return float(months // 12)
    if u == "M":
        return float(months)
    if u == "YM":
        return float(months % 12)
    if u == "MD":
        if b.day >= a.day:
            return float(b.day - a.day)
        prev = add_months(b, -1)
        prev_len = _last_day(prev.year, prev.month)
        if a.day > prev_len:
            return ev.unsupported("DATEDIF", '"MD" with a start day beyond the previous month\'s length')
        return float(prev_len - a.day + b.day)
    # "YD": the start moved to the end's year (or the year before when that passes the end)
    if (a.month, a.day) == (2, 29):
        return ev.unsupported("DATEDIF", '"YD" from a 29 February')
    moved = a.replace(year=b.year)
    if moved > b:
        moved = a.replace(year=b.year - 1)
    if any(_is_leap(y) and moved < _dt.date(y, 2, 29) <= b for y in (moved.year, b.year)):
        # how Excel's "YD" counts a 29 February in between is not documented (Microsoft's page
        # describes "YD" only as the days "as if the dates were in the same year"): refused
        return ev.unsupported("DATEDIF", '"YD" across a 29 February')
    return float((b - moved).days)


FUNCTIONS = {
    "EDATE": no_bool(lifted(scalar_fn(_edate, (2, 2), "n"))),
    "EOMONTH": no_bool(lifted(scalar_fn(_eomonth, (2, 2), "n"))),
    "DAYS": lifted(scalar_fn(_days, (2, 2), "n")),
    "DATE": lifted(scalar_fn(_date, (3, 3), "n")),
    "YEAR": scalar_fn(_part(0, "YEAR"), (1, 1), "n"),
    "MONTH": scalar_fn(_part(1, "MONTH"), (1, 1), "n"),
    "DAY": scalar_fn(_part(2, "DAY"), (1, 1), "n"),
    "TIME": lifted(scalar_fn(_time, (3, 3), "n")),
    "HOUR": scalar_fn(_clock_part(3600, 24, "HOUR"), (1, 1), "n"),
    "MINUTE": scalar_fn(_clock_part(60, 60, "MINUTE"), (1, 1), "n"),
    "SECOND": scalar_fn(_clock_part(1, 60, "SECOND"), (1, 1), "n"),
    "DATEVALUE": scalar_fn(datevalue, (1, 1), "a"),
    "TIMEVALUE": scalar_fn(timevalue, (1, 1), "a"),
    "WEEKDAY": lifted(scalar_fn(_weekday, (1, 2), "n")),
    "WEEKNUM": lifted(scalar_fn(_weeknum, (1, 2), "n")),
    "ISOWEEKNUM": scalar_fn(_isoweeknum, (1, 1), "n"),
    "NETWORKDAYS": declare(_networkdays(False), ranges=2),
    "NETWORKDAYS.INTL": declare(_networkdays(True), ranges=3),
    "WORKDAY": declare(_workday(False), ranges=2),
    "WORKDAY.INTL": declare(_workday(True), ranges=3),
    "YEARFRAC": lifted(scalar_fn(_yearfrac, (2, 3), "n")),
    "DAYS360": lifted(scalar_fn(_days360, (2, 3), "nnb")),
    "DATEDIF": lifted(scalar_fn(_datedif, (3, 3), "nnt")),
}

# arguments Excel takes whole (a range, never intersected): for the evaluator's array parameters
