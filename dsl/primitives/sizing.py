"""Sizing: measuring, cropping, padding, scaling, tiling, splitting and joining whole grids,
and the parts between separator lines (their layout, one colour per part, place by place).

Every grid a primitive builds is at most MAX_SIDE_INTERMEDIATE cells per side (ARC grids are
at most 30, so intermediates may double); larger or empty results raise EvalError, and sizes
are checked before anything is allocated.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dsl.errors import EvalError
from dsl.primitives.drawing import connect_same
from dsl.registry import primitive
from dsl.values import Grid, as_grid

MAX_SIDE_INTERMEDIATE = 60


def check_shape(h: int, w: int, name: str) -> None:
    """Raise EvalError unless an h x w result is non-empty and within MAX_SIDE_INTERMEDIATE."""
    if h < 1 or w < 1:
        raise EvalError(f"{name} would produce an empty grid")
    if h > MAX_SIDE_INTERMEDIATE or w > MAX_SIDE_INTERMEDIATE:
        raise EvalError(f"{name} would produce a {h}x{w} grid, over the limit of "
                        f"{MAX_SIDE_INTERMEDIATE} per side")


def check_window(grid: Grid, top: int, left: int, h: int, w: int) -> None:
    """Raise EvalError unless the h x w window at (top, left) is non-empty and inside the grid
    (the preconditions of `crop`)."""
    rows, cols = grid.shape
    if h < 1 or w < 1:
        raise EvalError(f"crop: size {h}x{w} is empty")
    if top < 0 or left < 0 or top + h > rows or left + w > cols:
        raise EvalError(f"crop: window {h}x{w} at ({top}, {left}) is outside the "
                        f"{rows}x{cols} grid")


def check_positive(value: int, what: str, name: str) -> int:
    """`value` as an int when it is 1 or more; else the EvalError naming primitive `name`
    and its argument `what`."""
    if value < 1:
        raise EvalError(f"{name}: {what} must be positive, got {value}")
    return int(value)


@primitive("(Grid) -> Int", example="height([[1, 2], [3, 4], [5, 6]]) == 3")
def height(grid: Grid) -> int:
    """Number of rows of a grid."""
    return int(grid.shape[0])


@primitive("(Grid) -> Int", example="width([[1, 2], [3, 4], [5, 6]]) == 2")
def width(grid: Grid) -> int:
    """Number of columns of a grid."""
    return int(grid.shape[1])


@primitive("(Grid, Int, Int, Int, Int) -> Grid", kernel="crop",
           example="crop([[1, 2, 3], [4, 5, 6]], 0, 1, 2, 2) == [[2, 3], [5, 6]]")
def crop(grid: Grid, top: int, left: int, h: int, w: int) -> Grid:
    """The h x w window whose top-left cell is (top, left); it must lie inside the grid."""
    check_window(grid, top, left, h, w)
    return as_grid(grid[top:top + h, left:left + w])


@primitive("(Grid, Color) -> Grid", kernel="trim",
           example="trim([[0, 0, 0], [0, 5, 0], [0, 0, 0]]) == [[5]]")
def trim(grid: Grid, bg: int = 0) -> Grid:
    """Crop a grid to the bounding box of its cells that are not `bg`."""
    fg = grid != bg
    rows = np.flatnonzero(fg.any(axis=1))
    if rows.size == 0:
        raise EvalError("trim: every cell is background")
    cols = np.flatnonzero(fg.any(axis=0))
    return as_grid(grid[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1])


@primitive("(Grid) -> Grid",
           example="remove_border([[1, 1, 1], [1, 2, 1], [1, 1, 1]]) == [[2]]")
def remove_border(grid: Grid) -> Grid:
    """Drop the outer ring of cells (the grid needs at least 3 rows and 3 columns)."""
    if grid.shape[0] < 3 or grid.shape[1] < 3:
        raise EvalError(f"remove_border: a {grid.shape[0]}x{grid.shape[1]} grid has no inside")
    return as_grid(grid[1:-1, 1:-1])


@primitive("(Grid, Int, Color) -> Grid", domains={"n": (1, 2, 3)}, kernel="pad",
           example="pad([[5]], 1, 2) == [[2, 2, 2], [2, 5, 2], [2, 2, 2]]")
def pad(grid: Grid, n: int, color: int) -> Grid:
    """Surround a grid with a border n cells wide of one colour."""
    n = check_positive(n, "border width", "pad")
    check_shape(grid.shape[0] + 2 * n, grid.shape[1] + 2 * n, "pad")
    return as_grid(np.pad(grid, n, mode="constant", constant_values=color))


@primitive("(Color, Int, Int) -> Grid", kernel="canvas",
           example="canvas(3, 2, 3) == [[3, 3, 3], [3, 3, 3]]")
def canvas(color: int, h: int, w: int) -> Grid:
    """A new h x w grid filled with one colour."""
    check_shape(h, w, "canvas")
    return as_grid(np.full((int(h), int(w)), color, dtype=np.uint8))


@primitive("(Grid, Int, Int) -> Grid", domains={"rows": (1, 2, 3, 4), "cols": (1, 2, 3, 4)},
           kernel="tile", example="tile([[1, 2]], 2, 2) == [[1, 2, 1, 2], [1, 2, 1, 2]]")
def tile(grid: Grid, rows: int, cols: int) -> Grid:
    """Repeat a grid `rows` times downwards and `cols` times across."""
    rows, cols = check_positive(rows, "rows", "tile"), check_positive(cols, "cols", "tile")
    check_shape(grid.shape[0] * rows, grid.shape[1] * cols, "tile")
    return as_grid(np.tile(grid, (rows, cols)))


@primitive("(Grid, Int) -> Grid", domains={"k": (2, 3, 4, 5)}, kernel="upscale",
           example="upscale([[1, 2]], 2) == [[1, 1, 2, 2], [1, 1, 2, 2]]")
def upscale(grid: Grid, k: int) -> Grid:
    """Scale a grid up by an integer factor: each cell becomes a k x k block."""
    return upscale_hw.fn(grid, k, k)


@primitive("(Grid, Int, Int) -> Grid", domains={"kr": (1, 2, 3, 4, 5), "kc": (1, 2, 3, 4, 5)},
           kernel="upscale_hw", example="upscale_hw([[1, 2]], 2, 1) == [[1, 2], [1, 2]]")
def upscale_hw(grid: Grid, kr: int, kc: int) -> Grid:
    """Scale a grid up by separate factors: each cell becomes a kr x kc block."""
    kr, kc = check_positive(kr, "row factor", "upscale"), check_positive(kc, "column factor", "upscale")
    check_shape(grid.shape[0] * kr, grid.shape[1] * kc, "upscale")
    return as_grid(np.repeat(np.repeat(grid, kr, axis=0), kc, axis=1))


@primitive("(Grid, Int) -> Grid", domains={"k": (2, 3, 4, 5)},
           example="downscale([[1, 1, 2, 2], [1, 1, 2, 2]], 2) == [[1, 2]]")
def downscale(grid: Grid, k: int) -> Grid:
    """Scale a grid down by k, keeping the top-left cell of each k x k block."""
    k = check_positive(k, "factor", "downscale")
    if grid.shape[0] % k or grid.shape[1] % k:
        raise EvalError(f"downscale: {grid.shape[0]}x{grid.shape[1]} is not divisible by {k}")
    return as_grid(grid[::k, ::k])


@primitive("(Grid, Int) -> Grid", domains={"k": (2, 3, 4, 5)},
           example="downscale_mode([[1, 2, 0, 0], [1, 1, 0, 3]], 2) == [[1, 0]]")
def downscale_mode(grid: Grid, k: int) -> Grid:
    """Scale a grid down by k, each k x k block becoming its most common colour (ties: smaller)."""
    k = check_positive(k, "factor", "downscale_mode")
    h, w = grid.shape
    if h % k or w % k:
        raise EvalError(f"downscale_mode: {h}x{w} is not divisible by {k}")
    blocks = grid.reshape(h // k, k, w // k, k).transpose(0, 2, 1, 3).reshape(h // k, w // k, -1)
    counts = (blocks[..., None] == np.arange(10, dtype=grid.dtype)).sum(axis=2)
    return as_grid(counts.argmax(axis=2).astype(np.uint8))


def _split(grid: Grid, n: int, axis: int, name: str) -> tuple[Grid, ...]:
    n = check_positive(n, "number of parts", name)
    if grid.shape[axis] % n:
        raise EvalError(f"{name}: {grid.shape[axis]} is not divisible by {n}")
    return tuple(as_grid(part) for part in np.split(grid, n, axis=axis))


@primitive("(Grid, Int) -> List[Grid]", domains={"n": (2, 3, 4)},
           example="hsplit([[1, 2, 3, 4]], 2) == [[[1, 2]], [[3, 4]]]")
def hsplit(grid: Grid, n: int) -> tuple[Grid, ...]:
    """Cut a grid into n equally wide parts, left to right."""
    return _split(grid, n, 1, "hsplit")


@primitive("(Grid, Int) -> List[Grid]", domains={"n": (2, 3, 4)},
           example="vsplit([[1], [2]], 2) == [[[1]], [[2]]]")
def vsplit(grid: Grid, n: int) -> tuple[Grid, ...]:
    """Cut a grid into n equally tall parts, top to bottom."""
    return _split(grid, n, 0, "vsplit")


def _separator_color(grid: Grid) -> int | None:
    """The colour of the separator lines: see split_by_lines."""
    best: tuple[bool, int, int, int, int] | None = None
    for color in np.unique(grid):
        is_c = grid == color
        full_rows, full_cols = is_c.all(axis=1), is_c.all(axis=0)
        lines = int(full_rows.sum() + full_cols.sum())
        if lines == 0:
            continue
        pure = bool((is_c & ~full_rows[:, None] & ~full_cols[None, :]).sum() == 0)
        interior = int(full_rows[1:-1].sum() + full_cols[1:-1].sum())
        key = (pure, interior, lines, -int(is_c.sum()), int(color))
        best = key if best is None or key > best else best
    return None if best is None else best[-1]


def _runs(keep: np.ndarray) -> list[tuple[int, int]]:
    """Maximal [start, stop) runs of True in a 1-D bool array."""
    edges = np.diff(np.concatenate(([0], keep.astype(np.int8), [0])))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()))


Layout = tuple[int, list[tuple[int, int]], list[tuple[int, int]]]


def separator_layout(grid: Grid) -> Layout | None:
    """(separator colour, [start, stop) row runs, column runs of the parts) of a grid cut by
    full lines of its separator colour (see split_by_lines), or None without such a line."""
    color = _separator_color(grid)
    if color is None:
        return None
    is_c = grid == color
    return color, _runs(~is_c.all(axis=1)), _runs(~is_c.all(axis=0))


@primitive("(Grid) -> List[Grid]", kernel="split_by_lines",
           example="split_by_lines([[1, 5, 2], [1, 5, 2]]) == [[[1], [1]], [[2], [2]]]")
def split_by_lines(grid: Grid) -> tuple[Grid, ...]:
    """Cut a grid along its full rows/columns of the separator colour; parts in reading order.

    The separator colour forms at least one complete row or column; among several, prefer
    one found only on its complete lines, then the most lines away from the edge, then the
    most lines, then the fewest cells, then the highest colour. Empty stretches between
    adjacent lines (or a line and the edge) are skipped; EvalError when nothing remains.
    """
    layout = separator_layout(grid)
    if layout is None:
        raise EvalError("split_by_lines: no complete row or column of one colour")
    _, row_runs, col_runs = layout
    if not row_runs or not col_runs:
        raise EvalError("split_by_lines: nothing between the separator lines")
    return tuple(as_grid(grid[r0:r1, c0:c1]) for r0, r1 in row_runs for c0, c1 in col_runs)


@primitive("(Grid, Grid) -> Grid", kernel="paint_parts",
           example="paint_parts([[0, 5, 0], [0, 5, 0]], [[1, 2]]) == [[1, 5, 2], [1, 5, 2]]")
def paint_parts(grid: Grid, small: Grid) -> Grid:
    """Fill each part between the separator lines (see split_by_lines) with the colour of
    the cell of `small` at the part's place in the layout (`small` is one cell per part)."""
    layout = separator_layout(grid)
    if layout is None:
        raise EvalError("paint_parts: no complete row or column of one colour")
    _, row_runs, col_runs = layout
    if (len(row_runs), len(col_runs)) != small.shape:
        raise EvalError(f"paint_parts: {len(row_runs)}x{len(col_runs)} parts, but `small` "
                        f"is {small.shape[0]}x{small.shape[1]}")
    out = np.array(grid, dtype=np.uint8)
    for i, (r0, r1) in enumerate(row_runs):
        for j, (c0, c1) in enumerate(col_runs):
            out[r0:r1, c0:c1] = small[i, j]
    return as_grid(out)


PART_RULE_KINDS = (0, 1, 2, 3)  # part featurisations, coarse to fine
PART_OWN = 10                   # a part_rule value: the part's own dominant colour


def _two_or_more_parts(grid: Grid, name: str) -> Layout:
    """`separator_layout(grid)`, or an EvalError naming `name` unless it has two or more parts."""
    layout = separator_layout(grid)
    if layout is None or len(layout[1]) * len(layout[2]) < 2:
        raise EvalError(f"{name}: fewer than two parts between separator lines")
    return layout


def part_features(grid: Grid, kind: int, bg: int) -> tuple[np.ndarray, np.ndarray]:
    """(feature code, dominant colour) of every part between the separator lines, one cell
    per part (the layout's shape). A part's cells of neither `bg` nor the separator colour
    count; its dominant colour is the most common of them (ties: smaller; `bg` if none).
    Codes of `kind`: 0: 2 where the count is the largest of all parts', else 1 where the
    smallest, else 0; 1: the count; 2: how many colours; 3: the dominant colour."""
    if kind not in PART_RULE_KINDS:
        raise EvalError(f"part kind {kind} is not in 0..{PART_RULE_KINDS[-1]}")
    sep, rows, cols = _two_or_more_parts(grid, "part_rule")
    shape = (len(rows), len(cols))
    counts, n_colors = np.zeros(shape, np.int64), np.zeros(shape, np.int64)
    dominant = np.full(shape, bg, np.int64)
    for i, (r0, r1) in enumerate(rows):
        for j, (c0, c1) in enumerate(cols):
            part = grid[r0:r1, c0:c1]
            tally = np.bincount(part[(part != bg) & (part != sep)], minlength=10)
            counts[i, j], n_colors[i, j] = tally.sum(), np.count_nonzero(tally)
            dominant[i, j] = tally.argmax() if tally.any() else bg
    ranks = np.where(counts == counts.max(), 2, np.where(counts == counts.min(), 1, 0))
    return (ranks, counts, n_colors, dominant)[kind], dominant


@primitive("(Grid, Int, List[Int], List[Int], Color) -> Grid", domains={"kind": PART_RULE_KINDS},
           example="part_rule([[0, 5, 3], [0, 5, 3]], 0, [1, 2], [4, 10], 0) == [[4, 3]]")
def part_rule(grid: Grid, kind: int, keys: tuple[int, ...], values: tuple[int, ...],
              bg: int = 0) -> Grid:
    """One cell per part between the separator lines: values[i] for a part whose feature
    code (`part_features` of `kind`) is keys[i]; value 10 is the part's own dominant colour."""
    codes, dominant = part_features(grid, kind, bg)
    if len(keys) != len(values) or len(set(keys)) != len(keys):
        raise EvalError("part_rule: keys and values must pair up, each key once")
    if not all(0 <= value <= PART_OWN for value in values):
        raise EvalError("part_rule: values must be colours 0..9 or 10 (own colour)")
    table = dict(zip(keys, values))
    if any(int(code) not in table for code in np.unique(codes)):
        raise EvalError("part_rule: a part's code is not among the keys")
    out = np.vectorize(lambda code: table[int(code)], otypes=[np.int64])(codes)
    return as_grid(np.where(out == PART_OWN, dominant, out).astype(np.uint8))


ACROSS_PARTS_OPS = (0, 1, 2, 3, 4)   # across_parts: connect rows, columns, both; fill; union


def _across(stack: np.ndarray, op: int, bg: int, sep: int) -> np.ndarray:
    """`across_parts` on a (rows, cols, h, w) stack of parts."""
    if op <= 2:
        out = stack.copy()
        for a in range(stack.shape[2]):
            for b in range(stack.shape[3]):
                out[:, :, a, b] = connect_same.fn(as_grid(stack[:, :, a, b]), op, bg)
        return out
    flat = stack.reshape(-1, stack.shape[2], stack.shape[3])
    tallies = np.stack([(flat == c).sum(axis=0) for c in range(10)])
    tallies[bg] = 0
    fill = tallies.argmax(axis=0) if op == 3 else np.full(tallies.shape[1:], sep)
    return np.where((stack == bg) & tallies.any(axis=0), fill, stack).astype(np.uint8)


@primitive("(Grid, Int, Color) -> Grid", domains={"op": ACROSS_PARTS_OPS},
           example="across_parts([[1, 0, 5, 0, 2], [0, 0, 5, 0, 0]], 3, 0) == "
                   "[[1, 2, 5, 1, 2], [0, 0, 5, 0, 0]]")
def across_parts(grid: Grid, op: int, bg: int = 0) -> Grid:
    """Rewrite together the cells at each place within the parts between the separator lines
    (parts of one shape), seen as one cell per part: op 0/1/2 joins equal colours along rows,
    columns or both (`connect_same`); where some part is not `bg` at that place, its `bg`
    cells take op 3: the most common other colour there (ties: smaller), op 4: the separator
    colour."""
    if op not in ACROSS_PARTS_OPS:
        raise EvalError(f"across_parts: op {op} is not in 0..{ACROSS_PARTS_OPS[-1]}")
    sep, rows, cols = _two_or_more_parts(grid, "across_parts")
    if len({r1 - r0 for r0, r1 in rows}) > 1 or len({c1 - c0 for c0, c1 in cols}) > 1:
        raise EvalError("across_parts: the parts differ in shape")
    stack = np.array([[grid[r0:r1, c0:c1] for c0, c1 in cols] for r0, r1 in rows])
    stack = _across(stack, op, bg, sep)
    out = np.array(grid, dtype=np.uint8)
    for i, (r0, r1) in enumerate(rows):
        for j, (c0, c1) in enumerate(cols):
            out[r0:r1, c0:c1] = stack[i, j]
    return as_grid(out)


def _concat(grids: Sequence[Grid], axis: int, name: str) -> Grid:
    if not grids:
        raise EvalError(f"{name}: no grids to join")
    other = 1 - axis
    if any(g.shape[other] != grids[0].shape[other] for g in grids):
        what = "heights" if axis == 1 else "widths"
        raise EvalError(f"{name}: {what} differ")
    total = sum(int(g.shape[axis]) for g in grids)
    if axis == 1:
        check_shape(int(grids[0].shape[0]), total, name)
    else:
        check_shape(total, int(grids[0].shape[1]), name)
    return as_grid(np.concatenate(grids, axis=axis))


@primitive("(Grid, Grid) -> Grid", example="hconcat([[1], [2]], [[3], [4]]) == [[1, 3], [2, 4]]")
def hconcat(a: Grid, b: Grid) -> Grid:
    """Join two equally tall grids side by side, `a` on the left."""
    return _concat((a, b), 1, "hconcat")


@primitive("(Grid, Grid) -> Grid", example="vconcat([[1, 2]], [[3, 4]]) == [[1, 2], [3, 4]]")
def vconcat(a: Grid, b: Grid) -> Grid:
    """Join two equally wide grids one above the other, `a` on top."""
    return _concat((a, b), 0, "vconcat")


@primitive("(List[Grid]) -> Grid", example="stack_h([[[1]], [[2]], [[3]]]) == [[1, 2, 3]]")
def stack_h(grids: tuple[Grid, ...]) -> Grid:
    """Join a list of equally tall grids left to right."""
    return _concat(grids, 1, "stack_h")


@primitive("(List[Grid]) -> Grid", example="stack_v([[[1]], [[2]], [[3]]]) == [[1], [2], [3]]")
def stack_v(grids: tuple[Grid, ...]) -> Grid:
    """Join a list of equally wide grids top to bottom."""
    return _concat(grids, 0, "stack_v")


@primitive("(List[Grid], Int) -> Grid", domains={"cols": (1, 2, 3, 4)},
           example="stack_grid([[[1]], [[2]], [[3]], [[4]]], 2) == [[1, 2], [3, 4]]")
def stack_grid(grids: tuple[Grid, ...], cols: int) -> Grid:
    """Lay equally shaped grids out in reading order, `cols` to a row (count divisible by cols)."""
    cols = check_positive(cols, "cols", "stack_grid")
    if not grids or len(grids) % cols:
        raise EvalError(f"stack_grid: {len(grids)} grids do not fill rows of {cols}")
    if any(g.shape != grids[0].shape for g in grids):
        raise EvalError("stack_grid: grids differ in shape")
    check_shape(int(grids[0].shape[0]) * (len(grids) // cols), int(grids[0].shape[1]) * cols,
                "stack_grid")
    rows = [np.concatenate(grids[i:i + cols], axis=1) for i in range(0, len(grids), cols)]
    return as_grid(np.concatenate(rows, axis=0))


def _half(grid: Grid, axis: int, first: bool, name: str) -> Grid:
    n = grid.shape[axis]
    if n < 2:
        raise EvalError(f"{name}: a grid 1 cell across has no halves")
    part = slice(0, n // 2) if first else slice((n + 1) // 2, n)
    return as_grid(grid[:, part] if axis == 1 else grid[part, :])


@primitive("(Grid) -> Grid", example="left_half([[1, 2, 3]]) == [[1]]")
def left_half(grid: Grid) -> Grid:
    """The left floor(w/2) columns (the middle column of an odd width is dropped)."""
    return _half(grid, 1, True, "left_half")


@primitive("(Grid) -> Grid", example="right_half([[1, 2, 3]]) == [[3]]")
def right_half(grid: Grid) -> Grid:
    """The right floor(w/2) columns (the middle column of an odd width is dropped)."""
    return _half(grid, 1, False, "right_half")


@primitive("(Grid) -> Grid", example="top_half([[1], [2], [3], [4]]) == [[1], [2]]")
def top_half(grid: Grid) -> Grid:
    """The top floor(h/2) rows (the middle row of an odd height is dropped)."""
    return _half(grid, 0, True, "top_half")


@primitive("(Grid) -> Grid", example="bottom_half([[1], [2], [3], [4]]) == [[3], [4]]")
def bottom_half(grid: Grid) -> Grid:
    """The bottom floor(h/2) rows (the middle row of an odd height is dropped)."""
    return _half(grid, 0, False, "bottom_half")


@primitive("(Grid, Grid, Color) -> Grid", kernel="kron_with",
           example="kron_with([[1, 0]], [[2, 3]]) == [[2, 3, 0, 0]]")
def kron_with(a: Grid, b: Grid, bg: int = 0) -> Grid:
    """Replace each non-`bg` cell of `a` by a copy of `b` and each `bg` cell by a `bg` block."""
    (ha, wa), (hb, wb) = a.shape, b.shape
    check_shape(ha * hb, wa * wb, "kron_with")
    where = np.repeat(np.repeat(a != bg, hb, axis=0), wb, axis=1)
    return as_grid(np.where(where, np.tile(b, (ha, wa)), np.uint8(bg)))


@primitive("(Grid, Color) -> Grid", kernel="kron",
           example="kron([[1, 0], [0, 1]]) == [[1, 0, 0, 0], [0, 1, 0, 0], "
                   "[0, 0, 1, 0], [0, 0, 0, 1]]")
def kron(grid: Grid, bg: int = 0) -> Grid:
    """Fractal self-product: each non-`bg` cell becomes a copy of the grid, others `bg` blocks."""
    return kron_with.fn(grid, grid, bg)


def _dedupe(grid: Grid, axis: int) -> Grid:
    lines = grid if axis == 0 else grid.T
    keep = np.ones(lines.shape[0], dtype=bool)
    keep[1:] = (lines[1:] != lines[:-1]).any(axis=1)
    return as_grid(grid[keep, :] if axis == 0 else grid[:, keep])


@primitive("(Grid) -> Grid", kernel="dedupe_rows",
           example="dedupe_rows([[1], [1], [2], [1]]) == [[1], [2], [1]]")
def dedupe_rows(grid: Grid) -> Grid:
    """Collapse each run of identical adjacent rows into one row."""
    return _dedupe(grid, 0)


@primitive("(Grid) -> Grid", kernel="dedupe_cols",
           example="dedupe_cols([[1, 1, 2, 1]]) == [[1, 2, 1]]")
def dedupe_cols(grid: Grid) -> Grid:
    """Collapse each run of identical adjacent columns into one column."""
    return _dedupe(grid, 1)


@primitive("(Grid) -> Grid", kernel="compress",
           example="compress([[0, 0, 0], [1, 0, 2], [0, 0, 0]]) == [[1, 2]]")
def compress(grid: Grid) -> Grid:
    """Remove every row and column entirely of the grid's most common colour (ties: lowest).

    Rows and columns are chosen on the original grid, then all removed at once; a uniform
    row or column of another colour stays. EvalError when nothing remains.
    """
    common = int(np.argmax(np.bincount(grid.ravel(), minlength=10)))
    is_c = grid == common
    rows, cols = ~is_c.all(axis=1), ~is_c.all(axis=0)
    if not rows.any() or not cols.any():
        raise EvalError("compress: every row or every column is the most common colour")
    return as_grid(grid[rows][:, cols])


def _resize_axis(n: int, target: int) -> np.ndarray:
    """Source indices along one axis for a nearest-neighbour integer-factor resize."""
    if target % n == 0:
        return np.arange(target) // (target // n)
    if n % target == 0:
        return np.arange(target) * (n // target)
    raise EvalError(f"resize_to: {n} -> {target} is not an integer scale")


@primitive("(Grid, Grid) -> Grid", kernel="resize_to",
           example="resize_to([[1, 2]], [[0, 0, 0, 0], [0, 0, 0, 0]]) == "
                   "[[1, 1, 2, 2], [1, 1, 2, 2]]")
def resize_to(grid: Grid, like: Grid) -> Grid:
    """Scale a grid to the shape of `like` by integer factors per axis (up or down)."""
    rows = _resize_axis(grid.shape[0], like.shape[0])
    cols = _resize_axis(grid.shape[1], like.shape[1])
    return as_grid(grid[np.ix_(rows, cols)])


@primitive("(Grid, Int, Int) -> Color", example="cell([[1, 2], [3, 4]], 1, 0) == 3")
def cell(grid: Grid, r: int, c: int) -> int:
    """The colour at row r, column c (0-based; no wrap-around)."""
    if not (0 <= r < grid.shape[0] and 0 <= c < grid.shape[1]):
        raise EvalError(f"cell: ({r}, {c}) is outside the {grid.shape[0]}x{grid.shape[1]} grid")
    return int(grid[r, c])


@primitive("(Grid, Grid) -> Bool", example="shape_eq([[1, 2]], [[3, 4]]) == True")
def shape_eq(a: Grid, b: Grid) -> bool:
    """True when two grids have the same height and width."""
    return a.shape == b.shape


@primitive("(Grid, Int, Int) -> Grid", kernel="tile_to",
           example="tile_to([[1, 2]], 2, 3) == [[1, 2, 1], [1, 2, 1]]")
def tile_to(grid: Grid, h: int, w: int) -> Grid:
    """Repeat a grid in both directions and crop to h x w (1 <= h, w <= 60)."""
    check_shape(h, w, "tile_to")
    rows = np.arange(int(h)) % grid.shape[0]
    cols = np.arange(int(w)) % grid.shape[1]
    return as_grid(grid[np.ix_(rows, cols)])
