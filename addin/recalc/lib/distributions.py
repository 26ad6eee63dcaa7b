"""Distributions built on the regularized incomplete gamma and beta functions: GAMMA, BETA,
CHISQ, T and F (each with its inverse), and CONFIDENCE.T. Each cites its page's edge cases.

The incomplete functions are computed by their series and continued fractions (Numerical
Recipes, 3rd ed., 6.2 and 6.4) to full double precision; the inverses by bisection on the
distribution function to a relative 1e-15 of the argument.
"""
from __future__ import annotations

import math

from ..values import DIV0, NA, NUM, VALUE, XLError, to_number
from .common import declare, paired_cells
from .elementwise import elementwise, range_args

_EPS = 1e-16
_TINY = 1e-300
_ITERATIONS = 10_000


class NotConverged(ArithmeticError):
    """A series or continued fraction that did not reach full precision: refused, never a
    less precise number."""


def _log_prefactor(a: float, x: float) -> float:
    """ln(x^a e^-x / Gamma(a)), the factor of both incomplete gamma functions. From a = 100 on,
    with Stirling's series for ln Gamma(a) (its remainder below 1E-21 there), as
    a (log1p(t) - t) + ln(a / 2 pi) / 2 - (the series' correction), t = (x - a) / a: the direct
    sum of terms near a ln a cancels, losing 1E-9 of the result at a = 1E6 (POISSON.DIST(1E6,
    1E6,TRUE) is 0.5002659614862837 in Excel, exact: the Excel-saved
    calc_tests__STATISTICAL__POISSON.xlsx D31)."""
    if a < 100:
        return a * math.log(x) - x - math.lgamma(a)
    t = (x - a) / a
    inv = 1 / a
    inv2 = inv * inv
    correction = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)))
    return a * (math.log1p(t) - t) + 0.5 * math.log(a / (2 * math.pi)) - correction


def gamma_p(a: float, x: float) -> float:
    """The regularized lower incomplete gamma function P(a, x)."""
    if x <= 0:
        return 0.0
    lg = _log_prefactor(a, x)
    if x < a + 1:                      # the series
        term = total = 1.0 / a
        ap = a
        for _ in range(_ITERATIONS):
            ap += 1
            term *= x / ap
            total += term
            if abs(term) < abs(total) * _EPS:
                return total * math.exp(lg)
        raise NotConverged
    return 1.0 - gamma_q_cf(a, x, lg)


def gamma_q_cf(a: float, x: float, lg: float) -> float:
    """Q(a, x) = 1 - P(a, x) by Lentz's continued fraction (x >= a + 1)."""
    b = x + 1 - a
    c = 1 / _TINY
    d = 1 / b
    h = d
    for i in range(1, _ITERATIONS):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = _TINY if abs(d) < _TINY else d
        c = b + an / c
        c = _TINY if abs(c) < _TINY else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < _EPS:
            return math.exp(lg) * h
    raise NotConverged


def gamma_q(a: float, x: float) -> float:
    """Q(a, x), accurate in the upper tail."""
    if x <= 0:
        return 1.0
    if x < a + 1:
        return 1.0 - gamma_p(a, x)
    return gamma_q_cf(a, x, _log_prefactor(a, x))


def _betacf(a: float, b: float, x: float) -> float:
    qab, qap, qam = a + b, a + 1, a - 1
    c = 1.0
    d = 1 - qab * x / qap
    d = _TINY if abs(d) < _TINY else d
    d = 1 / d
    h = d
    for m in range(1, _ITERATIONS):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        d = _TINY if abs(d) < _TINY else d
        c = 1 + aa / c
        c = _TINY if abs(c) < _TINY else c
        d = 1 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        d = _TINY if abs(d) < _TINY else d
        c = 1 + aa / c
        c = _TINY if abs(c) < _TINY else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < _EPS:
            return h
    raise NotConverged


def beta_i(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    lbt = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1) / (a + b + 2):
        return math.exp(lbt) * _betacf(a, b, x) / a
    return 1.0 - math.exp(lbt) * _betacf(b, a, 1 - x) / b


def _bisect(below, lo: float, hi: float) -> float:
    """The point of [lo, hi] where ``below`` turns False (True at lo, False at hi), to a
    relative 1e-15: halving toward 0 while lo is 0, so a root of 1E-300 takes a thousand steps
    at most, then bisection."""
    for _ in range(3000):
        mid = hi / 2 if lo == 0 else (lo + hi) / 2
        if not lo < mid < hi:
            break
        if below(mid):
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-15 * hi:
            break
    return (lo + hi) / 2


def _tails(ev, name: str, p: float, tail: str):
    """(lower, upper) tail probabilities of ``p`` given as the ``tail`` one, the other 1 - p
    (exact where it is used: an inverse works in the tail of at most 1/2, where 1 - p is
    exact); None and the cell refused when the smaller is below 1E-290, where the distribution
    functions underflow."""
    lower, upper = (p, 1 - p) if tail == "lower" else (1 - p, p)
    if min(lower, upper) < 1e-290:
        return None, ev.unsupported(name, "a probability below 1E-290")
    return (lower, upper), None


# Excel's inverses are exact to the last digits in both tails (BETA.INV of 3.038194444441917E-24
# is 1.0000000000000012E-12, of 0.9999999999999962 1.199999004352299; GAMMA.INV of 1E-7 and of
# 0.999999 1.4902187371078093 and 61.91422671617931; CONFIDENCE.T with alpha 0.999999
# 1.781519460717496E-07: the Excel-saved calc_tests__STATISTICAL__BETADIST_BETAINV.xlsx H11, H10;
# GAMMA.xlsx F70, F74; CONFIDENCE.xlsx E8, each within 5E-16 of the exact inverse). So each
# inverse is solved in its smaller tail, where the tail's function keeps full relative
# precision: the lower one, or the upper one for 1 - x.

def beta_root(a: float, b: float, lower: float, upper: float) -> tuple[float, float]:
    """(x, 1 - x) with I_x(a, b) = lower (1 - I_x(a, b) = I_{1-x}(b, a) = upper), both to full
    relative precision."""
    if lower <= 0.5:
        x = _bisect(lambda t: beta_i(a, b, t) < lower, 0.0, 1.0)
        return x, 1 - x
    y = _bisect(lambda t: beta_i(b, a, t) < upper, 0.0, 1.0)
    return 1 - y, y


def gamma_root(a: float, lower: float, upper: float) -> float:
    """x with P(a, x) = lower (Q(a, x) = upper)."""
    hi = max(a, 1.0)
    if lower <= 0.5:
        while gamma_p(a, hi) < lower:
            hi *= 2
        return _bisect(lambda t: gamma_p(a, t) < lower, 0.0, hi)
    while gamma_q(a, hi) > upper:
        hi *= 2
    return _bisect(lambda t: gamma_q(a, t) > upper, 0.0, hi)


# ----------------------------------------------------------------------------- GAMMA, CHISQ

def _gamma_dist(ev, x, alpha, beta, cumulative):
    """GAMMA.DIST / GAMMADIST(x, alpha, beta, cumulative): x < 0, alpha <= 0 or beta <= 0 is
    #NUM!."""
    if x < 0 or alpha <= 0 or beta <= 0:
        return NUM
    if cumulative:
        return gamma_p(alpha, x / beta)
    if x == 0:
        return (1 / beta if alpha == 1 else 0.0) if alpha >= 1 else NUM
    return math.exp((alpha - 1) * math.log(x) - x / beta - alpha * math.log(beta) - math.lgamma(alpha))


def _gamma_inv(ev, p, alpha, beta):
    """GAMMA.INV / GAMMAINV(probability, alpha, beta): probability outside 0..1 (1 included),
    alpha <= 0 or beta <= 0 is #NUM!; probability 0 is 0."""
    if not 0 <= p < 1 or alpha <= 0 or beta <= 0:
        return NUM
    if p == 0:
        return 0.0
    tails, refused = _tails(ev, "GAMMA.INV", p, "lower")
    return refused or beta * gamma_root(alpha, *tails)


def _chisq_dist(ev, x, df, cumulative):
    """CHISQ.DIST(x, deg_freedom, cumulative): deg_freedom truncated, outside 1..10^10 #NUM!;
    x < 0 #NUM!."""
    k = int(df)
    if x < 0 or not 1 <= k <= 1e10:
        return NUM
    return _gamma_dist(ev, x, k / 2, 2.0, cumulative)


def _chisq_rt(ev, x, df):
    """CHISQ.DIST.RT / CHIDIST(x, deg_freedom): the right tail; x < 0 or deg_freedom outside
    1..10^10 is #NUM!."""
    k = int(df)
    if x < 0 or not 1 <= k <= 1e10:
        return NUM
    return gamma_q(k / 2, x / 2)


def _chisq_inv(ev, p, df):
    """CHISQ.INV(probability, deg_freedom): probability outside 0..1 or deg_freedom outside
    1..10^10 is #NUM!."""
    k = int(df)
    if not 0 <= p < 1 or not 1 <= k <= 1e10:
        return NUM
    if p == 0:
        return 0.0
    tails, refused = _tails(ev, "CHISQ.INV", p, "lower")
    return refused or 2 * gamma_root(k / 2, *tails)


def _chisq_inv_rt(ev, p, df):
    """CHISQ.INV.RT / CHIINV(probability, deg_freedom): probability outside (0, 1] or
    deg_freedom outside 1..10^10 is #NUM!."""
    k = int(df)
    if not 0 < p <= 1 or not 1 <= k <= 1e10:
        return NUM
    if p == 1:
        return 0.0
    tails, refused = _tails(ev, "CHISQ.INV.RT", p, "upper")
    return refused or 2 * gamma_root(k / 2, *tails)


# ----------------------------------------------------------------------------- BETA

def _beta_dist(ev, x, alpha, beta, cumulative, lo=0.0, hi=1.0):
    """BETA.DIST(x, alpha, beta, cumulative, [A=0], [B=1]): x outside A..B, A = B, alpha <= 0 or
    beta <= 0 is #NUM!."""
    if alpha <= 0 or beta <= 0 or lo >= hi or not lo <= x <= hi:
        return NUM
    t = (x - lo) / (hi - lo)
    if cumulative:
        return beta_i(alpha, beta, t)
    if t in (0.0, 1.0):
        return NUM
    lb = math.lgamma(alpha) + math.lgamma(beta) - math.lgamma(alpha + beta)
    return math.exp((alpha - 1) * math.log(t) + (beta - 1) * math.log1p(-t) - lb) / (hi - lo)


def _betadist(ev, x, alpha, beta, lo=0.0, hi=1.0):
    """BETADIST(x, alpha, beta, [A], [B]): the cumulative BETA.DIST."""
    return _beta_dist(ev, x, alpha, beta, True, lo, hi)


def _beta_inv(ev, p, alpha, beta, lo=0.0, hi=1.0):
    """BETA.INV / BETAINV(probability, alpha, beta, [A=0], [B=1]): probability outside (0, 1)
    (BETADIST_BETAINV.xlsx H68, H69), alpha <= 0, beta <= 0 or A >= B is #NUM!."""
    if not 0 < p < 1 or alpha <= 0 or beta <= 0 or lo >= hi:
        return NUM
    tails, refused = _tails(ev, "BETA.INV", p, "lower")
    if refused:
        return refused
    x = beta_root(alpha, beta, *tails)[0]
    r = lo + x * (hi - lo)
    if r != 0 and abs(r) < 1e-12 * abs(lo):
        # the rounding noise of a result at 0 (Excel -2.220446049250313E-16 for BETA.INV(
        # 0.9526182716825916, 2, 2.5, -1, 0.234): BETADIST_BETAINV.xlsx H16) follows the last bit
        return ev.unsupported("BETA.INV", "a result at the rounding noise of its lower bound")
    return r


# ----------------------------------------------------------------------------- T, F

def _t_cdf(t: float, df: float) -> float:
    x = df / (df + t * t)
    tail = 0.5 * beta_i(df / 2, 0.5, x)
    return 1 - tail if t > 0 else tail


def _t_dist(ev, x, df, cumulative):
    """T.DIST(x, deg_freedom, cumulative): deg_freedom truncated, below 1 is #NUM!."""
    k = int(df)
    if k < 1:
        return NUM
    if cumulative:
        return _t_cdf(x, k)
    return math.exp(math.lgamma((k + 1) / 2) - math.lgamma(k / 2)) / math.sqrt(k * math.pi) \
        * (1 + x * x / k) ** (-(k + 1) / 2)


def _t_rt(ev, x, df):
    """T.DIST.RT(x, deg_freedom): the right tail; deg_freedom below 1 is #NUM!."""
    k = int(df)
    if k < 1:
        return NUM
    return 1 - _t_cdf(x, k) if x <= 0 else 0.5 * beta_i(k / 2, 0.5, k / (k + x * x))


def _t_2t(ev, x, df):
    """T.DIST.2T(x, deg_freedom): both tails; x < 0 or deg_freedom below 1 is #NUM!."""
    k = int(df)
    if x < 0 or k < 1:
        return NUM
    return beta_i(k / 2, 0.5, k / (k + x * x))


def _tdist(ev, x, df, tails):
    """TDIST(x, deg_freedom, tails): tails 1 or 2 (truncated), else #NUM!; x < 0 #NUM!."""
    tails = int(tails)
    if tails not in (1, 2) or x < 0:
        return NUM
    return _t_rt(ev, x, df) if tails == 1 else _t_2t(ev, x, df)


def _t_inv(ev, p, df):
    """T.INV(probability, deg_freedom): probability outside (0, 1) or deg_freedom below 1 is
    #NUM!."""
    k = int(df)
    if not 0 < p < 1 or k < 1:
        return NUM
    if p == 0.5:
        return 0.0
    upper = p > 0.5
    q = 2 * (1 - p) if upper else 2 * p              # the two-tailed probability
    t = _t_inv_2t(ev, q, float(k))
    return t if upper else -t


def _t_inv_2t(ev, p, df):
    """T.INV.2T / TINV(probability, deg_freedom): probability outside (0, 1] or deg_freedom
    below 1 is #NUM!."""
    k = int(df)
    if not 0 < p <= 1 or k < 1:
        return NUM
    if p == 1:
        return 0.0
    # the two tails beyond t: I_x(k/2, 1/2) with x = k/(k + t^2), so t = sqrt(k (1 - x) / x)
    tails, refused = _tails(ev, "T.INV.2T", p, "lower")
    if refused:
        return refused
    x, rest = beta_root(k / 2, 0.5, *tails)
    return math.sqrt(k * rest / x) if x > 0 else NUM


def _f_cdf(x: float, d1: float, d2: float) -> float:
    return beta_i(d1 / 2, d2 / 2, d1 * x / (d1 * x + d2))


def _f_dist(ev, x, d1, d2, cumulative):
    """F.DIST(x, deg_freedom1, deg_freedom2, cumulative): degrees truncated, below 1 #NUM!;
    x < 0 #NUM!."""
    d1, d2 = int(d1), int(d2)
    if x < 0 or d1 < 1 or d2 < 1:
        return NUM
    if cumulative:
        return _f_cdf(x, d1, d2)
    if x == 0:
        return 0.0 if d1 > 2 else (1.0 if d1 == 2 else NUM)
    lb = math.lgamma(d1 / 2) + math.lgamma(d2 / 2) - math.lgamma((d1 + d2) / 2)
    return math.exp((d1 / 2) * math.log(d1 / d2) + (d1 / 2 - 1) * math.log(x)
                    - ((d1 + d2) / 2) * math.log1p(d1 * x / d2) - lb)


def _f_rt(ev, x, d1, d2):
    """F.DIST.RT / FDIST(x, deg_freedom1, deg_freedom2): the right tail; x < 0 or degrees below
    1 is #NUM!."""
    d1, d2 = int(d1), int(d2)
    if x < 0 or d1 < 1 or d2 < 1:
        return NUM
    return beta_i(d2 / 2, d1 / 2, d2 / (d2 + d1 * x))


def _f_inv(ev, p, d1, d2):
    """F.INV(probability, deg_freedom1, deg_freedom2): probability outside 0..1 or degrees below
    1 is #NUM!."""
    d1, d2 = int(d1), int(d2)
    if not 0 <= p < 1 or d1 < 1 or d2 < 1:
        return NUM
    if p == 0:
        return 0.0
    return _f_inv_tail(ev, "F.INV", p, "lower", d1, d2)


def _f_inv_rt(ev, p, d1, d2):
    """F.INV.RT / FINV(probability, deg_freedom1, deg_freedom2): probability outside (0, 1] or
    degrees below 1 is #NUM!."""
    d1, d2 = int(d1), int(d2)
    if not 0 < p <= 1 or d1 < 1 or d2 < 1:
        return NUM
    if p == 1:
        return 0.0
    return _f_inv_tail(ev, "F.INV.RT", p, "upper", d1, d2)


def _f_inv_tail(ev, name, p, tail, d1, d2):
    """x with F's ``tail`` probability p: the cdf is I_u(d1/2, d2/2) with u = d1 x/(d1 x + d2),
    so x = d2 u / (d1 (1 - u))."""
    tails, refused = _tails(ev, name, p, tail)
    if refused:
        return refused
    u, rest = beta_root(d1 / 2, d2 / 2, *tails)
    return d2 * u / (d1 * rest) if rest > 0 else NUM


def _confidence_t(ev, alpha, sd, n):
    """CONFIDENCE.T(alpha, standard_dev, size): size truncated; alpha outside (0, 1) or
    standard_dev <= 0 is #NUM!; size 1 #DIV/0!, below 1 #NUM!."""
    n = int(n)
    if not 0 < alpha < 1 or sd <= 0 or n < 1:
        return NUM
    if n == 1:
        return DIV0
    t = _t_inv_2t(ev, alpha, float(n - 1))
    if isinstance(t, XLError):
        return t
    return t * sd / math.sqrt(n)


def _numbers_of(ev, name, arg):
    """The numbers of a range argument (text, logical values and blanks skipped), or the error."""
    grids = range_args(ev, name, [arg], (0,))
    if isinstance(grids, XLError):
        return grids
    out = []
    for row in grids[0]:
        for x in row:
            if isinstance(x, XLError):
                return x
            if isinstance(x, (int, float)) and not isinstance(x, bool):
                out.append(float(x))
    return out


def _two_samples(ev, name, args):
    """(numbers of array1, numbers of array2) of T.TEST and F.TEST, or the first error."""
    a, b = _numbers_of(ev, name, args[0]), _numbers_of(ev, name, args[1])
    for v in (a, b):
        if isinstance(v, XLError):
            return v
    return a, b


@declare(array_mode=(0, 1))            # both arrays whole
def _ttest(ev, args):
    """T.TEST / TTEST(array1, array2, tails, type): Student's t-test probability; tails 1 or 2
    and type 1 (paired), 2 (equal variances) or 3 (unequal variances), truncated, else #NUM!;
    paired arrays of different sizes #N/A, pairs with a non-number left out; too few numbers
    #DIV/0!."""
    if len(args) != 4:
        return VALUE
    samples = _two_samples(ev, "T.TEST", args)
    if isinstance(samples, XLError):
        return samples
    a, b = samples
    tails, kind = to_number(args[2][1], ev.epoch), to_number(args[3][1], ev.epoch)
    for v in (tails, kind):
        if isinstance(v, XLError):
            return v
    tails, kind = int(tails), int(kind)
    if tails not in (1, 2) or kind not in (1, 2, 3):
        return NUM
    if kind == 1:
        # paired: the positions where both arrays hold numbers (T_TEST.xlsx F2: a pair with
        # text or a logical value on either side is left out)
        pairs = paired_cells(ev, "T.TEST", args)
        if isinstance(pairs, XLError):
            return pairs
        ca, cb = pairs

        def num(x):
            return isinstance(x, (int, float)) and not isinstance(x, bool)
        d = [float(x) - float(y) for x, y in zip(ca, cb) if num(x) and num(y)]
        n = len(d)
        if n < 2:
            return DIV0
        md = math.fsum(d) / n
        sd = math.sqrt(math.fsum((x - md) ** 2 for x in d) / (n - 1))
        if sd == 0:
            return DIV0
        t, df = md / (sd / math.sqrt(n)), n - 1.0
    else:
        n1, n2 = len(a), len(b)
        if n1 < 2 or n2 < 2:
            return DIV0
        m1, m2 = math.fsum(a) / n1, math.fsum(b) / n2
        v1 = math.fsum((x - m1) ** 2 for x in a) / (n1 - 1)
        v2 = math.fsum((x - m2) ** 2 for x in b) / (n2 - 1)
        if kind == 2:
            df = n1 + n2 - 2.0
            pooled = ((n1 - 1) * v1 + (n2 - 1) * v2) / df
            se = math.sqrt(pooled * (1 / n1 + 1 / n2))
        else:
            se = math.sqrt(v1 / n1 + v2 / n2)
            df = (v1 / n1 + v2 / n2) ** 2 / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1)) if se else 0
        if se == 0:
            return DIV0
        t = (m1 - m2) / se
    p = beta_i(df / 2, 0.5, df / (df + t * t))    # both tails
    return p / 2 if tails == 1 else p


@declare(array_mode=(0, 1))            # both arrays whole
def _ftest(ev, args):
    """F.TEST / FTEST(array1, array2): the two-tailed probability that the variances differ
    no more than by chance; fewer than two numbers in either, or a variance of 0, #DIV/0!."""
    if len(args) != 2:
        return VALUE
    samples = _two_samples(ev, "F.TEST", args)
    if isinstance(samples, XLError):
        return samples
    a, b = samples
    if len(a) < 2 or len(b) < 2:
        return DIV0
    m1, m2 = math.fsum(a) / len(a), math.fsum(b) / len(b)
    v1 = math.fsum((x - m1) ** 2 for x in a) / (len(a) - 1)
    v2 = math.fsum((x - m2) ** 2 for x in b) / (len(b) - 1)
    if v1 == 0 or v2 == 0:
        return DIV0
    f, d1, d2 = v1 / v2, len(a) - 1, len(b) - 1
    right = beta_i(d2 / 2, d1 / 2, d2 / (d2 + d1 * f))
    return 2 * min(right, 1 - right)


@declare(array_mode=(0, 1))            # both arrays whole
def _chisq_test(ev, args):
    """CHISQ.TEST / CHITEST(actual_range, expected_range): the chi-squared probability of the
    observed counts; ranges of different shapes are #N/A; an expected 0 is #DIV/0!; degrees of
    freedom (r-1)(c-1), or n-1 for one row or column."""
    if len(args) != 2:
        return VALUE
    grids = range_args(ev, "CHISQ.TEST", args, (0, 1))
    if isinstance(grids, XLError):
        return grids
    act, exp = grids
    if len(act) != len(exp) or len(act[0]) != len(exp[0]):
        return NA
    chi = 0.0
    for ra, re_ in zip(act, exp):
        for x, e in zip(ra, re_):
            for v in (x, e):
                if isinstance(v, XLError):
                    return v
            if isinstance(x, (int, float)) and not isinstance(x, bool) and \
                    isinstance(e, (int, float)) and not isinstance(e, bool):
                if e == 0:
                    return DIV0
                chi += (x - e) ** 2 / e
    r, c = len(act), len(act[0])
    df = (r - 1) * (c - 1) if r > 1 and c > 1 else max(r, c) - 1
    if df < 1:
        return NA
    return gamma_q(df / 2, chi / 2)


FUNCTIONS = {
    "GAMMA.DIST": elementwise(_gamma_dist, (4, 4), "nnnb"),
    "GAMMADIST": elementwise(_gamma_dist, (4, 4), "nnnb"),
    "GAMMA.INV": elementwise(_gamma_inv, (3, 3), "n"),
    "GAMMAINV": elementwise(_gamma_inv, (3, 3), "n"),
    "CHISQ.DIST": elementwise(_chisq_dist, (3, 3), "nnb"),
    "CHISQ.DIST.RT": elementwise(_chisq_rt, (2, 2), "n"),
    "CHIDIST": elementwise(_chisq_rt, (2, 2), "n"),
    "CHISQ.INV": elementwise(_chisq_inv, (2, 2), "n"),
    "CHISQ.INV.RT": elementwise(_chisq_inv_rt, (2, 2), "n"),
    "CHIINV": elementwise(_chisq_inv_rt, (2, 2), "n"),
    "BETA.DIST": elementwise(_beta_dist, (4, 6), "nnnbn"),
    "BETADIST": elementwise(_betadist, (3, 5), "n"),
    "BETA.INV": elementwise(_beta_inv, (3, 5), "n"),
    "BETAINV": elementwise(_beta_inv, (3, 5), "n"),
    "T.DIST": elementwise(_t_dist, (3, 3), "nnb"),
    "T.DIST.RT": elementwise(_t_rt, (2, 2), "n"),
    "T.DIST.2T": elementwise(_t_2t, (2, 2), "n"),
    "TDIST": elementwise(_tdist, (3, 3), "n"),
    "T.INV": elementwise(_t_inv, (2, 2), "n"),
    "T.INV.2T": elementwise(_t_inv_2t, (2, 2), "n"),
    "TINV": elementwise(_t_inv_2t, (2, 2), "n"),
    "F.DIST": elementwise(_f_dist, (4, 4), "nnnb"),
    "F.DIST.RT": elementwise(_f_rt, (3, 3), "n"),
    "FDIST": elementwise(_f_rt, (3, 3), "n"),
    "F.INV": elementwise(_f_inv, (3, 3), "n"),
    "F.INV.RT": elementwise(_f_inv_rt, (3, 3), "n"),
    "FINV": elementwise(_f_inv_rt, (3, 3), "n"),
    "CONFIDENCE.T": elementwise(_confidence_t, (3, 3), "n"),
    "T.TEST": _ttest,
    "TTEST": _ttest,
    "F.TEST": _ftest,
    "FTEST": _ftest,
    "CHISQ.TEST": _chisq_test,
    "CHITEST": _chisq_test,
}
