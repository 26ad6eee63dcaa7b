"""Excel's criteria, as COUNTIF, SUMIF, AVERAGEIF, the *IFS functions and the database functions
read them (Microsoft, "COUNTIF function": operators ``= <> < > <= >=``, wildcards ``*`` ``?``
escaped by ``~``, "criteria are case insensitive").

What the Excel-saved book ``calc_tests__STATISTICAL__COUNTIF.xlsx`` (IronCalc's fixtures) shows,
cell by cell, and this module follows:

* a number (typed or from a cell) matches the equal numbers and the text that reads as that
  number: ``COUNTIF(A2:A8, 23)`` counts 23 and "23" (Rows!C2 = 2); so does ``"=23"`` (Rows!D2);
  ``"<>23"`` excludes the number only (Rows!E2 = 6 of 7);
* a blank criterion cell is the number 0 (Rows!AI8 = 1, Rows!AA6 = 2);
* ``""`` (a formula's empty text) matches empty cells and empty text (Rows!AA5 = 8); ``"<>"``
  matches every cell that is not empty, empty text included (Rows!AB5 = 7 of 7);
  ``"<"``, ``"<="``, ``">"``, ``">="`` with nothing after them match nothing (Rows!I9:L9);
* ``TRUE`` / ``"true"`` match logical values only, never the text "TRUE" (Rows!AI6 = 3);
* an error value matches that error (Rows!AA3, V7); ``"<>#N/A"`` everything else;
* ordering operators compare numbers with numbers and text with text, never across;
  ``"<brown"`` counts the texts before "brown" (Rows!V4 = 4).

Text ordering follows Excel's collation only where it is certain (letters without case, digits
before letters, punctuation and spaces before both); two different punctuation marks, hyphens,
apostrophes and non-ASCII letters are refused (Excel's word sort orders them its own way).
"""
from __future__ import annotations

import datetime as _dt
import re

from ..values import ERRORS, XLError, fifteen_digits, is_grid, shape_of, text_to_number, to_number
from .common import wildcard

_OPS = re.compile(r"^(<=|>=|<>|<|>|=)?(.*)$", re.S)


class Unordered(Exception):
    """Two texts whose order under Excel's collation is not certain here."""


def text_order(a: str, b: str) -> int:
    """-1, 0 or 1: ``a`` before, equal to or after ``b`` as Excel sorts text (see the module's
    docstring); raises :class:`Unordered` where Excel's order is not certain."""
    a, b = a.lower(), b.lower()
    for x, y in zip(a, b):
        if x == y:
            continue
        for ch in (x, y):
            if ch in "-'" or not ch.isascii():
                raise Unordered
        ax, ay = x.isalnum(), y.isalnum()
        if ax and ay:
            return -1 if x < y else 1        # digits before letters, letters without case
        if ax != ay:
            return 1 if ax else -1           # punctuation and spaces before digits and letters
        if x == " " or y == " ":
            return -1 if x == " " else 1     # the space first of all
        raise Unordered
    if any(ch in "-'" or not ch.isascii() for ch in a[len(b):] + b[len(a):]):
        raise Unordered
    return (len(a) > len(b)) - (len(a) < len(b))


def _num(x, epoch):
    """A cell's number, or None when it holds no number (text, logical, blank, error)."""
    if isinstance(x, bool) or x is None or isinstance(x, (str, XLError)):
        return None
    if isinstance(x, (int, float, _dt.date, _dt.time)):
        return fifteen_digits(to_number(x, epoch))
    return None


def _ordered(op: str, sign: int) -> bool:
    return {"<": sign < 0, "<=": sign <= 0, ">": sign > 0, ">=": sign >= 0}[op]


def matcher(crit, epoch):
    """A predicate over cell values for one criterion (a 1x1 grid is its cell). Raises
    :class:`Unordered` from the predicate where text order is not certain."""
    if is_grid(crit):
        crit = crit[0][0] if crit and crit[0] else None
    if crit is None:
        crit = 0.0
    if isinstance(crit, XLError):
        return lambda x: isinstance(x, XLError) and str(x) == str(crit)
    if isinstance(crit, bool):
        return lambda x: isinstance(x, bool) and x == crit
    if not isinstance(crit, str):
        n = _num(crit, epoch)
        return _number_test("=", n, epoch)
    op, rest = _OPS.match(crit).groups()
    if rest == "":
        if op is None:
            return lambda x: x is None or x == ""
        if op == "=":
            return lambda x: x is None
        if op == "<>":
            return lambda x: x is not None
        return lambda x: False
    n = text_to_number(rest, epoch)
    if not isinstance(n, XLError):
        return _number_test(op or "=", fifteen_digits(n), epoch)
    if rest.upper() in ("TRUE", "FALSE"):
        want = rest.upper() == "TRUE"
        if op in (None, "="):
            return lambda x: isinstance(x, bool) and x == want
        if op == "<>":
            return lambda x: not (isinstance(x, bool) and x == want)
        return lambda x: isinstance(x, bool) and _ordered(op, (x > want) - (x < want))
    if rest.upper() in ERRORS:
        err = ERRORS[rest.upper()]
        if op in (None, "="):
            return lambda x: isinstance(x, XLError) and str(x) == str(err)
        if op == "<>":
            return lambda x: not (isinstance(x, XLError) and str(x) == str(err))
        return lambda x: False
    if op in (None, "=", "<>"):
        pat = wildcard(rest)
        hit = (lambda x: isinstance(x, str) and not isinstance(x, XLError) and bool(pat.match(x)))
        return hit if op != "<>" else (lambda x: not hit(x))
    return lambda x: (isinstance(x, str) and not isinstance(x, XLError)
                      and _ordered(op, text_order(x, rest)))


def _number_test(op: str, n: float, epoch):
    if op == "=":
        def eq(x):
            v = _num(x, epoch)
            if v is None and isinstance(x, str) and not isinstance(x, XLError):
                t = text_to_number(x, epoch)
                v = None if isinstance(t, XLError) else fifteen_digits(t)
            return v == n
        return eq
    if op == "<>":
        return lambda x: _num(x, epoch) != n
    return lambda x: (v := _num(x, epoch)) is not None and _ordered(op, (v > n) - (v < n))


def count_beyond(grid) -> int:
    """The empty cells of a range beyond the sheet's used area (a clipped grid's true shape)."""
    rows, cols = shape_of(grid)
    return rows * cols - sum(len(row) for row in grid)
