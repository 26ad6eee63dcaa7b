"""Headless recalculation of workbooks with the add-in's catalog functions.

openpyxl reads formulas but never calculates them, so a test that reads cached
values tests nothing. This module recalculates a workbook the way Excel 365
would for the formulas our sample books use, with the same catalog functions
Excel calls through xlwings.

Design (see docs/workbooks.md, "Recalculation"):

* Our own small evaluator. Every formula is tokenized by openpyxl's
  ``Tokenizer`` and parsed into a tiny tree (numbers, text, booleans, errors,
  references, ranges, defined names, ``A1#`` spill references, array constants,
  operators, function calls). Cells are evaluated lazily and memoised, so they
  come out in dependency order without building a graph first; a cycle is
  ``#CIRC!``. This is the fast path: a cell that is one catalog call over
  ranges is a single Python call, and ``WARRANT_REGISTER`` over 10,000 rows is
  one call.
* Catalog functions are found under their plain name (``WARRANT_PRICE``),
  any dotted namespace (``XLWINGS.WARRANT_PRICE``, ``addin.xl.WARRANT_PRICE``)
  and the ``_xldudf_`` prefix Excel writes for add-in functions.
* A set of native functions is built in (``NATIVE``). A formula that calls any
  other function is handed whole to the ``formulas`` package (compiled per
  cell, its inputs fed from our values); a function neither knows is
  ``#NAME?``, as in Excel.
* Spilling: a formula whose value is a 2-D array larger than one cell spills
  down and right like Excel 365. The cells it would cover must be empty
  (cells inside the anchor's own stored array range count as empty: they are
  the previous spill's cached values); otherwise the anchor is ``#SPILL!``.
* An exception raised inside a catalog function is recorded (sheet, cell,
  function, message) and the cell gets ``#VALUE!``; ``warrants check`` fails
  on it. A ``#WARRANT: ...`` text is a user error and stays text, as in Excel.
* Dates follow the workbook's date system (``wb.epoch``; 1904 handled):
  ``date1904`` is passed to the catalog, datetimes are serials in arithmetic.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import fnmatch
import gc
import math
import re
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.utils.cell import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904, from_excel, to_excel
from openpyxl.worksheet.formula import ArrayFormula

__all__ = ["XLError", "Recalc", "RecordedException", "recalc_workbook", "recalc_file", "cell_key",
           "is_error", "NATIVE"]


class XLError(str):
    """An Excel error value (``#N/A``, ``#VALUE!``, ``#SPILL!`` ...): text that is not text."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"XLError({str(self)!r})"


NA, VALUE, REF, NAME, DIV0, NUM, SPILL, CIRC, NULL = (XLError(x) for x in (
    "#N/A", "#VALUE!", "#REF!", "#NAME?", "#DIV/0!", "#NUM!", "#SPILL!", "#CIRC!", "#NULL!"))
_ERRORS = {str(e): e for e in (NA, VALUE, REF, NAME, DIV0, NUM, SPILL, CIRC, NULL, XLError("#GETTING_DATA"))}


def is_error(value: object) -> bool:
    return isinstance(value, XLError)


def cell_key(sheet: str, row: int, col: int) -> str:
    """``Sheet!A1`` (the JSON key of a cell)."""
    return f"{sheet}!{get_column_letter(col)}{row}"


@dataclass(frozen=True, slots=True)
class RecordedException:
    sheet: str
    cell: str
    function: str
    message: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}: {self.function} raised {self.message}"


# ----------------------------------------------------------------------------- ranges

@dataclass(frozen=True, slots=True)
class Rng:
    sheet: str
    r1: int
    c1: int
    r2: int
    c2: int

    @property
    def single(self) -> bool:
        return self.r1 == self.r2 and self.c1 == self.c2


_SHEET_RE = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!(.+)$")


def _split_sheet(ref: str) -> tuple[str | None, str]:
    m = _SHEET_RE.match(ref)
    if not m:
        return None, ref
    sheet = m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2)
    return sheet, m.group(3)


_A1_RE = re.compile(r"^\$?([A-Za-z]{1,3})?\$?(\d+)?$")


def _parse_area(text: str) -> tuple[int, int, int, int] | None:
    """``A1`` / ``$A$1:$B$9`` / ``A:A`` / ``3:3`` -> (r1, c1, r2, c2), or None when not an area."""
    parts = text.split(":")
    if len(parts) > 2 or not all(_A1_RE.match(p) for p in parts):
        return None
    try:
        c1, r1, c2, r2 = range_boundaries(text.replace("$", "") if len(parts) == 2 else
                                          f"{text.replace('$', '')}:{text.replace('$', '')}")
    except (ValueError, TypeError):
        return None
    if r1 is None:
        r1, r2 = 1, 1_048_576
    if c1 is None:
        c1, c2 = 1, 16_384
    return r1, c1, r2, c2


# ----------------------------------------------------------------------------- parser

class _Node:
    __slots__ = ()


@dataclass(slots=True)
class _Const(_Node):
    value: object


@dataclass(slots=True)
class _Ref(_Node):
    text: str            # as written


@dataclass(slots=True)
class _Array(_Node):
    rows: list


@dataclass(slots=True)
class _Op(_Node):
    op: str
    args: list


@dataclass(slots=True)
class _Call(_Node):
    name: str            # as written, without "("
    args: list


class _ParseError(Exception):
    pass


_BINARY = {":": 8, " ": 8, ",": 8, "^": 5, "*": 4, "/": 4, "+": 3, "-": 3, "&": 2,
           "=": 1, "<>": 1, "<": 1, ">": 1, "<=": 1, ">=": 1}
_PREFIX_POWER = 6   # unary minus binds tighter than ^ in Excel (-2^2 = 4)


_SPILL_REF_RE = re.compile(r"((?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?(\$?[A-Za-z]{1,3}\$?\d+)#")


def parse_formula(formula: str) -> _Node:
    """Parse ``=...`` into a tree; raises _ParseError on anything we do not read."""
    if "#" in formula and '"' not in formula:
        # Excel 365's spill operator A1# is stored as ANCHORARRAY(A1) in files.
        formula = _SPILL_REF_RE.sub(lambda m: f"ANCHORARRAY({m.group(1) or ''}{m.group(2)})", formula)
    try:
        items = [t for t in Tokenizer(formula).items if t.type != Token.WSPACE]
    except Exception as exc:  # openpyxl raises a bare TokenizerError/ValueError
        raise _ParseError(str(exc)) from None
    pos = 0

    def peek():
        return items[pos] if pos < len(items) else None

    def take():
        nonlocal pos
        tok = items[pos]
        pos += 1
        return tok

    def primary() -> _Node:
        tok = peek()
        if tok is None:
            raise _ParseError("unexpected end")
        if tok.type == Token.OP_PRE:
            take()
            operand = expr(_PREFIX_POWER)
            return _Op("neg" if tok.value == "-" else "pos", [operand])
        if tok.type == Token.OPERAND:
            take()
            if tok.subtype == Token.NUMBER:
                node: _Node = _Const(float(tok.value))
            elif tok.subtype == Token.TEXT:
                node = _Const(tok.value[1:-1].replace('""', '"'))
            elif tok.subtype == Token.LOGICAL:
                node = _Const(tok.value.upper() == "TRUE")
            elif tok.subtype == Token.ERROR:
                node = _Const(_ERRORS.get(tok.value.upper(), XLError(tok.value.upper())))
            else:
                node = _Ref(tok.value)
            return node
        if tok.type == Token.FUNC and tok.subtype == Token.OPEN:
            take()
            name = tok.value[:-1]
            args: list[_Node] = []
            if peek() is not None and peek().type == Token.FUNC and peek().subtype == Token.CLOSE:
                take()
                return _Call(name, args)
            while True:
                nxt = peek()
                if nxt is not None and nxt.type == Token.SEP and nxt.subtype == Token.ARG:
                    args.append(_Const(None))          # omitted argument
                    take()
                    continue
                if nxt is not None and nxt.type == Token.FUNC and nxt.subtype == Token.CLOSE:
                    args.append(_Const(None))
                    take()
                    return _Call(name, args)
                args.append(expr(0))
                nxt = take()
                if nxt.type == Token.SEP and nxt.subtype == Token.ARG:
                    continue
                if nxt.type == Token.FUNC and nxt.subtype == Token.CLOSE:
                    return _Call(name, args)
                raise _ParseError(f"unexpected {nxt.value!r} in {name}")
        if tok.type == Token.PAREN and tok.subtype == Token.OPEN:
            take()
            inner = expr(0)
            close = take()
            if not (close.type == Token.PAREN and close.subtype == Token.CLOSE):
                raise _ParseError("unbalanced parenthesis")
            return inner
        if tok.type == Token.ARRAY and tok.subtype == Token.OPEN:
            take()
            rows: list[list[object]] = [[]]
            while True:
                t = take()
                if t.type == Token.ARRAY and t.subtype == Token.CLOSE:
                    return _Array(rows)
                if t.type == Token.SEP:
                    if t.subtype == Token.ROW:
                        rows.append([])
                    continue
                sign = 1.0
                if t.type == Token.OP_PRE:
                    sign = -1.0 if t.value == "-" else 1.0
                    t = take()
                if t.type != Token.OPERAND or t.subtype == Token.RANGE:
                    raise _ParseError("bad array constant")
                if t.subtype == Token.NUMBER:
                    rows[-1].append(sign * float(t.value))
                elif t.subtype == Token.TEXT:
                    rows[-1].append(t.value[1:-1].replace('""', '"'))
                elif t.subtype == Token.LOGICAL:
                    rows[-1].append(t.value.upper() == "TRUE")
                else:
                    rows[-1].append(_ERRORS.get(t.value.upper(), XLError(t.value.upper())))
        raise _ParseError(f"unexpected {tok.value!r}")

    def expr(min_power: int) -> _Node:
        left = primary()
        while True:
            tok = peek()
            if tok is None:
                return left
            if tok.type == Token.OP_POST:      # percent
                take()
                left = _Op("%", [left])
                continue
            if tok.type != Token.OP_IN:
                return left
            power = _BINARY.get(tok.value)
            if power is None:
                raise _ParseError(f"operator {tok.value!r}")
            if power <= min_power and not (tok.value == "^" and power == min_power and False):
                return left
            take()
            right = expr(power)
            left = _Op(tok.value, [left, right])

    tree = expr(0)
    if pos != len(items):
        raise _ParseError(f"unexpected {items[pos].value!r}")
    return tree


# relative-reference templates: strings and quoted sheet names are kept as they are
_TEMPLATE_RE = re.compile(r'("(?:[^"]|"")*")|(\'(?:[^\']|\'\')*\')'
                          r"|(?<![A-Za-z0-9_.$])(\$?)([A-Za-z]{1,3})(\$?)(\d+)(?![A-Za-z0-9_(!])")
_CELL_RE = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)(\d+)")
_AREA_RE = re.compile(r"^\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?$")


def _template(formula: str, row: int, col: int) -> str:
    """The formula with every cell reference written relative to (row, col), R1C1-style."""
    def sub(m: re.Match) -> str:
        if m.group(1) is not None or m.group(2) is not None:
            return m.group(0)
        cabs, letters, rabs, digits = m.group(3, 4, 5, 6)
        try:
            c = column_index_from_string(letters.upper())
        except ValueError:
            return m.group(0)
        r = int(digits)
        return (f"C{c}" if cabs else f"C[{c - col}]") + (f"R{r}" if rabs else f"R[{r - row}]")
    return _TEMPLATE_RE.sub(sub, formula)


def _shift_ref(text: str, dr: int, dc: int) -> str:
    sheet, area = _split_sheet(text)
    prefix = text[:len(text) - len(area)] if sheet is not None else ""
    if not _AREA_RE.match(area):
        return text          # a defined name, whole rows or columns: not re-based

    def sub(m: re.Match) -> str:
        cabs, letters, rabs, digits = m.groups()
        c = column_index_from_string(letters.upper())
        col = letters if cabs else get_column_letter(c + dc)
        row = digits if rabs else str(int(digits) + dr)
        return f"{cabs}{col}{rabs}{row}"
    return prefix + _CELL_RE.sub(sub, area)


def _rebase(node: _Node, dr: int, dc: int) -> _Node:
    """A copy of a parsed formula with its relative references moved by (dr, dc)."""
    if dr == 0 and dc == 0:
        return node
    t = type(node)
    if t is _Ref:
        return _Ref(_shift_ref(node.text, dr, dc))
    if t is _Op:
        return _Op(node.op, [_rebase(a, dr, dc) for a in node.args])
    if t is _Call:
        return _Call(node.name, [_rebase(a, dr, dc) for a in node.args])
    return node


# ----------------------------------------------------------------------------- values

def _to_number(value: object, epoch) -> float | XLError:
    if isinstance(value, XLError):
        return value
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return float(to_excel(value, epoch))
    if isinstance(value, _dt.time):
        return float(to_excel(value))
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", ""))
        except ValueError:
            return VALUE
    return VALUE


def _to_text(value: object) -> str | XLError:
    if isinstance(value, XLError):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15g}"           # Excel shows 15 significant digits (0.1+0.2 is "0.3")
    return str(value)


def _to_bool(value: object) -> bool | XLError:
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


def _compare(op: str, a: object, b: object, epoch) -> bool | XLError:
    if isinstance(a, XLError):
        return a
    if isinstance(b, XLError):
        return b
    if a is None:
        a = "" if isinstance(b, str) else (False if isinstance(b, bool) else 0.0)
    if b is None:
        b = "" if isinstance(a, str) else (False if isinstance(a, bool) else 0.0)
    if isinstance(a, (_dt.date, _dt.datetime, _dt.time)):
        a = _to_number(a, epoch)
    if isinstance(b, (_dt.date, _dt.datetime, _dt.time)):
        b = _to_number(b, epoch)
    ra, rb = _type_rank(a), _type_rank(b)
    if ra != rb:
        x, y = ra, rb
    elif ra == 1:
        x, y = a.lower(), b.lower()
    else:
        x, y = float(a), float(b)
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


def _is_grid(v: object) -> bool:
    return isinstance(v, list)


def _grid_map(fn: Callable[[object], object], v: object) -> object:
    if _is_grid(v):
        return [[fn(x) for x in row] for row in v]
    return fn(v)


def _broadcast(fn: Callable[[object, object], object], a: object, b: object) -> object:
    if not _is_grid(a) and not _is_grid(b):
        return fn(a, b)
    ga = a if _is_grid(a) else [[a]]
    gb = b if _is_grid(b) else [[b]]
    rows = max(len(ga), len(gb))
    cols = max(len(ga[0]), len(gb[0]))

    def at(g, r, c):
        rr = 0 if len(g) == 1 else r
        cc = 0 if len(g[0]) == 1 else c
        if rr >= len(g) or cc >= len(g[0]):
            return NA
        return g[rr][cc]
    return [[fn(at(ga, r, c), at(gb, r, c)) for c in range(cols)] for r in range(rows)]


def _flatten(values: Iterable[object]) -> Iterable[object]:
    for v in values:
        if _is_grid(v):
            for row in v:
                yield from row
        else:
            yield v


# ----------------------------------------------------------------------------- native functions

def _numbers_from(args, epoch):
    """SUM-style: numbers in ranges (text/bool/blank ignored), scalars coerced."""
    for a in args:
        if _is_grid(a[1]):
            for row in a[1]:
                for x in row:
                    if isinstance(x, XLError):
                        yield x
                    elif isinstance(x, bool) or x is None or isinstance(x, str):
                        continue
                    elif isinstance(x, (_dt.date, _dt.datetime)):
                        yield _to_number(x, epoch)
                    else:
                        yield float(x)
        else:
            v = a[1]
            if v is None and a[0]:
                continue
            if a[0] and isinstance(v, (str, bool)) and not isinstance(v, XLError):
                continue           # a text/bool in a referenced cell is ignored
            yield _to_number(v, epoch)


def _agg(fn):
    def run(ev, args):
        nums = []
        for n in _numbers_from(args, ev.epoch):
            if isinstance(n, XLError):
                return n
            nums.append(n)
        return fn(nums)
    return run


def _round_fn(mode: str):
    from decimal import Decimal, ROUND_HALF_UP, ROUND_DOWN, ROUND_UP
    rounding = {"ROUND": ROUND_HALF_UP, "ROUNDDOWN": ROUND_DOWN, "ROUNDUP": ROUND_UP}[mode]

    def run(ev, args):
        if len(args) not in (1, 2):
            return VALUE
        digits = ev.scalar_number(args[1][1]) if len(args) > 1 else 0.0
        if isinstance(digits, XLError):
            return digits

        def one(x):
            n = _to_number(x, ev.epoch)
            if isinstance(n, XLError):
                return n
            if math.isinf(n) or math.isnan(n):
                return NUM
            d = Decimal(repr(n))
            q = Decimal(1).scaleb(-int(digits))
            try:
                return float(d.quantize(q, rounding=rounding))
            except Exception:
                return n
        return _grid_map(one, args[0][1])
    return run


def _criteria(crit: object, epoch) -> Callable[[object], bool]:
    """COUNTIF/SUMIF criteria: a value, or text with =, <>, <, >, <=, >= and wildcards * ?."""
    if isinstance(crit, str) and not isinstance(crit, XLError):
        m = re.match(r"^(<=|>=|<>|<|>|=)?(.*)$", crit, re.S)
        op, rest = m.group(1), m.group(2)
        try:
            num = float(rest)
        except ValueError:
            num = None
        if num is not None:
            def test_num(x, op=op or "=", num=num):
                if isinstance(x, bool) or isinstance(x, XLError):
                    return False
                if isinstance(x, (int, float)):
                    return bool(_compare(op, float(x), num, epoch))
                if isinstance(x, (_dt.date, _dt.datetime)):
                    return bool(_compare(op, _to_number(x, epoch), num, epoch))
                if isinstance(x, str) and op in ("=", "<>"):
                    try:
                        return (float(x) == num) == (op == "=")
                    except ValueError:
                        return op == "<>"
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
            pat = re.compile(fnmatch.translate(rest.replace("~*", "\0").replace("~?", "\1"))
                             .replace("\0", r"\*").replace("\1", r"\?"), re.I | re.S)

            def test_text(x):
                if x is None or isinstance(x, bool) or isinstance(x, (int, float)):
                    s = None
                else:
                    s = str(x)
                hit = s is not None and bool(pat.match(s))
                return hit if op != "<>" else not hit
            return test_text
        return lambda x: isinstance(x, str) and not isinstance(x, XLError) and bool(_compare(op, x, rest, epoch))
    if isinstance(crit, bool):
        return lambda x: isinstance(x, bool) and x == crit
    if isinstance(crit, XLError):
        return lambda x: isinstance(x, XLError) and str(x) == str(crit)
    num = _to_number(crit, epoch)
    return lambda x: (not isinstance(x, (bool, str)) and x is not None
                      and _to_number(x, epoch) == num)


def _countif(ev, args):
    if len(args) != 2 or not _is_grid(args[0][1]):
        return VALUE
    test = _criteria(args[1][1], ev.epoch)
    return float(sum(1 for x in _flatten([args[0][1]]) if test(x)))


def _sumif(ev, args):
    if len(args) not in (2, 3) or not _is_grid(args[0][1]):
        return VALUE
    test = _criteria(args[1][1], ev.epoch)
    rng = args[0][1]
    total_rng = args[2][1] if len(args) == 3 else rng
    total = 0.0
    for r, row in enumerate(rng):
        for c, x in enumerate(row):
            if test(x):
                try:
                    v = total_rng[r][c]
                except (IndexError, TypeError):
                    continue
                if isinstance(v, XLError):
                    return v
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    total += v
    return total


def _if(ev, args):
    if not 1 <= len(args) <= 3:
        return VALUE
    cond = args[0][1]

    def pick(c, yes=args[1][1] if len(args) > 1 else True,
             no=args[2][1] if len(args) > 2 else False):
        b = _to_bool(c)
        if isinstance(b, XLError):
            return b
        v = yes if b else no
        return 0.0 if v is None else v
    if _is_grid(cond):
        return _grid_map(pick, cond)
    return pick(cond)


def _iferror(ev, args):
    if len(args) != 2:
        return VALUE
    return _grid_map(lambda v: (0.0 if args[1][1] is None else args[1][1]) if isinstance(v, XLError) else v,
                     args[0][1])


def _logical(kind):
    def run(ev, args):
        vals = []
        for a in args:
            for x in (_flatten([a[1]]) if _is_grid(a[1]) else [a[1]]):
                if x is None or (isinstance(x, str) and not isinstance(x, XLError) and _is_grid(a[1])):
                    continue
                b = _to_bool(x)
                if isinstance(b, XLError):
                    return b
                vals.append(b)
        if not vals:
            return VALUE
        return all(vals) if kind == "AND" else any(vals)
    return run


def _is(pred):
    def run(ev, args):
        if len(args) != 1:
            return VALUE
        return _grid_map(pred, args[0][1])
    return run


def _count(ev, args):
    n = 0
    for a in args:
        if _is_grid(a[1]):
            n += sum(1 for x in _flatten([a[1]]) if isinstance(x, (int, float, _dt.date)) and not isinstance(x, bool))
        elif not isinstance(a[1], XLError) and not isinstance(_to_number(a[1], ev.epoch), XLError) and a[1] is not None:
            n += 1
    return float(n)


def _counta(ev, args):
    n = 0
    for a in args:
        vals = _flatten([a[1]]) if _is_grid(a[1]) else [a[1]]
        n += sum(1 for x in vals if x is not None)
    return float(n)


def _sumproduct(ev, args):
    grids = [a[1] if _is_grid(a[1]) else [[a[1]]] for a in args]
    if not grids:
        return VALUE
    shape = (len(grids[0]), len(grids[0][0]))
    if any((len(g), len(g[0])) != shape for g in grids):
        return VALUE
    total = 0.0
    for r in range(shape[0]):
        for c in range(shape[1]):
            prod = 1.0
            for g in grids:
                x = g[r][c]
                if isinstance(x, XLError):
                    return x
                prod *= float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else 0.0
            total += prod
    return total


def _scalar_fn(fn, nargs: tuple[int, int], kinds: str):
    """A function of scalars (n = number, t = text, b = bool, a = any), mapped over grids in arg 0."""
    lo, hi = nargs

    def run(ev, args):
        if not lo <= len(args) <= hi:
            return VALUE
        conv = []
        for i, a in enumerate(args):
            kind = kinds[min(i, len(kinds) - 1)]
            v = a[1]
            if i > 0 and _is_grid(v):
                return VALUE
            conv.append((kind, v))

        def one(first):
            vals = []
            for i, (kind, v) in enumerate(conv):
                v = first if i == 0 else v
                if _is_grid(v):
                    return VALUE
                if kind == "n":
                    v = _to_number(v, ev.epoch)
                elif kind == "t":
                    v = _to_text(v)
                elif kind == "b":
                    v = _to_bool(v)
                if isinstance(v, XLError) and kind != "a":
                    return v
                vals.append(v)
            try:
                return fn(ev, *vals)
            except (ValueError, OverflowError, ZeroDivisionError):
                return NUM
        if conv and _is_grid(conv[0][1]):
            return _grid_map(one, conv[0][1])
        return one(None if not conv else conv[0][1])
    return run


def _date(ev, y, m, d):
    y, m, d = int(y), int(m), int(d)
    if 0 <= y < 1900:
        y += 1900
    m0 = m - 1
    y += m0 // 12
    m0 %= 12
    base = _dt.datetime(y, m0 + 1, 1)
    return base + _dt.timedelta(days=d - 1)


def _index(ev, args):
    if not 2 <= len(args) <= 3:
        return VALUE
    g = args[0][1] if _is_grid(args[0][1]) else [[args[0][1]]]
    r = ev.scalar_number(args[1][1])
    c = ev.scalar_number(args[2][1]) if len(args) == 3 and args[2][1] is not None else 0.0
    if isinstance(r, XLError):
        return r
    if isinstance(c, XLError):
        return c
    r, c = int(r), int(c)
    if len(g) == 1 and len(args) == 2:
        r, c = 1, r
    try:
        if r == 0:
            return [[row[c - 1]] for row in g]
        if c == 0:
            return [list(g[r - 1])] if len(g[0]) > 1 else g[r - 1][0]
        return g[r - 1][c - 1]
    except IndexError:
        return REF


def _match(ev, args):
    if not 2 <= len(args) <= 3:
        return VALUE
    look, g = args[0][1], args[1][1]
    if not _is_grid(g):
        return NA
    kind = ev.scalar_number(args[2][1]) if len(args) == 3 else 1.0
    seq = [row[0] for row in g] if len(g[0]) == 1 else list(g[0])
    if kind == 0:
        test = _criteria(look, ev.epoch) if isinstance(look, str) else (lambda x: _compare("=", x, look, ev.epoch) is True)
        for i, x in enumerate(seq):
            if test(x):
                return float(i + 1)
        return NA
    best = None
    for i, x in enumerate(seq):
        if x is None:
            continue
        if (kind > 0 and _compare("<=", x, look, ev.epoch) is True) or \
                (kind < 0 and _compare(">=", x, look, ev.epoch) is True):
            best = i + 1
    return float(best) if best else NA


def _minmax(fn):
    def run(ev, args):
        nums = []
        for n in _numbers_from(args, ev.epoch):
            if isinstance(n, XLError):
                return n
            nums.append(n)
        return fn(nums) if nums else 0.0
    return run


NATIVE: dict[str, Callable[[Any, list], object]] = {
    "SUM": _agg(lambda xs: float(math.fsum(xs))),
    "AVERAGE": _agg(lambda xs: math.fsum(xs) / len(xs) if xs else DIV0),
    "MIN": _minmax(min),
    "MAX": _minmax(max),
    "COUNT": _count,
    "COUNTA": _counta,
    "COUNTIF": _countif,
    "SUMIF": _sumif,
    "SUMPRODUCT": _sumproduct,
    "IF": _if,
    "IFERROR": _iferror,
    "AND": _logical("AND"),
    "OR": _logical("OR"),
    "NOT": _scalar_fn(lambda ev, b: not b, (1, 1), "b"),
    "ISERROR": _is(lambda v: isinstance(v, XLError)),
    "ISERR": _is(lambda v: isinstance(v, XLError) and str(v) != "#N/A"),
    "ISNA": _is(lambda v: isinstance(v, XLError) and str(v) == "#N/A"),
    "ISNUMBER": _is(lambda v: isinstance(v, (int, float, _dt.date)) and not isinstance(v, bool)),
    "ISTEXT": _is(lambda v: isinstance(v, str) and not isinstance(v, XLError)),
    "ISBLANK": _is(lambda v: v is None),
    "ISLOGICAL": _is(lambda v: isinstance(v, bool)),
    "ROUND": _round_fn("ROUND"),
    "ROUNDDOWN": _round_fn("ROUNDDOWN"),
    "ROUNDUP": _round_fn("ROUNDUP"),
    "INT": _scalar_fn(lambda ev, x: float(math.floor(x)), (1, 1), "n"),
    "ABS": _scalar_fn(lambda ev, x: abs(x), (1, 1), "n"),
    "MOD": _scalar_fn(lambda ev, x, y: DIV0 if y == 0 else x - y * math.floor(x / y), (2, 2), "n"),
    "POWER": _scalar_fn(lambda ev, x, y: float(x ** y), (2, 2), "n"),
    "SQRT": _scalar_fn(lambda ev, x: NUM if x < 0 else math.sqrt(x), (1, 1), "n"),
    "LEN": _scalar_fn(lambda ev, s: float(len(s)), (1, 1), "t"),
    "LEFT": _scalar_fn(lambda ev, s, n=1.0: s[:int(n)], (1, 2), "tn"),
    "RIGHT": _scalar_fn(lambda ev, s, n=1.0: s[len(s) - int(n):] if int(n) else "", (1, 2), "tn"),
    "MID": _scalar_fn(lambda ev, s, a, n: s[int(a) - 1:int(a) - 1 + int(n)], (3, 3), "tnn"),
    "UPPER": _scalar_fn(lambda ev, s: s.upper(), (1, 1), "t"),
    "LOWER": _scalar_fn(lambda ev, s: s.lower(), (1, 1), "t"),
    "TRIM": _scalar_fn(lambda ev, s: " ".join(s.split()), (1, 1), "t"),
    "EXACT": _scalar_fn(lambda ev, a, b: a == b, (2, 2), "t"),
    "CONCATENATE": lambda ev, args: _concat(ev, args),
    "CONCAT": lambda ev, args: _concat(ev, args),
    "DATE": _scalar_fn(_date, (3, 3), "n"),
    "YEAR": _scalar_fn(lambda ev, x: float(from_excel(x, ev.epoch).year), (1, 1), "n"),
    "MONTH": _scalar_fn(lambda ev, x: float(from_excel(x, ev.epoch).month), (1, 1), "n"),
    "DAY": _scalar_fn(lambda ev, x: float(from_excel(x, ev.epoch).day), (1, 1), "n"),
    "N": _scalar_fn(lambda ev, v: v if isinstance(v, (int, float)) and not isinstance(v, bool)
                    else (1.0 if v is True else 0.0), (1, 1), "a"),
    "INDEX": _index,
    "MATCH": _match,
    "ROWS": lambda ev, args: float(len(args[0][1])) if len(args) == 1 and _is_grid(args[0][1]) else (
        1.0 if len(args) == 1 else VALUE),
    "COLUMNS": lambda ev, args: float(len(args[0][1][0])) if len(args) == 1 and _is_grid(args[0][1]) else (
        1.0 if len(args) == 1 else VALUE),
    "TRUE": lambda ev, args: True,
    "FALSE": lambda ev, args: False,
    "NA": lambda ev, args: NA,
}


def _concat(ev, args):
    parts = []
    for a in args:
        for x in (_flatten([a[1]]) if _is_grid(a[1]) else [a[1]]):
            t = _to_text(x)
            if isinstance(t, XLError):
                return t
            parts.append(t)
    return "".join(parts)


# ----------------------------------------------------------------------------- the recalculation

# natives whose arguments are ranges even when one cell (COUNTIF(A1:A1, ...))
_RANGE_FUNCTIONS = frozenset({"COUNTIF", "SUMIF", "SUMPRODUCT", "ROWS", "COLUMNS", "INDEX", "MATCH"})

_PREFIXES = ("_XLFN._XLWS.", "_XLFN.", "_XLWS.", "_XLDUDF_")


def _default_catalog():
    try:
        from addin import catalog  # noqa: PLC0415 - the add-in's registry, built by issue 4
    except ImportError:
        return None
    return catalog


class _Unsupported(Exception):
    """A formula our evaluator does not read; handed to the ``formulas`` package."""


@dataclass
class Recalc:
    """The outcome of a recalculation: every formula cell and every spilled cell."""

    values: dict[tuple[str, int, int], object] = field(default_factory=dict)
    formula_cells: list[tuple[str, int, int]] = field(default_factory=list)
    spilled: dict[tuple[str, int, int], tuple[str, int, int]] = field(default_factory=dict)
    spill_shape: dict[tuple[str, int, int], tuple[int, int]] = field(default_factory=dict)
    exceptions: list[RecordedException] = field(default_factory=list)
    delegated: list[str] = field(default_factory=list)   # cells computed by the formulas package
    date1904: bool = False

    def __getitem__(self, ref: str) -> object:
        sheet, area = _split_sheet(ref)
        if sheet is None:
            raise KeyError(ref)
        r1, c1, _, _ = _parse_area(area)
        return self.values[(sheet, r1, c1)]

    sheet_order: list[str] = field(default_factory=list)

    def cells(self) -> list[tuple[str, int, int]]:
        """Formula cells and spilled cells, sheet by sheet in workbook order, row-major."""
        order = {s: i for i, s in enumerate(self.sheet_order)}
        keys = set(self.formula_cells) | set(self.spilled)
        return sorted(keys, key=lambda k: (order.get(k[0], len(order)), k[1], k[2]))

    def as_json(self) -> dict[str, object]:
        """``{"Sheet!A1": value}``: numbers as numbers, booleans, dates as ISO text, errors as text."""
        out: dict[str, object] = {}
        for key in self.cells():
            out[cell_key(*key)] = json_value(self.values.get(key))
        return out


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


class _Evaluator:
    def __init__(self, wb, catalog=None, *, use_formulas: bool = True):
        self.wb = wb
        self.epoch = wb.epoch
        self.date1904 = wb.epoch == CALENDAR_MAC_1904
        self.catalog = _default_catalog() if catalog is None else catalog
        self.catalog_names = {k.upper() for k in getattr(self.catalog, "CATALOG", {})} if self.catalog else set()
        self.use_formulas = use_formulas
        self.result = Recalc(date1904=self.date1904, sheet_order=list(wb.sheetnames))
        self.sheets = {ws.title: ws for ws in wb.worksheets}
        self.sheets_upper = {name.upper(): name for name in self.sheets}
        # raw cell contents: formulas and constants, read once
        self.formulas: dict[tuple[str, int, int], str] = {}
        self.array_ref: dict[tuple[str, int, int], tuple[int, int, int, int]] = {}
        self.constants: dict[tuple[str, int, int], object] = {}
        self.cache_owner: dict[tuple[str, int, int], tuple[str, int, int]] = {}
        for ws in wb.worksheets:
            title = ws.title
            constants = self.constants
            for (r, c), cell in ws._cells.items():
                v = cell._value
                if v is None:
                    continue
                kind = cell.data_type
                if kind == "n" or kind == "s" or kind == "d" or kind == "b":
                    if kind == "s" and v[:1] == "=" and len(v) > 1:
                        self.formulas[(title, r, c)] = v
                    else:
                        constants[(title, r, c)] = v
                elif isinstance(v, ArrayFormula):
                    self.formulas[(title, r, c)] = v.text or "="
                    if v.ref:
                        bounds = _parse_area(v.ref)
                        if bounds:
                            self.array_ref[(title, r, c)] = bounds
                elif kind == "f":
                    self.formulas[(title, r, c)] = v
                elif kind == "e":
                    constants[(title, r, c)] = _ERRORS.get(str(v).upper(), XLError(str(v)))
                else:
                    constants[(title, r, c)] = v
        self.extent: dict[str, tuple[int, int]] = {}
        for ws in wb.worksheets:
            keys = ws._cells.keys()
            self.extent[ws.title] = (max((k[0] for k in keys), default=1), max((k[1] for k in keys), default=1))
        for anchor, (r1, c1, r2, c2) in self.array_ref.items():
            sheet = anchor[0]
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    key = (sheet, r, c)
                    if key != anchor and key not in self.formulas:
                        self.cache_owner[key] = anchor
        self.result.formula_cells = sorted(self.formulas, key=lambda k: (
            wb.sheetnames.index(k[0]), k[1], k[2]))
        self.by_sheet_formulas: dict[str, list[tuple[int, int]]] = {}
        for (s, r, c) in self.result.formula_cells:
            self.by_sheet_formulas.setdefault(s, []).append((r, c))
        self.pending = {s: len(v) for s, v in self.by_sheet_formulas.items()}
        self.names = self._defined_names()
        self.trees: dict[str, _Node | Exception] = {}
        self.templates: dict[str, tuple[_Node | Exception, tuple[int, int]]] = {}
        self.state: dict[tuple[str, int, int], int] = {}   # 1 = in progress, 2 = done
        self.claimed: dict[tuple[str, int, int], tuple[str, int, int]] = {}
        self.current: tuple[str, int, int] | None = None
        self._keep_ref = False
        self.journal: list[tuple[str, int, int]] = []     # evaluation order, for speculative undo
        self.circ_hits = 0
        self.deferred: set[tuple[str, int, int]] = set()

    # -- names and references
    def _defined_names(self) -> dict[tuple[str | None, str], str]:
        names: dict[tuple[str | None, str], str] = {}
        dn = self.wb.defined_names
        items = dn.items() if hasattr(dn, "items") else ((d.name, d) for d in dn.definedName)
        for name, d in items:
            names[(None, name.upper())] = d.attr_text
        for ws in self.wb.worksheets:
            for name, d in getattr(ws, "defined_names", {}).items():
                names[(ws.title, name.upper())] = d.attr_text
        return names

    def resolve(self, text: str, sheet: str, depth: int = 0) -> Rng | XLError:
        spill = text.endswith("#")
        if spill:
            text = text[:-1]
        ref_sheet, area = _split_sheet(text)
        target = sheet
        if ref_sheet is not None:
            target = self.sheets_upper.get(ref_sheet.upper())
            if target is None:
                return REF
        bounds = _parse_area(area)
        if bounds is None:
            if depth > 5:
                return NAME
            attr = self.names.get((sheet, area.upper())) or self.names.get((None, area.upper()))
            if attr is None:
                return NAME
            rng = self.resolve(attr.lstrip("="), sheet, depth + 1)
            if isinstance(rng, XLError) or not spill:
                return rng
            return self._spill_range(rng)
        rng = Rng(target, *bounds)
        return self._spill_range(rng) if spill else rng

    def _spill_range(self, rng: Rng) -> Rng | XLError:
        key = (rng.sheet, rng.r1, rng.c1)
        if key not in self.formulas:
            return REF
        v = self.value(key)
        shape = self.result.spill_shape.get(key)
        if shape is None:
            return rng if not isinstance(v, XLError) else v
        return Rng(rng.sheet, rng.r1, rng.c1, rng.r1 + shape[0] - 1, rng.c1 + shape[1] - 1)

    def grid(self, rng: Rng) -> list[list[object]]:
        r2, c2 = rng.r2, rng.c2
        if r2 >= 1_048_576 or c2 >= 16_384:
            # whole columns/rows: clip to the used area, spills included (settled first)
            max_row, max_col = self.extent[rng.sheet]
            self._settle_spills_over((rng.sheet, 1_048_576, 16_384))
            max_row = max([max_row] + [k[1] for k in self.claimed if k[0] == rng.sheet])
            max_col = max([max_col] + [k[2] for k in self.claimed if k[0] == rng.sheet])
            r2 = min(r2, max(max_row, rng.r1))
            c2 = min(c2, max(max_col, rng.c1))
        sheet = rng.sheet
        formulas, claimed, constants, cache_owner = self.formulas, self.claimed, self.constants, self.cache_owner
        values = self.result.values
        unsettled = bool(self.pending.get(sheet))
        out = []
        for r in range(rng.r1, r2 + 1):
            row = []
            for c in range(rng.c1, c2 + 1):
                key = (sheet, r, c)
                # the common case, a constant or an empty cell with nothing left to spill into it
                if key in claimed:
                    row.append(values[key])
                elif key in formulas or key in cache_owner or (unsettled and key not in constants):
                    row.append(self.value(key))
                    unsettled = bool(self.pending.get(sheet))
                else:
                    row.append(constants.get(key))
            out.append(row)
        return out

    # -- values
    def value(self, key: tuple[str, int, int]) -> object:
        if key in self.formulas:
            st = self.state.get(key)
            if st == 2:
                return self.result.values[key]
            if st == 1:
                self.circ_hits += 1
                return CIRC
            return self._evaluate(key)
        owner = self.claimed.get(key)
        if owner is not None:
            return self.result.values[key]
        self._settle_spills_over(key)
        owner = self.claimed.get(key)
        if owner is not None:
            return self.result.values[key]
        if key in self.cache_owner:
            return None          # stale spill cache of an anchor whose result no longer covers it
        return self.constants.get(key)

    def _settle_spills_over(self, key: tuple[str, int, int]) -> None:
        """Evaluate formulas above-left of an empty cell: one of them may spill into it."""
        sheet, row, col = key
        if not self.pending.get(sheet):
            return
        for (r, c) in self.by_sheet_formulas.get(sheet, ()):
            if r > row:
                break
            cand = (sheet, r, c)
            if c <= col and self.state.get(cand) is None and cand not in self.deferred:
                # Speculative: if the candidate needs a cell still being evaluated (the reader of
                # this empty cell), undo it; it is evaluated later in its turn. Spilling into the
                # cell would have been a circular reference in Excel.
                marks = (len(self.journal), self.circ_hits, len(self.result.exceptions), len(self.result.delegated))
                self._evaluate(cand)
                if self.circ_hits > marks[1]:
                    self._rollback(marks)
                    self.deferred.add(cand)
                    continue
                if key in self.claimed:
                    return

    def _rollback(self, marks) -> None:
        j, _, e, d = marks
        for k in self.journal[j:]:
            self.state.pop(k, None)
            self.result.values.pop(k, None)
            self.pending[k[0]] += 1
            shape = self.result.spill_shape.pop(k, None)
            if shape is not None:
                for t in [t for t, a in self.claimed.items() if a == k]:
                    del self.claimed[t]
                    self.result.spilled.pop(t, None)
                    self.result.values.pop(t, None)
        del self.journal[j:]
        del self.result.exceptions[e:]
        del self.result.delegated[d:]

    def _evaluate(self, key: tuple[str, int, int]) -> object:
        self.state[key] = 1
        self.pending[key[0]] -= 1
        prev = self.current
        self.current = key
        try:
            formula = self.formulas[key]
            try:
                tree = self._tree(formula, key)
                v = self.eval(tree, key[0])
            except _Unsupported:
                v = self._delegate(key, formula)
            if isinstance(v, Rng):
                v = self.grid(v) if not v.single else self.value((v.sheet, v.r1, v.c1))
            v = self._place(key, v)
        finally:
            self.current = prev
        self.result.values[key] = v
        self.state[key] = 2
        self.journal.append(key)
        return v

    def _tree(self, formula: str, key: tuple[str, int, int] | None = None) -> _Node:
        """The parsed formula. Formulas that differ only by relative references (a column of
        copied formulas) share one parse: the cached tree is re-based to this cell."""
        if key is not None:
            template = _template(formula, key[1], key[2])
            hit = self.templates.get(template)
            if hit is not None:
                tree, (r0, c0) = hit
                if isinstance(tree, Exception):
                    raise _Unsupported(str(tree))
                return _rebase(tree, key[1] - r0, key[2] - c0)
        tree = self.trees.get(formula)
        if tree is None:
            try:
                tree = parse_formula(formula)
            except _ParseError as exc:
                tree = exc
            self.trees[formula] = tree
        if key is not None:
            self.templates[template] = (tree, (key[1], key[2]))
        if isinstance(tree, Exception):
            raise _Unsupported(str(tree))
        return tree

    def _place(self, key, v):
        """The spill pass: an array bigger than one cell spills down and right, or is #SPILL!."""
        if not _is_grid(v):
            return None_to_zero(v)
        rows = len(v)
        cols = max((len(r) for r in v), default=0)
        if rows == 0 or cols == 0:
            return XLError("#CALC!")
        if rows == 1 and cols == 1:
            return None_to_zero(v[0][0])
        sheet, r0, c0 = key
        targets = []
        for dr in range(rows):
            for dc in range(cols):
                if dr == 0 and dc == 0:
                    continue
                t = (sheet, r0 + dr, c0 + dc)
                if r0 + dr > 1_048_576 or c0 + dc > 16_384:
                    return SPILL
                if t in self.formulas or t in self.claimed:
                    return SPILL
                if t in self.constants and self.cache_owner.get(t) != key:
                    return SPILL
                targets.append((t, dr, dc))
        for t, dr, dc in targets:
            row = v[dr]
            x = row[dc] if dc < len(row) else NA
            self.claimed[t] = key
            self.result.spilled[t] = key
            self.result.values[t] = None_to_zero(x) if not _is_grid(x) else VALUE
        self.result.spill_shape[key] = (rows, cols)
        return None_to_zero(v[0][0])

    # -- expressions
    def scalar_number(self, v):
        if _is_grid(v):
            v = v[0][0] if v and v[0] else None
        return _to_number(v, self.epoch)

    def deref(self, v, sheet):
        """A reference becomes its value: a single cell its value, an area its grid."""
        if isinstance(v, Rng):
            if v.single:
                return self.value((v.sheet, v.r1, v.c1))
            return self.grid(v)
        return v

    def eval(self, node: _Node, sheet: str, keep_ref: bool = False):
        t = type(node)
        if t is _Const:
            return node.value
        if t is _Ref:
            rng = self.resolve(node.text, sheet)
            if isinstance(rng, XLError):
                return rng
            return rng if keep_ref else self.deref(rng, sheet)
        if t is _Array:
            return [list(r) for r in node.rows]
        if t is _Call:
            self._keep_ref = keep_ref
            return self.call(node, sheet)
        if t is _Op:
            return self.op(node, sheet, keep_ref)
        raise _Unsupported(repr(node))

    def op(self, node: _Op, sheet: str, keep_ref: bool):
        o = node.op
        if o in (":",):
            a = self.eval(node.args[0], sheet, True)
            b = self.eval(node.args[1], sheet, True)
            if isinstance(a, XLError):
                return a
            if isinstance(b, XLError):
                return b
            if not isinstance(a, Rng) or not isinstance(b, Rng) or a.sheet != b.sheet:
                return REF
            rng = Rng(a.sheet, min(a.r1, b.r1), min(a.c1, b.c1), max(a.r2, b.r2), max(a.c2, b.c2))
            return rng if keep_ref else self.deref(rng, sheet)
        if o in (" ", ","):
            raise _Unsupported(f"reference operator {o!r}")
        if o in ("neg", "pos", "%"):
            v = self.eval(node.args[0], sheet)
            if o == "neg" and _is_grid(v):
                try:   # the common --ISERROR(range): booleans and numbers only
                    return [[-(1.0 if x is True else 0.0 if x is False else x)
                             if type(x) in (bool, float, int) else _NOT_NUMBER[0] for x in row] for row in v]
                except _NotNumber:
                    pass

            def un(x):
                n = _to_number(x, self.epoch)
                if isinstance(n, XLError):
                    return n
                return -n if o == "neg" else (n if o == "pos" else n / 100.0)
            return _grid_map(un, v)
        a = self.eval(node.args[0], sheet)
        b = self.eval(node.args[1], sheet)
        if o == "&":
            def cat(x, y):
                tx, ty = _to_text(x), _to_text(y)
                if isinstance(tx, XLError):
                    return tx
                if isinstance(ty, XLError):
                    return ty
                return tx + ty
            return _broadcast(cat, a, b)
        if o in ("=", "<>", "<", ">", "<=", ">="):
            return _broadcast(lambda x, y: _compare(o, x, y, self.epoch), a, b)

        def arith(x, y):
            nx, ny = _to_number(x, self.epoch), _to_number(y, self.epoch)
            if isinstance(nx, XLError):
                return nx
            if isinstance(ny, XLError):
                return ny
            if o == "+":
                return nx + ny
            if o == "-":
                return nx - ny
            if o == "*":
                return nx * ny
            if o == "/":
                return DIV0 if ny == 0 else nx / ny
            try:
                r = nx ** ny
            except (OverflowError, ZeroDivisionError):
                return NUM
            return NUM if isinstance(r, complex) else float(r)
        return _broadcast(arith, a, b)

    def _fname(self, written: str) -> tuple[str, str]:
        """('catalog' | 'native' | 'unknown', NAME) for a function name as written."""
        name = written.upper()
        for p in _PREFIXES:
            if name.startswith(p):
                name = name[len(p):]
                break
        if name in self.catalog_names:
            return "catalog", name
        if name in NATIVE or name == "ANCHORARRAY":
            return "native", name
        if "." in name or "!" in name:
            tail = re.split(r"[.!]", name)[-1]
            if tail in self.catalog_names:
                return "catalog", tail
        return "unknown", name

    def call(self, node: _Call, sheet: str):
        kind, name = self._fname(node.name)
        if kind == "unknown":
            raise _Unsupported(name)
        if name == "ANCHORARRAY" and len(node.args) == 1 and isinstance(node.args[0], _Ref):
            rng = self.resolve(node.args[0].text + "#", sheet)
            if isinstance(rng, XLError):
                return rng
            return self.deref(rng, sheet) if not self._keep_ref else rng
        if kind == "native" and name in ("IF", "IFERROR"):
            return self._lazy_if(name, node, sheet)
        args = []
        as_grid = kind == "native" and name in _RANGE_FUNCTIONS
        for a in node.args:
            v = self.eval(a, sheet, keep_ref=True)
            if isinstance(v, Rng):
                args.append((True, self.grid(v) if (as_grid or not v.single) else self.value((v.sheet, v.r1, v.c1))))
            else:
                args.append((False, v))
        if kind == "native":
            return NATIVE[name](self, args)
        return self.call_catalog(name, [v for _, v in args])

    def _lazy_if(self, name, node, sheet):
        # IF evaluates only the branch it takes, as Excel does (a catalog call in the
        # other branch is not made, so its exception is not recorded).
        if name == "IF" and 1 <= len(node.args) <= 3:
            cond = self.eval(node.args[0], sheet)
            if not _is_grid(cond):
                b = _to_bool(cond)
                if isinstance(b, XLError):
                    return b
                if b:
                    v = self.eval(node.args[1], sheet) if len(node.args) > 1 else True
                else:
                    v = self.eval(node.args[2], sheet) if len(node.args) > 2 else False
                return 0.0 if v is None else v
        args = [(False, self.eval(a, sheet)) for a in node.args]
        return NATIVE[name](self, args)

    def call_catalog(self, name: str, args: list):
        try:
            v = self.catalog.call(name, *args, date1904=self.date1904)
        except Exception as exc:  # a bug in the catalog: record it, never hide it
            sheet, r, c = self.current
            self.result.exceptions.append(RecordedException(
                sheet, f"{get_column_letter(c)}{r}", name, f"{type(exc).__name__}: {exc}"))
            return VALUE
        return _from_catalog(v)

    # -- the formulas package, for everything else
    def _delegate(self, key, formula: str):
        if not self.use_formulas:
            return NAME
        import formulas  # noqa: PLC0415 - slow import, only when needed
        import numpy as np  # noqa: PLC0415
        known = _formulas_functions()
        registry = formulas.get_functions()
        for written in _function_names(formula):
            kind, name = self._fname(written)
            if kind == "unknown" and name not in known:
                return NAME          # unknown to us and to formulas: #NAME?, as in Excel
            if kind == "catalog":
                # the catalog function under the name as written (plain, _xldudf_, XLWINGS. ...)
                registry[written.upper()] = self._catalog_for_formulas(name)
        try:
            func = formulas.Parser().ast(formula)[1].compile()
        except Exception as exc:
            msg = str(exc)
            return NAME if ("DISPATCHING" in msg or "NotImplemented" in msg or "not implemented" in msg.lower()) \
                else VALUE
        inputs = []
        for ref in func.inputs:
            rng = self.resolve(ref, key[0])
            if isinstance(rng, XLError):
                inputs.append(rng)
                continue
            g = self.grid(rng)
            conv = [[_for_formulas(x, self.epoch) for x in row] for row in g]
            if rng.single:
                inputs.append(conv[0][0])
            else:
                inputs.append(np.array(conv, dtype=object))
        try:
            out = func(*inputs)
        except Exception as exc:
            return NAME if "NotImplemented" in repr(exc) else VALUE
        self.result.delegated.append(cell_key(*key))
        return _from_formulas(out)

    def _catalog_for_formulas(self, name: str):
        """A catalog function for the formulas package: its exceptions are recorded, not hidden."""
        import numpy as np  # noqa: PLC0415
        from formulas.functions import wrap_func  # noqa: PLC0415

        def run(*args):
            v = self.call_catalog(name, [_from_formulas_arg(a) for a in args])
            if _is_grid(v):
                return np.array([[_for_formulas(x, self.epoch) for x in row] for row in v], dtype=object)
            return _for_formulas(v, self.epoch)
        return wrap_func(run)


def _from_formulas_arg(a):
    import numpy as np  # noqa: PLC0415
    if isinstance(a, np.ndarray):
        grid = a.tolist() if a.ndim == 2 else [a.tolist()] if a.ndim == 1 else [[a.item()]]
        rows = [[_from_formulas_arg(x) for x in row] for row in grid]
        return rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 else rows
    if isinstance(a, np.generic):
        a = a.item()
    if a is None or isinstance(a, (bool, int, float)):
        return a
    if isinstance(a, str) and type(a) is not str and str(a).startswith("#"):
        return _ERRORS.get(str(a), XLError(str(a)))          # formulas' XlError is a str subclass
    if isinstance(a, str):
        return str(a)
    text = str(a)
    if text.startswith("#"):
        return _ERRORS.get(text, XLError(text))
    return None          # schedula's EMPTY


_FORMULAS_FUNCTIONS: set[str] | None = None


def _formulas_functions() -> set[str]:
    global _FORMULAS_FUNCTIONS
    if _FORMULAS_FUNCTIONS is None:
        import logging  # noqa: PLC0415
        import formulas  # noqa: PLC0415
        for name in ("formulas", "schedula"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
        _FORMULAS_FUNCTIONS = {k.upper() for k in formulas.get_functions()}
    return _FORMULAS_FUNCTIONS


def _function_names(formula: str) -> list[str]:
    try:
        return [t.value[:-1] for t in Tokenizer(formula).items
                if t.type == Token.FUNC and t.subtype == Token.OPEN]
    except Exception:
        return []


class _NotNumber(Exception):
    pass


class _Raiser:
    def __getitem__(self, i):
        raise _NotNumber


_NOT_NUMBER = _Raiser()


def None_to_zero(v):
    """A formula that returns an empty cell shows 0 in Excel."""
    return 0.0 if v is None else v


def _from_catalog(v):
    if isinstance(v, tuple):
        v = list(v)
    if isinstance(v, list):
        if v and not isinstance(v[0], (list, tuple)):
            v = [v]
        return [[_cell_from_catalog(x) for x in row] for row in v]
    return _cell_from_catalog(v)


def _cell_from_catalog(x):
    if isinstance(x, XLError) or x is None or isinstance(x, (bool, str, _dt.datetime, _dt.time)):
        if isinstance(x, str) and not isinstance(x, XLError) and x in _ERRORS:
            return _ERRORS[x]
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


def _for_formulas(x, epoch):
    if x is None:
        import schedula as sh  # noqa: PLC0415
        return sh.EMPTY
    if isinstance(x, XLError):
        from formulas.tokens.operand import Error  # noqa: PLC0415
        try:
            return Error.errors[str(x)]
        except (AttributeError, KeyError):
            return str(x)
    if isinstance(x, (_dt.date, _dt.datetime)):
        return _to_number(x, epoch)
    return x


def _from_formulas(out):
    import numpy as np  # noqa: PLC0415
    if isinstance(out, np.ndarray):
        if out.ndim == 0:
            return _from_formulas(out.item())
        if out.shape == (1, 1) or out.size == 1:
            return _from_formulas(out.ravel()[0])
        grid = out.tolist() if out.ndim == 2 else [out.tolist()]
        return [[_from_formulas(x) for x in row] for row in grid]
    if isinstance(out, np.generic):
        out = out.item()
    if isinstance(out, bool):
        return out
    if isinstance(out, (int, float)):
        return float(out)
    if isinstance(out, str) and type(out) is not str and str(out).startswith("#"):
        return _ERRORS.get(str(out), XLError(str(out)))      # formulas' XlError is a str subclass
    if isinstance(out, str):
        return str(out)
    text = str(out)
    if text.startswith("#"):
        return _ERRORS.get(text, XLError(text))
    if text == "empty" or out is None:
        return 0.0
    return text


# ----------------------------------------------------------------------------- entry points

@contextlib.contextmanager
def no_gc():
    """Pause the cyclic garbage collector (restored after): a workbook is ~100k small objects
    that live until the end, and gen-2 collections over them cost ~30% of a big recalculation."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def recalc_workbook(wb, catalog=None, *, use_formulas: bool = True) -> Recalc:
    """Recalculate an openpyxl workbook (loaded with formulas, not ``data_only``).

    ``catalog``: an object with ``CATALOG`` (names) and ``call(name, *args, date1904=)``;
    default ``addin.catalog``. The workbook is not modified.
    """
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 20_000))
    try:
        with no_gc():
            ev = _Evaluator(wb, catalog, use_formulas=use_formulas)
            for key in ev.result.formula_cells:
                if ev.state.get(key) is None:
                    ev._evaluate(key)
        return ev.result
    finally:
        sys.setrecursionlimit(old)


def recalc_file(path, catalog=None) -> tuple[object, Recalc]:
    """Load ``path`` (see addin.bookio.load_book for its checks) and recalculate it."""
    from addin.bookio import load_book  # noqa: PLC0415
    with no_gc():
        wb = load_book(path)
        return wb, recalc_workbook(wb, catalog)


def write_values(wb, result: Recalc) -> None:
    """Replace every formula by its value and fill the spilled cells (for a values copy)."""
    for (sheet, r, c) in result.cells():
        v = result.values.get((sheet, r, c))
        cell = wb[sheet].cell(row=r, column=c)
        if isinstance(v, XLError):
            cell.value = str(v)
            cell.data_type = "e"
        else:
            cell.value = v
