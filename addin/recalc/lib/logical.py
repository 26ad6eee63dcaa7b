"""Logical functions. Each cites the edge cases of Excel's documentation it follows."""
from __future__ import annotations

from ..values import NA, VALUE, XLError, compare, flatten, is_grid, to_bool
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


FUNCTIONS = {
    "IF": declare(_if, broadcast=ALL, errors=(1, 2), returns_ref=True),
    "IFERROR": declare(_iferror, errors=ALL, returns_ref=True),
    "AND": declare(_logical("AND"), ranges=ALL, clip_safe=True),
    "OR": declare(_logical("OR"), ranges=ALL, clip_safe=True),
    "NOT": scalar_fn(lambda ev, b: not b, (1, 1), "b"),
    "XOR": _logical("XOR"),
    "IFNA": _ifna,
    "IFS": _ifs,
    "SWITCH": _switch,
    "TRUE": lambda ev, args: True,
    "FALSE": lambda ev, args: False,
}

ARRAY_PARAMS = {"XOR": None}
ARRAY_MODE: dict = {}
CLIP_SAFE = frozenset({"XOR"})
