"""Fast paths: kernel name -> an implementation with the reference primitive's exact signature
and semantics, built on the compiled kernels in `native/`.

A primitive names its fast path with `kernel="..."` in its `@primitive` declaration;
`fast_path(prim)` returns the fast implementation (or None) and `implementation(prim)` the
one an evaluator should call. Native kernels return raw arrays and scalars; this module
checks preconditions (raising the reference's `EvalError`s), builds `Object`s and freezes
results. Arguments a kernel cannot take (integers beyond 64 bits, objects moved absurdly far)
fall back to the reference implementation, which stays the semantics oracle.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import numpy as np

from dsl.errors import EvalError
from dsl.primitives.drawing import CLEAR_MARGINS
from dsl.primitives.patterns import OBJECT_PARTS
from dsl.primitives.sizing import check_positive, check_shape, check_window
from dsl.registry import Primitive, default_registry
from dsl.values import Grid, Object, Point, as_grid, frozen, value_key, value_nbytes
from native import (cells, components, fastprims, fills, grids, painting, patterns,
                    rectangles, recolor as recolor_kernels, resize, symmetry, tiling)

_FAR = 2**31            # objects and counts beyond this are handed to the reference
_INT64 = 2**63          # colours a kernel compares as 64-bit integers
_CONNECT = (4, 8)


def _reference(name: str) -> Callable[..., Any]:
    return default_registry()[name].fn


def _far(obj: Object) -> bool:
    return not (-_FAR < obj.top < _FAR and -_FAR < obj.left < _FAR)


def _connect(connect: int) -> None:
    if connect not in _CONNECT:
        raise EvalError(f"connect must be 4 or 8, not {connect}")


def _direction(direction: int, count: int) -> None:
    if not 0 <= direction < count:
        raise EvalError(f"direction {direction} is not in 0..{count - 1}")


def _direction4(direction: int) -> None:
    if direction not in (0, 1, 2, 3):
        raise EvalError(f"direction {direction} is not in 0..3")


# --- objects ---------------------------------------------------------------------------------

def _segment(grid: Grid, connect: int, mode: int, value: int, same_color: bool
             ) -> tuple[Object, ...]:
    """The components `native.fastprims.segment` labels, as Objects, in the reference's
    order (the callers hand colours beyond 64 bits to the reference)."""
    _connect(connect)
    return fastprims.segment(grid, connect, mode, value, same_color, Object)


def label_components(grid: Grid, connect: int = 4, multicolor: bool = False, bg: int = 0
                     ) -> tuple[Object, ...]:
    """objects: connected components of non-bg cells, labelled natively."""
    if not -_INT64 <= bg < _INT64:
        return _reference("objects")(grid, connect, multicolor, bg)
    return _segment(grid, connect, fastprims.NOT_VALUE, bg, not multicolor)


def label_color_components(grid: Grid, color: int, connect: int = 4) -> tuple[Object, ...]:
    """objects_of_color: connected components of the cells of one colour."""
    if not -_INT64 <= color < _INT64:
        return _reference("objects_of_color")(grid, color, connect)
    return _segment(grid, connect, fastprims.IS_VALUE, color, True)


def label_regions(grid: Grid, connect: int = 4) -> tuple[Object, ...]:
    """regions: every single-colour connected component, background included."""
    return _segment(grid, connect, fastprims.ALL, 0, True)


def color_groups(grid: Grid, bg: int = 0) -> tuple[Object, ...]:
    """color_groups: one object per non-bg colour."""
    return cells.color_groups(grid, bg, Object)


def largest_rectangle(grid: Grid, color: int, min_side: int = 1) -> Object:
    """largest_rectangle: the largest solid rectangle of one colour, scanned natively."""
    if min_side < 1:
        raise EvalError("largest_rectangle: min_side must be at least 1")
    found, top, left, h, w = False, 0, 0, 0, 0
    if 0 <= color < 256 and min_side <= max(grid.shape):   # else no cell or no side fits
        found, top, left, h, w = rectangles.largest_rectangle(grid, color, min_side)
    if not found:
        raise EvalError("largest_rectangle: no rectangle of that colour is big enough")
    return Object(frozen(grid[top:top + h, left:left + w].copy()),
                  frozen(np.ones((h, w), dtype=bool)), int(top), int(left))


def recolor(obj: Object, color: int) -> Object:
    """recolor: the object with every cell recoloured."""
    return Object(cells.mask_fill(obj.mask, color), obj.mask, obj.top, obj.left)


def grid_to_object(grid: Grid, bg: int = 0) -> Object:
    """to_object: the non-bg cells as one object, cropped natively."""
    if not 0 <= bg <= 255:
        return _reference("to_object")(grid, bg)
    obj = fastprims.grid_object(grid, bg, Object)
    if obj is None:
        raise EvalError("to_object: the grid has only the background colour")
    return obj


def has_hole(grid: Grid, obj: Object) -> bool:
    """has_hole: an off-mask cell of the bbox that cannot reach its outside."""
    return components.has_hole(obj.mask)


# --- drawing ---------------------------------------------------------------------------------

def line(grid: Grid, a: Point, b: Point, color: int) -> Grid:
    """line: draw a horizontal, vertical or diagonal segment from a to b (clipped)."""
    r, c = int(a[0]), int(a[1])
    dr, dc = int(b[0]) - r, int(b[1]) - c
    if dr and dc and abs(dr) != abs(dc):
        raise EvalError("line needs a horizontal, vertical or diagonal segment")
    if max(abs(r), abs(c), abs(dr), abs(dc)) >= _FAR:
        return _reference("line")(grid, a, b, color)
    return cells.draw_line(grid, r, c, (dr > 0) - (dr < 0), (dc > 0) - (dc < 0),
                           max(abs(dr), abs(dc)), color)


def hline(grid: Grid, row: int, color: int) -> Grid:
    """hline: paint a whole row."""
    if not 0 <= row < grid.shape[0]:
        raise EvalError(f"row {row} out of range")
    return cells.paint_line(grid, row, True, color)


def vline(grid: Grid, col: int, color: int) -> Grid:
    """vline: paint a whole column."""
    if not 0 <= col < grid.shape[1]:
        raise EvalError(f"column {col} out of range")
    return cells.paint_line(grid, col, False, color)


def flood_fill(grid: Grid, start: Point, color: int, connect: int = 4) -> Grid:
    """flood_fill: recolour the same-colour region holding start."""
    r, c = int(start[0]), int(start[1])
    if not (0 <= r < grid.shape[0] and 0 <= c < grid.shape[1]):
        raise EvalError(f"start {(r, c)} is outside the grid")
    _connect(connect)
    return frozen(fills.flood_fill(grid, r, c, color, connect))


def fill_enclosed(grid: Grid, color: int, bg: int = 0) -> Grid:
    """fill_enclosed: paint bg cells cut off from the border."""
    return frozen(fills.fill_enclosed(grid, color, bg))


def outline(grid: Grid, obj: Object, color: int, connect: int = 4, bg: int = 0) -> Grid:
    """outline: paint the bg cells adjacent to the object."""
    _connect(connect)
    if _far(obj):
        return _reference("outline")(grid, obj, color, connect, bg)
    return frozen(painting.outline(grid, obj.mask, obj.top, obj.left, color, connect, bg))


def object_rays(grid: Grid, obj: Object, direction: int, bg: int = 0) -> Grid:
    """object_rays: a ray of its colour from each object cell until a non-bg cell."""
    _direction(direction, 8)
    if _far(obj):
        return _reference("object_rays")(grid, obj, direction, bg)
    return frozen(painting.object_rays(grid, obj.colors, obj.mask, obj.top, obj.left,
                                       direction, bg))


def _ring(grid: Grid, top: int, left: int, bottom: int, right: int, color: int) -> Grid:
    """The clipped rectangle outline painted natively (corners within int64 by the callers)."""
    return frozen(recolor_kernels.ring(grid, top, left, bottom, right, color))


def box(grid: Grid, obj: Object, color: int) -> Grid:
    """box: the ring just outside the object's bounding box, painted natively."""
    if _far(obj) or not 0 <= color <= 255:
        return _reference("box")(grid, obj, color)
    return _ring(grid, obj.top - 1, obj.left - 1, obj.top + obj.height, obj.left + obj.width,
                 color)


def box_inside(grid: Grid, obj: Object, color: int) -> Grid:
    """box_inside: the border cells of the object's bounding box, painted natively."""
    if _far(obj) or not 0 <= color <= 255:
        return _reference("box_inside")(grid, obj, color)
    return _ring(grid, obj.top, obj.left, obj.top + obj.height - 1, obj.left + obj.width - 1,
                 color)


def draw_border(grid: Grid, color: int) -> Grid:
    """draw_border: the outermost ring, painted natively."""
    if not 0 <= color <= 255:
        return _reference("draw_border")(grid, color)
    return _ring(grid, 0, 0, grid.shape[0] - 1, grid.shape[1] - 1, color)


def fill_rows_with(grid: Grid, color: int, bg: int = 0) -> Grid:
    """fill_rows_with: the bg cells of the rows holding `color` painted in one native pass."""
    if not (0 <= color <= 255 and 0 <= bg <= 255):
        return _reference("fill_rows_with")(grid, color, bg)
    return frozen(recolor_kernels.fill_lines_with(grid, color, bg, True))


def fill_cols_with(grid: Grid, color: int, bg: int = 0) -> Grid:
    """fill_cols_with: the bg cells of the columns holding `color` painted natively."""
    if not (0 <= color <= 255 and 0 <= bg <= 255):
        return _reference("fill_cols_with")(grid, color, bg)
    return frozen(recolor_kernels.fill_lines_with(grid, color, bg, False))


def fill_clear_lines(grid: Grid, margin: int, color: int, bg: int = 0) -> Grid:
    """fill_clear_lines: the all-bg rows and columns painted natively."""
    if margin not in CLEAR_MARGINS:
        raise EvalError(f"fill_clear_lines: margin {margin} is not 0 or 1")
    if not (0 <= color <= 255 and 0 <= bg <= 255):
        return _reference("fill_clear_lines")(grid, margin, color, bg)
    return frozen(recolor_kernels.fill_clear_lines(grid, int(margin), color, bg))


def connect_same(grid: Grid, axis: int, bg: int = 0) -> Grid:
    """connect_same: fill bg gaps between same-colour cells of rows and/or columns."""
    if axis not in (0, 1, 2):
        raise EvalError(f"connect_same: axis {axis} is not 0, 1 or 2")
    if not 0 <= bg <= 255:
        return _reference("connect_same")(grid, axis, bg)
    return fastprims.connect_same(grid, axis, bg)


def connect_pairs_h(grid: Grid, color: int, line_color: int, bg: int = 0) -> Grid:
    """connect_pairs_h: join cells of a colour sharing a row over bg cells."""
    if not (0 <= color <= 255 and 0 <= line_color <= 255 and 0 <= bg <= 255):
        return _reference("connect_pairs_h")(grid, color, line_color, bg)
    return fastprims.connect_pairs_h(grid, color, line_color, bg)


def connect_pairs(grid: Grid, color: int, line_color: int, bg: int = 0) -> Grid:
    """connect_pairs: join same-row/column cells of a colour over bg cells."""
    return frozen(painting.connect_pairs(grid, color, line_color, bg))


# --- colours --------------------------------------------------------------------------------

def swap_colors(grid: Grid, a: int, b: int) -> Grid:
    """swap_colors: exchange two colours in one native pass."""
    if not (0 <= a <= 255 and 0 <= b <= 255):
        return _reference("swap_colors")(grid, a, b)
    return fastprims.swap_colors(grid, a, b)


def replace(grid: Grid, source: int, target: int) -> Grid:
    """replace: one colour recoloured in one native pass."""
    if not (0 <= source <= 255 and 0 <= target <= 255):
        return _reference("replace")(grid, source, target)
    return frozen(recolor_kernels.replace_color(grid, source, target))


def keep_color(grid: Grid, color: int, bg: int = 0) -> Grid:
    """keep_color: the cells of one colour kept, the rest bg, in one native pass."""
    if not (0 <= color <= 255 and 0 <= bg <= 255):
        return _reference("keep_color")(grid, color, bg)
    return frozen(recolor_kernels.keep_color(grid, color, bg))


def remove_color(grid: Grid, color: int, bg: int = 0) -> Grid:
    """remove_color: the cells of one colour erased to bg in one native pass."""
    if not (0 <= color <= 255 and 0 <= bg <= 255):
        return _reference("remove_color")(grid, color, bg)
    return frozen(recolor_kernels.replace_color(grid, color, bg))


def recolor_all(grid: Grid, color: int, bg: int = 0) -> Grid:
    """recolor_all: every non-bg cell recoloured in one native pass."""
    if not (0 <= color <= 255 and 0 <= bg <= 255):
        return _reference("recolor_all")(grid, color, bg)
    return frozen(recolor_kernels.recolor_all(grid, color, bg))


def _cellwise(name: str, op: int, a: Grid, b: Grid, color: int, bg: int) -> Grid:
    """cellwise_and/or/xor in one native pass (the reference's shape error first)."""
    if a.shape != b.shape:
        raise EvalError(f"grid shapes differ: {a.shape} vs {b.shape}")
    if not (0 <= color <= 255 and 0 <= bg <= 255):
        return _reference(name)(a, b, color, bg)
    return fastprims.cellwise(a, b, op, color, bg)


def cellwise_and(a: Grid, b: Grid, color: int, bg: int = 0) -> Grid:
    """cellwise_and: `color` where both grids are non-bg, else bg."""
    return _cellwise("cellwise_and", fastprims.AND, a, b, color, bg)


def cellwise_or(a: Grid, b: Grid, color: int, bg: int = 0) -> Grid:
    """cellwise_or: `color` where either grid is non-bg, else bg."""
    return _cellwise("cellwise_or", fastprims.OR, a, b, color, bg)


def cellwise_xor(a: Grid, b: Grid, color: int, bg: int = 0) -> Grid:
    """cellwise_xor: `color` where exactly one grid is non-bg, else bg."""
    return _cellwise("cellwise_xor", fastprims.XOR, a, b, color, bg)


# --- colour statistics -----------------------------------------------------------------------

def most_common_fg(grid: Grid, bg: int = 0) -> int:
    """most_common_fg: the most common colour other than bg."""
    best = cells.most_common_except(grid, bg)
    if best < 0:
        raise EvalError("most_common_fg: the grid has only the background colour")
    return best


def normalize_colors(grid: Grid) -> Grid:
    """normalize_colors: recolour to canonical ids in one native pass (a colour over 9 goes
    to the reference)."""
    out = fastprims.normalize_colors(grid)
    return _reference("normalize_colors")(grid) if out is None else out


def denormalize_colors(grid: Grid, ref: Grid) -> Grid:
    """denormalize_colors: canonical ids mapped back to ref's colours in one native pass."""
    out = fastprims.denormalize_colors(grid, ref)
    return _reference("denormalize_colors")(grid, ref) if out is None else out


# --- sizing ----------------------------------------------------------------------------------

def rot90(grid: Grid) -> Grid:
    """rot90: a quarter turn clockwise, as a reversed-rows transpose (no np.rot90 call)."""
    return as_grid(grid[::-1].T)


def rot180(grid: Grid) -> Grid:
    """rot180: a half turn, as both axes reversed."""
    return as_grid(grid[::-1, ::-1])


def rot270(grid: Grid) -> Grid:
    """rot270: a quarter turn counter-clockwise, as a reversed-columns transpose."""
    return as_grid(grid[:, ::-1].T)


def roll(grid: Grid, dr: int, dc: int) -> Grid:
    """roll: the cyclic shift in one native pass (the shifts reduced modulo the sides)."""
    h, w = grid.shape
    return frozen(recolor_kernels.roll(grid, int(dr) % h, int(dc) % w))


def crop(grid: Grid, top: int, left: int, h: int, w: int) -> Grid:
    """crop: the h x w window at (top, left), inside the grid."""
    check_window(grid, top, left, h, w)
    return cells.crop(grid, top, left, h, w)


def canvas(color: int, h: int, w: int) -> Grid:
    """canvas: a new h x w grid of one colour."""
    check_shape(h, w, "canvas")
    return cells.full(h, w, color)


def trim(grid: Grid, bg: int = 0) -> Grid:
    """trim: crop to the bounding box of the non-bg cells."""
    out = cells.crop_not(grid, bg)
    if out is None:
        raise EvalError("trim: every cell is background")
    return out


def split_by_lines(grid: Grid) -> tuple[Grid, ...]:
    """split_by_lines: cut along the separator colour's complete rows and columns."""
    parts = cells.split_lines(grid)
    if parts is None:
        raise EvalError("split_by_lines: no complete row or column of one colour")
    if not parts:
        raise EvalError("split_by_lines: nothing between the separator lines")
    return parts


def paint_parts(grid: Grid, small: Grid) -> Grid:
    """paint_parts: fill the parts between the separator lines from `small`, natively."""
    rows, cols, out = fastprims.paint_parts(grid, small)
    if rows < 0:
        raise EvalError("paint_parts: no complete row or column of one colour")
    if out is None:
        raise EvalError(f"paint_parts: {rows}x{cols} parts, but `small` "
                        f"is {small.shape[0]}x{small.shape[1]}")
    return out


def kron_with(a: Grid, b: Grid, bg: int = 0) -> Grid:
    """kron_with: each non-bg cell of a becomes a copy of b."""
    check_shape(a.shape[0] * b.shape[0], a.shape[1] * b.shape[1], "kron_with")
    return cells.kron(a, b, bg)


def kron(grid: Grid, bg: int = 0) -> Grid:
    """kron: the fractal self-product."""
    return kron_with(grid, grid, bg)


def pad(grid: Grid, n: int, color: int) -> Grid:
    """pad: a border n cells wide of one colour, written into a filled canvas (no np.pad)."""
    if n < 1:
        raise EvalError(f"pad: border width must be positive, got {n}")
    h, w = grid.shape
    check_shape(h + 2 * n, w + 2 * n, "pad")
    if not 0 <= color < 256:
        return _reference("pad")(grid, n, color)
    n = int(n)
    out = np.full((h + 2 * n, w + 2 * n), color, dtype=np.uint8)
    out[n:n + h, n:n + w] = grid
    return frozen(out)


def tile(grid: Grid, rows: int, cols: int) -> Grid:
    """tile: the grid repeated rows x cols times, in one native pass (no np.tile)."""
    if rows < 1:
        raise EvalError(f"tile: rows must be positive, got {rows}")
    if cols < 1:
        raise EvalError(f"tile: cols must be positive, got {cols}")
    h, w = grid.shape
    check_shape(h * rows, w * cols, "tile")
    return frozen(resize.tile_to(grid, h * int(rows), w * int(cols)))


def upscale_hw(grid: Grid, kr: int, kc: int) -> Grid:
    """upscale_hw: each cell a kr x kc block, in one native pass."""
    kr = check_positive(kr, "row factor", "upscale")
    kc = check_positive(kc, "column factor", "upscale")
    h, w = grid.shape[0] * kr, grid.shape[1] * kc
    check_shape(h, w, "upscale")
    return frozen(resize.scale(grid, h, w, True, kr, True, kc))


def upscale(grid: Grid, k: int) -> Grid:
    """upscale: each cell a k x k block (upscale_hw's fast path)."""
    return upscale_hw(grid, k, k)


def _resize_factor(n: int, target: int) -> tuple[bool, int]:
    """(up, k) of a nearest-neighbour integer-factor resize of one axis from n to target
    cells: up repeats each source line k times, down keeps every k-th one."""
    if target % n == 0:
        return True, target // n
    if n % target == 0:
        return False, n // target
    raise EvalError(f"resize_to: {n} -> {target} is not an integer scale")


def resize_to(grid: Grid, like: Grid) -> Grid:
    """resize_to: scaled to like's shape by integer factors per axis, in one native pass."""
    h, w = like.shape
    rows_up, kr = _resize_factor(grid.shape[0], h)
    cols_up, kc = _resize_factor(grid.shape[1], w)
    return frozen(resize.scale(grid, h, w, rows_up, kr, cols_up, kc))


def tile_to(grid: Grid, h: int, w: int) -> Grid:
    """tile_to: the grid repeated and cropped to h x w, in one native pass."""
    check_shape(h, w, "tile_to")
    return frozen(resize.tile_to(grid, int(h), int(w)))


def compress(grid: Grid) -> Grid:
    """compress: drop rows and columns entirely of the most common colour."""
    out = cells.compress(grid)
    if out is None:
        raise EvalError("compress: every row or every column is the most common colour")
    return out


# --- patterns --------------------------------------------------------------------------------

def repair_tiling(grid: Grid, noise: int) -> Grid:
    """repair_tiling: fill noise cells from the smallest consistent 2-D period."""
    found, out = tiling.repair_tiling(grid, noise)
    if not found:
        raise EvalError("no period smaller than the grid fits")
    return frozen(out)


def continue_pattern(grid: Grid, axis: int, bg: int = 0) -> Grid:
    """continue_pattern: the band of rows (columns) or each line's span continued by its
    period, periods found natively."""
    if not -_INT64 <= bg < _INT64:
        return _reference("continue_pattern")(grid, axis, bg)
    if axis == 0 or axis == 1:
        found, out = patterns.continue_rows(grid if axis == 0 else grid.T, bg)
        if not found:
            raise EvalError("no pattern to continue: the grid is all background")
        return as_grid(out if axis == 0 else out.T)
    if axis == 2:
        return frozen(patterns.continue_both(grid, bg))
    raise EvalError(f"axis must be 0, 1 or 2, got {axis}")


def complete_symmetry(grid: Grid, noise: int) -> Grid:
    """complete_symmetry: fill noise cells from the symmetries the other cells obey."""
    status, out = symmetry.complete_symmetry(grid, noise)
    if status == symmetry.NO_NOISE:
        raise EvalError("no noise cell to fill")
    if status == symmetry.NO_SYMMETRY:
        raise EvalError("no symmetry fits the grid")
    if status == symmetry.NOTHING_FILLED:
        raise EvalError("no noise cell could be filled")
    return frozen(out)


def overlay(a: Grid, b: Grid, bg: int = 0) -> Grid:
    """overlay: b's non-bg cells drawn over a (same shapes)."""
    out = cells.overlay(a, b, bg)
    if out is None:
        raise EvalError(f"grid shapes differ: {a.shape} vs {b.shape}")
    return out


def eq(a: Any, b: Any) -> bool:
    """eq: content equality; arrays compared natively, plain ints directly."""
    if type(a) is np.ndarray and type(b) is np.ndarray:
        return cells.same_array(a, b)
    if type(a) is int and type(b) is int:
        return a == b
    return bool(value_key(a) == value_key(b))


def neq(a: Any, b: Any) -> bool:
    """neq: content inequality; arrays compared natively."""
    return not eq(a, b)


def gravity(grid: Grid, direction: int, bg: int = 0) -> Grid:
    """gravity: slide the non-bg cells to one side, keeping their order."""
    _direction4(direction)
    return frozen(grids.gravity(grid, direction, bg))


def move_until_contact(grid: Grid, obj: Object, direction: int, bg: int = 0) -> Grid:
    """move_until_contact: erase the object and redraw it slid until contact."""
    _direction4(direction)
    if _far(obj):
        return _reference("move_until_contact")(grid, obj, direction, bg)
    inside, out = painting.move_until_contact(grid, obj.colors, obj.mask, obj.top, obj.left,
                                              direction, bg)
    if not inside:
        raise EvalError("object is not inside the grid")
    return frozen(out)


def denoise(grid: Grid, min_size: int, bg: int = 0) -> Grid:
    """denoise: erase 8-connected single-colour components smaller than min_size."""
    return frozen(components.denoise(grid, max(min(min_size, _FAR), -_FAR), bg))


def paint_object_parts(grid: Grid, part: int, color: int, bg: int = 0) -> Grid:
    """paint_object_parts: one part of every 8-connected single-colour object painted,
    natively."""
    if part not in OBJECT_PARTS:
        raise EvalError(f"paint_object_parts: part {part} is not in 0..6")
    if not 0 <= color <= 9:
        raise EvalError(f"paint_object_parts: colour {color} is not in 0..9")
    return frozen(components.paint_object_parts(grid, int(part), int(color),
                                                max(min(bg, _FAR), -_FAR)))


FAST_PATHS: Mapping[str, Callable[..., Any]] = MappingProxyType({
    # objects
    "label_components": label_components,
    "label_color_components": label_color_components,
    "label_regions": label_regions,
    "color_groups": color_groups,
    "largest_rectangle": largest_rectangle,
    "count_cells": cells.object_size,
    "masked_majority": cells.object_majority,
    "masked_n_colors": cells.object_n_colors,
    "has_hole": has_hole,
    "grid_to_object": grid_to_object,
    "recolor": recolor,
    "paint": cells.paint_object,
    "paint_all": cells.paint_objects,
    "cover": cells.cover_object,
    # drawing
    "line": line,
    "hline": hline,
    "vline": vline,
    "flood_fill": flood_fill,
    "fill_enclosed": fill_enclosed,
    "outline": outline,
    "object_rays": object_rays,
    "connect_pairs": connect_pairs,
    "connect_same": connect_same,
    "box": box,
    "box_inside": box_inside,
    "draw_border": draw_border,
    "fill_rows_with": fill_rows_with,
    "fill_cols_with": fill_cols_with,
    "fill_clear_lines": fill_clear_lines,
    "connect_pairs_h": connect_pairs_h,
    # colours
    "swap_colors": swap_colors,
    "replace": replace,
    "keep_color": keep_color,
    "remove_color": remove_color,
    "recolor_all": recolor_all,
    "cellwise_and": cellwise_and,
    "cellwise_or": cellwise_or,
    "cellwise_xor": cellwise_xor,
    # colour statistics
    "most_common_color": cells.most_common,
    "least_common_color": cells.least_common,
    "bg_color": cells.background,
    "most_common_fg": most_common_fg,
    "n_colors": cells.n_present,
    "colors_of": cells.present,
    "color_count": cells.count_color,
    "normalize_colors": normalize_colors,
    "denormalize_colors": denormalize_colors,
    # sizing and geometry
    "rot90": rot90,
    "rot180": rot180,
    "rot270": rot270,
    "roll": roll,
    "crop": crop,
    "canvas": canvas,
    "shift": cells.shift,
    "trim": trim,
    "split_by_lines": split_by_lines,
    "paint_parts": paint_parts,
    "kron_with": kron_with,
    "kron": kron,
    "pad": pad,
    "tile": tile,
    "tile_to": tile_to,
    "upscale": upscale,
    "upscale_hw": upscale_hw,
    "resize_to": resize_to,
    "compress": compress,
    "dedupe_rows": cells.dedupe_rows,
    "dedupe_cols": cells.dedupe_cols,
    # patterns
    "period_h": cells.period_cols,
    "period_v": cells.period_rows,
    "repair_tiling": repair_tiling,
    "continue_pattern": continue_pattern,
    "complete_symmetry": complete_symmetry,
    "is_symmetric_h": cells.is_symmetric_h,
    "is_symmetric_v": cells.is_symmetric_v,
    "overlay": overlay,
    "gravity": gravity,
    "move_until_contact": move_until_contact,
    "denoise": denoise,
    "paint_object_parts": paint_object_parts,
    # logic
    "eq": eq,
    "neq": neq,
})


# Kernels whose results are worth remembering per argument content within one search: object
# segmentations and the costly pattern repairs (a grid reaches them from several nodes that
# agree on some examples; a third of complete_symmetry's calls repeat one).
MEMO_KERNELS = frozenset({"label_components", "label_color_components", "label_regions",
                          "complete_symmetry", "repair_tiling"})


def _memo_key(args: tuple[Any, ...]) -> tuple[tuple[Any, ...], int] | None:
    """(an exact content key of grids and scalars, the bytes of the grids' data it copies);
    None for any other argument."""
    key: list[Any] = []
    copied = 0
    for arg in args:
        kind = type(arg)
        if kind is np.ndarray:
            data = arg.tobytes()
            key.append((arg.dtype.str, arg.shape, data))
            copied += len(data)
        elif kind is int or kind is bool:
            key.append((kind, arg))
        else:
            return None
    return tuple(key), copied


def memoised(fn: Callable[..., Any], max_bytes: int) -> Callable[..., Any]:
    """`fn` remembering its results by the exact content of its arguments (grids and
    scalars; calls with other arguments are not remembered, nor errors), the oldest
    forgotten first once the results and keys held pass `max_bytes` (`value_nbytes`).
    Results are immutable values, so a remembered one is returned as is. Each call of this
    function makes a new, empty memo."""
    results: dict[tuple[Any, ...], Any] = {}
    sizes: dict[tuple[Any, ...], int] = {}
    held = 0

    def call(*args: Any) -> Any:
        nonlocal held
        keyed = _memo_key(args)
        if keyed is None:
            return fn(*args)
        key, copied = keyed
        found = results.get(key)
        if found is not None:
            return found
        value = fn(*args)
        size = value_nbytes(value) + copied
        while results and held + size > max_bytes:
            oldest = next(iter(results))
            del results[oldest]
            held -= sizes.pop(oldest)
        if size <= max_bytes:
            results[key], sizes[key] = value, size
            held += size
        return value

    return call


def fast_path(prim: Primitive) -> Callable[..., Any] | None:
    """The fast implementation of a primitive, or None when it has no kernel."""
    return FAST_PATHS.get(prim.kernel) if prim.kernel else None


def implementation(prim: Primitive) -> Callable[..., Any]:
    """What an evaluator should call for a primitive: its fast path, else its reference."""
    return fast_path(prim) or prim.fn
