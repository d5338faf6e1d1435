"""Structured random input grids for synthetic tasks: objects on a background, lines, and
symmetric patterns. Each generator takes a `random.Random` and returns one grid; a set of
inputs for one task comes from one generator (`structured_inputs`), so they look alike.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from types import MappingProxyType

import numpy as np

from synth.data.task import Grid, make_grid


def _size(rng: random.Random, low: int = 5, high: int = 15) -> tuple[int, int]:
    return rng.randint(low, high), rng.randint(low, high)


def objects_on_background(rng: random.Random) -> Grid:
    """A few solid or random-filled rectangles of distinct colours on a one-colour background."""
    h, w = _size(rng)
    background = 0 if rng.random() < 0.8 else rng.randrange(10)
    grid = np.full((h, w), background, dtype=np.uint8)
    colours = [c for c in range(10) if c != background]
    for _ in range(rng.randint(1, 4)):
        oh, ow = rng.randint(1, max(1, h // 3)), rng.randint(1, max(1, w // 3))
        r, c = rng.randrange(h - oh + 1), rng.randrange(w - ow + 1)
        colour = rng.choice(colours)
        if rng.random() < 0.5:
            grid[r:r + oh, c:c + ow] = colour
        else:
            mask = np.array([[rng.random() < 0.6 for _ in range(ow)] for _ in range(oh)])
            grid[r:r + oh, c:c + ow][mask] = colour
    return make_grid(grid)


def lines(rng: random.Random) -> Grid:
    """Horizontal and vertical full-length lines of a few colours on a background."""
    h, w = _size(rng)
    grid = np.zeros((h, w), dtype=np.uint8)
    for _ in range(rng.randint(1, 4)):
        colour = rng.randint(1, 9)
        if rng.random() < 0.5:
            grid[rng.randrange(h), :] = colour
        else:
            grid[:, rng.randrange(w)] = colour
    return make_grid(grid)


def symmetric_pattern(rng: random.Random) -> Grid:
    """A random tile mirrored left-right and/or top-bottom."""
    th, tw = _size(rng, 2, 7)
    palette = [0] + rng.sample(range(1, 10), rng.randint(1, 3))
    tile = np.array([[rng.choice(palette) for _ in range(tw)] for _ in range(th)], dtype=np.uint8)
    mode = rng.choice(["lr", "tb", "both"])
    if mode in ("lr", "both"):
        tile = np.hstack([tile, tile[:, ::-1]])
    if mode in ("tb", "both"):
        tile = np.vstack([tile, tile[::-1, :]])
    return make_grid(tile)


GENERATORS: MappingProxyType[str, Callable[[random.Random], Grid]] = MappingProxyType({
    "objects": objects_on_background, "lines": lines, "symmetric": symmetric_pattern})


def structured_inputs(rng: random.Random, count: int) -> tuple[str, tuple[Grid, ...]]:
    """`count` grids from one randomly chosen generator, and the generator's name."""
    name = rng.choice(sorted(GENERATORS))
    return name, tuple(GENERATORS[name](rng) for _ in range(count))
