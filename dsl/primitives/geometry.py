"""Geometry: rotations, reflections, translations, mirroring and symmetrising of whole grids."""
from __future__ import annotations

import numpy as np

from dsl.errors import EvalError
from dsl.primitives.sizing import check_shape
from dsl.registry import primitive
from dsl.values import Grid, as_grid

SHIFTS = (-3, -2, -1, 0, 1, 2, 3)


@primitive("(Grid) -> Grid", kernel="rot90",
           example="rot90([[1, 2], [3, 4]]) == [[3, 1], [4, 2]]")
def rot90(grid: Grid) -> Grid:
    """Rotate a grid a quarter turn clockwise."""
    return as_grid(np.rot90(grid, k=-1))


@primitive("(Grid) -> Grid", kernel="rot180",
           example="rot180([[1, 2], [3, 4]]) == [[4, 3], [2, 1]]")
def rot180(grid: Grid) -> Grid:
    """Rotate a grid a half turn."""
    return as_grid(np.rot90(grid, k=2))


@primitive("(Grid) -> Grid", kernel="rot270",
           example="rot270([[1, 2], [3, 4]]) == [[2, 4], [1, 3]]")
def rot270(grid: Grid) -> Grid:
    """Rotate a grid a quarter turn counter-clockwise."""
    return as_grid(np.rot90(grid, k=1))


@primitive("(Grid) -> Grid", example="flip_h([[1, 2], [3, 4]]) == [[2, 1], [4, 3]]")
def flip_h(grid: Grid) -> Grid:
    """Mirror a grid left-right."""
    return as_grid(grid[:, ::-1])


@primitive("(Grid) -> Grid", example="flip_v([[1, 2], [3, 4]]) == [[3, 4], [1, 2]]")
def flip_v(grid: Grid) -> Grid:
    """Mirror a grid top-bottom."""
    return as_grid(grid[::-1, :])


@primitive("(Grid) -> Grid", example="transpose([[1, 2], [3, 4]]) == [[1, 3], [2, 4]]")
def transpose(grid: Grid) -> Grid:
    """Reflect a grid in its main diagonal."""
    return as_grid(grid.T)


@primitive("(Grid) -> Grid", example="antitranspose([[1, 2], [3, 4]]) == [[4, 2], [3, 1]]")
def antitranspose(grid: Grid) -> Grid:
    """Reflect a grid in its anti-diagonal."""
    return as_grid(grid[::-1, ::-1].T)


@primitive("(Grid, Int, Int, Color) -> Grid", kernel="shift",
           domains={"dr": SHIFTS, "dc": SHIFTS},
           example="shift([[1, 2], [3, 4]], 0, 1) == [[0, 1], [0, 3]]")
def shift(grid: Grid, dr: int, dc: int, fill: int = 0) -> Grid:
    """Move the content dr rows down and dc columns right; vacated cells become `fill`."""
    h, w = grid.shape
    out = np.full((h, w), fill, dtype=np.uint8)
    if abs(dr) < h and abs(dc) < w:
        dr, dc = int(dr), int(dc)
        out[max(dr, 0):h + min(dr, 0), max(dc, 0):w + min(dc, 0)] = \
            grid[max(-dr, 0):h - max(dr, 0), max(-dc, 0):w - max(dc, 0)]
    return as_grid(out)


@primitive("(Grid, Int, Int) -> Grid", domains={"dr": SHIFTS, "dc": SHIFTS},
           kernel="roll", example="roll([[1, 2, 3]], 0, 1) == [[3, 1, 2]]")
def roll(grid: Grid, dr: int, dc: int) -> Grid:
    """Shift the content cyclically dr rows down and dc columns right (wrapping around)."""
    h, w = grid.shape
    return as_grid(np.roll(grid, (int(dr) % h, int(dc) % w), axis=(0, 1)))


@primitive("(Grid) -> Grid", example="mirror_h([[1, 2]]) == [[1, 2, 2, 1]]")
def mirror_h(grid: Grid) -> Grid:
    """The grid followed on its right by its left-right mirror image (twice as wide)."""
    check_shape(grid.shape[0], 2 * grid.shape[1], "mirror_h")
    return as_grid(np.hstack((grid, grid[:, ::-1])))


@primitive("(Grid) -> Grid", example="mirror_v([[1], [2]]) == [[1], [2], [2], [1]]")
def mirror_v(grid: Grid) -> Grid:
    """The grid followed below by its top-bottom mirror image (twice as tall)."""
    check_shape(2 * grid.shape[0], grid.shape[1], "mirror_v")
    return as_grid(np.vstack((grid, grid[::-1, :])))


@primitive("(Grid) -> Grid",
           example="mirror_4([[1, 2]]) == [[1, 2, 2, 1], [1, 2, 2, 1]]")
def mirror_4(grid: Grid) -> Grid:
    """Four mirrored copies: [[g, flip_h g], [flip_v g, rot180 g]] (twice as tall and wide)."""
    check_shape(2 * grid.shape[0], 2 * grid.shape[1], "mirror_4")
    top = np.hstack((grid, grid[:, ::-1]))
    return as_grid(np.vstack((top, top[::-1, :])))


def _overlay(grid: Grid, other: np.ndarray, bg: int) -> Grid:
    """`grid` over `other`: the cells of `grid` that are not `bg` win."""
    return as_grid(np.where(grid != bg, grid, other))


@primitive("(Grid, Color) -> Grid", example="symmetrize_h([[1, 0, 0]]) == [[1, 0, 1]]")
def symmetrize_h(grid: Grid, bg: int = 0) -> Grid:
    """Overlay a grid on its left-right mirror image (the grid's own non-`bg` cells win)."""
    return _overlay(grid, grid[:, ::-1], bg)


@primitive("(Grid, Color) -> Grid", example="symmetrize_v([[1], [0], [0]]) == [[1], [0], [1]]")
def symmetrize_v(grid: Grid, bg: int = 0) -> Grid:
    """Overlay a grid on its top-bottom mirror image (the grid's own non-`bg` cells win)."""
    return _overlay(grid, grid[::-1, :], bg)


@primitive("(Grid, Color) -> Grid",
           example="symmetrize_diag([[1, 2], [0, 0]]) == [[1, 2], [2, 0]]")
def symmetrize_diag(grid: Grid, bg: int = 0) -> Grid:
    """Overlay a square grid on its transpose (the grid's own non-`bg` cells win)."""
    if grid.shape[0] != grid.shape[1]:
        raise EvalError(f"symmetrize_diag: a {grid.shape[0]}x{grid.shape[1]} grid is not square")
    return _overlay(grid, grid.T, bg)


@primitive("(Grid) -> Grid", example="mirror_h_shared([[1, 2]]) == [[1, 2, 1]]")
def mirror_h_shared(grid: Grid) -> Grid:
    """The grid and its left-right mirror image sharing the last column (2w - 1 wide)."""
    check_shape(grid.shape[0], 2 * grid.shape[1] - 1, "mirror_h_shared")
    return as_grid(np.hstack((grid, grid[:, -2::-1])))


@primitive("(Grid) -> Grid", example="mirror_v_shared([[1], [2]]) == [[1], [2], [1]]")
def mirror_v_shared(grid: Grid) -> Grid:
    """The grid and its top-bottom mirror image below sharing the last row (2h - 1 tall)."""
    check_shape(2 * grid.shape[0] - 1, grid.shape[1], "mirror_v_shared")
    return as_grid(np.vstack((grid, grid[-2::-1, :])))
