"""Target-size functions over a closure's values, in native code (icecuber's embed, repeat,
mirror and broadcast to the predicted output size).

Each function maps a value's grid (h x w) to a grid of a target size (H x W), cell by cell:
along each axis an output index `i` reads the value's index `_source(kind, n, target, i)`, or
the background where that is -1. What each one means in the DSL (`synth.search.target_size`
builds the expressions; the parity tests hold the kernels to them):

- ORIGIN: `paint_grid_at(canvas(bg, H, W), v, point(0, 0))`, the value at the top-left corner
  (clipped when larger);
- CENTRE: the same at `point(div(sub(H, height(v)), 2), div(sub(W, width(v)), 2))`;
- TILE: `tile_to(v, H, W)`;
- MIRROR: `tile_to(mirror_4(v), H, W)`, copies flipped in turn;
- SCALE: `resize_to(v, canvas(bg, H, W))`, only where each axis scales by an integer factor.

`scan` checks every (value, function) pair of a node range against the train outputs, exact
or after one consistent colour map (as the closure's `_match_kind`), listing the two kinds of
match apart and skipping values already shaped like the outputs (the closure checks those
itself); `sized_pairs` lists the pairs valid on every train example and `render` writes their
grids for output by pieces.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from native.closure import EXACT, MAPPED, maps_onto

ORIGIN, CENTRE, TILE, MIRROR, SCALE = 0, 1, 2, 3, 4
N_FUNCTIONS = 5


@njit(cache=True)
def _source(kind: int, n: int, target: int, i: int) -> int:
    """The value's index read by output index `i` along one axis, or -1 for background."""
    if kind == ORIGIN:
        return i if i < n else -1
    if kind == CENTRE:
        s = i - (target - n) // 2
        return s if 0 <= s < n else -1
    if kind == TILE:
        return i % n
    if kind == MIRROR:
        s = i % (2 * n)
        return s if s < n else 2 * n - 1 - s
    if target % n == 0:
        return i // (target // n)
    return i * (n // target)


@njit(cache=True)
def valid(kind: int, h: int, w: int, height: int, width: int) -> bool:
    """Whether the function gives an H x W grid from an h x w one (SCALE needs factors)."""
    if kind != SCALE:
        return True
    return (height % h == 0 or h % height == 0) and (width % w == 0 or w % width == 0)


@njit(cache=True)
def _cell(pool: np.ndarray, offset: int, h: int, w: int, kind: int, height: int, width: int,
          r: int, c: int, bg: int) -> int:
    """Cell (r, c) of the sized grid."""
    sr = _source(kind, h, height, r)
    sc = _source(kind, w, width, c)
    if sr < 0 or sc < 0:
        return bg
    return pool[offset + sr * w + sc]


@njit(cache=True)
def _match(pool: np.ndarray, offs: np.ndarray, hs: np.ndarray, ws: np.ndarray, kind: int,
           targets: np.ndarray, t_offs: np.ndarray, t_hs: np.ndarray, t_ws: np.ndarray,
           bg: int, mapping: np.ndarray) -> int:
    """EXACT, MAPPED or 0 for one value under one function against the train outputs."""
    n_train = t_offs.shape[0]
    for e in range(n_train):
        if not valid(kind, hs[e], ws[e], t_hs[e], t_ws[e]):
            return 0
    mapping[:] = -1
    exact = True
    for e in range(n_train):
        for r in range(t_hs[e]):
            for c in range(t_ws[e]):
                v = _cell(pool, offs[e], hs[e], ws[e], kind, t_hs[e], t_ws[e], r, c, bg)
                t = targets[t_offs[e] + r * t_ws[e] + c]
                exact = exact and v == t
                if not maps_onto(mapping, v, t):
                    return 0
    return EXACT if exact else MAPPED


@njit(cache=True)
def _shaped(hs: np.ndarray, ws: np.ndarray, t_hs: np.ndarray, t_ws: np.ndarray) -> bool:
    """Whether a value is shaped like the train outputs on every train example."""
    for e in range(t_hs.shape[0]):
        if hs[e] != t_hs[e] or ws[e] != t_ws[e]:
            return False
    return True


@njit(cache=True)
def scan(pool: np.ndarray, offsets: np.ndarray, heights: np.ndarray, widths: np.ndarray,
         start: int, stop: int, kinds: np.ndarray, targets: np.ndarray, t_offs: np.ndarray,
         t_hs: np.ndarray, t_ws: np.ndarray, bg: int, exact: np.ndarray,
         mapped: np.ndarray) -> tuple[int, int]:
    """Match every function of `kinds` on the nodes start..stop-1 not shaped like the train
    outputs; writes the (node, kind) pairs of exact matches into `exact` and of colour-mapped
    ones into `mapped` (as many as each holds, in order) and returns how many of each."""
    mapping = np.empty(10, dtype=np.int64)
    n_exact = n_mapped = 0
    for node in range(start, stop):
        hs, ws = heights[node], widths[node]
        if _shaped(hs, ws, t_hs, t_ws):
            continue
        for k in range(kinds.shape[0]):
            kind = kinds[k]
            m = _match(pool, offsets[node], hs, ws, kind, targets, t_offs, t_hs, t_ws, bg,
                       mapping)
            if m == EXACT:
                if n_exact < exact.shape[0]:
                    exact[n_exact, 0] = node
                    exact[n_exact, 1] = kind
                n_exact += 1
            elif m == MAPPED:
                if n_mapped < mapped.shape[0]:
                    mapped[n_mapped, 0] = node
                    mapped[n_mapped, 1] = kind
                n_mapped += 1
    return n_exact, n_mapped


@njit(cache=True)
def sized_pairs(heights: np.ndarray, widths: np.ndarray, stop: int, kinds: np.ndarray,
                t_hs: np.ndarray, t_ws: np.ndarray, out: np.ndarray) -> int:
    """The (node, kind) pairs, nodes 0..stop-1 in order and not shaped like the train
    outputs, whose function is valid on every train example; as many as `out` holds."""
    count = 0
    for node in range(stop):
        if _shaped(heights[node], widths[node], t_hs, t_ws):
            continue
        for k in range(kinds.shape[0]):
            ok = True
            for e in range(t_hs.shape[0]):
                if not valid(kinds[k], heights[node, e], widths[node, e], t_hs[e], t_ws[e]):
                    ok = False
            if ok:
                if count == out.shape[0]:
                    return count
                out[count, 0] = node
                out[count, 1] = kinds[k]
                count += 1
    return count


@njit(cache=True)
def render(pool: np.ndarray, offsets: np.ndarray, heights: np.ndarray, widths: np.ndarray,
           pairs: np.ndarray, example: int, height: int, width: int, bg: int,
           out: np.ndarray) -> None:
    """The H x W grids of the (node, kind) `pairs` on one example, one row of `out` each
    (the pairs must be valid there)."""
    for p in range(pairs.shape[0]):
        node, kind = pairs[p, 0], pairs[p, 1]
        h, w, offset = heights[node, example], widths[node, example], offsets[node, example]
        for r in range(height):
            for c in range(width):
                out[p, r * width + c] = _cell(pool, offset, h, w, kind, height, width, r, c, bg)


def sized_grid(grid: np.ndarray, kind: int, height: int, width: int, bg: int) -> np.ndarray:
    """One grid under one function (for tests and single values)."""
    flat = np.ascontiguousarray(grid, dtype=np.uint8).ravel()
    h, w = grid.shape
    out = np.zeros((1, height * width), dtype=np.uint8)
    render(flat, np.zeros((1, 1), dtype=np.int64), np.array([[h]], dtype=np.int64),
           np.array([[w]], dtype=np.int64), np.array([[0, kind]], dtype=np.int64), 0,
           height, width, bg, out)
    return out.reshape(height, width)
