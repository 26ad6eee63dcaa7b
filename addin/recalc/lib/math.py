"""Math functions. Each cites the edge cases of Excel's documentation it follows."""
from __future__ import annotations

import math
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Context, Decimal

from ..values import DIV0, NUM, VALUE, XLError, grid_map, to_number
from .common import ALL, declare, scalar_fn


_WIDE = Context(prec=1000)      # room for any float quantized to 400 places


def power(x: float, y: float) -> float | XLError:
    """``x^y`` and POWER: 0^0 is #NUM!; 0 to a negative power #DIV/0!; a negative base to a
    fractional power #NUM! (no complex results); overflow #NUM!."""
    if x == 0 and y == 0:
        return NUM
    if x == 0 and y < 0:
        return DIV0
    if x < 0 and not float(y).is_integer():
        return NUM
    try:
        r = x ** y
    except (OverflowError, ZeroDivisionError):
        return NUM
    if isinstance(r, complex) or not math.isfinite(r):
        return NUM
    return float(r)


def _round_fn(mode: str):
    """ROUND/ROUNDDOWN/ROUNDUP: half away from zero, toward zero, away from zero; negative
    digits round to the left of the decimal point. Rounding is done on the number's 15 significant
    digits, as Excel sees it (so binary noise beyond them never flips a half)."""
    rounding = {"ROUND": ROUND_HALF_UP, "ROUNDDOWN": ROUND_DOWN, "ROUNDUP": ROUND_UP}[mode]

    def run(ev, args):
        if len(args) not in (1, 2):
            return VALUE
        digits = ev.scalar_number(args[1][1]) if len(args) > 1 else 0.0
        if isinstance(digits, XLError):
            return digits

        def one(x):
            n = to_number(x, ev.epoch)
            if isinstance(n, XLError):
                return n
            if math.isinf(n) or math.isnan(n):
                return NUM
            d = Decimal(f"{n:.15g}")     # the 15 significant digits Excel works to (0.125-0.1 is 0.025)
            # beyond 400 places either way the answer no longer changes (ROUND(2.5,1E9) is 2.5)
            q = Decimal(1).scaleb(-int(max(-400.0, min(400.0, digits))))
            try:
                return float(d.quantize(q, rounding=rounding, context=_WIDE))
            except ArithmeticError:
                return NUM
        return grid_map(one, args[0][1])
    return declare(run, broadcast=ALL, numbers=ALL)


def _mod(ev, x, y):
    """MOD(number, divisor) = number - divisor*INT(number/divisor), the sign of the divisor;
    divisor 0 is #DIV/0!."""
    if y == 0:
        return DIV0
    r = x - y * math.floor(x / y)
    if abs(x / y) > 1e9 or (r != 0 and abs(r) < abs(x) * 1e-9):
        # the remainder is rounding noise: Excel's own noise differs (MOD(5,1E-10))
        return ev.unsupported("MOD", "a remainder below the precision of the operands")
    return r


def _sqrt(ev, x):
    """SQRT: a negative number is #NUM!."""
    return NUM if x < 0 else math.sqrt(x)


def _ln(ev, x):
    """LN: a number <= 0 is #NUM!."""
    return NUM if x <= 0 else math.log(x)


def _acos(ev, x):
    """ACOS: outside -1..1 is #NUM!."""
    return NUM if not -1 <= x <= 1 else math.acos(x)


def _asin(ev, x):
    """ASIN: outside -1..1 is #NUM!."""
    return NUM if not -1 <= x <= 1 else math.asin(x)


def _atan2(ev, x, y):
    """ATAN2(x_num, y_num) (Excel's order: x first); both 0 is #DIV/0!."""
    return DIV0 if x == 0 and y == 0 else math.atan2(y, x)


def _trig(fn):
    def run(ev, x):
        """COS, COSH, SIN, ATAN, EXP: a result too large is #NUM!. A sine or cosine that
        cancels to rounding noise (SIN(PI())) is not Excel's noise: unsupported."""
        r = fn(x)
        if fn in (math.sin, math.cos) and r != 0 and abs(r) < 1e-9 * max(1.0, abs(x)):
            return ev.unsupported(fn.__name__.upper(), "a result at the rounding noise of its argument")
        return r if math.isfinite(r) else NUM
    return run


FUNCTIONS = {
    "ROUND": _round_fn("ROUND"),
    "ROUNDDOWN": _round_fn("ROUNDDOWN"),
    "ROUNDUP": _round_fn("ROUNDUP"),
    "INT": scalar_fn(lambda ev, x: float(math.floor(x)), (1, 1), "n"),    # INT rounds down (INT(-8.9) = -9)
    "ABS": scalar_fn(lambda ev, x: abs(x), (1, 1), "n"),
    "MOD": scalar_fn(_mod, (2, 2), "n"),
    "POWER": scalar_fn(lambda ev, x, y: power(x, y), (2, 2), "n"),
    "SQRT": scalar_fn(_sqrt, (1, 1), "n"),
    "LN": scalar_fn(_ln, (1, 1), "n"),
    "ACOS": scalar_fn(_acos, (1, 1), "n"),
    "ASIN": scalar_fn(_asin, (1, 1), "n"),
    "ATAN": scalar_fn(_trig(math.atan), (1, 1), "n"),
    "ATAN2": scalar_fn(_atan2, (2, 2), "n"),
    "COS": scalar_fn(_trig(math.cos), (1, 1), "n"),
    "COSH": scalar_fn(_trig(math.cosh), (1, 1), "n"),
    "SIN": scalar_fn(_trig(math.sin), (1, 1), "n"),
    "PI": lambda ev, args: math.pi if not args else VALUE,
    "EXP": scalar_fn(_trig(math.exp), (1, 1), "n"),          # overflow: #NUM!
    "DEGREES": scalar_fn(lambda ev, x: math.degrees(x), (1, 1), "n"),
    "RADIANS": scalar_fn(lambda ev, x: math.radians(x), (1, 1), "n"),
}
