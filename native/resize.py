"""Resampling kernels: a grid repeated and cropped to a size, and a grid scaled by integer
factors per axis (each source row or column repeated k times, or every k-th one kept).

Grids are 2-D uint8 arrays; the callers in `dsl.kernels` check sizes and factors (raising
the reference's errors) first. Each kernel returns a new writable array the caller freezes.
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def tile_to(grid: np.ndarray, h: int, w: int) -> np.ndarray:
    """The grid repeated in both directions and cropped to h x w (h, w >= 1)."""
    gh, gw = grid.shape
    out = np.empty((h, w), dtype=np.uint8)
    for r in range(h):
        src = grid[r % gh]
        c = 0
        while c < w:
            for j in range(min(gw, w - c)):
                out[r, c + j] = src[j]
            c += gw
    return out


@njit(cache=True)
def scale(grid: np.ndarray, h: int, w: int, rows_up: bool, kr: int, cols_up: bool,
          kc: int) -> np.ndarray:
    """The h x w grid whose cell (r, c) is the source cell (r // kr or r * kr, c // kc or
    c * kc): up (`rows_up`, `cols_up`) repeats each source line k times, down keeps every
    k-th one (k >= 1)."""
    out = np.empty((h, w), dtype=np.uint8)
    for r in range(h):
        src = grid[r // kr if rows_up else r * kr]
        for c in range(w):
            out[r, c] = src[c // kc if cols_up else c * kc]
    return out
