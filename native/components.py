"""Connected components: label images, per-component statistics and packed object buffers.

`label(grid, connect, mode, value, same_color)` labels the active cells (mode ALL: every
cell; NOT_VALUE: cells != value; IS_VALUE: cells == value) 4- or 8-connected; with
`same_color` two neighbours join only when their colours are equal. Labels are 0..n-1 in
reading order of each component's first cell, -1 where inactive.

`boxes` and `histograms` give per-label bounding boxes, sizes and colour counts;
`components(...)` labels and packs every component, sorted by (top, left, majority colour,
first cell), into flat buffers: `meta[k]` = (top, left, height, width, offset) and component k's bounding-box mask and
colours (0 off the mask) are `masks[offset:offset + height * width]` in row-major order.
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
          ) -> tuple[np.ndarray, int]:
    """(labels, n): component labels in reading order of first cells, -1 where inactive."""
    h, w = grid.shape
    labels = np.full((h, w), -1, dtype=np.int32)
    stack = np.empty(h * w, dtype=np.int32)
    dr, dc = _DR[:connect], _DC[:connect]
    n = 0
    for r0 in range(h):
        for c0 in range(w):
            if labels[r0, c0] >= 0 or not _active(grid[r0, c0], mode, value):
                continue
            labels[r0, c0] = n
            stack[0] = r0 * w + c0
            top = 1
            while top > 0:
                top -= 1
                r, c = divmod(stack[top], w)
                color = grid[r, c]
                for k in range(connect):
                    y, x = r + dr[k], c + dc[k]
                    if 0 <= y < h and 0 <= x < w and labels[y, x] < 0 \
                            and _active(grid[y, x], mode, value) \
                            and (not same_color or grid[y, x] == color):
                        labels[y, x] = n
                        stack[top] = y * w + x
                        top += 1
            n += 1
    return labels, n


@njit(cache=True)
def boxes(labels: np.ndarray, n: int) -> np.ndarray:
    """Per label k < n: (top, left, bottom, right, size, first cell in reading order)."""
    h, w = labels.shape
    out = np.empty((n, 6), dtype=np.int64)
    for k in range(n):
        out[k, 0], out[k, 1], out[k, 2], out[k, 3], out[k, 4], out[k, 5] = h, w, -1, -1, 0, -1
    for r in range(h):
        for c in range(w):
            k = labels[r, c]
            if k < 0:
                continue
            if out[k, 5] < 0:
                out[k, 5] = r * w + c
            out[k, 0] = min(out[k, 0], r)
            out[k, 1] = min(out[k, 1], c)
            out[k, 2] = max(out[k, 2], r)
            out[k, 3] = max(out[k, 3], c)
            out[k, 4] += 1
    return out


@njit(cache=True)
def histograms(grid: np.ndarray, labels: np.ndarray, n: int) -> np.ndarray:
    """hist[k, colour]: cells of each colour in component k (colours 0..grid.max())."""
    h, w = grid.shape
    hist = np.zeros((n, int(grid.max()) + 1), dtype=np.int64)
    for r in range(h):
        for c in range(w):
            if labels[r, c] >= 0:
                hist[labels[r, c], grid[r, c]] += 1
    return hist


@njit(cache=True)
def _majority(counts: np.ndarray) -> int:
    best = 0
    for color in range(counts.shape[0]):
        if counts[color] > counts[best]:
            best = color
    return best


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
    labels, n = label(grid, connect, mode, value, same_color)
    box = boxes(labels, n)
    hist = histograms(grid, labels, n)
    h, w = grid.shape
    keys = np.empty(n, dtype=np.int64)
    for k in range(n):
        keys[k] = ((box[k, 0] * w + box[k, 1]) * 256 + _majority(hist[k])) * (h * w) + box[k, 5]
    return _pack(grid, labels, box, np.argsort(keys))


@njit(cache=True)
def color_groups(grid: np.ndarray, bg: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One packed component per colour present other than `bg`, sorted by (top, left, colour)."""
    h, w = grid.shape
    labels = np.empty((h, w), dtype=np.int32)
    for r in range(h):
        for c in range(w):
            labels[r, c] = -1 if grid[r, c] == bg else grid[r, c]
    box = boxes(labels, 256)
    present = 0
    for color in range(256):
        present += box[color, 4] > 0
    keys = np.empty(present, dtype=np.int64)
    colors = np.empty(present, dtype=np.int64)
    i = 0
    for color in range(256):
        if box[color, 4] > 0:
            keys[i] = (box[color, 0] * w + box[color, 1]) * 256 + color
            colors[i] = color
            i += 1
    return _pack(grid, labels, box, colors[np.argsort(keys)])


@njit(cache=True)
def denoise(grid: np.ndarray, min_size: int, bg: int) -> np.ndarray:
    """A copy of the grid with 8-connected single-colour non-bg components < min_size erased."""
    labels, n = label(grid, 8, NOT_VALUE, bg, True)
    sizes = np.zeros(n, dtype=np.int64)
    h, w = grid.shape
    for r in range(h):
        for c in range(w):
            if labels[r, c] >= 0:
                sizes[labels[r, c]] += 1
    out = grid.copy()
    for r in range(h):
        for c in range(w):
            if labels[r, c] >= 0 and sizes[labels[r, c]] < min_size:
                out[r, c] = bg
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
