"""CONVERT(number, from_unit, to_unit) (Microsoft, "CONVERT function"): the units of its page,
each with its factor to its group's base unit from the unit's definition (NIST SP 811, exact
where the definition is exact; the atomic mass unit and the electron volt at the CODATA 2006
values Excel uses; mm of mercury at Excel's 133.322 Pa, Pressure!C6 of the Excel-saved
calc_tests__ENGINEERING__CONVERT.xlsx). Unit names are case-sensitive; the decimal prefixes (and the binary ones
for bit and byte) apply to the metric units, and to "mph" and "uk_pt" as Excel allows (the same
book, Speed!J8 and Volume!J9); units of different groups, or an unknown
unit, are #N/A.
"""
from __future__ import annotations

import math

from ..values import NA, VALUE, XLError
from .elementwise import elementwise

_IN = 0.0254
_FT = 0.3048
_LBM = 0.45359237                          # kg
_G0 = 9.80665                               # standard gravity, m/s^2
_LBF = _LBM * _G0                           # N
_MI = 1609.344
_SURVEY_MI = 6336000 / 3937                 # m (U.S. survey mile)
_NMI = 1852.0
_LY = 299792458 * 31557600                  # m (a Julian year of light)
_PARSEC = 149597870700 * 648000 / math.pi   # m
_US_GAL = 231 * _IN ** 3                    # m^3
_UK_GAL = 0.00454609                        # m^3
_HP = 550 * _FT * _LBF                      # W (mechanical horsepower)

# group -> {unit: (factor to the group's base, prefixes allowed)}
_LENGTHS = {"m": (1.0, True), "mi": (_MI, False), "Nmi": (_NMI, False), "in": (_IN, False), "ft": (_FT, False),
            "yd": (0.9144, False), "ang": (1e-10, True), "ell": (1.143, False), "ly": (_LY, True),
            "parsec": (_PARSEC, True), "pc": (_PARSEC, True), "Pica": (_IN / 72, False),
            "Picapt": (_IN / 72, False), "pica": (_IN / 6, False), "survey_mi": (_SURVEY_MI, False)}

_UNITS: dict[str, dict[str, tuple[float, bool]]] = {
    "mass": {"g": (1.0, True), "sg": (_LBF / _FT * 1000, False), "lbm": (_LBM * 1000, False),
             "u": (1.660538782e-24, True), "ozm": (_LBM * 1000 / 16, False), "grain": (0.06479891, False),
             "cwt": (_LBM * 100000, False), "shweight": (_LBM * 100000, False),
             "uk_cwt": (_LBM * 112000, False), "lcwt": (_LBM * 112000, False), "hweight": (_LBM * 112000, False),
             "stone": (_LBM * 14000, False), "ton": (_LBM * 2000000, False), "uk_ton": (_LBM * 2240000, False),
             "LTON": (_LBM * 2240000, False), "brton": (_LBM * 2240000, False)},
    "length": _LENGTHS,
    "time": {"yr": (31557600.0, False), "day": (86400.0, False), "d": (86400.0, False), "hr": (3600.0, False),
             "mn": (60.0, False), "min": (60.0, False), "sec": (1.0, True), "s": (1.0, True)},
    "pressure": {"Pa": (1.0, True), "p": (1.0, True), "atm": (101325.0, True), "at": (101325.0, True),
                 "mmHg": (133.322, True), "psi": (_LBF / _IN ** 2, False), "Torr": (101325 / 760, False)},
    "force": {"N": (1.0, True), "dyn": (1e-5, True), "dy": (1e-5, True), "lbf": (_LBF, False),
              "pond": (_G0 / 1000, True)},
    "energy": {"J": (1.0, True), "e": (1e-7, True), "c": (4.184, True), "cal": (4.1868, True),
               "eV": (1.602176487e-19, True), "ev": (1.602176487e-19, True), "HPh": (_HP * 3600, False),
               "hh": (_HP * 3600, False), "Wh": (3600.0, True), "wh": (3600.0, True), "flb": (_FT * _LBF, False),
               "BTU": (1055.05585262, False), "btu": (1055.05585262, False)},
    "power": {"HP": (_HP, False), "h": (_HP, False), "PS": (_G0 * 75, False), "W": (1.0, True), "w": (1.0, True)},
    "magnetism": {"T": (1.0, True), "ga": (1e-4, True)},
    "volume": {"tsp": (_US_GAL / 768, False), "tspm": (5e-6, False), "tbs": (_US_GAL / 256, False),
               "oz": (_US_GAL / 128, False), "cup": (_US_GAL / 16, False), "pt": (_US_GAL / 8, False),
               "us_pt": (_US_GAL / 8, False), "uk_pt": (_UK_GAL / 8, True), "qt": (_US_GAL / 4, False),
               "uk_qt": (_UK_GAL / 4, False), "gal": (_US_GAL, False), "uk_gal": (_UK_GAL, False),
               "l": (0.001, True), "L": (0.001, True), "lt": (0.001, True), "barrel": (42 * _US_GAL, False),
               "bushel": (0.03523907016688, False), "MTON": (40 * _FT ** 3, False), "GRT": (100 * _FT ** 3, False),
               "regton": (100 * _FT ** 3, False)},
    "area": {"uk_acre": (4046.8564224, False), "us_acre": (4046.8564224 * (_SURVEY_MI / _MI) ** 2, False),
             "ar": (100.0, True), "ha": (10000.0, False), "Morgen": (2500.0, False)},
    "information": {"bit": (1.0, True), "byte": (8.0, True)},
    "speed": {"admkn": (6080 * _FT / 3600, False), "kn": (_NMI / 3600, False), "m/h": (1 / 3600, True),
              "m/hr": (1 / 3600, True), "mph": (_MI / 3600, True), "m/s": (1.0, True), "m/sec": (1.0, True)},
}
# the squares and cubes of the lengths Excel lists ("m2" or "m^2"; "ang3" or "ang^3"); a light
# year squared or cubed takes no prefix ("Mly2" is #N/A, "Mly" is not: the Excel-saved
# calc_tests__ENGINEERING__CONVERT.xlsx, Area!I12 and distance!J10)
for _unit in ("ang", "ft", "in", "ly", "m", "mi", "Nmi", "Picapt", "Pica", "yd"):
    _factor, _prefix = _LENGTHS[_unit]
    for _power, _group in ((2, "area"), (3, "volume")):
        for _name in (f"{_unit}{_power}", f"{_unit}^{_power}"):
            _UNITS[_group].setdefault(_name, (_factor ** _power, _prefix and _unit != "ly"))

_DECIMAL = {"Y": 1e24, "Z": 1e21, "E": 1e18, "P": 1e15, "T": 1e12, "G": 1e9, "M": 1e6, "k": 1e3, "h": 1e2,
            "da": 1e1, "e": 1e1, "d": 1e-1, "c": 1e-2, "m": 1e-3, "u": 1e-6, "n": 1e-9, "p": 1e-12, "f": 1e-15,
            "a": 1e-18, "z": 1e-21, "y": 1e-24}
_BINARY = {"ki": 2.0 ** 10, "Mi": 2.0 ** 20, "Gi": 2.0 ** 30, "Ti": 2.0 ** 40, "Pi": 2.0 ** 50, "Ei": 2.0 ** 60,
           "Zi": 2.0 ** 70, "Yi": 2.0 ** 80}
_TEMPERATURES = ("C", "cel", "F", "fah", "K", "kel", "Rank", "Reau")


def _lookup(name: str):
    """(group, factor, power) of a unit name with its prefix (power: 2 or 3 for a prefixed
    square or cube of a length, whose prefix is squared or cubed too), or None."""
    for group, units in _UNITS.items():
        if name in units:
            return group, units[name][0], 1
    prefixes = list(_DECIMAL.items()) + list(_BINARY.items())
    for prefix, mult in sorted(prefixes, key=lambda p: -len(p[0])):
        if not name.startswith(prefix) or len(name) == len(prefix):
            continue
        rest = name[len(prefix):]
        for group, units in _UNITS.items():
            hit = units.get(rest)
            if hit is None or not hit[1]:
                continue
            if prefix in _BINARY and group != "information":
                continue
            power = 2 if group == "area" and rest[-1] == "2" else 3 if group == "volume" and rest[-1] == "3" \
                and rest[:-1].rstrip("^") in _LENGTHS else 1
            return group, hit[0] * mult ** power, power
    return None


def _kelvin(value: float, unit: str) -> float:
    if unit in ("C", "cel"):
        return value + 273.15
    if unit in ("F", "fah"):
        return (value - 32) * 5 / 9 + 273.15
    if unit == "Rank":
        return value * 5 / 9
    if unit == "Reau":
        return value * 1.25 + 273.15
    return value


def _from_kelvin(k: float, unit: str) -> float:
    if unit in ("C", "cel"):
        return k - 273.15
    if unit in ("F", "fah"):
        return (k - 273.15) * 9 / 5 + 32
    if unit == "Rank":
        return k * 9 / 5
    if unit == "Reau":
        return (k - 273.15) * 0.8
    return k


def _temperature_unit(name: str):
    """A temperature unit: the names above, kelvin also with a decimal prefix ("mK")."""
    if name in _TEMPERATURES:
        return name, 1.0
    for prefix, mult in _DECIMAL.items():
        if name.startswith(prefix) and name[len(prefix):] in ("K", "kel"):
            return "K", mult
    return None


def _convert(ev, number, src, dst):
    """CONVERT(number, from_unit, to_unit): see the module's docstring. A unit that is not text
    is #N/A; a number that is not one is #VALUE!."""
    if not isinstance(src, str) or not isinstance(dst, str) or isinstance(src, XLError) or isinstance(dst, XLError):
        return NA
    if isinstance(number, bool):
        return VALUE
    ts, td = _temperature_unit(src), _temperature_unit(dst)
    if ts or td:
        if not (ts and td):
            return NA
        return _from_kelvin(_kelvin(number * ts[1] if ts[0] == "K" else number, ts[0]), td[0]) / \
            (td[1] if td[0] == "K" else 1.0)
    a, b = _lookup(src), _lookup(dst)
    if a is None or b is None or a[0] != b[0]:
        return NA
    return number * a[1] / b[1]


FUNCTIONS = {"CONVERT": elementwise(_convert, (3, 3), "naa")}
