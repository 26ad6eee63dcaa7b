"""Lookup and reference functions. Each cites the edge cases of Excel's documentation it follows."""
from __future__ import annotations

import datetime as _dt

from ..parse import Rng
from ..values import NA, REF, VALUE, XLError, compare, grid_map, is_grid, shape_of, to_number
from .common import ALL, REST, declare, wildcard


def _index(ev, args):
    """INDEX(array, row_num, [column_num]): a negative index is #VALUE!, one beyond the array
    #REF!; 0 selects a whole row or column; a one-row array takes its single index as the column."""
    if not 2 <= len(args) <= 4:
        return VALUE
    if len(args) == 4:                   # area_num: one area here, so 1 or #REF!
        area = ev.scalar_number(args[3][1]) if args[3][1] is not None else 1.0
        if isinstance(area, XLError):
            return area
        if int(area) != 1:
            return REF
        args = args[:3]
    g = args[0][1] if is_grid(args[0][1]) else [[args[0][1]]]
    r = ev.scalar_number(args[1][1])
    c = ev.scalar_number(args[2][1]) if len(args) == 3 and args[2][1] is not None else 0.0
    if isinstance(r, XLError):
        return r
    if isinstance(c, XLError):
        return c
    r, c = int(r), int(c)
    if r < 0 or c < 0:
        return VALUE
    if len(g) == 1 and len(args) == 2:
        r, c = 1, r
    rows, cols = shape_of(g)
    if r > rows or c > cols:
        return REF
    if r > len(g) or c > len(g[0]):
        return None                  # inside the range, beyond the used area: an empty cell
    if (r == 0 or c == 0) and (rows, cols) != (len(g), len(g[0])):
        return ev.unsupported("INDEX", "a whole row or column of a range beyond the used area")
    if r == 0 and c == 0:
        return [list(row) for row in g]
    if r == 0:
        return [[row[c - 1]] for row in g]
    if c == 0:
        return [list(g[r - 1])] if cols > 1 else g[r - 1][0]
    return g[r - 1][c - 1]


def _kind(v) -> int:
    """The type class Excel's lookups compare within: 0 number, 1 text, 2 logical, -1 other."""
    if isinstance(v, bool):
        return 2
    if isinstance(v, XLError) or v is None:
        return -1
    if isinstance(v, str):
        return 1
    if isinstance(v, (int, float, _dt.date, _dt.time)):
        return 0
    return -1


def find_exact(ev, look, seq) -> int | None:
    """Position (0-based) of the first value equal to ``look`` (match_type 0, VLOOKUP FALSE):
    text matches text without case and with wildcards * ? ~ (never COUNTIF's operators), a
    number only a number ("3" does not find 3), a logical value only a logical value."""
    k = _kind(look)
    if k == 1:
        pat = wildcard(look)
        for i, x in enumerate(seq):
            if _kind(x) == 1 and pat.match(x):
                return i
        return None
    if k == -1:
        return None
    for i, x in enumerate(seq):
        if _kind(x) == k and compare("=", x, look, ev.epoch) is True:
            return i
    return None


def find_sorted(ev, look, seq, descending: bool = False) -> int | None | XLError:
    """Approximate match (match_type 1/-1, VLOOKUP TRUE): the last value <= look (>= when
    descending) among values of look's type. Excel binary-searches, so on unsorted data its
    answer depends on its search: that case is not supported (an error, never a guess)."""
    k = _kind(look)
    same = [(i, x) for i, x in enumerate(seq) if _kind(x) == k]
    op = ">=" if descending else "<="
    for (_, a), (_, b) in zip(same, same[1:]):
        if compare(op, a, b, ev.epoch) is not True:
            return ev.unsupported("MATCH", "approximate match over unsorted values")
    best = None
    for i, x in same:
        if compare(op, x, look, ev.epoch) is True:
            best = i
        else:
            break
    return best


def _match(ev, args):
    """MATCH(lookup_value, lookup_array, [match_type]): see find_exact and find_sorted; an array
    that is not one row or one column is #N/A."""
    if not 2 <= len(args) <= 3:
        return VALUE
    look, g = args[0][1], args[1][1]
    if not is_grid(g):
        g = [[g]]
    kind = ev.scalar_number(args[2][1]) if len(args) == 3 and args[2][1] is not None else 1.0
    if isinstance(kind, XLError):
        return kind
    if len(g) > 1 and len(g[0]) > 1:
        return NA
    seq = [row[0] for row in g] if len(g[0]) == 1 else list(g[0])

    def one(value):
        if isinstance(value, XLError):
            return value
        if value is None:
            value = 0.0
        if kind == 0:
            pos = find_exact(ev, value, seq)
        else:
            pos = find_sorted(ev, value, seq, descending=kind < 0)
        if isinstance(pos, XLError):
            return pos
        return NA if pos is None else float(pos + 1)
    return grid_map(one, look)


def _vlookup(ev, args):
    """VLOOKUP(value, table, col_index, [range_lookup]): col_index < 1 is #VALUE!, beyond the
    table #REF!; not found #N/A; approximate by default (see find_sorted)."""
    if not 3 <= len(args) <= 4:
        return VALUE
    look, g = args[0][1], args[1][1]
    if not is_grid(g):
        g = [[g]]
    col = ev.scalar_number(args[2][1])
    if isinstance(col, XLError):
        return col
    approx = True
    if len(args) == 4 and args[3][1] is not None:
        approx = ev.scalar_bool(args[3][1])
        if isinstance(approx, XLError):
            return approx
    col = int(col)
    if col < 1:
        return VALUE
    if col > len(g[0]):
        return REF
    seq = [row[0] for row in g]

    def one(value):
        if isinstance(value, XLError):
            return value
        pos = find_sorted(ev, value, seq) if approx else find_exact(ev, value, seq)
        if isinstance(pos, XLError):
            return pos
        return NA if pos is None else g[pos][col - 1]
    return grid_map(one, look)


def _choose(ev, args):
    """CHOOSE(index_num, value1, ...): the index is truncated; below 1 or beyond the values #VALUE!."""
    if len(args) < 2:
        return VALUE

    def one(i):
        n = to_number(i, ev.epoch)
        if isinstance(n, XLError):
            return n
        n = int(n)
        if not 1 <= n < len(args):
            return VALUE
        return args[n][1]
    return grid_map(one, args[0][1])


def _rows(ev, args):
    """ROWS(array): the number of rows of a reference or array (a whole column is 1,048,576)."""
    if len(args) != 1:
        return VALUE
    return float(ev.shape(args[0])[0])


def _columns(ev, args):
    """COLUMNS(array): the number of columns."""
    if len(args) != 1:
        return VALUE
    return float(ev.shape(args[0])[1])


def _row_or_column(index: int):
    def run(ev, args):
        """ROW([reference]) / COLUMN([reference]): of the formula's own cell when omitted; of a
        range, its rows (a column of numbers) or columns (a row of numbers); a value that is not
        a reference is #VALUE!."""
        if not args or (len(args) == 1 and args[0][1] is None and not args[0][0]):
            return float(ev.current[index])
        if len(args) != 1 or not isinstance(args[0][1], Rng):
            return VALUE
        rng = args[0][1]
        if index == 1:
            return [[float(r)] for r in range(rng.r1, rng.r2 + 1)] if rng.r2 > rng.r1 else float(rng.r1)
        return [[float(c) for c in range(rng.c1, rng.c2 + 1)]] if rng.c2 > rng.c1 else float(rng.c1)
    return run


FUNCTIONS = {
    "ROW": declare(_row_or_column(1), refs=ALL),
    "COLUMN": declare(_row_or_column(2), refs=ALL),
    "INDEX": declare(_index, ranges=0, array_mode=0, broadcast=(1, 2, 3), clip_safe=True, returns_ref=True),
    "MATCH": declare(_match, ranges=1, array_mode=1, broadcast=(0, 2), clip_safe=True),
    "VLOOKUP": declare(_vlookup, ranges=1, array_mode=1, broadcast=(0, 2, 3), clip_safe=True),
    "CHOOSE": declare(_choose, refs=REST, broadcast=0, returns_ref=True),
    "ROWS": declare(_rows, refs=ALL),
    "COLUMNS": declare(_columns, refs=ALL),
}
