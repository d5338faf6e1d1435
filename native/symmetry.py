"""Symmetry completion: find the mirror/rotation symmetries the known cells of a grid obey and
fill unknown (noise) cells from them.

A symmetry is x -> M x + t on (row, col) for one of six linear parts M (flip_h, flip_v,
transpose, antitranspose, rot180, rot90) and any translation t; mirrors exclude glides. A
candidate needs no conflict among known cells and at least `threshold` known pairs. Candidates
are enumerated in the order of an FFT correlation over translations (shift s = 0..h-1, then
the negative shifts), ranked by support (known pairs off fixed points) and then by how many
cells they map, and accepted greedily when propagation keeps every symmetry consistent.

Only the best MAX_SYMMETRIES candidates are ever tried, so the search scans translations in
decreasing order of a bound on their support (the known cells on either side of the overlap,
from prefix sums) and stops when no unscanned one can enter; a scan reads both sides row by
row (the image side pre-turned so that rows align) or, when known cells are sparse, visits
the known cells alone. `dsl.primitives.patterns.complete_symmetry` is the reference.
"""
from __future__ import annotations

import numpy as np
from numba import njit

# (m00, m01, m10, m11) of each linear part, in the order candidates are tried.
LINEAR = np.array([[1, 0, 0, -1], [-1, 0, 0, 1], [0, 1, 1, 0], [0, -1, -1, 0],
                   [-1, 0, 0, -1], [0, 1, -1, 0]], dtype=np.int64)
MAX_SYMMETRIES = 16
SPARSE = 4   # scan the known cells alone when they are under 1 / SPARSE of the overlap
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
def _codes(grid: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Each cell's colour where it is known, -1 where it is not."""
    h, w = grid.shape
    out = np.empty((h, w), dtype=np.int16)
    for r in range(h):
        for c in range(w):
            out[r, c] = grid[r, c] if known[r, c] else -1
    return out


@njit(cache=True)
def _turned(codes: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, int, int]:
    """(T, o0, o1) with T[y] = codes[m y + o] for every cell: the image of x under
    x -> m x + t is then T[x + s] with s = m^T (t - o), so a scan reads both arrays row by row."""
    h, w = codes.shape
    ht, wt = (h, w) if m[1] == 0 else (w, h)
    o0 = -(min(0, m[0] * (ht - 1)) + min(0, m[1] * (wt - 1)))
    o1 = -(min(0, m[2] * (ht - 1)) + min(0, m[3] * (wt - 1)))
    out = np.empty((ht, wt), dtype=np.int16)
    for y0 in range(ht):
        for y1 in range(wt):
            out[y0, y1] = codes[m[0] * y0 + m[1] * y1 + o0, m[2] * y0 + m[3] * y1 + o1]
    return out, o0, o1


@njit(cache=True)
def _known_sums(codes: np.ndarray) -> np.ndarray:
    """Prefix sums of the known cells: sums[r, c] counts those above and left of (r, c)."""
    h, w = codes.shape
    sums = np.zeros((h + 1, w + 1), dtype=np.int64)
    for r in range(h):
        for c in range(w):
            sums[r + 1, c + 1] = sums[r, c + 1] + sums[r + 1, c] - sums[r, c] + (codes[r, c] >= 0)
    return sums


@njit(cache=True)
def _count(sums: np.ndarray, r0: int, r1: int, c0: int, c1: int) -> int:
    """Known cells in rows r0..r1 and columns c0..c1 (inclusive; 0 when empty)."""
    if r0 > r1 or c0 > c1:
        return 0
    return sums[r1 + 1, c1 + 1] - sums[r0, c1 + 1] - sums[r1 + 1, c0] + sums[r0, c0]


@njit(cache=True)
def _fixed_span(m: np.ndarray, tr: int, tc: int, r: int, c0: int, c1: int) -> tuple[int, int]:
    """The columns lo..hi (within c0..c1; empty when lo > hi) of row r that x -> m x + t
    fixes: (m0 - 1) r + m1 c + tr = 0 and m2 r + (m3 - 1) c + tc = 0."""
    lo, hi = c0, c1
    rest = (m[0] - 1) * r + tr
    if m[1] == 0:
        if rest != 0:
            return 1, 0
    else:
        lo, hi = max(lo, -m[1] * rest), min(hi, -m[1] * rest)
    rest = m[2] * r + tc
    slope = m[3] - 1
    if slope == 0:
        if rest != 0:
            return 1, 0
    elif rest % slope != 0:
        return 1, 0
    else:
        lo, hi = max(lo, -rest // slope), min(hi, -rest // slope)
    return lo, hi


@njit(cache=True)
def _dense_pairs(codes: np.ndarray, turned: np.ndarray, s: tuple[int, int],
                 box: tuple[int, int, int, int]) -> int:
    """Known pairs (x, image of x) over the cells of `box` (r0, r1, c0, c1), the image of x
    being turned[x + s], read row by row; -1 on a pair of different colours."""
    r0, r1, c0, c1 = box
    pairs = 0
    for r in range(r0, r1 + 1):
        row, image = codes[r], turned[r + s[0]]
        both, bad = 0, False
        for c in range(c0, c1 + 1):
            u, v = row[c], image[c + s[1]]
            known = (u >= 0) & (v >= 0)
            both += known
            bad |= known & (u != v)
        if bad:
            return -1
        pairs += both
    return pairs


@njit(cache=True)
def _sparse_pairs(codes: np.ndarray, cells: np.ndarray, starts: np.ndarray, m: np.ndarray,
                  t: tuple[int, int], box: tuple[int, int, int, int]) -> int:
    """`_dense_pairs` from the known cells of the box alone: `cells` lists the known cells in
    reading order and `starts[r]` is the first of row r."""
    r0, r1, c0, c1 = box
    pairs = 0
    for i in range(starts[r0], starts[r1 + 1]):
        r, c = cells[i, 0], cells[i, 1]
        if c < c0 or c > c1:
            continue
        v = codes[m[0] * r + m[1] * c + t[0], m[2] * r + m[3] * c + t[1]]
        if v >= 0:
            if v != codes[r, c]:
                return -1
            pairs += 1
    return pairs


@njit(cache=True)
def _known_cells(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(cells, starts): the known cells' (row, col) in reading order, and where each row's
    cells start (starts[h] is their number)."""
    h, w = codes.shape
    cells = np.empty((h * w, 2), dtype=np.int64)
    starts = np.empty(h + 1, dtype=np.int64)
    n = 0
    for r in range(h):
        starts[r] = n
        for c in range(w):
            if codes[r, c] >= 0:
                cells[n, 0], cells[n, 1] = r, c
                n += 1
    starts[h] = n
    return cells, starts


@njit(cache=True)
def _fixed(sums: np.ndarray, m: np.ndarray, t: tuple[int, int],
           box: tuple[int, int, int, int]) -> tuple[int, int]:
    """(cells, known cells) of the box that x -> m x + t fixes."""
    r0, r1, c0, c1 = box
    fixed, fixed_known = 0, 0
    for r in range(r0, r1 + 1):
        lo, hi = _fixed_span(m, t[0], t[1], r, c0, c1)
        if lo <= hi:
            fixed += hi - lo + 1
            fixed_known += _count(sums, r, r, lo, hi)
    return fixed, fixed_known


@njit(cache=True)
def _box(m: np.ndarray, tr: int, tc: int, h: int, w: int) -> tuple[int, int, int, int]:
    """(r0, r1, c0, c1): the cells x whose image m x + t lies in the grid."""
    if m[1] == 0:   # rows map to rows, columns to columns
        r0, r1 = _preimage(m[0], tr, h, h)
        c0, c1 = _preimage(m[3], tc, w, w)
    else:           # rows map to columns and columns to rows
        r0, r1 = _preimage(m[2], tc, w, h)
        c0, c1 = _preimage(m[1], tr, h, w)
    return r0, r1, c0, c1


@njit(cache=True)
def _translations(codes: np.ndarray, sums: np.ndarray, turned: np.ndarray, threshold: int
                  ) -> np.ndarray:
    """Rows (bound, k, tr, tc, s0, s1, r0, r1, c0, c1, source), in enumeration order, of the
    translations worth a scan: no glide, and the known cells on each side of the overlap
    (`source` in the box r0..r1, c0..c1 of cells with an image; their fewer number bounds
    the pairs, so the support) reach `threshold`. `turned[k]` receives each linear part's
    turned codes."""
    h, w = codes.shape
    rows = np.empty((LINEAR.shape[0] * 4 * h * w, 11), dtype=np.int64)
    n = 0
    for k in range(LINEAR.shape[0]):
        m = LINEAR[k]
        involution = (m[0] * m[0] + m[1] * m[2] == 1 and m[0] * m[1] + m[1] * m[3] == 0
                      and m[2] * m[0] + m[3] * m[2] == 0 and m[2] * m[1] + m[3] * m[3] == 1)
        image, o0, o1 = _turned(codes, m)
        turned[k, :image.shape[0], :image.shape[1]] = image
        image_sums = _known_sums(image)
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
                if _overlap(ou + tr, hu + tr, h) * _overlap(ov + tc, hv + tc, w) < threshold:
                    continue
                r0, r1, c0, c1 = _box(m, tr, tc, h, w)
                s0 = m[0] * (tr - o0) + m[2] * (tc - o1)
                s1 = m[1] * (tr - o0) + m[3] * (tc - o1)
                source = _count(sums, r0, r1, c0, c1)
                bound = min(source, _count(image_sums, r0 + s0, r1 + s0, c0 + s1, c1 + s1))
                if bound >= threshold:
                    rows[n, 0], rows[n, 1], rows[n, 2], rows[n, 3] = bound, k, tr, tc
                    rows[n, 4], rows[n, 5], rows[n, 6] = s0, s1, r0
                    rows[n, 7], rows[n, 8], rows[n, 9], rows[n, 10] = r1, c0, c1, source
                    n += 1
    return rows[:n]


@njit(cache=True)
def _rank(best: np.ndarray, n: int, support: int, mapped: int, index: int) -> None:
    """Insert (support, mapped, index) into the first n rows of `best`, kept best first
    (most support, then most mapped, then lowest index); row n receives the one pushed out."""
    j = n
    while j > 0 and (best[j - 1, 0] < support or (best[j - 1, 0] == support and (
            best[j - 1, 1] < mapped or (best[j - 1, 1] == mapped and best[j - 1, 2] > index)))):
        best[j] = best[j - 1]
        j -= 1
    best[j, 0], best[j, 1], best[j, 2] = support, mapped, index


@njit(cache=True)
def candidates(grid: np.ndarray, known: np.ndarray, threshold: int, limit: int) -> np.ndarray:
    """Rows (linear part, tr, tc) of the first `limit` conflict-free symmetries with enough
    support, best supported first (then most cells mapped; ties in enumeration order).
    Translations are scanned in decreasing order of their support bound, stopping once the
    bound falls below the support of the `limit`-th best found."""
    h, w = grid.shape
    codes = _codes(grid, known)
    sums = _known_sums(codes)
    turned = np.empty((LINEAR.shape[0], max(h, w), max(h, w)), dtype=np.int16)
    rows = _translations(codes, sums, turned, threshold)
    cells, starts = _known_cells(codes)
    best = np.empty((max(limit, 0) + 1, 3), dtype=np.int64)   # support, mapped, row
    n = 0
    for i in np.argsort(-rows[:, 0]):
        if n >= limit and (n == 0 or rows[i, 0] < best[n - 1, 0]):
            break
        m, t = LINEAR[rows[i, 1]], (rows[i, 2], rows[i, 3])
        box = (rows[i, 6], rows[i, 7], rows[i, 8], rows[i, 9])
        area = (box[1] - box[0] + 1) * (box[3] - box[2] + 1)
        if rows[i, 10] * SPARSE < area:
            pairs = _sparse_pairs(codes, cells, starts, m, t, box)
        else:
            pairs = _dense_pairs(codes, turned[rows[i, 1]], (rows[i, 4], rows[i, 5]), box)
        fixed, fixed_known = _fixed(sums, m, t, box)
        if pairs >= threshold and pairs - fixed_known >= threshold:
            _rank(best, n, pairs - fixed_known, area - fixed, i)
            n = min(n + 1, limit)
    out = np.empty((n, 3), dtype=np.int64)
    for j in range(n):
        out[j] = rows[best[j, 2], 1:4]
    return out


@njit(cache=True)
def _fill_onto(vals: np.ndarray, kn: np.ndarray, m: np.ndarray, tr: int, tc: int, yr: int,
               yc: int, queue: np.ndarray, tail: int) -> int:
    """Give the colour of the known cell y to the unknown cell x with m x + t = y, if any
    (queued); the new queue length."""
    h, w = vals.shape
    dr, dc = yr - tr, yc - tc
    xr, xc = m[0] * dr + m[2] * dc, m[1] * dr + m[3] * dc   # m^-1 = m^T
    if 0 <= xr < h and 0 <= xc < w and not kn[xr, xc]:
        vals[xr, xc] = vals[yr, yc]
        kn[xr, xc] = True
        queue[tail] = xr * w + xc
        tail += 1
    return tail


@njit(cache=True)
def _close(vals: np.ndarray, kn: np.ndarray, maps: np.ndarray, queue: np.ndarray) -> int:
    """Fill unknown cells along the maps, in place, until no map sends an unknown cell onto a
    known one; the state must already be closed under all maps but the last. Returns how many
    cells were filled (listed, as r * w + c, at the start of `queue`).

    When the result agrees (`_agree`), the colours do not depend on the order of the fills
    (each filled cell equals the cell it copied, and agreement keeps every such pair equal),
    so this worklist gives what a round-by-round propagation from the grid would."""
    h, w = vals.shape
    last = maps.shape[0] - 1
    tail = 0
    for r in range(h):          # only the new map can fill a cell at first
        for c in range(w):
            if kn[r, c]:
                tail = _fill_onto(vals, kn, LINEAR[maps[last, 0]], maps[last, 1],
                                  maps[last, 2], r, c, queue, tail)
    head = 0
    while head < tail:          # then any map, onto the cells just filled
        yr, yc = queue[head] // w, queue[head] % w
        head += 1
        for j in range(maps.shape[0]):
            tail = _fill_onto(vals, kn, LINEAR[maps[j, 0]], maps[j, 1], maps[j, 2], yr, yc,
                              queue, tail)
    return tail


@njit(cache=True)
def _differ(vals: np.ndarray, kn: np.ndarray, ar: int, ac: int, br: int, bc: int) -> bool:
    """True when cell b is in the grid and both cells are known with different colours."""
    h, w = vals.shape
    return 0 <= br < h and 0 <= bc < w and kn[ar, ac] and kn[br, bc] \
        and vals[ar, ac] != vals[br, bc]


@njit(cache=True)
def _agree(vals: np.ndarray, kn: np.ndarray, maps: np.ndarray, filled: np.ndarray,
           n_filled: int) -> bool:
    """True when every map sends each known cell to a known cell of the same colour or an
    unknown one, given that all maps but the last agreed before the `n_filled` cells listed
    in `filled` were filled (so only pairs holding one of those need a look for them)."""
    h, w = vals.shape
    last = maps.shape[0] - 1
    m, tr, tc = LINEAR[maps[last, 0]], maps[last, 1], maps[last, 2]
    r0, r1, c0, c1 = _box(m, tr, tc, h, w)
    for r in range(r0, r1 + 1):
        for c in range(c0, c1 + 1):
            if _differ(vals, kn, r, c, m[0] * r + m[1] * c + tr, m[2] * r + m[3] * c + tc):
                return False
    for i in range(n_filled):
        r, c = filled[i] // w, filled[i] % w
        for j in range(last):
            m, tr, tc = LINEAR[maps[j, 0]], maps[j, 1], maps[j, 2]
            dr, dc = r - tr, c - tc
            if _differ(vals, kn, r, c, m[0] * r + m[1] * c + tr, m[2] * r + m[3] * c + tc) \
                    or _differ(vals, kn, r, c, m[0] * dr + m[2] * dc, m[1] * dr + m[3] * dc):
                return False
    return True


@njit(cache=True)
def complete_symmetry(grid: np.ndarray, noise: int) -> tuple[int, np.ndarray]:
    """(status, grid): noise cells filled from the accepted symmetries; status OK, NO_NOISE
    (no cell is noise), NO_SYMMETRY (none accepted) or NOTHING_FILLED (grid unchanged).
    A candidate is accepted when closing the accepted state under it and the accepted maps
    keeps every map in agreement (the same closure as from the grid itself)."""
    h, w = grid.shape
    known = np.empty((h, w), dtype=np.bool_)
    n_known = 0
    for r in range(h):
        for c in range(w):
            known[r, c] = grid[r, c] != noise
            n_known += known[r, c]
    if n_known == h * w:
        return NO_NOISE, grid.copy()
    found = candidates(grid, known, max(2, n_known // 4), MAX_SYMMETRIES)
    accepted = np.empty((0, 3), dtype=np.int64)
    vals = grid.copy()
    queue = np.empty(h * w, dtype=np.int64)
    for i in range(found.shape[0]):
        trial = np.concatenate((accepted, found[i:i + 1]))
        new_vals, new_known = vals.copy(), known.copy()
        n_filled = _close(new_vals, new_known, trial, queue)
        if _agree(new_vals, new_known, trial, queue, n_filled):
            accepted, vals, known = trial, new_vals, new_known
    if accepted.shape[0] == 0:
        return NO_SYMMETRY, vals
    for r in range(h):
        for c in range(w):
            if vals[r, c] != grid[r, c]:
                return OK, vals
    return NOTHING_FILLED, vals
