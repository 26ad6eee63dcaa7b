"""Where an array result goes: a dynamic-array formula spills; a legacy array formula fills
its own stored range (Excel's rules for both)."""
from __future__ import annotations

from .parse import MAX_COL, MAX_ROW
from .values import NA, SPILL, VALUE, ClippedGrid, XLError, is_grid, none_to_zero


def place_spill(ev, key, v):
    """A dynamic array bigger than one cell spills down and right, or is #SPILL! when a cell it
    would cover is not empty (cells of its own previous spill count as empty)."""
    if not is_grid(v):
        return none_to_zero(v)
    rows = len(v)
    cols = max((len(r) for r in v), default=0)
    if rows == 0 or cols == 0:
        return XLError("#CALC!")
    if rows == 1 and cols == 1:
        return none_to_zero(v[0][0])
    if rows * cols > ev.caps.max_range_cells:
        return ev.unsupported("spill", f"{rows * cols:,} cells, over the cap of {ev.caps.max_range_cells:,}")
    if isinstance(v, ClippedGrid):
        return ev.unsupported("spill", "a range beyond the used area would spill its full size")
    sheet, r0, c0 = key
    if r0 + rows - 1 > MAX_ROW or c0 + cols - 1 > MAX_COL:
        return SPILL
    targets = []
    formulas, claimed, constants, cache_owner = ev.formulas, ev.claimed, ev.constants, ev.cache_owner
    for dr in range(rows):
        for dc in range(cols):
            if dr == 0 and dc == 0:
                continue
            t = (sheet, r0 + dr, c0 + dc)
            if t in formulas or t in claimed:
                return SPILL
            if t in constants and cache_owner.get(t) != key:
                return SPILL
            targets.append((t, dr, dc))
    _claim(ev, key, targets, v)
    ev.result.spill_shape[key] = (rows, cols)
    return none_to_zero(v[0][0])


def fill_array(ev, key, v):
    """A legacy (Ctrl-Shift-Enter) array formula fills its stored range: a single value fills
    every cell, a one-row or one-column array is repeated across, and cells beyond the array
    are #N/A."""
    sheet, r1, c1 = key
    _, _, r2, c2 = ev.array_ref[key]
    rows, cols = r2 - r1 + 1, c2 - c1 + 1
    if rows * cols > ev.caps.max_range_cells:
        return ev.unsupported("array formula", f"range of {rows * cols:,} cells, over the cap of "
                              f"{ev.caps.max_range_cells:,}")
    grid = v if is_grid(v) else [[v]]
    gr, gc = len(grid), max((len(r) for r in grid), default=0)
    if gr == 0 or gc == 0:
        return XLError("#CALC!")

    def at(dr, dc):
        rr = 0 if gr == 1 else dr
        cc = 0 if gc == 1 else dc
        if rr >= gr or cc >= len(grid[rr]):
            return NA
        x = grid[rr][cc]
        return VALUE if is_grid(x) else none_to_zero(x)
    targets = [((sheet, r1 + dr, c1 + dc), dr, dc) for dr in range(rows) for dc in range(cols)
               if (dr, dc) != (0, 0) and (sheet, r1 + dr, c1 + dc) not in ev.formulas]
    for t, dr, dc in targets:
        ev.claimed[t] = key
        ev.result.spilled[t] = key
        ev.result.values[t] = at(dr, dc)
    return at(0, 0)


def _claim(ev, key, targets, v):
    for t, dr, dc in targets:
        row = v[dr]
        x = row[dc] if dc < len(row) else NA
        ev.claimed[t] = key
        ev.result.spilled[t] = key
        ev.result.values[t] = none_to_zero(x) if not is_grid(x) else VALUE
