"""Properties of the kept-set primitives: `cut_regions` (the regions between a cut colour's
lines), `part_feature`, and `keep_extreme_parts` / `crop_extreme_parts` (the parts at a
feature's extreme kept in place or cropped)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.errors import EvalError
from dsl.primitives.objects import (PART_FEATURES, crop_extreme_parts, cut_color, cut_regions,
                                    keep_extreme_parts, objects, part_feature)
from dsl.values import frozen
from tests.strategies import covers, small_grids

LINED = frozen(np.array([[1, 1, 5, 0, 2],
                         [1, 0, 5, 2, 2],
                         [5, 5, 5, 5, 5],
                         [0, 3, 5, 4, 4]], dtype=np.uint8))


@covers("cut_regions")
def test_cut_regions_are_the_regions_between_the_lines() -> None:
    assert cut_color(LINED) == 5
    parts = cut_regions(LINED)
    assert [(p.top, p.left, p.height, p.width) for p in parts] == \
        [(0, 0, 2, 2), (0, 3, 2, 2), (3, 0, 1, 2), (3, 3, 1, 2)]
    assert not any((p.colors[p.mask] == 5).any() for p in parts)


@covers("cut_regions")
@settings(max_examples=60, deadline=None)
@given(small_grids())
def test_cut_regions_partition_the_cells_off_the_cut_colour(grid: np.ndarray) -> None:
    colour = cut_color(grid)
    if colour is None:
        with pytest.raises(EvalError):
            cut_regions(grid)
        return
    parts = cut_regions(grid)
    covered = np.zeros(grid.shape, int)
    for p in parts:
        covered[p.top:p.top + p.height, p.left:p.left + p.width] += p.mask
    assert len(parts) >= 2
    assert np.array_equal(covered, (grid != colour).astype(int))


def test_a_grid_without_a_cutting_colour_has_no_regions() -> None:
    with pytest.raises(EvalError):
        cut_regions(frozen(np.array([[1, 2], [2, 1]], dtype=np.uint8)))


def test_part_features_count_area_colours_holes_and_interior() -> None:
    ring = frozen(np.array([[0, 0, 0, 0, 0],
                            [0, 3, 3, 3, 0],
                            [0, 3, 0, 3, 4],
                            [0, 3, 3, 3, 0]], dtype=np.uint8))
    big = objects(ring, connect=8, multicolor=True)[0]
    values = {name: part_feature(big, f) for f, name in enumerate(PART_FEATURES)}
    assert values == {"count": 9, "area": 12, "colors": 2, "top": 1, "left": 1, "holes": 3,
                      "interior": 1}


@covers("keep_extreme_parts", "crop_extreme_parts")
@settings(max_examples=80, deadline=None)
@given(small_grids(), st.integers(0, len(PART_FEATURES) - 1), st.booleans(), st.booleans())
def test_kept_parts_are_the_extreme_ones_and_the_crop_their_box(
        grid: np.ndarray, feature: int, lowest: bool, invert: bool) -> None:
    parts = objects(grid)
    values = [part_feature(p, feature) * (-1 if lowest else 1) for p in parts]
    kept = [p for p, v in zip(parts, values) if (v == max(values, default=0)) != invert]
    if not kept or len(kept) == len(parts):
        for fn in (keep_extreme_parts, crop_extreme_parts):
            with pytest.raises(EvalError):
                fn(grid, parts, feature, lowest, invert)
        return
    out = keep_extreme_parts(grid, parts, feature, lowest, invert)
    expected = np.zeros_like(grid)
    for p in kept:
        box = (slice(p.top, p.top + p.height), slice(p.left, p.left + p.width))
        expected[box] = np.where(p.mask, grid[box], expected[box])
    assert np.array_equal(out, expected)
    crop = crop_extreme_parts(grid, parts, feature, lowest, invert)
    r0, c0 = min(p.top for p in kept), min(p.left for p in kept)
    r1 = max(p.top + p.height for p in kept)
    c1 = max(p.left + p.width for p in kept)
    assert np.array_equal(crop, expected[r0:r1, c0:c1])


def test_the_inverted_set_keeps_the_other_parts() -> None:
    parts = cut_regions(LINED)
    smallest = keep_extreme_parts(LINED, parts, 0, True, False)   # fewest non-bg cells
    others = keep_extreme_parts(LINED, parts, 0, True, True)
    assert smallest.tolist() == [[0] * 5] * 3 + [[0, 3, 0, 0, 0]]
    assert np.array_equal((smallest != 0) | (others != 0), (LINED != 0) & (LINED != 5))
    assert crop_extreme_parts(LINED, parts, 0, True, False).tolist() == [[0, 3]]


def test_an_unknown_feature_is_an_error() -> None:
    with pytest.raises(EvalError):
        keep_extreme_parts(LINED, cut_regions(LINED), len(PART_FEATURES), False, False)
