"""Shared Hypothesis strategies (ARC grids 1x1..30x30, colours 0..9, objects) and `covers`.

`@covers("rot90", ...)` marks a property test as covering primitives; the meta-test in
tests/dsl/test_coverage.py fails when a registered primitive has no covering test.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
from hypothesis import strategies as st

from dsl.values import Object, frozen, make_object

F = TypeVar("F", bound=Callable[..., Any])
MAX_SIDE = 30


def covers(*names: str) -> Callable[[F], F]:
    """Record which primitives a test function covers (read by the coverage meta-test)."""
    def mark(fn: F) -> F:
        fn.__covers__ = tuple(getattr(fn, "__covers__", ())) + names  # type: ignore[attr-defined]
        return fn
    return mark


colors = st.integers(min_value=0, max_value=9)


@st.composite
def grids(draw: st.DrawFn, min_side: int = 1, max_side: int = MAX_SIDE,
          max_colors: int = 10) -> np.ndarray:
    """A read-only uint8 grid; palettes are often small and cells often background 0."""
    h = draw(st.integers(min_side, max_side))
    w = draw(st.integers(min_side, max_side))
    palette = draw(st.lists(colors, min_size=1, max_size=max_colors, unique=True))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    density = draw(st.sampled_from([0.1, 0.3, 0.6, 1.0]))
    cells = rng.choice(np.array(palette, dtype=np.uint8), size=(h, w))
    background = rng.random((h, w)) >= density
    return frozen(np.where(background, 0, cells).astype(np.uint8))


@st.composite
def small_grids(draw: st.DrawFn) -> np.ndarray:
    """Grids up to 10x10 (for slower properties)."""
    return draw(grids(max_side=10))


@st.composite
def masks(draw: st.DrawFn, shape: tuple[int, int] | None = None) -> np.ndarray:
    """A boolean mask, of a given shape or a random one."""
    if shape is None:
        shape = (draw(st.integers(1, MAX_SIDE)), draw(st.integers(1, MAX_SIDE)))
    seed = draw(st.integers(0, 2**32 - 1))
    return frozen(np.random.default_rng(seed).random(shape) < 0.4)


@st.composite
def objects_(draw: st.DrawFn) -> Object:
    """A non-empty Object at a small offset."""
    h, w = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    mask = rng.random((h, w)) < 0.7
    mask[rng.integers(h), rng.integers(w)] = True
    cells = rng.integers(1, 10, size=(h, w)).astype(np.uint8)
    return make_object(cells, mask, draw(st.integers(0, 10)), draw(st.integers(0, 10)))
