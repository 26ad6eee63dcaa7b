"""Excel add-in layer over the engine: cells in, values out, no contract logic.

One layer a subpackage, each importing the ones listed after it (and ``engine``), never one
before it; the one exception: the xlwings modules' buttons (``excel.xl``, ``excel.lite``) run
the macros of ``documents`` when pressed.

* :mod:`addin.cli` - the ``warrants`` command (``cli``, ``launch``, ``terminal``).
* :mod:`addin.documents` - what a holder receives and a user keeps: the §4(i) certificate and
  Exhibit A purchase form (``macros``, ``documents``), the starter workbook (``starter``) and the
  repair of tables cut to one cell (``tables``); :mod:`addin.ocf` reads and writes OCF packages.
* :mod:`addin.excel` - the catalog of Excel functions (``catalog``: ``CATALOG``, ``call``), the
  functions (``functions``, ``clauses``), cell conversion (``convert``) and the xlwings modules:
  ``xl`` (classic: ``UDF Modules = addin.excel.xl``) and ``lite`` (xlwings Lite).
* :mod:`addin.recalc` - the headless recalculation: the sheet reader (``xlsxscan``, ``bookio``)
  and the evaluator. It imports nothing else from ``addin``: callers pass the catalog in.

Importing ``addin`` imports nothing; only ``addin.excel.xl``, ``addin.excel.lite`` and the
adapters in ``addin.documents.macros`` import xlwings, when used.
"""
