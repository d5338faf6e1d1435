"""Geometry: rotations, reflections and translations of whole grids."""
from __future__ import annotations

import numpy as np

from dsl.registry import primitive
from dsl.values import Grid, as_grid


@primitive("(Grid) -> Grid", example="rot90([[1, 2], [3, 4]]) == [[3, 1], [4, 2]]")
def rot90(grid: Grid) -> Grid:
    """Rotate a grid a quarter turn clockwise."""
    return as_grid(np.rot90(grid, k=-1))


@primitive("(Grid) -> Grid", example="rot180([[1, 2], [3, 4]]) == [[4, 3], [2, 1]]")
def rot180(grid: Grid) -> Grid:
    """Rotate a grid a half turn."""
    return as_grid(np.rot90(grid, k=2))


@primitive("(Grid) -> Grid", example="rot270([[1, 2], [3, 4]]) == [[2, 4], [1, 3]]")
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
