"""Warrant engine: exact, clause-by-clause answers for Performance Warrant D-1 and its kin.

Pure Python: imports only the standard library (and ``tzdata`` through
``zoneinfo`` where the OS has no zone database). Never imports the add-in,
xlwings or openpyxl.
"""
from .errors import WarrantError
from .terms import D1_TESTS, Holding, PerformanceTest, Terms, d1_terms

__version__ = "0.1.0"

__all__ = ["WarrantError", "Terms", "Holding", "PerformanceTest", "D1_TESTS", "d1_terms", "__version__"]
from .events import EVENT_COLUMNS, EVENT_KINDS, Event, parse_events, parse_ratio, sort_events
from .ledger import (APPLIED, BLOCKED_UPWARD, CARRIED_FORWARD, EXCLUDED, NO_EFFECT, Adjusted, TrailRow, adjust)

__all__ += ["EVENT_COLUMNS", "EVENT_KINDS", "Event", "parse_events", "parse_ratio", "sort_events",
            "APPLIED", "BLOCKED_UPWARD", "CARRIED_FORWARD", "EXCLUDED", "NO_EFFECT", "Adjusted", "TrailRow", "adjust"]
from .exercisability import (BLOCKED, EXERCISABLE, EXPIRED, NO_PERFORMANCE_DEFAULT, NOT_YET_EXERCISABLE, DefaultRow,
                             Exercisability, Facts, Reason, TestResult, as_of_moment, d1_results, exercisability,
                             performance_defaults)
from .settlement import (CASH, MIXED, NET, SURRENDER, ExerciseRequest, Market, Position, Settlement,
                         holding_period_end, previous_trading_day, settle)
from .reallocation import (Optionee, Reallocation, ReallocationRow, agreement_optionees, pro_rata_whole,
                           reallocate)

__all__ += ["BLOCKED", "EXERCISABLE", "EXPIRED", "NO_PERFORMANCE_DEFAULT", "NOT_YET_EXERCISABLE", "DefaultRow",
            "Exercisability", "Facts", "Reason", "TestResult", "as_of_moment", "d1_results", "exercisability",
            "performance_defaults",
            "CASH", "MIXED", "NET", "SURRENDER", "ExerciseRequest", "Market", "Position", "Settlement",
            "holding_period_end", "previous_trading_day", "settle",
            "Optionee", "Reallocation", "ReallocationRow", "agreement_optionees", "pro_rata_whole", "reallocate"]
from .ledger import forget_answers
from .register import forget_programs, register

__all__ += ["register", "clear_caches"]


def clear_caches() -> None:
    """Forget every cached answer and compiled program: the next call sees its ledger for the first time."""
    forget_answers()
    forget_programs()
