"""Text from a workbook made safe to print on a terminal.

A cell, a sheet name or a file name may hold control characters: ESC starts a sequence that
clears the screen, moves the cursor or retitles the window, so a book could hide or
overwrite a FAIL line; a carriage return or backspace overwrites what was printed; a bidi
override reorders it. :func:`shown` writes each such character as a visible escape
(``\\x1b``, ``\\r``, ``\\u202e``), so a report shows what the cell holds. JSON output needs
none of this (JSON escapes control characters itself).
"""
from __future__ import annotations

import re

__all__ = ["shown"]

# C0 and C1 controls, DEL, and the bidirectional marks and overrides (Unicode TR #9)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f", "\v": "\\v", "\x00": "\\0"}


def _escape(match: re.Match) -> str:
    c = match.group()
    return _NAMED.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")


def shown(text: object) -> str:
    """``text`` with every control character written as a visible escape."""
    return _CONTROL.sub(_escape, str(text))
