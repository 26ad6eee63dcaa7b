"""Text functions. Each cites the edge cases of Excel's documentation it follows."""
from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

from ..values import (NA, NUM, TEXT_LIMIT, VALUE, XLError, broadcast, flatten, is_grid, number_text, text_to_number,
                      to_bool, to_number, to_text)
from .common import ALL, declare, scalar_fn
from .date_time import MAX_SERIAL, datevalue, lifted, locale_dependent, serial_1900, timevalue, whole, ymd


# wide enough for any double written out in full with 127 decimal places (FIXED's maximum)
_WIDE = Context(prec=800, Emax=999_999, Emin=-999_999)


def limited(text: str) -> str | XLError:
    """A text result longer than Excel's 32,767 characters is #VALUE!."""
    return VALUE if len(text) > TEXT_LIMIT else text


def join(a, b, epoch=None):
    """``a & b`` (and CONCATENATE's step): both as text, errors first, the length limit."""
    ta, tb = to_text(a, epoch), to_text(b, epoch)
    if isinstance(ta, XLError):
        return ta
    if isinstance(tb, XLError):
        return tb
    return limited(ta + tb)


def _concat(ev, args):
    """CONCAT(text1, ...): every cell of every range, in order, as text."""
    parts = []
    for _, v in args:
        for x in (flatten([v]) if is_grid(v) else [v]):
            t = to_text(x, ev.epoch)
            if isinstance(t, XLError):
                return t
            parts.append(t)
    return limited("".join(parts))


def _concatenate(ev, args):
    """CONCATENATE(text1, ...): a range argument is lifted cell by cell (an array result),
    unlike CONCAT; numbers and dates as General text (a date is its serial number)."""
    out = ""
    for _, v in args:
        out = broadcast(lambda x, y: join(x, y, ev.epoch), out, v)
    return out


def _count(n: float) -> int:
    """A character count or position: truncated; beyond the text limit counts as the limit
    (so MID("abc", 1E+300, 1) is "" and never an overflow)."""
    return int(min(n, TEXT_LIMIT + 1))


def _left(ev, s, n=1.0):
    """LEFT(text, [num_chars]): num_chars < 0 is #VALUE!; beyond the length, the whole text."""
    return VALUE if n < 0 else s[:_count(n)]


def _right(ev, s, n=1.0):
    """RIGHT(text, [num_chars]): num_chars < 0 is #VALUE!; beyond the length, the whole text
    (Microsoft's RIGHT page: "If num_chars is greater than the length of text, RIGHT returns all
    of text")."""
    if n < 0:
        return VALUE
    k = _count(n)
    return s[max(0, len(s) - k):] if k else ""


def _mid(ev, s, start, n):
    """MID(text, start_num, num_chars): start_num < 1 or num_chars < 0 is #VALUE!; a start
    beyond the text gives ""."""
    if start < 1 or n < 0:
        return VALUE
    a = _count(start) - 1
    return s[a:a + _count(n)]


def _trim(ev, s):
    """TRIM removes spaces (character 32) only: leading, trailing and repeated inside."""
    return " ".join(p for p in s.split(" ") if p)


def _clean(ev, s):
    """CLEAN removes the first 32 non-printing characters of the 7-bit ASCII code (0-31)."""
    return "".join(c for c in s if ord(c) >= 32)


def _proper(ev, s):
    """PROPER: the first letter of the text and every letter after a character other than a
    letter is upper case, the rest lower case (so "it's" becomes "It'S", "2nd" "2Nd")."""
    out, prev = [], False
    for c in s:
        out.append(c.upper() if not prev else c.lower())
        prev = c.isalpha()
    return "".join(out)


def _find(ev, needle, hay, start=1.0):
    """FIND(find_text, within_text, [start_num]): case-sensitive, no wildcards; start_num < 1
    or beyond the text, or not found, is #VALUE!; "" finds start_num."""
    if start < 1 or start > len(hay) + 1:
        return VALUE
    i = hay.find(needle, int(start) - 1)
    return VALUE if i < 0 else float(i + 1)


def _search(ev, needle, hay, start=1.0):
    """SEARCH(find_text, within_text, [start_num]): not case-sensitive, wildcards ? and * (~
    escapes them); start_num < 1 or beyond the text, or not found, is #VALUE!; "" finds
    start_num."""
    if start < 1 or start > len(hay) + 1:
        return VALUE
    a = int(start) - 1
    if needle == "":
        return float(a + 1)
    if not any(c in needle for c in "*?~"):
        i = hay.lower().find(needle.lower(), a)
        return VALUE if i < 0 else float(i + 1)
    rx = re.compile(_search_pattern(needle), re.I | re.S)
    for i in range(a, len(hay) + 1):
        if rx.match(hay, i):
            return float(i + 1)
    return VALUE


def _search_pattern(needle: str) -> str:
    """SEARCH's wildcards: ? one character, * any run, ~ makes the next character literal (a
    final ~ matches nothing: SEARCH("~", "Hello") is 1 in IronCalc's Excel-saved book)."""
    out, i = [], 0
    while i < len(needle):
        c = needle[i]
        if c == "~":
            if i + 1 < len(needle):
                out.append(re.escape(needle[i + 1]))
            i += 2
            continue
        out.append(".*?" if c == "*" else "." if c == "?" else re.escape(c))
        i += 1
    return "".join(out)


def _substitute(ev, s, old, new, instance=None):
    """SUBSTITUTE(text, old_text, new_text, [instance_num]): every occurrence, or only the
    instance_num-th; instance_num < 1 is #VALUE!; old_text "" leaves the text unchanged."""
    if instance is not None:
        if isinstance(instance, bool):
            instance = float(instance)
        n = to_number(instance, ev.epoch)
        if isinstance(n, XLError):
            return n
        if n < 1:
            return VALUE
        k = int(n)
        if old == "":
            return s
        pos = -1
        for _ in range(k):
            pos = s.find(old, pos + 1)
            if pos < 0:
                return s
        return limited(s[:pos] + new + s[pos + len(old):])
    if old == "":
        return s
    return limited(s.replace(old, new))


def _replace(ev, s, start, n, new):
    """REPLACE(old_text, start_num, num_chars, new_text): start_num < 1 or num_chars < 0 is
    #VALUE!."""
    if start < 1 or n < 0:
        return VALUE
    a = _count(start) - 1
    return limited(s[:a] + new + s[a + _count(n):])


def _rept(ev, s, n):
    """REPT(text, number_times): number_times truncated; negative is #VALUE!; 0 gives ""; a
    result over 32,767 characters is #VALUE!."""
    if n < 0:
        return VALUE
    k = int(n)
    if k and len(s) * k > TEXT_LIMIT:
        return VALUE
    return s * k


def _cp1252(n: int) -> str:
    try:
        return bytes([n]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(n)                # the five bytes cp1252 leaves undefined: Excel gives the same code


def _char(ev, n):
    """CHAR(number): the character of code 1-255 in the Windows (cp1252) character set Excel
    uses on Windows (CHAR(128) is "€"); another number is #VALUE!."""
    k = int(n)
    return _cp1252(k) if 1 <= k <= 255 else VALUE


_CP1252_CODES = {_cp1252(i): i for i in range(1, 256)}


def _code(ev, s):
    """CODE(text): the cp1252 code of the first character; "" is #VALUE!; a character outside
    cp1252 is refused as unsupported (Excel gives 63, "?", only for some)."""
    if s == "":
        return VALUE
    c = _CP1252_CODES.get(s[0])
    if c is None:
        return ev.unsupported("CODE", "a character outside the Windows code page")
    return float(c)


def _unichar(ev, n):
    """UNICHAR(number): the Unicode character of the number; 0, a surrogate half or beyond
    0x10FFFF is #VALUE! (Microsoft's UNICHAR page; #N/A for "partial surrogates")."""
    k = int(n)
    if 0xD800 <= k <= 0xDFFF:
        return NA
    if not 1 <= k <= 0x10FFFF:
        return VALUE
    return chr(k)


def _unicode(ev, s):
    """UNICODE(text): the code point of the first character; "" is #VALUE!."""
    return VALUE if s == "" else float(ord(s[0]))


def _exact(ev, a, b):
    """EXACT(text1, text2): case-sensitive comparison (formatting ignored)."""
    return a == b


def _value(ev, v):
    """VALUE(text): text in any number, date or time form Excel recognises becomes a number
    (an empty cell is 0); text that is not a number, and a logical value, is #VALUE!."""
    if isinstance(v, XLError):
        return v
    if isinstance(v, bool):
        return VALUE
    if v is None:
        return 0.0
    if isinstance(v, str):
        why = locale_dependent(v)
        if why:
            return ev.unsupported("VALUE", f"{v!r}: {why}")
        n = text_to_number(v, ev.epoch)
        if isinstance(n, XLError):
            d = datevalue(ev, v)
            if isinstance(d, XLError):
                return timevalue(ev, v)
            t = timevalue(ev, v)
            return d + (0.0 if isinstance(t, XLError) else t)
        return n
    return to_number(v, ev.epoch)


def _numbervalue(ev, text, decimal=None, group=None):
    """NUMBERVALUE(text, [decimal_separator], [group_separator]): the separators' first
    characters; spaces are ignored; a trailing % divides by 100 (each); "" is 0; a group
    separator after the decimal one, more than one decimal separator, or other text is #VALUE!."""
    if isinstance(text, XLError):
        return text
    s = to_text(text, ev.epoch)
    dec = (to_text(decimal, ev.epoch) if decimal is not None else ".")
    grp = (to_text(group, ev.epoch) if group is not None else ",")
    for x in (s, dec, grp):
        if isinstance(x, XLError):
            return x
    dec, grp = dec[:1], grp[:1]
    if not dec or not grp:
        return VALUE
    s = re.sub(r"\s", "", s)
    if s == "":
        return 0.0
    pct = len(s) - len(s.rstrip("%"))
    s = s.rstrip("%")
    if s.count(dec) > 1 or (dec != grp and dec in s and grp in s[s.index(dec):]):
        return VALUE
    if dec != grp:
        s = s.replace(grp, "")
    s = s.replace(dec, ".")
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", s):
        return VALUE
    n = float(s) / (100.0 ** pct)
    return n if math.isfinite(n) else NUM


def _fixed(ev, x, decimals=2.0, no_commas=False):
    """FIXED(number, [decimals], [no_commas]): rounded to decimals (negative rounds left of the
    point; at most 127), with thousands separators unless no_commas."""
    d = int(decimals)
    if d > 127:
        return VALUE
    fmt = ("0" if no_commas else "#,##0") + ("." + "0" * d if d > 0 else "")
    return format_value(ev, _round_places(x, d), fmt)


def _dollar(ev, x, decimals=2.0):
    """DOLLAR(number, [decimals]): the currency format $#,##0.00;($#,##0.00) (en-US; Microsoft's
    page names $#,##0.00_);($#,##0.00) but its examples show no trailing space), rounded to
    decimals (negative rounds left of the point)."""
    d = int(decimals)
    if d > 127:
        return VALUE
    body = "$#,##0" + ("." + "0" * d if d > 0 else "")
    return format_value(ev, _round_places(x, d), f"{body};({body})")


def _round_places(x: float, d: int) -> float:
    if d < -330:
        return 0.0                          # rounds left of every digit a double has
    q = Decimal(1).scaleb(-d)
    return float(Decimal(f"{x:.15g}").quantize(q, rounding=ROUND_HALF_UP, context=_WIDE))


def _text(ev, v, fmt):
    """TEXT(value, format_text): the value formatted by a number format code (numbers, percent,
    fractions, scientific, dates and times; sections for positive;negative;zero;text); a code
    not read here is refused as unsupported rather than guessed."""
    if isinstance(v, XLError):
        return v
    if isinstance(fmt, XLError):
        return fmt
    f = to_text(fmt, ev.epoch)
    if isinstance(f, XLError):
        return f
    if isinstance(v, bool):
        v = "TRUE" if v else "FALSE"
    elif v is None:
        v = 0.0
    elif not isinstance(v, str):
        v = to_number(v, ev.epoch)
    elif v != "":
        n = text_to_number(v, ev.epoch)      # text that reads as a number is formatted as one
        if not isinstance(n, XLError):
            v = n
    r = format_value(ev, v, f)
    return r if isinstance(r, XLError) else limited(r)


def _t(ev, v):
    """T(value): the text itself, "" for anything else; an error passes."""
    if isinstance(v, XLError):
        return v
    return v if isinstance(v, str) else ""


def _valuetotext(ev, v, fmt=0.0):
    """VALUETOTEXT(value, [format]): format 0 concise (text as is), 1 strict (text in quotes);
    another format is #VALUE!; an error value in concise format is its text."""
    if fmt not in (0, 1):
        return VALUE
    if isinstance(v, XLError):
        return str(v) if fmt == 0 else str(v)
    if isinstance(v, str):
        return v if fmt == 0 else '"' + v.replace('"', '""') + '"'
    return to_text(v, ev.epoch)


def _arraytotext(ev, args):
    """ARRAYTOTEXT(array, [format]): format 0 (concise) every value as text joined by ", ";
    1 (strict) the array as an array constant, {1,"a";TRUE,#N/A}, text in quotes; error values
    as their text; another format is #VALUE! (IronCalc's Excel-saved book A9, A12)."""
    if not 1 <= len(args) <= 2:
        return VALUE
    fmt = ev.scalar_number(args[1][1]) if len(args) > 1 and args[1][1] is not None else 0.0
    if isinstance(fmt, XLError):
        return fmt
    if fmt not in (0, 1):
        return VALUE
    cells = whole(ev, "ARRAYTOTEXT", args[0])
    if isinstance(cells, XLError):
        return cells
    v = args[0][1]
    grid = v if is_grid(v) else [[v]]

    def text(x, strict):
        if isinstance(x, XLError):
            return str(x)
        if strict and isinstance(x, str):
            return '"' + x.replace('"', '""') + '"'
        return to_text(x, ev.epoch)
    if fmt == 0:
        return limited(", ".join(text(x, False) for x in cells))
    return limited("{" + ";".join(",".join(text(x, True) for x in row) for row in grid) + "}")


# ----------------------------------------------------------------------------- TEXTJOIN, TEXTBEFORE ...

def _textjoin(ev, args):
    """TEXTJOIN(delimiter, ignore_empty, text1, ...): the texts of every argument and every
    cell, joined by the delimiter (an array of delimiters is used in turn); ignore_empty TRUE
    skips empty text; an error passes; over 32,767 characters is #VALUE!."""
    if len(args) < 3:
        return VALUE
    delims = whole(ev, "TEXTJOIN", args[0]) if is_grid(args[0][1]) else [args[0][1]]
    if isinstance(delims, XLError):
        return delims
    dtexts = []
    for d in delims:
        t = to_text(d, ev.epoch)
        if isinstance(t, XLError):
            return t
        dtexts.append(t)
    ignore = args[1][1]
    if is_grid(ignore):
        return VALUE
    ignore = to_bool(ignore)
    if isinstance(ignore, XLError):
        return ignore
    parts = []
    for arg in args[2:]:
        cells = whole(ev, "TEXTJOIN", arg)
        if isinstance(cells, XLError):
            return cells
        for x in cells:
            t = to_text(x, ev.epoch)
            if isinstance(t, XLError):
                return t
            if ignore and t == "":
                continue
            parts.append(t)
    out = []
    for i, p in enumerate(parts):
        if i:
            out.append(dtexts[(i - 1) % len(dtexts)] if dtexts else "")
        out.append(p)
    return limited("".join(out))


def _delimiters(ev, arg) -> list[str] | XLError:
    v = arg[1]
    cells = list(flatten([v])) if is_grid(v) else [v]
    out = []
    for x in cells:
        t = to_text(x, ev.epoch)
        if isinstance(t, XLError):
            return t
        out.append(t)
    return out


def _find_all(text: str, delims: list[str], fold: bool) -> list[tuple[int, int]]:
    """(start, end) of each delimiter occurrence, left to right, not overlapping; at one position
    the longest delimiter wins."""
    hay = text.lower() if fold else text
    ds = [d.lower() if fold else d for d in delims if d != ""]
    out, i = [], 0
    while i <= len(hay):
        best = None
        for d in ds:
            j = hay.find(d, i)
            if j >= 0 and (best is None or j < best[0] or (j == best[0] and len(d) > best[1] - best[0])):
                best = (j, j + len(d))
        if best is None:
            break
        out.append(best)
        i = best[1]
    return out


def _before_after(after: bool):
    name = "TEXTAFTER" if after else "TEXTBEFORE"

    def run(ev, args):
        """TEXTBEFORE/TEXTAFTER(text, delimiter, [instance_num], [match_mode], [match_end],
        [if_not_found]): the text before or after the instance_num-th delimiter (negative counts
        from the end; floored); match_mode 1 ignores case; match_end 1 treats the end of the text
        (the start, counting from the end) as a delimiter; instance_num 0 or beyond the text's
        length, or match_end other than 0 and 1, is #VALUE!; not found is if_not_found, else #N/A
        (Microsoft's TEXTBEFORE and TEXTAFTER pages; IronCalc's Excel-saved book)."""
        if not 2 <= len(args) <= 6:
            return VALUE
        if any(is_grid(a[1]) for i, a in enumerate(args) if i != 1):
            return ev.unsupported(name, "an array argument")
        text = to_text(args[0][1], ev.epoch)
        if isinstance(text, XLError):
            return text
        delims = _delimiters(ev, args[1])
        if isinstance(delims, XLError):
            return delims
        given = len(args) > 2 and args[2][1] is not None
        n = 1
        if given and not isinstance(args[2][1], bool):
            x = to_number(args[2][1], ev.epoch)
            if isinstance(x, XLError):
                return x
            n = math.floor(x)
        fold = False
        if len(args) > 3 and args[3][1] is not None and not isinstance(args[3][1], str):
            m = to_number(args[3][1], ev.epoch)
            if isinstance(m, XLError):
                return m
            fold = m != 0
        end = 0
        if len(args) > 4 and args[4][1] is not None:
            e = to_number(args[4][1], ev.epoch)
            if isinstance(e, XLError):
                return e
            if e not in (0, 1):
                return VALUE
            end = int(e)
        if n == 0 or abs(n) > len(text):
            return VALUE
        if all(d == "" for d in delims):
            return ev.unsupported(name, "an empty delimiter")
        if given and min(len(d) for d in delims if d) > len(text):
            return ev.unsupported(name, "a delimiter longer than the text with instance_num given")
        found = _find_all(text, delims, fold)
        if n > 0:
            if end:
                found.append((len(text), len(text)))
            hit = found[n - 1] if n <= len(found) else None
        else:
            if end:
                found.insert(0, (0, 0))
            hit = found[n] if -n <= len(found) else None
        if hit is None:
            if len(args) > 5:
                v = args[5][1]
                return "" if v is None else v
            return NA
        return text[hit[1]:] if after else text[:hit[0]]
    return run


def _textsplit(ev, args):
    """TEXTSPLIT(text, col_delimiter, [row_delimiter], [ignore_empty], [match_mode], [pad_with]):
    the text split into columns and rows (an array of delimiters splits at each); ignore_empty
    TRUE drops empty parts; match_mode 1 ignores case; short rows are padded with pad_with, else
    #N/A; no delimiter, or only empty ones, is #VALUE!."""
    if not 2 <= len(args) <= 6:
        return VALUE
    if is_grid(args[0][1]):
        return ev.unsupported("TEXTSPLIT", "an array of texts")
    text = to_text(args[0][1], ev.epoch)
    if isinstance(text, XLError):
        return text
    cols = _delimiters(ev, args[1]) if args[1][1] is not None else []
    rows = _delimiters(ev, args[2]) if len(args) > 2 and args[2][1] is not None else []
    for x in (cols, rows):
        if isinstance(x, XLError):
            return x
    cols, rows = [d for d in cols if d != ""], [d for d in rows if d != ""]
    if not cols and not rows:
        return VALUE
    ignore = False
    if len(args) > 3 and args[3][1] is not None:
        ignore = to_bool(args[3][1])
        if isinstance(ignore, XLError):
            return ignore
    fold = False
    if len(args) > 4 and args[4][1] is not None:
        m = to_number(args[4][1], ev.epoch)
        if isinstance(m, XLError):
            return m
        fold = m != 0
    pad = args[5][1] if len(args) > 5 else NA

    def split(s, ds):
        if not ds:
            return [s]
        parts, i = [], 0
        for a, b in _find_all(s, ds, fold):
            parts.append(s[i:a])
            i = b
        parts.append(s[i:])
        return [p for p in parts if p != ""] if ignore else parts
    grid = [split(r, cols) for r in split(text, rows)]
    if not grid:
        return VALUE
    width = max(len(r) for r in grid)
    if width == 0:
        return VALUE
    return [r + [pad] * (width - len(r)) for r in grid]


# ----------------------------------------------------------------------------- number format codes

class _Unsupported(Exception):
    """A format code this reader does not follow: TEXT refuses it rather than guess."""


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_COLORS = {"black", "blue", "cyan", "green", "magenta", "red", "white", "yellow"}
_LITERAL_CHARS = set("$-+/():!^&'~{}<>= ")


def _sections(fmt: str) -> list[str]:
    """The ;-separated sections of a format code (not inside quotes, after a backslash, or in [])."""
    out, cur, i = [], [], 0
    while i < len(fmt):
        c = fmt[i]
        if c == '"':
            j = fmt.find('"', i + 1)
            j = len(fmt) if j < 0 else j
            cur.append(fmt[i:j + 1])
            i = j + 1
            continue
        if c in "\\_*" and i + 1 < len(fmt):
            cur.append(fmt[i:i + 2])
            i += 2
            continue
        if c == "[":
            j = fmt.find("]", i)
            j = len(fmt) if j < 0 else j
            cur.append(fmt[i:j + 1])
            i = j + 1
            continue
        if c == ";":
            out.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    out.append("".join(cur))
    return out


def _tokens(section: str) -> list[tuple[str, str]]:
    """(kind, text) tokens: lit, num (0 # ? . , % / E+ E-), date (y m d h s AM/PM A/P),
    elapsed ([h] [m] [s]), text (@), general."""
    toks, i, s = [], 0, section
    while i < len(s):
        c = s[i]
        low = s[i:].lower()
        if c == '"':
            j = s.find('"', i + 1)
            if j < 0:
                raise _Unsupported("an unclosed quote")
            toks.append(("lit", s[i + 1:j]))
            i = j + 1
        elif c == "\\":
            toks.append(("lit", s[i + 1:i + 2]))
            i += 2
        elif c == "_":
            toks.append(("lit", " "))
            i += 2
        elif c == "*":
            raise _Unsupported("a repeated fill character (*)")
        elif c == "[":
            j = s.find("]", i)
            if j < 0:
                raise _Unsupported("an unclosed [")
            body = s[i + 1:j]
            b = body.lower()
            if re.fullmatch(r"h+|m+|s+", b):
                toks.append(("elapsed", b))
            elif b in _COLORS or re.fullmatch(r"color\d{1,2}", b):
                pass
            elif body.startswith("$"):
                sym = body[1:].split("-", 1)[0]
                if sym:
                    toks.append(("lit", sym))
            else:
                raise _Unsupported(f"the bracket code [{body}]")
            i = j + 1
        elif low.startswith("general"):
            toks.append(("general", "General"))
            i += 7
        elif low.startswith("am/pm"):
            toks.append(("ampm", s[i:i + 5]))
            i += 5
        elif low.startswith("a/p"):
            toks.append(("ampm", s[i:i + 3]))
            i += 3
        elif c.lower() in "ymdhs":
            j = i
            while j < len(s) and s[j].lower() == c.lower():
                j += 1
            toks.append(("date", s[i:j].lower()))
            i = j
        elif c.lower() == "e" and i + 1 < len(s) and s[i + 1] in "+-":
            toks.append(("num", "E" + s[i + 1]))
            i += 2
        elif c in "0#?.,%/":
            toks.append(("num", c))
            i += 1
        elif c.isdigit():
            toks.append(("digit", c))       # a fixed denominator (# ?/16) or a literal digit
            i += 1
        elif c == "@":
            toks.append(("text", "@"))
            i += 1
        elif c in _LITERAL_CHARS or ord(c) > 127:
            toks.append(("lit", c))             # shown as itself ("##0° 00' 00''")
            i += 1
        else:
            raise _Unsupported(f"the character {c!r}")
    return toks


def _is_date(toks) -> bool:
    return any(k in ("date", "ampm", "elapsed") for k, _ in toks)


def _format_date(ev, x: float, toks) -> str:
    if x < 0 or x >= MAX_SERIAL + 1:
        raise ValueError("not a date")
    # fractional seconds: the digits of 0 after "s." (ss.00)
    frac_digits = 0
    for i, (k, t) in enumerate(toks):
        if k == "num" and t == "." and i > 0 and toks[i - 1][0] in ("date", "elapsed") and toks[i - 1][1][0] == "s":
            j = i + 1
            while j < len(toks) and toks[j] == ("num", "0"):
                j += 1
            frac_digits = j - i - 1
    unit = Decimal(1).scaleb(-frac_digits)
    total = (Decimal(repr(x)) * 86400).quantize(unit, rounding=ROUND_HALF_UP, context=_WIDE)
    day = int(total // 86400)
    secs = total - day * 86400
    whole_secs = int(secs)
    h, mi, se = whole_secs // 3600, whole_secs // 60 % 60, whole_secs % 60
    frac = secs - whole_secs
    has_ampm = any(k == "ampm" for k, _ in toks)
    parts = ymd(ev, float(day))
    if parts is None:
        raise ValueError("not a date")
    y, mo, d = parts
    out = []
    for i, (k, t) in enumerate(toks):
        if k == "lit":
            out.append(t)
        elif k == "elapsed":
            n = {"h": int(total // 3600), "m": int(total // 60), "s": int(total)}[t[0]]
            out.append(str(n).zfill(len(t)))
        elif k == "ampm":
            pm = h >= 12
            if t.lower() == "am/pm":
                out.append("PM" if pm else "AM")
            else:
                out.append(("P" if pm else "A") if t[0].isupper() else ("p" if pm else "a"))
        elif k == "date":
            c, n = t[0], len(t)
            if c == "y":
                out.append(f"{y % 100:02d}" if n <= 2 else f"{y:04d}")
            elif c == "d":
                if n == 1:
                    out.append(str(d))
                elif n == 2:
                    out.append(f"{d:02d}")
                else:
                    wd = (serial_1900(ev, float(day)) + 5) % 7
                    out.append(_DAY_NAMES[wd][:3] if n == 3 else _DAY_NAMES[wd])
            elif c == "h":
                hh = (h % 12 or 12) if has_ampm else h
                out.append(str(hh) if n == 1 else f"{hh:02d}")
            elif c == "s":
                out.append(str(se) if n == 1 else f"{se:02d}")
            elif c == "m":
                prev = next((toks[j] for j in range(i - 1, -1, -1) if toks[j][0] != "lit"), None)
                nxt = next((toks[j] for j in range(i + 1, len(toks)) if toks[j][0] != "lit"), None)
                minute = n <= 2 and ((prev is not None and prev[0] in ("date", "elapsed") and prev[1][0] == "h")
                                     or (nxt is not None and nxt[0] in ("date", "elapsed") and nxt[1][0] == "s"))
                if minute:
                    out.append(str(mi) if n == 1 else f"{mi:02d}")
                elif n == 1:
                    out.append(str(mo))
                elif n == 2:
                    out.append(f"{mo:02d}")
                elif n == 3:
                    out.append(_MONTH_NAMES[mo - 1][:3])
                elif n == 4:
                    out.append(_MONTH_NAMES[mo - 1])
                else:
                    out.append(_MONTH_NAMES[mo - 1][0])
        elif k == "num" and t == "." and frac_digits and toks[i - 1][1][:1] == "s":
            out.append("." + f"{frac:.{frac_digits}f}"[2:])
        elif k == "num" and t == "0" and frac_digits and "." in [tt for kk, tt in toks[:i] if kk == "num"]:
            continue                            # fractional-second digits, written with the point
        elif k == "num" and t in ",/.":
            out.append(t)                       # separators are text in a date format (m/d/yyyy)
        elif k == "digit":
            out.append(t)
        else:
            raise _Unsupported(f"{t!r} in a date format")
    return "".join(out)


def _place_int(digits: str, ph: list[str]) -> str:
    """Integer digits into placeholders (0 pads with 0, ? with a space, # with nothing); extra
    digits go before the first placeholder."""
    out, di = [], len(digits)
    for p in reversed(ph):
        if di > 0:
            di -= 1
            out.append(digits[di])
        else:
            out.append({"0": "0", "?": " ", "#": ""}[p])
    return digits[:di] + "".join(reversed(out))


def _place_frac(digits: str, ph: list[str]) -> str:
    last = len(digits)
    while last > 0 and digits[last - 1] == "0":
        last -= 1
    out = []
    for i, p in enumerate(ph):
        if p == "0" or i < last:
            out.append(digits[i])
        else:
            out.append(" " if p == "?" else "")
    return "".join(out)


def _format_number(x: float, toks) -> str:
    """A number by a number section (its sign already handled)."""
    kinds = [k for k, _ in toks]
    if "text" in kinds:
        raise _Unsupported("@ in a number section")
    if "general" in kinds:
        g = number_text(x)
        if len(g) > 11:
            raise _Unsupported("General beyond 11 characters")
        return "".join(g if k == "general" else t for k, t in toks)
    nums = [t for k, t in toks if k == "num"]
    if "/" in nums:
        return _format_fraction(x, toks)
    if any(t.startswith("E") for t in nums):
        return _format_scientific(x, toks)
    x *= 100 ** nums.count("%")
    # split at the first decimal point
    point = next((i for i, (k, t) in enumerate(toks) if k == "num" and t == "."), None)
    int_toks = toks if point is None else toks[:point]
    frac_toks = [] if point is None else toks[point + 1:]
    int_ph_idx = [i for i, (k, t) in enumerate(int_toks) if k == "num" and t in "0#?"]
    # commas: after the last integer placeholder they scale by 1,000; between placeholders they group
    group = False
    scale = 0
    for i, (k, t) in enumerate(int_toks):
        if k == "num" and t == ",":
            if int_ph_idx and int_ph_idx[0] < i < int_ph_idx[-1]:
                group = True
            elif int_ph_idx and i > int_ph_idx[-1]:
                scale += 1
    if point is None:
        frac_ph = []
    else:
        frac_ph = [t for k, t in frac_toks if k == "num" and t in "0#?"]
        ph_at = [i for i, (k, t) in enumerate(frac_toks) if k == "num" and t in "0#?"]
        for i, (k, t) in enumerate(frac_toks):
            if k == "num" and t == ",":
                if ph_at and i < ph_at[-1]:
                    raise _Unsupported("a comma among decimal places")
                scale += 1                      # after the last decimal place: scales by 1,000
    x /= 1000 ** scale
    q = Decimal(1).scaleb(-len(frac_ph))
    d = Decimal(f"{x:.15g}").quantize(q, rounding=ROUND_HALF_UP, context=_WIDE)
    text = format(d, "f")
    ip, _, fp = text.partition(".")
    ip = ip.lstrip("-")
    if ip == "0":
        ip = ""
    int_ph = [int_toks[i][1] for i in int_ph_idx]
    literal_inside = any(k not in ("num",) for k, _ in int_toks[int_ph_idx[0]:int_ph_idx[-1]]) if int_ph_idx else False
    if group:
        if literal_inside:
            raise _Unsupported("thousands separators with text among the digits")
        placed = _place_int(ip, int_ph)
        core = placed.lstrip(" ")
        pad = placed[:len(placed) - len(core)]
        if core:
            core = f"{int(core):,}" if core.isdigit() else core
        int_text = pad + core
        out = []
        for i, (k, t) in enumerate(int_toks):
            if i == int_ph_idx[0]:
                out.append(int_text)
            elif int_ph_idx[0] < i <= int_ph_idx[-1] or (k == "num" and t == ","):
                continue
            elif k == "num" and t == "%":
                out.append("%")
            elif k == "lit":
                out.append(t)
            elif k == "digit":
                out.append(t)
            else:
                raise _Unsupported(t)
    else:
        out = []
        if int_ph_idx:
            # distribute digits right to left over the placeholders, literals kept in place
            digits = ip
            filled = {}
            di = len(digits)
            for n, i in enumerate(reversed(int_ph_idx)):
                p = int_toks[i][1]
                if di > 0:
                    di -= 1
                    filled[i] = digits[di]
                else:
                    filled[i] = {"0": "0", "?": " ", "#": ""}[p]
            filled[int_ph_idx[0]] = digits[:di] + filled[int_ph_idx[0]]
        for i, (k, t) in enumerate(int_toks):
            if i in (filled if int_ph_idx else {}):
                out.append(filled[i])
            elif k == "num" and t == ",":
                continue
            elif k == "num" and t == "%":
                out.append("%")
            elif k in ("lit", "digit"):
                out.append(t)
            else:
                raise _Unsupported(t)
    if point is not None:
        out.append(".")
        fdigits = fp.ljust(len(frac_ph), "0")
        placed = _place_frac(fdigits, frac_ph)
        pi = 0
        for k, t in frac_toks:
            if k == "num" and t in "0#?":
                if pi == 0:
                    out.append(placed)
                pi += 1
            elif k == "num" and t == "%":
                out.append("%")
            elif k == "num" and t == ",":
                continue
            elif k in ("lit", "digit"):
                out.append(t)
            else:
                raise _Unsupported(t)
    return "".join(out)


def _format_scientific(x: float, toks) -> str:
    nums = [t for k, t in toks if k == "num"]
    e_at = next(i for i, t in enumerate(nums) if t.startswith("E"))
    mant, expo = nums[:e_at], nums[e_at + 1:]
    if "%" in nums or "," in nums or any(k not in ("num",) for k, _ in toks):
        raise _Unsupported("a scientific format with text, commas or percent")
    point = mant.index(".") if "." in mant else len(mant)
    int_ph, frac_ph = mant[:point], [p for p in mant[point + 1:]]
    if len(int_ph) != 1 or any(p != "0" for p in expo) or not expo:
        raise _Unsupported("a scientific format other than 0.00E+00")
    if x == 0:
        e, m = 0, Decimal(0)
    else:
        d = Decimal(f"{x:.15g}")
        e = d.adjusted()
        m = (d.scaleb(-e)).quantize(Decimal(1).scaleb(-len(frac_ph)), rounding=ROUND_HALF_UP, context=_WIDE)
        if abs(m) >= 10:
            e += 1
            m = (d.scaleb(-e)).quantize(Decimal(1).scaleb(-len(frac_ph)), rounding=ROUND_HALF_UP, context=_WIDE)
    mt = format(m, "f")
    ip, _, fp = mt.partition(".")
    text = _place_int(ip.lstrip("-") if ip.lstrip("-") != "0" or int_ph == ["0"] else "", int_ph)
    if frac_ph:
        text += "." + _place_frac(fp.ljust(len(frac_ph), "0"), frac_ph)
    sign = "-" if e < 0 else ("+" if nums[e_at] == "E+" else "")
    return f"{text}E{sign}{str(abs(e)).zfill(len(expo))}"


def _format_fraction(x: float, toks) -> str:
    nums = [(k, t) for k, t in toks if k in ("num", "digit")]
    if any(k == "lit" and t.strip() for k, t in toks) or "%" in [t for _, t in nums] or "." in [t for _, t in nums]:
        raise _Unsupported("a fraction format with text, percent or a decimal point")
    slash = next(i for i, (k, t) in enumerate(toks) if t == "/")
    before, after = toks[:slash], toks[slash + 1:]
    den_ph = [t for k, t in after if k == "num" and t in "0#?"]
    den_fixed = "".join(t for k, t in after if k == "digit")
    if den_ph and den_fixed:
        raise _Unsupported("a mixed denominator")
    # numerator placeholders: the last run of placeholders before the slash; an integer part before a space
    groups, cur = [], []
    for k, t in before:
        if k == "num" and t in "0#?":
            cur.append(t)
        else:
            if cur:
                groups.append(cur)
            cur = []
    if cur:
        groups.append(cur)
    if not groups or len(groups) > 2:
        raise _Unsupported("a fraction format")
    num_ph = groups[-1]
    int_ph = groups[0] if len(groups) == 2 else None
    whole = math.trunc(x) if int_ph else 0
    rest = abs(x - whole) if int_ph else abs(x)
    if den_fixed:
        den = int(den_fixed)
        if den == 0:
            raise _Unsupported("a zero denominator")
        num = int(Decimal(repr(rest * den)).quantize(Decimal(1), rounding=ROUND_HALF_UP, context=_WIDE))
    else:
        fr = Fraction(repr(rest)).limit_denominator(10 ** len(den_ph) - 1)
        num, den = fr.numerator, fr.denominator
    if int_ph and num == den:
        whole, num = whole + 1, 0
    if num == 0:
        raise _Unsupported("a fraction that rounds to a whole number")
    ntext = _place_int(str(num), num_ph)
    dtext = den_fixed if den_fixed else str(den).ljust(len(den_ph), " ") if "?" in den_ph else str(den)
    if int_ph:
        w = _place_int(str(abs(whole)) if whole else "", int_ph)
        return f"{w} {ntext}/{dtext}"
    return f"{ntext}/{dtext}"


def format_value(ev, v, fmt: str):
    """``v`` (a number or text) as Excel's number format code ``fmt`` shows it (en-US); a code
    this reader does not follow is refused as unsupported."""
    try:
        secs = _sections(fmt)
        if len(secs) > 4:
            return VALUE
        if isinstance(v, str):
            if len(secs) == 4:
                sec = secs[3]
            elif len(secs) == 1 and "@" in secs[0]:
                sec = secs[0]
            else:
                return v
            return "".join(v if k == "text" else t for k, t in _tokens(sec))
        x = float(v)
        if re.search(r"\[[<>=]", fmt):
            raise _Unsupported("a conditional section")
        if len(secs) == 1 or (len(secs) == 2 and x >= 0) or (len(secs) >= 3 and x > 0):
            sec, sign = secs[0], len(secs) == 1 and x < 0
        elif x < 0:
            sec, sign = secs[1], False
        else:
            sec, sign = secs[2], False
        toks = _tokens(sec)
        if not toks:
            return ""
        if _is_date(toks):
            if x < 0:
                return VALUE
            return _format_date(ev, x, toks)
        body = _format_number(abs(x) if (sign or sec is not secs[0]) else x, toks)
        if sign:
            if not re.search(r"[1-9]", body):
                raise _Unsupported("a negative number that rounds to zero")
            return "-" + body
        return body
    except _Unsupported as exc:
        return ev.unsupported("TEXT", f"the format code {fmt!r}: {exc}")
    except (ValueError, OverflowError, ArithmeticError):
        return VALUE


FUNCTIONS = {
    "LEN": scalar_fn(lambda ev, s: float(len(s)), (1, 1), "t"),
    "LEFT": lifted(scalar_fn(_left, (1, 2), "tn")),
    "RIGHT": lifted(scalar_fn(_right, (1, 2), "tn")),
    "MID": lifted(scalar_fn(_mid, (3, 3), "tnn")),
    "UPPER": scalar_fn(lambda ev, s: s.upper(), (1, 1), "t"),
    "LOWER": scalar_fn(lambda ev, s: s.lower(), (1, 1), "t"),
    "TRIM": scalar_fn(_trim, (1, 1), "t"),
    "CLEAN": scalar_fn(_clean, (1, 1), "t"),
    "PROPER": scalar_fn(_proper, (1, 1), "t"),
    "EXACT": lifted(scalar_fn(_exact, (2, 2), "t")),
    "FIND": lifted(scalar_fn(_find, (2, 3), "ttn")),
    "SEARCH": lifted(scalar_fn(_search, (2, 3), "ttn")),
    "SUBSTITUTE": lifted(scalar_fn(_substitute, (3, 4), "ttta")),
    "REPLACE": lifted(scalar_fn(_replace, (4, 4), "tnnt")),
    "REPT": lifted(scalar_fn(_rept, (2, 2), "tn")),
    "CHAR": lifted(scalar_fn(_char, (1, 1), "n")),
    "CODE": scalar_fn(_code, (1, 1), "t"),
    "UNICHAR": lifted(scalar_fn(_unichar, (1, 1), "n")),
    "UNICODE": scalar_fn(_unicode, (1, 1), "t"),
    "VALUE": scalar_fn(_value, (1, 1), "a"),
    "NUMBERVALUE": lifted(scalar_fn(_numbervalue, (1, 3), "a")),
    "FIXED": lifted(scalar_fn(_fixed, (1, 3), "nnb")),
    "DOLLAR": lifted(scalar_fn(_dollar, (1, 2), "n")),
    "TEXT": lifted(scalar_fn(_text, (2, 2), "a")),
    "T": scalar_fn(_t, (1, 1), "a"),
    "VALUETOTEXT": scalar_fn(_valuetotext, (1, 2), "an"),
    "TEXTJOIN": declare(_textjoin, ranges=(0, slice(2, None)), clip_safe=True),
    "ARRAYTOTEXT": declare(_arraytotext, ranges=0),
    "TEXTBEFORE": declare(_before_after(False), ranges=1),
    "TEXTAFTER": declare(_before_after(True), ranges=1),
    "TEXTSPLIT": declare(_textsplit, ranges=(1, 2)),
    "CONCATENATE": declare(_concatenate, broadcast=ALL),
    "CONCAT": declare(_concat, ranges=ALL, clip_safe=True),
}


__all__ = ["FUNCTIONS", "join", "limited", "number_text"]
