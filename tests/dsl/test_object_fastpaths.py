"""The enumerator's hot-primitive kernels (`native.fastprims`) against their references and
the packed numba segmentation, the memo of segmentations (`dsl.kernels.memoised`), the
native `as_grid`/`frozen` and the inline tuple branch of `value_nbytes`."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsl.errors import EvalError
from dsl.kernels import FAST_PATHS, implementation, memoised
from dsl.primitives.color import canonical_color_table
from dsl.primitives.sizing import _runs, _separator_color, paint_parts
from dsl.registry import default_registry
from dsl.values import (ARRAY_OVERHEAD, CONTAINER_OVERHEAD, OBJECT_OVERHEAD, Object, as_grid,
                        frozen, value_key, value_nbytes)
from native import components, fastprims
from tests.dsl.parity import outcome, same_outcome
from tests.strategies import colors, grids

FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MODES = (fastprims.ALL, fastprims.NOT_VALUE, fastprims.IS_VALUE)


@st.composite
def lined_layouts(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """A grid cut by complete lines of one colour and a `small` grid of its layout's shape
    (when it has one), so that `paint_parts` mostly paints instead of failing."""
    out = draw(grids(max_side=20)).copy()
    color = draw(colors)
    out[draw(st.lists(st.integers(0, out.shape[0] - 1), max_size=3)), :] = color
    out[:, draw(st.lists(st.integers(0, out.shape[1] - 1), max_size=3))] = color
    grid = frozen(out)
    separator = _separator_color(grid)
    shape = (1, 1)
    if separator is not None:
        full = grid == separator
        shape = (max(1, len(_runs(~full.all(axis=1)))), max(1, len(_runs(~full.all(axis=0)))))
    small = draw(st.lists(colors, min_size=shape[0] * shape[1], max_size=shape[0] * shape[1]))
    return grid, frozen(np.array(small, dtype=np.uint8).reshape(shape))


def _unpacked(meta: np.ndarray, masks: np.ndarray, colours: np.ndarray) -> tuple[Object, ...]:
    """Objects from the numba labeller's packed buffers: one (top, left, height, width,
    offset) row of `meta` per component, its colours and mask flat from `offset`."""
    found = []
    for top, left, height, width, offset in meta.tolist():
        cells_ = slice(offset, offset + height * width)
        found.append(Object(frozen(colours[cells_].reshape(height, width)),
                            frozen(masks[cells_].reshape(height, width)), top, left))
    return tuple(found)


@FAST
@given(grids(), st.sampled_from((4, 8)), st.sampled_from(MODES), colors, st.booleans())
def test_segment_equals_the_packed_numba_components(grid, connect, mode, value, same) -> None:
    expected = _unpacked(*components.components(grid, connect, mode, value, same))
    same_outcome(expected, fastprims.segment(grid, connect, mode, value, same, Object))


@FAST
@given(grids())
def test_canonical_table_equals_the_reference(grid) -> None:
    assert fastprims.canonical_table(grid) == tuple(canonical_color_table(grid).tolist())


def test_colour_normalisation_hands_colours_over_nine_to_the_reference() -> None:
    grid = frozen(np.array([[0, 12]], np.uint8))
    assert fastprims.normalize_colors(grid) is None
    assert fastprims.denormalize_colors(grid, frozen(np.zeros((1, 1), np.uint8))) is None
    prim = default_registry()["normalize_colors"]
    with pytest.raises(IndexError):   # the reference's own failure, unchanged
        implementation(prim)(grid)


@FAST
@given(lined_layouts())
def test_paint_parts_fast_path_paints_like_the_reference(pair) -> None:
    same_outcome(outcome(paint_parts.fn, pair), outcome(FAST_PATHS["paint_parts"], pair))


def test_memoised_equals_the_function_and_stays_within_its_bytes() -> None:
    calls: list[int] = []

    def labelled(grid: np.ndarray, connect: int = 4) -> tuple[Object, ...]:
        calls.append(connect)
        return FAST_PATHS["label_regions"](grid, connect)

    rng = np.random.default_rng(0)
    grids_ = [frozen(rng.integers(0, 3, (5, 6)).astype(np.uint8)) for _ in range(12)]
    memo = memoised(labelled, max_bytes=3 * (value_nbytes(labelled(grids_[0])) + 30))
    calls.clear()
    for grid in grids_ + grids_[-2:]:
        assert value_key(memo(grid)) == value_key(labelled(grid))
    assert len(calls) == 2 * len(grids_) + 2      # the last two came from the memo
    memo(grids_[0])
    assert len(calls) == 2 * len(grids_) + 3      # the first one was forgotten (bytes)
    memo(grids_[0])
    assert len(calls) == 2 * len(grids_) + 3
    for _ in range(2):
        with pytest.raises(EvalError):            # errors pass through, never remembered
            memo(grids_[0], 5)
    assert len(calls) == 2 * len(grids_) + 5


@st.composite
def value_lists(draw: st.DrawFn) -> tuple:
    """Tuples of grids, objects, scalars and nested tuples."""
    grid = draw(grids(max_side=6))
    objs = FAST_PATHS["label_regions"](grid)
    items = draw(st.lists(st.sampled_from([grid, 3, True, (grid, 1), *objs[:3]]), max_size=6))
    return tuple(items)


@FAST
@given(value_lists())
def test_value_nbytes_of_a_tuple_is_the_sum_over_its_items(items) -> None:
    assert value_nbytes(items) == CONTAINER_OVERHEAD + sum(value_nbytes(v) for v in items)
    for item in items:
        if isinstance(item, Object):
            assert value_nbytes(item) == OBJECT_OVERHEAD + 2 * (
                item.colors.nbytes + item.mask.nbytes + ARRAY_OVERHEAD)


@FAST
@given(st.sampled_from([np.uint8, np.int64, np.bool_]), st.integers(0, 3), st.booleans())
def test_as_grid_and_frozen_match_numpy(dtype, ndim, strided) -> None:
    shape = (3, 4, 2)[:ndim]
    source = np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape).astype(dtype)
    if strided and ndim:
        source = source[..., ::2]
    expected = np.ascontiguousarray(source.copy(), dtype=np.uint8)
    out = as_grid(source)
    assert out.dtype == np.uint8 and out.flags.c_contiguous and not out.flags.writeable
    assert out.shape == expected.shape and np.array_equal(out, expected)
    reused = source.dtype == np.uint8 and source.flags.c_contiguous and ndim >= 1
    assert (out is source) == reused
    mask = np.zeros((2, 2), bool)
    assert frozen(mask) is mask and not mask.flags.writeable
