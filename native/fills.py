"""Region fills: flood fill from a seed and filling enclosed background cells."""
from __future__ import annotations

import numpy as np
from numba import njit

from native.components import reach_from_border

_DR = np.array([-1, 0, 1, 0, -1, 1, 1, -1], dtype=np.int64)
_DC = np.array([0, 1, 0, -1, 1, 1, -1, -1], dtype=np.int64)


@njit(cache=True)
def flood_fill(grid: np.ndarray, r0: int, c0: int, color: int, connect: int) -> np.ndarray:
    """A copy of the grid with the same-colour region (4/8-connected) holding (r0, c0) recoloured.

    (r0, c0) must lie inside the grid and connect must be 4 or 8."""
    h, w = grid.shape
    out = grid.copy()
    seed = grid[r0, c0]
    seen = np.zeros((h, w), dtype=np.bool_)
    stack = np.empty(h * w, dtype=np.int64)
    seen[r0, c0] = True
    stack[0] = r0 * w + c0
    top = 1
    while top > 0:
        top -= 1
        r, c = divmod(stack[top], w)
        out[r, c] = color
        for k in range(connect):
            y, x = r + _DR[k], c + _DC[k]
            if 0 <= y < h and 0 <= x < w and not seen[y, x] and grid[y, x] == seed:
                seen[y, x] = True
                stack[top] = y * w + x
                top += 1
    return out


@njit(cache=True)
def fill_enclosed(grid: np.ndarray, color: int, bg: int) -> np.ndarray:
    """A copy of the grid with bg cells not 4-connected to the border through bg recoloured."""
    h, w = grid.shape
    free = np.empty((h, w), dtype=np.bool_)
    for r in range(h):
        for c in range(w):
            free[r, c] = grid[r, c] == bg
    outside = reach_from_border(free)
    out = grid.copy()
    for r in range(h):
        for c in range(w):
            if free[r, c] and not outside[r, c]:
                out[r, c] = color
    return out
