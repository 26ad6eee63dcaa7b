"""Exact numbers inside the engine, Decimal at its edges, named rounding steps.

The engine never sees a float: the add-in converts Excel's doubles once with
``Decimal(repr(x))`` before they get here. Inside, every quantity is an ``int``
or a :class:`fractions.Fraction`. Rounding happens only where the contract says,
through the functions below, each of which names its mode.
"""
from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from numbers import Rational

from . import errors

CENT = Decimal("0.01")
MAX_EXPONENT = 400  # a number with more digits than this is a typing error, not a share count


def exact(value: object, field: str, *, table: str | None = None, row: int | None = None) -> Fraction:
    """Convert an int, Decimal, Fraction or numeric text to an exact Fraction.

    Floats are refused: they must be converted at the boundary, where the
    user's typed digits are still known (``Decimal(repr(x))``).
    """
    if isinstance(value, bool) or value is None:
        raise errors.not_a_number(field, value, table, row)
    if isinstance(value, float):
        raise errors.float_inside(field, value, table, row)
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    if isinstance(value, Rational):
        return Fraction(value.numerator, value.denominator)
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("$", "")
        try:
            number = Decimal(text) if text and "/" not in text else None
        except (ValueError, ArithmeticError):
            raise errors.not_a_number(field, value, table, row) from None
        if number is not None:
            value = number  # checked below like any Decimal
        else:
            try:
                return Fraction(text)
            except (ValueError, ZeroDivisionError):
                raise errors.not_a_number(field, value, table, row) from None
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise errors.not_finite(field, value, table, row)
        if abs(value.adjusted()) > MAX_EXPONENT:
            raise errors.too_many_digits(field, value, MAX_EXPONENT, table, row)
        return Fraction(value)
    raise errors.not_a_number(field, value, table, row)


def share_count(value: Fraction | int) -> int | Fraction:
    """A share count as the engine keeps and returns it: an ``int`` when whole, a ``Fraction`` only
    when a fraction of a share arises.

    D-1's counts are whole shares (preamble: "161,290 ... shares"; §5 issues no fractional
    shares), and a fraction of a Warrant Share arises only where a §4 sentence multiplies the
    count: §4(b) "proportionately increased" / "decreased" by a split's or combination's ratio,
    §4(c) "multiplying the number of Warrant Shares by the inverse of that fraction", and a
    share rule keeping the aggregate price (Share Adjustment KEEP_AGGREGATE). §1(c)(i) and §5
    then deliver the full shares and pay the fraction in cash (:func:`whole_shares_down`).
    """
    if type(value) is int:
        return value
    return value.numerator if value.denominator == 1 else value


def shares_of(n: int, d: int) -> int | Fraction:
    """:func:`share_count` of a count the fast paths keep as a pair ``n/d`` in lowest terms (d > 0)."""
    return n if d == 1 else Fraction(n, d)


def whole_shares_down(shares: Fraction) -> int:
    """Whole shares, rounding *down* (toward zero for the non-negative counts used).

    §1(c)(i)/§5: only full shares are issued; the fraction is paid in cash.
    """
    return shares.numerator // shares.denominator


def cents_half_up(amount: Fraction) -> Decimal:
    """Cash to the cent, rounding half *up* (away from zero on .5 of a cent).

    The contract names no mode for cash; half-up is the ordinary commercial
    rounding a finance user expects (see docs/interpretations.md).
    """
    return to_decimal(amount, CENT, ROUND_HALF_UP)


def to_decimal(value: Fraction, step: Decimal, mode: str) -> Decimal:
    """Quantize an exact value to ``step`` with the named ``decimal`` rounding mode."""
    # Exact: split into whole steps and a remainder, and decide on the remainder.
    scaled = value / Fraction(step)
    floor = scaled.numerator // scaled.denominator
    rem = scaled - floor
    if rem == 0:
        units = floor
    elif mode == ROUND_DOWN:
        units = floor if value >= 0 else floor + 1
    elif mode == ROUND_HALF_UP:
        if value >= 0:
            units = floor + 1 if rem >= Fraction(1, 2) else floor
        else:
            units = floor + 1 if rem > Fraction(1, 2) else floor
    elif mode == "ROUND_UP":
        units = floor + 1 if value >= 0 else floor
    elif mode == "ROUND_FLOOR":
        units = floor
    elif mode == "ROUND_CEILING":
        units = floor + 1
    elif mode == "ROUND_HALF_EVEN":
        if rem > Fraction(1, 2) or (rem == Fraction(1, 2) and floor % 2 == 1):
            units = floor + 1
        else:
            units = floor
    else:
        raise errors.unknown_rounding_mode(mode)
    sign, digits, exponent = step.as_tuple()
    if digits == (1,) and not sign:
        # A power of ten: build the result from text, which is exact at any size.
        return Decimal(f"{units}E{exponent}")
    with localcontext() as ctx:
        ctx.prec = max(28, len(str(abs(units))) + len(digits) + 2)
        return Decimal(units) * step


def round_to_increment(value: Fraction, increment: Fraction, mode: str) -> Fraction:
    """Round ``value`` to a multiple of ``increment`` (e.g. NVCA's $0.0001) with ``mode``."""
    return Fraction(to_decimal(value / increment, Decimal(1), mode)) * increment


def to_plain_decimal(value: Fraction, places: int = 28) -> Decimal:
    """An exact Decimal when the fraction terminates, else rounded half-even to ``places``.

    For display at the boundary only; the engine keeps the Fraction.
    """
    d = value.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1:
        places_needed = 0
        while (value * 10**places_needed).denominator != 1:
            places_needed += 1
        return Decimal(int(value * 10**places_needed)).scaleb(-places_needed)
    return to_decimal(value, Decimal(1).scaleb(-places), "ROUND_HALF_EVEN")


# --------------------------------------------------------------------------- numbers as text

def _decimal_text(value: Fraction, places: int, min_places: int = 0) -> str:
    """Exact decimal text when the value terminates within 12 places, else ``places`` decimals and an ellipsis."""
    num, den = value.numerator, value.denominator
    sign = "-" if num < 0 else ""
    num = abs(num)
    twos = (den & -den).bit_length() - 1          # the power of 2 in the denominator
    d, fives = den >> twos, 0
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    exact_places = max(twos, fives, min_places)
    if d == 1 and exact_places <= 12:
        digits, ellipsis, p = num * 10 ** exact_places // den, "", exact_places
    else:
        digits, ellipsis, p = num * 10 ** places // den, "…", places
    whole, frac = divmod(digits, 10 ** p)
    return f"{sign}{whole:,}" + (f".{frac:0{p}d}" if p else "") + ellipsis


def pair(value: Fraction | int | None) -> tuple[int, int] | None:
    """A ``Fraction`` or ``int`` (or None) as the (numerator, denominator) pair the rules and the capital keep."""
    return None if value is None else (value.numerator, value.denominator)


def _rational(value: Fraction | int) -> Fraction | int:
    """An int or Fraction as it is (both give numerator and denominator), anything else as a Fraction."""
    return value if type(value) is Fraction or type(value) is int else Fraction(value)


def count(value: Fraction | int) -> str:
    """A share count for the trail: ``1,000,000`` or ``27,272.7272727272…``."""
    return _decimal_text(_rational(value), 10)


def money(value: Fraction | int) -> str:
    """A price or amount for the trail: ``$0.01`` or ``$0.0090909090…``."""
    text = _decimal_text(_rational(value), 10, min_places=2)
    return f"-${text[1:]}" if text.startswith("-") else f"${text}"


def pct(value: Fraction) -> str:
    """A rate for the trail: ``10%`` or ``9.090909…%``."""
    return f"{_decimal_text(Fraction(value) * 100, 6)}%"
