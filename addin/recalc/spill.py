"""Where an array result goes: a dynamic-array formula spills; a legacy array formula fills
its own stored range (Excel's rules for both)."""
from __future__ import annotations

from itertools import product

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
    r9, c9 = r0 + rows - 1, c0 + cols - 1
    if r9 > MAX_ROW or c9 > MAX_COL:
        return SPILL
    # row-major, the anchor (the first cell) left out
    targets = list(product((sheet,), range(r0, r9 + 1), range(c0, c9 + 1)))
    del targets[0]
    area = (sheet, r0, c0, r9, c9)
    if _any_in(ev.formulas, targets, key, area) or _any_in(ev.claimed, targets, key, area):
        return SPILL
    # a constant in the way blocks, unless it is this formula's own cached spill (every cell of the
    # area the formula's own, as when its cached values are read back: no constant need be looked at)
    constants, cache_owner = ev.constants, ev.cache_owner
    if set(map(cache_owner.get, targets)) != {key} and \
            not set(map(cache_owner.get, filter(constants.__contains__, targets))) <= {key}:
        return SPILL
    _claim(ev, key, targets, v, cols)
    ev.result.spill_shape[key] = (rows, cols)
    return none_to_zero(v[0][0])


def _any_in(cells: dict, targets: list, key, area) -> bool:
    """Whether a cell of ``targets`` (``area`` less its first cell ``key``) is a key of ``cells``:
    whichever of the two is shorter is walked."""
    if len(cells) >= len(targets):
        return not cells.keys().isdisjoint(targets)
    sheet, r0, c0, r9, c9 = area
    return any(k[0] == sheet and r0 <= k[1] <= r9 and c0 <= k[2] <= c9 and k != key for k in cells)


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
        ev.claimed[t] = key                  # ev.claimed is ev.result.spilled
        ev.result.values[t] = at(dr, dc)
    return at(0, 0)


def _claim(ev, key, targets, v, cols):
    cells = []
    for row in v:
        cells.extend(row)
        if len(row) < cols:
            cells.extend([NA] * (cols - len(row)))
    del cells[0]
    kinds = set(map(type, cells))
    if type(None) in kinds or any(issubclass(kind, list) for kind in kinds):
        cells = [0.0 if x is None else VALUE if is_grid(x) else x for x in cells]   # none_to_zero; no nesting
    ev.claimed.update(dict.fromkeys(targets, key))       # ev.claimed is ev.result.spilled
    ev.result.values.update(zip(targets, cells))
