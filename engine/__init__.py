"""Warrant engine: exact, clause-by-clause answers for Performance Warrant D-1 and its kin.

Pure Python: imports only the standard library (and ``tzdata`` through
``zoneinfo`` where the OS has no zone database). Never imports the add-in,
xlwings or openpyxl.
"""
from .errors import WarrantError
from .terms import D1_TESTS, PerformanceTest, Terms, d1_terms

__version__ = "0.1.0"

__all__ = ["WarrantError", "Terms", "PerformanceTest", "D1_TESTS", "d1_terms", "__version__"]
from .events import EVENT_COLUMNS, EVENT_KINDS, Event, parse_events, parse_ratio, sort_events
from .ledger import (APPLIED, BLOCKED_UPWARD, CARRIED_FORWARD, EXCLUDED, NO_EFFECT, Adjusted, TrailRow, adjust)

__all__ += ["EVENT_COLUMNS", "EVENT_KINDS", "Event", "parse_events", "parse_ratio", "sort_events",
            "APPLIED", "BLOCKED_UPWARD", "CARRIED_FORWARD", "EXCLUDED", "NO_EFFECT", "Adjusted", "TrailRow", "adjust"]
