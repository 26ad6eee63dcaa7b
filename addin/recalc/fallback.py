"""The fallback hook: what to do with a formula the evaluator does not read.

``recalc_workbook(..., fallback=obj)`` hands such a formula to ``obj.delegate(ev, key,
formula)``, which returns the cell's value or None (then the cell is an unsupported error,
as without a fallback). Any fallback must keep the "exact or error" rule: return a value
only where it is Excel's.

No fallback is installed. The ``formulas`` package was measured as one (docs/workbooks.md,
"The fallback decision") and dropped: over the 58 Excel-saved conformance books it answered
1,263 cells our own functions leave unsupported (1,127 of them the engineering base
conversions DEC2HEX and kin) but gave 17 different numbers or texts (VDB, DEC2BIN/OCT/HEX,
HEX2DEC), it gets no cell context (ROW()/COLUMN()), and it cannot be vouched for function
by function.
"""
from __future__ import annotations

from typing import Protocol


class Fallback(Protocol):
    def delegate(self, ev, key: tuple[str, int, int], formula: str) -> object | None:
        """The formula's value (exactly Excel's), or None when it cannot give one."""
