"""Drawing around objects: outlines, rays, sliding until contact, and line joins.

An object is passed as its bounding-box `colors` (uint8) and `mask` (bool) arrays plus the
`top`/`left` offset of the box in grid coordinates; cells falling outside the grid are
clipped. Every kernel returns a new grid.
"""
from __future__ import annotations

import numpy as np
from numba import njit

_DR = np.array([-1, 0, 1, 0, -1, 1, 1, -1], dtype=np.int64)
_DC = np.array([0, 1, 0, -1, 1, 1, -1, -1], dtype=np.int64)
_FAR = 1 << 40


@njit(cache=True)
def _paint_into(out: np.ndarray, colors: np.ndarray, mask: np.ndarray, top: int, left: int
               ) -> None:
    """Write the object's cells into `out` (clipped)."""
    h, w = out.shape
    for i in range(mask.shape[0]):
        r = top + i
        if 0 <= r < h:
            for j in range(mask.shape[1]):
                c = left + j
                if mask[i, j] and 0 <= c < w:
                    out[r, c] = colors[i, j]


@njit(cache=True)
def _cover_into(out: np.ndarray, mask: np.ndarray, top: int, left: int, bg: int) -> None:
    """Set the object's cells of `out` to bg (clipped)."""
    h, w = out.shape
    for i in range(mask.shape[0]):
        r = top + i
        if 0 <= r < h:
            for j in range(mask.shape[1]):
                c = left + j
                if mask[i, j] and 0 <= c < w:
                    out[r, c] = bg


@njit(cache=True)
def _footprint(shape: tuple[int, int], mask: np.ndarray, top: int, left: int) -> np.ndarray:
    h, w = shape
    foot = np.zeros((h, w), dtype=np.bool_)
    for i in range(mask.shape[0]):
        for j in range(mask.shape[1]):
            r, c = top + i, left + j
            if mask[i, j] and 0 <= r < h and 0 <= c < w:
                foot[r, c] = True
    return foot


@njit(cache=True)
def outline(grid: np.ndarray, mask: np.ndarray, top: int, left: int, color: int,
            connect: int, bg: int) -> np.ndarray:
    """A copy of the grid with the bg cells 4/8-adjacent to the object (not on it) recoloured."""
    h, w = grid.shape
    foot = _footprint((h, w), mask, top, left)
    near = np.zeros((h, w), dtype=np.bool_)
    for i in range(mask.shape[0]):
        for j in range(mask.shape[1]):
            if not mask[i, j]:
                continue
            for k in range(connect):
                r, c = top + i + _DR[k], left + j + _DC[k]
                if 0 <= r < h and 0 <= c < w:
                    near[r, c] = True
    out = grid.copy()
    for r in range(h):
        for c in range(w):
            if near[r, c] and not foot[r, c] and grid[r, c] == bg:
                out[r, c] = color
    return out


@njit(cache=True)
def _k_range(p: int, dp: int, n: int) -> tuple[int, int]:
    """The k with 0 <= p + k*dp < n (dp in -1, 0, 1), as an inclusive (lo, hi)."""
    if dp == 0:
        return (-_FAR, _FAR) if 0 <= p < n else (1, 0)
    return (-p, n - 1 - p) if dp > 0 else (p - n + 1, p)


@njit(cache=True)
def object_rays(grid: np.ndarray, colors: np.ndarray, mask: np.ndarray, top: int, left: int,
                direction: int, bg: int) -> np.ndarray:
    """A copy of the grid with a ray from each object cell (row-major order), in its colour,
    over the cells after it up to the first non-bg or object cell."""
    h, w = grid.shape
    dr, dc = _DR[direction], _DC[direction]
    blocked = _footprint((h, w), mask, top, left)
    for r in range(h):
        for c in range(w):
            blocked[r, c] = blocked[r, c] or grid[r, c] != bg
    out = grid.copy()
    for i in range(mask.shape[0]):
        for j in range(mask.shape[1]):
            if not mask[i, j]:
                continue
            r0, c0 = top + i, left + j
            lo_r, hi_r = _k_range(r0, dr, h)
            lo_c, hi_c = _k_range(c0, dc, w)
            for k in range(max(1, lo_r, lo_c), min(hi_r, hi_c) + 1):
                r, c = r0 + k * dr, c0 + k * dc
                if blocked[r, c]:
                    break
                out[r, c] = colors[i, j]
    return out


@njit(cache=True)
def move_until_contact(grid: np.ndarray, colors: np.ndarray, mask: np.ndarray, top: int,
                       left: int, direction: int, bg: int) -> tuple[bool, np.ndarray]:
    """(inside, grid): the object erased and redrawn moved in a direction (0-3) as far as it
    stays in the grid over bg cells; inside is False when the object is not inside the grid."""
    h, w = grid.shape
    dr, dc = _DR[direction], _DC[direction]
    out = grid.copy()
    for i in range(mask.shape[0]):
        for j in range(mask.shape[1]):
            if mask[i, j] and not (0 <= top + i < h and 0 <= left + j < w):
                return False, out
    _cover_into(out, mask, top, left, bg)
    k = 0
    while True:
        free = True
        for i in range(mask.shape[0]):
            for j in range(mask.shape[1]):
                if not mask[i, j]:
                    continue
                r, c = top + i + (k + 1) * dr, left + j + (k + 1) * dc
                if not (0 <= r < h and 0 <= c < w) or out[r, c] != bg:
                    free = False
                    break
            if not free:
                break
        if not free:
            break
        k += 1
    _paint_into(out, colors, mask, top + k * dr, left + k * dc)
    return True, out


@njit(cache=True)
def connect_pairs(grid: np.ndarray, color: int, line_color: int, bg: int) -> np.ndarray:
    """A copy of the grid with the bg cells between the first and last `color` cells of every
    row and column holding two or more of them recoloured to line_color."""
    h, w = grid.shape
    out = grid.copy()
    for r in range(h):
        first, last, n = -1, -1, 0
        for c in range(w):
            if grid[r, c] == color:
                first = c if first < 0 else first
                last = c
                n += 1
        if n >= 2:
            for c in range(first, last + 1):
                if grid[r, c] == bg:
                    out[r, c] = line_color
    for c in range(w):
        first, last, n = -1, -1, 0
        for r in range(h):
            if grid[r, c] == color:
                first = r if first < 0 else first
                last = r
                n += 1
        if n >= 2:
            for r in range(first, last + 1):
                if grid[r, c] == bg:
                    out[r, c] = line_color
    return out
