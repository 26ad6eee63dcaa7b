"""Counting and aggregation functions. Each cites the edge cases of Excel's documentation."""
from __future__ import annotations

import datetime as _dt
import math
from statistics import NormalDist

from ..values import DIV0, NA, NUM, REF, VALUE, XLError, fifteen_digits, flatten, is_grid, shape_of, to_bool, to_number
from . import math as xl_math
from .common import ALL, agg, declare, paired_cells
from .criteria import Unordered, count_beyond, matcher
from .distributions import gamma_q
from .dynamic import grid_result
from .elementwise import (
    broadcast_all,
    elementwise,
    grid_of,
    is_number,
    numbers_in,
    range_args,
    refuse_intersected,
    whole_ranges,
)
from .math import power


def _criteria_map(ev, name, crit, fn):
    """``fn(matcher)`` for a criterion, or an array of results for an array of criteria (a
    1x1 grid is its cell); a text order Excel's collation leaves uncertain is refused."""
    def one(c):
        try:
            return fn(matcher(c, ev.epoch))
        except Unordered:
            return ev.unsupported(name, "text ordering of punctuation or non-ASCII letters")
    if is_grid(crit) and (len(crit) > 1 or len(crit[0]) > 1):
        return [[one(c) for c in row] for row in crit]
    return one(crit)


def _cells(grid):
    """(row, col, value) of every cell of a grid, the empty cells beyond a clipped grid's used
    area included as one (row None) entry counted by count_beyond."""
    for r, row in enumerate(grid):
        for c, x in enumerate(row):
            yield r, c, x


@declare(array_mode=0, clip_safe=True)           # the range whole
def _countif(ev, args):
    """COUNTIF(range, criteria): the cells of range meeting the criterion (see criteria.py);
    an array of criteria gives an array of counts."""
    if len(args) != 2:
        return VALUE
    g = range_args(ev, "COUNTIF", args, (0,))
    if isinstance(g, XLError):
        return g
    g = g[0]
    beyond = count_beyond(g)

    def count(test):
        n = sum(1 for row in g for x in row if test(x))
        return float(n + (beyond if beyond and test(None) else 0))
    return _criteria_map(ev, "COUNTIF", args[1][1], count)


def _sum_range(ev, name, rng, total_rng):
    if not is_grid(total_rng) or shape_of(total_rng) != shape_of(rng):
        # Excel resizes a sum_range of another shape from its top-left cell over the sheet
        return ev.unsupported(name, "a sum_range of a different shape from range")
    return total_rng


def _conditional_ranges(single: bool, how: str) -> tuple:
    """The range arguments of SUMIF/AVERAGEIF (range, sum_range), COUNTIFS (every criteria
    range) and SUMIFS-like functions (the sum range and every criteria range), passed whole."""
    if single:
        return 0, 2
    return tuple(range(0, 255, 2)) if how == "count" else (0, *range(1, 255, 2))


def _conditional(name: str, how: str, single: bool):
    """SUMIF/AVERAGEIF (single: range, criteria, [sum_range]) and SUMIFS/AVERAGEIFS/MAXIFS/
    MINIFS/COUNTIFS (target range first, then range/criteria pairs)."""
    def run(ev, args):
        if single:
            if len(args) not in (2, 3):
                return VALUE
            pos = (0, 2) if len(args) == 3 else (0,)
            grids = range_args(ev, name, args, pos)
            if isinstance(grids, XLError):
                return grids
            target = grids[1] if len(args) == 3 else grids[0]
            pairs = [(grids[0], args[1][1])]
            target = _sum_range(ev, name, grids[0], target)
            if isinstance(target, XLError):
                return target
        else:
            first = 0 if how == "count" else 1
            if len(args) < first + 2 or (len(args) - first) % 2:
                return VALUE
            pos = tuple(range(first, len(args), 2))
            grids = range_args(ev, name, args, ((0,) if first else ()) + pos)
            if isinstance(grids, XLError):
                return grids
            target = grids[0] if first else None
            ranges = grids[1:] if first else grids
            pairs = list(zip(ranges, [args[i + 1][1] for i in pos]))
            shape = shape_of(target if target is not None else ranges[0])
            if any(shape_of(g) != shape for g in ranges):
                return VALUE                 # "each additional range must have the same shape"
        crits = [c for _, c in pairs]
        if any(is_grid(c) and (len(c) > 1 or len(c[0]) > 1) for c in crits):
            if len(crits) > 1:
                return ev.unsupported(name, "arrays of criteria in a multi-criteria function")

        def compute(tests):
            ref = target if target is not None else pairs[0][0]
            rows, cols = shape_of(ref)
            picked = []
            count = 0
            for r in range(rows):
                for c in range(cols):
                    ok = True
                    for (g, _), test in zip(pairs, tests):
                        x = g[r][c] if r < len(g) and c < len(g[r]) else None
                        if not test(x):
                            ok = False
                            break
                    if not ok:
                        continue
                    count += 1
                    if target is not None:
                        v = target[r][c] if r < len(target) and c < len(target[r]) else None
                        if isinstance(v, XLError):
                            return v
                        if is_number(v):
                            picked.append(to_number(v, ev.epoch))
            if how == "count":
                return float(count)
            if how == "sum":
                return float(math.fsum(picked))
            if how == "average":
                return math.fsum(picked) / len(picked) if picked else DIV0
            if how == "max":
                return max(picked) if picked else 0.0
            return min(picked) if picked else 0.0

        if len(pairs) == 1:
            return _criteria_map(ev, name, pairs[0][1], lambda t: compute([t]))
        try:
            tests = [matcher(c, ev.epoch) for c in crits]
            return compute(tests)
        except Unordered:
            return ev.unsupported(name, "text ordering of punctuation or non-ASCII letters")
    run.__doc__ = f"""{name}: the cells whose criteria all hold (criteria.py gives Excel's rules);
    ranges of different shapes are #VALUE!; AVERAGEIF(S) of no cell is #DIV/0!, MAXIFS/MINIFS 0;
    only numbers of the target range count, an error there is returned."""
    return declare(run, array_mode=_conditional_ranges(single, how), clip_safe=True)


@declare(array_mode=ALL, clip_safe=True)
def _countblank(ev, args):
    """COUNTBLANK(range): empty cells and cells with empty text ("" from a formula); a cell with
    0 is not counted."""
    if len(args) != 1:
        return VALUE
    g = range_args(ev, "COUNTBLANK", args, (0,))
    if isinstance(g, XLError):
        return g
    g = g[0]
    return float(sum(1 for row in g for x in row if x is None or x == "") + count_beyond(g))


def _count(ev, args):
    """COUNT: in a reference or array only numbers (and dates) count, not logical values, text
    or errors; a value typed as an argument counts when it is a number, a date, a logical value
    or text that reads as a number ("Arguments that are error values or text that cannot be
    translated into numbers are ignored")."""
    n = 0
    for is_ref, v in args:
        if is_grid(v) or is_ref:
            vals = flatten([v]) if is_grid(v) else [v]
            n += sum(1 for x in vals if isinstance(x, (int, float, _dt.date, _dt.time)) and not isinstance(x, bool))
        elif v is not None and not isinstance(v, XLError) and not isinstance(to_number(v, ev.epoch), XLError):
            n += 1
    return float(n)


def _counta(ev, args):
    n = 0
    for a in args:
        vals = flatten([a[1]]) if is_grid(a[1]) else [a[1]]
        n += sum(1 for x in vals if x is not None)
    return float(n)


def _sumproduct(ev, args):
    """SUMPRODUCT(array1, ...): arrays of different dimensions are #VALUE!; entries that are
    not numbers count as 0 ("SUMPRODUCT treats non-numeric array entries as if they were
    zeros"); an error entry is returned; a typed text argument is #VALUE!."""
    if not args:
        return VALUE
    for is_ref, v in args:
        if not is_grid(v) and not is_ref and isinstance(v, str) and not isinstance(v, XLError):
            return VALUE
    grids = [a[1] if is_grid(a[1]) else [[a[1]]] for a in args]
    shape = (len(grids[0]), len(grids[0][0]))
    if any((len(g), len(g[0])) != shape for g in grids):
        return VALUE
    total = 0.0
    for r in range(shape[0]):
        for c in range(shape[1]):
            prod = 1.0
            for g in grids:
                x = g[r][c]
                if isinstance(x, XLError):
                    return x
                prod *= float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else 0.0
            total += prod
    return total


# ----------------------------------------------------------------------------- statistics

def sample(ev, name: str, args, *, with_text: bool = False):
    """The numbers of the arguments as SUM reads them (with_text: the A-functions' rules, text
    in a reference 0 and logical values 1/0), or the error to return."""
    for is_ref, v in args:
        if is_ref and not is_grid(v) and not whole_ranges(ev, name):
            return ev.unsupported(name, "a range argument of a plain formula reduced to one cell (the "
                                  "evaluator does not yet pass this function's ranges whole)")
    out = []
    if with_text:
        for is_ref, v in args:
            for x in (flatten([v]) if is_grid(v) else [v]):
                if isinstance(x, XLError):
                    return x
                if x is None:
                    continue
                if isinstance(x, bool):
                    out.append(1.0 if x else 0.0)
                elif isinstance(x, str):
                    if is_grid(v) or is_ref:
                        out.append(0.0)
                    else:
                        n = to_number(x, ev.epoch)
                        if isinstance(n, XLError):
                            return n
                        out.append(n)
                else:
                    out.append(to_number(x, ev.epoch))
        return out
    for n in numbers_in(args, ev.epoch):
        if isinstance(n, XLError):
            return n
        out.append(n)
    return out


def _stat(name: str, fn, *, with_text: bool = False):
    def run(ev, args):
        if not args:
            return VALUE
        xs = sample(ev, name, args, with_text=with_text)
        if isinstance(xs, XLError):
            return xs
        try:
            r = fn(xs)
        except (ValueError, ZeroDivisionError, OverflowError):
            return NUM
        if isinstance(r, float) and not math.isfinite(r):
            return NUM
        return r
    run.__doc__ = fn.__doc__
    return declare(run, array_mode=ALL, clip_safe=True)      # every argument whole


def _median(xs):
    """MEDIAN: the middle number, or the mean of the two middle ones; no numbers is #NUM!."""
    if not xs:
        return NUM
    ys = sorted(xs)
    n = len(ys)
    return ys[n // 2] if n % 2 else (ys[n // 2 - 1] + ys[n // 2]) / 2


def _mode(xs):
    """MODE / MODE.SNGL: the most frequent number, the first to reach that count in the data
    among ties; no number repeated is #N/A."""
    counts: dict = {}
    for x in xs:
        counts[x] = counts.get(x, 0) + 1
    best = max(counts.values(), default=0)
    if best < 2:
        return NA
    return next(x for x in xs if counts[x] == best)


def _var(sample_: bool):
    def fn(xs):
        """VAR.S / VAR.P (and VAR, VARP, VARA, VARPA): with n-1 (sample) or n; too few numbers
        (fewer than 2, or none) is #DIV/0!."""
        n = len(xs)
        if n < (2 if sample_ else 1):
            return DIV0
        m = math.fsum(xs) / n
        return math.fsum((x - m) ** 2 for x in xs) / (n - 1 if sample_ else n)
    return fn


def _stdev(sample_: bool):
    var = _var(sample_)

    def fn(xs):
        """STDEV.S / STDEV.P (and STDEV, STDEVP, STDEVA, STDEVPA): the square root of VAR."""
        v = var(xs)
        return v if isinstance(v, XLError) else math.sqrt(v)
    return fn


def _devsq(xs):
    """DEVSQ: the sum of squared deviations from the mean; no numbers is #NUM!."""
    if not xs:
        return NUM
    m = math.fsum(xs) / len(xs)
    return math.fsum((x - m) ** 2 for x in xs)


def _avedev(xs):
    """AVEDEV: the mean absolute deviation from the mean; no numbers is #NUM!."""
    if not xs:
        return NUM
    m = math.fsum(xs) / len(xs)
    return math.fsum(abs(x - m) for x in xs) / len(xs)


def _geomean(xs):
    """GEOMEAN: a number <= 0, or no numbers, is #NUM!."""
    if not xs or any(x <= 0 for x in xs):
        return NUM
    return math.exp(math.fsum(math.log(x) for x in xs) / len(xs))


def _harmean(xs):
    """HARMEAN: a number <= 0, or no numbers, is #NUM!."""
    if not xs or any(x <= 0 for x in xs):
        return NUM
    return len(xs) / math.fsum(1 / x for x in xs)


def _moments(xs, least: int, sample_: bool):
    """(n, mean, standard deviation) of ``xs``, or #DIV/0! for fewer than ``least`` numbers or a
    standard deviation of 0 (KURT, SKEW, SKEW.P): the sample's (n - 1) or the population's (n)."""
    n = len(xs)
    if n < least:
        return DIV0
    m = math.fsum(xs) / n
    s = math.sqrt(math.fsum((x - m) ** 2 for x in xs) / (n - 1 if sample_ else n))
    return DIV0 if s == 0 else (n, m, s)


def _kurt(xs):
    """KURT: fewer than four numbers, or a standard deviation of 0, is #DIV/0!."""
    moments = _moments(xs, 4, True)
    if isinstance(moments, XLError):
        return moments
    n, m, s = moments
    k = math.fsum(((x - m) / s) ** 4 for x in xs)
    return n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * k - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3))


def _skew(xs):
    """SKEW: fewer than three numbers, or a standard deviation of 0, is #DIV/0!."""
    moments = _moments(xs, 3, True)
    if isinstance(moments, XLError):
        return moments
    n, m, s = moments
    return n / ((n - 1) * (n - 2)) * math.fsum(((x - m) / s) ** 3 for x in xs)


def _skew_p(xs):
    """SKEW.P: the population skewness; no numbers or a standard deviation of 0 is #DIV/0!."""
    moments = _moments(xs, 1, False)
    if isinstance(moments, XLError):
        return moments
    n, m, s = moments
    return math.fsum(((x - m) / s) ** 3 for x in xs) / n


def _sample_and_number(ev, name: str, args):
    """(numbers, x): the numbers of the array argument and the number after it (TRIMMEAN's
    percent, Z.TEST's and PERCENTRANK's x), or the first error met."""
    xs = sample(ev, name, [args[0]])
    if isinstance(xs, XLError):
        return xs
    x = to_number(args[1][1], ev.epoch)
    return x if isinstance(x, XLError) else (xs, x)


def _array_and_k(name: str, fn):
    """name(array, k) where k is a number that broadcasts (LARGE, SMALL, PERCENTILE, QUARTILE)."""
    def run(ev, args):
        if len(args) != 2:
            return VALUE
        xs = sample(ev, name, [args[0]])
        if isinstance(xs, XLError):
            return xs
        if not is_grid(args[0][1]) and not args[0][0] and args[0][1] is not None:
            x = to_number(args[0][1], ev.epoch)          # SMALL("3.4",1) is 3.4 (SMALL_LARGE.xlsx J3)
            if isinstance(x, XLError):
                return x
            xs = [x]
        ys = sorted(xs)

        def one(k):
            k = to_number(k, ev.epoch)
            if isinstance(k, XLError):
                return k
            return fn(ev, ys, k)
        return broadcast_all(one, [args[1][1]])
    run.__doc__ = fn.__doc__
    return declare(run, array_mode=0, clip_safe=True)        # the array whole


def _large_small(largest: bool):
    def fn(ev, ys, k):
        """LARGE / SMALL(array, k): the k-th largest (smallest); k <= 0 or beyond the count of
        numbers is #NUM! (so is an array without numbers); a fractional k is rounded up, as
        Excel does (LARGE(array,1.5) is the second largest)."""
        kk = math.ceil(k)
        if kk <= 0 or kk > len(ys):
            return NUM
        return ys[-kk] if largest else ys[kk - 1]
    return fn


def _percentile(exclusive: bool, quart: bool):
    def fn(ev, ys, k):
        """PERCENTILE(.INC/.EXC), QUARTILE(.INC/.EXC): linear interpolation between the sorted
        numbers at rank k*(n-1) (inclusive) or k*(n+1)-1 (exclusive); no numbers, k outside
        0..1 (exclusive: outside 1/(n+1)..n/(n+1)) is #NUM!; a quart is truncated, outside 0..4
        (exclusive: 1..3) #NUM!."""
        n = len(ys)
        if n == 0:
            return NUM
        if quart:
            q = int(k)
            if (exclusive and not 1 <= q <= 3) or (not exclusive and not 0 <= q <= 4):
                return NUM
            k = q / 4
        if exclusive:
            if k <= 0 or k >= 1:
                return NUM
            rank = k * (n + 1) - 1
            if rank < 0 or rank > n - 1 + 1e-12:
                return NUM
            rank = min(rank, n - 1)
        else:
            if k < 0 or k > 1:
                return NUM
            rank = k * (n - 1)
        lo = math.floor(rank)
        frac = rank - lo
        if lo + 1 >= n or frac == 0:
            return ys[lo]
        return ys[lo] + frac * (ys[lo + 1] - ys[lo])
    return fn


def _rank(kind: str):
    def run(ev, args):
        """RANK / RANK.EQ / RANK.AVG(number, ref, [order]): the number's rank among the numbers
        of ref (descending when order is 0 or omitted, else ascending); ties share the top rank
        (RANK.EQ) or their average rank (RANK.AVG); a number not in ref is #N/A."""
        if len(args) not in (2, 3):
            return VALUE
        xs = sample(ev, kind, [args[1]])
        if isinstance(xs, XLError):
            return xs
        order = to_number(args[2][1], ev.epoch) if len(args) == 3 and args[2][1] is not None else 0.0
        if isinstance(order, XLError):
            return order

        def one(x):
            x = to_number(x, ev.epoch)
            if isinstance(x, XLError):
                return x
            x = fifteen_digits(x)
            ys = [fifteen_digits(y) for y in xs]
            equal = sum(1 for y in ys if y == x)
            if not equal:
                return NA
            before = sum(1 for y in ys if (y > x if order == 0 else y < x))
            if kind == "RANK.AVG":
                return before + (equal + 1) / 2
            return float(before + 1)
        return broadcast_all(one, [args[0][1]])
    return declare(run, array_mode=1, clip_safe=True)        # ref whole


def _pairs(ev, name, args):
    """The (x, y) number pairs of two equal-sized arrays, skipping a pair where either is not
    a number; arrays of different sizes (by their true shapes: a whole column arrives clipped
    to the used area, the empty cells beyond making no pair) are #N/A; an error is returned."""
    grids = range_args(ev, name, args, (0, 1))
    if isinstance(grids, XLError):
        return grids
    (r1, c1), (r2, c2) = (shape_of(g) for g in grids)
    if r1 * c1 != r2 * c2:
        return NA
    a, b = ([x for row in g for x in row] for g in grids)
    out = []
    for x, y in zip(a, b):
        if isinstance(x, XLError):
            return x
        if isinstance(y, XLError):
            return y
        if is_number(x) and is_number(y):
            out.append((to_number(x, ev.epoch), to_number(y, ev.epoch)))
    return out


def _regression(name: str, what: str):
    def run(ev, args):
        """CORREL / PEARSON / RSQ (array1, array2); SLOPE / INTERCEPT / STEYX (known_ys,
        known_xs); COVAR / COVARIANCE.P / COVARIANCE.S (array1, array2); FORECAST /
        FORECAST.LINEAR (x, known_ys, known_xs): over the pairs where both are numbers; arrays of
        different sizes are #N/A; no pairs, or a variance of 0 where one divides by it, #DIV/0!."""
        if what == "forecast":
            if len(args) != 3:
                return VALUE
            pts = _pairs(ev, name, args[1:])
        else:
            if len(args) != 2:
                return VALUE
            pts = _pairs(ev, name, args)
        if isinstance(pts, XLError):
            return pts
        if what in ("slope", "intercept", "steyx", "forecast"):
            pts = [(x, y) for y, x in pts]       # known_ys first
        n = len(pts)
        if n == 0 or (n < 2 and what not in ("covar", "covp")):
            return DIV0
        mx = math.fsum(x for x, _ in pts) / n
        my = math.fsum(y for _, y in pts) / n
        sxy = math.fsum((x - mx) * (y - my) for x, y in pts)
        sxx = math.fsum((x - mx) ** 2 for x, _ in pts)
        syy = math.fsum((y - my) ** 2 for _, y in pts)
        if what in ("covar", "covp"):
            return sxy / n
        if what == "covs":
            return sxy / (n - 1)
        if what in ("correl", "rsq"):
            if sxx == 0 or syy == 0:
                return DIV0
            r = sxy / math.sqrt(sxx * syy)
            return r * r if what == "rsq" else r
        if sxx == 0:
            return DIV0
        slope = sxy / sxx
        if what == "slope":
            return slope
        if what == "intercept":
            return my - slope * mx
        if what == "steyx":
            if n < 3:
                return DIV0
            return math.sqrt((syy - sxy * sxy / sxx) / (n - 2))
        x = to_number(args[0][1], ev.epoch)
        if isinstance(x, XLError):
            return x
        return my - slope * mx + slope * x
    # the arrays whole; blanks beyond the used area make no pair (see _pairs)
    return declare(run, array_mode=(1, 2) if what == "forecast" else (0, 1), clip_safe=True)


def _standardize(ev, x, mean, sd):
    """STANDARDIZE(x, mean, standard_dev): standard_dev <= 0 is #NUM!."""
    if sd <= 0:
        return NUM
    return (x - mean) / sd


def _fisher(ev, x):
    """FISHER(x): x <= -1 or x >= 1 is #NUM!."""
    if not -1 < x < 1:
        return NUM
    return 0.5 * math.log((1 + x) / (1 - x))


def _fisherinv(ev, y):
    """FISHERINV(y): (e^2y - 1) / (e^2y + 1)."""
    return math.tanh(y)


@declare(array_mode=0, clip_safe=True)
def _trimmean(ev, args):
    """TRIMMEAN(array, percent): the mean without floor(n*percent/2)*2 of the extreme numbers
    (rounded down to an even count); percent < 0 or >= 1 is #NUM!."""
    if len(args) != 2:
        return VALUE
    given = _sample_and_number(ev, "TRIMMEAN", args)
    if isinstance(given, XLError):
        return given
    xs, p = given
    if not 0 <= p < 1 or not xs:
        return NUM
    cut = int(len(xs) * p / 2)
    ys = sorted(xs)[cut:len(xs) - cut]
    return math.fsum(ys) / len(ys)


def norm_cdf(z: float) -> float:
    """The standard normal distribution function, accurate in the far tails (erfc, not 1 - erf:
    NORM.S.DIST(-10,TRUE) is 7.6e-24 in Excel, calc_tests__STATISTICAL__NORM_DIST.xlsx C19)."""
    return 0.5 * math.erfc(-z / math.sqrt(2))


def _normdist(ev, x, mean, sd, cumulative):
    """NORM.DIST / NORMDIST(x, mean, standard_dev, cumulative): standard_dev <= 0 is #NUM!."""
    if sd <= 0:
        return NUM
    return norm_cdf((x - mean) / sd) if cumulative else NormalDist(mean, sd).pdf(x)


def _norminv(ev, p, mean, sd):
    """NORM.INV / NORMINV(probability, mean, standard_dev): probability outside (0, 1) or
    standard_dev <= 0 is #NUM!."""
    if not 0 < p < 1 or sd <= 0:
        return NUM
    return NormalDist(mean, sd).inv_cdf(p)


def _normsdist(ev, z, cumulative):
    """NORM.S.DIST(z, cumulative)."""
    return norm_cdf(z) if cumulative else NormalDist().pdf(z)


def _normsinv(ev, p):
    """NORM.S.INV / NORMSINV(probability): outside (0, 1) is #NUM!."""
    if not 0 < p < 1:
        return NUM
    return NormalDist().inv_cdf(p)


def _phi(ev, x):
    """PHI(x): the standard normal density."""
    return NormalDist().pdf(x)


def _gauss(ev, z):
    """GAUSS(z): NORM.S.DIST(z, TRUE) - 0.5."""
    return norm_cdf(z) - 0.5


def _expondist(ev, x, lam, cumulative):
    """EXPON.DIST / EXPONDIST(x, lambda, cumulative): x < 0 or lambda <= 0 is #NUM!."""
    if x < 0 or lam <= 0:
        return NUM
    return -math.expm1(-lam * x) if cumulative else lam * math.exp(-lam * x)


def _confidence_norm(ev, alpha, sd, n):
    """CONFIDENCE.NORM / CONFIDENCE(alpha, standard_dev, size): alpha outside (0, 1),
    standard_dev <= 0 or size < 1 (truncated) is #NUM!."""
    n = int(n)
    if not 0 < alpha < 1 or sd <= 0 or n < 1:
        return NUM
    return NormalDist().inv_cdf(1 - alpha / 2) * sd / math.sqrt(n)


def _lognormdist(ev, x, mean, sd, cumulative):
    """LOGNORM.DIST(x, mean, standard_dev, cumulative): x <= 0 or standard_dev <= 0 is #NUM!."""
    if x <= 0 or sd <= 0:
        return NUM
    if cumulative:
        return norm_cdf((math.log(x) - mean) / sd)
    return math.exp(-((math.log(x) - mean) ** 2) / (2 * sd * sd)) / (x * sd * math.sqrt(2 * math.pi))


def _lognorminv(ev, p, mean, sd):
    """LOGNORM.INV / LOGINV(probability, mean, standard_dev): probability outside (0, 1) or
    standard_dev <= 0 is #NUM!."""
    if not 0 < p < 1 or sd <= 0:
        return NUM
    return math.exp(mean + sd * NormalDist().inv_cdf(p))


_MAX_TERMS = 100_000        # a cumulative distribution summed term by term: bounded work


def _poisson(ev, x, mean, cumulative):
    """POISSON.DIST / POISSON(x, mean, cumulative): x truncated; x < 0 (before truncation) or
    mean < 0 is #NUM!."""
    if x < 0 or mean < 0:
        return NUM                       # POISSON.DIST(-1e-6,5,TRUE) is #NUM! (calc_tests__STATISTICAL__POISSON.xlsx D26)
    k = int(x)
    if not cumulative:
        return math.exp(k * math.log(mean) - mean - math.lgamma(k + 1)) if mean > 0 else float(k == 0)
    # P(X <= k) = Q(k + 1, mean), the upper incomplete gamma function: exact to the last digits
    # where Excel's is (POISSON.DIST(1E6,1E6,TRUE) 0.5002659614862837: POISSON.xlsx D31)
    return gamma_q(k + 1, mean) if mean > 0 else 1.0


def _binom_pmf(n: int, p: float, k: int) -> float:
    """The binomial probability of k successes in n trials."""
    if p in (0.0, 1.0):
        return float(k == (0 if p == 0 else n))
    return math.exp(math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
                    + k * math.log(p) + (n - k) * math.log1p(-p))


def _binomdist(ev, s, n, p, cumulative):
    """BINOM.DIST / BINOMDIST(number_s, trials, probability_s, cumulative): number_s and
    trials truncated; number_s < 0 or > trials, or probability outside 0..1, is #NUM!."""
    s, n = int(s), int(n)
    if s < 0 or s > n or not 0 <= p <= 1:
        return NUM
    if cumulative and s > _MAX_TERMS:
        return ev.unsupported("BINOM.DIST", f"a cumulative sum of more than {_MAX_TERMS:,} terms")
    if cumulative:
        return math.fsum(_binom_pmf(n, p, k) for k in range(s + 1))
    return _binom_pmf(n, p, s)


def _negbinom(ev, f, s, p, cumulative):
    """NEGBINOM.DIST(number_f, number_s, probability_s, cumulative): number_f and number_s
    truncated; number_f < 0, number_s < 1 or a probability of 0 or 1 or outside is #NUM! (the
    Excel-saved calc_tests__STATISTICAL__BINOM.xlsx, NEGBINOM.DIST!E32:E33) (the probability of
    number_f failures before the number_s-th success)."""
    f, s = int(f), int(s)
    if f < 0 or s < 1 or not 0 < p < 1:
        return NUM
    if cumulative and f > _MAX_TERMS:
        return ev.unsupported("NEGBINOM.DIST", f"a cumulative sum of more than {_MAX_TERMS:,} terms")

    def pmf(k):
        if p in (0.0, 1.0):
            return float(p == 1.0 and k == 0)
        return math.exp(math.lgamma(k + s) - math.lgamma(k + 1) - math.lgamma(s)
                        + s * math.log(p) + k * math.log1p(-p))
    return math.fsum(pmf(k) for k in range(f + 1)) if cumulative else pmf(f)


def _binom_range(ev, n, p, s, s2=None):
    """BINOM.DIST.RANGE(trials, probability_s, number_s, [number_s2]): the probability of
    number_s (to number_s2) successes; all truncated; trials < 0, probability outside 0..1,
    number_s outside 0..trials or number_s2 below number_s or beyond trials is #NUM!."""
    n, s = int(n), int(s)
    s2 = s if s2 is None else int(s2)
    if n < 0 or not 0 <= p <= 1 or not 0 <= s <= n or not s <= s2 <= n:
        return NUM
    if s2 - s > _MAX_TERMS:
        return ev.unsupported("BINOM.DIST.RANGE", f"a sum of more than {_MAX_TERMS:,} terms")
    return math.fsum(_binom_pmf(n, p, k) for k in range(s, s2 + 1))


def _binom_inv(ev, n, p, alpha):
    """BINOM.INV(trials, probability_s, alpha): the smallest k whose cumulative binomial
    probability is >= alpha; trials truncated, < 0 is #NUM!; a probability of 1 (BINOM.xlsx
    BINOM.INV!D25) or outside 0..1, or alpha outside (0, 1), is #NUM!; a probability of 0 is
    not supported (Excel's answer unrecorded)."""
    n = int(n)
    if n < 0 or not 0 <= p < 1 or not 0 < alpha < 1:
        return NUM
    if p == 0:
        return ev.unsupported("BINOM.INV", "a probability of 0")
    if n > _MAX_TERMS:
        return ev.unsupported("BINOM.INV", f"more than {_MAX_TERMS:,} trials")
    total = 0.0
    for k in range(n + 1):
        total += _binom_range(ev, float(n), p, float(k))
        if total >= alpha * (1 - 1e-15):
            return float(k)
    return float(n)


def _weibull(ev, x, alpha, beta, cumulative):
    """WEIBULL.DIST / WEIBULL(x, alpha, beta, cumulative): x < 0, alpha <= 0 or beta <= 0 is
    #NUM!."""
    if x < 0 or alpha <= 0 or beta <= 0:
        return NUM
    if cumulative:
        return 1 - math.exp(-((x / beta) ** alpha))
    return alpha / beta ** alpha * x ** (alpha - 1) * math.exp(-((x / beta) ** alpha))


# ln Gamma(1 + e) = -gamma e + sum over k >= 2 of (-1)^k zeta(k) e^k / k (Abramowitz & Stegun
# 6.1.33): Euler's gamma and zeta(2..8)
_EULER_GAMMA = 0.5772156649015329
_ZETA = (math.pi ** 2 / 6, 1.2020569031595942, math.pi ** 4 / 90, 1.0369277551433699,
         math.pi ** 6 / 945, 1.0083492773819228, math.pi ** 8 / 9450)


def _lgamma_near_1(e: float) -> float:
    """ln Gamma(1 + e) for |e| < 1e-3 to full precision (the series above, its remainder below
    1e-27 of the result), where math.lgamma cancels to a few digits."""
    total = 0.0
    for k in range(len(_ZETA) + 1, 1, -1):
        total += (-1) ** k * _ZETA[k - 2] * e ** k / k
    return -_EULER_GAMMA * e + total


def _gammaln(ev, x):
    """GAMMALN / GAMMALN.PRECISE(x): x <= 0 is #NUM!. Near 1 and 2, where the result is near 0,
    Excel's value is exact to the last digit (GAMMALN(1.0000001) -5.772155829918508E-08,
    GAMMALN(0.9999999) 5.7721574684441944E-08, GAMMALN(1) and GAMMALN(2) 0: the Excel-saved
    calc_tests__STATISTICAL__GAMMALN_GAMMALNPRECISE.xlsx B23, B24, B3, B4), and math.lgamma
    is not (-5.7721558699E-08): the series of ln Gamma(1 + e) there (ln Gamma(2 + e) is
    log1p(e) + ln Gamma(1 + e))."""
    if x <= 0:
        return NUM
    if abs(x - 1) < 1e-3:
        return _lgamma_near_1(x - 1)
    if abs(x - 2) < 1e-3:
        return math.log1p(x - 2) + _lgamma_near_1(x - 2)
    return math.lgamma(x)


def _gamma(ev, x):
    """GAMMA(number): 0 or a negative integer is #NUM!; an overflow #NUM!."""
    if x <= 0 and float(x).is_integer():
        return NUM
    return math.gamma(x)


def _permutationa(ev, n, k):
    """PERMUTATIONA(number, number_chosen): n^k, both truncated; negative is #NUM!."""
    n, k = int(n), int(k)
    if n < 0 or k < 0:
        return NUM
    if n == 0 or n == 1:
        return float(n ** min(k, 1)) if k else 1.0
    if k * math.log(n) > 709.79:
        return NUM                       # beyond the largest number
    return float(n ** k)


# ----------------------------------------------------------------------------- regression

def _series(ev, name, g):
    """The numbers of a known_y's or known_x's grid: every cell must be a number (#VALUE!
    otherwise, GROWTH(A2:A8) over text: the Excel-saved TREND_GROWTH.xlsx D10)."""
    out = []
    for row in g:
        for x in row:
            if isinstance(x, XLError):
                return x
            if not is_number(x):
                return VALUE
            out.append(to_number(x, ev.epoch))
    return out


def _fit(ev, name, args, log: bool):
    """The data of the single-variable least-squares fit of LINEST/LOGEST/TREND/GROWTH: (xs, ys),
    ys in log space for LOGEST and GROWTH, or an error. known_x's of another size than known_y's are #REF!
    (TREND_GROWTH.xlsx G10, I10); several x variables are not supported."""
    grids = range_args(ev, name, args, (0, 1) if len(args) > 1 and args[1][1] is not None else (0,))
    if isinstance(grids, XLError):
        return grids
    ys = _series(ev, name, grids[0])
    if isinstance(ys, XLError):
        return ys
    if len(grids) > 1 and grids[1] is not None:
        gx = grids[1]
        (ry, cy), (rx, cx) = shape_of(grids[0]), shape_of(gx)
        vector = (ry == 1 or cy == 1) and (rx == 1 or cx == 1)
        if (ry, cy) != (rx, cx) and not (vector and ry * cy == rx * cx):
            if (cy == 1 and rx == ry and cx > 1) or (ry == 1 and cx == cy and rx > 1):
                return ev.unsupported(name, "several x variables")
            return REF
        xs = _series(ev, name, gx)
        if isinstance(xs, XLError):
            return xs
    else:
        xs = [float(i + 1) for i in range(len(ys))]
    if log:
        if any(y <= 0 for y in ys):
            return NUM
        ys = [math.log(y) for y in ys]
    return xs, ys


def _coefficients(xs, ys, const: bool):
    n = len(xs)
    if const:
        mx, my = math.fsum(xs) / n, math.fsum(ys) / n
        sxx = math.fsum((x - mx) ** 2 for x in xs)
        if sxx == 0:
            return None
        m = math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
        return m, my - m * mx
    sxx = math.fsum(x * x for x in xs)
    if sxx == 0:
        return None
    return math.fsum(x * y for x, y in zip(xs, ys)) / sxx, 0.0


def _const_arg(ev, args, i):
    if len(args) <= i or args[i][1] is None:
        return True
    b = to_bool(args[i][1] if not is_grid(args[i][1]) else args[i][1][0][0])
    return b


def _fit_const(ev, name, args, log: bool, const_at: int):
    """LINEST/LOGEST/TREND/GROWTH's known values and their const argument (at ``const_at``):
    (xs, ys, const), or the first error."""
    if not 1 <= len(args) <= 4:
        return VALUE
    fit = _fit(ev, name, args, log)
    if isinstance(fit, XLError):
        return fit
    const = _const_arg(ev, args, const_at)
    return const if isinstance(const, XLError) else (*fit, const)


def _line(ev, name, xs, ys, const):
    """(m, b) of the least-squares line, or the cell refused when the x's do not vary."""
    coef = _coefficients(xs, ys, const)
    return ev.unsupported(name, "a known_x's without variation") if coef is None else coef


def _linest(log: bool):
    name = "LOGEST" if log else "LINEST"

    def run(ev, args):
        """LINEST / LOGEST(known_y's, [known_x's], [const=TRUE], [stats=FALSE]) for one x
        variable: {m, b} of y = m*x + b (LOGEST: y = b*m^x, fitted to ln y); with stats the
        five rows of Microsoft's page (standard errors, r2 and the standard error of y, F and
        the degrees of freedom, the regression and residual sums of squares); const FALSE fits
        through the origin (b = 0, LOGEST b = 1, its standard error #N/A)."""
        given = _fit_const(ev, name, args, log, 2)
        if isinstance(given, XLError):
            return given
        xs, ys, const = given
        stats = _const_arg(ev, args, 3) if len(args) > 3 and args[3][1] is not None else False
        if isinstance(stats, XLError):
            return stats
        coef = _line(ev, name, xs, ys, const)
        if isinstance(coef, XLError):
            return coef
        m, b = coef
        top = [math.exp(m), math.exp(b)] if log else [m, b]
        if not stats:
            return grid_result(ev, name, [top])
        n = len(xs)
        df = n - 2 if const else n - 1
        if df <= 0:
            return ev.unsupported(name, "statistics with no degrees of freedom")
        resid = math.fsum((y - (m * x + b)) ** 2 for x, y in zip(xs, ys))
        if const:
            my = math.fsum(ys) / n
            total = math.fsum((y - my) ** 2 for y in ys)
            mx = math.fsum(xs) / n
            sxx = math.fsum((x - mx) ** 2 for x in xs)
        else:
            total = math.fsum(y * y for y in ys)
            sxx = math.fsum(x * x for x in xs)
        reg = total - resid
        se_y = math.sqrt(resid / df)
        se_m = se_y / math.sqrt(sxx)
        se_b = se_y * math.sqrt(1 / n + (math.fsum(xs) / n) ** 2 / sxx) if const else NA
        r2 = reg / total if total else NUM
        f = (reg / 1) / (resid / df) if resid else NUM
        return grid_result(ev, name, [top, [se_m, se_b], [r2, se_y], [f, float(df)], [reg, resid]])
    return declare(run, array_mode=(0, 1, 2))


def _trend(log: bool):
    name = "GROWTH" if log else "TREND"

    def run(ev, args):
        """TREND / GROWTH(known_y's, [known_x's], [new_x's], [const=TRUE]) for one x variable:
        the fitted values at new_x's (default known_x's), in new_x's shape."""
        given = _fit_const(ev, name, args, log, 3)
        if isinstance(given, XLError):
            return given
        xs, ys, const = given
        coef = _line(ev, name, xs, ys, const)
        if isinstance(coef, XLError):
            return coef
        m, b = coef
        if len(args) > 2 and args[2][1] is not None:
            new = grid_of(args[2][1])
            if any(not is_number(x) for row in new for x in row):
                return VALUE
            shape = [[to_number(x, ev.epoch) for x in row] for row in new]
        elif len(args) > 1 and args[1][1] is not None:
            shape = [[to_number(x, ev.epoch) for x in row] for row in grid_of(args[1][1])]
        else:
            g = grid_of(args[0][1])
            k = iter(range(1, len(ys) + 1))
            shape = [[float(next(k)) for _ in row] for row in g]
        out = [[(math.exp(m * x + b) if log else m * x + b) for x in row] for row in shape]
        return grid_result(ev, name, out)
    return declare(run, array_mode=(0, 1, 2))


def _percentrank(exclusive: bool):
    name = "PERCENTRANK.EXC" if exclusive else "PERCENTRANK.INC"

    def run(ev, args):
        """PERCENTRANK(.INC/.EXC)(array, x, [significance=3]): x's rank among the numbers,
        (count below x) / (n - 1) (.EXC: (count below + 1) / (n + 1)), interpolated between the
        two numbers around x; truncated to significance digits (below 1 #NUM!); x outside the
        numbers #N/A; no numbers #NUM!."""
        if len(args) not in (2, 3):
            return VALUE
        given = _sample_and_number(ev, name, args)
        if isinstance(given, XLError):
            return given
        xs, x = given
        sig = to_number(args[2][1], ev.epoch) if len(args) == 3 and args[2][1] is not None else 3.0
        if isinstance(sig, XLError):
            return sig
        sig = int(sig)
        if sig < 1 or not xs:
            return NUM
        if sig > 15:
            return ev.unsupported(name, "a significance beyond 15 digits")
        ys = sorted(xs)
        n = len(ys)
        if x < ys[0] or x > ys[-1]:
            return NA
        below = sum(1 for y in ys if y < x)
        if below < n and ys[below] == x:
            rank = float(below)
        else:
            lo, hi = ys[below - 1], ys[below]
            rank = below - 1 + (x - lo) / (hi - lo)
        if exclusive:
            value = (rank + 1) / (n + 1)
        else:
            if n == 1:
                return 1.0
            value = rank / (n - 1)
        scale = 10 ** sig
        return math.floor(fifteen_digits(value * scale)) / scale
    return declare(run, array_mode=0)


@declare(array_mode=(0, 1))
def _prob(ev, args):
    """PROB(x_range, prob_range, lower_limit, [upper_limit]): the sum of the probabilities whose
    x lies in lower..upper (upper omitted: equal to lower); ranges of different sizes are #N/A;
    a probability outside 0..1, or probabilities not summing to 1, #NUM!; no pair of numbers
    #DIV/0!."""
    if len(args) not in (3, 4):
        return VALUE
    pairs = paired_cells(ev, "PROB", args)
    if isinstance(pairs, XLError):
        return pairs
    xs, ps = pairs
    lo = to_number(args[2][1], ev.epoch)
    hi = to_number(args[3][1], ev.epoch) if len(args) == 4 and args[3][1] is not None else lo
    for v in (lo, hi):
        if isinstance(v, XLError):
            return v
    pairs = []
    for x, p in zip(xs, ps):
        for v in (x, p):
            if isinstance(v, XLError):
                return v
        if is_number(x) and is_number(p):
            p = to_number(p, ev.epoch)
            if not 0 <= p <= 1:
                return NUM
            pairs.append((to_number(x, ev.epoch), p))
    if not pairs:
        return DIV0                      # PROB over text only: the Excel-saved calc_tests__STATISTICAL__PROB.xlsx O2
    if abs(math.fsum(p for _, p in pairs) - 1) > 1e-12:
        return NUM
    return math.fsum(p for x, p in pairs if lo <= x <= hi)


@declare(array_mode=ALL)
def _multinomial(ev, args):
    """MULTINOMIAL(number1, ...): (sum)! / product of the factorials, each number truncated; a
    negative number is #NUM!; a logical value, typed or in a range, #VALUE! (the Excel-saved
    calc_tests__MATH_AND_TRIGONOMETRY__MULTINOMIAL.xlsx H22, B27); a result beyond the largest
    number #NUM!."""
    if not args:
        return VALUE
    refused = refuse_intersected(ev, "MULTINOMIAL", args)
    if refused:
        return refused
    ks = []
    for is_ref, v in args:
        for x in (flatten([v]) if is_grid(v) else [v]):
            if x is None:
                x = 0.0
            if isinstance(x, bool):
                return VALUE
            n = to_number(x, ev.epoch)
            if isinstance(n, XLError):
                return n
            if n < 0:
                return NUM
            ks.append(int(n))
    if sum(ks) > 170:
        return NUM
    r = math.factorial(sum(ks))
    for k in ks:
        r //= math.factorial(k)
    return float(r) if r < 2 ** 1024 else NUM


@declare(array_mode=3)                          # the coefficients whole
def _seriessum(ev, args):
    """SERIESSUM(x, n, m, coefficients): the sum of a_i * x^(n + i*m); a non-number, a logical
    value included (SERIESSUM.xlsx F7), is #VALUE!."""
    if len(args) != 4:
        return VALUE
    if any(isinstance(a[1], bool) for a in args[:3]):
        return VALUE
    refused = refuse_intersected(ev, "SERIESSUM", args, {3})
    if refused:
        return refused
    x, n, m = (to_number(a[1], ev.epoch) for a in args[:3])
    for v in (x, n, m):
        if isinstance(v, XLError):
            return v
    coeffs = []
    for c in (flatten([args[3][1]]) if is_grid(args[3][1]) else [args[3][1]]):
        c = to_number(c, ev.epoch) if not isinstance(c, str) or isinstance(c, XLError) else VALUE
        if isinstance(c, XLError):
            return c
        coeffs.append(c)
    total = 0.0
    for i, a in enumerate(coeffs):
        p = power(x, n + i * m)
        if isinstance(p, XLError):
            return p
        total += a * p
    return total if math.isfinite(total) else NUM


@declare(array_mode=ALL)
def _mode_mult(ev, args):
    """MODE.MULT(number1, ...): every most frequent number, in order of first appearance, as a
    column; none repeated is #N/A."""
    xs = sample(ev, "MODE.MULT", args)
    if isinstance(xs, XLError):
        return xs
    counts: dict = {}
    for x in xs:
        counts[x] = counts.get(x, 0) + 1
    best = max(counts.values(), default=0)
    if best < 2:
        return NA
    seen = []
    for x in xs:
        if counts[x] == best and x not in seen:
            seen.append(x)
    return grid_result(ev, "MODE.MULT", [[x] for x in seen])


@declare(array_mode=(0, 1))
def _frequency(ev, args):
    """FREQUENCY(data_array, bins_array): how many numbers fall at or below each bin (above the
    previous one), and one more count for those above the last bin, as a column."""
    if len(args) != 2:
        return VALUE
    data = sample(ev, "FREQUENCY", [args[0]])
    bins = sample(ev, "FREQUENCY", [args[1]])
    for v in (data, bins):
        if isinstance(v, XLError):
            return v
    order = sorted(range(len(bins)), key=lambda i: bins[i])
    counts = [0] * (len(bins) + 1)
    for x in data:
        for i in order:
            if x <= bins[i]:
                counts[i] += 1
                break
        else:
            counts[-1] += 1
    return grid_result(ev, "FREQUENCY", [[float(c)] for c in counts])


def _hypgeom(ev, s, n, big_s, big_n, cumulative):
    """HYPGEOM.DIST(sample_s, number_sample, population_s, number_pop, cumulative): all
    truncated; sample_s < 0 or above number_sample or population_s, number_sample above
    number_pop, population_s above number_pop, or a count <= 0, is #NUM!."""
    s, n, big_s, big_n = int(s), int(n), int(big_s), int(big_n)
    if s < 0 or n <= 0 or big_s <= 0 or big_n <= 0 or s > n or s > big_s or n > big_n or big_s > big_n \
            or s < n - big_n + big_s:
        return NUM
    if big_n > 100_000:
        return ev.unsupported("HYPGEOM.DIST", "a population of more than 100,000")

    def pmf(k):
        return math.comb(big_s, k) * math.comb(big_n - big_s, n - k) / math.comb(big_n, n)
    if cumulative:
        return math.fsum(pmf(k) for k in range(max(0, n - big_n + big_s), s + 1))
    return pmf(s)


@declare(array_mode=0)
def _ztest(ev, args):
    """Z.TEST / ZTEST(array, x, [sigma]): 1 - NORM.S.DIST((mean - x) / (sigma / sqrt(n)), TRUE),
    sigma the sample standard deviation when omitted; no numbers is #N/A, one number without
    sigma #DIV/0!."""
    if len(args) not in (2, 3):
        return VALUE
    given = _sample_and_number(ev, "Z.TEST", args)
    if isinstance(given, XLError):
        return given
    xs, x = given
    if not xs:
        return NA
    n = len(xs)
    mean = math.fsum(xs) / n
    if len(args) == 3 and args[2][1] is not None:
        sigma = to_number(args[2][1], ev.epoch)
        if isinstance(sigma, XLError):
            return sigma
        if sigma <= 0:
            return NUM
    else:
        if n < 2:
            return DIV0
        sigma = math.sqrt(math.fsum((v - mean) ** 2 for v in xs) / (n - 1))
        if sigma == 0:
            return DIV0
    return 1 - norm_cdf((mean - x) / (sigma / math.sqrt(n)))


def _sum_pairs(name: str, term):
    def run(ev, args):
        """SUMX2MY2 / SUMX2PY2 / SUMXMY2(array_x, array_y): the sum over the pairs where both are
        numbers of x^2-y^2, x^2+y^2 or (x-y)^2; arrays of different sizes are #N/A; no pairs
        #DIV/0! (Microsoft's pages)."""
        if len(args) != 2:
            return VALUE
        pts = _pairs(ev, name, args)
        if isinstance(pts, XLError):
            return pts
        if not pts:
            return DIV0
        try:
            return math.fsum(term(x, y) for x, y in pts)
        except OverflowError:            # a square beyond the largest number: #NUM!, as Excel
            return NUM
    return declare(run, array_mode=(0, 1), clip_safe=True)         # see _pairs


# AGGREGATE's function numbers (Microsoft, "AGGREGATE function")
_AGGREGATE = {1: "AVERAGE", 2: "COUNT", 3: "COUNTA", 4: "MAX", 5: "MIN", 6: "PRODUCT", 7: "STDEV.S", 8: "STDEV.P",
              9: "SUM", 10: "VAR.S", 11: "VAR.P", 12: "MEDIAN", 13: "MODE.SNGL", 14: "LARGE", 15: "SMALL",
              16: "PERCENTILE.INC", 17: "QUARTILE.INC", 18: "PERCENTILE.EXC", 19: "QUARTILE.EXC"}


@declare(array_mode=tuple(range(2, 255)))       # ref1, ref2, ... whole
def aggregate_all_rows(ev, args):
    """AGGREGATE(function_num, options, ref1, [ref2|k], ...): function_num 1..19 as Microsoft's
    table, else #VALUE!; options 4 (ignore nothing) and 6 (ignore error values) are computed;
    the options that ignore hidden rows or nested SUBTOTAL/AGGREGATE results (0-3, 5, 7) need the
    references themselves, which this evaluator does not pass: not supported."""
    if len(args) < 3:
        return VALUE
    fn = to_number(args[0][1], ev.epoch)
    opt = to_number(args[1][1], ev.epoch) if args[1][1] is not None else 0.0
    for v in (fn, opt):
        if isinstance(v, XLError):
            return v
    fn, opt = int(fn), int(opt)
    if fn not in _AGGREGATE or not 0 <= opt <= 7:
        return VALUE
    if opt not in (4, 6):
        return ev.unsupported("AGGREGATE", f"option {opt} (hidden rows or nested subtotals)")
    refused = refuse_intersected(ev, "AGGREGATE", args, set(range(2, len(args))))
    if refused:
        return refused
    rest = args[2:]
    if fn >= 14 and len(rest) != 2:
        return VALUE                          # the array form: one array and k
    values, tail = (rest[:1], rest[1:]) if fn >= 14 else (rest, [])
    if opt == 6:
        cleaned = []
        for is_ref, v in values:
            if is_grid(v):
                v = [[x for x in row if not isinstance(x, XLError)] for row in v]
                v = [row for row in v if row] or [[None]]
            elif isinstance(v, XLError):
                return ev.unsupported("AGGREGATE", "an error value typed as an argument with option 6")
            cleaned.append((is_ref, v))
        values = cleaned
    table = {**FUNCTIONS, **xl_math.FUNCTIONS}       # PRODUCT lives with the other maths
    return table[_AGGREGATE[fn]](ev, values + tail)


FUNCTIONS = {
    "SUM": declare(agg(lambda xs: float(math.fsum(xs))), ranges=ALL, clip_safe=True),
    "AVERAGE": declare(agg(lambda xs: math.fsum(xs) / len(xs) if xs else DIV0), ranges=ALL, clip_safe=True),   # no numbers: #DIV/0!
    "MIN": declare(agg(min, empty=0.0), ranges=ALL, clip_safe=True),          # no numbers: 0
    "MAX": declare(agg(max, empty=0.0), ranges=ALL, clip_safe=True),
    "COUNT": declare(_count, ranges=ALL, clip_safe=True),
    "COUNTA": declare(_counta, ranges=ALL, clip_safe=True),
    "COUNTIF": _countif,
    "SUMPRODUCT": declare(_sumproduct, ranges=ALL, array_mode=ALL, clip_safe=True),
    "SUMIF": _conditional("SUMIF", "sum", True),
    "AVERAGEIF": _conditional("AVERAGEIF", "average", True),
    "COUNTIFS": _conditional("COUNTIFS", "count", False),
    "SUMIFS": _conditional("SUMIFS", "sum", False),
    "AVERAGEIFS": _conditional("AVERAGEIFS", "average", False),
    "MAXIFS": _conditional("MAXIFS", "max", False),
    "MINIFS": _conditional("MINIFS", "min", False),
    "COUNTBLANK": _countblank,
    "MEDIAN": _stat("MEDIAN", _median),
    "MODE": _stat("MODE", _mode),
    "MODE.SNGL": _stat("MODE.SNGL", _mode),
    "VAR": _stat("VAR", _var(True)),
    "VAR.S": _stat("VAR.S", _var(True)),
    "VARP": _stat("VARP", _var(False)),
    "VAR.P": _stat("VAR.P", _var(False)),
    "VARA": _stat("VARA", _var(True), with_text=True),
    "VARPA": _stat("VARPA", _var(False), with_text=True),
    "STDEV": _stat("STDEV", _stdev(True)),
    "STDEV.S": _stat("STDEV.S", _stdev(True)),
    "STDEVP": _stat("STDEVP", _stdev(False)),
    "STDEV.P": _stat("STDEV.P", _stdev(False)),
    "STDEVA": _stat("STDEVA", _stdev(True), with_text=True),
    "STDEVPA": _stat("STDEVPA", _stdev(False), with_text=True),
    "AVERAGEA": _stat("AVERAGEA", lambda xs: math.fsum(xs) / len(xs) if xs else DIV0, with_text=True),
    "MAXA": _stat("MAXA", lambda xs: max(xs) if xs else 0.0, with_text=True),
    "MINA": _stat("MINA", lambda xs: min(xs) if xs else 0.0, with_text=True),
    "DEVSQ": _stat("DEVSQ", _devsq),
    "AVEDEV": _stat("AVEDEV", _avedev),
    "GEOMEAN": _stat("GEOMEAN", _geomean),
    "HARMEAN": _stat("HARMEAN", _harmean),
    "KURT": _stat("KURT", _kurt),
    "SKEW": _stat("SKEW", _skew),
    "SKEW.P": _stat("SKEW.P", _skew_p),
    "LARGE": _array_and_k("LARGE", _large_small(True)),
    "SMALL": _array_and_k("SMALL", _large_small(False)),
    "PERCENTILE": _array_and_k("PERCENTILE", _percentile(False, False)),
    "PERCENTILE.INC": _array_and_k("PERCENTILE.INC", _percentile(False, False)),
    "PERCENTILE.EXC": _array_and_k("PERCENTILE.EXC", _percentile(True, False)),
    "QUARTILE": _array_and_k("QUARTILE", _percentile(False, True)),
    "QUARTILE.INC": _array_and_k("QUARTILE.INC", _percentile(False, True)),
    "QUARTILE.EXC": _array_and_k("QUARTILE.EXC", _percentile(True, True)),
    "RANK": _rank("RANK"),
    "RANK.EQ": _rank("RANK.EQ"),
    "RANK.AVG": _rank("RANK.AVG"),
    "CORREL": _regression("CORREL", "correl"),
    "PEARSON": _regression("PEARSON", "correl"),
    "RSQ": _regression("RSQ", "rsq"),
    "SLOPE": _regression("SLOPE", "slope"),
    "INTERCEPT": _regression("INTERCEPT", "intercept"),
    "STEYX": _regression("STEYX", "steyx"),
    "COVAR": _regression("COVAR", "covar"),
    "COVARIANCE.P": _regression("COVARIANCE.P", "covp"),
    "COVARIANCE.S": _regression("COVARIANCE.S", "covs"),
    "FORECAST": _regression("FORECAST", "forecast"),
    "FORECAST.LINEAR": _regression("FORECAST.LINEAR", "forecast"),
    "TRIMMEAN": _trimmean,
    "STANDARDIZE": elementwise(_standardize, (3, 3), "n"),
    "FISHER": elementwise(_fisher, (1, 1), "n"),
    "FISHERINV": elementwise(_fisherinv, (1, 1), "n"),
    "NORM.DIST": elementwise(_normdist, (4, 4), "nnnb"),
    "NORMDIST": elementwise(_normdist, (4, 4), "nnnb"),
    "NORM.INV": elementwise(_norminv, (3, 3), "n"),
    "NORMINV": elementwise(_norminv, (3, 3), "n"),
    "NORM.S.DIST": elementwise(_normsdist, (2, 2), "nb"),
    "NORMSDIST": elementwise(lambda ev, z: norm_cdf(z), (1, 1), "n"),
    "NORM.S.INV": elementwise(_normsinv, (1, 1), "n"),
    "NORMSINV": elementwise(_normsinv, (1, 1), "n"),
    "PHI": elementwise(_phi, (1, 1), "n"),
    "GAUSS": elementwise(_gauss, (1, 1), "n"),
    "EXPON.DIST": elementwise(_expondist, (3, 3), "nnb"),
    "EXPONDIST": elementwise(_expondist, (3, 3), "nnb"),
    "CONFIDENCE.NORM": elementwise(_confidence_norm, (3, 3), "n"),
    "CONFIDENCE": elementwise(_confidence_norm, (3, 3), "n"),
    "LOGNORM.DIST": elementwise(_lognormdist, (4, 4), "nnnb"),
    "LOGNORM.INV": elementwise(_lognorminv, (3, 3), "n"),
    "LOGINV": elementwise(_lognorminv, (3, 3), "n"),
    "POISSON.DIST": elementwise(_poisson, (3, 3), "nnb"),
    "POISSON": elementwise(_poisson, (3, 3), "nnb"),
    "BINOM.DIST": elementwise(_binomdist, (4, 4), "nnnb"),
    "BINOMDIST": elementwise(_binomdist, (4, 4), "nnnb"),
    "NEGBINOM.DIST": elementwise(_negbinom, (4, 4), "nnnb"),
    "BINOM.DIST.RANGE": elementwise(_binom_range, (3, 4), "n"),
    "BINOM.INV": elementwise(_binom_inv, (3, 3), "n"),
    "CRITBINOM": elementwise(_binom_inv, (3, 3), "n"),
    "WEIBULL.DIST": elementwise(_weibull, (4, 4), "nnnb"),
    "WEIBULL": elementwise(_weibull, (4, 4), "nnnb"),
    "GAMMALN": elementwise(_gammaln, (1, 1), "n"),
    "GAMMALN.PRECISE": elementwise(_gammaln, (1, 1), "n"),
    "GAMMA": elementwise(_gamma, (1, 1), "n"),
    "PERMUTATIONA": elementwise(_permutationa, (2, 2), "n"),
    "SUMX2MY2": _sum_pairs("SUMX2MY2", lambda x, y: x * x - y * y),
    "SUMX2PY2": _sum_pairs("SUMX2PY2", lambda x, y: x * x + y * y),
    "SUMXMY2": _sum_pairs("SUMXMY2", lambda x, y: (x - y) ** 2),
    "PERCENTRANK": _percentrank(False),
    "PERCENTRANK.INC": _percentrank(False),
    "PERCENTRANK.EXC": _percentrank(True),
    "PROB": _prob,
    "MULTINOMIAL": _multinomial,
    "SERIESSUM": _seriessum,
    "MODE.MULT": _mode_mult,
    "FREQUENCY": _frequency,
    "HYPGEOM.DIST": elementwise(_hypgeom, (5, 5), "nnnnb"),
    "Z.TEST": _ztest,
    "ZTEST": _ztest,
    "LINEST": _linest(False),
    "LOGEST": _linest(True),
    "TREND": _trend(False),
    "GROWTH": _trend(True),
}
