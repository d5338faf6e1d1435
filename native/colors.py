"""Colour histograms and the statistics read off them, for whole grids and masked patches.

Counts cover every uint8 value (256 bins), so the answers agree with `np.bincount` for any
grid; ties always go to the smaller colour.
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def histogram(grid: np.ndarray) -> np.ndarray:
    """Cells per value 0..255."""
    counts = np.zeros(256, dtype=np.int64)
    h, w = grid.shape
    for r in range(h):
        for c in range(w):
            counts[grid[r, c]] += 1
    return counts


@njit(cache=True)
def _argmax(counts: np.ndarray) -> int:
    best = 0
    for color in range(counts.shape[0]):
        if counts[color] > counts[best]:
            best = color
    return best


@njit(cache=True)
def most_common(grid: np.ndarray) -> int:
    """The most frequent colour (ties: smaller colour)."""
    return _argmax(histogram(grid))


@njit(cache=True)
def least_common(grid: np.ndarray) -> int:
    """The least frequent colour present (ties: smaller colour)."""
    counts = histogram(grid)
    best = -1
    for color in range(256):
        if counts[color] > 0 and (best < 0 or counts[color] < counts[best]):
            best = color
    return best


@njit(cache=True)
def most_common_except(grid: np.ndarray, bg: int) -> int:
    """The most frequent colour other than bg (ties: smaller colour); -1 if there is none."""
    counts = histogram(grid)
    counts[bg] = 0
    best = _argmax(counts)
    return best if counts[best] > 0 else -1


@njit(cache=True)
def background(grid: np.ndarray) -> int:
    """The most frequent colour; ties go to the colour with more cells on the border rows and
    columns (counted once per border line, so corners twice), then to the smaller colour."""
    counts = histogram(grid)
    h, w = grid.shape
    border = np.zeros(256, dtype=np.int64)
    for c in range(w):
        border[grid[0, c]] += 1
        border[grid[h - 1, c]] += 1
    for r in range(h):
        border[grid[r, 0]] += 1
        border[grid[r, w - 1]] += 1
    top = counts.max()
    best = -1
    for color in range(256):
        if counts[color] == top and (best < 0 or border[color] > border[best]):
            best = color
    return best


@njit(cache=True)
def n_present(grid: np.ndarray) -> int:
    """The number of distinct colours."""
    counts = histogram(grid)
    n = 0
    for color in range(256):
        n += counts[color] > 0
    return n


@njit(cache=True)
def present(grid: np.ndarray) -> np.ndarray:
    """The distinct colours, ascending."""
    counts = histogram(grid)
    return np.flatnonzero(counts)


@njit(cache=True)
def count_color(grid: np.ndarray, color: int) -> int:
    """The number of cells of one colour."""
    n = 0
    h, w = grid.shape
    for r in range(h):
        for c in range(w):
            n += grid[r, c] == color
    return n


@njit(cache=True)
def masked_histogram(colors: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Cells per value 0..255 among the masked cells."""
    counts = np.zeros(256, dtype=np.int64)
    h, w = colors.shape
    for r in range(h):
        for c in range(w):
            if mask[r, c]:
                counts[colors[r, c]] += 1
    return counts


@njit(cache=True)
def masked_majority(colors: np.ndarray, mask: np.ndarray) -> int:
    """The most frequent colour among the masked cells (ties: smaller colour)."""
    return _argmax(masked_histogram(colors, mask))


@njit(cache=True)
def masked_n_present(colors: np.ndarray, mask: np.ndarray) -> int:
    """The number of distinct colours among the masked cells."""
    counts = masked_histogram(colors, mask)
    n = 0
    for color in range(256):
        n += counts[color] > 0
    return n
