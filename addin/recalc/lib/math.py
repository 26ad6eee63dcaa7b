"""Math functions. Each cites the edge cases of Excel's documentation it follows."""
from __future__ import annotations

import math
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from fractions import Fraction

from ..values import DIV0, NA, NUM, VALUE, XLError, flatten, is_grid, to_number
from .common import ALL, declare
from .elementwise import elementwise, numbers_in, refuse_intersected, to_number_strict


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
    """ROUND/ROUNDDOWN/ROUNDUP (and TRUNC): half away from zero, toward zero, away from zero;
    negative digits round to the left of the decimal point; digits are truncated to an integer.
    Rounding is done on the number's 15 significant digits, as Excel sees it (so binary noise
    beyond them never flips a half). Both arguments broadcast over arrays
    (``ROUND(1.2345,{1,2})`` is ``{1.2,1.23}``). Digits beyond the number's own leave it as it is
    (``ROUND(2.5,1e9)`` is 2.5); digits left of its first leave 0."""
    rounding = {"ROUND": ROUND_HALF_UP, "ROUNDDOWN": ROUND_DOWN, "ROUNDUP": ROUND_UP, "TRUNC": ROUND_DOWN}[mode]

    def one(ev, n, digits):
        if math.isinf(n) or math.isnan(n) or math.isinf(digits) or math.isnan(digits):
            return NUM
        return round_decimal(n, int(digits), rounding)
    return elementwise(one, (1 if mode == "TRUNC" else 2, 2), "n", defaults=(0.0,)) if mode == "TRUNC" \
        else elementwise(one, (2, 2), "n")


def round_decimal(n: float, digits: int, rounding) -> float:
    """``n`` rounded to ``digits`` decimals in ``rounding`` mode, on its 15 significant digits."""
    d = Decimal(f"{n:.15g}")     # the 15 significant digits Excel works to (0.125-0.1 is 0.025)
    if d == 0 or d.as_tuple().exponent >= -digits:
        return float(d)          # nothing to round at that place
    if digits < -(d.adjusted() + 1):
        return 0.0 if rounding is ROUND_DOWN or rounding is ROUND_HALF_UP else \
            math.copysign(10.0 ** -digits, n) if -digits <= 308 else NUM
    q = Decimal(1).scaleb(-digits)
    r = float(d.quantize(q, rounding=rounding))
    return r if math.isfinite(r) else NUM


def _mod(ev, x, y):
    """MOD(number, divisor) = number - divisor*INT(number/divisor), the sign of the divisor;
    divisor 0 is #DIV/0!. Excel's result is the exact remainder of the two floats, rounded once
    (as the x87 FPREM computes it): MOD(5,1E-10) is 9.999981783901343E-11, MOD(5,-1E-10)
    -1.821609865774887E-16, MOD(10.0000000001,0.1) 9.999945316252479E-11 and MOD(1E10,3) 1 (the
    Excel-saved calc_tests__MATH_AND_TRIGONOMETRY__MOD_QUOTIENT.xlsx, DATEVALUE!C25, C26, C20,
    C22), where number - divisor*INT(number/divisor) in floats gives other digits. A quotient of
    2^53 or more, beyond the fixtures, is refused."""
    if y == 0:
        return DIV0
    if abs(x / y) >= 2 ** 53:
        return ev.unsupported("MOD", "a quotient of 2^53 or more")
    fx, fy = Fraction(x), Fraction(y)
    return float(fx - fy * math.floor(fx / fy))


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
        """COS, COSH, SIN, ATAN, EXP: a result too large is #NUM!; one below the smallest normal
        number is 0 (EXP(-745) is 0: the Excel-saved calc_tests__MATH_AND_TRIGONOMETRY__EXP_SIGN.xlsx,
        EXP_SIGN!B44)."""
        r = fn(x)
        if abs(r) < 2.2250738585072014e-308:
            return 0.0
        return r if math.isfinite(r) else NUM
    return run


def _quotient_int(x: float) -> float:
    """``x`` to an integer when it is one to 15 significant digits (12.0000000000001 is 12), so
    float noise in a division never moves a ceiling or a floor past a whole multiple."""
    r = float(f"{x:.15g}")
    return r if r.is_integer() else x


def _multiple(n: float, sig: float, up: bool) -> float:
    """``n`` to a multiple of ``sig``: the next one up (ceil) or down (floor) of n/sig."""
    q = _quotient_int(n / sig)
    k = math.ceil(q) if up else math.floor(q)
    return float(f"{k * sig:.15g}")


def _ceiling(ev, n, sig):
    """CEILING(number, significance): a positive number with a negative significance is #NUM!;
    significance 0 is 0; a negative number rounds toward zero with a positive significance and
    away from zero with a negative one (ceil(number/significance) * significance)."""
    if sig == 0:
        return 0.0
    if n > 0 and sig < 0:
        return NUM
    return _multiple(n, sig, True)


def _floor(ev, n, sig):
    """FLOOR(number, significance): a positive number with a negative significance is #NUM!;
    significance 0 is #DIV/0! (0 for the number 0); otherwise floor(number/significance) *
    significance (FLOOR(-2.5,-2) = -2, FLOOR(-2.5,2) = -4)."""
    if sig == 0:
        return 0.0 if n == 0 else DIV0
    if n > 0 and sig < 0:
        return NUM
    return _multiple(n, sig, False)


def _ceiling_math(ev, n, sig, mode):
    """CEILING.MATH(number, [significance=1], [mode=0]): the significance's sign is ignored; a
    negative number rounds toward zero, or away from zero when mode is not 0; significance 0
    is 0."""
    sig = abs(sig)
    if sig == 0:
        return 0.0
    return _multiple(n, sig, not (n < 0 and mode != 0))


def _floor_math(ev, n, sig, mode):
    """FLOOR.MATH(number, [significance=1], [mode=0]): the significance's sign is ignored; a
    negative number rounds away from zero, or toward zero when mode is not 0; significance 0
    is 0."""
    sig = abs(sig)
    if sig == 0:
        return 0.0
    return _multiple(n, sig, n < 0 and mode != 0)


def _precise(up: bool):
    def run(ev, n, sig):
        """CEILING.PRECISE / ISO.CEILING / FLOOR.PRECISE(number, [significance=1]): up (or down)
        whatever the signs, the significance's sign ignored; significance 0 is 0."""
        sig = abs(sig)
        return 0.0 if sig == 0 else _multiple(n, sig, up)
    return run


def _mround_args(ev, args):
    """MROUND's arguments: an omitted one is #N/A and a logical value #VALUE! (the Excel-saved
    calc_tests__MATH_AND_TRIGONOMETRY__MROUND_TRUNC_INT.xlsx, MROUND!C34 and C51)."""
    if len(args) != 2:
        return VALUE
    if any(v is None and not is_ref for is_ref, v in args):
        return NA
    return elementwise(_mround, (2, 2), "a")(ev, args)


def _mround(ev, n, m):
    """MROUND(number, multiple): half away from zero to the nearest multiple; a number and a
    multiple of different signs are #NUM!; multiple 0 is 0."""
    if isinstance(n, bool) or isinstance(m, bool):
        return VALUE
    n, m = to_number_strict(n, ev.epoch), to_number_strict(m, ev.epoch)
    if isinstance(n, XLError):
        return n
    if isinstance(m, XLError):
        return m
    if m == 0 or n == 0:
        return 0.0
    if (n > 0) != (m > 0):
        return NUM
    q = _quotient_int(n / m)
    if not math.isfinite(q):
        return NUM
    if abs(q) < 2 ** 52:                 # a float this large is already a whole number
        q = float(Decimal(f"{q:.15g}").quantize(Decimal(1), rounding=ROUND_HALF_UP))
    r = q * m
    return float(f"{r:.15g}") if math.isfinite(r) else NUM


def _quotient(ev, n, d):
    """QUOTIENT(numerator, denominator): the integer part of the division (toward zero);
    denominator 0 is #DIV/0!; a logical value is #VALUE! (the Excel-saved
    calc_tests__MATH_AND_TRIGONOMETRY__MOD_QUOTIENT.xlsx, DATEVALUE!D40)."""
    if isinstance(n, bool) or isinstance(d, bool):
        return VALUE
    n, d = to_number_strict(n, ev.epoch), to_number_strict(d, ev.epoch)
    if isinstance(n, XLError):
        return n
    if isinstance(d, XLError):
        return d
    if d == 0:
        return DIV0
    return float(math.trunc(_quotient_int(n / d)))


def _even_odd(odd: bool):
    def run(ev, n):
        """EVEN / ODD(number): away from zero to the next even (odd) integer; 0 is 0 for EVEN,
        1 for ODD."""
        sign = -1.0 if n < 0 else 1.0
        k = math.ceil(_quotient_int(abs(n)))
        if odd:
            k = k if k % 2 == 1 else k + 1
        else:
            k = k if k % 2 == 0 else k + 1
        return sign * k
    return run


def _sign(ev, n):
    """SIGN(number): 1, 0 or -1."""
    return float((n > 0) - (n < 0))


def _log(ev, n, base):
    """LOG(number, [base=10]): a number or base <= 0 is #NUM!; base 1 is #DIV/0!."""
    if n <= 0 or base <= 0:
        return NUM
    if base == 1:
        return DIV0
    return math.log(n) / math.log(base) if base != 10 else math.log10(n)


def _log10(ev, n):
    """LOG10(number): a number <= 0 is #NUM!."""
    return NUM if n <= 0 else math.log10(n)


def _fact(ev, n):
    """FACT(number): the number truncated; negative is #NUM!; beyond 170 overflows (#NUM!)."""
    if n < 0:
        return NUM
    k = int(n)
    return float(math.factorial(k)) if k <= 170 else NUM


def _factdouble(ev, n):
    """FACTDOUBLE(number): n!!, the number truncated; negative is #NUM! (-1 gives 1)."""
    k = int(n)
    if k < -1:
        return NUM
    if k > 300:
        return NUM                       # 301!! is beyond the largest number
    r = 1
    while k > 1:
        r *= k
        k -= 2
    f = float(r) if r < 2 ** 1024 else NUM
    return f


def _big_ratio(n: int, k: int, total):
    """``total()`` (an exact count of about n!/(n-k)!) when it fits a float, computed exactly for
    moderate sizes, through log-gamma beyond (an overflow is #NUM!)."""
    if n < 100_000:
        r = total()
        return float(r) if r < 2 ** 1024 else NUM
    return None


def _combin(ev, n, k):
    """COMBIN(number, number_chosen): both truncated; n < 0, k < 0 or n < k is #NUM!; a result
    beyond the largest number #NUM!."""
    n, k = int(n), int(k)
    if n < 0 or k < 0 or n < k:
        return NUM
    exact = _big_ratio(n, k, lambda: math.comb(n, k))
    if exact is not None:
        return exact
    log = math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
    return NUM if log > 709.78 else ev.unsupported("COMBIN", "a number of 100,000 or more (not exact)")


def _combina(ev, n, k):
    """COMBINA(number, number_chosen): combinations with repetitions, COMBIN(n+k-1, k); both
    truncated; negatives, or n = 0 with k > 0, are #NUM!."""
    n, k = int(n), int(k)
    if n < 0 or k < 0 or (n == 0 and k > 0):
        return NUM
    if n + k == 0:
        return 1.0
    return _combin(ev, float(n + k - 1), float(k))


def _permut(ev, n, k):
    """PERMUT(number, number_chosen): both truncated; n <= 0 (with k > 0), k < 0 or n < k is
    #NUM!."""
    n, k = int(n), int(k)
    if n < 0 or k < 0 or n < k:
        return NUM
    exact = _big_ratio(n, k, lambda: math.perm(n, k))
    if exact is not None:
        return exact
    log = math.lgamma(n + 1) - math.lgamma(n - k + 1)
    return NUM if log > 709.78 else ev.unsupported("PERMUT", "a number of 100,000 or more (not exact)")


def _trig_checked(fn, domain=None, pole=None):
    def run(ev, x):
        """Hyperbolic functions and their inverses: outside the domain #NUM!, at a pole #DIV/0!."""
        if domain is not None and not domain(x):
            return NUM
        if pole is not None and pole(x):
            return DIV0
        r = fn(x)
        return r if math.isfinite(r) else NUM
    return run


# Excel reduces a trigonometric argument by pi/2 exactly, with pi to 64 bits (the x87 extended
# format's pi, 0xC90FDAA22168C235 / 2^62, 5.0E-20 above the true pi): SIN(PI()) is
# 1.22514845490862E-16 in Excel, not sin(float pi) = 1.2246467991473532E-16; COS(PI()/2) is
# 6.1257422745431E-17 and TAN(-3*PI()/2) -5441517425873024, the exact remainders by that pi/2
# (calc_tests__MATH_AND_TRIGONOMETRY__trigonometric_functions.xlsx B12, C13; docs__COS.xlsx B2,
# docs__TAN.xlsx B2). A rounded multiple of pi/2 (x87 arithmetic) gives other digits from 3 pi/2 on
# (-1.8388E-16 for TAN's -1.8377E-16), so the remainder is exact, as the x87 FPREM computes it.
_HALF_PI_64 = Fraction(0xC90FDAA22168C235, 1 << 63)


def _sin_cos(x: float) -> tuple[float, float]:
    """sin(x), cos(x) as Excel computes them: the remainder r = x - q*pi/2 (see above), then the
    quadrant q mod 4."""
    q = round(x / (math.pi / 2))
    r = float(Fraction(x) - q * _HALF_PI_64)
    s, c = math.sin(r), math.cos(r)
    return ((s, c), (c, -s), (-s, -c), (-c, s))[q % 4]


def _periodic(name, fn, pole=None):
    def run(ev, x):
        if abs(x) >= 2 ** 27:
            return NUM
        if pole is not None and pole(x):
            return DIV0
        try:
            r = fn(*_sin_cos(x))
        except ZeroDivisionError:
            return DIV0
        return r if math.isfinite(r) else NUM
    run.__doc__ = "SIN, COS, TAN, COT, CSC, SEC: |number| >= 2^27 is #NUM! (Excel's documented limit); " \
                  "a zero of the denominator #DIV/0!; the argument reduced as Excel reduces it (see _sin_cos)."
    return run


def _acot(ev, x):
    """ACOT(number): the arccotangent in 0..pi (atan(1/x), exact for large x: ACOT(1E13) is
    1.0000000000001E-13 in Excel, calc_tests__MATH_AND_TRIGONOMETRY__TRIGONOMETRIC.xlsx B13)."""
    if x == 0:
        return math.pi / 2
    return math.atan(1 / x) if x > 0 else math.pi + math.atan(1 / x)


def _acoth(ev, x):
    """ACOTH(number): |number| <= 1 is #NUM!."""
    if abs(x) <= 1:
        return NUM
    return 0.5 * math.log1p(2 / (x - 1))


def _coth(ev, x):
    """COTH(number): 0 is #DIV/0!."""
    if x == 0:
        return DIV0
    return 1 / math.tanh(x)


def _hyp_inv(fn):
    def run(ev, x):
        """CSCH / SECH: 1/SINH, 1/COSH (0 for huge numbers); CSCH(0) #DIV/0!."""
        try:
            d = fn(x)
        except OverflowError:
            return 0.0
        return DIV0 if d == 0 else 1 / d
    return run


# ROMAN: the five forms of Excel's documentation (0 classic to 4 simplified), as LibreOffice's
# ScInterpreter::ScRoman reproduces them
_ROMAN_CHARS = "MDCLXVI"
_ROMAN_VALUES = (1000, 500, 100, 50, 10, 5, 1)


def roman(value: int, form: int) -> str:
    """``value`` (0..3999) in Roman numerals, in ``form`` 0..4 (the more concise, the higher)."""
    out = []
    for i in range(4):
        index = 2 * i
        digit = value // _ROMAN_VALUES[index]
        if digit % 5 == 4:
            index2 = index - 1 if digit == 4 else index - 2
            steps = 0
            while steps < form and index < 6:
                steps += 1
                if _ROMAN_VALUES[index2] - _ROMAN_VALUES[index + 1] <= value:
                    index += 1
                else:
                    steps = form
            out.append(_ROMAN_CHARS[index] + _ROMAN_CHARS[index2])
            value = value + _ROMAN_VALUES[index] - _ROMAN_VALUES[index2]
        else:
            if digit > 4:
                out.append(_ROMAN_CHARS[index - 1])
            out.append(_ROMAN_CHARS[index] * (digit % 5))
            value %= _ROMAN_VALUES[index]
    return "".join(out)


def _roman(ev, n, form):
    """ROMAN(number, [form=0]): the number truncated; negative or above 3999 is #VALUE!; form
    TRUE is 0 (classic), FALSE 4 (simplified); a form outside 0..4 is #VALUE!."""
    if isinstance(form, bool):
        form = 0 if form else 4
    f = to_number(form, ev.epoch)
    if isinstance(f, XLError):
        return f
    if not 0 <= n < 4000 or not 0 <= f < 5:
        return VALUE
    return roman(int(n), int(f))


_ARABIC = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def _arabic(ev, text):
    """ARABIC(text): a Roman numeral read without case, leading and trailing spaces ignored,
    a leading minus allowed; the empty text is 0; any other character, or more than 255
    characters, is #VALUE! (a smaller numeral before a larger one subtracts)."""
    t = text.strip().upper()
    if len(text) > 255:
        return VALUE
    sign = 1.0
    if t.startswith("-"):
        sign, t = -1.0, t[1:]
    if any(ch not in _ARABIC for ch in t):
        return VALUE
    total = 0
    vals = [_ARABIC[ch] for ch in t]
    for i, v in enumerate(vals):
        total += -v if i + 1 < len(vals) and v < vals[i + 1] else v
    return sign * total


def _gcd_lcm(kind: str):
    def run(ev, args):
        """GCD / LCM(number1, ...): of the values truncated to integers, ranges and arrays
        included (the Excel-saved calc_tests__MATH_AND_TRIGONOMETRY__GCD_LCM.xlsx): empty cells
        are skipped, and no value at all is #VALUE! (D13); text that reads as a number counts
        (D24), other text, empty text and logical values are #VALUE! (D27, D17, D44); an empty
        cell inside a multi-cell range counts as 0 (LCM(G35:H35) is 0, I35); an omitted
        argument is #N/A (D34); a negative value, or one of 2^53 or more, is #NUM! (D8, D42), and
        so is an LCM of 2^53 or more (I53); LCM with a 0 is 0."""
        if not args:
            return VALUE
        refused = refuse_intersected(ev, kind, args)
        if refused:
            return refused
        nums = []
        for is_ref, v in args:
            if v is None and not is_ref:
                return NA
            for x in (flatten([v]) if is_grid(v) else [v]):
                if x is None:
                    if is_grid(v):
                        x = 0.0                  # an empty cell of a range is 0 (I35), a lone one skipped (D35)
                    else:
                        continue
                if isinstance(x, bool):
                    return VALUE
                n = to_number_strict(x, ev.epoch)
                if isinstance(n, XLError):
                    return n
                if n < 0 or n >= 2 ** 53:
                    return NUM
                nums.append(int(n))
        if not nums:
            return VALUE
        r = 0 if kind == "GCD" else 1
        for k in nums:
            r = math.gcd(r, k) if kind == "GCD" else (math.lcm(r, k) if k and r else 0)
        return float(r) if r < 2 ** 53 else NUM
    return run


def _product(ev, args):
    """PRODUCT(number1, ...): SUM's rules for which values count; no numbers at all is 0."""
    refused = refuse_intersected(ev, "PRODUCT", args)
    if refused:
        return refused
    nums = []
    for n in numbers_in(args, ev.epoch):
        if isinstance(n, XLError):
            return n
        nums.append(n)
    if not nums:
        return 0.0
    r = math.prod(nums)
    return r if math.isfinite(r) else NUM


def _sumsq(ev, args):
    """SUMSQ(number1, ...): the sum of the squares, SUM's rules for which values count."""
    refused = refuse_intersected(ev, "SUMSQ", args)
    if refused:
        return refused
    total = 0.0
    for n in numbers_in(args, ev.epoch):
        if isinstance(n, XLError):
            return n
        total += n * n
    return total if math.isfinite(total) else NUM


def _sqrtpi(ev, x):
    """SQRTPI(number): SQRT(number * PI()); negative is #NUM!."""
    return NUM if x < 0 else math.sqrt(x * math.pi)


FUNCTIONS = {
    "ROUND": _round_fn("ROUND"),
    "ROUNDDOWN": _round_fn("ROUNDDOWN"),
    "ROUNDUP": _round_fn("ROUNDUP"),
    "INT": elementwise(lambda ev, x: float(math.floor(x)), (1, 1), "n"),    # INT rounds down (INT(-8.9) = -9)
    "ABS": elementwise(lambda ev, x: abs(x), (1, 1), "n"),
    "MOD": elementwise(_mod, (2, 2), "n"),
    "POWER": elementwise(lambda ev, x, y: power(x, y), (2, 2), "n"),
    "SQRT": elementwise(_sqrt, (1, 1), "n"),
    "LN": elementwise(_ln, (1, 1), "n"),
    "ACOS": elementwise(_acos, (1, 1), "n"),
    "ASIN": elementwise(_asin, (1, 1), "n"),
    "ATAN": elementwise(_trig(math.atan), (1, 1), "n"),
    "ATAN2": elementwise(_atan2, (2, 2), "n"),
    "COS": elementwise(_periodic("COS", lambda s, c: c), (1, 1), "n"),
    "COSH": elementwise(_trig(math.cosh), (1, 1), "n"),
    "SIN": elementwise(_periodic("SIN", lambda s, c: s), (1, 1), "n"),
    "PI": lambda ev, args: math.pi if not args else VALUE,
    "EXP": elementwise(_trig(math.exp), (1, 1), "n"),         # overflow: #NUM!
    "DEGREES": elementwise(lambda ev, x: math.degrees(x), (1, 1), "n"),
    "RADIANS": elementwise(lambda ev, x: math.radians(x), (1, 1), "n"),
    "TRUNC": _round_fn("TRUNC"),
    "CEILING": elementwise(_ceiling, (2, 2), "n"),
    "FLOOR": elementwise(_floor, (2, 2), "n"),
    "CEILING.MATH": elementwise(_ceiling_math, (1, 3), "n", defaults=(1.0, 0.0)),
    "FLOOR.MATH": elementwise(_floor_math, (1, 3), "n", defaults=(1.0, 0.0)),
    "CEILING.PRECISE": elementwise(_precise(True), (1, 2), "n", defaults=(1.0,)),
    "ISO.CEILING": elementwise(_precise(True), (1, 2), "n", defaults=(1.0,)),
    "FLOOR.PRECISE": elementwise(_precise(False), (1, 2), "n", defaults=(1.0,)),
    "MROUND": _mround_args,
    "QUOTIENT": elementwise(_quotient, (2, 2), "a"),
    "EVEN": elementwise(_even_odd(False), (1, 1), "n"),
    "ODD": elementwise(_even_odd(True), (1, 1), "n"),
    "SIGN": elementwise(_sign, (1, 1), "n"),
    "LOG": elementwise(_log, (1, 2), "n", defaults=(10.0,)),
    "LOG10": elementwise(_log10, (1, 1), "n"),
    "FACT": elementwise(_fact, (1, 1), "n"),
    "FACTDOUBLE": elementwise(_factdouble, (1, 1), "n"),
    "COMBIN": elementwise(_combin, (2, 2), "n"),
    "COMBINA": elementwise(_combina, (2, 2), "n"),
    "PERMUT": elementwise(_permut, (2, 2), "n"),
    "SQRTPI": elementwise(_sqrtpi, (1, 1), "n"),
    "TAN": elementwise(_periodic("TAN", lambda s, c: s / c), (1, 1), "n"),
    "COT": elementwise(_periodic("COT", lambda s, c: c / s, pole=lambda x: x == 0), (1, 1), "n"),
    "CSC": elementwise(_periodic("CSC", lambda s, c: 1 / s, pole=lambda x: x == 0), (1, 1), "n"),
    "SEC": elementwise(_periodic("SEC", lambda s, c: 1 / c), (1, 1), "n"),
    "SINH": elementwise(_trig_checked(math.sinh), (1, 1), "n"),
    "TANH": elementwise(_trig_checked(math.tanh), (1, 1), "n"),
    "ASINH": elementwise(_trig_checked(math.asinh), (1, 1), "n"),
    "ACOSH": elementwise(_trig_checked(math.acosh, domain=lambda x: x >= 1), (1, 1), "n"),
    "ATANH": elementwise(_trig_checked(math.atanh, domain=lambda x: -1 < x < 1), (1, 1), "n"),
    "ACOT": elementwise(_acot, (1, 1), "n"),
    "ACOTH": elementwise(_acoth, (1, 1), "n"),
    "COTH": elementwise(_coth, (1, 1), "n"),
    "CSCH": elementwise(_hyp_inv(math.sinh), (1, 1), "n"),
    "SECH": elementwise(_hyp_inv(math.cosh), (1, 1), "n"),
    "ROMAN": elementwise(_roman, (1, 2), "na", defaults=(0.0,)),
    "ARABIC": elementwise(_arabic, (1, 1), "t"),
    # every argument whole (ranges and arrays of numbers); PRODUCT and SUMSQ ignore the blanks
    # beyond the used area of a whole column
    "GCD": declare(_gcd_lcm("GCD"), array_mode=ALL),
    "LCM": declare(_gcd_lcm("LCM"), array_mode=ALL),
    "PRODUCT": declare(_product, array_mode=ALL, clip_safe=True),
    "SUMSQ": declare(_sumsq, array_mode=ALL, clip_safe=True),
}
