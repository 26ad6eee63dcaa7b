"""Logical functions. Each cites the edge cases of Excel's documentation it follows."""
from __future__ import annotations

from ..values import VALUE, XLError, flatten, grid_map, is_grid, to_bool
from .common import ALL, declare, scalar_fn


def _if(ev, args):
    if not 1 <= len(args) <= 3:
        return VALUE
    cond = args[0][1]

    def pick(c, yes=args[1][1] if len(args) > 1 else True,
             no=args[2][1] if len(args) > 2 else False):
        b = to_bool(c)
        if isinstance(b, XLError):
            return b
        v = yes if b else no
        return 0.0 if v is None else v
    if is_grid(cond):
        return grid_map(pick, cond)
    return pick(cond)


def _iferror(ev, args):
    """IFERROR(value, value_if_error): value when it is not an error, else value_if_error (whole:
    IFERROR(7, A1:A3) is 7; IFERROR(NA(), A1:A3) the range). Over an array value, element by
    element; an array value_if_error of another shape is not supported."""
    if len(args) != 2:
        return VALUE
    value, fallback = args[0][1], args[1][1]
    fallback = 0.0 if fallback is None else fallback
    if not is_grid(value):
        return fallback if isinstance(value, XLError) else value
    if is_grid(fallback):
        if len(fallback) == 1 and len(fallback[0]) == 1:
            fallback = fallback[0][0]
        elif (len(fallback), len(fallback[0])) != (len(value), len(value[0])):
            return ev.unsupported("IFERROR", "an array value_if_error of another shape than the value")
        else:
            return [[f if isinstance(v, XLError) else v for v, f in zip(vr, fr)] for vr, fr in zip(value, fallback)]
    return grid_map(lambda v: fallback if isinstance(v, XLError) else v, value)


def _logical(kind):
    def run(ev, args):
        """AND/OR: text and blanks in references are ignored; no logical value at all is #VALUE!."""
        vals = []
        for a in args:
            for x in (flatten([a[1]]) if is_grid(a[1]) else [a[1]]):
                if x is None or x == "" or (isinstance(x, str) and not isinstance(x, XLError) and is_grid(a[1])):
                    continue                 # blanks, "" and text in references are ignored
                b = to_bool(x)
                if isinstance(b, XLError):
                    return b
                vals.append(b)
        if not vals:
            return VALUE
        return all(vals) if kind == "AND" else any(vals)
    return run




FUNCTIONS = {
    "IF": declare(_if, broadcast=ALL, errors=(1, 2), returns_ref=True),
    "IFERROR": declare(_iferror, errors=ALL, returns_ref=True),
    "AND": declare(_logical("AND"), ranges=ALL, clip_safe=True),
    "OR": declare(_logical("OR"), ranges=ALL, clip_safe=True),
    "NOT": scalar_fn(lambda ev, b: not b, (1, 1), "b"),
    "TRUE": lambda ev, args: True,
    "FALSE": lambda ev, args: False,
}
