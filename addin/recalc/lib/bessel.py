"""The Bessel functions of integer order as Excel computes them: not the exact functions but the
classic approximations, which Excel's values reproduce to the last bit (the Excel-saved
calc_tests__ENGINEERING__BESSEL.xlsx: its BESSELJ(0,0) is 1.00000000283141, the quotient
57568490574/57568490411 of the rational form below, where the exact J0(0) is 1; its BESSELI(x,n)
carries for every n the relative error of its I0(x), the normaliser of the downward recurrence).

* I0, I1, K0, K1: the polynomial approximations of Abramowitz & Stegun, *Handbook of
  Mathematical Functions* (1964), 9.8.1-9.8.8;
* J0, J1, Y0, Y1: the rational approximations of Hart et al., *Computer Approximations* (1968),
  below 8, and the asymptotic form with the polynomials of the National Physical Laboratory's
  *Mathematical Tables* vol. 5 (1962) from 8 on;
* order n: J by downward (Miller) recurrence normalised by the sum J0 + 2 J2 + 2 J4 + ... = 1
  where n >= |x|, else upward from J0 and J1; I downward normalised by I0; Y and K upward.

The same algorithms, with the same constants, are in IronCalc
(base/src/functions/engineering/transcendental/bessel_i.rs and bessel_k.rs; MIT OR Apache-2.0,
(c) 2023 EqualTo GmbH and Nicolás Hatcher) and in SheetJS's ``bessel`` package (bessel.js,
Apache-2.0, (c) SheetJS LLC), from which this port was checked.

Where Excel departs from these (J from |x| >= 8, see :func:`besselj`), the functions here return
None and the caller refuses the cell.
"""
from __future__ import annotations

import math

MAX_ORDER = 10_000          # past this the recurrences are long and no Excel value was seen
_ACC = 40.0                 # the downward recurrences start at 2*((n + isqrt(40 n))/2) (Excel's value: see below)
_BIG, _SMALL = 1e10, 1e-10  # their rescaling against overflow
_W = 0.636619772            # 2/pi to the approximations' precision


def _poly(coefs, y: float) -> float:
    """coefs[0] + coefs[1] y + coefs[2] y^2 + ... by Horner's rule (the order of the
    operations the values above were matched with)."""
    r = 0.0
    for c in reversed(coefs):
        r = r * y + c
    return r


# Hart et al. (1968): J0, J1 on |x| < 8
_J0_NUM = (57568490574.0, -13362590354.0, 651619640.7, -11214424.18, 77392.33017, -184.9052456)
_J0_DEN = (57568490411.0, 1029532985.0, 9494680.718, 59272.64853, 267.8532712, 1.0)
_J1_NUM = (72362614232.0, -7895059235.0, 242396853.1, -2972611.439, 15704.48260, -30.16036606)
_J1_DEN = (144725228442.0, 2300535178.0, 18583304.74, 99447.43394, 376.9991397, 1.0)
# Y0, Y1 on 0 < x < 8 (their singular part added from J0, J1)
_Y0_NUM = (-2957821389.0, 7062834065.0, -512359803.6, 10879881.29, -86327.92757, 228.4622733)
_Y0_DEN = (40076544269.0, 745249964.8, 7189466.438, 47447.26470, 226.1030244, 1.0)
_Y1_NUM = (-0.4900604943e13, 0.1275274390e13, -0.5153438139e11, 0.7349264551e9, -0.4237922726e7,
           0.8511937935e4)
_Y1_DEN = (0.2499580570e14, 0.4244419664e12, 0.3733650367e10, 0.2245904002e8, 0.1020426050e6,
           0.3549632885e3, 1.0)
# the asymptotic form from 8 on: P and Q of order 0 and 1, in (8/x)^2
_P0 = (1.0, -0.1098628627e-2, 0.2734510407e-4, -0.2073370639e-5, 0.2093887211e-6)
_Q0 = (-0.1562499995e-1, 0.1430488765e-3, -0.6911147651e-5, 0.7621095161e-6, -0.934945152e-7)
_P1 = (1.0, 0.183105e-2, -0.3516396496e-4, 0.2457520174e-5, -0.240337019e-6)
_Q1 = (0.04687499995, -0.2002690873e-3, 0.8449199096e-5, -0.88228987e-6, 0.105787412e-6)
# Abramowitz & Stegun 9.8.1-9.8.4: I0, I1 (below 3.75 in (x/3.75)^2, from 3.75 on in 3.75/x)
_I0_SMALL = (1.0, 3.5156229, 3.0899424, 1.2067492, 0.2659732, 0.360768e-1, 0.45813e-2)
_I0_LARGE = (0.39894228, 0.1328592e-1, 0.225319e-2, -0.157565e-2, 0.916281e-2, -0.2057706e-1,
             0.2635537e-1, -0.1647633e-1, 0.392377e-2)
_I1_SMALL = (0.5, 0.87890594, 0.51498869, 0.15084934, 0.2658733e-1, 0.301532e-2, 0.32411e-3)
_I1_LARGE = (0.39894228, -0.3988024e-1, -0.362018e-2, 0.163801e-2, -0.1031555e-1, 0.2282967e-1,
             -0.2895312e-1, 0.1787654e-1, -0.420059e-2)
# 9.8.5-9.8.8: K0, K1 (up to 2 in x^2/4, beyond in 2/x)
_K0_SMALL = (-0.57721566, 0.42278420, 0.23069756, 0.3488590e-1, 0.262698e-2, 0.10750e-3, 0.74e-5)
_K0_LARGE = (1.25331414, -0.7832358e-1, 0.2189568e-1, -0.1062446e-1, 0.587872e-2, -0.251540e-2,
             0.53208e-3)
_K1_SMALL = (1.0, 0.15443144, -0.67278579, -0.18156897, -0.1919402e-1, -0.110404e-2, -0.4686e-4)
_K1_LARGE = (1.25331414, 0.23498619, -0.3655620e-1, 0.1504268e-1, -0.780353e-2, 0.325614e-2,
             -0.68245e-3)


def _j0(x: float) -> float:
    y = x * x
    return _poly(_J0_NUM, y) / _poly(_J0_DEN, y)


def _j1(x: float) -> float:
    y = x * x
    return x * _poly(_J1_NUM, y) / _poly(_J1_DEN, y)


def _asymptotic(x: float, p, q, phase: float, sine_first: bool) -> float:
    z = 8.0 / x
    y = z * z
    xx = x - phase
    if sine_first:       # Y
        return math.sqrt(_W / x) * (math.sin(xx) * _poly(p, y) + z * math.cos(xx) * _poly(q, y))
    return math.sqrt(_W / x) * (math.cos(xx) * _poly(p, y) - z * math.sin(xx) * _poly(q, y))


def _y0(x: float) -> float:
    if x < 8.0:
        y = x * x
        return _poly(_Y0_NUM, y) / _poly(_Y0_DEN, y) + _W * _j0(x) * math.log(x)
    return _asymptotic(x, _P0, _Q0, 0.785398164, True)


def _y1(x: float) -> float:
    if x < 8.0:
        y = x * x
        return x * _poly(_Y1_NUM, y) / _poly(_Y1_DEN, y) + _W * (_j1(x) * math.log(x) - 1.0 / x)
    return _asymptotic(x, _P1, _Q1, 2.356194491, True)


def _i0(x: float) -> float:
    ax = abs(x)
    if ax < 3.75:
        return _poly(_I0_SMALL, (x / 3.75) ** 2)
    return math.exp(ax) / math.sqrt(ax) * _poly(_I0_LARGE, 3.75 / ax)


def _i1(x: float) -> float:
    ax = abs(x)
    if ax < 3.75:
        return x * _poly(_I1_SMALL, (x / 3.75) ** 2)
    r = math.exp(ax) / math.sqrt(ax) * _poly(_I1_LARGE, 3.75 / ax)
    return -r if x < 0 else r


def _k0(x: float) -> float:
    if x <= 2.0:
        return -math.log(x / 2.0) * _i0(x) + _poly(_K0_SMALL, x * x / 4.0)
    return math.exp(-x) / math.sqrt(x) * _poly(_K0_LARGE, 2.0 / x)


def _k1(x: float) -> float:
    if x <= 2.0:
        return math.log(x / 2.0) * _i1(x) + (1.0 / x) * _poly(_K1_SMALL, x * x / 4.0)
    return math.exp(-x) / math.sqrt(x) * _poly(_K1_LARGE, 2.0 / x)


def _upward(f0: float, f1: float, n: int, tox: float, sign: float) -> float:
    """f_n from f_0 and f_1 by f_{j+1} = j tox f_j + sign f_{j-1} (Y: sign -1; K: +1)."""
    for j in range(1, n):
        f0, f1 = f1, j * tox * f1 + sign * f0
    return f1


def besselj(x: float, n: int) -> float | None:
    """J_n(x), n >= 0 whole; None where |x| >= 8 and the asymptotic form is used (n < |x|):
    Excel's values there are not those of the published form (BESSEL.xlsx BESSELJ!C14,
    BESSELJ(10,1): Excel 0.04347224965225415, the form 0.04347274633934274, exact
    0.0434727461688614; its J0(10) differs in the 10th digit), and how is not known here."""
    ax = abs(x)
    if ax >= 8.0 and n < ax:
        return None
    if n == 0:
        return _j0(ax)
    if ax == 0.0:
        return 0.0
    if n == 1:
        r = _j1(ax)
    elif ax > n:                  # below 8: upward from J0, J1
        r = _upward(_j0(ax), _j1(ax), n, 2.0 / ax, -1.0)
    else:
        tox = 2.0 / ax
        m = 2 * ((n + int(math.sqrt(_ACC * n))) // 2)
        even = False
        bjp = r = total = 0.0
        bj = 1.0
        for j in range(m, 0, -1):
            bjp, bj = bj, j * tox * bj - bjp
            if abs(bj) > _BIG:
                bj *= _SMALL
                bjp *= _SMALL
                r *= _SMALL
                total *= _SMALL
            if even:
                total += bj
            even = not even
            if j == n:
                r = bjp
        r /= 2.0 * total - bj
    return -r if x < 0 and n % 2 else r


def bessely(x: float, n: int) -> float:
    """Y_n(x), x > 0, n >= 0 whole."""
    if n == 0:
        return _y0(x)
    if n == 1:
        return _y1(x)
    return _upward(_y0(x), _y1(x), n, 2.0 / x, -1.0)


def besseli(x: float, n: int) -> float:
    """I_n(x), n >= 0 whole."""
    if n == 0:
        return _i0(x)
    if x == 0.0:
        return 0.0
    if n == 1:
        return _i1(x)
    tox = 2.0 / abs(x)
    bip = r = 0.0
    bi = 1.0
    for j in range(2 * (n + int(math.sqrt(_ACC * n))), 0, -1):
        bip, bi = bi, bip + j * tox * bi
        if abs(bi) > _BIG:
            r *= _SMALL
            bi *= _SMALL
            bip *= _SMALL
        if j == n:
            r = bip
    r *= _i0(x) / bi
    return -r if x < 0 and n % 2 else r


def besselk(x: float, n: int) -> float:
    """K_n(x), x > 0, n >= 0 whole."""
    if n == 0:
        return _k0(x)
    if n == 1:
        return _k1(x)
    return _upward(_k0(x), _k1(x), n, 2.0 / x, 1.0)
