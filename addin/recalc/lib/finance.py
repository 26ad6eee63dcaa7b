"""Financial functions. Each cites the edge cases of Excel's documentation it follows.

Where Microsoft's pages leave the arithmetic unstated (the coupon schedule, ACCRINT's
quasi-coupon periods, VDB's switch to straight line, the day counts of basis 0 and 1), the
algorithms are those of the ExcelFinancialFunctions library (F#, reverse-engineered against
Excel) as ported to Rust by IronCalc (``base/src/functions/financial/``, MIT or Apache-2.0),
checked here against the cached values of Excel-saved books.

Iterative solvers (IRR, XIRR, RATE, YIELD) run Newton's method to full float precision and
refuse (#NUM!) when it does not converge, so a result is the root Excel converges to, not a
nearby guess.
"""
from __future__ import annotations

import datetime as _dt
import math

from ..values import DIV0, NUM, VALUE, XLError, is_grid, to_number
from .common import REST, declare, scalar_fn
from .date_time import (MAX_SERIAL, add_months, date_args, date_serial, days360_eu, days360_nasd, lifted,
                        no_bool, whole, yearfrac)


def _pow(x: float, y: float) -> float:
    """x**y as a float; a complex or infinite result raises ValueError (Excel's #NUM!)."""
    r = math.pow(x, y)
    if not math.isfinite(r):
        raise ValueError("not finite")
    return r


def _finite(x: float) -> float | XLError:
    return x if math.isfinite(x) else NUM


def fin(fn, nargs, kinds="n", logical=True):
    """A financial function of numbers: lifted over arrays, a non-finite result #NUM!.
    ``logical`` False: a logical value in a number argument is #VALUE! (the functions that came
    from the Analysis ToolPak: ``NOMINAL(10, TRUE)``, ``TBILLEQ(A17,B17,TRUE)`` are #VALUE! in
    IronCalc's Excel-saved books); a final "b" argument (ACCRINT's calc_method) still takes one."""
    def checked(ev, *a):
        r = fn(ev, *a)
        return _finite(r) if isinstance(r, float) else r
    checked.__doc__ = fn.__doc__
    run = lifted(scalar_fn(checked, nargs, kinds))
    if logical:
        return run
    return no_bool(run, frozenset(i for i in range(nargs[1]) if kinds[min(i, len(kinds) - 1)] != "b"))


# ----------------------------------------------------------------------------- annuities

def _type(kind: float) -> int:
    return 1 if kind else 0


def _pmt(ev, rate, nper, pv, fv=0.0, kind=0.0):
    """PMT(rate, nper, pv, [fv], [type]): the payment of an annuity; type non-zero means payments
    at the start of each period; nper 0 or a rate of -1 or less is #NUM!."""
    if rate == 0:
        return NUM if nper == 0 else -(pv + fv) / nper
    if rate <= -1:
        return NUM
    g = _pow(1 + rate, nper)
    if _type(kind):
        return (fv + pv * g) * rate / ((1 + rate) * (1 - g))
    return (fv * rate + pv * rate * g) / (1 - g)


def _fv(ev, rate, nper, pmt, pv=0.0, kind=0.0):
    """FV(rate, nper, pmt, [pv], [type]): the future value of an annuity; rate 0 is
    -(pv + pmt*nper); a rate of -1 with negative nper is #DIV/0!."""
    if rate == 0:
        return -pv - pmt * nper
    if rate == -1 and nper < 0:
        return DIV0
    g = _pow(1 + rate, nper)
    if _type(kind):
        return -pv * g - pmt * (1 + rate) * (g - 1) / rate
    return -pv * g - pmt * (g - 1) / rate


def _pv(ev, rate, nper, pmt, fv=0.0, kind=0.0):
    """PV(rate, nper, pmt, [fv], [type]): the present value of an annuity; rate 0 is
    -(fv + pmt*nper); rate -1 is #DIV/0!."""
    if rate == 0:
        return -fv - pmt * nper
    if rate == -1:
        return DIV0
    g = _pow(1 + rate, nper)
    if _type(kind):
        return -(fv * rate + pmt * (1 + rate) * (g - 1)) / (rate * g)
    return (-fv * rate - pmt * (g - 1)) / (rate * g)


def _nper(ev, rate, pmt, pv, fv=0.0, kind=0.0):
    """NPER(rate, pmt, pv, [fv], [type]): the number of periods; rate 0 is -(pv+fv)/pmt (pmt 0
    #DIV/0!); rate below -1, or no positive solution, is #NUM!."""
    if rate == 0:
        return DIV0 if pmt == 0 else -(fv + pv) / pmt
    if rate < -1:
        return NUM
    if pmt != 0:
        term = pmt * (1 + rate) / rate if _type(kind) else pmt / rate
        x = (1 - fv / term) / (1 + pv / term)
    else:
        if pv == 0:
            return DIV0
        x = -fv / pv
    if x <= 0:
        return NUM
    return math.log(x) / math.log(1 + rate)


def _ipmt_value(rate, per, nper, pv, fv, kind):
    pmt = _pmt(None, rate, nper, pv, fv, kind)
    if isinstance(pmt, XLError):
        return pmt
    if per < 1 or per >= nper + 1:
        return NUM
    if per == 1 and _type(kind):
        return 0.0
    if _type(kind):
        f = _fv(None, rate, per - 2, pmt, pv, 1)
        return f if isinstance(f, XLError) else (f - pmt) * rate
    f = _fv(None, rate, per - 1, pmt, pv, 0)
    return f if isinstance(f, XLError) else f * rate


def _ipmt(ev, rate, per, nper, pv, fv=0.0, kind=0.0):
    """IPMT(rate, per, nper, pv, [fv], [type]): the interest part of payment per
    (FV(rate, per-1, pmt, pv)*rate; with type 1 the first is 0 and the rest are discounted one
    period); per outside 1..nper is #NUM!."""
    return _ipmt_value(rate, per, nper, pv, fv, kind)


def _ppmt(ev, rate, per, nper, pv, fv=0.0, kind=0.0):
    """PPMT(rate, per, nper, pv, [fv], [type]) = PMT - IPMT; per outside 1..nper is #NUM!."""
    pmt = _pmt(ev, rate, nper, pv, fv, kind)
    i = _ipmt_value(rate, per, nper, pv, fv, kind)
    return pmt if isinstance(pmt, XLError) else i if isinstance(i, XLError) else pmt - i


def _cumulative(principal: bool):
    def run(ev, rate, nper, pv, start, end, kind):
        """CUMIPMT/CUMPRINC(rate, nper, pv, start_period, end_period, type): the interest or
        principal paid from start_period to end_period; rate, nper or pv <= 0, start < 1,
        start > end, or type other than 0 or 1 is #NUM! (start rounds up, end down)."""
        if kind not in (0, 1):
            return NUM
        first, last = math.ceil(start), math.trunc(end)
        if first > last or rate <= 0 or nper <= 0 or pv <= 0 or first < 1:
            return NUM
        if last > nper:
            return NUM                      # a period beyond nper (IPMT's #NUM!), without the walk
        if last - first > 100_000:
            return ev.unsupported("CUMIPMT" if not principal else "CUMPRINC", "over 100,000 periods")
        total = 0.0
        for per in range(first, last + 1):
            v = (_ppmt(ev, rate, per, nper, pv, 0.0, kind) if principal
                 else _ipmt_value(rate, per, nper, pv, 0.0, kind))
            if isinstance(v, XLError):
                return v
            total += v
        return total
    return run


def _rate(ev, nper, pmt, pv, fv=0.0, kind=0.0, guess=0.1):
    """RATE(nper, pmt, pv, [fv], [type], [guess]): the rate per period, by Newton's method from
    guess (10% when omitted); no convergence is #NUM! (Microsoft's RATE page: "If the successive
    results of RATE do not converge ... RATE returns the #NUM! error value")."""
    if guess <= -1:
        return VALUE
    t = float(_type(kind))
    r = guess
    for _ in range(100):
        if r == 0:
            r = 1e-10
        g1 = _pow(1 + r, nper - 1)
        g = g1 * (1 + r)
        f = pv * g + pmt * (1 + r * t) * (g - 1) / r + fv
        df = pv * nper * g1 - pmt * (g - 1) / (r * r) + pmt * (1 + r * t) * g1 * nper / r
        if pmt * t:
            df += pmt * t * (g - 1) / r
        if df == 0 or not math.isfinite(df):
            return NUM
        nr = r - f / df
        if nr <= -1:
            return NUM
        if abs(nr - r) <= 1e-15 * max(1.0, abs(nr)):
            return nr
        r = nr
    return NUM if abs(f) > 1e-7 * max(1.0, abs(pv), abs(fv)) else r


# ----------------------------------------------------------------------------- cash flows

def _numbers(ev, name, arg):
    """The numbers of a values argument: in a range or array only numbers count (text, logical
    values and blanks are ignored); an error is passed on."""
    cells = whole(ev, name, arg)
    if isinstance(cells, XLError):
        return cells
    out = []
    for x in cells:
        if isinstance(x, XLError):
            return x
        if isinstance(x, bool) or x is None or isinstance(x, str):
            continue
        out.append(to_number(x, ev.epoch))
    return out


def _npv_sum(rate: float, values: list[float]) -> float:
    return sum(v / _pow(1 + rate, i + 1) for i, v in enumerate(values))


def _npv(ev, args):
    """NPV(rate, value1, ...): sum of value_i / (1 + rate)^i. In a reference or array only numbers
    count (empty cells, logical values and text are ignored); an argument typed directly counts
    when it is a number, a logical value or text that reads as a number; an error value in any
    argument is passed on; rate -1 is #DIV/0!."""
    if len(args) < 2:
        return VALUE
    rate = ev.scalar_number(args[0][1])
    if isinstance(rate, XLError):
        return rate
    if rate == -1:
        return DIV0
    values = []
    for is_ref, v in args[1:]:
        if is_grid(v) or is_ref:
            for row in (v if is_grid(v) else [[v]]):
                for x in row:
                    if isinstance(x, XLError):
                        return x
                    if isinstance(x, (int, float, _dt.date)) and not isinstance(x, bool):
                        values.append(float(to_number(x, ev.epoch)))
        elif isinstance(v, XLError):
            return v
        elif v is not None:
            n = to_number(v, ev.epoch)
            if not isinstance(n, XLError):
                values.append(n)
    try:
        return _finite(_npv_sum(rate, values))
    except (ValueError, OverflowError, ZeroDivisionError):
        return NUM


def _newton(f, df, x0: float, lo: float = -1.0):
    """A root of f by Newton's method from x0, to full float precision; None when it does not
    converge or leaves the domain (x > lo)."""
    x = x0
    for _ in range(200):
        try:
            fx, dfx = f(x), df(x)
        except (ValueError, OverflowError, ZeroDivisionError):
            return None
        if dfx == 0 or not math.isfinite(dfx) or not math.isfinite(fx):
            return None
        nx = x - fx / dfx
        if not math.isfinite(nx) or nx <= lo:
            return None
        if abs(nx - x) <= 1e-14 * max(1.0, abs(nx)):
            return nx
        x = nx
    return None


def _bisect(f, a: float, b: float):
    """A root of f between a and b (f(a), f(b) of opposite signs), to full float precision."""
    fa = f(a)
    for _ in range(400):
        m = (a + b) / 2
        if m in (a, b):
            return m
        fm = f(m)
        if fm == 0:
            return m
        if (fm < 0) == (fa < 0):
            a, fa = m, fm
        else:
            b = m
    return (a + b) / 2


def _irr_root(f, df, guess: float):
    """Newton from the guess; failing that, bisection on (-1, 100] where the sign changes."""
    r = _newton(f, df, guess)
    if r is not None:
        return r
    try:
        lo, hi = -0.99999, 100.0
        if f(lo) * f(hi) < 0:
            return _bisect(f, lo, hi)
    except (ValueError, OverflowError, ZeroDivisionError):
        return None
    return None


def _irr_guess(ev, args, i: int, values) -> float | XLError:
    """IRR's and XIRR's guess (argument i; 0.1 when omitted, -1 or below #VALUE!), once the
    values hold a positive and a negative number (else #NUM!)."""
    guess = ev.scalar_number(args[i][1]) if len(args) > i and args[i][1] is not None else 0.1
    if isinstance(guess, XLError):
        return guess
    if guess <= -1:
        return VALUE
    if not (any(v > 0 for v in values) and any(v < 0 for v in values)):
        return NUM
    return guess


def _irr(ev, args):
    """IRR(values, [guess]): the rate at which the NPV of values (at regular periods, the first
    one period out) is zero; values must hold a positive and a negative number, else #NUM!; in a
    range text, logical values and blanks are ignored; no convergence is #NUM!."""
    if not 1 <= len(args) <= 2:
        return VALUE
    values = _numbers(ev, "IRR", args[0])
    if isinstance(values, XLError):
        return values
    guess = _irr_guess(ev, args, 1, values)
    if isinstance(guess, XLError):
        return guess
    r = _irr_root(lambda r: _npv_sum(r, values),
                  lambda r: sum(-v * (i + 1) / _pow(1 + r, i + 2) for i, v in enumerate(values)), guess)
    return NUM if r is None else r


def _mirr(ev, args):
    """MIRR(values, finance_rate, reinvest_rate) = (-NPV(reinvest, positives)*(1+reinvest)^n /
    (NPV(finance, negatives)*(1+finance)))^(1/(n-1)) - 1; values without a negative number is
    #DIV/0!, without a positive one -1; in a range text, logical values and blanks are ignored."""
    if len(args) != 3:
        return VALUE
    values = _numbers(ev, "MIRR", args[0])
    if isinstance(values, XLError):
        return values
    fr, rr = ev.scalar_number(args[1][1]), ev.scalar_number(args[2][1])
    for x in (fr, rr):
        if isinstance(x, XLError):
            return x
    n = len(values)
    pos = [v if v >= 0 else 0.0 for v in values]
    neg = [v if v < 0 else 0.0 for v in values]
    if not any(neg) or n < 2:
        return DIV0                       # no negative value (all negative gives -1: Excel's cached values)
    try:
        if rr == -1:
            top = pos[-1]
        else:
            top = -_npv_sum(rr, pos) * _pow(1 + rr, n)
        if fr == -1:
            last_neg = max(i for i, v in enumerate(neg) if v)
            if last_neg != 0:
                return DIV0
            bottom = neg[0]
        else:
            bottom = _npv_sum(fr, neg) * (1 + fr)
        if bottom == 0:
            return DIV0
        return _finite(_pow(top / bottom, 1 / (n - 1)) - 1)
    except (ValueError, OverflowError, ZeroDivisionError):
        return NUM


def _dated_flows(ev, name, values_arg, dates_arg, blank_error, text_error):
    vals, dates = whole(ev, name, values_arg), whole(ev, name, dates_arg)
    for x in (vals, dates):
        if isinstance(x, XLError):
            return x
    out = []
    for cells, text_err in ((vals, text_error), (dates, VALUE)):
        nums = []
        for x in cells:
            if isinstance(x, XLError):
                return x
            if x is None:
                if blank_error is None:
                    nums.append(0.0)
                    continue
                return blank_error
            if isinstance(x, (bool, str)):
                return text_err
            nums.append(to_number(x, ev.epoch))
        out.append(nums)
    values, days = out
    days = [math.floor(d) for d in days]
    if len(values) != len(days) or not values:
        return NUM
    if any(d < 0 or d > MAX_SERIAL or d < days[0] for d in days):
        return NUM
    return values, days


def _xnpv_sum(rate, values, days):
    return sum(v / _pow(1 + rate, (d - days[0]) / 365.0) for v, d in zip(values, days))


def _xnpv(ev, args):
    """XNPV(rate, values, dates): sum of value_i / (1+rate)^((date_i - date_1)/365); dates are
    truncated; values and dates of different lengths, a date before the first, or a date outside
    Excel's range is #NUM!; a non-number in values is #NUM!, in dates #VALUE!; rate <= 0 is #NUM!
    (Excel's cached values; Microsoft's page states only the date rules)."""
    if len(args) != 3:
        return VALUE
    rate = ev.scalar_number(args[0][1])
    if isinstance(rate, XLError):
        return rate
    flows = _dated_flows(ev, "XNPV", args[1], args[2], NUM, NUM)
    if isinstance(flows, XLError):
        return flows
    if rate <= 0:
        return NUM
    try:
        return _finite(_xnpv_sum(rate, *flows))
    except (ValueError, OverflowError, ZeroDivisionError):
        return NUM


def _xirr(ev, args):
    """XIRR(values, dates, [guess]): the rate at which XNPV is zero; values need a positive and a
    negative number, else #NUM!; a date before the first, or outside Excel's range, is #NUM!;
    a non-number is #VALUE! (a blank counts 0); no convergence is #NUM!. A numeric result is refused
    (unsupported): see the comment below."""
    if not 2 <= len(args) <= 3:
        return VALUE
    if not is_grid(args[0][1]) and not args[0][0]:
        return VALUE
    flows = _dated_flows(ev, "XIRR", args[0], args[1], None, VALUE)
    if isinstance(flows, XLError):
        return flows
    values, days = flows
    guess = _irr_guess(ev, args, 2, values)
    if isinstance(guess, XLError):
        return guess
    t = [(d - days[0]) / 365.0 for d in days]
    r = _irr_root(lambda r: sum(v / _pow(1 + r, e) for v, e in zip(values, t)),
                  lambda r: sum(-v * e / _pow(1 + r, e + 1) for v, e in zip(values, t)), guess)
    if r is None:
        return NUM
    # Excel stops XIRR "within 0.000001 percent" by an iteration of its own: its cached values
    # (calc_tests__FINANCIAL__XNPV.xlsx R2, R5) lie 9e-9 and 1e-8 from the exact root, so the
    # root found here cannot be promised within 1e-9 of Excel's.
    return ev.unsupported("XIRR", "Excel's iteration stops short of the exact root (within 0.000001%); "
                                  "its value cannot be reproduced to 1e-9")


def _fvschedule(ev, args):
    """FVSCHEDULE(principal, schedule): principal * prod(1 + rate_i); blanks in schedule count 0;
    another non-number is #VALUE! (Microsoft's FVSCHEDULE page)."""
    if len(args) != 2:
        return VALUE
    p = ev.scalar_number(args[0][1])
    if isinstance(p, XLError):
        return p
    cells = whole(ev, "FVSCHEDULE", args[1])
    if isinstance(cells, XLError):
        return cells
    for x in cells:
        if x is None:
            continue
        if isinstance(x, bool) or (isinstance(x, str) and not isinstance(x, XLError)):
            return VALUE
        n = to_number(x, ev.epoch)
        if isinstance(n, XLError):
            return n
        p *= 1 + n
    return _finite(p)


# ----------------------------------------------------------------------------- simple rates

def _effect(ev, nominal, npery):
    """EFFECT(nominal_rate, npery) = (1 + nominal/npery)^npery - 1; npery truncated; nominal <= 0
    or npery < 1 is #NUM!."""
    n = math.floor(npery)
    if nominal <= 0 or n < 1:
        return NUM
    return _pow(1 + nominal / n, n) - 1


def _nominal(ev, effect, npery):
    """NOMINAL(effect_rate, npery) = npery*((1 + effect)^(1/npery) - 1); npery truncated;
    effect <= 0 or npery < 1 is #NUM!."""
    n = math.floor(npery)
    if effect <= 0 or n < 1:
        return NUM
    return (_pow(1 + effect, 1 / n) - 1) * n


def _pduration(ev, rate, pv, fv):
    """PDURATION(rate, pv, fv) = (ln fv - ln pv) / ln(1 + rate); any argument <= 0 is #NUM!."""
    if rate <= 0 or pv <= 0 or fv <= 0:
        return NUM
    return (math.log(fv) - math.log(pv)) / math.log(1 + rate)


def _rri(ev, nper, pv, fv):
    """RRI(nper, pv, fv) = (fv/pv)^(1/nper) - 1; nper <= 0 is #NUM!; fv = pv gives 0; pv 0 is
    #NUM!."""
    if nper <= 0:
        return NUM
    if fv == pv:
        return 0.0
    if pv == 0:
        return NUM
    return _pow(fv / pv, 1 / nper) - 1


def _ispmt(ev, rate, per, nper, pv):
    """ISPMT(rate, per, nper, pv) = pv*rate*(per/nper - 1); nper 0 is #DIV/0!."""
    return DIV0 if nper == 0 else pv * rate * (per / nper - 1)


def _dollar_fraction(to_decimal: bool):
    def run(ev, x, fraction):
        """DOLLARDE(fractional_dollar, fraction) and DOLLARFR(decimal_dollar, fraction): fraction
        truncated; below 0 #NUM!, 0 #DIV/0!; the fractional part scaled by 10^ceil(log10 fraction)."""
        if fraction < 0:
            return NUM
        base = math.trunc(fraction)
        if base < 1:
            return DIV0
        whole_part = math.trunc(x)
        digits = 10.0 ** math.ceil(math.log10(base))
        if to_decimal:
            return (x - whole_part) * digits / base + whole_part
        return (x - whole_part) * base / digits + whole_part
    return run


# ----------------------------------------------------------------------------- depreciation

def _sln(ev, cost, salvage, life):
    """SLN(cost, salvage, life) = (cost - salvage) / life; life 0 is #DIV/0!."""
    return DIV0 if life == 0 else (cost - salvage) / life


def _syd(ev, cost, salvage, life, per):
    """SYD(cost, salvage, life, per) = (cost-salvage)*(life-per+1)*2/(life*(life+1)); life 0,
    per <= 0 or per > life is #NUM!."""
    if life == 0 or per > life or per <= 0:
        return NUM
    return (cost - salvage) * (life - per + 1) * 2 / (life * (life + 1))


def _db(ev, cost, salvage, life, period, month=12.0):
    """DB(cost, salvage, life, period, [month]): fixed-declining balance at the rate
    1 - (salvage/cost)^(1/life) rounded to three decimals; the first period prorated by month/12,
    the period after life by the rest; month outside 1..12, period <= 0 or beyond life (+1 when
    month < 12), or cost < 0 is #NUM!; cost 0 gives 0."""
    month = math.trunc(month)
    if ((month == 12 and period > life) or period > life + 1 or month <= 0 or month > 12
            or period <= 0 or cost < 0):
        return NUM
    if cost == 0:
        return 0.0
    rate = round((1 - _pow(salvage / cost, 1 / life)) * 1000) / 1000
    p = math.trunc(period)
    if p > 100_000:
        return ev.unsupported("DB", "over 100,000 periods")
    acc = cost * rate * month / 12
    if p <= 1:
        return acc
    for _ in range(2, p):
        acc += (cost - acc) * rate
    if p == math.trunc(life) + 1:
        return (cost - acc) * rate * (12 - month) / 12
    return (cost - acc) * rate


def ddb_value(cost, salvage, life, period, factor):
    """Double-declining balance of one period (LibreOffice's ScGetDDB, as IronCalc ports it):
    a period below 1 counts as the first."""
    period = max(period, 1.0)
    rate = factor / life
    if rate >= 1:
        rate = 1.0
        old = cost if period == 1 else 0.0
    else:
        old = cost * _pow(1 - rate, period - 1)
    new = cost * _pow(1 - rate, period)
    d = old - salvage if new < salvage else old - new
    return max(d, 0.0)


def _ddb(ev, cost, salvage, life, period, factor=2.0):
    """DDB(cost, salvage, life, period, [factor]): min((cost - prior)*factor/life, cost - salvage
    - prior); period > life, cost or salvage < 0, period or factor <= 0 is #NUM!."""
    if period > life or cost < 0 or salvage < 0 or period <= 0 or factor <= 0:
        return NUM
    return ddb_value(cost, salvage, life, period, factor)


def _vdb_switching(cost, salvage, life, start, end, factor):
    """VDB with the switch to straight line. Excel's cached values (xlcalculator's VDB.xlsx,
    rows 23-37) show its periods laid from the start's fraction: a first period [0, f), then whole
    periods [f, 1+f), [1+f, 2+f) ...; in each, declining balance value*factor/life (never below
    salvage), or once larger, straight line (value - salvage)/(remaining life), kept to the end;
    a period cut by start or end is prorated."""
    f = start - math.floor(start)
    rate = min(factor / life, 1.0)
    value, a, total, straight = cost, 0.0, 0.0, None
    while a < end:
        b = f if (a == 0 and f > 0) else a + 1
        length = b - a
        if straight is None:
            d = min(value * rate * length, max(value - salvage, 0.0))
            sl = (value - salvage) / (life - a) if life > a else 0.0
            if sl * length > d:
                straight = sl
        if straight is not None:
            d = straight * length
        lo, hi = max(a, start), min(b, end)
        if hi > lo:
            total += d * (hi - lo) / length
        value -= d
        a = b
    return total


def _vdb(ev, cost, salvage, life, start, end, factor=2.0, no_switch=False):
    """VDB(cost, salvage, life, start_period, end_period, [factor], [no_switch]): declining
    balance between two (possibly fractional) periods, switching to straight line when larger
    unless no_switch (see ``_vdb_switching``); cost or salvage < 0, life or factor <= 0, start < 0, end <= 0, start > end
    or a period beyond life is #NUM!."""
    if (cost < 0 or salvage < 0 or life <= 0 or factor <= 0 or start < 0 or start > life or end > life
            or start > end or end <= 0):
        return NUM
    if not no_switch and life == start == end:
        return NUM
    if life > 1e6:
        return ev.unsupported("VDB", "a life over a million periods")
    first, last = math.floor(start), math.ceil(end)
    if no_switch:
        if start != first:
            return ev.unsupported("VDB", "no_switch with a fractional start period (Excel's period grid "
                                         "is not established for it)")
        total = 0.0
        for i in range(first + 1, last + 1):
            term = ddb_value(cost, salvage, life, float(i), factor)
            if i == first + 1:
                term *= min(end, first + 1) - start
            elif i == last:
                term *= end + 1 - last
            total += term
        return total
    return _vdb_switching(cost, salvage, life, start, end, factor)


# ----------------------------------------------------------------------------- securities

def _basis(b: float) -> int | XLError:
    b = math.floor(b)
    return b if 0 <= b <= 4 else NUM


def _freq(f: float) -> int | XLError:
    f = math.floor(f)
    return f if f in (1, 2, 4) else NUM


def _last_of_month(d: _dt.date) -> bool:
    return (d + _dt.timedelta(days=1)).day == 1


def coupon_dates(settle: _dt.date, maturity: _dt.date, freq: int) -> tuple[_dt.date, _dt.date]:
    """(previous coupon date <= settlement, next coupon date > settlement), walking back from
    maturity by 12/frequency months; when maturity is a month's last day every coupon date is."""
    step = 12 // freq
    eom = _last_of_month(maturity)
    front = trailing = maturity
    while front > settle:
        trailing = front
        front = add_months(front, -step, eom)
    return front, trailing


def _basis_days(a: _dt.date, b: _dt.date, basis: int) -> float:
    if basis == 0:
        return float(days360_nasd(a, b))
    if basis == 4:
        return float(days360_eu(a, b))
    return float((b - a).days)


def _coupon_period_days(settle, maturity, freq, basis) -> float:
    if basis in (0, 2, 4):
        return 360.0 / freq
    if basis == 3:
        return 365.0 / freq
    pcd, ncd = coupon_dates(settle, maturity, freq)
    return float((ncd - pcd).days)


def _coupon_count(settle, maturity, freq) -> int:
    ncd = coupon_dates(settle, maturity, freq)[1]
    months = (maturity.year - ncd.year) * 12 + maturity.month - ncd.month
    return months // (12 // freq) + 1


def _in_order(ev, name, first, last):
    """The two dates (truncated; see date_args), or #NUM! when the first is not before the last
    (settlement on or after maturity, issue on or after settlement), or the error met."""
    days = date_args(ev, name, first, last)
    if isinstance(days, XLError) or days[0] < days[1]:
        return days
    return NUM


def _coupon_args(ev, name, settlement, maturity, frequency, basis):
    f, b = _freq(frequency), _basis(basis)
    if isinstance(f, XLError):
        return f
    if isinstance(b, XLError):
        return b
    days = _in_order(ev, name, settlement, maturity)
    if isinstance(days, XLError):
        return days
    return days[0], days[1], f, b


def _coup(name: str):
    def run(ev, settlement, maturity, frequency, basis=0.0):
        """COUPDAYBS, COUPDAYS, COUPDAYSNC, COUPNCD, COUPNUM, COUPPCD(settlement, maturity,
        frequency, [basis]): dates truncated; frequency other than 1, 2, 4, basis outside 0..4, or
        settlement >= maturity is #NUM! (Microsoft's COUP* pages). COUPDAYS is 360/frequency (365
        for basis 3) except actual/actual; COUPDAYSNC for basis 0 is COUPDAYS - COUPDAYBS, as
        Excel computes it."""
        a = _coupon_args(ev, name, settlement, maturity, frequency, basis)
        if isinstance(a, XLError):
            return a
        settle, mat, f, b = a
        pcd, ncd = coupon_dates(settle, mat, f)
        if name == "COUPPCD":
            return date_serial(ev, pcd)
        if name == "COUPNCD":
            return date_serial(ev, ncd)
        if name == "COUPNUM":
            return float(_coupon_count(settle, mat, f))
        if name == "COUPDAYS":
            return _coupon_period_days(settle, mat, f, b)
        if name == "COUPDAYBS":
            return _basis_days(pcd, settle, b)
        if b == 0:
            return float(days360_nasd(pcd, ncd, both=True) - days360_nasd(pcd, settle))
        return _basis_days(settle, ncd, b)
    run.__name__ = name
    return run


def _price_value(settle, mat, rate, yld, redemption, freq, basis) -> float:
    n = _coupon_count(settle, mat, freq)
    e = _coupon_period_days(settle, mat, freq, basis)
    a = _basis_days(coupon_dates(settle, mat, freq)[0], settle, basis)
    dsc_e = (e - a) / e
    coupon = 100.0 * rate / freq
    accrued = coupon * a / e
    if n == 1:
        return (redemption + coupon) / (1 + dsc_e * yld / freq) - accrued
    v = 1 + yld / freq
    total = redemption / _pow(v, dsc_e + n - 1)
    for k in range(1, n + 1):
        total += coupon / _pow(v, dsc_e + k - 1)
    return total - accrued


def _price(ev, settlement, maturity, rate, yld, redemption, frequency, basis=0.0):
    """PRICE(settlement, maturity, rate, yld, redemption, frequency, [basis]): the price per 100
    face value (Microsoft's PRICE formula; one remaining coupon discounted simply); rate or yld
    < 0, redemption <= 0, a bad frequency or basis, or settlement >= maturity is #NUM!."""
    a = _coupon_args(ev, "PRICE", settlement, maturity, frequency, basis)
    if isinstance(a, XLError):
        return a
    if rate < 0 or yld < 0 or redemption <= 0:
        return NUM
    settle, mat, f, b = a
    return _price_value(settle, mat, rate, yld, redemption, f, b)


def _yield(ev, settlement, maturity, rate, pr, redemption, frequency, basis=0.0):
    """YIELD(settlement, maturity, rate, pr, redemption, frequency, [basis]): the yield at which
    PRICE equals pr, by Newton's method (Microsoft's page: "calculated through a hundred
    iterations" when more than one coupon remains); rate < 0, pr or redemption <= 0, a bad
    frequency or basis, or settlement >= maturity is #NUM!; no convergence is #NUM!."""
    a = _coupon_args(ev, "YIELD", settlement, maturity, frequency, basis)
    if isinstance(a, XLError):
        return a
    if rate < 0 or pr <= 0 or redemption <= 0:
        return NUM
    settle, mat, f, b = a

    def g(y):
        return _price_value(settle, mat, rate, y, redemption, f, b) - pr

    def dg(y):
        h = 1e-6 * max(1.0, abs(y))
        return (g(y + h) - g(y - h)) / (2 * h)
    y = _newton(g, dg, rate if rate > 0 else 0.05, lo=-float(f))
    if y is None:
        try:
            lo, hi = -0.9999, 100.0
            if g(lo) * g(hi) < 0:
                y = _bisect(g, lo, hi)
        except (ValueError, OverflowError, ZeroDivisionError):
            y = None
    return NUM if y is None else y


def _duration(modified: bool):
    name = "MDURATION" if modified else "DURATION"

    def run(ev, settlement, maturity, coupon, yld, frequency, basis=0.0):
        """DURATION(settlement, maturity, coupon, yld, frequency, [basis]): the Macaulay duration
        of a security with par 100, in years; MDURATION divides it by 1 + yld/frequency; coupon or
        yld < 0, a bad frequency or basis, or settlement >= maturity is #NUM! (Microsoft's
        DURATION and MDURATION pages)."""
        a = _coupon_args(ev, name, settlement, maturity, frequency, basis)
        if isinstance(a, XLError):
            return a
        if coupon < 0 or yld < 0:
            return NUM
        settle, mat, f, b = a
        n = _coupon_count(settle, mat, f)
        e = _coupon_period_days(settle, mat, f, b)
        dsc_e = (e - _basis_days(coupon_dates(settle, mat, f)[0], settle, b)) / e
        cf, v = 100.0 * coupon / f, 1 + yld / f
        num = den = 0.0
        for k in range(1, n + 1):
            t = dsc_e + k - 1
            pv = cf / _pow(v, t)
            num += t * pv
            den += pv
        t = dsc_e + n - 1
        pv = 100.0 / _pow(v, t)
        num += t * pv
        den += pv
        if den == 0:
            return DIV0
        d = num / den / f
        return d / v if modified else d
    run.__name__ = name
    return run


def _accrint(ev, issue, first, settlement, rate, par, frequency, basis=0.0, calc_method=True):
    """ACCRINT(issue, first_interest, settlement, rate, par, frequency, [basis], [calc_method]):
    par*rate/frequency * sum over quasi-coupon periods of accrued days / the period's days
    (Microsoft's ACCRINT formula); with calc_method TRUE (the default) from issue, FALSE from
    the first interest date when settlement is after it; rate or par <= 0, a bad frequency or
    basis, or issue >= settlement is #NUM!."""
    f, b = _freq(frequency), _basis(basis)
    if rate <= 0 or par <= 0 or isinstance(f, XLError) or isinstance(b, XLError):
        return NUM
    days = date_args(ev, "ACCRINT", issue, first, settlement)
    if isinstance(days, XLError):
        return days
    iss, fst, stl = days
    if iss >= stl:
        return NUM
    step = 12 // f
    eom = _last_of_month(fst)

    def between(a, z, numerator):
        if b == 0:
            return float(days360_nasd(a, z))
        if b == 4:
            return float(days360_eu(a, z))
        if b == 2 and not numerator:
            return float(days360_nasd(a, z))
        return float((z - a).days)

    reg_pcd = add_months(fst, -step, eom)
    if stl > fst and calc_method:
        front = trailing = fst
        while front < stl:
            trailing = front
            front = add_months(front, step, eom)
        pcd = trailing
    else:
        pcd = reg_pcd
    first_date = iss if iss > pcd else pcd
    if b in (0, 2, 4):
        coup_days = 360.0 / f
    elif b == 3:
        coup_days = 365.0 / f
    else:
        coup_days = float((fst - reg_pcd).days)
    acc = between(first_date, stl, True) / coup_days
    front = pcd
    while front > iss:
        end = front
        front = add_months(front, -step, eom)
        if iss <= front:
            acc += 1.0 if calc_method else 0.0
        else:
            num = float(days360_nasd(iss, end)) if b == 0 else between(iss, end, True)
            if b == 0:
                den = float(days360_nasd(front, end, both=True))
            elif b == 3:
                den = 365.0 / f
            else:
                den = between(front, end, False)
            acc += num / den
    return par * rate / f * acc


def _accrintm(ev, issue, settlement, rate, par=1000.0, basis=0.0):
    """ACCRINTM(issue, settlement, rate, [par], [basis]) = par*rate*YEARFRAC(issue, settlement,
    basis); par omitted is 1,000; rate or par <= 0, issue >= settlement or a bad basis is #NUM!."""
    b = _basis(basis)
    if rate <= 0 or par <= 0 or isinstance(b, XLError):
        return NUM
    days = _in_order(ev, "ACCRINTM", issue, settlement)
    if isinstance(days, XLError):
        return days
    return par * rate * yearfrac(days[0], days[1], b)


def _discounted(name: str):
    def run(ev, settlement, maturity, x, redemption, basis=0.0):
        """DISC(settlement, maturity, pr, redemption, [basis]) = (1 - pr/redemption)/YEARFRAC;
        INTRATE(settlement, maturity, investment, redemption, [basis]) = (redemption/investment
        - 1)/YEARFRAC; PRICEDISC(settlement, maturity, discount, redemption, [basis]) =
        redemption*(1 - discount*YEARFRAC); YIELDDISC(settlement, maturity, pr, redemption,
        [basis]) = (redemption/pr - 1)/YEARFRAC; RECEIVED(settlement, maturity, investment,
        discount, [basis]) = investment/(1 - discount*YEARFRAC). Dates truncated; a price,
        rate or amount <= 0, settlement >= maturity or a bad basis is #NUM!."""
        b = _basis(basis)
        if x <= 0 or redemption <= 0 or isinstance(b, XLError):
            return NUM
        days = _in_order(ev, name, settlement, maturity)
        if isinstance(days, XLError):
            return days
        yf = yearfrac(days[0], days[1], b)
        if name == "DISC":
            return (1 - x / redemption) / yf
        if name == "INTRATE":
            return (redemption / x - 1) / yf
        if name == "PRICEDISC":
            return redemption * (1 - x * yf)
        if name == "YIELDDISC":
            return (redemption / x - 1) / yf
        d = 1 - redemption * yf              # RECEIVED: the 4th argument is the discount
        return NUM if d <= 0 else x / d
    run.__name__ = name
    return run


def _tbill_days(ev, name, settlement, maturity):
    days = date_args(ev, name, settlement, maturity)
    if isinstance(days, XLError):
        return days
    s, m = days
    if s > m or add_months(s, 12) < m:
        return NUM                         # maturity more than one year after settlement
    return (m - s).days


def _tbilleq(ev, settlement, maturity, discount):
    """TBILLEQ(settlement, maturity, discount): the bond-equivalent yield, 365*rate/(360 -
    rate*DSM) up to 182 days, beyond that the root of the half-year compounding equation;
    settlement after maturity, maturity over a year later, or discount <= 0 is #NUM!."""
    dsm = _tbill_days(ev, "TBILLEQ", settlement, maturity)
    if isinstance(dsm, XLError):
        return dsm
    if discount <= 0:
        return NUM
    if dsm < 183:
        return 365 * discount / (360 - discount * dsm)
    year = 366.0 if dsm == 366 else 365.0
    extra = dsm - year / 2
    alpha = 1 - dsm * discount / 360
    beta = 0.5 + extra / year
    qa, qb, qc = extra * alpha / (year * 2), alpha * beta, alpha - 1
    return (-qb + math.sqrt(qb * qb - 4 * qa * qc)) / (2 * qa)


def _tbillprice(ev, settlement, maturity, discount):
    """TBILLPRICE(settlement, maturity, discount) = 100*(1 - discount*DSM/360); settlement after
    maturity, maturity over a year later, discount <= 0, or a negative price is #NUM!."""
    dsm = _tbill_days(ev, "TBILLPRICE", settlement, maturity)
    if isinstance(dsm, XLError):
        return dsm
    if discount <= 0:
        return NUM
    p = 100 * (1 - discount * dsm / 360)
    return NUM if p < 0 else p


def _tbillyield(ev, settlement, maturity, pr):
    """TBILLYIELD(settlement, maturity, pr) = (100 - pr)/pr * 360/DSM; settlement after maturity,
    maturity over a year later, or pr <= 0 is #NUM!."""
    dsm = _tbill_days(ev, "TBILLYIELD", settlement, maturity)
    if isinstance(dsm, XLError):
        return dsm
    if pr <= 0 or dsm == 0:
        return NUM
    return (100 - pr) * 360 / (pr * dsm)


# ----------------------------------------------------------------------------- odd coupon periods

def _shift(d: _dt.date, months: int, last: bool) -> _dt.date:
    return add_months(d, months, last)


def _days_nonneg(a, b, basis, both=False) -> float:
    if basis == 0 and both:
        return max(float(days360_nasd(a, b, both=True)), 0.0)
    return max(_basis_days(a, b, basis), 0.0)


def _quasi_coupons(mat: _dt.date, settle: _dt.date, step: int, whole_number: bool) -> float:
    """Whole quasi-coupon periods from settlement to the anchor date (ExcelFinancialFunctions'
    ``coupNumber``, as IronCalc ports it)."""
    eom = _last_of_month(mat)
    if not eom and mat.month != 2 and 28 < mat.day < add_months(mat, 0, True).day:
        eom = _last_of_month(settle)
    start = _shift(settle, 0, eom)
    n = (0.0 if whole_number else 1.0) + (1.0 if settle < start else 0.0)
    front = _shift(start, step, eom)
    while front < mat:
        n += 1
        front = _shift(front, step, eom)
    return n


def _oddf_price(settle, mat, issue, first, rate, yld, redemption, f, b) -> float:
    m, step = float(f), 12 // f
    e = _coupon_period_days(settle, first, f, b)
    dfc = _days_nonneg(issue, first, b)
    x = yld / m + 1
    if dfc < e:                                   # a short first period
        n = _coupon_count(settle, mat, f)
        dsc = _days_nonneg(settle, first, b)
        a = _days_nonneg(issue, settle, b)
        y = dsc / e
        total = redemption / _pow(x, n - 1 + y) + 100 * rate / m * dfc / e / _pow(x, y)
        for k in range(2, n + 1):
            total += 100 * rate / m / _pow(x, k - 1 + y)
        return total - a / e * (rate / m) * 100
    nc = _coupon_count(issue, first, f)           # a long first period: its quasi-coupon periods
    late, dcnl, anl = first, 0.0, 0.0
    for k in range(nc, 0, -1):
        early = _shift(late, -step, False)
        nl = _days_nonneg(early, late, b) if b == 1 else e
        dci = nl if k > 1 else _days_nonneg(issue, late, b)
        a = _days_nonneg(max(issue, early), min(settle, late), b)
        late = early
        dcnl += dci / nl
        anl += a / nl
    if b in (2, 3):
        dsc = _days_nonneg(settle, coupon_dates(settle, first, f)[1], b)
    else:
        dsc = e - _basis_days(coupon_dates(settle, first, f)[0], settle, b)
    nq = _quasi_coupons(first, settle, step, True)
    n = _coupon_count(first, mat, f)
    y = dsc / e
    total = redemption / _pow(x, y + nq + n) + 100 * rate / m * dcnl / _pow(x, nq + y)
    for k in range(1, n + 1):
        total += 100 * rate / m / _pow(x, k + nq + y)
    return total - 100 * rate / m * anl


def _oddl(settle, mat, last, rate, value, redemption, f, b, price: bool) -> float:
    """ODDLPRICE's price (``price``) or ODDLYIELD's yield, both closed forms over the quasi-coupon
    periods of the odd last period (ExcelFinancialFunctions' ``oddLFunc``, as IronCalc ports it)."""
    m, step = float(f), 12 // f
    nc = _coupon_count(last, mat, f)
    early, dcnl, anl, dscnl = last, 0.0, 0.0, 0.0
    for k in range(1, nc + 1):
        late = _shift(early, step, False)
        nl = _days_nonneg(early, late, b, both=True)
        dci = nl if k < nc else _days_nonneg(early, mat, b, both=True)
        if late < settle:
            a = dci
        elif early < settle:
            a = _days_nonneg(early, settle, b)
        else:
            a = 0.0
        dsc = _days_nonneg(max(settle, early), min(mat, late), b)
        early = late
        dcnl += dci / nl
        anl += a / nl
        dscnl += dsc / nl
    x = 100 * rate / m
    t1 = dcnl * x + redemption
    if price:
        return t1 / (dscnl * value / m + 1) - anl * x
    t2 = anl * x + value
    return (t1 - t2) / t2 * (m / dscnl)


def _odd_args(ev, name, dates, rate, amount, redemption, frequency, basis):
    f, b = _freq(frequency), _basis(basis)
    if isinstance(f, XLError):
        return f
    if isinstance(b, XLError):
        return b
    days = date_args(ev, name, *dates)
    if isinstance(days, XLError):
        return days
    return days, f, b


def _oddfprice(ev, settlement, maturity, issue, first, rate, yld, redemption, frequency, basis=0.0):
    """ODDFPRICE(settlement, maturity, issue, first_coupon, rate, yld, redemption, frequency,
    [basis]): the price per 100 of a security with an odd (short or long) first period; dates
    truncated; maturity > first_coupon > settlement > issue must hold, else #NUM!; rate or yld < 0,
    redemption <= 0, a bad frequency or basis is #NUM! (Microsoft's ODDFPRICE page)."""
    a = _odd_args(ev, "ODDFPRICE", (settlement, maturity, issue, first), rate, yld, redemption, frequency, basis)
    if isinstance(a, XLError):
        return a
    (s, mat, iss, fst), f, b = a
    if not (mat > fst > s > iss) or rate < 0 or yld < 0 or redemption <= 0:
        return NUM
    return _oddf_price(s, mat, iss, fst, rate, yld, redemption, f, b)


def _oddfyield(ev, settlement, maturity, issue, first, rate, pr, redemption, frequency, basis=0.0):
    """ODDFYIELD(settlement, maturity, issue, first_coupon, rate, pr, redemption, frequency,
    [basis]): the yield at which ODDFPRICE equals pr, by Newton's method; the date order and
    argument rules of ODDFPRICE; no convergence is #NUM!. A numeric result is refused
    (unsupported): see the comment below."""
    a = _odd_args(ev, "ODDFYIELD", (settlement, maturity, issue, first), rate, pr, redemption, frequency, basis)
    if isinstance(a, XLError):
        return a
    (s, mat, iss, fst), f, b = a
    if not (mat > fst > s > iss) or rate < 0 or pr <= 0 or redemption <= 0:
        return NUM

    def g(y):
        return _oddf_price(s, mat, iss, fst, rate, y, redemption, f, b) - pr

    def dg(y):
        h = 1e-6 * max(1.0, abs(y))
        return (g(y + h) - g(y - h)) / (2 * h)
    y = _newton(g, dg, rate if rate > 0 else 0.05, lo=-float(f))
    if y is None:
        return NUM
    # Excel's own iteration stops short of the root: its cached values (PRICE_YIELD.xlsx
    # ODDFPRICE_ODDFYIELD!K8, K31, K49) lie 1.4e-9 from it, beyond the 1e-9 promised.
    return ev.unsupported("ODDFYIELD", "Excel's iteration stops short of the exact root; its value "
                                       "cannot be reproduced to 1e-9")


def _oddl_fn(price: bool):
    name = "ODDLPRICE" if price else "ODDLYIELD"

    def run(ev, settlement, maturity, last, rate, value, redemption, frequency, basis=0.0):
        """ODDLPRICE(settlement, maturity, last_interest, rate, yld, redemption, frequency,
        [basis]) and ODDLYIELD(settlement, maturity, last_interest, rate, pr, redemption,
        frequency, [basis]): price or yield of a security with an odd last period, in closed form;
        maturity > settlement > last_interest must hold, else #NUM!; rate < 0, yld < 0 (pr <= 0),
        redemption <= 0, a bad frequency or basis is #NUM! (Microsoft's ODDLPRICE/ODDLYIELD pages)."""
        a = _odd_args(ev, name, (settlement, maturity, last), rate, value, redemption, frequency, basis)
        if isinstance(a, XLError):
            return a
        (s, mat, lst), f, b = a
        if not (mat > s and mat > lst) or rate < 0 or redemption <= 0 or (value < 0 if price else value <= 0):
            return NUM
        return _oddl(s, mat, lst, rate, value, redemption, f, b, price)
    run.__name__ = name
    return run


FUNCTIONS = {
    "PMT": fin(_pmt, (3, 5)),
    "FV": fin(_fv, (3, 5)),
    "PV": fin(_pv, (3, 5)),
    "NPER": fin(_nper, (3, 5)),
    "IPMT": fin(_ipmt, (4, 6)),
    "PPMT": fin(_ppmt, (4, 6)),
    "CUMIPMT": fin(_cumulative(False), (6, 6), logical=False),
    "CUMPRINC": fin(_cumulative(True), (6, 6), logical=False),
    "RATE": fin(_rate, (3, 6)),
    "NPV": declare(_npv, ranges=REST, broadcast=0, clip_safe=True),     # blanks are skipped
    "IRR": declare(_irr, ranges=0, clip_safe=True),
    "MIRR": declare(_mirr, ranges=0),
    "XNPV": declare(_xnpv, ranges=(1, 2)),
    "XIRR": declare(_xirr, ranges=(0, 1)),
    "FVSCHEDULE": declare(_fvschedule, ranges=1),
    "EFFECT": fin(_effect, (2, 2), logical=False),
    "NOMINAL": fin(_nominal, (2, 2), logical=False),
    "PDURATION": fin(_pduration, (3, 3)),
    "RRI": fin(_rri, (3, 3)),
    "ISPMT": fin(_ispmt, (4, 4)),
    "DOLLARDE": fin(_dollar_fraction(True), (2, 2), logical=False),
    "DOLLARFR": fin(_dollar_fraction(False), (2, 2), logical=False),
    "SLN": fin(_sln, (3, 3)),
    "SYD": fin(_syd, (4, 4)),
    "DB": fin(_db, (4, 5)),
    "DDB": fin(_ddb, (4, 5)),
    "VDB": fin(_vdb, (5, 7), "nnnnnnb"),
    "PRICE": fin(_price, (6, 7), logical=False),
    "DURATION": fin(_duration(False), (5, 6), logical=False),
    "MDURATION": fin(_duration(True), (5, 6), logical=False),
    "YIELD": fin(_yield, (6, 7), logical=False),
    "ACCRINT": fin(_accrint, (6, 8), "nnnnnnnb", logical=False),
    "ACCRINTM": fin(_accrintm, (3, 5), logical=False),
    "ODDFPRICE": fin(_oddfprice, (8, 9), logical=False),
    "ODDFYIELD": fin(_oddfyield, (8, 9), logical=False),
    "ODDLPRICE": fin(_oddl_fn(True), (7, 8), logical=False),
    "ODDLYIELD": fin(_oddl_fn(False), (7, 8), logical=False),
    "TBILLEQ": fin(_tbilleq, (3, 3), logical=False),
    "TBILLPRICE": fin(_tbillprice, (3, 3), logical=False),
    "TBILLYIELD": fin(_tbillyield, (3, 3), logical=False),
    **{name: fin(_coup(name), (3, 4), logical=False) for name in
       ("COUPDAYBS", "COUPDAYS", "COUPDAYSNC", "COUPNCD", "COUPNUM", "COUPPCD")},
    **{name: fin(_discounted(name), (4, 5), logical=False) for name in ("DISC", "INTRATE", "PRICEDISC", "YIELDDISC", "RECEIVED")},
}

