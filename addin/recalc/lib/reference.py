"""Reference functions that build or trim a reference: ADDRESS (Microsoft's ADDRESS page). Each
cites the edge cases it follows."""
from __future__ import annotations

import math
import re

from ..xlutils import get_column_letter

from ..parse import MAX_COL, MAX_ROW
from ..values import VALUE, XLError, to_bool, to_number
from .common import ALL, declare

# a sheet name written as it is (Sheet2!$C$2): letters, digits and underscores, not readable as a
# cell (AB12) or an R1C1 reference (R, C, R2C3); these Excel quotes ('Me lo invente'!$C$2): a space
# or one of these signs, nothing else but letters, digits and underscores
_PLAIN_SHEET = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_LIKE_A_REFERENCE = re.compile(r"(?i)[A-Z]{1,3}[0-9]+|R[0-9]*(C[0-9]*)?|C[0-9]*|TRUE|FALSE")
_QUOTED_SHEET = re.compile(r"[A-Za-z0-9_ $%&()+,\-;=@^{}~!#]*[ $%&()+,\-;=@^{}~!#][A-Za-z0-9_ $%&()+,\-;=@^{}~!#]*")


def _whole(ev, v):
    """A row or column number: truncated toward zero (ADDRESS(23.4, 34.7, 2) is AH$23: the
    Excel-saved calc_tests__LOOKUP_AND_REFERENCE__ADDRESS.xlsx E24), or the error."""
    n = to_number(v, ev.epoch)
    if isinstance(n, XLError):
        return n
    return int(n) if math.isfinite(n) else VALUE


def _sheet_prefix(ev, text):
    """``Sheet2!`` or ``'A Wird One$'!`` (ADDRESS.xlsx E2, B33, B38); a name whose quoting Excel
    decides otherwise (digits first, a period, an apostrophe, letters outside A-Z) is not read."""
    if not isinstance(text, str) or isinstance(text, XLError):
        return ev.unsupported("ADDRESS", "a sheet_text that is not text")
    if _PLAIN_SHEET.fullmatch(text) and not _LIKE_A_REFERENCE.fullmatch(text):
        return text + "!"
    if _QUOTED_SHEET.fullmatch(text) and not text[:1].isdigit():
        return f"'{text}'!"
    return ev.unsupported("ADDRESS", f"sheet_text {text!r}, whose quoting is not read here")


def _address(ev, args):
    """ADDRESS(row_num, column_num, [abs_num=1], [a1=TRUE], [sheet_text]): a cell's address as
    text. abs_num 1 is $C$2, 2 C$2, 3 $C2, 4 C2; with a1 FALSE, R2C3, R2C[3], R[2]C3, R[2]C[3];
    a row or column beyond the sheet, or an abs_num other than 1-4, is #VALUE! (Microsoft's
    ADDRESS page; the Excel-saved calc_tests__LOOKUP_AND_REFERENCE__ADDRESS.xlsx E15:G27, A11,
    B40). An empty abs_num, a1 or sheet_text is not read here."""
    if not 2 <= len(args) <= 5:
        return VALUE
    row, col = _whole(ev, args[0][1]), _whole(ev, args[1][1])
    for n in (row, col):
        if isinstance(n, XLError):
            return n
    if not (1 <= row <= MAX_ROW and 1 <= col <= MAX_COL):
        return VALUE
    style = 1
    if len(args) > 2:
        if args[2][1] is None:
            return ev.unsupported("ADDRESS", "an empty abs_num")
        style = _whole(ev, args[2][1])
        if isinstance(style, XLError):
            return style
        if style not in (1, 2, 3, 4):
            return VALUE
    a1 = True
    if len(args) > 3:
        if args[3][1] is None:
            return ev.unsupported("ADDRESS", "an empty a1")
        a1 = to_bool(args[3][1])
        if isinstance(a1, XLError):
            return a1
    prefix = ""
    if len(args) > 4:
        if args[4][1] is None:
            return ev.unsupported("ADDRESS", "an empty sheet_text")
        prefix = _sheet_prefix(ev, args[4][1])
        if isinstance(prefix, XLError):
            return prefix
    abs_row, abs_col = style in (1, 2), style in (1, 3)
    if a1:
        return f"{prefix}{'$' if abs_col else ''}{get_column_letter(col)}{'$' if abs_row else ''}{row}"
    return f"{prefix}R{row if abs_row else f'[{row}]'}C{col if abs_col else f'[{col}]'}"


FUNCTIONS = {
    "ADDRESS": declare(_address, broadcast=ALL, numbers=(0, 1, 2)),
}
