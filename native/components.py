"""Connected components: label images, per-component statistics and packed object buffers.

`label(grid, connect, mode, value, same_color)` labels the active cells (mode ALL: every
cell; NOT_VALUE: cells != value; IS_VALUE: cells == value) 4- or 8-connected; with
`same_color` two neighbours join only when their colours are equal. Labels are 0..n-1 in
reading order of each component's first cell, -1 where inactive.

`components(...)` labels and packs every component, sorted by (top, left, majority colour,
first cell), into flat buffers: `meta[k]` = (top, left, height, width, offset) and component
k's bounding-box mask and colours (0 off the mask) are `masks[offset:offset + height * width]`
in row-major order.
"""
from __future__ import annotations

import numpy as np
from numba import njit

ALL = 0
NOT_VALUE = 1
IS_VALUE = 2

_DR = np.array([0, 1, 0, -1, 1, 1, -1, -1], dtype=np.int64)
_DC = np.array([1, 0, -1, 0, 1, -1, 1, -1], dtype=np.int64)


@njit(cache=True)
def _active(v: int, mode: int, value: int) -> bool:
    return mode == ALL or (v != value if mode == NOT_VALUE else v == value)


@njit(cache=True)
def label(grid: np.ndarray, connect: int, mode: int, value: int, same_color: bool
          ) -> tuple[np.ndarray, np.ndarray, int]:
    """(labels, stats, n): component labels in reading order of first cells (-1 where
    inactive) and per component (top, left, bottom, right, size, first cell, majority colour)."""
    h, w = grid.shape
    labels = np.full((h, w), -1, dtype=np.int32)
    stats = np.empty((h * w, 7), dtype=np.int64)
    hist = np.zeros(int(grid.max()) + 1, dtype=np.int64)
    stack_r = np.empty(h * w, dtype=np.int32)
    stack_c = np.empty(h * w, dtype=np.int32)
    n = 0
    for r0 in range(h):
        for c0 in range(w):
            if labels[r0, c0] >= 0 or not _active(grid[r0, c0], mode, value):
                continue
            labels[r0, c0] = n
            stack_r[0], stack_c[0] = r0, c0
            top, size, bottom, left, right = 1, 0, r0, c0, c0
            hist[:] = 0
            while top > 0:
                top -= 1
                r, c = stack_r[top], stack_c[top]
                color = grid[r, c]
                size += 1
                hist[color] += 1
                bottom, left, right = max(bottom, r), min(left, c), max(right, c)
                for k in range(connect):
                    y, x = r + _DR[k], c + _DC[k]
                    if 0 <= y < h and 0 <= x < w and labels[y, x] < 0 \
                            and _active(grid[y, x], mode, value) \
                            and (not same_color or grid[y, x] == color):
                        labels[y, x] = n
                        stack_r[top], stack_c[top] = y, x
                        top += 1
            majority = 0
            for color in range(hist.shape[0]):
                if hist[color] > hist[majority]:
                    majority = color
            stats[n, 0], stats[n, 1], stats[n, 2], stats[n, 3] = r0, left, bottom, right
            stats[n, 4], stats[n, 5], stats[n, 6] = size, r0 * w + c0, majority
            n += 1
    return labels, stats[:n], n


@njit(cache=True)
def _pack(grid: np.ndarray, labels: np.ndarray, box: np.ndarray, order: np.ndarray
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(meta, masks, colors): the components in `order` packed in flat buffers; meta rows are
    (top, left, height, width, offset) of each component's bounding box."""
    m = order.shape[0]
    meta = np.empty((m, 5), dtype=np.int64)
    total = 0
    for i in range(m):
        k = order[i]
        meta[i, 0], meta[i, 1] = box[k, 0], box[k, 1]
        meta[i, 2], meta[i, 3] = box[k, 2] - box[k, 0] + 1, box[k, 3] - box[k, 1] + 1
        meta[i, 4] = total
        total += meta[i, 2] * meta[i, 3]
    masks = np.zeros(total, dtype=np.bool_)
    colors = np.zeros(total, dtype=np.uint8)
    for i in range(m):
        k = order[i]
        pos = meta[i, 4]
        for r in range(meta[i, 0], meta[i, 0] + meta[i, 2]):
            for c in range(meta[i, 1], meta[i, 1] + meta[i, 3]):
                if labels[r, c] == k:
                    masks[pos] = True
                    colors[pos] = grid[r, c]
                pos += 1
    return meta, masks, colors


@njit(cache=True)
def components(grid: np.ndarray, connect: int, mode: int, value: int, same_color: bool
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Label, sort by (top, left, majority colour, first cell) and pack every component."""
    labels, stats, n = label(grid, connect, mode, value, same_color)
    h, w = grid.shape
    keys = np.empty(n, dtype=np.int64)
    for k in range(n):
        keys[k] = ((stats[k, 0] * w + stats[k, 1]) * 256 + stats[k, 6]) * (h * w) + stats[k, 5]
    return _pack(grid, labels, stats, np.argsort(keys))


@njit(cache=True)
def denoise(grid: np.ndarray, min_size: int, bg: int) -> np.ndarray:
    """A copy of the grid with 8-connected single-colour non-bg components < min_size erased."""
    labels, stats, _ = label(grid, 8, NOT_VALUE, bg, True)
    h, w = grid.shape
    out = grid.copy()
    for r in range(h):
        for c in range(w):
            if labels[r, c] >= 0 and stats[labels[r, c], 4] < min_size:
                out[r, c] = bg
    return out


@njit(cache=True)
def _in_part(labels: np.ndarray, stats: np.ndarray, part: int, r: int, c: int) -> bool:
    """Whether cell (r, c) of component labels[r, c] lies in `part` (0 interior, 1 border,
    2..5 top / bottom / left / right half; not 6, the hull) of its component."""
    p = labels[r, c]
    if part <= 1:
        h, w = labels.shape
        inner = True
        for k in range(8):
            y, x = r + _DR[k], c + _DC[k]
            if y < 0 or y >= h or x < 0 or x >= w or labels[y, x] != p:
                inner = False
                break
        return inner == (part == 0)
    top, left, bottom, right = stats[p, 0], stats[p, 1], stats[p, 2], stats[p, 3]
    if part == 2:
        return r < top + (bottom - top + 1) // 2
    if part == 3:
        return r > bottom - (bottom - top + 1) // 2
    if part == 4:
        return c < left + (right - left + 1) // 2
    return c > right - (right - left + 1) // 2


@njit(cache=True)
def paint_object_parts(grid: np.ndarray, part: int, color: int, bg: int) -> np.ndarray:
    """A copy of the grid with one part (0 interior, 1 border, 2..5 top / bottom / left / right
    half, 6 hull: the bg cells of the bounding box) of every 8-connected single-colour non-bg
    component painted `color` (part in 0..6 and colour in 0..9, checked by the caller)."""
    labels, stats, n = label(grid, 8, NOT_VALUE, bg, True)
    h, w = grid.shape
    out = grid.copy()
    if part == 6:
        for p in range(n):
            for r in range(stats[p, 0], stats[p, 2] + 1):
                for c in range(stats[p, 1], stats[p, 3] + 1):
                    if grid[r, c] == bg:
                        out[r, c] = color
        return out
    for r in range(h):
        for c in range(w):
            if labels[r, c] >= 0 and _in_part(labels, stats, part, r, c):
                out[r, c] = color
    return out


@njit(cache=True)
def reach_from_border(free: np.ndarray) -> np.ndarray:
    """The free cells 4-connected through free cells to a free cell on the border."""
    h, w = free.shape
    seen = np.zeros((h, w), dtype=np.bool_)
    stack = np.empty(h * w, dtype=np.int64)
    top = 0
    for r in range(h):
        for c in range(w):
            if (r == 0 or c == 0 or r == h - 1 or c == w - 1) and free[r, c]:
                seen[r, c] = True
                stack[top] = r * w + c
                top += 1
    while top > 0:
        top -= 1
        r, c = divmod(stack[top], w)
        for k in range(4):
            y, x = r + _DR[k], c + _DC[k]
            if 0 <= y < h and 0 <= x < w and free[y, x] and not seen[y, x]:
                seen[y, x] = True
                stack[top] = y * w + x
                top += 1
    return seen


@njit(cache=True)
def has_hole(mask: np.ndarray) -> bool:
    """True when some cell off the mask cannot 4-reach the bounding box's outside."""
    h, w = mask.shape
    free = np.empty((h, w), dtype=np.bool_)
    for r in range(h):
        for c in range(w):
            free[r, c] = not mask[r, c]
    outside = reach_from_border(free)
    for r in range(h):
        for c in range(w):
            if free[r, c] and not outside[r, c]:
                return True
    return False
