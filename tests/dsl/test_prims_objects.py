"""Property tests for the objects family (dsl/primitives/objects.py)."""
from __future__ import annotations

from collections import deque

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.errors import EvalError
from dsl.primitives import objects as O
from dsl.registry import default_registry
from dsl.typeof import value_has_type
from dsl.values import (ARRAY_OVERHEAD, CONTAINER_OVERHEAD, OBJECT_OVERHEAD, SCALAR_BYTES, Object,
                        make_object, value_nbytes)
from tests.dsl.family_checks import examples_hold_test, solves, total_well_typed_and_pure_test
from tests.strategies import colors, covers, grids, masks, objects_

FAST = settings(max_examples=60, deadline=None)
FAMILY = default_registry().family("objects")
CONNECT = st.sampled_from((4, 8))
NEIGHBOURS = {4: ((0, 1), (1, 0), (0, -1), (-1, 0)),
              8: tuple((dr, dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1) if dr or dc)}


def _bfs_components(grid: np.ndarray, active: np.ndarray, same, connect: int
                    ) -> set[frozenset]:
    """Oracle: connected components by plain BFS, as sets of (row, col) cells."""
    h, w = grid.shape
    seen = np.zeros(grid.shape, bool)
    comps = set()
    for r in range(h):
        for c in range(w):
            if not active[r, c] or seen[r, c]:
                continue
            seen[r, c] = True
            queue, cells = deque([(r, c)]), set()
            while queue:
                y, x = queue.popleft()
                cells.add((y, x))
                for dy, dx in NEIGHBOURS[connect]:
                    ny, nx = y + dy, x + dx
                    if (0 <= ny < h and 0 <= nx < w and active[ny, nx] and not seen[ny, nx]
                            and same(grid[y, x], grid[ny, nx])):
                        seen[ny, nx] = True
                        queue.append((ny, nx))
            comps.add(frozenset(cells))
    return comps


def _cells(obj: Object) -> frozenset:
    rows, cols = np.nonzero(obj.mask)
    return frozenset(zip((rows + obj.top).tolist(), (cols + obj.left).tolist()))


def _check_sorted_and_typed(objs) -> None:
    assert isinstance(objs, tuple) and value_has_type(objs, O.objects.returns)
    keys = [(o.top, o.left, O.obj_color(o)) for o in objs]
    assert keys == sorted(keys)
    for o in objs:  # bounding boxes are tight and colours are zero off the mask
        assert o.mask.any(axis=1)[[0, -1]].all() and o.mask.any(axis=0)[[0, -1]].all()
        assert not o.colors[~o.mask].any()


def _blank(grid: np.ndarray, bg: int = 0) -> np.ndarray:
    return np.full(grid.shape, bg, np.uint8)


# --- segmentation ---------------------------------------------------------------------------

@covers("objects")
@FAST
@given(grids(), CONNECT, st.booleans(), colors)
def test_objects_partition_non_background_into_components(grid, connect, multicolor, bg) -> None:
    objs = O.objects(grid, connect, multicolor, bg)
    _check_sorted_and_typed(objs)
    cells = [_cells(o) for o in objs]
    union = frozenset().union(*cells)
    assert sum(map(len, cells)) == len(union), "objects overlap"
    assert union == frozenset(zip(*map(np.ndarray.tolist, np.nonzero(grid != bg))))
    same = (lambda a, b: True) if multicolor else (lambda a, b: a == b)
    assert set(cells) == _bfs_components(grid, grid != bg, same, connect)
    if not multicolor:
        assert all(O.obj_n_colors(o) == 1 for o in objs)
    assert O.objects(grid, connect, multicolor, bg) == objs  # deterministic


def test_objects_order_and_connectivity() -> None:
    grid = np.array([[0, 2, 0, 1],
                     [1, 0, 0, 1],
                     [0, 1, 0, 0]], dtype=np.uint8)
    four = O.objects(grid)
    assert [(o.top, o.left, O.obj_color(o), o.size) for o in four] == [
        (0, 1, 2, 1), (0, 3, 1, 2), (1, 0, 1, 1), (2, 1, 1, 1)]
    eight = O.objects(grid, connect=8)
    assert [(o.top, o.left, o.size) for o in eight] == [(0, 1, 1), (0, 3, 2), (1, 0, 2)]
    assert [o.size for o in O.objects(grid, connect=8, multicolor=True)] == [3, 2]
    with pytest.raises(EvalError):
        O.objects(grid, connect=6)


@covers("objects_of_color")
@FAST
@given(grids(max_colors=4), colors, CONNECT)
def test_objects_of_color_matches_objects(grid, color, connect) -> None:
    objs = O.objects_of_color(grid, color, connect)
    _check_sorted_and_typed(objs)
    assert all(O.obj_color(o) == color for o in objs)
    bg = (color + 1) % 10
    expected = tuple(o for o in O.objects(grid, connect, False, bg) if O.obj_color(o) == color)
    assert objs == expected


@covers("color_groups")
@FAST
@given(grids(), colors)
def test_color_groups(grid, bg) -> None:
    groups = O.color_groups(grid, bg)
    _check_sorted_and_typed(groups)
    assert sorted(O.obj_color(g) for g in groups) == sorted(set(np.unique(grid).tolist()) - {bg})
    for g in groups:
        assert np.array_equal(O.object_mask(grid, g), grid == O.obj_color(g))


@covers("regions")
@FAST
@given(grids(max_colors=4), CONNECT)
def test_regions_partition_every_cell(grid, connect) -> None:
    regs = O.regions(grid, connect)
    _check_sorted_and_typed(regs)
    assert sum(r.size for r in regs) == grid.size
    assert set(map(_cells, regs)) == _bfs_components(grid, np.ones(grid.shape, bool),
                                                     lambda a, b: a == b, connect)
    assert np.array_equal(O.paint_all(_blank(grid, 9), regs), grid)


# --- properties ---------------------------------------------------------------------------

@covers("size", "obj_height", "obj_width", "top", "left", "bottom", "right")
@FAST
@given(objects_())
def test_bbox_properties(obj) -> None:
    assert O.size(obj) == int(obj.mask.sum()) == len(_cells(obj))
    rows = [r for r, _ in _cells(obj)]
    cols = [c for _, c in _cells(obj)]
    assert (O.top(obj), O.bottom(obj)) == (min(rows), max(rows))
    assert (O.left(obj), O.right(obj)) == (min(cols), max(cols))
    assert O.obj_height(obj) == O.bottom(obj) - O.top(obj) + 1
    assert O.obj_width(obj) == O.right(obj) - O.left(obj) + 1


@covers("obj_color", "obj_n_colors")
@FAST
@given(objects_())
def test_object_colours(obj) -> None:
    counts = np.bincount(obj.colors[obj.mask], minlength=10)
    assert O.obj_color(obj) == int(np.argmax(counts)) and counts[O.obj_color(obj)] > 0
    assert O.obj_n_colors(obj) == int(np.count_nonzero(counts))
    assert 1 <= O.obj_n_colors(obj) <= O.size(obj)


@covers("ulcorner", "center", "point")
@FAST
@given(objects_(), st.integers(-40, 40), st.integers(-40, 40))
def test_points(obj, r, c) -> None:
    assert O.ulcorner(obj) == (O.top(obj), O.left(obj))
    cr, cc = O.center(obj)
    assert O.top(obj) <= cr <= O.bottom(obj) and O.left(obj) <= cc <= O.right(obj)
    assert cr == (O.top(obj) + O.bottom(obj)) // 2 and cc == (O.left(obj) + O.right(obj)) // 2
    assert O.point(r, c) == (r, c) and value_has_type(O.point(r, c), O.point.returns)


@covers("is_rectangle")
@FAST
@given(objects_(), st.integers(1, 5), st.integers(1, 5))
def test_is_rectangle(obj, h, w) -> None:
    assert O.is_rectangle(obj) == (O.size(obj) == O.obj_height(obj) * O.obj_width(obj))
    block = make_object(np.full((h, w), 3, np.uint8), np.ones((h, w), bool))
    assert O.is_rectangle(block)


@covers("same_shape")
@FAST
@given(objects_(), objects_(), st.integers(-5, 5), colors)
def test_same_shape(a, b, dr, color) -> None:
    assert O.same_shape(a, a) and O.same_shape(a, O.recolor(O.move(a, dr, -dr), color))
    assert O.same_shape(a, b) == O.same_shape(b, a)
    assert O.same_shape(a, b) == (a.mask.shape == b.mask.shape
                                  and _cells(O.move_to(a, (0, 0))) == _cells(O.move_to(b, (0, 0))))


@covers("touches_border")
@FAST
@given(grids(max_side=12), objects_())
def test_touches_border(grid, obj) -> None:
    h, w = grid.shape
    expected = any(0 <= r < h and 0 <= c < w and (r in (0, h - 1) or c in (0, w - 1))
                   for r, c in _cells(obj))
    assert O.touches_border(grid, obj) == expected


def _has_hole_oracle(obj: Object) -> bool:
    padded = np.pad(obj.mask, 1)
    outside = _bfs_components(padded.astype(np.uint8), ~padded, lambda a, b: True, 4)
    return len(outside) > 1


@covers("has_hole")
@FAST
@given(grids(max_side=5), objects_())
def test_has_hole(grid, obj) -> None:
    assert O.has_hole(grid, obj) == _has_hole_oracle(obj)
    ring = O.to_object(np.array([[1, 1, 1], [1, 0, 1], [1, 1, 1]], np.uint8))
    assert O.has_hole(grid, ring) and not O.has_hole(grid, O.recolor(
        O.to_object(np.ones((3, 3), np.uint8)), 2))
    cup = O.to_object(np.array([[1, 0, 1], [1, 1, 1]], np.uint8))
    assert not O.has_hole(grid, cup)


# --- conversions --------------------------------------------------------------------------

@covers("subgrid", "obj_grid", "object_mask", "mask_object")
@FAST
@given(grids(), CONNECT, st.booleans())
def test_conversions_round_trip(grid, connect, multicolor) -> None:
    for obj in O.objects(grid, connect, multicolor)[:20]:
        sub = O.subgrid(grid, obj)
        assert sub.shape == obj.mask.shape
        assert np.array_equal(sub[obj.mask], obj.colors[obj.mask])
        assert np.array_equal(O.obj_grid(obj), obj.colors)
        assert np.array_equal(O.obj_grid(obj, 7)[~obj.mask], np.full((~obj.mask).sum(), 7))
        mask = O.object_mask(grid, obj)
        assert mask.shape == grid.shape and mask.sum() == obj.size
        assert O.mask_object(grid, mask) == obj
    with pytest.raises(EvalError):
        O.mask_object(grid, np.zeros(grid.shape, bool))
    with pytest.raises(EvalError):
        O.mask_object(grid, np.ones((grid.shape[0] + 1, 1), bool))
    far = O.move(O.to_object(np.ones((1, 1), np.uint8)), grid.shape[0], 0)
    with pytest.raises(EvalError):
        O.subgrid(grid, far)
    assert not O.object_mask(grid, far).any()


@covers("to_object", "paint")
@FAST
@given(grids(), colors)
def test_to_object_paints_back(grid, bg) -> None:
    if (grid == bg).all():
        with pytest.raises(EvalError):
            O.to_object(grid, bg)
        return
    obj = O.to_object(grid, bg)
    assert O.size(obj) == int((grid != bg).sum())
    assert np.array_equal(O.paint(_blank(grid, bg), obj), grid)
    assert np.array_equal(O.paint(grid, obj), grid)


@covers("paint", "cover", "paint_all")
@FAST
@given(grids(), CONNECT, st.booleans(), colors)
def test_paint_cover_round_trip(grid, connect, multicolor, bg) -> None:
    objs = O.objects(grid, connect, multicolor, bg)
    for obj in objs[:20]:
        covered = O.cover(grid, obj, bg)
        assert (covered[O.object_mask(grid, obj)] == bg).all()
        assert np.array_equal(O.paint(covered, obj), grid)
    assert np.array_equal(O.paint_all(_blank(grid, bg), objs), grid)
    assert O.paint_all(grid, ()) is grid


@covers("paint", "cover")
@FAST
@given(grids(max_side=10), objects_(), st.integers(-12, 12), st.integers(-12, 12))
def test_paint_clips(grid, obj, dr, dc) -> None:
    moved = O.move(obj, dr, dc)
    out = O.paint(grid, moved)
    assert out.shape == grid.shape
    inside = {(r, c) for r, c in _cells(moved) if 0 <= r < grid.shape[0] and 0 <= c < grid.shape[1]}
    changed = {tuple(p) for p in np.argwhere(out != grid).tolist()}
    assert changed <= inside
    assert (O.cover(grid, moved, 0)[O.object_mask(grid, moved)] == 0).all()


# --- object transforms ---------------------------------------------------------------------

@covers("recolor")
@FAST
@given(objects_(), colors)
def test_recolor(obj, color) -> None:
    out = O.recolor(obj, color)
    assert np.array_equal(out.mask, obj.mask) and O.ulcorner(out) == O.ulcorner(obj)
    assert (out.colors[out.mask] == color).all() and O.obj_color(out) == color


@covers("move", "move_to")
@FAST
@given(objects_(), st.integers(-30, 30), st.integers(-30, 30))
def test_move_inverse(obj, dr, dc) -> None:
    moved = O.move(obj, dr, dc)
    assert O.ulcorner(moved) == (obj.top + dr, obj.left + dc)
    assert O.move(moved, -dr, -dc) == obj
    assert O.move_to(obj, O.ulcorner(obj)) == obj
    assert O.move_to(obj, (obj.top + dr, obj.left + dc)) == moved
    assert O.ulcorner(O.move_to(obj, (dr, dc))) == (dr, dc)


@covers("obj_flip_h", "obj_flip_v")
@FAST
@given(objects_())
def test_object_flips(obj) -> None:
    for flip, axis in ((O.obj_flip_h, 1), (O.obj_flip_v, 0)):
        once = flip(obj)
        assert flip(once) == obj and O.ulcorner(once) == O.ulcorner(obj)
        assert np.array_equal(O.obj_grid(once), np.flip(O.obj_grid(obj), axis))
        assert value_has_type(once, flip.returns) and O.size(once) == O.size(obj)


# --- totality, types, immutability, examples -------------------------------------------------

def _draws(grid: np.ndarray) -> dict[str, st.SearchStrategy]:
    """Strategies for the objects family's argument types (grids and colours: the defaults)."""
    return {"Int": st.integers(-3, 12), "Bool": st.booleans(),
            "Object": objects_(), "Objects": st.lists(objects_(), max_size=3).map(tuple),
            "Point": st.tuples(st.integers(-3, 12), st.integers(-3, 12)),
            "Mask": st.one_of(masks(shape=grid.shape), masks()),
            "List[Int]": st.lists(st.integers(-1, 12), max_size=5).map(tuple),
            "List[Color]": st.lists(colors, max_size=5).map(tuple)}


test_total_well_typed_and_pure = total_well_typed_and_pure_test(FAMILY, _draws,
                                                                max_examples=150)
test_examples_hold = examples_hold_test(FAMILY)


def test_segmentation_is_fast_enough() -> None:
    import time
    rng = np.random.default_rng(0)
    grid = rng.integers(0, 3, (30, 30)).astype(np.uint8)
    start = time.perf_counter()
    for _ in range(20):
        O.objects(grid, 8)
        O.regions(grid)
    assert (time.perf_counter() - start) / 40 < 0.05


# --- whole programs on ARC tasks ---------------------------------------------------------------

def test_program_solves_1cf80156_crop_to_object() -> None:
    solves("1cf80156", """solve(I: Grid) -> Grid:
    o = to_object(I)
    O = subgrid(I, o)
""")


def test_program_solves_a79310a0_move_and_recolour() -> None:
    solves("a79310a0", """solve(I: Grid) -> Grid:
    o = to_object(I)
    x = cover(I, o)
    m = recolor(move(o, 1, 0), red)
    O = paint(x, m)
""")


@covers("largest_rectangle")
@FAST
@given(grids(max_side=7, max_colors=3), st.integers(0, 2), st.sampled_from((1, 2, 3)))
def test_largest_rectangle_is_solid_and_maximal(grid, color, min_side) -> None:
    h, w = grid.shape
    areas = [(r1 - r0) * (c1 - c0)
             for r0 in range(h) for r1 in range(r0 + min_side, h + 1)
             for c0 in range(w) for c1 in range(c0 + min_side, w + 1)
             if (grid[r0:r1, c0:c1] == color).all()]
    if not areas:
        with pytest.raises(EvalError):
            O.largest_rectangle(grid, color, min_side)
        return
    rect = O.largest_rectangle(grid, color, min_side)
    assert value_has_type(rect, O.largest_rectangle.returns)
    assert bool(rect.mask.all()) and (rect.colors == color).all()
    assert min(rect.mask.shape) >= min_side
    assert O.size(rect) == max(areas)
    window = grid[rect.top:rect.top + rect.mask.shape[0], rect.left:rect.left + rect.mask.shape[1]]
    assert (window == color).all()


# --- points, cells, directions, rectangles and grid patches ----------------------------------

# The documented numbering of direction_to (shared with the drawing family's rays).
DIRECTION_STEPS = {0: (-1, 0), 1: (0, 1), 2: (1, 0), 3: (0, -1),
                   4: (-1, 1), 5: (1, 1), 6: (1, -1), 7: (-1, -1)}


@covers("point_row", "point_col")
@FAST
@given(objects_(), st.integers(-40, 40), st.integers(-40, 40))
def test_point_row_col(obj, r, c) -> None:
    p = O.point(r, c)
    assert (O.point_row(p), O.point_col(p)) == (r, c)
    assert (O.point_row(O.ulcorner(obj)), O.point_col(O.ulcorner(obj))) == (O.top(obj), O.left(obj))
    assert type(O.point_row((np.int64(r), c))) is int and type(O.point_col((r, np.int64(c)))) is int


@covers("obj_cells")
@FAST
@given(objects_())
def test_obj_cells_split_an_object_into_its_cells(obj) -> None:
    cells = O.obj_cells(obj)
    assert value_has_type(cells, O.obj_cells.returns) and len(cells) == O.size(obj)
    assert all(O.size(c) == 1 for c in cells)
    positions = [O.ulcorner(c) for c in cells]
    assert positions == sorted(_cells(obj))  # every cell once, in reading order
    for c, (r, col) in zip(cells, positions):
        assert O.obj_color(c) == obj.colors[r - obj.top, col - obj.left]
    canvas = np.zeros((20, 20), np.uint8)
    assert np.array_equal(O.paint_all(canvas, cells), O.paint(canvas, obj))


@covers("direction_to")
@FAST
@given(objects_(), objects_(), st.sampled_from(sorted(DIRECTION_STEPS)), st.integers(1, 20))
def test_direction_to(a, b, d, k) -> None:
    dr, dc = DIRECTION_STEPS[d]
    assert O.direction_to(a, O.move(a, k * dr, k * dc)) == d
    assert DIRECTION_STEPS[O.direction_to(O.move(b, k * dr, k * dc), b)] == (-dr, -dc)
    with pytest.raises(EvalError):
        O.direction_to(a, O.recolor(a, 1))
    # in general: the signs of the differences of the (doubled, exact) bounding-box centres
    sr = np.sign((O.top(b) + O.bottom(b)) - (O.top(a) + O.bottom(a)))
    sc = np.sign((O.left(b) + O.right(b)) - (O.left(a) + O.right(a)))
    if sr == 0 and sc == 0:
        with pytest.raises(EvalError):
            O.direction_to(a, b)
        return
    out = O.direction_to(a, b)
    assert type(out) is int and DIRECTION_STEPS[out] == (sr, sc)
    assert DIRECTION_STEPS[O.direction_to(b, a)] == (-sr, -sc)


@covers("rect_object")
@FAST
@given(colors, st.integers(-2, 33), st.integers(-2, 33),
       st.tuples(st.integers(-5, 20), st.integers(-5, 20)))
def test_rect_object(color, h, w, p) -> None:
    if not (1 <= h <= 30 and 1 <= w <= 30):
        with pytest.raises(EvalError):
            O.rect_object(color, h, w, p)
        return
    rect = O.rect_object(color, h, w, p)
    assert value_has_type(rect, O.rect_object.returns) and O.is_rectangle(rect)
    assert O.ulcorner(rect) == p and (O.obj_height(rect), O.obj_width(rect)) == (h, w)
    assert O.size(rect) == h * w and O.obj_color(rect) == color and O.obj_n_colors(rect) == 1
    canvas = np.full((30, 30), 9 - color, np.uint8)
    expected = canvas.copy()
    expected[max(p[0], 0):max(p[0] + h, 0), max(p[1], 0):max(p[1] + w, 0)] = color
    assert np.array_equal(O.paint(canvas, rect), expected)


@covers("paint_grid_at")
@FAST
@given(grids(max_side=12), grids(max_side=8), st.integers(-10, 14), st.integers(-10, 14))
def test_paint_grid_at(grid, sub, r, c) -> None:
    out = O.paint_grid_at(grid, sub, (r, c))
    assert value_has_type(out, O.paint_grid_at.returns) and not out.flags.writeable
    expected = grid.copy()
    for i in range(sub.shape[0]):
        for j in range(sub.shape[1]):
            if 0 <= r + i < grid.shape[0] and 0 <= c + j < grid.shape[1]:
                expected[r + i, j + c] = sub[i, j]
    assert np.array_equal(out, expected)
    assert np.array_equal(O.paint_grid_at(grid, grid, (0, 0)), grid)
    if sub.shape[0] <= grid.shape[0] and sub.shape[1] <= grid.shape[1]:
        assert np.array_equal(O.paint_grid_at(grid, sub, (0, 0))[:sub.shape[0], :sub.shape[1]],
                              sub)


def test_value_nbytes_counts_array_data_of_grids_lists_and_objects() -> None:
    grid = np.zeros((30, 30), dtype=np.uint8)
    obj = make_object(np.ones((2, 3), dtype=np.uint8), np.ones((2, 3), dtype=bool))
    assert value_nbytes(grid) == 900 + ARRAY_OVERHEAD
    assert value_nbytes((grid, grid)) == CONTAINER_OVERHEAD + 2 * (900 + ARRAY_OVERHEAD)
    assert value_nbytes(obj) == OBJECT_OVERHEAD + 2 * (12 + ARRAY_OVERHEAD)
    assert value_nbytes(3) == value_nbytes(True) == SCALAR_BYTES
