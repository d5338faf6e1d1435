"""Whole-grid rearrangements: gravity (sliding the non-background cells to one side)."""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def gravity(grid: np.ndarray, direction: int, bg: int) -> np.ndarray:
    """Slide the non-bg cells to one side (0 up, 1 right, 2 down, 3 left), keeping their order."""
    h, w = grid.shape
    out = np.empty((h, w), dtype=np.uint8)
    out[:, :] = bg
    if direction == 0 or direction == 2:
        for c in range(w):
            if direction == 0:
                k = 0
                for r in range(h):
                    if grid[r, c] != bg:
                        out[k, c] = grid[r, c]
                        k += 1
            else:
                k = h - 1
                for r in range(h - 1, -1, -1):
                    if grid[r, c] != bg:
                        out[k, c] = grid[r, c]
                        k -= 1
    else:
        for r in range(h):
            if direction == 3:
                k = 0
                for c in range(w):
                    if grid[r, c] != bg:
                        out[r, k] = grid[r, c]
                        k += 1
            else:
                k = w - 1
                for c in range(w - 1, -1, -1):
                    if grid[r, c] != bg:
                        out[r, k] = grid[r, c]
                        k -= 1
    return out
