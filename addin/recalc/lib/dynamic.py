"""Dynamic-array functions that return grids: SEQUENCE, TRANSPOSE, TAKE, DROP, CHOOSECOLS,
CHOOSEROWS, VSTACK, HSTACK, TOCOL, TOROW, WRAPROWS, WRAPCOLS, EXPAND, FILTER, UNIQUE, SORT,
SORTBY (Microsoft's page of each). Each cites the edge cases of its page it follows.

These return arrays, not references: in a plain (not dynamic-array) formula Excel shows an
array result's top-left value, which the evaluator does.
"""
from __future__ import annotations

import math

from ..parse import Rng
from ..values import NA, NUM, VALUE, XLError, compare, is_grid, to_bool, to_number
from .common import ALL, declare
from .criteria import Unordered, text_order
from .elementwise import grid_of, refuse_intersected
from .info import ERROR_NUMBERS

CALC = XLError("#CALC!")     # an empty array; Excel saves it as #VALUE! with the kind in xl/richData (vm=)


def calc_error(ev, name):
    """#CALC! for an empty array where Microsoft's page of the function does not say so (TOCOL
    with every value ignored, UNIQUE with no value once): recorded as unsupported."""
    ev.unsupported(name, "an empty array (#CALC! in Excel)")
    return CALC


def grid_result(ev, name, grid):
    """A grid result: 1x1 as its value; an empty one Excel's #CALC!. (In a plain formula the
    evaluator shows an array's top-left value, as Excel does for an array that is not a
    reference.)"""
    if isinstance(grid, XLError):
        return grid
    if not grid or not grid[0]:
        return calc_error(ev, name)
    if len(grid) == 1 and len(grid[0]) == 1:
        return grid[0][0]
    return grid


def _int_arg(ev, v, default=None):
    """An integer argument (truncated), ``default`` when omitted, or the error."""
    if v is None:
        return default
    if is_grid(v):
        if len(v) == 1 and len(v[0]) == 1:
            v = v[0][0]
        else:
            return VALUE
    n = to_number(v, ev.epoch)
    if isinstance(n, XLError):
        return n
    if not math.isfinite(n):
        return NUM
    return int(n)


def _sequence(ev, args):
    """SEQUENCE(rows, [columns=1], [start=1], [step=1]): rows x columns numbers row by row;
    rows or columns below 1 are #CALC! (0) or #VALUE! (negative)."""
    if not 1 <= len(args) <= 4:
        return VALUE
    rows = _int_arg(ev, args[0][1], 1)
    cols = _int_arg(ev, args[1][1] if len(args) > 1 else None, 1)
    for n in (rows, cols):
        if isinstance(n, XLError):
            return n
    start = to_number(args[2][1], ev.epoch) if len(args) > 2 and args[2][1] is not None else 1.0
    step = to_number(args[3][1], ev.epoch) if len(args) > 3 and args[3][1] is not None else 1.0
    for n in (start, step):
        if isinstance(n, XLError):
            return n
    if rows < 0 or cols < 0:
        return VALUE
    if rows == 0 or cols == 0:
        return CALC       # SEQUENCE(0,0) and SEQUENCE(0.3) (the Excel-saved SEQUENCE.xlsx C16, E18)
    if rows * cols > ev.caps.max_range_cells:
        return ev.unsupported("SEQUENCE", "more cells than the cap")
    return grid_result(ev, "SEQUENCE", [[start + step * (r * cols + c) for c in range(cols)] for r in range(rows)])


def _transpose(ev, args):
    """TRANSPOSE(array): rows become columns."""
    if len(args) != 1:
        return VALUE
    g = grid_of(args[0][1])
    return grid_result(ev, "TRANSPOSE", [list(col) for col in zip(*g)])


def _take_drop(take: bool):
    name = "TAKE" if take else "DROP"

    def run(ev, args):
        """TAKE / DROP(array, rows, [columns]): a positive count from the start, a negative from
        the end; TAKE of 0 rows or columns, or DROP of all, is #CALC! (an empty array); an
        omitted count keeps every row (column)."""
        if not 2 <= len(args) <= 3:
            return VALUE
        g = grid_of(args[0][1])
        r = _int_arg(ev, args[1][1], None)
        c = _int_arg(ev, args[2][1] if len(args) > 2 else None, None)
        for n in (r, c):
            if isinstance(n, XLError):
                return n

        def cut(seq, n):
            if n is None:
                return seq
            if take:
                return seq[:n] if n >= 0 else seq[len(seq) + n:] if -n < len(seq) else seq
            return seq[n:] if n >= 0 else seq[:len(seq) + n] if -n < len(seq) else []
        rows = cut(list(range(len(g))), r)
        cols = cut(list(range(len(g[0]))), c)
        if not rows or not cols:
            # "Excel returns a #CALC! error to indicate an empty array" (Microsoft's TAKE and DROP
            # pages; DROP_TAKE.xlsx C2, E2, F2, I2, L2)
            return CALC
        return grid_result(ev, name, [[g[i][j] for j in cols] for i in rows])
    return run


def _choose_lines(by_cols: bool):
    name = "CHOOSECOLS" if by_cols else "CHOOSEROWS"

    def run(ev, args):
        """CHOOSECOLS / CHOOSEROWS(array, num1, ...): 1-based, negative from the end; 0 or
        beyond the array is #VALUE!; an array of numbers picks several."""
        if len(args) < 2:
            return VALUE
        g = grid_of(args[0][1])
        n = len(g[0]) if by_cols else len(g)
        picks = []
        for _, v in args[1:]:
            for x in ([y for row in v for y in row] if is_grid(v) else [v]):
                k = _int_arg(ev, x, None)
                if k is None:
                    return VALUE
                if isinstance(k, XLError):
                    return k
                if k == 0 or abs(k) > n:
                    return VALUE
                picks.append(k - 1 if k > 0 else n + k)
        if by_cols:
            return grid_result(ev, name, [[row[j] for j in picks] for row in g])
        return grid_result(ev, name, [list(g[i]) for i in picks])
    return run


def _stack(vertical: bool):
    name = "VSTACK" if vertical else "HSTACK"

    def run(ev, args):
        """VSTACK / HSTACK(array1, ...): arrays appended below (beside) one another, the
        narrower (shorter) padded with #N/A."""
        if not args:
            return VALUE
        grids = [grid_of(a[1]) for a in args]
        if vertical:
            width = max(len(g[0]) for g in grids)
            out = [list(row) + [NA] * (width - len(row)) for g in grids for row in g]
        else:
            height = max(len(g) for g in grids)
            out = [[] for _ in range(height)]
            for g in grids:
                w = len(g[0])
                for r in range(height):
                    out[r].extend(g[r] if r < len(g) else [NA] * w)
        return grid_result(ev, name, [[0.0 if x is None else x for x in row] for row in out])
    return run


def _to_line(as_col: bool):
    name = "TOCOL" if as_col else "TOROW"

    def run(ev, args):
        """TOCOL / TOROW(array, [ignore=0], [scan_by_column=FALSE]): the values in one column
        (row), row by row or column by column; ignore 1 skips blanks, 2 errors, 3 both; another
        ignore is #VALUE!."""
        if not 1 <= len(args) <= 3:
            return VALUE
        g = grid_of(args[0][1])
        ignore = _int_arg(ev, args[1][1] if len(args) > 1 else None, 0)
        if isinstance(ignore, XLError):
            return ignore
        by_col = to_bool(args[2][1]) if len(args) > 2 and args[2][1] is not None else False
        if isinstance(by_col, XLError):
            return by_col
        if ignore not in (0, 1, 2, 3):
            return VALUE
        cells = [g[r][c] for c in range(len(g[0])) for r in range(len(g))] if by_col else \
            [x for row in g for x in row]
        if ignore in (1, 3):
            cells = [x for x in cells if x is not None]
        if ignore in (2, 3):
            cells = [x for x in cells if not isinstance(x, XLError)]
        cells = [0.0 if x is None else x for x in cells]
        return grid_result(ev, name, [[x] for x in cells] if as_col else [cells])
    return run


def _wrap(rows_first: bool):
    name = "WRAPROWS" if rows_first else "WRAPCOLS"

    def run(ev, args):
        """WRAPROWS / WRAPCOLS(vector, wrap_count, [pad_with=#N/A]): a one-row or one-column
        vector in rows (columns) of wrap_count values, the last padded; a vector shorter than
        wrap_count stays one line (WRAPCOLS(FALSE,2) is FALSE alone: the Excel-saved
        calc_tests__LOOKUP_AND_REFERENCE__WRAPCOLS_ROWS.xlsx A17:A18); a two-dimensional array
        is #VALUE!, a wrap_count below 1 #NUM!."""
        if not 2 <= len(args) <= 3:
            return VALUE
        g = grid_of(args[0][1])
        if len(g) > 1 and len(g[0]) > 1:
            return VALUE
        vec = [x for row in g for x in row]
        n = _int_arg(ev, args[1][1], None)
        if n is None:
            return VALUE
        if isinstance(n, XLError):
            return n
        if n < 1:
            return NUM
        pad = args[2][1] if len(args) > 2 and args[2][1] is not None else NA
        n = min(n, len(vec))             # a vector shorter than wrap_count is one unpadded line
        lines = [vec[i:i + n] for i in range(0, len(vec), n)]
        lines = [line + [pad] * (n - len(line)) for line in lines]
        out = lines if rows_first else [list(col) for col in zip(*lines)]
        return grid_result(ev, name, [[0.0 if x is None else x for x in row] for row in out])
    return run


def _expand(ev, args):
    """EXPAND(array, rows, [columns], [pad_with=#N/A]): the array enlarged; an omitted count
    keeps the size; a count below the array's is #VALUE!."""
    if not 2 <= len(args) <= 4:
        return VALUE
    g = grid_of(args[0][1])
    r = _int_arg(ev, args[1][1], len(g))
    c = _int_arg(ev, args[2][1] if len(args) > 2 else None, len(g[0]))
    for n in (r, c):
        if isinstance(n, XLError):
            return n
    if r < len(g) or c < len(g[0]):
        return VALUE
    if r * c > ev.caps.max_range_cells:
        return ev.unsupported("EXPAND", "more cells than the cap")
    pad = args[3][1] if len(args) > 3 and args[3][1] is not None else NA
    out = [[(g[i][j] if i < len(g) and j < len(g[0]) else pad) for j in range(c)] for i in range(r)]
    return grid_result(ev, "EXPAND", [[0.0 if x is None else x for x in row] for row in out])


def _filter(ev, args):
    """FILTER(array, include, [if_empty]): the rows (include a column as tall as the array) or
    columns (include a row as wide) whose include value is TRUE or a non-zero number; an error
    in include is returned; an include of another shape is #VALUE!; nothing kept is if_empty,
    or #CALC! without it."""
    if not 2 <= len(args) <= 3:
        return VALUE
    g = grid_of(args[0][1])
    inc = grid_of(args[1][1])
    if len(inc[0]) == 1 and len(inc) == len(g):
        flags, by_rows = [row[0] for row in inc], True
    elif len(inc) == 1 and len(inc[0]) == len(g[0]):
        flags, by_rows = list(inc[0]), False
    else:
        return VALUE
    keep = []
    for i, f in enumerate(flags):
        if isinstance(f, XLError):
            return f
        if f is None:
            continue
        b = to_bool(f)
        if isinstance(b, XLError):
            return b
        if b:
            keep.append(i)
    if not keep:
        if len(args) == 3 and not (args[2][1] is None and not args[2][0]):
            return args[2][1]
        return CALC       # Microsoft's FILTER page; FILTER_ERRORS.xlsx E1
    out = [list(g[i]) for i in keep] if by_rows else [[row[j] for j in keep] for row in g]
    return grid_result(ev, "FILTER", [[0.0 if x is None else x for x in row] for row in out])


def _same(a, b, epoch) -> bool:
    """UNIQUE's equality: Excel's = (text without case), within one type."""
    if isinstance(a, XLError) or isinstance(b, XLError):
        return isinstance(a, XLError) and isinstance(b, XLError) and str(a) == str(b)
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) != isinstance(b, bool) or isinstance(a, str) != isinstance(b, str):
        return False
    return compare("=", a, b, epoch) is True


def _unique(ev, args):
    """UNIQUE(array, [by_col=FALSE], [exactly_once=FALSE]): the distinct rows (columns) in order
    of first appearance, compared without case; exactly_once keeps those that occur once."""
    if not 1 <= len(args) <= 3:
        return VALUE
    g = grid_of(args[0][1])
    by_col = to_bool(args[1][1]) if len(args) > 1 and args[1][1] is not None else False
    once = to_bool(args[2][1]) if len(args) > 2 and args[2][1] is not None else False
    for b in (by_col, once):
        if isinstance(b, XLError):
            return b
    lines = [list(col) for col in zip(*g)] if by_col else [list(row) for row in g]
    groups: list[list] = []
    for line in lines:
        for grp in groups:
            if all(_same(x, y, ev.epoch) for x, y in zip(grp[0], line)):
                grp.append(line)
                break
        else:
            groups.append([line])
    kept = [grp[0] for grp in groups if not once or len(grp) == 1]
    if not kept:
        return calc_error(ev, "UNIQUE")
    out = [list(col) for col in zip(*kept)] if by_col else kept
    return grid_result(ev, "UNIQUE", [[0.0 if x is None else x for x in row] for row in out])


def _sort_key(ev, name, values):
    """Sort keys in Excel's order, as the Excel-saved calc_tests__LOOKUP_AND_REFERENCE__SORT.xlsx
    shows it (columns D and E): numbers, text without case (digits before letters), logical
    values, then errors by their ERROR.TYPE number; empty cells last whichever the direction;
    text whose order is uncertain is refused (criteria.text_order)."""
    keys = []
    for v in values:
        if v is None:
            keys.append((4, 0))
        elif isinstance(v, XLError):
            n = ERROR_NUMBERS.get(str(v))
            if n is None:
                raise Unordered
            keys.append((3, n))
        elif isinstance(v, bool):
            keys.append((2, int(v)))
        elif isinstance(v, str):
            keys.append((1, v))
        else:
            keys.append((0, to_number(v, ev.epoch)))
    return keys


def _less(a, b) -> bool:
    if a[0] != b[0]:
        return a[0] < b[0]
    if a[0] == 1:
        return text_order(a[1], b[1]) < 0
    return a[1] < b[1]


class _Key:
    """A sort key, descending when ``desc`` (Python's sort stays stable either way); an empty
    cell sorts last in both directions."""

    __slots__ = ("k", "desc")

    def __init__(self, k, desc):
        self.k, self.desc = k, desc

    def __lt__(self, other):
        a_blank, b_blank = self.k[0] == 4, other.k[0] == 4
        if a_blank or b_blank:
            return b_blank and not a_blank
        return _less(other.k, self.k) if self.desc else _less(self.k, other.k)


def _sorted_lines(ev, name, lines, key_lines, orders):
    try:
        keys = [_sort_key(ev, name, kl) for kl in key_lines]      # one key list per sort level
        idx = list(range(len(lines)))
        for keylist, desc in reversed(list(zip(keys, orders))):
            idx.sort(key=lambda i: _Key(keylist[i], desc))
    except Unordered:
        return ev.unsupported(name, "text of uncertain order among the sort keys")
    return [lines[i] for i in idx]


def _sort(ev, args):
    """SORT(array, [sort_index=1], [sort_order=1], [by_col=FALSE]): a stable sort of the rows
    (columns) by the sort_index-th column (row), ascending (1) or descending (-1); a sort_index
    beyond the array or another sort_order is #VALUE!."""
    if not 1 <= len(args) <= 4:
        return VALUE
    g = grid_of(args[0][1])
    idx = _int_arg(ev, args[1][1] if len(args) > 1 else None, 1)
    order = _int_arg(ev, args[2][1] if len(args) > 2 else None, 1)
    by_col = to_bool(args[3][1]) if len(args) > 3 and args[3][1] is not None else False
    for v in (idx, order, by_col):
        if isinstance(v, XLError):
            return v
    if order not in (1, -1):
        return VALUE
    lines = [list(col) for col in zip(*g)] if by_col else [list(row) for row in g]
    if not 1 <= idx <= len(lines[0]):
        return VALUE
    out = _sorted_lines(ev, "SORT", lines, [[line[idx - 1] for line in lines]], [order == -1])
    if isinstance(out, XLError):
        return out
    if by_col:
        out = [list(col) for col in zip(*out)]
    return grid_result(ev, "SORT", out)


def _sortby(ev, args):
    """SORTBY(array, by_array1, [sort_order1], ...): a stable sort of the rows by one-column
    arrays as tall as the array (or of the columns by one-row arrays as wide); other shapes are
    #VALUE!; a sort order other than 1 or -1 #VALUE!."""
    if len(args) < 2:
        return VALUE
    g = grid_of(args[0][1])
    keys, orders, by_col = [], [], None
    rest = args[1:]
    for i in range(0, len(rest), 2):
        by = grid_of(rest[i][1])
        order = _int_arg(ev, rest[i + 1][1], 1) if i + 1 < len(rest) else 1
        if isinstance(order, XLError):
            return order
        if order not in (1, -1):
            return VALUE
        if len(by[0]) == 1 and len(by) == len(g) and by_col is not True:
            keys.append([row[0] for row in by])
            by_col = False
        elif len(by) == 1 and len(by[0]) == len(g[0]) and by_col is not False:
            keys.append(list(by[0]))
            by_col = True
        else:
            return VALUE
        orders.append(order == -1)
    lines = [list(col) for col in zip(*g)] if by_col else [list(row) for row in g]
    out = _sorted_lines(ev, "SORTBY", lines, keys, orders)
    if isinstance(out, XLError):
        return out
    if by_col:
        out = [list(col) for col in zip(*out)]
    return grid_result(ev, "SORTBY", out)


def _mmult(ev, args):
    """MMULT(array1, array2): the matrix product; array1's columns must equal array2's rows, and
    every entry be a number (an empty cell or text is #VALUE!); an error entry is returned."""
    if len(args) != 2:
        return VALUE
    a, b = grid_of(args[0][1]), grid_of(args[1][1])
    if len(a[0]) != len(b):
        return VALUE
    for g in (a, b):
        for row in g:
            for x in row:
                if isinstance(x, XLError):
                    return x
                if x is None or isinstance(x, (bool, str)):
                    return VALUE
    bt = list(zip(*b))
    out = [[math.fsum(to_number(x, ev.epoch) * to_number(y, ev.epoch) for x, y in zip(row, col)) for col in bt]
           for row in a]
    if any(not math.isfinite(x) for row in out for x in row):
        return NUM                       # an overflow is #NUM! for the whole product (MMULT.xlsx E30)
    return grid_result(ev, "MMULT", out)


def _square(ev, args):
    """The numbers of a square array argument, or #VALUE! (not square, a blank or text)."""
    if len(args) != 1:
        return VALUE
    g = grid_of(args[0][1])
    if len(g) != len(g[0]):
        return VALUE
    out = []
    for row in g:
        line = []
        for x in row:
            if isinstance(x, XLError):
                return x
            if x is None or isinstance(x, (bool, str)):
                return VALUE
            line.append(to_number(x, ev.epoch))
        out.append(line)
    return out


def _lu(a):
    """Gaussian elimination with partial pivoting: (the reduced matrix, the row swaps' sign), or
    None for a singular matrix."""
    n = len(a)
    a = [row[:] for row in a]
    sign = 1.0
    for k in range(n):
        p = max(range(k, n), key=lambda i: abs(a[i][k]))
        if a[p][k] == 0:
            return None, 0.0
        if p != k:
            a[k], a[p] = a[p], a[k]
            sign = -sign
        for i in range(k + 1, n):
            f = a[i][k] / a[k][k]
            for j in range(k, n):
                a[i][j] -= f * a[k][j]
    return a, sign


def _mdeterm(ev, args):
    """MDETERM(array): the determinant of a square array of numbers (#VALUE! otherwise)."""
    a = _square(ev, args)
    if isinstance(a, XLError):
        return a
    u, sign = _lu(a)
    if u is None:
        return 0.0
    return sign * math.prod(u[i][i] for i in range(len(u)))


def _minverse(ev, args):
    """MINVERSE(array): the inverse of a square array of numbers (#VALUE! otherwise); a
    singular matrix is #NUM!."""
    a = _square(ev, args)
    if isinstance(a, XLError):
        return a
    n = len(a)
    m = [row[:] + [1.0 if i == j else 0.0 for j in range(n)] for i, row in enumerate(a)]
    for k in range(n):
        p = max(range(k, n), key=lambda i: abs(m[i][k]))
        if m[p][k] == 0:
            return NUM
        m[k], m[p] = m[p], m[k]
        piv = m[k][k]
        m[k] = [x / piv for x in m[k]]
        for i in range(n):
            if i != k and m[i][k] != 0:
                f = m[i][k]
                m[i] = [x - f * y for x, y in zip(m[i], m[k])]
    inv = [row[n:] for row in m]
    scale = max(abs(x) for row in inv for x in row)
    if any(0 < abs(x) < 1e-12 * scale for row in inv for x in row):
        # an entry that is rounding noise around 0: Excel's elimination leaves other noise
        # (-4.44E-17 where this gives -5.55E-17: MUNIT_MDETERM_MINVERSE.xlsx B27)
        return ev.unsupported("MINVERSE", "an entry that is rounding noise around 0")
    return grid_result(ev, "MINVERSE", inv)


def _munit(ev, args):
    """MUNIT(dimension): the identity matrix; a dimension below 1 is #VALUE!."""
    if len(args) != 1:
        return VALUE
    n = _int_arg(ev, args[0][1], None)
    if n is None:
        return VALUE
    if isinstance(n, XLError):
        return n
    if n < 1:
        return VALUE
    if n * n > ev.caps.max_range_cells:
        return ev.unsupported("MUNIT", "more cells than the cap")
    return grid_result(ev, "MUNIT", [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)])


def _trim_mode(ev, arg):
    """A trim_rows / trim_cols argument: 0 none, 1 leading, 2 trailing, 3 both (the default)."""
    if arg is None:
        return 3
    if arg[1] is None and not arg[0]:
        return ev.unsupported("TRIMRANGE", "an empty trim_rows or trim_cols")
    if isinstance(arg[1], list):          # Excel 365 lifts TRIMRANGE over an array of them
        return ev.unsupported("TRIMRANGE", "an array trim argument")
    n = _int_arg(ev, arg[1], None)
    if isinstance(n, XLError):
        return n
    if n not in (0, 1, 2, 3):
        return ev.unsupported("TRIMRANGE", f"trim_rows or trim_cols {n}")
    return n


def _kept(lines, mode):
    """(first, last) index of the lines kept: blank lines (flags False) trimmed at the leading
    (mode 1), trailing (2) or both (3) edges; None when every line is blank and one is trimmed."""
    full = [i for i, filled in enumerate(lines) if filled]
    if not full:
        return None if mode else (0, len(lines) - 1)
    return (full[0] if mode in (1, 3) else 0), (full[-1] if mode in (2, 3) else len(lines) - 1)


def trimrange(ev, args, name="TRIMRANGE"):
    """TRIMRANGE(range, [trim_rows=3], [trim_cols=3]): the range (or array) without the blank
    rows and columns at its edges, found by scanning in from each edge to the first non-blank
    cell; a reference stays a reference (Microsoft's TRIMRANGE page; the Excel-saved
    calc_tests__LOOKUP_AND_REFERENCE__TRIMRANGE.xlsx: TRIMRANGE(A3:C22) is A3:B9 (E3:F9) and
    TRIMRANGE(H:H) H3:H5 (J3:J5, SUM of it 6 in K3)). Text "" at an edge (blank to some
    functions, not to others) and a range with nothing in it are not read here."""
    if not 1 <= len(args) <= 3:
        return VALUE
    rows_mode = _trim_mode(ev, args[1] if len(args) > 1 else None)
    cols_mode = _trim_mode(ev, args[2] if len(args) > 2 else None)
    for n in (rows_mode, cols_mode):
        if isinstance(n, XLError):
            return n
    src = args[0][1]
    if isinstance(src, XLError):
        return src
    if isinstance(src, Rng):
        grid = ev.grid(src)
        if isinstance(grid, XLError):
            return grid
    else:
        grid = grid_of(src)
    bounds = []
    for empty_text_blank in (False, True):
        def filled(x):
            return x is not None and not (empty_text_blank and x == "" and not isinstance(x, XLError))
        height = src.r2 - src.r1 + 1 if isinstance(src, Rng) else len(grid)
        width = src.c2 - src.c1 + 1 if isinstance(src, Rng) else len(grid[0])
        row_flags = [any(filled(x) for x in grid[r]) if r < len(grid) else False for r in range(height)]
        col_flags = [any(c < len(row) and filled(row[c]) for row in grid) for c in range(width)]
        bounds.append((_kept(row_flags, rows_mode), _kept(col_flags, cols_mode)))
    if bounds[0] != bounds[1]:
        return ev.unsupported(name, 'text "" at an edge of the range')
    (rows, cols) = bounds[0]
    if rows is None or cols is None:
        return ev.unsupported(name, "a range with every cell blank")
    (r1, r2), (c1, c2) = rows, cols
    if isinstance(src, Rng):
        return Rng(src.sheet, src.r1 + r1, src.c1 + c1, src.r1 + r2, src.c1 + c2)
    return grid_result(ev, name, [list(row[c1:c2 + 1]) for row in grid[r1:r2 + 1]])


FUNCTIONS = {
    "MMULT": _mmult,
    "MUNIT": _munit,
    "MDETERM": _mdeterm,
    "MINVERSE": _minverse,
    "SEQUENCE": _sequence,
    "TRANSPOSE": _transpose,
    "TAKE": _take_drop(True),
    "DROP": _take_drop(False),
    "CHOOSECOLS": _choose_lines(True),
    "CHOOSEROWS": _choose_lines(False),
    "VSTACK": _stack(True),
    "HSTACK": _stack(False),
    "TOCOL": _to_line(True),
    "TOROW": _to_line(False),
    "WRAPROWS": _wrap(True),
    "WRAPCOLS": _wrap(False),
    "EXPAND": _expand,
    "FILTER": _filter,
    "UNIQUE": _unique,
    "SORT": _sort,
    "SORTBY": _sortby,
}

# the array arguments of each function (the others are counts and flags)
_ARRAYS = {"MMULT": {0, 1}, "MDETERM": {0}, "MINVERSE": {0}, "TRANSPOSE": {0}, "TAKE": {0}, "DROP": {0},
           "CHOOSECOLS": {0}, "CHOOSEROWS": {0}, "VSTACK": None, "HSTACK": None, "TOCOL": {0}, "TOROW": {0},
           "WRAPROWS": {0}, "WRAPCOLS": {0}, "EXPAND": {0}, "FILTER": {0, 1}, "UNIQUE": {0}, "SORT": {0},
           "SORTBY": {0} | set(range(1, 255, 2))}


def _guarded(name, fn, positions):
    def run(ev, args):
        refused = refuse_intersected(ev, name, args, positions)
        return refused if refused else fn(ev, args)
    run.__doc__ = fn.__doc__
    return run


# every argument is passed whole and evaluated as an array, even in a plain formula
FUNCTIONS = {name: declare(_guarded(name, fn, _ARRAYS[name]) if name in _ARRAYS else fn, array_mode=ALL)
             for name, fn in FUNCTIONS.items()}
# TRIMRANGE takes its range as a reference and gives one back (a trimmed array for an array)
FUNCTIONS["TRIMRANGE"] = declare(trimrange, refs=0, returns_ref=True)


def _trim_ref(mode: float, name: str):
    def run(ev, args):
        """A trim reference, which Excel stores as a function: ``A1.:.E10`` is
        ``_xlfn._TRO_ALL(A1:E10)``, ``A1:.E10`` ``_TRO_TRAILING``, ``A1.:E10`` ``_TRO_LEADING``;
        each is TRIMRANGE with that mode on both axes (Microsoft's TRIMRANGE page, "Trim
        References")."""
        if len(args) != 1:
            return VALUE
        return trimrange(ev, [args[0], (False, mode), (False, mode)], name)
    return declare(run, refs=0, returns_ref=True)


FUNCTIONS["_TRO_ALL"] = _trim_ref(3.0, "A1.:.E10")
FUNCTIONS["_TRO_LEADING"] = _trim_ref(1.0, "A1.:E10")
FUNCTIONS["_TRO_TRAILING"] = _trim_ref(2.0, "A1:.E10")
