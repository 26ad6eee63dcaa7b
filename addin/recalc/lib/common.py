"""Shared argument handling of the native functions (one place for each rule)."""
from __future__ import annotations

import datetime as _dt
import fnmatch
import re
from typing import Callable

from ..values import (NUM, VALUE, XLError, compare, grid_map, is_grid, text_to_number, to_bool, to_number,
                      to_text)


def numbers_from(args, epoch):
    """SUM-style: numbers in ranges (text/bool/blank ignored), scalars coerced."""
    for a in args:
        if is_grid(a[1]):
            for row in a[1]:
                for x in row:
                    if isinstance(x, XLError):
                        yield x
                    elif isinstance(x, bool) or x is None or isinstance(x, str):
                        continue
                    elif isinstance(x, (_dt.date, _dt.datetime)):
                        yield to_number(x, epoch)
                    else:
                        yield float(x)
        else:
            v = a[1]
            if v is None and a[0]:
                continue
            if a[0] and isinstance(v, (str, bool)) and not isinstance(v, XLError):
                continue           # a text/bool in a referenced cell is ignored
            yield to_number(v, epoch)


def agg(fn, empty=None):
    """SUM-style aggregate of the numbers in the arguments (the first error wins); ``empty``: the
    result when there are no numbers (MIN/MAX give 0), else ``fn([])``."""
    def run(ev, args):
        nums = []
        for n in numbers_from(args, ev.epoch):
            if isinstance(n, XLError):
                return n
            nums.append(n)
        return fn(nums) if nums or empty is None else empty
    return run


def criteria(crit: object, epoch) -> Callable[[object], bool]:
    """COUNTIF/SUMIF criteria: a value, or text with =, <>, <, >, <=, >= and wildcards * ?."""
    if isinstance(crit, str) and not isinstance(crit, XLError):
        m = re.match(r"^(<=|>=|<>|<|>|=)?(.*)$", crit, re.S)
        op, rest = m.group(1), m.group(2)
        num = text_to_number(rest, epoch) if rest.strip() else VALUE
        if isinstance(num, XLError):
            num = None
        if num is not None:
            def test_num(x, op=op or "=", num=num):
                if isinstance(x, bool) or isinstance(x, XLError):
                    return False
                if isinstance(x, (int, float)):
                    return bool(compare(op, float(x), num, epoch))
                if isinstance(x, (_dt.date, _dt.datetime)):
                    return bool(compare(op, to_number(x, epoch), num, epoch))
                if isinstance(x, str) and op in ("=", "<>"):
                    return (text_to_number(x, epoch) == num) == (op == "=")
                return op == "<>"
            return test_num
        if rest.upper() in ("TRUE", "FALSE") and op in (None, "=", "<>"):
            want = rest.upper() == "TRUE"
            return (lambda x: isinstance(x, bool) and x == want) if op != "<>" else \
                (lambda x: not (isinstance(x, bool) and x == want))
        if op in (None, "=", "<>"):
            if rest == "" and op in (None, "="):
                return lambda x: x is None or x == ""
            if rest == "" and op == "<>":
                return lambda x: not (x is None or x == "")
            pat = wildcard(rest)

            def test_text(x):
                if x is None or isinstance(x, bool) or isinstance(x, (int, float)):
                    s = None
                else:
                    s = str(x)
                hit = s is not None and bool(pat.match(s))
                return hit if op != "<>" else not hit
            return test_text
        return lambda x: isinstance(x, str) and not isinstance(x, XLError) and bool(compare(op, x, rest, epoch))
    if isinstance(crit, bool):
        return lambda x: isinstance(x, bool) and x == crit
    if isinstance(crit, XLError):
        return lambda x: isinstance(x, XLError) and str(x) == str(crit)
    num = to_number(crit, epoch)
    return lambda x: (not isinstance(x, (bool, str)) and x is not None
                      and to_number(x, epoch) == num)


def scalar_fn(fn, nargs: tuple[int, int], kinds: str):
    """A function of scalars (n = number, t = text, b = bool, a = any), mapped over grids in arg 0."""
    lo, hi = nargs

    def run(ev, args):
        if not lo <= len(args) <= hi:
            return VALUE
        conv = []
        for i, a in enumerate(args):
            kind = kinds[min(i, len(kinds) - 1)]
            v = a[1]
            if i > 0 and is_grid(v):
                return VALUE
            conv.append((kind, v))

        def one(first):
            vals = []
            for i, (kind, v) in enumerate(conv):
                v = first if i == 0 else v
                if is_grid(v):
                    return VALUE
                if kind == "n":
                    v = to_number(v, ev.epoch)
                elif kind == "t":
                    v = to_text(v, ev.epoch)
                elif kind == "b":
                    v = to_bool(v)
                if isinstance(v, XLError) and kind != "a":
                    return v
                vals.append(v)
            try:
                return fn(ev, *vals)
            except (ValueError, OverflowError, ZeroDivisionError):
                return NUM          # a math domain error: Excel's #NUM!
        if conv and is_grid(conv[0][1]):
            return grid_map(one, conv[0][1])
        return one(None if not conv else conv[0][1])
    return run


def wildcard(pattern: str) -> "re.Pattern[str]":
    """Excel's wildcards (``*``, ``?``, ``~`` escapes), case-insensitive, whole text."""
    marked = pattern.replace("~*", "\0").replace("~?", "\1").replace("~~", "\2").replace("[", "\3")
    return re.compile(fnmatch.translate(marked).replace("\0", r"\*").replace("\1", r"\?").replace("\2", "~")
                      .replace("\3", r"\["), re.I | re.S)
