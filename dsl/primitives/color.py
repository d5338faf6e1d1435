"""Colour: recolouring, colour statistics, and boolean masks of cells.

Colour statistics count cells with `np.bincount`; ties always go to the smaller colour index.
Masks are read-only 2-D bool arrays; binary mask operations need equal shapes.
"""
from __future__ import annotations

import numpy as np

from dsl.errors import EvalError
from dsl.registry import primitive
from dsl.values import Grid, Mask, as_grid, frozen


def _counts(grid: Grid) -> np.ndarray:
    """Cells per colour 0..9."""
    return np.bincount(grid.ravel(), minlength=10)


def _same_shape(a: np.ndarray, b: np.ndarray, what: str) -> None:
    if a.shape != b.shape:
        raise EvalError(f"{what}: shapes differ ({a.shape[0]}x{a.shape[1]} vs "
                        f"{b.shape[0]}x{b.shape[1]})")


@primitive("(Grid, Color, Color) -> Grid", kernel="replace",
           example="replace([[1, 2]], 1, 3) == [[3, 2]]")
def replace(grid: Grid, source: int, target: int) -> Grid:
    """Recolour every cell of colour `source` to `target`."""
    return as_grid(np.where(grid == source, target, grid))


@primitive("(Grid, Color, Color) -> Grid", kernel="swap_colors",
           example="swap_colors([[1, 2, 0]], 1, 2) == [[2, 1, 0]]")
def swap_colors(grid: Grid, a: int, b: int) -> Grid:
    """Exchange colours `a` and `b` everywhere."""
    return as_grid(np.where(grid == a, b, np.where(grid == b, a, grid)))


@primitive("(Grid, Color, Color) -> Grid", kernel="keep_color",
           example="keep_color([[1, 2, 1]], 1) == [[1, 0, 1]]")
def keep_color(grid: Grid, color: int, bg: int = 0) -> Grid:
    """Keep the cells of one colour; every other cell becomes `bg`."""
    return as_grid(np.where(grid == color, grid, bg))


@primitive("(Grid, Color, Color) -> Grid", kernel="remove_color",
           example="remove_color([[1, 2, 1]], 1) == [[0, 2, 0]]")
def remove_color(grid: Grid, color: int, bg: int = 0) -> Grid:
    """Erase the cells of one colour to `bg`."""
    return as_grid(np.where(grid == color, bg, grid))


@primitive("(Grid, Color, Color) -> Grid", kernel="recolor_all",
           example="recolor_all([[1, 0, 2]], 5) == [[5, 0, 5]]")
def recolor_all(grid: Grid, color: int, bg: int = 0) -> Grid:
    """Recolour every non-`bg` cell to `color`."""
    return as_grid(np.where(grid != bg, color, grid))


@primitive("(Grid) -> Color", kernel="most_common_color",
           example="most_common_color([[1, 2, 2]]) == 2")
def most_common_color(grid: Grid) -> int:
    """The colour with the most cells (ties: smaller colour)."""
    return int(np.argmax(_counts(grid)))


@primitive("(Grid) -> Color", kernel="least_common_color",
           example="least_common_color([[1, 2, 2]]) == 1")
def least_common_color(grid: Grid) -> int:
    """The present colour with the fewest cells (ties: smaller colour)."""
    counts = _counts(grid)
    return int(np.argmin(np.where(counts > 0, counts, grid.size + 1)))


@primitive("(Grid) -> Color", kernel="bg_color", example="bg_color([[0, 1], [1, 0]]) == 0")
def bg_color(grid: Grid) -> int:
    """The background: most common colour; ties go to the colour with more border cells."""
    counts = _counts(grid)
    border = np.concatenate([grid[0], grid[-1], grid[:, 0], grid[:, -1]])
    tied = counts == counts.max()
    border_counts = np.where(tied, np.bincount(border, minlength=10), -1)
    return int(np.argmax(border_counts))


@primitive("(Grid, Color) -> Color", kernel="most_common_fg",
           example="most_common_fg([[0, 0, 3, 2, 3]]) == 3")
def most_common_fg(grid: Grid, bg: int = 0) -> int:
    """The most common colour other than `bg` (ties: smaller colour)."""
    counts = _counts(grid)
    counts[bg] = 0
    if not counts.any():
        raise EvalError("most_common_fg: the grid has only the background colour")
    return int(np.argmax(counts))


@primitive("(Grid, Color) -> Int", kernel="color_count", example="color_count([[1, 2, 1]], 1) == 2")
def color_count(grid: Grid, color: int) -> int:
    """The number of cells of a colour."""
    return int(np.count_nonzero(grid == color))


@primitive("(Grid) -> Int", kernel="n_colors", example="n_colors([[0, 2, 2]]) == 2")
def n_colors(grid: Grid) -> int:
    """The number of distinct colours present (background included)."""
    return int(np.count_nonzero(_counts(grid)))


@primitive("(Grid) -> List[Color]", kernel="colors_of", example="colors_of([[3, 0, 3]]) == (0, 3)")
def colors_of(grid: Grid) -> tuple[int, ...]:
    """The colours present, ascending."""
    return tuple(int(c) for c in np.flatnonzero(_counts(grid)))


@primitive("(Grid, Color) -> Mask", example="mask_of([[1, 2]], 1) == [[True, False]]")
def mask_of(grid: Grid, color: int) -> Mask:
    """The cells of one colour, as a mask."""
    return frozen(grid == color)


@primitive("(Grid, Color) -> Mask", example="nonbg_mask([[0, 2]]) == [[False, True]]")
def nonbg_mask(grid: Grid, bg: int = 0) -> Mask:
    """The cells not of colour `bg`, as a mask."""
    return frozen(grid != bg)


@primitive("(Mask, Mask) -> Mask",
           example="mask_and([[True, True]], [[True, False]]) == [[True, False]]")
def mask_and(a: Mask, b: Mask) -> Mask:
    """Cells in both masks (shapes must match)."""
    _same_shape(a, b, "mask_and")
    return frozen(a & b)


@primitive("(Mask, Mask) -> Mask",
           example="mask_or([[True, False]], [[False, False]]) == [[True, False]]")
def mask_or(a: Mask, b: Mask) -> Mask:
    """Cells in either mask (shapes must match)."""
    _same_shape(a, b, "mask_or")
    return frozen(a | b)


@primitive("(Mask, Mask) -> Mask",
           example="mask_xor([[True, True]], [[True, False]]) == [[False, True]]")
def mask_xor(a: Mask, b: Mask) -> Mask:
    """Cells in exactly one of the masks (shapes must match)."""
    _same_shape(a, b, "mask_xor")
    return frozen(a ^ b)


@primitive("(Mask) -> Mask", example="mask_not([[True, False]]) == [[False, True]]")
def mask_not(m: Mask) -> Mask:
    """Cells not in the mask."""
    return frozen(~m)


@primitive("(Grid, Mask, Color) -> Grid",
           example="fill_mask([[1, 2]], [[False, True]], 5) == [[1, 5]]")
def fill_mask(grid: Grid, mask: Mask, color: int) -> Grid:
    """Paint the cells under a mask (of the grid's shape) with one colour."""
    _same_shape(grid, mask, "fill_mask")
    return as_grid(np.where(mask, color, grid))


@primitive("(Mask, Color, Color) -> Grid",
           example="mask_to_grid([[True, False]], 4) == [[4, 0]]")
def mask_to_grid(mask: Mask, color: int, bg: int = 0) -> Grid:
    """A grid of the mask's shape: `color` under the mask, `bg` elsewhere."""
    if mask.size == 0:
        raise EvalError("mask_to_grid: the mask is empty")
    return as_grid(np.where(mask, color, bg))


@primitive("(Grid, Color) -> Grid", example="invert_colors([[0, 3, 3]]) == [[3, 0, 0]]")
def invert_colors(grid: Grid, bg: int = 0) -> Grid:
    """Swap the single non-`bg` colour with `bg` (EvalError unless exactly one other colour)."""
    counts = _counts(grid)
    counts[bg] = 0
    others = np.flatnonzero(counts)
    if len(others) != 1:
        raise EvalError(f"invert_colors: needs exactly one non-background colour, "
                        f"found {len(others)}")
    return swap_colors.fn(grid, bg, int(others[0]))


@primitive("(Grid, List[Color], List[Color]) -> Grid",
           example="map_colors([[1, 2, 3]], [1, 2], [2, 1]) == [[2, 1, 3]]")
def map_colors(grid: Grid, sources: tuple[int, ...], targets: tuple[int, ...]) -> Grid:
    """Recolour simultaneously: each cell of colour sources[i] becomes targets[i]."""
    if len(sources) != len(targets):
        raise EvalError(f"map_colors: {len(sources)} sources but {len(targets)} targets")
    if len(set(sources)) != len(sources):
        raise EvalError("map_colors: a source colour is listed twice")
    table = np.arange(10, dtype=np.uint8)
    for source, target in zip(sources, targets):
        if not (0 <= source <= 9 and 0 <= target <= 9):
            raise EvalError("map_colors: colours must be 0..9")
        table[source] = target
    return as_grid(table[grid])


@primitive("(Mask) -> Int", example="mask_count([[True, False, True]]) == 2")
def mask_count(m: Mask) -> int:
    """The number of cells in a mask."""
    return int(np.count_nonzero(m))


@primitive("(Mask) -> Bool", example="mask_any([[False, True]]) == True")
def mask_any(m: Mask) -> bool:
    """True when the mask has at least one cell."""
    return bool(m.any())


@primitive("(Grid, Grid) -> Mask", example="cells_equal([[1, 2]], [[1, 3]]) == [[True, False]]")
def cells_equal(a: Grid, b: Grid) -> Mask:
    """The cells where two grids (of the same shape) have the same colour."""
    _same_shape(a, b, "cells_equal")
    return frozen(a == b)


def canonical_color_table(grid: Grid) -> np.ndarray:
    """`table[c]` = the canonical id of colour `c` in `grid` (a permutation of 0..9).

    The background (`bg_color`) gets 0; the other present colours get 1, 2, ... by cell count,
    most first (ties: smaller colour). Absent colours keep their own id when it is free (>= the
    number of present colours); the rest take the ids left over, both in ascending order."""
    counts = _counts(grid)
    background = bg_color.fn(grid)
    others = sorted((int(c) for c in np.flatnonzero(counts) if c != background),
                    key=lambda c: (-counts[c], c))
    ranked = [background, *others]
    table = np.zeros(10, dtype=np.uint8)
    table[ranked] = np.arange(len(ranked))
    absent = [c for c in range(10) if counts[c] == 0]
    table[[c for c in absent if c >= len(ranked)]] = [c for c in absent if c >= len(ranked)]
    table[[c for c in absent if c < len(ranked)]] = \
        [c for c in range(len(ranked), 10) if counts[c] > 0]
    return table


@primitive("(Grid) -> Grid", kernel="normalize_colors",
           example="normalize_colors([[3, 3, 5]]) == [[0, 0, 1]]")
def normalize_colors(grid: Grid) -> Grid:
    """Recolour to canonical ids: background 0, other colours 1, 2, ... by frequency."""
    return as_grid(canonical_color_table(grid)[grid])


@primitive("(Grid, Grid) -> Grid", kernel="denormalize_colors",
           example="denormalize_colors([[0, 1, 2]], [[3, 3, 5]]) == [[3, 5, 2]]")
def denormalize_colors(grid: Grid, ref: Grid) -> Grid:
    """Map canonical ids back to the colours of `ref` (undoes `normalize_colors(ref)`)."""
    return as_grid(np.argsort(canonical_color_table(ref))[grid])


@primitive("(Grid, Color) -> Grid", example="recolor_majority([[1, 0, 2, 1]]) == [[1, 0, 1, 1]]")
def recolor_majority(grid: Grid, bg: int = 0) -> Grid:
    """Recolour every non-`bg` cell to the most common non-`bg` colour (ties: smaller)."""
    return as_grid(np.where(grid != bg, most_common_fg(grid, bg), grid))


@primitive("(Grid, Color) -> List[Color]",
           example="colors_by_count([[1, 2, 2, 0, 0, 0]]) == (2, 1)")
def colors_by_count(grid: Grid, bg: int = 0) -> tuple[int, ...]:
    """The colours present other than `bg`, most cells first (ties: smaller colour)."""
    counts = _counts(grid)
    present = [int(c) for c in np.flatnonzero(counts) if c != bg]
    return tuple(sorted(present, key=lambda c: (-int(counts[c]), c)))


@primitive("(List[Color]) -> Grid", example="colors_column((2, 8, 1)) == [[2], [8], [1]]")
def colors_column(colors: tuple[int, ...]) -> Grid:
    """A one-column grid of the colours, top to bottom (1 to 30 of them)."""
    if not 1 <= len(colors) <= 30:
        raise EvalError(f"colors_column: {len(colors)} colours, not 1..30")
    return as_grid(np.array(colors, dtype=np.uint8).reshape(-1, 1))
