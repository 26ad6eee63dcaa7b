"""Shared argument handling of the native functions (one place for each rule)."""
from __future__ import annotations

import datetime as _dt
import fnmatch
import re
from dataclasses import dataclass, field, replace

from ..values import NA, NUM, VALUE, XLError, grid_map, is_grid, to_bool, to_number, to_text
from .elementwise import range_args


# ----------------------------------------------------------------------------- the registry

ALL = slice(0, None)        # every argument
REST = slice(1, None)       # every argument after the first


class Positions:
    """Which arguments (0-based) a fact applies to: ``None`` (none), ``ALL``, an index, a slice
    (``slice(1, None, 2)``: the 2nd, 4th, ...), or a tuple of those."""

    __slots__ = ("_exact", "_slices", "text")

    def __init__(self, spec=None):
        parts = spec if isinstance(spec, (tuple, list, set, frozenset)) else () if spec is None else (spec,)
        self._exact = frozenset(p for p in parts if isinstance(p, int))
        self._slices = tuple(p for p in parts if isinstance(p, slice))
        self.text = "" if spec is None else repr(spec)

    def __contains__(self, i: int) -> bool:
        if i in self._exact:
            return True
        for s in self._slices:
            start, step = s.start or 0, s.step or 1
            if i >= start and (s.stop is None or i < s.stop) and (i - start) % step == 0:
                return True
        return False

    def __bool__(self) -> bool:
        return bool(self._exact or self._slices)

    def _key(self):
        return self._exact, tuple((s.start, s.stop, s.step) for s in self._slices)

    def __eq__(self, other) -> bool:
        return isinstance(other, Positions) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Positions({self.text})"


@dataclass(frozen=True)
class Facts:
    """What the evaluator must know of an Excel function, declared beside its code (the
    counterpart of pycel's ``@excel_helper(cse_params=, number_params=, err_str_params=, ref_params=)``).

    * ``ranges``: arguments taken whole as a range or array, a single cell included (a grid):
      never intersected in a plain formula, never broadcast (SUM's numbers, COUNTIF's range);
    * ``refs``: arguments that take the reference itself, not its values (ROWS, OFFSET);
    * ``array_mode``: arguments Excel evaluates as arrays even in a plain formula (SUMPRODUCT);
    * ``broadcast``: scalar arguments given an array are lifted over it, the function called once
      per element and the results an array of the broadcast shape (``ROUND(1.2345,{1,2})``);
    * ``errors``: arguments where an error value is data (IFERROR's value, ISERROR's): in every
      other broadcast argument an error is passed on as the result before the function runs;
    * ``numbers``: arguments read as numbers (documentation; scalar_fn coerces them);
    * ``clip_safe``: the function gives the same answer over a whole column clipped to the used
      area (blanks beyond change nothing);
    * ``returns_ref``: the result may be a reference (INDEX, CHOOSE, IF), which Excel intersects
      in a plain formula;
    * ``volatile``: the value changes from one recalculation to the next (TODAY, RAND);
    * ``lambdas``: arguments that take a LAMBDA (BYROW's, MAP's): the evaluator passes a callable
      value there (``ev.call_lambda``), and nowhere else.
    """

    ranges: Positions = field(default_factory=Positions)
    refs: Positions = field(default_factory=Positions)
    array_mode: Positions = field(default_factory=Positions)
    broadcast: Positions = field(default_factory=Positions)
    errors: Positions = field(default_factory=Positions)
    numbers: Positions = field(default_factory=Positions)
    clip_safe: bool = False
    returns_ref: bool = False
    volatile: bool = False
    lambdas: Positions = field(default_factory=Positions)
    declared: bool = False      # False: only the defaults (a function added without facts)


_POSITION_FACTS = ("ranges", "refs", "array_mode", "broadcast", "errors", "numbers", "lambdas")


def facts_of(fn) -> Facts:
    """The facts a function declares (``Facts()`` when it declares none)."""
    return getattr(fn, "xl_facts", None) or Facts()


def declare(fn=None, **facts):
    """Declare a function's facts (see :class:`Facts`): ``declare(fn, ranges=ALL)`` returns ``fn``
    with them, ``@declare(ranges=0)`` decorates. Position facts take anything
    :class:`Positions` reads; facts already on ``fn`` (from scalar_fn) are kept unless given."""
    def apply(f):
        base = facts_of(f)
        given = {k: Positions(v) if k in _POSITION_FACTS else v for k, v in facts.items()}
        unknown = set(given) - set(Facts.__dataclass_fields__)
        if unknown:
            raise TypeError(f"unknown facts {sorted(unknown)}")
        try:
            f.xl_facts = replace(base, declared=True, **given)
        except AttributeError:           # a builtin or bound method: wrap it
            def wrapped(ev, args, _f=f):
                return _f(ev, args)
            wrapped.xl_facts = replace(base, declared=True, **given)
            return wrapped
        return f
    return apply if fn is None else apply(fn)


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


def _is_number(x) -> bool:
    return isinstance(x, (int, float, _dt.date, _dt.datetime, _dt.time)) and not isinstance(x, bool)


def scalar_fn(fn, nargs: tuple[int, int], kinds: str, **facts):
    """A function of scalars (n = number, N = number but not a logical value, t = text, b = bool,
    a = any), mapped over grids in arg 0.

    Its facts (see :class:`Facts`) follow from ``kinds``: every argument broadcasts over arrays,
    an error passes on except where the kind is ``a``, ``n`` arguments are numbers; ``facts``
    adds or overrides any of them."""
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
                elif kind == "N":            # a number, and a logical value is #VALUE! (EDATE, EOMONTH)
                    v = VALUE if isinstance(v, bool) else to_number(v, ev.epoch)
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
    width = max(hi if hi < 64 else len(kinds), len(kinds))
    run.xl_facts = Facts(broadcast=Positions(ALL),
                         errors=Positions(tuple(i for i in range(width) if kinds[min(i, len(kinds) - 1)] == "a")
                                          + ((slice(len(kinds), None),) if kinds[-1] == "a" else ())),
                         numbers=Positions(tuple(i for i in range(width) if kinds[min(i, len(kinds) - 1)] in "nN")
                                           + ((slice(len(kinds), None),) if kinds[-1] in "nN" else ())),
                         declared=True)
    return declare(run, **facts) if facts else run


def paired_cells(ev, name: str, args) -> tuple[list, list] | XLError:
    """The cells of the first two arguments (ranges) row by row, for the functions that pair
    them position by position (PROB, the paired T.TEST); ranges of different sizes are #N/A."""
    grids = range_args(ev, name, args, (0, 1))
    if isinstance(grids, XLError):
        return grids
    first, second = ([x for row in g for x in row] for g in grids)
    return (first, second) if len(first) == len(second) else NA


def wildcard(pattern: str) -> "re.Pattern[str]":
    """Excel's wildcards (``*``, ``?``, ``~`` escapes), case-insensitive, whole text."""
    marked = pattern.replace("~*", "\0").replace("~?", "\1").replace("~~", "\2").replace("[", "\3")
    return re.compile(fnmatch.translate(marked).replace("\0", r"\*").replace("\1", r"\?").replace("\2", "~")
                      .replace("\3", r"\["), re.I | re.S)
