"""Pattern continuation: `continue_pattern`'s band and line continuation in one compiled pass.

The reference (`dsl.primitives.patterns.continue_pattern`) finds each period with a numpy
comparison per candidate shift, so one call on a 30x30 grid makes hundreds of small numpy
calls; here the shifts are compared cell by cell and stop at the first difference. Periods
are the smallest p whose repeat at least two rows (cells) witness, else the whole band (span).
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _band_period(grid: np.ndarray, r0: int, r1: int) -> int:
    """The period of rows r0..r1-1: the smallest p with row i == row i - p for every i in
    the band past its first p rows, when p + 2 <= the band's height; else its height."""
    n = r1 - r0
    w = grid.shape[1]
    for p in range(1, n - 1):
        same = True
        for i in range(r0 + p, r1):
            for c in range(w):
                if grid[i, c] != grid[i - p, c]:
                    same = False
                    break
            if not same:
                break
        if same:
            return p
    return n


@njit(cache=True)
def _span_period(grid: np.ndarray, r: int, c0: int, c1: int) -> int:
    """`_band_period` of the cells c0..c1 of row r."""
    n = c1 - c0 + 1
    for p in range(1, n - 1):
        same = True
        for c in range(c0 + p, c1 + 1):
            if grid[r, c] != grid[r, c - p]:
                same = False
                break
        if same:
            return p
    return n


@njit(cache=True)
def continue_rows(grid: np.ndarray, bg: int) -> tuple[bool, np.ndarray]:
    """(found, grid): the band of rows holding non-bg cells repeated up and down by its
    period; found is False when every cell is bg (the grid comes back unchanged)."""
    h, w = grid.shape
    r0, r1 = -1, -1
    for r in range(h):
        for c in range(w):
            if grid[r, c] != bg:
                if r0 < 0:
                    r0 = r
                r1 = r + 1
                break
    out = np.empty((h, w), dtype=np.uint8)
    if r0 < 0:
        out[:, :] = grid
        return False, out
    period = _band_period(grid, r0, r1)
    for r in range(h):
        source = r0 + (r - r0) % period
        for c in range(w):
            out[r, c] = grid[source, c]
    return True, out


@njit(cache=True)
def continue_lines(grid: np.ndarray, bg: int) -> np.ndarray:
    """Each row with two or more non-bg cells: its span (first to last non-bg cell) repeated
    along the row by its period; other rows unchanged."""
    h, w = grid.shape
    out = np.empty((h, w), dtype=np.uint8)
    out[:, :] = grid
    for r in range(h):
        c0, c1, count = -1, -1, 0
        for c in range(w):
            if grid[r, c] != bg:
                if c0 < 0:
                    c0 = c
                c1 = c
                count += 1
        if count < 2:
            continue
        period = _span_period(grid, r, c0, c1)
        for c in range(w):
            out[r, c] = grid[r, c0 + (c - c0) % period]
    return out


@njit(cache=True)
def continue_both(grid: np.ndarray, bg: int) -> np.ndarray:
    """Rows' spans continued, and where that leaves bg, columns' spans continued."""
    rows = continue_lines(grid, bg)
    cols = continue_lines(np.ascontiguousarray(grid.T), bg)
    h, w = grid.shape
    out = np.empty((h, w), dtype=np.uint8)
    for r in range(h):
        for c in range(w):
            out[r, c] = cols[c, r] if rows[r, c] == bg else rows[r, c]
    return out
