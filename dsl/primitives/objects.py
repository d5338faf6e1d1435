"""Objects: segmentation into connected components, object properties, painting and moves.

Segmentation labels connected cells with array-based union-find (edge arrays from numpy,
hooking with `np.minimum.at`, pointer jumping), so a 30x30 grid costs a few numpy passes.
Object lists are tuples in reading order of each object's bounding-box corner
(top, left), then by colour (`obj_color`), then by the object's first cell in reading order.
Objects may sit partly or wholly outside a grid (after `move`); painting clips to the grid.
"""
from __future__ import annotations

from collections import Counter
from types import MappingProxyType

import numpy as np

from dsl.errors import EvalError
from dsl.registry import primitive
from dsl.values import Grid, Mask, Object, Point, as_grid, frozen, make_object
from dsl.primitives.drawing import DIRECTIONS

_OFFSETS = MappingProxyType({4: ((0, 1), (1, 0)), 8: ((0, 1), (1, 0), (1, 1), (1, -1))})


def _check_connect(connect: int) -> None:
    if connect not in _OFFSETS:
        raise EvalError(f"connect must be 4 or 8, not {connect}")


def _label(keys: np.ndarray, active: np.ndarray, connect: int) -> np.ndarray:
    """Component labels (flat index of the component's first cell; -1 where inactive).

    Two active neighbours join when their `keys` are equal."""
    h, w = keys.shape
    idx = np.arange(h * w).reshape(h, w)
    us, vs = [], []
    for dr, dc in _OFFSETS[connect]:
        c0 = max(0, -dc)
        a = (slice(0, h - dr), slice(c0, w - max(dc, 0)))
        b = (slice(dr, h), slice(c0 + dc, w - max(dc, 0) + dc))
        join = active[a] & active[b] & (keys[a] == keys[b])
        us.append(idx[a][join])
        vs.append(idx[b][join])
    u, v = np.concatenate(us), np.concatenate(vs)
    parent = np.arange(h * w)
    while len(u):
        pu, pv = parent[u], parent[v]
        low = np.minimum(pu, pv)
        new = parent.copy()
        np.minimum.at(new, pu, low)
        np.minimum.at(new, pv, low)
        while True:  # pointer jumping: parent[x] <= x, so this terminates
            jumped = new[new]
            if np.array_equal(jumped, new):
                break
            new = jumped
        if np.array_equal(new, parent):
            break
        parent = new
    return np.where(active.ravel(), parent, -1).reshape(h, w)


def _sort_key(obj: Object, first: int) -> tuple[int, int, int, int]:
    return (obj.top, obj.left, _majority(obj), first)


def _majority(obj: Object) -> int:
    return int(np.argmax(np.bincount(obj.colors[obj.mask], minlength=10)))


def _components(grid: Grid, keys: np.ndarray, active: np.ndarray, connect: int
                ) -> tuple[Object, ...]:
    """The connected components of `active` cells (joined when keys match), sorted."""
    _check_connect(connect)
    labels = _label(keys, active, connect)
    flat = labels.ravel()
    sel = np.flatnonzero(flat >= 0)
    if len(sel) == 0:
        return ()
    firsts, comp = np.unique(flat[sel], return_inverse=True)
    rows, cols = np.divmod(sel, grid.shape[1])
    r0, c0 = np.full(len(firsts), grid.size), np.full(len(firsts), grid.size)
    r1, c1 = np.zeros(len(firsts), int), np.zeros(len(firsts), int)
    for lo, hi, pos in ((r0, r1, rows), (c0, c1, cols)):
        np.minimum.at(lo, comp, pos)
        np.maximum.at(hi, comp, pos)
    objs = []
    for i, first in enumerate(firsts):
        box = (slice(r0[i], r1[i] + 1), slice(c0[i], c1[i] + 1))
        mask = labels[box] == first
        colors = np.where(mask, grid[box], 0).astype(np.uint8)
        obj = Object(frozen(colors), frozen(mask), int(r0[i]), int(c0[i]))
        objs.append((_sort_key(obj, int(first)), obj))
    objs.sort(key=lambda pair: pair[0])
    return tuple(obj for _, obj in objs)


def _clip(grid: Grid, obj: Object) -> tuple[tuple[slice, slice], tuple[slice, slice]] | None:
    """(grid window, object window) of the overlap of the object's bbox with the grid."""
    h, w = grid.shape
    gr0, gc0 = max(obj.top, 0), max(obj.left, 0)
    gr1, gc1 = min(obj.top + obj.height, h), min(obj.left + obj.width, w)
    if gr0 >= gr1 or gc0 >= gc1:
        return None
    return ((slice(gr0, gr1), slice(gc0, gc1)),
            (slice(gr0 - obj.top, gr1 - obj.top), slice(gc0 - obj.left, gc1 - obj.left)))


# --- segmentation -------------------------------------------------------------------------

@primitive("(Grid, Int, Bool, Color) -> Objects", kernel="label_components",
           domains={"connect": (4, 8)}, example="len(objects([[1, 0, 2]])) == 2")
def objects(grid: Grid, connect: int = 4, multicolor: bool = False, bg: int = 0
            ) -> tuple[Object, ...]:
    """Connected components of non-`bg` cells (split by colour unless `multicolor`)."""
    keys = (grid != bg) if multicolor else grid
    return _components(grid, keys, grid != bg, connect)


@primitive("(Grid, Color, Int) -> Objects", kernel="label_color_components",
           domains={"connect": (4, 8)},
           example="len(objects_of_color([[1, 0, 1]], 1)) == 2")
def objects_of_color(grid: Grid, color: int, connect: int = 4) -> tuple[Object, ...]:
    """Connected components of the cells of one colour."""
    return _components(grid, grid, grid == color, connect)


@primitive("(Grid, Color) -> Objects", kernel="color_groups",
           example="len(color_groups([[1, 0, 1, 2]])) == 2")
def color_groups(grid: Grid, bg: int = 0) -> tuple[Object, ...]:
    """One object per non-`bg` colour, holding all of that colour's cells."""
    objs = [make_object(grid, grid == c) for c in np.unique(grid) if c != bg]
    return tuple(sorted(objs, key=lambda o: (o.top, o.left, _majority(o))))


@primitive("(Grid, Int) -> Objects", kernel="label_regions", domains={"connect": (4, 8)},
           example="len(regions([[1, 0, 1]])) == 3")
def regions(grid: Grid, connect: int = 4) -> tuple[Object, ...]:
    """All single-colour connected components, background included."""
    return _components(grid, grid, np.ones(grid.shape, bool), connect)


def _dilated8(mask: np.ndarray) -> np.ndarray:
    """The cells of a mask and their 8 neighbours."""
    padded = np.pad(mask, 1)
    h, w = mask.shape
    out = np.zeros_like(mask)
    for dr in range(3):
        for dc in range(3):
            out |= padded[dr:dr + h, dc:dc + w]
    return out


def cut_color(grid: Grid) -> int | None:
    """The colour `cut_regions` cuts along (icecuber's heuristicCut), or None.

    A colour qualifies when its cells reach two opposite edges, the other cells form two or
    more 8-connected regions and every region touches (8-neighbourhood) the colour's cells
    8-connected to the grid's edge; the qualifying colour whose smallest region is largest
    wins (ties: the smaller colour)."""
    best, best_score = None, -1
    for colour in np.unique(grid).tolist():
        is_c = grid == colour
        if not ((is_c[0].any() and is_c[-1].any()) or (is_c[:, 0].any() and is_c[:, -1].any())):
            continue
        lab = _label(is_c, is_c, 8)
        ring = np.concatenate((lab[0], lab[-1], lab[:, 0], lab[:, -1]))
        edgy = np.isin(lab, ring[ring >= 0])
        rest = _label(~is_c, ~is_c, 8)
        comps, sizes = np.unique(rest[rest >= 0], return_counts=True)
        touching = np.unique(rest[_dilated8(edgy) & ~is_c])
        if len(comps) < 2 or len(touching) < len(comps) or int(sizes.min()) <= best_score:
            continue
        best, best_score = int(colour), int(sizes.min())
    return best


@primitive("(Grid) -> Objects", cost=2,
           example="len(cut_regions([[1, 5, 2], [0, 5, 0]])) == 2")
def cut_regions(grid: Grid) -> tuple[Object, ...]:
    """The 8-connected regions between the lines of the cut colour (`cut_color`), bg included."""
    colour = cut_color(grid)
    if colour is None:
        raise EvalError("cut_regions: no colour cuts the grid into regions")
    return objects(grid, connect=8, multicolor=True, bg=colour)


# --- properties ---------------------------------------------------------------------------

@primitive("(Object) -> Int", kernel="count_cells", example="size(to_object([[1, 0, 1]])) == 2")
def size(obj: Object) -> int:
    """The number of cells of an object."""
    return obj.size


@primitive("(Object) -> Int", example="obj_height(to_object([[1], [1]])) == 2")
def obj_height(obj: Object) -> int:
    """The height of an object's bounding box."""
    return obj.height


@primitive("(Object) -> Int", example="obj_width(to_object([[1, 0, 1]])) == 3")
def obj_width(obj: Object) -> int:
    """The width of an object's bounding box."""
    return obj.width


@primitive("(Object) -> Int", example="top(to_object([[0], [1]])) == 1")
def top(obj: Object) -> int:
    """The first row of an object's bounding box."""
    return obj.top


@primitive("(Object) -> Int", example="left(to_object([[0, 1]])) == 1")
def left(obj: Object) -> int:
    """The first column of an object's bounding box."""
    return obj.left


@primitive("(Object) -> Int", example="bottom(to_object([[1], [1], [0]])) == 1")
def bottom(obj: Object) -> int:
    """The last row (inclusive) of an object's bounding box."""
    return obj.top + obj.height - 1


@primitive("(Object) -> Int", example="right(to_object([[1, 1, 0]])) == 1")
def right(obj: Object) -> int:
    """The last column (inclusive) of an object's bounding box."""
    return obj.left + obj.width - 1


@primitive("(Object) -> Color", kernel="masked_majority",
           example="obj_color(to_object([[2, 3, 3]])) == 3")
def obj_color(obj: Object) -> int:
    """The most common colour of an object's cells (ties: smaller colour)."""
    return _majority(obj)


@primitive("(Object) -> Int", kernel="masked_n_colors",
           example="obj_n_colors(to_object([[2, 3, 3]])) == 2")
def obj_n_colors(obj: Object) -> int:
    """The number of distinct colours among an object's cells."""
    return int(len(np.unique(obj.colors[obj.mask])))


@primitive("(Object) -> Point", example="ulcorner(to_object([[0, 0], [0, 1]])) == (1, 1)")
def ulcorner(obj: Object) -> Point:
    """The upper-left corner (top, left) of an object's bounding box."""
    return (obj.top, obj.left)


@primitive("(Object) -> Point", example="center(to_object([[1, 1, 1, 1]])) == (0, 1)")
def center(obj: Object) -> Point:
    """The centre of an object's bounding box, rounded down."""
    return (obj.top + (obj.height - 1) // 2, obj.left + (obj.width - 1) // 2)


@primitive("(Object) -> Bool", example="is_rectangle(to_object([[1, 1], [1, 1]])) == True")
def is_rectangle(obj: Object) -> bool:
    """True when an object fills its bounding box."""
    return bool(obj.mask.all())


@primitive("(Object, Object) -> Bool",
           example="same_shape(to_object([[1, 1]]), to_object([[0, 2, 3]])) == True")
def same_shape(a: Object, b: Object) -> bool:
    """True when two objects have the same mask, ignoring position and colour."""
    return a.mask.shape == b.mask.shape and bool(np.array_equal(a.mask, b.mask))


@primitive("(Grid, Object) -> Bool",
           example="touches_border([[0, 0], [0, 1]], to_object([[0, 0], [0, 1]])) == True")
def touches_border(grid: Grid, obj: Object) -> bool:
    """True when some cell of the object lies on the grid's outer rows or columns."""
    window = _clip(grid, obj)
    if window is None:
        return False
    inside = np.zeros(grid.shape, bool)
    inside[window[0]] = obj.mask[window[1]]
    return bool(inside[0].any() or inside[-1].any() or inside[:, 0].any()
                or inside[:, -1].any())


@primitive("(Grid, Object) -> Bool", kernel="has_hole",
           example="has_hole([[0]], to_object([[1, 1, 1], [1, 0, 1], [1, 1, 1]])) == True")
def has_hole(grid: Grid, obj: Object) -> bool:
    """True when the object encloses a cell: one its bbox's outside can't 4-reach (grid unused)."""
    padded = np.pad(obj.mask, 1)
    labels = _label(padded, ~padded, 4)
    return bool(((labels > 0) & ~padded).any())


# --- conversions --------------------------------------------------------------------------

@primitive("(Grid, Object) -> Grid", example="subgrid([[1, 2], [3, 4]], to_object([[0, 0], "
                                             "[0, 1]])) == [[4]]")
def subgrid(grid: Grid, obj: Object) -> Grid:
    """The grid's cells under an object's bounding box (clipped to the grid)."""
    window = _clip(grid, obj)
    if window is None:
        raise EvalError("subgrid: the object lies outside the grid")
    return as_grid(grid[window[0]])


@primitive("(Object, Color) -> Grid", example="obj_grid(to_object([[0, 1], [1, 0]])) == "
                                              "[[0, 1], [1, 0]]")
def obj_grid(obj: Object, bg: int = 0) -> Grid:
    """The object's bounding box as a grid: its cells, `bg` elsewhere."""
    return as_grid(np.where(obj.mask, obj.colors, bg))


@primitive("(Grid, Color) -> Object", kernel="grid_to_object",
           example="ulcorner(to_object([[0, 0], [0, 3]])) == (1, 1)")
def to_object(grid: Grid, bg: int = 0) -> Object:
    """The non-`bg` cells of a grid as one object, in the grid's coordinates."""
    mask = grid != bg
    if not mask.any():
        raise EvalError("to_object: the grid has only the background colour")
    return make_object(grid, mask)


@primitive("(Grid, Object) -> Mask",
           example="object_mask([[0, 0]], to_object([[0, 1]])) == [[False, True]]")
def object_mask(grid: Grid, obj: Object) -> Mask:
    """The object's cells as a mask of the grid's shape (clipped)."""
    out = np.zeros(grid.shape, bool)
    window = _clip(grid, obj)
    if window is not None:
        out[window[0]] = obj.mask[window[1]]
    return frozen(out)


@primitive("(Grid, Mask) -> Object",
           example="size(mask_object([[1, 2]], [[True, False]])) == 1")
def mask_object(grid: Grid, mask: Mask) -> Object:
    """The grid's cells under a mask (of the grid's shape) as one object."""
    if grid.shape != mask.shape:
        raise EvalError("mask_object: the mask's shape differs from the grid's")
    if not mask.any():
        raise EvalError("mask_object: the mask is empty")
    return make_object(grid, mask)


@primitive("(Int, Int) -> Point", example="point(2, 3) == (2, 3)")
def point(r: int, c: int) -> Point:
    """The point (row r, column c)."""
    return (int(r), int(c))


@primitive("(Grid, Color, Int) -> Object", kernel="largest_rectangle",
           domains={"min_side": (1, 2, 3)},
           example="size(largest_rectangle([[1, 1, 0], [1, 1, 1]], 1)) == 4")
def largest_rectangle(grid: Grid, color: int, min_side: int = 1) -> Object:
    """The largest-area solid rectangle of one colour, sides >= min_side (ties: topmost, leftmost)."""
    if min_side < 1:
        raise EvalError("largest_rectangle: min_side must be at least 1")
    same = grid == color
    h, w = grid.shape
    best: tuple[int, int, int, int, int] | None = None   # (area, top, left, height, width)
    for r0 in range(h):
        run = np.ones(w, bool)
        for r1 in range(r0, h):
            run &= same[r1]
            rh = r1 - r0 + 1
            if not run.any():
                break
            if rh < min_side:
                continue
            c = 0
            while c < w:
                if not run[c]:
                    c += 1
                    continue
                c1 = c
                while c1 < w and run[c1]:
                    c1 += 1
                rw = c1 - c
                area = rh * rw
                if rw >= min_side and (best is None or area > best[0]
                                       or (area == best[0] and (r0, c) < best[1:3])):
                    best = (area, r0, c, rh, rw)
                c = c1
    if best is None:
        raise EvalError("largest_rectangle: no rectangle of that colour is big enough")
    _, top, left, rh, rw = best
    mask = np.zeros(grid.shape, bool)
    mask[top:top + rh, left:left + rw] = True
    return make_object(grid, mask)


# --- drawing and transforming -------------------------------------------------------------

@primitive("(Grid, Object) -> Grid", kernel="paint",
           example="paint([[0, 0]], to_object([[0, 5]])) == [[0, 5]]")
def paint(grid: Grid, obj: Object) -> Grid:
    """Draw the object's cells onto the grid at its position (clipped to the grid)."""
    window = _clip(grid, obj)
    if window is None:
        return grid
    out = grid.copy()
    g, o = window
    out[g] = np.where(obj.mask[o], obj.colors[o], out[g])
    return as_grid(out)


@primitive("(Grid, Objects) -> Grid", kernel="paint_all",
           example="paint_all([[0, 0]], objects([[1, 2]])) == [[1, 2]]")
def paint_all(grid: Grid, objs: tuple[Object, ...]) -> Grid:
    """Draw each object in turn onto the grid (later objects on top)."""
    for obj in objs:
        grid = paint.fn(grid, obj)
    return grid


@primitive("(Grid, Object, Color) -> Grid", kernel="cover",
           example="cover([[1, 2]], to_object([[0, 2]])) == [[1, 0]]")
def cover(grid: Grid, obj: Object, bg: int = 0) -> Grid:
    """Erase the object's cells from the grid to `bg` (clipped to the grid)."""
    window = _clip(grid, obj)
    if window is None:
        return grid
    out = grid.copy()
    g, o = window
    out[g] = np.where(obj.mask[o], bg, out[g])
    return as_grid(out)


@primitive("(Object, Color) -> Object", kernel="recolor",
           example="obj_color(recolor(to_object([[1]]), 4)) == 4")
def recolor(obj: Object, color: int) -> Object:
    """The object with every cell recoloured to `color`."""
    colors = np.where(obj.mask, color, 0).astype(np.uint8)
    return Object(frozen(colors), obj.mask, obj.top, obj.left)


@primitive("(Object, Int, Int) -> Object", example="ulcorner(move(to_object([[1]]), 2, -1)) "
                                                   "== (2, -1)")
def move(obj: Object, dr: int, dc: int) -> Object:
    """The object shifted by `dr` rows and `dc` columns."""
    return Object(obj.colors, obj.mask, int(obj.top + dr), int(obj.left + dc))


@primitive("(Object, Point) -> Object",
           example="ulcorner(move_to(to_object([[1]]), (3, 4))) == (3, 4)")
def move_to(obj: Object, p: Point) -> Object:
    """The object moved so its bounding box's upper-left corner is at `p`."""
    return Object(obj.colors, obj.mask, int(p[0]), int(p[1]))


@primitive("(Object) -> Object", example="obj_grid(obj_flip_h(to_object([[1, 2]]))) == [[2, 1]]")
def obj_flip_h(obj: Object) -> Object:
    """The object mirrored left-right within its bounding box."""
    return Object(frozen(obj.colors[:, ::-1].copy()), frozen(obj.mask[:, ::-1].copy()),
                  obj.top, obj.left)


@primitive("(Object) -> Object",
           example="obj_grid(obj_flip_v(to_object([[1], [2]]))) == [[2], [1]]")
def obj_flip_v(obj: Object) -> Object:
    """The object mirrored top-bottom within its bounding box."""
    return Object(frozen(obj.colors[::-1].copy()), frozen(obj.mask[::-1].copy()),
                  obj.top, obj.left)


# --- points, cells, directions, rectangles and grid patches --------------------------------

@primitive("(Point) -> Int", example="point_row((2, 3)) == 2")
def point_row(p: Point) -> int:
    """The row of a point."""
    return int(p[0])


@primitive("(Point) -> Int", example="point_col((2, 3)) == 3")
def point_col(p: Point) -> int:
    """The column of a point."""
    return int(p[1])


_CELL_MASK = frozen(np.ones((1, 1), bool))


@primitive("(Object) -> Objects", example="len(obj_cells(to_object([[1, 0], [2, 3]]))) == 3")
def obj_cells(obj: Object) -> tuple[Object, ...]:
    """One single-cell object per cell of the object, in reading order."""
    rows, cols = np.nonzero(obj.mask)
    return tuple(Object(frozen(obj.colors[r:r + 1, c:c + 1].copy()), _CELL_MASK,
                        obj.top + int(r), obj.left + int(c)) for r, c in zip(rows, cols))


@primitive("(Object, Object) -> Int",
           example="direction_to(to_object([[1, 0], [0, 0]]), to_object([[0, 0], [0, 1]])) == 5")
def direction_to(a: Object, b: Object) -> int:
    """Direction 0-7 (0 up, 1 right, ..., 7 up-left) from a's bbox centre to b's (not equal)."""
    dr = (2 * b.top + b.height) - (2 * a.top + a.height)    # doubled centres: exact integers
    dc = (2 * b.left + b.width) - (2 * a.left + a.width)
    if dr == 0 and dc == 0:
        raise EvalError("direction_to: the two objects have the same centre")
    return DIRECTIONS.index(((dr > 0) - (dr < 0), (dc > 0) - (dc < 0)))


@primitive("(Color, Int, Int, Point) -> Object",
           example="obj_grid(rect_object(3, 2, 1, (0, 0))) == [[3], [3]]")
def rect_object(color: int, h: int, w: int, p: Point) -> Object:
    """A filled h x w rectangle of one colour with its upper-left corner at p (1 <= h, w <= 30)."""
    if not (1 <= h <= 30 and 1 <= w <= 30):
        raise EvalError(f"rect_object: size {h}x{w} is outside 1..30")
    return Object(frozen(np.full((int(h), int(w)), color, np.uint8)),
                  frozen(np.ones((int(h), int(w)), bool)), int(p[0]), int(p[1]))


@primitive("(Grid, Grid, Point) -> Grid",
           example="paint_grid_at([[0, 0, 0]], [[5, 6]], (0, 2)) == [[0, 0, 5]]")
def paint_grid_at(grid: Grid, sub: Grid, p: Point) -> Grid:
    """Copy every cell of `sub` onto the grid with its top-left cell at p (clipped)."""
    (h, w), (sh, sw) = grid.shape, sub.shape
    top, left = int(p[0]), int(p[1])
    r0, c0 = max(top, 0), max(left, 0)
    r1, c1 = min(top + sh, h), min(left + sw, w)
    if r0 >= r1 or c0 >= c1:
        return grid
    out = grid.copy()
    out[r0:r1, c0:c1] = sub[r0 - top:r1 - top, c0 - left:c1 - left]
    return as_grid(out)


# --- recolouring objects by a feature (a table learned by synth.search.object_rules) --------

OBJECT_MODES = ("4-connected objects", "8-connected objects", "4-connected regions",
                "8-connected regions", "4-connected background regions",
                "8-connected background regions", "4-connected enclosed background regions",
                "8-connected enclosed background regions", "object interiors",
                "background in object boxes")
OBJECT_FEATURES = ("touches_border", "has_hole", "is_rectangle", "size_rank_desc",
                   "size_rank_asc", "shape_count", "size", "height", "width", "color",
                   "is_square", "size_extreme", "size_parity",
                   *(f"touches_color_{colour}" for colour in range(10)),
                   "border_sides", "crosses_centre_row", "crosses_centre_col")
OBJECT_RULE_KINDS = tuple(range(len(OBJECT_FEATURES) * len(OBJECT_MODES)))
OTHER_KEY = -1  # a `recolor_objects` key standing for every feature value not listed
COLOR_SOURCES = ("nearest_other_color", "neighbour_majority")
SOURCE_VALUES = tuple(range(-len(COLOR_SOURCES), 10))  # `recolor_objects` values: sources, colours


def source_value(source: str) -> int:
    """The `recolor_objects` value that asks for a colour source (`COLOR_SOURCES`): -1 - index."""
    return -1 - COLOR_SOURCES.index(source)


def object_rule_kind(feature: str, mode: int) -> int:
    """The `recolor_objects` kind of a feature name (`OBJECT_FEATURES`) and a mode
    (an index of `OBJECT_MODES`)."""
    return OBJECT_FEATURES.index(feature) * len(OBJECT_MODES) + mode


def segment_objects(grid: Grid, mode: int, bg: int) -> tuple[np.ndarray, int]:
    """(component index per cell, -1 outside every component; number of components) of a
    mode (`OBJECT_MODES`): single-colour components of the non-`bg` cells (modes 0, 1), of
    all cells (modes 2, 3), of the `bg` cells only (modes 4, 5) or of the `bg` cells that do
    not reach the grid's border (modes 6, 7), 4- or 8-connected (even, odd modes); the
    interiors of objects (mode 8: non-`bg` cells whose 4 neighbours all lie in the grid and
    share their colour) or the `bg` cells inside the bounding box of an 8-connected
    single-colour object (mode 9), as 4-connected single-colour components; numbered in
    reading order of their first cell."""
    if mode >= 8:
        active = _interior(grid, bg) if mode == 8 else _in_object_boxes(grid, bg)
        labels = _label(grid, active, 4)
    else:
        active = (grid != bg, grid != bg, np.ones(grid.shape, bool), np.ones(grid.shape, bool),
                  grid == bg, grid == bg, grid == bg, grid == bg)[mode]
        labels = _label(grid, active, 8 if mode % 2 else 4)
    if 6 <= mode < 8:
        edge = np.unique(np.concatenate([labels[[0, -1], :].ravel(), labels[:, [0, -1]].ravel()]))
        labels = np.where(np.isin(labels, edge), -1, labels)
    return _numbered(labels)


def _numbered(labels: np.ndarray) -> tuple[np.ndarray, int]:
    """`_label`'s labels renumbered 0..n-1 in reading order of each component's first cell."""
    flat = labels.ravel()
    inside = flat >= 0
    firsts, index = np.unique(flat[inside], return_inverse=True)
    comp = np.full(flat.size, -1, np.int64)
    comp[inside] = index
    return comp.reshape(labels.shape), len(firsts)


def _interior(grid: Grid, bg: int) -> np.ndarray:
    """The non-`bg` cells whose 4 neighbours all lie in the grid and share their colour."""
    keys = np.asarray(grid, np.int64)
    padded = np.pad(keys, 1, constant_values=-1)
    h, w = keys.shape
    inside = keys != bg
    for dr, dc in DIRECTIONS[:4]:
        inside &= padded[1 + dr:1 + dr + h, 1 + dc:1 + dc + w] == keys
    return inside


def _in_object_boxes(grid: Grid, bg: int) -> np.ndarray:
    """The `bg` cells inside the bounding box of some 8-connected single-colour component of
    the non-`bg` cells."""
    fg = grid != bg
    comp, n = _numbered(_label(grid, fg, 8))
    covered = np.zeros(grid.shape, bool)
    for row, col, h, w in zip(*_boxes(comp, n)):
        covered[row:row + h, col:col + w] = True
    return covered & ~fg


def _encloses(mask: np.ndarray) -> bool:
    """True when a mask encloses a cell its bounding box's outside can't 4-reach."""
    padded = np.pad(mask, 1)
    return bool(((_label(padded, ~padded, 4) > 0) & ~padded).any())


def _boxes(comp: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each component's bounding box: (top rows, left columns, heights, widths)."""
    inside = comp >= 0
    rows, cols = np.nonzero(inside)
    idx = comp[inside]
    r0, c0 = np.full(n, comp.size), np.full(n, comp.size)
    r1, c1 = np.zeros(n, np.int64), np.zeros(n, np.int64)
    for lo, hi, pos in ((r0, r1, rows), (c0, c1, cols)):
        np.minimum.at(lo, idx, pos)
        np.maximum.at(hi, idx, pos)
    return r0, c0, r1 - r0 + 1, c1 - c0 + 1


def _box_features(comp: np.ndarray, n: int, sizes: np.ndarray, feature: str) -> np.ndarray:
    """The features that read each component's bounding box (see object_feature_values)."""
    r0, c0, heights, widths = _boxes(comp, n)
    h, w = comp.shape
    r1, c1 = r0 + heights - 1, c0 + widths - 1
    if feature == "border_sides":
        return ((r0 == 0) * 1 + (r1 == h - 1) * 2 + (c0 == 0) * 4 + (c1 == w - 1) * 8
                ).astype(np.int64)
    if feature == "crosses_centre_row":
        return ((2 * r0 <= h - 1) & (h - 1 <= 2 * r1)).astype(np.int64)
    if feature == "crosses_centre_col":
        return ((2 * c0 <= w - 1) & (w - 1 <= 2 * c1)).astype(np.int64)
    if feature in ("height", "width"):
        return heights if feature == "height" else widths
    if feature in ("is_rectangle", "is_square"):
        square = heights == widths if feature == "is_square" else True
        return ((sizes == heights * widths) & square).astype(np.int64)
    masks = [comp[r0[i]:r0[i] + heights[i], c0[i]:c0[i] + widths[i]] == i for i in range(n)]
    if feature == "has_hole":
        return np.array([int(heights[i] >= 3 and widths[i] >= 3 and _encloses(masks[i]))
                         for i in range(n)], np.int64)
    shapes = [(m.shape, m.tobytes()) for m in masks]
    counts = Counter(shapes)
    return np.array([counts[key] for key in shapes], np.int64)


def _touches_color(grid: Grid, comp: np.ndarray, n: int, colour: int) -> np.ndarray:
    """1 for each component with a cell 4-adjacent to a cell of `colour` outside it."""
    h, w = grid.shape
    found = np.zeros(n, bool)
    for a, b in (((slice(0, h - 1), slice(None)), (slice(1, h), slice(None))),
                 ((slice(None), slice(0, w - 1)), (slice(None), slice(1, w)))):
        for here, there in ((a, b), (b, a)):
            hit = (comp[here] >= 0) & (grid[there] == colour) & (comp[there] != comp[here])
            found[comp[here][hit]] = True
    return found.astype(np.int64)


def _size_features(sizes: np.ndarray, feature: str) -> np.ndarray:
    """The features read off the component sizes alone (see object_feature_values)."""
    if feature == "size":
        return sizes
    if feature == "size_parity":
        return sizes % 2
    distinct, rank = np.unique(sizes, return_inverse=True)
    if feature == "size_extreme":
        return np.where(rank == len(distinct) - 1, 0, np.where(rank == 0, 1, 2))
    return rank if feature == "size_rank_asc" else len(distinct) - 1 - rank


def object_feature_values(grid: Grid, comp: np.ndarray, n: int, feature: str) -> np.ndarray:
    """One integer per component (`segment_objects`) for a feature of `OBJECT_FEATURES`:
    0/1 flags (touches the grid's border, encloses a cell, fills its bounding box, fills a
    square bounding box), the dense rank of its size among all components (0 = largest /
    smallest), whether it is a largest (0), a smallest (1) or neither (2), the number of
    components with its exact shape (itself included), its size, bbox height and width, its
    colour, its size's parity, (`touches_color_c`) a 0/1 flag: some cell of it is
    4-adjacent to a cell of colour c outside it, the grid sides it touches (bits: top 1,
    bottom 2, left 4, right 8), or 0/1 flags: its bounding box reaches both halves of the
    grid's rows (`crosses_centre_row`: it holds the middle row, or straddles the middle of an
    even height) or columns."""
    inside = comp >= 0
    idx = comp[inside]
    sizes = np.bincount(idx, minlength=n)
    if feature.startswith("size"):
        return _size_features(sizes, feature)
    if feature.startswith("touches_color_"):
        return _touches_color(grid, comp, n, int(feature.rsplit("_", 1)[1]))
    if feature == "color":
        colour = np.zeros(n, np.int64)
        colour[idx] = grid[inside]
        return colour
    if feature == "touches_border":
        edge = np.zeros(grid.shape, bool)
        edge[[0, -1], :] = edge[:, [0, -1]] = True
        return (np.bincount(idx, weights=edge[inside], minlength=n) > 0).astype(np.int64)
    return _box_features(comp, n, sizes, feature)


def _nearest_other_color(grid: Grid, comp: np.ndarray, n: int, bg: int) -> np.ndarray:
    """Per component, the colour of the nearest cell (Manhattan distance from any of its cells)
    whose colour is neither `bg` nor the component's own, or -1 when there is none or cells of
    two colours are nearest."""
    inside = comp >= 0
    idx = comp[inside]
    own = np.zeros(n, np.int64)
    own[idx] = grid[inside]
    rows, cols = np.nonzero(inside)
    far = 2 * grid.size
    nearest = np.full((n, 10), far, np.int64)
    for colour in np.unique(grid).tolist():
        if colour == bg:
            continue
        cr, cc = np.nonzero(grid == colour)
        dist = (np.abs(rows[:, None] - cr[None, :]) + np.abs(cols[:, None] - cc[None, :])).min(1)
        np.minimum.at(nearest[:, colour], idx, dist)
    nearest[np.arange(n), own] = far
    best = nearest.min(1, keepdims=True)
    ties = (nearest == best).sum(1)
    return np.where((best[:, 0] < far) & (ties == 1), nearest.argmin(1), -1)


def _neighbour_majority(grid: Grid, comp: np.ndarray, n: int, bg: int) -> np.ndarray:
    """Per component, the most common colour among the cells outside it 4-adjacent to it
    (each cell counted once; a tie with `bg` goes to the other colour), or -1 when it has no
    such cell or two other colours tie."""
    h, w = grid.shape
    flat_grid = grid.ravel().astype(np.int64)
    cells = np.arange(grid.size).reshape(grid.shape)
    pairs = []
    for a, b in (((slice(0, h - 1), slice(None)), (slice(1, h), slice(None))),
                 ((slice(None), slice(0, w - 1)), (slice(None), slice(1, w)))):
        for here, there in ((a, b), (b, a)):
            hit = (comp[here] >= 0) & (comp[there] != comp[here])
            pairs.append(np.stack([comp[here][hit], cells[there][hit]], 1))
    touching = np.unique(np.concatenate(pairs), axis=0) if n else np.zeros((0, 2), np.int64)
    scores = np.zeros((n, 10), np.int64)
    np.add.at(scores, (touching[:, 0], flat_grid[touching[:, 1]]), 2)
    scores[:, bg] -= scores[:, bg] > 0
    best = scores.max(1, keepdims=True)
    ties = (scores == best).sum(1)
    return np.where((best[:, 0] > 0) & (ties == 1), scores.argmax(1), -1)


def object_color_sources(grid: Grid, comp: np.ndarray, n: int, bg: int) -> np.ndarray:
    """(components, len(`COLOR_SOURCES`)) array: each component's colour under each source,
    its own colour where the source is undefined (see `recolor_objects`)."""
    inside = comp >= 0
    own = np.zeros(n, np.int64)
    own[comp[inside]] = grid[inside]
    found = (_nearest_other_color(grid, comp, n, bg), _neighbour_majority(grid, comp, n, bg))
    return np.stack([np.where(f >= 0, f, own) for f in found], 1)


def check_feature_table(name: str, keys: tuple[int, ...], values: tuple[int, ...]) -> None:
    """An EvalError naming primitive `name` unless keys and values pair up, each key once and
    none below `OTHER_KEY`."""
    if len(keys) != len(values):
        raise EvalError(f"{name}: {len(keys)} keys but {len(values)} values")
    if len(set(keys)) != len(keys):
        raise EvalError(f"{name}: a key is listed twice")
    if not all(key >= OTHER_KEY for key in keys):
        raise EvalError(f"{name}: a key is below {OTHER_KEY}")


def featured_objects(grid: Grid, kind: int, n_modes: int, bg: int
                     ) -> tuple[np.ndarray, int, np.ndarray]:
    """The objects of a feature-table primitive's `kind` (feature * n_modes + mode): the
    component index per cell, their number, and each one's feature value."""
    feature, mode = divmod(kind, n_modes)
    comp, n = segment_objects(grid, mode, bg)
    return comp, n, object_feature_values(grid, comp, n, OBJECT_FEATURES[feature])


@primitive("(Grid, Int, List[Int], List[Int], Color) -> Grid",
           domains={"kind": OBJECT_RULE_KINDS},
           example="recolor_objects([[1, 0, 2, 2]], 61, [1], [5]) == [[5, 0, 2, 2]]")
def recolor_objects(grid: Grid, kind: int, keys: tuple[int, ...], values: tuple[int, ...],
                    bg: int = 0) -> Grid:
    """Recolour each object whose feature (kind = feature * 10 + mode) is keys[i] by values[i].

    Modes and features: `OBJECT_MODES`, `OBJECT_FEATURES` (`segment_objects`,
    `object_feature_values`); `bg` is the colour the object modes leave out and the
    background modes keep. The key -1 (`OTHER_KEY`) stands for every value not listed;
    without it, objects whose feature is no key keep their colours. A value is a colour 0..9
    or a colour source -1 - i (`SOURCE_VALUES`, `source_value`) computed per object: i = 0
    (`nearest_other_color`) the colour of the nearest cell (Manhattan distance) that is
    neither `bg` nor the object's colour, i = 1 (`neighbour_majority`) the most common colour
    of the cells 4-adjacent to the object (a tie with `bg` goes to the other colour); an
    object whose source is undefined (no such cell, or a tie between colours) keeps its
    colour. Recolouring to the background colour deletes."""
    if kind not in OBJECT_RULE_KINDS:
        raise EvalError(f"recolor_objects: kind {kind} is not in 0..{OBJECT_RULE_KINDS[-1]}")
    check_feature_table("recolor_objects", keys, values)
    if not all(SOURCE_VALUES[0] <= value <= 9 for value in values):
        raise EvalError(f"recolor_objects: values must be colours 0..9 or sources "
                        f"{SOURCE_VALUES[0]}..-1")
    if not keys:
        return as_grid(grid)
    comp, n, features = featured_objects(grid, kind, len(OBJECT_MODES), bg)
    table = dict(zip(keys, values))
    keep = SOURCE_VALUES[0] - 1  # below every value: the object keeps its colour
    codes = np.array([table.get(int(f), table.get(OTHER_KEY, keep)) for f in features], np.int64)
    sourced = (codes < 0) & (codes != keep)
    new = codes
    if sourced.any():
        sources = object_color_sources(grid, comp, n, bg)
        picked = sources[np.arange(n), np.where(sourced, -1 - codes, 0)]
        new = np.where(sourced, picked, codes)
    per_cell = np.where(comp >= 0, new[np.maximum(comp, 0)], -1) if n else np.full(grid.shape, -1)
    return as_grid(np.where(per_cell >= 0, per_cell, grid))


# --- moving objects by a feature (a table learned by synth.search.move_rules) -----------------

MOVE_MODES = OBJECT_MODES[:2]  # the object modes of `segment_objects`: 4- and 8-connected
MOVE_ACTIONS = ("stay", "toward_nearest", "step_toward_nearest",
                "jump_up", "jump_right", "jump_down", "jump_left",
                "step_up", "step_right", "step_down", "step_left",
                *(f"toward_color_{colour}" for colour in range(10)), "join_own_color",
                "onto_largest")
MOVE_RULE_KINDS = tuple(range(len(OBJECT_FEATURES) * len(MOVE_MODES)))
# the first jump, step and toward-colour action; the join and onto actions
_JUMPS, _STEPS, _TOWARD_COLOR, _JOIN, _ONTO = 3, 7, 11, 21, 22


def move_rule_kind(feature: str, mode: int) -> int:
    """The `move_objects` kind of a feature name (`OBJECT_FEATURES`) and a mode (0 or 1)."""
    return OBJECT_FEATURES.index(feature) * len(MOVE_MODES) + mode


def _toward_nearest(grid: Grid, comp: np.ndarray, index: int, bg: int, colour: int = -1
                    ) -> tuple[int, int]:
    """The step (dr, dc) from component `index` towards the component holding the nearest cell
    (Manhattan distance) that is neither `bg` nor the component's colour (and is `colour`,
    unless that is -1): -1, 0 or 1 per axis by where that component's bounding box lies;
    (0, 0) when there is none, when the nearest cells lie in several components, or when the
    two boxes overlap on both axes."""
    own = comp == index
    rows, cols = np.nonzero(own)
    others = (grid != bg) & (grid != grid[rows[0], cols[0]]) & (comp >= 0)
    if colour >= 0:
        others &= grid == colour
    tr, tc = np.nonzero(others)
    if not len(tr):
        return 0, 0
    dist = (np.abs(rows[:, None] - tr[None, :]) + np.abs(cols[:, None] - tc[None, :])).min(0)
    targets = np.unique(comp[tr[dist == dist.min()], tc[dist == dist.min()]])
    if len(targets) != 1:
        return 0, 0
    br, bc = np.nonzero(comp == targets[0])
    dr = 1 if br.min() > rows.max() else -1 if br.max() < rows.min() else 0
    dc = 1 if bc.min() > cols.max() else -1 if bc.max() < cols.min() else 0
    return dr, dc


def _until_contact(out: np.ndarray, rows: np.ndarray, cols: np.ndarray, dr: int, dc: int
                   ) -> int:
    """How many steps (dr, dc) the cells move on `out` before the next would leave the grid or
    land on a cell that is not `bg` (`out` holds `bg` as -1 here)."""
    h, w = out.shape
    k = 0
    while (dr or dc) and k < h + w:
        r, c = rows + (k + 1) * dr, cols + (k + 1) * dc
        if r.min() < 0 or c.min() < 0 or r.max() >= h or c.max() >= w or (out[r, c] >= 0).any():
            break
        k += 1
    return k


def _join_own_colour(grid: Grid, comp: np.ndarray, index: int) -> tuple[int, int, int] | None:
    """(dr, dc, steps) that bring component `index` next to the largest larger component of
    its own colour (the first in reading order among equals), passing over everything else:
    the step by where that component's bounding box lies, as many as move the cells up to it;
    (0, 0, 0) when the boxes overlap on both axes or the cells would never reach it; None (the
    component vanishes) when no larger component has its colour."""
    own = comp == index
    rows, cols = np.nonzero(own)
    same = (grid == grid[rows[0], cols[0]]) & (comp >= 0) & ~own
    sizes = np.bincount(comp[same], minlength=int(comp.max()) + 1)
    if sizes.max(initial=0) <= len(rows):
        return None
    target = comp == int(np.argmax(sizes))
    tr, tc = np.nonzero(target)
    dr = 1 if tr.min() > rows.max() else -1 if tr.max() < rows.min() else 0
    dc = 1 if tc.min() > cols.max() else -1 if tc.max() < cols.min() else 0
    h, w = grid.shape
    for k in range(h + w if dr or dc else 0):
        r, c = rows + (k + 1) * dr, cols + (k + 1) * dc
        if r.min() < 0 or c.min() < 0 or r.max() >= h or c.max() >= w:
            break
        if target[r, c].any():
            return dr, dc, k
    return 0, 0, 0


def _onto_largest(grid: Grid, comp: np.ndarray, index: int) -> tuple[int, int]:
    """The offset that puts component `index`'s cell nearest (Manhattan) to the largest
    component of another colour (the first in reading order among equals) onto that
    component's nearest cell; (0, 0) when there is none or when the nearest pairs of cells
    give several offsets."""
    rows, cols = np.nonzero(comp == index)
    other = (grid != grid[rows[0], cols[0]]) & (comp >= 0)
    if not other.any():
        return 0, 0
    sizes = np.bincount(comp[other], minlength=int(comp.max()) + 1)
    tr, tc = np.nonzero(comp == int(np.argmax(sizes)))
    dist = np.abs(tr[None, :] - rows[:, None]) + np.abs(tc[None, :] - cols[:, None])
    near = np.nonzero(dist == dist.min())
    offsets = set(zip((tr[near[1]] - rows[near[0]]).tolist(),
                      (tc[near[1]] - cols[near[0]]).tolist()))
    return offsets.pop() if len(offsets) == 1 else (0, 0)


def apply_moves(grid: Grid, comp: np.ndarray, actions: np.ndarray, bg: int) -> np.ndarray:
    """The grid with each component (`segment_objects`) moved by its action (an index of
    `MOVE_ACTIONS`, one per component): every moving component is erased first, then each is
    drawn at its new place in component order (see `move_objects`)."""
    out = np.where(grid == bg, -1, grid.astype(np.int64))
    moving = [i for i in range(len(actions)) if actions[i] != 0]
    cells = {i: np.nonzero(comp == i) for i in moving}
    for i in moving:
        out[cells[i]] = -1
    for i in moving:
        rows, cols = cells[i]
        colours = grid[rows, cols]
        action = int(actions[i])
        if action < _JUMPS:
            dr, dc = _toward_nearest(grid, comp, i, bg)
            k = 1 if action == 2 else _until_contact(out, rows, cols, dr, dc)
        elif action < _STEPS:
            dr, dc = DIRECTIONS[action - _JUMPS]
            k = int(np.ptp(rows) + 1 if dr else np.ptp(cols) + 1)
        elif action < _TOWARD_COLOR:
            (dr, dc), k = DIRECTIONS[action - _STEPS], 1
        elif action == _JOIN:
            joined = _join_own_colour(grid, comp, i)
            if joined is None:
                continue
            dr, dc, k = joined
        elif action == _ONTO:
            (dr, dc), k = _onto_largest(grid, comp, i), 1
        else:
            dr, dc = _toward_nearest(grid, comp, i, bg, action - _TOWARD_COLOR)
            k = _until_contact(out, rows, cols, dr, dc)
        r, c = rows + k * dr, cols + k * dc
        keep = (r >= 0) & (c >= 0) & (r < grid.shape[0]) & (c < grid.shape[1])
        out[r[keep], c[keep]] = colours[keep]
    return np.where(out < 0, bg, out)


@primitive("(Grid, Int, List[Int], List[Int], Color) -> Grid",
           domains={"kind": MOVE_RULE_KINDS},
           example="move_objects([[1, 0, 0, 2]], 19, [1], [13]) == [[0, 0, 1, 2]]")
def move_objects(grid: Grid, kind: int, keys: tuple[int, ...], values: tuple[int, ...],
                 bg: int = 0) -> Grid:
    """Move each object whose feature (kind = feature * 2 + mode) is keys[i] by action values[i].

    Modes: 4- or 8-connected single-colour objects of the non-`bg` cells (`MOVE_MODES`);
    features: `OBJECT_FEATURES` (`object_feature_values`); the key -1 (`OTHER_KEY`) stands for
    every value not listed, and objects whose feature is no key stay. Actions
    (`MOVE_ACTIONS`): 0 stay; 1 towards the nearest object of another colour (by where its
    bounding box lies, diagonals included) until the next step would leave the grid or land
    on a cell that is not `bg`; 2 one step that way; 3-6 jump up, right, down, left by the
    object's own height or width; 7-10 one step up, right, down, left; 11 + c towards the
    nearest object of colour c (as action 1) until contact; 21 next to the largest larger
    object of its own colour, passing over others (as action 1 for the way, the one step that
    would land on it not taken), or erased when there is none; 22 onto the largest object of
    another colour (its nearest cell put on that object's nearest cell, when unique).
    Every moving object is erased first, then drawn in turn (later ones see earlier ones);
    drawing is clipped to the grid."""
    if kind not in MOVE_RULE_KINDS:
        raise EvalError(f"move_objects: kind {kind} is not in 0..{MOVE_RULE_KINDS[-1]}")
    check_feature_table("move_objects", keys, values)
    if not all(0 <= value < len(MOVE_ACTIONS) for value in values):
        raise EvalError(f"move_objects: actions must be in 0..{len(MOVE_ACTIONS) - 1}")
    if not keys:
        return as_grid(grid)
    comp, n, features = featured_objects(grid, kind, len(MOVE_MODES), bg)
    table = dict(zip(keys, values))
    actions = np.array([table.get(int(f), table.get(OTHER_KEY, 0)) for f in features], np.int64)
    return as_grid(apply_moves(grid, comp, actions, bg))


# --- kept sets of parts: the parts at the extreme of a feature (icecuber's pickMaxes) ------

PART_FEATURES = ("count", "area", "colors", "top", "left", "holes", "interior")


def _enclosed(empty: np.ndarray) -> int:
    """The cells of `empty` that no 8-connected path of `empty` cells links to its edge."""
    padded = np.pad(empty, 1, constant_values=True)
    labels = _label(padded, padded, 8)
    return int((padded & (labels != labels[0, 0])).sum())


def part_feature(obj: Object, feature: int, bg: int = 0) -> int:
    """A part's feature (`PART_FEATURES`): its non-`bg` cells, its bounding box's area, its
    non-`bg` colours, top, left, the empty cells of its non-`bg` cells' box, the empty cells
    of its box enclosed by its non-`bg` cells (8-connected)."""
    filled = obj.mask & (obj.colors != bg)
    if feature == 0:
        return int(filled.sum())
    if feature == 1:
        return obj.height * obj.width
    if feature == 2:
        return len(np.unique(obj.colors[filled]))
    if feature in (3, 4):
        return obj.top if feature == 3 else obj.left
    if feature == 5:
        if not filled.any():
            return 0
        rows, cols = np.flatnonzero(filled.any(axis=1)), np.flatnonzero(filled.any(axis=0))
        return int((rows[-1] - rows[0] + 1) * (cols[-1] - cols[0] + 1) - filled.sum())
    return _enclosed(~filled)


def _kept(objs: tuple[Object, ...], feature: int, lowest: bool, invert: bool, bg: int,
          name: str) -> list[Object]:
    """The parts whose feature is the greatest (the least when `lowest`), or the others when
    `invert`; EvalError unless some parts are kept and some are not."""
    if feature not in range(len(PART_FEATURES)):
        raise EvalError(f"{name}: feature {feature} is not in 0..{len(PART_FEATURES) - 1}")
    values = [part_feature(obj, feature, bg) * (-1 if lowest else 1) for obj in objs]
    extreme = max(values, default=0)
    kept = [obj for obj, v in zip(objs, values) if (v == extreme) != invert]
    if not kept or len(kept) == len(objs):
        raise EvalError(f"{name}: the feature does not separate the parts")
    return kept


def _kept_canvas(grid: Grid, kept: list[Object], bg: int) -> np.ndarray:
    out = np.full(grid.shape, bg, dtype=np.uint8)
    for obj in kept:
        window = _clip(grid, obj)
        if window is not None:
            out[window[0]] = np.where(obj.mask[window[1]], obj.colors[window[1]],
                                      out[window[0]])
    return out


@primitive("(Grid, Objects, Int, Bool, Bool, Color) -> Grid", cost=3,
           domains={"feature": tuple(range(len(PART_FEATURES)))},
           example="keep_extreme_parts([[1, 0, 2], [1, 0, 0]], objects([[1, 0, 2], [1, 0, 0]]),"
                   " 0, False, False) == [[1, 0, 0], [1, 0, 0]]")
def keep_extreme_parts(grid: Grid, objs: tuple[Object, ...], feature: int, lowest: bool,
                       invert: bool, bg: int = 0) -> Grid:
    """The parts at a feature's extreme kept in place, every other cell `bg`.

    Kept: the parts whose feature (`part_feature`) is the greatest (the least when `lowest`),
    or the others when `invert`; EvalError when all or none are."""
    kept = _kept(objs, feature, lowest, invert, bg, "keep_extreme_parts")
    return as_grid(_kept_canvas(grid, kept, bg))


@primitive("(Grid, Objects, Int, Bool, Bool, Color) -> Grid", cost=3,
           domains={"feature": tuple(range(len(PART_FEATURES)))},
           example="crop_extreme_parts([[1, 0, 2], [1, 0, 0]], objects([[1, 0, 2], [1, 0, 0]]),"
                   " 0, False, False) == [[1], [1]]")
def crop_extreme_parts(grid: Grid, objs: tuple[Object, ...], feature: int, lowest: bool,
                       invert: bool, bg: int = 0) -> Grid:
    """`keep_extreme_parts` cropped to the kept parts' joint bounding box.

    The box is clipped to the grid: icecuber's composeGrowing of pickMaxes / pickNotMaxes."""
    kept = _kept(objs, feature, lowest, invert, bg, "crop_extreme_parts")
    h, w = grid.shape
    r0, c0 = max(0, min(o.top for o in kept)), max(0, min(o.left for o in kept))
    r1 = min(h, max(o.top + o.height for o in kept))
    c1 = min(w, max(o.left + o.width for o in kept))
    if r0 >= r1 or c0 >= c1:
        raise EvalError("crop_extreme_parts: the kept parts lie outside the grid")
    return as_grid(_kept_canvas(grid, kept, bg)[r0:r1, c0:c1])
