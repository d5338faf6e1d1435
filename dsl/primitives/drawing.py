"""Drawing: lines, rays, boxes, outlines and fills painted onto a copy of a grid.

Directions are Ints: 0 up, 1 right, 2 down, 3 left and, for rays, 4 up-right, 5 down-right,
6 down-left, 7 up-left (`DIRECTIONS[d]` is the `(dr, dc)` step). Points are `(row, col)`;
drawing is clipped to the grid, and the result always has the input's shape. `cast_rays`
casts rays whose emitting cells, directions, stops and colours depend on the objects (8-connected
non-bg components, colours mixed); `synth.search.line_rules` learns its settings.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable

import numpy as np

from dsl.errors import EvalError
from dsl.registry import primitive
from dsl.values import Grid, Object, Point, as_grid, near_grid

DIRECTIONS: tuple[tuple[int, int], ...] = (
    (-1, 0), (0, 1), (1, 0), (0, -1), (-1, 1), (1, 1), (1, -1), (-1, -1),
)
_RAY_DIRS = tuple(range(8))
_CONNECT = (4, 8)


def _direction(direction: int, count: int = 8) -> tuple[int, int]:
    if not 0 <= direction < count:
        raise EvalError(f"direction {direction} is not in 0..{count - 1}")
    return DIRECTIONS[direction]


def _neighbours(connect: int) -> tuple[tuple[int, int], ...]:
    if connect not in _CONNECT:
        raise EvalError(f"connect must be 4 or 8, not {connect}")
    return DIRECTIONS[:connect]


def _k_range(p: int, dp: int, n: int) -> tuple[float, float]:
    """The k with 0 <= p + k*dp < n (dp in -1, 0, 1), as an inclusive (lo, hi)."""
    if dp == 0:
        return (-np.inf, np.inf) if 0 <= p < n else (1.0, 0.0)
    return (-p, n - 1 - p) if dp > 0 else (p - n + 1, p)


def _walk(shape: tuple[int, int], start: Point, step: tuple[int, int], k0: int,
          k1: float = np.inf) -> tuple[np.ndarray, np.ndarray]:
    """In-grid cells start + k*step for k0 <= k <= k1, in increasing k (no overflow)."""
    (r, c), (dr, dc) = (int(start[0]), int(start[1])), step
    lo_r, hi_r = _k_range(r, dr, shape[0])
    lo_c, hi_c = _k_range(c, dc, shape[1])
    lo, hi = max(k0, lo_r, lo_c), min(k1, hi_r, hi_c)
    if lo > hi:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    n, lo = int(hi - lo) + 1, int(lo)
    ks = np.arange(n)
    return (r + lo * dr) + ks * dr, (c + lo * dc) + ks * dc


def _paint(grid: Grid, rows: np.ndarray, cols: np.ndarray, color: int) -> Grid:
    out = np.array(grid, dtype=np.uint8)
    out[rows, cols] = color
    return as_grid(out)


def _cells(obj: Object, shape: tuple[int, int], margin: int) -> tuple[np.ndarray, np.ndarray]:
    """Absolute rows and cols of an object's cells; none when its bounding box is more than
    `margin` cells away from a grid of `shape` (its offsets may then exceed 64 bits)."""
    if not near_grid(obj, shape, margin):
        return np.zeros(0, np.intp), np.zeros(0, np.intp)
    rr, cc = np.nonzero(obj.mask)
    return rr + obj.top, cc + obj.left


def _footprint(shape: tuple[int, int], obj: Object) -> np.ndarray:
    """The object's in-grid cells as a mask of `shape`."""
    rows, cols = _cells(obj, shape, 0)
    keep = (rows >= 0) & (rows < shape[0]) & (cols >= 0) & (cols < shape[1])
    mask = np.zeros(shape, dtype=bool)
    mask[rows[keep], cols[keep]] = True
    return mask


def _reach(passable: np.ndarray, seeds: Iterable[tuple[int, int]], connect: int) -> np.ndarray:
    """Cells reachable from the passable seeds through passable cells (breadth-first)."""
    steps = _neighbours(connect)
    h, w = passable.shape
    ok = passable.tolist()
    seen = [[False] * w for _ in range(h)]
    queue: deque[tuple[int, int]] = deque()
    for r, c in seeds:
        if ok[r][c] and not seen[r][c]:
            seen[r][c] = True
            queue.append((r, c))
    while queue:
        r, c = queue.popleft()
        for dr, dc in steps:
            y, x = r + dr, c + dc
            if 0 <= y < h and 0 <= x < w and ok[y][x] and not seen[y][x]:
                seen[y][x] = True
                queue.append((y, x))
    return np.array(seen, dtype=bool).reshape(h, w)


def _border_cells(shape: tuple[int, int]) -> list[tuple[int, int]]:
    h, w = shape
    return ([(0, c) for c in range(w)] + [(h - 1, c) for c in range(w)]
            + [(r, 0) for r in range(h)] + [(r, w - 1) for r in range(h)])


@primitive("(Grid, Point, Point, Color) -> Grid", kernel="line",
           example="line([[0, 0, 0], [0, 0, 0]], (0, 0), (1, 1), 5) == [[5, 0, 0], [0, 5, 0]]")
def line(grid: Grid, a: Point, b: Point, color: int) -> Grid:
    """Draw the horizontal, vertical or 45-degree segment from a to b inclusive (clipped)."""
    dr, dc = int(b[0]) - int(a[0]), int(b[1]) - int(a[1])
    if dr and dc and abs(dr) != abs(dc):
        raise EvalError("line needs a horizontal, vertical or diagonal segment")
    rows, cols = _walk(grid.shape, a, ((dr > 0) - (dr < 0), (dc > 0) - (dc < 0)), 0,
                       max(abs(dr), abs(dc)))
    return _paint(grid, rows, cols, color)


@primitive("(Grid, Int, Color) -> Grid", kernel="hline",
           example="hline([[0, 0], [0, 0]], 1, 3) == [[0, 0], [3, 3]]")
def hline(grid: Grid, row: int, color: int) -> Grid:
    """Paint a whole row."""
    if not 0 <= row < grid.shape[0]:
        raise EvalError(f"row {row} out of range")
    out = np.array(grid, dtype=np.uint8)
    out[row, :] = color
    return as_grid(out)


@primitive("(Grid, Int, Color) -> Grid", kernel="vline",
           example="vline([[0, 0], [0, 0]], 1, 3) == [[0, 3], [0, 3]]")
def vline(grid: Grid, col: int, color: int) -> Grid:
    """Paint a whole column."""
    if not 0 <= col < grid.shape[1]:
        raise EvalError(f"column {col} out of range")
    out = np.array(grid, dtype=np.uint8)
    out[:, col] = color
    return as_grid(out)


@primitive("(Grid, Point, Int, Color) -> Grid", domains={"direction": _RAY_DIRS},
           example="ray([[0, 0, 0]], (0, 0), 1, 4) == [[0, 4, 4]]")
def ray(grid: Grid, start: Point, direction: int, color: int) -> Grid:
    """Paint from start (exclusive) in a direction (0-7) to the border, over everything."""
    rows, cols = _walk(grid.shape, start, _direction(direction), 1)
    return _paint(grid, rows, cols, color)


@primitive("(Grid, Point, Int, Color, Color) -> Grid", domains={"direction": _RAY_DIRS},
           example="ray_until([[1, 0, 0, 2, 0]], (0, 0), 1, 4) == [[1, 4, 4, 2, 0]]")
def ray_until(grid: Grid, start: Point, direction: int, color: int, bg: int = 0) -> Grid:
    """Paint from start (exclusive) in a direction (0-7), stopping before the first non-bg cell."""
    rows, cols = _walk(grid.shape, start, _direction(direction), 1)
    blocked = np.flatnonzero(grid[rows, cols] != bg)
    stop = int(blocked[0]) if blocked.size else rows.size
    return _paint(grid, rows[:stop], cols[:stop], color)


@primitive("(Grid, Object, Int, Color) -> Grid", kernel="object_rays",
           domains={"direction": _RAY_DIRS},
           example="object_rays([[3, 0], [0, 0], [0, 0]], to_object([[3]]), 2) "
                   "== [[3, 0], [3, 0], [3, 0]]")
def object_rays(grid: Grid, obj: Object, direction: int, bg: int = 0) -> Grid:
    """From each object cell, extend a ray of its colour over bg cells until a non-bg cell."""
    step = _direction(direction)
    out = np.array(grid, dtype=np.uint8)
    blocked = (grid != bg) | _footprint(grid.shape, obj)
    rr, cc = np.nonzero(obj.mask)
    for r, c in zip(rr.tolist(), cc.tolist()):  # plain ints: a far cell's ray may still enter
        rows, cols = _walk(grid.shape, (obj.top + r, obj.left + c), step, 1)
        hit = np.flatnonzero(blocked[rows, cols])
        stop = int(hit[0]) if hit.size else rows.size
        out[rows[:stop], cols[:stop]] = obj.colors[r, c]
    return as_grid(out)


def _ring(grid: Grid, top: int, left: int, bottom: int, right: int, color: int) -> Grid:
    """Paint the rectangle outline with corners (top, left) and (bottom, right), clipped."""
    rows, cols = np.arange(grid.shape[0])[:, None], np.arange(grid.shape[1])[None, :]
    inside = (rows >= top) & (rows <= bottom) & (cols >= left) & (cols <= right)
    edge = (rows == top) | (rows == bottom) | (cols == left) | (cols == right)
    out = np.array(grid, dtype=np.uint8)
    out[inside & edge] = color
    return as_grid(out)


@primitive("(Grid, Object, Color) -> Grid", kernel="box",
           example="box([[0, 0, 0], [0, 1, 0], [0, 0, 0]], to_object([[0, 0], [0, 1]]), 2) "
                   "== [[2, 2, 2], [2, 1, 2], [2, 2, 2]]")
def box(grid: Grid, obj: Object, color: int) -> Grid:
    """Paint the one-cell ring just outside the object's bounding box (clipped)."""
    return _ring(grid, obj.top - 1, obj.left - 1, obj.top + obj.height, obj.left + obj.width,
                 color)


@primitive("(Grid, Object, Color) -> Grid", kernel="box_inside",
           example="box_inside([[1, 0], [0, 1]], to_object([[1, 0], [0, 1]]), 2) "
                   "== [[2, 2], [2, 2]]")
def box_inside(grid: Grid, obj: Object, color: int) -> Grid:
    """Paint the border cells of the object's bounding box (clipped)."""
    return _ring(grid, obj.top, obj.left, obj.top + obj.height - 1, obj.left + obj.width - 1,
                 color)


@primitive("(Grid, Object, Color, Int, Color) -> Grid", kernel="outline",
           domains={"connect": _CONNECT},
           example="outline([[0, 0, 0], [0, 1, 0], [0, 0, 0]], to_object([[0, 0], [0, 1]]), 2) "
                   "== [[0, 2, 0], [2, 1, 2], [0, 2, 0]]")
def outline(grid: Grid, obj: Object, color: int, connect: int = 4, bg: int = 0) -> Grid:
    """Paint the bg cells 4- or 8-adjacent to the object's cells."""
    steps = _neighbours(connect)
    h, w = grid.shape
    rows, cols = _cells(obj, grid.shape, 1)
    foot = _footprint(grid.shape, obj)
    near = np.zeros((h, w), dtype=bool)
    for dr, dc in steps:
        r, c = rows + dr, cols + dc
        keep = (r >= 0) & (r < h) & (c >= 0) & (c < w)
        near[r[keep], c[keep]] = True
    out = np.array(grid, dtype=np.uint8)
    out[near & ~foot & (grid == bg)] = color
    return as_grid(out)


@primitive("(Grid, Object, Color, Color) -> Grid",
           example="fill_bbox([[1, 0], [0, 1]], to_object([[1, 0], [0, 1]]), 2) "
                   "== [[1, 2], [2, 1]]")
def fill_bbox(grid: Grid, obj: Object, color: int, bg: int = 0) -> Grid:
    """Paint the bg cells inside the object's bounding box."""
    out = np.array(grid, dtype=np.uint8)
    r0, c0 = max(obj.top, 0), max(obj.left, 0)
    r1, c1 = obj.top + obj.height, obj.left + obj.width
    if r0 < r1 and c0 < c1:
        patch = out[r0:r1, c0:c1]
        patch[patch == bg] = color
    return as_grid(out)


@primitive("(Grid, Point, Color, Int) -> Grid", kernel="flood_fill",
           domains={"connect": _CONNECT},
           example="flood_fill([[0, 0, 1], [1, 1, 0]], (0, 0), 3) == [[3, 3, 1], [1, 1, 0]]")
def flood_fill(grid: Grid, start: Point, color: int, connect: int = 4) -> Grid:
    """Recolour the same-colour region (4- or 8-connected) containing start."""
    r, c = int(start[0]), int(start[1])
    if not (0 <= r < grid.shape[0] and 0 <= c < grid.shape[1]):
        raise EvalError(f"start {(r, c)} is outside the grid")
    region = _reach(grid == grid[r, c], [(r, c)], connect)
    out = np.array(grid, dtype=np.uint8)
    out[region] = color
    return as_grid(out)


@primitive("(Grid, Color, Color) -> Grid", kernel="fill_enclosed",
           example="fill_enclosed([[1, 1, 1], [1, 0, 1], [1, 1, 1]], 4) "
                   "== [[1, 1, 1], [1, 4, 1], [1, 1, 1]]")
def fill_enclosed(grid: Grid, color: int, bg: int = 0) -> Grid:
    """Paint bg cells not 4-connected to the grid border through bg cells."""
    free = grid == bg
    outside = _reach(free, _border_cells(grid.shape), 4)
    out = np.array(grid, dtype=np.uint8)
    out[free & ~outside] = color
    return as_grid(out)


def _span(marks: np.ndarray) -> np.ndarray:
    """Per row with two or more marked cells, the cells from the first to the last one."""
    after_first = np.cumsum(marks, axis=1) > 0
    before_last = np.cumsum(marks[:, ::-1], axis=1)[:, ::-1] > 0
    return after_first & before_last & (marks.sum(axis=1, keepdims=True) >= 2)


@primitive("(Grid, Color, Color, Color) -> Grid", kernel="connect_pairs",
           example="connect_pairs([[2, 0, 0, 2]], 2, 5) == [[2, 5, 5, 2]]")
def connect_pairs(grid: Grid, color: int, line_color: int, bg: int = 0) -> Grid:
    """Join cells of `color` sharing a row or column with lines painted over bg cells."""
    marks = grid == color
    between = _span(marks) | _span(marks.T).T
    out = np.array(grid, dtype=np.uint8)
    out[between & (grid == bg)] = line_color
    return as_grid(out)


@primitive("(Grid, Color) -> Grid", kernel="draw_border",
           example="draw_border([[0, 0, 0], [0, 0, 0], [0, 0, 0]], 8) "
                   "== [[8, 8, 8], [8, 0, 8], [8, 8, 8]]")
def draw_border(grid: Grid, color: int) -> Grid:
    """Paint the outermost ring of cells."""
    h, w = grid.shape
    return _ring(grid, 0, 0, h - 1, w - 1, color)


@primitive("(Grid, Color, Color) -> Grid", kernel="fill_rows_with",
           example="fill_rows_with([[0, 3, 0], [0, 0, 1]], 3) == [[3, 3, 3], [0, 0, 1]]")
def fill_rows_with(grid: Grid, color: int, bg: int = 0) -> Grid:
    """Paint the bg cells of every row that contains `color`."""
    rows = (grid == color).any(axis=1, keepdims=True)
    return as_grid(np.where(rows & (grid == bg), color, grid))


@primitive("(Grid, Color, Color) -> Grid", kernel="fill_cols_with",
           example="fill_cols_with([[0, 3], [0, 0]], 3) == [[0, 3], [0, 3]]")
def fill_cols_with(grid: Grid, color: int, bg: int = 0) -> Grid:
    """Paint the bg cells of every column that contains `color`."""
    cols = (grid == color).any(axis=0, keepdims=True)
    return as_grid(np.where(cols & (grid == bg), color, grid))


CLEAR_MARGINS = (0, 1)  # `fill_clear_lines`: cells at each end of a line that may be non-bg


@primitive("(Grid, Int, Color, Color) -> Grid", domains={"margin": CLEAR_MARGINS},
           kernel="fill_clear_lines",
           example="fill_clear_lines([[1, 0, 1], [0, 0, 0]], 0, 2) == [[1, 2, 1], [2, 2, 2]]")
def fill_clear_lines(grid: Grid, margin: int, color: int, bg: int = 0) -> Grid:
    """Paint the bg cells of every row and column that is all bg, leaving out its first and
    last `margin` cells (0: the whole line, 1: ends at the grid's border may be anything)."""
    if margin not in CLEAR_MARGINS:
        raise EvalError(f"fill_clear_lines: margin {margin} is not 0 or 1")
    free = grid == bg
    h, w = grid.shape
    rows = free[:, margin:w - margin].all(axis=1) if w > 2 * margin else np.zeros(h, bool)
    cols = free[margin:h - margin, :].all(axis=0) if h > 2 * margin else np.zeros(w, bool)
    return as_grid(np.where(free & (rows[:, None] | cols[None, :]), color, grid))


@primitive("(Grid, Point, Color) -> Grid", example="paint_cell([[0, 0]], (0, 1), 4) == [[0, 4]]")
def paint_cell(grid: Grid, p: Point, color: int) -> Grid:
    """Paint the single cell at p (EvalError when p is outside the grid)."""
    r, c = int(p[0]), int(p[1])
    if not (0 <= r < grid.shape[0] and 0 <= c < grid.shape[1]):
        raise EvalError(f"paint_cell: {(r, c)} is outside the grid")
    out = np.array(grid, dtype=np.uint8)
    out[r, c] = color
    return as_grid(out)


@primitive("(Grid, Color, Color, Color) -> Grid", kernel="connect_pairs_h",
           example="connect_pairs_h([[2, 0, 2], [2, 0, 0]], 2, 5) == [[2, 5, 2], [2, 0, 0]]")
def connect_pairs_h(grid: Grid, color: int, line_color: int, bg: int = 0) -> Grid:
    """Join cells of `color` sharing a row (only) with lines painted over bg cells."""
    between = _span(grid == color)
    return as_grid(np.where(between & (grid == bg), line_color, grid))


def _same_colour_gaps(grid: np.ndarray, bg: int) -> np.ndarray:
    """Per cell, the colour of the row's same-colour non-bg neighbours on both sides (else bg)."""
    fill = np.full(grid.shape, bg, dtype=np.uint8)
    for r in range(grid.shape[0]):
        cols = np.flatnonzero(grid[r] != bg)
        for a, b in zip(cols[:-1], cols[1:]):
            if b > a + 1 and grid[r, a] == grid[r, b]:
                fill[r, a + 1:b] = grid[r, a]
    return fill


@primitive("(Grid, Int, Color) -> Grid", domains={"axis": (0, 1, 2)}, kernel="connect_same",
           example="connect_same([[3, 0, 3, 0, 2]], 0) == [[3, 3, 3, 0, 2]]")
def connect_same(grid: Grid, axis: int, bg: int = 0) -> Grid:
    """Fill each bg gap between two consecutive same-colour cells of a row (axis 0), a column (1)
    or both (2) with their colour; row fills win where both apply."""
    if axis not in (0, 1, 2):
        raise EvalError(f"connect_same: axis {axis} is not 0, 1 or 2")
    fill = np.full(grid.shape, bg, dtype=np.uint8)
    if axis in (1, 2):
        fill = _same_colour_gaps(grid.T, bg).T
    if axis in (0, 2):
        rows = _same_colour_gaps(grid, bg)
        fill = np.where(rows != bg, rows, fill)
    return as_grid(np.where(fill != bg, fill, grid))


def _single_cell(grid: Grid, color: int, name: str) -> tuple[int, int]:
    """The one cell of `color` (EvalError unless there is exactly one)."""
    rows, cols = np.nonzero(grid == color)
    if len(rows) != 1:
        raise EvalError(f"{name}: {len(rows)} cells of colour {color}, not one")
    return int(rows[0]), int(cols[0])


@primitive("(Grid, Color, Color, Color, Color) -> Grid",
           example="connect_elbow([[2, 0, 0], [0, 0, 0], [0, 0, 3]], 2, 3, 8) "
                   "== [[2, 8, 8], [0, 0, 8], [0, 0, 3]]")
def connect_elbow(grid: Grid, a: int, b: int, color: int, bg: int = 0) -> Grid:
    """Join the one cell of colour a to the one of colour b by an L-shaped path over bg
    cells: along a's row to b's column, then along that column to b."""
    if a == b:
        raise EvalError("connect_elbow: the two end colours are equal")
    (ra, ca), (rb, cb) = _single_cell(grid, a, "connect_elbow"), \
        _single_cell(grid, b, "connect_elbow")
    path = np.zeros(grid.shape, dtype=bool)
    path[ra, min(ca, cb):max(ca, cb) + 1] = True
    path[min(ra, rb):max(ra, rb) + 1, cb] = True
    return as_grid(np.where(path & (grid == bg), color, grid))


# `cast_rays`: which cells emit, in which directions, where a ray stops, in what colour.
RAY_CELLS = tuple(range(13))  # 0..9 cells of that colour, then the named selections below
RAY_CELL_NAMES = ("every non-bg cell", "rarest colour of a multicolour object",
                  "diagonal tips of multi-cell objects")
RAY_DIRECTIONS = tuple(range(15))  # 0..7 one direction, then the named selections below
RAY_DIRECTION_NAMES = ("the four orthogonal", "the four diagonal", "all eight",
                       "toward the object's centre", "orthogonal ones meeting another object",
                       "orthogonal ones meeting a multi-cell object",
                       "all ones meeting a cell of the emitting cell's colour")
RAY_STOPS = (0, 1, 2, 3)  # 0, 2 to the border, 1, 3 to another object; 2, 3 front cells only
OWN_COLOR = -1  # a `cast_rays` colour: each ray takes its emitting cell's colour


def ray_objects(grid: Grid, bg: int) -> np.ndarray:
    """8-connected components of the non-bg cells, colours mixed (index per cell, -1 on bg)."""
    labels = np.full(grid.shape, -1, dtype=np.intp)
    fg = grid != bg
    for r, c in zip(*np.nonzero(fg)):
        if labels[r, c] < 0:
            labels[_reach(fg, [(int(r), int(c))], 8)] = int(labels.max()) + 1
    return labels


def ray_emitters(grid: Grid, labels: np.ndarray, cells: int, bg: int) -> np.ndarray:
    """The mask of the cells a `cast_rays` cell selection (`RAY_CELLS`) picks."""
    fg = grid != bg
    if cells < 10:
        return fg & (grid == cells)
    if cells == 10:
        return fg
    if cells == 12:
        sizes = np.bincount(labels[fg], minlength=1)
        size = np.where(fg, sizes[np.maximum(labels, 0)], 0)
        padded = np.pad(fg, 1)
        sides = padded[:-2, 1:-1] | padded[2:, 1:-1] | padded[1:-1, :-2] | padded[1:-1, 2:]
        return (size > 1) & ~sides
    rare = np.zeros(grid.shape, dtype=bool)
    for label in range(int(labels.max()) + 1):
        inside = labels == label
        colours, counts = np.unique(grid[inside], return_counts=True)
        if len(colours) > 1 and (counts == counts.min()).sum() == 1:
            rare |= inside & (grid == colours[np.argmin(counts)])
    return rare


def ray_path(grid: Grid, labels: np.ndarray, start: tuple[int, int], direction: int,
             stop: int, bg: int) -> tuple[np.ndarray, np.ndarray, int]:
    """(rows, cols of the bg cells a ray paints, the label of the first other object it
    meets or -1).

    The ray leaves `start` in a direction (0-7), crosses its own object's cells without
    painting them, and runs to the border painting bg cells (stop 0, 2) or stops before the
    first cell of another object (stop 1, 3). With stop 2 or 3 only the object's front cells
    along the direction (those furthest along it) cast a ray."""
    rows, cols = _walk(grid.shape, start, DIRECTIONS[direction], 1)
    own = labels[start]
    if stop >= 2:
        dr, dc = DIRECTIONS[direction]
        rr, cc = np.nonzero(labels == own)
        if (rr * dr + cc * dc).max() > start[0] * dr + start[1] * dc:
            rows, cols = rows[:0], cols[:0]
    other = (labels[rows, cols] >= 0) & (labels[rows, cols] != own)
    hit = np.flatnonzero(other)
    end = int(hit[0]) if (stop % 2 == 1 and hit.size) else rows.size
    free = grid[rows[:end], cols[:end]] == bg
    met = int(labels[rows[hit[0]], cols[hit[0]]]) if hit.size else -1
    return rows[:end][free], cols[:end][free], met


def ray_directions(grid: Grid, labels: np.ndarray, start: tuple[int, int], dirs: int,
                   bg: int) -> tuple[int, ...]:
    """The directions (0-7) a `cast_rays` direction selection (`RAY_DIRECTIONS`) gives a cell."""
    if dirs < 8:
        return (dirs,)
    if dirs in (8, 9, 10):
        return ((0, 1, 2, 3), (4, 5, 6, 7), tuple(range(8)))[dirs - 8]
    if dirs in (12, 13):
        least = 1 if dirs == 12 else 2  # cells of the object met, at least
        met = [ray_path(grid, labels, start, d, 1, bg)[2] for d in range(4)]
        return tuple(d for d, m in enumerate(met)
                     if m >= 0 and np.count_nonzero(labels == m) >= least)
    if dirs == 14:
        found = []
        for d in range(8):
            rows, cols = _walk(grid.shape, start, DIRECTIONS[d], 1)
            hit = np.flatnonzero((labels[rows, cols] >= 0) & (labels[rows, cols] != labels[start]))
            if hit.size and grid[rows[hit[0]], cols[hit[0]]] == grid[start]:
                found.append(d)
        return tuple(found)
    rr, cc = np.nonzero(labels == labels[start])
    step = (int(np.sign(rr.min() + rr.max() - 2 * start[0])),
            int(np.sign(cc.min() + cc.max() - 2 * start[1])))
    return (DIRECTIONS.index(step),) if step != (0, 0) else ()


@primitive("(Grid, Int, Int, Int, Int, Color) -> Grid",
           domains={"cells": RAY_CELLS, "dirs": RAY_DIRECTIONS, "stop": RAY_STOPS,
                    "color": (OWN_COLOR, *range(10))},
           example="cast_rays([[0, 0, 0, 0], [4, 3, 3, 0]], 11, 11, 0, -1) "
                   "== [[0, 0, 0, 0], [4, 3, 3, 4]]")
def cast_rays(grid: Grid, cells: int, dirs: int, stop: int, color: int, bg: int = 0) -> Grid:
    """From each selected cell (`RAY_CELLS`) cast rays in the selected directions
    (`RAY_DIRECTIONS`) to the border or to another object (`RAY_STOPS`), over bg cells only, in
    `color` or the cell's own (`OWN_COLOR`); rays read the input grid, later cells paint last."""
    if cells not in RAY_CELLS or dirs not in RAY_DIRECTIONS or stop not in RAY_STOPS:
        raise EvalError(f"cast_rays: selection ({cells}, {dirs}, {stop}) out of range")
    if not OWN_COLOR <= color <= 9:
        raise EvalError(f"cast_rays: colour {color} is not {OWN_COLOR} or 0..9")
    labels = ray_objects(grid, bg)
    out = np.array(grid, dtype=np.uint8)
    for r, c in zip(*np.nonzero(ray_emitters(grid, labels, cells, bg))):
        start = (int(r), int(c))
        for d in ray_directions(grid, labels, start, dirs, bg):
            rows, cols, _ = ray_path(grid, labels, start, d, stop, bg)
            out[rows, cols] = grid[start] if color == OWN_COLOR else color
    return as_grid(out)


# `paint_boxes`: rectangles derived from groups of cells, painted over bg cells.
BOX_ANCHORS = (0, 1, 2, 3)  # each colour's cells, each object, all non-bg cells, facing pairs
BOX_ANCHOR_NAMES = ("each colour's cells", "each object (8-connected, colours mixed)",
                    "all non-bg cells together", "each pair of facing objects")
BOX_REGIONS = (0, 1, 2, 3, 4, 5)
BOX_REGION_NAMES = ("the box", "its border", "the ring just outside", "the box grown by one",
                    "the border of the box shrunk by one", "the box shrunk by one")


def box_anchors(grid: Grid, anchors: int, bg: int) -> list[tuple[tuple[int, int, int, int], int]]:
    """Per group of a `paint_boxes` anchor selection (`BOX_ANCHORS`), its rectangle as
    (top, bottom, left, right) inclusive and its most common colour (ties: the smallest)."""
    fg = grid != bg
    if anchors == 0:
        masks = [fg & (grid == c) for c in np.unique(grid[fg])]
    elif anchors == 2:
        masks = [fg] if fg.any() else []
    else:
        labels = ray_objects(grid, bg)
        masks = [labels == i for i in range(int(labels.max()) + 1)]
    boxes = [(_bounds(m), int(np.bincount(grid[m]).argmax())) for m in masks]
    if anchors != 3:
        return boxes
    pairs = []
    for (a, ca), (b, cb) in ((x, y) for x in boxes for y in boxes if x is not y):
        colour = ca if ca == cb else -1
        left, right = max(a[2], b[2]), min(a[3], b[3])
        if a[1] < b[0] and left <= right and not fg[a[1] + 1:b[0], left:right + 1].any():
            pairs.append(((a[1], b[0], left, right), colour))
        top, bottom = max(a[0], b[0]), min(a[1], b[1])
        if a[3] < b[2] and top <= bottom and not fg[top:bottom + 1, a[3] + 1:b[2]].any():
            pairs.append(((top, bottom, a[3], b[2]), colour))
    return pairs


def _bounds(mask: np.ndarray) -> tuple[int, int, int, int]:
    rows, cols = np.nonzero(mask)
    return int(rows.min()), int(rows.max()), int(cols.min()), int(cols.max())


def box_region(shape: tuple[int, int], box: tuple[int, int, int, int], region: int
               ) -> np.ndarray:
    """The mask of a `paint_boxes` region (`BOX_REGIONS`) of a rectangle, clipped to `shape`."""
    top, bottom, left, right = box
    grow = (0, 0, 1, 1, -1, -1)[region]
    rows, cols = np.arange(shape[0])[:, None], np.arange(shape[1])[None, :]
    top, bottom, left, right = top - grow, bottom + grow, left - grow, right + grow
    inside = (rows >= top) & (rows <= bottom) & (cols >= left) & (cols <= right)
    if region in (1, 2, 4):
        inside &= ~((rows > top) & (rows < bottom) & (cols > left) & (cols < right))
    return inside


@primitive("(Grid, Int, Int, Int, Color) -> Grid",
           domains={"anchors": BOX_ANCHORS, "region": BOX_REGIONS,
                    "color": (OWN_COLOR, *range(10))},
           example="paint_boxes([[0, 3, 0, 0], [0, 0, 0, 3]], 0, 0, -1) "
                   "== [[0, 3, 3, 3], [0, 3, 3, 3]]")
def paint_boxes(grid: Grid, anchors: int, region: int, color: int, bg: int = 0) -> Grid:
    """Paint the bg cells of a region (`BOX_REGIONS`) of each anchor group's box
    (`BOX_ANCHORS`; for a pair of facing objects, the rectangle from one's facing side to the
    other's over the rows or columns they share) in `color` or the group's own (`OWN_COLOR`,
    its most common colour; a pair of two colours is then skipped)."""
    if anchors not in BOX_ANCHORS or region not in BOX_REGIONS:
        raise EvalError(f"paint_boxes: selection ({anchors}, {region}) out of range")
    if not OWN_COLOR <= color <= 9:
        raise EvalError(f"paint_boxes: colour {color} is not {OWN_COLOR} or 0..9")
    out = np.array(grid, dtype=np.uint8)
    free = grid == bg
    for box, own in box_anchors(grid, anchors, bg):
        paint = own if color == OWN_COLOR else color
        if paint >= 0:
            out[box_region(grid.shape, box, region) & free] = paint
    return as_grid(out)
