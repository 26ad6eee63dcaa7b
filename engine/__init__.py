"""Warrant engine: exact, clause-by-clause answers for Performance Warrant D-1 and its kin.

Pure Python: imports only the standard library (and ``tzdata`` through
``zoneinfo`` where the OS has no zone database). Never imports the add-in,
xlwings or openpyxl.
"""
from .errors import WarrantError
from .terms import D1_TESTS, PerformanceTest, Terms, d1_terms

__version__ = "0.1.0"

__all__ = ["WarrantError", "Terms", "PerformanceTest", "D1_TESTS", "d1_terms", "__version__"]
