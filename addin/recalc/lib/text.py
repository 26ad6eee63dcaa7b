"""Text functions. Each cites the edge cases of Excel's documentation it follows."""
from __future__ import annotations

from ..values import TEXT_LIMIT, VALUE, XLError, broadcast, flatten, is_grid, to_text
from .common import ALL, declare, scalar_fn


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


def _left(ev, s, n=1.0):
    """LEFT(text, [num_chars]): num_chars < 0 is #VALUE!; beyond the length, the whole text."""
    return VALUE if n < 0 else s[:int(n)]


def _right(ev, s, n=1.0):
    """RIGHT(text, [num_chars]): num_chars < 0 is #VALUE!."""
    n = int(n) if n >= 0 else -1
    return VALUE if n < 0 else (s[len(s) - n:] if n else "")


def _mid(ev, s, start, n):
    """MID(text, start_num, num_chars): start_num < 1 or num_chars < 0 is #VALUE!; a start
    beyond the text gives ""."""
    if start < 1 or n < 0:
        return VALUE
    a = int(start) - 1
    return s[a:a + int(n)]


def _trim(ev, s):
    """TRIM removes spaces (character 32) only: leading, trailing and repeated inside."""
    return " ".join(p for p in s.split(" ") if p)


def _find(ev, needle, hay, start=1.0):
    """FIND(find_text, within_text, [start_num]): case-sensitive, no wildcards; start_num < 1
    or beyond the text, or not found, is #VALUE!; "" finds start_num."""
    if start < 1 or start > len(hay) + 1:
        return VALUE
    i = hay.find(needle, int(start) - 1)
    return VALUE if i < 0 else float(i + 1)


FUNCTIONS = {
    "LEN": scalar_fn(lambda ev, s: float(len(s)), (1, 1), "t"),
    "LEFT": scalar_fn(_left, (1, 2), "tn"),
    "RIGHT": scalar_fn(_right, (1, 2), "tn"),
    "MID": scalar_fn(_mid, (3, 3), "tnn"),
    "UPPER": scalar_fn(lambda ev, s: s.upper(), (1, 1), "t"),
    "LOWER": scalar_fn(lambda ev, s: s.lower(), (1, 1), "t"),
    "TRIM": scalar_fn(_trim, (1, 1), "t"),
    "EXACT": scalar_fn(lambda ev, a, b: a == b, (2, 2), "t"),     # case-sensitive
    "FIND": scalar_fn(_find, (2, 3), "ttn"),
    "CONCATENATE": declare(_concatenate, broadcast=ALL),
    "CONCAT": declare(_concat, ranges=ALL, clip_safe=True),
}
