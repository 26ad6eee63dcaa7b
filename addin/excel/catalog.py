"""The one registry of Excel functions: name -> function, its documentation and every argument's.

Used by the xlwings module (:mod:`addin.excel.xl`), by the headless recalculation and
by docs/catalog.md. ``call(name, *raw_cells, date1904=False)`` is how a formula
engine calls a function: it returns cell values, or a ``#WARRANT: `` text when
the engine refuses the input (an :class:`engine.WarrantError`). Any other
exception is a bug and propagates.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable

from engine.errors import WarrantError

from . import functions as F
from .convert import name_cell, one_line

ERROR_PREFIX = "#WARRANT: "


@dataclass(frozen=True)
class Arg:
    name: str
    doc: str
    optional: bool = False


@dataclass(frozen=True)
class Entry:
    name: str
    func: Callable[..., object]
    doc: str
    args: tuple[Arg, ...]
    returns: str
    spills: bool


def error_text(exc: WarrantError) -> str:
    """The one-line cell text for a refused input."""
    return ERROR_PREFIX + one_line(str(exc))


NAMES_CELLS = True   # call() takes ``origins``: a refusal names the worksheet cell (issue 18)


def _safe(name: str, raw: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(raw)
    def wrapper(*args: Any, date1904: bool = False, origins: Any = None) -> Any:
        try:
            return raw(*args, date1904=bool(date1904))
        except WarrantError as exc:
            if origins:
                arg_names = [a.name for a in CATALOG[name].args]
                return ERROR_PREFIX + one_line(name_cell(str(exc), args, arg_names, origins))
            return error_text(exc)

    wrapper.__name__ = name
    wrapper.raw = raw  # type: ignore[attr-defined]
    return wrapper


_TERMS = Arg("terms", "Key/value range of the warrant's terms (label | value, or labels over values). Needs "
                      "Warrant Shares, Exercise Price, Issue Date, Anti-Dilution, or a row Preset | D-1; other "
                      "terms default to a plain warrant (docs/catalog.md).")
_TERMS_EX = Arg("terms", "Key/value range of the warrant's terms. Needs Warrant Shares, Exercise Price, Issue "
                         "Date, Anti-Dilution, Exercise Start, Exercise End, or a row Preset | D-1; other terms "
                         "default to a plain warrant (docs/catalog.md).")
_TESTS = Arg("tests", "Table with header Test | Comparator | Threshold | Actual | Force Majeure (Clause optional): "
                      "the measured §2 performance tests. Comparator AT_LEAST or AT_MOST; blank Comparator or "
                      "Threshold is taken from the terms' test of the same name.")
_TESTS_OPT = Arg("tests", "Optional table Test | Comparator | Threshold | Actual | Force Majeure: when given, a "
                          "warrant that is not exercisable on the Exercise Date is refused; when omitted and the "
                          "terms require a Performance Default, a last row says Exercisability not checked.",
                 optional=True)
_AS_OF = Arg("as_of", "The date (or date and time, New York time) to judge: an Excel date, a date serial or ISO "
                      "text. A date alone means that day before the 5:00 p.m. cut-off.")
_AS_OF_DAY = Arg("as_of", "The date to evaluate the ledger on: an Excel date or ISO text; every event dated on or "
                          "before it counts.")
_FACTS = Arg("facts", "Optional key/value range of the §2(e) and §2(f) facts: Other Warrant Exercised Or Waived, "
                      "Realized Valuation Event, Force Majeure From, Force Majeure To (dates or blank; To blank = "
                      "in progress; more periods: Force Majeure From 2 | To 2, ...).", optional=True)
_EVENTS = Arg("events", "Table of capital events; header Date | Event | Shares | Ratio | Consideration | "
                        "Additional Consideration | Outstanding | Category | Ref | Price | Note (any order, unused "
                        "columns may be left out). Blank = no events.")
_EXERCISE = Arg("exercise", "Key/value range of the exercise: Exercise Date, Shares (a number or ALL; blank = "
                            "ALL), Payment Date, Method (CASH, SURRENDER, MIXED or NET), Cash Paid, Surrendered "
                            "Shares Acquired (date), Fair Value (per share).")
_MARKET = Arg("market", "Optional key/value range for §5 cash in lieu of a fraction: Venue (OTC, EXCHANGE or "
                        "NONE), Quote Date, Low Bid, High Asked, Closing Price, Board Fair Value.", optional=True)

_ENTRIES: tuple[tuple[str, Callable[..., Any], str, tuple[Arg, ...], str, bool], ...] = (
    ("WARRANT_TERMS", F.warrant_terms,
     "Every term the engine uses for a warrant, and where each value came from: typed in the terms range "
     "(given), from the Preset named there (preset), or the plain-warrant default (default).",
     (_TERMS,),
     "Spill with header Label | Value | Source, one row per term (\"none\" where the warrant has no such "
     "term).", True),
    ("WARRANT_EXERCISABLE", F.warrant_exercisable,
     "Whether the warrant may be exercised at a moment (§1(a) Exercise Period, §2 Performance Default, "
     "§2(e) and §2(f)).",
     (_TERMS_EX, _TESTS, _AS_OF, _FACTS),
     "TRUE or FALSE.", False),
    ("WARRANT_STATUS", F.warrant_status,
     "The one plain sentence explaining whether the warrant may be exercised at a moment, with clause, "
     "measured value and threshold.",
     (_TERMS_EX, _TESTS, _AS_OF, _FACTS),
     "Text, e.g. \"Exercisable: §2(a) Building Test default, 118 buildings < 120\".", False),
    ("WARRANT_DEFAULTS", F.warrant_defaults,
     "The §2 Performance Default of each measured test (a value exactly at the threshold is no default; "
     "§2(f) Force Majeure excuses).",
     (_TERMS, Arg("tests", _TESTS.doc)),
     "Spill with header Test | Actual | Threshold | Default | Excused | Clause, one row per test.", True),
    ("WARRANT_PRICE", F.warrant_price,
     "The Per Share Exercise Price on a date after every §4 adjustment of the ledger (including §4(h), the "
     "lowest price calculable).",
     (_TERMS, _EVENTS, _AS_OF_DAY),
     "A number: the price per share (the exact value converted to the nearest double).", False),
    ("WARRANT_SHARES", F.warrant_shares,
     "The number of Warrant Shares on a date after every §4 adjustment (exact; a fraction is kept until "
     "settlement).",
     (_TERMS, _EVENTS, _AS_OF_DAY),
     "A number: whole shares as a whole number, else the nearest double.", False),
    ("WARRANT_ADJUSTMENTS", F.warrant_adjustments,
     "The adjustment trail: one row per ledger event up to the date, with its clause, status, the price and "
     "shares before and after, and a sentence with the numbers used (the material of the §4(i) certificate).",
     (_TERMS, _EVENTS, _AS_OF_DAY),
     "Spill with header Date | Event | Clause | Status | Price Before | Price After | Shares Before | "
     "Shares After | Explanation; Status is APPLIED, CARRIED_FORWARD, EXCLUDED, NO_EFFECT or BLOCKED_UPWARD. "
     "A flag (e.g. a stated outstanding count that disagrees) is appended to the Explanation in brackets.", True),
    ("WARRANT_EXERCISE", F.warrant_exercise,
     "Settles an exercise (§1(b), §1(c), §3, §5): the price and shares come from the §4 ledger on the "
     "Exercise Date; §5's trading day is the NYSE calendar.",
     (_TERMS_EX, _EVENTS, _EXERCISE, _MARKET, _TESTS_OPT, _FACTS,
      Arg("detail", "Optional TRUE to append twelve more rows: Per Share Exercise Price, Security, Holder Of "
                    "Record, Method, Surrender Value, Fraction Price, Fraction Price Date, Quote Warning, New "
                    "Warrant, Outside Terms, Notes, Trading Calendar.", optional=True)),
     "Spill of two columns, label | value, no header row: Effective At, Shares Exercised, Full Shares Issued, "
     "Fractional Share, Aggregate Price, Cash Due, Shares To Surrender, Fraction Cash, Fraction Price Source, "
     "Certificates Due, Remaining Warrant Shares (then the detail rows; then, where they apply, Merger Cash and "
     "Unit Delivered after a MERGER (§4(b)) and Events Note when an EXERCISE row records this exercise; then "
     "\"Exercisability | not checked (no tests given)\" where a Performance Default is required and no tests are given). Refused with \"#WARRANT: "
     "Not exercisable: ...\" when tests are given and the warrant is not exercisable.", True),
    ("WARRANT_REGISTER", F.warrant_register,
     "Price and shares of many warrants over one shared ledger, in one call.",
     (Arg("register", "Table, one row per warrant; the headers are terms labels. Needs a Preset column or the "
                      "columns Warrant Shares, Exercise Price, Issue Date, Anti-Dilution; other columns default "
                      "to a plain warrant."),
      _EVENTS, _AS_OF_DAY),
     "Spill with header Warrant | Price | Shares | Aggregate Price, one row per warrant (Aggregate Price = "
     "price x shares, to the cent, half up).", True),
    ("OPTION_REALLOCATE", F.option_reallocate,
     "Reallocates an option's unexercised portion among the exercising optionees pro rata (or as agreed), "
     "then lets named third parties exercise part of an optionee's reallocated entitlement.",
     (Arg("optionees", "Table with header Optionee | Allocation | Exercised | Agreed Shares | Assigned From. "
                       "A row with Assigned From is a third party exercising its Agreed Shares out of that "
                       "optionee's reallocated entitlement (Allocation 0, Exercised TRUE)."),
      Arg("price", "The purchase price per share (e.g. 7.50).")),
     "Spill with header Optionee | Allocation | Exercised | Reallocated | Assigned | Shares | Purchase Price "
     "(Shares x price, to the cent), one row per party and a last row \"Total\".", True),
)

CATALOG: dict[str, Entry] = {
    name: Entry(name, _safe(name, func), doc, args, returns, spills)
    for name, func, doc, args, returns, spills in _ENTRIES
}


def call(name: str, *args: Any, date1904: bool = False, origins: Any = None) -> object:
    """Call a catalog function by its Excel name (case-insensitive) with raw cell values.

    Omitted trailing optional arguments may be left out. Returns a scalar, a
    2-D list for spilling functions, or a ``#WARRANT: `` text. ``origins``: for each
    argument, the (sheet, row, column) of the worksheet range it was read from, or None;
    a refusal then names the cell (``Warrant!B9: Exercise Price ...``).
    """
    entry = CATALOG.get(name.upper())
    if entry is None:
        raise KeyError(f"{name} is not a catalog function")
    if origins:
        return entry.func(*args, date1904=date1904, origins=origins)
    return entry.func(*args, date1904=date1904)
