"""Symmetry completion: find the mirror/rotation symmetries the known cells of a grid obey and
fill unknown (noise) cells from them.

A symmetry is x -> M x + t on (row, col) for one of six linear parts M (flip_h, flip_v,
transpose, antitranspose, rot180, rot90) and any translation t; mirrors exclude glides. A
candidate needs no conflict among known cells and at least `threshold` known pairs. Candidates
are enumerated in the order of an FFT correlation over translations (shift s = 0..h-1, then
the negative shifts), ranked by support (known pairs off fixed points) and then by how many
cells they map, and accepted greedily when propagation keeps every symmetry consistent.
"""
from __future__ import annotations

import numpy as np
from numba import njit

# (m00, m01, m10, m11) of each linear part, in the order candidates are tried.
LINEAR = np.array([[1, 0, 0, -1], [-1, 0, 0, 1], [0, 1, 1, 0], [0, -1, -1, 0],
                   [-1, 0, 0, -1], [0, 1, -1, 0]], dtype=np.int64)
MAX_SYMMETRIES = 16
OK = 0
NO_SYMMETRY = 1
NOTHING_FILLED = 2
NO_NOISE = 3


@njit(cache=True)
def _extent(a: int, b: int, h: int, w: int) -> tuple[int, int]:
    """(min, max) of a*r + b*c over the grid."""
    lo = min(0, a * (h - 1)) + min(0, b * (w - 1))
    hi = max(0, a * (h - 1)) + max(0, b * (w - 1))
    return lo, hi


@njit(cache=True)
def _overlap(lo: int, hi: int, n: int) -> int:
    return max(0, min(hi, n - 1) - max(lo, 0) + 1)


@njit(cache=True)
def _preimage(a: int, t: int, n_img: int, n_src: int) -> tuple[int, int]:
    """The x in 0..n_src-1 with 0 <= a*x + t < n_img (a is 1 or -1), as an inclusive range."""
    lo, hi = (-t, n_img - 1 - t) if a > 0 else (t - n_img + 1, t)
    return max(lo, 0), min(hi, n_src - 1)


@njit(cache=True)
def _scan(grid: np.ndarray, known: np.ndarray, m: np.ndarray, tr: int, tc: int
          ) -> tuple[int, int, int]:
    """(pairs, support, mapped) of x -> m x + t, or pairs = -1 on a conflict."""
    h, w = grid.shape
    if m[1] == 0:   # rows map to rows, columns to columns
        r0, r1 = _preimage(m[0], tr, h, h)
        c0, c1 = _preimage(m[3], tc, w, w)
    else:           # rows map to columns and columns to rows
        r0, r1 = _preimage(m[2], tc, w, h)
        c0, c1 = _preimage(m[1], tr, h, w)
    pairs, support, mapped = 0, 0, 0
    for r in range(r0, r1 + 1):
        for c in range(c0, c1 + 1):
            ir = m[0] * r + m[1] * c + tr
            ic = m[2] * r + m[3] * c + tc
            fixed = ir == r and ic == c
            mapped += not fixed
            if known[r, c] and known[ir, ic]:
                if grid[r, c] != grid[ir, ic]:
                    return -1, 0, 0
                pairs += 1
                support += not fixed
    return pairs, support, mapped


@njit(cache=True)
def candidates(grid: np.ndarray, known: np.ndarray, threshold: int) -> np.ndarray:
    """Rows (linear part, tr, tc) of the conflict-free symmetries with enough support, best
    supported first (then most cells mapped; ties in enumeration order)."""
    h, w = grid.shape
    found = np.empty((LINEAR.shape[0] * 4 * h * w, 5), dtype=np.int64)
    n = 0
    for k in range(LINEAR.shape[0]):
        m = LINEAR[k]
        involution = (m[0] * m[0] + m[1] * m[2] == 1 and m[0] * m[1] + m[1] * m[3] == 0
                      and m[2] * m[0] + m[3] * m[2] == 0 and m[2] * m[1] + m[3] * m[3] == 1)
        ou, hu = _extent(m[0], m[1], h, w)
        ov, hv = _extent(m[2], m[3], h, w)
        size_r, size_c = (hu - ou + 1) + h - 1, (hv - ov + 1) + w - 1
        for a in range(size_r):
            tr = (a if a < h else a - size_r) - ou
            for b in range(size_c):
                tc = (b if b < w else b - size_c) - ov
                if involution and ((m[0] + 1) * tr + m[1] * tc != 0
                                   or m[2] * tr + (m[3] + 1) * tc != 0):
                    continue
                area = _overlap(ou + tr, hu + tr, h) * _overlap(ov + tc, hv + tc, w)
                if area < threshold:
                    continue
                pairs, support, mapped = _scan(grid, known, m, tr, tc)
                if pairs >= threshold and support >= threshold:
                    found[n, 0], found[n, 1], found[n, 2] = support, mapped, k
                    found[n, 3], found[n, 4] = tr, tc
                    n += 1
    cells = h * w + 1
    keys = np.empty(n, dtype=np.int64)
    for i in range(n):
        keys[i] = (-found[i, 0] * cells - found[i, 1]) * (n + 1) + i
    order = np.argsort(keys)
    out = np.empty((n, 3), dtype=np.int64)
    for i in range(n):
        out[i, 0], out[i, 1], out[i, 2] = found[order[i], 2], found[order[i], 3], found[order[i], 4]
    return out


@njit(cache=True)
def _propagate(grid: np.ndarray, known: np.ndarray, maps: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """Copy known values along the maps into unknown cells until nothing changes (each map
    reads the cells known before it is applied)."""
    h, w = grid.shape
    vals, kn = grid.copy(), known.copy()
    take = np.empty((h * w, 4), dtype=np.int64)
    changed = True
    while changed:
        changed = False
        for j in range(maps.shape[0]):
            m = LINEAR[maps[j, 0]]
            n = 0
            for r in range(h):
                for c in range(w):
                    if kn[r, c]:
                        continue
                    ir = m[0] * r + m[1] * c + maps[j, 1]
                    ic = m[2] * r + m[3] * c + maps[j, 2]
                    if 0 <= ir < h and 0 <= ic < w and (ir != r or ic != c) and kn[ir, ic]:
                        take[n, 0], take[n, 1], take[n, 2], take[n, 3] = r, c, ir, ic
                        n += 1
            for i in range(n):
                vals[take[i, 0], take[i, 1]] = vals[take[i, 2], take[i, 3]]
                kn[take[i, 0], take[i, 1]] = True
            changed = changed or n > 0
    return vals, kn


@njit(cache=True)
def _agree(vals: np.ndarray, kn: np.ndarray, maps: np.ndarray) -> bool:
    """True when every map sends each known cell to a known cell of the same colour or an
    unknown one."""
    h, w = vals.shape
    for j in range(maps.shape[0]):
        m = LINEAR[maps[j, 0]]
        for r in range(h):
            for c in range(w):
                ir = m[0] * r + m[1] * c + maps[j, 1]
                ic = m[2] * r + m[3] * c + maps[j, 2]
                if 0 <= ir < h and 0 <= ic < w and (ir != r or ic != c) and kn[r, c] \
                        and kn[ir, ic] and vals[r, c] != vals[ir, ic]:
                    return False
    return True


@njit(cache=True)
def complete_symmetry(grid: np.ndarray, noise: int) -> tuple[int, np.ndarray]:
    """(status, grid): noise cells filled from the accepted symmetries; status OK, NO_NOISE
    (no cell is noise), NO_SYMMETRY (none accepted) or NOTHING_FILLED (grid unchanged)."""
    h, w = grid.shape
    known = np.empty((h, w), dtype=np.bool_)
    n_known = 0
    for r in range(h):
        for c in range(w):
            known[r, c] = grid[r, c] != noise
            n_known += known[r, c]
    if n_known == h * w:
        return NO_NOISE, grid.copy()
    found = candidates(grid, known, max(2, n_known // 4))
    accepted = np.empty((0, 3), dtype=np.int64)
    vals = grid.copy()
    for i in range(min(found.shape[0], MAX_SYMMETRIES)):
        trial = np.concatenate((accepted, found[i:i + 1]))
        new_vals, new_known = _propagate(grid, known, trial)
        if _agree(new_vals, new_known, trial):
            accepted, vals = trial, new_vals
    if accepted.shape[0] == 0:
        return NO_SYMMETRY, vals
    for r in range(h):
        for c in range(w):
            if vals[r, c] != grid[r, c]:
                return OK, vals
    return NOTHING_FILLED, vals
