"""Logical functions. Each cites the edge cases of Excel's documentation it follows."""
from __future__ import annotations

from ..parse import Rng
from ..values import NA, VALUE, XLError, compare, flatten, is_grid, to_bool, to_number
from .common import ALL, declare, scalar_fn
from .elementwise import broadcast_all, refuse_intersected


def _if(ev, args):
    """IF(logical_test, [value_if_true], [value_if_false]): with arrays, every argument
    broadcasts (Excel's rule: ``IF({TRUE,FALSE},{1,2,3},{10,11,12})`` is ``{1,11,#N/A}``, the
    positions beyond the shorter array #N/A); a missing value_if_false is FALSE, an empty
    chosen value 0."""
    if not 1 <= len(args) <= 3:
        return VALUE
    yes = args[1][1] if len(args) > 1 else True
    no = args[2][1] if len(args) > 2 else False

    def pick(c, y, n):
        b = to_bool(c)
        if isinstance(b, XLError):
            return b
        v = y if b else n
        return 0.0 if v is None else v
    cond = args[0][1]
    if not is_grid(cond):
        v = yes if not isinstance(to_bool(cond), XLError) and to_bool(cond) else no
        return to_bool(cond) if isinstance(to_bool(cond), XLError) else (0.0 if v is None else v)
    return broadcast_all(pick, [cond, yes, no])


def _replace_errors(value, alt, hit):
    """``value`` with the errors ``hit`` selects replaced by ``alt``. Over an array value the two
    broadcast as Excel's arrays do: a single row or column is repeated, a position beyond the
    value is #N/A, and value_if_error is read only where the value is an error (#N/A beyond it;
    C51, ``IFERROR(G4:G7/H4:H7, G12:G13)``, is 10) (the Excel-saved calc_tests__LOGICAL__IFERROR.xlsx:
    ``IFERROR({1;0;2}/{0;0;0}, {7,8})`` fills C53:D55 with 7 and 8 in each row;
    ``IFERROR(7, G12:G14)`` is 7 alone, C41 empty); an empty replacement is 0."""
    def fix(v, a):
        return (0.0 if a is None else a) if isinstance(v, XLError) and hit(v) else v
    if not is_grid(value):
        return fix(value, alt)
    g = alt if is_grid(alt) else [[alt]]

    def inside(grid, r, c):
        return (len(grid) == 1 or r < len(grid)) and (len(grid[0]) == 1 or c < len(grid[0]))

    def at(grid, r, c):
        return grid[0 if len(grid) == 1 else r][0 if len(grid[0]) == 1 else c]
    rows, cols = max(len(value), len(g)), max(len(value[0]), len(g[0]))

    def one(r, c):
        if not inside(value, r, c):
            return NA
        v = at(value, r, c)
        return fix(v, at(g, r, c) if inside(g, r, c) else NA)   # value_if_error read only where needed
    return [[one(r, c) for c in range(cols)] for r in range(rows)]


def _iferror(ev, args):
    """IFERROR(value, value_if_error): an error is replaced, an array element by element (see
    _replace_errors)."""
    if len(args) != 2:
        return VALUE
    return _replace_errors(args[0][1], args[1][1], lambda e: True)


def _ifna(ev, args):
    """IFNA(value, value_if_na): only #N/A is replaced (other errors pass), as IFERROR does."""
    if len(args) != 2:
        return VALUE
    return _replace_errors(args[0][1], args[1][1], lambda e: str(e) == "#N/A")


def _logical(kind):
    def run(ev, args):
        """AND / OR / XOR(logical1, ...): in references and arrays, text and empty cells are
        ignored; a typed "TRUE"/"FALSE" counts, a typed "" is ignored; no logical value at all
        is #VALUE!; an error is returned (the Excel-saved calc_tests__LOGICAL__AND_OR_XOR.xlsx:
        ``OR("", TRUE)`` TRUE (C52), ``OR("")`` and ``OR("0")`` #VALUE! (C46, C49), ``OR(Z99)``
        of an empty cell #VALUE! (C54)). XOR is TRUE when an odd number of values are TRUE.
        Other typed text beside logical values is not supported (Excel's answer unrecorded)."""
        if kind == "XOR":
            refused = refuse_intersected(ev, kind, args)
            if refused:
                return refused
        vals = []
        odd_text = False
        for is_ref, v in args:
            for x in (flatten([v]) if is_grid(v) else [v]):
                if isinstance(x, XLError):
                    return x
                if x is None:
                    continue
                if isinstance(x, str):
                    if is_grid(v) or is_ref:
                        continue
                    if x.upper() in ("TRUE", "FALSE"):
                        vals.append(x.upper() == "TRUE")
                    elif x != "":
                        odd_text = True
                    continue
                b = to_bool(x)
                if isinstance(b, XLError):
                    return b
                vals.append(b)
        if not vals:
            return VALUE
        if odd_text:
            return ev.unsupported(kind, "typed text beside logical values")
        if kind == "AND":
            return all(vals)
        if kind == "OR":
            return any(vals)
        return sum(vals) % 2 == 1
    return run


def _ifs(ev, args):
    """IFS(logical_test1, value1, ...): the value of the first TRUE test; no TRUE test is #N/A;
    a test that is not logical (text) is #VALUE!; an odd number of arguments is an error
    ("You entered too few arguments"); arrays broadcast."""
    if len(args) < 2 or len(args) % 2:
        return VALUE

    def one(*xs):
        for i in range(0, len(xs), 2):
            b = to_bool(xs[i])
            if isinstance(b, XLError):
                return b
            if b:
                return 0.0 if xs[i + 1] is None else xs[i + 1]
        return NA
    return broadcast_all(one, [a[1] for a in args])


def _switch(ev, args):
    """SWITCH(expression, value1, result1, ..., [default]): the result of the first value equal
    to the expression (Excel's = comparison: text without case); none equal is the default, or
    #N/A without one; an error expression is returned."""
    if len(args) < 3:
        return VALUE
    has_default = len(args) % 2 == 0

    def one(*xs):
        expr = xs[0]
        if isinstance(expr, XLError):
            return expr
        pairs = xs[1:-1] if has_default else xs[1:]
        for i in range(0, len(pairs), 2):
            if isinstance(pairs[i], XLError):
                return pairs[i]
            if compare("=", expr, pairs[i], ev.epoch) is True and type(pairs[i]) is not bool \
                    or (isinstance(pairs[i], bool) and isinstance(expr, bool) and expr == pairs[i]):
                return 0.0 if pairs[i + 1] is None else pairs[i + 1]
        if has_default:
            return 0.0 if xs[-1] is None else xs[-1]
        return NA
    return broadcast_all(one, [a[1] for a in args])


# ----------------------------------------------------------------------------- LAMBDA helpers
#
# BYROW, BYCOL, MAKEARRAY, MAP, REDUCE and SCAN call a LAMBDA (``ev.call_lambda``) over an array.
# Over a range, each call receives references (a row, a column, a cell) as Excel's do, so that an
# empty cell is empty and ROW() or ISREF() of a parameter reads as in Excel.

LAMBDA_CALLS = 200_000       # calls one formula may make; beyond, refused in its cell


def _lambda_arg(ev, name, v, count):
    """The LAMBDA argument, to be called with ``count`` arguments, or the error to return: an
    error value in its place is not read; any other value, or a LAMBDA of another number of
    parameters, is #VALUE! ("Providing an invalid LAMBDA function or an incorrect number of
    parameters returns a #VALUE! error", Microsoft's page of each helper)."""
    if hasattr(v, "lam"):                # a LAMBDA value (the evaluator's closure)
        return v if ev.lambda_takes(v, count) else VALUE
    if isinstance(v, XLError):
        return v if ev.current in ev.result.unsupported else ev.unsupported(name, "an error value in place of a LAMBDA")
    return VALUE


def _shape(v):
    """(rows, columns) of an array argument: a reference's, a grid's, 1x1 for a value."""
    if isinstance(v, Rng):
        return v.r2 - v.r1 + 1, v.c2 - v.c1 + 1
    if is_grid(v):
        return len(v), max((len(r) for r in v), default=0)
    return 1, 1


def _part(v, r1, c1, r2, c2):
    """Rows r1..r2, columns c1..c2 (0-based) of an array argument: a reference stays one, a
    grid's part is a grid (a single cell of it its value)."""
    if isinstance(v, Rng):
        return Rng(v.sheet, v.r1 + r1, v.c1 + c1, v.r1 + r2, v.c1 + c2)
    if not is_grid(v):
        return v
    if r1 == r2 and c1 == c2:
        return v[r1][c1]
    return [list(row[c1:c2 + 1]) for row in v[r1:r2 + 1]]


def _too_many(ev, name, calls):
    if calls > LAMBDA_CALLS:
        return ev.unsupported(name, f"more than {LAMBDA_CALLS:,} LAMBDA calls (the cap)")
    return None


def _single(ev, name, v):
    """One LAMBDA call's result where one value is expected: a reference its value; an array of
    more than one value is Excel's #CALC! ("anything but a single value returned from the LAMBDA
    function returns a #CALC error", Microsoft's BYROW page), not read here."""
    if isinstance(v, Rng):
        v = ev.deref(v, v.sheet)
    if is_grid(v):
        if len(v) == 1 and len(v[0]) == 1:
            return v[0][0]
        return ev.unsupported(name, "a LAMBDA that returns an array (#CALC! in Excel)")
    return v


def _by_lines(by_cols: bool):
    name = "BYCOL" if by_cols else "BYROW"

    def run(ev, args):
        """BYROW / BYCOL(array, lambda(row)): the LAMBDA applied to each row (column), the results
        in one column (row): BYROW(A1:C2, LAMBDA(array, MAX(array))) is the maximum of each row
        (Microsoft's BYROW and BYCOL pages; the Excel-saved calc_tests__LOGICAL__BYCOL_BYROW.xlsx
        A6:A7 and D8:F8)."""
        if len(args) != 2:
            return VALUE
        arr = args[0][1]
        fn = _lambda_arg(ev, name, args[1][1], 1)
        if isinstance(fn, XLError):
            return fn
        if isinstance(arr, XLError):
            return arr
        rows, cols = _shape(arr)
        n = cols if by_cols else rows
        refused = _too_many(ev, name, n)
        if refused:
            return refused
        out = []
        for i in range(n):
            line = _part(arr, 0, i, rows - 1, i) if by_cols else _part(arr, i, 0, i, cols - 1)
            if not isinstance(line, Rng) and not is_grid(line):
                line = [[line]]          # a one-cell row of an array is still an array
            out.append(_single(ev, name, ev.call_lambda(fn, [line])))
        return [out] if by_cols else [[x] for x in out]
    return run


def _makearray(ev, args):
    """MAKEARRAY(rows, cols, lambda(row, col)): a rows x cols array of the LAMBDA's value at each
    (row, col), counted from 1: MAKEARRAY(3,3,LAMBDA(r,c,r*c)) is a multiplication table; a row
    or column count below 1 or not a number is #VALUE! (Microsoft's MAKEARRAY page)."""
    if len(args) != 3:
        return VALUE
    fn = _lambda_arg(ev, "MAKEARRAY", args[2][1], 2)
    if isinstance(fn, XLError):
        return fn
    counts = []
    for _, v in args[:2]:
        if is_grid(v):
            return ev.unsupported("MAKEARRAY", "an array of row or column counts")
        if isinstance(v, XLError):
            return v
        if isinstance(v, bool):
            return ev.unsupported("MAKEARRAY", "a logical value as a row or column count")
        n = to_number(v, ev.epoch)
        if isinstance(n, XLError):
            return VALUE                 # "a non-number returns a #VALUE! error"
        if isinstance(v, str):
            return ev.unsupported("MAKEARRAY", "a number typed as text as a row or column count")
        if n < 1:
            return VALUE
        if n != int(n):
            return ev.unsupported("MAKEARRAY", "a fractional row or column count")
        counts.append(int(n))
    rows, cols = counts
    refused = _too_many(ev, "MAKEARRAY", rows * cols)
    if refused:
        return refused
    return [[_single(ev, "MAKEARRAY", ev.call_lambda(fn, [float(r), float(c)])) for c in range(1, cols + 1)]
            for r in range(1, rows + 1)]


def _map(ev, args):
    """MAP(array1, [array2, ...], lambda): the LAMBDA applied to each element (one from each
    array), the results in the arrays' shape: MAP(A1:C2, A5:C6, LAMBDA(x, y, x*y)) (Microsoft's
    MAP page; the Excel-saved calc_tests__LOGICAL__MAP_REDUCE.xlsx G1:I2). Arrays of different
    shapes are not read here."""
    if len(args) < 2:
        return VALUE
    fn = _lambda_arg(ev, "MAP", args[-1][1], len(args) - 1)
    if isinstance(fn, XLError):
        return fn
    arrays = [v for _, v in args[:-1]]
    for v in arrays:
        if isinstance(v, XLError):
            return v
        if hasattr(v, "lam"):
            return VALUE
    shapes = {_shape(v) for v in arrays}
    if len(shapes) != 1:
        return ev.unsupported("MAP", "arrays of different sizes")
    rows, cols = shapes.pop()
    refused = _too_many(ev, "MAP", rows * cols)
    if refused:
        return refused
    return [[_single(ev, "MAP", ev.call_lambda(fn, [_part(v, r, c, r, c) for v in arrays])) for c in range(cols)]
            for r in range(rows)]


def _fold(scan: bool):
    name = "SCAN" if scan else "REDUCE"

    def run(ev, args):
        """REDUCE / SCAN([initial_value], array, lambda(accumulator, value)): the LAMBDA applied
        to each value of the array row by row, its result the next accumulator; REDUCE gives the
        last, SCAN every one in the array's shape (Microsoft's REDUCE and SCAN pages; the
        Excel-saved calc_tests__LOGICAL__MAP_REDUCE.xlsx E1, calc_tests__LOGICAL__SCAN.xlsx E1:G2
        and E7:G7). An omitted initial_value is not read here."""
        if len(args) != 3:
            return VALUE
        fn = _lambda_arg(ev, name, args[2][1], 2)
        if isinstance(fn, XLError):
            return fn
        (init_ref, acc), (_, arr) = args[0], args[1]
        if acc is None and not init_ref:
            return ev.unsupported(name, "an omitted initial_value")
        if isinstance(arr, XLError):
            return arr
        rows, cols = _shape(arr)
        refused = _too_many(ev, name, rows * cols)
        if refused:
            return refused
        steps = []
        for r in range(rows):
            for c in range(cols):
                acc = ev.call_lambda(fn, [acc, _part(arr, r, c, r, c)])
                if scan:
                    acc = _single(ev, name, acc)
                    steps.append(acc)
        if scan:
            return [steps[r * cols:(r + 1) * cols] for r in range(rows)]
        return ev.deref(acc, acc.sheet) if isinstance(acc, Rng) else acc
    return run


FUNCTIONS = {
    "IF": declare(_if, broadcast=ALL, errors=(1, 2), returns_ref=True),
    "IFERROR": declare(_iferror, errors=ALL, returns_ref=True),
    "AND": declare(_logical("AND"), ranges=ALL, clip_safe=True),
    "OR": declare(_logical("OR"), ranges=ALL, clip_safe=True),
    "NOT": scalar_fn(lambda ev, b: not b, (1, 1), "b"),
    "XOR": declare(_logical("XOR"), array_mode=ALL, clip_safe=True),
    "IFNA": _ifna,
    "IFS": _ifs,
    "SWITCH": _switch,
    "TRUE": lambda ev, args: True,
    "FALSE": lambda ev, args: False,
    "BYROW": declare(_by_lines(False), refs=0, lambdas=1),
    "BYCOL": declare(_by_lines(True), refs=0, lambdas=1),
    "MAKEARRAY": declare(_makearray, lambdas=2),
    # MAP's LAMBDA is its last argument: every argument is a reference or a LAMBDA, and an error
    # in any is the function's to read
    "MAP": declare(_map, refs=ALL, lambdas=ALL, errors=ALL),
    "REDUCE": declare(_fold(False), refs=(0, 1), lambdas=2),
    "SCAN": declare(_fold(True), refs=(0, 1), lambdas=2),
}

