"""Per-cell recolouring kernels the enumerator calls on every grid it holds: keeping, erasing
or recolouring one colour, painting the bg cells of the rows (columns) that hold a colour or
of the all-bg lines, a rectangle's clipped outline, and the cyclic roll.

Grids are 2-D uint8 arrays; colours are 0..255 (the callers in `dsl.kernels` hand any other
to the reference). Each kernel returns a new writable array the caller freezes.
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def keep_color(grid: np.ndarray, color: int, bg: int) -> np.ndarray:
    """The cells of `color` kept, every other cell `bg`."""
    h, w = grid.shape
    out = np.empty((h, w), dtype=np.uint8)
    for r in range(h):
        for c in range(w):
            out[r, c] = grid[r, c] if grid[r, c] == color else bg
    return out


@njit(cache=True)
def replace_color(grid: np.ndarray, source: int, target: int) -> np.ndarray:
    """The cells of `source` recoloured to `target`."""
    h, w = grid.shape
    out = np.empty((h, w), dtype=np.uint8)
    for r in range(h):
        for c in range(w):
            out[r, c] = target if grid[r, c] == source else grid[r, c]
    return out


@njit(cache=True)
def recolor_all(grid: np.ndarray, color: int, bg: int) -> np.ndarray:
    """Every non-bg cell recoloured to `color`."""
    h, w = grid.shape
    out = np.empty((h, w), dtype=np.uint8)
    for r in range(h):
        for c in range(w):
            out[r, c] = grid[r, c] if grid[r, c] == bg else color
    return out


@njit(cache=True)
def fill_lines_with(grid: np.ndarray, color: int, bg: int, by_rows: bool) -> np.ndarray:
    """The bg cells of every row (`by_rows`) or column holding `color` painted `color`."""
    h, w = grid.shape
    out = grid.copy()
    if by_rows:
        for r in range(h):
            hit = False
            for c in range(w):
                if grid[r, c] == color:
                    hit = True
                    break
            if hit:
                for c in range(w):
                    if grid[r, c] == bg:
                        out[r, c] = color
    else:
        for c in range(w):
            hit = False
            for r in range(h):
                if grid[r, c] == color:
                    hit = True
                    break
            if hit:
                for r in range(h):
                    if grid[r, c] == bg:
                        out[r, c] = color
    return out


@njit(cache=True)
def fill_clear_lines(grid: np.ndarray, margin: int, color: int, bg: int) -> np.ndarray:
    """The bg cells of every row and column that is all bg but for its first and last
    `margin` cells painted `color` (a grid too short for the margins has no such line)."""
    h, w = grid.shape
    rows = np.zeros(h, dtype=np.bool_)
    cols = np.zeros(w, dtype=np.bool_)
    if w > 2 * margin:
        for r in range(h):
            clear = True
            for c in range(margin, w - margin):
                if grid[r, c] != bg:
                    clear = False
                    break
            rows[r] = clear
    if h > 2 * margin:
        for c in range(w):
            clear = True
            for r in range(margin, h - margin):
                if grid[r, c] != bg:
                    clear = False
                    break
            cols[c] = clear
    out = grid.copy()
    for r in range(h):
        for c in range(w):
            if grid[r, c] == bg and (rows[r] or cols[c]):
                out[r, c] = color
    return out


@njit(cache=True)
def ring(grid: np.ndarray, top: int, left: int, bottom: int, right: int,
         color: int) -> np.ndarray:
    """The outline of the rectangle with corners (top, left) and (bottom, right) painted,
    clipped to the grid."""
    h, w = grid.shape
    out = grid.copy()
    r0, r1 = max(top, 0), min(bottom, h - 1)
    c0, c1 = max(left, 0), min(right, w - 1)
    for r in range(r0, r1 + 1):
        if r == top or r == bottom:
            for c in range(c0, c1 + 1):
                out[r, c] = color
        else:
            if 0 <= left < w and left <= right:
                out[r, left] = color
            if 0 <= right < w and right >= left:
                out[r, right] = color
    return out


@njit(cache=True)
def roll(grid: np.ndarray, dr: int, dc: int) -> np.ndarray:
    """The content shifted cyclically dr rows down and dc columns right, 0 <= dr < h and
    0 <= dc < w."""
    h, w = grid.shape
    out = np.empty((h, w), dtype=np.uint8)
    for r in range(h):
        rr = r + dr - h if r + dr >= h else r + dr
        for c in range(w):
            cc = c + dc - w if c + dc >= w else c + dc
            out[rr, cc] = grid[r, c]
    return out
