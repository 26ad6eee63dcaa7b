"""The spreadsheet face: the catalog of Excel functions, cell conversion, and the xlwings modules.

``catalog`` (the registry, ``CATALOG`` and ``call``), ``functions`` and ``clauses`` (the functions
and the names they give clauses), ``convert`` (cells <-> engine inputs and results) know nothing of
xlwings or openpyxl; ``xl`` (classic xlwings, Windows) and ``lite`` (xlwings Lite) are thin wrappers.
"""
