"""Argument handling shared by the functions of lookup, math, stats, logical, info, engineering
and database: Excel's broadcasting of scalar functions over arrays in every argument, and the
range arguments a plain formula must receive whole.

Broadcasting (Microsoft, "Dynamic array formulas and spilled array behavior"): a function of
scalars given arrays returns an array the size of the largest; a one-row or one-column array is
repeated along its single row or column, and positions beyond a smaller array are ``#N/A``
(``=ROUND(1.2345,{1,2})`` is ``{1.2,1.23}``).
"""
from __future__ import annotations

import datetime as _dt
import re

from ..values import NA, NUM, VALUE, XLError, is_grid, to_bool, to_number, to_text


def grid_of(v) -> list:
    """A value as a grid (a scalar is 1x1)."""
    return v if is_grid(v) else [[v]]


def broadcast_all(fn, values: list):
    """``fn(*scalars)`` at every position of the arguments' common shape (Excel's rule above);
    a plain call when no argument is an array."""
    if not any(is_grid(v) for v in values):
        return fn(*values)
    grids = [grid_of(v) for v in values]
    rows = max(len(g) for g in grids)
    cols = max(len(g[0]) if g else 0 for g in grids)

    def at(g, r, c):
        rr = 0 if len(g) == 1 else r
        cc = 0 if len(g[0]) == 1 else c
        if rr >= len(g) or cc >= len(g[0]):
            return NA
        return g[rr][cc]
    return [[fn(*[at(g, r, c) for g in grids]) for c in range(cols)] for r in range(rows)]


_CURRENCIES = "€£¥"
_PADDED_DATE = re.compile(r"^(\s+\S.*|.*\S\s+)$", re.S)
_DATE_OR_TIME = re.compile(r"\d[-/:]\d")


def to_number_strict(v, epoch):
    """:func:`to_number`, except that a date or time in text with spaces around it is #VALUE!
    as in Excel (FLOOR(10," 2024-01-10 ") is #VALUE!, FLOOR(10," 10 ") is 10: the Excel-saved
    calc_tests__MATH_AND_TRIGONOMETRY__FLOOR_CEILING.xlsx, FLOOR!AE3 and R3); values.to_number
    reads the padded date (reported to its owner)."""
    if isinstance(v, str) and not isinstance(v, XLError) and _PADDED_DATE.match(v) and _DATE_OR_TIME.search(v):
        return VALUE
    return to_number(v, epoch)


def convert(kind: str, v, epoch):
    """One argument as a number (n; N: a logical value is #VALUE!), text (t), logical value
    (b) or as it is (a); an error is returned as it is."""
    if kind == "N":
        return VALUE if isinstance(v, bool) else to_number_strict(v, epoch)
    if kind == "n":
        return to_number_strict(v, epoch)
    if kind == "t":
        return to_text(v, epoch)
    if kind == "b":
        return to_bool(v)
    return v


def elementwise(fn, nargs: tuple[int, int], kinds: str, defaults: tuple = ()):
    """A function of scalars broadcast over arrays in every argument. ``kinds`` gives each
    argument's kind (the last repeats); an omitted optional argument takes its entry of
    ``defaults`` (aligned to the optional ones), or is passed as ``None``. An error argument is
    the result; a math domain error is ``#NUM!``."""
    lo, hi = nargs

    def run(ev, args):
        if not lo <= len(args) <= hi:
            return VALUE
        values = [a[1] for a in args]
        for j in range(len(values), lo + len(defaults)):
            values.append(defaults[j - lo])

        def one(*xs):
            conv = []
            for i, x in enumerate(xs):
                kind = kinds[min(i, len(kinds) - 1)]
                raw, x = x, convert(kind, x, ev.epoch)
                if isinstance(x, XLError) and kind != "a":
                    if kind in "nN" and isinstance(raw, str) and not isinstance(raw, XLError) \
                            and any(sign in raw for sign in _CURRENCIES):
                        # Excel reads a currency amount in its locale's currency ("€100" is 100 in
                        # the Excel-saved calc_tests__MATH_AND_TRIGONOMETRY__EXP_SIGN.xlsx, B31)
                        return ev.unsupported("number", f"currency text {raw!r} read in Excel's locale")
                    return x
                conv.append(x)
            try:
                return fn(ev, *conv)
            except ArithmeticError as exc:
                if type(exc).__name__ == "NotConverged":     # distributions.NotConverged
                    return ev.unsupported(getattr(fn, "__name__", "function").strip("_").upper(),
                                          "a series that does not converge to full precision here")
                return NUM          # a math domain error or an overflow: Excel's #NUM!
            except ValueError:
                return NUM
        return broadcast_all(one, values)
    return run


def is_number(x) -> bool:
    """A number or a date (not a logical value)."""
    return isinstance(x, (int, float, _dt.date, _dt.time)) and not isinstance(x, bool)


def whole_ranges(ev, name: str) -> bool:
    """Whether a plain formula hands ``name`` its multi-cell ranges whole (its declared
    ranges or array-mode arguments); where it does not, a range argument arrives reduced to one cell by implicit
    intersection, and the function must refuse rather than compute on that cell."""
    if not getattr(ev, "implicit", False):
        return True
    from . import FACTS                           # imported here: the package imports this module
    facts = FACTS.get(name)
    return bool(facts and (facts.ranges or facts.array_mode))


def refuse_intersected(ev, name: str, args: list, positions=None) -> XLError | None:
    """The error to return when a reference argument (at ``positions``, all when None) may have
    been reduced to one cell by implicit intersection (see :func:`whole_ranges`), else None."""
    if whole_ranges(ev, name):
        return None
    for i, (is_ref, v) in enumerate(args):
        if (positions is None or i in positions) and is_ref and not is_grid(v):
            return ev.unsupported(name, "a range argument of a plain formula reduced to one cell (the "
                                  "evaluator does not yet pass this function's ranges whole)")
    return None


def range_args(ev, name: str, args: list, positions) -> list | XLError:
    """The grids of the range arguments at ``positions`` (a cell as 1x1), or the error to return
    when the evaluator reduced them to one cell (see :func:`whole_ranges`)."""
    out = []
    whole = whole_ranges(ev, name)
    for i in positions:
        if i >= len(args):
            out.append(None)
            continue
        is_ref, v = args[i]
        if not is_grid(v) and is_ref and not whole:
            return ev.unsupported(name, "a range argument of a plain formula reduced to one cell (the "
                                  "evaluator does not yet pass this function's ranges whole)")
        out.append(grid_of(v))
    return out


def numbers_in(values, epoch, *, refs_skip_text: bool = True):
    """The numbers of arguments as SUM reads them: in ranges and arrays numbers only (text,
    logical values and blanks ignored); a value typed as an argument coerced (text that is not a
    number is #VALUE!). Yields floats or the first error."""
    for is_ref, v in values:
        if is_grid(v):
            for row in v:
                for x in row:
                    if isinstance(x, XLError):
                        yield x
                    elif is_number(x):
                        yield to_number(x, epoch)
        elif is_ref:
            if isinstance(v, XLError):
                yield v
            elif is_number(v):
                yield to_number(v, epoch)
        elif v is not None:
            yield to_number(v, epoch)
