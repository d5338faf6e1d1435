"""Patterns: periods and tilings, continuing a band periodically, symmetry completion,
gravity, denoising, grid combinators, local rules, sweep rules.

Directions are Ints: 0 up, 1 right, 2 down, 3 left. A `noise` colour marks unknown cells
that repair_tiling and complete_symmetry fill from the cells a period or symmetry relates
them to. A local rule rewrites cells by their neighbourhood code (`neighbourhood_codes`: the
cell's colour and its neighbours', in one of `LOCAL_RULE_KINDS` featurisations), the table
learned by `synth.search.local_rules`. A sweep rule rewrites the grid one line at a time in
the direction of the sweep, each cell by its own colour and the already rewritten cells of the
line before it (`sweep_keys`: colours written as roles, background, edge, or the first, second...
other colour met), the table learned by `synth.search.sweep_rules`.
"""
from __future__ import annotations

from collections import Counter, deque
from functools import cache

import numpy as np

from dsl.errors import EvalError
from dsl.registry import primitive
from dsl.values import Grid, Object, Point, as_grid, near_grid

_STEPS: tuple[tuple[int, int], ...] = (
    (-1, 0), (0, 1), (1, 0), (0, -1), (-1, 1), (1, 1), (1, -1), (-1, -1),
)
_DIRS4 = (0, 1, 2, 3)
_MAX_SYMMETRIES = 16   # candidate symmetries complete_symmetry tries, best supported first

# Linear parts (2x2 integer matrices on (row, col)) of the symmetries complete_symmetry tries;
# a symmetry is x -> M x + t for any translation t that keeps reflections involutions.
_SYMMETRIES: tuple[np.ndarray, ...] = tuple(np.array(m) for m in (
    [[1, 0], [0, -1]],    # flip_h (left-right mirror about some column axis)
    [[-1, 0], [0, 1]],    # flip_v (top-bottom mirror about some row axis)
    [[0, 1], [1, 0]],     # transpose (mirror in a main diagonal)
    [[0, -1], [-1, 0]],   # antitranspose (mirror in an anti-diagonal)
    [[-1, 0], [0, -1]],   # rot180 about some centre
    [[0, 1], [-1, 0]],    # rot90 about some centre
))


def _direction4(direction: int) -> tuple[int, int]:
    if direction not in _DIRS4:
        raise EvalError(f"direction {direction} is not in 0..3")
    return _STEPS[direction]


def _same_shape(a: Grid, b: Grid) -> None:
    if a.shape != b.shape:
        raise EvalError(f"grid shapes differ: {a.shape} vs {b.shape}")


def _period(items: np.ndarray) -> int:
    """The smallest p with items[i] == items[i - p] for all i >= p (len(items) if none)."""
    n = items.shape[0]
    for p in range(1, n):
        if np.array_equal(items[p:], items[:-p]):
            return p
    return n


@primitive("(Grid) -> Int", kernel="period_h",
           example="period_h([[1, 2, 1, 2, 1]]) == 2")
def period_h(grid: Grid) -> int:
    """The smallest horizontal period: column j equals column j - p for every j >= p."""
    return _period(grid.T)


@primitive("(Grid) -> Int", kernel="period_v",
           example="period_v([[1], [2], [1], [2]]) == 2")
def period_v(grid: Grid) -> int:
    """The smallest vertical period: row i equals row i - p for every i >= p."""
    return _period(grid)


def _band_period(band: np.ndarray) -> int:
    """The period a band of rows (or a line's cells) repeats with: its smallest period whose
    repeat at least two rows witness (the band's whole extent otherwise)."""
    n = band.shape[0]
    p = _period(band)
    return p if p + 2 <= n else n


def _continue_rows(grid: np.ndarray, bg: int) -> np.ndarray:
    rows = np.nonzero((grid != bg).any(axis=1))[0]
    if rows.size == 0:
        raise EvalError("no pattern to continue: the grid is all background")
    r0, r1 = int(rows[0]), int(rows[-1]) + 1
    period = _band_period(grid[r0:r1])
    return grid[r0 + (np.arange(grid.shape[0]) - r0) % period]


def _continue_lines(grid: np.ndarray, bg: int) -> np.ndarray:
    """Each row whose non-bg cells number two or more, its span continued along the row."""
    out = grid.copy()
    for r in range(grid.shape[0]):
        cols = np.nonzero(grid[r] != bg)[0]
        if cols.size < 2:
            continue
        c0 = int(cols[0])
        span = grid[r, c0:int(cols[-1]) + 1]
        out[r] = span[(np.arange(grid.shape[1]) - c0) % _band_period(span)]
    return out


@primitive("(Grid, Int, Color) -> Grid", domains={"axis": (0, 1, 2)}, kernel="continue_pattern",
           example="continue_pattern([[0, 0], [1, 2], [3, 4], [0, 0]], 0) == "
                   "[[3, 4], [1, 2], [3, 4], [1, 2]]")
def continue_pattern(grid: Grid, axis: int, bg: int = 0) -> Grid:
    """Continue the non-bg pattern periodically over the grid: axis 0 repeats the band of rows
    holding it up and down, axis 1 the band of columns left and right, axis 2 continues each
    row's and each column's own span (of two or more non-bg cells) along its line, the rows'
    cells first. The period is the smallest one two rows (columns, cells) witness, else the
    whole band or span, which keeps its place."""
    if axis == 0:
        return as_grid(_continue_rows(grid, bg))
    if axis == 1:
        return as_grid(_continue_rows(grid.T, bg).T)
    if axis == 2:
        rows, cols = _continue_lines(grid, bg), _continue_lines(grid.T, bg).T
        return as_grid(np.where(rows == bg, cols, rows))
    raise EvalError(f"axis must be 0, 1 or 2, got {axis}")


@cache
def _tile_shapes(h: int, w: int) -> tuple[tuple[int, int], ...]:
    shapes = [(a, b) for a in range(1, h + 1) for b in range(1, w + 1) if (a, b) != (h, w)]
    return tuple(sorted(shapes, key=lambda s: (s[0] * s[1], s)))


def _class_counts(cells: tuple[np.ndarray, np.ndarray, np.ndarray], pr: int, pc: int
                  ) -> np.ndarray | None:
    """Colour counts of the known cells per (row mod pr, col mod pc) class; None on a clash."""
    rows, cols, values = cells
    cls = (rows % pr) * pc + cols % pc
    counts = np.bincount(cls * 10 + values, minlength=pr * pc * 10).reshape(pr * pc, 10)
    return None if ((counts > 0).sum(axis=1) > 1).any() else counts


@primitive("(Grid, Color) -> Grid", kernel="repair_tiling",
           example="repair_tiling([[1, 2, 1, 2], [3, 4, 0, 4]], 0) == [[1, 2, 1, 2], [3, 4, 3, 4]]")
def repair_tiling(grid: Grid, noise: int) -> Grid:
    """Fill `noise` cells from the smallest 2-D period consistent with the other cells."""
    h, w = grid.shape
    known = grid != noise
    cells = (*np.nonzero(known), grid[known].astype(np.intp))
    # (pr, pc) fits only if (pr, w) and (h, pc) do (their classes are subsets of its classes)
    row_ok = {pr for pr in range(1, h + 1) if _class_counts(cells, pr, w) is not None}
    col_ok = {pc for pc in range(1, w + 1) if _class_counts(cells, h, pc) is not None}
    every_r, every_c = np.indices((h, w))
    for pr, pc in _tile_shapes(h, w):
        if pr not in row_ok or pc not in col_ok or (counts := _class_counts(cells, pr, pc)) is None:
            continue
        all_cls = (every_r % pr) * pc + every_c % pc
        has = counts.sum(axis=1) > 0
        fill = counts.argmax(axis=1)
        return as_grid(np.where(~known & has[all_cls], fill[all_cls], grid))
    raise EvalError("no period smaller than the grid fits")


def _correlations(onehot: np.ndarray, spectrum: np.ndarray, m: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, Point]:
    """For x -> m x + t at every t (FFT correlation): known pairs, same-colour pairs, offset.

    `onehot[0]` marks the known cells, `onehot[1:]` the cells of each colour, `spectrum` is
    their rfft2 at `_fft_size`; the counts are indexed by t + offset, wrapping negative indices.
    """
    _, h, w = onehot.shape
    u, v = np.tensordot(m, np.indices((h, w)), axes=1)
    ou, ov = int(u.min()), int(v.min())
    moved = np.zeros((onehot.shape[0], int(u.max()) - ou + 1, int(v.max()) - ov + 1))
    moved[:, u - ou, v - ov] = onehot
    size = _fft_size(h, w)
    corr = np.fft.irfft2(np.conj(np.fft.rfft2(moved, size)) * spectrum, size)
    corr = np.rint(corr).astype(np.int64)
    return corr[0], corr[1:].sum(axis=0), (ou, ov)


_FAST_SIZES = (1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 18, 20, 24, 25, 27, 30, 32, 36, 40, 45,
               48, 50, 54, 60, 64)


def _fft_size(h: int, w: int) -> tuple[int, int]:
    """A fast FFT size >= 2 max(h, w) - 1 on both axes (no wrap-around between shifts)."""
    need = 2 * max(h, w) - 1
    n = next((k for k in _FAST_SIZES if k >= need), need)
    return n, n


_Map = tuple[int, np.ndarray, np.ndarray, np.ndarray]   # support, image rows, cols, valid


def _symmetry_maps(grid: Grid, known: np.ndarray, threshold: int) -> list[_Map]:
    """Symmetries x -> m x + t with no conflict among known cells, best supported first."""
    h, w = grid.shape
    idx = np.indices((h, w))
    onehot = np.stack([known] + [known & (grid == c) for c in np.unique(grid[known])])
    onehot = onehot.astype(float)
    spectrum = np.fft.rfft2(onehot, _fft_size(h, w))
    found: list[_Map] = []
    for m in _SYMMETRIES:
        involution = np.array_equal(m @ m, np.eye(2, dtype=int))
        pairs, same, (ou, ov) = _correlations(onehot, spectrum, m)
        for a, b in zip(*np.nonzero((pairs == same) & (pairs >= threshold))):
            t = np.array([(a if a < h else a - pairs.shape[0]) - ou,
                          (b if b < w else b - pairs.shape[1]) - ov])
            if involution and ((m + np.eye(2, dtype=int)) @ t).any():
                continue   # a glide, not a mirror
            img = np.tensordot(m, idx, axes=1) + t[:, None, None]
            valid = ((img[0] >= 0) & (img[0] < h) & (img[1] >= 0) & (img[1] < w)
                     & ((img[0] != idx[0]) | (img[1] != idx[1])))
            r, c = np.where(valid, img[0], 0), np.where(valid, img[1], 0)
            support = int((valid & known & known[r, c]).sum())
            if support >= threshold:
                found.append((support, r, c, valid))
    found.sort(key=lambda f: (-f[0], -int(f[3].sum())))   # best supported, then most central
    return found


def _propagate(vals: np.ndarray, known: np.ndarray, maps: list[_Map]
               ) -> tuple[np.ndarray, np.ndarray]:
    """Copy known values along the maps into unknown cells until nothing changes."""
    vals, known = vals.copy(), known.copy()
    changed = True
    while changed:
        changed = False
        for _, r, c, valid in maps:
            take = valid & ~known & known[r, c]
            if take.any():
                vals[take] = vals[r[take], c[take]]
                known |= take
                changed = True
    return vals, known


def _agree(vals: np.ndarray, known: np.ndarray, maps: list[_Map]) -> bool:
    """True when every map sends each known cell to a cell of the same colour (or unknown)."""
    for _, r, c, valid in maps:
        both = valid & known & known[r, c]
        if not np.array_equal(vals[both], vals[r[both], c[both]]):
            return False
    return True


@primitive("(Grid, Color) -> Grid", kernel="complete_symmetry",
           example="complete_symmetry([[1, 2, 0, 1]], 0) == [[1, 2, 2, 1]]")
def complete_symmetry(grid: Grid, noise: int) -> Grid:
    """Fill `noise` cells from mirror/rotation symmetries (any axis or centre) the rest obeys."""
    known = grid != noise
    if known.all():
        raise EvalError("no noise cell to fill")
    threshold = max(2, int(known.sum()) // 4)
    accepted: list[_Map] = []
    vals = np.array(grid)
    for cand in _symmetry_maps(grid, known, threshold)[:_MAX_SYMMETRIES]:
        new_vals, new_filled = _propagate(np.array(grid), known, accepted + [cand])
        if _agree(new_vals, new_filled, accepted + [cand]):
            accepted.append(cand)
            vals = new_vals
    if not accepted:
        raise EvalError("no symmetry fits the grid")
    if np.array_equal(vals, grid):
        raise EvalError("no noise cell could be filled")
    return as_grid(vals)



@primitive("(Grid) -> Bool", kernel="is_symmetric_h", example="is_symmetric_h([[1, 2, 1]]) == True")
def is_symmetric_h(grid: Grid) -> bool:
    """True when the grid equals its left-right mirror."""
    return bool(np.array_equal(grid, grid[:, ::-1]))


@primitive("(Grid) -> Bool", kernel="is_symmetric_v", example="is_symmetric_v([[1], [2]]) == False")
def is_symmetric_v(grid: Grid) -> bool:
    """True when the grid equals its top-bottom mirror."""
    return bool(np.array_equal(grid, grid[::-1, :]))


@primitive("(Grid, Int, Color) -> Grid", kernel="gravity", domains={"direction": _DIRS4},
           example="gravity([[1, 0], [0, 2], [0, 0]], 2) == [[0, 0], [0, 0], [1, 2]]")
def gravity(grid: Grid, direction: int, bg: int = 0) -> Grid:
    """Slide every non-bg cell in a direction (0-3) as far as it goes, keeping their order."""
    _direction4(direction)
    turned = np.rot90(grid, k=direction)
    order = np.argsort(turned == bg, axis=0, kind="stable")
    return as_grid(np.rot90(np.take_along_axis(turned, order, axis=0), k=-direction))


@primitive("(Grid, Object, Int, Color) -> Grid", kernel="move_until_contact",
           domains={"direction": _DIRS4},
           example="move_until_contact([[1, 0, 0, 2]], to_object([[1]]), 1) == [[0, 0, 1, 2]]")
def move_until_contact(grid: Grid, obj: Object, direction: int, bg: int = 0) -> Grid:
    """Erase the object and redraw it moved in a direction (0-3) until it would hit or leave."""
    dr, dc = _direction4(direction)
    h, w = grid.shape
    if not near_grid(obj, grid.shape):   # before numpy arithmetic on far offsets
        raise EvalError("object is not inside the grid")
    mr, mc = np.nonzero(obj.mask)
    rows, cols, colors = mr + obj.top, mc + obj.left, obj.colors[mr, mc]
    if rows.min() < 0 or cols.min() < 0 or rows.max() >= h or cols.max() >= w:
        raise EvalError("object is not inside the grid")
    out = np.array(grid, dtype=np.uint8)
    out[rows, cols] = bg
    k = 0
    while True:
        r, c = rows + (k + 1) * dr, cols + (k + 1) * dc
        if r.min() < 0 or c.min() < 0 or r.max() >= h or c.max() >= w or (out[r, c] != bg).any():
            break
        k += 1
    out[rows + k * dr, cols + k * dc] = colors
    return as_grid(out)


def _components(grid: Grid, bg: int) -> list[list[tuple[int, int]]]:
    """8-connected single-colour components of the non-bg cells (breadth-first)."""
    h, w = grid.shape
    cells = grid.tolist()
    seen = [[v == bg for v in row] for row in cells]
    comps = []
    for r0 in range(h):
        for c0 in range(w):
            if seen[r0][c0]:
                continue
            seen[r0][c0], color, comp = True, cells[r0][c0], [(r0, c0)]
            queue = deque(comp)
            while queue:
                r, c = queue.popleft()
                for dr, dc in _STEPS:
                    y, x = r + dr, c + dc
                    if 0 <= y < h and 0 <= x < w and not seen[y][x] and cells[y][x] == color:
                        seen[y][x] = True
                        comp.append((y, x))
                        queue.append((y, x))
            comps.append(comp)
    return comps


@primitive("(Grid, Int, Color) -> Grid", kernel="denoise", domains={"min_size": (2, 3, 4)},
           example="denoise([[1, 0, 2], [1, 0, 0]], 2) == [[1, 0, 0], [1, 0, 0]]")
def denoise(grid: Grid, min_size: int, bg: int = 0) -> Grid:
    """Erase (to bg) 8-connected single-colour components smaller than min_size."""
    out = np.array(grid, dtype=np.uint8)
    for comp in _components(grid, bg):
        if len(comp) < min_size:
            rows, cols = zip(*comp)
            out[list(rows), list(cols)] = bg
    return as_grid(out)


# the parts of an object `paint_object_parts` paints: cells whose 8 neighbours are all in the
# grid and in the object, the other cells, the cells of the top / bottom / left / right h // 2
# rows or w // 2 columns of its bounding box, and the bg cells of its bounding box
PART_INTERIOR, PART_BORDER, PART_TOP, PART_BOTTOM, PART_LEFT, PART_RIGHT, PART_HULL = range(7)
OBJECT_PARTS = tuple(range(7))


def _part_cells(comp: list[tuple[int, int]], part: int, grid: Grid, bg: int
                ) -> list[tuple[int, int]]:
    """The cells of one `paint_object_parts` part (`OBJECT_PARTS`) of a component."""
    rows, cols = [r for r, _ in comp], [c for _, c in comp]
    top, bottom, left, right = min(rows), max(rows), min(cols), max(cols)
    if part == PART_HULL:
        return [(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)
                if grid[r, c] == bg]
    if part == PART_INTERIOR or part == PART_BORDER:
        cells = set(comp)
        inner = {(r, c) for r, c in comp
                 if all((r + dr, c + dc) in cells for dr, dc in _STEPS)}
        return sorted(inner) if part == PART_INTERIOR else [p for p in comp if p not in inner]
    if part == PART_TOP or part == PART_BOTTOM:
        n = (bottom - top + 1) // 2
        lo, hi = (top, top + n - 1) if part == PART_TOP else (bottom - n + 1, bottom)
        return [(r, c) for r, c in comp if lo <= r <= hi]
    n = (right - left + 1) // 2
    lo, hi = (left, left + n - 1) if part == PART_LEFT else (right - n + 1, right)
    return [(r, c) for r, c in comp if lo <= c <= hi]


@primitive("(Grid, Int, Color, Color) -> Grid", kernel="paint_object_parts",
           domains={"part": OBJECT_PARTS},
           example="paint_object_parts([[1, 0], [1, 0]], 3, 2) == [[1, 0], [2, 0]]")
def paint_object_parts(grid: Grid, part: int, color: int, bg: int = 0) -> Grid:
    """Paint one part of every 8-connected single-colour object in `color`: part 0 its
    interior (cells whose 8 neighbours are all in the grid and in the object), 1 its border
    (the other cells), 2 / 3 / 4 / 5 its top / bottom / left / right half (the cells in the
    first or last h // 2 rows or w // 2 columns of its bounding box), 6 its hull (the bg
    cells of its bounding box)."""
    if part not in OBJECT_PARTS:
        raise EvalError(f"paint_object_parts: part {part} is not in 0..6")
    if not 0 <= color <= 9:
        raise EvalError(f"paint_object_parts: colour {color} is not in 0..9")
    out = np.array(grid, dtype=np.uint8)
    for comp in _components(grid, bg):
        for r, c in _part_cells(comp, part, grid, bg):
            out[r, c] = color
    return as_grid(out)


@primitive("(Grid, Grid, Color) -> Grid", kernel="overlay",
           example="overlay([[1, 1]], [[0, 2]]) == [[1, 2]]")
def overlay(a: Grid, b: Grid, bg: int = 0) -> Grid:
    """Draw b's non-bg cells over a (same shapes)."""
    _same_shape(a, b)
    return as_grid(np.where(b != bg, b, a))


def _cellwise(a: Grid, b: Grid, color: int, bg: int, op) -> Grid:
    _same_shape(a, b)
    return as_grid(np.where(op(a != bg, b != bg), color, bg))


@primitive("(Grid, Grid, Color, Color) -> Grid", kernel="cellwise_and",
           example="cellwise_and([[1, 1, 0]], [[2, 0, 0]], 3) == [[3, 0, 0]]")
def cellwise_and(a: Grid, b: Grid, color: int, bg: int = 0) -> Grid:
    """`color` where both grids are non-bg, else bg (same shapes)."""
    return _cellwise(a, b, color, bg, np.logical_and)


@primitive("(Grid, Grid, Color, Color) -> Grid", kernel="cellwise_or",
           example="cellwise_or([[1, 1, 0]], [[2, 0, 0]], 3) == [[3, 3, 0]]")
def cellwise_or(a: Grid, b: Grid, color: int, bg: int = 0) -> Grid:
    """`color` where either grid is non-bg, else bg (same shapes)."""
    return _cellwise(a, b, color, bg, np.logical_or)


@primitive("(Grid, Grid, Color, Color) -> Grid", kernel="cellwise_xor",
           example="cellwise_xor([[1, 1, 0]], [[2, 0, 0]], 3) == [[0, 3, 0]]")
def cellwise_xor(a: Grid, b: Grid, color: int, bg: int = 0) -> Grid:
    """`color` where exactly one grid is non-bg, else bg (same shapes)."""
    return _cellwise(a, b, color, bg, np.logical_xor)


@primitive("(Grid, Grid, Color, Color) -> Grid",
           example="cellwise_nor([[1, 1, 0]], [[2, 0, 0]], 3) == [[0, 0, 3]]")
def cellwise_nor(a: Grid, b: Grid, color: int, bg: int = 0) -> Grid:
    """`color` where both grids are bg, else bg (same shapes)."""
    return _cellwise(a, b, color, bg, lambda x, y: ~(x | y))


def _grid_key(grid: Grid) -> tuple:
    return grid.shape, np.ascontiguousarray(grid).tobytes()


@primitive("(List[Grid]) -> Grid",
           example="most_common_grid(([[1]], [[2]], [[1]])) == [[1]]")
def most_common_grid(grids: tuple[Grid, ...]) -> Grid:
    """The grid that occurs most often in the list (the earliest on ties)."""
    if not grids:
        raise EvalError("empty list of grids")
    counts = Counter(_grid_key(g) for g in grids)
    best = max(counts.values())
    return as_grid(np.array(next(g for g in grids if counts[_grid_key(g)] == best)))


@primitive("(List[Grid]) -> Grid",
           example="unique_grid(([[1]], [[2]], [[1]])) == [[2]]")
def unique_grid(grids: tuple[Grid, ...]) -> Grid:
    """The one grid that occurs exactly once in the list."""
    counts = Counter(_grid_key(g) for g in grids)
    once = [g for g in grids if counts[_grid_key(g)] == 1]
    if len(once) != 1:
        raise EvalError(f"{len(once)} grids occur exactly once, not 1")
    return as_grid(np.array(once[0]))


# --- local rules: rewrite cells by their neighbourhood code -----------------------------------

OUTSIDE = 10                       # the colour of cells beyond the grid in positional codes
CODE_BASE = 11                     # digits of positional codes: colours 0..9 and OUTSIDE
LOCAL_RULE_KINDS = (0, 1, 2, 3, 4)  # neighbourhood featurisations, coarse to fine
_STEPS_4 = _STEPS[:4]              # up, right, down, left
_CODE_LIMITS = (10 * 1024, 10 * 1024, CODE_BASE ** 5, CODE_BASE ** 5, CODE_BASE ** 9)


def _neighbours(grid: Grid, steps: tuple[tuple[int, int], ...]) -> list[np.ndarray]:
    """For each step (dr, dc), every cell's neighbour there as int64 (OUTSIDE beyond edges)."""
    h, w = grid.shape
    padded = np.pad(grid.astype(np.int64), 1, constant_values=OUTSIDE)
    return [padded[1 + dr:1 + dr + h, 1 + dc:1 + dc + w] for dr, dc in steps]


def _colour_set(neighbours: list[np.ndarray]) -> np.ndarray:
    """Bit c set when some in-grid neighbour has colour c (OUTSIDE cells set no bit)."""
    bits = np.zeros(neighbours[0].shape, np.int64)
    for cells in neighbours:
        bits |= np.where(cells < OUTSIDE, np.left_shift(1, np.minimum(cells, 9)), 0)
    return bits


def _positional(centre: np.ndarray, digits: list[np.ndarray]) -> np.ndarray:
    """centre, then the digits, read as one base-CODE_BASE number."""
    code = centre.copy()
    for digit in digits:
        code = code * CODE_BASE + digit
    return code


def neighbourhood_codes(grid: Grid, kind: int) -> np.ndarray:
    """Every cell's neighbourhood code (int64, the grid's shape) under featurisation `kind`:
    0: centre * 1024 + set of the in-grid 4-neighbours' colours (bit c for colour c);
    1: centre * 1024 + set of the in-grid 8-neighbours' colours;
    2: base 11 digits centre, the 4 neighbours' colours sorted (10 beyond the edge);
    3: base 11 digits centre, up, right, down, left neighbours (10 beyond the edge);
    4: base 11 digits centre, up, right, down, left, up-right, down-right, down-left, up-left.
    """
    if kind not in LOCAL_RULE_KINDS:
        raise EvalError(f"local rule kind {kind} is not in 0..{LOCAL_RULE_KINDS[-1]}")
    centre = grid.astype(np.int64)
    if kind <= 1:
        return centre * 1024 + _colour_set(_neighbours(grid, _STEPS_4 if kind == 0 else _STEPS))
    if kind == 2:
        return _positional(centre, list(np.sort(np.stack(_neighbours(grid, _STEPS_4)), axis=0)))
    return _positional(centre, _neighbours(grid, _STEPS_4 if kind == 3 else _STEPS))


@primitive("(Grid, Int, List[Int], List[Color]) -> Grid", domains={"kind": LOCAL_RULE_KINDS},
           example="local_rule([[0, 2, 0], [0, 0, 0]], 0, [5], [1]) == [[1, 2, 1], [0, 1, 0]]")
def local_rule(grid: Grid, kind: int, keys: tuple[int, ...], values: tuple[int, ...]) -> Grid:
    """Every cell whose neighbourhood code (of `kind`) is keys[i] becomes values[i], at once."""
    if kind not in LOCAL_RULE_KINDS:
        raise EvalError(f"local rule kind {kind} is not in 0..{LOCAL_RULE_KINDS[-1]}")
    if len(keys) != len(values):
        raise EvalError(f"local_rule: {len(keys)} keys but {len(values)} values")
    if len(set(keys)) != len(keys):
        raise EvalError("local_rule: a key is listed twice")
    if not all(0 <= key < _CODE_LIMITS[kind] for key in keys):
        raise EvalError(f"local_rule: a key is not a code of kind {kind}")
    if not all(0 <= value <= 9 for value in values):
        raise EvalError("local_rule: colours must be 0..9")
    if not keys:
        return as_grid(grid)
    order = sorted(range(len(keys)), key=keys.__getitem__)
    table = np.array([keys[i] for i in order], np.int64)
    targets = np.array([values[i] for i in order], np.uint8)
    codes = neighbourhood_codes(grid, kind)
    index = np.minimum(np.searchsorted(table, codes), len(table) - 1)
    return as_grid(np.where(table[index] == codes, targets[index], grid))


@primitive("(Grid) -> Bool", example="is_symmetric_diag([[1, 2], [2, 1]]) == True")
def is_symmetric_diag(grid: Grid) -> bool:
    """True when the grid equals its transpose (False for a grid that is not square)."""
    return bool(grid.shape[0] == grid.shape[1] and np.array_equal(grid, grid.T))


@primitive("(Grid) -> Int", example="symmetry_code([[1, 2], [2, 1]]) == 12")
def symmetry_code(grid: Grid) -> int:
    """Bit set of the grid's mirror symmetries: 1 left-right, 2 top-bottom, 4 main diagonal,
    8 anti-diagonal (the diagonals only for square grids)."""
    square = grid.shape[0] == grid.shape[1]
    bits = (np.array_equal(grid, grid[:, ::-1]), np.array_equal(grid, grid[::-1, :]),
            square and np.array_equal(grid, grid.T),
            square and np.array_equal(grid, grid[::-1, ::-1].T))
    return sum(1 << i for i, bit in enumerate(bits) if bit)


# --- sweep rules: rewrite line after line, each from the line before -------------------------

SWEEP_KINDS = (0, 1, 2)            # contexts: see `sweep_keys`
SWEEP_BASE = 8                     # digits of sweep keys: SWEEP_BG, SWEEP_EDGE, then roles
SWEEP_BG, SWEEP_EDGE = 0, 1        # key digits of the background and of cells beyond the grid
SWEEP_ABSOLUTE = 10                # a value token 10 + c is colour c; below it, a key digit
SWEEP_TURNS = (2, 3, 0, 1)         # np.rot90 turns that make a sweep direction run downwards
SWEEP_CONTEXT_SIZES = (4, 6, 3)    # colours in a key of each kind (`_sweep_context`)


def _sweep_context(cell: int, before: np.ndarray, row: np.ndarray, c: int, kind: int
                   ) -> list[int]:
    """The colours a key is made of (-1 beyond the grid): the cell, then the line before's
    cells diagonally before, before and diagonally after it (kind 0), plus the cell's own
    neighbours along its line (kind 1), or only the two diagonal ones (kind 2)."""
    w = before.shape[0]

    def at(line: np.ndarray, j: int) -> int:
        return int(line[j]) if 0 <= j < w else -1
    if kind == 2:
        return [cell, at(before, c - 1), at(before, c + 1)]
    ctx = [cell, at(before, c - 1), at(before, c), at(before, c + 1)]
    return ctx + [at(row, c - 1), at(row, c + 1)] if kind == 1 else ctx


def _sweep_key(context: list[int], bg: int) -> tuple[int, list[int]]:
    """A context as its key (base SWEEP_BASE digits, the first colour most significant) and its
    role colours (role k, digit 2 + k, is the k-th distinct colour met that is not bg)."""
    roles: list[int] = []
    key = 0
    for colour in context:
        if colour == -1:
            digit = SWEEP_EDGE
        elif colour == bg:
            digit = SWEEP_BG
        else:
            if colour not in roles:
                roles.append(colour)
            digit = 2 + roles.index(colour)
        key = key * SWEEP_BASE + digit
    return key, roles


def sweep_keys(grid: Grid, before: np.ndarray, kind: int, bg: int) -> list[tuple[int, list[int]]]:
    """Every cell's (key, role colours) of one line of a downward sweep: `grid` is the line's
    input cells, `before` the line before as already rewritten (-1s above the first line)."""
    return [_sweep_key(_sweep_context(int(grid[c]), before, grid, c, kind), bg)
            for c in range(grid.shape[0])]


def sweep_token(colour: int, roles: list[int], bg: int) -> int:
    """The value token of an output colour in a context with these roles: SWEEP_BG for the
    background, 2 + k for role k's colour, else SWEEP_ABSOLUTE + colour."""
    if colour == bg:
        return SWEEP_BG
    if colour in roles:
        return 2 + roles.index(colour)
    return SWEEP_ABSOLUTE + colour


def _token_colour(token: int, roles: list[int], bg: int) -> int:
    if token == SWEEP_BG:
        return bg
    if token >= SWEEP_ABSOLUTE:
        return token - SWEEP_ABSOLUTE
    if 2 <= token < 2 + len(roles):
        return roles[token - 2]
    raise EvalError(f"sweep_rule: value token {token} names no colour of its context")


@primitive("(Grid, Int, Int, List[Int], List[Int], Color) -> Grid",
           domains={"direction": _DIRS4, "kind": SWEEP_KINDS},
           example="sweep_rule([[0, 0, 2, 0, 0], [0, 0, 0, 0, 0]], 2, 2, [2, 16], [2, 2]) == "
                   "[[0, 0, 2, 0, 0], [0, 2, 0, 2, 0]]")
def sweep_rule(grid: Grid, direction: int, kind: int, keys: tuple[int, ...],
               values: tuple[int, ...], bg: int = 0) -> Grid:
    """Rewrite the grid line by line in a direction (0-3; 2: top row first, down): each cell
    whose key (`sweep_keys`: its colour and the rewritten line before's, as roles) is keys[i]
    becomes the colour of token values[i] (`sweep_token`); other cells keep their colour."""
    _direction4(direction)
    if kind not in SWEEP_KINDS:
        raise EvalError(f"sweep rule kind {kind} is not in 0..{SWEEP_KINDS[-1]}")
    if len(keys) != len(values):
        raise EvalError(f"sweep_rule: {len(keys)} keys but {len(values)} values")
    if len(set(keys)) != len(keys):
        raise EvalError("sweep_rule: a key is listed twice")
    if not all(0 <= v < SWEEP_ABSOLUTE + 10 for v in values):
        raise EvalError("sweep_rule: a value token is out of range")
    table = dict(zip(keys, values))
    turned = np.rot90(np.asarray(grid), SWEEP_TURNS[direction])
    out = turned.copy()
    before = np.full(turned.shape[1], -1)
    for r in range(turned.shape[0]):
        for c, (key, roles) in enumerate(sweep_keys(turned[r], before, kind, bg)):
            if key in table:
                out[r, c] = _token_colour(table[key], roles, bg)
        before = out[r].astype(np.int64)
    return as_grid(np.rot90(out, -SWEEP_TURNS[direction]))
