"""Property tests for the drawing family (dsl/primitives/drawing.py)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.errors import EvalError
from dsl.primitives import drawing as D
from dsl.registry import default_registry
from dsl.typeof import value_has_type
from dsl.values import Object, make_object
from tests.dsl.family_checks import (examples_hold_test, patch_objects, programs_solve_test,
                                     total_well_typed_and_pure_test)
from tests.strategies import colors, covers, grids, objects_

FAST = settings(max_examples=60, deadline=None)
FAMILY = default_registry().family("drawing")

points = st.tuples(st.integers(-4, 34), st.integers(-4, 34))
huge_points = st.tuples(st.integers(-10**30, 10**30), st.integers(-10**30, 10**30))
bgs = st.one_of(st.just(0), colors)


def _present(grid: np.ndarray, color: int) -> int:
    """`color` if the grid has it, else one of the grid's colours (so properties bite)."""
    return color if (grid == color).any() else int(grid.flat[color % grid.size])


def _inside(grid: np.ndarray, r: int, c: int) -> bool:
    return 0 <= r < grid.shape[0] and 0 <= c < grid.shape[1]


def _only_changed(before: np.ndarray, after: np.ndarray, allowed: np.ndarray) -> bool:
    """Shape kept and every changed cell is in `allowed`."""
    return after.shape == before.shape and not ((after != before) & ~allowed).any()


def _painted(grid: np.ndarray, cells: list[tuple[int, int]], color: int) -> np.ndarray:
    out = np.array(grid)
    for r, c in cells:
        if _inside(grid, r, c):
            out[r, c] = color
    return out


def _obj_cells(obj: Object) -> list[tuple[int, int, int]]:
    return [(obj.top + r, obj.left + c, int(obj.colors[r, c]))
            for r, c in zip(*np.nonzero(obj.mask))]


@st.composite
def grid_objects(draw: st.DrawFn) -> tuple[np.ndarray, Object]:
    """A grid and an object: a random one (anywhere) or a patch of the grid's own cells."""
    grid = draw(grids(max_side=12))
    return grid, draw(objects_() if draw(st.booleans()) else patch_objects(grid))


# --- lines and rays ---------------------------------------------------------------------------

@covers("line")
@FAST
@given(grids(max_side=12), points, points, colors)
def test_line_paints_exactly_the_segment(grid, a, b, color) -> None:
    dr, dc = b[0] - a[0], b[1] - a[1]
    if dr and dc and abs(dr) != abs(dc):
        with pytest.raises(EvalError):
            D.line(grid, a, b, color)
        return
    n = max(abs(dr), abs(dc))
    sr, sc = np.sign(dr), np.sign(dc)
    expected = _painted(grid, [(a[0] + k * sr, a[1] + k * sc) for k in range(n + 1)], color)
    out = D.line(grid, a, b, color)
    assert np.array_equal(out, expected)
    assert np.array_equal(D.line(grid, b, a, color), out)


@covers("line", "ray", "ray_until")
@FAST
@given(grids(max_side=8), huge_points, st.integers(0, 7), colors)
def test_far_away_points_are_clipped_not_fatal(grid, start, direction, color) -> None:
    far = (start[0] - 10**25, start[1] + 10**25)
    for out in (D.ray(grid, start, direction, color), D.ray_until(grid, start, direction, color),
                D.line(grid, start, start, color), D.line(grid, start, far, color)):
        assert value_has_type(out, D.line.returns) and out.shape == grid.shape


@covers("hline", "vline")
@FAST
@given(grids(max_side=12), st.integers(-2, 14), colors)
def test_hline_vline(grid, index, color) -> None:
    h, w = grid.shape
    for prim, size, axis in ((D.hline, h, 0), (D.vline, w, 1)):
        if not 0 <= index < size:
            with pytest.raises(EvalError):
                prim(grid, index, color)
            continue
        out = prim(grid, index, color)
        assert (np.take(out, index, axis=axis) == color).all()
        keep = np.ones(grid.shape, bool)
        np.moveaxis(keep, axis, 0)[index] = False
        assert _only_changed(grid, out, ~keep)


def _ray_cells(grid, start, direction) -> list[tuple[int, int]]:
    dr, dc = D.DIRECTIONS[direction]
    cells, (r, c) = [], start
    for _ in range(80):
        r, c = r + dr, c + dc
        if _inside(grid, r, c):
            cells.append((r, c))
    return cells


@covers("ray")
@FAST
@given(grids(max_side=12), points, st.integers(0, 7), colors)
def test_ray_paints_to_the_border(grid, start, direction, color) -> None:
    out = D.ray(grid, start, direction, color)
    assert np.array_equal(out, _painted(grid, _ray_cells(grid, start, direction), color))


@covers("ray", "ray_until", "object_rays")
@FAST
@given(grids(max_side=6), points, st.sampled_from([-1, 8, 100]), colors)
def test_bad_directions_raise(grid, start, direction, color) -> None:
    with pytest.raises(EvalError):
        D.ray(grid, start, direction, color)
    with pytest.raises(EvalError):
        D.ray_until(grid, start, direction, color)
    with pytest.raises(EvalError):
        D.object_rays(grid, make_object(grid, np.ones(grid.shape, bool)), direction)


@covers("ray_until")
@FAST
@given(grids(max_side=12), points, st.integers(0, 7), colors, bgs)
def test_ray_until_stops_before_the_first_non_bg_cell(grid, start, direction, color, bg) -> None:
    cells = []
    for r, c in _ray_cells(grid, start, direction):
        if grid[r, c] != bg:
            break
        cells.append((r, c))
    out = D.ray_until(grid, start, direction, color, bg)
    assert np.array_equal(out, _painted(grid, cells, color))
    assert _only_changed(grid, out, grid == bg)


@covers("object_rays")
@FAST
@given(grid_objects(), st.integers(0, 7), bgs)
def test_object_rays_match_a_cell_by_cell_walk(pair, direction, bg) -> None:
    grid, obj = pair
    cells = _obj_cells(obj)
    own = {(r, c) for r, c, _ in cells}
    expected = np.array(grid)
    dr, dc = D.DIRECTIONS[direction]
    for r, c, color in cells:
        for _ in range(80):
            r, c = r + dr, c + dc
            if _inside(grid, r, c):
                if grid[r, c] != bg or (r, c) in own:
                    break
                expected[r, c] = color
    out = D.object_rays(grid, obj, direction, bg)
    assert np.array_equal(out, expected)
    assert _only_changed(grid, out, grid == bg)


far_offsets = st.sampled_from([2**31, 2**63 - 1, 2**63, 10**30])


@covers("object_rays", "outline")
@FAST
@given(grids(max_side=12), objects_(), st.integers(0, 3), far_offsets, bgs)
def test_objects_beyond_64_bit_offsets_are_drawn_exactly(grid, obj, direction, far, bg) -> None:
    """An object just off the grid, against the direction of its rays, and the same object
    moved `far` further along them (offsets beyond int64) cast the same rays; neither outlines
    anything."""
    (h, w), (dr, dc) = grid.shape, D.DIRECTIONS[direction]
    top = {0: h, 2: -obj.height}.get(direction, obj.top)
    left = {1: -obj.width, 3: w}.get(direction, obj.left)
    near = Object(obj.colors, obj.mask, top, left)
    moved = Object(obj.colors, obj.mask, top - far * dr, left - far * dc)
    assert np.array_equal(D.object_rays(grid, moved, direction, bg),
                          D.object_rays(grid, near, direction, bg))
    assert np.array_equal(D.outline(grid, moved, 5, 8, bg), grid)


# --- boxes, outlines and fills ----------------------------------------------------------------

def _ring(shape, top, left, bottom, right) -> np.ndarray:
    rows, cols = np.indices(shape)
    inside = (rows >= top) & (rows <= bottom) & (cols >= left) & (cols <= right)
    strictly = (rows > top) & (rows < bottom) & (cols > left) & (cols < right)
    return inside & ~strictly


@covers("box", "box_inside")
@FAST
@given(grid_objects(), colors)
def test_box_and_box_inside_paint_a_ring(pair, color) -> None:
    grid, obj = pair
    b, r = obj.top + obj.height - 1, obj.left + obj.width - 1
    for prim, ring in ((D.box, _ring(grid.shape, obj.top - 1, obj.left - 1, b + 1, r + 1)),
                       (D.box_inside, _ring(grid.shape, obj.top, obj.left, b, r))):
        out = prim(grid, obj, color)
        assert (out[ring] == color).all() and np.array_equal(out[~ring], grid[~ring])
    outer = D.box(grid, obj, color)
    for r0, c0, _ in _obj_cells(obj):     # the outer box never touches the object itself
        if _inside(grid, r0, c0):
            assert outer[r0, c0] == grid[r0, c0]


@covers("outline")
@FAST
@given(grid_objects(), colors, st.sampled_from([4, 8]), bgs)
def test_outline_paints_the_bg_neighbours(pair, color, connect, bg) -> None:
    grid, obj = pair
    own = {(r, c) for r, c, _ in _obj_cells(obj)}
    steps = D.DIRECTIONS[:connect]
    near = np.zeros(grid.shape, bool)
    for r, c in own:
        for dr, dc in steps:
            if _inside(grid, r + dr, c + dc) and (r + dr, c + dc) not in own:
                near[r + dr, c + dc] = True
    out = D.outline(grid, obj, color, connect, bg)
    assert np.array_equal(out, np.where(near & (grid == bg), color, grid))
    with pytest.raises(EvalError):
        D.outline(grid, obj, color, 6, bg)


@covers("fill_bbox")
@FAST
@given(grid_objects(), colors, bgs)
def test_fill_bbox_paints_bg_inside_the_bbox(pair, color, bg) -> None:
    grid, obj = pair
    rows, cols = np.indices(grid.shape)
    box = ((rows >= obj.top) & (rows < obj.top + obj.height)
           & (cols >= obj.left) & (cols < obj.left + obj.width))
    out = D.fill_bbox(grid, obj, color, bg)
    assert np.array_equal(out, np.where(box & (grid == bg), color, grid))


def _reachable(passable: np.ndarray, seeds: np.ndarray, steps) -> np.ndarray:
    """Reference reachability by repeated dilation."""
    reach = seeds & passable
    while True:
        grown = reach.copy()
        for dr, dc in steps:
            shifted = np.zeros_like(reach)
            h, w = reach.shape
            src = reach[max(0, -dr):h - max(0, dr), max(0, -dc):w - max(0, dc)]
            shifted[max(0, dr):h - max(0, -dr), max(0, dc):w - max(0, -dc)] = src
            grown |= shifted & passable
        if np.array_equal(grown, reach):
            return reach
        reach = grown


@covers("flood_fill")
@FAST
@given(grids(max_side=12, max_colors=3), points, colors, st.sampled_from([4, 8]))
def test_flood_fill_is_idempotent_and_fills_the_region(grid, start, color, connect) -> None:
    if not _inside(grid, *start):
        with pytest.raises(EvalError):
            D.flood_fill(grid, start, color, connect)
        return
    seeds = np.zeros(grid.shape, bool)
    seeds[start] = True
    region = _reachable(grid == grid[start], seeds, D.DIRECTIONS[:connect])
    out = D.flood_fill(grid, start, color, connect)
    assert np.array_equal(out, np.where(region, color, grid))
    assert np.array_equal(D.flood_fill(out, start, color, connect), out)


@covers("fill_enclosed")
@FAST
@given(grids(max_side=14, max_colors=2), colors, bgs)
def test_fill_enclosed_never_touches_cells_reachable_from_the_border(grid, color, bg) -> None:
    border = np.ones(grid.shape, bool)
    border[1:-1, 1:-1] = False
    outside = _reachable(grid == bg, border, D.DIRECTIONS[:4])
    out = D.fill_enclosed(grid, color, bg)
    assert np.array_equal(out[outside], grid[outside])
    assert np.array_equal(out, np.where((grid == bg) & ~outside, color, grid))
    if color != bg:
        assert np.array_equal(D.fill_enclosed(out, color, bg), out)


def _join_rows(grid: np.ndarray, expected: np.ndarray, color: int, line_color: int,
               bg: int) -> None:
    """Reference: paint `line_color` over the bg cells between the first and last `color`
    cell of each row of `grid`, into `expected` (a view, so columns work through `.T`)."""
    for i in range(grid.shape[0]):
        hits = np.flatnonzero(grid[i] == color)
        if hits.size >= 2:
            seg = slice(hits[0], hits[-1] + 1)
            expected[i, seg] = np.where(grid[i, seg] == bg, line_color, expected[i, seg])


@covers("connect_pairs")
@FAST
@given(grids(max_side=12, max_colors=3), colors, colors, bgs)
def test_connect_pairs_fills_bg_between_same_line_pairs(grid, color, line_color, bg) -> None:
    color = _present(grid, color)
    expected = np.array(grid)
    for g, e in ((grid, expected), (grid.T, expected.T)):
        _join_rows(g, e, color, line_color, bg)
    out = D.connect_pairs(grid, color, line_color, bg)
    assert np.array_equal(out, expected)
    assert _only_changed(grid, out, grid == bg)


@covers("draw_border")
@FAST
@given(grids(max_side=12), colors)
def test_draw_border(grid, color) -> None:
    out = D.draw_border(grid, color)
    border = np.ones(grid.shape, bool)
    border[1:-1, 1:-1] = False
    assert (out[border] == color).all() and np.array_equal(out[~border], grid[~border])


@covers("fill_rows_with", "fill_cols_with")
@FAST
@given(grids(max_side=12, max_colors=3), colors, bgs)
def test_fill_rows_and_cols_with(grid, color, bg) -> None:
    color = _present(grid, color)
    for prim, g in ((D.fill_rows_with, grid), (D.fill_cols_with, grid.T)):
        out = prim(grid, color, bg)
        o = out if prim is D.fill_rows_with else out.T
        for i in range(g.shape[0]):
            want = np.where(g[i] == bg, color, g[i]) if (g[i] == color).any() else g[i]
            assert np.array_equal(o[i], want)
        assert _only_changed(grid, out, grid == bg)


@covers("fill_clear_lines")
@FAST
@given(grids(max_side=12, max_colors=2), st.sampled_from(D.CLEAR_MARGINS), colors, bgs)
def test_fill_clear_lines(grid, margin, color, bg) -> None:
    out = D.fill_clear_lines(grid, margin, color, bg)
    h, w = grid.shape
    for r in range(h):
        for c in range(w):
            row = (grid[r, margin:w - margin] == bg).all() and w > 2 * margin
            col = (grid[margin:h - margin, c] == bg).all() and h > 2 * margin
            want = color if grid[r, c] == bg and (row or col) else grid[r, c]
            assert out[r, c] == want


def test_fill_clear_lines_margin_ignores_border_cells() -> None:
    grid = np.array([[2, 2, 2, 2], [8, 0, 0, 2], [8, 0, 5, 2], [8, 8, 8, 8]], dtype=np.uint8)
    assert D.fill_clear_lines(grid, 0, 3).tolist() == grid.tolist()
    assert D.fill_clear_lines(grid, 1, 3).tolist() == [
        [2, 2, 2, 2], [8, 3, 3, 2], [8, 3, 5, 2], [8, 8, 8, 8]]


# --- totality, types, purity, examples --------------------------------------------------------

def _draws(grid: np.ndarray) -> dict[str, st.SearchStrategy]:
    """Strategies for the drawing family's argument types (grids and colours: the defaults)."""
    return {"Int": st.integers(-3, 33), "Point": points, "Object": objects_()}


test_total_well_typed_pure_and_shape_preserving = total_well_typed_and_pure_test(
    FAMILY, _draws, max_examples=100, shape_preserving=True,
    name="test_total_well_typed_pure_and_shape_preserving")
test_examples_hold = examples_hold_test(FAMILY)


# --- whole programs on ARC tasks ---------------------------------------------------------------

PROGRAMS = {
    "00d62c1b": "solve(I: Grid) -> Grid:\n    O = fill_enclosed(I, yellow)\n",
    "253bf280": "solve(I: Grid) -> Grid:\n    O = connect_pairs(I, sky, green)\n",
    "6f8cd79b": "solve(I: Grid) -> Grid:\n    O = draw_border(I, sky)\n",
}
test_program_solves_arc_task = programs_solve_test(PROGRAMS)


@covers("paint_cell")
@FAST
@given(grids(), st.one_of(points, huge_points), colors)
def test_paint_cell(grid, p, color) -> None:
    r, c = p
    if not _inside(grid, r, c):
        with pytest.raises(EvalError):
            D.paint_cell(grid, p, color)
        return
    out = D.paint_cell(grid, p, color)
    assert value_has_type(out, D.paint_cell.returns) and not out.flags.writeable
    only = np.zeros(grid.shape, bool)
    only[r, c] = True
    assert out[r, c] == color and _only_changed(grid, out, only)
    assert np.array_equal(D.paint_cell(out, p, int(grid[r, c])), grid)  # undo
    assert np.array_equal(D.line(grid, p, p, color), out)  # a one-cell segment


@covers("connect_pairs_h")
@FAST
@given(grids(max_side=12, max_colors=3), colors, colors, bgs)
def test_connect_pairs_h_fills_bg_between_same_row_pairs_only(grid, color, line_color,
                                                              bg) -> None:
    color = _present(grid, color)
    expected = np.array(grid)
    _join_rows(grid, expected, color, line_color, bg)
    out = D.connect_pairs_h(grid, color, line_color, bg)
    assert np.array_equal(out, expected)
    assert _only_changed(grid, out, grid == bg)
    column = np.array([[color], [bg], [color]], dtype=np.uint8)
    if color != bg:
        assert np.array_equal(D.connect_pairs_h(column, color, line_color, bg), column)


def _gap_fills(line: np.ndarray, bg: int) -> dict[int, int]:
    """Index -> colour for the bg cells between consecutive equal non-bg cells of one line."""
    marks = [i for i, v in enumerate(line) if v != bg]
    return {k: int(line[a]) for a, b in zip(marks, marks[1:]) if line[a] == line[b]
            for k in range(a + 1, b)}


@covers("connect_same")
@FAST
@given(grids(max_side=10, max_colors=3), st.sampled_from((0, 1, 2)), bgs)
def test_connect_same_fills_gaps_between_equal_neighbours(grid, axis, bg) -> None:
    expected = np.array(grid)
    if axis in (1, 2):
        for c in range(grid.shape[1]):
            for r, v in _gap_fills(grid[:, c], bg).items():
                expected[r, c] = v
    if axis in (0, 2):
        for r in range(grid.shape[0]):
            for c, v in _gap_fills(grid[r], bg).items():
                expected[r, c] = v
    out = D.connect_same(grid, axis, bg)
    assert np.array_equal(out, expected)
    assert _only_changed(grid, out, grid == bg)
    if axis == 0:
        assert np.array_equal(D.connect_same(out, 0, bg), out)
    with pytest.raises(EvalError):
        D.connect_same(grid, 3, bg)


def _one_cell_each(grid: np.ndarray, a: int, b: int, seed: int) -> np.ndarray:
    """The grid with its cells of colours a and b recoloured to another colour, then one cell
    of a and one of b put on two random distinct cells (so connect_elbow has its two ends)."""
    filler = min({0, 1, 2} - {a, b})
    out = np.where((grid == a) | (grid == b), filler, grid).astype(np.uint8)
    first, second = np.random.default_rng(seed).choice(out.size, size=2, replace=False)
    out.flat[first], out.flat[second] = a, b
    return out


@covers("connect_elbow")
@FAST
@given(grids(min_side=2, max_side=10, max_colors=3), colors, colors, colors, bgs,
       st.integers(0, 2**32 - 1))
def test_connect_elbow_paints_the_l_path_over_bg(grid, a, b, color, bg, seed) -> None:
    if a == b:
        with pytest.raises(EvalError):
            D.connect_elbow(grid, a, b, color, bg)
        return
    grid = _one_cell_each(grid, a, b, seed)
    (ra, ca), = np.argwhere(grid == a)
    (rb, cb), = np.argwhere(grid == b)
    path = [(ra, c) for c in range(min(ca, cb), max(ca, cb) + 1)]
    path += [(r, cb) for r in range(min(ra, rb), max(ra, rb) + 1)]
    expected = np.array(grid)
    for r, c in path:
        if grid[r, c] == bg:
            expected[r, c] = color
    out = D.connect_elbow(grid, a, b, color, bg)
    assert np.array_equal(out, expected) and not out.flags.writeable
    if color not in (a, b) and bg not in (a, b):
        assert np.array_equal(D.connect_elbow(out, a, b, color, bg), out)
    with pytest.raises(EvalError):
        D.connect_elbow(np.where(grid == a, b, grid).astype(np.uint8), a, b, color, bg)
