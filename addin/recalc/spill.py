"""Where an array result goes: a dynamic-array formula spills; a legacy array formula fills
its own stored range (Excel's rules for both)."""
from __future__ import annotations

from .parse import MAX_COL, MAX_ROW

# cells the array formulas of a book may fill, all together (legacy fills), or one spill: filling
# costs ~25 us and ~400 bytes a cell (three 4.9M-cell legacy arrays in a tiny file were 5.6 GB)
ARRAY_CELLS_BUDGET = 1_000_000
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
    cap = min(ev.caps.max_range_cells, ARRAY_CELLS_BUDGET)
    if rows * cols > cap:
        return ev.unsupported("spill", f"{rows * cols:,} cells, over the cap of {cap:,}")
    if isinstance(v, ClippedGrid):
        return ev.unsupported("spill", "a range beyond the used area would spill its full size")
    sheet, r0, c0 = key
    if r0 + rows - 1 > MAX_ROW or c0 + cols - 1 > MAX_COL:
        return SPILL
    # row-major, the anchor (the first cell) left out
    targets = [(sheet, r, c) for r in range(r0, r0 + rows) for c in range(c0, c0 + cols)][1:]
    formulas, claimed, constants, cache_owner = ev.formulas, ev.claimed, ev.constants, ev.cache_owner
    if not formulas.keys().isdisjoint(targets) or not claimed.keys().isdisjoint(targets):
        return SPILL
    # a constant in the way blocks, unless it is this formula's own cached spill
    if not set(map(cache_owner.get, filter(constants.__contains__, targets))) <= {key}:
        return SPILL
    _claim(ev, key, targets, v, cols)
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


def _claim(ev, key, targets, v, cols):
    cells = []
    for row in v:
        cells.extend(row)
        if len(row) < cols:
            cells.extend([NA] * (cols - len(row)))
    cells = [0.0 if x is None else VALUE if is_grid(x) else x for x in cells[1:]]   # none_to_zero; no nesting
    owner = dict.fromkeys(targets, key)
    ev.claimed.update(owner)
    ev.result.spilled.update(owner)
    ev.result.values.update(zip(targets, cells))
