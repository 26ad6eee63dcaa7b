"""THE module classic xlwings imports on Windows: in the xlwings config sheet, ``UDF Modules`` = ``addin.excel.xl``.

Every catalog entry (:mod:`addin.excel.catalog`) becomes one Excel function here,
built from the catalog's own argument list: its name, its arguments (optional
ones optional in Excel's function wizard), the wizard's texts and the
``Warrants`` category. xlwings hands every argument over as a 2-D range
(``ndim=2``; a single cell or a typed constant arrives as a 1x1 range, which
the catalog accepts) with Excel errors as text, so the catalog can name them.

Spilling results are plain 2-D lists: Excel 365/2021 spills them natively (a
blocked spill shows ``#SPILL!`` and overwrites nothing). There is deliberately
no ``@xw.ret(expand=...)``: xlwings' legacy expansion rewrites the caller as a
Ctrl-Shift-Enter array and overwrites cells without asking. In Excel 2016/2019
select the output range and enter the formula with Ctrl-Shift-Enter.

The hidden ``caller`` argument gives the calling workbook's date system (only
serial-number dates depend on it). The two buttons are ``@xw.script`` (the
name ``xw.sub`` is deprecated). On Linux and macOS the decorators do nothing;
the headless recalculation calls :func:`addin.excel.catalog.call` directly.
"""
from __future__ import annotations

import inspect
from typing import Any, Callable

import xlwings as xw

from .catalog import CATALOG, Entry

CATEGORY = "Warrants"
WIZARD_LIMIT = 255  # Excel's function wizard (Application.MacroOptions) takes at most 255 characters per text
RANGE_OPTIONS = {"ndim": 2, "err_to_str": True}  # every argument as rows; #N/A etc. as text we can report


def wizard_text(text: str) -> str:
    """``text`` cut at a word to Excel's 255-character limit, with an ellipsis when cut."""
    if len(text) <= WIZARD_LIMIT:
        return text
    return text[:WIZARD_LIMIT - 1].rsplit(" ", 1)[0] + "…"


def _date1904(caller: Any) -> bool:
    """The calling workbook's date system (only matters for dates typed as serial numbers)."""
    try:
        return bool(caller.sheet.book.api.Date1904)
    except Exception:  # noqa: BLE001 - no COM (Linux/Mac/headless): the 1900 system
        return False


def _udf(entry: Entry) -> Callable[..., Any]:
    """One Excel function for a catalog entry: ``NAME(arg1, ..., [optional...], caller=None)``."""
    params = [inspect.Parameter(a.name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                default=None if a.optional else inspect.Parameter.empty) for a in entry.args]
    # xlwings fills a parameter named "caller" with the calling range and hides it from Excel.
    sig = inspect.Signature(params + [inspect.Parameter("caller", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                                        default=None)])

    def udf(*args: Any, **kwargs: Any) -> Any:
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        cells = dict(bound.arguments)
        caller = cells.pop("caller")
        return entry.func(*cells.values(), date1904=_date1904(caller))

    udf.__signature__ = sig  # type: ignore[attr-defined] - xlwings reads the arguments with inspect.signature
    udf.__name__ = udf.__qualname__ = entry.name
    udf.__doc__ = wizard_text(entry.doc)
    for a in reversed(entry.args):
        udf = xw.arg(a.name, **RANGE_OPTIONS, doc=wizard_text(a.doc))(udf)
    return xw.func(category=CATEGORY)(udf)


UDFS: dict[str, Callable[..., Any]] = {name: _udf(entry) for name, entry in CATALOG.items()}
"""Name -> Excel function, one per catalog entry."""
globals().update(UDFS)  # xlwings' Import Functions finds the functions among the module's names


# --------------------------------------------------------------------------- macros (buttons)

def run_button(book: Any, kind: str) -> None:
    """Run a button's macro on ``book``; a refused input becomes an alert, never a traceback."""
    from engine.errors import WarrantError

    from addin.documents import macros

    try:
        adapter = macros.XlwingsBook(book)
        name = macros.adjustment_certificate(adapter) if kind == "certificate" else macros.purchase_form(adapter)
        book.sheets[name].activate()
    except WarrantError as exc:
        try:
            book.app.alert(f"#WARRANT: {' '.join(str(exc).split())}", title="Warrants")
        except Exception:  # noqa: BLE001 - older xlwings/Excel without alert: the status bar
            book.app.status_bar = f"#WARRANT: {' '.join(str(exc).split())}"


@xw.script
def make_adjustment_certificate():
    """Button: write the §4(i) officer's certificate of adjustment on a new sheet (reads Terms, Events, AsOf)."""
    run_button(xw.Book.caller(), "certificate")


@xw.script
def make_purchase_form():
    """Button: write the Exhibit A purchase form on a new sheet (reads Terms, Exercise, Market, Events)."""
    run_button(xw.Book.caller(), "purchase_form")


@xw.script
def import_ocf():
    """Button "Import OCF" (Windows): pick an OCF package (.zip or a manifest/transactions .json); the warrant's
    terms, Events and the OCF notes arrive on new sheets of this book (addin.documents.macros.import_ocf, docs/ocf.md)."""
    from engine.errors import WarrantError

    from addin.documents import macros

    book = xw.Book.caller()
    try:
        picked = book.app.api.GetOpenFilename("Open Cap Table Format (*.zip;*.json),*.zip;*.json", 1,
                                              "Import OCF: the cap table package")
    except Exception:  # noqa: BLE001 - no COM file picker (Mac, web): the command line does it
        book.app.alert("Import OCF needs Excel on Windows; elsewhere run: warrants import-ocf PATH --warrant ID "
                       "-o OUT.xlsx", title="Warrants")
        return
    if not picked:              # cancelled
        return
    warrant = book.app.api.InputBox("The warrant's OCF security_id or custom_id (blank: the package's only "
                                    "warrant)", "Import OCF", "")
    if warrant is False:        # cancelled
        return
    try:
        names = macros.import_ocf(macros.XlwingsBook(book), picked, str(warrant).strip() or None)
        book.sheets[names[1]].activate()
    except WarrantError as exc:
        book.app.alert(f"#WARRANT: {' '.join(str(exc).split())}", title="Warrants")
