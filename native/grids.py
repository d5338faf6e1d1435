"""Whole-grid rearrangements: gravity, and the separator lines that split a grid."""
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


@njit(cache=True)
def full_lines(grid: np.ndarray, color: int) -> tuple[np.ndarray, np.ndarray]:
    """(rows, cols): which rows and which columns are entirely `color`."""
    h, w = grid.shape
    rows = np.ones(h, dtype=np.bool_)
    cols = np.ones(w, dtype=np.bool_)
    for r in range(h):
        for c in range(w):
            if grid[r, c] != color:
                rows[r] = False
                cols[c] = False
    return rows, cols


@njit(cache=True)
def _runs(lines: np.ndarray) -> np.ndarray:
    """[start, stop) rows of the maximal runs of non-separator lines."""
    n = lines.shape[0]
    out = np.empty((n, 2), dtype=np.int64)
    k = 0
    start = -1
    for i in range(n + 1):
        inside = i < n and not lines[i]
        if inside and start < 0:
            start = i
        elif not inside and start >= 0:
            out[k, 0], out[k, 1] = start, i
            k += 1
            start = -1
    return out[:k]


@njit(cache=True)
def separator_runs(grid: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """(colour, row runs, column runs) of the separator colour, or (-1, ...) if none.

    The separator colour fills at least one complete row or column; preferred, in order: one
    found only on its complete lines, the most lines away from the edge, the most lines, the
    fewest cells, the highest colour. Runs are the [start, stop) stretches between lines."""
    h, w = grid.shape
    counts = np.zeros(256, dtype=np.int64)
    for r in range(h):
        for c in range(w):
            counts[grid[r, c]] += 1
    best = -1
    best_key = (0, 0, 0, 0)
    for color in range(256):
        if counts[color] == 0:
            continue
        rows, cols = full_lines(grid, color)
        lines = rows.sum() + cols.sum()
        if lines == 0:
            continue
        on_lines = 0
        for r in range(h):
            for c in range(w):
                on_lines += grid[r, c] == color and (rows[r] or cols[c])
        interior = rows[1:h - 1].sum() + cols[1:w - 1].sum()
        pure = 1 if on_lines == counts[color] else 0
        key = (pure, interior, lines, -counts[color])
        if best < 0 or key >= best_key:
            best, best_key = color, key
    if best < 0:
        empty = np.empty((0, 2), dtype=np.int64)
        return -1, empty, empty
    rows, cols = full_lines(grid, best)
    return best, _runs(rows), _runs(cols)
