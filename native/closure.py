"""A native unary closure over Grid -> Grid transforms (icecuber style).

Values are stored in one flat `uint8` pool: a value holds one grid per example (the task's
train and test inputs), each at (offset, height, width). A transform is a row
`(kind, a, b, c)` of an `int32` table: a kernel kind (the constants below) and its baked
integer parameters. `expand` grows the closure breadth-first from the root value: every
value of depth < max_depth gets every transform (but the repairs, `root_only`: the root
alone gets those, uncounted elsewhere); a result is dropped when the transform
fails on some example (the DSL's EvalError), or is empty or over `max_side` per side. Values
are deduplicated by a 64-bit hash over all examples' (h, w, bytes), confirmed byte for
byte, in an open-addressing table. Each distinct value records its parent and transform, and
is checked against the train outputs: exact on every train example, or exact after one
consistent colour map. Each expanded value also keeps the bit set of its colours (computed
when it is first expanded), so a transform that provably leaves it unchanged (`replace` of
an absent colour, `gravity` with no background cell...) is counted as applied without
running: its result would be a duplicate; one whose result would be over `max_side` (`tile`
of a large value...) fails without running. On request (`shaped_last_depth`), the last
depth keeps only values shaped like the train outputs, the only ones a match or a piece can
use, and skips the applications whose result shape (`shape_bounds`) cannot be.

Kernels reproduce the DSL's reference semantics, errors included (results up to
`MAX_SIDE` = 60 per side, like the DSL's intermediates); `apply_transform` runs one on one
grid for parity tests. The kernels that segment a grid into objects (picks, in-place picks,
counts, denoise, painted object parts) share one segmentation per grid and segmentation kind
through a small cache in their scratch, so a value's many picks segment each example once.
`Closure` holds the growing arrays and runs `expand` in chunks so the caller can stop by wall
clock or by a count of transform applications.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from numba import njit

from native import symmetry, tiling

MAX_SIDE = 60            # the DSL's largest intermediate grid side
MAX_CELLS = MAX_SIDE * MAX_SIDE
# int32 scratch of a kernel: 12 * MAX_CELLS + 1 of plain scratch, then a cache of
# segmentations (`_segmented`): per slot a key (grid offset + 1, h, w, mode, bg, parts), the
# next slot to replace, then per slot its labels, queue, part blocks and colour counts
SEG_SLOTS = 32
SEG_KEY = 6
SEG_ENTRY = 10 * MAX_CELLS + 10
CACHE_KEYS = 12 * MAX_CELLS + 1
CACHE_NEXT = CACHE_KEYS + SEG_SLOTS * SEG_KEY
CACHE_START = CACHE_NEXT + 1
WORK_SIZE = CACHE_START + SEG_SLOTS * SEG_ENTRY
MATCH_CAPACITY = 512     # matches recorded per chunk (the caller drains them)

# kernel kinds (the table's first column)
ROT90, ROT180, ROT270, FLIP_H, FLIP_V, TRANSPOSE, ANTITRANSPOSE = 0, 1, 2, 3, 4, 5, 6
SHIFT, ROLL, MIRROR_H, MIRROR_V, MIRROR_4 = 7, 8, 9, 10, 11
SYMMETRIZE_H, SYMMETRIZE_V, SYMMETRIZE_DIAG = 12, 13, 14
REPLACE, SWAP_COLORS, KEEP_COLOR, REMOVE_COLOR, RECOLOR_ALL, INVERT_COLORS = 15, 16, 17, 18, 19, 20
TRIM, REMOVE_BORDER, TILE, UPSCALE, DOWNSCALE, DOWNSCALE_MODE = 21, 22, 23, 24, 25, 26
LEFT_HALF, RIGHT_HALF, TOP_HALF, BOTTOM_HALF, KRON = 27, 28, 29, 30, 31
DEDUPE_ROWS, DEDUPE_COLS, COMPRESS = 32, 33, 34
FILL_ENCLOSED, DRAW_BORDER, FILL_ROWS_WITH, FILL_COLS_WITH, GRAVITY, PAD = 35, 36, 37, 38, 39, 40
PICK_OBJECT, PICK_SUBGRID, MAJORITY_CELL = 41, 42, 43
SMEAR, OUTLINE, CONNECT_SAME, PICK_KEEP, PICK_COVER, COUNT_RENDER, COLORS_COLUMN = (
    44, 45, 46, 47, 48, 49, 50)
HOLLOW, DENOISE, REPAIR_TILING, COMPLETE_SYMMETRY, SYMMETRY_WINDOW = 51, 52, 53, 54, 55
PAINT_PARTS = 56
PARTS_KEEP, PARTS_CROP = 57, 58
N_KINDS = 59

# object picks (PICK_OBJECT / PICK_SUBGRID): segmentations (parameter a) and pickers (c)
SEG_MULTICOLOR8, SEG_OBJECTS4, SEG_COLOR_GROUPS = 0, 1, 2
N_SEGMENTATIONS = 3
SEG_OBJECTS8 = 3         # 8-connected single-colour parts (denoise's; no pick rows use it)
SEG_CUT = 4              # `cut_regions`: the regions between the cut colour's lines
# kept sets (PARTS_KEEP / PARTS_CROP): segmentation (a), bg (b) and c = feature * 4 +
# lowest * 2 + invert over the features of `dsl.primitives.objects.PART_FEATURES`
FEAT_COUNT, FEAT_AREA, FEAT_COLORS, FEAT_TOP, FEAT_LEFT, FEAT_HOLES, FEAT_INTERIOR = range(7)
N_FEATURES = 7
PICK_LARGEST, PICK_SMALLEST, PICK_MOST_COLORS, PICK_UNIQUE_COLOR, PICK_UNIQUE_SIZE = 0, 1, 2, 3, 4
N_PICKERS = 5
# the object parts PAINT_PARTS paints (parameter a; `dsl.primitives.patterns.OBJECT_PARTS`)
PART_INTERIOR, PART_BORDER, PART_TOP, PART_BOTTOM, PART_LEFT, PART_RIGHT, PART_HULL = range(7)
N_PARTS = 7
# count renders (COUNT_RENDER): what is counted (parameter a: a segmentation's parts or the
# non-bg cells) and the canvas it is drawn as (c): 1 x n, n x 1 or n x n
COUNT_CELLS = 3
RENDER_ROW, RENDER_COLUMN, RENDER_SQUARE = 0, 1, 2
# the DSL's directions 0-7 (up, right, down, left, up-right, down-right, down-left, up-left)
_STEP_ROWS = (-1, 0, 1, 0, -1, 1, 1, -1)
_STEP_COLS = (0, 1, 0, -1, 1, 1, -1, -1)

EXACT, MAPPED = 1, 2     # match kinds
DONE, CALL_LIMIT, FULL = 0, 1, 2   # why `expand` returned

# indices into the state vector
N_NODES, CURSOR, NEXT_TRANSFORM, CALLS, N_MATCHES, POOL_TOP = 0, 1, 2, 3, 4, 5
STATE_SIZE = 6

_FNV_OFFSET = np.uint64(14695981039346656037)
_FNV_PRIME = np.uint64(1099511628211)


@njit(cache=True)
def _shape_code(h: int, w: int) -> int:
    """h x w packed as a return code, or -1 when empty or over MAX_SIDE (check_shape)."""
    if h < 1 or w < 1 or h > MAX_SIDE or w > MAX_SIDE:
        return -1
    return h * 64 + w


@njit(cache=True)
def _quarter_turns(kind: int, g: np.ndarray, s: int, h: int, w: int, out: np.ndarray,
                   d: int) -> int:
    """rot90, rot270, transpose, antitranspose: an h x w grid becomes w x h."""
    if kind == ROT90:          # out[i, j] = g[h-1-j, i]
        for i in range(w):
            for j in range(h):
                out[d + i * h + j] = g[s + (h - 1 - j) * w + i]
    elif kind == ROT270:       # out[i, j] = g[j, w-1-i]
        for i in range(w):
            for j in range(h):
                out[d + i * h + j] = g[s + j * w + (w - 1 - i)]
    elif kind == TRANSPOSE:    # out[i, j] = g[j, i]
        for i in range(w):
            for j in range(h):
                out[d + i * h + j] = g[s + j * w + i]
    else:                      # antitranspose: out[i, j] = g[h-1-j, w-1-i]
        for i in range(w):
            for j in range(h):
                out[d + i * h + j] = g[s + (h - 1 - j) * w + (w - 1 - i)]
    return w * 64 + h


@njit(cache=True)
def _geometry(kind: int, g: np.ndarray, s: int, h: int, w: int, out: np.ndarray,
              d: int) -> int:
    """Rotations, reflections and mirror concatenations."""
    if kind == ROT90 or kind == ROT270 or kind == TRANSPOSE or kind == ANTITRANSPOSE:
        return _quarter_turns(kind, g, s, h, w, out, d)
    if kind == FLIP_V:
        for i in range(h):
            out[d + i * w:d + (i + 1) * w] = g[s + (h - 1 - i) * w:s + (h - i) * w]
        return h * 64 + w
    if kind == ROT180 or kind == FLIP_H:
        for i in range(h):
            r = i if kind == FLIP_H else h - 1 - i
            base = s + r * w + w - 1
            for j in range(w):
                out[d + i * w + j] = g[base - j]
        return h * 64 + w
    oh = 2 * h if kind != MIRROR_H else h
    ow = 2 * w if kind != MIRROR_V else w
    code = _shape_code(oh, ow)
    if code < 0:
        return -1
    for i in range(oh):
        r = i if i < h else 2 * h - 1 - i
        for j in range(ow):
            c = j if j < w else 2 * w - 1 - j
            out[d + i * ow + j] = g[s + r * w + c]
    return code


@njit(cache=True)
def _translate(kind: int, a: int, b: int, c: int, g: np.ndarray, s: int, h: int, w: int,
               out: np.ndarray, d: int) -> int:
    """shift(dr=a, dc=b, fill=c) and roll(dr=a, dc=b)."""
    src, dst = g[s:s + h * w], out[d:d + h * w]
    if kind == SHIFT:
        dst[:] = c
        first, stop = max(0, -b), min(w, w - b)
        for r in range(max(0, -a), min(h, h - a)):
            row, target = r * w, (r + a) * w + b
            for col in range(first, stop):
                dst[target + col] = src[row + col]
        return h * 64 + w
    start = ((b % w) + w) % w
    for r in range(h):
        row, target = r * w, (((r + a) % h + h) % h) * w
        cc = start
        for col in range(w):
            dst[target + cc] = src[row + col]
            cc += 1
            if cc == w:
                cc = 0
    return h * 64 + w


@njit(cache=True)
def _recolor_table(kind: int, a: int, b: int, lut: np.ndarray) -> None:
    """The colour lookup table of replace, swap_colors, keep_color, remove_color and
    recolor_all (parameters a, b as in `apply_kernel`)."""
    for v in range(10):
        if kind == REPLACE:
            lut[v] = b if v == a else v
        elif kind == SWAP_COLORS:
            lut[v] = b if v == a else (a if v == b else v)
        elif kind == KEEP_COLOR:
            lut[v] = v if v == a else b
        elif kind == REMOVE_COLOR:
            lut[v] = b if v == a else v
        else:
            lut[v] = a if v != b else v


@njit(cache=True)
def _colors(kind: int, a: int, b: int, g: np.ndarray, s: int, h: int, w: int,
            out: np.ndarray, d: int, work: np.ndarray) -> int:
    """Cell-wise recolourings and the bg-overlay symmetrisations."""
    src, dst = g[s:s + h * w], out[d:d + h * w]
    if kind == REPLACE or kind == REMOVE_COLOR:     # a -> b
        for k in range(h * w):
            v = src[k]
            dst[k] = b if v == a else v
        return h * 64 + w
    lut, counts = work[:16], work[16:26]
    for v in range(16):
        lut[v] = v
    if kind == INVERT_COLORS:
        counts[:] = 0
        for k in range(h * w):
            counts[g[s + k]] += 1
        counts[a] = 0
        other, found = -1, 0
        for col in range(10):
            if counts[col] > 0:
                other, found = col, found + 1
        if found != 1:
            return -1
        lut[a], lut[other] = other, a
    elif kind == SYMMETRIZE_DIAG and h != w:
        return -1
    elif REPLACE <= kind <= RECOLOR_ALL:
        _recolor_table(kind, a, b, lut)
    if REPLACE <= kind <= INVERT_COLORS:
        for k in range(h * w):
            dst[k] = lut[src[k]]
        return h * 64 + w
    for r in range(h):   # symmetrize_*(bg=a): bg cells take the mirrored cell
        for col in range(w):
            v = g[s + r * w + col]
            if v == a:
                if kind == SYMMETRIZE_H:
                    v = g[s + r * w + (w - 1 - col)]
                elif kind == SYMMETRIZE_V:
                    v = g[s + (h - 1 - r) * w + col]
                else:
                    v = g[s + col * w + r]
            out[d + r * w + col] = v
    return h * 64 + w


@njit(cache=True)
def _window(g: np.ndarray, s: int, w: int, top: int, left: int, oh: int, ow: int,
            out: np.ndarray, d: int) -> int:
    """Copy the oh x ow window at (top, left)."""
    for i in range(oh):
        for j in range(ow):
            out[d + i * ow + j] = g[s + (top + i) * w + left + j]
    return oh * 64 + ow


@njit(cache=True)
def _crops(kind: int, a: int, g: np.ndarray, s: int, h: int, w: int, out: np.ndarray,
           d: int) -> int:
    """trim(bg=a), remove_border and the four halves."""
    if kind == TRIM:
        r0, r1, c0, c1 = h, -1, w, -1
        for r in range(h):
            for col in range(w):
                if g[s + r * w + col] != a:
                    r0, r1 = min(r0, r), max(r1, r)
                    c0, c1 = min(c0, col), max(c1, col)
        if r1 < 0:
            return -1
        return _window(g, s, w, r0, c0, r1 - r0 + 1, c1 - c0 + 1, out, d)
    if kind == REMOVE_BORDER:
        if h < 3 or w < 3:
            return -1
        return _window(g, s, w, 1, 1, h - 2, w - 2, out, d)
    if kind == LEFT_HALF or kind == RIGHT_HALF:
        if w < 2:
            return -1
        return _window(g, s, w, 0, 0 if kind == LEFT_HALF else (w + 1) // 2, h, w // 2, out, d)
    if h < 2:
        return -1
    return _window(g, s, w, 0 if kind == TOP_HALF else (h + 1) // 2, 0, h // 2, w, out, d)


@njit(cache=True)
def _scaling(kind: int, a: int, b: int, g: np.ndarray, s: int, h: int, w: int,
             out: np.ndarray, d: int, work: np.ndarray) -> int:
    """tile(a, b), upscale(a), downscale(a), downscale_mode(a), kron(bg=a), pad(a, b)."""
    if kind == TILE:
        oh, ow = h * a, w * b
    elif kind == UPSCALE:
        oh, ow = h * a, w * a
    elif kind == KRON:
        oh, ow = h * h, w * w
    elif kind == PAD:
        oh, ow = h + 2 * a, w + 2 * a
    else:
        if a < 1 or h % a or w % a:
            return -1
        oh, ow = h // a, w // a
    code = _shape_code(oh, ow)
    if code < 0 or (kind != KRON and a < 1) or (kind == TILE and b < 1):
        return -1
    src, dst = g[s:s + h * w], out[d:d + oh * ow]
    if kind == TILE or kind == UPSCALE:
        step = a if kind == UPSCALE else 1   # output columns (rows) per input column (row)
        for i in range(oh):
            row, target = (i // step if kind == UPSCALE else i % h) * w, i * ow
            col, left = 0, step
            for j in range(ow):
                dst[target + j] = src[row + col]
                left -= 1
                if left == 0:
                    col, left = col + 1, step
                    if col == w:
                        col = 0
        return code
    if kind == PAD:
        dst[:] = b
        for r in range(h):
            target = (r + a) * ow + a
            for c in range(w):
                dst[target + c] = src[r * w + c]
        return code
    counts = work[:10]
    for i in range(oh):
        for j in range(ow):
            if kind == DOWNSCALE:
                v = g[s + (i * a) * w + j * a]
            elif kind == KRON:
                v = g[s + (i % h) * w + j % w] if g[s + (i // h) * w + j // w] != a else a
            else:
                counts[:] = 0
                for r in range(i * a, i * a + a):
                    for c in range(j * a, j * a + a):
                        counts[g[s + r * w + c]] += 1
                v = np.argmax(counts)
            out[d + i * ow + j] = v
    return code


@njit(cache=True)
def _same_line(g: np.ndarray, s: int, h: int, w: int, x: int, y: int, rows: bool) -> bool:
    """Rows (or columns) x and y of the grid are equal."""
    n = w if rows else h
    for k in range(n):
        if rows:
            if g[s + x * w + k] != g[s + y * w + k]:
                return False
        elif g[s + k * w + x] != g[s + k * w + y]:
            return False
    return True


@njit(cache=True)
def _select(g: np.ndarray, s: int, h: int, w: int, keep_rows: np.ndarray,
            keep_cols: np.ndarray, out: np.ndarray, d: int) -> int:
    """The sub-grid of the kept rows and columns (-1 when nothing is kept)."""
    oh, ow = 0, 0
    for r in range(h):
        oh += keep_rows[r]
    for c in range(w):
        ow += keep_cols[c]
    if oh == 0 or ow == 0:
        return -1
    k = d
    for r in range(h):
        if keep_rows[r]:
            for c in range(w):
                if keep_cols[c]:
                    out[k] = g[s + r * w + c]
                    k += 1
    return oh * 64 + ow


@njit(cache=True)
def _reductions(kind: int, g: np.ndarray, s: int, h: int, w: int, out: np.ndarray,
                d: int, work: np.ndarray) -> int:
    """dedupe_rows, dedupe_cols, compress."""
    keep_rows, keep_cols = work[:h], work[MAX_SIDE:MAX_SIDE + w]
    keep_rows[:] = 1
    keep_cols[:] = 1
    if kind == DEDUPE_ROWS:
        for r in range(1, h):
            keep_rows[r] = 0 if _same_line(g, s, h, w, r, r - 1, True) else 1
    elif kind == DEDUPE_COLS:
        for c in range(1, w):
            keep_cols[c] = 0 if _same_line(g, s, h, w, c, c - 1, False) else 1
    else:
        counts = work[2 * MAX_SIDE:2 * MAX_SIDE + 10]
        counts[:] = 0
        for k in range(h * w):
            counts[g[s + k]] += 1
        common = np.argmax(counts)
        for r in range(h):
            uniform = True
            for c in range(w):
                uniform = uniform and g[s + r * w + c] == common
            keep_rows[r] = 0 if uniform else 1
        for c in range(w):
            uniform = True
            for r in range(h):
                uniform = uniform and g[s + r * w + c] == common
            keep_cols[c] = 0 if uniform else 1
    return _select(g, s, h, w, keep_rows, keep_cols, out, d)


@njit(cache=True)
def _fill_enclosed(a: int, b: int, g: np.ndarray, s: int, h: int, w: int, out: np.ndarray,
                   d: int, work: np.ndarray) -> int:
    """fill_enclosed(color=a, bg=b): bg cells not 4-connected to the border through bg."""
    src, dst = g[s:s + h * w], out[d:d + h * w]
    seen = work[:h * w]
    rows, cols = work[MAX_CELLS:MAX_CELLS + h * w], work[2 * MAX_CELLS:2 * MAX_CELLS + h * w]
    seen[:] = 0
    tail = 0
    for r in range(h):
        step = 1 if r == 0 or r == h - 1 else max(1, w - 1)
        for c in range(0, w, step):
            if src[r * w + c] == b:
                seen[r * w + c] = 1
                rows[tail], cols[tail] = r, c
                tail += 1
    head = 0
    while head < tail:
        r, c = rows[head], cols[head]
        head += 1
        for direction in range(4):
            y = r + (-1 if direction == 0 else (1 if direction == 1 else 0))
            x = c + (-1 if direction == 2 else (1 if direction == 3 else 0))
            if 0 <= y < h and 0 <= x < w:
                n = y * w + x
                if not seen[n] and src[n] == b:
                    seen[n] = 1
                    rows[tail], cols[tail] = y, x
                    tail += 1
    for k in range(h * w):
        v = src[k]
        dst[k] = a if v == b and not seen[k] else v
    return h * 64 + w


@njit(cache=True)
def _painting(kind: int, a: int, b: int, g: np.ndarray, s: int, h: int, w: int,
              out: np.ndarray, d: int, work: np.ndarray) -> int:
    """draw_border(a), fill_rows_with(a, bg=b), fill_cols_with(a, bg=b)."""
    rows, cols = work[:h], work[MAX_SIDE:MAX_SIDE + w]
    rows[:] = 0
    cols[:] = 0
    if kind != DRAW_BORDER:
        for r in range(h):
            for c in range(w):
                if g[s + r * w + c] == a:
                    rows[r] = 1
                    cols[c] = 1
    for r in range(h):
        for c in range(w):
            v = g[s + r * w + c]
            if kind == DRAW_BORDER:
                if r == 0 or r == h - 1 or c == 0 or c == w - 1:
                    v = a
            elif v == b and (rows[r] if kind == FILL_ROWS_WITH else cols[c]):
                v = a
            out[d + r * w + c] = v
    return h * 64 + w


@njit(cache=True)
def _gravity(a: int, b: int, g: np.ndarray, s: int, h: int, w: int, out: np.ndarray,
             d: int) -> int:
    """gravity(direction=a, bg=b): non-bg cells slide up (0), right (1), down (2), left (3)."""
    if a < 0 or a > 3:
        return -1
    lines, length = (w, h) if a % 2 == 0 else (h, w)
    for line in range(lines):
        placed = 0
        for k in range(length):
            pos = k if a == 0 or a == 3 else length - 1 - k
            src = pos * w + line if a % 2 == 0 else line * w + pos
            v = g[s + src]
            if v != b:
                target = placed if a == 0 or a == 3 else length - 1 - placed
                dst = target * w + line if a % 2 == 0 else line * w + target
                out[d + dst] = v
                placed += 1
        for k in range(placed, length):
            target = k if a == 0 or a == 3 else length - 1 - k
            dst = target * w + line if a % 2 == 0 else line * w + target
            out[d + dst] = b
    return h * 64 + w


@njit(cache=True)
def _segment(mode: int, bg: int, g: np.ndarray, s: int, h: int, w: int,
             work: np.ndarray, base: int) -> int:
    """Label the parts of a segmentation; returns their number.

    SEG_MULTICOLOR8: `objects(x, connect=8, multicolor=True, bg)`, SEG_OBJECTS4:
    `objects(x, bg)` (4-connected, one colour each), SEG_COLOR_GROUPS: `color_groups(x, bg)`,
    SEG_OBJECTS8: 8-connected, one colour each. work[base:base + SEG_ENTRY] then holds each
    cell's part (-1: bg) in its first block, a queue in the second, and per part (blocks
    2-9 of MAX_CELLS): size, top, left, bottom, right, majority colour (ties: smaller),
    number of colours and first cell (the list order's last key). (Offsets into `work`
    rather than views of it: a view costs two atomic reference counts.)"""
    n_cells = h * w
    labels, queue, counts = base, base + MAX_CELLS, base + 10 * MAX_CELLS
    if mode == SEG_CUT:     # the multicolour 8-connected parts of the non-cut-colour cells
        bg = _cut_color(g, s, h, w, work, base)
    multi = mode == SEG_MULTICOLOR8 or mode == SEG_CUT
    for k in range(n_cells):
        work[labels + k] = -1
    if mode == SEG_CUT and bg < 0:    # no cut colour: no parts
        return 0
    n = 0
    for start in range(n_cells):
        colour = g[s + start]
        if work[labels + start] >= 0 or colour == bg:
            continue
        for v in range(10):
            work[counts + v] = 0
        work[labels + start], work[queue] = n, start
        head, tail = 0, 1
        if mode == SEG_COLOR_GROUPS:
            for m in range(start + 1, n_cells):
                if g[s + m] == colour:
                    work[labels + m] = n
                    work[queue + tail] = m
                    tail += 1
        r0, c0, r1, c1 = h, w, -1, -1
        while head < tail:
            k = work[queue + head]
            head += 1
            r, c = k // w, k % w
            work[counts + g[s + k]] += 1
            r0, r1, c0, c1 = min(r0, r), max(r1, r), min(c0, c), max(c1, c)
            if mode == SEG_COLOR_GROUPS:
                continue
            for dr in range(-1, 2):
                for dc in range(-1, 2):
                    y, x = r + dr, c + dc
                    if (dr == 0 and dc == 0) or y < 0 or y >= h or x < 0 or x >= w or \
                            (mode == SEG_OBJECTS4 and dr != 0 and dc != 0):
                        continue
                    m = y * w + x
                    u = g[s + m]
                    if work[labels + m] < 0 and u != bg and (multi or u == colour):
                        work[labels + m] = n
                        work[queue + tail] = m
                        tail += 1
        major, n_colours = 0, 0
        for v in range(10):
            n_colours += work[counts + v] > 0
            if work[counts + v] > work[counts + major]:
                major = v
        for block, value in enumerate((tail, r0, c0, r1, c1, major, n_colours, start)):
            work[base + (2 + block) * MAX_CELLS + n] = value
        n += 1
    return n


@njit(cache=True)
def _flood8(g: np.ndarray, s: int, h: int, w: int, colour: int, same: bool, start: int,
            work: np.ndarray, mark: int, queue: int, stamp: int) -> tuple[int, bool]:
    """Flood 8-connected cells of `colour` (`same`) or of any other colour (not `same`) from
    `start`, setting work[mark + cell] = stamp on unmarked (0) cells; (cells flooded, whether
    a flooded cell has a neighbour of `colour` marked 1)."""
    work[mark + start], work[queue] = stamp, start
    head, tail, touches = 0, 1, False
    while head < tail:
        k = work[queue + head]
        head += 1
        r, c = k // w, k % w
        for y in range(max(r - 1, 0), min(r + 2, h)):
            for x in range(max(c - 1, 0), min(c + 2, w)):
                m = y * w + x
                if (g[s + m] == colour) != same:
                    touches = touches or work[mark + m] == 1
                elif work[mark + m] == 0:
                    work[mark + m] = stamp
                    work[queue + tail] = m
                    tail += 1
    return tail, touches


@njit(cache=True)
def _cut_color(g: np.ndarray, s: int, h: int, w: int, work: np.ndarray, base: int) -> int:
    """`dsl.primitives.objects.cut_color` (-1: None), with work[base:base + 2 * MAX_CELLS] as
    marks and queue."""
    mark, queue = base, base + MAX_CELLS
    best, best_score = -1, -1
    for colour in range(10):
        ends = 0        # bits: top, bottom, left, right edge has the colour
        for k in range(h * w):
            if g[s + k] == colour:
                r, c = k // w, k % w
                ends |= (1 if r == 0 else 0) | (2 if r == h - 1 else 0) | \
                    (4 if c == 0 else 0) | (8 if c == w - 1 else 0)
        if ends & 3 != 3 and ends & 12 != 12:
            continue
        for k in range(h * w):
            work[mark + k] = 0
        for k in range(h * w):
            r, c = k // w, k % w
            if g[s + k] == colour and work[mark + k] == 0 and \
                    (r == 0 or c == 0 or r == h - 1 or c == w - 1):
                _flood8(g, s, h, w, colour, True, k, work, mark, queue, 1)
        regions, score, ok = 0, MAX_CELLS, True
        for k in range(h * w):
            if g[s + k] != colour and work[mark + k] == 0:
                size, touches = _flood8(g, s, h, w, colour, False, k, work, mark, queue, 2)
                regions += 1
                score = min(score, size)
                ok = ok and touches
        if regions >= 2 and ok and score > best_score:
            best, best_score = colour, score
    return best


@njit(cache=True)
def _scratch() -> np.ndarray:
    """A kernel's int32 scratch of WORK_SIZE: the plain part and the cache's keys zeroed (the
    cached segmentations are written before they are read, so their pages stay untouched
    until used)."""
    work = np.empty(WORK_SIZE, dtype=np.int32)
    work[:CACHE_START] = 0
    return work


@njit(cache=True)
def _segmented(mode: int, bg: int, g: np.ndarray, s: int, h: int, w: int,
               work: np.ndarray) -> tuple[int, int]:
    """(number of parts, start in `work` of the `_segment` blocks) of a grid's segmentation,
    reused from the cache at the end of `work` when the same grid (offset, shape) was
    segmented the same way since `work` was allocated. `expand` segments only stored values,
    which never change, and allocates `work` per call; `apply_transform` per grid."""
    for slot in range(SEG_SLOTS):
        key = CACHE_KEYS + slot * SEG_KEY
        if work[key] == s + 1 and work[key + 1] == h and work[key + 2] == w and \
                work[key + 3] == mode and work[key + 4] == bg:
            return np.int64(work[key + 5]), np.int64(CACHE_START + slot * SEG_ENTRY)
    slot = work[CACHE_NEXT]
    work[CACHE_NEXT] = (slot + 1) % SEG_SLOTS
    start = CACHE_START + slot * SEG_ENTRY
    n = _segment(mode, bg, g, s, h, w, work, start)
    key = CACHE_KEYS + slot * SEG_KEY
    work[key], work[key + 1], work[key + 2] = s + 1, h, w
    work[key + 3], work[key + 4], work[key + 5] = mode, bg, n
    return np.int64(n), np.int64(start)


@njit(cache=True)
def _listed_before(work: np.ndarray, seg: int, i: int, j: int) -> bool:
    """Part i comes before part j in the DSL's object order (top, left, colour, first cell)
    (the `_segment` blocks at work[seg:])."""
    for block in (3, 4, 7, 9):
        a, b = work[seg + block * MAX_CELLS + i], work[seg + block * MAX_CELLS + j]
        if a != b:
            return a < b
    return False


@njit(cache=True)
def _picked_part(picker: int, n: int, work: np.ndarray, seg: int) -> int:
    """The part a picker chooses (-1 where the DSL raises EvalError): argmax / argmin by
    `size`, argmax by `obj_n_colors` (first in list order on ties), or `unique_by` the
    colour or the size (the one part whose key no other part has). work[seg:]: the
    `_segment` blocks; work[11 * MAX_CELLS:]: scratch."""
    key_block = 8 if picker == PICK_MOST_COLORS else (7 if picker == PICK_UNIQUE_COLOR else 2)
    keys = seg + key_block * MAX_CELLS
    if picker == PICK_UNIQUE_COLOR or picker == PICK_UNIQUE_SIZE:
        seen = 11 * MAX_CELLS
        for i in range(n):
            work[seen + work[keys + i]] = 0
        for i in range(n):
            work[seen + work[keys + i]] += 1
        found = -1
        for i in range(n):
            if work[seen + work[keys + i]] == 1:
                if found >= 0:
                    return -1
                found = i
        return found
    best, best_key = -1, 0
    for i in range(n):
        k = work[keys + i] if picker != PICK_SMALLEST else -work[keys + i]
        if best < 0 or k > best_key or (k == best_key and _listed_before(work, seg, i, best)):
            best, best_key = i, k
    return best


@njit(cache=True)
def _picked(mode: int, bg: int, picker: int, g: np.ndarray, s: int, h: int, w: int,
            work: np.ndarray) -> tuple[int, int]:
    """The part a picker picks in a segmentation of the value (-1 when the mode or picker is
    unknown or nothing is picked) and where that segmentation starts in `work`."""
    if mode < 0 or mode >= N_SEGMENTATIONS or picker < 0 or picker >= N_PICKERS:
        return -1, 0
    n, start = _segmented(mode, bg, g, s, h, w, work)
    return _picked_part(picker, n, work, start), start


@njit(cache=True)
def _pick(kind: int, mode: int, bg: int, picker: int, g: np.ndarray, s: int, h: int, w: int,
          out: np.ndarray, d: int, work: np.ndarray) -> int:
    """PICK_OBJECT: `obj_grid(PICK(SEGMENTATION(x), KEY), bg)`; PICK_SUBGRID:
    `subgrid(x, PICK(SEGMENTATION(x), KEY))` (see `_segment`, `_picked_part`)."""
    part, seg = _picked(mode, bg, picker, g, s, h, w, work)
    if part < 0:
        return -1
    r0, c0 = work[seg + 3 * MAX_CELLS + part], work[seg + 4 * MAX_CELLS + part]
    oh = work[seg + 5 * MAX_CELLS + part] - r0 + 1
    ow = work[seg + 6 * MAX_CELLS + part] - c0 + 1
    for i in range(oh):
        for j in range(ow):
            k = (r0 + i) * w + c0 + j
            v = g[s + k]
            out[d + i * ow + j] = v if kind == PICK_SUBGRID or work[seg + k] == part else bg
    return oh * 64 + ow


@njit(cache=True)
def _majority_cell(bg: int, g: np.ndarray, s: int, h: int, w: int, out: np.ndarray, d: int,
                   work: np.ndarray) -> int:
    """`canvas(most_common_fg(x, bg), 1, 1)`: the commonest non-bg colour (ties: smaller)."""
    best = _fg_counts(bg, g, s, h * w, work)
    if best < 0:
        return -1
    out[d] = best
    return 64 + 1


@njit(cache=True)
def _has_foreground(bg: int, g: np.ndarray, s: int, n_cells: int) -> bool:
    """Whether some cell is not `bg` (`to_object(x, bg)` raises EvalError otherwise)."""
    for k in range(n_cells):
        if g[s + k] != bg:
            return True
    return False


@njit(cache=True)
def _smear(a: int, b: int, g: np.ndarray, s: int, h: int, w: int, out: np.ndarray,
           d: int) -> int:
    """`object_rays(x, to_object(x, bg=b), a, bg=b)`: from every non-bg cell a ray of its
    colour in direction a (0-7) over bg cells, stopping before the next non-bg cell."""
    if a < 0 or a > 7 or not _has_foreground(b, g, s, h * w):
        return -1
    dr, dc = _STEP_ROWS[a], _STEP_COLS[a]
    out[d:d + h * w] = g[s:s + h * w]
    for r in range(h):
        for c in range(w):
            v = g[s + r * w + c]
            if v == b:
                continue
            y, x = r + dr, c + dc
            while 0 <= y < h and 0 <= x < w and g[s + y * w + x] == b:
                out[d + y * w + x] = v
                y, x = y + dr, x + dc
    return h * 64 + w


@njit(cache=True)
def _outline(a: int, b: int, c: int, g: np.ndarray, s: int, h: int, w: int,
             out: np.ndarray, d: int) -> int:
    """`outline(x, to_object(x, bg=b), a, connect=c, bg=b)`: bg cells 4- or 8-adjacent to a
    non-bg cell become colour a."""
    if (c != 4 and c != 8) or not _has_foreground(b, g, s, h * w):
        return -1
    for r in range(h):
        for col in range(w):
            v = g[s + r * w + col]
            if v == b:
                for k in range(c):
                    y, x = r + _STEP_ROWS[k], col + _STEP_COLS[k]
                    if 0 <= y < h and 0 <= x < w and g[s + y * w + x] != b:
                        v = a
                        break
            out[d + r * w + col] = v
    return h * 64 + w


@njit(cache=True)
def _gap_fill(b: int, g: np.ndarray, s: int, h: int, w: int, fill: np.ndarray,
              rows: bool) -> None:
    """Per cell, the colour of the same-colour non-bg cells closest on both sides along its
    row (rows) or column, written into `fill` where there are such cells."""
    lines, length = (h, w) if rows else (w, h)
    for line in range(lines):
        last, last_colour = -1, -1
        for k in range(length):
            cell = line * w + k if rows else k * w + line
            v = g[s + cell]
            if v == b:
                continue
            if v == last_colour and k > last + 1:
                for m in range(last + 1, k):
                    fill[line * w + m if rows else m * w + line] = v
            last, last_colour = k, v


@njit(cache=True)
def _connect_same(a: int, b: int, g: np.ndarray, s: int, h: int, w: int, out: np.ndarray,
                  d: int, work: np.ndarray) -> int:
    """`connect_same(x, a, bg=b)`: bg gaps between consecutive same-colour cells of a row
    (a = 0), a column (1) or both (2, row fills win) take their colour."""
    if a < 0 or a > 2:
        return -1
    fill = work[:h * w]
    fill[:] = -1
    if a != 0:
        _gap_fill(b, g, s, h, w, fill, False)
    if a != 1:
        _gap_fill(b, g, s, h, w, fill, True)
    for k in range(h * w):
        out[d + k] = fill[k] if fill[k] >= 0 else g[s + k]
    return h * 64 + w


@njit(cache=True)
def _pick_in_place(kind: int, mode: int, bg: int, picker: int, g: np.ndarray, s: int, h: int,
                   w: int, out: np.ndarray, d: int, work: np.ndarray) -> int:
    """PICK_KEEP: `fill_mask(x, mask_not(object_mask(x, PICKED)), bg)`, the picked part kept
    in place and every other cell bg; PICK_COVER: `cover(x, PICKED, bg)`, the picked part
    erased (PICKED: see `_pick`)."""
    part, seg = _picked(mode, bg, picker, g, s, h, w, work)
    if part < 0:
        return -1
    keep = kind == PICK_KEEP
    for k in range(h * w):
        inside = work[seg + k] == part
        out[d + k] = g[s + k] if inside == keep else bg
    return h * 64 + w


@njit(cache=True)
def _enclosed_in_box(part: int, bg: int, g: np.ndarray, s: int, w: int, work: np.ndarray,
                     seg: int) -> int:
    """The empty cells (not the part's, or bg) of a part's bounding box that no 8-connected
    path of empty cells links to the box's edge (work[:2 * MAX_CELLS]: marks, zeroed by the
    caller and left stamped with part + 1, and queue)."""
    r0, c0 = work[seg + 3 * MAX_CELLS + part], work[seg + 4 * MAX_CELLS + part]
    r1, c1 = work[seg + 5 * MAX_CELLS + part], work[seg + 6 * MAX_CELLS + part]
    mark, queue, stamp = 0, MAX_CELLS, part + 1
    empty, tail = 0, 0
    for r in range(r0, r1 + 1):
        for c in range(c0, c1 + 1):
            k = r * w + c
            if work[seg + k] == part and g[s + k] != bg:
                continue
            empty += 1
            if (r == r0 or r == r1 or c == c0 or c == c1) and work[mark + k] != stamp:
                work[mark + k] = stamp
                work[queue + tail] = k
                tail += 1
    head = 0
    while head < tail:
        k = work[queue + head]
        head += 1
        r, c = k // w, k % w
        for y in range(max(r - 1, r0), min(r + 2, r1 + 1)):
            for x in range(max(c - 1, c0), min(c + 2, c1 + 1)):
                m = y * w + x
                if work[mark + m] != stamp and (work[seg + m] != part or g[s + m] == bg):
                    work[mark + m] = stamp
                    work[queue + tail] = m
                    tail += 1
    return empty - tail


@njit(cache=True)
def _part_features(feature: int, bg: int, n: int, g: np.ndarray, s: int, h: int, w: int,
                   work: np.ndarray, seg: int, values: int) -> None:
    """work[values + p] = part p's feature (`dsl.primitives.objects.part_feature`) for the
    `_segment` blocks at work[seg:] (work[2 * MAX_CELLS:values]: scratch)."""
    count, colours = 2 * MAX_CELLS, 3 * MAX_CELLS
    fr0, fc0, fr1, fc1 = 4 * MAX_CELLS, 5 * MAX_CELLS, 6 * MAX_CELLS, 7 * MAX_CELLS
    for p in range(n):
        work[count + p], work[colours + p] = 0, 0
        work[fr0 + p], work[fc0 + p], work[fr1 + p], work[fc1 + p] = h, w, -1, -1
    for k in range(h * w):
        p = work[seg + k]
        if p < 0 or g[s + k] == bg:
            continue
        r, c = k // w, k % w
        work[count + p] += 1
        work[colours + p] |= 1 << g[s + k]
        work[fr0 + p], work[fr1 + p] = min(work[fr0 + p], r), max(work[fr1 + p], r)
        work[fc0 + p], work[fc1 + p] = min(work[fc0 + p], c), max(work[fc1 + p], c)
    if feature == FEAT_INTERIOR:
        for k in range(h * w):
            work[k] = 0
    for p in range(n):
        if feature == FEAT_COUNT:
            v = work[count + p]
        elif feature == FEAT_AREA:
            v = (work[seg + 5 * MAX_CELLS + p] - work[seg + 3 * MAX_CELLS + p] + 1) * \
                (work[seg + 6 * MAX_CELLS + p] - work[seg + 4 * MAX_CELLS + p] + 1)
        elif feature == FEAT_COLORS:
            v, bits = 0, work[colours + p]
            while bits:
                v += bits & 1
                bits >>= 1
        elif feature == FEAT_TOP or feature == FEAT_LEFT:
            v = work[seg + (3 if feature == FEAT_TOP else 4) * MAX_CELLS + p]
        elif feature == FEAT_HOLES:
            v = 0 if work[count + p] == 0 else \
                (work[fr1 + p] - work[fr0 + p] + 1) * (work[fc1 + p] - work[fc0 + p] + 1) - \
                work[count + p]
        else:
            v = _enclosed_in_box(p, bg, g, s, w, work, seg)
        work[values + p] = v


@njit(cache=True)
def _parts_kept(kind: int, mode: int, bg: int, c: int, g: np.ndarray, s: int, h: int, w: int,
                out: np.ndarray, d: int, work: np.ndarray) -> int:
    """PARTS_KEEP: `keep_extreme_parts(x, SEGMENTATION(x), feature, lowest, invert, bg)`;
    PARTS_CROP: `crop_extreme_parts(...)` (c = feature * 4 + lowest * 2 + invert; the
    segmentations of `_segment`, SEG_CUT `cut_regions(x)`)."""
    feature, lowest, invert = c // 4, (c // 2) % 2 == 1, c % 2 == 1
    if mode < 0 or mode > SEG_CUT or mode == SEG_OBJECTS8 or c < 0 or feature >= N_FEATURES:
        return -1
    n, seg = _segmented(mode, bg, g, s, h, w, work)
    if n < 2:
        return -1
    values, kept = 8 * MAX_CELLS, 9 * MAX_CELLS
    _part_features(feature, bg, n, g, s, h, w, work, seg, values)
    best = 0
    for p in range(n):
        v = -work[values + p] if lowest else work[values + p]
        best = v if p == 0 or v > best else best
    n_kept, r0, c0, r1, c1 = 0, h, w, -1, -1
    for p in range(n):
        v = -work[values + p] if lowest else work[values + p]
        keep = (v == best) != invert
        work[kept + p] = keep
        if keep:
            n_kept += 1
            r0, c0 = min(r0, work[seg + 3 * MAX_CELLS + p]), min(c0, work[seg + 4 * MAX_CELLS + p])
            r1, c1 = max(r1, work[seg + 5 * MAX_CELLS + p]), max(c1, work[seg + 6 * MAX_CELLS + p])
    if n_kept == 0 or n_kept == n:
        return -1
    if kind == PARTS_KEEP:
        r0, c0, r1, c1 = 0, 0, h - 1, w - 1
    oh, ow = r1 - r0 + 1, c1 - c0 + 1
    for i in range(oh):
        for j in range(ow):
            k = (r0 + i) * w + c0 + j
            p = work[seg + k]
            out[d + i * ow + j] = g[s + k] if p >= 0 and work[kept + p] == 1 else bg
    return oh * 64 + ow


@njit(cache=True)
def _hollow(a: int, b: int, g: np.ndarray, s: int, h: int, w: int, out: np.ndarray,
            d: int) -> int:
    """`local_rule(x, 1, KEYS, [b, ...])` with KEYS the codes `c * 1024 + 2 ** c` of the
    colours c in bit set a: a cell of such a colour whose in-grid 8-neighbours (one at least)
    all have its colour becomes bg b, so solid shapes keep only their outlines."""
    for r in range(h):
        for col in range(w):
            v = g[s + r * w + col]
            inner = (a >> v) & 1 == 1 and h * w > 1
            for dr in range(-1, 2):
                for dc in range(-1, 2):
                    y, x = r + dr, col + dc
                    if inner and 0 <= y < h and 0 <= x < w and g[s + y * w + x] != v:
                        inner = False
            out[d + r * w + col] = b if inner else v
    return h * 64 + w


@njit(cache=True)
def _denoise(a: int, b: int, g: np.ndarray, s: int, h: int, w: int, out: np.ndarray, d: int,
             work: np.ndarray) -> int:
    """`denoise(x, a, bg=b)`: 8-connected single-colour parts of fewer than a cells become bg."""
    seg = _segmented(SEG_OBJECTS8, b, g, s, h, w, work)[1]
    for k in range(h * w):
        part = work[seg + k]
        out[d + k] = b if part >= 0 and work[seg + 2 * MAX_CELLS + part] < a else g[s + k]
    return h * 64 + w


@njit(cache=True)
def _in_part(part: int, p: int, k: int, h: int, w: int, work: np.ndarray, seg: int) -> bool:
    """Whether cell k of object p (the `_segment` blocks at work[seg:]) lies in a
    PAINT_PARTS part other than the hull."""
    r, c = k // w, k % w
    if part == PART_INTERIOR or part == PART_BORDER:
        inner = True
        for dr in range(-1, 2):
            for dc in range(-1, 2):
                y, x = r + dr, c + dc
                if y < 0 or y >= h or x < 0 or x >= w or work[seg + y * w + x] != p:
                    inner = False
        return inner == (part == PART_INTERIOR)
    top, left = work[seg + 3 * MAX_CELLS + p], work[seg + 4 * MAX_CELLS + p]
    bottom, right = work[seg + 5 * MAX_CELLS + p], work[seg + 6 * MAX_CELLS + p]
    if part == PART_TOP:
        return r < top + (bottom - top + 1) // 2
    if part == PART_BOTTOM:
        return r > bottom - (bottom - top + 1) // 2
    if part == PART_LEFT:
        return c < left + (right - left + 1) // 2
    return c > right - (right - left + 1) // 2


@njit(cache=True)
def _paint_object_parts(a: int, b: int, c: int, g: np.ndarray, s: int, h: int, w: int,
                        out: np.ndarray, d: int, work: np.ndarray) -> int:
    """`paint_object_parts(x, a, b, bg=c)`: part a (PART_*) of every 8-connected
    single-colour object painted in colour b (the hull: the bg cells of its bounding box)."""
    if a < 0 or a >= N_PARTS or b < 0 or b > 9:
        return -1
    n, seg = _segmented(SEG_OBJECTS8, c, g, s, h, w, work)
    out[d:d + h * w] = g[s:s + h * w]
    if a == PART_HULL:
        for p in range(n):
            for r in range(work[seg + 3 * MAX_CELLS + p], work[seg + 5 * MAX_CELLS + p] + 1):
                for col in range(work[seg + 4 * MAX_CELLS + p],
                                 work[seg + 6 * MAX_CELLS + p] + 1):
                    if g[s + r * w + col] == c:
                        out[d + r * w + col] = b
        return h * 64 + w
    for k in range(h * w):
        p = work[seg + k]
        if p >= 0 and _in_part(a, p, k, h, w, work, seg):
            out[d + k] = b
    return h * 64 + w


@njit(cache=True)
def _repair(kind: int, a: int, g: np.ndarray, s: int, h: int, w: int, out: np.ndarray,
            d: int) -> int:
    """`repair_tiling(x, a)` / `complete_symmetry(x, a)`: the cells of colour `a` filled from
    the grid's smallest consistent period / the symmetries its other cells obey (the DSL's
    own kernels, `native.tiling` and `native.symmetry`); -1 where the DSL raises."""
    if a < 0 or a > 9:
        return -1
    grid = g[s:s + h * w].reshape((h, w))
    if kind == REPAIR_TILING:
        found, repaired = tiling.repair_tiling(grid, a)
        if not found:
            return -1
    else:
        status, repaired = symmetry.complete_symmetry(grid, a)
        if status != symmetry.OK:
            return -1
    out[d:d + h * w] = repaired.ravel()
    return h * 64 + w


@njit(cache=True)
def _symmetry_window(a: int, g: np.ndarray, s: int, h: int, w: int, out: np.ndarray,
                     d: int) -> int:
    """`subgrid(complete_symmetry(x, a), mask_object(x, mask_of(x, a)))`: what the symmetries
    the other cells obey put under the bounding box of colour `a`; -1 where the DSL raises."""
    if a < 0 or a > 9:
        return -1
    r0, c0, r1, c1 = h, w, -1, -1
    for k in range(h * w):
        if g[s + k] == a:
            r, c = k // w, k % w
            r0, r1, c0, c1 = min(r0, r), max(r1, r), min(c0, c), max(c1, c)
    if r1 < 0:
        return -1
    status, repaired = symmetry.complete_symmetry(g[s:s + h * w].reshape((h, w)), a)
    if status != symmetry.OK:
        return -1
    oh, ow = r1 - r0 + 1, c1 - c0 + 1
    for i in range(oh):
        for j in range(ow):
            out[d + i * ow + j] = repaired[r0 + i, c0 + j]
    return oh * 64 + ow


@njit(cache=True)
def _fg_counts(bg: int, g: np.ndarray, s: int, n_cells: int, counts: np.ndarray) -> int:
    """Cells per colour (into counts[:10]) with `bg` zeroed; returns the commonest other
    colour (ties: smaller), -1 when there is none (`most_common_fg` raises EvalError)."""
    for v in range(10):
        counts[v] = 0
    for k in range(n_cells):
        counts[g[s + k]] += 1
    counts[bg] = 0
    best = 0
    for v in range(10):
        if counts[v] > counts[best]:
            best = v
    return best if counts[best] > 0 else -1


@njit(cache=True)
def _count_render(a: int, b: int, c: int, g: np.ndarray, s: int, h: int, w: int,
                  out: np.ndarray, d: int, work: np.ndarray) -> int:
    """`canvas(most_common_fg(x, b), 1, N)` (c = RENDER_ROW), `canvas(.., N, 1)` (RENDER_COLUMN)
    or `canvas(.., N, N)` (RENDER_SQUARE), N the number of a segmentation's parts
    (`count(SEGMENTATION(x))`, a = SEG_*) or of non-bg cells (`mask_count(nonbg_mask(x, b))`,
    a = COUNT_CELLS)."""
    if a < 0 or a > COUNT_CELLS or c < 0 or c > RENDER_SQUARE:
        return -1
    colour = _fg_counts(b, g, s, h * w, work)     # counts in work[:10]
    if colour < 0:
        return -1
    if a == COUNT_CELLS:
        n = 0
        for v in range(10):
            n += work[v]
    else:
        n = _segmented(a, b, g, s, h, w, work)[0]
    oh, ow = (1, n) if c == RENDER_ROW else ((n, 1) if c == RENDER_COLUMN else (n, n))
    code = _shape_code(oh, ow)
    if code < 0:
        return -1
    for k in range(d, d + oh * ow):
        out[k] = colour
    return code


@njit(cache=True)
def _colors_column(a: int, b: int, g: np.ndarray, s: int, h: int, w: int, out: np.ndarray,
                   d: int, work: np.ndarray) -> int:
    """`colors_column(colors_by_count(x, b))` (a = 0) or `colors_column(drop(.., a))`: the
    non-bg colours top to bottom, most cells first (ties: smaller colour), the first a left
    out; EvalError unless 1 to 30 remain."""
    if a < 0:
        return -1
    _fg_counts(b, g, s, h * w, work)      # counts in work[:10]
    n, skipped = 0, 0
    while True:
        best = -1
        for v in range(10):
            if work[v] > 0 and (best < 0 or work[v] > work[best]):
                best = v
        if best < 0:
            break
        work[best] = 0
        if skipped < a:
            skipped += 1
            continue
        out[d + n] = best
        n += 1
    if n == 0:
        return -1
    return n * 64 + 1


@njit(cache=True)
def apply_kernel(kind: int, a: int, b: int, c: int, g: np.ndarray, s: int, h: int, w: int,
                 out: np.ndarray, d: int, work: np.ndarray) -> int:
    """Apply transform (kind, a, b, c) to the h x w grid at g[s:]; write at out[d:].

    Returns oh * 64 + ow, or -1 where the DSL raises EvalError. `work` is int32 scratch of
    WORK_SIZE."""
    if kind <= ANTITRANSPOSE or MIRROR_H <= kind <= MIRROR_4:
        return _geometry(kind, g, s, h, w, out, d)
    if kind == SHIFT or kind == ROLL:
        return _translate(kind, a, b, c, g, s, h, w, out, d)
    if SYMMETRIZE_H <= kind <= INVERT_COLORS:
        return _colors(kind, a, b, g, s, h, w, out, d, work)
    if kind == TRIM or kind == REMOVE_BORDER or LEFT_HALF <= kind <= BOTTOM_HALF:
        return _crops(kind, a, g, s, h, w, out, d)
    if TILE <= kind <= DOWNSCALE_MODE or kind == KRON or kind == PAD:
        return _scaling(kind, a, b, g, s, h, w, out, d, work)
    if DEDUPE_ROWS <= kind <= COMPRESS:
        return _reductions(kind, g, s, h, w, out, d, work)
    if kind == FILL_ENCLOSED:
        return _fill_enclosed(a, b, g, s, h, w, out, d, work)
    if DRAW_BORDER <= kind <= FILL_COLS_WITH:
        return _painting(kind, a, b, g, s, h, w, out, d, work)
    if kind == GRAVITY:
        return _gravity(a, b, g, s, h, w, out, d)
    if kind == PICK_OBJECT or kind == PICK_SUBGRID:
        return _pick(kind, a, b, c, g, s, h, w, out, d, work)
    if kind == MAJORITY_CELL:
        return _majority_cell(a, g, s, h, w, out, d, work)
    return _spreads_and_counts(kind, a, b, c, g, s, h, w, out, d, work)


@njit(cache=True)
def _spreads_and_counts(kind: int, a: int, b: int, c: int, g: np.ndarray, s: int, h: int,
                        w: int, out: np.ndarray, d: int, work: np.ndarray) -> int:
    """The kinds from SMEAR on (see `apply_kernel`)."""
    if kind == SMEAR:
        return _smear(a, b, g, s, h, w, out, d)
    if kind == OUTLINE:
        return _outline(a, b, c, g, s, h, w, out, d)
    if kind == CONNECT_SAME:
        return _connect_same(a, b, g, s, h, w, out, d, work)
    if kind == PICK_KEEP or kind == PICK_COVER:
        return _pick_in_place(kind, a, b, c, g, s, h, w, out, d, work)
    if kind == COUNT_RENDER:
        return _count_render(a, b, c, g, s, h, w, out, d, work)
    if kind == COLORS_COLUMN:
        return _colors_column(a, b, g, s, h, w, out, d, work)
    if kind == HOLLOW:
        return _hollow(a, b, g, s, h, w, out, d)
    if kind == DENOISE:
        return _denoise(a, b, g, s, h, w, out, d, work)
    if kind == REPAIR_TILING or kind == COMPLETE_SYMMETRY:
        return _repair(kind, a, g, s, h, w, out, d)
    if kind == SYMMETRY_WINDOW:
        return _symmetry_window(a, g, s, h, w, out, d)
    if kind == PARTS_KEEP or kind == PARTS_CROP:
        return _parts_kept(kind, a, b, c, g, s, h, w, out, d, work)
    if kind == PAINT_PARTS:
        return _paint_object_parts(a, b, c, g, s, h, w, out, d, work)
    return -1


@njit(cache=True)
def apply_transform(kind: int, a: int, b: int, c: int, grid: np.ndarray
                    ) -> tuple[bool, np.ndarray]:
    """(ok, result) of one transform on one 2-D uint8 grid (ok False: the DSL's EvalError)."""
    h, w = grid.shape
    flat = np.ascontiguousarray(grid).ravel()
    out = np.zeros(MAX_CELLS, dtype=np.uint8)
    work = _scratch()
    code = apply_kernel(kind, a, b, c, flat, 0, h, w, out, 0, work)
    if code < 0:
        return False, np.zeros((1, 1), dtype=np.uint8)
    oh, ow = code // 64, code % 64
    return True, out[:oh * ow].copy().reshape(oh, ow)


@njit(cache=True)
def _aligned(n: int) -> int:
    """n rounded up to a multiple of 8 (every grid starts on a word of the pool)."""
    return (n + 7) & ~7


@njit(cache=True)
def _value_hash(words: np.ndarray, offs: np.ndarray, hs: np.ndarray,
                ws: np.ndarray) -> np.uint64:
    """A 64-bit hash of every example's (h, w, cells), a word (8 cells, zero-padded) at a time."""
    x = _FNV_OFFSET
    for e in range(offs.shape[0]):
        x = (x ^ np.uint64(hs[e] * 64 + ws[e])) * _FNV_PRIME
        base = offs[e] >> 3
        for k in range(_aligned(hs[e] * ws[e]) >> 3):
            x = (x ^ words[base + k]) * _FNV_PRIME
            x = x ^ (x >> np.uint64(29))
    return x


@njit(cache=True)
def _same_value(words: np.ndarray, node: int, offsets: np.ndarray, heights: np.ndarray,
                widths: np.ndarray, offs: np.ndarray, hs: np.ndarray, ws: np.ndarray) -> bool:
    """Whether stored node `node` equals the candidate value (offs, hs, ws)."""
    for e in range(offs.shape[0]):
        if heights[node, e] != hs[e] or widths[node, e] != ws[e]:
            return False
        a, b = offsets[node, e] >> 3, offs[e] >> 3
        for k in range(_aligned(hs[e] * ws[e]) >> 3):
            if words[a + k] != words[b + k]:
                return False
    return True


@njit(cache=True)
def _lookup(slots: np.ndarray, hashes: np.ndarray, words: np.ndarray, offsets: np.ndarray,
            heights: np.ndarray, widths: np.ndarray, x: np.uint64, offs: np.ndarray,
            hs: np.ndarray, ws: np.ndarray) -> int:
    """The free slot for the value, or -1 when an equal value is stored."""
    mask = slots.shape[0] - 1
    i = np.int64(x & np.uint64(mask))
    while slots[i] != 0:
        node = slots[i] - 1
        if hashes[node] == x and _same_value(words, node, offsets, heights, widths, offs, hs, ws):
            return -1
        i = (i + 1) & mask
    return i


@njit(cache=True)
def rehash(slots: np.ndarray, hashes: np.ndarray, n_nodes: int) -> None:
    """Refill an emptied hash table with the first n_nodes nodes."""
    slots[:] = 0
    mask = slots.shape[0] - 1
    for node in range(n_nodes):
        i = np.int64(hashes[node] & np.uint64(mask))
        while slots[i] != 0:
            i = (i + 1) & mask
        slots[i] = node + 1


@njit(cache=True)
def _match_kind(pool: np.ndarray, offs: np.ndarray, hs: np.ndarray, ws: np.ndarray,
                targets: np.ndarray, t_offs: np.ndarray, t_hs: np.ndarray,
                t_ws: np.ndarray, mapping: np.ndarray) -> int:
    """EXACT, MAPPED (one consistent non-identity colour map makes it exact), or 0;
    `mapping` is scratch of 10."""
    for e in range(t_offs.shape[0]):
        if hs[e] != t_hs[e] or ws[e] != t_ws[e]:
            return 0
    mapping[:] = -1
    exact = True
    for e in range(t_offs.shape[0]):
        a, b = offs[e], t_offs[e]
        for k in range(hs[e] * ws[e]):
            v, t = pool[a + k], targets[b + k]
            exact = exact and v == t
            if not maps_onto(mapping, v, t):
                return 0
    return EXACT if exact else MAPPED


@njit(cache=True)
def maps_onto(mapping: np.ndarray, v: int, t: int) -> bool:
    """Records colour `v` -> `t` in a colour map (-1: not yet mapped); False when `v`
    already maps to another colour."""
    if mapping[v] < 0:
        mapping[v] = t
        return True
    return mapping[v] == t


@njit(cache=True)
def _palette(pool: np.ndarray, offs: np.ndarray, hs: np.ndarray, ws: np.ndarray) -> int:
    """The colours present in any example of a value, as a bit set."""
    bits = 0
    for e in range(offs.shape[0]):
        for k in range(offs[e], offs[e] + hs[e] * ws[e]):
            bits |= 1 << pool[k]
    return bits


@njit(cache=True)
def grows_past(kind: int, a: int, b: int, h: int, w: int, max_side: int) -> bool:
    """Whether transform (kind, a, b) provably makes an h x w grid larger than `max_side` on a
    side (tile, upscale, kron, pad, the mirror concatenations), so `expand` may drop the
    application before running the kernel: the result would be dropped anyway."""
    if kind == TILE:
        return h * a > max_side or w * b > max_side
    if kind == UPSCALE:
        return h * a > max_side or w * a > max_side
    if kind == KRON:
        return h * h > max_side or w * w > max_side
    if kind == PAD:
        return h + 2 * a > max_side or w + 2 * a > max_side
    if kind == MIRROR_H or kind == MIRROR_V or kind == MIRROR_4:
        return (kind != MIRROR_H and 2 * h > max_side) or (kind != MIRROR_V and 2 * w > max_side)
    return False


@njit(cache=True)
def root_only(kind: int) -> bool:
    """Whether `expand` applies transforms of this kind to the root value only: the
    repairs (`repair_tiling`, `complete_symmetry` and its window), whose search for a period
    or for symmetries costs far more than an application of another kind, and which repair
    the task's own inputs (as icecuber applies insideMarked at depth 0 only)."""
    return REPAIR_TILING <= kind <= SYMMETRY_WINDOW


@njit(cache=True)
def leaves_unchanged(kind: int, a: int, b: int, c: int, palette: int) -> bool:
    """Whether transform (kind, a, b, c) provably returns every example of a value with these
    colours (bit set) unchanged, so its result is the value itself: a duplicate, which
    `expand` counts as applied without running the kernel."""
    if kind == REPLACE or kind == REMOVE_COLOR or kind == SYMMETRIZE_H or \
            kind == SYMMETRIZE_V or kind == TRIM:
        return _lacks(palette, a)
    if kind == SWAP_COLORS:
        return _lacks(palette, a) and _lacks(palette, b)
    if kind == KEEP_COLOR or kind == RECOLOR_ALL:
        return 0 <= a <= 9 and 0 <= b <= 9 and palette & ~((1 << a) | (1 << b)) == 0
    if kind == FILL_ROWS_WITH or kind == FILL_COLS_WITH:
        return _lacks(palette, a) or _lacks(palette, b)
    if kind == FILL_ENCLOSED:
        return _lacks(palette, b)
    if kind == GRAVITY or kind == CONNECT_SAME:
        return 0 <= a <= (3 if kind == GRAVITY else 2) and _lacks(palette, b)
    if kind == SMEAR:      # no bg cell to paint (and some non-bg cell: values are non-empty)
        return 0 <= a <= 7 and _lacks(palette, b)
    if kind == OUTLINE:
        return (c == 4 or c == 8) and _lacks(palette, b)
    if kind == HOLLOW:
        return palette & a == 0
    if kind == DENOISE:
        return 0 <= b <= 9 and palette & ~(1 << b) == 0
    if kind == PAINT_PARTS:    # no object to paint
        return 0 <= a < N_PARTS and 0 <= b <= 9 and 0 <= c <= 9 and palette & ~(1 << c) == 0
    return False


@njit(cache=True)
def _lacks(palette: int, colour: int) -> bool:
    """Whether `colour` (0..9; False for any other number) is missing from a bit set."""
    return 0 <= colour <= 9 and (palette >> colour) & 1 == 0


@njit(cache=True)
def shape_bounds(kind: int, a: int, b: int, c: int, h: int, w: int
                 ) -> tuple[int, int, int, int]:
    """(least height, greatest height, least width, greatest width) of the result of transform
    (kind, a, b, c) on an h x w grid whenever it succeeds: exact for the kinds whose result
    shape follows from the input's, bounds for the crops, picks and counts."""
    if kind == ROT90 or kind == ROT270 or kind == TRANSPOSE or kind == ANTITRANSPOSE:
        return w, w, h, h
    if kind == MIRROR_H or kind == MIRROR_V or kind == MIRROR_4:
        oh, ow = (h if kind == MIRROR_H else 2 * h), (w if kind == MIRROR_V else 2 * w)
        return oh, oh, ow, ow
    if kind == TILE or kind == UPSCALE or kind == KRON or kind == PAD:
        oh, ow = (h * a, w * b) if kind == TILE else \
            ((h * a, w * a) if kind == UPSCALE else
             ((h * h, w * w) if kind == KRON else (h + 2 * a, w + 2 * a)))
        return oh, oh, ow, ow
    if kind == DOWNSCALE or kind == DOWNSCALE_MODE:
        k = max(a, 1)
        return h // k, h // k, w // k, w // k
    if kind == REMOVE_BORDER:
        return h - 2, h - 2, w - 2, w - 2
    if kind == LEFT_HALF or kind == RIGHT_HALF:
        return h, h, w // 2, w // 2
    if kind == TOP_HALF or kind == BOTTOM_HALF:
        return h // 2, h // 2, w, w
    if kind == TRIM or kind == PICK_OBJECT or kind == PICK_SUBGRID or kind == COMPRESS or \
            kind == SYMMETRY_WINDOW or kind == PARTS_CROP:
        return 1, h, 1, w
    if kind == DEDUPE_ROWS:
        return 1, h, w, w
    if kind == DEDUPE_COLS:
        return h, h, 1, w
    if kind == MAJORITY_CELL:
        return 1, 1, 1, 1
    if kind == COLORS_COLUMN:
        return 1, 10, 1, 1
    if kind == COUNT_RENDER:
        return 1, (1 if c == RENDER_ROW else MAX_SIDE), 1, (1 if c == RENDER_COLUMN else MAX_SIDE)
    if 0 <= kind < N_KINDS:
        return h, h, w, w
    return 1, MAX_SIDE, 1, MAX_SIDE


@njit(cache=True)
def _may_fit(kind: int, a: int, b: int, c: int, heights: np.ndarray, widths: np.ndarray,
             node: int, t_hs: np.ndarray, t_ws: np.ndarray) -> bool:
    """Whether the transform's result on a node's value can be shaped like the train outputs
    (t_hs, t_ws: the first examples')."""
    for e in range(t_hs.shape[0]):
        lo_h, hi_h, lo_w, hi_w = shape_bounds(kind, a, b, c, heights[node, e],
                                              widths[node, e])
        if t_hs[e] < lo_h or t_hs[e] > hi_h or t_ws[e] < lo_w or t_ws[e] > hi_w:
            return False
    return True


@njit(cache=True)
def insert_root(pool: np.ndarray, offsets: np.ndarray, heights: np.ndarray,
                widths: np.ndarray, hashes: np.ndarray, palettes: np.ndarray, slots: np.ndarray,
                state: np.ndarray, offs: np.ndarray, hs: np.ndarray, ws: np.ndarray) -> None:
    """Store the root value already written at pool[offs] (aligned, zero-padded) as node 0."""
    words = pool.view(np.uint64)
    palettes[0] = _palette(pool, offs, hs, ws)
    x = _value_hash(words, offs, hs, ws)
    i = _lookup(slots, hashes, words, offsets, heights, widths, x, offs, hs, ws)
    offsets[0, :] = offs
    heights[0, :] = hs
    widths[0, :] = ws
    hashes[0] = x
    slots[i] = 1
    state[N_NODES] = 1


@njit(cache=True)
def _save(state: np.ndarray, n_nodes: int, calls: int, pool_top: int, status: int) -> int:
    """Write `expand`'s running counters back to the state vector; returns `status`."""
    state[N_NODES], state[CALLS], state[POOL_TOP] = n_nodes, calls, pool_top
    return status


@njit(cache=True)
def expand(table: np.ndarray, pool: np.ndarray, offsets: np.ndarray, heights: np.ndarray,
           widths: np.ndarray, parents: np.ndarray, via: np.ndarray, depths: np.ndarray,
           hashes: np.ndarray, palettes: np.ndarray, slots: np.ndarray, state: np.ndarray,
           matches: np.ndarray, targets: np.ndarray, t_offs: np.ndarray, t_hs: np.ndarray,
           t_ws: np.ndarray, max_depth: int, node_limit: int, call_limit: int,
           max_side: int, shaped_last_depth: bool) -> int:
    """Grow the closure breadth-first from state's cursor until every value of depth <
    max_depth is expanded (DONE), `call_limit` transform applications are counted
    (CALL_LIMIT), or node_limit / the pool is reached (FULL). Resumable from `state`.

    A value's palette is computed when it is first expanded (values of the last depth never
    are). With `shaped_last_depth`, a value of depth max_depth is kept only when it is shaped
    like the train outputs (it can match, or be a piece): an application whose result cannot
    be (`shape_bounds`) is counted without running, and one whose result on a train example
    is not stops there."""
    n_examples = offsets.shape[1]
    n_train = t_offs.shape[0]
    words = pool.view(np.uint64)
    work = _scratch()
    offs = np.zeros(n_examples, dtype=np.int64)
    hs = np.zeros(n_examples, dtype=np.int64)
    ws = np.zeros(n_examples, dtype=np.int64)
    mapping = np.zeros(10, dtype=np.int64)
    n_transforms = table.shape[0]
    reserve = n_examples * (MAX_CELLS + 8)
    n_nodes, calls, pool_top = state[N_NODES], state[CALLS], state[POOL_TOP]
    while state[CURSOR] < n_nodes:
        parent = state[CURSOR]
        if depths[parent] >= max_depth:
            return _save(state, n_nodes, calls, pool_top, DONE)
        for e in range(n_examples):
            offs[e], hs[e], ws[e] = offsets[parent, e], heights[parent, e], widths[parent, e]
        if palettes[parent] == 0:       # a value's palette is never empty: not computed yet
            palettes[parent] = _palette(pool, offs, hs, ws)
        palette = palettes[parent]
        last = shaped_last_depth and depths[parent] + 1 == max_depth
        for t in range(state[NEXT_TRANSFORM], n_transforms):
            if calls >= call_limit or n_nodes >= node_limit or \
                    pool_top + reserve > pool.shape[0]:
                state[NEXT_TRANSFORM] = t
                return _save(state, n_nodes, calls, pool_top,
                             CALL_LIMIT if calls >= call_limit else FULL)
            kind, a, b, c = table[t, 0], table[t, 1], table[t, 2], table[t, 3]
            if depths[parent] > 0 and root_only(kind):
                continue
            calls += 1
            if leaves_unchanged(kind, a, b, c, palette) or \
                    (last and not _may_fit(kind, a, b, c, heights, widths, parent, t_hs,
                                           t_ws)):
                continue
            pos = pool_top
            ok = True
            for e in range(n_examples):
                h, w = heights[parent, e], widths[parent, e]
                if grows_past(kind, a, b, h, w, max_side):
                    ok = False
                    break
                code = apply_kernel(kind, a, b, c, pool, offsets[parent, e], h, w, pool, pos,
                                    work)
                oh, ow = code >> 6, code & 63
                if code < 0 or oh > max_side or ow > max_side or \
                        (last and e < n_train and (oh != t_hs[e] or ow != t_ws[e])):
                    ok = False
                    break
                offs[e], hs[e], ws[e] = pos, oh, ow
                end = pos + oh * ow
                pos = _aligned(end)
                for k in range(end, pos):
                    pool[k] = 0
            if not ok:
                continue
            x = _value_hash(words, offs, hs, ws)
            slot = _lookup(slots, hashes, words, offsets, heights, widths, x, offs, hs, ws)
            if slot < 0:
                continue
            node = n_nodes
            for e in range(n_examples):
                offsets[node, e], heights[node, e], widths[node, e] = offs[e], hs[e], ws[e]
            parents[node], via[node], depths[node] = parent, t, depths[parent] + 1
            hashes[node] = x
            slots[slot] = node + 1
            n_nodes = node + 1
            pool_top = pos
            match = _match_kind(pool, offs, hs, ws, targets, t_offs, t_hs, t_ws, mapping)
            if match and state[N_MATCHES] < matches.shape[0]:
                matches[state[N_MATCHES], 0] = node
                matches[state[N_MATCHES], 1] = match
                state[N_MATCHES] += 1
        state[NEXT_TRANSFORM] = 0
        state[CURSOR] = parent + 1
    return _save(state, n_nodes, calls, pool_top, DONE)


def _flat(grids: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Grids laid out one after another, each starting on a multiple of 8 and zero-padded:
    (cells, offsets, heights, widths)."""
    slots = [(g.size + 7) // 8 * 8 for g in grids]
    offs = np.concatenate(([0], np.cumsum(slots)[:-1])).astype(np.int64)
    cells = np.zeros(sum(slots), dtype=np.uint8)
    for grid, start in zip(grids, offs):
        cells[start:start + grid.size] = np.ascontiguousarray(grid, dtype=np.uint8).ravel()
    return (cells, offs, np.array([g.shape[0] for g in grids], dtype=np.int64),
            np.array([g.shape[1] for g in grids], dtype=np.int64))


def _grown(arr: np.ndarray, rows: int) -> np.ndarray:
    """`arr` with its first axis extended to `rows` (zeros appended)."""
    out = np.zeros((rows,) + arr.shape[1:], dtype=arr.dtype)
    out[:arr.shape[0]] = arr
    return out


@dataclass
class Closure:
    """The closure of a root value (one grid per example) under a transform table.

    `run` expands it in chunks of `chunk_calls` transform applications, growing the arrays
    up to `max_nodes` values and `max_pool_bytes` cells, and yields the matches of each chunk
    as (node, EXACT | MAPPED) pairs in discovery (breadth-first) order.

    With `shaped_last_depth`, values of a run's last depth are kept only when shaped like the
    train outputs, and applications whose results cannot be are not run (see `expand`): the
    matches, and the values shaped like the outputs with their paths, are the same as without
    it, found sooner. Such a closure cannot then be run deeper than that depth."""

    roots: Sequence[np.ndarray]
    train_outputs: Sequence[np.ndarray]
    table: np.ndarray
    max_side: int = 30
    max_nodes: int = 2_000_000
    max_pool_bytes: int = 512 * 2 ** 20
    shaped_last_depth: bool = False
    state: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.n_examples = len(self.roots)
        self.capacity = 4096
        self.pool = np.zeros(max(2 ** 20, 4 * self.n_examples * MAX_CELLS), dtype=np.uint8)
        self.offsets = np.zeros((self.capacity, self.n_examples), dtype=np.int64)
        self.heights = np.zeros((self.capacity, self.n_examples), dtype=np.int64)
        self.widths = np.zeros((self.capacity, self.n_examples), dtype=np.int64)
        self.parents = np.full(self.capacity, -1, dtype=np.int64)
        self.via = np.full(self.capacity, -1, dtype=np.int64)
        self.depths = np.zeros(self.capacity, dtype=np.int64)
        self.hashes = np.zeros(self.capacity, dtype=np.uint64)
        self.palettes = np.zeros(self.capacity, dtype=np.int64)
        self.slots = np.zeros(2 * self.capacity, dtype=np.int64)
        self.state = np.zeros(STATE_SIZE, dtype=np.int64)
        self.matches = np.zeros((MATCH_CAPACITY, 2), dtype=np.int64)
        cells, offs, hs, ws = _flat(self.roots)
        self.pool[:cells.size] = cells
        self.state[POOL_TOP] = cells.size
        insert_root(self.pool, self.offsets, self.heights, self.widths, self.hashes,
                    self.palettes, self.slots, self.state, offs, hs, ws)
        self.targets, self.t_offs, self.t_hs, self.t_ws = _flat(self.train_outputs)
        self.deepest = sys.maxsize   # the greatest depth `run` may still reach

    @property
    def n_nodes(self) -> int:
        """Distinct values so far (the root included)."""
        return int(self.state[N_NODES])

    @property
    def calls(self) -> int:
        """Transform applications so far (each on every example)."""
        return int(self.state[CALLS])

    def depth_completed(self) -> int:
        """The largest depth d such that every value of depth < d has been expanded."""
        cursor = int(self.state[CURSOR])
        if cursor >= self.n_nodes:
            return int(self.depths[self.n_nodes - 1]) + 1
        return int(self.depths[cursor])

    def _grow(self) -> bool:
        """Make room for more nodes or cells; False when a limit forbids it."""
        grown = False
        if self.n_nodes >= self.capacity and self.capacity < self.max_nodes:
            self.capacity = min(2 * self.capacity, self.max_nodes)
            for name in ("offsets", "heights", "widths", "parents", "via", "depths", "hashes",
                         "palettes"):
                setattr(self, name, _grown(getattr(self, name), self.capacity))
            self.slots = np.zeros(2 * _power_of_two(self.capacity), dtype=np.int64)
            rehash(self.slots, self.hashes, self.n_nodes)
            grown = True
        needed = int(self.state[POOL_TOP]) + self.n_examples * (MAX_CELLS + 8)
        if needed > self.pool.size and self.pool.size < self.max_pool_bytes:
            self.pool = _grown(self.pool, min(2 * self.pool.size, self.max_pool_bytes))
            grown = True
        return grown

    def run(self, max_depth: int, call_limit: int, stop: Callable[[], bool],
            chunk_calls: int = 20_000) -> Iterator[list[tuple[int, int]]]:
        """Expand until DONE, `call_limit` calls in all, a full limit, or `stop()` (asked
        between chunks); yields each chunk's matches. With `shaped_last_depth`, a ValueError
        when `max_depth` is deeper than a previous run's."""
        if max_depth > self.deepest:
            raise ValueError(f"depth {max_depth}: this closure kept only the values shaped like "
                             f"the outputs at depth {self.deepest}")
        if self.shaped_last_depth:
            self.deepest = max_depth
        while not stop():
            limit = min(call_limit, self.calls + chunk_calls)
            status = expand(self.table, self.pool, self.offsets, self.heights, self.widths,
                            self.parents, self.via, self.depths, self.hashes, self.palettes,
                            self.slots, self.state, self.matches, self.targets, self.t_offs,
                            self.t_hs, self.t_ws, max_depth, min(self.capacity, self.max_nodes),
                            limit, self.max_side, self.shaped_last_depth)
            found = [(int(n), int(k)) for n, k in self.matches[:self.state[N_MATCHES]]]
            self.state[N_MATCHES] = 0
            yield found
            if status == DONE or (status == CALL_LIMIT and self.calls >= call_limit):
                return
            if status == FULL and not self._grow():
                return

    def grids(self, node: int) -> list[np.ndarray]:
        """The value of a node: one read-only grid per example."""
        out = []
        for e in range(self.n_examples):
            h, w = int(self.heights[node, e]), int(self.widths[node, e])
            start = int(self.offsets[node, e])
            grid = self.pool[start:start + h * w].reshape(h, w).copy()
            grid.setflags(write=False)
            out.append(grid)
        return out

    def path(self, node: int) -> list[int]:
        """Transform rows applied from the root to `node`, first first."""
        rows = []
        while node > 0:
            rows.append(int(self.via[node]))
            node = int(self.parents[node])
        return rows[::-1]


def _power_of_two(n: int) -> int:
    """The smallest power of two >= n."""
    return 1 << max(0, (n - 1).bit_length())
