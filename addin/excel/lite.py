"""xlwings Lite (Excel on Windows, Mac and the web): every catalog function as a Lite custom function.

``warrants lite FOLDER`` writes this module, with the engine and the catalog
core packed in front of it, as FOLDER/main.py, and FOLDER/requirements.txt;
paste them into the xlwings Lite editor's two tabs (README, "Mac and Excel on
the web"). The module also imports as ``addin.excel.lite`` anywhere xlwings is
installed (outside Lite the decorators do nothing).

What differs from the Windows module (:mod:`addin.excel.xl`):

* Lite passes cell values, not ranges, and refuses keyword-only parameters:
  each function takes exactly the catalog's arguments, positionally; there is
  no ``caller``.
* Lite gives no access to the workbook's date system: dates arrive as serial
  numbers of the 1900 system (Excel's default), so a Lite workbook must not use
  the 1904 system.
* Lite has no function categories; the functions keep their catalog names
  (``=WARRANT_PRICE(...)``), so a sample workbook's formulas work unchanged.
* The buttons are Lite scripts (``@script``) writing through Lite's ``Book``.

No ``from __future__ import annotations`` here: Lite reads the scripts'
``book: xw.Book`` hint at run time.
"""
import inspect

import xlwings as xw
from xlwings import arg, func, script

from addin.excel.catalog import CATALOG

REQUIREMENTS = ("tzdata", "holidays>=0.50")
"""What requirements.txt lists (as in pyproject.toml); micropip installs python-dateutil and six with holidays."""
ADDIN_CORE = ("__init__.py", "excel/__init__.py", "excel/catalog.py", "excel/clauses.py", "excel/convert.py",
              "excel/functions.py", "documents/__init__.py", "documents/macros.py")
"""The add-in modules ``warrants lite`` packs with the engine (paths under addin/): the catalog core and the buttons' macros."""
DOC_LIMIT = 255  # Excel shows at most 255 characters of a function's or an argument's description


def _description(text):
    """``text`` cut at a word to 255 characters, with an ellipsis when cut."""
    return text if len(text) <= DOC_LIMIT else text[:DOC_LIMIT - 1].rsplit(" ", 1)[0] + "…"


def _lite_function(entry):
    """One Lite custom function ``NAME(arg1, ..., [optional...])`` calling the catalog entry."""
    sig = inspect.Signature([
        inspect.Parameter(a.name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                          default=None if a.optional else inspect.Parameter.empty)
        for a in entry.args])

    def lite_udf(*args, **kwargs):
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        return entry.func(*bound.arguments.values())  # date1904=False: Lite sends 1900-system serials

    lite_udf.__signature__ = sig  # Lite reads the arguments with inspect.signature
    lite_udf.__name__ = lite_udf.__qualname__ = entry.name
    lite_udf.__doc__ = _description(entry.doc)
    for a in reversed(entry.args):
        lite_udf = arg(a.name, ndim=2, doc=_description(a.doc))(lite_udf)
    return func(lite_udf)


LITE_FUNCTIONS = {name: _lite_function(entry) for name, entry in CATALOG.items()}
"""Name -> Lite custom function, one per catalog entry."""
globals().update(LITE_FUNCTIONS)  # Lite registers the decorated functions it finds among the module's names


def _button(book, kind):
    from addin.documents import macros
    from engine.errors import WarrantError

    try:
        adapter = macros.XlwingsBook(book)
        name = macros.adjustment_certificate(adapter) if kind == "certificate" else macros.purchase_form(adapter)
        book.sheets[name].activate()
    except WarrantError as exc:
        book.app.alert(f"#WARRANT: {' '.join(str(exc).split())}", title="Warrants")


@script
def make_adjustment_certificate(book: xw.Book):
    """Write the §4(i) officer's certificate of adjustment on a new sheet (reads Terms, Events, AsOf)."""
    _button(book, "certificate")


@script
def make_purchase_form(book: xw.Book):
    """Write the Exhibit A purchase form on a new sheet (reads Terms, Exercise, Market, Events)."""
    _button(book, "purchase_form")
