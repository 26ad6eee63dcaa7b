"""Excel add-in layer over the engine: cells in, values out, no contract logic.

* :mod:`addin.catalog` - the registry of Excel functions (``CATALOG``, ``call``).
* :mod:`addin.functions` - the functions themselves.
* :mod:`addin.convert` - cell values <-> engine inputs and results.
* :mod:`addin.macros` - the §4(i) certificate and Exhibit A purchase form.
* :mod:`addin.xl` - the module Excel imports (``UDF Modules = addin.xl``).

Importing ``addin`` does not import xlwings or openpyxl; only ``addin.xl`` and
the adapters in ``addin.macros`` do, when used.
"""
from .catalog import CATALOG, Arg, Entry, call

__all__ = ["CATALOG", "Arg", "Entry", "call"]
