"""Lookup and reference functions. Each cites the edge cases of Excel's documentation it follows."""
from __future__ import annotations

import datetime as _dt

from ..parse import Rng
from ..values import NA, REF, VALUE, ClippedGrid, XLError, compare, grid_map, is_grid, shape_of, to_number
from .common import ALL, REST, declare, wildcard
from .elementwise import range_args


def _index(ev, args):
    """INDEX(array, row_num, [column_num], [area_num]): a negative index is #VALUE!, one beyond
    the array #REF!; 0 selects a whole row or column; a one-row array takes its single index as
    the column; area_num 1 is the one area, 2 or more #REF! (INDEX({1,2,3},1,0,2) is #REF! in the
    Excel-saved calc_tests__LOOKUP_AND_REFERENCE__INDEX.xlsx, E20)."""
    if not 2 <= len(args) <= 4:
        return VALUE
    if len(args) == 4:
        # area_num: one area (a range or an array) is area 1, any other number #REF!
        area = ev.scalar_number(args[3][1]) if args[3][1] is not None else 1.0
        if isinstance(area, XLError):
            return area
        if int(area) != 1:
            return REF if int(area) > 1 else VALUE
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
    table #REF!; not found #N/A, and so is the lookup of an empty cell; approximate by default
    (see find_sorted)."""
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
        if value is None:
            return NA                    # VLOOKUP of an empty cell is #N/A
        pos = find_sorted(ev, value, seq) if approx else find_exact(ev, value, seq)
        if isinstance(pos, XLError):
            return pos
        return NA if pos is None else g[pos][col - 1]
    return grid_map(one, look)


def _choose(ev, args):
    """CHOOSE(index_num, value1, ...): the index is truncated (1.9 is 1); below 1 or beyond the
    values #VALUE!; an array of indexes gives an array. The chosen value is handed on as it is, a
    reference included (``A9:CHOOSE(2,A10,A11)``, ``SUM(CHOOSE(2,A9:A10,A9:A11))``)."""
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


# ----------------------------------------------------------------------------- XLOOKUP, XMATCH

def _line(g):
    """A one-row or one-column grid as a list and its orientation ("col" or "row"), else None."""
    if not g:
        return None, None
    if len(g[0]) == 1:
        return [row[0] for row in g], "col"
    if len(g) == 1:
        return list(g[0]), "row"
    return None, None


def _xfind(ev, name, look, seq, match_mode: int, search_mode: int):
    """XLOOKUP/XMATCH's search: the 0-based position, None when not found, or an error.
    match_mode 0 exact, -1 exact or next smaller, 1 exact or next larger, 2 wildcards, 3 a regular
    expression (_regex_find). The next
    smaller or larger value is taken across types in Excel's order, numbers < text < FALSE <
    TRUE (the Excel-saved calc_tests__LOOKUP_AND_REFERENCE__XLOOKUP.xlsx: the next larger of 10
    among numbers, TRUE and "ala" is "ala", ReturnLarger!E8); among equal values the first in
    the search's direction (ReturnLarger!E6, F6); empty cells are skipped. Search
    first-to-last (1), last-to-first (-1), or binary (2 ascending, -2 descending) over sorted data
    (unsorted data is refused: Excel's answer then depends on its search)."""
    if look is None:
        return ev.unsupported(name, "an empty lookup value")
    order = [i for i in range(len(seq)) if seq[i] is not None and not isinstance(seq[i], XLError)]
    if search_mode == -1:
        order.reverse()
    if abs(search_mode) == 2:
        vals = [seq[i] for i in order]
        if any(x is None for x in seq[:order[-1] + 1] if order) or any(isinstance(x, XLError) for x in seq):
            return ev.unsupported(name, "binary search over blanks or errors")
        op = "<=" if search_mode == 2 else ">="
        if any(compare(op, a, b, ev.epoch) is not True for a, b in zip(vals, vals[1:])):
            return ev.unsupported(name, "binary search over unsorted values")
    if match_mode == 3:
        return _regex_find(ev, name, look, seq, order)
    if match_mode == 2 and _kind(look) == 1:
        pat = wildcard(look)
        for i in order:
            if _kind(seq[i]) == 1 and pat.match(seq[i]):
                return i
        return None
    if abs(search_mode) == 2:
        # binary search over sorted data, as Excel's lands on duplicates: on the data in
        # ascending order (a descending search reads it backwards) the first equal value, the
        # last of the largest smaller ones, or the first of the smallest larger ones (the
        # Excel-saved XLOOKUP.xlsx MultipleElements!E4:N10)
        if search_mode == -2:
            order.reverse()
        equal = [i for i in order if _kind(seq[i]) == _kind(look) and compare("=", seq[i], look, ev.epoch) is True]
        if equal:
            return equal[0]
        if match_mode == -1:
            smaller = [i for i in order if compare("<", seq[i], look, ev.epoch) is True]
            return smaller[-1] if smaller else None
        if match_mode == 1:
            larger = [i for i in order if compare(">", seq[i], look, ev.epoch) is True]
            return larger[0] if larger else None
        return None
    best = None
    for i in order:
        x = seq[i]
        if _kind(x) == _kind(look) and compare("=", x, look, ev.epoch) is True:
            best = i
            break
        if match_mode == -1 and compare("<", x, look, ev.epoch) is True:
            if best is None or compare(">", x, seq[best], ev.epoch) is True:
                best = i
        elif match_mode == 1 and compare(">", x, look, ev.epoch) is True:
            if best is None or compare("<", x, seq[best], ev.epoch) is True:
                best = i
    return best


def _regex_find(ev, name, look, seq, order):
    """match_mode 3 (Microsoft, "XLOOKUP function": "3 - Regex match"): the first text cell, in
    the search's order, that the pattern finds (regexp.regex_finds: taken only where a match of
    a part and of the whole cell, with and without case, agree). What the documentation leaves
    open is refused: a cell that is not text whose text the pattern would find, a pattern that
    finds empty text over empty cells, and a lookup value that is not text where a cell would
    match it (the Excel-saved calc_tests__LOOKUP_AND_REFERENCE__XMATCH.xlsx: XMATCH(42, {"apple";
    "bannana"}, 3) is #N/A, B14)."""
    from ..values import to_text
    from .regexp import Refused, regex_finds
    pattern = to_text(look, ev.epoch)
    try:
        if _kind(look) != 1:
            if any(_kind(x) == _kind(look) and compare("=", x, look, ev.epoch) is True for x in seq) or \
                    any(regex_finds(ev, name, pattern, to_text(x, ev.epoch)) for x in seq if _kind(x) in (0, 1, 2)):
                return ev.unsupported(name, "match_mode 3 with a lookup value that is not text")
            return None
        if any(x is None for x in seq) and regex_finds(ev, name, pattern, ""):
            return ev.unsupported(name, "match_mode 3: a pattern that finds empty text, over empty cells")
        for i in order:
            x = seq[i]
            if _kind(x) == 1:
                if regex_finds(ev, name, pattern, x):
                    return i
            elif _kind(x) in (0, 2) and regex_finds(ev, name, pattern, to_text(x, ev.epoch)):
                return ev.unsupported(name, "match_mode 3: a number or logical value the pattern would find as text")
        if any(isinstance(x, XLError) and regex_finds(ev, name, pattern, str(x)) for x in seq):
            return ev.unsupported(name, "match_mode 3: an error value the pattern would find as text")
    except Refused as exc:
        return ev.unsupported(name, f"match_mode 3: {exc}")
    return None


def _modes(ev, args, i_match, i_search):
    def opt(i, default):
        if len(args) <= i or args[i][1] is None:
            return default
        if is_grid(args[i][1]):              # Excel 365 lifts the function over them: not done here
            return ev.unsupported("XLOOKUP" if i_match == 4 else "XMATCH", "an array of match or search modes")
        v = to_number(args[i][1], ev.epoch)
        return v if isinstance(v, XLError) else int(v)
    m, s_ = opt(i_match, 0), opt(i_search, 1)
    if isinstance(m, XLError):
        return m, None
    if isinstance(s_, XLError):
        return s_, None
    if m not in (-1, 0, 1, 2, 3) or s_ not in (-2, -1, 1, 2):
        return VALUE, None
    if m == 3 and abs(s_) == 2:
        return ev.unsupported("XMATCH", "match_mode 3 (regular expressions) with a binary search"), None
    if m == 2 and abs(s_) == 2:
        return VALUE, None                 # wildcards cannot be binary-searched
    return m, s_


def _xlookup(ev, args):
    """XLOOKUP(lookup_value, lookup_array, return_array, [if_not_found], [match_mode=0],
    [search_mode=1]) (Microsoft, "XLOOKUP function"): the lookup array is one row or one column
    (else #VALUE!) as long as the return array along it (else #VALUE!); the result is the
    matching row (column) of the return array; not found is if_not_found, else #N/A; a
    match_mode or search_mode outside its values is #VALUE!. Exact matching ignores case and
    never converts types; wildcards only in match_mode 2."""
    if not 3 <= len(args) <= 6:
        return VALUE
    grids = range_args(ev, "XLOOKUP", args, (1, 2))
    if isinstance(grids, XLError):
        return grids
    look_g, ret = grids
    seq, orient = _line(look_g)
    if seq is None:
        return VALUE
    if orient == "col" and len(ret) != len(seq) or orient == "row" and len(ret[0]) != len(seq):
        return VALUE
    if isinstance(look_g, ClippedGrid) or isinstance(ret, ClippedGrid):
        if shape_of(look_g) != shape_of(ret) and orient == "col" and shape_of(look_g)[0] != shape_of(ret)[0]:
            return VALUE
    m, sm = _modes(ev, args, 4, 5)
    if isinstance(m, XLError):
        return m
    not_found = args[3][1] if len(args) > 3 and not (args[3][1] is None and not args[3][0]) else NA

    def blank(look_len):
        """An empty lookup value finds the first (last) empty cell, exactly (the Excel-saved
        XLOOKUP.xlsx ExactMatch!U12:V12); a range beyond the used area ends in empty cells."""
        if m != 0 or abs(sm) != 1:
            return ev.unsupported("XLOOKUP", "an empty lookup value with an approximate or binary search")
        empties = [i for i, x in enumerate(seq) if x is None]
        beyond = look_len > len(seq)
        if sm == 1:
            return empties[0] if empties else (len(seq) if beyond else None)
        return look_len - 1 if beyond else (empties[-1] if empties else None)

    def one(look):
        if isinstance(look, XLError):
            return look
        if look is None:
            true_len = shape_of(look_g)[0] if orient == "col" else shape_of(look_g)[1]
            pos = blank(true_len)
            if isinstance(pos, XLError):
                return pos
            if pos is not None and pos >= len(seq):
                return None              # an empty cell beyond the used area: its row is empty
        else:
            pos = _xfind(ev, "XLOOKUP", look, seq, m, sm)
        if isinstance(pos, XLError):
            return pos
        if pos is None:
            if isinstance(look_g, ClippedGrid) and m != 0:
                return ev.unsupported("XLOOKUP", "an approximate match over a range beyond the used area")
            return not_found
        if orient == "col":
            row = ret[pos] if pos < len(ret) else []
            out = [list(row) + [None] * (shape_of(ret)[1] - len(row))]
        else:
            out = [[r[pos] if pos < len(r) else None] for r in ret]
        if len(out) == 1 and len(out[0]) == 1:
            return out[0][0]
        return out
    look = args[0][1]
    if is_grid(look):
        res = [[one(x) for x in row] for row in look]
        if any(is_grid(x) for row in res for x in row):
            return ev.unsupported("XLOOKUP", "an array of lookup values returning rows")
        return res
    res = one(look)
    if is_grid(res) and getattr(ev, "implicit", False):
        return ev.unsupported("XLOOKUP", "a multi-cell result in a plain formula (Excel intersects the reference)")
    return res


def _xmatch(ev, args):
    """XMATCH(lookup_value, lookup_array, [match_mode=0], [search_mode=1]) (Microsoft, "XMATCH
    function"): the 1-based position, #N/A when not found; modes as XLOOKUP's; the lookup array
    is one row or one column."""
    if not 2 <= len(args) <= 4:
        return VALUE
    grids = range_args(ev, "XMATCH", args, (1,))
    if isinstance(grids, XLError):
        return grids
    seq, _ = _line(grids[0])
    if seq is None:
        return VALUE
    m, sm = _modes(ev, args, 2, 3)
    if isinstance(m, XLError):
        return m

    def one(look):
        if isinstance(look, XLError):
            return look
        pos = _xfind(ev, "XMATCH", look, seq, m, sm)
        if isinstance(pos, XLError):
            return pos
        return NA if pos is None else float(pos + 1)
    return grid_map(one, args[0][1])


def _hlookup(ev, args):
    """HLOOKUP(value, table, row_index, [range_lookup]): VLOOKUP across the first row;
    row_index < 1 is #VALUE!, beyond the table #REF!; not found #N/A."""
    if not 3 <= len(args) <= 4:
        return VALUE
    grids = range_args(ev, "HLOOKUP", args, (1,))
    if isinstance(grids, XLError):
        return grids
    g = grids[0]
    row = ev.scalar_number(args[2][1])
    if isinstance(row, XLError):
        return row
    approx = True
    if len(args) == 4 and args[3][1] is not None:
        approx = ev.scalar_bool(args[3][1])
        if isinstance(approx, XLError):
            return approx
    row = int(row)
    if row < 1:
        return VALUE
    if row > shape_of(g)[0]:
        return REF
    seq = list(g[0])

    def one(value):
        if isinstance(value, XLError):
            return value
        if value is None:
            return NA
        pos = find_sorted(ev, value, seq) if approx else find_exact(ev, value, seq)
        if isinstance(pos, XLError):
            return pos
        if pos is None:
            return NA
        return g[row - 1][pos] if row - 1 < len(g) and pos < len(g[row - 1]) else None
    return grid_map(one, args[0][1])


def _lookup(ev, args):
    """LOOKUP(lookup_value, lookup_vector, [result_vector]) in its vector form, and the array
    form over a one-row or one-column array: the last value <= lookup_value (sorted data, as
    find_sorted); below the first value #N/A; the array form searches the first row of an array
    wider than tall (else the first column) and answers from its last row (column)."""
    if len(args) not in (2, 3):
        return VALUE
    grids = range_args(ev, "LOOKUP", args, (1, 2) if len(args) == 3 else (1,))
    if isinstance(grids, XLError):
        return grids
    seq, _ = _line(grids[0])
    result = seq
    if seq is None:
        # the array form: search the first row of an array wider than tall (else the first
        # column), answer from the last row (column) (Microsoft, "LOOKUP function")
        g = grids[0]
        rows, cols = len(g), len(g[0])
        if cols > rows:
            seq, result = list(g[0]), list(g[-1])
        else:
            seq, result = [row[0] for row in g], [row[-1] for row in g]
    if len(args) == 3:
        result, _ = _line(grids[1])
        if result is None:
            return NA

    def one(value):
        if isinstance(value, XLError):
            return value
        if value is None:
            return NA
        pos = find_sorted(ev, value, seq)
        if isinstance(pos, XLError):
            return pos
        if pos is None:
            return NA
        return result[pos] if pos < len(result) else NA
    return grid_map(one, args[0][1])


FUNCTIONS = {
    "ROW": declare(_row_or_column(1), refs=ALL),
    "COLUMN": declare(_row_or_column(2), refs=ALL),
    "INDEX": declare(_index, ranges=0, array_mode=0, broadcast=(1, 2, 3), clip_safe=True, returns_ref=True),
    "MATCH": declare(_match, ranges=1, array_mode=1, broadcast=(0, 2), clip_safe=True),
    "VLOOKUP": declare(_vlookup, ranges=1, array_mode=1, broadcast=(0, 2, 3), clip_safe=True),
    "CHOOSE": declare(_choose, refs=REST, broadcast=0, returns_ref=True),
    "ROWS": declare(_rows, refs=ALL),
    "COLUMNS": declare(_columns, refs=ALL),
    "XLOOKUP": declare(_xlookup, array_mode=(1, 2), clip_safe=True),
    "XMATCH": declare(_xmatch, array_mode=1, clip_safe=True),
    "HLOOKUP": declare(_hlookup, array_mode=1, clip_safe=True),
    "LOOKUP": declare(_lookup, array_mode=(1, 2), clip_safe=True),
}
