"""Database functions: DAVERAGE, DCOUNT, DCOUNTA, DGET, DMAX, DMIN, DPRODUCT, DSTDEV(P), DSUM,
DVAR(P) (Microsoft, "DSUM function" and its siblings; criteria as "Examples of complex criteria"
in "Filter by using advanced criteria" describes them).

Each takes (database, field, criteria): the database's first row holds the labels; field is a
label (without case) or a 1-based column number, else #VALUE!; the criteria range's first row
holds labels and every further row is one set of conditions, all of which must hold (AND), a row
of the set enough (OR); an empty condition holds for every record. A text condition without an
operator matches the texts that begin with it ("Dav" finds "Davolio" and "David": Microsoft's
advanced-filter page); with an operator it is COUNTIF's criterion (criteria.py).
"""
from __future__ import annotations

import math
import re

from ..values import DIV0, NUM, VALUE, XLError, is_grid, text_to_number, to_number, to_text
from .common import declare
from .criteria import Unordered, matcher
from .elementwise import is_number, range_args
from .stats import _stdev, _var

_OP = re.compile(r"^(<=|>=|<>|<|>|=)")


def _condition(value, epoch):
    """A predicate for one criteria cell (see the module's docstring)."""
    if value is None or value == "":
        return lambda x: True
    if isinstance(value, str) and not isinstance(value, XLError) and not _OP.match(value):
        if isinstance(text_to_number(value, epoch), XLError) and value.upper() not in ("TRUE", "FALSE"):
            return matcher(value + "*", epoch)       # text: the records that begin with it
    return matcher(value, epoch)


def _label_index(labels, field, epoch):
    """The 0-based column of ``field``: a number (a logical value as 1/0) is a 1-based column
    number; text is a label compared without case with each label as text, the first equal
    (the label TRUE is found by "true": the Excel-saved
    calc_tests__DATABASE__DMIN_DMAX_DAVERAGE_DSUM.xlsx B57; the label 1 by "1":
    calc_tests__DATABASE__DCOUNT_DCOUNTA_DGET_DPRODUCT.xlsx, DCOUNT_DCOUNTA!B65). None when not
    found."""
    if isinstance(field, XLError):
        return field
    if isinstance(field, str):
        for i, lab in enumerate(labels):
            if lab is not None and not isinstance(lab, XLError) and to_text(lab, epoch).lower() == field.lower():
                return i
        return None
    if field is None:
        return None
    n = to_number(field, epoch)
    if isinstance(n, XLError):
        return None
    k = int(n)
    return k - 1 if 1 <= k <= len(labels) else None


def _records(ev, name, args):
    """The field's values of the records meeting the criteria, or an error."""
    if len(args) != 3:
        return VALUE
    grids = range_args(ev, name, args, (0, 2))
    if isinstance(grids, XLError):
        return grids
    db, crit = grids
    field = args[1][1]
    if is_grid(field):
        field = field[0][0] if len(field) == 1 and len(field[0]) == 1 else VALUE
    if len(db) < 2 or len(crit) < 1:
        return VALUE                     # a database without records (DMIN(A1:H1,...) is #VALUE!)
    labels = list(db[0])
    col = _label_index(labels, field, ev.epoch)
    if isinstance(col, XLError):
        return col
    if col is None:
        return VALUE
    crit_labels = list(crit[0])
    rows = [list(row) for row in crit[1:]] or [[None] * len(crit_labels)]
    if any(all(v is None or v == "" for v in row[:len(crit_labels)]) for row in rows):
        # a criteria row without any condition holds for every record: the other rows, whatever
        # they hold, add nothing (the Excel-saved calc_tests__DATABASE__DCOUNT_DCOUNTA_DGET_DPRODUCT.xlsx,
        # DCOUNT_DCOUNTA!B66:C67: a row with #N/A beside an empty row, every record counted)
        rows = [[None] * len(crit_labels)]
    sets = []
    for row in rows:
        conds = []
        for lab, value in zip(crit_labels, row):
            if value is None or value == "":
                continue
            if isinstance(value, XLError):
                return ev.unsupported(name, "an error value as a condition")
            i = None if lab is None or isinstance(lab, XLError) else \
                _label_index(labels, to_text(lab, ev.epoch), ev.epoch)
            if i is None:
                # a label naming no column (empty, an error value, other text): its condition holds
                # for no record (the same book: DCOUNT_DCOUNTA!B51, DPRODUCT!B27, B50, B54, and
                # DMIN..DSUM / DVAR..DSTDEVP B51 of their books give 0 or #DIV/0!, no record);
                # refused where the condition would match an empty cell ("<>East", "="), which
                # those cells do not show
                if _condition(value, ev.epoch)(None):
                    return ev.unsupported(name, "a condition matching empty cells under a label naming no column")
                conds = None
                break
            conds.append((i, _condition(value, ev.epoch)))
        if conds is not None:
            sets.append(conds)
    out = []
    try:
        for rec in db[1:]:
            if any(all(test(rec[i] if i < len(rec) else None) for i, test in conds) for conds in sets):
                out.append(rec[col] if col < len(rec) else None)
    except Unordered:
        return ev.unsupported(name, "text ordering of punctuation or non-ASCII letters")
    return out


def _numbers(values):
    nums = []
    for v in values:
        if isinstance(v, XLError):
            return v
        if is_number(v):
            nums.append(to_number(v))
    return nums


def _dfunc(name: str, how):
    def run(ev, args):
        vals = _records(ev, name, args)
        if isinstance(vals, XLError):
            return vals
        return how(vals)
    run.__doc__ = f"{name}(database, field, criteria): see the module's docstring."
    return declare(run, array_mode=(0, 2))      # the database and the criteria are ranges


def _numeric(fn):
    def how(vals):
        nums = _numbers(vals)
        if isinstance(nums, XLError):
            return nums
        return fn(nums)
    return how


def _dget(vals):
    """DGET: the one matching record's value; none is #VALUE!, more than one #NUM!."""
    if not vals:
        return VALUE
    if len(vals) > 1:
        return NUM
    return 0.0 if vals[0] is None else vals[0]


FUNCTIONS = {
    "DSUM": _dfunc("DSUM", _numeric(lambda xs: float(math.fsum(xs)))),
    "DAVERAGE": _dfunc("DAVERAGE", _numeric(lambda xs: math.fsum(xs) / len(xs) if xs else DIV0)),
    "DCOUNT": _dfunc("DCOUNT", lambda vals: float(sum(1 for v in vals if is_number(v)))),
    "DCOUNTA": _dfunc("DCOUNTA", lambda vals: float(sum(1 for v in vals if v is not None))),
    "DMAX": _dfunc("DMAX", _numeric(lambda xs: max(xs) if xs else 0.0)),
    "DMIN": _dfunc("DMIN", _numeric(lambda xs: min(xs) if xs else 0.0)),
    "DPRODUCT": _dfunc("DPRODUCT", _numeric(lambda xs: math.prod(xs) if xs else 0.0)),
    "DGET": _dfunc("DGET", _dget),
    "DSTDEV": _dfunc("DSTDEV", _numeric(_stdev(True))),
    "DSTDEVP": _dfunc("DSTDEVP", _numeric(_stdev(False))),
    "DVAR": _dfunc("DVAR", _numeric(_var(True))),
    "DVARP": _dfunc("DVARP", _numeric(_var(False))),
}
