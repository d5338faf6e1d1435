"""Largest solid rectangle of one colour (the scan of `largest_rectangle`, compiled)."""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def largest_rectangle(grid: np.ndarray, color: int, min_side: int
                      ) -> tuple[bool, int, int, int, int]:
    """(found, top, left, height, width) of the largest-area rectangle of `color` cells with
    both sides >= min_side. For each top row and each bottom row below it, every maximal run
    of columns that are `color` in all those rows is a candidate; ties keep the topmost, then
    leftmost, then the first found (the shortest)."""
    h, w = grid.shape
    run = np.empty(w, dtype=np.bool_)
    best_area, best = -1, (0, 0, 0, 0)
    for r0 in range(h):
        run[:] = True
        for r1 in range(r0, h):
            alive = False
            for c in range(w):
                run[c] = run[c] and grid[r1, c] == color
                alive = alive or run[c]
            if not alive:
                break
            rh = r1 - r0 + 1
            if rh < min_side:
                continue
            c = 0
            while c < w:
                if not run[c]:
                    c += 1
                    continue
                c1 = c
                while c1 < w and run[c1]:
                    c1 += 1
                area = rh * (c1 - c)
                if c1 - c >= min_side and (area > best_area or (
                        area == best_area and (r0 < best[0] or (r0 == best[0] and c < best[1])))):
                    best_area, best = area, (r0, c, rh, c1 - c)
                c = c1
    return best_area >= 0, best[0], best[1], best[2], best[3]
