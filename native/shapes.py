"""Shape analysis of grids: bounding boxes, mirror symmetry, periods and tiling repair."""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def bbox_not(grid: np.ndarray, value: int) -> tuple[int, int, int, int]:
    """(top, left, bottom + 1, right + 1) of the cells != value; (-1, -1, -1, -1) if none."""
    h, w = grid.shape
    r0, c0, r1, c1 = h, w, -1, -1
    for r in range(h):
        for c in range(w):
            if grid[r, c] != value:
                r0, r1 = min(r0, r), max(r1, r)
                c0, c1 = min(c0, c), max(c1, c)
    if r1 < 0:
        return -1, -1, -1, -1
    return r0, c0, r1 + 1, c1 + 1


@njit(cache=True)
def is_symmetric_h(grid: np.ndarray) -> bool:
    """True when the grid equals its left-right mirror."""
    h, w = grid.shape
    for r in range(h):
        for c in range(w // 2):
            if grid[r, c] != grid[r, w - 1 - c]:
                return False
    return True


@njit(cache=True)
def is_symmetric_v(grid: np.ndarray) -> bool:
    """True when the grid equals its top-bottom mirror."""
    h, w = grid.shape
    for r in range(h // 2):
        for c in range(w):
            if grid[r, c] != grid[h - 1 - r, c]:
                return False
    return True


@njit(cache=True)
def period_rows(grid: np.ndarray) -> int:
    """The smallest p with row i == row i - p for all i >= p (the height if none)."""
    h, w = grid.shape
    for p in range(1, h):
        ok = True
        for r in range(p, h):
            for c in range(w):
                if grid[r, c] != grid[r - p, c]:
                    ok = False
                    break
            if not ok:
                break
        if ok:
            return p
    return h


@njit(cache=True)
def period_cols(grid: np.ndarray) -> int:
    """The smallest p with column j == column j - p for all j >= p (the width if none)."""
    h, w = grid.shape
    for p in range(1, w):
        ok = True
        for c in range(p, w):
            for r in range(h):
                if grid[r, c] != grid[r, c - p]:
                    ok = False
                    break
            if not ok:
                break
        if ok:
            return p
    return w


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
    for area in range(1, h * w):
        for pr in range(1, h + 1):
            if area % pr or area // pr > w:
                continue
            pc = area // pr
            if _tile_fits(grid, noise, pr, pc, tile):
                out = grid.copy()
                for r in range(h):
                    for c in range(w):
                        k = (r % pr) * pc + c % pc
                        if grid[r, c] == noise and tile[k] >= 0:
                            out[r, c] = tile[k]
                return True, out
    return False, grid.copy()
