"""THE module Excel imports: in the xlwings config sheet, ``UDF Modules`` = ``addin.xl``.

Each function below is a thin xlwings wrapper over the catalog
(:mod:`addin.catalog`): xlwings hands over the cells (``ndim=2`` ranges, Excel
errors as text), the catalog converts them, calls the engine and formats the
result. The docs shown in Excel's function wizard come from the catalog.

On Linux and macOS the xlwings decorators do nothing and importing this module
needs no Excel: the headless recalculation calls :func:`addin.catalog.call`
directly. ``@xw.sub`` marks the two macros (classic xlwings on Windows; they
also run from VBA's ``RunPython`` on a Mac).
"""
from __future__ import annotations

from typing import Any

import xlwings as xw

from .catalog import CATALOG

CATEGORY = "Warrants"
_ARG_OPTIONS = {"ndim": 2, "err_to_str": True}  # every range as rows; #N/A etc. as text we can report


def _doc(name: str, arg: str) -> str:
    for a in CATALOG[name].args:
        if a.name == arg:
            return a.doc[:255]  # Excel's function wizard shows at most 255 characters
    raise KeyError(arg)  # pragma: no cover


def _date1904(caller: Any) -> bool:
    """The calling workbook's date system (only matters for dates typed as serial numbers)."""
    try:
        return bool(caller.sheet.book.api.Date1904)
    except Exception:  # noqa: BLE001 - no COM (Linux/Mac/headless): the 1900 system
        return False


def _call(name: str, caller: Any, *args: Any) -> Any:
    return CATALOG[name].func(*args, date1904=_date1904(caller))


def _scalar(a: str, n: str) -> dict[str, Any]:
    return {"doc": _doc(n, a), "err_to_str": True}


@xw.func(category=CATEGORY)
@xw.arg("terms", **_ARG_OPTIONS, doc=_doc("WARRANT_TERMS", "terms"))
@xw.ret(expand="table")
def WARRANT_TERMS(terms, caller=None):  # noqa: N802
    """Every term the engine uses, with its source (given / preset / default): spills."""
    return _call("WARRANT_TERMS", caller, terms)


@xw.func(category=CATEGORY)
@xw.arg("terms", **_ARG_OPTIONS, doc=_doc("WARRANT_EXERCISABLE", "terms"))
@xw.arg("tests", **_ARG_OPTIONS, doc=_doc("WARRANT_EXERCISABLE", "tests"))
@xw.arg("as_of", **_scalar("as_of", "WARRANT_EXERCISABLE"))
@xw.arg("facts", **_ARG_OPTIONS, doc=_doc("WARRANT_EXERCISABLE", "facts"))
def WARRANT_EXERCISABLE(terms, tests, as_of, facts=None, caller=None):  # noqa: N802
    """Whether the warrant may be exercised at a moment (§1(a), §2): TRUE or FALSE."""
    return _call("WARRANT_EXERCISABLE", caller, terms, tests, as_of, facts)


@xw.func(category=CATEGORY)
@xw.arg("terms", **_ARG_OPTIONS, doc=_doc("WARRANT_STATUS", "terms"))
@xw.arg("tests", **_ARG_OPTIONS, doc=_doc("WARRANT_STATUS", "tests"))
@xw.arg("as_of", **_scalar("as_of", "WARRANT_STATUS"))
@xw.arg("facts", **_ARG_OPTIONS, doc=_doc("WARRANT_STATUS", "facts"))
def WARRANT_STATUS(terms, tests, as_of, facts=None, caller=None):  # noqa: N802
    """The one-sentence reason the warrant is or is not exercisable at a moment."""
    return _call("WARRANT_STATUS", caller, terms, tests, as_of, facts)


@xw.func(category=CATEGORY)
@xw.arg("terms", **_ARG_OPTIONS, doc=_doc("WARRANT_DEFAULTS", "terms"))
@xw.arg("tests", **_ARG_OPTIONS, doc=_doc("WARRANT_DEFAULTS", "tests"))
@xw.ret(expand="table")
def WARRANT_DEFAULTS(terms, tests, caller=None):  # noqa: N802
    """Spill: Test, Actual, Threshold, Default, Excused, Clause for each §2 test."""
    return _call("WARRANT_DEFAULTS", caller, terms, tests)


@xw.func(category=CATEGORY)
@xw.arg("terms", **_ARG_OPTIONS, doc=_doc("WARRANT_PRICE", "terms"))
@xw.arg("events", **_ARG_OPTIONS, doc=_doc("WARRANT_PRICE", "events"))
@xw.arg("as_of", **_scalar("as_of", "WARRANT_PRICE"))
def WARRANT_PRICE(terms, events, as_of, caller=None):  # noqa: N802
    """The Per Share Exercise Price on a date, after every §4 adjustment."""
    return _call("WARRANT_PRICE", caller, terms, events, as_of)


@xw.func(category=CATEGORY)
@xw.arg("terms", **_ARG_OPTIONS, doc=_doc("WARRANT_SHARES", "terms"))
@xw.arg("events", **_ARG_OPTIONS, doc=_doc("WARRANT_SHARES", "events"))
@xw.arg("as_of", **_scalar("as_of", "WARRANT_SHARES"))
def WARRANT_SHARES(terms, events, as_of, caller=None):  # noqa: N802
    """The number of Warrant Shares on a date, after every §4 adjustment (exact)."""
    return _call("WARRANT_SHARES", caller, terms, events, as_of)


@xw.func(category=CATEGORY)
@xw.arg("terms", **_ARG_OPTIONS, doc=_doc("WARRANT_ADJUSTMENTS", "terms"))
@xw.arg("events", **_ARG_OPTIONS, doc=_doc("WARRANT_ADJUSTMENTS", "events"))
@xw.arg("as_of", **_scalar("as_of", "WARRANT_ADJUSTMENTS"))
@xw.ret(expand="table")
def WARRANT_ADJUSTMENTS(terms, events, as_of, caller=None):  # noqa: N802
    """Spill: the §4 adjustment trail, one row per event, with clause and explanation."""
    return _call("WARRANT_ADJUSTMENTS", caller, terms, events, as_of)


@xw.func(category=CATEGORY)
@xw.arg("terms", **_ARG_OPTIONS, doc=_doc("WARRANT_EXERCISE", "terms"))
@xw.arg("events", **_ARG_OPTIONS, doc=_doc("WARRANT_EXERCISE", "events"))
@xw.arg("exercise", **_ARG_OPTIONS, doc=_doc("WARRANT_EXERCISE", "exercise"))
@xw.arg("market", **_ARG_OPTIONS, doc=_doc("WARRANT_EXERCISE", "market"))
@xw.arg("tests", **_ARG_OPTIONS, doc=_doc("WARRANT_EXERCISE", "tests"))
@xw.arg("facts", **_ARG_OPTIONS, doc=_doc("WARRANT_EXERCISE", "facts"))
@xw.arg("detail", **_scalar("detail", "WARRANT_EXERCISE"))
@xw.ret(expand="table")
def WARRANT_EXERCISE(terms, events, exercise, market=None, tests=None, facts=None, detail=None,  # noqa: N802
                     caller=None):
    """Spill (label | value): the settlement of an exercise (§1(b), §1(c), §3, §5)."""
    return _call("WARRANT_EXERCISE", caller, terms, events, exercise, market, tests, facts, detail)


@xw.func(category=CATEGORY)
@xw.arg("register", **_ARG_OPTIONS, doc=_doc("WARRANT_REGISTER", "register"))
@xw.arg("events", **_ARG_OPTIONS, doc=_doc("WARRANT_REGISTER", "events"))
@xw.arg("as_of", **_scalar("as_of", "WARRANT_REGISTER"))
@xw.ret(expand="table")
def WARRANT_REGISTER(register, events, as_of, caller=None):  # noqa: N802
    """Spill: Warrant, Price, Shares, Aggregate Price for every warrant of a register, in one call."""
    return _call("WARRANT_REGISTER", caller, register, events, as_of)


@xw.func(category=CATEGORY)
@xw.arg("optionees", **_ARG_OPTIONS, doc=_doc("OPTION_REALLOCATE", "optionees"))
@xw.arg("price", **_scalar("price", "OPTION_REALLOCATE"))
@xw.ret(expand="table")
def OPTION_REALLOCATE(optionees, price, caller=None):  # noqa: N802
    """Spill: the option's reallocation and assignments, each party's shares and purchase price, and a Total."""
    return _call("OPTION_REALLOCATE", caller, optionees, price)


# --------------------------------------------------------------------------- macros (buttons)

def _run_macro(kind: str) -> None:
    from engine.errors import WarrantError

    from . import macros

    book = xw.Book.caller()
    try:
        adapter = macros.XlwingsBook(book)
        name = macros.adjustment_certificate(adapter) if kind == "certificate" else macros.purchase_form(adapter)
        book.sheets[name].activate()
    except WarrantError as exc:
        _alert(book, f"#WARRANT: {' '.join(str(exc).split())}")


def _alert(book: Any, text: str) -> None:
    try:
        book.app.alert(text, title="Warrants")
    except Exception:  # noqa: BLE001 - older xlwings/Excel without alert: the status bar
        book.app.status_bar = text


@xw.sub
def make_adjustment_certificate():
    """Button: write the §4(i) officer's certificate of adjustment on a new sheet (reads Terms, Events, AsOf)."""
    _run_macro("certificate")


@xw.sub
def make_purchase_form():
    """Button: write the Exhibit A purchase form on a new sheet (reads Terms, Exercise, Market, Events)."""
    _run_macro("purchase_form")


UDFS = {name: globals()[name] for name in CATALOG}
