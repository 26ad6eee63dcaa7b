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
* Every argument is read with ``err_to_str=True``: an error cell (``#N/A``) arrives as its
  text, which the catalog refuses naming the field, instead of as None, which would read
  as a blank (xlwings' Converters and Options: "err_to_str ... returns the errors as
  strings" instead of None).
* A blank cell arrives as None whatever the runtime passes: Pyodide 0.28 and later hand
  JavaScript's ``null`` over as ``pyodide.ffi.jsnull``, which xlwings before 0.36.7 passed
  on as it was (:func:`blanks_as_none`).
* The buttons are Lite scripts (``@script``) writing through Lite's ``Book``, with column
  widths in points (Lite's unit; the desktop's is characters) and no PDF: Lite has no
  file system to save one to, so the sheet says so and how to print it instead.

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
              "excel/functions.py", "documents/__init__.py", "documents/macros.py", "documents/documents.py")
"""The add-in modules ``warrants lite`` packs with the engine (paths under addin/): the catalog core, the buttons' macros and
the documents they lay out (documents.py imports ReportLab only inside ``write_pdf``, never called here)."""
ARG_OPTIONS = {"ndim": 2, "err_to_str": True}
"""Every argument as rows (a single cell as a 1x1 range); Excel errors as their text."""
PDF_NOTE = ("not written in xlwings Lite (it has no file system to save to): print this sheet to PDF "
            "(File > Print > Save as PDF), or run `warrants certificate BOOK --pdf OUT.pdf` / "
            "`warrants purchase-form BOOK --pdf OUT.pdf` on a saved copy")
"""What the ``PDF copy`` line of a Lite script's sheet says."""

try:                                   # Pyodide 0.28+: JavaScript's null arrives as this sentinel
    from pyodide.ffi import JsNull as _JsNull
except ImportError:                    # CPython, or an older Pyodide (null arrives as None)
    _JsNull = ()


def blanks_as_none(value):
    """``value`` (a cell or rows of cells) with every ``jsnull`` blank made None."""
    if isinstance(value, _JsNull):
        return None
    if isinstance(value, (list, tuple)):
        return [blanks_as_none(v) for v in value]
    return value
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
        cells = [blanks_as_none(v) for v in bound.arguments.values()]
        return entry.func(*cells)  # date1904=False: Lite sends 1900-system serials

    lite_udf.__signature__ = sig  # Lite reads the arguments with inspect.signature
    lite_udf.__name__ = lite_udf.__qualname__ = entry.name
    lite_udf.__doc__ = _description(entry.doc)
    for a in reversed(entry.args):
        lite_udf = arg(a.name, **ARG_OPTIONS, doc=_description(a.doc))(lite_udf)
    return func(lite_udf)


LITE_FUNCTIONS = {name: _lite_function(entry) for name, entry in CATALOG.items()}
"""Name -> Lite custom function, one per catalog entry."""
globals().update(LITE_FUNCTIONS)  # Lite registers the decorated functions it finds among the module's names


def points(characters):
    """A column width in Excel's characters (of the default font's widest digit, 7 pixels for
    Calibri 11) as points, Lite's unit: ECMA-376 Part 1, §18.3.1.13 (col width) adds 5 pixels of
    padding, and a pixel is 3/4 of a point at 96 dpi."""
    return round((characters * 7 + 5) * 0.75, 2)


def _lite_book(book):
    """The macros' workbook adapter over Lite's ``Book``: widths in points, no PDF path."""
    from addin.documents import macros

    class LiteBook(macros.XlwingsBook):
        def set_widths(self, sheet, widths):
            super().set_widths(sheet, {col: points(width) for col, width in widths.items()})

        def pdf_path(self, base):
            return None

    return LiteBook(book)


def _button(book, kind):
    """Build the document, say on it why there is no PDF, write it on a new sheet; a refused input
    becomes an alert naming the field, and nothing is written."""
    from addin.documents import documents
    from addin.documents import macros
    from engine.errors import WarrantError

    adapter = _lite_book(book)
    try:
        if kind == "certificate":
            doc, _fp = macros.certificate_document(adapter)
            base = macros.CERTIFICATE_SHEET
        else:
            doc, _fp = macros.purchase_form_document(adapter)
            base = macros.PURCHASE_FORM_SHEET
    except WarrantError as exc:
        book.app.alert(f"#WARRANT: {' '.join(str(exc).split())}", title="Warrants")
        return
    doc.add("fields", fields=(documents.Field("PDF copy", PDF_NOTE),))
    name = macros.write_sheet(adapter, doc, base)
    book.sheets[name].activate()


@script
def make_adjustment_certificate(book: xw.Book):
    """Write the §4(i) officer's certificate of adjustment on a new sheet (reads Terms, Events, AsOf)."""
    _button(book, "certificate")


@script
def make_purchase_form(book: xw.Book):
    """Write the Exhibit A purchase form on a new sheet (reads Terms, Exercise, Market, Events)."""
    _button(book, "purchase_form")
