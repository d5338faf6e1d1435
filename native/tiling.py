"""Tiling repair: fill unknown cells of a grid from its smallest consistent 2-D period."""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _tile_fits(grid: np.ndarray, noise: int, pr: int, pc: int, tile: np.ndarray) -> bool:
    """Fill tile[(r % pr) * pc + c % pc] from the known cells; False on a conflict."""
    h, w = grid.shape
    tile[:pr * pc] = -1
    for r in range(h):
        for c in range(w):
            v = grid[r, c]
            if v == noise:
                continue
            k = (r % pr) * pc + c % pc
            if tile[k] < 0:
                tile[k] = v
            elif tile[k] != v:
                return False
    return True


@njit(cache=True)
def repair_tiling(grid: np.ndarray, noise: int) -> tuple[bool, np.ndarray]:
    """(found, grid): noise cells filled from the smallest (area, rows) tile shape, other than
    the whole grid, whose every class of known cells has one colour."""
    h, w = grid.shape
    tile = np.empty(h * w, dtype=np.int64)
    # (pr, pc) can fit only if (pr, w) and (h, pc) do: their classes are unions of its classes
    row_ok = np.zeros(h + 1, dtype=np.bool_)
    col_ok = np.zeros(w + 1, dtype=np.bool_)
    for pr in range(1, h + 1):
        row_ok[pr] = _tile_fits(grid, noise, pr, w, tile)
    for pc in range(1, w + 1):
        col_ok[pc] = _tile_fits(grid, noise, h, pc, tile)
    for area in range(1, h * w):
        for pr in range(1, h + 1):
            if area % pr or area // pr > w:
                continue
            pc = area // pr
            if row_ok[pr] and col_ok[pc] and _tile_fits(grid, noise, pr, pc, tile):
                out = grid.copy()
                for r in range(h):
                    for c in range(w):
                        k = (r % pr) * pc + c % pc
                        if grid[r, c] == noise and tile[k] >= 0:
                            out[r, c] = tile[k]
                return True, out
    return False, grid.copy()
